"""Screenshots of every UI page for the README (docs/ui/*.png), with Debian's headless chromium.

Ingests seed_incidents/ into a fresh data directory, marks two lessons as proposed (so the review
queue has something), serves it with ``kb serve`` on a free loopback port, signs in with a new
admin key and captures each page at laptop width, and two at phone width.

    .venv/bin/python scripts/ui_screenshots.py [--out docs/ui]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
TASK = "add automatic retries to the payment capture call"


def kb(home: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")} | {"KB_HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        check=True,
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    return out.stdout


def serve(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")} | {"KB_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    import json

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "ui")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="ui-shots-"))
    kb(home, "ingest", str(REPO / "seed_incidents"))
    key = json.loads(
        kb(home, "keys", "create", "--team", "shared", "--role", "admin", "--name", "shots", "--json")
    )
    process, url = serve(home)
    try:
        api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key['key']}"}, timeout=60)
        hits = api.post("/v1/query", json={"task": TASK, "k": 10}).json()["results"]
        lesson = next(h for h in hits if "Idempotency-Key" in h["statement"])
        proposals = (
            "Rotate the webhook signing secret of every carrier integration every 90 days.",
            "Page the payments on-call when capture latency p99 passes 5 s for ten minutes.",
        )
        if "propose" in kb(home, "--help"):  # proposals as agents and people make them
            for statement in proposals:
                kb(home, "propose", statement, "--rationale", "From the 2025 game day.", "--as", "sam")
        else:  # before the lifecycle commands: two seed lessons back to proposed
            for proposed in hits[2:4]:
                api.patch(f"/v1/constraints/{proposed['id']}", json={"status": "proposed"})
        shots = [
            ("home", "/ui/"),
            ("search", f"/ui/search?q={TASK.replace(' ', '+')}"),
            ("lesson", f"/ui/constraints/{lesson['id']}"),
            ("document", f"/ui/documents/{lesson['source']['document_id']}#rec-{lesson['id']}"),
            ("browse-service", "/ui/browse?by=service"),
            ("browse-timeline", "/ui/browse?by=timeline"),
            ("review", "/ui/review"),
            ("docs", "/docs"),
            ("redoc", "/redoc"),
        ]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            for width, height, suffix, names in (
                (1280, 860, "", None),
                (390, 844, "-phone", {"search", "lesson"}),
            ):
                page = browser.new_context(viewport={"width": width, "height": height}).new_page()
                page.goto(f"{url}/ui/sign-in")
                if suffix == "":
                    page.screenshot(path=str(args.out / "sign-in.png"))
                page.get_by_label("API key").fill(key["key"])
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{url}/ui/")
                for name, path in shots:
                    if names is not None and name not in names:
                        continue
                    page.goto(url + path)
                    page.wait_for_load_state("networkidle")
                    # The lesson page in full: feedback, curation and history sit below the fold.
                    full = name == "lesson" and not suffix
                    page.screenshot(path=str(args.out / f"{name}{suffix}.png"), full_page=full)
                    print(args.out / f"{name}{suffix}.png")
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
