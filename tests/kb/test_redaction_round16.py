"""Redaction round 16 (tuned on test19's misses): for each rule a positive and the look-alikes it must
keep, with fresh fake values (none is a planted row's). The rules aim at classes (any key block that is
not public, a relay's ``[host]:port user:password`` map, vendor key formats, national identity numbers
told by their own check digit and a word or a specific shape; a git revision range, a credential word
as a URL's password, Stripe's documentation keys, a four-part version after a product name, Stripe's
per-country test cards), so the positives are other members of each class than the row that showed
it. The next blind fold measures these rules."""

from __future__ import annotations

import pytest

from kb.safety.redaction import redact_text
from kb.safety.redaction_national import (
    aadhaar_ok,
    bsn_ok,
    cpf_ok,
    dni_ok,
    nir_ok,
    personnummer_ok,
    sin_ok,
)
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_STATIC_KEY = "3c6e21b1b34be0b01a33f2c87e7cb3a4\nd56f2a7b9c0f6a3e4e1fd6b86f2c7d95\n"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a key block that is not public, whatever its label
        (
            f"-----BEGIN OpenVPN Static key V1-----\n{_STATIC_KEY}-----END OpenVPN Static key V1-----",
            "3c6e21b1b34be0b01a33f2c87e7cb3a4",
        ),
        (
            f"key-direction 1\n<secret>\n-----BEGIN Static Secret key-----\n{_STATIC_KEY}",
            "d56f2a7b9c0f6a3e4e1fd6b86f2c7d95",
        ),
        # a relay's credential map (Postfix ``sasl_passwd``)
        ("[mail.relay-vendor.example]:2525 billing-bot:Rq7vXc2Lm9_tPw", "Rq7vXc2Lm9_tPw"),
        ("smtp.mailer.internal:587 ops@mailer.internal:Hv4#kT9zQw2m", "Hv4#kT9zQw2m"),
        # vendor key formats
        ("TC_SECRET_ID=AKIDNNrTxNHM0QAo9mNvXh3YZGF8Eo551V5X", "AKIDNNrTxNHM0QAo9mNvXh3YZGF8Eo551V5X"),
        ("license: NRALef1e77d918f4f04aafafa2c7d98c3818a941", "NRALef1e77d918f4f04aafafa2c7d98c3818a941"),
        (
            "b2 authorize-account 007bfd6a7d949a7fc936a55c7 K00481fL+nU4z5BXHqxlc9XAyaeW4pN",
            "007bfd6a7d949a7fc936a55c7",
        ),
        ("B2_KEY=K00481fL+nU4z5BXHqxlc9XAyaeW4pN", "K00481fL+nU4z5BXHqxlc9XAyaeW4pN"),
        # national ids named by a word, or in a specific shape, each passing its check
        ("the payroll sheet listed a BSN, 462842344, for the Utrecht contractor", "462842344"),
        ("medewerker_bsn: 462842344", "462842344"),
        ("employee;bsn;team\n7712;462842344;ops", "462842344"),
        ("| name | BSN |\n|---|---|\n| J. de Vries | 462842344 |", "462842344"),
        ("the form asked for a DNI: 54426992E", "54426992E"),
        ("copied 54426992E into the ticket", "54426992E"),
        ("contractor NIE Z3743482F on the badge request", "Z3743482F"),
        ("a customer's 421.767.060-56 was in the export", "421.767.060-56"),
        ("cpf=42176706056", "42176706056"),
        ("aadhaarNumber: 5763 3059 6666", "5763 3059 6666"),
        ("personnummer: 910415-9430", "910415-9430"),
        ("the numéro de sécurité sociale 2 84 01 94 286 797 84 leaked", "2 84 01 94 286 797 84"),
        ("a row held 1 61 01 16 417 043 94 in column F", "1 61 01 16 417 043 94"),
        ("insee_nir = 284019428679784", "284019428679784"),
        ("employee SIN: 266-272-913", "266-272-913"),
    ],
)
def test_round16_positives(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # public key blocks and certificates stay
        (
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGXk1a0BEAC9qZ3xWlR7uQp2b8e1Ff0\n",
            "mQINBGXk1a0BEAC9qZ3xWlR7uQp2b8e1Ff0",
        ),
        (
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEbXk1a0Qw8fRt3h\n",
            "MIIDdzCCAl+gAwIBAgIEbXk1a0Qw8fRt3h",
        ),
        # a relay map with a placeholder password, a host:port followed by an image tag
        ("[smtp.example.com]:587 username:password", "username:password"),
        ("registry.internal:5000 nginx:1.27.3", "nginx:1.27.3"),
        # a masked Tencent id
        ("TC_SECRET_ID=AKID****************", "AKID****************"),
        # national-id look-alikes: a word but a failed check, a check but no word, a bare 9 digits
        ("the BSN field held 710301608, which fails the 11-test", "710301608"),
        ("order 462842344 shipped on Tuesday", "462842344"),
        ("DNI 54426992T was mistyped (wrong letter)", "54426992T"),
        ("CPF 840.944.825-91 is not valid", "840.944.825-91"),
        # (an Aadhaar-named number spaced 4-4-4 is taken without the check: earlier folds label it)
        ("aadhaar_ref 422493867232 fails Verhoeff", "422493867232"),
        ("AWS account 576330596666 (prod)", "576330596666"),
        ("personnummer 521028-0266 has a bad check digit", "521028-0266"),
        ("invoice 910415-9430 was paid", "910415-9430"),
        ("SIN 293109048 fails Luhn", "293109048"),
        ("batch 266272913 finished", "266272913"),
        # a git revision range in ``git push`` output
        (
            "   a91c3e0..4f6b41e9babbc8829cb5345d82dbcebd55063bec  release -> release",
            "a91c3e0..4f6b41e9babbc8829cb5345d82dbcebd55063bec",
        ),
        # a credential word standing in for a URL's password
        ("REDIS_URL=rediss://default:pass@cache:6380/0", "rediss://default:pass@cache:6380/0"),
        ("nats://user:pwd@nats.internal:4222", "nats://user:pwd@nats.internal:4222"),
        # Stripe's documentation key
        (
            "curl https://api.stripe.com/v1/charges -u sk_test_BQokikJOvBiI2HlWgH4olfQ2:",
            "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ),
        # a four-part version after a product name or a version word
        ("we pinned ClickHouse 24.3.12.75 after the incident", "24.3.12.75"),
        ("upgraded to 24.8.4.13 on Friday", "24.8.4.13"),
        ("runs MongoDB 7.0.14.2 in the lab", "7.0.14.2"),
        # Stripe's per-country test card (Canada)
        ("the CA checkout test uses 4000001240000000", "4000001240000000"),
    ],
)
def test_round16_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_an_address_after_a_name_for_one_is_still_an_address() -> None:
    """A CamelCase word that names an address (``SourceIp``) does not make a version of the quad."""
    assert "[REDACTED:ipv4]" in redact_text("SourceIp 81.2.69.160 was blocked")
    assert "[REDACTED:ipv4]" in redact_text("the attacker at 81.2.69.160 retried")


def test_a_national_id_gets_its_typed_placeholder() -> None:
    assert redact_text("bsn: 462842344") == "bsn: [REDACTED:national-id]"


def test_the_checks_accept_and_refuse() -> None:
    assert bsn_ok("462842344") and not bsn_ok("710301608") and not bsn_ok("000000000")
    assert dni_ok("54426992E") and dni_ok("Z3743482F") and not dni_ok("54426992T")
    assert cpf_ok("421.767.060-56") and not cpf_ok("840.944.825-91") and not cpf_ok("111.111.111-11")
    assert (
        aadhaar_ok("5763 3059 6666") and not aadhaar_ok("4224 9386 7232") and not aadhaar_ok("1763 3059 6666")
    )
    assert personnummer_ok("910415-9430") and not personnummer_ok("521028-0266")
    assert nir_ok("2 84 01 94 286 797 84") and not nir_ok("2 84 01 94 286 797 85")
    assert sin_ok("266272913") and not sin_ok("293109048")
