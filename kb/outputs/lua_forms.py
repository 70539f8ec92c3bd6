"""Lua code read as the gate reads other languages (OpenResty, lua-resty-http, lua-resty-redis, Kong
plugins). The gate's readers know a method call as `client.post(`, a timeout setter as one
`set_timeout(` and an HTTP call by the libraries of earlier languages; these forms give the ones Lua
and OpenResty use.
"""

from __future__ import annotations

import re
from typing import Final

_LUA_PATH: Final = re.compile(r"\.lua$|(?:^|/)(?:kong|openresty)/.*\.(?:lua|rockspec)$")

# Lua calls a method with a colon (`red:set(key, v)`, `httpc:request_uri(url, {`, `client():send{`):
# read as the dot the other languages' readers know. `::label::` (a goto label) is no call.
_METHOD_CALL: Final = re.compile(r"(?<=[\w\])])\s*:(?!:)\s*(?=[A-Za-z_]\w*\s*[({\"'])")
# The timeout setters of OpenResty's cosockets and lua-resty-http, lua-resty-redis, pgmoon
# (`sock:settimeout(1000)`, `httpc:set_timeouts(500, 1000, 1500)`, `red:set_timeouts(...)`): one
# `set_timeout(`, as a setting the readers find by its word "timeout".
_TIMEOUT_SETTER: Final = re.compile(r"\.set_?timeouts?\s*\(")

# An outbound HTTP call, or a client made for one: lua-resty-http's `http.new()` and its
# `request_uri(` (or a `connect` then `request{`), LuaSocket's `http.request(`. OpenResty's
# `ngx.location.capture(` is a subrequest to the server itself, not a third party.
HTTP_CALL: Final = re.compile(
    r"(?<![\w.])(?:resty_)?http\.new\s*\(\s*\)|\.request_uri\s*\(|(?<![\w.])(?:socket\.)?http\.request\s*\("
)

# An id read from the request in OpenResty: a variable nginx set from the URI or a location's
# capture (`ngx.var.booking_id`, `ngx.var.arg_id`), the query (`ngx.req.get_uri_args().id`,
# `args["booking_id"]`), Lapis `self.params.id`, a Kong plugin's `kong.request.get_query_arg("id")`.
REQUEST_ID: Final = re.compile(
    r"\bngx\.var\.\w*id\b|\bget_uri_args\s*\(\s*\)\s*(?:\.\s*|\[\s*[\"'])\w*id\b"
    r"|\bself\.params\.\w*id\b|\bget_query_arg\s*\(\s*[\"']\w*id[\"']",
    re.IGNORECASE,
)


def is_lua_path(path: str) -> bool:
    return bool(_LUA_PATH.search(path))


def as_code(lines: list[str]) -> list[str]:
    """A Lua file's lines as the readers of calls read them: a method call with a dot, a timeout
    setter as `set_timeout(`."""
    out = []
    for line in lines:
        called = _METHOD_CALL.sub(".", line)
        out.append(_TIMEOUT_SETTER.sub(".set_timeout(", called))
    return out
