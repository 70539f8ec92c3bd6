"""Redaction round 43 (tuned on test46's first reading): a server's out-of-band controller tools and
their password flags (``ipmitool -P``, ``racadm -p``, ``ilorest``, ``redfishtool``, FreeIPMI,
``hpilo_cli``, Supermicro ``sum`` and ``SMCIPMITool`` by position); ``curl``/HTTPie with the user flag
closing a cluster of short flags (``curl -su user:PW``); a password in a table row that names an
administrator account, and random letters in a column named for a password; a Cisco type 7 string
wherever a line puts it (in backticks in a sentence, after "type 7" in prose). Kept: an OAuth
client's public identifier by its name (a consumer key, a client id; their secrets stay redacted),
and the look-alikes beside each rule. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "tRVkqZWmxPLbh"  # random letters: the flag or the row says it is a password
_TYPE7 = "1306181D5E0A3B2F7A"
_CONSUMER_KEY = "3MVG9QxTrWkLmZpVbNcHdJf.aKsYeUoIgRtPlMnBvCxZqWeRtYuIoPaSdFgHjKlZxCvBnMqWeRtY_12345678"
_CONSUMER_SECRET = "C4F1A7E09B3D25866E1F0A9C7B5D3E2F1A0B9C8D7E6F5A4B3C2D1E0F9A8B7C6D"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # out-of-band controller (BMC) tools: the password flag takes any shape
        (f"$ ipmitool -I lanplus -H 10.61.2.14 -U ADMIN -P {_PW} chassis power cycle", _PW),
        (f"ipmitool -H bmc-r4.hall.internal -U root -P '{_PW}' sol activate", _PW),
        (f"ipmiutil health -N 10.61.2.15 -U admin -P {_PW}", _PW),
        (f"$ racadm -r 10.61.2.16 -u root -p {_PW} serveraction powercycle", _PW),
        (f"idracadm7 -r idrac-7.hall.internal -u root -p {_PW} getsysinfo", _PW),
        (f"ilorest login 10.61.2.17 -u Administrator -p {_PW}", _PW),
        (f"redfishtool -r 10.61.2.18 -u root -p {_PW} Systems", _PW),
        (f"ipmi-sensors -h 10.61.2.19 -u admin -p {_PW} --quiet-cache", _PW),
        (f"ipmipower -h bmc-r5 -u admin -p {_PW} --stat", _PW),
        (f"hpilo_cli -l Administrator -p {_PW} ilo-3.hall.internal get_fw_version", _PW),
        (f"sum -i 10.61.2.20 -u ADMIN -p {_PW} -c GetBiosInfo --file bios.txt", _PW),
        (f"SMCIPMITool 10.61.2.21 ADMIN {_PW} ipmi power status", _PW),
        # curl and HTTPie: the user flag closing a cluster of short flags
        (f"$ curl -su lighting:{_PW} https://dmx.hall.internal/api/cue", _PW),
        (f"curl -sSku ops:{_PW} https://10.61.3.4:8443/status", _PW),
        (f"curl -sU proxyuser:{_PW} -x http://proxy.hall.internal:3128 https://example.org/", _PW),
        (f"http -va ops:{_PW} GET https://api.hall.internal/health", _PW),
        # a table row that names an administrator account, a password column of random letters
        (f"| RB-9 step 2 | FortiGate admin `fly-ops` | {_PW} | set by Ines |", _PW),
        (f"| 6 | iDRAC root | {_PW} | rotated after the audit |", _PW),
        (
            "| step | account | password |\n|---|---|---|\n| 3 | switch admin | KwtqzLMxPrbV |",
            "KwtqzLMxPrbV",
        ),
        # Cisco type 7 in prose
        (f"the old switch still has `enable password 7 {_TYPE7}`; treat it as plain text", _TYPE7),
        (f"Found 'username fly password 7 {_TYPE7}' in the backup.", _TYPE7),
        (f"The type 7 string {_TYPE7} decodes in a second.", _TYPE7),
        # the secret beside a public identifier stays redacted
        (f"sf.consumer.key={_CONSUMER_KEY}\nsf.consumer.secret={_CONSUMER_SECRET}", _CONSUMER_SECRET),
        (
            "TWITTER_CONSUMER_SECRET=kQ7mZ2xR9tV4bN8cW3hJ6fL1pY5sD0gA2eK7uI4oM9",
            "kQ7mZ2xR9tV4bN8cW3hJ6fL1pY5sD0gA2eK7uI4oM9",
        ),
        (f"curl -u client_id:{_PW} https://login.example.org/token", _PW),  # a user and its password
        (
            f"curl -d 'client_id=3MVG9abQzRt8&client_secret={_CONSUMER_SECRET}' https://login.example.org/token",
            _CONSUMER_SECRET,
        ),
    ],
)
def test_round43_secrets_are_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # BMC tools: defaults, variables, placeholders, a port, a flag
        ("ipmitool -I lanplus -H 10.61.2.14 -U ADMIN -P ADMIN chassis power status", "-P ADMIN"),
        ("racadm -r idrac-4.hall.internal -u root -p calvin getsysinfo", "calvin"),
        ("ipmitool -I lanplus -H 10.61.2.14 -U ADMIN -P $IPMI_PASSWORD sdr list", "$IPMI_PASSWORD"),
        ("ipmitool -I lanplus -H 10.61.2.14 -U ADMIN -P <password> sdr list", "<password>"),
        ("ipmitool -H 10.61.2.14 -p 623 -U admin -f /root/.ipmipw sdr list", "623"),
        ("ipmi-sensors -h 10.61.2.19 -u admin -P --quiet-cache", "--quiet-cache"),
        ("./SMCIPMITool 10.61.2.21 ADMIN ADMIN ipmi power status", "ADMIN ADMIN"),
        # curl clusters without a password, with variables, uid:gid elsewhere
        ("curl -su admin https://api.hall.internal/  # prompts", "admin"),
        ('curl -su "$API_USER:$API_PASS" https://api.hall.internal/', "$API_PASS"),
        ("curl -su user:password https://api.hall.internal/", "password"),
        ("docker run -itu 1000:1000 alpine sh", "1000:1000"),
        # admin rows whose next cell is a state, a serial, a date
        ("| RB-9 step 3 | FortiGate admin `fly-ops` | enabled | trusted hosts set |", "enabled"),
        ("| RB-9 step 4 | FortiGate admin `fly-ops` | FGT60FTK2201ABCD | serial |", "FGT60FTK2201ABCD"),
        ("| owner | root | 2025-05-01 |", "2025-05-01"),
        ("| step | what | password |\n|---|---|---|\n| 4 | FortiGate admin | disabled |", "disabled"),
        ("| device | admin | serial |\n|---|---|---|\n| fw2 | FortiGate admin | FwStageTwo |", "FwStageTwo"),
        # type 7 prose without the form, a type 5 hash
        ("Ticket 1306181D5E0A3B2F7A was closed.", "1306181D5E0A3B2F7A"),
        ("enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0"),
        # OAuth clients' public identifiers
        (f"sf.consumer.key={_CONSUMER_KEY}", _CONSUMER_KEY),
        ("TWITTER_CONSUMER_KEY=Zq8vN3mK5tR1wX7cB4hL2p", "Zq8vN3mK5tR1wX7cB4hL2p"),
        (
            'Authorization: OAuth oauth_consumer_key="Zq8vN3mK5tR1wX7cB4hL2p", oauth_nonce="kllo9940"',
            "Zq8vN3mK5tR1wX7cB4hL2p",
        ),
        ("consumerKey: 'Zq8vN3mK5tR1wX7cB4hL2p',", "Zq8vN3mK5tR1wX7cB4hL2p"),
        ("--consumer-key Zq8vN3mK5tR1wX7cB4hL2p --dry-run", "Zq8vN3mK5tR1wX7cB4hL2p"),
        ("GOOGLE_CLIENT_ID=Yt4mQ8zP2xK6wR9vB3nL7cH1", "Yt4mQ8zP2xK6wR9vB3nL7cH1"),
    ],
)
def test_round43_lookalikes_are_kept(text: str, value: str) -> None:
    _kept(text, value)
