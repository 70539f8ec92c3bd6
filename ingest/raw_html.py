"""Raw HTML blocks left in a Markdown page (a Confluence or wiki export) read as Markdown.

An exporter that turns a Confluence page into Markdown keeps what it cannot convert as raw HTML:
``<h2 id=...>`` headings, a ``confluenceTable`` of cause and fix rows, an ``inline-task-list``, the
info and warning macros. A Markdown reader passes such blocks through as HTML, which the extractor
never reads, so the page's sections, rows and tasks were lost. A page with two or more raw blocks
of that kind has each block converted with the HTML reader's Markdown writer (the macros become
notes, checked tasks ``[x]`` boxes, tables pipe tables) in place; the line count is kept where the
Markdown is shorter, so later records keep their line numbers. A page with a lone ``<details>`` or a
centred badge paragraph is left as it is.
"""

from __future__ import annotations

import re

_OPEN = re.compile(r"^<(h[1-6]|table|div|ul|ol)\b[^>]*>", re.I)
_STRUCTURAL = re.compile(r"^<(?:h[1-6]|table|ul|ol)\b", re.I)
MIN_BLOCKS = 2
MAX_BLOCK_LINES = 400


def _region_end(lines: list[str], start: int, tag: str) -> int:
    """Index of the line that closes the block opened at ``start`` (same tag, depth zero)."""
    depth = 0
    opener = re.compile(rf"<{tag}\b", re.I)
    closer = re.compile(rf"</{tag}\s*>", re.I)
    for i in range(start, min(len(lines), start + MAX_BLOCK_LINES)):
        depth += len(opener.findall(lines[i])) - len(closer.findall(lines[i]))
        if depth <= 0:
            return i
    return -1


def _regions(lines: list[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    fence = False
    while i < len(lines):
        if lines[i].lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = None if fence else _OPEN.match(lines[i])
        if m:
            end = _region_end(lines, i, m.group(1).lower())
            if end >= 0:
                out.append((i, end))
                i = end + 1
                continue
        i += 1
    return out


def inline_raw_html(body: str) -> str:
    """``body`` with its raw HTML blocks written as Markdown, when the page is an HTML export."""
    lines = body.split("\n")
    regions = _regions(lines)
    if len(regions) < MIN_BLOCKS or not any(_STRUCTURAL.match(lines[s]) for s, _ in regions):
        return body
    from ingest.formats.html import html_to_markdown

    out: list[str] = []
    last = 0
    for start, end in regions:
        out += lines[last:start]
        html = "\n".join(lines[start : end + 1])
        md = html_to_markdown(html, path="block.html").strip("\n")
        md = re.sub(r"^---\n.*?\n---\n", "", md, flags=re.S).strip("\n")  # no front matter
        new = ["", *md.split("\n"), ""] if md else []
        out += new + [""] * max(0, end + 1 - start - len(new))
        last = end + 1
    out += lines[last:]
    return "\n".join(out)


__all__ = ["inline_raw_html"]
