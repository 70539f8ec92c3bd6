"""Measure injection flagging on tests/data/redaction/injections.jsonl, per fold and technique.

    python scripts/injection_eval.py [--show] [--json]

``flag rate``: injection strings flagged; ``false flags``: benign lines flagged. ``--show`` prints
what each string became after :func:`kb.safety.injection.neutralize`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.safety.injection import neutralize  # noqa: E402

DATA = ROOT / "tests" / "data" / "redaction" / "injections.jsonl"


def evaluate(folds: tuple[str, ...] = ("tune", "test")) -> dict[str, Any]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: dict[str, Any] = {}
    for fold in folds:
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        details = []
        for row in rows:
            if row["fold"] != fold:
                continue
            result = neutralize(row["text"])
            per[row["technique"]][0] += int(result.flagged)
            per[row["technique"]][1] += 1
            details.append(
                {
                    "id": row["id"],
                    "technique": row["technique"],
                    "flagged": list(result.techniques),
                    "became": result.text,
                }
            )
        inj = [v for k, v in per.items() if k != "benign"]
        flagged = sum(v[0] for v in inj)
        total = sum(v[1] for v in inj)
        benign = per.get("benign", [0, 0])
        out[fold] = {
            "flag_rate": round(flagged / total, 4) if total else 1.0,
            "flagged": flagged,
            "injections": total,
            "false_flags": benign[0],
            "benign": benign[1],
            "by_technique": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per.items())},
            "details": details,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fold", choices=["tune", "test", "all"], default="all")
    parser.add_argument("--show", action="store_true", help="print what each string became")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    folds = ("tune", "test") if args.fold == "all" else (args.fold,)
    result = evaluate(folds)
    if args.json:
        if not args.show:
            for fold in result.values():
                fold.pop("details")
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=True) + "\n")
        return 0
    lines = [f"{'fold':<6} {'flag rate':>10} {'false flags':>12}  by technique (flagged/total)"]
    for fold, r in result.items():
        lines.append(
            f"{fold:<6} {r['flag_rate']:>6.4f} ({r['flagged']}/{r['injections']}) {r['false_flags']:>4}/{r['benign']:<4} "  # noqa: E501
            + ", ".join(f"{k} {v}" for k, v in r["by_technique"].items())
        )
        if args.show:
            for d in r["details"]:
                lines.append(
                    f"  {d['id']} {d['technique']:<14} {','.join(d['flagged']) or '-':<28} {ascii(d['became'])[:160]}"  # noqa: E501
                )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
