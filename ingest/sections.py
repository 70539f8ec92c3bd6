"""Turn a Markdown body into a flat list of blocks, each tagged with its heading path.

markdown-it-py (CommonMark + tables) does the parsing; this module only walks the token
stream and keeps, for every block, the plain text, the 1-based line range in the ORIGINAL
file and the chain of headings above it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.admonitions import unfold_admonitions
from ingest.budget import check, install_markdown_checks
from ingest.roles import role_by_meaning
from ingest.vocabulary import IMPERATIVE_VERBS, SECTION_ROLES

_BOLD_FIELD = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,60}?)(?:\*\*|__)\s*:?\s*(.*)$", re.DOTALL)
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_WS = re.compile(r"[ \t\u00a0]+")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    return install_markdown_checks(md)


@dataclass(slots=True)
class Text:
    """Plain text plus a map from character offsets to original line numbers."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def add_line_mark(self, line: int) -> None:
        if self.offsets and self.offsets[-1] == len(self.text):
            self.lines[-1] = line
            return
        self.offsets.append(len(self.text))
        self.lines.append(line)

    def line_at(self, offset: int) -> int:
        if not self.offsets:
            return 0
        i = bisect_right(self.offsets, offset) - 1
        return self.lines[max(i, 0)]


@dataclass(slots=True)
class Heading:
    title: str
    level: int
    line_start: int
    line_end: int


@dataclass(slots=True)
class Block:
    """One leaf of the document: a paragraph, list item, table row, heading or code block."""

    type: str  # paragraph | item | row | heading | code | html
    text: Text
    line_start: int
    line_end: int
    path: tuple[str, ...]  # heading titles from the top, the nearest last
    levels: tuple[int, ...]
    field_label: str | None = None  # active bold-label field (MoJ "**Review actions**:" style)
    depth: int = 0  # list nesting depth of an item (0 = top level)
    parent: int | None = None  # index of the parent item block
    children: list[int] = field(default_factory=list)
    ordered: bool = False
    in_quote: bool = False
    cells: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    table_id: int = -1
    code_spans: list[str] = field(default_factory=list)
    bold_label: str | None = None
    raw: str = ""


@dataclass(slots=True)
class Outline:
    blocks: list[Block]
    headings: list[Heading]
    lines: list[str]  # original file lines (index 0 = line 1)


def _render_inline(tok: Token, first_line: int, out: Text, code_spans: list[str]) -> None:
    """Append the plain text of an inline token to ``out``; links keep their text."""
    line = first_line
    out.add_line_mark(line)
    for child in tok.children or []:
        t = child.type
        if t == "text":
            out.text += child.content
        elif t == "code_inline":
            out.text += child.content
            code_spans.append(child.content)
        elif t in ("softbreak", "hardbreak"):
            out.text += " "
            line += 1
            out.add_line_mark(line)
        elif t == "image":
            out.text += child.content or ""
        elif t == "html_inline" and child.content.lower().startswith("<br"):
            # <br> acts as a space, other inline HTML is dropped
            out.text += " "
        # link_open/close, strong/em markers: dropped, their text children are kept


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


# a paragraph that is one short bold line ("**Root cause**", "**Next steps:**") between blank lines:
# templates and status pages use it as a heading; a bold sentence ("**Do not X.**") stays emphasis
# A word processor's numbered heading keeps its number inside the bold ("**4. Root cause**"): the
# number is left out of the heading's name.
_BOLD_LINE = re.compile(
    r"^(?:\*\*|__)(?:\d{1,2}(?:\.\d{1,2})*[.)]?\s+)?([A-Za-z][^*_\n.!?]{1,58}?)(?:\*\*|__)\s*:?\s*$"
)
# the same with no markup, closed by a colon ("Lessons learned:", "Action items:"): exports from
# word processors and plain-text templates. A lead-in of a list ("Encourage authors to:", "Run the
# following:", "For example:") is no heading: it ends on a word that needs what follows, or opens
# on an instruction or an example marker.
_LABEL_LINE = re.compile(
    r"^(?!(?i:for example|e\.g|example|such as|note|here|these|this|the following|including|see|"
    r"it|we|you|they)\b)"
    # a sentence ("Advisories must include additional fields:"), unless it asks ("What will be done:")
    r"(?!(?!(?i:what|how|why|where|who)\b).*\b(?i:must|should|shall|will|would|can|could|may|might|"
    r"needs?|is|are|was|were|has|have|had|do|does)\b)"
    r"([A-Z][A-Za-z0-9 /&'’()-]{1,58}?)\s*:\s*$"
)
_LEAD_IN_END = re.compile(
    r"\b(?:to|by|that|the|an?|following|with|for|of|and|or|as|like|includes?|are|is|be|should|must|will|"
    r"can|these|this|below|from|in|on|into|via|using|run|use)$",
    re.I,
)
# a plain label is a section name, shorter than a bold one ("Common root causes for cloud-native
# ransomware:" leads a runbook's list)
LABEL_HEADING_MAX_WORDS = 5
_FENCE_MARK = re.compile(r"^\s{0,3}(?:```|~~~)")
_SUBHEADING = re.compile(r"^\s{0,3}#{2,6}\s|^\s{0,3}(?:-{3,}|={3,})\s*$")


