"""Resolve ADR supersession links across the documents of one ingest root.

:func:`ingest.parser.parse_document` sees one file at a time, so it only records the
references as written ("ADR-0057", "0045", "20", "0015-dns-infrastructure.md") in
``metadata["superseded_by"]`` / ``metadata["supersedes"]``. This module maps those
references to document paths and applies the consequences:

* ``metadata["superseded_by_paths"]`` / ``metadata["supersedes_paths"]`` on both ends;
* the superseded document gets status ``superseded`` and each of its constraints gets
  status ``superseded`` plus a ``superseded-by:<path>`` tag;
* a *partly* superseded document keeps its constraints active, tagged
  ``partly-superseded-by:<path>``, because part of the decision still holds.

A reference resolves by ADR number (``metadata["adr_number"]`` or the file-name prefix) or by
file name, preferring documents in the same folder, then anywhere under the same top-level set.
The function is pure apart from mutating the drafts, and idempotent: call it on ALL drafts of a
root (changed and unchanged files alike) before writing, so that a successor ingested in
another batch still marks its predecessor.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from kb.records import DocumentDraft

_NUM = re.compile(r"(\d{1,5})")
_FILE_NUM = re.compile(r"^(?:[A-Za-z]+-)*?(\d{1,5})(?=[-_. ]|$)")
_PROPOSAL_STATUSES = ("proposed", "pending", "rejected", "deprecated")


def _folder(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _top(path: str) -> str:
    parts = PurePosixPath(path).parts
    return "/".join(parts[:2]) if len(parts) > 2 else (parts[0] if parts else "")


def _numbers(draft: DocumentDraft) -> list[int]:
    """The file-name number first (titles are sometimes mis-numbered), then the metadata one."""
    out: list[int] = []
    m = _FILE_NUM.match(PurePosixPath(draft.path).name)
    if m:
        out.append(int(m.group(1)))
    num = draft.metadata.get("adr_number")
    if isinstance(num, int) and num not in out:
        out.append(num)
    return out


class _Index:
    def __init__(self, drafts: list[DocumentDraft]) -> None:
        # tables in preference order: file-name number, then metadata number; folder, then set
        self.tables: list[tuple[bool, dict[tuple[str, int], list[str]]]] = [
            (same_folder, {}) for same_folder in (True, False) for _ in range(2)
        ]
        self.by_name: dict[str, list[str]] = {}
        for d in drafts:
            if d.kind != "adr":
                continue
            for rank, num in enumerate(_numbers(d)[:2]):
                for level, same_folder in enumerate((True, False)):
                    key = (_folder(d.path) if same_folder else _top(d.path), num)
                    self.tables[level * 2 + rank][1].setdefault(key, []).append(d.path)
            self.by_name.setdefault(PurePosixPath(d.path).name.lower(), []).append(d.path)

    def resolve(self, ref: str, source: str) -> str | None:
        ref = ref.strip()
        if not ref or "://" in ref:
            return None
        name = PurePosixPath(ref).name.lower()
        if name in self.by_name:
            same = [p for p in self.by_name[name] if _folder(p) == _folder(source)]
            cands = same or [p for p in self.by_name[name] if _top(p) == _top(source)]
            if len(cands) == 1:
                return cands[0]
        m = _NUM.search(ref)
        if not m or (len(ref) > 12 and not re.match(r"^\s*(?:ADR[- #]*)?\d", ref, re.I)):
            return None
        num = int(m.group(1))
        for same_folder, table in self.tables:
            key = (_folder(source) if same_folder else _top(source), num)
            cands = sorted({p for p in table.get(key, []) if p != source})
            if len(cands) == 1:
                return cands[0]
            if cands:
                return None  # ambiguous: several documents carry this number
        return None


def _as_refs(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    if isinstance(value, str) and value.strip():
        return [value]
    return []


def _add(meta: dict[str, object], key: str, value: str) -> bool:
    current = meta.get(key)
    items = [str(v) for v in current] if isinstance(current, list) else []
    if value in items:
        return False
    meta[key] = [*items, value]
    return True


def _mark_superseded(draft: DocumentDraft, successor: str, *, partly: bool) -> None:
    tag = f"{'partly-' if partly else ''}superseded-by:{successor}"
    if not partly:
        draft.status = "superseded"
    for c in draft.constraints:
        if not partly and c.status in ("active", "proposed"):
            c.status = "superseded"
        if tag not in c.tags:
            c.tags.append(tag)


def resolve_supersession(drafts: list[DocumentDraft]) -> set[str]:
    """Link supersession references across ``drafts`` (mutated in place).

    Returns the paths of the drafts that changed, so a caller can rewrite stored documents
    that were otherwise unchanged.
    """
    by_path = {d.path: d for d in drafts}
    index = _Index(drafts)
    changed: set[str] = set()
    # (old, new, partly) edges
    edges: list[tuple[str, str, bool]] = []
    for d in drafts:
        if d.kind != "adr":
            continue
        partly = bool(d.metadata.get("partly_superseded"))
        for ref in _as_refs(d.metadata.get("superseded_by")):
            target = index.resolve(ref, d.path)
            if target and target != d.path:
                edges.append((d.path, target, partly))
        for ref in _as_refs(d.metadata.get("supersedes")):
            target = index.resolve(ref, d.path)
            if not target or target == d.path:
                continue
            if (d.status or "accepted") in _PROPOSAL_STATUSES:
                # a proposal does not replace anything until it is accepted
                if _add(d.metadata, "supersedes_paths", target):
                    changed.add(d.path)
                continue
            edges.append((target, d.path, bool(d.metadata.get("supersedes_partly"))))
    for old, new, partly in edges:
        old_d, new_d = by_path[old], by_path[new]
        partly = partly or bool(old_d.metadata.get("partly_superseded"))
        before = (old_d.status, [(c.status, len(c.tags)) for c in old_d.constraints], dict(old_d.metadata))
        _add(old_d.metadata, "superseded_by_paths", new)
        _mark_superseded(old_d, new, partly=partly)
        after = (old_d.status, [(c.status, len(c.tags)) for c in old_d.constraints], old_d.metadata)
        if before != after:
            changed.add(old)
        if _add(new_d.metadata, "supersedes_paths", old):
            changed.add(new)
    return changed


def scope_of(path: str) -> str:
    """The set of documents a reference in ``path`` can resolve to (see :func:`resolve_supersession`)."""
    return _top(path)


__all__ = ["resolve_supersession", "scope_of"]
