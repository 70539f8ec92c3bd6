"""Routes a server declares: `router.post('/lessons/<id>/cancel', cancel)` says which requests the
service answers, not a request it sends. A rule about sending POSTs ("Never retry a non-idempotent
POST on timeout") is not broken by a route's method.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# A route's method and path, on a router: shelf_router's cascade (`..post('/<id>/cancel', cancel)`),
# Express, Fastify, Flask, Gin, Echo, chi (`router.POST("/x", h)`, `app.post('/x', ...)`, `r.Post("/x",
# h)`). The path starts with `/` (or a shelf `<param>`). A client's call with a relative path
# (`client.post('/v1/payouts', ...)`) is a request sent, and is not read here.
_ROUTE_CALL: Final = re.compile(
    r"(^\s*\.\.|\b(?:router|app|routes|r|e|g|group|server)\.)(?:post|put|patch|delete|POST|PUT|PATCH|DELETE|Post|Put|Patch|Delete)"
    r"(?=\s*\(\s*['\"][/<])"
)
# Giraffe's method filter composed with a route: `POST >=> route "/bookings" >=> handler`.
_ROUTE_FILTER: Final = re.compile(r"\b(?:POST|PUT|PATCH|DELETE)(?=\s*>=>)")


def without_route_methods(lines: Iterable[str]) -> list[str]:
    """``lines`` with the method of each route they declare taken out (the path and handler kept)."""
    return [_ROUTE_FILTER.sub("route", _ROUTE_CALL.sub(r"\1route", line)) for line in lines]
