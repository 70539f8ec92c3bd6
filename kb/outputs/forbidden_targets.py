"""A negative rule that names where its act goes: as a command's flag ("Never reset the consumer group
offsets to --to-latest"): the act is forbidden with that target, and a change that does it with
another (`AutoOffsetReset.Earliest`, `--to-earliest`) does what the rule allows, however many of its
words ("consumer", "offset", "reset") the change's code says. So with a rule against restarting one
thing: restarting another is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs import compliance
from kb.outputs.code_words import code_only
from kb.outputs.signatures import code_stems

# "to --to-latest", "to `--to-latest`", "with --force": the flag the act is forbidden with.
_FLAG_TARGET: Final = re.compile(r"\b(?:to|with)\s+`?--(?:to-)?([a-z][a-z-]*)`?", re.IGNORECASE)


def misses_target(statement: str, added: Iterable[str]) -> bool:
    """A negative rule whose act is forbidden with a flag, and added code that never names the flag's
    value (`latest` of `--to-latest`)."""
    head = re.split(r",? (?:so|because|since) |; ", statement, maxsplit=1)[0]
    found = _FLAG_TARGET.search(head)
    if found is None:
        return False
    wanted = code_stems(found.group(1).replace("-", " "))
    return not wanted <= code_stems("\n".join(code_only(line) for line in added))


# A command or call that restarts something: `kubectl rollout restart deploy/web`, `systemctl restart
# nginx`, `docker restart api`, `pg_ctl restart`, `service.restart(`.
_RESTARTS: Final = re.compile(r"\b(?:restart|reboot|bounce)\w*\b", re.IGNORECASE)
_RESTART_VERBS: Final = frozenset(code_stems("restart reboot bounce"))


def restarts_other_target(statement: str, added: Iterable[str]) -> bool:
    """A rule against restarting one thing ("Do not restart the PostgreSQL primary"), and added code
    whose restarts each name none of it: restarting the application's pods after a secret changes
    (`rollout restart deploy/shop`) is not restarting the database, though the same script connects
    to PostgreSQL on another line."""
    verb, words = compliance.forbidden(statement)
    if verb not in _RESTART_VERBS:
        return False
    thing = words - _RESTART_VERBS
    lines = [code for code in (code_only(line) for line in added) if _RESTARTS.search(code)]
    return bool(lines) and bool(thing) and not any(code_stems(line) & thing for line in lines)
