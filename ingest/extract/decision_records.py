"""Decision records in templates the section walk reads poorly: Y-statements, task lists, and
consequences told as facts.

- A **Y-statement** ("In the context of X, facing Y, we decided for Z and neglected W, to achieve
  G, accepting C") is one sentence too long to keep as told: its decision is the option chosen
  for the context, instead of the ones neglected (``y_statement``).
- A **task list** in an ADR ("- [x] flagd deployed in eu-north-1", "- [ ] Migrate the remaining
  services") under a heading no role names ("Implementation notes", "Rollout plan", "More
  Information") is the work the decision leaves: each box a follow-up, ``[x]`` done (role ``task``).
- A **consequence told as a fact** ("Every flag definition carries an owner team", "Application
  code evaluates flags only through the SDK client", "The toggles table is frozen") binds as a
  rule does: a top-level item of an ADR's consequences whose first sentence is universal ("every",
  "only", "nobody", "no new") or says a state is fixed ("is frozen", "is append-only") is kept as
  told; a MADR "Good, because every X" consequence likewise. Evaluations ("Bad, because we run
  flagd ourselves", "the SDK API is the same for every language") stay out.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, _sentence_lines, block_role
from ingest.extract.options import chosen_decision
from ingest.extract.patterns import _CHOSEN
from ingest.extract.text import _past_verb, clean_text, is_imperative, is_rule_like, split_sentences
from ingest.extract.words import _capitalize, word_count
from ingest.sections import Block, Outline

# a task-list box opening an item, or a work note's word ("TODO: the action should post to X",
# "DONE: partner_schedule now holds weekend intervals"): both say the item is work, owed or done
_TASK_BOX = re.compile(r"^\s*(?:\[[ xX✓]\]|(?:TODO|DONE|FIXME)\b(?:\([^)]*\))?\s*[:—–-])\s*\S")
_WORK_WORD = re.compile(r"^\s*(?:TODO|DONE|FIXME)\b(?:\([^)]*\))?\s*[:—–-]\s*")
# what a task item says about its tracking, not its work: "— CHK-311", "(PLAT-1502)",
# "(done 2026-10-02)", "(since 2026-10-12)", "(LDG-2488, done 2026-08-20)"
_TASK_TRACKING = re.compile(
    r"\s*(?:[—–-]\s*[A-Z][A-Z0-9]{1,11}-\d+|\((?:[A-Z][A-Z0-9]{1,11}-\d+|done|since|completed|merged)\b[^)]*\))"
    r"\s*\.?\s*$"
)
# "flagd deployed in eu-north-1": a bare participle after the thing done
_TASK_PARTICIPLE = re.compile(
    r"^(?P<thing>[\w.+`/-]+(?:\s+[\w.+`/-]+){0,5}?)\s+(?P<verb>[a-z]+ed)\s+(?P<rest>\S.*)$"
)
# roles under which a task list is the decision's remaining work (the walk reads the others)
# (and a consequence: "Migration status:" and its boxes under Consequences is work, not a rule)
_TASK_ROLES = frozenset({None, "context", "summary", "status", "consequence"})
# a runbook's list of what it still lacks: its boxes are follow-ups, not steps
_RUNBOOK_GAPS = re.compile(
    r"\b(?:known gaps|gaps|known (?:issues|problems|bugs|limitations)|to-?dos?|backlog|open items|"
    r"improvements|outstanding|(?:open|planned|future|pending|remaining) work)\b",
    re.I,
)
# the last words of a paragraph that leads such a list ("rev 6: step 2.5 added. Outstanding:")
_GAPS_LEAD = re.compile(r"(?:^|[.:;]\s)[^.:;]{0,40}\b(?:open items|outstanding|to-?dos?|known gaps):?$", re.I)
MIN_TASK_WORDS = 3

_Y_STATEMENT = re.compile(
    r"^in the context of\s+(?P<context>.+?),\s+facing\s+.+?\bwe (?:decided|chose|opted) (?:for|on)\s+"
    r"(?P<chosen>.+?)(?:,?\s+and\s+(?:neglected|rejected|against)\s+(?P<neglected>.+?))?,\s+"
    r"(?:in order\s+)?to achieve\b",
    re.IGNORECASE | re.DOTALL,
)

# a consequence that binds: a universal subject or limit, or a state fixed from now on
_STANDING_FACT = re.compile(
    r"^(?:every|each|all|no|only)\b|(?<![\w-])(?:only|nobody|no one|never|no new)\b|"
    r"\b(?:is|are) (?:frozen|append-only|read-only|immutable|forbidden|not allowed)\b",
    re.IGNORECASE,
)
_FIRM_FACT = re.compile(r"(?<![\w-])(?:only|nobody|no one|never|no new)\b", re.IGNORECASE)
# a design item that binds as told: a limit ("only after", "nothing reads X except the scanner") or
# a guarantee the design gives ("... so a client cannot upload a larger file")
_DESIGN_LIMIT = re.compile(
    r"(?<![\w-])(?:only|nobody|no one|never|nothing\b[^.;]*\bexcept)\b|"
    r"\bso (?:that )?(?:a|an|the|no)\s+\w+(?:\s+\w+)?\s+(?:cannot|can't|can never)\b",
    re.IGNORECASE,
)
_WEIGHED = re.compile(r"\b(?:positive|negative|pros|cons|benefits?|drawbacks?|trade-?offs?)\b", re.I)
_GOOD_BECAUSE = re.compile(r"^good\s*,?\s+because\s+", re.IGNORECASE)
_EVALUATION = re.compile(
    r"\b(?:easier|harder|simpler|faster|slower|cheaper|costlier|more|less|better|worse|same)\b", re.I
)
MIN_FACT_WORDS = 6
# a lead that says the list after it binds: "Accepted ... with these binding conditions:"
# or that opens with what the list holds and ends with a colon: "Conditions the approver attached:"
_BINDING_LEAD = re.compile(
    r"\b(?:binding|following|these)\s+(?:conditions|rules|constraints|guardrails|requirements|invariants)\b[^.]*:?$|"
    r"^(?:the\s+)?(?:conditions|rules|constraints|guardrails|invariants)\b[^.]*:$",
    re.I,
)


def y_statement(block: Block, section: str) -> list[Candidate]:
    """A Y-statement's decision: "For <context>, use <chosen>, instead of <neglected>"."""
    text = clean_text(block.text.text)
    m = _Y_STATEMENT.match(text)
    if not m:
        return []
    context = re.split(r",|\s+which\b|\s+that\b", m.group("context"), maxsplit=1)[0].strip()
    chosen = m.group("chosen").strip().rstrip(",")
    stmt = f"For {context}, use {chosen}"
    if m.group("neglected"):
        stmt += f", instead of {m.group('neglected').strip()}"
    end = block.text.line_at(m.end() - 1)
    return [Candidate(f"{stmt}.", section, "decision", block.line_start, end, "chosen", block.code_spans)]


