"""Redaction round 23 (tuned on test26's first reading): a URL password before an empty host
(``snowflake://user:pw@/DB``); the positional password of Windows ``net use``; a credential constant
declared with its type (Rust, Kotlin, Swift, Go) or by ``#define``; a form field's value named by its
CSS selector (a Sentry ``ui.input`` breadcrumb); a long key file pasted under the line that names it
(Chef's ``encrypted_data_bag_secret``); hiera-eyaml's clear ``DEC(…)::PKCS7[…]!`` form; and, kept,
placeholder words (``CHANGE_ME``, ``TODO``), hiera-eyaml ``ENC[PKCS7,…]`` ciphertext whole and a
Kerberos principal after ``-p``. Fresh fake values, none a planted row's."""

from __future__ import annotations

import base64
import hashlib

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

# 512 random-looking bytes, as ``openssl rand -base64 512 | tr -d '\r\n'`` writes a data bag secret
_BAG_SECRET = base64.b64encode(
    b"".join(hashlib.sha512(f"round23-bag-{i}".encode()).digest() for i in range(8))
).decode()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "airflow connections add sf_stage --conn-uri "
            "'snowflake://ETL_USER:Kq8wZt3LmN2v@/ANALYTICS/STAGING?account=xy12345&warehouse=WH'",
            "Kq8wZt3LmN2v",
        ),
        (
            "AIRFLOW_CONN_ORDERS_SOCKET=postgresql://app:Rv5tYq8wPz2mK@/orders?host=/var/run/postgresql",
            "Rv5tYq8wPz2mK",
        ),
    ],
)
def test_url_password_before_an_empty_host(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("snowflake://LOADER:${SNOWFLAKE_PASSWORD}@/RAW/PUBLIC?account=xy12345", "${SNOWFLAKE_PASSWORD}"),
        ("postgresql://app:password@/orders?host=/var/run/postgresql", "password"),
        ("snowflake://LOADER:<password>@/RAW/PUBLIC", "<password>"),
        # no user part: a path, not a credential
        ("see file:///srv/app:v2@/current for the layout", "v2"),
    ],
)
def test_empty_host_url_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "C:\\> net use X: \\\\fs-02.acme.internal\\scans Wd3rTq8vLx2mZn6 "
            "/user:ACME\\svc-scan /persistent:no",
            "Wd3rTq8vLx2mZn6",
        ),
        ('net use \\\\fs-02\\ipc$ "Hq7zLp2Wx!9" /user:ACME\\ops', "Hq7zLp2Wx!9"),
        ("net use * \\\\nas01\\backup Pz3vNq8tKw44 /user:backup", "Pz3vNq8tKw44"),
        # the other order: the password after ``/user:``
        ("net use Y: \\\\nas01\\media /user:ACME\\media Gm6tRz2QwX9pLd", "Gm6tRz2QwX9pLd"),
        ("cmdkey /generic:TERMSRV/pc-14 /user:ACME\\ops /pass:Tq8wZt3LmN2vR5", "Tq8wZt3LmN2vR5"),
    ],
)
def test_windows_share_and_credential_manager_passwords(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ``*`` prompts for the password; switches and prose are no password
        ("net use X: \\\\fs-02\\scans * /user:ACME\\svc-scan", "*"),
        ("net use X: \\\\fs-02\\scans /delete", "/delete"),
        ("net use X: \\\\fs-02\\scans and then reboot the PC", "and"),
        ("net use Z: \\\\fs-02\\scans %SCAN_PW% /user:ACME\\svc-scan", "%SCAN_PW%"),
        ("cmdkey /generic:fs01 /user:ops /pass:%FS_PW%", "%FS_PW%"),
    ],
)
def test_windows_share_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('const PMS_TEST_PASSWORD: &str = "Lx4vTq9zWm2R8p";', "Lx4vTq9zWm2R8p"),
        ('static API_TOKEN: &\'static str = "c8Fq2LxZ7vNw4KpR9sTm3JyB";', "c8Fq2LxZ7vNw4KpR9sTm3JyB"),
        ('pub const SERVICE_TOKEN: &str = "Yw3tQz8LmX2vRk9PcN5s";', "Yw3tQz8LmX2vRk9PcN5s"),
        ('private const val SMTP_SECRET: String = "Hw4qT8zLmP2xNc"', "Hw4qT8zLmP2xNc"),
        ('let apiToken: String = "Zq3mW8tLx2vNp7RkYc4s"', "Zq3mW8tLx2vNp7RkYc4s"),
        ('const dbPassword string = "Quay7Marsh2041"', "Quay7Marsh2041"),
        ('#define DB_PASSWORD "Rt7vLq2Zx9pW"', "Rt7vLq2Zx9pW"),
        ('#  define SIGNING_KEY "Nx4pWq8LzT2vKrQs6mYc"', "Nx4pWq8LzT2vKrQs6mYc"),
    ],
)
def test_typed_or_defined_credential_constant(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a name about the credential, a prompt, a length, a lookup, a record's key
        ('const PASSWORD_FILE: &str = "/run/secrets/db_password";', "/run/secrets/db_password"),
        ('#define PASSWORD_PROMPT "Enter password: "', "Enter password: "),
        ('#define MAX_TOKEN_LEN "64"', "64"),
        ('const DB_PASSWORD: &str = env!("DB_PASSWORD");', "DB_PASSWORD"),
        ('const CACHE_KEY: &str = "c8Fq2LxZ7vNw4KpR9sTm3JyB";', "c8Fq2LxZ7vNw4KpR9sTm3JyB"),
        ('let secret_name: &str = "prod/orders/db";', "prod/orders/db"),
        ('const DB_PASSWORD: &str = "changeme";', "changeme"),
        # a string that merely follows a credential word is no constant
        ('printf("token %s\\n", "Vb7kQ2mZx9LpRtHs");', "Vb7kQ2mZx9LpRtHs"),
    ],
)
def test_typed_constant_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            '{"type": "default", "category": "ui.input", "data": '
            '{"target": "input#password", "value": "Rv5tYq8wPz2mKq"}}',
            "Rv5tYq8wPz2mKq",
        ),
        (
            '{"category": "ui.input", "data": {"target": "form#login > input[name=password]", '
            '"value": "Harbor7Lantern22"}}',
            "Harbor7Lantern22",
        ),
        ('{"field": "new_password", "value": "Gq8xZt2LmW9vRpQs"}', "Gq8xZt2LmW9vRpQs"),
        ('{"name": "password", "value": "Wq7Lp2xZr9vT"}', "Wq7Lp2xZr9vT"),
    ],
)
def test_form_field_named_by_its_selector(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"target": "input#password-strength", "value": "weak"}', "weak"),
        ('{"target": "input#search", "value": "Tq8wZt3LmN2vR5"}', "Tq8wZt3LmN2vR5"),
        ('{"target": "input#password", "value": "********"}', "********"),
        ('{"target": "button#forgot-password", "value": "click"}', "click"),
    ],
)
def test_form_field_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    "text",
    [
        f"# /etc/chef/encrypted_data_bag_secret (cat, pasted into the ticket)\n{_BAG_SECRET}",
        f"$ sudo cat /etc/chef/encrypted_data_bag_secret\n\n{_BAG_SECRET}",
        f"knife data bag secret key (copied from the old workstation):\n{_BAG_SECRET[:600]}",
    ],
)
def test_long_key_file_pasted_under_the_line_that_names_it(text: str) -> None:
    assert len(_BAG_SECRET) > 400
    _gone(text, _BAG_SECRET[:600])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a digest of the secret file, and a line that names no credential
        (
            "# sha256 of /etc/chef/encrypted_data_bag_secret\n"
            "9f2c4e1a7b3d5f60a8c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5",
            "9f2c4e1a7b3d5f60a8c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5",
        ),
        (f"# the rendered banner image, base64\n{_BAG_SECRET[:500]}", _BAG_SECRET[:500]),
    ],
)
def test_long_value_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("<server>\n  <id>releases</id>\n  <password>CHANGE_ME</password>\n</server>", "CHANGE_ME"),
        ("<password>REPLACE-ME</password>", "REPLACE-ME"),
        ("password: TODO", "TODO"),
        ("DB_PASSWORD=fill_in", "fill_in"),
        ('api_key: "FIXME"', "FIXME"),
        ('smtp_password = "TBD"', "TBD"),
    ],
)
def test_placeholder_words_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a real password that starts like a placeholder word
        ("<password>Ch4ngeMe!2024</password>", "Ch4ngeMe!2024"),
        ("password: todo-Quay7Marsh", "todo-Quay7Marsh"),
        ("DB_PASSWORD=ChangeMe2026x", "ChangeMe2026x"),
    ],
)
def test_passwords_near_placeholder_words_still_found(text: str, value: str) -> None:
    _gone(text, value)


