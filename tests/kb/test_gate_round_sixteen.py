"""Round sixteen (docs/gate.md, read from test16, a Spring Boot service): prose files (Markdown notes, a
chart's NOTES.txt) read as what a change does, `.retrieve()` read as a retry, a field of the request
body logged read as the body, a GCS retention policy not read as an object lock, a default added to an
existing deletion input, and a liveness probe on Spring Boot's aggregate `/actuator/health`."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import code_forms, compliance, rule_shapes
from kb.outputs.change_lines import change_lines, is_prose_path
from kb.outputs.evidence import DEFAULT_THRESHOLDS
from kb.outputs.gate import check_diff
from kb.retrieval.diffs import parse_diff
from kb.service import KnowledgeBase
from tests.gate_lessons import UNRELATED, add_lessons

# Close enough to block on what the change does: the reading is under test, not the encoder.
ON_ACTS = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)
# Close enough to block on closeness and shared words alone.
ON_ANYTHING = replace(ON_ACTS, content_similarity=-1.0, shared_terms=0, task_similarity=-1.0)

# --- prose files ------------------------------------------------------------------------------------------

TIMEOUTS = "Never call a carrier API without a timeout; wrap third-party APIs in a circuit breaker."

ONCALL = """diff --git a/docs/oncall.md b/docs/oncall.md
--- a/docs/oncall.md
+++ b/docs/oncall.md
@@ -3,3 +3,6 @@
 - Refunds are issued by `payments-api`; if refunds fail, check its status first.
+
+If `returns_label_failures_total` rises, check the `rapidpost` circuit breaker state. An open breaker
+means the carrier API timed out repeatedly; call it without a timeout only from the console.
"""

NOTES = """diff --git a/helm/returns-hub/templates/NOTES.txt b/helm/returns-hub/templates/NOTES.txt
new file mode 100644
--- /dev/null
+++ b/helm/returns-hub/templates/NOTES.txt
@@ -0,0 +1,2 @@
+Health endpoints: /actuator/health/liveness. Carrier API calls without a timeout use the breaker.
+Never call a carrier API without a timeout.
"""


def test_prose_paths() -> None:
    for path in (
        "docs/oncall.md",
        "README.md",
        "services/pay/README",
        "CHANGELOG.md",
        "doc/guide.rst",
        "helm/returns-hub/templates/NOTES.txt",
        "notes/retry.txt",
        "manual/setup.adoc",
        "docs/examples/app.yaml",
    ):
        assert is_prose_path(path), path
    for path in (
        "requirements.txt",
        "services/checkout/requirements-dev.txt",
        "CMakeLists.txt",
        "src/main/resources/db/changelog/changes/005-idx.sql",
        "helm/returns-hub/templates/deployment.yaml",
        "kb/outputs/gate.py",
    ):
        assert not is_prose_path(path), path


def test_prose_alone_never_blocks(fake_kb: KnowledgeBase) -> None:
    for diff in (ONCALL, NOTES):
        assert change_lines(parse_diff(diff), diff).added == []
    add_lessons(fake_kb, "postmortem", TIMEOUTS, others=UNRELATED[:1])
    for diff in (ONCALL, NOTES, ONCALL + NOTES):
        result = check_diff(fake_kb, diff, thresholds=ON_ANYTHING)
        assert result.exit_code == 0, [f.why() for f in result.findings]


# --- `.retrieve()` is no retry --------------------------------------------------------------------------

POST_RULE = (
    "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key that "
    "the downstream honours."
)


def test_retrieve_is_not_a_retry() -> None:
    call = ['        var label = http.post().uri("/labels").body(request).retrieve().body(Label.class);']
    assert compliance.does_forbidden(POST_RULE, call) == []
    retried = [*call, "    @Retry(name = 'carrier')"]
    assert compliance.does_forbidden(POST_RULE, retried)


# --- a field of the body logged -------------------------------------------------------------------------

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."


def test_a_field_of_the_body_is_not_the_body() -> None:
    fields = [
        'log.info("return opened {} {}", kv("reason", body.reason()), kv("items", body.items().size()));'
    ]
    assert rule_shapes.logs_other_values(BODIES, fields)
    assert not rule_shapes.logs_other_values(BODIES, ['log.info("return opened {}", body);'])
    assert not rule_shapes.logs_other_values(BODIES, ['log.info("received {}", request.body);'])


# --- a retention policy is an object lock ----------------------------------------------------------------

LOCK_RULE = (
    "Enable versioning and Object Lock on every bucket that stores evidence with a legal retention period."
)


def test_a_retention_policy_locks_objects() -> None:
    gcs = ["  versioning = true", '  dynamic "retention_policy" {', "    content { retention_period = d }"]
    assert compliance.follows(LOCK_RULE, gcs, []) == ["lock", "object", "version"]
    azure = ["    versioning_enabled = true", "    immutability_policy {"]
    assert compliance.follows(LOCK_RULE, azure, [])
    assert compliance.follows(LOCK_RULE, ["  versioning = true"], []) == []


# --- a default added to an existing deletion input --------------------------------------------------------

DEFAULTS_RULE = (
    "Never give destructive settings such as expiration or deletion rules a default value in a shared "
    "Terraform module."
)


def test_a_default_added_to_a_declared_deletion_input() -> None:
    added = ["  default = [", '    { age = 30, action = "Delete" },', "  ]"]
    around = ['variable "lifecycle_rules" {', "    action        = string"]
    assert code_forms.destructive_defaults(added, around) == ["lifecycle_rules"]
    assert rule_shapes.defaults_destructive_setting(DEFAULTS_RULE, added, around) == ["lifecycle_rules"]
    assert not code_forms.destructive_defaults(["  default = null"], around)
    assert not code_forms.destructive_defaults(added, ['variable "labels" {'])
    # An input declared with a null default is no default.
    declared = ['variable "retention_period_days" {', "  type = number", "  default = null", "}"]
    assert not code_forms.destructive_defaults(declared)


# --- a liveness probe on an aggregate health check --------------------------------------------------------

LIVENESS_RULE = (
    "Never make a liveness probe depend on databases or other downstream services, because slow "
    "dependencies will then restart healthy pods."
)

PROBE = """diff --git a/helm/returns-hub/values.yaml b/helm/returns-hub/values.yaml
--- a/helm/returns-hub/values.yaml
+++ b/helm/returns-hub/values.yaml
@@ -15,6 +15,10 @@ env:
 probes:
