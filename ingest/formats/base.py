"""What every converter shares: the converted document, limits, text decoding, front matter.

A converter turns the bytes of one source document (HTML, Word, reStructuredText, a JSON export...)
into Markdown text that :func:`ingest.parser.parse_document` reads like any other file, so sections,
extraction, provenance and re-ingest work the same for every format. Facts the source states outside
its text (a Jira key, labels, a creation date) travel as YAML front matter, which the parser already
reads (title, date, kind, services, tags).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.errors import DocumentError

# The converted Markdown of one document may be this many times larger than its source before it
# is refused: a table of short cells grows (pipes, spaces), nothing real grows by ten.
MAX_GROWTH = 10
# Nesting that deep is a hostile file, not a document; the HTML and JSON walkers recurse.
MAX_DEPTH = 200

_BLANK_RUN = re.compile(r"\n{4,}")
_HEX_ID = re.compile(r"\s*\b[0-9a-f]{32}\b", re.I)


@dataclass(slots=True)
class Converted:
    """One source document as Markdown, plus facts for the document's metadata."""

    markdown: str
    metadata: dict[str, Any] = field(default_factory=dict)


def front_matter(fields: dict[str, Any]) -> str:
    """A YAML front matter block of the fields that have a value ('' when none has)."""
    kept = {k: v for k, v in fields.items() if v not in (None, "", [], {})}
    if not kept:
        return ""
    dumped = yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return f"---\n{dumped}---\n"


def with_front_matter(fields: dict[str, Any], body: str) -> str:
    return front_matter(fields) + tidy(body)


def tidy(markdown: str) -> str:
    """Trailing spaces off, at most two blank lines in a row, one final newline."""
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = _BLANK_RUN.sub("\n\n\n", "\n".join(lines)).strip("\n")
    return text + "\n" if text else ""


def decode_text(data: bytes, *, path: str, what: str) -> str:
    """UTF-8 (with or without a byte-order mark; UTF-16 when it has one), or a DocumentError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{what}: invalid UTF-16 at byte {exc.start}", path=path) from exc
    if b"\x00" in data:
        raise DocumentError(f"{what}: binary content (NUL bytes)", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{what}: not UTF-8 text (invalid byte at offset {exc.start})", path=path
        ) from exc


def strip_ids(name: str) -> str:
    """A Notion export name without its 32-hex page id ('Outage 5f1c...e2.md' -> 'Outage.md')."""
    stem, dot, ext = name.rpartition(".")
    if not dot or "/" in ext or " " in ext:
        return _HEX_ID.sub("", name).strip() or name
    return (_HEX_ID.sub("", stem).strip() or stem) + "." + ext


def one_line(text: Any) -> str:
    return " ".join(str(text).split())


def check_growth(markdown: str, source_size: int, *, path: str) -> str:
    if len(markdown) > max(MAX_GROWTH * source_size, 64 * 1024):
        raise DocumentError(
            f"the converted text is over {MAX_GROWTH} times the size of the file: refused", path=path
        )
    return markdown


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
