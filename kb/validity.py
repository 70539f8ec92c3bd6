"""Refuse text no database keeps faithfully, before anything is written.

A lone surrogate (valid in JSON, ``"\\ud800"``) is stored by SQLite and by PostgreSQL's JSON
columns, and then every read that meets it fails to encode: one writer's PATCH used to make
listing constraints fail for every team. A NUL is refused by PostgreSQL text columns only, so
the same input behaved differently on the two backends. One check at the session's flush
covers every ORM write on both backends, from every adapter.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from kb.errors import InputError

_INVALID = re.compile("[\x00\ud800-\udfff]")


def invalid_text(value: Any) -> str | None:
    """Why ``value`` (a string, or a list or mapping holding strings) cannot be stored, or None."""
    if isinstance(value, str):
        found = _INVALID.search(value)
        if found is None:
            return None
        return "a NUL character" if found.group() == "\x00" else "a lone surrogate (not a character)"
    if isinstance(value, dict):
        for key, item in value.items():
            reason = invalid_text(key) or invalid_text(item)
            if reason:
                return reason
    elif isinstance(value, list | tuple):
        for item in value:
            reason = invalid_text(item)
            if reason:
                return reason
    return None


def check_row(row: Any) -> None:
    """Raise :class:`InputError` when a field of an ORM row holds text that cannot be stored."""
    for name, value in vars(row).items():
        if name.startswith("_"):
            continue
        reason = invalid_text(value)
        if reason:
            raise InputError(f"{name} contains {reason}; remove it and try again")


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for row in (*session.new, *session.dirty):
        check_row(row)


def install() -> None:
    """Check every ORM flush in this process (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
