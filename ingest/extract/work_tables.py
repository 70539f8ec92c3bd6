"""Tables that carry work and rules without an owner column or a lessons column.

- A **status table** ("| Change | State |", "| Item | Status |") tracks work by its state alone:
  "in production since 6 Nov", "being built", "drafting", "shipped 2026-11", "idea". The walker's
  tracker (``extractor.is_action_table``) wants an owner beside the status, so such a table gave
  nothing. A row is work when its status cell opens with a work state; a table of service states
  ("| Service | Status |" with "up", "degraded") is not.
- A **case table** of a runbook ("| Symptom | First check | Action | Do not |") gives one step per
  row, with its case ("If <symptom>, <check>; <action>"), and one rule per cell of a prohibition
  column ("Do not", "Never", "Avoid"): the walker read only step tables with an expected-result or
  "If not" column.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, block_role
from ingest.extract.lesson_rows import _LESSON_HEADER
from ingest.extract.step_tables import is_number_cell, is_step_table
from ingest.extract.text import clean_text, is_imperative
from ingest.extract.words import word_count
from ingest.sections import Block, Outline

_STATUS_HEADER = re.compile(r"^(?:status|state|progress|stage)$", re.I)
_OWNERISH_HEADER = re.compile(
    r"^(?:#|id|no\.?|ref|owners?|assignees?|who|team|due|date|eta|priority|bone|category|"
    r"ticket|link|target)$",
    re.I,
)
# a status cell that opens with the state of a piece of work (after a ✔ / ◐ / ○ mark)
_WORK_STATE = re.compile(
    r"^[\W_]*(?:done|complete[d]?|closed|fixed|resolved|shipped|merged|live|implemented|"
    r"in production|deployed|released|open|to ?do|in progress|in review|underway|under way|"
    r"pending|planned|not (?:yet )?(?:started|begun|done)|drafting|drafted|being (?:built|written)|"
    r"in trial|idea|proposed|blocked|backlog|scheduled|wip)\b",
    re.I,
)
# the column that names the case a row is for
_CASE_HEADER = re.compile(
    r"^(?:symptoms?|situation|conditions?|what you see|you see|signal|alert|error|problem|trigger|"
    r"(?:reason|error|status|exit|return|response|rejection) codes?|reason|"
    r"(?:log|error) (?:line|message|output)s?|what (?:the )?(?:log|error|alert|output|page) (?:says|shows))$",
    re.I,
)
# the column that says what a case's code means ("| Reason | Meaning | What to do |")
_MEANING_HEADER = re.compile(r"^(?:meaning|means|description|explanation)$", re.I)
# a case cell that is a bare code ("AM05", "503", "E_QUOTA"): its meaning names the case
_CODE_CELL = re.compile(r"^[A-Za-z_]*\d*[A-Za-z0-9_]*$")
# the columns of what to do in that case, in the order they are done
_DO_HEADER = re.compile(
    r"^(?:(?:first )?checks?|diagnos(?:e|is)|actions?|fix|remedy|response|resolution|mitigation|"
    r"what to do|then|steps?|do this|do)$",
    re.I,
)
# the column of what not to do
_DONT_HEADER = re.compile(r"^(?:do not|don[’']?t|never|avoid|do not do|don[’']?t do|never do|not)$", re.I)
_NEGATIVE = re.compile(r"^(?:do not|don[’']?t|never|avoid|no)\b", re.I)
_EMPTY = re.compile(r"^(?:[-–—]|n/?a|none)?$", re.I)
MIN_WORK_WORDS = 3


def _bare(cell: str) -> str:
    return re.sub(r"[*_`]", "", cell).strip()


def status_row(block: Block, section: str) -> list[Candidate]:
    """A row of a status table whose state cell names a work state: a follow-up (role ``task``)."""
    header = [_bare(h) for h in block.header]
    if not any(_STATUS_HEADER.match(h) for h in header) or any(_LESSON_HEADER.match(h) for h in header):
        return []
    status = next(i for i, h in enumerate(header) if _STATUS_HEADER.match(h))
    if status >= len(block.cells) or not _WORK_STATE.match(_bare(block.cells[status])):
        return []
    for i, h in enumerate(header):
        if (
            i == status
            or i >= len(block.cells)
            or _OWNERISH_HEADER.match(h)
            or is_number_cell(block.cells[i])
        ):
            continue
        work = clean_text(block.cells[i]).strip()
        if word_count(work) < MIN_WORK_WORDS:
            return []
        stmt = work[:1].upper() + work[1:]
        stmt = stmt if stmt.endswith((".", "!", "?")) else stmt + "."
        return [Candidate(stmt, section, "task", block.line_start, block.line_end, "row", block.code_spans)]
    return []


def _column(header: list[str], pattern: re.Pattern[str]) -> list[int]:
    return [i for i, h in enumerate(header) if pattern.match(h)]


def _lower(text: str) -> str:
    return text if re.match(r"^[A-Z][A-Z0-9]+\b", text) else text[:1].lower() + text[1:]


def case_rows(block: Block, section: str) -> list[Candidate]:
    """A runbook case table's row: its step with the case, and its "Do not" cell as a rule."""
    header = [_bare(h) for h in block.header]
    case_col, do_cols = _column(header, _CASE_HEADER), _column(header, _DO_HEADER)
    dont_cols = _column(header, _DONT_HEADER)
    if not case_col or not (do_cols or dont_cols) or is_step_table(block.header):
        return []
    cells = block.cells
    case = clean_text(cells[case_col[0]]).rstrip(".") if case_col[0] < len(cells) else ""
    if not case:
        return []
    meaning = [i for i in _column(header, _MEANING_HEADER) if i < len(cells) and clean_text(cells[i]).strip()]
    if meaning and _CODE_CELL.match(case):
        told = re.sub(r"\s*\([^()]*\)", "", clean_text(cells[meaning[0]])).strip().rstrip(".")
        case = f"{case} ({_lower(told)})" if told else case
    out: list[Candidate] = []
    steps = []
    for i in do_cols:
        cell = clean_text(cells[i]).strip().rstrip(".?") if i < len(cells) else ""
        if _EMPTY.match(cell):
            continue
        checks = re.search(r"check|diagnos", header[i], re.I)  # a check cell may name only what to look at
        if not checks and not is_imperative(cell):
            continue  # "AWS Support": whom to call (an escalation table), or cases of their own
        steps.append(f"check {_lower(cell)}" if checks and not is_imperative(cell) else cell)
    ls, le = block.line_start, block.line_end
    if steps:
        body = "; ".join(_lower(s) for s in steps)
        stmt = f"If {_lower(case)}, {body}."
        out.append(Candidate(stmt, section, "mitigation", ls, le, "row", block.code_spans))
    for i in dont_cols:
        cell = clean_text(cells[i]).strip() if i < len(cells) else ""
        if _EMPTY.match(cell.rstrip(".")) or word_count(cell) < 2:
            continue
        rule = cell if _NEGATIVE.match(cell) else f"Do not {_lower(cell)}"
        rule = rule if rule.endswith((".", "!")) else rule + "."
        out.append(Candidate(rule, section, "lesson", ls, le, "row", block.code_spans))
    return out


def work_table_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Status-table rows (follow-ups) of any kind and case-table rows of a runbook."""
    from ingest.extract.extractor import is_action_table

    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type != "row" or not block.header:
            continue
        role, section = block_role(block, kind, title)
        if role == "action" or (kind in ("postmortem", "adr") and is_action_table(block.header)):
            continue  # the walker reads a tracker's rows
        rows = status_row(block, section)
        if not rows and kind == "runbook":
            rows = case_rows(block, section)
        out += rows
    return out


__all__ = ["case_rows", "status_row", "work_table_candidates"]
