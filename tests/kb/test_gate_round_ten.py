"""Round ten (docs/gate.md, read from test9 and test10): a change that brings what one lesson of a
document asks for is not blocked by its siblings on closeness alone; comments share no words; a
quoted call is a call; and acts the rules name in words code never says (a setting raised, a failing
CI job let pass, the tenant taken from the URL path, a key made on the spot, a login put in front of
an ingress, a setting moved as the incident's change moved it)."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import code_forms, compliance, rule_shapes, signatures
from kb.outputs.evidence import DEFAULT_THRESHOLDS, Evidence, _content_terms
from kb.outputs.gate import check_diff
from kb.retrieval.diffs import parse_diff
from kb.service import KnowledgeBase
from tests.gate_lessons import UNRELATED, add_lessons

DEAD_LETTER = (
    "Always send messages that repeatedly fail processing to a dead-letter topic "
    "instead of crashing the consumer."
)
LAG = "Page on Kafka consumer lag measured in time, not only in message count, for delivery promises."

CONSUMER_DIFF = """diff --git a/src/consumer.ts b/src/consumer.ts
--- a/src/consumer.ts
+++ b/src/consumer.ts
@@ -3,6 +3,12 @@ const consumer = kafka.consumer({ groupId: "returns" });
 export async function run(): Promise<void> {
   await consumer.run({
     eachMessage: async ({ message }) => {
-      await handleReturn(message);
+      try {
+        await handleReturn(message);
+      } catch (err) {
+        await producer.send({ topic: "returns.dlq", messages: [message] });
+      }
     },
   });
 }
"""


# --- a sibling lesson followed ------------------------------------------------------------------------------


def test_a_change_following_one_lesson_is_not_blocked_by_its_siblings_on_closeness(
    fake_kb: KnowledgeBase,
) -> None:
    add_lessons(fake_kb, "postmortem", DEAD_LETTER, LAG, others=UNRELATED[:1])
    # Every lesson is close enough to block on similarity alone: the decision is under test.
    t = replace(
        DEFAULT_THRESHOLDS,
        content_similarity=-1.0,
        shared_terms=0,
        advice_similarity=-1.0,
        advice_touched_terms=0,
    )
    result = check_diff(fake_kb, CONSUMER_DIFF, task=LAG, thresholds=t)
    assert result.exit_code == 0, [f.why() for f in result.findings]
    lag = next(f for f in result.findings if f.hit.constraint.statement == LAG)
    assert lag.evidence is not None and lag.evidence.document_followed
    # Without the dead-letter send, the sibling blocks on closeness as before.
    plain = CONSUMER_DIFF.replace('producer.send({ topic: "returns.dlq", messages: [message] })', "log(err)")
    assert check_diff(fake_kb, plain, task=LAG, thresholds=t).exit_code == 1


def test_a_followed_sibling_still_lets_a_broken_rule_block() -> None:
    evidence = Evidence(
        path="x.py",
        content_similarity=0.6,
        task_similarity=None,
        shared_terms=["consumer", "offset"],
        does_forbidden=["reset", "offset"],
        violates=True,
        document_followed=True,
    )
    assert evidence.blocks(DEFAULT_THRESHOLDS)
    evidence.violates, evidence.does_forbidden = False, None
    assert not evidence.blocks(DEFAULT_THRESHOLDS)


# --- comments share no words --------------------------------------------------------------------------------


HEALTH_DIFF = """diff --git a/payments/api/health.py b/payments/api/health.py
--- a/payments/api/health.py
+++ b/payments/api/health.py
@@ -18,2 +18,4 @@ def readyz(request: Request):
-    return {"status": "ok"}
+    # Readiness (not liveness) sheds traffic while the database is unreachable.
+    breaker = getattr(request.app.state, "processor_breaker", None)
+    return {"status": "ok", "circuit": breaker.state if breaker else "unknown"}
"""


def test_a_comment_shares_words_with_a_lesson_only_beside_code_that_does() -> None:
    every, code = _content_terms(parse_diff(HEALTH_DIFF).files[0])
    assert "breaker" in code and "liveness" in every
    assert not {"readi", "readiness", "liveness", "shed", "sheds", "traffic"} & code


# --- a quoted call is a call --------------------------------------------------------------------------------

IDOR_PM = """# Cross-tenant shipments

## Root cause

The handler loaded the record with `Shipment.get(id)` and never compared its tenant.

## Lessons learned

