"""BM25 in CSR arrays: saved, memory-mapped and ranked the same as in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kb.index.lexical import BM25

TEXTS = [
    "Retry the payment capture with an idempotency key.",
    "Payment retries doubled the charge: captures need idempotency keys.",
    "Drain the node group before upgrading kubernetes.",
    "Pin the postgres connection pool size per service.",
    "captureRetry must back off exponentially.",
]
QUERY = {"retri": 1.5, "payment": 1.0, "captur": 1.0, "idempot": 0.5}


def test_ranking_prefers_rare_matching_terms() -> None:
    index = BM25([10, 20, 30, 40, 50], TEXTS)
    hits = index.search(QUERY, 3)
    assert [cid for cid, _, _ in hits][:2] in ([10, 20], [20, 10])
    assert all(score > 0 for _, score, _ in hits)
    assert set(hits[0][2]) <= set(QUERY)
    assert index.idf("kubernet") > index.idf("payment") > 0
    assert index.idf("absent") == 0.0
    assert index.ideal_score({"payment": 2.0}) == 2.0 * index.idf("payment")


def test_memory_mapped_index_ranks_like_the_in_memory_one(tmp_path: Path) -> None:
    index = BM25([10, 20, 30, 40, 50], TEXTS)
    index.save(tmp_path, "lessons")
    loaded = BM25.load(tmp_path, "lessons")
    # A plain ndarray view (fast slicing) over the memory map, not a copy.
    assert not isinstance(loaded.positions, np.memmap)
    assert isinstance(loaded.positions.base, np.memmap)
    for query in (QUERY, {"kubernet": 1.0}, {"pool": 1.0, "postgr": 2.0}, {"nothing": 1.0}):
        assert loaded.search(query, 5) == index.search(query, 5)
        assert loaded.ideal_score(query) == index.ideal_score(query)


def test_mask_hides_rows_and_k_bounds_the_answer() -> None:
    index = BM25([10, 20, 30, 40, 50], TEXTS)
    mask = np.array([False, True, True, True, True])
    assert 10 not in [cid for cid, _, _ in index.search(QUERY, 5, mask=mask)]
    assert len(index.search(QUERY, 1)) == 1
    assert BM25([], []).search(QUERY, 5) == []
    assert index.search({}, 5) == []


def test_a_singular_query_finds_the_plural_text() -> None:
    from kb.text import tokens

    index = BM25([1, 2, 3], ["Cordon the nodes before the exercises.", "Pin the pool size.", "Rotate keys."])
    for word in ("node", "exercise"):
        hits = index.search(dict.fromkeys(tokens(word), 1.0), 3)
        assert [cid for cid, _, _ in hits] == [1]
