"""The embedders: the packaged MiniLM loaded offline, and the hashing fake for unit tests."""

from __future__ import annotations

import numpy as np
import pytest

from kb.embedding import make_embedder, packaged_model_path
from kb.embedding.fake import HashingEmbedder
from kb.embedding.torch_model import SentenceTransformerEmbedder
from kb.errors import ConfigError, EmbedderError


def test_packaged_model_folder_is_complete() -> None:
    folder = packaged_model_path()
    for name in ("model.safetensors", "tokenizer.json", "modules.json"):
        assert (folder / name).is_file()


def test_real_model_gives_unit_vectors_that_mean_something(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    vectors = real_embedder.embed(
        [
            "Payment capture retries must carry an idempotency key.",
            "Every retried payment capture request has to send an idempotency key.",
            "Rotate the TLS certificate of the ingress before it expires.",
        ]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    related, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert related > unrelated + 0.2
    assert real_embedder.embed([]).shape == (0, 384)


def test_long_texts_are_not_cut_at_128_tokens(real_embedder: SentenceTransformerEmbedder) -> None:
    # The packaged tokenizer.json truncates at 128; the model takes 256. Words past token 128
    # must still change the vector.
    head = "word " * 150
    a, b = real_embedder.embed([head + "kafka consumer lag", head + "tls certificate expiry"])
    assert float(a @ b) < 0.9999


def test_missing_model_folder_is_a_clear_error(tmp_path: object) -> None:
    embedder = SentenceTransformerEmbedder(model_path=__import__("pathlib").Path("/no/such/model"))
    with pytest.raises(EmbedderError, match="model folder not found"):
        embedder.embed(["x"])


def test_hashing_embedder_is_deterministic_and_normalised() -> None:
    embedder = HashingEmbedder()
    a = embedder.embed(["alpha beta", "alpha beta", ""])
    assert np.array_equal(a[0], a[1])
    assert np.isclose(np.linalg.norm(a[0]), 1.0) and not a[2].any()


def test_unknown_embedder_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        make_embedder("word2vec")
