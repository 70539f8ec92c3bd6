"""Documents: ingest (JSON, raw Markdown, multipart files), list, read and delete."""

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from api.web import schemas
from api.web.deps import KB, Reader, RecordId, Writer, bounded, check_writable
from kb.outputs.contract import document_dict

router = APIRouter(prefix="/v1/documents", tags=["documents"])

Source = Annotated[str, Form(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")]


async def _ingest(request: Request, kb: KB, uploads: list[Any], *, source: str, team: str) -> dict[str, Any]:
    from ingest.loader import ingest_uploads

    report = await bounded(request, lambda: ingest_uploads(kb, uploads, source=source, team=team))
    for outcome in report.files:
        request.app.state.metrics.ingested.labels(outcome.status).inc()
    data: dict[str, Any] = report.to_dict()
    return {**data, "team": team}


@router.post("", response_model=schemas.IngestReportOut)
async def ingest_documents(
    request: Request, body: schemas.IngestRequest, kb: KB, who: Writer
) -> dict[str, Any]:
    """Ingest Markdown documents sent as JSON, into the caller's team."""
    from ingest.loader import Upload

    # Lone surrogates (valid JSON, not valid text) reach the loader and fail as "not UTF-8".
    uploads = [Upload(path=d.path, data=d.content.encode("utf-8", "surrogatepass")) for d in body.documents]
    return await _ingest(request, kb, uploads, source=body.source, team=who.write_team)


@router.post(
    "/markdown",
    response_model=schemas.IngestReportOut,
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/markdown": {"schema": {"type": "string"}}}}
    },
)
async def ingest_markdown(
    request: Request,
    kb: KB,
    who: Writer,
    path: Annotated[str, Query(min_length=1, max_length=500, description="Relative path of the document")],
    source: Annotated[str, Query(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")] = "api",
) -> dict[str, Any]:
    """Ingest one Markdown document sent as the raw request body (for incident-tool webhooks)."""
    from ingest.loader import Upload

    uploads = [Upload(path=path, data=await request.body())]
    return await _ingest(request, kb, uploads, source=source, team=who.write_team)


@router.post("/files", response_model=schemas.IngestReportOut)
async def ingest_files(
    request: Request,
    kb: KB,
    who: Writer,
    files: Annotated[list[UploadFile], File(description="Markdown files")],
    source: Source = "api",
) -> dict[str, Any]:
    """Ingest Markdown files sent as multipart/form-data, into the caller's team."""
    from ingest.loader import Upload

    uploads = [Upload(path=f.filename or "upload.md", data=await f.read()) for f in files]
    return await _ingest(request, kb, uploads, source=source, team=who.write_team)


@router.get("", response_model=schemas.DocumentPage)
async def list_documents(
    kb: KB,
    who: Reader,
    kind: schemas.Kind | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Documents the caller can see, with their constraint counts."""
    rows = await run_in_threadpool(
        lambda: kb.list_documents(teams=who.visible_teams, kind=kind, limit=limit + 1, offset=offset)
    )
    return {
        "results": [document_dict(d, n) for d, n in rows[:limit]],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if len(rows) > limit else None,
    }


@router.get("/{document_id}", response_model=schemas.DocumentOut)
async def get_document(document_id: RecordId, kb: KB, who: Reader) -> dict[str, Any]:
    """One document."""
    document, count = await run_in_threadpool(lambda: kb.get_document(document_id, teams=who.visible_teams))
    return document_dict(document, count)


@router.delete("/{document_id}", status_code=204)
async def delete_document(document_id: RecordId, kb: KB, who: Writer) -> None:
    """Delete a document of the caller's team with its constraints."""
    document, _ = await run_in_threadpool(lambda: kb.get_document(document_id, teams=who.visible_teams))
    check_writable(who, document.team)
    await run_in_threadpool(lambda: kb.delete_document(document_id, teams=who.writable_teams))
