"""How a change is matched against the code a document quotes (kb.outputs.signatures) and the schema
statements and positive rules around it (kb.outputs.evidence, kb.outputs.compliance): the causes
found on the gate's fourth blind batch (docs/gate.md, fold test4)."""

from __future__ import annotations

from kb.outputs import compliance, signatures
from kb.outputs.change_lines import on_existing_tables
from kb.outputs.evidence import DEFAULT_THRESHOLDS, Evidence
from kb.outputs.signatures import SignatureMatch

PROBE_POSTMORTEM = """# Liveness probes restarted healthy pods

## Timeline

| Time | Event |
|---|---|
| 08:01 | Probes fail; kubelet restarts pods that answer `/health` slowly via `checkHealth()`. |
| 08:26 | Liveness probe patched to `failureThreshold: 6` via `kubectl patch`. |

## Root cause

The probe had a 1-second timeout with `failureThreshold: 3`, and the controller reported `Ready=False`.

## Action items

- Set liveness `timeoutSeconds` to at least 5 in the chart defaults.
- Add a `startupProbe` so slow starts are not killed.
"""


def _risks(doc: str, added: list[str], removed: tuple[str, ...] = ()) -> tuple[str, ...]:
    return signatures.match(signatures.extract(doc), added, list(removed)).risks


def test_a_quoted_setting_is_found_with_its_value() -> None:
    assert _risks(PROBE_POSTMORTEM, ["  failureThreshold: 3"]) == ("failureThreshold: 3",)
    # The same setting with another value is another setting.
    assert _risks(PROBE_POSTMORTEM, ["  failureThreshold: 6"]) == ()
    # `Ready=False` is a condition's value, not any code that says "ready" and "false".
    assert _risks(PROBE_POSTMORTEM, ['tags: new[] { "ready" }', "Predicate = _ => false"]) == ()
    assert _risks(PROBE_POSTMORTEM, ['if cond.Type == "Ready" && status == "x": Ready=False']) == (
        "Ready=False",
    )


def test_a_timeline_row_that_reports_the_repair_quotes_no_cause() -> None:
    found = signatures.extract(PROBE_POSTMORTEM)
    risks = {found.labels[w] for w in found.risks}
    assert "kubectl patch" not in risks and "failureThreshold: 6" not in risks
    # A row that reports what went wrong still names causes.
    assert "checkHealth()" in risks


def test_a_safeguard_set_to_nothing_or_outside_its_bound_is_taken_away() -> None:
    timeouts = "# Hung client\n\n## Root cause\n\nThe job called `httpx.get(url)` with no `timeout=`.\n"
    found = signatures.extract(timeouts)
    off = signatures.match(
        found,
        ["    with httpx.Client(timeout=None) as client:"],
        ["    with httpx.Client(timeout=httpx.Timeout(5.0, connect=2.0)) as client:"],
    )
    assert off.removed_safeguards == ("timeout=",) and not off.added_safeguards and off.repeats
    kept = signatures.match(found, ["    with httpx.Client(timeout=10) as client:"], [])
    assert kept.added_safeguards == ("timeout=",) and not kept.repeats
    # "Set `timeoutSeconds` to at least 5": 1 is below the bound, 5 and 10 are within it.
    probe = signatures.extract(PROBE_POSTMORTEM)
    low = signatures.match(probe, ["  timeoutSeconds: 1", "  failureThreshold: 3"], [])
    assert "timeoutSeconds" not in low.added_safeguards and low.unguarded("Set liveness timeoutSeconds.")
    ok = signatures.match(probe, ["  timeoutSeconds: 10"], [])
    assert ok.added_safeguards == ("timeoutSeconds",)


def test_a_quoted_call_needs_the_function_it_calls() -> None:
    doc = "# Hang\n\n## Root cause\n\nThe worker called `requests.post(url, json=payload)` and waited.\n"
    # Go code that posts JSON to a URL has three of the call's words, not its function.
    go = ['req, err := http.NewRequest(http.MethodPost, c.baseURL+"/v2", body) // encoding/json payload']
    assert _risks(doc, go) == ()
    assert _risks(doc, ["resp = requests.post(self.url, json=body)"]) == ("requests.post(url, json=payload)",)


