"""The README documents every command and every setting (as datasette's tests do)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import typer.main

from api.cli import app
from kb.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            names.extend(f"{name} {child}" for child in sub)
        else:
            names.append(name)
    return sorted(names)


def test_every_command_is_in_the_readme() -> None:
    commands = _commands()
    assert {"ingest", "query", "show", "list", "stats", "reindex", "serve", "keys create"} <= set(commands)
    missing = [name for name in commands if not re.search(rf"\bforewarn {re.escape(name)}\b", README)]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    missing = [
        f"KB_{name.upper()}"
        for name in (f.name for f in dataclasses.fields(Settings))
        if f"KB_{name.upper()}" not in README
    ]
    assert missing == []


def test_every_command_has_help_text() -> None:
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert (command.help or "").strip(), f"forewarn {name} has no help text"
