"""An e-mail saved as a file (``.eml``, RFC 5322) as Markdown.

A mail client saves the whole message: transport headers (``Return-Path``, ``Received`` with its
folded continuation lines, ``MIME-Version``, ``Content-Type``) above the body. Those headers are
not part of what the writer said, so they are dropped and the Subject becomes the title; the body
is then read like any plain-text document, its section lines made headings and its lists kept.
A body sent as-is (7bit or 8bit text) keeps each line on its line, so lessons cite the file's own
line numbers; an encoded body (quoted-printable, base64) or a multipart message is decoded first,
its text part preferred, its HTML part converted otherwise.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

from ingest.formats import plain_text
from ingest.formats.base import Converted

# a header line ("Name: value") or a folded continuation of the one above (leading whitespace)
_HEADER = re.compile(r"^[!-9;-~]+:(?:\s|$)")
_FOLDED = re.compile(r"^[ \t]+\S")
# encodings that leave the body's text and lines as they are in the file
_IDENTITY = ("", "7bit", "8bit", "binary")
# the signature delimiter ("-- ") and a closing paragraph of thanks before the writer's name
_SIGNATURE = re.compile(r"^--\s*$")
_THANKS = re.compile(r"^(?:thanks|thank you|many thanks|cheers|best|regards|kind regards)\b", re.I)
_NAME_WORDS = 3


def header_lines(lines: list[str]) -> int:
    """How many lines the header block at the top takes (0 when the text does not open with one)."""
    n = 0
    while n < len(lines) and (_HEADER.match(lines[n]) or (n and _FOLDED.match(lines[n]))):
        n += 1
    return n if n >= 2 and (n == len(lines) or not lines[n].strip()) else 0


def sign_off(lines: list[str]) -> int:
    """Where a body's closing starts: the signature, the writer's name over it and a last paragraph
    of thanks, none of them a lesson ("Thanks to support for escalating fast" is no follow-up)."""
    end = next((i for i, line in enumerate(lines) if _SIGNATURE.match(line)), len(lines))
    paragraphs: list[int] = []  # first line of each paragraph before the signature, last first
    for i in range(end - 1, -1, -1):
        if lines[i].strip() and (i == 0 or not lines[i - 1].strip()):
            paragraphs.append(i)
    cut = end
    for start in paragraphs:
        text = " ".join(line.strip() for line in lines[start:cut] if line.strip())
        if len(text.split()) <= _NAME_WORDS and not any(c.isdigit() for c in text):
            cut = start  # the name ("Nneka", "Best, Sam")
            continue
        if _THANKS.match(text):
            cut = start
        break
    return cut


def _decoded_body(message: EmailMessage) -> tuple[str, bool]:
    """(the body's text, whether it is HTML) of a message, decoded from its transfer encoding."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", False
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: the raw payload, decoded leniently
        raw = part.get_payload(decode=True)
        content = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return str(content), part.get_content_subtype() == "html"


def convert(text: str) -> Converted:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    n = header_lines(lines)
    if not n:
        return plain_text.convert(text)
    message = email.message_from_string(text, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    subject = " ".join(str(message.get("subject", "")).split())
    encoding = str(message.get("content-transfer-encoding", "")).strip().lower()
    if not message.is_multipart() and message.get_content_type() == "text/plain" and encoding in _IDENTITY:
        cut = n + sign_off(lines[n:])
        kept = [""] * n + lines[n:cut] + [""] * (len(lines) - cut)
        body = plain_text.to_markdown("\n".join(kept)).split("\n")
        if subject:
            body[0] = f"# {subject}"
        return Converted("\n".join(body), {"format": "email", "line_basis": "source"})
    content, is_html = _decoded_body(message)
    if is_html:
        from ingest.formats import html

        converted = html.convert(content.encode("utf-8"), path="message.html", text=content)
        markdown = converted.markdown
        if subject and not markdown.lstrip().startswith("# "):
            markdown = f"# {subject}\n\n{markdown}"
        return Converted(markdown, {"format": "email"})
    body_lines = content.replace("\r\n", "\n").split("\n")
    markdown = plain_text.to_markdown("\n".join(body_lines[: sign_off(body_lines)]))
    if subject:
        markdown = f"# {subject}\n\n{markdown}"
    return Converted(markdown, {"format": "email"})
