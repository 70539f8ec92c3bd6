"""The int8 variant of the cached ONNX graph: onnxruntime's dynamic quantization of the fp32 one.

Built once from the fp32 graph (``kb.embedding.onnx``) with ``quantize_dynamic`` and cached beside
it with its own sidecar: the SHA-256 of the fp32 files it came from, the quantization options and
its own checksum. Its vectors are close to fp32 but not equal (docs/embedding-precision.md), so it
is a model of its own name: an index built with one precision is not queried with the other.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from kb.embedding.base import file_sha256
from kb.errors import EmbedderError

log = logging.getLogger(__name__)

PRECISIONS = ("fp32", "int8")
INT8_FILE = "minilm-l6-v2.int8.onnx"
INT8_SIDECAR_FILE = "minilm-l6-v2.int8.json"
# 1: every MatMul with a weight, per output channel, signed int8 weights (docs/embedding-precision.md
# compares per-channel and all-op variants on corpus lessons).
QUANTIZE_FORMAT = 1
QUANTIZE_OPTIONS: dict[str, Any] = {"op_types_to_quantize": ["MatMul"], "per_channel": True}


def precision_name(model_name: str, precision: str) -> str:
    """The name vectors and indexes record: fp32 keeps the model's own name, int8 marks it."""
    return model_name if precision == "fp32" else f"{model_name}+{precision}"


def _source_facts(fp32_graph: Path) -> dict[str, Any]:
    # The fp32 sidecar already holds its files' SHA-256 (checked by ``cached_onnx_model``).
    from kb.embedding.onnx import SIDECAR_FILE

    meta = json.loads((fp32_graph.parent / SIDECAR_FILE).read_text(encoding="utf-8"))
    return {"graph": meta.get("graph", {}).get("sha256"), "data": meta.get("data", {}).get("sha256")}


def cached_int8_model(cache_dir: Path, fp32_graph: Path) -> Path | None:
    """The cached int8 graph if it was built from ``fp32_graph`` with today's options and is intact."""
    path, sidecar = cache_dir / INT8_FILE, cache_dir / INT8_SIDECAR_FILE
    if not sidecar.is_file() or not path.is_file():
        return None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        source = _source_facts(fp32_graph)
    except (OSError, ValueError):
        return None
    if meta.get("format") != QUANTIZE_FORMAT or meta.get("source") != source:
        return None
    graph = meta.get("graph") or {}
    stat = path.stat()
    if graph.get("size") != stat.st_size:
        return None
    if graph.get("mtime_ns") != stat.st_mtime_ns and graph.get("sha256") != file_sha256(path):
        return None  # touched and changed since it was built
    return path


def build_int8_model(cache_dir: Path, fp32_graph: Path) -> Path:
    """Quantize ``fp32_graph`` (weights to int8, activations quantized per batch) into ``cache_dir``."""
    try:
        import onnxruntime
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise EmbedderError(f"the int8 model needs onnxruntime's quantization tools: {exc}") from exc
    log.info("building the int8 ONNX model in %s (once)", cache_dir)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".int8.tmp")
    os.close(fd)
    path = cache_dir / INT8_FILE
    try:
        # quantize_dynamic nags through the root logger ("consider pre-processing"); with no
        # handler there, ``logging.warning`` would configure one for the whole process.
        root = logging.getLogger()
        silencer = logging.NullHandler() if not root.handlers else None
        if silencer:
            root.addHandler(silencer)
        try:
            quantize_dynamic(fp32_graph, tmp, weight_type=QuantType.QInt8, **QUANTIZE_OPTIONS)
        finally:
            if silencer:
                root.removeHandler(silencer)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; the cache may serve several users
        os.replace(tmp, path)
    except Exception as exc:
        raise EmbedderError(f"cannot build the int8 ONNX model in {cache_dir}: {exc}") from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    stat = path.stat()
    meta = {
        "format": QUANTIZE_FORMAT,
        "source": _source_facts(fp32_graph),
        "options": QUANTIZE_OPTIONS,
        "graph": {"sha256": file_sha256(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns},
        "onnxruntime": str(onnxruntime.__version__),
    }
    # The sidecar goes last: a graph without a matching one is built again.
    (cache_dir / INT8_SIDECAR_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return path
