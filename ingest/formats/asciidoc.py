"""AsciiDoc -> Markdown, line for line, so every lesson keeps the line it has in the source.

No maintained Python library parses AsciiDoc (the reference is Ruby's Asciidoctor), and the
subset postmortems, proposals and runbooks use maps onto Markdown directly: section titles
(``= Title``, ``== Section``), lists (``*``, ``-``, ``.``, nested by repeated markers, checklists),
description lists (``term:: text``), admonitions (``NOTE:`` and ``[WARNING]`` blocks), listing and
literal blocks (fenced code), tables (``|===``), inline bold, italic, links and cross references.
Attribute entries, anchors, block attributes, comments, includes and images leave blank lines, so
the Markdown has exactly the source's line count (a table's header row moves up one line to make
room for Markdown's delimiter row; the lines after it do not move). A table of action items (an
action or task column beside an owner, due date or status) becomes a task list, as in HTML.
"""

from __future__ import annotations

import re

from ingest.budget import check
from ingest.formats.base import Converted
from ingest.formats.html import DONE as _DONE
from ingest.formats.html import action_columns

_TITLE = re.compile(r"^(={1,6})\s+(\S.*?)\s*(?:=+\s*)?$")
_MD_TITLE = re.compile(r"^(#{1,6})\s+(\S.*)$")
_ATTRIBUTE = re.compile(r"^:!?[\w-]+!?:(?:\s.*)?$")
_ANCHOR = re.compile(r"^\[\[[^\]]*\]\]\s*$|^\[#[^\]]*\]\s*$")
_BLOCK_ATTR = re.compile(r"^\[(?:[^\]]*)\]\s*$")
_ADMONITION_BLOCK = re.compile(r"^\[(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$")
_ADMONITION = re.compile(r"^(NOTE|TIP|IMPORTANT|WARNING|CAUTION):\s+(.*)$")
_BLOCK_TITLE = re.compile(r"^\.([^\s.].*)$")
_UNORDERED = re.compile(r"^(\*{1,5}|-)\s+(.*)$")
_ORDERED = re.compile(r"^(\.{1,5})\s+(.*)$")
_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
_DESCRIPTION = re.compile(r"^(.+?)(::|;;|:::)\s*(.*)$")
_DIRECTIVE = re.compile(r"^(?:include|image|ifdef|ifndef|ifeval|endif|toc|video|audio)::")
_LISTING = ("----", "....", "```")
_PLAIN_DELIMS = ("====", "****", "____", "--", "++++")
_LINK = re.compile(r"(?:link:)?(https?://[^\s\[]+)\[([^\]]*)\]")
_XREF = re.compile(r"xref:([^\[\s]+)\[([^\]]*)\]")
_XREF_ANGLE = re.compile(r"<<([^,>]+)(?:,\s*([^>]+))?>>")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_MONO_PLUS = re.compile(r"`\+([^`]*)\+`|(?<![\w+])\+(?!\s)([^+\n]+?)(?<!\s)\+(?![\w+])")
_ATTR_REF = re.compile(r"\{([\w-]+)\}")


def _inline(text: str, attributes: dict[str, str]) -> str:
    text = _ATTR_REF.sub(lambda m: attributes.get(m.group(1), m.group(0)), text)
    text = _LINK.sub(lambda m: f"[{m.group(2) or m.group(1)}]({m.group(1)})", text)
    text = _XREF.sub(lambda m: m.group(2) or m.group(1).rsplit("/", 1)[-1].removesuffix(".adoc"), text)
    text = _XREF_ANGLE.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)
    text = _MONO_PLUS.sub(lambda m: f"`{m.group(1) if m.group(1) is not None else m.group(2)}`", text)
    text = _BOLD.sub(r"**\1**", text)
    return _ITALIC.sub(r"*\1*", text)


def _table_cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:]] if line.startswith("|") else []


class _Table:
    def __init__(self) -> None:
        self.columns = 0
        self.pending: list[str] = []
        self.rows = 0
        # an action-item table (as the HTML converter finds them): (action column, status column)
        self.actions: tuple[int, int | None] | None = None
        self.deferred = 0  # blank lines owed after the table (see _Converter._blank)


