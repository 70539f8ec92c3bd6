"""Descriptive sentence shapes turned into imperative lessons (ingest.narrative)."""

from __future__ import annotations

import pytest

from ingest.extract import rewrite_imperative
from ingest.narrative import (
    all_options_statement,
    cause_to_lesson,
    did_not_to_lesson,
    passive_to_imperative,
    present_to_imperative,
)
from ingest.parser import parse_document


def statements(text: str, path: str) -> list[str]:
    return [c.statement for c in parse_document(text, path=path, sha256="f" * 64).constraints]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Release commits will be tagged with a stable tag.", "Tag release commits with a stable tag"),
        ("Backups should be encrypted at rest.", "Encrypt backups at rest"),
        ("The old account will be decommissioned or migrated.", "Decommission the old account or migrate"),
        ("Implicit assumptions should be made explicit.", "Make implicit assumptions explicit"),
        ("It will be handled by the proxy.", ""),
        ("Objects created via the API will be stored in the metastore.", ""),
        ("The worker is required to mount the share.", ""),
        ("Exceptions are thrown as AppError.", ""),  # present tense: only with present=True
    ],
)
def test_passive_to_imperative(given: str, expected: str) -> None:
    assert passive_to_imperative(given) == expected


def test_present_passive_and_negated_coordination() -> None:
    assert (
        passive_to_imperative(
            "Errors are thrown as AppError from helpers but not handled in commands.", present=True
        )
        == "Throw errors as AppError from helpers but do not handle them in commands"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "The sidecar receives the request, injects the token and calls the status API.",
            "Have the sidecar receive the request, inject the token and call the status API",
        ),
        (
            "Each worker runs as a separate Kubernetes Job.",
            "Have each worker run as a separate Kubernetes Job",
        ),
        (
            "The billing service uses PostgreSQL for invoices.",
            "Use PostgreSQL for invoices in the billing service",
        ),
        ("This document describes the architecture of the hub.", ""),
        ("The library allows users to plug in frameworks.", ""),  # a capability, not a choice
        ("The proxy may cache responses for a minute.", ""),
        ("Extract — Sample documents relevant to the benchmark.", ""),
    ],
)
def test_present_to_imperative(given: str, expected: str) -> None:
    assert present_to_imperative(given) == expected


def test_statements_common_to_all_options_keep_their_scope() -> None:
    stmt, scope = all_options_statement(
        "In both of the above scenarios, release commits would be tagged with a stable tag.", in_scope=False
    )
    assert (stmt, scope) == ("Tag release commits with a stable tag", True)
    stmt, scope = all_options_statement("Furthermore, hotfixes would skip the queue.", in_scope=True)
    assert (stmt, scope) == ("Hotfixes will skip the queue.", True)
    assert all_options_statement("Furthermore, hotfixes would skip the queue.", in_scope=False) == ("", False)
    assert all_options_statement("Option 2 is faster.", in_scope=True) == ("", False)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "Kyverno not being kept up-to-date due to code freeze",
            "Keep Kyverno up-to-date even during code freeze",
        ),
        ("The cache was not refreshed because of a bug", "Refresh the cache"),
        (
            "If the failurePolicy was set to ignore instead of fail, the issue wouldn't have occurred",
            "Set the failurePolicy to ignore instead of fail",
        ),
        (
            "If we had tested the upgrade in staging, the outage would have been avoided",
            "Test the upgrade in staging",
        ),
        ("Our alerting threshold was set too high", ""),
        (
            "No alerting configured for 5xx errors, requiring user reports for detection",
            "Configure alerting for 5xx errors",
        ),
        ("No backups enabled on the queue database", "Enable backups on the queue database"),
    ],
)
def test_cause_to_lesson(given: str, expected: str) -> None:
    assert cause_to_lesson(given) == expected


ADR_DESIGN = """# 7. Evaluation service

## Status

Accepted

## Context

Evaluations need a home.

## Decision

- The evaluation service receives REST requests and stores jobs in PostgreSQL.
- Each evaluation runs as a separate Kubernetes Job.
- Job results will be written to the object store.
"""


def test_adr_design_description_becomes_rules() -> None:
    got = statements(ADR_DESIGN, "adrs/0007-evaluation-service.md")
    assert "Have the evaluation service receive REST requests and store jobs in PostgreSQL." in got
    assert "Have each evaluation run as a separate Kubernetes Job." in got
    assert "Write job results to the object store." in got


ADR_OPTIONS = """# 3. Release cadence

## Status

Accepted

## Context

We need a release cadence.

## Considered Options

**Option 1:** release once a sprint. Users wait longer.

In both scenarios, release commits would be tagged with both a staging and a stable tag.
Furthermore, urgent security fixes would be exempt from the cadence.

## Decision

We will release once a week.
"""


