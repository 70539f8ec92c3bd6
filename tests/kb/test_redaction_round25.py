"""Redaction round 25 (tuned on test28's first reading): network-gear running configs (Cisco ``key 0``
under TACACS+/RADIUS servers, ``password 0``, ``snmp-server community``, Junos
``plain-text-password-value``), Kickstart ``rootpw``, a password piped to ``elasticsearch-keystore
add -x``, credentials told in chat, vendor ingest headers, Magento's ``crypt`` key, Sumo Logic HTTP
source URLs, a MongoDB keyfile under the comment naming it, an Australian landline; and, kept, Django
and GRUB password hashes, Akamai API host names, DNSSEC/DANE record data and Splunk's documented HEC
token. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_KEYFILE = "Wm3+Qz8Lp2vRt9Xk4Nb7Hc1Jd6Fg5Ys0Ue/Ta3Ki8Ol2Pn7Mr4Sw9Vx1Zy6Bq5Ct0Dh+Ej3Gf8Ia2Hb7Jc4Kd9Le1"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("tacacs server TAC-2\n address ipv4 10.9.0.5\n key 0 Hq7wLm2xTz9Rk4", "Hq7wLm2xTz9Rk4"),
        (
            "radius server RAD-2\n address ipv4 10.9.0.6 auth-port 1812\n key 0 dewpointLantern4471",
            "dewpointLantern4471",
        ),
        ("radius server RAD-3\n address ipv4 10.9.0.7\n key Vb3nRq8sLw5zTk", "Vb3nRq8sLw5zTk"),
        ("tacacs-server host 10.9.0.8 key 0 Pz4mXc7wQn2Lr8", "Pz4mXc7wQn2Lr8"),
        ("username fieldops privilege 15 password 0 Gt6yHb2nMk9Wq3", "Gt6yHb2nMk9Wq3"),
        ("enable password 0 Rw5tYq8zXm3Nc7", "Rw5tYq8zXm3Nc7"),
        ("snmp-server community Lk8vBn3mQz6Tw2 RO 10", "Lk8vBn3mQz6Tw2"),
        (
            "set system login user fieldops authentication plain-text-password-value heliostatMeadow2290",
            "heliostatMeadow2290",
        ),
        ('set system root-authentication plain-text-password-value "Xr7pQm4zLw9Vt2"', "Xr7pQm4zLw9Vt2"),
    ],
)
def test_network_gear_clear_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # type 5/8/9 hashes: stored forms, not typed. (Round 25 kept Cisco type 7 here too; round 36
        # redacts it: type 7 is a fixed XOR that public tools undo, so it is the password. The row moved
        # to tests/kb/test_redaction_round36.py, which asserts it is redacted. Round 25 also kept a
        # Junos ``$9$`` under ``encrypted-password``; ``$9$`` is reversible too, and round 45 redacts
        # it there: tests/kb/test_redaction_round45.py asserts it.)
        (
            "enable secret 9 $9$Kp3wLm7xQz2Rt9$Wq4zTn8LmK2pVx7NHb3cJd6FgYs0UeTa3Ki8Ol2Pn7M",
            "$9$Kp3wLm7xQz2Rt9$",
        ),
        ("enable secret 5 $1$Zq9w$Hb4nTq8LzW2mPx7Rk3Vd/1", "$1$Zq9w$"),
        ("key chain OSPF-KEYS\n key 1\n  key-string 7 06120A2D424B1D", "key 1"),
        ("radius server RAD-3\n key 0 <radius-key>", "<radius-key>"),
        ("service password-encryption", "password-encryption"),
    ],
)
def test_network_gear_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# ks/edge.ks\nlang en_US.UTF-8\nrootpw --plaintext Tq3mWz8xLp5Rk2\nreboot", "Tq3mWz8xLp5Rk2"),
        ("rootpw Hn6vBq2zXw9Lm4 --plaintext", "Hn6vBq2zXw9Lm4"),
        (
            "$ echo 'Mz4qTw8xPn2Lv7Rk' | sudo -u kibana bin/kibana-keystore add -x elasticsearch.password",
            "Mz4qTw8xPn2Lv7Rk",
        ),
        (
            "echo Wb5nKq3zLx8Tm2 | bin/elasticsearch-keystore add -x"
            " xpack.security.http.ssl.keystore.secure_password",
            "Wb5nKq3zLx8Tm2",
        ),
    ],
)
def test_installer_and_keystore_passwords(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("rootpw --iscrypted $6$Xq2w9Lm4$Hb4nTq8LzW2mPx7Rk3VdWq4zTn8LmK2pVx7NHb3cJd6FgYs0Ue", "$6$Xq2w9Lm4$"),
        ("rootpw --lock", "--lock"),
        (
            "bootloader --iscrypted --password=grub.pbkdf2.sha512.10000." + "3F9A" * 16 + "." + "B7C2" * 16,
            "grub.pbkdf2.sha512.10000.",
        ),
        ("$ sudo bin/elasticsearch-keystore list", "list"),
    ],
)
def test_installer_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("[09:12] ria: the SF-02 switch console is fieldops / Kv7qZmXw.PtRn until Friday", "Kv7qZmXw.PtRn"),
        ("creds are admin / Lw4nTq9zXb2m, ask before using", "Lw4nTq9zXb2m"),
        (
            "portal still uses the vendor login with meadow-anchor-quartz42, please rotate it",
            "meadow-anchor-quartz42",
        ),
    ],
)
def test_credentials_told_in_prose(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("console is ttyS0 / 115200 baud", "115200"),
        ("login with SSO, please rotate the API keys", "SSO"),
        ("the login with the break-glass account was reset yesterday", "break-glass"),
        ("account is ops / see vault", "vault"),
        ("the account is acme / prod-eu-west-1 now", "prod-eu-west-1"),
        ("user is deploy / eu-west-1b", "eu-west-1b"),
        ("console is 10.0.0.5 / port 2003", "2003"),
    ],
)
def test_prose_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "exporters:\n  otlphttp/hny:\n    endpoint: https://api.honeycomb.io\n    headers:\n"
            "      x-honeycomb-team: 4c1e9a7b2d5f8e3a6b0c9d2e7f4a1b8c",
            "4c1e9a7b2d5f8e3a6b0c9d2e7f4a1b8c",
        ),
        (
            '    headers:\n      "dd-api-key": "9f3b7e1a5c2d8f4b6a0e3c7d9b1f5a2e"',
            "9f3b7e1a5c2d8f4b6a0e3c7d9b1f5a2e",
        ),
        ('curl -H "X-SF-Token: Qm7vXz2nLp9Tk4Wb8Rc3" https://ingest.signalfx.com', "Qm7vXz2nLp9Tk4Wb8Rc3"),
        (
            "<?php\nreturn [\n    'crypt' => [\n        'key' => '7e2a9c4f1b8d3e6a0c5f9b2d7e4a1c8f'\n    ],",
            "7e2a9c4f1b8d3e6a0c5f9b2d7e4a1c8f",
        ),
        (
            "sumo.url=https://endpoint3.collection.us2.sumologic.com/receiver/v1/http/"
            "Xk9QmZ2vLw7Tp4Rn8Bc3Hd6Jf1Gs5Ya0Ue==",
            "Xk9QmZ2vLw7Tp4Rn8Bc3Hd6Jf1Gs5Ya0Ue==",
        ),
        ("# /srv/mongo/keyfile (rs0)\n" + _KEYFILE, _KEYFILE),
        ("$ sudo cat /etc/mongodb-keyfile\n" + _KEYFILE + "\n" + _KEYFILE[::-1], _KEYFILE[::-1]),
    ],
)
def test_vendor_keys_and_keyfiles(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("    headers:\n      x-honeycomb-team: ${env:HONEYCOMB_API_KEY}", "HONEYCOMB_API_KEY"),
        ("    'crypt' => ['key' => env('MAGENTO_CRYPT_KEY')],", "MAGENTO_CRYPT_KEY"),
        ("url = https://endpoint3.collection.us2.sumologic.com/receiver/v1/http/<token>", "sumologic.com"),
        (
            "security:\n  keyFile: /etc/mongod/keyfile\nreplication:\n  replSetName: rs0",
            "/etc/mongod/keyfile",
        ),
        # Django fixtures store hashes, GRUB too
        (
            '{"password": "pbkdf2_sha256$720000$Qz8Lp2vRt9Xk4Nb7$'
            'Hc1Jd6Fg5Ys0UeTa3Ki8Ol2Pn7Mr4Sw9Vx1Zy6Bq5Ct0=" }',
            "pbkdf2_sha256$720000$",
        ),
        ("host = akab-q2w9lm4x7zt3rk8b-vn5pc1hd6jf0gs4y.luna.akamaiapis.net", "akab-q2w9lm4x7zt3rk8b"),
        (
            "example.net. 3600 IN DNSKEY 256 3 13 "
            "Kq3mWz8xLp5Rk2Tq3mWz8xLp5Rk2Hn6vBq2zXw9Lm4Xr7pQm4zLw9Vt2AbCdEfGh==",
            "Kq3mWz8xLp5Rk2",
        ),
        ("example.net. 3600 IN DS 24680 13 2 " + "9C4F" * 16, "9C4F9C4F"),
        ("_443._tcp.www.example.net. IN TLSA 3 1 1 " + "a7e2" * 16, "a7e2a7e2"),
        ("token = B5A79AAD-D822-46CC-80D1-819F80D7BFB0", "B5A79AAD-D822-46CC-80D1-819F80D7BFB0"),
    ],
)
def test_vendor_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_akamai_client_token_still_found() -> None:
    text = "host = akab-q2w9lm4x7zt3rk8b-vn5pc1hd6jf0gs4y.luna.akamaiapis.net\n"
    text += "access_token = akab-m4x7zt3rk8bq2w9l-1hd6jf0gs4yvn5pc"
    _gone(text, "akab-m4x7zt3rk8bq2w9l-1hd6jf0gs4yvn5pc")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("> Our Perth office is on 08 7010 2291 if that is easier.", "08 7010 2291"),
        ("call me on 02 5550 8812 after four", "02 5550 8812"),
    ],
)
def test_australian_landline(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("order 03 7010 7587 shipped", "03 7010 7587"),
        ("build 03 2026 1130", "03 2026 1130"),
    ],
)
def test_australian_landline_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value", "survives"),
    [
        ("    environment:\n      NEO4J_AUTH: neo4j/Tz8qWm3xLn5Rv2Kb", "Tz8qWm3xLn5Rv2Kb", "neo4j/"),
        # a dot inside a password told in prose is part of it; the sentence's own dot stays
        (
            "the PDF is protected with the password Lq7vTz2mXw4N.Pkrd8 (sent separately).",
            "Pkrd8",
            "password [",
        ),
        ("the PDF password is Lq7vTz2mXw4N.", "Lq7vTz2mXw4N", "]."),
    ],
)
def test_value_taken_alone(text: str, value: str, survives: str) -> None:
    _gone(text, value)
    _kept(text, survives)


def test_neo4j_auth_none_kept() -> None:
    _kept("NEO4J_AUTH: none", "none")


def test_long_vendor_header_value_taken_whole() -> None:
    value = "sl.Qm7vXz2nLp9Tk4Wb8Rc3" + "Hd6Jf1Gs5Ya0Ue" * 9
    text = '{"headers":{"x-api-key":"' + value + '"}}'
    _gone(text, value[-12:])
    _kept(text, '{"headers":{"x-api-key":"[REDACTED:')
