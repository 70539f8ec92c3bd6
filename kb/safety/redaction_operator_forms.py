"""Secrets in the forms operators type, paste and read back, where no credential name stands before
the value.

* A here-string or ``echo``/``printf`` pipe feeding a flag that reads a secret file from standard
  input: ``zabbix_get … --tls-psk-file /dev/stdin <<< 'PSK'``, ``--password-file=- <<< PW``,
  ``echo PW | tool --passphrase-file /dev/stdin`` (``/dev/stdin``, ``/dev/fd/0`` or ``-``).
* An account and its password written ``ACCOUNT / PW`` in a note, the account being an
  administrator's or a device's default one (``FortiGate admin / PW``, ``iDRAC root / PW``).
* A JSON-RPC request's ``"auth"`` member (Zabbix's API token or session id).
* An HTTP header named for a key, token or secret whose value is a UUID (``X-Dataverse-key: <uuid>``,
  ``X-Auth-Token``): a UUID is an id almost everywhere, but there the header says it is the key.
  Not a header that names a record (``Idempotency-Key``, ``X-Request-Id``, a cache or routing key).
* A token a CLI prints when it makes one: ``Access token was successfully created: V``, ``Token
  created: V``, ``New API key generated: V``.
* A headerless credential row, ``| service | host | user | PW |``: a cell holding a host, then a user
  name, then a password-shaped value.
* An OBS WebSocket URL, whose path is the password (``obsws://host:4455/PW``, obs-cmd's form).
* SQL that hashes a literal password: ``SET user_pass = MD5('PW')``, ``PASSWORD('PW')``,
  ``crypt('PW', gen_salt('bf'))``, ``HASHBYTES('SHA2_256', 'PW')`` under a password column.
* A Wi-Fi key typed in clear or in Cisco's reversible type 7: ``set-key ascii 7 V``, ``wpa-psk ascii
  0 V`` (type 6/8 AES and other encrypted forms are kept).
* A streaming service's key in OBS's JSON settings: ``"key": "V"`` beside ``"service": "YouTube…"``
  or an ``rtmp://`` server.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_appliances import appliance_credential_spans
from kb.safety.redaction_cli_tokens import cli_token_spans
from kb.safety.redaction_device_tokens import device_token_spans
from kb.safety.redaction_service_tokens import service_token_spans
from kb.safety.redaction_shell_secrets import shell_secret_spans
from kb.safety.redaction_split_values import split_credential_spans
from kb.safety.redaction_tables import _table_cells
from kb.safety.redaction_values import (
    SHELL_WORD_CHARS,
    UUID_PATTERN,
    _password_value,
    _placeholder_like,
    _position_value,
    _reference_value,
    _token,
    _uuid_secret,
    quoted_apart_or_bare,
    value_span,
)

__all__ = ["operator_credential_spans"]

_QUOTED_OR_BARE: Final = quoted_apart_or_bare("{4,128}", SHELL_WORD_CHARS + "{4,128}")

# A flag that names a secret file, pointed at standard input
_STDIN_SECRET_FLAG: Final = (
    r"(?i:--?[\w-]*(?:psk|pass(?:word|phrase|wd)?|secret|token|api-?key|credentials?)[\w-]*?[-_]?file)"
    r"(?:=|[ \t]+)(?:/dev/stdin|/dev/fd/0|-)(?=[\s;|&]|$)"
)
_HERE_STRING_INTO_FLAG: Final = re.compile(_STDIN_SECRET_FLAG + r"[^\n|;&]*?<<<[ \t]*" + _QUOTED_OR_BARE)
_PIPE_INTO_FLAG: Final = re.compile(
    r"\b(?:echo(?:[ \t]+-[neE]+)?|printf(?:[ \t]+['\"]%s(?:\\n)?['\"])?)[ \t]+"
    + _QUOTED_OR_BARE
    + r"[ \t]*\|[^\n|]*?"
    + _STDIN_SECRET_FLAG
)
# ``FortiGate admin / PW``: an administrator's or a device's default account, a slash, the password
_ACCOUNT_SLASH_PASSWORD: Final = re.compile(
    r"(?i)(?<![\w/.\-])(?:admin(?:istrator)?|root|superuser|sysadmin|sa|enable|ubnt|pi|cisco|operator"
    r"|owner|manager|support|service)[ \t]+/[ \t]+(?P<q>`?)(?P<v>[^\s'\"`/]{6,128}?)(?P=q)"
    r"(?=[\s,;)]|[.](?:\s|$)|$)(?![ \t]*/)"
)
_JSON_RPC_AUTH: Final = re.compile(r"\"auth\"[ \t]*:[ \t]*\"(?P<v>[A-Za-z0-9_\-.]{16,256})\"")
# An HTTP header (``-H 'X-…-Key: V'``, a header line, a quoted header name) named for a key or token
_UUID_HEADER: Final = re.compile(
    r"(?im)(?:^[ \t]*|-H[ \t]*['\"]?|--header[ =]['\"]?|['\"])"
    r"(?P<name>X-[A-Za-z0-9-]*?(?:key|token|secret|auth)|[A-Za-z0-9-]*api-?key)['\"]?[ \t]*:[ \t]*['\"]?"
    rf"(?P<v>{UUID_PATTERN})(?![\w-])"
)
_RECORD_HEADER: Final = re.compile(
    r"(?i)idempot|request|correlat|trace|span|dedup|cache|routing|partition|public|publishable|site"
    r"|cursor|event|message|upload|object|lock|sort|client-?id|session-?id|nonce"
)
# What a CLI prints when it makes a token: ``Access token was successfully created: V``
_PRINTED_TOKEN: Final = re.compile(
    r"(?i)\b(?:(?:access|api|auth|personal[ \t]+access|deploy|bot|app|service[ \t]+account)[ \t]+)?"
    r"(?:token|key|secret)[ \t]+(?:(?:was|has[ \t]+been|is)[ \t]+)?(?:successfully[ \t]+)?"
    r"(?:created|generated|issued|minted|added)(?:[ \t]+successfully)?[ \t]*[:=][ \t]*['\"`]?"
    r"(?P<v>[A-Za-z0-9_\-.+/=]{16,256})(?![\w\-.+/=])"
)
# a host name, an IPv4 address or a numbered device (``fw-truck-1``); not a file name (``dump.sql``)
_HOST_CELL: Final = re.compile(
    r"(?i)[`]?(?:[a-z0-9][\w-]*(?:\.[a-z0-9][\w-]*)*\.(?!(?:sql|txt|json|ya?ml|csv|log|gz|tar|zip|conf|cfg"
    r"|py|sh|md|pem|key|crt|bak|xml|ini|env|lock|toml|db|dump|bin|exe|tgz)`?$)[a-z][\w-]*"
    r"|(?:\d{1,3}\.){3}\d{1,3}|[a-z][\w]*(?:-[a-z0-9]+)*-\d+)(?::\d+)?[`]?"
)
_USER_CELL: Final = re.compile(r"[`]?[a-z][a-z0-9._\-]{1,31}[`]?")
_OBS_WEBSOCKET: Final = re.compile(
    r"(?i)\bobswss?://[^\s/@:'\"]+(?::\d+)?/(?P<v>[^\s/?#'\"`]{4,128})(?=[\s'\"`]|$)"
)
_SQL_HASHED_LITERAL: Final = re.compile(
    r"(?i)(?P<fn>\b(?:md5|sha1|sha2|sha|password|old_password|encrypt|crypt|pwdencrypt|digest)[ \t]*\("
    r"|\bhashbytes[ \t]*\([ \t]*'[^'\n]*'[ \t]*,)[ \t]*'(?P<v>[^'\n]{4,128})'"
)
_SQL_PASSWORD_TARGET: Final = re.compile(
    r"(?i)(?:\w*(?:pass|pwd|secret|pin)\w*[`'\"\]]?[ \t]*=[ \t]*|\bset[ \t]+password\b[^\n;]*=[ \t]*)$"
)
_SQL_INSERT_WITH_PASSWORD: Final = re.compile(
    r"(?i)\binsert[ \t]+(?:ignore[ \t]+)?into\b[^;]*?\([^()]*\b\w*(?:pass|pwd)\w*\b[^()]*\)[ \t\n]*values\b"
)
_CLEAR_OR_TYPE7_KEY: Final = re.compile(
    r"(?im)\b(?:set-key|wpa-psk|psk|pre-shared-key)[ \t]+(?:ascii|hex)[ \t]+[07][ \t]+"
    r"(?P<v>[^\s'\"`]{4,128})(?=[ \t]*$|[ \t])"
)
_STREAM_SERVICE: Final = re.compile(
    r"(?i)\"service\"[ \t]*:[ \t]*\"[^\"\n]*(?:youtube|twitch|facebook|kick|restream|vimeo|mux|rtmp"
    r"|custom|trovo|dlive|instagram|linkedin|x[ ]?/|twitter|tiktok)[^\"\n]*\""
    r"|\"server\"[ \t]*:[ \t]*\"(?:rtmps?|srt)://"
)
_STREAM_KEY: Final = re.compile(r"\"(?:key|stream_key|streamKey)\"[ \t]*:[ \t]*\"(?P<v>[^\"\s]{8,256})\"")


def _fed_value(value: str) -> bool:
    return not _placeholder_like(value) and not _reference_value(value) and "$(" not in value


def _stream_key(value: str) -> bool:
    return not _placeholder_like(value) and (
        _token(value)
        or _uuid_secret(value)
        or re.fullmatch(r"[a-z0-9]{4}(?:-[a-z0-9]{4}){3,5}", value) is not None
        or _password_value(value)
        or (re.fullmatch(r"[A-Za-z0-9_\-]{16,}", value) is not None and re.search(r"\d", value) is not None)
    )


def _row_spans(text: str) -> list[tuple[str, int, int]]:
    """``| service | host | user | PW |`` with no header over it."""
    spans: list[tuple[str, int, int]] = []
    for cell in _table_cells(text):
        value = cell.text.strip().strip("`")
        if cell.header.strip() or len(cell.left) < 2 or " " in value:
            continue
        if not _USER_CELL.fullmatch(cell.left[-1].strip()):
            continue
        if not any(_HOST_CELL.fullmatch(c.strip()) for c in cell.left[:-1]):
            continue
        if (
            _password_value(value)
            and not _placeholder_like(value)
            and re.search(r"[a-z]", value)
            and not re.fullmatch(r"[0-9a-fA-F]+", value)  # a digest (``| dump.sql | md5 | <hex> |``)
        ):
            start = text.find(value, cell.start, cell.end)
            if start >= 0:
                spans.append(("password-assignment", start, start + len(value)))
    return spans


def _sql_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _SQL_HASHED_LITERAL.finditer(text):
        value = m.group("v")
        if not _fed_value(value) or not _position_value(value):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()]
        says_password = re.match(r"(?i)(?:old_)?password|pwdencrypt", m.group("fn")) is not None
        if (
            says_password
            or _SQL_PASSWORD_TARGET.search(before)
            or _SQL_INSERT_WITH_PASSWORD.search(text, max(0, m.start() - 600), m.start())
        ):
            spans.append(("password-assignment", *m.span("v")))
    return spans


def operator_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the secrets this module reads."""
    spans: list[tuple[str, int, int]] = []
    lowered = text.lower()
    if "file" in lowered and ("<<<" in text or "|" in text):
        for rule in (_HERE_STRING_INTO_FLAG, _PIPE_INTO_FLAG):
            for m in rule.finditer(text):
                s, e = value_span(m)
                if _fed_value(text[s:e]):
                    spans.append(("password-assignment", s, e))
    if " / " in text:
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _ACCOUNT_SLASH_PASSWORD.finditer(text)
            if _password_value(m.group("v")) and _fed_value(m.group("v"))
        ]
    if "jsonrpc" in lowered and '"auth"' in lowered:
        spans += [
            ("generic-api-key", *m.span("v"))
            for m in _JSON_RPC_AUTH.finditer(text)
            if not _placeholder_like(m.group("v"))
            and (_token(m.group("v")) or re.fullmatch(r"[0-9a-f]{32,64}", m.group("v")))
        ]
    if "key" in lowered or "token" in lowered or "secret" in lowered or "auth" in lowered:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _UUID_HEADER.finditer(text)
            if not _RECORD_HEADER.search(m.group("name")) and _uuid_secret(m.group("v"))
        ]
        spans += [
            ("generic-api-key", *m.span("v"))
            for m in _PRINTED_TOKEN.finditer(text)
            if not _placeholder_like(m.group("v"))
            and (_token(m.group("v")) or re.fullmatch(r"[0-9a-f]{32,64}", m.group("v")))
        ]
    if "|" in text:
        spans += _row_spans(text)
    if "obsws" in lowered:
        spans += [
            ("password-in-url", *m.span("v"))
            for m in _OBS_WEBSOCKET.finditer(text)
            if _fed_value(m.group("v"))
        ]
    if "'" in text and re.search(r"(?i)md5|sha|password|crypt|digest|hashbytes", text):
        spans += _sql_spans(text)
    if "ascii" in lowered or "hex" in lowered:
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _CLEAR_OR_TYPE7_KEY.finditer(text)
            if _fed_value(m.group("v"))
        ]
    if ('"key"' in lowered or "stream" in lowered) and _STREAM_SERVICE.search(text):
        spans += [
            ("vendor-token", *m.span("v")) for m in _STREAM_KEY.finditer(text) if _stream_key(m.group("v"))
        ]
    # round 47: network gear and appliance consoles; device, log-shipper and SDK tokens
    # round 48: CLI tokens, credential files, Notify keys, integration hooks, keys in notes
    # round 49: passwords piped into vault/VPN CLIs, credentials in notes, service tokens
    # round 50: session headers, S3 LOW pairs, passwords fed by here-strings, placed passwords
    spans += appliance_credential_spans(text) + device_token_spans(text) + cli_token_spans(text)
    return spans + service_token_spans(text) + shell_secret_spans(text) + split_credential_spans(text)
