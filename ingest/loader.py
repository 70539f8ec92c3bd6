"""Walk files and folders, parse what changed, and hand batches to the knowledge base.

Each file gets an outcome: added, updated, unchanged, skipped or failed (with a readable reason).
A failing file never stops the batch and never touches what is already stored for it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.budget import parse_budget
from ingest.formats import MARKDOWN_SUFFIXES
from kb.errors import DocumentError, InputError, TimeoutError_
from kb.records import DocumentDraft
from kb.service import KnowledgeBase
from kb.settings import DEFAULT_MAX_FILE_BYTES
from kb.vocab import SHARED_TEAM

log = logging.getLogger(__name__)

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
NOT_DOCUMENTS = ("license", "licence", "copying", "notice", "changelog", "changes", "codeowners")
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
    # Near-duplicate lessons of other documents that this ingest put to review.
    review_items: int = 0

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
            "review_items": self.review_items,
            "files": [f.to_dict() for f in self.files],
        }


def is_project_boilerplate(name: str) -> bool:
    """LICENSE, NOTICE.txt, CHANGELOG.md, LICENSE-MIT, CODEOWNERS: a repository's own files.

    Matched by the whole stem, or by the upper-case name with a suffix, never by a word at the
    start of a prose file name: "changelog-style-decisions.md" or "notice-of-outage.md" is a
    document.
    """
    stem = name.split(".", 1)[0]
    if stem.lower() in NOT_DOCUMENTS:
        return True
    return any(stem.startswith((f"{word.upper()}-", f"{word.upper()}_")) for word in NOT_DOCUMENTS)


def is_candidate(path: Path) -> bool:
    """A file worth trying as a document when found inside a folder."""
    from ingest import formats

    name = path.name.lower()
    if name.startswith(".") or is_project_boilerplate(path.name):
        return False
    if name.endswith(MARKDOWN_SUFFIXES) or formats.handles(name):
        return True
    # Files without an extension are common in exported postmortems; anything with another
    # extension (images, diagrams, data) is not a Markdown document.
    return "." not in name.rsplit(" ", 1)[-1] or path.suffix == ""


# A blank template's name is "template" and words that say what it is a template of
# ("adr-template-bare-minimal.md", "ODH-ADR-0000-template.md", "PMyyyy-nnn - Postmortem
# template.md"); a real document can be about templates ("0039-use-apache-velocity-as-template-
# engine.md", "2024-03-01-launch-template-drift.md") or name one ("SSPTemplateValidatorDown.md"),
# and must be read.
_NAME_WORD = re.compile(r"[^a-z0-9]+")
_TEMPLATE_COMPANIONS = frozenset(
    (  # noqa: SIM905  (a word list reads better as words)
        "adr adrs madr rfc postmortem post mortem incident report review runbook playbook decision "
        "record design doc docs bare minimal short long full simple example sample blank new default "
        "basic copy of the a"
    ).split()
)
# Placeholders a template's name carries instead of a date or number: "yyyy", "nnn", "PMyyyy".
_NAME_PLACEHOLDER = re.compile(r"^[a-z]{0,3}?(?:y{2,}|n{2,}|x{2,}|m{2,}|d{2,})+$")


def is_template(path: Path) -> bool:
    """Whether the file is a blank document template: its name has the word "template" and
    otherwise only numbers, placeholders, short acronyms and words that name a kind of document."""
    stem = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
    words = [w for w in _NAME_WORD.split(stem.lower()) if w and not w.isdigit()]
    if "template" not in words:
        return False
    return all(
        w == "template" or w in _TEMPLATE_COMPANIONS or len(w) <= 3 or _NAME_PLACEHOLDER.match(w)
        for w in words
    )


IGNORE_FILE = ".forewarnignore"


def ignore_patterns(root: Path) -> list[str]:
    """The patterns of ``root/.forewarnignore``: one per line, ``#`` comments and blank lines left
    out. A folder's index page or a contributor guide is no postmortem, and only the team knows which
    files those are."""
    try:
        text = (root / IGNORE_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def is_ignored(rel: str, patterns: Iterable[str]) -> bool:
    """Whether a relative path matches a pattern the way ``.gitignore`` reads the common forms: a
    pattern without ``/`` matches a file or folder name at any depth (``README.md``, ``*.draft.md``);
    one with ``/`` matches from the root (``drafts/``, ``adrs/0000-*.md``); a trailing ``/`` means
    a folder and everything under it."""
    parts = rel.split("/")
    for raw in patterns:
        pattern = raw.lstrip("/")
        folder = pattern.endswith("/")
        pattern = pattern.rstrip("/")
        if not pattern:
            continue
        if "/" not in pattern:
            names = parts[:-1] if folder else parts
            if any(fnmatch.fnmatchcase(name, pattern) for name in names):
                return True
            continue
        depth = pattern.count("/") + 1
        prefix = "/".join(parts[:depth])
        if fnmatch.fnmatchcase(prefix, pattern) and (len(parts) > depth or not folder):
            return True
    return False


def discover(root: Path, *, follow_symlinks: bool = False) -> Iterator[Path]:
    """Candidate documents under ``root``, sorted; hidden files and folders left out, and those
    ``root/.forewarnignore`` names (:func:`is_ignored`).

    Symbolic links are yielded as they are (not resolved) unless ``follow_symlinks``, so the
    caller can refuse the ones that lead out of ``root``; a linked folder is not descended into.
    """
    patterns = ignore_patterns(root)
    found: list[Path] = []
    seen_dirs: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_symlinks):
        here = Path(dirpath)
        if follow_symlinks:  # a link cycle must not walk forever
            real = here.resolve()
            if real in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add(real)
        kept = []
        for name in dirnames:
            if name.startswith("."):
                continue
            if not follow_symlinks and (here / name).is_symlink():
                found.append(here / name)  # reported, not walked
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            path = here / name
            if name.startswith(".") or not is_candidate(path):
                continue
            if path.is_symlink() or path.is_file():
                found.append(path)
    if patterns:
        found = [p for p in found if not is_ignored(p.relative_to(root).as_posix(), patterns)]
    yield from sorted(found)


def outside_root(path: Path, root: Path) -> bool:
    """Whether ``path`` (a symbolic link, or inside one) resolves to somewhere out of ``root``."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return True


