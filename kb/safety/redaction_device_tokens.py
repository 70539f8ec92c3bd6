"""Tokens and keys that devices, log shippers and SDK clients carry, known by where they stand.

* A device's access token where an IoT platform's device API puts it: the MQTT user name of
  ``mosquitto_pub``/``mosquitto_sub`` when no password is given beside it (ThingsBoard's
  ``-u TOKEN`` on ``v1/devices/me/…``, or any random-looking user name), and the path segment of
  ThingsBoard's HTTP device API (``/api/v1/TOKEN/telemetry``).
* A device setting named for a secret: the Zephyr/Golioth shell's ``settings set …/psk V`` (``psk``,
  ``password``, ``secret``, ``token``, ``…key`` as the last part of the name; ``…/psk-id`` is an id),
  an ESP-IDF NVS partition CSV row ``wifi_pass,data,string,V``, and a Zigbee2MQTT ``network_key``
  of sixteen bytes.
* Log shippers' tokens: Logz.io's 32-letter shipping token (``LOGZIO_TOKEN=``, the listener's
  ``?token=``, a ``token:`` beside ``logzio_…`` settings) and Loggly's customer token in an
  ``/inputs/`` or ``/bulk/`` URL path; a Checkly heartbeat URL (``ping.checklyhq.com/<uuid>``).
* The key an SDK client takes as its first argument, where the constructor is a client's
  (``new RaygunClient("KEY")``, ``MailchimpTransactional.Client("md-…")``): a random literal, not a
  URL, a UUID (a client id), a name or a public key.
* A note that names a secret and, a few words later, gives it after a colon (``WeatherLink API
  secret from the old station script: V``).

Kept: variables, templates, placeholders, names and words, ids (``…/psk-id``), Zigbee2MQTT's
documented default network key.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import (
    QUOTED_CHARS,
    SHELL_WORD_CHARS,
    UUID_PATTERN,
    _placeholder_like,
    _random_letters,
    _random_run,
    _reference_value,
    _token,
    _uuid_secret,
    _vendor_style_token,
    quoted_or_bare,
    value_group,
)

__all__ = ["device_token_spans"]


_MQTT_USER: Final = re.compile(
    r"\bmosquitto_(?:pub|sub|rr)\b[^\n|;&]*?[ \t](?:-u|--username)[ \t]+"
    + quoted_or_bare(r"[^'\"\s]{8,128}", SHELL_WORD_CHARS + "{8,128}")
)
_MQTT_PASSWORD_GIVEN: Final = re.compile(r"[ \t](?:-P|--pw)(?:[ \t]|=)")
_THINGSBOARD_PATH: Final = re.compile(
    r"/api/v1/(?P<v>[A-Za-z0-9_\-]{8,128})/(?:telemetry|attributes|rpc|claim|firmware|software"
    r"|provision)\b"
)
_SECRET_SETTING: Final = r"(?:psk|pass(?:word|wd|phrase)?|secret|token|(?:api|app|net(?:work)?|dev)?[_-]?key)"
_SHELL_SETTING: Final = re.compile(
    r"(?i)\bsettings[ \t]+(?:set|write)[ \t]+(?:string[ \t]+)?[\w./\-]*?(?<![\w-])"
    + _SECRET_SETTING
    + r"[ \t]+"
    + quoted_or_bare(QUOTED_CHARS + "{4,128}", r"[^\s'\"]{4,128}")
)
_NVS_ROW: Final = re.compile(
    r"(?im)^[ \t]*[\w.\-]*?(?:psk|pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key)[\w\-]*"
    r"[ \t]*,[ \t]*data[ \t]*,[ \t]*(?:string|base64|hex2bin)[ \t]*,[ \t]*(?P<v>[^,\n]{4,128}?)[ \t]*$"
)
_ZIGBEE_NETWORK_KEY: Final = re.compile(
    r"\bnetwork_key['\"]?[ \t]*:[ \t]*(?P<v>\[[ \t]*(?:(?:0x)?[0-9A-Fa-f]{1,3}[ \t]*,[ \t]*){15}"
    r"(?:0x)?[0-9A-Fa-f]{1,3}[ \t]*\])"
)
# Zigbee2MQTT's documentation and default configuration ship this key
_ZIGBEE_DEFAULT: Final = (1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13)
_LOGZIO_TOKEN: Final = re.compile(
    r"(?i)(?:\blogzio[\w]*token|(?<![\w-])token|[?&]token)['\"]?[ \t]*(?:=>|=|:)[ \t]*['\"]?"
    r"(?P<v>[A-Za-z]{32}|[A-Za-z0-9]{32})(?![\w\-])"
)
_LOGGLY_PATH: Final = re.compile(r"(?i)\bloggly\.com/(?:inputs|bulk)/(?P<v>" + UUID_PATTERN + r")(?![\w\-])")
_CHECKLY_PING: Final = re.compile(r"https?://ping\.checklyhq\.com/(?:api/)?" + UUID_PATTERN + r"(?![\w\-])")
_SDK_CLIENT: Final = re.compile(
    r"(?<![\w.])(?:new[ \t]+)?(?:[A-Za-z_]\w*(?:\.|::))*(?P<cls>(?:[A-Z]\w*?)?(?:Client|Api|API|Sdk|SDK))"
    r"[ \t]*\([ \t]*(?P<q>['\"])(?P<v>[^'\"\s]{16,128})(?P=q)[ \t]*[,)]"
)
_PUBLIC_CLIENT: Final = re.compile(r"(?i)public|publishable|browser|anon|search|read[_-]?only|client[_-]?id")
_TOLD_SECRET: Final = re.compile(
    r"(?i)\b(?:api[ \t]+(?:secret|key|token)|secret(?:[ \t]+key)?|access[ \t]+token|password|passphrase)"
    r"(?P<mid>(?:[ \t]+[\w'\-]+){1,8}?)[ \t]*:[ \t]*[`'\"]?(?P<v>[A-Za-z0-9_\-+/=]{16,128})"
    r"(?=[`'\"]?(?:[\s,;)]|$))"
)
_NOT_THE_SECRET: Final = re.compile(
    r"(?i)\b(?:ids?|name|user(?:name)?|hash\w*|digest|sha\d*|md5|checksum|fingerprint|version|prefix"
    r"|length|format|public|expir\w*|date|created|commit|scan\w*|alert|rule|header|field|path|url)\b"
)


def _typed(value: str) -> bool:
    return (
        len(value) >= 4
        and not _placeholder_like(value)
        and not _reference_value(value)
        and not value.isdigit()
        and re.fullmatch(r"[a-z]+", value) is None
        and re.search(r"(?i)token|secret|password", value) is None
    )


def _random(value: str) -> bool:
    return _random_run(value) or _random_letters(value)


def _device_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "mosquitto_" in text:
        for m in _MQTT_USER.finditer(text):
            line_end = text.find("\n", m.end())
            line = text[text.rfind("\n", 0, m.start()) + 1 : len(text) if line_end < 0 else line_end]
            value = m.group(value_group(m))
            if _MQTT_PASSWORD_GIVEN.search(line) or not _typed(value):
                continue
            if _random(value) or ("v1/devices/me" in line and re.search(r"[A-Z0-9]", value)):
                spans.append(("vendor-token", *m.span(value_group(m))))
    if "/api/v1/" in text:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _THINGSBOARD_PATH.finditer(text)
            if _typed(m.group("v")) and re.search(r"[A-Z0-9]", m.group("v"))
        ]
    if "settings" in text:
        for m in _SHELL_SETTING.finditer(text):
            if _typed(m.group(value_group(m))):
                spans.append(("vendor-token", *m.span(value_group(m))))
    if ",data," in text.replace(" ", ""):
        spans += [
            ("password-assignment", *m.span("v")) for m in _NVS_ROW.finditer(text) if _typed(m.group("v"))
        ]
    if "network_key" in text:
        for m in _ZIGBEE_NETWORK_KEY.finditer(text):
            numbers = tuple(int(n, 0) for n in re.findall(r"(?:0x)?[0-9A-Fa-f]+", m.group("v")[1:-1]))
            if numbers != _ZIGBEE_DEFAULT and len(set(numbers)) >= 8:
                spans.append(("generic-api-key", *m.span("v")))
    return spans


def _shipper_spans(text: str, lowered: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "logz" in lowered:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _LOGZIO_TOKEN.finditer(text)
            if not _placeholder_like(m.group("v")) and len(set(m.group("v").lower())) >= 12
        ]
    if "loggly" in lowered:
        spans += [
            ("vendor-token", *m.span("v")) for m in _LOGGLY_PATH.finditer(text) if _uuid_secret(m.group("v"))
        ]
    if "checklyhq" in lowered:
        spans += [("webhook-url", *m.span()) for m in _CHECKLY_PING.finditer(text)]
    return spans


def _sdk_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _SDK_CLIENT.finditer(text):
        value = m.group("v")
        if _PUBLIC_CLIENT.search(m.group("cls")) or re.fullmatch(UUID_PATTERN, value):
            continue
        if _token(value) or _vendor_style_token(value):
            spans.append(("generic-api-key", *m.span("v")))
    return spans


def device_token_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the secrets this module reads."""
    lowered = text.lower()
    spans = _device_spans(text) + _shipper_spans(text, lowered)
    if "(" in text and ("client" in lowered or "api" in lowered or "sdk" in lowered):
        spans += _sdk_spans(text)
    if ":" in text and ("secret" in lowered or "key" in lowered or "token" in lowered or "pass" in lowered):
        spans += [
            ("generic-api-key", *m.span("v"))
            for m in _TOLD_SECRET.finditer(text)
            if not _NOT_THE_SECRET.search(m.group("mid")) and _token(m.group("v"))
        ]
    return spans
