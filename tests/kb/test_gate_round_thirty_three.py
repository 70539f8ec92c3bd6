"""Round thirty-three (docs/gate.md): Gleam read as the other languages (`True` as `true`, gleam_httpc,
youid, a decoder's failure as a rejection); a consumer made to crash on an undecodable message; a web
session's timeout, CI artifacts' `paths:`, a build file's dependency pins, a restart of other pods, an
XML comment and a closure named `body` read as what they are; a setting raised against a rule, a
duration given by a constructor; a feature flag read by its default; more consumers than partitions;
a consumer made idempotent on its key; a check that refuses first; objects deleted with no version; a
payment key made anew; a check switched off by a setting. Every snippet here is written for the test,
and most are in other languages than the cases that showed the class."""

from __future__ import annotations

from collections.abc import Sequence

from kb.outputs import (
    callable_forms,
    code_forms,
    compliance,
    consumer_forms,
    declared_only,
    duration_forms,
    flag_forms,
    forbidden_targets,
    guard_forms,
    idempotence_forms,
    object_forms,
    replay_forms,
    retry_forms,
    rule_shapes,
    scale_forms,
    switch_forms,
    timeout_forms,
)
from kb.outputs.change_lines import ChangeLines, change_lines
from kb.outputs.code_words import code_only, code_terms
from kb.retrieval.diffs import parse_diff

EMPTY_RULE = (
    "Treat an empty eligibility list in pricing rules as matching nothing, "
    "because a default of all turns a missing field into a giveaway."
)
DEAD_LETTER = (
    "Always send messages that repeatedly fail processing to a dead-letter topic instead of crashing."
)
RESTART_RULE = "Do not restart the PostgreSQL primary to clear locks, because failover takes longer."
MIGRATION_RULE = "Do not run migrations without lock_timeout, because a waiting migration blocks every query."
PATH_FILTER_RULE = (
    "Never let a path filter decide whether a required check runs; run required suites on main."
)
BODIES_RULE = "Never log raw request or response bodies, because they routinely contain emails."
RAISE_RULE = "Do not raise carrier client timeouts above 5 seconds during an incident."
FLAG_RULE = "Every change to checkout or pricing behaviour must ship behind a flag that defaults to off."
PARTITIONS_RULE = "Do not scale consumers beyond the number of partitions, because the extra pods sit idle."
IDEMPOTENT_RULE = (
    "All label purchase consumers must be idempotent on the order id, so a redelivery never buys twice."
)
UNLOCK_RULE = "Never run terraform force-unlock without first confirming that no apply is still running."
VERSION_RULE = "Never delete only the current S3 object version in a versioned bucket."
REPLAY_RULE = "Never replay failed capture requests without their original idempotency key."
DISABLE_RULE = "Never disable the idempotency check to reduce latency."


def _diff(path: str, added: Sequence[str], removed: Sequence[str] = (), kept: Sequence[str] = ()) -> str:
    body = "\n".join([*(" " + x for x in kept), *("-" + x for x in removed), *("+" + x for x in added)])
    n = len(kept) + len(removed)
    return (
        f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n"
        f"@@ -1,{n} +1,{len(kept) + len(added)} @@\n{body}\n"
    )


def _lines(
    path: str, added: Sequence[str], removed: Sequence[str] = (), kept: Sequence[str] = ()
) -> ChangeLines:
    d = _diff(path, added, removed, kept)
    return change_lines(parse_diff(d), d)


# --- Gleam ------------------------------------------------------------------------------------------------


def test_a_gleam_case_branch_on_the_empty_list_returning_true_reads_empty_as_all() -> None:
    lines = _lines(
        "src/fees.gleam", ["  case rule.sites {", "    [] -> True", "    s -> list.contains(s, x)", "  }"]
    )
    assert compliance.empty_means_all(EMPTY_RULE, lines.added)
    # the branch answering False, or the same text outside a Gleam file, is no giveaway
    lines = _lines("src/fees.gleam", ["  case rule.sites {", "    [] -> False", "  }"])
    assert not compliance.empty_means_all(EMPTY_RULE, lines.added)
    assert not compliance.empty_means_all(EMPTY_RULE, ['  label = "True"', "  x = TrueColour"])


