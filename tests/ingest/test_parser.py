"""Document-level parsing: front matter, sections, kind, title, date, status and metadata."""

from __future__ import annotations

import pytest

from ingest.kinds import detect_kind
from ingest.parser import normalize_status, parse_document
from kb.errors import DocumentError
from kb.records import DocumentDraft


def parse(text: str, path: str = "notes/doc.md") -> DocumentDraft:
    return parse_document(text, path=path, sha256="0" * 64)


# --- front matter ---------------------------------------------------------------------------


def test_broken_yaml_front_matter_raises_with_path_and_line() -> None:
    text = "---\ntitle: ok\nbad: [unclosed\n---\n# Heading\n\nSome body text here.\n"
    with pytest.raises(DocumentError) as info:
        parse(text, path="runbooks/broken.md")
    assert info.value.path == "runbooks/broken.md"
    assert "front matter is not valid YAML" in info.value.message
    assert "(line " in info.value.message


def test_non_mapping_front_matter_raises() -> None:
    with pytest.raises(DocumentError, match="mapping"):
        parse("---\n- just\n- a list\n---\n# Title\n\nBody text goes here.\n")


def test_front_matter_only_raises_no_content() -> None:
    with pytest.raises(DocumentError, match="no content"):
        parse("---\ntitle: Empty page\nweight: 3\n---\n\n")


def test_bom_and_front_matter_title_used_when_no_heading() -> None:
    doc = parse("\ufeff---\ntitle: Rotate the signing keys\n---\nRotate keys every quarter.\n")
    assert doc.title == "Rotate the signing keys"


def test_body_is_the_markdown_after_the_front_matter() -> None:
    doc = parse("---\ntitle: Rotate keys\nweight: 3\n---\n# Rotate keys\n\nThe vault token expired.\n")
    assert doc.body is not None
    assert "The vault token expired." in doc.body and "weight" not in doc.body


def test_title_falls_back_to_file_name() -> None:
    doc = parse(
        "Just a paragraph without any heading at all.\n", path="runbooks/restart-the-queue.html.md.erb"
    )
    assert doc.title == "Restart the queue"
    post = parse("We rotated the token.\n", path="_posts/2018-08-05-security-incident-disclosure.md")
    assert post.title == "Security incident disclosure"
    exported = parse("We rotated the token.\n", path="PM2022-009 - Bad AMI")
    assert exported.title == "PM2022-009 - Bad AMI"


def test_unclosed_leading_rule_is_not_front_matter() -> None:
    doc = parse("---\n\n# Cache warmup\n\nWarm the cache before traffic arrives.\n", path="runbooks/x.md")
    assert doc.title == "Cache warmup"


def test_toml_front_matter_is_accepted() -> None:
    doc = parse(
        '+++\ntitle = "Disk pressure"\n+++\n\n## Meaning\n\nDisk is nearly full.\n', path="alerts/a.md"
    )
    assert doc.title == "Disk pressure"
    assert doc.kind == "runbook"


# --- sections, ERB, setext, line numbers ----------------------------------------------------


def test_erb_title_tag_replaced_by_front_matter_title() -> None:
    text = (
        "---\ntitle: Renew the wildcard certificate\nweight: 10\n---\n"
        "# <%= current_page.data.title %>\n\n"
        "<% if false %>hidden<% end %>\n\n"
        "You must renew the certificate at least two weeks before expiry.\n"
    )
    doc = parse(text, path="runbooks/team/source/renew-cert.html.md.erb")
    assert doc.title == "Renew the wildcard certificate"
    assert doc.constraints, "a must-sentence should become a constraint"
    c = doc.constraints[0]
    assert c.line_start == c.line_end == 9
    assert "<%" not in c.statement


def test_setext_headings_build_the_heading_path() -> None:
    text = (
        "Queue backlog incident\n"
        "======================\n\n"
        "Summary\n-------\n\n"
        "Workers stalled for an hour and the queue grew without bound.\n\n"
        "Action items\n------------\n\n"
        "- Add an alert on queue depth above ten thousand messages\n"
    )
    doc = parse(text, path="postmortems/2024-01-02-queue.md")
    assert doc.title == "Queue backlog incident"
    assert [c.section for c in doc.constraints] == ["Queue backlog incident > Action items"]
    assert doc.constraints[0].line_start == 12
    assert doc.date == "2024-01-02"


