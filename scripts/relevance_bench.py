"""Relevance benchmark: hybrid retrieval against two baselines on the dev set.

    .venv/bin/python scripts/relevance_bench.py                # table of the three systems
    .venv/bin/python scripts/relevance_bench.py --details      # plus per-query ranks of the hybrid
    .venv/bin/python scripts/relevance_bench.py --per-query    # first relevant rank, baselines beside it
    .venv/bin/python scripts/relevance_bench.py --json out.json
    .venv/bin/python scripts/relevance_bench.py --grid         # weight grid over the whole dev set
    .venv/bin/python scripts/relevance_bench.py --corpus ../shared --written --dataset SET.jsonl

Systems, all over the same corpus (../shared/corpus) and the same MiniLM model:
- ``bm25-doc``: Okapi BM25 over whole documents (raw file text, the query's words).
- ``dense-chunk``: cosine similarity of the query to fixed-size word windows of every document,
  FAISS flat inner product, a document ranked by its best chunk.
- ``hybrid``: ``KnowledgeBase.query`` (lessons, lexical + dense + scope evidence, and the passages
  of documents without a candidate lesson, merged by score).

The corpus is ingested once into a knowledge base under the temp directory, keyed by a hash of the
corpus files and of the ingest and record code (a parser change re-ingests); chunk vectors are cached
the same way. Nothing here hard-codes constraint ids.

``--written`` adds a third pool beside the corpus: the documents under
``tests/data/extraction/written`` (its postmortems/, runbooks/ and adrs/ folders; the README-test*.md
notes at its top level are not documents), keyed ``written/<folder>/<file>`` as a set labels them
(``--corpus ../shared --written``: ``corpus/...``, ``corpus2/...`` and ``written/...``). All three
systems index the corpus and the pool together; the knowledge base is ingested under its own cache
key (``kbw-*``, the pool's files in the hash), and the default run is unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb.evaluation import (  # noqa: E402
    METRICS,
    EvalQuery,
    EvalReport,
    RankedDocument,
    evaluate,
    knowledge_base_ranker,
    load_queries,
)

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_DATASET = REPO / "tests" / "data" / "relevance_dev.jsonl"
WRITTEN = REPO / "tests" / "data" / "extraction" / "written"
WRITTEN_SOURCE = "written"  # the pool's ingest source: a lesson's document is "written/<path>"
CHUNK_WORDS = 150  # about 200 word pieces: inside MiniLM's 256-token window
CHUNK_STRIDE = 100  # a third of overlap, so a passage cut in two is whole in one chunk
DEPTH = 40  # lessons asked of the hybrid per query, enough for ten distinct documents

log = logging.getLogger("relevance_bench")


# --- the benchmark knowledge base, cached ---------------------------------------------------------


def _corpus_files(corpus: Path) -> list[Path]:
    from ingest.loader import discover

    return sorted(discover(corpus))


def corpus_fingerprint(corpus: Path, files: list[Path]) -> str:
    """The corpus files' names and contents: the key of the chunk vectors."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(corpus)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def written_files(root: Path = WRITTEN) -> list[Path]:
    """The written pool's documents: every document in a folder of ``root`` (postmortems/,
    runbooks/, adrs/); the files at its top level are notes about the sets (README-test*.md)."""
    return [p for p in _corpus_files(root) if len(p.relative_to(root).parts) > 1]


def pool_fingerprint(corpus_key: str, root: Path, files: list[Path]) -> str:
    """The corpus key joined with the written pool's names and contents."""
    pool = corpus_fingerprint(root, files)
    return hashlib.sha256(f"{corpus_key}+{WRITTEN_SOURCE}:{pool}".encode()).hexdigest()[:16]


def stage_written(root: Path, files: list[Path], cache: Path, key: str) -> Path:
    """A copy of the pool's documents (the top-level notes left out) to ingest as one source."""
    stage = cache / f"{WRITTEN_SOURCE}-{key}"
    for path in files:
        target = stage / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return stage


def kb_fingerprint(corpus_key: str) -> str:
    """The corpus plus the code that turns it into lessons: the key of the benchmark knowledge base."""
    digest = hashlib.sha256(corpus_key.encode())
    # Everything ingest reads: its own package (extraction rules included) and the core's vocabulary.
    ingest_code = [p for p in (REPO / "ingest").rglob("*") if p.suffix in (".py", ".toml")]
    core = ("outputs/contract.py", "records.py", "technologies.py", "text.py", "vocab.py")
    for code in sorted([*ingest_code, *(REPO / "kb" / name for name in core)]):
        digest.update(code.read_bytes())
    return digest.hexdigest()[:16]


