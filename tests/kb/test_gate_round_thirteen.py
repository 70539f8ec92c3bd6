"""Round thirteen (docs/gate.md, read from test13): a request logged whole through Elixir's
`inspect/1`, an Elixir `@moduledoc` read as prose, a runbook's "carrier client timeouts" not read
into a liveness probe's `timeoutSeconds`, an expiration rule over the whole of an evidence bucket,
a Liquibase YAML `dropColumn` over several lines, and an OkHttp timeout of zero."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import code_forms, rule_shapes, signatures
from kb.outputs.evidence import DEFAULT_THRESHOLDS, without_docstrings
from kb.outputs.gate import check_diff
from kb.service import KnowledgeBase
from tests.gate_lessons import UNRELATED, add_lessons
from tests.kb.test_gate_round_twelve import NEW_READER  # the same Kotlin reader of the column

# Close enough to block on what the change does: the reading is under test, not the encoder.
ON_ACTS = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)

# --- the request logged whole, in Elixir -----------------------------------------------------------------

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."

INSPECT_DIFF = """diff --git a/lib/claims_web/claim_controller.ex b/lib/claims_web/claim_controller.ex
--- a/lib/claims_web/claim_controller.ex
+++ b/lib/claims_web/claim_controller.ex
@@ -18,4 +18,6 @@ defmodule ClaimsWeb.ClaimController do
   end

   def create(conn, %{"claim" => claim_params}) do
+    Logger.info("create claim request: #{inspect(claim_params)}", merchant_id: conn.assigns.merchant_id)
+
     with {:ok, claim} <- Claims.create_claim(conn.assigns.merchant_id, claim_params) do
"""


def test_a_request_named_for_what_it_holds_is_logged_whole() -> None:
    for line in (
        'Logger.info("create claim request: #{inspect(claim_params)}")',
        'logger.info(f"got {rawBody}")',
        'log.Printf("payload %v", orderPayload)',
    ):
        assert rule_shapes.logs_whole_request(BODIES, [line]), line
    for line in (
        'Logger.info("claim created", claim_id: claim.id)',
        'logger.info("x", claim_params["id"])',  # one field of it
        'log.info("x", nobody)',  # a word that only ends like one
    ):
        assert not rule_shapes.logs_whole_request(BODIES, [line]), line


def test_the_gate_blocks_claim_params_logged_with_inspect(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", BODIES, others=UNRELATED[:1])
    result = check_diff(fake_kb, INSPECT_DIFF, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    ids_only = INSPECT_DIFF.replace("#{inspect(claim_params)}", '#{claim_params["carrier"]}')
    assert check_diff(fake_kb, ids_only, thresholds=ON_ACTS).exit_code == 0


# --- Elixir documentation is prose ----------------------------------------------------------------------

PERSONAL = "Personal data and card data must never be persisted in logs, even by mistake."

MASKING_HELPER = """diff --git a/lib/claims/redact.ex b/lib/claims/redact.ex
new file mode 100644
--- /dev/null
+++ b/lib/claims/redact.ex
@@ -0,0 +1,9 @@
+defmodule Claims.Redact do
+  @moduledoc "Masks personal data before it reaches log metadata."
+
+  def email(address) do
+    case String.split(address, "@", parts: 2) do
+      [_local, domain] -> "***@" <> domain
+      _ -> "***"
+    end
+  end
"""


def test_elixir_documentation_attributes_are_not_code() -> None:
    lines = [
        '  @moduledoc "Masks personal data before it reaches log metadata."',
        '  @doc """',
        "  Card data never reaches this function.",
        '  """',
        "  def email(address), do: address",
    ]
    assert without_docstrings(lines) == ["  def email(address), do: address"]
    # A module attribute that is not documentation is code.
    assert without_docstrings(['  @timeout "5s"']) == ['  @timeout "5s"']


