"""What a change does with a lesson: the code its document quotes as cause and safeguard
(kb.outputs.signatures) and what a rule asks for or forbids (kb.outputs.compliance)."""

from __future__ import annotations

import pytest

from kb.outputs import code_forms, compliance, signatures
from kb.service import KnowledgeBase

POSTMORTEM = """---
title: Upload worker hung on the virus scanner
services: [upload-worker]
---
# Upload worker hung on the virus scanner

## Summary

The upload worker called the scanner with `httpx.post(scan_url, content=blob)` and no `timeout`,
so one stalled scan held a worker forever. See `services/upload/scan.py` and `upload-worker`.

## Root cause

Every worker waited inside `httpx.post`. The queue used `QUEUE` mode `SHARED`.

## Action items

- Set `timeout=` on every scanner call.
- Add a lint rule rejecting `httpx.get` without a timeout.

## Lessons learned

- Always set a timeout on every outbound HTTP call.
"""


def test_quoted_code_is_read_as_risk_or_safeguard_by_section_and_wording() -> None:
    found = signatures.extract(POSTMORTEM, ("upload-worker",))
    risks = {found.labels[w] for w in found.risks}
    safeguards = {found.labels[w] for w in found.safeguards}
    # Cause sections name risks; "no `timeout`" and a fix section's "Set `timeout=`" name safeguards;
    # "rejecting `httpx.get`" names a risk wherever it stands.
    # Every quoted outbound HTTP call is one risk (``code_forms``: the act, in whatever client).
    assert "httpx.post(scan_url, content=blob)" in risks
    assert frozenset({code_forms.OUTBOUND_HTTP}) in found.risks
    assert "timeout" in safeguards or "timeout=" in safeguards
    # Paths, service names and bare words say where, not what: never a signature.
    assert not {"services/upload/scan.py", "upload-worker", "QUEUE", "SHARED"} & (risks | safeguards)


def test_a_change_repeats_a_risk_without_its_safeguard_and_handles_it_with_one() -> None:
    found = signatures.extract(POSTMORTEM)
    repeat = signatures.match(found, ["resp = httpx.post(url, content=data)"], [])
    assert repeat.repeats and repeat.risks
    handled = signatures.match(found, ["resp = httpx.post(url, content=data, timeout=5)"], [])
    assert not handled.repeats
    assert handled.handles("Always set a timeout on every outbound HTTP call.")
    # A safeguard handles only the lessons that speak of it.
    assert not handled.handles("Keep the scan queue per tenant.")
    # Taking a safeguard away repeats the incident even with no risk added.
    removed = signatures.match(found, ["resp = client.send(req)"], ["resp = client.send(req, timeout=5)"])
    assert removed.repeats and removed.removed_safeguards
    assert not signatures.match(found, ["print('hello')"], []).repeats


MIGRATION_POSTMORTEM = """# Orders table locked by a migration

## Root cause

The migration ran `CREATE INDEX` on the orders table inside a transaction, and the deploy log
showed `column orders.shipping_address does not exist` from the old release.

## Action items

- Use `CONCURRENTLY` for every index on a large table.
"""


def test_a_risk_written_in_its_guarded_form_is_not_a_repeat() -> None:
    found = signatures.extract(MIGRATION_POSTMORTEM)
    bare = signatures.match(found, ["CREATE INDEX orders_x_idx ON orders (x);"], [])
    assert bare.risks == ("CREATE INDEX",) and bare.repeats
    guarded = signatures.match(found, ["CREATE INDEX CONCURRENTLY orders_x_idx", "    ON orders (x);"], [])
    assert guarded.risks == () and guarded.added_safeguards == ("CONCURRENTLY",)
    # Guarded on one line, bare on another: the bare one repeats the incident.
    lines = ["CREATE INDEX CONCURRENTLY a_idx ON a (x);", "CREATE INDEX b_idx ON b (y);"]
    both = signatures.match(found, lines, [])
    assert both.risks == ("CREATE INDEX",)
    # The adverb the document quotes is what a lesson's adjective asks for.
    assert guarded.handles("Add nullable columns, new tables or concurrent indexes.")


def test_two_generic_words_of_a_quoted_message_are_not_the_message() -> None:
    found = signatures.extract(MIGRATION_POSTMORTEM)
    # `column orders.shipping_address does not exist`: "column" and "orders" alone are any migration.
    other = signatures.match(found, ["ALTER TABLE orders ADD COLUMN IF NOT EXISTS carrier varchar(32);"], [])
    assert "column orders.shipping_address does not exist" not in other.risks
    same = signatures.match(found, ["raise Error('column orders.shipping_address does not exist')"], [])
    assert "column orders.shipping_address does not exist" in same.risks