def open_bench_kb(corpus: Path, cache: Path, key: str, *, written: Path | None = None) -> Any:
    """The cached knowledge base of ``corpus`` (and of the staged written pool, under ``kbw-``)."""
    from ingest.loader import ingest_path
    from kb.service import KnowledgeBase
    from kb.settings import Settings

    home = cache / f"{'kbw' if written else 'kb'}-{key}"
    marker = home / "ingested.ok"
    kb = KnowledgeBase(Settings(home=home))
    if not marker.exists():
        started = time.perf_counter()
        log.warning("ingesting %s into %s (once per corpus and parser version)", corpus, home)
        reports = [ingest_path(kb, corpus)]
        if written:
            reports.append(ingest_path(kb, written, source=WRITTEN_SOURCE))
        for report in reports:
            log.warning(
                "ingested: %s, %d lessons in %.0f s",
                report.summary(),
                report.constraints_written,
                time.perf_counter() - started,
            )
        marker.write_text(json.dumps([r.summary() for r in reports] if written else reports[0].summary()))
    kb.index()
    return kb


# --- baselines -------------------------------------------------------------------------------------


def _document_texts(corpus: Path, files: list[Path], prefix: str = "") -> dict[str, str]:
    return {
        prefix + p.relative_to(corpus).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in files
    }


def bm25_document_ranker(texts: dict[str, str]) -> Any:
    from kb.index.lexical import BM25
    from kb.text import tokens

    paths = list(texts)
    index = BM25(list(range(len(paths))), (texts[p] for p in paths))

    def rank(query: EvalQuery) -> list[RankedDocument]:
        terms = {t: float(n) for t, n in Counter(tokens(query.query)).items()}
        return [RankedDocument(paths[i], s) for i, s, _ in index.search(terms, 30)]

    return rank


def _chunks(text: str) -> list[str]:
    words = text.split()
    if not words:
        return []
    starts = range(0, max(len(words) - CHUNK_WORDS, 0) + 1, CHUNK_STRIDE)
    out = [" ".join(words[s : s + CHUNK_WORDS]) for s in starts]
    if len(words) > CHUNK_WORDS and (len(words) - CHUNK_WORDS) % CHUNK_STRIDE:
        out.append(" ".join(words[-CHUNK_WORDS:]))
    return out


def dense_chunk_ranker(texts: dict[str, str], embedder: Any, cache: Path, key: str) -> Any:
    import faiss

    owners: list[str] = []
    chunks: list[str] = []
    for path, text in texts.items():
        for chunk in _chunks(text):
            owners.append(path)
            chunks.append(chunk)
    store = cache / f"chunks-{key}-{CHUNK_WORDS}-{CHUNK_STRIDE}.npy"
    if store.exists():
        vectors = np.load(store)
    else:
        started = time.perf_counter()
        log.warning("embedding %d chunks for the dense baseline (cached afterwards)", len(chunks))
        vectors = embedder.embed(chunks)
        np.save(store, vectors)
        log.warning("embedded in %.0f s", time.perf_counter() - started)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def rank(query: EvalQuery) -> list[RankedDocument]:
        vector = embedder.embed([query.query])
        scores, rows = index.search(vector, 200)
        return [
            RankedDocument(owners[r], float(s)) for s, r in zip(scores[0], rows[0], strict=True) if r >= 0
        ]

    return rank


# --- reporting ---------------------------------------------------------------------------------------


def table(reports: list[EvalReport]) -> str:
    header = ["system", "kind", "n", *METRICS, "neg strong"]
    rows = [header, ["---"] * len(header)]
    for kind in ("task", "diff", "all"):
        for report in reports:
            s = report.summary().get(kind)
            if not s:
                continue
            rows.append(
                [
                    report.name,
                    kind,
                    f"{int(s['queries'])}+{int(s['negatives'])}",
                    *(f"{s[m]:.3f}" for m in METRICS),
                    f"{int(s['negatives_with_strong'])}/{int(s['negatives'])}",
                ]
            )
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def query_folds(path: Path) -> dict[str, str]:
    """Each query's fold, as the dataset names it ("dev" where it names none)."""
    folds = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            folds[str(row["id"])] = str(row.get("fold") or "dev")
    return folds


