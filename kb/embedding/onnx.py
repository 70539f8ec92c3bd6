"""The fast path: the same MiniLM run by onnxruntime + tokenizers, without torch.

The ONNX graph is built once from the packaged safetensors weights (``kb.embedding.bert_graph``: the
``onnx`` and ``safetensors`` packages, no torch) and cached in the data directory next to a JSON
sidecar with its SHA-256 and the checksum of the weights it came from. Vectors match
sentence-transformers to a cosine of 0.9999+ (tests/test_onnx.py), so both paths share one model name
and one index. ``precision="int8"`` runs a quantized copy of the graph (``kb.embedding.quantized``)
under a model name of its own.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kb.embedding.base import (
    MINILM_DIMENSION,
    MINILM_MAX_TOKENS,
    MINILM_NAME,
    Embedder,
    file_sha256,
    packaged_model_path,
    verify_packaged_model,
)
from kb.embedding.quantized import PRECISIONS, build_int8_model, cached_int8_model, precision_name
from kb.errors import EmbedderError

log = logging.getLogger(__name__)

ONNX_FILE = "minilm-l6-v2.onnx"
# The weights, beside the graph (ONNX external data): onnxruntime then creates its session in about
# 60 ms instead of 160 (measured, median of 6), as it no longer parses 90 MB of protobuf. The model
# loads on every cold query, so this is most of what a cold `kb query` waits for.
WEIGHTS_FILE = "minilm-l6-v2.onnx.data"
SIDECAR_FILE = "minilm-l6-v2.json"
# 2: weights in WEIGHTS_FILE (a format 1 cache, one file, is built again once); 3: the graph is built
# by kb.embedding.bert_graph, not exported by torch (same vectors; a format 2 cache is built again).
EXPORT_FORMAT = 3
# Texts are encoded in length-sorted batches so that short texts are not padded to long ones.
BATCH_SIZE = 32
# Characters of a long text tokenized per word piece the encoder reads (see ``model_inputs``): a
# diff's encoder text is 4,000 characters, tokenizing it all cost 1.5 ms, its first 960 0.3 ms.
# Pieces of code and prose span 2-6 characters; a head that falls short is tokenized whole.
CHARS_PER_PIECE = 10


def _weights_checksum(model_dir: Path) -> str:
    weights = model_dir / "model.safetensors"
    if not weights.is_file():
        raise EmbedderError(f"no model.safetensors in {model_dir}")
    stat = weights.stat()
    # Size and name identify the packaged weights well enough to notice an upgrade; hashing
    # 90 MB at every start would cost more than the whole query.
    return f"{weights.name}:{stat.st_size}"


def cached_onnx_model(cache_dir: Path, model_dir: Path) -> Path | None:
    """The cached ONNX graph for ``model_dir`` if it and its weights are present and intact, else None."""
    onnx_path = cache_dir / ONNX_FILE
    sidecar = cache_dir / SIDECAR_FILE
    if not sidecar.is_file():
        return None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except ValueError:
        return None
    if meta.get("format") != EXPORT_FORMAT or meta.get("weights") != _weights_checksum(model_dir):
        return None
    for path, key in ((onnx_path, "graph"), (cache_dir / WEIGHTS_FILE, "data")):
        expected = meta.get(key) or {}
        if not path.is_file() or expected.get("size") != path.stat().st_size:
            return None
        if expected.get("mtime_ns") != path.stat().st_mtime_ns and expected.get("sha256") != file_sha256(
            path
        ):
            # The file was touched: trust it only if its content is still the exported one.
            return None
    return onnx_path


def _file_facts(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"sha256": file_sha256(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def export_onnx_model(cache_dir: Path, model_dir: Path, *, verify: bool = False) -> Path:
    """Build the ONNX graph (fp32) of the encoder in ``model_dir`` and cache it in ``cache_dir``.

    ``verify`` first checks the weights and tokenizer against the pinned all-MiniLM-L6-v2 files.
    """
    import onnx

    from kb.embedding.bert_graph import OPSET, build_bert_graph

    if verify:
        verify_packaged_model(model_dir)
    log.info("building the ONNX model of %s in %s (once)", model_dir, cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    model = build_bert_graph(model_dir)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".onnx.tmp")
    os.close(fd)
    try:
        (cache_dir / WEIGHTS_FILE).unlink(missing_ok=True)  # onnx appends to an existing file
        onnx.save_model(
            model,
            tmp,
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=WEIGHTS_FILE,
            size_threshold=1024,
        )
        # mkstemp makes files private; the cache may serve several users.
        os.chmod(tmp, 0o644)
        os.chmod(cache_dir / WEIGHTS_FILE, 0o644)
        onnx_path = cache_dir / ONNX_FILE
        os.replace(tmp, onnx_path)
    except OSError as exc:
        raise EmbedderError(f"cannot write the ONNX model to {cache_dir}: {exc}") from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    meta = {
        "format": EXPORT_FORMAT,
        "weights": _weights_checksum(model_dir),
        "graph": _file_facts(onnx_path),
        "data": _file_facts(cache_dir / WEIGHTS_FILE),
        "opset": OPSET,
        "onnx": str(onnx.__version__),
    }
    # The sidecar goes last: a cache without a matching one is built again.
    (cache_dir / SIDECAR_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return onnx_path


class OnnxEmbedder(Embedder):
    """MiniLM through onnxruntime: mean pooling over the attention mask, then L2 normalisation."""

    def __init__(
        self,
        cache_dir: Path,
        model_path: Path | None = None,
        *,
        threads: int | None = None,
        precision: str = "fp32",
    ) -> None:
        if precision not in PRECISIONS:
            raise EmbedderError(f"unknown precision {precision!r}: use one of {', '.join(PRECISIONS)}")
        self._cache_dir = cache_dir
        self._model_path = model_path
        self.precision = precision
        self._threads = threads or min(4, os.cpu_count() or 1)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        model_name = MINILM_NAME if model_path is None else f"local:{Path(model_path).name}"
        # The int8 graph gives other vectors: a name of its own keeps indexes of the two apart.
        self.name = precision_name(model_name, precision)
        self.dimension = MINILM_DIMENSION

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is not None:
                return self._session, self._tokenizer
            model_dir = Path(self._model_path or packaged_model_path())
            onnx_path = cached_onnx_model(self._cache_dir, model_dir) or export_onnx_model(
                self._cache_dir, model_dir, verify=self._model_path is None
            )
            if self.precision == "int8":
                onnx_path = cached_int8_model(self._cache_dir, onnx_path) or build_int8_model(
                    self._cache_dir, onnx_path
                )
            try:
                import onnxruntime
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise EmbedderError(f"the fast path needs onnxruntime and tokenizers: {exc}") from exc
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            # The shipped tokenizer.json pads and truncates at 128; the model reads 256 tokens.
            tokenizer.enable_truncation(MINILM_MAX_TOKENS)
            tokenizer.enable_padding()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            try:
                session = onnxruntime.InferenceSession(
                    str(onnx_path), options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:
                raise EmbedderError(f"cannot load the ONNX model {onnx_path}: {exc}") from exc
            self._session, self._tokenizer = session, tokenizer
            return session, tokenizer

    def warm_up(self) -> None:
        self._load()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, MINILM_MAX_TOKENS)

    def embed_query(self, texts: Sequence[str], *, max_tokens: int) -> np.ndarray:
        return self._embed(texts, min(max(max_tokens, 3), MINILM_MAX_TOKENS))

    def _embed(self, texts: Sequence[str], max_tokens: int) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        session, tokenizer = self._load()
        # Tokenized once, then batched by length in word pieces: batches of texts sorted by
        # characters ran a fifth of their positions on padding (docs/ingest-speed.md).
        ids, mask, types = model_inputs(tokenizer, texts, max_tokens)
        lengths = mask.sum(axis=1)
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            width = int(lengths[chunk].max())
            rows_mask = mask[chunk, :width]
            feed = {
                "input_ids": ids[chunk, :width],
                "attention_mask": rows_mask,
                "token_type_ids": types[chunk, :width],
            }
            hidden = session.run(None, feed)[0]
            weights = rows_mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.clip(norms, 1e-12, None)
        return out


def model_inputs(
    tokenizer: Any, texts: Sequence[str], max_tokens: int, *, chars_per_piece: int | None = CHARS_PER_PIECE
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, attention mask and type ids of ``texts``, each cut to ``max_tokens`` word pieces.

    The encoder reads at most ``max_tokens`` pieces, so a long text's tail need not be tokenized:
    each text is read up to the last whitespace before ``max_tokens * chars_per_piece`` characters
    (normalising and splitting are per character and per word, so the pieces of such a head are the
    first pieces of the whole). A head that yields too few pieces is tokenized whole again; the
    inputs are the same either way. None reads every text whole.
    """
    heads = [_head(t, max_tokens * chars_per_piece) if chars_per_piece else t for t in texts]
    encodings = tokenizer.encode_batch(heads)
    # A head that gave too few pieces is read whole again (only those: each text's pieces are its own).
    short = [
        i
        for i, (head, text, e) in enumerate(zip(heads, texts, encodings, strict=True))
        if head is not text and sum(e.attention_mask) < max_tokens
    ]
    if short:
        for i, encoding in zip(short, tokenizer.encode_batch([texts[i] for i in short]), strict=True):
            encodings[i] = encoding
    lengths = [sum(e.attention_mask) for e in encodings]
    width = max(lengths)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros((len(encodings), width), dtype=np.int64)
    types = np.zeros((len(encodings), width), dtype=np.int64)
    for row, (e, n) in enumerate(zip(encodings, lengths, strict=True)):
        ids[row, :n] = e.ids[:n]
        mask[row, :n] = 1
        types[row, :n] = e.type_ids[:n]
    if width > max_tokens:
        ids, mask, types = _shorten(ids, mask, types, max_tokens)
    return ids, mask, types


def _head(text: str, limit: int) -> str:
    """``text`` up to its last space, tab or newline before ``limit`` characters (all of it if short)."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit), text.rfind("\t", 0, limit))
    return text[:cut] if cut > 0 else text


def _shorten(
    ids: np.ndarray, mask: np.ndarray, types: np.ndarray, max_tokens: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Truncate encoded rows to ``max_tokens``, as the tokenizer's own truncation would: the first
    word pieces, then the row's closing [SEP]; shorter rows are left as they are."""
    ids, mask, types = ids.copy(), mask.copy(), types.copy()
    lengths = mask.sum(axis=1)
    for row in np.flatnonzero(lengths > max_tokens).tolist():
        ids[row, max_tokens - 1] = ids[row, int(lengths[row]) - 1]
        ids[row, max_tokens:] = 0
        mask[row, max_tokens:] = 0
        types[row, max_tokens:] = 0
    width = int(mask.sum(axis=1).max())
    return ids[:, :width], mask[:, :width], types[:, :width]
