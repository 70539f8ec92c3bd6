"""Extraction evaluation: compare extracted constraints with hand-written lessons.

For every document listed in ``tests/data/extraction_gold.jsonl`` the corpus file is parsed
with :func:`ingest.parser.parse_document` (and supersession is resolved across the gold
documents), extracted statements and gold lessons are embedded with the packaged MiniLM
model, and a one-to-one greedy assignment pairs them when their cosine similarity is at
least ``--threshold``.

    precision = matched extracted statements / all extracted statements
    recall    = matched gold lessons / all gold lessons

Figures are printed per kind and overall, for the dev split, the held-out split and both,
followed by the documents with the lowest F1 and their unmatched items.

Usage: scripts/extraction-eval [--threshold 0.6] [--split all|dev|held-out] [--worst 5] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOLD = ROOT / "tests" / "data" / "extraction_gold.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus"
# Calibrated by eye on dev pairs: at >= 0.6 MiniLM pairs are paraphrases of the same lesson;
# between 0.5 and 0.6 they mostly share a topic but not the instruction (see the README note).
DEFAULT_THRESHOLD = 0.6
KINDS = ("postmortem", "runbook", "adr")

Embed = Callable[[Sequence[str]], np.ndarray]


# ---------------------------------------------------------------------------------------------
# matching and metrics (pure; unit-tested with hand vectors)


def greedy_match(sim: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (row, col, similarity), best first, each at least ``threshold``."""
    if sim.size == 0:
        return []
    rows, cols = np.nonzero(sim >= threshold)
    order = sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda rc: -float(sim[rc]))
    used_r: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for r, c in order:
        if r in used_r or c in used_c:
            continue
        used_r.add(r)
        used_c.add(c)
        pairs.append((r, c, float(sim[r, c])))
    return pairs


@dataclass(slots=True)
class DocResult:
    path: str
    kind: str
    split: str
    extracted: list[str]
    gold: list[str]
    pairs: list[tuple[int, int, float]] = field(default_factory=list)  # (extracted, gold, sim)
    error: str | None = None

    @property
    def matched(self) -> int:
        return len(self.pairs)

    @property
    def precision(self) -> float:
        return self.matched / len(self.extracted) if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / len(self.gold) if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def unmatched_extracted(self) -> list[str]:
        used = {e for e, _, _ in self.pairs}
        return [s for i, s in enumerate(self.extracted) if i not in used]

    def unmatched_gold(self) -> list[str]:
        used = {g for _, g, _ in self.pairs}
        return [s for i, s in enumerate(self.gold) if i not in used]


def score_document(
    extracted: list[str], gold: list[str], embed: Embed, threshold: float
) -> list[tuple[int, int, float]]:
    if not extracted or not gold:
        return []
    vecs = embed([*extracted, *gold])
    sim = vecs[: len(extracted)] @ vecs[len(extracted) :].T
    return greedy_match(sim, threshold)


def aggregate(results: Sequence[DocResult]) -> dict[str, dict[str, float]]:
    """Micro-averaged precision/recall/F1 per kind and overall."""
    out: dict[str, dict[str, float]] = {}
    groups: dict[str, list[DocResult]] = {k: [r for r in results if r.kind == k] for k in KINDS}
    groups["overall"] = list(results)
    for name, rs in groups.items():
        if not rs:
            continue
        matched = sum(r.matched for r in rs)
        n_ext = sum(len(r.extracted) for r in rs)
        n_gold = sum(len(r.gold) for r in rs)
        p = matched / n_ext if n_ext else 0.0
        r_ = matched / n_gold if n_gold else 0.0
        out[name] = {
            "documents": len(rs),
            "extracted": n_ext,
            "gold": n_gold,
            "matched": matched,
            "precision": round(p, 3),
            "recall": round(r_, 3),
            "f1": round(2 * p * r_ / (p + r_), 3) if p + r_ else 0.0,
        }
    return out


# ---------------------------------------------------------------------------------------------
# running


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def extract_all(gold: list[dict[str, Any]], corpus: Path = CORPUS) -> dict[str, Any]:
    """Parse each gold document; resolve supersession across them. Path -> draft or error text."""
    from ingest.parser import parse_document
    from ingest.supersession import resolve_supersession
    from kb.errors import DocumentError

    out: dict[str, Any] = {}
    drafts = []
    for rec in gold:
        text = (corpus / rec["path"]).read_text(encoding="utf-8")
        try:
            d = parse_document(text, path=rec["path"], sha256=hashlib.sha256(text.encode()).hexdigest())
        except DocumentError as exc:
            out[rec["path"]] = f"DocumentError: {exc.message}"
            continue
        out[rec["path"]] = d
        drafts.append(d)
    resolve_supersession(drafts)
    return out


