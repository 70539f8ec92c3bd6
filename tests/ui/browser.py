"""A real ``kb serve`` on a copy of the seeded data directory, and Debian's chromium driven by
Playwright (no browser download: ``executable_path`` is the system's chromium).

Without chromium or Playwright the browser tests skip with the reason, except on CI
(``CI=true``), where scripts/install puts both on the machine and a missing one is a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.seedhome import REPO, kb_env, run_kb

CHROMIUM = Path(os.environ.get("KB_TEST_CHROMIUM", "/usr/bin/chromium"))


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_browser() -> None:
    """Skip (locally) or fail (on CI) when the browser tests cannot run here."""
    reason = None
    if not CHROMIUM.exists():
        reason = (
            f"Debian's chromium is not installed ({CHROMIUM}); scripts/install adds it (apt-get, as root)"
        )
    elif importlib.util.find_spec("playwright") is None:
        reason = "the Playwright package is not installed (pip install -e '.[dev]')"
    if reason is None:
        return
    if on_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    home: Path
    process: subprocess.Popen[bytes]
    keys: dict[str, str] = field(default_factory=dict)

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def kb(self, *args: str) -> str:
        """Run the ``kb`` command on this server's data directory; its stdout."""
        out = run_kb(self.home, *args)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def kb_json(self, *args: str) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.kb(*args, "--json"))
        return data

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(home: Path) -> Server:
    port = free_port()
    with (home / f"server-{port}.log").open("wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            cwd=REPO,
            env=kb_env(home, PYTHONPATH=str(REPO)),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(url=f"http://127.0.0.1:{port}", home=home, process=process)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{(home / f'server-{port}.log').read_text()}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop()
    raise AssertionError("the server did not become ready in 120 s")
