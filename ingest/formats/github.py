"""GitHub issues (REST API JSON or ``gh issue view --json ...``) -> Markdown.

The issue body already is Markdown; the converter adds the title as the H1 and the facts as front
matter: number, state, labels as tags, the created date, and the postmortem / runbook / ADR kind
when a label says so. Both spellings are read: the API's ``created_at``, ``html_url`` and label
objects, and gh's ``createdAt``, ``url``. Comments (``gh ... --json comments``) follow the body
under a "Comments" heading, one sub-heading per author and date, so a decision or action item
written in a comment is found and cited to it.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.formats.base import Converted, one_line, with_front_matter
from kb.errors import DocumentError

_KIND_LABELS = (
    (re.compile(r"post-?mortem|incident|outage|retro|pir\b|rca\b", re.I), "postmortem"),
    (re.compile(r"runbook|playbook|sop\b", re.I), "runbook"),
    (re.compile(r"\badr\b|decision|rfc\b", re.I), "adr"),
)


def is_issue(value: Any) -> bool:
    """An issue of the API (``number``, ``title``, ``body``) or of ``gh issue view --json``."""
    if not isinstance(value, dict) or not isinstance(value.get("title"), str):
        return False
    if "fields" in value:  # a Jira issue
        return False
    url = str(value.get("html_url") or value.get("url") or "")
    return "body" in value and ("number" in value or "github.com" in url or "labels" in value)


def _labels(value: Any) -> list[str]:
    out = []
    for label in value or []:
        name = label.get("name") if isinstance(label, dict) else label
        if isinstance(name, str) and name.strip():
            out.append(one_line(name))
    return out


def _comments(value: Any) -> list[str]:
    if isinstance(value, dict):  # gh: {"comments": {"nodes": [...]}} in some versions
        value = value.get("nodes")
    if not isinstance(value, list):
        return []
    out: list[str] = []
    for c in value:
        if not isinstance(c, dict) or not str(c.get("body") or "").strip():
            continue
        author = c.get("author") or c.get("user") or {}
        who = one_line(author.get("login", "")) if isinstance(author, dict) else ""
        when = str(c.get("createdAt") or c.get("created_at") or "")[:10]
        heading = " ".join(x for x in (who, when) if x) or "comment"
        out += [f"### {heading}", "", str(c["body"]).strip(), ""]
    return out


def issue_to_markdown(issue: dict[str, Any], *, path: str) -> Converted:
    title = one_line(issue.get("title") or "")
    body = str(issue.get("body") or "").replace("\r\n", "\n")
    if not title and not body.strip():
        raise DocumentError("the GitHub issue has neither a title nor a body", path=path)
    labels = _labels(issue.get("labels"))
    kind = next((k for pat, k in _KIND_LABELS for lab in labels if pat.search(lab)), None)
    fm = {
        "title": title,
        "kind": kind,
        "date": str(issue.get("created_at") or issue.get("createdAt") or "")[:10] or None,
        "tags": labels,
    }
    # The body's own H1s would compete with the title: push them one level down.
    body = re.sub(r"^(#{1,5})(\s)", r"#\1\2", body, flags=re.M) if re.search(r"^# ", body, re.M) else body
    comments = _comments(issue.get("comments"))
    text = f"# {title}\n\n{body.strip()}\n"
    if comments:
        text += "\n## Comments\n\n" + "\n".join(comments)
    meta: dict[str, Any] = {"format": "github-issue"}
    if issue.get("number") is not None:
        meta["issue_number"] = issue["number"]
    url = issue.get("html_url") or issue.get("url")
    if isinstance(url, str) and url.startswith("https://"):
        meta["source_url"] = url
    if isinstance(issue.get("state"), str):
        meta["issue_state"] = issue["state"].lower()
    return Converted(with_front_matter(fm, text), meta)
