"""Request and response models of the HTTP API (the OpenAPI contract).

Table classes never leave the API: routes answer with these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["postmortem", "runbook", "adr"]
Category = Literal["operational", "security", "data", "architecture", "delivery", "business"]
Severity = Literal["critical", "high", "medium", "low"]
Status = Literal["active", "proposed", "superseded", "rejected", "retired"]
Role = Literal["reader", "writer", "admin"]

MAX_TASK_CHARS = 20_000
MAX_DIFF_CHARS = 2 * 1024 * 1024
MAX_DOCUMENT_CHARS = 2 * 1024 * 1024


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QueryRequest(Strict):
    task: str | None = Field(default=None, max_length=MAX_TASK_CHARS, description="The planned change.")
    diff: str | None = Field(default=None, max_length=MAX_DIFF_CHARS, description="A unified diff.")
    k: int = Field(default=5, ge=1, le=100)
    include_inactive: bool = Field(default=False, description="Also return retired lessons.")
    include_proposed: bool = Field(
        default=False, description="Also return unreviewed proposals (marked in why; never the default)."
    )


class ContextRequest(QueryRequest):
    k: int = Field(default=10, ge=1, le=100)
    format: Literal["markdown", "xml", "json"] = "markdown"
    max_tokens: int | None = Field(default=None, ge=1, le=200_000)
    min_confidence: Literal["strong", "possible", "weak"] = "possible"


class ContextOut(BaseModel):
    text: str = Field(description="The block to paste into or attach to a prompt.")
    format: str
    tokens: int
    tokenizer: str
    max_tokens: int | None
    included: list[int]
    omitted: list[int]
    passages: int = Field(default=0, description="Cited passages (not rules) the block includes.")


class Scope(BaseModel):
    services: list[str]
    paths: list[str]
    technologies: list[str]
    tags: list[str]


class Source(BaseModel):
    path: str
    kind: str
    title: str
    section: str
    lines: list[int]
    root: str
    document_id: int | None
    document_status: str | None
    document_date: str | None


class FeedbackOut(BaseModel):
    helpful: int
    not_helpful: int


class ConstraintOut(BaseModel):
    id: int
    statement: str
    rationale: str
    type: str = Field(default="constraint", description="constraint, decision, procedure or follow_up.")
    state: str | None = Field(default=None, description="A follow-up's state: open or done.")
    category: str
    severity: str
    status: str
    scope: Scope
    source: Source
    team: str
    recurrence: int = Field(default=1, description="How many documents state this lesson.")
    duplicate_of: int | None = Field(default=None, description="The lesson this one repeats, if merged.")
    last_confirmed: str | None = None
    review_due: str | None = Field(default=None, description="When the lesson is due for review.")
    stale: bool = Field(default=False, description="Past its review date.")
    sources: list[Source] | None = Field(default=None, description="Every document stating it (one lesson).")
    feedback: FeedbackOut | None = None


class HitOut(ConstraintOut):
    score: float
    confidence: str
    similarity: float
    why: list[str]
    match: str = Field(default="lesson", description="Always lesson here; passages are listed apart.")


class PassageOut(BaseModel):
    """A document's section quoted as reference, not a rule (no lesson there, or it matched better)."""

    match: str = Field(default="passage", description="Always passage.")
    type: str = Field(default="passage", description="Always passage: not a constraint.")
    excerpt: str = Field(description="The start of the section's text, as stored.")
    source: Source
    team: str
    score: float = Field(description="On the lessons' scale: passages and results merge by score.")
    confidence: str = Field(description="possible or weak; never strong.")
    why: list[str]


class QueryEcho(BaseModel):
    task: str | None
    diff_files: list[str]


class QueryOut(BaseModel):
    query: QueryEcho
    results: list[HitOut]
    passages: list[PassageOut] = Field(
        default_factory=list, description="Cited sections of documents that ranked among the results."
    )


