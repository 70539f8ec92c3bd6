"""Zip archives (Notion exports, bundles of documents): read safely, member by member.

Nothing is extracted to disk; members are read into memory under caps that a zip bomb cannot
pass: the declared total uncompressed size, each member's compression ratio, the member count and
the nesting depth of zips inside zips (Notion splits a big export into part-zips inside a zip).
zipfile stops reading a member at its declared size, so the declared sizes are the real bound.
Member names that climb out of the archive (``../``, absolute paths, drive letters) refuse the
whole archive: a tool that wrote them is not to be trusted for the rest.

Notion specifics: the 32-hex page id Notion adds to every file and folder name is dropped from the
stored path (and from titles, which the parser takes from the H1 or the name); a CSV database
becomes one Markdown document (an action-item database: a task list).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from ingest.budget import check
from ingest.formats.base import front_matter, strip_ids, tidy
from kb.errors import DocumentError

MAX_MEMBERS = 5_000
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # uncompressed, all members of one archive and its inner zips
MAX_RATIO = 200  # uncompressed / compressed of one member; text compresses ~5-10x, bombs ~1000x
MAX_NESTING = 3  # a zip in a zip in a zip
RATIO_FLOOR = 64 * 1024  # small members may compress well (a run of spaces): ratio not applied

_ACTION_COLUMN = re.compile(r"^(?:action(?: item)?s?|tasks?|to-?dos?|follow[- ]?ups?|name|title)$", re.I)
_STATUS_COLUMN = re.compile(r"^(?:status|state|done|complete[d]?)$", re.I)
_DONE = re.compile(r"^(?:done|complete[d]?|closed|resolved|yes|true|checked|✅)$", re.I)


@dataclass(slots=True)
class Member:
    """One readable file of an archive: its cleaned path inside the archive and its bytes."""

    name: str
    data: bytes
    original: str = ""  # the name as the archive has it (Notion ids included)


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


def check_zip(archive: zipfile.ZipFile, *, path: str, budget: list[int] | None = None) -> None:
    """Refuse a zip whose members escape it, are too many, too large or compressed like a bomb."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise DocumentError(
            f"archive refused: {len(infos):,} members, over the {MAX_MEMBERS:,} limit", path=path
        )
    total = 0
    for info in infos:
        if _unsafe(info.filename):
            raise DocumentError(
                f"archive refused: member {info.filename!r} has a path out of the archive", path=path
            )
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DocumentError(
                f"archive refused: member {info.filename!r} expands "
                f"{info.file_size // max(info.compress_size, 1):,} times (over {MAX_RATIO}): a zip bomb?",
                path=path,
            )
    spent = (budget[0] if budget else 0) + total
    if spent > MAX_TOTAL_BYTES:
        raise DocumentError(
            f"archive refused: {spent:,} bytes uncompressed, over the {MAX_TOTAL_BYTES:,}-byte limit",
            path=path,
        )
    if budget is not None:
        budget[0] = spent


def open_zip(data: bytes, *, path: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as exc:
        raise DocumentError(f"not a readable zip archive: {exc}", path=path) from exc


def members(data: bytes, *, path: str, depth: int = 0, budget: list[int] | None = None) -> list[Member]:
    """Every file of the archive (inner zips opened, up to MAX_NESTING deep), names cleaned."""
    if depth >= MAX_NESTING:
        raise DocumentError(f"archive refused: zips nested more than {MAX_NESTING} deep", path=path)
    budget = budget if budget is not None else [0]
    out: list[Member] = []
    with open_zip(data, path=path) as archive:
        check_zip(archive, path=path, budget=budget)
        for info in archive.infolist():
            check()
            if info.is_dir():
                continue
            name = info.filename.replace("\\", "/")
            if any(part.startswith(".") or part == "__MACOSX" for part in name.split("/")):
                continue
            try:
                content = archive.read(info)
            except (
                zipfile.BadZipFile,
                RuntimeError,
                NotImplementedError,
                OSError,
                ValueError,
                EOFError,
                zlib.error,
            ) as exc:  # a damaged archive fails in any of these
                raise DocumentError(f"archive member {name!r} cannot be read: {exc}", path=path) from exc
            clean = "/".join(strip_ids(part) for part in name.split("/"))
            if name.lower().endswith(".zip"):
                inner = members(content, path=f"{path}/{name}", depth=depth + 1, budget=budget)
                prefix = PurePosixPath(clean).with_suffix("").as_posix()
                # Notion's part-zips ("Export-...-Part-1.zip") hold one export between them: no prefix
                keep = not re.search(r"part-?\d+$", prefix, re.I)
                out += [Member(f"{prefix}/{m.name}" if keep else m.name, m.data, m.original) for m in inner]
            else:
                out.append(Member(clean, content, name))
    return _unique(out)


def _unique(found: list[Member]) -> list[Member]:
    """Two pages of the same title in one folder: the second gets a number, not the first's place."""
    seen: dict[str, int] = {}
    out = []
    for m in found:
        n = seen.get(m.name, 0)
        seen[m.name] = n + 1
        if n:
            stem, dot, ext = m.name.rpartition(".")
            m = Member(f"{stem} ({n + 1}).{ext}" if dot else f"{m.name} ({n + 1})", m.data, m.original)
        out.append(m)
    return out


def is_notion(names: list[str]) -> bool:
    return any(re.search(r"\b[0-9a-f]{32}\b", n) for n in names)


def csv_to_markdown(text: str, *, title: str, path: str) -> str:
    """A CSV database as Markdown: an action-item database as a task list, others a row per section."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or not any(c.strip() for c in rows[0]):
        raise DocumentError("the CSV file has no header row", path=path)
    head = [c.strip() for c in rows[0]]
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if not body:
        raise DocumentError("the CSV file has no rows", path=path)
    action = next((i for i, h in enumerate(head) if _ACTION_COLUMN.match(h)), 0)
    status = next((i for i, h in enumerate(head) if _STATUS_COLUMN.match(h)), None)
    lines = [f"# {title}", ""]
    if status is not None:
        lines += ["## Action items", ""]
        for r in body:
            check()
            text_cell = r[action].strip() if action < len(r) else ""
            state = r[status].strip() if status < len(r) else ""
            if text_cell:
                lines.append(f"- [{'x' if _DONE.match(state) else ' '}] {' '.join(text_cell.split())}")
        return tidy("\n".join(lines))
    for r in body:
        check()
        name = r[action].strip() if action < len(r) else ""
        lines += [f"## {' '.join(name.split()) or 'Untitled'}", ""]
        for i, cell in enumerate(r):
            if i != action and i < len(head) and cell.strip():
                lines.append(f"- **{head[i]}:** {' '.join(cell.split())}")
        lines.append("")
    return tidy("\n".join(lines))


def notion_markdown(text: str) -> str:
    """A Notion page's Markdown with page ids dropped from its links' text and targets."""
    return re.sub(r"(?:%20|\s)[0-9a-f]{32}(?=(?:\.md|\.csv|/|\)|$))", "", text, flags=re.M)


__all__ = [
    "Member",
    "check_zip",
    "csv_to_markdown",
    "front_matter",
    "is_notion",
    "members",
    "notion_markdown",
]
