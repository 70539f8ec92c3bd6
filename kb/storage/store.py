"""The SQL store: documents, constraints, their vectors, ingest failures and a change counter.

Works on any SQLAlchemy URL; tested on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import and_, bindparam, case, delete, event, func, not_, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, create_engine, select

from kb.errors import NotFoundError, StoreError
from kb.records import (
    ChangeRecord,
    ConstraintRecord,
    DocumentDraft,
    DocumentRecord,
    FailureRecord,
    FeedbackCounts,
    KeyRecord,
)
from kb.storage.curation import dedupe_key, fresh_fields, link_duplicates, refresh, release
from kb.storage.curation import event as curation_event
from kb.storage.models import (
    ApiKey,
    Constraint,
    ConstraintVector,
    Document,
    IngestFailure,
    KBState,
    utcnow,
)
from kb.validity import install as install_text_checks
from kb.vocab import SHARED_TEAM

log = logging.getLogger(__name__)

REVISION_KEY = "revision"
# The section of every proposed lesson (kb.lifecycle.proposals writes it).
PROPOSAL_SECTION = "Proposed lesson"
# The ranking catalog's status of a proposal (kb.index.catalog leaves it out unless asked).
PROPOSAL_STATUS = "proposal"


def normalise_url(url: str) -> str:
    """Pick the psycopg 3 driver for bare ``postgresql://`` URLs (psycopg2 is not a dependency)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    install_text_checks()  # no lone surrogate or NUL reaches a table (kb/validity.py)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"check_same_thread": False})

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.close()

            return engine
        return create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot use database URL {redact(url)!r}: {exc}") from exc


