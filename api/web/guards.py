"""HTTP guards in front of the routes: the no-auth mode's Host and Origin checks, rate limits,
and refusing text no database keeps (lone surrogates, NUL) in JSON bodies before any route runs.

Pure ASGI middleware, so a refusal costs no thread and no database round trip. Limits are per
process: with ``kb serve --workers N`` a client gets up to N times the rate.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.observability import request_id_from
from kb.settings import Settings
from kb.validity import invalid_text

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Buckets kept per key and per address; the oldest are dropped first, so random keys sent by an
# attacker cannot grow memory without bound (a dropped bucket only forgets a past burst).
MAX_BUCKETS = 10_000


def is_literal_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback IP literal; "" (all interfaces), 0.0.0.0,
    :: and every other host name are not, whatever they resolve to."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str:
    """The host of a Host header or an Origin's authority, without the port."""
    if value.startswith("["):  # [::1]:8000
        return value[: value.find("]") + 1] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _reject(
    scope: Scope, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> ASGIApp:
    raw = dict(scope.get("headers") or []).get(b"x-request-id")
    request_id = request_id_from(raw.decode("latin-1") if raw else None)
    body = {"error": {"code": code, "message": message, "request_id": request_id}}
    return JSONResponse(body, status_code=status, headers={"X-Request-ID": request_id, **(headers or {})})


class LoopbackOnly:
    """For ``auth=False``: answer only Host headers naming the loopback (DNS rebinding), and
    refuse writes from another site's page (CSRF by a form or a text/plain fetch)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = _host_name(headers.get("host", "").strip().lower())
        if not is_literal_loopback(host):
            message = f"this server has no authentication and answers only to localhost, not {host!r}"
            await _reject(scope, 403, "forbidden_host", message)(scope, receive, send)
            return
        if scope.get("method", "GET") in UNSAFE_METHODS:
            origin = headers.get("origin")
            cross_site = headers.get("sec-fetch-site") == "cross-site"
            if origin is not None:
                authority = origin.split("://", 1)[-1].split("/", 1)[0].lower()
                cross_site = cross_site or origin == "null" or not is_literal_loopback(_host_name(authority))
            if cross_site:
                message = "a write from another site's page is refused (no-auth mode)"
                await _reject(scope, 403, "forbidden_origin", message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Token buckets by name: ``rate`` tokens a second, up to ``burst``; LRU-bounded."""

    def __init__(self, *, rate: float, burst: float, clock: Any = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, name: str, cost: float = 1.0) -> float:
        """Spend ``cost``; 0.0 when allowed, else the seconds until it would be."""
        now = self.clock()
        bucket = self.buckets.pop(name, None) or _Bucket(tokens=self.burst, updated=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self.buckets[name] = bucket
        while len(self.buckets) > MAX_BUCKETS:
            self.buckets.popitem(last=False)
        if bucket.tokens >= cost:
            bucket.tokens -= cost
            return 0.0
        return (cost - bucket.tokens) / self.rate

    def wait(self, name: str) -> float:
        """Seconds until one token is there, without spending it (0.0 when it is)."""
        bucket = self.buckets.get(name)
        if bucket is None:
            return 0.0
        tokens = min(self.burst, bucket.tokens + (self.clock() - bucket.updated) * self.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate


def _credential(headers: dict[str, str]) -> str | None:
    value = headers.get("authorization", "")
    token = value[7:].strip() if value.lower().startswith("bearer ") else headers.get("x-api-key")
    # Hashed: the table of buckets must not hold secrets.
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:32] if token else None


class RateLimit:
    """429 with Retry-After past ``rate`` requests a second per key and per client address (each
    with a burst of twice the rate), and past ``auth_failures`` wrong keys a minute per address.

    Every request counts before authentication, so wrong keys are limited like right ones; a
    401 also spends a token of the address's failure budget, which is what stops guessing.
    """

    def __init__(self, app: ASGIApp, *, rate: float, auth_failures: int) -> None:
        self.app = app
        self.per_key = TokenBuckets(rate=rate, burst=2 * rate)
        self.per_address = TokenBuckets(rate=rate, burst=2 * rate)
        self.failures = TokenBuckets(rate=auth_failures / 60.0, burst=float(auth_failures))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in ("/healthz", "/readyz", "/metrics"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        address = (scope.get("client") or ("unknown", 0))[0]
        key = _credential(headers)
        wait = self.failures.wait(address)  # this address spent its wrong-key budget
        if wait == 0.0:
            wait = self.per_address.take(address)
        if wait == 0.0 and key is not None:
            wait = self.per_key.take(key)
        if wait > 0.0:
            retry = max(1, math.ceil(wait))
            message = f"too many requests; retry in {retry} s"
            limited = _reject(scope, 429, "rate_limited", message, {"Retry-After": str(retry)})
            await limited(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                self.failures.take(address)
            await send(message)

        await self.app(scope, receive, watch)


class TextGuard:
    """Refuse a JSON body holding a lone surrogate or a NUL with 422, before any route runs.

    The store refuses such text too (kb/validity.py); this answers sooner and names the
    field for every JSON route, including ones that never reach the store (queries).
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        declared = headers.get(b"content-length", b"0")
        too_big = declared.isdigit() and int(declared) > self.limit  # the body limit answers 413
        if scope.get("method") not in UNSAFE_METHODS or content_type != b"application/json" or too_big:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            seen += len(chunk)
            chunks.append(chunk)
            if seen > self.limit or not message.get("more_body", False):
                break  # over the limit: the body limit's own check answers 413
        body = b"".join(chunks)
        reason = _json_problem(body) if seen <= self.limit else None
        if reason is not None:
            await _reject(scope, 422, "invalid_input", reason)(scope, receive, send)
            return
        replayed = False
        more = seen > self.limit

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": more}
            return await receive()

        await self.app(scope, replay, send)


def _json_problem(body: bytes) -> str | None:
    # "\u0000" and "\ud800" are plain ASCII in JSON text: decode only when an escape is present.
    if b"\\u" not in body and b"\x00" not in body:
        return None
    try:
        value = json.loads(body)
    except ValueError:
        return None  # not JSON: the route's own validation says so
    return _find(value, "body")


def _find(value: Any, where: str) -> str | None:
    if isinstance(value, dict):
        for key, item in value.items():
            found = _find(key, where) or _find(item, f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _find(item, f"{where}[{i}]")
            if found:
                return found
        return None
    reason = invalid_text(value)
    return f"{where}: contains {reason}; remove it and try again" if reason else None


def install_guards(app: Any, settings: Settings, *, auth: bool) -> None:
    """Add the guards to a FastAPI app (outermost last): text, rate limits, then loopback checks."""
    app.add_middleware(TextGuard, limit=settings.max_request_bytes)
    # Without keys there is one local user and nothing to guess: limits would only slow it.
    if auth and settings.rate_limit > 0:
        app.add_middleware(RateLimit, rate=settings.rate_limit, auth_failures=settings.auth_failure_limit)
    if not auth:
        app.add_middleware(LoopbackOnly)
