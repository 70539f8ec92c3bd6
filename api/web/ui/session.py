"""Who is looking at a page: the signed session cookie, the CSRF token, and the caller's key.

The cookie holds a random session nonce and, once signed in, the key's id and team (never the
key's secret), signed and timestamped with itsdangerous. Every request checks the key again by
id, so a revoked key signs its sessions out at once. ``Authorization: Bearer`` works as on the
API, for scripts. A POST form carries a CSRF token: an HMAC of the session nonce (of the bearer
key for scripts), compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from api.web.deps import principal as bearer_principal
from kb.auth import LOCAL_PRINCIPAL, Principal
from kb.errors import AuthError, ForbiddenError, KBError
from kb.service import KnowledgeBase
from kb.settings import Settings

COOKIE = "forewarn_session"
MAX_AGE = 8 * 3600  # a working day; the key itself stays valid, the browser signs in again


class SignInRequired(AuthError):
    """No key: an HTML page redirects to the sign-in form, anything else answers 401."""

    code = "unauthorized"


class CSRFError(ForbiddenError):
    """A POST without the form's token, or with a wrong one (403)."""

    code = "csrf_failed"


def load_secret(settings: Settings) -> bytes:
    """The signing secret: ``KB_UI_SECRET`` when set, else a random one kept in the data
    directory (0600), made once and shared by every worker on this machine."""
    if settings.ui_secret:
        return settings.ui_secret.encode()
    home = Path(settings.home)
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = home / "ui-secret"
    if not path.exists():
        # Written whole under a private name, then linked into place: a worker starting at the
        # same moment reads either no file or the complete secret, never half of one.
        temporary = home / f".ui-secret.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_urlsafe(48).encode())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another worker won: use its secret
        finally:
            temporary.unlink()
    return path.read_bytes().strip()


@dataclass(frozen=True, slots=True)
class Sessions:
    """Signs and reads session cookies with one secret."""

    secret: bytes

    @property
    def serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="hindsight-ui-session")

    def read(self, request: Request) -> dict[str, Any]:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return {}
        try:
            data = self.serializer.loads(raw, max_age=MAX_AGE)
        except BadSignature:  # includes an expired signature
            return {}
        return data if isinstance(data, dict) and isinstance(data.get("n"), str) else {}

    def write(self, response: Response, data: dict[str, Any], *, https: bool) -> None:
        response.set_cookie(
            COOKIE,
            self.serializer.dumps(data),
            max_age=MAX_AGE,
            path="/",
            httponly=True,
            samesite="strict",
            secure=https,  # Secure behind HTTPS; plain http on the loopback must still work
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")

    def csrf_token(self, nonce: str) -> str:
        return hmac.new(self.secret, f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def sessions(request: Request) -> Sessions:
    found: Sessions = request.app.state.ui_sessions
    return found


def session(request: Request) -> dict[str, Any]:
    """This request's session, made (and set on the response by ``render``) when there is none."""
    cached = getattr(request.state, "ui_session", None)
    if cached is not None:
        return dict(cached)
    data = sessions(request).read(request)
    if not data:
        data = {"n": secrets.token_urlsafe(24)}
        request.state.ui_set_cookie = data
    request.state.ui_session = data
    return dict(data)


def _bearer(request: Request) -> bool:
    header = request.headers.get("authorization", "")
    return header.lower().startswith("bearer ") or "x-api-key" in request.headers


def csrf_token(request: Request) -> str:
    if _bearer(request):
        token = request.headers.get("authorization", "")[7:].strip() or request.headers.get("x-api-key", "")
        return sessions(request).csrf_token("bearer:" + hashlib.sha256(token.encode()).hexdigest())
    return sessions(request).csrf_token(session(request)["n"])


def check_csrf(request: Request, submitted: object) -> None:
    """Refuse a POST whose form token is missing or wrong (403)."""
    if not isinstance(submitted, str) or not hmac.compare_digest(submitted, csrf_token(request)):
        raise CSRFError("the form's security token is missing or wrong: reload the page and try again")


def principal_from_session(kb: KnowledgeBase, data: dict[str, Any]) -> Principal | None:
    key_id, team = data.get("key"), data.get("team")
    if not isinstance(key_id, int) or not isinstance(team, str):
        return None
    for key in kb.list_keys(team=team):
        if key.id == key_id and key.revoked_at is None:
            return Principal(team=key.team, role=key.role, key_id=key.id)
    return None


def current_user(request: Request) -> Principal:
    """The caller: the local user without auth, a bearer key, or the signed-in session's key."""
    state = request.app.state
    if not state.auth:
        return LOCAL_PRINCIPAL
    if _bearer(request):
        return bearer_principal(request)  # 401 for a wrong key, as on the API
    found = principal_from_session(state.kb, session(request))
    if found is None:
        raise SignInRequired("sign in with an API key")
    request.state.team = found.team
    return found


def maybe_user(request: Request) -> Principal | None:
    try:
        return current_user(request)
    except KBError:
        return None
