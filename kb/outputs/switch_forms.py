"""A check switched off by a setting: `check-idempotency: false`, `@Value('${payments.verify-signature:
false}')`, `IDEMPOTENCY_CHECK=false`. A rule "Never disable the X check" is broken by a setting named
for X given false (or defaulting to it), whichever words the code around it says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs import compliance
from kb.outputs.signatures import code_stems
from kb.text import stem

# `name: false`, `name = false`, `name=false`, and a placeholder's default `${name:false}`.
_OFF: Final = re.compile(
    r"([A-Za-z_][\w.-]*)[\"']?\s*[:=]\s*[\"']?(?:false|off|no|0)\b[\"']?\s*,?\s*$"
    r"|\$\{([\w.-]+):(?:false|off)\}",
    re.IGNORECASE,
)
_DISABLE: Final = frozenset(stem(w) for w in ("disable", "switch", "turn", "skip", "bypass"))
# Words too general to say which check a setting is (`enabled: false`, `check: false`).
_GENERIC: Final = frozenset(stem(w) for w in ("check", "enabled", "enable", "flag", "feature", "setting"))


def switches_off(statement: str, added: Iterable[str]) -> list[str]:
    """A rule against disabling a check, broken: the added settings named for what the rule names
    (beyond "check") given false. The settings' lines."""
    verb, words = compliance.forbidden(statement)
    if verb not in _DISABLE:
        return []
    thing = words - _DISABLE - _GENERIC
    out = []
    for line in added:
        code = compliance.code_only(line)
        for found in _OFF.finditer(code):
            name = found.group(1) or found.group(2)
            if code_stems(re.sub(r"[-_.]", " ", name)) & thing:
                out.append(code.strip())
    return out
