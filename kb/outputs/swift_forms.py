"""Swift code read as the gate reads other languages (Vapor, Fluent, AsyncHTTPClient, swift-log): an
outbound HTTP call, a key made fresh on the spot, a record's id read from the route, a Fluent
migration's rollback and its dropped columns, an emptiness test on a property, and an enum's
`rawValue`. The gate's readers know these acts by the spellings of earlier languages; these forms
give the ones Swift libraries use.
"""

from __future__ import annotations

import re
from typing import Final

# An outbound HTTP call, or a request made for one: AsyncHTTPClient's `HTTPClientRequest(url: ...)`,
# `HTTPClient(eventLoopGroupProvider: ...)` and `HTTPClient.shared`, and Vapor's client through the
# request or the application (`req.client.get(URI(...))`, `client.post(URI(string: url))`). Vapor's
# shared client has no timeout of its own; AsyncHTTPClient's is given one per call
# (`execute(request, timeout: .seconds(2))`) or in its configuration.
HTTP_CALL: Final = re.compile(
    r"\bHTTPClientRequest\s*\(\s*url:"
    r"|\bHTTPClient\s*\(\s*eventLoopGroupProvider:|\bHTTPClient\.shared\b"
    r"|\b(?:req|request|app|application)\.client\.(?:get|post|put|patch|delete|send)\s*\("
    r"|\bclient\.(?:get|post|put|patch|delete|send)\s*\(\s*(?:URI\s*\(|\.(?:GET|POST|PUT|PATCH|DELETE)\b)"
)

# A random id made on the spot: Foundation's `UUID()` (`UUID().uuidString`); `UUID(uuidString: s)`
# parses a given one.
FRESH_ID: Final = re.compile(r"(?<![\w.])UUID\(\s*\)")

# An id read from the route or the query of a Vapor request: `req.parameters.get("bookingID", as:
# UUID.self)`, `req.parameters.require("id")`, `req.query["vesselID"]`.
REQUEST_ID: Final = re.compile(
    r"\breq(?:uest)?\.parameters\.(?:get|require)\(\s*\"\w*id\"|\breq(?:uest)?\.query\[\s*\"\w*id\"",
    re.IGNORECASE,
)

# Swift binds an optional to a name in a condition (`guard let id = ...`, `if let id = ...`): the name
# holds what the right side reads, as an assignment's does.
BINDING: Final = r"(?:(?:guard|if)\s+(?:let|var)\s+)"

# A Fluent migration's halves: `func prepare(on database: Database)` does the change, `func
# revert(on database: Database)` undoes it (a column dropped there is the rollback of one added).
MIGRATION_FORWARD: Final = re.compile(r"\bfunc\s+prepare\s*\(\s*on\b")
MIGRATION_ROLLBACK: Final = re.compile(r"\bfunc\s+revert\s*\(\s*on\b")

# A column dropped through Fluent's schema builder: `database.schema("vessels").deleteField("length_ft")`.
DROPPED_FIELD: Final = r"\.deleteField\(\s*\"(\w+)\""

# An emptiness test on a property (Swift's and Scala's `isEmpty`, with no call parentheses).
EMPTY_PROPERTY: Final = r"[\w.?]+\.isEmpty\b(?!\s*\()"

# A Swift guard that rejects an empty value on its own line: `guard !classes.isEmpty else { throw ... }`,
# `guard !ids.isEmpty else { return [] }`.
GUARD_REJECTS_EMPTY: Final = re.compile(
    r"^\s*guard\s+(?:[^{]*,\s*)?![\w.?]+\.isEmpty\b[^{]*\belse\s*\{\s*"
    r"(?:throw\b|return\s+(?:false|nil|\[\s*\])|fatalError\()"
)

# An enum's backing value (`CancelReason(rawValue: code)?.rawValue`): the name of the case, not raw
# data such as a request body.
_RAW_VALUE: Final = re.compile(r"\brawValue\b")


def without_language_members(code: str) -> str:
    """Code less the members Swift gives every enum (`rawValue`), whose words say nothing of the value."""
    return _RAW_VALUE.sub(" ", code)
