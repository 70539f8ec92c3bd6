"""The web UI under /ui/: server-rendered pages (Jinja2, plain forms, no script needed) over
the facade, with packaged CSS, a signed session cookie, CSRF tokens and offline API docs."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.web.ui.data import Catalogues
from api.web.ui.render import HERE
from api.web.ui.session import Sessions, load_secret
from kb.settings import Settings


def install_ui(app: FastAPI, settings: Settings) -> None:
    """Add the pages, their static files and /docs, /redoc to ``app``."""
    from api.web.ui import actions, pages
    from api.web.ui.docs import install_docs

    app.state.ui_sessions = Sessions(secret=load_secret(settings))
    app.state.ui_catalogues = Catalogues()
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")
    app.include_router(pages.router)
    app.include_router(actions.router)
    install_docs(app)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)
