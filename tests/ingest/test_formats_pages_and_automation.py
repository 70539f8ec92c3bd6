"""Text laid out in pages (PDF to text), chat cheat sheets in plain text, YAML automation runbooks,
and the ADR and courtesy rules that came with them (round twenty-seven)."""

from __future__ import annotations

import pytest

from ingest import record_types
from ingest.extract.courtesy import is_courtesy
from ingest.formats import automation_yaml, detect, pdf_text, plain_text, sources
from ingest.loader import parse_file
from ingest.parser import DocumentDraft

PDF_TEXT = """\
                                              Acme Cloud, Inc.
                                              Customer Report

1. EXECUTIVE SUMMARY

The cause was a con-
figuration change to the gateway.


Acme Cloud, Inc. - Confidential                          Page 1 of 2
-----------------------------------------------------------------------
                                              Customer Report

2. PREVENTIVE ACTIONS

  Action                                          Target Date  Status
  ----------------------------------------------  -----------  -----------
  All changes to the gateway must pass the          Oct 2026   Complete
  canary stage before wider rollout.

  Add a fast rollback path for the trust            Q1 2027    Planned
  bundle.


7. CONTACT

Acme Cloud, Inc. - Confidential                          Page 2 of 2
"""


def test_pdf_text_furniture_hyphens_and_column_tables() -> None:
    lines = plain_text.to_markdown(PDF_TEXT).split("\n")
    assert len(lines) == len(PDF_TEXT.split("\n"))  # each line stays on its line
    assert lines[3] == "## Executive summary"  # a numbered section in capitals
    assert lines[5:7] == ["The cause was a configuration", "change to the gateway."]  # joined word
    assert lines[9] == lines[10] == lines[11] == ""  # footer, page rule, running header
    assert lines[13] == "## Preventive actions"
    assert lines[15] == lines[16] == ""  # the table's header and rule
    assert lines[17:19] == [
        "- All changes to the gateway must pass the",
        "  canary stage before wider rollout. — Complete",
    ]
    assert lines[20:22] == ["- Add a fast rollback path for the trust", "  bundle. — Planned"]
    assert lines[24] == "## Contact"  # one word in capitals is a section when numbered


def test_text_without_pages_keeps_its_hyphens_and_repeated_lines() -> None:
    text = "Notes\n\nWe use a pre-\nrelease build.\nSee you\n\nSee you\n"
    assert not pdf_text.is_pdf_text(text.split("\n"))
    assert pdf_text.clean(text.split("\n")) == text.split("\n")


def test_pdf_report_preventive_actions_are_follow_ups_with_their_state() -> None:
    [(_, draft)] = parse_file("postmortems/rca.txt", PDF_TEXT.encode())
    assert isinstance(draft, DocumentDraft)
    by_start = {c.line_start: c for c in draft.constraints}
    assert by_start[21].record_type == "follow_up" and by_start[21].state == "open"
    assert by_start[21].statement == "Add a fast rollback path for the trust bundle."
    assert by_start[18].record_type == "constraint"  # a rule in the action table stays a rule


CHEAT_SHEET = """\
:pushpin: Pinned by Ana in #search-oncall

*1. Cluster RED*
• Never use `allocate_empty_primary` on a listings index. Page the secondary instead.
• Only swap the `listings` alias with one atomic `_aliases` call

*Escalate:*
• Page the search secondary out of hours.
"""


def test_chat_cheat_sheet_bold_lines_are_sections_and_bullets_items() -> None:
    assert detect("cheatsheet.txt", CHEAT_SHEET.encode()) == "text"  # not reStructuredText
    lines = plain_text.to_markdown(CHEAT_SHEET).split("\n")
    assert ":pushpin:" not in lines[0]  # the emoji code dropped
    assert lines[2] == "## Cluster RED" and lines[6] == "## Escalate"
    assert lines[3].startswith("- Never use") and lines[7].startswith("- Page the")


SSM = """\
schemaVersion: '0.3'
description: |-
  **Drill** (owner: Data Platform)

  Never run this document against a critical instance during business hours.
parameters:
  InstanceId:
    type: String
    description: (Required) The instance to fail over. Must be Multi-AZ.
mainSteps:
  - name: Snapshot
    action: aws:executeAwsApi
    description: Takes a manual snapshot before the failover so that a fault can be recovered.
    inputs:
      Api: CreateDBSnapshot
  - name: Verify
    action: aws:executeScript
    description: |-
      Polls the health check for up to 5 minutes.
      If it has not recovered, page the owning team.
    inputs:
      Script: |-
        def poll(events, context):
            return {"description": "not prose"}
"""


