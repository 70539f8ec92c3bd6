"""Round twenty-seven (docs/gate.md, read from test25, a Swift service on Vapor and Fluent): Swift code
read as the gate reads other languages. AsyncHTTPClient's requests and Vapor's client are outbound
calls; `UUID()` is a key made on the spot; an id read with `req.parameters.get` and bound by `guard
let` is the request's; a Fluent migration's `revert` is its rollback and `.deleteField` drops a column;
a property `isEmpty` is an emptiness test, and a `guard` that throws on it rejects the empty list; an
enum's `rawValue` is no raw data. Beside Swift: replicas spread across zones with a disruption budget
follow the rule that asks for them, and a PrometheusRule document in a file of several YAML documents
watches for a failure without hiding the documents beside it. Every snippet here is written for the
test."""

from __future__ import annotations

from kb.outputs import code_forms, compliance, owner_forms, rule_shapes
from kb.outputs.change_lines import forward_lines
from kb.retrieval.diffs import ChangedFile

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."
EMPTY_IS_NOTHING = "Treat an empty eligibility list as matching nothing and reject it at validation time."
SPREAD = "Run at least three webhook replicas with a PodDisruptionBudget and anti-affinity across zones."


# --- an outbound HTTP call ----------------------------------------------------------------------------


def test_swift_http_clients_are_outbound_calls() -> None:
    for line in (
        '        var request = HTTPClientRequest(url: "\\(baseURL)/v1/refunds")',
        "        let http = HTTPClient(eventLoopGroupProvider: .singleton)",
        "        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(2))",
        '        let res = try await req.client.get("https://rates.example/eur")',
        '        let res = try await client.post(URI(string: "\\(baseURL)/v1/quotes"))',
    ):
        assert code_forms.outbound_http(line), line
    for line in (
        "        let rates = try await ratesClient.latest(on: req)",  # a service's own wrapper: unread
        "        let vessel = try await Vessel.find(id, on: req.db)",
        '        let value = try await req.redis.get("k")',
        "        let user = try await cache.get(key)",
    ):
        assert not code_forms.outbound_http(line), line


# --- a key made on the spot ---------------------------------------------------------------------------


def test_swift_uuid_made_inside_a_retry_is_a_fresh_key_per_attempt() -> None:
    retried = [
        "        for attempt in 1...maxAttempts {",
        '            request.headers.add(name: "Idempotency-Key", value: UUID().uuidString)',
        "            let response = try await http.execute(request, timeout: .seconds(5))",
        "        }",
    ]
    assert code_forms.makes_fresh_id(retried[1])
    assert code_forms.fresh_key_per_attempt(retried)
    stable = [
        "        for attempt in 1...maxAttempts {",
        '            request.headers.add(name: "Idempotency-Key", value: "refund:\\(refundID.uuidString)")',
        "        }",
    ]
    assert not code_forms.fresh_key_per_attempt(stable)
    assert not code_forms.makes_fresh_id("        let id = UUID(uuidString: raw)")


# --- a record loaded by an id from the route ----------------------------------------------------------


def test_a_vapor_route_id_bound_by_guard_let_loads_an_unscoped_record() -> None:
    unscoped = [
        '        guard let id = req.parameters.get("invoiceID", as: UUID.self),',
        "              let invoice = try await Invoice.find(id, on: req.db)",
        "        else { throw Abort(.notFound) }",
        "        return InvoiceDTO(invoice)",
    ]
    assert owner_forms.unscoped_lookups(unscoped) == [unscoped[1]]
    checked = [
        '        guard let id = req.parameters.get("invoiceID", as: UUID.self),',
        "              let invoice = try await Invoice.find(id, on: req.db)",
        "        else { throw Abort(.notFound) }",
        "        guard invoice.merchantID == merchant.requireID() else { throw Abort(.notFound) }",
    ]
    assert owner_forms.unscoped_lookups(checked) == []


# --- a Fluent migration -------------------------------------------------------------------------------


def _migration(*body: str) -> ChangedFile:
    return ChangedFile(path="Sources/App/Migrations/M.swift", added=list(body), is_new=True)


