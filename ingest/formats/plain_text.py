"""A plain-text document (an e-mail pasted into a .txt file, a text-only report) as Markdown.

Plain text has no heading markup, but a writer still marks sections: a line in capitals
("WHAT HAPPENED"), a short line ending with a colon ("Action items:"), a line underlined with
``===``, ``---``, ``~~~`` or ``***``, each standing alone after a blank line, or a short line with
no closing punctuation standing alone between blank lines ("Why this happened", as in a letter).
Those become Markdown headings, so sections (and the roles of sections such as follow-ups) are
found as in any other document; an e-mail's header lines give the title (its Subject) and are
dropped otherwise. Each line stays on its line, so lessons cite the file's own line numbers.
"""

from __future__ import annotations

import re

from ingest.formats import commit_message, pdf_text
from ingest.formats.base import Converted

# An e-mail's header block: "Name: value" lines at the top, the Subject among them.
_MAIL_HEADER = re.compile(r"^(From|To|Cc|Bcc|Date|Sent|Subject|Reply-To|Message-ID|Importance):\s", re.I)
_SUBJECT = re.compile(r"^Subject:\s*(.+)$", re.I)
_UNDERLINE = re.compile(r"^\s*([=\-~*])\1{2,}\s*$")
_ATX_HEADING = re.compile(r"^#{1,6} \S", re.M)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s")
_PARENTHETICAL = re.compile(r"\([^)]*\)")
# A section number before a heading in capitals ("5. CORRECTIVE ACTIONS", "2.1 SCOPE").
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")
# A chat message's bold line (Slack mrkdwn "*1. Cluster RED*", Markdown "**Escalation**"): a
# cheat sheet pinned in a channel has no other section names.
_BOLD_LINE = re.compile(r"^(\*{1,2})([^*\s](?:[^*]*[^*\s])?)\1:?$")
# Bullets a chat client or word processor puts in text; Markdown reads only "-", "*" and "+".
_BULLET = re.compile(r"^(\s*)[•◦▪‣●]\s+")
# a state told by an emoji opening a chat line (":white_check_mark: Kwame - add ...", ":hourglass: Ola -
# ..."): a task, done or open, as a chat retro lists its actions
_EMOJI_STATE = re.compile(
    r"^(\s*)(?:(?P<done>:(?:white_check_mark|heavy_check_mark|ballot_box_with_check|check|done):|[\u2705\u2714\u2611])"
    r"|:(?:hourglass|hourglass_flowing_sand|construction|soon|arrows_counterclockwise|white_large_square|"
    r"black_square_button|todo):|[\u23f3\u231b\U0001f6a7])\ufe0f?\s+(?=\S)"
)
# an emoji shortcode (":mag:", ":no_entry:"): a picture in chat, noise in a statement
_EMOJI_CODE = re.compile(r"(?<!\S):[a-z][a-z0-9_+-]*:(?!\S)\s?")
# A heading is short: a sentence that happens to end with a colon ("We did three things:") is not.
_MAX_HEADING_WORDS = 8
# A bare heading line ("What we are changing") has no mark of its own, so it is shorter still.
_MAX_BARE_HEADING_WORDS = 6
# the least length of a wrapped paragraph line under a section name that has no blank line after it
_RUN_IN_BODY = 50
# a letter's salutation or sign-off standing alone ("Dear Customer", "Regards", "Kind regards")
_SALUTATION = re.compile(
    r"^(?:dear|hi|hello|regards|kind regards|best|thanks|thank you|cheers|sincerely)\b", re.I
)


def is_plain(text: str) -> bool:
    """Whether a text file is plain text rather than Markdown: no ATX heading (``# Title``)."""
    return not _ATX_HEADING.search(text[:20_000])


def is_list_item(line: str) -> bool:
    """Whether a line opens a list item ("- x", "* x", "1. x", "2) x")."""
    return bool(_LIST_ITEM.match(line))


def _is_capitals(line: str) -> bool:
    """ "WHAT HAPPENED", "WHAT WE ARE CHANGING (and what we ask of you)", "5. CORRECTIVE ACTIONS
    (COMPLETED)": capitals outside brackets, after any section number."""
    bare = _PARENTHETICAL.sub("", _SECTION_NUMBER.sub("", line))
    letters = [c for c in bare if c.isalpha()]
    # one word in capitals is a heading only when numbered ("7. CONTACT"); alone it may be a shout
    words = " " in bare.strip() or bool(_SECTION_NUMBER.match(line))
    return len(letters) >= 4 and all(c.isupper() for c in letters) and words


