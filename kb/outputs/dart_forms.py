"""Dart code read as the gate reads other languages (shelf, package:postgres, package:http,
dart_amqp): a duration written as a `Duration(...)` value and an AMQP consumer started with no
dead-letter policy. The gate's readers know these acts by the spellings of earlier languages; these
forms give the ones Dart libraries use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

# A setting given a `Duration` value: `static const flushInterval = Duration(seconds: 30);`,
# `timeout: const Duration(minutes: 2)`, `Duration(minutes: 1, seconds: 30)` (its parts add up).
_DURATION_SETTING: Final = re.compile(
    r"([A-Za-z_]\w*)\s*[:=]\s*(?:const\s+)?Duration\(\s*((?:\w+\s*:\s*\d+(?:\.\d+)?\s*,?\s*)+)\)"
)
_DURATION_PART: Final = re.compile(
    r"\b(days|hours|minutes|seconds|milliseconds|microseconds)\s*:\s*(\d+(?:\.\d+)?)"
)
_PART_SECONDS: Final = {
    "days": 86400.0,
    "hours": 3600.0,
    "minutes": 60.0,
    "seconds": 1.0,
    "milliseconds": 0.001,
    "microseconds": 0.000001,
}


def duration_settings(code: str) -> list[tuple[str, float]]:
    """The settings a line of code gives a Dart `Duration`, each with its length in seconds."""
    out = []
    for found in _DURATION_SETTING.finditer(code):
        parts = _DURATION_PART.findall(found.group(2))
        if parts:
            out.append((found.group(1), sum(float(n) * _PART_SECONDS[unit] for unit, n in parts)))
    return out


# A dart_amqp consumer: a queue declared (`channel.queue('lesson.cancelled', durable: true)`) and
# consumed (`queue.consume(noAck: false)`). What a message that keeps failing does is said in the
# queue's arguments: a dead-letter exchange (`x-dead-letter-exchange`) and, on a quorum queue, a
# delivery limit (`x-delivery-limit`).
_QUEUE_DECLARED: Final = re.compile(r"\.queue\(\s*[\w'\".$]+")
_CONSUMED: Final = re.compile(r"\.consume\(")
_FAILURE_POLICY: Final = re.compile(r"x-dead-letter-exchange|x-delivery-limit|dead[-_]?letter", re.IGNORECASE)


def queue_without_dead_letter(added: Sequence[str]) -> list[str]:
    """The queues the added lines declare and consume with no dead-letter exchange or delivery limit
    anywhere in them: a message that keeps failing is redelivered for ever and stalls the queue. The
    declaring lines."""
    if not any(_CONSUMED.search(line) for line in added) or any(
        _FAILURE_POLICY.search(line) for line in added
    ):
        return []
    return [line.strip() for line in added if _QUEUE_DECLARED.search(line)]


# A logging call through package:logging's `Logger` made on the spot: `Logger('payments').info({...})`
# (a logger kept in a field, `_log.info(`, reads as every language's).
LOG_CALL: Final = re.compile(
    r"\bLogger\(\s*['\"][\w.-]*['\"]\s*\)\.(?:finest|finer|fine|config|info|warning|severe|shout|log)\s*\("
)
