"""Redaction round 34 (tuned on test37's first reading): passwords that configuration languages name
by position (HAProxy ``userlist``, SNMPv3 users, routing and AAA keys, Cisco type 7), secrets that a
CLI subcommand takes as a positional argument (``token revoke <token>``, ``api-key store <key>
<secret>``) and a value printed under a SQL query that reads one secret-named setting. Look-alikes:
a Square application id (public by design), DPAPI blobs (encrypted), crypt hashes after the same
directives, localized SNMP keys, ids after the same subcommands, a query of a harmless setting.
Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_WORDS = "Gannet-slipway-Kestrel41"
_LETTERS = "RvQmkTzLwPaXcNbYsHduE"  # mixed case, no digit: what a generator may print
_HEX40 = "9b1e47c2d05af3861e7c4d29a0b5f8e3c716d24a"
_B64 = "Pz7/Lq2+Rk9WxVm3Tn8Yb5Hc1JeXg6Fd0Su4Ai2Wo7Kr3Nt9Bv5Mc8Ey1Gh6Lj2Q"
_SHA512_CRYPT = "$6$Qx8vLm2R$Wq0o1c2Y8mZ5pS7r3t4u5v6w7x8y9z0A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6"
_DPAPI_HEX = "01000000d08c9ddf0115d1118c7a00c04fc297eb01000000" + "7a3c9e1f5b2d48a6c0e4" * 6
_DPAPI_B64 = "AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAAq3kT9vLm2Rz8Wc5Xp1Yb7Nd4Hf0Jg6Ke3Ma=="


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # HAProxy userlist: the clear-text form, whatever the value's shape
        (f"userlist ops_users\n    user deploy insecure-password {_LETTERS}", _LETTERS),
        (f"  user stats insecure-password {_WORDS} groups admins", _WORDS),
        # SNMPv3 users: Cisco, Net-SNMP, Junos
        (f"snmp-server user nms-ro monitor v3 auth sha {_WORDS}", _WORDS),
        (f"snmp-server user nms-ro monitor v3 auth sha Auth-1x{_LETTERS} priv aes 128 {_WORDS}", _WORDS),
        (f"snmp-server user poller grp remote 10.0.0.5 v3 auth md5 {_WORDS}", _WORDS),
        (f"createUser poller SHA {_WORDS} AES Priv-{_LETTERS}", _WORDS),
        (f"createUser poller SHA Auth-{_LETTERS} AES {_WORDS}", _WORDS),
        (
            f'set snmp v3 usm local-engine user nms authentication-sha authentication-password "{_WORDS}"',
            _WORDS,
        ),
        (f'set snmp v3 usm local-engine user nms privacy-aes128 privacy-password "{_WORDS}"', _WORDS),
        # routing and AAA keys
        (f'set protocols bgp group transit authentication-key "{_WORDS}"', _WORDS),
        (f"ntp authentication-key 3 md5 {_WORDS}", _WORDS),
        (f" ip ospf message-digest-key 1 md5 {_WORDS}", _WORDS),
        (f"tacacs-server key {_WORDS}", _WORDS),
        (f" neighbor 192.0.2.9 password {_WORDS}", _WORDS),
        (f'set protocols ospf area 0 interface ge-0/0/1 authentication md5 2 key "{_WORDS}"', _WORDS),
        (" ip ospf authentication-key 0 Harbour-Quay-Lantern9", "Harbour-Quay-Lantern9"),
        # CLI subcommands whose positional argument is the secret
        (f"$ particle token revoke {_HEX40}", _HEX40),
        (f"$ acme-cli tokens delete {_B64}", _B64),
        (f"$ confluent api-key store RZ4KT7QW2MXB9LHD {_B64} --resource lkc-9x2vq", _B64),
        # a SQL query that reads one secret-named value: bare, mysql frame, psql frame
        (f"mysql> SELECT value FROM settings WHERE name='smtp_password';\n{_WORDS}", _WORDS),
        (
            "mysql> SELECT value FROM app_config WHERE `key` = 'sendgrid_api_key';\n+------+\n| value |\n"
            f"+------+\n| {_B64} |\n+------+",
            _B64,
        ),
        (
            "db=> SELECT api_token FROM integrations WHERE id = 7;\n"
            f"   api_token\n-----------\n {_HEX40}\n(1 row)",
            _HEX40,
        ),
    ],
)
def test_round34_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a Square application id is public by design (its secrets are ``sq0csp-``/``EAAA…``)
        ("SQUARE_APPLICATION_ID=sq0idp-Qm3xT9_kLv2Rb7Wc5Nd1Yh", "sq0idp-Qm3xT9_kLv2Rb7Wc5Nd1Yh"),
        # DPAPI blobs, in a registry export and as PowerShell's SecureString text
        (f'"EncryptedPassword"=hex:{_DPAPI_HEX}', _DPAPI_HEX),
        (f"$secure = ConvertTo-SecureString '{_DPAPI_B64}'", _DPAPI_B64),
        # stored forms after the same directives: crypt hashes. (Cisco type 7, kept here until round
        # 36, is redacted now: a reversible encoding is the password; tests/kb/test_redaction_round36.py.)
        (f"    user deploy password {_SHA512_CRYPT}", _SHA512_CRYPT),
        ("enable secret 5 $1$pQ7z$Vw3Lk9Rn2Tb8Xc5Yd1Hf0.", "$1$pQ7z$Vw3Lk9Rn2Tb8Xc5Yd1Hf0."),
        # a localized SNMP key (``encrypted``) is no passphrase; the directive's keywords are no value
        (
            "snmp-server user nms-ro monitor v3 encrypted auth sha 0A1B2C3D4E5F60718293",
            "0A1B2C3D4E5F60718293",
        ),
        ("snmp-server user nms-ro monitor v3 auth sha priv aes 128", "priv"),
        # ids after the same subcommands: a uuid, a short id, the key id before the secret
        ("$ npm token revoke 4f0c2b9e-7d1a-4e63-8a5b-c29d0e7f13a6", "4f0c2b9e-7d1a-4e63-8a5b-c29d0e7f13a6"),
        ("$ npm token revoke a1b2c3", "a1b2c3"),
        (f"$ confluent api-key store RZ4KT7QW2MXB9LHD {_B64}", "RZ4KT7QW2MXB9LHD"),
        # a query of a setting no name calls secret
        (
            "mysql> SELECT value FROM settings WHERE name='site_title';\nQuillmere-Harbour-2031",
            "Quillmere-Harbour-2031",
        ),
        ("SELECT name FROM berths WHERE id = 12;\nkestrel-pontoon-b", "kestrel-pontoon-b"),
    ],
)
def test_round34_kept(text: str, value: str) -> None:
    _kept(text, value)
