"""Walk files and folders, parse what changed, and hand batches to the knowledge base.

Each file gets an outcome: added, updated, unchanged, skipped or failed (with a readable reason).
A failing file never stops the batch and never touches what is already stored for it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.errors import DocumentError, InputError
from kb.records import DocumentDraft
from kb.service import KnowledgeBase

log = logging.getLogger(__name__)

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".md.erb")
NOT_DOCUMENTS = ("license", "licence", "copying", "notice", "changelog", "codeowners")
BATCH_SIZE = 32


@dataclass(slots=True)
class FileOutcome:
    path: str
    status: str  # added | updated | unchanged | skipped | failed
    constraints: int = 0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "constraints": self.constraints,
            "error": self.error,
        }


@dataclass(slots=True)
class IngestReport:
    source: str
    root: str
    files: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def constraints_written(self) -> int:
        return sum(f.constraints for f in self.files if f.status in ("added", "updated"))

    def summary(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("added", "updated", "unchanged", "skipped", "failed")}

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "root": self.root,
            "summary": self.summary(),
            "constraints_written": self.constraints_written,
            "files": [f.to_dict() for f in self.files],
        }


def is_candidate(path: Path) -> bool:
    """A file worth trying as a document when found inside a folder."""
    name = path.name.lower()
    if name.startswith(".") or any(name.startswith(prefix) for prefix in NOT_DOCUMENTS):
        return False
    if name.endswith(MARKDOWN_SUFFIXES):
        return True
    # Files without an extension are common in exported postmortems; anything with another
    # extension (images, diagrams, data) is not a Markdown document.
    return "." not in name.rsplit(" ", 1)[-1] or path.suffix == ""


def is_template(path: Path) -> bool:
    return "template" in path.name.lower()


def discover(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.is_file() and is_candidate(path):
            yield path


def read_text(path: Path, *, max_bytes: int) -> tuple[str, str]:
    """(text, sha256) of a document file, or DocumentError saying why it cannot be one."""
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", path=str(path))
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError("file is empty", path=str(path))
    if b"\x00" in data[:8192]:
        raise DocumentError("binary file (contains NUL bytes), not Markdown", path=str(path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"not UTF-8 text: invalid byte at offset {exc.start}", path=str(path)) from exc
    return text, hashlib.sha256(data).hexdigest()


Parser = Callable[..., DocumentDraft]


def _default_parser() -> Parser:
    from ingest.parser import parse_document

    return parse_document


def ingest_path(
    kb: KnowledgeBase,
    target: Path,
    *,
    source: str | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    parser: Parser | None = None,
) -> IngestReport:
    """Ingest one file or every document under one folder; the folder is the root of relative paths."""
    target = Path(target)
    if not target.exists():
        raise InputError(f"no such file or folder: {target}")
    parse = parser or _default_parser()
    if target.is_dir():
        root = target
        files: Iterable[Path] = discover(root)
    else:
        root = target.parent
        files = [target]
    source_name = source or root.resolve().name or "root"
    report = IngestReport(source=source_name, root=str(root))
    known = kb.stored_hashes(source_name)
    batch: list[tuple[DocumentDraft, FileOutcome]] = []

    def flush() -> None:
        if batch:
            kb.add_documents(source_name, [draft for draft, _ in batch])
            for _, outcome in batch:
                report.files.append(outcome)
                if on_file:
                    on_file(outcome)
            batch.clear()

    for path in files:
        rel = path.relative_to(root).as_posix()
        outcome = _prepare(kb, path, rel, known, parse)
        if isinstance(outcome, FileOutcome):
            if outcome.status == "failed":
                kb.record_failure(source=source_name, path=rel, message=outcome.error or "failed")
            report.files.append(outcome)
            if on_file:
                on_file(outcome)
            continue
        draft = outcome
        status = "updated" if rel in known else "added"
        batch.append((draft, FileOutcome(path=rel, status=status, constraints=len(draft.constraints))))
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    if report.count("added") or report.count("updated"):
        kb.reindex()
    return report


def _prepare(
    kb: KnowledgeBase, path: Path, rel: str, known: dict[str, str], parse: Parser
) -> DocumentDraft | FileOutcome:
    if is_template(path):
        return FileOutcome(path=rel, status="skipped", error="template file")
    try:
        text, sha = read_text(path, max_bytes=kb.settings.max_file_bytes)
    except DocumentError as exc:
        return FileOutcome(path=rel, status="failed", error=exc.message)
    except OSError as exc:
        return FileOutcome(path=rel, status="failed", error=f"cannot read file: {exc.strerror or exc}")
    if known.get(rel) == sha:
        return FileOutcome(path=rel, status="unchanged")
    try:
        return parse(text, path=rel, sha256=sha)
    except DocumentError as exc:
        return FileOutcome(path=rel, status="failed", error=exc.message)
    except Exception as exc:  # a parser bug must not stop the batch or lose stored data
        log.debug("parser crashed on %s", rel, exc_info=True)
        return FileOutcome(path=rel, status="failed", error=f"parser error: {exc.__class__.__name__}: {exc}")
