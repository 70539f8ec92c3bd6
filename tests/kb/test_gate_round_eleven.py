"""Round eleven (docs/gate.md, read from test11): a type's literal filled with the owner key is no
read from a request's parameters; a store's address re-pointed at a cache's host moves state into
the cache; a later ask of a positive rule ("...; keep dependency checks in /readyz") is followed
where it says, and its siblings do not block on closeness."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import compliance, rule_shapes
from kb.outputs.evidence import DEFAULT_THRESHOLDS
from kb.outputs.gate import check_diff
from kb.service import KnowledgeBase
from tests.gate_lessons import UNRELATED, add_lessons

TENANT_RULE = "Handlers must obtain tenant_id from the verified token, never from a path or query parameter."

SKIPS_DIFF = """diff --git a/internal/store/store.go b/internal/store/store.go
--- a/internal/store/store.go
+++ b/internal/store/store.go
@@ -77,1 +77,4 @@ func (s *Store) SkipDelivery(ctx context.Context, tenantID, id, date string) err
 }
+func (s *Store) ListSkips(ctx context.Context, tenantID, id string) ([]string, error) {
+    return s.q.ListSkips(ctx, db.ListSkipsParams{TenantID: tenantID, SubscriptionID: id})
+}
"""


def test_a_type_literal_filled_with_the_owner_key_is_no_read_from_parameters() -> None:
    assert not compliance.takes_from_forbidden_source(
        TENANT_RULE, ["\treturn s.q.ListSkips(ctx, db.ListSkipsParams{TenantID: tenantID})"]
    )
    for read in (
        'tenantID := chi.URLParam(r, "tenantID")',
        "const t = req.params.tenantId",
        '@Query("merchant_id") m',
    ):
        assert compliance.takes_from_forbidden_source(TENANT_RULE, [read]), read


def test_the_gate_does_not_block_a_store_that_fills_a_params_struct(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "adr", TENANT_RULE, others=UNRELATED[:1])
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)
    assert check_diff(fake_kb, SKIPS_DIFF, task=TENANT_RULE, thresholds=t).exit_code == 0
    from_url = SKIPS_DIFF.replace("+    return", '+    tenantID = chi.URLParam(r, "tenantID")\n+    return')
    from_url = from_url.replace("@@ -77,1 +77,4 @@", "@@ -77,1 +77,5 @@")
    assert check_diff(fake_kb, from_url, task=TENANT_RULE, thresholds=t).exit_code == 1


# --- state pointed at a cache -------------------------------------------------------------------------------

SEPARATE = "Keep caches and durable state in separate Redis clusters with separate memory limits."

REPOINT_DIFF = """diff --git a/deploy/k8s/slots.yaml b/deploy/k8s/slots.yaml
--- a/deploy/k8s/slots.yaml
+++ b/deploy/k8s/slots.yaml
@@ -29,4 +29,4 @@ spec:
             - name: SLOTS_REDIS_ADDR
-              value: subscriptions-slots.cache.internal:6379
+              value: subscriptions-cache.cache.internal:6379
             - name: BILLING_GATEWAY_URL
