"""A second look at a task's first documents: BM25 over each one's whole text.

The first stage reads a document through its lessons, its passages and the first
``BODY_INDEX_CHARS`` of its body (kb.index.catalog), all ranked over the whole knowledge base. Whole
documents, as a reader sees them, are another piece of evidence: plain BM25 over whole documents (the
relevance bench's ``bm25-doc`` baseline) puts a task's document first where the ranking does not, now and
then. Reading every body on every query would cost a full-text index; the
first ``lead_documents`` documents of the ranking are enough (the relevant one is among them for most
tasks), so their stored bodies are read and scored on the fly, and only a decisive lead moves anything:
where one of them scores at least ``task_document_lead`` times the next, it comes first (as
kb.retrieval.fusion.decisive_lead does inside the first stage). Chosen by leave-one-set-out over thirteen
blind sets; for a diff neither the lead nor a reciprocal-rank fusion of the same scores held out
(docs/relevance.md, round fourteen).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Final

from kb.index.lexical import K1, B
from kb.retrieval.results import Hit, PassageHit, QueryResult
from kb.text import tokens

WHOLE_TEXT_REASON: Final = "the whole document's text matches the task far better than the next result's"
# How far above the first result the lead document's best item is put: below the gap between neighbours
# at the top of the fused scale (about 1e-4), above the six decimals a score is shown to.
_STEP: Final = 1e-5


def whole_text_scores(
    texts: Sequence[str], query_terms: Mapping[str, float], idf: Callable[[str], float]
) -> list[float]:
    """Okapi BM25 of each of ``texts`` for ``query_terms`` (stem -> weight), with the knowledge base's
    ``idf`` and the texts' own mean length as the average: only their order among themselves counts."""
    counts = [_term_counts(text) for text in texts]
    lengths = [sum(c.values()) for c in counts]
    average = max(sum(lengths) / max(len(lengths), 1), 1e-6)
    weights = {term: weight * idf(term) for term, weight in query_terms.items()}
    scores = []
    for found, length in zip(counts, lengths, strict=True):
        norm = K1 * (1 - B + B * length / average)
        scores.append(
            sum(w * (K1 + 1) * found[t] / (found[t] + norm) for t, w in weights.items() if w > 0 and found[t])
        )
    return scores


@lru_cache(maxsize=128)
def _term_counts(text: str) -> Counter[str]:
    """A text's term counts. Cached by the text itself (an edited document is a new key): the same
    few documents come first for many tasks, and reading them is most of this stage's cost."""
    return Counter(tokens(text))


def decisive_position(scores: Sequence[float], margin: float) -> int | None:
    """The position of the best of ``scores`` where it is at least ``margin`` times the second best
    (None where it is not, where fewer than two scored, or where ``margin`` is not positive)."""
    if margin <= 0 or len(scores) < 2:
        return None
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    best, second = scores[order[0]], scores[order[1]]
    if best <= 0 or best < margin * second:
        return None
    return order[0]


def first_documents(result: QueryResult, limit: int) -> list[int]:
    """The ids of the first ``limit`` distinct documents of ``result`` (lessons and passages), in order."""
    seen: dict[int, None] = {}
    for item in result.ranked():
        doc_id = item.document.id
        if doc_id is not None and doc_id not in seen:
            seen[doc_id] = None
            if len(seen) >= limit:
                break
    return list(seen)


def lead_by_whole_text(
    result: QueryResult,
    *,
    task: str,
    bodies: Callable[[list[int]], Mapping[int, str]],
    idf: Callable[[str], float],
    documents: int,
    margin: float,
) -> int | None:
    """Put first the document among the first ``documents`` whose whole text (title and stored body,
    read through ``bodies``) leads the others' by ``margin`` in BM25 for ``task``; its lessons and
    passages keep their order among themselves and say why. Returns the document moved (None: none)."""
    if margin <= 0 or documents < 2:
        return None
    order = result.ranked()
    ranked = first_documents(result, documents)
    if len(ranked) < 2:
        return None
    titles = {item.document.id: item.document.title for item in order}
    stored = bodies(ranked)
    texts = [f"{titles.get(doc_id) or ''} {stored.get(doc_id) or ''}" for doc_id in ranked]
    query_terms = {term: float(n) for term, n in Counter(tokens(task)).items()}
    position = decisive_position(whole_text_scores(texts, query_terms, idf), margin)
    if not position:  # none, or the first document already
        return None
    lead = ranked[position]
    items: list[Hit | PassageHit] = [item for item in order if item.document.id == lead]
    lift = order[0].score - items[0].score + _STEP
    for item in items:
        item.score += lift
        item.why.append(WHOLE_TEXT_REASON)
    result.hits.sort(key=lambda hit: -hit.score)
    result.passages.sort(key=lambda passage: -passage.score)
    return lead
