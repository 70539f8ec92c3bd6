"""An automation runbook written as YAML (an AWS Systems Manager Automation or Command document).

Such a document is a runbook a machine runs: its top-level ``description`` is Markdown (Systems
Manager renders it) and holds the rules for running it, and each step of ``mainSteps`` says in its
own ``description`` what it checks and what to do when it fails. The rest (parameters, API inputs,
embedded scripts) is configuration. Only those prose fields are kept: the document description as
it is, the step descriptions as the items of a "Steps" list, each on the line it stands on in the
file (lessons cite the file's lines); every other line is left blank.

Other YAML (CI pipelines, Kubernetes manifests, Compose files) holds no prose to read and is not
a document: :func:`is_automation` tells them apart by shape.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.formats.base import Converted
from ingest.vocabulary import IMPERATIVE_VERBS

_KEY = re.compile(r"^(?P<indent>\s*)(?P<item>-\s+)?(?P<key>[A-Za-z_][\w-]*):(?:\s+(?P<value>.*))?$")
_BLOCK_SCALAR = re.compile(r"^[|>][+-]?\d?\s*$")
_STEP_LISTS = ("mainSteps", "steps")


def is_automation(value: Any) -> bool:
    """A Systems Manager document: a schema version and a list of steps that are mappings."""
    if not isinstance(value, dict) or "schemaVersion" not in value:
        return False
    steps: list[Any] = next((value[k] for k in _STEP_LISTS if isinstance(value.get(k), list)), [])
    return bool(steps) and all(isinstance(s, dict) and "action" in s for s in steps)


def _unquote(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1].replace("''", "'") if v[0] == "'" else v[1:-1]
    return v


def _base_form(word: str) -> str | None:
    """ "Takes" -> "take", "Verifies" -> "verify", "Pushes" -> "push"; None when not a verb in -s."""
    low = word.lower()
    if not re.fullmatch(r"[a-z]{3,}s", low) or low.endswith(("ss", "us", "is")):
        return None
    if low.endswith("ies"):
        return low[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return low[:-2]
    return low[:-1]


def _step_action(text: str) -> str:
    """ "Takes a manual snapshot before ..." -> "Take a manual snapshot before ...": a step's
    description says what the step does; as a runbook step it is what to do. A step description
    opens with its verb, so a first word in -s is that verb in the third person."""
    first, _, rest = text.partition(" ")
    base = _base_form(first)
    if base is None or (first.lower() not in IMPERATIVE_VERBS and not rest):
        return text
    return f"{base.capitalize()} {rest}".rstrip()


def _block(lines: list[str], start: int, indent: int) -> list[int]:
    """The lines of a block scalar after line ``start`` (more indented than its key, or blank)."""
    out: list[int] = []
    i = start + 1
    while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
        out.append(i)
        i += 1
    while out and not lines[out[-1]].strip():
        out.pop()
    return out


def _field(lines: list[str], i: int, indent: int, value: str) -> list[tuple[int, str]]:
    """(line, text) of one string field: its value on the key's line, or its block's lines."""
    if not _BLOCK_SCALAR.match(value):
        return [(i, _unquote(value))]
    body = _block(lines, i, indent)
    if not body:
        return []
    margin = min(len(lines[j]) - len(lines[j].lstrip()) for j in body if lines[j].strip())
    return [(j, lines[j][margin:]) for j in body]


def to_markdown(text: str) -> str:
    """The document's description and its steps' descriptions as Markdown, one line per line."""
    lines = text.replace("\r\n", "\n").split("\n")
    out = [""] * len(lines)
    step_indent: int | None = None
    for i, line in enumerate(lines):
        found = _KEY.match(line)
        if found is None:
            continue
        indent = len(found.group("indent")) + (len(found.group("item")) if found.group("item") else 0)
        key, value = found.group("key"), found.group("value") or ""
        if indent == 0 and not found.group("item"):
            step_indent = None
            if key in _STEP_LISTS:
                out[i], step_indent = "## Steps", -1
            elif key == "description" and value:
                for j, t in _field(lines, i, 0, value):
                    out[j] = t
        elif key == "description" and step_indent is not None and value:
            parts = _field(lines, i, indent, value)
            for n, (j, t) in enumerate(parts):
                out[j] = f"- {_step_action(t.strip())}" if n == 0 else f"  {t.strip()}"
    return "\n".join(out)


def convert(text: str) -> Converted:
    return Converted(to_markdown(text), {"format": "ssm-automation", "line_basis": "source"})
