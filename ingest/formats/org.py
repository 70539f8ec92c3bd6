"""An Emacs Org-mode document (``.org``) as Markdown, one output line per input line.

Org marks sections with stars (``* Summary``, ``** Things to change``), may put a keyword
(``TODO``, ``DONE``), a priority (``[#A]``), a progress cookie (``[4/6]``) and tags
(``:ops:dns:``) on a heading, keeps settings in ``#+KEY:`` lines (``#+TITLE:`` is the title),
metadata in ``:PROPERTIES:`` drawers and code in ``#+BEGIN_SRC`` blocks, and writes checkboxes
as ``- [ ]`` / ``- [X]`` and inline code as ``~code~`` or ``=verbatim=``. Those become their
Markdown equivalents, so sections get their roles and task lists their states as in any other
document. A heading with a TODO-type keyword is a task: it becomes a task-list item (open or
done) with its body indented under it. ``COMMENT`` subtrees and ``#`` comment lines are dropped.
Each line stays on its line, so lessons cite the file's own line numbers.
"""

from __future__ import annotations

import re

from ingest.formats.base import Converted

_HEADING = re.compile(r"^(\*+)\s+(.*?)\s*$")
_SETTING = re.compile(r"^\s*#\+(\w+):\s*(.*)$")
_BLOCK_BEGIN = re.compile(r"^(\s*)#\+begin_(\w+)\s*(\S*)", re.I)
_BLOCK_END = re.compile(r"^\s*#\+end_(\w+)", re.I)
_DRAWER_START = re.compile(r"^\s*:(PROPERTIES|LOGBOOK|CLOCK|RESULTS|[A-Z]+):\s*$")
_DRAWER_END = re.compile(r"^\s*:END:\s*$", re.I)
_COMMENT_LINE = re.compile(r"^\s*#(?:\s|$)")
_PLANNING = re.compile(r"^\s*(?:(?:SCHEDULED|DEADLINE|CLOSED):\s*[<\[][^>\]]*[>\]]\s*)+$")
# TODO-type keywords: open ones and finished ones (the common defaults and their usual variants).
_OPEN_WORDS = ("TODO", "NEXT", "WAITING", "WAIT", "STARTED", "DOING", "HOLD", "OPEN")
_DONE_WORDS = ("DONE", "CANCELLED", "CANCELED", "FIXED", "CLOSED")
_KEYWORD = re.compile(rf"^({'|'.join(_OPEN_WORDS + _DONE_WORDS)})\s+")
_PRIORITY = re.compile(r"^\[#[A-Z0-9]\]\s*")
_COOKIE = re.compile(r"\s*\[\d*(?:/\d*|%)\]")
_TAGS = re.compile(r"\s+:[\w@#%:]+:\s*$")
_CHECKBOX = re.compile(r"^(\s*(?:[-+]|\d+[.)])\s+)\[([ Xx-])\]")
_STAR_BULLET = re.compile(r"^(\s+)\*(\s)")
_LIST_ITEM = re.compile(r"^\s*(?:[-+]|\d+[.)])\s")
_TABLE_RULE = re.compile(r"^(\s*)\|[-+]+\|?\s*$")
_LINK = re.compile(r"\[\[([^\]]+)\](?:\[([^\]]+)\])?\]")
_TIMESTAMP = re.compile(r"[<\[](\d{4}-\d{2}-\d{2}(?: \w{2,3})?(?: \d{1,2}:\d{2}(?:-\d{1,2}:\d{2})?)?)[>\]]")
_BORDER_BEFORE = r"(?:(?<=^)|(?<=[\s(\"'{]))"
_BORDER_AFTER = r"(?=$|[\s\-.,:;!?'\")}\]])"
_CODE = re.compile(_BORDER_BEFORE + r"[~=](\S(?:.*?\S)?)[~=]" + _BORDER_AFTER)
_ITALIC = re.compile(_BORDER_BEFORE + r"/([^\s/](?:[^/\n]*?[^\s/])?)/" + _BORDER_AFTER)
_BOLD = re.compile(_BORDER_BEFORE + r"\*([^\s*](?:[^*\n]*?[^\s*])?)\*" + _BORDER_AFTER)
_STRIKE = re.compile(_BORDER_BEFORE + r"\+([^\s+](?:[^+\n]*?[^\s+])?)\+" + _BORDER_AFTER)
_FENCED_BLOCKS = ("src", "example")
_QUOTE_BLOCKS = ("quote", "verse")
_HEADING_SIGNS = re.compile(r"^\*+ \S", re.M)
_ORG_SIGNS = re.compile(r"^\s*#\+(?:title|begin_src|begin_example|startup|options|author):", re.I | re.M)


