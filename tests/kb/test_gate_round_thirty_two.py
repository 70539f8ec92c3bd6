"""Round thirty-two (docs/gate.md): C++ and OCaml read as the other languages (a positional route
parameter, a request body read by its accessor, cohttp and piaf as outbound calls, OCaml's `= []`
test and its match branch on `[]`, an identity helper applied without parentheses); an outbound call
with no timeout as an act in the lessons' words; a bare `/health` as an aggregate health check; the
owner read from a query parameter where the verified identity gives it too; a path filter on a
workflow that runs no tests. Every snippet here is written for the test, and most are in other
languages than the cases that showed the class."""

from __future__ import annotations

from kb.outputs import (
    code_forms,
    compliance,
    owner_forms,
    quoted_causes,
    rule_shapes,
    signatures,
    timeout_forms,
)
from kb.outputs.change_lines import change_lines
from kb.retrieval.diffs import parse_diff

LIVENESS = "Never make a liveness probe depend on databases or other downstream services."
FROM_TOKEN = "Handlers must obtain tenant_id from the verified token, never from a path or query parameter."
PATH_FILTER_RULE = (
    "Never let a path filter decide whether a required check runs; "
    "run required suites on every merge to main."
)
CONTINUE_RULE = "Never set continue-on-error on a test step; quarantine a flaky test by name instead."


def _diff(path: str, added: list[str]) -> str:
    body = "\n".join("+" + line for line in added)
    return (
        f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
        f"@@ -0,0 +1,{len(added)} @@\n{body}\n"
    )


# --- routes and request bodies --------------------------------------------------------------------------


def test_a_positional_route_parameter_is_a_route_parameter() -> None:
    marker = signatures.ROUTE_WITH_PARAMETER + "get"
    # Drogon's `{1}`; a Crow route `<int>` was already one
    assert marker in signatures._route_words('  ADD_METHOD_TO(Ctl::get, "/v1/visits/{1}", drogon::Get);')
    assert marker in signatures._route_words('  METHOD_ADD(Ctl::show, "/{2}", Get);')
    # a number in a path that is not a placeholder, or a format string's empty `{}`, is no parameter
    assert not signatures._route_words('  app.get("/v1/visits", handler)  # {}')
    assert not signatures._route_words('  ADD_METHOD_TO(Ctl::list, "/v1/visits", drogon::Get);')


def test_a_request_body_read_by_its_accessor_and_logged_is_the_request_logged_whole() -> None:
    assert rule_shapes.logs_request_whole(
        ['  spdlog::info("order {} body={}", id, std::string{req->body()});']
    )
    assert rule_shapes.logs_request_whole(['  LOG.warn("rejected: {}", ctx.body());'])
    assert rule_shapes.logs_request_whole(['  spdlog::warn("bad input {}", req.getBody());'])
    # one field of the request, or the body of a response, is not the request
    assert not rule_shapes.logs_request_whole(['  spdlog::warn("bad input {}", req->getParameter("id"));'])
    assert not rule_shapes.logs_request_whole(['  spdlog::info("upstream said {}", resp->body());'])
    # the body read outside a logging call is not logged
    assert not rule_shapes.logs_request_whole(["  auto json = parse(req->body());"])


# --- OCaml ------------------------------------------------------------------------------------------------


def test_ocaml_http_clients_are_outbound_calls() -> None:
    assert code_forms.outbound_http("  let* resp, body = Cohttp_lwt_unix.Client.post ~body uri in")
    assert code_forms.outbound_http("  Piaf.Client.Oneshot.get ~config uri >>= function")
    assert not code_forms.outbound_http("  let* body = Cohttp_lwt.Body.to_string body in")
    assert not code_forms.outbound_http('  Dream.get "/plots/:id" Plot_handlers.show;')


def test_ocaml_equality_with_the_empty_list_joined_to_a_match_reads_empty_as_all() -> None:
    d = _diff("lib/fees.ml", ["let covers rule site = rule.sites = [] || List.mem site rule.sites"])
    lines = change_lines(parse_diff(d), d)
    assert compliance.reads_empty_as_all(lines.added)
    assert compliance.reads_empty_as_all(
        ["  match rule.sites with", "  | [] -> true", "  | s -> List.mem x s"]
    )
    # rejecting the empty list, a binding and an optional argument's default are no such test
    rejects = _diff("lib/fees.ml", ["let valid rule = if rule.sites = [] then Error `No_sites else Ok rule"])
    assert not compliance.reads_empty_as_all(change_lines(parse_diff(rejects), rejects).added)
    for line in ("  let sites = [] in", "let create ?(sites = []) () = { sites }"):
        d = _diff("lib/fees.ml", [line])
        assert change_lines(parse_diff(d), d).added == [line]
    # the same text in a JavaScript file stays an assignment
    js = _diff("web/fees.js", ["let ok = sites = [] || other"])
    assert change_lines(parse_diff(js), js).added == ["let ok = sites = [] || other"]


