"""Secrets in shell sessions, request headers and notes, where the words around them are a tool's or a
sentence's rather than a setting's name (round 50).

* A session header (``X-ArchivesSpace-Session: V``, ``X-Foo-Session-Token: V``): the header carries an
  authenticated session, so a random value there is the credential; ``X-Session-Id``, sticky and
  affinity headers and expiry times are kept.
* Internet Archive's S3 ``authorization: LOW ACCESS:SECRET``: the pair, sent in clear.
* A password given to a CLI through a here-string or a here-document: after a flag named for a
  password (``--set-password <<< 'PW'``, ``--password-stdin <<EOF``) or to a password-manager or VPN
  CLI; variables, SQL and text fed to filters are kept.
* A password told with its place: ``admin password at the relay hut is PW``, ``password on nas-1
  was PW``; a location, a word or a length after ``is`` is kept.
* An environment line ``VENDOR_THING_KEY=<32+ hex>``: a key's hex, not a digest, unless the name
  says fingerprint, release, repository, public, search-only, cache or another record's key.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_context import _prose_password
from kb.safety.redaction_names import _PW_WORD
from kb.safety.redaction_values import (
    _passphrase,
    _password_value,
    _placeholder_like,
    _random_run,
    _token,
    quoted_apart_or_bare,
    value_span,
)

__all__ = ["shell_secret_spans"]

_SESSION_HEADER: Final = re.compile(
    r"(?im)(?:^[ \t]*|-H[ \t]*['\"]?|--header[ =]['\"]?|['\"])"
    r"(?P<name>X-(?:[A-Za-z0-9]+-)*?(?:session|sess)(?:-?(?:token|key|secret|auth))?)"
    r"['\"]?[ \t]*:[ \t]*['\"]?"
    r"(?P<v>[A-Za-z0-9_\-.+/=%]{16,512})(?![\w\-.+/=%])"
)
_NOT_A_SESSION_CREDENTIAL: Final = re.compile(r"(?i)sticky|affinity|route|routing|expir|timeout|ttl|count")
_S3_LOW: Final = re.compile(
    r"(?i)\bauthorization['\"]?[ \t]*[:=][ \t]*['\"]?LOW[ \t]+"
    r"(?P<v>(?P<id>[A-Za-z0-9_\-]{8,64}):(?P<secret>[A-Za-z0-9_\-+/=]{8,128}))(?![\w\-+/=])"
)
# A flag named for a password with no value of its own: it reads one from standard input.
_PASSWORD_FLAG: Final = (
    r"--?(?:[A-Za-z0-9]+[\-_])*(?:pass(?:word|phrase|wd)?|secret|token|psk|pin)(?:[\-_][\w\-]*)?(?![\w\-])"
)
_VAULT_CLI: Final = (
    r"(?:keepassxc-cli|kpcli|lpass|bw|op|gopass|pass|openconnect|openvpn|nmcli|vpnc|sshpass|ansible-vault"
    r"|cryptsetup|passwd)"
)
_FED_COMMAND: Final = re.compile(
    r"(?:(?<![\w\-.])" + _PASSWORD_FLAG + r"|(?:^|[\s$#>|;&(])(?:sudo[ \t]+)?" + _VAULT_CLI + r"(?![\w\-.])"
    r"[^\n|;&]*?)[ \t]*$"
)
_HERE_STRING: Final = re.compile(r"<<<[ \t]*" + quoted_apart_or_bare("{4,128}", r"[^\s'\"|;&()]{4,128}"))
_HERE_DOC: Final = re.compile(
    r"(?<!<)<<(?!<)-?[ \t]*(?P<q>['\"]?)(?P<end>[A-Za-z_][A-Za-z0-9_]*)(?P=q)[ \t]*\n"
)
_PLACED_PASSWORD: Final = re.compile(
    rf"(?i){_PW_WORD}[ \t]+(?:at|on|for|of|in|to)[ \t]+(?P<place>[^\n:=|;`'\"]{{1,60}}?)[ \t]+(?:is|was)"
    r"[ \t]+(?:still[ \t]+|now[ \t]+)?['\"`]?(?P<v>[A-Za-z0-9][^\s'\"`()/,;]{7,63}?)['\"`]?"
    r"(?=[.,;:!?]?(?:[\s'\"`)]|$))"
)
# The place names a store or a setting, not where the password is used: the value is a location.
_STORE_PLACE: Final = re.compile(
    r"(?i)\b(?:vault|1password|keepass\w*|bitwarden|lastpass|manager|store|file|env|config|secret"
    r"|field|policy|hint|hash|length|format|prompt|setting|column)\b"
)
_ENV_HEX_KEY: Final = re.compile(
    r"(?m)^[ \t]*(?:export[ \t]+|ENV[ \t]+|-[ \t]+)?(?P<name>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_KEY)"
    r"[ \t]*=[ \t]*(?P<q>['\"]?)(?P<v>[0-9a-fA-F]{32,128})(?P=q)(?=[ \t]*(?:#|$))"
)
_NOT_A_SECRET_KEY_NAME: Final = re.compile(
    r"(?:^|_)(?:GPG|PGP|GNUPG|RELEASE|REPO|APT|DEB|RPM|YUM|KEYRING|KEYSERVER|SIGNER|MAINTAINER|FINGERPRINT"
    r"|FPR|PUBLIC|PUB|PUBLISHABLE|SEARCH|ONLY|SITE|BROWSER|CACHE|PARTITION|SORT|PRIMARY|FOREIGN|ROUTING"
    r"|IDEMPOTENCY|DEDUP|OBJECT|S3|LOOKUP|SHARD|ROW|INDEX|GROUP|HASH|CONTENT|COMMIT|SHA|DIGEST|CHECKSUM"
    r"|ETAG|REVISION|BUILD|VERSION|ID|UUID|TRACE|SSH|HOST|KMS)(?=_)"
)


def _fed_password(value: str) -> bool:
    """A password's shape: not a placeholder, a variable, a path, a word, a number or a sentence."""
    if len(value) < 6 or " " in value or "/" in value or _placeholder_like(value):
        return False
    if value.startswith(("$", "[REDACTED", "%", "{")) or re.fullmatch(r"[A-Za-z]+|\d+", value):
        return False
    return _password_value(value) or _token(value) or _passphrase(value)