def test_a_quoted_sql_statement_is_found_by_its_shape() -> None:
    doc = (
        "# Lock\n\n## Root cause\n\nThe migration ran `CREATE INDEX orders_priority_idx ON orders "
        "(priority_token)` without `CONCURRENTLY`. It had just run `ALTER TABLE orders ADD COLUMN "
        "priority_token uuid DEFAULT gen_random_uuid()`.\n"
    )
    index = "CREATE INDEX orders_priority_idx ON orders (priority_token)"
    assert _risks(doc, ["CREATE INDEX idx_shipments_ref ON shipments (merchant_id, ref);"]) == (index,)
    assert _risks(doc, ["CREATE INDEX CONCURRENTLY idx_shipments_ref ON shipments (ref);"]) == ()
    # The shape of the volatile-default statement needs its function: a constant default is not it.
    assert _risks(doc, ["ALTER TABLE shipments ADD COLUMN region text DEFAULT 'eu';"]) == ()
    assert _risks(doc, ["ALTER TABLE shipments ADD COLUMN token uuid DEFAULT gen_random_uuid();"])


def test_schema_statements_on_a_table_the_change_creates_are_left_out() -> None:
    sql = [
        "CREATE TABLE carrier_sla (",
        "    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),",
        "    target_hours integer NOT NULL",
        ");",
        "CREATE UNIQUE INDEX carrier_sla_uniq",
        "    ON carrier_sla (id, target_hours);",
        "CREATE INDEX orders_sla_idx ON orders (sla_id);",
    ]
    assert on_existing_tables(sql) == ["CREATE INDEX orders_sla_idx ON orders (sla_id);"]
    alembic = [
        "    op.create_table(",
        '        "receipts",',
        '        sa.Column("id", sa.Uuid, server_default=sa.text("gen_random_uuid()")),',
        "    )",
        '    op.create_index("ix_receipts_m", "receipts", ["merchant_id"])',
        '    op.create_index("ix_orders_m", "orders", ["merchant_id"])',
    ]
    assert on_existing_tables(alembic) == ['    op.create_index("ix_orders_m", "orders", ["merchant_id"])']
    # Without a table created, every line stays.
    assert on_existing_tables(sql[4:]) == sql[4:]


def test_a_route_method_is_read_from_the_names_frameworks_give_it() -> None:
    doc = "# Leak\n\n## Root cause\n\nThe handler for `GET /v2/shipments/{id}` loaded by id.\n"
    assert _risks(doc, ['    @GetMapping("/{invoiceId}")'])
    assert _risks(doc, ['app.MapGet("/orders/{id}", (Guid id, Db db) => db.Find(id));'])
    assert _risks(doc, ['    @PostMapping("/{invoiceId}/void")']) == ()


def test_a_line_that_brings_an_asked_for_word_brings_its_neighbours() -> None:
    rule = "Use cooperative rebalancing for consumer groups so one unstable consumer does not pause the rest."
    old = (
        "cfg.Consumer.Group.Rebalance.GroupStrategies = "
        "[]sarama.BalanceStrategy{sarama.NewBalanceStrategyRange()}"
    )
    new = old.replace("NewBalanceStrategyRange", "NewBalanceStrategyCooperativeSticky")
    assert compliance.follows(rule, [new], [old])
    # The line that only keeps the old word brings nothing.
    assert not compliance.follows(rule, [old + "  # tuned"], [old])


def _similar(signature: SignatureMatch) -> Evidence:
    """A lesson the change reads like (similarity alone would block it)."""
    return Evidence(
        path="Program.cs",
        content_similarity=0.6,
        task_similarity=None,
        shared_terms=["readiness", "liveness"],
        signature=signature,
    )