# --- an outbound call with no timeout ---------------------------------------------------------------------


def test_an_added_outbound_call_with_no_timeout_is_an_act_in_the_lessons_words() -> None:
    ruby = ["  res = Faraday.get(url)", "  JSON.parse(res.body)"]
    assert timeout_forms.calls_out_unbounded(ruby, [], [])
    assert rule_shapes.UNBOUNDED_CALL in rule_shapes.acts_in_lessons_words(ruby, [])
    # bounded on the line, around it, or a call the change only rewrites, is not
    assert not timeout_forms.calls_out_unbounded(["  res = Faraday.get(url, timeout: 2)"], [], [])
    assert not timeout_forms.calls_out_unbounded(ruby, ["  Lwt_unix.with_timeout 2.0 (fun () ->"], [])
    assert not timeout_forms.calls_out_unbounded(ruby, [], ["  res = Faraday.get(old_url)"])
    # an idle connection's timeout bounds no request
    assert timeout_forms.calls_out_unbounded([*ruby, "  keepalive_timeout = 60"], [], [])


# --- liveness on /health -----------------------------------------------------------------------------------


def test_a_liveness_probe_on_a_bare_health_path_depends_on_what_health_checks() -> None:
    probe = ["  livenessProbe:", "    httpGet:", "      path: /health"]
    assert rule_shapes.probes_liveness_on_dependencies(LIVENESS, probe)
    assert rule_shapes.probes_liveness_on_dependencies(LIVENESS, [*probe[:2], "      path: /api/health"])
    for path in ("/health/live", "/healthz/liveness", "/livez", "/healthcheck/ping"):
        assert not rule_shapes.probes_liveness_on_dependencies(LIVENESS, [*probe[:2], f"      path: {path}"])
    # a readiness probe on /health is what /health is for
    assert not rule_shapes.probes_liveness_on_dependencies(LIVENESS, ["  readinessProbe:", *probe[1:]])


# --- the owner from the request, beside the verified identity --------------------------------------------


def test_an_identity_helper_applied_without_parentheses_names_the_owner() -> None:
    assert owner_forms.reads_identity_owner(["  let club_id = Auth.club_id request in"])
    assert owner_forms.owner_key_of(["  let club_id = Auth.club_id request in"]).search("WHERE club_id = $1")
    # the request's own id, a field read off the request, or a value passed on, names no owner
    assert not owner_forms.reads_identity_owner(["  let id = Trace.request_id request in"])
    assert not owner_forms.reads_identity_owner(["  let c = club_id request.headers in"])


def test_the_owner_named_alone_as_a_query_parameter_is_read_from_the_forbidden_source() -> None:
    haskell = ['  clubId <- queryParam "club"', "  fallback <- Auth.club_id req"]
    assert compliance.takes_from_forbidden_source(FROM_TOKEN, haskell)
    assert compliance.takes_from_forbidden_source(FROM_TOKEN, ['  const org = req.query["org"];'])
    # another parameter, or the owner from the token, is not
    assert not compliance.takes_from_forbidden_source(FROM_TOKEN, ['  page <- queryParam "page"', haskell[1]])
    assert not compliance.takes_from_forbidden_source(FROM_TOKEN, [haskell[1]])
    assert not compliance.takes_from_forbidden_source(FROM_TOKEN, ['  const sort = req.query["organ"];'])


# --- a path filter where no test runs ---------------------------------------------------------------------


def test_a_path_filter_on_a_workflow_that_runs_no_tests_filters_no_required_check() -> None:
    deploy = ["  push:", '    paths: ["infra/**"]', "    steps:", "      - run: pulumi up --yes"]
    assert quoted_causes.spares_untested_step(PATH_FILTER_RULE, deploy, [])
    # a filtered workflow that runs tests, or one whose steps the change does not show, is not spared
    tests = [*deploy[:3], "      - run: go test ./..."]
    assert not quoted_causes.spares_untested_step(PATH_FILTER_RULE, tests, [])
    assert not quoted_causes.spares_untested_step(PATH_FILTER_RULE, deploy[:2], [])
    assert not quoted_causes.spares_untested_step(PATH_FILTER_RULE, deploy[:2], ["  unit-tests:"])
    # the rule on continue-on-error is read as before
    assert not quoted_causes.spares_untested_step(CONTINUE_RULE, deploy, [])
