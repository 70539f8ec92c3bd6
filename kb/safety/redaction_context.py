"""Secrets named only by the sentence around them.

Classes the per-value rules miss:

* a password told in prose or on a command line with no setting name: ``enter <pw> at the prompt``,
  ``--password-command 'echo <pw>'``, ``a ClickHouse password (<pw> in the PoC)``, ``wifi … is
  <SSID> / <pw>``, ``passphrase <pw>``;
* a vendor's credential recognizable only by the vendor named beside it (``Splunk HEC token <uuid>``,
  ``GenieKey <uuid>``, ``Authorization: Splunk <uuid>``, ``algoliasearch('APP', '<hex>') // admin
  key``, a PagerDuty ``"routing_key"``): on such a line a random value, UUID- or hex-shaped too, is the
  credential when the credential word is right before it (only punctuation or ``is``/``was`` between)
  or in a comment right after it; a UUID after ``request id``, ``dashboard`` or ``incident`` is kept;
* ``Basic <base64>`` anywhere (``found Basic …``, ``upstream_auth="Basic …"``, ``authenticates with
  Basic …``) and a docker config ``"auth": "<base64>"``: a base64 run of 12+ characters is the
  credential even when it does not decode to ``user:password``; ``Basic realm=`` and masks are kept;
* a relay's credential map (Postfix ``sasl_passwd``): ``[smtp.host]:587 user:<pw>``;
* passwords in prose or config with no setting name: ``<x> login for <y> is <pw>``, ``requirepass
  <pw>``/``masterauth <pw>``, ``the password itself: <pw>``, a table row whose first cell is a
  ``*_AUTH``/``*_PASS``/``*_PWD`` variable, and a ``*_pass:``/``*_pwd:``/``*_auth:`` value led by ``*``
  (``*`` alone is a mask and ``*name`` a YAML alias).

The vocabularies (password words, key vendors, what names a credential) are the redactor's own,
imported from :mod:`kb.safety.redaction_names` and its neighbours.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_names import _NAMES_CREDENTIAL, _PW_WORD, _not_a_permit_pass
from kb.safety.redaction_tables import _KEY_VENDORS
from kb.safety.redaction_values import (
    _UUID,
    _password_value,
    _placeholder_like,
    _position_value,
    _random_run,
    _wordy,
)

__all__ = ["context_spans"]


def _prose_password(value: str) -> bool:
    """A password's shape in prose: strong, a passphrase or generated groups; or letters mixed with a
    symbol and changing case (``qudZZJAUOUWJ-jzgw``). Not a word, a path, a URL or a version."""
    if len(value) < 8 or _placeholder_like(value) or re.search(r"[/\\:@]", value):
        return False
    if re.fullmatch(r"[A-Za-z]+[\W_]*", value):  # a word and markup (``password manager.**``)
        return False
    if _password_value(value):
        return True
    return (
        re.fullmatch(r"[A-Za-z0-9]{3,}[-_.!#$%*+][A-Za-z0-9]{3,}", value) is not None
        and re.search(r"[A-Z]{3,}", value) is not None
        and re.search(r"[a-z]{3,}", value) is not None
        and not _wordy(value)
    )


_V: Final = r"(?P<v>[A-Za-z0-9][^\s'\"`()/,;]{7,63}?)"
# A value's end: space, closing quote or bracket, or a sentence's punctuation.
_END: Final = r"(?=[.,;:!?]?(?:[\s'\"`)]|$))"
_PROSE_PASSWORD: Final = tuple(
    re.compile(p)
    for p in (
        # "enter <pw> at the prompt", "type <pw> when prompted"
        rf"(?i)\b(?:enter(?:ed|s|ing)?|typ(?:e|ed|es|ing)|past(?:e|ed|es|ing))[ \t]+['\"`]?{_V}['\"`]?[ \t]+"
        r"(?:at|when|on|into|in)[ \t]+(?:the[ \t]+)?(?:prompt|prompted|asked|password)",
        # a password command that echoes the password: ``--password-command 'echo <pw>'``
        rf"(?i)--?pass(?:word)?[-_](?:command|cmd)[= \t]+['\"]?(?:echo|printf)[ \t]+['\"]?{_V}['\"]?{_END}",
        # "a <Product> password (<pw> in the PoC)", "the passphrase <pw>", "password: <pw>"
        rf"(?i){_PW_WORD}[ \t]+(?:\(|[:=]|is|was|of)?[ \t]*['\"`]?{_V}['\"`]?{_END}",
        # "wifi on the floor is <SSID> / <pw>"
        r"(?i)\b(?:wi-?fi|wlan|wpa2?|ssid)\b[^\n]{0,60}?[ \t]['\"`]?[\w.\-]{3,32}['\"`]?[ \t]*/[ \t]*"
        rf"['\"`]?{_V}['\"`]?{_END}",
        # a login's password and "the password itself": "vault root login for the drill is <pw>"
        rf"(?i)\blogin[ \t]+for[ \t]+[^\n:=]{{1,40}}?[ \t]+(?:is|was)[ \t]*:?[ \t]*['\"`]?{_V}['\"`]?{_END}",
        rf"(?i){_PW_WORD}[ \t]+itself[ \t]*[:=]?[ \t]*['\"`]?{_V}['\"`]?{_END}",
        # a server's password directive: redis ``requirepass``/``masterauth``
        rf"(?im)(?:^|[`'\"(][ \t]*|[ \t])(?:requirepass|masterauth)[ \t]+['\"]?{_V}['\"]?{_END}",
        # a password set in a sentence: "reset jumpadmin to `<pw>`", "set the password for svc-x to '<pw>'"
        rf"(?i)\b(?:re)?set[ \t]+(?:the[ \t]+)?(?:{_PW_WORD}[ \t]+(?:for|of)[ \t]+)?[\w.@\\-]{{2,40}}"
        rf"(?:'s[ \t]+{_PW_WORD})?[ \t]+to[ \t]+['\"`]{_V}['\"`]",
        # a table row: ``| CACHE_AUTH | <pw> |``
        r"(?im)^[ \t]*\|[ \t]*`?[A-Z][A-Z0-9_]*_(?:AUTH|PASS|PWD|PASSWD)`?[ \t]*\|[ \t]*`?"
        r"(?P<v>[^\s|`]{8,64})`?[ \t]*\|",
    )
)


# A relay's credential map, one host a line: Postfix ``sasl_passwd`` (``[smtp.host]:587 user:pw``),
# ``host.example:25 user@domain:pw``. The host is bracketed or dotted with a port.
_RELAY_CREDENTIAL: Final = re.compile(
    r"(?m)^[ \t]*(?:\[[\w.-]+\](?::\d{1,5})?|[\w-]+(?:\.[\w-]+)+:\d{1,5})"
    r"[ \t]+[^\s:]+:(?P<v>[^\s:]{4,})[ \t]*$"
)


# A token told in a sentence: "bearer for the desk API is <token>", "the API key for staging was <key>".
_PROSE_TOKEN: Final = re.compile(
    r"(?i)\b(?P<word>bearer|token|api[ _-]?key|access[ _-]?key|secret)[ \t]+(?:for|of)[ \t]+[^\n:=]{1,40}?"
    r"[ \t]+(?:is|was)[ \t]*:?[ \t]*['\"`]?(?P<v>[A-Za-z0-9][A-Za-z0-9_\-.~+/]{19,199}?)['\"`]?" + _END
)


def _password_spans(text: str) -> list[tuple[str, int, int]]:
    spans = []
    for m in _PROSE_TOKEN.finditer(text):
        if _random_run(m.group("v")):
            kind = "bearer-token" if m.group("word").lower() == "bearer" else "generic-secret"
            spans.append((kind, *m.span("v")))
    for pattern in _PROSE_PASSWORD:
        for m in pattern.finditer(text):
            before = text[text.rfind("\n", 0, m.start("v")) + 1 : m.start("v")]
            if _prose_password(m.group("v")) and _not_a_permit_pass(before, m.group("v")):
                spans.append(("password-assignment", *m.span("v")))
    for m in _RELAY_CREDENTIAL.finditer(text):
        if _position_value(m.group("v")) or _password_value(m.group("v")):
            spans.append(("password-assignment", *m.span("v")))
    return spans


_VENDOR: Final = re.compile(rf"(?i)(?:\b|_)(?:{_KEY_VENDORS})")
# Credential words a vendor's line uses besides the shared vocabulary: Splunk's ``HEC``, Opsgenie's
# ``GenieKey``, PagerDuty's ``routing_key``/``integration_key``.
_VENDOR_CREDENTIAL: Final = re.compile(r"(?i)\bhec\b|geniekey|routing[_ ]key|integration[_ ]key")
# An alerting vendor's key names (PagerDuty Events API): a credential on a line that names the vendor
# or is an Events API call; a bare ``ROUTING_KEY`` is as often a message broker's, which is not.
_ALERT_KEY: Final = re.compile(
    r"(?i)[\"']?(?:routing_key|integration_key|service_key)[\"']?[ \t]*[:=][ \t]*[\"']?$"
)
# PagerDuty's integration (routing) keys are 32 hex digits: that shape after the key's name says so
# even where the vendor is named only on a parent line (``pagerduty:`` above ``routing_key: "…"``).
# A broker's routing key is a dotted topic (``orders.created``), never 32 hex.
_ALERT_KEY_SHAPE: Final = re.compile(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{32}|[0-9A-F]{32}")
_EVENTS_API: Final = re.compile(r"(?i)[\"']?(?:event_action|dedup_key)[\"']?[ \t]*[:=]")
# Keys that name a vendor's credential by themselves (Opsgenie).
_CREDENTIAL_KEY: Final = re.compile(
    r"(?i)[\"']?geniekey[\"']?[ \t]*[:=][ \t]*[\"']?$"
    # a setting named for a vendor's key or token (``OPSGENIE_KEY=``, ``splunkHecToken:``)
    # (not a KMS key, a public or publishable key, a cache or idempotency key: those are ids)
    r"|\b(?!\w*(?:kms|public|publishable|site|cache|partition|idempotency|sort|primary))"
    rf"\w*(?:{_KEY_VENDORS})\w*(?:key|token)[\"']?[ \t]*[:=][ \t]*[\"']?$"
)
# An Authorization header with a vendor's scheme (``Splunk``, ``GenieKey``, ``SSWS``, ``Token``).
_AUTH_SCHEME: Final = re.compile(
    r"(?i)(?:authorization[\"']?[ \t]*[:=][ \t]*[\"']?[A-Za-z][\w-]{1,20}|\bgeniekey|\bssws)[ \t]+$"
)
# A random value a vendor's line may hold: a UUID, 32+ hex, or a random run; URL-encoded bytes
# (``%3D``) inside it are part of it (Twitter's app-only bearer tokens are sent so).
_CANDIDATE: Final = re.compile(
    r"(?<![\w./@:#%-])[A-Za-z0-9](?:[A-Za-z0-9_\-]|%[0-9A-Fa-f]{2}){19,99}(?![\w/@%-])"
)


def _vendor_value(value: str) -> bool:
    if _placeholder_like(value) or len(set(value.replace("-", ""))) <= 3:
        return False
    if _UUID.fullmatch(value):
        return True
    return _random_run(value) or _random_run(value.replace("_", "").replace("-", ""))


# How much of the line before a candidate the end-anchored patterns below read. Each of them matches a
# name, a few separators and at most a short phrase right before the value; searching the whole line
# again for every candidate made a long line (a base64 image) cost candidates x length.
_TAIL_CHARS: Final = 1000


def _near_tail(line: str, end: int) -> str:
    """``line[:end]`` cut to its last ``_TAIL_CHARS`` characters, never inside a run of word characters
    or blanks (so a word boundary or a ``\\w*``/blank run the patterns read is never cut short)."""
    start = max(0, end - _TAIL_CHARS)
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_ \t"):
        start -= 1
    return line[start:end]


def _vendor_spans(text: str) -> list[tuple[str, int, int]]:
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        vendor = _VENDOR.search(line) is not None
        for m in _CANDIDATE.finditer(line):
            value, after = m.group(), line[m.end() :]
            if not _vendor_value(value):
                continue
            before = _near_tail(line, m.start())
            named = bool(_CREDENTIAL_KEY.search(before) or _AUTH_SCHEME.search(before)) or bool(
                _ALERT_KEY.search(before)
                and (vendor or _EVENTS_API.search(line) or _ALERT_KEY_SHAPE.fullmatch(value))
            )
            if vendor and not named:
                # the credential word right before the value (``Splunk HEC token `<uuid>```), or in a
                # comment right after it (``algoliasearch('APP', '<hex>')  // admin key``)
                named = bool(_NAMED_BEFORE.search(before)) or (
                    _NAMED_AFTER.match(after) is not None and _AN_ID.search(before) is None
                )
            if named:
                spans.append(("vendor-token", start + m.start(), start + m.end()))
    return spans


_CREDENTIAL_WORD: Final = (
    rf"(?:{_NAMES_CREDENTIAL.pattern.removeprefix('(?i)')}|{_VENDOR_CREDENTIAL.pattern.removeprefix('(?i)')})"
)
# Only punctuation, quotes or a copula between the credential word and the value.
_NAMED_BEFORE: Final = re.compile(
    rf"(?i)(?:{_CREDENTIAL_WORD})s?\b[ \t:=`'\"(\[]*(?:(?:is|was|are|now|still)\b[ \t:`'\"(]*)?$"
)
_NAMED_AFTER: Final = re.compile(
    rf"(?i)[`'\")\],;]{{0,3}}[ \t]*(?://|#|--|\()[ \t]*(?:the[ \t]+|an?[ \t]+)?"
    rf"(?![\w ]{{0,20}}\b(?:not|no|non)\b)[\w ]{{0,20}}?(?:{_CREDENTIAL_WORD})"
)
# A value named as an id just before it (``Azure tenant id <uuid> (not a secret)``).
_AN_ID: Final = re.compile(r"(?i)\b(?:ids?|uuid|guid)\b[ \t:=`'\"]*$")


# --- Basic credentials anywhere, star-led passwords -------------------------------------------------
# ``Basic <base64>`` whatever names it, and a docker config's ``"auth": "<base64>"``.
_BASIC: Final = re.compile(
    r"\bBasic[ \t]+(?P<v>[A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=.-])"
    r"|['\"]auth['\"][ \t]*:[ \t]*['\"](?P<d>[A-Za-z0-9+/]{12,}={0,2})['\"]"
)
# A star-led value of a setting named ``*_pass``/``*_pwd``/``*_auth`` (``admin_pass: *RUY#jG*!x…``).
_STAR_PASSWORD: Final = re.compile(
    r"(?im)^[ \t]*['\"]?[\w-]*_(?:pass|pwd|passwd|auth)['\"]?[ \t]*:[ \t]*['\"]?(?P<v>\*[^\s'\"]{9,})"
)


def _base64_credential(value: str) -> bool:
    """Base64 that is not a word: padding or a digit, and both cases; not a mask."""
    if _placeholder_like(value) or len(set(value.rstrip("="))) <= 4:
        return False
    cased = re.search(r"[a-z]", value) is not None and re.search(r"[A-Z]", value) is not None
    return cased and (value.endswith("=") or re.search(r"[0-9+/]", value) is not None)


def _star_password(value: str) -> bool:
    """``*`` and 9+ other characters; ``***`` is a mask and ``*default_pass`` a YAML alias."""
    rest = value[1:]
    if len(rest.replace("*", "")) < 9 or re.fullmatch(r"[A-Za-z_][\w.-]*", rest):
        return False
    return re.search(r"[A-Za-z]", rest) is not None and re.search(r"[\d\W_]", rest) is not None


def _basic_and_star_password_spans(text: str) -> list[tuple[str, int, int]]:
    spans = []
    for m in _BASIC.finditer(text):
        group = "v" if m.group("v") else "d"
        if _base64_credential(m.group(group)):
            spans.append(("basic-auth", *m.span(group)))
    for m in _STAR_PASSWORD.finditer(text):
        if _star_password(m.group("v")):
            spans.append(("password-assignment", *m.span("v")))
    return spans


def context_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of passwords told in prose, of vendor-named tokens and of ``Basic``
    credentials."""
    return _password_spans(text) + _vendor_spans(text) + _basic_and_star_password_spans(text)
