"""Redaction round 24 (tuned on test27's first reading): credentials whose place in a file says what
they are (Exim ``passwd.client``, a plain password file, an OpenVPN ``auth-user-pass`` file, a
``pg_dump`` ``COPY`` password column, WordPress salts and keys, Erlang cookies and ``sys.config``
terms), an Adyen API key, a code told in prose that asks to be kept, a phone in a CSV ``phone``
column; and, kept, modular-crypt password hashes (Mosquitto ``$7$``, ``$6$``, ``$2b$``,
``$argon2id$``) and reverse-DNS ids (iOS URL schemes, Google's reversed client id). Fresh fake
values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_SALT = "Q#7v]kP2;x@L0m!Z&w^4Tn(8}rB-sY6<c=F1%jH9+gU3~eD5|aK.oW,"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# /etc/exim4/passwd.client\n*.sendgrid.net:apikey:Wq4zRt8LmK2pVx7N", "Wq4zRt8LmK2pVx7N"),
        (
            "exim relay creds (passwd.client):\nsmtp.relay.example:ops@mail.example:Hz6tQw2nLp9Rk3Vd\n"
            "mx2.relay.example:ops@mail.example:Bn5vXq8wTz1Lm4Ps",
            "Bn5vXq8wTz1Lm4Ps",
        ),
        (
            "# mosquitto passwd (plain, before mosquitto_passwd -U)\nsensor-07:Kr8mWq3zTn5vLp2X",
            "Kr8mWq3zTn5vLp2X",
        ),
    ],
)
def test_client_map_and_plain_password_file(text: str, value: str) -> None:
    _gone(text, value)


def test_plain_password_file_keeps_the_user() -> None:
    text = "# /etc/mosquitto/passwd.plain\nsensor-07:Kr8mWq3zTn5vLp2X"
    _gone(text, "Kr8mWq3zTn5vLp2X")
    _kept(text, "sensor-07:")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # hashes in a password file are stored to be shown
        ("# /etc/mosquitto/passwd\nsensor-07:$7$101$Zk2pQ9wLx4Rt8mVn$" + "Ab3/" * 21 + "Qg==", "$7$101$"),
        ("# /etc/exim4/passwd.client\n*.relay.example:ops:*", "*"),
        ("# /etc/exim4/passwd.client\n# host:user:password\n*.relay.example:ops:changeme", "changeme"),
        # /etc/passwd has seven fields, not a password
        ("# /etc/passwd\nops:x:1001:1001:Ops User:/home/ops:/bin/bash", "/home/ops"),
        ("# passwd.client\nupdated at 12:30:45 by ops", "12:30:45"),
    ],
)
def test_password_file_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# /etc/openvpn/client/site.auth (auth-user-pass)\nsite-4\nsaddleRack7781", "saddleRack7781"),
        ("; creds file for auth-user-pass\nvpn.ops@example.org\nHq3$zW8tLm2v\n", "Hq3$zW8tLm2v"),
    ],
)
def test_openvpn_auth_file_password(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the config's own directive and the lines of a config under a comment are no auth file
        ("# client.conf\nauth-user-pass /etc/openvpn/site.auth\nauth-nocache", "auth-nocache"),
        ("# auth-user-pass is read from site.auth\nclient\nnobind", "nobind"),
        ("# auth-user-pass file (template)\nsite-4\nchangeme", "changeme"),
    ],
)
def test_openvpn_auth_file_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "COPY public.kiosk_users (id, login, password_plain) FROM stdin;\n"
            "4\tkiosk.ops\tgear-chain-lever82\n\\.",
            "gear-chain-lever82",
        ),
        (
            "COPY legacy.accounts (id, email, password, created_at) FROM stdin;\n"
            "1\ta@mail.example\tRz7wQm2kTp9V\t2026-01-02\n2\tb@mail.example\tLn4xHq8vZs3T\t2026-01-03\n\\.",
            "Ln4xHq8vZs3T",
        ),
        (
            "COPY public.integrations (id, api_token) FROM stdin;\n9\tWz3kPq8vLm2nRt5xYb7cHd4f\n\\.",
            "Wz3kPq8vLm2nRt5xYb7cHd4f",
        ),
    ],
)
def test_pg_dump_copy_password_column(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "COPY public.users (id, login, password_hash) FROM stdin;\n"
            "4\tops\t$2b$12$Kq8wZt3LmN2vRq8wZt3LmOeXbT1pQ9sV7nM3kL5jH2gF4dS6aZ8cW\n\\.",
            "$2b$12$Kq8wZt3LmN2vRq8wZt3LmOeXbT1pQ9sV7nM3kL5jH2gF4dS6aZ8cW",
        ),
        (
            "COPY public.users (id, login, password_digest) FROM stdin;\n"
            "4\tops\t9f2c8a7b6e5d4c3b2a1f0e9d8c7b6a5f\n\\.",
            "9f2c8a7b6e5d4c3b2a1f0e9d8c7b6a5f",
        ),
        ("COPY public.users (id, login, password) FROM stdin;\n4\tops\t\\N\n\\.", "\\N"),
        (
            "COPY public.users (id, login, password_changed_at) FROM stdin;\n4\tops\t2026-02-11\n\\.",
            "2026-02-11",
        ),
    ],
)
def test_pg_dump_copy_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"define( 'SECURE_AUTH_SALT', '{_SALT}' );", _SALT),
        (f'define("LOGGED_IN_KEY", "{_SALT}");', _SALT),
        # a salt may hold a colon and angle brackets: taken whole
        ("define('AUTH_SALT', 'p<Q:7v]k2;x@L0m!Z&w^4Tn(8}rB-sY6>c=F1%jH9+gU3~eD5|aK.o');", "p<Q:7v]k2;x@L0m"),
    ],
)
def test_php_define_salts_and_keys(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("define( 'NONCE_SALT', 'put your unique phrase here' );", "put your unique phrase here"),
        ("define('WP_CACHE_KEY_SALT', 'blog.example:');", "blog.example:"),
        ("define('AUTH_KEY', getenv('WP_AUTH_KEY'));", "getenv('WP_AUTH_KEY')"),
    ],
)
def test_php_define_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


_ADYEN = (
    "AQEtk3mQxbP7LwT9Zr2+Hq8Vn4Ys6Kc1Jd5Fg0Wm3Xp7Nt2Bv8Lq4Rz9Sc6Hy1Gu5Df3Ek7Ia0Ow2==-"
    "Vm8Tq3Lx7Nz2Rb5Kc9Wy4Hp1Jg6Fd0Sa3Qe8=-7b<Rk2Xq9m"
)


@pytest.mark.parametrize(
    "text",
    [
        f"[10:02] ops: pasted the Adyen key {_ADYEN} in the ticket",
        f"ADYEN_API_KEY={_ADYEN}",
    ],
)
def test_adyen_api_key(text: str) -> None:
    _gone(text, _ADYEN)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("# rel/vm.args\n-name ledger@127.0.0.1\n-setcookie QWMZTRKXPLDNVBHSYUEA", "QWMZTRKXPLDNVBHSYUEA"),
        ("erl -sname ops -setcookie 'mX7kQ2pLz9Rt' -remsh ledger@host1", "mX7kQ2pLz9Rt"),
        ("iex --sname console --cookie HWQZPLMXKRTNVBSYDUEA -S mix", "HWQZPLMXKRTNVBSYDUEA"),
        ("$ cat ~/.erlang.cookie\nLPQWZXMNRTKVBHSYDUEA", "LPQWZXMNRTKVBHSYDUEA"),
    ],
)
def test_erlang_cookies(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-setcookie ${RELEASE_COOKIE}", "${RELEASE_COOKIE}"),
        ('-setcookie "$(cat /run/secrets/cookie)"', "$(cat"),
        ("-setcookie <cookie>", "<cookie>"),
        ("$ ls -la ~/.erlang.cookie\n-r-------- 1 ops ops 20 Mar 3 ~/.erlang.cookie", "-r--------"),
    ],
)
def test_erlang_cookie_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            '[{ledger, [{hmac_secret, <<"Tq8wZ3LmN2vRx7Kp/Hd4Fs6Gb1Jc9Ye5Wa0Qz=">>}]}].',
            "Tq8wZ3LmN2vRx7Kp/Hd4Fs6Gb1Jc9Ye5Wa0Qz=",
        ),
        ('{ledger, [{db_password, "Pz4vNq8tKw2mLx"}]}', "Pz4vNq8tKw2mLx"),
        ('{api_key, <<"Xk3mQ9wTz7Lp2Vn8Rb4cHs6d">>}', "Xk3mQ9wTz7Lp2Vn8Rb4cHs6d"),
    ],
)
def test_erlang_credential_terms(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{password_file, "/etc/ledger/db.pass"}', "/etc/ledger/db.pass"),
        ('{secret_name, "ledger-db-credentials"}', "ledger-db-credentials"),
        ('{hmac_secret, <<"changeme">>}', "changeme"),
        ('{token_ttl_ms, "86400000"}', "86400000"),
    ],
)
def test_erlang_term_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Ticket #7710: the kiosk service code is lever-chain-spoke42, please don't share",
            "lever-chain-spoke42",
        ),
        ("door PIN is Rk8-tzQ4wm, do not share it outside the depot team", "Rk8-tzQ4wm"),
    ],
)
def test_code_told_in_prose_asked_to_keep(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the error code is E-4012, please don't share screenshots", "E-4012"),
        ("the tracking code is shipment-tracking, don't share it", "shipment-tracking"),
        ("service code is lever-chain-spoke42 (ask the lead)", "lever-chain-spoke42"),
    ],
)
def test_code_in_prose_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("member_id,name,phone,employer\nM-1,Ann Byrne,07 5550 4918,Harbour Tours", "07 5550 4918"),
        ("id;mobile_number;city\n7;0412 555 019;Perth", "0412 555 019"),
        ("id\tTel.\tcity\n7\t(02) 5550 1234\tSydney", "(02) 5550 1234"),
    ],
)
def test_phone_in_a_phone_column(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("member_id,phone_verified_at,city\nM-1,2026-03-04,Perth", "2026-03-04"),
        ("member_id,phone,city\nM-1,,Perth\nM-2,n/a,Perth", "n/a"),
        ("member_id,phone_model,city\nM-1,SM-G991B,Perth", "SM-G991B"),
        ("order_id,amount,city\n4412 5550 1234,12.50,Perth", "12.50"),
    ],
)
def test_phone_column_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


@pytest.mark.parametrize(
    "value",
    [
        "$7$101$Zk2pQ9wLx4Rt8mVn$" + "Hd8/" * 21 + "Pw==",
        "$6$rounds=5000$Wm3kQ8zLp2$" + "aB3." * 21 + "x",
        "$2b$12$Kq8wZt3LmN2vRq8wZt3LmOeXbT1pQ9sV7nM3kL5jH2gF4dS6aZ8cW",
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$" + "Qk3x8Lm2" * 5 + "Ab",
    ],
)
def test_crypt_hashes_kept(value: str) -> None:
    _kept(f"# /etc/mosquitto/passwd\ndock-12:{value}", value)
    _kept(f"password_hash: {value}", value)


@pytest.mark.parametrize(
    "value",
    [
        "com.googleusercontent.apps.418273645091-q7xk2pzm9wlr4tvn8bhc3sdj6yfa0eug",
        "fb4182736450912",
        "com.example.ridershare.staging-build",
    ],
)
def test_url_schemes_and_reverse_dns_ids_kept(value: str) -> None:
    plist = f"<key>CFBundleURLSchemes</key>\n<array>\n  <string>{value}</string>\n</array>"
    _kept(plist, value)