class ConstraintPage(BaseModel):
    results: list[ConstraintOut]
    limit: int
    offset: int
    next_offset: int | None


class DocumentIn(Strict):
    path: str = Field(min_length=1, max_length=500, description="Relative path, e.g. postmortems/2024-x.md")
    content: str = Field(min_length=1, max_length=MAX_DOCUMENT_CHARS, description="Markdown text.")


class IngestRequest(Strict):
    source: str = Field(default="api", min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")
    documents: list[DocumentIn] = Field(min_length=1, max_length=500)


class FileOutcomeOut(BaseModel):
    path: str
    status: str
    constraints: int
    error: str | None


class IngestReportOut(BaseModel):
    source: str
    root: str
    team: str
    summary: dict[str, int]
    constraints_written: int
    review_items: int = Field(default=0, description="Near-duplicate lessons this ingest put to review.")
    files: list[FileOutcomeOut]


class DocumentOut(BaseModel):
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
    metadata: dict[str, Any]
    constraints: int
    updated_at: datetime


class DocumentPage(BaseModel):
    results: list[DocumentOut]
    limit: int
    offset: int
    next_offset: int | None


class ScopePatch(Strict):
    services: list[str] | None = Field(default=None, max_length=100)
    paths: list[str] | None = Field(default=None, max_length=100)
    technologies: list[str] | None = Field(default=None, max_length=100)
    tags: list[str] | None = Field(default=None, max_length=100)


class ConstraintPatch(Strict):
    statement: str | None = Field(default=None, min_length=1, max_length=1_000)
    rationale: str | None = Field(default=None, max_length=8_000)
    category: Category | None = None
    status: Status | None = None
    severity: Severity | None = None
    scope: ScopePatch | None = None


class ChangeOut(BaseModel):
    id: int
    constraint_id: int
    actor: str
    at: datetime
    before: dict[str, Any]
    after: dict[str, Any]
    action: str = "edit"
    note: str = ""


class HistoryEvent(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    note: str


class HistoryOut(BaseModel):
    id: int
    changes: list[HistoryEvent]


class ProposalIn(Strict):
    statement: str = Field(min_length=1, max_length=1_000)
    rationale: str = Field(default="", max_length=8_000)
    category: Category = "operational"
    severity: Severity = "medium"
    kind: Kind = "postmortem"
    paths: list[str] | None = Field(default=None, max_length=20)
    services: list[str] | None = Field(default=None, max_length=20)
    technologies: list[str] | None = Field(default=None, max_length=20)
    evidence: str = Field(default="", max_length=4_000)


class ProposalOut(ConstraintOut):
    duplicate: bool


class ReasonIn(Strict):
    reason: str = Field(min_length=1, max_length=2_000, description="Why; kept in the history.")


class NoteIn(Strict):
    note: str = Field(default="", max_length=2_000)


class FeedbackIn(Strict):
    helpful: bool
    task: str | None = Field(default=None, max_length=MAX_TASK_CHARS)


class FeedbackAnswer(BaseModel):
    id: int
    feedback: FeedbackOut


class ReviewItemOut(BaseModel):
    id: int = Field(description="The lesson to decide on (POST /v1/constraints/{id}/accept or reject).")
    reason: Literal["proposal", "duplicate", "supersession", "stale", "conflict"]
    detail: str
    other_id: int | None
    item: int | None
    created_at: str
    constraint: ConstraintOut | None


class ReviewOut(BaseModel):
    items: list[ReviewItemOut]


class KeyCreate(Strict):
    role: Role
    team: str | None = Field(default=None, max_length=64, description="Default: the caller's team.")
    name: str = Field(default="", max_length=200)


class KeyOut(BaseModel):
    id: int
    prefix: str
    team: str
    role: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


class KeyCreated(KeyOut):
    key: str = Field(description="The secret key. Shown once; only its hash is stored.")


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    revision: int
    index: dict[str, Any]
