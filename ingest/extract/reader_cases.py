"""What a postmortem tells its affected readers to do, under a heading that names their case.

An incident report posted to its users often ends with a section for those still affected, its
heading the case and its body the steps ("If you are still seeing errors" / "Install the new
keyring by hand: download ..., check its SHA256, install it with dpkg -i"). The heading is no known
section name and the body no lesson, so both were passed over; the step is kept with its case,
"If you are still seeing errors, install ...", and typed as a step for the reader
(``type.reader-step``).
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, _sentence_lines, block_role
from ingest.extract.splitting import split_coordinated
from ingest.extract.text import clean_text, is_imperative, split_sentences
from ingest.extract.words import word_count
from ingest.sections import Block, Outline

# a heading that is the reader's case: "If you are still seeing errors", "When your node is stuck"
_READER_CASE = re.compile(r"^(?:if|when|in case)\s+(?:you(?:'re|'ve|r)?|your)\b[^?]{3,80}$", re.I)
MIN_STEP_WORDS = 4


def reader_step(block: Block, section: str) -> list[Candidate]:
    """The first sentence of a paragraph or top-level item under a reader's case, when a step."""
    heading = block.path[-1].strip().rstrip(":.") if block.path else ""
    if not _READER_CASE.match(heading) or block.type not in ("item", "paragraph") or block.depth:
        return []
    if "," in heading:
        return []  # "If you see something, say something": the heading is advice, not a case
    text = clean_text(block.text.text)
    spans = split_sentences(text)
    if not spans:
        return []
    s, e = spans[0]
    first = text[s:e].strip()
    if word_count(first) < MIN_STEP_WORDS or not is_imperative(first):
        return []
    body = first if first[:2].isupper() else first[:1].lower() + first[1:]
    stmt = f"{heading}, {body}"
    parts = split_coordinated(stmt.rstrip("."))
    if len(parts) > 1:
        # one step for one case: its parts stay together (split, all but the first lose the case)
        stmt = "; ".join([parts[0], *(p[:1].lower() + p[1:] for p in parts[1:])]) + "."
    ls, le = _sentence_lines(block.text, 0, len(block.text.text))
    return [Candidate(stmt, section, "mitigation", ls, le, "sentence", block.code_spans)]


def reader_case_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Steps a postmortem gives the readers its heading names as affected."""
    if kind != "postmortem":
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type in ("item", "paragraph") and block.path and _READER_CASE.match(block.path[-1].strip()):
            out += reader_step(block, block_role(block, kind, title)[1])
    return out


__all__ = ["reader_case_candidates", "reader_step"]
