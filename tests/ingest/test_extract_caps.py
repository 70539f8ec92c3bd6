"""Caps on how many records a runbook gives: per section and per document."""

from __future__ import annotations

from ingest.extract.candidate import Candidate
from ingest.extract.finalize import DOCUMENT_CAP, SECTION_CAP, cap_sections


def _step(n: int, section: str, *, rule: bool = False) -> Candidate:
    text = (
        f"Never restore backup {n} over the primary database without taking a fresh snapshot first."
        if rule
        else f"Click the button number {n}."
    )
    return Candidate(text, section, "procedure", n, n, "item")


def test_a_long_playbook_keeps_its_most_lesson_like_statements() -> None:
    cap = DOCUMENT_CAP["runbook"]
    per = SECTION_CAP["runbook"]
    cands = []
    for s in range(cap // per + 3):  # more full sections than the document cap allows
        cands += [_step(s * 100 + i, f"Part {s}") for i in range(per - 1)]
        cands.append(_step(s * 100 + 99, f"Part {s}", rule=True))
    out = cap_sections(cands, "runbook")
    assert len(out) == cap
    rules = [c for c in cands if c.statement.startswith("Never")]
    assert all(any(c is r for c in out) for r in rules)  # no rule lost to clicks
    assert [c.line_start for c in out] == sorted(c.line_start for c in out)  # document order


def test_postmortems_and_short_runbooks_are_not_capped() -> None:
    cands = [_step(i, f"Part {i}") for i in range(DOCUMENT_CAP["runbook"] + 5)]
    assert len(cap_sections(cands, "postmortem")) == len(cands)
    assert len(cap_sections(cands[: DOCUMENT_CAP["runbook"]], "runbook")) == DOCUMENT_CAP["runbook"]
