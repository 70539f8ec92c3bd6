"""What an extracted record is (constraint, decision, procedure, follow-up), its state, its severity.

Each decision is a named rule with an example (``RULES``); :func:`record_type` returns the type
with the names of the rules that decided it, so a reviewer can see why (``ConstraintDraft.rules``).

- A **constraint** is a durable rule: what must or must not be done, and when ("Never run ...",
  "Take regular backups ...", "Do not bundle ...").
- A **decision** is an ADR's choice and its binding consequences.
- A **procedure** is a runbook step or check, kept for operations tasks.
- A **follow-up** is a one-off action item ("Add monitoring for X", "Investigate Y"), open or done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class TypeRule:
    name: str
    pattern: re.Pattern[str]
    produces: str
    examples: tuple[tuple[str, str], ...]  # (statement, expected type or state)
    # where the examples stand: the document kind, the section's role and its heading path
    kind: str = "postmortem"
    role: str = "action"
    section: str = ""
    tracked: bool = False  # the examples carry a status, an owner or a due date
    todo: bool = False  # the examples stand in a writer's "TODO:" note
    source: str = ""  # what the examples were read from: "item", "row", "sentence" ('' for any)


# Durable wording: modals, universal quantifiers, standing conditions. An action item that says
# this is a rule the team keeps, not a ticket.
_DURABLE = re.compile(
    r"^(?:never|always|do not|don't|avoid|ensure|make sure|prefer|only|keep|treat|require|"
    r"stop|refuse|forbid|disallow|limit|prohibit)\b|"
    r"\b(?:must|must not|mustn't|shall|should(?! we)|may not|never|always|every time|whenever|each time|"
    r"at all times|regular(?:ly)?|periodic(?:ally)?|by default|as a rule|"
    r"(?:once|twice) an? (?:day|week|month|quarter|year)|"
    r"(?:daily|weekly|monthly|quarterly|annually|nightly)(?=\W*$)|"
    r"before (?:\w+ing|any|every|each|a|the)|"
    r"do not|don't|cannot|only (?:when|if|after|from)|at least|no more than|at most|until|unless|"
    r"(?:on|for|in|with|to) (?:every|each|all|any))\b|"
    r"^(?:all|every|each|any|no)\s|"
    # a gate: "not to deploy X without an audit", "Make it a hard requirement to X"
    r"\bwithout (?:an?\s+|prior\s+)?(?:audit|review|approval|sign-?off)\b|"
    r"^make (?:it|this) (?:a\s+)?(?:hard\s+|strict\s+)?(?:requirement|rule|policy)\b",
    re.I,
)
# Words that make even a completed action a standing rule: "Never X", "X must Y", "Only X".
_FIRM_RULE = re.compile(
    r"^(?:never|always|do not|don't|only|avoid)\b|"
    r"\b(?:must|must not|may not|shall|should|never|always|do not|don't|cannot|can't|unless|"
    r"only (?:when|if|after|from))\b",
    re.I,
)
# The modal core of a rule: in an ADR, a sentence with one of these binds like a constraint. A
# prohibition binds even when worded with "should" ("X should not / shouldn't ever Y"); a bare
# "should" in an ADR mostly tells what the design does ("The result should be a timeout error").
_MODAL = re.compile(r"\b(?:must|shall|never|must not|may not|should(?:n't| not| never))\b", re.I)
# An obligation told with "need(s) to" / "has to" / "have to" binds like "must" ("we also need to
# fill the certification fields, as otherwise X breaks"); not in a clause that names what is met
# ("the conditions that need to be met") nor the team's own plan ("we will have to revisit this").
_OBLIGATION = re.compile(
    r"(?<!\bthat )(?<!\bwhich )(?<!\bwho )(?<!\bwe will )(?<!\bwe would )"
    r"\b(?:needs?|has|have) to\b(?! be met\b)",
    re.I,
)
# One-off work verbs that make a lesson-section item a ticket when it states no rule.
_WORK_VERB = re.compile(
    r"^(?:add|set up|setup|build|create|implement|investigate|look into|explore|write|document|migrate|"
    r"move|upgrade|extend|increase|raise|release|publish|fix|find out|ask|split|replace|introduce)\b",
    re.I,
)
# Conditional steps: "When X, do Y", "If X, do Y": a standing instruction.
_CONDITIONAL = re.compile(
    r"^(?:when(?:ever)?|if|during|once|after|before|while|in case)\b[^,]{3,}?,\s*\w", re.I
)
# A step addressed to the reader of a notice ("If you run 0.8, upgrade to 0.8.1", "As a workaround,
# download X"): what to do in that situation, not a standing rule of the team nor its work item.
_READER_STEP = re.compile(
    r"^(?:(?:if|when|once)\s+you(?:'re|'ve)?\b[^,]{3,},\s*\w|as a workaround,\s*\w)", re.I
)
# The situation a step applies in ("If a service should not be deployed for any reason, ...");
# its words describe the case, not the rule, so a runbook judges the instruction after it.
# the case of a step an alert opens: "When alerts are triggered for X, ...", "If the alarm fires, ..."
_ALERT_CASE = re.compile(
    r"^(?:when(?:ever)?|if|once)\b[^,]{0,60}\b(?:alerts?|alarms?|pages?)\b[^,]{0,60},\s*\w", re.I
)
_LEAD_CONDITION = re.compile(r"^(?:when(?:ever)?|if|in case|once)\b[^,]{3,}?,\s*(?=\w)", re.I)
# A clause naming the case a step applies in ("If the blocker is a migration.", "When X fails"):
# part of a step even when the step itself was cut off.
_SITUATION_LEAD = re.compile(r"^(?:if|when(?:ever)?|once|in case|before|after|while|unless)\b", re.I)
# Where a runbook step is done ("in all etcd pods", "on every node"): the step's scope, not a
# standing rule, when it is the only durable wording of an imperative step
# Where a runbook step's action ends and what it checks or warns of begins ("Run the smoke suite.
# All 12 checks must pass.", "Retry the failed payments; do not ask customers to pay again").
_STEP_SENTENCE_END = re.compile(r"(?<=[a-z0-9)`'\"])(?:\.\s+(?=[A-Z])|;\s+)")
_STEP_SCOPE = re.compile(r"\b(?:on|in) (?:every|each|all|any)\b", re.I)
# A runbook check ("Ensure that X", "Make sure to X"): a step of the procedure, unless the check
# itself says a standing rule ("Make sure every X", "Ensure X before any Y").
_CHECK_LEAD = re.compile(r"^(?:ensure|make sure)(?:\s+(?:that|to))?\s+", re.I)
# A heading addressed to the reader of a notice or to a named group ("What you should do",
# "What users need to do", "Am I affected?", "Recommendation to platform administrators"): its
# items are steps for that reader in the situation, not the team's rule nor its work item.
_READER_SECTION = re.compile(
    r"\bwhat (?:(?:you|users?|operators?|administrators?|customers?|node operators)\s+"
    r"(?:should|need to|must|can|have to)|(?:should|can|do) (?:i|you)(?: need to)?) do\b|"
    r"\bam i affected\b|\bhow can (?:customers|users|you) (?:make|reduce|limit|avoid|protect)\b|"
    r"\b(?:recommendations?|advice|instructions?|guidance) (?:to|for) "
    r"(?:users?|operators?|administrators?|customers?|node operators|platform administrators|"
    r"exchanges|miners|developers)\b",
    re.I,
)
# Verbs of one-off work: a ticket, not a rule.
_TICKET_VERB = re.compile(
    r"^(?:please\s+)?(?:add|move|ask|find out|investigate|look into|explore|build|set up|setup|define|"
    r"document|put|migrate|increase|extend|raise|release|serve|write|create|file|open|upgrade|switch|"
    r"update|fix|replace|implement|evaluate|research|consider|decide|discuss|schedule|contact|reach out|"
    r"publish|deploy|remove|delete|rename|refactor|rewrite|automate|introduce|enable|disable|"
    r"install|configure|provision|port|backport|patch|clean up|follow up|track|audit|assess|"
    r"determine|identify|figure out|check whether|review|revisit|improve|start|begin|finish|complete|"
    r"work with|talk to|sync with|coordinate|communicate|announce|notify|send|share|"
    r"support|adopt|use|switch to|make|get|have|run|test|verify|monitor|alert)\b",
    re.I,
)
# The head of a work item: what comes before its label's colon or dash, or before a clause that
# says what the work is for ("Implement a linter rule to flag calls that don't have a fallback",
# "Monitor X: the team should watch Y"); rule words after it describe the work, not a standing rule.
_ITEM_HEAD = re.compile(
    r"^(?P<head>.+?)(?::\s|\s[-–—]\s|\s(?:that|which|who|when|where|so that|to flag|to catch)\s)"
)
# A gate in the work's own clause ("a report that prices baskets before a promotion goes live")
# makes the work a standing check, wherever it stands.
_GATE_WORD = re.compile(
    r"\b(?:before|until|unless|whenever|every|each|at all times|at least|no more than)\b", re.I
)
# Work a team reports it began or finished ("PyPI Admins completed the new feature to require X",
# "The team began work on a feature which would Y"): a follow-up, open when only begun.
_TEAM_DID = re.compile(
    r"^(?:(?:the\s+)?(?:[A-Z][\w-]*\s+){0,2}(?i:admins|administrators|maintainers|engineers|team|staff)|[Ww]e)\s+"
    r"(?:(?P<open>began|started|begun)\s+(?:work(?:ing)?\s+on|to\s+(?:work\s+on|build|implement))|"
    r"(?:completed|finished|shipped|released|rolled\s+out|deployed)\s+(?:the|a|an)\s)",
)
_TICKET_MARK = re.compile(r"\b(?:[A-Z][A-Z0-9]{1,11}-\d+|#\d{2,}|ticket|jira|issue)\b")
_DONE_MARK = re.compile(
    r"\[[xX✓]\]|^[\s>*_#-]*DONE\b(?:\([^)]*\))?\s*[:—–-]|"
    # a public review's labelled item: "**Completed:** Metadata write load is part of the model"
    r"^[\s>*_#-]*(?:completed|shipped|implemented)\**\s*:|"
    r"~~.+~~|✅|✔|☑|\((?:done|completed?|fixed|resolved|shipped|merged)[!.]?\)|"
    r"\(\s*[A-Z][A-Z0-9]{1,11}-\d+\s*,\s*(?:closed|done|fixed|resolved)\s*\)|"
    # "(Completed 30 October.)", "(In place from 2 November.)", "(done 9 Oct)": done, with its date
    r"\((?:done|completed?|in place)(?!\s+by\b)(?:\s+(?:on\s+|since\s+|from\s+)?[\w ]{1,20})?[!.]?\)|"
    r"\|\s*(?:done|completed?|closed|fixed|resolved|shipped|merged)\s*\|?|"
    # a status cell that opens with a done state and goes on with its date: "| in production since 6 Nov |"
    r"\|\s*(?:live|implemented|in production|shipped|deployed|released|completed?)\b[^|]{0,30}\|\s*$|"
    r"(?:^|[\s:–—-])\**(?:done|completed?|fixed|resolved|closed)\**\s*[.)]?\s*$",
    re.I,
)
# An item a team tracks has an owner or a due date beside it ("— Owner: Tomasz — Open",
# "(Estimated completion: December 2026)"), or a status (the done and open marks).
_TRACKED = re.compile(
    r"\b(?:owner|assignee|assigned to|due(?: date)?|eta|estimated completion|target date|deadline)\s*[:=]|"
    r"\(\s*(?:owner|due)\b",
    re.I,
)
# Done work the team reports in the present perfect ("- We have removed the bots' commit rights"):
# the item is worded as a follow-up but is already done.
_DONE_TOLD = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*(?:we|the team)(?:'ve| have)\s+(?:also\s+|now\s+|already\s+)*"
    r"(?!been\b|not\b|no\b|had\b)\w+ed\b",
    re.I,
)
_OPEN_MARK = re.compile(
    r"\[ \]|\|\s*(?:open|todo|to do|in progress|pending|planned|not started)\s*\|?|"
    r"\b(?:todo|in progress|pending)\b|"
    # a migration list's emoji states and a word processor's empty ballot box: work still owed
    r"[⏳🔄🚧☐]",
    re.I,
)

# A writer's note of work owed ("TODO: replace the throttle", "*TODO (Billing): move the check*"):
# a runbook or a notebook keeps such notes beside its steps, and they are not steps.
_TODO_NOTE = re.compile(r"^[\s>*_#-]*(?:TODO|FIXME)\b")


# A heading that names a list of work to do: in an ADR only such a list holds follow-ups.
_WORK_LIST = re.compile(
    r"\b(?:next steps|follow[- ]?ups?|action items?|action points|(?:follow[- ]up |planned |open )?actions|"
    r"to ?dos?|future work|work items|implementation plan|tasks|mitigation plan|recommendations?|"
    r"actionables|roll-?out(?: plan)?|migration plan|migration(?: steps)?(?=\s*$)|"
    r"reference implementation)\b",
    re.I,
)
# Roles whose records are one-off work (follow-ups) unless they state a durable rule.
FOLLOW_UP_ROLES: Final = frozenset({"action", "done", "resolution"})
# Roles whose records are operational steps in a runbook.
PROCEDURE_ROLES: Final = frozenset({"mitigation", "diagnosis", "prereq", ""})
# (Decision drivers are the goals and forces that shaped the choice, "Reduce the effort of keeping
# X and Y equivalent": they bind only when worded as a rule, else they are read as the decision.)
ADR_RULE_ROLES: Final = frozenset({"consequence", "lesson", "nongoal", "factor", "context"})

RULES: Final[tuple[TypeRule, ...]] = (
    TypeRule(
        "type.done-firm-rule",
        _FIRM_RULE,
        "constraint (a completed action that states a rule), else follow_up",
        (("Never reuse a deploy key across repositories.", "constraint"),),
    ),
    TypeRule(
        "type.durable-wording",
        _DURABLE,
        "constraint",
        (
            ("Never run the sqlite3 .save command against the live database.", "constraint"),
            ("Take regular backups of the hub database.", "constraint"),
            ("Rotate the release signing key once a quarter.", "constraint"),
            ("Make it a hard requirement not to deploy high risk code without an audit.", "constraint"),
            ("Send an Idempotency-Key derived from the order id on every capture retry.", "constraint"),
        ),
    ),
    TypeRule(
        "type.reader-step",
        _READER_STEP,
        "procedure (postmortem): a step for the reader in a given situation",
        (
            ("If you pool mine, switch to a pool that properly validates blocks.", "procedure"),
            # "at least" names a version here, not a standing rule
            ("If you run the desktop client, upgrade it to at least version 2.4.", "procedure"),
        ),
    ),
    TypeRule(
        "type.reader-section",
        _READER_SECTION,
        "procedure: an item under a heading addressed to the reader or a named group",
        (
            ("Upgrade the client to version 2.4 at once.", "procedure"),
            ("Never reuse the old wallet file.", "constraint"),
        ),
        section="TLS library bug > What you should do",
    ),
    TypeRule(
        "type.conditional-step",
        _CONDITIONAL,
        "constraint (postmortem) / procedure (runbook)",
        (("When docker hangs on a node, cordon the node and reboot it.", "constraint"),),
    ),
    TypeRule(
        "type.ticket-verb",
        _TICKET_VERB,
        "follow_up",
        (
            ("Add monitoring for pods stuck in Terminating state.", "follow_up"),
            ("Investigate why PagerDuty did not alert.", "follow_up"),
        ),
    ),
    TypeRule(
        "type.adr-modal",
        _MODAL,
        "constraint (in an ADR)",
        (
            ("Coverage must be merged from all CI jobs into a single profile.", "constraint"),
            ("Callers shouldn't ever read the cache table directly.", "constraint"),
        ),
        kind="adr",
        role="decision",
    ),
    TypeRule(
        "type.adr-obligation",
        _OBLIGATION,
        "constraint (in an ADR): an obligation told with need to / has to / have to",
        (
            ("We also need to fill the certification fields, as otherwise validation breaks.", "constraint"),
            ("The schema has to change only by adding fields.", "constraint"),
        ),
        kind="adr",
        role="decision",
    ),
    TypeRule(
        "type.adr-action",
        _WORK_LIST,
        "follow_up (in an ADR): an item of a heading that names work to do, unless it states a rule",
        (("Write a brief ADR to summarise the decisions reached during the RFC phase.", "follow_up"),),
        kind="adr",
        role="action",
        section="Storage engines > Next Steps",
    ),
    TypeRule(
        "type.todo-note",
        _TODO_NOTE,
        "follow_up: a writer's 'TODO:' note beside a runbook's steps is work owed, not a step",
        (("TODO: replace the analytics-bot throttle with a proper query quota — still open", "follow_up"),),
        kind="runbook",
        role="",
        todo=True,
    ),
    TypeRule(
        "type.adr-tracked",
        _OPEN_MARK,
        "follow_up (in an ADR): an item of an action-like heading that carries a state (emoji, "
        "checkbox, a status cell) is work owed or done, though the heading names no work list",
        (("Move tenants in waves of 200, oldest first — In progress", "follow_up"),),
        kind="adr",
        role="action",
        tracked=True,
    ),
    TypeRule(
        "type.adr-alert-step",
        _ALERT_CASE,
        "procedure (in an ADR): what to do when an alert the decision adds fires",
        (
            (
                "When alerts are triggered for ECR count, raise a request for AWS to increase the count.",
                "procedure",
            ),
        ),
        kind="adr",
        role="consequence",
    ),
    TypeRule(
        "type.adr-driver",
        re.compile(r"^"),  # decided by the section's role and the durable wording
        "decision (a decision driver that states no rule), else constraint",
        (
            ("Reduce the effort of keeping the two installers on the same version.", "decision"),
            ("Prefer maintained open-source libraries over code we write ourselves.", "constraint"),
        ),
        kind="adr",
        role="driver",
    ),
    TypeRule(
        "type.runbook-condition",
        _LEAD_CONDITION,
        "procedure (runbook): the rule words of the case clause do not make the step a rule",
        (
            ("If a service should not be deployed for any reason, set the deploy freeze flag.", "procedure"),
            ("If the disk fills, never delete the WAL files.", "constraint"),
        ),
        kind="runbook",
        role="",
    ),
    TypeRule(
        "type.runbook-check",
        _CHECK_LEAD,
        "procedure (runbook): a check step, unless the check states a standing rule",
        (
            ("Make sure to read the logs of the builder pod.", "procedure"),
            ("Ensure that the replica is running and healthy.", "procedure"),
            ("Make sure every alert has a runbook link.", "constraint"),
        ),
        kind="runbook",
        role="",
    ),
    TypeRule(
        "type.runbook-step-check",
        _STEP_SENTENCE_END,
        "procedure (runbook): a step item or row that opens with its action, not a rule, and then "
        "says what must hold or what not to do",
        (
            ("Run the smoke suite in staging. All 12 checks must pass.", "procedure"),
            (
                "Retry the failed payments from the retry queue; do not ask customers to pay again.",
                "procedure",
            ),
            ("Never run a restore while the cluster is red. Wait for green.", "constraint"),
        ),
        kind="runbook",
        role="mitigation",
        source="item",
    ),
    TypeRule(
        "type.runbook-step-scope",
        _STEP_SCOPE,
        "procedure (runbook): an imperative step whose only durable wording is where it is done",
        (
            ("Restart the exporter on every worker node.", "procedure"),
            ("Restart the exporter on every worker node before any upgrade.", "constraint"),
        ),
        kind="runbook",
        role="mitigation",
    ),
    TypeRule(
        "type.runbook-statement",
        re.compile(r"^"),  # decided by the imperative test and the case clause
        "constraint (runbook): a statement that is no instruction is a fact to keep, not a step; "
        "a case clause cut from its step stays a procedure",
        (
            ("The alert fires at 85% of the database quota.", "constraint"),
            ("The sysctl file is important, as nginx runs out of TCP memory with many users.", "constraint"),
            ("If the blocker is a migration.", "procedure"),
            ("Restart the ingester pods one at a time.", "procedure"),
        ),
        kind="runbook",
        role="",
    ),
    TypeRule(
        "type.lesson-work-item",
        _WORK_VERB,
        "follow_up (an item of a lessons section that is one-off work)",
        (("Set up automated alerts for new critical reports.", "follow_up"),),
        role="lesson",
    ),
    TypeRule(
        "type.ticket-head",
        _ITEM_HEAD,
        "follow_up (postmortem work item): rule words only after the head of a ticket say what the work is",
        (
            (
                "Monitor suspicious exceptions: the error tracking team should monitor the exception count.",
                "follow_up",
            ),
            ("Implement a lint rule to flag extension calls that don't have a fallback.", "follow_up"),
            ("Add a check before every deploy that the image is signed.", "constraint"),
            ("Add a dry-run report that prices recent baskets before a promotion goes live.", "constraint"),
        ),
    ),
    TypeRule(
        "type.tracked-ticket",
        _TRACKED,
        "follow_up (postmortem action list): an item with a status, owner or due date is a ticket, "
        "even when it names a scope with 'every' or 'before each'; firm rule words keep it a rule",
        (
            ("Set auto.offset.reset=none for all existing consumers — Owner: Tomasz — Open", "follow_up"),
            ("Never reuse a deploy key across repositories — Owner: Sam — Done", "constraint"),
        ),
        tracked=True,
    ),
    TypeRule(
        "type.team-did",
        _TEAM_DID,
        "follow_up (postmortem): work a team reports it began (open) or finished (done)",
        (
            (
                "PyPI Admins completed the new feature to require email re-verification for all.",
                "follow_up",
            ),
            (
                "PyPI Admins began work on a feature which would require re-verification of all emails.",
                "follow_up",
            ),
        ),
        role="lesson",
    ),
    TypeRule(
        "type.adr-open-question",
        re.compile(r"^"),  # decided by the role (ingest/extract/questions.py)
        "follow_up (in an ADR): an item of its open questions",
        (("How do we migrate the existing groupsConfig field to the new CRD?", "follow_up"),),
        kind="adr",
        role="question",
    ),
    TypeRule(
        "type.task-list",
        re.compile(r"^"),  # decided by the role (ingest/extract/decision_records.py)
        "follow_up: a task-list item of an ADR (rollout plan, notes) or of a runbook's known gaps",
        (("Migrate the remaining 16 services, two per sprint.", "follow_up"),),
        kind="adr",
        role="task",
    ),
    TypeRule(
        "type.story-cause",
        re.compile(r"^"),  # decided by the role (ingest/extract/causes.py)
        "constraint, a fact kept as told (kb.vocab.TOLD_AS_FACT_RULES: never blocks, never exported)",
        (
            (
                "Routine replacement of a master node failed because AWS had no c4.4xlarge instances "
                "available in the availability zone.",
                "constraint",
            ),
        ),
        role="cause",
    ),
    TypeRule(
        "type.untold-factor",
        re.compile(r"^"),  # decided by the role (ingest/extract/causes.py)
        "constraint, a contributing factor kept as told (a fact, like type.story-cause)",
        (
            (
                "The shared retry decorator treats all timeouts as safe to retry, regardless of HTTP method.",
                "constraint",
            ),
        ),
        role="told-factor",
    ),
    TypeRule(
        "type.ticket-reference",
        _TICKET_MARK,
        "follow_up",
        (("Rotate the deploy keys (OPS-1234).", "follow_up"),),
    ),
    TypeRule(
        "state.done-mark",
        _DONE_MARK,
        "done",
        (
            ("- [x] Raise the agent capacity to 80", "done"),
            ("~~Move the database to Cloud SQL~~", "done"),
            ("1. Drain and delete the old node pool. (Done!)", "done"),
            ("3. We are registering our routes with the dig-safe service. (Completed 30 October.)", "done"),
            ("- Re-labelled 212 pallets at the customer's warehouse (done 9 Oct)", "done"),
            ("* [[phab:T381210|T381210]] Make foreachwiki refuse destructive scripts — **Resolved**", "done"),
            ("- Publish the known error article — Closed Complete", "done"),
            ("- The upload now waits for the final response (PAYOPS-290, closed)", "done"),
        ),
    ),
    TypeRule(
        "state.done-told",
        _DONE_TOLD,
        "done",
        (
            ("- We have removed the deploy bot's write access to the release repositories.", "done"),
            ("- We've also rotated every deploy key.", "done"),
        ),
    ),
    TypeRule(
        "state.open-mark",
        _OPEN_MARK,
        "open",
        (("- [ ] Add alerting for replica lag", "open"), ("| Add alerting | @ops | In progress |", "open")),
    ),
)


def is_durable(statement: str) -> bool:
    """Whether ``statement`` is worded as a standing rule (a modal, "every", "before any", ...)."""
    return bool(_DURABLE.search(statement))


def _is_step(text: str) -> bool:
    from ingest.extract.text import is_imperative  # (ingest.extract.text reads this module)

    return is_imperative(text[:1].upper() + text[1:])


def is_todo(raw: str) -> bool:
    """Whether an item's source text is a "TODO:" note (work owed, not a step or a rule)."""
    return bool(_TODO_NOTE.match(raw))


