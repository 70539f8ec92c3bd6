"""Closed vocabularies of the domain: kinds, categories, severities and statuses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

# The team of lessons every caller may see.
SHARED_TEAM: Final = "shared"
# The source under which proposed lessons are stored (kb.lifecycle.proposals).
PROPOSALS_SOURCE: Final = "proposals"

KINDS: Final = ("postmortem", "runbook", "adr")
# What a stored document can be: a kind above, or an agent's or a person's proposal (its own kind, so
# an accepted proposal never borrows the weight the ranking and the gate give a postmortem).
PROPOSAL_KIND: Final = "proposal"
DOCUMENT_KINDS: Final = (*KINDS, PROPOSAL_KIND)
CATEGORIES: Final = ("operational", "security", "data", "architecture", "delivery", "business")
SEVERITIES: Final = ("critical", "high", "medium", "low")
# "rejected": a lesson of a rejected decision (an ADR not taken), kept as context, never a rule.
STATUSES: Final = ("active", "proposed", "superseded", "rejected", "retired")

# What an extracted record is. Only constraints and decisions are rules (gate, rule files, blocking);
# procedures (runbook steps, checks) and follow-ups (one-off action items) are context.
RECORD_TYPES: Final = ("constraint", "decision", "procedure", "follow_up")
RULE_TYPES: Final = ("constraint", "decision")
FOLLOW_UP_STATES: Final = ("open", "done")


# Extraction rules (``ConstraintDraft.rules``) whose record is a fact kept as the document tells it
# (a postmortem's cause sentence, a contributing factor no rule rewrote): context for a reader, never
# a rule to block on or export, and no lesson to rank (kb.index.catalog leaves them out).
TOLD_AS_FACT_RULES: Final = frozenset({"type.story-cause", "type.untold-factor"})


def is_told_fact(rules: Iterable[str] | None) -> bool:
    """Whether a record's extraction rules say it is a fact kept as told (``TOLD_AS_FACT_RULES``)."""
    return any(r in TOLD_AS_FACT_RULES for r in rules or ())


def stored_record_type(record_type: str | None) -> str:
    """A record's type; records stored before record types existed count as constraints."""
    return record_type or "constraint"


def is_rule_record(record_type: str | None, rules: Iterable[str] | None = None) -> bool:
    """A constraint or decision, not a fact kept as told: what may block a change and what a rule
    file carries."""
    return stored_record_type(record_type) in RULE_TYPES and not is_told_fact(rules)


# Higher rank sorts first when importance matters (context blocks, CI gates).
SEVERITY_RANK: Final = {"critical": 3, "high": 2, "medium": 1, "low": 0}

# What a lesson's history records (kb.storage ``constraint_changes.action``).
HISTORY_ACTIONS: Final = (
    "ingest",  # first extracted from a document
    "propose",  # proposed by a person or an agent
    "reingest",  # extracted fields changed when its document was read again
    "edit",  # a person changed fields
    "accept",  # a proposal became active, or a stale lesson was confirmed
    "reject",
    "retire",
    "merge",  # found to repeat another lesson, or another lesson merged into it
    "unmerge",
    "conflict",  # the source changed under a field a person had changed: a review item
    "feedback",
)
# Why something waits in the review queue.
REVIEW_REASONS: Final = ("proposal", "duplicate", "supersession", "stale", "conflict")
