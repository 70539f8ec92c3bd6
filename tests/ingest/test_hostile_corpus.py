"""scripts/hostile_corpus.py ingested: every hostile file fails alone with a clear error within its
budget, the good ones are stored; and an upload batch out of time writes nothing."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from ingest.loader import Upload, ingest_uploads
from kb.errors import TimeoutError_
from kb.service import KnowledgeBase
from kb.settings import Settings

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "hostile_corpus.py"
BUDGET = Settings().parse_timeout
# CPU seconds, as the budget counts them. A budget is checked between steps, not inside one regular
# expression call: allow one step.
SLACK = 3.0


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile_corpus", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_corpus"] = module
    spec.loader.exec_module(module)
    return module


def test_every_hostile_case_fails_alone_within_its_budget(tmp_path: Path) -> None:
    rows = _load().run(tmp_path, memory=False)
    assert len(rows) >= 18
    wrong = [row for row in rows if not row["as_expected"]]
    assert not wrong, wrong
    slow = [row for row in rows if float(row["seconds"]) > BUDGET + SLACK]  # type: ignore[arg-type]
    assert not slow, slow
    stored = {row["path"] for row in rows if row["status"] == "added"}
    assert {"good-0.md", "good-1.md", "good-2.md"} <= stored


def test_an_upload_batch_out_of_time_writes_nothing(fake_kb: KnowledgeBase) -> None:
    slow = "".join(f"# H{i}\n\nAlways check {i}.\n" for i in range(20_000)).encode()
    good = b"# T\n\n## Lessons\n\n- Always renew the leases early.\n"
    uploads = [Upload(path="good.md", data=good), *(Upload(path=f"slow-{i}.md", data=slow) for i in range(3))]
    start = time.monotonic()
    with pytest.raises(TimeoutError_, match="before anything was written"):
        ingest_uploads(fake_kb, uploads, source="api", timeout=0.5)
    assert time.monotonic() - start < 0.5 + SLACK
    assert fake_kb.stats()["documents"] == 0
