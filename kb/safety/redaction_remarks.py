"""Values a remark on their own line says are public, kept wherever they stand.

* A key a comment after it says was copied from a vendor's documentation (``<iframe
  src="…?key=AIza…&q=…"> <!-- key copied from the Maps Embed docs -->``), the value being the
  ``key=``/``token=`` parameter or the assignment before the comment; unless the comment says the
  docs are the team's own (``our``, a wiki, a runbook) or the key leaked, is real, live or rotated.
* A value followed at once by a remark that calls it public or a recipient: ``<uuid> (public client
  id)``, ``<key> (recipient, not the app token)``, ``<id> — not a secret``; unless the remark says it
  leaked or is real. Twilio SIDs stay redacted whatever a remark says (decided in round 28).
* Two vendors' public identifiers named as such: a Pushover user or group key (it names who receives
  a message; the application token sends it) and a DocuSign integration key (the OAuth client id; the
  secret key and the RSA key are the secrets).
* A client-side key a remark says ships to clients: a comment ending the line (``// client-side
  token``, ``// Nets checkout key, public``, ``// PubNub subscribe key, in the app``) keeps the last
  ``…key``/``…token`` value before it; a bracket right after a value (``<key> (in the app, not the
  master secret)``) keeps that value. Not when the remark says it leaked, was exposed, is private or
  must never ship, nor when "public" only qualifies another word (``# for the public API``).
* References and stored forms: a TeamCity ``credentialsJSON:<uuid>`` token (a pointer into
  TeamCity's credential store) and a value the command itself marks encrypted (NetScaler ``-password
  V -encrypted -encryptmethod ENCMTHD_3``).
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import UUID_PATTERN

__all__ = ["remark_public_spans"]

_COPIED_FROM_DOCS: Final = re.compile(
    r"(?i)(?:<!--|[ \t](?:#|//|--)|[ \t]\()[^\n]*?\b(?:copied|taken|lifted|pasted|borrowed|straight"
    r"|verbatim)[ \t]+(?:[\w'.\-]+[ \t]+){0,2}?from[ \t]+(?:the[ \t]+|a[ \t]+)?(?:[\w'.\-]+[ \t]+){0,4}?"
    r"(?:docs?|documentation|quick[ \t-]?start|tutorial|api[ \t]+reference|getting[ \t]+started)\b[^\n]*"
)
_NOT_VENDOR_DOCS: Final = re.compile(
    r"(?i)\b(?:our|internal|team|runbook|wiki|confluence|notion|leak\w*|real|actual|compromis\w*|rotat\w*"
    r"|revok\w*|production|live)\b"
)
_NAMED_KEY_BEFORE: Final = re.compile(
    r"(?i)(?:[?&;]|\b)[\w.\-]*(?:key|token)['\"]?[ \t]*(?:=|:)[ \t]*['\"]?(?P<v>[A-Za-z0-9_\-.]{12,200})"
)
# A remark right after the value (in brackets, after a dash or a comment mark) that calls it public
_PUBLIC_REMARK: Final = re.compile(
    r"(?i)(?<![\w\-])(?P<v>[A-Za-z0-9][A-Za-z0-9_\-]{11,127})[`'\"]?[ \t]*(?:\(|—|–|--?[ \t]|#|//)[ \t]*"
    r"(?:(?:it's|it[ \t]+is|this[ \t]+is|an?|the)[ \t]+)?"
    r"(?P<remark>public(?:[ \t]+[\w-]+){0,2}?[ \t]+(?:id|identifier|key)\b|publishable\b"
    r"|recipient(?:[ \t]+(?:key|id))?[ \t]*[,;)]"
    r"|not[ \t]+(?:an?[ \t]+)?secret\b)[^\n]*"
)
_NOT_PUBLIC: Final = re.compile(
    r"(?i)\b(?:leak\w*|real|actual|compromis\w*|exposed|pasted|not[ \t]+(?:really[ \t]+)?public|private)\b"
)
_TWILIO_SID: Final = re.compile(r"(?:AC|SK)[0-9a-fA-F]{32}")
_NAMED_PUBLIC_ID: Final = re.compile(
    r"(?i)\bpushover\b[^\n]{0,40}?\b(?:user|group)[ \t_-]?key\b[^\n\w]{0,4}(?:is[ \t]+)?['\"`]?"
    r"(?P<v>[a-z0-9]{30})(?![\w-])"
    r"|\bpushover[_.\-]?(?:user|group)(?:[_.\-]?key)?['\"]?[ \t]*(?:=|:)[ \t]*['\"]?"
    r"(?P<v2>[a-z0-9]{30})(?![\w-])"
    r"|\bdocusign\b[^\n]{0,40}?\bintegrat(?:ion|or)[ \t_-]?key\b[^\n\w]{0,4}(?:is[ \t]+)?['\"`]?"
    rf"(?P<v3>{UUID_PATTERN})(?![\w-])"
    r"|\bdocusign[_.\-]?integrat(?:ion|or)[_.\-]?key['\"]?[ \t]*(?:=|:)[ \t]*['\"]?"
    rf"(?P<v4>{UUID_PATTERN})(?![\w-])"
)

# What a remark says of a key meant for clients; "public" counts as the remark's own predicate only
_SHIPS_TO_CLIENTS: Final = re.compile(
    r"(?i)\bclient[ \t-]?side\b|\bpublishable\b"
    r"|(?:^|[,;:—–-])[ \t]*(?:it'?s[ \t]+|is[ \t]+)?public[ \t]*(?:$|[,;.)])"
    r"|\bin[ \t]+the[ \t]+(?:mobile[ \t]+|web[ \t]+|ios[ \t]+|android[ \t]+)?app[ \t]*(?:$|[,;.)])"
    r"|\b(?:ships?|shipped|bundled)[ \t]+(?:in|with|to)[ \t]+(?:the[ \t]+)?"
    r"(?:browser|client|app|front[ \t-]?end)s?\b"
)
_NOT_FOR_CLIENTS: Final = re.compile(
    r"(?i)\b(?:leak\w*|real|actual|compromis\w*|exposed|pasted|private|never|must[ \t]+not|should[ \t]+not"
    r"|do(?:n't|[ \t]+not)|rotat\w*|revok\w*|was|been|server[ \t-]?side|secret|not[ \t]+public)\b"
)
# "not the master secret" says which value this is not
_NOT_THE_SECRET: Final = re.compile(
    r"(?i)\bnot[ \t]+(?:the[ \t]+|a[ \t]+|an[ \t]+)?(?:[\w-]+[ \t]+){0,2}secret\b"
)
_LINE_COMMENT: Final = re.compile(r"(?m)(?:[ \t](?://|#|/\*)|<!--)[ \t]*(?P<c>[^\n]*)$")
_BRACKET_REMARK: Final = re.compile(
    r"(?<![\w\-])(?P<v>[A-Za-z0-9][A-Za-z0-9_\-]{11,127})[`'\"]?[ \t]*\((?P<c>[^()\n]{3,120})\)"
)
_CREDENTIALS_REFERENCE: Final = re.compile(r"\bcredentialsJSON:" + UUID_PATTERN + r"(?![\w\-])")
_MARKED_ENCRYPTED: Final = re.compile(r"(?<![\w\-])(?P<v>[A-Za-z0-9+/=_\-]{16,512})[ \t]+-encrypted\b")


def _for_clients(remark: str) -> bool:
    return _SHIPS_TO_CLIENTS.search(remark) is not None and not _NOT_FOR_CLIENTS.search(
        _NOT_THE_SECRET.sub(" ", remark)
    )


def _client_side_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for comment in _LINE_COMMENT.finditer(text):
        if not _for_clients(comment.group("c")):
            continue
        line_start = text.rfind("\n", 0, comment.start()) + 1
        named = list(_NAMED_KEY_BEFORE.finditer(text, line_start, comment.start()))
        if named:
            spans.append(named[-1].span("v"))
    spans += [m.span("v") for m in _BRACKET_REMARK.finditer(text) if _for_clients(m.group("c"))]
    return [(s, e) for s, e in spans if not _TWILIO_SID.fullmatch(text[s:e])]


def _copied_from_docs_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for comment in _COPIED_FROM_DOCS.finditer(text):
        if _NOT_VENDOR_DOCS.search(comment.group()):
            continue
        line_start = text.rfind("\n", 0, comment.start()) + 1
        named = list(_NAMED_KEY_BEFORE.finditer(text, line_start, comment.start()))
        if named:
            spans.append(named[-1].span("v"))
    return spans


def remark_public_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the public values this module reads (kept, whatever rule reads them)."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    if "doc" in lowered:
        spans += _copied_from_docs_spans(text)
    if "public" in lowered or "recipient" in lowered or "secret" in lowered:
        spans += [
            m.span("v")
            for m in _PUBLIC_REMARK.finditer(text)
            if not _NOT_PUBLIC.search(text, m.start("remark"), m.end())
            and not _TWILIO_SID.fullmatch(m.group("v"))
        ]
    if "public" in lowered or "client" in lowered or "app" in lowered or "ship" in lowered:
        spans += _client_side_spans(text)
    if "credentialsJSON:" in text:
        spans += [m.span() for m in _CREDENTIALS_REFERENCE.finditer(text)]
    if "-encrypted" in text:
        spans += [m.span("v") for m in _MARKED_ENCRYPTED.finditer(text)]
    if "pushover" in lowered or "docusign" in lowered:
        for m in _NAMED_PUBLIC_ID.finditer(text):
            group = next(g for g in ("v", "v2", "v3", "v4") if m.start(g) >= 0)
            spans.append(m.span(group))
    from kb.safety.redaction_split_values import split_public_spans

    return spans + split_public_spans(text)  # and git-annex keys, RFC 7617's example
