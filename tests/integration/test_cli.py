"""The ``kb`` command, run as a real process on seed_incidents/ with the real model, SQLite and FAISS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
KB = [sys.executable, "-m", "api.cli"]

PAYMENT_DIFF = """diff --git a/services/payments/capture.py b/services/payments/capture.py
--- a/services/payments/capture.py
+++ b/services/payments/capture.py
@@ -10,6 +10,12 @@ def capture(order, amount):
     request = build_capture_request(order, amount)
-    return processor.post("/captures", json=request)
+    for attempt in range(3):
+        try:
+            return processor.post("/captures", json=request, timeout=8)
+        except TimeoutError:
+            time.sleep(2 ** attempt)
+    raise CaptureFailed(order.id)
"""


def run(
    home: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    full_env["KB_HOME"] = str(home)
    full_env.update(env or {})
    return subprocess.run(
        [*KB, *args], capture_output=True, text=True, input=input, env=full_env, cwd=REPO, timeout=600
    )


def run_json(home: Path, *args: str, **kw: Any) -> Any:
    out = run(home, *args, "--json", **kw)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-home")
    out = run(home, "ingest", str(REPO / "seed_incidents"))
    assert out.returncode == 0, out.stderr
    assert "0 failed" in out.stdout
    return home


RECORD_KEYS = {"id", "statement", "rationale", "category", "severity", "status", "scope", "source"}


def _check_record(record: dict[str, Any]) -> None:
    assert set(record) >= RECORD_KEYS
    assert isinstance(record["id"], int)
    assert {"services", "paths", "technologies"} <= set(record["scope"])
    source = record["source"]
    assert {"path", "kind", "title", "section", "lines"} <= set(source)
    assert not Path(source["path"]).is_absolute()
    assert (REPO / "seed_incidents" / source["path"]).is_file()
    start, end = source["lines"]
    assert 1 <= start <= end


def test_reingest_reports_everything_unchanged(home: Path) -> None:
    data = run_json(home, "ingest", str(REPO / "seed_incidents"))
    summary = data["reports"][0]["summary"]
    assert summary["unchanged"] >= 26
    assert summary["added"] == summary["updated"] == summary["failed"] == 0


def test_query_puts_the_idempotency_lesson_in_the_top_three(home: Path) -> None:
    data = run_json(home, "query", "add automatic retries to the payment capture call")
    assert data["query"] == {"task": "add automatic retries to the payment capture call", "diff_files": []}
    assert len(data["results"]) == 5
    for result in data["results"]:
        _check_record(result)
        assert isinstance(result["score"], float)
        assert result["why"] and all(isinstance(r, str) for r in result["why"])
    top3 = [r["statement"].lower() for r in data["results"][:3]]
    assert any("idempotency" in s for s in top3), top3
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_query_with_a_diff_file_and_from_stdin(home: Path, tmp_path: Path) -> None:
    diff_file = tmp_path / "change.diff"
    diff_file.write_text(PAYMENT_DIFF)
    data = run_json(home, "query", "--diff", str(diff_file), "--k", "3")
    assert data["query"]["diff_files"] == ["services/payments/capture.py"]
    assert len(data["results"]) == 3
    assert any("idempotency" in r["statement"].lower() for r in data["results"])
    piped = run_json(home, "query", "--diff", "-", "--k", "3", input=PAYMENT_DIFF)
    assert [r["id"] for r in piped["results"]] == [r["id"] for r in data["results"]]


def test_show_list_and_stats(home: Path) -> None:
    listed = run_json(home, "list", "--kind", "adr", "--limit", "5")
    assert 1 <= len(listed["results"]) <= 5
    assert all(r["source"]["kind"] == "adr" for r in listed["results"])
    for record in listed["results"]:
        _check_record(record)
        assert "score" not in record and "why" not in record
    one = run_json(home, "show", str(listed["results"][0]["id"]))
    # show adds every source and the feedback counts to the listed record.
    assert {k: v for k, v in one.items() if k not in ("sources", "feedback")} == listed["results"][0]
    assert one["sources"][0] == one["source"] and one["feedback"] == {"helpful": 0, "not_helpful": 0}
    stats = run_json(home, "stats")
    assert stats["documents"] >= 26 and stats["constraints"] > stats["documents"]
    assert set(stats["by_kind"]) == {"postmortem", "runbook", "adr"}
    assert sum(v["documents"] for v in stats["by_kind"].values()) == stats["documents"]
    assert sum(stats["by_status"].values()) == stats["constraints"]
    assert stats["failed"] == 0
    text = run(home, "show", str(one["id"]))
    assert text.returncode == 0 and one["statement"][:30] in text.stdout.replace("\n", " ")


def test_reindex_rebuilds_the_same_answers(home: Path) -> None:
    before = run_json(home, "query", "blocking migration on the orders table", "--k", "3")
    info = run_json(home, "reindex")
    assert info["count"] == run_json(home, "stats")["constraints"]
    assert info["model"] == "sentence-transformers/all-MiniLM-L6-v2" and info["dimension"] == 384
    after = run_json(home, "query", "blocking migration on the orders table", "--k", "3")
    assert [r["id"] for r in after["results"]] == [r["id"] for r in before["results"]]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["show", "999999"], {}, "no constraint with id 999999"),
        (["query", "--diff", "/no/such/file.diff"], {}, "no such diff file"),
        (["query"], {}, "give a task description"),
        (["list", "--kind", "essay"], {}, "unknown kind 'essay'"),
        (["query", "x"], {"KB_EMBEDDER": "nope"}, "unknown embedder 'nope'"),
        (
            ["stats"],
            {"KB_DATABASE_URL": "postgresql://u:pw@127.0.0.1:1/x?connect_timeout=2"},
            "cannot open database",
        ),
        (["ingest", "/no/such/folder"], {}, "no such file or folder"),
        (
            ["query", "x"],
            {"KB_ANN_THRESHOLD": "many"},
            "invalid setting KB_ANN_THRESHOLD: must be an integer",
        ),
        (
            ["stats"],
            {"KB_REQUEST_TIMEOUT": "-1"},
            "invalid setting KB_REQUEST_TIMEOUT: must be greater than 0",
        ),
    ],
)
def test_errors_are_one_line_without_traceback(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    out = run(tmp_path / "home", *args, env=env)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert "pw@" not in out.stderr


def test_bad_diff_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.diff"
    bad.write_text("this is not a diff\n")
    out = run(tmp_path / "home", "query", "--diff", str(bad), env={"KB_EMBEDDER": "hashing"})
    assert out.returncode == 2 and "not a unified diff" in out.stderr and "Traceback" not in out.stderr


def test_every_command_has_help() -> None:
    out = subprocess.run([*KB, "--help"], capture_output=True, text=True, cwd=REPO, check=True)
    for command in ("ingest", "query", "show", "list", "stats", "reindex"):
        assert command in out.stdout
        sub = subprocess.run([*KB, command, "--help"], capture_output=True, text=True, cwd=REPO, check=True)
        assert "Usage" in sub.stdout and len(sub.stdout) > 100


def test_show_says_what_supersedes_a_lesson(home: Path) -> None:
    superseded = run_json(home, "list", "--status", "superseded", "--kind", "adr")["results"]
    assert superseded, "the seed has a superseded ADR (0003 -> 0009)"
    record = superseded[0]
    assert any(tag.startswith("superseded-by:") for tag in record["scope"]["tags"])
    text = run(home, "show", str(record["id"])).stdout
    assert "superseded by" in text and "adrs/0009-" in text
    assert "kind" in run(home, "list", "--limit", "1").stdout


def test_query_commands_start_loading_the_model_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """``main`` hands ``open_kb`` the embedder whose model it started loading; other commands and
    bad settings start nothing (the command reports the problem as usual)."""
    import api.cli as cli

    monkeypatch.setattr(cli, "_early_model", None)
    monkeypatch.setenv("KB_EMBEDDER", "hashing")
    cli.start_model_early(["stats"])
    assert cli._early_model is None
    cli.start_model_early(["--verbose", "check", "--diff", "-"])
    assert cli._early_model is not None
    early = cli._early_model[1]
    kb = cli.open_kb(for_queries=True)
    try:
        assert kb.embedder is early
    finally:
        kb.close()
    monkeypatch.setenv("KB_ANN_THRESHOLD", "7")  # other settings now: a fresh embedder
    kb = cli.open_kb(for_queries=True)
    try:
        assert kb.embedder is not early
    finally:
        kb.close()

    monkeypatch.setattr(cli, "_early_model", None)
    monkeypatch.setenv("KB_ANN_THRESHOLD", "0")
    cli.start_model_early(["query", "x"])  # a bad setting: nothing started, nothing raised
    assert cli._early_model is None
    monkeypatch.setenv("KB_ANN_THRESHOLD", "7")
    monkeypatch.setenv("KB_EMBEDDER", "nope")
    cli.start_model_early(["query", "x"])
    assert cli._early_model is None


def test_main_freezes_the_heap_for_a_quick_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import api.cli as cli

    monkeypatch.setattr(sys, "argv", ["kb", "--help"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as done:
            cli.main()
        assert done.value.code == 0
        assert gc.get_freeze_count() > 0  # even when the command exits through SystemExit
    finally:
        gc.unfreeze()


def test_the_command_is_forewarn_with_kb_as_its_alias() -> None:
    """Both console scripts run the same entry point (a fresh install makes both)."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == "forewarn"
    assert project["scripts"] == {"forewarn": "api.cli:main", "kb": "api.cli:main"}
