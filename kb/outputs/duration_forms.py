"""A setting given a duration by a constructor rather than a number with a unit: Dart's
`Duration(seconds: 30)` (``dart_forms``), Java's, Groovy's and Kotlin's `Duration.ofMinutes(15)`,
`TimeUnit.SECONDS.toMillis(30)`, and Kotlin's `15.minutes`. The readers of a setting moved up or down
(a flush interval raised from 30 seconds to 15 minutes) compare the lengths in seconds.
"""

from __future__ import annotations

import re
from typing import Final

from kb.outputs import dart_forms

# `FLUSH_INTERVAL = Duration.ofSeconds(30)`, `Duration flushEvery = Duration.ofMinutes(15)`,
# `val interval = 15.minutes`, `timeoutMs = TimeUnit.SECONDS.toMillis(5)`: the name and the length.
_JVM_DURATION: Final = re.compile(
    r"([A-Za-z_][\w.]*)\s*[:=]\s*(?:java\.time\.)?(?:Duration\.of(Days|Hours|Minutes|Seconds|Millis)\(\s*(\d+(?:\.\d+)?)[lLdD]?\s*\)"
    r"|TimeUnit\.(DAYS|HOURS|MINUTES|SECONDS|MILLISECONDS)\.to\w+\(\s*(\d+(?:\.\d+)?)[lL]?\s*\)"
    r"|(\d+(?:\.\d+)?)\.(days|hours|minutes|seconds|milliseconds)\b)"
)
_UNIT_SECONDS: Final = {"days": 86400.0, "hours": 3600.0, "minutes": 60.0, "seconds": 1.0, "millis": 0.001}


def _unit(name: str) -> float:
    return _UNIT_SECONDS[name.lower().replace("milliseconds", "millis")]


def duration_settings(code: str) -> list[tuple[str, float]]:
    """The settings a line of code gives a duration, each with its length in seconds."""
    out = dart_forms.duration_settings(code)
    for found in _JVM_DURATION.finditer(code):
        name, of_unit, of_n, tu_unit, tu_n, kt_n, kt_unit = found.groups()
        if of_unit:
            out.append((name, float(of_n) * _unit(of_unit)))
        elif tu_unit:
            out.append((name, float(tu_n) * _unit(tu_unit)))
        else:
            out.append((name, float(kt_n) * _unit(kt_unit)))
    return out
