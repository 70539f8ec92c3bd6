"""Dump the full JSON output of every dev-set query (and the seed demo queries) to one file.

    .venv/bin/python scripts/query_snapshot.py OUT.json [--corpus ../shared/corpus] [--home DIR]

A refactor that must keep behaviour is checked by running this before and after it and comparing
the two files byte for byte (``cmp before.json after.json``). The knowledge bases are ingested
afresh into ``--home`` (default: a new temporary folder) so that both runs start from the same files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEED_TASKS = (
    "add automatic retries to the payment capture call",
    "add a NOT NULL column with a default to the orders table",
    "tighten the liveness probe timeout of payments-api",
    "log the request headers and body for debugging",
)


def snapshot(corpus: Path, home: Path, dataset: Path) -> dict[str, object]:
    from ingest.loader import ingest_path
    from kb.evaluation import load_queries
    from kb.service import KnowledgeBase
    from kb.settings import Settings

    out: dict[str, object] = {}
    for name, root in (("corpus", corpus), ("seed", REPO / "seed_incidents")):
        kb = KnowledgeBase(Settings(home=home / name))
        ingest_path(kb, root)
        answers: dict[str, object] = {}
        if name == "corpus":
            for query in load_queries(dataset):
                args = {"diff": query.query} if query.kind == "diff" else {"task": query.query}
                answers[query.id] = kb.query(k=10, **args).to_dict()  # type: ignore[arg-type]
        else:
            for task in SEED_TASKS:
                answers[task] = kb.query(task=task, k=10).to_dict()
        out[name] = answers
        kb.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--dataset", type=Path, default=REPO / "tests" / "data" / "relevance_dev.jsonl")
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="kb-snapshot-"))
    data = snapshot(args.corpus, home, args.dataset)
    args.out.write_text(json.dumps(data, indent=1, sort_keys=True, default=str) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
