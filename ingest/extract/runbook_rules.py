"""Runbook rules told as facts, checks told as states, and responses that open with their case.

- A **rules section** ("Safety and rules", "Ground rules", "Precautions", "Guardrails") says what
  its items are: "Only one generator is tested at a time", "Hearing protection in the generator room
  at all times" bind as "Never ..." does, though no word of them is a modal. Each top-level item
  is kept as told (its first sentence), as an ADR's binding conditions are.
- A **pre-check** in a section run before the work ("Pre-checks", "Before you start") is often a
  state to confirm, with no verb ("Fuel level above 80% in the day tank"): "Check <state>".
- A **case and its response** ("Replica lag: point renderers at the second replica", "**Bulk import
  running:** pause it with ...", "Still no files 45 minutes before the cutoff: escalate to ...")
  loses its case when only the response is kept. A label with a finite verb is read by
  ``runbook_checks.situation_response``; a label that names the case without one (a noun or a
  participle phrase) is read the same way, "If <case>, <response>" (a case in a bold label opening a
  paragraph counts).
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, block_role
from ingest.extract.noun_items import _FINITE_VERB
from ingest.extract.runbook_checks import _SITUATION
from ingest.extract.splitting import split_coordinated
from ingest.extract.text import _LABEL_SPLIT, clean_text, is_imperative, is_rule_like, split_sentences
from ingest.extract.words import word_count
from ingest.sections import Block, Outline

# a heading that names its items as rules (not "Rules engine overview": the name ends the heading)
_RULES_SECTION = re.compile(
    r"\b(?:rules?|safety|precautions?|guardrails?|ground rules|do'?s and don'?ts|red lines)\s*"
    r"(?:\([^)]*\))?\s*$|^(?:safety|rules?)\b",
    re.I,
)
# a section run before the work starts
_BEFORE = re.compile(r"\bpre-?checks?\b|\bpre-?flight\b|\bbefore (?:you start|starting|the \w+)\b", re.I)
# labels that name a kind of note or a field, not a case
_NOT_A_CASE = re.compile(
    r"^(?:note|notes|tip|warning|caution|important|example|e\.g|see|command|commands|dashboard|"
    r"dashboards|link|links|owner|owners|contact|runbook|alert|step\s*\d*|option\s*\w?|why|how|what|"
    r"where|who|when|result|output|expected|goal|purpose|scope|context|summary|status|severity)\b",
    re.I,
)
# a first word in capitals keeps them ("NOC puts ...", "CDN purge ...")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]+\b")
_SENTENCE_SUBJECT = re.compile(r"^(?:a|an|the|all|every|each|no)\s", re.I)
_TASK_BOX = re.compile(r"^\s*\[[ xX✓]\]")
MIN_RULE_WORDS = 5
MIN_STATE_WORDS = 3
MAX_CASE_WORDS = 12
_SKIP_ROLES = frozenset({"skip", "action", "context", "summary", "diagnosis", "status", "done"})


def _first_sentence(text: str) -> str:
    spans = split_sentences(text)
    return text[spans[0][0] : spans[0][1]].strip() if spans else ""


def rule_item(block: Block, section: str, *, keep_rules: bool = False) -> list[Candidate]:
    """A top-level item of a rules section that states its rule as a fact, kept as told
    (``keep_rules``: a modal rule too, where the walker does not read the section)."""
    if not block.path or not _RULES_SECTION.search(block.path[-1]):
        return []
    text = clean_text(block.text.text)
    first = _first_sentence(text)
    if (
        word_count(first) < MIN_RULE_WORDS
        or first.endswith(("?", ":"))
        or (is_rule_like(first) and not keep_rules)
        or _LABEL_SPLIT.match(first)
    ):
        return []  # a rule the walk keeps, or a label the case reader reads
    ls, le = block.line_start, block.text.line_at(max(len(block.text.text) - 1, 0))
    return [Candidate(first, section, "lesson", ls, max(ls, le), "item", block.code_spans)]


def state_check(block: Block, section: str) -> list[Candidate]:
    """A pre-check told as a state with no verb ("Fuel level above 80% in both tanks"): a check."""
    if not any(_BEFORE.search(p) for p in block.path):
        return []
    text = clean_text(block.text.text)
    first = _first_sentence(text).rstrip(".")
    if (
        word_count(first) < MIN_STATE_WORDS
        or is_imperative(first)
        or _FINITE_VERB.search(first)
        or _SENTENCE_SUBJECT.match(first)  # "A full backup completed ...": a sentence, not a state
        or len(split_sentences(text)) > 1  # a state and its gate ("No backup, no upgrade."): a precondition
    ):
        return []
    ls, le = block.line_start, block.text.line_at(max(len(block.text.text) - 1, 0))
    stmt = f"Check {first if _ACRONYM.match(first) else first[:1].lower() + first[1:]}."
    return [Candidate(stmt, section, "diagnosis", ls, max(ls, le), "item", block.code_spans)]


def case_response(block: Block, section: str) -> list[Candidate]:
    """ "<case>: <response>" kept as told when the case is named without a finite verb."""
    text = clean_text(block.text.text)
    if block.type == "paragraph" and not block.bold_label:
        return []  # a paragraph's label is bold: "Note that X: Y" in prose is no case
    m = _LABEL_SPLIT.match(text)
    if not m or _TASK_BOX.match(block.text.text) or not text[m.end(1) :].lstrip().startswith(":"):
        return []  # a checklist's "[ ] **Preserve evidence** — Do NOT ..." names a step, not a case
    case = m.group(1).strip().strip("*").strip()
    if (
        (block.type == "item" and _SITUATION.match(case))  # runbook_checks.situation_response's
        or word_count(case) < 2
        or word_count(case) > MAX_CASE_WORDS
        or _NOT_A_CASE.match(case)
        or _FINITE_VERB.search(case)
        or is_imperative(case)
        or re.match(r"^(?:if|when|once|after|before|while|until|unless)\b", case, re.I)
    ):
        return []
    response = _first_sentence(m.group(2))
    if word_count(response) < 3 or not is_imperative(response[:1].upper() + response[1:]):
        return []
    body = response if _ACRONYM.match(response) else response[:1].lower() + response[1:]
    case = case if _ACRONYM.match(case) else case[:1].lower() + case[1:]
    sep = ":" if len(split_coordinated(f"If {case}, {body}")) > 1 else ","  # one step, not parts
    ls = block.line_start
    le = block.text.line_at(min(m.start(2) + len(response), len(block.text.text)) - 1)
    return [
        Candidate(f"If {case}{sep} {body}", section, "mitigation", ls, max(ls, le), "item", block.code_spans)
    ]


def runbook_rule_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Rules told as facts, pre-check states and cases named without a verb, of a runbook; an
    ADR's "Rules" section states its binding rules as facts the same way ("The session cluster is
    separate from the cache cluster")."""
    if kind not in ("runbook", "adr"):
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type not in ("item", "paragraph") or block.depth:
            continue
        role, section = block_role(block, kind, title)
        if kind == "adr":
            # an ADR's "Rules" heading binds its items where the walker does not read them for
            # rules (under a comment's metadata in a `gh issue view` dump, which it skips); under a
            # decision or a consequence the walker reads them itself; an option's rules bind nothing
            if block.type == "item" and (role is None or role in _SKIP_ROLES) and role != "context":
                out += rule_item(block, section, keep_rules=role in _SKIP_ROLES)
            continue
        if role in _SKIP_ROLES:
            continue
        if block.type == "item":
            out += rule_item(block, section) or state_check(block, section)
        out += case_response(block, section)
    return out


__all__ = ["case_response", "rule_item", "runbook_rule_candidates", "state_check"]
