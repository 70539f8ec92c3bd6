"""Round thirty-two: the public "what went wrong and why" review's questions as headings (what the
team is changing, what customers can do), its labelled "Completed:" items."""

from __future__ import annotations

from ingest.extract import role_of
from ingest.parser import parse_document
from ingest.record_types import follow_up_state, record_type


def _records(text: str, path: str) -> list[tuple[str, str, str | None]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type, c.state) for c in doc.constraints]


REVIEW = """\
# Post Incident Review – Queue service – errors in West 3

## What happened?

Between 10:00 and 11:00 UTC some customers received errors when sending messages.

## How are we making incidents like this less likely or less impactful?

- **Completed:** Certificate renewals now follow the same bake time as code changes.
- **In progress:** Brokers will reload their certificates without a restart (estimated completion: May).

## How can customers make incidents like this less impactful?

- Use paired namespaces and test failover at least twice a year.
"""


def test_what_we_are_changing_heading_holds_follow_ups() -> None:
    assert role_of("How are we making incidents like this less likely or less impactful?", "postmortem") == (
        "action"
    )
    assert role_of("How will we make outages like this less frequent?", "postmortem") == "action"
    # look-alikes: a question about what happened, and one about making something else
    assert role_of("How did we respond?", "postmortem") != "action"
    assert role_of("How are we making the service faster?", "postmortem") != "action"


def test_review_items_are_follow_ups_with_their_labelled_state() -> None:
    got = {s: (t, st) for s, t, st in _records(REVIEW, "postmortems/review.md")}
    done = [k for k, v in got.items() if v == ("follow_up", "done")]
    assert any(k.startswith("Certificate renewals now follow") for k in done)
    assert any(k.startswith("Brokers will reload") and v == ("follow_up", "open") for k, v in got.items())


def test_completed_label_marks_done_only_as_a_leading_label() -> None:
    assert follow_up_state("**Completed:** Move the check to day 0.", role="action")[0] == "done"
    assert follow_up_state("- Shipped: retry budget per client", role="action")[0] == "done"
    # look-alikes: the word inside the item, or with no colon, says nothing of the item's state
    assert follow_up_state("Alert when the export completed: no rows.", role="action")[0] == "open"
    assert follow_up_state("Completed jobs are archived after a week.", role="action")[0] == "open"


def test_customer_question_heading_gives_steps_for_the_reader() -> None:
    section = "Review > How can customers make incidents like this less impactful?"
    got = record_type(
        "Use paired namespaces and test failover twice a year.", role="", kind="postmortem", section=section
    )
    assert got[0] == "procedure"
    # look-alike: the same item under a team's lessons stays as it was typed before
    other = record_type(
        "Use paired namespaces and test failover twice a year.",
        role="lesson",
        kind="postmortem",
        section="Review > Lessons",
    )
    assert other[0] != "procedure" or other[1] != ["type.reader-section"]


def _runbook(s: str, role: str = "mitigation", source: str = "item") -> str:
    return record_type(s, role=role, kind="runbook", source=source, section="Runbook > Mitigation")[0]


def test_runbook_step_whose_only_rule_word_is_its_order_is_a_procedure() -> None:
    assert _runbook(
        "Start the NFS server and wait 90 seconds for the grace period before judging clients."
    ) == ("procedure")
    assert (
        _runbook(
            "For Kafka pods, tell the owning team before the pod comes back: "
            "they may hold it out until it caught up."
        )
        == "procedure"
    )
    assert _runbook("Check the worker logs for the task ID before acting.", role="diagnosis") == "procedure"


def test_runbook_rules_with_order_words_stay_constraints() -> None:
    assert _runbook("Never restart a broker before the resync has finished.") == "constraint"
    assert _runbook("Drain only one node per zone before patching.") == "constraint"
    assert _runbook("Take a snapshot before every failover.") == "constraint"
    assert _runbook("Leave the generator paused until the bad change is reverted.") == "constraint"
    assert _runbook("Confirm with the owner before dropping the slot; the consumer must resnapshot.") == (
        "constraint"
    )
    # the same wording outside a mitigation or diagnosis keeps its old type
    assert _runbook("Tell the owning team before the pod comes back.", role="prereq") == "constraint"


DESIGN_DOC = """\
# Design doc: Offline edit conflicts in the field app

## Context and scope

Inspectors edit forms offline; today the last record synced wins.

## Design

The sync service merges per field, not per record: fields changed on one side only are taken as they are.

## Cross-cutting concerns

*Observability.* The sync service reports the number of open conflicts per area; more than 20
open raise a ticket.
"""


def test_design_doc_design_and_cross_cutting_concerns_are_read_as_the_decision() -> None:
    assert role_of("Design", "adr") == "decision"
    assert role_of("Detailed design", "adr") == "decision"
    assert role_of("Cross-cutting concerns", "adr") == "decision"
    got = [s for s, _, _ in _records(DESIGN_DOC, "adrs/offline-conflicts.md")]
    assert any("merge per field" in s for s in got)
    assert any("open conflicts per area" in s for s in got)
    # look-alikes: "Design details" keeps its reading, and a postmortem's "Design" is not a decision
    assert role_of("Design details", "adr") is None
    assert role_of("Design", "postmortem") != "decision"


def test_cross_cutting_concerns_are_rules_and_the_design_its_decision() -> None:
    section = "Design doc > Cross-cutting concerns"
    got = record_type(
        "Use the server receive time for ordering.", role="decision", kind="adr", section=section
    )
    assert got[0] == "constraint"
    # look-alike: the same wording under the design itself stays the decision
    design = record_type(
        "Use the server receive time for ordering.",
        role="decision",
        kind="adr",
        section="Design doc > Design",
    )
    assert design[0] == "decision"
