"""Liveness probes pointed at an endpoint of their own: `livenessProbe: httpGet: path: /livez` checks
that the process runs, whatever the `/readyz` beside it asks of the database. A rule against making
liveness depend on databases is followed by such a probe, though the change's words (a readiness
handler that opens a connection, in the same file) read as "liveness", "probe" and "database".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from kb.outputs.code_words import code_only
from kb.outputs.signatures import code_stems
from kb.text import stem

_LIVENESS_KEY: Final = re.compile(r"^\s*-?\s*liveness\w*\s*:", re.IGNORECASE)
# A probe's path (or a command's), in a manifest or a chart's values.
_PATH: Final = re.compile(r"^\s*-?\s*path\s*:\s*[\"']?(/[\w/.-]*)")
# Endpoints that answer for the process alone: `/livez`, `/live`, `/liveness`, `/healthz/live`,
# `/ping`, `/heartbeat`, Spring Boot's `/actuator/health/liveness`.
_OWN_ENDPOINT: Final = re.compile(r"/(?:livez|live|liveness|ping|heartbeat)/?$", re.IGNORECASE)
_ABOUT_DEPENDENCIES: Final = frozenset(
    stem(w) for w in ("database", "databases", "dependency", "dependencies", "downstream", "depend")
)


def liveness_paths(added: Sequence[str]) -> list[str]:
    """The paths the added liveness probes check (the first path within five lines under the key)."""
    code = [code_only(line) for line in added]
    out = []
    for i, line in enumerate(code):
        if _LIVENESS_KEY.match(line):
            found = next((m for x in code[i + 1 : i + 6] if (m := _PATH.match(x))), None)
            if found:
                out.append(found.group(1))
    return out


def spares_own_liveness(statement: str, added: Sequence[str]) -> bool:
    """A rule against liveness that depends on databases or downstream services, followed: every
    liveness probe the change adds checks an endpoint that answers for the process alone."""
    words = code_stems(statement)
    if stem("liveness") not in words or not words & _ABOUT_DEPENDENCIES:
        return False
    paths = liveness_paths(added)
    return bool(paths) and all(_OWN_ENDPOINT.search(path) for path in paths)
