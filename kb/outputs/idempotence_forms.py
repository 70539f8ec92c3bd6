"""A handler made idempotent on a key, read by its shape: a uniqueness constraint on the key (a
redelivered event cannot insert a second row), or a lookup by the key that returns before doing the
work again. A rule that consumers "must be idempotent on the order id" is followed by either, whatever
words of its incident ("buy", "second label") the change's code also says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs.code_words import code_only

# "idempotent on the order id", "idempotent by event id": the key's words.
_IDEMPOTENT_ON: Final = re.compile(
    r"\bidempotent\s+(?:on|by|per)\s+(?:the\s+|its\s+)?(\w+)(?:\s+(id|key))?\b", re.IGNORECASE
)
_UNIQUE: Final = re.compile(r"\bunique\b", re.IGNORECASE)
# A lookup that finds the work already done (`existsByOrderId(`, `countByOrderIdAndCourier(...) > 0`,
# `find_by(order_id:`, `SELECT 1 ... WHERE order_id =`) and a return or skip within the next lines.
_LOOKUP: Final = re.compile(r"\b(?:exists|count|find|get|select)\w*", re.IGNORECASE)
_RETURNS: Final = re.compile(r"^\s*(?:return\b|continue\b|next\b|ack\w*\(|\w+\.ack\w*\()", re.IGNORECASE)


def _key(statement: str) -> re.Pattern[str] | None:
    found = _IDEMPOTENT_ON.search(statement)
    if found is None:
        return None
    first, second = found.group(1), found.group(2)
    # `order_id`, `orderId`, `order-id`, `OrderId` (and the word alone where the rule names no id)
    spelled = rf"{first}[-_]?{second}" if second else first
    return re.compile(spelled, re.IGNORECASE)


def made_idempotent(statement: str, added: Iterable[str]) -> bool:
    """A rule that a handler be idempotent on a key, followed: an added uniqueness constraint naming
    the key, or an added lookup by the key followed by a return."""
    key = _key(statement)
    if key is None:
        return False
    code = [c for c in (code_only(line) for line in added) if c.strip()]
    for i, line in enumerate(code):
        if not key.search(line):
            continue
        if _UNIQUE.search(line):
            return True
        if _LOOKUP.search(line) and any(_RETURNS.search(x) for x in code[i + 1 : i + 4]):
            return True
    return False
