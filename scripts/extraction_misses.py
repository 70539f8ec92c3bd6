"""Why gold lessons are missed: for each unmatched lesson of a fold, the nearest record and the
nearest source sentence (its section, the section's role, whether the section gave any record).

    PYTHONPATH=$PWD .venv/bin/python scripts/extraction_misses.py --cache /tmp/exvec.pkl --fold tune

A diagnostic for tuning (read the tuning folds only: tune, test3 since the ninth round, test4 since
the fourteenth, test5 and test6 since the fifteenth); the causes are judged by reading its output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import extraction_eval as ev  # noqa: E402  (a sibling script)


def source_sentences(draft: object, kind: str, title: str) -> list[tuple[str, str, str | None, str, int]]:
    """(sentence, section path, role, block type, line) of every prose block of the document."""
    from ingest.extract import block_role, split_sentences
    from ingest.sections import build_outline

    body = draft.body  # type: ignore[attr-defined]
    outline = build_outline(body, offset=0, original_lines=body.split("\n"), title_hint=title)
    out = []
    for b in outline.blocks:
        if b.type in ("code", "html", "heading") or not b.text.text.strip():
            continue
        role, section = block_role(b, kind, title)
        t = b.text.text
        for s in [t[i:j] for i, j in split_sentences(t)] if b.type == "paragraph" else [t]:
            if len(s.split()) >= 3:
                out.append((s.strip(), section, role, b.type, b.line_start))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--fold",
        default="tune",
        choices=tuple(f for f in ev.FOLDS if f != "test2"),
    )
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--extra", action="store_true", help="list unmatched records with their rules instead")
    args = ap.parse_args(argv)
    from kb.embedding.torch_model import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embed: ev.Embed = ev._cached(embedder.embed, args.cache) if args.cache else embedder.embed
    sets = [(g, c) for g, c in ev.load_gold_sets(args.fold)]
    for corpus in dict.fromkeys(c for _, c in sets):
        gold = [g for g, c in sets if c == corpus]
        drafts = ev.extract_all(gold, corpus)
        results = ev.evaluate(gold, embed, ev.DEFAULT_THRESHOLD, corpus)
        for rec, res in zip(gold, results, strict=True):
            d = drafts[rec["path"]]
            if isinstance(d, str):
                continue
            used_e = {e for e, _, _ in res.pairs}
            if args.extra:
                for i, c in enumerate(d.constraints):
                    if i not in used_e:
                        print(f"EXTRA [{rec['kind']}] {c.statement}\n   section: {c.section} | {c.rules}")
                continue
            missed = res.unmatched_gold()
            if not missed:
                continue
            sents = source_sentences(d, d.kind, d.title)
            rec_sections = {c.section for c in d.constraints}
            print(f"\n## {rec['path']} [{rec['kind']}] records={len(d.constraints)}")
            for g in missed:
                gv = embed([g])[0]
                if d.constraints:
                    rv = embed([c.statement for c in d.constraints]) @ gv
                    bi = int(rv.argmax())
                    used = " (taken)" if bi in used_e else ""
                    print(f"- MISSED: {g}\n  best record {rv[bi]:.2f}{used}: {d.constraints[bi].statement}")
                    print(f"     rules: {d.constraints[bi].rules}")
                else:
                    print(f"- MISSED: {g}\n  no records")
                if sents:
                    sv = embed([s for s, *_ in sents]) @ gv
                    for si in sv.argsort()[::-1][:2]:
                        s, section, role, btype, line = sents[si]
                        has = "has records" if section in rec_sections else "NO record from section"
                        print(f"  src {sv[si]:.2f} L{line} [{btype}, role={role}, {has}] {section}")
                        print(f"      {s[:300]}")
    save = getattr(embed, "save", None)
    if save is not None:
        save()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