def test_line_numbers_count_front_matter_lines() -> None:
    text = (
        "---\n"  # 1
        "title: Cache outage\n"  # 2
        "severity: SEV2\n"  # 3
        "---\n"  # 4
        "# Cache outage\n"  # 5
        "\n"  # 6
        "## Action Items\n"  # 7
        "\n"  # 8
        "- Add a circuit breaker around the cache client\n"  # 9
        "- Document the cache failover procedure\n"  # 10
        "  for the on-call engineer\n"  # 11
    )
    doc = parse(text, path="postmortems/cache.md")
    spans = [(c.line_start, c.line_end) for c in doc.constraints]
    assert spans == [(9, 9), (10, 11)]
    lines = text.split("\n")
    assert "circuit breaker" in lines[doc.constraints[0].line_start - 1]


def test_file_without_extension_is_parsed() -> None:
    text = "# Broken node image\n\n## Action Items\n\n- Pin the node image version in the launch template\n"
    doc = parse(text, path="postmortems/team/PM2030-001 - Broken node image")
    assert doc.kind == "postmortem"
    assert doc.date is None  # a PM number is not a date
    assert len(doc.constraints) == 1


# --- kind detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fm", "path", "titles", "expected"),
    [
        ({"kind": "adr"}, "postmortems/x.md", [], "adr"),
        ({"type": "post-mortem"}, "misc/x.md", [], "postmortem"),
        ({"status": "accepted", "decision-makers": "a team"}, "docs/x.md", [], "adr"),
        ({}, "docs/architecture/decisions/0001-x.md", [], "adr"),
        ({}, "ops/alerts/network/HighLatency.md", [], "runbook"),
        ({}, "team/incidents/2022.md", [], "postmortem"),
        ({}, "docs/x.md", ["Status", "Context", "Decision", "Consequences"], "adr"),
        ({}, "docs/x.md", ["Meaning", "Impact", "Diagnosis", "Mitigation"], "runbook"),
        ({}, "docs/x.md", ["Summary", "Timeline", "Root cause", "Action items"], "postmortem"),
        ({}, "docs/x.md", ["Introduction"], "runbook"),
        # a design document: its choice is a "Proposed solution", its options "Alternatives considered"
        ({}, "docs/x.md", ["Summary", "Problem Statement + Context", "Proposed Solution"], "adr"),
        ({}, "docs/x.md", ["Context", "Alternatives considered"], "adr"),
        # a status-page incident (cState): resolved beside its severity or affected systems
        (
            {"title": "Debian installs broken", "resolved": True, "severity": "down"},
            "content/x.md",
            [],
            "postmortem",
        ),
        ({"resolved": False, "affected": ["pkg"]}, "content/x.md", [], "postmortem"),
        ({"resolved": True}, "content/x.md", [], "runbook"),
    ],
)
def test_detect_kind(fm: dict[str, str], path: str, titles: list[str], expected: str) -> None:
    assert detect_kind(fm, path, titles) == expected


@pytest.mark.parametrize(
    ("title", "path", "expected"),
    [
        ("Security Incident Disclosure", "_posts/2018-08-05-notice.md", "postmortem"),
        ("CVE-2024-12345 - Memory exhaustion from header spam", "_posts/x.md", "postmortem"),
        ("Outage on the CI build agents", "content/issues/x.md", "postmortem"),
        ("Broken downloads", "posts/2024-05-02-download-outage.md", "postmortem"),
        ("RFC-0006 Event receiver", "rfcs/0006/README.md", "adr"),
        ("ADR 008: Remote signer", "docs/architecture/x.md", "adr"),
        ("Incident Triage Guide", "TRIAGE_GUIDE.md", "runbook"),  # a how-to about incidents
        ("Incident response process", "docs/process.md", "runbook"),
        ("Rotate the signing keys", "docs/rotate.md", "runbook"),
        ("Wallet migration failure may delete wallet files", "_posts/x.md", "postmortem"),
        ("Some miners generating invalid blocks", "_alerts/x.md", "postmortem"),
        ("Notice of required upgrade to 0.16.3", "_alerts/x.md", "postmortem"),
        ("Incident response improvements: failure modes and recovery path analysis", "security/x.md", "adr"),
        ("MinBaseFee: Threat Model", "security/x.md", "adr"),
        ("How to handle a disk failure", "docs/disk.md", "runbook"),
    ],
)
def test_detect_kind_from_title_when_nothing_else_says(title: str, path: str, expected: str) -> None:
    """A repository that does not sort documents by kind: the document's own name decides."""
    assert detect_kind({}, path, ["Details"], title) == expected
    # folders and headings still come first
    assert detect_kind({}, "runbooks/" + path, ["Details"], title) == "runbook"


