"""The FAISS vector index: a rebuildable cache of the vectors stored in SQL.

FAISS ids are constraint ids. The index is saved as ``index.faiss`` with a sidecar
``index.json`` (model, dimension, count, SQL revision, build time) and refused on load
when the sidecar does not match what the caller expects.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from kb.errors import IndexMismatchError

log = logging.getLogger(__name__)

INDEX_FILE = "index.faiss"
SIDECAR_FILE = "index.json"
SIDECAR_VERSION = 1


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


class VectorIndex:
    """Exact inner-product search over unit vectors (cosine similarity), keyed by constraint id."""

    def __init__(self, index: Any, info: IndexInfo) -> None:
        self._index = index
        self.info = info

    @classmethod
    def build(
        cls, ids: np.ndarray, vectors: np.ndarray, *, model: str, dimension: int, revision: int
    ) -> VectorIndex:
        import faiss

        if len(ids) and vectors.shape[1] != dimension:
            raise IndexMismatchError(
                f"stored vectors have dimension {vectors.shape[1]}, the model gives {dimension}"
            )
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
        info = IndexInfo(
            model=model,
            dimension=dimension,
            count=int(index.ntotal),
            revision=revision,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            faiss_version=str(getattr(faiss, "__version__", "")),
        )
        return cls(index, info)

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

    def save(self, directory: Path) -> None:
        """Write index and sidecar atomically (temp file + rename), so readers never see half a file."""
        import faiss

        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_index = tempfile.mkstemp(dir=directory, suffix=".faiss.tmp")
        os.close(fd)
        faiss.write_index(self._index, tmp_index)
        os.chmod(tmp_index, 0o644)
        os.replace(tmp_index, directory / INDEX_FILE)
        fd, tmp_sidecar = tempfile.mkstemp(dir=directory, suffix=".json.tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(self.info), handle, indent=2)
        os.chmod(tmp_sidecar, 0o644)
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
            index = faiss.read_index(str(index_file))
        except RuntimeError as exc:
            raise IndexMismatchError(f"unreadable index file {index_file}: {exc}") from exc
        if int(index.ntotal) != info.count or int(index.d) != info.dimension:
            raise IndexMismatchError("index file does not match its sidecar")
        return cls(index, info)
