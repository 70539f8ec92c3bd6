"""The query path's reads of a SQLite knowledge base, through the standard library's driver.

A query reads SQL twice: the revision counter (are the index and the catalog current?) and the
rows of its hits. Through the store, both import SQLAlchemy and SQLModel first: about 0.3 s of a
cold ``kb query`` that takes 0.8-0.9 s. Here they are two plain SELECTs on the same file, and the
rows come back as :class:`kb.records.ConstraintRecord` and :class:`kb.records.DocumentRecord`, the
same records the store returns, less the document body, which no query result shows. A test
holds both paths to the same values for every field.

Writes, migrations and PostgreSQL go through ``kb.storage.store.Store``. :meth:`SQLiteReads.open` answers
``None`` when the file is missing or its schema is not the newest, so that the caller opens the
store, which creates or migrates it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kb.errors import NotFoundError, StoreError
from kb.records import ConstraintRecord, DocumentRecord, FeedbackCounts

# Bound parameters per statement: well under SQLite's limit (32766 since 3.32, 999 before).
_CHUNK = 900


def _utc(value: str) -> datetime:
    """A stored timestamp as the ORM returns it: SQLite keeps UTC without an offset (SQLModel's
    ``UTCDateTime``), read back as an aware UTC datetime."""
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.utcoffset() is None else parsed.astimezone(UTC)


# (column, how to read it) in the records' field order; "metadata" is the column of ``meta``.
_DOCUMENT_COLUMNS = (
    ("id", int),
    ("team", str),
    ("source", str),
    ("path", str),
    ("kind", str),
    ("title", str),
    ("sha256", str),
    ("date", None),
    ("status", None),
    ("services", json.loads),
    ("metadata", json.loads),
    ("created_at", _utc),
    ("updated_at", _utc),
)
_CONSTRAINT_COLUMNS = (
    ("id", int),
    ("document_id", int),
    ("statement", str),
    ("rationale", str),
    ("category", str),
    ("severity", str),
    ("status", str),
    ("services", json.loads),
    ("paths", json.loads),
    ("technologies", json.loads),
    ("tags", json.loads),
    ("section", str),
    ("line_start", int),
    ("line_end", int),
    ("curated", json.loads),
    ("created_at", _utc),
    ("updated_at", _utc),
    ("record_type", str),
    ("state", None),
    ("rules", json.loads),
    ("duplicate_of", None),
    ("recurrence", int),
    ("last_confirmed", _utc),
)
_JOINED_SELECT = (
    "SELECT "
    + ", ".join(f'c."{name}"' for name, _ in _CONSTRAINT_COLUMNS)
    + ", "
    + ", ".join(f'd."{name}"' for name, _ in _DOCUMENT_COLUMNS)
    + " FROM constraints AS c JOIN documents AS d ON c.document_id = d.id"
)
_DOCUMENT_SELECT = "SELECT " + ", ".join(f'"{name}"' for name, _ in _DOCUMENT_COLUMNS) + " FROM documents"


def sqlite_file(database_url: str) -> Path | None:
    """The file a ``sqlite:///`` URL names, or None (another database, or SQLite in memory)."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix):
        return None
    rest = database_url[len(prefix) :].split("?", 1)[0]
    if not rest or rest == ":memory:":
        return None
    return Path(rest)