_EYAML = (
    "ENC[PKCS7,MIIBeQYJKoZIhvcNAQcDoIIBajCCAWYCAQAxggEhMIIBHQIBADAFMAACAQEwDQYJKoZIhvcNAQEBBQAEggEA"
    "Lq2Wz9vTn4KpRt7vLq2Zx9p+/Hq7zLp2WxVb7kQ2mZx9LpRtHsNx4pWq8LzT2vKr]"
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"profile::orders::api_key: {_EYAML}", _EYAML),
        (
            "profile::db::password: >\n"
            "    ENC[PKCS7,MIIBiQYJKoZIhvcNAQcDoIIBejCCAXYCAQAxggEhMIIBHQIBADAFMAACAQEw\n"
            "    DQYJKoZIhvcNAQEBBQAEggEAOGdQ8Lq2Wz9vTn4KpRt7vLq2Zx9p+/Hq7zLp2WxVb7k]",
            "DQYJKoZIhvcNAQEBBQAEggEAOGdQ8Lq2Wz9vTn4KpRt7vLq2Zx9p+/Hq7zLp2WxVb7k]",
        ),
        (
            "smtp_password: ENC[GPG,hQEMA0Lq2Wz9vTn4KpRt7vLq2Zx9p+Hq7zLp2WxVb7kQ2mZx9LpRtHs==]",
            "ENC[GPG,hQEMA0Lq2Wz9vTn4KpRt7vLq2Zx9p+Hq7zLp2WxVb7kQ2mZx9LpRtHs==]",
        ),
        # a Kerberos principal after ``-p`` names who, not the password
        ("ktutil:  addent -password -p svc_orders@ACME -k 1 -e aes256-cts", "svc_orders@ACME"),
        ("kinit -p host/db1.acme.internal@ACME.INTERNAL", "host/db1.acme.internal@ACME.INTERNAL"),
    ],
)
def test_ciphertext_and_principals_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # eyaml's edit form holds the clear value
        ("profile::db::password: DEC(1)::PKCS7[Quay7Marsh2041]!", "Quay7Marsh2041"),
        # a clear value beside eyaml ciphertext is still read by its name
        (f"profile::orders::api_key: {_EYAML}\nprofile::smtp::password: Rv5tYq8wPz2mK", "Rv5tYq8wPz2mK"),
        # the password typed at the ktutil prompt, and a ``-p`` password that is no principal
        (
            "ktutil:  addent -password -p svc_orders@ACME -k 1\nPassword for svc_orders@ACME: Tq8wZt3LmN2vR5",
            "Tq8wZt3LmN2vR5",
        ),
        ("mongo -u admin -p Quay7@PROD1x --host db1", "Quay7@PROD1x"),
    ],
)
def test_clear_values_beside_ciphertext_and_principals_found(text: str, value: str) -> None:
    _gone(text, value)


def test_ktutil_line_keeps_its_principal() -> None:
    """Only the password goes: the principal after ``-p`` and the one in the prompt stay."""
    from kb.safety.redaction import redact_text

    text = (
        "ktutil:  addent -password -p svc_orders@ACME -k 1 -e aes256-cts\n"
        "Password for svc_orders@ACME: Tq8wZt3LmN2vR5"
    )
    assert redact_text(text) == text.replace("Tq8wZt3LmN2vR5", "[REDACTED:password-assignment]")
