"""Grid tables docutils rejects, rewritten as list tables it reads.

docutils reads a grid table by column position: one ``|`` a character out of line (a cell whose
text overflows its column, as hand-edited tables often have) makes the whole table an error, and
with reports silenced the table, often a postmortem's action items, drops out of the page. A
table docutils cannot read on its own is read by its ``|`` separators instead (each row's lines
joined per cell) and handed over as a ``list-table`` directive; tables it reads stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# a grid table's border line: "+-----+----+" (a header separator uses "=")
_BORDER = re.compile(r"^(?P<indent>[ \t]*)\+(?:[-=]+\+)+[ \t]*$")
_HEADER_BORDER = re.compile(r"^[ \t]*\+(?:=+\+)+[ \t]*$")
_ROW_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$")


def _table_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last + 1) line of each grid table: a border, rows and borders, ending on a border."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not _BORDER.match(lines[i]):
            i += 1
            continue
        j, last_border = i + 1, i
        while j < len(lines) and (_BORDER.match(lines[j]) or _ROW_LINE.match(lines[j])):
            if _BORDER.match(lines[j]):
                last_border = j
            j += 1
        if last_border > i:
            spans.append((i, last_border + 1))
        i = max(j, i + 1)
    return spans


def _rows(table: list[str]) -> tuple[list[list[str]], int] | None:
    """The table's rows (cells with their lines joined) and how many are header rows, read by the
    ``|`` separators; None when a line has another number of cells than the border has columns."""
    columns = table[0].strip().count("+") - 1
    rows: list[list[str]] = []
    header_rows, cells = 0, [""] * columns
    for line in table[1:]:
        if _BORDER.match(line):
            if any(c.strip() for c in cells):
                rows.append([" ".join(c.split()) for c in cells])
            if _HEADER_BORDER.match(line):
                header_rows = len(rows)
            cells = [""] * columns
            continue
        parts = line.strip()[1:-1].split("|")
        if len(parts) != columns:
            return None
        cells = [f"{c} {p.strip()}" for c, p in zip(cells, parts, strict=True)]
    return rows, header_rows


def _list_table(indent: str, rows: list[list[str]], header_rows: int) -> list[str]:
    out = [f"{indent}.. list-table::"]
    if header_rows:
        out.append(f"{indent}   :header-rows: {header_rows}")
    out.append("")
    for row in rows:
        for k, cell in enumerate(row):
            lead = "* - " if k == 0 else "  - "
            out.append(f"{indent}   {lead}{cell or '..'}".rstrip())
    out.append("")
    return out


def mend_grid_tables(source: str, reads_table: Callable[[str], bool]) -> str:
    """``source`` with every grid table ``reads_table`` rejects rewritten as a list table."""
    lines = source.split("\n")
    spans = _table_spans(lines)
    for first, end in reversed(spans):  # from the end, so earlier spans keep their line numbers
        table = lines[first:end]
        if reads_table("\n".join(t.strip() for t in table)):
            continue
        read = _rows(table)
        if read is None or not read[0]:
            continue
        indent = _BORDER.match(table[0]).group("indent")  # type: ignore[union-attr]
        lines[first:end] = _list_table(indent, *read)
    return "\n".join(lines)
