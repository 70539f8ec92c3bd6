"""Measure redaction on the planted set: recall per kind, precision on look-alikes, per fold.

    python scripts/redaction_eval.py [--fold tune|test|test2|...|test65|tuning|all] [--json] [--misses]

Folds: ``tune`` and ``test`` (planted.jsonl) and ``test2`` to ``test65`` (planted_test2..65.jsonl).
``test`` to ``test65`` are tuning data: each was held out once, measured, and its misses were read
and tuned on (their first readings are in tests/data/redaction/README.md; ``test43`` was read once
after round 39 and tuned on in round 40; ``test44`` was read once after round 40 and tuned on in
round 41; ``test45`` was read once after round 41 and tuned on in round 42; ``test46`` was read
once after round 42 and tuned on in round 43; ``test47`` was read once after round 43 and tuned on
in round 44; ``test48`` and ``test49`` were read once after round 44 and tuned on in round 45;
``test50`` and ``test51`` were read once after round 45 and tuned on in round 46; ``test52`` and
``test53`` were read once after round 46 and tuned on in round 47; ``test54`` and ``test55`` were
read once after round 47 and tuned on in round 48; ``test56`` and ``test57`` were read once after
round 48 and tuned on in round 49; ``test58`` and ``test59`` were read once after round 49 and tuned
on in round 50; ``test60`` and ``test61`` were read once after round 50 and tuned on in round 51;
``test62`` and ``test63`` were read once after round 51 and tuned on in round 52; ``test64`` and
``test65`` were read once after round 52 and tuned on in round 53).
No fold is held out now (``HELD_OUT = None``).
The next blind fold is added by extending ``LATER_FOLDS`` and named in ``HELD_OUT`` when it is
committed, before the redactor runs on it; it is measured once, and a rule made after reading its
misses needs a fresh fold.
``--fold tuning`` runs every fold but the held-out one.

A positive counts as found when its value no longer appears in the redacted line; ``exact`` also
asks that nothing else in the line changed (the lesson around the value survives). A look-alike
counts as a false positive when its value was touched. ``precision`` is found / (found + false
positives) over the fold; ``kept`` is the share of look-alikes left intact.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.safety.redaction import PLACEHOLDER_RE, RedactionPolicy  # noqa: E402

PLANTED = ROOT / "tests" / "data" / "redaction" / "planted.jsonl"
PLANTED_DIR = ROOT / "tests" / "data" / "redaction"
# planted_test2.jsonl ... planted_test65.jsonl, one blind fold each
LATER_FOLDS = tuple(f"test{n}" for n in range(2, 66))
FOLDS = ("tune", "test", *LATER_FOLDS)
# The blind fold, measured once and never tuned on; None while every fold's misses have been read.
# test13 (committed 5fc3077, read once at dccf623) was tuned on in round 10; test14 (f7e3aca, read
# once at ef52aa3) was tuned on in round 11; test15 (committed 9362cca, read once at 610440f) was tuned
# on in round 12; test16 (committed 6fb27a3/e7a0c2a, read once at 5931cf5) was tuned on in round 13;
# test17 (committed d5ef41c, read once at b432a20) was tuned on in round 14; test18 (committed
# 99c843d, read once at 90f0768) was tuned on in round 15; test19 (committed e817c54, read once at
# ac6350e) was tuned on in round 16; test20 (committed db3d896, read once at f6ea320) was tuned on in
# round 17; test21 (committed db23770, read once at 0dacc86) was tuned on in round 18; test22
# (committed 66fb3ce, read once at 68a8d9b) was tuned on in round 19; test23 (committed 50b583a, read
# once at 406c7cc) was tuned on in round 20; test24 (committed 6ed1819, read once at 94a7800) was
# tuned on in round 21; test25 (committed dce3fbe, read once at 8d1a71c) was tuned on in round 22;
# test26 (committed e76022e, read once at 39f9913) was tuned on in round 23; test27 (committed
# a955d76, read once at a758d2f) was tuned on in round 24; test28 (committed 56039a0, read once at
# 7ddcf2d) was tuned on in round 25; test29 (committed 5203ed3, read once at bbad0e3, the merge of
# red29w) was tuned on in round 26; test30 (committed 381353b, branch red30w, read once at 9d5cd72)
# was tuned on in round 27; test31 (committed 13896b8, branch red31w, read once at 4ab5b32 on main,
# the fold's registration) was tuned on in round 28; test32 (committed 191e9a7, branch red32w, read
# once at 99c5153 on main, the fold's registration) was tuned on in round 29; test33 (committed
# d0b7082/a849436, branch red33w, read once at c2a4ee5 on main, the fold's registration) was tuned on
# in round 30; test34 (committed 28cdf08/dd1b6dd, branch red34w, read once at 5b76246 on main, the
# fold's registration) was tuned on in round 31; test35 (committed 59a8d30, branch red35w, read once
# at ea23534 on main, the fold's registration) was tuned on in round 32; test36 (committed 55c0046,
# branch red36w, read once at a093472 on main, the fold's registration) was tuned on in round 33;
# test37 (committed 1d4c39e, branch red37w, read once at 393ac19 on main, the fold's registration) was
# tuned on in round 34; test38 (committed 0ee4760, branch red38w, read once at fff51a3 on main, the
# fold's registration) was tuned on in round 35; test39 (committed 849199d, branch red39w, read once
# at 3d4630b on main, the fold's registration) was tuned on in round 36; test40 (committed
# cae9759/f64f77b, branch red40w, read once at 1098a06 on main, the fold's registration) was tuned on
# in round 37; test41 (committed c8682c8, branch red41w, read once at a283b43 on main) was tuned on in
# round 38; test42 (committed 7295046, branch red42w, read once at this registration, after round 38)
# was tuned on in round 39; test43 (committed 525dd2c, branch red42w, read once at 097e61d on main,
# after round 39) was tuned on in round 40; test44 (committed 65e80ee, branch red44w, read once at
# 31a1500 on main, after round 40) was tuned on in round 41; test45 (committed 064f59d, branch
# red44w, read once at 60be4ae on main, after round 41) was tuned on in round 42; test46 (committed
# bc6401d, branch red46w, read once at 415d175 on main, after round 42) was tuned on in round 43;
# test47 (committed bc6401d, branch red46w, read once at 6ff9f43 on main, after round 43) was tuned
# on in round 44; test48 (committed 3707542, branch red47w) and test49 (committed a63fcab, branch
# red47w), read once at 529acc4 on main, after round 44, were tuned on in round 45; test50 (committed
# f0e23c6, branch red50w) and test51 (committed 6a19447, branch red50w), read once at 38b51e2 on main,
# after round 45, were tuned on in round 46; test52 (committed 0702f9d, branch red52w) and test53
# (committed 2a80b6a, branch red52w), read once at 29a7489 on main, after round 46, were tuned on in
# round 47; test54 (committed 24fdf77, branch red54w) and test55 (committed 31ba12b, branch red54w),
# read once at 5ae8143 on main, after round 47, were tuned on in round 48; test56 (committed 6706dfa,
# branch red56w) and test57 (committed df15aa0, branch red56w), read once at 7fdf143 on main, after
# round 48, were tuned on in round 49; test58 (committed c8c67de/af86c88, branch red58w) and test59
# (committed 44f2f0d/a616ae3, branch red58w), read once at c8a3e94 on main, after round 49, were tuned
# on in round 50; test60 (committed 246e26a, branch redw60) and test61 (committed e6ab1cf, branch
# redw60), read once at bf2d0fc on main, after round 50, were tuned on in round 51; test62 (committed
# 48d554a, branch redw62) and test63 (committed 8e6f277, branch redw62), read once at 0c44c8f on
# main, after round 51, were tuned on in round 52; test64 (committed 67393ca, branch redw64) and
# test65 (committed 90f788a, branch redw64), read once at 90f788a on main, after round 52, are tuned
# on in round 53. No fold is held out now.
HELD_OUT: str | None = None
TUNING_FOLDS = tuple(f for f in FOLDS if f != HELD_OUT)
# Where each fold's rows live, and what the fold may be used for; the role is printed beside its
# figures so nobody reads a tuned figure as held out.
FOLD_FILE = {
    "tune": PLANTED,
    "test": PLANTED,
    **{fold: PLANTED_DIR / f"planted_{fold}.jsonl" for fold in LATER_FOLDS},
}
FOLD_ROLE = {
    fold: "held out" if fold == HELD_OUT else "tuning" if fold == "tune" else "tuning (looked at)"
    for fold in FOLDS
}
INJECTIONS = ROOT / "tests" / "data" / "redaction" / "injections.jsonl"


@dataclass
class FoldScore:
    fold: str
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    exact: int = 0
    negatives: int = 0
    false_positives: int = 0
    misses: list[dict[str, str]] = field(default_factory=list)
    by_type_missed: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else 1.0

    @property
    def positives_found(self) -> int:
        return self.found["secret"] + self.found["personal"]

    @property
    def precision(self) -> float:
        tp = self.positives_found
        return tp / (tp + self.false_positives) if tp + self.false_positives else 1.0

    @property
    def kept(self) -> float:
        return 1 - self.false_positives / self.negatives if self.negatives else 1.0

    def summary(self) -> dict[str, Any]:
        positives = self.total["secret"] + self.total["personal"]
        return {
            "fold": self.fold,
            "role": FOLD_ROLE.get(self.fold, ""),
            "rows": positives + self.negatives,
            "secret_recall": round(self.recall("secret"), 4),
            "secret_n": self.total["secret"],
            "personal_recall": round(self.recall("personal"), 4),
            "personal_n": self.total["personal"],
            "precision": round(self.precision, 4),
            "lookalikes_kept": round(self.kept, 4),
            "lookalikes_n": self.negatives,
            "false_positives": self.false_positives,
            "context_exact": round(self.exact / positives, 4) if positives else 1.0,
            "missed_by_type": dict(self.by_type_missed),
        }


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _removed(value: str, out: str, line: str = "") -> bool:
    """The value is gone, and so is every piece of it (each line of a key block); a piece the line
    also holds outside the value (a key's comment that repeats its file name) proves nothing."""
    around = line.replace(value, "\n") if line else ""
    pieces = [
        p
        for p in re.split(r"\s+|\\n", value)
        if len(p) >= 8 and not p.startswith("-----") and p not in around
    ]
    return value not in out and not any(p in out for p in pieces)


def evaluate(
    policy: RedactionPolicy | None = None, *, folds: tuple[str, ...] = FOLDS
) -> dict[str, FoldScore]:
    policy = policy or RedactionPolicy()
    scores = {fold: FoldScore(fold) for fold in folds}
    rows = [row for path in dict.fromkeys(FOLD_FILE[f] for f in folds) for row in load(path)]
    for row in rows:
        score = scores.get(row["fold"])
        if score is None:
            continue
        line, value = row["line"], row["value"]
        out = policy.redact(line).text
        if row["kind"] == "negative":
            score.negatives += 1
            if value not in out:
                score.false_positives += 1
                score.misses.append(
                    {"id": row["id"], "type": row["type"], "what": "false positive", "out": out}
                )
            continue
        score.total[row["kind"]] += 1
        if _removed(value, out, line):
            score.found[row["kind"]] += 1
            if PLACEHOLDER_RE.sub("", out) == line.replace(value, ""):
                score.exact += 1
        else:
            score.by_type_missed[row["type"]] += 1
            score.misses.append({"id": row["id"], "type": row["type"], "what": "missed", "out": out})
    return scores


def held_out_sizes(fold: str) -> dict[str, Any]:
    """The held-out fold's sizes, counted without redacting a row: what a run that does not name
    the fold may show of it (scoring it there read test44 once before its time)."""
    rows = [row for row in load(FOLD_FILE[fold]) if row["fold"] == fold]
    kinds = [row["kind"] for row in rows]
    return {
        "fold": fold,
        "role": FOLD_ROLE[fold],
        "rows": len(rows),
        "secret_n": kinds.count("secret"),
        "personal_n": kinds.count("personal"),
        "lookalikes_n": kinds.count("negative"),
        "scored": False,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fold", choices=[*FOLDS, "tuning", "all"], default="all")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="print missed positives and false positives")
    parser.add_argument("--no-detect-secrets", action="store_true", help="built-in rules only")
    args = parser.parse_args(argv)
    # "all" scores every fold but the held-out one, which is scored only when named (--fold testN).
    folds = {"all": TUNING_FOLDS, "tuning": TUNING_FOLDS}.get(args.fold, (args.fold,))
    unscored = HELD_OUT if args.fold == "all" and HELD_OUT else None
    scores = evaluate(RedactionPolicy(use_detect_secrets=not args.no_detect_secrets), folds=folds)
    if args.json:
        payload: dict[str, Any] = {f: s.summary() for f, s in scores.items()}
        if unscored:
            payload[unscored] = held_out_sizes(unscored)
        if args.misses:
            payload["misses"] = {f: s.misses for f, s in scores.items()}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return 0
    header = f"{'fold':<6} {'rows':>5} {'secret recall':>14} {'personal recall':>16} {'precision':>10} {'look-alikes kept':>17} {'exact context':>14}"  # noqa: E501
    lines = [header]
    for s in scores.values():
        d = s.summary()
        lines.append(
            f"{s.fold:<6} {d['rows']:>5} "
            f"{d['secret_recall']:>8.4f} ({s.found['secret']}/{s.total['secret']}) "
            f"{d['personal_recall']:>8.4f} ({s.found['personal']}/{s.total['personal']}) "
            f"{d['precision']:>9.4f} {d['lookalikes_kept']:>8.4f} ({s.negatives - s.false_positives}/{s.negatives}) "  # noqa: E501
            f"{d['context_exact']:>10.4f}  {d['role']}"
        )
        if d["missed_by_type"]:
            lines.append(f"       missed: {d['missed_by_type']}")
    if unscored:
        sizes = held_out_sizes(unscored)
        lines.append(
            f"{unscored:<6} {sizes['rows']:>5} not scored: held out "
            f"(name it with --fold {unscored} to read it once)"
        )
    if args.misses:
        for s in scores.values():
            for m in s.misses:
                lines.append(f"{s.fold} {m['id']} {m['type']} {m['what']}: {m['out'][:220]!r}")
    sys.stdout.write("\n".join(lines) + "\n")
    _ = asdict  # kept for callers that want dataclass dumps
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
