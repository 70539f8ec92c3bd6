"""Round thirty-one (docs/gate.md): Lua and Erlang read as the other languages (method and remote calls
with a dot, lua-resty-http and httpc as outbound calls, cosocket timeout setters, Erlang's clause on
`[]`, `%%` comments); a retry by recursion, random bytes as a fresh key, a write method given as an
option; an idle connection's timeout that bounds no request; a liveness probe on the readiness
endpoint; a path's named group as a route parameter; a Lua table of `name = true` as an allow-list;
a hand-off to a queue made a synchronous remote call. Every snippet here is written for the test,
and most are in other languages than the cases that showed the class."""

from __future__ import annotations

from kb.outputs import (
    code_forms,
    code_words,
    compliance,
    erlang_forms,
    lua_forms,
    masking_forms,
    retry_forms,
    rule_shapes,
    signatures,
    sync_forms,
    timeout_forms,
)
from kb.outputs.change_lines import change_lines
from kb.retrieval.diffs import parse_diff

EMPTY_RULE = "Treat an empty eligibility list in pricing rules as matching nothing."
LIVENESS = "Never make a liveness probe depend on databases or other downstream services."
SHALLOW = "Keep synchronous call chains shallow and give each hop a timeout shorter than its caller's."
ALLOW_LIST = "Log events must use named fields from the allow-list; unknown fields are dropped."


def _diff(path: str, added: list[str]) -> str:
    body = "\n".join("+" + line for line in added)
    return (
        f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
        f"@@ -0,0 +1,{len(added)} @@\n{body}\n"
    )


# --- Lua ------------------------------------------------------------------------------------------------


def test_lua_method_calls_and_timeout_setters_read_as_the_readers_know_them() -> None:
    read = lua_forms.as_code(
        [
            "  local ok, err = red:hset(key, 'seat', ref)",
            "  sock:settimeouts(200, 500, 500)",
            "  goto continue ::continue::",
            '  local tag = "hold:" .. id',
        ]
    )
    assert read[0] == "  local ok, err = red.hset(key, 'seat', ref)"
    assert read[1] == "  sock.set_timeout(200, 500, 500)"
    assert read[2:] == ["  goto continue ::continue::", '  local tag = "hold:" .. id']


def test_lua_http_clients_are_outbound_calls_and_a_subrequest_is_not() -> None:
    assert code_forms.outbound_http("  local client = http.new()")
    assert code_forms.outbound_http('  local res = client.request_uri(base .. "/v1/rates", {')
    assert not code_forms.outbound_http('  local res = ngx.location.capture("/internal/rates")')


def test_a_lua_file_in_a_diff_is_read_with_dots_and_other_files_are_not() -> None:
    lua = change_lines(parse_diff(d := _diff("app/quotes.lua", ["local r = httpc:request_uri(url)"])), d)
    assert lua.added == ["local r = httpc.request_uri(url)"]
    other = change_lines(parse_diff(d := _diff("deploy/values.yaml", ["image: repo:tag(x)"])), d)
    assert other.added == ["image: repo:tag(x)"]


def test_a_lua_table_of_names_set_true_under_allowed_is_an_allow_list() -> None:
    added = ["local ALLOWED = {", "  path = true, status = true, duration_ms = true,", "}"]
    assert masking_forms.extends_allow_list(added, [])
    # settings set true in a block that allows nothing are no allow-list
    assert not masking_forms.extends_allow_list(['resource "aws_s3_bucket" "x" {', "  versioning = true"], [])
    assert rule_shapes.follows_by_shape(ALLOW_LIST, added, []) == ["fields named on an allow-list"]


# --- Erlang ---------------------------------------------------------------------------------------------


def test_erlang_remote_calls_read_with_a_dot_and_map_matches_and_types_do_not() -> None:
    read = erlang_forms.as_code(
        [
            "    {ok, R} = hackney:request(get, Url, [], <<>>, []),",
            "handle(#{id := Id}, State) ->",
            "-spec next(Attempt :: integer()) -> pos_integer().",
            "  % why the pool restarts",
        ]
    )
    assert read[0] == "    {ok, R} = hackney.request(get, Url, [], <<>>, []),"
    assert read[1:3] == [
        "handle(#{id := Id}, State) ->",
        "-spec next(Attempt :: integer()) -> pos_integer().",
    ]
    assert read[3] == "  %% why the pool restarts"
    assert code_forms.outbound_http(read[0])
    assert code_forms.outbound_http("    httpc.request(post, {Url, [], Type, Body}, [], [])")
    assert not code_forms.outbound_http("    gen_server.call(Pid, {quote, Lane})")


def test_erlang_clause_on_the_empty_list_returning_true_reads_empty_as_all() -> None:
    assert compliance.reads_empty_as_all(["covers(#{regions := []}, _Region) ->", "    true;"])
    assert compliance.reads_empty_as_all(["    [] -> true;"])
    assert not compliance.reads_empty_as_all(["covers(#{regions := []}, _Region) ->", "    false;"])
    assert not compliance.reads_empty_as_all(["covers(#{regions := Rs}, R) ->", "    lists:member(R, Rs)."])


def test_erlang_clause_rejecting_the_empty_list_follows_the_empty_rule() -> None:
    assert rule_shapes.rejects_empty(EMPTY_RULE, ["check(#{regions := []}) ->", "    {error, no_regions};"])
    assert not rule_shapes.rejects_empty(EMPTY_RULE, ["check(#{regions := [_ | _]}) ->", "    ok;"])


