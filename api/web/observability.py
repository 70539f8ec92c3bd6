"""Request ids, JSON-lines access logs, Prometheus metrics and the request body limit.

Logs never carry query text, document bodies or keys: only method, route template, status,
duration, request id and the caller's team.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The logger and metric names keep the product's first name (Hindsight): log pipelines, dashboards
# and alerts select on them, and a rename would silently empty them.
access_log = logging.getLogger("hindsight.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class Metrics:
    """The service's Prometheus metrics, in a registry of its own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hindsight_http_requests_total",
            "HTTP requests by route template, method and status code.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "hindsight_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ["route", "method"],
            registry=self.registry,
        )
        self.query_latency = Histogram(
            "hindsight_query_duration_seconds",
            "Time to answer one query (parse, embed, search, rank).",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.index_size = Gauge(
            "hindsight_index_vectors", "Vectors in the loaded FAISS index.", registry=self.registry
        )
        self.ingested = Counter(
            "hindsight_ingested_files_total",
            "Documents seen by ingest, by outcome.",
            ["status"],
            registry=self.registry,
        )


def request_id_from(header: str | None) -> str:
    if header and _REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    return str(getattr(route, "path", "unmatched"))


def observe(metrics: Metrics) -> Callable[[Any, Callable[[Any], Awaitable[Any]]], Awaitable[Any]]:
    """An HTTP middleware: request id in and out, metrics, one access-log line per request."""

    async def middleware(request: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
        request_id = request_id_from(request.headers.get("x-request-id"))
        request.state.request_id = request_id
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers["X-Request-ID"] = request_id
            return response
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(request.scope)
            metrics.requests.labels(route, request.method, str(status)).inc()
            metrics.latency.labels(route, request.method).observe(elapsed)
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "request_id": request_id,
                        "method": request.method,
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                        "team": getattr(request.state, "team", None),
                    }
                },
            )

    return middleware


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, *, limit: int, reject: Callable[[Scope, str], ASGIApp]) -> None:
        self.app = app
        self.limit = limit
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        too_big = f"request body over the {self.limit:,}-byte limit"
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.reject(scope, too_big)(scope, receive, send)
            return
        if declared is None:
            # A chunked body (no Content-Length) is read here, up to the limit, before the app
            # sees it: raised from inside the app's receive, the refusal crossed the HTTP
            # middleware as an exception group and answered 500 instead of 413.
            body, complete = await _read_at_most(receive, self.limit)
            if body is None:
                if complete:  # over the limit; a disconnected client gets no answer
                    await self.reject(scope, too_big)(scope, receive, send)
                return
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge(too_big)
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge as exc:
            await self.reject(scope, str(exc))(scope, receive, send)


async def _read_at_most(receive: Receive, limit: int) -> tuple[bytes | None, bool]:
    """(the whole body, True) when it fits ``limit``; (None, True) when it does not; (None, False)
    when the client went away first."""
    chunks: list[bytes] = []
    seen = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None, False
        chunk = message.get("body", b"")
        seen += len(chunk)
        if seen > limit:
            return None, True
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


class _BodyTooLarge(Exception):
    pass
