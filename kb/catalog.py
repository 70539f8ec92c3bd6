"""The catalog: an in-memory snapshot of the constraints a caller may see, for lexical (BM25)
and scope matching. Built from SQL and rebuilt when the SQL revision moves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kb.lexical import BM25
from kb.models import Constraint, Document


@dataclass(slots=True)
class Catalog:
    """An in-memory snapshot of every constraint for lexical and scope matching."""

    revision: int
    rows: dict[int, tuple[Constraint, Document]]
    bm25: BM25
    known_services: set[str]
    document_bm25: BM25
    by_document: dict[int, list[int]]

    @classmethod
    def build(cls, rows: list[tuple[Constraint, Document]], *, revision: int) -> Catalog:
        by_id = {c.id or 0: (c, d) for c, d in rows}
        texts = (lexical_text(c, d) for c, d in rows)
        services = {s.lower() for c, d in rows for s in [*c.services, *d.services] if s}
        by_document: dict[int, list[int]] = defaultdict(list)
        documents: dict[int, Document] = {}
        for cid, (_, document) in by_id.items():
            by_document[document.id or 0].append(cid)
            documents[document.id or 0] = document
        document_ids = list(by_document)
        return cls(
            revision=revision,
            rows=by_id,
            bm25=BM25(list(by_id), texts),
            known_services=services,
            document_bm25=BM25(
                document_ids,
                (document_text(documents[d], [by_id[c][0] for c in by_document[d]]) for d in document_ids),
            ),
            by_document=dict(by_document),
        )


def lexical_text(constraint: Constraint, document: Document) -> str:
    # The statement counts twice: it is the lesson; the rest is context.
    return " ".join(
        [
            constraint.statement,
            constraint.statement,
            constraint.rationale,
            constraint.section,
            document.title,
            " ".join(constraint.technologies),
            " ".join(constraint.services),
            " ".join(constraint.paths),
        ]
    )


def document_text(document: Document, constraints: list[Constraint]) -> str:
    """A document as its lessons tell it: the title, then every section, statement and rationale once."""
    seen: set[str] = set()
    parts = [document.title, document.title, " ".join(document.services)]
    for constraint in constraints:
        for text in (constraint.section, constraint.statement, constraint.rationale):
            if text and text not in seen:
                seen.add(text)
                parts.append(text)
    return " ".join(parts)
