"""The catalog: what ranking needs to know about every constraint, without loading the rows.

``CatalogData`` holds the whole knowledge base (all teams) as columns: constraint ids, their
documents, statuses and teams as numpy arrays, the scope lists of the minority of constraints that
have any, and two BM25 indexes (lessons and whole documents) in CSR arrays. It is built from SQL at
reindex time and saved next to the FAISS index in ``catalog/`` with a sidecar (``meta.json``:
format, SQL revision, count); loading memory-maps the arrays, so a process start costs milliseconds
and a large knowledge base costs page cache rather than Python objects.

``Catalog`` is one caller's view of it (the teams it may see; its parts are in ``catalog_views``): the
interface retrieval consumes (``rows``, ``bm25``, ``known_services``, ``document_bm25``, ``by_document``,
``revision``); ``Catalog.load`` fetches the final hits in one query.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kb.errors import IndexMismatchError
from kb.index.catalog_views import CatalogRows, DocumentMembers, MaskedBM25, OnDemandRows, RankColumns
from kb.index.lexical import BM25
from kb.index.passages import split_passages
from kb.vocab import is_told_fact

if TYPE_CHECKING:  # the ORM (SQLAlchemy, SQLModel) is not imported on the query path
    from kb.records import ConstraintRecord, DocumentRecord

CATALOG_DIR = "catalog"
META_FILE = "meta.json"
# 2: BM25 stores per-posting impacts and per-term maxima; 3: document bodies (body_bm25);
# 4: technology and service postings; 5: scope and document services as arrays (not in meta.json);
# 6: merged duplicates and rejected proposals left out, open proposals under the status "proposal";
# 7: every document (with or without lessons) and its passages (passage_bm25, kb.index.passages);
# 8: lexical terms drop a stem's final e (kb.text.lexical_stem: "node" meets "nodes"); 9: facts kept
# as told left out (kb.vocab.is_told_fact)
CATALOG_FORMAT = 9

# How much of a document's body the body index reads: the summary, impact and start of the timeline
# of a postmortem, the context and decision of an ADR; one long runbook's many words must not match
# every query. 5k and 20k characters measured within one document of each other on the dev set
# (5k slightly ahead on MRR); the smaller index is cheaper at scale.
BODY_INDEX_CHARS = 5_000
# How much of a document's body is cut into passages: all of it in practice (the largest document of
# the shared corpora is about 60k characters); the cap only bounds a pathological upload.
PASSAGE_INDEX_CHARS = 400_000

RowLoader = Callable[[Sequence[int]], "dict[int, tuple[ConstraintRecord, DocumentRecord]]"]
DocumentLoader = Callable[[int], "DocumentRecord"]

_ARRAYS = (
    "ids",
    "document_of",
    "status_of",
    "team_of",
    "doc_ids",
    "doc_team",
    "doc_kind",
    "doc_pos",
    "members_ptr",
    "members",
)


@dataclass(slots=True)
class CatalogRow:
    """The columns of one constraint the catalog is built from (a light projection of the SQL row)."""

    id: int
    document_id: int
    statement: str
    rationale: str
    section: str
    status: str
    services: list[str]
    paths: list[str]
    technologies: list[str]
    rules: list[str] = field(default_factory=list)  # the extraction rules (kb.vocab.is_told_fact)


@dataclass(slots=True)
class CatalogDocument:
    id: int
    title: str
    team: str
    services: list[str]
    kind: str = ""
    body: str | None = None  # the document's searchable text (``Document.body``); None before 0002


class ListColumn(Mapping[int, list[str]]):
    """Key (a constraint or a document id) -> its list of names (services, globs, technologies), for
    the keys whose list is not empty, as CSR arrays: the keys ascending, a table of distinct names,
    and each key's name indexes. Saved with the catalog and loaded by memory map.

    The catalog's sidecar held these lists as JSON before: parsing it cost 33 ms of every cold
    query at 100k lessons (it holds the GIL the model's loading thread also needs), 0.4 s at 1M.
    """

    def __init__(self, ids: np.ndarray, names: list[str], ptr: np.ndarray, codes: np.ndarray) -> None:
        self.ids = ids  # constraint or document ids, ascending
        self.names = names
        self.ptr = ptr
        self.codes = codes  # int32 indexes into names, each key's between ptr[i] and ptr[i + 1]

    @classmethod
    def from_lists(cls, lists: Mapping[int, Sequence[str]]) -> ListColumn:
        kept = sorted((int(key), list(names)) for key, names in lists.items() if names)
        table: dict[str, int] = {}
        codes = [table.setdefault(name, len(table)) for _, names in kept for name in names]
        ptr = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum([len(names) for _, names in kept], out=ptr[1:])
        return cls(
            np.fromiter((key for key, _ in kept), dtype=np.int64, count=len(kept)),
            list(table),
            ptr,
            np.asarray(codes, dtype=np.int32),
        )

    def _position(self, key: object) -> int:
        if not isinstance(key, int | np.integer) or not len(self.ids):
            return -1
        pos = int(np.searchsorted(self.ids, int(key)))
        return pos if pos < len(self.ids) and int(self.ids[pos]) == int(key) else -1

    def __getitem__(self, key: int) -> list[str]:
        pos = self._position(key)
        if pos < 0:
            raise KeyError(key)
        names = self.names
        return [names[i] for i in self.codes[self.ptr[pos] : self.ptr[pos + 1]].tolist()]

    def __contains__(self, key: object) -> bool:
        return self._position(key) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids.tolist())

    def __len__(self) -> int:
        return len(self.ids)

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (key, name index) pair, as two aligned arrays."""
        return np.repeat(self.ids, np.diff(self.ptr)), np.asarray(self.codes)

    def names_of(self, keep: np.ndarray | None = None) -> set[str]:
        """The distinct names of the keys ``keep`` selects (a bool per key; None: every key)."""
        if keep is None:
            return set(self.names)
        used = np.unique(np.asarray(self.codes)[np.repeat(keep, np.diff(self.ptr))])
        return {self.names[i] for i in used.tolist()}

    def keys_by_name(self, keep: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Each name (in table order) and the ids, ascending, of the keys ``keep`` selects that
        carry it (``keep`` as in ``names_of``)."""
        ids, codes = self.pairs()
        if keep is not None:
            chosen = np.repeat(keep, np.diff(self.ptr))
            ids, codes = ids[chosen], codes[chosen]
        order = np.argsort(codes, kind="stable")  # pairs come in id order: ids stay ascending
        ids, codes = ids[order], codes[order]
        bounds = np.searchsorted(codes, np.arange(len(self.names) + 1))
        return {
            name: np.unique(ids[bounds[code] : bounds[code + 1]])
            for code, name in enumerate(self.names)
            if bounds[code] < bounds[code + 1]
        }

    def save(self, directory: Path, name: str) -> None:
        _save_arrays(directory, name, self.names, ids=self.ids, ptr=self.ptr, codes=self.codes)

    @classmethod
    def load(cls, directory: Path, name: str, *, mmap: bool = True) -> ListColumn:
        names, (ids, ptr, codes) = _load_arrays(directory, name, ("ids", "ptr", "codes"), mmap=mmap)
        return cls(ids, names, ptr, codes)


class ScopeLists(Mapping[int, tuple[list[str], list[str], list[str]]]):
    """Constraint id -> (services, paths, technologies), for the constraints that have any."""

    def __init__(self, services: ListColumn, paths: ListColumn, technologies: ListColumn) -> None:
        self.services = services
        self.paths = paths
        self.technologies = technologies
        self._keys: np.ndarray | None = None

    def _columns(self) -> tuple[ListColumn, ListColumn, ListColumn]:
        return self.services, self.paths, self.technologies

    def __getitem__(self, cid: int) -> tuple[list[str], list[str], list[str]]:
        found = [column.get(cid, []) for column in self._columns()]
        if not any(found):
            raise KeyError(cid)
        return found[0], found[1], found[2]

    def __contains__(self, cid: object) -> bool:
        return any(cid in column for column in self._columns())

    def keys_array(self) -> np.ndarray:
        if self._keys is None:
            self._keys = np.union1d(np.union1d(self.services.ids, self.paths.ids), self.technologies.ids)
        return self._keys

    def __iter__(self) -> Iterator[int]:
        return iter(self.keys_array().tolist())

    def __len__(self) -> int:
        return len(self.keys_array())

    def save(self, directory: Path) -> None:
        for name, column in zip(_SCOPE_FIELDS, self._columns(), strict=True):
            column.save(directory, f"scope-{name}")

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> ScopeLists:
        services, paths, technologies = (
            ListColumn.load(directory, f"scope-{name}", mmap=mmap) for name in _SCOPE_FIELDS
        )
        return cls(services, paths, technologies)


_SCOPE_FIELDS = ("services", "paths", "technologies")


class ScopePostings:
    """Name (a technology, a service) -> the ascending row positions of the lessons that carry it,
    in CSR arrays like BM25's postings, saved with the catalog and loaded by memory map.

    Scope evidence for a query's hundreds of candidates is then a few array lookups instead of a
    set intersection per candidate (which cost about 1 ms a query at 100k lessons). Built at
    reindex time: built on first use instead, a million lessons' postings cost the first query
    that named a technology or a service 0.3 s.
    """

    def __init__(self, names: list[str], indptr: np.ndarray, rows: np.ndarray) -> None:
        self.names = names
        self._index = {name: i for i, name in enumerate(names)}
        self.indptr = indptr
        self.rows = rows

    @classmethod
    def from_lists(cls, collected: Mapping[str, list[int] | np.ndarray]) -> ScopePostings:
        names = sorted(collected)
        parts = [np.unique(np.asarray(collected[name], dtype=np.int32)) for name in names]
        indptr = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in parts], out=indptr[1:])
        rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        return cls(names, indptr, rows.astype(np.int32))

    def rows_of(self, name: str) -> np.ndarray:
        i = self._index.get(name)
        return self.rows[self.indptr[i] : self.indptr[i + 1]] if i is not None else self.rows[:0]

    def count(self, names: Iterable[str], positions: np.ndarray) -> np.ndarray:
        """For each row position, how many of ``names`` its lesson carries."""
        counts = np.zeros(len(positions), dtype=np.int32)
        for name in set(names):
            rows = self.rows_of(name)
            if not len(rows) or not len(positions):
                continue
            at = np.minimum(np.searchsorted(rows, positions), len(rows) - 1)
            counts += rows[at] == positions
        return counts

    def save(self, directory: Path, name: str) -> None:
        _save_arrays(directory, name, self.names, indptr=self.indptr, rows=self.rows)

    @classmethod
    def load(cls, directory: Path, name: str, *, mmap: bool = True) -> ScopePostings:
        names, (indptr, rows) = _load_arrays(directory, name, ("indptr", "rows"), mmap=mmap)
        return cls(names, indptr, rows)


def _save_arrays(directory: Path, name: str, names: list[str], **arrays: np.ndarray) -> None:
    """``arrays`` as ``<name>.<key>.npy`` and a table of ``names`` as ``<name>.names.json``."""
    for key, array in arrays.items():
        np.save(directory / f"{name}.{key}.npy", array)
    (directory / f"{name}.names.json").write_text(json.dumps(names), encoding="utf-8")


def _load_arrays(
    directory: Path, name: str, keys: Sequence[str], *, mmap: bool
) -> tuple[list[str], list[np.ndarray]]:
    """What ``_save_arrays`` wrote: the names, and the arrays of ``keys`` (memory-mapped if asked)."""
    mode: Any = "r" if mmap else None
    names: list[str] = json.loads((directory / f"{name}.names.json").read_text(encoding="utf-8"))
    # np.asarray drops the memmap subclass (slow scalar indexing), keeping the mapping.
    arrays = [np.asarray(np.load(directory / f"{name}.{key}.npy", mmap_mode=mode)) for key in keys]
    return names, arrays


class PassageTable:
    """Every passage's document, heading path and lines (in the stored body's numbering), as arrays
    aligned with ``passage_bm25``'s rows; saved with the catalog and loaded by memory map."""

    def __init__(
        self, documents: np.ndarray, lines: np.ndarray, headings: list[str], heading_of: np.ndarray
    ) -> None:
        self.documents = documents  # int64 document id per passage
        self.lines = lines  # int32 (n, 2): first and last line
        self.headings = headings  # distinct heading paths
        self.heading_of = heading_of  # int32 index into headings per passage

    @classmethod
    def build(cls, documents: Iterable[CatalogDocument]) -> tuple[PassageTable, list[str]]:
        """The table and each passage's indexed text (its heading path, then its lines)."""
        doc_ids: list[int] = []
        spans: list[tuple[int, int]] = []
        table: dict[str, int] = {}
        codes: list[int] = []
        texts: list[str] = []
        for document in documents:
            for passage in split_passages(document.body or ""):
                doc_ids.append(document.id)
                spans.append((passage.line_start, passage.line_end))
                codes.append(table.setdefault(passage.heading, len(table)))
                texts.append(f"{passage.heading} {passage.text}")
        lines = np.asarray(spans, dtype=np.int32).reshape(len(spans), 2)
        return (
            cls(np.asarray(doc_ids, dtype=np.int64), lines, list(table), np.asarray(codes, dtype=np.int32)),
            texts,
        )

    def __len__(self) -> int:
        return len(self.documents)

    def heading(self, row: int) -> str:
        return self.headings[int(self.heading_of[row])]

    def save(self, directory: Path, name: str) -> None:
        arrays = {"documents": self.documents, "lines": self.lines, "heading_of": self.heading_of}
        _save_arrays(directory, name, self.headings, **arrays)

    @classmethod
    def load(cls, directory: Path, name: str, *, mmap: bool = True) -> PassageTable:
        headings, (documents, lines, heading_of) = _load_arrays(
            directory, name, ("documents", "lines", "heading_of"), mmap=mmap
        )
        return cls(documents, lines, headings, heading_of)


@dataclass(slots=True)
class CatalogData:
    """Every constraint of the knowledge base as ranking columns, all teams; see the module docstring."""

    revision: int
    ids: np.ndarray  # int64, ascending constraint ids (row position = index)
    document_of: np.ndarray  # int64 per row
    status_of: np.ndarray  # int8 per row, index into statuses
    team_of: np.ndarray  # int16 per row, index into teams
    doc_ids: np.ndarray  # int64, ascending document ids
    doc_team: np.ndarray  # int16 per document
    doc_kind: np.ndarray  # int8 per document, index into kinds
    doc_pos: np.ndarray  # int32 per row: its document's position in doc_ids
    members_ptr: np.ndarray  # int64 CSR: document position -> its constraints' row positions
    members: np.ndarray  # int32 row positions, ascending within a document
    statuses: list[str]
    teams: list[str]
    kinds: list[str]
    scope: ScopeLists  # id -> (services, paths, technologies), for the lessons that have any
    document_services: ListColumn  # document id -> its services
    bm25: BM25
    document_bm25: BM25
    body_bm25: BM25
    # Every document's passages (kb.index.passages) and BM25 over them (row = passage position).
    passages: PassageTable
    passage_bm25: BM25
    # Built from ``scope`` and ``document_services`` (see ``ScopePostings``); saved and loaded.
    _technology_postings: ScopePostings | None = field(default=None, init=False, repr=False, compare=False)
    _service_postings: ScopePostings | None = field(default=None, init=False, repr=False, compare=False)

    def technology_postings(self) -> ScopePostings:
        if self._technology_postings is None:
            self._technology_postings = ScopePostings.from_lists(
                self._rows_by_name(self.scope.technologies, lambda name: name, self.ids)
            )
        return self._technology_postings

    def service_postings(self) -> ScopePostings:
        """Lowercased service -> rows whose lesson or whose document names it."""
        if self._service_postings is None:
            merged = self._rows_by_name(self.scope.services, str.lower, self.ids)
            # A document's services reach all its lessons: gathered per service, not per lesson.
            by_document = self._rows_by_name(self.document_services, str.lower, self.doc_ids)
            for name, doc_positions in by_document.items():
                rows = self.member_rows(np.unique(doc_positions))
                merged[name] = np.concatenate([merged[name], rows]) if name in merged else rows
            self._service_postings = ScopePostings.from_lists(merged)
        return self._service_postings

    @staticmethod
    def _rows_by_name(
        column: ListColumn, key: Callable[[str], str], within: np.ndarray
    ) -> dict[str, np.ndarray]:
        """``key(name)`` -> the positions in ``within`` (lesson or document ids) of the keys
        ``column`` gives that name."""
        out: dict[str, np.ndarray] = {}
        for name, ids in column.keys_by_name().items():
            positions = np.searchsorted(within, ids)
            grouped = key(name)
            out[grouped] = np.concatenate([out[grouped], positions]) if grouped in out else positions
        return out

    def member_rows(self, doc_positions: np.ndarray) -> np.ndarray:
        """The row positions of the lessons of the documents at ``doc_positions``."""
        starts = self.members_ptr[doc_positions]
        lengths = self.members_ptr[doc_positions + 1] - starts
        if not lengths.sum():
            return np.zeros(0, dtype=np.int64)
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        return np.asarray(self.members[offsets + np.arange(int(lengths.sum()))], dtype=np.int64)

    @classmethod
    def build(
        cls, rows: Iterable[CatalogRow], documents: Iterable[CatalogDocument], *, revision: int
    ) -> CatalogData:
        # A fact kept as told (a postmortem's cause sentence) is no lesson to rank: its words are the
        # document's own, which its passages index already; as a lesson it took a document's places
        # (max_per_document) from the rules its incident taught and moved the lessons' idf and ranks.
        ordered = sorted((r for r in rows if not is_told_fact(r.rules)), key=lambda r: r.id)
        docs = {d.id: d for d in documents}
        statuses = sorted({r.status for r in ordered})
        teams = sorted({d.team for d in docs.values()})
        kinds = sorted({d.kind for d in docs.values()})
        kind_code = {k: i for i, k in enumerate(kinds)}
        status_code = {s: i for i, s in enumerate(statuses)}
        team_code = {t: i for i, t in enumerate(teams)}
        ids = np.fromiter((r.id for r in ordered), dtype=np.int64, count=len(ordered))
        document_of = np.fromiter((r.document_id for r in ordered), dtype=np.int64, count=len(ordered))
        status_of = np.fromiter((status_code[r.status] for r in ordered), dtype=np.int8, count=len(ordered))
        team_of = np.fromiter(
            (team_code[docs[r.document_id].team] for r in ordered), dtype=np.int16, count=len(ordered)
        )
        # Every document, with or without lessons: a document from which extraction found nothing is
        # still ranked by its body and its passages.
        doc_ids = np.union1d(document_of, np.fromiter(docs, dtype=np.int64, count=len(docs)))
        order = np.argsort(document_of, kind="stable")
        counts = np.searchsorted(document_of[order], doc_ids, side="right") - np.searchsorted(
            document_of[order], doc_ids, side="left"
        )
        members_ptr = np.zeros(len(doc_ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=members_ptr[1:])
        doc_team = np.fromiter(
            (team_code[docs[int(d)].team] for d in doc_ids), dtype=np.int16, count=len(doc_ids)
        )
        doc_kind = np.fromiter(
            (kind_code[docs[int(d)].kind] for d in doc_ids), dtype=np.int8, count=len(doc_ids)
        )
        scope = ScopeLists(
            ListColumn.from_lists({r.id: r.services for r in ordered if r.services}),
            ListColumn.from_lists({r.id: r.paths for r in ordered if r.paths}),
            ListColumn.from_lists({r.id: r.technologies for r in ordered if r.technologies}),
        )
        document_services = ListColumn.from_lists({int(d): docs[int(d)].services for d in doc_ids})
        members = order.astype(np.int32)
        bm25 = BM25(ids, (row_text(r, docs[r.document_id].title) for r in ordered))
        document_bm25 = BM25(
            doc_ids,
            (
                documents_text(
                    docs[int(d)], [ordered[int(p)] for p in members[members_ptr[i] : members_ptr[i + 1]]]
                )
                for i, d in enumerate(doc_ids)
            ),
        )
        body_bm25 = BM25(doc_ids, (body_text(docs[int(d)]) for d in doc_ids))
        passages, passage_texts = PassageTable.build(docs[int(d)] for d in doc_ids)
        passage_bm25 = BM25(np.arange(len(passages), dtype=np.int64), passage_texts)
        data = cls(
            revision=revision,
            ids=ids,
            document_of=document_of,
            status_of=status_of,
            team_of=team_of,
            doc_ids=doc_ids,
            doc_team=doc_team,
            doc_kind=doc_kind,
            doc_pos=np.searchsorted(doc_ids, document_of).astype(np.int32),
            members_ptr=members_ptr,
            members=members,
            statuses=statuses,
            teams=teams,
            kinds=kinds,
            scope=scope,
            document_services=document_services,
            bm25=bm25,
            document_bm25=document_bm25,
            body_bm25=body_bm25,
            passages=passages,
            passage_bm25=passage_bm25,
        )
        data.technology_postings()
        data.service_postings()
        return data

    # --- persistence ---------------------------------------------------------------------------------

    def save(self, index_dir: Path) -> None:
        """Write ``index_dir/catalog`` whole: into a temporary folder first, then swapped in."""
        index_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=index_dir, prefix=".catalog-"))
        for key in _ARRAYS:
            np.save(tmp / f"{key}.npy", np.ascontiguousarray(getattr(self, key)))
        self.bm25.save(tmp, "lessons")
        self.document_bm25.save(tmp, "documents")
        self.body_bm25.save(tmp, "bodies")
        self.passages.save(tmp, "passages")
        self.passage_bm25.save(tmp, "passage-text")
        self.technology_postings().save(tmp, "technologies")
        self.service_postings().save(tmp, "services")
        self.scope.save(tmp)
        self.document_services.save(tmp, "document-services")
        meta = {
            "format": CATALOG_FORMAT,
            "revision": self.revision,
            "count": len(self.ids),
            "statuses": self.statuses,
            "teams": self.teams,
            "kinds": self.kinds,
        }
        # The sidecar goes last: a folder without it is never loaded.
        (tmp / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
        os.chmod(tmp, 0o700)  # lesson text and scope: owner only
        target = index_dir / CATALOG_DIR
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=index_dir, prefix=".catalog-old-"))
            os.replace(target, old / CATALOG_DIR)
        os.replace(tmp, target)
        if old is not None:
            # Readers that mapped the old files keep them until they close (POSIX unlink semantics).
            shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, index_dir: Path, *, revision: int | None = None, mmap: bool = True) -> CatalogData:
        """Load a saved catalog, refusing it when its sidecar does not match ``revision``."""
        directory = index_dir / CATALOG_DIR
        try:
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise IndexMismatchError(f"no saved catalog in {index_dir}") from exc
        except ValueError as exc:
            raise IndexMismatchError(f"unreadable catalog sidecar in {directory}: {exc}") from exc
        if meta.get("format") != CATALOG_FORMAT:
            raise IndexMismatchError(f"catalog format {meta.get('format')} != {CATALOG_FORMAT}")
        if revision is not None and meta.get("revision") != revision:
            raise IndexMismatchError(f"catalog revision {meta.get('revision')} != {revision} in SQL")
        mode: Any = "r" if mmap else None
        try:
            # np.asarray drops the memmap subclass (slow scalar indexing), keeping the mapping.
            arrays = {key: np.asarray(np.load(directory / f"{key}.npy", mmap_mode=mode)) for key in _ARRAYS}
            bm25 = BM25.load(directory, "lessons", mmap=mmap)
            document_bm25 = BM25.load(directory, "documents", mmap=mmap)
            body_bm25 = BM25.load(directory, "bodies", mmap=mmap)
            passages = PassageTable.load(directory, "passages", mmap=mmap)
            passage_bm25 = BM25.load(directory, "passage-text", mmap=mmap)
            technologies = ScopePostings.load(directory, "technologies", mmap=mmap)
            services = ScopePostings.load(directory, "services", mmap=mmap)
            scope = ScopeLists.load(directory, mmap=mmap)
            document_services = ListColumn.load(directory, "document-services", mmap=mmap)
        except (OSError, ValueError) as exc:
            raise IndexMismatchError(f"unreadable catalog in {directory}: {exc}") from exc
        if len(arrays["ids"]) != meta["count"] or len(bm25) != meta["count"]:
            raise IndexMismatchError("catalog arrays do not match their sidecar")
        data = cls(
            revision=int(meta["revision"]),
            statuses=list(meta["statuses"]),
            teams=list(meta["teams"]),
            kinds=list(meta["kinds"]),
            scope=scope,
            document_services=document_services,
            bm25=bm25,
            document_bm25=document_bm25,
            body_bm25=body_bm25,
            passages=passages,
            passage_bm25=passage_bm25,
            **arrays,
        )
        data._technology_postings = technologies
        data._service_postings = services
        return data