def test_a_masking_helper_documented_in_the_rules_words_does_not_block(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "adr", PERSONAL, others=UNRELATED[:1])
    t = replace(ON_ACTS, content_similarity=2.0, task_similarity=2.0)  # on acts only
    result = check_diff(fake_kb, MASKING_HELPER, thresholds=t)
    assert result.exit_code == 0, [f.why() for f in result.findings]
    # The same words as code (a log call that writes the personal data) still break the rule.
    logged = MASKING_HELPER.replace(
        '+  @moduledoc "Masks personal data before it reaches log metadata."',
        '+  def log(x), do: Logger.info("persisting personal data", data: x)',
    )
    assert check_diff(fake_kb, logged, thresholds=t).exit_code == 1


# --- what a moved setting belongs to ---------------------------------------------------------------------

TIMEOUT_RULE = "Do not raise carrier client timeouts above 5 seconds during an incident."
THREADS_RULE = "Never raise the worker or thread count to fix saturation caused by a hanging dependency."

PROBE_DIFF = """diff --git a/k8s/deployment.yaml b/k8s/deployment.yaml
--- a/k8s/deployment.yaml
+++ b/k8s/deployment.yaml
@@ -31,5 +31,5 @@ spec:
             httpGet:
               path: /livez
               port: 4000
-            periodSeconds: 15
-            timeoutSeconds: 5
+            periodSeconds: 20
+            timeoutSeconds: 8
"""


def test_a_raised_setting_must_belong_to_what_the_rule_names() -> None:
    removed, added = ["  timeoutSeconds: 5"], ["  timeoutSeconds: 8"]
    assert not rule_shapes.moves_forbidden_setting(TIMEOUT_RULE, added, removed, ["livenessProbe:"])
    assert rule_shapes.moves_forbidden_setting(TIMEOUT_RULE, added, removed, ["carriers:"]) == [
        "timeoutSeconds"
    ]
    assert rule_shapes.moves_forbidden_setting(
        TIMEOUT_RULE, ["  carrierReadTimeoutSeconds: 30"], ["  carrierReadTimeoutSeconds: 5"], []
    )
    # "worker or thread count": one choice, so a `threads` setting needs no "worker" around it.
    assert rule_shapes.moves_forbidden_setting(THREADS_RULE, ["  threads: 48"], ["  threads: 8"], []) == [
        "threads"
    ]


def test_a_runbooks_client_timeout_rule_does_not_block_a_probe_timeout(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "runbook", TIMEOUT_RULE, others=UNRELATED[:1])
    result = check_diff(fake_kb, PROBE_DIFF, task=TIMEOUT_RULE, thresholds=ON_ACTS)
    assert result.exit_code == 0, [f.why() for f in result.findings]
    carrier = PROBE_DIFF.replace("@@ -31,5 +31,5 @@ spec:", "@@ -31,5 +31,5 @@ carrierClient:")
    assert check_diff(fake_kb, carrier, task=TIMEOUT_RULE, thresholds=ON_ACTS).exit_code == 1


# --- an expiration rule over the whole of a bucket a rule protects --------------------------------------

EVIDENCE = (
    "Enable versioning and Object Lock on every bucket that stores evidence or data with a legal "
    "retention period."
)


def _lifecycle_diff(resource: str, scope: str) -> str:
    return f"""diff --git a/terraform/buckets.tf b/terraform/buckets.tf
--- a/terraform/buckets.tf
+++ b/terraform/buckets.tf
@@ -20,3 +20,12 @@ resource "aws_s3_bucket_lifecycle_configuration" "{resource}" {{
       days_after_initiation = 2
     }}
   }}
+
+  rule {{
+    id     = "expire-old"
+    status = "Enabled"
+    {scope}
+    expiration {{
+      days = 30
+    }}
+  }}
 }}
"""


def test_an_expiration_rule_with_no_scope_expires_the_whole_bucket() -> None:
    rule = ["  rule {", "    filter {}", "    expiration {", "      days = 30", "    }", "  }"]
    assert code_forms.expires_whole_bucket(rule)
    assert code_forms.expires_whole_bucket(["lifecycle_rule {", "  enabled = true", "  expiration {"])
    assert code_forms.expires_whole_bucket(
        ["  - Id: expire", "    Status: Enabled", "    ExpirationInDays: 30"]
    )
    scoped = [line.replace("filter {}", 'filter { prefix = "tmp-exports/" }') for line in rule]
    assert not code_forms.expires_whole_bucket(scoped)
    # Old versions only: the current objects stay.
    assert not code_forms.expires_whole_bucket(
        ["  rule {", "    filter {}", "    noncurrent_version_expiration {"]
    )
    assert rule_shapes.protected_kind(EVIDENCE) == {"evidence", "legal", "retention", "period"}
    assert rule_shapes.protected_kind("Enable versioning on every bucket.") == frozenset()


