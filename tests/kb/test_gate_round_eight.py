"""Round eight (docs/gate.md, read from test7): the same act in another framework's spelling. A
document quotes the one library its incident used; a change repeats the incident in another
(``kb.outputs.code_forms``)."""

from __future__ import annotations

from dataclasses import replace

from kb.outputs import code_forms, compliance, signatures
from kb.outputs.change_lines import change_lines, on_existing_tables
from kb.outputs.evidence import DEFAULT_THRESHOLDS, content_text, shape_breaks
from kb.outputs.gate import check_diff
from kb.records import ConstraintDraft, DocumentDraft
from kb.retrieval.diffs import parse_diff
from kb.service import KnowledgeBase

SCOPING = (
    "Enforce tenant scoping in the data access layer "
    "so a handler cannot load a record without a tenant filter."
)
EVICTION = "Never store data that must not be lost in a Redis instance configured with an eviction policy."
ALERT = "Alert on any key eviction in Redis clusters that hold state rather than cache."
PATH_FILTER = (
    "Never let a path filter decide whether a required check runs; "
    "run required suites on every merge to main."
)
TIMEOUTS = "Always set explicit connect and read timeouts on every outbound HTTP call."
CONCURRENT = "Always create indexes on large PostgreSQL tables with CREATE INDEX CONCURRENTLY."

HTTP_POSTMORTEM = """# Carrier timeout

## Root cause

The client called the carrier with `requests.post(url, json=payload)` and no `timeout=` argument.

## Lessons learned

- Always set explicit connect and read timeouts on every outbound HTTP call.
"""

INDEX_POSTMORTEM = """# Orders table lock

## Root cause

The migration ran `CREATE INDEX orders_priority_idx ON orders (priority_token)` without `CONCURRENTLY`.

## Lessons learned

- Always create indexes on large PostgreSQL tables with `CREATE INDEX CONCURRENTLY`.
"""


# --- an outbound HTTP call in any client ---------------------------------------------------------------


def test_an_http_call_in_another_language_is_the_quoted_call() -> None:
    found = signatures.extract(HTTP_POSTMORTEM)
    go = ['\tresp, err := http.Post(c.BaseURL+"/v2/screen", "application/json", body)']
    assert signatures.match(found, go, []).risks
    for line in (
        "  const res = await fetch(url, { method: 'POST', body })",
        "    resp = httpx.post(url, json=body)",
        "    HttpClient client = HttpClient.newHttpClient();",
        "    res = Net::HTTP.post(uri, body)",
    ):
        assert signatures.match(found, [line], []).risks, line
    # With a timeout on the call, or somewhere in the change, it is the guarded form.
    assert not signatures.match(found, ["    requests.get(url, timeout=5)"], []).risks
    client = ["\tclient := &http.Client{", "\t\tTimeout: 5 * time.Second,", "\t}"]
    guarded = signatures.match(found, client, [])
    assert guarded.added_safeguards and not guarded.repeats
    # A call the change rewrites was made before it: not brought in.
    rewritten = signatures.match(found, ["  const client = axios.create({"], ["  return axios.create({"])
    assert not rewritten.risks
    another = ["  const a = axios.create({", "  await fetch(u)"]
    assert signatures.match(found, another, ["  return axios.create({"]).risks
    # Not an HTTP call: a cache's fetch, a dict's get.
    assert not signatures.match(found, ["    value = cache.fetch(key)", "    x = params.get('id')"], []).risks


def test_a_quoted_http_client_names_every_call_of_it() -> None:
    # Quoted as the fix, the careful call is that call, not every HTTP call.
    fix = "# Scanner\n\n## Action items\n\n- Use `httpx.Client(timeout=5)` for the scanner.\n"
    found = signatures.extract(fix)
    assert found.safeguards and not found.risks
    assert frozenset({code_forms.OUTBOUND_HTTP}) not in found.safeguards
    for span in ("requests.post(url, json=payload)", "http.DefaultClient", "http.Get", "requests.*"):
        assert code_forms.outbound_http_span(span), span
    assert not code_forms.outbound_http_span("requests")
    assert not code_forms.outbound_http_span("logger.info")


# --- an index built by a migration tool ---------------------------------------------------------------------


def test_a_migration_tool_index_is_the_quoted_create_index() -> None:
    found = signatures.extract(INDEX_POSTMORTEM)
    for line in (
        "        migrations.AddIndex(",
        "    add_index :ledger_entries, [:account_id, :booked_at]",
        "    await queryInterface.addIndex('ledger', ['account_id'])",
        "  @@index([accountId, bookedAt])",
    ):
        assert signatures.match(found, [line], []).risks, line
    for line in (
        "        AddIndexConcurrently(",
        "    add_index :ledger_entries, :account_id, algorithm: :concurrently",
        "CREATE INDEX CONCURRENTLY ledger_acct ON ledger (account_id);",
    ):
        assert not signatures.match(found, [line], []).risks, line


