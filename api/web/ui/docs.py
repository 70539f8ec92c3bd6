"""API docs without the internet: Swagger UI at /docs and ReDoc at /redoc from the assets the
fastapi-offline wheel ships (served under /docs-assets), and the bearer scheme in OpenAPI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"
# ReDoc's sidebar shows its maker's logo from their CDN: point it at the packaged favicon.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# Swagger UI starts from an inline script; nothing may come from another origin.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
)


def _assets_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def with_bearer_scheme(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document with an HTTP bearer scheme on every /v1 operation."""
    if app.openapi_schema is None:
        spec = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        spec.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "An API key: fw_<prefix>_<secret>"}
        }
        for path, operations in spec.get("paths", {}).items():
            if path.startswith("/v1/"):
                for operation in operations.values():
                    operation["security"] = [{"bearer": []}]
        app.openapi_schema = spec
    return app.openapi_schema


def _local_redoc() -> bytes:
    script = (_assets_dir() / "redoc.standalone.js").read_text(encoding="utf-8")
    return script.replace(REDOC_LOGO, f"{ASSETS}/favicon.png").encode("utf-8")


def _confined(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = DOCS_CSP
    return response


def install_docs(app: FastAPI) -> None:
    app.openapi = lambda: with_bearer_scheme(app)  # type: ignore[method-assign]
    redoc_script: list[bytes] = []  # read once, on first use

    @app.get(f"{ASSETS}/redoc.local.js", include_in_schema=False)
    async def redoc_js() -> Response:
        if not redoc_script:
            redoc_script.append(_local_redoc())
        headers = {"Cache-Control": "public, max-age=86400"}
        return Response(redoc_script[0], media_type="text/javascript", headers=headers)

    app.mount(ASSETS, StaticFiles(directory=_assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return _confined(
            get_swagger_ui_html(
                openapi_url="/openapi.json",
                title="Forewarn API",
                swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS}/swagger-ui.css",
                swagger_favicon_url=f"{ASSETS}/favicon.png",
                # No validator badge: it would send the spec to an outside service.
                swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": False},
            )
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _confined(
            get_redoc_html(
                openapi_url="/openapi.json",
                title="Forewarn API",
                redoc_js_url=f"{ASSETS}/redoc.local.js",
                redoc_favicon_url=f"{ASSETS}/favicon.png",
                with_google_fonts=False,
            )
        )
