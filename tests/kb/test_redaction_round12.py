"""Redaction round 12 (tuned on test15's misses): for each rule a positive and the look-alikes it must
keep, with fresh fake values (none is a planted row's). The rules aim at classes (a template anywhere
in a URL's host, SQL that writes any credential column, any calling verb, a trailing comment that
names a credential or a key vendor, webhook URLs with a secret path, published keys, SSH public keys
of every type), so the positives are other members of each class than the row that showed it. The
next blind fold measures these rules."""

from __future__ import annotations

import pytest

from kb.safety.redaction import redact_text
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_JWT_IO = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2"
    "MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
_ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3kP9vLm2Xz8Rt4Yc6Hd1JfBn7Vw5Qs3Tp0Ke9Lz2 kim@jump"
_ECDSA = (
    "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBPq7kL2mX9vZr3Tn8Yc4Hd1Jf5Bw="
    " root@bastion-2"
)
_AZURITE = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a URL's password before a templated host (Terraform, Helm, Ruby, Python %-format)
        ('url = "mysql://app:Tq7vLm2Xp9Rz4@${var.db_host}:3306/main"', "Tq7vLm2Xp9Rz4"),
        ("DATABASE_URL=postgresql://svc:Hn4kPq8sWz2m@{{ .Values.pg.host }}/orders", "Hn4kPq8sWz2m"),
        ("conn = f'postgresql://etl:Wn5rTq9Lz2Vb@%(host)s/warehouse'", "Wn5rTq9Lz2Vb"),
        # SQL that writes a credential column: each column mapped to its value, every row
        ("INSERT INTO users (email, passwd) VALUES ('a@b.c', 'Lm3xQ9!vZr7k');", "Lm3xQ9!vZr7k"),
        (
            "insert into creds(id,api_token,note) values (7, 'f3a9c1d7e2b84a6c9d0e1f2a3b4c5d6e', 'x')",
            "f3a9c1d7e2b84a6c9d0e1f2a3b4c5d6e",
        ),
        (
            "insert into t (a, secret) values\n  ('x', 'h7Kq2Lm9Xz4Vb8Np3Rt6'),\n"
            "  ('y', 'Qw2Er4Ty6Ui8Op0As')",
            "Qw2Er4Ty6Ui8Op0As",
        ),
        (
            "INSERT INTO smtp_settings (host, smtp_password) VALUES ('mail.corp', 'Grape*Lantern*81');",
            "Grape*Lantern*81",
        ),
        ("UPDATE admins SET email='x@y.org', password='Rt6#pLq2Vz' WHERE id=3;", "Rt6#pLq2Vz"),
        # a phone after a calling verb, unspaced or grouped
        ("the mobile, I texted 07700900461 twice", "07700900461"),
        ("she phoned 07911123456 at 3am", "07911123456"),
        ("support WhatsApp'd 07700900733 with the link", "07700900733"),
        ("customer rang 07700 900 512 from the bridge", "07700 900 512"),
        # a trailing comment that names a credential, or a key vendor after a ``*_key`` setting
        ('sg.init("Zq8vLm3Xk9Rt2Bn7Yc4Hd1Jf")  // api key for mailer', "Zq8vLm3Xk9Rt2Bn7Yc4Hd1Jf"),
        ("VALUES ('ci', 'Zq8vLm3Xk9Rt2Bn7Yc4Hd')  -- api token for the ci user", "Zq8vLm3Xk9Rt2Bn7Yc4Hd"),
        (
            "auth = ('ACx', 'b81f2c7d9e0a4b3c6d5e8f1a2b3c4d5e')  # twilio auth token",
            "b81f2c7d9e0a4b3c6d5e8f1a2b3c4d5e",
        ),
        (
            "routing_key: 7e1d3c5b9a0f2e4d6c8b0a1f3e5d7c9b  # pagerduty, checkout",
            "7e1d3c5b9a0f2e4d6c8b0a1f3e5d7c9b",
        ),
        (
            "service_key => 'c4e6a8b0d2f41357a9b1c3d5e7f90246'  // pagerduty legacy",
            "c4e6a8b0d2f41357a9b1c3d5e7f90246",
        ),
        # webhook URLs whose path is the secret
        ("https://hooks.zapier.com/hooks/catch/123456/abcd9x/", "abcd9x"),
        (
            "POST https://events.pagerduty.com/integration/0123abcd4567ef890123abcd4567ef89/enqueue",
            "0123abcd4567ef890123abcd4567ef89",
        ),
        (
            "url: https://maker.ifttt.com/trigger/door_open/with/key/dK3lP9vXq2Zr7Tn4Bm8Yc",
            "dK3lP9vXq2Zr7Tn4Bm8Yc",
        ),
        (
            "https://outlook.office.com/webhook/1a2b3c4d-aaaa-bbbb-cccc-1234567890ab@9f8e7d6c/IncomingWebhook/9c8b7a6f5e4d/1111",
            "9c8b7a6f5e4d",
        ),
        ("https://chat.acme.io/hooks/xq7k3m9p2z8r4t6w1y5b0n3c4d", "xq7k3m9p2z8r4t6w1y5b0n3c4d"),
        ("gitea: https://git.corp.net/api/hooks/9kQ2mX7vL3pZ8rT4nB6y", "9kQ2mX7vL3pZ8rT4nB6y"),
    ],
)
def test_round12_positive(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a templated password is a template, whatever the host
        ("postgres://u:${DB_PASS}@${db_host}:5432/app", "${DB_PASS}"),
        # bound parameters, non-credential columns
        ("INSERT INTO users (name, password) VALUES ($1, $2)", "$2"),
        ("INSERT INTO users (login, password) VALUES ('kwame', %s);", "kwame"),
        ("INSERT INTO users (name, password_hint) VALUES ('ana', 'first pet')", "first pet"),
        ("INSERT INTO audit (actor, action) VALUES ('ana', 'password_reset')", "password_reset"),
        # a record's number after a calling verb, a short number
        ("rang up invoice 07700900881 for the refund", "07700900881"),
        ("the order 07700900087 shipped", "07700900087"),
        # comments that name a credential beside a digest, an id or a value said to be public
        (
            "TRACE_ID='4bf92f3577b34da6a3ce929d0e0e4736'  # token for tracing",
            "4bf92f3577b34da6a3ce929d0e0e4736",
        ),
        (
            "git_sha = 'e83c5163316f89bfbde7d9ab23ca2e25604af290'  # token fix",
            "e83c5163316f89bfbde7d9ab23ca2e25604af290",
        ),
        ("version = '3.14.159265358979'  # token bucket version", "3.14.159265358979"),
        (
            "routing_key = 'payments.refund.created.v2'  # rabbitmq, not a pagerduty key",
            "payments.refund.created.v2",
        ),
        (
            "FLAGS_B64=eyJkYXJrX21vZGUiOnRydWUsImJldGEiOmZhbHNlfQ==  # base64 JSON, not a secret",
            "eyJkYXJrX21vZGUiOnRydWUsImJldGEiOmZhbHNlfQ==",
        ),
        ("client = Client(account_sid, auth_token)  # twilio auth token from env", "auth_token"),
        # masked or templated hooks, pages about hooks, a hook's number
        (
            "https://hooks.slack.com/services/T0***/B0***/*** was the old hook",
            "https://hooks.slack.com/services/T0***/B0***/***",
        ),
        (
            "https://hooks.zapier.com/hooks/catch/XXXXX/XXXXX/",
            "https://hooks.zapier.com/hooks/catch/XXXXX/XXXXX/",
        ),
        ("https://events.pagerduty.com/integration/<integration_key>/enqueue", "<integration_key>"),
        ("https://docs.corp.net/webhooks/configure-outgoing-webhooks", "configure-outgoing-webhooks"),
        ("https://api.github.com/repos/acme/app/hooks/123456789", "123456789"),
        # published keys, wherever they stand
        (f"AccountKey={_AZURITE};", _AZURITE),
        (
            "COSMOS_KEY=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
            "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
        ),
        (f"Authorization: Bearer {_JWT_IO}", _JWT_IO),
        # SSH public keys of every type, kept whole with their comment
        (f"key for box: {_ED25519}", _ED25519),
        (
            "pubkey: sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIHq8 ana@yubi",
            "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIHq8 ana@yubi",
        ),
        (f"> here's my pubkey: {_ECDSA}", _ECDSA),
    ],
)
def test_round12_lookalike_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_a_private_key_next_to_a_public_one_still_goes() -> None:
    """Keeping SSH public keys whole must not shield a secret beside them on the same line."""
    text = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3kP9vLm2Xz8Rt4Yc6 ops@a and DB_PASSWORD=Vx8!kQ2mLp9z"
    out = redact_text(text)
    assert "Vx8!kQ2mLp9z" not in out and "AAAAC3NzaC1lZDI1NTE5AAAAIGq3kP9vLm2Xz8Rt4Yc6 ops@a" in out
