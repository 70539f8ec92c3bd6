"""How extraction holds when a document's template is disguised: a generalisation probe.

Each gold document of the tuning folds (``tune`` and ``test3``; Markdown only) is parsed as it is
and with its headings below the title rewritten, without its kind folder in the path:

    bold   "## Lessons learned" -> "**Lessons learned**"  (a status page or a word-processor export)
    plain  "## Lessons learned" -> "Lessons learned:"     (a plain-text template)
    flat   the heading line removed                       (a blog post told without sections)

and recall is scored as in ``extraction_eval.py`` (cosine >= 0.5, one-to-one). A drop from ``as-is``
shows how much extraction leans on Markdown headings and their names.

    PYTHONPATH=$PWD .venv/bin/python scripts/extraction_disguise.py --cache /tmp/exvec.pkl --kind postmortem
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import extraction_eval as ev  # noqa: E402  (a sibling script)

_HEADING = re.compile(r"^#{2,6}\s+(.+?)[ \t]*$", re.M)
_FRONT_MATTER = re.compile(r"^(---|\+\+\+)\n.*?\n\1\n", re.S)

DISGUISES: dict[str, Callable[[str], str]] = {
    "as-is": lambda body: body,
    "bold": lambda body: _HEADING.sub(lambda m: f"**{m.group(1)}**", body),
    "plain": lambda body: _HEADING.sub(lambda m: f"{m.group(1)}:", body),
    "flat": lambda body: _HEADING.sub("", body),
}


def disguise(text: str, how: str) -> str:
    """``text`` with the headings of its body (not its front matter) rewritten ``how``."""
    m = _FRONT_MATTER.match(text)
    head, body = (text[: m.end()], text[m.end() :]) if m else ("", text)
    return head + DISGUISES[how](body)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=ev.KINDS, default="postmortem")
    ap.add_argument("--cache", type=Path)
    args = ap.parse_args(argv)
    from ingest.parser import parse_document
    from kb.embedding.torch_model import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embed: ev.Embed = ev._cached(embedder.embed, args.cache) if args.cache else embedder.embed
    docs = [
        (rec, corpus)
        for fold in ("tune", "test3")
        for rec, corpus in ev.load_gold_sets(fold)
        if rec["kind"] == args.kind and rec["path"].lower().endswith(ev.MARKDOWN_SUFFIXES)
    ]
    print(f"{args.kind}: {len(docs)} documents of tune and test3, kind folder left out")
    for how in DISGUISES:
        gold_n = matched = records = empty = wrong_kind = 0
        for rec, corpus in docs:
            text = disguise((corpus / rec["path"]).read_text(encoding="utf-8"), how)
            path = ev._as_found(rec["path"], unsorted=True)
            draft = parse_document(text, path=path, sha256=hashlib.sha256(text.encode()).hexdigest())
            extracted = [c.statement for c in draft.constraints]
            gold, _, _ = ev._lessons(rec)
            pairs, _ = ev._score(extracted, gold, embed, ev.DEFAULT_THRESHOLD)
            gold_n += len(gold)
            matched += len(pairs)
            records += len(extracted)
            empty += not extracted
            wrong_kind += draft.kind != rec["kind"]
        print(
            f"{how:<6} recall {matched / gold_n:.3f} ({matched}/{gold_n}), {records} records, "
            f"{empty} without a record, kind wrong {wrong_kind}"
        )
    save = getattr(embed, "save", None)
    if save is not None:
        save()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
