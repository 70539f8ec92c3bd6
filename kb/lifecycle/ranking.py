"""Lifecycle evidence in ranking: recurrence, staleness and feedback reorder a query's hits.

Applied after ranking, to the hits it returned (never pulling a lesson in from outside them), as
three bounded multipliers on the score, each said in ``why``:

- recurrence: a postmortem lesson stated in n documents gains ``RECURRENCE_STEP`` per extra
  document, at most ``RECURRENCE_CAP`` of them ("learned in 3 documents"; other kinds only say it);
- staleness: a lesson past its review date is multiplied by ``STALE_FACTOR`` ("stale since ...");
- feedback: ``kb.lifecycle.feedback.feedback_factor`` of its decayed vote balance (within ±15%).

The first two are evidence the ranking could weigh and act at ``evidence_share`` of their size
(``RankingWeights.lifecycle_share``): on the reciprocal-rank scale of the ranking's scores a few
percent is several places. Feedback is a person's own word about a lesson and acts in full.

Recurrence is evidence in severity too (:func:`effective_severity`): the hits carry the raised
severity, so prompt blocks and the CI gate weigh a lesson that incidents keep teaching as more
serious.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Final

from kb.lifecycle.feedback import feedback_factor
from kb.lifecycle.staleness import STALE_FACTOR, review_state
from kb.outputs.contract import source_dict
from kb.records import ConstraintRecord, DocumentRecord, FeedbackCounts
from kb.retrieval.results import QueryResult
from kb.vocab import PROPOSALS_SOURCE

RECURRENCE_STEP: Final = 0.05
RECURRENCE_CAP: Final = 4
# A postmortem lesson learned in this many incidents is one severity level more serious.
RECURRENCE_RAISES_SEVERITY: Final = 3
_LEVELS: Final = ("low", "medium", "high", "critical")


def effective_severity(constraint: ConstraintRecord, document: DocumentRecord) -> str:
    """The severity a lesson is shown and gated with: one level up when incidents keep teaching it
    (a postmortem lesson stated in ``RECURRENCE_RAISES_SEVERITY`` or more documents), unless a person
    set the severity."""
    severity = constraint.severity
    if (
        document.kind == "postmortem"
        and constraint.recurrence >= RECURRENCE_RAISES_SEVERITY
        and "severity" not in constraint.curated
        and severity in _LEVELS
    ):
        return _LEVELS[min(_LEVELS.index(severity) + 1, len(_LEVELS) - 1)]
    return severity


def recurrence_factor(recurrence: int) -> float:
    return 1.0 + RECURRENCE_STEP * min(max(recurrence - 1, 0), RECURRENCE_CAP)


def apply_lifecycle(
    result: QueryResult,
    feedback: dict[int, FeedbackCounts],
    *,
    policy: dict[str, int],
    repeats: dict[int, list[tuple[ConstraintRecord, DocumentRecord]]] | None = None,
    today: date | None = None,
    evidence_share: float = 1.0,
) -> QueryResult:
    """Scale each hit's score by its lifecycle evidence, note it in ``why``, and re-sort the hits
    (stable: equal scores keep ranking's order). ``repeats``: the lessons merged into each hit,
    cited as its other sources. ``evidence_share``: how much of the recurrence and staleness
    multipliers' departure from 1 applies (the ranking's ``lifecycle_share``)."""
    for hit in result.hits:
        factor = 1.0
        recurrence = hit.constraint.recurrence
        others = (repeats or {}).get(hit.id, [])
        if others:
            hit.sources = [source_dict(hit.constraint, hit.document)] + [source_dict(c, d) for c, d in others]
        if hit.constraint.status == "proposed" and hit.document.source == PROPOSALS_SOURCE:
            hit.why.append("proposed, not reviewed: advisory until a person accepts it")
        raised = effective_severity(hit.constraint, hit.document)
        if raised != hit.constraint.severity:
            hit.constraint = replace(hit.constraint, severity=raised)
            hit.why.append(f"severity raised to {raised}: learned in {recurrence} incidents")
        if recurrence > 1:
            # Evidence only when incidents repeat it: a step repeated across a family of runbooks is
            # boilerplate (52 alert runbooks end with "open a support case"), not importance.
            if hit.document.kind == "postmortem":
                factor *= 1.0 + evidence_share * (recurrence_factor(recurrence) - 1.0)
            hit.why.append(f"learned in {recurrence} documents")
        state = review_state(hit.constraint, hit.document, policy=policy, today=today)
        hit.review = state.to_dict()
        if state.stale and state.review_due is not None:
            factor *= 1.0 + evidence_share * (STALE_FACTOR - 1.0)
            hit.why.append(f"stale since {state.review_due.isoformat()} (review due)")
        counts = feedback.get(hit.id)
        if counts is not None and (counts.helpful or counts.not_helpful):
            factor *= feedback_factor(counts.balance)
            hit.why.append(f"feedback: {counts.helpful} helpful, {counts.not_helpful} not helpful")
        hit.score *= factor
    result.hits.sort(key=lambda h: -h.score)
    return result