# an item that opens with its state as a label ("**Completed:** The signing change will be
# re-released ...", "In progress: ..."): work the team reports on, however its sentence is worded
_STATE_LABEL = re.compile(
    r"^[\s>*_#-]*\**(?:completed?|done|shipped|in progress|ongoing|planned|not started|open)\**\s*:", re.I
)


def is_state_labelled(raw: str) -> bool:
    return bool(_STATE_LABEL.match(raw))


def is_tracked(raw: str) -> bool:
    """Whether an item's source text carries a status, an owner or a due date (a tracked ticket)."""
    return bool(_DONE_MARK.search(raw) or _OPEN_MARK.search(raw) or _TRACKED.search(raw))


def record_type(
    statement: str,
    *,
    role: str,
    kind: str,
    source: str = "",
    section: str = "",
    tracked: bool = False,
    todo: bool = False,
    labelled: bool = False,
) -> tuple[str, list[str]]:
    """(record type, names of the rules that decided it) for one extracted statement.

    ``section`` is the heading path the statement stands under ("Incident > What you should do");
    ``tracked``: the source item carries a status, an owner or a due date (:func:`is_tracked`).
    """
    s = statement.strip()
    durable = is_durable(s)
    conditional = bool(_CONDITIONAL.match(s))
    firm = bool(_FIRM_RULE.search(s))
    heading = section.rsplit(">", 1)[-1]
    if role == "task":  # a task-list item (ingest/extract/decision_records.py): work owed or done
        return "follow_up", ["type.task-list"]
    if labelled and role in FOLLOW_UP_ROLES:  # "**Completed:** X will be ..." (is_state_labelled)
        return "follow_up", ["type.state-label"]
    if todo and not _FIRM_RULE.search(s):
        return "follow_up", ["type.todo-note"]
    if kind != "runbook" and _READER_SECTION.search(heading) and not firm:
        return "procedure", ["type.reader-section"]
    if kind == "adr":
        return _adr_type(s, role=role, heading=heading, durable=durable, firm=firm, tracked=tracked)
    if kind == "runbook":
        return _runbook_type(s, role=role, durable=durable, conditional=conditional, source=source)
    return _postmortem_type(
        s, role=role, source=source, tracked=tracked, durable=durable, conditional=conditional, firm=firm
    )