- Require a `tenant_id` on every shipment query.
"""


def test_a_quoted_call_needs_its_function_called_on_a_line_with_its_receiver() -> None:
    found = signatures.extract(IDOR_PM)
    refactor = [
        "    private static final Map<String, ShipmentStatus> CODES = Map.of(",
        "        return CODES.getOrDefault(code, ShipmentStatus.IN_TRANSIT);",
    ]
    assert not signatures.match(found, refactor, []).risks
    assert signatures.match(found, ["    shipment = Shipment.get(shipment_id)"], []).risks


# --- a rule followed by the code's shape --------------------------------------------------------------------

EMPTY_RULE = "Treat an empty eligible_tiers as no eligible tiers and reject it at validation time."


def test_an_emptiness_test_that_rejects_follows_the_empty_means_nothing_rule() -> None:
    validation = [
        "def validate_rule(rule):",
        "    if not rule.eligible_tiers:",
        '        raise InvalidRule("eligible_tiers is empty")',
    ]
    assert rule_shapes.rejects_empty(EMPTY_RULE, validation)
    giveaway = ["    if not rule.eligible_tiers:", "        return True"]
    assert not rule_shapes.rejects_empty(EMPTY_RULE, giveaway)
    assert not rule_shapes.rejects_empty("Send an Idempotency-Key on every capture.", validation)


def test_a_lesson_followed_is_advice_though_the_change_names_its_quoted_cause() -> None:
    found = signatures.extract("# Giveaway\n\n## Root cause\n\nThe filter read `eligible_tiers` as all.\n")
    matched = signatures.match(found, ["    if not rule.eligible_tiers:"], [])
    assert matched.names_risk(EMPTY_RULE)
    evidence = Evidence(
        path="v.py",
        content_similarity=0.5,
        task_similarity=None,
        shared_terms=[],
        signature=matched,
        follows=["rejects empty"],
    )
    assert not evidence.blocks(DEFAULT_THRESHOLDS, EMPTY_RULE)
    evidence.follows = []
    assert evidence.blocks(DEFAULT_THRESHOLDS, EMPTY_RULE)


# --- acts the rules name in words code never says ----------------------------------------------------------

TIMEOUT_RULE = (
    "Do not raise carrier client timeouts above 5 seconds during an incident, because it holds threads."
)
THREADS_RULE = "Never raise the worker or thread count to fix saturation caused by a hanging dependency."


def test_a_setting_given_a_bigger_number_is_raised() -> None:
    removed = ["  threads: 8", "  connectTimeoutSeconds: 2", "  readTimeoutSeconds: 5", "  timeout: 30s"]
    added = ["  threads: 48", "  connectTimeoutSeconds: 4", "  readTimeoutSeconds: 30", "  timeout: 2m"]
    moved = {name: way for name, way, _ in rule_shapes.moved_settings(added, removed)}
    assert moved == {"threads": 1, "connectTimeoutSeconds": 1, "readTimeoutSeconds": 1, "timeout": 1}
    # Past the rule's bound only: 4 seconds is within "above 5 seconds".
    assert rule_shapes.moves_forbidden_setting(TIMEOUT_RULE, added, removed) == [
        "readTimeoutSeconds",
        "timeout",
    ]
    assert rule_shapes.moves_forbidden_setting(THREADS_RULE, added, removed) == ["threads"]
    lowered = ["  threads: 4", "  readTimeoutSeconds: 3"]
    assert not rule_shapes.moves_forbidden_setting(TIMEOUT_RULE, lowered, removed)
    assert not rule_shapes.moves_forbidden_setting(THREADS_RULE, lowered, removed)


VALUES_DIFF = """diff --git a/helm/label-service/values.yaml b/helm/label-service/values.yaml
--- a/helm/label-service/values.yaml
+++ b/helm/label-service/values.yaml
@@ -5,4 +5,4 @@ carriers:
   enabled: [dhl, ups]
   connectTimeoutSeconds: 2
