"""Steps written with an arrow, as in a cheat sheet: "Still slow after 15 min → page secondary".

An on-call cheat sheet (a pinned chat message, a wiki card) writes a case and what to do in it
with an arrow between them: "Node gone? → wait 5 min for it to rejoin", "`GET _cluster/health`
→ find the red index". Read as they stand, such steps are neither sentences nor imperatives. The
arrow is read as the writer meant it: a case before it ("X? →", "Still slow →") becomes "If X,
...", a command before it becomes the means ("Find the red index with `GET _cluster/health`").
Only "→" is read so: "->" and "=>" are too often code.
"""

from __future__ import annotations

import re

from ingest.vocabulary import IMPERATIVE_VERBS

_ARROW_STEP = re.compile(r"^(?P<case>[^→]{2,120}?)\s*→\s*(?P<verb>[a-z][\w'-]*)(?P<rest>[^→]*)$")
# a command before the arrow: code, or an HTTP method and a path
_COMMAND = re.compile(r"^(?:`[^`]+`|(?:GET|PUT|POST|DELETE|HEAD|PATCH)\s+\S+)$")
_SENTENCE_END = re.compile(r"(?<=[.!])\s+(?=\S)")
_CASE_LEAD = re.compile(r"^(?:if|when|whenever|once|after|before|while)\b", re.I)
# "mostly `pricing` → go to *Mitigate C*": a branch of a decision tree points to another
# section, whose steps are read there; it is not a step of its own
_POINTERS = frozenset({"go", "see", "jump", "skip", "continue", "proceed", "return"})


def _step(sentence: str) -> str:
    found = _ARROW_STEP.match(sentence.strip())
    if found is None or found.group("verb") not in IMPERATIVE_VERBS or found.group("verb") in _POINTERS:
        return sentence
    case = found.group("case").strip()
    action = found.group("verb").capitalize() + found.group("rest").rstrip()
    if _COMMAND.match(case):
        end = "." if action.endswith(".") else ""
        return f"{action.rstrip('.')} with {case}{end}"
    case = case.rstrip("?").strip()
    # "If the activity is anomalous → investigate": the case already says it is one
    lead = "" if _CASE_LEAD.match(case) else "If "
    case = case if lead == "" else case[0].lower() + case[1:]
    return f"{lead}{case}, {action[0].lower()}{action[1:]}"


def arrow_steps(text: str) -> str:
    """Each sentence of the form "case → do this" as "If case, do this" (unchanged otherwise)."""
    if "→" not in text:
        return text
    return " ".join(_step(s) for s in _SENTENCE_END.split(text))
