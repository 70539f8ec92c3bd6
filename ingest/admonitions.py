"""Admonitions and content tabs of Markdown dialects, unfolded into plain Markdown.

MkDocs Material (Backstage TechDocs) writes a warning as ``!!! danger "Title"`` (``???`` when
collapsible) with its body indented four spaces, and alternative ways to do a step as content
tabs (``=== "kafka CLI"``, body indented); Docusaurus writes ``:::caution Title`` ... ``:::``.
CommonMark reads an indented body as a code block, so the rules and steps inside were lost. Each
admonition becomes a block quote of its body (a warning stays a quoted warning); a tab's body is
dedented in place (its label, like an admonition's title, names the block and is left out). Every
line keeps its number: markers become blank lines.
"""

from __future__ import annotations

import re

_ADMONITION = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+\"[^\"]*\")?[ \t]*$")
_CONTENT_TAB = re.compile(r"^(?P<indent>[ \t]*)===\+?[ \t]+\"[^\"]*\"[ \t]*$")
_FENCED_OPEN = re.compile(
    r"^(?P<indent>[ \t]*):::[ \t]*(?:note|tip|info|caution|danger|warning|important)\b.*$", re.I
)
_FENCED_CLOSE = re.compile(r"^[ \t]*:::[ \t]*$")
_CODE_FENCE = re.compile(r"^[ \t]*(?:```|~~~)")
BODY_INDENT = 4


def _indent_of(line: str) -> int:
    expanded = line.expandtabs(BODY_INDENT)
    return len(expanded) - len(expanded.lstrip(" "))


def _body_end(lines: list[str], start: int, width: int) -> int:
    """Index after the last line indented at least ``width`` from ``start`` on (blank lines inside)."""
    end = start
    for j in range(start, len(lines)):
        if not lines[j].strip():
            continue
        if _indent_of(lines[j]) < width:
            break
        end = j + 1
    return end


def _unfold(lines: list[str]) -> list[str]:
    out: list[str] = []
    in_code = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _CODE_FENCE.match(line):
            in_code = not in_code
        if in_code or _CODE_FENCE.match(line):
            out.append(line)
            i += 1
            continue
        indented = _ADMONITION.match(line) or _CONTENT_TAB.match(line)
        fenced = _FENCED_OPEN.match(line)
        if not (indented or fenced):
            out.append(line)
            i += 1
            continue
        m = indented or fenced
        assert m is not None
        indent = m.group("indent")
        quote = "> " if (indented and indented.re is _ADMONITION) or fenced else ""
        if indented:
            end = _body_end(lines, i + 1, _indent_of(line) + BODY_INDENT)
            body = [ln.expandtabs(BODY_INDENT)[_indent_of(line) + BODY_INDENT :] for ln in lines[i + 1 : end]]
        else:
            end = next((j for j in range(i + 1, len(lines)) if _FENCED_CLOSE.match(lines[j])), len(lines))
            body = [ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1 : end]]
        out.append("")
        out += [
            f"{indent}{quote}{b}".rstrip() if b.strip() else (f"{indent}>" if quote else "")
            for b in _unfold(body)
        ]
        if fenced and end < len(lines):
            out.append("")  # the closing ":::"
            end += 1
        i = end
    return out


def unfold_admonitions(body: str) -> str:
    """``body`` with admonitions as block quotes and content tabs dedented, line for line."""
    if not any(mark in body for mark in ("!!!", "???", '=== "', ":::")):
        return body
    return "\n".join(_unfold(body.split("\n")))


__all__ = ["unfold_admonitions"]
