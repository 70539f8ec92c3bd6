"""Keys that network and IoT devices hold, known by the configuration line or the client command that
carries them, whatever their shape (a letters-only pre-shared key is still one there).

* network gear: Cisco IOS/ASA AAA and routing keys (``tacacs-server [host H] key V``, ``radius-server
  … key V``, ``key V`` under a ``tacacs server``/``radius server`` block, ``ip nhrp authentication
  V``, ``crypto isakmp key V address …``, ``pre-shared-key [local|remote] V``, ``ikev1 pre-shared-key
  V``, ``ip ospf authentication-key V``, ``standby N authentication V``, ``vrrp N authentication text
  V``, ``username U password|secret 0 V``, ``enable password|secret 0 V``, ``wpa-psk ascii 0 V``);
  FortiOS ``set psksecret|passwd|ppk-secret V`` (and ``set password|secret|key|passphrase V`` inside
  a ``config … end`` block); Junos ``pre-shared-key ascii-text V`` and a RADIUS or TACACS+ server's
  ``secret V``; Palo Alto ``authentication pre-shared-key key V``; MikroTik RouterOS ``secret=``,
  ``password=``, ``wpa2-pre-shared-key=``, ``passphrase=`` on a ``/menu add|set`` line. Not the
  stored forms: a type 5/6/7/8/9 digit, FortiOS ``ENC …``, Junos ``$9$…``;
* MQTT clients' passwords: ``mosquitto_pub``/``mosquitto_sub``/``mosquitto_rr``/``mosquitto_ctrl -P
  V`` or ``--pw V``, MQTTX ``-P V``/``--password V``, HiveMQ's ``mqtt pub|sub … -pw V``, and the
  Mosquitto dynamic-security plugin's ``setClientPassword NAME V`` and ``createClient NAME -p V``;
* LoRaWAN root and session keys (``AppKey``, ``NwkKey``, ``AppSKey``, ``NwkSKey``, ``GenAppKey``,
  the 1.1 ``FNwkSIntKey``/``SNwkSIntKey``/``NwkSEncKey``): 32 hex digits after the key's name, or the
  16 bytes of an LMIC/Arduino array (``APPKEY[16] = { 0x…, … }``). The DevEUI, JoinEUI and AppEUI
  beside them are public identifiers and stay.

Kept: variables, templates, placeholders, an option after the flag, a stored hash or obfuscation.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_positions import _typed_in
from kb.safety.redaction_values import QUOTED_CHARS, SHELL_WORD_CHARS, quoted_or_bare, value_group

__all__ = ["device_key_credential_spans"]

# A value as a config line holds it: quoted, or bare up to the next blank
_VALUE: Final = quoted_or_bare(QUOTED_CHARS + "{1,128}?", r"[^\s'\"]+")
# a flag's value: quoted, or a bare shell word that is not the next flag
_FLAG_VALUE: Final = quoted_or_bare(QUOTED_CHARS + "{1,128}?", "(?!-)" + SHELL_WORD_CHARS + "+")
# The words that follow these keywords in the stored or prompted forms, never a key
_NOT_A_KEY: Final = re.compile(
    r"(?i)ENC|encrypted|hidden|local|remote|address|hostname|key|text|md5|sha\d*|ascii|hex|keyring|none"
)


def _config_key(value: str) -> bool:
    return _typed_in(value) and _NOT_A_KEY.fullmatch(value) is None and not value.isdigit()


def _value_spans(
    pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(text, start, len(text) if end is None else end):
        group = value_group(m)
        if _config_key(m.group(group)):
            spans.append(m.span(group))
    return spans


# --- network gear ---------------------------------------------------------------------------------

# A clear key: no type digit, or ``0``; ``6``/``7`` (and 5/8/9 for secrets) are stored forms
_CLEAR: Final = r"[ \t]+(?:0[ \t]+)?(?![5-9][ \t])"
_CISCO_KEY_LINE: Final = re.compile(
    r"(?im)^[ \t]*(?:"
    r"(?:tacacs|radius)-server\b[^\n]*?[ \t]key"
    r"|ip[ \t]+nhrp[ \t]+authentication"
    r"|crypto[ \t]+isakmp[ \t]+key(?=[^\n]*\b(?:address|hostname)\b)"
    r"|(?:ikev[12][ \t]+(?:local-authentication[ \t]+|remote-authentication[ \t]+)?)?pre-shared-key"
    r"(?:[ \t]+(?:local|remote))?(?:[ \t]+address[ \t]+\S+(?:[ \t]+\S+)?[ \t]+key)?"
    r"|ip[ \t]+ospf[ \t]+authentication-key"
    r"|standby[ \t]+\d{1,4}[ \t]+authentication(?:[ \t]+text)?"
    r"|vrrp[ \t]+\d{1,3}[ \t]+authentication[ \t]+text"
    r"|username[ \t]+\S+(?:[ \t]+privilege[ \t]+\d+)?[ \t]+(?:password|secret)"
    r"|enable[ \t]+(?:password|secret)"
    r"|wpa-psk[ \t]+ascii"
    # the key ends the line (or ``crypto isakmp key``'s peer follows it), never a sentence
    r")" + _CLEAR + _VALUE + r"[ \t]*(?=$|[ \t]+(?:address|hostname)\b)"
)
# ``key V`` alone is a key only inside a ``tacacs server NAME``/``radius server NAME`` block
_AAA_BLOCK: Final = re.compile(
    r"(?im)^[ \t]*(?:tacacs|radius)[ \t]+server[ \t]+\S+[ \t]*\n(?:[ \t]+[^\n]*(?:\n|$))+"
)
_BLOCK_KEY: Final = re.compile(r"(?im)^[ \t]+key" + _CLEAR + _VALUE + r"[ \t]*$")

# FortiOS: keys named only there are keys anywhere; the generic names inside a ``config`` block
_FORTIOS_KEY: Final = re.compile(r"(?im)^[ \t]*set[ \t]+(?:psksecret|passwd|ppk-secret)[ \t]+" + _VALUE)
_FORTIOS_CONFIG: Final = re.compile(r"(?m)^[ \t]*config[ \t]+[a-z][\w-]*(?:[ \t]+[\w-]+)*[ \t]*$")
_FORTIOS_GENERIC_KEY: Final = re.compile(
    r"(?im)^[ \t]*set[ \t]+(?:password|secret|key|passphrase|sae-password|radius-secret)[ \t]+" + _VALUE
)
# Junos and PAN-OS (``set …`` commands or a braced configuration)
_JUNOS_KEY: Final = re.compile(
    r"(?im)(?:\bpre-shared-key[ \t]+ascii-text"
    r"|\b(?:radius|tacacs(?:-plus)?)-server[ \t]+\S+[ \t]+(?:[\w-]+[ \t]+\S+[ \t]+)*?secret"
    r"|\bauthentication[ \t]+pre-shared-key[ \t]+key"
    r"|^[ \t]+secret(?=[ \t]+\"[^\"\n]+\";))[ \t]+" + _VALUE
)
_JUNOS_SERVER: Final = re.compile(r"(?i)\b(?:radius|tacacs(?:-plus)?)-server\b")
# MikroTik RouterOS: ``/ip ipsec peer add … secret=V``
_ROUTEROS_LINE: Final = re.compile(r"(?m)^[ \t]*/(?:[a-z][\w-]*[ \t]+)*?(?:add|set)\b[^\n]*")
_ROUTEROS_KEY: Final = re.compile(
    r"(?<![\w-])(?:secret|password|wpa2?-pre-shared-key|pre-shared-key|passphrase)=" + _VALUE
)


def _network_gear_spans(text: str) -> list[tuple[int, int]]:
    lowered = text.lower()
    spans = _value_spans(_CISCO_KEY_LINE, text)
    if "server" in lowered:
        for block in _AAA_BLOCK.finditer(text):
            spans += _value_spans(_BLOCK_KEY, text, block.start(), block.end())
    if "set" in lowered:
        spans += _value_spans(_FORTIOS_KEY, text)
        if _FORTIOS_CONFIG.search(text):
            spans += _value_spans(_FORTIOS_GENERIC_KEY, text)
    if "pre-shared-key" in lowered or _JUNOS_SERVER.search(text) or 'secret "' in lowered:
        spans += _value_spans(_JUNOS_KEY, text)
    if "=" in text and "/" in text:
        for line in _ROUTEROS_LINE.finditer(text):
            spans += _value_spans(_ROUTEROS_KEY, text, line.start(), line.end())
    return spans


# --- MQTT clients ---------------------------------------------------------------------------------

_MQTT_PASSWORD_FLAG: Final = re.compile(
    r"(?<![\w/-])(?:/[\w./-]*/)?(?:"
    r"mosquitto_(?:pub|sub|rr|ctrl)\b[^\n|;&]*?[ \t](?:-P|--pw)"
    r"|mqttx\b[^\n|;&]*?[ \t](?:-P|--password)"
    r"|mqtt[ \t]+(?:pub|sub|publish|subscribe|shell|sh|test)\b[^\n|;&]*?[ \t](?:-pw|--password))"
    r"(?:[ \t]+|=)" + _FLAG_VALUE
)
# The dynamic-security plugin's commands set a client's password (the admin's ``-P`` is read above)
_DYNSEC_PASSWORD: Final = re.compile(
    r"\bdynsec[ \t]+(?:setClientPassword[ \t]+\S+|createClient[ \t]+\S+[^\n|;&]*?[ \t]-p)[ \t]+" + _FLAG_VALUE
)

# --- LoRaWAN --------------------------------------------------------------------------------------

_LORAWAN_KEY_NAME: Final = (
    r"(?i)(?<![a-z])(?:gen[ _-]?app|app[ _-]?s?|nwk[ _-]?s?"
    r"|f[ _-]?nwk[ _-]?s[ _-]?int|s[ _-]?nwk[ _-]?s[ _-]?int"
    r"|nwk[ _-]?s[ _-]?enc|mc(?:[ _-]?root)?)[ _-]?key(?![a-z])"
)
_LORAWAN_HEX_KEY: Final = re.compile(
    _LORAWAN_KEY_NAME
    + r"(?:\.key)?[\"'`]?[ \t]*(?:[:=|]|=>)?[ \t]*[\"'`]?(?:0x)?(?P<v>[0-9A-Fa-f]{32})(?![0-9A-Za-z])"
)
_LORAWAN_BYTES: Final = re.compile(
    _LORAWAN_KEY_NAME + r"[ \t]*\[[ \t]*16[ \t]*\][ \t]*=[ \t]*\{[ \t]*"
    r"(?P<v>0x[0-9A-Fa-f]{2}(?:[ \t]*,[ \t]*0x[0-9A-Fa-f]{2}){15})"
)


def _lorawan_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span("v") for m in _LORAWAN_HEX_KEY.finditer(text) if len(set(m.group("v").lower())) >= 8]
    spans += [m.span("v") for m in _LORAWAN_BYTES.finditer(text) if len(set(m.group("v").lower())) >= 8]
    return spans


def device_key_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the keys this module reads."""
    spans = [("password-assignment", s, e) for s, e in _network_gear_spans(text)]
    if "mosquitto" in text or "mqtt" in text:
        spans += [("password-assignment", s, e) for s, e in _value_spans(_MQTT_PASSWORD_FLAG, text)]
        spans += [("password-assignment", s, e) for s, e in _value_spans(_DYNSEC_PASSWORD, text)]
    if "key" in text.lower():
        spans += [("generic-api-key", s, e) for s, e in _lorawan_spans(text)]
    return spans
