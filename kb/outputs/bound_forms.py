"""A positive rule that bounds a setting ("Set liveness timeoutSeconds to at least 5 and
failureThreshold to at least 6"), broken by a change that gives the setting a value outside the bound
(`timeoutSeconds: 1`). The rule's words are all in such a change ("timeout", "seconds", "failure",
"threshold"), which reads as following it; the number does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs.code_words import code_only

# "timeoutSeconds to at least 5", "`failureThreshold` of at least 6", "max_connections to at most 100",
# "timeout no more than 5".
_BOUND: Final = re.compile(
    r"`?([A-Za-z_][\w.]*)`?\s+(?:to\s+|of\s+)?(at\s+least|no\s+less\s+than|at\s+most|no\s+more\s+than)\s+(\d+(?:\.\d+)?)"
    r"(?:\s+(seconds?|s|ms|milliseconds?|minutes?|hours?|[kmg]b|bytes)\b)?",
    re.IGNORECASE,
)
# A name that says its own unit (`timeoutSeconds`, `lock_timeout_ms`): its value is in that unit.
_UNIT_IN_NAME: Final = re.compile(
    r"(?:seconds|secs|millis|ms|minutes|mins|hours|bytes|mb|gb)$", re.IGNORECASE
)
_LOWER: Final = ("at least", "no less than")
# The probe a setting belongs to, in a manifest: the nearest key above it that names one.
_PROBE_KEY: Final = re.compile(r"^\s*-?\s*(liveness|readiness|startup)Probe\s*:", re.IGNORECASE)
_PROBES: Final = ("liveness", "readiness", "startup")
_ABOVE: Final = 12


def _bounds(statement: str) -> dict[str, tuple[bool, float]]:
    """Each bounded setting the rule names, by lower-case name: (is a lower bound, the bound)."""
    out = {}
    for found in _BOUND.finditer(statement):
        name = found.group(1).lower()
        if not re.search(r"[A-Z_]", found.group(1)) and name not in ("timeout", "replicas", "retries"):
            continue  # a setting is spelled as code (`timeoutSeconds`, `max_connections`), not a plain word
        if found.group(4) and not _UNIT_IN_NAME.search(found.group(1)):
            continue  # "lock_timeout of at most 5 seconds": a bare `lock_timeout: 5000` may be in ms
        kind = " ".join(found.group(2).lower().split())
        out[name] = (kind in _LOWER, float(found.group(3)))
    return out


_SETTING: Final = re.compile(
    r"^\s*-?\s*[\"']?([A-Za-z_][\w.]*)[\"']?\s*[:=]\s*[\"']?(\d+(?:\.\d+)?)[\"']?\s*,?\s*$"
)


def _values(lines: Iterable[str]) -> dict[str, float]:
    return {m.group(1).lower(): float(m.group(2)) for line in lines if (m := _SETTING.match(code_only(line)))}


def sets_outside_bound(statement: str, added: Iterable[str], removed: Iterable[str] = ()) -> list[str]:
    """The added lines that give a setting the rule bounds a value outside its bound; where the rule
    names a probe ("liveness timeoutSeconds"), only settings under that probe's key."""
    bounds = _bounds(statement)
    if not bounds:
        return []
    probe = next((p for p in _PROBES if re.search(rf"\b{p}\b", statement, re.IGNORECASE)), None)
    code = [code_only(line) for line in added]
    found = []
    for i, line in enumerate(code):
        setting = re.match(
            r"^\s*-?\s*[\"']?([A-Za-z_][\w.]*)[\"']?\s*[:=]\s*[\"']?(\d+(?:\.\d+)?)[\"']?\s*,?\s*$", line
        )
        if setting is None or setting.group(1).lower() not in bounds:
            continue
        if probe is not None:
            above = next(
                (m for x in reversed(code[max(0, i - _ABOVE) : i]) if (m := _PROBE_KEY.match(x))), None
            )
            if above is not None and above.group(1).lower() != probe:
                continue
        lower, bound = bounds[setting.group(1).lower()]
        value = float(setting.group(2))
        was = _values(removed).get(setting.group(1).lower())
        if was is not None and (value >= was if lower else value <= was):
            continue  # moved toward the bound from a value already past it (2 s made 3 s): not worse
        if (lower and value < bound) or (not lower and value > bound):
            found.append(line.strip())
    return found
