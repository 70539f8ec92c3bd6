"""Proposed lessons: written by agents or people during work, stored as ``proposed``, never active.

A proposal is one small document under the source ``proposals`` with one constraint whose status
is ``proposed``. Retrieval can show it (flagged), prompt blocks and rule exports leave it out by
default, and the CI gate never blocks on it. Making it active is a human decision: write it into a
postmortem, runbook or ADR and ingest that.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from kb.errors import InputError, RateLimitError
from kb.records import ConstraintDraft, DocumentDraft
from kb.safety.redaction import RedactionPolicy, redact_text
from kb.vocab import CATEGORIES, KINDS, PROPOSAL_KIND, PROPOSALS_SOURCE, SEVERITIES, SHARED_TEAM

if TYPE_CHECKING:
    from kb.records import ConstraintRecord, DocumentRecord
    from kb.service import KnowledgeBase

    Lesson = tuple[ConstraintRecord, DocumentRecord]

MAX_STATEMENT_CHARS: Final = 1_000
MAX_RATIONALE_CHARS: Final = 8_000
MAX_SCOPE_ITEMS: Final = 20


def _clean_list(name: str, values: Sequence[str] | None) -> list[str]:
    items = [v.strip() for v in values or [] if v and v.strip()]
    if len(items) > MAX_SCOPE_ITEMS:
        raise InputError(f"at most {MAX_SCOPE_ITEMS} {name} per proposal")
    return list(dict.fromkeys(items))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "lesson"


def propose_lesson(
    kb: KnowledgeBase,
    *,
    statement: str,
    rationale: str = "",
    category: str = "operational",
    severity: str = "medium",
    kind: str = "postmortem",
    paths: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    technologies: Sequence[str] | None = None,
    evidence: str = "",
    proposed_by: str = "unknown",
    team: str = SHARED_TEAM,
    teams: Sequence[str] | None = None,
) -> tuple[Lesson, bool]:
    """Store one proposed lesson (``status`` is always ``proposed``) in ``team``; returns it and
    whether it was already there.

    ``kind`` says what kind of experience the lesson comes from (postmortem, runbook or adr); it is
    kept in the document's metadata as ``experience``, and the document's own kind is ``proposal``.
    An identical statement already stored where ``teams`` can see it is not stored twice: that
    lesson comes back, with True.
    """
    # Redacted first: the slug, the title and the duplicate check all read the statement.
    policy = RedactionPolicy.from_settings(kb.settings)
    statement = redact_text(" ".join(statement.split()), policy)
    rationale, evidence = redact_text(rationale, policy), redact_text(evidence, policy)
    if not statement:
        raise InputError("a proposed lesson needs a statement")
    if len(statement) > MAX_STATEMENT_CHARS:
        raise InputError(f"the statement is longer than {MAX_STATEMENT_CHARS} characters")
    rationale = rationale.strip()
    evidence = evidence.strip()
    if len(rationale) + len(evidence) > MAX_RATIONALE_CHARS:
        raise InputError(f"rationale and evidence are longer than {MAX_RATIONALE_CHARS} characters")
    for name, value, allowed in (
        ("category", category, CATEGORIES),
        ("severity", severity, SEVERITIES),
        ("kind", kind, KINDS),
    ):
        if value not in allowed:
            raise InputError(f"unknown {name} {value!r}: choose one of {', '.join(allowed)}")

    # The store's own notion of "the same statement" (case, punctuation and articles aside): a
    # restatement would otherwise be merged into the stored lesson on write, unseen.
    from kb.storage.curation import dedupe_key

    wanted = dedupe_key(statement)
    for cid, (stored, _document) in kb.catalog(teams=teams).rows.items():
        if dedupe_key(stored.statement) == wanted:
            return kb.get(cid), True

    _check_load(kb, team=team, proposer=proposed_by)
    now = datetime.now(UTC)
    full_rationale = rationale
    if evidence:
        full_rationale = f"{rationale}\n\nEvidence: {evidence}".strip()
    constraint = ConstraintDraft(
        statement=statement,
        rationale=full_rationale,
        category=category,
        severity=severity,
        status="proposed",
        services=_clean_list("services", services),
        paths=_clean_list("paths", paths),
        technologies=_clean_list("technologies", technologies),
        tags=["proposed"],
        section="Proposed lesson",
        line_start=0,
        line_end=0,
    )
    payload = {
        "statement": statement,
        "rationale": full_rationale,
        "category": category,
        "severity": severity,
        "proposed_by": proposed_by,
        "at": now.isoformat(),
    }
    sha = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    draft = DocumentDraft(
        path=f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{_slug(statement)}",
        kind=PROPOSAL_KIND,
        title=f"Proposed lesson: {statement[:120]}",
        sha256=sha,
        date=now.date().isoformat(),
        status="proposed",
        services=constraint.services,
        metadata={
            "proposal": True,
            "proposed_by": proposed_by,
            "proposed_at": now.isoformat(),
            "experience": kind,
        },
        constraints=[constraint],
    )
    (document_id,) = kb.add_documents(PROPOSALS_SOURCE, [draft], team=team, actor=proposed_by)
    (new_id,) = kb.store.constraint_ids_of(document_id)
    lesson = kb.get(new_id)
    # A restatement of a lesson of another team's view (not visible to ``teams``) is merged into it by
    # the store: say so rather than hand back a hidden lesson's id.
    return lesson, lesson[0].duplicate_of is not None


def _check_load(kb: KnowledgeBase, *, team: str, proposer: str) -> None:
    """Proposals cannot flood the queue or the results: a per-proposer rate and a per-team cap
    (``KB_PROPOSAL_RATE``, ``KB_MAX_OPEN_PROPOSALS``), counted in SQL so replicas share them."""
    settings = kb.settings
    if not settings.proposal_rate and not settings.max_open_proposals:
        return
    since = datetime.now(UTC) - timedelta(seconds=60)
    waiting, made = kb.store.curation.proposal_load(team=team, proposer=proposer, since=since)
    if settings.max_open_proposals and waiting >= settings.max_open_proposals:
        raise RateLimitError(
            f"team {team!r} has {waiting} proposals waiting for review (the cap is "
            f"{settings.max_open_proposals}): review some first",
            retry_after=3600,
        )
    if settings.proposal_rate and made >= settings.proposal_rate:
        raise RateLimitError(
            f"{proposer} made {made} proposals in the last minute (the limit is {settings.proposal_rate})",
            retry_after=60,
        )


def proposal_dict(kb: KnowledgeBase, lesson: Lesson, duplicate: bool) -> dict[str, Any]:
    """A proposal's answer (CLI, HTTP, MCP alike): the lesson's record and ``duplicate``."""
    record = kb.describe(lesson)
    record["duplicate"] = duplicate
    return record