def test_automation_yaml_keeps_its_prose_fields_on_their_lines() -> None:
    lines = automation_yaml.to_markdown(SSM).split("\n")
    assert len(lines) == len(SSM.split("\n"))
    assert lines[2] == "**Drill** (owner: Data Platform)"
    assert lines[4].startswith("Never run this document")
    assert lines[8] == ""  # a parameter's description is input documentation
    assert lines[9] == "## Steps"
    assert lines[12] == "- Take a manual snapshot before the failover so that a fault can be recovered."
    assert lines[18:20] == [
        "- Poll the health check for up to 5 minutes.",
        "  If it has not recovered, page the owning team.",
    ]
    assert not any("not prose" in line for line in lines)


def test_yaml_is_a_document_only_in_a_known_shape() -> None:
    [doc] = sources("runbooks/drill.yaml", SSM.encode(), max_bytes=1_000_000)
    assert doc.format == "ssm-automation"
    [ci] = sources(
        ".github/workflows/ci.yml", b"on: push\njobs:\n  test:\n    runs-on: ubuntu\n", max_bytes=10_000
    )
    assert ci.format == "" and ci.skip.startswith("YAML of no known document shape")
    [broken] = sources("x.yaml", b"a: [unclosed\n", max_bytes=10_000)
    assert broken.skip


@pytest.mark.parametrize(
    ("line", "courtesy"),
    [
        ("Acme sincerely apologizes for the disruption this caused to your operations.", True),
        ("For questions about this report, please contact your account manager.", True),
        ("Thank you for your patience while we worked on this.", True),
        ("Contact the vendor before removing a certificate from the bundle.", False),
        ("Tell customers what broke and when it was fixed.", False),
    ],
)
def test_courtesy_lines(line: str, courtesy: bool) -> None:
    assert is_courtesy(line) is courtesy


@pytest.mark.parametrize(
    ("raw", "heading", "expected"),
    [
        ("4. ⏳ Rewrite backlog alerts on the new metric.", "ADR-031 > What we roll out", "follow_up"),
        ("1. ✅ Build the dispatcher and the backlog metric.", "ADR-031 > Migration", "follow_up"),
        ("- Build the dispatcher and the backlog metric.", "ADR-031 > What changes", "decision"),
    ],
)
def test_adr_items_with_a_state_are_follow_ups(raw: str, heading: str, expected: str) -> None:
    stmt = raw.split(" ", 2)[-1]
    got, _ = record_types.record_type(
        stmt, role="action", kind="adr", section=heading, tracked=record_types.is_tracked(raw)
    )
    assert got == expected
    if expected == "follow_up" and "⏳" in raw:
        assert record_types.follow_up_state(raw, role="action")[0] == "open"


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("Still slow after 15 min → page secondary", "If still slow after 15 min, page secondary"),
        ("Disk full? → see 3. Node gone? → wait 5 min", "Disk full? → see 3. If node gone, wait 5 min"),
        ("mostly `cart` → go to *Mitigate C*", "mostly `cart` → go to *Mitigate C*"),  # a pointer, no step
        ("Alert → Triage → Mitigate", "Alert → Triage → Mitigate"),  # a sequence of names
        ("If the login is anomalous → investigate first", "If the login is anomalous, investigate first"),
    ],
)
def test_arrow_steps(step: str, expected: str) -> None:
    from ingest.extract.arrows import arrow_steps

    assert arrow_steps(step) == expected


def test_a_todo_note_in_a_runbook_is_an_open_follow_up() -> None:
    text = (
        "# Runbook: redrive the queue\n\n## Wrap up\n\n- Confirm the DLQ count is 0.\n\n---\n"
        "*TODO (Billing Platform): move the CustomerNotFound check into the consumer so these retry"
        " by themselves.*\n"
    )
    [(_, draft)] = parse_file("runbooks/redrive.md", text.encode())
    assert isinstance(draft, DocumentDraft)
    todo = next(c for c in draft.constraints if "CustomerNotFound" in c.statement)
    assert todo.statement.startswith("Move the CustomerNotFound check")
    assert (todo.record_type, todo.state) == ("follow_up", "open")
    step = next(c for c in draft.constraints if "DLQ count" in c.statement)
    assert step.record_type == "procedure"
