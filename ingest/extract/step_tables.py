"""Rows of a runbook's step table (Step | Action | Expected result | If not) as one statement.

A work instruction often lays its steps out as a table: a step number, the action, what the
operator should see, and what to do when that is not what they see. The number column is
headed "Step" like the action an action list calls a step, so it must not be taken for the
action; and the "If not" cell is half of the step ("Less than 7 days: raise an emergency
change"), so it is folded into the statement as a case: "Check current expiry: ... If less than
7 days, raise an emergency change ...". The expected result stays out: it is what the check
looks for, and the action already names the check.
"""

from __future__ import annotations

import re

# the column of what to do when the expected result is not seen
_FALLBACK_HEADER = re.compile(
    r"^(?:if not|if not,? then|otherwise|else|if it fails|on failure|if this fails|fallback|"
    r"if (?:the )?(?:check|step) fails|troubleshooting)$",
    re.I,
)
# a cell that only numbers the row ("1", "2a", "Step 3", "3.") or names its work item by id ("#48240",
# "AB#1234", "OPS-212", "[#48240](...)"): a tracker's "Work item" or "ID" column, not the work
_NUMBER_CELL = re.compile(
    r"^(?:(?:step\s*)?\d{1,3}[a-z]?\.?|\[?(?:[A-Z][A-Z0-9]{0,11}[-#]|#)\d{1,7}\]?(?:\([^)\s]*\))?)$", re.I
)
# an empty cell's stand-ins
_EMPTY = re.compile(r"^(?:[-–—]|n/?a|none)?$", re.I)
# "Less than 7 days: raise ..." -> a case and what to do in it
_CASE = re.compile(r"^([^:;.]{3,60}):\s+(\S.*)$")


# the column of what the operator should see after the step
_EXPECTED_HEADER = re.compile(
    r"^(?:expected(?: result| outcome| output)?|result|check|verify|verification)$", re.I
)
_STEP_HEADER = re.compile(r"^(?:action|step|what to do|instruction|task|command)s?$", re.I)


def is_step_table(header: list[str]) -> bool:
    """Whether a table header lays out steps: an action column beside an expected-result or an
    "If not" column (a work instruction's step table)."""
    cells = [_bare(h) for h in header]
    has_step = any(_STEP_HEADER.match(h) for h in cells)
    return has_step and any(_EXPECTED_HEADER.match(h) or _FALLBACK_HEADER.match(h) for h in cells)


def _bare(header: str) -> str:
    return re.sub(r"[*_`]", "", header).strip()


def is_number_cell(cell: str) -> bool:
    """Whether a table cell only numbers its row (a "Step" column of 1, 2, 3) or gives its item's id."""
    return bool(_NUMBER_CELL.match(_bare(cell)))


def fallback(header: list[str], cells: list[str]) -> str:
    """What a step table's row says to do when the step does not give its result, as a sentence
    to follow the action ("If less than 7 days, raise ..."), or '' when the row has none."""
    for i, h in enumerate(header):
        if i >= len(cells) or not _FALLBACK_HEADER.match(_bare(h)):
            continue
        cell = cells[i].strip()
        if _EMPTY.match(cell):
            return ""
        case = _CASE.match(cell)
        if case:
            lead = case.group(1).strip()
            return f"If {lead[:1].lower()}{lead[1:]}, {case.group(2)}"
        if re.search(r"\bif\b", cell, re.I):  # the cell names its own case
            return cell
        return f"If not, {cell[:1].lower()}{cell[1:]}"
    return ""


def with_fallback(header: list[str], cells: list[str], action: str) -> str:
    """The action cell with the row's "If not" case after it."""
    case = fallback(header, cells)
    if not case:
        return action
    return f"{action.rstrip().rstrip('.')}. {case}"
