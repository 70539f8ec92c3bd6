"""Records as plain dictionaries: the JSON contract shared by the CLI, the HTTP API and MCP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.records import ConstraintRecord, DocumentRecord


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
