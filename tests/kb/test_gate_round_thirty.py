"""Round thirty (docs/gate.md): closeness a followed lesson explains, counted only from a followed
lesson the change is at least as close to, and only its words the change brings; Haskell's http-client
`responseTimeoutNone` read as a timeout switched off; Perl's `return 1 unless @list` read as an empty
list passing; Terraform's `ignore_changes` and descriptions read
as no act; a dynamic lifecycle rule's prefix given by each caller read as a scope. Every snippet here is
written for the test."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from kb.outputs import code_forms, compliance, declared_only
from kb.outputs.evidence import Evidence, explain_by_followed

TIMEOUTS = "Always set explicit connect and read timeouts on every outbound HTTP call."
RETRY_POST = "Never retry a non-idempotent POST on timeout unless the request carries an idempotency key."
DRIFT = "Run a scheduled terraform plan against production and alert on any drift."
REVIEW = "Review lifecycle and deletion changes in a Terraform plan separately from resource moves."


def _hit(hit_id: int, document: int, statement: str) -> Any:
    return SimpleNamespace(
        id=hit_id, document=SimpleNamespace(id=document), constraint=SimpleNamespace(statement=statement)
    )


def _found(closeness: float, shared: list[str], *, follows: bool = False) -> Evidence:
    found = Evidence(path="x", content_similarity=closeness, task_similarity=None, shared_terms=shared)
    found.follows = follows
    return found


def test_a_less_close_followed_lesson_explains_no_closeness() -> None:
    hits = [_hit(1, 10, TIMEOUTS), _hit(2, 20, RETRY_POST)]
    out = {1: _found(0.42, ["connect", "timeout"], follows=True), 2: _found(0.52, ["retri", "timeout"])}
    explain_by_followed(cast(Any, hits), out, {10})
    assert out[2].explained_terms == 0


def test_a_closer_followed_lesson_explains_the_words_the_change_brings_for_it() -> None:
    hits = [_hit(1, 10, DRIFT), _hit(2, 20, REVIEW)]
    out = {
        1: _found(0.52, ["plan", "terraform", "drift", "alert"], follows=True),
        2: _found(0.50, ["plan", "terraform", "chang"]),
    }
    explain_by_followed(cast(Any, hits), out, {10})
    assert out[2].explained_terms == 2
    # a word of the followed lesson the change does not bring explains nothing
    out = {1: _found(0.52, ["drift", "alert"], follows=True), 2: _found(0.50, ["plan", "terraform", "chang"])}
    explain_by_followed(cast(Any, hits), out, {10})
    assert out[2].explained_terms == 0


def test_http_client_response_timeout_none_is_switched_off() -> None:
    assert code_forms.switched_off("      { managerResponseTimeout = responseTimeoutNone") == [
        "managerResponseTimeout"
    ]
    assert code_forms.switched_off("      { managerResponseTimeout = responseTimeoutMicro 5000000") == []


IN_USE = "Do not change the password of the user that is currently in use, because running pods lose access."


def test_ignored_changes_and_descriptions_are_no_act() -> None:
    declared = [
        '  name  = "svc_blue"',
        "  lifecycle {",
        "    ignore_changes = [password]",
        "  }",
        '  description = "Active service user and its password"',
    ]
    assert compliance.violates(IN_USE, declared, [], [])
    assert declared_only.without_declarations(declared)[2] == ""
    assert not compliance.violates(IN_USE, declared_only.without_declarations(declared), [], [])
    changed = ["ALTER ROLE svc_blue WITH PASSWORD :'new_password';  -- the user in use"]
    assert declared_only.without_declarations(changed) == changed


def test_a_dynamic_rule_scoped_by_each_callers_prefix_expires_no_whole_bucket() -> None:
    dynamic = [
        '  dynamic "rule" {',
        "    content {",
        "      filter {",
        "        prefix = rule.value.prefix",
        "      }",
        "      expiration {",
        "        days = rule.value.days",
        "      }",
    ]
    assert not code_forms.expires_whole_bucket(dynamic)
    whole = ["  rule {", "    filter {}", "    expiration {", "      days = 30", "    }"]
    assert code_forms.expires_whole_bucket(whole)


def test_perl_return_true_unless_a_list_reads_an_empty_list_as_everything() -> None:
    passes = ["    my @zones = @{ $rule->{zones} // [] };", "    return 1 unless @zones;"]
    assert compliance.reads_empty_as_all(passes)
    rejects = ["    my @zones = @{ $rule->{zones} // [] };", "    return 0 unless @zones;"]
    assert not compliance.reads_empty_as_all(rejects)
