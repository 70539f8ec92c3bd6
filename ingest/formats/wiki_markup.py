"""Wiki source markup as Markdown: MediaWiki (``.mediawiki``) and DokuWiki (a page's ``.txt``).

- **MediaWiki**: ``== Heading ==`` (one ``=`` per level), ``*`` / ``#`` lists (``**`` nested,
  ``;term : definition``), ``{| ... |}`` tables (``!`` header cells, ``|-`` rows, ``||`` cells),
  ``'''bold'''`` / ``''italic''``, ``[[Page|text]]`` and ``[url text]`` links, templates
  (``{{Infobox ... | key = value}}`` becomes a key/value list, ``{{Done}}`` its word), ``<pre>``
  and ``<syntaxhighlight>`` code; ``__TOC__`` and ``<ref>`` notes go.
- **DokuWiki**: ``====== Heading ======`` (six ``=`` is the top level), lists indented by two
  spaces (``*`` bullets, ``-`` numbered), ``^ header ^`` / ``| cell |`` tables, ``**bold**``,
  ``//italic//``, ``''mono''``, ``<code>`` blocks, ``<WRAP>`` boxes (their text kept), ``{{tag>...}}``
  and images dropped.

Each reader keeps one output line per input line where it can, so lessons cite the file's lines.
"""

from __future__ import annotations

import re

from ingest.formats.base import Converted

# --- MediaWiki -----------------------------------------------------------------------------------

_MW_HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*$")
_MW_LIST = re.compile(r"^([*#:;]+)\s*(.*)$")
_MW_LINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]+)\]\]")
_MW_EXT_LINK = re.compile(r"\[(https?://\S+)(?:\s+([^\]]+))?\]")
_MW_BOLD = re.compile(r"'''(.+?)'''")
_MW_ITALIC = re.compile(r"''(.+?)''")
_MW_REF = re.compile(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>", re.S)
_MW_MAGIC = re.compile(r"__[A-Z]+__")
_MW_WORD_TEMPLATE = re.compile(r"\{\{\s*([^{}|]{1,40}?)\s*\}\}")
_MW_CODE_OPEN = re.compile(r"^\s*<(pre|syntaxhighlight|source)\b[^>]*>(.*)$", re.I)
_MW_CODE_CLOSE = re.compile(r"</(pre|syntaxhighlight|source)>", re.I)
_MW_SIGNS = re.compile(r"^==+ [^=]+ ==+\s*$|^\{\||^\|\}|'''|\[\[[^\]]+\]\]|^\{\{", re.M)


def looks_like_mediawiki(text: str) -> bool:
    head = text[:20_000]
    return len(re.findall(r"^==+ ?[^=\n]+ ?==+\s*$", head, re.M)) >= 2 and (
        "'''" in head or "{|" in head or "[[" in head
    )


def _mw_inline(text: str) -> str:
    text = _MW_REF.sub("", text)
    text = _MW_LINK.sub(r"\1", text)
    text = _MW_EXT_LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})" if m.group(2) else m.group(1), text)
    text = _MW_WORD_TEMPLATE.sub(lambda m: m.group(1), text)
    text = _MW_BOLD.sub(r"**\1**", text)
    text = _MW_ITALIC.sub(r"*\1*", text)
    text = re.sub(r"</?(?:code|tt)>", "`", text)
    return re.sub(r"<br\s*/?>", " ", text)


def _mw_table(rows: list[list[tuple[bool, str]]]) -> list[str]:
    rows = [r for r in rows if r]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    out: list[str] = []
    for i, row in enumerate(rows):
        cells = [_mw_inline(c).replace("|", "\\|") for _, c in row] + [""] * (width - len(row))
        out.append("| " + " | ".join(cells) + " |")
        if i == 0:
            out.append("|" + " --- |" * width)
    return out


def _mw_cells(line: str, header: bool) -> list[tuple[bool, str]]:
    sep = "!!" if header else "||"
    body = line[1:]
    cells = []
    for cell in re.split(re.escape(sep) if header else r"\|\|", body):
        # "style="..." | text": the attributes before a single bar are not the text
        parts = re.split(r"(?<!\[)\|(?!\])", cell, maxsplit=1) if "=" in cell.split("|")[0] else [cell]
        cells.append((header, parts[-1].strip()))
    return cells


