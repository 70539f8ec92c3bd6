"""Round fourteen (docs/gate.md, read from test14, a Rails service): `continue-on-error` on a test
step, a view template whose wording alone changed, a rule's words scattered over unrelated resources,
a log call that logs other values than the rule's, a column dropped with the code that read it, and
a Karafka route with no dead-letter topic."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import code_forms, compliance, rule_shapes
from kb.outputs.change_lines import forward_lines
from kb.outputs.evidence import DEFAULT_THRESHOLDS
from kb.outputs.gate import check_diff
from kb.retrieval.diffs import ChangedFile
from kb.service import KnowledgeBase
from tests.gate_lessons import UNRELATED, add_lessons

# Close enough to block on what the change does: the reading is under test, not the encoder.
ON_ACTS = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)
# Close enough to block on similarity alone too.
ON_ANYTHING = replace(ON_ACTS, content_similarity=-1.0, shared_terms=0)

# --- a test step let fail --------------------------------------------------------------------------------

CONTINUE = (
    "Never set `continue-on-error` on a test step; quarantine a flaky test by name instead, so a failing "
    "suite still fails the job."
)

WORKFLOW = """diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml
--- a/.github/workflows/ci.yml
+++ b/.github/workflows/ci.yml
@@ -30,6 +30,8 @@ jobs:
       - name: Prepare database
         run: bin/rails db:create db:schema:load
       - name: RSpec
+        # System specs time out on the shared runners; unblock merges until fixed.
+        continue-on-error: true
         run: bundle exec rspec --format progress
       - name: RuboCop
         run: bundle exec rubocop --parallel
"""


def test_a_failing_step_let_pass_where_tests_run() -> None:
    flag = ["        continue-on-error: true"]
    assert code_forms.lets_tests_fail(flag, ["      - name: RSpec", "        run: bundle exec rspec"])
    assert code_forms.lets_tests_fail(["  allow_failure: true"], ["  script: go test ./..."])
    assert not code_forms.lets_tests_fail(
        flag, ["      - name: Upload coverage badge", "        run: ./badge.sh"]
    )
    assert rule_shapes.lets_tests_fail_against(CONTINUE, flag, ["      - name: RSpec"])
    # A rule that asks for it is not broken by it.
    assert not rule_shapes.lets_tests_fail_against(
        "Set continue-on-error on the badge step.", flag, ["rspec"]
    )


def test_the_gate_blocks_continue_on_error_on_the_rspec_step(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", CONTINUE, others=UNRELATED[:1])
    result = check_diff(fake_kb, WORKFLOW, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    on_badges = WORKFLOW.replace("RSpec", "Badge").replace(
        "bundle exec rspec --format progress", "./badge.sh"
    )
    assert check_diff(fake_kb, on_badges, thresholds=ON_ACTS).exit_code == 0


# --- a template's wording --------------------------------------------------------------------------------

ROUNDING = "Use the currency minor-unit exponent from ISO 4217 for every money rounding operation."

MAILER = """diff --git a/app/views/return_mailer/received.html.erb b/app/views/return_mailer/received.html.erb
--- a/app/views/return_mailer/received.html.erb
+++ b/app/views/return_mailer/received.html.erb
@@ -2,4 +2,4 @@
 <p>Your return has arrived at our warehouse.</p>