def redact(url: str) -> str:
    """Hide a password in a database URL before it reaches a message or a log."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        if ":" in creds:
            creds = creds.split(":", 1)[0] + ":***"
        return f"{scheme}://{creds}@{host}"
    return url


@dataclass(slots=True)
class StoredDocument:
    """What the ingest loop needs to know about an already stored document."""

    id: int
    sha256: str
    has_body: bool = True  # False: stored before migration 0002, its body was never read


@dataclass(slots=True)
class EmbeddedDraft:
    """A parsed document, its source name, and one vector per constraint (same order)."""

    source: str
    draft: DocumentDraft
    vectors: np.ndarray  # shape (len(draft.constraints), dimension), float32
    team: str = SHARED_TEAM
    actor: str | None = None  # who the history names; default ``ingest:<source>``


Teams = Sequence[str] | None  # the teams a caller may see; None means every team

# Constraint fields a person may change; re-ingest keeps a changed one.
CURATED_FIELDS = (
    "statement",
    "rationale",
    "category",
    "status",
    "severity",
    "services",
    "paths",
    "technologies",
    "tags",
)


def _normalised(statement: str) -> str:
    return " ".join(statement.lower().split())


# --- the storage boundary: table rows in, frozen records out ------------------------------------------


def document_record(doc: Document, *, with_body: bool = True) -> DocumentRecord:
    return DocumentRecord(
        id=doc.id or 0,
        team=doc.team,
        source=doc.source,
        path=doc.path,
        kind=doc.kind,
        title=doc.title,
        sha256=doc.sha256,
        date=doc.date,
        status=doc.status,
        services=list(doc.services),
        meta=dict(doc.meta),
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        body=doc.body if with_body else None,
    )


def constraint_record(c: Constraint) -> ConstraintRecord:
    return ConstraintRecord(
        id=c.id or 0,
        document_id=c.document_id,
        statement=c.statement,
        rationale=c.rationale,
        category=c.category,
        severity=c.severity,
        status=c.status,
        services=list(c.services),
        paths=list(c.paths),
        technologies=list(c.technologies),
        tags=list(c.tags),
        section=c.section,
        line_start=c.line_start,
        line_end=c.line_end,
        curated=list(c.curated),
        created_at=c.created_at,
        updated_at=c.updated_at,
        record_type=c.record_type,
        state=c.state,
        rules=list(c.rules),
        duplicate_of=c.duplicate_of,
        recurrence=c.recurrence,
        last_confirmed=c.last_confirmed,
    )


def _pair(c: Constraint, d: Document, *, with_body: bool = False) -> tuple[ConstraintRecord, DocumentRecord]:
    return constraint_record(c), document_record(d, with_body=with_body)


def key_record(key: ApiKey) -> KeyRecord:
    return KeyRecord(
        id=key.id or 0,
        prefix=key.prefix,
        team=key.team,
        role=key.role,
        name=key.name,
        created_at=key.created_at,
        revoked_at=key.revoked_at,
    )


class Store:
    """Thin, typed access to the SQL tables. Every write bumps the revision counter."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        from kb.storage.curation import Curation

        self.curation = Curation(self)

    @classmethod
    def from_url(cls, url: str) -> Store:
        store = cls(make_engine(url))
        store.create_schema()
        return store

    def close(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    # --- schema -------------------------------------------------------------------------------------

    def schema_revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                return str(value) if value is not None else None
        except SQLAlchemyError:
            return None

    def create_schema(self) -> None:
        """Bring the schema to the newest migration (a no-op, without Alembic, when it is there)."""
        from kb.storage.migrations import HEAD

        if self.schema_revision() == HEAD:
            return
        try:
            self._migrate()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database {redact(str(self.engine.url))}: {_short(exc)}") from exc

    def _migrate(self) -> None:
        from pathlib import Path

        from alembic import command
        from alembic.config import Config

        import kb.storage.migrations

        config = Config()
        config.set_main_option("script_location", str(Path(kb.storage.migrations.__file__).parent))
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two replicas starting together must not both create the tables.
                conn.execute(text("SELECT pg_advisory_xact_lock(48151623)"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"database error: {_short(exc)}") from exc

    # --- change counter -------------------------------------------------------------------------

    def revision(self) -> int:
        # Asked on every query: a plain statement (built once) on a pooled connection, no ORM session.
        try:
            with self.engine.connect() as conn:
                value = conn.execute(_revision_statement()).scalar()
        except SQLAlchemyError as exc:
            raise StoreError(f"database error: {_short(exc)}") from exc
        return int(value) if value is not None else 0

    @staticmethod
    def _bump(session: Session) -> None:
        state = session.get(KBState, REVISION_KEY, with_for_update=True)
        if state is None:
            session.add(KBState(key=REVISION_KEY, value=1))
        else:
            state.value += 1
            session.add(state)

    # --- documents --------------------------------------------------------------------------------

    def stored_hashes(self, source: str, *, team: str = SHARED_TEAM) -> dict[str, StoredDocument]:
        with self.session() as session:
            rows = session.exec(
                select(
                    Document.path,
                    Document.id,
                    Document.sha256,
                    Document.body.is_not(None),  # type: ignore[union-attr]
                ).where(Document.source == source, Document.team == team)
            ).all()
            return {
                path: StoredDocument(id=doc_id or 0, sha256=sha, has_body=bool(has_body))
                for path, doc_id, sha, has_body in rows
            }

    def write_documents(self, items: Sequence[EmbeddedDraft], *, model: str) -> list[int]:
        """Insert or replace documents with their constraints and vectors, in one transaction."""
        if not items:
            return []
        ids: list[int] = []
        with self.session() as session:
            for item in items:
                ids.append(self._replace_document(session, item, model=model))
            self._bump(session)
            session.commit()
        return ids

    def _replace_document(self, session: Session, item: EmbeddedDraft, *, model: str) -> int:
        draft = item.draft
        doc = session.exec(
            select(Document).where(
                Document.team == item.team, Document.source == item.source, Document.path == draft.path
            )
        ).first()
        if doc is None:
            doc = Document(
                team=item.team,
                source=item.source,
                path=draft.path,
                kind=draft.kind,
                title=draft.title,
                sha256="",
            )
        doc.kind = draft.kind
        doc.title = draft.title
        doc.sha256 = draft.sha256
        doc.date = draft.date
        doc.status = draft.status
        doc.services = list(draft.services)
        doc.meta = dict(draft.metadata)
        # "" when the parser gave none: NULL is kept for documents stored before the column existed.
        doc.body = draft.body if draft.body is not None else ""
        doc.updated_at = utcnow()
        session.add(doc)
        session.flush()
        assert doc.id is not None

        # A lesson whose statement did not change keeps its id (acks and links cite ids) and
        # whatever a person curated on it; the rest of the document's constraints are replaced.
        # A statement a person edited is matched by what extraction said.
        previous: dict[str, Constraint] = {}
        for old in session.exec(select(Constraint).where(Constraint.document_id == doc.id)).all():
            previous.setdefault(_normalised(old.extracted.get("statement") or old.statement), old)
        actor = item.actor or f"ingest:{item.source}"
        rows: list[Constraint] = []
        created: list[Constraint] = []
        for c in draft.constraints:
            row = previous.pop(_normalised(c.statement), None)
            fresh = fresh_fields(c)
            if row is None:
                row = Constraint(document_id=doc.id, dedupe_key=dedupe_key(c.statement), **fresh)
                created.append(row)
            else:
                refresh(session, row, fresh, team=item.team, actor=actor)
            rows.append(row)
        stale = [old.id or 0 for old in previous.values()]
        if stale:
            release(session, stale, actor=actor)
            session.exec(  # type: ignore[call-overload]
                delete(ConstraintVector).where(ConstraintVector.constraint_id.in_(stale))  # type: ignore[attr-defined]
            )
            session.exec(delete(Constraint).where(Constraint.id.in_(stale)))  # type: ignore[call-overload,union-attr]
        session.add_all(rows)
        session.flush()
        for row in created:
            curation_event(
                session,
                row.id or 0,
                actor=actor,
                action="propose" if row.status == "proposed" else "ingest",
                after={"statement": row.statement, "document": draft.path, "section": row.section},
            )
        link_duplicates(session, rows, team=item.team, actor=actor)
        dimension = int(item.vectors.shape[1]) if item.vectors.ndim == 2 else 0
        vectors = np.ascontiguousarray(item.vectors, dtype="<f4")
        for i, row in enumerate(rows):
            session.merge(
                ConstraintVector(
                    constraint_id=row.id or 0, model=model, dimension=dimension, vector=vectors[i].tobytes()
                )
            )
        session.exec(  # type: ignore[call-overload]
            delete(IngestFailure).where(
                IngestFailure.team == item.team,  # type: ignore[arg-type]
                IngestFailure.source == item.source,  # type: ignore[arg-type]
                IngestFailure.path == draft.path,  # type: ignore[arg-type]
            )
        )
        return doc.id

    @staticmethod
    def _delete_constraints(session: Session, document_ids: Sequence[int]) -> None:
        constraint_ids = select(Constraint.id).where(
            Constraint.document_id.in_(document_ids)  # type: ignore[attr-defined]
        )
        release(session, [int(i or 0) for i in session.exec(constraint_ids).all()], actor="delete")
        session.exec(  # type: ignore[call-overload]
            delete(ConstraintVector).where(ConstraintVector.constraint_id.in_(constraint_ids))  # type: ignore[attr-defined]
        )
        session.exec(  # type: ignore[call-overload]
            delete(Constraint).where(Constraint.document_id.in_(document_ids))  # type: ignore[attr-defined]
        )

    def get_document(self, document_id: int, *, teams: Teams = None) -> DocumentRecord:
        with self.session() as session:
            doc = session.get(Document, document_id)
            if doc is None or (teams is not None and doc.team not in teams):
                raise NotFoundError(f"no document with id {document_id}")
            return document_record(doc)

    def document_bodies(self, document_ids: Sequence[int], *, teams: Teams = None) -> dict[int, str]:
        """The stored text of the documents among ``document_ids`` that ``teams`` may see."""
        if not document_ids:
            return {}
        query = select(Document.id, Document.body, Document.team).where(
            col(Document.id).in_([int(i) for i in document_ids])
        )
        with self.session() as session:
            rows = session.exec(query).all()
        return {int(i or 0): body or "" for i, body, team in rows if teams is None or team in teams}

    def list_documents(
        self, *, teams: Teams = None, kind: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[tuple[DocumentRecord, int]]:
        """Documents with their constraint counts."""
        count = (
            select(func.count())
            .select_from(Constraint)
            .where(Constraint.document_id == Document.id)
            .scalar_subquery()
        )
        stmt = select(Document, count)
        if teams is not None:
            stmt = stmt.where(Document.team.in_(list(teams)))  # type: ignore[attr-defined]
        if kind:
            stmt = stmt.where(Document.kind == kind)
        stmt = stmt.order_by(Document.id).offset(offset).limit(limit)  # type: ignore[arg-type]
        with self.session() as session:
            return [(document_record(d), int(n)) for d, n in session.exec(stmt).all()]

    def constraint_ids_of(self, document_id: int) -> list[int]:
        with self.session() as session:
            stmt = select(Constraint.id).where(Constraint.document_id == document_id)
            stmt = stmt.order_by(col(Constraint.id))
            return [int(i or 0) for i in session.exec(stmt).all()]

    def count_constraints(self, document_id: int) -> int:
        with self.session() as session:
            stmt = select(func.count()).select_from(Constraint).where(Constraint.document_id == document_id)
            return int(session.exec(stmt).one())

    def delete_document(self, document_id: int, *, teams: Teams = None) -> None:
        with self.session() as session:
            doc = session.get(Document, document_id)
            if doc is None or (teams is not None and doc.team not in teams):
                raise NotFoundError(f"no document with id {document_id}")
            self._delete_constraints(session, [document_id])
            session.delete(doc)
            self._bump(session)
            session.commit()

    def record_failure(self, *, source: str, path: str, message: str, team: str = SHARED_TEAM) -> None:
        with self.session() as session:
            row = session.exec(
                select(IngestFailure).where(
                    IngestFailure.team == team, IngestFailure.source == source, IngestFailure.path == path
                )
            ).first()
            if row is None:
                row = IngestFailure(team=team, source=source, path=path, message=message)
            row.message = message
            row.at = utcnow()
            session.add(row)
            session.commit()

    # --- constraints --------------------------------------------------------------------------------

    @staticmethod
    def _joined(teams: Teams) -> Any:
        stmt = select(Constraint, Document).join(
            Document,
            Constraint.document_id == Document.id,  # type: ignore[arg-type]
        )
        if teams is not None:
            stmt = stmt.where(Document.team.in_(list(teams)))  # type: ignore[attr-defined]
        return stmt

    def get_constraint(
        self, constraint_id: int, *, teams: Teams = None
    ) -> tuple[ConstraintRecord, DocumentRecord]:
        with self.session() as session:
            row = session.exec(self._joined(teams).where(Constraint.id == constraint_id)).first()
            if row is None:
                raise NotFoundError(f"no constraint with id {constraint_id}")
            return _pair(row[0], row[1], with_body=True)

    def constraints_by_ids(
        self, ids: Sequence[int], *, teams: Teams = None
    ) -> dict[int, tuple[ConstraintRecord, DocumentRecord]]:
        """The rows of ``ids`` (every query's hits). The statement is built once per process for all
        callers (building it cost about as much as running it), and a document's body is not read."""
        if not ids:
            return {}
        params: dict[str, Any] = {"ids": list(ids)}
        if teams is not None:
            params["teams"] = list(teams)
        with self.session() as session:
            rows = session.exec(_by_ids_statement(teams is not None), params=params).all()
            return {c.id or 0: _pair(c, d) for c, d in rows}

    def all_constraints(self, *, teams: Teams = None) -> list[tuple[ConstraintRecord, DocumentRecord]]:
        """Every lesson shown (a lesson repeated in another document appears once, as its canonical)."""
        with self.session() as session:
            rows = session.exec(
                self._joined(teams).where(Constraint.duplicate_of.is_(None)).order_by(Constraint.id)  # type: ignore[union-attr]
            ).all()
            return [_pair(c, d) for c, d in rows]

    def list_constraints(
        self,
        *,
        teams: Teams = None,
        kind: str | None = None,
        category: str | None = None,
        status: str | None = None,
        severity: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[tuple[ConstraintRecord, DocumentRecord]]:
        stmt = self._joined(teams).where(Constraint.duplicate_of.is_(None))  # type: ignore[union-attr]
        if kind:
            stmt = stmt.where(Document.kind == kind)
        if category:
            stmt = stmt.where(Constraint.category == category)
        if status:
            stmt = stmt.where(Constraint.status == status)
        if severity:
            stmt = stmt.where(Constraint.severity == severity)
        stmt = stmt.order_by(Constraint.id).offset(offset).limit(limit)
        with self.session() as session:
            return [_pair(c, d) for c, d in session.exec(stmt).all()]

    def update_constraint(
        self,
        constraint_id: int,
        changes: dict[str, Any],
        *,
        actor: str,
        teams: Teams = None,
        vector: tuple[str, bytes, int] | None = None,
    ) -> tuple[ConstraintRecord, DocumentRecord]:
        """Apply a person's change to curated fields, and log it (nothing logged when nothing changes)."""
        unknown = set(changes) - set(CURATED_FIELDS)
        if unknown:
            raise StoreError(f"cannot change {', '.join(sorted(unknown))}")
        current, document = self.get_constraint(constraint_id, teams=teams)
        changed = {name: value for name, value in changes.items() if getattr(current, name) != value}
        if not changed:
            return current, document
        return self.curation.decide(
            constraint_id, action="edit", actor=actor, teams=teams, changes=changed, vector=vector
        )

    def feedback_counts(self, ids: Sequence[int]) -> dict[int, FeedbackCounts]:
        return self.curation.feedback_counts(ids)

    def repeats_of(self, ids: Sequence[int]) -> dict[int, list[tuple[ConstraintRecord, DocumentRecord]]]:
        """The lessons merged into each of ``ids``, oldest first (the query path's other sources)."""
        if not ids:
            return {}
        out: dict[int, list[tuple[ConstraintRecord, DocumentRecord]]] = {}
        stmt = self._joined(None).where(col(Constraint.duplicate_of).in_(list(ids))).order_by(Constraint.id)
        with self.session() as session:
            for c, d in session.exec(stmt).all():
                out.setdefault(c.duplicate_of or 0, []).append(_pair(c, d))
        return out

    def constraint_changes(self, constraint_id: int) -> list[ChangeRecord]:
        return self.curation.history(constraint_id)

    # --- vectors --------------------------------------------------------------------------------------

    def vectors(self, *, model: str) -> tuple[np.ndarray, np.ndarray]:
        """All stored vectors of ``model``: (ids int64, matrix float32)."""
        with self.session() as session:
            rows = session.exec(
                select(ConstraintVector.constraint_id, ConstraintVector.vector, ConstraintVector.dimension)
                .where(ConstraintVector.model == model)
                .order_by(ConstraintVector.constraint_id)  # type: ignore[arg-type]
            ).all()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), rows[0][2])
        return ids, matrix.astype(np.float32, copy=False)

    def count_vectors(self, *, model: str) -> int:
        with self.session() as session:
            return int(
                session.exec(
                    select(func.count()).select_from(ConstraintVector).where(ConstraintVector.model == model)
                ).one()
            )

    def other_vector_models(self, model: str, *, sample: bool = False) -> list[str]:
        """Models other than ``model`` that stored vectors name; ``sample`` reads one row, no scan."""
        with self.session() as session:
            if sample:
                first = session.exec(select(ConstraintVector.model).limit(1)).first()
                return [first] if first is not None and first != model else []
            query = select(ConstraintVector.model).where(ConstraintVector.model != model).distinct()
            return sorted(session.exec(query).all())

    def catalog_columns(self, *, body_chars: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The ranking catalog's columns, as plain tuples: every constraint's (id, document id,
        statement, rationale, section, status, services, paths, technologies, rules) and every document's
        (id, title, team, services, kind, first ``body_chars`` of its body)."""
        # A proposal ranks under the pseudo-status "proposal": default queries leave it out (an
        # unreviewed lesson must not steer agents or the gate), ``include_proposed`` shows it.
        status = case(
            (
                and_(col(Constraint.status) == "proposed", col(Constraint.section) == PROPOSAL_SECTION),
                PROPOSAL_STATUS,
            ),
            else_=col(Constraint.status),
        )
        constraint_columns: tuple[Any, ...] = (
            Constraint.id,
            Constraint.document_id,
            Constraint.statement,
            Constraint.rationale,
            Constraint.section,
            status,
            Constraint.services,
            Constraint.paths,
            Constraint.technologies,
            Constraint.rules,
        )
        document_columns: tuple[Any, ...] = (
            Document.id,
            Document.title,
            Document.team,
            Document.services,
            Document.kind,
            func.substr(Document.body, 1, body_chars),
        )
        from sqlalchemy import select as sa_select

        try:
            with self.engine.connect() as conn:
                # Shown lessons only: a repeated lesson ranks once, as its canonical (with recurrence);
                # a rejected proposal is an answered question, not a lesson.
                shown = sa_select(*constraint_columns).where(
                    Constraint.duplicate_of.is_(None),  # type: ignore[union-attr]
                    not_(
                        and_(
                            col(Constraint.status) == "rejected", col(Constraint.section) == PROPOSAL_SECTION
                        )
                    ),
                )
                rows = [tuple(r) for r in conn.execute(shown).yield_per(20_000)]
                documents = [tuple(r) for r in conn.execute(sa_select(*document_columns))]
        except SQLAlchemyError as exc:
            raise StoreError(f"database error: {_short(exc)}") from exc
        return rows, documents

    # --- reports --------------------------------------------------------------------------------------

    def stats(self, *, teams: Teams = None) -> dict[str, Any]:
        def scoped(stmt: Any) -> Any:
            return stmt.where(Document.team.in_(list(teams))) if teams is not None else stmt  # type: ignore[attr-defined]

        joined_count = (
            select(Document.kind, func.count())
            .select_from(Constraint)
            .join(Document, Constraint.document_id == Document.id)  # type: ignore[arg-type]
        )

        def grouped(column: Any) -> dict[str, int]:
            stmt = (
                select(column, func.count())
                .select_from(Constraint)
                .join(Document, Constraint.document_id == Document.id)  # type: ignore[arg-type]
            )
            with self.session() as session:
                return {k: int(v) for k, v in session.exec(scoped(stmt).group_by(column)).all()}

        with self.session() as session:
            docs_by_kind = dict(
                session.exec(scoped(select(Document.kind, func.count())).group_by(Document.kind)).all()
            )
            cons_by_kind = dict(session.exec(scoped(joined_count).group_by(Document.kind)).all())
            failures = select(func.count()).select_from(IngestFailure)
            if teams is not None:
                failures = failures.where(IngestFailure.team.in_(list(teams)))  # type: ignore[attr-defined]
            failed = int(session.exec(failures).one())
        kinds = sorted(set(docs_by_kind) | set(cons_by_kind))
        return {
            "documents": int(sum(docs_by_kind.values())),
            "constraints": int(sum(cons_by_kind.values())),
            "by_kind": {
                k: {"documents": int(docs_by_kind.get(k, 0)), "constraints": int(cons_by_kind.get(k, 0))}
                for k in kinds
            },
            "by_status": grouped(Constraint.status),
            "by_category": grouped(Constraint.category),
            "by_severity": grouped(Constraint.severity),
            "failed": failed,
        }

    def failures(self, *, teams: Teams = None) -> list[FailureRecord]:
        stmt = select(IngestFailure)
        if teams is not None:
            stmt = stmt.where(IngestFailure.team.in_(list(teams)))  # type: ignore[attr-defined]
        with self.session() as session:
            rows = session.exec(stmt.order_by(IngestFailure.path)).all()  # type: ignore[arg-type]
            return [FailureRecord(f.team, f.source, f.path, f.message, f.at) for f in rows]

    # --- API keys ---------------------------------------------------------------------------------------

    def add_key(self, *, prefix: str, secret_hash: str, team: str, role: str, name: str) -> KeyRecord:
        key = ApiKey(prefix=prefix, secret_hash=secret_hash, team=team, role=role, name=name)
        with self.session() as session:
            session.add(key)
            session.commit()
            session.refresh(key)
            return key_record(key)

    def key_secret(self, prefix: str) -> tuple[KeyRecord, str] | None:
        """The key with ``prefix`` and the stored hash of its secret, or None."""
        with self.session() as session:
            key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
            return (key_record(key), key.secret_hash) if key is not None else None

    def list_keys(self, *, team: str | None = None) -> list[KeyRecord]:
        stmt = select(ApiKey)
        if team is not None:
            stmt = stmt.where(ApiKey.team == team)
        with self.session() as session:
            return [key_record(k) for k in session.exec(stmt.order_by(ApiKey.id)).all()]  # type: ignore[arg-type]

    def revoke_key(self, key_id: int, *, team: str | None = None) -> KeyRecord:
        with self.session() as session:
            key = session.get(ApiKey, key_id)
            if key is None or (team is not None and key.team != team):
                raise NotFoundError(f"no API key with id {key_id}")
            if key.revoked_at is None:
                key.revoked_at = utcnow()
                session.add(key)
                session.commit()
            return key_record(key)


def _short(exc: BaseException) -> str:
    """First line of a driver error, without SQLAlchemy's background link."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


@lru_cache(maxsize=1)
def _revision_statement() -> Any:
    return select(KBState.value).where(KBState.key == REVISION_KEY)  # type: ignore[arg-type]


@lru_cache(maxsize=2)
def _by_ids_statement(by_team: bool) -> Any:
    statement = (
        Store._joined(None)
        .where(Constraint.id.in_(bindparam("ids", expanding=True)))  # type: ignore[union-attr]
        .options(defer(Document.body, raiseload=True))  # type: ignore[arg-type]
    )
    if by_team:
        statement = statement.where(Document.team.in_(bindparam("teams", expanding=True)))  # type: ignore[attr-defined]
    return statement
