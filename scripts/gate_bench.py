"""Gate benchmark: ``kb check`` on the labelled changes of tests/data/gate/cases.jsonl.

    .venv/bin/python scripts/gate_bench.py                 # the table, per fold and mode
    .venv/bin/python scripts/gate_bench.py --details       # plus one line per case
    .venv/bin/python scripts/gate_bench.py --json out.json

seed_incidents/ is ingested with the real model into a temporary knowledge base (cached under the
temp directory, keyed by the seed files and the ingest code), then the gate runs on every case
twice: the diff alone, and the diff with the case's subject as the task (what the hooks and the
workflow pass). Per fold and mode:

- ``block recall``: must-block cases blocked AND by a lesson of one of the case's documents;
- ``false blocks``: advise and silent cases that were blocked (by anything);
- ``advise ok``: advise cases not blocked, with a finding from one of their documents;
- ``silent ok``: silent cases with no finding at all.

Each figure comes with the number of cases behind it. Tune on the ``tune`` fold only. The blind
held-out batches ``test2`` to ``test14`` run only when asked for (``--fold test14`` etc.), so that a
tuning run never shows their outcomes; measure each once, at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDS = ("tune", "test")
# blind batches: run only when named with --fold
HELD_OUT_FOLDS = (
    "test2",
    "test3",
    "test4",
    "test5",
    "test6",
    "test7",
    "test8",
    "test9",
    "test10",
    "test11",
    "test12",
    "test13",
    "test14",
    "test15",
    "test16",
    "test17",
    "test18",
    "test19",
    "test20",
    "test21",
    "test22",
    "test23",
    "test24",
    "test25",
    "test26",
    "test27",
    "test28",
    "test29",
    "test30",
    "test31",
    "test32",
    "test33",
    "test34",
    "test35",
    "test36",
    "test37",
    "test38",
    "test39",
)
sys.path.insert(0, str(REPO))

DEFAULT_CASES = REPO / "tests" / "data" / "gate" / "cases.jsonl"
DEFAULT_SEED = REPO / "seed_incidents"
MODES = ("diff", "diff+subject")

log = logging.getLogger("gate_bench")


@dataclass(slots=True)
class Case:
    id: str
    fold: str
    label: str
    subject: str
    diff: str
    documents: list[str]


@dataclass(slots=True)
class Outcome:
    case: Case
    mode: str
    exit_code: int
    blocking_documents: list[str] = field(default_factory=list)
    finding_documents: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def blocked(self) -> bool:
        return self.exit_code == 1

    @property
    def blocked_right(self) -> bool:
        return self.blocked and bool(set(self.blocking_documents) & set(self.case.documents))

    @property
    def agrees(self) -> bool:
        if self.case.label == "block":
            return self.blocked_right
        if self.case.label == "advise":
            return not self.blocked and bool(set(self.finding_documents) & set(self.case.documents))
        return not self.blocked and not self.finding_documents

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "fold": self.case.fold,
            "label": self.case.label,
            "mode": self.mode,
            "exit_code": self.exit_code,
            "blocking_documents": self.blocking_documents,
            "finding_documents": self.finding_documents,
            "agrees": self.agrees,
            "seconds": round(self.seconds, 3),
        }


def load_cases(path: Path) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            cases.append(
                Case(
                    id=raw["id"],
                    fold=raw["fold"],
                    label=raw["label"],
                    subject=raw["subject"],
                    diff=raw["diff"],
                    documents=list(raw["documents"]),
                )
            )
    return cases


def _fingerprint(seed: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted([*seed.rglob("*.md"), *seed.rglob(".forewarnignore")]):
        digest.update(str(path.relative_to(seed)).encode())
        digest.update(path.read_bytes())
    # Everything ingest reads: its own package (extraction rules included) and the core's vocabulary.
    ingest_code = [p for p in (REPO / "ingest").rglob("*") if p.suffix in (".py", ".toml")]
    core = ("records.py", "technologies.py", "text.py", "vocab.py")
    for code in sorted([*ingest_code, *(REPO / "kb" / name for name in core)]):
        digest.update(code.read_bytes())
    return digest.hexdigest()[:16]


def open_seed_kb(seed: Path, cache: Path) -> Any:
    from ingest.loader import ingest_path
    from kb.service import KnowledgeBase
    from kb.settings import Settings

    home = cache / f"gate-kb-{_fingerprint(seed)}"
    marker = home / "ingested.ok"
    kb = KnowledgeBase(Settings(home=home))
    if not marker.exists():
        started = time.perf_counter()
        report = ingest_path(kb, seed)
        log.warning("ingested %s in %.0f s: %s", seed, time.perf_counter() - started, report.summary())
        marker.write_text(json.dumps(report.summary()))
    kb.index()
    return kb


def run_case(kb: Any, case: Case, mode: str) -> Outcome:
    from kb.outputs.gate import check_diff

    task = case.subject if mode == "diff+subject" else None
    started = time.perf_counter()
    result = check_diff(kb, case.diff, task=task)
    seconds = time.perf_counter() - started
    return Outcome(
        case=case,
        mode=mode,
        exit_code=result.exit_code,
        blocking_documents=sorted({f.hit.document.path for f in result.blocking}),
        finding_documents=sorted({f.hit.document.path for f in result.findings}),
        seconds=seconds,
    )


def _ratio(hits: int, total: int) -> str:
    return f"{hits / total:.2f} ({hits}/{total})" if total else "n/a (0)"


def summarise(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    rows = []
    present = {o.case.fold for o in outcomes}
    for fold in DEFAULT_FOLDS + tuple(f for f in HELD_OUT_FOLDS if f in present):
        for mode in MODES:
            group = [o for o in outcomes if o.case.fold == fold and o.mode == mode]
            block = [o for o in group if o.case.label == "block"]
            other = [o for o in group if o.case.label != "block"]
            advise = [o for o in group if o.case.label == "advise"]
            silent = [o for o in group if o.case.label == "silent"]
            rows.append(
                {
                    "fold": fold,
                    "mode": mode,
                    "block_recall": [sum(o.blocked_right for o in block), len(block)],
                    "blocked_any": [sum(o.blocked for o in block), len(block)],
                    "false_blocks": [sum(o.blocked for o in other), len(other)],
                    "advise_ok": [sum(o.agrees for o in advise), len(advise)],
                    "silent_ok": [sum(o.agrees for o in silent), len(silent)],
                }
            )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    header = [
        "fold",
        "mode",
        "block recall (right doc)",
        "blocked (any doc)",
        "false blocks",
        "advise ok",
        "silent ok",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        cells = [r["fold"], r["mode"]] + [
            _ratio(*r[k]) for k in ("block_recall", "blocked_any", "false_blocks", "advise_ok", "silent_ok")
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def details(outcomes: list[Outcome]) -> str:
    lines = []
    for o in sorted(outcomes, key=lambda o: (o.case.fold, o.case.id, o.mode)):
        mark = "ok " if o.agrees else "XX "
        blocked = ",".join(Path(d).name[:28] for d in o.blocking_documents) or "-"
        found = ",".join(Path(d).name[:20] for d in o.finding_documents if d not in o.blocking_documents)
        lines.append(
            f"{mark}{o.case.id} {o.case.fold:<4} {o.case.label:<6} {o.mode:<12} exit {o.exit_code} "
            f"block[{blocked}] advice[{found or '-'}]"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "hindsight-gate-bench")
    parser.add_argument(
        "--fold",
        choices=DEFAULT_FOLDS + HELD_OUT_FOLDS,
        help="Only this fold (held-out folds run only when named).",
    )
    parser.add_argument("--details", action="store_true", help="One line per case and mode.")
    parser.add_argument("--json", type=Path, help="Write every outcome and the summary as JSON.")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")

    wanted = (args.fold,) if args.fold else DEFAULT_FOLDS
    cases = [c for c in load_cases(args.cases) if c.fold in wanted]
    args.cache.mkdir(parents=True, exist_ok=True)
    kb = open_seed_kb(args.seed, args.cache)
    started = time.perf_counter()
    outcomes = [run_case(kb, case, mode) for case in cases for mode in MODES]
    elapsed = time.perf_counter() - started
    rows = summarise(outcomes)
    if args.details:
        sys.stdout.write(details(outcomes) + "\n\n")
    sys.stdout.write(table(rows) + "\n")
    sys.stdout.write(f"\n{len(outcomes)} checks in {elapsed:.1f} s\n")
    if args.json:
        args.json.write_text(
            json.dumps({"summary": rows, "outcomes": [o.to_dict() for o in outcomes]}, indent=2) + "\n"
        )
    kb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
