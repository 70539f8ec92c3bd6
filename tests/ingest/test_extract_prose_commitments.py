"""Commitments and lessons a postmortem tells in prose paragraphs with no lesson heading (ninth
extraction round): a commitment after a lead that orders a list ("Secondly, we'll add X"), in a
second clause (", but we will review X"), work the team is weighing ("The PSF is exploring X") and
a first-person lesson ("We should declare incidents sooner"). Inputs are small documents of our own."""

from __future__ import annotations

from ingest.parser import parse_document

PROSE = """---
title: "Queue outage on 9 May"
---

On 9 May the job queue was down for two hours.

Our database started stalling, which caused a small blip. We then retried every job at once and
the queue fell over. We spent too long finding the cause and we’ll be making several changes.

Secondly, we’ll add a manual override to the queue health checks so on-call can drain it quickly.

To start with, all workers will stop retrying failed jobs at once. Further, the default here will be
30 seconds.

As a more long term solution (Q3), we will move the scheduler out of the web monolith into its
own service.

We should declare incidents as soon as we confirm an issue, not after mitigation.

## Takeaways

We were surprised that the hosting provider rejected our abuse reports, but we will review how
future abuse reports are written so they are actionable. The platform team is exploring the
transfer of look-alike domain names to the foundation.

We will continue to monitor the queue.

## Lessons learned

- We were not using queue depth alerts to catch a stalled scheduler
- We have a need for horizontal scaling of the workers to absorb retries
"""


def _records() -> dict[str, tuple[str, str | None]]:
    doc = parse_document(PROSE, path="postmortems/queue.md", sha256="e" * 64)
    return {c.statement: (c.record_type, c.state) for c in doc.constraints}


def test_commitments_told_in_prose_are_follow_ups() -> None:
    got = _records()
    override = [s for s in got if s.startswith("Add a manual override to the queue health checks")]
    assert override and got[override[0]] == ("follow_up", "open")
    assert any(s.startswith("Move the scheduler out of the web monolith") for s in got)
    review = [s for s in got if s.startswith("Review how future abuse reports are written")]
    assert review and got[review[0]][0] == "follow_up"
    assert any(s.startswith("Explore the transfer of look-alike domain names") for s in got)


def test_a_first_person_lesson_in_the_story_is_kept() -> None:
    got = _records()
    assert any(s.startswith("Declare incidents as soon as we confirm an issue") for s in got)


def test_news_and_announcements_are_not_commitments() -> None:
    got = _records()
    # "we'll be making several changes" announces, "we will continue to monitor" reports
    assert not any("several changes" in s or "continue to monitor" in s.lower() for s in got)
    assert not any(s.startswith(("Secondly", "As a more long term")) for s in got)


def test_a_change_told_about_a_thing_after_an_ordering_lead() -> None:
    got = _records()
    assert any(s.startswith("All workers must stop retrying failed jobs at once") for s in got)
    # a subject that points back ("the default here") depends on the sentence before
    assert not any(s.startswith("The default here") for s in got)


def test_what_the_team_lacked_in_a_lessons_list_is_the_practice_to_keep() -> None:
    got = _records()
    assert "Use queue depth alerts to catch a stalled scheduler." in got
    assert any(s.startswith("Establish horizontal scaling of the workers") for s in got)


def test_work_items_and_reported_work_are_follow_ups() -> None:
    from ingest.record_types import follow_up_state, record_type

    item = "Monitor suspicious exceptions: the error team should watch the exception count."
    assert record_type(item, role="action", kind="postmortem")[0] == "follow_up"
    gate = "Add a dry-run report that prices recent baskets before a promotion goes live."
    assert record_type(gate, role="action", kind="postmortem")[0] == "constraint"
    begun = "The Admins began work on a feature which would require every email re-verified."
    assert record_type(begun, role="lesson", kind="postmortem") == ("follow_up", ["type.team-did"])
    assert follow_up_state(begun, role="lesson")[0] == "open"
    done = "PyPI Admins completed the new feature to require email re-verification for all accounts."
    assert follow_up_state(done, role="lesson")[0] == "done"