def confidence_levels(report: EvalReport, depth: int = 5) -> str:
    """How often each confidence level is right: among the first ``depth`` documents of the answerable
    queries, and for the first document alone; and how many unanswerable queries got a strong one."""
    counts: Counter[tuple[str, bool]] = Counter()
    first: Counter[bool] = Counter()
    negatives_strong = negatives = 0
    for outcome in report.outcomes:
        ranked = outcome.ranked
        if outcome.query.is_negative:
            negatives += 1
            negatives_strong += any(d.confidence == "strong" for d in ranked)
            continue
        relevant = set(outcome.query.relevant)
        for doc in ranked[:depth]:
            counts[(doc.confidence, doc.path in relevant)] += 1
        if ranked and ranked[0].confidence == "strong":
            first[ranked[0].path in relevant] += 1
    parts = []
    for level in ("strong", "possible", "weak"):
        right, total = counts[(level, True)], counts[(level, True)] + counts[(level, False)]
        parts.append(f"{level} {right}/{total} = {right / total:.2f}" if total else f"{level} 0/0")
    strong_first = f"{first[True]}/{sum(first.values())}"
    return (
        f"relevant among the first {depth} by confidence: "
        + ", ".join(parts)
        + f"; a strong first result relevant: {strong_first}"
        + f"; unanswerable queries with a strong result: {negatives_strong}/{negatives}"
    )


def by_fold(reports: list[EvalReport], folds: dict[str, str]) -> str:
    """The table and the confidence levels of every fold, side by side with the baselines."""
    blocks = []
    for fold in sorted(set(folds.values())):
        subset = [
            EvalReport(name=r.name, outcomes=[o for o in r.outcomes if folds.get(o.query.id) == fold])
            for r in reports
        ]
        blocks.append(f"fold {fold}:\n{table(subset)}\n{confidence_levels(subset[-1])}")
    return "\n\n".join(blocks)


def details(report: EvalReport) -> str:
    lines = []
    for outcome in report.outcomes:
        q = outcome.query
        relevant = set(q.relevant)
        marks = " ".join(
            f"{'*' if d.path in relevant else '.'}{d.confidence[:1]}" for d in outcome.ranked[:10]
        )
        r5 = outcome.metrics.get("recall@5")
        lines.append(f"{q.id:>4} {q.kind:<4} r@5={'-' if r5 is None else f'{r5:.2f}'} {marks}")
        missed = [p for p in q.relevant if p not in {d.path for d in outcome.ranked[:5]}]
        for path in missed:
            lines.append(f"        missed in top 5: {path}")
    return "\n".join(lines)


def first_relevant(outcome: Any) -> int | None:
    """The rank (1..10) of a query's first relevant document; None where none is in its first ten."""
    relevant = set(outcome.query.relevant)
    return next((rank for rank, d in enumerate(outcome.ranked[:10], 1) if d.path in relevant), None)


def per_query(reports: list[EvalReport]) -> str:
    """Each answerable query's first relevant rank by every system (``-``: not in the first ten),
    the hybrid last; ``<`` marks a query where a baseline put it above the hybrid."""
    by_system = [{o.query.id: o for o in r.outcomes} for r in reports]
    width = max((len(o.query.id) for o in reports[-1].outcomes), default=5)
    lines = [f"{'query':>{width}} kind " + " ".join(f"{r.name:>11}" for r in reports)]
    for outcome in reports[-1].outcomes:
        if outcome.query.is_negative:
            continue
        ranks = [first_relevant(s[outcome.query.id]) for s in by_system]
        mine = ranks[-1] or 99
        behind = any((r or 99) < mine for r in ranks[:-1])
        cells = " ".join(f"{'-' if r is None else r:>11}" for r in ranks)
        lines.append(f"{outcome.query.id:>{width}} {outcome.query.kind:<4} {cells}{' <' if behind else ''}")
    return "\n".join(lines)


