"""One data directory with seed_incidents/ ingested by the real ``forewarn`` command, shared by the
integration tests that run it as a process (check, pre-commit, CI workflow, MCP).

Made once per test session (the first caller pays for the ingest and the model cache); tests that
write copy it first.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seed_incidents"


def _scripts_dir() -> Path:
    """Where the ``forewarn`` console script is: the venv's bin folder after ``scripts/install``.

    A development venv installed before the product was renamed has only ``kb``; there a folder
    with a ``forewarn`` stand-in (running the same ``api.cli:main``) comes first, so the tests run
    the command under the name users type. A fresh install (CI) uses the real console script.
    """
    venv_bin = Path(sys.executable).parent
    if (venv_bin / "forewarn").exists():
        return venv_bin
    shim = Path(tempfile.mkdtemp(prefix="forewarn-bin-"))
    script = shim / "forewarn"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m api.cli "$@"\n')
    script.chmod(0o755)
    return shim


VENV_BIN = _scripts_dir()
# The console script, as users run it (``python -m api.cli`` runs the same ``main``).
FOREWARN = str(VENV_BIN / "forewarn")

PAYMENT_RETRY = """\
     request = build_capture_request(order, amount)
-    return payments.post("/captures", json=request)
+    for attempt in range(3):
+        try:
+            return payments.post("/captures", json=request, timeout=8)
+        except TimeoutError:
+            time.sleep(2 ** attempt)
+    raise CaptureFailed(order.id)
"""

PAYMENT_DIFF = (
    "diff --git a/services/checkout/payment_client.py b/services/checkout/payment_client.py\n"
    "--- a/services/checkout/payment_client.py\n"
    "+++ b/services/checkout/payment_client.py\n"
    "@@ -10,2 +10,7 @@ def capture(order, amount):\n" + PAYMENT_RETRY
)


def kb_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env["KB_HOME"] = str(home)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def run_kb(
    home: Path, *args: str, input: str | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FOREWARN, *args],
        capture_output=True,
        text=True,
        input=input,
        env=kb_env(home, PYTHONPATH=str(REPO)),
        cwd=cwd,
        timeout=600,
    )


@functools.cache
def seed_home(base: Path) -> Path:
    home = base / "seed-home"
    out = run_kb(home, "ingest", str(SEED))
    assert out.returncode == 0, out.stderr
    return home


def private_copy(base: Path, name: str) -> Path:
    target = base / name
    if not target.exists():
        shutil.copytree(seed_home(base), target)
    return target
