"""Commands that bring lessons to where work happens: ``context``, ``check``, ``export``, ``mcp``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli import app, emit_json, fail, open_kb, read_diff

DiffOption = Annotated[
    str | None, typer.Option("--diff", help="A unified diff file, or - for stdin.", show_default=False)
]


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], capture_output=True, text=True, check=False, timeout=60)
    except FileNotFoundError:
        fail("git is not installed or not on PATH")
    except subprocess.TimeoutExpired:
        fail(f"git {' '.join(args)} took longer than 60 s")
    if out.returncode != 0:
        first = (out.stderr.strip().splitlines() or ["no message"])[0]
        fail(f"git {' '.join(args)} failed: {first}")
    return out.stdout


def _tool_version() -> str:
    from kb import product

    return product.version()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


@app.command()
def context(
    text: Annotated[str | None, typer.Argument(help="What you are about to do, in your own words.")] = None,
    diff: DiffOption = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown, xml or json.")] = "markdown",
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", min=1, help="Token budget for the whole block.")
    ] = None,
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=100, help="How many lessons to consider.")] = 10,
    min_confidence: Annotated[
        str, typer.Option(help="Leave out matches below this confidence: strong, possible or weak.")
    ] = "possible",
    include_proposed: Annotated[
        bool, typer.Option(help="Also include proposed (unreviewed) lessons, flagged as such.")
    ] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """A block of lessons to paste into or attach to a prompt, within a token budget.

    Lessons are ordered by relevance (match confidence), severity breaking ties within a level, then
    by score; only whole lessons are kept (the first with a shorter reason when that is what fits),
    and the block names those it left out. Tokens are counted with the embedding model's WordPiece
    tokenizer, stated in the block.
    """
    from kb.outputs.context import prompt_context

    block = prompt_context(
        open_kb(for_queries=True),
        task=text,
        diff=read_diff(diff),
        fmt=fmt,
        max_tokens=max_tokens,
        k=k,
        min_confidence=min_confidence,
        include_proposed=include_proposed,
    )
    _write(block.text, output)


@app.command()
def check(
    diff: DiffOption = None,
    staged: Annotated[
        bool, typer.Option("--staged", help="Check the staged changes (git diff --cached).")
    ] = False,
    task: Annotated[
        str | None,
        typer.Option(
            envvar="KB_TASK",
            help="What the change is for (a commit subject, a PR title); compared with the lessons too. "
            "Env: KB_TASK.",
        ),
    ] = None,
    task_from_commit: Annotated[
        bool,
        typer.Option(
            "--task-from-commit",
            help="Without --task: use the subject of the --commit-msg file, else of the last commit.",
        ),
    ] = False,
    allow_empty: Annotated[
        bool,
        typer.Option(
            "--allow-empty",
            help="Pass (exit 0) when the knowledge base is missing or has no lessons, instead of exit 2.",
        ),
    ] = False,
    min_confidence: Annotated[
        str, typer.Option(help="Leave out advice below this confidence: strong, possible or weak.")
    ] = "possible",
    ack: Annotated[
        list[str] | None,
        typer.Option(
            "--ack",
            envvar="KB_ACK",
            help="Acknowledge a lesson by id (repeatable; '42,43' works too). Env: KB_ACK.",
        ),
    ] = None,
    commit_msg: Annotated[
        Path | None, typer.Option("--commit-msg", help="Read 'Forewarn-Ack: ID' trailers from this file.")
    ] = None,
    from_git: Annotated[
        bool, typer.Option("--from-git", help="Read 'Forewarn-Ack' trailers from the last commit's message.")
    ] = False,
    git_range: Annotated[
        str | None,
        typer.Option(help="Read 'Forewarn-Ack' trailers from every commit in a range (origin/main..HEAD)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, markdown, json or sarif.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to a file.")] = None,
    sarif_out: Annotated[
        Path | None, typer.Option("--sarif-out", help="Also write a SARIF 2.1.0 file.")
    ] = None,
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=100, help="How many lessons to consider.")] = 10,
) -> None:
    """CI gate: exit 1 when the change's own content (or its task) matches an active, serious rule.

    Each changed file and hunk is compared with the lessons, besides the diff as a whole; a path alone
    never blocks. Exit 0 when nothing blocks; exit 2 on any error, including a missing or empty
    knowledge base (--allow-empty passes instead). Read the diff from --diff FILE, --diff -, --staged,
    or standard input.
    """
    try:
        code = _check(
            diff=diff,
            staged=staged,
            task=task,
            task_from_commit=task_from_commit,
            allow_empty=allow_empty,
            min_confidence=min_confidence,
            ack=ack or [],
            commit_msg=commit_msg,
            from_git=from_git,
            git_range=git_range,
            fmt=fmt,
            output=output,
            sarif_out=sarif_out,
            k=k,
        )
    except typer.Exit:
        raise
    except Exception as exc:  # an error must never read as "blocked" (1) or "passed" (0)
        from kb.errors import KBError

        fail(exc.message if isinstance(exc, KBError) else f"unexpected {exc.__class__.__name__}: {exc}")
    raise typer.Exit(code)


CHECK_FORMATS = ("text", "markdown", "json", "sarif")


def _check(
    *,
    diff: str | None,
    staged: bool,
    task: str | None,
    task_from_commit: bool,
    allow_empty: bool,
    min_confidence: str,
    ack: list[str],
    commit_msg: Path | None,
    from_git: bool,
    git_range: str | None,
    fmt: str,
    output: Path | None,
    sarif_out: Path | None,
    k: int,
) -> int:
    from kb.outputs.gate import (
        CheckResult,
        check_diff,
        commit_subject,
        parse_ack_values,
        parse_trailers,
        render_markdown,
        render_text,
    )

    if fmt not in CHECK_FORMATS:
        fail(f"unknown format {fmt!r}: choose one of {', '.join(CHECK_FORMATS)}")
    if diff is not None and staged:
        fail("give either --diff or --staged, not both")
    acks = parse_ack_values(ack)
    message = ""
    if commit_msg is not None:
        try:
            message = commit_msg.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            fail(f"cannot read the commit message {commit_msg}: {exc.strerror or exc}")
        acks |= parse_trailers(message)
    if not (task or "").strip() and task_from_commit:
        task = commit_subject(message) if commit_msg is not None else _git("log", "-1", "--format=%s").strip()
    if from_git:
        acks |= parse_trailers(_git("log", "-1", "--format=%B"))
    if git_range:
        acks |= parse_trailers(_git("log", "--format=%B", git_range))

    if staged:
        diff_text = _git("diff", "--cached", "--no-color", "--no-ext-diff")
    elif diff is not None:
        diff_text = read_diff(diff) or ""
    elif not sys.stdin.isatty():
        diff_text = sys.stdin.read()
    else:
        fail("give a diff: --diff FILE, --diff -, --staged, or pipe one in (git diff | forewarn check)")

    if not diff_text.strip():
        sys.stderr.write("Forewarn: the diff is empty, nothing to check.\n")
        result = CheckResult(acks=acks)
    else:
        result = check_diff(
            open_kb(for_queries=True),
            diff_text,
            acks=acks,
            task=task,
            k=k,
            min_confidence=min_confidence,
            allow_empty=allow_empty,
        )

    sarif_text = ""
    if fmt == "sarif" or sarif_out is not None:
        import json

        from kb.outputs.sarif import to_sarif

        sarif = to_sarif(result, tool_version=_tool_version())
        sarif_text = json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
        if sarif_out is not None:
            _write(sarif_text, sarif_out)
    if fmt == "text":
        _write(render_text(result), output)
    elif fmt == "markdown":
        _write(render_markdown(result), output)
    elif fmt == "json":
        import json

        _write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n", output)
    else:
        _write(sarif_text, output)
    return result.exit_code


@app.command("export")
def export_(
    fmt: Annotated[str, typer.Option("--format", help="agents-md, claude-md or cursor-rules.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write into (usually the repository root).")],
    max_bytes: Annotated[int, typer.Option(min=500, help="Size budget per rule file, in bytes.")] = 16_000,
    min_severity: Annotated[str, typer.Option(help="Leave out lessons below this severity.")] = "high",
    create_dirs: Annotated[
        bool,
        typer.Option(help="Create scoped folders that do not exist (default: fall back to the root file)."),
    ] = False,
    team: Annotated[
        str | None,
        typer.Option(help="Export only this team's lessons and the shared ones (default: every team)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Write rule files for coding agents (AGENTS.md, CLAUDE.md, Cursor rules) from active lessons."""
    from kb.auth import Principal, validate_team
    from kb.outputs.export import export_rules

    kb = open_kb()
    teams = Principal(team=validate_team(team), role="reader").visible_teams if team is not None else None
    report = export_rules(
        kb.all_constraints(teams=teams),
        target=fmt,
        out_dir=out,
        max_bytes=max_bytes,
        min_severity=min_severity,
        create_dirs=create_dirs,
    )
    if as_json:
        emit_json(report.to_dict())
        return
    lines = [f"Wrote {len(report.files)} {fmt} file(s) under {out}:"]
    for f in report.files:
        left = ", ".join(str(r.id) for r in f.omitted)
        extra = f", {len(f.omitted)} did not fit: {left}" if f.omitted else ""
        lines.append(f"  {f.path}: {len(f.included)} rules, {f.bytes} bytes{extra}")
    for removed in report.removed:
        lines.append(f"  removed stale {removed}")
    if report.omitted:
        lines.append(
            f"{len(report.omitted)} rule(s) did not fit the {max_bytes}-byte budget: "
            f"{', '.join(str(i) for i in report.omitted)}"
        )
    sys.stdout.write("\n".join(lines) + "\n")


@app.command()
def mcp(
    root: Annotated[
        list[str] | None,
        typer.Option(
            "--root",
            help="Accepted for existing configurations; unused: excerpts quote the text stored at ingest.",
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(help="Serve only this team's lessons and the shared ones; proposals go to this team."),
    ] = None,
) -> None:
    """Serve the knowledge base to agents over MCP (stdio)."""
    from api.mcp_server import serve_stdio
    from kb.auth import validate_team

    roots: dict[str, Path] = {}
    for value in root or []:
        name, _, folder = value.rpartition("=")
        path = Path(folder).resolve()
        roots[name or path.name] = path
    serve_stdio(open_kb(), roots=roots, team=validate_team(team) if team is not None else None)
