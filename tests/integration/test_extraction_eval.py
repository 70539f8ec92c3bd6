"""The matching and metric code of scripts/extraction_eval.py, with hand-made vectors."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "extraction_eval.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_eval", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["extraction_eval"] = mod
    spec.loader.exec_module(mod)
    return mod


ev = _load()


def test_greedy_match_is_one_to_one_and_best_first() -> None:
    sim = np.array([[0.9, 0.8], [0.85, 0.2], [0.1, 0.3]])
    pairs = ev.greedy_match(sim, 0.6)
    assert [(r, c) for r, c, _ in pairs] == [(0, 0)]  # row 1 wanted col 0 too; col 1 only 0.2 for it
    sim2 = np.array([[0.9, 0.7], [0.95, 0.65]])
    assert [(r, c) for r, c, _ in ev.greedy_match(sim2, 0.6)] == [(1, 0), (0, 1)]


def test_threshold_excludes_weak_pairs_and_empty_inputs() -> None:
    assert ev.greedy_match(np.array([[0.59]]), 0.6) == []
    assert ev.greedy_match(np.zeros((0, 3)), 0.6) == []


def _fake_embed(texts: Sequence[str]) -> np.ndarray:
    # one axis per first word: same first word -> cosine 1, else 0
    words = sorted({t.split()[0].lower() for t in texts})
    out = np.zeros((len(texts), len(words)), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i, words.index(t.split()[0].lower())] = 1.0
    return out


def test_document_and_aggregate_metrics() -> None:
    a = ev.DocResult(
        "a.md",
        "runbook",
        "dev",
        ["Rotate keys.", "Page on call.", "Noise here."],
        ["Rotate keys often.", "Page someone."],
    )
    a.pairs = ev.score_document(a.extracted, a.gold, _fake_embed, 0.6)
    assert a.matched == 2 and a.precision == 2 / 3 and a.recall == 1.0
    assert a.unmatched_extracted() == ["Noise here."]
    b = ev.DocResult("b.md", "adr", "held-out", [], ["Use Postgres."])
    agg = ev.aggregate([a, b])
    assert agg["runbook"]["precision"] == round(2 / 3, 3)
    assert agg["adr"]["recall"] == 0.0
    assert agg["overall"]["matched"] == 2 and agg["overall"]["gold"] == 3 and agg["overall"]["extracted"] == 3
    assert "postmortem" not in agg


def test_gold_file_covers_every_corpus_set() -> None:
    gold = ev.load_gold()
    sets = {"/".join(g["path"].split("/")[:2]) for g in gold}
    assert len(gold) >= 40 and len(sets) == 14
    assert {g["kind"] for g in gold} == {"postmortem", "runbook", "adr"}
    assert all(g["lessons"] and g.get("split") in ("dev", "held-out") for g in gold)


def test_blind_fold_test3_is_read_only_when_named() -> None:
    test3 = ev.load_gold_sets("test3")
    assert test3 and all(g["fold"] == "test3" for g, _ in test3)
    corpora = {c for _, c in test3}
    assert corpora == {ev.CORPUS2, ev.CORPUS}  # corpus2 rows and first-corpus rows
    assert all((c / g["path"]).is_file() for g, c in test3)
    assert len({g["path"] for g, _ in test3}) == len(test3)
    everything = ev.load_gold_sets("all")
    assert not any(g["fold"] == "test3" for g, _ in everything)
    old_paths = {g["path"] for g, c in everything if c == ev.CORPUS}
    assert not old_paths & {g["path"] for g, c in test3 if c == ev.CORPUS}


@pytest.mark.parametrize(
    ("fold", "earlier_folds", "at_least"),
    [
        ("test5", ("all", "test2", "test3", "test4"), 30),
        ("test6", ("all", "test2", "test3", "test4", "test5"), 24),
        ("test7", ("all", "test2", "test3", "test4", "test5", "test6"), 28),
        ("test8", ("all", "test2", "test3", "test4", "test5", "test6", "test7"), 18),
        ("test9", ("all", "test2", "test3", "test4", "test5", "test6", "test7", "test8"), 22),
        ("test10", ("all", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9"), 30),
        ("test11", ("all", *(f"test{n}" for n in range(2, 11))), 16),
    ],
)
def test_a_later_first_corpus_fold_is_read_only_when_named_and_repeats_no_earlier_document(
    fold: str, earlier_folds: tuple[str, ...], at_least: int
) -> None:
    rows = ev.load_gold_sets(fold)
    first_corpus = [g for g, c in rows if c == ev.CORPUS]
    assert len(first_corpus) >= at_least and all(g["fold"] == fold for g, _ in rows)
    assert all((c / g["path"]).is_file() for g, c in rows)
    earlier = {(c, g["path"]) for f in earlier_folds for g, c in ev.load_gold_sets(f)}
    assert not earlier & {(c, g["path"]) for g, c in rows}
    assert not any(g["fold"] == fold for g, _ in ev.load_gold_sets("all"))


def test_written_folds_are_read_only_when_named_and_repeat_no_document() -> None:
    """The documents written for test11 onwards live in their own root, one fold each: postmortems
    only up to test13, runbooks and ADRs too from test14, each in its kind's folder."""
    folders = {"postmortems": "postmortem", "runbooks": "runbook", "adrs": "adr"}
    seen: set[str] = set()
    for fold in ev.WRITTEN_GOLD:
        written = [g for g, c in ev.load_gold_sets(fold) if c == ev.WRITTEN]
        assert len(written) >= 12 and all(g["fold"] == fold for g in written)
        assert all(folders.get(g["path"].split("/", 1)[0]) == g["kind"] for g in written)
        if fold in ("test11", "test12", "test13"):
            assert all(g["kind"] == "postmortem" for g in written)
        assert all((ev.WRITTEN / g["path"]).is_file() for g in written)
        paths = {g["path"] for g in written}
        assert len(paths) == len(written) and not paths & seen
        seen |= paths
        assert not any(g["fold"] == fold for g, _ in ev.load_gold_sets("all"))
