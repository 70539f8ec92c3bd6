"""Embedders: text in, L2-normalised float32 vectors out.

``base`` holds the interface and the model's facts; ``onnx`` the default path (onnxruntime, no
torch at all, its graph built by ``bert_graph``); ``torch_model`` the sentence-transformers reference
path (the ``[torch]`` extra); ``fake`` the hashing embedder for fast tests. ``make_embedder`` picks
one by name and imports only that one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kb.embedding.base import (
    MINILM_DIMENSION,
    MINILM_MAX_TOKENS,
    MINILM_NAME,
    Embedder,
    packaged_model_path,
    warm_up_in_background,
)
from kb.errors import ConfigError

if TYPE_CHECKING:
    from kb.settings import Settings

__all__ = [
    "EMBEDDER_KINDS",
    "MINILM_DIMENSION",
    "MINILM_MAX_TOKENS",
    "MINILM_NAME",
    "Embedder",
    "embedder_for",
    "make_embedder",
    "packaged_model_path",
    "warm_up_in_background",
]

EMBEDDER_KINDS = ("minilm", "minilm-torch", "hashing")


def embedder_for(settings: Settings) -> Embedder:
    """The embedder ``settings`` name (see ``make_embedder``)."""
    return make_embedder(
        settings.embedder,
        cache_dir=settings.home / "models",
        model_path=settings.model_path,
        batch_size=settings.embed_batch_size,
        precision=settings.embedding_precision,
    )


def make_embedder(
    kind: str,
    *,
    cache_dir: Path | None = None,
    model_path: Path | None = None,
    batch_size: int = 64,
    precision: str = "fp32",
) -> Embedder:
    """``minilm``: onnxruntime fast path (built once, cached in ``cache_dir``; ``precision``
    ``int8`` runs its quantized graph); ``minilm-torch``: sentence-transformers on torch;
    ``hashing``: the test fake."""
    if precision != "fp32" and kind != "minilm":
        raise ConfigError(f"precision {precision!r} needs the 'minilm' embedder, not {kind!r}")
    if kind == "minilm":
        if cache_dir is None:
            raise ConfigError("the 'minilm' embedder needs a cache directory for its ONNX model")
        from kb.embedding.onnx import OnnxEmbedder

        return OnnxEmbedder(cache_dir, model_path, precision=precision)
    if kind == "minilm-torch":
        from kb.embedding.torch_model import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(model_path, batch_size=batch_size)
    if kind == "hashing":
        from kb.embedding.fake import HashingEmbedder

        return HashingEmbedder()
    raise ConfigError(f"unknown embedder {kind!r}: use one of {', '.join(EMBEDDER_KINDS)}")
