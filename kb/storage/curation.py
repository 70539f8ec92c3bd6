"""The lifecycle tables behind the store: duplicates and recurrence, history, feedback, review items.

The write path (``Store.write_documents``) calls :func:`link_duplicates` and :func:`release` inside
its transaction; :class:`Curation` holds the decisions people make (accept, reject, retire, edit,
merge) and the reads of history, feedback and the stored review items. Every decision is one
transaction that also appends an event to ``constraint_changes`` and bumps the revision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from kb.errors import InputError, NotFoundError
from kb.lifecycle.feedback import decayed_counts
from kb.records import ChangeRecord, ConstraintRecord, DocumentRecord, FeedbackCounts, ReviewRecord
from kb.storage.models import (
    Constraint,
    ConstraintChange,
    Document,
    Feedback,
    ReviewItem,
    utcnow,
)
from kb.vocab import PROPOSALS_SOURCE

if TYPE_CHECKING:
    from kb.storage.store import Store, Teams

# Statuses whose lessons neither absorb duplicates nor are absorbed.
_CLOSED = ("retired", "rejected")


def dedupe_key(statement: str) -> str:
    """The statement as the exact-duplicate lookup compares it: case, punctuation, spacing and
    articles aside. Numbers, negations and every other word stay: on the shared corpora, pairs at
    cosine 0.96-0.99 still differed in a decisive word ("Transmit" / "Receive", "Warning" / "Error"),
    so only a restatement is merged without a person (docs/lifecycle.md)."""
    words = [w for w in re.findall(r"[0-9a-z]+", statement.casefold()) if w not in _ARTICLES]
    return " ".join(words)[:500]


_ARTICLES = frozenset({"a", "an", "the"})


def event(
    session: Session,
    constraint_id: int,
    *,
    actor: str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    session.add(
        ConstraintChange(
            constraint_id=constraint_id,
            actor=actor,
            action=action,
            before=_jsonable(before or {}),
            after=_jsonable(after or {}),
            note=note,
        )
    )


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def recount(session: Session, canonical_ids: Iterable[int]) -> None:
    """Set ``recurrence`` of ``canonical_ids`` to one plus the lessons that point at them."""
    ids = sorted({i for i in canonical_ids if i})
    if not ids:
        return
    counts = dict(
        session.exec(
            select(Constraint.duplicate_of, func.count())
            .where(col(Constraint.duplicate_of).in_(ids))
            .group_by(col(Constraint.duplicate_of))
        ).all()
    )
    for row in session.exec(select(Constraint).where(col(Constraint.id).in_(ids))).all():
        row.recurrence = 1 + int(counts.get(row.id, 0))
        session.add(row)


def link_duplicates(session: Session, rows: Sequence[Constraint], *, team: str, actor: str) -> None:
    """Point each of ``rows`` that states a lesson another document of ``team`` already states at
    that lesson (the oldest one shown), and recount. Exact statements only: near duplicates go to
    the review queue instead (``KnowledgeBase.scan_duplicates``)."""
    touched: set[int] = set()
    for row in rows:
        if row.duplicate_of is not None or not row.dedupe_key or row.status in _CLOSED or row.id is None:
            continue
        if session.exec(select(Constraint.id).where(Constraint.duplicate_of == row.id)).first():
            continue  # already shown for others: stays the canonical
        canonical = session.exec(
            select(Constraint)
            .join(Document, col(Constraint.document_id) == col(Document.id))
            .where(
                Constraint.dedupe_key == row.dedupe_key,
                Document.team == team,
                Constraint.document_id != row.document_id,
                col(Constraint.duplicate_of).is_(None),
                col(Constraint.status).not_in(_CLOSED),
                col(Constraint.id) < row.id,
            )
            .order_by(col(Constraint.id))
        ).first()
        if canonical is None or canonical.id is None:
            continue
        row.duplicate_of = canonical.id
        session.add(row)
        event(session, row.id, actor=actor, action="merge", after={"duplicate_of": canonical.id})
        event(session, canonical.id, actor=actor, action="merge", after={"merged": row.id})
        touched.add(canonical.id)
    session.flush()
    recount(session, touched)


def release(session: Session, deleted_ids: Sequence[int], *, actor: str) -> None:
    """Before ``deleted_ids`` go: the lessons they were shown for get a new canonical (the oldest),
    and the lessons they repeated count one source less."""
    if not deleted_ids:
        return
    deleted = set(deleted_ids)
    touched: set[int] = set()
    orphans = session.exec(
        select(Constraint)
        .where(col(Constraint.duplicate_of).in_(list(deleted)), col(Constraint.id).not_in(list(deleted)))
        .order_by(col(Constraint.id))
    ).all()
    groups: dict[int, list[Constraint]] = {}
    for row in orphans:
        groups.setdefault(row.duplicate_of or 0, []).append(row)
    for rows in groups.values():
        head, *rest = rows
        head.duplicate_of = None
        session.add(head)
        event(session, head.id or 0, actor=actor, action="unmerge", note="the lesson it repeated was removed")
        for row in rest:
            row.duplicate_of = head.id
            session.add(row)
        touched.add(head.id or 0)
    for canonical in session.exec(
        select(Constraint.duplicate_of).where(
            col(Constraint.id).in_(list(deleted)), col(Constraint.duplicate_of).is_not(None)
        )
    ).all():
        if canonical is not None and canonical not in deleted:
            touched.add(canonical)
    # The deleted rows must not count themselves in the recount below.
    session.exec(
        update(Constraint).where(col(Constraint.id).in_(list(deleted))).values(duplicate_of=None)  # type: ignore[call-overload]
    )
    session.flush()
    recount(session, touched)


# Fields whose change on re-ingest is an event in the lesson's history (line numbers move with any
# edit above a lesson: they are kept current without an event).
_TRACKED_FIELDS = (
    "rationale",
    "category",
    "severity",
    "status",
    "services",
    "paths",
    "technologies",
    "tags",
    "section",
    "record_type",
    "state",
)


def fresh_fields(c: Any) -> dict[str, Any]:
    """A draft lesson's fields as the constraints table stores them."""
    return {
        "statement": c.statement,
        "rationale": c.rationale,
        "category": c.category,
        "severity": c.severity,
        "status": c.status,
        "services": list(c.services),
        "paths": list(c.paths),
        "technologies": list(c.technologies),
        "tags": list(c.tags),
        "section": c.section,
        "line_start": c.line_start,
        "line_end": c.line_end,
        "record_type": c.record_type,
        "state": c.state,
        "rules": list(c.rules),
    }


