"""An incident-process page in a postmortem folder read as a runbook, and a procedural runbook's
"Note -" items (twentieth extraction round). Inputs are small documents of our own."""

from __future__ import annotations

from ingest.extract.notes import note_acceptance, note_instruction
from ingest.extract.process_page import reading_kind
from ingest.parser import parse_document

PROCESS = """# Incident Process

## 1. Declare the incident

Post a message into the #payments-ops channel, following this format: `I am declaring an incident.`

## 2. Assign roles

The two roles which must be filled for every incident are the Incident Lead and the Scribe.
"""

HANDOVER = """# Handover guide

## Before the last day

* Revoke the leaver's VPN certificate.
* Note - It is no longer possible to move a leaver's dashboards after their account closes
  please export any dashboards to the shared folder before they leave.
* Note - If the leaver owns any cron jobs, these will need to be handed to someone else in the team.
* Note - this page is reviewed every quarter.
"""


def _records(text: str, path: str) -> list[str]:
    d = parse_document(text, path=path, sha256="0" * 64)
    return [c.statement for c in d.constraints]


def test_a_process_title_is_read_as_a_runbook_and_an_incident_is_not() -> None:
    assert reading_kind("postmortem", "Incident Process") == "runbook"
    assert reading_kind("postmortem", "Payments incident response policy") == "runbook"
    assert reading_kind("postmortem", "Incident on 2024-03-02 - Queue backlog") == "postmortem"
    assert reading_kind("postmortem", "How our incident process failed us") == "postmortem"
    assert reading_kind("adr", "Incident Process") == "adr"


def test_the_process_page_keeps_its_steps_and_its_rule() -> None:
    d = parse_document(PROCESS, path="postmortems/x/incident-process.md", sha256="0" * 64)
    assert d.kind == "postmortem"  # the records keep the document's kind
    got = [c.statement for c in d.constraints]
    assert any(s.startswith("Post a message into the #payments-ops channel") for s in got)
    rule = "The two roles which must be filled for every incident are the Incident Lead and the Scribe."
    assert rule in got


def test_note_items_keep_their_rule_and_their_instruction() -> None:
    note = " ".join(line.strip() for line in HANDOVER.splitlines()[5:7])[2:]
    assert note_acceptance(note, "imperative") == "all"
    assert note_acceptance("Revoke the leaver's VPN certificate.", "imperative") == "imperative"
    assert note_instruction(note) == (
        "Export any dashboards to the shared folder before they leave: it is no longer possible to move"
        " a leaver's dashboards after their account closes."
    )
    got = _records(HANDOVER, "runbooks/x/handover.md")
    assert note_instruction(note) in got
    rule = "If the leaver owns any cron jobs, these will need to be handed to someone else in the team."
    assert rule in got
    assert not any("reviewed every quarter" in s for s in got)  # a note with no rule stays out


SHORT_REPAIR = """# Incident on 2024-03-02 - Queue consumer is crashlooping

- **Impact**:
  - No users reported issues.

- **Resolution**:
  - Consumer restarted.
"""


def test_a_one_line_repair_is_joined_to_the_failure_the_title_names() -> None:
    got = _records(SHORT_REPAIR, "postmortems/x/incidents/2024-03-02.md")
    assert got and got[0].startswith("When queue consumer is crashlooping, restart the consumer")
