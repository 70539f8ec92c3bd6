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
    # A strong level resting on meaning alone, kept only for the first result (kb.retrieval.confidence).
    strong_by_meaning_alone: bool = False


@dataclass(frozen=True, slots=True)
class ScoredPassage:
    """One ranked passage (kb.index.passages): a document's best-matching section, on the lessons'
    score scale, so the two lists merge by score."""

    document_id: int
    heading: str
    line_start: int  # in the stored body's numbering
    line_end: int
    score: float
    confidence: str
    why: list[str]


@dataclass(frozen=True, slots=True)
class Ranking:
    """Ranking's answer: the scored ids, best first, the passages that ranked among them, and what the
    query was."""

    task: str | None
    diff_files: list[str]
    scored: list[Scored] = field(default_factory=list)
    passages: list[ScoredPassage] = field(default_factory=list)


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
    # A strong level resting on meaning alone, kept only for the first result (kb.retrieval.confidence).
    strong_by_meaning_alone: bool = False

    def to_dict(self) -> dict[str, Any]:
        record = constraint_dict(self.constraint, self.document)
        record.update(self.review)
        if self.sources:
            record["sources"] = list(self.sources)
        record["score"] = round(self.score, 6)
        record["confidence"] = self.confidence
        record["similarity"] = round(self.similarity, 4)
        record["why"] = list(self.why)
        # A lesson (a rule the gate may act on); the query's "passages" hold cited text.
        record["match"] = "lesson"
        return record


@dataclass(slots=True)
class PassageHit:
    """A section of a document shown as cited text, not as a rule: it has no severity, never blocks
    in the gate and is never exported. Returned for a document that ranks among the results with no
    lesson there, or whose passage matches better than its lessons."""

    document: DocumentRecord
    heading: str
    line_start: int  # the source file's lines
    line_end: int
    excerpt: str
    score: float
    confidence: str
    why: list[str]

    def to_dict(self) -> dict[str, Any]:
        d = self.document
        return {
            "match": "passage",
            "type": "passage",
            "excerpt": self.excerpt,
            "source": {
                "path": d.path,
                "kind": d.kind,
                "title": d.title,
                "section": self.heading,
                "lines": [self.line_start, self.line_end],
                "root": d.source,
                "document_id": d.id,
                "document_status": d.status,
                "document_date": d.date,
            },
            "team": d.team,
            "score": round(self.score, 6),
            "confidence": self.confidence,
            "why": list(self.why),
        }


@dataclass(slots=True)
class QueryResult:
    task: str | None
    diff_files: list[str]
    hits: list[Hit] = field(default_factory=list)
    # Cited sections of documents that ranked among the hits (see PassageHit), best first. Apart from
    # ``hits`` so that everything acting on lessons (the gate, exports, feedback) never sees them.
    passages: list[PassageHit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": {"task": self.task, "diff_files": list(self.diff_files)},
            "results": [hit.to_dict() for hit in self.hits],
            "passages": [passage.to_dict() for passage in self.passages],
        }

    def ranked(self) -> list[Hit | PassageHit]:
        """Lessons and passages in one list, best score first (a lesson first on equal scores)."""
        both: list[Hit | PassageHit] = [*self.hits, *self.passages]
        return sorted(both, key=lambda item: (-item.score, isinstance(item, PassageHit)))


def pair(ranking: Ranking, records: dict[int, tuple[ConstraintRecord, DocumentRecord]]) -> QueryResult:
    """The hits of ``ranking`` whose records were read (a lesson deleted meanwhile drops out)."""
    result = QueryResult(task=ranking.task, diff_files=list(ranking.diff_files))
    for s in ranking.scored:
        if s.id in records:
            constraint, document = records[s.id]
            result.hits.append(
                Hit(
                    s.id,
                    s.score,
                    s.confidence,
                    list(s.why),
                    s.similarity,
                    constraint,
                    document,
                    strong_by_meaning_alone=s.strong_by_meaning_alone,
                )
            )
    return result
