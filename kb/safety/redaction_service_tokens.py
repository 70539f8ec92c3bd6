"""Passwords piped into vault and VPN CLIs, credentials in notes, and service tokens (round 49).

* A password echoed into a password-manager or VPN CLI (``echo 'PW' | keepassxc-cli …``), or given
  through a process substitution (``--askpass <(echo 'PW')``).
* The line a password manager prints under ``lpass show --password NAME`` (``bw get password``,
  ``gopass show -o``, ``security find-generic-password -w``, ``pass show NAME``).
* ``USER / PW`` after ``creds.txt:``/``credentials:`` or ``logs in as``: the password half, when it
  reads as one (a digit or a symbol, not a path).
* Teleport join tokens: ``token_name: HEX`` under ``join_params`` and the rows ``tctl tokens ls``
  prints; NetBird's ``--setup-key``; Unleash API tokens (``*:production.HEX``); JumpCloud connect
  keys; a Twilio auth token as the second argument of ``Client(SID, TOKEN)``.
* Squadcast incident webhook URLs, a MarineTraffic key as a path segment, and ``"key":`` in a JSON
  body that ``curl -d`` sends.

Kept: placeholders, words, names (``token_name: ci-bot``), S3 object keys, paths, the nil uuid.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import (
    QUOTED_CHARS,
    UUID_PATTERN,
    _passphrase,
    _password_value,
    _placeholder_like,
    _random_run,
    _token,
    _uuid_secret,
    quoted_or_bare,
    value_span,
)

__all__ = ["service_token_spans"]

_QUOTED: Final = quoted_or_bare(QUOTED_CHARS + "{4,128}?", r"[^\s'\"|;&()]{4,128}")
_VAULT_CLI: Final = (
    r"(?:keepassxc-cli|kpcli|lpass|bw|op|gopass|openconnect|openvpn|nmcli|vpnc|forticlient"
    r"|globalprotect|protonvpn-cli|expressvpn|nordvpn|sshpass|ansible-vault)"
)
_PIPED: Final = re.compile(
    r"\b(?:echo(?:[ \t]+-[neE]+)?|printf(?:[ \t]+['\"]%s(?:\\n)?['\"])?)[ \t]+"
    + _QUOTED
    + r"[ \t]*\|[ \t]*(?:sudo[ \t]+(?:-\S+[ \t]+)*)?"
    + _VAULT_CLI
    + r"\b"
)
_ASKPASS: Final = re.compile(
    r"--(?:askpass|auth-user-pass|passw(?:or)?d-file|password-file|passfile|pass-file)[ \t]+"
    r"<\([ \t]*(?:echo(?:[ \t]+-[neE]+)?|printf)[ \t]+" + _QUOTED + r"[ \t]*\)"
)
_PRINTED_PASSWORD: Final = re.compile(
    r"(?im)^[^\n]*\b(?:lpass[ \t]+show\b[^\n]*--password|bw[ \t]+get[ \t]+password|gopass[ \t]+show"
    r"[^\n]*(?:-o|--password)|security[ \t]+find-generic-password\b[^\n]*[ \t]-w"
    # pass(1) prints the entry, its first line the password (not with --clip or --qrcode)
    r"|(?:(?<=[$#%>][ \t])|(?<![^\n]))pass[ \t]+(?:show[ \t]+(?:-(?![cq]\b|-clip|-qrcode)\S+[ \t]+)*)?"
    r"[\w.@\-]+(?:/[\w.@\-]+)+[ \t]*$|(?:(?<=[$#%>][ \t])|(?<![^\n]))pass[ \t]+show[ \t]+[\w.@\-]+[ \t]*$)"
    r"[^\n]*\n"
    r"[ \t]*(?P<v>[^\s$#>]\S{5,127})[ \t]*$"
)
_NOTE_CREDS: Final = re.compile(
    r"(?i)(?:\bcreds?(?:\.txt)?|\bcredentials?(?:\.txt)?|\blog(?:s|ged)?[ \t]+in[ \t]+(?:as|with))"
    r"[ \t]*:?[ \t]*[\w.@\-]{1,64}[ \t]+/[ \t]+(?P<v>\S{6,128}?)(?=[.,;)]?(?:\s|$))"
)
_TELEPORT_NAME: Final = re.compile(
    r"(?m)^[ \t]*token_name[ \t]*:[ \t]*['\"]?(?P<v>[A-Za-z0-9]{24,128})['\"]?"
)
_TCTL_ROW: Final = re.compile(r"(?m)^(?P<v>[0-9a-f]{32}|[A-Za-z0-9]{24,64})[ \t]+\w")
_SETUP_KEY: Final = re.compile(
    r"(?i)(?:--setup-key(?:[ \t]+|=)|\bNB_SETUP_KEY[ \t]*[=:][ \t]*)['\"]?(?P<v>"
    + UUID_PATTERN
    + r")(?![\w\-])"
)
_UNLEASH: Final = re.compile(
    r"(?<![\w\-./])(?P<v>(?:\*|[\w\-]{1,64}):(?:production|prod|development|dev|staging|stage|test|qa"
    r"|uat|default)\.[0-9a-f]{32,128})(?![\w\-])"
)
_CONNECT_KEY: Final = re.compile(
    r"(?i)(?<![\w\-])(?:jumpcloud[_\-]?connect[_\-]?key|x-connect-key|connect[_\-]key)['\"]?[ \t]*[=:]"
    r"[ \t]*['\"]?(?P<v>[0-9a-f]{40})(?![\w\-])"
)
_TWILIO_CLIENT: Final = re.compile(
    r"\bClient\([ \t]*[^,()\n]*?(?:'AC|\"AC|sid|SID)[^,()\n]*,[ \t]*['\"](?P<v>[0-9a-f]{32})['\"][ \t]*\)"
)
_SQUADCAST: Final = re.compile(
    r"https?://api\.squadcast\.com/v\d+/incidents/[\w\-]+/(?P<tok>[0-9a-fA-F]{32,64})(?![\w\-])"
)
_MARINETRAFFIC: Final = re.compile(
    r"marinetraffic\.com/(?:api/)?[\w\-]+/(?:[\w\-]+:[\w\-]+/)*?(?P<v>[0-9a-f]{40})(?![\w\-])"
)
_CURL_BODY: Final = re.compile(r"(?m)^[^\n]*\bcurl\b[^\n]*(?:[ \t]-d|--data(?:-raw|-binary)?)\b[^\n]*$")
_BODY_KEY: Final = re.compile(r"\"(?:key|api_?key|apiKey)\"[ \t]*:[ \t]*\"(?P<v>[A-Za-z0-9_\-]{16,128})\"")


def _pw(value: str) -> bool:
    """A password's shape: not a placeholder, a variable, a path or a word."""
    return (
        len(value) >= 6
        and not _placeholder_like(value)
        and not value.startswith(("$", "[REDACTED", "<", "%", "{"))
        and "/" not in value
        and re.fullmatch(r"[A-Za-z]+|\d+", value) is None
    )


