"""Rules spoken in a chat log that a postmortem quotes ("07:21 <marta> ... never more than 10 at once").

An annotated IRC or Slack log keeps the responders' lines in a code block; the rules they agreed on
the spot ("each unlock has to be logged against the rider account", "note for the runbook: after
any broker upgrade, diff the effective config") are lessons the review did not write out again.
The walker never reads code blocks. A block whose lines are mostly ``HH:MM <nick> text`` is read
as a chat: one nick's consecutive lines that run on (no closing stop, the next in lower case) are
one utterance, and an utterance is kept when it states a rule in so many words (never, must,
has to, always, do not, only) or carries a note for the runbook; questions and status lines are not.
"""

from __future__ import annotations

import re

from ingest.extract.candidate import Candidate, block_role
from ingest.extract.words import word_count
from ingest.sections import Outline

_CHAT_LINE = re.compile(r"^\s*\[?(\d{1,2}:\d{2}(?::\d{2})?)\]?\s+<\s*@?([^>\s]+)\s*>\s+(.+?)\s*$")
_RULE_WORD = re.compile(
    r"\b(?:never|must(?:n't)?|has to|have to|always|do not|don't|only ever|is not allowed|not allowed)\b",
    re.I,
)
_RUNBOOK_NOTE = re.compile(
    r"^(?:note for (?:the )?(?:runbook|review|postmortem)|rule|lesson|takeaway)\s*:\s*", re.I
)
_BOT = re.compile(r"bot$|^(?:pagerduty|opsgenie|alertmanager|grafana|github|jenkins)$", re.I)
_LOWER_OR_PAREN = frozenset("abcdefghijklmnopqrstuvwxyz(")
MIN_CHAT_LINES = 3
MIN_UTTERANCE_WORDS = 5
MAX_UTTERANCE_WORDS = 45


def _utterances(text: str) -> list[tuple[str, str]] | None:
    """(nick, text) of a chat log's utterances; None when the block is no chat log."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    parsed = [_CHAT_LINE.match(ln) for ln in lines]
    if sum(1 for m in parsed if m) < max(MIN_CHAT_LINES, len(lines) // 2 + 1):
        return None
    out: list[tuple[str, str]] = []
    last = -10
    for m in parsed:
        if not m:
            continue
        nick, said = m.group(2), m.group(3)
        hh, mm = m.group(1).split(":")[:2]
        minute = int(hh) * 60 + int(mm)
        runs_on = not out or not out[-1][1].endswith((".", "!", "?"))
        if out and out[-1][0] == nick and runs_on and minute - last <= 1 and said[:1] in _LOWER_OR_PAREN:
            out[-1] = (nick, f"{out[-1][1]} {said}")
        else:
            out.append((nick, said))
        last = minute
    return out


def chat_rule_candidates(outline: Outline, kind: str, title: str) -> list[Candidate]:
    """Rules spoken in the chat logs of a postmortem."""
    if kind != "postmortem":
        return []
    out: list[Candidate] = []
    for block in outline.blocks:
        if block.type != "code":
            continue
        said = _utterances(block.text.text)
        if not said:
            continue
        _, section = block_role(block, kind, title)
        for nick, text in said:
            note = _RUNBOOK_NOTE.match(text)
            body = text[note.end() :] if note else text
            if _BOT.search(nick) or body.rstrip().endswith("?"):
                continue
            if not (note or _RULE_WORD.search(body)):
                continue
            if not MIN_UTTERANCE_WORDS <= word_count(body) <= MAX_UTTERANCE_WORDS:
                continue
            stmt = body[:1].upper() + body[1:]
            stmt = stmt if stmt.endswith((".", "!")) else stmt + "."
            out.append(Candidate(stmt, section, "lesson", block.line_start, block.line_end, "item"))
    return out


__all__ = ["chat_rule_candidates"]
