"""Passwords and keys that network gear and appliance consoles take in a position of their own, where
the command, not a setting's name, says what the value is.

* Huawei VRP: a value typed in clear after ``irreversible-cipher``, ``simple`` or ``plain``
  (``local-user U password irreversible-cipher PW``, ``ospf authentication-mode md5 1 plain KEY``,
  ``peer … password simple PW``), a WLAN ``psk pass-phrase PSK``, and an SNMPv3 ``usm-user``'s
  ``authentication-mode sha PW``/``privacy-mode aes128 PW``. What VRP displays (``$1c$…$``,
  ``%^%#…%^%#``) is a stored form and stays.
* Cisco AireOS (WLC) consoles: ``config wlan security wpa akm psk set-key ascii|hex PSK WLAN-ID`` and
  ``config radius|tacacs auth|acct add N IP PORT ascii|hex SECRET``.
* Appliance shells that take a password positionally: Check Point ``cp_conf sic init KEY`` and a
  management session (``X-chkp-sid: SID``, ``mgmt_cli … --session-id SID``); Synology ``synouser
  --setpw|--add USER PW`` and ``synoshare --enc_mount SHARE PW``; Commvault ``qlogin … -clp PW``
  (``-clp`` is the clear-text password, ``-ps`` an encrypted one); Db2 ``connect to DB user U using
  PW`` whatever its letters; TrueNAS ``auth.login_with_api_key KEY`` and its ``N-<64>`` API keys;
  Proxmox ``PVEAPIToken=USER@REALM!ID=SECRET`` (``PBSAPIToken=…:SECRET``); Semaphore ``sem connect
  HOST TOKEN``; an rsync daemon's secrets file (``user:password`` lines).
* A Junos ``$9$`` string in a sentence that calls it a key, says it decodes or asks to rotate it
  (``$9$`` is reversible, so the string is the secret; the type 9 hash ``$9$salt$hash`` stays).

Kept: variables, templates, placeholders, plain lower-case words and numbers in these positions.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import (
    QUOTED_CHARS,
    SHELL_WORD_CHARS,
    UUID_PATTERN,
    _placeholder_like,
    _random_run,
    _reference_value,
    quoted_or_bare,
    value_span,
)

__all__ = ["appliance_credential_spans"]

# a value as a console takes it: quoted, or bare up to the next blank
_ARG: Final = quoted_or_bare(QUOTED_CHARS + "{4,128}?", SHELL_WORD_CHARS + "{4,128}")

_VRP_CLEAR: Final = re.compile(
    r"(?i)(?:\bpassword|\bauthentication-mode[ \t]+[\w-]+(?:[ \t]+\d{1,3})?|\bkey-id[ \t]+\d+)"
    r"[ \t]+(?:irreversible-cipher|simple|plain)[ \t]+" + _ARG
)
_VRP_PASS_PHRASE: Final = re.compile(r"(?i)\bpsk[ \t]+pass-phrase[ \t]+(?!cipher\b|simple\b)" + _ARG)
_VRP_USM_USER: Final = re.compile(
    r"(?i)\busm-user[ \t]+v3\b[^\n]*?\b(?:authentication-mode[ \t]+(?:md5|sha2?(?:-\d+)?)"
    r"|privacy-mode[ \t]+(?:des56|3des|aes\d*))[ \t]+(?!cipher\b)" + _ARG
)
_WLC_SET_KEY: Final = re.compile(r"(?im)\bset-key[ \t]+(?:ascii|hex)[ \t]+" + _ARG + r"[ \t]+\d{1,3}[ \t]*$")
_WLC_AAA_SERVER: Final = re.compile(
    r"(?i)\bconfig[ \t]+(?:radius|tacacs)[ \t]+(?:auth|acct|athr)[ \t]+add[ \t]+\d+[ \t]+\S+[ \t]+\d+"
    r"[ \t]+(?:ascii|hex)[ \t]+" + _ARG
)
_POSITIONAL: Final = re.compile(
    r"(?i)(?:\bcp_conf[ \t]+sic[ \t]+init"
    r"|\bsynouser[ \t]+--(?:setpw|add)[ \t]+\S+"
    r"|\bsynoshare[ \t]+--enc_mount[ \t]+\S+"
    r"|\bqlogin\b[^\n|;&]*?[ \t]-clp"
    r"|\bdb2[ \t]+['\"]?(?:connect[ \t]+to|attach[ \t]+to)[ \t]+\S+[ \t]+user[ \t]+\S+[ \t]+using)[ \t]+"
    + _ARG
)
_SESSION: Final = re.compile(
    r"(?i)(?:\bX-chkp-sid['\"]?[ \t]*:|\bmgmt_cli\b[^\n|;&]*?[ \t]--session-id(?:[ \t]+|=))[ \t]*"
    r"['\"]?(?P<v>[A-Za-z0-9_\-]{20,128})"
)
_TRUENAS_KEY: Final = re.compile(r"(?<![\w\-])(?P<v>\d{1,5}-[A-Za-z0-9]{64})(?![\w\-])")
_TRUENAS_LOGIN: Final = re.compile(r"\bauth\.login_with_api_key[ \t]+['\"]?(?P<v>[^\s'\"]{16,128})")
_PROXMOX_TOKEN: Final = re.compile(
    r"\b(?:PVE|PBS)APIToken[ \t]*=[ \t]*[^\s!=:'\"]+![\w.\-]+[=:](?P<v>" + UUID_PATTERN + r")(?![\w\-])"
)
_SEMAPHORE_CONNECT: Final = re.compile(
    r"\bsem[ \t]+connect[ \t]+[\w.\-]+\.[a-z]{2,}[ \t]+"
    r"(?P<v>[0-9a-f]{32,64}|[A-Za-z0-9_\-]{20,128})(?![\w\-])"
)
_RSYNCD_SECRETS: Final = re.compile(r"(?i)\brsyncd?\.secrets\b|^[ \t]*secrets[ \t]+file[ \t]*=", re.M)
_SECRETS_LINE: Final = re.compile(r"(?m)^[ \t]*[\w.@\-]{1,64}:(?P<v>[^\s:]{4,128})[ \t]*$")
_JUNOS_STRING: Final = re.compile(r"(?<![\w$])(?P<v>\$9\$[A-Za-z0-9./\-]{8,})(?![\w$./\-])")
_CALLS_IT_A_KEY: Final = re.compile(
    r"(?i)(?<![\w-])(?:(?:md5|bgp|ospf|is-is|isis|vrrp|bfd|ntp|snmp|tacacs|radius|auth\w*)[ \t]+keys?"
    r"|decod\w*|de-?obfuscat\w*|rotate)\b"
)


def _typed(value: str) -> bool:
    """A value typed where the command takes a secret: not a placeholder, a variable, a number or a
    plain lower-case word (``using password``, ``-clp prompt``)."""
    return (
        len(value) >= 4
        and not _placeholder_like(value)
        and not _reference_value(value)
        and not value.isdigit()
        and re.fullmatch(r"[a-z]+", value) is None
    )


def _console_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rule in (_VRP_CLEAR, _VRP_PASS_PHRASE, _VRP_USM_USER, _WLC_SET_KEY, _WLC_AAA_SERVER, _POSITIONAL):
        for m in rule.finditer(text):
            s, e = value_span(m)
            if _typed(text[s:e]):
                spans.append((s, e))
    return spans


def _junos_prose_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        if "$9$" in line and _CALLS_IT_A_KEY.search(line):
            spans += [
                (offset + m.start("v"), offset + m.end("v"))
                for m in _JUNOS_STRING.finditer(line)
                if not re.fullmatch(r"[Xx*.]+", m.group("v")[3:])
            ]
        offset += len(line) + 1
    return spans


def appliance_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the secrets this module reads."""
    spans = [("password-assignment", s, e) for s, e in _console_spans(text)]
    lowered = text.lower()
    if "sid" in lowered or "session-id" in lowered:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _SESSION.finditer(text)
            if _random_run(m.group("v")) and not _placeholder_like(m.group("v"))
        ]
    spans += [
        ("vendor-token", *m.span("v"))
        for m in _TRUENAS_KEY.finditer(text)
        if _random_run(m.group("v"))
        and re.search(r"[A-Z]", m.group("v"))
        and re.search(r"[a-z]", m.group("v"))
    ]
    if "login_with_api_key" in text:
        spans += [
            ("vendor-token", *m.span("v")) for m in _TRUENAS_LOGIN.finditer(text) if _typed(m.group("v"))
        ]
    if "apitoken" in lowered:
        spans += [("vendor-token", *m.span("v")) for m in _PROXMOX_TOKEN.finditer(text)]
    if "sem " in text:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _SEMAPHORE_CONNECT.finditer(text)
            if _random_run(m.group("v")) or re.fullmatch(r"[0-9a-f]{32,64}", m.group("v"))
        ]
    if _RSYNCD_SECRETS.search(text):
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _SECRETS_LINE.finditer(text)
            if _typed(m.group("v")) and not m.group().lstrip().startswith("#")
        ]
    if "$9$" in text:
        spans += [("password-assignment", s, e) for s, e in _junos_prose_spans(text)]
    return spans
