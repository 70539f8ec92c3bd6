"""Lessons of templates the vocabulary was not written for (eleventh extraction round): an
instruction whose verb the closed verb list does not know ("Diversify our channels ..."), told
in a lessons list. Inputs are small documents of our own."""

from __future__ import annotations

import pytest

from ingest.extract import is_imperative
from ingest.parser import parse_document

LESSONS_LIST = """# Pods not starting during the node image update

## Summary

During the planned node image update some pods did not start for ten minutes.

## Timeline

- 08:40 all nodes were cordoned at once
- 09:15 all pods were running again

## Lessons Learned

- Diversify our channels of communication with the product teams, for example a monthly demo
- Rethink the default retry policy of every client before the next node rollover
"""


def _statements(text: str, path: str = "postmortems/pods.md") -> list[str]:
    return [c.statement for c in parse_document(text, path=path, sha256="0" * 64).constraints]


def test_unknown_verb_in_a_lessons_list_is_a_lesson() -> None:
    got = _statements(LESSONS_LIST)
    assert any(s.startswith("Diversify the channels of communication") for s in got), got
    assert any(s.startswith("Rethink the default retry policy") for s in got), got


@pytest.mark.parametrize(
    "text",
    [
        "Diversify our channels of communication.",
        "Step back and find the root cause.",
        "Rethink the default timeout of the client.",
    ],
)
def test_unknown_verb_before_a_determiner_is_imperative(text: str) -> None:
    assert is_imperative(text)


@pytest.mark.parametrize(
    "text",
    [
        "When the node pivots, the daemon logs every action.",  # a function word, any case
        "State the writes in the store are small.",  # a noun that also names a verb
        "Visibility into the queue was poor.",  # a noun ending
        "Monitoring the queue is hard.",  # a gerund
        "Yesterday the queue stalled.",  # a time word
        "Services the team owns were down.",  # a plural noun
    ],
)
def test_words_that_are_not_verbs_stay_out(text: str) -> None:
    assert not is_imperative(text)
