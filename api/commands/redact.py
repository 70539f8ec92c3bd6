"""``forewarn redact``: find secrets in files (for CI on a postmortem repository) and redact a store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli import _console, app, emit_json, fail, open_kb

if TYPE_CHECKING:
    from kb.safety.redaction import RedactionPolicy

# Besides Markdown in all its dialects (as ingest reads it), the text formats a postmortem
# repository keeps.
OTHER_TEXT_SUFFIXES = (".txt", ".rst", ".adoc", ".yaml", ".yml", ".json")


def _files(paths: list[Path]) -> list[Path]:
    from ingest.formats import MARKDOWN_SUFFIXES  # parsing modules: not loaded for other commands

    suffixes = (*MARKDOWN_SUFFIXES, *OTHER_TEXT_SUFFIXES)
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.name.lower().endswith(suffixes) and ".git" not in p.parts
            )
        elif path.is_file():
            found.append(path)
        else:
            fail(f"no such file or folder: {path}")
    return found


def _policy() -> RedactionPolicy:
    from kb.errors import ConfigError
    from kb.safety.redaction import RedactionPolicy
    from kb.settings import Settings

    try:
        return RedactionPolicy.from_settings(Settings())
    except ConfigError as exc:
        fail(exc.message)


@app.command()
def redact(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (Markdown, text, YAML, JSON; recursive).")
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="List file:line:type of what would be redacted (never the value); exit 1 if any."
        ),
    ] = False,
    rewrite_store: Annotated[
        bool,
        typer.Option(
            "--rewrite-store",
            help="Redact the documents and lessons already stored (KB_HOME / KB_DATABASE_URL) in place "
            "and re-embed the lessons that changed.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --rewrite-store: count what would change, change nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Redact secrets and personal data: check files for CI, print a redacted file, or redact the store.

    Settings: KB_REDACT_ALLOW (values kept), KB_REDACT_PATTERNS (extra secrets), KB_REDACT_IPS,
    KB_REDACT_PERSONAL.
    """
    if rewrite_store:
        from kb.safety.migrate import redact_store

        result = redact_store(open_kb(), policy=_policy(), dry_run=dry_run)
        if as_json:
            emit_json(result.to_dict())
            return
        verb = "would change" if dry_run else "changed"
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(result.redacted.items())) or "nothing"
        _console().print(
            f"Store redaction {verb}: {result.documents_changed}/{result.documents} documents, "
            f"{result.constraints_changed}/{result.constraints} lessons ({result.reembedded} re-embedded), "
            f"{result.flagged} lessons flagged for instruction-like text. Redacted: {kinds}.",
            markup=False,
        )
        return
    if not paths:
        fail("give files or folders to check, or --rewrite-store")
    policy = _policy()
    findings: list[dict[str, object]] = []
    for path in _files(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {path}: {exc.__class__.__name__}")
        redacted = policy.redact(text)
        if not check:
            typer.echo(redacted.text, nl=False)
            continue
        findings.extend({"path": str(path), "line": f.line, "type": f.type} for f in redacted.findings)
    if not check:
        return
    if as_json:
        emit_json({"findings": findings, "count": len(findings)})
    else:
        for f in findings:
            typer.echo(f"{f['path']}:{f['line']}:{f['type']}")
        typer.echo(
            f"{len(findings)} value(s) would be redacted" if findings else "nothing to redact", err=True
        )
    if findings:
        raise typer.Exit(1)