def read_catalog_rows(store: Any) -> tuple[list[CatalogRow], list[CatalogDocument]]:
    """The catalog's columns from SQL as plain tuples (no records): fast at a million rows."""
    rows, documents = store.catalog_columns(body_chars=PASSAGE_INDEX_CHARS)
    return [CatalogRow(*r) for r in rows], [CatalogDocument(*r) for r in documents]


@dataclass(slots=True)
class Catalog:
    """The constraints one caller may see, for lexical and scope matching (see the module docstring)."""

    revision: int
    rows: CatalogRows
    bm25: BM25
    known_services: set[str]
    document_bm25: BM25
    by_document: DocumentMembers
    # BM25 over the documents' own text (their bodies, capped); empty for documents stored before 0002.
    body_bm25: BM25 | None = None
    # Every visible document's passages, and BM25 over them (None: a catalog built without).
    passages: PassageTable | None = None
    passage_bm25: BM25 | None = None
    # Which rows of body_bm25 (documents) have lessons: the lessons' body evidence ranks among them.
    documents_with_lessons: np.ndarray | None = None
    # The path globs of the constraints that have any (the only ones a changed path can match),
    # and which of them this view may see (None: all).
    paths_of: ListColumn = field(default_factory=lambda: ListColumn.from_lists({}))
    paths_visible: np.ndarray | None = None
    loader: RowLoader | None = None
    _by_pattern: dict[str, list[int]] | None = field(default=None, repr=False)

    def patterns_of(self, constraint_id: int) -> list[str]:
        """The path globs of one constraint, in their own order."""
        return self.paths_of.get(constraint_id, []) if constraint_id in self.rows else []

    def constraints_by_pattern(self) -> dict[str, list[int]]:
        """Each distinct path glob and the constraints (ascending ids) that carry it.

        Many lessons share a glob (``*.tf``, ``deploy/k8s/*.yaml``): matching each distinct glob
        once against a diff's paths is what keeps path evidence cheap at scale.
        """
        if self._by_pattern is None:
            by_name = self.paths_of.keys_by_name(self.paths_visible)
            self._by_pattern = {pattern: ids.tolist() for pattern, ids in by_name.items()}
        return self._by_pattern

    @classmethod
    def from_data(
        cls,
        data: CatalogData,
        *,
        teams: Sequence[str] | None = None,
        loader: RowLoader,
        document_loader: DocumentLoader | None = None,
    ) -> Catalog:
        visible: np.ndarray | None = None
        visible_docs: np.ndarray | None = None
        if teams is not None:
            codes = [i for i, t in enumerate(data.teams) if t in set(teams)]
            visible = np.isin(data.team_of, codes)
            visible_docs = np.isin(data.doc_team, codes)
        source = OnDemandRows(loader, document_loader)
        rows = CatalogRows(data, visible, source)

        def seen(column: ListColumn) -> np.ndarray | None:
            """Which of a lesson column's keys this view may see."""
            return None if visible is None else rows.positions(column.ids) >= 0

        document_services = data.document_services
        seen_documents = (
            None
            if visible_docs is None
            else visible_docs[np.searchsorted(data.doc_ids, document_services.ids)]
        )
        names = data.scope.services.names_of(seen(data.scope.services))
        names |= document_services.names_of(seen_documents)
        services = {name.lower() for name in names if name}
        by_document = DocumentMembers(data, visible_docs)
        passage_bm25 = data.passage_bm25
        if visible_docs is not None:
            passage_bm25 = MaskedBM25(
                passage_bm25, visible_docs[np.searchsorted(data.doc_ids, data.passages.documents)]
            )
        return cls(
            revision=data.revision,
            rows=rows,
            bm25=data.bm25 if visible is None else MaskedBM25(data.bm25, visible),
            known_services=services,
            document_bm25=data.document_bm25
            if visible_docs is None
            else MaskedBM25(data.document_bm25, visible_docs),
            by_document=by_document,
            body_bm25=data.body_bm25 if visible_docs is None else MaskedBM25(data.body_bm25, visible_docs),
            passages=data.passages,
            passage_bm25=passage_bm25,
            documents_with_lessons=np.diff(data.members_ptr) > 0,
            paths_of=data.scope.paths,
            paths_visible=seen(data.scope.paths),
            loader=loader,
        )

    @classmethod
    def build(cls, rows: list[tuple[ConstraintRecord, DocumentRecord]], *, revision: int) -> Catalog:
        """A catalog over rows already in memory (small knowledge bases, tests)."""
        by_id = {c.id or 0: (c, d) for c, d in rows}
        documents = {d.id or 0: d for _, d in rows}
        data = CatalogData.build(
            (
                CatalogRow(
                    c.id or 0,
                    c.document_id,
                    c.statement,
                    c.rationale,
                    c.section,
                    c.status,
                    list(c.services),
                    list(c.paths),
                    list(c.technologies),
                    list(getattr(c, "rules", None) or []),
                )
                for c, _ in rows
            ),
            (
                CatalogDocument(d.id or 0, d.title, d.team, list(d.services), d.kind, d.body)
                for d in documents.values()
            ),
            revision=revision,
        )
        return cls.from_data(
            data,
            loader=lambda ids: {cid: by_id[cid] for cid in ids if cid in by_id},
            document_loader=documents.__getitem__,
        )

    def members_of(self, document_ids: Iterable[int]) -> list[int]:
        """The constraint ids of the visible documents among ``document_ids``."""
        return self.by_document.members_of(document_ids)

    def columns(
        self, ids: Iterable[int], *, include_retired: bool = False, include_proposed: bool = False
    ) -> RankColumns:
        """Ranking columns of the visible ``ids``, ascending (see ``RankColumns``)."""
        return self.rows.columns(ids, include_retired=include_retired, include_proposed=include_proposed)

    def technology_counts(self, technologies: Iterable[str], columns: RankColumns) -> np.ndarray:
        """For each candidate, how many of ``technologies`` its lesson carries."""
        return self.rows.data.technology_postings().count(technologies, columns.positions)

    def service_counts(self, services: Iterable[str], columns: RankColumns) -> np.ndarray:
        """For each candidate, how many of ``services`` (lowercase) its lesson or document names."""
        return self.rows.data.service_postings().count(services, columns.positions)

    def load(self, ids: Sequence[int]) -> dict[int, tuple[ConstraintRecord, DocumentRecord]]:
        """Full rows for ``ids`` (the final hits) in one query."""
        if self.loader is None or not ids:
            return {}
        return self.loader(list(ids))