def test_a_positive_rule_is_followed_when_the_change_brings_what_it_asks_for() -> None:
    rule = "Use cooperative rebalancing for consumer groups so one slow consumer does not pause the rest."
    assert compliance.asked_for(rule) >= {"cooper", "rebalanc"} or {"cooperative", "rebalanc"} <= (
        compliance.asked_for(rule)
    )
    added = ['"partition.assignment.strategy": "cooperative-sticky",  # incremental rebalancing']
    assert compliance.follows(rule, added, ['"partition.assignment.strategy": "range",'])
    # The same words only moved (removed and added again) are not brought in.
    assert not compliance.follows(rule, added, added)
    # One word is the topic as often as the thing asked for.
    assert not compliance.follows(
        "Always create indexes on large tables with CONCURRENTLY.", ["CREATE INDEX x"], []
    )
    # A negative rule asks for an absence, which no added line shows.
    assert compliance.asked_for("Never use cooperative rebalancing for consumer groups.") == frozenset()


def test_a_negative_rule_is_broken_only_by_a_change_that_does_what_it_forbids() -> None:
    rule = "Never drop or rename a column in the same release that stops reading it."
    assert compliance.does_forbidden(rule, ["ALTER TABLE orders DROP COLUMN legacy_status;"])
    # Its nouns without its verb: the change mentions columns, it drops none.
    assert compliance.does_forbidden(rule, ["ALTER TABLE orders ADD COLUMN note text;"]) == []
    # A light verb says nothing: the words after it decide.
    probe = "Never make a liveness probe depend on the database."
    assert compliance.does_forbidden(probe, ["livenessProbe:", "  httpGet: {path: /health/db}"])
    assert compliance.does_forbidden(probe, ["readinessProbe:"]) == []
    # A negation in the reason clause does not make a positive rule negative.
    reason = (
        "Send every failing message to a dead-letter topic so one poison message never stops a partition."
    )
    assert compliance.does_forbidden(reason, ["x"]) is None
    assert compliance.asked_for(reason)


def test_a_change_violates_a_negative_rule_by_doing_it_to_what_the_rule_names() -> None:
    retry = "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key."
    loop = ["for attempt in range(4):", "    resp = http.post('/refunds', json=body)"]
    # A retry library or an attempt counter is how code says "retry".
    assert compliance.violates(retry, loop)
    # The rule's exception, brought by the change, makes it allowed.
    assert not compliance.violates(retry, [*loop, "    headers={'Idempotency-Key': key}"])
    assert {"key", "request"} <= compliance.excepted(retry)
    # The verb alone, or the verb on something else, is not a violation.
    assert not compliance.violates(retry, ["for attempt in range(4):", "    cache.get(key)"])


def test_after_a_light_verb_the_rest_of_the_clause_must_be_in_the_change() -> None:
    rule = "Never make a liveness probe depend on databases or other downstream services, because x."
    assert {"databas", "downstream"} <= compliance.forbidden_complement(rule)
    # A dependency-free liveness probe is what the incident asked for; one that runs psql is not.
    assert not compliance.violates(rule, ["livenessProbe:", "  httpGet: {path: /livez, port: 8080}"])
    assert compliance.violates(rule, ["livenessProbe:", "  exec: {command: [pg_isready, -h, db]}"])
    assert compliance.forbidden_complement("Never log request bodies.") == frozenset()


def test_what_a_rule_forbids_can_be_its_passive_subject_and_its_last_noun() -> None:
    rule = "Request and response bodies must never be logged in production."
    verb, words = compliance.forbidden(rule)
    assert verb == "logg" and {"request", "bodi"} <= words
    assert compliance.forbidden_head(rule) == "bodi"
    assert compliance.forbidden_head("Never log raw request or response bodies, because x.") == "bodi"
    assert compliance.forbidden_head("Never retry a non-idempotent POST on timeout.") == "post"


def test_logging_the_body_violates_even_when_the_log_call_is_context() -> None:
    rule = "Never log raw request or response bodies, because they contain personal data."
    around = ["export function requestLogger(req: Request, res: Response) {"]
    assert compliance.violates(rule, ["      body: req.body,"], around)
    # Ids only, with a comment that names what it avoids: no violation.
    ids = ["# never headers or bodies", "log.info('http.request', payment_id=pid, path=request.url)"]
    assert not compliance.violates(rule, ids)
    # A verb that code spells as a keyword ("raise" of raise_for_status) is no evidence.
    timeouts = "Do not raise carrier client timeouts above 5 seconds during an incident."
    assert not compliance.violates(
        timeouts, ["resp = carrier.post(url, timeout=(2, 5))", "resp.raise_for_status()"]
    )


