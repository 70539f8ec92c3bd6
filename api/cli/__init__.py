"""The ``forewarn`` command line (alias ``kb``): parse arguments, call one core function, print the result.

Errors become one readable line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from kb.embedding import Embedder
    from kb.retrieval.results import QueryResult
    from kb.service import KnowledgeBase
    from kb.settings import Settings

app = typer.Typer(
    name="forewarn",
    help="Forewarn: lessons from postmortems, runbooks and ADRs, for every task and diff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_ERROR = 2

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped output is read by people in CI logs and wide terminals: do not squeeze it to 80 columns.
    width = None if stream.isatty() else int(os.environ.get("COLUMNS", "160"))
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    _console(stderr=True).print(f"[bold red]Error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


# Commands that embed a query: ``main`` starts loading the model before typer parses the arguments.
QUERY_COMMANDS = frozenset({"query", "context", "check"})
# (settings, embedder) whose model ``main`` started loading; ``open_kb`` takes it over.
_early_model: tuple[Settings, Embedder] | None = None


def start_model_early(argv: list[str]) -> None:
    """Start loading the model when ``argv`` runs a command that embeds a query.

    Parsing the arguments costs ~0.1 s before a command runs (typer builds pydantic adapters) and
    the model ~0.2 s (onnxruntime's session): started here, they overlap. Any problem (a bad
    setting, an unknown embedder) is left for the command, which reports it as usual.
    """
    global _early_model
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if command not in QUERY_COMMANDS:
        return
    from kb.embedding import embedder_for, warm_up_in_background
    from kb.errors import KBError
    from kb.settings import Settings

    try:
        settings = Settings()
        embedder = embedder_for(settings)
    except KBError:
        return
    warm_up_in_background(embedder)
    _early_model = (settings, embedder)


def open_kb(*, for_queries: bool = False) -> KnowledgeBase:
    """The knowledge base the ``KB_`` settings name. ``for_queries``: the command will embed a query,
    so the model starts loading now (unless ``main`` started it), beside the imports that follow."""
    from kb.embedding import embedder_for, warm_up_in_background
    from kb.errors import ConfigError
    from kb.settings import Settings

    try:
        settings = Settings()
    except ConfigError as exc:
        fail(_escape(exc.message))
    embedder = None
    if for_queries and _early_model is not None and _early_model[0] == settings:
        embedder = _early_model[1]
    elif for_queries:
        embedder = embedder_for(settings)
        warm_up_in_background(embedder)

    from kb.service import KnowledgeBase

    return KnowledgeBase(settings, embedder=embedder)


def emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details to stderr.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from kb.safety.logfilter import RedactingFilter  # no secret from a document reaches a log line

    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    source: Annotated[
        str | None, typer.Option(help="Name for the ingested root (default: the folder's name).")
    ] = None,
    as_json: JsonOption = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any file failed.")] = False,
    follow_symlinks: Annotated[
        bool,
        typer.Option(help="Follow symbolic links that lead out of the folder (not followed by default)."),
    ] = False,
) -> None:
    """Ingest postmortems, runbooks and ADRs: Markdown, HTML and Confluence exports, Word, reStructuredText,
    AsciiDoc, Notion zips, Jira, GitHub and incident-tool JSON. Unchanged files are skipped."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from ingest.loader import FileOutcome, discover, ingest_path

    kb = open_kb()
    reports = []
    failed = 0
    for target in paths:
        total = sum(1 for _ in discover(target, follow_symlinks=follow_symlinks)) if target.is_dir() else 1
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=_console(stderr=True),
            transient=True,
            disable=as_json or not sys.stderr.isatty(),
        ) as progress:
            task_id = progress.add_task(f"ingest {target}", total=total)

            def advance(_outcome: FileOutcome, task: TaskID = task_id) -> None:
                progress.advance(task)

            report = ingest_path(kb, target, source=source, on_file=advance, follow_symlinks=follow_symlinks)
        reports.append(report)
        failed += report.count("failed")
    if as_json:
        emit_json({"reports": [r.to_dict() for r in reports]})
    else:
        console = _console()
        for report in reports:
            s = report.summary()
            console.print(
                f"[bold]{report.root}[/] (source {report.source!r}): "
                f"{s['added']} added, {s['updated']} updated, {s['unchanged']} unchanged, "
                f"{s['skipped']} skipped, {s['failed']} failed; "
                f"{report.constraints_written} constraints written"
            )
            for outcome in report.files:
                if outcome.status == "failed":
                    console.print(f"  [red]failed[/] {outcome.path}: {outcome.error}", highlight=False)
    if strict and failed:
        raise typer.Exit(1)


