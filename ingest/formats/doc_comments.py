"""A document kept in a source file's doc comments (Java ``package-info.java``, Kotlin, Go ``doc.go``).

Teams put the decision that shapes a package next to its code: a Javadoc comment on the package
(HTML: ``<h2>``, ``<p>``, ``<ul><li>``, ``{@code x}``, ``{@link X}``), a Go package comment
(``# Heading`` lines, ``- item`` lists), and ``// TODO(...)`` / ``// DONE(...)`` notes for the work
owed. The comments above the ``package`` line are the document; the code is not, and the
comments on its functions count only for their work notes. Each head block comment becomes
Markdown (Javadoc through the HTML reader), line comments become paragraphs, work notes a
"Follow-ups" task list. A licence header is left out. A source file is a document only when its
head comments are prose of some length (:func:`is_document`); any other source file is skipped
with one reason.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ingest.formats.base import Converted, tidy

SOURCE_SUFFIXES = (".java", ".kt", ".kts", ".go", ".scala", ".groovy")
_BLOCK = re.compile(r"/\*+(.*?)\*+/", re.S)
_LINE = re.compile(r"^\s*//+\s?(.*)$")
_STAR = re.compile(r"^\s*\*+ ?")
_LICENCE = re.compile(r"\b(?:copyright|licen[cs]ed?|spdx-license|all rights reserved)\b", re.I)
_HTML_TAG = re.compile(r"</?(?:p|h[1-6]|ul|ol|li|b|i|em|strong|pre|code|table|br)\b", re.I)
_INLINE_TAG = re.compile(r"\{@(?:code|literal)\s+([^{}]*)\}")
_LINK_TAG = re.compile(r"\{@(?:link|linkplain|value)\s+([^{}\s]*)(?:\s+([^{}]*))?\}")
_BLOCK_TAG = re.compile(r"^\s*@(?:see|param|return|throws|exception|since|author|version|deprecated)\b")
_WORK_NOTE = re.compile(r"^\s*(TODO|FIXME|DONE)\b(?:\s*\([^)]*\))?\s*[:\-—]?\s*(.*)$")
_GO_HEADING = re.compile(r"^#\s+(\S.*)$")
_MIN_WORDS = 80


def is_source_name(name: str) -> bool:
    return PurePosixPath(name.lower()).suffix in SOURCE_SUFFIXES


def _blocks(text: str) -> list[tuple[str, str]]:
    """("block" | "line", comment text) in file order; consecutive line comments joined."""
    found: list[tuple[int, str, str]] = []
    for m in _BLOCK.finditer(text):
        lines = [_STAR.sub("", line).rstrip() for line in m.group(1).split("\n")]
        found.append((m.start(), "block", "\n".join(lines).strip("\n")))
    spans = [(m.start(), m.end()) for m in _BLOCK.finditer(text)]
    run: list[str] = []
    run_start = 0
    offset = 0
    for line in text.split("\n"):
        inside = any(a <= offset < b for a, b in spans)
        hit = None if inside else _LINE.match(line)
        if hit is not None and "://" not in line.split("//", 1)[0]:
            if not run:
                run_start = offset
            run.append(hit.group(1).rstrip())
        elif run:
            found.append((run_start, "line", "\n".join(run)))
            run = []
        offset += len(line) + 1
    if run:
        found.append((run_start, "line", "\n".join(run)))
    return [(kind, body) for _, kind, body in sorted(found)]


def _is_licence(body: str) -> bool:
    return bool(_LICENCE.search(body)) and len(body.split()) < 120


_PACKAGE = re.compile(r"^\s*(?:package|import)\b", re.M)


def _header(text: str) -> tuple[str, str]:
    """The file's head (the comments above ``package``, where a package document lives) and the
    rest, whose comments document functions and count only for their TODO/DONE notes."""
    found = _PACKAGE.search(text)
    return (text[: found.start()], text[found.start() :]) if found else (text, "")


def is_document(text: str) -> bool:
    """Whether a source file's head comment reads as a document: prose of some length."""
    head, _ = _header(text)
    words = sum(len(b.split()) for _, b in _blocks(head) if not _is_licence(b))
    return words >= _MIN_WORDS


def _javadoc(body: str) -> str:
    from ingest.formats.html import html_to_markdown

    kept = "\n".join(line for line in body.split("\n") if not _BLOCK_TAG.match(line))
    kept = _INLINE_TAG.sub(lambda m: f"<code>{m.group(1).strip()}</code>", kept)
    kept = _LINK_TAG.sub(lambda m: (m.group(2) or m.group(1).lstrip("#")).strip(), kept)
    return html_to_markdown(f"<body>{kept}</body>", path="")


def _plain(body: str, notes: list[str]) -> str:
    out: list[str] = []
    for line in body.split("\n"):
        note = _WORK_NOTE.match(line)
        heading = _GO_HEADING.match(line)
        if note:
            notes.append(f"- {'[x]' if note.group(1).upper() == 'DONE' else '[ ]'} {note.group(2)}")
        elif heading:
            out += ["", f"## {heading.group(1)}", ""]
        elif not _BLOCK_TAG.match(line):
            out.append(line)
    return "\n".join(out)


def to_markdown(text: str) -> str:
    """The file's comments as Markdown (see the module's note)."""
    parts: list[str] = []
    notes: list[str] = []
    head, rest = _header(text)
    for kind, body in _blocks(head):
        if _is_licence(body) or not body.strip():
            continue
        if kind == "block" and _HTML_TAG.search(body):
            parts.append(_javadoc(body))
        else:
            parts.append(_plain(body, notes))
    for _, body in _blocks(rest):
        _plain(body, notes)  # the code's own comments count only for their work notes
    markdown = "\n\n".join(p.strip("\n") for p in parts if p.strip())
    if notes:
        markdown += "\n\n## Follow-ups\n\n" + "\n".join(notes)
    markdown = _labelled_paragraphs(markdown)
    if not re.search(r"^# \S", markdown, re.M):
        heading = re.search(r"^#{2,6} (\S.*)$", markdown, re.M)
        if heading:  # the first heading names the document ("ADR-7: one retrying client")
            title = heading.group(1)
            markdown = markdown[: heading.start()] + markdown[heading.end() :]
        else:  # else the first sentence of the package comment
            first = markdown.lstrip().split("\n", 1)[0]
            title = re.split(r"(?<=[.:])\s", first.strip(), maxsplit=1)[0].rstrip(".:")
        markdown = f"# {title[:160]}\n\n{markdown}"
    return tidy(markdown)


_LABEL_PARA = re.compile(r"^\*\*([A-Z][\w /-]{1,40}?)[.:]\*\*[ \t]+(?=\S)", re.M)


def _labelled_paragraphs(markdown: str) -> str:
    """A Javadoc paragraph opening "<b>Decision.</b>" is that section: it gets the heading."""
    out: list[str] = []
    level = 2
    for line in markdown.split("\n"):
        heading = re.match(r"^(#{1,6}) ", line)
        if heading:
            level = len(heading.group(1))
        label = _LABEL_PARA.match(line)
        if label:
            out += [f"{'#' * min(level + 1, 6)} {label.group(1)}", "", line[label.end() :]]
        else:
            out.append(line)
    return "\n".join(out)


def convert(text: str) -> Converted:
    return Converted(to_markdown(text), {"format": "doc-comments"})
