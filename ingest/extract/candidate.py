"""A candidate statement and the role of the section it stands in (known heading names, then meaning)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.extract.patterns import _ROLE_PATTERNS
from ingest.roles import extraction_role
from ingest.sections import Block, Text

# ---------------------------------------------------------------------------------------------
# section roles


def role_of(title: str, kind: str, *, meaning: bool = True) -> str | None:
    """The extractor's role for a heading: by its known name, else (``meaning``) by its words."""
    role = known_role(title, kind)
    if role is None and meaning:
        return extraction_role(title, kind)
    return role


@lru_cache(maxsize=4096)
def known_role(title: str, kind: str) -> str | None:
    t = title.strip().lower()
    t = re.sub(r"^[\d.\s)]+", "", t).strip(" :")
    if kind == "adr" and _NON_GOALS.match(t):
        return "nongoal"  # what a design leaves out on purpose: "Provide user-facing CRDs" -> "Do not ..."
    if kind == "adr" and _DESIGN_BODY.match(t):
        return "decision"  # a design doc's own design, and the concerns it settles across it
    if kind == "adr" and re.match(r"^goals?$", t):
        return "goal"  # aims are not rules, but "The service provides X" there describes the design
    if kind == "postmortem" and _CHECKLIST.match(t):
        return "action"  # an issue's checklist after an incident: its items are the follow-ups
    if kind == "runbook":
        for pat, role in _RUNBOOK_PHASES:
            if pat.match(t):
                return role
    for pat, role in _ROLE_PATTERNS:
        if pat.search(t):
            if (
                kind == "runbook"
                and role in ("done", "action")
                and re.search(r"resolution|response|remediation|actions?", t)
            ):
                return "mitigation"
            if kind == "runbook" and role == "skip" and re.search(r"^diagnos|^how to investigate", t):
                return "diagnosis"
            if kind == "adr" and role == "skip" and re.search(r"\bdetails\b", t):
                return None  # "Design details" holds the design: read for rules, not skipped
            if kind == "runbook" and role == "skip" and re.search(r"^impact|^meaning", t):
                return "skip"
            if kind != "adr" and role == "driver":
                return None
            if kind != "adr" and role == "decision" and t in ("how", "what", "goals", "goal", "solution"):
                return None
            if kind != "runbook" and role == "mitigation" and kind == "adr":
                return "consequence" if "mitigation" in t else None
            return role
    return None


_CAUSE_STORY = re.compile(r"how did (?:this|it) happen|how it happened", re.I)
_CAUSE_LEAD = re.compile(r"^(?:root causes?|causes|contributing factors?)\s*:?$", re.I)


def _is_cause_lead(block: Block) -> bool:
    """A paragraph that only names a list of causes: "**Root causes:**"."""
    return bool(block.bold_label) and bool(_CAUSE_LEAD.match(block.text.text.strip(" *")))


# "Checklist", "Task list", "To-do list": in a postmortem (an issue write-up) the work left after the
# incident, "[x]" done and "[ ]" open; in a runbook or an ADR a checklist is steps or criteria.
_CHECKLIST = re.compile(r"^(?:(?:follow-?up |incident )?check-?list|task list|to-?do list)$", re.I)
# a runbook's phases named by when they come: "Triage" finds out what is wrong, "After the incident"
# is the clean-up every responder still owes (steps, as a mitigation's are)
_RUNBOOK_PHASES = (
    (re.compile(r"^(?:triage|first checks|initial checks|quick checks)\b", re.I), "diagnosis"),
    (
        re.compile(r"^(?:after the (?:incident|alert|page|outage)|aftercare|clean-?up|wrap-?up)\b", re.I),
        "mitigation",
    ),
)
# a Google-style design doc: "Design" (or "Detailed design") is what was decided; "Cross-cutting
# concerns" (security, clocks, observability) states how the design settles each
_DESIGN_BODY = re.compile(
    r"^(?:(?:the |detailed |system |high-level )?design|cross-?cutting concerns)$", re.I
)
_NON_GOALS = re.compile(r"^(?:non-?goals?|out of scope|not in scope)$", re.I)

# "Themes" names a debrief's lessons where its own items state them; a theme under it with a heading
# of its own is told as a story, its prose read as any other section's
_THEMES = re.compile(r"^(?:\d+\.?\s+)?(?:key |main |recurring )?themes$", re.I)
_FIELD_ROLES = {
    "key events": "skip",
    "context": "skip",
    "identified": "skip",
    "impact": "skip",
    "resolution": "done",
    "time to repair": "skip",
    "time to resolve": "skip",
}


# the roles a paragraph's bold label gives it: "**Action:** Olu to scan ...", "**Takeaway:** ...", and
# "**Why:** the cert was issued by hand" (a cause told, context)
_INLINE_FIELD_ROLES = ("action", "lesson", "context")


def block_role(block: Block, kind: str, title: str) -> tuple[str | None, str]:
    """Role of the section holding ``block`` and the section path string."""
    path = list(block.path)
    if not path or (block.levels and block.levels[0] == 1 and path[0] == title):
        section_path = [title, *path[1:]] if path else [title]
    else:
        section_path = [title, *path]
    role: str | None = None
    if block.field_label:
        label = block.field_label.strip().lower()
        role = _FIELD_ROLES.get(label) or role_of(label, kind)
        if role is not None:
            section_path = [*section_path, block.field_label]
    elif (
        kind == "postmortem"
        and block.type == "item"
        and block.bold_label
        and role_of(block.bold_label.strip(" :").lower(), kind) == "action"
    ):
        # An incident field written inline ("- **Review actions**: We have switched X to Y"): its
        # label names the role as a field bullet's would, but only an action field counts here.
        role = "action"
        section_path = [*section_path, block.bold_label.strip(" :")]
    # Known names first, up the whole path ("Considered options > Cons" is an option's con);
    # only when no heading has one does the nearest heading's meaning decide.
    for meaning in (False, True):
        if role is not None:
            break
        for i in range(len(path) - 1, -1, -1):
            if i == 0 and block.levels and block.levels[0] == 1 and path[0] == title:
                break
            r = role_of(path[i], kind, meaning=meaning)
            if i < len(path) - 1 and _THEMES.match(path[i]):
                continue
            if r == "summary" and kind == "adr" and i > 0 and known_role(path[i - 1], kind) == "decision":
                continue  # "How > Architecture summary": a summary of the design is design
            if r is not None:
                role = r
                break
    if role is None and kind == "postmortem" and block.type == "paragraph" and block.bold_label:
        # a paragraph field in a section no heading names ("## 2. Push notifications delayed" then
        # "**Takeaway:** Queue workers should scale on depth", "**Action:** Olu to scan X")
        label_role = role_of(block.bold_label.strip(" :").lower(), kind)
        if label_role in _INLINE_FIELD_ROLES:
            role = label_role
            section_path = [*section_path, block.bold_label.strip(" :")]
    return role, " > ".join(section_path)


# ---------------------------------------------------------------------------------------------
# candidates


@dataclass(slots=True)
class Candidate:
    statement: str
    section: str
    role: str
    line_start: int
    line_end: int
    source: str  # item | row | sentence | heading | chosen
    code_spans: list[str] = field(default_factory=list)
    warning: bool = False
    extra_rationale: str = ""
    walkthrough: bool = False  # a step of a numbered walk-through ("1. The service receives ...")
    # system names borrowed from the document's title (" (BibTeX)"), left out when typing the record
    borrowed: str = ""


def _sentence_lines(text: Text, start: int, end: int) -> tuple[int, int]:
    return text.line_at(start), text.line_at(max(start, end - 1))
