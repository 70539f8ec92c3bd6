"""Where a change keeps what it must not lose, read in any client's spelling: a reservation, a hold or
a booking written to a cache store (`Redis::connection('cache')->set(...)`, `cache.set(...)`,
`Rails.cache.write`, a raw `SET ... NX`) with no database beside it. A cache evicts under memory
pressure, and a reader that takes a missing key for "free" hands the slot to the next customer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs.code_words import code_only
from kb.outputs.signatures import code_stems
from kb.text import stem

# A write to a key-value store, as a call (`->set(`, `.setex(`, `.set_nx(`, Go `.SetNX(`, Spring
# `.setIfAbsent(`, StackExchange `.StringSetAsync(`, `IDistributedCache.SetStringAsync(`, Laravel
# `Cache::put(`, Rails `cache.write(`, Memcached `.add(`) or as a raw command (`["SET", key, ...]`,
# Rust `redis::cmd("SET")`).
_KV_CALL: Final = re.compile(
    r"(?:->|\.|::)\s*(?:set|setex|set_ex|psetex|setnx|set_nx|setifabsent|stringset(?:async)?|"
    r"setstring(?:async)?|setasync|hset|hsetnx|hmset|mset|put|putifabsent|add|write|remember|forever)\s*\(",
    re.IGNORECASE,
)
_KV_COMMAND: Final = re.compile(r"[\[(,]\s*[\"'](?:SET|SETEX|SETNX|PSETEX|HSET|HSETNX|HMSET)[\"']")
# A store named as a cache, on the writing line: a connection, client, facade or URL called so.
_CACHE_NAMED: Final = re.compile(r"cache|memcache", re.IGNORECASE)
# A key-value client the line names: a Redis or Memcached client by its usual names.
_KV_CLIENT: Final = re.compile(r"redis|memcache|jedis|lettuce|redix|valkey|keydb|\brdb\b", re.IGNORECASE)
# What is held for someone, the state the incident lost: reservations, holds, bookings, leases.
HELD_STATE: Final = frozenset(
    stem(w)
    for w in (
        "reserve",
        "reserved",
        "reservation",
        "reservations",
        "hold",
        "holds",
        "booking",
        "bookings",
        "lease",
        "leases",
        "allocation",
        "allocations",
    )
)
# A database beside the cache, written or read: SQL, an ORM's save or query, a repository. A copy in
# the cache of what a database keeps is a cache; state kept only in the cache is not.
_DATABASE_ACCESS: Final = re.compile(
    r"\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bSELECT\b.+\bFROM\b|\.save\w*\(|\bsession\.add\(|"
    r"\.create\(|\.insert\w*\(|\.upsert\w*\(|\.persist\(|\.objects\.|\bDB::|\brepo(?:sitory)?\b|"
    r"Repository\b|\.find\w*\(|\bprisma\.|\bknex\b|EntityManager|\bjdbc|\bRepo\.",
    re.IGNORECASE,
)


def writes_to_cache(line: str) -> bool:
    """A line of code that writes a key to a store named as a cache (`Redis::connection('cache')
    ->set(`, `_cache.set(`, `Cache::put(`, `redisCache.SetNX(`)."""
    code = code_only(line)
    writes = _KV_CALL.search(code) or (_KV_COMMAND.search(code) and _KV_CLIENT.search(code))
    return bool(writes) and bool(_CACHE_NAMED.search(code))


def keeps_held_state_in_cache(added: Iterable[str]) -> list[str]:
    """The added lines that write reservations, holds or bookings (``HELD_STATE``, named anywhere in
    the added code: the class, the method, the key) to a cache store, when the added code touches no
    database: the cache is the only copy. Empty otherwise."""
    code = [code_only(line) for line in added]
    writes = [line for line in code if writes_to_cache(line)]
    if not writes or any(_DATABASE_ACCESS.search(line) for line in code):
        return []
    return writes if code_stems("\n".join(code)) & HELD_STATE else []
