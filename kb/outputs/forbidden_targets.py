"""A negative rule that names where its act goes as a command's flag ("Never reset the consumer group
offsets to --to-latest"): the act is forbidden with that target, and a change that does it with
another (`AutoOffsetReset.Earliest`, `--to-earliest`) does what the rule allows, however many of its
words ("consumer", "offset", "reset") the change's code says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

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