def test_a_route_with_a_path_parameter_matches_in_any_framework() -> None:
    doc = (
        "# Leak\n\n## Root cause\n\nThe handler for `GET /v2/shipments/{id}` loaded by id.\n\n"
        "## Action items\n\n- Require `tenant_id` in every query.\n"
    )
    found = signatures.extract(doc)
    for line in (
        "router.get('/invoices/:invoiceId', requireAuth, async (req, res) => {",
        '@router.get("/payments/{payment_id}")',
        'r.GET("/v1/payouts/:id", handler)',
        '@app.route("/refunds/<int:refund_id>")',
    ):
        matched = signatures.match(found, [line], [])
        assert matched.risks and matched.missing_safeguards == ("tenant_id",), line
        assert matched.names_risk("Never serve `GET /v2/shipments/{id}` without a tenant check.")
    assert not signatures.match(found, ['router.get("/invoices", list_invoices)'], []).risks
    # A POST route with a parameter and a `.get(` elsewhere in the change are not a GET route.
    post = ['@bp.post("/customers/<customer_id>/cards")', 'body.get("number")']
    assert not signatures.match(found, post, []).risks
    scoped = signatures.match(found, ['@router.get("/payments/{payment_id}")', "q.filter(tenant_id=t)"], [])
    assert scoped.added_safeguards and not scoped.repeats


CARRIER_DIFF = """diff --git a/services/labels/carriers/fastpost.py b/services/labels/carriers/fastpost.py
new file mode 100644
--- /dev/null
+++ b/services/labels/carriers/fastpost.py
@@ -0,0 +1,12 @@
+import requests
+
+
+class FastPostCarrier:
+    def __init__(self, base_url: str) -> None:
+        self._base_url = base_url
+
+    def quote(self, parcel: dict) -> dict:
+        resp = requests.post(f"{self._base_url}/rates", json=parcel{timeout})
+        resp.raise_for_status()
+        return resp.json()
+
"""


@pytest.mark.model
def test_the_gate_blocks_a_repeated_incident_and_passes_its_fix_through_the_real_model(
    seed_kb: KnowledgeBase,
) -> None:
    from kb.outputs.gate import check_diff

    risky = check_diff(seed_kb, CARRIER_DIFF.replace("{timeout}", ""))
    blocking = {f.hit.document.path for f in risky.blocking}
    assert blocking & {
        "postmortems/PM-2024-007-carrier-api-timeout-thread-exhaustion.md",
        "adrs/0004-mandatory-timeouts-for-outbound-http.md",
    }, [f.why() for f in risky.findings]
    reasons = [f.evidence.to_dict() for f in risky.blocking if f.evidence is not None]
    assert any(r["signature"] and r["signature"]["risks"] for r in reasons)

    fixed = check_diff(seed_kb, CARRIER_DIFF.replace("{timeout}", ", timeout=(2, 5)"))
    assert not fixed.blocking, [f.why() for f in fixed.blocking]


def test_a_bold_label_opening_a_list_item_is_that_items_heading() -> None:
    body = (
        "# Cache outage\n\n"
        "- **Impact**: reservations were lost.\n"
        "- **Context**: state lived on a cluster with `maxmemory-policy allkeys-lru`,\n"
        "  next to the page cache (`cache.page_ttl` untouched).\n"
        "- **Resolution**: moved to a cluster with `maxmemory-policy noeviction`.\n\n"
        "Later text quotes `other.setting` outside any item.\n"
    )
    found = signatures.extract(body)
    risks = {found.labels[w] for w in found.risks}
    safeguards = {found.labels[w] for w in found.safeguards}
    # A continuation line belongs to its item; the item after it has its own label.
    assert {"maxmemory-policy allkeys-lru", "cache.page_ttl"} <= risks
    assert "maxmemory-policy noeviction" in safeguards
    assert "other.setting" not in risks | safeguards  # the title is not a cause heading