def test_a_fluent_revert_is_the_migrations_rollback() -> None:
    migration = _migration(
        "struct AddTrackingCode: AsyncMigration {",
        "    func prepare(on database: Database) async throws {",
        '        try await database.schema("parcels").field("tracking_code", .string).update()',
        "    }",
        "    func revert(on database: Database) async throws {",
        '        try await database.schema("parcels").deleteField("tracking_code").update()',
        "    }",
        "}",
    )
    kept = forward_lines(migration)
    assert any("field(" in line for line in kept)
    assert not any("deleteField" in line for line in kept)
    # a helper named `revert` that takes no database is no rollback
    helper = _migration(
        "    func revert(_ change: Change) {", '        schema.deleteField("tracking_code")', "    }"
    )
    assert any("deleteField" in line for line in forward_lines(helper))


def test_a_fluent_delete_field_drops_a_column_its_release_stops_reading() -> None:
    added = ['        try await database.schema("parcels").deleteField("weight_lb").update()']
    removed = ['    @Field(key: "weight_lb") var weightLb: Double']
    assert code_forms.dropped_columns(added) == ["weight_lb"]
    assert code_forms.stops_reading_dropped_column(added, removed)
    assert code_forms.dropped_columns(['        .field("weight_kg", .double)']) == []


# --- an empty list ------------------------------------------------------------------------------------


def test_a_swift_isempty_joined_by_or_reads_an_empty_list_as_everything() -> None:
    assert compliance.reads_empty_as_all(
        ["        return allowedZones.isEmpty || allowedZones.contains(zone)"]
    )
    assert not compliance.reads_empty_as_all(
        ["        return !allowedZones.isEmpty && allowedZones.contains(zone)"]
    )


def test_a_swift_guard_that_throws_on_an_empty_list_rejects_it() -> None:
    assert rule_shapes.rejects_empty(
        EMPTY_IS_NOTHING, ["        guard !allowedZones.isEmpty else { throw RuleError.noZones(name) }"]
    )
    assert not rule_shapes.rejects_empty(
        EMPTY_IS_NOTHING, ["        guard !allowedZones.isEmpty else { return true }"]
    )


# --- an enum's rawValue -------------------------------------------------------------------------------


def test_an_enums_raw_value_in_a_logging_call_is_no_raw_data() -> None:
    call = [
        '        req.logger.info("refund_issued", metadata: [',
        '            "refund_id": .string(refund.id.uuidString),',
        '            "reason": .string(RefundReason(rawValue: code)?.rawValue ?? "other"),',
        "        ])",
    ]
    assert rule_shapes.logs_other_values(BODIES, call)
    raw = ['        req.logger.info("refund_rejected", metadata: ["raw": .string(rawBody)])']
    assert not rule_shapes.logs_other_values(BODIES, raw)


# --- replicas across zones with a budget --------------------------------------------------------------


_SPREAD_MANIFEST = [
    "  replicas: 3",
    "      topologySpreadConstraints:",
    "        - maxSkew: 1",
    "          topologyKey: topology.kubernetes.io/zone",
    "kind: PodDisruptionBudget",
    "  minAvailable: 2",
]


def test_replicas_spread_across_zones_with_a_budget_follow_the_rule() -> None:
    assert rule_shapes.follows_by_shape(SPREAD, _SPREAD_MANIFEST, []) != []
    two = ["  replicas: 2", *_SPREAD_MANIFEST[1:]]
    assert rule_shapes.follows_by_shape(SPREAD, two, []) == []
    by_host = [
        line.replace("topology.kubernetes.io/zone", "kubernetes.io/hostname") for line in _SPREAD_MANIFEST
    ]
    assert rule_shapes.follows_by_shape(SPREAD, by_host, []) == []


# --- alerting rules among other YAML documents --------------------------------------------------------


def test_an_alerting_document_hides_only_itself() -> None:
    several = ChangedFile(
        path="deploy/k8s/policy/webhook-deployment.yaml",
        added=[
            "  replicas: 3",
            "---",
            "kind: PodDisruptionBudget",
            "---",
            "kind: PrometheusRule",
            "    - alert: WebhookFailing",
            "      expr: up == 0",
        ],
    )
    assert forward_lines(several) == ["  replicas: 3", "kind: PodDisruptionBudget"]
    rules_only = ChangedFile(
        path="deploy/alerts/webhook.yaml", added=["groups:", "  - rules:", "    - alert: WebhookFailing"]
    )
    assert forward_lines(rules_only) == []
