"""The FastAPI application: thin routes over ``KnowledgeBase``, one error shape, keys and teams.

Every route that takes an id checks the caller's teams: an id of another team answers 404,
exactly like an id that does not exist, so nothing leaks its existence.

No ``from __future__ import annotations`` here: FastAPI reads the dependency aliases declared
inside ``create_app`` from the annotations at definition time.
"""

import asyncio
import ipaddress
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, File, Form, Path, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Scope

from api.web import schemas
from api.web.guards import install_guards
from api.web.observability import BodyLimit, Metrics, observe, request_id_from
from kb.auth import LOCAL_PRINCIPAL, Principal, authenticate, create_key, validate_team
from kb.errors import (
    AuthError,
    ConfigError,
    ForbiddenError,
    InputError,
    KBError,
    NotFoundError,
    TimeoutError_,
)
from kb.outputs.contract import document_dict
from kb.service import KnowledgeBase
from kb.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

# Ids are SQL integers: bound them so a huge number is a 422, not a database overflow.
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]

STATUS_BY_ERROR: list[tuple[type[KBError], int]] = [
    (NotFoundError, 404),
    (AuthError, 401),
    (ForbiddenError, 403),
    (TimeoutError_, 504),
    (InputError, 422),
    (ConfigError, 500),
]


