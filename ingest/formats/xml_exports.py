"""XML exports of incident and wiki tools: Jira's "Export XML" and Confluence storage format.

- **Jira XML** (an RSS ``<rss><channel><item>`` feed): each item's ``<description>``, text custom
  fields and ``<comments>`` hold HTML, escaped inside the XML. The issue becomes one Markdown
  document: the title the H1, the description as it is, each custom field of prose a section
  named after the field, the comments a "Comments" section; key, type, status, dates and labels
  go to the front matter. Several items in one export are read as sections of one document.
- **Confluence storage format** (``<ac:structured-macro>``, ``<ri:user>``; the page body
  XHTML) is read by the HTML reader, which already unwraps Confluence macros and task lists.

The XML is parsed by the standard library's expat without a DTD: a document type declaration
(the way to declare entities, and so to expand or fetch them) is refused before parsing, so no
external entity is ever resolved and no entity can blow up.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ingest.formats.base import Converted, check_growth, one_line
from kb.errors import DocumentError

_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.I)
_JIRA = re.compile(r"<rss\b[^>]*>.*?<item>", re.S)
_CONFLUENCE = re.compile(r"<(?:ac|ri):[\w-]+", re.S)
_FIELD_KEYS = ("key", "type", "status", "priority", "resolution", "created", "resolved")
_PROSE_FIELD_WORDS = 4


def kind_of(text: str) -> str | None:
    """``jira-xml``, ``confluence-storage`` or None (XML of no known document shape)."""
    head = text[:200_000]
    if _JIRA.search(head) and "<description" in head:
        return "jira-xml"
    if _CONFLUENCE.search(head) and re.search(r"<(?:p|h[1-6]|table|ul|ol)\b", head):
        return "confluence-storage"
    return None


def _parse(text: str, *, path: str) -> ET.Element:
    if _DOCTYPE.search(text[:100_000]):
        raise DocumentError("XML with a document type declaration (DTD, entities) is refused", path=path)
    try:
        return ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise DocumentError(f"not well-formed XML: {exc}", path=path) from None


def _child_text(el: ET.Element, tag: str) -> str:
    found = el.find(tag)
    return "".join(found.itertext()).strip() if found is not None else ""


def _field(name: str, html: str) -> str:
    return f"<h2>{name}</h2>\n{html}\n" if html.strip() else ""


def _item_html(item: ET.Element, *, level_one: bool) -> tuple[str, dict[str, Any]]:
    title = one_line(_child_text(item, "title"))
    meta: dict[str, Any] = {k: one_line(_child_text(item, k)) for k in _FIELD_KEYS}
    labels = [one_line("".join(x.itertext())) for x in item.findall("labels/label")]
    meta["labels"] = [x for x in labels if x]
    parts = [f"<h1>{_escape(title)}</h1>" if level_one else f"<h2>{_escape(title)}</h2>"]
    parts.append(_child_text(item, "description"))
    environment = _child_text(item, "environment")
    if len(environment.split()) >= _PROSE_FIELD_WORDS:
        parts.append(_field("Environment", environment))
    for custom in item.findall("customfields/customfield"):
        name = one_line(_child_text(custom, "customfieldname"))
        values = ["".join(v.itertext()).strip() for v in custom.findall("customfieldvalues/customfieldvalue")]
        value = "\n".join(v for v in values if v)
        if name and len(value.split()) >= _PROSE_FIELD_WORDS:
            parts.append(_field(_escape(name), value if "<" in value else f"<p>{_escape(value)}</p>"))
        elif name and value:
            meta.setdefault(name.lower().replace(" ", "_"), one_line(value))
    comments = item.findall("comments/comment")
    if comments:
        parts.append("<h2>Comments</h2>")
        for c in comments:
            who = _escape(c.get("author") or "")
            parts.append(f"<p><em>{who} ({_escape(c.get('created') or '')}):</em></p>")
            parts.append(f"<div>{''.join(c.itertext()).strip()}</div>")
    return "\n".join(parts), meta


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def jira_xml(data: bytes, *, path: str, text: str) -> Converted:
    """A Jira "Export XML" file (see the module's note) as Markdown."""
    from ingest.formats.html import html_to_markdown

    root = _parse(text, path=path)
    items = root.findall("./channel/item") or root.findall(".//item")
    if not items:
        raise DocumentError("Jira XML export without an issue (<item>)", path=path)
    bodies: list[str] = []
    fields: dict[str, Any] = {}
    for item in items:
        html, meta = _item_html(item, level_one=len(items) == 1)
        bodies.append(html)
        if not fields:
            fields = {k: v for k, v in meta.items() if k in (*_FIELD_KEYS, "labels")}
            fields["title"] = one_line(_child_text(item, "title"))
    if len(items) > 1:
        fields["title"] = one_line(_child_text(root, "channel/title")) or "Jira export"
        bodies.insert(0, f"<h1>{_escape(fields['title'])}</h1>")
    extra = {("tags" if k == "labels" else k): v for k, v in fields.items()}
    markdown = html_to_markdown(f"<body>{''.join(bodies)}</body>", path=path, extra=extra)
    return Converted(check_growth(markdown, len(data), path=path), {"format": "jira-xml"})


def confluence_storage(data: bytes, *, path: str, text: str) -> Converted:
    """A Confluence page in storage format, read by the HTML reader (see the module's note)."""
    from ingest.formats.html import html_to_markdown

    if _DOCTYPE.search(text[:100_000]):
        raise DocumentError("XML with a document type declaration (DTD, entities) is refused", path=path)
    body = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    markdown = html_to_markdown(f"<body>{body}</body>", path=path)
    return Converted(
        check_growth(markdown, len(data), path=path), {"format": "html", "generator": "confluence"}
    )
