"""Redaction round 29 (tuned on test32's first reading): a Salesforce session id (``00D…!…``), an
S3-compatible access key id under ``access_key_id``/``access_key``, what ``base64 KEYFILE`` prints, a
secret-named setting's key inside a decoding call, ``*_CRYPT_KEY=`` hex, a database constructor's
password argument in a stack trace, and the look-alike: an AWS X-Ray trace id is no card number.
Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from kb.safety.redaction import find_secrets, redact_text
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_SF = "00D5e000001Qx7TEAQ!AQ8AQJp3Kd9fL2mZ7wRt0yVb4nHs6cXe1uGi5oPa8kMq3jLz.Wv2Rb9Ty_Fh4Nd7Sg0Kc6"
_HEX64 = "9c41e07b2d8f3a65c0b1e4d79a2f8c3605e7b1d4a9c2f86e30b5d7a1c4e9f2b8"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Salesforce session ids and access tokens
        (f'curl https://acme.my.salesforce.com/services/data/v60.0/ -H "Authorization: Bearer {_SF}"', _SF),
        (f"sf org display: Access Token {_SF}", _SF),
        (f"SF_ACCESS_TOKEN={_SF}", _SF),
        # S3-compatible access key ids without the AWS prefix
        (
            "[minio-lab]\ntype = s3\nprovider = Minio\naccess_key_id = Q4ZT8LMW2RXK7PNV3HJC",
            "Q4ZT8LMW2RXK7PNV3HJC",
        ),
        (
            "[default]\naccess_key = W7N2KQ9XRT4ML8PZ3VBD\nhost_base = s3.wasabisys.com",
            "W7N2KQ9XRT4ML8PZ3VBD",
        ),
        ("R2_ACCESS_KEY_ID=7a3f9c2e81d04b6f95e2c7a1d3b80f4e", "7a3f9c2e81d04b6f95e2c7a1d3b80f4e"),
        ("  aws_access_key_id = 3KXQ7ZP2WM9RT4LNV8BC", "3KXQ7ZP2WM9RT4LNV8BC"),
        # key files printed by base64
        (
            "$ base64 -w0 /etc/munge/munge.key\n"
            "qL3vR9tYx2Kd8mNp4Zs7Wc1Hf6Jb0Ge5Ua+Xo/Ti3Pl8Qn2Rk7Vw4Ey1Mz9==",
            "qL3vR9tYx2Kd8mNp4Zs7Wc1Hf6Jb0Ge5Ua+Xo/Ti3Pl8Qn2Rk7Vw4Ey1Mz9==",
        ),
        (
            "# base64 /srv/app/config/master.key\nZm9P3kQ8rT2vX7yB1nM4cL6hJ9dS0aW5eR",
            "Zm9P3kQ8rT2vX7yB1nM4cL6hJ9dS0aW5eR",
        ),
        # decoding calls around a secret-named setting's key
        (f"c.JupyterHub.cookie_secret = bytes.fromhex('{_HEX64}')", _HEX64),
        (f"SECRET_KEY = binascii.unhexlify(b'{_HEX64}')", _HEX64),
        (
            'signing_key = base64.b64decode("Hq8Zt2Lm4Rx9Vb7Np3Kc6Wy1Jf5Ds0Ga8Qe2Uo4Ti=")',
            "Hq8Zt2Lm4Rx9Vb7Np3Kc6Wy1Jf5Ds0Ga8Qe2Uo4Ti=",
        ),
        # crypt/encryption keys in hex
        (f"JUPYTERHUB_CRYPT_KEY={_HEX64}", _HEX64),
        (f"export VAULT_ENCRYPT_KEY={_HEX64}", _HEX64),
        # database constructors' passwords
        (
            "#1 /srv/www/lib/Db.php(42): PDO->__construct('pgsql:host=db;dbname=app', 'app', 'Rk7mQ2vLx9Tz')",
            "Rk7mQ2vLx9Tz",
        ),
        ("$db = new PDO('mysql:host=localhost;dbname=crm', 'crm', 'lanternBrook');", "lanternBrook"),
        ('#0 index.php(7): mysqli->__construct("db01", "shop", "pV4nT8kQw2", "shop")', "pV4nT8kQw2"),
        (
            'conn = DriverManager.getConnection("jdbc:postgresql://db:5432/app", "app", "Zq8Tn3Lw5Rv")',
            "Zq8Tn3Lw5Rv",
        ),
    ],
)
def test_round29_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # X-Ray trace ids, whose digit runs can pass a card's check
        ("X-Amzn-Trace-Id: Root=1-5f84c7a2-3b91264853097130bd7e2a4c", "1-5f84c7a2-3b91264853097130bd7e2a4c"),
        ("trace_id=1-65a0f3c1-4539578763621486e2d1c0ab parent=53995c3f42cd8ad8", "4539578763621486"),
        # digests stay digests
        (f"ARTIFACT_SHA256={_HEX64}", _HEX64),
        (f"sha256sum: {_HEX64}  slurm-23.11.tar.bz2", _HEX64),
        # access key names that hold no key id
        ("access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        ("access_key_id = ${R2_ACCESS_KEY_ID}", "R2_ACCESS_KEY_ID"),
        ("access_key_id = XXXXXXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXXXXXX"),
        # base64 of something that is no key file, or decoding
        (
            "$ base64 /etc/ssh/ssh_host_ed25519_key.pub\nc3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5U",
            "c3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5U",
        ),
        (
            "$ base64 report.txt\nVGhlIG5pZ2h0bHkgYmFja3VwIHN1Y2NlZWRlZA==",
            "VGhlIG5pZ2h0bHkgYmFja3VwIHN1Y2NlZWRlZA==",
        ),
        # a decoding call whose setting names no secret, or whose value is text
        (
            "payload = base64.b64decode('aGVsbG8gd29ybGQgZnJvbSB0aGUgbG9n')",
            "aGVsbG8gd29ybGQgZnJvbSB0aGUgbG9n",
        ),
        (f"expected_digest = bytes.fromhex('{_HEX64}')", _HEX64),
        # constructors whose password is a variable, a placeholder or hidden by PHP
        ("$db = new PDO($dsn, $user, $password);", "$password"),
        ("#0 Db.php(9): PDO->__construct('mysql:host=db', 'app', Object(SensitiveParameterValue))", "app"),
        ("new PDO('mysql:host=db;dbname=x', 'app', '<password>')", "<password>"),
    ],
)
def test_round29_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_pdo_keeps_the_dsn_and_user() -> None:
    out = redact_text("PDO->__construct('mysql:host=db;dbname=app', 'app', 'Rk7mQ2vLx9Tz')")
    assert "'app'" in out and "dbname=app" in out and "Rk7mQ2vLx9Tz" not in out


def test_xray_trace_id_is_no_card() -> None:
    assert not find_secrets("X-Amzn-Trace-Id: Root=1-5f84c7a2-3b91264853097130bd7e2a4c;Sampled=1")
