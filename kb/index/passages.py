"""Passages: a document's sections cut into chunks, each with its heading path and line span.

Extraction can find no lesson in a document (a design note, a runbook written as prose), and a lesson
is a digest: the words a task or a diff repeats may sit in a section no lesson quotes. Passages keep
every document findable. They are cut from the body stored in SQL (the truth) when the catalog is
built, ranked lexically (BM25 over passages, in the catalog), and shown as cited text, never as a
rule: a passage carries no severity, never blocks in the gate and is never exported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# Words per passage at most: about a screenful, short enough that the best passage is specific, long
# enough that BM25's length normalisation does not favour a lone heading. A section longer than this
# is cut at line boundaries.
PASSAGE_WORDS: Final = 120
# Characters of a passage shown as its excerpt.
EXCERPT_CHARS: Final = 360

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True, slots=True)
class Passage:
    """One chunk of a section: its heading path and its lines (1-based, inclusive, in the stored
    body's numbering: add the document's ``body_line_offset`` for the source file's)."""

    heading: str  # "Title > Section > Subsection"; empty before the first heading
    line_start: int
    line_end: int
    text: str


def split_passages(body: str, *, words: int = PASSAGE_WORDS) -> list[Passage]:
    """The passages of a Markdown body, in document order.

    A heading opens a section (headings inside fenced code do not); a section's lines are gathered
    until ``words`` words, then a new passage of the same section begins. Blank-only passages are
    dropped; a heading with no text under it becomes part of the next passage's heading path only.
    """
    out: list[Passage] = []
    path: list[tuple[int, str]] = []  # (level, heading)
    lines: list[str] = []
    start = 0
    count = 0
    fenced = False

    def flush() -> None:
        nonlocal lines, count
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            heading = " > ".join(h for _, h in path)
            out.append(Passage(heading, start, start + len(lines) - 1, "\n".join(lines).strip()))
        lines, count = [], 0

    for number, line in enumerate(body.split("\n"), 1):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, heading.group(2).strip())]
            continue
        n = len(line.split())
        if lines and count + n > words:
            flush()
        if not lines:
            if not line.strip():
                continue
            start = number
        lines.append(line)
        count += n
    flush()
    return out


def excerpt(body: str, line_start: int, line_end: int, *, limit: int = EXCERPT_CHARS) -> str:
    """The start of a passage's text from the stored body, whitespace folded, at most ``limit``
    characters (cut at a word, with an ellipsis)."""
    lines = body.split("\n")[max(line_start - 1, 0) : max(line_end, line_start)]
    text = " ".join(" ".join(lines).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"
