"""The SQL store: documents, constraints, their vectors, ingest failures and a change counter.

Works on any SQLAlchemy URL; tested on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import delete, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine, select

from kb.errors import NotFoundError, StoreError
from kb.models import Constraint, ConstraintVector, Document, IngestFailure, KBState, utcnow
from kb.records import DocumentDraft

log = logging.getLogger(__name__)

REVISION_KEY = "revision"


def normalise_url(url: str) -> str:
    """Pick the psycopg 3 driver for bare ``postgresql://`` URLs (psycopg2 is not a dependency)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
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


@dataclass(slots=True)
class EmbeddedDraft:
    """A parsed document, its source name, and one vector per constraint (same order)."""

    source: str
    draft: DocumentDraft
    vectors: np.ndarray  # shape (len(draft.constraints), dimension), float32


class Store:
    """Thin, typed access to the SQL tables. Every write bumps the revision counter."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> Store:
        store = cls(make_engine(url))
        store.create_schema()
        return store

    def close(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    def create_schema(self) -> None:
        try:
            SQLModel.metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database {redact(str(self.engine.url))}: {_short(exc)}") from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"database error: {_short(exc)}") from exc

    # --- change counter -------------------------------------------------------------------------

    def revision(self) -> int:
        with self.session() as session:
            state = session.get(KBState, REVISION_KEY)
            return state.value if state else 0

    @staticmethod
    def _bump(session: Session) -> None:
        state = session.get(KBState, REVISION_KEY, with_for_update=True)
        if state is None:
            session.add(KBState(key=REVISION_KEY, value=1))
        else:
            state.value += 1
            session.add(state)

    # --- documents --------------------------------------------------------------------------------

    def stored_hashes(self, source: str) -> dict[str, StoredDocument]:
        with self.session() as session:
            rows = session.exec(
                select(Document.path, Document.id, Document.sha256).where(Document.source == source)
            ).all()
            return {path: StoredDocument(id=doc_id or 0, sha256=sha) for path, doc_id, sha in rows}

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
            select(Document).where(Document.source == item.source, Document.path == draft.path)
        ).first()
        if doc is None:
            doc = Document(source=item.source, path=draft.path, kind=draft.kind, title=draft.title, sha256="")
        else:
            self._delete_constraints(session, [doc.id or 0])
        doc.kind = draft.kind
        doc.title = draft.title
        doc.sha256 = draft.sha256
        doc.date = draft.date
        doc.status = draft.status
        doc.services = list(draft.services)
        doc.meta = dict(draft.metadata)
        doc.updated_at = utcnow()
        session.add(doc)
        session.flush()
        assert doc.id is not None
        rows = [
            Constraint(
                document_id=doc.id,
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
            )
            for c in draft.constraints
        ]
        session.add_all(rows)
        session.flush()
        dimension = int(item.vectors.shape[1]) if item.vectors.ndim == 2 else 0
        vectors = np.ascontiguousarray(item.vectors, dtype="<f4")
        session.add_all(
            ConstraintVector(
                constraint_id=row.id or 0, model=model, dimension=dimension, vector=vectors[i].tobytes()
            )
            for i, row in enumerate(rows)
        )
        session.exec(  # type: ignore[call-overload]
            delete(IngestFailure).where(
                IngestFailure.source == item.source,  # type: ignore[arg-type]
                IngestFailure.path == draft.path,  # type: ignore[arg-type]
            )
        )
        return doc.id

    @staticmethod
    def _delete_constraints(session: Session, document_ids: Sequence[int]) -> None:
        constraint_ids = select(Constraint.id).where(Constraint.document_id.in_(document_ids))  # type: ignore[attr-defined]
        session.exec(  # type: ignore[call-overload]
            delete(ConstraintVector).where(ConstraintVector.constraint_id.in_(constraint_ids))  # type: ignore[attr-defined]
        )
        session.exec(  # type: ignore[call-overload]
            delete(Constraint).where(Constraint.document_id.in_(document_ids))  # type: ignore[attr-defined]
        )

    def delete_document(self, document_id: int) -> None:
        with self.session() as session:
            doc = session.get(Document, document_id)
            if doc is None:
                raise NotFoundError(f"no document with id {document_id}")
            self._delete_constraints(session, [document_id])
            session.delete(doc)
            self._bump(session)
            session.commit()

    def record_failure(self, *, source: str, path: str, message: str) -> None:
        with self.session() as session:
            row = session.exec(
                select(IngestFailure).where(IngestFailure.source == source, IngestFailure.path == path)
            ).first()
            if row is None:
                row = IngestFailure(source=source, path=path, message=message)
            row.message = message
            row.at = utcnow()
            session.add(row)
            session.commit()

    # --- reads --------------------------------------------------------------------------------------

    def get_constraint(self, constraint_id: int) -> tuple[Constraint, Document]:
        with self.session() as session:
            row = session.exec(
                select(Constraint, Document)
                .join(Document, Constraint.document_id == Document.id)  # type: ignore[arg-type]
                .where(Constraint.id == constraint_id)
            ).first()
            if row is None:
                raise NotFoundError(f"no constraint with id {constraint_id}")
            return row[0], row[1]

    def constraints_by_ids(self, ids: Sequence[int]) -> dict[int, tuple[Constraint, Document]]:
        if not ids:
            return {}
        with self.session() as session:
            rows = session.exec(
                select(Constraint, Document)
                .join(Document, Constraint.document_id == Document.id)  # type: ignore[arg-type]
                .where(Constraint.id.in_(list(ids)))  # type: ignore[union-attr]
            ).all()
            return {c.id or 0: (c, d) for c, d in rows}

    def all_constraints(self) -> list[tuple[Constraint, Document]]:
        with self.session() as session:
            rows = session.exec(
                select(Constraint, Document)
                .join(Document, Constraint.document_id == Document.id)  # type: ignore[arg-type]
                .order_by(Constraint.id)  # type: ignore[arg-type]
            ).all()
            return [(c, d) for c, d in rows]

    def list_constraints(
        self,
        *,
        kind: str | None = None,
        category: str | None = None,
        status: str | None = None,
        severity: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[tuple[Constraint, Document]]:
        stmt = select(Constraint, Document).join(
            Document,
            Constraint.document_id == Document.id,  # type: ignore[arg-type]
        )
        if kind:
            stmt = stmt.where(Document.kind == kind)
        if category:
            stmt = stmt.where(Constraint.category == category)
        if status:
            stmt = stmt.where(Constraint.status == status)
        if severity:
            stmt = stmt.where(Constraint.severity == severity)
        stmt = stmt.order_by(Constraint.id).offset(offset).limit(limit)  # type: ignore[arg-type]
        with self.session() as session:
            return [(c, d) for c, d in session.exec(stmt).all()]

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

    def stats(self) -> dict[str, Any]:
        with self.session() as session:
            docs_by_kind = dict(
                session.exec(select(Document.kind, func.count()).group_by(Document.kind)).all()  # type: ignore[arg-type]
            )
            cons_by_kind = dict(
                session.exec(
                    select(Document.kind, func.count())
                    .select_from(Constraint)
                    .join(Document, Constraint.document_id == Document.id)  # type: ignore[arg-type]
                    .group_by(Document.kind)  # type: ignore[arg-type]
                ).all()
            )
            by_status = dict(
                session.exec(select(Constraint.status, func.count()).group_by(Constraint.status)).all()  # type: ignore[arg-type]
            )
            by_category = dict(
                session.exec(select(Constraint.category, func.count()).group_by(Constraint.category)).all()  # type: ignore[arg-type]
            )
            by_severity = dict(
                session.exec(select(Constraint.severity, func.count()).group_by(Constraint.severity)).all()  # type: ignore[arg-type]
            )
            failed = int(session.exec(select(func.count()).select_from(IngestFailure)).one())
        kinds = sorted(set(docs_by_kind) | set(cons_by_kind))
        return {
            "documents": int(sum(docs_by_kind.values())),
            "constraints": int(sum(cons_by_kind.values())),
            "by_kind": {
                k: {"documents": int(docs_by_kind.get(k, 0)), "constraints": int(cons_by_kind.get(k, 0))}
                for k in kinds
            },
            "by_status": {k: int(v) for k, v in by_status.items()},
            "by_category": {k: int(v) for k, v in by_category.items()},
            "by_severity": {k: int(v) for k, v in by_severity.items()},
            "failed": failed,
        }

    def failures(self) -> list[IngestFailure]:
        with self.session() as session:
            return list(session.exec(select(IngestFailure).order_by(IngestFailure.path)).all())  # type: ignore[arg-type]


def _short(exc: BaseException) -> str:
    """First line of a driver error, without SQLAlchemy's background link."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
