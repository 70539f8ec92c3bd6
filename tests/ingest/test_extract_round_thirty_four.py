"""Round thirty-four: chat threads copied as text (state emoji on action lines, no reStructuredText
from emoji shortcodes), a tracker's id column, a runbook's reason-code table, done tickets named in a
runbook, FAQ answers read with their question."""

from __future__ import annotations

from ingest.extract.faq_answers import answer_rule
from ingest.extract.step_tables import is_number_cell
from ingest.formats import detect, plain_text
from ingest.parser import parse_document


def _records(text: str, path: str) -> list[tuple[str, str, str | None]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type, c.state) for c in doc.constraints]


CHAT = """\
#inc-42-cache  (thread copied from Slack)

Ana Lind  09:41
:rotating_light: the cache is returning 500s. Starting an incident.

Bo Chen  09:43
:eyes: looking

Ana Lind  10:12
:memo: Retro notes below

Actions:
:white_check_mark: Bo - add a readiness probe to the cache deployment (done 11-08)
:hourglass: Ana - page on two failed synthetic checks in a row
"""


def test_chat_thread_with_emoji_is_plain_text_not_rst() -> None:
    assert detect("thread.txt", CHAT.encode()) == "text"
    # a reStructuredText field list stays reStructuredText
    rst = "Title\n=====\n\n:Author: Ana\n:Status: draft\n\nBody text.\n"
    assert detect("page.txt", rst.encode()) == "rst"


def test_state_emoji_open_task_items() -> None:
    md = plain_text.to_markdown(CHAT)
    assert "- [x] Bo - add a readiness probe" in md
    assert "- [ ] Ana - page on two failed" in md
    # an emoji inside a line is only noise, and a line that opens with another emoji is no task
    assert "- [" not in plain_text.to_markdown("Bo Chen  09:43\n:eyes: looking at it now\n")


def test_tracker_id_cell_is_not_the_work() -> None:
    assert is_number_cell("#48240")
    assert is_number_cell("OPS-212")
    assert is_number_cell("AB#1234")
    assert is_number_cell("3.")
    assert not is_number_cell("Mark the settings as slot settings")
    assert not is_number_cell("v2")
    doc = """\
# PIR-7 Duplicate e-mails

## Summary

The timer ran twice.

## Action items

| Work item | Title | Owner | State |
|---|---|---|---|
| #48240 | Mark the connection strings as slot settings in all billing apps | Tom | Closed |
| #48244 | Alert when one dispatch run enqueues more than the closed invoices | Tom | New |
"""
    got = _records(doc, "postmortems/pir-7.md")
    assert ("Mark the connection strings as slot settings in all billing apps.", "follow_up", "done") in got
    assert any(s.startswith("Alert when one dispatch run") and st == "open" for s, _, st in got)


RUNBOOK = """\
# Resubmitting a rejected batch

Use this page when the bank rejects a batch file.

## Find out what the bank rejected

| Reason | Meaning | What to do |
|---|---|---|
| `AM05` | Duplicate file | Do **not** resubmit; check whether the first file was accepted |
| `AC04` | Account closed (creditor) | Stop and ask Treasury to confirm the creditor account |

## After the resubmission

- Post in the payments channel with the batch id and the reason code.

> [!TIP]
> Fixed in v3.4: the upload command now waits for the final response and no longer retries on its
> own (PAYOPS-290, closed).

> [!NOTE]
> Known gap: the tool cannot yet split a batch, so one bad account holds up all of it.
> Ticket PAYOPS-318 (open).
"""


def test_reason_code_table_rows_are_cases() -> None:
    got = {s: (t, st) for s, t, st in _records(RUNBOOK, "runbooks/resubmit.md")}
    assert any(s.startswith("If AM05 (duplicate file), do not resubmit") for s in got)
    assert any(s.startswith("If AC04 (account closed), stop and ask Treasury") for s in got)


def test_tickets_a_runbook_names_closed_or_open() -> None:
    got = {s: (t, st) for s, t, st in _records(RUNBOOK, "runbooks/resubmit.md")}
    done = [s for s, v in got.items() if v == ("follow_up", "done")]
    assert any(s.startswith("The upload command now waits") for s in done)
    opened = [s for s, v in got.items() if v == ("follow_up", "open")]
    assert any(s.startswith("The tool cannot yet split a batch") for s in opened)


def test_faq_answers_read_with_their_question() -> None:
    no = answer_rule(
        "Two replicas are broken. Can I rebuild both from the same source at once?",
        "No, one at a time. Two streams from one source make it lag.",
        "runbook",
    )
    assert no == (
        "Do not rebuild both from the same source at once; one at a time. Two streams from one "
        "source make it lag.",
        "lesson",
    )
    only = answer_rule(
        "Can I use last night's backup?", "Only if the rebuild starts within 24 hours.", "runbook"
    )
    assert only == ("Use last night's backup only if the rebuild starts within 24 hours.", "lesson")
    step = answer_rule(
        "Who do I tell?", "Tell the DBA channel before you start. It is a standard change.", "runbook"
    )
    assert step == ("Tell the DBA channel before you start.", "mitigation")
    # a yes, an explanation, and a postmortem's answer to its customers are left alone
    assert answer_rule("Can I resume?", "Yes, with the --resume flag.", "runbook") is None
    assert answer_rule("Why did it fail?", "The disk was full.", "runbook") is None
    assert answer_rule("What should I do?", "Update the app to 4.2 from the store.", "postmortem") is None


def test_faq_in_a_runbook_gives_records() -> None:
    doc = """\
# replica-rebuild

Rebuild a broken replica from a healthy one.

## FAQ

**Q: Can I use last night's backup instead of streaming?**
A: Only if the rebuild can start within 24 hours of the backup.

**Q: Can I rebuild two replicas from one source at once?**
A: No. Two streams from one source make the source lag behind the primary.
"""
    got = [s for s, _, _ in _records(doc, "runbooks/replica-rebuild.md")]
    assert any(s.startswith("Use last night's backup instead of streaming only if") for s in got)
    assert any(s.startswith("Do not rebuild two replicas from one source at once") for s in got)


def test_open_work_list_of_a_runbook_holds_follow_ups() -> None:
    doc = """\
# replica-rebuild

Rebuild a broken replica from a healthy one.

## Open work

- [ ] `stream-restore.sh`: refuse to run when `--from` is the current primary (DBR-221)
- [x] `attach-replication.sh` checks that the backup's GTID set is still on the source (DBR-204)
"""
    got = _records(doc, "runbooks/replica-rebuild.md")
    assert any("refuse to run when --from" in s and (t, st) == ("follow_up", "open") for s, t, st in got)
    assert any(
        "checks that the backup's GTID set" in s and (t, st) == ("follow_up", "done") for s, t, st in got
    )
    # a checklist of a runbook's own steps stays steps
    steps = "# deploy\n\nDeploy the service.\n\n## Before you start\n\n- [ ] Confirm the change is approved\n"
    assert all(t != "follow_up" for _, t, _ in _records(steps, "runbooks/deploy.md"))


def test_post_and_invalidate_are_verbs() -> None:
    from ingest.extract.text import is_imperative

    assert is_imperative("Post start and finish in #dbr and in the change calendar.")
    assert is_imperative("Invalidate the CDN cache right after the fix.")
    assert not is_imperative("Post-incident review happens on Monday.")