def _adr_type(
    s: str, *, role: str, heading: str, durable: bool, firm: bool, tracked: bool = False
) -> tuple[str, list[str]]:
    """The type of an ADR's statement (``record_type`` for ``kind == "adr"``)."""
    if role == "action":
        if durable:
            return "constraint", ["type.adr-action", "type.durable-wording"]
        if _WORK_LIST.search(heading) or not heading:
            return "follow_up", ["type.adr-action"]
        if tracked:  # an item with a state (✅, ⏳, "Done" in its row) is work, under any heading
            return "follow_up", ["type.adr-tracked"]
        # a design heading that only shares a word with action lists ("ABCI++ Improvements and
        # Remaining Shortcomings", "Cross-tenant access prevention"): typed as the ADR's text
    alert = _ALERT_CASE.match(s)
    if alert and not firm and _is_step(s[alert.end() - 1 :]):
        # what to do when an alert the decision adds fires ("When alerts are triggered for ECR
        # count, raise a request for AWS to ...") is a step for that case, not a standing rule
        return "procedure", ["type.adr-alert-step"]
    if role == "decision" and re.search(r"cross-?cutting", heading, re.I):
        # how a design doc settles clocks, schema changes, observability: rules later work keeps
        return "constraint", ["type.adr-cross-cutting"]
    if role in ADR_RULE_ROLES:
        return "constraint", ["type.adr-rule-role"]
    if role == "question":  # an open question (ingest/extract/questions.py): work still owed
        return "follow_up", ["type.adr-open-question"]
    if role == "rejected":  # why an option lost (ingest/extract/options.py): part of the decision
        return "constraint", ["type.rejected-option"]
    if _MODAL.search(s) or re.match(r"^(?:never|do not|don't|avoid)\b", s, re.I):
        return "constraint", ["type.adr-modal"]
    if _OBLIGATION.search(s):
        return "constraint", ["type.adr-obligation"]
    if role == "driver":
        if durable:  # "Prefer maintained libraries over self-made ones" is a standing rule
            return "constraint", ["type.adr-driver", "type.durable-wording"]
        return "decision", ["type.adr-driver"]
    return "decision", ["type.adr-default"]


