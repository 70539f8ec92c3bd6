"""A runbook carried in a script's comments (a Makefile, a shell or PowerShell script) as Markdown.

Some teams keep a runbook as the script that runs it: a header comment holds the owner and the
standing rules, a comment above each target or block says what the step does and what to check,
and ``TODO(owner):`` / ``DONE(date):`` comments track the work owed. The comments are the document;
the code between them is not. A script is read as a document only when its comments are prose of
some length (see :func:`is_runbook`); any other script is skipped with one reason, as YAML of no
known shape is.

Each comment line keeps its line with the comment sign taken off, code lines become blank lines
(so a comment block stays one paragraph and lessons cite the file's own lines), the first prose
line of the header is the title, a comment opening "Step 3." (or "3.") becomes item 3 of a "Steps"
list, and ``TODO(...)`` / ``DONE(...)`` comments become open and done checklist items.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ingest.formats import plain_text
from ingest.formats.base import Converted

SCRIPT_SUFFIXES = (".mk", ".sh", ".bash", ".ps1")
_SCRIPT_NAMES = ("makefile", "gnumakefile")
# "# text", "## help", "#' text"; a shebang or an editor modeline is not prose
_COMMENT = re.compile(r"^\s*#+(?![!])'?\s?(.*)$")
_SHEBANG = re.compile(r"^#!")
# a comment that only draws a rule ("# -----", "# =====", "#####")
_RULE = re.compile(r"^\s*[-=#*~_]{3,}\s*$")
# PowerShell's comment block "<# ... #>" and its help keywords (".SYNOPSIS", ".NOTES")
_BLOCK_OPEN = re.compile(r"^\s*<#")
_BLOCK_CLOSE = re.compile(r"#>\s*$")
_HELP_KEYWORD = re.compile(r"^\s*\.([A-Z]{4,})\b\s*(.*)$")
# "Step 3. Restore under a new name. Replicas ..." / "Step 3: ..." / "3) ..."
_STEP = re.compile(r"^\s*(?:step\s+(\d{1,2})\s*[.:)\-—]|(\d{1,2})[.)])\s+(.*)$", re.I)
# a step's one-word name before its first sentence ("Preflight."); a longer one is a step itself
_STEP_NAME = re.compile(r"^([A-Z][\w/-]*)\.\s+(?=[A-Z])")
# "TODO(vesna): ...", "TODO: ...", "FIXME ...", "DONE(2026-11-05): ..."
_WORK_NOTE = re.compile(r"^\s*(TODO|FIXME|DONE)\b(?:\s*\([^)]*\))?\s*[:\-—]?\s*(.*)$")
# A runbook's comments are prose: this many words of comment at least, in this many lines.
_MIN_WORDS = 80
_MIN_LINES = 8


def is_script_name(name: str) -> bool:
    """Whether a file of this name is a script whose comments may be a runbook."""
    path = PurePosixPath(name.lower())
    return path.suffix in SCRIPT_SUFFIXES or path.name in _SCRIPT_NAMES


def _comments(lines: list[str]) -> list[str | None]:
    """The comment text of each line ('' for an empty comment), None for a code line."""
    out: list[str | None] = []
    in_block = False
    for line in lines:
        if in_block or _BLOCK_OPEN.match(line):
            text = _BLOCK_CLOSE.sub("", re.sub(r"^\s*<#", "", line)) if not in_block else line
            in_block = not _BLOCK_CLOSE.search(line)
            text = _BLOCK_CLOSE.sub("", text)
            out.append("" if _RULE.match(text) else text.rstrip())
            continue
        found = _COMMENT.match(line)
        if found is None or _SHEBANG.match(line):
            out.append(None)
            continue
        text = found.group(1).rstrip()
        out.append("" if _RULE.match(text) or text.startswith(("vim:", "-*-")) else text)
    return out


def is_runbook(text: str) -> bool:
    """Whether a script's comments read as a document: prose of some length, not a few notes."""
    prose = [c for c in _comments(text.splitlines()) if c and len(c.split()) >= 4]
    return len(prose) >= _MIN_LINES and sum(len(c.split()) for c in prose) >= _MIN_WORDS


def _step_line(text: str, number: str) -> str:
    name = _STEP_NAME.match(text)
    body = text[name.end() :] if name else text
    return f"{number}. {body}"


def to_markdown(text: str) -> str:
    """The script's comments as Markdown, one output line per input line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    comments = _comments(lines)
    out = ["" for _ in lines]
    headings: dict[int, str] = {}  # set after the plain-text pass, which would read them again
    titled = steps_headed = notes_headed = False
    in_step = in_note = in_code = False
    for i, comment in enumerate(comments):
        if comment is None:
            in_step = in_note = False
            continue
        prev = (comments[i - 1] or "").strip() if i else ""
        in_code = in_code and comment.startswith("  ")
        keyword = _HELP_KEYWORD.match(comment)
        step = _STEP.match(comment)
        note = _WORK_NOTE.match(comment)
        if not comment.strip():
            in_step = in_note = False
        elif not titled and len(comment.split()) >= 3:
            headings[i], titled = f"# {comment.strip()}", True
        elif keyword:
            if keyword.group(2):
                out[i] = keyword.group(2)
            else:
                headings[i] = f"## {keyword.group(1).title()}"
        elif note:
            # an open note keeps its word (record types read "TODO:" as work owed), a done one its box
            mark = "[x]" if note.group(1).upper() == "DONE" else "TODO:"
            if not notes_headed and i > 0 and comments[i - 1] is None:
                headings[i - 1], notes_headed = "## Follow-ups", True
            out[i], in_note, in_step = f"- {mark} {note.group(2)}", True, False
        elif step and (comments[i - 1] is None or not (comments[i - 1] or "").strip() if i else True):
            if not steps_headed and i > 0 and comments[i - 1] is None:
                headings[i - 1], steps_headed = "## Steps", True
            out[i], in_step, in_note = _step_line(step.group(3), step.group(1) or step.group(2)), True, False
        elif in_step or in_note:
            out[i] = "   " + comment.strip()
        elif comment.startswith("  ") and not plain_text.is_list_item(comment) and (in_code or not prev):
            out[i], in_code = "    " + comment, True  # a command shown in a comment, set apart
        else:
            out[i] = comment
    done = plain_text.to_markdown("\n".join(out)).split("\n")
    for i, heading in headings.items():
        done[i] = heading
    return "\n".join(done)


def convert(text: str) -> Converted:
    return Converted(to_markdown(text), {"format": "script", "line_basis": "source"})
