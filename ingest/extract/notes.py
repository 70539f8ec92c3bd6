"""A list item a runbook opens with "Note -": a caution beside the steps, not a step.

In a procedural runbook items must be instructions, so a note that states a rule ("Note - If the
leaver has created any slack apps, these will need to be transferred ...") or tells its
instruction inside a run-on ("Note - It is no longer possible to transfer ... please transfer
any documents to a suitable place before they leave.") was dropped with the other non-steps.
"""

from __future__ import annotations

import re

from ingest.extract.text import clean_text

_NOTE_LEAD = re.compile(
    r"^\s*(?:\*\*)?\s*(?:note|nb|n\.b\.)\s*(?:\*\*)?\s*[:\-–—]\s*(?:\*\*)?\s*\S", re.IGNORECASE
)
# the note's own instruction told after its reason without a stop: "It is no longer possible to
# transfer a leaver's documents ... please transfer any documents to a suitable place before they
# leave." (a pointer such as "please see" or "please contact" is no instruction of its own)
_PLEASE_STEP = re.compile(
    r"^(?P<fact>[^;:]{12,}?)[\s,;]+please\s+(?P<step>(?!note\b|see\b|refer\b|contact\b|ask\b|reach\b)[a-z]{3,}\b.*)$",
    re.IGNORECASE,
)


def note_acceptance(text: str, default: str) -> str:
    """How permissive to be with a procedural runbook's item: a note is kept when it states a rule,
    or whole when it tells an instruction of its own (``note_instruction``); any other item keeps
    ``default``."""
    if not _NOTE_LEAD.match(text):
        return default
    return "all" if _PLEASE_STEP.match(clean_text(text)) else "rule"


def note_instruction(text: str) -> str | None:
    """A note's run-on instruction, put first with its reason after it ("Transfer any documents to
    a suitable place before they leave: it is no longer possible to ..."); None for other items."""
    if not _NOTE_LEAD.match(text):
        return None
    m = _PLEASE_STEP.match(clean_text(text))
    if m is None:
        return None
    step, fact = m.group("step").rstrip(" ."), m.group("fact").strip(" ,;")
    return f"{step[:1].upper()}{step[1:]}: {fact[:1].lower()}{fact[1:]}."
