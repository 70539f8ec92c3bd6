"""An ADR's options told as Advantages/Disadvantages lists and a rule stated in its context
(twenty-first extraction round). Inputs are small documents of our own."""

from __future__ import annotations

from ingest.extract.text import clean_text, rewrite_imperative
from ingest.extract.words import gerund_lead
from ingest.parser import parse_document

HEADED = """# 7. Queue library after the framework upgrade

## Status

Accepted

## Context

The old queue library is archived.
The team has a strong preference for delivery guarantees: every message should be
acknowledged only after its handler commits.

## Decision

(#1) Use `qlib-ng`

It is a drop-in fork and keeps the same acknowledgement semantics.

## Considered Options

### 1. qlib-ng

#### Advantages

+ Same import path, no migration cost at all

#### Disadvantages

- Does not deduplicate redelivered messages: every handler must stay idempotent on its own
- Small team

### 2. streamflow

#### Disadvantages

- GPL-3.0 licence would oblige the whole service to be published under the same licence
- Requires rewriting every consumer and about forty tests for no reliability gain
"""

UNDECIDED = HEADED.replace("(#1) Use `qlib-ng`", "We will decide next quarter.").replace(
    "It is a drop-in fork and keeps the same acknowledgement semantics.", "Both options stay open."
)

MARKED = """# 12. Tenant switching

## Considered Options

**[SELECTED] Option 1:** Submit a form that passes the selected tenant

❌ Cons: The tenant id travels in the page's HTML, where users can read it with the browser's tools.

**Option 2:** Call a URL path that switches the tenant

❌ Cons: There is a chance the URL is called by the user directly from their browser.

## Decision

We will switch tenants by submitting a form (Option 1) that passes the tenant's unique name.
"""


def _records(text: str, path: str) -> list[str]:
    d = parse_document(text, path=path, sha256="0" * 64)
    return [c.statement for c in d.constraints]


def test_the_chosen_options_disadvantages_are_consequences_and_the_others_are_reasons() -> None:
    records = _records(HEADED, "adrs/0007-queue-library.md")
    assert any(r.startswith("Qlib-ng does not deduplicate redelivered messages") for r in records)
    assert not any("Small team" in r for r in records)  # too short to say what the team carries
    assert any(r.startswith("Streamflow: bad, because GPL-3.0 licence would oblige") for r in records)
    # the context's passive rule is a constraint the decision serves
    assert any(
        r.startswith("Every message should be acknowledged only after its handler commits") for r in records
    )


def test_no_choice_told_reads_no_disadvantage() -> None:
    records = _records(UNDECIDED, "adrs/0007-queue-library.md")
    assert not any("deduplicate" in r or "GPL-3.0" in r for r in records)


def test_a_marked_option_told_in_paragraphs() -> None:
    records = _records(MARKED, "adrs/0012-tenant-switching.md")
    assert any(r.startswith("Option 1: The tenant id travels in the page's HTML") for r in records)
    assert any(r.startswith("Option 2: bad, because there is a chance the URL") for r in records)


def test_a_version_is_no_ticket_reference() -> None:
    assert clean_text("AGPL-3.0 license is copyleft.") == "AGPL-3.0 license is copyleft."
    assert clean_text("OPS-1234: rotate the keys") == "rotate the keys"


REVIEW = """# Incident on 2024-03-02 - Certificate errors in browsers

## Review actions

- Can we use a managed certificate service instead of our own ACME client? Ticket raised #812
- How to get announcements of new releases of the components in our stack? Ticket raised #813
- Do we need dev databases to be multi-AZ?
- Assess if heavy consumers like Prometheus should be given dedicated nodes?
"""


def test_a_review_action_told_as_a_question_is_told_as_the_work() -> None:
    records = _records(REVIEW, "postmortems/2024-03-02-certificates.md")
    assert any(
        r.startswith("Evaluate whether to use a managed certificate service instead of") for r in records
    )
    assert any(r.startswith("Find out how to get announcements of new releases") for r in records)
    assert "Assess if heavy consumers like Prometheus should be given dedicated nodes." in records
    assert not any(r.startswith("Do we need") for r in records)


NON_GOALS = """# ADR 3: Sign model artefacts in the registry

## Decision

Use keyless signing through the platform's signing service for every registered artefact.

## Non-Goals

- Deploying or governing the signing service instance
- Providing a prescribed identity provider for the signing flow
"""


def test_a_non_goal_told_from_its_gerund_is_a_scope_rule() -> None:
    assert (
        gerund_lead("Deploying or governing the Securesign instance")
        == "Deploy or govern the Securesign instance"
    )
    assert gerund_lead("Nothing changes here") == "Nothing changes here"
    records = _records(NON_GOALS, "adrs/0003-sign-artefacts.md")
    assert "Do not deploy or govern the signing service instance." in records
    assert "Do not provide a prescribed identity provider for the signing flow." in records


def test_a_concluding_connective_is_dropped_only_when_a_rule_then_applies() -> None:
    said = (
        "For these reasons, the metrics endpoint will be served on the same port as the application traffic:"
    )
    assert rewrite_imperative(clean_text(said), role="decision").startswith("Serve the metrics endpoint")
    assert (
        rewrite_imperative("Therefore, the service is down.", role="decision")
        == "Therefore, the service is down."
    )