def test_a_change_that_brings_in_an_incidents_safeguards_and_none_of_its_causes_is_advised() -> None:
    lesson = "Use readiness probes to shed traffic from struggling pods."
    brought = SignatureMatch(added_safeguards=("startupProbe",), new_safeguards=("startupProbe",))
    assert not _similar(brought).blocks(DEFAULT_THRESHOLDS, lesson)
    # A safeguard only rewritten (in the removed lines too) is no sign of handling the incident.
    rewritten = SignatureMatch(added_safeguards=("Idempotency-Key",))
    assert _similar(rewritten).blocks(DEFAULT_THRESHOLDS, lesson)
    # Nor is one brought beside a quoted cause.
    beside = SignatureMatch(
        risks=("failureThreshold: 3",), added_safeguards=("startupProbe",), new_safeguards=("startupProbe",)
    )
    assert _similar(beside).blocks(DEFAULT_THRESHOLDS, lesson)


def test_a_bounded_setting_quoted_as_the_cause_is_any_value_outside_its_bound() -> None:
    # "`failureThreshold: 3`" was the cause and the fix asks for at least 6 (PROBE_POSTMORTEM plus
    # a bound on failureThreshold): 2 repeats it, 6 and 10 do not.
    doc = PROBE_POSTMORTEM + "- Set `failureThreshold` to at least 6.\n"
    assert _risks(doc, ["  failureThreshold: 2"]) == ("failureThreshold: 3",)
    assert _risks(doc, ["  failureThreshold: 6"]) == () and _risks(doc, ["  failureThreshold: 10"]) == ()


def test_removing_the_safeguard_a_lesson_names_blocks_like_adding_its_cause() -> None:
    lesson = "Always set explicit connect and read timeouts on every outbound HTTP call."
    taken = SignatureMatch(removed_safeguards=("timeout=",), missing_safeguards=("timeout=",))
    assert taken.takes_away(lesson) and not taken.takes_away("Keep the scan queue per tenant.")
    weak = Evidence(path="ecb.py", content_similarity=0.25, task_similarity=None, shared_terms=[])
    weak.signature = taken
    assert weak.blocks(DEFAULT_THRESHOLDS, lesson)
    weak.signature = SignatureMatch(missing_safeguards=("timeout=",))
    assert not weak.blocks(DEFAULT_THRESHOLDS, lesson)


def test_a_rules_exception_is_brought_by_one_line_that_holds_it() -> None:
    rule = "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key."
    loop = [
        "for attempt := 1; attempt <= 4; attempt++ {",
        "    req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)",
        '    req.Header.Set("Authorization", "Bearer "+c.apiKey)',
    ]
    # "request" and "key" of an API key are not an idempotency key.
    assert compliance.violates(rule, loop)
    assert not compliance.violates(rule, [*loop, '    req.Header.Set("Idempotency-Key", key)'])


def test_an_owner_key_is_how_code_spells_the_tenant() -> None:
    doc = (
        "# Leak\n\n## Root cause\n\nThe handler for `GET /v2/shipments/{id}` loaded by id.\n\n"
        "## Action items\n\n- Require `tenant_id` in every query.\n"
    )
    found = signatures.extract(doc)
    route = '    @GetMapping("/{invoiceId}")'
    query = "invoices.findByIdAndMerchantId(invoiceId, merchant.merchantId())"
    scoped = signatures.match(found, [route, query], [])
    assert scoped.added_safeguards == ("tenant_id",) and not scoped.repeats
    unscoped = signatures.match(found, [route, "invoices.findById(invoiceId)"], [])
    assert unscoped.repeats


def test_a_change_that_adds_no_code_is_not_blocked_by_similarity_alone() -> None:
    lesson = "Page on Kafka consumer lag measured in time, not only in message count."
    close = Evidence(
        path="rules/dispatch.yaml",
        content_similarity=0.64,
        task_similarity=0.6,
        shared_terms=["lag", "kafka"],
    )
    assert close.blocks(DEFAULT_THRESHOLDS, lesson)
    # Only alerting rules added (forward_lines leaves none): it watches for the failure.
    close.adds_code = False
    assert not close.blocks(DEFAULT_THRESHOLDS, lesson)
    # A violation still blocks without added code being needed for similarity.
    close.violates, close.does_forbidden = True, ["page"]
    assert close.blocks(DEFAULT_THRESHOLDS, "Never page on lag.")


