"""API keys of the admin's team: create (the secret is shown once), list, revoke."""

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.web import schemas
from api.web.deps import KB, Admin, RecordId
from kb.auth import validate_team
from kb.errors import ForbiddenError

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.post("", response_model=schemas.KeyCreated, status_code=201)
async def create_api_key(body: schemas.KeyCreate, kb: KB, who: Admin) -> dict[str, Any]:
    """Create a key for the admin's team (the secret is shown once)."""
    team = validate_team(body.team) if body.team else who.write_team
    if who.team is not None and team != who.team:
        raise ForbiddenError("an admin key creates keys for its own team only")
    key, secret = await run_in_threadpool(lambda: kb.create_key(team=team, role=body.role, name=body.name))
    return {**asdict(key), "key": secret}


@router.get("", response_model=list[schemas.KeyOut])
async def list_api_keys(kb: KB, who: Admin) -> list[dict[str, Any]]:
    """The keys of the admin's team."""
    keys = await run_in_threadpool(lambda: kb.list_keys(team=who.team))
    return [asdict(k) for k in keys]


@router.delete("/{key_id}", response_model=schemas.KeyOut)
async def revoke_api_key(key_id: RecordId, kb: KB, who: Admin) -> dict[str, Any]:
    """Revoke a key of the admin's team."""
    return asdict(await run_in_threadpool(lambda: kb.revoke_key(key_id, team=who.team)))