def test_adr_statement_common_to_all_options_is_extracted() -> None:
    got = statements(ADR_OPTIONS, "adrs/0003-release-cadence.md")
    assert "Tag release commits with both a staging and a stable tag." in got
    assert "Urgent security fixes will be exempt from the cadence." in got
    assert not any("Users wait longer" in s for s in got)


POSTMORTEM_FACTORS = """# PM-12 Webhook outage

## Summary

Service changes failed for two hours.

## Contributing Factors

- Kyverno not being kept up-to-date due to code freeze
- If the ClusterPolicy failurePolicy was set to ignore instead of fail, the issue wouldn't have occurred

## Action Items

- Add monitoring for the admission webhook
"""


def test_postmortem_factors_become_lessons() -> None:
    got = statements(POSTMORTEM_FACTORS, "postmortems/PM-12.md")
    assert "Keep Kyverno up-to-date even during code freeze." in got
    assert "Set the ClusterPolicy failurePolicy to ignore instead of fail." in got


POSTMORTEM_COMPLETED = """# Flags outage

## Summary

Flags were down.

## Remediation

### Immediate Actions (Completed)

- **Retry limits**: Implemented retry limits in Envoy to prevent unbounded retry amplification
- Reverted the change and released version 1.2.1
- Implemented database triggers to keep old and new tables in sync

### Planned

- Add load tests for the flags service
"""


def test_completed_fixes_that_name_their_purpose_become_lessons() -> None:
    got = statements(POSTMORTEM_COMPLETED, "postmortems/2025-flags.md")
    assert "Implement retry limits in Envoy to prevent unbounded retry amplification." in got
    assert "Implement database triggers to keep old and new tables in sync." in got
    assert not any(s.startswith("Revert the change") for s in got)  # a log entry, not a lesson


ADR_LATER_RULE = """# 38. Document store

## Status

Accepted

## Context

Mongo is old.

## Decision

We will use DocumentDB for new apps.

## Consequences

- DocumentDB requires authentication using username and password.

  DocumentDB does not support the null character in strings and you should amend any records
  that contain it before migrating.
"""


def test_advice_clause_in_a_later_sentence_of_an_item() -> None:
    got = statements(ADR_LATER_RULE, "adrs/0038-document-store.md")
    assert "Amend any records that contain it before migrating." in got


ADR_GOALS = """# Evaluation hub

| Status | Accepted |
|---|---|

## What

A hub for evaluations.

## Goals

- The hub service provides a REST API and a Python SDK over pluggable frameworks.
- Improve developer productivity.

## Non-Goals

- Provide additional user-facing CRDs.
- No UI work is part of this ADR.

## How

- Each evaluation runs as a separate Kubernetes Job.
"""


def test_design_goals_and_non_goals() -> None:
    got = statements(ADR_GOALS, "adrs/EH-0001-evaluation-hub.md")
    assert "Have the hub service provide a REST API and a Python SDK over pluggable frameworks." in got
    assert "Do not provide additional user-facing CRDs." in got
    assert not any("productivity" in s for s in got)  # an aim, not a rule
    assert not any("UI work" in s for s in got)


def test_short_chosen_option_and_to_use_decision_are_kept() -> None:
    madr = (
        "# Use MariaDB Connector\n\n## Context and Problem Statement\n\nWe need a MySQL driver.\n\n"
        "## Considered Options\n\n* Use MariaDB Connector\n* Use MySQL Connector\n\n"
        '## Decision Outcome\n\nChosen option: "Use MariaDB Connector", because comes out best.\n'
    )
    assert statements(madr, "adrs/0004-use-mariadb-connector.md") == ["Use MariaDB Connector."]
    nygard = (
        "# 5. Database\n\n## Status\n\nAccepted\n\n## Context\n\nWe need one.\n\n"
        "## Decision\n\nTo use PostgreSQL.\n"
    )
    assert statements(nygard, "adrs/0005-database.md") == ["Use PostgreSQL."]


def test_contracted_we_will_and_label_duration_fragments() -> None:
    adr = """# 24. Use SSO

## Status

Proposed

## Proposal

This sign-in has a time-out, depending on the role:

* read-only role - 12 hours
* read+write role - 1 hour

We'll transition the team to SSO, switch off SAML auth and delete their IAM users.
"""
    got = statements(adr, "adrs/024-use-sso.md")
    assert "Transition the team to SSO, switch off SAML auth and delete their IAM users." in got
    assert not any("hour" in s for s in got)


