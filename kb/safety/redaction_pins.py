"""A PIN that code names by an identifier: ``static let kioskPin = "…"``, ``KIOSK_PIN=…``,
``kiosk_pin: "…"``, ``const adminPinCode = "…";``.

A kiosk's, a door's or an admin console's PIN unlocks what a password does. The name says so only
where ``pin`` is a whole part of the identifier and ends it (``Pin``/``PIN``/``_pin``, optionally with
``Code``): ``pinned``, ``spinner``, ``pinCount``, ``pin_length`` and ``MAX_PIN_ATTEMPTS`` name other
things, and their values are flags, counts and limits. Kept as well: a hardware pin (``LED_PIN``,
``gpioPin``, ``resetPin = "GPIO17"``), a certificate pin (``tlsPin = "sha256/…"``), placeholders and
references, and a number shorter than four digits.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_names import TYPE_ANNOTATION
from kb.safety.redaction_rules import Rule, _rule
from kb.safety.redaction_values import _placeholder_like

__all__ = ["pin_rules"]

# The identifier: camelCase (``kioskPin``, ``KioskPin``, ``adminPinCode``), snake, kebab or dotted with a
# part before ``pin`` (``KIOSK_PIN``, ``kiosk-pin``, ``kiosk.pin``), or ``pinCode``/``PIN_CODE`` alone.
_PIN_NAME: Final = (
    r"(?P<name>[A-Za-z][A-Za-z0-9]*[a-z0-9]Pin(?:Code)?"
    r"|(?:[A-Za-z0-9]+[_.\-])+(?:pin|PIN|Pin)(?:[_\-]?(?:code|CODE|Code))?"
    r"|(?:pin|PIN|Pin)[_\-]?(?:code|CODE|Code))"
)
# An optional type after the name (Swift/Kotlin/TypeScript ``: String``, Rust ``: &str``), the link,
# then a quoted value, or a bare one after ``=`` (``.env``, shell, properties).
_PIN_ASSIGNMENT: Final = (
    rf"(?<![\w.\-]){_PIN_NAME}['\"]?"
    rf"(?:[ \t]*:[ \t]*{TYPE_ANNOTATION})?"
    r"[ \t]*(?::=|=>|=|:)[ \t]*"
    r"(?:(?P<q>['\"`])(?P<v>[^\s'\"`]{4,64})(?P=q)|(?P<v2>[^\s'\"`;,]{4,64})(?=[;,]?[ \t]*(?:#|//|$)))"
)
# The part before ``pin`` that makes it a hardware or a certificate pin.
_NOT_A_SECRET_PIN: Final = re.compile(
    r"(?:^|[_.\-]|(?<=[a-z0-9])(?=[A-Z]))(?i:gpio|led|io|reset|rst|irq|interrupt|data|clock|clk|sda|scl"
    r"|cs|ss|button|btn|relay|sensor|motor|servo|analog|digital|input|output|in|out|tx|rx|enable|en|power"
    r"|pwr|trigger|echo|buzzer|signal|pwm|adc|dac|spi|i2c|uart|tls|ssl|cert|certificate|spki|hpkp|key"
    r"|pubkey|public[_\-]?key|sha256|hash|version|dep|dependency|package)[_.\-]?(?i:pin)",
)
# A board's pin (``GPIO17``, ``PA5``, ``D13``), a certificate pin's digest, a version.
_HARDWARE_OR_DIGEST: Final = re.compile(
    r"(?i)(?:gpio|pin|p[a-z]|[ad])_?\d{1,3}|(?:pin-)?sha(?:1|256|384|512)[/:=\-].*|v?\d+(?:\.\d+)+"
)


def _pin_value(value: str) -> bool:
    """A PIN as written: digits (four or more, not all one), or a run that is no word, placeholder,
    reference, board pin or digest."""
    if _placeholder_like(value) or value.startswith(("$", "%", "<", "{", "-", "@")):
        return False
    if _HARDWARE_OR_DIGEST.fullmatch(value):
        return False
    if value.isdigit():
        return len(set(value)) > 1
    if re.fullmatch(r"[A-Za-z]+", value) and (value.islower() or value.istitle() or len(value) < 8):
        return False  # a word (``enabled``, ``Required``)
    return re.search(r"[A-Za-z0-9]", value) is not None and re.search(r"[/\\]", value) is None


def _secret_pin_name(before: str, _value: str) -> bool:
    name = re.search(r"([A-Za-z][\w.\-]*)['\"]?[^\w]*$", before)
    return name is not None and _NOT_A_SECRET_PIN.search(name.group(1)) is None


def pin_rules() -> list[Rule]:
    return [
        _rule("password-assignment", _PIN_ASSIGNMENT, _pin_value, context=_secret_pin_name, hints=("pin",)),
    ]
