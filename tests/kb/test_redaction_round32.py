"""Redaction round 32 (tuned on test35's first reading): a password in a URL whose scheme holds an
underscore (Kafka's ``sasl_ssl://``, ``SASL_PLAINTEXT://``) beside the usual broker and store schemes,
an alerting vendor's 32-hex routing or integration key under a ``routing_key``/``integration_key``
name (on its own line or under a ``pagerduty:`` parent), and a hex key that starts with a letter
under a credential parent. Look-alikes: SCRAM verifiers (PostgreSQL's and Kafka's) and the other
password hashes kept whole, a broker's dotted routing key, and a table row labelled by a bare keyword
(``| pass | AWU-Ka3-46131 | …``) whose next cell is a record's id. Fresh fake values, none a planted
row's."""

from __future__ import annotations

import pytest

from kb.safety.redaction import find_secrets
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PASSWORD = "apogeeKestrel7731"
_HEX = "c41e9a07b3d25f8e6a19d0c7b4e2f593"
_SALT = "Qm8xTzR2c1pLd0p4Ynk3Rg=="
_STORED = "p3Kq9Lm2Xw7Rt4Vn8Bc1Hd6Js0Fg5Yz2Ua9Ei3Oc7Tq="
_SERVER = "Wn5Rb8Tc2Yd7Ue1If4Og9Ph3Qj6Rk0Sl5Tm8Un2Vo4Xp="
_SCRAM = f"SCRAM-SHA-256$4096:{_SALT}${_STORED}:{_SERVER}"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a password in a URL, schemes with an underscore among them, wherever the URL stands
        (f"Caused by: bootstrap url sasl_ssl://ingest:{_PASSWORD}@10.40.2.17:9093", _PASSWORD),
        (f"listeners=SASL_PLAINTEXT://broker:{_PASSWORD}@kafka-0.internal:9092", _PASSWORD),
        (f"KAFKA_URL=kafka+ssl://app:{_PASSWORD}@kafka.internal:9094", _PASSWORD),
        (f"amqps://relay:{_PASSWORD}@mq.internal:5671/telemetry", _PASSWORD),
        (f"nats://leaf:{_PASSWORD}@nats.internal:4222", _PASSWORD),
        (f"rediss://default:{_PASSWORD}@cache.internal:6380/0", _PASSWORD),
        (f"mongodb+srv://archive:{_PASSWORD}@cluster0.abcde.mongodb.net/passes", _PASSWORD),
        # an alerting vendor's integration key: 32 hex after its name, with or without the vendor
        (f'pagerduty:\n  routing_key: "{_HEX}"', _HEX),
        (f'routing_key: "{_HEX}"', _HEX),
        (f"PD_INTEGRATION_KEY={_HEX}", _HEX),
        (f'{{"integration_key": "{_HEX}"}}', _HEX),
        # a letter-led hex key under a parent that names a vendor or credentials
        (f"opsgenie:\n  api:\n    value: {_HEX}", _HEX),
        (f"credentials:\n  signing: {_HEX}", _HEX),
    ],
)
def test_round32_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # SCRAM verifiers: PostgreSQL's rolpassword and Kafka's describe output, kept whole
        (f"app=# SELECT rolpassword FROM pg_authid;\n {_SCRAM}", _SCRAM),
        (f"rolpassword: {_SCRAM}", _SCRAM),
        (f"ALTER ROLE ingest PASSWORD '{_SCRAM}';", _SCRAM),
        (
            f"SCRAM-SHA-512=salt={_SALT},stored_key={_STORED},server_key={_SERVER},iterations=8192",
            f"server_key={_SERVER}",
        ),
        # the other password hashes stay whole too
        ("password: $2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "$2b$12$R9h/cIPz0gi"),
        (
            "password_hash: $argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            "RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        ),
        ("hash = $1$Qx7Lm2Rt$V9Kp3Wn8Bc1Hd6Js0Fg5Yz", "$1$Qx7Lm2Rt$V9Kp3Wn8Bc1Hd6Js0Fg5Yz"),
        # a broker's routing key is a topic; a 32-hex value named for something else
        ("routing_key: orders.created.eu", "orders.created.eu"),
        (f"routing_key: {'0' * 32}", "0" * 32),
        # a row labelled by a bare keyword: the cell after it is the record's id
        ("| pass | KRN-Xb2-70415 | AOS 11:02 LOS 11:14 | nominal |", "KRN-Xb2-70415"),
        ("| token | INC-20931 | revoked | 2026-11-30 |", "INC-20931"),
        ("| **Pass** | TRM-S1-88120 | 4 min |", "TRM-S1-88120"),
    ],
)
def test_round32_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_round32_scram_verifier_not_cut() -> None:
    """No finding reaches into a verifier: the ``:ServerKey`` after the last colon is not a password."""
    text = f"app=# SELECT rolpassword FROM pg_authid WHERE rolname = 'app';\n {_SCRAM}"
    assert find_secrets(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a qualified name or a password-shaped value in a row is still read as naming the value
        "| DB pass | Xk9!mQ2#rT7v | rotated |",
        "| pass | Xk9!mQ2#rT7v |",
        "| Secret | Value |\n|---|---|\n| password | KRN-Xb2-70415 |",
    ],
)
def test_round32_table_credentials_still_read(text: str) -> None:
    assert find_secrets(text), text