def _names_section(label: str) -> bool:
    """Whether a plain label names a section of a template, by a known name or by meaning."""
    if any(re.search(p, label, re.I) for p, _ in SECTION_ROLES):
        return True
    return role_by_meaning(label) is not None


BOLD_HEADING_MAX_WORDS = 6


def bold_lines_as_headings(body: str) -> str:
    """Turn stand-alone bold lines, and plain labels that name a known section ("Lessons learned:")
    in a document with no headings of its own, into level-6 headings (line count kept, so line
    numbers hold)."""
    lines = body.split("\n")
    # plain labels stand for headings only in a document that has no headings of its own below
    # its title: where it has them, a label line leads a list or names a field
    labels = not any(_SUBHEADING.match(line) for line in lines)
    fenced = False
    for i, line in enumerate(lines):
        if _FENCE_MARK.match(line):
            fenced = not fenced
            continue
        m = None if fenced else _BOLD_LINE.match(line)
        plain = False
        if m is None and not fenced and labels:
            m = _LABEL_LINE.match(line)
            plain = m is not None
            if m and (
                len(m.group(1).split()) > LABEL_HEADING_MAX_WORDS
                or _LEAD_IN_END.search(m.group(1))
                or m.group(1).split()[0].lower() in IMPERATIVE_VERBS
                or not _names_section(m.group(1))
            ):
                m = None
        if not m or len(m.group(1).split()) > BOLD_HEADING_MAX_WORDS:
            continue
        before = lines[i - 1].strip() if i else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        # a plain label may close a list item's lines: in a plain-text template it starts a section
        if (not before or (plain and before.startswith(("- ", "* ", "+ ")))) and (
            not after or after.startswith(("- ", "* ", "+ ")) or after[:2].rstrip(".").isdigit()
        ):
            lines[i] = "###### " + m.group(1).strip().rstrip(":")
    return "\n".join(lines)


