"""Redaction round 53 (tuned on the first readings of test64 and test65): passwords told in prose,
chat and exports (a chat question answered on the next line under ``[channel hh:mm] nick:``, ``root is
PW until``, ``logs in with USER:PW``, ``sign in … as USER with PW``, a password quoted in an error,
pgbouncer's auth_file pair after a lead, a password manager's CSV export row, ``set the … PIN-login
to PW``, ``passwords like 'PW'``), a Portuguese NIF after ``NIF do mutuário``; kept: role addresses
after ``mail sent as`` and ``test address``, and PGP public key blocks. Fresh fake values, none a
planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "Quarry#884Lintel"
_RAND = "hV7mQx3LpR9sWt2Kd"
_SYM = "gRkWm&PzqTbLvhNe"  # upper, lower and a symbol, no digit
_PGP_LINE = "zQ8jNq4WbT2xLp7RmVk3Ys9HdF6cGa1ZuE5oKi0B"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"[ops chat 03:10] rui: what's the jenkins admin password?\n[ops chat 03:11] ana: {_SYM}", _SYM),
        (f"[chat 22:01] li: what's the new guest wifi password?\n[chat 22:02] bo: {_PW}", _PW),
        (f"[desk 10:12] tom: esxi root is {_RAND} until the vault migration", _RAND),
        (f"the admin password is {_PW} for now", _PW),
        (f"the kiosk still logs in with svc-kiosk:{_PW} over telnet", _PW),
        (f'FATAL: password authentication failed for user "etl" (tried "{_RAND}")', _RAND),
        (f'pgbouncer auth_file entry: "billing" "{_RAND}"', _RAND),
        (f"Bitwarden export, row 3: Stripe Dashboard,finance@acme,{_SYM}", _SYM),
        (f"step 2: sign in to the Okta console as ops-admin with {_RAND}", _RAND),
        (f"log in to grafana as admin using password {_PW}", _PW),
        (f"I set the lobby kiosk PIN-login to {_PW}, note on the desk", _PW),
        (f'please stop sharing passwords like "{_RAND}" in chat', _RAND),
        ("NIF do mutuário 232013969", "232013969"),
        ("NIF da cliente 232013969 no contrato", "232013969"),
        ("mail sent as jane.doe@acme.com", "jane.doe@acme.com"),
        ("test address rui.costa@acme.com", "rui.costa@acme.com"),
    ],
)
def test_round53_values_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "[ops chat 03:10] rui: what's the jenkins admin password?\n[ops chat 03:11] ana: 1password",
            "1password",
        ),
        (
            "[ops chat 03:10] rui: what's the password policy?\n[ops chat 03:11] ana: Min14chars!",
            "Min14chars!",
        ),
        ("[desk 10:12] tom: esxi root is disabled until the vault migration", "disabled"),
        ("the admin is ana.costa until friday", "ana.costa"),
        ("the kiosk still logs in with svc-kiosk:${KIOSK_PW} over telnet", "${KIOSK_PW}"),
        ('FATAL: password authentication failed for user "etl" (tried "********")', "********"),
        (
            'pgbouncer auth_file entry: "billing" "md5c2f1a9e37b4d06e8a5c2f9b1d7e3a461"',
            "md5c2f1a9e37b4d06e8a5c2f9b1d7e3a461",
        ),
        ("Bitwarden export, row 3: Stripe Dashboard,finance@acme,<redacted>", "<redacted>"),
        ("step 2: sign in to the Okta console as ops-admin with your-yubikey", "your-yubikey"),
        ("I set the lobby kiosk PIN-login to disabled, note on the desk", "disabled"),
        ("please stop sharing passwords like this in chat", "this"),
        ("NIF do mutuário 232013968", "232013968"),
        ("NIF da empresa 503004642", "503004642"),
        ("mail sent as servicedesk@acme.internal", "servicedesk@acme.internal"),
        ("test address qa-inbox@acme.internal", "qa-inbox@acme.internal"),
        (
            "vendor key:\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGF1c2VyQGV4YW1wbGUuY29tAAoJEBxY\n"
            f"{_PGP_LINE}\n=kX3q\n-----END PGP PUBLIC KEY BLOCK-----",
            _PGP_LINE,
        ),
    ],
)
def test_round53_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_aws_secret_outside_a_public_key_block_is_still_redacted() -> None:
    block = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGF1c2Vy\n-----END PGP PUBLIC KEY BLOCK-----"
    _gone(f"{block}\naws_secret_access_key = {_PGP_LINE}", _PGP_LINE)
