"""A contributing factor told as it happened is left out when the document's own lessons or
actions already say what to do about it.

"Versioning was off for the exports bucket to save money" (a factor no rule rewrote, kept as told,
role ``told-factor``) says the same thing as the action "Enable versioning with 7-day non-current
retention on the exports bucket": the action is the lesson, the factor its reason. A factor that no
lesson or action covers stays, as the only record of what went wrong.
"""

from __future__ import annotations

import re
from typing import Final

from ingest.extract.candidate import Candidate

# the words of a statement, cut to five letters so "reviewed" meets "review" and "versioning" meets
# "version"
_CONTENT_WORD = re.compile(r"[a-z0-9]{3,}")
_FUNCTION_WORDS: Final = frozenset(
    _CONTENT_WORD.findall(
        "the and for with from was were are had has have did does not any all its this that their our "
        "they which when than then into out over per one two new old been being also only"
    )
)
COVERING_ROLES: Final = frozenset({"lesson", "action", "done"})
# the share of a factor's words one lesson or action must hold to cover it
COVERED_SHARE: Final = 0.5


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _CONTENT_WORD.findall(text.lower()) if w not in _FUNCTION_WORDS}


def drop_covered_factors(cands: list[Candidate], kind: str) -> list[Candidate]:
    """``cands`` without the factors told as they happened that a lesson or action covers."""
    if kind != "postmortem":
        return cands
    covering = [_stems(c.statement) for c in cands if c.role in COVERING_ROLES]

    def covered(c: Candidate) -> bool:
        words = _stems(c.statement)
        return bool(words) and any(len(words & w) >= COVERED_SHARE * len(words) for w in covering)

    return [c for c in cands if c.role != "told-factor" or not covered(c)]


__all__ = ["COVERED_SHARE", "drop_covered_factors"]
