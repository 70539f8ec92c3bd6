"""Changes and lessons a postmortem's story tells in prose (``ingest/extract/changes_made.py``)."""

from __future__ import annotations

import pytest

from ingest.extract.changes_made import change_rule
from ingest.parser import parse_document


@pytest.mark.parametrize(
    ("told", "rule", "role"),
    [
        (
            "We now run a dry-run for every lifecycle change before it merges",
            "Run a dry-run for every lifecycle change before it merges",
            "lesson",
        ),
        (
            "A prefix shorter than four characters now fails our policy check outright.",
            "A prefix shorter than four characters fails our policy check outright",
            "lesson",
        ),
        (
            "our Redis hosts now refuse to be promoted while their clock offset exceeds 500 ms",
            "Redis hosts refuse to be promoted while their clock offset exceeds 500 ms",
            "lesson",
        ),
        (
            "We have made the rate limiter fail open when a counter's window lies in the future",
            "Make the rate limiter fail open when a counter's window lies in the future",
            "lesson",
        ),
        (
            "We've also learned to keep versioning on for any bucket that holds data",
            "Keep versioning on for any bucket that holds data",
            "lesson",
        ),
        (
            "Still to do: we want to split originals and derived images into separate buckets.",
            "Split originals and derived images into separate buckets",
            "action",
        ),
        (
            "If there is one thing I would want another team to take from this, it is that lifecycle "
            "rules deserve the same care as a DELETE statement.",
            "Lifecycle rules deserve the same care as a DELETE statement",
            "lesson",
        ),
    ],
)
def test_a_change_told_in_prose_is_the_rule_it_states(told: str, rule: str, role: str) -> None:
    assert change_rule(told) == (rule, role)


@pytest.mark.parametrize(
    "news",
    [
        "The checkout service is now healthy again after the rollback",
        "All the affected counters now recovered within the hour",
        "Everything now works as expected for our customers",
        "We now know that the replica was lagging behind",
    ],
)
def test_news_told_with_now_states_no_rule(news: str) -> None:
    assert change_rule(news) == ("", "")


def test_a_blog_postmortem_keeps_what_it_changed() -> None:
    page = (
        "# How we lost an afternoon of uploads\n\n## What happened\n\n"
        "On Tuesday a cleanup job removed uploads from the wrong folder for four hours.\n\n"
        "## Getting them back\n\n"
        "We restored the files from the backups by the evening. "
        "We now run a dry-run listing of every cleanup rule before it is merged.\n"
    )
    draft = parse_document(page, path="postmortems/uploads.md", sha256="0" * 64)
    statements = [c.statement for c in draft.constraints]
    assert "Run a dry-run listing of every cleanup rule before it is merged." in statements


WHYS = """# Staff locked out of the back office

## Five whys

1. Why could staff not sign in? The IdP signed assertions with an expired certificate.
2. Why was it expired? Nobody renewed it before the date it expired.

## Lessons learned

- Every certificate with an expiry date, not only TLS, needs an owner team and an alert before it expires.

## Corrective actions

- Add signing certificates to the certificate inventory with expiry alerts.
"""


def test_a_why_chain_is_no_record_and_a_lesson_told_as_a_need_is() -> None:
    draft = parse_document(WHYS, path="postmortems/idp.md", sha256="0" * 64)
    statements = [c.statement for c in draft.constraints]
    assert not any(s.startswith("Why") for s in statements)
    assert any(s.startswith("Every certificate with an expiry date") for s in statements)
