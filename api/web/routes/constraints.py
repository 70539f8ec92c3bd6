"""Constraints: list, read, change (status, severity, scope) and their change log."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from api.web import schemas
from api.web.deps import KB, Reader, RecordId, Writer, check_writable

router = APIRouter(prefix="/v1/constraints", tags=["constraints"])


@router.get("", response_model=schemas.ConstraintPage)
async def list_constraints(
    kb: KB,
    who: Reader,
    kind: schemas.Kind | None = None,
    category: schemas.Category | None = None,
    status: schemas.Status | None = None,
    severity: schemas.Severity | None = None,
    stale: Annotated[
        bool | None, Query(description="Only lessons past (true) or within (false) review.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Constraints the caller can see, filtered and paginated."""
    lessons = await run_in_threadpool(
        lambda: kb.list_constraints(
            kind=kind,
            category=category,
            status=status,
            severity=severity,
            stale=stale,
            limit=limit + 1,
            offset=offset,
            teams=who.visible_teams,
        )
    )
    return {
        "results": [kb.describe(lesson) for lesson in lessons[:limit]],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if len(lessons) > limit else None,
    }


@router.get("/{constraint_id}", response_model=schemas.ConstraintOut)
async def get_constraint(constraint_id: RecordId, kb: KB, who: Reader) -> dict[str, Any]:
    """One constraint, with every document that states it, its review state and feedback counts."""
    return await run_in_threadpool(
        lambda: kb.describe(
            kb.get(constraint_id, teams=who.visible_teams), full=True, teams=who.visible_teams
        )
    )


@router.patch("/{constraint_id}", response_model=schemas.ConstraintOut)
async def patch_constraint(
    constraint_id: RecordId, body: schemas.ConstraintPatch, kb: KB, who: Writer
) -> dict[str, Any]:
    """Change statement, rationale, category, status, severity or scope; the change is recorded
    (who, when, before/after) and re-ingest keeps it."""
    _, document = await run_in_threadpool(lambda: kb.get(constraint_id, teams=who.visible_teams))
    check_writable(who, document.team)
    changes: dict[str, Any] = {
        "statement": body.statement,
        "rationale": body.rationale,
        "category": body.category,
        "status": body.status,
        "severity": body.severity,
    }
    if body.scope is not None:
        changes.update(body.scope.model_dump(exclude_none=True))
    lesson = await run_in_threadpool(
        lambda: kb.update_constraint(constraint_id, changes, actor=who.actor, teams=who.writable_teams)
    )
    return kb.describe(lesson)


@router.get("/{constraint_id}/changes", response_model=list[schemas.ChangeOut])
async def constraint_changes(constraint_id: RecordId, kb: KB, who: Reader) -> list[Any]:
    """The recorded changes of one constraint, oldest first."""
    return await run_in_threadpool(lambda: kb.changes(constraint_id, teams=who.visible_teams))
