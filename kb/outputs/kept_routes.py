"""Routes a change keeps: a route declared on a removed line and again, with the same method and path,
on an added one (`group.MapGet("/{reference}", Handlers.GetAsync)` given a summary and response
types, a handler renamed) is the same route, not one the change adds. A lesson whose cause is a
route with a path parameter ("adds `GET /v2/shipments/{id}`") is about a route that starts to
answer, so only a new method and path counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final

# The first quoted path on a line: the route's own template (`"/{reference}"`, `'/orders/:id'`).
_PATH: Final = re.compile(r"[\"'`](/[^\"'`\s]*)[\"'`]")


def _routes(lines: Iterable[str], marker: Callable[[str], frozenset[str]]) -> set[tuple[str, str]]:
    """Each route with a path parameter the lines declare, as its marker and quoted path; a route
    whose path is not quoted counts by its whole line (stripped), so it is kept only if unchanged."""
    out = set()
    for line in lines:
        for word in marker(line):
            path = _PATH.search(line)
            out.add((word, path.group(1) if path else line.strip().rstrip(";")))
    return out


def adds_no_route(
    added: Iterable[str], removed: Iterable[str], marker: Callable[[str], frozenset[str]]
) -> bool:
    """Every route with a path parameter the added lines declare (``marker``: its method's marker
    word) was declared by a removed line with the same method and path."""
    new = _routes(added, marker)
    return bool(new) and new <= _routes(removed, marker)
