"""Round twelve (docs/gate.md, read from test12): the acts the gate reads in Python, Go, TypeScript
and Java, in their Kotlin, Liquibase and Helm forms: an empty list passed by `isEmpty() ||`, a bare
`RestTemplate()`, a region in a values file's name, a column dropped by the change that adds its new
reader, an `INSERT` that stores, and a retry that keeps the operation's idempotency key."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import code_forms, rule_shapes
from kb.outputs.evidence import DEFAULT_THRESHOLDS
from kb.outputs.gate import check_diff
from kb.service import KnowledgeBase
from tests.gate_lessons import UNRELATED, add_lessons

# Close enough to block on what the change does: the reading is under test, not the encoder.
ON_ACTS = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)

# --- an empty list read as everything, in Kotlin --------------------------------------------------

EMPTY_RULE = "Treat an empty eligibility list in pricing rules as matching nothing."

WAIVER_DIFF = """diff --git a/src/main/kotlin/fees/FeeWaiver.kt b/src/main/kotlin/fees/FeeWaiver.kt
new file mode 100644
--- /dev/null
+++ b/src/main/kotlin/fees/FeeWaiver.kt
@@ -0,0 +1,6 @@
+data class FeeWaiver(val code: String, val eligibleCurrencies: List<String> = emptyList()) {
+    fun applies(currency: String): Boolean {
+        // No currency list configured means the waiver is not restricted by currency.
+        return eligibleCurrencies.isEmpty() || currency in eligibleCurrencies
+    }
+}
"""


def test_empty_list_forms_that_let_everything_pass() -> None:
    for passes in (
        ["return eligibleCurrencies.isEmpty() || currency in eligibleCurrencies"],
        ["waivers.filter { it.currencies.isEmpty() || c in it.currencies }"],
        ["return not rule.tiers or tier in rule.tiers"],
        ["return rule.currencies.orEmpty().all { it in allowed }"],
        ["val ok = (rule.ids ?: emptyList()).all { it > 0 }"],
        ["val ids = rule.currencies.orEmpty()", "return ids.all { it == currency }"],
    ):
        assert code_forms.empty_passes(passes), passes
    for rejects in (
        ["if (eligibleCurrencies.isEmpty() || currency == null) throw InvalidRule()"],
        ["val ok = !flag || other"],  # a flag negated, not a list tested
        ["return currency in eligibleCurrencies"],
    ):
        assert not code_forms.empty_passes(rejects), rejects


def test_the_gate_blocks_a_kotlin_list_that_means_all_when_empty(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", EMPTY_RULE, others=UNRELATED[:1])
    result = check_diff(fake_kb, WAIVER_DIFF, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    rejected = WAIVER_DIFF.replace(
        "return eligibleCurrencies.isEmpty() || currency in eligibleCurrencies",
        "return currency in eligibleCurrencies",
    )
    assert check_diff(fake_kb, rejected, thresholds=ON_ACTS).exit_code == 0


# --- JVM clients built without `new` --------------------------------------------------------------


def test_a_kotlin_rest_template_is_an_outbound_client() -> None:
    assert code_forms.outbound_http("    private val rest = RestTemplate()")
    assert code_forms.outbound_http("RestTemplate rest = new RestTemplate(factory);")
    assert not code_forms.outbound_http("import org.springframework.web.client.RestTemplate")
    assert not code_forms.outbound_http("class Client(private val rest: RestTemplate)")


# --- a change to every region's values file -------------------------------------------------------

ALL_REGIONS = (
    "Never push a configuration change to all regions at once; roll it out to a canary region first."
)


def _values_diff(*regions: str) -> str:
    return "".join(
        f"""diff --git a/helm/payouts/values-{region}.yaml b/helm/payouts/values-{region}.yaml
--- a/helm/payouts/values-{region}.yaml
+++ b/helm/payouts/values-{region}.yaml
@@ -7,2 +7,2 @@ env:
 bankPartner:
-  requestsPerSecond: 20
+  requestsPerSecond: 35
"""
        for region in regions
    )


def test_regions_read_from_a_values_file_name() -> None:
    assert code_forms.regions_in_path("helm/payouts/values-eu-west.yaml") == ["eu-west"]
    assert code_forms.regions_in_path("deploy/us-east-1/app.yaml") == ["us-east-1"]
    assert code_forms.regions_in_path("env/prod-ap-southeast-2.tfvars") == ["ap-southeast-2"]
    assert code_forms.regions_in_path("helm/payouts/values.yaml") == []


def test_the_gate_blocks_a_value_changed_in_every_regions_values_file(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", ALL_REGIONS, others=UNRELATED[:1])
    everywhere = _values_diff("eu-west", "eu-central", "us-east", "ap-southeast")
    result = check_diff(fake_kb, everywhere, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, _values_diff("eu-west"), thresholds=ON_ACTS).exit_code == 0


# --- a column dropped in the change that moves its readers ----------------------------------------

SAME_RELEASE = "Never drop or rename a column in the same release that stops using it."

DROP_SQL = """diff --git a/db/changelog/005-drop.sql b/db/changelog/005-drop.sql
new file mode 100644
--- /dev/null
+++ b/db/changelog/005-drop.sql
@@ -0,0 +1,4 @@
+--liquibase formatted sql
+--changeset payouts:005-drop-payouts-statement-reference
+ALTER TABLE payouts DROP COLUMN statement_reference;
+--rollback ALTER TABLE payouts ADD COLUMN statement_reference text;
"""

NEW_READER = """diff --git a/kotlin/StatementRepository.kt b/kotlin/StatementRepository.kt
--- a/kotlin/StatementRepository.kt
+++ b/kotlin/StatementRepository.kt
@@ -19,2 +19,4 @@ class StatementRepository(private val jdbc: NamedParameterJdbcTemplate) {
     }
     // lookups by payout
