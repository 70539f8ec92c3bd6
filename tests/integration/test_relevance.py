"""The relevance dev set is well formed: valid queries, real corpus paths, both kinds, negatives.

The benchmark itself (scripts/relevance_bench.py) is too slow for the suite; this keeps its input honest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.evaluation import load_queries
from kb.retrieval.diffs import parse_diff

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO / "tests" / "data" / "relevance_dev.jsonl"
CORPUS = REPO.parent / "shared" / "corpus"

QUERIES = load_queries(DEV_SET)


def test_dev_set_size_and_mix() -> None:
    kinds = [q.kind for q in QUERIES]
    assert len(QUERIES) >= 40
    assert kinds.count("task") >= 15 and kinds.count("diff") >= 15
    negatives = [q for q in QUERIES if q.is_negative]
    assert {q.kind for q in negatives} == {"task", "diff"}
    assert len(negatives) <= len(QUERIES) // 5


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not next to the repository")
def test_every_relevant_path_exists_under_the_corpus() -> None:
    missing = [(q.id, p) for q in QUERIES for p in q.relevant if not (CORPUS / p).is_file()]
    assert missing == []


def test_relevant_lists_have_no_duplicates() -> None:
    assert [q.id for q in QUERIES if len(set(q.relevant)) != len(q.relevant)] == []


@pytest.mark.parametrize("query", [q for q in QUERIES if q.kind == "diff"], ids=lambda q: q.id)
def test_diff_queries_parse(query: object) -> None:
    from kb.evaluation import EvalQuery

    assert isinstance(query, EvalQuery)
    parsed = parse_diff(query.query)
    assert parsed.paths and any(f.added or f.removed for f in parsed.files)


def test_task_queries_are_prose_not_diffs() -> None:
    for q in QUERIES:
        if q.kind == "task":
            assert "\n+++ " not in q.query and len(q.query.split()) >= 6, q.id