class _Converter:
    """The state of one pass: open blocks, the table being read, attributes defined so far."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.attributes: dict[str, str] = {}
        self.fence: str | None = None  # the delimiter of the open listing/literal block
        self.comment = False
        self.admonition: str | None = None  # a [NOTE] block's label, until its delimited block ends
        self.admonition_delim: str | None = None
        self.table: _Table | None = None

    def inline(self, text: str) -> str:
        return _inline(text, self.attributes)

    def feed(self, raw: str) -> None:
        line = raw.rstrip()
        if self.comment:
            self.comment = line != "////"
            self.out.append("")
        elif self.fence is not None:
            if line == self.fence:
                self.fence = None
            self.out.append("```" if self.fence is None else raw)
        elif line == "////":
            self.comment = True
            self.out.append("")
        elif self.table is not None:
            self._table_line(line)
        elif not self._block_line(line):
            self.out.append(self._text_line(line))

    def _blank(self, table: _Table) -> None:
        if table.rows and table.actions is None:
            table.deferred += 1
        else:
            self.out.append("")

    def _table_line(self, line: str) -> None:
        """One line of a ``|===`` table. The opening delimiter wrote nothing, so the header row
        takes two lines (the row and Markdown's delimiter row) and every later line keeps its
        number; the closing delimiter is a blank line, which ends the Markdown table."""
        table = self.table
        assert table is not None
        if line == "|===":
            self.table = None
            self.out += [""] * table.deferred + ([""] if table.rows else ["", ""])
            return
        cells = _table_cells(line)
        # a blank line would end the Markdown table: after its header, the blanks between rows
        # (and the lines of a row written one cell a line) are written after the table instead
        if not cells and not line:
            self._blank(table)
            return
        if table.rows == 0 and not table.columns:
            table.columns = max(len(cells), 1)
        table.pending += cells if cells else [line]
        if len(table.pending) < table.columns:
            self._blank(table)
            return
        cells, table.pending = table.pending[: table.columns], table.pending[table.columns :]
        table.rows += 1
        if table.rows == 1:
            table.actions = action_columns(cells)
            if table.actions is not None:
                self.out += ["", ""]  # an action-item table becomes a task list: no header
            else:
                self.out += [
                    "| " + " | ".join(self.inline(c) for c in cells) + " |",
                    "|" + " --- |" * table.columns,
                ]
            return
        if table.actions is not None:  # one task per row, on the row's own line
            action, status = table.actions
            done = status is not None and status < len(cells) and bool(_DONE.match(cells[status]))
            text = self.inline(cells[action]) if action < len(cells) else ""
            self.out.append(f"- [{'x' if done else ' '}] {text}" if text else "")
            return
        self.out.append("| " + " | ".join(self.inline(c) for c in cells) + " |")

    def _block_line(self, line: str) -> bool:
        """Delimiters, attributes and other lines that leave a blank line (or a fence): True if handled."""
        out = self.out
        if line.startswith("//"):
            out.append("")
        elif line == "|===":
            self.table = _Table()  # no line: see _table_line
        elif line in _LISTING:
            self.fence = line
            out.append("```")
        elif self.admonition_delim is not None and line == self.admonition_delim:
            self.admonition = self.admonition_delim = None
            out.append("")
        elif line in _PLAIN_DELIMS:
            if self.admonition is not None and self.admonition_delim is None:
                self.admonition_delim = line
            out.append("")
        elif _ATTRIBUTE.match(line) and all(not o.strip() or o.startswith("# ") for o in out):
            name, _, value = line[1:].partition(":")
            self.attributes[name.strip("!")] = value.strip()
            out.append("")
        elif _ANCHOR.match(line) or _DIRECTIVE.match(line) or line == "+":
            out.append("")
        elif am := _ADMONITION_BLOCK.match(line):
            self.admonition = am.group(1).capitalize()
            out.append("")
        elif _BLOCK_ATTR.match(line):
            out.append("")
        else:
            return False
        return True

    def _text_line(self, line: str) -> str:
        if tm := _TITLE.match(line):
            return "#" * len(tm.group(1)) + " " + self.inline(tm.group(2))
        if _MD_TITLE.match(line):  # Markdown-style headings are valid AsciiDoc too
            return line
        if bt := _BLOCK_TITLE.match(line):
            return f"**{self.inline(bt.group(1))}**"
        if adm := _ADMONITION.match(line):
            return f"> **{adm.group(1).capitalize()}:** {self.inline(adm.group(2))}"
        if um := _UNORDERED.match(line):
            depth = len(um.group(1)) - 1 if um.group(1) != "-" else 0
            return "  " * depth + "- " + self.inline(um.group(2))
        if om := _ORDERED.match(line):
            return "   " * (len(om.group(1)) - 1) + "1. " + self.inline(om.group(2))
        if nm := _NUMBERED.match(line):
            return f"{nm.group(1)}. {self.inline(nm.group(2))}"
        dm = _DESCRIPTION.match(line)
        if dm and len(dm.group(1)) <= 80 and "://" not in dm.group(1) and not line.startswith(" "):
            return f"- **{self.inline(dm.group(1).strip())}:** {self.inline(dm.group(3))}".rstrip()
        text = self.inline(line)
        if self.admonition is not None and line.strip():
            if self.admonition_delim is None:
                text = f"> **{self.admonition}:** {text}"
                self.admonition = None  # a [NOTE] on one paragraph
            else:
                text = f"> {text}"
        return text


def asciidoc_to_markdown(text: str) -> str:
    """Markdown with one line per source line (see the module's note on tables)."""
    converter = _Converter()
    for raw in text.replace("\r\n", "\n").split("\n"):
        check()
        converter.feed(raw)
    if converter.fence is not None:
        converter.out.append("```")
    return "\n".join(converter.out)


def convert(data: bytes, *, path: str, text: str) -> Converted:
    return Converted(asciidoc_to_markdown(text), {"format": "asciidoc", "line_basis": "source"})
