"""Round thirty: printed procedures in plain text, rules told as facts, cases named without a verb,
work notes, an ADR's boxes and binding conditions, steps after a place, readers' cases."""

from __future__ import annotations

import pytest

from ingest.extract import is_imperative, is_rule_like, split_coordinated
from ingest.formats import plain_text
from ingest.loader import parse_file
from ingest.parser import parse_document
from ingest.record_types import follow_up_state


def _records(text: str, path: str) -> list[tuple[str, str, str | None]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type, c.state) for c in doc.constraints]


def _statements(text: str, path: str) -> list[str]:
    return [s for s, _, _ in _records(text, path)]


SOP = """\
HARBOUR DATA CENTRE -- HALL A
STANDARD OPERATING PROCEDURE SOP-ELE-004
=====================================================

1. PURPOSE
   Prove the chiller plant can carry the hall when one chiller trips.

2. SAFETY AND RULES
   2.1  Only one chiller is isolated at a time. The other two stay in
        automatic mode.
   2.2  Ear defenders in the plant room at all times while a compressor
        runs.
   2.3  If the supply water rises above 18 C, abort the test.

3. PRE-CHECKS
   3.1  Supply water temperature below 12 C on the BMS.
   3.2  Standby pump available and in automatic mode.

4. AFTER THE TEST
   4.1  Enter the readings in the maintenance work order.
   4.2  Any reading outside the limits in Annex B: raise a corrective
        work order the same day.

5. REVISION NOTES
   rev 3: step 2.3 added after the 2025 trip.
   Outstanding:
     [ ] Annex B limits to be confirmed by the chiller vendor.
     [X] Flow meter on loop 2 replaced and calibrated.
"""


def test_numbered_clauses_of_a_plain_text_procedure_are_list_items() -> None:
    md = plain_text.to_markdown(SOP).split("\n")
    assert md[8] == "- Only one chiller is isolated at a time. The other two stay in"
    assert md[9].strip() == "automatic mode."  # each line stays on its line
    assert md[-3] == "- [ ] Annex B limits to be confirmed by the chiller vendor."
    assert md[-2] == "- [x] Flow meter on loop 2 replaced and calibrated."


@pytest.mark.parametrize(
    "text",
    [
        "Release notes\n\n1.2 was the last release with the old API.\n",  # one such line: a version
        "Notes\n\n  2.4.1 fixed the leak in the pool.\n",
    ],
)
def test_a_single_line_that_opens_with_a_decimal_number_stays_text(text: str) -> None:
    assert plain_text.to_markdown(text).split("\n")[2] == text.split("\n")[2]


def test_a_plain_text_procedure_keeps_its_rules_checks_cases_and_open_work() -> None:
    doc = dict(parse_file("runbooks/chiller.txt", SOP.encode()))["runbooks/chiller.txt"]
    assert not isinstance(doc, str)
    got = {c.statement: (c.record_type, c.state) for c in doc.constraints}
    assert got["Only one chiller is isolated at a time."] == ("constraint", None)
    assert got["Ear defenders in the plant room at all times while a compressor runs."] == (
        "constraint",
        None,
    )
    assert any(s.startswith("Check supply water temperature below 12 C") for s in got)
    case = "If any reading outside the limits in Annex B, raise a corrective work order the same day."
    assert got[case] == ("procedure", None)
    assert got["Annex B limits to be confirmed by the chiller vendor."] == ("follow_up", "open")
    done = [v for k, v in got.items() if k.startswith("Replace flow meter on loop 2")]
    assert done == [("follow_up", "done")]


RUNBOOK = """\
# Render queue backlog

## Diagnosis

1. Check whether a bulk import is running: `geoctl imports list`.

## Remediation

**Bulk import running:** pause it with `geoctl imports pause <id>`; it resumes from its checkpoint.

**Note:** restart the renderers only after the queue drains.

In every case, once the queue drains below 5k, purge the CDN only for the affected tiles. A global
purge is not allowed during business hours.

## Escalation

- Queue depth still rising 30 minutes after remediation: page the platform secondary.
- Data corruption suspected: page the data-integrity on-call and stop all imports.
- Dashboard link: open the render pipeline board.

## Overview

- Only the primary region serves tiles to the mobile apps.

## Open items

- TODO: the pause command should post to #maps automatically (GEO-12).
- DONE: the lock table now expires stale locks on its own.
"""


def test_cases_named_without_a_verb_keep_their_case() -> None:
    got = _statements(RUNBOOK, "runbooks/render.md")
    assert (
        "If bulk import running, pause it with geoctl imports pause <id>; it resumes from its checkpoint."
        in got
    )
    assert "If queue depth still rising 30 minutes after remediation, page the platform secondary." in got
    assert "If data corruption suspected, page the data-integrity on-call and stop all imports." in got
    # a note's or a field's label is no case
    assert not any(s.startswith(("If note", "If dashboard")) for s in got)


def test_prohibitions_and_steps_after_a_case_in_every_case_are_kept() -> None:
    got = _statements(RUNBOOK, "runbooks/render.md")
    assert "A global purge is not allowed during business hours." in got
    assert any(s.startswith("In every case, once the queue drains below 5k, purge the CDN") for s in got)


def test_a_fact_outside_a_rules_section_is_not_a_rule() -> None:
    got = _statements(RUNBOOK, "runbooks/render.md")
    assert not any("primary region serves tiles" in s for s in got)


def test_work_notes_of_a_runbook_are_follow_ups_with_their_state() -> None:
    got = {s: (t, st) for s, t, st in _records(RUNBOOK, "runbooks/render.md")}
    assert got["The pause command should post to #maps automatically."] == ("follow_up", "open")
    assert got["The lock table now expires stale locks on its own."] == ("follow_up", "done")