def _task_statement(text: str) -> str:
    stmt = _TASK_TRACKING.sub("", clean_text(_WORK_WORD.sub("", text))).strip().rstrip(";,")
    if not is_imperative(_capitalize(stmt)):
        m = _TASK_PARTICIPLE.match(stmt)
        verb = _past_verb(m.group("verb")) if m else None
        # "Semgrep rule added to the CI template" -> "Add semgrep rule to the CI template" (not a
        # passive told in full: "Limits to be confirmed by the vendor" stays as it is)
        if m and verb and not re.search(r"\b(?:be|is|are|was|were|been)$", m.group("thing")):
            thing = m.group("thing")
            if re.match(r"^[A-Z][a-z]+\b", thing):
                thing = thing[:1].lower() + thing[1:]  # capitalised as the item's first word only
            stmt = f"{verb} {thing} {m.group('rest')}"
    return _capitalize(stmt.rstrip("."))


def task_item(
    block: Block, role: str | None, section: str, kind: str = "adr", lead: str = ""
) -> list[Candidate]:
    """A task-list item of an ADR outside the sections the walk reads (of a runbook: under a
    "Known gaps" heading, or after a paragraph that ends "Outstanding:"), as a follow-up."""
    if block.type != "item" or role not in _TASK_ROLES or not _TASK_BOX.match(block.text.text):
        return []
    gaps = (block.path and _RUNBOOK_GAPS.search(block.path[-1])) or _GAPS_LEAD.search(lead)
    if kind == "runbook" and not gaps:
        return []
    stmt = _task_statement(block.text.text)
    if word_count(stmt) < MIN_TASK_WORDS:
        return []
    end = block.text.line_at(max(len(block.text.text) - 1, 0))
    return [Candidate(f"{stmt}.", section, "task", block.line_start, max(block.line_start, end), "item")]


def standing_consequence(block: Block, role: str | None, section: str) -> list[Candidate]:
    """A top-level consequence item told as a binding fact, kept as told (first sentence)."""
    if role != "consequence" or block.type != "item" or block.depth:
        return []
    if block.path and _WEIGHED.search(block.path[-1]):
        return []  # "Positive consequences": what the choice gains or costs, not what binds
    text = clean_text(block.text.text)
    good = _GOOD_BECAUSE.match(text)
    if good:
        text = _capitalize(text[good.end() :])
        if not re.match(r"^(?:every|each|all|no|only)\b", text, re.I):
            return []  # a benefit, not a rule the team keeps
    spans = split_sentences(text)
    if not spans or is_rule_like(text[spans[0][0] : spans[0][1]]):
        return []  # a rule the walk keeps already
    # a limit on people ("nobody edits rows by hand") says the rule better than the state beside it
    firm = sorted(spans[:2], key=lambda se: not _FIRM_FACT.search(text[se[0] : se[1]]))
    for s, e in firm:
        sentence = text[s:e].strip()
        if (
            _STANDING_FACT.search(sentence)
            and not _EVALUATION.search(sentence.split(";")[0])
            and word_count(sentence) >= MIN_FACT_WORDS
            and not sentence.endswith(("?", ":"))
        ):
            ls, le = _sentence_lines(block.text, 0, len(block.text.text))
            return [Candidate(sentence, section, "consequence", ls, le, "item", block.code_spans)]
    return []


