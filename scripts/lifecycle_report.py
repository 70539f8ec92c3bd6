"""Lifecycle figures on the shared corpora: merged lessons, recurrence, staleness, near duplicates.

    .venv/bin/python scripts/lifecycle_report.py                 # both shared corpora, real model
    .venv/bin/python scripts/lifecycle_report.py --json out.json

Ingests ``../shared/corpus`` and ``../shared/corpus2`` (one source each) into a fresh knowledge base
under a temporary folder and prints: how many lessons were merged as exact restatements, the five
largest recurrence counts with their sources, how many lessons are stale by their own front matter
(and by the default policy), how many near-duplicate pairs the ingest put to review, and the
distribution of nearest-neighbour similarity across documents that the review threshold is read from.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CORPORA = [REPO.parent / "shared" / "corpus", REPO.parent / "shared" / "corpus2"]


def build(home: Path, corpora: list[Path]) -> Any:
    from ingest.loader import ingest_path
    from kb.service import KnowledgeBase
    from kb.settings import Settings

    kb = KnowledgeBase(Settings(home=home))
    for corpus in corpora:
        started = time.perf_counter()
        report = ingest_path(kb, corpus)
        print(
            f"ingested {corpus.name}: {report.summary()} in {time.perf_counter() - started:.0f} s, "
            f"{report.review_items} near-duplicate pairs put to review",
            file=sys.stderr,
        )
    return kb


def similarity_histogram(kb: Any) -> dict[str, int]:
    """Each shown lesson's most similar lesson in another document, bucketed by cosine."""
    index = kb.index()
    rows = kb.catalog().rows
    ids = list(rows)
    vectors = np.asarray(index.reconstruct_many(ids))
    buckets: Counter[str] = Counter()
    for cid, vector in zip(ids, vectors, strict=True):
        best = 0.0
        for other, similarity in index.search(vector, 8):
            if other != cid and other in rows and rows[other][0].document_id != rows[cid][0].document_id:
                best = max(best, similarity)
        edge = min(int(best * 20) / 20, 0.95)
        buckets[f"{edge:.2f}"] += 1
    return dict(sorted(buckets.items()))


def report(kb: Any) -> dict[str, Any]:
    from kb.lifecycle.staleness import review_state

    everything = kb.store.all_constraints()
    merged = sum(c.recurrence - 1 for c, _ in everything)
    top = sorted(everything, key=lambda lesson: -lesson[0].recurrence)[:5]
    stale_front, stale_policy = 0, 0
    for constraint, document in everything:
        if constraint.status != "active":
            continue
        state = review_state(constraint, document, policy=kb.settings.review_policy)
        if state.stale:
            if state.basis == "front matter":
                stale_front += 1
            else:
                stale_policy += 1
    queue = Counter(item.reason for item in kb.review_queue())
    return {
        "lessons_shown": len(everything),
        "merged_restatements": merged,
        "top_recurrence": [
            {
                "id": c.id,
                "recurrence": c.recurrence,
                "statement": c.statement,
                "sources": [f"{d.source}/{d.path}" for _c, d in kb.sources(c.id)],
            }
            for c, _d in top
            if c.recurrence > 1
        ],
        "stale_by_front_matter": stale_front,
        "stale_by_policy": stale_policy,
        "review_queue": dict(queue),
        "nearest_other_document_similarity": similarity_histogram(kb),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, help="Write the figures here too.")
    parser.add_argument("--home", type=Path, help="Knowledge base folder (default: a new temporary one).")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    home = args.home or Path(tempfile.mkdtemp(prefix="hindsight-lifecycle-"))
    kb = build(home, CORPORA)
    figures = report(kb)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    kb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
