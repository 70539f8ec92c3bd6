"""Caps on how many records a runbook gives: per section and per document."""

from __future__ import annotations

from ingest.extract.candidate import Candidate
from ingest.extract.finalize import DOCUMENT_CAP, SECTION_CAP, cap_sections, lesson_weight


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


def _check(n: int, section: str) -> Candidate:
    # weight 3: an imperative of ten words or more, with no rule word
    return Candidate(
        f"Check the replication lag of database replica number {n} on the dashboard.",
        section,
        "",
        n,
        n,
        "item",
    )


def test_the_document_cap_keeps_the_best_statement_of_every_section() -> None:
    # cap.section-spread: one long checklist of heavier steps does not crowd out the one step of
    # each other section (a playbook's lessons sit one or two to a section)
    cap = DOCUMENT_CAP["runbook"]
    per = SECTION_CAP["runbook"]
    cands = []
    for s in range(cap // per + 2):  # heavy full sections that alone would fill the document cap
        cands += [_step(s * 100 + i, f"Heavy {s}", rule=True) for i in range(per)]
    lone = [_check(5000 + i, f"Lone {i}") for i in range(4)]  # lighter, one to a section
    out = cap_sections(cands + lone, "runbook")
    assert len(out) == cap
    assert all(any(c is x for c in out) for x in lone)
    heavy = {c.section for c in cands}
    assert heavy <= {c.section for c in out}  # every heavy section still keeps its best
    # without the spread a cap by weight alone would keep only heavy steps
    assert sorted(cands + lone, key=lambda c: -lesson_weight(c))[cap - 1] in cands


def test_a_playbook_of_more_sections_than_the_cap_keeps_one_statement_of_each() -> None:
    cap = DOCUMENT_CAP["runbook"]
    cands = []
    for s in range(cap + 5):
        cands += [_check(s * 10 + i, f"Step {s}") for i in range(3)]
    out = cap_sections(cands, "runbook")
    assert len(out) == cap + 5
    assert len({c.section for c in out}) == cap + 5
