"""SARIF 2.1.0 for code-scanning UIs: one rule per lesson (``FW<id>``), one result per finding.

Levels: ``error`` for a blocking finding, ``warning`` for an acknowledged one (kept visible,
with a suppression recording the acknowledgement) or a critical/high lesson below strong
confidence, ``note`` for the rest. Locations point at the first added line of the hunk the
lesson most plausibly concerns.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

from kb import product
from kb.outputs.gate import TRAILER_KEY, CheckResult, Finding

SARIF_VERSION: Final = "2.1.0"
SARIF_SCHEMA: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY: Final = "forewarnFinding/v1"


def _level(finding: Finding) -> str:
    if finding.blocking:
        return "error"
    if finding.acknowledged or finding.hit.constraint.severity in ("critical", "high"):
        return "warning"
    return "note"


def _rule(finding: Finding) -> dict[str, Any]:
    c = finding.hit.constraint
    d = finding.hit.document
    help_text = f"{c.statement}\n\nSource: {finding.citation} ({d.title})."
    if c.rationale:
        help_text += f"\n\n{c.rationale}"
    return {
        "id": finding.rule_id,
        "name": f"{product.NAME}Lesson{c.id}",
        "shortDescription": {"text": _one_line(c.statement, 200)},
        "fullDescription": {"text": c.statement},
        "help": {"text": help_text},
        "defaultConfiguration": {
            "level": "error" if c.severity in ("critical", "high") else "warning",
        },
        "properties": {
            "severity": c.severity,
            "category": c.category,
            "status": c.status,
            "source": finding.citation,
            "tags": [product.DISTRIBUTION, c.category, c.severity],
        },
    }


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    hit = finding.hit
    status = "advice"
    if finding.blocking:
        status = "blocks this change"
    elif finding.acknowledged:
        status = "acknowledged"
    message = (
        f"[{hit.constraint.severity}, {hit.confidence} match, {status}] {hit.constraint.statement} "
        f"Why: {finding.why()}. Source: {finding.citation}."
    )
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "message": {"text": message},
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint()},
        "properties": {
            "confidence": hit.confidence,
            "score": round(hit.score, 6),
            "blocking": finding.blocking,
            "acknowledged": finding.acknowledged,
        },
    }
    if finding.location is not None:
        physical: dict[str, Any] = {
            "artifactLocation": {"uri": quote(finding.location.path), "uriBaseId": "%SRCROOT%"}
        }
        if finding.location.line:
            physical["region"] = {"startLine": finding.location.line}
        result["locations"] = [{"physicalLocation": physical}]
    if finding.acknowledged:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"acknowledged with --ack or a '{TRAILER_KEY}: {hit.id}' trailer",
            }
        ]
    return result


def to_sarif(result: CheckResult, *, tool_version: str) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run."""
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for finding in result.findings:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            rules.append(_rule(finding))
        results.append(_result(finding, index[finding.rule_id]))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": product.NAME,
                        "version": tool_version,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
                "invocations": [
                    {"executionSuccessful": True, "exitCode": result.exit_code},
                ],
                "results": results,
            }
        ],
    }
