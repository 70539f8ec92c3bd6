"""Section roles by meaning: what a section is for, from its heading (and first line).

Known heading names (``vocabulary.SECTION_ROLES``, read by :func:`ingest.extract.role_of`) stay
the strong evidence. A heading they do not know is compared with a prototype of each role: a
short description in words plus example headings. Both are reduced to word stems, and the role
whose prototype shares the most weighted stems with the heading wins when the overlap is clear.
This is what lets "Corrective measures", "Future actions", "Resolution and recovery" or
"What we'll do differently" land on a role no regex named.

Roles use the names of the labelled set (``tests/data/extraction/section_roles.jsonl``);
:data:`EXTRACTION_ROLE` maps them onto the extractor's internal roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final


@dataclass(frozen=True, slots=True)
class RolePrototype:
    name: str
    description: str
    # Stems that name the role on their own ("lesson", "corrective"): weight 2; the words of the
    # description and examples weigh 1.
    keywords: tuple[str, ...]
    examples: tuple[str, ...]


PROTOTYPES: Final[tuple[RolePrototype, ...]] = (
    RolePrototype(
        "action_items",
        "what the team will do after the incident: follow-up tasks, corrective and preventive measures",
        (
            "action",
            "follow",
            "todo",
            "corrective",
            "preventive",
            "prevent",
            "improvement",
            "improve",
            "remediation",
            "next",
            "planned",
            "recommendation",
            "doing",
            "measure",
            "change",
            "task",
            "forward",
            "differently",
            "commitment",
            "harden",
            "safeguard",
            "long-term",
            "short-term",
            "repair",
            "proposed",
            "rollout",
            "roll-out",
            "migration",
        ),
        (
            "Action items",
            "Follow-ups",
            "Next steps",
            "Corrective actions",
            "Future actions",
            "Preventive measures",
            "What we'll do differently",
            "What we're doing about it",
            "Our commitments",
            "Long-term fixes",
            "Repair items",
            "What will be done",
            "Planned changes",
            "Improvements",
            "Remediation items",
            "Actionables",
            "Rollout plan",
            "Migration plan",
        ),
    ),
    RolePrototype(
        "lessons",
        "what was learned: lessons, takeaways, what went wrong, reflections on the incident",
        (
            "lesson",
            "learn",
            "takeaway",
            "retrospective",
            "reflection",
            "insight",
            "wrong",
            "poorly",
            "better",
            "principle",
            "after-action",
            "conclusion",
            "observation",
            # lessons told as what now holds: "What stays true", "Things we no longer believe"
            "true",
            "believe",
        ),
        (
            "Lessons learned",
            "Takeaways",
            "What went wrong",
            "What could have gone better",
            "Retrospective",
            "Reflections",
            "Insights",
            "What we learned",
            "What stays true",
            "What stays with us",
            "Things we no longer believe",
        ),
    ),
    RolePrototype(
        "root_cause",
        "why the incident happened: root cause, contributing factors, the bug or vulnerability",
        (
            "cause",
            "root",
            "contributing",
            "factor",
            "why",
            "lack",
            "missing",
            "vulnerability",
            "bug",
            "trigger",
            "failure",
            "weakness",
            "fault",
        ),
        (
            "Root cause",
            "Contributing factors",
            "Causes",
            "Why did it happen",
            "The vulnerability",
            "Lack of testing",
            "Five whys",
            "Trigger",
        ),
    ),
    RolePrototype(
        "resolution",
        "how the incident was resolved and recovered: fix, restore, rollback, mitigation taken",
        (
            "resolution",
            "resolve",
            "recovery",
            "recover",
            "restore",
            "fix",
            "fixed",
            "mitigation",
            "mitigate",
            "workaround",
            "contain",
            "eradicate",
            "rollback",
            "roll-back",
            "hotfix",
            "repair",
        ),
        (
            "Resolution",
            "Resolution and recovery",
            "How it was fixed",
            "Mitigation",
            "Recovery",
            "Workaround",
            "Contain the incident",
            "Restore from backup",
            "Hot fixes and roll-backs",
        ),
    ),
    RolePrototype(
        "diagnosis",
        "how to find out what is wrong: check, verify, inspect logs, triage, troubleshoot",
        (
            "check",
            "verify",
            "diagnose",
            "diagnosis",
            "investigate",
            "triage",
            "debug",
            "trace",
            "log",
            "troubleshoot",
            "inspect",
            "identify",
            "assess",
            "severity",
            "determine",
        ),
        (
            "Diagnosis",
            "Checking the pod logs",
            "Verify components are running",
            "Triage",
            "Troubleshooting",
            "Assess severity",
            "Is the threat actor still active?",
        ),
    ),
    RolePrototype(
        "procedure",
        "steps to carry out an operation: create, deploy, delete, renew, back up, connect, set up",
        (
            "step",
            "procedure",
            "create",
            "deploy",
            "delete",
            "renew",
            "backup",
            "connect",
            "setup",
            "upgrade",
            "run",
            "instruction",
            "process",
            "escalation",
            "checklist",
            "access",
            "install",
            "configure",
            "recreate",
            "rotate",
            "migrate",
            "working",
            "response",
            "responsibility",
            "tool",
            "etiquette",
        ),
        (
            "Procedure",
            "Steps",
            "Create a new cluster",
            "Backup",
            "Connecting",
            "Escalation triggers",
            "Initial response checklist",
            "Renew certificates",
            "Deploy a new node pool",
        ),
    ),
    RolePrototype(
        "decision",
        "what was decided and how it works: the decision, proposal, design, solution, implementation",
        (
            "decision",
            "decide",
            "proposal",
            "propose",
            "proposed",
            "design",
            "solution",
            "approach",
            "implementation",
            "architecture",
            "detailed",
            "api",
            "specification",
            "chosen",
            "outcome",
            "criteria",
            "gating",
            "plan",
        ),
        (
            "Decision",
            "Decision outcome",
            "Proposal",
            "Detailed design",
            "Implementation",
            "Implementation plan",
            "API changes",
            "Solution",
            "Success criteria",
        ),
    ),
    RolePrototype(
        "consequences",
        "what follows from the decision: consequences, positive and negative effects, risks, costs",
        (
            "consequence",
            "positive",
            "negative",
            "neutral",
            "benefit",
            "drawback",
            "tradeoff",
            "trade-off",
            "implication",
            "risk",
            "gap",
            "uncertainty",
            "cost",
            "pros",
            "cons",
            "usage",
            "downside",
            "upside",
        ),
        (
            "Consequences",
            "Positive",
            "Negative",
            "Neutral",
            "Benefits",
            "Drawbacks",
            "Risks",
            "Known gaps",
            "Risks and uncertainties",
            "Resource usage",
        ),
    ),
    RolePrototype(
        "alternatives",
        "options considered and not chosen: alternatives, comparison of candidate approaches",
        ("alternative", "option", "considered", "rejected", "versus", "compare", "comparison", "candidate"),
        ("Considered options", "Alternatives", "Alternative approaches", "Option 1", "Rejected options"),
    ),
    RolePrototype(
        "context",
        "why the question arose: context, background, motivation, problem, goals, history, lead-up",
        (
            "context",
            "background",
            "motivation",
            "problem",
            "history",
            "goal",
            "introduction",
            "leadup",
            "lead-up",
            "lead",
            "driver",
            "need",
            "scope",
            "pattern",
        ),
        (
            "Context",
            "Background",
            "Motivation",
            "Problem statement",
            "Goals",
            "History",
            "Lead-up",
            "Decision drivers",
            "Compliance need",
        ),
    ),
    RolePrototype(
        "summary",
        "a short account of the whole document: summary, overview, abstract, purpose",
        ("summary", "overview", "abstract", "purpose", "tldr", "description", "about", "playbook"),
        ("Summary", "Overview", "Abstract", "Purpose", "TL;DR", "What happened"),
    ),
    RolePrototype(
        "timeline",
        "when things happened: timeline, chronology, sequence of events with times and dates",
        ("timeline", "chronology", "event", "timestamp", "sequence"),
        ("Timeline", "Chronology", "Sequence of events", "Key events"),
    ),
    RolePrototype(
        "impact",
        "who and what was affected: impact, affected users, customer impact, blast radius",
        ("impact", "affected", "customer", "radius", "user", "outage", "duration", "downtime"),
        ("Impact", "Customer impact", "Who was affected", "Blast radius", "Duration"),
    ),
    RolePrototype(
        "detection",
        "how the incident was noticed: detection, alerting, discovery",
        ("detection", "detect", "detected", "discovery", "discovered", "noticed", "alert"),
        ("Detection", "How we found out", "Discovery"),
    ),
    RolePrototype(
        "what_went_well",
        "what helped during the incident: what went well, what went right, where we got lucky",
        ("well", "right", "lucky", "helped"),
        ("What went well", "What went right", "Where we got lucky"),
    ),
    RolePrototype(
        "status",
        "the document's state: status, accepted, deprecated, superseded",
        ("status", "deprecated", "accepted", "superseded", "state"),
        ("Status", "Deprecated"),
    ),
    RolePrototype(
        "prerequisites",
        "what is needed before starting: prerequisites, required access, requirements",
        ("prerequisite", "required", "requirement", "before", "preflight"),
        ("Prerequisites", "Access required", "Before you begin"),
    ),
    RolePrototype(
        "references",
        "where to read more: references, links, see also, resources, appendix",
        (
            "reference",
            "link",
            "see",
            "resource",
            "appendix",
            "reading",
            "further",
            "credit",
            "acknowledgement",
            "thanks",
        ),
        ("References", "Links", "See also", "Further reading", "Appendix"),
    ),
    RolePrototype(
        "metadata",
        "who wrote it and when: authors, owners, dates, created, submitted",
        ("author", "owner", "created", "submitted", "date", "reviewer", "attendee", "participant"),
        ("Authors", "Owners", "Created", "Date"),
    ),
)

# Labelled role -> the extractor's internal role (ingest.extract): what it does with the section.
EXTRACTION_ROLE: Final[dict[str, str]] = {
    "action_items": "action",
    "lessons": "lesson",
    "what_went_wrong": "lesson",
    "root_cause": "factor",
    "contributing_factors": "factor",
    "resolution": "mitigation",
    "mitigation": "mitigation",
    "procedure": "mitigation",
    "diagnosis": "diagnosis",
    "decision": "decision",
    "consequences": "consequence",
    "risks": "consequence",
    "alternatives": "options",
    "context": "context",
    "summary": "summary",
    "prerequisites": "prereq",
    "status": "status",
    "timeline": "skip",
    "impact": "skip",
    "detection": "skip",
    "what_went_well": "skip",
    "references": "skip",
    "metadata": "skip",
}

# Which labelled roles each kind of document uses: a prototype of another kind's role is not offered.
_KIND_ROLES: Final[dict[str, frozenset[str]]] = {
    "postmortem": frozenset(
        {
            "action_items",
            "lessons",
            "root_cause",
            "resolution",
            "summary",
            "timeline",
            "impact",
            "detection",
            "what_went_well",
            "context",
            "references",
            "metadata",
            "status",
            "procedure",
            "diagnosis",
        }
    ),
    "runbook": frozenset(
        {
            "procedure",
            "diagnosis",
            "resolution",
            "prerequisites",
            "context",
            "summary",
            "references",
            "metadata",
            "impact",
            "action_items",
            "status",
        }
    ),
    "adr": frozenset(
        {
            "decision",
            "consequences",
            "alternatives",
            "context",
            "summary",
            "status",
            "references",
            "metadata",
            "action_items",
            "lessons",
        }
    ),
}

_STOP: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "we",
        "our",
        "you",
        "your",
        "they",
        "their",
        "i",
        "my",
        "how",
        "what",
        "when",
        "where",
        "who",
        "which",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "about",
        "into",
        "over",
        "under",
        "after",
        "before",
        "during",
        "vs",
        "not",
        "no",
    ]
)
_WORD = re.compile(r"[a-z][a-z'-]*")
_TIME_HEADING = re.compile(
    r"^\W*(?:\d{1,2}:\d{2}\s*(?:am|pm|utc|z)?|\d{4}-\d{2}-\d{2}|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+\w+\s+\d|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b)",
    re.I,
)
MIN_SCORE = 2.0  # one role-naming stem, or two description words


# a plural ending first, then an adjective ending, then one word-forming ending:
# "actions" -> "action" -> "act", "actionables" -> "actionabl" -> "action" -> "act"
_PLURAL: Final = (("ies", "y"), ("es", ""), ("s", ""))
_ADJECTIVE: Final = (("able", ""), ("abl", ""), ("ible", ""), ("ibl", ""))
_FORMING: Final = (("ing", ""), ("ed", ""), ("ly", ""), ("ion", ""))


def stem(word: str) -> str:
    """A crude, stable stem: enough for heading words ("measures", "checking", "recovered").

    A plural and its singular meet ("actions" and "action" both give "act", "learnings" and
    "learning" both "learn")."""
    w = word.strip("'-").lower()
    w = w.replace("'ll", "").replace("'re", "").replace("'s", "")
    for suffixes in (_PLURAL, _ADJECTIVE, _FORMING):
        for suffix, repl in suffixes:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: len(w) - len(suffix)] + repl
                break
    return w.rstrip("e") if len(w) > 4 else w


def _stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[str, dict[str, float]], ...]:
    out = []
    for p in PROTOTYPES:
        weights: dict[str, float] = {}
        for w in _stems(p.description + " " + " ".join(p.examples)):
            weights[w] = max(weights.get(w, 0.0), 1.0)
        for k in p.keywords:
            for w in _stems(k) or [stem(k)]:
                weights[w] = 2.0
        out.append((p.name, weights))
    return tuple(out)


def role_scores(heading: str, first_line: str = "", kind: str = "") -> list[tuple[str, float]]:
    """Roles with their overlap score for ``heading`` (the first line counts a quarter), best first."""
    allowed = _KIND_ROLES.get(kind)
    head = _stems(heading)
    first = _stems(first_line)[:20]
    scores: list[tuple[str, float]] = []
    for name, weights in _index():
        if allowed is not None and name not in allowed:
            continue
        s = sum(weights.get(w, 0.0) for w in dict.fromkeys(head))
        s += 0.25 * sum(weights.get(w, 0.0) for w in dict.fromkeys(first))
        if s:
            scores.append((name, s))
    return sorted(scores, key=lambda ns: -ns[1])


@lru_cache(maxsize=8192)
def role_by_meaning(heading: str, kind: str = "", first_line: str = "") -> str | None:
    """The labelled role of a heading no known name matched, or None when nothing is clear."""
    h = heading.strip().strip("*_ :")
    if _TIME_HEADING.match(h):
        return "timeline"
    scores = role_scores(h, first_line, kind)
    if not scores or scores[0][1] < MIN_SCORE:
        return None
    if len(scores) > 1 and scores[1][1] == scores[0][1]:
        return None  # a tie says the heading is about several things: no evidence either way
    return scores[0][0]


# Internal roles the meaning fallback may hand to the extractor: those that make it read a section.
# A section the known names miss is never silenced by meaning alone (a wrong "context" or
# "summary" would drop its lessons); it keeps the extractor's neutral reading instead.
# Measured on the old set: meaning-made decision and runbook-step roles added more noise than
# lessons there (design walk-throughs, "How it will work"), so those stay with the known names.
_LESSON_BEARING: Final[dict[str, frozenset[str]]] = {
    "postmortem": frozenset({"action", "lesson", "factor"}),
    "adr": frozenset({"consequence", "action", "lesson"}),
    "runbook": frozenset(),
}


def extraction_role(heading: str, kind: str = "", first_line: str = "") -> str | None:
    """The extractor's internal role for an unknown heading, by meaning (None when unclear)."""
    role = role_by_meaning(heading, kind, first_line)
    if role is None:
        return None
    internal = EXTRACTION_ROLE.get(role)
    return internal if internal in _LESSON_BEARING.get(kind, frozenset()) else None


__all__ = [
    "EXTRACTION_ROLE",
    "PROTOTYPES",
    "RolePrototype",
    "extraction_role",
    "role_by_meaning",
    "role_scores",
]
