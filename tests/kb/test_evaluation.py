"""Relevance evaluation: metric arithmetic, dataset validation, and a real ``kb eval`` run."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from seedhome import SEED, run_kb, seed_home

from kb.errors import InputError
from kb.evaluation import (
    EvalQuery,
    RankedDocument,
    distinct_documents,
    evaluate,
    hit_at,
    mrr_at,
    ndcg_at,
    parse_queries,
    query_metrics,
    recall_at,
)

RANKED = ["a", "x", "b", "y", "z", "c", "q", "r", "s", "t", "d"]


def test_recall_divides_by_the_smaller_of_relevant_and_k() -> None:
    assert recall_at(RANKED, ["a"], 1) == 1.0
    assert recall_at(RANKED, ["a", "b"], 1) == 1.0  # one hit over min(2, 1)
    assert recall_at(RANKED, ["b", "a"], 5) == 1.0
    assert recall_at(RANKED, ["a", "b", "c"], 5) == pytest.approx(2 / 3)
    assert recall_at(RANKED, ["a", "b", "c", "d"], 10) == pytest.approx(3 / 4)  # d is 11th
    assert recall_at(RANKED, ["nope"], 10) == 0.0


def test_hit_mrr_and_ndcg_by_hand() -> None:
    assert hit_at(RANKED, ["b"], 5) == 1.0
    assert hit_at(RANKED, ["c"], 5) == 0.0
    assert mrr_at(RANKED, ["b", "c"], 10) == pytest.approx(1 / 3)
    assert mrr_at(RANKED, ["d"], 10) == 0.0  # beyond the cutoff
    # relevant at ranks 1 and 3: DCG = 1 + 1/log2(4); ideal = 1 + 1/log2(3)
    expected = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at(RANKED, ["a", "b"], 10) == pytest.approx(expected)
    assert ndcg_at(["a", "b"], ["a", "b"], 10) == pytest.approx(1.0)


def test_negative_queries_have_no_metrics_and_count_strong_results() -> None:
    assert query_metrics(RANKED, []) == {}
    queries = [
        EvalQuery(id="p", kind="task", query="q", relevant=("a",)),
        EvalQuery(id="n1", kind="task", query="q", relevant=()),
        EvalQuery(id="n2", kind="diff", query="q", relevant=()),
    ]
    answers = {
        "p": [RankedDocument("a", 1.0, "strong"), RankedDocument("a", 0.9, "strong")],
        "n1": [RankedDocument("a", 0.5, "weak")],
        "n2": [RankedDocument("b", 0.9, "strong")],
    }
    report = evaluate(queries, lambda q: answers[q.id], name="t")
    summary = report.summary()
    assert summary["task"]["queries"] == 1 and summary["task"]["negatives"] == 1
    assert summary["task"]["recall@5"] == 1.0  # the negative does not drag the mean down
    assert summary["task"]["negatives_with_strong"] == 0
    assert summary["diff"]["negatives_with_strong"] == 1
    assert summary["all"]["strong_top_precision"] == 1.0
    # a document's lessons collapse to its first occurrence
    assert [d.path for d in report.outcomes[0].ranked] == ["a"]


def test_distinct_documents_keeps_first_occurrence_order() -> None:
    items = [RankedDocument(p, 1.0) for p in ["b", "a", "b", "c", "a", "d"]]
    assert [d.path for d in distinct_documents(items, 3)] == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ['{"id": "a", "kind": "task", "query": "x", "relevant": []}', "{not json"],
            "line 2: not valid JSON",
        ),
        (
            ['{"id": "a", "kind": "question", "query": "x", "relevant": []}'],
            "line 1: unknown kind 'question'",
        ),
        (
            ['{"id": "a", "kind": "task", "query": "x", "relevant": "doc.md"}'],
            "line 1: 'relevant' must be a list",
        ),
        (['{"id": "a", "kind": "task", "query": "x"}'], "line 1: missing field"),
        (['{"id": "a", "kind": "task", "query": "  ", "relevant": []}'], "'query' must be"),
        (["[1, 2]"], "expected a JSON object"),
        (
            [
                '{"id": "a", "kind": "task", "query": "x", "relevant": []}',
                '{"id": "a", "kind": "diff", "query": "y", "relevant": []}',
            ],
            "line 2: duplicate id 'a'",
        ),
        (["", "# only a comment"], "no queries found"),
    ],
)
def test_dataset_errors_name_the_line(lines: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_queries(lines, source="set.jsonl")


def test_blank_lines_and_comments_are_skipped() -> None:
    queries = parse_queries(
        ["# dev set", "", '{"id": 7, "kind": "diff", "query": "--- a/x", "relevant": ["p.md"]}'],
    )
    assert queries == [EvalQuery(id="7", kind="diff", query="--- a/x", relevant=("p.md",))]


SEED_QUERIES = [
    {
        "id": "s1",
        "kind": "task",
        "query": "Put a new validating admission webhook in front of every namespace of the cluster",
        "relevant": ["postmortems/2024-08-05-admission-webhook-fails-closed.md"],
    },
    {
        "id": "s2",
        "kind": "task",
        "query": "Renew the TLS certificate of the public API before it runs out",
        "relevant": [
            "postmortems/2024-06-12-expired-tls-certificate.md",
            "runbooks/certificate-expiring-soon.md",
        ],
    },
    {
        "id": "s3",
        "kind": "diff",
        "query": (
            "--- a/migrations/0042_orders_status.sql\n+++ b/migrations/0042_orders_status.sql\n"
            "@@ -0,0 +1,2 @@\n+ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';\n"
            "+CREATE INDEX orders_status_idx ON orders (status);\n"
        ),
        "relevant": [
            "postmortems/PM-2024-011-orders-table-lock-migration.md",
            "adrs/0005-expand-and-contract-schema-migrations.md",
            "runbooks/run-schema-migration-on-orders.md",
        ],
    },
    {"id": "s4", "kind": "task", "query": "Choose a new font for the company newsletter", "relevant": []},
]


def test_kb_eval_through_the_cli(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    home = seed_home(tmp_path_factory.getbasetemp())
    dataset = tmp_path / "seed.jsonl"
    dataset.write_text("\n".join(json.dumps(q) for q in SEED_QUERIES) + "\n", encoding="utf-8")
    for q in SEED_QUERIES:
        for path in q["relevant"]:
            assert (SEED / path).is_file(), path

    run = run_kb(home, "eval", str(dataset), "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    summary = report["summary"]
    assert set(summary) == {"task", "diff", "all"}
    assert summary["task"]["queries"] == 2 and summary["task"]["negatives"] == 1
    for metric in ("recall@1", "recall@5", "recall@10", "hit@5", "mrr@10", "ndcg@10"):
        assert 0.0 <= summary["all"][metric] <= 1.0
    # the seed knowledge base is small and on topic: every positive query finds something
    assert summary["all"]["hit@5"] == 1.0
    by_id = {q["id"]: q for q in report["queries"]}
    assert by_id["s4"]["negative"] is True and by_id["s4"]["metrics"] == {}
    first = by_id["s1"]["ranked"][0]
    assert set(first) == {"rank", "path", "score", "confidence", "relevant"}
    assert first["confidence"] in {"strong", "possible", "weak"}

    table = run_kb(home, "eval", str(dataset), "--k", "5")
    assert table.returncode == 0, table.stderr
    assert "recall@5" in table.stdout and "s3" in table.stdout


def test_kb_eval_reports_a_bad_file_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "kind": "task", "query": "x", "relevant": []}\n{oops\n', encoding="utf-8")
    run = run_kb(tmp_path / "empty-home", "eval", str(bad))
    assert run.returncode == 2
    assert "line 2" in run.stderr and "Traceback" not in run.stderr
