"""One error shape for the whole API: ``{"error": {"code", "message", "request_id", "details"?}}``.

Library errors map to status codes by class (``STATUS_BY_ERROR``); validation errors, HTTP errors
and anything unexpected get the same shape. Routes never catch errors themselves.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Scope

from api.web.observability import request_id_from
from kb.errors import (
    AuthError,
    BusyError,
    ConfigError,
    ForbiddenError,
    InputError,
    KBError,
    NotFoundError,
    RateLimitError,
    TimeoutError_,
)

log = logging.getLogger(__name__)

STATUS_BY_ERROR: list[tuple[type[KBError], int]] = [
    (NotFoundError, 404),
    (AuthError, 401),
    (ForbiddenError, 403),
    (TimeoutError_, 504),
    (BusyError, 409),
    (RateLimitError, 429),
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


def request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or request_id_from(request.headers.get("x-request-id"))


def reject_too_large(scope: Scope, message: str) -> ASGIApp:
    """The 413 answer of the body-size limit, in the one error shape."""
    headers = dict(scope.get("headers") or [])
    raw = headers.get(b"x-request-id")
    return error_response(413, "too_large", message, request_id_from(raw.decode() if raw else None))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KBError)
    async def _kb_error(request: Request, exc: KBError) -> JSONResponse:
        status = next((code for cls, code in STATUS_BY_ERROR if isinstance(exc, cls)), 500)
        if status >= 500:
            log.error("request failed: %s", exc.code, extra={"fields": {"request_id": request_id(request)}})
        response = error_response(status, exc.code, exc.message, request_id(request))
        if isinstance(exc, RateLimitError):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

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
        return error_response(422, "invalid_input", message, request_id(request), details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        return error_response(
            exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail), request_id(request)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", extra={"fields": {"request_id": request_id(request)}})
        return error_response(500, "internal_error", "internal server error", request_id(request))
