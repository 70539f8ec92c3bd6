"""A task's dense vote from document windows (relevance round nine): every document's text as word
windows, embedded beside the catalog, a document ranked by its best window (kb.index.windows).

The real-model path is covered by scripts/relevance_bench.py (the bench's knowledge base builds
the windows on its first query); these tests use the hashing embedder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from kb.embedding.fake import HashingEmbedder
from kb.errors import IndexMismatchError
from kb.index.windows import SIDECAR_FILE, WindowVectors, split_windows
from kb.records import ConstraintDraft, DocumentDraft
from kb.retrieval.search import DEFAULT_WEIGHTS
from kb.service import KnowledgeBase


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, remembering every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return super().embed(texts)


def test_windows_overlap_and_reach_the_end() -> None:
    text = " ".join(f"w{i}" for i in range(420))
    windows = split_windows(text)
    # Starts 0, 100, 200 (150 words each), then the last 150 words: 420 - 150 is not on the stride.
    assert [w.split()[0] for w in windows] == ["w0", "w100", "w200", "w270"]
    assert all(len(w.split()) == 150 for w in windows)
    assert windows[-1].split()[-1] == "w419"
    assert split_windows("one two three") == ["one two three"]
    assert split_windows("  \n ") == []


def _unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_a_document_ranks_by_its_best_window_among_the_visible() -> None:
    windows = WindowVectors(
        model="m",
        revision=1,
        documents=np.array([1, 1, 2, 3], dtype=np.int64),
        vectors=np.stack([_unit(0, 1), _unit(1, 0.2), _unit(1, 0.6), _unit(1, 0.4)]),
    )
    query = _unit(1, 0)[None, :]
    # Document 1's best window (its second) beats document 3's and 2's; its first counts for nothing.
    assert windows.ranking(query, 10, visible={1, 2, 3}).tolist() == [1, 3, 2]
    assert windows.ranking(query, 2, visible={1, 2, 3}).tolist() == [1, 3]
    # A document the caller may not see takes no place.
    assert windows.ranking(query, 10, visible={2, 3}).tolist() == [3, 2]
    assert windows.ranking(query, 0, visible={1, 2, 3}).tolist() == []
    assert windows.ranking(np.zeros((0, 2), np.float32), 5, visible={1}).tolist() == []


def test_a_rebuild_embeds_only_the_documents_whose_text_changed(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    first = WindowVectors.build([(1, "alpha beta"), (2, "gamma delta")], embedder, revision=1)
    assert first.documents.tolist() == [1, 2]
    embedder.seen.clear()
    second = WindowVectors.build(
        [(1, "alpha beta"), (2, "gamma epsilon"), (3, "zeta")], embedder, revision=2, previous=first
    )
    assert embedder.seen == ["gamma epsilon", "zeta"]
    assert second.documents.tolist() == [1, 2, 3]
    np.testing.assert_array_equal(second.vectors[0], first.vectors[0])
    np.testing.assert_allclose(second.vectors[1], embedder.embed(["gamma epsilon"])[0])
    # Saved and loaded as they were; another model's vectors are refused.
    second.save(tmp_path)
    loaded = WindowVectors.load(tmp_path, model=embedder.name, dimension=embedder.dimension)
    assert (loaded.revision, loaded.hashes) == (2, second.hashes)
    np.testing.assert_array_equal(loaded.vectors, second.vectors)
    with pytest.raises(IndexMismatchError):
        WindowVectors.load(tmp_path, model="another", dimension=embedder.dimension)


MIGRATION_BODY = (
    "# Virtual machines migrate all day\n"
    "When the cluster keeps live-migrating virtual machines from node to node all day, the "
    "migration policy is too eager: check the eviction strategy of the workloads."
)


@pytest.fixture
def two_runbooks(fake_kb: KnowledgeBase) -> KnowledgeBase:
    def lesson(statement: str) -> ConstraintDraft:
        return ConstraintDraft(statement=statement, rationale="", category="operational", severity="high")

    fake_kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="runbooks/migrations.md",
                kind="runbook",
                title="Migrations",
                sha256="1",
                body=MIGRATION_BODY,
                constraints=[lesson("Set the eviction strategy of every workload.")],
            ),
            DocumentDraft(
                path="runbooks/keys.md",
                kind="runbook",
                title="Keys",
                sha256="2",
                body="# Keys\nRotate the signing keys every year and keep the old key for a month.",
                constraints=[lesson("Rotate the signing keys every year.")],
            ),
        ],
    )
    fake_kb.reindex()
    return fake_kb


def test_a_task_gains_one_reciprocal_rank_from_its_best_window(two_runbooks: KnowledgeBase) -> None:
    kb = two_runbooks
    task = "virtual machines keep live-migrating from node to node all day"
    with_vote = {h.document.path: h.score for h in kb.query(task=task, k=5).hits}
    kb.weights = replace(DEFAULT_WEIGHTS, task_window_vote=0)
    without = {h.document.path: h.score for h in kb.query(task=task, k=5).hits}
    kb.weights = DEFAULT_WEIGHTS
    k = DEFAULT_WEIGHTS.fusion_k
    # The migration runbook's window is the first document of the vote, the keys runbook second.
    assert with_vote["runbooks/migrations.md"] - without["runbooks/migrations.md"] == pytest.approx(
        1 / (k + 1), abs=1e-6
    )
    assert with_vote["runbooks/keys.md"] - without["runbooks/keys.md"] == pytest.approx(1 / (k + 2), abs=1e-6)


def test_a_diff_has_no_window_vote(two_runbooks: KnowledgeBase) -> None:
    kb = two_runbooks
    diff = (
        "diff --git a/vm.yaml b/vm.yaml\n--- a/vm.yaml\n+++ b/vm.yaml\n@@ -1,2 +1,2 @@\n"
        " kind: VirtualMachine\n-evictionStrategy: LiveMigrate\n+evictionStrategy: None\n"
    )
    with_vote = [(h.id, h.score) for h in kb.query(diff=diff, k=5).hits]
    kb.weights = replace(DEFAULT_WEIGHTS, task_window_vote=0)
    assert [(h.id, h.score) for h in kb.query(diff=diff, k=5).hits] == with_vote
    kb.weights = DEFAULT_WEIGHTS


def test_the_window_vectors_follow_sql(two_runbooks: KnowledgeBase) -> None:
    kb = two_runbooks
    windows = kb.windows()
    assert windows is not None and sorted(set(windows.documents.tolist())) == sorted(windows.hashes)
    assert (kb.settings.index_dir / SIDECAR_FILE).is_file()
    kb.add_documents(
        "src",
        [DocumentDraft(path="adr/x.md", kind="adr", title="X", sha256="3", body="# X\nno lesson here")],
    )
    moved = kb.windows()
    assert moved is not None and moved.revision == kb.reads.revision()
    assert len(set(moved.documents.tolist())) == 3


def test_off_builds_no_windows(fake_kb: KnowledgeBase) -> None:
    fake_kb.weights = replace(DEFAULT_WEIGHTS, task_window_vote=0)
    fake_kb.add_documents(
        "src", [DocumentDraft(path="a.md", kind="adr", title="A", sha256="1", body="# A\nsome text")]
    )
    fake_kb.reindex()
    assert fake_kb.windows() is None
    assert not (fake_kb.settings.index_dir / SIDECAR_FILE).exists()