def test_a_migrations_rollback_is_not_what_the_change_does() -> None:
    from kb.outputs.change_lines import forward_lines
    from kb.retrieval.diffs import ChangedFile

    knex = ChangedFile(
        path="migrations/20241203_pick_wave.js",
        added=[
            "exports.up = async (knex) => {",
            "  await knex.raw('ALTER TABLE order_lines ADD COLUMN pick_wave_id uuid');",
            "};",
            "exports.down = async (knex) => {",
            "  await knex.raw('ALTER TABLE order_lines DROP COLUMN IF EXISTS pick_wave_id');",
            "};",
        ],
        is_new=True,
    )
    kept = forward_lines(knex)
    assert any("ADD COLUMN" in line for line in kept)
    assert not any("DROP COLUMN" in line for line in kept)
    # The rule about dropping columns is not broken by a rollback that drops the new column.
    rule = "Never drop or rename a column in the same release that stops using it."
    assert compliance.violates(rule, knex.added, [])
    assert not compliance.violates(rule, kept, [])
    # Alembic: downgrade() first, then upgrade() again: only the forward part is kept.
    alembic = ChangedFile(
        path="alembic/versions/0042.py",
        added=[
            "def downgrade():",
            "    op.drop_column('orders', 'x')",
            "def upgrade():",
            "    op.add_column('orders', x)",
        ],
    )
    assert forward_lines(alembic) == ["def upgrade():", "    op.add_column('orders', x)"]
    # A hunk that git places inside the rollback function is rollback from its first line.
    edited = ChangedFile(
        path="db/migrate/1_add.rb", added=["    remove_column :orders, :x"], headers=["def down"]
    )
    assert forward_lines(edited) == []
    # A file with no migration functions keeps every added line.
    plain = ChangedFile(path="app.py", added=["def handler():", "    return 1"])
    assert forward_lines(plain) == plain.added


def test_a_file_that_adds_alerting_rules_watches_for_the_failure() -> None:
    from kb.outputs.change_lines import forward_lines
    from kb.retrieval.diffs import ChangedFile

    rules = ChangedFile(
        path="monitoring/rules/certificates.yaml",
        added=[
            "groups:",
            "  - name: certificates",
            "    rules:",
            "      - alert: CertificateNotReady",
            '        expr: certmanager_certificate_ready_status{condition="False"} == 1',
        ],
        is_new=True,
    )
    assert forward_lines(rules) == []
    # The same words in a manifest that is not an alert are what the change does.
    manifest = ChangedFile(path="deploy/cert.yaml", added=["status:", "  condition: Ready=False"])
    assert forward_lines(manifest) == manifest.added


def test_a_quoted_topic_or_queue_name_is_a_name_not_a_cause() -> None:
    body = (
        "# Consumer stalled\n\n## Root cause\n\nThe consumer of `orders.ready-for-dispatch` crashed on "
        "one message and `max_poll_interval_ms` was too low.\n"
    )
    found = signatures.extract(body)
    risks = {found.labels[w] for w in found.risks}
    assert "orders.ready-for-dispatch" not in risks
    assert "max_poll_interval_ms" in risks


def test_a_hyphenated_thing_a_rule_forbids_needs_all_its_parts() -> None:
    rule = "Never set continue-on-error on a test step; quarantine a flaky test by name instead."
    assert compliance.forbidden_compound(rule) == {"continue", "error"}
    # "set" and "error" are in half of all code: not setting continue-on-error.
    assert not compliance.violates(rule, ["        self.set_error(exc)"])
    # A hyphenated modifier is not the thing: the rule is about the POST.
    post_rule = "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key."
    assert compliance.forbidden_compound(post_rule) == frozenset()


def test_a_decorator_the_change_adds_acts_on_the_function_it_wraps() -> None:
    rule = "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key."
    decorator = ["    @retry(stop=stop_after_attempt(3), reraise=True)"]
    wrapped = ["    def refund(self, ref: str) -> dict:", '        return self._post("/v1/refunds", json={})']
    assert compliance.violates(rule, decorator, wrapped)
    # The same verb in a plain added line does not reach the POST in the context lines.
    assert not compliance.violates(rule, ["    attempts = 3"], wrapped)
    # Nor does a decorator above a function that does not post.
    assert not compliance.violates(
        rule, decorator, ["    def load(self) -> dict:", "        return self._get('/x')"]
    )


def test_a_short_quoted_span_needs_all_its_words_and_a_literal_value_is_not_one() -> None:
    body = (
        "# Migration locked orders\n\n## Root cause\n\nThe deploy ran `alembic upgrade head` with a "
        "blocking index, and the test step had `continue-on-error: true`.\n"
    )
    found = signatures.extract(body)
    # Two of three words (`alembic`, `upgrade`) are any Alembic migration.
    migration = ["from alembic import op", "def upgrade():", "    op.create_table('t')"]
    assert "alembic upgrade head" not in signatures.match(found, migration, []).risks
    # The setting is the signature, whatever value it is given.
    ci = ["        continue-on-error: ${{ matrix.suite == 'payments' }}"]
    assert "continue-on-error: true" in signatures.match(found, ci, []).risks
