"""Redaction round 35 (tuned on test38's first reading): a PIN that code names by an identifier in
any language's style (``kioskPin``, ``KIOSK_PIN``, ``kiosk_pin``, ``adminPinCode``). Look-alikes:
identifiers that only contain ``pin`` (``pinned``, ``spinner``, ``pinCount``, ``pin_length``), counts
and limits, hardware and certificate pins, and a pass that is a ticket or a permit (``season pass
SP-…``, ``boarding pass``, ``hall pass``). Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_RUN = "Tq7mWzR2kLpV9xHcBn4J"
_SHORT = "Hy6vQe3Kw8Zs"
_DIGEST = "Qm3kZ8vTr2Lp5wXy9cBn4Hj7Fd1Sa6Ge0Uo3Ki8Mt2"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f'    static let kioskPin = "{_RUN}"', _RUN),  # Swift
        (f'private const val kioskPin: String = "{_RUN}"', _RUN),  # Kotlin
        (f'public const string KioskPin = "{_SHORT}";', _SHORT),  # C#
        (f'const adminPinCode = "{_SHORT}";', _SHORT),  # JavaScript
        (f'kioskPin := "{_SHORT}"', _SHORT),  # Go
        (f"KIOSK_PIN = '{_RUN}'", _RUN),  # Python, Ruby
        (f"KIOSK_PIN={_RUN}", _RUN),  # .env
        (f'door_pin: "{_SHORT}"', _SHORT),  # YAML
        (f'  "kioskPin": "{_SHORT}",', _SHORT),  # JSON
        (f"kiosk.pin={_SHORT}", _SHORT),  # properties
        (f"PIN_CODE={_SHORT}", _SHORT),
        ('static let kioskPin = "58203917"', "58203917"),  # digits, quoted
    ],
)
def test_round35_pins(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # identifiers that only contain ``pin``, and counts and limits
        ('static let pinnedVersion = "v2.14.3"', "v2.14.3"),
        ('let spinnerStyle = "largeWhiteSpinner"', "largeWhiteSpinner"),
        ("let pinCount = 4096", "4096"),
        ("PIN_LENGTH = 8", "8"),
        ("kioskPinLength: 6", "6"),
        ("MAX_PIN_ATTEMPTS = 5", "5"),
        ('pinnedCommit = "Wz4kQ8vLm2Rt"', "Wz4kQ8vLm2Rt"),
        # hardware pins and certificate pins
        ('let gpioPin = "GPIO17"', "GPIO17"),
        ("LED_PIN=1234", "1234"),
        ('resetPin = "PA5x"', "PA5x"),
        (f'tlsPin = "sha256/{_DIGEST}="', _DIGEST),
        # placeholders, references and words
        ('kioskPin = "${KIOSK_PIN}"', "KIOSK_PIN"),
        ('kioskPin = "changeme"', "changeme"),
        ('kioskPin = "required"', "required"),
        # a pass that is a ticket or a permit
        ("season pass SP-2026-48117 blocked at gate 3", "SP-2026-48117"),
        ("boarding pass BP-5521-QX scanned twice", "BP-5521-QX"),
        ("day pass DP-73019 refunded", "DP-73019"),
        ("ski pass SKI-2026-00918 reissued after the reader fault", "SKI-2026-00918"),
        ("hall pass HP-4471 issued", "HP-4471"),
        ("guest flagged: pass LP-2026-3307 expired", "LP-2026-3307"),
    ],
)
def test_round35_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a password after a bare ``pass`` is still read
        (f"admin pass {_RUN}", _RUN),
        (f"wifi pass: {_RUN}", _RUN),
        (f"the console pass is {_SHORT}", _SHORT),
    ],
)
def test_round35_pass_still_a_password(text: str, value: str) -> None:
    _gone(text, value)
