"""BM25 top k: the same answer as scoring every row by hand, with ties broken by row order."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from kb.index.lexical import BM25, K1, B
from kb.text import tokens

COMMON = ["service", "deploy", "database", "timeout", "retry"]
RARE = [f"rare{i}" for i in range(60)]


def _corpus(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        words = [w for w in COMMON if rng.random() < 0.6]
        words += rng.sample(RARE, rng.randint(0, 3))
        words += ["filler"] * rng.randint(0, 6)  # varied lengths, so impacts differ
        texts.append(" ".join(words) or "empty")
    return texts


def _by_hand(texts: list[str], query: dict[str, float]) -> list[float]:
    docs = [tokens(t) for t in texts]
    avg = sum(len(d) for d in docs) / len(docs)
    out = []
    for d in docs:
        score = 0.0
        for term, weight in query.items():
            df = sum(term in other for other in docs)
            tf = d.count(term)
            if tf:
                idf = math.log1p((len(docs) - df + 0.5) / (df + 0.5))
                score += weight * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(d) / avg))
        out.append(score)
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_top_k_matches_bm25_computed_by_hand_with_ties_to_the_lower_row(seed: int) -> None:
    texts = _corpus(300, seed)
    index = BM25(range(1000, 1300), texts)
    rng = random.Random(seed)
    mask = np.array([rng.random() < 0.8 for _ in range(300)])
    for _ in range(10):
        words = {w: 1.0 for w in rng.sample(COMMON, 2)} | {w: 2.0 for w in rng.sample(RARE, 2)}
        query = {t: w for q, w in words.items() for t in tokens(q)}  # the index holds stemmed terms
        expected = _by_hand(texts, query)
        for m in (None, mask):
            got = index.search(query, 10, mask=m)
            rows = [i - 1000 for i, _, _ in got]
            scores = [s for _, s, _ in got]
            visible = {row for row, s in enumerate(expected) if s > 0 and (m is None or m[row])}
            assert len(got) == min(10, len(visible))
            assert set(rows) <= visible
            assert all(abs(s - expected[row]) < 1e-3 for row, s in zip(rows, scores, strict=True))
            # Best first; equal scores in row order; nothing left out scores above the last one.
            pairs = zip(scores, scores[1:], rows, rows[1:], strict=False)
            assert all(a > b or (a == b and r < q) for a, b, r, q in pairs)
            assert all(expected[row] <= scores[-1] + 1e-3 for row in visible - set(rows))


def test_ties_at_the_cut_go_to_the_lower_rows() -> None:
    index = BM25(range(50), ["kafka consumer lag"] * 50)
    assert [i for i, _, _ in index.search({"kafka": 1.0}, 5)] == [0, 1, 2, 3, 4]
