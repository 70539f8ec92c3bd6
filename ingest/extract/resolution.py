"""What a postmortem's resolution section says: the fix the responders made and the cause they found.

An incident page that lists its resolution as items ("Increased the readiness probe timeout from 3 to
6 seconds to avoid the restart of prometheus", "Updating the node type to double the memory resolved
the issue") holds the repair for the next time the same failure shows, and the cause it names ("Due
to increase number of namespaces, the prometheus server needed more memory") is the condition to
watch. Each sentence of such an item that says why (a purpose, a cause, what it resolved: not a log
entry such as "Reverted the change and released version 1.2.1") is kept: as the step it implies when
it is told in the past tense (what was found, "Identified that X", as the finding X), else as told.
An item that is already an imperative is a step listed (to reproduce, say), not a repair told;
labelled work lists ("Retry limits: Implemented X") and numbered phases of a clean-up stay
follow-ups; prose resolutions stay the fallback of a page with nothing else.
"""

from __future__ import annotations

from ingest.extract.candidate import Candidate, _sentence_lines
from ingest.extract.patterns import _ANAPHORA, _FOUND_THAT, _PHASE_LEAD, _TOLD_WHY, _TRIVIAL_STEP, MIN_WORDS
from ingest.extract.text import (
    _LABEL_SPLIT,
    clean_text,
    is_imperative,
    past_passive_to_imperative,
    past_to_imperative,
    split_sentences,
)
from ingest.extract.words import _capitalize, word_count
from ingest.sections import Block

# a sentence told as found or done, kept as told, needs this many words to say what and why
MIN_TOLD_WORDS = 8


def told_repair(block: Block) -> bool:
    """Whether the sentences of a resolution item are kept as told: an unlabelled item of a list
    ("Retry limits: Implemented X" and "Phase 2 Rotate all keys" are follow-up lists)."""
    text = clean_text(block.text.text)
    if block.type != "item" or block.bold_label:
        return False
    return not (_LABEL_SPLIT.match(text) or _PHASE_LEAD.match(text))


def resolution_candidates(
    block: Block, section: str
) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
    """(past-tense steps as imperatives, imperative items of a labelled field, repairs as told).

    The first two are a page's fallback when nothing else gives a record; the third are records."""
    text = block.text
    steps: list[Candidate] = []
    field_steps: list[Candidate] = []
    repairs: list[Candidate] = []
    as_told = told_repair(block)
    for s, e in split_sentences(text.text):
        raw = clean_text(text.text[s:e])
        stmt = past_to_imperative(raw) or past_passive_to_imperative(raw)
        target, role = steps, "resolution"
        told = stmt or (word_count(raw) >= MIN_TOLD_WORDS and not is_imperative(raw))
        if as_told and told and _TOLD_WHY.search(raw):
            # "Team identified that the disk space was reduced": the finding, not "Identify that ..."
            found = _FOUND_THAT.match(stmt)
            stmt, target, role = _capitalize(stmt[found.end() :]) if found else stmt or raw, repairs, "repair"
        elif not stmt and block.field_label and is_imperative(raw) and not _TRIVIAL_STEP.match(raw):
            # "Resolution: - Migrate all ingresses back to the default controller"
            stmt, target = raw, field_steps
        if not stmt or word_count(stmt) < MIN_WORDS + 2 or _ANAPHORA.match(stmt):
            continue
        ls, le = _sentence_lines(text, s, e)
        target.append(Candidate(stmt, section, role, ls, le, "sentence", block.code_spans))
    return steps, field_steps, repairs
