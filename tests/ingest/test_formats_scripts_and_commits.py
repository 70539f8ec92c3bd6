"""Runbooks carried in a script's comments, postmortems in a commit message, step tables with an
"If not" column, and the ADR tables and headings that came with them (round twenty-eight)."""

from __future__ import annotations

from ingest import record_types
from ingest.extract.candidate import known_role
from ingest.extract.step_tables import fallback, is_number_cell, is_step_table, with_fallback
from ingest.formats import commit_message, detect, handles, plain_text, script_comments, sources
from ingest.loader import parse_file
from ingest.parser import DocumentDraft

MAKEFILE = """\
# =============================================================
# deploy.mk: roll the billing workers to a new image
#
# This Makefile is the runbook for a worker roll. Each target is one
# step; run them in order and read the comment above each first.
#
#   make -f deploy.mk plan IMAGE=billing:1.4
#
# Standing rules:
#   * Never roll during the month-end close; the queue must be empty.
#   * Announce the roll in the billing channel before the first step.
# =============================================================

IMAGE ?=

# Step 1. Plan. Check that the queue depth is below one thousand
# messages and that no other roll is running.
plan:  ## show the plan
\tkubectl get deploy billing-worker

# Step 2. Roll one zone at a time and wait for the workers to be ready
# before the next zone. Never roll two zones at once.
roll:  ## roll the workers
\tkubectl rollout restart deploy/billing-worker

# TODO(ops): make `plan` fail when the queue is over the limit.
# DONE(2026-10-01): `roll` waits for readiness between zones.
"""


def test_script_names_are_handled_and_detected() -> None:
    assert handles("ops/deploy.mk") and handles("Makefile") and handles("tools/restore.sh")
    assert detect("ops/deploy.mk", MAKEFILE.encode()) == "script"
    assert not handles("src/main.c")


def test_script_comments_become_the_document() -> None:
    lines = script_comments.to_markdown(MAKEFILE).split("\n")
    assert len(lines) == len(MAKEFILE.split("\n"))  # each line stays on its line
    assert lines[0] == ""  # a rule drawn in a comment
    assert lines[1] == "# deploy.mk: roll the billing workers to a new image"  # the title
    assert lines[6] == "      make -f deploy.mk plan IMAGE=billing:1.4"  # a command shown: code
    assert lines[8] == "## Standing rules"
    assert lines[12] == ""  # code is blank
    assert lines[14] == "## Steps"  # on the code line before the first step
    assert lines[15] == "1. Check that the queue depth is below one thousand"  # its one-word name dropped
    assert lines[16] == "   messages and that no other roll is running."
    assert lines[20] == "2. Roll one zone at a time and wait for the workers to be ready"
    assert lines[24] == "## Follow-ups"
    assert lines[25] == "- TODO: make `plan` fail when the queue is over the limit."
    assert lines[26] == "- [x] `roll` waits for readiness between zones."


def test_a_script_without_prose_comments_is_skipped() -> None:
    script = "#!/bin/sh\n# build the thing\nset -e\nmake all\n"
    [found] = sources("build.sh", script.encode(), max_bytes=100_000)
    assert found.skip and not found.format


def test_script_runbook_records() -> None:
    [(_, draft)] = parse_file("runbooks/deploy.mk", MAKEFILE.encode())
    assert isinstance(draft, DocumentDraft)
    by_text = {c.statement: c for c in draft.constraints}
    todo = next(c for c in draft.constraints if "make plan fail" in c.statement.lower().replace("`", ""))
    assert (todo.record_type, todo.state) == ("follow_up", "open")
    assert any(c.statement.startswith("Never roll during the month-end close") for c in by_text.values())
    assert not any("kubectl" in c.statement for c in draft.constraints)  # recipes are not lessons


COMMIT = """\
commit 0123456789abcdef0123456789abcdef01234567
Author: A. Writer <a.writer@example.org>
Date:   Mon Oct 5 10:00:00 2026 +0000

    Revert "search: cache results by prefix" (#42)

    This reverts commit 89abcdef0123456789abcdef0123456789abcdef.

    What we change
    --------------
    - Search results must be cached by the full query, never by a prefix.

    Follow-ups
    ----------
    [done] Revert the prefix cache.
    [todo] Add a test with two queries that share a prefix
           but not their results.

    Reviewed-by: B. Reviewer <b.reviewer@example.org>
    Refs: SRCH-7
"""