def test_a_rule_that_lists_verbs_forbids_them_all_on_its_object() -> None:
    rule = "Do not store, process or transmit full card numbers in any system."
    verb, words = compliance.forbidden(rule)
    assert verb == "store" and {"card", "number", "process", "transmit"} <= words
    assert compliance.forbidden_head(rule) == "number"
    # Code saves and persists where lessons say "store".
    card = [
        '    CardNumber string `json:"card_number,omitempty"`',
        "m, err := h.methods.SaveCard(ctx, req.CardNumber)",
    ]
    assert compliance.violates(rule, card)
    assert not compliance.violates(rule, ["m, err := h.methods.SaveCard(ctx, req.ProcessorToken)"])


def test_close_content_needs_its_own_shared_words_not_the_tasks() -> None:
    lesson = "Run at least three webhook replicas with a PodDisruptionBudget and anti-affinity across zones."
    spread = Evidence(
        path="deployment.yaml",
        content_similarity=0.51,
        task_similarity=0.3,
        shared_terms=["zon", "replica", "across"],
        task_only_terms=2,
    )
    # Two of the three shared words come from the commit subject alone.
    assert not spread.blocks(DEFAULT_THRESHOLDS, lesson)
    spread.task_only_terms = 1
    assert spread.blocks(DEFAULT_THRESHOLDS, lesson)


def test_a_field_quoted_for_its_bad_value_is_not_a_cause() -> None:
    doc = (
        "# Lag\n\n## Timeline\n\n| Time | Event |\n|---|---|\n"
        "| 03:12 | Event with a null `warehouse_id` published. |\n"
        "| 03:12 | The consumer raises `KeyError` and exits. |\n"
    )
    found = signatures.extract(doc)
    assert {found.labels[w] for w in found.risks} == {"KeyError"}
    assert _risks(doc, ['ALLOWED_FIELDS = {"order_id", "warehouse_id"}']) == ()


def test_relying_on_something_is_not_done_by_code_that_names_it() -> None:
    rule = "Never rely on automatic certificate renewal without monitoring the renewal result."
    verb, words = compliance.forbidden(rule)
    assert verb == "reli" and {"certificate", "renewal"} <= words
    # A change that adds certificate expiry alerts names renewal; it does not rely on it.
    assert (
        compliance.does_forbidden(rule, ["- alert: CertificateRenewalFailing", "  certificate renewal"]) == []
    )


def test_a_rule_that_sends_something_asks_for_where_it_goes() -> None:
    rule = "Always send messages that repeatedly fail processing to a dead-letter topic instead of crashing."
    assert {"dead", "letter", "topic"} <= compliance.asked_for(rule)
    assert "crash" not in compliance.asked_for(rule)
    recoverer = [
        "val recoverer = DeadLetterPublishingRecoverer(kafkaTemplate) { r, _ -> TopicPartition(t, p) }"
    ]
    assert compliance.follows(rule, recoverer, [])
    assert not compliance.follows(rule, ["factory.setConcurrency(4)"], [])


def test_an_exclusion_rule_is_broken_by_a_redirect_that_keeps_nothing_out() -> None:
    rule = (
        "Exclude /.well-known/acme-challenge/ from redirect and authentication rules "
        "in every ingress template."
    )
    snippet = [
        "    nginx.ingress.kubernetes.io/server-snippet: |",
        '      if ($host = "old.example") {',
        "        return 301 https://new.example$request_uri;",
        "      }",
    ]
    assert compliance.omits_exclusion(rule, snippet)
    kept = [
        *snippet[:1],
        "      location ^~ /.well-known/acme-challenge/ { try_files $uri =404; }",
        *snippet[1:],
    ]
    assert not compliance.omits_exclusion(rule, kept)
    # A redirect outside an ingress (a web handler) is not what the rule is about.
    assert not compliance.omits_exclusion(rule, ["    return redirect(url_for('login'))"])
    # Nor is an ingress change without a redirect or auth rule.
    assert not compliance.omits_exclusion(rule, ["    nginx.ingress.kubernetes.io/proxy-body-size: 8m"])


