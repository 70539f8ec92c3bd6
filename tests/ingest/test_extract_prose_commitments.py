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

As a more long term solution (Q3), we will move the scheduler out of the web monolith into its
own service.

We should declare incidents as soon as we confirm an issue, not after mitigation.

## Takeaways

We were surprised that the hosting provider rejected our abuse reports, but we will review how
future abuse reports are written so they are actionable. The platform team is exploring the
transfer of look-alike domain names to the foundation.

We will continue to monitor the queue.
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
