"""``forewarn serve``: the HTTP API under uvicorn, with JSON-lines logs."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from api.cli import app, fail

LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "api.web.observability.JsonLinesFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "loggers": {
        "hindsight.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "api": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "kb": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.", envvar="KB_SERVE_HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.", envvar="KB_SERVE_PORT", min=0, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="No API keys: only for one user on a loopback address.")
    ] = False,
) -> None:
    """Serve the HTTP API (versioned under /v1; OpenAPI at /docs and /openapi.json)."""
    import uvicorn

    from api.web.guards import is_literal_loopback

    if no_auth and not is_literal_loopback(host):
        # "" and 0.0.0.0 bind every interface; a host name may resolve anywhere.
        fail(f"--no-auth is allowed only on localhost or a loopback address (127.0.0.1, ::1), not {host!r}")
    os.environ["KB_SERVE_AUTH"] = "0" if no_auth else "1"
    uvicorn.run(
        "api.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=LOG_CONFIG,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
