"""The pages' security in-process (fast, fake embedder): nothing without a key, another team's
ids answer 404 exactly like missing ones, CSRF tokens are enforced, document HTML is sanitized,
and the docs pages reference only this server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from api.web.ui.session import load_secret
from ingest.loader import Upload, ingest_path, ingest_uploads
from kb.embedding.fake import HashingEmbedder
from kb.errors import ConfigError
from kb.service import KnowledgeBase
from kb.settings import Settings
from tests.ui import hostile

REPO = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html"}
PAGES = ("/ui/", "/ui/search", "/ui/search?q=retry", "/ui/browse", "/ui/browse?by=timeline", "/ui/review")


@dataclass
class Setup:
    kb: KnowledgeBase
    client: TestClient
    keys: dict[str, str]
    payments_lesson: int
    payments_document: int
    shared_lesson: int


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    home = tmp_path_factory.mktemp("ui-security")
    kb = KnowledgeBase(Settings(home=home, embedder="hashing"), embedder=HashingEmbedder())
    ingest_path(kb, REPO / "seed_incidents" / "postmortems")
    ingest_uploads(kb, [Upload(hostile.PATH, hostile.TEXT.encode())], source="hooks", team="payments")
    keys = {
        f"{team}-{role}": kb.create_key(team=team, role=role)[1]
        for team, role in (("payments", "writer"), ("logistics", "writer"), ("shared", "reader"))
    }
    lessons = kb.all_constraints()
    [(payments, document)] = [(c, d) for c, d in lessons if d.team == "payments" and "Jitter" in c.statement]
    shared = next(c for c, d in lessons if d.team == "shared")
    with TestClient(create_app(kb.settings, kb=kb), base_url="http://127.0.0.1") as client:
        yield Setup(kb, client, keys, payments.id, document.id, shared.id)
    kb.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def signed_in(setup: Setup, key: str) -> TestClient:
    """A fresh cookie jar signed in through the form (the client is shared; cookies are not)."""
    client = setup.client
    client.cookies.clear()
    token = csrf_of(client.get("/ui/sign-in").text)
    response = client.post(
        "/ui/sign-in", data={"csrf": token, "key": key, "next": "/ui/"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/ui/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and key.lower() not in cookie
    return client


def test_no_page_without_a_key(setup: Setup) -> None:
    client = setup.client
    client.cookies.clear()
    for path in (
        *PAGES,
        f"/ui/constraints/{setup.shared_lesson}",
        f"/ui/documents/{setup.payments_document}",
    ):
        page = client.get(path, headers=HTML, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/ui/sign-in?next="), path
        assert "Jitter" not in page.text and "stampede" not in page.text
        script = client.get(path, headers={"Accept": "application/json"}, follow_redirects=False)
        assert script.status_code == 401 and script.json()["error"]["code"] == "unauthorized", path
    wrong = client.get("/ui/", headers={**HTML, "Authorization": "Bearer hs_nope_nope"})
    assert wrong.status_code == 401


def test_a_wrong_key_does_not_sign_in(setup: Setup) -> None:
    client = setup.client
    client.cookies.clear()
    token = csrf_of(client.get("/ui/sign-in").text)
    response = client.post("/ui/sign-in", data={"csrf": token, "key": "hs_abc_def"}, follow_redirects=False)
    assert response.status_code == 401 and "not valid" in response.text
    assert client.get("/ui/", headers=HTML, follow_redirects=False).status_code == 303


def test_pages_answer_a_signed_in_key_and_a_bearer_key(setup: Setup) -> None:
    client = signed_in(setup, setup.keys["payments-writer"])
    for path in (
        *PAGES,
        f"/ui/constraints/{setup.payments_lesson}",
        f"/ui/documents/{setup.payments_document}",
    ):
        response = client.get(path, headers=HTML)
        assert response.status_code == 200, path
        assert "text/html" in response.headers["content-type"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {setup.keys['shared-reader']}"}
    assert client.get("/ui/search?q=retry", headers=bearer).status_code == 200


def _same_page(text: str, record_id: str) -> str:
    """The page with its request id and the asked-for id blanked (both differ by design)."""
    return re.sub(r"[0-9a-f]{32}", "RID", text).replace(record_id, "ID")


def test_another_teams_ids_answer_404_like_missing_ones(setup: Setup) -> None:
    client = signed_in(setup, setup.keys["logistics-writer"])
    pairs = (
        (f"/ui/constraints/{setup.payments_lesson}", "/ui/constraints/2000000000"),
        (f"/ui/documents/{setup.payments_document}", "/ui/documents/2000000000"),
    )
    for hidden, missing in pairs:
        seen, none = client.get(hidden, headers=HTML), client.get(missing, headers=HTML)
        assert seen.status_code == none.status_code == 404
        assert "Jitter" not in seen.text and "wombat" not in seen.text.lower()
        assert _same_page(seen.text, hidden.rsplit("/", 1)[1]) == _same_page(none.text, "2000000000")
    token = csrf_of(client.get("/ui/").text)
    for action in ("decide", "edit", "feedback"):
        response = client.post(
            f"/ui/constraints/{setup.payments_lesson}/{action}",
            data={"csrf": token, "action": "retire", "reason": "x", "helpful": "no", "severity": "low"},
            headers=HTML,
        )
        assert response.status_code == 404, action
    search = client.get("/ui/search?q=jitter+wombat+cache+expiry", headers=HTML)
    assert "Jitter" not in search.text
    status = setup.kb.get(setup.payments_lesson)[0].status
    assert status == "active"


def test_csrf_tokens_are_enforced(setup: Setup) -> None:
    client = signed_in(setup, setup.keys["payments-writer"])
    url = f"/ui/constraints/{setup.payments_lesson}/decide"
    token = csrf_of(client.get(f"/ui/constraints/{setup.payments_lesson}").text)
    for data in (
        {},
        {"csrf": ""},
        {"csrf": "0" * 64},
        {"csrf": token[:-1] + ("0" if token[-1] != "0" else "1")},
    ):
        refused = client.post(url, data={**data, "action": "retire", "reason": "test"}, headers=HTML)
        assert refused.status_code == 403 and "security token" in refused.text
        assert setup.kb.get(setup.payments_lesson)[0].status == "active"
    # A token from another session is wrong too.
    other = TestClient(setup.client.app, base_url="http://127.0.0.1")
    foreign = csrf_of(other.get("/ui/sign-in").text)
    refused = client.post(url, data={"csrf": foreign, "action": "retire", "reason": "test"}, headers=HTML)
    assert refused.status_code == 403
    sign_in = other.post("/ui/sign-in", data={"key": setup.keys["payments-writer"]}, follow_redirects=False)
    assert sign_in.status_code == 403
    done = client.post(
        url, data={"csrf": token, "action": "retire", "reason": "test"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert setup.kb.get(setup.payments_lesson)[0].status == "retired"
    again = client.post(url, data={"csrf": token, "action": "reactivate"}, follow_redirects=False)
    assert again.status_code == 303 and setup.kb.get(setup.payments_lesson)[0].status == "active"


def test_a_reader_cannot_curate(setup: Setup) -> None:
    client = signed_in(setup, setup.keys["shared-reader"])
    page = client.get(f"/ui/constraints/{setup.shared_lesson}")
    assert "Curate" not in page.text
    response = client.post(
        f"/ui/constraints/{setup.shared_lesson}/decide",
        data={"csrf": csrf_of(page.text), "action": "retire", "reason": "x"},
        headers=HTML,
    )
    assert response.status_code == 403
    assert setup.kb.get(setup.shared_lesson)[0].status == "active"


def test_document_html_is_sanitized(setup: Setup) -> None:
    client = signed_in(setup, setup.keys["payments-writer"])
    page = client.get(f"/ui/documents/{setup.payments_document}")
    assert page.status_code == 200
    html = page.text.lower()
    assert "origin fell over" in html  # the document is there...
    for bad in ("<script", "__pwned", "onerror", "javascript:", "<iframe"):
        assert bad not in html, bad  # ...its script is not
    assert 'class="rec"' in page.text and f'id="rec-{setup.payments_lesson}"' in page.text
    not_extracted = page.text.split("Not extracted", 1)[1]
    assert "Timeline" in not_extracted and "Action Items" not in not_extracted


def test_sign_in_redirects_only_inside_the_ui(setup: Setup) -> None:
    client = setup.client
    client.cookies.clear()
    for target in ("https://evil.example/", "//evil.example/ui/", "/ui/\\evil"):
        token = csrf_of(client.get("/ui/sign-in").text)
        data = {"csrf": token, "key": setup.keys["shared-reader"], "next": target}
        response = client.post("/ui/sign-in", data=data, follow_redirects=False)
        assert response.headers["location"] == "/ui/"


def test_docs_pages_reference_only_this_server(setup: Setup) -> None:
    client = setup.client
    for path in ("/docs", "/redoc"):
        html = client.get(path).text
        urls = re.findall(r"""(?:src|href)=["']([^"']+)""", html) + re.findall(r"url: *'([^']+)'", html)
        assert urls and all(u.startswith("/") for u in urls), urls
        assert "https://" not in html and "http://" not in html
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key: fw_<prefix>_<secret>",
    }
    assert spec["paths"]["/v1/query"]["post"]["security"] == [{"bearer": []}]
    assert not any(path.startswith("/ui") for path in spec["paths"])


def test_without_auth_the_local_user_needs_no_sign_in(tmp_path: Path) -> None:
    kb = KnowledgeBase(Settings(home=tmp_path, embedder="hashing"), embedder=HashingEmbedder())
    ingest_uploads(kb, [Upload(hostile.PATH, hostile.TEXT.encode())], source="hooks")
    with TestClient(create_app(kb.settings, kb=kb, auth=False), base_url="http://127.0.0.1") as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/ui/"
        page = client.get("/ui/", headers=HTML)
        assert page.status_code == 200 and "Sign out" not in page.text
        lesson = kb.all_constraints()[0][0].id
        url = f"/ui/constraints/{lesson}/decide"
        assert client.post(url, data={"action": "retire"}).status_code == 403  # CSRF still applies
        token = csrf_of(client.get(f"/ui/constraints/{lesson}").text)
        assert (
            client.post(
                url, data={"csrf": token, "action": "retire", "reason": "t"}, follow_redirects=False
            ).status_code
            == 303
        )
    assert kb.get(lesson)[0].status == "retired"
    kb.close()


def test_the_session_secret_is_private_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(home=tmp_path / "home", embedder="hashing")
    first = load_secret(settings)
    assert len(first) >= 32 and load_secret(settings) == first
    assert (tmp_path / "home" / "ui-secret").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("KB_UI_SECRET", "short")
    with pytest.raises(ConfigError, match="KB_UI_SECRET"):
        Settings(home=tmp_path / "home", embedder="hashing")
    monkeypatch.setenv("KB_UI_SECRET", "s" * 40)
    assert load_secret(Settings(home=tmp_path / "home", embedder="hashing")) == b"s" * 40
