"""A decision record kept as a YAML entry of an ADR register (``adr-register/*.yaml``).

Some teams keep their ADRs as data: one YAML file per decision, with ``title``, ``status``,
``context``, ``decision``, ``consequences`` and often ``options``, ``rules`` and ``actions`` keys,
and generate the portal page from it. Such an entry becomes the Markdown of an ADR: the title the
H1, each prose key a section named after the key ("Decision", "Consequences"), a string a
paragraph, a list of strings a bullet list, a mapping of lists sub-sections ("Consequences /
Negative"), and a list of mappings with a task-like key (``task``, ``action``) a task list whose
state (``done``, ``open``) becomes its box. Scalar metadata (id, date, status, deciders) goes to
the front matter.

:func:`is_register_entry` tells such an entry from other YAML (pipelines, manifests): a title or
id, and a ``decision`` (or ``context`` and ``consequences``) of prose.
"""

from __future__ import annotations

from typing import Any

from ingest.formats.base import Converted, one_line, with_front_matter

_TITLE_KEYS = ("title", "name", "summary")
_PROSE_KEYS = ("decision", "context", "consequences", "problem", "outcome", "rationale")
_META_KEYS = ("id", "status", "date", "deciders", "consulted", "supersedes", "superseded_by", "tags")
_TASK_KEYS = ("task", "action", "item", "todo")
_NAME_KEYS = ("name", "title", "option")
_DONE_STATES = frozenset(("done", "closed", "complete", "completed", "resolved", "fixed", "finished"))
_MAX_DEPTH = 4


def is_register_entry(value: Any) -> bool:
    """A decision record as YAML: a title or id and a prose decision (or context and consequences)."""
    if not isinstance(value, dict):
        return False
    keys = {str(k).lower() for k in value}
    titled = bool(keys & {"title", "id", "name"})
    prose = "decision" in keys or {"context", "consequences"} <= keys
    return titled and prose


def _label(key: Any) -> str:
    return str(key).replace("_", " ").replace("-", " ").strip().capitalize()


def _task(item: dict[str, Any]) -> str | None:
    lowered = {str(k).lower(): v for k, v in item.items()}
    text = next((lowered[k] for k in _TASK_KEYS if isinstance(lowered.get(k), str)), None)
    if text is None:
        return None
    state = str(lowered.get("state") or lowered.get("status") or "").lower()
    box = "[x]" if state in _DONE_STATES else "[ ]"
    owner = lowered.get("owner")
    return f"- {box} {one_line(text)}" + (f" (owner: {one_line(owner)})" if owner else "")


def _named(item: dict[str, Any]) -> str:
    """An option or other record: its name, then its other scalar fields as "key: value"."""
    lowered = {str(k).lower(): v for k, v in item.items()}
    name = next((lowered[k] for k in _NAME_KEYS if isinstance(lowered.get(k), str)), "")
    rest = [
        f"{_label(k)}: {one_line(v)}"
        for k, v in lowered.items()
        if k not in _NAME_KEYS and isinstance(v, (str, int, float)) and str(v).strip()
    ]
    head = one_line(name)
    return f"- {head}" + (f" ({'; '.join(rest)})" if rest else "") if head else f"- {'; '.join(rest)}"


def _body(value: Any, level: int, depth: int = 0) -> list[str]:
    """The Markdown lines of one key's value, sub-sections at heading ``level``."""
    if depth > _MAX_DEPTH:
        return []
    if isinstance(value, str):
        return [value.strip(), ""]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value), ""]
    if isinstance(value, list):
        lines: list[str] = []
        for item in value:
            if isinstance(item, dict):
                lines.append(_task(item) or _named(item))
            elif isinstance(item, (str, int, float)):
                lines.append(f"- {one_line(item)}")
        return [*lines, ""]
    if isinstance(value, dict):
        lines = []
        for key, sub in value.items():
            lines += [f"{'#' * min(level, 6)} {_label(key)}", "", *_body(sub, level + 1, depth + 1)]
        return lines
    return []


def convert(value: dict[str, Any]) -> Converted:
    """The Markdown of one register entry (see the module's note)."""
    lowered = {str(k).lower(): v for k, v in value.items()}
    title = next((one_line(lowered[k]) for k in _TITLE_KEYS if isinstance(lowered.get(k), str)), "")
    ident = lowered.get("id")
    if not title:
        title = one_line(ident or "Decision record")
    elif ident and str(ident) not in title:
        title = f"{one_line(ident)}: {title}"
    fields: dict[str, Any] = {"title": title, "kind": "adr"}
    lines = [f"# {title}", ""]
    for key, sub in value.items():
        low = str(key).lower()
        if low in _TITLE_KEYS[:1] or (low in _TITLE_KEYS and one_line(sub) in title):
            continue
        if low in _META_KEYS and not (low == "status" and isinstance(sub, (dict, list))):
            if isinstance(sub, (str, int, float, list)):
                fields.setdefault(low, sub if not isinstance(sub, list) else [one_line(s) for s in sub])
            continue
        body = _body(sub, 3)
        if not any(line.strip() for line in body):
            continue
        if isinstance(sub, (str, int, float)) and low not in _PROSE_KEYS and len(str(sub).split()) < 4:
            fields.setdefault(low, str(sub))  # a short scalar is metadata ("review_by: 2027-11-30")
            continue
        lines += [f"## {_label(key)}", "", *body]
    fields = {k: (str(v) if not isinstance(v, (list, str)) else v) for k, v in fields.items()}
    return Converted(with_front_matter(fields, "\n".join(lines)), {"format": "adr-register"})
