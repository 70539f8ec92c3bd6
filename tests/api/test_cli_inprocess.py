"""The CLI in process (typer's runner) over a real SQLite file with the fake embedder: fast checks
of the commands' JSON shapes and errors. The real console script and model are exercised in
tests/integration/test_cli.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from kb.errors import InputError, NotFoundError

SEED = Path(__file__).resolve().parents[2] / "seed_incidents"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KB_EMBEDDER", "hashing")
    return CliRunner()


def _json(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_ingest_query_show_list_stats(runner: CliRunner) -> None:
    first = runner.invoke(app, ["ingest", str(SEED)])
    assert first.exit_code == 0, first.output
    assert "0 failed" in first.stdout
    again = runner.invoke(app, ["ingest", str(SEED)])
    assert "0 added, 0 updated" in again.stdout

    answer = _json(runner, "query", "add automatic retries to the payment capture call", "--k", "3")
    results = answer["results"]
    assert isinstance(results, list) and len(results) == 3
    top = results[0]
    assert {"id", "statement", "type", "state", "confidence", "why", "source"} <= set(top)
    assert top["type"] in ("constraint", "decision", "procedure", "follow_up")

    shown = _json(runner, "show", str(top["id"]))
    assert shown["id"] == top["id"] and shown["statement"] == top["statement"]

    listed = _json(runner, "list", "--kind", "adr", "--limit", "5")["results"]
    assert isinstance(listed, list) and 0 < len(listed) <= 5
    assert all(r["source"]["kind"] == "adr" for r in listed)

    stats = _json(runner, "stats")
    documents = stats["documents"]
    assert isinstance(documents, int) and documents >= len(list(SEED.glob("*/*.md")))


def test_errors_come_from_the_one_error_tree(runner: CliRunner) -> None:
    assert runner.invoke(app, ["ingest", str(SEED)]).exit_code == 0
    missing = runner.invoke(app, ["show", "999999"])
    assert isinstance(missing.exception, NotFoundError)
    bad = runner.invoke(app, ["list", "--kind", "novel"])
    assert isinstance(bad.exception, InputError)
    assert "postmortem" in str(bad.exception)
