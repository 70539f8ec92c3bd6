"""A lesson told as a fact and then, after a semicolon, as what to do about it.

"A 'wrong PIN' symptom does not mean the SMS path is at fault; check the cache's replication state
before the SMS provider": the walk reads a lesson item for a rule, and neither the fact before the
semicolon nor the sentence as a whole reads as one, so the instruction after it was lost. The item
is kept as told (the fact says when the instruction applies).
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, _sentence_lines, block_role
from ingest.extract.text import clean_text, had_directive, is_imperative, is_rule_like, split_sentences
from ingest.extract.words import word_count
from ingest.sections import Outline

# a clause that opens with a subject and its verb ("Alert routing is not tested")
_TOLD = re.compile(r"^(?:\S+\s+){1,3}(?:is|are|was|were|has|have|had)\b", re.I)
MIN_CLAUSE_WORDS = 4  # the instruction after the semicolon
_LESSON_ROLES = frozenset({"lesson"})


def fact_then_instruction(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Top-level lesson items whose first sentence is "<fact>; <instruction>", as told."""
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type != "item" or block.depth:
            continue
        role, section = block_role(block, kind, title)
        if role not in _LESSON_ROLES:
            continue
        text = clean_text(block.text.text)
        spans = split_sentences(text)
        if not spans:
            continue
        sentence = text[spans[0][0] : spans[0][1]].strip()
        fact, sep, after = sentence.partition("; ")
        if not sep or is_rule_like(sentence) or had_directive(sentence) or is_imperative(fact):
            continue
        after = after[:1].upper() + after[1:]
        if word_count(after) < MIN_CLAUSE_WORDS or not is_imperative(after) or _TOLD.match(after):
            continue  # "alert routing is not tested": a noun that is also a verb, then a statement
        ls, le = _sentence_lines(block.text, 0, len(block.text.text))
        out.append(Candidate(sentence, section, role, ls, le, "item", block.code_spans))
    return out


__all__ = ["fact_then_instruction"]
