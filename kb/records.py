"""The record shapes of the domain: drafts going in, frozen records coming out.

A parser turns one file into a :class:`DocumentDraft` holding :class:`ConstraintDraft` items; the
store turns drafts into SQL rows and hands back :class:`ConstraintRecord` / :class:`DocumentRecord`
(and the small records of changes, failures and keys). Adapters serialise these records through
``kb.outputs.contract``. Keeping them as dataclasses lets ``ingest/`` depend on ``kb/`` and never
the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class ConstraintDraft:
    """One atomic lesson, as extracted from one section of a document."""

    statement: str
    rationale: str
    category: str
    severity: str
    status: str = "active"
    services: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    section: str = ""  # heading path, e.g. "Incident 42 > Action Items"
    line_start: int = 0  # 1-based, inclusive
    line_end: int = 0
    # What the record is (kb.vocab.RECORD_TYPES): only constraints and decisions are rules.
    record_type: str = "constraint"
    # A follow-up's state when the source marks it (kb.vocab.FOLLOW_UP_STATES), else None.
    state: str | None = None
    # Names of the extraction rules that produced the statement, for review (`show --verbose`).
    rules: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DocumentDraft:
    """One parsed source document and the lessons found in it."""

    path: str  # relative to the folder given to ``kb ingest``
    kind: str  # postmortem | runbook | adr
    title: str
    sha256: str
    date: str | None = None  # ISO date when the document states one
    status: str | None = None  # e.g. accepted / superseded for ADRs, resolved for incidents
    services: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    constraints: list[ConstraintDraft] = field(default_factory=list)
    body: str | None = None  # the Markdown after the front matter, for document search


# --- what comes out of storage ----------------------------------------------------------------------
# Both read paths (the ORM store and the query path's plain SQLite reads) return these frozen
# records; the SQL table classes never leave ``kb.storage``. Field names and types follow the tables.


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A stored document. ``body`` is None where a read path skips it (query hits)."""

    id: int
    team: str
    source: str
    path: str
    kind: str
    title: str
    sha256: str
    date: str | None
    status: str | None
    services: list[str]
    meta: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    body: str | None = None


@dataclass(frozen=True, slots=True)
class ConstraintRecord:
    """A stored lesson: its statement, classification, scope and provenance."""

    id: int
    document_id: int
    statement: str
    rationale: str
    category: str
    severity: str
    status: str
    services: list[str]
    paths: list[str]
    technologies: list[str]
    tags: list[str]
    section: str
    line_start: int
    line_end: int
    curated: list[str]
    created_at: datetime
    updated_at: datetime
    record_type: str = "constraint"
    state: str | None = None
    rules: list[str] = field(default_factory=list)
    # Lifecycle: the lesson this one repeats (None: it is shown itself), how many documents state
    # it, and when a person or positive feedback last confirmed it.
    duplicate_of: int | None = None
    recurrence: int = 1
    last_confirmed: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One event in a lesson's history: who, when, what happened, from what to what."""

    id: int
    constraint_id: int
    actor: str
    at: datetime
    before: dict[str, Any]
    after: dict[str, Any]
    action: str = "edit"  # kb.vocab.HISTORY_ACTIONS
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One thing waiting for a person's decision (kb.vocab.REVIEW_REASONS).

    ``id`` is the stored item's id for duplicates and conflicts, None for what is found by query
    (proposals, stale lessons). ``constraint_id`` is the lesson the decision is about; ``other_id``
    the lesson it may repeat (duplicates) or replace (supersessions)."""

    reason: str
    constraint_id: int
    detail: str
    created_at: datetime
    id: int | None = None
    other_id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # a conflict's field and values


@dataclass(frozen=True, slots=True)
class FeedbackCounts:
    """Votes on one lesson, and their time-decayed balance (what ranking reads)."""

    helpful: int = 0
    not_helpful: int = 0
    balance: float = 0.0  # decayed helpful minus decayed not helpful


@dataclass(frozen=True, slots=True)
class FailureRecord:
    """The last ingest error of one file."""

    team: str
    source: str
    path: str
    message: str
    at: datetime


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """An API key without its secret (only a hash of it is stored)."""

    id: int
    prefix: str
    team: str
    role: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
