"""Redaction round 36 (tuned on test39's first reading): secrets handed over as literals under a key
that names them (``kubectl … --from-literal=password=…``, a registry export's ``"BrokerPassword"="…"``),
a password after ``basic pass`` in a remark, and Cisco type 7 (reversible, so the password itself;
rounds 25 and 34 had kept it). PostgreSQL's md5 verifier stays redacted: md5 authentication accepts
the stored hash itself (round 32's decision), unlike a SCRAM verifier. Look-alikes: Segment's
browser write key in ``analytics.load("…")`` (public by design), keys that name no secret, CamelCase
names and placeholders. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_LETTERS = "qzKtrwBvNaXcpLmHd"  # letters only, as some generators draw them
_MIXED = "Vn4wQz8Rt2Lp6XcK"
_TYPE7 = "0822455D0A16544541"
_PG_MD5 = "md5" + "7d3c0e9a1b5f42c8e6a09d1f3b7c5e2a"
_WRITE_KEY = "Kq7ZtR3vLm9XwB2nHc5PyD8sFg4Ja1Ue"
_TYPE6 = "TdOaRAUVJ[fMbZ_KcGDPSGffRWWIOOeFJMAAB"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"$ kubectl create secret generic orders-db --from-literal=password={_LETTERS} -n shop", _LETTERS),
        (f"kubectl -n ops create secret generic api --from-literal=API_TOKEN={_MIXED}", _MIXED),
        (f"kubectl create secret generic s --from-literal 'db-password={_MIXED}'", _MIXED),
        (f'[HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme\\Relay]\n"RelayPassword"="{_LETTERS}"', _LETTERS),
        (f'[HKEY_CURRENT_USER\\Software\\Acme]\n"ApiToken"="{_MIXED}"', _MIXED),
        (f'[HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme]\n"ClientSecret"="{_MIXED}"', _MIXED),
        (f"# TODO remove: upstream relay basic pass {_LETTERS}", _LETTERS),
        (f"basic auth password: {_MIXED}", _MIXED),
        # Cisco type 7: a fixed XOR, undone by public tools in a second
        (f"username vpn-ops password 7 {_TYPE7}", _TYPE7),
        (f" neighbor 192.0.2.9 password 7 {_TYPE7}", _TYPE7),
        (" ip ospf message-digest-key 1 md5 7 104D000A061843595F", "104D000A061843595F"),
        ("tacacs server TAC-2\n address ipv4 10.9.0.5\n key 7 0457160B2F4D1A0E5F", "0457160B2F4D1A0E5F"),
        ("enable password 7 1511021F0725", "1511021F0725"),
        # PostgreSQL md5 verifiers: md5 authentication accepts the hash itself, so it is a credential
        (f"db=# SELECT rolpassword FROM pg_authid WHERE rolname='ro';\n {_PG_MD5}", _PG_MD5),
        (f"CREATE ROLE reporting LOGIN PASSWORD '{_PG_MD5}';", _PG_MD5),
    ],
)
def test_round36_literal_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Segment's browser snippet: the write key ships to every visitor
        (
            'analytics.load("Kq7ZtR3vLm9XwB2nHc5PyD8sFg4Ja1Ue");  // Segment write key',
            "Kq7ZtR3vLm9XwB2nHc5PyD8sFg4Ja1Ue",
        ),
        # keys that name no secret, names, placeholders and references
        ("kubectl create secret generic s --from-literal=username=orders_app", "orders_app"),
        ("kubectl create secret generic s --from-literal=password=<db-password>", "<db-password>"),
        ("kubectl create secret generic s --from-literal=password=$DB_PASSWORD", "$DB_PASSWORD"),
        ('[HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme]\n"BrokerName"="SallowRelayPrimary"', "SallowRelayPrimary"),
        ('[HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme]\n"PasswordPolicy"="StrongPasswords"', "StrongPasswords"),
        ('[HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme]\n"BrokerPassword"="ChangeMeNow"', "ChangeMeNow"),
        ("the basic pass rate was DefaultConnection", "DefaultConnection"),
        # type 6 is AES under the device's master key; type 5/8/9 hashes stay
        (
            "username vpn password 6 TdOaRAUVJ[fMbZ_KcGDPSGffRWWIOOeFJMAAB",
            "TdOaRAUVJ[fMbZ_KcGDPSGffRWWIOOeFJMAAB",
        ),
        ("enable secret 5 $1$pQ7z$Vw3Lk9Rn2Tb8Xc5Yd1Hf0.", "$1$pQ7z$Vw3Lk9Rn2Tb8Xc5Yd1Hf0."),
        ("interface Gi0/7\n speed 7 1000", "1000"),
    ],
)
def test_round36_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)
