"""Action items written as noun phrases ("Better monitoring of OOM", "Runbook for X") read as the
instruction they stand for ("Improve monitoring of OOM", "Add a runbook for X")."""

from __future__ import annotations

import re

from ingest.extract.words import _capitalize, first_word
from ingest.vocabulary import IMPERATIVE_VERBS

_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|be|been|did|does|do|may|might|needs?|"
    r"requires?|lacks?)\b|\?",
    re.I,
)
_NOUN_OF = {
    "development": "develop",
    "implementation": "implement",
    "creation": "create",
    "introduction": "introduce",
    "adoption": "adopt",
    "automation": "automate",
    "documentation": "document",
    "review": "review",
    "improvement": "improve",
}
_NOUN_OF_ITEM = re.compile(rf"^(?:the\s+)?({'|'.join(_NOUN_OF)})\s+of\s+(?:the\s+)?(.+)$", re.I)
_ADDABLE_ITEM = re.compile(
    r"^(?:an?\s+)?(?:[\w/-]+\s+){0,3}?(?:alerts?|alerting|dashboards?|monitoring|process|processes|runbooks?|"
    r"guides?|documentation|tooling|tests?|testing|checks?|drills?|scanners?|framework|limits?|playbooks?)"
    r"(?=\s*$|\s*[:,(]|\s+(?:for|to|on|of|in|with|that|when|against|about|around|and)\b)",
    re.I,
)


def noun_item_to_imperative(text: str) -> str:
    """ "Better monitoring of OOM" -> "Improve monitoring of OOM"; "Automatic process to X" -> "Add ..."."""
    t = text.strip()
    m = re.match(r"^(?:better|improved)\s+(.+)$", t, re.I)
    if m:
        return f"Improve {m.group(1)}"
    m = re.match(r"^(?:more|additional|extra)\s+(.+)$", t, re.I)
    if m:
        return f"Add more {m.group(1)}"
    m = _NOUN_OF_ITEM.match(t)
    if m:
        return f"{_capitalize(_NOUN_OF[m.group(1).lower()])} {m.group(2)}"
    if _ADDABLE_ITEM.match(t) and first_word(t) not in IMPERATIVE_VERBS:
        return f"Add {t[:1].lower() + t[1:] if not t[:2].isupper() else t}"
    return t
