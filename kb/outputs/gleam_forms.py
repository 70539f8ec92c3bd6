"""Gleam code read as the gate reads other languages (wisp, mist, gleam_httpc, pog, youid). The
gate's readers know a boolean as `true` in the C family and Erlang, an outbound HTTP call by the
clients of earlier languages and a fresh id by the UUID makers they name; these forms give the ones
Gleam writes, where a boolean is a constructor (`True`) and a module's function is called with a dot.
"""

from __future__ import annotations

import re
from typing import Final

_GLEAM_PATH: Final = re.compile(r"\.gleam$")

# Gleam's booleans are the constructors `True` and `False`: read as the `true` / `false` a case
# branch returns in Erlang, which the readers know (`[] -> True` is Erlang's `[] -> true`). Only the
# bare constructor: `TrueColour` or a string's "True" is not one.
_BOOLEAN: Final = re.compile(r"(?<![\w\"'.])(True|False)(?![\w\"'(])")

# An outbound HTTP call: gleam_httpc's `httpc.send(req)` / `httpc.dispatch(config, req)`, the
# JavaScript target's `fetch.send(req)`, gleam_hackney's `hackney.send(req)`.
HTTP_CALL: Final = re.compile(r"(?<![\w.])(?:httpc|hackney|fetch)\.(?:send|dispatch|send_bits)\s*\(")

# A fresh id made on the spot: youid's `uuid.v4()`, `uuid.v4_string()`, `uuid.v7_string()`.
FRESH_ID: Final = re.compile(r"(?<![\w.])uuid\.v[47](?:_string)?\(")

# A case branch that rejects the value it matched: an `Error(...)` result or a decoder's failure
# (`[] -> decode.failure(rule, "non-empty sizes")`), on the branch's line or the next.
REJECTS: Final = r"^\s*(?:\[\s*\]\s*->\s*)?(?:Error\s*\(|[\w.]*\.failure\s*\()"


def is_gleam_path(path: str) -> bool:
    return bool(_GLEAM_PATH.search(path))


def as_code(lines: list[str]) -> list[str]:
    """A Gleam file's lines as the readers read them: `True` and `False` as `true` and `false`."""
    return [_BOOLEAN.sub(lambda m: m.group(1).lower(), line) for line in lines]
