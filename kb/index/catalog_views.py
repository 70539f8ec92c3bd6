"""One caller's view of the catalog: the rows and indexes of the teams it may see.

``CatalogRows`` maps a constraint id to light stand-ins for ``(ConstraintRecord, DocumentRecord)``
that carry the ranking fields (id, document id, status, services, paths, technologies) and load the
full row from SQL only when another field is read; ``RankColumns`` holds many candidates' ranking
fields as arrays; ``DocumentMembers`` and ``MaskedBM25`` hide the documents and rows of other teams.
``kb.index.catalog.Catalog`` assembles them over the shared ``CatalogData``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from kb.index.lexical import BM25, Ranked

if TYPE_CHECKING:  # kb.index.catalog imports this module: these names serve annotations only
    from kb.index.catalog import CatalogData, DocumentLoader, RowLoader
    from kb.records import ConstraintRecord, DocumentRecord


class OnDemandRows:
    """Loads full rows on demand, one at a time (a batch goes through ``Catalog.load``)."""

    def __init__(self, rows: RowLoader, document: DocumentLoader | None) -> None:
        self.rows = rows
        self.document = document

    def constraint(self, cid: int) -> ConstraintRecord:
        return self.rows([cid])[cid][0]

    def document_by_id(self, document_id: int) -> DocumentRecord:
        if self.document is None:
            raise LookupError(document_id)
        return self.document(document_id)


class ConstraintView:
    """A constraint's ranking fields; any other field loads the full row (once)."""

    __slots__ = ("_full", "_source", "document_id", "id", "paths", "services", "status", "technologies")

    def __init__(
        self,
        cid: int,
        document_id: int,
        status: str,
        scope: tuple[list[str], list[str], list[str]],
        source: OnDemandRows,
    ) -> None:
        self.id = cid
        self.document_id = document_id
        self.status = status
        self.services, self.paths, self.technologies = scope
        self._source = source
        self._full: ConstraintRecord | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._full is None:
            self._full = self._source.constraint(self.id)
        return getattr(self._full, name)


class DocumentView:
    """A document's id, kind and services; any other field loads the full row (once)."""

    __slots__ = ("_full", "_source", "id", "kind", "services")

    def __init__(self, document_id: int, kind: str, services: list[str], source: OnDemandRows) -> None:
        self.id = document_id
        self.kind = kind
        self.services = services
        self._source = source
        self._full: DocumentRecord | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._full is None:
            self._full = self._source.document_by_id(self.id)
        return getattr(self._full, name)


_NO_SCOPE: tuple[list[str], list[str], list[str]] = ([], [], [])


@dataclass(slots=True)
class RankColumns:
    """The ranking columns of many candidates at once, in the order asked for (visible ids only).

    Ranking hundreds of candidates a query through per-row stand-ins cost more than the search
    itself at 100k lessons; columns cost a few numpy gathers.
    """

    ids: np.ndarray  # int64 constraint ids
    document_ids: np.ndarray  # int64, each id's document
    statuses: np.ndarray  # str objects
    kinds: np.ndarray  # str objects: each id's document kind
    positions: np.ndarray  # int64 row positions in the catalog (for the scope postings)


