"""The labelled relevance sets over both shared corpora are well formed.

``tests/data/relevance/*.jsonl`` feed ``scripts/relevance_bench.py`` (too slow for the suite). A set that
names a missing document, repeats an id or carries a diff that does not parse would quietly lower or
raise every figure measured on it, so their shape is checked here. A relevant path names a document of
the shared corpora (``corpus/...``, ``corpus2/...``) or of the written pool (``written/...``, relative to
``tests/data/extraction/written``; the bench's ``--written``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.evaluation import load_queries
from kb.retrieval.diffs import parse_diff

REPO = Path(__file__).resolve().parents[2]
SETS = sorted((REPO / "tests" / "data" / "relevance").glob("*.jsonl"))
SHARED = REPO.parent / "shared"
WRITTEN = REPO / "tests" / "data" / "extraction" / "written"
FIELDS = {"id", "kind", "query", "relevant", "fold", "note"}


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def document(path: str) -> Path:
    """Where a relevant path's document is: the written pool's under the repository, the rest shared."""
    if path.startswith("written/"):
        return WRITTEN / path.removeprefix("written/")
    return SHARED / path


def test_written_paths_resolve_in_the_repository() -> None:
    assert document("written/postmortems/x.md") == WRITTEN / "postmortems" / "x.md"
    assert document("corpus/adrs/x.md") == SHARED / "corpus" / "adrs" / "x.md"


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_written_paths_name_pool_documents(path: Path) -> None:
    # the notes at the pool's top level (README-test*.md) describe extraction sets, not documents
    outside = [
        (q.id, p)
        for q in load_queries(path)
        for p in q.relevant
        if p.startswith("written/") and len(Path(p).parts) < 3
    ]
    assert outside == []


def test_the_sets_are_there() -> None:
    names = {p.name for p in SETS}
    expected = {"corpus1.jsonl", "corpus2.jsonl"} | {f"blind{n}.jsonl" for n in range(3, 18)}
    assert expected <= names


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_rows_have_the_fields_and_load(path: Path) -> None:
    data = rows(path)
    assert data, path
    assert [r["id"] for r in data if set(r) != FIELDS] == []
    assert {r["kind"] for r in data} == {"task", "diff"}
    queries = load_queries(path)
    assert len(queries) == len(data)
    assert [q.id for q in queries if len(set(q.relevant)) != len(q.relevant)] == []


def test_ids_are_unique_across_sets() -> None:
    ids = [r["id"] for path in SETS for r in rows(path)]
    assert len(ids) == len(set(ids))


def test_blind_sets_keep_one_fold_each() -> None:
    folds = {path.name: {r["fold"] for r in rows(path)} for path in SETS if path.name.startswith("blind")}
    assert folds["blind3.jsonl"] == {"test2"}
    assert folds["blind4.jsonl"] == {"test3"}
    assert folds["blind5.jsonl"] == {"test4"}
    assert folds["blind6.jsonl"] == {"test5"}
    assert folds["blind7.jsonl"] == {"test6"}
    assert folds["blind8.jsonl"] == {"test7"}
    assert folds["blind9.jsonl"] == {"test8"}
    assert folds["blind10.jsonl"] == {"test9"}
    assert folds["blind11.jsonl"] == {"test10"}
    assert folds["blind12.jsonl"] == {"test11"}
    assert folds["blind13.jsonl"] == {"test12"}
    assert folds["blind14.jsonl"] == {"test13"}
    assert folds["blind15.jsonl"] == {"test14"}
    assert folds["blind16.jsonl"] == {"test15"}
    assert folds["blind17.jsonl"] == {"test16"}


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_every_set_has_unanswerable_tasks(path: Path) -> None:
    # a set without them could not show a `strong` answer to a question the corpus cannot answer
    assert any(q.is_negative and q.kind == "task" for q in load_queries(path))


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="no shared corpora beside the repository")
@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_every_relevant_path_exists(path: Path) -> None:
    missing = [(q.id, p) for q in load_queries(path) for p in q.relevant if not document(p).is_file()]
    assert missing == []


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_diff_queries_parse_and_tasks_are_prose(path: Path) -> None:
    for query in load_queries(path):
        if query.kind == "diff":
            parsed = parse_diff(query.query)
            assert parsed.paths and any(f.added or f.removed for f in parsed.files), query.id
        else:
            assert "\n+++ " not in query.query and len(query.query.split()) >= 3, query.id
