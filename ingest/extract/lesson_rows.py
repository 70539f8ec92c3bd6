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
    r"^(?:lessons?(?: learned| learnt)?|key lessons?|take-?aways?|learnings?|rules?|principles?)$", re.I
)


def lesson_row(block: Block, section: str, role: str | None) -> list[Candidate]:
    """The lesson of one table row whose header names a lesson column, in a section that is no
    action list (its rows are read as work); [] for any other row."""
    if block.type != "row" or role == "action" or not block.header:
        return []
    header = [re.sub(r"[*_`]", "", h).strip() for h in block.header]
    col = next((i for i, h in enumerate(header) if _LESSON_HEADER.match(h)), None)
    if col is None or col >= len(block.cells):
        return []
    cell = clean_text(block.cells[col])
    if not cell:
        return []
    stmt = rewrite_imperative(cell, role="lesson")
    return [Candidate(stmt, section, "lesson", block.line_start, block.line_end, "row", block.code_spans)]
