"""The query path's SQLite reads (standard library driver) against the store's ORM reads."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kb.embedding.fake import HashingEmbedder
from kb.errors import NotFoundError, StoreError
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase
from kb.settings import Settings
from kb.storage.models import Constraint, Document
from kb.storage.sqlite_reads import ConstraintRecord, DocumentRecord, SQLiteReads, sqlite_file
from kb.storage.store import Store
from tests.seedhome import PAYMENT_DIFF, kb_env, seed_home

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seed_incidents"


def _fields(model: type) -> set[str]:
    return set(model.model_fields)  # type: ignore[attr-defined]


def _team_draft() -> DocumentDraft:
    return DocumentDraft(
        path="pm/team-only.md",
        kind="postmortem",
        title="A team's own incident",
        sha256="t1",
        date=None,
        status=None,
        services=["ledger"],
        metadata={"severity": "SEV2", "nested": {"a": [1, 2]}},
        constraints=[
            ConstraintDraft(
                statement="Never replay ledger events without a sequence check.",
                rationale="Ünïcode rationale: replays doubled balances.",
                category="data",
                severity="critical",
                tags=["ledger", "replay"],
                section="Incident > Lessons",
                line_start=3,
                line_end=4,
            )
        ],
    )


@pytest.fixture
def ingested(fake_kb: KnowledgeBase) -> KnowledgeBase:
    from ingest.loader import ingest_path

    report = ingest_path(fake_kb, SEED)
    assert report.count("failed") == 0
    fake_kb.add_documents("payments-notes", [_team_draft()], team="payments")
    return fake_kb


def test_records_carry_every_field_of_the_orm_with_equal_values(ingested: KnowledgeBase) -> None:
    # A column added to a model and not to the records fails here, not in a user's query.
    # Two columns are the store's own bookkeeping and stay inside kb.storage: the exact-duplicate
    # lookup key and what extraction last said under curated fields.
    internal = {"dedupe_key", "extracted"}
    assert {f.name for f in ConstraintRecord.__dataclass_fields__.values()} == _fields(Constraint) - internal
    assert {f.name for f in DocumentRecord.__dataclass_fields__.values()} == _fields(Document)

    reads = ingested.reads
    assert isinstance(reads, SQLiteReads)
    store = ingested.store
    ids = [c.id or 0 for c, _ in store.all_constraints()]
    assert len(ids) > 50
    via_orm = store.constraints_by_ids(ids)
    via_sqlite = reads.constraints_by_ids(ids)
    assert via_sqlite.keys() == via_orm.keys() == set(ids)
    for cid, (constraint, document) in via_orm.items():
        record, document_record = via_sqlite[cid]
        for name in _fields(Constraint) - internal:
            assert getattr(record, name) == getattr(constraint, name), (cid, name)
            assert type(getattr(record, name)) is type(getattr(constraint, name)), (cid, name)
        for name in _fields(Document):
            assert getattr(document_record, name) == getattr(document, name), (cid, name)
        assert document.body is None  # hits never read the document's text, on either path
        assert reads.get_document(document.id or 0) == document_record


def test_teams_missing_ids_and_unknown_documents(ingested: KnowledgeBase) -> None:
    reads = ingested.reads
    assert isinstance(reads, SQLiteReads)
    rows = ingested.store.all_constraints()
    team_id = next(c.id for c, d in rows if d.team == "payments")
    shared_id = next(c.id for c, d in rows if d.team == "shared")
    assert team_id is not None and shared_id is not None
    both = [team_id, shared_id, 10_000_000]
    assert reads.constraints_by_ids(both).keys() == {team_id, shared_id}
    assert reads.constraints_by_ids(both, teams=["payments"]).keys() == {team_id}
    assert reads.constraints_by_ids(both, teams=["shared", "payments"]).keys() == {team_id, shared_id}
    assert reads.constraints_by_ids(both, teams=[]) == {}
    assert reads.constraints_by_ids([]) == {}
    # More ids than one statement binds: read in chunks, nothing lost.
    everything = [c.id or 0 for c, _ in rows]
    assert reads.constraints_by_ids(everything * 20).keys() == set(everything)

    team_doc = reads.constraints_by_ids([team_id])[team_id][1].id
    assert reads.get_document(team_doc, teams=["payments"]).title == "A team's own incident"
    with pytest.raises(NotFoundError):
        reads.get_document(team_doc, teams=["shared"])
    with pytest.raises(NotFoundError):
        reads.get_document(10_000_000)


def test_revision_follows_every_write(ingested: KnowledgeBase) -> None:
    reads = ingested.reads
    assert isinstance(reads, SQLiteReads)
    before = reads.revision()
    assert before == ingested.store.revision() > 0
    draft = _team_draft()
    draft.path, draft.sha256 = "pm/another.md", "t2"
    ingested.add_documents("payments-notes", [draft], team="payments")
    assert reads.revision() == ingested.store.revision() == before + 1


def test_open_refuses_what_the_store_must_create_or_migrate(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    assert SQLiteReads.open(missing, schema="0002") is None
    assert not missing.exists()  # never created by a read

    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    conn.close()
    assert SQLiteReads.open(old, schema="0002") is None

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert SQLiteReads.open(garbage, schema="0002") is None


def test_a_broken_database_file_is_a_clear_error_and_is_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    garbage = b"not a database at all" * 100
    (home / "kb.sqlite3").write_bytes(garbage)
    kb = KnowledgeBase(Settings(home=home, embedder="hashing"), embedder=HashingEmbedder())
    try:
        with pytest.raises(StoreError, match="cannot open database"):
            kb.query(task="add a retry")
    finally:
        kb.close()
    assert (home / "kb.sqlite3").read_bytes() == garbage


def test_sqlite_file_reads_only_file_urls() -> None:
    assert sqlite_file("sqlite:////abs/kb.sqlite3") == Path("/abs/kb.sqlite3")
    assert sqlite_file("sqlite:///rel/kb.sqlite3?timeout=5") == Path("rel/kb.sqlite3")
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("sqlite:///:memory:") is None
    assert sqlite_file("postgresql+psycopg://postgres@127.0.0.1/test") is None


def test_postgres_queries_read_through_the_store(postgres_url: str, tmp_path: Path) -> None:
    kb = KnowledgeBase(
        Settings(home=tmp_path / "pg", database_url=postgres_url, embedder="hashing"),
        embedder=HashingEmbedder(),
    )
    try:
        kb.add_documents("notes", [_team_draft()])
        assert isinstance(kb.reads, Store)
        [hit] = kb.query(task="replay ledger events", k=1).hits
        assert hit.constraint.statement.startswith("Never replay ledger events")
    finally:
        kb.close()


def test_real_model_answers_are_the_same_through_either_read_path(seed_kb: KnowledgeBase) -> None:
    assert isinstance(seed_kb.reads, SQLiteReads)
    through_store = KnowledgeBase(seed_kb.settings, embedder=seed_kb.embedder)
    through_store._reads = through_store.store
    try:
        for task, diff in [
            ("add automatic retries to the payment capture call", None),
            ("add a column to the orders table", None),
            (None, PAYMENT_DIFF),
        ]:
            fast = seed_kb.query(task=task, diff=diff, k=8).to_dict()
            slow = through_store.query(task=task, diff=diff, k=8).to_dict()
            assert fast == slow
            assert fast["results"]
    finally:
        through_store.close()


def _cli_in_a_fresh_process(
    home: Path, args: list[str], *, exit_code: int
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a new interpreter and report, on stderr, which ORM modules it imported."""
    script = (
        "import sys\n"
        "from api.cli import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit as exc:\n"
        f"    assert (exc.code or 0) == {exit_code}, exc.code\n"
        "sys.stderr.write('ORM:' + str(sorted(m for m in ('sqlalchemy', 'sqlmodel') if m in sys.modules)))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=kb_env(home, PYTHONPATH=str(REPO)),
        cwd=REPO,
        timeout=300,
    )