# --- ADR status -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("✅ Accepted", "accepted"),
        ("🤔 Proposed", "proposed"),
        ("❌ Rejected", "rejected"),
        ("⌛️ Superseded by [7. Thing](0007-thing.md)", "superseded"),
        ("Approved", "accepted"),
        ("Pending", "pending"),
        ("Deprecated", "deprecated"),
        ("accepted; supersedes ADR-0003", "accepted"),
        ("Partly superseded", "superseded"),
        ("something else", None),
    ],
)
def test_normalize_status(text: str, expected: str | None) -> None:
    assert normalize_status(text) == expected


NYGARD = """# 7. Keep queues in the managed broker

Date: 2021-03-04

## Status

⌛️ Superseded by [12. Move to streams](0012-move-to-streams.md)

## Context

Self-hosted brokers paged the team every week.

## Decision

We will use the managed broker for every new queue.

## Consequences

Teams must request queue quotas through the platform channel.
"""


def test_nygard_adr_superseded_with_reference() -> None:
    doc = parse(NYGARD, path="adrs/team/architecture-decision-record/007-queues.md")
    assert doc.kind == "adr"
    assert doc.status == "superseded"
    assert doc.metadata["superseded_by"] == ["12"]
    assert doc.metadata["adr_number"] == 7
    assert doc.date == "2021-03-04"
    assert doc.title == "7. Keep queues in the managed broker"
    statements = [c.statement for c in doc.constraints]
    assert "Use the managed broker for every new queue." in statements
    assert all(c.status == "superseded" for c in doc.constraints)


def test_madr_front_matter_status_and_supersedes() -> None:
    text = """---
status: "accepted; supersedes ADR-0004"
date: 2024-05-06
decision-makers: "a few people"
---
# Use structured logging

## Context and Problem Statement

Log lines are hard to search.

## Considered Options

* Plain text logs
* JSON logs

## Decision Outcome

Chosen option: "JSON logs", because log search needs fields.
"""
    doc = parse(text, path="docs/decisions/0009-use-structured-logging.md")
    assert doc.kind == "adr"
    assert doc.status == "accepted"
    assert doc.metadata["supersedes"] == ["ADR-0004"]
    assert "superseded_by" not in doc.metadata
    assert doc.date == "2024-05-06"
    assert doc.metadata["template"] == "madr"
    assert "decision-makers" not in doc.metadata  # people are never stored


def test_design_doc_metadata_table() -> None:
    text = """# Platform - Central token broker

|                |            |
| -------------- | ---------- |
| Date           | 14-02-2023 |
| Scope          | Platform   |
| Status         | Superseded |
| Authors        | [Somebody](@somebody) |
| Supersedes     | N/A        |
| Superseded by: | [ADR-0031](ADR-0031-broker.md) |

## What

This document outlines the decision to issue short-lived tokens from one broker service.
"""
    doc = parse(text, path="adrs/org/architecture-decision-records/ADR-0012-broker.md")
    assert doc.status == "superseded"
    assert doc.metadata["superseded_by"] == ["ADR-0031"]
    assert "supersedes" not in doc.metadata
    assert doc.date == "2023-02-14"
    assert doc.metadata["template"] == "design-doc"
    assert doc.constraints[0].statement == "Issue short-lived tokens from one broker service."
    assert "Somebody" not in str(doc.metadata)


def test_partly_superseded_flag() -> None:
    text = (
        "# 3. Network layout\n\nDate: 2017-01-01\n\n## Status\n\nPartly superseded\n\n"
        "## Decision\n\nEach zone shall use its own subnet range.\n"
    )
    doc = parse(text, path="adrs/x/decisions/0003-network.md")
    assert doc.status == "superseded"
    assert doc.metadata["partly_superseded"] is True


