"""A postmortem's resolution list and a runbook's impact conditions as records (fifteenth extraction
round). The fix the responders made, told in the past tense, becomes the step for the same failure;
the cause they found, told as a fact, is kept as told; either only when it says why (a log entry
does not). A labelled work list, numbered clean-up phases and steps listed to reproduce stay as
before. An alert runbook's impact told as a condition is a fact. Inputs are small documents of our
own."""

from __future__ import annotations

from ingest.extract.patterns import _FOUND_THAT, _PHASE_LEAD, _TOLD_WHY
from ingest.parser import parse_document

PAGE = """# Incident on 2031-02-03 - Metrics server restarting

- **Key events**
  - First detected: 2031-02-03 09:10
  - Incident declared: 2031-02-03 09:20

- **Resolution**:
  - Raised the liveness probe timeout from 2 to 8 seconds to stop the metrics server restarting
  - Because the number of scraped targets doubled, the metrics server needed twice the memory it had.
  - Phase 2 Rotate every scrape credential in the monitoring namespace
  - Restarted the metrics server pods on every node of the cluster

- **Review actions**:
  - Add an alert on metrics server restarts
"""

LABELLED = """# Queue outage

## Summary

The queue stopped accepting writes for an hour.

## Resolution

- Retry limits: Implemented retry limits in the gateway to prevent unbounded retry amplification.

## Action items

- Add an alert on queue write errors
"""


def _records(text: str, path: str) -> dict[str, tuple[str, list[str]]]:
    doc = parse_document(text, path=path, sha256="0" * 64)
    return {c.statement: (c.record_type, c.rules) for c in doc.constraints}


def test_a_resolution_list_gives_its_fix_and_its_cause() -> None:
    got = _records(PAGE, "postmortems/incidents/2031-02-03-metrics.md")
    fix = next(s for s in got if s.startswith("Raise the liveness probe timeout"))
    assert got[fix][0] == "procedure" and "role.repair" in got[fix][1]
    cause = next(s for s in got if "needed twice the memory" in s)
    assert got[cause][0] == "constraint" and "type.repair-fact" in got[cause][1]
    assert not any(s.startswith("Phase 2") for s in got)  # a clean-up phase is work listed, not a repair
    assert not any(s.startswith("Restart the metrics server pods") for s in got)  # a log entry: says no why
    assert any(s.startswith("Add an alert on metrics server restarts") for s in got)


def test_a_labelled_resolution_list_is_not_read_as_repairs() -> None:
    got = _records(LABELLED, "postmortems/queue.md")
    assert not any("role.repair" in rules for _, rules in got.values())


def test_phase_and_finding_patterns() -> None:
    assert _PHASE_LEAD.match("Phase 3 Rotate all AWS keys")
    assert not _PHASE_LEAD.match("Phased rollout of the new nodes was paused")
    assert _FOUND_THAT.match("Identify that the disk was too small")
    assert not _FOUND_THAT.match("Identify the code change that shrank the disk")
    assert _TOLD_WHY.search("Updating the node type to double the memory resolved the issue")
    assert not _TOLD_WHY.search("Reverted the change and released version 1.2.1")


IMPACT = """# etcdQuotaLow

## Meaning

The etcd database is close to its size quota.

## Impact

In case the DB size exceeds the DB quota, no writes can be performed anymore on the etcd cluster.
When this happens it can lead to slow reads.

## Mitigation

- Run `etcdctl defrag` in every etcd pod.
"""


def test_a_runbook_impact_told_as_a_condition_is_kept_as_a_fact() -> None:
    got = _records(IMPACT, "runbooks/etcdQuotaLow.md")
    fact = next(s for s in got if s.startswith("In case the DB size exceeds the DB quota"))
    assert got[fact][0] == "constraint" and "type.runbook-impact" in got[fact][1]
    assert not any(s.startswith("When this happens") for s in got)  # points back: not self-contained
