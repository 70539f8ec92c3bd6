"""The SQL store on a real SQLite file and on the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from kb.errors import NotFoundError, StoreError
from kb.records import ConstraintDraft, DocumentDraft
from kb.storage.store import EmbeddedDraft, Store, normalise_url, redact


def _draft(path: str, sha: str, statements: list[str], kind: str = "postmortem") -> DocumentDraft:
    return DocumentDraft(
        path=path,
        kind=kind,
        title=f"Title of {path}",
        sha256=sha,
        date="2024-05-01",
        status="resolved",
        services=["payments-api"],
        metadata={"severity": "SEV1", "time_to_repair": "2h"},
        constraints=[
            ConstraintDraft(
                statement=s,
                rationale="Because it broke.",
                category="operational",
                severity="high",
                paths=["services/payments/*.py"],
                technologies=["python"],
                section="Incident > Lessons Learned",
                line_start=10 + i,
                line_end=10 + i,
            )
            for i, s in enumerate(statements)
        ],
    )


def _embedded(draft: DocumentDraft, dim: int = 4) -> EmbeddedDraft:
    rng = np.random.default_rng(len(draft.constraints))
    vectors = rng.normal(size=(len(draft.constraints), dim)).astype(np.float32)
    return EmbeddedDraft(source="seed", draft=draft, vectors=vectors)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    opened = Store.from_url(url)
    yield opened
    opened.close()


def test_write_read_roundtrip(store: Store) -> None:
    [doc_id] = store.write_documents(
        [_embedded(_draft("pm/a.md", "h1", ["Do A always.", "Do B always."]))], model="m"
    )
    rows = store.all_constraints()
    assert [c.statement for c, _ in rows] == ["Do A always.", "Do B always."]
    constraint, document = store.get_constraint(rows[0][0].id or 0)
    assert document.id == doc_id
    assert document.meta == {"severity": "SEV1", "time_to_repair": "2h"}
    assert constraint.paths == ["services/payments/*.py"]
    assert (constraint.line_start, constraint.section) == (10, "Incident > Lessons Learned")
    ids, matrix = store.vectors(model="m")
    assert ids.tolist() == [c.id for c, _ in rows]
    assert matrix.shape == (2, 4) and matrix.dtype == np.float32


def test_replacing_a_document_replaces_only_its_constraints(store: Store) -> None:
    store.write_documents(
        [_embedded(_draft("pm/a.md", "h1", ["Do A always."])), _embedded(_draft("pm/b.md", "h2", ["Do B."]))],
        model="m",
    )
    before = {c.statement: c.id for c, _ in store.all_constraints()}
    revision = store.revision()
    store.write_documents([_embedded(_draft("pm/a.md", "h1b", ["Do A2 always.", "Do A3."]))], model="m")
    after = {c.statement: c.id for c, _ in store.all_constraints()}
    assert "Do A always." not in after
    assert after["Do B."] == before["Do B."]  # nothing else moves
    assert store.revision() == revision + 1
    assert store.stored_hashes("seed")["pm/a.md"].sha256 == "h1b"
    assert store.count_vectors(model="m") == 3


def test_stats_shape(store: Store) -> None:
    store.write_documents(
        [_embedded(_draft("a.md", "1", ["Do A."])), _embedded(_draft("d.md", "2", ["Do D."], "adr"))],
        model="m",
    )
    store.record_failure(source="seed", path="bad.md", message="binary file")
    stats = store.stats()
    assert stats["documents"] == 2 and stats["constraints"] == 2
    assert stats["by_kind"] == {
        "adr": {"documents": 1, "constraints": 1},
        "postmortem": {"documents": 1, "constraints": 1},
    }
    assert stats["by_status"] == {"active": 2}
    assert stats["failed"] == 1


def test_a_clean_ingest_clears_the_files_failure(store: Store) -> None:
    store.record_failure(source="seed", path="a.md", message="broken front matter")
    store.record_failure(source="seed", path="a.md", message="still broken")
    assert [f.message for f in store.failures()] == ["still broken"]
    store.write_documents([_embedded(_draft("a.md", "1", ["Do A."]))], model="m")
    assert store.failures() == []


def test_missing_records_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.get_constraint(12345)
    with pytest.raises(NotFoundError):
        store.delete_document(12345)


def test_delete_document_removes_its_constraints_and_vectors(store: Store) -> None:
    [doc_id] = store.write_documents([_embedded(_draft("a.md", "1", ["Do A.", "Do B."]))], model="m")
    store.delete_document(doc_id)
    assert store.all_constraints() == []
    assert store.count_vectors(model="m") == 0


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError) as info:
        Store.from_url("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    assert "secret" not in info.value.message


def test_urls_are_normalised_and_redacted() -> None:
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
    assert redact("postgresql://user:pw@host/db") == "postgresql://user:***@host/db"


def test_head_constant_names_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import kb.storage.migrations

    config = Config()
    config.set_main_option("script_location", str(Path(kb.storage.migrations.__file__).parent))
    assert ScriptDirectory.from_config(config).get_current_head() == kb.storage.migrations.HEAD


def test_migrations_build_exactly_the_models_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []
    assert store.schema_revision() is not None


def test_document_body_is_stored_and_old_databases_migrate(store: Store) -> None:
    from sqlalchemy import select

    from kb.storage.models import Document

    with_body = _draft("pm/a.md", "h1", ["Carry an idempotency key."])
    with_body.body = "## Timeline\n\nThe capture job retried without a key."
    without = _draft("pm/b.md", "h2", ["Page the on-call."])
    store.write_documents([_embedded(with_body), _embedded(without)], model="m")
    with store.engine.connect() as conn:
        bodies = dict(conn.execute(select(Document.path, Document.body)).all())  # type: ignore[call-overload]
    assert bodies == {"pm/a.md": with_body.body, "pm/b.md": ""}  # "" is not "never read"
    assert all(d.has_body for d in store.stored_hashes("seed").values())


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_database_at_0001_migrates_and_its_documents_are_read_again(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    import kb.storage.migrations
    from kb.service import KnowledgeBase
    from kb.settings import Settings

    home = tmp_path / "home"
    home.mkdir()
    url = (
        f"sqlite:///{home / 'kb.sqlite3'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    )
    config = Config()
    config.set_main_option("script_location", str(Path(kb.storage.migrations.__file__).parent))
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text(
                "INSERT INTO documents (team, source, path, kind, title, sha256, services, metadata,"
                " created_at, updated_at) VALUES ('shared', 'seed', 'pm/old.md', 'postmortem', 'Old',"
                " 'abc', '[]', '{}', '2024-01-01', '2024-01-01')"
            )
        )
    engine.dispose()
    store = Store.from_url(url)
    try:
        assert store.schema_revision() == kb.storage.migrations.HEAD == "0004"
        [old] = store.stored_hashes("seed").values()
        assert (old.sha256, old.has_body) == ("abc", False)
    finally:
        store.close()
    fake = KnowledgeBase(Settings(home=home, database_url=url, embedder="hashing"))
    try:
        assert fake.stored_hashes("seed") == {"pm/old.md": ""}  # the next ingest reads it again
    finally:
        fake.close()


def test_hits_load_by_id_within_teams_and_without_the_body(store: Store) -> None:
    shared = _embedded(_draft("pm/a.md", "h1", ["Do A always.", "Do B always."]))
    payments = EmbeddedDraft(
        source="seed",
        draft=_draft("pm/b.md", "h2", ["Do C always."]),
        vectors=shared.vectors[:1],
        team="payments",
    )
    store.write_documents([shared, payments], model="m")
    ids = {c.statement: c.id or 0 for c, _ in store.all_constraints()}
    everything = store.constraints_by_ids(list(ids.values()))
    assert {c.statement for c, _ in everything.values()} == {"Do A always.", "Do B always.", "Do C always."}
    assert store.constraints_by_ids(list(ids.values()), teams=["payments"]).keys() == {ids["Do C always."]}
    assert store.constraints_by_ids([ids["Do A always."], 10_000]).keys() == {ids["Do A always."]}
    assert store.constraints_by_ids([]) == {}
    _, document = everything[ids["Do A always."]]
    assert document.path == "pm/a.md" and document.title == "Title of pm/a.md"
    assert document.body is None  # hits never read the document's text
    assert store.get_document(document.id).body is not None