def build_outline(body: str, *, offset: int, original_lines: list[str], title_hint: str) -> Outline:
    """Parse ``body`` (which starts at original line ``offset + 1``) into blocks."""
    md = _markdown()
    tokens = md.parse(unfold_admonitions(bold_lines_as_headings(body)))
    blocks: list[Block] = []
    headings: list[Heading] = []
    path: list[str] = []
    levels: list[int] = []
    field_name: str | None = None
    field_list = -1  # id of the list holding the field's own bullet
    list_ids: list[int] = []
    list_counter = 0
    # stacks
    item_stack: list[int] = []  # block indexes of open list items
    list_ordered: list[bool] = []
    quote_depth = 0
    table_counter = 0
    table_header: list[str] = []
    row_cells: list[str] | None = None
    row_start = 0
    row_end = 0
    row_spans: list[str] = []
    in_thead = False

    def orig(line0: int) -> int:
        return line0 + offset + 1

    i = 0
    n = len(tokens)
    while i < n:
        check()
        tok = tokens[i]
        t = tok.type
        if t == "heading_open":
            level = int(tok.tag[1]) if len(tok.tag) == 2 and tok.tag[1].isdigit() else 6
            inline = tokens[i + 1] if i + 1 < n else None
            text = Text()
            spans: list[str] = []
            if inline is not None and inline.type == "inline":
                _render_inline(inline, orig(tok.map[0]) if tok.map else 0, text, spans)
            title = _clean(text.text) or title_hint
            while levels and levels[-1] >= level:
                levels.pop()
                path.pop()
            path.append(title)
            levels.append(level)
            start = orig(tok.map[0]) if tok.map else 0
            end = orig(tok.map[1] - 1) if tok.map else start
            headings.append(Heading(title, level, start, end))
            blocks.append(
                Block(
                    type="heading",
                    text=text,
                    line_start=start,
                    line_end=end,
                    path=tuple(path),
                    levels=tuple(levels),
                    code_spans=spans,
                )
            )
            field_name = None
            field_list = -1
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            list_ordered.append(t == "ordered_list_open")
            list_counter += 1
            list_ids.append(list_counter)
        elif t in ("bullet_list_close", "ordered_list_close"):
            if list_ordered:
                list_ordered.pop()
            if list_ids:
                list_ids.pop()
        elif t == "list_item_open":
            parent = item_stack[-1] if item_stack else None
            depth = len(item_stack)
            start = orig(tok.map[0]) if tok.map else 0
            if field_name is not None and list_ids and list_ids[-1] == field_list:
                # a sibling of the field's own bullet ends the field
                field_name = None
                field_list = -1
            blk = Block(
                type="item",
                text=Text(),
                line_start=start,
                line_end=start,
                path=tuple(path),
                levels=tuple(levels),
                field_label=field_name,
                depth=depth,
                parent=parent,
                ordered=bool(list_ordered and list_ordered[-1]),
                in_quote=quote_depth > 0,
            )
            blocks.append(blk)
            idx = len(blocks) - 1
            if parent is not None:
                blocks[parent].children.append(idx)
            item_stack.append(idx)
        elif t == "list_item_close":
            if item_stack:
                item_stack.pop()
        elif t == "blockquote_open":
            quote_depth += 1
        elif t == "blockquote_close":
            quote_depth = max(0, quote_depth - 1)
        elif t == "table_open":
            table_counter += 1
            table_header = []
        elif t == "thead_open":
            in_thead = True
        elif t == "thead_close":
            in_thead = False
        elif t == "tr_open":
            row_cells = []
            row_spans = []
            row_start = orig(tok.map[0]) if tok.map else 0
            row_end = orig(tok.map[1] - 1) if tok.map else row_start
        elif t == "tr_close":
            cells = row_cells or []
            if in_thead:
                table_header = cells
            else:
                txt = Text()
                txt.add_line_mark(row_start)
                txt.text = " | ".join(cells)
                blocks.append(
                    Block(
                        type="row",
                        text=txt,
                        line_start=row_start,
                        line_end=row_end,
                        path=tuple(path),
                        levels=tuple(levels),
                        field_label=field_name,
                        cells=cells,
                        header=list(table_header),
                        table_id=table_counter,
                        code_spans=row_spans,
                        in_quote=quote_depth > 0,
                    )
                )
            row_cells = None
        elif t == "inline" and row_cells is not None:
            txt = Text()
            _render_inline(tok, row_start, txt, row_spans)
            row_cells.append(_clean(txt.text))
        elif t == "inline":
            start = orig(tok.map[0]) if tok.map else 0
            end = orig(tok.map[1] - 1) if tok.map else start
            if item_stack:
                blk = blocks[item_stack[-1]]
                if blk.text.text:
                    blk.text.text += " "
                _render_inline(tok, start, blk.text, blk.code_spans)
                first = not blk.raw
                blk.line_end = max(blk.line_end, end)
                blk.raw = tok.content if first else blk.raw + "\n" + tok.content
                m = _BOLD_FIELD.match(tok.content) if first else None
                if m:
                    blk.bold_label = _clean(m.group(1)).rstrip(":")
                    if blk.depth == 0:
                        # MoJ style: a top-level bullet "**Review actions**:" opens a field
                        field_name = blk.bold_label
                        field_list = list_ids[-1] if list_ids else -1
                        blk.field_label = None
            else:
                txt = Text()
                spans = []
                _render_inline(tok, start, txt, spans)
                blk = Block(
                    type="paragraph",
                    text=txt,
                    line_start=start,
                    line_end=end,
                    path=tuple(path),
                    levels=tuple(levels),
                    field_label=field_name,
                    in_quote=quote_depth > 0,
                    code_spans=spans,
                    raw=tok.content,
                )
                m = _BOLD_FIELD.match(tok.content)
                if m:
                    blk.bold_label = _clean(m.group(1)).rstrip(":")
                blocks.append(blk)
        elif t in ("fence", "code_block"):
            start = orig(tok.map[0]) if tok.map else 0
            end = orig(tok.map[1] - 1) if tok.map else start
            blocks.append(
                Block(
                    type="code",
                    text=Text(text=tok.content),
                    line_start=start,
                    line_end=end,
                    path=tuple(path),
                    levels=tuple(levels),
                    field_label=field_name,
                    parent=item_stack[-1] if item_stack else None,
                )
            )
        elif t == "html_block":
            start = orig(tok.map[0]) if tok.map else 0
            end = orig(tok.map[1] - 1) if tok.map else start
            blocks.append(
                Block(
                    type="html",
                    text=Text(text=tok.content),
                    line_start=start,
                    line_end=end,
                    path=tuple(path),
                    levels=tuple(levels),
                    field_label=field_name,
                )
            )
        i += 1
    for blk in blocks:
        blk.text.text = _WS.sub(" ", blk.text.text)
    return Outline(blocks=blocks, headings=headings, lines=original_lines)


def is_bare_link(text: str) -> bool:
    return bool(_BARE_URL.match(text.strip()))