def _is_label(line: str) -> bool:
    """ "Action items:", "Lessons learned:": a short line ending with a colon, not a sentence leading
    into a list ("At 10:00 the queue stalled. It went on:")."""
    head = line[:-1]
    words = _PARENTHETICAL.sub("", head).split()  # "(agreed in the review on 14 Nov)" is an aside
    return (
        line.endswith(":")
        and 0 < len(words) <= _MAX_HEADING_WORDS
        and line[0].isupper()
        and ":" not in head
        and ". " not in head
    )


def _is_bare_heading(lines: list[str], i: int) -> bool:
    """ "Why this happened": a short line that starts with a capital and closes with no punctuation,
    with a blank line before and after it and text after that (a letter's section names)."""
    line = lines[i].strip()
    before = lines[i - 1].strip() if i > 0 else ""
    after = lines[i + 1].strip() if i + 1 < len(lines) else "-"
    rest = any(x.strip() for x in lines[i + 2 :])
    return (
        0 < len(line.split()) <= _MAX_BARE_HEADING_WORDS
        and line[0].isupper()
        and line[-1].isalnum()
        and not before
        and not after
        and rest
        and not any(c.isdigit() for c in line)
        and not _SALUTATION.match(line)
    )


def _is_run_in_heading(lines: list[str], i: int) -> bool:
    """ "What happened" over the paragraph or list it names, with no blank line between: a short
    line after a blank one, followed by a long wrapped line or a list item (a paragraph's own first
    line fills the width it wraps at, so a short one opening text is a section name)."""
    line = lines[i].strip()
    before = lines[i - 1].strip() if i > 0 else ""
    after = lines[i + 1].strip() if i + 1 < len(lines) else ""
    long_text = len(after) >= max(_RUN_IN_BODY, 2 * len(line)) and not after[:1].islower()
    return (
        0 < len(line.split()) <= _MAX_BARE_HEADING_WORDS
        and line[0].isupper()
        and line[-1].isalnum()
        and not before
        and (long_text or bool(_LIST_ITEM.match(after)))
        and not any(c.isdigit() for c in line)
        and not _SALUTATION.match(line)
    )


def _bold_line(line: str) -> str | None:
    """The text of a short line that is bold as a whole ("*1. Cluster RED*"), else None."""
    found = _BOLD_LINE.match(line)
    if found is None or len(_SECTION_NUMBER.sub("", found.group(2)).split()) > _MAX_HEADING_WORDS:
        return None
    return found.group(2).rstrip(":")


def _heading_text(line: str) -> str:
    line = _bold_line(line) or line
    text = _SECTION_NUMBER.sub("", line.rstrip(":").strip())
    if _is_capitals(line) or (line.isupper() and " " not in line):
        bare = _PARENTHETICAL.sub("", text).strip()
        text = bare[:1] + bare[1:].lower() + text[len(bare) :]
    return text


def _is_heading(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if not line or len(line) > 80 or line.endswith((".", ",", ";")):
        return False
    if i > 0 and lines[i - 1].strip():
        return False  # inside a paragraph
    if _bold_line(line) is not None:
        return True
    if _LIST_ITEM.match(line):  # "1. Alerts page on-call." is an item; "1. SUMMARY" a section
        return bool(_SECTION_NUMBER.match(line)) and _is_capitals(line)
    return (
        _is_capitals(line)
        or _is_label(line)
        or _is_bare_heading(lines, i)
        or _is_word_over_body(lines, i)
        or _is_run_in_heading(lines, i)
    )


def _is_word_over_body(lines: list[str], i: int) -> bool:
    """ "WHEN" or "PROCEDURE" at the margin over an indented body: one word in capitals is a
    section name where the text under it is set in (a shout stands in a paragraph's margin)."""
    line, nxt = lines[i], lines[i + 1] if i + 1 < len(lines) else ""
    letters = [c for c in line.strip() if c.isalpha()]
    return (
        line[:1].isalpha()
        and " " not in line.strip()
        and len(letters) >= 4
        and all(c.isupper() for c in letters)
        and nxt[:1] in (" ", "\t")
        and bool(nxt.strip())
    )


def _is_underlined(lines: list[str], i: int) -> bool:
    """A line standing alone after a blank line, underlined at least half its length."""
    line = lines[i].strip()
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if not line or _LIST_ITEM.match(line) or (i > 0 and lines[i - 1].strip()):
        return False
    return bool(_UNDERLINE.match(nxt)) and len(nxt) >= len(line) // 2


# A row of a tracked-task list exported as fixed columns ("PTASK0021877  Restore the timeout
# Closed Complete"): an id, the task and its status, each separated by a run of spaces.
_TASK_ROW = re.compile(r"^(\s*)([A-Z][A-Z0-9]*-?\d{2,})\s{2,}(\S(?:.*?\S)?)(?:\s{2,}(\S(?:.*\S)?))?\s*$")


def _task_rows(lines: list[str], out: list[str]) -> None:
    """Runs of two or more task rows become list items "- task — status" (the id is left out)."""
    rows = [_TASK_ROW.match(line) for line in lines]
    for i, row in enumerate(rows):
        run = (i > 0 and rows[i - 1] is not None) or (i + 1 < len(rows) and rows[i + 1] is not None)
        if row is not None and run:
            status = f" — {row.group(4)}" if row.group(4) else ""
            out[i] = f"{row.group(1)}- {row.group(3)}{status}"


# A numbered clause of a printed procedure ("2.1  Only one generator is tested at a time."): a list
# item, as Markdown has no decimal numbers; a box opening a line ("[ ] Annex A limits ...", "[X]
# Probe replaced") is a task. Both are moved to the margin: indented further than three spaces an
# item would be read as the paragraph before it going on.
_CLAUSE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})+\.?\s+(?=\S)")
_BOX_LINE = re.compile(r"^\s*\[([ xX])\]\s+(?=\S)")
# a state in brackets opening a line ("[open]  Sage files ...", "[fixed] Log sheet moved ..."): a
# text runbook's known-problems list, each line a task, open or done
_STATE_TAG = re.compile(
    r"^\s*\[(?:(?P<done>fixed|done|closed|resolved)|open|todo|to do|wip|in progress|pending)\]\s+(?=\S)",
    re.I,
)
# a state word in capitals set in its own column before a list item's text ("- DONE  switch auth
# ...", "- TODO  alert on ..."): a mail's follow-up list, each item a task, open or done ("- TODO:
# x" stays as written, the extractor reads that label itself)
_STATE_WORD = re.compile(r"^(\s*)[-*+]\s+(?:(?P<done>DONE|FIXED|CLOSED)|TODO|OPEN|WIP)\s{2,}(?=\S)")


