"""Redaction round 37 (tuned on test40's first reading): a key that ends in a phrase name
(``engineer_pin_phrase=<letters>``), a constant annotated with Python's typing wrappers
(``KAFKA_PASSWORD: Final = "…"``), and redis-cli's reply to ``GET <key>`` named by the key.
Look-alike: Adyen's client key (``test_``/``live_`` and 32 upper-case characters), public by design.
Twilio API key SIDs (``SK…``) stay redacted: eighteen earlier folds label them secrets. Fresh fake
values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_LETTERS = "qzKtrwBvNaXcpLmHd"  # letters only, as some generators draw them
_PHRASE = "quarry-lantern-osprey42"
_REPLY = "Pw7xQ2mZr9Lk+T4vNc8Yb3Hd/Gs6Jf1Ua5We0Ro"
_CLIENT_KEY = "live_4HTQ8ZKR2WMX7CNP9BVL3DJF6YGS5EAU"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"[service]\nengineer_pin_phrase={_LETTERS}", _LETTERS),
        (f"UNLOCK_PASSPHRASE: {_LETTERS}", _LETTERS),
        (f"export VAULT_PIN_PHRASE='{_PHRASE}'", _PHRASE),
        (f'KAFKA_PASSWORD: Final = "{_PHRASE}"  # settings.py', _PHRASE),
        (f'DB_PASSWORD: Final[str] = "{_PHRASE}"', _PHRASE),
        (f'    API_TOKEN: ClassVar[str] = "{_PHRASE}"', _PHRASE),
        (f'kiosk_pin: Final = "{_LETTERS}"', _LETTERS),
        (f'127.0.0.1:6379> GET cfg:kafka:sasl_secret\n"{_REPLY}"', _REPLY),
        (f'$ redis-cli -h cache.internal GET app/mailgun_api_key\n"{_REPLY}"', _REPLY),
        (f'redis:6379> HGET cfg:smtp password\n"{_PHRASE}"', _PHRASE),
        (f"ADYEN_API_KEY={_CLIENT_KEY}", _CLIENT_KEY),  # not named a client key: redacted
    ],
)
def test_round37_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("engineer_pin_phrase=DefaultConnection", "DefaultConnection"),
        ("pin_phrase_length=12", "12"),
        ("passphrase_file=/run/secrets/unlock", "/run/secrets/unlock"),
        ('KAFKA_PASSWORD_FILE: Final = "/run/secrets/kafka"', "/run/secrets/kafka"),
        (f'127.0.0.1:6379> GET cfg:kafka:topic\n"{_REPLY}"', _REPLY),
        (f"ADYEN_CLIENT_KEY={_CLIENT_KEY}  # public by design (Drop-in)", _CLIENT_KEY),
        (f'  clientKey: "{_CLIENT_KEY}",', _CLIENT_KEY),
    ],
)
def test_round37_look_alikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)
