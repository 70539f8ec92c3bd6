"""Redaction round 46 (tuned on the first readings of test50 and test51): a here-string or pipe into a
flag that reads a secret file from standard input; ``ACCOUNT / PW`` in a note; a JSON-RPC ``"auth"``;
a UUID in a header named for a key; a token a CLI prints when it makes one; a headerless credential
row; an OBS WebSocket URL's password path; SQL that hashes a literal password; a Wi-Fi key in clear or
type 7; a streaming key in OBS's JSON settings. Kept: a key a comment says was copied from a vendor's
docs, a value a remark calls public or a recipient, a Pushover user key and a DocuSign integration key
named as such. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PHRASE = "lantern-quarry-bramble48"
_STRONG = "Wq7Lp2Xz9Kv4Rt8N"
_DOTTED = "kqtrVBN4Hx2M.WPLZQ"
_HEX64 = "3b8e1f0a6c2d4e9f7a5b3c1d0e8f6a4b2c9d7e5f3a1b0c8d6e4f2a9b7c5d3e1f"
_HEX40 = "9a4c2e7f1b3d5a8c0e6f2b4d7a9c1e3f5b8d0a2c"
_UUID = "7c2e9a41-3b6d-4f18-a5c0-e2d8b47f9136"
_GMAPS = "AIzaSyQp3Wk8Lm2Xr7Tn4Vb9Hc6Jd1Fg5Ks0Ze_Y"
_PUSHOVER = "uqx8r2k5m9v3t7w1z4n6p0s2h8j5c3"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a flag that reads a secret file from stdin, fed by a here-string or a pipe
        (f"$ zabbix_get -s 10.1.2.3 -k agent.ping --tls-psk-file /dev/stdin <<< '{_PHRASE}'", _PHRASE),
        (f'zabbix_sender -z zbx --tls-psk-file=/dev/stdin -k a -o 1 <<< "{_STRONG}"', _STRONG),
        (f"vault-tool unseal --password-file - <<< {_STRONG}", _STRONG),
        (f"echo '{_PHRASE}' | zabbix_get -s h -k k --tls-psk-file /dev/stdin", _PHRASE),
        (f"printf '%s' '{_STRONG}' | sometool --passphrase-file /dev/fd/0 decrypt a.bin", _STRONG),
        # an administrator's or default account and its password, written with a slash
        (f"Zammad #12 note by kim: FortiGate admin / {_DOTTED} (rotate after the call)", _DOTTED),
        (f"iDRAC root / {_STRONG}, set at install", _STRONG),
        (f"the NVR's owner / {_PHRASE}.", _PHRASE),
        # a JSON-RPC request's auth member (Zabbix API token, session id)
        (f'{{"jsonrpc":"2.0","method":"host.get","params":{{}},"auth":"{_HEX64}","id":1}}', _HEX64),
        (
            '{"jsonrpc": "2.0", "method": "item.get", "auth": "0a4b7c1d9e2f3a5b8c6d0e1f4a7b9c2d", "id": 2}',
            "0a4b7c1d9e2f3a5b8c6d0e1f4a7b9c2d",
        ),
        # a header named for a key or token holding a UUID
        (f"curl -H 'X-Dataverse-key: {_UUID}' -X POST https://data.example/api/x", _UUID),
        (f"X-Auth-Token: {_UUID}", _UUID),
        (f'headers = {{"X-Vendor-Api-Key": "{_UUID}"}}', _UUID),
        # a token a CLI prints when it makes one
        (
            "$ gitea admin user generate-access-token -u ci\n"
            f"Access token was successfully created: {_HEX40}",
            _HEX40,
        ),
        (f"Token created: {_HEX40}", _HEX40),
        (f"New API key generated: {_STRONG}abc", f"{_STRONG}abc"),
        # a headerless row: a host, a user, a password
        (f"| Home Assistant | ha.site.internal | owner | {_PHRASE} |", _PHRASE),
        (f"| NAS | 10.20.0.5 | backup | {_STRONG} | rotated yearly |", _STRONG),
        # an OBS WebSocket URL's path is its password
        (f"obs-cmd --websocket obsws://10.8.3.2:4455/{_PHRASE} scene switch Intro", _PHRASE),
        (f"OBS_URL=obswss://obs.site.internal/{_STRONG}", _STRONG),
        # SQL that hashes a literal password
        (f"UPDATE wp_users SET user_pass = MD5('{_DOTTED}') WHERE user_login = 'ops';", _DOTTED),
        (f"SET PASSWORD FOR 'app'@'%' = PASSWORD('{_STRONG}');", _STRONG),
        (f"UPDATE accounts SET passwd = crypt('{_PHRASE}', gen_salt('bf')) WHERE id = 3;", _PHRASE),
        (f"INSERT INTO users (login, password) VALUES ('ops', SHA1('{_STRONG}'));", _STRONG),
        (f"UPDATE dbo.Users SET PwdHash = HASHBYTES('SHA2_256', '{_STRONG}') WHERE Id = 1;", _STRONG),
        # a Wi-Fi key in clear or in Cisco's reversible type 7
        ("wlan Crew 2 Crew\n security wpa psk set-key ascii 7 104D000A061843595F", "104D000A061843595F"),
        (f" security wpa psk set-key ascii 0 {_PHRASE}", _PHRASE),
        (" wpa-psk ascii 7 0822455D0A16544541", "0822455D0A16544541"),
        # a streaming key in OBS's JSON settings
        (
            '{"settings": {"service": "YouTube - RTMPS", "key": "k4m2-9x7q-3pzt-w8e1-r6vb"}}',
            "k4m2-9x7q-3pzt-w8e1-r6vb",
        ),
        (
            '{"type": "rtmp_custom", "settings": {"server": "rtmp://live.site.internal/app", '
            f'"key": "{_STRONG}"}}}}',
            _STRONG,
        ),
    ],
)
def test_round46_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # stdin fed by a variable, a file flag on a real file, no here-string
        ('zabbix_get --tls-psk-file /dev/stdin <<< "$ZBX_PSK"', "$ZBX_PSK"),
        ("zabbix_get --tls-psk-file /etc/zabbix/psk.key -k agent.ping", "/etc/zabbix/psk.key"),
        ("cat psk | zabbix_get --tls-psk-file /dev/stdin", "psk"),
        # slashes between words, a placeholder
        ("roles: admin / read-only / auditor", "read-only"),
        ("FortiGate admin / <see vault>", "<see vault>"),
        ("root / sudo access for the on-call only", "sudo"),
        # a JSON-RPC body with no token, another member
        ('{"jsonrpc":"2.0","method":"user.login","params":{"username":"Admin"},"auth":null,"id":1}', "null"),
        ('{"jsonrpc":"2.0","result":"7.0.2","id":1}', "7.0.2"),
        # a header that names a record
        (f"X-Idempotency-Key: {_UUID}", _UUID),
        (f"curl -H 'X-Request-Id: {_UUID}' https://x.example", _UUID),
        (f"Idempotency-Key: {_UUID}", _UUID),
        (f"X-Cache-Key: {_UUID}", _UUID),
        # a CLI that says it made a token, with no token printed
        ("Access token was successfully created: 2024-05-01", "2024-05-01"),
        ("Token created: <hidden>", "<hidden>"),
        # table rows that hold no password
        ("| web | app.site.internal | nginx | 1.25.3 |", "1.25.3"),
        ("| db | db1.site.internal | postgres | primary |", "primary"),
        ("| dump.sql | md5 | 4c1e8a0b2d9f7e3a5b6c8d0e1f2a3b4c |", "4c1e8a0b2d9f7e3a5b6c8d0e1f2a3b4c"),
        ("| Host | User | Password |\n|---|---|---|\n| db1.site.internal | ops | <in vault> |", "<in vault>"),
        # an OBS WebSocket URL with no password, a template
        ("obs-cmd --websocket obsws://10.8.3.2:4455 scene switch Intro", "10.8.3.2"),
        ("obsws://localhost:4455/${OBS_PASSWORD}", "${OBS_PASSWORD}"),
        # SQL that hashes a column or a non-password literal
        ("SELECT MD5('orders-export-2024');", "orders-export-2024"),
        ("UPDATE users SET password = MD5(password) WHERE migrated = 0;", "password"),
        ("UPDATE files SET checksum = SHA1('release-notes-v3') WHERE id = 1;", "release-notes-v3"),
        # a Wi-Fi key encrypted with the device's master key
        (
            " security wpa psk set-key ascii 8 AbCdEfGhIjKlMnOpQrStUvWxYz012345",
            "AbCdEfGhIjKlMnOpQrStUvWxYz012345",
        ),
        # OBS settings without a streaming service, and a placeholder key
        ('{"settings": {"service": "YouTube - RTMPS", "key": "your-stream-key"}}', "your-stream-key"),
        ('{"hotkeys": {"key": "OBS_KEY_F13"}}', "OBS_KEY_F13"),
        # a key a comment says was copied from a vendor's docs
        (
            f'<iframe src="https://www.google.com/maps/embed/v1/place?key={_GMAPS}&q=Town"> '
            "<!-- key copied from the Maps Embed docs -->",
            _GMAPS,
        ),
        (f"MAPS_KEY={_GMAPS}  # taken straight from the quickstart docs", _GMAPS),
        # a value a remark calls public or a recipient
        (f"DocuSign integration key {_UUID} (public client id)", _UUID),
        (f"Pushover user key {_PUSHOVER} (recipient, not the app token)", _PUSHOVER),
        (
            "analytics write key Qp3Wk8Lm2Xr7Tn4Vb9Hc — public identifier, ships in the app",
            "Qp3Wk8Lm2Xr7Tn4Vb9Hc",
        ),
        # two vendors' public identifiers named as such
        (f"PUSHOVER_USER_KEY={_PUSHOVER}", _PUSHOVER),
        (f"DOCUSIGN_INTEGRATION_KEY={_UUID}", _UUID),
    ],
)
def test_round46_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # docs that are the team's own, or a key a comment says leaked
        (
            f'<iframe src="https://maps.example/embed?key={_GMAPS}&q=Town"> '
            "<!-- copied from our internal docs -->",
            _GMAPS,
        ),
        (f"MAPS_KEY={_GMAPS}  # copied from the docs page, then it leaked", _GMAPS),
        # a remark that says the value leaked or is private, and a Twilio SID (decided in round 28)
        (f"api key {_STRONG}XYZ (public key? no, it leaked)", f"{_STRONG}XYZ"),
        (
            "Twilio account SID AC5e2b8d4f7a1c9e3b6d0f8a2c4e7b1d3f (public id)",
            "AC5e2b8d4f7a1c9e3b6d0f8a2c4e7b1d3f",
        ),
        # the secrets beside the public identifiers
        ("PUSHOVER_APP_TOKEN=aqx8r2k5m9v3t7w1z4n6p0s2h8j5c3", "aqx8r2k5m9v3t7w1z4n6p0s2h8j5c3"),
        (f"PagerDuty integration key {_UUID}", _UUID),
        (f"DOCUSIGN_SECRET_KEY={_UUID}", _UUID),
    ],
)
def test_round46_secrets_beside_the_kept_forms_stay_redacted(text: str, value: str) -> None:
    _gone(text, value)
