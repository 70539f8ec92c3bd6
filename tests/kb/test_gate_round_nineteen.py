"""Round nineteen (docs/gate.md, read from test18, a Rust service): a request logged whole through a
logging macro's field syntax (`info!(body = ?req)`) and other structured-logging forms; an HTTP client
built with no arguments (`reqwest::Client::new()`) not read as an outbound call; the remedy of an
"empty list means everything" bug read as its cause; a volatile default's function read in rows a
seed script inserts; a change that only respells words read as what its words are about."""

from __future__ import annotations

from kb.outputs import change_lines, code_forms, rule_shapes, signatures
from kb.retrieval.diffs import ChangedFile, parse_diff

# --- a request logged whole, in structured logging's field forms ------------------------------------

BODY_RULE = "Never log raw request bodies, since they carry customers' personal data."


def test_structured_fields_that_log_the_request_whole() -> None:
    whole = [
        '    tracing::info!(body = ?request, "incoming signup");',  # Rust tracing, Debug
        '    debug!(%req, "got it");',  # tracing, Display, no field name
        '    slog::info!(logger, "signup"; "req" => ?req);',  # Rust slog
        '    logger.Info("signup", zap.Any("payload", payload))',  # Go zap
        '    log.info("signup_received", body=request.body)',  # Python structlog
        '    log.warning("bad signup", data=request.json)',
    ]
    for line in whole:
        assert rule_shapes.logs_request_whole([line]), line
    fields = [
        '    tracing::info!(user_id = %req.user_id, "incoming signup");',
        '    warn!(error = %err, "validation failed");',
        '    log.info("signup_received", plan=request.plan)',
        '    debug!(has_coupon = req.coupon.is_some(), "checked");',
    ]
    for line in fields:
        assert not rule_shapes.logs_request_whole([line]), line


def test_a_macro_that_logs_the_request_breaks_the_rule() -> None:
    macro = ['    info!(signup = ?req, "debugging the signup form");']
    assert rule_shapes.logs_whole_request(BODY_RULE, macro)
    # the macro never says "log": the forbidden act is read from its shape
    assert rule_shapes.done_by_shape(BODY_RULE, macro, [], [])
    assert not rule_shapes.done_by_shape(BODY_RULE, ['    info!(user = %req.user_id, "signup");'], [], [])


# --- an HTTP client built with no arguments -----------------------------------------------------------


def test_clients_built_without_arguments_call_out() -> None:
    for line in (
        "        let http = reqwest::Client::new();",
        "        Self { client: Client::new(), base }",
        "    let client = Client::builder().build()?;",
        "    let body = reqwest::get(url).await?.text().await?;",
        "    var client = new HttpClient();",
        "    async with aiohttp.ClientSession() as session:",
    ):
        assert code_forms.outbound_http(line), line
    # a database or SDK client takes its config; `redis::Client::open` is no HTTP client
    for line in (
        "    let s3 = aws_sdk_s3::Client::new(&config);",
        '    let redis = redis::Client::open("redis://cache:6379")?;',
        "    let pool = PgPoolOptions::new().connect(&url).await?;",
    ):
        assert not code_forms.outbound_http(line), line


TIMEOUT_DOC = """# Supplier API hung the checkout

## Root Cause

The client called the supplier with `requests.post(url, json=order)` and no `timeout=`, so each
request waited forever.

## Action Items

- Always pass `timeout=` to every outbound call.
"""


def test_a_rust_client_without_a_timeout_repeats_the_incident() -> None:
    found = signatures.extract(TIMEOUT_DOC)
    bare = ["pub fn new() -> Self {", "    Self { http: reqwest::Client::new() }", "}"]
    matched = signatures.match(found, bare, [])
    assert matched.risks and matched.unguarded("Set a timeout on every outbound HTTP call.")
    guarded = [
        "    let http = reqwest::Client::builder()",
        "        .timeout(Duration::from_secs(2))",
        "        .build()?;",
    ]
    assert signatures.match(found, guarded, []).handles("Set a timeout on every outbound HTTP call.")


