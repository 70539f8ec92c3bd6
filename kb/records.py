"""Plain records passed between the parser (``ingest/``) and the core.

A parser turns one Markdown file into a :class:`DocumentDraft` holding
:class:`ConstraintDraft` items; the store turns drafts into SQL rows.
Keeping these as dataclasses lets ``ingest/`` depend on ``kb/`` and never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