def test_a_gleam_branch_failing_the_decoder_rejects_the_empty_list() -> None:
    added = [
        "  case sizes {",
        '    [] -> decode.failure(Rule(name, []), "non-empty sizes")',
        "    _ -> ok",
        "  }",
    ]
    assert rule_shapes.rejects_empty(EMPTY_RULE, added)
    assert rule_shapes.rejects_empty(EMPTY_RULE, ["  case ids {", '    [] -> Error("no ids")', "  }"])
    assert not rule_shapes.rejects_empty(EMPTY_RULE, ["  case ids {", "    [] -> Ok(all)", "  }"])


def test_gleam_clients_and_fresh_ids() -> None:
    assert code_forms.outbound_http("  use resp <- result.try(httpc.send(req))")
    assert code_forms.outbound_http("  fetch.send(req) |> promise.await(fn(r) { r })")
    assert not code_forms.outbound_http("  request.new() |> request.set_host(host)")
    assert retry_forms.makes_fresh_id("  let key = uuid.v4_string()")
    assert not retry_forms.makes_fresh_id('  let key = booking.id <> ":deposit"')


# --- a consumer that crashes on a message it cannot decode ---------------------------------------------


def test_a_consumer_asserting_its_decode_where_it_skipped_failures_has_no_dead_letter() -> None:
    removed = [
        "  match serde_json::from_slice::<Event>(&msg.payload) {",
        '    Err(e) => { warn!("skip"); return Ok(()) }',
    ]
    added = ["  let event: Event = serde_json::from_slice(&msg.payload).unwrap();"]
    assert consumer_forms.crashes_on_undecodable(added, removed)
    assert rule_shapes.routes_without_dead_letter(DEAD_LETTER, added, removed)
    elixir = ["  {:ok, event} = Jason.decode(message.data)"]
    assert consumer_forms.crashes_on_undecodable(
        elixir, ["    {:error, _} -> Broadway.Message.failed(message, :skip)"]
    )
    # a new consumer (nothing handled before), or a decode that still handles its error, is not it
    assert not consumer_forms.crashes_on_undecodable(added, [])
    assert not consumer_forms.crashes_on_undecodable(
        ["  let event = serde_json::from_slice(&msg.payload)?;"], removed
    )


# --- what only looks like the act ------------------------------------------------------------------------


def test_a_web_session_timeout_bounds_no_request() -> None:
    assert timeout_forms.without_idle_timeouts(["SESSION_TIMEOUT = 1800"]) == ["SESSION_Linger = 1800"]
    nested = timeout_forms.without_session_timeouts(["      timeout: 45m"], ["    session:", "  servlet:"])
    assert nested == ["      linger: 45m"]
    # an HTTP client's timeout under its own block is still one
    assert timeout_forms.without_session_timeouts(["      timeout: 5s"], ["    client:"]) == [
        "      timeout: 5s"
    ]
    assert timeout_forms.without_idle_timeouts(["  read_timeout = 5"]) == ["  read_timeout = 5"]


def test_ci_artifact_paths_are_no_path_filter() -> None:
    job = [
        "lint:",
        "  script:",
        "    - make lint",
        "  artifacts:",
        "    when: always",
        "    paths:",
        "      - out/",
    ]
    assert not code_forms.PATH_FILTER.search(code_forms.without_upload_paths("\n".join(job)))
    assert "filter" not in code_terms(job)
    cached = ["  cache:", "    paths:", "      - .m2/"]
    assert not code_forms.PATH_FILTER.search(code_forms.without_upload_paths("\n".join(cached)))
    workflow = ["on:", "  push:", "    paths:", "      - 'src/**'"]
    assert code_forms.PATH_FILTER.search(code_forms.without_upload_paths("\n".join(workflow)))


def test_a_dependency_pin_does_nothing_a_rule_forbids() -> None:
    pins = [
        '    implementation "org.flywaydb:flyway-core:10.1.0"',
        '  "node-pg-migrate": "^6.2.2",',
        'alembic = ">= 1.13.0 and < 2.0.0"',
        "    <artifactId>liquibase-core</artifactId>",
    ]
    assert declared_only.without_declarations(pins) == ["", "", "", ""]
    assert not compliance.violates(MIGRATION_RULE, declared_only.without_declarations(pins))
    # a setting's value is no version
    kept = ['read-timeout: "30s"', 'ratio = "0.5"', "  run: npm run migrate"]
    assert declared_only.without_declarations(kept) == kept