def refresh(session: Session, row: Constraint, fresh: dict[str, Any], *, team: str, actor: str) -> None:
    """Re-ingest of a stored lesson: extracted fields follow the source (an event when they change);
    a field a person changed stays, and a source change under it becomes a review item."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    extracted = dict(row.extracted)
    for name, value in fresh.items():
        current = getattr(row, name)
        if name in row.curated:
            said = extracted.get(name, current)
            if said != value:
                extracted[name] = value
                summary = f"the source now says {name} = {value!r}; a person set {current!r}"
                session.add(
                    ReviewItem(
                        team=team,
                        reason="conflict",
                        constraint_id=row.id or 0,
                        detail={
                            "summary": summary,
                            "field": name,
                            "curated": current,
                            "source_was": said,
                            "source_now": value,
                        },
                    )
                )
                event(
                    session,
                    row.id or 0,
                    actor=actor,
                    action="conflict",
                    before={name: said},
                    after={name: value},
                )
            continue
        if current != value:
            if name in _TRACKED_FIELDS:
                before[name], after[name] = current, value
            setattr(row, name, value)
    row.extracted = extracted
    if not row.dedupe_key and "statement" not in row.curated:
        row.dedupe_key = dedupe_key(row.statement)
    if after:
        event(session, row.id or 0, actor=actor, action="reingest", before=before, after=after)
    row.updated_at = utcnow()


def _change_record(ch: ConstraintChange) -> ChangeRecord:
    return ChangeRecord(
        id=ch.id or 0,
        constraint_id=ch.constraint_id,
        actor=ch.actor,
        at=ch.at,
        before=dict(ch.before),
        after=dict(ch.after),
        action=ch.action,
        note=ch.note,
    )


def _review_record(item: ReviewItem) -> ReviewRecord:
    detail = item.detail.get("summary", "") if isinstance(item.detail, dict) else ""
    return ReviewRecord(
        reason=item.reason,
        constraint_id=item.constraint_id,
        detail=str(detail),
        created_at=item.created_at,
        id=item.id,
        other_id=item.other_id,
        fields=dict(item.detail) if isinstance(item.detail, dict) else {},
    )


class Curation:
    """People's decisions on lessons, and the lifecycle reads, over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- reads -------------------------------------------------------------------------------------

    def _row(self, session: Session, constraint_id: int, teams: Teams) -> tuple[Constraint, Document]:
        row = session.exec(self.store._joined(teams).where(Constraint.id == constraint_id)).first()
        if row is None:
            raise NotFoundError(f"no constraint with id {constraint_id}")
        return row[0], row[1]

    def history(self, constraint_id: int) -> list[ChangeRecord]:
        with self.store.session() as session:
            stmt = (
                select(ConstraintChange)
                .where(ConstraintChange.constraint_id == constraint_id)
                .order_by(col(ConstraintChange.id))
            )
            return [_change_record(ch) for ch in session.exec(stmt).all()]

    def sources(
        self, constraint_id: int, *, teams: Teams = None
    ) -> list[tuple[ConstraintRecord, DocumentRecord]]:
        """The lesson and every lesson merged into it, oldest first: one per document that states it."""
        from kb.storage.store import _pair

        with self.store.session() as session:
            constraint, _document = self._row(session, constraint_id, teams)
            head = constraint.duplicate_of or constraint.id
            stmt = (
                self.store._joined(teams)
                .where((Constraint.id == head) | (Constraint.duplicate_of == head))
                .order_by(Constraint.id)
            )
            return [_pair(c, d) for c, d in session.exec(stmt).all()]

    def feedback_counts(self, ids: Sequence[int]) -> dict[int, FeedbackCounts]:
        if not ids:
            return {}
        with self.store.session() as session:
            votes = session.exec(
                select(Feedback.constraint_id, Feedback.helpful, Feedback.at).where(
                    col(Feedback.constraint_id).in_(list(ids))
                )
            ).all()
        return decayed_counts(votes, datetime.now(UTC))

    def open_items(self, *, teams: Teams = None, constraint_id: int | None = None) -> list[ReviewRecord]:
        stmt = select(ReviewItem).where(col(ReviewItem.resolved_at).is_(None))
        if teams is not None:
            stmt = stmt.where(col(ReviewItem.team).in_(list(teams)))
        if constraint_id is not None:
            stmt = stmt.where(ReviewItem.constraint_id == constraint_id)
        with self.store.session() as session:
            return [_review_record(i) for i in session.exec(stmt.order_by(col(ReviewItem.id))).all()]

    def proposals(self, *, teams: Teams = None) -> list[tuple[ConstraintRecord, DocumentRecord]]:
        from kb.storage.store import _pair

        stmt = (
            self.store._joined(teams)
            # Proposals made by people and agents; a proposed ADR's lessons follow their document.
            .where(
                Constraint.status == "proposed",
                col(Constraint.duplicate_of).is_(None),
                Document.source == PROPOSALS_SOURCE,
            )
            .order_by(Constraint.id)
        )
        with self.store.session() as session:
            return [_pair(c, d) for c, d in session.exec(stmt).all()]

    def proposal_load(self, *, team: str, proposer: str, since: datetime) -> tuple[int, int]:
        """(proposals of ``team`` waiting for review, proposals ``proposer`` made since ``since``)."""
        with self.store.session() as session:
            waiting = session.exec(
                select(func.count())
                .select_from(Constraint)
                .join(Document, col(Constraint.document_id) == col(Document.id))
                .where(
                    Constraint.status == "proposed",
                    Document.source == PROPOSALS_SOURCE,
                    Document.team == team,
                )
            ).one()
            recent = session.exec(
                select(Document.meta).where(
                    Document.source == PROPOSALS_SOURCE, col(Document.created_at) >= since
                )
            ).all()
        made = sum(1 for meta in recent if isinstance(meta, dict) and meta.get("proposed_by") == proposer)
        return int(waiting), made

    def known_pairs(self) -> set[tuple[int, int]]:
        """Every pair ever put to review (open or decided): a scan never asks twice."""
        with self.store.session() as session:
            rows = session.exec(
                select(ReviewItem.constraint_id, ReviewItem.other_id).where(
                    col(ReviewItem.reason).in_(["duplicate", "supersession"])
                )
            ).all()
        return {(a, b or 0) for a, b in rows} | {(b or 0, a) for a, b in rows}

    # --- writes ------------------------------------------------------------------------------------

    def add_items(self, items: Sequence[tuple[str, str, int, int, dict[str, Any]]]) -> int:
        """Store review items (team, reason, constraint id, other id, detail); returns how many."""
        if not items:
            return 0
        with self.store.session() as session:
            for team, reason, constraint_id, other_id, detail in items:
                session.add(
                    ReviewItem(
                        team=team,
                        reason=reason,
                        constraint_id=constraint_id,
                        other_id=other_id,
                        detail=detail,
                    )
                )
            # No revision bump: review items are not in the ranking caches.
            session.commit()
        return len(items)

    def decide(
        self,
        constraint_id: int,
        *,
        action: str,
        actor: str,
        teams: Teams,
        changes: dict[str, Any] | None = None,
        note: str = "",
        item_id: int | None = None,
        resolution: str | None = None,
        merge_into: int | None = None,
        confirm: bool = False,
        uncurate: Sequence[str] = (),
        vector: tuple[str, bytes, int] | None = None,
    ) -> tuple[ConstraintRecord, DocumentRecord]:
        """One decision on one lesson in one transaction: field changes (curated from now on, unless
        named in ``uncurate``), an optional merge, an optional resolved review item, one event."""
        from kb.storage.models import ConstraintVector
        from kb.storage.store import _pair

        with self.store.session() as session:
            constraint, document = self._row(session, constraint_id, teams)
            changes = dict(changes or {})
            before = {name: getattr(constraint, name) for name in changes}
            for name, value in changes.items():
                if name not in uncurate and name not in constraint.curated:
                    # Remember what extraction said, so a later source change is noticed.
                    constraint.extracted = {
                        **constraint.extracted,
                        name: _jsonable({name: before[name]})[name],
                    }
                setattr(constraint, name, value)
            if "statement" in changes:
                constraint.dedupe_key = dedupe_key(str(changes["statement"]))
            curated = (set(constraint.curated) | set(changes)) - set(uncurate)
            constraint.curated = sorted(curated)
            if uncurate:
                constraint.extracted = {k: v for k, v in constraint.extracted.items() if k not in uncurate}
            if confirm:
                constraint.last_confirmed = utcnow()
            touched: set[int] = set()
            after = dict(changes)
            if merge_into is not None:
                target, _ = self._row(session, merge_into, teams)
                head = target.duplicate_of or target.id
                if head == constraint.id:
                    raise InputError(f"constraint {constraint_id} cannot repeat itself")
                if constraint.duplicate_of is not None:
                    touched.add(constraint.duplicate_of)
                # Lessons shown through this one move with it.
                session.exec(
                    update(Constraint)  # type: ignore[call-overload]
                    .where(col(Constraint.duplicate_of) == constraint.id)
                    .values(duplicate_of=head)
                )
                constraint.duplicate_of = head
                after["duplicate_of"] = head
                touched.add(head or 0)
                event(
                    session,
                    head or 0,
                    actor=actor,
                    action="merge",
                    after={"merged": constraint.id},
                    note=note,
                )
            constraint.updated_at = utcnow()
            session.add(constraint)
            if vector is not None:
                model, data, dimension = vector
                session.merge(
                    ConstraintVector(
                        constraint_id=constraint_id, model=model, dimension=dimension, vector=data
                    )
                )
            if item_id is not None:
                item = session.get(ReviewItem, item_id)
                if item is not None and item.resolved_at is None:
                    item.resolved_at = utcnow()
                    item.resolution = resolution or action
                    item.resolved_by = actor
                    session.add(item)
            event(session, constraint_id, actor=actor, action=action, before=before, after=after, note=note)
            session.flush()
            touched.add(constraint.id or 0)
            recount(session, touched)
            self.store._bump(session)
            session.commit()
            session.refresh(constraint)
            return _pair(constraint, document)

    def add_feedback(
        self, constraint_id: int, *, helpful: bool, task: str, actor: str, teams: Teams
    ) -> FeedbackCounts:
        with self.store.session() as session:
            constraint, _document = self._row(session, constraint_id, teams)
            session.add(Feedback(constraint_id=constraint_id, helpful=helpful, task=task, actor=actor))
            if helpful:
                constraint.last_confirmed = utcnow()
                session.add(constraint)
            event(
                session,
                constraint_id,
                actor=actor,
                action="feedback",
                after={"helpful": helpful, "task": task[:200]},
            )
            # No revision bump: ranking reads feedback per query, the caches stay valid.
            session.commit()
        return self.feedback_counts([constraint_id]).get(constraint_id, FeedbackCounts())
