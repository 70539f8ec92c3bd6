"""Hindsight and conditions a postmortem states without an instruction's shape (fourteenth extraction
round): "If we had X, we would have Y" and "Had we X, ..." read as the rule they imply, "It's better
not to X" as "Do not X", and a condition closed by "then" (with commas inside a parenthesis) no
longer hides the instruction after it. Inputs are small documents of our own."""

from __future__ import annotations

import pytest

from ingest.extract import clean_text, is_imperative
from ingest.extract.hindsight import hindsight_rule
from ingest.extract.text import rewrite_imperative
from ingest.parser import parse_document

STORY = """# Registry outage after a base image change

## What happened

The nightly build pulled a new base image and every service failed to start for three hours.

## What we learned

If we had pinned the base image digest in every Dockerfile, we would have kept the old image until
the new one was tested.

In case the situation turns critical, remain calm. It's better not to rush a fix under pressure.

## Follow-up

If the registry you publish to supports signed images (Harbor, ECR, GCR) then you should enable
image signing for every release before pushing it.
"""


def _statements(text: str, path: str = "postmortems/registry.md") -> list[str]:
    return [c.statement for c in parse_document(text, path=path, sha256="0" * 64).constraints]


def test_hindsight_in_a_postmortem_becomes_its_rule() -> None:
    got = _statements(STORY)
    assert "Pin the base image digest in every Dockerfile." in got, got
    assert not any(s.startswith("If we had") for s in got), got


def test_a_present_preference_becomes_an_instruction() -> None:
    got = _statements(STORY)
    assert "Do not rush a fix under pressure." in got, got


def test_a_condition_closed_by_then_keeps_its_instruction() -> None:
    got = _statements(STORY)
    want = (
        "If the registry you publish to supports signed images (Harbor, ECR, GCR), "
        "enable image signing for every release before pushing it."
    )
    assert want in got, got


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ("If we had been monitoring disk usage, we would have caught this.", "Monitor disk usage."),
        ("Had we tested the restore, the data would not have been lost.", "Test the restore."),
        ("If we had had an alert on queue depth, we could have scaled out.", "Add an alert on queue depth."),
        ("It is best to drain the node before the upgrade.", "Drain the node before the upgrade."),
    ],
)
def test_hindsight_rule(given: str, want: str) -> None:
    assert hindsight_rule(given) == want


@pytest.mark.parametrize(
    "given",
    [
        # what was known or realised says no rule; nor does a condition with nothing hindsight after it
        "If we had known about the limit, we would have acted sooner.",
        "Had we realised the scope, we could have paged more people.",
        "If we had more time, the migration would be finished.",
        "It is better for the team that the rollout waits.",
        "It's best not to worry.",
    ],
)
def test_not_hindsight(given: str) -> None:
    assert hindsight_rule(given) == ""


def test_then_only_closes_a_leading_condition() -> None:
    # "then" inside a sentence that opens on no condition is left alone
    assert clean_text("Drain the node and then restart it.") == "Drain the node and then restart it."
    cleaned = clean_text("When the queue is full then drain it first.")
    assert cleaned == "When the queue is full, drain it first."
    assert is_imperative(rewrite_imperative(cleaned, role="action"))