def _mw_template(lines: list[str]) -> list[str]:
    """An infobox ``{{Name | key = value ...}}`` as a key/value list under its name."""
    text = _MW_LINK.sub(r"\1", "\n".join(lines).strip()[2:-2])  # a link's bar is not a field's
    name, *fields = re.split(r"\n?\s*\|\s*", text)
    out = [f"**{_mw_inline(name.strip())}**", ""]
    for field in fields:
        key, eq, value = field.partition("=")
        if eq and value.strip():
            out.append(f"- {key.strip().replace('_', ' ').capitalize()}: {_mw_inline(value.strip())}")
    return out


def mediawiki_to_markdown(text: str) -> str:
    """MediaWiki source as Markdown (see the module's note)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    table: list[list[tuple[bool, str]]] | None = None
    table_start = 0
    template: list[str] | None = None
    code = False
    for line in lines:
        if template is not None:
            template.append(line)
            if line.strip().endswith("}}") and "".join(template).count("{{") <= "".join(template).count("}}"):
                block = _mw_template(template)
                out += block[: len(template)] + [""] * (len(template) - len(block))
                template = None
            continue
        if code:
            closing = _MW_CODE_CLOSE.search(line)
            out.append(line[: closing.start()] if closing else line)
            if closing:
                out.append("```")
                code = False
            continue
        if table is not None:
            stripped = line.strip()
            if stripped.startswith("|}"):
                rendered = _mw_table(table)
                span = len(out) - table_start + 1
                del out[table_start:]
                out += rendered[:span] + [""] * max(0, span - len(rendered))
                out += rendered[span:]
                table = None
            elif stripped.startswith("|-") or stripped.startswith("|+"):
                table.append([])
                out.append("")
            elif stripped.startswith(("!", "|")):
                cells = _mw_cells(stripped, stripped.startswith("!"))
                if not table:
                    table.append([])
                table[-1].extend(cells)
                out.append("")
            else:
                if table and table[-1]:
                    head, last = table[-1][-1]
                    table[-1][-1] = (head, f"{last} {stripped}".strip())
                out.append("")
            continue
        opened = _MW_CODE_OPEN.match(line)
        heading = _MW_HEADING.match(line)
        listed = _MW_LIST.match(line)
        if line.strip().startswith("{|"):
            table, table_start = [], len(out)
            out.append("")
        elif line.lstrip().startswith("{{") and not line.strip().endswith("}}"):
            template = [line]
        elif line.strip().startswith("{{") and line.strip().endswith("}}") and "|" in line:
            out.append(" ".join(_mw_template([line.strip()])[2:]))
        elif opened:
            rest = opened.group(2)
            closing = _MW_CODE_CLOSE.search(rest)
            if closing:
                out.append(f"`{rest[: closing.start()]}`")
            else:
                out.append("```" + (f"\n{rest}" if rest.strip() else ""))
                code = True
        elif heading:
            out.append(f"{'#' * len(heading.group(1))} {_mw_inline(heading.group(2))}")
        elif listed and not line.startswith(":"):
            marks, body = listed.group(1), listed.group(2)
            indent = "   " * (len(marks) - 1)
            if marks[-1] == ";":
                term, _, definition = body.partition(":")
                out.append(f"{indent}- **{_mw_inline(term.strip())}**: {_mw_inline(definition.strip())}")
            elif marks[-1] == "#":
                out.append(f"{indent}1. {_mw_inline(body)}")
            else:
                out.append(f"{indent}- {_mw_inline(body)}")
        else:
            out.append(_mw_inline(_MW_MAGIC.sub("", line.lstrip(":"))))
    if code:
        out.append("```")
    if table is not None:
        out += _mw_table(table)
    if template is not None:
        out += _mw_template([*template, "}}"])
    return "\n".join(out)


def mediawiki(text: str) -> Converted:
    return Converted(mediawiki_to_markdown(text), {"format": "mediawiki"})


# --- DokuWiki ------------------------------------------------------------------------------------

_DW_HEADING = re.compile(r"^\s*(={2,6})\s*(.+?)\s*\1\s*$")
_DW_LIST = re.compile(r"^((?:  |\t)+)([*-])\s*(.*)$")
_DW_LINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]+)\]\]")
_DW_MEDIA = re.compile(r"\{\{[^{}]*\}\}")
_DW_ITALIC = re.compile(r"(?<!:)//(.+?)(?<!:)//")
_DW_MONO = re.compile(r"''(.+?)''")
_DW_WRAP = re.compile(r"</?WRAP[^>]*>", re.I)
_DW_CODE = re.compile(r"<(code|file)\b[^>]*>", re.I)
_DW_CODE_END = re.compile(r"</(code|file)>", re.I)
# the Do plugin's task: <todo done @owner #2026-12-15>text</todo>
_DW_TODO = re.compile(r"^\s*<todo\b([^>]*)>(.*?)</todo>\s*$", re.I)


def looks_like_dokuwiki(text: str) -> bool:
    head = text[:20_000]
    headings = re.findall(r"^\s*(={2,6})\s*[^=\n]+?\s*\1\s*$", head, re.M)
    signs = len(re.findall(r"^  [*-] |''[^'\n]+''|<code|<WRAP|\{\{[^}]+\}\}|^\^.*\^\s*$", head, re.M))
    return len(headings) >= 2 and signs >= 2 and any(len(h) >= 4 for h in headings)


def _dw_inline(text: str) -> str:
    text = _DW_LINK.sub(r"\1", text)
    text = _DW_MEDIA.sub("", text)
    text = _DW_WRAP.sub("", text)
    text = _DW_MONO.sub(r"`\1`", text)
    return _DW_ITALIC.sub(r"*\1*", text)


def dokuwiki_to_markdown(text: str) -> str:
    """DokuWiki source as Markdown (see the module's note)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    code = False
    header_done = False
    for line in lines:
        if code:
            closing = _DW_CODE_END.search(line)
            if closing:
                out.append(line[: closing.start()] + "\n```" if line[: closing.start()].strip() else "```")
                code = False
                out[-1] += (" " + _dw_inline(line[closing.end() :])) if line[closing.end() :].strip() else ""
            else:
                out.append(line)
            continue
        opened = _DW_CODE.search(line)
        if opened and not _DW_CODE_END.search(line, opened.end()):
            before = line[: opened.start()]
            rest = line[opened.end() :]
            out.append(_dw_inline(before) + "\n```" + (f"\n{rest}" if rest.strip() else ""))
            code = True
            continue
        heading = _DW_HEADING.match(line)
        listed = _DW_LIST.match(line)
        todo = _DW_TODO.match(line)
        stripped = line.strip()
        if todo:
            box = "[x]" if re.search(r"\bdone\b", todo.group(1), re.I) else "[ ]"
            out.append(f"- {box} {_dw_inline(todo.group(2))}")
        elif heading:
            out.append(f"{'#' * (7 - len(heading.group(1)))} {_dw_inline(heading.group(2))}")
            header_done = False
        elif listed:
            depth = len(listed.group(1).replace("\t", "  ")) // 2 - 1
            mark = "1." if listed.group(2) == "-" else "-"
            out.append(f"{'   ' * depth}{mark} {_dw_inline(listed.group(3))}")
        elif stripped.startswith(("^", "|")) and stripped.endswith(("^", "|")) and len(stripped) > 1:
            cells = [c.strip() for c in re.split(r"[\^|]", stripped[1:-1])]
            row = "| " + " | ".join(_dw_inline(c) for c in cells) + " |"
            if not header_done:
                row += "\n|" + " --- |" * len(cells)
                header_done = True
            out.append(row)
        else:
            header_done = header_done and bool(stripped)
            out.append(_dw_inline(line))
    if code:
        out.append("```")
    return "\n".join(out)


def dokuwiki(text: str) -> Converted:
    return Converted(dokuwiki_to_markdown(text), {"format": "dokuwiki"})
