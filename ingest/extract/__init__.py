"""Find lesson-carrying sections and turn their items into atomic imperative statements.

The package: ``patterns`` (the compiled patterns and limits), ``text`` (sentence cleaning and
imperative rewriting), ``candidate`` (a candidate and its section's role), ``extractor`` (the
outline walker), ``finalize`` (dedupe, fragments, caps). Record types, severities and their rules
live in :mod:`ingest.record_types`; section roles by meaning in :mod:`ingest.roles`.
"""

from __future__ import annotations

from ingest.extract.action_questions import asked_action
from ingest.extract.candidate import (
    Candidate,
    block_role,
    known_role,
    role_of,
)
from ingest.extract.changes_made import changes_made
from ingest.extract.chat_logs import chat_rule_candidates
from ingest.extract.clause_rules import fact_then_instruction
from ingest.extract.covered_factors import drop_covered_factors
from ingest.extract.decision_records import decision_record_candidates
from ingest.extract.extractor import Extractor
from ingest.extract.fact_lessons import fact_lesson_candidates
from ingest.extract.faq_answers import faq_answer_candidates
from ingest.extract.finalize import (
    ALERT_CONTEXT_MAX_WORDS,
    MERGE_MAX,
    MIN_DRIVER_WORDS,
    PURPOSE_MAX_WORDS,
    RESTATE_MAX_WORDS,
    _key,
    alert_words,
    cap_sections,
    finalize,
    merge_checks,
    merge_shared_condition,
    restates,
    self_contained,
    with_alert_context,
    with_title_purpose,
)
from ingest.extract.flowcharts import flowchart_candidates
from ingest.extract.noun_items import noun_item_to_imperative
from ingest.extract.option_lists import context_rules, option_list_candidates
from ingest.extract.patterns import (
    _FIELD_STATEMENT,
    COMMAND_LEAD_MAX_WORDS,
    LONG_DECISION,
    MAX_DESIGN_PER_DOCUMENT,
    MAX_GENERIC_LONG_DOCUMENT,
    MAX_GENERIC_PER_DOCUMENT,
    MAX_JOINED_COMMANDS,
    MAX_PER_DOCUMENT,
    MAX_RESOLUTION_FALLBACK,
    MAX_WORDS,
    MIN_WORDS,
)
from ingest.extract.placeholders import is_blank_template
from ingest.extract.process_page import reading_kind
from ingest.extract.reader_cases import reader_case_candidates
from ingest.extract.runbook_checks import placed, runbook_check_candidates
from ingest.extract.runbook_rules import runbook_rule_candidates
from ingest.extract.splitting import split_coordinated
from ingest.extract.step_rules import later_prohibitions, open_tickets
from ingest.extract.steps import fold_short_steps
from ingest.extract.subject import with_document_subject
from ingest.extract.text import (
    accepts,
    advice_to_group,
    clean_text,
    cut_to_limit,
    finish,
    had_directive,
    is_imperative,
    is_rule_like,
    is_warning,
    join_lead,
    past_passive_to_imperative,
    past_to_imperative,
    rewrite_imperative,
    split_sentences,
)
from ingest.extract.words import first_word, word_count
from ingest.extract.work_tables import work_table_candidates
from ingest.fallback import narrative_candidates
from ingest.sections import Outline

# A document whose sections gave fewer records than this is mostly prose (a disclosure, a blog
# post, a status update, a design told in its own headings): its best narrative sentences are
# added until it has this many.
SPARSE: dict[str, int] = {"postmortem": 4}  # ADRs and runbooks: tried at 3, no tune or old gain


def _top_up(out: list[Candidate], narrative: list[Candidate], kind: str) -> list[Candidate]:
    """``out`` plus the narrative sentences that neither repeat a record nor say what a record on
    their lines says (a one-line paragraph holds several sentences: only a restatement is out)."""

    def same(n: Candidate, c: Candidate) -> bool:
        a, b = _key(n.statement), _key(c.statement)
        return (n.line_start, n.line_end) == (c.line_start, c.line_end) and len(a & b) * 2 >= len(a | b)

    extra = [
        n
        for n in finalize(narrative, [], kind)
        if not any(same(n, c) for c in out)
        and not _FIELD_STATEMENT.match(n.statement)
        # beside real records only advice that reads as a rule: what the responders did (a
        # resolution step) stays a fallback for postmortems with no lesson at all
        and is_rule_like(n.statement)
        and n.role != "resolution"
        and not any(_key(n.statement) <= _key(c.statement) for c in out)
    ]
    return sorted(out + extra[: SPARSE.get(kind, 0) - len(out)], key=lambda c: c.line_start)


