"""What a logger is told to withhold: the entries of a redaction list (pino's `redact` paths, a
`REDACT_PATHS` array, Rails' `filter_parameters`, a structlog or Serilog mask list) name the fields
the logs must never hold. A rule against logging request bodies is followed, not broken, by a list
that names `req.body`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

# A list or object opened under a name that withholds what it lists (`REDACT_PATHS = [`,
# `redact: {`, `paths: [` in a redact block, `filter_parameters += [`, `mask_fields = (`).
_WITHHOLDING_LIST: Final = re.compile(
    r"\b\w*(?:redact|censor|mask|scrub|sanitiz|filter_param|sensitive|denylist|blocklist)\w*\b"
    r"[\"']?\s*(?:\+?=|:|\|\|=)\s*(?:\{|\[|\(|%[wi]\[|$)",
    re.IGNORECASE,
)
# A line that is one quoted entry of a list and nothing else (`'req.body',`, `"*.email",`, `:password,`).
_LIST_ENTRY: Final = re.compile(r"^\s*(?:[\"'`][^\"'`]*[\"'`]|:\w+)\s*,?\s*$")
# A logging call on the line: the list is then an argument of what it logs, read as it is.
_LOG_CALL: Final = re.compile(r"\b(?:log|logger|logging|console)\.\w+\s*\(", re.IGNORECASE)


def withholds(lines: Iterable[str]) -> bool:
    """Whether the lines open a list of what the logs withhold."""
    return any(_WITHHOLDING_LIST.search(line) for line in lines)


def without_withheld(added: Sequence[str], around: Iterable[str]) -> list[str]:
    """The added lines less the entries of a redaction list, where the change or the code around it
    opens one, and less the lines that open one (`redact: ['req.body'],`): the fields named there are
    what the logs never hold, not what the code logs."""
    if not withholds([*added, *around]):
        return list(added)
    return [
        line
        for line in added
        if not _LIST_ENTRY.match(line) and not (_WITHHOLDING_LIST.search(line) and not _LOG_CALL.search(line))
    ]


# A list or set opened under a name that says it holds what may be logged or kept (`allowed-keys`,
# `ALLOWED_FIELDS = [`, `allowed-log-keys`, `log_allowlist: [`, `permittedAttributes`, `safe_fields =
# {`): an allow-list.
_ALLOW_LIST: Final = re.compile(
    r"(?:allow(?:ed)?|permit(?:ted)?|whitelist(?:ed)?|safe)[-_]?(?:[a-z]+[-_]?)?"
    r"(?:list|keys?|fields?|attr\w*|params)\b"
    # a collection named for what it allows and nothing else (Lua `local ALLOWED = {`)
    r"|\b(?:allowed|permitted)\s*=\s*[\[{(]",
    re.IGNORECASE,
)
# A line of entries only: keywords, quoted names or symbols, with the list's brackets (`:nights
# :vessel-length-m})`, `"order_id",`, `#{:event :status`), or the members of a set written as a map
# to true (Go's `map[string]bool{"carrier_mc": true}`, `{"order_id": True}`, `"x": {}`, a Lua table's
# `route = true, status = true,`).
_ENTRIES: Final = re.compile(
    r"^\s*[#\[{(]*\s*(?:(?::[\w.-]+|[\"'][\w.-]+[\"'](?:\s*:\s*(?:true|True|\{\}|struct\{\}\{\}))?"
    r"|[A-Za-z_]\w*\s*=\s*true)\s*,?\s*)+"
    r"[\]})]*\s*,?\s*$"
)


def extends_allow_list(added: Sequence[str], around: Iterable[str]) -> bool:
    """The change adds entries to an allow-list (``_ALLOW_LIST``, named in its lines or the code
    around them): it names the fields that may be kept, as a rule to log "named fields from the
    allow-list" asks."""
    entries = [line for line in added if _ENTRIES.match(line)]
    return bool(entries) and any(_ALLOW_LIST.search(line) for line in [*added, *around])
