"""The FAISS index: a cache of SQL vectors, saved with a sidecar and refused when it does not match."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from kb.embedding.fake import HashingEmbedder
from kb.errors import IndexMismatchError
from kb.index.vectors import SIDECAR_FILE, VectorIndex
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase
from kb.settings import Settings


def _unit(rows: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    m = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_search_returns_constraint_ids_best_first(tmp_path: Path) -> None:
    vectors = _unit(5)
    index = VectorIndex.build(np.array([10, 20, 30, 40, 50]), vectors, model="m", dimension=8, revision=1)
    hits = index.search(vectors[2], 3)
    assert hits[0][0] == 30 and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert len(hits) == 3
    assert np.allclose(index.reconstruct(40), vectors[3])


def test_saved_index_loads_with_matching_sidecar(tmp_path: Path) -> None:
    index = VectorIndex.build(np.array([1, 2]), _unit(2), model="m", dimension=8, revision=7)
    index.save(tmp_path)
    sidecar = json.loads((tmp_path / SIDECAR_FILE).read_text())
    assert sidecar["model"] == "m" and sidecar["dimension"] == 8 and sidecar["count"] == 2
    assert sidecar["revision"] == 7 and sidecar["built_at"]
    loaded = VectorIndex.load(tmp_path, model="m", dimension=8, count=2, revision=7)
    assert loaded.count == 2


@pytest.mark.parametrize(
    ("expect", "word"),
    [
        ({"model": "other"}, "model"),
        ({"dimension": 16}, "dimension"),
        ({"count": 3}, "count"),
        ({"revision": 8}, "revision"),
    ],
)
def test_mismatched_index_is_refused(tmp_path: Path, expect: dict[str, object], word: str) -> None:
    VectorIndex.build(np.array([1, 2]), _unit(2), model="m", dimension=8, revision=7).save(tmp_path)
    args: dict[str, object] = {"model": "m", "dimension": 8, "count": 2, "revision": 7, **expect}
    with pytest.raises(IndexMismatchError, match=word):
        VectorIndex.load(tmp_path, **args)  # type: ignore[arg-type]


def test_missing_or_corrupt_index_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IndexMismatchError, match="no saved index"):
        VectorIndex.load(tmp_path, model="m", dimension=8)
    VectorIndex.build(np.array([1]), _unit(1), model="m", dimension=8, revision=1).save(tmp_path)
    (tmp_path / SIDECAR_FILE).write_text("{not json")
    with pytest.raises(IndexMismatchError, match="unreadable"):
        VectorIndex.load(tmp_path, model="m", dimension=8)


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return super().embed(texts)


def test_reindex_rebuilds_from_sql_without_reembedding(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    kb = KnowledgeBase(Settings(home=tmp_path, embedder="hashing"), embedder=embedder)
    draft = DocumentDraft(
        path="a.md",
        kind="runbook",
        title="t",
        sha256="s",
        constraints=[
            ConstraintDraft(
                statement=f"Rule number {i} about disks.",
                rationale="",
                category="operational",
                severity="low",
            )
            for i in range(4)
        ],
    )
    kb.add_documents("src", [draft])
    assert embedder.texts == 4
    info = kb.reindex()
    assert info.count == 4 and embedder.texts == 4
    # A deleted index file is rebuilt from SQL on the next query, again with no document re-embedded.
    (tmp_path / "index" / "index.faiss").unlink()
    fresh = KnowledgeBase(Settings(home=tmp_path, embedder="hashing"), embedder=embedder)
    result = fresh.query(task="rule about disks", k=2)
    assert len(result.hits) == 2
    assert embedder.texts == 5  # only the query text
    kb.close()
    fresh.close()


def test_index_follows_sql_after_a_write(fake_kb: KnowledgeBase) -> None:
    first = DocumentDraft(
        path="a.md",
        kind="adr",
        title="t",
        sha256="1",
        constraints=[
            ConstraintDraft(
                statement="Use PostgreSQL for orders.", rationale="", category="data", severity="high"
            )
        ],
    )
    fake_kb.add_documents("src", [first])
    assert fake_kb.index().count == 1
    second = DocumentDraft(
        path="b.md",
        kind="adr",
        title="t",
        sha256="2",
        constraints=[
            ConstraintDraft(
                statement="Use Kafka for events.", rationale="", category="architecture", severity="high"
            )
        ],
    )
    fake_kb.add_documents("src", [second])
    assert fake_kb.index().count == 2


def test_index_type_follows_size_and_is_recorded(tmp_path: Path) -> None:
    vectors = _unit(40, dim=16, seed=3)
    ids = np.arange(100, 140)
    small = VectorIndex.build(ids[:9], vectors[:9], model="m", dimension=16, revision=1, ann_threshold=10)
    assert small.info.index_type == "flat-ip" and small.info.ef_search == 0
    large = VectorIndex.build(
        ids, vectors, model="m", dimension=16, revision=1, ann_threshold=10, ef_search=64
    )
    assert large.info.index_type == "hnsw-fp16-ip" and large.info.hnsw_m == 32 and large.info.ef_search == 64
    large.save(tmp_path)
    sidecar = json.loads((tmp_path / SIDECAR_FILE).read_text())
    assert sidecar["index_type"] == "hnsw-fp16-ip" and sidecar["ef_search"] == 64
    loaded = VectorIndex.load(tmp_path, model="m", dimension=16, count=40, revision=1)
    assert loaded.info.index_type == "hnsw-fp16-ip"
    # On a few vectors HNSW with a deep search is exact: same answers as the in-memory index.
    for row in (0, 17, 39):
        assert [i for i, _ in loaded.search(vectors[row], 5)] == [i for i, _ in large.search(vectors[row], 5)]
        assert loaded.search(vectors[row], 1)[0][0] == ids[row]
    # Stored as float16: equal to the input within fp16 rounding.
    assert np.allclose(loaded.reconstruct(117), vectors[17], atol=1e-3)


def test_old_sidecar_format_is_refused(tmp_path: Path) -> None:
    VectorIndex.build(np.array([1, 2]), _unit(2), model="m", dimension=8, revision=7).save(tmp_path)
    raw = json.loads((tmp_path / SIDECAR_FILE).read_text())
    raw["format"] = 1
    (tmp_path / SIDECAR_FILE).write_text(json.dumps(raw))
    with pytest.raises(IndexMismatchError, match="format"):
        VectorIndex.load(tmp_path, model="m", dimension=8)


def test_knowledge_base_uses_the_ann_threshold_setting(tmp_path: Path) -> None:
    kb = KnowledgeBase(
        Settings(home=tmp_path, embedder="hashing", ann_threshold=3), embedder=HashingEmbedder()
    )
    draft = DocumentDraft(
        path="a.md",
        kind="runbook",
        title="t",
        sha256="s",
        constraints=[
            ConstraintDraft(
                statement=f"Rule {i} about disks.", rationale="", category="operational", severity="low"
            )
            for i in range(4)
        ],
    )
    kb.add_documents("src", [draft])
    assert kb.reindex().index_type == "hnsw-fp16-ip"
    assert kb.query(task="rule about disks", k=3).hits
    kb.close()


def test_reconstruct_many_matches_one_by_one_and_zero_fills_unknown_ids() -> None:
    vectors = _unit(4)
    index = VectorIndex.build(np.array([5, 6, 7, 8]), vectors, model="m", dimension=8, revision=1)
    many = index.reconstruct_many([8, 5])
    assert np.allclose(many, vectors[[3, 0]])
    with_unknown = index.reconstruct_many([6, 999])
    assert np.allclose(with_unknown[0], vectors[1]) and not with_unknown[1].any()
    assert index.reconstruct_many([]).shape == (0, 8)


def test_hnsw_search_depth_grows_with_the_index_unless_set() -> None:
    from kb.index.vectors import auto_ef_search

    assert auto_ef_search(20_000) == 256  # the floor
    assert auto_ef_search(1_000_000) == 2500  # size / 400
    assert auto_ef_search(100_000_000) == 4096  # the ceiling
    vectors = _unit(40, dim=16, seed=5)
    ids = np.arange(40)
    by_size = VectorIndex.build(ids, vectors, model="m", dimension=16, revision=1, ann_threshold=10)
    assert by_size.info.ef_search == 256
    fixed = VectorIndex.build(
        ids, vectors, model="m", dimension=16, revision=1, ann_threshold=10, ef_search=80
    )
    assert fixed.info.ef_search == 80


@pytest.mark.parametrize("threshold", [1_000, 10], ids=["exact", "hnsw"])
@pytest.mark.parametrize("shuffled", [False, True], ids=["ascending-ids", "shuffled-ids"])
def test_gathered_vectors_equal_faiss_reconstruction_built_and_mapped(
    tmp_path: Path, threshold: int, shuffled: bool
) -> None:
    """Candidates' vectors come from a numpy view of the index's memory: the same values as FAISS's
    own reconstruction, for exact and HNSW (fp16) indexes, built here or memory-mapped from disk."""
    rng = np.random.default_rng(5)
    ids = np.arange(100, 400, 3, dtype=np.int64)
    if shuffled:
        rng.shuffle(ids)
    vectors = _unit(len(ids), dim=16, seed=2)
    built = VectorIndex.build(ids, vectors, model="m", dimension=16, revision=1, ann_threshold=threshold)
    built.save(tmp_path)
    mapped = VectorIndex.load(tmp_path, model="m", dimension=16, revision=1)
    wanted = [int(i) for i in rng.choice(ids, 40, replace=False)]
    for index in (built, mapped):
        assert index._stored_vectors is not None  # the fast path, not the fallback
        expected = np.asarray(index._index.reconstruct_batch(np.asarray(wanted)), dtype=np.float32)
        assert np.array_equal(index.reconstruct_many(wanted), expected)
        with_unknown = index.reconstruct_many([wanted[0], 5, 10_000, wanted[1]])
        assert np.array_equal(with_unknown[[0, 3]], expected[:2])
        assert not with_unknown[[1, 2]].any()
    hnsw = threshold == 10
    assert (built.info.index_type == "hnsw-fp16-ip") is hnsw
    # fp16 storage: close to the input, not equal; exact storage: equal.
    position = int(np.flatnonzero(ids == wanted[0])[0])
    assert np.allclose(built.reconstruct_many(wanted[:1])[0], vectors[position], atol=1e-3)
    assert np.array_equal(built.reconstruct_many(wanted[:1])[0], vectors[position]) is not hnsw
