"""Redaction round 52 (tuned on the first readings of test62 and test63): passwords told in chat
(offered, asked for and answered on the next line, rotated to, reset to), a quoted password starting
with ``*``, pgbouncer pairs after a lead, a letters-only token cut by ``-``, an IBAN followed by a
short word, national numbers a country and a person word name; kept: docs samples, tutorial and API
reference examples, jokes, preference cookies; and the evaluator's reading of a PuTTY key whose
comment repeats the lead's file name. Fresh fake values, none a planted row's."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "Lantern#512Moraine"
_RAND = "pZ4rKw8TnQ2vLx6Hb"
_LETTERS = "WqTzRbNmKcVhXpLsDf"
_PREFS = base64.b64encode(b"theme=dark;lang=cy").decode()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # offered, rotated to, reset to
        (f"[14:05] ffion: try {_PW} for the jenkins admin", _PW),
        (f"gwen: try '{_RAND}' on the rabbitmq console", _RAND),
        (f"[09:40] ianto: the sftp user pw got rotated -> {_RAND}", _RAND),
        (f"heads up, minio root password changed to {_PW}", _PW),
        (f"password now: {_LETTERS}", _LETTERS),
        (f"03:15 we reset the wordpress admin to {_PW} to get in", _PW),
        (f"set the root password to {_RAND} on the bastion", _RAND),
        # asked for, answered on the next chat line by another speaker
        (f"rhys> what's the password for the staging redis?\ncarys> {_PW}", _PW),
        (f"[11:02] alun: anyone got the pw for the nas?\n[11:03] bethan: {_RAND}", _RAND),
        (f"owain: smtp pass\nsian: {_LETTERS}", _LETTERS),
        # a quoted password starting with ``*``
        (f'  db_password: "*{_RAND}*Qm7"', f"*{_RAND}*Qm7"),
        # pgbouncer's pair after a lead
        ('userlist.txt: "billing" "Tq9#vLm2Xz!pR"', "Tq9#vLm2Xz!pR"),
        ('pgbouncer:  "reports"  "Hw3$kPz8Nq@x"', "Hw3$kPz8Nq@x"),
        # a letters-only token cut by ``-``
        (f"OPSGENIE_API_TOKEN={_LETTERS[:12]}-{_LETTERS[12:]}", f"{_LETTERS[:12]}-{_LETTERS[12:]}"),
        # an IBAN followed by a short word
        ("batch 7: PL61 1090 1014 0000 0712 1981 2874 PLN 410.00", "PL61 1090 1014 0000 0712 1981 2874"),
        ("refund to AT61 1904 3002 3457 3201 EUR today", "AT61 1904 3002 3457 3201"),
        # national numbers a country and a person word name
        ("ticket: PL customer 44051401359 asked for a copy", "44051401359"),
        ("Portuguese employee NIF 232013969 for the contract", "232013969"),
        ("NIF-PT 123456789 on the invoice", "123456789"),
    ],
)
def test_round52_values_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # told-in-chat shapes holding no password
        ("[14:05] ffion: try v2.14.1 for the jenkins admin", "v2.14.1"),
        ("try again for the grafana admin later", "again"),
        ("[09:40] ianto: the sftp user pw got rotated -> see vault kv/sftp", "vault"),
        ("we reset the wordpress admin to read-only", "read-only"),
        ("set the root account to nologin", "nologin"),
        ("rhys> what's the password for the staging redis?\ncarys> 1password", "1password"),
        ("rhys> what's the password for the staging redis?\ncarys> ${REDIS_PASSWORD}", "${REDIS_PASSWORD}"),
        ("owain: smtp pass\nowain: Lantern-ready", "Lantern-ready"),
        ("rhys> what is the password policy?\ncarys> Min12chars!", "Min12chars!"),
        # masks and globs led by ``*``
        ('  db_password: "****Qm7x"', "****Qm7x"),
        ('  db_password: "*.internal*"', "*.internal*"),
        # pgbouncer's verifiers after a lead
        ('pgbouncer: "reports" "md5a3f1c9e27b4d06e8a5c2f9b1d7e3a460"', "md5a3f1c9e27b4d06e8a5c2f9b1d7e3a460"),
        # a name with dashes, a bad IBAN, a bad PESEL, a company NIF
        ("OPSGENIE_API_TOKEN=read-only-access", "read-only-access"),
        ("batch 7: PL62 1090 1014 0000 0712 1981 2874 PLN 410.00", "PL62 1090 1014 0000 0712 1981 2874"),
        ("ticket: PL customer 44051401358 asked for a copy", "44051401358"),
        ("Portuguese employee NIF 503004642 for the contract", "503004642"),
        ("PL order 44051401359 shipped", "44051401359"),
        # samples, examples and jokes a remark names
        (
            "Azure docs example connection string: AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6",
        ),
        ("Stripe quickstart key sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
        ("(a joke in #random, not a real password) the root pw is Tr0ub4dor&3", "Tr0ub4dor&3"),
        # a preferences cookie
        (f"Cookie: site_prefs={_PREFS}", _PREFS),
    ],
)
def test_round52_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a sample lead does not keep a value the line calls real or leaked
        (
            "docs sample token leaked into prod: xoxb-2203948571-9938475610293-Rk7qLm2Xz9Tv4Wp8Ns3Hd6Jf",
            "xoxb-2203948571-9938475610293-Rk7qLm2Xz9Tv4Wp8Ns3Hd6Jf",
        ),
        (
            "following the tutorial token setup, SLACK_BOT_TOKEN="
            "xoxb-2203948571-9938475610293-Wq7rLm2Xz9Tv4Wp8Ns3Hd6Jf",
            "xoxb-2203948571-9938475610293-Wq7rLm2Xz9Tv4Wp8Ns3Hd6Jf",
        ),
        # a session cookie is no preference cookie
        (f"Cookie: sessionid={base64.b64encode(b'uid=42;role=admin;tok=Zx81').decode()}9Kq", "9Kq"),
    ],
)
def test_round52_remarks_keep_only_samples(text: str, value: str) -> None:
    _gone(text, value)


def test_evaluator_ignores_a_key_piece_the_lead_repeats() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import redaction_eval

    value = (
        "PuTTY-User-Key-File-3: ssh-ed25519\nComment: gate-sftp\nPrivate-Lines: 1\nQm9vZ2xlYmVycnlXaW5kb3dz"
    )
    line = f"gate-sftp.ppk:\n{value}"
    assert redaction_eval._removed(value, "gate-sftp.ppk:\n[REDACTED:private-key]", line)
    assert not redaction_eval._removed(
        value, "gate-sftp.ppk:\n[REDACTED:private-key]\nQm9vZ2xlYmVycnlXaW5kb3dz", line
    )
