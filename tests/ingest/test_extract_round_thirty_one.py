# ruff: noqa: E501  (Markdown tables are one line a row)
"""Round thirty-one: status tables and runbook case tables, lesson columns named by what the team
takes from a row, numbered lessons told as facts, pattern-form and PEP-style ADR headings."""

from __future__ import annotations

from ingest.extract import clean_text, is_rule_like, role_of
from ingest.extract.fact_lessons import fact_lesson_candidates
from ingest.parser import parse_document
from ingest.record_types import follow_up_state
from ingest.sections import build_outline


def _records(text: str, path: str) -> list[tuple[str, str, str | None]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type, c.state) for c in doc.constraints]


def _statements(text: str, path: str) -> list[str]:
    return [s for s, _, _ in _records(text, path)]


MATRIX = """\
# Render farm triage matrix

Read the row that matches what you see.

## Matrix

| # | Symptom | First check | Action | Do not |
|---|---|---|---|---|
| 1 | Jobs fail with exit 137 | `kubectl top pods` for the failing profile | Move the profile to the highmem pool. | Do not raise memory limits on the default pool; it starves the others. |
| 2 | GPU nodes NotReady | `nvidia-smi` on the node | Cordon and drain the node. | Never reboot more than two GPU nodes at once. |

## Matrix backlog

| Item | Status |
|---|---|
| Row for packaging failures caused by key server timeouts | drafting |
| Make the retry command refuse a full retry without confirmation | shipped 2026-11 |
"""


def test_case_table_gives_steps_with_their_case_and_do_not_rules() -> None:
    got = _records(MATRIX, "runbooks/render-triage.md")
    steps = [s for s, t, _ in got if t == "procedure"]
    assert any(s.startswith("If jobs fail with exit 137, check kubectl top pods") for s in steps)
    assert any("move the profile to the highmem pool" in s for s in steps)
    rules = [s for s, t, _ in got if t == "constraint"]
    assert "Never reboot more than two GPU nodes at once." in rules
    assert any(s.startswith("Do not raise memory limits on the default pool") for s in rules)


def test_status_table_rows_are_follow_ups_with_their_state() -> None:
    got = {s: (t, st) for s, t, st in _records(MATRIX, "runbooks/render-triage.md")}
    assert got["Row for packaging failures caused by key server timeouts."] == ("follow_up", "open")
    assert got["Make the retry command refuse a full retry without confirmation."] == ("follow_up", "done")


def test_escalation_and_service_state_tables_give_no_rows() -> None:
    """Look-alikes: whom to call is no step, and a service's state is no work state."""
    doc = """\
# Security triage

## Escalation

| Situation | Action | How |
|---|---|---|
| Need forensic assistance | AWS Support | Open a support case |

## Services

| Service | Status |
|---|---|
| Payment gateway in the primary region | degraded |
"""
    got = _statements(doc, "runbooks/security-triage.md")
    assert not any("AWS Support" in s or "Payment gateway" in s for s in got)


def test_done_state_cell_with_its_date() -> None:
    assert (
        follow_up_state("| Input age gate in the run launcher | in production since 6 Nov |", role="task")[0]
        == "done"
    )
    assert (
        follow_up_state("| Comms kit text for outages | drafted, needs legal review |", role="task")[0]
        == "open"
    )


FISHBONE = """\
# Cause analysis: freezer thaw

## Cause map

| Bone | Contributing cause | What we take from it |
|---|---|---|
| Method | Firmware scheduled by vendor plan | Firmware on anything that can raise a food-safety alarm goes through site change control. |
| Machine | Fan trip relay has no alarm contact | — |
"""


def test_lesson_column_named_by_what_the_team_takes_is_a_lesson() -> None:
    got = _records(FISHBONE, "postmortems/freezer-thaw.md")
    assert (
        "Firmware on anything that can raise a food-safety alarm goes through site change control.",
        "constraint",
        None,
    ) in got
    assert not any("Fan trip relay" in s for s, _, _ in got)


FACTS = """\
# Stale boundary data

## Timeline

- 05:10 fetch job fails.

## What stays true

We write these down as facts about how the system works from now on.

1. Every input file of a production run carries its own valid time, and a run does not start when
   any input is more than nine hours older than the run time.
2. Running and publishing are two steps. A run that has not passed the scorecard stays internal.
3. The input check was only looking at the trigger file.
"""


def test_numbered_lessons_told_as_facts_are_kept() -> None:
    got = _statements(FACTS, "postmortems/stale-boundary.md")
    assert any(s.startswith("Every input file of a production run carries its own valid time") for s in got)
    assert any(s.startswith("Running and publishing are two steps. A run that has not passed") for s in got)
    assert not any("trigger file" in s for s in got)  # the past: the story, not a fact that holds


def test_bulleted_lessons_need_a_lead_naming_rules() -> None:
    callout = """\
# Ledger replay

## What stays with us

> [!important] Rules
> - Postings are deduplicated on the business key and never on a transport position.
> - An idempotency window is at least as long as the longest replay the topic can deliver.
"""
    got = _statements(callout, "postmortems/ledger-replay.md")
    assert any(s.startswith("An idempotency window is at least as long") for s in got)
    plain = callout.replace("> [!important] Rules\n", "")
    outline = build_outline(plain, offset=0, original_lines=plain.split("\n"), title_hint="Ledger replay")
    assert fact_lesson_candidates(outline, "postmortem", "Ledger replay") == []
    outline = build_outline(callout, offset=0, original_lines=callout.split("\n"), title_hint="Ledger replay")
    assert len(fact_lesson_candidates(outline, "postmortem", "Ledger replay")) == 2


def test_pattern_form_and_pep_headings_have_roles() -> None:
    assert role_of("Therefore", "adr") == "decision"
    assert role_of("Resulting context", "adr") == "consequence"
    assert role_of("Context", "adr") != "consequence"
    assert role_of("Forces", "adr") == "context"
    assert role_of("Specification", "adr") == "decision"
    assert role_of("Rejected Ideas", "adr") == "options"
    assert role_of("Reference Implementation", "adr") == "action"


def test_never_with_a_participle_is_a_rule() -> None:
    assert is_rule_like("Field numbers are never reused and never renumbered.")
    assert not is_rule_like("The alert was never fired during the incident.")


def test_state_after_a_colon_is_dropped_but_a_step_is_not() -> None:
    assert clean_text("Registry content sniffing: merged (MR 2211), active in warn mode.") == (
        "Registry content sniffing"
    )
    assert clean_text("Dashboard: open the Grafana panel for the queue") == (
        "Dashboard: open the Grafana panel for the queue"
    )
