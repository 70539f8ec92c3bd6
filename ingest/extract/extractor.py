"""The outline walker: collects candidate statements section by section."""

from __future__ import annotations

import re

from ingest.budget import check
from ingest.extract.candidate import (
    _CAUSE_STORY,
    _FIELD_ROLES,
    Candidate,
    _is_cause_lead,
    _sentence_lines,
    block_role,
    role_of,
)
from ingest.extract.causes import story_causes, tells_causes, untold_factor
from ingest.extract.finalize import _THIS_ALERT, _THIS_ALERT_ANY, _key, alert_words
from ingest.extract.findings import story_findings
from ingest.extract.impact import impact_conditions, is_impact_section
from ingest.extract.lesson_rows import lesson_row
from ingest.extract.notes import note_acceptance, note_instruction
from ingest.extract.noun_items import _FINITE_VERB, noun_item_to_imperative
from ingest.extract.options import all_options_candidates, chosen_decision, rejected_reason, rejected_reasons
from ingest.extract.patterns import (
    _ANAPHORA,
    _CHOSEN,
    _CONCESSIVE_LEAD,
    _CONDITION_PARENT,
    _CONTRAST,
    _DECIDED_LEAD,
    _DECIDED_RULE,
    _DEICTIC,
    _EXAMPLE_OPENER,
    _FIRST_PERSON,
    _FIX_WAS,
    _FOLLOWING_CMD,
    _FORWARD_LEAD,
    _GENERAL_TRUTH,
    _GENERIC_STEP,
    _LESSON_IS,
    _LESSON_LIST,
    _MEANS_LEAD,
    _METRIC_ITEM,
    _MODAL_RULE,
    _NOT_SELF_CONTAINED,
    _PROS_CONS,
    _PURPOSE,
    _REMEDY_PURPOSE,
    _RESOLVED_BY,
    _RESPONDER,
    _SHELL_ASSIGN,
    _SHELL_LINE,
    _SHELL_PROMPT,
    _SHOULD_HAVE,
    _STORY_ONLY,
    _TEAM_MUST,
    _TO_PURPOSE_CMD,
    _TRIVIAL_STEP,
    _WARNING_MARK,
    _WE_FAILED,
    _WE_HAVE_ADDED,
    _WE_SHOULD,
    _YOU_SHOULD_CLAUSE,
    COMMAND_LEAD_MAX_WORDS,
    MAX_DESIGN_PER_DOCUMENT,
    MAX_JOINED_COMMANDS,
    MAX_RESOLUTION_FALLBACK,
    MIN_WORDS,
)
from ingest.extract.questions import open_question
from ingest.extract.resolution import resolution_candidates
from ingest.extract.short_repair import short_repair
from ingest.extract.step_tables import is_number_cell, is_step_table, with_fallback
from ingest.extract.story import commitment, story_advice
from ingest.extract.text import (
    _LABEL_SPLIT,
    _first_sentences,
    _past_verb,
    _rule_sentence,
    accepts,
    clean_text,
    cut_to_limit,
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
from ingest.extract.words import _capitalize, first_word, gerund_lead, inside_code, word_count
from ingest.narrative import did_not_to_lesson, passive_to_imperative, present_to_imperative
from ingest.sections import Block, Outline

# sections whose sentences are the record of events, not what the team learned from them
# lesson-bearing roles whose prose paragraphs are also read for commitments ("..., but we will X")
_PROSE_TAKEAWAY = frozenset({"lesson", "action", "factor"})
_ACTION_HEADER = re.compile(
    r"action|item|task|description|what|recommendation|todo|to do|follow|remediation|improvement|"
    r"lesson|change|step|fix",
    re.I,
)
_SKIP_HEADER = re.compile(
    r"owner|assignee|who|ticket|issue|jira|link|status|due|date|priority|when|time|done|state|"
    r"responsible|team|eta|#|id$|no\.?$",
    re.I,
)


# A table that tracks work: an owner column beside a priority, status, due-date or ticket column.
# Its rows are action items under whatever heading the table stands ("Tracking", "Open items").
_OWNER_HEADER = re.compile(r"^(?:owners?|assignees?|assigned to|responsible|who|team|dri)$", re.I)
_TRACKING_HEADER = re.compile(
    r"^(?:priority|prio|p\d|status|state|due(?: date)?|eta|deadline|ticket|bug|issue|jira|tracking)$", re.I
)


def is_action_table(header: list[str]) -> bool:
    """Whether a table header names the columns of an action-item tracker."""
    cells = [re.sub(r"[*_`]", "", h).strip() for h in header]
    return any(_OWNER_HEADER.match(h) for h in cells) and any(_TRACKING_HEADER.match(h) for h in cells)


def _action_cell(block: Block) -> int | None:
    header = block.header
    cells = block.cells
    if not cells:
        return None
    if header:
        for i, h in enumerate(header):
            action = _ACTION_HEADER.search(h) and not _SKIP_HEADER.search(h)
            if action and i < len(cells) and not is_number_cell(cells[i]):  # a "Step" column of 1, 2, 3
                return i
        if any(re.search(r"^(?:time|date|timestamp)\b", h, re.I) for h in header):
            return None  # a timeline table
    best, best_len = None, 0
    for i, c in enumerate(cells):
        h = header[i] if i < len(header) else ""
        if h and _SKIP_HEADER.search(h):
            continue
        if len(c) > best_len:
            best, best_len = i, len(c)
    return best


WORK_LIST_MIN = 2  # list items, two thirds of them work to do, that make an action list


def _done_item(raw: str, stmt: str) -> tuple[str, str]:
    """A postmortem's action item told as done, as (statement, role): "Purged X older than seven
    days" (a step already) and "X has been disabled and removed from Y" ("Disable and remove X
    from Y") are done; other items stay actions."""
    first = first_word(raw)
    if raw[:1].isupper() and first.endswith("ed") and _past_verb(first) is not None and is_imperative(stmt):
        return stmt, "done"
    done = "" if is_rule_like(stmt) else past_passive_to_imperative(raw)
    return (done, "done") if done else (stmt, "action")


class Extractor:
    """Walks an outline once and collects candidate statements."""

    def __init__(self, outline: Outline, *, kind: str, title: str) -> None:
        self.outline = outline
        self.kind = kind
        self.title = title
        self.candidates: list[Candidate] = []
        self.generic: list[Candidate] = []
        self.decision_fallback: list[Candidate] = []
        self.decision_found = False
        self.resolution: list[Candidate] = []  # done/resolution steps, used when nothing else is found
        self.resolution_steps: list[Candidate] = []  # imperative resolution items, the last resort
        self.short_repairs: list[Candidate] = []  # "Pod restarted." with the titled failure, after those
        self.design: list[Candidate] = []  # present-tense design sentences of an ADR, as rules
        self.rejected: list[tuple[str, Candidate]] = []  # (option, reason against it): options.py
        self.chosen = ""  # the option a "Chosen option:" line names
        titles = " ".join(h.title.lower() for h in outline.headings)
        # how-to runbooks (no Meaning/Diagnosis/Mitigation template): steps live in any section
        self.work_lists = self._work_lists() if kind == "postmortem" else frozenset()
        self.alert = kind == "runbook" and bool(alert_words(title))
        self.procedural = kind == "runbook" and not re.search(r"\bmeaning\b|\bdiagnos|\bmitigation\b", titles)

    # -- helpers
    def _work_lists(self) -> frozenset[tuple[str, ...]]:
        """Sections of a postmortem with no known role whose top-level list is mostly work to do
        ("- Alert on X", "- Run two replicas of Y" under "Platform changes"): an action list by its
        content, whatever its heading says."""
        items: dict[tuple[str, ...], list[bool]] = {}
        for block in self.outline.blocks:
            if block.type != "item" or block.depth != 0 or block.ordered:
                continue  # a numbered list is a sequence of steps or events, not a work list
            stmt = rewrite_imperative(clean_text(block.text.text), role="action", item=True)
            items.setdefault(block.path, []).append(is_imperative(stmt) and word_count(stmt) >= MIN_WORDS)
        return frozenset(
            path
            for path, flags in items.items()
            if len(flags) >= WORK_LIST_MIN and sum(flags) * 3 >= len(flags) * 2
        )

    def _resolve_alert(self, text: str) -> str:
        """In an alert runbook "This alert ..." names the runbook's alert: say which one."""
        if not self.alert:
            return text
        if not _THIS_ALERT.match(text):
            # "Resolve any alerts that may cause this alert to fire": name the alert mid-sentence too
            return _THIS_ALERT_ANY.sub(f"the {self.title.strip()} alert", text)
        return rewrite_imperative(
            _THIS_ALERT.sub(f"The {self.title.strip()} alert", text, count=1), role="mitigation"
        )

    def _next_code(self, idx: int) -> str | None:
        """A one-line command in the code block right after block ``idx``, if there is one."""
        blocks = self.outline.blocks
        for nb in blocks[idx + 1 : idx + 3]:
            if nb.type == "code":
                lines = [ln.strip() for ln in nb.text.text.strip().splitlines() if ln.strip()]
                if any(_SHELL_PROMPT.match(ln) for ln in lines):
                    lines = [_SHELL_PROMPT.sub("", ln) for ln in lines if _SHELL_PROMPT.match(ln)]
                cmds = [re.sub(r"^[$#]\s+", "", ln) for ln in lines]
                if len(cmds) > 1:
                    cmds = [c for c in cmds if not _SHELL_ASSIGN.match(c)] or cmds
                if len(cmds) == 1:
                    return cmds[0] if 0 < len(cmds[0]) <= 80 else None
                if len(cmds) <= MAX_JOINED_COMMANDS and all(_SHELL_LINE.match(c) for c in cmds):
                    return "; ".join(cmds)  # a short recipe reads as one command line
                return ""
            if nb.type not in ("html",):
                return None
        return None

    def _with_command(self, text: str, idx: int | None) -> str:
        """Resolve "run the following command:" against the code block that follows."""
        if idx is None:
            return text
        cmd = self._next_code(idx)
        if cmd is None:
            return text
        if cmd and _FOLLOWING_CMD.search(text):
            return _FOLLOWING_CMD.sub(f"`{cmd}`", text, count=1).rstrip(":").rstrip()
        if text.rstrip().endswith(":"):
            return text.rstrip().rstrip(":").rstrip() + (f": `{cmd}`" if cmd else "")
        return text

    def _first_person_action(self, text: str, role: str) -> tuple[str, str] | None:
        """A first-person item of a postmortem's action or lessons list as a step, with its role:
        "..., we will increase rate limits" -> "Increase rate limits" (still to do); "We enabled
        branch protection" -> "Enable branch protection" (done)."""
        if self.kind != "postmortem" or role not in ("action", "lesson"):
            return None
        rest = _CONCESSIVE_LEAD.sub("", text, count=1)
        if rest != text:
            stmt = rewrite_imperative(_capitalize(rest), role=role)
            if is_imperative(stmt):
                return stmt, role
        done = past_to_imperative(rest)
        if done and word_count(done) >= MIN_WORDS + 1 and not _ANAPHORA.match(done):
            return done, "done"
        return None

    def _add(self, cand: Candidate, *, generic: bool = False) -> None:
        (self.generic if generic else self.candidates).append(cand)

    def _sentences(
        self, block: Block, section: str, role: str, *, accept: str, idx: int | None = None
    ) -> None:
        text = block.text
        spans = split_sentences(text.text)
        cmd = self._next_code(idx) if idx is not None and text.text.rstrip().endswith(":") else None
        generic_at = next(
            (n for n, (s, e) in enumerate(spans[:-1]) if _GENERIC_STEP.search(text.text[s:e].rstrip(" ."))),
            None,
        )
        for n, (s, e) in enumerate(spans):
            raw = text.text[s:e].strip()
            if cmd and n == generic_at:
                # "Open a shell and use Linux tools to diagnose the issue. Note ...:" + commands:
                # the commands say how, so they go with the step, not with the note before them
                raw = f"{raw.rstrip('.')}: `{cmd}`"
            elif n == len(spans) - 1 and not (cmd and generic_at is not None):
                raw = self._with_command(raw, idx)
            cleaned = self._resolve_alert(clean_text(raw))
            if not cleaned:
                continue
            purpose = _TO_PURPOSE_CMD.match(cleaned)
            if purpose:
                cleaned = f"Run {purpose.group(2)} to {purpose.group(1)}"  # the command, then what for
            means = _MEANS_LEAD.match(cleaned) if role == "consequence" else None
            if means and word_count(cleaned[means.end() :]) >= MIN_WORDS + 3 and _TEAM_MUST.search(cleaned):
                # "This means that when X, we will have to Y": what follows the lead is what the team
                # must do from now on (a future fact after it, "there will be X", stays out)
                cleaned = _capitalize(cleaned[means.end() :])
            if role == "decision" and self.kind == "adr":
                chosen = _CHOSEN.match(cleaned)
                if chosen:
                    self._chosen(chosen, block, section, s, e)
                    continue
            stmt = rewrite_imperative(cleaned, role=role)
            sentence_role = role
            if (
                _FIRST_PERSON.match(stmt)
                or _CONCESSIVE_LEAD.match(stmt)
                or (_RESPONDER.match(stmt) and not is_rule_like(stmt))
            ):
                stmt, sentence_role = self._first_person_action(cleaned, role) or (stmt, role)
            if self.kind == "postmortem" and role in ("action", "lesson") and not is_rule_like(stmt):
                # "Large pools were asked to switch back to 0.7" under "What is being done"
                done = past_passive_to_imperative(cleaned)
                if done and word_count(done) >= MIN_WORDS + 1:
                    stmt, sentence_role = done, "done"
            ok = (
                accepts(stmt, accept)
                or (stmt != cleaned and accepts(cleaned, accept))
                or (accept != "strong" and had_directive(cleaned))
            ) and not (_ANAPHORA.match(stmt))
            ls, le = _sentence_lines(text, s, e)
            cand = Candidate(
                stmt,
                section,
                sentence_role,
                ls,
                le,
                "sentence",
                [c for c in block.code_spans if c in raw],
                warning=(block.in_quote and is_warning(raw)) or bool(_WARNING_MARK.match(raw)),
                walkthrough=block.type == "item" and block.ordered,
            )
            if ok:
                self._add(cand, generic=accept == "strong")
                if role == "decision":
                    self.decision_found = True
            elif self._design(cleaned, cand):
                pass
            elif (
                role == "decision"
                and not self.decision_fallback
                and word_count(stmt) >= MIN_WORDS
                and not _ANAPHORA.match(stmt)
            ):
                self.decision_fallback.append(cand)

    def _design(self, sentence: str, cand: Candidate) -> bool:
        """Keep a present-tense design sentence of an ADR decision section as a rule."""
        if cand.role != "decision" or self.kind != "adr":
            return False
        stmt = passive_to_imperative(sentence, present=True) or present_to_imperative(sentence)
        if not stmt or word_count(stmt) < MIN_WORDS + 1:
            return False
        if _NOT_SELF_CONTAINED.search(stmt.rstrip(".")) or _DEICTIC.search(stmt) or _CONTRAST.search(stmt):
            # "The flow follows these steps:" or "... runs however are managed ..." (a contrast
            # with the sentence before) is no rule, and takes no design slot
            return True
        cand.statement = stmt
        cand.source = "design"
        self.design.append(cand)
        return True

    def _chosen(self, m: re.Match[str], block: Block, section: str, s: int, e: int) -> None:
        self.chosen, stmt, extra = chosen_decision(m, self.title)
        ls, le = _sentence_lines(block.text, s, e)
        self._add(
            Candidate(stmt, section, "decision", ls, le, "chosen", block.code_spans, extra_rationale=extra)
        )
        self.decision_found = True

    def _item_statement(self, block: Block, role: str) -> str:
        """Statement for one list item: label splitting, rewriting, first sentences only."""
        text = block.text.text.strip()
        if note := note_instruction(text):
            return note  # "Note - <reason> please <instruction>" (notes.py)
        label = block.bold_label
        rest = ""
        if label and text.startswith(label):
            rest = text[len(label) :].lstrip(" :–—-")
        else:
            m = _LABEL_SPLIT.match(text)
            if m and word_count(m.group(1)) <= 8 and not inside_code(text, m.end(1), block.code_spans):
                label, rest = m.group(1), m.group(2)
        if label and rest and word_count(rest) >= 3 and word_count(clean_text(rest).strip(" .")) >= 3:
            # a tail that cleans down to nothing ("- see options above. Ticket #3016") is no body
            rest_stmt = _first_sentences(rewrite_imperative(clean_text(rest), role=role, item=True))
            label_stmt = rewrite_imperative(clean_text(label), role=role, item=True).rstrip(".")
            if is_imperative(rest_stmt):
                return rest_stmt
            if not is_imperative(label_stmt):
                # "**CPU alerting was missing** - ... CPU metrics must be alertable from day one."
                rule = _rule_sentence(clean_text(rest), role)
                if rule:
                    return rule
            if is_imperative(label_stmt) or word_count(label_stmt) >= 3:
                body = rest_stmt if rest_stmt[:2].isupper() else rest_stmt[:1].lower() + rest_stmt[1:]
                return f"{label_stmt}: {body}"  # "CI will ..." keeps its acronym
            return rest_stmt
        return _first_sentences(rewrite_imperative(clean_text(text), role=role, item=True))

    def _item(self, idx: int, block: Block, section: str, role: str, accept: str) -> None:
        blocks = self.outline.blocks
        text = block.text.text
        if not text.strip() or _METRIC_ITEM.search(text):
            return
        if text.rstrip().endswith(":"):
            resolved = self._with_command(text, idx)
            if resolved == text:
                return
            text = resolved
        child_items = [c for c in block.children if blocks[c].type == "item"]
        bare_label = block.bold_label and not text.strip(" *:").replace(block.bold_label, "").strip()
        if bare_label and block.depth == 0 and block.field_label is None:
            return  # a bare field label bullet ("**Review actions**:")
        parent_gist = ""
        if block.parent is not None and blocks[block.parent].type == "item":
            parent = blocks[block.parent]
            label_only = (
                parent.bold_label and not parent.text.text.strip(" *:").replace(parent.bold_label, "").strip()
            )
            # a bare field label ("**Review actions**:") is a section name, not a gist to repeat
            parent_gist = "" if label_only else clean_text(parent.text.text)
        cleaned = clean_text(text)
        pros = _PROS_CONS.match(cleaned)
        if pros:
            rest = cleaned[pros.end() :].strip()
            if role != "consequence" or not _MODAL_RULE.search(rest) or _ANAPHORA.match(rest):
                return
            text = cleaned = _capitalize(rest)
        if role == "decision" and self.kind == "adr":
            chosen = _CHOSEN.match(cleaned)
            if chosen:
                self._chosen(chosen, block, section, 0, len(text))
                return
        if child_items and accept == "all" and self._children_need_parent(child_items):
            return  # the children carry this item's gist
        if child_items and any(_ANAPHORA.match(clean_text(blocks[c].text.text)) for c in child_items):
            return  # "These CRDs will ..." children are joined with this item's gist
        stmt = self._item_statement(block, role) if not pros else rewrite_imperative(cleaned, role=role)
        stmt = self._resolve_alert(stmt)
        if (
            _FIRST_PERSON.match(stmt)
            or _CONCESSIVE_LEAD.match(stmt)
            or (_RESPONDER.match(stmt) and not is_rule_like(stmt))
        ):
            stmt, role = self._first_person_action(cleaned, role) or (stmt, role)
        if role == "action" and self.kind == "postmortem":
            stmt, role = _done_item(cleaned, stmt)
        if role == "action" and not is_rule_like(stmt) and not _FINITE_VERB.search(stmt):
            stmt = noun_item_to_imperative(stmt)  # "Better monitoring of OOM" -> "Improve monitoring of OOM"
        lead = block.text.text.rstrip().rstrip(":")
        if (
            text != block.text.text
            and text.startswith(lead)
            and role != "diagnosis"
            and word_count(stmt) <= COMMAND_LEAD_MAX_WORDS
        ):
            # a terse lead-in ("Delete any cached dependencies:") means little without its commands
            stmt = f"{stmt.rstrip('.:')}{text[len(lead) :]}"
        joined = False
        if (
            role == "lesson"
            and block.path
            and _LESSON_LIST.search(block.path[-1])
            and not is_rule_like(stmt)
            and word_count(stmt) <= 25
            and _GENERAL_TRUTH.match(stmt)
            and not re.search(r"\b(?:we|our|us|i|would|could|idea)\b", stmt, re.I)
        ):
            # a general truth listed as a lesson: "Several root causes can look alike."
            stmt = cleaned = "Remember that " + stmt[:1].lower() + stmt[1:]
        if block.parent is not None and block.depth > 0 and not pros and is_imperative(stmt):
            # a step under a condition ("If the work overruns:" > "Alert the moderators") keeps it
            cond = _CONDITION_PARENT.match(blocks[block.parent].text.text.strip())
            if cond:
                stmt = f"{clean_text(cond.group(1))}, {stmt[:1].lower()}{stmt[1:]}"
        weak = not is_rule_like(stmt) or _ANAPHORA.match(stmt)
        if parent_gist and block.parent is not None and block.depth > 0 and not pros and weak:
            lead = join_lead(blocks[block.parent].text.text, cleaned)
            if lead:
                stmt = _first_sentences(rewrite_imperative(lead, role=role))
                cleaned = lead
                joined = True
        if word_count(stmt) < MIN_WORDS and not (word_count(stmt) == 3 and is_imperative(stmt)):
            return
        self_contained = is_rule_like(stmt)
        ok = (
            accept == "all"
            or accepts(stmt, accept)
            or accepts(clean_text(text), accept)
            or (accept != "strong" and had_directive(cleaned))
        )
        if not ok or (accept != "all" and _ANAPHORA.match(stmt)):
            if len(split_sentences(block.text.text)) > 1 and not pros:
                self._sentences(block, section, role, accept=accept, idx=idx)
            elif role == "decision" and not parent_gist:
                end = block.text.line_at(len(text) - 1) if text else block.line_start
                cand = Candidate(stmt, section, role, block.line_start, end, "item", block.code_spans)
                cand.walkthrough = block.ordered
                self._design(cleaned, cand)
            return
        if parent_gist and not self_contained and block.depth > 0 and not joined:
            gist = cut_to_limit(rewrite_imperative(parent_gist, role=role), 14).rstrip(".:")
            stmt = f"{gist}: {stmt[:1].lower() + stmt[1:]}"
        first_para_end = block.text.line_at(len(text) - 1) if text else block.line_start
        cand = Candidate(
            stmt,
            section,
            role,
            block.line_start,
            max(block.line_start, first_para_end),
            "item",
            block.code_spans,
            warning=is_warning(text) and role in ("mitigation", "prereq", ""),
        )
        self._add(cand, generic=accept == "strong")
        if role == "decision":
            self.decision_found = True
        if accept in ("rule", "decision", "consequence") and not pros:
            self._later_rules(block, section, role, stmt)

    def _later_rules(self, block: Block, section: str, role: str, first: str) -> None:
        """Firm rules in an item's later sentences ("... you should amend X first") stand on their own."""
        text = block.text
        spans = split_sentences(text.text)
        for s, e in spans[1:]:
            raw = clean_text(text.text[s:e])
            tail = _YOU_SHOULD_CLAUSE.search(raw)
            stmt = _capitalize(raw[tail.end() :]) if tail else rewrite_imperative(raw, role=role)
            if (
                _ANAPHORA.match(stmt)
                or _EXAMPLE_OPENER.match(stmt)
                or word_count(stmt) < MIN_WORDS + 1
                or not (tail or is_imperative(stmt))
                or _key(stmt) <= _key(first)
            ):
                continue
            ls, le = _sentence_lines(text, s, e)
            self._add(
                Candidate(stmt, section, role, ls, le, "sentence", [c for c in block.code_spans if c in raw])
            )

    def _children_need_parent(self, child_items: list[int]) -> bool:
        blocks = self.outline.blocks
        for c in child_items:
            stmt = rewrite_imperative(clean_text(blocks[c].text.text), role="action")
            if not is_rule_like(stmt) and word_count(stmt) >= MIN_WORDS:
                return True
        return False

    def _row(self, block: Block, section: str, role: str) -> None:
        col = _action_cell(block)
        if col is None:
            return
        cell = clean_text(with_fallback(block.header, block.cells, block.cells[col]))
        if not cell:
            return
        stmt = rewrite_imperative(cell, role=role)
        self._add(Candidate(stmt, section, role, block.line_start, block.line_end, "row", block.code_spans))

    def run(self) -> list[Candidate]:
        blocks = self.outline.blocks
        kind = self.kind
        cause_list: tuple[str, ...] | None = None  # path of a "**Root causes:**" lead paragraph
        for idx, block in enumerate(blocks):
            check()
            if block.type in ("code", "html"):
                continue
            role, section = block_role(block, kind, self.title)
            if block.type != "item":
                cause_list = block.path if block.type == "paragraph" and _is_cause_lead(block) else None
            elif cause_list is not None and block.path == cause_list and kind == "postmortem":
                role = "factor"  # a root-cause list is a factor list wherever it stands, even in a timeline
            if role == "done" and kind == "postmortem" and block.type in ("item", "paragraph"):
                self._resolution(block, section)
                label = (block.field_label or "").strip().lower()
                if block.type == "item" and not (label and (label in _FIELD_ROLES or role_of(label, kind))):
                    self._completed_action(block, section)  # not a "**Resolution**:" incident field
            if role == "options" and kind == "adr" and block.type in ("item", "paragraph"):
                self.candidates.extend(all_options_candidates(block, section))
                self.rejected.extend(filter(None, [rejected_reason(block, blocks, section)]))
            if role == "skip" and kind == "adr":
                self.candidates.extend(open_question(block, section))  # an ADR's open question: a follow-up
            if role == "nongoal" and block.type == "item" and block.depth == 0:
                self._non_goal(block, section)
            if role == "goal" and block.type in ("item", "paragraph"):
                self._goal(block, section)
            if (
                role == "skip"
                and kind == "postmortem"
                and block.type == "paragraph"
                and _CAUSE_STORY.search(section)
            ):
                self._failed_safeguards(block, section)
            if kind == "postmortem" and role in (None, "skip", "context", "summary"):
                self.candidates.extend(story_findings(block, section))  # "Identified X which caused Y"
            if kind == "postmortem" and tells_causes(block, role):
                self.candidates.extend(story_causes(block, section))  # "X failed because Y", as told
            if (
                kind == "postmortem"
                and role in (None, "skip", "context", "summary", "done")
                and block.type in ("item", "paragraph")
            ):
                self._forward_sentences(block, section, story=any(_STORY_ONLY.search(p) for p in block.path))
            elif kind == "postmortem" and block.type == "paragraph" and role in _PROSE_TAKEAWAY:
                # a takeaway told in prose: its commitments ("..., but we will review X") say the lesson
                self._forward_sentences(block, section, commitments_only=True)
            if (
                block.type == "row"
                and role != "action"
                and kind in ("postmortem", "adr")
                and is_action_table(block.header)
            ):
                if not any(_STORY_ONLY.search(p) for p in block.path):
                    self._row(block, section, "action")  # a work tracker under any heading
                continue
            if role is None and block.type == "item" and block.path in self.work_lists:
                role = "action"  # a work list under a heading no role names
            if (
                role == "skip"
                and kind == "runbook"
                and block.type in ("item", "paragraph")
                and is_impact_section(block)
            ):
                self.candidates.extend(impact_conditions(block, section))
            if role in ("skip", "options", "context", "status", "done", "summary", "nongoal", "goal"):
                continue
            if block.type == "heading":
                if role in ("mitigation", "action") and block.levels and block.levels[-1] >= 3:
                    stmt = rewrite_imperative(clean_text(block.text.text), role=role)
                    if is_imperative(stmt):
                        self._add(Candidate(stmt, section, role, block.line_start, block.line_end, "heading"))
                continue
            if block.type == "row":
                if role == "action" or (kind == "runbook" and is_step_table(block.header)):
                    self._row(block, section, role or "mitigation")
                self.candidates.extend(lesson_row(block, section, role, kind=kind))
                continue
            accept = self._acceptance(role, block)
            if accept is None:
                continue
            if block.type == "item":
                told = len(self.candidates)
                self._item(idx, block, section, role or "", accept)
                if kind == "postmortem" and role in ("factor", "lesson") and len(self.candidates) == told:
                    self.candidates.extend(untold_factor(block, section, role))  # an item no rule rewrote
            elif block.type == "paragraph":
                para_accept = "rule" if accept == "all" else accept
                if role == "action" and kind == "postmortem":
                    para_accept = "imperative"
                self._sentences(block, section, role or "", accept=para_accept, idx=idx)
        if kind == "adr":
            # the steps of a numbered walk-through describe a flow; stand-alone design sentences
            # say what the design is, so they get the few design slots first
            ranked = sorted(self.design, key=lambda c: c.walkthrough)
            self.candidates.extend(ranked[:MAX_DESIGN_PER_DOCUMENT])
            self.decision_found = self.decision_found or bool(self.design)
        if kind == "adr":
            self.candidates.extend(rejected_reasons(self.rejected, self.chosen, self.title))
        if kind == "adr" and not self.decision_found:
            self.candidates.extend(self.decision_fallback)
        if kind == "postmortem" and all(c.role == "repair" for c in self.candidates):
            # no action or lesson section: what the responders did is the nearest thing to a lesson
            fallback = self.resolution or self.resolution_steps or self.short_repairs
            self.candidates.extend(fallback[:MAX_RESOLUTION_FALLBACK])
        return self.candidates

    def _forward_sentences(
        self, block: Block, section: str, *, story: bool = False, commitments_only: bool = False
    ) -> None:
        """A postmortem told as a story still says what changes: "Going forward, we will X", "To
        prevent this from happening again, X", "In hindsight, we should have X" in any section
        (the story, the summary, the resolution) is a lesson; "The fix was to X" is its fix.

        In a ``story`` section (a timeline) only a decision or realisation that states a rule
        counts ("It is decided that the pool should be moved rather than X"): the other
        decisions there are the next step the responders took."""
        text = block.text
        for s, e in split_sentences(text.text):
            cleaned = clean_text(text.text[s:e])
            decided = _DECIDED_LEAD.match(cleaned)
            if story:
                if decided and _DECIDED_RULE.search(cleaned[decided.end() :]):
                    stmt = rewrite_imperative(cleaned, role="lesson")
                    if is_rule_like(stmt) and word_count(stmt) >= MIN_WORDS + 1 and not _ANAPHORA.match(stmt):
                        ls, le = _sentence_lines(text, s, e)
                        self.candidates.append(Candidate(stmt, section, "lesson", ls, le, "sentence"))
                continue
            announced = _LESSON_IS.match(cleaned)  # "The lesson here is that X": a lesson as told
            lead = (
                _FORWARD_LEAD.match(cleaned)
                or _SHOULD_HAVE.match(cleaned)
                or _WE_SHOULD.match(cleaned)
                or _WE_FAILED.match(cleaned)
                or decided
                or story_advice(cleaned)
                or announced
            )
            fix = _FIX_WAS.match(cleaned) or _RESOLVED_BY.match(cleaned)
            # a commitment in the first person: "We will document the purge procedure", also after a
            # lead that orders a list ("Secondly, we'll add X") or in a second clause (", but we will X")
            commit, body = (None, cleaned) if lead else commitment(cleaned)
            # a remedy told as done with what it is for: "X were updated so non-admins cannot push"
            clause = re.split(r",\s+(?:and|but|while|which|whereas)\b", cleaned, maxsplit=1)[0]
            remedy = past_passive_to_imperative(clause) if _REMEDY_PURPOSE.search(clause) else ""
            if not (lead or fix or remedy or commit) or (commitments_only and not commit):
                continue
            stmt = remedy or rewrite_imperative(body, role="action" if commit else "lesson")
            if (
                not (is_rule_like(stmt) or announced)
                or word_count(stmt) < MIN_WORDS + 1
                or _ANAPHORA.match(stmt)
            ):
                continue
            ls, le = _sentence_lines(text, s, e)
            role = "lesson" if lead else "action" if commit else "done" if remedy else "resolution"
            cand = Candidate(stmt, section, role, ls, le, "sentence")
            cand.code_spans = [c for c in block.code_spans if c in text.text[s:e]]
            (self.candidates if lead or remedy or commit else self.resolution).append(cand)

    def _failed_safeguards(self, block: Block, section: str) -> None:
        """In the story of how an incident happened, a safeguard that did not do its job is a rule."""
        text = block.text
        for s, e in split_sentences(text.text):
            stmt = did_not_to_lesson(clean_text(text.text[s:e]))
            if stmt and word_count(stmt) >= MIN_WORDS + 1:
                ls, le = _sentence_lines(text, s, e)
                self._add(Candidate(stmt, section, "factor", ls, le, "sentence", block.code_spans))

    def _goal(self, block: Block, section: str) -> None:
        text = block.text
        for s, e in split_sentences(text.text):
            ls, le = _sentence_lines(text, s, e)
            cand = Candidate("", section, "decision", ls, le, "design", block.code_spans)
            self._design(clean_text(text.text[s:e]), cand)

    def _non_goal(self, block: Block, section: str) -> None:
        """An imperative non-goal of a design ("Provide user-facing CRDs") is a scope rule: do not do it."""
        text = block.text.text
        spans = split_sentences(text)
        if not spans:
            return
        first = gerund_lead(clean_text(text[spans[0][0] : spans[0][1]]))  # "Deploying X" -> "Deploy X"
        if not is_imperative(first) or first_word(first) in ("do", "don't", "never", "avoid", "be", "have"):
            return
        if word_count(first) < MIN_WORDS - 1:
            return
        stmt = "Do not " + first[:1].lower() + first[1:]
        ls, le = _sentence_lines(block.text, *spans[0])
        self._add(Candidate(stmt, section, "decision", ls, le, "item", block.code_spans))

    def _completed_action(self, block: Block, section: str) -> None:
        """A completed fix that says what it guards against ("Retry limits: Implemented X to prevent Y"),
        or that the team says it made ("We have extended the scope of X to Y")."""
        text = block.text.text
        if not text.strip() or text.rstrip().endswith(":") or _METRIC_ITEM.search(text):
            return
        labelled = bool(block.bold_label) or bool(_LABEL_SPLIT.match(clean_text(text)))
        we_did = bool(_WE_HAVE_ADDED.match(clean_text(text)))  # "We have extended X to Y": done
        if not (labelled or we_did or _PURPOSE.search(text)):
            return
        stmt = self._item_statement(block, "action")
        if (
            not is_imperative(stmt)
            or word_count(stmt) < MIN_WORDS + 2
            or _TRIVIAL_STEP.match(stmt)
            or _ANAPHORA.match(stmt)
        ):
            return
        end = block.text.line_at(len(text) - 1)
        role = "done" if we_did else "action"
        self._add(Candidate(stmt, section, role, block.line_start, max(block.line_start, end), "item"))

    def _resolution(self, block: Block, section: str) -> None:
        """Resolution steps in the past tense ("Team fixed the owner field") as imperatives (the
        fallback), and the repairs and causes a resolution list tells (records)."""
        steps, field_steps, repairs = resolution_candidates(block, section)
        self.resolution.extend(steps)
        self.resolution_steps.extend(field_steps)
        self.short_repairs.extend(c for c in [short_repair(block, section, self.title)] if c)
        self.candidates.extend(repairs)

    def _acceptance(self, role: str | None, block: Block) -> str | None:
        """How permissive to be: all | rule | imperative | strong (generic modal) | None."""
        kind = self.kind
        if role == "action":
            # a runbook's "Recommendations" may describe how the pipeline works: only rules count
            return "all" if block.type == "item" and kind != "runbook" else "rule"
        if role == "consequence" and kind == "adr":
            return "consequence"  # what the decision brings about, told in the future: "X will be Y"
        if role in ("lesson", "factor", "consequence", "prereq", "driver"):
            return "rule"
        if role == "diagnosis":
            return "imperative"
        if role == "decision":
            return "decision" if kind == "adr" else "imperative"
        if role == "mitigation":
            return "imperative" if kind == "runbook" else "rule"
        if kind == "runbook" and role is None and self.procedural:
            return note_acceptance(block.text.text, "imperative") if block.type == "item" else "rule"
        # neutral sections: generic modal sentences
        return "strong"
