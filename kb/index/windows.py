"""Window vectors: every document's text as overlapping word windows, embedded, for a dense vote.

A lesson is a digest, and a task that describes a symptom in other words can miss every lesson of
the runbook that answers it while one paragraph of its text says the same thing. The encoder reads
each document's stored body (SQL is the truth) as windows of ``WINDOW_WORDS`` words, a third of
them shared with the next window (a paragraph cut by one window is whole in the other), and a
document ranks by its best window's similarity to the query (``WindowVectors.ranking``).

The vectors are a rebuildable cache beside the catalog (``windows.npy``, ``window_documents.npy``
and the sidecar ``windows.json``: model, dimension, SQL revision, each document's body hash). A
rebuild reuses the vectors of every document whose body hash and model are unchanged, so a write
embeds only the documents it changed; a deleted cache is embedded again in full (the cost:
docs/relevance.md, round nine).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np

from kb.embedding import Embedder
from kb.errors import IndexMismatchError

# About 200 word pieces: inside MiniLM's 256-token window. The stride leaves a third of overlap.
WINDOW_WORDS: Final = 150
WINDOW_STRIDE: Final = 100
VECTORS_FILE: Final = "windows.npy"
DOCUMENTS_FILE: Final = "window_documents.npy"
SIDECAR_FILE: Final = "windows.json"
# How many best windows are read for each document wanted: enough that ``depth`` distinct
# documents are among them (a long runbook has many near windows); a full sort where they are not.
_WINDOWS_PER_DOCUMENT: Final = 10


def split_windows(text: str, *, words: int = WINDOW_WORDS, stride: int = WINDOW_STRIDE) -> list[str]:
    """The windows of ``text``: ``words`` words every ``stride`` words, and the last ``words`` words
    where the stride does not end on them (so the end of a document is read too)."""
    tokens = text.split()
    if not tokens:
        return []
    starts = range(0, max(len(tokens) - words, 0) + 1, stride)
    out = [" ".join(tokens[s : s + words]) for s in starts]
    if len(tokens) > words and (len(tokens) - words) % stride:
        out.append(" ".join(tokens[-words:]))
    return out


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class WindowVectors:
    """One row per window: its document id and its unit vector."""

    model: str
    revision: int
    documents: np.ndarray  # int64, the document of each window
    vectors: np.ndarray  # float32, (windows, dimension)
    hashes: dict[int, str] = field(default_factory=dict)  # document id -> body hash

    @classmethod
    def build(
        cls,
        bodies: Iterable[tuple[int, str]],
        embedder: Embedder,
        *,
        revision: int,
        previous: WindowVectors | None = None,
    ) -> WindowVectors:
        """The windows of every ``(document id, body)``; a document whose body and model are those
        of ``previous`` keeps its vectors, the others are embedded (in one batch)."""
        reusable = previous if previous is not None and previous.model == embedder.name else None
        parts: list[tuple[int, np.ndarray | list[str]]] = []
        hashes: dict[int, str] = {}
        for document_id, body in bodies:
            digest = hashes[document_id] = body_hash(body)
            if reusable is not None and reusable.hashes.get(document_id) == digest:
                parts.append((document_id, reusable.vectors[reusable.documents == document_id]))
            else:
                parts.append((document_id, split_windows(body)))
        texts = [t for _, part in parts if isinstance(part, list) for t in part]
        fresh = embedder.embed(texts) if texts else np.zeros((0, embedder.dimension), np.float32)
        documents: list[np.ndarray] = []
        vectors: list[np.ndarray] = []
        used = 0
        for document_id, part in parts:
            if isinstance(part, list):
                block, used = fresh[used : used + len(part)], used + len(part)
            else:
                block = part
            documents.append(np.full(len(block), document_id, dtype=np.int64))
            vectors.append(np.asarray(block, dtype=np.float32))
        return cls(
            model=embedder.name,
            revision=revision,
            documents=np.concatenate(documents) if documents else np.zeros(0, np.int64),
            vectors=np.vstack(vectors) if vectors else np.zeros((0, embedder.dimension), np.float32),
            hashes=hashes,
        )

    def ranking(self, query_vectors: np.ndarray, depth: int, *, visible: Container[int]) -> np.ndarray:
        """The first ``depth`` ``visible`` documents by their best window's cosine similarity to any
        of ``query_vectors`` (document ids, best first; ties by id)."""
        if depth <= 0 or not len(query_vectors) or not len(self.documents):
            return np.zeros(0, dtype=np.int64)
        similarity = (self.vectors @ np.asarray(query_vectors, dtype=np.float32).T).max(axis=1)
        for wanted in (depth * _WINDOWS_PER_DOCUMENT, len(similarity)):
            rows = np.arange(len(similarity))
            if wanted < len(similarity):
                rows = np.argpartition(-similarity, wanted)[:wanted]
            order = rows[np.lexsort((self.documents[rows], -similarity[rows].astype(np.float64)))]
            ranked = self.documents[order]
            _, first = np.unique(ranked, return_index=True)
            found = [int(d) for d in ranked[np.sort(first)] if int(d) in visible][:depth]
            if len(found) >= depth or wanted >= len(similarity):
                return np.asarray(found, dtype=np.int64)
        return np.zeros(0, dtype=np.int64)  # unreachable: the full sort returns

    def save(self, directory: Path) -> None:
        """Write the arrays and the sidecar, each atomically (temp file + rename), owner only: text
        can be read back from vectors."""
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        sidecar = {
            "model": self.model,
            "dimension": int(self.vectors.shape[1]),
            "revision": self.revision,
            "hashes": {str(k): v for k, v in self.hashes.items()},
        }
        for name, array in ((VECTORS_FILE, self.vectors), (DOCUMENTS_FILE, self.documents)):
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".npy.tmp")
            with os.fdopen(fd, "wb") as handle:
                np.save(handle, array)
            os.chmod(tmp, 0o600)
            os.replace(tmp, directory / name)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".json.tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(sidecar, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, directory / SIDECAR_FILE)

    @classmethod
    def load(cls, directory: Path, *, model: str, dimension: int) -> WindowVectors:
        """The saved windows (any revision: the caller compares it), refused for another model."""
        paths = [directory / name for name in (SIDECAR_FILE, VECTORS_FILE, DOCUMENTS_FILE)]
        if not all(path.is_file() for path in paths):
            raise IndexMismatchError(f"no saved window vectors in {directory}")
        try:
            raw = json.loads(paths[0].read_text(encoding="utf-8"))
            loaded = cls(
                model=str(raw["model"]),
                revision=int(raw["revision"]),
                documents=np.load(paths[2]),
                vectors=np.load(paths[1]),
                hashes={int(k): str(v) for k, v in raw["hashes"].items()},
            )
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise IndexMismatchError(f"unreadable window vectors in {directory}: {exc}") from exc
        if loaded.model != model or int(raw["dimension"]) != dimension:
            raise IndexMismatchError(f"window vectors of {loaded.model!r}, not {model!r}")
        if len(loaded.documents) != len(loaded.vectors):
            raise IndexMismatchError(f"window vectors in {directory} do not match their documents")
        return loaded
