"""Decision records and runbooks in templates the section walk read poorly (round twenty-five):
Y-statements, task lists, consequences told as facts, binding conditions, checklist preconditions,
situation-response items, MkDocs/Docusaurus admonitions and content tabs. Inputs are small
documents of our own."""

from __future__ import annotations

import pytest

from ingest.admonitions import unfold_admonitions
from ingest.parser import parse_document


def _records(text: str, path: str) -> list[tuple[str, str, str | None]]:
    draft = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type, c.state) for c in draft.constraints]


Y_STATEMENT = """# ADR-3: Cache invoice totals

## Decision

> In the context of the **billing API**, which renders invoices on every request,
> facing page loads above two seconds for large customers,
> we decided for **a per-invoice totals cache in Redis**
> and neglected materialised views and client-side caching,
> to achieve page loads under 300 ms,
> accepting that totals are up to a minute stale.

## Consequences

* Every write to an invoice line must invalidate the cached totals of that invoice.
* The cache is read-only for support tooling; nobody edits cached totals by hand to fix an invoice.
* Invoices render faster for every customer, as totals are cached only once.

## Implementation notes

- [x] Totals cache deployed to staging (BIL-101)
- [ ] Remove the old totals endpoint once all clients use the cache (BIL-107)
"""


def test_y_statement_decision_tasks_and_consequence_facts() -> None:
    got = _records(Y_STATEMENT, "adrs/0003-cache.md")
    statements = [s for s, _, _ in got]
    decision = next(s for s, t, _ in got if t == "decision")
    assert decision.startswith("For the billing API, use a per-invoice totals cache in Redis")
    assert "materialised views" in decision
    assert ("Deploy totals cache to staging.", "follow_up", "done") in got
    assert (
        "Remove the old totals endpoint once all clients use the cache.",
        "follow_up",
        "open",
    ) in got
    assert any(s.startswith("The cache is read-only for support tooling; nobody edits") for s in statements)
    assert not any("faster" in s for s in statements)  # an evaluation, though it says "only"


MADR = """---
status: accepted
---

# Use flagd for feature flags

## Decision Outcome

Chosen option: "flagd with definitions in Git", because changes are reviewed.

### Consequences

* Good, because every flag change is a pull request with a CODEOWNERS review.
* Good, because the SDK is the same for every language.
* Bad, because we run flagd ourselves.
* Application code evaluates flags only through the SDK client, never through the HTTP API.

## Decision

Accepted with these binding conditions:

* The flag service fails open, and an error rate above 1% pages the platform on-call.
"""


def test_madr_consequence_facts_and_binding_conditions() -> None:
    statements = [s for s, _, _ in _records(MADR, "adrs/0012-flags.md")]
    assert "Every flag change is a pull request with a CODEOWNERS review." in statements
    assert any(
        s.startswith("Application code evaluates flags only through the SDK client") for s in statements
    )
    assert any(s.startswith("The flag service fails open") for s in statements)
    assert not any("same for every language" in s or "run flagd ourselves" in s for s in statements)


CHECKLIST = """# Ops checklist: broker minor upgrade

## Before the window

- [ ] A full backup of the broker data completed in the last 24 hours (`backup info`). No backup, no upgrade.
- [ ] The target packages are in our mirror.

## Upgrade

- [ ] Upgrade the followers first, one at a time.

## If it goes wrong

* A follower fails to come back: leave it stopped, do not re-run the play on it in a loop.

## Known gaps

- [ ] Automate the leader handover inside the play (OPS-417).
"""


def test_checklist_precondition_situation_and_known_gaps() -> None:
    got = _records(CHECKLIST, "runbooks/broker-upgrade.md")
    assert (
        "Do not start unless a full backup of the broker data completed in the last 24 hours.",
        "constraint",
        None,
    ) in got
    assert any(s.startswith("If a follower fails to come back") for s, _, _ in got)
    assert ("Automate the leader handover inside the play.", "follow_up", "open") in got
    assert not any(s.startswith("Do not start unless the target packages") for s, _, _ in got)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (  # MkDocs Material admonition: a quoted body, its title left out
            '!!! warning "Careful"\n    Do not delete the consumer group.\n\nAfter.',
            "\n> Do not delete the consumer group.\n\nAfter.",
        ),
        (  # a content tab inside a list item: dedented in place, still in the item
            '1. Check the lag.\n\n    === "CLI"\n\n        Run the describe command.\n',
            "1. Check the lag.\n\n\n\n    Run the describe command.\n",
        ),
        (  # Docusaurus admonition: fenced by ":::"
            ":::caution Before you start\nNever restart both nodes at once.\n:::\nNext.",
            "\n> Never restart both nodes at once.\n\nNext.",
        ),
        (  # markers inside a code fence stay code
            '```\n!!! note "x"\n    y\n```',
            '```\n!!! note "x"\n    y\n```',
        ),
    ],
)
def test_admonitions_unfold_line_for_line(source: str, expected: str) -> None:
    got = unfold_admonitions(source)
    assert got == expected
    assert got.count("\n") == source.count("\n")


def test_steps_in_admonitions_and_tabs_are_read() -> None:
    text = """# QueueLagHigh runbook

## Triage

1. Check whether the lag is on all partitions or on one.

    === "CLI"

        Run `kafka-consumer-groups --describe` and sort by lag.

## Mitigation

* Restart the consumer pod that owns the partition.

!!! danger "Never reset offsets"
    Do not run `--reset-offsets` on the consumer group without the tech lead's approval.
"""
    statements = [s for s, _, _ in _records(text, "runbooks/queue-lag.md")]
    assert any(
        s.startswith("Do not run --reset-offsets") or s.startswith("Do not run `--reset") for s in statements
    )
    assert any(s.startswith("Check whether the lag is on all partitions") for s in statements)
