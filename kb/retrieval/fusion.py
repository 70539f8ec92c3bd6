"""Reciprocal-rank fusion of the lessons' ranking with document rankings.

A lesson's fused score is 1/(k + its rank among the candidate lessons) plus, for each document
ranking, 1/(k + its document's rank there). The document rankings are whole-document BM25 (the
document's own text); the first document of a ranking where it leads decisively (``decisive_lead``:
for a diff the body ranking's, for a task alone the passage ranking's, by ``best_per_document``);
and, for a task alone, the documents whose best lesson the encoder finds about the same thing as
the task (``meaning_ranking``). Fusing ranks needs no weight, only the usual k = 60; how each
ranking was chosen: docs/ranking-history.md.
"""

from __future__ import annotations

import numpy as np


def values_at(keys: np.ndarray, known: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values[known == key]`` for each of ``keys`` (0 where absent) as float32."""
    out = np.zeros(len(keys), dtype=np.float32)
    if not len(known) or not len(keys):
        return out
    order = np.argsort(known)
    known, values = known[order], values[order]
    at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
    hit = known[at] == keys
    out[hit] = values[at[hit]]
    return out


def reciprocal_ranks(document_ids: np.ndarray, rankings: list[np.ndarray], k: int) -> np.ndarray:
    """Per item, the sum over ``rankings`` of 1/(k + its document's rank) (0 where absent)."""
    total = np.zeros(len(document_ids), dtype=np.float64)
    for ranking in rankings:
        rank = values_at(document_ids, ranking, np.arange(1, len(ranking) + 1, dtype=np.float32))
        total += np.where(rank > 0, 1.0 / (k + rank.astype(np.float64)), 0.0)
    return total


def fuse_with_documents(
    scores: np.ndarray, ids: np.ndarray, document_ids: np.ndarray, rankings: list[np.ndarray], k: int
) -> np.ndarray:
    """Each lesson's 1/(k + its rank by ``scores``) plus 1/(k + its document's rank) in each of
    ``rankings``. Whole-document BM25 is the strongest single ranker on both dev folds (a rare,
    decisive word in a document's body counts even where no lesson repeats it)."""
    order = np.lexsort((ids, -scores.astype(np.float64)))
    lesson_rank = np.empty(len(ids), dtype=np.float64)
    lesson_rank[order] = np.arange(1, len(ids) + 1)
    # Equal fused ranks (two lessons that swap places in the two rankings) keep the order of the
    # lessons' own evidence: a tie-breaker far below the gap between adjacent ranks (1/(k+r)^2).
    top = float(np.max(np.abs(scores))) or 1.0
    tie_breaker = 1e-7 * scores.astype(np.float64) / top
    fused: np.ndarray = 1.0 / (k + lesson_rank) + reciprocal_ranks(document_ids, rankings, k) + tie_breaker
    return fused


def meaning_ranking(document_ids: np.ndarray, similarity: np.ndarray, threshold: float) -> np.ndarray:
    """The documents whose best candidate lesson reaches ``threshold`` cosine similarity to the
    query, by that similarity (document ids, best first; ties by id).

    The lessons' own ranking mixes the similarity with BM25, document and kind evidence, and the
    body ranking is BM25 again: without this vote, meaning has one say in three. Only documents the
    encoder calls about the same thing (``meaning_vote_similarity``) vote: below it, the similarity of a
    paraphrase and of a shared topic word look alike, and a full dense ranking moved as many
    first results down as up.
    """
    passing = np.flatnonzero(similarity >= threshold)
    if not len(passing):
        return np.zeros(0, dtype=np.int64)
    documents = document_ids[passing]
    order = np.lexsort((documents, -similarity[passing].astype(np.float64)))
    ranked = documents[order]
    _, first = np.unique(ranked, return_index=True)
    return np.asarray(ranked[np.sort(first)], dtype=np.int64)


def decisive_lead(ranked_ids: np.ndarray, scores: np.ndarray, margin: float) -> np.ndarray:
    """The first document of a ranking, as a ranking of one, where its score is at least ``margin``
    times the second's (empty otherwise, and where fewer than two documents ranked or ``margin`` is
    not positive).

    Fused as one more ranking, it gives that document a second 1/(k + 1): more than any document
    without it can reach (1/(k + 1) from its lessons' rank, 1/(k + 1) from the body ranking), so its
    best lesson comes first. Why for a diff: where one document's text holds the diff's words far
    more than any other's, that document is the relevant one far more often than the document the
    lessons put first (57 of 62 against 46 of 62 diffs of the tuning sets at a margin of 1.3), whose
    lessons merely repeat more of the diff's words (docs/relevance.md, round six).
    """
    if margin <= 0 or len(ranked_ids) < 2 or float(scores[0]) < margin * float(scores[1]):
        return np.zeros(0, dtype=np.int64)
    return np.asarray(ranked_ids[:1], dtype=np.int64)


def best_per_document(documents: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A ranking of a document's parts (passages: their documents and scores, best first) as a
    ranking of documents, each by its best part: the document ids and their best scores, best first."""
    _, first = np.unique(documents, return_index=True)
    first.sort()
    return np.asarray(documents[first], dtype=np.int64), scores[first]
