"""Split YAML (or Hugo TOML) front matter off a Markdown document.

The body is returned together with the number of lines that preceded it, so that
line numbers computed on the body can be mapped back to the original file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

from ingest.budget import load_yaml
from kb.errors import DocumentError

_YAML_FENCE = re.compile(r"^---[ \t]*$")
_YAML_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")
_ERB_TAG = re.compile(r"<%.*?%>", re.DOTALL)
_ERB_TITLE = re.compile(r"<%=\s*current_page\.data\.title\s*%>")


@dataclass(slots=True)
class FrontMatter:
    """Front matter mapping plus the body that follows it."""

    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    offset: int = 0  # number of original lines before the first body line


def _yaml_error_detail(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        # +2: the mark is 0-based and relative to the first line after the opening fence
        return f"{problem} (line {mark.line + 2})"
    return str(problem)


def _jsonable(value: Any) -> Any:
    """Turn YAML scalars (dates, datetimes...) into JSON-serialisable values."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def strip_erb(text: str, title: str | None = None) -> str:
    """Remove ERB tags while preserving line numbering.

    A ``<%= current_page.data.title %>`` tag is replaced by the front matter title when known.
    """
    if "<%" not in text:
        return text
    if title:
        text = _ERB_TITLE.sub(lambda _m: title.replace("\n", " "), text)
    return _ERB_TAG.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def split_front_matter(text: str, *, path: str) -> FrontMatter:
    """Split ``text`` into front matter and body.

    Raises :class:`DocumentError` when a closed front matter block is not valid YAML
    or is not a mapping.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines:
        return FrontMatter(body=text)
    first = lines[0].rstrip("\r")
    is_yaml = bool(_YAML_FENCE.match(first))
    is_toml = bool(_TOML_FENCE.match(first))
    if not (is_yaml or is_toml):
        return FrontMatter(body=text)
    end_re = _YAML_END if is_yaml else _TOML_FENCE
    end = None
    for i in range(1, len(lines)):
        if end_re.match(lines[i].rstrip("\r")):
            end = i
            break
    if end is None:
        # An opening rule with no closing fence: not front matter, just a thematic break.
        return FrontMatter(body=text)
    raw = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    offset = end + 1
    if not raw.strip():
        return FrontMatter(body=body, offset=offset)
    data: Any
    if is_yaml:
        try:
            data = load_yaml(raw, path=path)
        except yaml.YAMLError as exc:
            raise DocumentError(
                f"front matter is not valid YAML: {_yaml_error_detail(exc)}", path=path
            ) from exc
    else:
        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            raise DocumentError(f"front matter is not valid TOML: {exc}", path=path) from exc
        except RecursionError:
            raise DocumentError("front matter refused: TOML nested too deeply", path=path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(
            f"front matter must be a mapping of keys to values, got {type(data).__name__}", path=path
        )
    return FrontMatter(data=_jsonable(data), body=body, offset=offset)