+    fun referenceForPayout(payoutId: UUID): String? =
+        jdbc.queryForObject(REFERENCE_BY_PAYOUT, mapOf("payoutId" to payoutId), String::class.java)
"""


def test_dropped_columns_in_migration_tools_forms() -> None:
    assert code_forms.dropped_columns(["ALTER TABLE payouts DROP COLUMN statement_reference;"]) == [
        "statement_reference"
    ]
    assert code_forms.dropped_columns(['<dropColumn tableName="payouts" columnName="legacy_ref"/>']) == [
        "legacy_ref"
    ]
    for drop in (
        "    remove_column :orders, :shipping_address",
        'op.drop_column("orders", "shipping_address")',
    ):
        assert code_forms.dropped_columns([drop]) == ["shipping_address"], drop


def test_the_gate_blocks_a_drop_shipped_with_its_new_reader(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", SAME_RELEASE, others=UNRELATED[:1])
    result = check_diff(fake_kb, NEW_READER + DROP_SQL, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    # The drop alone: the code stopped using the column in an earlier release; a changelog line
    # that names the dropped column tells of the drop, it reads nothing.
    assert check_diff(fake_kb, DROP_SQL, thresholds=ON_ACTS).exit_code == 0
    told = """diff --git a/CHANGELOG.md b/CHANGELOG.md
--- a/CHANGELOG.md
+++ b/CHANGELOG.md
@@ -1,1 +1,2 @@
 # changelog
+- Schema: drop the unused `payouts.statement_reference` column (contract step).
"""
    assert check_diff(fake_kb, told + DROP_SQL, thresholds=ON_ACTS).exit_code == 0


# --- card numbers stored by an INSERT -------------------------------------------------------------

CARDS = "Do not store, process or transmit full card numbers in any system."

CARD_INSERT = """diff --git a/kotlin/DebitCardRepository.kt b/kotlin/DebitCardRepository.kt
new file mode 100644
--- /dev/null
+++ b/kotlin/DebitCardRepository.kt
@@ -0,0 +1,5 @@
+class DebitCardRepository(private val jdbc: NamedParameterJdbcTemplate) {
+    fun insert(id: UUID, cardNumber: String) {
+        jdbc.update(INSERT_CARD, mapOf("id" to id, "pan" to cardNumber))
+    }
+}
"""


def test_the_gate_blocks_card_numbers_inserted(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "adr", CARDS, others=UNRELATED[:1])
    result = check_diff(fake_kb, CARD_INSERT, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    token = CARD_INSERT.replace("cardNumber", "processorToken")
    assert check_diff(fake_kb, token, thresholds=ON_ACTS).exit_code == 0


# --- a retry that keeps the operation's key -------------------------------------------------------

SAME_KEY = "All clients that retry a payment mutation must send the same idempotency key on every attempt."
UNLESS_KEY = (
    "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key that "
    "the downstream honours."
)

RETRY_DIFF = """diff --git a/kotlin/BankPartnerClient.kt b/kotlin/BankPartnerClient.kt
--- a/kotlin/BankPartnerClient.kt
+++ b/kotlin/BankPartnerClient.kt
@@ -33,5 +33,6 @@ class BankPartnerClient(
     @CircuitBreaker(name = "bank-partner")
+    @Retryable(retryFor = [ResourceAccessException::class], maxAttempts = 3)
     fun submitTransfer(request: TransferRequest): TransferResult {
         val headers = HttpHeaders()
         headers.set("Idempotency-Key", "payout:${request.payoutId}")
         return rest.postForObject("/v2/transfers", HttpEntity(request, headers), TransferResult::class.java)
"""


def test_a_stable_key_kept_on_an_added_retry() -> None:
    added = ["    @Retryable(maxAttempts = 3)"]
    stable = 'headers.set("Idempotency-Key", "payout:${request.payoutId}")'
    assert code_forms.keeps_stable_key(added, [stable])
    fresh = 'headers.set("Idempotency-Key", UUID.randomUUID().toString())'
    assert not code_forms.keeps_stable_key(added, [fresh])
    assert not code_forms.keeps_stable_key(added, ['headers.set("Authorization", "Bearer $token")'])
    # No retry added: nothing to keep the key on.
    assert not code_forms.keeps_stable_key([], [stable])


def test_the_gate_lets_a_retry_that_keeps_the_payout_key_pass(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", SAME_KEY, UNLESS_KEY, others=UNRELATED[:1])
    # Close enough to block on similarity alone too: the decision is under test.
    t = replace(ON_ACTS, content_similarity=-1.0, shared_terms=0)
    result = check_diff(fake_kb, RETRY_DIFF, thresholds=t)
    assert result.exit_code == 0, [f.why() for f in result.findings]
    fresh = RETRY_DIFF.replace('"payout:${request.payoutId}"', "UUID.randomUUID().toString()")
    assert check_diff(fake_kb, fresh, thresholds=t).exit_code == 1


# --- a sibling lesson the change follows, brought though the retrieval missed it ---------------


def test_a_documents_rule_the_change_brings_is_weighed() -> None:
    object_lock = "Enable versioning and Object Lock on every bucket that stores evidence."
    added = ["  object_lock = {", '    mode = "GOVERNANCE"', "  }"]
    assert rule_shapes.asks_what_the_change_does(object_lock, added, []) == (
        "the change brings what it asks for"
    )
    assert rule_shapes.asks_what_the_change_does(object_lock, [], added) == (
        "the change removes what it asks for"
    )
    assert rule_shapes.asks_what_the_change_does(object_lock, ["  versioning = true"], []) == ""
