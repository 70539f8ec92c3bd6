"""Redaction round 42 (tuned on test45's first reading): passwords a tool takes by position (an admin
CLI that sets one: ``hass --script auth change_password``, ``pihole setpassword``, ``mc admin user
add``, ``ipmitool``, ``drush upwd``, ``ejabberdctl``, ``emqx ctl admins``, ``htpasswd -nb``, ``openssl
passwd``, ``ldappasswd -s``, ``wpa_passphrase``, ``nmcli … wifi-sec.psk``) or in a backup repository
written without ``//`` (restic's ``sftp:user:PW@host:/path``); a search client's key as its second
argument (Algolia, Meilisearch); a passphrase told like a password. Kept: public halves (a Supabase
anon key, a Pusher app key, browser SDK project tokens), ciphertext (age and PGP armour, Ansible Vault,
Bitwarden encrypted strings, OpenSSL ``Salted__``), fingerprints as colon-separated hex, values a
comment calls a sample, a vendor prefix with a counting body, ``sftp:user@host:/path``.
Fresh fake values, none a planted row's."""

from __future__ import annotations

import base64
import json

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "wqzrBNKxTfhGvmLd"  # random letters: the position says it is a password
_HEX32 = "e4b19c07d2f85a63b0c9e17d4f2a8365"


