"""scripts/relevance_bench.py: the written pool it indexes beside the shared corpora (``--written``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "relevance_bench.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relevance_bench", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


bench = _load()
POOL = ["adrs/0001-use-postgres.md", "postmortems/queue-outage.md", "runbooks/restart-broker.md"]


def _pool(root: Path) -> Path:
    for rel, text in {
        "README-test14.md": "# Notes on extraction set test14\n",
        "README-test19.md": "# Notes on extraction set test19\n",
        "postmortems/queue-outage.md": "# Queue outage\n\nThe consumer stalled.\n",
        "runbooks/restart-broker.md": "# Restart the broker\n\n1. Drain it.\n",
        "adrs/0001-use-postgres.md": "# Use Postgres\n\nWe chose Postgres.\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_written_files_are_the_folders_documents_not_the_top_level_notes(tmp_path: Path) -> None:
    root = _pool(tmp_path / "written")
    listed = [p.relative_to(root).as_posix() for p in bench.written_files(root)]
    assert listed == POOL


def test_written_texts_are_keyed_as_the_sets_label_them(tmp_path: Path) -> None:
    root = _pool(tmp_path / "written")
    texts = bench._document_texts(root, bench.written_files(root), prefix="written/")
    assert sorted(texts) == [
        "written/adrs/0001-use-postgres.md",
        "written/postmortems/queue-outage.md",
        "written/runbooks/restart-broker.md",
    ]
    assert texts["written/postmortems/queue-outage.md"].startswith("# Queue outage")


def test_the_pool_has_its_own_cache_key_and_staged_copy(tmp_path: Path) -> None:
    root = _pool(tmp_path / "written")
    files = bench.written_files(root)
    key = bench.pool_fingerprint("corpuskey", root, files)
    assert key != "corpuskey" and len(key) == 16
    assert bench.pool_fingerprint("otherkey", root, files) != key
    (root / "adrs" / "0001-use-postgres.md").write_text("# Use MySQL\n", encoding="utf-8")
    assert bench.pool_fingerprint("corpuskey", root, files) != key
    stage = bench.stage_written(root, files, tmp_path / "cache", key)
    staged = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    assert staged == POOL


def test_the_repositorys_written_pool_lists_only_its_three_folders() -> None:
    listed = bench.written_files()
    assert listed, bench.WRITTEN
    assert {p.relative_to(bench.WRITTEN).parts[0] for p in listed} <= {"postmortems", "runbooks", "adrs"}
    assert not any(p.name.startswith("README-test") for p in listed)