-  readTimeoutSeconds: 5
+  readTimeoutSeconds: 30
"""


def test_the_gate_blocks_a_runbook_timeout_raised_past_its_bound(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "runbook", TIMEOUT_RULE, others=UNRELATED[:1])
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)
    result = check_diff(fake_kb, VALUES_DIFF, task=TIMEOUT_RULE, thresholds=t)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    within = VALUES_DIFF.replace("readTimeoutSeconds: 30", "readTimeoutSeconds: 4")
    assert check_diff(fake_kb, within, task=TIMEOUT_RULE, thresholds=t).exit_code == 0


def test_every_ci_spelling_of_letting_a_failing_job_pass() -> None:
    for line in (
        "  allow_failure: true",
        "  continue-on-error: true",
        "    continueOnError: true",
        "  soft_fail: true",
    ):
        assert code_forms.lets_failure_pass(line), line
    for line in ("  allow_failure: false", "  when: always", "  retry: 1"):
        assert not code_forms.lets_failure_pass(line), line
    found = signatures.extract(
        "# Skipped tests\n\n## Root cause\n\nThe step had `continue-on-error: true`.\n"
    )
    assert signatures.match(found, ["  allow_failure: true"], []).risks


TENANT_SOURCE = (
    "Handlers must obtain tenant_id from the verified token, never from a path or query parameter."
)


def test_an_owner_key_in_the_route_path_is_taken_from_the_path() -> None:
    route = ['@router.get("/merchants/{merchant_id}/refunds/{refund_id}/receipt")']
    assert compliance.takes_from_forbidden_source(TENANT_SOURCE, route)
    assert compliance.takes_from_forbidden_source(
        TENANT_SOURCE, ["router.get('/tenants/:tenantId/invoices', h)"]
    )
    assert not compliance.takes_from_forbidden_source(TENANT_SOURCE, ['@router.get("/refunds/{refund_id}")'])
    assert rule_shapes.OWNER_FROM_PATH in rule_shapes.acts_in_lessons_words(route, [])


REPLAY = (
    "Never replay failed capture requests without their original idempotency key, because it may be done."
)


def test_a_key_made_on_the_spot_is_not_the_original_key() -> None:
    replay = [
        "    for capture in pending:",
        "        processor.capture(",
        '            idempotency_key=f"replay:{uuid.uuid4().hex}",',
        "        )",
        '    print(f"replay {capture.id}")',
    ]
    assert compliance.violates(REPLAY, replay)
    original = [line.replace('f"replay:{uuid.uuid4().hex}"', "capture.idempotency_key") for line in replay]
    assert not compliance.violates(REPLAY, original)


ACME = (
    "Exclude /.well-known/acme-challenge/ from redirect and authentication rules in every ingress template."
)


def test_a_login_in_front_of_an_ingress_needs_the_acme_exclusion() -> None:
    auth = ['    nginx.ingress.kubernetes.io/auth-url: "https://sso.example/oauth2/auth"']
    assert compliance.omits_exclusion(ACME, auth)
    spared = [
        *auth,
        "    nginx.ingress.kubernetes.io/auth-snippet: if ($uri ~ /.well-known/acme-challenge/) {}",
    ]
    assert not compliance.omits_exclusion(ACME, spared)
    assert rule_shapes.LOGIN_IN_FRONT in rule_shapes.acts_in_lessons_words(auth, [])


SLA_PM = """# SLA breach

- **Context**: a batching change raised the flush interval from 30 seconds to 10 minutes to cut writes.
"""


def test_a_setting_moved_as_the_incidents_change_moved_it() -> None:
    removed = ["\tflushInterval = 30 * time.Second"]
    raised = rule_shapes.moved_settings(["\tflushInterval = 15 * time.Minute"], removed)
    assert rule_shapes.repeats_told_move(SLA_PM, raised) == "flushInterval"
    lowered = rule_shapes.moved_settings(["\tflushInterval = 10 * time.Second"], removed)
    assert not rule_shapes.repeats_told_move(SLA_PM, lowered)
    assert rule_shapes.move_queries(raised) == ["raised the flush interval"]


SHARED_CLIENT = "Provide a shared HTTP client that requires explicit timeouts on every call."
BUDGETS = "Timeout budgets must be documented per call chain so inner timeouts stay below outer ones."
TIMEOUT_PM = """# Carrier timeout

## Root cause

The client called the carrier with `requests.post(url)` and no `timeout=` argument.
"""
GO_CLIENT_DIFF = """diff --git a/internal/fraud/scorer.go b/internal/fraud/scorer.go
--- a/internal/fraud/scorer.go
+++ b/internal/fraud/scorer.go
@@ -1,2 +1,3 @@
 package fraud
+var sharedClient = &http.Client{}
"""


def test_a_lesson_whose_cause_the_change_adds_unguarded_is_not_followed_for_its_siblings(
    fake_kb: KnowledgeBase,
) -> None:
    from tests.kb.test_gate_round_eight import _kb

    _kb(fake_kb, "adr", TIMEOUT_PM, SHARED_CLIENT, BUDGETS)
    t = replace(DEFAULT_THRESHOLDS, advice_similarity=-1.0)
    result = check_diff(fake_kb, GO_CLIENT_DIFF, task=BUDGETS, thresholds=t)
    budgets = next(f for f in result.findings if f.hit.constraint.statement == BUDGETS)
    assert budgets.evidence is not None and not budgets.evidence.document_followed
    assert budgets.blocking, budgets.why()
