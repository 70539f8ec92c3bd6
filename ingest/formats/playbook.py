"""A runbook kept as an Ansible playbook, read as a script's comments are.

A playbook is a list of plays, each naming the ``hosts`` it runs on and its ``tasks`` (or
``pre_tasks``, ``post_tasks``, ``handlers``, ``roles``). When a team keeps a runbook as the
playbook that runs it, each task's ``name:`` is a step ("Drain the node before patching it"), the
header comment holds the owner and the standing rules, a comment inside a task says what to check
or not to do there, and ``TODO``/``DONE`` comments track the work owed. The YAML around them is
configuration.

The playbook is turned into the script form :mod:`ingest.formats.script_comments` reads: each task
name becomes a comment "Step N. <name>" followed by that task's own comments, every other line of
YAML a code line; so it is read as a document only when its comments and task names are prose of
some length (:func:`script_comments.is_runbook`). Other YAML stays skipped (see
:func:`is_playbook`).
"""

from __future__ import annotations

import re
from typing import Any

from ingest.formats import script_comments
from ingest.formats.base import Converted

_TASK_LISTS = ("pre_tasks", "tasks", "post_tasks", "handlers")
_PLAY_KEYS = (*_TASK_LISTS, "roles", "import_playbook")
# "- name: Step 3 - Put the node ...", "  - name: 'Drain the node'"
_TASK_NAME = re.compile(r"^(?P<indent>\s*)-\s+name:\s*(?P<name>.+?)\s*$")
_COMMENT_LINE = re.compile(r"^\s*#")
# a step number the author wrote into the name ("Step 3 - ", "03. ", "3) ")
_NUMBERED = re.compile(r"^(?:step\s*)?\d{1,2}\s*[-.:)—–]\s*", re.I)


def is_playbook(value: Any) -> bool:
    """A list of plays, each a mapping with ``hosts`` and tasks (or roles) to run there."""
    if not isinstance(value, list) or not value:
        return False
    plays = [p for p in value if isinstance(p, dict)]
    if len(plays) != len(value):
        return False
    return all(
        ("hosts" in p and any(k in p for k in _PLAY_KEYS)) or "import_playbook" in p for p in plays
    ) and any("hosts" in p for p in plays)


def _unquote(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return v


def as_script(text: str) -> str:
    """The playbook as a script whose comments are its runbook: the task names become numbered
    step comments, each followed by its task's comments; other YAML lines are code."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    step = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        found = _TASK_NAME.match(line)
        if found is None or len(found.group("indent")) == 0:
            # a play (a top-level list item) is not a step; its name is not prose of the runbook
            out.append(line if _COMMENT_LINE.match(line) or not line.strip() else "code")
            i += 1
            continue
        step += 1
        name = _NUMBERED.sub("", _unquote(found.group("name")))
        out.append(f"# Step {step}. {name}")
        # the task's body up to the next task or a line no deeper than the task: its comments
        # follow the step, its YAML stays code
        depth = len(found.group("indent"))
        j = i + 1
        comments: list[str] = []
        code: list[str] = []
        while j < len(lines):
            nxt = lines[j]
            if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= depth:
                break
            (comments if _COMMENT_LINE.match(nxt) else code).append(nxt)
            j += 1
        while code and not code[-1].strip():  # blank lines after the task stay between tasks
            code.pop()
            j -= 1
        out += comments
        out += ["code" for _ in code]
        i = j
    return "\n".join(out)


def is_runbook(text: str) -> bool:
    return script_comments.is_runbook(as_script(text))


def convert(text: str) -> Converted:
    return Converted(script_comments.to_markdown(as_script(text)), {"format": "ansible-playbook"})