"""


def test_a_store_address_re_pointed_at_a_cache_host() -> None:
    removed = ['RESERVATIONS_REDIS_URL = "redis://reservations.cache.internal:6379/0"']
    added = ['RESERVATIONS_REDIS_URL = "redis://shared-cache.cache.internal:6379/1"']
    assert rule_shapes.repoints_state_to_cache(added, removed) == ["reservations_redis_url"]
    # A cache's own setting moved to another cache, or a store moved to another store, is not it.
    assert not rule_shapes.repoints_state_to_cache(
        ["CACHE_URL=redis://new-cache:6379"], ["CACHE_URL=redis://old-cache:6379"]
    )
    assert not rule_shapes.repoints_state_to_cache(
        ["SLOTS_URL=redis://slots-2:6379"], ["SLOTS_URL=redis://slots-1:6379"]
    )


def test_the_gate_blocks_state_moved_onto_the_cache_cluster(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", SEPARATE, others=UNRELATED[:1])
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)
    result = check_diff(fake_kb, REPOINT_DIFF, thresholds=t)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert "cache's host" in result.blocking[0].why()
    back = REPOINT_DIFF.replace(
        "-              value: subscriptions-slots", "-              value: subscriptions-slots-old"
    )
    back = back.replace(
        "+              value: subscriptions-cache", "+              value: subscriptions-slots"
    )
    assert check_diff(fake_kb, back, thresholds=t).exit_code == 0


# --- a later ask of a rule, followed where it says ----------------------------------------------------------

PROBES = "Add a dependency-free /livez endpoint for liveness; keep dependency checks in /readyz."
NARRATIVE = (
    "The deployment pointed both readiness and liveness probes at /health, which performs a "
    "database round trip."
)

READYZ_DIFF = """diff --git a/internal/api/health.go b/internal/api/health.go
--- a/internal/api/health.go
+++ b/internal/api/health.go
@@ -21,3 +21,7 @@ func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
         return
     }
+    // Only readiness looks at dependencies.
+    if err := s.slots.Ping(ctx); err != nil {
+        http.Error(w, "unavailable", http.StatusServiceUnavailable)
+    }
     w.WriteHeader(http.StatusOK)
"""


def test_a_later_ask_is_followed_only_where_it_says() -> None:
    added = ["\t// Only readiness looks at dependencies.", "\tif err := s.slots.Ping(ctx); err != nil {"]
    around = ["func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {"]
    assert rule_shapes.follows_later_clause(PROBES, added, [], around)
    livez = ["func (s *Server) livez(w http.ResponseWriter, r *http.Request) {"]
    assert not rule_shapes.follows_later_clause(PROBES, added, [], livez)
    # A negative rule's later clause is not an ask the change can follow instead.
    assert not rule_shapes.follows_later_clause(
        "Never let a path filter decide whether a required check runs; run required suites on every merge.",
        ["run: pytest required suites"],
        [],
        [],
    )


def test_the_gate_lets_a_dependency_check_into_readiness_pass(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", PROBES, NARRATIVE, others=UNRELATED[:1])
    # Every lesson is close enough to block on similarity alone: the decision is under test.
    t = replace(DEFAULT_THRESHOLDS, content_similarity=-1.0, shared_terms=0, advice_similarity=-1.0)
    result = check_diff(fake_kb, READYZ_DIFF, task=NARRATIVE, thresholds=t)
    assert result.exit_code == 0, [f.why() for f in result.findings]
    in_livez = READYZ_DIFF.replace("func (s *Server) readyz", "func (s *Server) livez")
    assert check_diff(fake_kb, in_livez, task=NARRATIVE, thresholds=t).exit_code == 1


# --- the request logged whole -------------------------------------------------------------------------------

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."

LOG_DIFF = """diff --git a/internal/api/subscriptions.go b/internal/api/subscriptions.go
--- a/internal/api/subscriptions.go
+++ b/internal/api/subscriptions.go
@@ -36,3 +36,4 @@ func (s *Server) createSubscription(w http.ResponseWriter, r *http.Request) {
         return
     }
+    s.logger.Info("create subscription request", "tenant_id", tenantID, "request", req)
     sub, err := s.db.CreateSubscription(r.Context(), tenantID, req.PlanID)
"""


def test_a_logging_call_that_passes_the_request_whole_logs_its_body() -> None:
    assert rule_shapes.logs_whole_request(BODIES, ['logger.info("got %s", payload)'])
    assert not rule_shapes.logs_whole_request(BODIES, ['logger.info("got %s", req.id)'])
    assert not rule_shapes.logs_whole_request("Never log card numbers.", ['logger.info("x", req)'])


def test_the_gate_blocks_a_request_logged_whole(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", BODIES, others=UNRELATED[:1])
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)
    result = check_diff(fake_kb, LOG_DIFF, thresholds=t)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    its_id = LOG_DIFF.replace('"request", req)', '"request_id", req.ID)')
    assert check_diff(fake_kb, its_id, thresholds=t).exit_code == 0
