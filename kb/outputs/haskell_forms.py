"""Haskell code read as the gate reads other languages (Servant, http-client, postgresql-simple, hedis).
The gate's readers know these acts by the spellings of earlier languages; these forms give the ones
Haskell and its libraries use.
"""

from __future__ import annotations

from typing import Final

# http-client's "wait forever": `managerResponseTimeout = responseTimeoutNone`, or
# `setRequestResponseTimeout responseTimeoutNone req`; a timeout given no value, as `None` elsewhere.
NO_TIMEOUT: Final = r"responseTimeoutNone"
