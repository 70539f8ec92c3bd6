"""The CI gate: the decision, acknowledgements, and ``kb check`` as a process with exact exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from seedhome import PAYMENT_DIFF, run_kb, seed_home

from kb.errors import InputError
from kb.outputs.gate import MARKER, check_diff, parse_ack_values, parse_trailers
from kb.service import KnowledgeBase

DOCS_DIFF = """diff --git a/docs/intro.md b/docs/intro.md
--- a/docs/intro.md
+++ b/docs/intro.md
@@ -1,1 +1,2 @@
 # Welcome
+Our team photo from the 2023 summer picnic is below.
"""


def test_trailers_are_read_from_any_line_of_a_commit_message() -> None:
    message = (
        "Add capture retries\n\nUses the order id as key.\n\nHindsight-Ack: 42, #43\nhindsight-ack: HS7 8\n"
    )
    assert parse_trailers(message) == {42, 43, 7, 8}
    assert parse_trailers("Mentions Hindsight-Ack in prose: nothing") == set()


def test_ack_values_accept_lists_and_refuse_nonsense() -> None:
    assert parse_ack_values(["42,43", "HS7", " #8 "]) == {42, 43, 7, 8}
    with pytest.raises(InputError, match="cannot read 'abc'"):
        parse_ack_values(["abc"])


@pytest.mark.model
def test_a_payment_retry_diff_is_blocked_by_the_idempotency_lesson(seed_kb: KnowledgeBase) -> None:
    result = check_diff(seed_kb, PAYMENT_DIFF)
    assert result.exit_code == 1
    blocking = result.blocking
    assert blocking
    for finding in blocking:
        c = finding.hit.constraint
        assert c.status == "active" and c.severity in ("critical", "high")
        assert finding.hit.confidence == "strong"
        assert finding.location is not None
        assert finding.location.path == "services/checkout/payment_client.py"
        assert finding.location.line == 11  # the first added line of the hunk
    statements = " ".join(f.hit.constraint.statement.lower() for f in blocking)
    assert "idempoten" in statements
    assert any(f.hit.document.path.startswith("postmortems/PM-2024-003") for f in blocking)

    acked = check_diff(seed_kb, PAYMENT_DIFF, acks={f.id for f in blocking})
    assert acked.exit_code == 0
    assert {f.id for f in acked.acknowledged} == {f.id for f in blocking}
    assert acked.unused_acks == []


@pytest.mark.model
def test_an_unrelated_diff_passes(seed_kb: KnowledgeBase) -> None:
    result = check_diff(seed_kb, DOCS_DIFF)
    assert result.exit_code == 0
    assert result.blocking == []


def test_an_empty_diff_passes_without_a_lookup(fake_kb: KnowledgeBase) -> None:
    assert check_diff(fake_kb, "  \n").exit_code == 0


# --- the command, as CI runs it ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory.getbasetemp())


@pytest.mark.model
def test_kb_check_exits_1_with_valid_sarif_then_0_with_acks(home: Path, tmp_path: Path) -> None:
    import jsonschema

    sarif_path = tmp_path / "hindsight.sarif"
    out = run_kb(home, "check", "--format", "markdown", "--sarif-out", str(sarif_path), input=PAYMENT_DIFF)
    assert out.returncode == 1, out.stderr
    assert out.stdout.startswith(MARKER + "\n")
    assert "block this change" in out.stdout

    sarif = json.loads(sarif_path.read_text())
    schema = json.loads((Path(__file__).parents[1] / "data" / "sarif-2.1.0.schema.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "Hindsight"
    errors = [r for r in run["results"] if r["level"] == "error"]
    assert errors
    location = errors[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "services/checkout/payment_client.py"
    assert location["region"]["startLine"] == 11
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} <= rule_ids
    blocking_ids = [r["ruleId"].removeprefix("HS") for r in errors]

    diff_file = tmp_path / "change.diff"
    diff_file.write_text(PAYMENT_DIFF)
    acked = run_kb(
        home, "check", "--diff", str(diff_file), "--ack", ",".join(blocking_ids), "--format", "json"
    )
    assert acked.returncode == 0, acked.stdout + acked.stderr
    report = json.loads(acked.stdout)
    assert report["blocking"] == []
    assert sorted(map(str, report["acknowledged"])) == sorted(blocking_ids)

    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text(f"Retry captures with a key\n\nHindsight-Ack: {', '.join(blocking_ids)}\n")
    trailer = run_kb(home, "check", "--diff", str(diff_file), "--commit-msg", str(message))
    assert trailer.returncode == 0, trailer.stdout + trailer.stderr
    assert "acknowledged" in trailer.stdout


@pytest.mark.model
def test_kb_check_exits_2_on_errors(home: Path, tmp_path: Path) -> None:
    missing = run_kb(home, "check", "--diff", str(tmp_path / "nope.diff"))
    assert missing.returncode == 2
    assert "no such diff file" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    garbage = run_kb(home, "check", "--diff", "-", input="this is not a diff\n")
    assert garbage.returncode == 2
    assert "not a unified diff" in garbage.stderr
    bad_format = run_kb(home, "check", "--format", "xml", input=DOCS_DIFF)
    assert bad_format.returncode == 2


CARD_VAULT_DIFF = """diff --git a/services/payments/vault.py b/services/payments/vault.py
new file mode 100644
--- /dev/null
+++ b/services/payments/vault.py
@@ -0,0 +1,4 @@
+# Store the card number (PAN) and expiry in our own vault so charges can be routed to any processor.
+def store_card(customer_id: str, pan: str, expiry: str) -> None:
+    vault.put(customer_id, {"pan": pan, "expiry": expiry})
+    log.info("stored card for %s", customer_id)
"""


@pytest.mark.model
def test_a_rejected_decision_is_context_never_a_finding(seed_kb: KnowledgeBase) -> None:
    result = seed_kb.query(task="store customers' card numbers in our own vault to route charges", k=10)
    rejected = [h for h in result.hits if h.constraint.status == "rejected"]
    assert rejected, [h.document.path for h in result.hits]
    assert all(h.document.path.startswith("adrs/0011") for h in rejected)
    assert all("rejected decision: kept as context" in h.why for h in rejected)
    check = check_diff(seed_kb, CARD_VAULT_DIFF)
    assert all(f.hit.constraint.status != "rejected" for f in check.findings)
