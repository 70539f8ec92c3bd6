"""An action told as "<owner> to <verb> ...": "Olu to scan all internal endpoints for certs",
"Mobile to switch the push worker HPA to KEDA", "Data team to move the export to its own volume".

Meeting notes and weekly reviews name who takes an action before the action itself; the record
keeps the action ("Scan all internal endpoints for certs"), as an action list's owner column is
left out of its rows.
"""

from __future__ import annotations

import re

from ingest.extract.words import _capitalize
from ingest.vocabulary import IMPERATIVE_VERBS

# one to three capitalised words (a name, a team), optionally "X and Y" or "X team", then "to <verb>"
_OWNER_TO = re.compile(
    r"^(?P<owner>[A-Z][\w'-]*(?:\s+(?:and|&)\s+[A-Z][\w'-]*|\s+[A-Z][\w'-]*){0,2}(?:\s+(?:team|on-call))?)"
    r"\s+to\s+(?P<verb>[a-z][a-z-]+)\b(?P<rest>.*)$",
    re.S,
)

# "Continue to track X", "Remember to rotate", "Nobody to use the token": a verb or a negation, not
# an owner
_NOT_OWNER = re.compile(
    r"^(?:continue|remember|need|needs|want|try|plan|begin|start|aim|going|nobody|no one|none|never)\b",
    re.I,
)


def owner_to_imperative(text: str) -> str:
    """ "Olu to scan X" -> "Scan X"; "" when ``text`` does not open on an owner and "to <verb>"."""
    m = _OWNER_TO.match(text.strip())
    if not m or m.group("verb") not in IMPERATIVE_VERBS or _NOT_OWNER.match(m.group("owner")):
        return ""
    return _capitalize(m.group("verb")) + m.group("rest")


__all__ = ["owner_to_imperative"]
