"""Round thirty-three: an RFC's unresolved questions, an ADR's design items told as limits, items
labelled with their state, plain-text runbooks (one-word headings over an indented body, "[open]"
tags), a step's later prohibition, open tickets a runbook names, a lesson's instruction after a
semicolon, steps that open with the tool they happen in."""

from __future__ import annotations

from ingest.extract import role_of
from ingest.extract.text import is_imperative
from ingest.formats import plain_text
from ingest.loader import parse_file
from ingest.parser import parse_document
from ingest.record_types import is_state_labelled, record_type


def _records(text: str, path: str) -> list[tuple[str, str, str | None]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type, c.state) for c in doc.constraints]


RFC = """\
# RFC 0003: Shared cache for build outputs

## Summary

Build outputs are shared through a remote cache.

## Detailed design

- The cache accepts writes only from CI runners; laptops read from it.
- Nothing writes to the release bucket except the signing job.
- Entries are keyed by the hash of every input file.
- If an upload fails, only that entry is skipped and the build goes on.

## Unresolved questions

- Do forks of the repository need a cache of their own? For now they build without one.
- Whether the 30-day eviction is long enough; we will look again in a quarter.
"""


def test_unresolved_questions_are_open_follow_ups() -> None:
    assert role_of("Unresolved questions", "adr") == "skip"
    got = {s: (t, st) for s, t, st in _records(RFC, "adrs/0003-cache.md")}
    asked = [s for s, v in got.items() if v == ("follow_up", "open")]
    assert any(s.startswith("Do forks of the repository") for s in asked)
    assert any(s.startswith("Whether the 30-day eviction") for s in asked)


def test_design_items_told_as_limits_are_constraints() -> None:
    got = {s: t for s, t, _ in _records(RFC, "adrs/0003-cache.md")}
    assert got.get("The cache accepts writes only from CI runners; laptops read from it.") == "constraint"
    assert got.get("Nothing writes to the release bucket except the signing job.") == "constraint"
    # look-alikes: a design fact with no limit, and a step for a case ("If an upload fails, only ...")
    assert not any(s.startswith("Entries are keyed") for s in got)
    assert not any(s.startswith("If an upload fails, only") for s in got)


STATUS_PAGE = """\
## Incident report: delayed e-mails

### What we are doing to prevent this

- **Completed:** The queue workers will be restarted one at a time during deploys.
- **In progress:** Alerts must fire when the delivery delay passes 5 minutes.
- The on-call rota must include a second engineer at night.
"""


def test_state_label_makes_an_item_a_follow_up_whatever_its_wording() -> None:
    got = {s: (t, st) for s, t, st in _records(STATUS_PAGE, "postmortems/report.md")}
    labelled = {k: v for k, v in got.items() if k.startswith(("Restart the queue workers", "Alerts must"))}
    assert sorted(labelled.values()) == [("follow_up", "done"), ("follow_up", "open")]
    # an unlabelled rule stays a rule
    assert got["The on-call rota must include a second engineer at night."][0] == "constraint"
    assert is_state_labelled("- **In progress:** X") and is_state_labelled("Done: X")
    assert not is_state_labelled("Alerts must fire when done: always")
    lesson = record_type("Alerts must fire.", role="lesson", kind="postmortem", labelled=True)
    assert lesson[0] == "constraint"  # a label says nothing of a lesson


TXT_RUNBOOK = """\
NIGHTLY EXPORT CHECK

WHEN
  Every weekday after 07:00, before the finance team starts.

PROCEDURE
  1. Open the export folder on the finance share and check that today's file is there
     with today's date. Never rename the file by hand: the importer matches its exact name.
  2. Compare the row count with yesterday's file.

KNOWN PROBLEMS
  [open]  The export is late on the first day of each month (ticket FIN-12).
  [fixed] Exports of more than 1 GB were cut short in June.
"""


def test_plain_text_word_heading_over_indented_body() -> None:
    lines = plain_text.to_markdown(TXT_RUNBOOK).split("\n")
    assert lines[2] == "## When" and lines[5] == "## Procedure"
    # a capitalised word that opens a paragraph at the margin, with no indented body, stays text
    shout = "Notes\n\nURGENT\nthe job failed again.\n"
    assert "## " not in plain_text.to_markdown(shout).split("\n")[2]


def test_plain_text_state_tags_are_tasks() -> None:
    lines = plain_text.to_markdown(TXT_RUNBOOK).split("\n")
    assert lines[11].startswith("- [ ] The export is late")
    assert lines[12].startswith("- [x] Exports of more than 1 GB")
    doc = dict(parse_file("runbooks/export.txt", TXT_RUNBOOK.encode()))["runbooks/export.txt"]
    got = {c.statement: (c.record_type, c.state) for c in doc.constraints}
    assert ("follow_up", "open") in got.values() and ("follow_up", "done") in got.values()
    # the step's later "Never ..." sentence is a rule of its own
    assert got.get("Never rename the file by hand: the importer matches its exact name.", ("",))[0] == (
        "constraint"
    )


