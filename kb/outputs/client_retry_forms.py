"""Retries installed on an HTTP client rather than written around a call: axios-retry and retry-axios
on an axios instance, got's and ky's `retry` option with its methods, urllib3's `Retry` mounted on a
requests session, Go's retryablehttp client. The calls they retry are those the client already makes
(in the code the change keeps), so a payment mutation sent through it is retried though no added line
sends it. Each counts only where it retries writes: axios-retry's own condition retries only idempotent
methods, urllib3's default `allowed_methods` leaves POST out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

# The wrapper installed on a client, and the span of lines its options are read in.
_INSTALL: Final = re.compile(
    r"\baxiosRetry\s*\(|\brax\.attach\s*\(|\bretryablehttp\.NewClient\s*\(|\bRetry\s*\(\s*(?:total|connect|read|status)\s*="
    r"|\bretry\s*:\s*\{",
)
_SPAN: Final = 10
# Options that make the wrapper retry writes: a condition of its own (axios-retry's `retryCondition`,
# which replaces the idempotent-only default), a method list naming POST, PUT or PATCH, urllib3's
# `allowed_methods=None` or `False` (every method); Go's retryablehttp retries every method.
_RETRIES_WRITES: Final = re.compile(
    r"\bretryCondition\s*:|\b(?:httpMethodsToRetry|methods|allowed_methods|method_whitelist)\b[^\n]*"
    r"[\"'](?:POST|PUT|PATCH)[\"']|\ballowed_methods\s*=\s*(?:None|False)\b|\bmethod_whitelist\s*=\s*False\b"
    r"|\bretryablehttp\.NewClient\b",
    re.IGNORECASE,
)


def installs_write_retry(code: Sequence[str]) -> bool:
    """The lines install a retry on a client that retries writes too (``_RETRIES_WRITES`` within the
    wrapper's options)."""
    return any(
        _INSTALL.search(line) and any(_RETRIES_WRITES.search(x) for x in code[i : i + _SPAN])
        for i, line in enumerate(code)
    )