def _piped_spans(text: str, lowered: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "|" in text:
        for m in _PIPED.finditer(text):
            s, e = value_span(m)
            if _pw(text[s:e]) and " " not in text[s:e]:
                spans.append(("password-assignment", s, e))
    if "<(" in text:
        for m in _ASKPASS.finditer(text):
            s, e = value_span(m)
            if _pw(text[s:e]) and " " not in text[s:e]:
                spans.append(("password-assignment", s, e))
    if "\n" in text:
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _PRINTED_PASSWORD.finditer(text)
            if _pw(m.group("v")) and (_password_value(m.group("v")) or _token(m.group("v")))
        ]
    if " / " in text:
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _NOTE_CREDS.finditer(text)
            if _pw(m.group("v"))
            and re.search(r"\d|[^\w\-.]", m.group("v"))
            and (_password_value(m.group("v")) or _token(m.group("v")) or _passphrase(m.group("v")))
        ]
    return spans


def _service_spans(text: str, lowered: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "token_name" in lowered and ("join_params" in lowered or "teleport" in lowered):
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _TELEPORT_NAME.finditer(text)
            if _token(m.group("v")) or _random_run(m.group("v"))
        ]
    if "tctl tokens ls" in lowered:
        body = text[lowered.index("tctl tokens ls") :]
        offset = len(text) - len(body)
        spans += [
            ("vendor-token", offset + m.start("v"), offset + m.end("v"))
            for m in _TCTL_ROW.finditer(body)
            if _token(m.group("v")) or _random_run(m.group("v"))
        ]
    if "setup" in lowered:
        spans += [
            ("vendor-token", *m.span("v")) for m in _SETUP_KEY.finditer(text) if _uuid_secret(m.group("v"))
        ]
    if ":" in text:
        spans += [("vendor-token", *m.span("v")) for m in _UNLEASH.finditer(text)]
    if "connect" in lowered:
        spans += [("vendor-token", *m.span("v")) for m in _CONNECT_KEY.finditer(text)]
    if "Client(" in text:
        spans += [("vendor-token", *m.span("v")) for m in _TWILIO_CLIENT.finditer(text)]
    if "squadcast" in lowered:
        spans += [("webhook-url", *m.span()) for m in _SQUADCAST.finditer(text)]
    if "marinetraffic" in lowered:
        spans += [("generic-api-key", *m.span("v")) for m in _MARINETRAFFIC.finditer(text)]
    if "curl" in lowered and '"' in text:
        for line in _CURL_BODY.finditer(text):
            spans += [
                ("generic-api-key", line.start() + m.start("v"), line.start() + m.end("v"))
                for m in _BODY_KEY.finditer(line.group())
                if _token(m.group("v")) and not _placeholder_like(m.group("v"))
            ]
    return spans


def service_token_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the secrets this module reads."""
    lowered = text.lower()
    return _piped_spans(text, lowered) + _service_spans(text, lowered)
