"""An -ed word that opens a rule's subject, not a past verb: "Planned work that removes the
protection path of a ring may not extend beyond its approved window".

A list of changes told in the past ("Added an alert on X") is turned into imperatives by
:func:`ingest.extract.text.past_to_imperative`; a rule whose subject starts with a participle
("Planned work", "Scheduled jobs", "Shared secrets") has its own verb further on, a modal, and
"Plan work that ..." would lose its meaning. A modal after a clause opener or a pronoun belongs to
a clause of the change ("Added a check so that builds will fail"), so the change is still read.
"""

from __future__ import annotations

import re

# an -ed word first, a modal verb further on: "Planned work ... may not extend", "Shared secrets
# ... must be rotated"
_PARTICIPLE_SUBJECT = re.compile(
    r"^[A-Z][a-z]+ed\s+(?P<between>.*?)\b(?:may|must|shall|should|will|can|cannot|could|would)"
    r"(?:\s+not|n't)?\s+(?:never\s+|only\s+)?[a-z]+\b"
)
# words that open a clause of the change itself; a modal after them is that clause's verb
_CLAUSE_WORDS = frozenset(
    re.findall(
        r"\w+",
        "so because since when whenever if until unless once and but or where while as whether to "
        "it they we you he she there this these those that which who what",
    )
)


def leads_a_subject(text: str) -> bool:
    """Whether the -ed word that opens ``text`` opens its subject, the sentence's own verb being a
    modal further on ("Planned work ... may not extend")."""
    m = _PARTICIPLE_SUBJECT.match(text.strip())
    if not m:
        return False
    before = [w.strip(",;:()\"'").lower() for w in m.group("between").split()]
    return (
        bool(before)
        and not any(w in _CLAUSE_WORDS for w in before[-1:])
        and not any(w in _CLAUSE_WORDS - {"that", "which", "who"} for w in before)
    )


__all__ = ["leads_a_subject"]
