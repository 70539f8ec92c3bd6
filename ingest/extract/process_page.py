"""A page in an incident-report folder that is no incident report: the team's incident process.

An incident-process page states standing rules (how an incident is declared, which roles it
needs, how it is closed) in numbered steps and prose, the way a runbook does;
read as an incident report, its steps find no lesson section and its prose is taken for a story.
Its title names the process, not an incident.
"""

from __future__ import annotations

import re

# "Incident Process", "Post-incident procedure", "Incident response policy": the title names the
# process, never one incident ("Incident on 2021-11-05 - ..."). A post-mortem folder's README
# ("PostHog Post-mortems (Public)") stays a postmortem: read as a runbook it lost its one match.
_PROCESS_TITLE = re.compile(
    r"^(?:[\w.&-]+\s+){0,3}?(?:post-?)?incident\s+(?:response\s+|management\s+)?"
    r"(?:process|procedure|policy|handbook)(?:es|s)?\s*(?:\([^)]*\))?$",
    re.IGNORECASE,
)


def reading_kind(kind: str, title: str) -> str:
    """The kind a document's sections are read as: a process page in a postmortem folder is read
    as a runbook (its records keep the document's kind)."""
    if kind == "postmortem" and _PROCESS_TITLE.match(title.strip()):
        return "runbook"
    return kind
