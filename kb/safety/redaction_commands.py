"""Secrets that command lines take by flags of their own, and what a command line or a remark says is
not one.

* A PIN flag (``pkcs11-tool --login --pin <pin>``, ``--so-pin``, ``--new-pin``): an HSM or smart
  card's PIN unlocks its keys as a password does; the flag names nothing else.
* ``signtool sign /f cert.pfx /p <password>``: Windows tools take flags with ``/``; signtool's ``/p``
  is the PFX file's password.
* The CLIs whose short ``-t`` is their API token (``--token``/``--access-token`` long): InfluxDB's
  ``influx``, ``codecov``/``codecovcli``, DigitalOcean's ``doctl`` and ``flyctl``. Elsewhere ``-t``
  is a tag, a tty, a type or a target (Concourse's ``fly -t ci``), so only these tools are read.
* Vendor keys that carry their vendor's name: Persona's ``persona_production_<uuid>`` and
  ``persona_sandbox_<uuid>`` (a uuid alone is an id almost everywhere; the prefix says it is a key).
* A LiveKit ``keys:`` map (``APIxxxxxxxx: <secret>``): the API key id is the map's key and the secret
  its value, so no name before the value says "secret".

Kept (:func:`command_public_spans`): AWS KMS ciphertext (``AQICAH…``, what ``aws kms encrypt`` prints
and ``CiphertextBlob`` holds: encrypted under a key that never leaves KMS), Windows DPAPI blobs (hex
or base64: encrypted under a machine or user key that never leaves the host), a Backblaze B2 key id
named as such in prose (``B2 keyID 005…``: the id half; the application key ``K005…`` is the secret),
and an id the line itself calls an id and not a secret (``integration key <uuid> (a client id, not a
secret)``, ``| API key | <uuid> | envelope template id, not a key |``), and a password the sentence
says is not a real one (``the joke password hunter2``, ``…, never a real one``).
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_rules import Rule, _rule
from kb.safety.redaction_values import _placeholder_like, _random_run, _token, value_group

__all__ = ["command_public_spans", "command_rules"]

_UUID_BODY: Final = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _pin_value(value: str) -> bool:
    """A PIN as typed: not a placeholder, a variable or the next flag."""
    return not _placeholder_like(value) and not value.startswith(("$", "%", "-", "<", "{"))


def _livekit_secret(value: str) -> bool:
    return _random_run(value) and all(re.search(p, value) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))


def command_rules() -> list[Rule]:
    return [
        # ``pkcs11-tool --login --pin 1234abcd``, ``--so-pin=…``, ``softhsm2-util --pin …``
        _rule(
            "password-assignment",
            r"(?i)(?:^|\s)--(?:so-|user-|new-|old-)?pin(?:=|[ \t]+)(?P<q>['\"]?)(?P<v>[^\s'\"`]{4,64})(?P=q)"
            r"(?=\s|$)",
            _pin_value,
            hints=("-pin",),
        ),
        # ``signtool sign /f cert.pfx /p <password> …``: the PFX password
        _rule(
            "password-assignment",
            r"(?i)\bsigntool(?:\.exe)?\b[^\n]*?[ \t]/p[ \t]+"
            r"(?:\"(?P<v>[^\"\n]{4,64})\"|(?P<v2>[^\s\"/][^\s\"]{3,63}))(?=\s|$)",
            _pin_value,
            hints=("signtool",),
        ),
        # ``influx write -b B -o O -t <token>``, ``codecov -t <token>``, ``doctl -t <token>``
        _rule(
            "generic-api-key",
            r"(?i)(?<![\w.\-])(?:influx|codecov(?:cli)?|doctl|flyctl)(?:\.exe)?\b[^\n|;&]*?[ \t](?-i:-t)"
            r"(?:=|[ \t]+)(?P<q>['\"]?)(?P<v>[A-Za-z0-9_\-.+/=]{16,256})(?P=q)(?=\s|$)",
            lambda v: not _placeholder_like(v) and (_token(v) or _random_run(v)),
            hints=("influx", "codecov", "doctl", "flyctl"),
        ),
        _rule(
            "persona-key",
            rf"(?<![\w-])persona_(?:production|sandbox)_{_UUID_BODY}(?![\w-])",
            hints=("persona_",),
        ),
        # LiveKit's ``keys:`` map (its server config and ``LIVEKIT_KEYS="APIxxxx: secret"``)
        _rule(
            "livekit-secret",
            r"(?<![\w-])['\"]?API[A-Za-z0-9]{8,16}['\"]?[ \t]*:[ \t]*['\"]?"
            r"(?P<v>[A-Za-z0-9]{32,64})(?![\w+/=-])",
            _livekit_secret,
            hints=("api",),
        ),
    ]


# KMS ciphertext: a base64 blob whose header is KMS's (version 1, then the key's ARN length)
_KMS_CIPHERTEXT: Final = re.compile(r"(?<![A-Za-z0-9+/])AQI[BC]AH[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])")
# A Windows DPAPI blob (``"EncryptedPassword"=hex:01000000d08c9ddf…``, PowerShell's
# ``ConvertFrom-SecureString`` output, ``AQAAANCMnd8BFdERjHoAwE/Cl+s…`` in base64): its header is DPAPI's
# version and provider GUID; the rest is encrypted under the machine's or the user's key
_DPAPI_BLOB: Final = re.compile(
    r"(?i)(?<![0-9a-f])01000000d08c9ddf0115d1118c7a00c04fc297eb[0-9a-f]{16,}(?![0-9a-f])"
    r"|(?<![A-Za-z0-9+/])AQAAANCMnd8BFdERjHoAwE/Cl\+s[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])"
)
# ``B2 keyID 0050…``, ``the key ID 0050…``: a Backblaze application key's id named in prose (no ``=``)
_B2_KEY_ID_IN_PROSE: Final = re.compile(
    r"(?i)\b(?:b2|backblaze)\b[^\n=:]{0,40}?\bkey[ _-]?id[ \t]+(?P<v>00[0-9a-f]{23})(?![0-9a-z])"
)
# A remark after the value that calls it an id and says it is no secret: ``(a client id, not a secret)``
_ID_NOT_SECRET: Final = re.compile(
    r"(?i)\bid\b[,;:]?[ \t]*(?:—|-|and)?[ \t]*not[ \t]+(?:an?[ \t]+)?"
    r"(?:secret|key|token|password|credential)s?\b"
)
# (a uuid or lower-case hex: a vendor's prefixed id, the Twilio account SID ``AC…``, stays redacted, as
# decided in round 28)
_ID_VALUE: Final = re.compile(
    rf"(?<![\w-])(?:{_UUID_BODY}|[0-9A-F]{{8}}(?:-[0-9A-F]{{4}}){{3}}-[0-9A-F]{{12}}|[0-9a-f]{{16,64}})(?![\w-])"
)

# A password the sentence itself says is not a real one: named so (``the joke password hunter2``,
# ``a dummy passphrase is …``) or followed by the remark (``hunter2, never a real one``).
_NOT_REAL_QUALIFIER: Final = r"joke|fake|dummy|made[ -]up|bogus|fictional"
_PASSWORD_WORD: Final = r"(?:pass(?:word|wd|phrase)?|pw)s?"
_NOT_REAL_PASSWORD: Final = re.compile(
    rf"(?i)\b(?:{_NOT_REAL_QUALIFIER})[ \t]+{_PASSWORD_WORD}[ \t]+(?:(?:is|was)[ \t]+)?"
    r"[`'\"]?(?P<v>[^\s`'\",;]+)"
    rf"|\b{_PASSWORD_WORD}[ \t]+(?:(?:is|was)[ \t]+)?[`'\"]?(?P<v2>[^\s`'\",;]+?)[`'\"]?"
    r"[,;]?[ \t]*[(—-]?[ \t]*(?:(?:it[ \t]+)?(?:is|was)[ \t]+|it's[ \t]+)?"
    r"(?:never|not)[ \t]+a[ \t]+real[ \t]+(?:one|password|passphrase)\b"
)


def command_public_spans(text: str) -> list[tuple[int, int]]:
    """KMS ciphertext, DPAPI blobs, B2 key ids named in prose and ids the line calls ids: kept whole."""
    spans: list[tuple[int, int]] = []
    if "AQI" in text:
        spans.extend(m.span() for m in _KMS_CIPHERTEXT.finditer(text))
    if "d08c9ddf" in text.lower() or "AQAAANCMnd8" in text:
        spans.extend(m.span() for m in _DPAPI_BLOB.finditer(text))
    lowered = text.lower()
    if "b2" in lowered or "backblaze" in lowered:
        spans.extend(m.span("v") for m in _B2_KEY_ID_IN_PROSE.finditer(text))
    if "not" in lowered:
        for remark in _ID_NOT_SECRET.finditer(text):
            line_start = text.rfind("\n", 0, remark.start()) + 1
            spans.extend(m.span() for m in _ID_VALUE.finditer(text, line_start, remark.start()))
    if any(word in lowered for word in ("real", "joke", "fake", "dummy", "made", "bogus", "fictional")):
        spans.extend(m.span(value_group(m)) for m in _NOT_REAL_PASSWORD.finditer(text))
    return spans
