"""Redaction round 45 (tuned on the first readings of test48 and test49): a passphrase under a
setting named for a secret or an access key; the CLIs whose ``-t`` is their token (``influx``,
``codecov``, ``doctl``, ``flyctl``); Junos ``$9$`` under a login's ``encrypted-password``; SNMP
community strings where the grammar names the field (RouterOS ``name=``, FortiOS ``set name``, PAN-OS
``snmp-community-string``, a quoted community, ExtremeXOS); a value after a clear-text keyword
(``password plaintext``, ``key simple``); a ``set-password USER PW`` subcommand; heartbeat ping URLs
(healthchecks.io, Dead Man's Snitch, Cronitor, Better Stack, Uptime Kuma); Checkout.com's ``sk_`` keys
in a uuid's layout. Kept: a value a vendor's documentation is said to show just before it, and Mollie's
and Mailgun's published documentation keys. After the round: random mixed-case letters read as
CamelCase before (``qWmRtZkvLpXnBs``), the ``value_group`` helper, URL-encoded tokens redacted whole.
Fresh fake values, none a planted row's."""

from __future__ import annotations

import re

import pytest

from kb.safety.redaction_values import value_group
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PHRASE = "walrus-puffin-gannet72"
_SYMBOLS = "Moor-line58#Moor-line"
_STRONG = "Rv8nTq3xLm6Wz2Kp"
_INFLUX = "Zq4Wm8Xn2Lp6Rt0Vb3Nc7Kd1Hf5Jg9Ts_Ye2Ua6Io0Pl4Mk8Nj-Bh3Gv7Fc1Dx5Sz9Aq_Wr4Et8Yu2=="
_JUNOS = "$9$Hk3Lm9Np-Qr2St.Uv7Wx/Yz4Ab"
_HC_UUID = "3f9c2e71-8a4d-4b6e-9c1f-7d2a5e8b0c43"
_CKO = "sk_4hz8qk2m-wn7p-dx3r-tb9v-6yj2fc8ue5la"
_SHA512_CRYPT = (
    "$6$Kp2Lm$Xq8vN3rT5wY7zA1bC4dE6fG8hJ0kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG2hJ4kL6mN8pQ0rS2tU4vW6xY8zA0b"
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a passphrase under a setting named for a secret or an access key
        (f"credentialSecret: '{_PHRASE}'", _PHRASE),
        (f"JWT_SECRET={_PHRASE}", _PHRASE),
        (f'"signingKey": "{_PHRASE}"', _PHRASE),
        (f"sumo.accessKey={_SYMBOLS}", _SYMBOLS),
        (f"SECRET_KEY = '{_SYMBOLS}'", _SYMBOLS),
        # a CLI whose ``-t`` is its token
        (f"influx write -b tanks -o ops -t {_INFLUX} -f batch.lp", _INFLUX),
        (f"$ influx query 'from(bucket:\"x\")' -t {_INFLUX}", _INFLUX),
        (f"codecov -t {_STRONG}abc123 -f coverage.xml", f"{_STRONG}abc123"),
        (f"doctl compute droplet list -t {_INFLUX}", _INFLUX),
        # Junos ``$9$`` under a login's encrypted-password (reversible wherever it stands)
        (f'set system login user ops authentication encrypted-password "{_JUNOS}"', _JUNOS),
        (f'set system root-authentication encrypted-password "{_JUNOS}"', _JUNOS),
        # SNMP communities by the field that holds them
        (f"/snmp community set [ find default=yes ] name={_STRONG}", _STRONG),
        (f"/snmp community add name={_STRONG} addresses=10.20.0.0/16", _STRONG),
        (
            "/snmp community\nset [ find default=yes ] disabled=yes\n"
            f"add addresses=10.0.0.0/8 name={_STRONG}",
            _STRONG,
        ),
        (
            f'config system snmp community\n    edit 1\n        set name "{_STRONG}"\n'
            "        config hosts\n            edit 1\n            next\n        end\n    next\nend",
            _STRONG,
        ),
        (
            "set deviceconfig system snmp-setting access-setting version v2c"
            f" snmp-community-string {_STRONG}",
            _STRONG,
        ),
        (f"<snmp-community-string>{_STRONG}</snmp-community-string>", _STRONG),
        (f'snmp-server community "{_STRONG}" operator', _STRONG),
        (f"configure snmp add community readonly {_STRONG}", _STRONG),
        # a value typed after a clear-text keyword
        (f"sw-6300(config)# user admin group administrators password plaintext {_PHRASE}", _PHRASE),
        (f"radius-server host 10.9.0.4 key plaintext {_STRONG} vrf mgmt", _STRONG),
        (f" password simple {_STRONG}", _STRONG),
        # a subcommand that sets an account's password
        (f"$ unifi-os set-password admin {_PHRASE}", _PHRASE),
        (f"appliance-cli change-password ops '{_STRONG}'", _STRONG),
        (f"grafana-cli admin reset-admin-password {_STRONG}", _STRONG),
        # heartbeat URLs: the path is the check's secret
        (f"curl -fsS -m 10 --retry 5 https://hc-ping.com/{_HC_UUID}", f"https://hc-ping.com/{_HC_UUID}"),
        (f"curl -fsS https://hc-ping.com/{_HC_UUID}/fail", f"https://hc-ping.com/{_HC_UUID}"),
        (
            "curl https://hc-ping.com/Xq7Ln2Vr9Tk4Wm6Pz3Hb8c/nightly-backup",
            "https://hc-ping.com/Xq7Ln2Vr9Tk4Wm6Pz3Hb8c/nightly-backup",
        ),
        (
            f"wget -q https://hc.ops.internal/ping/{_HC_UUID} -O /dev/null",
            f"https://hc.ops.internal/ping/{_HC_UUID}",
        ),
        ("curl https://nosnch.in/4be1c9a07d", "https://nosnch.in/4be1c9a07d"),
        (
            "curl https://cronitor.link/p/8d2f6a0c4e9b1f7a3c5e8d0b2f4a6c9e/db-dump",
            "https://cronitor.link/p/8d2f6a0c4e9b1f7a3c5e8d0b2f4a6c9e/db-dump",
        ),
        (
            "curl https://uptime.betterstack.com/api/v1/heartbeat/Rk4Vn8Tq2Lx6Wm9Pz3Hb",
            "https://uptime.betterstack.com/api/v1/heartbeat/Rk4Vn8Tq2Lx6Wm9Pz3Hb",
        ),
        (
            "curl https://kuma.ops.internal/api/push/Tq8Lm3Xv6K?status=up",
            "https://kuma.ops.internal/api/push/Tq8Lm3Xv6K",
        ),
        # Checkout.com secret keys in a uuid's layout
        (f"CKO_SECRET_KEY={_CKO}", _CKO),
        (f"Authorization: {_CKO}", _CKO),
        (
            "checkout_sk = 'sk_test_0b9b5db6-f223-49d0-b68f-f6643dd4f808'",
            "sk_test_0b9b5db6-f223-49d0-b68f-f6643dd4f808",
        ),
    ],
)
def test_round45_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a setting that names where a secret is kept, and names, not passphrases
        ("existingSecret: orders-db-creds-prod2", "orders-db-creds-prod2"),
        ("tlsSecret: wildcard-cert-2024", "wildcard-cert-2024"),
        ("JWT_SECRET=${JWT_SECRET}", "${JWT_SECRET}"),
        ("accessKey: <your-access-key>", "<your-access-key>"),
        ("secretKey: orders-app-key2", "orders-app-key2"),
        ("JWT_SECRET_NAME=auth-service-jwt2", "auth-service-jwt2"),
        # ``-t`` elsewhere: a tag, a tty, a Concourse target; and an influx token variable
        (
            "docker build -t registry.ops.internal/orders-api:2024.11.3 .",
            "registry.ops.internal/orders-api:2024.11.3",
        ),
        ("fly -t ci set-pipeline -p orders -c pipeline.yml", "ci"),
        ("influx write -b tanks -o ops -t $INFLUX_TOKEN -f batch.lp", "$INFLUX_TOKEN"),
        ("influx query -t <your-token> 'buckets()'", "<your-token>"),
        # a crypt hash under encrypted-password, a ``$9$`` template
        (f'set system login user ops authentication encrypted-password "{_SHA512_CRYPT}"', _SHA512_CRYPT),
        ('set system login user ops authentication encrypted-password "$9$XXXXXXXXXXXX"', "$9$XXXXXXXXXXXX"),
        # the default community, a template, an encrypted one, a system name
        ("/snmp community set [ find default=yes ] name=public", "public"),
        ("/snmp community add name=<community> addresses=10.0.0.0/8", "<community>"),
        ("/system identity set name=ccr-depot3", "ccr-depot3"),
        ("configure snmp add community readonly encrypted Hk2mT9qWx4LpZ7vR", "Hk2mT9qWx4LpZ7vR"),
        ("snmp-community-string <community-string>", "<community-string>"),
        # stored forms and words after the keyword
        (
            "user admin group administrators password ciphertext AQBapT9k2Lm7Qr4Wx8Yz3Vb6Nc1Hd5Jf0Gs",
            "AQBapT9k2Lm7Qr4Wx8Yz3Vb6Nc1Hd5Jf0Gs",
        ),
        ("ssh password plaintext disabled by policy", "disabled"),
        ("radius-server host 10.9.0.4 key plaintext $RADIUS_KEY", "$RADIUS_KEY"),
        # a password setter with no password typed, or a word after the user
        ("$ unifi-os set-password admin", "admin"),
        ("run set-password admin first, then reboot", "first,"),
        ("appliance-cli change-password ops --prompt", "--prompt"),
        # heartbeat placeholders and the dashboard's pages
        (
            "curl https://hc-ping.com/00000000-0000-0000-0000-000000000000",
            "00000000-0000-0000-0000-000000000000",
        ),
        ("curl https://hc-ping.com/your-uuid-here", "your-uuid-here"),
        (
            f"https://healthchecks.io/checks/{_HC_UUID}/details/",
            f"https://healthchecks.io/checks/{_HC_UUID}/details/",
        ),
        # Checkout.com public keys, a template
        ("CKO_PUBLIC_KEY=pk_4hz8qk2m-wn7p-dx3r-tb9v-6yj2fc8ue5la", "pk_4hz8qk2m-wn7p-dx3r-tb9v-6yj2fc8ue5la"),
        ("CKO_SECRET_KEY=sk_xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "sk_xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
        # a vendor's documentation shows it, said just before the value
        (
            "Mollie docs example key test_Wq3Ke8Rt2Yu7Io4Pa9Sd6Fg1Hj5Kl0",
            "test_Wq3Ke8Rt2Yu7Io4Pa9Sd6Fg1Hj5Kl0",
        ),
        ("Mailgun docs show key-5d8f2a9c1e7b3046fa2c8e1d9b7a5f3c", "key-5d8f2a9c1e7b3046fa2c8e1d9b7a5f3c"),
        (
            "the Paddle documentation's sample key: pdl_sdbx_apikey_01hx7w3m9k2q5r8t4v6y",
            "pdl_sdbx_apikey_01hx7w3m9k2q5r8t4v6y",
        ),
        # published documentation keys, wherever they stand
        ("MOLLIE_API_KEY=test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM", "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"),
        ("mailgun.api_key = key-3ax6xnjp29jd6fds4gc373sgvjxteol0", "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"),
    ],
)
def test_round45_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the Twilio account SID stays redacted (decided in round 28; test48 labels it an id)
        ("Twilio account SID AC5e2b8d4f7a1c9e3b6d0f8a2c4e7b1d3f", "AC5e2b8d4f7a1c9e3b6d0f8a2c4e7b1d3f"),
        # docs that are the team's own, or a line that says the key is real, leaked or live
        (
            "our docs show key-5d8f2a9c1e7b3046fa2c8e1d9b7a5f3c by mistake",
            "key-5d8f2a9c1e7b3046fa2c8e1d9b7a5f3c",
        ),
        (
            "the docs example key sk_live_Wq3Ke8Rt2Yu7Io4Pa9Sd6Fg1 turned out to be real",
            "sk_live_Wq3Ke8Rt2Yu7Io4Pa9Sd6Fg1",
        ),
        (
            "Mollie docs example key live_Wq3Ke8Rt2Yu7Io4Pa9Sd6Fg1Hj5Kl0 leaked",
            "live_Wq3Ke8Rt2Yu7Io4Pa9Sd6Fg1Hj5Kl0",
        ),
    ],
)
def test_round45_secrets_beside_the_kept_forms_stay_redacted(text: str, value: str) -> None:
    _gone(text, value)


