"""Runbook checklists and failure lists: preconditions that gate the work, situations and responses.

- A **precondition** in a checklist's "before" section states what must hold ("A full backup of the
  cluster completed in the last 24 hours") and says that it gates the work ("No backup, no
  upgrade.", "Otherwise, stop."): a constraint, "Do not start unless <state>".
- A **situation and its response** in a list ("A replica fails to come back: leave it stopped, do
  not re-run the play") loses its condition when only the response is kept: the label is the
  case the step is for, "If a replica fails to come back, leave it stopped, ...".
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, block_role
from ingest.extract.splitting import split_coordinated
from ingest.extract.text import _LABEL_SPLIT, clean_text, is_imperative, split_sentences
from ingest.extract.words import word_count
from ingest.sections import Block, Outline

# a section run before the work starts
_BEFORE_SECTION = re.compile(
    r"\bbefore (?:the|you|starting|we)\b|\bpre-?(?:checks?|flight|conditions?|requisites?)\b|"
    r"\bprerequisites?\b|\breadiness\b|\bentry criteria\b",
    re.I,
)
# a sentence that says the state before it gates the work
_GATE = re.compile(
    r"^(?:no [\w -]{2,30}, no [\w -]{2,30}|"
    r"(?:otherwise|if not)[, ]+(?:stop|do not (?:start|proceed|continue))\b.*|"
    r"do not (?:start|proceed|continue)(?: otherwise| without (?:it|this))?)\W*$",
    re.I,
)
# a label that tells a situation: a subject and a finite verb ("A replica fails to come back",
# "The leader fails during switchover", "Disk fills up")
_SITUATION = re.compile(
    r"^(?:an?|the|one|two|any|some|\w+)\b[\w\s'-]{0,40}?\b(?:fails?|fail(?:ed|s)? to|is|are|does not|doesn't|"
    r"won't|cannot|can't|stops?|stalls?|hangs?|crash(?:es)?|times? out|fills? up|returns?|shows?)\b",
    re.I,
)
MIN_STATE_WORDS = 5


def precondition(block: Block, section: str) -> list[Candidate]:
    """ "A backup completed in the last 24 hours. No backup, no upgrade." -> "Do not start unless ..."."""
    text = clean_text(block.text.text)
    spans = split_sentences(text)
    if len(spans) < 2:
        return []
    state = text[spans[0][0] : spans[0][1]].strip().rstrip(".")
    if is_imperative(state) or word_count(state) < MIN_STATE_WORDS:
        return []
    if not any(_GATE.match(text[s:e].strip()) for s, e in spans[1:]):
        return []
    state = re.sub(r"\s*\([^)]*\)", "", state)  # the command that checks it, in brackets
    stmt = f"Do not start unless {state[:1].lower()}{state[1:]}."
    return [Candidate(stmt, section, "prereq", block.line_start, block.line_end, "item", block.code_spans)]


def situation_response(block: Block, section: str) -> list[Candidate]:
    """ "<situation>: <response>" as "If <situation>, <response>" (a first sentence that is a step)."""
    text = clean_text(block.text.text)
    m = _LABEL_SPLIT.match(text)
    if not m or not _SITUATION.match(m.group(1)) or is_imperative(m.group(1)):
        return []
    spans = split_sentences(m.group(2))
    first = m.group(2)[spans[0][0] : spans[0][1]].strip() if spans else ""
    if (
        not first
        or word_count(first) < 3
        or not (is_imperative(first) or re.search(r"\bdo not\b|\bnever\b", first, re.I))
    ):
        return []
    situation = m.group(1).strip()
    if is_imperative(first) or re.match(r"^(?:do not|never)\b", first, re.I):
        first = first[:1].lower() + first[1:]  # a proper name opening the response keeps its capital
    stmt = f"If {situation[:1].lower()}{situation[1:]}, {first}"
    if len(split_coordinated(stmt)) > 1:
        stmt = f"If {situation[:1].lower()}{situation[1:]}: {first}"  # one step, not three parts
    return [
        Candidate(stmt, section, "mitigation", block.line_start, block.line_end, "item", block.code_spans)
    ]


def placed(cands: list[Candidate], found: list[Candidate]) -> list[Candidate]:
    """``cands`` with each of ``found`` before the first candidate from its lines: of two statements
    of one item the first is kept, and the one with its condition says more."""
    out = list(cands)
    for c in found:
        at = next((i for i, o in enumerate(out) if c.line_start <= o.line_start <= c.line_end), len(out))
        out.insert(at, c)
    return out


def runbook_check_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Preconditions and situation-response items of a runbook."""
    if kind != "runbook":
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type != "item" or block.depth:
            continue
        role, section = block_role(block, kind, title)
        if role in ("skip", "action", "context", "summary"):
            continue
        if any(_BEFORE_SECTION.search(p) for p in block.path) or role == "prereq":
            out += precondition(block, section)
        out += situation_response(block, section)
    return out


__all__ = ["placed", "precondition", "runbook_check_candidates", "situation_response"]
