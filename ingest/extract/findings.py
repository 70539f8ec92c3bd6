"""Findings told in a postmortem's story: the cause the responders found, said on the way.

A timeline or summary rarely states a lesson, but the entry where the team found the cause does:
"Identified issue with changes to the ingress controller manifest which caused Traefik to override
the OAuth bearer token" is the condition to watch for next time. An entry (a row, an item or a
sentence) that opens on a finding verb (identified, discovered, found out, realised, determined,
confirmed) and names a cause (which caused, due to, because, resulted in, led to) is kept as the
finding it reports, without the verb; entries that only log what was done, or find without saying
why, stay the story.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, _sentence_lines
from ingest.extract.patterns import _ANAPHORA
from ingest.extract.text import clean_text, split_sentences
from ingest.extract.words import _capitalize, word_count
from ingest.sections import Block

# a finding told in a postmortem's story: "Identified issue with X which caused Y", "Team discovered
# that X was down due to Y" (an optional timestamp and subject before the verb)
_STORY_FINDING = re.compile(
    r"^(?:[\d:./ -]+(?:[-|–]\s*)?)?(?:(?:the\s+)?(?:team|we|engineers?|responders?|on-?call)\s+)?(?:then\s+)?"
    r"(?:identified|discovered|found(?:\s+out)?|realised|realized|determined|confirmed)\s+(?:that\s+)?",
    re.I,
)
_STORY_CAUSE = re.compile(
    r"\b(?:which caused|caus(?:ed|ing)|due to|because|result(?:ed|ing) in|led to)\b", re.I
)
# a finding and its cause need this many words to stand alone
MIN_FINDING_WORDS = 8


def _finding(raw: str) -> str:
    lead = _STORY_FINDING.match(raw)
    if not lead:
        return ""
    rest = raw[lead.end() :].strip()
    if not _STORY_CAUSE.search(rest) or word_count(rest) < MIN_FINDING_WORDS or _ANAPHORA.match(rest):
        return ""
    return _capitalize(rest)


def story_findings(block: Block, section: str) -> list[Candidate]:
    """The findings with their cause in a story entry (a timeline row, an item or a paragraph)."""
    out: list[Candidate] = []
    if block.type == "row":
        for cell in block.cells:
            for s, e in split_sentences(cell):
                stmt = _finding(clean_text(cell[s:e]))
                if stmt:
                    out.append(Candidate(stmt, section, "finding", block.line_start, block.line_end, "row"))
        return out
    text = block.text
    for s, e in split_sentences(text.text):
        stmt = _finding(clean_text(text.text[s:e]))
        if stmt:
            ls, le = _sentence_lines(text, s, e)
            out.append(Candidate(stmt, section, "finding", ls, le, "sentence", block.code_spans))
    return out
