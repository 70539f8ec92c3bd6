"""Probes and metrics: ``/healthz``, ``/readyz``, ``/metrics``."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.web import schemas
from api.web.deps import KB, bounded
from api.web.errors import error_response, request_id
from kb.errors import KBError

router = APIRouter(tags=["ops"])


@router.get("/healthz", response_model=schemas.Health)
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", response_model=schemas.Ready, responses={503: {"model": schemas.ErrorOut}})
async def readyz(request: Request, kb: KB) -> Any:
    """The database answers and the index is loaded and in step with SQL."""

    def check() -> dict[str, Any]:
        index = kb.index()
        revision = kb.revision()
        return {
            "status": "ready" if index.info.revision == revision else "stale",
            "revision": revision,
            "index": {"count": index.count, "model": index.info.model, "revision": index.info.revision},
        }

    try:
        state = await bounded(request, check)
    except KBError as exc:
        return error_response(503, "not_ready", exc.message, request_id(request))
    request.app.state.metrics.index_size.set(state["index"]["count"])
    if state["status"] != "ready":
        return error_response(503, "not_ready", "index is behind the database", request_id(request))
    return state


@router.get("/metrics", response_class=PlainTextResponse)
async def prometheus_metrics(request: Request) -> PlainTextResponse:
    """Prometheus metrics."""
    registry = request.app.state.metrics.registry
    return PlainTextResponse(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
