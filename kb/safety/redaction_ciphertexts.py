"""Encrypted containers: ciphertext that only a key holder can open, kept whatever rule reads a piece.

A secret-shaped run inside one (40 base64 characters on an armoured line read as an AWS secret key, a
``"password": "…"`` field of an encrypted export) is ciphertext, not the secret:

* an age file in ASCII armour (``-----BEGIN AGE ENCRYPTED FILE-----`` to its ``END`` line) and an
  OpenPGP ``-----BEGIN PGP MESSAGE-----`` block (not a ``PGP SIGNED MESSAGE``: its text is clear);
* an Ansible Vault body: the ``$ANSIBLE_VAULT;1.x;AES256`` header and the hex lines under it;
* a Bitwarden encrypted string (``2.<iv>|<data>|<mac>``, types 0 to 6 of its ``EncString``), as an
  encrypted JSON export holds for every field;
* an OpenSSL or CryptoJS ``Salted__`` blob in base64 (``U2FsdGVkX1…``), as ``openssl enc -a`` writes it.

A private key block stays a secret (``ENCRYPTED PRIVATE KEY`` too: its passphrase is often beside it).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ciphertext_spans"]

_ARMOURED: Final = re.compile(
    r"-----BEGIN (?P<label>AGE ENCRYPTED FILE|PGP MESSAGE)-----[ \t]*\r?\n"
    r"(?:[ \t]*[A-Za-z][\w-]*:[ \t][^\n]*\n)*"  # armour headers (``Version: …``)
    r"(?:[ \t]*[A-Za-z0-9+/=]*[ \t]*\r?\n){0,4000}?"
    r"[ \t]*-----END (?P=label)-----"
)
_ANSIBLE_VAULT: Final = re.compile(
    r"\$ANSIBLE_VAULT;1\.[0-9];AES256(?:;[\w.\-]+)?[ \t]*(?:\r?\n[ \t]*[0-9a-f]{8,80}[ \t]*(?=\r?\n|$))*"
)
_BITWARDEN_ENC_STRING: Final = re.compile(
    r"(?<![\w.])[0-6]\.[A-Za-z0-9+/]{16,}={0,2}\|[A-Za-z0-9+/]{16,}={0,2}(?:\|[A-Za-z0-9+/]{16,}={0,2})?(?![\w|])"
)
# Cisco ASA/PIX ``username U password V encrypted|pbkdf2|nt-encrypted``: the keyword after the value
# says it is the hash the device stores, not a typed password (``password V`` alone stays a password)
_STORED_PASSWORD: Final = re.compile(
    r"(?i)\b(?:password|passwd)[ \t]+(?P<v>[^\s'\"]{4,128})[ \t]+(?:encrypted|pbkdf2|nt-encrypted)\b"
)
_OPENSSL_SALTED: Final = re.compile(r"(?<![A-Za-z0-9+/])U2FsdGVkX1[A-Za-z0-9+/]{20,}={0,2}(?![A-Za-z0-9+/])")


def ciphertext_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the encrypted containers this module knows."""
    spans: list[tuple[int, int]] = []
    if "-----BEGIN " in text:
        spans += [m.span() for m in _ARMOURED.finditer(text)]
    if "$ANSIBLE_VAULT" in text:
        spans += [m.span() for m in _ANSIBLE_VAULT.finditer(text)]
    if "|" in text:
        spans += [m.span() for m in _BITWARDEN_ENC_STRING.finditer(text)]
    if "crypt" in text or "pbkdf2" in text:
        spans += [m.span("v") for m in _STORED_PASSWORD.finditer(text)]
    if "U2FsdGVkX1" in text:
        spans += [m.span() for m in _OPENSSL_SALTED.finditer(text)]
    return spans