def reachability(kb: Any, queries: list[EvalQuery], report: EvalReport | None = None) -> str:
    """Relevant documents the parser gave no lesson: only their passages can return them (and how
    many of them the hybrid put among its first five documents)."""
    with_lessons = {document.path for _, document in kb.catalog().rows.values()}
    with_lessons |= {f"{document.source}/{document.path}" for _, document in kb.catalog().rows.values()}
    found: dict[str, set[str]] = {}
    for outcome in report.outcomes if report else []:
        found[outcome.query.id] = {d.path for d in outcome.ranked[:5]}
    lines = []
    for kind in ("task", "diff"):
        positives = [q for q in queries if q.kind == kind and q.relevant]
        unreachable = [(q.id, p) for q in positives for p in q.relevant if p not in with_lessons]
        ceiling = sum(
            min(sum(p in with_lessons for p in q.relevant), 5) / min(len(q.relevant), 5) for q in positives
        ) / max(len(positives), 1)
        total = sum(len(q.relevant) for q in positives)
        returned = sum(p in found.get(qid, set()) for qid, p in unreachable)
        lines.append(
            f"{kind}: {len(unreachable)} of {total} relevant documents have no lesson in the knowledge base "
            f"({returned} of them among the first 5 as passages); best possible recall@5 for lessons "
            f"alone: {ceiling:.3f}"
        )
    return "\n".join(lines)


def calibration(kb: Any, queries: list[EvalQuery], depth: int = 5) -> str:
    """How telling the query's own cosine similarity is, to set the confidence thresholds: for each
    threshold, the share of top-``depth`` lessons at or above it whose document is relevant, the same
    for the first result only, and the highest similarity any negative query reached."""
    rows: list[tuple[bool, int, float, bool]] = []  # positive query?, rank, similarity, relevant?
    for query in queries:
        if query.kind == "diff":
            hits = kb.query(diff=query.query, k=depth).hits
        else:
            hits = kb.query(task=query.query, k=depth).hits
        for rank, hit in enumerate(hits):
            relevant = hit.document.path in query.relevant
            rows.append((bool(query.relevant), rank, hit.similarity, relevant))
    negatives = [r[2] for r in rows if not r[0]]
    lines = [f"highest similarity of a negative query's result: {max(negatives, default=0.0):.2f}"]
    for threshold in (0.40, 0.45, 0.50, 0.55, 0.60, 0.65):
        above = [r for r in rows if r[0] and r[2] >= threshold]
        first = [r for r in above if r[1] == 0]
        lines.append(
            f"similarity >= {threshold:.2f}: {len(above)} results, {_share(above)} relevant; "
            f"first results {len(first)}, {_share(first)} relevant"
        )
    return "\n".join(lines)


def _share(rows: list[tuple[bool, int, float, bool]]) -> str:
    return f"{sum(r[3] for r in rows) / len(rows):.2f}" if rows else "-"