@pytest.mark.parametrize(
    ("raw", "state"),
    [("DONE: the lock table expires stale locks", "done"), ("TODO: post to #maps", "open")],
)
def test_a_work_word_gives_the_state(raw: str, state: str) -> None:
    assert follow_up_state(raw, role="task")[0] == state


@pytest.mark.parametrize(
    "text",
    [
        "A global tile purge is not allowed during business hours.",
        "Reindexing a live index in place is forbidden.",
        "Direct writes to the ledger are not permitted.",
    ],
)
def test_prohibitions_told_as_facts_are_rules(text: str) -> None:
    assert is_rule_like(text)


@pytest.mark.parametrize(
    "text",
    ["The request was not allowed by the firewall.", "Pets are allowed in the office on Fridays."],
)
def test_what_was_refused_or_is_allowed_is_no_rule(text: str) -> None:
    assert not is_rule_like(text)


@pytest.mark.parametrize(
    "text",
    [
        "At the ATS panel, select the generator under test and press TEST ON-LOAD.",
        "On the primary, run pg_promote.",
        "In every case, once the queue drains, purge the CDN for the affected tiles.",
    ],
)
def test_a_step_after_its_place_is_imperative(text: str) -> None:
    assert is_imperative(text)


@pytest.mark.parametrize(
    "text",
    [
        "At 14:02, restart of the pod began.",
        "On March 3, restart happened.",
        "In practice, teams ignore it.",
        "In addition, support will be added for a configuration file.",  # a connective, no place
        "At the same time, support tickets doubled.",
    ],
)
def test_a_time_or_a_comment_before_a_noun_is_not_a_step(text: str) -> None:
    assert not is_imperative(text)


def test_a_leading_case_is_not_split_off_as_a_step() -> None:
    parts = split_coordinated(
        "If you still see errors, download the keyring, check its SHA256, install it with dpkg"
    )
    assert parts[0].startswith("If you still see errors, download the keyring")
    assert "If you still see errors" not in parts


ADR = """\
# Crash reporting vendor for the mobile apps

## Decision

**Option B: move to Bugline EU.** Approved on 2026-10-30.

Conditions the approver attached:

1. The SDK is initialised only after the user's analytics consent is known.
2. No personal data is ever attached to crash reports as custom keys.

## Consequences

- Secrets are shown once on creation and are never sent by e-mail.

Migration status:

- [x] Ed25519 signatures sent alongside HMAC for all endpoints
- [ ] E-mail the 4,100 merchants still verifying HMAC only
"""


def test_an_adr_keeps_its_named_option_conditions_and_boxes() -> None:
    got = {s: (t, st) for s, t, st in _records(ADR, "adrs/0001-crash.md")}
    assert got["Move to Bugline EU."] == ("decision", None)
    assert got["The SDK is initialised only after the user's analytics consent is known."][0] == "constraint"
    assert got["No personal data is ever attached to crash reports as custom keys."][0] == "constraint"
    assert got["Ed25519 signatures sent alongside HMAC for all endpoints."] == ("follow_up", "done")
    assert got["E-mail the 4,100 merchants still verifying HMAC only."] == ("follow_up", "open")


def test_a_list_led_by_a_plain_paragraph_is_not_binding() -> None:
    text = ADR.replace("Conditions the approver attached:", "We looked at two things:")
    got = _statements(text, "adrs/0001-crash.md")
    assert "The SDK is initialised only after the user's analytics consent is known." not in got


POSTMORTEM = """\
# Duplicate admissions from the HL7 gateway

## Summary

The engine replayed six hours of admission messages after a restart.

## Learning

- Receiving systems must de-duplicate on the message control ID.
- If duplicate admissions reach a ward list, ward managers are told by phone within 30 minutes.
- When the feed stopped, the ward lists were empty for an hour.

## If you are still seeing duplicates

Reconcile the ward list against the patient administration system, then tell the integration team.

## If you see something, say something

- Use a unique password for your account on the registry.

## If it is a network issue

Restart the gateway on the standby node.
"""


def test_a_lesson_told_as_what_happens_in_a_case_is_kept() -> None:
    got = _statements(POSTMORTEM, "postmortems/hl7.md")
    assert (
        "If duplicate admissions reach a ward list, ward managers are told by phone within 30 minutes." in got
    )
    assert not any(s.startswith("When the feed stopped") for s in got)  # a story, in the past


def test_a_step_for_the_readers_case_keeps_the_case() -> None:
    got = {s: t for s, t, _ in _records(POSTMORTEM, "postmortems/hl7.md")}
    step = (
        "If you are still seeing duplicates, reconcile the ward list against the patient administration "
        "system, then tell the integration team."
    )
    assert got[step] == "procedure"
    assert not any(s.startswith("If it is a network issue") for s in got)  # no reader's case
    assert not any(s.startswith("If you see something") for s in got)  # advice, not a case


def test_a_readers_step_of_several_parts_stays_one_step_with_its_case() -> None:
    text = (
        "# Mirror served an expired key\n\n## What happened\n\nThe signing subkey expired.\n\n"
        "## If you are still seeing errors\n\n"
        "Download the keyring from the primary mirror, check its SHA256, install it with dpkg.\n"
    )
    got = _statements(text, "postmortems/mirror.md")
    step = (
        "If you are still seeing errors, download the keyring from the primary mirror; check its SHA256; "
        "install it with dpkg."
    )
    assert step in got
    assert not any(s.startswith("Check its SHA256") for s in got)
