"""A runbook's run of short steps as one procedure (nineteenth extraction round).

"Create a new access token", "Run the docker login command provided", "Copy the generated config
to the parameter store": a list of short steps in one section is one procedure to a reader, who
carries forward how the task is done, not each click. Three or more consecutive list-item steps of
one section, each a short instruction with no rule in it, are folded into one statement; a step
that states a rule ("never", "before", "unless") stays a record of its own and ends the run.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate
from ingest.extract.finalize import _RULE_SIGNAL
from ingest.extract.patterns import MAX_WORDS
from ingest.extract.text import is_imperative
from ingest.extract.words import word_count

STEP_MAX_WORDS = 12  # a longer step says more than how; it keeps its own record
MIN_RUN = 3  # two steps are left as they are
_STEP_ROLES = frozenset({"", "none", "mitigation", "prereq"})
# "Check X when the alert fires" lines are merged by merge_checks; a condition opens a case of its own
_CASE_LEAD = re.compile(r"^(?:if|when|whenever|once|in case|otherwise|check|verify|confirm)\b", re.I)


def _is_short_step(c: Candidate) -> bool:
    s = c.statement.strip()
    return (
        c.source == "item"
        and c.role in _STEP_ROLES
        and not c.warning
        and word_count(s) <= STEP_MAX_WORDS
        and is_imperative(s)
        and not _CASE_LEAD.match(s)
        and not _RULE_SIGNAL.search(s)
    )


def _fold(run: list[Candidate]) -> Candidate:
    parts = [c.statement.strip().rstrip(".") for c in run]
    parts = [parts[0]] + [p[0].lower() + p[1:] if p[1:2].islower() else p for p in parts[1:]]
    stmt = ", ".join(parts[:-1]) + " and " + parts[-1] + "."
    first = run[0]
    spans = [s for c in run for s in c.code_spans]
    return Candidate(stmt, first.section, first.role, first.line_start, run[-1].line_end, "item", spans)


def fold_short_steps(cands: list[Candidate], kind: str) -> list[Candidate]:
    """Fold each run of ``MIN_RUN``+ short steps of one runbook section into one statement."""
    if kind != "runbook":
        return cands
    out: list[Candidate] = []
    run: list[Candidate] = []

    def flush() -> None:
        if len(run) >= MIN_RUN:
            out.append(_fold(run))
        else:
            out.extend(run)
        run.clear()

    for c in cands:
        if not _is_short_step(c):
            flush()
            out.append(c)
            continue
        words = sum(word_count(r.statement) for r in run) + word_count(c.statement)
        if run and (run[0].section != c.section or words > MAX_WORDS):
            flush()
        run.append(c)
    flush()
    return out