def test_rejected_adr_has_no_active_constraints() -> None:
    text = (
        "# 5. Run our own mail server\n\n## Status\n\n❌ Rejected\n\n"
        "## Decision\n\nWe will run our own mail server on two virtual machines.\n"
    )
    doc = parse(text, path="adrs/x/decisions/0005-mail.md")
    assert doc.status == "rejected"
    assert doc.constraints and all(c.status == "rejected" for c in doc.constraints)


def test_a_rejected_adr_keeps_the_prohibitions_that_state_its_rejection() -> None:
    text = (
        "# 11. Store card numbers ourselves\n\n## Status\n\nRejected\n\n"
        "## Decision\n\nWe will not store full card numbers in any of our systems. "
        "No service may write a card number to a log.\n\n"
        "We will build a vault cluster on three dedicated hosts.\n"
    )
    doc = parse(text, path="adrs/x/decisions/0011-cards.md")
    assert doc.status == "rejected"
    by_status = {c.statement: c.status for c in doc.constraints}
    prohibitions = [s for s in by_status if "card number" in s]
    assert prohibitions and all(by_status[s] == "active" for s in prohibitions)
    # What was proposed and turned down stays rejected.
    assert [st for s, st in by_status.items() if "vault" in s] == ["rejected"]


# --- incident metadata ----------------------------------------------------------------------


def test_moj_style_fields_become_metadata() -> None:
    text = """---
title: Incident on 2023-05-06 - Registry unreachable
---
# Incident on 2023-05-06 - Registry unreachable

- **Key events**
  - First detected 2023-05-06 10:00
  - Resolved 2023-05-06 12:10

- **Time to repair**: 1h 40m

- **Time to resolve**: 2h 10m

- **Impact**: Image pulls failed for every tenant, so deploys stalled.

- **Context**:
  - 10:00 alerts fired for the registry
  - 10:20 an engineer restarted the proxy

- **Review actions**:
  - Add a pull-through cache in front of the registry
  - Alert when image pull errors exceed five per minute
"""
    doc = parse(text, path="postmortems/team/source/incidents/2023-05-06-registry.html.md.erb")
    assert doc.kind == "postmortem"
    assert doc.status == "resolved"
    assert doc.metadata["time_to_repair"] == "1h 40m"
    assert doc.metadata["time_to_resolve"] == "2h 10m"
    assert doc.metadata["impact"].startswith("Image pulls failed")
    assert doc.metadata["template"] == "moj-incident"
    statements = [c.statement for c in doc.constraints]
    assert statements == [
        "Add a pull-through cache in front of the registry.",
        "Alert when image pull errors exceed five per minute.",
    ]
    assert all(c.section.endswith("> Review actions") for c in doc.constraints)
    # context/timeline bullets never become constraints
    assert not any("restarted the proxy" in s for s in statements)
    assert doc.constraints[0].rationale.startswith(
        "From incident 'Incident on 2023-05-06 - Registry unreachable'"
    )


def test_dfds_stats_section_and_severity_front_matter() -> None:
    text = """---
severity: SEV1
---
# Payments API down

## Summary

The payments API returned errors for all customers for forty minutes.

## Action Items

- Add a readiness probe to the payments API deployment

## Stats

- Category: Networking
- Time to detection: 5 minutes
- Time to recovery: 40 minutes
"""
    doc = parse(text, path="postmortems/PM2031-002 - Payments API down.md")
    assert doc.metadata["severity"] == "SEV1"
    assert doc.metadata["time_to_detect"] == "5 minutes"
    assert doc.metadata["time_to_repair"] == "40 minutes"
    assert doc.constraints[0].severity == "critical"
    assert "all customers" in doc.constraints[0].rationale


def test_an_action_items_heading_alone_makes_a_postmortem() -> None:
    text = (
        "# Refund batch ran twice\n\n## Summary\n\nThe batch ran twice.\n\n"
        "## Action Items\n\n- Guard the refund batch with a distributed lock.\n"
    )
    draft = parse_document(text, path="notes/refunds.md", sha256="x")
    assert draft.kind == "postmortem"
    assert [c.statement for c in draft.constraints] == ["Guard the refund batch with a distributed lock."]
