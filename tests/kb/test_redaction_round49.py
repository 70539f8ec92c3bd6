"""Redaction round 49 (tuned on the first readings of test56 and test57): passwords piped into
vault and VPN CLIs or printed by them, ``USER / PW`` in notes, Teleport join tokens, NetBird setup
keys, Unleash tokens, JumpCloud connect keys, a Twilio token in ``Client(SID, TOKEN)``, Squadcast
webhooks, a MarineTraffic key in a URL path, ``"key":`` in a ``curl -d`` JSON body. Decided at
registration: an IBAN printed in fours whose check holds but whose length is not its country's is a mis-copied
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


_PW = "Quasar417#Nadir"
_RAND = "Hq7wPz2LmX9vK4tRb"
_PHRASE = "lantern-quarry-bramble49"
_HEX32 = "9c2e7a41f0b35d86e1c4a7f29b03d5e8"
_HEX40 = "3f8a1c6e9b2d4f7a0c5e8b1d3f6a9c2e4b7d0f1a"
_HEX64 = "5d1e8a3c7f0b2e9d4a6c1f8b3e5d7a0c2f9e4b6d8a1c3e5f7b9d0a2c4e6f8b1d"
_UUID = "6B2F91C4-3D8E-4A17-9F5C-2E7B0D4A8C13"
_KEY32 = "pL4wXz8QmR2tVb7NcK9sYd3FgH6jA1eU"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a password piped into a vault or VPN CLI, or given by process substitution
        (f"$ echo '{_RAND}' | keepassxc-cli show -s ~/db.kdbx 'Infra/iLO'", _RAND),
        (f"$ echo -n {_PW} | sudo openconnect --passwd-on-stdin vpn.example.org", _PW),
        (f"$ printf '%s' '{_PW}' | bw unlock --raw", _PW),
        (f"$ openvpn --config site.ovpn --askpass <(echo '{_PW}')", _PW),
        (f"$ openvpn --auth-user-pass <(printf '{_RAND}')", _RAND),
        # the line a password manager prints
        (f"$ lpass show --password office-wifi\n{_PHRASE}", _PHRASE),
        (f"$ bw get password deploy-bot\n{_RAND}", _RAND),
        # USER / PW in a comment or a note
        (f"auth-user-pass auth.txt  # creds.txt: site-vpn / {_PW}", _PW),
        (f"the kiosk PC still logs in as clerk / {_RAND}.k4", f"{_RAND}.k4"),
        (f"credentials: backup / {_PW}", _PW),
        # Teleport join tokens
        (f"teleport:\n  join_params:\n    method: token\n    token_name: {_HEX32}", _HEX32),
        (f"$ tctl tokens ls\nToken    Type Labels Expiry Time\n{_HEX32} Node   2027-01-01T00:00:00Z", _HEX32),
        # NetBird, Unleash, JumpCloud, Twilio
        (f"$ netbird up --management-url https://nb.example.org --setup-key {_UUID}", _UUID),
        (f"NB_SETUP_KEY={_UUID}", _UUID),
        (f"UNLEASH_API_TOKEN=*:production.{_HEX64}", f"*:production.{_HEX64}"),
        (
            f"customHeaders: {{ Authorization: 'default:development.{_HEX64}' }}",
            f"default:development.{_HEX64}",
        ),
        (f"JUMPCLOUD_CONNECT_KEY={_HEX40}", _HEX40),
        (f'curl -H "x-connect-key: {_HEX40}" https://kickstart.jumpcloud.com/Kickstart', _HEX40),
        (f"client = Client('AC' + sid_tail, '{_HEX32}')", _HEX32),
        (f"client = Client(account_sid, '{_HEX32}')", _HEX32),
        # a webhook URL, a key in a URL path, a key in a JSON body
        (f"  - url: https://api.squadcast.com/v2/incidents/api/{_HEX40}", _HEX40),
        (f"https://services.marinetraffic.com/api/exportvessel/v:5/{_HEX40}/timespan:20", _HEX40),
        (
            f'$ curl -X POST https://api.example.com/v2/forecast -d \'{{"lat":57.6,"key":"{_KEY32}"}}\'',
            _KEY32,
        ),
    ],
)
def test_round49_redacts(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # placeholders, variables and words piped or printed
        ('$ echo "$KEEPASS_PW" | keepassxc-cli show -s db.kdbx entry', "$KEEPASS_PW"),
        ("$ echo 'changeme' | keepassxc-cli open db.kdbx", "changeme"),
        ("$ echo hello | grep h", "hello"),
        ("$ lpass show --password office-wifi\n$ echo done", "done"),
        # USER / PATH and words in notes
        ("creds.txt: see vault / infra", "infra"),
        ("logs in as admin / operator", "operator"),
        ("credentials: backup / /etc/backup/pass.txt", "/etc/backup/pass.txt"),
        # names, not tokens
        ("teleport:\n  join_params:\n    method: iam\n    token_name: iam-join-token", "iam-join-token"),
        (
            "$ netbird up --setup-key 00000000-0000-0000-0000-000000000000",
            "00000000-0000-0000-0000-000000000000",
        ),
        ("UNLEASH_API_TOKEN=*:development.unleash-insecure-api-token", "unleash-insecure-api-token"),
        ("image: registry.example.org/app:production.2026", "production.2026"),
        (f"git commit {_HEX40} connected the key rotation", _HEX40),
        ("client = Client(account_sid, auth_token)", "auth_token"),
        # other URLs and object keys
        (f"https://github.com/org/repo/commit/{_HEX40}", _HEX40),
        (
            '$ curl -X PUT https://api.example.com/v1/objects -d \'{"key":"exports/2026-12-05.csv"}\'',
            "exports/2026-12-05.csv",
        ),
        ('settings = {"key": "theme_dark_contrast_v2"}', "theme_dark_contrast_v2"),
    ],
)
def test_round49_keeps(text: str, value: str) -> None:
    _kept(text, value)
