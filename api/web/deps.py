"""What routes depend on: the knowledge base, the caller (key, role, teams) and a time bound.

Everything is read from ``app.state`` (set by ``create_app``), so routes are plain module-level
functions and tests can build as many apps as they like.
"""

import asyncio
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from kb.auth import LOCAL_PRINCIPAL, Principal
from kb.errors import AuthError, ForbiddenError, TimeoutError_
from kb.service import KnowledgeBase

T = TypeVar("T")

# Ids are SQL integers: bound them so a huge number is a 422, not a database overflow.
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def knowledge_base(request: Request) -> KnowledgeBase:
    kb: KnowledgeBase = request.app.state.kb
    return kb


def principal(request: Request) -> Principal:
    state = request.app.state
    if not state.auth:
        return LOCAL_PRINCIPAL
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("x-api-key")
    if not token:
        raise AuthError("missing API key: send 'Authorization: Bearer <key>'")
    kb: KnowledgeBase = state.kb
    found = kb.authenticate(token)
    if found is None:
        raise AuthError("invalid or revoked API key")
    request.state.team = found.team
    return found


def require(role: str) -> Callable[[Request], Principal]:
    def dependency(request: Request) -> Principal:
        who = principal(request)
        if not who.allows(role):
            raise ForbiddenError(f"this needs a key with the {role} role")
        return who

    return dependency


KB = Annotated[KnowledgeBase, Depends(knowledge_base)]
Reader = Annotated[Principal, Depends(require("reader"))]
Writer = Annotated[Principal, Depends(require("writer"))]
Admin = Annotated[Principal, Depends(require("admin"))]


async def bounded(request: Request, function: Callable[[], T]) -> T:
    """Run ``function`` on the thread pool within the request timeout (504 past it)."""
    timeout = request.app.state.settings.request_timeout
    try:
        return await asyncio.wait_for(run_in_threadpool(function), timeout=timeout)
    except TimeoutError as exc:
        raise TimeoutError_(f"the request took longer than {timeout:g} s") from exc


def check_writable(who: Principal, team: str) -> None:
    """Visible (own team or shared) but not writable: say so; invisible ids were 404 already."""
    if who.writable_teams is not None and team not in who.writable_teams:
        raise ForbiddenError(f"this record belongs to team {team!r}; a key of that team can change it")


def metrics(request: Request) -> Any:
    return request.app.state.metrics
