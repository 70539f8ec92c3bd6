"""The UI in a real browser (Debian's headless chromium) against a real ``kb serve`` on the
seeded knowledge base: sign in, search, read a lesson, curate, and see the change through the
CLI; plus what only a browser can show: a postmortem's script does not run, cookies are
HttpOnly, /docs fetches nothing from elsewhere, pages fit a phone."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from kb.service import KnowledgeBase
from tests.ui import hostile
from tests.ui.browser import Server

pytestmark = [pytest.mark.model, pytest.mark.browser]

TASK = "add automatic retries to the payment capture call"
IDEMPOTENCY = "Idempotency-Key"


def sign_in(page: Any, server: Server, key: str, start: str = "/ui/") -> None:
    page.goto(server.url + start)
    assert "/ui/sign-in" in page.url  # nothing without a key
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(server.url + start.split("?")[0])))


def idempotency_lesson(server: Server) -> int:
    with server.client(server.keys["shared-admin"]) as client:
        results = client.post("/v1/query", json={"task": TASK, "k": 10}).json()["results"]
    return next(r["id"] for r in results if IDEMPOTENCY in r["statement"])


def test_nothing_shows_without_a_key(page: Any, ui_server: Server) -> None:
    for path in ("/ui/", "/ui/search?q=retry", "/ui/browse?by=timeline", "/ui/review", "/ui/constraints/1"):
        page.goto(ui_server.url + path)
        assert urlsplit(page.url).path == "/ui/sign-in", path
        assert page.locator("main h1").inner_text() == "Sign in"
        assert IDEMPOTENCY not in page.content()


def test_sign_in_search_and_read_the_cited_source(page: Any, ui_server: Server) -> None:
    sign_in(page, ui_server, ui_server.keys["shared-admin"])
    cookie = next(c for c in page.context.cookies() if c["name"] == "forewarn_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # page script cannot read the session
    page.get_by_label("Task").fill(TASK)
    page.get_by_role("button", name="Search").click()
    hit = page.locator("li.hit", has_text=IDEMPOTENCY).first
    hit.wait_for()
    assert "confidence" in hit.inner_text() and "Why:" in hit.inner_text()
    assert "PM-2024-003-payment-double-capture.md" in hit.inner_text()
    shown = [int(m) for m in re.findall(r"#(\d+) · score", page.locator("ol.hits").inner_text())]
    cli = json.loads(ui_server.kb("query", TASK, "-k", "10", "--json"))
    assert shown == [r["id"] for r in cli["results"]]  # the CLI's results, in its order
    hit.locator("p.statement a").click()
    page.wait_for_url(re.compile(r"/ui/constraints/\d+$"))
    assert IDEMPOTENCY in page.locator("h1").inner_text()
    assert "PM-2024-003-payment-double-capture.md" in page.locator("p.cite").inner_text()
    assert IDEMPOTENCY in page.locator(".line.cited").first.inner_text()  # the source line itself
    page.locator("p.cite a").click()  # to the document, at the record
    page.wait_for_url(re.compile(r"/ui/documents/\d+#rec-\d+$"))
    assert page.locator(".doc .rec").count() >= 1


def make_proposals(server: Server, count: int) -> list[int]:
    """Proposals waiting for review: proposed through the CLI where it can (the lifecycle work),
    else lessons of the seed set back to ``proposed`` through the API."""
    if hasattr(KnowledgeBase, "propose"):
        statements = [f"Rotate the zebra-{n} webhook signing secret every 90 days." for n in range(count)]
        return [
            int(str(server.kb_json("propose", s, "--rationale", "It leaked once.")["id"])) for s in statements
        ]
    with server.client(server.keys["shared-admin"]) as client:
        results = client.post("/v1/query", json={"task": "rotate database credentials", "k": 10}).json()
        ids = [r["id"] for r in results["results"] if r["status"] == "active"][:count]
        for lesson in ids:
            response = client.patch(f"/v1/constraints/{lesson}", json={"status": "proposed"})
            assert response.status_code == 200, response.text
    return ids


def test_accept_proposals_and_see_it_through_the_cli(page: Any, ui_server: Server) -> None:
    one, bulk_a, bulk_b = make_proposals(ui_server, 3)
    assert {ui_server.kb_json("show", str(i))["status"] for i in (one, bulk_a, bulk_b)} == {"proposed"}
    sign_in(page, ui_server, ui_server.keys["shared-admin"], "/ui/review")
    page.locator(f'button[value="accept:{one}"]').click()  # one by one
    page.wait_for_url(re.compile(r"/ui/review\?done="))
    assert "Done: accept" in page.locator("main").inner_text()
    assert ui_server.kb_json("show", str(one))["status"] == "active"
    for lesson in (bulk_a, bulk_b):  # in bulk
        page.get_by_label(f"Select lesson #{lesson}").check()
    page.get_by_label("Action").select_option("accept")
    page.get_by_role("button", name="Apply to selected").last.click()
    page.wait_for_url(re.compile(r"/ui/review\?done="))
    assert {ui_server.kb_json("show", str(i))["status"] for i in (bulk_a, bulk_b)} == {"active"}
    if hasattr(KnowledgeBase, "history"):
        changes = ui_server.kb_json("history", str(one))["changes"]
        assert isinstance(changes, list)
        accepted = [c for c in changes if c["action"] == "accept"]
        assert accepted and accepted[-1]["actor"] and accepted[-1]["at"]


@pytest.mark.skipif(not hasattr(KnowledgeBase, "feedback"), reason="feedback arrives with the lifecycle work")
def test_feedback_from_the_lesson_page_is_counted_in_the_cli(page: Any, ui_server: Server) -> None:
    lesson = idempotency_lesson(ui_server)
    before = ui_server.kb_json("show", str(lesson)).get("feedback") or {"helpful": 0, "not_helpful": 0}
    sign_in(page, ui_server, ui_server.keys["shared-admin"], f"/ui/constraints/{lesson}")
    page.get_by_label("Task (optional)").fill(TASK)
    page.get_by_role("button", name="Not helpful").click()
    page.wait_for_url(re.compile(r"done=feedback"))
    after = ui_server.kb_json("show", str(lesson))["feedback"]
    assert isinstance(after, dict) and isinstance(before, dict)
    assert after["not_helpful"] == before["not_helpful"] + 1 and after["helpful"] == before["helpful"]


def test_a_script_in_a_postmortem_does_not_run(page: Any, ui_server: Server) -> None:
    sign_in(page, ui_server, ui_server.keys["payments-writer"])
    with ui_server.client(ui_server.keys["payments-writer"]) as client:
        documents = client.get("/v1/documents", params={"limit": 500}).json()["results"]
    document = next(d for d in documents if d["path"] == hostile.PATH)
    page.goto(f"{ui_server.url}/ui/documents/{document['id']}")
    page.wait_for_load_state("load")
    assert "origin fell over" in page.locator("article.doc").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.locator("article.doc a", has_text="details").click()  # a javascript: link lost its href
    assert page.evaluate("typeof window.__pwned") == "undefined"
    html = page.content().lower()
    assert page.locator("script").count() == 0 and "__pwned" not in html and "onerror" not in html


def test_another_teams_lesson_is_404_in_the_browser(page: Any, ui_server: Server) -> None:
    with ui_server.client(ui_server.keys["payments-writer"]) as client:
        results = client.post("/v1/query", json={"task": "jitter wombat cache expiry"}).json()["results"]
    hidden = next(r["id"] for r in results if r["team"] == "payments")
    sign_in(page, ui_server, ui_server.keys["logistics-reader"])
    response = page.goto(f"{ui_server.url}/ui/constraints/{hidden}")
    assert response.status == 404 and "wombat" not in page.content().lower()
    missing = page.goto(f"{ui_server.url}/ui/constraints/2000000000")
    assert missing.status == 404


def test_api_docs_load_nothing_from_elsewhere(page: Any, ui_server: Server) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(ui_server.url + "/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator("button.authorize").count() == 1  # the bearer scheme
    page.goto(ui_server.url + "/redoc")
    page.get_by_text("/v1/query").first.wait_for(state="attached")
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, sorted(set(requested))


def test_pages_fit_a_phone(chromium: Any, ui_server: Server) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        sign_in(page, ui_server, ui_server.keys["shared-admin"])
        lesson = idempotency_lesson(ui_server)
        for path in ("/ui/", f"/ui/search?q={TASK}", f"/ui/constraints/{lesson}", "/ui/browse", "/ui/review"):
            page.goto(ui_server.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
    finally:
        context.close()


def test_keyboard_reaches_the_search_form(page: Any, ui_server: Server) -> None:
    sign_in(page, ui_server, ui_server.keys["shared-admin"])
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    labels = page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), textarea, select')]"
        ".filter(e => !e.labels.length && !e.getAttribute('aria-label')).map(e => e.name)"
    )
    assert labels == []  # every field has a label


def test_pages_pass_axe_wcag_checks(chromium: Any, ui_server: Server) -> None:
    """axe-core (the packaged copy in axe-playwright-python) finds no WCAG 2 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    lesson = idempotency_lesson(ui_server)
    with ui_server.client(ui_server.keys["shared-admin"]) as client:
        document = client.get(f"/v1/constraints/{lesson}").json()["source"]["document_id"]
    pages = [
        "/ui/",
        f"/ui/search?q={TASK}",
        f"/ui/constraints/{lesson}",
        f"/ui/documents/{document}",
        "/ui/browse?by=service",
        "/ui/browse?by=kind",
        "/ui/browse?by=timeline",
        "/ui/review",
    ]
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    try:
        page.goto(ui_server.url + "/ui/sign-in")
        found = {"/ui/sign-in": Axe().run(page, options=options).response["violations"]}
        sign_in(page, ui_server, ui_server.keys["shared-admin"])
        for path in pages:
            page.goto(ui_server.url + path)
            found[path] = Axe().run(page, options=options).response["violations"]
    finally:
        context.close()
    problems = {
        path: [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        for path, violations in found.items()
        if violations
    }
    assert problems == {}