def test_a_django_index_on_a_model_the_migration_creates_locks_nothing() -> None:
    lines = [
        "        migrations.CreateModel(",
        '            name="Payout",',
        '            fields=[("id", models.BigAutoField(primary_key=True))],',
        "        ),",
        "        migrations.AddIndex(",
        '            model_name="payout",',
        '            index=models.Index(fields=["created_at"], name="payout_created"),',
        "        ),",
        "        migrations.AddIndex(",
        '            model_name="ledgerentry",',
        '            index=models.Index(fields=["account"], name="le_acct"),',
        "        ),",
    ]
    kept = on_existing_tables(lines)
    assert '            model_name="ledgerentry",' in kept
    assert '            model_name="payout",' not in kept
    found = signatures.extract(INDEX_POSTMORTEM)
    assert signatures.match(found, kept, []).risks
    assert not signatures.match(found, on_existing_tables(lines[:8]), []).risks


def test_a_browser_call_to_its_own_origin_is_not_an_outbound_call() -> None:
    assert not code_forms.outbound_http('  const res = await fetch("/api/cards")')
    assert not code_forms.outbound_http("  const { data } = await axios.get('/api/cards')")
    assert code_forms.outbound_http("  const res = await fetch(`${VENDOR_URL}/v1/score`)")


# --- a path filter in every CI ------------------------------------------------------------------------------


def test_ci_path_filters_of_every_system_are_path_filters() -> None:
    for lines in (
        ["  rules:", "    - changes:", "        - src/wallets/**/*"],
        ["  only:", "    changes:", "      - services/payments/**/*"],
        ["      when { changeset 'services/payments/**' }"],
        ["  path-filtering: circleci/path-filtering@1.0.0"],
    ):
        assert compliance.violates(PATH_FILTER, lines), lines
    assert not compliance.violates(PATH_FILTER, ["  script:", "    - go test ./src/wallet/..."])
    # An ingress's `paths:` routes requests, it filters no CI job.
    ingress = ["      http:", "        paths:", "          - path: /", "            pathType: Prefix"]
    assert not code_forms.PATH_FILTER.search("\n".join(ingress))
    assert code_forms.PATH_FILTER.search("  push:\n    paths: ['services/**']")
    # A Liquibase changeSet's `changes:` is its list of statements, not a CI rule.
    liquibase = ["  - changeSet:", "      id: 0019-refund-charge-idx", "      changes:", "        - sql:"]
    assert not code_forms.PATH_FILTER.search("\n".join(liquibase))


def test_the_encoder_reads_what_the_code_does_first() -> None:
    diff = """diff --git a/.gitlab-ci.yml b/.gitlab-ci.yml
--- a/.gitlab-ci.yml
+++ b/.gitlab-ci.yml
@@ -9,3 +9,6 @@ lint:
 test:wallet:
   stage: test
+  rules:
+    - changes:
+        - src/wallets/**/*
"""
    (changed,) = parse_diff(diff).files
    assert content_text(changed).splitlines()[0] == "path filter"
    rule = "+  rules:\n+    - changes:\n+        - src/wallets/**/*\n"
    plain = diff.replace(rule, "+  image: golang:1.23\n")
    assert "path filter" not in content_text(parse_diff(plain).files[0])


# --- a record loaded by a request id with no owner filter -----------------------------------------------


def test_lookups_by_a_request_id_without_an_owner_scope() -> None:
    unscoped = [
        ["        invoice = Invoice.includes(:line_items).find(params[:id])"],
        ["    invoice_id = request.args.get('invoice_id')", "    inv = session.get(Invoice, invoice_id)"],
        ["  const { id } = req.params;", "  const inv = await prisma.invoice.findUnique({ where: { id } });"],
        ['\tid := chi.URLParam(r, "id")', '\trow := db.QueryRowContext(ctx, "SELECT 1 WHERE id=$1", id)'],
        ["    public Invoice get(@PathVariable Long id) {", "        return repo.findById(id).get();"],
    ]
    for lines in unscoped:
        assert code_forms.unscoped_lookups(lines), lines
        assert compliance.loads_unscoped(SCOPING, lines), lines
    scoped = [
        ["        invoice = current_merchant.invoices.find(params[:id])"],
        ["        invoice = Invoice.find_by!(id: params[:id], merchant_id: current_merchant.id)"],
        [
            "    invoice_id = request.args.get('invoice_id')",
            "    inv = session.get(Invoice, invoice_id)",
            "    if inv.merchant_id != g.merchant_id:",
        ],
        ['\tid := chi.URLParam(r, "id")', "\trow := db.QueryRowContext(ctx, q, id, tenantID)"],
        ["    order = Order.objects.get(id=order_id)"],  # an id not from the request: a job, not a handler
    ]
    for lines in scoped:
        assert not code_forms.unscoped_lookups(lines), lines
    # Only a rule about scoping records to their owner is broken by it.
    opaque = "Expose opaque random identifiers instead of sequential ids."
    assert not compliance.loads_unscoped(opaque, unscoped[0])


