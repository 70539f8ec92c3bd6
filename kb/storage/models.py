"""SQL tables: the source of truth.

Vectors live in SQL too (``ConstraintVector``), so the FAISS index can be rebuilt without re-embedding.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from kb.vocab import SHARED_TEAM


def utcnow() -> datetime:
    return datetime.now(UTC)


class Document(SQLModel, table=True):
    """One ingested source document (postmortem, runbook or ADR)."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("team", "source", "path", name="uq_documents_team_source_path"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    team: str = Field(default=SHARED_TEAM, index=True, description="Owning team, or 'shared'.")
    source: str = Field(index=True, description="Name of the ingested root folder.")
    path: str = Field(index=True, description="POSIX path relative to the ingested root.")
    kind: str = Field(index=True)
    title: str
    sha256: str
    date: str | None = None
    status: str | None = None
    services: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column("metadata", JSON, nullable=False))
    # The document's Markdown after its front matter: what the document ranker reads besides the
    # lessons. NULL for documents stored before migration 0002 (the next ingest reads them again).
    body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Constraint(SQLModel, table=True):
    """One atomic lesson with its classification, scope and provenance."""

    __tablename__ = "constraints"
    # Ids are cited (acks, links, API clients): never hand a deleted lesson's id to a new one.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True)
    statement: str
    rationale: str = ""
    category: str = Field(index=True)
    severity: str = Field(index=True)
    status: str = Field(index=True)
    services: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    paths: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    technologies: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    section: str = ""
    line_start: int = 0
    line_end: int = 0
    # Fields a person changed (status, severity, scope): re-ingest of the document keeps them.
    curated: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # What the record is (kb.vocab.RECORD_TYPES), a follow-up's state, and the extraction rules
    # that produced it. Declared after the timestamps: migration 0003 appends them to the table.
    record_type: str = Field(default="constraint", index=True)
    state: str | None = None
    rules: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Lifecycle (migration 0004). A lesson stated again in another document of the same team points
    # at the lesson that is shown (``duplicate_of``); the shown one counts the documents that state
    # it (``recurrence``). ``dedupe_key`` is the normalised statement the exact-duplicate lookup uses.
    duplicate_of: int | None = Field(default=None, index=True)
    recurrence: int = 1
    dedupe_key: str = Field(default="", index=True)
    # What extraction last said for each field a person changed (see ``curated``).
    extracted: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    last_confirmed: datetime | None = None


class ConstraintVector(SQLModel, table=True):
    """The embedding of one constraint: float32 little-endian bytes, ``dimension`` values."""

    __tablename__ = "constraint_vectors"

    constraint_id: int = Field(foreign_key="constraints.id", primary_key=True)
    model: str
    dimension: int
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class IngestFailure(SQLModel, table=True):
    """The last ingest error of a file; cleared when the file ingests cleanly."""

    __tablename__ = "ingest_failures"
    __table_args__ = (UniqueConstraint("team", "source", "path", name="uq_failures_team_source_path"),)

    id: int | None = Field(default=None, primary_key=True)
    team: str = Field(default=SHARED_TEAM, index=True)
    source: str
    path: str
    message: str
    at: datetime = Field(default_factory=utcnow)


class KBState(SQLModel, table=True):
    """Key/value state; ``revision`` counts committed changes so index caches can tell they are stale."""

    __tablename__ = "kb_state"

    key: str = Field(primary_key=True)
    value: int = 0


class ApiKey(SQLModel, table=True):
    """An API key: shown once at creation, stored as a SHA-256 of its secret part."""

    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(index=True, unique=True, description="Public part of the key, for lookup.")
    secret_hash: str
    team: str = Field(index=True)
    role: str  # reader | writer | admin
    name: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class ConstraintChange(SQLModel, table=True):
    """Who changed a constraint's status, severity or scope, when, and from what to what."""

    __tablename__ = "constraint_changes"

    id: int | None = Field(default=None, primary_key=True)
    # No foreign key: the audit trail outlives a constraint deleted with its document.
    constraint_id: int = Field(index=True)
    actor: str
    at: datetime = Field(default_factory=utcnow)
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # What happened (kb.vocab.HISTORY_ACTIONS) and why, when a person said why (reject, retire).
    action: str = "edit"
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class Feedback(SQLModel, table=True):
    """One "helpful" / "not helpful" on a lesson, with the task it answered."""

    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    constraint_id: int = Field(index=True)
    helpful: bool
    task: str = Field(default="", sa_column=Column(Text, nullable=False))
    actor: str
    at: datetime = Field(default_factory=utcnow)


class ReviewItem(SQLModel, table=True):
    """Something a person must decide: a suspected duplicate, or a source change under a curated
    field. Proposals and stale lessons are found by query, not stored here."""

    __tablename__ = "review_items"

    id: int | None = Field(default=None, primary_key=True)
    team: str = Field(index=True)
    reason: str  # duplicate | conflict
    constraint_id: int = Field(index=True)
    other_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None
    resolution: str | None = None
    resolved_by: str | None = None