def test_wrong_choice_turns_into_the_other_choice() -> None:
    assert (
        cause_to_lesson("The team deployed polling instead of webhooks")
        == "Deploy webhooks rather than polling"
    )
    assert (
        cause_to_lesson("Multiple PRs fixed symptoms rather than root causes")
        == "Fix root causes rather than symptoms"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "A small ignore file at the time did not exclude build caches from the image, leaking a key.",
            "Make the ignore file exclude build caches from the image",
        ),
        (
            "The firewall did not block traffic from the internet.",
            "Make the firewall block traffic from the internet",
        ),
        ("The deploy did not finish in time.", ""),  # not a safeguard's job
        ("We did not check the logs.", ""),
    ],
)
def test_did_not_to_lesson(given: str, expected: str) -> None:
    assert did_not_to_lesson(given) == expected


POSTMORTEM_CAUSE_LISTS = """# Queue outages

## Summary

The queue was down twice.

## Incident Timeline

### March 3 - Worker overload

**Root causes:**

- No alerting configured for queue depth, requiring customer reports for detection

**Timeline:**

- 10:00 UTC - Queue depth grows

## How did this happen

An old ignore file did not exclude local caches from the worker image, so stale code shipped.

## Action items

- Add load tests for the workers
"""


def test_root_cause_lists_and_failed_safeguards_become_lessons() -> None:
    got = statements(POSTMORTEM_CAUSE_LISTS, "postmortems/queue-outages.md")
    assert "Configure alerting for queue depth." in got
    assert "Make the ignore file exclude local caches from the worker image." in got
    assert not any("10:00" in s for s in got)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "This should help us to keep billing logic inside the invoice module.",
            "Keep billing logic inside the invoice module.",
        ),
        (
            "The new queue may confuse operators, but we can mitigate the risk by documenting the design "
            "and carefully labelling the dashboards.",
            "Document the design and carefully label the dashboards.",
        ),
        ("This should help performance.", "This should help performance."),
    ],
)
def test_consequence_benefit_and_remedy_become_practices(given: str, expected: str) -> None:
    assert rewrite_imperative(given, role="consequence") == expected


STORY_POSTMORTEM = """+++
title = "Incident report: failed package downloads"
+++

Downloads from the package index failed for two hours on a Tuesday.

## What happened

A configuration change removed the cache rule for the download path, so every request reached
the origin bucket, which started throttling. The fix was to restore the previous cache rule and
purge the CDN cache.

## Why it took so long

In hindsight, we should have given the on-call rotation access to every production system.

## Going forward

Going forward, we will require a second reviewer for every CDN configuration change. We are also
adding an alert on the CDN error rate. To prevent this from happening again, all infrastructure
changes will be applied through Terraform.
"""


def test_story_postmortem_without_lists_yields_its_lessons() -> None:
    """A blog-post postmortem with no title heading, no lists and TOML front matter: its kind comes
    from its title, and "Going forward" / "In hindsight" / "We are adding" sentences are lessons."""
    draft = parse_document(STORY_POSTMORTEM, path="posts/2024-05-02-downloads.md", sha256="f" * 64)
    assert draft.kind == "postmortem"
    got = [c.statement for c in draft.constraints]
    assert "Require a second reviewer for every CDN configuration change." in got
    assert "Add an alert on the CDN error rate." in got
    assert any(s.startswith("Apply all infrastructure changes through Terraform") for s in got)
    assert any(s.startswith("Give the on-call rotation access to every production system") for s in got)
    # the fix is no lesson while the document has lessons
    assert not any(s.startswith("Restore the previous cache rule") for s in got)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (
            "adrs/team/0009-internal-zone.md",
            "# 9. Internal zone\n\n## Status\n\nAccepted\n\n## Decision\n\n"
            "We've bought a domain name that is never connected to the public DNS system. "
            "It is used by our internal services.\n\n## Consequences\n\n"
            "We have a domain that we pay for and do not use.\n",
        ),
        (
            "runbooks/team/ClockDrift.md",
            "# ClockDrift\n\n## Meaning\n\nClock drifting.\n\n## Impact\n\n"
            "Time is not synchronising on the node. This can cause trouble with TLS handshakes and "
            "other time-sensitive applications.\n\n## Diagnosis\n\nTODO\n",
        ),
    ],
)
def test_every_lesson_bearing_document_keeps_a_record(path: str, text: str) -> None:
    """An ADR or runbook in which no section fires still yields its most lesson-like sentence."""
    assert statements(text, path)