def test_double_percent_lines_are_comments_and_a_template_code_line_is_not() -> None:
    assert code_words.code_only("%% card numbers never reach this service") == ""
    assert code_words.code_only("  % if ($order->paid) {") == "  % if ($order->paid) {"
    assert retry_forms.code_without_comments(["%% uuid4() per attempt", "ok."]) == ["ok."]


# --- retries and their keys -----------------------------------------------------------------------------


def test_a_retry_by_recursion_with_a_key_made_in_the_function_body_makes_a_fresh_key() -> None:
    elixir = [
        "def charge(order, attempt) do",
        "  key = :crypto.strong_rand_bytes(16) |> Base.encode16()",
        '  case HTTPoison.post(url, body, [{"Idempotency-Key", key}]) do',
        "    {:error, _} when attempt < 3 -> charge(order, attempt + 1)",
        "    other -> other",
        "  end",
        "end",
    ]
    assert retry_forms.fresh_key_per_attempt(elixir)
    stable = [elixir[0], '  case HTTPoison.post(url, body, [{"Idempotency-Key", order.id}]) do', *elixir[3:]]
    assert not retry_forms.fresh_key_per_attempt(stable)
    assert retry_forms.keeps_stable_key(stable, [])


def test_random_tokens_are_fresh_ids_and_a_token_outside_a_retry_is_no_fresh_key() -> None:
    for line in (
        "key = secrets.token_hex(16)",
        "const key = crypto.randomBytes(16).toString('hex')",
        "key = SecureRandom.hex(16)",
        "local key = resty_random.bytes(16)",
    ):
        assert retry_forms.makes_fresh_id(line), line
    assert not retry_forms.makes_fresh_id("key = f'refund:{refund.id}'")
    assert not retry_forms.fresh_key_per_attempt(["key = secrets.token_hex(16)", "send(key)"])


def test_a_retried_request_given_post_as_an_option_is_a_payment_mutation() -> None:
    loop = [
        "for (let attempt = 1; attempt <= 3; attempt++) {",
        "  const res = await fetch(`${PSP}/v1/refunds`, {",
        '    method: "POST",',
        "    body: JSON.stringify({ payment, amount }),",
        "  });",
        "}",
    ]
    assert retry_forms.retries_unkeyed_payment(loop)
    keyed = [*loop[:3], '    headers: { "Idempotency-Key": `refund:${payment.id}` },', *loop[3:]]
    assert not retry_forms.retries_unkeyed_payment(keyed)
    read = [line.replace('"POST"', '"GET"') for line in loop]
    assert not retry_forms.retries_unkeyed_payment(read)
    # the method kept in the lines around the edited call
    call = [loop[0], "  res = client.request_uri(PSP .. '/v1/refunds', opts)", "}"]
    assert retry_forms.retries_unkeyed_payment(call, ['  method = "POST",'])
    assert not retry_forms.retries_unkeyed_payment(call, ['  method = "GET",'])


# --- timeouts, probes, routes, hand-offs ----------------------------------------------------------------


def test_an_idle_connections_timeout_is_named_apart_from_a_requests() -> None:
    read = timeout_forms.without_idle_timeouts(
        [
            "    keepalive_timeout = 60000,",
            "  idleTimeout: 90s",
            "  IdleTimeout: 90 * time.Second,",
            "  read_timeout = 5",
        ]
    )
    assert read == [
        "    keepalive_linger = 60000,",
        "  idleLinger: 90s",
        "  IdleLinger: 90 * time.Second,",
        "  read_timeout = 5",
    ]
    assert "timeout" not in signatures.code_words(read[0])


def test_a_liveness_probe_on_the_readiness_endpoint_depends_on_what_readiness_checks() -> None:
    probe = ["livenessProbe:", "  httpGet:", "    path: /health/ready"]
    assert rule_shapes.probes_liveness_on_dependencies(LIVENESS, probe)
    assert not rule_shapes.probes_liveness_on_dependencies(LIVENESS, [*probe[:2], "    path: /livez"])
    ready = ["readinessProbe:", "  httpGet:", "    path: /ready"]
    assert not rule_shapes.probes_liveness_on_dependencies(LIVENESS, ready)


def test_a_named_group_in_a_declared_path_is_a_route_parameter() -> None:
    marker = frozenset({signatures.ROUTE_WITH_PARAMETER + "get"})
    assert signatures._route_words(r"location ~ ^/v2/invoices/(?<invoice_id>\d+)$ {") == marker
    assert signatures._route_words(r're_path(r"^orders/(?P<pk>\d+)/$", views.order),') == marker
    assert signatures._route_words(r'ITEM = re.compile(r"/items/(?P<item_id>\d+)")') == frozenset()


def test_a_hand_off_replaced_by_a_remote_call_that_waits_makes_the_chain_synchronous() -> None:
    removed = ['  :ok = Events.publish("bookings.requested", booking)']
    added = ["  {:ok, ref} = FreightApi.book(booking, timeout: 20_000)"]
    assert sync_forms.makes_chain_synchronous(SHALLOW, added, removed)
    # the hand-off kept beside the call, no hand-off before, or a rule about something else
    assert not sync_forms.makes_chain_synchronous(SHALLOW, [*added, *removed], removed)
    assert not sync_forms.makes_chain_synchronous(SHALLOW, added, ["  :ok = Repo.insert(booking)"])
    assert not sync_forms.makes_chain_synchronous(
        "Alert on consumer lag above 10,000 messages.", added, removed
    )
    # a local call that waits on nothing remote
    assert not sync_forms.makes_chain_synchronous(SHALLOW, ["  {:ok, q} = Pricing.quote(booking)"], removed)
