"""More consumers than partitions. A consumer group reads each partition with one consumer at most, so
replicas past the partition count sit idle and only add rebalances; a rule against scaling consumers
"beyond the number of partitions" is broken by a replica count (or an autoscaler's maximum) set above
the partition count the change's own lines name (`partitions: 12`, "the topic has 12 partitions").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from kb.outputs.signatures import code_stems
from kb.text import stem

# `replicas: 36`, `maxReplicas: 40`, `replica_count = 24`, `--replicas=36`, `max_replica_count: 30`.
_REPLICAS: Final = re.compile(
    r"\b(?:replicas|maxReplicas|max_replicas|replica_count|replicaCount|max_replica_count|maxReplicaCount)"
    r"[\"']?\s*[:=]\s*[\"']?(\d+)|--replicas[= ](\d+)",
    re.IGNORECASE,
)
# The partition count named in code or a comment: `partitions: 12`, `num_partitions = 12`,
# `--partitions 12`, "12 partitions".
_PARTITIONS: Final = re.compile(
    r"\b(?:num_?)?partitions[\"']?\s*[:= ]\s*[\"']?(\d+)|\b(\d+)\s+partitions\b", re.IGNORECASE
)
_RULE_WORDS: Final = frozenset({stem("consumer"), stem("partition")})
_SCALE: Final = frozenset(stem(w) for w in ("scale", "run", "add", "deploy"))


def _numbers(pattern: re.Pattern[str], lines: Iterable[str]) -> list[int]:
    return [int(a or b) for line in lines for a, b in pattern.findall(line)]


def scales_past_partitions(statement: str, added: Iterable[str], around: Iterable[str]) -> list[str]:
    """A rule against more consumers than partitions, broken: an added replica count above the
    partition count the added or kept lines name. The replica lines."""
    words = code_stems(statement)
    beyond = re.search(r"\b(?:beyond|more than|above)\b", statement)
    if not (words >= _RULE_WORDS and words & _SCALE and beyond):
        return []
    added = list(added)
    partitions = _numbers(_PARTITIONS, [*added, *around])
    if not partitions:
        return []
    bound = max(partitions)
    return [line.strip() for line in added if any(n > bound for n in _numbers(_REPLICAS, [line]))]
