"""Input validity and safe modes at the HTTP edge: text no database keeps (lone surrogates, NUL)
refused before anything is written, on SQLite and PostgreSQL; chunked bodies over the limit;
the no-auth mode's loopback, Host and Origin checks; rate limits."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from api.web.guards import TokenBuckets, is_literal_loopback
from kb.auth import create_key
from kb.embedding.fake import HashingEmbedder
from kb.errors import InputError
from kb.records import ConstraintDraft, DocumentDraft
from kb.service import KnowledgeBase
from kb.settings import Settings

REPO = Path(__file__).resolve().parents[2]
HOSTILE = ["\ud800", "a\udfffb", "nul\x00here"]


def _json(value: object) -> bytes:
    # ASCII JSON: a lone surrogate travels as the escape "\ud800", as a hostile client sends it.
    return json.dumps(value).encode()


def _lesson(statement: str) -> ConstraintDraft:
    return ConstraintDraft(
        statement=statement,
        rationale="",
        category="operational",
        severity="high",
        status="active",
        section="Lessons",
        line_start=1,
        line_end=1,
    )


def _seeded(settings: Settings) -> tuple[KnowledgeBase, int]:
    kb = KnowledgeBase(settings, embedder=HashingEmbedder())
    kb.add_documents(
        "seed",
        [
            DocumentDraft(
                path="pm.md", kind="postmortem", title="T", sha256="x", constraints=[_lesson("Do x.")]
            )
        ],
        team="ops",
    )
    [(constraint, _)] = kb.store.all_constraints()
    assert constraint.id is not None
    return kb, constraint.id


@pytest.fixture(params=["sqlite", "postgres"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[KnowledgeBase, int]]:
    if request.param == "sqlite":
        settings = Settings(home=tmp_path / "home", embedder="hashing", rate_limit=0)
        kb, cid = _seeded(settings)
        yield kb, cid
        kb.close()
        return
    from tests.conftest import postgres_schema

    with postgres_schema() as url:
        settings = Settings(home=tmp_path / "home", database_url=url, embedder="hashing", rate_limit=0)
        kb, cid = _seeded(settings)
        yield kb, cid
        kb.close()


def test_the_store_refuses_hostile_text_before_writing(seeded: tuple[KnowledgeBase, int]) -> None:
    kb, cid = seeded
    revision = kb.store.revision()
    for bad in HOSTILE:
        with pytest.raises(InputError, match=r"NUL|surrogate"):
            kb.update_constraint(cid, {"tags": [bad]}, actor="test")
        with pytest.raises(InputError):
            create_key(kb.store, team="ops", role="reader", name=bad)
    assert kb.store.revision() == revision  # nothing committed
    assert kb.list_constraints(limit=10)[0][0].tags == []
    assert kb.store.list_keys(team="ops") == []


def test_http_answers_422_and_writes_nothing(seeded: tuple[KnowledgeBase, int]) -> None:
    kb, cid = seeded
    _, admin = create_key(kb.store, team="ops", role="admin")
    headers = {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"}
    revision = kb.store.revision()
    with TestClient(create_app(kb.settings, kb=kb)) as client:
        for bad in HOSTILE:
            patch = client.patch(
                f"/v1/constraints/{cid}", content=_json({"scope": {"tags": [bad]}}), headers=headers
            )
            assert patch.status_code == 422, patch.text
            assert patch.json()["error"]["code"] == "invalid_input"
            key = client.post("/v1/keys", content=_json({"role": "reader", "name": bad}), headers=headers)
            assert key.status_code == 422, key.text
            document = {"path": "a.md", "content": f"# T\n\n- Always {bad}.\n"}
            doc = client.post(
                "/v1/documents", content=_json({"source": "s", "documents": [document]}), headers=headers
            )
            assert doc.status_code == 422, doc.text
        listing = client.get("/v1/constraints", headers=headers)
        assert listing.status_code == 200 and listing.json()["results"][0]["scope"]["tags"] == []
    assert kb.store.revision() == revision
    assert len(kb.store.list_keys(team="ops")) == 1


def test_a_chunked_body_over_the_limit_answers_413(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", embedder="hashing", max_request_bytes=1000)
    kb = KnowledgeBase(settings, embedder=HashingEmbedder())

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 500

    try:
        with TestClient(create_app(settings, kb=kb, auth=False), base_url="http://localhost") as client:
            for url, kind in [
                ("/v1/documents/markdown?path=a.md", "text/markdown"),
                ("/v1/documents", "application/json"),
                ("/v1/documents/files", "multipart/form-data; boundary=x"),
            ]:
                response = client.post(url, content=chunks(), headers={"Content-Type": kind})
                assert response.status_code == 413, (url, response.text)
                assert response.json()["error"]["code"] == "too_large"
            small = client.post(
                "/v1/documents/markdown?path=a.md",
                content=iter([b"# T\n\n## Lessons\n\n", b"- Always renew leases early.\n"]),
                headers={"Content-Type": "text/markdown"},
            )
            assert small.status_code == 200 and small.json()["summary"]["added"] == 1
    finally:
        kb.close()


def test_only_literal_loopback_addresses_count() -> None:
    for host in ("127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"):
        assert is_literal_loopback(host), host
    for host in ("", "0.0.0.0", "::", "example.com", "localhost.example.com", "10.0.0.1", " "):
        assert not is_literal_loopback(host), host


@pytest.mark.parametrize("host", ["", "0.0.0.0", "::", "example.com"])
def test_serve_no_auth_refuses_non_loopback_hosts(host: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--host", host, "--no-auth", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0 and "--no-auth is allowed only" in result.stderr, result.stderr


def test_no_auth_mode_checks_host_and_origin(fake_kb: KnowledgeBase) -> None:
    doc = {"source": "s", "documents": [{"path": "a.md", "content": "# T\n\n- Always renew leases.\n"}]}
    with TestClient(
        create_app(fake_kb.settings, kb=fake_kb, auth=False), base_url="http://localhost:8000"
    ) as c:
        assert c.get("/v1/constraints").status_code == 200
        assert c.get("/v1/constraints", headers={"Host": "127.0.0.1:8000"}).status_code == 200
        rebound = c.get("/v1/constraints", headers={"Host": "attacker.example:8000"})
        assert rebound.status_code == 403 and rebound.json()["error"]["code"] == "forbidden_host"
        for origin in ("https://attacker.example", "null"):
            csrf = c.post("/v1/documents", json=doc, headers={"Origin": origin})
            assert csrf.status_code == 403 and csrf.json()["error"]["code"] == "forbidden_origin"
        form = c.post(
            "/v1/documents/markdown?path=b.md",
            content=b"# T\n\n- Always x.\n",
            headers={"Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site"},
        )
        assert form.status_code == 403
        assert fake_kb.stats()["documents"] == 0
        same = c.post("/v1/documents", json=doc, headers={"Origin": "http://localhost:8000"})
        assert same.status_code == 200, same.text
        assert c.post("/v1/documents", json=doc).status_code == 200  # curl: no Origin


def test_rate_limits_per_key_per_address_and_wrong_keys(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", embedder="hashing", rate_limit=2, auth_failure_limit=3)
    kb = KnowledgeBase(settings, embedder=HashingEmbedder())
    _, key = create_key(kb.store, team="ops", role="reader")
    try:
        with TestClient(create_app(settings, kb=kb)) as client:
            good = {"Authorization": f"Bearer {key}"}
            statuses = [client.get("/v1/constraints", headers=good).status_code for _ in range(6)]
            assert statuses[:4] == [200] * 4 and statuses[-1] == 429  # burst of 2 x 2 a second
            limited = client.get("/v1/constraints", headers=good)
            assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
            assert limited.json()["error"]["code"] == "rate_limited"
            assert client.get("/healthz").status_code == 200  # probes are never limited
    finally:
        kb.close()

    settings = Settings(home=tmp_path / "home2", embedder="hashing", rate_limit=1000, auth_failure_limit=3)
    kb = KnowledgeBase(settings, embedder=HashingEmbedder())
    _, key = create_key(kb.store, team="ops", role="reader")
    try:
        with TestClient(create_app(settings, kb=kb)) as client:
            wrong = [client.get("/v1/constraints", headers={"X-API-Key": f"hs_x_{i}"}) for i in range(5)]
            assert [r.status_code for r in wrong] == [401, 401, 401, 429, 429]
            # The address spent its wrong-key budget: even a right key waits.
            right = client.get("/v1/constraints", headers={"Authorization": f"Bearer {key}"})
            assert right.status_code == 429 and "Retry-After" in right.headers
    finally:
        kb.close()


def test_token_buckets_refill_and_stay_bounded() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=1.0, burst=2.0, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 1.0]
    now[0] = 1.0
    assert buckets.take("a") == 0.0
    for i in range(20_000):
        buckets.take(f"k{i}")
    assert len(buckets.buckets) <= 10_000


def test_every_json_write_route_refuses_hostile_strings(fake_kb: KnowledgeBase) -> None:
    app = create_app(fake_kb.settings, kb=fake_kb, auth=False)
    routes = [
        (path.replace("{constraint_id}", "1").replace("{document_id}", "1").replace("{key_id}", "1"), method)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch") and "application/json" in str(operation.get("requestBody", ""))
    ]
    assert len(routes) >= 5, routes
    revision = fake_kb.store.revision()
    with TestClient(app, base_url="http://localhost") as client:
        for path, method in routes:
            for bad in HOSTILE:
                body = _json({"task": bad, "source": "s", "name": bad, "scope": {"tags": [bad]}, bad: 1})
                response = client.request(
                    method.upper(), path, content=body, headers={"Content-Type": "application/json"}
                )
                assert response.status_code == 422, (path, response.text)
                assert response.json()["error"]["code"] == "invalid_input"
    assert fake_kb.store.revision() == revision
