"""The int8 precision (``KB_EMBEDDING_PRECISION=int8``): its graph is built once beside the fp32 one,
its vectors stay close to fp32, and a knowledge base embedded at one precision is refused at the other."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb.embedding import MINILM_NAME, embedder_for
from kb.embedding.onnx import ONNX_FILE, SIDECAR_FILE, WEIGHTS_FILE, OnnxEmbedder
from kb.embedding.quantized import INT8_FILE, INT8_SIDECAR_FILE, cached_int8_model
from kb.errors import ConfigError
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase
from kb.settings import Settings

SAMPLE = [
    "add automatic retries to the payment capture call",
    "Create indexes concurrently so a migration never locks the orders table.",
    'resource "aws_s3_bucket" "labels" { lifecycle_rule { expiration { days = 30 } } }',
    "livenessProbe:\n  timeoutSeconds: 1\n  periodSeconds: 5",
    " ".join(["the certificate renewal failed silently and nobody was paged"] * 30),
]


@pytest.fixture
def models(onnx_cache: Path, tmp_path: Path) -> Path:
    """A copy of the session's fp32 cache, so the int8 files built here stay out of the shared one."""
    folder = tmp_path / "models"
    folder.mkdir()
    for name in (ONNX_FILE, WEIGHTS_FILE, SIDECAR_FILE):
        shutil.copy2(onnx_cache / name, folder / name)
    return folder


def test_int8_graph_is_built_once_and_stays_close_to_fp32(models: Path) -> None:
    int8 = OnnxEmbedder(models, precision="int8")
    quantized = int8.embed(SAMPLE)
    reference = OnnxEmbedder(models).embed(SAMPLE)
    cosines = (quantized * reference).sum(axis=1)
    assert cosines.min() >= 0.98, cosines
    assert int8.name == f"{MINILM_NAME}+int8" and int8.dimension == 384
    meta = json.loads((models / INT8_SIDECAR_FILE).read_text())
    assert meta["graph"]["size"] == (models / INT8_FILE).stat().st_size
    assert cached_int8_model(models, models / ONNX_FILE) == models / INT8_FILE
    # A damaged graph is not trusted: it is built again.
    (models / INT8_FILE).write_bytes(b"not a graph")
    assert cached_int8_model(models, models / ONNX_FILE) is None


def _draft() -> DocumentDraft:
    return DocumentDraft(
        path="runbooks/failover.md",
        kind="runbook",
        title="Database failover",
        sha256="1" * 64,
        metadata={},
        body="Page the database owner before a failover.",
        constraints=[
            ConstraintDraft(
                statement="Page the database owner before a failover",
                rationale="Nobody knew who owned the replica.",
                category="operational",
                severity="medium",
            )
        ],
    )


def test_a_knowledge_base_is_refused_at_the_other_precision(models: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to(models, target_is_directory=True)
    fp32 = KnowledgeBase(Settings(home=home, embedder="minilm"))
    fp32.add_documents("docs", [_draft()])
    assert fp32.index().count == 1
    fp32.close()

    settings = Settings(home=home, embedder="minilm", embedding_precision="int8")
    assert embedder_for(settings).name == f"{MINILM_NAME}+int8"
    int8 = KnowledgeBase(settings)
    with pytest.raises(ConfigError, match="KB_EMBEDDING_PRECISION"):
        int8.index()
    with pytest.raises(ConfigError, match="embedded with"):
        int8.add_documents("docs", [_draft()])
    int8.close()
