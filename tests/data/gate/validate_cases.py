#!/usr/bin/env python3
"""Validate tests/data/gate/cases.jsonl without importing any project code.

Checks every line for the expected fields and types, the allowed labels and folds, that
folds alternate tune/test within each label in file order, that each diff is real
`git diff` output, and that every referenced document exists under seed_incidents/.
Held-out batches written later (folds ``test2``, ``test3``, ``test4``, ``test5``, ``test6``, ``test7``,
``test8``, ``test9``, ``test10``, ``test11``, ``test12``, ``test13``, ``test14``, ``test15``, ``test16``, ``test17``, ``test18``, ``test19``, ``test20``, ``test21``, ``test22``, ``test23``, ``test24``, ``test25``, ``test26``, ``test27``, ``test28``, ``test29``, ``test30``, ``test31``, ``test32``, ``test33``, ``test34``, ``test35``, ``test36``, ``test37``, ``test38`` and ``test39``) are appended after the alternating
rows and take no part in the alternation: they are measured once, never tuned on.

Usage: python tests/data/gate/validate_cases.py [path/to/cases.jsonl]
Exit status is 0 when the file is valid, 1 otherwise.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SEED = REPO / "seed_incidents"
DEFAULT_CASES = HERE / "cases.jsonl"

FIELDS = {"id", "fold", "label", "subject", "diff", "documents", "note"}
LABELS = {"block", "advise", "silent"}
FOLDS = ("tune", "test")
HELD_OUT_FOLDS = (
    "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11", "test12",
    "test13", "test14", "test15", "test16", "test17", "test18", "test19", "test20", "test21", "test22",
    "test23", "test24", "test25", "test26", "test27", "test28", "test29", "test30", "test31",
    "test32", "test33", "test34", "test35", "test36", "test37", "test38", "test39",
)
ALL_FOLDS = FOLDS + HELD_OUT_FOLDS
ID_RE = re.compile(r"^g\d{3,4}$")
DIFF_HEADER_RE = re.compile(r"^diff --git a/(\S+) b/(\S+)$")
HUNK_RE = re.compile(r"^@@ -\d+(,\d+)? \+\d+(,\d+)? @@")
MIN_CASES = 44


def check_diff(diff: str) -> list[str]:
    problems = []
    if not diff.startswith("diff --git "):
        problems.append("diff does not start with 'diff --git'")
        return problems
    if not diff.endswith("\n"):
        problems.append("diff does not end with a newline")
    lines = diff.split("\n")
    headers = [i for i, line in enumerate(lines) if line.startswith("diff --git ")]
    for n, start in enumerate(headers):
        end = headers[n + 1] if n + 1 < len(headers) else len(lines)
        section = lines[start:end]
        m = DIFF_HEADER_RE.match(section[0])
        if not m:
            problems.append(f"malformed header: {section[0]!r}")
            continue
        if not any(line.startswith("index ") for line in section[1:4]):
            problems.append(f"{m.group(2)}: missing 'index' line")
        has_hunk = any(HUNK_RE.match(line) for line in section)
        is_binary_or_mode = any(line.startswith(("Binary files", "old mode", "rename from", "deleted file mode")) for line in section)
        if not has_hunk and not is_binary_or_mode:
            problems.append(f"{m.group(2)}: no @@ hunk")
        if has_hunk:
            if not any(line.startswith("--- ") for line in section) or not any(line.startswith("+++ ") for line in section):
                problems.append(f"{m.group(2)}: missing ---/+++ lines")
            changed = [l for l in section if (l.startswith("+") and not l.startswith("+++")) or (l.startswith("-") and not l.startswith("---"))]
            if not changed:
                problems.append(f"{m.group(2)}: hunk without changed lines")
    return problems


def validate(path: Path) -> int:
    errors: list[str] = []
    rows = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            errors.append(f"line {lineno}: blank line")
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"line {lineno}: invalid JSON ({exc})")
            continue
        if not isinstance(row, dict):
            errors.append(f"line {lineno}: not a JSON object")
            continue
        rows.append((lineno, row))

    seen_ids = set()
    per_label_index: Counter = Counter()
    counts: Counter = Counter()
    seen_held_out = False
    for lineno, row in rows:
        where = f"line {lineno} ({row.get('id', '?')})"
        keys = set(row)
        if keys != FIELDS:
            missing, extra = FIELDS - keys, keys - FIELDS
            errors.append(f"{where}: fields mismatch missing={sorted(missing)} extra={sorted(extra)}")
            continue
        for key in ("id", "fold", "label", "subject", "diff", "note"):
            if not isinstance(row[key], str) or not row[key].strip():
                errors.append(f"{where}: '{key}' must be a non-empty string")
        if not ID_RE.match(row["id"]):
            errors.append(f"{where}: id must look like g001")
        if row["id"] in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(row["id"])

        label, fold = row["label"], row["fold"]
        if label not in LABELS:
            errors.append(f"{where}: label {label!r} not in {sorted(LABELS)}")
            continue
        if fold not in ALL_FOLDS:
            errors.append(f"{where}: fold {fold!r} not in {ALL_FOLDS}")
        if fold in HELD_OUT_FOLDS:
            seen_held_out = True
        else:
            if seen_held_out:
                errors.append(f"{where}: tune/test rows must come before the held-out batches")
            expected_fold = FOLDS[per_label_index[label] % 2]
            if fold != expected_fold:
                errors.append(f"{where}: fold should be {expected_fold!r} (alternating within label {label!r})")
            per_label_index[label] += 1
        counts[(label, fold)] += 1

        if "\n" in row["subject"]:
            errors.append(f"{where}: subject must be one line")
        if "\n" in row["note"]:
            errors.append(f"{where}: note must be one line")

        docs = row["documents"]
        if not isinstance(docs, list) or not all(isinstance(d, str) for d in docs):
            errors.append(f"{where}: documents must be a list of strings")
            docs = []
        if len(set(docs)) != len(docs):
            errors.append(f"{where}: duplicate documents")
        if label == "silent" and docs:
            errors.append(f"{where}: silent case must have no documents")
        if label in ("block", "advise") and not docs:
            errors.append(f"{where}: {label} case needs at least one document")
        for doc in docs:
            if doc.startswith("/") or ".." in Path(doc).parts:
                errors.append(f"{where}: document path must be seed_incidents-relative: {doc}")
            elif not (SEED / doc).is_file():
                errors.append(f"{where}: document not found under seed_incidents/: {doc}")

        for problem in check_diff(row["diff"]):
            errors.append(f"{where}: {problem}")

    total = len(rows)
    if total < MIN_CASES:
        errors.append(f"only {total} cases, expected at least {MIN_CASES}")

    print(f"{path}: {total} cases")
    for label in ("block", "advise", "silent"):
        per_fold = [counts[(label, f)] for f in ALL_FOLDS]
        cells = "  ".join(f"{f}={n:3d}" for f, n in zip(ALL_FOLDS, per_fold))
        print(f"  {label:7s} total={sum(per_fold):3d}  {cells}")
    print("  folds   " + "  ".join(f"{f}={sum(v for (l, g), v in counts.items() if g == f)}" for f in ALL_FOLDS))
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  -", e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CASES
    sys.exit(validate(target))
