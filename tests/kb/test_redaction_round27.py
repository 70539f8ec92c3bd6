"""Redaction round 27 (tuned on test30's first reading): the password a login command takes as a bare
argument after the user (``steamcmd +login``, ``cf auth``, unixODBC ``isql``, ``mosquitto_passwd -b``,
``smbclient //host/share PW``) and the value of a ``*_PASSWORD`` line in an env file whatever its
shape; and, kept, hosting platforms' project, team and deployment ids (Vercel ``prj_``/``team_``)
and protocol nonces (``Sec-WebSocket-Key``/``-Accept``, ``Replay-Nonce``, a Digest ``nonce``). Fresh
fake values, none a planted row's."""

from __future__ import annotations

import pytest

from kb.safety.redaction import redact_text
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

# a Fly.io token: two macaroons joined by a comma
_FLY_FIRST = "fm2_" + "Qk7vXz2nLp9Tk4Wb8Rc3Hd6J+q2Wz5mNx" * 2
_FLY_SECOND = "fm2_" + "Lr4sYb1c/Vm8Kq3Tz6Wn9Pd2Hx5Gj7Fe0" * 2


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # positional login passwords
        ("$ steamcmd +login relay_builder quillFerret2204 +run_app_build app.vdf +quit", "quillFerret2204"),
        ("./steamcmd.sh +login relay_builder wTkPzqRnLvMs +app_update 1007 validate +quit", "wTkPzqRnLvMs"),
        ("steamcmd +login relay_builder 'Brackenmoor!31' K7QX2 +quit", "Brackenmoor!31"),
        (
            "@ShutdownOnFailedCommand 1\n@NoPromptForPassword 1\nlogin relay_builder hvQmTzrLpkWn\n"
            "app_update 1007\nquit",
            "hvQmTzrLpkWn",
        ),
        ("$ cf auth release-bot pXmqRtLvWzkN", "pXmqRtLvWzkN"),
        ("cf auth ci-client Zr4mQ8xTp2LwKv7N --client-credentials", "Zr4mQ8xTp2LwKv7N"),
        ("isql -v LedgerDSN reporter tqLmWzRkpV", "tqLmWzRkpV"),
        ("mosquitto_passwd -b /etc/mosquitto/passwd gate-sensor-4 fWqLzRmTkpXv", "fWqLzRmTkpXv"),
        ("mosquitto_passwd -c -b /etc/mosquitto/pw.txt relay hR7qLm2xWz", "hR7qLm2xWz"),
        ("smbclient //nas-2.fabrikam.internal/builds Vq8mTz3pLr -U deploy -c 'ls'", "Vq8mTz3pLr"),
        # env-file password lines, letters only or not
        ("# services/billing/.env\nDB_USER=billing\nDB_PASSWORD=kRtqWmvzLpHnXs", "kRtqWmvzLpHnXs"),
        ("REDIS_PASSWORD=wqmrtzlpkvnh", "wqmrtzlpkvnh"),
        ('export SMTP_PASS="MvtqLwzRpkHn"', "MvtqLwzRpkHn"),
        ("MYSQL_PWD=tzqLmWvRkp  # local only", "tzqLmWvRkp"),
        ("RABBITMQ_DEFAULT_PASS=84736251", "84736251"),
        ("environment:\n  - POSTGRES_PASSWORD=hollyLantern", "hollyLantern"),
        ("ENV KEYSTORE_PASSPHRASE=quietMarbleOtter", "quietMarbleOtter"),
    ],
)
def test_round27_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # no password given, or given elsewhere
        ("steamcmd +login anonymous +app_update 90 validate +quit", "+app_update 90"),
        ("steamcmd +login relay_builder +run_app_build app.vdf +quit", "relay_builder +run_app_build"),
        ('steamcmd +login relay_builder "$STEAM_PASSWORD" +quit', "$STEAM_PASSWORD"),
        ('cf auth "$CF_USER" "$CF_PASSWORD"', "$CF_PASSWORD"),
        ("smbclient //nas-2.fabrikam.internal/builds -U deploy -c 'ls'", "-U deploy"),
        ("mosquitto_passwd -b /etc/mosquitto/passwd gate-sensor-4 fWqLzRmTkpXv", "gate-sensor-4"),
        # placeholders, references and settings about a password stay in an env file
        ("DB_PASSWORD=changeme", "changeme"),
        ("DB_PASSWORD=${DB_PASSWORD}", "${DB_PASSWORD}"),
        ("DB_PASSWORD=<password>", "<password>"),
        ("DB_PASSWORD=xxxxxxxxxx", "xxxxxxxxxx"),
        ("DB_PASSWORD=$(cat /run/secrets/db)", "$(cat /run/secrets/db)"),
        ("DB_PASSWORD=op://Ops/ledger-db/password", "op://Ops/ledger-db/password"),
        ("DB_PASS=gcp:secretmanager:projects/fab/secrets/db/versions/3", "gcp:secretmanager:projects/fab"),
        ("DB_PASSWORD=vault:secret/data/ledger#password", "vault:secret/data/ledger#password"),
        ("PASSWORD_MIN_LENGTH=14", "14"),
        ("DB_PASSWORD_FILE=/run/secrets/db_password", "/run/secrets/db_password"),
        ("DB_PASSWORD=required", "required"),
        ("SECOND_PASS=enabled", "enabled"),
        # a sample env file holds sample values: a plain word stays there
        ("# .env.example\nDB_USER=billing\nDB_PASSWORD=postgres", "postgres"),
        # hosting platforms' ids are names of records, not keys
        (
            '{"projectId":"prj_Wq4mZt8xLp2RkN7vBc3HdJ6sYf9G","orgId":"team_Lm3qTz8wRk2pVx7nBc4HdJ9s"}',
            "prj_Wq4mZt8xLp2RkN7vBc3HdJ6sYf9G",
        ),
        (
            '{"projectId":"prj_Wq4mZt8xLp2RkN7vBc3HdJ6sYf9G","orgId":"team_Lm3qTz8wRk2pVx7nBc4HdJ9s"}',
            "team_Lm3qTz8wRk2pVx7nBc4HdJ9s",
        ),
        ("deployment dpl_7Rk2pVx7nBc4HdJ9sLm3qTz8wQ is READY", "dpl_7Rk2pVx7nBc4HdJ9sLm3qTz8wQ"),
        # protocol nonces
        (
            "GET /chat HTTP/1.1\nUpgrade: websocket\nSec-WebSocket-Key: Tq8mW3xLp5Rk2Zn6vBq2zQ==\n"
            "Sec-WebSocket-Version: 13",
            "Tq8mW3xLp5Rk2Zn6vBq2zQ==",
        ),
        (
            "HTTP/1.1 101 Switching Protocols\nSec-WebSocket-Accept: Kp3wLm7xQz2Rt9Wq4zTn8LmK2pV=",
            "Kp3wLm7xQz2Rt9Wq4zTn8LmK2pV=",
        ),
        (
            'curl -H "sec-websocket-key: Zn6vBq2zQTq8mW3xLp5Rk2==" https://ws.fabrikam.internal/',
            "Zn6vBq2zQTq8mW3xLp5Rk2==",
        ),
        ("Replay-Nonce: Lp5Rk2Zn6vBq2zQTq8mW3xQz9", "Lp5Rk2Zn6vBq2zQTq8mW3xQz9"),
        (
            'WWW-Authenticate: Digest realm="ops", qop="auth", nonce="Qz9Lp5Rk2Zn6vBq2zQTq8mW3x"',
            "Qz9Lp5Rk2Zn6vBq2zQTq8mW3x",
        ),
    ],
)
def test_round27_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a name that says key or token still wins over an id's prefix
        ("VERCEL_TOKEN=team_Lm3qTz8wRk2pVx7nBc4HdJ9sQw8Z", "team_Lm3qTz8wRk2pVx7nBc4HdJ9sQw8Z"),
        # WordPress's NONCE_KEY is a secret, whatever its name says
        ("define('NONCE_KEY', 'q;Lw#mRt8zPv/xkN]2Tq+Hd6Jb@Wz3Kv');", "q;Lw#mRt8zPv/xkN]2Tq+Hd6Jb@Wz3Kv"),
        # a shaped password in a sample env file is still a password
        ("# .env.sample\nDB_PASSWORD=Rq7mTz2xLw9p", "Rq7mTz2xLw9p"),
        ("mysql -u ledger -pGq7mTz2xLw9p ledger", "Gq7mTz2xLw9p"),
        # a Fly.io personal token is base64url, and is taken whole as before
        ("revoke the old Fly token (fo1_Tz8wQk3mLp2RxN7vBc4HdJ9s-Wq5YfZ6), then redeploy", "-Wq5YfZ6"),
    ],
)
def test_round27_neighbours_still_found(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    "text",
    [
        f"FLY_API_TOKEN: {_FLY_FIRST},{_FLY_SECOND}",
        f"curl -H 'Authorization: FlyV1 {_FLY_FIRST},{_FLY_SECOND}' https://api.machines.dev/v1/apps",
        f"$ fly tokens create deploy\n{_FLY_FIRST},{_FLY_SECOND}",
    ],
)
def test_a_fly_token_is_taken_whole(text: str) -> None:
    out = redact_text(text)
    assert _FLY_FIRST not in out and _FLY_SECOND not in out, out
    assert "fm2_" not in out, out


def test_mosquitto_passwd_user_is_not_read_as_the_password() -> None:
    out = redact_text("mosquitto_passwd -b /etc/mosquitto/passwd gate-sensor-4 fWqLzRmTkpXv")
    assert out == "mosquitto_passwd -b /etc/mosquitto/passwd gate-sensor-4 [REDACTED:password-assignment]"
