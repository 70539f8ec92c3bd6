"""BM25 over constraint texts, in memory (Okapi BM25, k1=1.2, b=0.75)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from kb.text import tokens

K1 = 1.2
B = 0.75


class BM25:
    """An inverted index of token -> (positions, term frequencies) with BM25 scoring."""

    def __init__(self, ids: Sequence[int], texts: Iterable[str]) -> None:
        self.ids = np.asarray(list(ids), dtype=np.int64)
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths: list[int] = []
        for position, text in enumerate(texts):
            counts = Counter(tokens(text))
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                postings[term].append((position, tf))
        self.lengths = np.asarray(lengths, dtype=np.float32)
        self.avg_length = float(self.lengths.mean()) if len(lengths) else 0.0
        n = len(lengths)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        for term, rows in postings.items():
            positions = np.fromiter((p for p, _ in rows), dtype=np.int64, count=len(rows))
            tfs = np.fromiter((t for _, t in rows), dtype=np.float32, count=len(rows))
            idf = math.log(1.0 + (n - len(rows) + 0.5) / (len(rows) + 0.5))
            self._postings[term] = (positions, tfs, idf)

    def __len__(self) -> int:
        return len(self.ids)

    def idf(self, term: str) -> float:
        entry = self._postings.get(term)
        return entry[2] if entry else 0.0

    def ideal_score(self, query_terms: dict[str, float]) -> float:
        """The score of an average-length text holding each known query term once.

        Dividing by it gives the share of the query's information a text matches: unlike dividing by
        the best score of the query, a text that matches only common words stays low.
        """
        return sum(weight * self.idf(term) for term, weight in query_terms.items())

    def search(self, query_terms: dict[str, float], k: int) -> list[tuple[int, float, list[str]]]:
        """Top ``k`` (constraint id, score, matched terms); ``query_terms`` maps stemmed term -> weight."""
        if not len(self.ids) or not query_terms:
            return []
        scores = np.zeros(len(self.ids), dtype=np.float32)
        matched: dict[int, list[str]] = defaultdict(list)
        norm = K1 * (1 - B + B * self.lengths / max(self.avg_length, 1e-6))
        for term, weight in query_terms.items():
            entry = self._postings.get(term)
            if entry is None:
                continue
            positions, tfs, idf = entry
            scores[positions] += weight * idf * tfs * (K1 + 1) / (tfs + norm[positions])
            for p in positions.tolist():
                matched[p].append(term)
        top = np.argsort(-scores)[:k]
        return [(int(self.ids[p]), float(scores[p]), matched[int(p)]) for p in top if scores[p] > 0]