def error_response(
    status: int, code: str, message: str, request_id: str, details: Any = None
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": request_id}
    if details is not None:
        body["details"] = details
    headers = {"X-Request-ID": request_id}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or request_id_from(request.headers.get("x-request-id"))


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(
    settings: Settings | None = None, *, kb: KnowledgeBase | None = None, auth: bool = True
) -> FastAPI:
    """Build the application. ``auth=False`` is for a single user on a loopback address only."""
    settings = settings or Settings()
    metrics = Metrics()
    holder: dict[str, KnowledgeBase] = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        knowledge = kb or KnowledgeBase(settings)
        # Connect, migrate and load the index before the first request, not during it.
        await run_in_threadpool(knowledge.index)
        holder["kb"] = knowledge
        yield
        if kb is None:
            knowledge.close()

    app = FastAPI(
        title="Hindsight",
        version="1.0.0",
        summary="Lessons from postmortems, runbooks and ADRs for every task and diff.",
        lifespan=lifespan,
        responses={
            401: {"model": schemas.ErrorOut, "description": "Missing or invalid API key"},
            422: {"model": schemas.ErrorOut, "description": "Invalid input"},
        },
    )

    def knowledge_base() -> KnowledgeBase:
        return holder["kb"]

    KB = Annotated[KnowledgeBase, Depends(knowledge_base)]

    def principal(request: Request) -> Principal:
        if not auth:
            return LOCAL_PRINCIPAL
        header = request.headers.get("authorization", "")
        token = (
            header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("x-api-key")
        )
        if not token:
            raise AuthError("missing API key: send 'Authorization: Bearer <key>'")
        found = authenticate(holder["kb"].store, token)
        if found is None:
            raise AuthError("invalid or revoked API key")
        request.state.team = found.team
        return found

    def require(role: str) -> Callable[[Request], Principal]:
        def dependency(request: Request) -> Principal:
            who = principal(request)
            if not who.allows(role):
                raise ForbiddenError(f"this needs a key with the {role} role")
            return who

        return dependency

    Reader = Annotated[Principal, Depends(require("reader"))]
    Writer = Annotated[Principal, Depends(require("writer"))]
    Admin = Annotated[Principal, Depends(require("admin"))]

    async def bounded(function: Callable[[], T]) -> T:
        try:
            return await asyncio.wait_for(run_in_threadpool(function), timeout=settings.request_timeout)
        except TimeoutError as exc:
            raise TimeoutError_(f"the request took longer than {settings.request_timeout:g} s") from exc

    # --- errors: one shape for everything --------------------------------------------------------

    @app.exception_handler(KBError)
    async def _kb_error(request: Request, exc: KBError) -> JSONResponse:
        status = next((code for cls, code in STATUS_BY_ERROR if isinstance(exc, cls)), 500)
        if status >= 500:
            log.error("request failed: %s", exc.code, extra={"fields": {"request_id": _request_id(request)}})
        return error_response(status, exc.code, exc.message, _request_id(request))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        first = details[0] if details else {"loc": [], "msg": "invalid request"}
        message = f"{'.'.join(first['loc'][1:]) or 'request'}: {first['msg']}"
        return error_response(422, "invalid_input", message, _request_id(request), details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        return error_response(
            exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail), _request_id(request)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", extra={"fields": {"request_id": _request_id(request)}})
        return error_response(500, "internal_error", "internal server error", _request_id(request))

    def reject_too_large(scope: Scope, message: str) -> ASGIApp:
        headers = dict(scope.get("headers") or [])
        raw = headers.get(b"x-request-id")
        return error_response(413, "too_large", message, request_id_from(raw.decode() if raw else None))

    app.middleware("http")(observe(metrics))
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes, reject=reject_too_large)
    install_guards(app, settings, auth=auth)  # Host/Origin in no-auth mode, rate limits, bad text

    # --- probes and metrics ------------------------------------------------------------------------

    @app.get("/healthz", response_model=schemas.Health, tags=["ops"])
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get(
        "/readyz", response_model=schemas.Ready, tags=["ops"], responses={503: {"model": schemas.ErrorOut}}
    )
    async def readyz(request: Request, kb: KB) -> Any:
        """The database answers and the index is loaded and in step with SQL."""

        def check() -> dict[str, Any]:
            index = kb.index()
            revision = kb.store.revision()
            return {
                "status": "ready" if index.info.revision == revision else "stale",
                "revision": revision,
                "index": {"count": index.count, "model": index.info.model, "revision": index.info.revision},
            }

        try:
            state = await bounded(check)
        except KBError as exc:
            return error_response(503, "not_ready", exc.message, _request_id(request))
        metrics.index_size.set(state["index"]["count"])
        if state["status"] != "ready":
            return error_response(503, "not_ready", "index is behind the database", _request_id(request))
        return state

    @app.get("/metrics", tags=["ops"], response_class=PlainTextResponse)
    async def prometheus_metrics() -> PlainTextResponse:
        """Prometheus metrics."""
        return PlainTextResponse(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    # --- queries ---------------------------------------------------------------------------------------

    @app.post("/v1/query", response_model=schemas.QueryOut, tags=["query"])
    async def query(body: schemas.QueryRequest, kb: KB, who: Reader) -> dict[str, Any]:
        """The lessons that apply to a task description and/or a unified diff."""

        def run() -> dict[str, Any]:
            with metrics.query_latency.time():
                result = kb.query(
                    task=body.task,
                    diff=body.diff,
                    k=body.k,
                    include_inactive=body.include_inactive,
                    teams=who.visible_teams,
                )
            metrics.index_size.set(kb.loaded_index_size())
            return result.to_dict()

        return await bounded(run)

    @app.post("/v1/context", response_model=schemas.ContextOut, tags=["query"])
    async def context(body: schemas.ContextRequest, kb: KB, who: Reader) -> dict[str, Any]:
        """A prompt block of the lessons for a task and/or diff, within a token budget."""
        from kb.outputs.context import prompt_context

        def run() -> dict[str, Any]:
            with metrics.query_latency.time():
                block = prompt_context(
                    kb,
                    task=body.task,
                    diff=body.diff,
                    fmt=body.format,
                    max_tokens=body.max_tokens,
                    k=body.k,
                    min_confidence=body.min_confidence,
                    include_proposed=body.include_proposed,
                    teams=who.visible_teams,
                )
            return {
                "text": block.text,
                "format": block.format,
                "tokens": block.tokens,
                "tokenizer": block.tokenizer,
                "max_tokens": block.max_tokens,
                "included": [item.id for item in block.included],
                "omitted": [item.id for item in block.omitted],
            }

        return await bounded(run)

    # --- documents ---------------------------------------------------------------------------------------

    def _check_writable(who: Principal, team: str) -> None:
        # Visible (own team or shared) but not writable: say so; invisible ids were 404 already.
        if who.writable_teams is not None and team not in who.writable_teams:
            raise ForbiddenError(f"this record belongs to team {team!r}; a key of that team can change it")

    def _record_ingest(report: Any) -> dict[str, Any]:
        for outcome in report.files:
            metrics.ingested.labels(outcome.status).inc()
        data: dict[str, Any] = report.to_dict()
        return data

    @app.post("/v1/documents", response_model=schemas.IngestReportOut, tags=["documents"])
    async def ingest_documents(body: schemas.IngestRequest, kb: KB, who: Writer) -> dict[str, Any]:
        """Ingest Markdown documents sent as JSON, into the caller's team."""
        from ingest.loader import Upload, ingest_uploads

        # Lone surrogates (valid JSON, not valid text) reach the loader and fail as "not UTF-8".
        uploads = [
            Upload(path=d.path, data=d.content.encode("utf-8", "surrogatepass")) for d in body.documents
        ]
        report = await bounded(lambda: ingest_uploads(kb, uploads, source=body.source, team=who.write_team))
        return {**_record_ingest(report), "team": who.write_team}

    @app.post(
        "/v1/documents/markdown",
        response_model=schemas.IngestReportOut,
        tags=["documents"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"text/markdown": {"schema": {"type": "string"}}},
            }
        },
    )
    async def ingest_markdown(
        request: Request,
        kb: KB,
        who: Writer,
        path: Annotated[
            str, Query(min_length=1, max_length=500, description="Relative path of the document")
        ],
        source: Annotated[str, Query(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")] = "api",
    ) -> dict[str, Any]:
        """Ingest one Markdown document sent as the raw request body (for incident-tool webhooks)."""
        from ingest.loader import Upload, ingest_uploads

        uploads = [Upload(path=path, data=await request.body())]
        report = await bounded(lambda: ingest_uploads(kb, uploads, source=source, team=who.write_team))
        return {**_record_ingest(report), "team": who.write_team}

    @app.post("/v1/documents/files", response_model=schemas.IngestReportOut, tags=["documents"])
    async def ingest_files(
        kb: KB,
        who: Writer,
        files: Annotated[list[UploadFile], File(description="Markdown files")],
        source: Annotated[str, Form(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")] = "api",
    ) -> dict[str, Any]:
        """Ingest Markdown files sent as multipart/form-data, into the caller's team."""
        from ingest.loader import Upload, ingest_uploads

        uploads = [Upload(path=f.filename or "upload.md", data=await f.read()) for f in files]
        report = await bounded(lambda: ingest_uploads(kb, uploads, source=source, team=who.write_team))
        return {**_record_ingest(report), "team": who.write_team}

    @app.get("/v1/documents", response_model=schemas.DocumentPage, tags=["documents"])
    async def list_documents(
        kb: KB,
        who: Reader,
        kind: schemas.Kind | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        """Documents the caller can see, with their constraint counts."""
        rows = await run_in_threadpool(
            kb.store.list_documents, teams=who.visible_teams, kind=kind, limit=limit + 1, offset=offset
        )
        return {
            "results": [document_dict(d, n) for d, n in rows[:limit]],
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if len(rows) > limit else None,
        }

    @app.get("/v1/documents/{document_id}", response_model=schemas.DocumentOut, tags=["documents"])
    async def get_document(document_id: RecordId, kb: KB, who: Reader) -> dict[str, Any]:
        """One document."""
        document = await run_in_threadpool(kb.store.get_document, document_id, teams=who.visible_teams)
        count = await run_in_threadpool(kb.store.count_constraints, document_id)
        return document_dict(document, count)

    @app.delete("/v1/documents/{document_id}", status_code=204, tags=["documents"])
    async def delete_document(document_id: RecordId, kb: KB, who: Writer) -> None:
        """Delete a document of the caller's team with its constraints."""
        document = await run_in_threadpool(kb.store.get_document, document_id, teams=who.visible_teams)
        _check_writable(who, document.team)
        await run_in_threadpool(kb.delete_document, document_id, teams=who.writable_teams)

    # --- constraints ---------------------------------------------------------------------------------------

    @app.get("/v1/constraints", response_model=schemas.ConstraintPage, tags=["constraints"])
    async def list_constraints(
        kb: KB,
        who: Reader,
        kind: schemas.Kind | None = None,
        category: schemas.Category | None = None,
        status: schemas.Status | None = None,
        severity: schemas.Severity | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        """Constraints the caller can see, filtered and paginated."""
        records = await run_in_threadpool(
            lambda: kb.list(
                kind=kind,
                category=category,
                status=status,
                severity=severity,
                limit=limit + 1,
                offset=offset,
                teams=who.visible_teams,
            )
        )
        return {
            "results": records[:limit],
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if len(records) > limit else None,
        }

    @app.get("/v1/constraints/{constraint_id}", response_model=schemas.ConstraintOut, tags=["constraints"])
    async def get_constraint(constraint_id: RecordId, kb: KB, who: Reader) -> dict[str, Any]:
        """One constraint."""
        return await run_in_threadpool(lambda: kb.get(constraint_id, teams=who.visible_teams))

    @app.patch("/v1/constraints/{constraint_id}", response_model=schemas.ConstraintOut, tags=["constraints"])
    async def patch_constraint(
        constraint_id: RecordId, body: schemas.ConstraintPatch, kb: KB, who: Writer
    ) -> dict[str, Any]:
        """Change status, severity or scope; the change is recorded (who, when, before/after)."""
        current = await run_in_threadpool(lambda: kb.get(constraint_id, teams=who.visible_teams))
        _check_writable(who, current["team"])
        changes: dict[str, Any] = {"status": body.status, "severity": body.severity}
        if body.scope is not None:
            changes.update(body.scope.model_dump(exclude_none=True))
        return await run_in_threadpool(
            lambda: kb.update_constraint(constraint_id, changes, actor=who.actor, teams=who.writable_teams)
        )

    @app.get(
        "/v1/constraints/{constraint_id}/changes",
        response_model=list[schemas.ChangeOut],
        tags=["constraints"],
    )
    async def constraint_changes(constraint_id: RecordId, kb: KB, who: Reader) -> list[Any]:
        """The recorded changes of one constraint, oldest first."""
        await run_in_threadpool(lambda: kb.get(constraint_id, teams=who.visible_teams))
        return await run_in_threadpool(kb.store.constraint_changes, constraint_id)

    # --- keys ---------------------------------------------------------------------------------------------

    def _key_out(key: Any) -> dict[str, Any]:
        return {
            "id": key.id,
            "prefix": key.prefix,
            "team": key.team,
            "role": key.role,
            "name": key.name,
            "created_at": key.created_at,
            "revoked_at": key.revoked_at,
        }

    @app.post("/v1/keys", response_model=schemas.KeyCreated, status_code=201, tags=["keys"])
    async def create_api_key(body: schemas.KeyCreate, kb: KB, who: Admin) -> dict[str, Any]:
        """Create a key for the admin's team (the secret is shown once)."""
        team = validate_team(body.team) if body.team else who.write_team
        if who.team is not None and team != who.team:
            raise ForbiddenError("an admin key creates keys for its own team only")
        key, secret = await run_in_threadpool(
            lambda: create_key(kb.store, team=team, role=body.role, name=body.name)
        )
        return {**_key_out(key), "key": secret}

    @app.get("/v1/keys", response_model=list[schemas.KeyOut], tags=["keys"])
    async def list_api_keys(kb: KB, who: Admin) -> list[dict[str, Any]]:
        """The keys of the admin's team."""
        keys = await run_in_threadpool(kb.store.list_keys, team=who.team)
        return [_key_out(k) for k in keys]

    @app.delete("/v1/keys/{key_id}", response_model=schemas.KeyOut, tags=["keys"])
    async def revoke_api_key(key_id: RecordId, kb: KB, who: Admin) -> dict[str, Any]:
        """Revoke a key of the admin's team."""
        return _key_out(await run_in_threadpool(kb.store.revoke_key, key_id, team=who.team))

    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory`` (used by ``kb serve --workers N``)."""
    import os

    return create_app(Settings(), auth=os.environ.get("KB_SERVE_AUTH", "1") != "0")
