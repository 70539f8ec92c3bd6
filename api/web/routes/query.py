"""Questions: the lessons for a task or diff (``/v1/query``) and prompt blocks (``/v1/context``)."""

from typing import Any

from fastapi import APIRouter, Request

from api.web import schemas
from api.web.deps import KB, Reader, bounded

router = APIRouter(prefix="/v1", tags=["query"])


@router.post("/query", response_model=schemas.QueryOut)
async def query(request: Request, body: schemas.QueryRequest, kb: KB, who: Reader) -> dict[str, Any]:
    """The lessons that apply to a task description and/or a unified diff."""
    metrics = request.app.state.metrics

    def run() -> dict[str, Any]:
        with metrics.query_latency.time():
            result = kb.query(
                task=body.task,
                diff=body.diff,
                k=body.k,
                include_inactive=body.include_inactive,
                include_proposed=body.include_proposed,
                teams=who.visible_teams,
            )
        metrics.index_size.set(kb.loaded_index_size())
        return result.to_dict()

    return await bounded(request, run)


@router.post("/context", response_model=schemas.ContextOut)
async def context(request: Request, body: schemas.ContextRequest, kb: KB, who: Reader) -> dict[str, Any]:
    """A prompt block of the lessons for a task and/or diff, within a token budget."""
    from kb.outputs.context import prompt_context

    metrics = request.app.state.metrics

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
            "included": [item.id for item in block.included if item.match != "passage"],
            "omitted": [item.id for item in block.omitted if item.match != "passage"],
            "passages": sum(item.match == "passage" for item in block.included),
        }

    return await bounded(request, run)
