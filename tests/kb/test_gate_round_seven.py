"""Round seven (docs/gate.md, read from test6): a block needs the change to do what the lesson forbids
in its changed code, or to stop doing what it asks; a change that does the right thing in the area
of a lesson is advice."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import compliance, signatures
from kb.outputs.evidence import DEFAULT_THRESHOLDS, Evidence, change_lines, without_docstrings
from kb.outputs.gate import check_diff
from kb.retrieval.diffs import parse_diff
from kb.service import KnowledgeBase
from tests.gate_lessons import UNRELATED, add_lessons

PATH_FILTER = (
    "Never let a path filter decide whether a required check runs; "
    "run required suites on every merge to main."
)
BODIES = "Never log raw request or response bodies, because they routinely contain emails and card data."
DROP = "Never drop or rename a column in the same release that stops using it, because rollback fails."
CARDS = "Do not store, process or transmit full card numbers in any system."
DEAD_LETTER = (
    "Always send messages that repeatedly fail processing to a dead-letter topic "
    "instead of crashing the consumer."
)
TENANT_SOURCE = (
    "Handlers must obtain tenant_id from the verified token, never from a path or query parameter."
)


# --- after a light verb, the thing made or let do it must be there ---------------------------------------


def test_a_test_filter_and_a_run_step_are_not_a_path_filter() -> None:
    assert compliance.light_object(PATH_FILTER) == {"path", "filter"}
    quarantine = [
        "        run: ./gradlew test integrationTest -PexcludeTests='*SignupFlowIT'",
        "        filter { excludeTestsMatching(pattern) }",
    ]
    assert compliance.does_forbidden(PATH_FILTER, quarantine) == []
    assert not compliance.violates(PATH_FILTER, quarantine)
    caching = ["          cache: pip", "          args: check services/"]
    assert not compliance.violates(PATH_FILTER, caching)
    # A workflow's `paths:` trigger, or the paths-filter action, is a path filter deciding what runs.
    trigger = [
        "  pull_request:",
        "    paths:",
        "      - 'services/payments/**'",
        "    runs-on: ubuntu-latest",
    ]
    assert compliance.violates(PATH_FILTER, trigger)
    action = [
        "      - uses: dorny/paths-filter@v3",
        "        if: steps.filter.outputs.payments == 'true'",
        "        run: pytest",
    ]
    assert compliance.violates(PATH_FILTER, action)


# --- words a rule joins with "or" qualify one thing ---------------------------------------------------------


def test_logging_the_request_method_and_response_status_is_not_logging_bodies() -> None:
    access = [
        "    log.info(",
        "        method=request.method,",
        "        status=response.status_code,",
        "    )",
    ]
    assert compliance.alternatives(BODIES) == (frozenset({"request", "response"}),)
    assert not compliance.violates(BODIES, access)
    # The body itself is what the rule is about.
    assert compliance.violates(BODIES, ["    log.info('payload', body=request.body)"])


# --- "in the same release that stops using it" ---------------------------------------------------------


def test_a_drop_breaks_the_same_release_rule_only_with_code_that_stops_using_the_column() -> None:
    drop = ['    op.drop_column("orders", "legacy_status")']
    assert compliance.violates(DROP, drop)  # removed lines unknown: as before
    assert not compliance.violates(DROP, drop, removed=[])
    assert not compliance.violates(DROP, drop, removed=["    # legacy_status is unused"])
    assert compliance.violates(DROP, drop, removed=["    legacy_status = Column(String(20))"])
    # Alembic's rename and the rule's second verb.
    assert compliance.forbidden_verbs(DROP) == {"drop", "rename"}
    rename = ['    op.alter_column("customers", "phone", new_column_name="phone_e164")']
    assert compliance.violates(DROP, rename, removed=["    phone: Mapped[str] = mapped_column(String(32))"])
    not_renamed = ['    op.alter_column("customers", "phone", nullable=False)']
    assert not compliance.violates(DROP, not_renamed, removed=["x = 1"])


# --- a docstring is prose, as a comment is ----------------------------------------------------------------


def test_a_docstring_does_not_do_what_a_rule_forbids() -> None:
    lines = [
        '    """A card the customer saved at the processor. We keep the token and display',
        '    fields only; a body carrying anything else (such as a card number) is rejected."""',
        "    processor_token: str",
        "    last4: str | None = None",
    ]
    assert without_docstrings(lines) == lines[2:]
    assert not compliance.violates(CARDS, without_docstrings(lines))
    assert compliance.violates(CARDS, ["    card_number = Column(String(19))  # saved for refunds"])
    # A docstring that opens and closes on one line, and a closing line alone (its opening outside
    # the diff), which keeps what follows.
    assert without_docstrings(['    """One line."""', "x = 1"]) == ["x = 1"]
    assert without_docstrings(['    """', "x = 1"]) == ['    """', "x = 1"]


