"""Curation through the facade: the review queue, accept / reject / retire / edit, history and
feedback.

The lifecycle calls (``review_queue``, ``accept``, ``history``, ``feedback``...) arrive with the
lifecycle work on the facade; until a knowledge base has them, the queue is the proposed lessons
and a decision is a status change through ``update_constraint``, which logs it with its actor.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kb.auth import Principal
from kb.errors import InputError, NotFoundError
from kb.outputs.contract import constraint_dict
from kb.service import KnowledgeBase

ACTIONS = ("accept", "reject", "retire", "reactivate")
STATUS_OF = {"accept": "active", "reject": "rejected", "retire": "retired", "reactivate": "active"}
SCOPE_FIELDS = ("services", "paths", "technologies", "tags")
MAX_QUEUE = 100  # a page of decisions; the next ones show once these are made


def available(kb: KnowledgeBase, name: str) -> bool:
    return callable(getattr(kb, name, None))


def _plain(value: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return dict(value) if isinstance(value, dict) else {"value": value}


def describer(kb: KnowledgeBase, user: Principal, *, full: bool = False) -> Any:
    """How pages turn a lesson into the contract's dict: the facade's ``describe`` (review state,
    and with ``full`` every source and the feedback counts) where it has one."""
    if available(kb, "describe"):
        describe = getattr(kb, "describe")  # noqa: B009
        return lambda lesson: describe(lesson, full=full, teams=user.visible_teams)
    return lambda lesson: constraint_dict(*lesson)


def history(kb: KnowledgeBase, constraint_id: int, user: Principal) -> list[dict[str, Any]]:
    """Every recorded change of a lesson, oldest first: at, actor, action, before, after, note."""
    if available(kb, "history"):
        from kb.outputs import contract

        events = getattr(kb, "history")(constraint_id, teams=user.visible_teams)  # noqa: B009
        shape = getattr(contract, "change_dict", _plain)  # the contract's shape where it has one
        return [shape(e) for e in events]
    changes = kb.changes(constraint_id, teams=user.visible_teams)
    return [{**_plain(c), "action": "change", "note": None} for c in changes]


def review_items(kb: KnowledgeBase, user: Principal) -> list[dict[str, Any]]:
    """What waits for a decision, each with its lesson (and the other lesson it concerns)."""
    teams = user.visible_teams
    if available(kb, "review_entries"):  # the contract's review entries, lessons included
        entries = getattr(kb, "review_entries")(teams=teams)[:MAX_QUEUE]  # noqa: B009
        return [{**e, "other": _lesson(kb, e.get("other_id"), teams)} for e in entries]
    if not available(kb, "review_queue"):
        proposed = kb.list_constraints(status="proposed", limit=MAX_QUEUE, teams=teams)
        return [
            {
                "id": c.id,
                "reason": "proposal",
                "constraint": constraint_dict(c, d),
                "other": None,
                "detail": "",
                "created_at": c.created_at,
            }
            for c, d in proposed
        ]
    items = []
    for item in getattr(kb, "review_queue")(teams=teams)[:MAX_QUEUE]:  # noqa: B009
        plain = _plain(item)
        plain["constraint"] = _lesson(kb, plain.get("constraint_id"), teams)
        plain["other"] = _lesson(kb, plain.get("other_id"), teams)
        items.append(plain)
    return items


def _lesson(kb: KnowledgeBase, constraint_id: Any, teams: tuple[str, ...] | None) -> dict[str, Any] | None:
    if not isinstance(constraint_id, int):
        return None
    try:
        return constraint_dict(*kb.get(constraint_id, teams=teams))
    except NotFoundError:
        return None


def decide(kb: KnowledgeBase, action: str, constraint_id: int, user: Principal, reason: str) -> None:
    """Accept, reject or retire one lesson as ``user`` (writers of the lesson's team only)."""
    if action not in ACTIONS:
        raise InputError(f"unknown action {action!r}: choose one of {', '.join(ACTIONS)}")
    if action in ("reject", "retire") and not reason.strip() and available(kb, action):
        raise InputError(f"say why you {action} it: fill in the Reason field")
    teams = user.writable_teams
    if action == "reactivate":  # a retired or rejected lesson back in force: an edit of its status
        call = getattr(kb, "edit", None) or kb.update_constraint
        call(constraint_id, {"status": "active"}, actor=user.actor, teams=teams)
        return
    if available(kb, action):
        call = getattr(kb, action)
        if action == "accept":
            call(constraint_id, actor=user.actor, teams=teams)
        else:
            call(constraint_id, reason=reason.strip(), actor=user.actor, teams=teams)
        return
    kb.update_constraint(constraint_id, {"status": STATUS_OF[action]}, actor=user.actor, teams=teams)


def parse_edit(form: Any) -> dict[str, Any]:
    """The changed fields of an edit form: text fields as typed, scope lists comma-separated."""
    changes: dict[str, Any] = {}
    for name in ("statement", "rationale", "severity", "category", "status"):
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            changes[name] = value.strip()
    for name in SCOPE_FIELDS:
        value = form.get(name)
        if isinstance(value, str):
            changes[name] = [part.strip() for part in value.split(",") if part.strip()]
    return changes


def edit(kb: KnowledgeBase, constraint_id: int, changes: dict[str, Any], user: Principal) -> None:
    current = constraint_dict(*kb.get(constraint_id, teams=user.visible_teams))
    differ = {
        name: value
        for name, value in changes.items()
        if value != (current["scope"].get(name) if name in SCOPE_FIELDS else current.get(name))
    }
    if not differ:
        raise InputError("nothing changed")
    if available(kb, "edit"):
        getattr(kb, "edit")(constraint_id, differ, actor=user.actor, teams=user.writable_teams)  # noqa: B009
        return
    kb.update_constraint(constraint_id, differ, actor=user.actor, teams=user.writable_teams)


def feedback(kb: KnowledgeBase, constraint_id: int, helpful: bool, task: str | None, user: Principal) -> None:
    if not available(kb, "feedback"):
        raise InputError("this knowledge base does not record feedback yet")
    getattr(kb, "feedback")(  # noqa: B009
        constraint_id, helpful=helpful, task=task, actor=user.actor, teams=user.visible_teams
    )
