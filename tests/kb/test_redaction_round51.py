"""Redaction round 51 (tuned on the first readings of test60 and test61): values on the line after
their key (YAML block scalars, XML elements, pretty-printed JSON, a chat message cut in two), device
and service configs (Cisco type 0, SNMPv3 ``createUser``, RADIUS keys, pgbouncer userlists, rclone,
Jupyter, iRODS ``iinit``), credentials told in chat, dotted passphrases ending in one digit, a password
starting with ``%``, cloudflared tunnel tokens, Apps Script web-app URLs, a base64-wrapped
service-account key, a Swedish phone number; kept: list addresses, git-annex keys, RFC 7617's
example. Fresh fake values, none a planted row's."""

from __future__ import annotations

import base64
import json

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "Quarry417#Fenlight"
_RAND = "Hv7pKq2WxZ9mTr4Ns"
_PHRASE = "bracken-tarn-curlew-58"
_DOTTED = "heron.millrace.sorrel4"
_TUNNEL = (
    "eyJhIjoiNGQ5ZjJhYjE3YzA1NGUxOGE5YjNkMmM3ZjBlNjQxYTgiLCJ0IjoiOTNiMWM0ZTItN2E2Zi00ZDBjLWIx"
    "ZjgtMmE1YzNkOWU3MTQ2IiwicyI6Ik5XRTNaamhpTWpndE9EVXdaQzAwIn0"
)
_SCRIPT_ID = "AKfycbx7Qm2Lr9TvWp4Kz8Ns3Hd6Jf1Yc5Bg0Xe_Ua-Ri2Ow7Pl4Mn9Tq3Vs6"


def _wrapped_service_account() -> tuple[str, str]:
    key = {
        "type": "service_account",
        "project_id": "tarn-gauges",
        "private_key_id": "5e0c7a91d2b34f68a1c9e7d3b2f40a6c8e1d5b79",
        "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
        "-----END PRIVATE KEY-----\n",
        "client_email": "gauges@tarn-gauges.iam.gserviceaccount.com",
    }
    encoded = base64.b64encode(json.dumps(key).encode()).decode()
    lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    body = "\n".join(f"      {line}" for line in lines)
    return f"  variables:\n    GCP_SA_KEY_B64: |\n{body}\n  script:\n    - deploy", lines[1]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the value on the line after its key
        (f"mail:\n  user: alerts\n  password: >-\n    {_PHRASE}\n  port: 587", _PHRASE),
        (f"relay:\n  smtp_pass: |\n    {_PW}", _PW),
        (f"<Source>\n  <Password>\n    {_DOTTED}\n  </Password>\n</Source>", _DOTTED),
        (f"<Login><User>edi</User><Pass>\n  {_RAND}\n</Pass></Login>", _RAND),
        (f'<wsse:Password Type="…#PasswordText">{_PW}</wsse:Password>', _PW),
        (f'{{\n  "site": "Tarn Lodge",\n  "admin_password":\n    "{_PW}"\n}}', _PW),
        ('{\n  "password":\n    "(Zq8vLm2Rt6Ky"\n}', "(Zq8vLm2Rt6Ky"),
        # a chat message cut in two
        (f"wren [#ops 09:12] the kiosk admin password is\nwren [#ops 09:12] {_RAND}", _RAND),
        (f"moss (10:02, ~net): vpn pw for the van is\nmoss (10:02, ~net): {_DOTTED}", _DOTTED),
        # device and service configs
        (f"username ops privilege 15 secret 0 {_RAND}.x9", f"{_RAND}.x9"),
        (f"enable secret 0 {_PW}", _PW),
        (f'createUser gaugemon SHA "{_PW}" AES "{_RAND}"', _PW),
        (f'createUser gaugemon SHA "{_PW}" AES "{_RAND}"', _RAND),
        (f'  secret = "{_PW}"\n  key = "{_RAND}"  # tacacs+ key for the core switches', _RAND),
        (f'"gauge_app" "{_PW}"', _PW),
        (f"[tarn-s3]\ntype = s3\naccess_key_id = GAUGES\nsecret_access_key = {_PW}", _PW),
        (f"c.NotebookApp.token = '{_DOTTED}'", _DOTTED),
        (f'$ printf "{_RAND}" | iinit', _RAND),
        (f"$ iinit <<EOF\nirods.tarn.internal\n1247\ngauges\ntarnZone\n{_RAND}\nEOF", _RAND),
        # dotted passphrases ending in one digit, in a password's place
        (f"RESTIC_PASSWORD='{_DOTTED}'", _DOTTED),
        (f"$ ansible-playbook deploy.yml -e 'ansible_password={_DOTTED}'", _DOTTED),
        # told in chat or a ticket
        (f"[08:14] control: gate PLC HMI at Mill Lane is operator / {_PHRASE} (new)", _PHRASE),
        (f"[bridge 02:10] sam: router admin on the tug is admin, {_DOTTED}", _DOTTED),
        (f"the vendor's remote login for the press is tarn-vendor with {_RAND}", _RAND),
        ("reset done, temporary password %Rq7wKx2mTz9Lp!v (change at first login)", "%Rq7wKx2mTz9Lp!v"),
        (f"the bmc root password? we set it to {_DOTTED} at install", _DOTTED),
        (f"the kiosk admin password is taped under the desk, it's {_PHRASE}", _PHRASE),
        # tunnel tokens and web-app URLs
        (f"$ sudo cloudflared service install {_TUNNEL}", _TUNNEL),
        (f"$ cloudflared tunnel run --token {_TUNNEL}", _TUNNEL),
        (f"  form_hook: https://script.google.com/macros/s/{_SCRIPT_ID}/exec", _SCRIPT_ID),
        # a Swedish number
        ("Stockholm depot 08-614 207 93", "08-614 207 93"),
    ],
)
def test_round51_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


