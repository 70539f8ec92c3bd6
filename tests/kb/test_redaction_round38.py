"""Redaction round 38 (tuned on test41's first reading): the password a registry or platform login
takes after ``-p`` (``docker login -u ci -p <letters>``), a phone number in a table cell after a
person's role that holds a record's word (``| case owner | +4477… |``), Redis's ``AUTH`` (and
``requirepass``/``masterauth``) naming a password in prose, and a value quoted twice (a Gradle
``buildConfigField``/``resValue``, webpack's ``'"…"'``, ``""…""`` where a copy lost the escapes).
Look-alike: a password the sentence says is not a real one (``the joke password …``). Fresh fake
values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_LETTERS = "RmTqwXbKzoPvNe"  # letters only, as some generators draw them
_PASSWORD = "Stirrup884!Gallop"
_PHONE = "+447700900417"
_KEY = "Qm7vT2xLr9KpW4nZc8Yb3Hd6Gs1Jf5Ua"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"$ docker login registry.odds.internal -u ci -p {_LETTERS}", _LETTERS),
        (f"$ docker login -u ci -p {_LETTERS} registry.odds.internal", _LETTERS),
        (f"sudo podman login -u deploy -p '{_LETTERS}' quay.io", _LETTERS),
        (f"helm registry login ghcr.io --username ci --password {_LETTERS}", _LETTERS),
        (f"oc login https://api.ocp.example:6443 -u dev -p {_LETTERS}", _LETTERS),
        (f"cf login -a https://api.cf.example -u dev -p {_LETTERS} -o odds", _LETTERS),
        (f"| Mirela Ostrowska | RG case owner | {_PHONE} |", _PHONE),
        (f"| Tobiah Wren | **Account manager** | {_PHONE} |", _PHONE),
        (f"Redis AUTH for redis-pricing-2 during the failover: {_PASSWORD}", _PASSWORD),
        (f"Redis AUTH: {_PASSWORD}", _PASSWORD),
        (f"requirepass on the replicas is now {_PASSWORD}", _PASSWORD),
        (f'buildConfigField("String", "ODDS_KEY", ""{_KEY}"")  // app/build.gradle.kts', _KEY),
        (f'buildConfigField "String", "ODDS_KEY", \'"{_KEY}"\'', _KEY),
        (f'buildConfigField("String", "ODDS_KEY", "{_KEY}")', _KEY),
        (f'resValue("string", "odds_api_key", "{_KEY}")', _KEY),
        (f'buildConfigField("String", "DB_PASSWORD", ""{_PASSWORD}"")', _PASSWORD),
        (f"  'process.env.ODDS_KEY': '\"{_KEY}\"',", _KEY),
        (f'ODDS_KEY = "\\"{_KEY}\\""', _KEY),
    ],
)
def test_round38_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # another tool's ``-p`` (a port, a port mapping), a variable, a prompt, the flag's own word
        ("docker run -p 8080:80 odds/pricing && docker login -u ci registry", "8080:80"),
        ("psql -h db.internal -p 5432 -U odds", "5432"),
        ('docker login -u ci -p "$(cat /run/secrets/registry)" registry', "$(cat /run/secrets/registry)"),
        ("docker login -u ci -p $REGISTRY_PASSWORD registry", "$REGISTRY_PASSWORD"),
        ("docker login -u ci -p REGISTRY_PASSWORD registry", "REGISTRY_PASSWORD"),
        ("az login --service-principal -u http://odds-app -p /etc/az/odds.pem", "/etc/az/odds.pem"),
        # a record's number: the role word does not end the cell, or the cell names the record
        ("| INC-4471 | case | +447700900521 |", "+447700900521"),
        ("| Order | +447700900521 |", "+447700900521"),
        # Redis's AUTH said of something else, or a mechanism named in lower case
        ("Redis AUTH failures during the failover: NOAUTH Authentication required", "NOAUTH"),
        ("Redis AUTH errors for redis-pricing-2: 1432", "1432"),
        ("Redis AUTH for redis-pricing-2: see Vault", "Vault"),
        (f"auth for grafana: {_PASSWORD}", _PASSWORD),
        # twice-quoted values that are no secret: a URL, a template, a hash, a flag
        (
            'buildConfigField("String", "FEED_URL", "\\"https://feed.odds.example/v2\\"")',
            "https://feed.odds.example/v2",
        ),
        ('buildConfigField("String", "ODDS_KEY", ""${oddsKey}"")', "${oddsKey}"),
        (
            'buildConfigField("String", "GIT_SHA", "\\"4b825dc642cb6eb9a060e54bf8d69288fbee4904\\"")',
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        ),
        ('resValue("string", "app_name", "Furlongby Odds")', "Furlongby Odds"),
        (f'"ops","she said ""{_KEY}"" twice"', _KEY),
        # a password the sentence says is not a real one
        ("the onboarding screenshots use the joke password Tr0ub4dor3, never a real one", "Tr0ub4dor3"),
        ("the runbook uses a dummy password Gr8Stallion2 in every example", "Gr8Stallion2"),
        ("the demo login password is Tr0ub4dor3 (not a real one)", "Tr0ub4dor3"),
    ],
)
def test_round38_look_alikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)


def test_round38_a_real_password_beside_the_word_real_is_redacted() -> None:
    _gone(f"the real password is {_PASSWORD}", _PASSWORD)
    _gone(f"the admin password was {_PASSWORD} - not a real problem since we rotated it", _PASSWORD)
