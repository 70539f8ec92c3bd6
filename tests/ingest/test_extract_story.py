"""Lessons a story postmortem tells in its prose (sixth extraction round): a lesson announced as
one, a wish ("Ideally, X would Y"), a workaround offered, advice to a named group. Inputs are small
documents of our own."""

from __future__ import annotations

import pytest

from ingest.extract import rewrite_imperative
from ingest.parser import parse_document

STORY = """---
title: "Outage of the build farm on 3 March"
---

On 3 March the build farm was down for about three hours after a certificate expired.

The certificate for the artifact proxy expired at 09:12 and every build failed to fetch its
dependencies. The on-call engineer renewed it by hand. The lesson here is that certificate expiry
must be monitored for every internal endpoint, not only the public ones. Customers are strongly
advised to retry any build that failed between 09:12 and 12:20. This incident taught us that the
renewal job needs an alert when it fails. Ideally, every internal service would use certificates
issued by the automated issuer. A workaround is available by pinning the proxy to the old
certificate bundle and restarting the build agents.
"""


def test_a_story_postmortem_gives_the_lessons_it_tells() -> None:
    doc = parse_document(STORY, path="postmortems/build-farm.md", sha256="f" * 64)
    got = [c.statement for c in doc.constraints]
    assert (
        "Certificate expiry must be monitored for every internal endpoint, not only the public ones." in got
    )
    assert "Customers should retry any build that failed between 09:12 and 12:20." in got
    assert "The renewal job needs an alert when it fails." in got
    assert "Every internal service should use certificates issued by the automated issuer." in got
    assert any(s.startswith("As a workaround, pin the proxy to the old certificate bundle") for s in got)
    # what happened is the story, not a lesson
    assert not any("renewed it by hand" in s or "expired at 09:12" in s for s in got)


@pytest.mark.parametrize(
    "given",
    [
        "Users are advised that the service is back.",  # news for a group, nothing to do
        "The lesson is clear.",  # announces, then says nothing
        "Ideally, it would have been caught in review.",  # a wish about "it" points back
    ],
)
def test_shapes_that_say_nothing_to_do_stay_as_they_are(given: str) -> None:
    assert rewrite_imperative(given, role="lesson") == given


def test_advice_to_a_group_keeps_whose_it_is() -> None:
    # without the group, "Change their passwords" would not say whose
    assert rewrite_imperative("We advise all users to change their passwords.", role="lesson") == (
        "All users should change their passwords."
    )


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("Long term fixes", "action"),
        ("Short-term fixes", "action"),
        ("Permanent fix", "action"),
        ("The fix", "done"),
        ("How did we fix it?", "done"),
        ("Short term: warning", None),  # a runbook's severity note names no work
    ],
)
def test_fix_headings_by_their_timeframe(heading: str, role: str | None) -> None:
    from ingest.extract.candidate import role_of

    assert role_of(heading, "postmortem") == role


def test_long_term_fixes_list_gives_follow_ups() -> None:
    text = (
        "# Cache outage\n\n## Summary\n\nThe cache cluster ran out of memory for an hour.\n\n"
        "## The fix\n\nWe restarted the cache nodes with a larger memory limit.\n\n"
        "## Long term fixes\n\n- Add an alert on cache memory above 80% of the limit\n"
        "- Move session data out of the shared cache cluster\n"
    )
    doc = parse_document(text, path="postmortems/cache.md", sha256="f" * 64)
    follow_ups = [c.statement for c in doc.constraints if c.record_type == "follow_up"]
    assert any(s.startswith("Add an alert on cache memory") for s in follow_ups)
    assert any(s.startswith("Move session data out") for s in follow_ups)


def test_template_postmortem_statements_stay_whole() -> None:
    text = (
        "# Lost webhooks\n\n## Contributing factors\n\n- Crash-looping pods were not alerted on.\n\n"
        "## What are we doing to prevent this?\n\n"
        "1. **Connection budget check** — CI will reject changes where pods times pool size exceeds "
        "80% of the database limit.\n\n"
        "## Lessons learned\n\n* We should have noticed the crash loop from the restart count.\n"
    )
    got = [c.statement for c in parse_document(text, path="postmortems/w.md", sha256="f" * 64).constraints]
    assert "Alert on crash-looping pods." in got  # the stranded preposition goes back before its object
    assert any(": CI will reject changes" in s for s in got)  # an acronym keeps its capitals after a label
    assert not any(s.startswith("Have noticed") for s in got)  # a hindsight is not cut to "Have X-ed"


