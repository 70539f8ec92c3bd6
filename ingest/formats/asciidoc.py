"""AsciiDoc -> Markdown, line for line, so every lesson keeps the line it has in the source.

No maintained Python library parses AsciiDoc (the reference is Ruby's Asciidoctor), and the
subset postmortems, proposals and runbooks use maps onto Markdown directly: section titles
(``= Title``, ``== Section``), lists (``*``, ``-``, ``.``, nested by repeated markers, checklists),
description lists (``term:: text``), admonitions (``NOTE:`` and ``[WARNING]`` blocks), listing and
literal blocks (fenced code), tables (``|===``), inline bold, italic, links and cross references.
Attribute entries, anchors, block attributes, comments, includes and images leave blank lines, so
the Markdown has exactly the source's line count (a table gains its delimiter row and loses its
closing fence: the lines after it do not move).
"""

from __future__ import annotations

import re

from ingest.budget import check
from ingest.formats.base import Converted

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


def asciidoc_to_markdown(text: str) -> str:
    """Markdown with one line per source line (see the module's note on tables)."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    attributes: dict[str, str] = {}
    fence: str | None = None  # the delimiter of the open listing/literal block
    comment = False
    admonition: str | None = None  # a [NOTE] block's label, until its delimited block ends
    admonition_delim: str | None = None
    table: _Table | None = None
    for raw in lines:
        check()
        line = raw.rstrip()
        if comment:
            comment = line != "////"
            out.append("")
            continue
        if fence is not None:
            if line == fence:
                fence = None
                out.append("```")
            else:
                out.append(raw)
            continue
        if line == "////":
            comment = True
            out.append("")
            continue
        if table is not None:
            if line == "|===":
                table = None
                continue  # the delimiter row added after the header evens the count
            cells = _table_cells(line)
            if not cells and not line:
                out.append("")
                continue
            if table.rows == 0 and not table.columns:
                table.columns = max(len(cells), 1)
            table.pending += cells if cells else [line]
            if len(table.pending) >= table.columns:
                row = "| " + " | ".join(_inline(c, attributes) for c in table.pending[: table.columns]) + " |"
                table.pending = table.pending[table.columns :]
                out.append(row)
                if table.rows == 0:
                    out.append("|" + " --- |" * table.columns)
                table.rows += 1
            else:
                out.append("")
            continue
        if line.startswith("//"):
            out.append("")
            continue
        if line == "|===":
            table = _Table()
            out.append("")
            continue
        if line in _LISTING:
            fence = line
            out.append("```")
            continue
        if admonition_delim is not None and line == admonition_delim:
            admonition = admonition_delim = None
            out.append("")
            continue
        if line in _PLAIN_DELIMS:
            if admonition is not None and admonition_delim is None:
                admonition_delim = line
            out.append("")
            continue
        m = _ATTRIBUTE.match(line)
        if (m and not out) or (m and all(not o.strip() or o.startswith("# ") for o in out)):
            name, _, value = line[1:].partition(":")
            attributes[name.strip("!")] = value.strip()
            out.append("")
            continue
        if _ANCHOR.match(line) or _DIRECTIVE.match(line) or line == "+":
            out.append("")
            continue
        if am := _ADMONITION_BLOCK.match(line):
            admonition = am.group(1).capitalize()
            out.append("")
            continue
        if _BLOCK_ATTR.match(line):
            out.append("")
            continue
        if tm := _TITLE.match(line):
            out.append("#" * len(tm.group(1)) + " " + _inline(tm.group(2), attributes))
            continue
        if _MD_TITLE.match(line):  # Markdown-style headings are valid AsciiDoc too
            out.append(line)
            continue
        if bt := _BLOCK_TITLE.match(line):
            out.append(f"**{_inline(bt.group(1), attributes)}**")
            continue
        if adm := _ADMONITION.match(line):
            out.append(f"> **{adm.group(1).capitalize()}:** {_inline(adm.group(2), attributes)}")
            continue
        if um := _UNORDERED.match(line):
            depth = len(um.group(1)) - 1 if um.group(1) != "-" else 0
            out.append("  " * depth + "- " + _inline(um.group(2), attributes))
            continue
        if om := _ORDERED.match(line):
            out.append("   " * (len(om.group(1)) - 1) + "1. " + _inline(om.group(2), attributes))
            continue
        if nm := _NUMBERED.match(line):
            out.append(f"{nm.group(1)}. {_inline(nm.group(2), attributes)}")
            continue
        dm = _DESCRIPTION.match(line)
        if dm and len(dm.group(1)) <= 80 and "://" not in dm.group(1) and not line.startswith(" "):
            term, rest = _inline(dm.group(1).strip(), attributes), _inline(dm.group(3), attributes)
            out.append(f"- **{term}:** {rest}".rstrip())
            continue
        text_line = _inline(line, attributes)
        if admonition is not None and line.strip():
            text_line = f"> **{admonition}:** {text_line}" if admonition_delim is None else f"> {text_line}"
            if admonition_delim is None:
                admonition = None  # a [NOTE] on one paragraph
        out.append(text_line)
    if fence is not None:
        out.append("```")
    return "\n".join(out)


def convert(data: bytes, *, path: str, text: str) -> Converted:
    return Converted(asciidoc_to_markdown(text), {"format": "asciidoc", "line_basis": "source"})
