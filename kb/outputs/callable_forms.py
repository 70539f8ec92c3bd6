"""A callable named like the data a lesson is about: a Groovy closure parameter `Closure<T> body`, a
Kotlin or Swift `body: () -> T`, a Ruby block `&body`, a Java `Supplier<T> body`. Calling it
(`body.call()`, `body()`) runs a block of code; it reads no request's body, so a rule against
logging bodies is not broken by its name.
"""

from __future__ import annotations

import re
from typing import Final

# The name of a parameter or variable declared as a callable.
_CALLABLE: Final = re.compile(
    r"\b(?:Closure|Runnable|Callable|Supplier|Function|Consumer|Action|Func)\s*(?:<[^>]*>)?\s+(\w+)\b"
    r"|\b(\w+)\s*:\s*(?:suspend\s+|@escaping\s+)?\([^)]*\)\s*(?:async\s+)?(?:throws\s+)?->"
    r"|&(\w+)\s*[)|]"
)
# Only the names the lessons' words stand for: a callable named `retry` still says retry.
_DATA_NAMES: Final = frozenset({"body", "payload"})


def without_callable_bodies(lines: list[str]) -> list[str]:
    """The lines with each callable named `body` or `payload` (declared in them) named `block`."""
    names = {n for line in lines for found in _CALLABLE.finditer(line) for n in found.groups() if n}
    named = sorted(names & _DATA_NAMES)
    if not named:
        return lines
    pattern = re.compile(rf"\b(?:{'|'.join(named)})\b")
    return [pattern.sub("block", line) for line in lines]
