"""Hybrid retrieval: dense (FAISS) and lexical (BM25) scores fused by a weighted sum,
with scope evidence (path globs, technologies, services) added to the fused score, never used
as a filter. Each hit says why it ranked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from kb.catalog import Catalog
from kb.diffs import ParsedDiff
from kb.embedder import Embedder
from kb.index import VectorIndex
from kb.models import Constraint, Document
from kb.render import constraint_dict
from kb.scope import glob_matches, technologies_in_code, technologies_in_text
from kb.text import STOPWORDS, split_identifier, stem


@dataclass(frozen=True, slots=True)
class RankingWeights:
    """Every knob of the ranking in one place, with the reason for each value."""

    # Fusion is a weighted sum of normalised scores (CombSUM): cosine similarity as is (unit
    # vectors, 0..1 in practice) plus BM25 divided by the query's ideal score (what a text holding
    # every query term once would get; BM25.ideal_score), capped at 1.5. Dividing by the ideal rather
    # than by the best score of the query keeps a lesson that only shares common words low, and keeps
    # margins (unlike reciprocal rank fusion). Measured on the dev set: +0.04 hit@5 on tasks.
    # Dense similarity carries paraphrases ("charge twice" ~ "duplicate capture"), so it leads.
    dense_weight: float = 1.0
    # BM25 catches exact identifiers and rare words the small model blurs. Grid 0.3 / 0.5 on the dev
    # set: within 0.01 recall@5 of each other; 0.5 kept for the better diff MRR.
    lexical_weight: float = 0.5
    # How deep each ranker looks before fusion.
    candidates: int = 100
    # Document evidence: BM25 over everything a document's lessons say (title, sections,
    # statements, rationales), normalised like the lesson score. Relevance is judged per document,
    # and a lesson's own words are few: the document it comes from says what the incident was about.
    # Grid on the dev set (0.0 / 0.15 / 0.3 / 0.5 / 1.0): 0.3 lifts task recall@5 from 0.589 to 0.637
    # and diff MRR from 0.68 to 0.74; beyond 0.5 long documents crowd the top.
    document_weight: float = 0.3
    # How many documents the document ranker brings in (all their lessons become candidates).
    document_candidates: int = 30
    # Scope evidence, in cosine units: a matched path glob is about as telling as a clearly
    # related sentence; a technology or service alone is a hint.
    path_bonus: float = 0.15
    # Per matched technology, at most two count. Grid 0.02 / 0.04 / 0.08: flat on the dev set; kept
    # small because most lessons of an infrastructure corpus share "kubernetes" or "aws".
    technology_bonus: float = 0.04
    service_bonus: float = 0.08
    # Superseded lessons stay findable as context but rank below live ones.
    superseded_factor: float = 0.5
    # A long document must not crowd out the rest.
    max_per_document: int = 2
    # Diff lines: added lines say what the change does; removed lines only hint.
    added_line_weight: float = 1.0
    removed_line_weight: float = 0.3
    path_term_weight: float = 1.0
    # Unchanged context lines and the enclosing block git names after ``@@`` (resource
    # "aws_eks_node_group", a function): they say where the change sits, half an added line.
    # Grid 0.25 / 0.5 on the dev set: no difference in recall@5; 0.5 kept for MRR.
    context_line_weight: float = 0.5
    # Keys and identifiers the diff sets (release_version, instance_class, failurePolicy) and the
    # technologies its file types imply: what the change is about, stated once each.
    changed_key_weight: float = 1.0
    technology_term_weight: float = 1.0
    task_term_weight: float = 1.5
    max_term_weight: float = 3.0
    # Added lines of a diff given to the encoder after the description of the change.
    dense_diff_lines: int = 60
    # Confidence from cosine similarity of MiniLM (unit vectors): above ~0.55 a lesson is
    # about the same thing; below ~0.35 it shares words at most.
    strong_similarity: float = 0.55
    possible_similarity: float = 0.38


DEFAULT_WEIGHTS: Final = RankingWeights()

_QUERY_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(slots=True)
class Hit:
    id: int
    score: float
    confidence: str
    why: list[str]
    similarity: float
    constraint: Constraint
    document: Document

    def to_dict(self) -> dict[str, Any]:
        record = constraint_dict(self.constraint, self.document)
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


@dataclass(slots=True)
class _QueryTerms:
    weights: dict[str, float]
    surface: dict[str, str]  # stem -> a word as the user wrote it


def _query_terms(task: str | None, diff: ParsedDiff | None, w: RankingWeights) -> _QueryTerms:
    weights: dict[str, float] = defaultdict(float)
    surface: dict[str, str] = {}

    def feed(text: str, weight: float, noise: frozenset[str] = frozenset()) -> None:
        for raw in _QUERY_WORD.findall(text):
            for part in {raw, *split_identifier(raw), *raw.split("_")}:
                word = part.lower()
                if len(word) < 3 or word in STOPWORDS or word in noise:
                    continue
                term = stem(word)
                weights[term] += weight
                surface.setdefault(term, word)

    if task:
        feed(task, w.task_term_weight)
    if diff:
        for changed in diff.files:
            feed(
                changed.path.replace("/", " ").replace(".", " ").replace("-", " "),
                w.path_term_weight,
                DIFF_NOISE,
            )
        feed(diff.added_text(), w.added_line_weight, DIFF_NOISE)
        feed(diff.removed_text(), w.removed_line_weight, DIFF_NOISE)
        feed(diff.context_text(), w.context_line_weight, DIFF_NOISE)
        feed(" ".join(diff.changed_keys()), w.changed_key_weight, DIFF_NOISE)
        feed(" ".join(t.replace("-", " ") for t in diff.technologies()), w.technology_term_weight)
    capped = {t: min(v, w.max_term_weight) for t, v in weights.items()}
    return _QueryTerms(weights=capped, surface=surface)


# Words of file formats and diff syntax that say nothing about what a change does.
DIFF_NOISE: Final = frozenset(
    [
        "yaml",
        "yml",
        "json",
        "toml",
        "tf",
        "tfvars",
        "hcl",
        "txt",
        "cfg",
        "conf",
        "ini",
        "md",
        "py",
        "go",
        "js",
        "ts",
        "rs",
        "java",
        "sh",
        "true",
        "false",
        "null",
        "none",
        "nil",
        "yes",
        "var",
        "vars",
        "local",
        "locals",
        "value",
        "values",
        "default",
        "defaults",
        "name",
        "names",
        "spec",
        "metadata",
        "kind",
        "type",
        "data",
        "string",
        "list",
        "map",
        "int",
        "bool",
        "number",
        "return",
        "self",
        "this",
        "func",
        "def",
        "resource",
        "resources",
        "module",
        "source",
        "version",
        "apiversion",
        "item",
        "items",
        "key",
        "keys",
        "config",
        "src",
        "lib",
        "main",
        "index",
        "diff",
        "git",
        "dev",
        "new",
        "old",
        "file",
        "files",
        "github",
        "com",
        "org",
        "http",
        "https",
        "www",
        "example",
    ]
)


def dense_query_text(task: str | None, diff: ParsedDiff | None, *, diff_lines: int = 60) -> str:
    """One text for the encoder: the task, then what the diff is about in words, then its lines."""
    parts: list[str] = []
    if task:
        parts.append(task.strip())
    if diff:
        described = diff.describe()
        if described:
            parts.append(described)
        parts.append("Files: " + ", ".join(diff.paths[:20]) + ".")
        added = diff.added_text(limit=diff_lines) if diff_lines else ""
        if added:
            parts.append(added)
    return "\n".join(parts)[:4000]


def search(
    *,
    catalog: Catalog,
    index: VectorIndex,
    embedder: Embedder,
    task: str | None,
    diff: ParsedDiff | None,
    k: int,
    weights: RankingWeights = DEFAULT_WEIGHTS,
    include_inactive: bool = False,
) -> QueryResult:
    """Rank constraints for a task description and/or a parsed diff."""
    w = weights
    result = QueryResult(task=task, diff_files=diff.paths if diff else [])
    if not catalog.rows:
        return result

    # Dense ranking.
    query_vector = embedder.embed([dense_query_text(task, diff, diff_lines=w.dense_diff_lines)])[0]
    dense = index.search(query_vector, w.candidates)
    similarity = {cid: sim for cid, sim in dense if cid in catalog.rows}

    # Lexical ranking.
    terms = _query_terms(task, diff, w)
    lexical = catalog.bm25.search(terms.weights, w.candidates)
    ideal = catalog.bm25.ideal_score(terms.weights)
    lexical_score = {cid: min(score / ideal, 1.5) for cid, score, _ in lexical} if ideal > 0 else {}
    matched_terms = {cid: found for cid, _, found in lexical}
    documents = catalog.document_bm25.search(terms.weights, w.document_candidates)
    ideal_document = catalog.document_bm25.ideal_score(terms.weights)
    document_score = (
        {d: min(score / ideal_document, 1.5) for d, score, _ in documents} if ideal_document > 0 else {}
    )
    document_terms = {d: found for d, _, found in documents}

    # Scope evidence.
    query_text = " ".join(filter(None, [task, diff.added_text() if diff else ""]))
    query_techs = technologies_in_text(task or "")
    changed_paths = diff.paths if diff else []
    if diff:
        query_techs |= diff.technologies()
    elif task:
        query_techs |= technologies_in_code(task)
    lowered_query = (query_text + " " + " ".join(changed_paths)).lower()
    query_services = {s for s in catalog.known_services if s in lowered_query}

    candidate_ids = set(similarity) | set(lexical_score)
    for document_id in document_score:
        candidate_ids.update(catalog.by_document.get(document_id, ()))
    path_matches: dict[int, tuple[str, str]] = {}
    if changed_paths:
        # Path globs are evidence strong enough to bring a constraint in on their own.
        for cid, (constraint, _) in catalog.rows.items():
            for pattern in constraint.paths:
                matched_path = next((p for p in changed_paths if glob_matches(pattern, p)), None)
                if matched_path:
                    path_matches[cid] = (pattern, matched_path)
                    candidate_ids.add(cid)
                    break

    missing = [cid for cid in candidate_ids if cid not in similarity]
    if missing:
        # Similarity for candidates the dense list did not reach (for confidence and why).
        vectors = _reconstruct(index, missing)
        for cid, vector in zip(missing, vectors, strict=True):
            similarity[cid] = float(np.dot(vector, query_vector)) if vector is not None else 0.0

    scored: list[Hit] = []
    for cid in candidate_ids:
        constraint, document = catalog.rows[cid]
        if constraint.status == "retired" and not include_inactive:
            continue
        why: list[str] = []
        sim = similarity.get(cid, 0.0)
        score = w.dense_weight * max(sim, 0.0) + w.lexical_weight * lexical_score.get(cid, 0.0)
        doc_score = document_score.get(document.id or 0, 0.0)
        score += w.document_weight * doc_score
        if cid in path_matches:
            pattern, path = path_matches[cid]
            score += w.path_bonus
            why.append(f"path {pattern} matches {path}")
        techs = sorted(query_techs & set(constraint.technologies))
        if techs and w.technology_bonus > 0:
            score += w.technology_bonus * min(len(techs), 2)
            why.append("technology: " + ", ".join(techs))
        services = sorted(query_services & {s.lower() for s in [*constraint.services, *document.services]})
        if services:
            score += w.service_bonus
            why.append("service: " + ", ".join(services))
        found = matched_terms.get(cid, [])
        if found:
            ranked = sorted(set(found), key=lambda t: -catalog.bm25.idf(t) * terms.weights.get(t, 0.0))
            why.append("key terms: " + ", ".join(terms.surface.get(t, t) for t in ranked[:5]))
        if doc_score > 0 and w.document_weight > 0:
            in_document = document_terms.get(document.id or 0, [])
            ranked = sorted(
                set(in_document), key=lambda t: -catalog.document_bm25.idf(t) * terms.weights.get(t, 0.0)
            )
            why.append("document about: " + ", ".join(terms.surface.get(t, t) for t in ranked[:5]))
        why.append(f"semantic similarity {sim:.2f}")
        if constraint.status == "superseded":
            score *= w.superseded_factor
            why.append("superseded: kept as context")
        scored.append(
            Hit(
                id=cid,
                score=score,
                confidence=_confidence(sim, cid in path_matches, bool(found), w),
                why=why,
                similarity=sim,
                constraint=constraint,
                document=document,
            )
        )

    scored.sort(key=lambda h: (-h.score, h.id))
    per_document: dict[int, int] = defaultdict(int)
    for hit in scored:
        doc_id = hit.document.id or 0
        if per_document[doc_id] >= w.max_per_document:
            continue
        per_document[doc_id] += 1
        result.hits.append(hit)
        if len(result.hits) >= k:
            break
    return result


def _confidence(similarity: float, path_match: bool, lexical_match: bool, w: RankingWeights) -> str:
    if similarity >= w.strong_similarity or (path_match and similarity >= w.possible_similarity):
        return "strong"
    if similarity >= w.possible_similarity or (path_match and lexical_match):
        return "possible"
    return "weak"


def _reconstruct(index: VectorIndex, ids: list[int]) -> list[np.ndarray | None]:
    out: list[np.ndarray | None] = []
    for cid in ids:
        try:
            out.append(index.reconstruct(cid))
        except (KeyError, RuntimeError):
            out.append(None)
    return out