def row_text(row: CatalogRow, title: str) -> str:
    # The statement counts twice: it is the lesson; the rest is context.
    return " ".join(
        [
            row.statement,
            row.statement,
            row.rationale,
            row.section,
            title,
            " ".join(row.technologies),
            " ".join(row.services),
            " ".join(row.paths),
        ]
    )


def documents_text(document: CatalogDocument, rows: Sequence[CatalogRow]) -> str:
    """A document as its lessons tell it: the title, then every section, statement and rationale once."""
    seen: set[str] = set()
    parts = [document.title, document.title, " ".join(document.services)]
    for row in rows:
        for text in (row.section, row.statement, row.rationale):
            if text and text not in seen:
                seen.add(text)
                parts.append(text)
    return " ".join(parts)


def body_text(document: CatalogDocument) -> str:
    """A document as its author wrote it: the title, then the start of its body."""
    return " ".join([document.title, (document.body or "")[:BODY_INDEX_CHARS]])


def document_text(document: DocumentRecord, constraints: list[ConstraintRecord]) -> str:
    return documents_text(
        CatalogDocument(document.id or 0, document.title, document.team, list(document.services)),
        [
            CatalogRow(c.id or 0, c.document_id, c.statement, c.rationale, c.section, c.status, [], [], [])
            for c in constraints
        ],
    )