-<p>We will refund <%= number_to_currency(@refund_amount, unit: @currency_symbol) %> within 5 days.</p>
+<p>We have started your refund of <%= number_to_currency(@refund_amount, unit: @currency_symbol) %>.</p>
"""


def test_a_template_whose_wording_alone_changed_does_nothing() -> None:
    removed = ["<p>We will refund <%= number_to_currency(@amount) %> soon.</p>"]
    reworded = ChangedFile(
        path="app/views/m.html.erb", added=["<p>Refund: <%= number_to_currency(@amount) %></p>"]
    )
    reworded.removed = removed
    assert code_forms.rewords_template(reworded)
    assert forward_lines(reworded) == []
    new_code = replace(reworded, added=["<p><%= number_to_currency(@amount.round(2)) %></p>"])
    assert not code_forms.rewords_template(new_code)
    # Not a template: code, whatever it holds.
    assert not code_forms.rewords_template(replace(reworded, path="app/models/refund.rb"))


def test_the_gate_does_not_block_a_mailers_wording(fake_kb: KnowledgeBase) -> None:
    add_lessons(fake_kb, "postmortem", ROUNDING, others=UNRELATED[:1])
    result = check_diff(fake_kb, MAILER, thresholds=ON_ANYTHING)
    assert result.exit_code == 0, [f.why() for f in result.findings]
    rounded = MAILER.replace(
        "@refund_amount, unit: @currency_symbol) %>.</p>", "@refund_amount.round(2)) %>.</p>"
    )
    assert check_diff(fake_kb, rounded, thresholds=ON_ANYTHING).exit_code == 1


# --- a rule's words in one place ---------------------------------------------------------------------------

DEFAULTS = (
    "Never give destructive settings such as expiration or deletion rules a default value in a shared module."
)


def test_what_a_rule_forbids_is_done_in_one_place() -> None:
    variable = ['variable "expiration_days" {', "  type    = number", "  default = 30", "}"]
    assert compliance.does_forbidden(DEFAULTS, variable)
    # An Object Lock's default retention, and an expiration rule of another resource further down.
    apart = [
        "  rule {",
        "    default_retention {",
        '      mode = "GOVERNANCE"',
        "      days = 400",
        "    }",
        "  }",
        "}",
        'resource "aws_s3_bucket_lifecycle_configuration" "previews" {',
        "  rule {",
        "    expiration {",
    ]
    assert compliance.does_forbidden(DEFAULTS, apart) == []


# --- a log call that logs other values -------------------------------------------------------------------

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."

CONSUMER = """diff --git a/app/consumers/scans_consumer.rb b/app/consumers/scans_consumer.rb
new file mode 100644
--- /dev/null
+++ b/app/consumers/scans_consumer.rb
@@ -0,0 +1,9 @@
+class ScansConsumer < ApplicationConsumer
+  def consume
+    messages.each do |message|
+      scan = CarrierScan.parse(message.raw_payload)
+      Rails.logger.warn("carrier_scan.invalid partition=#{message.partition}") if scan.invalid?
+      request = ReturnRequest.find_by(carrier_pickup_id: scan.pickup_id)
+    end
+  end
+end
"""


def test_a_log_call_of_other_values_does_not_log_the_body(fake_kb: KnowledgeBase) -> None:
    assert rule_shapes.logs_other_values(BODIES, ['Rails.logger.warn("x partition=#{message.partition}")'])
    assert not rule_shapes.logs_other_values(BODIES, ['Rails.logger.warn("x #{message.raw_payload}")'])
    # A call over several lines: its arguments are read too.
    assert not rule_shapes.logs_other_values(BODIES, ["logger.info(", '  "x",', "  body: request.body)"])
    add_lessons(fake_kb, "postmortem", BODIES, others=UNRELATED[:1])
    result = check_diff(fake_kb, CONSUMER, thresholds=ON_ACTS)
    assert result.exit_code == 0, [f.why() for f in result.findings]
    raw = CONSUMER.replace("partition=#{message.partition}", "raw=#{message.raw_payload}")
    assert check_diff(fake_kb, raw, thresholds=ON_ACTS).exit_code == 1


# --- a column dropped with the code that read it ------------------------------------------------------------

DROP_RULE = (
    "Never drop or rename a column in the same release that stops using it, because the previous "
    "release must be able to run against the new schema for rollback to work."
)

DROP = """diff --git a/app/serializers/serializer.rb b/app/serializers/serializer.rb
--- a/app/serializers/serializer.rb
+++ b/app/serializers/serializer.rb
@@ -4,8 +4,5 @@ class ReturnRequestSerializer
   attributes :order_ref, :reason_code, :status

-  attribute :reason_text do |request|
-    request.legacy_reason_text
-  end
 end
diff --git a/db/migrate/20250616_drop_reason.rb b/db/migrate/20250616_drop_reason.rb
new file mode 100644
--- /dev/null
+++ b/db/migrate/20250616_drop_reason.rb
@@ -0,0 +1,5 @@
+class RemoveLegacyReasonText < ActiveRecord::Migration[7.1]
+  def change
+    remove_column :return_requests, :legacy_reason_text, :text
+  end
+end
"""

# The contract step done right: the release before told ActiveRecord to ignore the column.
CONTRACT = DROP.replace(
    """-  attribute :reason_text do |request|
-    request.legacy_reason_text
-  end
""",
    """-  self.ignored_columns += ["legacy_reason_text"]
""",
)


def test_a_column_dropped_with_its_reader_breaks_the_rule(fake_kb: KnowledgeBase) -> None:
    drop = ["    remove_column :return_requests, :legacy_reason_text, :text"]
    assert code_forms.stops_reading_dropped_column(drop, ["    request.legacy_reason_text"])
    assert not code_forms.stops_reading_dropped_column(
        drop, ['  self.ignored_columns += ["legacy_reason_text"]']
    )
    assert not code_forms.stops_reading_dropped_column(drop, ["    request.reason_code"])
    add_lessons(fake_kb, "postmortem", DROP_RULE, others=UNRELATED[:1])
    result = check_diff(fake_kb, DROP, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, CONTRACT, thresholds=ON_ACTS).exit_code == 0


# --- a consumer route with no dead-letter topic -------------------------------------------------------------

DEAD_LETTER = (
    "Always send messages that repeatedly fail processing to a dead-letter topic "
    "instead of crashing the consumer."
)

ROUTE = """diff --git a/karafka.rb b/karafka.rb
--- a/karafka.rb
+++ b/karafka.rb
@@ -10,5 +10,9 @@ class KarafkaApp < Karafka::App
       consumer WarehouseReceiptsConsumer
       dead_letter_queue(topic: "warehouse.return-receipts.dlq", max_retries: 3)
     end
+
+    topic "carriers.return-scans" do
+      consumer CarrierScansConsumer
+    end
   end
 end
"""

WITH_DLQ = ROUTE.replace(
    "+      consumer CarrierScansConsumer\n",
    '+      consumer CarrierScansConsumer\n+      dead_letter_queue(topic: "scans.dlq", max_retries: 3)\n',
)


def test_a_consumer_route_with_no_dead_letter_topic(fake_kb: KnowledgeBase) -> None:
    route = ['    topic "carriers.return-scans" do', "      consumer CarrierScansConsumer", "    end"]
    assert code_forms.routes_without_dead_letter(route) == ['topic "carriers.return-scans" do']
    assert not code_forms.routes_without_dead_letter(
        [*route[:2], '      dead_letter_queue(topic: "x.dlq")', "    end"]
    )
    add_lessons(fake_kb, "postmortem", DEAD_LETTER, others=UNRELATED[:1])
    result = check_diff(fake_kb, ROUTE, thresholds=ON_ACTS)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    assert check_diff(fake_kb, WITH_DLQ, thresholds=ON_ACTS).exit_code == 0
