"""Values that look like keys but are public by what their line says, kept wherever they stand.

* the public half of a vendor's key pair, named as such: a Supabase ``anon`` key (a JWT whose
  payload says ``"role":"anon"``, or one assigned to an ``…ANON_KEY``/``anonKey`` name that does not
  say ``service_role``), a Pusher app key (20 hex under a ``PUSHER…KEY`` name or as the first
  argument of ``new Pusher(…)``; ``PUSHER_APP_SECRET`` is the secret);
* a browser SDK's project token, made to ship in every page: ``mixpanel.init('<token>')``,
  ``amplitude.init(…)``/``amplitude.getInstance().init(…)``, ``heap.load(…)``, ``Mixpanel('<token>')``
  and a ``MIXPANEL_TOKEN``/``MIXPANEL_PROJECT_TOKEN`` setting (the API secret and the service
  account's secret are not kept);
* an OAuth client's identifier, named as such: a consumer key (Salesforce's connected app, OAuth 1's
  ``oauth_consumer_key``, Twitter's ``CONSUMER_KEY``) and a client id (``client_id``, ``clientId``);
  their ``…_SECRET`` siblings are the secret and stay redacted;
* a certificate or key fingerprint written as colon-separated hex pairs (MD5, SHA-1, SHA-256) after
  a word that names it (``SHA1 fingerprint of the upload key: A2:D4:…``);
* a value a comment after it on the same line calls a sample (``# docs sample``, ``// example``,
  ``<!-- placeholder -->``, ``# Mollie docs test key``) or a public half (``# OVH application key,
  public half``), unless the comment says it leaked, is real or is not public;
* a value a vendor's documentation is said, just before it, to print as its example (``Mollie docs
  example key test_…``, ``Mailgun docs show key-…``, ``the Stripe docs' sample key …``), unless the
  line says it leaked, is real or live, or that the docs are the team's own (``our docs``, a wiki);
* Scaleway's access key id under ``SCW_ACCESS_KEY`` and OVH's application key under
  ``application_key`` where OVH is named (their secret siblings stay redacted);
* a vendor prefix and a body of digits that count up (``re_123456789``, ``sk_test_1234567890``): a
  documentation placeholder, not an issued key.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
from typing import Final

from kb.safety.redaction_values import value_group

__all__ = ["public_half_spans"]

_JWT: Final = re.compile(
    r"(?<![\w.-])eyJ[A-Za-z0-9_-]{8,}\.(?P<payload>eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{8,}"
)
_ANON_NAME: Final = re.compile(r"(?i)anon[_.\-]?key['\"]?[ \t]*(?:=|:|=>)[ \t]*['\"]?$")


def _jwt_role(payload: str) -> str | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        return None
    role = data.get("role") if isinstance(data, dict) else None
    return role if isinstance(role, str) else None


def _anon_jwt_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _JWT.finditer(text):
        role = _jwt_role(m.group("payload"))
        line_start = text.rfind("\n", 0, m.start()) + 1
        named = _ANON_NAME.search(text, max(line_start, m.start() - 80), m.start()) is not None
        if role == "anon" or (named and role not in ("service_role", "supabase_admin")):
            spans.append(m.span())
    return spans


# Pusher's app key is 20 hex; its app id is digits and its secret is the other 20 hex
_PUSHER_KEY: Final = re.compile(
    r"(?i)(?:pusher(?![\w.\-]*secret)[\w.\-]*?[_.\-]?key['\"]?[ \t]*(?:=|:|=>)[ \t]*"
    r"|\bnew[ \t]+Pusher\([ \t]*)"
    r"['\"]?(?-i:(?P<v>[0-9a-f]{20}))(?![\w-])"
)
# A browser analytics SDK's project token: its init call, or the setting that holds it
_PROJECT_TOKEN: Final = re.compile(
    r"(?:\bmixpanel\.init|\bamplitude(?:\.getInstance\(\))?\.init|\bheap\.load|\bMixpanel)\([ \t]*"
    r"['\"](?P<v>[A-Za-z0-9]{6,40})['\"]"
    r"|(?i:\bmixpanel[_.\-]?(?:project[_.\-]?)?token)['\"]?[ \t]*(?:=|:|=>)[ \t]*['\"]?"
    r"(?P<v2>[0-9a-f]{32})(?![\w-])"
)
# An OAuth client's public identifier: ``sf.consumer.key=…``, ``oauth_consumer_key="…"``,
# ``consumerKey: '…'``, ``--consumer-key …``, ``client_id=…`` (not a name that goes on to ``secret``,
# nor ``client_id:SECRET`` glued, a user and password, nor a value glued to ``:``/``@``)
_CLIENT_IDENTIFIER: Final = re.compile(
    r"(?i)(?<![a-z])(?:oauth[_.\-]?)?(?:consumer[_.\-]?key|client[_.\-]?id)(?![\w.\-]*(?:secret|password|token))"
    r"(?:['\"]?[ \t]*=>?[ \t]*|['\"][ \t]*:[ \t]*|[ \t]*:[ \t]+|(?<=[a-z])[ \t]+(?=['\"]?[\w.]{16,}))"
    r"['\"]?(?P<v>[A-Za-z0-9][A-Za-z0-9_.\-]{5,200})(?![\w.\-:@/])"
)
# Colon-separated hex pairs (16, 20 or 32 of them) after a word that names a fingerprint
_FINGERPRINT_PAIRS: Final = re.compile(
    r"(?i)\b(?:fingerprint|thumbprint|sha-?1|sha-?256|md5)\b[^\n]{0,60}?"
    r"(?<![0-9A-Fa-f:])(?P<v>[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){15,31})(?![0-9A-Fa-f:])"
)
# A value, then a comment on the same line that calls it a sample. What the comment may not say:
# that the value leaked, is real, or is no sample.
_SAMPLE_COMMENT: Final = re.compile(
    r"(?i)(?:[ \t](?:#|//|--)|<!--|[ \t]\()[^\n]*?"
    r"(?:\b(?:docs?[ \t]+)?(?:samples?|examples?|placeholders?|dummy|fake)\b(?![.@\w-])"
    r"|\bdocs?[ \t]+test[ \t]+(?:keys?|tokens?)\b|\bpublic[ \t]+(?:half|part|identifier)\b)[^\n]*$"
)
_NOT_SAMPLE: Final = re.compile(
    r"(?i)\b(?:leak\w*|real|actual|compromis\w*|rotat\w*|revok\w*|production)\b"
    r"|\bnot[ \t]+(?:an?[ \t]+|the[ \t]+)?(?:docs?[ \t]+)?"
    r"(?:samples?|examples?|placeholders?|dummy|fake|public)"
)
# The public half of a key pair named by its setting: Scaleway's access key id (``SCW`` and 17
# capitals or digits; ``SCW_SECRET_KEY`` is the secret) and OVH's application key (its
# ``application_secret`` is the secret; Backblaze's ``B2_APPLICATION_KEY`` is a secret, so OVH must
# be named on the line or in the file)
_NAMED_PUBLIC_HALF: Final = re.compile(
    r"(?i)\bscw[_.\-]?access[_.\-]?key(?:[_.\-]?id)?['\"]?[ \t]*(?:=|:)[ \t]*['\"]?"
    r"(?-i:(?P<v>SCW[A-Z0-9]{17}))(?![\w-])"
)
_OVH_APPLICATION_KEY: Final = re.compile(
    r"(?i)(?<![\w])(?:ovh[_.\-]?)?application[_.\-]?key(?![\w.\-])['\"]?[ \t]*(?:=|:)[ \t]*['\"]?"
    r"(?P<v>[A-Za-z0-9]{8,40})(?![\w-])"
)
# A vendor's documentation named just before the value as showing it: ``docs example key V``,
# ``docs show V``, ``documentation's sample token: V``
_DOCS_LEAD: Final = re.compile(
    r"(?i)\b(?:docs?|documentation)(?:'s?)?[ \t]+"
    r"(?:(?:example|sample|test|demo)[ \t]+(?:api[ \t]+)?(?:keys?|tokens?|values?)|examples?|samples?"
    r"|shows?|uses?|prints?)[ \t]*:?[ \t]*[`'\"]?"
    r"(?P<v>[A-Za-z0-9][A-Za-z0-9_\-.+/=]{11,200})(?![\w\-.+/=])"
)
# The docs are the team's own (where a real key can leak), or the line says it is real
_NOT_VENDOR_DOCS: Final = re.compile(
    r"(?i)\b(?:our|internal|team|runbook|wiki|confluence|notion|leak\w*|real|actual|compromis\w*|rotat\w*"
    r"|revok\w*|production|live)\b"
)
_VALUE_BEFORE: Final = re.compile(r"(?:=|:|=>)[ \t]*['\"]?(?P<v>[^\s'\"#]{6,})['\"]?[ \t]*$")
_PREFIXED: Final = re.compile(
    r"(?<![\w-])(?:[A-Za-z][A-Za-z0-9]{0,11}[_\-.]){1,3}(?P<body>[0-9]{8,10})(?![\w-])"
)


def _counts_up(body: str) -> bool:
    """``12345678``, ``0123456789``, ``1234567890``: each digit the one after the last (``9`` to ``0``)."""
    return all(int(b) == (int(a) + 1) % 10 for a, b in itertools.pairwise(body))


def _sample_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        comment = _SAMPLE_COMMENT.search(line)
        if comment is not None and _NOT_SAMPLE.search(comment.group()) is None:
            value = _VALUE_BEFORE.search(line, 0, comment.start())
            if value is not None:
                spans.append((offset + value.start("v"), offset + value.end("v")))
        offset += len(line) + 1
    return spans


def _docs_example_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _DOCS_LEAD.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if _NOT_VENDOR_DOCS.search(line) is None:
            spans.append(m.span("v"))
    return spans


def _ovh_consumer_key(m: re.Match[str]) -> bool:
    """OVH's ``consumer_key`` (32 mixed-case letters and digits) is the user's token, a secret; an
    OAuth client's consumer key has other shapes (Salesforce ``3MVG9…``, Twitter's 25, Magento's
    lower-case 32)."""
    value = m.group("v")
    return (
        m.group().lower().startswith("consumer")
        and re.fullmatch(r"(?=[^A-Z]*[A-Z])(?=[^a-z]*[a-z])(?=\D*\d)[A-Za-z0-9]{32}", value) is not None
    )


def public_half_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the public values this module reads (kept, whatever rule reads them)."""
    spans: list[tuple[int, int]] = []
    if "eyJ" in text:
        spans += _anon_jwt_spans(text)
    lowered = text.lower()
    if "pusher" in lowered:
        spans += [m.span("v") for m in _PUSHER_KEY.finditer(text)]
    if "mixpanel" in lowered or "amplitude" in lowered or "heap.load" in lowered:
        for m in _PROJECT_TOKEN.finditer(text):
            spans.append(m.span(value_group(m)))
    if re.search(r"(?i)consumer[_.\-]?key|client[_.\-]?id", text):
        spans += [m.span("v") for m in _CLIENT_IDENTIFIER.finditer(text) if not _ovh_consumer_key(m)]
    if ":" in text and re.search(r"(?i)fingerprint|thumbprint|sha-?1|sha-?256|md5", text):
        spans += [m.span("v") for m in _FINGERPRINT_PAIRS.finditer(text)]
    if re.search(
        r"(?i)sample|example|placeholder|dummy|fake|docs?[ \t]+test|public[ \t]+(?:half|part|id)", text
    ):
        spans += _sample_spans(text)
    if "doc" in lowered:
        spans += _docs_example_spans(text)
    if "scw" in lowered:
        spans += [m.span("v") for m in _NAMED_PUBLIC_HALF.finditer(text)]
    if "ovh" in lowered:
        spans += [m.span("v") for m in _OVH_APPLICATION_KEY.finditer(text)]
    spans += [m.span() for m in _PREFIXED.finditer(text) if _counts_up(m.group("body"))]
    return spans