def extract_candidates(outline: Outline, *, kind: str, title: str) -> list[Candidate]:
    if is_blank_template(outline):
        return []  # instructions to a writer nobody followed are no lesson (placeholders.py)
    kind = reading_kind(kind, title)
    ex = Extractor(outline, kind=kind, title=title)
    cands = ex.run() + option_list_candidates(outline, kind, title) + context_rules(outline, kind, title)
    cands += changes_made(outline, kind, title)  # "We now run X", "X now fails Y" in a story
    # Y-statements, task lists, consequence facts; checklist preconditions, situations and responses
    cands = placed(
        cands,
        decision_record_candidates(outline, kind, title)
        + runbook_check_candidates(outline, kind, title)
        + runbook_rule_candidates(outline, kind, title)  # rules as facts, states, named cases
        + reader_case_candidates(outline, kind, title)  # "If you still see X" > its steps
        + work_table_candidates(outline, kind, title)  # status tables, a runbook's case tables
        + fact_lesson_candidates(outline, kind, title)  # numbered lessons told as facts
        + flowchart_candidates(outline, kind, title)  # a runbook's Mermaid decision tree
        + chat_rule_candidates(outline, kind, title)  # rules spoken in a quoted chat log
        + later_prohibitions(outline, kind, title)  # a step's "Never ..." sentence after it
        + open_tickets(outline, kind, title)  # "ticket DP-881 (open) is moving that job to X"
        + fact_then_instruction(outline, kind, title)  # "X does not mean Y; check Z first"
        + faq_answer_candidates(outline, kind, title),  # "Q: Can I X? A: No, ..." -> "Do not X; ..."
    )
    if kind == "runbook":
        cands = merge_checks(cands)
    if kind == "postmortem":
        cands = [
            asked_action(c) for c in cands
        ]  # "Can we use X? Ticket raised" -> "Evaluate whether to use X"
    out = finalize(cands, ex.generic, kind)
    if not out:
        # a narrative document (a disclosure, a blog post, a design in its own headings): its
        # advice, remedy and decision sentences
        narrative = narrative_candidates(outline, title=title, kind=kind)
        # a document keeps a record even when the filters drop every narrative sentence: a
        # postmortem, runbook or ADR with none would be invisible to every search and check
        out = finalize(narrative, [], kind) or narrative[:1]
    elif len(out) < SPARSE.get(kind, 0):
        out = _top_up(out, narrative_candidates(outline, title=title, kind=kind), kind)
    out = drop_covered_factors(out, kind)  # "Versioning was off" beside "Enable versioning"
    out = cap_sections(
        fold_short_steps(merge_shared_condition(self_contained(out, keep_one=True)), kind), kind
    )
    out = with_alert_context(out, title) if kind == "runbook" else out
    return with_document_subject(out, title)


__all__ = [
    "ALERT_CONTEXT_MAX_WORDS",
    "COMMAND_LEAD_MAX_WORDS",
    "LONG_DECISION",
    "MAX_DESIGN_PER_DOCUMENT",
    "MAX_GENERIC_LONG_DOCUMENT",
    "MAX_GENERIC_PER_DOCUMENT",
    "MAX_JOINED_COMMANDS",
    "MAX_PER_DOCUMENT",
    "MAX_RESOLUTION_FALLBACK",
    "MAX_WORDS",
    "MERGE_MAX",
    "MIN_DRIVER_WORDS",
    "MIN_WORDS",
    "PURPOSE_MAX_WORDS",
    "RESTATE_MAX_WORDS",
    "Candidate",
    "Extractor",
    "accepts",
    "advice_to_group",
    "alert_words",
    "block_role",
    "clean_text",
    "cut_to_limit",
    "extract_candidates",
    "finalize",
    "finish",
    "first_word",
    "had_directive",
    "is_imperative",
    "is_rule_like",
    "is_warning",
    "join_lead",
    "known_role",
    "merge_checks",
    "merge_shared_condition",
    "noun_item_to_imperative",
    "past_passive_to_imperative",
    "past_to_imperative",
    "restates",
    "rewrite_imperative",
    "role_of",
    "self_contained",
    "split_coordinated",
    "split_sentences",
    "with_alert_context",
    "with_title_purpose",
    "word_count",
]
