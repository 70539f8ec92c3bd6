"""BM25 over constraint texts (Okapi BM25, k1=1.2, b=0.75) with postings in CSR arrays.

Term ``t``'s postings are ``positions[indptr[t]:indptr[t + 1]]`` (row positions, ascending) with
their term frequencies in ``tfs``; ``idf`` and each row's length normaliser are precomputed, so a
query is one vectorised slice per query term. The arrays can be saved as ``.npy`` files and loaded
by memory map: a large index costs page cache, not Python objects.
"""

from __future__ import annotations

import json
import threading
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kb.text import WORD, tokens

K1 = 1.2
B = 0.75

_ARRAYS = ("ids", "indptr", "positions", "tfs", "term_idf", "norm", "impacts", "term_max")


class BM25:
    """An inverted index of term -> (positions, term frequencies) with BM25 scoring."""

    ids: np.ndarray  # row position -> id (int64)
    vocab: dict[str, int]  # term -> index into indptr / term_idf
    indptr: np.ndarray  # int64, len(vocab) + 1
    positions: np.ndarray  # int32 row positions, grouped by term
    tfs: np.ndarray  # float32 term frequencies, aligned with positions
    term_idf: np.ndarray  # float32 per term
    norm: np.ndarray  # float32 per row: k1 * (1 - b + b * length / average length)
    impacts: np.ndarray  # float32 per posting: (k1 + 1) * tf / (tf + norm[row]), the score before idf
    term_max: np.ndarray  # float32 per term: its largest impact (orders query terms by weight)

    def __init__(self, ids: Sequence[int] | np.ndarray, texts: Iterable[str]) -> None:
        ids_array = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        vocab: dict[str, int] = {}
        term_ids = array("i")
        positions = array("i")
        frequencies = array("f")
        lengths = array("f")
        cache: dict[str, list[str]] = {}
        for position, text in enumerate(texts):
            counts: Counter[str] = Counter()
            for raw in WORD.findall(text):
                found = cache.get(raw)
                if found is None:
                    # tokens() treats each word on its own, so a per-word cache gives the same output.
                    found = cache[raw] = tokens(raw)
                counts.update(found)
            lengths.append(float(sum(counts.values())))
            for term, tf in counts.items():
                term_ids.append(vocab.setdefault(term, len(vocab)))
                positions.append(position)
                frequencies.append(float(tf))
        self._init_arrays(ids_array, vocab, term_ids, positions, frequencies, lengths)

    def _init_arrays(
        self,
        ids: np.ndarray,
        vocab: dict[str, int],
        term_ids: array[int],
        positions: array[int],
        frequencies: array[float],
        lengths: array[float],
    ) -> None:
        terms = np.frombuffer(term_ids, dtype=np.int32) if len(term_ids) else np.zeros(0, np.int32)
        order = np.argsort(terms, kind="stable")  # stable: positions stay ascending within a term
        counts = np.bincount(terms, minlength=len(vocab)) if len(vocab) else np.zeros(0, np.int64)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        n = len(lengths)
        length_array = np.frombuffer(lengths, dtype=np.float32) if n else np.zeros(0, np.float32)
        avg = float(length_array.mean()) if n else 0.0
        self.ids = ids
        self.vocab = vocab
        self.indptr = indptr
        self.positions = (
            np.frombuffer(positions, dtype=np.int32)[order] if len(positions) else np.zeros(0, np.int32)
        )
        self.tfs = (
            np.frombuffer(frequencies, dtype=np.float32)[order]
            if len(frequencies)
            else np.zeros(0, np.float32)
        )
        self.term_idf = np.log1p((n - counts + 0.5) / (counts + 0.5)).astype(np.float32)
        self.norm = (K1 * (1 - B + B * length_array / max(avg, 1e-6))).astype(np.float32)
        self.impacts = ((K1 + 1) * self.tfs / (self.tfs + self.norm[self.positions])).astype(np.float32)
        term_max = np.zeros(len(vocab), dtype=np.float32)
        if len(self.impacts):
            nonempty = counts > 0
            term_max[nonempty] = np.maximum.reduceat(self.impacts, indptr[:-1][nonempty])
        self.term_max = term_max

    # --- persistence ---------------------------------------------------------------------------------

    def save(self, directory: Path, name: str) -> None:
        """Write the arrays as ``<name>.<array>.npy`` and the vocabulary as ``<name>.vocab.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        for key in _ARRAYS:
            np.save(directory / f"{name}.{key}.npy", np.ascontiguousarray(getattr(self, key)))
        (directory / f"{name}.vocab.json").write_text(json.dumps(self.vocab), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, name: str, *, mmap: bool = True) -> BM25:
        """Load saved arrays (memory-mapped unless ``mmap`` is false)."""
        self = cls.__new__(cls)
        mode: Any = "r" if mmap else None
        for key in _ARRAYS:
            # np.asarray drops the memmap subclass (slow slicing: every slice ran its Python hooks)
            # and keeps the mapping.
            setattr(self, key, np.asarray(np.load(directory / f"{name}.{key}.npy", mmap_mode=mode)))
        self.vocab = json.loads((directory / f"{name}.vocab.json").read_text(encoding="utf-8"))
        return self

    # --- scoring -------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def idf(self, term: str) -> float:
        index = self.vocab.get(term)
        return float(self.term_idf[index]) if index is not None else 0.0

    def ideal_score(self, query_terms: dict[str, float]) -> float:
        """The score of an average-length text holding each known query term once.

        Dividing by it gives the share of the query's information a text matches: unlike dividing by
        the best score of the query, a text that matches only common words stays low.
        """
        return sum(weight * self.idf(term) for term, weight in query_terms.items())

    def _query_postings(self, query_terms: dict[str, float]) -> list[_TermPostings]:
        """The query's known terms with postings, largest possible contribution first (a fixed order,
        so float sums do not depend on how the caller built the query)."""
        found: list[_TermPostings] = []
        for term, weight in query_terms.items():
            index = self.vocab.get(term)
            if index is None:
                continue
            start, end = int(self.indptr[index]), int(self.indptr[index + 1])
            if start == end:
                continue
            factor = weight * float(self.term_idf[index])
            found.append(_TermPostings(term, index, start, end, factor, factor * float(self.term_max[index])))
        found.sort(key=lambda t: (-t.bound, t.term))
        return found

    def search(
        self, query_terms: dict[str, float], k: int, *, mask: np.ndarray | None = None
    ) -> list[tuple[int, float, list[str]]]:
        """Top ``k`` (id, score, matched terms); ``query_terms`` maps stemmed term -> weight.

        ``mask`` (one bool per row) hides rows a caller may not see.
        """
        ranked = self.rank(query_terms, k, mask=mask)
        matched = self.matched_terms(query_terms, ranked.positions)
        return [
            (int(i), float(score), terms)
            for i, score, terms in zip(ranked.ids.tolist(), ranked.scores.tolist(), matched, strict=True)
        ]

    def rank(self, query_terms: dict[str, float], k: int, *, mask: np.ndarray | None = None) -> Ranked:
        """The top ``k`` rows, best first (ties by position, i.e. ascending id order), as arrays.

        Each posting's impact (the BM25 term score before idf) is precomputed, so a query term is one
        gather and one scatter-add. Which terms each row matched is left to ``matched_terms``, asked
        only for the rows a caller shows: for a 32-term diff query it cost as much as the scoring.
        (MaxScore pruning was tried: on the benchmark's million lessons, whose query words are all
        common, its checks cost more than they saved: 43 ms against 16 ms a task query.)
        """
        n = len(self.ids)
        postings = self._query_postings(query_terms) if n and query_terms and k > 0 else []
        if not postings:
            return Ranked.empty()
        scores = _work_array(n)
        try:
            for t in postings:
                scores[self.positions[t.start : t.end]] += t.factor * self.impacts[t.start : t.end]
            if mask is not None:
                scores[~mask] = 0.0
            top = _top_rows(scores, k)
            top_scores = scores[top]
        finally:
            _release_work_array(scores)
        order = np.lexsort((top, -top_scores))
        top = top[order]
        return Ranked(ids=np.asarray(self.ids[top]), scores=top_scores[order], positions=top)

    def matched_terms(self, query_terms: dict[str, float], positions: np.ndarray) -> list[list[str]]:
        """For each row position, the query terms it holds (strongest first, as ``rank`` adds them)."""
        matched: list[list[str]] = [[] for _ in range(len(positions))]
        if not len(positions):
            return matched
        for t in self._query_postings(query_terms):
            rows = self.positions[t.start : t.end]
            found = np.searchsorted(rows, positions)
            found[found >= len(rows)] = 0
            for slot in np.flatnonzero(rows[found] == positions).tolist():
                matched[slot].append(t.term)
        return matched


@dataclass(frozen=True, slots=True)
class Ranked:
    """A BM25 ranking: ids, scores and row positions, best first."""

    ids: np.ndarray  # int64
    scores: np.ndarray  # float32
    positions: np.ndarray  # row positions, for ``BM25.matched_terms``

    @classmethod
    def empty(cls) -> Ranked:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.int64))


_WORK = threading.local()
# Below this many rows a fresh array costs nothing worth saving.
_REUSE_FROM = 16_384


def _work_array(n: int) -> np.ndarray:
    """A zeroed float32 array of ``n`` rows for one search, reused by this thread.

    A fresh array the size of the knowledge base is new memory every query, and the first write to
    each page faults: at 100k lessons that cost more than the scoring itself (measured). Zeroing a
    kept array is one memset. One array per size and thread (a thread runs one search at a time).
    """
    if n < _REUSE_FROM:
        return np.zeros(n, dtype=np.float32)
    array_ = _kept_arrays().pop(n, None)
    if array_ is None:
        return np.zeros(n, dtype=np.float32)
    array_.fill(0.0)
    return array_


def _release_work_array(array_: np.ndarray) -> None:
    if len(array_) >= _REUSE_FROM:
        _kept_arrays()[len(array_)] = array_


def _kept_arrays() -> dict[int, np.ndarray]:
    """This thread's idle work arrays, by size."""
    if not hasattr(_WORK, "arrays"):
        _WORK.arrays = {}
    kept: dict[int, np.ndarray] = _WORK.arrays
    return kept


def _top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """The rows of the ``k`` best positive ``scores`` (ascending); ties at the cut go to lower rows.

    One partition of the whole array, then boolean scans: ``flatnonzero`` on a float array of 100k
    rows cost 0.9 ms, more than scoring a task query.
    """
    n = len(scores)
    if n <= k:
        return np.flatnonzero(scores > 0)
    kth = np.partition(scores, n - k)[n - k]
    if kth <= 0:  # fewer than k rows matched at all
        return np.flatnonzero(scores > 0)
    above = np.flatnonzero(scores > kth)
    tied = np.flatnonzero(scores == kth)[: k - len(above)]
    return np.concatenate([above, tied]) if len(tied) else above


@dataclass(frozen=True, slots=True)
class _TermPostings:
    term: str
    index: int
    start: int
    end: int
    factor: float  # query weight x idf
    bound: float  # factor x the term's largest impact
