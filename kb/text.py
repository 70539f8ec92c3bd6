"""Tokenising for lexical matching: lower case, identifiers split, a light suffix stemmer."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*|[0-9]+[A-Za-z][A-Za-z0-9]*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

STOPWORDS: Final = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "it's",
        "me",
        "more",
        "most",
        "my",
        "no",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "also",
        "just",
        "any",
        "all",
        "each",
        "after",
        "before",
        "again",
        "further",
        "here",
        "both",
        "few",
        "nor",
        "s",
        "t",
        "don",
        "now",
        "new",
        "add",
        "adding",
        "added",
        "use",
        "using",
        "used",
        "make",
        "get",
        "set",
        "want",
        "need",
        "lets",
        "let",
        "please",
        "via",
        "per",
        "eg",
        "ie",
        "etc",
    ]
)


@lru_cache(maxsize=1 << 16)  # a diff repeats its words; ingest repeats the language's
def stem(word: str) -> str:
    """A deliberately small stemmer: enough to meet 'retries'/'retry', 'timeouts'/'timeout'."""
    if len(word) <= 3:
        return word
    for suffix, replacement in (
        ("ies", "i"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            word = word[: len(word) - len(suffix)] + replacement
            break
    if word.endswith("y") and len(word) > 3:
        word = word[:-1] + "i"
    return word


def split_identifier(token: str) -> list[str]:
    return [part for part in _CAMEL.split(token) if part]


# The one word pattern of lexical matching: what the BM25 indexes read and what a query is split into.
WORD = _WORD


@lru_cache(maxsize=65_536)
def word_terms(raw: str) -> tuple[tuple[str, str], ...]:
    """The (stem, lower-case word) pairs one word gives: itself and, for an identifier like
    ``captureRetry``, its parts; stopwords and single letters dropped. The index and the query both
    go through here, so a word such as ``db``, ``ci`` or ``s3`` matches on both sides. Cached:
    identifiers repeat across a diff's files and across a corpus."""
    parts = split_identifier(raw)
    found: dict[str, str] = {}
    for candidate in [raw, *parts] if len(parts) > 1 else [raw]:
        word = candidate.lower()
        if len(word) < 2 or word in STOPWORDS:
            continue
        found.setdefault(lexical_stem(word), word)
    return tuple(found.items())


def lexical_stem(word: str) -> str:
    """The term the lexical (BM25) indexes match on: ``lexical_term(stem(word))``."""
    return lexical_term(stem(word))


def lexical_term(stemmed: str) -> str:
    """A ``stem`` as the lexical indexes hold it: less a final e, which ``stem`` keeps on the bare
    word ("node", "exercise", "rate") and drops before a suffix ("nodes" -> "nod", "exercises" ->
    "exercis", "rates" -> "rat"); without this a singular never met its plural."""
    return stemmed[:-1] if len(stemmed) > 3 and stemmed.endswith("e") else stemmed


def tokens(text: str) -> list[str]:
    """Stemmed, lower-case content tokens; identifiers like ``captureRetry`` split into parts."""
    return [term for raw in WORD.findall(text) for term, _ in word_terms(raw)]
