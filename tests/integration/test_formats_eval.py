"""Extraction from non-Markdown formats against the formats gold set, with the real model: a floor.

Figures at the time of writing (scripts/formats-eval): 31 documents, 110 gold lessons, precision
0.733, recall 0.773. The floor sits a little under them, so a converter that loses sections or
lists fails here while wording changes in extraction do not.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "formats_eval.py"
FLOOR_PRECISION = 0.68
FLOOR_RECALL = 0.72
FLOOR_FORMAT_RECALL = 0.5  # every format on its own


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("formats_eval", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["formats_eval"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_gold_set_covers_fifteen_documents_and_every_format() -> None:
    fe = _load()
    gold = fe.load_gold()
    assert len(gold) >= 15 and all(g["lessons"] for g in gold)
    assert {g["format"] for g in gold} >= {
        "html",
        "docx",
        "rst",
        "asciidoc",
        "jira",
        "jira-wiki",
        "github-issue",
        "incidentio",
        "firehydrant",
        "rootly",
        "notion",
        "notion-csv",
    }


def test_extraction_from_other_formats_stays_above_its_floor(real_embedder: object) -> None:
    fe = _load()
    results = fe.evaluate(fe.load_gold(), real_embedder.embed, fe.ev.DEFAULT_THRESHOLD)  # type: ignore[attr-defined]
    figures = fe.per_format(results)
    overall = figures["overall"]
    assert not [r.path for r in results if r.error]
    assert overall["precision"] >= FLOOR_PRECISION, fe.table(figures)
    assert overall["recall"] >= FLOOR_RECALL, fe.table(figures)
    low = {name: a["recall"] for name, a in figures.items() if a["recall"] < FLOOR_FORMAT_RECALL}
    assert not low, fe.table(figures)
