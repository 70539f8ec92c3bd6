"""Pages out: the Jinja2 environment (autoescaped), security headers, and HTML error pages.

``UIRoute`` turns the library's errors into pages for a browser (a sign-in redirect for a
missing key, a 404 page for an unknown or another team's id) and keeps the API's JSON error
shape for anything that does not ask for HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.web.errors import STATUS_BY_ERROR, error_response, request_id
from api.web.ui import session as sessions
from kb.auth import Principal
from kb.errors import AuthError, KBError

HERE = Path(__file__).resolve().parent
# Pages run no inline script and load nothing from another origin; document HTML is sanitized
# too, this is the second lock on that door.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlquote"] = lambda value: quote(str(value), safe="")
    env.filters["when"] = when
    return env


def when(value: Any) -> str:
    """A moment to the minute, UTC, whether a datetime or the contract's ISO text."""
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d %H:%M"))
    return str(value or "")[:16].replace("T", " ")


def secure_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def finish(request: Request, response: Response) -> Response:
    """Security headers, and the session cookie when this request made a new session."""
    new = getattr(request.state, "ui_set_cookie", None)
    if new is not None:
        sessions.sessions(request).write(response, new, https=request.url.scheme == "https")
    return secure_headers(response)


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    user: Principal | None = None,
    status: int = 200,
) -> Response:
    """Render ``template`` with the caller, the CSRF token and the current path."""
    values = {
        "request": request,
        "user": user,
        "auth": request.app.state.auth,
        "csrf": sessions.csrf_token(request),
        "path": request.url.path,
        "is_writer": user is not None and user.allows("writer"),
        **context,
    }
    html = environment().get_template(template).render(values)
    return finish(request, HTMLResponse(html, status_code=status))


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _status(exc: KBError) -> int:
    return next((code for cls, code in STATUS_BY_ERROR if isinstance(exc, cls)), 500)


def error_page(request: Request, status: int, message: str) -> Response:
    if not wants_html(request):
        code = {404: "not_found", 403: "forbidden", 422: "invalid_input"}.get(status, "error")
        return secure_headers(error_response(status, code, message, request_id(request)))
    titles = {403: "Not allowed", 404: "Not found", 409: "Busy", 422: "Not understood"}
    user = sessions.maybe_user(request)
    context = {"title": titles.get(status, "Something went wrong"), "message": message}
    return page(request, "error.html", context, user=user, status=status)


def sign_in_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return finish(request, RedirectResponse(f"/ui/sign-in?next={quote(target, safe='')}", status_code=303))


class UIRoute(APIRoute):
    """A route whose errors become pages for browsers and the API's error JSON for scripts."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def wrapped(request: Request) -> Response:
            try:
                return await handler(request)
            except sessions.SignInRequired as exc:
                if wants_html(request):
                    return sign_in_redirect(request)
                return secure_headers(error_response(401, exc.code, exc.message, request_id(request)))
            except AuthError as exc:  # a wrong bearer key: scripts get the API's answer
                return secure_headers(error_response(401, exc.code, exc.message, request_id(request)))
            except KBError as exc:
                return error_page(request, _status(exc), exc.message)
            except RequestValidationError as exc:
                # An id out of range or not a number is an id that does not exist.
                if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
                    return error_page(request, 404, "there is no such page")
                return error_page(request, 422, "the form is incomplete or not valid")

        return wrapped
