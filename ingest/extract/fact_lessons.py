"""A postmortem's lessons told as standing facts, in a numbered list of a lessons section.

"What stays true" / "What we now hold" lists write each lesson as how the system works from now
on: "Every input file of a production run carries its own valid time, and a run does not start
when any input is more than nine hours old." No word of it is a modal or an imperative, so the
walker's rule filter dropped it. A numbered top-level item of a lessons section that states a
present fact about a subject (not the team's story: no "we", no past tense) is kept as told, as
an ADR's binding conditions are (``runbook_rules.rule_item`` does the same for runbook rules).
A bulleted list is read only after a lead that names its items as rules (a callout titled
"Rules", a "Ground rules:" paragraph): other bullets of a lessons section are as often observations.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, block_role
from ingest.extract.patterns import _GENERAL_TRUTH, _LESSON_LIST
from ingest.extract.runbook_rules import _RULES_SECTION
from ingest.extract.text import clean_text, is_rule_like, split_sentences
from ingest.extract.words import word_count
from ingest.sections import Block, Outline

# the team's story or a past state, not a standing fact
_STORY = re.compile(
    r"\b(?:we|our|us|i|was|were|had|did|didn't|wasn't|weren't|hadn't|would|could|might|maybe)\b", re.I
)
# a present-tense verb that states how things are ("carries", "are", "stays", "does not start")
_PRESENT = re.compile(r"\b(?:is|are|does|do|can|stays?|has|have|goes|\w+s)\b")
_RELATIVE = re.compile(r"\b(?:that|which|who)\b[^,;—]*", re.I)
_ASIDE = re.compile(r"^(?:note|e\.g|for example|see|thanks)\b", re.I)
MIN_FACT_WORDS = 6
MAX_FACT_WORDS = 40


def _first_sentence(text: str) -> str:
    spans = split_sentences(text)
    return text[spans[0][0] : spans[0][1]].strip() if spans else ""


def fact_lesson(block: Block, section: str) -> list[Candidate]:
    """A numbered lesson item told as a present fact, kept as told (its first sentence)."""
    text = clean_text(block.text.text)
    first = _first_sentence(text)
    if word_count(first) < MIN_FACT_WORDS + 2 and len(split_sentences(text)) > 1:
        # "Running and publishing are two steps. A run that has not passed ... stays internal."
        first = " ".join(text[a:b].strip() for a, b in split_sentences(text)[:2])
    if (
        not first
        or not first[:1].isupper()
        or not MIN_FACT_WORDS <= word_count(first) <= MAX_FACT_WORDS
        or first.endswith(("?", ":"))
        or is_rule_like(first)  # the walker keeps it
        or _STORY.search(first)
        or _ASIDE.match(first)
        or block.bold_label  # "**X matters** – ...": the walker splits the label
        # a general truth under "Lessons learned" ("X can look alike") is the walker's "Remember that"
        or (bool(block.path) and _LESSON_LIST.search(block.path[-1]) and _GENERAL_TRUTH.match(first))
        # a verb only inside a relative clause ("The fact that the proxy is ...") is no statement
        or not _PRESENT.search(_RELATIVE.sub("", first))
    ):
        return []
    ls, le = block.line_start, block.text.line_at(max(len(block.text.text) - 1, 0))
    return [Candidate(first, section, "lesson", ls, max(ls, le), "item", block.code_spans)]


def fact_lesson_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Numbered lessons told as facts, of a postmortem's lessons sections."""
    if kind != "postmortem":
        return []
    out: list[Candidate] = []
    rules_lead: tuple[str, ...] | None = None  # the path of a paragraph that names rules
    for block in outline.blocks:
        if block.type == "paragraph":
            lead = re.sub(r"^\[![\w-]+\][+-]?\s*", "", block.text.text.strip()).rstrip(" :")
            rules_lead = block.path if word_count(lead) <= 4 and _RULES_SECTION.search(lead) else None
        if block.type != "item" or block.depth or not (block.ordered or block.path == rules_lead):
            continue
        role, section = block_role(block, kind, title)
        if role == "lesson":
            out += fact_lesson(block, section)
    return out


__all__ = ["fact_lesson", "fact_lesson_candidates"]
