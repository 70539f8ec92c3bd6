"""Redaction round 15 (tuned on test18's misses): for each rule a positive and the look-alikes it must
keep, with fresh fake values (none is a planted row's). The rules aim at classes (a ``Basic``
credential whatever names it, a docker config ``"auth"``, a password told in prose or a config
directive with no setting name, a credential-named table row, a star-led ``*_pass`` value, an image
tag after a name ending in ``key``, a ticket number after ``look at``), so the positives are other
members of each class than the row that showed it. The next blind fold measures these rules."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ``Basic <base64>`` that does not decode to ``user:password``, whatever names it
        ("proxy_auth: Basic Zk9yVGgzUmlWZXJCYW5rNw==", "Zk9yVGgzUmlWZXJCYW5rNw=="),
        ("| 10:02 | ana | saw Basic QmF6YWFyMTdxdWlsbA== in the trace |", "QmF6YWFyMTdxdWlsbA=="),
        ('origin_auth="Basic dG9wYXpfbWFwbGVfcml2ZXI4OA" msg="fetch"', "dG9wYXpfbWFwbGVfcml2ZXI4OA"),
        ("the CDN signs in with Basic a2V5c3RvbmUtUm9va2VyeTQ=; keep it.", "a2V5c3RvbmUtUm9va2VyeTQ="),
        # a docker config ``"auth"`` whose base64 is not a ``user:password`` pair
        ('{"auths":{"ghcr.io":{"auth":"UTd4TGtQMm1OOXZSczR0Vw=="}}}', "UTd4TGtQMm1OOXZSczR0Vw=="),
        # "<x> login for <y> is <pw>", "the password itself: <pw>"
        ("the staging root login for the failover test is cobalt_heron_mint417", "cobalt_heron_mint417"),
        ("the recovery hint was the password itself: Qz7vNw2LpXk9RtYb", "Qz7vNw2LpXk9RtYb"),
        # config directives: redis ``requirepass``/``masterauth``
        ("the replica had `masterauth umber_falcon_reef882` in its conf", "umber_falcon_reef882"),
        ("requirepass Hq7#xLm2Vb9Kp", "Hq7#xLm2Vb9Kp"),
        # a table row named ``*_AUTH``/``*_PASS``/``*_PWD``
        ("| QUEUE_PASS | Jk8&mWq3Zr5Tn2Lp |", "Jk8&mWq3Zr5Tn2Lp"),
        ("| `SMTP_PWD` | `lichen_vapor_stone319` |", "lichen_vapor_stone319"),
        # a star-led value of a ``*_pass``/``*_pwd`` setting
        ("  root_pwd: *Vq2!mK7#pLx9  # rotate", "*Vq2!mK7#pLx9"),
    ],
)
def test_round15_positives(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ``Basic realm=``, a word after Basic, a mask
        ('WWW-Authenticate: Basic realm="ops", charset="UTF-8"', 'realm="ops"'),
        ("we use Basic Authentication for the health check", "Authentication"),
        ("Authorization: Basic xxxxxxxxxxxxxxxx", "xxxxxxxxxxxxxxxx"),
        # a docker config ``"auth"`` that is a word
        ('{"auth": "required"}', "required"),
        # a login that is not a password, an ordinary directive value
        ("the login for the wiki is at https://wiki.example.internal", "https://wiki.example.internal"),
        ("requirepass is empty in dev", "empty"),
        # a table row named for a credential holding a pointer or a mask
        ("| CACHE_AUTH | ******** |", "********"),
        ("| CACHE_HOST | cache-01.internal |", "cache-01.internal"),
        # a star alone is a mask, ``*name`` a YAML alias
        ("  admin_pass: *", "admin_pass: *"),
        ("  admin_pass: *default_admin_pass", "*default_admin_pass"),
        # an image ``name:tag`` after a name ending in ``key``
        ("image: valkey/valkey:7.2.5-bookworm-slim", "7.2.5-bookworm-slim"),
        ("image: docker.io/bitnami/valkey:8.0.2-debian-12-r3", "8.0.2-debian-12-r3"),
        # a ticket number after "look at", no phone word
        ("> ana: could you look at 415-283-9917 when you have a minute?", "415-283-9917"),
    ],
)
def test_round15_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_a_number_after_look_at_is_still_a_phone_with_a_phone_word() -> None:
    _gone("> ana: call me, or look at my cell 415-283-9917", "415-283-9917")