def test_commit_message_header_trailers_and_state_items() -> None:
    lines = plain_text.to_markdown(COMMIT).split("\n")
    assert len(lines) == len(COMMIT.split("\n"))
    assert lines[0] == '# Revert "search: cache results by prefix" (#42)'
    assert lines[1] == lines[2] == lines[4] == lines[6] == ""  # header, subject line, revert line
    assert lines[8] == "## What we change"
    assert lines[14] == "- [x] Revert the prefix cache."
    assert lines[15] == "- [ ] Add a test with two queries that share a prefix"
    assert lines[16] == "      but not their results."
    assert lines[18] == lines[19] == ""  # trailers


def test_text_that_is_no_commit_is_left_alone() -> None:
    text = ["commit to the plan", "Date: tomorrow"]
    assert commit_message.clean(text) == (None, text)


def test_commit_message_records() -> None:
    [(_, draft)] = parse_file("postmortems/revert.txt", COMMIT.encode())
    assert isinstance(draft, DocumentDraft)
    got = {(c.record_type, c.state) for c in draft.constraints}
    assert ("follow_up", "done") in got and ("follow_up", "open") in got
    assert not any("Reviewed-by" in c.statement or "Author" in c.statement for c in draft.constraints)


def test_step_table_rows_fold_in_their_fallback() -> None:
    header = ["Step", "Action", "Expected result", "If not"]
    assert is_step_table(header) and not is_step_table(["Step", "Owner", "Status"])
    assert is_number_cell("3") and not is_number_cell("Restart the worker")
    row = ["1", "Check the certificate expiry", "More than 7 days left", "Less than 7 days: raise a change."]
    assert fallback(header, row) == "If less than 7 days, raise a change."
    assert with_fallback(header, row, row[1]) == (
        "Check the certificate expiry. If less than 7 days, raise a change."
    )
    assert fallback(header, ["2", "Submit the request", "Ticket raised", "—"]) == ""
    assert fallback(header, ["3", "Send a test message", "Processed", "Escalate to support."]) == (
        "If not, escalate to support."
    )


STEP_TABLE = """\
# Renew the broker certificate

## Warnings

| ⚠ | |
|---|---|
| 1 | Never copy the private key off the broker host. |

## Steps

| Step | Action | Expected result | If not |
|---|---|---|---|
| 1 | Check the current expiry with the key tool | Over 7 days left | Under 7 days: raise a change. |
| 2 | Restart the listener on the primary | Up in 2 minutes | Roll back and page the lead. |
"""


def test_step_table_runbook_records() -> None:
    [(_, draft)] = parse_file("runbooks/renew.md", STEP_TABLE.encode())
    assert isinstance(draft, DocumentDraft)
    statements = [c.statement for c in draft.constraints]
    assert any(s.startswith("Check the current expiry") and "raise a change" in s for s in statements)
    assert not any(s.strip(". ") in ("1", "2") for s in statements)
    warning = next(c for c in draft.constraints if c.statement.startswith("Never copy the private key"))
    assert warning.record_type == "constraint"  # a numbered warnings table's row


ADR = """\
# ADR-7: Queue for billing events

## Decided

- Billing events go through the managed queue service from January.

## Conditions attached to the decision

| # | Condition | Why |
|---|---|---|
| C1 | Every consumer acknowledges a message only after its write has committed. | no lost events |

## Notes

| Item | Owner | State |
|---|---|---|
| Load test the queue with a month-end volume | Platform | Open |
"""


def test_adr_decided_heading_condition_column_and_tracked_rows() -> None:
    [(_, draft)] = parse_file("adrs/queue.md", ADR.encode())
    assert isinstance(draft, DocumentDraft)
    got = {c.statement.split()[0]: (c.record_type, c.state) for c in draft.constraints}
    assert got["Every"] == ("constraint", None)  # a condition column's row
    assert got["Load"] == ("follow_up", "open")  # a tracker table in an ADR
    assert known_role("Decided", "adr") == "decision"  # a changelog of decisions names its choice so
    assert known_role("5. Themes", "postmortem") == "lesson"  # a debrief's learnings


def test_runbook_step_whose_rule_is_its_check() -> None:
    kind, rules = record_types.record_type(
        "Run the smoke suite in staging. All 12 checks must pass.",
        role="",
        kind="runbook",
        source="item",
    )
    assert (kind, rules) == ("procedure", ["type.runbook-step-check"])
    assert (
        record_types.record_type(
            "Run the smoke suite in staging. All 12 checks must pass.",
            role="",
            kind="runbook",
            source="sentence",
        )[0]
        == "constraint"
    )  # a paragraph's sentence is read as before