def _header_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "sess" in text.lower():
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _SESSION_HEADER.finditer(text)
            if not _NOT_A_SESSION_CREDENTIAL.search(m.group("name"))
            and (_token(m.group("v")) or _random_run(m.group("v")))
        ]
    if "LOW" in text:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _S3_LOW.finditer(text)
            if not _placeholder_like(m.group("id"))
            and not _placeholder_like(m.group("secret"))
            and re.search(r"\d", m.group("v")) is not None
            and re.search(r"[A-Za-z]", m.group("secret")) is not None
        ]
    return spans


def _fed_spans(text: str) -> list[tuple[str, int, int]]:
    """Passwords fed to a command's standard input by ``<<<`` or ``<<END``."""
    spans: list[tuple[str, int, int]] = []
    for m in _HERE_STRING.finditer(text):
        head = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        s, e = value_span(m)
        if _FED_COMMAND.search(head) and _fed_password(text[s:e]):
            spans.append(("password-assignment", s, e))
    for m in _HERE_DOC.finditer(text):
        head = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        if not _FED_COMMAND.search(head):
            continue
        # the password and its confirmation: the body's first two lines, when each is one value
        pos = m.end()
        for _ in range(2):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            value = text[pos:end].strip()
            if value == m.group("end") or not _fed_password(value):
                break
            start = text.index(value, pos)
            spans.append(("password-assignment", start, start + len(value)))
            pos = end + 1
    return spans


def _note_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _PLACED_PASSWORD.finditer(text):
        value = m.group("v")
        if _STORE_PLACE.search(m.group("place")) or not re.search(r"\d", value):
            continue
        if _prose_password(value) and (
            _passphrase(value) or _random_run(value) or _token(value) or re.search(r"[^\w\-.]", value)
        ):
            spans.append(("password-assignment", *m.span("v")))
    for m in _ENV_HEX_KEY.finditer(text):
        value = m.group("v")
        if _NOT_A_SECRET_KEY_NAME.search(m.group("name") + "_"):
            continue
        if re.search(r"[a-fA-F]", value) and re.search(r"\d", value) and len(set(value.lower())) > 4:
            spans.append(("generic-api-key", *m.span("v")))
    return spans


def shell_secret_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the secrets this module reads."""
    spans = _header_spans(text) + _note_spans(text)
    if "<<" in text:
        spans += _fed_spans(text)
    return spans
