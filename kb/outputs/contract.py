"""Records as plain dictionaries: the JSON contract shared by the CLI, the HTTP API and MCP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.records import ChangeRecord, ConstraintRecord, DocumentRecord, ReviewRecord


def source_dict(constraint: ConstraintRecord, document: DocumentRecord) -> dict[str, Any]:
    return {
        "path": document.path,
        "kind": document.kind,
        "title": document.title,
        "section": constraint.section,
        "lines": [constraint.line_start, constraint.line_end],
        "root": document.source,
        "document_id": document.id,
        "document_status": document.status,
        "document_date": document.date,
    }


def constraint_dict(constraint: ConstraintRecord, document: DocumentRecord) -> dict[str, Any]:
    """One constraint in the contract's record shape (without ``score`` and ``why``)."""
    return {
        "id": constraint.id,
        "statement": constraint.statement,
        "rationale": constraint.rationale,
        "type": constraint.record_type,
        "state": constraint.state,
        "category": constraint.category,
        "severity": constraint.severity,
        "status": constraint.status,
        "scope": {
            "services": list(constraint.services),
            "paths": list(constraint.paths),
            "technologies": list(constraint.technologies),
            "tags": list(constraint.tags),
        },
        "source": source_dict(constraint, document),
        "team": document.team,
        # How many documents state this lesson (1: only its own), and the one it repeats if merged.
        "recurrence": constraint.recurrence,
        "duplicate_of": constraint.duplicate_of,
        "last_confirmed": constraint.last_confirmed.isoformat() if constraint.last_confirmed else None,
    }


def document_dict(document: DocumentRecord, constraints: int) -> dict[str, Any]:
    """One document with the number of its constraints (the API's document shape)."""
    return {
        "id": document.id,
        "team": document.team,
        "source": document.source,
        "path": document.path,
        "kind": document.kind,
        "title": document.title,
        "sha256": document.sha256,
        "date": document.date,
        "status": document.status,
        "services": document.services,
        "metadata": document.meta,
        "constraints": constraints,
        "updated_at": document.updated_at,
    }


def embedding_text(statement: str, rationale: str) -> str:
    """What gets embedded for a constraint: the rule first, then its context."""
    return f"{statement} {rationale}".strip()


def change_dict(change: ChangeRecord) -> dict[str, Any]:
    """One event of a lesson's history (``history --json``'s ``changes``)."""
    return {
        "id": change.id,
        "at": change.at.isoformat(),
        "actor": change.actor,
        "action": change.action,
        "before": change.before,
        "after": change.after,
        "note": change.note,
    }


def review_dict(item: ReviewRecord, lesson: dict[str, Any] | None) -> dict[str, Any]:
    """One review-queue entry: ``id`` is the lesson to decide on (``review accept ID``)."""
    return {
        "id": item.constraint_id,
        "reason": item.reason,
        "detail": item.detail,
        "other_id": item.other_id,
        "item": item.id,
        "created_at": item.created_at.isoformat(),
        "constraint": lesson,
    }