def test_a_base64_wrapped_service_account_key_is_redacted_line_by_line() -> None:
    text, line = _wrapped_service_account()
    _gone(text, line)
    _kept(text, "GCP_SA_KEY_B64: |")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a block scalar that holds more than one line, or a pointer
        ("notes:\n  password: |\n    rotate it every quarter\n    ask the desk", "rotate it every quarter"),
        ("db:\n  password: >-\n    ${DB_PASSWORD}", "${DB_PASSWORD}"),
        # elements and members that hold no password
        ("<Password>\n  <Min>12</Min>\n</Password>", "<Min>12</Min>"),
        (
            '<wsse:Password Type="…#PasswordDigest">Wq3vZp8LmK2tYr6N0sXc=</wsse:Password>',
            "Wq3vZp8LmK2tYr6N0sXc=",
        ),
        ('{\n  "password":\n    "{{ vault_password }}"\n}', "{{ vault_password }}"),
        ('{\n  "password_policy":\n    "min12-upper1"\n}', "min12-upper1"),
        # a chat line after "password is" from someone else, or a sentence
        ("wren [#ops 09:12] the kiosk password is\nfern [#ops 09:13] Hv7pKq2WxZ9mTr4Ns", "Hv7pKq2WxZ9mTr4Ns"),
        ("wren [#ops 09:12] the kiosk password is\nwren [#ops 09:12] in the vault", "in the vault"),
        # configs: hashes, placeholders, type 7 and 5 are other rules' business
        ("username ops privilege 15 secret 0 <password>", "<password>"),
        ('"gauge_app" "md5a3c9f1e2b7d04c68e5a1f9b3d7c2e0f4"', "md5a3c9f1e2b7d04c68e5a1f9b3d7c2e0f4"),
        ('"gauge_app" "thistle-moraine-kestrel31"', "thistle-moraine-kestrel31"),
        ('"gauge_app" "9f3c1a7e5b2d4c60a8e1f7b3d9c2a5e4"', "9f3c1a7e5b2d4c60a8e1f7b3d9c2a5e4"),
        ('"GET" "session:8f2c1aB"', "session:8f2c1aB"),
        (
            '"gauge_app" "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy"',
            "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy",
        ),
        ("c.ServerApp.password = 'argon2:$argon2id$v=19$m=10240,t=10,p=8$c2FsdA$aGFzaA'", "argon2:$argon2id"),
        ("c.ServerApp.token = ''", "c.ServerApp.token = ''"),
        ('key = "orders_index"  # radius dictionary lookup', "orders_index"),
        ("secret_access_key = ${RCLONE_S3_SECRET}", "${RCLONE_S3_SECRET}"),
        ("$ echo 'hello' | iinit", "hello"),
        # told in chat: no password there
        ("the admin login is alice with MFA", "alice with MFA"),
        ("the login for the press is tarn-vendor, see the vault", "tarn-vendor, see the vault"),
        ("temporary password policy is 14 days", "14 days"),
        ("the password? we set it to expire in 90 days", "expire in 90 days"),
        ("password is in 1Password, it's under Tarn/Kiosk", "Tarn/Kiosk"),
        # code and hosts shaped like dotted phrases
        ("DB_HOST='replica.tarn.internal'", "replica.tarn.internal"),
        # docs: a placeholder web app and tunnel
        ("https://script.google.com/macros/s/YOUR_SCRIPT_ID_GOES_HERE_XXXXXXXXXXXX/exec", "YOUR_SCRIPT_ID"),
        ("$ cloudflared service install <TOKEN>", "<TOKEN>"),
        # list addresses, annex keys, RFC 7617's example
        ("alarms distribution list gauge-room@tarn.internal", "gauge-room@tarn.internal"),
        ("shared mailbox: desk@tarn-water.co.uk", "desk@tarn-water.co.uk"),
        (
            "annexed key SHA256E-s1048576--"
            "5f0c2a9e7b3d1c48a6e9f2b7d0c3a5e8f1b4d7a0c9e2f5b8a1d4c7e0f3a6b9c2.nc",
            "5f0c2a9e7b3d1c48a6e9f2b7d0c3a5e8f1b4d7a0c9e2f5b8a1d4c7e0f3a6b9c2",
        ),
        ("RFC 7617 shows Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        # a Swedish-looking span that is a ticket range or a date
        ("tickets 2024-465 004 58", "2024-465 004 58"),
    ],
)
def test_round51_look_alikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_a_person_is_still_redacted_after_a_list() -> None:
    _gone("send it to the distribution list and to jane.moss@tarn-water.co.uk", "jane.moss@tarn-water.co.uk")


