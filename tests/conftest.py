"""Shared fixtures: a private data directory per test, fast fake-embedder KBs, the real model,
and PostgreSQL on 127.0.0.1:5432 in a throw-away schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kb.embedding.fake import HashingEmbedder
from kb.embedding.torch_model import SentenceTransformerEmbedder
from kb.service import KnowledgeBase
from kb.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seed_incidents"
CORPUS = REPO.parent / "shared" / "corpus"
POSTGRES_BASE_URL = os.environ.get(
    "KB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the user's real data directory; no KB_ setting leaks in from the shell."""
    for name in list(os.environ):
        if name.startswith("KB_") and name != "KB_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    home = tmp_path / "kb-home"
    monkeypatch.setenv("KB_HOME", str(home))
    return home


@pytest.fixture
def fake_kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    """A knowledge base on a real SQLite file with the fast hashing embedder."""
    kb = KnowledgeBase(Settings(home=tmp_path / "fake-kb", embedder="hashing"), embedder=HashingEmbedder())
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def real_embedder() -> SentenceTransformerEmbedder:
    """The packaged MiniLM on sentence-transformers, loaded once per test session.

    The reference path is the ``[torch]`` extra: its tests are skipped where torch is absent.
    """
    pytest.importorskip(
        "torch", reason="the sentence-transformers reference path needs torch ([torch] extra)"
    )
    pytest.importorskip("sentence_transformers", reason="the reference path needs the [torch] extra")
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def seed_kb(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: SentenceTransformerEmbedder
) -> Iterator[KnowledgeBase]:
    """seed_incidents/ ingested with the real model into a real SQLite file and FAISS index."""
    from ingest.loader import ingest_path

    home = tmp_path_factory.mktemp("seed-kb")
    kb = KnowledgeBase(Settings(home=home), embedder=real_embedder)
    report = ingest_path(kb, SEED)
    assert report.count("failed") == 0, [f.to_dict() for f in report.files if f.status == "failed"]
    yield kb
    kb.close()


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", connect_timeout=3):
            return True
    except Exception:
        return False


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL ``test`` database, dropped afterwards.

    Skipped when no server is reachable, except on CI, where PostgreSQL is part of the machine.
    """
    if not _postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL on 127.0.0.1:5432 is not reachable on CI")
        pytest.skip("PostgreSQL on 127.0.0.1:5432 is not reachable")
    import psycopg

    schema = f"hindsight_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_BASE_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ONNX model built per test session (the build itself is tested in test_onnx.py)."""
    from kb.embedding import packaged_model_path
    from kb.embedding.onnx import export_onnx_model

    cache = tmp_path_factory.mktemp("onnx-cache")
    export_onnx_model(cache, packaged_model_path())
    return cache


# Fixtures that load the real model, and those that need PostgreSQL: a test using any of them (or
# living under tests/integration/) is marked, so `-m "not model and not postgres"` is the fast set.
MODEL_FIXTURES = frozenset({"real_embedder", "seed_kb", "onnx_cache", "seed_home"})
POSTGRES_FIXTURES = frozenset({"postgres_url", "postgres_schema"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "integration" in item.path.parts or names & MODEL_FIXTURES:
            item.add_marker(pytest.mark.model)
        if names & POSTGRES_FIXTURES:
            item.add_marker(pytest.mark.postgres)
