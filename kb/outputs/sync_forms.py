"""A hand-off made synchronous: the change stops publishing an event (or queueing a job) for a worker
to act on later and calls the remote party itself, waiting for its answer inside the request. A rule
to keep synchronous call chains shallow (or to keep a party's calls out of the request path) is broken
by it, whatever the client: the call's timeout is what the request now waits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from kb.outputs import code_forms
from kb.outputs.code_words import code_only
from kb.outputs.signatures import code_stems
from kb.text import stem

# An event published or a job queued for later: a broker's publish or produce (`events.publish(topic,`,
# `producer.send(`, `kafkaTemplate.send(`), a queue's enqueue (`perform_later`, `perform_async`,
# `apply_async`, `.delay(`, `enqueue(`).
_HAND_OFF: Final = re.compile(
    r"\.(?:publish|produce|publish_event|send_event|enqueue|perform_later|perform_async|apply_async|delay)\s*\("
    r"|\b(?:producer|kafka\w*|publisher)\.send\w*\s*\(|(?<![\w.])(?:publish|enqueue)\s*\(",
    re.IGNORECASE,
)
# A call to a remote party's client: an outbound HTTP call, or a module, client or gateway named for
# an API (`carrier_api.reserve_slot(`, `carrierClient.book(`, `payments_gateway.charge(`).
_REMOTE_CLIENT: Final = re.compile(r"\b\w*(?:_api|Api|API|_client|Client|_gateway|Gateway)\.\w+\s*\(")
# A wait bounded by the caller: a timeout given to the call on its line (`{timeout, 30000}`,
# `timeout: 30`, `timeout=30`).
_WAITS: Final = re.compile(r"\btimeout\b\s*(?:[:=,]|=>)", re.IGNORECASE)

_SYNCHRONOUS: Final = frozenset({stem("synchronous"), stem("synchronously")})
_CALLS: Final = frozenset(stem(w) for w in ("call", "calls", "chain", "chains", "hop", "path"))


def waits_on_remote_call(added: Sequence[str], removed: Sequence[str]) -> list[str]:
    """The added lines that call a remote party and wait for it, where the removed lines handed the
    work off (published an event, queued a job) and the added lines no longer do."""
    gone = [code_only(line) for line in removed]
    code = [code_only(line) for line in added]
    if not any(_HAND_OFF.search(line) for line in gone) or any(_HAND_OFF.search(line) for line in code):
        return []
    return [
        line.strip()
        for line in code
        if (code_forms.outbound_http(line) or _REMOTE_CLIENT.search(line)) and _WAITS.search(line)
    ]


def makes_chain_synchronous(statement: str, added: Sequence[str], removed: Sequence[str]) -> list[str]:
    """A rule about synchronous calls ("Keep synchronous call chains shallow", "no new synchronous
    carrier call may be introduced in the checkout request path"), broken by a hand-off made a
    synchronous remote call (``waits_on_remote_call``). The calls."""
    words = code_stems(statement)
    if not words & _SYNCHRONOUS or not words & _CALLS:
        return []
    return waits_on_remote_call(added, removed)
