"""Courtesy lines of a report written for customers: an apology, thanks, where to ask.

A vendor's root-cause report or a status-page summary closes its sections with "We sincerely
apologize for the disruption" and "For questions about this report, please contact your account
manager". Read as sentences they look like statements of fact or instructions, and in a section
named "Root cause" an apology that mentions what "this caused" reads as a cause; none is a lesson.
"""

from __future__ import annotations

import re

_COURTESY = re.compile(
    r"\bapologi[sz]es?\b|\bapologi[sz]e\b|\b(?:are|am|is)\s+(?:deeply\s+|truly\s+|very\s+)?sorry\b|"
    r"\bwe\s+(?:deeply\s+|sincerely\s+)?regret\b|\bthank(?:s| you)\s+(?:you\s+)?for\s+your\s+"
    r"(?:patience|understanding|continued)\b|"
    r"^(?:for|if you have)\s+(?:any\s+)?(?:further\s+)?questions\b.*\b(?:please\s+)?contact\b",
    re.I,
)


def is_courtesy(statement: str) -> bool:
    """Whether a statement is an apology, thanks or an invitation to ask (never a lesson)."""
    return bool(_COURTESY.search(statement.strip()))
