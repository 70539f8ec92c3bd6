"""A cache known by what the configuration calls it: a store's address re-pointed at the host a
setting named for a cache points at (`LOCKS_REDIS_URL` made the host of the kept `CACHE_REDIS_URL`),
though the host's own name says nothing of caching (`redis-01`). What the store kept now lives where
the cache's eviction decides how long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs.code_words import code_only

# A setting that names where something is stored, and the first label of the host it names.
_ADDRESS: Final = re.compile(r"([A-Za-z_][\w.-]*)[\"']?\s*[:=]\s*[\"']?(?:[a-z][\w+.-]*://)?([\w-]+)[.:/]")
_CACHE: Final = re.compile(r"cache|memcache", re.IGNORECASE)


def _addresses(lines: Iterable[str]) -> dict[str, str]:
    return {name.lower(): host.lower() for line in lines for name, host in _ADDRESS.findall(code_only(line))}


def repoints_to_named_cache(added: Iterable[str], removed: Iterable[str], around: Iterable[str]) -> list[str]:
    """Settings of a store that is not a cache, re-pointed by the change from another host at the
    host a cache's setting (one named for a cache, added or kept) points at. Their names."""
    added = list(added)
    before = _addresses(removed)
    caches = {host for name, host in _addresses([*added, *around]).items() if _CACHE.search(name)}
    return [
        name
        for name, host in _addresses(added).items()
        if name in before and not _CACHE.search(name) and host in caches and before[name] not in caches
    ]
