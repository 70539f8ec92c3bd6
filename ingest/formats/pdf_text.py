"""Text extracted from a PDF (``pdftotext -layout``, "Save as text"): its page furniture and layout.

A report turned from PDF into text keeps what the pages carried: a footer on every page
("Acme Inc. - Confidential      Page 2 of 3"), a running header repeated under it, a rule of
dashes where the page broke, words broken with a hyphen across lines ("con-" / "figuration"), and
tables laid out in fixed columns (a header row, a rule of dashes per column, rows whose first
column wraps over several lines). Read as plain text, the footer line looks like a heading and a
table row like a sentence with "Oct 2026   Complete" in its middle.

:func:`clean` blanks the furniture, joins the broken words and turns each column-table row into a
list item "- text — status", one output line per input line (lessons cite the file's lines). Only
the tables are read in any plain text: a line-final hyphen means something else in a text file
that never was a PDF, and a line repeated there is no running header.
"""

from __future__ import annotations

import re

# "Page 2 of 3", "Page 2", "- 2 -" at the end of a line (a footer), or a form feed.
_PAGE_FOOTER = re.compile(r"(?:\bPage\s+\d+(?:\s+of\s+\d+)?|^\s*-\s*\d+\s*-)\s*$", re.I)
_PAGE_RULE = re.compile(r"^\s*[-_=]{20,}\s*$")
# A running header is a short line repeated on several pages.
_HEADER_MAX_WORDS = 8
_HEADER_REACH = 4  # lines after a page break where the running header sits
# "con-" at the end of a line, the word going on in lowercase at the start of the next.
_BROKEN_WORD = re.compile(r"(?<=[a-z])-$")
_NEXT_WORD = re.compile(r"^(\s*)([a-z][\w'’]*)([,.;:)]*)(\s*)")
# A column table: the header row, then a rule of dash runs, one per column.
_COLUMN_RULE = re.compile(r"^\s*-{3,}(?:\s+-{3,})+\s*$")
_STATUS_COLUMN = re.compile(r"^(?:status|state|progress|done|complete[d]?)$", re.I)


def is_pdf_text(lines: list[str]) -> bool:
    """Page footers on at least two pages, or form feeds: the text was laid out in pages."""
    footers = sum(1 for line in lines if _PAGE_FOOTER.search(line.strip()) and len(line.split()) <= 12)
    return footers >= 2 or any("\f" in line for line in lines)


def _furniture(lines: list[str]) -> set[int]:
    """Footer lines, page rules, and the running header lines repeated after page breaks."""
    out: set[int] = set()
    breaks = [0]
    for i, line in enumerate(lines):
        footer = (_PAGE_FOOTER.search(line.strip()) and len(line.split()) <= 12) or "\f" in line
        if footer or (_PAGE_RULE.match(line) and i - 1 in out):  # the rule under a footer too
            out.add(i)
            breaks.append(i + 1)
    seen: dict[str, int] = {}
    for line in lines:
        text = line.strip()
        if text:
            seen[text] = seen.get(text, 0) + 1
    for start in breaks:
        for i in range(start, min(start + _HEADER_REACH, len(lines))):
            text = lines[i].strip()
            if text and seen[text] >= 2 and len(text.split()) <= _HEADER_MAX_WORDS:
                out.add(i)
    return out


def _join_broken_words(out: list[str], skip: set[int]) -> None:
    """ "con-" / "figuration change" -> "configuration" / "change": the word moves up a line."""
    for i in range(len(out) - 1):
        if i in skip or i + 1 in skip or not _BROKEN_WORD.search(out[i].rstrip()):
            continue
        nxt = _NEXT_WORD.match(out[i + 1])
        if nxt is None:
            continue
        out[i] = out[i].rstrip()[:-1] + nxt.group(2) + nxt.group(3)
        out[i + 1] = nxt.group(1) + out[i + 1][nxt.end() :]


def _spans(rule: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"-{3,}", rule)]


def _cell(line: str, span: tuple[int, int], nxt: int) -> str:
    """The text of a line under one column: from its start (a little before) to the next column."""
    return line[max(0, span[0] - 1) : nxt].strip()


def _column_table(lines: list[str], out: list[str], header: int) -> set[int]:
    """The rows under a column rule as list items; returns the lines the table takes."""
    spans = _spans(lines[header + 1])
    names = [
        _cell(lines[header], s, spans[k + 1][0] if k + 1 < len(spans) else 10_000)
        for k, s in enumerate(spans)
    ]
    text_col = max(range(len(spans)), key=lambda k: spans[k][1] - spans[k][0])
    status_col = next((k for k, n in enumerate(names) if _STATUS_COLUMN.match(n)), None)
    taken = {header, header + 1}
    out[header] = out[header + 1] = ""
    rows: list[list[int]] = []
    i = header + 2
    while i < len(lines) and not (not lines[i].strip() and i + 1 < len(lines) and not lines[i + 1].strip()):
        if lines[i].strip():
            # a row starts where a column after the text column is filled; the rest continue it
            filled = any(
                _cell(lines[i], s, spans[k + 1][0] if k + 1 < len(spans) else 10_000)
                for k, s in enumerate(spans)
                if k != text_col
            )
            if filled or not rows or i - 1 not in rows[-1]:
                rows.append([i])
            else:
                rows[-1].append(i)
        i += 1
    for row in rows:
        bounds = [(spans[k][0], spans[k + 1][0] if k + 1 < len(spans) else 10_000) for k in range(len(spans))]
        lo, hi = bounds[text_col]
        parts = [lines[j][max(0, lo - 1) : hi].strip() for j in row]
        status = (
            _cell(lines[row[0]], spans[status_col], bounds[status_col][1]) if status_col is not None else ""
        )
        for n, j in enumerate(row):
            out[j] = ("- " if n == 0 else "  ") + parts[n]
        if status:
            out[row[-1]] += f" — {status}"
        taken.update(row)
    return taken


def clean(lines: list[str]) -> list[str]:
    """The lines with column tables as list items and, in a text laid out in pages, the page
    furniture blanked and broken words joined."""
    out = list(lines)
    pages = is_pdf_text(lines)
    furniture = _furniture(lines) if pages else set()
    for i in furniture:
        out[i] = ""
    tables: set[int] = set()
    for i in range(len(lines) - 1):
        if lines[i].strip() and _COLUMN_RULE.match(lines[i + 1]) and i not in tables:
            tables |= _column_table(lines, out, i)
    if pages:
        _join_broken_words(out, furniture | tables)
    return out
