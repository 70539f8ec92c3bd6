"""A one-document knowledge base for the gate's fast-embedder tests: the lessons under test as
critical constraints of one document of a kind, among unrelated procedures that must never block."""

from __future__ import annotations

from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase

UNRELATED = (
    "Announce credential rotations in the ops channel thirty minutes ahead.",
    "Record the count of deleted documents in the incident ticket.",
    "Schedule migrations outside the trading peaks.",
)


def add_lessons(
    kb: KnowledgeBase, kind: str, *statements: str, others: tuple[str, ...] = UNRELATED
) -> KnowledgeBase:
    """The statements as critical constraints of one document of ``kind``, then ``others`` as
    medium procedures, one line each from line 3."""
    drafts = [
        ConstraintDraft(
            statement=statement,
            rationale="",
            category="operational",
            severity="critical" if statement in statements else "medium",
            record_type="constraint" if statement in statements else "procedure",
            paths=[],
            section="Lessons",
            line_start=n + 3,
            line_end=n + 3,
        )
        for n, statement in enumerate((*statements, *others))
    ]
    document = DocumentDraft(
        path=f"{kind}s/doc-1.md", kind=kind, title="Lessons", sha256="0" * 64, constraints=drafts
    )
    kb.add_documents("seed", [document])
    return kb
