"""Lessons a postmortem states as findings rather than as instructions (thirteenth extraction
round): a contributing factor or lesson written as a noun phrase naming a weak or missing safeguard
("Insufficient monitoring of X", "No runbook for X"), and a lesson item whose instruction follows a
case clause with a verb the closed list does not know ("When X, step back to Y"). Inputs are small
documents of our own."""

from __future__ import annotations

import pytest

from ingest.extract import is_imperative
from ingest.extract.text import missing_safeguard, rewrite_imperative
from ingest.narrative import cause_to_lesson
from ingest.parser import parse_document

FINDINGS = """# Certificate expiry on the identity proxy

## Summary

The identity proxy certificate expired and pods could not reach the cloud API for two hours.

## Contributing Factors

- Insufficient monitoring of the identity proxy
- No runbook for renewing the proxy certificates
- The on-call engineer was new to the team

## Lessons Learned

1. **Restarts hide the cause:** When restarts don't fix it, step back to read the certificate dates.
"""


def _statements(text: str, path: str = "postmortems/proxy.md") -> list[str]:
    return [c.statement for c in parse_document(text, path=path, sha256="0" * 64).constraints]


def test_deficient_safeguards_in_contributing_factors_become_lessons() -> None:
    got = _statements(FINDINGS)
    assert "Improve monitoring of the identity proxy." in got, got
    assert "Add a runbook for renewing the proxy certificates." in got, got
    # a finding with no safeguard is no lesson: kept as told, a fact (round seventeen, causes.py)
    draft = parse_document(FINDINGS, path="postmortems/proxy.md", sha256="0" * 64)
    told = [c for c in draft.constraints if "on-call engineer" in c.statement]
    assert all("type.untold-factor" in c.rules for c in told), told


def test_unlisted_verb_after_a_case_clause_in_a_lesson_item() -> None:
    got = _statements(FINDINGS)
    assert any(s.startswith("When restarts don't fix it, step back to read") for s in got), got


@pytest.mark.parametrize(
    ("finding", "lesson"),
    [
        ("Insufficient monitoring of the KIAM server", "Improve monitoring of the KIAM server."),
        ("Poor documentation of the restore process", "Improve documentation of the restore process."),
        ("No runbook for the failover", "Add a runbook for the failover."),
        ("Missing CPU alerting", "Add CPU alerting."),  # a mass noun takes no article
        (
            "No integration tests covering the upgrade path",
            "Add integration tests covering the upgrade path.",
        ),
        ("Lack of alerting on disk usage", "Add alerting on disk usage."),
    ],
)
def test_deficient_safeguard_noun_phrase(finding: str, lesson: str) -> None:
    assert missing_safeguard(finding) == lesson


@pytest.mark.parametrize(
    "finding",
    [
        "No impact on customers",  # names no safeguard
        "Poor weather delayed the engineers",
        "No alert fired because the threshold was too high",  # a clause, not a noun phrase
        "No tests",  # too short to say what to add
        "No automated tests exercised one tenant reading another tenant's orders",  # a past-tense clause
    ],
)
def test_findings_that_name_no_safeguard_are_left(finding: str) -> None:
    assert missing_safeguard(finding) == ""


@pytest.mark.parametrize(
    ("text", "imperative"),
    [
        ("When fixes don't resolve the problem, step back to understand the root cause.", True),
        ("If the queue grows, rethink the default retry policy.", True),
        ("When the node restarts, pods reschedule on other nodes.", False),  # a plural noun
        ("When the disk filled, the database stopped.", False),  # a function word
    ],
)
def test_case_clause_then_an_unlisted_verb(text: str, imperative: bool) -> None:
    assert is_imperative(text) is imperative


def test_a_lack_told_as_what_happened_is_not_rewritten() -> None:
    # "No alerts existed for X" is a clause: "Address the lack of alerts existed for X" says nothing
    told = "No alerts existed for CPU pressure, preventing early detection"
    assert rewrite_imperative(told, role="factor") == told


@pytest.mark.parametrize(
    ("cause", "lesson"),
    [
        (
            "The restore script was not properly tested before the migration",
            "Test the restore script before the migration",
        ),
        (
            "Knowledge of useful metrics haven't been properly shared with the team",
            "Share knowledge of useful metrics with the team",
        ),
    ],
)
def test_a_cause_not_done_with_a_manner_adverb(cause: str, lesson: str) -> None:
    assert cause_to_lesson(cause) == lesson


def test_a_wrong_choice_keeps_its_preposition_with_the_verb() -> None:
    assert (
        cause_to_lesson("We relied on customer reports rather than proactive monitoring")
        == "Rely on proactive monitoring rather than customer reports"
    )
