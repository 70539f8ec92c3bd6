"""More passwords told in prose, chat and exports, where no setting names the value (round 53).

* A chat question for a password (``what's the grafana admin password?``) answered on the next line,
  when each line opens with a bracket holding a channel and a time (``[help-desk chat 08:12] tom:``).
* ``vcenter root is PW until …``: an account's value told with ``is``.
* ``logs in with USER:PW over …``, ``sign in to X as USER with PW``: a login told in prose.
* ``password authentication failed for user "x" (tried "PW")``: a password quoted in an error.
* ``pgbouncer auth_file line: "user" "PW"``: pgbouncer's pair after a lead of several words.
* ``1Password export, row 14: TITLE,USER,PW``: a password manager's CSV export row.
* ``set the … PIN-login to PW``, ``passwords like 'PW'``.

Kept: every line of a ``PGP PUBLIC KEY BLOCK`` (a public key holds no secret, however its base64
lines look).
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_told import _ASK, _ASKS_ABOUT_RULES, _VERIFIER, _told_value
from kb.safety.redaction_values import _passphrase, _placeholder_like, _strong

__all__ = ["prose_credential_spans", "prose_public_spans"]

_PW: Final = r"(?:password|passphrase|passwd|pw|pwd|pass)"
_V: Final = r"(?P<v>[^\s'\"`,;()]{8,64}?)(?=[.,;:!)]?(?:\s|$))"
_QV: Final = r"['\"`]?" + _V + r"['\"`]?"
# ``[help-desk chat 08:12] tom:`` (a channel and a time in the bracket)
_BRACKET_LINE: Final = (
    r"\[[A-Za-z][\w .\-]{{0,30}}[ \t]\d{{1,2}}:\d{{2}}(?::\d{{2}})?\][ \t]*"
    r"(?P<{0}>[A-Za-z][\w.\-]{{1,31}}):[ \t]+"
)
_ASKED_THEN_TOLD: Final = re.compile(
    r"(?m)^"
    + _BRACKET_LINE.format("asker")
    + r"(?P<ask>[^\n]{2,80})\n"
    + _BRACKET_LINE.format("teller")
    + r"['\"`]?(?P<v>[^\s'\"`]{8,64})['\"`]?[ \t]*$"
)
_ACCOUNT_IS: Final = re.compile(
    r"(?i)\b(?:root|admin(?:istrator)?|superuser|sa|administrator)(?:[ \t]+"
    + _PW
    + r")?[ \t]+is[ \t]+"
    + _QV
    + r"(?=[.,;!]?[ \t]+(?:until|till|for[ \t]+now|now|again|btw|but)\b|[.,;!]?[ \t]*$)"
)
_LOGS_IN_WITH: Final = re.compile(
    r"(?i)\blog(?:s|ged|ging)?[ \t]+(?:in|on)[ \t]+(?:with|using|as)[ \t]+(?P<user>[\w.\-@]{1,40}):" + _V
)
_SIGN_IN_AS: Final = re.compile(
    r"(?i)\b(?:sign|log)(?:s|ged|ging)?[ \t]+(?:in|on)(?:[ \t]+(?:to|into)[ \t]+[^\n]{1,60}?)?[ \t]+as[ \t]+"
    r"[\w.\-@]{1,64}[ \t]+(?:with|using)[ \t]+(?:(?:the[ \t]+)?" + _PW + r"[ \t]+)?" + _QV
)
_TRIED: Final = re.compile(
    r"(?i)\b" + _PW + r"\b[^\n]{0,80}?\((?:tried|using|with)[ \t]+(?P<q>['\"])(?P<v>[^'\"\n]{6,64})(?P=q)\)"
)
_PGBOUNCER_LEAD: Final = re.compile(
    r"(?im)^[ \t]*pgbouncer[ \t]+(?:auth_file|userlist(?:\.txt)?|auth[ \t]+file)(?:[ \t]+(?:line|entry|row))?"
    r'[ \t]*:[ \t]*"(?P<user>[\w.\-@]{1,64})"[ \t]+"(?P<v>[^"\n]{8,256})"[ \t]*$'
)
_EXPORT_ROW: Final = re.compile(
    r"(?im)\b(?:1password|bitwarden|lastpass|keepass(?:xc)?|dashlane|password[ \t]+manager)[ \t]+export\b"
    r"[^\n:]{0,30}:[ \t]*(?P<title>[^,\n]{1,60}),(?P<user>[^,\n]{1,64}),(?P<v>[^,\s]{6,128})(?=,|[ \t]*$)"
)
_SET_TO: Final = re.compile(
    r"(?i)\bset[ \t]+(?:the[ \t]+)?(?:[\w.\-]+[ \t]+){0,5}?[\w\-]*(?:pin|login|passcode|" + _PW + r")"
    r"[ \t]+to[ \t]+" + _QV
)
_LIKE: Final = re.compile(
    r"(?i)\bpass(?:words?|phrases?)[ \t]+like[ \t]+(?P<q>['\"`])(?P<v>[^'\"`\s]{6,64})(?P=q)"
)
_PGP_PUBLIC: Final = re.compile(
    r"-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]{0,20000}?-----END PGP PUBLIC KEY BLOCK-----"
)


def _mixed_random(value: str) -> bool:
    """Upper, lower and a symbol in a strong run (a password without a digit)."""
    return bool(
        _strong(value)
        and not _passphrase(value)
        and re.search(r"[A-Z]", value)
        and re.search(r"[a-z]", value)
        and re.search(r"[^\w\s]", value)
    )


def _told(value: str) -> bool:
    return not _placeholder_like(value) and (_told_value(value) or _mixed_random(value))


def prose_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the passwords this module reads."""
    spans: list[tuple[str, int, int]] = []
    lowered = text.lower()
    if not re.search(r"p(?:ass|w)|root|admin|log|sign|tried|set|export|superuser|pgbouncer", lowered):
        return spans
    for pattern in (_ACCOUNT_IS, _LOGS_IN_WITH, _SIGN_IN_AS, _TRIED, _SET_TO, _LIKE):
        spans += [
            ("password-assignment", *m.span("v")) for m in pattern.finditer(text) if _told(m.group("v"))
        ]
    for m in _ASKED_THEN_TOLD.finditer(text):
        ask = m.group("ask").strip()
        if m.group("asker") == m.group("teller") or not _ASK.match(ask) or _ASKS_ABOUT_RULES.search(ask):
            continue
        if _told(m.group("v")):
            spans.append(("password-assignment", *m.span("v")))
    for m in _PGBOUNCER_LEAD.finditer(text):
        value = m.group("v")
        if _VERIFIER.match(value) or _passphrase(value) or not _strong(value):
            continue
        if re.search(r"[A-Z]", value) and re.search(r"[a-z]", value) and re.search(r"\d", value):
            spans.append(("password-assignment", *m.span("v")))
    for m in _EXPORT_ROW.finditer(text):
        value = m.group("v")
        if not _VERIFIER.match(value) and (_told(value) or (_strong(value) and not _passphrase(value))):
            spans.append(("password-assignment", *m.span("v")))
    return spans


def prose_public_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the public key blocks this module keeps."""
    if "PGP PUBLIC KEY" not in text:
        return []
    return [m.span() for m in _PGP_PUBLIC.finditer(text)]
