"""Section-role accuracy on the labelled headings of corpus2 (tests/data/extraction/section_roles.jsonl).

Each labelled heading is given a role the way the extractor reads it: its own heading first, else
the nearest ancestor heading's, else the kind's default (a runbook section is a procedure). Two
methods are compared, per fold:

    known     the known heading names only (ingest.vocabulary.SECTION_ROLES via known_role)
    meaning   known names, then the role prototypes of ingest.roles for headings they miss

A prediction is right when the extractor's internal role is one the labelled role allows
(``ACCEPT``); roles with nothing to extract (timeline, references, impact...) accept ``skip`` or
no role. Usage: scripts/section-roles-eval [--errors tune|test]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LABELS = ROOT / "tests" / "data" / "extraction" / "section_roles.jsonl"
GOLD2 = ROOT / "tests" / "data" / "extraction" / "corpus2_gold.jsonl"

ACCEPT: dict[str, set[str]] = {
    "action_items": {"action"},
    "lessons": {"lesson"},
    "what_went_wrong": {"lesson", "factor"},
    "root_cause": {"factor"},
    "contributing_factors": {"factor"},
    "decision": {"decision", "goal"},
    "consequences": {"consequence"},
    "risks": {"consequence"},
    "mitigation": {"mitigation"},
    "resolution": {"done", "mitigation"},
    "procedure": {"mitigation", "diagnosis"},
    "alternatives": {"options"},
    # the extractor reads context like skip: neither is a source of rules
    "context": {"context", "skip", "driver", "goal", "nongoal"},
    "summary": {"summary", "context"},
    "status": {"status"},
    "prerequisites": {"prereq"},
    "diagnosis": {"diagnosis"},
}
NOTHING = {"timeline", "references", "metadata", "impact", "what_went_well", "other", "detection"}
DEFAULT = {"runbook": "mitigation"}
KIND_DIRS = {"postmortems": "postmortem", "adrs": "adr", "runbooks": "runbook"}


def _kinds() -> dict[str, str]:
    rows = [json.loads(line) for line in GOLD2.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["path"]: r["kind"] for r in rows}


def right(label: str, predicted: str | None) -> bool:
    if label in NOTHING:
        return predicted in (None, "skip")
    return predicted in ACCEPT.get(label, set())


def predict(rows: list[dict], own: Callable[[str, str], str | None]) -> list[str | None]:
    """Role per labelled heading: its own, else the nearest ancestor's, else the kind default."""
    kinds = _kinds()
    out: list[str | None] = []
    stack: list[tuple[int, str | None]] = []
    last = None
    for r in rows:
        if r["path"] != last:
            stack, last = [], r["path"]
        kind = kinds.get(r["path"]) or KIND_DIRS.get(r["path"].split("/")[0], "postmortem")
        mine = own(r["heading"], kind)
        while stack and stack[-1][0] >= r["level"]:
            stack.pop()
        pred = mine or next((p for _, p in reversed(stack) if p is not None), None) or DEFAULT.get(kind)
        stack.append((r["level"], mine))
        out.append(pred)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--errors", choices=("tune", "test"), help="list the wrong headings of a fold")
    args = ap.parse_args(argv)

    from ingest.extract import known_role
    from ingest.roles import EXTRACTION_ROLE, role_by_meaning

    def by_meaning(heading: str, kind: str) -> str | None:
        known = known_role(heading, kind)
        if known is not None:
            return known
        role = role_by_meaning(heading, kind)
        if role == "resolution" and kind == "postmortem":
            return "done"
        return EXTRACTION_ROLE.get(role) if role else None

    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    methods = {"known": predict(rows, known_role), "meaning": predict(rows, by_meaning)}
    lines = [
        f"Section roles: {len(rows)} labelled headings",
        f"{'fold':<6} {'n':>4} " + " ".join(f"{m:>8}" for m in methods),
    ]
    for fold in ("tune", "test"):
        idx = [i for i, r in enumerate(rows) if r["fold"] == fold]
        accs = [sum(right(rows[i]["role"], preds[i]) for i in idx) / len(idx) for preds in methods.values()]
        lines.append(f"{fold:<6} {len(idx):>4} " + " ".join(f"{a:>8.3f}" for a in accs))
    per_role: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for i, r in enumerate(rows):
        if r["fold"] == "test":
            per_role[r["role"]][0] += 1
            per_role[r["role"]][1] += right(r["role"], methods["known"][i])
            per_role[r["role"]][2] += right(r["role"], methods["meaning"][i])
    lines += ["", "test fold per role: n, right (known), right (meaning)"]
    for role, (n, k, m) in sorted(per_role.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"  {role:<22} {n:>4} {k:>5} {m:>5}")
    if args.errors:
        lines += ["", f"wrong on {args.errors} (meaning): label / predicted / heading"]
        for i, r in enumerate(rows):
            if r["fold"] == args.errors and not right(r["role"], methods["meaning"][i]):
                lines.append(f"  {r['role']:<20} {methods['meaning'][i]!s:<12} {r['heading'][:70]}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
