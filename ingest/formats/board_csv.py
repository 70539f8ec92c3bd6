"""A retrospective or review board exported as CSV, as Markdown.

Retro boards (and kanban-style review boards) export one row per card: the board's name, the
column the card sits in ("Went well", "Learnings", "Action items"), the card's text, its votes and
author and, for actions, an owner and a status. The columns are the document's sections, the
cards their items, and a card with a status is a task, ticked when its status says done.

Only a CSV whose header names such cards is a document: a column of card text (card, item, note,
lesson, action...) and either a column that groups them (column, category, section...) or an
action status. Any other CSV (data, fixtures, metrics) is skipped with one reason (see
:func:`is_board`).
"""

from __future__ import annotations

import csv
import io
import re

from ingest.budget import check
from ingest.formats.base import Converted, tidy

_TEXT_COLUMN = re.compile(
    r"^(?:card(?: text)?|text|content|item|note|sticky|idea|comment|lesson(?: learned)?s?|"
    r"finding|observation|feedback|action(?: item)?s?)$",
    re.I,
)
_GROUP_COLUMN = re.compile(r"^(?:column|category|section|list|lane|group|bucket)(?: name)?$", re.I)
_STATUS_COLUMN = re.compile(r"^(?:(?:action |item |task )?(?:status|state)|done|completed?)$", re.I)
_OWNER_COLUMN = re.compile(r"^(?:(?:action )?owner|assignee|assigned to|responsible)$", re.I)
_BOARD_COLUMN = re.compile(r"^(?:board(?: name| title)?|retro(?:spective)?(?: name| title)?|title)$", re.I)
_DONE = re.compile(r"^(?:done|complete[d]?|closed|resolved|yes|true|finished|fixed|✅|x)$", re.I)
_SAMPLE_BYTES = 20_000


def _header(text: str) -> list[str]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")[:_SAMPLE_BYTES]))
    return [c.strip() for c in next(reader, [])]


def _index(head: list[str], pattern: re.Pattern[str]) -> int | None:
    return next((i for i, h in enumerate(head) if pattern.match(h)), None)


def is_board(text: str) -> bool:
    """Whether a CSV's header names cards of a board: a text column and a grouping or status one."""
    try:
        head = _header(text)
    except csv.Error:
        return False
    if _index(head, _TEXT_COLUMN) is None:
        return False
    return _index(head, _GROUP_COLUMN) is not None or _index(head, _STATUS_COLUMN) is not None


def to_markdown(text: str, *, title: str) -> str:
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
    head = [c.strip() for c in rows[0]]
    body = rows[1:]
    text_at = _index(head, _TEXT_COLUMN)
    group_at = _index(head, _GROUP_COLUMN)
    status_at = _index(head, _STATUS_COLUMN)
    owner_at = _index(head, _OWNER_COLUMN)
    board_at = _index(head, _BOARD_COLUMN)

    def cell(row: list[str], at: int | None) -> str:
        return " ".join(row[at].split()) if at is not None and at < len(row) else ""

    boards = {cell(r, board_at) for r in body} - {""}
    lines = [f"# {boards.pop() if len(boards) == 1 else title}", ""]
    groups: dict[str, list[str]] = {}
    for row in body:
        check()
        card = cell(row, text_at)
        if not card:
            continue
        state, owner = cell(row, status_at), cell(row, owner_at)
        suffix = f" (owner: {owner})" if owner else ""
        box = f"[{'x' if _DONE.match(state) else ' '}] " if state else ""
        item = f"- {box}{card}{suffix}"
        groups.setdefault(cell(row, group_at), []).append(item)
    for name, items in groups.items():
        if name:
            lines += [f"## {name}", ""]
        lines += [*items, ""]
    return tidy("\n".join(lines))


def convert(text: str, *, title: str) -> Converted:
    return Converted(to_markdown(text, title=title), {"format": "board-csv"})