def test_restarting_other_pods_is_not_restarting_what_the_rule_names() -> None:
    script = [
        'conn = psycopg.connect("postgresql://admin@db/app")',
        'run("kubectl rollout restart deploy/app")',
    ]
    assert forbidden_targets.restarts_other_target(RESTART_RULE, script)
    assert not forbidden_targets.restarts_other_target(RESTART_RULE, ["  sudo systemctl restart postgresql"])
    assert not forbidden_targets.restarts_other_target(
        RESTART_RULE, ["  pg_ctl restart -D /var/lib/postgresql"]
    )
    # a rule against something else is left to the other readers
    assert not forbidden_targets.restarts_other_target(MIGRATION_RULE, script)


def test_an_xml_comment_and_a_closure_named_body_are_not_code_about_bodies() -> None:
    assert code_only("    <!-- never log request bodies -->") == ""
    assert code_only('    <logger name="http" level="WARN"/>')
    kotlin = ["fun <T> traced(name: String, body: () -> T): T {", "    return body()"]
    assert callable_forms.without_callable_bodies(kotlin)[1] == "    return block()"
    groovy = ["static <T> T with(Map m, Closure<T> body) {", "    body.call()"]
    assert "body" not in " ".join(callable_forms.without_callable_bodies(groovy))
    # a request's body stays one
    ruby = ["def create", "  logger.info(request.body.read)"]
    assert callable_forms.without_callable_bodies(ruby) == ruby
    assert not compliance.violates(BODIES_RULE, callable_forms.without_callable_bodies(groovy))


# --- settings moved --------------------------------------------------------------------------------------


def test_a_courier_timeout_raised_breaks_the_carrier_timeout_rule() -> None:
    added, removed = ["      read-timeout: 30s"], ["      read-timeout: 5s"]
    around = ["  courier:", "    base-url: https://api.parcels.example"]
    assert rule_shapes.moves_forbidden_setting(RAISE_RULE, added, removed, around)
    # within the bound, or a timeout of something else, does not
    assert not rule_shapes.moves_forbidden_setting(
        RAISE_RULE, ["      read-timeout: 4s"], ["      read-timeout: 2s"], around
    )
    assert not rule_shapes.moves_forbidden_setting(
        RAISE_RULE, added, removed, ["  livenessProbe:", "    httpGet:"]
    )


def test_a_duration_constructor_is_a_value_in_seconds() -> None:
    assert duration_forms.duration_settings("  static final Duration FLUSH = Duration.ofMinutes(15)") == [
        ("FLUSH", 900.0)
    ]
    assert duration_forms.duration_settings("  val window = 30.seconds") == [("window", 30.0)]
    assert duration_forms.duration_settings("  long ttlMs = TimeUnit.HOURS.toMillis(2)") == [
        ("ttlMs", 7200.0)
    ]
    moved = rule_shapes.moved_settings(
        ["  private val flushEvery = Duration.ofMinutes(10)"],
        ["  private val flushEvery = Duration.ofSeconds(30)"],
    )
    assert moved == [("flushEvery", 1, 600.0)]
    assert duration_forms.duration_settings("  Duration.ofMinutes(15).toMillis()") == []


# --- flags, partitions, idempotence, guards ---------------------------------------------------------------


def test_a_flag_read_by_its_default() -> None:
    on = ['  if unleash.is_enabled("new-pricing", default=True):']
    off = ['  if (client.boolVariation("new-pricing", ctx, false)) {']
    assert flag_forms.defaults_flag_on(FLAG_RULE, on)
    assert flag_forms.defaults_flag_off(FLAG_RULE, off)
    assert not flag_forms.defaults_flag_on(FLAG_RULE, off)
    assert not flag_forms.defaults_flag_off(FLAG_RULE, on)
    assert rule_shapes.follows_by_shape(FLAG_RULE, off, [])
    # a string variation, or a rule about something else, is not read
    assert not flag_forms.defaults_flag_on(FLAG_RULE, ['  colour = ld.variation("btn", ctx, "blue")'])
    assert not flag_forms.defaults_flag_on(DISABLE_RULE, on)
    assert flag_forms.flag_acts(on) == [flag_forms.FLAG_ON_BY_DEFAULT]