# --- the remedy of "an empty list means everything" ------------------------------------------------------

EMPTY_RULE = "Treat an empty allow-list of regions as matching nothing."


def test_taking_out_empty_means_all_follows_the_rule() -> None:
    removed = ["    let allowed = rule.regions.is_empty() || rule.regions.contains(&order.region);"]
    added = ["    let allowed = rule.regions.contains(&order.region);"]
    assert rule_shapes.stops_empty_as_all(EMPTY_RULE, added, removed)
    assert rule_shapes.follows_by_shape(EMPTY_RULE, added, [], removed)
    # moved, not taken out: the added code still reads empty as everything
    assert not rule_shapes.stops_empty_as_all(EMPTY_RULE, removed, removed)
    # the cause brought in is no remedy
    assert not rule_shapes.stops_empty_as_all(EMPTY_RULE, removed, added)


# --- a value quoted as a default is found where code gives a default -------------------------------------

DEFAULT_DOC = """# Invoices table rewritten under lock

## Root Cause

Adding a column with a volatile default (`clock_timestamp()`) rewrote the whole `invoices` table.
"""


def test_a_volatile_default_needs_a_default() -> None:
    found = signatures.extract(DEFAULT_DOC)
    seed = ["INSERT INTO invoices (id, issued_at) SELECT g, clock_timestamp() FROM generate_series(1, 20) g;"]
    assert not signatures.match(found, seed, []).risks
    migration = ["ALTER TABLE invoices ADD COLUMN issued_at timestamptz DEFAULT clock_timestamp();"]
    assert signatures.match(found, migration, []).risks
    alembic = [
        '    op.add_column("invoices", sa.Column("issued_at", sa.DateTime,',
        '        server_default=sa.text("clock_timestamp()")))',
    ]
    assert signatures.match(found, alembic, []).risks


# --- a change that only respells prose --------------------------------------------------------------------

RESPELLED = """diff --git a/api/spec.yaml b/api/spec.yaml
--- a/api/spec.yaml
+++ b/api/spec.yaml
@@ -3,6 +3,6 @@ info:
   description: >-
-    Accounts are adressed by opaque identifiers.
+    Accounts are addressed by opaque identifiers.
 paths:
   /v1/accounts/{id}:
     get:
-      summary: Fetch one acount
+      summary: Fetch a single account
"""


def test_a_respelled_description_is_prose() -> None:
    diff = parse_diff(RESPELLED)
    assert change_lines.rewords_prose(diff.files[0])
    lines = change_lines.change_lines(diff, RESPELLED)
    assert lines.added == [] and lines.removed == []


def test_a_changed_value_is_not_prose() -> None:
    def changed(old: str, new: str) -> ChangedFile:
        return ChangedFile(path="deploy/app.yaml", added=[new], removed=[old])

    for old, new in (
        ("    failurePolicy: Ignore", "    failurePolicy: Fail"),
        ("    timeoutSeconds: 30", "    timeoutSeconds: 3"),
        ('    url: "http://api.internal"', '    url: "https://api.internal"'),
        ("    maxmemory-policy: allkeys-lru", "    maxmemory-policy: allkeys-lfu"),
        ("    # lock_timeout: 3s", "    lock_timeout: 3s"),
        ("CREATE INDEX idx ON orders (token);", "CREATE INDEX CONCURRENTLY idx ON orders (token);"),
    ):
        assert not change_lines.rewords_prose(changed(old, new)), new
    # only a comment reworded, or a description's value rewritten
    assert change_lines.rewords_prose(changed("    replicas: 3  # tree", "    replicas: 3  # three"))
    assert change_lines.rewords_prose(
        changed('  description = "Teh bucket"', '  description = "Logs bucket"')
    )
