"""Lines that refuse something: an error thrown or raised with a message says what the code will not
accept ("card numbers are not accepted"), so the message's words are not what the code does. A
negative rule ("Do not store full card numbers") is followed by such a line, not broken by it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# An error thrown, raised or returned as a refusal: `throw ArgumentError('...')`, `raise
# ValueError("...")`, `panic("...")`, `return Response.badRequest(body: '...')`, `failwith "..."`,
# `invalidArg "token" "..."`.
_REFUSAL: Final = re.compile(
    r"\b(?:throw|raise|panic!?|failwith|failwithf|invalidArg|invalidOp)\b"
    r"|\breturn\s+[\w.]*(?:badRequest|BadRequest|unprocessable|Unprocessable|forbidden|Forbidden)\b"
)
# A string literal (single, double or backtick quoted).
_STRING: Final = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`")


def without_refusal_messages(lines: Iterable[str]) -> list[str]:
    """``lines`` with the string literals of refusing lines taken out (the error's own name and the
    test before it are kept)."""
    return [_STRING.sub('""', line) if _REFUSAL.search(line) else line for line in lines]
