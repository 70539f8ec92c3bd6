"""Lessons that live: ``propose``, ``review`` (accept / reject), ``edit``, ``retire``, ``history``
and ``feedback``. Every change names its actor: ``--as NAME``, else ``KB_ACTOR``, else the login name.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli import JsonOption, _console, _escape, app, emit_json, open_kb

if TYPE_CHECKING:
    from kb.service import KnowledgeBase

AsOption = Annotated[
    str | None, typer.Option("--as", help="Who the history names (default: KB_ACTOR or login).")
]
IdArgument = Annotated[int, typer.Argument(metavar="ID", help="Constraint id.")]


def _actor(kb: KnowledgeBase, name: str | None) -> str:
    chosen = (name or kb.settings.actor or "").strip()
    if chosen:
        return chosen
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return "local"


def _print_lesson(record: dict[str, Any], verb: str) -> None:
    _console().print(
        f"{verb} #{record['id']} ({_escape(record['status'])}): {_escape(record['statement'])}",
        highlight=False,
    )


@app.command()
def propose(
    statement: Annotated[str, typer.Argument(help="The lesson, as one self-contained sentence.")],
    rationale: Annotated[str, typer.Option(help="Why: what happened, what it cost.")] = "",
    category: Annotated[str, typer.Option(help="One of the six categories.")] = "operational",
    severity: Annotated[str, typer.Option(help="critical, high, medium or low.")] = "medium",
    kind: Annotated[
        str, typer.Option(help="Where the lesson comes from: postmortem, runbook or adr.")
    ] = "postmortem",
    path: Annotated[
        list[str] | None, typer.Option("--path", help="A path glob it applies to (repeatable).")
    ] = None,
    service: Annotated[list[str] | None, typer.Option("--service", help="A service (repeatable).")] = None,
    tech: Annotated[list[str] | None, typer.Option("--tech", help="A technology (repeatable).")] = None,
    evidence: Annotated[str, typer.Option(help="A link or note that backs it.")] = "",
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose a lesson: stored as ``proposed`` for review, never active on its own."""
    from kb.lifecycle.proposals import proposal_dict

    kb = open_kb(for_queries=True)
    lesson, duplicate = kb.propose(
        actor=_actor(kb, actor),
        statement=statement,
        rationale=rationale,
        category=category,
        severity=severity,
        kind=kind,
        paths=path,
        services=service,
        technologies=tech,
        evidence=evidence,
    )
    record = proposal_dict(kb, lesson, duplicate)
    if as_json:
        emit_json(record)
    else:
        _print_lesson(record, "Already stored as" if duplicate else "Proposed")


review_app = typer.Typer(help="What waits for a decision: list it, accept or reject it.")
app.add_typer(review_app, name="review")