_ORDER_WORDS = re.compile(r"\bbefore\b(?!\s+(?:every|each|all|any)\b)", re.I)


def _ordered_step(s: str) -> bool:
    """A step whose only rule word says when it is done ("before acting"), read up to its reason."""
    head = re.split(r"[:;]\s|,?\s+(?:because|since|so that)\s", s, maxsplit=1)[0]
    return (
        not _FIRM_RULE.search(s)
        and not re.search(r"\bonly\b", head, re.I)
        and not is_durable(_ORDER_WORDS.sub(" ", head))
    )


def _first_step_sentence(s: str) -> str:
    """The first sentence (or clause before ';') of a runbook step: its action."""
    found = _STEP_SENTENCE_END.search(s)
    return s[: found.start()] if found else s


def _runbook_type(
    s: str, *, role: str, durable: bool, conditional: bool, source: str = ""
) -> tuple[str, list[str]]:
    """The type of a runbook's statement (``record_type`` for ``kind == "runbook"``)."""
    # (tried on the tune fold: narrower rule words alone, or added to these, typed fewer right)
    # (imported here: ingest.extract.text reads is_durable from this module)
    from ingest.extract.text import is_imperative

    is_instruction = is_imperative(s)
    if role == "impact":  # what an alert's condition leads to (ingest/extract/impact.py): a fact
        return "constraint", ["type.runbook-impact"]
    instruction_text = _LEAD_CONDITION.sub("", s, count=1)
    checked = _CHECK_LEAD.sub("", instruction_text, count=1)
    if is_durable(checked):
        if is_instruction and checked == s and not is_durable(_STEP_SCOPE.sub(" ", s)):
            return "procedure", ["type.runbook-step-scope"]
        first = _first_step_sentence(s)
        step = role in ("mitigation", "") and source in ("item", "row") and is_instruction
        # (a step that opens with its case, "If pods fail, revert ...", keeps the typing it had)
        if step and first != s and not conditional and not is_durable(_STEP_SCOPE.sub(" ", first)):
            # "Run the smoke suite. All 12 checks must pass.": a step whose rule is its check
            return "procedure", ["type.runbook-step-check"]
        if role in ("mitigation", "diagnosis") and is_instruction and _ordered_step(checked):
            # "Start the server and wait 90 s before judging clients": the order of a step, not a rule
            return "procedure", ["type.runbook-step-order"]
        return "constraint", ["type.durable-wording"]
    if role in ("action", "lesson", "factor"):
        return "constraint", ["type.runbook-lesson-role"]
    if checked != instruction_text:
        return "procedure", ["type.runbook-check"]
    if not is_instruction and not conditional and not _SITUATION_LEAD.match(s):
        # what a runbook states rather than tells to do ("X is important, as we need to tune Y",
        # "No writes can be made once the quota is exceeded") is a fact to keep, not a step
        return "constraint", ["type.runbook-statement"]
    if durable:
        return "procedure", ["type.runbook-condition"]
    return "procedure", ["type.runbook-default"]