def design_limit(block: Block, role: str | None, section: str, lead: str = "") -> list[Candidate]:
    """A top-level item of an ADR's decision section told as a present-tense limit ("Handlers'
    tools read only from scanned/", "Nothing reads from incoming/ except the scanner"): it binds as
    a rule, kept as told; the walk keeps the items worded as rules or as design steps. A list that a
    lead introduces ("We looked at two things:") is what that lead says it is, not the design."""
    if role != "decision" or block.type != "item" or block.depth or _TASK_BOX.match(block.text.text):
        return []
    if lead.endswith(":"):
        return []
    text = clean_text(block.text.text)
    spans = split_sentences(text)
    if not spans or is_rule_like(text[spans[0][0] : spans[0][1]]) or is_imperative(text):
        return []
    for s, e in spans[:2]:
        sentence = text[s:e].strip()
        if (
            _DESIGN_LIMIT.search(sentence)
            and word_count(sentence) >= MIN_FACT_WORDS
            and not _EVALUATION.search(sentence.split(";")[0])
            and not _not_a_limit(sentence)
            and not sentence.endswith(("?", ":"))
        ):
            ls, le = _sentence_lines(block.text, 0, len(block.text.text))
            return [Candidate(sentence, section, "consequence", ls, le, "item", block.code_spans)]
    return []


def _not_a_limit(sentence: str) -> bool:
    """ "We only considered ...": the story of the decision, not a limit it sets; "If a group
    fails, only the failing PR is removed": a step for a case, the walk's design step."""
    return bool(re.match(r"^(?:we|i|they|if|when|whenever|once)\b", sentence, re.I))


def binding_condition(block: Block, lead: str, section: str) -> list[Candidate]:
    """An item of a list its lead calls binding ("with these binding conditions:"), as told."""
    if block.type != "item" or block.depth or not _BINDING_LEAD.search(lead):
        return []
    spans = split_sentences(clean_text(block.text.text))
    text = clean_text(block.text.text)
    first = text[spans[0][0] : spans[0][1]].strip() if spans else ""
    if word_count(first) < MIN_FACT_WORDS or first.endswith(("?", ":")):
        return []
    ls, le = _sentence_lines(block.text, 0, len(block.text.text))
    return [Candidate(first, section, "consequence", ls, le, "item", block.code_spans)]


# a decision that opens with the name of the option it picks: "Option B: move to Bugline EU."
_NAMED_OPTION = re.compile(
    r"^(?:option|alternative|proposal)\s+[A-Z0-9]{1,2}\s*(?::|\s[—–-]\s)\s*(?P<what>\S.*)$", re.I
)


def named_option(block: Block, role: str | None, section: str, title: str) -> list[Candidate]:
    """A decision section's paragraph that names the option chosen and says what it does, read as
    a "Chosen option:" line is (the option's own words, the title's subject when they lack one)."""
    if role != "decision" or block.type != "paragraph":
        return []
    text = clean_text(block.text.text)
    spans = split_sentences(text)
    first = text[spans[0][0] : spans[0][1]].strip().rstrip(".") if spans else ""
    named = _NAMED_OPTION.match(first)
    if not named or not is_imperative(_capitalize(named.group("what"))):
        return []
    chosen = _CHOSEN.match(f"Chosen option: {named.group('what')}")
    if chosen is None:
        return []
    _, stmt, _ = chosen_decision(chosen, title)
    end = block.text.line_at(max(spans[0][1] - 1, 0))
    return [Candidate(stmt, section, "decision", block.line_start, end, "chosen", block.code_spans)]


def decision_record_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """The Y-statement, task items and consequence facts of an ADR; a runbook's known gaps."""
    if kind not in ("adr", "runbook"):
        return []
    out: list[Candidate] = []
    lead = ""  # the paragraph a list follows
    for block in outline.blocks:
        if block.type not in ("item", "paragraph"):
            lead = "" if block.type == "heading" else lead
            continue
        role, section = block_role(block, kind, title)
        if block.type == "paragraph":
            lead = clean_text(block.text.text) + (":" if block.text.text.rstrip().endswith(":") else "")
        if kind == "runbook":
            out += task_item(block, role, section, kind, lead)
            continue
        if block.type == "paragraph":
            out += y_statement(block, section) + named_option(block, role, section, title)
            continue
        task = task_item(block, role, section)  # a box is work, whatever the item says
        out += task or standing_consequence(block, role, section) or design_limit(block, role, section, lead)
        out += binding_condition(block, lead, section) if role in ("decision", "consequence") else []
    return out


__all__ = ["decision_record_candidates", "standing_consequence", "task_item", "y_statement"]
