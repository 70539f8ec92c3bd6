"""Passwords a tool takes by position: an admin command that sets one, a repository string that holds one.

* an administration CLI that sets or checks an account's password, the password being a positional
  argument with no flag or ``=`` before it: Home Assistant's ``hass --script auth change_password
  USER PW`` (and ``auth add USER PW``), Pi-hole's ``pihole setpassword PW``, MinIO's ``mc admin user
  add ALIAS USER SECRET``, ``ipmitool user set password ID PW``, Drush's ``drush upwd USER PW``,
  ejabberd's ``ejabberdctl change_password|register USER HOST PW``, EMQX's ``emqx ctl admins
  passwd|add USER PW``, ``htpasswd -nb USER PW`` (the ``-b`` forms with a file are read elsewhere),
  ``openssl passwd [-6] [-salt S] PW``, ``ldappasswd … -s NEWPW``/``-a OLDPW``, and the Wi-Fi tools
  ``wpa_passphrase SSID PASSPHRASE`` and ``nmcli … wifi-sec.psk PSK``; and any tool's
  ``set-password USER PW`` subcommand (``unifi-os set-password admin PW``, ``change-password``,
  ``reset-password``, ``set_password``; ``reset-admin-password PW`` takes no user);
* a server's out-of-band controller (BMC) tools, whose password flag takes any shape: ``ipmitool``/
  ``ipmiutil … -P PW``, ``racadm``/``idracadm7 … -p PW``, ``ilorest login … -p PW``, ``redfishtool``,
  FreeIPMI's ``ipmi-sensors``/``ipmipower``/``bmc-info … -p PW``, ``hpilo_cli … -p PW``, Supermicro's
  ``sum … -p PW`` and ``SMCIPMITool HOST USER PW …`` (by position);
* ``curl`` and HTTPie with the user flag at the end of a cluster of short flags (``curl -su
  user:PW``, ``curl -kU proxyuser:PW``, ``http -va user:PW``): the password half;
* a backup tool's repository written without ``//`` (restic's ``sftp:user:PW@host:/path``, the same
  after ``scp``/``rsync``/``ftp``/``smb``/``webdav``): the part between the user and ``@``;
* and what :mod:`kb.safety.redaction_share_logins` reads (Samba's ``user%PW``, Junos ``$9$``, Odoo's
  ``execute_kw`` key).

Kept: ``$VARS``, ``<placeholders>``, flags (``--help``), ``sftp:user@host:/path`` (no password).
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_rules import _CREDENTIAL_WORD_VALUE
from kb.safety.redaction_share_logins import share_login_spans
from kb.safety.redaction_values import _placeholder_like, _position_value

__all__ = ["tool_password_spans"]

_ARG: Final = r"(?:'[^'\n]*'|\"[^\"\n]*\"|[^\s'\"|;&]+)"
# Each command up to the argument that is the password.
# (case matters: ``ldappasswd -S`` prompts for the new password, ``-s`` takes it)
_PASSWORD_POSITION: Final = re.compile(
    r"(?:"
    rf"\bhass\b[^\n|;&]*?\bauth\b(?:[ \t]+--?\w[\w-]*(?:[ \t]+(?!change_password|add\b)[^\s-]\S*)?)*"
    rf"[ \t]+(?:change_password|add)[ \t]+{_ARG}"
    r"|\bpihole(?:[ \t]+-a)?[ \t]+setpassword"
    rf"|\bmc[ \t]+admin[ \t]+user[ \t]+add[ \t]+{_ARG}[ \t]+{_ARG}"
    rf"|\bipmitool\b[^\n|;&]*?\buser[ \t]+set[ \t]+password[ \t]+\d+"
    rf"|\bdrush[ \t]+(?:upwd|user-password|user:password)[ \t]+{_ARG}"
    rf"|\bejabberdctl[ \t]+(?:change_password|register)[ \t]+{_ARG}[ \t]+{_ARG}"
    rf"|\bemqx(?:_ctl|[ \t]+ctl)[ \t]+admins[ \t]+(?:passwd|add)[ \t]+{_ARG}"
    rf"|\bhtpasswd[ \t]+-[a-zA-Z]*n[a-zA-Z]*b[a-zA-Z]*[ \t]+{_ARG}"
    rf"|\bhtpasswd[ \t]+-[a-zA-Z]*b[a-zA-Z]*n[a-zA-Z]*[ \t]+{_ARG}"
    r"|\bopenssl[ \t]+passwd(?:[ \t]+-(?:1|5|6|apr1|aixmd5|crypt|stdin|quiet))*(?:[ \t]+-salt[ \t]+\S+)?"
    r"(?:[ \t]+-(?:1|5|6|apr1|aixmd5|crypt))*"
    r"|\bldappasswd\b[^\n|;&]*?[ \t]-[sa]"
    rf"|\bwpa_passphrase[ \t]+{_ARG}"
    r"|\bnmcli\b[^\n|;&]*?[ \t](?:wifi-sec|802-11-wireless-security)\.psk"
    # a subcommand that sets an account's password: the user, then the password (a user-less
    # ``reset-admin-password PW`` names its account in the verb)
    rf"|(?<![\w.\-])(?:set|change|reset|update)[-_]?password[ \t]+(?!-){_ARG}"
    r"|(?<![\w.\-])(?:set|change|reset|update)[-_]?(?:admin|root)[-_]?password"
    r")[ \t]+(?P<q>['\"]?)(?P<v>[^\s'\"]{4,128})(?P=q)(?=[\s;|&)]|$)"
)
_HINTS: Final = (
    "hass",
    "pihole",
    "mc admin",
    "ipmitool",
    "drush",
    "ejabberdctl",
    "emqx",
    "htpasswd",
    "openssl",
    "ldappasswd",
    "wpa_passphrase",
    "nmcli",
    "-password",
    "_password",
    "setpassword",
    "changepassword",
    "resetpassword",
    "updatepassword",
)
# restic's ``sftp:user:PW@host:/path`` (and the other file-transfer schemes written without ``//``)
_SCHEME_WITHOUT_SLASHES: Final = re.compile(
    r"(?i)(?<![\w/:@.%\-])(?:sftp|scp|rsync|ftps?|smb|cifs|webdavs?|davs?):"
    r"[^\s@/:'\"`<>]+:(?P<v>[^\s@/'\"`<>:()]+)@(?:[A-Za-z0-9][A-Za-z0-9\-.]*|\[[0-9A-Fa-f:.]+\])"
)

# A BMC tool's command up to its password flag (``-p``/``-P``; ipmitool's ``-p`` is a port, digits,
# which the value test refuses, and FreeIPMI's ``-P`` prompts, so a flag follows it)
_BMC_PASSWORD_FLAG: Final = re.compile(
    r"(?i)(?:\b(?:ipmitool|ipmiutil|racadm|idracadm7?|ilorest|redfishtool|hpilo_cli|ipmipower|ipmiconsole"
    r"|ipmi-[a-z\-]+|bmc-(?:info|device|config|watchdog))\b|\bsum(?=[ \t](?:[^\n|;&]*[ \t])?-i[ \t]))"
    r"[^\n|;&]*?[ \t](?-i:-[pP])[ \t]*(?P<q>['\"]?)(?P<v>[^\s'\"]{4,128})(?P=q)(?=[\s;|&)]|$)"
)
# Supermicro's ``SMCIPMITool HOST USER PASSWORD COMMAND``
_SMCIPMITOOL: Final = re.compile(
    r"(?i)\bSMCIPMITool(?:\.exe)?[ \t]+[^\s-]\S*[ \t]+[^\s-]\S*[ \t]+"
    r"(?P<q>['\"]?)(?P<v>[^\s'\"]{4,128})(?P=q)(?=\s|$)"
)
_BMC_HINTS: Final = ("ipmi", "racadm", "ilorest", "redfishtool", "hpilo", "bmc-", "sum ", "smcipmitool")
# ``curl -su user:PW`` (``-u``/``-U`` closing a cluster of short flags), ``http -va user:PW``
_CLUSTERED_USER_FLAG: Final = re.compile(
    r"(?:\bcurl\b[^\n|;&]*?[ \t]-[A-Za-z]+[uU]|\b(?:https?|xhs?)[ \t](?:[^\n|;&]*?[ \t])?-[A-Za-z]+a)"
    r"[ \t]*(?P<q>['\"]?)[^\s:'\"$]+:(?P<v>[^\s'\"`]{4,128})(?P=q)(?=[\s;|&)]|$)"
)


def _password_argument(value: str) -> bool:
    """Not a flag, a variable, a placeholder, an LDAP DN (``uid=kim,ou=staff``) or a word of the
    sentence going on (``set-password admin first, then …``)."""
    return (
        not value.startswith(("-", "$", "<", "%", "{"))
        and re.match(r"(?i)(?:uid|cn|ou|dc|o)=", value) is None
        and re.fullmatch(r"[A-Za-z]+[.,;:]", value) is None
        and _position_value(value)
    )


def tool_password_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the passwords this module reads."""
    spans: list[tuple[str, int, int]] = []
    lowered = text.lower()
    if any(h in lowered for h in _HINTS):
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _PASSWORD_POSITION.finditer(text)
            if _password_argument(m.group("v"))
        ]
    if any(h in lowered for h in _BMC_HINTS):
        for rule in (_BMC_PASSWORD_FLAG, _SMCIPMITOOL):
            spans += [
                ("password-assignment", *m.span("v"))
                for m in rule.finditer(text)
                if _password_argument(m.group("v"))
            ]
    if "curl" in lowered or "http" in lowered or "xh" in lowered:
        spans += [
            ("basic-auth", *m.span("v"))
            for m in _CLUSTERED_USER_FLAG.finditer(text)
            if not _placeholder_like(m.group("v")) and not _CREDENTIAL_WORD_VALUE.fullmatch(m.group("v"))
        ]
    if "@" in text:
        spans += [
            ("password-in-url", *m.span("v"))
            for m in _SCHEME_WITHOUT_SLASHES.finditer(text)
            if not _placeholder_like(m.group("v"))
        ]
    return spans + share_login_spans(text)  # Samba's ``user%PW``, Junos ``$9$``, Odoo ``execute_kw``