def _postmortem_type(
    s: str, *, role: str, source: str, tracked: bool, durable: bool, conditional: bool, firm: bool
) -> tuple[str, list[str]]:
    """The type of a postmortem's statement (and of any other kind's)."""
    if role == "finding":  # a cause found in the story (ingest/extract/findings.py): a fact to keep
        return "constraint", ["type.story-finding"]
    if role == "cause":  # a cause told in the story (ingest/extract/causes.py): a fact, never a rule
        return "constraint", ["type.story-cause"]
    if role == "told-factor":  # a contributing factor no rule rewrote, as told: a fact, never a rule
        return "constraint", ["type.untold-factor"]
    if role == "repair":
        # a resolution told (ingest/extract/resolution.py): the fix is a step for the same failure,
        # the cause found is a fact to keep
        from ingest.extract.text import is_imperative

        return (
            ("procedure", ["type.repair-step"]) if is_imperative(s) else ("constraint", ["type.repair-fact"])
        )
    if role in ("done", "resolution") and not firm:
        # work already done ("Add 200 GB to each queue node") is a follow-up unless it says a rule
        # in so many words: "each" and "every" name what the one-off change touched
        return "follow_up", ["type.done-role"]
    if _READER_STEP.match(s) and not firm:
        # "at least", "every" in a step for the reader name a version or a scope, not a rule
        return "procedure", ["type.reader-step"]
    if _TEAM_DID.match(s):
        return "follow_up", ["type.team-did"]
    # a row of a lessons column (ingest/extract/lesson_rows.py) is a lesson, not a tracker's row
    if role in FOLLOW_UP_ROLES or (source == "row" and role != "lesson"):
        head = _ITEM_HEAD.match(s)
        if (
            durable
            and head
            and _TICKET_VERB.match(s)
            and not conditional
            and not is_durable(head.group("head"))
            and not _GATE_WORD.search(s[head.end() :])
        ):
            return "follow_up", ["type.ticket-head"]
        if durable and tracked and not firm and not conditional:
            # a scope ("for all existing consumers", "before each term") in work the team tracks
            return "follow_up", ["type.tracked-ticket"]
        if durable:
            return "constraint", ["type.action-durable", "type.durable-wording"]
        if conditional:
            return "constraint", ["type.action-durable", "type.conditional-step"]
        if role in ("done", "resolution"):
            return "follow_up", ["type.done-role"]
        if _TICKET_VERB.match(s) or _TICKET_MARK.search(s):
            return "follow_up", ["type.ticket-verb" if _TICKET_VERB.match(s) else "type.ticket-reference"]
        return "follow_up", ["type.action-default"]
    if role == "mitigation" and not durable and not conditional:
        return "procedure", ["type.mitigation-step"]
    if role == "lesson" and not durable and not conditional and _WORK_VERB.match(s):
        return "follow_up", ["type.lesson-work-item"]
    return "constraint", ["type.lesson-default"]


