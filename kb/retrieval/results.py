"""What a query answers: scored ids from ranking, and the hits the facade builds from them.

Ranking (``kb.retrieval.search``) works on catalog columns and returns :class:`Scored` ids with
their evidence; the facade reads the records of those ids once and pairs them into :class:`Hit`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kb.outputs.contract import constraint_dict
from kb.records import ConstraintRecord, DocumentRecord


@dataclass(frozen=True, slots=True)
class Scored:
    """One ranked lesson id with its score, confidence and the evidence that ranked it."""

    id: int
    score: float
    confidence: str
    why: list[str]
    similarity: float


@dataclass(frozen=True, slots=True)
class Ranking:
    """Ranking's answer: the scored ids, best first, and what the query was."""

    task: str | None
    diff_files: list[str]
    scored: list[Scored] = field(default_factory=list)


@dataclass(slots=True)
class Hit:
    id: int
    score: float
    confidence: str
    why: list[str]
    similarity: float
    constraint: ConstraintRecord
    document: DocumentRecord
    # review_due / stale, set by the lifecycle stage (kb.lifecycle.ranking)
    review: dict[str, Any] = field(default_factory=dict)
    # Every document stating this lesson, its own first, when it was learned more than once.
    sources: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        record = constraint_dict(self.constraint, self.document)
        record.update(self.review)
        if self.sources:
            record["sources"] = list(self.sources)
        record["score"] = round(self.score, 6)
        record["confidence"] = self.confidence
        record["similarity"] = round(self.similarity, 4)
        record["why"] = list(self.why)
        return record


@dataclass(slots=True)
class QueryResult:
    task: str | None
    diff_files: list[str]
    hits: list[Hit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": {"task": self.task, "diff_files": list(self.diff_files)},
            "results": [hit.to_dict() for hit in self.hits],
        }


def pair(ranking: Ranking, records: dict[int, tuple[ConstraintRecord, DocumentRecord]]) -> QueryResult:
    """The hits of ``ranking`` whose records were read (a lesson deleted meanwhile drops out)."""
    result = QueryResult(task=ranking.task, diff_files=list(ranking.diff_files))
    for s in ranking.scored:
        if s.id in records:
            constraint, document = records[s.id]
            result.hits.append(
                Hit(s.id, s.score, s.confidence, list(s.why), s.similarity, constraint, document)
            )
    return result
