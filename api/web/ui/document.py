"""A stored document as HTML: rendered by markdown-it, sanitized by nh3 (ammonia), with the
blocks its records came from highlighted and the sections that yielded no record marked.

Records cite lines of the original file; the stored body is the file after its front matter.
The facade does not keep how many lines the front matter took, so ``body_offset`` finds the
shift that best lines the records' statements up with the body (every record of a document
shares it, so a handful of records settle it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_FRONT_MATTER_LINES = 120
_WORD = re.compile(r"[a-z0-9]{3,}")

HIGHLIGHTED = frozenset(
    {"paragraph_open", "list_item_open", "heading_open", "tr_open", "fence", "code_block"}
)


@dataclass(frozen=True, slots=True)
class Cited:
    """One record's place in its document: original file lines, 1-based and inclusive."""

    id: int
    start: int
    end: int
    statement: str


@dataclass(slots=True)
class Section:
    title: str
    line: int  # original file line of the heading
    records: list[int] = field(default_factory=list)
    has_text: bool = False


@dataclass(slots=True)
class Rendered:
    html: str
    sections: list[Section]

    @property
    def empty_sections(self) -> list[Section]:
        return [s for s in self.sections if s.has_text and not s.records]


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def body_offset(body_lines: Sequence[str], cited: Sequence[Cited]) -> int:
    """Lines before the body in the original file (the front matter), 0 when nothing is cited."""
    usable = [c for c in cited if c.start > 0 and _words(c.statement)]
    if not usable:
        return 0
    best, best_score = 0, -1.0
    for offset in range(min(MAX_FRONT_MATTER_LINES, min(c.start for c in usable))):
        score = 0.0
        for c in usable:
            lines = body_lines[max(0, c.start - 1 - offset) : max(0, c.end - offset)]
            wanted = _words(c.statement)
            score += len(wanted & _words(" ".join(lines))) / len(wanted)
        if score > best_score + 1e-9:
            best, best_score = offset, score
    return best


def context_lines(body: str, cited: Cited, offset: int, *, around: int = 3) -> list[tuple[int, str, bool]]:
    """The cited lines with ``around`` lines either side: (original line number, text, cited?)."""
    lines = body.split("\n")
    first = max(1, cited.start - around)
    last = min(len(lines) + offset, max(cited.start, cited.end) + around)
    return [
        (n, lines[n - 1 - offset], cited.start <= n <= cited.end)
        for n in range(first, last + 1)
        if 0 <= n - 1 - offset < len(lines)
    ]


def _clean(html: str) -> str:
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = attributes.get("*", set()) | {"class", "id", "title"}
    return nh3.clean(
        html,
        tags=set(nh3.ALLOWED_TAGS) | {"details", "summary", "mark"},
        attributes=attributes,
        generic_attribute_prefixes={"data-"},
        link_rel="noopener noreferrer nofollow",
    )


def _mark_records(tokens: list[Token], cited: Sequence[Cited], offset: int) -> None:
    anchored: set[int] = set()
    in_item = 0
    for token in tokens:
        in_item += 1 if token.type == "list_item_open" else -1 if token.type == "list_item_close" else 0
        if token.type not in HIGHLIGHTED or token.map is None:
            continue
        if token.type == "paragraph_open" and in_item:
            continue  # the list item around it is marked already
        start, end = token.map[0] + 1 + offset, token.map[1] + offset  # original lines, inclusive
        hits = [c for c in cited if c.start <= end and max(c.start, c.end) >= start]
        if not hits:
            continue
        token.attrJoin("class", "rec")
        token.attrSet("data-records", " ".join(str(c.id) for c in hits))
        token.attrSet("title", "Extracted as " + ", ".join(f"#{c.id}" for c in hits))
        first = next((c for c in hits if c.id not in anchored), None)
        if first is not None:
            anchored.add(first.id)
            token.attrSet("id", f"rec-{first.id}")


def _sections(tokens: list[Token], cited: Sequence[Cited], offset: int) -> list[Section]:
    found: list[tuple[Section, Token]] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            title = tokens[i + 1].content if i + 1 < len(tokens) else ""
            found.append((Section(title=title, line=token.map[0] + 1 + offset), token))
        elif found and token.map is not None and token.level == 0 and token.type != "heading_close":
            found[-1][0].has_text = True
    sections = [s for s, _ in found]
    for c in cited:
        owner = None
        for s in sections:
            if s.line <= c.start:
                owner = s
        if owner is not None:
            owner.records.append(c.id)
    for s, token in found:
        if s.has_text and not s.records:
            token.attrJoin("class", "no-record")
    return sections


def render(body: str, cited: Sequence[Cited], offset: int) -> Rendered:
    """The body as sanitized HTML, records highlighted (``.rec``, ``#rec-ID``)."""
    md = _markdown()
    tokens = md.parse(body)
    _mark_records(tokens, cited, offset)
    sections = _sections(tokens, cited, offset)
    html = md.renderer.render(tokens, md.options, {})
    return Rendered(html=_clean(html), sections=sections)
