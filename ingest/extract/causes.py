"""Causes a postmortem tells, kept as told: facts for a reader, never rules.

Many incident reports state what went wrong and never turn it into a rule: the summary says "changes
to the VPC CNI caused target groups to become detached from the ALB", a contributing factor says
"The shared retry decorator treats all timeouts as safe to retry". What a team carries forward from
those is the cause itself. A story sentence (summary, context, root cause, an untitled incident
field) that names a cause (``_CAUSE``: because, due to, caused, led to, resulted in) and a
contributing-factor item that no rule rewrote are kept in the document's words, as records of their
own (roles ``cause`` and ``told-factor``, typed by ``type.story-cause`` and ``type.untold-factor``).
They are facts (``kb.vocab.TOLD_AS_FACT_RULES``): the gate never blocks on them, rule files leave
them out, the ranking catalog leaves them out (their document's passages carry their words), and
at extraction a fact yields to the rule it repeats (``TOLD_ROLES``, finalize.py).
"""

from __future__ import annotations

import re
from typing import Final

from ingest.extract.candidate import Candidate, _sentence_lines
from ingest.extract.patterns import _ANAPHORA, _STORY_ONLY
from ingest.extract.text import clean_text, is_rule_like, split_sentences
from ingest.extract.words import _capitalize, word_count
from ingest.sections import Block

# the roles of the facts kept as told: they yield to the rules they repeat (finalize.py)
TOLD_ROLES: Final = frozenset({"cause", "told-factor"})
# a sentence that names a cause: "X failed because Y", "X due to Y", "changes to X caused Y"
_CAUSE = re.compile(
    r"\b(?:because|due to|as a result of|caused|causing|result(?:ed|ing)? in|led to|leading to|"
    r"was triggered by|root cause)\b",
    re.I,
)
# what leads a told cause and says nothing itself: a timestamp, a field label ("Identified:"), a date
_TOLD_LEAD = re.compile(
    r"^(?:[\d:./ -]+(?:[-|–]\s*)?)?(?:[A-Z][\w ]{0,24}:\s+)?(?:on \w+ \d{1,2}\w* \w+ \d{4},\s*)?", re.I
)
# a step of a "Five whys" chain: the question and its answer ("Why was it expired? Nobody renewed
# it"); each answer is the cause of the one before, and the chain's end is told as the root cause
_WHY_STEP = re.compile(r"^(?:\d+[.)]\s*)?why\b[^?]{0,200}\?", re.I)
# a lesson told as what a thing needs: "X needs an owner team", "settings need absolute floors"
_NEEDS = re.compile(r"\b(?:needs?|requires?)\s+(?!to\b)(?:an?\s+|the\s+|its\s+|their\s+)?\w", re.I)
# a lesson told as what happens in a case, in the present ("If duplicate admissions reach a ward
# list, ward managers are told by phone within 30 minutes"): a standing practice, not a story
_STANDING_CASE = re.compile(
    r"^(?:if|when(?:ever)?|once)\b[^,]{3,},\s+[^,]{1,60}?\b(?:is|are)\s+(?!not\b)\w", re.I
)
# a told cause or factor needs this many words to stand alone, and at most this many to stay one fact
MIN_TOLD_WORDS = 8
MAX_TOLD_WORDS = 45
# a contributing factor is read as told from this many words ("General alert noise too high again")
MIN_FACTOR_WORDS = 5


def _told(raw: str, least: int) -> str:
    """``raw`` without its lead, capitalised, when it stands alone as a fact ("" otherwise)."""
    text = clean_text(raw)
    text = text[_TOLD_LEAD.match(text).end() :].strip()  # type: ignore[union-attr]
    if _WHY_STEP.match(text):
        return ""
    if not least <= word_count(text) <= MAX_TOLD_WORDS or _ANAPHORA.match(text) or text.endswith(("?", ":")):
        return ""
    return _capitalize(text)


def tells_causes(block: Block, role: str | None) -> bool:
    """Whether a postmortem block is story a cause may be told in: an untitled incident field, the
    summary or context, a root-cause paragraph (its items are factors), never a timeline."""
    if block.type not in ("item", "paragraph") or any(_STORY_ONLY.search(p) for p in block.path):
        return False
    return role in (None, "skip", "context", "summary") or (role == "factor" and block.type == "paragraph")


def story_causes(block: Block, section: str) -> list[Candidate]:
    """The sentences of a story paragraph or item that name a cause and state no rule (the rules
    are read by the extractor's own paths)."""
    text = block.text
    out: list[Candidate] = []
    for s, e in split_sentences(text.text):
        raw = text.text[s:e]
        if not _CAUSE.search(raw):
            continue
        stmt = _told(raw, MIN_TOLD_WORDS)
        if not stmt or is_rule_like(stmt):
            continue
        ls, le = _sentence_lines(text, s, e)
        out.append(Candidate(stmt, section, "cause", ls, le, "sentence", block.code_spans))
    return out


def untold_factor(block: Block, section: str, role: str | None = "factor") -> list[Candidate]:
    """A contributing-factor item no rule rewrote, as told ("Ongoing upgrade masked the issue"); a
    lesson item no rule rewrote when it states what a thing needs ("capacity-related settings need
    absolute floors") or what is done in a case ("If X, managers are told"): a rule told without a
    modal, kept as a lesson."""
    stmt = _told(block.text.text, MIN_FACTOR_WORDS)
    if not stmt or (role == "lesson" and not (_NEEDS.search(stmt) or _STANDING_CASE.match(stmt))):
        return []
    end = block.text.line_at(max(len(block.text.text) - 1, 0))
    lines = block.line_start, max(block.line_start, end)
    told = "lesson" if role == "lesson" else "told-factor"
    return [Candidate(stmt, section, told, *lines, "item", block.code_spans)]
