"""How sure a ranked lesson is: ``strong``, ``possible`` or ``weak``.

The levels come from the query's own evidence, never from the fused score (it is a sum of reciprocal
ranks, not comparable across queries): the cosine similarity of the lesson to the query, how far
that similarity stands above every other candidate document's, whether a decisive lexical lead
(the body or passage match that puts a document first) names the lesson's document too, whether the
ranking put the lesson's document first, and a changed path the lesson's globs match.
docs/relevance.md ("## Confidence", "### Round ten" and "### Round twelve") has the measurements
behind each threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from kb.retrieval.results import Hit
    from kb.retrieval.search import RankingWeights


@dataclass(frozen=True, slots=True)
class ClosestDocuments:
    """The candidate document closest in meaning to the query and the runner-up's best similarity."""

    document_id: int | None
    closest: float
    runner_up: float

    @classmethod
    def among(cls, document_ids: np.ndarray, similarity: np.ndarray) -> ClosestDocuments:
        """From the candidates' document ids and similarities (aligned arrays)."""
        if not len(document_ids):
            return cls(None, 0.0, 0.0)
        top = int(np.argmax(similarity))
        document_id = int(document_ids[top])
        others = similarity[document_ids != document_id]
        runner_up = float(others.max()) if len(others) else 0.0
        return cls(document_id, max(float(similarity[top]), 0.0), max(runner_up, 0.0))

    def margin(self, document_id: int, similarity: float) -> float:
        """How far ``similarity`` (of a lesson of ``document_id``) stands above the best similarity
        of every other candidate document."""
        rival = self.runner_up if document_id == self.document_id else self.closest
        return similarity - rival


@dataclass(frozen=True, slots=True)
class LessonConfidence:
    """A lesson's level, and whether a ``strong`` rests on its meaning alone (no path evidence):
    such a lesson stays strong only as the first result (:func:`settle_first_result`)."""

    level: str
    by_meaning_alone: bool = False


def lesson_confidence(
    *,
    similarity: float,
    margin: float,
    path_match: bool,
    lexical_match: bool,
    w: RankingWeights,
    lexical_lead: bool = False,
) -> LessonConfidence:
    """A lesson's level. ``strong`` where a changed path matches its globs, or where the encoder
    finds its document about the same thing as the query (``strong_similarity``) and closer than
    any other candidate document: by ``strong_margin`` on meaning alone, by any margin where a
    decisive lexical lead (``lexical_lead``) names the same document. Where two documents are about
    equally close and the words do not settle it, the first result was relevant far less often
    (docs/relevance.md, rounds ten and twelve)."""
    if path_match and similarity >= w.possible_similarity:
        return LessonConfidence("strong")
    required_margin = 0.0 if lexical_lead else w.strong_margin
    if similarity >= w.strong_similarity and margin >= required_margin:
        return LessonConfidence("strong", by_meaning_alone=True)
    if similarity >= w.possible_similarity or (path_match and lexical_match):
        return LessonConfidence("possible")
    return LessonConfidence("weak")


def settle_first_result(hits: list[Hit]) -> None:
    """Keep a ``strong`` that rests on meaning alone only on the first hit's document, in the final
    order (after the lifecycle stage re-sorts): where the ranking puts another document first, the
    evidence disagrees, and one unanswerable task had its only strong result second (blind8)."""
    if not hits:
        return
    first = hits[0].document.id
    for hit in hits:
        if hit.confidence == "strong" and hit.strong_by_meaning_alone and hit.document.id != first:
            hit.confidence = "possible"
