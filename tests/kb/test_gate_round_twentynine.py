"""Round twenty-nine (docs/gate.md, read from test27, an F# service on Giraffe, Dapper and DbUp): F#
code read as the gate reads other languages. `List.isEmpty xs || ...` reads an empty list as
everything; StackExchange.Redis's `StringSetAsync` writes to a cache; `c.Timeout <-
Timeout.InfiniteTimeSpan` switches a timeout off. Beside F#: a liveness probe on its own endpoint
does not depend on the database its readiness handler opens; a module called with a value gives no
input a default; a rule forbidding an act with a flag (`--to-latest`) is not broken with another
value; a command's long option opening a continued line is code, not an SQL comment. Every snippet
here is written for the test."""

from __future__ import annotations

from kb.outputs import code_forms, compliance, forbidden_targets, module_defaults, probe_forms
from kb.outputs.code_words import code_only

LIVENESS = "Never make a liveness probe depend on databases or other downstream services."
DEFAULTS = (
    "Never give destructive settings such as expiration or deletion rules a default value in a shared module."
)
RESET = "Never reset the consumer group offsets to --to-latest to clear lag, because messages are skipped."


def test_an_fsharp_list_isempty_joined_by_or_reads_an_empty_list_as_everything() -> None:
    passes = [
        "let covers (o: Offer) (tier: Tier) =",
        "    List.isEmpty o.Tiers || List.contains tier o.Tiers",
    ]
    assert compliance.reads_empty_as_all(passes)
    rejects = ['    if List.isEmpty o.Tiers then Error "tiers must not be empty" else Ok o']
    assert not compliance.reads_empty_as_all(rejects)


def test_stackexchange_redis_writes_replace_database_writes() -> None:
    removed = ['        conn.ExecuteAsync("INSERT INTO seat_holds (id, seat) VALUES (@id, @seat)", p)']
    added = [
        "        let db = redis.GetDatabase()",
        "        let! ok = db.StringSetAsync(key, value, ttl, When.NotExists)",
    ]
    assert code_forms.moves_state_to_cache(added, removed)
    assert not code_forms.moves_state_to_cache(["        let! v = db.StringGetAsync(key)"], removed)


def test_an_fsharp_infinite_timeout_is_switched_off() -> None:
    assert code_forms.switched_off("            c.Timeout <- System.Threading.Timeout.InfiniteTimeSpan)") == [
        "Timeout"
    ]
    assert code_forms.switched_off("            c.Timeout <- TimeSpan.FromSeconds 3.0") == []


def test_a_liveness_probe_on_its_own_endpoint_spares_the_database() -> None:
    own = [
        "          livenessProbe:",
        "            httpGet:",
        "              path: /livez",
        "              port: http",
    ]
    assert probe_forms.spares_own_liveness(LIVENESS, own)
    aggregate = ["          livenessProbe:", "            httpGet:", "              path: /readyz"]
    assert not probe_forms.spares_own_liveness(LIVENESS, aggregate)
    assert not probe_forms.spares_own_liveness("Alert on probe failures.", own)


def test_a_module_called_with_values_gives_no_input_a_default() -> None:
    call = [
        'module "scans" {',
        '  source          = "../../modules/s3_bucket"',
        "  lifecycle_rules = []",
        "}",
    ]
    assert module_defaults.passes_values_only(DEFAULTS, call, [])
    default = ['variable "expiration_days" {', "  type    = number", "  default = 90", "}"]
    assert not module_defaults.passes_values_only(DEFAULTS, default, [])


def test_a_rule_forbidding_a_flag_is_not_broken_with_another_value() -> None:
    earliest = ["                    AutoOffsetReset = AutoOffsetReset.Earliest,"]
    assert forbidden_targets.misses_target(RESET, earliest)
    latest = ['  --group "$GROUP" --reset-offsets --to-latest --execute']
    assert not forbidden_targets.misses_target(RESET, latest)
    assert not forbidden_targets.misses_target(
        "Never drop a column in the release that stops reading it.", earliest
    )


def test_a_long_option_opening_a_line_is_code_not_a_comment() -> None:
    assert code_only("  --reset-offsets --to-latest \\").strip() == "--reset-offsets --to-latest \\"
    assert code_only("  --dry-run") == "  --dry-run"
    assert code_only("-- migrate:up") == ""
    assert code_only("--  the contract step ships later") == ""
