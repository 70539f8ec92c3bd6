"""Passwords told in a chat or a timeline, where no setting names the value, and values a remark on
their line says are samples, jokes or harmless (round 52).

* ``try PW for the grafana admin``: a value offered for an account or a console.
* A short request for a password (``what's the pw for the staging rabbit?``, ``db pass``) and the
  next chat line, another speaker's, holding one value.
* ``… pw got rotated -> PW``, ``password changed to PW``: a password word, a change, then the value.
* ``reset the cms superuser to PW``: an account (or its password) set to a value.
* pgbouncer's ``"user" "PW"`` pair after a ``pgbouncer:`` or ``userlist.txt:`` lead.

Kept: a value on a line that calls it a docs sample, a tutorial's or an API reference's example
(``MS docs sample connection string uses Password=…``, ``Slack tutorial token xoxb-…``), or a joke
that is no real password; unless the line says the value is real, leaked, live or ours. And a
cookie whose value is base64 of plain ``name=value`` preferences (``hc_prefs=…``, ``user=anonymous;
edition=weekend``), no session, token or password among them.
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
    _random_letters,
    _random_run,
    _strong,
    _token,
)

__all__ = ["told_credential_spans", "told_public_spans"]

_PW: Final = r"(?:password|passphrase|passwd|pw|pwd|pass)"
_VALUE: Final = r"['\"`]?(?P<v>[^\s'\"`,;()]{8,64}?)['\"`]?(?=[.,;:!)]?(?:\s|$))"
_TRY_FOR: Final = re.compile(
    r"(?i)\btry[ \t]+" + _VALUE + r"[ \t]+(?:for|on|as)[ \t]+(?:the[ \t]+)?(?:[\w.\-]+[ \t]+){0,3}?"
    r"(?:admin(?:istrator)?|login|user|account|root|superuser|console|dashboard|ui|" + _PW + r")\b"
)
_ROTATED_TO: Final = re.compile(
    rf"(?i)\b{_PW}\b[^\n]{{0,40}}?\b(?:rotated|changed|reset|updated|now)[ \t]*"
    r"(?:->|=>|→|:|=|\bto\b|\bis\b)[ \t]*" + _VALUE
)
_RESET_TO: Final = re.compile(
    r"(?i)\b(?:reset|set|changed?)[ \t]+(?:the[ \t]+)?(?:[\w.\-]+[ \t]+){0,3}?"
    rf"(?:superuser|admin(?:istrator)?|root|user|account|login|{_PW})(?:[ \t]+{_PW})?[ \t]+to[ \t]+" + _VALUE
)
# ``[22:31] nick: …``, ``nick> …``, ``nick: …``
_CHAT_LINE: Final = (
    r"(?:\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\][ \t]*)?(?P<{0}>[A-Za-z][\w.\-]{{1,31}})(?P<{0}sep>>|:)[ \t]+"
)
_ASKED_THEN_TOLD: Final = re.compile(
    r"(?m)^"
    + _CHAT_LINE.format("asker")
    + r"(?P<ask>[^\n]{2,80})\n"
    + _CHAT_LINE.format("teller")
    + r"['\"`]?(?P<v>[^\s'\"`]{8,64})['\"`]?[ \t]*$"
)
_ASK: Final = re.compile(
    rf"(?i)^(?:(?:what(?:'s|s|[ \t]+is)|where(?:'s|[ \t]+is)|any(?:one|body)[ \t]+(?:have|got|know)|got|need)"
    rf"[ \t]+(?:the[ \t]+)?[^\n?]{{0,40}}?\b{_PW}\b[^\n?]{{0,40}}\?|(?:[\w.\-]+[ \t]+){{0,2}}{_PW}[ \t]*\??)$"
)
# a question about a password's rules or tools, not for the password
_ASKS_ABOUT_RULES: Final = re.compile(
    r"(?i)\b(?:polic(?:y|ies)|rules?|requirements?|length|format|complexity|manager|expir\w*|hash\w*|reset)\b"
)
_PGBOUNCER_LEAD: Final = re.compile(
    r'(?im)^[ \t]*[\w.\-/]*(?:pgbouncer|userlist(?:\.txt)?)[\w.\-/]*[ \t]*:[ \t]*"(?P<user>[\w.\-@]{1,64})"'
    r'[ \t]+"(?P<v>[^"\n]{4,256})"[ \t]*$'
)
_VERIFIER: Final = re.compile(r"(?i)^(?:md5[0-9a-f]{32}|SCRAM-SHA-256\$.*)$")


def _told_value(value: str) -> bool:
    """A password's shape in prose: a digit and a symbol or a random run, or random letters."""
    if _placeholder_like(value) or re.search(r"[/\\:@]", value):
        return False
    if _random_letters(value):
        return True
    if not re.search(r"\d", value) or not _prose_password(value):
        return False
    return bool(_passphrase(value) or _random_run(value) or _token(value) or re.search(r"[^\w\-.]", value))