ALERT_RUNBOOK = """\
# QueueDepthHigh

## Remediation

- **Consumer stuck:** restart the consumer pod. Check its logs first. Do not worry about the alert \
flapping.
- Scale the consumers to 6.

## Escalation

Page the messaging on-call if the depth keeps rising. Known issue: the alert also fires during the \
nightly compaction — ticket MQ-88 (open) is moving compaction to a quieter hour.

!!! note
    Replays of dead letters are not automated yet. Tracked in MQ-91 (open).
"""


def test_open_tickets_named_in_a_runbook_are_open_follow_ups() -> None:
    got = {s: (t, st) for s, t, st in _records(ALERT_RUNBOOK, "runbooks/queue-depth.md")}
    opened = [s for s, v in got.items() if v == ("follow_up", "open")]
    assert any(s.startswith("The alert also fires during the nightly compaction") for s in opened)
    assert any(s.startswith("Replays of dead letters are not automated yet") for s in opened)
    # an aside "Do not worry" is no prohibition
    assert not any(s.startswith("Do not worry") for s in got)


LESSONS = """\
# Incident 12: stale prices

## Lessons learned

- A slow page does not mean the database is at fault; check the cache hit rate before the database.
- Caches need an owner; we never had one.
"""


def test_lesson_fact_then_instruction_is_kept() -> None:
    got = [s for s, _, _ in _records(LESSONS, "postmortems/12.md")]
    assert any(s.startswith("A slow page does not mean the database is at fault; check") for s in got)


def test_step_opening_with_the_tool_it_happens_in_is_imperative() -> None:
    assert is_imperative("In Flagpole, set mail-routing to backup for all traffic.")
    assert is_imperative("In Veeam, choose File Level Restore.")
    # look-alikes: a time or a place told as a story
    assert not is_imperative("In March, we moved the cluster.")
    assert not is_imperative("In Kubernetes, pods restart on their own.")


def test_a_purpose_lead_stays_with_its_steps() -> None:
    from ingest.extract.splitting import split_coordinated

    text = "To relieve a backlog, set the pause flag for that merchant, and tell the account manager"
    assert split_coordinated(text) == [text]
    # steps with no purpose before them still split
    assert (
        len(split_coordinated("Set the pause flag, tell the account manager, and restart the worker pods"))
        == 3
    )


def test_a_short_step_keeps_its_prohibition() -> None:
    text = "# Disk swap\n\n## Steps\n\n1. The new log dir must be empty. Do not copy data from another dir.\n"
    got = [s for s, _, _ in _records(text, "runbooks/disk.md")]
    assert "Do not copy data from another dir." not in got


def test_look_alikes_of_a_prohibition_and_of_an_instruction_clause() -> None:
    from ingest.extract.clause_rules import fact_then_instruction
    from ingest.sections import build_outline

    steps = (
        "# Failover\n\n## Steps\n\n"
        "1. Move the traffic back to the primary region in steps of 25%. Never straight back to 100%.\n"
    )
    assert not any(s.startswith("Never straight") for s, _, _ in _records(steps, "runbooks/failover.md"))
    lessons = (
        "# Incident 9\n\n## Lessons learned\n\n"
        "- The expiry alert went to an archived channel; alert routing is not tested.\n"
        "- A slow page does not mean the database is at fault; check the cache hit rate first.\n"
    )
    outline = build_outline(lessons, offset=0, original_lines=lessons.split("\n"), title_hint="Incident 9")
    got = [c.statement for c in fact_then_instruction(outline, "postmortem", "Incident 9")]
    assert got == ["A slow page does not mean the database is at fault; check the cache hit rate first."]


def test_a_colon_inside_a_code_span_splits_no_label() -> None:
    from ingest.extract.words import inside_code

    text = "Mark the artifacts keep with artifacts:expire_in: never in the release template"
    assert inside_code(text, text.index(":"), ["keep", "artifacts:expire_in: never"])
    assert not inside_code("Replica lag: point readers at X", 11, ["X"])
    issue = (
        "# Incident 4\n\n## Corrective actions\n\n"
        "- [ ] Mark release artifacts `keep` with `artifacts:expire_in: never` in the release template\n"
    )
    got = [s for s, _, _ in _records(issue, "postmortems/4.md")]
    assert any(s.startswith("Mark release artifacts keep with artifacts:expire_in: never") for s in got)
