"""The forms: sign in and out, search (POST, for long diffs), and curation (writers of the
lesson's team). Every POST checks its CSRF token before it reads anything else."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from api.web.deps import RecordId, check_writable, knowledge_base
from api.web.ui import lifecycle
from api.web.ui.pages import MAX_K, _chosen_facets, safe_next, search_page
from api.web.ui.render import UIRoute, finish, page
from api.web.ui.session import check_csrf, current_user, sessions
from kb.auth import Principal
from kb.errors import ForbiddenError, InputError
from kb.service import KnowledgeBase

router = APIRouter(prefix="/ui", route_class=UIRoute, include_in_schema=False)
MAX_FIELD = 2 * 1024 * 1024 + 1024  # a pasted diff may be as large as the query accepts


async def checked_form(request: Request) -> FormData:
    form = await request.form(max_files=0, max_fields=2000, max_part_size=MAX_FIELD)
    check_csrf(request, form.get("csrf"))
    return form


def _text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name, default)
    return value if isinstance(value, str) else default


def redirect(request: Request, url: str) -> Response:
    return finish(request, RedirectResponse(url, status_code=303))


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await checked_form(request)
    target = safe_next(_text(form, "next", "/ui/"))
    kb: KnowledgeBase = knowledge_base(request)
    found = kb.authenticate(_text(form, "key").strip()) if request.app.state.auth else None
    if request.app.state.auth and found is None:
        # 401 also spends the address's wrong-key budget in the rate limiter: no free guessing.
        context = {"next": target, "error": "That key is not valid or has been revoked."}
        return page(request, "sign_in.html", context, status=401)
    response = redirect(request, target)
    if found is not None:
        # A new nonce on sign-in: a session (and its CSRF token) from before does not carry over.
        data = {"n": secrets.token_urlsafe(24), "key": found.key_id, "team": found.team}
        sessions(request).write(response, data, https=request.url.scheme == "https")
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    await checked_form(request)
    response = redirect(request, "/ui/sign-in")
    sessions(request).clear(response)
    return response


@router.post("/search")
async def search_form(request: Request) -> Response:
    form = await checked_form(request)
    user = current_user(request)
    try:
        k = min(MAX_K, max(1, int(_text(form, "k", "10") or 10)))
    except ValueError:
        k = 10
    chosen = _chosen_facets(request, form)
    kb = knowledge_base(request)
    task, diff = _text(form, "q"), _text(form, "diff")
    return search_page(request, kb, user, task=task, diff=diff, k=k, chosen=chosen)


def _writer(request: Request, constraint_id: int) -> tuple[KnowledgeBase, Principal]:
    """The caller, if a writer of the lesson's team (another team's lesson is 404 first)."""
    user = current_user(request)
    kb = knowledge_base(request)
    _, document = kb.get(constraint_id, teams=user.visible_teams)
    if not user.allows("writer"):
        raise ForbiddenError("this needs a key with the writer role")
    check_writable(user, document.team)
    return kb, user


@router.post("/constraints/{constraint_id}/decide")
async def decide(request: Request, constraint_id: RecordId) -> Response:
    form = await checked_form(request)
    kb, user = _writer(request, constraint_id)
    action = _text(form, "action")
    lifecycle.decide(kb, action, constraint_id, user, _text(form, "reason"))
    return redirect(request, f"/ui/constraints/{constraint_id}?done={quote(action)}")


@router.post("/constraints/{constraint_id}/edit")
async def edit(request: Request, constraint_id: RecordId) -> Response:
    form = await checked_form(request)
    kb, user = _writer(request, constraint_id)
    lifecycle.edit(kb, constraint_id, lifecycle.parse_edit(form), user)
    return redirect(request, f"/ui/constraints/{constraint_id}?done=edit")


@router.post("/constraints/{constraint_id}/feedback")
async def feedback(request: Request, constraint_id: RecordId) -> Response:
    form = await checked_form(request)
    user = current_user(request)
    kb = knowledge_base(request)
    kb.get(constraint_id, teams=user.visible_teams)  # another team's id: 404 before anything else
    helpful = _text(form, "helpful")
    if helpful not in ("yes", "no"):
        raise InputError("say whether the lesson helped: yes or no")
    task = _text(form, "task").strip() or None
    lifecycle.feedback(kb, constraint_id, helpful == "yes", task, user)
    return redirect(request, f"/ui/constraints/{constraint_id}?done=feedback")


def _review_targets(form: FormData) -> tuple[str, list[int]]:
    """One item's button (``one=ACTION:ID``), or the bulk action over the ticked ids."""
    one = _text(form, "one")
    if one:
        action, _, raw = one.partition(":")
        ids: list[Any] = [raw]
    else:
        action, ids = _text(form, "action"), list(form.getlist("ids"))
    try:
        numbers = sorted({int(i) for i in ids if isinstance(i, str)})
    except ValueError:
        raise InputError("the ids must be numbers") from None
    if not numbers:
        raise InputError("tick at least one item")
    return action, numbers


@router.post("/review")
async def review(request: Request) -> Response:
    form = await checked_form(request)
    user = current_user(request)
    if not user.allows("writer"):
        raise ForbiddenError("this needs a key with the writer role")
    action, ids = _review_targets(form)
    reason = _text(form, "reason")
    for constraint_id in ids:
        kb, user = _writer(request, constraint_id)
        lifecycle.decide(kb, action, constraint_id, user, reason)
    return redirect(request, f"/ui/review?done={quote(action)}+{len(ids)}")
