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


PLAIN_LABELS = """# Cache outage on 3 March

The cache cluster was down for forty minutes after a configuration push.

Timeline:

- 10:02 we pushed the new eviction settings to every cache node
- 10:40 we rolled the settings back

Corrective measures:

- Add a canary stage to the cache configuration rollout
- Alert on the cache hit rate dropping below 80 percent

Encourage reviewers to:

- read the eviction settings diff before approving
"""


def test_a_plain_label_that_names_a_section_is_a_heading() -> None:
    from ingest.sections import bold_lines_as_headings

    out = bold_lines_as_headings(PLAIN_LABELS).split("\n")
    assert "###### Timeline" in out
    assert "###### Corrective measures" in out  # by meaning: no known name says "measures"
    assert "Encourage reviewers to:" in out  # a list's lead-in stays text


@pytest.mark.parametrize(
    "line",
    [
        "Run the following:",
        "For example:",
        "Advisories must include additional fields:",
        "Common root causes for cloud-native ransomware:",  # longer than a section name
        "It should look like the following:",
    ],
)
def test_lead_ins_and_sentences_are_not_headings(line: str) -> None:
    from ingest.sections import bold_lines_as_headings

    assert bold_lines_as_headings(f"intro\n\n{line}\n\n- one\n") == f"intro\n\n{line}\n\n- one\n"


def test_a_postmortem_with_plain_labels_keeps_its_actions_and_skips_its_timeline() -> None:
    got = _statements(PLAIN_LABELS, path="incidents/cache.md")
    assert any(s.startswith("Add a canary stage to the cache configuration rollout") for s in got), got
    assert not any("eviction settings to every cache node" in s for s in got), got


def test_a_question_label_is_a_heading() -> None:
    from ingest.sections import bold_lines_as_headings

    assert (
        bold_lines_as_headings("intro\n\nWhat will be done:\n\n- one\n").split("\n")[2]
        == "###### What will be done"
    )


def test_plain_labels_stay_text_in_a_document_with_headings() -> None:
    from ingest.sections import bold_lines_as_headings

    text = "intro\n\n## Steps\n\nLessons learned:\n\n- one\n"
    assert bold_lines_as_headings(text) == text


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("**6. Lessons learned**", "###### Lessons learned"),  # a word processor's numbered heading
        ("**4. Root cause and contributing factors**", "###### Root cause and contributing factors"),
        ("**2.1 Impact**", "###### Impact"),
        ("**Do not restart the primary.**", "**Do not restart the primary.**"),  # a bold sentence
    ],
)
def test_numbered_bold_lines_are_headings_without_their_number(line: str, heading: str) -> None:
    from ingest.sections import bold_lines_as_headings

    assert bold_lines_as_headings(f"intro\n\n{line}\n\ntext\n").split("\n")[2] == heading


WEEKLY_REVIEW = """# Weekly incident review

## 1. Cert expiry on the metrics endpoint

**What happened:** The certificate on the metrics gateway expired on Tuesday at 03:00.

**Why:** The cert was issued by hand in 2024 and never enrolled in cert-manager.

**Takeaway:** Every certificate must be issued and renewed by cert-manager.

**Action:** Olu to scan all internal endpoints for certs not managed by cert-manager (open).
"""


def test_paragraph_fields_give_roles_where_no_heading_does() -> None:
    got = _statements(WEEKLY_REVIEW, path="postmortems/weekly.md")
    assert "Scan all internal endpoints for certs not managed by cert-manager." in got, got
    assert any(s.startswith("Every certificate must be issued") for s in got), got
    assert not any("issued by hand" in s for s in got), got  # a cause told: context
