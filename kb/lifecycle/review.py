"""The review queue and the decisions on it: accept, reject, retire, edit; near-duplicate scans.

What waits for a person: proposals (status ``proposed``), suspected duplicates and suggested
supersessions (stored by :func:`scan_duplicates` after an ingest), conflicts (a re-ingest changed the
source under a field a person had changed) and stale lessons (their review date passed). Nothing
here merges or replaces a lesson on its own beyond exact restatements (``kb.storage.curation``):
similar is not the same (graphiti#1728), so similarity only ever raises a question.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from kb.errors import InputError
from kb.lifecycle.staleness import review_state
from kb.records import ConstraintRecord, DocumentRecord, ReviewRecord
from kb.vocab import PROPOSALS_SOURCE

if TYPE_CHECKING:
    from kb.service import KnowledgeBase
    from kb.storage.store import Teams

Lesson = tuple[ConstraintRecord, DocumentRecord]

# Cosine similarity from which two lessons of different documents are put to review as one lesson.
# On both shared corpora 0.90 raised 220 pairs, most differing in a decisive word; 0.95 raises 56
# (docs/lifecycle.md has the distribution and samples).
NEAR_DUPLICATE: Final = 0.95
_NEIGHBOURS: Final = 6
_REASON_ORDER: Final = {"proposal": 0, "conflict": 1, "duplicate": 2, "supersession": 3, "stale": 4}


def review_queue(kb: KnowledgeBase, *, teams: Teams = None) -> list[ReviewRecord]:
    """Everything waiting for a decision, proposals first, then conflicts, duplicates, stale lessons."""
    items: list[ReviewRecord] = []
    curation = kb.store.curation
    for constraint, document in curation.proposals(teams=teams):
        by = document.meta.get("proposed_by") or "unknown"
        items.append(ReviewRecord("proposal", constraint.id, f"proposed by {by}", constraint.created_at))
    items.extend(curation.open_items(teams=teams))
    for constraint, state in stale_lessons(kb, teams=teams):
        due = state.review_due
        assert due is not None
        items.append(
            ReviewRecord(
                "stale",
                constraint.id,
                f"review was due {due.isoformat()} ({state.basis})",
                datetime.combine(due, time(), tzinfo=UTC),
            )
        )
    return sorted(
        items, key=lambda i: (_REASON_ORDER.get(i.reason, 9), _aware(i.created_at), i.constraint_id)
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stale_lessons(kb: KnowledgeBase, *, teams: Teams = None) -> list[tuple[ConstraintRecord, Any]]:
    """Active lessons whose review date has passed, with their review state."""
    policy = kb.settings.review_policy
    out = []
    for constraint, document in kb.store.all_constraints(teams=teams):
        if constraint.status != "active":
            continue
        state = review_state(constraint, document, policy=policy)
        if state.stale:
            out.append((constraint, state))
    return out


def _pending(kb: KnowledgeBase, constraint_id: int, teams: Teams) -> tuple[Lesson, ReviewRecord | None, bool]:
    lesson = kb.get(constraint_id, teams=teams)
    items = kb.store.curation.open_items(teams=teams, constraint_id=constraint_id)
    stale = lesson[0].status == "active" and review_state(*lesson, policy=kb.settings.review_policy).stale
    return lesson, (items[0] if items else None), stale


def accept(
    kb: KnowledgeBase, constraint_id: int, *, actor: str, teams: Teams = None, note: str = ""
) -> Lesson:
    """Say yes to what waits on a lesson: a proposal becomes active, a suspected duplicate is merged,
    a suggested supersession is applied, a conflict takes the source's value, a stale lesson is
    confirmed. An error when nothing waits."""
    (constraint, document), item, stale = _pending(kb, constraint_id, teams)
    decide = kb.store.curation.decide
    if constraint.status == "proposed" and _is_proposal(document):
        return decide(
            constraint_id,
            action="accept",
            actor=actor,
            teams=teams,
            changes={"status": "active"},
            confirm=True,
            note=note,
        )
    if item is not None and item.id is not None:
        if item.reason == "duplicate" and item.other_id is not None:
            return decide(
                constraint_id,
                action="merge",
                actor=actor,
                teams=teams,
                merge_into=item.other_id,
                item_id=item.id,
                resolution="merged",
                note=note,
            )
        if item.reason == "supersession" and item.other_id is not None:
            return decide(
                constraint_id,
                action="accept",
                actor=actor,
                teams=teams,
                changes={
                    "status": "superseded",
                    "tags": [*constraint.tags, f"superseded-by:{item.other_id}"],
                },
                item_id=item.id,
                resolution="superseded",
                note=note,
            )
        if item.reason == "conflict":
            field, value = item.fields.get("field"), item.fields.get("source_now")
            if not isinstance(field, str):
                raise InputError(f"review item {item.id} names no field")
            return decide(
                constraint_id,
                action="accept",
                actor=actor,
                teams=teams,
                changes={field: value},
                uncurate=[field],
                item_id=item.id,
                resolution="source",
                note=note,
            )
    if stale:
        return decide(
            constraint_id,
            action="accept",
            actor=actor,
            teams=teams,
            confirm=True,
            note=note or "confirmed on review",
        )
    raise InputError(f"nothing waits for review on constraint {constraint_id}")


def reject(kb: KnowledgeBase, constraint_id: int, *, reason: str, actor: str, teams: Teams = None) -> Lesson:
    """Say no: a proposal is rejected, a suspected duplicate or supersession is dismissed (and never
    asked again), a conflict keeps the person's value, a stale lesson is retired."""
    reason = _reason(reason)
    (constraint, document), item, stale = _pending(kb, constraint_id, teams)
    decide = kb.store.curation.decide
    if constraint.status == "proposed" and _is_proposal(document):
        return decide(
            constraint_id,
            action="reject",
            actor=actor,
            teams=teams,
            changes={"status": "rejected"},
            note=reason,
        )
    if item is not None and item.id is not None:
        return decide(
            constraint_id,
            action="reject",
            actor=actor,
            teams=teams,
            item_id=item.id,
            resolution="rejected",
            note=reason,
        )
    if stale:
        return decide(
            constraint_id,
            action="retire",
            actor=actor,
            teams=teams,
            changes={"status": "retired"},
            note=reason,
        )
    if constraint.status in ("rejected", "retired"):
        raise InputError(f"constraint {constraint_id} is already {constraint.status}")
    raise InputError(f"nothing waits for review on constraint {constraint_id}")


