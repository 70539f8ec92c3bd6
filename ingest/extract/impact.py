"""What an alert runbook's impact section says will happen, when it says it as a condition.

"If the metrics signer certificate expires, you will lose metrics and alerts for etcd" and "In case
the DB size exceeds the DB quota, no writes can be performed anymore" are facts to keep beside the
steps: the consequence an operator must know before deciding how urgent the alert is. The impact
section is found by its meaning (the ``impact`` prototype of ``ingest/roles.py``), not its name, and
only conditional sentences with a consequence count: a plain "Service degradation." says nothing a
record could keep.
"""

from __future__ import annotations

from ingest.extract.candidate import Candidate, _sentence_lines
from ingest.extract.patterns import _IMPACT_CONDITION, _IMPACT_CONSEQUENCE
from ingest.extract.text import clean_text, split_sentences
from ingest.extract.words import word_count
from ingest.roles import role_by_meaning
from ingest.sections import Block

# a condition and its consequence need this many words to stand alone
MIN_IMPACT_WORDS = 8


def is_impact_section(block: Block) -> bool:
    return bool(block.path) and role_by_meaning(block.path[-1], "runbook") == "impact"


def impact_conditions(block: Block, section: str) -> list[Candidate]:
    """The conditional consequences of an impact paragraph or item, as told."""
    text = block.text
    out = []
    for s, e in split_sentences(text.text):
        raw = clean_text(text.text[s:e])
        if word_count(raw) < MIN_IMPACT_WORDS or not _IMPACT_CONDITION.match(raw):
            continue
        if not _IMPACT_CONSEQUENCE.search(raw):
            continue
        ls, le = _sentence_lines(text, s, e)
        out.append(Candidate(raw, section, "impact", ls, le, "sentence", block.code_spans))
    return out
