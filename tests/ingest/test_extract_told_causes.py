"""Rounds seventeen and eighteen: a postmortem's causes kept as told (facts, never rules), a blank
template that gives no record, an ADR's open questions as follow-ups. Inputs are small documents of
our own."""

from __future__ import annotations

from pathlib import Path

from ingest.parser import parse_document
from kb.vocab import TOLD_AS_FACT_RULES, is_rule_record

CAPTURE = """# Payment capture retried without idempotency key

## Summary

During a latency spike at the card processor, checkout timed out on the capture call and retried it.
The processor treated each retry as a new capture because the retries carried no idempotency key.

## Contributing Factors

- The shared retry decorator treats all timeouts as safe to retry, regardless of HTTP method.

## Action Items

- Send an Idempotency-Key derived from the order id on every capture retry.
"""

TEMPLATE = """# Incident title - DD/MM/YYYY

## Incident Lead:

## Identified cause (to be done pre-meeting)
_To be done pre-meeting. Give a summary of what caused the incident._

### Detection
> Did you detect the incident automatically? Did your alarms let you detect the issue quickly?

## Follow-ups
_Copy these from incident.io pre-meeting_

- [ ]

| Time | Event |
|---|---|
| <time> | <describe> |
"""

OPEN_QUESTIONS = """# 4. Addition of an Auth CR

## Decision

We will add an Auth custom resource that the operator reconciles for dashboard access.

## Open Questions

- How do we migrate the existing groupsConfig field to the new Auth resource?
"""


def _records(text: str, path: str) -> list[tuple[str, str, list[str]]]:
    draft = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type or "", list(c.rules)) for c in draft.constraints]


def test_a_told_cause_and_an_untold_factor_are_facts_kept_as_told() -> None:
    records = _records(CAPTURE, "postmortems/capture.md")
    told = {s: rules for s, _, rules in records if TOLD_AS_FACT_RULES & set(rules)}
    assert (
        "The processor treated each retry as a new capture because the retries carried no idempotency key."
        in told
    ), records
    factor = "The shared retry decorator treats all timeouts as safe to retry, regardless of HTTP method."
    assert "type.untold-factor" in told[factor]
    for statement, record_type, rules in records:
        # a fact is typed a constraint for readers, but never counts as a rule (gate, rule files)
        assert is_rule_record(record_type, rules) is (statement not in told), statement
    assert any("Idempotency-Key" in s and is_rule_record(t, r) for s, t, r in records)


def test_a_blank_template_gives_no_record() -> None:
    assert _records(TEMPLATE, "postmortems/template.md") == []


def test_one_real_sentence_makes_a_template_a_document() -> None:
    filled = TEMPLATE.replace(
        "_Copy these from incident.io pre-meeting_",
        "- Never rotate the database credentials during the nightly backup window.",
    )
    assert _records(filled, "postmortems/filled.md")


def test_an_adr_open_question_is_an_open_follow_up() -> None:
    records = _records(OPEN_QUESTIONS, "adrs/0004-auth.md")
    question = [r for r in records if r[0].startswith("How do we migrate")]
    assert question and question[0][1] == "follow_up", records
    assert "type.adr-open-question" in question[0][2]


def test_a_told_fact_yields_to_the_rule_it_repeats() -> None:
    # the seed's contributing factor "A destructive default (`expiration = 30`) in a shared Terraform
    # module." once took the place of its lesson as a near-duplicate, and the gate lost its block
    seed = (
        Path(__file__).parents[2]
        / "seed_incidents/postmortems/PM-2024-038-proof-of-delivery-lifecycle-deletion.md"
    )
    records = _records(seed.read_text(encoding="utf-8"), "postmortems/PM-2024-038.md")
    rule = [r for r in records if r[0].startswith("Never give destructive settings")]
    assert rule and is_rule_record(rule[0][1], rule[0][2]), records


def test_a_told_factor_an_action_covers_is_left_out() -> None:
    from ingest.extract.candidate import Candidate
    from ingest.extract.covered_factors import drop_covered_factors

    def cand(text: str, role: str) -> Candidate:
        return Candidate(text, "PIR > x", role, 1, 1, "item")

    factor = cand("Versioning was off for the exports bucket to save money.", "told-factor")
    other = cand("No metric tracked the object count of the bucket.", "told-factor")
    action = cand("Enable versioning with 7-day non-current retention on the exports bucket.", "action")
    assert drop_covered_factors([factor, other, action], "postmortem") == [other, action]
    assert drop_covered_factors([factor, action], "runbook") == [factor, action]
