"""The FastAPI application: thin routes over ``KnowledgeBase``, one error shape, keys and teams.

Routes live one module per resource in ``api.web.routes``; what they depend on (the knowledge
base, the caller, a time bound) in ``api.web.deps``; the one error shape in ``api.web.errors``.
Every route that takes an id checks the caller's teams: an id of another team answers 404,
exactly like an id that does not exist, so nothing leaks its existence.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from api.web import schemas
from api.web.errors import install_error_handlers, reject_too_large
from api.web.guards import install_guards
from api.web.observability import BodyLimit, Metrics, observe
from api.web.routes import constraints, documents, keys, lifecycle, ops, query
from api.web.ui import install_ui
from kb.service import KnowledgeBase
from kb.settings import Settings


def create_app(
    settings: Settings | None = None, *, kb: KnowledgeBase | None = None, auth: bool = True
) -> FastAPI:
    """Build the application. ``auth=False`` is for a single user on a loopback address only."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        knowledge = kb or KnowledgeBase(settings)
        # Connect, migrate and load the index before the first request, not during it.
        await run_in_threadpool(knowledge.index)
        app.state.kb = knowledge
        yield
        if kb is None:
            knowledge.close()

    app = FastAPI(
        title="Forewarn",
        version="1.0.0",
        summary="Lessons from postmortems, runbooks and ADRs for every task and diff.",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from packaged assets (api.web.ui.docs)
        redoc_url=None,
        responses={
            401: {"model": schemas.ErrorOut, "description": "Missing or invalid API key"},
            422: {"model": schemas.ErrorOut, "description": "Invalid input"},
        },
    )
    app.state.settings = settings
    app.state.auth = auth
    app.state.metrics = metrics = Metrics()
    install_error_handlers(app)
    app.middleware("http")(observe(metrics))
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes, reject=reject_too_large)
    install_guards(app, settings, auth=auth)  # Host/Origin in no-auth mode, rate limits, bad text
    for module in (ops, query, documents, constraints, lifecycle, keys):
        app.include_router(module.router)
    install_ui(app, settings)  # the pages under /ui/ and the offline API docs
    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory`` (used by ``kb serve --workers N``)."""
    import os

    return create_app(Settings(), auth=os.environ.get("KB_SERVE_AUTH", "1") != "0")