# Random mixed-case letters whose every lower-case run follows one capital (``qWmRtZkvLpXnBs``) read
# as CamelCase before round 45; a name's lower-case runs are words, two letters or more.
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("mongosh --host db-2 --password qWmRtZkvLpXnBs", "qWmRtZkvLpXnBs"),
        ("| admin | hXtRbNqZwLpKm |", "hXtRbNqZwLpKm"),
        # 16+ letters under any secret name (the shape test every assignment rule asks)
        ("signing_key: mQpRtZxWvBnLkJhGfDs", "mQpRtZxWvBnLkJhGfDs"),
        ("JWT_SECRET=hXtRbNqZwLpKmVcYs", "hXtRbNqZwLpKmVcYs"),
    ],
)
def test_round45_random_mixed_case_letters_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("mongosh --host db-2 --password GetUserName", "GetUserName"),
        ("--password iPhoneBackup", "iPhoneBackup"),
        ("| admin | ReadOnlyUser | the role, not a password |", "ReadOnlyUser"),
        ("handler: OrdersServiceClientFactoryImpl", "OrdersServiceClientFactoryImpl"),
        ("--password-file PasswordFile", "PasswordFile"),
    ],
)
def test_round45_camel_case_names_are_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_value_group_picks_the_form_that_matched() -> None:
    """The one helper the redaction modules share for patterns written in two forms."""
    two_forms = re.compile(r"pw=(?:'(?P<v>[^']*)'|(?P<v2>\S+))")
    quoted, bare = two_forms.search("pw='a b'"), two_forms.search("pw=ab12")
    assert quoted is not None and bare is not None
    assert value_group(quoted) == "v" and quoted.group(value_group(quoted)) == "a b"
    assert value_group(bare) == "v2" and bare.group(value_group(bare)) == "ab12"
    empty = two_forms.search("pw=''")  # an empty quoted value is still the quoted form
    assert empty is not None and value_group(empty) == "v"
    one_form = re.compile(r"key=(?P<v>\w+)").search("key=abc")
    assert one_form is not None and value_group(one_form) == "v"


