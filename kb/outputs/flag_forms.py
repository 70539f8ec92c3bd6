"""A behaviour put behind a feature flag, read by the default the code gives the flag: the value the
evaluation returns when the flag is unset or the flag service cannot be reached (LaunchDarkly's
`boolVariation(key, ctx, false)`, Unleash's `isEnabled("x", true)`, OpenFeature's
`getBooleanValue("x", false)`, a wrapper's `flags.bool_variation(key, ctx, True)`). A rule that a
change ship "behind a flag that defaults to off" is followed by a default of false and broken by a
default of true: the new behaviour is what runs when nobody turned it on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs.code_words import code_only

# A flag evaluated with a boolean default as its last argument (on the line): the SDKs' names in
# camel and snake case, the keyword forms (`default=True`, `defaultValue: true`).
_EVALUATED: Final = re.compile(
    r"\b(?:bool_?variation|boolean_?variation|variation|is_?enabled|get_?boolean_?value|enabled\?)\s*"
    r"\((?P<args>[^()]*(?:\([^()]*\)[^()]*)*)\)",
    re.IGNORECASE,
)
_DEFAULT: Final = re.compile(
    r"(?:,|\b(?:default|default_?value|fallback)\s*[:=])\s*(?P<value>true|false)\s*$", re.IGNORECASE
)
# "... behind a flag that defaults to off", "feature flags default to off".
_ASKS_OFF: Final = re.compile(r"\bflags?\b.*\bdefaults?\s+(?:to\s+)?(?:off|false|disabled)\b", re.IGNORECASE)

FLAG_ON_BY_DEFAULT: Final = "a behaviour change behind a feature flag whose default is on"
FLAG_OFF_BY_DEFAULT: Final = "a behaviour change behind a feature flag that defaults to off"


def _defaults(added: Iterable[str]) -> list[tuple[str, bool]]:
    out = []
    for line in added:
        code = code_only(line)
        for found in _EVALUATED.finditer(code):
            default = _DEFAULT.search(found.group("args"))
            if default:
                out.append((code.strip(), default.group("value").lower() == "true"))
    return out


def flags_on_by_default(added: Iterable[str]) -> list[str]:
    """The added lines that evaluate a flag with a default of true."""
    return [line for line, on in _defaults(added) if on]


def defaults_flag_on(statement: str, added: Iterable[str]) -> list[str]:
    """A rule that flags default to off, broken: the lines evaluating a flag with a default of true."""
    return flags_on_by_default(added) if _ASKS_OFF.search(statement) else []


def defaults_flag_off(statement: str, added: Iterable[str]) -> bool:
    """A rule that flags default to off, followed: every flag the lines evaluate defaults to false."""
    found = _defaults(added)
    return bool(_ASKS_OFF.search(statement)) and bool(found) and not any(on for _, on in found)


def flag_acts(added: Iterable[str]) -> list[str]:
    """The acts on flags the lines do, in the lessons' words: a flag on by default, or off."""
    found = _defaults(added)
    if any(on for _, on in found):
        return [FLAG_ON_BY_DEFAULT]
    return [FLAG_OFF_BY_DEFAULT] if found else []
