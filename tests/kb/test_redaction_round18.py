"""Redaction round 18 (tuned on test21's misses): for each mechanism positives and the look-alikes it
must keep, with fresh fake values (none is a planted row's). The misses shared one class, a value whose
name says it is a credential but whose shape does not, inside tool output; the mechanism is one
reading of tools' name/value layouts (``docker inspect`` env arrays, ``kubectl describe``, ``terraform
plan`` changes, Redis ``MONITOR``/``redis-cli``/ACL lines and ``CONFIG GET`` replies, pgbouncer's
``userlist.txt``) as ``NAME = "VALUE"`` for the existing name-based rules; beside it a URL-named
variable holding a bare value, a random value in a table row that says it was rotated or revoked, a
``bearer`` named in prose, a number dialled with its country code after a record's word, and the
look-alike ``Message-ID: <local@host>``. The next blind fold measures these rules."""

from __future__ import annotations

import pytest

from kb.safety.redaction_tool_output import tool_output_view
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "IPLagtIbmJnzVg4XeZT"
_PW2 = "fXB0Toq2RUfDWdG5Q4"
_PHRASE = "lantern-cobalt-fennel62"
_TOKEN = "pYAPENv3Vnqv45KIwcpVhRAL9GS40L12WiUPZihx"
_MONITOR = "1733400112.402117 [0 10.44.7.19:50312]"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # docker inspect: an env array of "NAME=VALUE" strings
        (f'["PATH=/usr/local/bin","CACHE_URL={_PW}","LANG=C.UTF-8"]', _PW),
        (f'"Env": [\n    "SMTP_PASSWORD={_PHRASE}",\n    "TZ=UTC"\n]', _PHRASE),
        # kubectl describe: aligned NAME:   VALUE, and a ConfigMap's Data
        (f"    Environment:\n      LOG_LEVEL:   warn\n      BROKER_URL:  {_PW}\n    Mounts:  <none>", _PW),
        (f"    Environment:\n      LDAP_BIND_PASSWORD:    {_PHRASE}\n", _PHRASE),
        (f"Data\n====\napi_token:\n----\n{_PW2}\n\nEvents:  <none>", _PW2),
        # terraform plan: a sensitive value's new value, and a changed password's old and new values
        (f'  ~ "SESSION_SECRET" = (sensitive value) -> "{_PW}"', _PW),
        (f'  ~ "QUEUE_URL" = (sensitive value) -> "{_PW2}"', _PW2),
        (f'  ~ admin_password = "{_PW}" -> "{_PW2}"', _PW),
        (f'  ~ admin_password = "{_PW}" -> "{_PW2}"', _PW2),
        # Redis MONITOR lines, redis-cli, ACLs and CONFIG GET replies
        (f'{_MONITOR} "AUTH" "{_PW}"', _PW),
        (f'{_MONITOR} "AUTH" "reporter" "{_PW}"', _PW),
        (f'{_MONITOR} "HELLO" "3" "AUTH" "default" "{_PW}"', _PW),
        (f'{_MONITOR} "CONFIG" "SET" "requirepass" "{_PW2}"', _PW2),
        ('cache-2:6379> CONFIG GET masterauth\n1) "masterauth"\n2) "' + _PW2 + '"', _PW2),
        ("cache-2:6379> ACL SETUSER reporter on >Copper52!Ridge ~metrics:* +@read", "Copper52!Ridge"),
        ("ACL SETUSER reporter on >Copper52!Ridge ~metrics:* +@read", "Copper52!Ridge"),
        ("# users.acl\nuser reporter on >Copper52!Ridge ~metrics:* +@read", "Copper52!Ridge"),
        # pgbouncer userlist.txt
        (f'# /etc/pgbouncer/userlist.txt\n"billing" "{_PHRASE}"\n"stats" "{_PW}"', _PHRASE),
        # a URL-named variable whose value has no scheme: the password pasted for the URL
        (f"export SEARCH_URL={_PW}", _PW),
        (f'{{"redisUrl": "{_PW2}"}}', _PW2),
        # a random value in a table row that says the credential was rotated or revoked
        ("| `orders` | pg-2 | `Vb7^KpQ261NXz` | revoked 09:05 |", "Vb7^KpQ261NXz"),
        (f"| 09:12 | mira | revoked bearer `{_TOKEN}` |", _TOKEN),
        # a number dialled with its country code, after a record's word
        ("> lars: callback number on the order is +1 416-555-0178", "+1 416-555-0178"),
        ("the refund form lists +44 20 7946 0381 for the customer", "+44 20 7946 0381"),
    ],
)
def test_round18_positives(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # tool output whose names say nothing secret
        ('["LOG_LEVEL=debug","APP_VERSION=2.14.3","HOSTNAME=orders-7d9c"]', "APP_VERSION=2.14.3"),
        ("    Environment:\n      WORKERS:     8\n      REGION:      eu-west-1\n", "eu-west-1"),
        (
            "      DATABASE_URL:  <set to the key 'url' in secret 'orders-db'>  Optional: false",
            "<set to the key 'url' in secret 'orders-db'>",
        ),
        ("      REDIS_URL:     redis://cache-master:6379/0", "redis://cache-master:6379/0"),
        ('  ~ instance_type = "t3.large" -> "t3.xlarge"', "t3.xlarge"),
        ('  ~ "LOG_LEVEL" = (sensitive value) -> "warn"', "warn"),
        (f'{_MONITOR} "CONFIG" "SET" "maxmemory-policy" "allkeys-lru"', "allkeys-lru"),
        (f'{_MONITOR} "GET" "session:8f2c1a"', "session:8f2c1a"),
        ('cache-2:6379> CONFIG GET maxmemory\n1) "maxmemory"\n2) "4294967296"', "4294967296"),
        # an ACL with a password's hash, and two quoted words with no userlist named
        (
            "ACL SETUSER reporter on #"
            + "7c4a8d09ca3762af61e59520943dc26494f8941b7c4a8d09ca3762af61e59520"
            + " ~* +@read",
            "7c4a8d09ca3762af61e59520943dc26494f8941b7c4a8d09ca3762af61e59520",
        ),
        ('"billing" "saffron-marble-otter44"', "saffron-marble-otter44"),
        # URL-named variables holding a host, a word or a digest
        ("CACHE_URL=cache-primary-01", "cache-primary-01"),
        ("SERVICE_URL=localhost", "localhost"),
        ("BUILD_URL=4f1c2a9e7b3d5f60a1b2c3d4e5f60718", "4f1c2a9e7b3d5f60a1b2c3d4e5f60718"),
        # rows that say something was rotated, holding no secret
        ("| `ledger` | `pg-primary-01` | rotated 18:20 |", "pg-primary-01"),
        ("| deploy | `4f1c2a9e7b3d` | rotated by ana |", "4f1c2a9e7b3d"),
        ("| 10:02 | ana | revoked bearer for `svc-reporting` |", "svc-reporting"),
        # message ids are not mailboxes; orders written without a country code stay orders
        ("Message-ID: <CAH4x9Qp2rLz8w@mail.gmail.com>", "CAH4x9Qp2rLz8w@mail.gmail.com"),
        ("In-Reply-To: <20261204.8812.desk@mx-1.corp-mail.net>", "20261204.8812.desk@mx-1.corp-mail.net"),
        ("Order 720-798-0258 shipped late", "720-798-0258"),
    ],
)
def test_round18_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_a_sender_address_is_still_personal() -> None:
    _gone("From: Dana Whitcombe <dana.whitcombe@gmail.com>", "dana.whitcombe@gmail.com")


def test_tool_output_view_maps_values_back() -> None:
    """The view is ``NAME = "VALUE"`` lines; each value's characters keep their original offsets."""
    text = f'{_MONITOR} "CONFIG" "SET" "masterauth" "{_PW}"'
    view = tool_output_view(text)
    assert view is not None
    assert view.text == f'masterauth = "{_PW}"\n'
    start = view.text.index(_PW)
    assert view.span(start, start + len(_PW)) == (text.index(_PW), text.index(_PW) + len(_PW))
    assert tool_output_view("nothing here: a plain sentence") is None