@review_app.callback(invoke_without_command=True)
def review(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List proposals, conflicts, suspected duplicates, supersessions and stale lessons."""
    if ctx.invoked_subcommand is not None:
        return
    records = open_kb().review_entries()
    if as_json:
        emit_json({"items": records})
        return
    console = _console()
    if not records:
        console.print("Nothing waits for review.")
    for r in records:
        statement = r["constraint"]["statement"] if r["constraint"] else "?"
        console.print(
            f"#{r['id']:<6} {r['reason']:<12} {_escape(statement)}  ({_escape(r['detail'])})", highlight=False
        )


@review_app.command("accept")
def review_accept(
    constraint_id: IdArgument,
    note: Annotated[str, typer.Option(help="Why (kept in the history).")] = "",
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Accept what waits on a lesson: a proposal becomes active, a duplicate is merged, a stale
    lesson is confirmed, a conflict takes the source's value."""
    kb = open_kb()
    record = kb.describe(kb.accept(constraint_id, actor=_actor(kb, actor), note=note))
    emit_json(record) if as_json else _print_lesson(record, "Accepted")


@review_app.command("reject")
def review_reject(
    constraint_id: IdArgument,
    reason: Annotated[str, typer.Option(help="Why (required; kept in the history).")] = "",
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject what waits on a lesson: a proposal is rejected, a suspected duplicate dismissed, a
    conflict keeps the person's value, a stale lesson is retired."""
    kb = open_kb()
    record = kb.describe(kb.reject(constraint_id, reason=reason, actor=_actor(kb, actor)))
    emit_json(record) if as_json else _print_lesson(record, "Rejected")


@app.command()
def edit(
    constraint_id: IdArgument,
    statement: Annotated[str | None, typer.Option(help="New statement (re-embedded).")] = None,
    rationale: Annotated[str | None, typer.Option(help="New rationale.")] = None,
    category: Annotated[str | None, typer.Option(help="One of the six categories.")] = None,
    severity: Annotated[str | None, typer.Option(help="critical, high, medium or low.")] = None,
    status: Annotated[
        str | None, typer.Option(help="active, proposed, superseded, rejected or retired.")
    ] = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", help="Replace services (repeatable).")
    ] = None,
    path: Annotated[list[str] | None, typer.Option("--path", help="Replace path globs (repeatable).")] = None,
    tech: Annotated[
        list[str] | None, typer.Option("--tech", help="Replace technologies (repeatable).")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Replace tags (repeatable).")] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a lesson. Re-ingest keeps what a person changed; a source change under it is a review item."""
    changes = {
        "statement": statement,
        "rationale": rationale,
        "category": category,
        "severity": severity,
        "status": status,
        "services": service,
        "paths": path,
        "technologies": tech,
        "tags": tag,
    }
    kb = open_kb(for_queries=statement is not None or rationale is not None)
    record = kb.describe(kb.edit(constraint_id, changes, actor=_actor(kb, actor)))
    emit_json(record) if as_json else _print_lesson(record, "Edited")


@app.command()
def retire(
    constraint_id: IdArgument,
    reason: Annotated[str, typer.Option(help="Why (required; kept in the history).")] = "",
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take a lesson out of use; it stays readable with its history."""
    kb = open_kb()
    record = kb.describe(kb.retire(constraint_id, reason=reason, actor=_actor(kb, actor)))
    emit_json(record) if as_json else _print_lesson(record, "Retired")


@app.command()
def history(constraint_id: IdArgument, as_json: JsonOption = False) -> None:
    """Every change of a lesson: who, when, what, from what to what."""
    from kb.outputs.contract import change_dict

    changes = [change_dict(c) for c in open_kb().history(constraint_id)]
    if as_json:
        emit_json({"id": constraint_id, "changes": changes})
        return
    console = _console()
    for c in changes:
        what = ", ".join(f"{k}: {c['before'].get(k)!r} → {v!r}" for k, v in c["after"].items())
        note = f" ({c['note']})" if c["note"] else ""
        console.print(
            f"{c['at'][:19]}  {c['actor']:<20} {c['action']:<9} {_escape(what)}{_escape(note)}",
            highlight=False,
        )


@app.command()
def feedback(
    constraint_id: IdArgument,
    verdict: Annotated[str, typer.Argument(metavar="helpful|not-helpful", help="Did the lesson help?")],
    task: Annotated[str | None, typer.Option(help="The task it answered.")] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Say whether a lesson helped; ranking weighs it a little, and less as it ages."""
    from kb.errors import InputError

    choices = {"helpful": True, "not-helpful": False, "not_helpful": False}
    if verdict not in choices:
        raise InputError(f"say helpful or not-helpful, got {verdict!r}")
    kb = open_kb()
    counts = kb.feedback(constraint_id, helpful=choices[verdict], task=task, actor=_actor(kb, actor))
    payload = {
        "id": constraint_id,
        "feedback": {"helpful": counts.helpful, "not_helpful": counts.not_helpful},
    }
    if as_json:
        emit_json(payload)
    else:
        _console().print(
            f"Thanks: #{constraint_id} has {counts.helpful} helpful, {counts.not_helpful} not helpful."
        )
