"""Relevance evaluation: a JSONL set of queries with their relevant documents, ranked-list metrics,
and a runner that asks a KnowledgeBase (or any ranker) and scores the answers.

Dataset format, one JSON object per line (blank lines and lines starting with ``#`` are skipped)::

    {"id": "t01", "kind": "task", "query": "what I am about to do", "relevant": ["path/of/doc.md"]}
    {"id": "d01", "kind": "diff", "query": "diff --git a/x b/x ...", "relevant": []}

``relevant`` holds document paths relative to the ingested root (as ``kb query --json`` shows them in
``source.path``), or ``<source>/<path>``. An empty list marks a negative query: nothing in the
knowledge base applies, so the ranker should not be confident about anything.

Metrics are at document level: a ranked list of lessons becomes a ranked list of distinct documents
(first occurrence). ``recall@k`` is hits in the top k over ``min(|relevant|, k)``, so a query with one
relevant document can reach 1.0 at k=1; ``hit@k`` is 1 when any relevant document is in the top k;
``mrr@10`` is the reciprocal rank of the first relevant document within 10; ``ndcg@10`` uses binary
gains. Negative queries do not enter these means; they are reported by how often the ranker was
confident (a ``strong`` result) when it should not have been.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kb.errors import InputError
from kb.retrieval.results import Hit

if TYPE_CHECKING:
    from kb.service import KnowledgeBase

KINDS: Final = ("task", "diff")
CUTOFFS: Final = (1, 5, 10)
METRICS: Final = ("recall@1", "recall@5", "recall@10", "hit@5", "mrr@10", "ndcg@10")
# Enough lessons to fill ten distinct documents even when each document gives several.
DEFAULT_DEPTH: Final = 40


@dataclass(frozen=True, slots=True)
class EvalQuery:
    id: str
    kind: str
    query: str
    relevant: tuple[str, ...]

    @property
    def is_negative(self) -> bool:
        return not self.relevant


@dataclass(frozen=True, slots=True)
class RankedDocument:
    path: str
    score: float
    confidence: str = ""


@dataclass(slots=True)
class QueryOutcome:
    query: EvalQuery
    ranked: list[RankedDocument]
    metrics: dict[str, float]

    @property
    def strong(self) -> bool:
        return any(d.confidence == "strong" for d in self.ranked)

    def to_dict(self) -> dict[str, Any]:
        relevant = set(self.query.relevant)
        return {
            "id": self.query.id,
            "kind": self.query.kind,
            "negative": self.query.is_negative,
            "metrics": {k: round(v, 4) for k, v in self.metrics.items()},
            "ranked": [
                {
                    "rank": rank,
                    "path": d.path,
                    "score": round(d.score, 6),
                    "confidence": d.confidence,
                    "relevant": d.path in relevant,
                }
                for rank, d in enumerate(self.ranked, 1)
            ],
            "missed": [p for p in self.query.relevant if p not in {d.path for d in self.ranked}],
        }


@dataclass(slots=True)
class EvalReport:
    name: str
    outcomes: list[QueryOutcome] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, float]]:
        """Mean metrics by kind (``task``, ``diff``) and over ``all`` positive queries, plus counts."""
        groups: dict[str, list[QueryOutcome]] = {"task": [], "diff": [], "all": []}
        for outcome in self.outcomes:
            groups[outcome.query.kind].append(outcome)
            groups["all"].append(outcome)
        return {name: _group_summary(items) for name, items in groups.items() if items}

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summary": self.summary(),
            "queries": [o.to_dict() for o in self.outcomes],
        }


def _group_summary(outcomes: Sequence[QueryOutcome]) -> dict[str, float]:
    positives = [o for o in outcomes if not o.query.is_negative]
    negatives = [o for o in outcomes if o.query.is_negative]
    out: dict[str, float] = {"queries": len(positives), "negatives": len(negatives)}
    for metric in METRICS:
        values = [o.metrics[metric] for o in positives if metric in o.metrics]
        out[metric] = round(sum(values) / len(values), 4) if values else 0.0
    # Confidence calibration: negatives should not be strong; top results of positives should be.
    out["negatives_with_strong"] = sum(1 for o in negatives if o.strong)
    strong_top = [o for o in positives if o.ranked and o.ranked[0].confidence == "strong"]
    out["strong_top_precision"] = (
        round(sum(1 for o in strong_top if o.ranked[0].path in o.query.relevant) / len(strong_top), 4)
        if strong_top
        else 0.0
    )
    return out


# --- metrics ---------------------------------------------------------------------------------------


def recall_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Hits in the top ``k`` over ``min(|relevant|, k)``; 0.0 when nothing is relevant."""
    wanted = set(relevant)
    if not wanted or k < 1:
        return 0.0
    hits = sum(1 for path in ranked[:k] if path in wanted)
    return hits / min(len(wanted), k)


def hit_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    wanted = set(relevant)
    return 1.0 if any(path in wanted for path in ranked[:k]) else 0.0


