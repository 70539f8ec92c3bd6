"""Postmortems in templates the extractor was not tuned on (synthetic documents, no corpus text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.extractor import is_action_table
from ingest.extract.splitting import split_subject_clause
from ingest.extract.text import future_rule, rewrite_imperative
from ingest.parser import parse_document
from kb.records import DocumentDraft

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "extraction" / "templates"


def _parse(name: str, *, folder: str = "postmortems/") -> DocumentDraft:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return parse_document(text, path=folder + name, sha256="x")


def _records(doc: DocumentDraft) -> dict[str, tuple[str, str | None]]:
    return {c.statement: (c.record_type, c.state) for c in doc.constraints}


def test_action_table_under_any_heading_gives_follow_ups_and_rules() -> None:
    records = _records(_parse("tracker.md"))
    # the table stands under "Tracking", a heading no role names: its owner and status columns say
    # it tracks work
    assert any("85% of quota" in s and t == ("follow_up", "done") for s, t in records.items())
    assert any(s.startswith("Never let build artefacts") and t[0] == "constraint" for s, t in records.items())
    assert any("older than 30 days" in s and t == ("follow_up", "open") for s, t in records.items())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Item", "Priority", "Owner", "Status"], True),
        (["Action", "**Owner**", "Due date"], True),
        (["Time", "Event", "Who"], False),  # a timeline names who acted, but tracks nothing
        (["Option", "Pros", "Cons"], False),
    ],
)
def test_is_action_table(header: list[str], expected: bool) -> None:
    assert is_action_table(header) is expected


def test_prioritised_corrective_actions_keep_their_state() -> None:
    records = _records(_parse("atlassian.md"))
    done = [s for s, t in records.items() if t == ("follow_up", "done")]
    assert any("80% of the limit" in s for s in done)
    assert any("Investigate moving the job" in s and t[0] == "follow_up" for s, t in records.items())
    assert any(s.startswith("Background jobs must use the shared connection pool") for s in records)


def test_unseen_action_headings_are_read() -> None:
    doc = _parse("corrective_measures.md")
    sections = {c.section.split(" > ")[-1] for c in doc.constraints}
    assert {"Corrective measures", "Future actions"} <= sections


def test_toml_front_matter_and_what_we_will_do_differently() -> None:
    doc = _parse("differently.md", folder="")  # no kind folder: the tags say postmortem
    assert doc.kind == "postmortem"
    assert doc.title == "Database migration took the site down"
    statements = [c.statement for c in doc.constraints]
    assert "Schema migrations that rewrite a table must run only in the maintenance window." in statements
    # the second clause of "Test X, and the migration linter will flag Y" is a record of its own
    assert "Make the migration linter flag column defaults on large tables." in statements
    assert any(s.startswith("Test migrations against a production-sized copy") for s in statements)


def test_blog_post_without_title_heading() -> None:
    doc = _parse("blog_notitle.md", folder="")  # the opening tells of an outage: a postmortem
    assert doc.kind == "postmortem"
    records = _records(doc)
    assert any(s.startswith("Serve index files with a short cache lifetime") for s in records)
    assert records.get("Document the manual purge procedure in the operations handbook.") == (
        "follow_up",
        "open",
    )
    assert any(s.startswith("Add a check that compares the index") for s in records)
    # what the responders did during the incident is no lesson when the post says what changes
    assert not any("by hand" in s for s in records)


def test_news_about_the_report_is_no_commitment() -> None:
    text = (
        "# Outage of the build farm\n\nThe build farm was down for two hours on Monday.\n\n"
        "We will update this post as we learn more. We will continue to monitor the queue.\n\n"
        "We will pin the base image digest in every build definition.\n"
    )
    doc = parse_document(text, path="postmortems/farm.md", sha256="x")
    statements = [c.statement for c in doc.constraints]
    assert "Pin the base image digest in every build definition." in statements
    assert not any("update this post" in s or "monitor the queue" in s for s in statements)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Backups will be tested every month", "Backups must be tested every month"),
        (
            "The deploy bot will refuse changes without a ticket",
            "The deploy bot must refuse changes without a ticket",
        ),
        ("The deploy bot will tag each release", "Make the deploy bot tag each release"),
        ("It will take a week to roll out", ""),  # a pronoun: a prediction
        ("Your client will switch to the new chain", ""),
    ],
)
def test_future_rule(sentence: str, expected: str) -> None:
    assert future_rule(sentence) == expected


def test_subject_clause_needs_a_rule_first() -> None:
    assert split_subject_clause("Rotate the keys monthly, and the audit job will report any stale key") == [
        "Rotate the keys monthly",
        "Make the audit job report any stale key",
    ]
    text = "The migration was slow, and the linter will flag it"
    assert split_subject_clause(text) == [text]


def test_forward_lead_with_present_perfect() -> None:
    stmt = rewrite_imperative(
        "To avoid this in the future, we have since added a canary stage to each deploy."
    )
    assert stmt == "Add a canary stage to each deploy."


def test_work_list_under_a_heading_no_role_names() -> None:
    text = (
        "# Incident 12: Payment webhook backlog\n\n## Summary\n\n"
        "Webhooks were delayed for three hours because the worker pool was too small.\n\n"
        "## Webhook workers\n\n"
        "- Scale the webhook workers on queue depth, not on CPU.\n"
        "- Alert when the oldest webhook in the queue is more than five minutes old.\n"
        "- Keep a runbook for draining the webhook queue by hand.\n"
    )
    doc = parse_document(text, path="postmortems/webhooks.md", sha256="x")
    statements = [c.statement for c in doc.constraints]
    assert "Scale the webhook workers on queue depth, not on CPU." in statements
    assert len(statements) == 3
    # a list of what happened under a neutral heading stays out
    story = text.replace("- Scale the webhook", "- We scaled the webhook").replace(
        "- Alert when", "- An alert fired when"
    )
    doc = parse_document(story, path="postmortems/webhooks.md", sha256="x")
    # (an action list would keep every item as it is, the story too)
    assert not any(c.statement.startswith("An alert fired") for c in doc.constraints)


def test_past_tense_remediation_items_are_done_follow_ups() -> None:
    records = _records(_parse("short_long.md"))
    assert records.get("Purge dead-lettered messages older than seven days.") == ("follow_up", "done")
    # "each" names what the one-off change touched: still a done follow-up, not a rule
    assert records.get("Add 200 GB to each queue node.") == ("follow_up", "done")
    assert records.get("Set a time-to-live on every dead-letter queue.", ("", None))[0] == "constraint"


def test_blog_commitments_split_and_standing() -> None:
    doc = _parse("hugo_blog.md", folder="")  # TOML categories = ["incident"]
    assert doc.kind == "postmortem"
    records = _records(doc)
    assert records.get("Reindex jobs must run on dedicated nodes.", ("", None))[0] == "constraint"
    # "..., and we'll alert when X" is a record of its own
    assert any(s.startswith("Alert when query latency") for s in records)
    assert not any("we'll" in s.lower() for s in records)


def test_periodic_work_is_a_rule() -> None:
    records = _records(_parse("numbered_bold.md"))
    rotate = [t for s, t in records.items() if s.startswith("Rotate the release signing key once a quarter")]
    assert rotate == [("constraint", None)]


def test_security_notice_advice_to_a_group() -> None:
    text = (
        "# Security notice: tampered installer\n\n"
        "Our download mirror served a tampered installer for six hours on Tuesday. We are sorry.\n\n"
        "It is strongly recommended to anyone who downloaded the installer on Tuesday to compare its "
        "checksum with the signed list. Do not run an installer whose checksum does not match.\n"
    )
    doc = parse_document(text, path="notices/installer.md", sha256="x")
    assert doc.kind == "postmortem"
    statements = [c.statement for c in doc.constraints]
    assert (
        "If you downloaded the installer on Tuesday, compare its checksum with the signed list." in statements
    )
