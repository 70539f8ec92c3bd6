"""The whole path on the team backend: seed_incidents/ into PostgreSQL with the real model, then queries."""

from __future__ import annotations

from pathlib import Path

from ingest.loader import ingest_path
from kb.embedding.torch_model import SentenceTransformerEmbedder
from kb.service import KnowledgeBase
from kb.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "seed_incidents"


def test_seed_on_postgres_answers_like_sqlite(
    postgres_url: str, tmp_path: Path, real_embedder: SentenceTransformerEmbedder, seed_kb: KnowledgeBase
) -> None:
    kb = KnowledgeBase(Settings(home=tmp_path, database_url=postgres_url), embedder=real_embedder)
    try:
        report = ingest_path(kb, SEED)
        assert report.count("failed") == 0
        again = ingest_path(kb, SEED)
        assert again.count("unchanged") == report.count("added")
        assert kb.stats()["constraints"] == seed_kb.stats()["constraints"]
        task = "add automatic retries to the payment capture call"
        on_pg = [h.constraint.statement for h in kb.query(task=task, k=5).hits]
        on_sqlite = [h.constraint.statement for h in seed_kb.query(task=task, k=5).hits]
        assert on_pg == on_sqlite
        assert any("idempotency" in s.lower() for s in on_pg[:3])
    finally:
        kb.close()
