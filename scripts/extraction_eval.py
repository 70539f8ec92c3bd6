"""Extraction evaluation: compare extracted records with hand-written lessons.

Two gold sets are read: ``tests/data/extraction/corpus2_gold.jsonl`` (80 documents of
``../shared/corpus2``, lessons with a record type and a follow-up state, folds ``tune`` and
``test``) and the older ``tests/data/extraction_gold.jsonl`` (44 documents of
``../shared/corpus``, fold ``old``). Each document is parsed with
:func:`ingest.parser.parse_document` (supersession resolved across each set), extracted
statements and gold lessons are embedded with the packaged MiniLM model, and a one-to-one
greedy assignment pairs them when their cosine similarity is at least ``--threshold``.

    recall    = matched gold lessons / all gold lessons
    precision = matched extracted records / all extracted records      (one-to-one)
    prec_any  = extracted records within the threshold of some gold lesson / all extracted
    no-record = documents with no extracted record / documents
    type acc  = matched pairs whose extracted record_type is the gold type / matched pairs
                that have a gold type (corpus2 only)

Figures are printed per fold and kind, then the record-type confusion table (gold rows,
extracted columns) and the documents with the lowest F1 with their unmatched items.

``--unsorted`` leaves the kind folder out of each path, so the kind is detected from front matter,
headings and title, as for a repository that does not sort its documents by kind.

The ``--coverage`` table parses every document of both corpora (not only the gold ones) and
gives, per kind, the share of documents with no record and how often the kind is detected right
when the kind folder (``postmortems/``, ``runbooks/``, ``adrs/``) is left out of the path.

A third corpus2 fold, ``test2`` (30 documents written blind after the extractor was tuned), is
read only when named (``--fold test2``); ``all`` is tune, test and old. A fourth blind fold,
``test3`` (30 documents: 13 of corpus2 in ``corpus2_gold.jsonl`` and 17 of the first corpus in
``tests/data/extraction/corpus_test3_gold.jsonl``), is likewise read only when named, and so is a
fifth, ``test4`` (30 documents of the first corpus in ``tests/data/extraction/corpus_test4_gold.jsonl``),
a sixth, ``test5`` (36 more documents of the first corpus in
``tests/data/extraction/corpus_test5_gold.jsonl``), a seventh, ``test6`` (28 more in
``tests/data/extraction/corpus_test6_gold.jsonl``), an eighth, ``test7`` (30 more in
``tests/data/extraction/corpus_test7_gold.jsonl``), a ninth, ``test8`` (20 more in
``tests/data/extraction/corpus_test8_gold.jsonl``), a tenth, ``test9`` (24 more in
``tests/data/extraction/corpus_test9_gold.jsonl``), and an eleventh, ``test10`` (32 more in
``tests/data/extraction/corpus_test10_gold.jsonl`` and 3 of corpus2 in ``corpus2_gold.jsonl``), and a
twelfth, ``test11`` (16 more in ``tests/data/extraction/corpus_test11_gold.jsonl`` and 12 postmortems written
for it in templates the corpora lack, under ``tests/data/extraction/written/``, gold in
``tests/data/extraction/written_test11_gold.jsonl``), a thirteenth, ``test12`` (14 more written
postmortems in other templates, gold in ``tests/data/extraction/written_test12_gold.jsonl``), and a
fourteenth, ``test13`` (12 more, ``written_test13_gold.jsonl``; written at the end of session seventeen,
read once after round twenty-three and tuned on in round twenty-four, so tuning data since, as test11
and test12 are), a fifteenth, ``test14`` (14 written documents: 6 postmortems, 4 runbooks and 4 ADRs in
templates the written set lacked, ``written_test14_gold.jsonl``; read once at the start of session
eighteen, tuning data since), a sixteenth, ``test15`` (14 more written documents: 6 postmortems, 4
runbooks and 4 ADRs in further templates, ``written_test15_gold.jsonl``), a
seventeenth, ``test16`` (14 more written documents: 6 postmortems, 4 runbooks and 4 ADRs in yet other
templates, ``written_test16_gold.jsonl``), an eighteenth, ``test17`` (14 more
written documents: 5 postmortems, 5 runbooks and 4 ADRs in yet other templates and formats,
``written_test17_gold.jsonl``), a nineteenth, ``test18`` (14 more written
documents: 5 postmortems, 5 runbooks and 4 ADRs in further templates and formats,
``written_test18_gold.jsonl``), a twentieth, ``test19`` (12 more written
documents: 5 postmortems, 4 runbooks and 3 ADRs, mostly Markdown in templates not used before,
``written_test19_gold.jsonl``), a twenty-first, ``test20`` (12 more
written documents: 5 postmortems, 4 runbooks and 3 ADRs in formats and templates not used before,
``written_test20_gold.jsonl``), a twenty-second, ``test21`` (12 more
written documents: 4 postmortems, 5 runbooks and 3 ADRs in formats and templates not used before,
``written_test21_gold.jsonl``), a twenty-third, ``test22`` (12 more
written documents: 5 postmortems, 4 runbooks and 3 ADRs, mostly Markdown in everyday templates not
used before, ``written_test22_gold.jsonl``), a twenty-fourth, ``test23``
(12 more written documents: 5 postmortems, 4 runbooks and 3 ADRs, mostly Markdown in everyday
templates not used before, ``written_test23_gold.jsonl``), a twenty-fifth, ``test24`` (12 more
written documents in templates not used before, ``written_test24_gold.jsonl``) and a twenty-sixth,
``test25`` (12 more written documents in the shapes busy teams write most, ``written_test25_gold.jsonl``).
Each blind fold was read once when first named, then tuned on; its first reading is in
docs/extraction.md.

Usage: scripts/extraction-eval [--threshold 0.5] [--fold all|tune|test|old|test2|...|test25|none]
       [--unsorted] [--coverage]
       [--json]
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

from ingest.formats import MARKDOWN_SUFFIXES  # noqa: E402  (after the path set-up above)

# ../shared from the main checkout; ../../shared from a worktree under wt/
SHARED = next(
    (p / "shared" for p in ROOT.parents[:2] if (p / "shared" / "corpus").is_dir()), ROOT.parent / "shared"
)
GOLD = ROOT / "tests" / "data" / "extraction_gold.jsonl"
CORPUS = SHARED / "corpus"
GOLD2 = ROOT / "tests" / "data" / "extraction" / "corpus2_gold.jsonl"
# the later blind folds kept in their own file, first corpus only (test3 and test10 also have corpus2
# rows in corpus2_gold.jsonl)
FIRST_CORPUS_GOLD = {
    fold: ROOT / "tests" / "data" / "extraction" / f"corpus_{fold}_gold.jsonl"
    for fold in ("test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11")
}
# documents written blind for a fold (the corpora hold no ungolded postmortem any more), in their own
# root: postmortems, and from test14 on also runbooks/ and adrs/
WRITTEN = ROOT / "tests" / "data" / "extraction" / "written"
WRITTEN_FOLDS = (
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
)
WRITTEN_GOLD = {fold: WRITTEN.parent / f"written_{fold}_gold.jsonl" for fold in WRITTEN_FOLDS}
CORPUS2 = SHARED / "corpus2"
# The bar: a gold lesson counts as extracted at cosine >= 0.5 to a record of its document.
DEFAULT_THRESHOLD = 0.5
KINDS = ("postmortem", "runbook", "adr")
FOLDS = (
    "tune",
    "test",
    "old",
    "test2",
    *FIRST_CORPUS_GOLD,
    *(fold for fold in WRITTEN_FOLDS if fold not in FIRST_CORPUS_GOLD),  # test11 holds both kinds
)
# "all" means the folds read while tuning; the later blind folds test2-test25 are read only when named.
TUNING_FOLDS = ("tune", "test", "old")
# folds whose gold lessons carry a type (the old set's do not)
TYPED_FOLDS = tuple(f for f in FOLDS if f != "old")
TYPES = ("constraint", "decision", "procedure", "follow_up")

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
    extracted_types: list[str] = field(default_factory=list)
    extracted_states: list[str | None] = field(default_factory=list)
    gold_types: list[str | None] = field(default_factory=list)
    gold_states: list[str | None] = field(default_factory=list)
    near_any: int = 0  # extracted records within the threshold of some gold lesson

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

    def typed_pairs(self) -> list[tuple[str, str]]:
        """(gold type, extracted type) of each matched pair whose gold lesson has a type."""
        out = []
        for e, g, _ in self.pairs:
            gt = self.gold_types[g] if g < len(self.gold_types) else None
            et = self.extracted_types[e] if e < len(self.extracted_types) else "constraint"
            if gt:
                out.append((gt, et))
        return out

    def unmatched_extracted(self) -> list[str]:
        used = {e for e, _, _ in self.pairs}
        return [s for i, s in enumerate(self.extracted) if i not in used]

    def unmatched_gold(self) -> list[str]:
        used = {g for _, g, _ in self.pairs}
        return [s for i, s in enumerate(self.gold) if i not in used]


def score_document(
    extracted: list[str], gold: list[str], embed: Embed, threshold: float
) -> list[tuple[int, int, float]]:
    return _score(extracted, gold, embed, threshold)[0]


def _score(
    extracted: list[str], gold: list[str], embed: Embed, threshold: float
) -> tuple[list[tuple[int, int, float]], int]:
    if not extracted or not gold:
        return [], 0
    vecs = embed([*extracted, *gold])
    sim = vecs[: len(extracted)] @ vecs[len(extracted) :].T
    return greedy_match(sim, threshold), int((sim.max(axis=1) >= threshold).sum())


def aggregate(results: Sequence[DocResult]) -> dict[str, dict[str, float]]:
    """Micro-averaged figures per kind and overall."""
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
        typed = [tp for r in rs for tp in r.typed_pairs()]
        out[name] = {
            "documents": len(rs),
            "extracted": n_ext,
            "gold": n_gold,
            "matched": matched,
            "precision": round(p, 3),
            "recall": round(r_, 3),
            "f1": round(2 * p * r_ / (p + r_), 3) if p + r_ else 0.0,
            "precision_any": round(sum(r.near_any for r in rs) / n_ext, 3) if n_ext else 0.0,
            "no_record": round(sum(1 for r in rs if not r.extracted) / len(rs), 3),
            "type_pairs": len(typed),
            "type_accuracy": round(sum(g == e for g, e in typed) / len(typed), 3) if typed else 0.0,
        }
    return out


def confusion(results: Sequence[DocResult]) -> dict[str, dict[str, int]]:
    """Gold type -> extracted type -> matched pairs."""
    table: dict[str, dict[str, int]] = {g: dict.fromkeys(TYPES, 0) for g in TYPES}
    for r in results:
        for g, e in r.typed_pairs():
            table.setdefault(g, dict.fromkeys(TYPES, 0))
            table[g][e] = table[g].get(e, 0) + 1
    return table


def state_accuracy(results: Sequence[DocResult]) -> tuple[int, int]:
    """(right, total) open/done states over matched pairs of gold follow-ups."""
    right = total = 0
    for r in results:
        for e, g, _ in r.pairs:
            if g < len(r.gold_types) and r.gold_types[g] == "follow_up":
                total += 1
                got = r.extracted_states[e] if e < len(r.extracted_states) else None
                right += (got or "open") == (r.gold_states[g] or "open")
    return right, total


# ---------------------------------------------------------------------------------------------
# running


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_gold_sets(fold: str = "all") -> list[tuple[dict[str, Any], Path]]:
    """(gold record with a ``fold``, corpus folder) for the corpus2 folds and the old set."""
    out: list[tuple[dict[str, Any], Path]] = []
    if fold in ("all", "tune", "test", "test2", "test3", "test10"):
        out += [
            (g, CORPUS2)
            for g in load_gold(GOLD2)
            if g["fold"] == fold or (fold == "all" and g["fold"] in TUNING_FOLDS)
        ]
    if fold in ("all", "old"):
        out += [({**g, "fold": "old"}, CORPUS) for g in load_gold(GOLD)]
    if fold in FIRST_CORPUS_GOLD:
        out += [(g, CORPUS) for g in load_gold(FIRST_CORPUS_GOLD[fold])]
    if fold in WRITTEN_GOLD:
        out += [(g, WRITTEN) for g in load_gold(WRITTEN_GOLD[fold])]
    return out


def _as_found(path: str, unsorted: bool) -> str:
    """The path the parser sees: with ``unsorted`` the kind folder ("postmortems/") is left out, as
    in a repository that does not sort its documents by kind, so the kind must be detected."""
    head, _, rest = path.partition("/")
    return rest if unsorted and head in KIND_FOLDERS and rest else path


def extract_all(
    gold: list[dict[str, Any]], corpus: Path = CORPUS, *, unsorted: bool = False
) -> dict[str, Any]:
    """Parse each gold document; resolve supersession across them. Path -> draft or error text."""
    from ingest.parser import parse_document
    from ingest.supersession import resolve_supersession
    from kb.errors import DocumentError

    out: dict[str, Any] = {}
    drafts = []
    for rec in gold:
        # HTML, reStructuredText, AsciiDoc...: converted
        if not rec["path"].lower().endswith(MARKDOWN_SUFFIXES):
            from ingest.loader import parse_file

            seen = _as_found(rec["path"], unsorted)
            parsed = dict(parse_file(seen, (corpus / rec["path"]).read_bytes()))
            got = parsed.get(seen, "no such document in the file")
            out[rec["path"]] = got if not isinstance(got, str) else f"DocumentError: {got}"
            if not isinstance(got, str):
                drafts.append(got)
            continue
        text = (corpus / rec["path"]).read_text(encoding="utf-8")
        try:
            d = parse_document(
                text, path=_as_found(rec["path"], unsorted), sha256=hashlib.sha256(text.encode()).hexdigest()
            )
        except DocumentError as exc:
            out[rec["path"]] = f"DocumentError: {exc.message}"
            continue
        out[rec["path"]] = d
        drafts.append(d)
    resolve_supersession(drafts)
    return out


def _lessons(rec: dict[str, Any]) -> tuple[list[str], list[str | None], list[str | None]]:
    texts: list[str] = []
    types: list[str | None] = []
    states: list[str | None] = []
    for lesson in rec["lessons"]:
        if isinstance(lesson, str):
            texts.append(lesson)
            types.append(None)
            states.append(None)
        else:
            texts.append(lesson["text"])
            types.append(lesson.get("type"))
            states.append(lesson.get("state"))
    return texts, types, states


def evaluate(
    gold: list[dict[str, Any]],
    embed: Embed,
    threshold: float,
    corpus: Path = CORPUS,
    *,
    unsorted: bool = False,
) -> list[DocResult]:
    drafts = extract_all(gold, corpus, unsorted=unsorted)
    results: list[DocResult] = []
    for rec in gold:
        d = drafts[rec["path"]]
        texts, types, states = _lessons(rec)
        split = rec.get("fold") or rec.get("split", "dev")
        if isinstance(d, str):
            results.append(
                DocResult(
                    rec["path"], rec["kind"], split, [], texts, error=d, gold_types=types, gold_states=states
                )
            )
            continue
        res = DocResult(
            rec["path"],
            rec["kind"],
            split,
            [c.statement for c in d.constraints],
            texts,
            extracted_types=[c.record_type for c in d.constraints],
            extracted_states=[c.state for c in d.constraints],
            gold_types=types,
            gold_states=states,
        )
        res.pairs, res.near_any = _score(res.extracted, res.gold, embed, threshold)
        results.append(res)
    return results


def evaluate_sets(fold: str, embed: Embed, threshold: float, *, unsorted: bool = False) -> list[DocResult]:
    sets = load_gold_sets(fold)
    results: list[DocResult] = []
    for corpus in dict.fromkeys(c for _, c in sets):
        results += evaluate([g for g, c in sets if c == corpus], embed, threshold, corpus, unsorted=unsorted)
    return results


KIND_FOLDERS = {"postmortems": "postmortem", "runbooks": "runbook", "adrs": "adr"}
NOT_DOCUMENTS = ("licen", "notice", "sources")


def coverage(corpora: Sequence[Path] = (CORPUS, CORPUS2)) -> dict[str, dict[str, Any]]:
    """Every document of each corpus, not only the gold ones: per kind (the corpus folder it sits
    in; the detected kind for ``other-formats``), how many yield no record, and how often the kind
    is detected right when the kind folder is left out of the path (as in a repository that does
    not sort its documents by kind)."""
    from ingest.loader import discover, parse_file

    out: dict[str, dict[str, Any]] = {}
    for corpus in corpora:
        if not corpus.is_dir():
            continue
        per: dict[str, dict[str, Any]] = {}
        for path in discover(corpus):
            rel = path.relative_to(corpus).as_posix()
            if path.name.lower().startswith(NOT_DOCUMENTS):
                continue
            folder_kind = KIND_FOLDERS.get(rel.split("/", 1)[0])
            data = path.read_bytes()
            for name, draft in parse_file(rel, data):
                if isinstance(draft, str):
                    continue
                kind = folder_kind or draft.kind
                row = per.setdefault(
                    kind, {"documents": 0, "no_record": 0, "in_folder": 0, "kind_right": 0, "empty": []}
                )
                row["documents"] += 1
                if not draft.constraints:
                    row["no_record"] += 1
                    row["empty"].append(name)
                if folder_kind:
                    row["in_folder"] += 1
                    unsorted = dict(parse_file(rel.split("/", 1)[1], data)).get(name.split("/", 1)[1])
                    row["kind_right"] += getattr(unsorted, "kind", None) == kind
        out[corpus.name] = per
    return out


def _coverage_table(cov: dict[str, dict[str, Any]]) -> str:
    lines = [
        "Documents with no record (every document of each corpus; kind = its corpus folder)",
        f"{'corpus':<8} {'kind':<11} {'docs':>5} {'norec':>6} {'share':>6} {'kind ok*':>9}",
    ]
    for corpus, per in cov.items():
        for kind in KINDS:
            if kind not in per:
                continue
            r = per[kind]
            share = r["no_record"] / r["documents"] if r["documents"] else 0.0
            ok = f"{r['kind_right'] / r['in_folder']:.3f}" if r["in_folder"] else "-"
            lines.append(
                f"{corpus:<8} {kind:<11} {r['documents']:>5} {r['no_record']:>6} {share:>6.3f} {ok:>9}"
            )
    lines.append("* kind detected right with the kind folder left out of the path (folder documents only)")
    for corpus, per in cov.items():
        for kind in KINDS:
            for name in per.get(kind, {}).get("empty", []):
                lines.append(f"  no record: {corpus}/{name}")
    return "\n".join(lines)


def _cached(embed: Embed, path: Path) -> Embed:
    """``embed`` with a text -> vector pickle beside it (the model is deterministic)."""
    import pickle

    store: dict[str, np.ndarray] = pickle.loads(path.read_bytes()) if path.exists() else {}

    def run(texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in store]
        if missing:
            store.update(zip(missing, embed(missing), strict=True))
        return np.stack([store[t] for t in texts])

    run.save = lambda: path.write_bytes(pickle.dumps(store))  # type: ignore[attr-defined]
    return run


def _table(title: str, agg: dict[str, dict[str, float]]) -> str:
    lines = [
        title,
        f"{'kind':<11} {'docs':>4} {'extr':>5} {'gold':>5} {'match':>5} {'recall':>6} {'prec':>6} "
        f"{'p_any':>6} {'f1':>6} {'norec':>6} {'type':>6}",
    ]
    for name in (*KINDS, "overall"):
        if name not in agg:
            continue
        a = agg[name]
        typ = f"{a['type_accuracy']:>6.3f}" if a["type_pairs"] else f"{'-':>6}"
        lines.append(
            f"{name:<11} {a['documents']:>4} {a['extracted']:>5} {a['gold']:>5} {a['matched']:>5} "
            f"{a['recall']:>6.3f} {a['precision']:>6.3f} {a['precision_any']:>6.3f} {a['f1']:>6.3f} "
            f"{a['no_record']:>6.3f} {typ}"
        )
    return "\n".join(lines)


def _confusion_table(table: dict[str, dict[str, int]]) -> str:
    lines = ["Record types (rows: gold, columns: extracted; matched pairs)"]
    lines.append(f"{'':<11}" + "".join(f"{t:>11}" for t in TYPES))
    for g in TYPES:
        lines.append(f"{g:<11}" + "".join(f"{table[g].get(e, 0):>11}" for e in TYPES))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "--threshold", type=float, default=DEFAULT_THRESHOLD, help="cosine threshold (default 0.5)"
    )
    ap.add_argument("--fold", choices=("all", *FOLDS, "none"), default="all")
    ap.add_argument("--worst", type=int, default=5, help="how many lowest-F1 documents to show")
    ap.add_argument("--show", action="store_true", help="print every pair and unmatched item")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--cache", type=Path, help="pickle file of text -> vector, reused between runs")
    ap.add_argument(
        "--unsorted",
        action="store_true",
        help="leave the kind folder out of each path, so the kind is detected as in an unsorted repository",
    )
    ap.add_argument(
        "--coverage",
        action="store_true",
        help="also parse every document of both corpora: share with no record per kind, kind detection",
    )
    args = ap.parse_args(argv)
    if args.coverage:
        cov = coverage()
        if args.fold == "none":
            sys.stdout.write(_coverage_table(cov) + "\n")
            return 0

    from kb.embedding.torch_model import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embed: Embed = embedder.embed
    if args.cache:
        embed = _cached(embedder.embed, args.cache)
    results = evaluate_sets(args.fold, embed, args.threshold, unsorted=args.unsorted)
    save = getattr(embed, "save", None)
    if save is not None:
        save()
    splits = {f: [r for r in results if r.split == f] for f in FOLDS}
    aggs = {name: aggregate(rs) for name, rs in splits.items() if rs}
    corpus2 = [r for r in results if r.split in ("tune", "test")]
    worst = sorted(results, key=lambda r: (r.f1, r.path))[: args.worst]
    if args.json:
        payload = {
            "threshold": args.threshold,
            "metrics": aggs,
            "confusion": {f: confusion(splits[f]) for f in TYPED_FOLDS if splits[f]},
            "documents": [
                {
                    "path": r.path,
                    "kind": r.kind,
                    "fold": r.split,
                    "precision": round(r.precision, 3),
                    "recall": round(r.recall, 3),
                    "f1": round(r.f1, 3),
                    "pairs": [
                        {
                            "extracted": r.extracted[e],
                            "gold": r.gold[g],
                            "similarity": round(s, 3),
                            "extracted_type": r.extracted_types[e] if r.extracted_types else None,
                            "gold_type": r.gold_types[g] if r.gold_types else None,
                        }
                        for e, g, s in r.pairs
                    ],
                    "unmatched_extracted": r.unmatched_extracted(),
                    "unmatched_gold": r.unmatched_gold(),
                    "error": r.error,
                }
                for r in results
            ],
        }
        if args.coverage:
            payload["coverage"] = cov
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return 0
    out = [f"Extraction evaluation: {len(results)} documents, cosine threshold {args.threshold}"]
    for name, agg in aggs.items():
        out += ["", _table(f"[{name}]", agg)]
    for f in TYPED_FOLDS:
        if splits[f]:
            right, total = state_accuracy(splits[f])
            out += ["", f"[{f}] " + _confusion_table(confusion(splits[f]))]
            out.append(f"follow-up state right: {right}/{total}")
    if corpus2:
        out += ["", "[corpus2 tune+test] " + _confusion_table(confusion(corpus2))]
    if args.coverage:
        out += ["", _coverage_table(cov)]
    shown = results if args.show else worst
    out += ["", "All documents:" if args.show else f"Worst {len(worst)} documents (lowest F1):"]
    for r in shown:
        out.append(f"\n- {r.path} [{r.kind}, {r.split}] P={r.precision:.2f} R={r.recall:.2f} F1={r.f1:.2f}")
        if r.error:
            out.append(f"    error: {r.error}")
        if args.show:
            for e, g, s in r.pairs:
                et = r.extracted_types[e] if r.extracted_types else "?"
                gt = r.gold_types[g] if r.gold_types else "?"
                out.append(f"    = {s:.2f} [{et}/{gt}] {r.extracted[e]}  <->  {r.gold[g]}")
        for s in r.unmatched_gold():
            out.append(f"    missed: {s}")
        for i, s in enumerate(r.extracted):
            if i not in {e for e, _, _ in r.pairs}:
                et = r.extracted_types[i] if r.extracted_types else "?"
                out.append(f"    extra:  [{et}] {s}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
