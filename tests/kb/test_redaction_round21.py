"""Redaction round 21 (tuned on test24's first reading): an actuator ``/env`` property object is read as
its name holding its ``"value"`` even when the excerpt stops inside it; the line a secret-reading
command prints (``gcloud secrets versions access``, ``az keyvault secret show … -o tsv``, ``vault kv
get -field=…``, ``aws secretsmanager get-secret-value … --output text``, ``kubectl get secret … |
base64 -d``) is the secret, named by it; a ``user / password`` pair after a named account
(``bootstrap user``) and a clause; an IPv6 address literal of a mail header; and, kept, a registry
export's ``hex:`` bytes and a Google Cloud service account's address. Fresh fake values, none a
planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_ACTUATOR_OPEN = (
    '  "propertySources": [\n    {\n      "name": "applicationConfig",\n      "properties": {\n'
    '        "spring.rabbitmq.password": {\n          "value": "Wd3rTq8vLx2mZn6",'
)
_ACTUATOR_CLOSED = (
    '"properties": {\n  "LEDGER_API_TOKEN": {\n    "value": "c8Fq2LxZ7vNw4KpR9sTm3JyB",\n'
    '    "origin": "System Environment Property \\"LEDGER_API_TOKEN\\""\n  },\n'
    '  "server.port": {\n    "value": "8443"\n  }\n}'
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (_ACTUATOR_OPEN, "Wd3rTq8vLx2mZn6"),
        (_ACTUATOR_CLOSED, "c8Fq2LxZ7vNw4KpR9sTm3JyB"),
    ],
)
def test_actuator_property_object_value_is_read_by_its_name(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (_ACTUATOR_CLOSED, "8443"),
        # a name that says nothing keeps its value, open or closed
        (
            '"properties": {\n  "spring.application.name": {\n    "value": "ledger-sync-worker7",',
            "ledger-sync-worker7",
        ),
        # a property source that names itself is the name/value rule's, not read by its key
        ('"stage": {"name": "Rollout", "value": "wave-3-canary"}', "wave-3-canary"),
    ],
)
def test_actuator_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "$ gcloud secrets versions access 7 --secret=orders-db-password --project acme-ops\n"
            "quay-lantern-harbor71",
            "quay-lantern-harbor71",
        ),
        (
            "$ az keyvault secret show --vault-name kv-acme-int --name sftp-admin-password "
            "--query value -o tsv\n"
            "Pq8wZt3LmN2vR5",
            "Pq8wZt3LmN2vR5",
        ),
        ("$ vault kv get -field=password kv/orders/db\nTr4nsit-Quay-88", "Tr4nsit-Quay-88"),
        # a Key Vault id names the secret before its version
        (
            "$ az keyvault secret show --id https://kv-acme-int.vault.azure.net/secrets/relay-smtp-password/"
            "0b7e41d2 --query value -o tsv\nMz5qTw8rXc3vLp",
            "Mz5qTw8rXc3vLp",
        ),
        (
            "$ aws secretsmanager get-secret-value --secret-id prod/orders/db-password --query SecretString "
            "--output text\nWq7-Lp2xZr9vTn4",
            "Wq7-Lp2xZr9vTn4",
        ),
        (
            "$ kubectl get secret orders-db -n prod -o jsonpath='{.data.password}' | base64 -d\nRv5tYq8wPz2m",
            "Rv5tYq8wPz2m",
        ),
    ],
)
def test_value_printed_by_a_secret_reading_command(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a secret whose name says nothing about a credential
        (
            "$ gcloud secrets versions access latest --secret orders-db-host\ndb-7.acme.internal",
            "db-7.acme.internal",
        ),
        # az printing the secret's id, not its value
        (
            "$ az keyvault secret show --vault-name kv-acme-int --name sftp-admin-password "
            "--query id -o tsv\n"
            "https://kv-acme-int.vault.azure.net/secrets/sftp-admin-password/4f1c",
            "https://kv-acme-int.vault.azure.net/secrets/sftp-admin-password/4f1c",
        ),
        # a field that is not the password
        ("$ vault kv get -field=username kv/orders/db\norders_app", "orders_app"),
        (
            "$ aws secretsmanager get-secret-value --secret-id prod/orders/db-password --query VersionId "
            "--output text\n9f8e7d6c-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
            "9f8e7d6c-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
        ),
        (
            "$ kubectl get secret orders-db -o jsonpath='{.data.username}' | base64 --decode\norders_app",
            "orders_app",
        ),
    ],
)
def test_secret_reading_command_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# bootstrap user, remove after provisioning: relay-gw / Vb7kQ2mZx9LpRtHs", "Vb7kQ2mZx9LpRtHs"),
        ("# credentials, rotate after the pilot: ops-relay / Nx4pWq8LzT2vKr", "Nx4pWq8LzT2vKr"),
        ("; initial account: hist-svc / Gm6tRz2QwX9pLd", "Gm6tRz2QwX9pLd"),
    ],
)
def test_user_password_pair_in_a_config_comment(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# bootstrap user, remove after provisioning: relay-gw / changeme", "relay-gw"),
        ("# credentials, see the runbook: read-only / read-write", "read-write"),
        ("# default user: admin / see-the-vault-entry", "see-the-vault-entry"),
    ],
)
def test_user_password_pair_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_ipv6_address_literal_in_a_received_header() -> None:
    _gone("Received: from [IPv6:2a00:1450:4864:20::52f] by mx2.acme.internal", "2a00:1450:4864:20::52f")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Received: from [IPv6:fe80::1c2:3ff:fe4d:5a6b] by mx2.acme.internal", "fe80::1c2:3ff:fe4d:5a6b"),
        ("Received: from [IPv6:2001:db8::25] by mx2.acme.internal", "2001:db8::25"),
    ],
)
def test_ipv6_literal_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme\\Sync]\n"StoredPassword"=hex:01,00,00,00,d0,8c,9d,df,01,15,'
            "d1,11,8c,7a,00,c0,4f,c2,97,eb,01,00,00,00,3a,9e",
            "hex:01,00,00,00,d0,8c,9d,df,01,15,d1,11,8c,7a,00,c0,4f,c2,97,eb,01,00,00,00,3a,9e",
        ),
        ('"ApiSecret"=hex(2):25,00,41,00,50,00,50,00,44,00', "hex(2):25,00,41,00,50,00,50,00,44,00"),
        (
            '  "serviceAccountEmail": "sync-job@acme-ops-7.iam.gserviceaccount.com",',
            "sync-job@acme-ops-7.iam.gserviceaccount.com",
        ),
        (
            "runs as 48213977-compute@developer.gserviceaccount.com",
            "48213977-compute@developer.gserviceaccount.com",
        ),
    ],
)
def test_registry_bytes_and_service_account_addresses_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a registry string value is still read by its name
        ('"StoredPassword"="Hk4vQz8mWp2xLt"', "Hk4vQz8mWp2xLt"),
        # a person's address on a look-alike domain is still personal
        ("escalated to rhea.okafor@gserviceaccount-support.net", "rhea.okafor@gserviceaccount-support.net"),
    ],
)
def test_registry_and_address_positives_still_found(text: str, value: str) -> None:
    _gone(text, value)
