"""Jira issues -> Markdown: Atlassian Document Format (REST API v3) and wiki markup (API v2).

An issue (``{"key": ..., "fields": {...}}``) becomes one document: the key and summary as its
title, the created date, components as services, labels as tags, an incident or post-incident
review issue type as the postmortem kind, and the description (ADF JSON or wiki markup) as its
body. A search result (``{"issues": [...]}``) is split into one document per issue by the registry.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.budget import check
from ingest.formats.base import MAX_DEPTH, Converted, as_dict, as_list, one_line, with_front_matter
from kb.errors import DocumentError

_PANEL_LABELS = {"info": "Info", "note": "Note", "warning": "Warning", "error": "Warning", "success": "Note"}
_POSTMORTEM_TYPES = re.compile(r"post[- ]?incident|post[- ]?mortem|incident|retro|\bpir\b|root cause", re.I)


# --- Atlassian Document Format --------------------------------------------------------------------


def _inline(nodes: list[Any], depth: int) -> str:
    out = []
    for node in nodes:
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        attrs = as_dict(node.get("attrs"))
        if kind == "text":
            text = str(node.get("text", ""))
            for mark in node.get("marks") or []:
                mtype = mark.get("type") if isinstance(mark, dict) else None
                if mtype == "strong":
                    text = f"**{text}**"
                elif mtype == "em":
                    text = f"*{text}*"
                elif mtype == "code":
                    text = f"`{text}`"
                elif mtype == "strike":
                    text = f"~~{text}~~"
                elif mtype == "link":
                    href = str(as_dict(mark.get("attrs")).get("href", ""))
                    text = f"[{text}]({href})" if href else text
            out.append(text)
        elif kind == "hardBreak":
            out.append(" ")
        elif kind in ("mention", "emoji", "status", "placeholder"):
            out.append(str(attrs.get("text") or attrs.get("shortName") or ""))
        elif kind in ("inlineCard", "blockCard"):
            out.append(str(attrs.get("url", "")))
        elif kind == "date":
            out.append(str(attrs.get("timestamp", "")))
        elif as_list(node.get("content")):
            out.append(_inline(as_list(node.get("content")), depth + 1))
    return "".join(out)


def _blocks(nodes: list[Any], depth: int, indent: str = "") -> list[str]:
    if depth > MAX_DEPTH:
        raise DocumentError(f"the document is nested more than {MAX_DEPTH} levels deep")
    out: list[str] = []
    for node in nodes:
        check()
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        content = as_list(node.get("content"))
        attrs = as_dict(node.get("attrs"))
        if kind == "paragraph":
            out += [indent + _inline(content, depth), ""]
        elif kind == "heading":
            level = min(max(int(attrs.get("level", 2) or 2), 1), 6)
            out += ["#" * level + " " + _inline(content, depth), ""]
        elif kind in ("bulletList", "orderedList", "taskList"):
            for i, item in enumerate(content):
                if not isinstance(item, dict):
                    continue
                marker = f"{i + 1}." if kind == "orderedList" else "-"
                if item.get("type") == "taskItem":
                    done = str(as_dict(item.get("attrs")).get("state", "")).upper() == "DONE"
                    text = _inline(as_list(item.get("content")), depth + 1)
                    out.append(f"{indent}- [{'x' if done else ' '}] {text}")
                    continue
                inner = _blocks(as_list(item.get("content")), depth + 1, indent + "  ")
                lines = [ln for ln in inner if ln.strip()]
                if lines:
                    out.append(f"{indent}{marker} {lines[0].strip()}")
                    out += lines[1:]
            out.append("")
        elif kind == "codeBlock":
            out += ["```", "".join(str(t.get("text", "")) for t in content if isinstance(t, dict)), "```", ""]
        elif kind == "blockquote":
            out += ["> " + ln if ln else ">" for ln in _blocks(content, depth + 1)] + [""]
        elif kind == "panel":
            label = _PANEL_LABELS.get(str(attrs.get("panelType", "info")), "Note")
            inner = [ln for ln in _blocks(content, depth + 1) if ln.strip()]
            if inner:
                out += [f"> **{label}:** {inner[0]}", *(f"> {ln}" for ln in inner[1:]), ""]
        elif kind == "expand" or kind == "nestedExpand" or kind == "layoutSection" or kind == "layoutColumn":
            if attrs.get("title"):
                out += [f"**{attrs['title']}**", ""]
            out += _blocks(content, depth + 1, indent)
        elif kind == "table":
            out += [*_table(content, depth), ""]
        elif kind == "rule":
            out += ["---", ""]
        elif kind in ("mediaSingle", "mediaGroup", "media", "extension", "bodiedExtension"):
            continue
        elif content:
            out += _blocks(content, depth + 1, indent)
    return out


def _table(rows: list[Any], depth: int) -> list[str]:
    lines = []
    for r, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        cells = []
        for cell in as_list(row.get("content")):
            inner = _blocks(as_list(cell.get("content")), depth + 1) if isinstance(cell, dict) else []
            cells.append(" ".join(ln.strip() for ln in inner if ln.strip()).replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
        if r == 0:
            lines.append("|" + " --- |" * len(cells))
    return lines


def adf_to_markdown(doc: Any) -> str:
    if not isinstance(doc, dict) or doc.get("type") != "doc":
        return ""
    return "\n".join(_blocks(as_list(doc.get("content")), 0))


# --- wiki markup (API v2, Jira Server) ------------------------------------------------------------

_WIKI_HEADING = re.compile(r"^h([1-6])\.\s+(.*)$")
_WIKI_LIST = re.compile(r"^([*#-]+)\s+(.*)$")
_WIKI_BLOCK = re.compile(r"^\{(code|noformat)(?::[^}]*)?\}(.*)$")
_WIKI_PANEL = re.compile(r"^\{(panel|info|note|warning|tip|quote)(?::[^}]*)?\}\s*(.*)$")
_WIKI_LINK = re.compile(r"\[([^|\]]+)\|([^\]]+)\]")
_WIKI_BARE_LINK = re.compile(r"\[(https?://[^\]]+)\]")
_WIKI_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_WIKI_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_WIKI_MONO = re.compile(r"\{\{(.+?)\}\}")
_WIKI_COLOR = re.compile(r"\{color(?::[^}]*)?\}")
# Textile's (Redmine's) inline code "@avl-gw@"; an e-mail address has a word before its "@"
_TEXTILE_CODE = re.compile(r"(?<![\w@])@([^@\s](?:[^@\n]*?[^@\s])?)@(?![\w@])")


def _wiki_inline(text: str) -> str:
    text = _WIKI_COLOR.sub("", text)
    text = _WIKI_MONO.sub(r"`\1`", text)
    text = _TEXTILE_CODE.sub(r"`\1`", text)
    text = _WIKI_LINK.sub(r"[\1](\2)", text)
    text = _WIKI_BARE_LINK.sub(r"\1", text)
    text = _WIKI_BOLD.sub(r"**\1**", text)
    text = _WIKI_ITALIC.sub(r"*\1*", text)
    return text.replace("(/)", "✅").replace("(x)", "❌")


def wiki_to_markdown(text: str) -> str:
    """Jira wiki markup -> Markdown, one output line per input line where the markup allows."""
    out: list[str] = []
    in_code: str | None = None
    quote: str | None = None
    header_done = False
    for raw in text.replace("\r\n", "\n").split("\n"):
        check()
        line = raw.rstrip()
        if in_code is not None:
            if line.startswith("{" + in_code):
                in_code = None
                out.append("```")
            else:
                out.append(raw)
            continue
        if bm := _WIKI_BLOCK.match(line):
            in_code = bm.group(1)
            out.append("```")
            if bm.group(2).strip():
                out.append(bm.group(2))
            continue
        if pm := _WIKI_PANEL.match(line):
            if quote is not None and pm.group(1) == quote:
                quote = None
                out.append("")
                continue
            quote = pm.group(1)
            label = "" if quote in ("quote", "panel") else f"**{quote.capitalize()}:** "
            out.append(f"> {label}{_wiki_inline(pm.group(2))}".rstrip())
            continue
        prefix = "> " if quote is not None and line else ""
        if hm := _WIKI_HEADING.match(line):
            out.append("#" * int(hm.group(1)) + " " + _wiki_inline(hm.group(2)))
        elif line.startswith(("||", "|_.")):
            # Jira's "||head||head||" and Textile's (Redmine) "|_. head |_. head |"
            split = "||" if line.startswith("||") else "|"
            cells = [re.sub(r"^_\.\s*", "", c.strip()) for c in line.strip("|").split(split)]
            out.append("| " + " | ".join(_wiki_inline(c) for c in cells) + " |")
            out.append("|" + " --- |" * len(cells))
            header_done = True
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not header_done:
                out.append("| " + " | ".join(" " for _ in cells) + " |")
                out.append("|" + " --- |" * len(cells))
                header_done = True
            out.append("| " + " | ".join(_wiki_inline(c) for c in cells) + " |")
        elif lm := _WIKI_LIST.match(line):
            marks = lm.group(1)
            indent = "  " * (len(marks) - 1)
            bullet = "1." if marks[-1] == "#" else "-"
            out.append(f"{prefix}{indent}{bullet} {_wiki_inline(lm.group(2))}")
        elif line.strip() == "----":
            out.append("---")
        else:
            header_done = header_done and bool(line)
            out.append(prefix + _wiki_inline(line))
    if in_code is not None:
        out.append("```")
    return "\n".join(out)


# --- issues ---------------------------------------------------------------------------------------


def is_issue(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("fields"), dict) and "key" in value


def issue_to_markdown(issue: dict[str, Any], *, path: str) -> Converted:
    fields = issue["fields"]
    key = one_line(issue.get("key", ""))
    summary = one_line(fields.get("summary") or "")
    if not summary and not fields.get("description"):
        raise DocumentError("the Jira issue has neither a summary nor a description", path=path)
    description = fields.get("description")
    if isinstance(description, dict):
        body, markup = adf_to_markdown(description), "adf"
    elif isinstance(description, str):
        body, markup = wiki_to_markdown(description), "wiki"
    else:
        body, markup = "", "none"
    issue_type = (
        one_line((fields.get("issuetype") or {}).get("name", ""))
        if isinstance(fields.get("issuetype"), dict)
        else ""
    )
    status = fields.get("status")
    components = [one_line(c.get("name")) for c in fields.get("components") or [] if isinstance(c, dict)]
    labels = [one_line(x) for x in fields.get("labels") or [] if isinstance(x, str)]
    title = f"{key}: {summary}" if key and summary else (summary or key)
    kind = "postmortem" if issue_type and _POSTMORTEM_TYPES.search(issue_type) else None
    if not kind and any(_POSTMORTEM_TYPES.search(x) for x in labels):
        kind = "postmortem"
    fm = {
        "title": title,
        "kind": kind,
        "date": str(fields.get("created") or "")[:10] or None,
        "services": components,
        "tags": labels,
    }
    markdown = with_front_matter(fm, f"# {title}\n\n{body}")
    meta: dict[str, Any] = {"format": "jira", "jira_markup": markup, "jira_key": key or None}
    if isinstance(status, dict) and status.get("name"):
        meta["jira_status"] = one_line(status["name"])
    if issue_type:
        meta["jira_issue_type"] = issue_type
    return Converted(markdown, {k: v for k, v in meta.items() if v})


def wiki_document(text: str) -> Converted:
    """A bare wiki-markup file (a Jira or Confluence 'wiki' export saved as text)."""
    return Converted(wiki_to_markdown(text), {"format": "jira-wiki", "line_basis": "source"})
