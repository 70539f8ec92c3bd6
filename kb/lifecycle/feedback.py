"""Feedback on lessons as ranking evidence: counted plainly for people, decayed and bounded for ranking.

A vote halves in weight every ``HALF_LIFE_DAYS`` (what helped a year ago says little about today).
Ranking multiplies a lesson's score by :func:`feedback_factor` of its decayed balance, which stays
within ``1 ± FEEDBACK_WEIGHT``: one "not helpful" moves a lesson by about 4% (it cannot bury it),
and no number of votes moves it by more than 15%.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Final

from kb.records import FeedbackCounts

HALF_LIFE_DAYS: Final = 90.0
FEEDBACK_WEIGHT: Final = 0.15
# Decayed votes that move the factor about three quarters of the way to its bound.
FEEDBACK_SCALE: Final = 4.0


def decayed_counts(votes: Iterable[tuple[int, bool, datetime]], now: datetime) -> dict[int, FeedbackCounts]:
    """Per lesson: plain vote counts and a balance in which a vote halves every half-life."""
    tallies: dict[int, list[float]] = {}
    for constraint_id, helpful, at in votes:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        age_days = max(0.0, (now - at).total_seconds() / 86_400)
        weight = math.pow(0.5, age_days / HALF_LIFE_DAYS)
        tally = tallies.setdefault(constraint_id, [0, 0, 0.0])
        tally[0 if helpful else 1] += 1
        tally[2] += weight if helpful else -weight
    return {cid: FeedbackCounts(int(h), int(n), round(b, 4)) for cid, (h, n, b) in tallies.items()}


def feedback_factor(balance: float) -> float:
    """The score multiplier of a decayed balance: 1 with no votes, bounded by 1 ± FEEDBACK_WEIGHT."""
    return 1.0 + FEEDBACK_WEIGHT * math.tanh(balance / FEEDBACK_SCALE)