class CatalogRows(Mapping[int, "tuple[ConstraintRecord, DocumentRecord]"]):
    """Constraint id -> light (constraint, document) stand-ins, for the rows a caller may see."""

    def __init__(self, data: CatalogData, visible: np.ndarray | None, source: OnDemandRows) -> None:
        self._data = data
        self._visible = visible
        self._source = source
        self._count = int(visible.sum()) if visible is not None else len(data.ids)
        n = len(data.ids)
        self._first = int(data.ids[0]) if n else 0
        # Ids of a knowledge base that never deleted a lesson are a range: position = id - first.
        self._contiguous = bool(n) and int(data.ids[-1]) - self._first + 1 == n

    @property
    def data(self) -> CatalogData:
        return self._data

    def position(self, cid: int) -> int:
        """Row position of ``cid``, or -1 when absent or hidden."""
        ids = self._data.ids
        n = len(ids)
        if self._contiguous:
            pos = cid - self._first
            if not 0 <= pos < n:
                return -1
        else:
            pos = int(np.searchsorted(ids, cid))
            if pos >= n or int(ids[pos]) != cid:
                return -1
        if self._visible is not None and not self._visible[pos]:
            return -1
        return pos

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Row positions of ``ids`` (int64 array); -1 where absent or hidden."""
        data = self._data
        n = len(data.ids)
        if n == 0 or len(ids) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        if self._contiguous:
            pos = ids - self._first
            found = (pos >= 0) & (pos < n)
        else:
            pos = np.searchsorted(data.ids, ids)
            found = pos < n
            found[found] = data.ids[pos[found]] == ids[found]
        pos = np.where(found, pos, -1)
        if self._visible is not None:
            pos[found] = np.where(self._visible[pos[found]], pos[found], -1)
        return pos

    def columns(
        self, ids: Iterable[int], *, include_retired: bool = False, include_proposed: bool = False
    ) -> RankColumns:
        """Ranking columns of the visible ``ids`` (ascending); retired lessons and unreviewed
        proposals (catalog status "proposal") only when asked for."""
        data = self._data
        wanted = np.unique(np.fromiter(ids, dtype=np.int64))
        pos = self.positions(wanted)
        keep = pos >= 0
        if not include_retired and "retired" in data.statuses:
            keep &= data.status_of[np.where(keep, pos, 0)] != data.statuses.index("retired")
        if not include_proposed and "proposal" in data.statuses:
            keep &= data.status_of[np.where(keep, pos, 0)] != data.statuses.index("proposal")
        wanted, pos = wanted[keep], pos[keep]
        return RankColumns(
            ids=wanted,
            document_ids=data.document_of[pos],
            statuses=np.array(data.statuses, dtype=object)[data.status_of[pos]],
            kinds=np.array(data.kinds, dtype=object)[data.doc_kind[data.doc_pos[pos]]],
            positions=pos,
        )

    def __contains__(self, cid: object) -> bool:
        return isinstance(cid, int | np.integer) and self.position(int(cid)) >= 0

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        ids = self._data.ids if self._visible is None else self._data.ids[self._visible]
        return iter(ids.tolist())

    def __getitem__(self, cid: int) -> tuple[ConstraintRecord, DocumentRecord]:
        pos = self.position(int(cid))
        if pos < 0:
            raise KeyError(cid)
        data = self._data
        document_id = int(data.document_of[pos])
        constraint = ConstraintView(
            int(cid),
            document_id,
            data.statuses[int(data.status_of[pos])],
            data.scope.get(int(cid), _NO_SCOPE),
            self._source,
        )
        doc_pos = int(data.doc_pos[pos])
        document = DocumentView(
            document_id,
            data.kinds[int(data.doc_kind[doc_pos])],
            data.document_services.get(document_id, []),
            self._source,
        )
        return cast("ConstraintRecord", constraint), cast("DocumentRecord", document)


class DocumentMembers(Mapping[int, list[int]]):
    """Document id -> its constraint ids (ascending), for the documents a caller may see."""

    def __init__(self, data: CatalogData, visible: np.ndarray | None) -> None:
        self._data = data
        self._visible = visible

    def _position(self, document_id: object) -> int:
        if not isinstance(document_id, int | np.integer):
            return -1
        doc_ids = self._data.doc_ids
        pos = int(np.searchsorted(doc_ids, int(document_id)))
        if pos >= len(doc_ids) or int(doc_ids[pos]) != int(document_id):
            return -1
        if self._visible is not None and not self._visible[pos]:
            return -1
        return pos

    def __contains__(self, document_id: object) -> bool:
        return self._position(document_id) >= 0

    def members_of(self, document_ids: Iterable[int]) -> list[int]:
        """The constraint ids of every visible document among ``document_ids``, in one gather."""
        data = self._data
        wanted = np.fromiter(document_ids, dtype=np.int64)
        if not len(wanted) or not len(data.doc_ids):
            return []
        pos = np.searchsorted(data.doc_ids, wanted)
        inside = pos < len(data.doc_ids)
        pos, wanted = pos[inside], wanted[inside]
        found = pos[data.doc_ids[pos] == wanted]
        if self._visible is not None:
            found = found[self._visible[found]]
        if not len(found):
            return []
        ids: list[int] = data.ids[data.member_rows(found)].tolist()
        return ids

    def __getitem__(self, document_id: int) -> list[int]:
        pos = self._position(document_id)
        if pos < 0:
            raise KeyError(document_id)
        data = self._data
        members = data.members[int(data.members_ptr[pos]) : int(data.members_ptr[pos + 1])]
        return [int(i) for i in data.ids[members].tolist()]

    def __len__(self) -> int:
        return int(self._visible.sum()) if self._visible is not None else len(self._data.doc_ids)

    def __iter__(self) -> Iterator[int]:
        doc_ids = self._data.doc_ids if self._visible is None else self._data.doc_ids[self._visible]
        return iter(doc_ids.tolist())


class MaskedBM25(BM25):
    """A BM25 index restricted to the rows a caller may see (idf stays that of the whole corpus)."""

    def __init__(self, base: BM25, mask: np.ndarray) -> None:
        self.ids = base.ids
        self.vocab = base.vocab
        self.indptr = base.indptr
        self.positions = base.positions
        self.tfs = base.tfs
        self.term_idf = base.term_idf
        self.norm = base.norm
        self.impacts = base.impacts
        self.term_max = base.term_max
        self._mask = mask

    def rank(self, query_terms: dict[str, float], k: int, *, mask: np.ndarray | None = None) -> Ranked:
        # ``search`` goes through ``rank``: both hide the rows.
        return super().rank(query_terms, k, mask=self._mask if mask is None else mask & self._mask)
