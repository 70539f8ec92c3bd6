"""Cross-document ADR supersession: references resolve to paths and mark the old decision."""

from __future__ import annotations

from ingest.parser import parse_document
from ingest.supersession import resolve_supersession
from kb.records import DocumentDraft


def parse(text: str, path: str) -> DocumentDraft:
    return parse_document(text, path=path, sha256="0" * 64)


OLD_NYGARD = """# 12. Use a custom user model

Date: 2022-09-26

## Status

Superseded by [20. User models revisited](./0020-user-models-revisited.md)

## Context

Framework guidance says a custom user model must be created in the first migration.

## Decision

We will use a custom user model with a separate profile table.
"""

NEW_NYGARD = """# 20. User models revisited

Date: 2023-01-10

## Status

Accepted

## Context

The profile table duplicated contact data.

## Decision

We will store contact details on the user model and must drop the profile table.
"""

OLD_MADR = """---
nav_order: 45
parent: Decision Records
status: "superseded by ADR-0057"
---
# Always use an input flag for input files

## Context and Problem Statement

The command line mixed positional and flagged inputs.

## Decision Outcome

Chosen option: "Require --input for every input file", because it is explicit.
"""

NEW_MADR = """---
nav_order: 57
parent: Decision Records
status: "accepted; supersedes ADR-0045"
---
# Allow a positional input file argument

## Context and Problem Statement

Users found the flag cumbersome.

## Decision Outcome

Chosen option: "Accept a positional input file", because it is shorter to type.
"""

PARTLY_OLD = """# 3. Networking outline

Date: 2017-06-30

## Status

Partly superseded

## Decision

* Use one VPC per environment.
* Spread three private subnets across availability zones.

**These IP ranges have been superseded by [ADR #0033](0033-ip-ranges.md).**
"""

PARTLY_NEW = """# 33. IP ranges

Date: 2018-01-01

## Status

Accepted

## Context

This ADR in part supersedes [0003](0003-networking-outline.md).

## Decision

We will allocate a /16 range to each environment.
"""


def test_superseded_by_link_resolves_to_successor_path() -> None:
    old = parse(OLD_NYGARD, "adrs/x/decisions/0012-user-models.md")
    new = parse(NEW_NYGARD, "adrs/x/decisions/0020-user-models-revisited.md")
    changed = resolve_supersession([old, new])
    assert changed == {old.path, new.path}
    assert old.status == "superseded"
    assert old.metadata["superseded_by_paths"] == [new.path]
    assert new.metadata["supersedes_paths"] == [old.path]
    assert old.constraints
    for c in old.constraints:
        assert c.status == "superseded"
        assert f"superseded-by:{new.path}" in c.tags
    assert all(c.status == "active" for c in new.constraints)


def test_supersedes_on_the_successor_marks_the_predecessor() -> None:
    # the old document says nothing about its successor
    old_text = OLD_MADR.replace('status: "superseded by ADR-0057"\n', "")
    old = parse(old_text, "adrs/j/docs/decisions/0045-use-input-flag.md")
    assert old.status != "superseded"
    new = parse(NEW_MADR, "adrs/j/docs/decisions/0057-allow-positional-input.md")
    resolve_supersession([new, old])
    assert old.status == "superseded"
    assert old.metadata["superseded_by_paths"] == [new.path]
    assert all(c.status == "superseded" for c in old.constraints)


def test_madr_front_matter_reference_by_adr_number() -> None:
    old = parse(OLD_MADR, "adrs/j/docs/decisions/0045-use-input-flag.md")
    new = parse(NEW_MADR, "adrs/j/docs/decisions/0057-allow-positional-input.md")
    resolve_supersession([old, new])
    assert old.metadata["superseded_by_paths"] == [new.path]
    assert new.metadata["supersedes_paths"] == [old.path]


def test_idempotent_and_reports_nothing_the_second_time() -> None:
    old = parse(OLD_NYGARD, "adrs/x/decisions/0012-user-models.md")
    new = parse(NEW_NYGARD, "adrs/x/decisions/0020-user-models-revisited.md")
    resolve_supersession([old, new])
    tags = [list(c.tags) for c in old.constraints]
    assert resolve_supersession([old, new]) == set()
    assert [list(c.tags) for c in old.constraints] == tags


def test_partly_superseded_keeps_constraints_active_with_a_tag() -> None:
    old = parse(PARTLY_OLD, "adrs/g/decisions/0003-networking-outline.md")
    new = parse(PARTLY_NEW, "adrs/g/decisions/0033-ip-ranges.md")
    assert old.metadata.get("partly_superseded") is True
    resolve_supersession([old, new])
    assert old.metadata["superseded_by_paths"] == [new.path]
    assert old.constraints
    for c in old.constraints:
        assert c.status == "active"
        assert f"partly-superseded-by:{new.path}" in c.tags


def test_unresolvable_and_cross_folder_references_are_left_alone() -> None:
    old = parse(OLD_NYGARD, "adrs/x/decisions/0012-user-models.md")
    other = parse(NEW_NYGARD, "adrs/other-project/decisions/0020-user-models-revisited.md")
    resolve_supersession([old, other])
    assert "superseded_by_paths" not in old.metadata
    assert old.status == "superseded"  # the document itself says so
    assert all(not any(t.startswith("superseded-by:") for t in c.tags) for c in old.constraints)


def test_proposal_that_supersedes_does_not_retire_the_accepted_decision() -> None:
    new = parse(NEW_NYGARD.replace("Accepted", "Proposed"), "adrs/x/decisions/0020-user-models-revisited.md")
    new.metadata["supersedes"] = ["12"]
    old = parse(
        OLD_NYGARD.replace(
            "Superseded by [20. User models revisited](./0020-user-models-revisited.md)", "Accepted"
        ),
        "adrs/x/decisions/0012-user-models.md",
    )
    resolve_supersession([old, new])
    assert old.status == "accepted"
    assert new.metadata["supersedes_paths"] == [old.path]


def test_non_adr_documents_are_ignored() -> None:
    pm = parse(
        "# Outage\n\n## Action Items\n\n- Add an alert on queue depth.\n", "postmortems/0012-outage.md"
    )
    assert resolve_supersession([pm]) == set()