class SQLiteReads:
    """Revision and hit rows of one SQLite file, on one connection shared under a lock."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self.path = path

    @classmethod
    def open(cls, path: Path, *, schema: str) -> SQLiteReads | None:
        """Reads of ``path`` when it exists at migration ``schema``; otherwise None."""
        if not path.is_file():
            return None
        try:
            # mode=rw: never create a file (the store does that, with its schema).
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw", uri=True, check_same_thread=False, timeout=5.0
            )
        except sqlite3.Error:
            return None
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            row = None
        if row is None or row[0] != schema:
            connection.close()
            return None
        return cls(connection, path)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._lock:
                return self._connection.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"database error in {self.path}: {exc}") from exc

    def revision(self) -> int:
        rows = self._fetch("SELECT value FROM kb_state WHERE key = 'revision'")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def constraints_by_ids(
        self, ids: Sequence[int], *, teams: Sequence[str] | None = None
    ) -> dict[int, tuple[ConstraintRecord, DocumentRecord]]:
        """The rows of ``ids`` that ``teams`` may see (None: every team), with their documents."""
        out: dict[int, tuple[ConstraintRecord, DocumentRecord]] = {}
        wanted = [int(i) for i in ids]
        team_list = list(teams) if teams is not None else None
        if team_list == []:
            return out
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            sql = f"{_JOINED_SELECT} WHERE c.id IN ({', '.join('?' * len(chunk))})"
            params: list[Any] = list(chunk)
            if team_list is not None:
                sql += f" AND d.team IN ({', '.join('?' * len(team_list))})"
                params += team_list
            split = len(_CONSTRAINT_COLUMNS)
            for row in self._fetch(sql, params):
                constraint = ConstraintRecord(*_converted(row[:split], _CONSTRAINT_COLUMNS))
                document = DocumentRecord(*_converted(row[split:], _DOCUMENT_COLUMNS))
                out[constraint.id] = (constraint, document)
        return out

    def repeats_of(self, ids: Sequence[int]) -> dict[int, list[tuple[ConstraintRecord, DocumentRecord]]]:
        """The lessons merged into each of ``ids`` (one per other document stating it), oldest first."""
        out: dict[int, list[tuple[ConstraintRecord, DocumentRecord]]] = {}
        wanted = [int(i) for i in ids]
        split = len(_CONSTRAINT_COLUMNS)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            sql = f"{_JOINED_SELECT} WHERE c.duplicate_of IN ({marks}) ORDER BY c.id"
            for row in self._fetch(sql, chunk):
                constraint = ConstraintRecord(*_converted(row[:split], _CONSTRAINT_COLUMNS))
                document = DocumentRecord(*_converted(row[split:], _DOCUMENT_COLUMNS))
                out.setdefault(constraint.duplicate_of or 0, []).append((constraint, document))
        return out

    def feedback_counts(self, ids: Sequence[int]) -> dict[int, FeedbackCounts]:
        """Votes on ``ids`` with their decayed balance (what ranking reads for its hits)."""
        from kb.lifecycle.feedback import decayed_counts

        votes: list[tuple[int, bool, datetime]] = []
        wanted = [int(i) for i in ids]
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT constraint_id, helpful, at FROM feedback WHERE constraint_id IN ({marks})"
            votes += [(int(c), bool(h), _utc(a)) for c, h, a in self._fetch(sql, chunk)]
        return decayed_counts(votes, datetime.now(UTC))

    def get_document(self, document_id: int, *, teams: Sequence[str] | None = None) -> DocumentRecord:
        rows = self._fetch(f"{_DOCUMENT_SELECT} WHERE id = ?", (int(document_id),))
        if not rows:
            raise NotFoundError(f"no document with id {document_id}")
        document = DocumentRecord(*_converted(rows[0], _DOCUMENT_COLUMNS))
        if teams is not None and document.team not in teams:
            raise NotFoundError(f"no document with id {document_id}")
        return document

    def document_bodies(
        self, document_ids: Sequence[int], *, teams: Sequence[str] | None = None
    ) -> dict[int, str]:
        """The stored text of the documents among ``document_ids`` that ``teams`` may see."""
        ids = [int(i) for i in document_ids]
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._fetch(f'SELECT "id", "body", "team" FROM documents WHERE id IN ({marks})', ids)
        return {int(i): body or "" for i, body, team in rows if teams is None or team in teams}


def _converted(values: Sequence[Any], columns: Sequence[tuple[str, Any]]) -> list[Any]:
    return [
        value if value is None or read is None else read(value)
        for value, (_, read) in zip(values, columns, strict=True)
    ]
