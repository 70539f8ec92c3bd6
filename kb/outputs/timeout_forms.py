"""Timeouts that bound no request: how long an idle connection is kept open in a pool or on a server
(`keepalive_timeout = 60000`, `idleTimeout: .seconds(60)`, `IdleTimeout: 90 * time.Second`), or how
long a signed-in user's idle web session lasts (`session.timeout: 45m`, `SESSION_TIMEOUT`). A rule
asking for connect and read timeouts on outbound calls is neither followed by one nor broken when
one is taken away; the readers find a timeout by its word, so these are named apart.
"""

from __future__ import annotations

import re
from typing import Final

from kb.outputs import code_forms

# `keepalive_timeout`, `keep_alive_timeout`, `keepAliveTimeout`, `idle_timeout`, `idleTimeout`,
# `IdleTimeout`, `pool_idle_timeout`, `idle-timeout`: the word "timeout" after keep-alive or idle; a
# web session's (`session_timeout`, `sessionTimeout`, `session.timeout`, `SESSION_TIMEOUT`).
_IDLE_TIMEOUT: Final = re.compile(r"((?:keep[-_]?alive|idle|session)[-_.]?)(timeout)(s?)\b", re.IGNORECASE)
# A YAML key `timeout:` whose parent is `session:` (Spring's `server.servlet.session.timeout`, written
# nested), the parent in the lines the hunk keeps.
_SESSION_KEY: Final = re.compile(r"^(\s*)session\s*:\s*$")
_TIMEOUT_KEY: Final = re.compile(r"^(\s*)(timeout)(\s*:)")


def _linger(found: re.Match[str]) -> str:
    word = found.group(2)
    return found.group(1) + ("Linger" if word[0].isupper() else "linger") + found.group(3)


def without_idle_timeouts(lines: list[str]) -> list[str]:
    """The lines with each idle connection's timeout named a linger (`keepalive_linger = 60000`)."""
    return [
        _IDLE_TIMEOUT.sub(_linger, line) if "imeout" in line or "IMEOUT" in line else line for line in lines
    ]


def without_session_timeouts(lines: list[str], kept: list[str]) -> list[str]:
    """A YAML file's lines with a `timeout:` key one level under a kept `session:` key named a linger:
    how long a web session lasts bounds no call."""
    parents = {len(found.group(1)) for found in map(_SESSION_KEY.match, kept) if found}
    if not parents:
        return lines
    out = []
    for line in lines:
        key = _TIMEOUT_KEY.match(line)
        under = key is not None and any(0 < len(key.group(1)) - depth <= 4 for depth in parents)
        out.append(_TIMEOUT_KEY.sub(r"\1linger\3", line) if under else line)
    return out


# A request bounded in any spelling: `timeout=`, `Timeout{`, `set_timeout(`, `with_timeout`,
# `CURLOPT_TIMEOUT`, `deadline`, `expires_after(`.
_BOUNDED: Final = re.compile(r"timeout|deadline|expires_after", re.IGNORECASE)


def calls_out_unbounded(code: list[str], around: list[str], removed: list[str]) -> bool:
    """The change adds an outbound HTTP call (``code_forms.outbound_http``; more than it takes away)
    and no line it adds or keeps around it bounds a request: a call that waits as long as the party
    it calls does."""
    return code_forms.more_calls(code, removed) and not any(
        _BOUNDED.search(line) for line in without_idle_timeouts([*code, *around])
    )