# --- a bare call is the tool, unless a safeguard tells careful from careless ----------------------------


def test_a_bare_call_is_a_cause_only_beside_a_quoted_safeguard() -> None:
    no_safeguard = "# Logging\n\n## Context\n\nServices call `logger.info` with any object.\n"
    assert not signatures.extract(no_safeguard).risks
    with_safeguard = "# Carriers\n\n## Root cause\n\nThe client called `requests.post` with no `timeout=`.\n"
    found = signatures.extract(with_safeguard)
    assert found.risks and found.safeguards
    # A call with its arguments is the cause itself, safeguard or not.
    quoted = '# Logging\n\n## Root cause\n\n`logger.info("payload %s", request.json)` wrote emails.\n'
    assert signatures.extract(quoted).risks


# --- a bounded setting moved into its bound is brought in -------------------------------------------------


PROBE_POSTMORTEM = """# Restart loop

## Root cause

The liveness probe ran with `failureThreshold: 3`.

## Action items

- Set `timeoutSeconds` to at least 5.
"""


def test_a_setting_moved_into_its_bound_is_a_new_safeguard() -> None:
    found = signatures.extract(PROBE_POSTMORTEM)
    raised = signatures.match(found, ["    timeoutSeconds: 5"], ["    timeoutSeconds: 2"])
    assert raised.new_safeguards == ("timeoutSeconds",)
    assert raised.guards_only
    # Rewritten within its bound: held before, not brought in.
    kept = signatures.match(found, ["    timeoutSeconds: 6"], ["    timeoutSeconds: 5"])
    assert kept.added_safeguards and not kept.new_safeguards


# --- a change that stops doing what a positive rule asks ------------------------------------------------


def test_removing_the_dead_letter_send_undoes_the_rule() -> None:
    removed = [
        "                } catch (e: Exception) {",
        '                    dlq.send(ProducerRecord("refunds.requested.dlq", record.key(), record.value()))',
    ]
    added = ["                handler.handle(RefundRequested.parse(record.value()))"]
    assert compliance.undoes(DEAD_LETTER, added, removed) == ["dead", "letter"]
    # Moved, not removed; removed only in a comment; or brought in: not undone.
    assert compliance.undoes(DEAD_LETTER, removed, removed) == []
    assert compliance.undoes(DEAD_LETTER, added, ["    // sends to the dlq topic"]) == []
    assert compliance.undoes(DEAD_LETTER, removed, []) == []
    evidence = Evidence(path="c.kt", content_similarity=0.45, task_similarity=None, shared_terms=[])
    assert not evidence.blocks(DEFAULT_THRESHOLDS, DEAD_LETTER)
    evidence.undoes = ["dead", "letter"]
    assert evidence.blocks(DEFAULT_THRESHOLDS, DEAD_LETTER)
    evidence.adds_code = False  # a change that only deletes removes the consumer, not its safeguard
    assert not evidence.blocks(DEFAULT_THRESHOLDS, DEAD_LETTER)


# --- "from A, never from B" ------------------------------------------------------------------------------


def test_a_tenant_read_from_a_query_parameter_breaks_the_source_rule() -> None:
    query = ['  list(@CurrentMerchant() merchantId: string, @Query("merchant_id") requested?: string) {']
    assert compliance.takes_from_forbidden_source(TENANT_SOURCE, query)
    assert compliance.takes_from_forbidden_source(TENANT_SOURCE, ["  const tenant = req.params.tenantId;"])
    assert compliance.takes_from_forbidden_source(TENANT_SOURCE, ["def f(tenant_id: str = Query(...)):"])
    # The record's id from the path and the tenant from the token, on one line: not the rule broken.
    scoped = ['  get(@Param("id") id: string, @CurrentMerchant() merchantId: string) {']
    assert not compliance.takes_from_forbidden_source(TENANT_SOURCE, scoped)
    comment = ["  // never from @Query('merchant_id')"]
    assert not compliance.takes_from_forbidden_source(TENANT_SOURCE, comment)


