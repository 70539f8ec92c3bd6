"""A Jupyter notebook (``.ipynb``, raw JSON) as Markdown.

Runbooks kept as notebooks say what to do in their Markdown cells and in the comments of their
code cells ("# never Run All: cell 7 writes to production"); the code and its outputs are not
prose. Markdown cells are kept as they are, a code cell's comment lines become a paragraph (the
comment sign off) followed by the code as a fenced block, outputs are left out. A notebook
without a Markdown cell or comment is not a document.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ingest.formats.base import Converted, as_dict, as_list
from kb.errors import DocumentError

_COMMENT = re.compile(r"^\s*#+(?!!)\s?(.*)$")
_LANGUAGES = ("python", "r", "julia", "bash", "sql")


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        return "".join(str(s) for s in src)
    return src if isinstance(src, str) else ""


def _code_cell(src: str, language: str) -> list[str]:
    comments: list[str] = []
    code: list[str] = []
    for line in src.split("\n"):
        found = _COMMENT.match(line)
        if found and found.group(1).strip() and not code:
            comments.append(found.group(1).rstrip())
        elif found and found.group(1).strip():
            comments.append(found.group(1).rstrip())
            code.append(line)
        elif line.strip():
            code.append(line)
    out: list[str] = []
    if comments:
        out += [" ".join(c.strip() for c in comments), ""]
    if code:
        out += [f"```{language}", *code, "```", ""]
    return out


def convert(data: bytes, *, path: str, text: str) -> Converted:
    """The notebook's Markdown cells and code comments as Markdown (see the module's note)."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise DocumentError(f"not a notebook: invalid JSON ({exc})", path=path) from None
    cells = as_list(as_dict(value).get("cells"))
    if not cells:
        raise DocumentError("not a notebook: no 'cells' list", path=path)
    meta = as_dict(as_dict(value).get("metadata"))
    language = str(as_dict(meta.get("language_info")).get("name") or "python").lower()
    language = language if language in _LANGUAGES else ""
    lines: list[str] = []
    prose = False
    for cell in cells:
        cell = as_dict(cell)
        src = _source(cell)
        if cell.get("cell_type") == "markdown":
            lines += [src.strip("\n"), ""]
            prose = prose or bool(src.strip())
        elif cell.get("cell_type") == "code" and src.strip():
            part = _code_cell(src, language)
            prose = prose or (bool(part) and not part[0].startswith("```"))
            lines += part
    if not prose:
        raise DocumentError("the notebook has no Markdown cell or code comment to read", path=path)
    title = as_dict(meta).get("title")
    markdown = "\n".join(lines)
    if isinstance(title, str) and title.strip() and not re.search(r"^# \S", markdown, re.M):
        markdown = f"# {title.strip()}\n\n{markdown}"
    return Converted(markdown, {"format": "notebook"})