def test_kb_query_from_the_shell_never_imports_the_orm(tmp_path: Path) -> None:
    """The cold path the speed target is about: the real ``kb query``, model and seed data."""
    home = seed_home(tmp_path)
    out = _cli_in_a_fresh_process(
        home, ["query", "add retries to the payment capture call", "--json", "-k", "3"], exit_code=0
    )
    assert out.returncode == 0, out.stderr
    assert "ORM:[]" in out.stderr
    results = json.loads(out.stdout)["results"]
    assert any("idempotency" in r["statement"].lower() for r in results)


def test_the_gate_from_the_shell_never_imports_the_orm(tmp_path: Path) -> None:
    """The gate reads its hits' documents (for the code they quote) on the same fast path."""
    home = seed_home(tmp_path)
    diff_file = tmp_path / "retry.diff"
    diff_file.write_text(PAYMENT_DIFF)
    out = _cli_in_a_fresh_process(home, ["check", "--diff", str(diff_file), "--format", "json"], exit_code=1)
    assert "ORM:[]" in out.stderr, out.stderr
    blocking = json.loads(out.stdout)["findings"]
    assert any(f["blocking"] and f["evidence"]["signature"] for f in blocking)


def test_document_bodies_agree_on_both_read_paths(seed_kb: KnowledgeBase) -> None:
    from kb.storage.sqlite_reads import SQLiteReads

    ids = [d.id for d, _ in seed_kb.list_documents(limit=5)]
    fast = seed_kb.reads
    assert isinstance(fast, SQLiteReads)
    assert fast.document_bodies(ids) == seed_kb.store.document_bodies(ids)
    assert all(fast.document_bodies(ids).values())
    assert fast.document_bodies(ids, teams=["no-such-team"]) == {}
