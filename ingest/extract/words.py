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
