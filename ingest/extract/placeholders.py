"""Blank templates: a document made only of instructions to its future writer gives no record.

An incident template ("Give a summary of what caused the incident.", "Copy these from incident.io
pre-meeting.", "Date: <describe>", "- [ ] ") is no lesson: read as one, its instructions became a
constraint and a follow-up. A document is a blank template when it has text besides headings and
every piece of it is a placeholder (``is_placeholder``): an instruction in italics, a question to
the writer in a quote, an empty item or cell, or a field whose value is only a placeholder token
(``<describe>``, ``TODO``, ``TBD``, ``DD/MM/YYYY``, ``[insert ...]``). One real sentence anywhere
makes it a document.
"""

from __future__ import annotations

import re

from ingest.sections import Block, Outline

# a value left for the writer: "<describe>", "{title of option 1}", "[insert link]", TODO, TBD, a date pattern
_PLACEHOLDER_TOKEN = re.compile(
    r"<[^<>]{1,60}>|\{[^{}]{1,80}\}|\[(?:insert|add|describe|link|your|name|date|todo|tbd)[^\]]{0,60}\]|"
    r"\b(?:TODO|TBD|TBC|FIXME|N/A)\b|\b([A-Z])\1{2,}\b|"
    r"\b(?:DD|MM|YYYY|20xx|HH)(?:[/.: -](?:DD|MM|YYYY|YY|HH|mm|SS))+\b|"
    # an option's argument or a choice left open: 'Good, because', 'Chosen option: "", because'
    r'^(?:""|\s)*,?\s*because\W*$|^(?i:good|bad|neutral),\s*because\W*$',
)
# a line wrapped in emphasis from end to end: "_To be done pre-meeting. Give a summary of ..._"
_EMPHASISED = re.compile(r"^(?:[-*+>]\s+|\d+[.)]\s+)*(?P<m>_|\*)(?!\1).+(?<!\1)(?P=m)$")
# a field label left before its value: "Incident Lead:", "**Owner**:"
_LABEL = re.compile(r"^[^:]{1,40}:\s*")
# what an empty item or cell leaves: a checkbox, dashes, dots
_EMPTY = re.compile(r"^[\s\[\]xX\-–—.…|*_>]*$")


def is_placeholder(block: Block, lines: list[str]) -> bool:
    """Whether a block only holds the place of text to be written."""
    text = block.text.text.strip()
    if block.type == "row":
        return all(_empty_value(c) for c in block.cells)
    if _empty_value(text):
        return True
    if block.in_quote and text.endswith("?"):
        return True  # a question for the writer: "Did the right people get involved quickly?"
    raw = [line.strip() for line in lines[block.line_start - 1 : block.line_end] if line.strip()]
    return bool(raw) and all(_EMPHASISED.match(line) for line in raw)


def _empty_value(text: str) -> bool:
    value = _PLACEHOLDER_TOKEN.sub("", _LABEL.sub("", text.strip(), count=1))
    return bool(_EMPTY.match(value))


def is_blank_template(outline: Outline) -> bool:
    """Whether the document is a template nobody filled in (see the module docstring)."""
    blocks = [b for b in outline.blocks if b.type in ("paragraph", "item", "row", "code")]
    return bool(blocks) and all(b.type != "code" and is_placeholder(b, outline.lines) for b in blocks)
