"""Extraction evaluation of the non-Markdown formats: precision and recall per format.

Gold lessons: ``tests/data/extraction/formats_gold.jsonl`` (this project's fixtures under
``tests/data/formats/`` and corpus2 documents not in the corpus2 gold set), plus the corpus2
gold records of ``other-formats/`` files. Every document is read as ``kb ingest`` reads it
(:func:`ingest.loader.parse_file`: detection, conversion, parsing) and scored with the matching of
``scripts/extraction_eval.py`` (MiniLM embeddings, one-to-one greedy pairs at cosine >= 0.5).

Usage: scripts/formats-eval [--threshold 0.5] [--show] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
GOLD = ROOT / "tests" / "data" / "extraction" / "formats_gold.jsonl"
FIXTURES = ROOT / "tests" / "data" / "formats"
SUFFIX_FORMATS = {".html": "html", ".rst": "rst", ".adoc": "asciidoc"}


def _extraction_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_eval", ROOT / "scripts" / "extraction_eval.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extraction_eval", mod)
    spec.loader.exec_module(mod)
    return mod


ev = _extraction_eval()


def load_gold() -> list[dict[str, Any]]:
    """Records with ``path`` (stored path), ``file`` and ``root`` (a folder), ``format``, ``lessons``."""
    out = []
    for rec in ev.load_gold(GOLD):
        root = FIXTURES if rec["root"] == "fixtures" else ev.CORPUS2
        out.append({**rec, "root": str(root)})
    for rec in ev.load_gold(ev.GOLD2):
        suffix = Path(rec["path"]).suffix
        # fold test10 is a blind extraction fold: read only by extraction_eval when named
        held_out = rec["fold"] == "test10"
        if rec["path"].startswith("other-formats/") and suffix in SUFFIX_FORMATS and not held_out:
            out.append(
                {**rec, "file": rec["path"], "root": str(ev.CORPUS2), "format": SUFFIX_FORMATS[suffix]}
            )
    return out


def evaluate(gold: list[dict[str, Any]], embed: Any, threshold: float) -> list[Any]:
    from ingest.loader import parse_file

    parsed: dict[tuple[str, str], dict[str, Any]] = {}
    results = []
    for rec in gold:
        key = (rec["root"], rec["file"])
        if key not in parsed:
            parsed[key] = dict(parse_file(rec["file"], (Path(rec["root"]) / rec["file"]).read_bytes()))
        texts, types, states = ev._lessons(rec)
        got = parsed[key].get(rec["path"], "no such document in the file")
        if isinstance(got, str):
            results.append(
                ev.DocResult(
                    rec["path"],
                    rec["format"],
                    "formats",
                    [],
                    texts,
                    error=got,
                    gold_types=types,
                    gold_states=states,
                )
            )
            continue
        res = ev.DocResult(
            rec["path"],
            rec["format"],
            "formats",
            [c.statement for c in got.constraints],
            texts,
            extracted_types=[c.record_type for c in got.constraints],
            extracted_states=[c.state for c in got.constraints],
            gold_types=types,
            gold_states=states,
        )
        res.pairs, res.near_any = ev._score(res.extracted, res.gold, embed, threshold)
        results.append(res)
    return results


def per_format(results: Sequence[Any]) -> dict[str, dict[str, float]]:
    """Micro-averaged figures per format (the DocResult's ``kind`` holds the format) and overall."""
    groups: dict[str, list[Any]] = {}
    for r in results:
        groups.setdefault(r.kind, []).append(r)
    out = {name: ev.aggregate(rs)["overall"] for name, rs in sorted(groups.items())}
    out["overall"] = ev.aggregate(list(results))["overall"]
    return out


def table(figures: dict[str, dict[str, float]]) -> str:
    lines = [
        f"{'format':<13} {'docs':>4} {'gold':>5} {'extr':>5} {'match':>5} {'prec':>6} {'recall':>6} {'f1':>6}"
    ]
    for name, a in figures.items():
        lines.append(
            f"{name:<13} {a['documents']:>4} {a['gold']:>5} {a['extracted']:>5} {a['matched']:>5} "
            f"{a['precision']:>6.3f} {a['recall']:>6.3f} {a['f1']:>6.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--threshold", type=float, default=ev.DEFAULT_THRESHOLD)
    ap.add_argument("--show", action="store_true", help="print every pair and unmatched item")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from kb.embedding.torch_model import SentenceTransformerEmbedder

    results = evaluate(load_gold(), SentenceTransformerEmbedder().embed, args.threshold)
    figures = per_format(results)
    if args.json:
        sys.stdout.write(json.dumps({"threshold": args.threshold, "formats": figures}, indent=2) + "\n")
        return 0
    print(
        f"Extraction of non-Markdown formats: {len(results)} documents, cosine threshold {args.threshold}\n"
    )
    print(table(figures))
    if args.show:
        for r in results:
            print(
                f"\n- {r.path} [{r.kind}] P={r.precision:.2f} R={r.recall:.2f}"
                + (f" error: {r.error}" if r.error else "")
            )
            for e, g, s in r.pairs:
                print(f"    = {s:.2f} {r.extracted[e]}  <->  {r.gold[g]}")
            for s in r.unmatched_gold():
                print(f"    missed: {s}")
            for s in r.unmatched_extracted():
                print(f"    extra:  {s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
