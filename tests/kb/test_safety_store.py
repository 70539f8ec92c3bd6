"""Existing stores: ``redact_store`` / ``kb redact --rewrite-store`` on a real SQLite KB written
before redaction existed, and the write path through the real model."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from kb.embedding.fake import HashingEmbedder
from kb.outputs.contract import embedding_text
from kb.records import ConstraintDraft, DocumentDraft
from kb.safety.migrate import redact_store
from kb.service import KnowledgeBase
from kb.settings import Settings

SECRETS = ("AKIAC26TTP2KFTTOL3YX", "CvMq8JuFc9dujUoHL7", "priya.sato@gmx.de")


def _legacy_draft() -> DocumentDraft:
    return DocumentDraft(
        path="postmortems/leak.md",
        kind="postmortem",
        title="Key AKIAC26TTP2KFTTOL3YX leaked",
        sha256="0" * 64,
        metadata={"owner": "priya.sato@gmx.de"},
        body="The key AKIAC26TTP2KFTTOL3YX and postgres://app:CvMq8JuFc9dujUoHL7@db-1/orders leaked.",
        constraints=[
            ConstraintDraft(
                statement="Rotate AKIAC26TTP2KFTTOL3YX and every key shown in chat",
                rationale="Reported by priya.sato@gmx.de.",
                category="security",
                severity="high",
            ),
            ConstraintDraft(
                statement="Keep connection strings out of runbooks",
                rationale="postgres: //app:CvMq8JuFc9dujUoHL7@db-1/orders was in one.",
                category="security",
                severity="medium",
            ),
            ConstraintDraft(
                statement="Page the database owner before a failover",
                rationale="Nobody knew who owned the replica.",
                category="operational",
                severity="medium",
            ),
        ],
    )


def _write_unredacted(kb: KnowledgeBase) -> None:
    """What a store written before redaction holds: the drafts as parsed, embedded as they were."""
    from kb.storage.store import EmbeddedDraft

    draft = _legacy_draft()
    vectors = kb.embedder.embed([embedding_text(c.statement, c.rationale) for c in draft.constraints])
    kb.store.write_documents(
        [EmbeddedDraft(source="docs", draft=draft, vectors=vectors)], model=kb.embedder.name
    )


@pytest.fixture
def legacy(tmp_path: Path) -> tuple[KnowledgeBase, Path]:
    home = tmp_path / "home"
    kb = KnowledgeBase(Settings(home=home, embedder="hashing"), embedder=HashingEmbedder())
    _write_unredacted(kb)
    return kb, home


def _db_text(home: Path) -> str:
    with sqlite3.connect(home / "kb.sqlite3") as db:
        rows = [
            *db.execute("SELECT title, body, metadata FROM documents"),
            *db.execute("SELECT statement, rationale, section, tags FROM constraints"),
        ]
    return json.dumps(rows)


def _vectors(home: Path) -> dict[int, bytes]:
    with sqlite3.connect(home / "kb.sqlite3") as db:
        return dict(db.execute("SELECT constraint_id, vector FROM constraint_vectors"))


def test_redact_store_rewrites_in_place_and_reembeds_changed_lessons(
    legacy: tuple[KnowledgeBase, Path],
) -> None:
    kb, home = legacy
    assert all(s in _db_text(home) for s in SECRETS)
    before = _vectors(home)

    dry = redact_store(kb, dry_run=True)
    assert dry.constraints_changed == 2 and all(s in _db_text(home) for s in SECRETS)

    result = redact_store(kb)
    assert (result.documents_changed, result.constraints_changed, result.reembedded) == (1, 2, 2)
    text = _db_text(home)
    for secret in SECRETS:
        assert secret not in text
    assert "Rotate [REDACTED:aws-access-key] and every key shown in chat" in text
    assert "Page the database owner before a failover" in text

    after = _vectors(home)
    changed = {cid for cid in before if before[cid] != after[cid]}
    assert len(changed) == 2
    with sqlite3.connect(home / "kb.sqlite3") as db:
        cid, statement, rationale = db.execute(
            "SELECT id, statement, rationale FROM constraints WHERE statement LIKE 'Rotate%'"
        ).fetchone()
    expected = HashingEmbedder().embed([embedding_text(statement, rationale)])[0]
    assert np.allclose(np.frombuffer(after[cid], dtype="<f4"), expected)

    # A second pass finds nothing; queries read the rewritten rows and the rebuilt index.
    again = redact_store(kb)
    assert (again.documents_changed, again.constraints_changed, again.reembedded) == (0, 0, 0)
    hits = kb.query(task="rotate keys shown in chat", k=3)
    assert hits.hits and "AKIAC26TTP2KFTTOL3YX" not in json.dumps(hits.to_dict(), default=str)
    kb.close()


def test_rewrite_store_from_the_cli(
    legacy: tuple[KnowledgeBase, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.cli import app

    kb, home = legacy
    kb.close()
    monkeypatch.setenv("KB_HOME", str(home))
    monkeypatch.setenv("KB_EMBEDDER", "hashing")
    result = CliRunner().invoke(app, ["redact", "--rewrite-store", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["constraints_changed"] == 2 and payload["redacted"]["aws-access-key"] >= 1
    assert not any(s in _db_text(home) for s in SECRETS)
    for secret in SECRETS:
        assert secret not in result.output


@pytest.mark.model
def test_write_path_through_the_real_model(tmp_path: Path, real_embedder: object) -> None:
    from ingest.loader import ingest_path

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "leak.md").write_text(
        "---\ntitle: Leaked key\ndate: 2024-05-02\n---\n\n# Leaked key\n\n## Action items\n\n"
        "- Never paste credentials such as AKIAC26TTP2KFTTOL3YX into chat, because chat history "
        "is searchable by every member.\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=real_embedder)  # type: ignore[arg-type]
    assert ingest_path(kb, docs).count("failed") == 0
    result = kb.query(task="can I paste credentials into the chat", k=3)
    dumped = json.dumps(result.to_dict(), default=str)
    assert "[REDACTED:aws-access-key]" in dumped and "AKIAC26TTP2KFTTOL3YX" not in dumped
    kb.close()
    assert b"AKIAC26TTP2KFTTOL3YX" not in (tmp_path / "home" / "kb.sqlite3").read_bytes()
