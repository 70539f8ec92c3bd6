"""Secrets set apart from the name that marks them: the value on the line after its key (a YAML block
scalar, an XML element, a pretty-printed JSON member, a chat message cut in two), and secrets in
device and service configs whose keyword is no setting's name (round 51).

* ``password: >-`` then the value alone on the next line; ``<Password>`` (``<Pass>``,
  ``<wsse:Password Type=…>``) holding one value, on its line or the next; ``"web_password":`` then
  ``"V"`` on the next line.
* A chat line ending ``… password … is`` and the next line, from the same speaker, one value.
* Cisco ``username U [privilege N] secret 0 PW`` and ``enable secret 0 PW`` (type 0 is clear text);
  net-snmp ``createUser U SHA "PW" AES ["PW"]``; a RADIUS or TACACS+ client's ``key = "PW"``.
* pgbouncer's ``userlist.txt`` (``"user" "PW"``; its ``md5…`` and SCRAM verifiers are kept);
  rclone's ``secret_access_key = PW``; Jupyter's ``c.ServerApp.token = 'PW'`` (argon2/sha1 hashes
  kept); iRODS ``iinit`` answers, piped (``echo 'PW' | iinit``) or in a here-document (the last
  answer, the password).
* ``cloudflared service install <tunnel token>``; a Google Apps Script web app's ``/macros/s/…/exec``
  URL (whoever holds it can post to the script).
* A service-account JSON key base64-wrapped over the lines of a YAML block (``…_B64: |``).

Whole: a secret-named key's quoted value holding ``&``, ``)``, ``;`` or brackets (a generated Django
``SECRET_KEY``), which shorter rules end early, is taken whole and ranked first by the caller.

Public: a git-annex key (``SHA256E-s<size>--<hex>.ext`` names a file by its digest) and RFC 7617's
``Aladdin:open sesame`` example.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Final

from kb.safety.redaction_context import _prose_password
from kb.safety.redaction_values import (
    _passphrase,
    _placeholder_like,
    _position_value,
    _random_run,
    _strong,
    _token,
    quoted_or_bare,
    value_span,
)

__all__ = ["cut_value_spans", "split_credential_spans", "split_public_spans"]

_SECRET_KEY: Final = r"[\w\-]*?(?:password|passwd|passphrase|pass|pwd|secret|psk)"
_YAML_BLOCK: Final = re.compile(
    rf"(?im)^(?P<ind>[ \t]*)(?:-[ \t]+)?{_SECRET_KEY}[ \t]*:[ \t]*[>|][-+]?[ \t]*\n"
    r"(?P<vind>[ \t]+)(?P<v>[^\s#][^\s]*)[ \t]*(?:\n|$)"
)
_XML_ELEMENT: Final = re.compile(
    r"(?i)<(?P<tag>(?:[\w\-]+:)?(?:[\w\-]*?)(?:password|passwd|pass|passphrase|psk))(?P<attrs>[ \t][^<>]*)?>"
    r"[ \t]*\n?[ \t]*(?P<v>[^<>\s]{4,256})[ \t]*\n?[ \t]*</(?P=tag)>"
)
_JSON_NEXT_LINE: Final = re.compile(
    r'(?i)"[\w\-]*?(?:password|passwd|passphrase|secret|pwd)"[ \t]*:[ \t]*\n[ \t]*"(?P<v>[^"\n]{4,256})"'
)
# a chat line (``nick [#chan 22:14] …``, ``nick (23:10, ~chan): …``) ending with "password … is"
_CHAT_TOLD_NEXT: Final = re.compile(
    r"(?im)^(?P<speaker>[^\s:\[\](]{2,32})[ \t]*[\[(][^\n]*?\b(?:password|passphrase|passwd|pw|pwd)\b"
    r"[^\n]{0,60}?\b(?:is|was)[ \t]*:?[ \t]*\n"
    r"(?P=speaker)[ \t]*[\[(][^\n\])]{1,40}[\])]:?[ \t]+(?P<v>\S{6,128})[ \t]*$"
)
_CISCO_CLEAR: Final = re.compile(
    r"(?im)^[ \t]*(?:username[ \t]+\S+(?:[ \t]+privilege[ \t]+\d+)?|enable)[ \t]+(?:secret|password)"
    r"[ \t]+0[ \t]+(?P<v>\S{4,128})[ \t]*$"
)
_SNMP_USER: Final = re.compile(
    r"(?im)\bcreateUser[ \t]+(?:-e[ \t]+\S+[ \t]+)?[\w\-.@]+[ \t]+(?:MD5|SHA(?:-?\d{3})?)[ \t]+"
    + quoted_or_bare(r"[^'\"\n]{4,128}", r"[^\s'\"]{4,128}")
    + r"(?:[ \t]+(?:AES\d*|DES)(?:[ \t]+(?P<q2>['\"]?)(?P<priv>[^\s'\"]{4,128})(?P=q2))?)?"
)
_RADIUS_KEY: Final = re.compile(
    r"(?im)^[ \t]*key[ \t]*=[ \t]*"
    + quoted_or_bare(r"[^'\"\n]{4,128}", r"[^\s'\"#]{4,128}")
    + r"[ \t]*#[^\n]*\b(?:radius|tacacs\+?|shared[ \t\-]secret)"
)
_USERLIST: Final = re.compile(r'(?m)^"(?P<user>[\w.\-@]{1,64})"[ \t]+"(?P<v>[^"\n]{4,256})"[ \t]*$')
_VERIFIER: Final = re.compile(r"(?i)^(?:md5[0-9a-f]{32}|SCRAM-SHA-256\$.*)$")
_RCLONE_SECRET: Final = re.compile(r"(?m)^[ \t]*secret_access_key[ \t]*=[ \t]*(?P<v>[^\s#]{8,128})[ \t]*$")
_JUPYTER: Final = re.compile(
    r"(?m)^[ \t]*c\.\w+\.(?:token|password|cookie_secret|api_token)[ \t]*=[ \t]*"
    + quoted_or_bare(r"[^'\"\n]{4,256}", r"[^\s'\"#]{4,256}")
)
_PIPED_IINIT: Final = re.compile(
    r"\b(?:echo|printf)[ \t]+(?:-n[ \t]+)?"
    + quoted_or_bare(r"[^'\"\n]{4,128}", r"[^\s'\"|]{4,128}")
    + r"[ \t]*\|[ \t]*(?:sudo[ \t]+)?iinit\b"
)
_IINIT_HEREDOC: Final = re.compile(
    r"\biinit[ \t]*<<-?[ \t]*(?P<q>['\"]?)(?P<end>[A-Za-z_]\w*)(?P=q)[ \t]*\n(?P<body>(?:[^\n]*\n){1,8}?)"
    r"[ \t]*(?P=end)[ \t]*$",
    re.M,
)
_CLOUDFLARED: Final = re.compile(
    r"\bcloudflared[ \t]+(?:tunnel[ \t]+)?(?:service[ \t]+install|run)[ \t]+(?:--token[ \t]+)?"
    r"(?P<v>eyJ[A-Za-z0-9+/_\-]{40,2048}={0,2})(?![\w+/=\-])"
)
_APPS_SCRIPT: Final = re.compile(
    r"https://script\.google\.com/macros/s/(?P<id>[A-Za-z0-9_\-]{30,128})/exec(?![\w/])"
)
_B64_BLOCK: Final = re.compile(
    r"(?im)^[ \t]*[\w\-.]*(?:credentials?|key|json|sa|account)[\w\-.]*[ \t]*:[ \t]*[|>][-+]?[ \t]*\n"
    r"(?P<body>(?:[ \t]+[A-Za-z0-9+/=]{16,}[ \t]*(?:\n|$)){2,400})"
)
_ANNEX_KEY: Final = re.compile(
    r"(?<![\w\-])(?:SHA(?:1|224|256|384|512)|MD5|BLAKE2[BS]\d*|SHA3_\d+)E?-s\d+(?:-[mS]\d+)*--"
    r"[0-9a-f]{32,128}(?:\.[A-Za-z0-9]{1,10}){0,2}(?![\w\-])"
)
_RFC7617_EXAMPLE: Final = re.compile(r"(?<![\w+/])QWxhZGRpbjpvcGVuIHNlc2FtZQ==")


def _secret_value(value: str) -> bool:
    return not _placeholder_like(value) and _position_value(value)


def _literal_secret(value: str) -> bool:
    """A value written where only a literal password goes (a quoted JSON string, Cisco type 0): any
    word with letters and a digit or symbol that is not a placeholder, a variable or a host name."""
    if _placeholder_like(value) or len(value) < 6 or re.search(r"\s", value):
        return False
    if value.startswith(("$", "{", "%", "[REDACTED")) or re.fullmatch(
        r"[\w\-]+(?:\.[\w\-]+)+\.[a-z]{2,12}", value
    ):
        return False
    if _secret_value(value):
        return True
    return re.search(r"[A-Za-z]", value) is not None and re.search(r"[\d\W_]", value) is not None


# told in a chat or a ticket: "login … is USER / PW", "is USER, PW", "is USER with PW"
_TOLD_PAIR: Final = re.compile(
    r"(?i)\b(?:login|logon|admin|account|credentials?|creds|hmi|console)\b[^\n]{0,60}?\b(?:is|are)[ \t]+"
    r"(?P<user>[A-Za-z][\w.\-@]{1,31})"
    r"(?:[ \t]*/[ \t]*|,[ \t]+|[ \t]+with[ \t]+(?:(?:the[ \t]+)?password[ \t]+)?)"
    r"(?P<v>[^\s,;()'\"]{8,64}?)(?=[.,;:)]?(?:\s|$))"
)
_FRESH_PASSWORD: Final = re.compile(
    r"(?i)\b(?:temporary|temp|initial|one-time|interim)[ \t]+(?:password|passcode|pw)[ \t]+"
    r"(?:is[ \t]+|of[ \t]+)?"
    r"(?P<v>[^\s'\"`]{8,64}?)(?=[.,;)]?(?:\s|$))"
)
# the password named, then "it": "password? no, we set it to PW", "password is …, it's PW"
_PRONOUN_PASSWORD: Final = re.compile(
    r"(?i)\b(?:password|passphrase|passwd|pw)\b[^\n]{0,80}?"
    r"\b(?:(?:set|changed|reset)[ \t]+it[ \t]+to|it'?s|it[ \t]+is)"
    r"[ \t]+['\"`]?(?P<v>[^\s'\"`,;()]{8,64}?)['\"`]?(?=[.,;:!)]?(?:\s|$))"
)


def _told_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for pattern in (_TOLD_PAIR, _FRESH_PASSWORD, _PRONOUN_PASSWORD):
        for m in pattern.finditer(text):
            value = m.group("v")
            if not re.search(r"\d", value) or not _prose_password(value):
                continue
            if _passphrase(value) or _random_run(value) or _token(value) or re.search(r"[^\w\-.]", value):
                spans.append(("password-assignment", *m.span("v")))
    return spans


def _next_line_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _YAML_BLOCK.finditer(text):
        # one value: the block's next line, if any, is no deeper than the value's line
        rest = text[m.end() :]
        nxt = re.match(r"([ \t]*)\S", rest)
        if nxt and len(nxt.group(1)) >= len(m.group("vind")):
            continue
        if _secret_value(m.group("v")):
            spans.append(("password-assignment", *m.span("v")))
    for m in _XML_ELEMENT.finditer(text):
        if re.search(r"(?i)digest", m.group("attrs") or ""):
            continue  # WS-Security PasswordDigest: a hash of a nonce and the password
        if _secret_value(m.group("v")):
            spans.append(("password-assignment", *m.span("v")))
    for m in _JSON_NEXT_LINE.finditer(text):
        if _literal_secret(m.group("v")):
            spans.append(("password-assignment", *m.span("v")))
    for m in _CHAT_TOLD_NEXT.finditer(text):
        value = m.group("v")
        if _prose_password(value) or (_position_value(value) and re.search(r"\d", value)):
            spans.append(("password-assignment", *m.span("v")))
    return spans


def _config_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for pattern in (_CISCO_CLEAR, _RADIUS_KEY, _RCLONE_SECRET, _JUPYTER, _PIPED_IINIT):
        for m in pattern.finditer(text):
            s, e = value_span(m)
            value = text[s:e]
            if re.match(r"(?i)(?:argon2|sha1|sha256|pbkdf2):", value):
                continue  # a hashed notebook password
            if _secret_value(value) or (pattern is _CISCO_CLEAR and _literal_secret(value)):
                spans.append(("password-assignment", s, e))
    for m in _SNMP_USER.finditer(text):
        s, e = value_span(m)
        if _secret_value(text[s:e]) and not text[s:e].startswith("0x"):
            spans.append(("password-assignment", s, e))
        if m.group("priv") and _secret_value(m.group("priv")):
            spans.append(("password-assignment", *m.span("priv")))
    for m in _USERLIST.finditer(text):
        # with no userlist named (an older rule reads those), only a random value with mixed case and a
        # symbol: two quoted words, a passphrase or a hex string may be anything's
        value = m.group("v")
        if _VERIFIER.match(value) or _passphrase(value) or not _strong(value):
            continue
        if re.search(r"[A-Z]", value) and re.search(r"[a-z]", value) and re.search(r"[^\w\-.:]", value):
            spans.append(("password-assignment", *m.span("v")))
    for m in _IINIT_HEREDOC.finditer(text):
        answers = m.group("body").rstrip("\n").split("\n")
        last = answers[-1].strip()
        if len(answers) >= 3 and _secret_value(last):
            start = m.start("body") + m.group("body").rstrip("\n").rfind(last)
            spans.append(("password-assignment", start, start + len(last)))
    return spans


def _service_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "cloudflared" in text:
        spans += [("vendor-token", *m.span("v")) for m in _CLOUDFLARED.finditer(text)]
    if "script.google.com" in text:
        spans += [
            ("webhook-url", *m.span())
            for m in _APPS_SCRIPT.finditer(text)
            if not _placeholder_like(m.group("id")) and re.search(r"\d", m.group("id"))
        ]
    for m in _B64_BLOCK.finditer(text):
        body = m.group("body")
        try:
            decoded = base64.b64decode(re.sub(r"\s", "", body) + "==", validate=False)[:4096]
        except (binascii.Error, ValueError):
            continue
        if b'"service_account"' in decoded and b"private_key" in decoded:
            for line in re.finditer(r"[A-Za-z0-9+/=]{16,}", body):
                spans.append(
                    ("gcp-service-account-key", m.start("body") + line.start(), m.start("body") + line.end())
                )
    return spans


def split_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the secrets this module reads."""
    from kb.safety.redaction_cookies import cookie_credential_spans
    from kb.safety.redaction_told import told_credential_spans

    told = _told_spans(text) + told_credential_spans(text)  # and round 52's chat forms
    told += cookie_credential_spans(text)  # and every cookie of a cookie header
    return _next_line_spans(text) + _config_spans(text) + _service_spans(text) + told


