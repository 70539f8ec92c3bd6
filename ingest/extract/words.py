"""Word-level helpers of the extractor: capitalisation, counting, first word, gerund to verb."""

from __future__ import annotations

import re

from ingest.extract.patterns import _AND_GERUND
from ingest.vocabulary import IMPERATIVE_VERBS


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def word_count(text: str) -> int:
    return len(text.split())


def first_word(text: str) -> str:
    m = re.match(r"[A-Za-z'-]+", text)
    return m.group(0).lower() if m else ""


_E_ENDINGS = ("at", "iz", "is", "ov", "iv", "ak", "ur", "uc", "us", "ag", "ud", "ut", "ac", "yz", "ir", "rv")


def _gerund_to_imperative(word: str, *, guess: bool = False) -> str | None:
    low = word.lower()
    if not low.endswith("ing") or len(low) < 6:
        return None
    stem = low[:-3]
    for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if cand and cand in IMPERATIVE_VERBS:
            return cand
    if not guess:
        return None
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem + "e" if stem.endswith(_E_ENDINGS) else stem


def _and_gerunds(text: str) -> str:
    """ "X and utilizing Y" -> "X and utilize Y": the gerunds a recommendation joins."""

    def _and(g: re.Match[str]) -> str:
        v = _gerund_to_imperative(g.group(2), guess=True)
        return g.group(1) + v if v else g.group(0)

    return _AND_GERUND.sub(_and, text)


# a gerund joined to the one before it: "Deploying or governing X"
_JOINED_GERUND = re.compile(r"^(\s*(?:,\s*|\s+)(?:or|and|nor)\s+)([A-Za-z]+ing)\b")


def gerund_lead(text: str) -> str:
    """A list item told from its gerund ("Deploying or governing the Securesign instance", a
    non-goal) as an instruction: "Deploy or govern the Securesign instance"; other text as it was."""
    m = re.match(r"([A-Za-z]+ing)\b", text)
    verb = _gerund_to_imperative(m.group(1)) if m else None
    if not m or not verb:
        return text
    rest = text[m.end() :]
    joined = _JOINED_GERUND.match(rest)
    if joined:
        other = _gerund_to_imperative(joined.group(2), guess=True) or joined.group(2)
        rest = joined.group(1) + other + rest[joined.end() :]
    return _capitalize(verb) + rest


def inside_code(text: str, at: int, code_spans: list[str]) -> bool:
    """Whether position ``at`` of an item's text falls inside one of its code spans (the outline
    keeps their text and drops the backticks): "keep with `artifacts:expire_in: never`" has no label
    before the colon of ``artifacts:``."""
    for code in code_spans:
        start = text.find(code) if code else -1
        if start != -1 and start <= at < start + len(code):
            return True
    return False