# After round 51: values redacted only in part (the rest of the secret left in the line)
_DJANGO = "k7#v)q2&Zp9+Lm(x4!Rt*8wYb^Nc3=Hs6$Jd"
_HOOK_TOKEN = "Wq8zLp3Tn6Vb1Xc9Rk4Md7Hs2Jf5Gy0Ua8Qe3Ti6Op1Sl4Nz"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a quoted generated key holding ``&``, ``)`` or ``;``
        (f'SECRET_KEY = "{_DJANGO}"', _DJANGO),
        (f"    'signing_key': '{_DJANGO}',", _DJANGO),
        ('DB_PASSWORD="Xr7;pQ2&mZ9)vL4k"', "Xr7;pQ2&mZ9)vL4k"),
        # a self-hosted hook's id and token segments
        (f"ROCKET_HOOK=https://chat.tarn.internal/hooks/Kp4Zx8Tq2Lm6Vb9Rn3Wd7Hs1/{_HOOK_TOKEN}", _HOOK_TOKEN),
        # a Slack token with ``_`` in its body, a Fly.io token in URL-safe base64
        (
            "SLACK_TOKEN=xoxe.xoxp-1-Kp4Zx8Tq2Lm6_Vb9Rn3Wd7Hs1Jf5Gy0Ua8Qe3Ti6Op1",
            "Vb9Rn3Wd7Hs1Jf5Gy0Ua8Qe3Ti6Op1",
        ),
        (
            'FLY_API_TOKEN="FlyV1 fm2_Kp4Zx8Tq2Lm6Vb9Rn3Wd7Hs1Jf5Gy0Ua8Qe3-Ti6Op1Sl4Nz8Wq3Xc7Rk2Md5"',
            "Ti6Op1Sl4Nz8Wq3Xc7Rk2Md5",
        ),
    ],
)
def test_values_are_redacted_whole(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('SECRET_KEY = "get_random_secret_key()"', "get_random_secret_key()"),
        ('API_KEY = "${env:API_KEY};${env:API_KEY_2}"', "${env:API_KEY}"),
        ('password = "%(DB_PASSWORD)s"', "%(DB_PASSWORD)s"),
        ('secret = "https://vault.tarn.internal/v1/kv?a=1&b=2"', "https://vault.tarn.internal/v1/kv?a=1&b=2"),
        ('token_scopes = "read,write,admin"', "read,write,admin"),
        ("see https://git.tarn.internal/hooks/Kp4Zx8Tq2Lm6Vb9Rn3Wd7Hs1/edit", "/edit"),
    ],
)
def test_whole_value_look_alikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("password_regex: '^(?=.*[A-Z])(?=.*\\d)(?=.*[^A-Za-z0-9]).{12,}$'", "(?=.*[A-Z])"),
        ('"smtp_password": "EJ[1:Kp4Zx8Tq2Lm6=:Vb9Rn3Wd7Hs1+Jf5=:Gy0Ua8Qe3Ti6==]",', "EJ[1:Kp4Zx8Tq2Lm6=:"),
        ('SAS_TOKEN="sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00:00:00Z&sig=[REDACTED]"', "ss=b&srt=co"),
    ],
)
def test_whole_value_rule_keeps_patterns_sealed_values_and_query_strings(text: str, value: str) -> None:
    _kept(text, value)
