"""An ADR's open questions: work the decision leaves to do, kept as follow-ups.

"Open questions" lists what the authors could not settle ("How do we migrate the existing
groupsConfig field?", "We will use CEL to make the field immutable"): each top-level item is a
question the team still owes an answer, an open follow-up, told as written.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate
from ingest.extract.text import clean_text
from ingest.extract.words import _capitalize, word_count
from ingest.sections import Block

_OPEN_QUESTIONS = re.compile(r"\bopen (?:questions?|issues?|points?)\b|\bunresolved questions?\b", re.I)
# a question needs this many words to say what is open
MIN_QUESTION_WORDS = 5


def open_question(block: Block, section: str) -> list[Candidate]:
    """A top-level item of an ADR's open-questions section, as told (role ``question``)."""
    if block.type != "item" or block.depth or not block.path or not _OPEN_QUESTIONS.search(block.path[-1]):
        return []
    stmt = clean_text(block.text.text)
    if word_count(stmt) < MIN_QUESTION_WORDS or stmt.endswith(":"):
        return []
    end = block.text.line_at(max(len(block.text.text) - 1, 0))
    lines = block.line_start, max(block.line_start, end)
    return [Candidate(_capitalize(stmt), section, "question", *lines, "item", block.code_spans)]