+  liveness:
+    path: /actuator/health
+    timeoutSeconds: 1
+    failureThreshold: 3
   readiness:
     path: /actuator/health/readiness
"""

OWN_STATE = PROBE.replace("path: /actuator/health\n", "path: /actuator/health/liveness\n")


def test_a_liveness_probe_on_the_aggregate_health(fake_kb: KnowledgeBase) -> None:
    probe = ["          livenessProbe:", "            httpGet:", "              path: /actuator/health"]
    assert rule_shapes.probes_liveness_on_dependencies(LIVENESS_RULE, probe) == ["path: /actuator/health"]
    assert rule_shapes.probes_liveness_on_dependencies(
        LIVENESS_RULE, [*probe[:2], '  path: "/actuator/health/db"']
    )
    for safe in ("/actuator/health/liveness", "/actuator/health/ping"):
        assert not rule_shapes.probes_liveness_on_dependencies(LIVENESS_RULE, [*probe[:2], f"  path: {safe}"])
    readiness = ["          readinessProbe:", "            httpGet:", "              path: /actuator/health"]
    assert not rule_shapes.probes_liveness_on_dependencies(LIVENESS_RULE, readiness)
    assert not rule_shapes.probes_liveness_on_dependencies(BODIES, probe)
    add_lessons(fake_kb, "postmortem", LIVENESS_RULE, others=UNRELATED[:1])
    result = check_diff(fake_kb, PROBE, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, OWN_STATE, thresholds=ON_ACTS).exit_code == 0
