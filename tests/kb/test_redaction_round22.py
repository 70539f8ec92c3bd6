"""Redaction round 22 (tuned on test25's first reading): a literal that infrastructure code wraps as a
secret (CDK ``SecretValue.unsafePlainText``, Pulumi ``pulumi.secret``); a password piped into
``saslpasswd2 -p``/``htpasswd -i``; a SASL ``user@realm:password`` on a line about SASL; a Consul or
Nomad gossip ``encrypt`` key (base64 of 16/24/32 bytes); a token in a ``tokens`` block (Consul's
``acl { tokens { … } }``), UUIDs included; a CSV export's credential column; and, kept, a setting
whose name says it holds the credential encrypted (``DB_PASSWORD_ENC``), a sops ``ENC[…]`` value
whole and Vault transit ``vault:v1:`` ciphertext. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "credentials: rds.Credentials.fromPassword('admin', "
            "SecretValue.unsafePlainText('Quay7Marsh2041')),",
            "Quay7Marsh2041",
        ),
        ("masterUserPassword: cdk.SecretValue.plainText('Lx4vTq9zWm2R'),", "Lx4vTq9zWm2R"),
        ('password=SecretValue.unsafe_plain_text("Rt7-vLq2Zx9p"),', "Rt7-vLq2Zx9p"),
        ('const dbPassword = pulumi.secret("Hw4qT8zLmP2xNc");', "Hw4qT8zLmP2xNc"),
        ('api_key = pulumi.Output.secret("c8Fq2LxZ7vNw4KpR9sTm3JyB")', "c8Fq2LxZ7vNw4KpR9sTm3JyB"),
        ('pw := pulumi.ToSecret("Gm6tRz2QwX9pLd")', "Gm6tRz2QwX9pLd"),
    ],
)
def test_literal_wrapped_as_a_secret_by_infrastructure_code(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "credentials: rds.Credentials.fromPassword('admin', "
            "SecretValue.unsafePlainText(props.dbPassword)),",
            "props.dbPassword",
        ),
        ('const region = pulumi.secret("us-east-1");', "us-east-1"),
        ("SecretValue.unsafePlainText('changeme')", "changeme"),
        ("SecretValue.secretsManager('prod/orders/db')", "prod/orders/db"),
    ],
)
def test_secret_wrapper_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("$ echo 'Wd3rTq8vLx2mZn6' | saslpasswd2 -a memcached -c -p cachesvc", "Wd3rTq8vLx2mZn6"),
        ("echo -n 'Hq7zLp2Wx' | sudo saslpasswd2 -cp -a memcached relay", "Hq7zLp2Wx"),
        ("echo 'Pz3vNq8tKw' | htpasswd -i -c /etc/nginx/.htpasswd ops", "Pz3vNq8tKw"),
    ],
)
def test_password_piped_into_a_tool_that_reads_it_from_stdin(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('echo "$CACHE_PW" | saslpasswd2 -p -a memcached cachesvc', "$CACHE_PW"),
        # without -p saslpasswd2 prompts: what is echoed is not its password
        ("echo 'starting seed' | saslpasswd2 -a memcached -c cachesvc", "starting"),
    ],
)
def test_stdin_password_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# SASL_PWDB seeded with: relay@cache-3:Vb7kQ2mZx9LpRtHs", "Vb7kQ2mZx9LpRtHs"),
        ("# sasldb account for the bridge: bridge@kv-mq:Nx4pWq8LzT2vKr", "Nx4pWq8LzT2vKr"),
    ],
)
def test_sasl_account_with_realm_and_password(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# clone with: git@gitlab.acme.internal:platform/infra.git", "platform/infra.git"),
        ("# login: deploy@bastion-1:2222", "2222"),
        # what sasldblistusers2 prints: the attribute's name, not the password
        ("# sasl users: relay@cache-3: userPassword", "userPassword"),
        # a user@host:pair on a line about something else
        ("# mirror: backup@nas-2:Tq8wZt3LmN2v", "Tq8wZt3LmN2v"),
    ],
)
def test_user_at_host_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            'datacenter = "dc1"\nencrypt = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="',
            "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=",
        ),
        ('server {\n  enabled = true\n  encrypt = "Zq3mW8tLx2vNp7RkYc4sHg=="\n}', "Zq3mW8tLx2vNp7RkYc4sHg=="),
        (
            '{"datacenter": "dc1", "encrypt": "h65lqS3w4x42KP+n4Hn9RtK84Rx7zP3WSahZSKRQ5zA="}',
            "h65lqS3w4x42KP+n4Hn9RtK84Rx7zP3WSahZSKRQ5zA=",
        ),
        (
            "consul agent -server -encrypt=Yw3tQz8LmX2vRk9PcN5sJg== -data-dir /opt/consul",
            "Yw3tQz8LmX2vRk9PcN5sJg==",
        ),
    ],
)
def test_gossip_encryption_key(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ``encrypt`` naming a switch, a mode or a file, not a key
        ("encrypt = true", "true"),
        ('encrypt: "aes256-gcm"', "aes256-gcm"),
        # base64 of text is not 16/24/32 random bytes
        ('encrypt = "c2VjcmV0cy9jb25zdWwva2V5cw=="', "c2VjcmV0cy9jb25zdWwva2V5cw=="),
    ],
)
def test_gossip_key_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "acl {\n  enabled = true\n  tokens {\n"
            '    initial_management = "3f9c2a7e-51b4-4d0e-9a6f-0c8e7b21d4a5"\n  }\n}',
            "3f9c2a7e-51b4-4d0e-9a6f-0c8e7b21d4a5",
        ),
        (
            'acl {\n  tokens {\n    agent   = "b71e0d94-2c3a-4f85-8e16-5a9d7c04e3b2"\n'
            '    default = "e4a8c1f2-7b3d-4096-a5e1-9c2f6d80b7a4"\n  }\n}',
            "e4a8c1f2-7b3d-4096-a5e1-9c2f6d80b7a4",
        ),
        (
            '{"acl": {"enabled": true, "tokens": {"agent": "b71e0d94-2c3a-4f85-8e16-5a9d7c04e3b2"}}}',
            "b71e0d94-2c3a-4f85-8e16-5a9d7c04e3b2",
        ),
    ],
)
def test_token_in_a_tokens_block(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a UUID outside a tokens block is an id
        ('node_id = "3f9c2a7e-51b4-4d0e-9a6f-0c8e7b21d4a5"', "3f9c2a7e-51b4-4d0e-9a6f-0c8e7b21d4a5"),
        ('acl {\n  enabled = true\n  default_policy = "deny"\n  token_ttl = "30s"\n}', "deny"),
        # a child named about a token, not the token
        (
            'tokens {\n  replication_accessor_id = "0c8e7b21-d4a5-4d0e-9a6f-3f9c2a7e51b4"\n}',
            "0c8e7b21-d4a5-4d0e-9a6f-3f9c2a7e51b4",
        ),
        # the nil UUID is no token
        (
            'tokens {\n  agent = "00000000-0000-0000-0000-000000000000"\n}',
            "00000000-0000-0000-0000-000000000000",
        ),
    ],
)
def test_tokens_block_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "customer_id,name,email,portal_password\n5512,Ada Quill,ada@acme.example,Harbor7Lantern22",
            "Harbor7Lantern22",
        ),
        ("user;apiToken;role\nops-bot;Tq8wZt3LmN2vR5xKp7Yc;admin", "Tq8wZt3LmN2vR5xKp7Yc"),
        ("login\tpassword\tcreated\nrelay\tGm6tRz2QwX9pLd\t2026-03-01", "Gm6tRz2QwX9pLd"),
        # the second of two data rows too
        ("id,portal_password\n1,Wq7Lp2xZr9vT\n2,Rv5tYq8wPz2mK", "Rv5tYq8wPz2mK"),
    ],
)
def test_credential_column_of_a_csv_export(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # about the credential, not it
        ("user,password_hash\nops,Tq8wZt3LmN2vR5xKp7Yc", "Tq8wZt3LmN2vR5xKp7Yc"),
        ("model,prompt_tokens,token_count\ngpt,1200,1532", "1532"),
        # a word that only starts like one
        ("passenger_name,seat\nAda Quill,14C", "Ada Quill"),
        # a placeholder, and a column that names no credential
        ("user,password\nops,********", "********"),
        ("user,wagon_ref\nops,KV8d2Lq7ZtW3xP9m", "KV8d2Lq7ZtW3xP9m"),
        # prose with commas is no header
        ("Rotate the password, then restart the relay\nops, Tq8wZt3LmN2vR5", "Tq8wZt3LmN2vR5"),
    ],
)
def test_csv_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('env {\n  DB_PASSWORD_ENC = "Gq8xZt2LmW9vRpQs"\n}', "Gq8xZt2LmW9vRpQs"),
        ("API_TOKEN_ENCRYPTED=gAAAAABkX2Lp9Qz8vTnW", "gAAAAABkX2Lp9Qz8vTnW"),
        ("smtp_password_ciphertext: AQICAHh8Lq2Wz9vTn4Kp", "AQICAHh8Lq2Wz9vTn4Kp"),
        (
            "dd_api_key: "
            "ENC[AES256_GCM,data:Hq7zLp2WxVb7kQ2m,iv:Nx4pWq8LzT2vKrQs,tag:Gm6tRz2QwX9pLdAb==,type:str]",
            "ENC[AES256_GCM,data:Hq7zLp2WxVb7kQ2m,iv:Nx4pWq8LzT2vKrQs,tag:Gm6tRz2QwX9pLdAb==,type:str]",
        ),
        (
            'DB_PASSWORD = "vault:v1:Kq8wZt3LmN2vR5xKp7YcWd3rTq8vLx2mZn6+/Q=="',
            "vault:v1:Kq8wZt3LmN2vR5xKp7YcWd3rTq8vLx2mZn6+/Q==",
        ),
    ],
)
def test_encrypted_values_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the clear value beside it is still read by its name
        ('DB_PASSWORD = "Gq8xZt2LmW9vRpQs"', "Gq8xZt2LmW9vRpQs"),
        ("ENCRYPTED_VOLUME_PASSWORD=Tq8wZt3LmN2vR5", "Tq8wZt3LmN2vR5"),
        # a Basic credential after a sops file is still one
        (
            "password: ENC[AES256_GCM,data:Hq7zLp2W,iv:Nx4pWq8L,tag:Gm6t,type:str]\n"
            "curl -H 'Authorization: Basic b3BzOlRxOHdadDNMbU4ydlI1' https://relay.acme.internal",
            "b3BzOlRxOHdadDNMbU4ydlI1",
        ),
    ],
)
def test_clear_values_beside_ciphertext_still_found(text: str, value: str) -> None:
    _gone(text, value)


def test_csv_row_keeps_its_other_cells() -> None:
    """The cell under the credential column goes, the row's other cells stay (no printout rule takes
    the whole row as a value alone on its line)."""
    from kb.safety.redaction import redact_text

    out = redact_text("user,password,role\nops-relay,Tq8wZt3LmN2vR5,admin")
    assert out == "user,password,role\nops-relay,[REDACTED:password-assignment],admin"


def test_design_tokens_block_kept() -> None:
    """A design-token file's ``tokens`` block holds colours and fonts, not credentials."""
    from kb.safety.redaction import redact_text

    text = '{"tokens": {"color-primary": "#1a73e8ff", "font-body": "Inter-Regular-400", "space-4": "16px"}}'
    assert redact_text(text) == text
