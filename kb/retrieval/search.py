"""Hybrid retrieval: dense (FAISS) and lexical (BM25) scores fused by a weighted sum, with
document evidence (BM25 over the whole document, its kind) and scope evidence (path globs,
technologies, services) added to the fused score, never used as a filter; then one round of
pseudo-relevance feedback. Each hit says why it ranked.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Final

import numpy as np

from kb.embedding import Embedder
from kb.index.catalog import Catalog
from kb.index.lexical import BM25, Ranked
from kb.index.vectors import VectorIndex
from kb.retrieval.confidence import ClosestDocuments, lesson_confidence
from kb.retrieval.diffs import DIFF_NOISE, ParsedDiff
from kb.retrieval.fusion import (
    best_per_document,
    decisive_lead,
    fuse_with_documents,
    meaning_ranking,
    reciprocal_ranks,
    values_at,
)
from kb.retrieval.results import Ranking, Scored, ScoredPassage
from kb.retrieval.scope import first_paths_matched, technologies_in_code, technologies_in_text
from kb.text import WORD, word_terms


@dataclass(frozen=True, slots=True)
class RankingWeights:
    """Every knob of the ranking in one place, with the reason for each value (the grids and
    measurements that chose them: docs/ranking-history.md)."""

    # Fusion is a weighted sum of normalised scores (CombSUM): cosine similarity as is, plus BM25
    # divided by the query's ideal score and capped at 1.5, which keeps a lesson that shares only
    # common words low and keeps margins. Dense similarity carries paraphrases ("charge twice" ~
    # "duplicate capture"), so it leads.
    dense_weight: float = 1.0
    # BM25 catches exact identifiers and rare words the small model blurs; the body index carries
    # them too, hence a quarter.
    lexical_weight: float = 0.25
    # How deep each ranker looks before fusion; deeper found little more for its query time at
    # scale.
    candidates: int = 100
    # Document evidence: BM25 over everything a document's lessons say (title, sections, statements,
    # rationales). A lesson's own words are few; its document says what the incident was about.
    document_weight: float = 0.3
    # How many documents the document ranker brings in (all their lessons become candidates).
    document_candidates: int = 50
    # Body evidence: BM25 over the document's own text (title and the first BODY_INDEX_CHARS of its
    # Markdown): the timeline, error messages and names a task or diff repeats. More lets long
    # runbooks crowd the top.
    body_weight: float = 0.15
    # Reciprocal-rank fusion with BM25 over whole documents (0: off); see kb.retrieval.fusion.
    fusion_k: int = 60
    # For a task alone, a third ranking in that fusion: the documents whose best candidate lesson
    # reaches ``meaning_vote_similarity``, by that similarity. A diff's similarity (code read as prose)
    # is no such evidence: the same vote moved eight diff queries' first relevant document down.
    # Off by default: it gained on the three sets it was tuned on but lost on the next blind one
    # (blind4 tasks MRR@10 0.804 -> 0.779; docs/ranking-history.md).
    task_meaning_vote: bool = False
    # For a diff, where the body ranking's first document scores at least this many times its
    # second's, that document is fused once more as a ranking of its own, so it comes first (0: off;
    # kb.retrieval.fusion.decisive_lead). Chosen by leave-one-set-out over six sets: every held-out
    # set chose 1.3 (docs/relevance.md, round six). Not for tasks: it did not hold there.
    diff_body_lead: float = 1.3
    # For a task alone, the same rule on the passage ranking: where the best passage's document
    # scores at least this many times the next document's best passage, that document comes first
    # (0: off). A task names what one section says (an alert, an error, a procedure), which the body
    # ranking's first 5,000 characters and the lessons' digest can miss. Chosen by leave-one-set-out
    # over nine blind sets: 1.1 on eight, 1.2 on one (docs/relevance.md, round eleven).
    task_passage_lead: float = 1.1
    # For a task alone, a second stage after the lifecycle one (kb.retrieval.rerank): among the first
    # ``lead_documents`` documents, the one whose whole text scores at least ``task_document_lead``
    # times the next in BM25 comes first (0: off). The first stage never reads a document whole (its
    # body index stops at 5,000 characters), and whole-document BM25 named a task's document where the
    # ranking did not. Chosen by leave-one-set-out over thirteen blind sets: 20 and 1.15 in twelve
    # folds; for a diff it did not hold out (better on 1 fold, worse on 4; docs/relevance.md, round
    # fourteen).
    task_document_lead: float = 1.15
    lead_documents: int = 20
    body_candidates: int = 50
    # Passages (kb.index.passages): BM25 over every document's sections, so that a document with no
    # candidate lesson (extraction found none) still ranks: its best passage is a unit like a
    # lesson in the fusion, 1/(k + its rank among passages) + 1/(k + its document's body rank). How
    # many passages the ranking reads (0: no passages). Passages of documents that have candidate
    # lessons are not shown: as a second lexical unit they cost diff recall@5 0.12 on the tune fold
    # (docs/ranking-history.md, ``passage_candidates``).
    passage_candidates: int = 200
    # Document dense evidence: the mean similarity of a document's candidate lessons, like the
    # document BM25 but for meaning.
    document_dense_weight: float = 0.5
    # A prior by document kind, in cosine units: a postmortem's lessons were paid for by an incident
    # and name the failure a change can repeat; a runbook's steps are procedure, often generic, and
    # match many queries a little.
    kind_bonus: tuple[tuple[str, float], ...] = (("postmortem", 0.25),)
    # For a task alone (no diff), a fifth of that prior: a task names the ADR, README or runbook it
    # is about in its own words, and the full prior let postmortems on the same system take their
    # place; a diff's similarity is weak and the prior carries its incidents. Chosen by
    # leave-one-set-out over four sets (docs/relevance.md, round five).
    task_kind_share: float = 0.2
    # Pseudo-relevance feedback: the best lesson of the first pass's ``feedback_documents`` best
    # documents is a second dense query, mixed in at ``feedback_weight``. Incidents come in
    # families, and the first good match finds its siblings.
    feedback_documents: int = 2
    feedback_weight: float = 0.5
    # Scope evidence, in cosine units: a matched path glob is about as telling as a clearly
    # related sentence; a technology or service alone is a hint.
    path_bonus: float = 0.15
    # Per matched technology, at most two count. Grid 0.02 / 0.04 / 0.08: flat on the dev set; kept
    # small because most lessons of an infrastructure corpus share "kubernetes" or "aws".
    technology_bonus: float = 0.04
    service_bonus: float = 0.08
    # Superseded lessons stay findable as context but rank below live ones: their successor says it
    # better.
    superseded_factor: float = 0.5
    # A rejected decision ("we considered X and said no") has no successor: for a change that
    # proposes X again it is the lesson to read, so it ranks on its merits; its status and `why` say
    # it is context, and the gate never blocks on it.
    rejected_factor: float = 1.0
    # The lifecycle's evidence multipliers (recurrence, staleness; kb.lifecycle.ranking) at this
    # share of their size: they were sized for the weighted sum, and on the fused rank scale (about
    # 1% between neighbours at the top) a stale runbook's x0.9 buried it and a repeated postmortem's
    # x1.05 jumped several places. Chosen by leave-one-set-out (docs/relevance.md, round five).
    lifecycle_share: float = 0.2
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
    # Query terms BM25 scores at most (highest weight x idf first): a diff has hundreds, and the
    # long tail of common words costs time for little evidence. Ordered by the lessons' idf, words
    # no lesson holds come last, though the body index may hold them: 20 cut those off.
    max_query_terms: int = 32
    # Lines of each kind (context, removed, added) per changed file given to the encoder.
    dense_diff_lines: int = 60
    # Word pieces the encoder reads of each query text: all-MiniLM-L6-v2 was trained on 128; more
    # mostly adds noise and cost.
    query_tokens: int = 128
    # The same for a diff's text: words (code symbols dropped), hunk headers and added lines first
    # (ParsedDiff.dense_text).
    diff_query_tokens: int = 64
    # Confidence (kb.retrieval.confidence) from cosine similarity of MiniLM (unit vectors); the fused
    # score is not used: it is not comparable across queries. Between 0.50 and 0.66 a first result is
    # relevant about 78% of the time whatever the similarity; ``strong`` from 0.67, for the first
    # document only and only where no other candidate document comes within ``strong_margin`` of its
    # similarity (or none is closer at all, where a decisive lexical lead names the same document),
    # both chosen by leave-one-set-out cross-validation (docs/relevance.md, rounds ten and twelve).
    # Below about 0.35 a lesson shares words at most.
    strong_similarity: float = 0.67
    strong_margin: float = 0.08
    possible_similarity: float = 0.38
    # A task's meaning vote counts documents from here ("about the same thing"); kept apart from the
    # label so that recalibrating the label never moves the ranking.
    meaning_vote_similarity: float = 0.55


DEFAULT_WEIGHTS: Final = RankingWeights()


@dataclass(slots=True)
class _QueryTerms:
    weights: dict[str, float]
    surface: dict[str, str]  # stem -> a word as the user wrote it


def _prune_terms(terms: _QueryTerms, catalog: Catalog, limit: int) -> _QueryTerms:
    """Keep the ``limit`` terms that weigh most in BM25 (query weight x idf).

    A diff yields hundreds of terms; most are common words whose postings are long and whose
    contribution is small, and scoring them dominates a large knowledge base's query time.
    """
    if len(terms.weights) <= limit:
        return terms
    ranked = sorted(terms.weights, key=lambda t: (-terms.weights[t] * catalog.bm25.idf(t), t))
    kept = {t: terms.weights[t] for t in ranked[:limit]}
    return _QueryTerms(weights=kept, surface=terms.surface)


def _word_terms(raw: str, noise: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """A query word's (stem, word) pairs, as the index reads words (``kb.text.word_terms``), less
    the words of ``noise``."""
    return tuple((term, word) for term, word in word_terms(raw) if word not in noise)


def _query_terms(task: str | None, diff: ParsedDiff | None, w: RankingWeights) -> _QueryTerms:
    weights: dict[str, float] = defaultdict(float)
    surface: dict[str, str] = {}

    def feed(text: str, weight: float, noise: frozenset[str] = frozenset()) -> None:
        # A diff repeats its identifiers hundreds of times: each distinct word is looked at once.
        for raw, count in Counter(WORD.findall(text)).items():
            for term, word in _word_terms(raw, noise):
                weights[term] += weight * count
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


def dense_query_texts(
    task: str | None, diff: ParsedDiff | None, w: RankingWeights = DEFAULT_WEIGHTS
) -> list[tuple[str, int]]:
    """What the encoder reads, and how many word pieces of each: the task as written, and the diff
    as its own text.

    A task and a diff are embedded apart (a lesson's similarity is the better of the two), so a
    long diff does not drown the task in the encoder's 256-token window. The diff text is what a
    reviewer reads first: the path words, the comments the author added, then the changed lines
    with their context. Measured on the dev set against a generated description of the change
    ("Change to terraform configuration touching ...") and against the raw diff: the changed lines
    with their context led on diff MRR (0.83 against 0.78 and 0.80).
    """
    texts: list[tuple[str, int]] = []
    if task and task.strip():
        texts.append((task.strip()[:4000], w.query_tokens))
    if diff:
        text = diff.dense_text(limit=w.dense_diff_lines)
        if text:
            texts.append((text[:4000], w.diff_query_tokens))
    return texts


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
    include_proposed: bool = False,
) -> Ranking:
    """Rank constraints for a task description and/or a parsed diff.

    Relevance is a property of documents as much as of lessons, so every lesson's score carries its
    document's evidence (BM25 over the document, the document's kind); the first pass then feeds its
    best documents back to the dense ranker (pseudo-relevance feedback) and the lessons are scored
    again. The result is scored lesson ids, at most ``max_per_document`` per document; the caller reads
    their records.
    """
    w = weights
    result = Ranking(task=task, diff_files=diff.paths if diff else [])
    if not catalog.rows and not (catalog.passages is not None and len(catalog.passages)):
        return result

    # Dense ranking: one vector per input (task, diff); a lesson's similarity is the better one.
    # The encoder runs on another thread (onnxruntime releases the GIL) while the lexical and scope
    # evidence below is worked out. On this 2-core machine it gains little (measured: the same p50
    # as encoding first; onnxruntime's two threads take both cores); with more cores it overlaps.
    # A task and a diff are read to different lengths, so each is its own encoder call.
    encodings = [
        _encoder_threads().submit(partial(embedder.embed_query, max_tokens=tokens), [text])
        for text, tokens in dense_query_texts(task, diff, w)
    ]
    candidate_ids: set[int] = set()

    # Lexical ranking, of lessons and of whole documents. Which words each matched is worked out
    # only for the hits returned.
    terms = _prune_terms(_query_terms(task, diff, w), catalog, w.max_query_terms)
    lexical = _normalised(catalog.bm25, terms.weights, w.candidates)
    documents = _normalised(catalog.document_bm25, terms.weights, w.document_candidates)
    # The lessons' body evidence ranks the documents that have lessons; a document without one
    # competes through its passages, against every document's body (all_bodies). Ranked among all
    # documents, the lessonless ones took body places (and candidate slots) from documents with
    # lessons: tune-fold task recall@5 0.808 -> 0.788 (docs/ranking-history.md).
    bodies = (
        _normalised(catalog.body_bm25, terms.weights, w.body_candidates, mask=catalog.documents_with_lessons)
        if w.body_weight > 0 and catalog.body_bm25 is not None
        else _NO_RANKING
    )
    passages = (
        _normalised(catalog.passage_bm25, terms.weights, w.passage_candidates)
        if w.passage_candidates > 0 and w.fusion_k > 0 and catalog.passage_bm25 is not None
        else _NO_RANKING
    )
    all_bodies = (
        _normalised(catalog.body_bm25, terms.weights, w.body_candidates)
        if len(passages.ranked.ids)
        and catalog.body_bm25 is not None
        and catalog.documents_with_lessons is not None
        else bodies
    )
    candidate_ids.update(lexical.ranked.ids.tolist())
    found_documents = {*documents.ranked.ids.tolist(), *bodies.ranked.ids.tolist()}
    candidate_ids.update(catalog.members_of(found_documents))

    # Scope evidence.
    query_text = " ".join(filter(None, [task, diff.added_text() if diff else ""]))
    query_techs = technologies_in_text(task or "")
    changed_paths = diff.paths if diff else []
    if diff:
        query_techs |= diff.technologies()
    elif task:
        query_techs |= technologies_in_code(task)
    query_services = services_named(query_text + " " + " ".join(changed_paths), catalog.known_services)
    path_matches: dict[int, tuple[str, str]] = {}
    if changed_paths:
        # Path globs are evidence strong enough to bring a constraint in on their own. Each
        # distinct glob is tested once; a constraint cites the first of its globs that matched.
        matched_globs = first_paths_matched(catalog.constraints_by_pattern(), changed_paths)
        if matched_globs:
            hit_ids = sorted({cid for g in matched_globs for cid in catalog.constraints_by_pattern()[g]})
            for cid in hit_ids:
                pattern = next(p for p in catalog.patterns_of(cid) if p in matched_globs)
                path_matches[cid] = (pattern, matched_globs[pattern])
                candidate_ids.add(cid)

    query_vectors = (
        np.vstack([encoding.result() for encoding in encodings])
        if encodings
        else np.zeros((0, 1), dtype=np.float32)
    )
    for vector in query_vectors:
        candidate_ids.update(cid for cid, _ in index.search(vector, w.candidates))

    columns = catalog.columns(
        candidate_ids, include_retired=include_inactive, include_proposed=include_proposed
    )
    rankings = _document_rankings(bodies, query_vectors)
    # A diff's decisive body match comes first, and a task's decisive passage match (for a task the
    # body rule did not hold out: docs/relevance.md, rounds six and eleven).
    lead = (
        decisive_lead(bodies.ranked.ids, bodies.ranked.scores, w.diff_body_lead)
        if diff is not None
        else decisive_lead(*_passage_documents(catalog, passages), w.task_passage_lead)
    )
    # A passage's document is ranked among every document's body.
    passage_rankings = _document_rankings(all_bodies, query_vectors)
    if len(lead):
        rankings.append(lead)
        passage_rankings.append(lead)
    if not len(columns.ids):
        if len(passages.ranked.ids):
            result.passages.extend(
                _passages_among(catalog, passages, all_bodies, passage_rankings, terms, w, k, [], set())
            )
        return result
    ids = columns.ids.tolist()
    document_ids = columns.document_ids.tolist()

    # Everything but the dense part of each candidate's score, as one array. The reasons are worked
    # out afterwards for the few hits returned: building them for every candidate cost more than
    # the ranking itself at scale.
    kind_bonus = dict(w.kind_bonus)
    static = w.lexical_weight * lexical.lookup(columns.ids)
    if w.document_weight > 0:
        static += w.document_weight * documents.lookup(columns.document_ids)
    if w.body_weight > 0:
        static += w.body_weight * bodies.lookup(columns.document_ids)
    if diff is None:
        kind_bonus = {kind: bonus * w.task_kind_share for kind, bonus in kind_bonus.items()}
    for kind, bonus in kind_bonus.items():
        static += np.float32(bonus) * (columns.kinds == kind)
    # Scope evidence as arrays: the names each hit matched are worked out for the hits alone.
    technology_count = (
        np.minimum(catalog.technology_counts(query_techs, columns), 2)
        if w.technology_bonus > 0 and query_techs
        else np.zeros(len(ids), dtype=np.int32)
    )
    service_match = (
        catalog.service_counts(query_services, columns) > 0
        if w.service_bonus > 0 and query_services
        else np.zeros(len(ids), dtype=bool)
    )
    path_match = np.isin(columns.ids, np.fromiter(path_matches, dtype=np.int64, count=len(path_matches)))
    static += (
        w.technology_bonus * technology_count + w.service_bonus * service_match + w.path_bonus * path_match
    )
    scoped = technology_count + service_match + path_match > 0

    # Similarity of every candidate to the query, from the stored vectors.
    matrix = _vectors(index, ids)
    similarity = (matrix @ query_vectors.T).max(axis=1) if len(query_vectors) else np.zeros(len(ids))
    # Document dense evidence: the mean similarity of each document's candidates, a static term.
    document_similarity = np.zeros(len(ids), dtype=np.float32)
    if w.document_dense_weight > 0 and len(query_vectors):
        document_similarity = _document_similarity(columns.document_ids, similarity)
        static += w.document_dense_weight * document_similarity
    scores = w.dense_weight * np.maximum(similarity, 0.0) + static

    # Pseudo-relevance feedback: the best lesson of each of the first pass's best documents, averaged,
    # is a second dense query over the same candidates. Lessons close to what already ranked well
    # rise; the query's own similarity still decides confidence. (Searching the index again with it
    # brought no new relevant document on the dev set, so the candidates stay those of the first pass.)
    feedback = np.zeros(len(ids), dtype=np.float32)
    if w.feedback_documents > 0 and w.feedback_weight > 0 and len(query_vectors):
        centroid = matrix[_best_per_document(columns.document_ids, scores, w.feedback_documents)].mean(axis=0)
        norm = float(np.linalg.norm(centroid))
        if norm > 0:
            feedback = matrix @ (centroid / norm)
            dense = (np.maximum(similarity, 0.0) + w.feedback_weight * np.maximum(feedback, 0.0)) / (
                1.0 + w.feedback_weight
            )
            scores = w.dense_weight * dense + static
    superseded = np.asarray(columns.statuses == "superseded", dtype=bool)
    rejected = np.asarray(columns.statuses == "rejected", dtype=bool)
    scores = np.where(superseded, scores * w.superseded_factor, scores)
    scores = np.where(rejected, scores * w.rejected_factor, scores)
    # A passage has no vector, so no meaning vote: for a task it ranks on its lexical evidence alone.
    by_meaning = (
        meaning_ranking(columns.document_ids, similarity, w.meaning_vote_similarity)
        if diff is None and w.task_meaning_vote
        else np.zeros(0, dtype=np.int64)
    )
    if len(by_meaning):
        rankings = [*rankings, by_meaning]
    # With passages to rank beside them, lessons are always on the fused (rank) scale.
    if w.fusion_k > 0 and (rankings or len(passages.ranked.ids)):
        scores = fuse_with_documents(scores, columns.ids, columns.document_ids, rankings, w.fusion_k)

    # Best first (ties by id), at most ``max_per_document`` a document.
    order = np.lexsort((columns.ids, -scores.astype(np.float64)))
    per_document: dict[int, int] = defaultdict(int)
    chosen: list[int] = []
    for row in order.tolist():
        doc_id = document_ids[row]
        if per_document[doc_id] < w.max_per_document:
            per_document[doc_id] += 1
            chosen.append(row)
            if len(chosen) >= k:
                break
    if len(passages.ranked.ids):
        lessons = [(float(scores[row]), document_ids[row]) for row in chosen]
        # Documents with candidate lessons speak through them.
        with_lessons = set(document_ids)
        result.passages.extend(
            _passages_among(
                catalog, passages, all_bodies, passage_rankings, terms, w, k, lessons, with_lessons
            )
        )
    # The words each hit matched, one pass per ranking for all hits.
    hit_documents = {document_ids[row] for row in chosen}
    lesson_words = lexical.terms_for([ids[row] for row in chosen], terms.weights)
    document_words = documents.terms_for(hit_documents, terms.weights) if w.document_weight > 0 else {}
    body_words = bodies.terms_for(hit_documents, terms.weights) if w.body_weight > 0 else {}
    closest = ClosestDocuments.among(columns.document_ids, similarity)
    for row in chosen:
        doc_id = document_ids[row]
        cid = ids[row]
        sim = float(similarity[row])
        found = (
            _scope_evidence(catalog, cid, path_matches.get(cid), query_techs, query_services, w)
            if scoped[row]
            else None
        )
        why: list[str] = []
        if found and found.path:
            why.append(f"path {found.path[0]} matches {found.path[1]}")
        if found and found.technologies:
            why.append("technology: " + ", ".join(found.technologies))
        if found and found.services:
            why.append("service: " + ", ".join(found.services))
        terms_found = lesson_words.get(cid, [])
        if terms_found and w.lexical_weight > 0:
            why.append("key terms: " + _strongest(terms_found, catalog.bm25, terms))
        if doc_id in document_words:
            why.append("document about: " + _strongest(document_words[doc_id], catalog.document_bm25, terms))
        if doc_id in body_words:
            why.append("document text mentions: " + _strongest(body_words[doc_id], bodies.index, terms))
        if len(lead) and doc_id == lead[0]:
            why.append(_LEAD_REASON if diff is not None else _TASK_LEAD_REASON)
        if kind_bonus.get(columns.kinds[row], 0.0) > 0:
            why.append(f"from a {columns.kinds[row]}")
        why.append(f"semantic similarity {sim:.2f}")
        if document_similarity[row] > 0:
            why.append(f"document similarity {float(document_similarity[row]):.2f}")
        if feedback[row] > 0 and w.feedback_weight > 0:
            why.append(f"similar to the best matches {float(feedback[row]):.2f}")
        if superseded[row]:
            why.append("superseded: kept as context")
        if rejected[row]:
            why.append("rejected decision: kept as context")
        confidence = lesson_confidence(
            similarity=sim,
            margin=closest.margin(doc_id, sim),
            path_match=bool(found and found.path),
            lexical_match=bool(terms_found),
            w=w,
            lexical_lead=bool(len(lead)) and doc_id == lead[0],
        )
        result.scored.append(
            Scored(
                id=cid,
                score=float(scores[row]),
                confidence=confidence.level,
                why=why,
                similarity=sim,
                strong_by_meaning_alone=confidence.by_meaning_alone,
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class _NormalisedRanking:
    """A BM25 ranking with each score divided by the query's ideal score (capped at 1.5)."""

    index: BM25 | None
    ranked: Ranked
    shares: np.ndarray  # float32, aligned with ranked.ids

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The share of each of ``keys`` (0 where it did not rank), as float32."""
        return values_at(keys, self.ranked.ids, self.shares)

    def terms_for(self, keys: Iterable[int], query_terms: dict[str, float]) -> dict[int, list[str]]:
        """The query terms each of ``keys`` holds, for those that ranked (the others matched none
        worth showing)."""
        wanted = np.fromiter(keys, dtype=np.int64)
        if self.index is None or not len(wanted) or not len(self.ranked.ids):
            return {}
        slots = np.flatnonzero(np.isin(self.ranked.ids, wanted))
        matched = self.index.matched_terms(query_terms, self.ranked.positions[slots])
        found = zip(slots.tolist(), matched, strict=True)
        return {int(self.ranked.ids[slot]): words for slot, words in found}


_NO_RANKING: Final = _NormalisedRanking(None, Ranked.empty(), np.zeros(0, np.float32))
_LEAD_REASON: Final = "document text matches the diff far better than any other document's"
_TASK_LEAD_REASON: Final = "a section of the document matches the task far better than any other document's"


def _passage_documents(catalog: Catalog, passages: _NormalisedRanking) -> tuple[np.ndarray, np.ndarray]:
    """The passage ranking as a ranking of documents, each by its best passage (ids, scores)."""
    if catalog.passages is None or not len(passages.ranked.ids):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return best_per_document(catalog.passages.documents[passages.ranked.ids], passages.ranked.scores)


def _passages_among(
    catalog: Catalog,
    passages: _NormalisedRanking,
    bodies: _NormalisedRanking,
    rankings: list[np.ndarray],
    terms: _QueryTerms,
    w: RankingWeights,
    k: int,
    lessons: list[tuple[float, int]],
    excluded: set[int],
) -> list[ScoredPassage]:
    """The passages that rank among the first ``k`` results beside the chosen ``lessons`` (fused
    score, document id; best first): the best passage of each document not in ``excluded`` (those
    with candidate lessons), scored like a lesson in ``fuse_with_documents``: 1/(k + its rank among
    the passages) + 1/(k + its document's rank) in each document ranking. At most
    ``max_per_document`` results a document, as for lessons."""
    table = catalog.passages
    assert table is not None
    rows = passages.ranked.ids
    documents = table.documents[rows]
    _, first = np.unique(documents, return_index=True)
    first.sort()  # each document's best passage, best first
    keep = first[~np.isin(documents[first], np.fromiter(excluded, dtype=np.int64, count=len(excluded)))]
    best_rows, best_documents = rows[keep], documents[keep]
    fused = 1.0 / (w.fusion_k + keep + 1.0) + reciprocal_ranks(best_documents, rankings, w.fusion_k)
    best = zip(fused.tolist(), best_documents.tolist(), best_rows.tolist(), strict=True)
    units = sorted(
        [(score, 0, doc, -1) for score, doc in lessons] + [(f, 1, doc, row) for f, doc, row in best],
        key=lambda u: (-u[0], u[1]),
    )
    per_document: dict[int, int] = defaultdict(int)
    shown: list[tuple[float, int, int]] = []
    taken = 0
    for score, is_passage, doc, row in units:
        if taken >= k:
            break
        if per_document[doc] >= w.max_per_document:
            continue
        per_document[doc] += 1
        taken += 1
        if is_passage:
            shown.append((score, doc, row))
    if not shown:
        return []
    words = passages.terms_for([row for _, _, row in shown], terms.weights)
    body_words = bodies.terms_for({doc for _, doc, _ in shown}, terms.weights)
    out = []
    for score, doc, row in shown:
        why = []
        if not catalog.by_document.get(doc):
            why.append("no lesson extracted from this document")
        if words.get(row):
            why.append("passage mentions: " + _strongest(words[row], passages.index, terms))
        if body_words.get(doc):
            why.append("document text mentions: " + _strongest(body_words[doc], bodies.index, terms))
        out.append(
            ScoredPassage(
                document_id=doc,
                heading=table.heading(row),
                line_start=int(table.lines[row, 0]),
                line_end=int(table.lines[row, 1]),
                score=score,
                confidence=_passage_confidence(),
                why=why,
            )
        )
    return out


def _passage_confidence() -> str:
    """A passage is ``weak``: it has lexical evidence only (no vector, so no similarity to
    calibrate), and on the tune fold 2 of the 23 passages among the first five documents were
    relevant (docs/relevance.md); prompt blocks show it only when asked for weak matches."""
    return "weak"


def _document_rankings(bodies: _NormalisedRanking, query_vectors: np.ndarray) -> list[np.ndarray]:
    """The document rankings fused with the lessons' and passages' own (document ids, best first):
    BM25 over whole document bodies; for a task, the lessons' also get ``meaning_ranking`` once
    their similarities are known. (A dense ranking over document chunks was measured as a second
    one: docs/ranking-history.md, ``fusion_k``.)"""
    return [bodies.ranked.ids] if len(bodies.ranked.ids) else []


def _normalised(
    index: BM25, query_terms: dict[str, float], k: int, *, mask: np.ndarray | None = None
) -> _NormalisedRanking:
    ideal = index.ideal_score(query_terms)
    if ideal <= 0:
        return _NormalisedRanking(index, Ranked.empty(), np.zeros(0, np.float32))
    ranked = index.rank(query_terms, k, mask=mask)
    return _NormalisedRanking(index, ranked, np.minimum(ranked.scores / ideal, 1.5).astype(np.float32))


def _strongest(found: list[str], index: BM25 | None, terms: _QueryTerms, limit: int = 5) -> str:
    """The ``limit`` matched terms that weigh most (query weight x idf), as the user wrote them."""
    idf = index.idf if index is not None else (lambda _t: 0.0)
    ranked = sorted(set(found), key=lambda t: (-idf(t) * terms.weights.get(t, 0.0), t))
    return ", ".join(terms.surface.get(t, t) for t in ranked[:limit])


_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_NAME_PART = re.compile(r"[_.-]+")


def services_named(text: str, known: set[str]) -> set[str]:
    """The known services a text names, as whole names or as parts of one (``orders`` in
    ``orders-db`` or ``services/orders/``), never inside another word (``auth`` in ``author``).

    One pass over the text's names instead of one substring search per known service: a knowledge
    base with hundreds of services paid milliseconds a diff for the latter.
    """
    if not known:
        return set()
    names: set[str] = set()
    for name in _NAME.findall(text.lower()):
        names.add(name)
        names.update(_NAME_PART.split(name))
    found = known & names
    # A service name with a space in it is not one name: look for it as is.
    found.update(s for s in known if " " in s and s in text.lower())
    return found


_ENCODER_THREADS: ThreadPoolExecutor | None = None
_ENCODER_THREADS_LOCK = threading.Lock()


def _encoder_threads() -> ThreadPoolExecutor:
    """Threads that run query encodings, started on first use (never at import)."""
    global _ENCODER_THREADS
    with _ENCODER_THREADS_LOCK:
        if _ENCODER_THREADS is None:
            _ENCODER_THREADS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kb-encode")
        return _ENCODER_THREADS


def _scope_evidence(
    catalog: Catalog,
    cid: int,
    path: tuple[str, str] | None,
    query_techs: set[str],
    query_services: set[str],
    w: RankingWeights,
) -> _ScopeEvidence:
    """The path, technologies and services one hit matched (its bonus came from the same rules)."""
    constraint, document = catalog.rows[cid]
    return _ScopeEvidence(
        path=path,
        technologies=sorted(query_techs & set(constraint.technologies)) if w.technology_bonus > 0 else [],
        services=sorted(query_services & {s.lower() for s in [*constraint.services, *document.services]})
        if w.service_bonus > 0
        else [],
    )


@dataclass(slots=True)
class _ScopeEvidence:
    path: tuple[str, str] | None  # (glob, changed path)
    technologies: list[str]
    services: list[str]


def _best_per_document(document_ids: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """Positions of the best-scoring lesson of each of the ``limit`` best documents."""
    best: list[int] = []
    seen: set[int] = set()
    for position in np.argsort(-scores, kind="stable").tolist():
        document_id = int(document_ids[position])
        if document_id in seen:
            continue
        seen.add(document_id)
        best.append(position)
        if len(best) >= limit:
            break
    return best


def _document_similarity(document_ids: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """Per candidate, the mean similarity (negatives as 0) of its document's candidates to the query.

    A document whose lessons match together is about the query; one sentence of a long runbook
    that happens to match is not. Only candidates are read (their similarities are already at hand),
    so the cost follows the candidate count, not the knowledge base's size.
    """
    if not len(document_ids):
        return np.zeros(0, dtype=np.float32)
    _, inverse = np.unique(document_ids, return_inverse=True)
    total = np.bincount(inverse, weights=np.maximum(similarity, 0.0))
    count = np.bincount(inverse)
    return (total / count)[inverse].astype(np.float32)


def _vectors(index: VectorIndex, ids: list[int]) -> np.ndarray:
    """The stored vectors of ``ids`` as rows; a zero row for an id the index does not hold."""
    return index.reconstruct_many(ids)