def read_diff(diff: str | None) -> str | None:
    """The diff named by a --diff option: a file path, or - for standard input."""
    if diff is None:
        return None
    if diff == "-":
        return sys.stdin.read()
    path = Path(diff)
    if not path.is_file():
        fail(f"no such diff file: {diff}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"the diff file {diff} is not UTF-8 text")


@app.command()
def query(
    text: Annotated[str | None, typer.Argument(help="What you are about to do, in your own words.")] = None,
    diff: Annotated[str | None, typer.Option("--diff", help="A unified diff file, or - for stdin.")] = None,
    k: Annotated[int, typer.Option("--k", "-k", help="How many lessons to return.", min=1, max=100)] = 5,
    include_inactive: Annotated[bool, typer.Option(help="Also return retired lessons.")] = False,
    include_proposed: Annotated[
        bool, typer.Option(help="Also return unreviewed proposals (marked in why).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Find the lessons that apply to a task description and/or a diff."""
    diff_text = read_diff(diff)
    result = open_kb(for_queries=True).query(
        task=text, diff=diff_text, k=k, include_inactive=include_inactive, include_proposed=include_proposed
    )
    if as_json:
        emit_json(result.to_dict())
    else:
        _print_result(result)


_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


def _print_result(result: QueryResult) -> None:
    console = _console()
    if not result.hits and not result.passages:
        console.print("No lessons found. Is anything ingested? Try `forewarn stats`.")
        return
    for rank, hit in enumerate(result.hits, 1):
        c, d = hit.constraint, hit.document
        style = _SEVERITY_STYLE.get(c.severity, "")
        console.print(
            f"[bold]{rank}.[/] [{style}]{c.severity}[/] · {c.category} · {hit.confidence} "
            f"[dim](#{c.id}, score {hit.score:.4f})[/]"
        )
        console.print(f"   {c.statement}", markup=False)
        if c.rationale:
            console.print(f"   [dim]{_escape(c.rationale)}[/]")
        console.print(f"   [cyan]why:[/] {_escape('; '.join(hit.why))}")
        console.print(
            f"   [cyan]source:[/] {_escape(_citation(d.path, c.section, c.line_start, c.line_end))}"
        )
    for passage in result.passages:
        d = passage.document
        console.print(f"[bold]·[/] passage · {passage.confidence} [dim](cited text, not a rule)[/]")
        console.print(f"   {passage.excerpt}", markup=False)
        console.print(f"   [cyan]why:[/] {_escape('; '.join(passage.why))}")
        where = _citation(d.path, passage.heading, passage.line_start, passage.line_end)
        console.print(f"   [cyan]source:[/] {_escape(where)}")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _citation(path: str, section: str, start: int, end: int) -> str:
    where = f"{path}:{start}-{end}" if start else path
    return f"{where} › {section}" if section else where


@app.command()
def show(
    constraint_id: Annotated[int, typer.Argument(metavar="ID", help="Constraint id.")],
    as_json: JsonOption = False,
) -> None:
    """Show one constraint with its scope, provenance and what its document says about itself."""
    kb = open_kb()
    constraint, document = kb.get(constraint_id)
    record = kb.describe((constraint, document), full=True)
    if as_json:
        emit_json(record)
        return
    console = _console()
    source = record["source"]
    scope = record["scope"]
    rows = [
        ("statement", record["statement"]),
        ("rationale", record["rationale"]),
        ("category", record["category"]),
        ("severity", record["severity"]),
        ("status", record["status"]),
        ("services", ", ".join(scope["services"]) or "-"),
        ("paths", ", ".join(scope["paths"]) or "-"),
        ("technologies", ", ".join(scope["technologies"]) or "-"),
        ("tags", ", ".join(scope["tags"]) or "-"),
        ("source", _citation(source["path"], source["section"], *source["lines"])),
        ("document", f"{source['title']} ({source['kind']}, {source['document_status'] or 'no status'})"),
        ("date", document.date or "-"),
        ("team", document.team),
        (
            "recurrence",
            f"{record['recurrence']} document(s)"
            + (f", repeats #{record['duplicate_of']}" if record["duplicate_of"] else ""),
        ),
        ("review due", (record["review_due"] or "never") + (" (stale)" if record["stale"] else "")),
        (
            "feedback",
            f"{record['feedback']['helpful']} helpful, {record['feedback']['not_helpful']} not helpful",
        ),
    ]
    for extra in record["sources"][1:]:
        rows.append(("also in", _citation(extra["path"], extra["section"], *extra["lines"])))
    # Incident and decision facts the parser found (severity, impact, time to repair, supersession).
    for key, label in DOCUMENT_FACTS:
        value = document.meta.get(key)
        if value not in (None, "", [], {}):
            rows.append((label, ", ".join(map(str, value)) if isinstance(value, list) else value))
    console.print(f"[bold]Constraint #{record['id']}[/]")
    for key, value in rows:
        console.print(f"  [cyan]{key:<15}[/] {_escape(str(value))}")


DOCUMENT_FACTS = (
    ("severity", "incident sev."),
    ("impact", "impact"),
    ("time_to_detect", "time to detect"),
    ("time_to_repair", "time to repair"),
    ("time_to_resolve", "time to resolve"),
    ("superseded_by_paths", "superseded by"),
    ("supersedes_paths", "supersedes"),
)


@app.command("list")
def list_(
    kind: Annotated[str | None, typer.Option(help="postmortem, runbook or adr.")] = None,
    category: Annotated[str | None, typer.Option(help="One of the six categories.")] = None,
    status: Annotated[str | None, typer.Option(help="active, proposed, superseded or retired.")] = None,
    severity: Annotated[str | None, typer.Option(help="critical, high, medium or low.")] = None,
    stale: Annotated[
        bool | None, typer.Option("--stale/--fresh", help="Only lessons past (or within) their review date.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List constraints, filtered (a lesson stated in several documents is listed once)."""
    kb = open_kb()
    records = [
        kb.describe(lesson)
        for lesson in kb.list_constraints(
            kind=kind,
            category=category,
            status=status,
            severity=severity,
            stale=stale,
            limit=limit,
            offset=offset,
        )
    ]
    if as_json:
        emit_json({"results": records})
        return
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("id", "kind", "severity", "category", "status", "statement", "source"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(
            str(r["id"]),
            r["source"]["kind"],
            r["severity"],
            r["category"],
            r["status"],
            r["statement"],
            f"{r['source']['path']}:{r['source']['lines'][0]}",
        )
    _console().print(table)


@app.command()
def stats(as_json: JsonOption = False) -> None:
    """Counts of documents and constraints, by kind and status, and failed files."""
    kb = open_kb()
    data = kb.stats()
    if as_json:
        emit_json(data)
        return
    console = _console()
    console.print(f"[bold]{data['documents']}[/] documents, [bold]{data['constraints']}[/] constraints")
    for kind, counts in data["by_kind"].items():
        console.print(
            f"  {kind:<11} {counts['documents']:>5} documents {counts['constraints']:>6} constraints"
        )
    console.print("  by status:   " + ", ".join(f"{k} {v}" for k, v in sorted(data["by_status"].items())))
    console.print("  by category: " + ", ".join(f"{k} {v}" for k, v in sorted(data["by_category"].items())))
    console.print(f"  failed files: {data['failed']}")
    for failure in kb.failures()[:20]:
        console.print(f"    {failure.source}/{failure.path}: {_escape(failure.message)}")


@app.command()
def reindex(as_json: JsonOption = False) -> None:
    """Rebuild the vector index from the vectors stored in SQL (no re-embedding)."""
    from dataclasses import asdict

    info = open_kb().reindex()
    if as_json:
        emit_json(asdict(info))
    else:
        _console().print(f"Index rebuilt: {info.count} vectors, {info.model}, dimension {info.dimension}")


def _load_command_modules() -> None:
    """Import every module of ``api.commands``: each adds its commands to ``app``."""
    import importlib
    import pkgutil

    import api.commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        importlib.import_module(f"{package.__name__}.{info.name}")


_load_command_modules()


def main() -> None:
    """Console entry point: run the app, turning known errors into one line and an exit code."""
    from kb.errors import KBError

    start_model_early(sys.argv[1:])
    try:
        app()
    except KBError as exc:
        _console(stderr=True).print(f"[bold red]Error:[/] {_escape(exc.message)}")
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # never a traceback for users; KB_DEBUG=1 shows it
        if os.environ.get("KB_DEBUG"):
            raise
        _console(stderr=True).print(
            f"[bold red]Error:[/] unexpected {exc.__class__.__name__}: {_escape(str(exc))} "
            "(set KB_DEBUG=1 for the traceback)"
        )
        sys.exit(EXIT_ERROR)
    finally:
        # The process ends here: the objects it made go with it. Frozen, the interpreter's shutdown
        # does not walk them all again in its collections (about 50 ms of a cold `kb query`).
        gc.freeze()
