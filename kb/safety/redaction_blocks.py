"""Credentials named by where they sit rather than by their own name.

* A HashiCorp gossip key: Consul's and Nomad's ``encrypt = "<base64>"`` (HCL), ``"encrypt": "…"``
  (JSON) or ``-encrypt=…`` (the agent's flag). ``encrypt`` alone says nothing, so the value must be
  what ``consul keygen``/``nomad operator gossip keyring generate`` print: base64 of 16, 24 or 32
  random bytes.
* A token under a block named for tokens: Consul's ``acl { tokens { initial_management = "<uuid>" } }``
  (HCL or JSON). A UUID is normally an id; here the block names it a token, whatever the child is
  called (``initial_management``, ``agent``, ``default``, ``replication``).
* A CSV/TSV/semicolon export whose header names a credential column (``portal_password``,
  ``api_token``): the cell in that column of each row below is the credential.

:class:`~kb.safety.redaction.RedactionPolicy` asks :func:`block_credential_spans` for these spans.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Final

from kb.safety.redaction_names import (
    _ABOUT_A_CREDENTIAL,
    _KEY_QUALIFIERS,
    _PASSWORD_LIKE,
    _decodes_to_text,
    _secret_in_context,
)
from kb.safety.redaction_values import _entropy, _placeholder_like, _token, _uuid_secret, _vendor_style_token

# --- gossip encryption keys ------------------------------------------------------------------------

_GOSSIP_KEY: Final = re.compile(
    r"(?:(?<![\w.\-])(?P<q>['\"]?)encrypt(?P=q)[ \t]*[=:][ \t]*|(?<![\w-])-{1,2}encrypt(?:=|[ \t]+))"
    r"(?P<vq>['\"]?)(?P<v>[A-Za-z0-9+/]{22,44}={0,2})(?P=vq)(?![\w+/=])"
)


def _gossip_key(value: str) -> bool:
    """Base64 of 16, 24 or 32 random bytes (an AES key), not of text."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(raw) in (16, 24, 32) and not _decodes_to_text(value) and _entropy(value) >= 3.5


# --- blocks named for tokens ---------------------------------------------------------------------

# ``tokens {`` / ``tokens = {`` (HCL) or ``"tokens": {`` (JSON), then the block's body up to its
# closing brace (tokens blocks hold no nested blocks).
_TOKENS_BLOCK: Final = re.compile(
    r"(?<![\w.\-])(?P<q>['\"]?)(?:acl_)?tokens(?P=q)[ \t]*(?:[=:][ \t]*)?\{(?P<body>[^{}]{0,2000})\}?"
)
_BLOCK_PAIR: Final = re.compile(
    r"(?P<nq>['\"]?)(?P<name>[A-Za-z_][\w\-]{0,63})(?P=nq)[ \t]*[=:][ \t]*"
    r"(?P<q>['\"])(?P<v>[^'\"\s]{8,200})(?P=q)"
)
_NAME_ABOUT_ONE: Final = re.compile(rf"(?i)(?:^|[_\-])(?:{_ABOUT_A_CREDENTIAL}|enabled|policy)$")


def _token_block_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for block in _TOKENS_BLOCK.finditer(text):
        for pair in _BLOCK_PAIR.finditer(text, block.start("body"), block.end("body")):
            value = pair.group("v")
            if _NAME_ABOUT_ONE.search(pair.group("name")):
                continue
            # a token's shapes only, not a password's: design-token files have ``tokens`` blocks too
            # (``"color-primary": "#1a73e8ff"``)
            if _uuid_secret(value) or _token(value) or _vendor_style_token(value):
                spans.append(("generic-secret", *pair.span("v")))
    return spans


# --- credential columns of delimited exports ------------------------------------------------------

# A header cell: a short name (``portal_password``, ``Customer ID``, ``"email"``), never a sentence.
_HEADER_CELL: Final = re.compile(r"[ \t]*(?P<q>['\"]?)[A-Za-z_][\w .\-]{0,40}(?P=q)[ \t]*")
# The column's name, split at ``_``/``-``/spaces/camelCase, names a credential in its own words
# (``portal_password``, ``apiToken``, ``client secret``), not about one (``password_hash``,
# ``token_count``) and not a word that only starts like one (``passenger``, ``tokenizer``).
_CREDENTIAL_COLUMN: Final = re.compile(
    rf"(?i)(?:^|[_\- ])(?:{_PASSWORD_LIKE}|secret|token|credential|(?:{_KEY_QUALIFIERS})[_\- ]?key|apikey)$"
)
# a word after the credential's that still says it is the value (``password_plain``, ``token_value``)
_CLEAR_WORD: Final = re.compile(r"[_\- ](?:plain(?:text)?|clear(?:text)?|value|raw|new|old|temp|initial)$")


def _column_names_credential(name: str) -> bool:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip().strip("'\"")).lower()
    return _CREDENTIAL_COLUMN.search(_CLEAR_WORD.sub("", words)) is not None


def _header_columns(line: str) -> tuple[str, set[int], int]:
    """(delimiter, credential columns, column count) of a header line, or ("", set(), 0)."""
    for delimiter in ("\t", ";", ","):
        cells = line.split(delimiter)
        if len(cells) < 2 or not all(_HEADER_CELL.fullmatch(c) for c in cells):
            continue
        columns = {j for j, cell in enumerate(cells) if _column_names_credential(cell)}
        return (delimiter, columns, len(cells)) if columns else ("", set(), 0)
    return "", set(), 0


def _delimited_credential_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    delimiter, columns, width = "", set[int](), 0
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        body = line.rstrip("\r")
        if delimiter and body.count(delimiter) == width - 1:
            position = start
            for j, cell in enumerate(body.split(delimiter)):
                value = cell.strip().strip("'\"")
                if j in columns and value and not _placeholder_like(value) and _secret_in_context(value):
                    s = position + cell.index(value)
                    spans.append(("password-assignment", s, s + len(value)))
                position += len(cell) + len(delimiter)
            continue
        delimiter, columns, width = _header_columns(body)
    return spans


def block_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of gossip keys, tokens in a ``tokens`` block and credential CSV cells."""
    spans: list[tuple[str, int, int]] = []
    if "encrypt" in text:
        spans += [
            ("generic-secret", *m.span("v")) for m in _GOSSIP_KEY.finditer(text) if _gossip_key(m.group("v"))
        ]
    if "tokens" in text:
        spans += _token_block_spans(text)
    if "," in text or ";" in text or "\t" in text:
        spans += _delimited_credential_spans(text)
    return spans
