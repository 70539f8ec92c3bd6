"""Every command example in README.md and docs/*.md is what the command prints today.

scripts/docs_examples.py runs each marked example on the seed knowledge base; this fails when a
block differs (the output shows the difference; ``--write`` regenerates the blocks).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.model


def test_every_documented_example_is_what_the_command_prints() -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "docs_examples.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=1200,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_examples_use_only_files_the_repository_ships() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import docs_examples
    finally:
        sys.path.pop(0)
    commands = [
        command
        for path in docs_examples.doc_files()
        for block in docs_examples.find_blocks(path, path.read_text(encoding="utf-8").split("\n"))
        for command in block.commands
    ]
    assert len(commands) >= 10
    used = {name for command in commands for name in re.findall(r"docs/examples/[\w.-]*\w", command)}
    assert used
    for name in used:
        assert (REPO / name).is_file(), name
