"""A lessons table: one lesson per row, in the column its header names ("| # | Lesson | Applies to |").

A spreadsheet-like incident sheet keeps its lessons in a table, as it keeps its actions; the
action rows were read (a tracker's "Action" column), the lesson rows were not, so a sheet gave
its follow-ups and none of its rules. A row is read only under a column named for lessons, so a
cause or timeline table beside it stays context.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate
from ingest.extract.text import clean_text, rewrite_imperative
from ingest.sections import Block

# "Lesson", "Lessons learned", "Takeaway", "Learning", "Rule": the column that holds the lesson
_LESSON_HEADER = re.compile(
    r"^(?:lessons?(?: learned| learnt)?|key lessons?|take-?aways?|learnings?|rules?|principles?|"
    # a column named by what the team draws from the row: "What we take from it", "What we learned"
    r"what we (?:take|took|learn(?:ed|t)?|keep|carry)(?: \w+){0,3})$",
    re.I,
)


# "Condition", "Constraint": the rules attached to a decision ("| # | Condition | Why |"), in an ADR
# only (a runbook's "| Condition | Who | How |" is an escalation table), and unless the table also
# has a column of what to do, when the condition is a case ("| Condition | Action |")
_RULE_HEADER = re.compile(r"^(?:conditions?|constraints?|guardrails?)$", re.I)
_RESPONSE_HEADER = re.compile(r"^(?:actions?|steps?|responses?|what to do|then|remedy|fix|mitigation)$", re.I)


# A table of numbered warnings ("| ⚠ | |", "| # | Warning |"): each row is a rule for the work
_WARNING_HEADER = re.compile(r"^(?:⚠️?|warnings?|cautions?)$", re.I)
_NUMBER = re.compile(r"^(?:#|no\.?|\d{1,2}\.?)?$", re.I)


def _warning_column(header: list[str], cells: list[str]) -> int | None:
    """The text column of a warnings table: its header names warnings and every other column
    only numbers the rows; None for any other table."""
    if not any(_WARNING_HEADER.match(h) for h in header):
        return None
    text = [i for i, c in enumerate(cells) if not _NUMBER.match(c.strip())]
    return text[0] if len(text) == 1 else None


def _lesson_column(header: list[str], kind: str) -> int | None:
    col = next((i for i, h in enumerate(header) if _LESSON_HEADER.match(h)), None)
    if col is not None or kind != "adr" or any(_RESPONSE_HEADER.match(h) for h in header):
        return col
    return next((i for i, h in enumerate(header) if _RULE_HEADER.match(h)), None)


def lesson_row(block: Block, section: str, role: str | None, *, kind: str = "") -> list[Candidate]:
    """The lesson of one table row whose header names a lesson column, in a section that is no
    action list (its rows are read as work); [] for any other row."""
    if block.type != "row" or role == "action" or not block.header:
        return []
    header = [re.sub(r"[*_`]", "", h).strip() for h in block.header]
    col = _lesson_column(header, kind)
    col = _warning_column(header, block.cells) if col is None else col
    if col is None or col >= len(block.cells):
        return []
    cell = clean_text(block.cells[col])
    if not cell:
        return []
    stmt = rewrite_imperative(cell, role="lesson")
    return [Candidate(stmt, section, "lesson", block.line_start, block.line_end, "row", block.code_spans)]
