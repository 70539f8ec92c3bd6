"""Erlang code read as the gate reads other languages (OTP, cowboy, httpc, hackney, epgsql). The
gate's readers know a call as `module.function(`, an outbound HTTP call by the clients of earlier
languages, an emptiness test as an `if` and a rejection as a `raise` or a `return`; these forms give
the ones Erlang writes as remote calls, function clauses and tuples.
"""

from __future__ import annotations

import re
from typing import Final

_ERLANG_PATH: Final = re.compile(
    r"\.(?:erl|hrl|escript)$|(?:^|/)(?:rebar\.config|sys\.config|[\w-]+\.app\.src)$"
)

# A remote call, `module:function(...)` (`httpc:request(post, ...)`, `eredis:q(C, ...)`,
# `?MODULE:handle(`): read as the dot the other languages' readers know. Map matches (`#{k := V}`),
# type annotations (`A :: integer()`) and binaries are no call.
_REMOTE_CALL: Final = re.compile(r"(?<=[\w?])\s*:(?![:=])\s*(?=[a-z]\w*\s*\()")

# An outbound HTTP call: OTP's `httpc:request(`, hackney, gun, ibrowse (after ``as_code``, with a dot).
HTTP_CALL: Final = re.compile(
    r"\b(?:httpc|hackney|lhttpc|katipo)[.:](?:request|get|post|put|patch|delete)\s*\("
    r"|\bgun[.:]open\s*\(|\bibrowse[.:]send_req\s*\("
)

# An emptiness test as a function clause or a case branch on the empty list: `applies(#{lanes :=
# []}, _) ->`, `#{<<"ids">> => []}`, `[] -> true;`.
EMPTY_TEST: Final = r"(?::=|=>)\s*\[\s*\]|^\s*\[\s*\]\s*(?:when\b[^-]*)?->"
# True returned by that clause: `-> true` on its line, or `true;` / `true.` alone on the next.
RETURNS_TRUE: Final = r"->\s*true\s*[;.]?\s*$|^\s*true\s*[;.]?\s*$"
# A clause that rejects the value: an error tuple (`{error, no_eligible_lanes};`) or false alone.
REJECTS: Final = r"^\s*(?:->\s*)?\{\s*error\b|^\s*false\s*[;.]?\s*$"


def is_erlang_path(path: str) -> bool:
    return bool(_ERLANG_PATH.search(path))


# A comment line: `%` to the end of the line (`% why`, `%% about the function`, `%%% module`).
_COMMENT_LINE: Final = re.compile(r"^(\s*)%+")


def as_code(lines: list[str]) -> list[str]:
    """An Erlang file's lines as the readers read them: a remote call with a dot, and a comment line
    opened with `%%`, as the readers know Erlang's comments (a single `%` opens code lines in some
    templates)."""
    return [
        _COMMENT_LINE.sub(r"\1%%", line) if _COMMENT_LINE.match(line) else _REMOTE_CALL.sub(".", line)
        for line in lines
    ]
