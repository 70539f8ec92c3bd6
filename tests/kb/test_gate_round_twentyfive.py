"""Round twenty-five (docs/gate.md, read from test23, a C++ gRPC service): C++ code read as the gate
reads other languages. An HTTP call made through cpr, libcurl, cpprest or Boost.Beast is an outbound
call; spdlog, glog and fmt calls log; a protobuf message printed whole (`req->ShortDebugString()`,
`MessageToJsonString(*req, &out)`) is the request logged whole; a record found by its unique reference
with no owner filter is unscoped; a change to the base of a per-region configuration tree reaches every
region; a liveness handler complete on its line holds none of the added readiness check. Every diff
here is written for the test."""

from __future__ import annotations

from kb.outputs import code_forms, compliance, cpp_forms, rule_shapes
from kb.outputs.change_lines import ChangeLines
from kb.outputs.evidence import breaks

BODIES = "Never log raw request or response bodies, because they routinely contain emails and addresses."
TENANT = "The data access layer must filter every query on tenant_id: no record loads outside its scope."
ALL_REGIONS = "Never push a configuration change to all regions at once."
BY_REGION = "Roll out every configuration change region by region, starting with one canary."
READINESS = (
    "Use readiness probes to shed traffic from struggling pods and reserve liveness probes for deadlocks."
)


def _lines(added: list[str], around: list[str] | None = None) -> ChangeLines:
    return ChangeLines(added=added, removed=[], around=around or [], quotable=added)


# --- an HTTP call in C++ -----------------------------------------------------------------------------------


def test_cpp_http_clients_are_outbound_calls() -> None:
    for line in (
        '  auto r = cpr::Get(cpr::Url{base + "/stock"});',
        "  auto r = cpr::PostAsync(cpr::Url{url}, cpr::Body{payload});",
        "  cpr::Session session;",
        "  CURL* curl = curl_easy_init();",
        '  web::http::client::http_client client(U("https://rates.example"));',
        "  http::write(stream, req);",
        "  beast::http::async_write(stream, req, yield);",
    ):
        assert code_forms.outbound_http(line), line
    for line in (
        "  auto r = session.Get();",  # a service's own wrapper: unread
        "  auto rows = tx.exec_params(sql, id);",
        "  std::string getUrl();",
    ):
        assert not code_forms.outbound_http(line), line


# --- a logging call in C++ ------------------------------------------------------------------------------


def test_cpp_logging_calls_that_print_the_request_whole() -> None:
    for call in (
        ['spdlog::info("rejected order={} request={}", id, req->ShortDebugString());'],
        ['  SPDLOG_WARN("bad request {}", request.DebugString());'],
        ['spdlog::get("audit")->error("refund {}", req->Utf8DebugString());'],
        ['LOG(INFO) << "checkout " << request->DebugString();'],
        ['fmt::print("payload: {}\\n", (*payload).ShortDebugString());'],
        ["logger->warn(", '    "declined {}",', "    req->DebugString());"],
    ):
        assert rule_shapes.logs_request_whole(call), call
        assert breaks(BODIES, _lines(call)), call
    for call in (
        ['spdlog::info("checkout order_id={} venue_id={}", order.id, req->venue_id());'],
        ['spdlog::debug("order {}", order.DebugString());'],  # a message that is not the request
        ["auto text = req->DebugString();"],  # no logging call
    ):
        assert not rule_shapes.logs_request_whole(call), call


def test_a_printed_request_in_its_json_form() -> None:
    assert cpp_forms.PRINTED_WHOLE.search("MessageToJsonString(*request, &json)")
    assert not cpp_forms.PRINTED_WHOLE.search("MessageToJsonString(order, &json)")


# --- a record found by its reference, with no owner filter ------------------------------------------------


def test_a_lookup_by_unique_reference_is_unscoped_without_the_owner() -> None:
    added = [
        "  auto rows = tx.exec_params(",
        '      "SELECT id, venue_id, reference, status, total_minor "',
        '      "FROM orders WHERE reference = upper($1)",',
        "      reference);",
    ]
    assert code_forms.unscoped_lookups(added)
    assert compliance.loads_unscoped(TENANT, added)
    scoped = [
        "  auto rows = tx.exec_params(",
        '      "SELECT id, venue_id, status FROM orders WHERE reference = upper($1) AND venue_id = $2",',
        "      reference, venue_id);",
    ]
    assert not code_forms.unscoped_lookups(scoped)
    # a record with no owner (a country's name by its code) scopes nothing
    assert not code_forms.unscoped_lookups(
        ['  tx.exec_params("SELECT name FROM countries WHERE reference = $1", c);']
    )


# --- the base every region's overlay includes ---------------------------------------------------------------


def test_the_base_of_a_per_region_configuration_tree_reaches_every_region() -> None:
    regions = compliance.regions_changed(["deploy/config/base/ratelimit.yaml"])
    assert compliance.reaches_every_region(regions)
    assert compliance.spreads_over_regions(ALL_REGIONS, regions)
    assert not compliance.stays_in_one_region(BY_REGION, regions)
    # one region's overlay, and a base of manifests or of code, are not every region
    one = compliance.regions_changed(["deploy/config/eu-west/ratelimit.yaml"])
    assert compliance.stays_in_one_region(BY_REGION, one)
    assert not compliance.spreads_over_regions(ALL_REGIONS, one)
    for path in ("deploy/k8s/base/deployment.yaml", "src/config/base/loader.cpp"):
        assert not compliance.reaches_every_region(compliance.regions_changed([path])), path


# --- a readiness check beside a one-line liveness handler ---------------------------------------------------


def test_a_readiness_check_beside_a_complete_liveness_handler_follows_the_probe_split() -> None:
    added = ["        cache_->ping(std::chrono::milliseconds(300));"]
    around = [
        '    http.Get("/livez", [](const Request&, Response& res) { res.set_content("ok", "text/plain"); });',
        '    http.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {',
        "      try {",
    ]
    assert rule_shapes.checks_in_readiness(added, around)
    assert rule_shapes.follows_by_shape(READINESS, added, around)
    # a liveness handler that holds the added check is not readiness
    held = ['    http.Get("/livez", [this](const httplib::Request&, httplib::Response& res) {', *around[1:]]
    assert not rule_shapes.checks_in_readiness(added, held)
