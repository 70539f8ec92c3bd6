"""A postmortem's review action told as a question: the work is to find the answer.

Review meetings often write their actions as the questions they left open, with the ticket raised
for each ("Can we use AWS Certificate Manager instead of Letsencrypt? Ticket raised #3263", "How to
get latest announcements of components used in the stack?"). Kept as told, a question is no action
and is dropped; the work it names is to weigh the option or find the way, so it is told as one:
"Evaluate whether to use AWS Certificate Manager instead of Letsencrypt", "Find out how to get
latest announcements ...". An instruction that only ends in a question mark ("Assess if heavy
consumers be given dedicated nodes?") loses the mark.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.extract.candidate import Candidate
from ingest.extract.text import is_imperative
from ingest.extract.words import _capitalize, word_count

# what follows the question: the ticket raised for it (its number is cleaned away before)
_TICKET_TAIL = re.compile(
    r"[?.]?\s*(?:\(?\s*ticket(?:s)?\s+(?:raised|created|opened)\b[^)]*\)?)?\s*[?.]?\s*$", re.I
)
# "Can we use X?", "Could we move X?", "Should we X?": whether to do it is the work
_CAN_WE = re.compile(r"^(?:can|could|should)\s+we\s+", re.I)
# "How to X?", "How can we X?", "How we can X.": the way to do it is the work
_HOW_TO = re.compile(r"^how\s+(?:to|(?:can|could|should|do)\s+we|we\s+(?:can|could|should))\s+", re.I)
# a question opened by its auxiliary ("Do we need X?"), which reads as an imperative only by its first word
_AUXILIARY_LEAD = re.compile(
    r"^(?:do|does|did|is|are|was|were|will|would|shall|should|can|could|may|might|how|what|why|when|where|who)\b",
    re.I,
)
MIN_QUESTION_WORDS = 4  # a shorter question names no work ("Can we do better?")


def asked_action(c: Candidate) -> Candidate:
    """A review action told as a question, told as the work it asks for; any other as it was."""
    if c.role != "action":
        return c
    text = c.statement.strip()
    asked = text.endswith("?") or bool(re.search(r"\bticket\s+raised\b", text, re.I))
    core = _TICKET_TAIL.sub("", text).strip()
    can = _CAN_WE.match(core)
    how = _HOW_TO.match(core)
    if can and word_count(core[can.end() :]) >= MIN_QUESTION_WORDS:
        stmt = f"Evaluate whether to {core[can.end() :]}"
    elif how and word_count(core[how.end() :]) >= MIN_QUESTION_WORDS:
        stmt = f"Find out how to {core[how.end() :]}"
    elif asked and is_imperative(core) and not _AUXILIARY_LEAD.match(core):
        stmt = _capitalize(core)
    else:
        return c
    return replace(c, statement=stmt)
