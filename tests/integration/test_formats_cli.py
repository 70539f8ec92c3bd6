"""Other formats through the real ``kb`` process (real model, SQLite, FAISS): each format's
action item is cited to its file and section, and re-ingesting the unchanged files changes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "formats"
KB = [sys.executable, "-m", "api.cli"]

# (stored path, words of its action item, the section the item sits under)
ACTION_ITEMS = [
    (
        "confluence/Postmortem-2024-03-12-checkout-latency_98304.html",
        "fail at startup when DATABASE_POOL_MAX",
        "Action items",
    ),
    (
        "confluence/Runbook-Rotating-the-Kafka-TLS-certificates_77120.html",
        "consumer group has a lag below",
        "Before you start",
    ),
    (
        "docx/incident-review-stale-search-prices.docx",
        "live search index is more than 26 hours old",
        "Action items",
    ),
    ("docx/runbook-postgres-replica-lag.docx", "Do not promote a replica", "Mitigation"),
    ("rst/runbook-redis-memory-pressure.rst", "Do not run FLUSHALL", "Mitigation"),
    (
        "asciidoc/2024-06-03-certificate-expiry.adoc",
        "Add a Prometheus alert when any served certificate",
        "Action items",
    ),
    ("jira/INC-2207-adf.json", "Reconcile refunds against", "Action items"),
    ("jira/search-v2-wiki.json#OPS-981", "weekly automated restore of the ledger backup", "Action items"),
    ("github/gh-issue-view-512.json", "pt-online-schema-change", "Action items"),
    ("github/issues-api-list.json#81", "Count audit events at the source", "Follow-ups"),
    ("incident-tools/incidentio-INC-318.json", "Lower the mobile JWKS cache", "Follow-up actions"),
    ("incident-tools/firehydrant-retro-cdn.json", "Load test the image origin", "Action items"),
    ("incident-tools/rootly-incident.json", "staging soak test", "Action items"),
    (
        "notion/notion-export.zip/Incidents/DNS outage of 7 February/Action items.csv",
        "synthetic check",
        "Action items",
    ),
    ("sniffed/status-page-incident.txt", "share of 429 responses", "What we are changing"),
    ("sniffed/ops-review-wiki.txt", "Review every other cron job", "Action items"),
]


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env["KB_HOME"] = str(home)
    return subprocess.run([*KB, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=900)


def run_json(home: Path, *args: str) -> Any:
    out = run(home, *args, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    home = tmp_path_factory.mktemp("formats-home")
    docs = tmp_path_factory.mktemp("formats-docs") / "formats"
    shutil.copytree(DATA, docs)
    report = run_json(home, "ingest", str(docs), "--strict")["reports"][0]
    return home, docs, report


def _lessons(home: Path) -> list[dict[str, Any]]:
    return list(run_json(home, "list", "--limit", "10000")["results"])


def test_every_format_is_ingested(ingested: tuple[Path, Path, dict[str, Any]]) -> None:
    _, _, report = ingested
    assert report["summary"]["failed"] == 0 and report["summary"]["added"] == 20
    assert report["constraints_written"] >= 60


@pytest.mark.parametrize(("path", "words", "section"), ACTION_ITEMS)
def test_the_action_item_is_cited_to_its_file_and_section(
    ingested: tuple[Path, Path, dict[str, Any]], path: str, words: str, section: str
) -> None:
    home, _, _ = ingested
    found = [r for r in _lessons(home) if words.lower() in r["statement"].lower()]
    assert found, words
    source = found[0]["source"]
    assert source["path"] == path
    assert source["section"].rsplit(" > ", 1)[-1] == section
    start, end = source["lines"]
    assert 1 <= start <= end


def test_the_confluence_and_word_action_items_answer_a_query(
    ingested: tuple[Path, Path, dict[str, Any]],
) -> None:
    home, _, _ = ingested
    confluence = run_json(home, "query", "pricing service falls back to a default connection pool size")
    assert any(
        r["source"]["path"].startswith("confluence/Postmortem-2024-03-12") for r in confluence["results"][:5]
    )
    word = run_json(home, "query", "nightly reindex job fails but exits zero and search serves stale prices")
    assert any(r["source"]["path"].startswith("docx/incident-review") for r in word["results"][:5])


def test_reingest_of_unchanged_files_changes_nothing(ingested: tuple[Path, Path, dict[str, Any]]) -> None:
    home, docs, _ = ingested
    before = {r["id"]: (r["statement"], r["source"]["path"], r["source"]["lines"]) for r in _lessons(home)}
    stats = run_json(home, "stats")
    again = run_json(home, "ingest", str(docs))["reports"][0]
    assert again["summary"]["unchanged"] == 20
    assert again["summary"]["added"] == again["summary"]["updated"] == again["summary"]["failed"] == 0
    assert {
        r["id"]: (r["statement"], r["source"]["path"], r["source"]["lines"]) for r in _lessons(home)
    } == before
    assert run_json(home, "stats") == stats