def told_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the passwords this module reads."""
    spans: list[tuple[str, int, int]] = []
    lowered = text.lower()
    from kb.safety.redaction_told_prose import prose_credential_spans

    if not re.search(r"p(?:ass|w)|try|set|userlist|pgbouncer", lowered):
        return prose_credential_spans(text)  # round 53's prose forms
    for pattern in (_TRY_FOR, _ROTATED_TO, _RESET_TO):
        spans += [
            ("password-assignment", *m.span("v")) for m in pattern.finditer(text) if _told_value(m.group("v"))
        ]
    for m in _ASKED_THEN_TOLD.finditer(text):
        ask = m.group("ask").strip()
        if m.group("asker") == m.group("teller") or not _ASK.match(ask) or _ASKS_ABOUT_RULES.search(ask):
            continue
        if m.group("askersep") == ":" and m.group("tellersep") == ":" and not m.group("asker").islower():
            continue  # ``Key: …`` lines of a config, not nicks
        if _told_value(m.group("v")):
            spans.append(("password-assignment", *m.span("v")))
    for m in _PGBOUNCER_LEAD.finditer(text):
        value = m.group("v")
        if _VERIFIER.match(value) or _passphrase(value) or not _strong(value):
            continue
        if re.search(r"[A-Z]", value) and re.search(r"[a-z]", value) and re.search(r"[^\w\-.:]", value):
            spans.append(("password-assignment", *m.span("v")))
    return spans + prose_credential_spans(text)  # and round 53's prose forms


# "<vendor> docs sample …", "API reference example token", "Slack tutorial token", "(joke …, not a real
# password)": what follows on the line is a published sample or a joke
_SAMPLE_LEAD: Final = re.compile(
    r"(?i)\b(?:(?:docs?|documentation|readme|api[ \t]+(?:reference|docs?))(?:'s)?[ \t]+"
    r"(?:sample|example|demo|dummy)"
    r"|(?:tutorial|quick[ \t-]?start)(?:'s)?[ \t]+(?:(?:sample|example|demo|dummy)[ \t]+)?"
    r"(?:sample|example|token|key|password|secret|credentials?|connection[ \t]+string|snippet)s?"
    r"|\bjoke\b[^\n]{0,60}?\bnot[ \t]+(?:a[ \t]+)?real\b"
    r"|\bnot[ \t]+a[ \t]+real[ \t]+(?:password|pw|key|token|secret|credential)s?)\b[^\n]{0,80}"
)
_NOT_SAMPLE: Final = re.compile(
    r"(?i)\b(?:our|internal|team|runbook|wiki|leak\w*|actual|compromis\w*|rotat\w*|revok\w*|production"
    r"|prod|live|exposed|pasted|committed|still[ \t]+valid|set[ \t]+up|setup|configured|deployed|installed"
    r"|follow\w*|replaced|instead)\b|(?<!not[ \t]a[ \t])(?<!not[ \t])\breal\b"
)
_PREFS_COOKIE: Final = re.compile(
    r"(?i)(?:\bcookies?\b|set-cookie:)[^\n]*?(?<![\w.\-])(?P<name>[\w.\-]+)=(?P<v>[A-Za-z0-9+/]{8,}={0,2})(?![\w+/=])"
)
_SESSION_NAME: Final = re.compile(r"(?i)sess|auth|token|sid|login|remember|jwt|csrf|xsrf|key|secret|pass")
_PLAIN_PAIRS: Final = re.compile(r"[a-z_]{2,20}=[\w .\-]{0,40}(?:[;&|][a-z_]{2,20}=[\w .\-]{0,40}){0,8}")


def _prefs_value(value: str) -> bool:
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return False
    return _PLAIN_PAIRS.fullmatch(decoded) is not None and not _SESSION_NAME.search(decoded)


def told_public_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the samples, jokes and preference cookies this module keeps."""
    spans: list[tuple[int, int]] = []
    for m in _SAMPLE_LEAD.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not _NOT_SAMPLE.search(text, line_start, m.end()):
            spans.append(m.span())
    if "ookie" in text:
        spans += [
            m.span("v")
            for m in _PREFS_COOKIE.finditer(text)
            if not _SESSION_NAME.search(m.group("name")) and _prefs_value(m.group("v"))
        ]
    from kb.safety.redaction_told_prose import prose_public_spans

    return spans + prose_public_spans(text)  # and PGP public key blocks