def follow_up_state(raw: str, *, role: str) -> tuple[str, list[str]]:
    """open / done for a follow-up, from the source text (checkbox, strikethrough, status cell, role)."""
    if _DONE_MARK.search(raw):
        return "done", ["state.done-mark"]
    if role in ("done", "resolution"):
        return "done", ["state.done-role"]
    if _DONE_TOLD.match(raw):
        return "done", ["state.done-told"]
    if _OPEN_MARK.search(raw):
        return "open", ["state.open-mark"]
    told = _TEAM_DID.match(raw.strip())
    if told:
        return ("open" if told.group("open") else "done"), ["state.team-did"]
    return "open", ["state.default-open"]


_CRITICAL = re.compile(
    r"\b(?:data loss|lose data|lost data|corrupt\w*|irreversibl\w*|unrecoverable|"
    r"credentials? (?:leak|expos)\w*|secrets? (?:leak|expos)\w*|private keys?|double[- ]spend\w*|"
    r"inflation bug|remote code execution|rce|drop (?:the )?(?:database|table)|wipe\w*|overwrit\w*)\b",
    re.I,
)
_HIGH = re.compile(
    r"\b(?:never|must|must not|do not|don't|always|security|secrets?|credentials?|tokens?|passwords?|"
    r"vulnerab\w*|exploit\w*|attack\w*|outage|production|prod|delet\w*|backups?|restore|"
    r"privilege\w*|authenticat\w*|encrypt\w*|consensus|downtime)\b",
    re.I,
)
_LOW_TYPES: Final = frozenset({"procedure", "follow_up"})
_ORDER: Final = ("low", "medium", "high", "critical")


def content_severity(statement: str, *, record_type: str, incident: str | None = None) -> tuple[str, str]:
    """Severity from what the statement says, raised by a severe incident; (severity, rule name)."""
    if _CRITICAL.search(statement):
        sev, rule = "critical", "severity.critical-words"
    elif _HIGH.search(statement):
        sev, rule = "high", "severity.high-words"
    elif record_type in _LOW_TYPES:
        sev, rule = "low", "severity.context-type"
    else:
        sev, rule = "medium", "severity.default"
    if sev == "critical" and record_type in _LOW_TYPES:
        sev = "high"  # a step or a ticket that touches keys or data is important, not a critical rule
    if incident in _ORDER and _ORDER.index(incident) > _ORDER.index(sev):
        sev, rule = incident, "severity.incident"  # the incident's own severity is a floor
    return sev, rule


__all__ = ["RULES", "TypeRule", "content_severity", "follow_up_state", "is_durable", "record_type"]
