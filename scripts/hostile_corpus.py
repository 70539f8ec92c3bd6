"""Generate a corpus of hostile Markdown files (and a few good ones), optionally ingest it and
report every file's outcome, CPU time and peak memory.

    python scripts/hostile_corpus.py OUT_DIR            # write the corpus
    python scripts/hostile_corpus.py OUT_DIR --ingest   # and ingest it into a throw-away KB_HOME

Each case names the phrase its per-file error must contain (None: it must be stored). The
corpus lives in OUT_DIR/corpus; the target of the symbolic link in OUT_DIR/outside.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

GOOD = (
    "# {title}\n\n## Summary\n\nThe {service} service failed for 20 minutes.\n\n"
    "## Lessons Learned\n\n- Always set a timeout on calls to the {service} service.\n"
    "- Never retry a payment capture without an idempotency key.\n"
)


@dataclass(frozen=True, slots=True)
class Case:
    name: str  # what it is
    path: bytes  # relative path, as bytes: one name is not valid UTF-8
    expect: str | None  # a phrase of the per-file error; None: stored
    may_time_out: bool = False  # near the budget: stored, or failed with the budget's error


def _alias_bomb(levels: int = 9) -> str:
    lines = ["---", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join([*lines, "---", GOOD.format(title="Bomb", service="dns")])


def _headings(target_bytes: int = 2_000_000) -> str:
    parts: list[str] = []
    size = 0
    i = 0
    while size < target_bytes:
        part = f"# Heading {i}\n\nWe must always check item {i}.\n"
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)[:target_bytes]


def cases() -> list[tuple[Case, bytes]]:
    rng = random.Random(22)
    good = [
        (
            Case(f"good postmortem {i}", f"good-{i}.md".encode(), None),
            GOOD.format(title=f"Outage {i}", service=s),
        )
        for i, s in enumerate(["payments", "search", "billing"])
    ]
    text_cases: list[tuple[Case, str]] = [
        *good,
        (
            Case("YAML alias bomb (9 levels, 10^9 values)", b"alias-bomb.md", "expands to more than"),
            _alias_bomb(),
        ),
        (
            Case("YAML recursive alias", b"recursive-alias.md", "recursive alias"),
            "---\nx: &a [*a]\n---\n# T\n\n- Do x.\n",
        ),
        (
            Case("YAML nested 10,000 deep", b"yaml-deep.md", "nested deeper"),
            "---\nx: " + "[" * 10_000 + "]" * 10_000 + "\n---\n# T\n\n- Do x.\n",
        ),
        (
            Case("TOML nested 10,000 deep", b"toml-deep.md", "TOML"),
            "+++\nx = " + "[" * 10_000 + "]" * 10_000 + "\n+++\n# T\n\n- Do x.\n",
        ),
        (Case("50k headings, 2 MB", b"headings-50k.md", "budget"), _headings()),
        (
            Case("blockquotes nested 10,000 deep", b"quotes-deep.md", "no usable"),
            ">" * 10_000 + " Always x.\n",
        ),
        (
            Case("lists nested 10,000 deep (one line)", b"lists-deep.md", None),
            "# T\n\n" + "- " * 10_000 + "Always x.\n",
        ),
        (
            Case("a 100k-character line", b"long-line.md", None, may_time_out=True),
            "# Long line\n\n## Lessons Learned\n\n- Always " + "check the queue " * 6_250 + "\n",
        ),
        (
            Case("table of 20,000 columns", b"wide-table.md", "table cells"),
            "# T\n\n## Lessons\n\n- Always x.\n\n|" + "a|" * 20_000 + "\n|" + "-|" * 20_000 + "\n",
        ),
        (
            Case("terminal escapes and control characters", b"control-chars.md", None),
            "# Escapes \x1b[31mred\x1b[0m\n\n## Lessons Learned\n\n"
            "- Always strip \x07 bells and \x1b]0;title\x07.\n",
        ),
    ]
    byte_cases: list[tuple[Case, bytes]] = [(c, t.encode("utf-8")) for c, t in text_cases]
    byte_cases += [
        (
            Case("binary (random bytes)", b"binary.md", "binary"),
            bytes(rng.randrange(256) for _ in range(65_536)),
        ),
        (
            Case("mixed encodings (UTF-8 then Latin-1)", b"mixed-encoding.md", "not UTF-8"),
            "# Café\n\n- Always x.\n".encode() + "Déjà vu in Latin-1\n".encode("latin-1"),
        ),
        (
            Case("UTF-16 with BOM", b"utf16.md", "binary"),
            GOOD.format(title="U", service="x").encode("utf-16"),
        ),
        (Case("empty", b"empty.md", "empty"), b"\n \n"),
        (
            Case("over the size limit (3 MB)", b"oversized.md", "limit"),
            b"# T\n\n" + b"- Always x.\n" * 260_000,
        ),
        (Case("file name not valid UTF-8", b"bad-name-\xff\xfe.md", "not valid UTF-8"), GOOD.encode()),
    ]
    return byte_cases


def build(out: Path) -> list[Case]:
    """Write the corpus into ``out/corpus`` (and a symlink target in ``out/outside``)."""
    root = out / "corpus"
    root.mkdir(parents=True, exist_ok=True)
    written: list[Case] = []
    for case, data in cases():
        with open(os.fsencode(root) + b"/" + case.path, "wb") as handle:
            handle.write(data)
        written.append(case)
    outside = out / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text(GOOD.format(title="Secret", service="vault"), encoding="utf-8")
    link = root / "symlink-out.md"
    if not link.is_symlink():
        link.symlink_to(outside / "secret.md")
    written.append(Case("symbolic link out of the root", b"symlink-out.md", "symbolic link"))
    return written


def _rel(case: Case) -> str:
    from ingest.loader import printable

    return printable(os.fsdecode(case.path))


def run(out: Path, *, memory: bool) -> list[dict[str, object]]:
    """Ingest the corpus into a fresh data directory; one row per case."""
    from ingest.loader import FileOutcome, ingest_path
    from kb.embedding.fake import HashingEmbedder
    from kb.service import KnowledgeBase
    from kb.settings import Settings

    corpus = build(out)
    timings: dict[str, tuple[float, int]] = {}
    # CPU seconds, as the parse budget counts them: wall time here measures the machine's load.
    last = [time.process_time()]

    def on_file(outcome: FileOutcome) -> None:
        now = time.process_time()
        peak = tracemalloc.get_traced_memory()[1] if memory else 0
        timings[outcome.path] = (now - last[0], peak)
        if memory:
            tracemalloc.reset_peak()
        last[0] = now

    home = Path(tempfile.mkdtemp(prefix="hostile-home-"))
    kb = KnowledgeBase(Settings(home=home, embedder="hashing"), embedder=HashingEmbedder())
    # Create the database and import the parser now, not in the first file's time.
    kb.stored_hashes("corpus")
    from ingest.parser import parse_document

    parse_document(GOOD.format(title="Warm", service="up"), path="warm.md", sha256="")
    if memory:
        tracemalloc.start()
    try:
        last[0] = time.process_time()
        report = ingest_path(kb, out / "corpus", on_file=on_file)
    finally:
        if memory:
            tracemalloc.stop()
        kb.close()
    outcomes = {f.path: f for f in report.files}
    rows: list[dict[str, object]] = []
    for case in corpus:
        rel = _rel(case)
        outcome = outcomes.get(rel)
        seconds, peak = timings.get(rel, (0.0, 0))
        expect = case.expect
        if case.may_time_out and outcome is not None and outcome.status == "failed":
            expect = "budget"
        ok = outcome is not None and (
            outcome.status == "added"
            if expect is None
            else outcome.status == "failed" and expect in (outcome.error or "")
        )
        rows.append(
            {
                "case": case.name,
                "path": rel,
                "status": outcome.status if outcome else "missing",
                "error": outcome.error if outcome else None,
                "seconds": round(seconds, 3),
                "peak_mib": round(peak / 2**20, 1),
                "as_expected": ok,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path)
    parser.add_argument("--ingest", action="store_true", help="ingest it and print a report")
    parser.add_argument("--json", action="store_true", help="the report as JSON")
    args = parser.parse_args(argv)
    if not args.ingest:
        for case in build(args.out):
            sys.stdout.write(f"{os.fsdecode(case.path)}\t{case.name}\n")
        return 0
    rows = run(args.out, memory=True)
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        for row in rows:
            mark = "ok " if row["as_expected"] else "BAD"
            sys.stdout.write(
                f"{mark} {row['case']:<42} {row['status']:<7} {row['seconds']:>7.3f} s CPU "
                f"{row['peak_mib']:>7.1f} MiB  {row['error'] or ''}\n"
            )
    return 0 if all(row["as_expected"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