# --- durable state moved into a cache --------------------------------------------------------------------


def test_writes_moved_from_postgres_to_redis_break_the_eviction_rule() -> None:
    removed = ['                "INSERT INTO wallet_holds (hold_id, amount) VALUES (:h, :a)"']
    added = ["from redis import Redis", '        self._r.set(f"hold:{hold_id}", amount, ex=HOLD_TTL)']
    assert compliance.moves_state_to_cache(EVICTION, added, removed)
    # A cache in front of the database (reads cached, writes still durable) is not a move.
    assert not compliance.moves_state_to_cache(EVICTION, added, [])
    assert not compliance.moves_state_to_cache(EVICTION, removed + added, [])
    # A rule that watches for evictions is not broken by a change.
    assert not compliance.moves_state_to_cache(ALERT, added, removed)


# --- the real path: check_diff ------------------------------------------------------------------------------


def _kb(kb: KnowledgeBase, kind: str, body: str, *statements: str) -> KnowledgeBase:
    drafts = [
        ConstraintDraft(
            statement=statement,
            rationale="",
            category="operational",
            severity="critical",
            record_type="constraint",
            paths=[],
            section="Lessons",
            line_start=n + 3,
            line_end=n + 3,
        )
        for n, statement in enumerate(statements)
    ]
    filler = ConstraintDraft(
        statement="Announce credential rotations in the ops channel thirty minutes ahead.",
        rationale="",
        category="operational",
        severity="medium",
        record_type="procedure",
        paths=[],
        section="Lessons",
        line_start=40,
        line_end=40,
    )
    document = DocumentDraft(
        path=f"{kind}s/doc-1.md",
        kind=kind,
        title="Lessons",
        sha256="0" * 64,
        constraints=[*drafts, filler],
        body=body,
    )
    kb.add_documents("seed", [document])
    return kb


RAILS_DIFF = """diff --git a/app/controllers/invoices_controller.rb b/app/controllers/invoices_controller.rb
--- a/app/controllers/invoices_controller.rb
+++ b/app/controllers/invoices_controller.rb
@@ -7,3 +7,7 @@ module Api
       end
+
+      def show
+        invoice = Invoice.find(params[:id])
+        render json: InvoiceSerializer.new(invoice).serializable_hash
+      end
     end
"""

GO_DIFF = """diff --git a/internal/payouts/screening.go b/internal/payouts/screening.go
--- a/internal/payouts/screening.go
+++ b/internal/payouts/screening.go
@@ -1,3 +1,6 @@
 package payouts
+func (c *Client) Check(b []byte) (*http.Response, error) {
+\treturn http.Post(c.BaseURL+"/v2/screen", "application/json", bytes.NewReader(b))
+}
"""


def test_the_gate_blocks_an_unscoped_rails_find_and_passes_the_scoped_one(fake_kb: KnowledgeBase) -> None:
    _kb(fake_kb, "postmortem", "# IDOR\n", SCOPING)
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)
    lines = change_lines(parse_diff(RAILS_DIFF), RAILS_DIFF)
    assert shape_breaks(SCOPING, lines)
    result = check_diff(fake_kb, RAILS_DIFF, task=SCOPING, thresholds=t)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    scoped = RAILS_DIFF.replace("Invoice.find(", "current_merchant.invoices.find(")
    assert check_diff(fake_kb, scoped, task=SCOPING, thresholds=t).exit_code == 0


def test_the_gate_blocks_a_go_post_with_the_default_client(fake_kb: KnowledgeBase) -> None:
    _kb(fake_kb, "postmortem", HTTP_POSTMORTEM, TIMEOUTS)
    t = replace(DEFAULT_THRESHOLDS, violation_similarity=-1.0)
    result = check_diff(fake_kb, GO_DIFF, task=TIMEOUTS, thresholds=t)
    assert result.exit_code == 1, [f.why() for f in result.findings]
    timed = GO_DIFF.replace(
        '+\treturn http.Post(c.BaseURL+"/v2/screen", "application/json", bytes.NewReader(b))',
        "+\tclient := &http.Client{Timeout: 5 * time.Second}\n+\treturn client.Post(c.BaseURL, ct, r)",
    )
    assert check_diff(fake_kb, timed, task=TIMEOUTS, thresholds=t).exit_code == 0