def mrr_at(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    wanted = set(relevant)
    for rank, path in enumerate(ranked[:k], 1):
        if path in wanted:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """Normalised discounted cumulative gain with binary gains."""
    wanted = set(relevant)
    if not wanted:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, path in enumerate(ranked[:k], 1) if path in wanted)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(wanted), k) + 1))
    return dcg / ideal


def query_metrics(ranked: Sequence[str], relevant: Sequence[str]) -> dict[str, float]:
    """Every metric of one query; empty for a negative query (nothing to find)."""
    if not relevant:
        return {}
    return {
        "recall@1": recall_at(ranked, relevant, 1),
        "recall@5": recall_at(ranked, relevant, 5),
        "recall@10": recall_at(ranked, relevant, 10),
        "hit@5": hit_at(ranked, relevant, 5),
        "mrr@10": mrr_at(ranked, relevant, 10),
        "ndcg@10": ndcg_at(ranked, relevant, 10),
    }


def distinct_documents(items: Iterable[RankedDocument], limit: int) -> list[RankedDocument]:
    """The first occurrence of each document, in rank order, at most ``limit``."""
    seen: set[str] = set()
    out: list[RankedDocument] = []
    for item in items:
        if item.path in seen:
            continue
        seen.add(item.path)
        out.append(item)
        if len(out) >= limit:
            break
    return out


# --- the dataset -----------------------------------------------------------------------------------


def parse_queries(lines: Iterable[str], *, source: str = "<input>") -> list[EvalQuery]:
    """Parse and validate JSONL lines; an InputError names the line and what is wrong with it."""
    queries: list[EvalQuery] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        where = f"{source} line {number}"
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
        missing = [key for key in ("id", "kind", "query", "relevant") if key not in record]
        if missing:
            raise InputError(f"{where}: missing field(s) {', '.join(missing)}")
        query_id, kind, query, relevant = record["id"], record["kind"], record["query"], record["relevant"]
        if not isinstance(query_id, str | int) or not str(query_id).strip():
            raise InputError(f"{where}: 'id' must be a non-empty string")
        query_id = str(query_id)
        if query_id in seen:
            raise InputError(f"{where}: duplicate id {query_id!r}")
        if kind not in KINDS:
            raise InputError(f"{where}: unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
        if not isinstance(query, str) or not query.strip():
            raise InputError(f"{where}: 'query' must be a non-empty string")
        if not isinstance(relevant, list) or not all(isinstance(p, str) and p for p in relevant):
            raise InputError(f"{where}: 'relevant' must be a list of document paths (strings)")
        seen.add(query_id)
        queries.append(EvalQuery(id=query_id, kind=kind, query=query, relevant=tuple(relevant)))
    if not queries:
        raise InputError(f"{source}: no queries found")
    return queries


def load_queries(path: Path) -> list[EvalQuery]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such query file: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc
    return parse_queries(text.splitlines(), source=str(path))


# --- running ---------------------------------------------------------------------------------------

Ranker = Callable[[EvalQuery], list[RankedDocument]]


def evaluate(queries: Sequence[EvalQuery], ranker: Ranker, *, name: str, k: int = 10) -> EvalReport:
    """Ask ``ranker`` every query and score its distinct documents (the top ``k`` are kept)."""
    report = EvalReport(name=name)
    for query in queries:
        ranked = distinct_documents(ranker(query), max(k, max(CUTOFFS)))
        paths = [d.path for d in ranked]
        report.outcomes.append(
            QueryOutcome(query=query, ranked=ranked[:k], metrics=query_metrics(paths, query.relevant))
        )
    return report


def knowledge_base_ranker(kb: KnowledgeBase, *, depth: int = DEFAULT_DEPTH) -> Ranker:
    """Rank documents with ``kb.query``: lessons in rank order, each named by its document.

    A relevant path may be written with or without the source (ingested root) name in front, so each
    lesson's document is reported in whichever form the dataset uses.
    """

    def rank(query: EvalQuery) -> list[RankedDocument]:
        if query.kind == "diff":
            result = kb.query(diff=query.query, k=depth)
        else:
            result = kb.query(task=query.query, k=depth)
        wanted = set(query.relevant)
        out: list[RankedDocument] = []
        # Lessons and passages (a document's best section) in one list, by score.
        for hit in result.ranked():
            # A lesson learned in several documents cites each of them, at the lesson's rank.
            places = [(hit.document.source, hit.document.path)]
            if isinstance(hit, Hit):
                places += [(s["root"], s["path"]) for s in hit.sources[1:]]
            for source, path in places:
                qualified = f"{source}/{path}"
                if path not in wanted and qualified in wanted:
                    path = qualified
                out.append(RankedDocument(path=path, score=hit.score, confidence=hit.confidence))
        return out

    return rank


def evaluate_knowledge_base(
    kb: KnowledgeBase, queries: Sequence[EvalQuery], *, k: int = 10, depth: int = DEFAULT_DEPTH
) -> EvalReport:
    return evaluate(queries, knowledge_base_ranker(kb, depth=depth), name="hybrid", k=k)
