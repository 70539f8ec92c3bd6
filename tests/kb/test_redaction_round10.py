"""Redaction round 10 (tuned on test13's misses): for each rule a positive and the look-alikes it must
keep, with fresh fake values (none is a planted row's). The next blind fold measures these rules."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a password setting's name in prose, then ``to``/``is``/an arrow and the value
        (
            "| 09:12 | priya reset GRAFANA_ADMIN_PASSWORD to `kestrel-amber-delta-41` and restarted api |",
            "kestrel-amber-delta-41",
        ),
        ("> 11:20 omar: new smtp_password is qmzrta-7x2kpl-WQZ8N3 - keep it safe", "qmzrta-7x2kpl-WQZ8N3"),
        ("the new `RABBITMQ_DEFAULT_PASS` is `b7e1c93f0a2d4e6f8a9b1c3d`", "b7e1c93f0a2d4e6f8a9b1c3d"),
        ("KEYSTORE_PASSWORD \u2192 Harbor.Quill.48", "Harbor.Quill.48"),
        # a token setting's name in prose
        ("we changed api_token to 9fKq2LmX7vRt4NpZ8wYs3JcB for the worker", "9fKq2LmX7vRt4NpZ8wYs3JcB"),
        # a password name/value pair: Kubernetes env entry (value quoted), NuGet ``<add key= value=>``
        (
            "        - name: MYSQL_PASSWORD\n          value: 'hkwqpz-snrtab-XYL9Q2'",
            "hkwqpz-snrtab-XYL9Q2",
        ),
        ('<add key="ClearTextPassword" value="kvbnme-r4tyhu-QWZXLM" />', "kvbnme-r4tyhu-QWZXLM"),
        # a credential handed over in chat, a clause and an instruction between name and value
        (
            "> 09:01 ken: here's the Datadog API key for prod, rotate it after the test: "
            "7c2e9a4b1f3d5e6a8b0c2d4e6f8a1b3c",
            "7c2e9a4b1f3d5e6a8b0c2d4e6f8a1b3c",
        ),
        (
            "> 10:01 li: here's the Mailgun key for staging, don't share it: "
            "5d1c8e2a9f3b7c4d6e0a1b2c3d4e5f6a",
            "5d1c8e2a9f3b7c4d6e0a1b2c3d4e5f6a",
        ),
        (
            "> 10:01 li: the OAuth client secret for the staging app, rotate it once the test is over: "
            "Vq7Lm2Xz9Rt4Kp8Ns3Jb6Hd",
            "Vq7Lm2Xz9Rt4Kp8Ns3Jb6Hd",
        ),
        # a registry's ``auth`` entry: base64 of user:password (here ``ci:tvbnqe-plmkso-ZRT6WQ``)
        (
            '{"auths": {"registry.example.internal": {"auth": "Y2k6dHZibnFlLXBsbWtzby1aUlQ2V1E="}}}',
            "Y2k6dHZibnFlLXBsbWtzby1aUlQ2V1E=",
        ),
        ('npmAuthIdent: "Y2ktYm90OkhhcmJvciMyMDQx"', "Y2ktYm90OkhhcmJvciMyMDQx"),
        # vendor prefixes: Google OAuth client secret, Slack config token, Square, EasyPost, Alibaba
        ("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d", "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d"),
        (
            "SLACK_CONFIG_TOKEN xoxe.xoxp-1-Mi0yLTE3NzM0NzM5NTctMTIzNDU2Nzg5MDEyMzQtYWJjZGVm",
            "xoxe.xoxp-1-Mi0yLTE3NzM0NzM5NTctMTIzNDU2Nzg5MDEyMzQtYWJjZGVm",
        ),
        ("square: sq0atp-Xq8mZ2xLp4Vr9Kw7Ns3Jb6", "sq0atp-Xq8mZ2xLp4Vr9Kw7Ns3Jb6"),
        (
            "old value EZAKq7Lm2Xz9Rt4Kp8Ns3Jb6Hd1Fg5Tc0Ye2Ua4Io6Pl8Mk0AbCdEfGhIj",
            "EZAKq7Lm2Xz9Rt4Kp8Ns3Jb6Hd1Fg5Tc0Ye2Ua4Io6Pl8Mk0AbCdEfGhIj",
        ),
        ("ALIBABA_KEY_ID LTAI5tXq8mZ2xLp4Vr9K", "LTAI5tXq8mZ2xLp4Vr9K"),
    ],
)
def test_round10_redacts(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # setting names in prose that hold no secret, or say something about it
        ("set DB_PASSWORD to the value in vault", "the"),
        ("reset DB_PASSWORD_FILE to /run/secrets/db_password", "/run/secrets/db_password"),
        ("the API_KEY_ID is Xq8mZ2xLp4Vr9Kw7Ns3Jb6Hd", "Xq8mZ2xLp4Vr9Kw7Ns3Jb6Hd"),
        ("CACHE_KEY is 3f9a2b7c1d4e6f8a0b2c4d6e8f1a3b5c", "3f9a2b7c1d4e6f8a0b2c4d6e8f1a3b5c"),
        ("we moved password_policy to strict-v2 last week", "strict-v2"),
        ("DB_PASSWORD is now in Secrets Manager under prod/db", "prod/db"),
        # name/value pairs that point elsewhere
        ("        - name: DB_PASSWORD_FILE\n          value: /run/secrets/pw", "/run/secrets/pw"),
        (
            '        - name: POSTGRES_PASSWORD\n          value: "{{ .Values.pgPassword }}"',
            ".Values.pgPassword",
        ),
        # an ``auth`` entry that is not base64 of user:password
        ('{"auth": "ZW52OnByb2Q="}', "ZW52OnByb2Q="),
        ("auth: Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"),
        # a handed-over value named as an id, a rotation time, a trace
        (
            "here's the API key id for staging: 7c2e9a4b1f3d5e6a8b0c2d4e6f8a1b3c",
            "7c2e9a4b1f3d5e6a8b0c2d4e6f8a1b3c",
        ),
        ("API key, rotated at: 2024-01-01T00:00", "2024-01-01T00:00"),
        (
            "the token for the canary, see the trace: 4bf92f3577b34da6a3ce929d0e0e4736",
            "4bf92f3577b34da6a3ce929d0e0e4736",
        ),
        # ids in table cells named as ids (cf-ray, request id, token accessor, JWKS kid)
        ("| cf-ray | 8a17c3e09b4d2f61-AMS |", "8a17c3e09b4d2f61-AMS"),
        ("| Request ID | Xq8mZ2xLp4Vr9Kw7Ns3Jb6Hd |", "Xq8mZ2xLp4Vr9Kw7Ns3Jb6Hd"),
        ("| Vault token accessor | Tq4mZ8xLp2Vr7Kw9Ns5Jb3Hd |", "Tq4mZ8xLp2Vr7Kw9Ns5Jb3Hd"),
        ('{"vault_token_accessor": "Wm3kQ9zRt5Lp8Vx2Nc7Jb4Hd", "source": "api"}', "Wm3kQ9zRt5Lp8Vx2Nc7Jb4Hd"),
        ("the token accessor is Xq8mZ2xLp4Vr9Kw7Ns3Jb6Hd", "Xq8mZ2xLp4Vr9Kw7Ns3Jb6Hd"),
        (
            "| 13:43 | Rolled back; JWKS kid `Qm7vT2kx9-Lp4_Rz8Nc-3Jb_6HdWq5Ys1Fg0Ue2Ta8K` noted |",
            "Qm7vT2kx9-Lp4_Rz8Nc-3Jb_6HdWq5Ys1Fg0Ue2Ta8K",
        ),
        # an order number quoted in backticks is not a phone
        ("| 17:38 | Rolled back; order number `415-555-0132` noted in the ticket |", "415-555-0132"),
        # templates are never values, nor is text glued to one
        ("postgres://app:{{ .Values.db.password }}@db:5432/app", "5432/app"),
        ("password = %(db_password)s", "%(db_password)s"),
        ("password: <%= ENV['DB_PASSWORD'] %>", "ENV['DB_PASSWORD']"),
        ('password: "#{db_password}"', "#{db_password}"),
        ("password: {% raw %}{{ vault_pw }}{% endraw %}", "vault_pw"),
    ],
)
def test_round10_keeps(text: str, value: str) -> None:
    _kept(text, value)


def test_round10_positions_still_read_around_look_alikes() -> None:
    """The vetoes are about what names the value: the same values under a credential's name go."""
    _gone("| Token | Xq8mZ2xLp4Vr9Kw7Ns3Jb6Hd |", "Xq8mZ2xLp4Vr9Kw7Ns3Jb6Hd")
    _gone("call me on `415-555-0132`", "415-555-0132")
    secret = "Zq8mZ2xLp4Vr9Kw7Ns3Jb6Hd1Fg5Tc0Ye2Ua4Io6Pl"
    _gone(f"JWKS signing secret `{secret}`", secret)
