"""Behaviour that is awkward to provoke in a real server: timeouts, and the raw Markdown route,
checked in-process with FastAPI's test client and the fast fake embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from kb.auth import create_key
from kb.embedding.fake import HashingEmbedder
from kb.service import KnowledgeBase
from kb.settings import Settings

DOC = (
    b"# Scanner outage\n\n## Lessons Learned\n\n"
    b"- Renew scanner leases before half their lifetime has passed.\n"
)


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    knowledge = KnowledgeBase(Settings(home=tmp_path, embedder="hashing"), embedder=HashingEmbedder())
    yield knowledge
    knowledge.close()


def test_raw_markdown_body_is_ingested_into_the_callers_team(kb: KnowledgeBase) -> None:
    _, key = create_key(kb.store, team="ops", role="writer")
    with TestClient(create_app(kb.settings, kb=kb)) as client:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "text/markdown"}
        response = client.post(
            "/v1/documents/markdown?path=pm/scanner.md&source=hooks", content=DOC, headers=headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["summary"]["added"] == 1 and response.json()["team"] == "ops"
        binary = client.post("/v1/documents/markdown?path=pm/x.md", content=b"\x00\x01", headers=headers)
        assert binary.json()["files"][0]["status"] == "failed"
    [(constraint, document)] = kb.store.all_constraints()
    assert document.team == "ops" and document.source == "hooks" and "scanner leases" in constraint.statement


def test_a_query_over_the_time_limit_answers_504(kb: KnowledgeBase) -> None:
    settings = Settings(home=kb.settings.home, embedder="hashing", request_timeout=0.000001)
    _, key = create_key(kb.store, team="ops", role="reader")
    with TestClient(create_app(settings, kb=kb)) as client:
        response = client.post(
            "/v1/query", json={"task": "renew leases " * 1000}, headers={"Authorization": f"Bearer {key}"}
        )
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "timeout"


def test_keys_are_fw_and_those_made_under_the_first_name_still_work(kb: KnowledgeBase) -> None:
    from kb.auth import authenticate

    record, key = create_key(kb.store, team="ops", role="reader")
    assert key.startswith("fw_")
    principal = authenticate(kb.store, "hs_" + key.removeprefix("fw_"))  # as handed out before
    assert principal is not None and principal.key_id == record.id
    assert authenticate(kb.store, "xx_" + key.removeprefix("fw_")) is None


def test_a_query_returns_passages_apart_from_the_lessons(kb: KnowledgeBase) -> None:
    from kb.records import DocumentDraft

    kb.add_documents(
        "src",
        [
            DocumentDraft(
                path="notes/zk.md",
                kind="runbook",
                title="Zookeeper notes",
                sha256="1",
                body="# Zookeeper notes\n\n## Upgrades\n\nThe zookeeper ensemble lost quorum on restart.\n",
            )
        ],
        team="ops",
    )
    _, key = create_key(kb.store, team="ops", role="writer")
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(kb.settings, kb=kb)) as client:
        markdown = {**headers, "Content-Type": "text/markdown"}
        client.post("/v1/documents/markdown?path=pm/scanner.md", content=DOC, headers=markdown)
        response = client.post("/v1/query", json={"task": "zookeeper quorum restart"}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        [passage] = body["passages"]
        assert passage["match"] == "passage" and passage["source"]["path"] == "notes/zk.md"
        assert (
            passage["source"]["section"] == "Zookeeper notes > Upgrades" and passage["confidence"] == "weak"
        )
        assert all(r["match"] == "lesson" for r in body["results"])
        block = client.post(
            "/v1/context",
            json={"task": "zookeeper quorum restart", "min_confidence": "weak"},
            headers=headers,
        )
        assert block.status_code == 200, block.text
        assert block.json()["passages"] == 1 and "notes/zk.md" in block.json()["text"]