def test_the_gate_blocks_an_evidence_bucket_expired_whole(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", EVIDENCE, others=UNRELATED[:1])
    t = replace(ON_ACTS, content_similarity=2.0, task_similarity=2.0)  # on acts only
    whole = _lifecycle_diff("claim_evidence", "filter {}")
    result = check_diff(fake_kb, whole, thresholds=t)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    # A prefix names what expires; a scratch bucket is not one the rule protects.
    scoped = _lifecycle_diff("claim_evidence", 'filter { prefix = "upload-previews/" }')
    assert check_diff(fake_kb, scoped, thresholds=t).exit_code == 0
    assert check_diff(fake_kb, _lifecycle_diff("label_previews", "filter {}"), thresholds=t).exit_code == 0


# --- a Liquibase YAML drop over several lines ------------------------------------------------------------

SAME_RELEASE = "Never drop or rename a column in the same release that stops using it."

YAML_DROP = """diff --git a/db/changelog/007-drop.yaml b/db/changelog/007-drop.yaml
new file mode 100644
--- /dev/null
+++ b/db/changelog/007-drop.yaml
@@ -0,0 +1,8 @@
+databaseChangeLog:
+  - changeSet:
+      id: 007-drop-statement-reference
+      author: payouts
+      changes:
+        - dropColumn:
+            tableName: payouts
+            columnName: statement_reference
"""


def test_liquibase_yaml_and_json_drops_over_several_lines() -> None:
    yaml = ["        - dropColumn:", "            tableName: payouts", "            columnName: legacy_ref"]
    assert code_forms.dropped_columns(yaml) == ["legacy_ref"]
    listed = [
        "        - dropColumn:",
        "            tableName: payouts",
        "            columns:",
        "              - column:",
        "                  name: legacy_ref",
    ]
    assert code_forms.dropped_columns(listed) == ["legacy_ref"]
    assert code_forms.dropped_columns(['{"dropColumn": {', '  "tableName": "t",', '  "columnName": "c"']) == [
        "c"
    ]
    added = [
        "        - addColumn:",
        "            tableName: payouts",
        "            columns:",
        "              - column:",
    ]
    assert code_forms.dropped_columns([*added, "                  name: legacy_ref"]) == []


def test_the_gate_blocks_a_yaml_drop_shipped_with_its_new_reader(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", SAME_RELEASE, others=UNRELATED[:1])
    result = check_diff(fake_kb, NEW_READER + YAML_DROP, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, YAML_DROP, thresholds=ON_ACTS).exit_code == 0


# --- a JVM client's timeout of zero ----------------------------------------------------------------------


def test_an_okhttp_timeout_of_zero_takes_the_safeguard_away() -> None:
    doc = (
        "# Hang\n\n## Root cause\n\nThe client called `requests.post(url)` with no `timeout=`.\n\n"
        "## Action items\n\n- Require `timeout=` on every outbound call.\n"
    )
    found = signatures.extract(doc)
    bounded = ["val http = OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).build()"]
    assert signatures.match(found, bounded, []).added_safeguards == ("timeout=",)
    webclient = [
        "val client = WebClient.builder()",
        "    .clientConnector(ReactorClientHttpConnector(",
        "        HttpClient.create().responseTimeout(Duration.ofSeconds(5))))",
    ]
    assert signatures.match(found, webclient, []).added_safeguards == ("timeout=",)
    unbounded = ["val http = OkHttpClient.Builder().readTimeout(0, TimeUnit.SECONDS).build()"]
    matched = signatures.match(found, unbounded, [])
    assert matched.removed_safeguards == ("timeout=",) and matched.repeats
    assert code_forms.switched_off(".callTimeout(0, TimeUnit.MILLISECONDS)") == ["callTimeout"]
