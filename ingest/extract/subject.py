"""A short record that names no system borrows the system names of its document's title:
"Wrap string constants in #" under "Use # as indicator for BibTeX string constants" reads "Wrap string
constants in # (BibTeX)". A record alone in the store no longer says which system it is about; the
whole title, tried as a prefix of every record, pulled records towards the document's topic and lost
recall (docs/extraction.md), so only names are borrowed, and only by records that have none."""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate
from ingest.extract.finalize import alert_words
from ingest.extract.words import word_count

SUBJECT_MAX_WORDS = 10
MAX_NAMES = 3
# a word that names a system: capitalised inside the sentence, an acronym, a code span, a number, a
# dotted, slashed or hyphenated name ("AWS", "PyPI", "`kubectl`", "ingress-nginx", "v1.30")
_NAMED = re.compile(r"`|\b\w*\d\w*\b|\b\w+[./-]\w+|(?<=\s)[A-Z]\w*")
# a system name in a title: an inner capital ("PyPI", "BibTeX", "Log4Shell") or an acronym ("EKS", "DNS");
# an identifier such as "PM2021" names the document, not a system
_TITLE_NAME = re.compile(r"^(?:[A-Z][a-z\d]+[A-Z]\w*|[A-Z]{2,})$")
# acronyms that name a kind of thing, not a system
_GENERIC_ACRONYMS = frozenset(
    {"API", "APIS", "CLI", "UI", "ADR", "RFC", "SOP", "FAQ", "HTTP", "HTTPS", "URL", "CVE", "IRP", "PR"}
    | {"CI", "CD", "TBD", "TODO", "WIP", "CRUD"}
)


def title_names(title: str) -> list[str]:
    """The system names a document's title gives, in order, at most ``MAX_NAMES``."""
    out: list[str] = []
    for w in re.findall(r"[\w]+", title):
        if _TITLE_NAME.match(w) and w.upper() not in _GENERIC_ACRONYMS and w not in out:
            out.append(w)
    return out[:MAX_NAMES]


def with_document_subject(cands: list[Candidate], title: str) -> list[Candidate]:
    """Short records that name no system end on the title's system names, in parentheses."""
    names = title_names(title)
    if not names or alert_words(title):
        return cands  # an alert runbook's steps name their alert already (``with_alert_context``)
    for c in cands:
        stmt = c.statement.rstrip(".")
        if word_count(stmt) > SUBJECT_MAX_WORDS or _NAMED.search(stmt):
            continue
        c.borrowed = f" ({' '.join(names)})"
        c.statement = f"{stmt}{c.borrowed}."
    return cands