def retire(kb: KnowledgeBase, constraint_id: int, *, reason: str, actor: str, teams: Teams = None) -> Lesson:
    """Take a lesson out of use (it stays readable, with its history)."""
    reason = _reason(reason)
    constraint, _document = kb.get(constraint_id, teams=teams)
    if constraint.status == "retired":
        raise InputError(f"constraint {constraint_id} is already retired")
    return kb.store.curation.decide(
        constraint_id, action="retire", actor=actor, teams=teams, changes={"status": "retired"}, note=reason
    )


def _is_proposal(document: DocumentRecord) -> bool:
    """A lesson proposed by a person or an agent (not a lesson of a proposed ADR, which follows
    its document's status)."""

    return document.source == PROPOSALS_SOURCE


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InputError("give a reason (--reason): the history keeps it")
    if len(reason) > 2_000:
        raise InputError("the reason is longer than 2000 characters")
    return reason


def scan_duplicates(
    kb: KnowledgeBase, constraint_ids: Sequence[int] | None = None, *, threshold: float = NEAR_DUPLICATE
) -> int:
    """Put lessons that say nearly the same as a lesson of another document of the same team to
    review (``duplicate``; between two ADRs ``supersession``, the older one to be replaced). Only
    pairs never asked before; returns how many items were stored."""
    index = kb.index()
    catalog = kb.catalog()
    rows = catalog.rows
    ids = [i for i in (constraint_ids if constraint_ids is not None else list(rows)) if i in rows]
    if not ids or index.count < 2:
        return 0
    known = kb.store.curation.known_pairs()
    vectors = index.reconstruct_many(ids)
    items: list[tuple[str, str, int, int, dict[str, Any]]] = []
    for cid, vector in zip(ids, np.asarray(vectors), strict=True):
        mine = rows[cid]
        for other, similarity in index.search(vector, _NEIGHBOURS):
            if other == cid or other not in rows or similarity < threshold or (cid, other) in known:
                continue
            theirs = rows[other]
            if theirs[0].document_id == mine[0].document_id or theirs[1].team != mine[1].team:
                continue
            known |= {(cid, other), (other, cid)}
            newer, older = (cid, other) if cid > other else (other, cid)
            summary = f"{similarity:.2f} similar to constraint {older}"
            if mine[1].kind == "adr" and theirs[1].kind == "adr":
                detail = {"summary": f"may be replaced by constraint {newer} ({similarity:.2f} similar)"}
                items.append(
                    (mine[1].team, "supersession", older, newer, detail | {"similarity": similarity})
                )
            else:
                items.append(
                    (mine[1].team, "duplicate", newer, older, {"summary": summary, "similarity": similarity})
                )
    return kb.store.curation.add_items(items)
