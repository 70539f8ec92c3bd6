"""Section roles by meaning: headings no known name covers still land on their role."""

from __future__ import annotations

import pytest

from ingest.extract import block_role, role_of
from ingest.parser import parse_document
from ingest.roles import role_by_meaning


@pytest.mark.parametrize(
    ("heading", "kind", "role"),
    [
        ("Corrective measures", "postmortem", "action_items"),
        ("Future actions", "postmortem", "action_items"),
        ("What we'll do differently", "postmortem", "action_items"),
        ("Resolution and recovery", "postmortem", "resolution"),
        ("Retrospective notes", "postmortem", "lessons"),
        ("Lack of auditing", "postmortem", "root_cause"),
        ("Negative", "adr", "consequences"),
        ("Alternative approaches", "adr", "alternatives"),
        ("Checking the operator pod log", "runbook", "diagnosis"),
        ("11:19 AM", "postmortem", "timeline"),
        ("Actionables", "postmortem", "action_items"),  # an adjective ending: "actionable" -> "action"
        ("Preventive actions", "postmortem", "action_items"),
        ("Rollout", "adr", "action_items"),  # a design doc's rollout steps are work to do
        ("Migration plan", "adr", "action_items"),
    ],
)
def test_role_by_meaning(heading: str, kind: str, role: str) -> None:
    assert role_by_meaning(heading, kind) == role


def test_stems_meet_across_plural_adjective_and_noun() -> None:
    from ingest.roles import stem

    assert stem("actionables") == stem("actionable") == stem("actions") == "act"
    assert stem("tables") == stem("table") == "tabl"  # too short to lose "-able"


def test_unclear_headings_have_no_role() -> None:
    assert role_by_meaning("Sentry", "adr") is None
    assert role_by_meaning("Bitcoin Core 0.8.1", "postmortem") is None


def test_known_names_win_and_meaning_only_adds_lesson_sections() -> None:
    assert role_of("Action items", "postmortem") == "action"
    assert role_of("Corrective measures", "postmortem") == "action"
    assert role_of("Problem tasks", "postmortem") == "action"  # ServiceNow's follow-ups
    assert role_of("Problem statement", "adr") == "context"
    # meaning never silences a section: a "summary"-like unknown heading stays neutral
    assert role_of("Short account", "postmortem", meaning=True) is None


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("What is being done", "action"),  # security notices and status posts
        ("What should users do?", "action"),
        ("What do I need to do?", "action"),
        ("What has been done", "done"),
        ("How we fixed it", "done"),
        ("What didn't go so well", "lesson"),
        ("Problems encountered", "lesson"),
        ("Problem statement", "context"),
    ],
)
def test_notice_headings(heading: str, expected: str) -> None:
    assert role_of(heading.lower(), "postmortem") == expected


@pytest.mark.parametrize(
    ("heading", "kind", "expected"),
    [
        ("Proposed design", "adr", "decision"),
        ("Outcome", "adr", "decision"),
        ("Design details", "adr", None),  # read for rules, no longer skipped
        ("Technical details", "postmortem", "skip"),
        ("How to investigate", "runbook", "diagnosis"),
    ],
)
def test_template_headings(heading: str, kind: str, expected: str | None) -> None:
    assert role_of(heading.lower(), kind) == expected


def test_known_parent_name_beats_child_meaning() -> None:
    text = "# ADR 3: Pick a queue\n\n## Considered options\n\n### Cons\n\n- Costs more to run the cluster.\n"
    doc = parse_document(text, path="adrs/x/0003-queue.md", sha256="x")
    assert not any("costs more" in c.statement for c in doc.constraints)
    assert callable(block_role)


def test_corrective_measures_are_extracted_with_types_and_state() -> None:
    text = """# Incident: payments down

## Summary

The payments API was down for an hour.

## Corrective measures

- [x] Add an alert on the payments error rate
- Never deploy the payments API on Fridays
- [ ] Investigate why the canary did not catch the bad release
"""
    doc = parse_document(text, path="postmortems/x/2024-01-01-payments.md", sha256="x")
    got = {c.statement: (c.record_type, c.state) for c in doc.constraints}
    assert got["Add an alert on the payments error rate."] == ("follow_up", "done")
    assert got["Never deploy the payments API on Fridays."] == ("constraint", None)
    assert got["Investigate why the canary did not catch the bad release."] == ("follow_up", "open")
    never = next(c for c in doc.constraints if c.statement.startswith("Never"))
    assert never.severity == "high" and "role.action" in never.rules


def test_narrative_postmortem_keeps_a_record() -> None:
    text = """# Disclosure of a denial-of-service bug

A node would log every invalid block it received, so peers could fill its disk.

## Details

Users should upgrade to version 29.1, which rate-limits log output.
"""
    doc = parse_document(text, path="postmortems/x/2025-10-24-disclose.md", sha256="x")
    assert doc.kind == "postmortem"
    assert doc.constraints
    assert any("upgrade" in c.statement.lower() for c in doc.constraints)