def evaluate(
    gold: list[dict[str, Any]], embed: Embed, threshold: float, corpus: Path = CORPUS
) -> list[DocResult]:
    drafts = extract_all(gold, corpus)
    results: list[DocResult] = []
    for rec in gold:
        d = drafts[rec["path"]]
        if isinstance(d, str):
            results.append(
                DocResult(rec["path"], rec["kind"], rec.get("split", "dev"), [], rec["lessons"], error=d)
            )
            continue
        extracted = [c.statement for c in d.constraints]
        res = DocResult(rec["path"], rec["kind"], rec.get("split", "dev"), extracted, list(rec["lessons"]))
        res.pairs = score_document(extracted, res.gold, embed, threshold)
        results.append(res)
    return results


def _table(title: str, agg: dict[str, dict[str, float]]) -> str:
    lines = [
        title,
        f"{'kind':<11} {'docs':>4} {'extr':>5} {'gold':>5} {'match':>5} {'prec':>6} {'recall':>6} {'f1':>6}",
    ]
    for name in (*KINDS, "overall"):
        if name not in agg:
            continue
        a = agg[name]
        lines.append(
            f"{name:<11} {a['documents']:>4} {a['extracted']:>5} {a['gold']:>5} {a['matched']:>5} "
            f"{a['precision']:>6.3f} {a['recall']:>6.3f} {a['f1']:>6.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "--threshold", type=float, default=DEFAULT_THRESHOLD, help="cosine threshold (default 0.6)"
    )
    ap.add_argument("--split", choices=("all", "dev", "held-out"), default="all")
    ap.add_argument("--worst", type=int, default=5, help="how many lowest-F1 documents to show")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--show", action="store_true", help="print every pair and unmatched item")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)

    from kb.embedding.torch_model import SentenceTransformerEmbedder

    gold = load_gold(args.gold)
    if args.split != "all":
        gold = [g for g in gold if g.get("split", "dev") == args.split]
    embedder = SentenceTransformerEmbedder()
    results = evaluate(gold, embedder.embed, args.threshold, args.corpus)
    splits = {"all": results}
    if args.split == "all":
        splits = {
            "dev": [r for r in results if r.split == "dev"],
            "held-out": [r for r in results if r.split == "held-out"],
            "all": results,
        }
    aggs = {name: aggregate(rs) for name, rs in splits.items() if rs}
    worst = sorted(results, key=lambda r: (r.f1, r.path))[: args.worst]
    if args.json:
        payload = {
            "threshold": args.threshold,
            "metrics": aggs,
            "documents": [
                {
                    "path": r.path,
                    "kind": r.kind,
                    "split": r.split,
                    "precision": round(r.precision, 3),
                    "recall": round(r.recall, 3),
                    "f1": round(r.f1, 3),
                    "pairs": [
                        {"extracted": r.extracted[e], "gold": r.gold[g], "similarity": round(s, 3)}
                        for e, g, s in r.pairs
                    ],
                    "unmatched_extracted": r.unmatched_extracted(),
                    "unmatched_gold": r.unmatched_gold(),
                    "error": r.error,
                }
                for r in results
            ],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return 0
    out = [f"Extraction evaluation: {len(results)} documents, cosine threshold {args.threshold}"]
    for name, agg in aggs.items():
        out += ["", _table(f"[{name}]", agg)]
    shown = results if args.show else worst
    out += ["", "All documents:" if args.show else f"Worst {len(worst)} documents (lowest F1):"]
    for r in shown:
        out.append(f"\n- {r.path} [{r.kind}, {r.split}] P={r.precision:.2f} R={r.recall:.2f} F1={r.f1:.2f}")
        if r.error:
            out.append(f"    error: {r.error}")
        if args.show:
            for e, g, s in r.pairs:
                out.append(f"    = {s:.2f} {r.extracted[e]}  <->  {r.gold[g]}")
        for s in r.unmatched_gold():
            out.append(f"    missed: {s}")
        for s in r.unmatched_extracted():
            out.append(f"    extra:  {s}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