def test_done_work_told_in_the_passive_in_an_action_list() -> None:
    text = (
        "# Token leak\n\n## Summary\n\nA deploy token was printed in a public build log.\n\n"
        "## What we're doing about it\n\n"
        "- The leaked deploy token has been revoked and rotated in every project.\n"
        "- All build logs will be scanned for secrets before they are published.\n"
    )
    doc = parse_document(text, path="postmortems/token.md", sha256="f" * 64)
    records = {c.statement: (c.record_type, c.state) for c in doc.constraints}
    assert records.get("Revoke and rotate the leaked deploy token in every project.") == ("follow_up", "done")


def test_a_means_with_what_it_secures_and_inline_enumerators() -> None:
    text = (
        "# Double submission\n\n## Summary\n\nTwo clicks could leave a half-written record.\n\n"
        "## Conclusion\n\nThere are other ways to solve this. However, by wrapping the final "
        "submission steps in one database transaction, we guarantee that a user cannot 1\\) submit "
        "twice, or 2\\) race "
        "themselves from two windows.\n"
    )
    got = [c.statement for c in parse_document(text, path="postmortems/s.md", sha256="f" * 64).constraints]
    assert any(
        s.startswith(
            "Wrap the final submission steps in one database transaction, so that a user cannot 1) submit"
        )
        for s in got
    )


def test_a_root_cause_stated_as_a_fact_is_no_rule() -> None:
    text = (
        "# Index corruption\n\n## Root cause\n\nLog rotation was disabled on the search nodes after a "
        "config migration.\n\n## Action items\n\n* Re-enable log rotation on all search nodes.\n"
    )
    got = [c.statement for c in parse_document(text, path="postmortems/i.md", sha256="f" * 64).constraints]
    assert "Re-enable log rotation on all search nodes." in got
    # "Log" is a verb too, but here it opens a statement of what was wrong
    assert not any(s.startswith("Log rotation was disabled") for s in got)


def test_what_went_wrong_names_a_missing_safeguard() -> None:
    text = (
        "# Thumbnails down\n\n## Lessons learned\n\n### What went wrong\n\n"
        "- The drain script had no safety limit.\n- The service had no users at the time.\n"
    )
    got = [c.statement for c in parse_document(text, path="postmortems/t.md", sha256="f" * 64).constraints]
    assert "Give the drain script a safety limit." in got
    assert not any("no users" in s for s in got)  # "users" names no safeguard


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("We are planning to split the monolith database.", "Split the monolith database."),  # not "Plan to"
        (
            "We now require two approvals for production changes.",
            "Require two approvals for production changes.",
        ),
        (
            "The next step is to add a canary stage to the deploy pipeline.",
            "Add a canary stage to the deploy pipeline.",
        ),
    ],
)
def test_plans_and_standing_practice_told_in_the_first_person(given: str, expected: str) -> None:
    assert rewrite_imperative(given, role="lesson") == expected


def test_done_work_told_with_since_in_an_action_list() -> None:
    assert rewrite_imperative(
        "We have since added rate limiting to the login endpoint.", role="action", item=True
    ) == ("Add rate limiting to the login endpoint.")


def test_bold_lines_between_blank_lines_act_as_headings() -> None:
    from ingest.sections import bold_lines_as_headings

    text = (
        "**Issue**\n\nErrors for an hour.\n\n**Next steps:**\n\n- Add a canary\n\n"
        "**Do not run this in production.**\n"
    )
    out = bold_lines_as_headings(text).split("\n")
    assert out[0] == "###### Issue" and out[4] == "###### Next steps"
    assert out[8] == "**Do not run this in production.**"  # a bold sentence stays emphasis
    assert len(out) == len(text.split("\n"))  # line numbers hold


def test_a_status_page_incident_with_bold_headings() -> None:
    text = (
        "---\ntitle: Elevated API errors\n---\n\n**Issue**\n\n"
        "From 08:14 to 09:02 UTC, 18% of requests failed.\n\n"
        "**Resolution**\n\nThe flag was turned off at 08:59.\n\n**Next steps**\n\n"
        "Feature flags that change response formats will be rolled out one region at a time.\n"
    )
    doc = parse_document(text, path="_posts/2024-05-09-api.md", sha256="f" * 64)
    got = {c.statement: c.section for c in doc.constraints}
    rule = "Feature flags that change response formats must be rolled out one region at a time."
    assert got.get(rule, "").endswith("Next steps")
