"""Redaction round 33 (tuned on test36's first reading): PINs and passwords after command-line flags
(``--pin``, ``--so-pin``, signtool's ``/p``), Persona's ``persona_production_``/``persona_sandbox_``
keys, a LiveKit ``keys:`` map (the key id names the secret), a Kubernetes Secret's data key printed
in base64 on the line after ``kubectl get secret … -o jsonpath='{.data.…}'``, and a uuid in a table
row that names a token. Look-alikes: KMS ciphertext, a B2 key id named in prose, ids a remark calls
ids and no secret, a search-only key, a glued record id after a bare ``pass`` cell, and ids beside
``token id``. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PIN = "Zq81TmvA0KxLe"
_PASSWORD = "fernLantern42Quay"
_UUID = "7c2e91d4-3a6b-4f08-9d15-e0b47a2c86f3"
_LIVEKIT = "Hx4Qm9Tz2Wc7Lr5Vb8Nd3Kp6Yj1Gs0Fa9Eu2Oi7Rt4"
_KMS = "AQICAHjK2mP9xQ4v7Lw1Rt8Yb3Nc6Zd0Fe5Gh2Ij9Kl4Mn7Op1Qr3St6Uv8Wx0Yz2Ab4Cd6Ef8Gh+/Ij1Kl3Mn5Op7Qr9S=="


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # PIN flags: an HSM's or a smart card's PIN, whatever its shape
        (f"$ pkcs11-tool --module /usr/lib/libsofthsm2.so --login --pin {_PIN} --list-objects", _PIN),
        (f"$ pkcs11-tool --init-pin --so-pin={_PIN} --new-pin 48213907", _PIN),
        ("$ pkcs11-tool --init-pin --so-pin=Zq81TmvA --new-pin 48213907", "48213907"),
        (f"softhsm2-util --init-token --slot 0 --label seal --pin '{_PIN}'", _PIN),
        # signtool's /p: the PFX file's password
        (f"signtool sign /f release.pfx /p {_PASSWORD} /fd sha256 App.exe", _PASSWORD),
        (f'signtool.exe sign /f "C:\\certs\\ev.pfx" /p "{_PASSWORD}" /tr http://ts.example', _PASSWORD),
        # Persona's keys carry the vendor's name before a uuid
        (f"PERSONA_API_KEY=persona_production_{_UUID}", f"persona_production_{_UUID}"),
        (f"idv:\n  vendor:\n    key: persona_sandbox_{_UUID}", f"persona_sandbox_{_UUID}"),
        # LiveKit's keys map: ``<key id>: <secret>``
        (f"keys:\n  APIk3Rv9Tq2Lm: {_LIVEKIT}", _LIVEKIT),
        (f'LIVEKIT_KEYS="APIw7Xc2Pn5Bq: {_LIVEKIT}"', _LIVEKIT),
        # a Secret's data key printed by kubectl, base64 without ``| base64 -d``, flags before ``get``
        (
            "$ kubectl -n seal get secret hsm -o jsonpath='{.data.pin}'\nWnE4MVRtdkEwS3hMZQ==",
            "WnE4MVRtdkEwS3hMZQ==",
        ),
        (
            "$ kubectl --context prod get secrets db -o jsonpath='{.data.password}'\n"
            "ZmVybkxhbnRlcm40MlF1YXk=",
            "ZmVybkxhbnRlcm40MlF1YXk=",
        ),
        # a uuid in a table row that names a token
        (f"| Postmark | server token (ADR-7) | {_UUID} |", _UUID),
        (f"| relay | API token | `{_UUID}` |", _UUID),
    ],
)
def test_round33_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # KMS ciphertext, printed by ``aws kms encrypt`` or held in ``CiphertextBlob``
        (f"$ aws kms encrypt --key-id alias/seal --plaintext fileb://pin.txt --output text\n{_KMS}", _KMS),
        (f'"CiphertextBlob": "{_KMS}"', _KMS),
        # the id half of a Backblaze B2 key named in prose; the application key is the secret
        ("B2 keyID 00417ac0e93b5d2f8c6a1e904 (the application key is in Vault)", "00417ac0e93b5d2f8c6a1e904"),
        # an id the line calls an id and no secret
        (f"integration key {_UUID} (a client id, not a secret)", _UUID),
        (f"| API key | {_UUID} | envelope template id, not a key |", _UUID),
        (f"| token id | {_UUID} | revoked |", _UUID),
        # a search-only key: made to ship to browsers
        ("ALGOLIA_SEARCH_ONLY_KEY=5be2c91f07ad34e6b8f1c0d29a7e4b63", "5be2c91f07ad34e6b8f1c0d29a7e4b63"),
        ('searchOnlyApiKey: "5be2c91f07ad34e6b8f1c0d29a7e4b63"', "5be2c91f07ad34e6b8f1c0d29a7e4b63"),
        # a glued record id after a bare ``pass`` cell
        ("| pass | KX204417 | identity check passed |", "KX204417"),
        # PIN flags that name no PIN value
        ("$ pkcs11-tool --login --pin $HSM_PIN --list-objects", "$HSM_PIN"),
        ("$ pkcs11-tool --login --pin <user-pin> --list-objects", "<user-pin>"),
        # signtool's other slash flags
        ("signtool sign /f release.pfx /fd sha256 /tr http://ts.example App.exe", "sha256"),
        # a Secret's data key that names no credential
        ("$ kubectl get secret tls -o jsonpath='{.data.username}'\nc2VhbC1hcHA=", "c2VhbC1hcHA="),
    ],
)
def test_round33_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    "text",
    [
        # a B2 key id in an assignment is still taken (a credentials file ships both halves)
        "B2_APPLICATION_KEY_ID=00417ac0e93b5d2f8c6a1e904",
        # a bare ``pass`` cell before a password-shaped value still names it
        "| pass | Xk9!mQ2#rT7v |",
        # a uuid in a table row whose remark does not call it an id
        f"| Consul | ACL token | {_UUID} |",
        # the Twilio account SID stays redacted, as decided in round 28, whatever the remark says
        "Twilio account SID AC3f9e0b7d21c64a58e9b0d7c3a1f4e268 (an id, not a secret)",
    ],
)
def test_round33_credentials_still_read(text: str) -> None:
    from kb.safety.redaction import find_secrets

    assert find_secrets(text), text
