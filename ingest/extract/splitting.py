"""Splitting one statement into several rules: coordinated imperatives ("Do X, do Y, and do Z")
and a second clause with a subject and modal of its own (", and the linter will flag X")."""

from __future__ import annotations

import re

from ingest.extract.patterns import _WE_COMMIT, MIN_WORDS
from ingest.extract.text import future_rule, is_imperative, is_rule_like, rewrite_imperative
from ingest.extract.words import _capitalize, first_word, word_count
from ingest.vocabulary import IMPERATIVE_VERBS

# a case clause and nothing else: "If the deleted resource cannot be restored from backup"; a
# purpose likewise ("To relieve a backlog caused by one merchant"): it stays with its steps
_BARE_CASE = re.compile(r"^(?:if|when(?:ever)?|once|while|unless|in case|to)\b[^:;,]*$", re.I)


def split_coordinated(text: str) -> list[str]:
    """Split "Do X, do Y, and do Z" into its imperative parts (each at least three words)."""
    if not is_imperative(text):
        return [text]
    parts: list[str] = []
    start = 0
    for m in re.finditer(r",\s*(?:and\s+|or\s+)?", text):
        nxt = first_word(text[m.end() :])
        if nxt in IMPERATIVE_VERBS and nxt not in ("back", "log", "test", "use", "release", "report"):
            seg = text[start : m.start()].strip()
            # "If you still see errors, install X, ...": the case alone is no part; it stays with its step
            if word_count(seg) >= 3 and (parts or not _BARE_CASE.match(seg)):
                parts.append(seg)
                start = m.end()
    tail = text[start:].strip()
    if len(parts) < 2 or word_count(tail) < 3:
        return [text]
    return [_capitalize(p.rstrip(" ,;.")) for p in [*parts, tail]]


# ", and the migration linter will flag X": a second rule with a subject of its own ("each X" and
# "all X" point back into the first clause, so they stay with it)
_SUBJECT_CLAUSE = re.compile(
    r",\s+and\s+(?=(?:the|a|an|our)\s+[^,;]{2,60}?\s+(?:will|must|should|shall)\s+\w|"
    r"we(?:'ll|\s+will|\s+are going to|\s+plan to)\s+\w)",
    re.I,
)


def split_subject_clause(text: str) -> list[str]:
    """ "Test migrations before merging, and the linter will flag X" -> the rule and "The linter
    must flag X": a clause with its own subject and modal is a rule of its own."""
    m = _SUBJECT_CLAUSE.search(text)
    if not m:
        return [text]
    first, second = text[: m.start()].strip(), text[m.end() :].strip().rstrip(".")
    if re.match(r"^we\b", second, re.I):
        if not _WE_COMMIT.match(second):
            return [text]  # ", and we will need a process ...": no commitment of its own
        second = rewrite_imperative(second, role="action").rstrip(".")  # ", and we'll alert on X"
    else:
        second = re.sub(r"^our\b", "the", second, flags=re.I)
        second = future_rule(_capitalize(second)) or _capitalize(second)
    if not is_rule_like(first) or word_count(first) < MIN_WORDS or word_count(second) < MIN_WORDS:
        return [text]
    return [first, second]
