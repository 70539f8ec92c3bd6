"""Lessons that live: proposals, the review queue and its decisions, history and feedback.

Proposing and deciding need a writer key of the lesson's team; reading the history and giving
feedback need a reader key. Another team's ids answer 404 like ids that do not exist.
"""

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.web import schemas
from api.web.deps import KB, Reader, RecordId, Writer, check_writable
from kb.auth import Principal
from kb.outputs.contract import change_dict
from kb.service import KnowledgeBase

router = APIRouter(tags=["lifecycle"])


@router.post("/v1/proposals", response_model=schemas.ProposalOut, status_code=201)
async def propose(body: schemas.ProposalIn, kb: KB, who: Writer) -> dict[str, Any]:
    """Propose a lesson: stored as `proposed` in the caller's team until a person accepts it. The
    same statement already stored comes back with `duplicate: true` (nothing is added)."""
    from kb.lifecycle.proposals import proposal_dict

    fields = body.model_dump()
    lesson, duplicate = await run_in_threadpool(
        lambda: kb.propose(actor=who.actor, team=who.write_team, teams=who.visible_teams, **fields)
    )
    return proposal_dict(kb, lesson, duplicate)


@router.get("/v1/review", response_model=schemas.ReviewOut)
async def review_queue(kb: KB, who: Writer) -> dict[str, Any]:
    """What waits for a decision in the caller's teams: proposals, conflicts, suspected duplicates,
    suggested supersessions and stale lessons."""
    return {"items": await run_in_threadpool(lambda: kb.review_entries(teams=who.visible_teams))}


async def _writable(kb: KnowledgeBase, constraint_id: int, who: Principal) -> None:
    _, document = await run_in_threadpool(lambda: kb.get(constraint_id, teams=who.visible_teams))
    check_writable(who, document.team)


@router.post("/v1/constraints/{constraint_id}/accept", response_model=schemas.ConstraintOut)
async def accept(
    constraint_id: RecordId, kb: KB, who: Writer, body: schemas.NoteIn | None = None
) -> dict[str, Any]:
    """Accept what waits on a lesson (a proposal becomes active, a duplicate is merged, a stale
    lesson is confirmed, a conflict takes the source's value). 400 when nothing waits."""
    await _writable(kb, constraint_id, who)
    note = body.note if body else ""
    lesson = await run_in_threadpool(
        lambda: kb.accept(constraint_id, actor=who.actor, teams=who.writable_teams, note=note)
    )
    return kb.describe(lesson)


@router.post("/v1/constraints/{constraint_id}/reject", response_model=schemas.ConstraintOut)
async def reject(constraint_id: RecordId, body: schemas.ReasonIn, kb: KB, who: Writer) -> dict[str, Any]:
    """Reject what waits on a lesson (a proposal is rejected, a duplicate dismissed, a conflict keeps
    the person's value, a stale lesson is retired). 400 when nothing waits (e.g. rejected twice)."""
    await _writable(kb, constraint_id, who)
    lesson = await run_in_threadpool(
        lambda: kb.reject(constraint_id, reason=body.reason, actor=who.actor, teams=who.writable_teams)
    )
    return kb.describe(lesson)


@router.post("/v1/constraints/{constraint_id}/retire", response_model=schemas.ConstraintOut)
async def retire(constraint_id: RecordId, body: schemas.ReasonIn, kb: KB, who: Writer) -> dict[str, Any]:
    """Take a lesson out of use; it stays readable with its history."""
    await _writable(kb, constraint_id, who)
    lesson = await run_in_threadpool(
        lambda: kb.retire(constraint_id, reason=body.reason, actor=who.actor, teams=who.writable_teams)
    )
    return kb.describe(lesson)


@router.get("/v1/constraints/{constraint_id}/history", response_model=schemas.HistoryOut)
async def history(constraint_id: RecordId, kb: KB, who: Reader) -> dict[str, Any]:
    """Every event of a lesson, oldest first: who, when, what, from what to what."""
    changes = await run_in_threadpool(lambda: kb.history(constraint_id, teams=who.visible_teams))
    return {"id": constraint_id, "changes": [change_dict(c) for c in changes]}


@router.post("/v1/constraints/{constraint_id}/feedback", response_model=schemas.FeedbackAnswer)
async def feedback(constraint_id: RecordId, body: schemas.FeedbackIn, kb: KB, who: Reader) -> dict[str, Any]:
    """Say whether a lesson helped (with the task it answered). Ranking weighs it a little."""
    counts = await run_in_threadpool(
        lambda: kb.feedback(
            constraint_id, helpful=body.helpful, task=body.task, actor=who.actor, teams=who.visible_teams
        )
    )
    return {"id": constraint_id, "feedback": {"helpful": counts.helpful, "not_helpful": counts.not_helpful}}
