# ruff: noqa: E501  (Markdown tables are one line a row)
"""Round thirty-one: status tables and runbook case tables, lesson columns named by what the team
takes from a row, numbered lessons told as facts, pattern-form and PEP-style ADR headings."""

from __future__ import annotations

from ingest.extract import clean_text, is_rule_like, role_of
from ingest.extract.fact_lessons import fact_lesson_candidates
from ingest.parser import parse_document
from ingest.raw_html import inline_raw_html
from ingest.record_types import follow_up_state
from ingest.sections import build_outline


def _records(text: str, path: str) -> list[tuple[str, str, str | None]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return [(c.statement, c.record_type, c.state) for c in doc.constraints]


def _statements(text: str, path: str) -> list[str]:
    return [s for s, _, _ in _records(text, path)]


MATRIX = """\
# Render farm triage matrix

Read the row that matches what you see.

## Matrix

| # | Symptom | First check | Action | Do not |
|---|---|---|---|---|
| 1 | Jobs fail with exit 137 | `kubectl top pods` for the failing profile | Move the profile to the highmem pool. | Do not raise memory limits on the default pool; it starves the others. |
| 2 | GPU nodes NotReady | `nvidia-smi` on the node | Cordon and drain the node. | Never reboot more than two GPU nodes at once. |

## Matrix backlog

| Item | Status |
|---|---|
| Row for packaging failures caused by key server timeouts | drafting |
| Make the retry command refuse a full retry without confirmation | shipped 2026-11 |
"""


def test_case_table_gives_steps_with_their_case_and_do_not_rules() -> None:
    got = _records(MATRIX, "runbooks/render-triage.md")
    steps = [s for s, t, _ in got if t == "procedure"]
    assert any(s.startswith("If jobs fail with exit 137, check kubectl top pods") for s in steps)
    assert any("move the profile to the highmem pool" in s for s in steps)
    rules = [s for s, t, _ in got if t == "constraint"]
    assert "Never reboot more than two GPU nodes at once." in rules
    assert any(s.startswith("Do not raise memory limits on the default pool") for s in rules)


def test_status_table_rows_are_follow_ups_with_their_state() -> None:
    got = {s: (t, st) for s, t, st in _records(MATRIX, "runbooks/render-triage.md")}
    assert got["Row for packaging failures caused by key server timeouts."] == ("follow_up", "open")
    assert got["Make the retry command refuse a full retry without confirmation."] == ("follow_up", "done")


def test_escalation_and_service_state_tables_give_no_rows() -> None:
    """Look-alikes: whom to call is no step, and a service's state is no work state."""
    doc = """\
# Security triage

## Escalation

| Situation | Action | How |
|---|---|---|
| Need forensic assistance | AWS Support | Open a support case |

## Services

| Service | Status |
|---|---|
| Payment gateway in the primary region | degraded |
"""
    got = _statements(doc, "runbooks/security-triage.md")
    assert not any("AWS Support" in s or "Payment gateway" in s for s in got)


def test_done_state_cell_with_its_date() -> None:
    assert (
        follow_up_state("| Input age gate in the run launcher | in production since 6 Nov |", role="task")[0]
        == "done"
    )
    assert (
        follow_up_state("| Comms kit text for outages | drafted, needs legal review |", role="task")[0]
        == "open"
    )


FISHBONE = """\
# Cause analysis: freezer thaw

## Cause map

| Bone | Contributing cause | What we take from it |
|---|---|---|
| Method | Firmware scheduled by vendor plan | Firmware on anything that can raise a food-safety alarm goes through site change control. |
| Machine | Fan trip relay has no alarm contact | — |
"""


def test_lesson_column_named_by_what_the_team_takes_is_a_lesson() -> None:
    got = _records(FISHBONE, "postmortems/freezer-thaw.md")
    assert (
        "Firmware on anything that can raise a food-safety alarm goes through site change control.",
        "constraint",
        None,
    ) in got
    assert not any("Fan trip relay" in s for s, _, _ in got)


FACTS = """\
# Stale boundary data

## Timeline

- 05:10 fetch job fails.

## What stays true

We write these down as facts about how the system works from now on.

1. Every input file of a production run carries its own valid time, and a run does not start when
   any input is more than nine hours older than the run time.
2. Running and publishing are two steps. A run that has not passed the scorecard stays internal.
3. The input check was only looking at the trigger file.
4. The fact that the proxy is a single point of failure with a long recovery time.
"""


def test_numbered_lessons_told_as_facts_are_kept() -> None:
    got = _statements(FACTS, "postmortems/stale-boundary.md")
    assert any(s.startswith("Every input file of a production run carries its own valid time") for s in got)
    assert any(s.startswith("Running and publishing are two steps. A run that has not passed") for s in got)
    assert not any("trigger file" in s for s in got)  # the past: the story, not a fact that holds
    assert not any(s.startswith("The fact that") for s in got)  # a verb only in a relative clause


def test_bulleted_lessons_need_a_lead_naming_rules() -> None:
    callout = """\
# Ledger replay

## What stays with us

> [!important] Rules
> - Postings are deduplicated on the business key and never on a transport position.
> - An idempotency window is at least as long as the longest replay the topic can deliver.
"""
    got = _statements(callout, "postmortems/ledger-replay.md")
    assert any(s.startswith("An idempotency window is at least as long") for s in got)
    plain = callout.replace("> [!important] Rules\n", "")
    outline = build_outline(plain, offset=0, original_lines=plain.split("\n"), title_hint="Ledger replay")
    assert fact_lesson_candidates(outline, "postmortem", "Ledger replay") == []
    outline = build_outline(callout, offset=0, original_lines=callout.split("\n"), title_hint="Ledger replay")
    assert len(fact_lesson_candidates(outline, "postmortem", "Ledger replay")) == 2


def test_pattern_form_and_pep_headings_have_roles() -> None:
    assert role_of("Therefore", "adr") == "decision"
    assert role_of("Resulting context", "adr") == "consequence"
    assert role_of("Context", "adr") != "consequence"
    assert role_of("Forces", "adr") == "context"
    assert role_of("Specification", "adr") == "decision"
    assert role_of("Rejected Ideas", "adr") == "options"
    assert role_of("Reference Implementation", "adr") == "action"


def test_never_with_a_participle_is_a_rule() -> None:
    assert is_rule_like("Field numbers are never reused and never renumbered.")
    assert not is_rule_like("The alert was never fired during the incident.")


def test_state_after_a_colon_is_dropped_but_a_step_is_not() -> None:
    assert clean_text("Registry content sniffing: merged (MR 2211), active in warn mode.") == (
        "Registry content sniffing"
    )
    assert clean_text("Dashboard: open the Grafana panel for the queue") == (
        "Dashboard: open the Grafana panel for the queue"
    )


CHART = """\
# Replica lag during a sale

```mermaid
flowchart TD
    A([Lag alert fires]) --> B{Is a sale running?}
    B -->|no| C[Look for long queries on the replica]
    B -->|yes| D{Is checkout reading from a replica?}
    D -->|yes| G[Flip checkout reads to the primary]
    X[/Never promote a replica<br/>during a sale/]:::danger
    classDef danger fill:#fdd
```
"""


def test_flowchart_boxes_are_steps_with_their_case_and_danger_boxes_rules() -> None:
    got = _records(CHART, "runbooks/replica-lag.md")
    assert ("Never promote a replica during a sale.", "constraint", None) in got
    steps = [s for s, t, _ in got if t == "procedure"]
    assert "If checkout reading from a replica, flip checkout reads to the primary." in steps
    assert "If not a sale running, look for long queries on the replica." in steps
    assert not any("Lag alert fires" in s for s, _, _ in got)  # an event, not a step


def test_a_chart_in_a_postmortem_or_a_non_flowchart_block_gives_no_steps() -> None:
    """Look-alikes: a postmortem's chart draws what happened; a sequence diagram is no decision tree."""
    pm = CHART.replace("# Replica lag during a sale", "# Incident: replica lag\n\n## Timeline")
    assert not any("Flip checkout" in s for s in _statements(pm, "postmortems/replica-lag.md"))
    seq = CHART.replace("flowchart TD", "sequenceDiagram")
    assert not any("Flip checkout" in s for s in _statements(seq, "runbooks/replica-lag.md"))


CHAT = """\
# #ops channel, annotated log

## Channel log

```
07:12 <ravi> want to restart the broker to force resubscribe?
07:21 <marta> batch of 10 stations, wait for the ack, then the next batch. never more than 10 at once.
07:36 <kofi> each hotline unlock has to be logged against the rider
07:36 <kofi> account, otherwise the bike shows as stolen
07:40 <pagerbot> RESOLVED never mind the earlier alert for st-0440 and friends
08:12 <ravi> note for the runbook: after any broker upgrade, diff the effective config
```

## Follow-ups

- [ ] Make the broker refuse unknown config keys
"""


def test_rules_spoken_in_a_chat_log_are_lessons() -> None:
    got = _statements(CHAT, "postmortems/ops-log.md")
    assert any(s.startswith("Each hotline unlock has to be logged against the rider account") for s in got)
    assert "After any broker upgrade, diff the effective config." in got
    assert any(s.startswith("Batch of 10 stations") for s in got)
    assert not any("restart the broker" in s or "RESOLVED" in s for s in got)  # a question, a bot


def test_a_code_block_that_is_no_chat_gives_nothing() -> None:
    doc = CHAT.replace("07:12 <ravi>", "$ kubectl get pods  # never").replace("<marta>", "marta:")
    doc = doc.replace("07:36 <kofi>", "echo").replace("07:40 <pagerbot>", "echo")
    doc = doc.replace("08:12 <ravi>", "echo")
    got = _statements(doc, "postmortems/ops-log.md")
    assert not any("has to be logged" in s for s in got)


GH_ADR = """\
title:\tADR: where do sessions live?
state:\tCLOSED
--
## Context

The session cookie cannot be revoked.

author:\towner
status:\tnone
--
### Decision

We adopt option 2: sessions are stored server-side in a dedicated Redis cluster.

### Rules

- The session cluster is separate from the cache cluster and is never flushed as part of a deploy.
- Role changes delete every session of that user at once.
"""


def test_adr_rules_heading_binds_its_items_under_comment_metadata() -> None:
    got = _records(GH_ADR, "adrs/0412-sessions.md")
    rules = [s for s, t, _ in got if t == "constraint"]
    assert "Role changes delete every session of that user at once." in rules
    assert any(s.startswith("The session cluster is separate from the cache cluster") for s in rules)


def test_adr_options_rules_are_not_bound() -> None:
    """Look-alike: an item under an options heading is no binding rule, whatever its words."""
    doc = GH_ADR.replace("### Rules", "### Considered options")
    got = _records(doc, "adrs/0412-sessions.md")
    assert not any(s.startswith("Role changes delete every session") and t == "constraint" for s, t, _ in got)


EXPORT = """\
# SSO login loop

<h2 id="Firstchecks">First checks</h2>

1. Ask for the app name and the browser.

<h2 id="Causes">Causes and fixes</h2>

<table class="confluenceTable"><tbody>
<tr><th>What you see</th><th>Likely cause</th><th>Fix</th></tr>
<tr><td>Loop for everyone on one app after its release</td><td>Redirect URI changed</td><td>Add the exact URI to the client; never add a wildcard.</td></tr>
</tbody></table>

<ul class="inline-task-list">
<li class="checked">Add the Safari row to the table</li>
</ul>
"""


def test_raw_html_blocks_of_an_export_are_read_as_markdown() -> None:
    got = _statements(EXPORT, "runbooks/sso-login-loop.md")
    assert any(
        s.startswith("If loop for everyone on one app after its release, add the exact URI") for s in got
    )
    assert inline_raw_html(EXPORT).count("\n") >= EXPORT.count("\n")  # later lines keep their numbers


def test_a_lone_html_block_is_left_as_it_is() -> None:
    """Look-alike: a README's centred badge or one <details> is no export."""
    doc = '# Tool\n\n<div align="center">\n<img src="logo.png">\n</div>\n\n## Use\n\n- Run the tool daily.\n'
    assert inline_raw_html(doc) == doc
    fenced = "# Tool\n\n```html\n<h2>Example</h2>\n<table><tr><td>x</td></tr></table>\n```\n"
    assert inline_raw_html(fenced) == fenced
