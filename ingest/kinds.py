"""A document's kind (postmortem, runbook, ADR) from its front matter, folders, headings, own name
and opening, for repositories that do not sort their documents by kind."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

_PATH_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:post-?mortems?|incidents?|incident-reports?|outages?|retros?)$", re.I), "postmortem"),
    (re.compile(r"^(?:runbooks?|alerts?|playbooks?|sops?|procedures?)$", re.I), "runbook"),
    (
        re.compile(
            r"^(?:adrs?|decisions?|decision-records?|architecture-decision-records?|"
            r"architecture-decisions?)$",
            re.I,
        ),
        "adr",
    ),
)
_FM_KIND_VALUES = {
    "postmortem": "postmortem",
    "post-mortem": "postmortem",
    "postmortems": "postmortem",
    "incident": "postmortem",
    "incident-report": "postmortem",
    "retrospective": "postmortem",
    "runbook": "runbook",
    "playbook": "runbook",
    "alert": "runbook",
    "sop": "runbook",
    "adr": "adr",
    "decision": "adr",
    "architecture-decision-record": "adr",
}


def _kind_from_front_matter(fm: dict[str, Any]) -> str | None:
    for key in ("kind", "type", "layout", "category", "doc_type", "template"):
        v = fm.get(key)
        if isinstance(v, str) and v.strip().lower() in _FM_KIND_VALUES:
            return _FM_KIND_VALUES[v.strip().lower()]
    # a blog's tags or categories: tags = ["postmortem", "database"]
    for key in ("tags", "categories", "labels"):
        v = fm.get(key)
        values = [v] if isinstance(v, str) else v if isinstance(v, list) else []
        kinds = {_FM_KIND_VALUES.get(str(x).strip().lower()) for x in values} - {None}
        if len(kinds) == 1:
            return kinds.pop()
    if "status" in fm and any(k in fm for k in ("decision-makers", "deciders", "consulted", "informed")):
        return "adr"
    # a status-page incident (cState and its kin): "resolved: true" beside its severity or systems
    if "resolved" in fm and any(k in fm for k in ("severity", "affected", "resolvedWhen", "resolved_when")):
        return "postmortem"
    return None


def _kind_from_path(path: str) -> str | None:
    for part in PurePosixPath(path).parts[:-1]:
        for pat, kind in _PATH_KINDS:
            if pat.match(part):
                return kind
    return None


def _kind_from_headings(titles: list[str]) -> str | None:
    low = [t.lower() for t in titles]

    def has(*words: str) -> bool:
        return any(any(w in t for w in words) for t in low)

    # a design document names its choice "Proposed solution" or weighs "Alternatives considered"
    adr = sum(
        (
            has("status"),
            has("context", "problem statement"),
            has(
                "decision",
                "proposed solution",
                "proposed design",
                "alternatives considered",
                "considered alternatives",
            ),
        )
    )
    runbook = sum((has("meaning"), has("impact"), has("diagnosis"), has("mitigation")))
    pm = sum(
        (
            has("timeline", "key events", "what happened"),
            has("root cause", "contributing factor"),
            has(
                "action item",
                "lessons learned",
                "review action",
                "follow-up",
                "postmortem",
                "post-mortem",
                "what will be done",
                "what we'll do",
                "what we will do",
            ),
        )
    )
    best = max((adr, "adr"), (runbook, "runbook"), (pm, "postmortem"))
    if best[0] >= 2 or (best[0] == 1 and best[1] == "adr" and has("decision outcome", "considered options")):
        return best[1]
    if has("decision outcome", "considered options"):
        return "adr"
    # One unmistakable incident-review heading is enough when nothing points elsewhere.
    if (
        pm + has("five whys", "5 whys", "corrective action", "what went wrong", "do differently") >= 1
        and adr == 0
        and runbook == 0
        and has(
            "action item",
            "lessons learned",
            "review action",
            "what we'll do",
            "what we will do",
            "five whys",
            "5 whys",
            "corrective action",
            "what went wrong",
            "do differently",
        )
    ):
        return "postmortem"
    return None


# A document's own name, when folders, front matter and headings say nothing: blog posts and
# security notices ("Security Incident Disclosure", "CVE-2024-1234 - Memory DoS", "Outage on the
# CI agents") and RFC-style design records ("RFC-0006 Flux CDEvents Receiver", "ADR 008: ...").
_TITLE_ADR = re.compile(
    r"^\W*(?:adr|rfc|kep|mep|dep|dpr)[\s_-]*\d+\b|\barchitectur\w* decision|\bdecision record\b|"
    r"\bdesign (?:doc|proposal)\b|\bfailure modes?\b|\bthreat model\b",
    re.I,
)
_TITLE_POSTMORTEM = re.compile(
    r"\bpost[\s_-]?mort[eu]ms?\b|\bincident\b(?![\s_-]+(?:response|process|management|handling|commander))|"
    r"\boutages?\b|\bdisclos(?:e|ure|ing)\b|\bcve[\s_-]\d{4}|\bsecurity[\s_-]+(?:advisory|notice|alert|issue)\b|"
    r"\bvulnerabilit(?:y|ies)\b|\bcompromised\b|\broot[\s_-]+cause[\s_-]+analysis\b|\bdowntime\b|"
    r"\bservice[\s_-]+(?:disruption|degradation|interruption)\b|\bwhat went wrong\b|\battacks?\b|"
    r"\bbugs?\b|\bfailures?\b|\bnotice\b|\binvalid\b",
    re.I,
)
# how-to names win over incident words: "Incident Triage Guide" is a runbook
_TITLE_RUNBOOK = re.compile(r"\b(?:runbook|playbook|guide|how[\s_-]to|checklist|procedures?|sop)\b", re.I)


def _kind_from_title(title: str, path: str) -> str | None:
    for name in (title, PurePosixPath(path).stem):
        if _TITLE_ADR.search(name):
            return "adr"
        if _TITLE_RUNBOOK.search(name):
            return "runbook"
        if _TITLE_POSTMORTEM.search(name):
            return "postmortem"
    return None


# A blog post's opening that tells of an incident: "On Friday our registry served stale indexes
# for three hours. This post explains what went wrong" (only when nothing else names the kind).
# Two story marks, not words such as "incident" or "outage" that an incident-response guide uses too.
_LEAD_POSTMORTEM = re.compile(
    r"\b(?:what went wrong|root cause|we apologi[sz]e|we(?:'re| are) sorry|incident report|post-?mortem|"
    r"(?:was|were|went) (?:down|unavailable|degraded|offline)|"
    r"for (?:about |around |nearly )?\w+ (?:minutes|hours))\b",
    re.I,
)


def _kind_from_lead(lead: str) -> str | None:
    if not lead or _TITLE_RUNBOOK.search(lead) or _TITLE_ADR.search(lead):
        return None
    return "postmortem" if len(set(m.lower() for m in _LEAD_POSTMORTEM.findall(lead))) >= 2 else None


def detect_kind(fm: dict[str, Any], path: str, titles: list[str], title: str = "", lead: str = "") -> str:
    """The document's kind from front matter, folders, headings, its own name, then its opening."""
    return (
        _kind_from_front_matter(fm)
        or _kind_from_path(path)
        or _kind_from_headings(titles)
        or _kind_from_title(title, path)
        or _kind_from_lead(lead)
        or "runbook"
    )
