"""Lines of the source file for lessons found in converted text (HTML, reStructuredText).

A converter writes new Markdown, so a lesson's lines first point into that Markdown. For formats
whose source is text, each lesson's first and last words are looked up in the source with its
markup stripped (tags, entities, reStructuredText inline marks), keeping for every character the
line it came from: the lesson then cites the line of the file a person opens. When any lesson of
a document cannot be found, none is moved, so a document's lines have one meaning
(``metadata.line_basis``: ``source`` or ``converted``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ingest.budget import check
from kb.records import DocumentDraft

_HTML_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>|&#?\w+;|\s+|.", re.S)
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|td|th|tr|h[1-6]|br|ul|ol|table|section|pre|blockquote)\b", re.I)
_MD_MARKS = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>|#{1,6})\s+|\[[ xX]\]\s+|\*\*|__|`|~~|<[^>]+>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_RST_MARKS = re.compile(r"``|\*\*|(?<!\w)[*`]|`_|:\w+:`")
_WORD = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*", re.U)
PHRASE_WORDS = 5


@dataclass(slots=True)
class _Indexed:
    words: list[str]
    lines: list[int]


def _index_html(text: str) -> _Indexed:
    """The words of an HTML source, each with its 1-based line (tags and comments left out)."""
    plain: list[str] = []
    line_of: list[int] = []
    line = 1
    for m in _HTML_TOKEN.finditer(text):
        token = m.group(0)
        if token.startswith("<"):
            if _BLOCK_TAG.match(token):
                plain.append(" ")
                line_of.append(line)
            line += token.count("\n")
            continue
        piece = html.unescape(token) if token.startswith("&") else token
        for ch in piece:
            plain.append(ch)
            line_of.append(line)
        line += token.count("\n")
    return _words("".join(plain), line_of)


def _index_text(text: str, marks: re.Pattern[str]) -> _Indexed:
    line_of: list[int] = []
    plain: list[str] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        cleaned = marks.sub(" ", raw) + " "
        plain.append(cleaned)
        line_of.extend([number] * len(cleaned))
    return _words("".join(plain), line_of)


def _words(plain: str, line_of: list[int]) -> _Indexed:
    words: list[str] = []
    lines: list[int] = []
    for m in _WORD.finditer(plain):
        words.append(m.group(0).lower())
        lines.append(line_of[m.start()])
    return _Indexed(words, lines)


def _line_words(markdown_line: str) -> list[str]:
    text = _MD_LINK.sub(r"\1", markdown_line)
    text = _MD_MARKS.sub(" ", text)
    return [w.lower() for w in _WORD.findall(text)]


def _find(index: _Indexed, phrase: list[str], start: int = 0) -> int | None:
    """The word position of ``phrase`` in the index at or after ``start`` (else anywhere), or None."""
    if not phrase:
        return None
    n = len(phrase)
    first = phrase[0]
    for begin in (start, 0):
        for i in range(begin, len(index.words) - n + 1):
            if index.words[i] == first and index.words[i : i + n] == phrase:
                return i
    return None


def map_to_source(draft: DocumentDraft, source: str, fmt: str) -> bool:
    """Move every lesson's lines from the converted body to ``source``; False (nothing moved) when
    any lesson's words are not found there."""
    if not draft.constraints or draft.body is None:
        return False
    index = _index_html(source) if fmt == "html" else _index_text(source, _RST_MARKS)
    body = draft.body.split("\n")
    moved: list[tuple[int, int]] = []
    cursor = 0
    for c in draft.constraints:
        check()
        if not 0 < c.line_start <= len(body):
            return False
        first = _line_words(body[c.line_start - 1])
        last = _line_words(body[min(max(c.line_end, c.line_start), len(body)) - 1])
        at = _find(index, first[:PHRASE_WORDS], cursor)
        if at is None:
            return False
        end_at = _find(index, last[-PHRASE_WORDS:], at) if c.line_end > c.line_start else None
        start_line = index.lines[at]
        end_line = index.lines[end_at + min(len(last), PHRASE_WORDS) - 1] if end_at is not None else None
        if end_line is None or end_line < start_line:
            tail = at + min(len(first), PHRASE_WORDS) - 1
            end_line = max(start_line, index.lines[min(tail, len(index.lines) - 1)])
        moved.append((start_line, end_line))
        cursor = at
    for c, (start_line, end_line) in zip(draft.constraints, moved, strict=True):
        c.line_start, c.line_end = start_line, end_line
    return True
