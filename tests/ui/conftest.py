"""Fixtures of the browser tests: one server on a seeded copy, keys of three teams, a
hostile postmortem of the payments team, and a headless chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.seedhome import private_copy
from tests.ui import hostile
from tests.ui.browser import CHROMIUM, Server, require_browser, start_server


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_browser()
    home = private_copy(tmp_path_factory.getbasetemp(), "ui-home")
    server = start_server(home)
    try:
        for team, role in (("shared", "admin"), ("payments", "writer"), ("logistics", "reader")):
            created = server.kb_json("keys", "create", "--team", team, "--role", role)
            server.keys[f"{team}-{role}"] = str(created["key"])
        with server.client(server.keys["payments-writer"]) as client:
            response = client.post(
                "/v1/documents/markdown",
                params={"path": hostile.PATH, "source": "hooks"},
                content=hostile.TEXT.encode(),
                headers={"Content-Type": "text/markdown"},
            )
            assert response.status_code == 200, response.text
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()
