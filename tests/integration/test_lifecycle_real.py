"""Lessons that live, through the real paths: the ``kb`` command as a process (real model, SQLite,
FAISS) and two ``kb serve`` replicas on one PostgreSQL database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import postgres_schema
from tests.integration.test_api import _key, kb_cli, prepare_home, start_server
from tests.integration.test_cli import run, run_json

SAME_LESSON = "Every payment capture retry must reuse the original idempotency key."

POSTMORTEM_A = f"""---
date: 2025-03-02
---
# Double refund after a gateway timeout

## Summary

A refund call timed out and was sent again; the customer was refunded twice.

## Action items

- {SAME_LESSON}
"""

POSTMORTEM_B = f"""---
date: 2025-09-14
---
# Duplicate capture during a processor brown-out

## Summary

The processor answered slowly and our client retried the capture without its key.

## Action items

- {SAME_LESSON}
"""

OVERDUE_RUNBOOK = """---
title: Rotate the broker certificates
last_reviewed_on: 2024-01-10
review_in: 6 months
---
# Rotate the broker certificates

## Rules

- Never restart more than one broker node at a time while rotating certificates.
"""


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lifecycle-docs")
    (root / "postmortems").mkdir()
    (root / "runbooks").mkdir()
    (root / "postmortems" / "2025-03-02-double-refund.md").write_text(POSTMORTEM_A, encoding="utf-8")
    (root / "postmortems" / "2025-09-14-duplicate-capture.md").write_text(POSTMORTEM_B, encoding="utf-8")
    (root / "runbooks" / "rotate-broker-certs.md").write_text(OVERDUE_RUNBOOK, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, docs: Path) -> Path:
    home = tmp_path_factory.mktemp("lifecycle-home")
    out = run(home, "ingest", str(docs))
    assert out.returncode == 0, out.stderr
    return home


def test_two_postmortems_stating_one_lesson_give_one_result_with_recurrence_2(home: Path) -> None:
    found = run_json(home, "query", "add retries to the payment capture call", "-k", "10")
    matching = [r for r in found["results"] if "idempotency key" in r["statement"]]
    assert len(matching) == 1, [r["statement"] for r in found["results"]]
    assert matching[0]["recurrence"] == 2
    assert "learned in 2 documents" in matching[0]["why"]
    shown = run_json(home, "show", str(matching[0]["id"]))
    assert shown["recurrence"] == 2
    assert sorted(s["path"] for s in shown["sources"]) == [
        "postmortems/2025-03-02-double-refund.md",
        "postmortems/2025-09-14-duplicate-capture.md",
    ]
    listed = run_json(home, "list", "--limit", "100")["results"]
    assert sum("idempotency key" in r["statement"] for r in listed) == 1


def test_an_overdue_runbook_is_listed_as_stale(home: Path) -> None:
    stale = run_json(home, "list", "--stale")["results"]
    assert [r["source"]["path"] for r in stale] == ["runbooks/rotate-broker-certs.md"]
    assert stale[0]["stale"] is True and stale[0]["review_due"] == "2024-07-08"
    fresh = run_json(home, "list", "--fresh")["results"]
    assert fresh and all(r["stale"] is False for r in fresh)
    queue = run_json(home, "review")["items"]
    assert any(i["reason"] == "stale" and i["id"] == stale[0]["id"] for i in queue)


def test_a_proposal_goes_propose_review_accept_active_with_history(home: Path) -> None:
    proposed = run_json(
        home,
        "propose",
        "Pin container base images by digest in every Dockerfile.",
        "--severity",
        "high",
        "--as",
        "alice",
    )
    assert proposed["status"] == "proposed" and proposed["duplicate"] is False
    cid = str(proposed["id"])
    queue = run_json(home, "review")["items"]
    assert {"id": proposed["id"], "reason": "proposal"}.items() <= next(
        i for i in queue if i["id"] == proposed["id"]
    ).items()
    accepted = run(home, "review", "accept", cid, "--as", "bob")
    assert accepted.returncode == 0, accepted.stderr
    assert run_json(home, "show", cid)["status"] == "active"
    changes = run_json(home, "history", cid)["changes"]
    assert [(c["action"], c["actor"]) for c in changes] == [("propose", "alice"), ("accept", "bob")]
    assert all(c["at"] for c in changes)
    # Nothing waits any more: a second decision is a clear error and changes nothing.
    again = run(home, "review", "reject", cid, "--reason", "changed my mind")
    assert again.returncode != 0 and "nothing waits for review" in again.stderr
    assert run_json(home, "show", cid)["status"] == "active"


def test_feedback_is_counted_in_show(home: Path) -> None:
    top = run_json(home, "query", "rotate the broker certificates")["results"][0]["id"]
    out = run_json(home, "feedback", str(top), "not-helpful", "--task", "rotate certs")
    assert out["feedback"] == {"helpful": 0, "not_helpful": 1}
    assert run_json(home, "show", str(top))["feedback"] == {"helpful": 0, "not_helpful": 1}
    assert run_json(home, "history", str(top))["changes"][-1]["action"] == "feedback"


def test_bad_input_is_a_clear_error(home: Path) -> None:
    unknown = run(home, "review", "accept", "999999")
    assert unknown.returncode != 0 and "no constraint with id 999999" in unknown.stderr
    verdict = run(home, "feedback", "1", "meh")
    assert verdict.returncode != 0 and "helpful or not-helpful" in verdict.stderr
    no_reason = run(home, "retire", "1")
    assert no_reason.returncode != 0 and "reason" in no_reason.stderr
    bad_edit = run(home, "edit", "1", "--severity", "urgent")
    assert bad_edit.returncode != 0 and "unknown severity" in bad_edit.stderr


def test_edit_and_retire_are_kept_across_reingest(home: Path, docs: Path) -> None:
    runbook = next(
        r for r in run_json(home, "list", "--kind", "runbook")["results"] if "broker" in r["statement"]
    )
    cid = str(runbook["id"])
    edited = run_json(home, "edit", cid, "--severity", "critical", "--as", "carol")
    assert edited["severity"] == "critical"
    (docs / "runbooks" / "rotate-broker-certs.md").write_text(
        OVERDUE_RUNBOOK + "\n<!-- touched -->\n", encoding="utf-8"
    )
    out = run(home, "ingest", str(docs))
    assert out.returncode == 0, out.stderr
    assert run_json(home, "show", cid)["severity"] == "critical"
    retired = run_json(home, "retire", cid, "--reason", "brokers replaced by a managed service")
    assert retired["status"] == "retired"
    last = run_json(home, "history", cid)["changes"][-1]
    assert (last["action"], last["note"]) == ("retire", "brokers replaced by a managed service")


@pytest.mark.postgres
def test_two_replicas_on_postgresql_share_the_lifecycle(tmp_path: Path, onnx_cache: Path, docs: Path) -> None:
    with postgres_schema() as database_url:
        first_home, second_home = tmp_path / "a", tmp_path / "b"
        prepare_home(first_home, onnx_cache)
        kb_cli(first_home, database_url, "ingest", str(docs))
        writer = _key(first_home, database_url, "payments", "writer")
        reader = _key(first_home, database_url, "payments", "reader")
        other = _key(first_home, database_url, "logistics", "writer")
        first = start_server(first_home, database_url, onnx_cache)
        second = start_server(second_home, database_url, onnx_cache)
        try:
            with first.client(writer) as a, second.client(writer) as b:
                made = a.post("/v1/proposals", json={"statement": "Cap refund retries at three attempts."})
                assert made.status_code == 201, made.text
                cid = made.json()["id"]
                assert made.json()["status"] == "proposed" and made.json()["team"] == "payments"
                queue = b.get("/v1/review").json()["items"]
                assert any(i["id"] == cid and i["reason"] == "proposal" for i in queue)
                accepted = b.post(f"/v1/constraints/{cid}/accept")
                assert accepted.status_code == 200 and accepted.json()["status"] == "active"
                again = a.post(f"/v1/constraints/{cid}/reject", json={"reason": "late"})
                assert again.status_code == 422 and "nothing waits" in again.text
                history = a.get(f"/v1/constraints/{cid}/history").json()["changes"]
                assert [c["action"] for c in history] == ["propose", "accept"]
                assert all(c["actor"].startswith("key:") and c["at"] for c in history)
                vote = a.post(f"/v1/constraints/{cid}/feedback", json={"helpful": False, "task": "refunds"})
                assert vote.json()["feedback"] == {"helpful": 0, "not_helpful": 1}
                shown = b.get(f"/v1/constraints/{cid}").json()
                assert shown["feedback"] == {"helpful": 0, "not_helpful": 1} and shown["recurrence"] == 1
                stale = a.get("/v1/constraints", params={"stale": "true"}).json()["results"]
                assert [r["source"]["path"] for r in stale] == ["runbooks/rotate-broker-certs.md"]
            with first.client(reader) as r:
                assert r.post(f"/v1/constraints/{cid}/retire", json={"reason": "x"}).status_code == 403
                assert r.post(f"/v1/constraints/{cid}/feedback", json={"helpful": True}).status_code == 200
            with second.client(other) as o:
                assert o.get(f"/v1/constraints/{cid}/history").status_code == 404
                assert o.post(f"/v1/constraints/{cid}/accept").status_code == 404
                assert o.post(f"/v1/constraints/{cid}/feedback", json={"helpful": False}).status_code == 404
                assert all(i["id"] != cid for i in o.get("/v1/review").json()["items"])
            with first.client(writer) as a:
                assert a.get(f"/v1/constraints/{cid}").json()["feedback"]["helpful"] == 1
                bad = a.post(f"/v1/constraints/{cid}/retire", json={})
                assert bad.status_code == 422
        finally:
            first.stop()
            second.stop()
        print(json.dumps({"replicas": 2, "database": "postgresql"}))
