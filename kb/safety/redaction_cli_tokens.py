"""Secrets that CLIs take or print, credential files written or read back, and keys in notes (round 48).

* ``… configure set NAME V`` where NAME is named for a secret (``aws configure set
  aws_secret_access_key V``); ``…_id``, ``…_name``, ``…_file`` names are not secrets.
* HashiCorp ACL tokens: ``consul acl set-agent-token TYPE V``, a ``Secret ID = V``/``SecretID: V``
  line that ``nomad acl bootstrap`` or ``consul acl token`` prints, and a ``SecretID`` a note names
  beside Consul, Nomad or an ACL (the accessor id is an id and stays).
* A CLI's positional token: ``snyk auth UUID`` (``<tool> auth|login V`` with a UUID or random token),
  ``-k HEX`` (``cloudsmith … -k <40 hex>``).
* ``curl -u KEY:…``: an API key as the basic-auth user (a random run of 20 or more characters).
* A password echoed into a file named for one (``echo 'PW' > …/authd.pass``), and a credentials
  file printed with ``cat`` (``… .auth``: the user line, then the password line).
* GOV.UK Notify-style keys ``<name>-<uuid>-<uuid>``, anywhere.
* An integration webhook URL whose last segment is a random token (Grafana OnCall's
  ``…/integrations/v1/formatted_webhook/TOKEN/``).
* An INI section named for a code or secret (``[SecurityCode]``) and its ``Code=V``.
* A passphrase under a ``…_TOKEN``/``…_SECRET`` name (``ZEROTIER_CENTRAL_TOKEN=words-words-words85``).
* ``login …: EMAIL / PW`` in chat.
* OVH's ``consumer_key`` (32 letters and digits; the user's token, not an OAuth client's public key).
* ``key=`` on an API URL's query string (letters and digits, or eight or more random capitals), and a
  note's ``… key from …: V``.

Kept: variables, placeholders, ids, words, and ``password V encrypted`` (read elsewhere as stored).
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import (
    QUOTED_CHARS,
    SHELL_WORD_CHARS,
    UUID_PATTERN,
    _passphrase,
    _password_value,
    _placeholder_like,
    _random_run,
    _reference_value,
    _token,
    _uuid_secret,
    quoted_or_bare,
    value_span,
)

__all__ = ["cli_token_spans"]

_ARG: Final = quoted_or_bare(QUOTED_CHARS + "{4,128}?", SHELL_WORD_CHARS + "{4,128}")

_CONFIGURE_SET: Final = re.compile(
    r"(?i)\bconfigure[ \t]+set[ \t]+(?:[\w\-]+\.)*(?P<name>[\w\-]*(?:secret|password|passwd|token"
    r"|_key)(?![\w\-]*(?:_id|_name|_file|_path|_type)\b)[\w\-]*)[ \t]+" + _ARG
)
_AGENT_TOKEN: Final = re.compile(
    r"\b(?:consul|nomad)[ \t]+acl[ \t]+set-agent-token[ \t]+(?:-[\w\-]+(?:=\S+)?[ \t]+)*[\w\-]+[ \t]+"
    r"['\"]?(?P<v>" + UUID_PATTERN + r"|[A-Za-z0-9_\-.]{20,128})"
)
_SECRET_ID_LINE: Final = re.compile(r"(?im)^[ \t]*Secret[ \t]?ID[ \t]*[:=][ \t]*(?P<v>" + UUID_PATTERN + r")")
_SECRET_ID_PROSE: Final = re.compile(
    r"(?i)\bsecret[ _]?id\b(?P<mid>[^\n]{0,60}?)(?<![\w\-])(?P<v>" + UUID_PATTERN + r")(?![\w\-])"
)
_HASHICORP: Final = re.compile(r"(?i)consul|nomad|\bacl\b|bootstrap")
_AUTH_POSITIONAL: Final = re.compile(
    r"(?im)(?:^|[$#>][ \t]*|&&[ \t]*)[\w\-]+[ \t]+(?:auth|login)[ \t]+(?P<v>"
    + UUID_PATTERN
    + r"|[A-Za-z0-9_\-]{20,128})"
    r"[ \t]*$"
)
_K_FLAG: Final = re.compile(r"(?<!\S)(?:-k|--api-key)(?:[ \t]+|=)['\"]?(?P<v>[0-9a-f]{32,64})(?![\w\-])")
_CURL_KEY_USER: Final = re.compile(
    r"\bcurl\b[^\n|;&]*?[ \t](?:-u|--user)(?:[ \t]+|=)['\"]?(?P<v>[A-Za-z0-9_\-+/=.]{20,128}?)"
    r":(?P<p>[^\s'\"]*)"
)
_SECRET_FILE: Final = (
    r"[^\s'\"|;&<>]*?(?:\.pass|\.password|\.passwd|\.secret|\.token|\.psk|\.auth|[-_.]auth\.txt"
    r"|pass(?:word)?\.txt|secret\.txt|token\.txt)"
)
_ECHO_INTO_FILE: Final = re.compile(
    r"\b(?:echo(?:[ \t]+-[neE]+)?|printf(?:[ \t]+['\"]%s(?:\\n)?['\"])?)[ \t]+"
    + _ARG
    + r"[ \t]*>>?[ \t]*['\"]?"
    + _SECRET_FILE
    + r"['\"]?(?=[\s;|&]|$)"
)
_CAT_FILE: Final = re.compile(r"(?m)^[^\n]*\bcat[ \t]+['\"]?" + _SECRET_FILE + r"['\"]?[ \t]*$")
_NOTIFY_KEY: Final = re.compile(
    r"(?<![\w\-])(?P<v>[A-Za-z][A-Za-z0-9_\-]{0,64}?-" + UUID_PATTERN + r"-" + UUID_PATTERN + r")(?![\w\-])"
)
_INTEGRATION_HOOK: Final = re.compile(
    r"https?://[^\s/'\"]+(?:/[\w.\-]+)*?/(?:integrations?|webhooks?|hooks)(?:/[\w.\-]+)*?"
    r"/(?P<tok>[A-Za-z0-9_\-]{20,128})/?(?=[\s'\"`)>,;]|$)"
)
_SECRET_SECTION: Final = re.compile(
    r"(?im)^[ \t]*\[[\w .\-]*(?:security[ _\-]?code|passcode|secret|password|credentials?)[\w .\-]*\][ \t]*$"
)
_SECTION_VALUE: Final = re.compile(
    r"(?im)^[ \t]*(?:code|value|secret|key|pass(?:word|code)?|pin)[ \t]*=[ \t]*(?P<v>[^\s;#]{6,128})[ \t]*$"
)
_PASSPHRASE_NAME: Final = re.compile(
    r"(?m)(?<![\w\-])[A-Z][A-Z0-9_]*_(?:TOKEN|SECRET|PASSPHRASE)[ \t]*[=:][ \t]*['\"]?(?P<v>[^\s'\"]{8,128})"
)
_CHAT_LOGIN: Final = re.compile(
    r"(?i)\b(?:login|log-in|sign[- ]?in|credentials?)\b[^\n:]{0,60}:[ \t]*[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"[ \t]*/[ \t]*(?P<v>\S{6,128}?)(?=[.,;)]?(?:\s|$))"
)
_OVH_CONSUMER: Final = re.compile(
    r"(?i)(?<![\w.])consumer[_\-]?key['\"]?[ \t]*[=:][ \t]*['\"]?(?P<v>[A-Za-z0-9]{32})(?![\w\-])"
)
# A Google Cloud Storage HMAC access id (``GOOG1`` and 56 capitals or digits), redacted as AWS access
# key ids are (its secret stands beside it)
_GCS_HMAC_ID: Final = re.compile(r"(?<![\w\-])(?P<v>GOOG1[A-Z0-9]{40,80})(?![\w\-])")
_API_QUERY_KEY: Final = re.compile(
    r"https?://(?:api[\w\-]*\.[^\s/?]+|[^\s/?]+/(?:[^\s?]*/)?(?:api|v\d+)(?:/[^\s?]*)?)[^\s?]*\?[^\s#]*?"
    r"(?<=[?&])key=(?P<v>[A-Za-z0-9_\-]{8,128})(?![\w\-])"
)
_TOLD_KEY: Final = re.compile(
    r"(?i)(?<![\w\-])(?<!public )(?<!site )(?<!publishable )(?<!ssh )key[ \t]+(?P<mid>(?:from|in|for|used|on"
    r"|that|we|was)(?:[ \t]+[\w'\-]+){0,7}?)[ \t]*:[ \t]*[`'\"]?(?P<v>[A-Za-z0-9_\-+/=]{16,128})"
    r"(?=[`'\"]?(?:[\s,;)]|$))"
)
# a key that names a record, not a credential (``routing key for the orders exchange: …``)
_RECORD_KEY: Final = re.compile(
    r"(?i)\b(?:routing|cache|partition|sort|primary|foreign|idempotency|dedup\w*|shard\w*|lookup|object"
    r"|row|hash|registry)[ \t]+$"
)
_NOT_THE_KEY: Final = re.compile(r"(?i)\b(?:ids?|name|hash\w*|fingerprint|public|prefix|version|length)\b")


def _query_key(value: str) -> bool:
    """An API's ``key=``: a token, capitals and digits, or 8+ capitals that read as random (what3words'
    keys); a word in capitals (``TIMESTAMP``) has a vowel every two or three letters, a key rarely."""
    if _placeholder_like(value):
        return False
    if re.search(r"\d", value) and re.search(r"[A-Za-z]", value):
        return _token(value) or re.fullmatch(r"[A-Z0-9]{8,}", value) is not None
    return (
        re.fullmatch(r"[A-Z]{8,64}", value) is not None
        and len(set(value)) >= 6
        and sum(c in "AEIOUY" for c in value) / len(value) < 0.3
    )


def _typed(value: str) -> bool:
    return (
        len(value) >= 4
        and not _placeholder_like(value)
        and not _reference_value(value)
        and not value.isdigit()
        and re.fullmatch(r"[a-z]+", value) is None
        and not value.startswith("[REDACTED")
    )


def _no_password(password: str, user: str) -> bool:
    """The user is the key when the password is empty or a filler (``:token``, ``:x``, as Graylog and
    Campaign Monitor ask), or the user is too long to be a name; ``-u USER_ID:SECRET`` is a user id."""
    filler = re.fullmatch(r"(?i)|x|token|api_?token|api_?key|-|\[REDACTED:[\w\-]+\]", password) is not None
    return filler or len(user) >= 40


def _cli_spans(text: str, lowered: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "configure" in lowered:
        for m in _CONFIGURE_SET.finditer(text):
            s, e = value_span(m)
            if _typed(text[s:e]):
                kind = "aws-key" if "aws_secret" in m.group("name").lower() else "password-assignment"
                spans.append((kind, s, e))
    if "acl" in lowered:
        spans += [("vendor-token", *m.span("v")) for m in _AGENT_TOKEN.finditer(text) if _typed(m.group("v"))]
    if "secret" in lowered and _HASHICORP.search(text):
        spans += [("vendor-token", *m.span("v")) for m in _SECRET_ID_LINE.finditer(text)]
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _SECRET_ID_PROSE.finditer(text)
            if "accessor" not in m.group("mid").lower() and _uuid_secret(m.group("v"))
        ]
    if "auth" in lowered or "login" in lowered:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _AUTH_POSITIONAL.finditer(text)
            if _uuid_secret(m.group("v")) or _token(m.group("v"))
        ]
    spans += [("vendor-token", *m.span("v")) for m in _K_FLAG.finditer(text)]
    if "curl" in lowered:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _CURL_KEY_USER.finditer(text)
            if (_token(m.group("v")) or _random_run(m.group("v")))
            and not _placeholder_like(m.group("v"))
            and _no_password(m.group("p"), m.group("v"))
        ]
    return spans


def _file_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _ECHO_INTO_FILE.finditer(text):
        s, e = value_span(m)
        if _typed(text[s:e]) and " " not in text[s:e]:
            spans.append(("password-assignment", s, e))
    for m in _CAT_FILE.finditer(text):
        lines: list[tuple[int, str]] = []
        pos = m.end() + 1
        while pos < len(text) and len(lines) < 3:
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            if not line.strip() or re.match(r"[ \t]*(?:[$#>]|\w+@[\w.\-]+:)", line):
                break
            lines.append((pos, line))
            pos = end + 1
        if len(lines) in (1, 2):
            start, line = lines[-1]
            value = line.strip()
            if _typed(value) and " " not in value and (_password_value(value) or _token(value)):
                offset = start + line.index(value)
                spans.append(("password-assignment", offset, offset + len(value)))
    return spans


def _key_spans(text: str, lowered: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    spans += [
        ("vendor-token", *m.span("v")) for m in _NOTIFY_KEY.finditer(text) if _uuid_secret(m.group("v")[-36:])
    ]
    if "hook" in lowered or "integration" in lowered:
        spans += [
            ("webhook-url", *m.span())
            for m in _INTEGRATION_HOOK.finditer(text)
            if _random_run(m.group("tok")) and not _placeholder_like(m.group("tok"))
        ]
    if "[" in text:
        for section in _SECRET_SECTION.finditer(text):
            nxt = text.find("\n[", section.end())
            body_end = len(text) if nxt < 0 else nxt
            spans += [
                ("password-assignment", section.end() + m.start("v"), section.end() + m.end("v"))
                for m in _SECTION_VALUE.finditer(text[section.end() : body_end])
                if _typed(m.group("v")) and (_token(m.group("v")) or _password_value(m.group("v")))
            ]
    spans += [
        ("password-assignment", *m.span("v"))
        for m in _PASSPHRASE_NAME.finditer(text)
        if _passphrase(m.group("v")) and re.search(r"\d", m.group("v")) and _typed(m.group("v"))
    ]
    if "@" in text and "/" in text:
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _CHAT_LOGIN.finditer(text)
            if _typed(m.group("v"))
            and re.search(r"\d|[^\w\-.]", m.group("v"))
            and "/" not in m.group("v")
            and not m.group("v").lower().startswith("http")
        ]
    if "GOOG1" in text:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _GCS_HMAC_ID.finditer(text)
            if not _placeholder_like(m.group("v")) and "EXAMPLE" not in m.group("v")
        ]
    if "consumer" in lowered:
        spans += [
            ("vendor-token", *m.span("v")) for m in _OVH_CONSUMER.finditer(text) if _token(m.group("v"))
        ]
    if "key=" in lowered:
        spans += [
            ("generic-api-key", *m.span("v"))
            for m in _API_QUERY_KEY.finditer(text)
            if _query_key(m.group("v"))
        ]
    if "key" in lowered and ":" in text:
        spans += [
            ("generic-api-key", *m.span("v"))
            for m in _TOLD_KEY.finditer(text)
            if not _NOT_THE_KEY.search(m.group("mid"))
            and not _RECORD_KEY.search(text[max(0, m.start() - 40) : m.start()])
            and _token(m.group("v"))
        ]
    return spans


def cli_token_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the secrets this module reads."""
    lowered = text.lower()
    return _cli_spans(text, lowered) + _file_spans(text) + _key_spans(text, lowered)
