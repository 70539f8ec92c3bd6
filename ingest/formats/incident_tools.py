"""Exports of incident tools -> Markdown: incident.io, FireHydrant and Rootly.

Each tool has its own JSON; the shapes read here are those of their public APIs' incident and
retrospective objects (only the fields named below are used, the rest is ignored):

- incident.io: ``{"incident": {"name", "reference", "summary", "severity": {"name"}, "created_at",
  "postmortem": {"content" | "markdown"}}}`` or the same object bare; the postmortem is Markdown.
- FireHydrant: a retrospective report ``{"name" | "incident_name", "summary", "questions":
  [{"title" | "question", "body" | "answer"}], "contributing_factors": [{"summary" | "name"}]}``
  (also under ``"report"``): each question is a section, the factors a "Contributing factors"
  section.
- Rootly: JSON:API ``{"data": {"type": "incidents" | "post_mortems", "attributes": {"title",
  "summary", "content" (HTML or Markdown), "severity", "started_at" | "created_at"}}}``.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.formats.base import Converted, as_dict, one_line, with_front_matter
from kb.errors import DocumentError

_HTMLISH = re.compile(r"<(?:p|h[1-6]|ul|ol|li|div|table|br)\b", re.I)


def _text(value: Any) -> str:
    return str(value).replace("\r\n", "\n").strip() if isinstance(value, str | int | float) else ""


def _severity(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("slug")
    return one_line(value) if isinstance(value, str) and value.strip() else None


def _body(content: str, *, path: str) -> str:
    if _HTMLISH.search(content):
        from ingest.formats.html import html_to_markdown

        return html_to_markdown(content, path=path)
    return content


def tool_of(value: Any) -> str | None:
    """incidentio | firehydrant | rootly for an export of that tool's shape, else None."""
    if not isinstance(value, dict):
        return None
    data = value.get("data")
    if (
        isinstance(data, dict)
        and isinstance(data.get("attributes"), dict)
        and str(data.get("type", ""))
        in ("incidents", "incident", "post_mortems", "post_mortem", "retrospectives")
    ):
        return "rootly"
    inner = as_dict(value.get("report")) or value
    if isinstance(inner.get("questions"), list) or isinstance(inner.get("contributing_factors"), list):
        return "firehydrant"
    incident = as_dict(value.get("incident")) or value
    if (
        isinstance(incident.get("reference"), str)
        and incident["reference"].upper().startswith("INC-")
        and ("name" in incident)
    ):
        return "incidentio"
    if "postmortem_document_url" in incident or isinstance(incident.get("postmortem"), dict):
        return "incidentio"
    return None


def _incidentio(value: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    inc = as_dict(value.get("incident")) or value
    pm = inc.get("postmortem") or value.get("postmortem") or {}
    content = ""
    if isinstance(pm, dict):
        content = _text(pm.get("content") or pm.get("markdown") or pm.get("body"))
    elif isinstance(pm, str):
        content = _text(pm)
    content = content or _text(value.get("postmortem_markdown"))
    ref = one_line(inc.get("reference") or "")
    name = one_line(inc.get("name") or "")
    title = f"{ref}: {name}" if ref and name else name or ref
    parts = [f"# {title}", ""]
    if _text(inc.get("summary")) and not re.search(r"^#+\s*summary", content, re.I | re.M):
        parts += ["## Summary", "", _text(inc["summary"]), ""]
    if content:
        content = (
            re.sub(r"^(#{1,5})(\s)", r"#\1\2", content, flags=re.M)
            if re.search(r"^# ", content, re.M)
            else content
        )
        parts.append(_body(content, path=path))
    fm = {
        "title": title,
        "kind": "postmortem",
        "severity": _severity(inc.get("severity")),
        "date": str(inc.get("created_at") or "")[:10] or None,
    }
    return fm, "\n".join(parts)


def _firehydrant(value: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    rep = as_dict(value.get("report")) or value
    title = one_line(rep.get("name") or rep.get("incident_name") or value.get("name") or "Retrospective")
    parts = [f"# {title}", ""]
    if _text(rep.get("summary")):
        parts += ["## Summary", "", _text(rep["summary"]), ""]
    for q in rep.get("questions") or []:
        if not isinstance(q, dict):
            continue
        question = one_line(q.get("title") or q.get("question") or "")
        answer = _text(q.get("body") or q.get("answer") or q.get("value"))
        if question and answer:
            parts += [f"## {question}", "", _body(answer, path=path), ""]
    factors = [
        one_line(f.get("summary") or f.get("name") or "") if isinstance(f, dict) else one_line(f)
        for f in rep.get("contributing_factors") or []
    ]
    if any(factors):
        parts += ["## Contributing factors", "", *(f"- {f}" for f in factors if f), ""]
    tasks = rep.get("tasks") or rep.get("action_items") or []
    items = []
    for t in tasks if isinstance(tasks, list) else []:
        if isinstance(t, dict) and (t.get("title") or t.get("summary")):
            done = str(t.get("state") or t.get("status") or "").lower() in ("done", "completed", "resolved")
            items.append(f"- [{'x' if done else ' '}] {one_line(t.get('title') or t.get('summary'))}")
    if items:
        parts += ["## Action items", "", *items, ""]
    fm = {
        "title": title,
        "kind": "postmortem",
        "severity": _severity(rep.get("severity")),
        "date": str(rep.get("started_at") or rep.get("created_at") or "")[:10] or None,
    }
    return fm, "\n".join(parts)


def _rootly(value: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    attrs = as_dict(as_dict(value.get("data")).get("attributes"))
    title = one_line(attrs.get("title") or attrs.get("name") or "Incident")
    parts = [f"# {title}", ""]
    content = _text(attrs.get("content") or attrs.get("retrospective") or attrs.get("body"))
    if _text(attrs.get("summary")) and not re.search(r"summary", content[:500], re.I):
        parts += ["## Summary", "", _text(attrs["summary"]), ""]
    if content:
        parts.append(_body(content, path=path))
    fm = {
        "title": title,
        "kind": "postmortem",
        "severity": _severity(attrs.get("severity")),
        "date": str(attrs.get("started_at") or attrs.get("created_at") or "")[:10] or None,
    }
    return fm, "\n".join(parts)


def convert(value: dict[str, Any], *, tool: str, path: str) -> Converted:
    builders = {"incidentio": _incidentio, "firehydrant": _firehydrant, "rootly": _rootly}
    fm, body = builders[tool](value, path)
    if len(body.split()) < 4:
        raise DocumentError(f"the {tool} export has no postmortem text", path=path)
    return Converted(with_front_matter(fm, body), {"format": tool})
