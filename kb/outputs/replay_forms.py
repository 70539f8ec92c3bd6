"""A payment request replayed with a key made anew: a capture that timed out may have succeeded, and
only the original idempotency key lets the processor answer it as the same request. A rule to replay
or retry "with the original (or the same) idempotency key" is broken by code that builds the key it
sends from a random id made on the spot (`"replay:" <> id <> ":" <> uuid.v4_string()`), in a loop
over failed requests or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from kb.outputs.retry_forms import code_without_comments, makes_fresh_id

# "... without their original idempotency key", "the same idempotency key on every attempt".
_ASKS_ORIGINAL_KEY: Final = re.compile(
    r"\b(?:replay|retr(?:y|ies|ied))\w*\b.*\b(?:original|same)\s+idempotency\s+key", re.IGNORECASE
)
# A name given the fresh id: `let key = ...`, `key := ...`, `String idemKey = ...`, `idempotency_key = ...`.
_KEY_BOUND: Final = re.compile(r"\b(\w*key\w*)\s*(?::=|=)(?!=)", re.IGNORECASE)
# Where the key goes: an idempotency key argument or header.
_SENT_AS_KEY: Final = re.compile(r"idempotency[-_]?key|Idempotency-Key|idempotencyKey", re.IGNORECASE)
_PAYMENT_CALL: Final = re.compile(
    r"\b(?:capture|charge|refund|payout|payment|deposit)\w*\s*\(", re.IGNORECASE
)

FRESH_KEY_REPLAY: Final = (
    "a failed payment capture replayed with a new idempotency key instead of the original"
)


def sends_fresh_key(added: Sequence[str]) -> list[str]:
    """The added lines that send a payment call an idempotency key made from a fresh random id (on
    the line itself, or through a name bound to one)."""
    code = code_without_comments(added)
    fresh = {m.group(1) for line in code if makes_fresh_id(line) for m in _KEY_BOUND.finditer(line)}
    out = []
    for line in code:
        if not (_SENT_AS_KEY.search(line) and _PAYMENT_CALL.search(line)):
            continue
        if makes_fresh_id(line) or any(re.search(rf"\b{re.escape(name)}\b", line) for name in fresh):
            out.append(line.strip())
    return out


def breaks_original_key(statement: str, added: Sequence[str]) -> list[str]:
    """A rule to replay or retry with the original idempotency key, broken by a fresh one."""
    return sends_fresh_key(added) if _ASKS_ORIGINAL_KEY.search(statement) else []