# A secret-named key with its value in quotes holding characters most rules end a value at (``&``,
# ``)``, ``;``): a generated key (Django's ``SECRET_KEY``) would be redacted only up to the first one.
_QUOTED_WHOLE: Final = re.compile(
    r"(?i)(?<![\w.\-])(?P<name>[\w.\-]*?(?:secret|password|passwd|passphrase|token"
    r"|(?:secret|private|api|auth|signing|master|app|encryption)[_\-]?key)[\w.\-]*)['\"]?"
    r"[ \t]*(?:=|:|=>|:=)[ \t]*"
    r"(?P<q>['\"])(?P<v>[^\s'\"`]{12,256})(?P=q)"
)


def cut_value_spans(text: str) -> list[tuple[str, int, int]]:
    """Whole quoted values a shorter rule would cut short; the caller ranks them first."""
    spans: list[tuple[str, int, int]] = []
    for m in _QUOTED_WHOLE.finditer(text):
        value = m.group("v")
        if not re.search(r"[&()<>{}\[\];,]", value) or _placeholder_like(value):
            continue
        if re.fullmatch(r"[\w.]+\(.*\)", value) or re.search(r"%\(|\$\{|\{\{|://", value):
            continue  # a call, a template or a URL
        if re.search(r"^\^|\(\?[=!:<]|\$$|^[A-Z]{2,4}\[|\w=[^&]*&\w+=", value):
            continue  # a regular expression, a sealed value (``EJ[1:…]``, ``ENC[…]``), a query string
        if re.search(r"(?i)regex|pattern|policy|rule|format", m.group("name")):
            continue
        if _strong(value) and not _passphrase(value) and re.search(r"\d", value):
            named = re.search(r"(?i)pass|pwd|token", m.group("name"))
            spans.append(("password-assignment" if named else "generic-api-key", *m.span("v")))
    return spans


def split_public_spans(text: str) -> list[tuple[int, int]]:
    """Values that look like keys and are public: git-annex keys, RFC 7617's example."""
    spans = [m.span() for m in _RFC7617_EXAMPLE.finditer(text)]
    if "--" in text:
        spans += [m.span() for m in _ANNEX_KEY.finditer(text)]
    from kb.safety.redaction_cookies import cookie_public_spans
    from kb.safety.redaction_told import told_public_spans

    spans += cookie_public_spans(text)  # and the names of a cookie header's cookies
    return spans + told_public_spans(text)  # and docs samples, jokes, preference cookies