def test_remedy_told_in_the_past_passive_is_a_step_under_what_is_being_done() -> None:
    text = (
        "# Chain split on the network\n\n## What happened\n\nTwo versions disagreed about a block.\n\n"
        "## What is being done\n\nLarge mining pools running version 0.8.0 were asked to switch back to "
        "version 0.7. The database was overloaded for an hour.\n"
    )
    got = statements(text, "postmortems/net/2013-03-11-chain-split.md")
    assert "Ask large mining pools running version 0.8.0 to switch back to version 0.7." in got
    assert not any("overload" in s.lower() for s in got)  # a state, not a remedy


def test_sparse_postmortem_is_topped_up_with_its_best_narrative_sentences() -> None:
    text = (
        "# Disclosure of a wallet bug\n\n## Details\n\n"
        "An attacker could crash any node by sending a malformed block header. "
        "Users must upgrade to version 2.1 before they reconnect nodes to the public network. "
        "Operators should verify the release signatures before they install the patched binaries.\n\n"
        "## Action items\n\n- Add a fuzzing target for the header parser\n"
    )
    got = statements(text, "postmortems/x/2024-01-01-wallet-bug.md")
    assert "Add a fuzzing target for the header parser." in got
    assert len(got) >= 3  # the advice in the prose is kept beside the single action item
    assert any("upgrade to version 2.1" in s for s in got)


def test_what_went_wrong_findings_that_name_a_missing_safeguard() -> None:
    text = (
        "# Search outage\n\n## Action items\n\n- Canary config pushes to 1% of frontends\n\n"
        "## What went wrong\n\n- There was no alert on thread pool saturation.\n"
        "- Nobody on call knew how to change the session store limits.\n- There was no data loss.\n"
    )
    got = statements(text, "postmortems/x/2023-06-01-search.md")
    assert "Add an alert on thread pool saturation." in got
    assert "Document how to change the session store limits." in got
    assert not any("data loss" in s for s in got)


def test_first_person_failure_in_a_summary_is_a_lesson() -> None:
    text = (
        "# Transaction delays\n\n## Summary\n\nBlocks were produced late for two hours. However, we did "
        "not communicate the status of the network to our users, nor did we act quickly enough.\n\n"
        "## Action items\n\n- Add an alert on block production delay\n"
    )
    got = statements(text, "postmortems/x/2023-04-26-delays.md")
    assert "Communicate the status of the network to the users." in got


def test_remedy_with_its_purpose_in_a_story_section_is_kept() -> None:
    text = (
        "# Security incident disclosure\n\nA researcher reported a leaked token.\n\n"
        "Within a few hours the tokens had been revoked, replaced and sanitised within the CI server so "
        "they would not be revealed in future. The main repositories were updated so non-administrators "
        "cannot push directly to the main branch. Two deploys were blocked, and so latency rose.\n"
    )
    got = statements(text, "postmortems/x/2018-08-05-disclosure.md")
    revoke = "Revoke, replace and sanitise the tokens within the CI server"
    assert f"{revoke} so they would not be revealed in future." in got
    assert (
        "Update the main repositories so non-administrators cannot push directly to the main branch." in got
    )
    assert not any(s.startswith("Block") for s in got)  # no purpose in its own clause


def test_decision_or_realisation_in_the_story_is_a_lesson() -> None:
    """ "The decision was made to X" and "We realised that X should Y" are lessons in a summary; in a
    timeline only a decision that states a rule is one, not the next step the responders took."""
    text = (
        "# Chain split notice\n\n## Summary\n\nIn order to encourage rapid upgrades, the decision was made "
        "to patch and disclose the denial-of-service bug first while delaying the full disclosure.\n\n"
        "## Timeline\n\n- 12:40 It is decided that rather than moving the server, the data pool should be "
        "migrated to a new server in the new cluster.\n- 13:10 We decided to restart the hub pods.\n\n"
        "## Action items\n\n- Add an alert on block validation failures\n"
    )
    got = statements(text, "postmortems/x/2018-09-20-notice.md")
    assert (
        "Patch and disclose the denial-of-service bug first while delaying the full disclosure, "
        "to encourage rapid upgrades." in got
    )
    assert any("the data pool should be migrated to a new server" in s for s in got)
    assert not any("restart the hub pods" in s.lower() for s in got)


def test_step_under_a_condition_item_keeps_the_condition() -> None:
    text = (
        "# Runbook: Maintenance\n\n## Steps\n\n1. Back up the ZFS volumes before you start\n"
        "2. If the maintenance is taking longer than planned:\n"
        "    * alert the moderators channel so they can answer user questions\n"
        "3. Remove the announcement to users when the work is done\n"
    )
    got = statements(text, "runbooks/x/maintenance.md")
    assert (
        "If the maintenance is taking longer than planned, alert the moderators channel so they can "
        "answer user questions." in got
    )
