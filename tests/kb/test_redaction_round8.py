# ruff: noqa: E501  (fake values and the lines that hold them are long)
"""Redaction round 8 (tuned on test11's misses): one case per mechanism, with fresh fake values, and
the look-alikes each rule must keep. test12 was written before these rules to measure them."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # dotted three-word passphrases under a password name
        ("KEYCLOAK_ADMIN_PASSWORD=ember.copper.lantern31", "ember.copper.lantern31"),
        (
            'db.createUser({user: "billing", pwd: "meadow.orbit.falcon72", roles: []})',
            "meadow.orbit.falcon72",
        ),
        ("Username: svc_sync\nPassword: cedar.violet.harbor19", "cedar.violet.harbor19"),
        ("  password: 'pine.glacier.summit40' # until Friday", "pine.glacier.summit40"),
        # a password glued to -p inside an exec-form array
        (
            'test: ["CMD", "mariadb-admin", "ping", "-uroot", "-pcedar.atlas.nimbus88"]',
            "cedar.atlas.nimbus88",
        ),
        ('command: ["mysqladmin", "-uops", "-pQx7!vLm2Tz"]', "Qx7!vLm2Tz"),
        # secret-store command lines writing a value
        (
            "aws ssm put-parameter --name /stage/api/db --type SecureString --value 'Harbor#2031' --overwrite",
            "Harbor#2031",
        ),
        (
            "az keyvault secret set --vault-name kv-ops --name pg-admin --value 'maple.quartz.ember55'",
            "maple.quartz.ember55",
        ),
        (
            "aws secretsmanager put-secret-value --secret-id stage/ldap --secret-string Zt8pQm2vXw4r",
            "Zt8pQm2vXw4r",
        ),
        (
            "printf '%s' 'Lk9-%pWq2=zR7' | gcloud secrets versions add ldap-pass --data-file=-",
            "Lk9-%pWq2=zR7",
        ),
        ("echo -n 'Vn4tQ8xLp2Rm' | docker secret create pg_pass -", "Vn4tQ8xLp2Rm"),
        # prose and table cells where the value is not right after the password word
        (
            "The break-glass account was ops-root and its password was hofqey-pxuvzt-KeWnAb until Monday.",
            "hofqey-pxuvzt-KeWnAb",
        ),
        (
            "| 10:02 | lee posted the FTP creds in #inc-payments (`vendor-drop` / `Tq9!xP2m?Lw`) |",
            "Tq9!xP2m?Lw",
        ),
        (
            '| 11:20 | The BMC password was reset; the new one "Rk7pWm2Q!41" went out by e-mail |',
            "Rk7pWm2Q!41",
        ),
        # a password in JSON escaped inside a JSON string
        (
            '{"msg":"cfg","config":"{\\"db_user\\":\\"etl\\",\\"db_password\\":\\"Wq8zRt5pLm3x\\"}"}',
            "Wq8zRt5pLm3x",
        ),
    ],
)
def test_round8_secret_forms_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("> 10:39 ana: my cell is 1-415-555-0142, text me", "1-415-555-0142"),
        ("大阪オフィス: 06-6312-4478", "06-6312-4478"),
        ("> 09:00 joao: meu celular é (21) 97731-2285", "(21) 97731-2285"),
        ("Melbourne office (landline): (03) 9654 2210", "(03) 9654 2210"),
        ("> 03:48 sven: ring me on 073-512 88 41 if paging fails", "073-512 88 41"),
        ("Teléfono de guardia: 622 31 47 90", "622 31 47 90"),
        ("GET /unsubscribe?email=chiara.ferraro%40gmx.de&list=ops HTTP/1.1", "chiara.ferraro%40gmx.de"),
    ],
)
def test_round8_national_phones_and_encoded_emails_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # code and names of the dotted shape, not under a password name
        ("module: config.db.replica01", "config.db.replica01"),
        ("password_ref: settings.vault.path22", "settings.vault.path22"),
        # a date, an order and a version of the new phone shapes
        ("Released on 01-02-2024 after the freeze.", "01-02-2024"),
        ("Order 720-798-0258 shipped late.", "720-798-0258"),
        ("docker run -p8080:80 nginx", "8080:80"),
        ('command: ["docker", "run", "-p8443:443", "proxy"]', "8443:443"),
        # secret-store commands that point at a file or a variable
        (
            "aws secretsmanager put-secret-value --secret-id stage/ldap --secret-string file://ldap.json",
            "file://ldap.json",
        ),
        ('az keyvault secret set --vault-name kv-ops --name pg-admin --value "$PG_ADMIN_PW"', "$PG_ADMIN_PW"),
        # prose: a quoted name after the password word
        ('Reset the password for "orders-api" and restart it.', "orders-api"),
        # look-alikes test11 touched
        ("SLACK_WEBHOOK_URL=https://hooks.slack.com/services/XXX/YYY/ZZZ", "XXX/YYY/ZZZ"),
        ("client: ::ffff:10.0.5.3, server: api.acme.internal", "::ffff:10.0.5.3"),
        ("DD_CLIENT_TOKEN=pub3f9a8c7e6d5b4a39281706f5e4d3c2b1", "pub3f9a8c7e6d5b4a39281706f5e4d3c2b1"),
        (
            "kind: SealedSecret\nspec:\n  encryptedData:\n    password: AgB" + "x7Qm" * 90 + "==",
            "AgB" + "x7Qm" * 90 + "==",
        ),
    ],
)
def test_round8_look_alikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_a_module_path_is_not_a_vendor_token() -> None:
    _kept(
        'AUTH_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]',
        "allauth.account.auth_backends.AuthenticationBackend",
    )
