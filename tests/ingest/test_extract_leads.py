"""Sentence shapes read in the fifth extraction round: an adverb before the verb, a recommended
gerund, a note that opens on "this is", a fix told as "resolved by", a consequence that "will
always" hold, a step that says it comes first. Inputs are small documents of our own."""

from __future__ import annotations

import pytest

from ingest.extract import Candidate, finalize, is_imperative, rewrite_imperative
from ingest.extract.finalize import not_a_lesson
from ingest.parser import parse_document


def statements(text: str, path: str) -> list[str]:
    return [c.statement for c in parse_document(text, path=path, sha256="f" * 64).constraints]


@pytest.mark.parametrize(
    ("given", "imperative"),
    [
        ("Immediately revoke the exposed token", True),
        ("Regularly test that the backups restore", True),
        ("Previously run jobs are kept for a week", False),  # a participle, not an instruction
        ("Iteratively select candidate configurations", False),  # a step of a described flow
        ("Usually the pods restart on their own", False),
        ("Apply the migration in the maintenance window", True),  # an -ly verb is the verb
    ],
)
def test_adverb_before_the_verb(given: str, imperative: bool) -> None:
    assert is_imperative(given) is imperative


@pytest.mark.parametrize(
    ("given", "role", "expected"),
    [
        (
            "Since the old index is unused, dropping it and rebuilding the search cache is recommended.",
            "decision",
            "Drop it and rebuild the search cache, since the old index is unused.",
        ),
        ("Caching the tokens is recommended.", "decision", "Cache the tokens."),
        # no gerund subject: left alone
        ("The new cache is recommended.", "decision", "The new cache is recommended."),
        (
            "This is a workaround and the retry limit must be lowered back after the fix ships.",
            "",
            "The retry limit must be lowered back after the fix ships.",
        ),
        # the rule's subject is itself a pronoun: still depends on the text before
        (
            "This is a workaround and it must be removed later.",
            "",
            "This is a workaround and it must be removed later.",
        ),
        (
            "The incident was mitigated by pausing the importer and replaying the queue.",
            "lesson",
            "Pause the importer and replay the queue.",
        ),
        (
            "Across regions, invoice numbers will never be reused.",
            "consequence",
            "Across regions, invoice numbers must never be reused.",
        ),
        (
            "It will always be slower than the cache.",
            "consequence",
            "It will always be slower than the cache.",
        ),
        # outside a consequence "will always" describes, it does not bind
        ("The job will always take an hour.", "lesson", "The job will always take an hour."),
        ("First, you need to stop the writer.", "", "Stop the writer first."),
        ("First, the team paged the database owner.", "", "First, the team paged the database owner."),
        ("Try to keep the old replica until the switch.", "", "Keep the old replica until the switch."),
    ],
)
def test_rewrites(given: str, role: str, expected: str) -> None:
    assert rewrite_imperative(given, role=role) == expected


STORY = """---
title: Search outage on the 3rd
---

# Search outage on the 3rd

On the 3rd the search API returned errors for two hours after a schema change.

The issue was resolved by restoring the previous index mapping and reindexing the catalogue.
"""


def test_a_fix_told_as_resolved_by_is_a_postmortem_record() -> None:
    found = statements(STORY, "postmortems/2024-03-03-search.md")
    assert "Restore the previous index mapping and reindex the catalogue." in found


STORY_ADVERB = """---
title: Leaked deploy key
---

# Leaked deploy key

A deploy key was pushed to a public fork.

In order to limit the exposure, the decision was made to immediately revoke every deploy key.
"""


def test_a_decision_with_an_adverb_before_its_verb_is_a_lesson() -> None:
    found = statements(STORY_ADVERB, "postmortems/2024-04-01-key.md")
    assert any(s.startswith("Immediately revoke every deploy key") for s in found)


ADR = """# 7. One export format

## Status

Accepted

## Context

Teams export reports in three formats.

## Decision

We will export reports as Parquet only.

## Consequences

Whatever the consumer, the export schema will always carry a version field.
"""


def test_a_consequence_that_will_always_hold_is_a_record() -> None:
    found = statements(ADR, "adrs/0007-export.md")
    assert "Whatever the consumer, the export schema must always carry a version field." in found


RUNBOOK = """# Restore access

## When the identity provider is down

Use the break-glass kubeconfig stored in the vault.

This is a temporary path and the break-glass kubeconfig should be revoked once the identity provider is back.
"""


def test_a_note_opening_on_this_is_keeps_its_rule() -> None:
    found = statements(RUNBOOK, "runbooks/restore-access.md")
    assert any(
        s.startswith("The break-glass kubeconfig should be revoked") or "Revoke the break-glass" in s
        for s in found
    )


@pytest.mark.parametrize(
    ("given", "dropped"),
    [
        ("Expect this change will cut most paging noise.", True),
        # a rule about expectations, not a belief: stays
        ("Expect different root causes to show the same symptoms.", False),
    ],
)
def test_beliefs_that_lost_their_we(given: str, dropped: bool) -> None:
    assert (not_a_lesson(given) == "filter.lost-we") is dropped


def test_a_clause_that_lost_its_we_is_cut_from_the_instruction() -> None:
    cands = [
        Candidate(
            "Use card tokens for repeat purchases, and will review a vault if volumes grow",
            "D",
            "decision",
            1,
            1,
            "sentence",
        ),
        # a subject shared by both clauses is ordinary English: kept whole
        Candidate(
            "Clients should retry once, and should give up after that", "D", "decision", 2, 2, "sentence"
        ),
    ]
    assert [c.statement for c in finalize(cands, [], "adr")] == [
        "Use card tokens for repeat purchases.",
        "Clients should retry once, and should give up after that.",
    ]