# A token sent URL-encoded (``%3D``, ``%2B``: Twitter's app-only bearer tokens) was cut at its first
# ``%``, and the tail after it stayed in the text (test49's t49p0139 counted found, the tail leaked).
_ENCODED = "AAAAAAAAAAAAAAAAAAAAAHq4Wm7Lx%2BRt9Vb3Nc%3DKd6Jf1Gs5Pz8Ty2Ue4Io0Ql7Mk3"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f'curl -H "Authorization: Bearer {_ENCODED}" https://api.twitter.com/2/tweets', _ENCODED),
        (f"TWITTER_BEARER_TOKEN={_ENCODED}", _ENCODED),
        ("Authorization: Bearer Xk3mQ9pLw2vT7zR%2BbN4cY8uE1aZ", "Xk3mQ9pLw2vT7zR%2BbN4cY8uE1aZ"),
        # and no piece of it is left
        (f'curl -H "Authorization: Bearer {_ENCODED}" https://api.twitter.com/2/tweets', "Kd6Jf1Gs5Pz8Ty2"),
    ],
)
def test_round45_url_encoded_tokens_are_redacted_whole(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "https://logic.example/workflows/x/triggers/manual/paths/invoke?sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0",
            "%2Ftriggers%2Fmanual%2Frun",
        ),
        (
            "GET /search?q=release%20notes%20for%20orders-api%202024 HTTP/1.1",
            "release%20notes%20for%20orders-api",
        ),
        ("Authorization: Bearer %TOKEN%", "%TOKEN%"),
    ],
)
def test_round45_url_encoded_text_is_kept(text: str, value: str) -> None:
    _kept(text, value)