def test_replicas_above_the_partition_count_break_the_partitions_rule() -> None:
    added = ["  maxReplicas: 24"]
    assert scale_forms.scales_past_partitions(PARTITIONS_RULE, added, ["  # orders topic: 8 partitions"])
    assert scale_forms.scales_past_partitions(PARTITIONS_RULE, ["  replica_count = 12"], ["  partitions = 6"])
    # at most the partition count, or no partition count named, is not read
    assert not scale_forms.scales_past_partitions(PARTITIONS_RULE, ["  maxReplicas: 8"], ["  # 8 partitions"])
    assert not scale_forms.scales_past_partitions(PARTITIONS_RULE, added, ["  minReplicas: 2"])


def test_a_consumer_made_idempotent_on_its_key() -> None:
    assert idempotence_forms.made_idempotent(
        IDEMPOTENT_RULE, ['  t.index ["order_id", "carrier"], unique: true']
    )
    lookup = ["  if Label.exists?(order_id: event.order_id)", "    return", "  end"]
    assert idempotence_forms.made_idempotent(IDEMPOTENT_RULE, lookup)
    # a lookup by another key, or no return after it, is not it
    assert not idempotence_forms.made_idempotent(IDEMPOTENT_RULE, ["  if Label.exists?(id: x)", "    return"])
    assert not idempotence_forms.made_idempotent(IDEMPOTENT_RULE, ["  label = Label.find_by(order_id: id)"])
    assert not idempotence_forms.made_idempotent(FLAG_RULE, ['  t.index ["order_id"], unique: true'])


def test_a_check_that_refuses_before_the_act_confirms_first() -> None:
    script = [
        "running=$(gh run list --workflow infra.yml --json status --jq 'length')",
        'if [ "$running" != "0" ]; then',
        '  echo "an apply is still running" >&2',
        "  exit 1",
        "fi",
        'terraform force-unlock -force "$1"',
    ]
    assert guard_forms.confirms_first(UNLOCK_RULE, script)
    # the check after the act, or no refusal, is no confirmation
    assert not guard_forms.confirms_first(UNLOCK_RULE, [script[-1], *script[:-1]])
    assert not guard_forms.confirms_first(UNLOCK_RULE, ["echo checking apply", script[-1]])


def test_objects_deleted_with_no_version_id() -> None:
    py = ["  for obj in page['Contents']:", "      s3.delete_object(Bucket=b, Key=obj['Key'])"]
    assert object_forms.deletes_current_only(VERSION_RULE, py)
    assert object_forms.deletes_current_only(VERSION_RULE, ["aws s3 rm s3://logs/2025/ --recursive"])
    versioned = [
        "  for v in s3.list_object_versions(Bucket=b)['Versions']:",
        "      s3.delete_object(Bucket=b, Key=v['Key'], VersionId=v['VersionId'])",
    ]
    assert not object_forms.deletes_current_only(VERSION_RULE, versioned)
    assert not object_forms.deletes_current_only(DISABLE_RULE, py)


def test_a_payment_key_made_anew_breaks_the_original_key_rule() -> None:
    go = [
        '  key := "refund:" + r.ID + ":" + uuid.NewString()',
        "  client.Refund(ctx, r, WithIdempotencyKey(key))",
    ]
    assert replay_forms.breaks_original_key(REPLAY_RULE, go)
    stable = ['  key := "refund:" + r.ID', "  client.Refund(ctx, r, WithIdempotencyKey(key))"]
    assert not replay_forms.breaks_original_key(REPLAY_RULE, stable)
    # a fresh id as a request id, not the key, is not it
    assert not replay_forms.breaks_original_key(
        REPLAY_RULE, ["  reqID := uuid.NewString()", "  client.Refund(ctx, r)"]
    )


def test_a_check_switched_off_by_its_setting() -> None:
    assert switch_forms.switches_off(DISABLE_RULE, ["  verify-idempotency: false"])
    assert switch_forms.switches_off(DISABLE_RULE, ["  @Value('${payments.idempotency-check:false}')"])
    # a setting of another check, or one left on, does not
    assert not switch_forms.switches_off(DISABLE_RULE, ["  check-signature: false"])
    assert not switch_forms.switches_off(DISABLE_RULE, ["  idempotency-check: true"])
