"""Redaction round 49 (tuned on the first readings of test56 and test57). Decided at registration:
an IBAN printed in fours whose check holds but whose length is not its country's is a mis-copied
IBAN, still naming an account holder, and is redacted; the same text unspaced, failing the check, or
under 15 characters stays. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from kb.safety.redaction import redact_text
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

# mod 97 holds; 27 and 30 characters where NL is 18 and DE 22, and NO's 15 plus five
_NL27 = "NL82 4417 2859 30CD 8UXQ RTMA 152"
_DE30 = "DE77 3704 0044 0532 0130 0012 3456 78"
_NO20 = "NO31 4432 3945 54AB CD12"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"Jira #4411 (ana): refund the deposit to {_NL27}", _NL27),
        (f'{{"payee":"Ida Brenner","iban":"{_DE30}","ref":"speaker fee"}}', _DE30),
        (f"pay the overpayment back to {_NO20}", _NO20),
    ],
)
def test_round49_miscopied_iban_in_fours_is_personal(text: str, value: str) -> None:
    _gone(text, value)
    assert "[REDACTED:iban]" in redact_text(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the same length unspaced reads as an id, not a printed IBAN
        ("ref NL824417285930CD8UXQRTMA152 in the export", "NL824417285930CD8UXQRTMA152"),
        # the check fails (one digit changed)
        ("refund to NL83 4417 2859 30CD 8UXQ RTMA 152", "NL83 4417 2859 30CD 8UXQ RTMA 152"),
        # no registered country
        ("part QQ82 4417 2859 30CD 8UXQ RTMA 152", "QQ82 4417 2859 30CD 8UXQ RTMA 152"),
        # under 15 characters (no IBAN is shorter)
        ("region DE12 3456 7890 cluster", "DE12 3456 7890"),
    ],
)
def test_round49_iban_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)