def valid_name(rel: str) -> bool:
    """Whether a relative path decoded from the file system is real text (not stray bytes)."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes come back as lone surrogates
        return False
    return True


def read_text(path: Path, *, max_bytes: int) -> tuple[str, str]:
    """(text, sha256) of a document file, or DocumentError saying why it cannot be one."""
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", path=str(path))
    return decode_document(path.read_bytes(), max_bytes=max_bytes, path=str(path))


def decode_document(data: bytes, *, max_bytes: int, path: str) -> tuple[str, str]:
    """(text, sha256) of a document's bytes, or DocumentError saying why they cannot be one."""
    if len(data) > max_bytes:
        raise DocumentError(f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit", path=path)
    if not data.strip():
        raise DocumentError("file is empty", path=path)
    if b"\x00" in data:  # also what PostgreSQL text columns refuse
        raise DocumentError("binary file (contains NUL bytes), not Markdown", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"not UTF-8 text: invalid byte at offset {exc.start}", path=path) from exc
    # Terminal escapes (ESC, BEL, C1 codes) in a lesson would reach every terminal that shows it
    # and every exported AGENTS.md; line breaks and tabs stay, so line numbers do not move.
    return _CONTROL.sub("", text), hashlib.sha256(data).hexdigest()


Parser = Callable[..., DocumentDraft]


def _default_parser() -> Parser:
    from ingest.parser import parse_document

    return parse_document


@dataclass(slots=True)
class Upload:
    """A document sent as bytes (HTTP upload) rather than read from disk."""

    path: str
    data: bytes


class _Batch:
    """Parses what changed, resolves ADR supersession, writes in transactions of BATCH_SIZE
    documents, and records every file's outcome as soon as it is known."""

    def __init__(
        self,
        kb: KnowledgeBase,
        report: IngestReport,
        *,
        team: str,
        parser: Parser | None,
        on_file: Callable[[FileOutcome], None] | None,
    ) -> None:
        self.kb = kb
        self.report = report
        self.team = team
        self.parse = parser or _default_parser()
        self.on_file = on_file
        self.known = kb.stored_hashes(report.source, team=team)
        self.parse_timeout = kb.settings.parse_timeout
        self.deadline: float | None = None  # monotonic; past it the batch stops, writing nothing
        self.pending: list[tuple[DocumentDraft, FileOutcome]] = []
        # Unchanged files, re-read only when a changed ADR may supersede one of them.
        self.unchanged: dict[
            str, tuple[Callable[[], tuple[str, str]], FileOutcome, dict[str, Any] | None]
        ] = {}

    def _check_deadline(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TimeoutError_("the ingest ran out of time before anything was written; send fewer files")

    def _done(self, outcome: FileOutcome) -> None:
        if outcome.status == "failed":
            reason = outcome.error or "failed"
            source = self.report.source
            self.kb.record_failure(source=source, path=outcome.path, message=reason, team=self.team)
        self.report.files.append(outcome)
        if self.on_file:
            self.on_file(outcome)

    def fail(self, rel: str, reason: str) -> None:
        # A parser's message may quote the document (a YAML error shows the line): redact it.
        from kb.safety.redaction import redact_text

        self._done(FileOutcome(path=rel, status="failed", error=redact_text(reason)))

    def skip(self, rel: str, reason: str) -> None:
        self._done(FileOutcome(path=rel, status="skipped", error=reason))

    def add(
        self,
        rel: str,
        load: Callable[[], tuple[str, str]],
        *,
        template: bool = False,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        """Parse one document unless unchanged; ``metadata`` (filled by ``load`` for a converted
        format) is added to the draft's."""
        if template:
            self._done(FileOutcome(path=rel, status="skipped", error="template file"))
            return
        try:
            text, sha = load()
        except DocumentError as exc:
            self.fail(rel, exc.message)
            return
        except OSError as exc:
            self.fail(rel, f"cannot read file: {exc.strerror or exc}")
            return
        if self.known.get(rel) == sha:
            outcome = FileOutcome(path=rel, status="unchanged")
            self.unchanged[rel] = (load, outcome, metadata)
            self._done(outcome)
            return
        self._check_deadline()
        try:
            with parse_budget(self.parse_timeout, path=rel, request_deadline=self.deadline):
                draft = with_metadata(self.parse(text, path=rel, sha256=sha), metadata)
        except DocumentError as exc:
            self._check_deadline()  # the batch's time ran out, not only this file's
            self.fail(rel, exc.message)
            return
        except Exception as exc:  # a parser bug must not stop the batch or lose stored data
            log.debug("parser crashed on %s", rel, exc_info=True)
            self.fail(rel, f"parser error: {exc.__class__.__name__}: {exc}")
            return
        status = "updated" if rel in self.known else "added"
        outcome = FileOutcome(path=rel, status=status, constraints=len(draft.constraints))
        self.pending.append((draft, outcome))
        self._done(outcome)

    def _resolve_supersession(self) -> None:
        """Link ADRs that supersede each other, across changed and unchanged files alike."""
        from ingest.supersession import resolve_supersession, scope_of

        changed = [draft for draft, _ in self.pending]
        scopes = {scope_of(draft.path) for draft in changed if draft.kind == "adr"}
        if not scopes:
            return
        others: dict[str, tuple[DocumentDraft, FileOutcome]] = {}
        for rel, (load, outcome, metadata) in self.unchanged.items():
            if scope_of(rel) not in scopes:
                continue  # references never resolve across sets: nothing there can change
            try:
                text, sha = load()
                with parse_budget(self.parse_timeout, path=rel):
                    others[rel] = (with_metadata(self.parse(text, path=rel, sha256=sha), metadata), outcome)
            except Exception:  # an unchanged file keeps what is stored for it
                log.debug("cannot re-read unchanged %s", rel, exc_info=True)
        touched = resolve_supersession(changed + [draft for draft, _ in others.values()])
        for rel in sorted(touched & others.keys()):
            draft, outcome = others[rel]
            outcome.status = "updated"  # its status or links changed with another file
            outcome.constraints = len(draft.constraints)
            self.pending.append((draft, outcome))

    def finish(self) -> IngestReport:
        self._resolve_supersession()
        self._check_deadline()
        written: list[int] = []
        for start in range(0, len(self.pending), BATCH_SIZE):
            chunk = self.pending[start : start + BATCH_SIZE]
            drafts = [draft for draft, _ in chunk]
            written += self.kb.add_documents(self.report.source, drafts, team=self.team)
        if self.pending:
            self.kb.reindex()
            # Similar is not the same: near duplicates wait for a person (exact ones merged on write).
            self.report.review_items = self.kb.scan_duplicates(document_ids=written)
        return self.report


def ingest_path(
    kb: KnowledgeBase,
    target: Path,
    *,
    source: str | None = None,
    team: str = SHARED_TEAM,
    on_file: Callable[[FileOutcome], None] | None = None,
    parser: Parser | None = None,
    follow_symlinks: bool = False,
) -> IngestReport:
    """Ingest one file or every document under one folder; the folder is the root of relative paths.

    Symbolic links that lead out of the folder fail (their target is not read) unless
    ``follow_symlinks``. One ingest at a time per data directory (:class:`BusyError` otherwise).
    """
    from kb.storage.local import ingest_lock

    target = Path(target)
    if not target.exists():
        raise InputError(f"no such file or folder: {target}")
    if target.is_dir():
        root = target
        files: Iterable[Path] = discover(root, follow_symlinks=follow_symlinks)
    else:
        root = target.parent
        files = [target]
    with ingest_lock(kb.settings):
        report = IngestReport(source=source or root.resolve().name or "root", root=str(root))
        batch = _Batch(kb, report, team=team, parser=parser, on_file=on_file)
        max_bytes = kb.settings.max_file_bytes
        for path in files:
            rel = path.relative_to(root).as_posix()
            if not valid_name(rel):
                batch.fail(printable(rel), "the file name is not valid UTF-8; rename the file")
                continue
            if not follow_symlinks and path.is_symlink():
                if outside_root(path, root):
                    batch.fail(rel, "a symbolic link out of the ingested folder: not followed")
                    continue
                if path.is_dir():
                    continue  # its files are ingested under their own paths
            if not path.name.lower().endswith(MARKDOWN_SUFFIXES):
                add_converted(
                    batch,
                    rel,
                    lambda p=path: read_container(p, max_bytes=max_bytes),  # type: ignore[misc]
                    max_bytes=max_bytes,
                )
                continue
            batch.add(
                rel,
                lambda p=path: read_text(p, max_bytes=max_bytes),  # type: ignore[misc]
                template=is_template(path),
            )
        return batch.finish()


def ingest_uploads(
    kb: KnowledgeBase,
    uploads: Sequence[Upload],
    *,
    source: str,
    team: str = SHARED_TEAM,
    parser: Parser | None = None,
    timeout: float | None = None,
) -> IngestReport:
    """Ingest documents given as bytes, with the same checks and report as files on disk.

    The batch must parse within ``timeout`` seconds (default: most of ``KB_REQUEST_TIMEOUT``, so
    an HTTP request that answers 504 has stopped its work and written nothing); past it,
    :class:`TimeoutError_`. Once writing starts it completes.
    """
    report = IngestReport(source=source, root=f"upload:{source}")
    batch = _Batch(kb, report, team=team, parser=parser, on_file=None)
    # The margin leaves time to embed and commit inside the request's own limit.
    seconds = timeout if timeout is not None else kb.settings.request_timeout * 0.7
    batch.deadline = time.monotonic() + seconds
    max_bytes = kb.settings.max_file_bytes
    for upload in uploads:
        try:
            rel = clean_relative_path(upload.path)
        except InputError as exc:
            batch.fail(printable(upload.path), exc.message)
            continue
        if not rel.lower().endswith(MARKDOWN_SUFFIXES):
            add_converted(batch, rel, lambda u=upload: u.data, max_bytes=max_bytes)  # type: ignore[misc]
            continue
        batch.add(
            rel,
            lambda u=upload, r=rel: decode_document(u.data, max_bytes=max_bytes, path=r),  # type: ignore[misc]
            template=is_template(Path(rel)),
        )
    return batch.finish()


def with_metadata(draft: DocumentDraft, metadata: dict[str, Any] | None) -> DocumentDraft:
    """The draft with a converted format's metadata; lines moved to index the stored body."""
    if not metadata:
        return draft
    extra = dict(metadata)
    offset = int(extra.pop("_body_offset", 0) or 0)
    source = extra.pop("_source_text", None)
    draft.metadata.update(extra)
    if offset:  # the converter's front matter is not part of the body: lines count in the body
        for c in draft.constraints:
            c.line_start = max(1, c.line_start - offset)
            c.line_end = max(c.line_start, c.line_end - offset)
    if isinstance(source, str):
        from ingest.formats.lines import map_to_source

        if map_to_source(draft, source, str(draft.metadata.get("format"))):
            draft.metadata["line_basis"] = "source"
    return draft


def read_container(path: Path, *, max_bytes: int) -> bytes:
    """A non-Markdown file's bytes: Word files and zips (they carry images) up to the container
    limit, text formats up to ``max_bytes``; refused before reading when larger."""
    from ingest.formats import MAX_CONTAINER_BYTES

    size = path.stat().st_size
    container = path.suffix.lower() in (".docx", ".zip")
    limit = MAX_CONTAINER_BYTES if container else max_bytes
    if size > limit:
        what = "for a Word file or zip" if container else "for a text document"
        raise DocumentError(f"file is {size:,} bytes, over the {limit:,}-byte limit {what}", path=str(path))
    return path.read_bytes()


def add_converted(batch: _Batch, rel: str, read: Callable[[], bytes], *, max_bytes: int) -> None:
    """Queue the documents of one file in another format (HTML, Word, a zip, a JSON export...).

    Each document in the file (an archive member, one issue of a list) gets its own outcome; one
    that cannot be read fails with the reason and the others go on.
    """
    from ingest import formats

    try:
        data = read()
        if not data.strip():
            raise DocumentError("file is empty", path=rel)
        with parse_budget(batch.parse_timeout, path=rel, request_deadline=batch.deadline):
            found = formats.sources(rel, data, max_bytes=max_bytes)
    except DocumentError as exc:
        batch.fail(rel, exc.message)
        return
    except OSError as exc:
        batch.fail(rel, f"cannot read file: {exc.strerror or exc}")
        return
    for source in found:
        name = formats.stored_name(source.rel)
        if source.error:
            batch.fail(name, source.error)
            continue
        if source.skip:
            batch.skip(name, source.skip)
            continue
        if source.format == "markdown" and name == rel:  # a Markdown file without the extension
            batch.add(
                rel,
                lambda d=data: decode_document(d, max_bytes=max_bytes, path=rel),  # type: ignore[misc]
                template=is_template(Path(rel)),
            )
            continue
        metadata: dict[str, Any] = {}
        batch.add(
            name,
            lambda s=source, m=metadata, n=name: _load_converted(s, m, n, batch.parse_timeout),  # type: ignore[misc]
            template=is_template(Path(name)),
            metadata=metadata,
        )


def _load_converted(source: Any, metadata: dict[str, Any], name: str, timeout: float) -> tuple[str, str]:
    from ingest import formats
    from ingest.formats.base import decode_text

    if not source.data.strip():
        raise DocumentError("file is empty", path=name)
    with parse_budget(timeout, path=name):
        converted = formats.convert(source)
    text = _CONTROL.sub("", converted.markdown).replace("\x00", "")
    if not text.strip():
        raise DocumentError(f"no text found in the {source.format} document", path=name)
    metadata.clear()
    metadata.update(converted.metadata)
    metadata.setdefault("format", source.format)
    if "/" in name and ".zip/" in name:
        metadata["archive"] = name.split(".zip/", 1)[0] + ".zip"
    if metadata.setdefault("line_basis", "converted") == "converted" and text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end > 0:
            metadata["_body_offset"] = text.count("\n", 0, end) + 2
    if metadata["line_basis"] == "converted" and source.format in ("html", "rst"):
        # a text source: its lessons can cite the file's own lines (ingest.formats.lines)
        metadata["_source_text"] = decode_text(source.data, path=name, what="file")
    return text, source.sha256


def parse_file(
    rel: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES, timeout: float | None = None
) -> list[tuple[str, DocumentDraft | str]]:
    """(stored path, draft or the reason it failed or was skipped) of every document in one file,
    parsed as ``kb ingest`` parses it, without a knowledge base (evaluation scripts, tests)."""
    from ingest import formats
    from ingest.parser import parse_document

    if rel.lower().endswith(MARKDOWN_SUFFIXES):
        found = [formats.Source(rel, data, format="markdown")]
    else:
        try:
            found = formats.sources(rel, data, max_bytes=max_bytes)
        except DocumentError as exc:
            return [(rel, exc.message)]
    out: list[tuple[str, DocumentDraft | str]] = []
    for source in found:
        name = formats.stored_name(source.rel)
        if source.error or source.skip:
            out.append((name, source.error or source.skip or ""))
            continue
        try:
            if source.format == "markdown" and name == rel:
                text, sha = decode_document(data, max_bytes=max_bytes, path=rel)
                metadata: dict[str, Any] = {}
            else:
                metadata = {}
                text, sha = _load_converted(source, metadata, name, timeout or 60.0)
            with parse_budget(timeout, path=name):
                out.append((name, with_metadata(parse_document(text, path=name, sha256=sha), metadata)))
        except DocumentError as exc:
            out.append((name, exc.message))
    return out


def clean_relative_path(raw: str) -> str:
    """A safe POSIX relative path for an uploaded document name."""
    parts = [p for p in raw.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts or any(not ch.isprintable() for ch in raw):
        raise InputError(
            f"invalid document path {printable(raw)!r}: use a relative path of printable characters, no '..'"
        )
    return "/".join(parts)


def printable(text: str) -> str:
    """Text safe to store and show: control characters escaped, lone surrogates replaced."""
    escaped = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return escaped.encode("utf-8", "replace").decode("utf-8")
