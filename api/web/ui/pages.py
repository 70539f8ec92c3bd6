"""The pages people read: home, search, a lesson, a document, browse, and the sign-in form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.web.deps import KB, RecordId
from api.web.ui import data, lifecycle
from api.web.ui.document import context_lines, render
from api.web.ui.render import UIRoute, finish, page
from api.web.ui.session import current_user, maybe_user
from kb.auth import Principal
from kb.outputs.contract import document_dict
from kb.vocab import KINDS

router = APIRouter(prefix="/ui", route_class=UIRoute, include_in_schema=False)
User = Annotated[Principal, Depends(current_user)]

MAX_K = 100
PER_GROUP = 50  # lessons listed per service; the rest are a search away
BROWSE_VIEWS = ("service", "kind", "timeline", "recent", "recurring")


def can_write(user: Principal, team: str) -> bool:
    return user.allows("writer") and (user.writable_teams is None or team in user.writable_teams)


def catalogue(request: Request, kb: KB, user: Principal) -> data.Catalogue:
    return data.catalogue(kb, user.visible_teams, request.app.state.ui_catalogues)


@router.get("/sign-in")
def sign_in_form(request: Request, next: str = "/ui/") -> Response:
    user = maybe_user(request)
    if user is not None:
        return finish(request, RedirectResponse(safe_next(next), status_code=303))
    return page(request, "sign_in.html", {"next": safe_next(next), "error": None})


def safe_next(target: str) -> str:
    """Only a path of this UI: never another site (``//host``) or a scheme."""
    ok = target.startswith("/ui/") and not target.startswith("//") and "\\" not in target
    return target if ok else "/ui/"


@router.get("/")
def home(request: Request, kb: KB, user: User) -> Response:
    stats = kb.stats(teams=user.visible_teams)
    lessons = catalogue(request, kb, user).lessons
    recent = data.recently_changed(lessons, limit=8, describe=lifecycle.describer(kb, user))
    return page(request, "home.html", {"stats": stats, "recent": recent}, user=user)


def _chosen_facets(request: Request, values: Any) -> dict[str, str]:
    return {name: str(values.get(f"f_{name}")) for name in data.FACETS if values.get(f"f_{name}")}


def search_page(
    request: Request, kb: KB, user: Principal, *, task: str, diff: str, k: int, chosen: dict[str, str]
) -> Response:
    """Results as the CLI gives them (``kb.query``), narrowed by facets; facets read deeper."""
    context: dict[str, Any] = {"task": task, "diff": diff, "k": k, "chosen": chosen, "ran": False}
    if task.strip() or diff.strip():
        depth = MAX_K if chosen else k
        result = kb.query(task=task or None, diff=diff or None, k=depth, teams=user.visible_teams)
        everything = [hit.to_dict() for hit in result.hits]
        shown = data.apply_facets(everything, chosen)[:k]
        context.update(
            ran=True,
            results=shown,
            facets=data.facet_counts(everything),
            diff_files=result.diff_files,
            total=len(everything),
        )
    return page(request, "search.html", context, user=user)


@router.get("/search")
def search(
    request: Request,
    kb: KB,
    user: User,
    q: Annotated[str, Query(max_length=20_000)] = "",
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
) -> Response:
    chosen = _chosen_facets(request, request.query_params)
    return search_page(request, kb, user, task=q, diff="", k=k, chosen=chosen)


@router.get("/constraints/{constraint_id}")
def lesson(request: Request, constraint_id: RecordId, kb: KB, user: User) -> Response:
    constraint, document = kb.get(constraint_id, teams=user.visible_teams)
    record = lifecycle.describer(kb, user, full=True)((constraint, document))
    offset = catalogue(request, kb, user).offset(document)
    [cited] = data.cited([(constraint, document)])
    context = {
        "c": record,
        "rules": constraint.rules,
        "created_at": constraint.created_at,
        "updated_at": constraint.updated_at,
        "lines": context_lines(document.body or "", cited, offset) if constraint.line_start > 0 else [],
        "writable": can_write(user, document.team),
        "changes": lifecycle.history(kb, constraint_id, user),
        "has_feedback": lifecycle.available(kb, "feedback"),
        "has_lifecycle": lifecycle.available(kb, "accept"),
        "thanks": request.query_params.get("done"),
    }
    return page(request, "lesson.html", context, user=user)


@router.get("/documents/{document_id}")
def document(request: Request, document_id: RecordId, kb: KB, user: User) -> Response:
    record, count = kb.get_document(document_id, teams=user.visible_teams)
    found = catalogue(request, kb, user)
    lessons = found.by_document.get(document_id, [])
    offset = found.offset(record)
    rendered = render(record.body or "", data.cited(lessons), offset)
    context = {
        "d": document_dict(record, count),
        "html": rendered.html,
        "lessons": data.lesson_dicts(lessons, lifecycle.describer(kb, user)),
        "empty_sections": rendered.empty_sections,
        "has_body": bool(record.body),
    }
    return page(request, "document.html", context, user=user)


@router.get("/browse")
def browse(
    request: Request,
    kb: KB,
    user: User,
    by: Annotated[str, Query(pattern="^(service|kind|timeline|recent|recurring)$")] = "service",
) -> Response:
    lessons = catalogue(request, kb, user).lessons
    describe = lifecycle.describer(kb, user)
    context: dict[str, Any] = {"by": by, "views": BROWSE_VIEWS}
    if by == "service":
        context["groups"] = data.by_service(lessons, describe)
        context["per_group"] = PER_GROUP
    elif by == "kind":
        teams = user.visible_teams
        context["kinds"] = [
            (kind, [document_dict(d, n) for d, n in kb.list_documents(kind=kind, limit=1000, teams=teams)])
            for kind in KINDS
        ]
    elif by == "timeline":
        context["timeline"] = [(document_dict(d, len(ls)), ls) for d, ls in data.timeline(lessons, describe)]
    elif by == "recent":
        context["recent"] = data.recently_changed(lessons, describe=describe)
    else:
        context["recurring"] = data.most_recurring(lessons, describe=describe)
        context["has_recurrence"] = any("recurrence" in r for r in data.lesson_dicts(lessons[:1], describe))
    return page(request, "browse.html", context, user=user)


@router.get("/review")
def review(request: Request, kb: KB, user: User) -> Response:
    items = lifecycle.review_items(kb, user)
    context = {"items": items, "can_act": user.allows("writer"), "done": request.query_params.get("done")}
    return page(request, "review.html", context, user=user)
