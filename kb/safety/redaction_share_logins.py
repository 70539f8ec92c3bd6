"""Credentials a network share, a router or an RPC client takes where no setting names them.

* the Samba tools' ``user%password`` (``smbclient -U DOMAIN/user%'PW'``, ``rpcclient -U user%PW``,
  ``net rpc … -U user%PW``, ``smbmap``/``smbcacls``/``smbget``, ``mount -t cifs -o
  username=user%PW``): the part after ``%``;
* a Junos ``$9$`` string: reversibly obfuscated, like Cisco type 7, so it is the secret itself. Read in
  a secret position of the configuration (``secret "$9$…"``, ``pre-shared-key ascii-text "$9$…"``,
  ``authentication-key``, ``simple-password``, ``community``, and since round 45 a login's
  ``encrypted-password "$9$…"``: the field holds a crypt hash, ``$1$``/``$5$``/``$6$``, which stays,
  but a ``$9$`` string there decodes as anywhere else) and in a line whose words call it a password,
  a secret or a leaked credential. Not Cisco's type 9 hash (``$9$salt$hash``: a second ``$``), not a
  template of X's;
* an Odoo external API key (or password) as the third argument of ``execute_kw(db, uid, KEY, …)``.

Kept: ``$VARS``, ``<placeholders>``, names (``user%domain``), ``user%`` with nothing after it.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import _placeholder_like, _position_value

__all__ = ["share_login_spans"]

_SAMBA_USER_PASSWORD: Final = re.compile(
    r"(?i)\b(?:smbclient|rpcclient|smbmap|smbcacls|smbget|smbpasswd|net|mount(?:\.cifs)?|pdbedit)\b"
    r"[^\n|;&]*?(?:[ \t](?-i:-U)|[ \t]--user(?:name)?=?|[ \t,]user(?:name)?=)[ \t]*['\"]?"
    r"(?:[\w.\-]+[\\/]{1,2})?[\w.$\-]+%(?P<q>['\"]?)(?P<v>[^\s'\"]{4,128})(?P=q)['\"]?(?=[\s,;|&)]|$)"
)
_JUNOS_CHARS: Final = r"[A-Za-z0-9./\-]"
_JUNOS_SECRET_POSITION: Final = re.compile(
    r"\b(?:secret|pre-shared-key(?:[ \t]+(?:ascii-text|hexadecimal))?|authentication-key|simple-password"
    r"|community|key|(?<![\w-])(?:encrypted-)?password)[ \t]+\"?"
    r"(?P<v>\$9\$" + _JUNOS_CHARS + r"{8,})(?![\w$./\-])"
)
_JUNOS_STRING: Final = re.compile(r"(?<![\w$])(?P<v>\$9\$" + _JUNOS_CHARS + r"{8,})(?![\w$./\-])")
_CALLS_IT_A_SECRET: Final = re.compile(
    r"(?i)(?<![\w-])(?:passwords?|passphrases?|secrets?|pre-shared|psk|leak\w*|credentials?|reversible|decrypt\w*)\b"
)
_ODOO_EXECUTE_KW: Final = re.compile(
    r"\bexecute_kw\([ \t]*[^,()\n]+,[ \t]*[^,()\n]+,[ \t]*(?P<q>['\"])(?P<v>[^'\"\s]{8,128})(?P=q)"
)


def _template(value: str) -> bool:
    body = value[3:]
    return _placeholder_like(body) or re.fullmatch(r"[Xx*.]+", body) is not None


def _junos_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span("v") for m in _JUNOS_SECRET_POSITION.finditer(text) if not _template(m.group("v"))]
    offset = 0
    for line in text.split("\n"):
        if "$9$" in line and _CALLS_IT_A_SECRET.search(line):
            spans += [
                (offset + m.start("v"), offset + m.end("v"))
                for m in _JUNOS_STRING.finditer(line)
                if not _template(m.group("v"))
            ]
        offset += len(line) + 1
    return spans


def share_login_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the credentials this module reads."""
    spans: list[tuple[str, int, int]] = []
    if "%" in text:
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _SAMBA_USER_PASSWORD.finditer(text)
            if _position_value(m.group("v"))
        ]
    if "$9$" in text:
        spans += [("password-assignment", s, e) for s, e in _junos_spans(text)]
    if "execute_kw" in text:
        spans += [
            ("vendor-token", *m.span("v"))
            for m in _ODOO_EXECUTE_KW.finditer(text)
            if _position_value(m.group("v"))
        ]
    return spans
