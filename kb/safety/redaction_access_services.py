"""Passwords of directory and network access services, known by where the service's own tools and
files put them, whatever their shape (a letters-only password is still one there).

* an OpenLDAP client's bind password (``ldapsearch``/``ldapmodify``/``ldapadd``/``ldapdelete``/
  ``ldapwhoami``/``ldapcompare``/``ldapmodrdn``/``ldapexop``/``ldappasswd -w PW``, and 389 Directory
  Server's ``dsconf``/``dsidm``/``dsctl -w PW``), ``ldappasswd``'s new and old password (``-s PW``,
  ``-a PW``) and ``slappasswd -s PW``. Not ``-W``/``-S``/``-A`` (a prompt), ``-y``/``-T``/``-t``
  (a file), nor ``ldapsearch -s sub`` or ``-a always`` (a scope, a dereferencing mode);
* a RADIUS client's shared secret in a FreeRADIUS block (``client NAME { … secret = V … }``,
  ``home_server NAME { … }``) and a TACACS+ daemon's ``key = V`` in a ``tac_plus`` configuration;
* a SIP2 (3M Standard Interchange Protocol) message's passwords: the login message's ``CO`` field
  (``9300CN<user>|CO<password>|CP<location>|``) and the terminal and patron passwords ``AC``/``AD``
  of the messages that carry an institution id (``|AO…|``);
* an EZproxy ``user.txt`` (named by a comment or heading above it): ``name:password`` lines, with or
  without the ``:admin`` flag or ``::`` options after them.

Kept: variables, templates, placeholders, paths, an empty SIP2 field, a modular-crypt hash.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_positions import _typed_in
from kb.safety.redaction_values import QUOTED_CHARS, SHELL_WORD_CHARS, quoted_or_bare, value_group

__all__ = ["access_service_credential_spans"]

_QUOTED_OR_BARE: Final = quoted_or_bare(QUOTED_CHARS + "{1,128}?", "(?!-)" + SHELL_WORD_CHARS + "+")

# The rest of an LDAP client's command (up to a pipe, ``;`` or ``&``), then the flag and its value
_LDAP_COMMAND: Final = r"(?<![\w/-])(?:/[\w./-]*/)?"
_LDAP_PASSWORD_FLAG: Final = re.compile(
    _LDAP_COMMAND + r"(?:(?:ldap(?:search|modify|add|delete|whoami|compare|modrdn|exop|passwd|vc|url)"
    r"|dsconf|dsidm|dsctl)\b[^\n|;&]*?[ \t]-w"
    r"|ldappasswd\b[^\n|;&]*?[ \t]-[sa]|slappasswd\b[^\n|;&]*?[ \t]-s)"
    r"[ \t]*" + _QUOTED_OR_BARE
)


_LDAP_TOOL: Final = re.compile(r"ldap|slappasswd|ds(?:conf|idm|ctl)")


def _ldap_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _LDAP_PASSWORD_FLAG.finditer(text):
        group = value_group(m)
        if _typed_in(m.group(group)):
            spans.append(("password-assignment", *m.span(group)))
    return spans


# FreeRADIUS ``clients.conf``/``proxy.conf``: a ``client``/``home_server`` block (with its
# subsections one level deep, ``limit { … }``) and its ``secret`` line. tac_plus: ``key = V`` at the
# start of a line.
_RADIUS_BLOCK: Final = re.compile(
    r"(?m)^[ \t]*(?:client|home_server)[ \t]+[\w.:/\-\[\]]+[ \t]*\{(?:[^{}]|\{[^{}]*\})*\}"
)
# a config line's value: quoted, or bare up to a blank or a comment
_CONFIG_VALUE: Final = quoted_or_bare(QUOTED_CHARS + "+", r"[^\s'\"#]+")
_RADIUS_SECRET: Final = re.compile(r"(?m)^[ \t]*secret[ \t]*=[ \t]*" + _CONFIG_VALUE)
_TACACS_CONFIG: Final = re.compile(r"(?i)\btac_plus\b|\btacacs\+|\btac-plus\b")
_TACACS_KEY: Final = re.compile(r"(?m)^[ \t]*key[ \t]*=[ \t]*" + _CONFIG_VALUE)


def _shared_secret_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    regions: list[tuple[int, int]] = []
    if "secret" in text:
        regions = [m.span() for m in _RADIUS_BLOCK.finditer(text)]
    matches = [m for s, e in regions for m in _RADIUS_SECRET.finditer(text, s, e)]
    if "key" in text and _TACACS_CONFIG.search(text):
        matches += _TACACS_KEY.finditer(text)
    for m in matches:
        group = value_group(m)
        if _typed_in(m.group(group)):
            spans.append(("password-assignment", *m.span(group)))
    return spans


# SIP2: the login message ``93`` (two algorithm digits, then ``CN`` the user); and any message that
# carries an institution id (``AO``) or is a login, whose ``AC``/``AD``/``CO`` fields are passwords.
_SIP2_MESSAGE: Final = re.compile(
    r"(?m)(?<![\w|])(?:93\d\dCN|\d{2}[\w ]{0,40}?\d{8}[ \w]{4}\d{6}[^|\n]*?AO[^|\n]*\|)[^\n]*"
)
_SIP2_PASSWORD_FIELD: Final = re.compile(r"(?<=\|)(?:AC|AD|CO)(?P<v>[^|\n]+)(?=\||$)", re.MULTILINE)


def _sip2_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for message in _SIP2_MESSAGE.finditer(text):
        for m in _SIP2_PASSWORD_FIELD.finditer(text, message.start(), message.end()):
            if _typed_in(m.group("v")):
                spans.append(("password-assignment", *m.span("v")))
    return spans


# An EZproxy user file named above its lines (``# ezproxy/user.txt``, ``EZproxy user.txt:``):
# ``name:password`` with the ``:admin`` flag or ``::`` options (``::Groups=…``) after it, or nothing.
_EZPROXY_USER_FILE: Final = re.compile(r"(?i)\bezproxy\b[^\n]*\buser\.txt\b|\buser\.txt\b[^\n]*\bezproxy\b")
_EZPROXY_USER_LINE: Final = re.compile(
    r"(?m)^[ \t]*[\w.@\-]+:(?P<v>[^\s:#][^\s:]{3,127})(?::(?:admin\b|:[^\n]*))?[ \t]*$"
)


def _ezproxy_spans(text: str) -> list[tuple[str, int, int]]:
    named = _EZPROXY_USER_FILE.search(text)
    if named is None:
        return []
    line_end = text.find("\n", named.end())
    if line_end < 0:
        return []
    return [
        ("password-assignment", *m.span("v"))
        for m in _EZPROXY_USER_LINE.finditer(text, line_end + 1)
        if _typed_in(m.group("v")) and not m.group("v").startswith("$")
    ]


def access_service_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the passwords this module reads."""
    spans: list[tuple[str, int, int]] = []
    lowered = text.lower()
    if _LDAP_TOOL.search(lowered):
        spans += _ldap_spans(text)
    if "{" in text or "tac" in lowered:
        spans += _shared_secret_spans(text)
    if "|" in text:
        spans += _sip2_spans(text)
    if "ezproxy" in lowered:
        spans += _ezproxy_spans(text)
    return spans