class MemoEmbedder:
    """The benchmark model with a memory of the texts it embedded: a weight grid asks the same
    queries again and again, and the encoder is the slow part."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            for text, vector in zip(missing, self.inner.embed(missing), strict=True):
                self._memo[text] = vector
        return np.stack([self._memo[t] for t in texts]) if texts else self.inner.embed([])

    def embed_query(self, texts: list[str], *, max_tokens: int) -> np.ndarray:
        keys = [f"{max_tokens}\x00{t}" for t in texts]
        missing = [i for i, key in enumerate(keys) if key not in self._memo]
        if missing:
            vectors = self.inner.embed_query([texts[i] for i in missing], max_tokens=max_tokens)
            for i, vector in zip(missing, vectors, strict=True):
                self._memo[keys[i]] = vector
        return np.stack([self._memo[key] for key in keys]) if texts else self.inner.embed([])


# The grid: each knob's values around its default. Scored on the whole dev set, never per query.
GRID_SPACE: dict[str, list[Any]] = {
    "lexical_weight": [0.25, 0.5],
    "document_weight": [0.5, 0.8, 1.0],
    "kind_bonus": [(("postmortem", 0.15),), (("postmortem", 0.2),), (("postmortem", 0.25),)],
    "feedback_weight": [0.0, 0.5, 1.0],
}


def grid(kb: Any, queries: list[EvalQuery], space: dict[str, list[Any]] | None = None, top: int = 10) -> None:
    """Score a grid of weights on the whole dev set; print the best by min(task, diff) recall@5 + MRR."""
    from kb.retrieval.search import DEFAULT_WEIGHTS

    space = {k: v for k, v in (space or GRID_SPACE).items() if hasattr(DEFAULT_WEIGHTS, k)}
    kb._embedder = MemoEmbedder(kb.embedder)
    results = []
    for values in itertools.product(*space.values()):
        kb.weights = replace(DEFAULT_WEIGHTS, **dict(zip(space, values, strict=True)))
        summary = evaluate(queries, knowledge_base_ranker(kb, depth=DEPTH), name="grid").summary()
        score = min(summary["task"]["recall@5"], summary["diff"]["recall@5"]) + summary["all"]["mrr@10"]
        results.append((score, dict(zip(space, values, strict=True)), summary))
    kb.weights = DEFAULT_WEIGHTS
    results.sort(key=lambda r: -r[0])
    for score, values, summary in results[:top]:
        t, d = summary["task"], summary["diff"]
        print(
            f"{score:.3f} {values} task r@5 {t['recall@5']:.3f} hit@5 {t['hit@5']:.3f} "
            f"mrr {t['mrr@10']:.3f} | diff r@5 {d['recall@5']:.3f} hit@5 {d['hit@5']:.3f} "
            f"mrr {d['mrr@10']:.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "hindsight-relevance-bench"
    )
    parser.add_argument("--json", type=Path, help="Write every system's per-query results here.")
    parser.add_argument("--details", action="store_true", help="Print the hybrid's per-query ranks.")
    parser.add_argument(
        "--per-query",
        action="store_true",
        help="Print each query's first relevant rank for every system (the baselines beside the hybrid).",
    )
    parser.add_argument("--grid", action="store_true", help="Search a weight grid on the dev set.")
    parser.add_argument("--hybrid-only", action="store_true", help="Skip the baselines.")
    parser.add_argument(
        "--no-dense-baseline",
        action="store_true",
        help="Skip the dense-chunk baseline (its first run embeds every chunk of the corpus).",
    )
    parser.add_argument(
        "--fold",
        help="Ask only the queries of this fold (e.g. tune), so a held-out fold is never scored.",
    )
    parser.add_argument(
        "--written",
        action="store_true",
        help="Index tests/data/extraction/written's documents beside the corpus, as written/<path>.",
    )
    parser.add_argument(
        "--calibrate", action="store_true", help="Print how precise each similarity threshold is."
    )
    parser.add_argument(
        "--reuse-latest",
        action="store_true",
        help="Use the newest cached knowledge base even if the corpus or parser changed (for tuning).",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    started = time.perf_counter()
    queries = load_queries(args.dataset)
    folds = query_folds(args.dataset)
    if args.fold:
        queries = [q for q in queries if folds.get(q.id) == args.fold]
        folds = {q.id: args.fold for q in queries}
    corpus = args.corpus.resolve()
    files = _corpus_files(corpus)
    corpus_key = corpus_fingerprint(corpus, files)
    pool = written_files() if args.written else []
    if args.written:
        corpus_key = pool_fingerprint(corpus_key, WRITTEN, pool)
    key = kb_fingerprint(corpus_key)
    args.cache.mkdir(parents=True, exist_ok=True)
    prefix = "kbw-" if args.written else "kb-"
    cached = sorted(args.cache.glob(f"{prefix}*/ingested.ok"), key=lambda p: p.stat().st_mtime)
    if args.reuse_latest and cached:
        key = cached[-1].parent.name.removeprefix(prefix)
    stage = stage_written(WRITTEN, pool, args.cache, key) if args.written else None
    kb = open_bench_kb(corpus, args.cache, key, written=stage)

    if args.grid:
        grid(kb, queries)
        return 0

    reports: list[EvalReport] = []
    if not args.hybrid_only:
        texts = _document_texts(corpus, files)
        if args.written:
            texts |= _document_texts(WRITTEN, pool, prefix=f"{WRITTEN_SOURCE}/")
        reports.append(evaluate(queries, bm25_document_ranker(texts), name="bm25-doc"))
        if not args.no_dense_baseline:
            reports.append(
                evaluate(
                    queries,
                    dense_chunk_ranker(texts, kb.embedder, args.cache, corpus_key),
                    name="dense-chunk",
                )
            )
    hybrid = evaluate(queries, knowledge_base_ranker(kb, depth=DEPTH), name="hybrid")
    reports.append(hybrid)

    print(table(reports))
    print()
    print(confidence_levels(hybrid))
    if len(set(folds.values())) > 1:
        print()
        print(by_fold(reports, folds))
    print()
    print(reachability(kb, queries, hybrid))
    if args.calibrate:
        print()
        print(calibration(kb, queries))
    if args.details:
        print()
        print(details(hybrid))
    if args.per_query:
        print()
        print(per_query(reports))
    if args.json:
        args.json.write_text(json.dumps([r.to_dict() for r in reports], indent=2), encoding="utf-8")
    print(f"\n{len(queries)} queries, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