def _jwt(payload: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return (
        f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.Qm8xZr4TnV2kLp7WcYs9HdJf3Ub6Ge1Ao5Rx0Ni8Mq"
    )


_ANON = _jwt({"iss": "supabase", "ref": "kpxqwmzrtvbnhdly", "role": "anon", "iat": 1735000000})
_SERVICE = _jwt({"iss": "supabase", "ref": "kpxqwmzrtvbnhdly", "role": "service_role", "iat": 1735000000})


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # admin CLIs that set a password by position
        (f"$ hass --script auth change_password ops {_PW}", _PW),
        (f"docker exec -it ha hass -c /config --script auth change_password admin {_PW}", _PW),
        (f"hass --script auth --config /config add frontdesk {_PW}", _PW),
        (f"pihole setpassword {_PW}", _PW),
        (f"mc admin user add wallstore svc-restic {_PW}", _PW),
        (f"ipmitool -I lanplus -H 10.9.0.4 -U root -P x user set password 2 {_PW}", _PW),
        (f"drush upwd admin '{_PW}'", _PW),
        (f"ejabberdctl change_password frontdesk chat.wall.internal {_PW}", _PW),
        (f"emqx ctl admins passwd admin {_PW}", _PW),
        (f"htpasswd -nb grafana {_PW} >> /etc/nginx/htpasswd", _PW),
        (f"openssl passwd -6 -salt Qx9 {_PW}", _PW),
        (f"ldappasswd -x -D cn=admin,dc=wall -W -s {_PW} uid=kim,ou=staff,dc=wall", _PW),
        (f"wpa_passphrase WALL-Staff {_PW} | sudo tee /etc/wpa_supplicant/wpa_supplicant.conf", _PW),
        (f"nmcli connection modify WALL-Staff wifi-sec.psk {_PW}", _PW),
        # a backup repository written without //
        (f"repo = sftp:restic:{_PW}@10.44.0.9:/srv/restic/doors", _PW),
        (f"restic -r sftp:backup:{_PW}@nas.wall.internal:/volume1/restic snapshots", _PW),
        (f"export RESTIC_REPOSITORY=sftp:svc:{_PW}@backup.wall.internal:/restic", _PW),
        # a search client's key, second after the application id or host
        (f"const client = algoliasearch('WALLQ7Z2XK', '{_HEX32}'); // jobs/reindex.ts", _HEX32),
        (f'client = SearchClient.create("WALLQ7Z2XK", "{_HEX32}")', _HEX32),
        (f"$client = SearchClient::create('WALLQ7Z2XK', '{_HEX32}');", _HEX32),
        (f'client := search.NewClient("WALLQ7Z2XK", "{_HEX32}")', _HEX32),
        (f"ms = meilisearch.Client('http://10.44.0.12:7700', '{_HEX32}')", _HEX32),
        # a passphrase told like a password
        (f"The staff Wi-Fi for the kiosks now uses the passphrase {_PW} (follow-up)", _PW),
        (f"door controller passphrase {_PW}", _PW),
        # a service-role JWT stays a secret even under an anon name; the Pusher secret and the
        # Mixpanel service account secret are secrets
        (f"SUPABASE_ANON_KEY={_SERVICE}", _SERVICE),
        (f"SUPABASE_SERVICE_ROLE_KEY={_SERVICE}", _SERVICE),
        ("PUSHER_APP_SECRET=9c4e1a7f0b2d8e5c3a6f", "9c4e1a7f0b2d8e5c3a6f"),
        ("PUSHER_SECRET_KEY=9c4e1a7f0b2d8e5c3a6f", "9c4e1a7f0b2d8e5c3a6f"),
        ("MIXPANEL_API_SECRET=8d2f6b1e9c4a7035e1d8b2c6f9a4e703", "8d2f6b1e9c4a7035e1d8b2c6f9a4e703"),
        # a counting run longer than a placeholder's, a comment that says the value leaked
        ("RESEND_API_KEY=re_Kq8zVn3T_bWp2Xy7MwL5s4Nd9_0123456789", "re_Kq8zVn3T_bWp2Xy7MwL5s4Nd9"),
        (
            "RESEND_API_KEY=re_Kq8zVn3T_bWp2Xy7MwL5s4Nd9  # leaked, was a docs sample once",
            "re_Kq8zVn3T_bWp2Xy7MwL5s4Nd9",
        ),
        # a secret after an armoured ciphertext block is still read
        (
            "-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBx\n"
            f"-----END AGE ENCRYPTED FILE-----\nDOOR_PASSWORD={_PW}",
            _PW,
        ),
    ],
)
def test_round42_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # public halves of key pairs and browser SDK tokens
        (f"EXPO_PUBLIC_SUPABASE_ANON_KEY={_ANON}  # anon role, RLS on", _ANON),
        (f"const supabase = createClient(url, '{_ANON}')", _ANON),
        (f"supabaseAnonKey: {_jwt({'role': 'authenticated'})}", "supabaseAnonKey"),
        ("PUSHER_APP_KEY=3f8a1c6e9d2b7f4a0e5c", "3f8a1c6e9d2b7f4a0e5c"),
        ("VITE_PUSHER_APP_KEY=3f8a1c6e9d2b7f4a0e5c", "3f8a1c6e9d2b7f4a0e5c"),
        ("const pusher = new Pusher('3f8a1c6e9d2b7f4a0e5c', { cluster: 'eu' });", "3f8a1c6e9d2b7f4a0e5c"),
        (f"mixpanel.init('{_HEX32}')  // project token", _HEX32),
        (f"amplitude.getInstance().init('{_HEX32}');", _HEX32),
        (f"MIXPANEL_PROJECT_TOKEN={_HEX32}", _HEX32),
        ("heap.load('2840175391');", "2840175391"),
        # fingerprints as colon-separated hex
        (
            "SHA1 fingerprint of the upload key: 7C:1E:93:A0:44:5B:D2:08:6F:C3:19:E7:2A:B5:80:4D:F1:36:9E:C2",
            "7C:1E:93:A0:44:5B:D2:08:6F:C3:19:E7:2A:B5:80:4D:F1:36:9E:C2",
        ),
        (
            "signing key MD5 fingerprint: 5e:0a:c4:91:2f:7b:e8:33:d1:6c:a0:4f:98:b2:17:e5",
            "5e:0a:c4:91:2f:7b:e8:33:d1:6c:a0:4f:98:b2:17:e5",
        ),
        # ciphertext
        (
            "# secrets/kiosk.age\n-----BEGIN AGE ENCRYPTED FILE-----\n"
            "YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBxUmJ0dmNOZ0hrWmp4TW5Q\n"
            "Lm9Xk2Tq7vNa0Rc8dFbE4hYs1uPz9gKiJ3wMe6x5\n-----END AGE ENCRYPTED FILE-----",
            "Lm9Xk2Tq7vNa0Rc8dFbE4hYs1uPz9gKiJ3wMe6x5",
        ),
        (
            "-----BEGIN PGP MESSAGE-----\n\n"
            "hQEMA9kLp2TzXq7vAQf+Lm9Xk2Tq7vNa0Rc8dFbE4hYs1uPz9gKiJ3wMe6x5\n=Xq7v\n-----END PGP MESSAGE-----",
            "Lm9Xk2Tq7vNa0Rc8dFbE4hYs1uPz9gKiJ3wMe6x5",
        ),
        (
            'bitwarden export (encrypted JSON): "password": '
            '"2.Tq7vNa0Rc8dFbE4hYs1uPw==|Lm9Xk2Tq7vNa0Rc8dFbE4hYs1uPz9gKiJ3wMe6x5Aa0=|'
            'Rc8dFbE4hYs1uPz9gKiJ3wMe6x5Lm9Xk2Tq7vNa0Ab=="',
            "Lm9Xk2Tq7vNa0Rc8dFbE4hYs1uPz9gKiJ3wMe6x5Aa0=",
        ),
        (
            "kiosk_pin: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n"
            "  3963386434623366656231373566396230633935623433643861323031336233\n"
            "  6231306534636234346462646661663636",
            "6231306534636234346462646661663636",
        ),
        (
            "DB_PASSWORD_ENC=U2FsdGVkX19Tq7vNa0Rc8dFbE4hYs1uPz9gKiJ3wMe6x5Lm=",
            "U2FsdGVkX19Tq7vNa0Rc8dFbE4hYs1uPz9gKiJ3wMe6x5Lm=",
        ),
        # samples: a comment says so, or the body counts up
        ("RESEND_API_KEY=re_Kq8zVn3T_bWp2Xy7MwL5s4Nd9  # docs sample", "re_Kq8zVn3T_bWp2Xy7MwL5s4Nd9"),
        ("POSTMARK_TOKEN: Kq8zVn3TbWp2Xy7MwL5s  // example only", "Kq8zVn3TbWp2Xy7MwL5s"),
        ("RESEND_API_KEY=re_123456789", "re_123456789"),
        ("api_key = 'sk_test_1234567890'", "sk_test_1234567890"),
        # placeholders and variables in the commands, no password in a restic repository
        ("hass --script auth change_password admin <new-password>", "<new-password>"),
        ("hass --script auth change_password admin $NEW_PW", "$NEW_PW"),
        ("hass --script auth change_password admin --help", "--help"),
        ("restic -r sftp:backup@nas.wall.internal:/volume1/restic snapshots", "backup"),
        ("repository: sftp:restic@10.44.0.9:/srv/restic", "restic"),
        # search-only keys
        (f"const searchClient = algoliasearch('WALLQ7Z2XK', '{_HEX32}');", _HEX32),
        (f"const client = algoliasearch('WALLQ7Z2XK', '{_HEX32}'); // search-only key", _HEX32),
        (
            "const client = algoliasearch(process.env.ALGOLIA_APP_ID, process.env.ALGOLIA_ADMIN_KEY);",
            "ALGOLIA_ADMIN_KEY",
        ),
        # a passphrase that is a word
        ("uses the passphrase from the vault, not the old one", "from"),
        ("The passphrase rotation is due on Friday", "rotation"),
    ],
)
def test_round42_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)
