"""When a lesson is due for review, and whether it is overdue (stale).

A document can say it itself, in the front matter teams use: a review-by date (``review_by``,
``next_review``, ``review_date``, ``expires``), or when it was last reviewed and how often it must
be (``last_reviewed_on`` + ``review_in``: "6 months", "1 year", "90 days", "2 weeks"). A document
that says neither follows the policy of its kind (``KB_REVIEW_POLICY``; by default runbooks are
reviewed yearly, postmortems and ADRs are records of their time and never due). A person's review
or positive feedback confirms a lesson (``last_confirmed``): the interval counts from then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from kb.records import ConstraintRecord, DocumentRecord

DEFAULT_REVIEW_POLICY: Final = {"runbook": 365, "postmortem": 0, "adr": 0}
REVIEW_BY_KEYS: Final = (
    "review_by",
    "review_due",
    "next_review",
    "next_review_on",
    "next_review_date",
    "review_date",
    "expires",
    "expires_on",
    "expiry",
    "expiry_date",
)
LAST_REVIEWED_KEYS: Final = (
    "last_reviewed_on",
    "last_reviewed",
    "last_review",
    "reviewed_on",
    "reviewed",
    "last_verified",
    "verified_on",
)
INTERVAL_KEYS: Final = ("review_in", "review_interval", "review_every", "review_frequency")
# Every front-matter key the review date is read from: the parser keeps them in the document's
# metadata.
REVIEW_KEYS: Final = (*REVIEW_BY_KEYS, *LAST_REVIEWED_KEYS, *INTERVAL_KEYS)
# Stale lessons rank a little lower (a multiplier on their score).
STALE_FACTOR: Final = 0.9

_INTERVAL = re.compile(r"^\s*(\d{1,4})\s*(day|week|month|year)s?\s*$", re.IGNORECASE)
_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


@dataclass(frozen=True, slots=True)
class ReviewState:
    """A lesson's review date and whether it has passed."""

    review_due: date | None
    stale: bool
    basis: str  # what the date comes from, for people: "front matter", "runbook policy", ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_due": self.review_due.isoformat() if self.review_due else None,
            "stale": self.stale,
        }


def parse_interval(value: Any) -> timedelta | None:
    """'6 months' -> 180 days; a bare number is days; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return timedelta(days=value)
    match = _INTERVAL.match(str(value)) if isinstance(value, str) else None
    if match is None:
        return None
    return timedelta(days=int(match.group(1)) * _DAYS[match.group(2).lower()])


def parse_day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _first(meta: dict[str, Any], keys: tuple[str, ...], parse: Any) -> Any:
    for key in keys:
        value = parse(meta.get(key))
        if value is not None:
            return value
    return None


def review_state(
    constraint: ConstraintRecord,
    document: DocumentRecord,
    *,
    policy: dict[str, int] | None = None,
    today: date | None = None,
) -> ReviewState:
    """The review date of ``constraint`` and whether it is overdue on ``today``."""
    policy = DEFAULT_REVIEW_POLICY if policy is None else policy
    today = today or datetime.now(UTC).date()
    meta = document.meta or {}
    confirmed = constraint.last_confirmed.date() if constraint.last_confirmed else None
    interval = _first(meta, INTERVAL_KEYS, parse_interval)
    days = policy.get(document.kind, 0)
    default_interval = timedelta(days=days) if days > 0 else None

    review_by = _first(meta, REVIEW_BY_KEYS, parse_day)
    if review_by is not None and (confirmed is None or confirmed < review_by):
        return ReviewState(review_by, review_by < today, "front matter")
    reviewed = _first(meta, LAST_REVIEWED_KEYS, parse_day)
    every = interval or default_interval
    if reviewed is not None and every is not None:
        base = max(reviewed, confirmed) if confirmed else reviewed
        due = base + every
        return ReviewState(due, due < today, "front matter" if interval else f"{document.kind} policy")
    if default_interval is None:
        return ReviewState(None, False, "never due")
    # From the document's own date when it has one (a runbook dated 2019 is due from 2019, not from
    # the day it was ingested), or the last confirmation if later; else from when it was stored.
    known = [d for d in (confirmed, parse_day(document.date)) if d is not None]
    base = max(known) if known else constraint.created_at.date()
    due = base + default_interval
    return ReviewState(due, due < today, f"{document.kind} policy")


def parse_policy(value: Any) -> dict[str, int]:
    """``KB_REVIEW_POLICY``: a JSON object of days per kind, e.g. {"runbook": 180}; 0 = never due."""
    import json

    items = json.loads(value) if isinstance(value, str) else dict(value)
    if not isinstance(items, dict):
        raise ValueError('must be a JSON object {"kind": days}')
    out = dict(DEFAULT_REVIEW_POLICY)
    for kind, days in items.items():
        if kind not in DEFAULT_REVIEW_POLICY:
            raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(DEFAULT_REVIEW_POLICY)}")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValueError(f"days for {kind!r} must be a whole number of at least 0, got {days!r}")
        out[str(kind)] = days
    return out
