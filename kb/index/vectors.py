"""The FAISS vector index: a rebuildable cache of the vectors stored in SQL.

FAISS ids are constraint ids. The index is saved as ``index.faiss`` with a sidecar
``index.json`` (model, dimension, count, SQL revision, build time, index type and its parameters)
and refused on load when the sidecar does not match what the caller expects.

The index type follows the size: exact search (``flat-ip``) below ``ann_threshold`` vectors, HNSW
(``hnsw-fp16-ip``, M=32, vectors stored as float16) above it. Measured on this 2-core machine
(scripts/bench, EMBEDDINGS.md), an exact query costs ~0.055 ms per thousand vectors (0.55 ms at 10k,
7.4 ms at 100k), while HNSW answers in 0.1-0.4 ms at these sizes; the default threshold of 20,000
keeps exact search wherever it costs at most ~1 ms a query, and an HNSW build there takes about a
second. ``ef_search`` grows with the index (``auto_ef_search``): HNSW's recall at a fixed depth
falls as the graph grows. On the benchmark's vectors (scripts/bench: task queries against 1M
composed lessons) recall@10 against exact search was 0.998 at 100k with ef 256, and at 1M 0.874 /
0.929 / 0.967 / 0.985 with ef 256 / 512 / 1024 / 2048; ef = size / 400 (at least 256) keeps it >=
0.98 and costs a few ms at 1M.
HNSW stores its vectors as float16 (FAISS's fp16 scalar quantizer): half the memory (a million
vectors take 0.77 GB instead of 1.5 GB, which kept a 1M knowledge base under 2.5 GB resident), with
similarities within ~1e-3 of float32, far below any score margin or threshold retrieval uses.
Saved indexes load by memory map where FAISS allows (``IO_FLAG_MMAP_IFC``): the stored vectors of
both index types stay in the page cache, an HNSW graph's links are read (at 1M, 0.33 GB resident
after loading against 1.04 GB without the map).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from kb.errors import IndexMismatchError

log = logging.getLogger(__name__)

INDEX_FILE = "index.faiss"
SIDECAR_FILE = "index.json"
SIDECAR_VERSION = 3
HNSW_TYPE = "hnsw-fp16-ip"
DEFAULT_ANN_THRESHOLD = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 256
HNSW_EF_SEARCH_MAX = 4096
VECTORS_PER_EF = 400


def auto_ef_search(count: int) -> int:
    """The HNSW search depth for an index of ``count`` vectors (see the module docstring)."""
    return min(max(HNSW_EF_SEARCH, count // VECTORS_PER_EF), HNSW_EF_SEARCH_MAX)


@dataclass(slots=True)
class IndexInfo:
    """What a saved index was built from; written next to it as JSON."""

    model: str
    dimension: int
    count: int
    revision: int
    built_at: str
    index_type: str = "flat-ip"
    faiss_version: str = ""
    format: int = SIDECAR_VERSION
    # HNSW parameters (0 for exact search).
    hnsw_m: int = 0
    ef_construction: int = 0
    ef_search: int = 0
    build_seconds: float = 0.0


def _omp_threads(count: int) -> None:
    """FAISS's OpenMP threads for what follows.

    One query is searched on one thread: with 2 threads on a busy 2-core machine OpenMP's spinning
    barrier made a 10k exact search take 7-40 ms instead of 0.8 ms (measured). Builds use every core.
    """
    import faiss

    faiss.omp_set_num_threads(count)


class VectorIndex:
    """Inner-product search over unit vectors (cosine similarity), keyed by constraint id."""

    def __init__(self, index: Any, info: IndexInfo) -> None:
        self._index = index
        self.info = info
        _omp_threads(1)

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        vectors: np.ndarray,
        *,
        model: str,
        dimension: int,
        revision: int,
        ann_threshold: int = DEFAULT_ANN_THRESHOLD,
        ef_search: int = 0,
    ) -> VectorIndex:
        """Exact search below ``ann_threshold`` vectors, HNSW from there on (``ef_search`` 0: by size)."""
        import faiss

        if len(ids) and vectors.shape[1] != dimension:
            raise IndexMismatchError(
                f"stored vectors have dimension {vectors.shape[1]}, the model gives {dimension}"
            )
        started = time.perf_counter()
        hnsw = len(ids) >= ann_threshold
        ef_search = ef_search or auto_ef_search(len(ids))
        inner: Any
        if hnsw:
            fp16: Any = faiss.ScalarQuantizer.QT_fp16
            inner = faiss.IndexHNSWSQ(dimension, fp16, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            inner.hnsw.efSearch = ef_search
        else:
            inner = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIDMap2(inner)
        if len(ids):
            _omp_threads(os.cpu_count() or 1)
            try:
                if not index.is_trained:  # fp16 needs no statistics; FAISS still asks for the call
                    index.train(np.ascontiguousarray(vectors[:1], dtype=np.float32))
                index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
            finally:
                _omp_threads(1)
        info = IndexInfo(
            model=model,
            dimension=dimension,
            count=int(index.ntotal),
            revision=revision,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            index_type=HNSW_TYPE if hnsw else "flat-ip",
            faiss_version=str(getattr(faiss, "__version__", "")),
            hnsw_m=HNSW_M if hnsw else 0,
            ef_construction=HNSW_EF_CONSTRUCTION if hnsw else 0,
            ef_search=ef_search if hnsw else 0,
            build_seconds=round(time.perf_counter() - started, 3),
        )
        return cls(index, info)

    def set_ef_search(self, ef_search: int) -> None:
        """Trade recall for speed on an HNSW index (no effect on exact search)."""
        import faiss

        if self.info.index_type == HNSW_TYPE:
            hnsw: Any = faiss.downcast_index(self._index.index)
            hnsw.hnsw.efSearch = ef_search
            self.info.ef_search = ef_search

    @property
    def count(self) -> int:
        return int(self._index.ntotal)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top ``k`` (constraint id, cosine similarity) pairs, best first."""
        if self.count == 0 or k <= 0:
            return []
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        scores, ids = self._index.search(query, min(k, self.count))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def reconstruct(self, constraint_id: int) -> np.ndarray:
        """The stored vector of one constraint (IndexIDMap2 keeps the id mapping)."""
        return np.asarray(self._index.reconstruct(int(constraint_id)), dtype=np.float32)

    def reconstruct_many(self, constraint_ids: list[int]) -> np.ndarray:
        """The stored vectors of many constraints in one call; a zero row for an id not indexed."""
        if not constraint_ids:
            return np.zeros((0, self.info.dimension), dtype=np.float32)
        keys = np.asarray(constraint_ids, dtype=np.int64)
        stored = self._stored_vectors
        if stored is not None:
            ids, order, rows = stored
            at = np.minimum(np.searchsorted(ids, keys), len(ids) - 1)
            found = ids[at] == keys
            positions = at if order is None else order[at]
            if found.all():
                return np.asarray(rows[positions], dtype=np.float32)
            out = np.zeros((len(keys), self.info.dimension), dtype=np.float32)
            out[found] = rows[positions[found]]
            return out
        try:
            return np.asarray(self._index.reconstruct_batch(keys), dtype=np.float32)
        except RuntimeError:  # an id the index lacks: fall back to one at a time
            out = np.zeros((len(keys), self.info.dimension), dtype=np.float32)
            for row, key in enumerate(keys.tolist()):
                try:
                    out[row] = self.reconstruct(key)
                except (KeyError, RuntimeError):
                    continue
            return out

    @cached_property
    def _stored_vectors(self) -> tuple[np.ndarray, np.ndarray | None, np.ndarray] | None:
        """The index's ids (ascending), the order that sorts them (None when they are), and its
        stored vectors as a numpy view of FAISS's own memory (float16 for HNSW, float32 for exact
        search), for gathering a query's candidates without ``reconstruct_batch``: 0.5 ms against
        0.95 for a thousand vectors. A view, not a copy: a memory-mapped index stays mapped. None
        for a layout this does not know (then ``reconstruct_batch`` does the work)."""
        return _stored_view(self._index, self.info.dimension)

    def save(self, directory: Path) -> None:
        """Write index and sidecar atomically (temp file + rename), so readers never see half a file."""
        import faiss

        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp_index = tempfile.mkstemp(dir=directory, suffix=".faiss.tmp")
        os.close(fd)
        faiss.write_index(self._index, tmp_index)
        os.chmod(tmp_index, 0o600)  # lesson text can be derived from vectors: owner only
        os.replace(tmp_index, directory / INDEX_FILE)
        fd, tmp_sidecar = tempfile.mkstemp(dir=directory, suffix=".json.tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(self.info), handle, indent=2)
        os.chmod(tmp_sidecar, 0o600)
        os.replace(tmp_sidecar, directory / SIDECAR_FILE)

    @classmethod
    def load(
        cls,
        directory: Path,
        *,
        model: str,
        dimension: int,
        count: int | None = None,
        revision: int | None = None,
        mmap: bool = True,
    ) -> VectorIndex:
        """Load a saved index, refusing it when its sidecar does not match the expectation."""
        sidecar = directory / SIDECAR_FILE
        index_file = directory / INDEX_FILE
        if not sidecar.is_file() or not index_file.is_file():
            raise IndexMismatchError(f"no saved index in {directory}")
        try:
            raw = json.loads(sidecar.read_text(encoding="utf-8"))
            info = IndexInfo(**raw)
        except (ValueError, TypeError) as exc:
            raise IndexMismatchError(f"unreadable index sidecar {sidecar}: {exc}") from exc
        problems = []
        if info.format != SIDECAR_VERSION:
            problems.append(f"format {info.format} != {SIDECAR_VERSION}")
        if info.model != model:
            problems.append(f"model {info.model!r} != {model!r}")
        if info.dimension != dimension:
            problems.append(f"dimension {info.dimension} != {dimension}")
        if count is not None and info.count != count:
            problems.append(f"count {info.count} != {count} in SQL")
        if revision is not None and info.revision != revision:
            problems.append(f"revision {info.revision} != {revision} in SQL")
        if problems:
            raise IndexMismatchError(f"saved index does not match: {', '.join(problems)}")
        import faiss

        try:
            flags = faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY if mmap else 0
            index: Any = faiss.read_index(str(index_file), flags)
        except RuntimeError as exc:
            raise IndexMismatchError(f"unreadable index file {index_file}: {exc}") from exc
        if int(index.ntotal) != info.count or int(index.d) != info.dimension:
            raise IndexMismatchError("index file does not match its sidecar")
        if info.index_type == HNSW_TYPE:
            inner: Any = faiss.downcast_index(index.index)
            inner.hnsw.efSearch = info.ef_search
        return cls(index, info)


def _stored_view(index: Any, dimension: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray] | None:
    import faiss

    try:
        inner = faiss.downcast_index(index.index)
        count = int(index.ntotal)
        storage = faiss.downcast_index(inner.storage) if isinstance(inner, faiss.IndexHNSW) else inner
        if (
            isinstance(storage, faiss.IndexScalarQuantizer)
            and storage.sq.qtype == faiss.ScalarQuantizer.QT_fp16
        ):
            dtype: Any = np.float16
        elif isinstance(storage, faiss.IndexFlat):
            dtype = np.float32
        else:
            return None
        codes: Any = storage.codes  # a MaybeOwnedVector (FAISS 1.10 on) or a std::vector before
        size = int(codes.byte_size() if hasattr(codes, "byte_size") else codes.size())
        if count == 0 or size != count * dimension * np.dtype(dtype).itemsize:
            return None
        rows = faiss.rev_swig_ptr(codes.data(), size).view(dtype).reshape(count, dimension)
        ids = faiss.rev_swig_ptr(index.id_map.data(), count).view(np.int64)
    except (AttributeError, RuntimeError, TypeError, ValueError):
        return None
    if len(ids) > 1 and not bool((ids[1:] > ids[:-1]).all()):
        order = np.argsort(ids, kind="stable")
        return np.ascontiguousarray(ids[order]), order, rows
    return ids, None, rows
