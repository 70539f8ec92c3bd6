"""all-MiniLM-L6-v2 run by sentence-transformers on torch: the reference path (the ``[torch]`` extra)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kb.embedding.base import MINILM_DIMENSION, MINILM_MAX_TOKENS, MINILM_NAME, Embedder, packaged_model_path
from kb.errors import EmbedderError

log = logging.getLogger(__name__)


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
            except ImportError as exc:
                raise EmbedderError(
                    "the 'minilm-torch' embedder needs sentence-transformers and torch: install the "
                    f"[torch] extra (torch==2.13.0 first, the CPU build), or use 'minilm' ({exc})"
                ) from exc
            try:
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
