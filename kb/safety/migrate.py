"""Redact a store written before redaction existed: documents and lessons in place, vectors redone.

:func:`redact_store` reads every document and constraint, applies the same cleaning as the write
path (:mod:`kb.safety`), writes back what changed in one transaction, re-embeds only the lessons
whose embedded text changed, bumps the revision and rebuilds the index and catalog from SQL.
Running it twice changes nothing the second time.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from kb.outputs.contract import embedding_text
from kb.safety.injection import FLAG_TAG
from kb.safety.redaction import RedactionPolicy
from kb.safety.sanitize import SafetyReport, _Known, sanitize_value

if TYPE_CHECKING:
    from kb.service import KnowledgeBase

log = logging.getLogger(__name__)


@dataclass
class StoreRedaction:
    """What a pass over the store changed (or would change, when ``dry_run``): counts, no values."""

    documents: int = 0
    documents_changed: int = 0
    constraints: int = 0
    constraints_changed: int = 0
    reembedded: int = 0
    failures_changed: int = 0
    flagged: int = 0
    redacted: Counter[str] = field(default_factory=Counter)
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "documents_changed": self.documents_changed,
            "constraints": self.constraints,
            "constraints_changed": self.constraints_changed,
            "reembedded": self.reembedded,
            "failures_changed": self.failures_changed,
            "flagged": self.flagged,
            "redacted": dict(sorted(self.redacted.items())),
            "dry_run": self.dry_run,
        }


def redact_store(
    kb: KnowledgeBase, *, policy: RedactionPolicy | None = None, dry_run: bool = False
) -> StoreRedaction:
    """Redact every stored document, lesson and ingest failure in place; see the module docstring."""
    from sqlmodel import select

    from kb.storage.models import Constraint, ConstraintVector, Document, IngestFailure, utcnow

    policy = policy or RedactionPolicy.from_settings(kb.settings)
    result = StoreRedaction(dry_run=dry_run)
    report = SafetyReport()
    store = kb.store
    to_embed: list[Constraint] = []
    with store.session() as session:
        by_document: dict[int, list[Constraint]] = {}
        for c in session.exec(select(Constraint)).all():
            by_document.setdefault(c.document_id, []).append(c)
        for doc in session.exec(select(Document)).all():
            result.documents += 1
            # One document at a time, body first: a value found there is removed from its lessons
            # even where extraction rewrote the context around it (as on the write path).
            known = _Known(policy, report)
            body, body_flags = (None, ()) if doc.body is None else known.clean(doc.body)
            title, title_flags = known.clean(doc.title)
            meta = sanitize_value(dict(doc.meta), policy, report)
            if title_flags or body_flags:
                meta["flags"] = sorted({*meta.get("flags", []), "injection", *title_flags, *body_flags})
            services = [known.redact(s) for s in doc.services]
            if (title, body, meta, services) != (doc.title, doc.body, doc.meta, doc.services):
                result.documents_changed += 1
                doc.title, doc.body, doc.meta, doc.services = title, body, meta, services
                doc.updated_at = utcnow()
                session.add(doc)
            for c in by_document.get(doc.id or 0, []):
                result.constraints += 1
                statement, flags_s = known.clean(c.statement)
                rationale, flags_r = known.clean(c.rationale)
                section = known.redact(c.section)
                tags = [known.redact(t) for t in c.tags]
                if (flags_s or flags_r) and FLAG_TAG not in tags:
                    tags.append(FLAG_TAG)
                    result.flagged += 1
                if (statement, rationale, section, tags) == (c.statement, c.rationale, c.section, c.tags):
                    continue
                result.constraints_changed += 1
                if embedding_text(statement, rationale) != embedding_text(c.statement, c.rationale):
                    to_embed.append(c)
                c.statement, c.rationale, c.section, c.tags = statement, rationale, section, tags
                c.updated_at = utcnow()
                session.add(c)
        for failure in session.exec(select(IngestFailure)).all():
            message = policy.redact(failure.message).text
            if message != failure.message:
                result.failures_changed += 1
                failure.message = message
                session.add(failure)
        result.redacted = report.redacted
        result.reembedded = len(to_embed)
        if dry_run:
            session.rollback()
            return result
        if to_embed:
            model = kb.embedder.name
            vectors = kb.embedder.embed([embedding_text(c.statement, c.rationale) for c in to_embed])
            for c, vector in zip(to_embed, np.asarray(vectors, dtype="<f4"), strict=True):
                assert c.id is not None
                row = session.get(ConstraintVector, c.id)
                if row is None:
                    row = ConstraintVector(constraint_id=c.id, model=model, dimension=0, vector=b"")
                row.model, row.dimension, row.vector = model, int(vector.shape[0]), vector.tobytes()
                session.add(row)
        if result.documents_changed or result.constraints_changed or result.failures_changed:
            store._bump(session)  # the revision tells every cached index and catalog it is stale
        session.commit()
    if result.documents_changed or result.constraints_changed:
        kb.reindex()
    log.info("store redaction: %s", result.to_dict())
    return result
