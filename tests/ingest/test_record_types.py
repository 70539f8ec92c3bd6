"""Record types and follow-up states of parsed documents (issue 15): the section and the wording decide."""

from __future__ import annotations

from ingest.parser import parse_document
from ingest.record_types import record_type
from kb.records import ConstraintDraft


def records(text: str, path: str) -> dict[str, ConstraintDraft]:
    doc = parse_document(text, path=path, sha256="f" * 64)
    return {c.statement: c for c in doc.constraints}


def find(recs: dict[str, ConstraintDraft], words: str) -> ConstraintDraft:
    hits = [c for s, c in recs.items() if words in s]
    assert len(hits) == 1, f"{words!r} in {list(recs)}"
    return hits[0]


NOTICE = """# TLS library vulnerability in the desktop client

A vulnerability in the bundled TLS library lets a remote server read process memory.

## What you should do

- Upgrade the desktop client to version 2.4 at once, since it links the fixed library.
- If you run the mobile client, upgrade the app to at least version 1.7.

## Action items

- Investigate why the dependency scanner did not flag the library.
- Never ship a release that bundles a library with a known critical CVE.
"""


def test_steps_for_the_reader_are_procedures_and_the_teams_items_are_not() -> None:
    recs = records(NOTICE, "postmortems/client/2024-04-tls-library.md")
    assert find(recs, "to version 2.4").record_type == "procedure"
    assert find(recs, "at least version 1.7").record_type == "procedure"
    assert find(recs, "Investigate why").record_type == "follow_up"
    assert find(recs, "Never ship a release").record_type == "constraint"


def test_reader_heading_does_not_soften_a_firm_rule() -> None:
    reader = "Bug > What you should do"
    got = record_type("Never reuse the old keystore.", role="action", kind="postmortem", section=reader)
    assert got[0] == "constraint"
    # "What we should do" is the team's own list, not advice to the reader
    team = "Bug > What we should do"
    got = record_type("Add an alert on expiring certs.", role="action", kind="postmortem", section=team)
    assert got[0] == "follow_up"


RUNBOOK = """# Release runbook

## Steps

1. If a service should not be deployed for any reason, set the deploy freeze flag with the reason.
2. Ensure that the release pipeline is green before you continue.
3. Make sure every release has a changelog entry.
4. Never deploy on a Friday afternoon.
"""


def test_runbook_case_clause_and_checks_are_steps_rule_words_in_the_instruction_are_not() -> None:
    recs = records(RUNBOOK, "runbooks/team/release.md")
    assert find(recs, "deploy freeze flag").record_type == "procedure"
    assert find(recs, "release pipeline is green").record_type == "procedure"
    assert find(recs, "changelog entry").record_type == "constraint"
    assert find(recs, "Friday").record_type == "constraint"


def test_runbook_check_with_a_gate_stays_a_rule() -> None:
    got = record_type("Ensure the backup is restored before any schema migration.", role="", kind="runbook")
    assert got[0] == "constraint"


ADR = """# Choose a metrics library

* Status: accepted

## Context and Problem Statement

Two services export metrics through different clients, and dashboards disagree.

## Decision Drivers

* Reduce the effort of keeping the two metrics exporters and their dashboards equivalent over time.
* Prefer maintained open-source libraries over code we write ourselves, for quality and fewer bugs.

## Considered Options

* OpenTelemetry SDK
* StatsD client

## Decision Outcome

Chosen option: "OpenTelemetry SDK", because it is maintained upstream.
Services shouldn't ever emit metrics through the legacy StatsD client.
"""


def test_adr_drivers_are_read_as_the_decision_unless_worded_as_a_rule() -> None:
    recs = records(ADR, "adrs/team/docs/adr/0007-metrics-library.md")
    assert find(recs, "effort of keeping").record_type == "decision"
    assert find(recs, "maintained open-source libraries").record_type == "constraint"
    assert find(recs, "StatsD").record_type == "constraint"


ACTIONS = """# Disk full on the queue nodes

The queue nodes ran out of disk and stopped accepting jobs for two hours.

## Action items

1. Drain and delete the old node pool of the queue cluster. (Done!)
2. We have removed the deploy bot's write access to the release repositories.
3. Add an alert on disk usage above 80 percent of the queue volume.
"""


def test_done_markers_and_done_work_told_by_the_team() -> None:
    recs = records(ACTIONS, "postmortems/team/2024-01-disk-full.md")
    older = find(recs, "old node pool")
    assert (older.record_type, older.state) == ("follow_up", "done")
    bots = find(recs, "write access")
    assert (bots.record_type, bots.state) == ("follow_up", "done")
    alert = find(recs, "disk usage")
    assert (alert.record_type, alert.state) == ("follow_up", "open")


def test_adr_obligation_binds_but_not_a_met_clause_nor_the_teams_plan() -> None:
    obligation = "We also need to fill the certification fields, as otherwise validation breaks."
    assert record_type(obligation, role="decision", kind="adr") == ("constraint", ["type.adr-obligation"])
    for told in (
        "The CEL expressions that need to be met decide the health of the resource.",
        "If the cache grows too large, we will have to revisit this decision.",
    ):
        assert record_type(told, role="decision", kind="adr")[0] == "decision"


def test_runbook_statement_is_a_fact_but_a_cut_case_clause_stays_a_step() -> None:
    fact = "The alert fires at 85% of the database quota."
    assert record_type(fact, role="", kind="runbook") == ("constraint", ["type.runbook-statement"])
    assert record_type("If the blocker is a migration.", role="", kind="runbook")[0] == "procedure"
    assert record_type("Restart the ingester pods one at a time.", role="mitigation", kind="runbook")[0] == (
        "procedure"
    )


def test_adr_action_heading_that_names_no_work_list_is_not_a_follow_up() -> None:
    step = "Introduce a nop mempool which will act as a stubbed object internally."
    design = "ADR 111 > Context > ABCI++ Improvements and Remaining Shortcomings"
    assert record_type(step, role="action", kind="adr", section=design)[0] == "decision"
    assert record_type(step, role="action", kind="adr", section="ADR 111 > Next Steps")[0] == "follow_up"
    assert record_type(step, role="action", kind="adr", section="ADR 9 > Follow-up actions")[0] == "follow_up"
