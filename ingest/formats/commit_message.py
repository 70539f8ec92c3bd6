"""A commit message kept as a document (``git log`` / ``git show`` output saved to a text file).

A small incident is sometimes written up where the next person will find it, in the body of the
commit that reverts or fixes the change. Saved as text, the message carries ``git log``'s header
("commit <sha>", "Author:", "Date:"), a body indented by four spaces, its subject line first, and
trailers at the end ("Reviewed-by:", "Refs:"). The header and the trailers are metadata, not
lessons: they are blanked, the body is unindented, the subject becomes the title, "This reverts
commit ..." is dropped, and a diff after the message is cut off. Follow-ups marked in brackets
("[done] Revert #9140", "[todo] Refund the orders") become checklist items. Each line stays on its
line; the plain-text reader then finds the body's sections.
"""

from __future__ import annotations

import re

_COMMIT_LINE = re.compile(r"^commit [0-9a-f]{7,40}\b")
_HEADER = re.compile(r"^(?:Author|AuthorDate|Commit|CommitDate|Date|Merge):\s", re.I)
_REVERTS = re.compile(r"^This reverts commit [0-9a-f]{7,40}\.?\s*$")
# "Reviewed-by: Name <mail>", "Signed-off-by: ...", "Refs: QM-TAX-87", "Change-Id: I8a..."
_TRAILER = re.compile(r"^[A-Z][A-Za-z]*(?:-[A-Za-z]+)*:\s+\S")
_DIFF = re.compile(r"^diff --git |^---\s*$")
# a follow-up's state in brackets at the start of a line: "[done] ...", "[todo] ...", "[open] ..."
_STATE_ITEM = re.compile(
    r"^(\s*)\[(done|closed|fixed|todo|to do|open|wip|in progress|pending)\]\s+(.*)$", re.I
)
_DONE_STATES = ("done", "closed", "fixed")


def is_commit(lines: list[str]) -> bool:
    """Whether a text opens with ``git log``'s header: a "commit <sha>" line, then header fields."""
    return bool(lines) and bool(_COMMIT_LINE.match(lines[0])) and any(_HEADER.match(x) for x in lines[1:4])


def _trailer_start(body: list[str]) -> int:
    """Where the trailer block (the last paragraph, all "Key: value" lines) starts, or len(body)."""
    end = len(body)
    while end and not body[end - 1].strip():
        end -= 1
    start = end
    while start and body[start - 1].strip():
        start -= 1
    block = [x for x in body[start:end] if x.strip()]
    return start if block and all(_TRAILER.match(x.strip()) for x in block) else len(body)


def state_items(lines: list[str]) -> list[str]:
    """Lines "[done] text" / "[todo] text" as checklist items, their wrapped lines indented under them."""
    out = list(lines)
    in_item = False
    for i, line in enumerate(lines):
        found = _STATE_ITEM.match(line)
        if found:
            mark = "[x]" if found.group(2).lower() in _DONE_STATES else "[ ]"
            out[i], in_item = f"{found.group(1)}- {mark} {found.group(3)}", True
        elif in_item and line.strip() and line.startswith((" ", "\t")):
            out[i] = "      " + line.strip()
        else:
            in_item = False
    return out


def clean(lines: list[str]) -> tuple[str | None, list[str]]:
    """(subject, the message's lines with header, trailers and diff blanked and the body unindented);
    (None, lines) unchanged when the text is not a commit."""
    if not is_commit(lines):
        return None, lines
    out = [""] * len(lines)
    body_start = next((i for i, x in enumerate(lines) if i and not x.strip()), len(lines))
    end = next((i for i in range(body_start, len(lines)) if _DIFF.match(lines[i])), len(lines))
    body = [x[4:] if x.startswith("    ") else x.strip() for x in lines[body_start:end]]
    subject = next((x.strip() for x in body if x.strip()), None)
    trailers = _trailer_start(body)
    seen_subject = False
    for j, text in enumerate(body[:trailers]):
        if not seen_subject and text.strip():
            seen_subject = True  # the subject is the title, set by the caller
            continue
        out[body_start + j] = "" if _REVERTS.match(text.strip()) else text
    return subject, state_items(out)
