"""F# (and .NET) code read as the gate reads other languages (Giraffe, Dapper, StackExchange.Redis):
an emptiness test written as a module function and a write to a Redis cache through
StackExchange.Redis. The gate's readers know these acts by the spellings of earlier languages; these
forms give the ones F# and its libraries use.
"""

from __future__ import annotations

from typing import Final

# An emptiness test as a module function applied to the list: `List.isEmpty p.EligibleClasses`,
# `Seq.isEmpty xs`, `Array.isEmpty (ids)`, `String.IsNullOrEmpty code`.
EMPTY_CALL: Final = (
    r"\b(?:List|Seq|Array|Set|Map)\.isEmpty\s+\(?[\w.]+\)?|\bString\.IsNullOrEmpty\s*\(?\s*[\w.]+\s*\)?"
)

# A write through StackExchange.Redis's database (`db.StringSetAsync(key, value, ttl)`, a transaction's
# `tx.StringSetAsync(...)`, `HashSetAsync`, `SortedSetAdd`, `KeyExpireAsync`).
CACHE_WRITE: Final = (
    r"\.(?:StringSet|HashSet|SetAdd|SortedSetAdd|ListLeftPush|ListRightPush|StringIncrement|KeyExpire)"
    r"(?:Async)?\s*\("
)