def _clauses(lines: list[str], out: list[str]) -> None:
    """Clause lines as list items (only where two or more stand in the text: one line that opens
    with "1.2" may be a version), box lines as task items."""
    clauses = [i for i, line in enumerate(lines) if _CLAUSE.match(line) and out[i] == line]
    for i in clauses if len(clauses) >= 2 else []:
        out[i] = "- " + _CLAUSE.sub("", lines[i])
    for i, line in enumerate(lines):
        box = _BOX_LINE.match(line)
        if box and out[i] == line:
            out[i] = f"- [{box.group(1).lower()}] " + line[box.end() :]
        tag = _STATE_TAG.match(line)
        if tag and out[i] == line:
            out[i] = f"- [{'x' if tag.group('done') else ' '}] " + line[tag.end() :]
        word = _STATE_WORD.match(line)
        if word and out[i] == line:
            out[i] = f"{word.group(1)}- [{'x' if word.group('done') else ' '}] " + line[word.end() :]


def _emoji_state(line: str) -> str:
    """A line opening with a state emoji as a task item: "- [x] ..." done, "- [ ] ..." open."""
    state = _EMOJI_STATE.match(line)
    if not state:
        return line
    return f"{state.group(1)}- [{'x' if state.group('done') else ' '}] {line[state.end() :]}"


def _mail_title(lines: list[str]) -> tuple[str | None, int]:
    """The Subject of an e-mail header block at the top, and how many lines the block takes."""
    n = 0
    subject = None
    while n < len(lines) and _MAIL_HEADER.match(lines[n]):
        found = _SUBJECT.match(lines[n])
        subject = found.group(1).strip() if found else subject
        n += 1
    return (subject, n) if n >= 2 else (None, 0)


def to_markdown(text: str) -> str:
    """The text with its section lines as Markdown headings, one output line per input line."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_BULLET.sub(r"\1- ", _EMOJI_CODE.sub("", _emoji_state(line))) for line in pdf_text.clean(raw)]
    commit_subject, lines = commit_message.clean(lines)
    out = list(lines)
    subject, header_lines = _mail_title(lines)
    subject = subject or commit_subject
    for i in range(header_lines):
        out[i] = ""
    if subject:
        out[0] = f"# {subject}"
    for i in range(header_lines, len(lines)):
        line = lines[i].strip()
        if _is_underlined(lines, i):
            out[i], out[i + 1] = f"## {_heading_text(lines[i].strip())}", ""
        elif _is_heading(lines, i) and not _UNDERLINE.match(line):
            out[i] = f"## {_heading_text(line)}"
    _task_rows(lines, out)
    _clauses(lines, out)
    return "\n".join(out)


def convert(text: str) -> Converted:
    return Converted(to_markdown(text), {"format": "text", "line_basis": "source"})
