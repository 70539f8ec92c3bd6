"""The core stays a library: kb/ imports no adapter and loads nothing heavy at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = {"ingest", "api", "fastapi", "starlette", "typer", "click", "rich", "uvicorn"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_kb_imports_no_adapter_or_framework() -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(_imported_modules(path) & FORBIDDEN)
        for path in sorted((REPO / "kb").rglob("*.py"))
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}


def test_the_walk_would_catch_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from api.cli import main\n    import typer\n")
    assert _imported_modules(bad) >= {"api", "typer"}


def test_importing_the_core_loads_no_model_and_connects_nowhere() -> None:
    code = (
        "import sys, kb, kb.service, kb.retrieval.search, kb.embedding, kb.storage.store, kb.index.vectors\n"
        "import api.cli, ingest.loader\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss', 'psycopg') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == ""
