"""Redaction round 11 (tuned on test14's misses): for each rule a positive and the look-alikes it must
keep, with fresh fake values (none is a planted row's). The rules aim at classes (any ``Authorization``
scheme, any private key block, CLI token arguments, credential nouns linked to a value), so the
positives here are other members of each class than the row that showed it. The next blind fold
measures these rules."""

from __future__ import annotations

import pytest

from kb.safety.redaction import redact_text
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PGP_BODY = "lQdGBGV4kq8BEAC7x2vN9mQ3pL8rT5wY1zK4hJ6fD0sA2gE7cB9nMvW3xQ2zL8kP"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a credential named apart from its value in a structured log or an env list
        (
            "level=info msg=loaded key=stripe_secret_key value=Rk7Lq2Xz9Mp4Nv8Bt3Yc6Hd1Jf",
            "Rk7Lq2Xz9Mp4Nv8Bt3Yc6Hd1Jf",
        ),
        (
            '{"name": "GITHUB_WEBHOOK_SECRET", "value": "b7e2c91f4a8d3e6f0a1b2c3d4e5f6a7b"}',
            "b7e2c91f4a8d3e6f0a1b2c3d4e5f6a7b",
        ),
        # a password alone in parentheses right after the password word
        ("the admin password (`Rivet#Spruce#77`) was in the ticket", "Rivet#Spruce#77"),
        ("the console password (tundra.kettle.lantern52) leaked", "tundra.kettle.lantern52"),
        # a password that starts with one ``*``
        ("REDIS_PASSWORD=*q9LmXz2Vb7Np4Rt", "*q9LmXz2Vb7Np4Rt"),
        # a literal piped into ``kubectl`` with global flags before ``create secret``
        (
            "printf '%s' 'h8Kq!2Lm9Xz' | kubectl --context prod -n web create secret generic db "
            "--from-file=pw=/dev/stdin",
            "h8Kq!2Lm9Xz",
        ),
        # phones with no phone word: a colon ends the sentence, a caller id, the fictional 555-01xx block
        ("WARN sms gateway rejected 07700 900418: quota", "07700 900418"),
        ("Caller ID 312-555-0143 matched the on-call rota", "312-555-0143"),
        ("escalated to 415-867-2093 after the page went unanswered", "415-867-2093"),
        # ``Authorization`` with any scheme
        ("Authorization: GenieKey Xk29fLqP0vB7tZr4mN8sW2yCq", "Xk29fLqP0vB7tZr4mN8sW2yCq"),
        (
            "curl -H 'Authorization: SSWS 01aBcD9eFgH7iJkL5mNoP3qRsT1uVwX-yZ2' https://x.internal",
            "01aBcD9eFgH7iJkL5mNoP3qRsT1uVwX-yZ2",
        ),
        # three-part bot tokens, a login call, CLI token arguments
        (
            "DISCORD_TOKEN in the log: NzQ1MjM4OTAxMjM0NTY3ODkw.X3kLmN.q8Rt5Vw2Yz7Bc4Fg1Hj6Kl9Mn0Pq3St",
            "NzQ1MjM4OTAxMjM0NTY3ODkw.X3kLmN.q8Rt5Vw2Yz7Bc4Fg1Hj6Kl9Mn0Pq3St",
        ),
        ('client.authenticate("h7Kq2Lm9Xz4Vb8Np3Rt6Yw1Cd")', "h7Kq2Lm9Xz4Vb8Np3Rt6Yw1Cd"),
        (
            "ngrok authtoken 2aB9cD8eF7gH6iJ5kL4mN3oP2_qR1sT0uV9wX8yZ7",
            "2aB9cD8eF7gH6iJ5kL4mN3oP2_qR1sT0uV9wX8yZ7",
        ),
        ("$ railway login --token rw_9Kf2Lq7Xz4Mp8Nv3Bt6Yc1Hd", "rw_9Kf2Lq7Xz4Mp8Nv3Bt6Yc1Hd"),
        ("mycli --api-key Qw8Er7Ty6Ui5Op4As3Df2Gh1 deploy", "Qw8Er7Ty6Ui5Op4As3Df2Gh1"),
        # credential nouns linked by ``contains``/``set to``: a password file, a community string, a PIN
        ("the vault password file contains: Orchid-Basalt-2291", "Orchid-Basalt-2291"),
        ("SNMP community string is TrKmqpWZbnAedLxyQ for the rack PDUs", "TrKmqpWZbnAedLxyQ"),
        ("the wifi passphrase set to Copper.Meadow.Lantern55", "Copper.Meadow.Lantern55"),
        ("the SIM PIN is 482913", "482913"),
        ("badge pin: 7391", "7391"),
    ],
)
def test_round11_redacts(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n"
            + _PGP_BODY
            + "\n=Ab3d\n-----END PGP PRIVATE KEY BLOCK-----",
            "-----BEGIN PGP",
        ),
        (
            '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "rsa"\n'
            + _PGP_BODY
            + "\n---- END SSH2 ENCRYPTED PRIVATE KEY ----",
            "BEGIN SSH2",
        ),
        (
            "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: ci\nPublic-Lines: 1\n"
            "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7\nPrivate-Lines: 1\nAAABAFq9r2Lk8vT3mX7zQ1wP4sN6yH0bJ5cF\n"
            "Private-Hash: 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
            "PuTTY-User-Key-File",
        ),
    ],
)
def test_round11_redacts_whole_key_blocks(text: str, value: str) -> None:
    """A private key block of any kind goes whole: headers, body, MAC; nothing of it is left."""
    out = redact_text(text)
    assert out.strip() == "[REDACTED:private-key]", out
    assert value not in out


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("IBAN: FR11 3000 4028 3719 4625 1809 362 (salary account)", "FR11 3000 4028 3719 4625 1809 362"),
        ("iban=NL17KNAB0738194625", "NL17KNAB0738194625"),
        ('{"iban": "GB14 QXTR 4071 8263 9504 17"}', "GB14 QXTR 4071 8263 9504 17"),
        ("card 4539 1488 0343 6467 was charged twice", "4539 1488 0343 6467"),
    ],
)
def test_round11_redacts_personal(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Authorization schemes whose value is not one token, placeholders, AWS signature scheme
        (
            'Authorization: Digest username="ops", realm="api", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
            "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        ),
        (
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3",
            "AWS4-HMAC-SHA256",
        ),
        # public keys stay
        ("-----BEGIN PUBLIC KEY-----\n" + _PGP_BODY + "\n-----END PUBLIC KEY-----", _PGP_BODY),
        # CLI and login calls with a variable, a file or a host
        ("ngrok config add-authtoken $NGROK_AUTHTOKEN", "$NGROK_AUTHTOKEN"),
        ("gh auth login --with-token < token.txt", "token.txt"),
        ("docker login registry.example.internal", "registry.example.internal"),
        ("client.login(process.env.DISCORD_TOKEN)", "process.env.DISCORD_TOKEN"),
        # dotted names that are not three-part tokens
        (
            "resolved api-7f9c8b6d5-x2k4q.web-prod.svc.cluster.local",
            "api-7f9c8b6d5-x2k4q.web-prod.svc.cluster.local",
        ),
        # key/value pairs that name no credential
        ("key=cache_key value=sess:4f2a9b", "sess:4f2a9b"),
        ('{"name": "LOG_LEVEL", "value": "debug"}', "debug"),
        # credential nouns with no value, parentheses holding a ticket or a word
        ("the community string is stored in Vault", "stored"),
        ("community edition: true", "true"),
        ("the password (see runbook) was rotated", "see"),
        ("SMTP credentials (OPS-2240) moved", "OPS-2240"),
        ("GPIO pin 1234 drives the relay", "1234"),
        ("atm pin 0000", "0000"),
        # masks, globs and schedules that start with ``*``
        ("cron: */15 * * * *", "*/15"),
        ("PASSWORD_MASK=*****", "*****"),
        ("DB_PASSWORD=*", "DB_PASSWORD=*"),
        # phone-shaped records: an order, a ticket line, a date, an amount
        ("Order 720-798-0258 shipped", "720-798-0258"),
        ("INC-2041: 503-798-0258 rows affected in batch", "503-798-0258"),
        ("INSERT INTO refunds (ref) VALUES ('415-798-0258');", "415-798-0258"),
        ("build 2026-11-04 deployed, version 10.4.2", "2026-11-04"),
        ("invoice total 1 234 567 890 EUR", "1 234 567 890"),
        # the payment processors' documented test cards
        ("test card 4000 0566 5566 5556 (Visa debit) in staging", "4000 0566 5566 5556"),
        ("use 5555 5555 5555 4444 for the Mastercard path", "5555 5555 5555 4444"),
        ("4242424242424242 always succeeds", "4242424242424242"),
        # pagination cursors
        ("next_token=eyJvZmZzZXQiOiAxMiwgImxpbWl0IjogNTB9", "eyJvZmZzZXQiOiAxMiwgImxpbWl0IjogNTB9"),
        ('"nextPageToken": "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA"', "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA"),
        ("continuation_token: Zk9xL2p3UXR5bU5hVmI4cQ", "Zk9xL2p3UXR5bU5hVmI4cQ"),
        # IBAN-shaped text that fails the mod-97 check or the country's length
        ("IBAN: FR12 3000 4028 3719 4625 1809 362", "FR12 3000 4028 3719 4625 1809 362"),
        ("region DE12 3456 7890 cluster", "DE12 3456 7890"),
        ("part no. AB12 CDEF 3456 7890 12", "AB12 CDEF 3456 7890 12"),
    ],
)
def test_round11_keeps(text: str, value: str) -> None:
    _kept(text, value)


def test_round11_names_still_decide() -> None:
    """The same values under a credential's name go; under a cursor's name they stay."""
    value = "Zk9xL2p3UXR5bU5hVmI4cQx7"
    _gone(f"session_token={value}", value)
    _kept(f"page_token={value}", value)
