"""Rules about rotating credentials that name whose password, and how many at once: "Do not change the
password of the user that is currently in use" is not broken by a password set on the standby role of
a pair (the scheme the rule's runbook asks for), and "Do not rotate credentials for more than one
service at a time" is not broken by a rotation that goes over nothing. The rules' words ("password",
"user", "rotate", "credentials") are in any rotation's code; who and how many are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs.code_words import code_only

# "the user that is currently in use", "the active user", "the live role".
_IN_USE: Final = re.compile(
    r"\bpassword\b.*\b(?:user|role|account|login|credential)s?\b.*\b(?:(?:currently\s+)?in\s+use|active|live)\b"
    r"|\b(?:active|live|in-use)\s+(?:user|role|account|login)\b.*\bpassword\b",
    re.IGNORECASE,
)
# A password given a value: YAML/Ansible `password:`, SQL `ALTER USER x WITH PASSWORD`, `PASSWORD '...'`,
# a `\password` or `passwd` command, a client's `set_password(` / `setPassword(`.
_SETS_PASSWORD: Final = re.compile(
    r"^\s*-?\s*[\"']?password[\"']?\s*[:=]|\bwith\s+(?:encrypted\s+)?password\b|\bset_?password\s*\("
    r"|\bpasswd\b|\\password\b",
    re.IGNORECASE,
)
# The user a password is set on, named as the one not in use: the standby, inactive, idle, spare or
# secondary member of a pair.
_OTHER_USER: Final = re.compile(
    r"(?:\b|_)(?:standby|inactive|idle|spare|unused|secondary|dormant)(?:_|-|\b)", re.IGNORECASE
)
_USER_NAMED: Final = re.compile(
    r"^\s*-?\s*[\"']?(?:name|user|username|role|login)[\"']?\s*[:=]|\balter\s+(?:user|role)\b",
    re.IGNORECASE,
)
_WINDOW: Final = 8


def sets_other_users_password(statement: str, added: Iterable[str]) -> bool:
    """A rule against changing the password of the user in use, and added code whose every password
    set is on a user it names as the standby (or inactive, idle, spare) one: within a few lines, the
    name the task or statement gives (`name: "{{ standby_role }}"`, `ALTER ROLE app_standby`)."""
    if not _IN_USE.search(statement):
        return False
    code = [code_only(line) for line in added]
    sets = [i for i, line in enumerate(code) if _SETS_PASSWORD.search(line)]
    if not sets:
        return False

    def on_other_user(i: int) -> bool:
        near = code[max(0, i - _WINDOW) : i + _WINDOW + 1]
        named = [x for x in near if _USER_NAMED.search(x)]
        return bool(named) and all(_OTHER_USER.search(x) for x in named)

    return all(on_other_user(i) for i in sets)


# "for more than one service at a time", "several services at once", "all regions at once".
_MORE_THAN_ONE: Final = re.compile(
    r"\bmore\s+than\s+one\s+\w+\s+at\s+(?:a|the\s+same)\s+time\b|\b(?:several|multiple|many)\s+\w+\s+at\s+once\b",
    re.IGNORECASE,
)
# Code that goes over several: a loop, Ansible's `loop:` / `with_items:`, a Salt or Jinja `for`, `xargs`,
# `parallel`, `.each`, `forEach`, `map(`.
_ITERATES: Final = re.compile(
    r"\bfor\b|\bwhile\b|^\s*-?\s*(?:loop|with_\w+)\s*:|\bxargs\b|\bparallel\b|\.each\b|\.forEach\b"
    r"|\bEnum\.(?:each|map)\b|\bmap\s*\(",
    re.IGNORECASE,
)


def acts_on_one(statement: str, added: Iterable[str]) -> bool:
    """A rule against doing its act on more than one thing at a time, and added code that goes over
    nothing: one rotation is not several at once, whatever of the rule's words it says."""
    if not _MORE_THAN_ONE.search(statement):
        return False
    code = [c for c in (code_only(line) for line in added) if c.strip()]
    return bool(code) and not any(_ITERATES.search(line) for line in code)
