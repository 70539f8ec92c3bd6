"""Redaction round 20 (tuned on test23's first reading): a ``terraform output -json`` object is read as
its name holding its ``"value"``; a table row that says where a credential was shown (``from tfstate``,
``plaintext``) marks a random code span in it as that credential; a key-named setting's token may begin
with ``_`` or ``-`` (base64url); and a vendor prefix followed by one repeated character is a placeholder.
Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_OUTPUT_JSON = """$ terraform output -json
{
  "rota_db_endpoint": {
    "sensitive": false,
    "type": "string",
    "value": "rota-db.cluster-c1x2.eu-west-2.rds.amazonaws.com"
  },
  "admin_password": {
    "sensitive": true,
    "type": "string",
    "value": "Qu9qSuQ0tIdDaPQ00f"
  }
}"""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (_OUTPUT_JSON, "Qu9qSuQ0tIdDaPQ00f"),
        # a state file's outputs, keys in another order
        (
            '"outputs": {\n  "grafana_admin_password": {\n    "value": "Hx7.kPq2-wLm9",\n'
            '    "type": "string",\n    "sensitive": true\n  }\n}',
            "Hx7.kPq2-wLm9",
        ),
        # an ARM template's parameters file: the same layout
        (
            '{"parameters": {"sqlAdministratorPassword": {"value": "Ji1ch0TcauIE2b2f"}}}',
            "Ji1ch0TcauIE2b2f",
        ),
    ],
)
def test_a_named_output_object_holds_its_value(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the name says nothing about a credential: the value stays
        (_OUTPUT_JSON, "rota-db.cluster-c1x2.eu-west-2.rds.amazonaws.com"),
        # an object that names itself is named by its ``name``, not by its key
        ('"password_env": {"name": "PGHOST", "value": "vTblMmDCttSDTQ9x"}', "vTblMmDCttSDTQ9x"),
    ],
)
def test_an_output_object_whose_name_says_nothing_keeps_its_value(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("| rota-db-2 | app_rw | `Qu9qSuQ0tIdDaPQ00f` | from tfstate |", "Qu9qSuQ0tIdDaPQ00f"),
        (
            "| ledger | svc_report | `ddG3ufrbcPp.RknuZN9` | plaintext in the state file |",
            "ddG3ufrbcPp.RknuZN9",
        ),
        ("| 14:02 | `Ji1ch0TcauIE2b2f` | hard-coded in the Dockerfile |", "Ji1ch0TcauIE2b2f"),
    ],
)
def test_a_table_row_that_says_where_a_credential_was_shown(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a host in such a row is no credential
        ("| sched-db-1 | `sched-db-1.wrenfield.internal` | from tfstate |", "sched-db-1.wrenfield.internal"),
        # a commit in a row that says it was pushed: "pushed" is no word for a shown credential
        (
            "| `96e334c624b951f9fb1ac442b85f29a396e334c6` | pushed to main |",
            "96e334c624b951f9fb1ac442b85f29a396e334c6",
        ),
        # a version in such a row
        ("| rota-api | `v2.14.3-rc1` | image tag from tfstate |", "v2.14.3-rc1"),
    ],
)
def test_rows_that_show_no_credential_keep_their_values(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "  PAGERDUTY_ROUTING_KEY:  _YB7okzGkrfbl6gPYeARr7B0I7tWk7a3IVjKAURN",
            "_YB7okzGkrfbl6gPYeARr7B0I7tWk7a3IVjKAURN",
        ),
        (
            "EVENTS_ROUTING_KEY=-wnv3Y8UqFxliZFFyrEMjghLm1ZFb-H2UPohm25",
            "-wnv3Y8UqFxliZFFyrEMjghLm1ZFb-H2UPohm25",
        ),
        (
            '{"service": "rota-alerts", "integrationKey": "_POPxdnO7Yz54iXPLVFaCL0K9putiH-iRQnfaFiW"}',
            "_POPxdnO7Yz54iXPLVFaCL0K9putiH-iRQnfaFiW",
        ),
    ],
)
def test_a_key_named_token_may_begin_with_an_underscore_or_a_dash(text: str, value: str) -> None:
    _gone(text, value)


def test_a_key_named_word_list_beginning_with_an_underscore_is_kept() -> None:
    _kept("  SORT_KEY:  _created_at_desc_order_idx", "_created_at_desc_order_idx")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("machine github.com login rota-ci password gho_" + "0" * 36, "gho_" + "0" * 36),
        ("//registry.npmjs.org/:_authToken=npm_" + "1" * 36, "npm_" + "1" * 36),
        ("STRIPE_KEY=sk_live_" + "0" * 24, "sk_live_" + "0" * 24),
        ("aws_access_key_id = AKIA" + "0" * 16, "AKIA" + "0" * 16),
    ],
)
def test_a_vendor_prefix_with_one_repeated_character_is_a_placeholder(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a body with other characters in it is a token, zeros and all
        (
            "machine github.com login rota-ci password ghp_" + "0" * 30 + "a7Q2kZ",
            "ghp_" + "0" * 30 + "a7Q2kZ",
        ),
        (
            "machine github.com login rota-ci password ghp_HydFWXvy7DDWIKKv9MN3KRVoNa5yEml5nkHc",
            "ghp_HydFWXvy7DDWIKKv9MN3KRVoNa5yEml5nkHc",
        ),
    ],
)
def test_tokens_beside_the_placeholders_are_still_redacted(text: str, value: str) -> None:
    _gone(text, value)