QUERY_DIFF = """diff --git a/src/payouts/payouts.controller.ts b/src/payouts/payouts.controller.ts
--- a/src/payouts/payouts.controller.ts
+++ b/src/payouts/payouts.controller.ts
@@ -8,4 +8,4 @@ export class PayoutsController {
   @Get()
-  list(@CurrentMerchant() merchantId: string) {
-    return this.payouts.listForMerchant(merchantId);
+  list(@CurrentMerchant() merchantId: string, @Query("merchant_id") requested?: string) {
+    return this.payouts.listForMerchant(requested ?? merchantId);
   }
"""


def test_the_gate_blocks_a_tenant_taken_from_the_query_though_it_names_the_owner_key(
    fake_kb: KnowledgeBase,
) -> None:
    add_lessons(fake_kb, "adr", TENANT_SOURCE, others=UNRELATED[:2])
    # The hashing embedder reads little of the code; the decision is under test, not the model.
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=0.0)
    result = check_diff(fake_kb, QUERY_DIFF, task=TENANT_SOURCE, thresholds=t)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    scoped = QUERY_DIFF.replace(', @Query("merchant_id") requested?: string', "").replace(
        "requested ?? merchantId", "merchantId"
    )
    assert check_diff(fake_kb, scoped, task=TENANT_SOURCE, thresholds=t).exit_code == 0


DROP_ONLY_DIFF = """diff --git a/orders/migrations/versions/a4_drop.py b/orders/migrations/versions/a4_drop.py
new file mode 100644
--- /dev/null
+++ b/orders/migrations/versions/a4_drop.py
@@ -0,0 +1,2 @@
+def upgrade() -> None:
+    op.drop_column("orders", "legacy_status")
"""

MODEL_DIFF = """diff --git a/orders/models.py b/orders/models.py
--- a/orders/models.py
+++ b/orders/models.py
@@ -3,3 +3,2 @@ class Order(Base):
     id = Column(Integer, primary_key=True)
-    legacy_status = Column(String(20))
     status = Column(String(20))
"""


def test_the_gate_reads_the_same_release_from_the_code_the_change_removes(fake_kb: KnowledgeBase) -> None:
    lines = change_lines(parse_diff(DROP_ONLY_DIFF), DROP_ONLY_DIFF)
    assert not compliance.violates(DROP, lines.added, lines.around, lines.removed)
    both = DROP_ONLY_DIFF + MODEL_DIFF
    lines = change_lines(parse_diff(both), both)
    assert compliance.violates(DROP, lines.added, lines.around, lines.removed)
    add_lessons(fake_kb, "postmortem", DROP, others=UNRELATED[:2])
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=0.0, content_similarity=0.99, task_similarity=0.99)
    assert check_diff(fake_kb, both, task=DROP, thresholds=t).exit_code == 1
    assert check_diff(fake_kb, DROP_ONLY_DIFF, task=DROP, thresholds=t).exit_code == 0


# --- an empty list read as everything ---------------------------------------------------------------------

EMPTY = "Treat an empty eligibility list in pricing rules as matching nothing, so nothing is given away."


def test_an_emptiness_test_that_returns_true_breaks_the_empty_means_nothing_rule() -> None:
    everything = [
        "    if not promo.countries:",
        "        return True",
        "    return country in promo.countries",
    ]
    assert compliance.empty_means_all(EMPTY, everything)
    assert compliance.empty_means_all(EMPTY, ["  if (!promo.countries.length) return true;"])
    nothing = ["    if not promo.countries:", "        return False", "    return country in promo.countries"]
    assert not compliance.empty_means_all(EMPTY, nothing)
    # A comment does not do it, and a rule of another shape is not read this way.
    assert not compliance.empty_means_all(EMPTY, ["    # if not countries: return True (the old bug)"])
    assert not compliance.empty_means_all("Never log raw request bodies.", everything)