def looks_like_org(text: str) -> bool:
    """A text that is Org without saying so by its name: ``#+TITLE:``-style settings and star headings."""
    head = text[:20_000]
    return bool(_ORG_SIGNS.search(head)) and len(_HEADING_SIGNS.findall(head)) >= 2


def inline(text: str) -> str:
    """Org inline markup as Markdown: ``~code~``, ``=verbatim=``, ``*bold*``, ``/italic/``, links."""
    text = _LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})" if m.group(2) else f"<{m.group(1)}>", text)
    text = _TIMESTAMP.sub(r"\1", text)
    pieces = re.split(r"(`[^`]*`)", _CODE.sub(lambda m: f"`{m.group(1)}`", text))
    for i in range(0, len(pieces), 2):  # not inside code spans
        piece = _BOLD.sub(r"**\1**", pieces[i])
        piece = _ITALIC.sub(r"*\1*", piece)
        pieces[i] = _STRIKE.sub(r"~~\1~~", piece)
    return "".join(pieces)


def _heading(title: str) -> tuple[str, str | None]:
    """A heading's text without priority, cookie and tags, and its task state (open, done or None)."""
    state = None
    keyword = _KEYWORD.match(title)
    if keyword:
        state = "done" if keyword.group(1) in _DONE_WORDS else "open"
        title = title[keyword.end() :]
    title = _PRIORITY.sub("", title)
    title = _TAGS.sub("", _COOKIE.sub("", title))
    return title.strip(), state


def to_markdown(text: str) -> str:
    """The Org text as Markdown, one output line per input line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = [""] * len(lines)
    has_title = any((m := _SETTING.match(line)) and m.group(1).lower() == "title" for line in lines[:40])
    shift = 1 if has_title else 0
    block: str | None = None
    fence_indent = ""  # a block inside a list item keeps the item's indentation
    in_drawer = False
    skip_level = 0  # inside a COMMENT subtree of this level
    task_indent = ""  # the body of a task heading is indented under its list item
    for i, line in enumerate(lines):
        if block is not None:
            end = _BLOCK_END.match(line)
            if end and end.group(1).lower() == block:
                out[i] = fence_indent + "```" if block in _FENCED_BLOCKS else ""
                block = None
            elif block in _FENCED_BLOCKS:
                out[i] = task_indent + line
            elif block in _QUOTE_BLOCKS:
                out[i] = task_indent + "> " + inline(line.strip())
            else:
                out[i] = task_indent + inline(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if skip_level and level > skip_level:
                continue
            skip_level = 0
            title, state = _heading(heading.group(2))
            if title.startswith("COMMENT"):
                skip_level = level
                continue
            if state is not None:
                mark = "x" if state == "done" else " "
                out[i], task_indent = f"- [{mark}] {inline(title)}", "  "
            else:
                out[i], task_indent = "#" * min(6, level + shift) + " " + inline(title), ""
            continue
        if skip_level:
            continue
        out[i] = _body_line(line, i, lines, task_indent, out)
        if in_drawer or _DRAWER_START.match(line):
            in_drawer = not _DRAWER_END.match(line)
            out[i] = ""
            continue
        begin = _BLOCK_BEGIN.match(line)
        if begin:
            block = begin.group(2).lower()
            language = begin.group(3) if block == "src" else ""
            fence_indent = task_indent + begin.group(1)
            out[i] = fence_indent + "```" + language if block in _FENCED_BLOCKS else ""
    return "\n".join(out)


def _body_line(line: str, i: int, lines: list[str], task_indent: str, out: list[str]) -> str:
    """One line outside headings and blocks: settings, comments, checkboxes, tables, markup."""
    setting = _SETTING.match(line)
    if setting:
        return f"# {inline(setting.group(2).strip())}" if setting.group(1).lower() == "title" else ""
    if _COMMENT_LINE.match(line) or _PLANNING.match(line):
        return ""
    rule = _TABLE_RULE.match(line)
    if rule:
        return task_indent + rule.group(1) + "|" + line.strip().strip("|").replace("+", "|") + "|"
    line = _CHECKBOX.sub(lambda m: m.group(1) + ("[x]" if m.group(2) in "Xx" else "[ ]"), line)
    line = _STAR_BULLET.sub(r"\1-\2", line)
    if _LIST_ITEM.match(line):
        line = _TAGS.sub("", line)  # ":ilse:" after an item: Org tags used as an owner mark
    if task_indent and line.strip() and not line.startswith(" "):
        line = task_indent + line
    return inline(line) if line.strip() else ""


def convert(text: str) -> Converted:
    return Converted(to_markdown(text), {"format": "org", "line_basis": "source"})