def test_a_duration_bound_reads_the_values_unit() -> None:
    # "`lock_timeout` of at most 5 seconds": 3000 ms is within it (3000 was read as seconds), 10s is not.
    doc = (
        "# Lock\n\n## Root cause\n\nNo `lock_timeout` was set for the migration.\n\n"
        "## Action items\n\n- Every migration session must set `lock_timeout` of at most 5 seconds.\n"
    )
    found = signatures.extract(doc)
    for within in ("SET lock_timeout = '3000ms';", "SET lock_timeout = '3s';", "SET lock_timeout = 4"):
        assert signatures.match(found, [within], []).added_safeguards == ("lock_timeout",), within
    for beyond in ("SET lock_timeout = '10s';", "SET lock_timeout = '2min';"):
        assert signatures.match(found, [beyond], []).added_safeguards == (), beyond


def test_a_change_to_every_regions_overlay_pushes_to_all_regions_at_once() -> None:
    never = "Never push a configuration change to all regions at once; roll it out to a canary region first."
    progressive = "Treat configuration changes with the same progressive rollout as code deploys."
    overlays = [
        f"deploy/config/{r}/auth-gateway/ratelimit.conf" for r in ("eu-west", "us-east-1", "ap-southeast")
    ]
    every = compliance.regions_changed(overlays)
    one = compliance.regions_changed(overlays[:1])
    assert every == {"eu-west", "us-east-1", "ap-southeast"} and one == {"eu-west"}
    assert compliance.spreads_over_regions(never, every) and not compliance.spreads_over_regions(never, one)
    # One region's overlay alone is a progressive rollout's step; several are not.
    assert compliance.stays_in_one_region(progressive, one)
    assert not compliance.stays_in_one_region(progressive, every)
    # Rules about anything else are untouched, and a path word that is no region is not one.
    assert not compliance.spreads_over_regions("Never log raw request bodies.", every)
    assert not compliance.stays_in_one_region("Always set timeouts on outbound calls.", one)
    assert compliance.regions_changed(["services/east-side/app.py", "west-coast.yaml"]) == frozenset()


def test_a_kubernetes_env_value_is_read_with_its_name() -> None:
    from kb.outputs.change_lines import env_settings

    diff_text = (
        "diff --git a/deploy/job.yaml b/deploy/job.yaml\n--- a/deploy/job.yaml\n+++ b/deploy/job.yaml\n"
        "@@ -29,4 +29,4 @@ spec:\n"
        "             - name: MIGRATION_LOCK_TIMEOUT\n"
        '-              value: "3s"\n'
        '+              value: "0"\n'
        "             - name: MIGRATION_STATEMENT_TIMEOUT\n"
        '               value: "15min"\n'
    )
    added, removed = env_settings(diff_text)
    assert added == ["MIGRATION_LOCK_TIMEOUT=0 LOCK_TIMEOUT=0"]
    assert removed == ["MIGRATION_LOCK_TIMEOUT=3s LOCK_TIMEOUT=3s"]
    # Read with its name, "0" switches off the `lock_timeout` a document asks for.
    doc = "# Lock\n\n## Action items\n\n- Set `lock_timeout` on every migration session.\n"
    taken = signatures.match(signatures.extract(doc), added, removed)
    assert taken.removed_safeguards == ("lock_timeout",)


def test_a_schema_column_named_for_a_thing_stores_it() -> None:
    rule = "Do not store, process or transmit full card numbers."
    laravel = ["        Schema::table('payment_methods', function (Blueprint $table) {"]
    assert compliance.violates(rule, [*laravel, "            $table->text('card_number')->nullable();"])
    assert compliance.violates(rule, ['    op.add_column("payments", sa.Column("card_number", sa.Text()))'])
    # A column for what the rule does not name (the last four digits) stores no card number.
    assert not compliance.violates(rule, [*laravel, "            $table->string('card_last4', 4);"])
