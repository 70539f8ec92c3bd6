# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test19.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test19.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270119)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a company called Tarnwick: PM-4410 CDN purge storm, PM-4417 payroll
export leak, PM-4423 Kafka consumer lag, RB-19 database credential rotation, RB-23 on-call laptop
rebuild, ADR-112 secrets manager migration, PM-4431 analytics cluster disk full and PM-4438 SMS
provider outage. Common shapes come first in each kind (``t19p…``/``t19n…``); the summary it
prints says where the split falls.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from random import Random

from planted_kit import (
    ALNUM,
    B64,
    B64URL,
    DIG,
    HEX,
    LOW,
    UP,
    Draw,
    Gen,
    S,
    b64,
    b64url,
    expand_sections,
    luhn_ok,
    numbered,
    one_of,
    sanity,
    write_fold,
)
from planted_kit import (
    TEST_CARDS as SHARED_TEST_CARDS,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test19.jsonl"
FOLD = "test19"
rng = Random(20270119)
draw = Draw(rng)
rs, rbytes, uuid4, sha40, hexk, hhmm = draw.rs, draw.rbytes, draw.uuid4, draw.sha40, draw.hexk, draw.hhmm
iso, akid, aws_secret, gcp_api = draw.iso, draw.akid, draw.aws_secret, draw.gcp_api
gcp_oauth_secret, az_client_secret, az_sas_sig = draw.gcp_oauth_secret, draw.az_client_secret, draw.az_sas_sig
opaque, luhn_bad, priv_ip, ssn = draw.opaque, draw.luhn_bad, draw.priv_ip, draw.ssn

TYPES = {**SHARED_TYPES, S: {*SHARED_TYPES[S], "generic-api-key"}}


pre = draw.pre


# ---------------------------------------------------------------------------- secret values


gh_token = partial(draw.gh_token, ("ghp_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_"))


gl_token = partial(draw.pre, alphabet=ALNUM + "-_", n=20)


def slack_token() -> str:
    kind = rng.choice(["b", "b", "p", "e"])
    if kind == "p":
        return f"xoxp-{rs(DIG, 11)}-{rs(DIG, 12)}-{rs(DIG, 13)}-{rs(HEX, 32)}"
    if kind == "e":
        return f"xoxe.xoxp-1-{rs(ALNUM, 140)}"
    return f"xoxb-{rs(DIG, 12)}-{rs(DIG, 13)}-{rs(ALNUM, 24)}"


def slack_hook() -> str:
    if rng.random() < 0.3:
        return f"https://hooks.slack.com/workflows/T{rs(UP + DIG, 10)}/A{rs(UP + DIG, 10)}/{rs(DIG, 18)}/{rs(ALNUM, 24)}"
    return f"https://hooks.slack.com/services/T{rs(UP + DIG, 10)}/B{rs(UP + DIG, 10)}/{rs(ALNUM, 24)}"


stripe_key = partial(draw.stripe_key, ("sk_live_51", "rk_live_51", "sk_live_51"))


jwt = partial(
    draw.jwt_of,
    ["HS256", "RS256", "EdDSA", "PS256"],
    [
        ("iss", ["https://auth.tarnwick.io", "kubernetes/serviceaccount", "payroll-idp"]),
        ("sub", ["svc:cdn-purger", "emp:30412", "svc:lag-exporter", "system:serviceaccount:ops:vault-agent"]),
        ("exp", range(1_800_000_000, 1_805_000_000 + 1)),
        ("roles", [["purge"], ["payroll:read"], ["admin"], ["kafka:consume"]]),
    ],
    sig_lengths={"HS256": 43, "EdDSA": 86},
    default_sig=342,
    kid=(B64URL, 16),
)


pem_body = partial(draw.pem_body, pad="=")


def private_key(kind: str, indent: str = "") -> str:
    if kind == "rsa":
        label, body = "RSA PRIVATE KEY", pem_body("MIIEowIBAAKCAQEA", rng.randint(7, 10))
    elif kind == "enc":
        label, body = "ENCRYPTED PRIVATE KEY", pem_body("MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI", 8)
    elif kind == "dsa":
        label, body = "DSA PRIVATE KEY", pem_body("MIIBuwIBAAKBgQD", 6)
    elif kind == "ssh":
        label = "OPENSSH PRIVATE KEY"
        body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
        body += [rs(B64, 70) for _ in range(3)] + [rs(B64, 22) + "=="]
    elif kind == "pgp":
        label = "PGP PRIVATE KEY BLOCK"
        body = ["", "lQOYBG" + rs(B64, 58)] + [rs(B64, 64) for _ in range(6)] + ["=" + rs(B64, 4)]
    elif kind == "ovpn":
        lines = ["-----BEGIN OpenVPN Static key V1-----"] + [rs(HEX, 32) for _ in range(16)]
        return ("\n" + indent).join([*lines, "-----END OpenVPN Static key V1-----"])
    else:
        label, body = "PRIVATE KEY", pem_body("MC4CAQAwBQYDK2VwBCIEI", 2)
    return ("\n" + indent).join([f"-----BEGIN {label}-----", *body, f"-----END {label}-----"])


def pk(kind: str, indent: str = "") -> Gen:
    return lambda: private_key(kind, indent)


def gcp_sa_key() -> str:
    body = pem_body("MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQD", 13)
    return "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(body) + "\\n-----END PRIVATE KEY-----\\n"


WORDS = [
    "osprey",
    "granite",
    "thistle",
    "kestrel",
    "quartz",
    "bramble",
    "sorrel",
    "ember",
    "lichen",
    "marram",
    "tamarack",
    "vireo",
]


def password() -> str:
    shape = rng.randrange(5)
    if shape == 0:
        return rs(ALNUM, rng.randint(16, 24))
    if shape == 1:
        return (
            rng.choice(WORDS).capitalize() + rs(DIG, 3) + rng.choice("!#%&") + rng.choice(WORDS).capitalize()
        )
    if shape == 2:
        return "-".join(rng.sample(WORDS, 3)) + rs(DIG, 2)
    if shape == 3:
        return rs(ALNUM + "!%^*#", rng.randint(13, 19)) + rng.choice(DIG)
    return rs(UP, 2) + rs(LOW + DIG, 10) + rng.choice("._") + rs(ALNUM, 5)


plain_pw = partial(draw.plain_password3, WORDS)

basic_cred = partial(
    draw.basic_cred, ["ci-bot", "svc-payroll", "deploy", "grafana", "kafka-ui", "purger"], WORDS, plain_pw
)


def telegram_bot() -> str:
    return f"{rng.randint(5_000_000_000, 7_999_999_999)}:AA{rs(B64URL, 33)}"


def discord_bot() -> str:
    return b64url(str(rng.randint(10**17, 10**18)).encode()) + "." + rs(B64URL, 6) + "." + rs(B64URL, 38)


def postman() -> str:
    return f"PMAK-{rs(HEX, 24)}-{rs(HEX, 34)}"


def akamai_token() -> str:
    return f"akab-{rs(LOW + DIG, 16)}-{rs(LOW + DIG, 16)}"


def bitwarden_sm() -> str:
    return f"0.{uuid4()}.{rs(ALNUM, 30)}:{b64(rbytes(16))}"


def op_sa() -> str:
    return "ops_eyJzaWduSW5BZGRyZXNzIjoidGFybndpY2suMXBhc3N3b3JkLmNvbSIs" + rs(B64URL, 180)


def doppler() -> str:
    return "dp.st.prd." + rs(ALNUM, 40)


def airtable() -> str:
    return "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64)


def asana() -> str:
    return f"2/{rs(DIG, 16)}/{rs(DIG, 16)}:{rs(HEX, 32)}"


def brevo() -> str:
    return f"xkeysib-{rs(HEX, 64)}-{rs(ALNUM, 16)}"


def mailchimp() -> str:
    return f"{rs(HEX, 32)}-us{rng.randint(2, 21)}"


def circleci() -> str:
    return f"CCIPAT_{rs(ALNUM, 22)}_{rs(HEX, 40)}"


def b2_app_key() -> str:
    return "K005" + rs(ALNUM + "+/", 27)


ado_pat = draw.ado_pat


def cosmos_key() -> str:
    return b64(rbytes(64))


def ya29() -> str:
    return "ya29.a0" + rs(B64URL, 150)


def g_refresh() -> str:
    return "1//0" + rs(B64URL, 99)


wg_key = draw.wireguard_key


def fly_token() -> str:
    return "FlyV1 fm2_" + rs(B64URL, 160)


def jfrog_ref() -> str:
    return "cmVmdGtuOjAxOjE3" + rs(ALNUM, 48)


def bedrock() -> str:
    return "ABSKQmVkcm9ja0FQSUtleS" + rs(B64, 110)


def contentful() -> str:
    return "CFPAT-" + rs(B64URL, 43)


def hubspot() -> str:
    return "pat-eu1-" + uuid4()


def ld_sdk() -> str:
    return "sdk-" + uuid4()


def alibaba_id() -> str:
    return "LTAI5t" + rs(ALNUM, 18)


def tencent_id() -> str:
    return "AKID" + rs(ALNUM, 32)


def scw_access() -> str:
    return "SCW" + rs(UP + DIG, 17)


# ---------------------------------------------------------------------------- personal values


# The shared documented test cards plus Diners, UnionPay and further Stripe ones: never drawn as a
# real card, accepted as documented-test-card.
TEST_CARDS = {
    *SHARED_TEST_CARDS,
    "36227206271667",
    "3056930009020004",
    "6200000000000005",
    "4000000760000002",
    "4000001240000000",
    "5200000000001005",
}


card = partial(draw.card_with_jcb, TEST_CARDS, ("6011", "65"))


public_v4 = partial(
    draw.public_v4, (24, 37, 46, 58, 66, 79, 84, 94, 109, 121, 141, 154, 168, 178, 188, 195, 213, 219)
)


public_v6 = partial(
    draw.public_v6,
    ("2a02:c7c", "2a01:4f8", "2604:a880", "2a03:2880", "2c0f:fb50", "2400:cb00", "2001:4860", "2a0d:5600"),
    group_fallbacks="a",
    short_tail="42",
    long_fallback="f",
)


AU_MOBILES = [
    "0491 570 156",
    "0491 570 157",
    "0491 570 158",
    "0491 570 159",
    "0491 570 110",
    "0491 570 313",
    "0491 570 737",
    "0491 571 266",
    "0491 571 491",
    "0491 572 549",
    "0491 572 665",
    "0491 573 770",
    "0491 574 118",
    "0491 575 254",
    "0491 576 398",
    "0491 577 426",
]


def phone(i: int) -> str:
    kind = i % 4
    if kind == 0:
        area, tail = (
            rng.choice(["212", "303", "404", "512", "602", "702", "919"]),
            f"01{rng.randint(0, 99):02d}",
        )
        return [f"({area}) 555-{tail}", f"+1-{area}-555-{tail}", f"{area}.555.{tail}"][i // 4 % 3]
    if kind == 1:
        m = f"{rng.randint(0, 999):03d}"
        return [f"07700 900{m}", f"+44 (0)20 7946 0{m}", f"+44 7700 900 {m}"][i // 4 % 3]
    if kind == 2:
        mob = rng.choice(AU_MOBILES)
        land = f"({rng.choice(['02', '03', '07', '08'])}) 5550 {rng.randint(0, 9999):04d}"
        return [mob, "+61 " + mob[1:], land][i // 4 % 3]
    xx, yy = f"{rng.randint(0, 99):02d}", f"{rng.randint(0, 99):02d}"
    return [f"06 39 98 {xx} {yy}", f"+33 6 39 98 {xx} {yy}", f"01 99 00 {xx} {yy}"][i // 4 % 3]


def bsn() -> str:
    while True:
        d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        last = sum(x * w for x, w in zip(d, range(9, 1, -1), strict=True)) % 11
        if last < 10:
            return "".join(map(str, [*d, last]))


def dni() -> str:
    n = rng.randint(10_000_000, 99_999_999)
    return f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def nie() -> str:
    lead = rng.choice("XYZ")
    n = rng.randint(1_000_000, 9_999_999)
    return f"{lead}{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[int(str('XYZ'.index(lead)) + str(n)) % 23]}"


def cpf() -> str:
    d = [rng.randint(0, 9) for _ in range(9)]
    for k in (10, 11):
        s = sum(x * w for x, w in zip(d, range(k, 1, -1), strict=False))
        d.append((s * 10 % 11) % 10)
    t = "".join(map(str, d))
    return f"{t[:3]}.{t[3:6]}.{t[6:9]}-{t[9:]}"


def sin() -> str:
    while True:
        t = str(rng.randint(1, 7)) + rs(DIG, 8)
        if luhn_ok(t):
            return rng.choice([f"{t[:3]} {t[3:6]} {t[6:]}", f"{t[:3]}-{t[3:6]}-{t[6:]}"])


_VD = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VP = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_ok(num: str) -> bool:
    c = 0
    for i, ch in enumerate(reversed(num)):
        c = _VD[c][_VP[i % 8][int(ch)]]
    return c == 0


def aadhaar() -> str:
    body = str(rng.randint(2, 9)) + rs(DIG, 10)
    c = 0
    for i, ch in enumerate(reversed(body)):
        c = _VD[c][_VP[(i + 1) % 8][int(ch)]]
    t = body + str(_VINV[c])
    assert verhoeff_ok(t)
    return f"{t[:4]} {t[4:8]} {t[8:]}"


def personnummer() -> str:
    while True:
        t = f"{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rs(DIG, 4)}"
        if luhn_ok(t):
            return f"{t[:6]}-{t[6:]}"


def nir() -> str:
    body = f"{rng.choice('12')}{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.choice(['75', '69', '13', '33', '59', '44'])}{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    key = 97 - int(body) % 97
    return f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]} {key:02d}"


def iban(country: str) -> str:
    bban = {
        "NL": lambda: rs(UP, 4) + rs(DIG, 10),
        "ES": lambda: rs(DIG, 20),
        "IT": lambda: rs(UP, 1) + rs(DIG, 10) + rs(UP + DIG, 12),
        "BE": lambda: rs(DIG, 12),
        "PL": lambda: rs(DIG, 24),
        "FR": lambda: rs(DIG, 10) + rs(UP + DIG, 11) + rs(DIG, 2),
    }[country]()
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    raw = f"{country}{98 - num % 97:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


FIRST = [
    "amara",
    "bjorn",
    "chiara",
    "desmond",
    "elif",
    "fintan",
    "greta",
    "hiroshi",
    "isolde",
    "joaquim",
    "katja",
    "lorcan",
    "maelle",
    "nikhil",
    "ottilie",
    "priya",
]
LAST = [
    "abernethy",
    "bergstrom",
    "cavalcanti",
    "delacroix",
    "engstrand",
    "fairbairn",
    "gonzaga",
    "haverkamp",
    "ilunga",
    "jaramillo",
    "kettunen",
    "lindqvist",
    "moreau",
    "nakashima",
    "oduya",
]
MAIL = [
    "gmail.com",
    "hotmail.fr",
    "orange.fr",
    "libero.it",
    "bigpond.com",
    "ziggo.nl",
    "telia.com",
    "uol.com.br",
    "rediffmail.com",
    "shaw.ca",
    "tutanota.com",
    "yahoo.es",
]

email = partial(
    draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}.{last}", "{last}_{f}", "{f}+payroll")
)


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "cdn-purger",
    "payroll-export",
    "lag-exporter",
    "ledger-sync",
    "sms-gateway",
    "clickhouse-etl",
    "vault-agent",
    "edge-cache",
]
ONCALL = ["aino", "bastien", "carys", "dmitri", "esme", "farouk", "gwen", "hamza", "ingrid", "jonah"]


FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "pip": priv_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "pid": lambda: str(rng.randint(1100, 64000)),
    "ver": lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}",
    "sha7": lambda: rs(HEX, 7),
    "uuid": uuid4,
    "h64": lambda: rs(HEX, 64),
}


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            "PM-4410 timeline: {t} CloudTrail shows `CreateInvalidation` calls signed by {v} from outside the VPC.",
            "[default]\naccess_key = {v}\nhost_base = s3.eu-central-1.amazonaws.com",
            '$ mc alias set tarnwick-s3 https://s3.amazonaws.com {v} "$(cat /run/secrets/s3)"',
            "spark.hadoop.fs.s3a.access.key {v}\nspark.hadoop.fs.s3a.endpoint s3.eu-central-1.amazonaws.com",
            "PS C:\\> Set-AWSCredential -AccessKey {v} -StoreAs payroll-export",
            "[s3-archive]\ntype = s3\nprovider = AWS\naccess_key_id = {v}",
            "<source>\n  @type s3\n  aws_key_id {v}\n  s3_bucket tarnwick-cdn-logs\n</source>",
            "RB-23 step 3: the old laptop's `~/.s3cfg` still had {v}; deactivate it in IAM before wiping.",
            '  creds := credentials.NewStaticCredentials("{v}", os.Getenv("S3_SECRET"), "")',
            "| {t} | {who} | {v} set to Inactive (payroll-export user) |",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            "[default]\nsecret_key = {v}\nuse_https = True",
            "spark.hadoop.fs.s3a.secret.key {v}",
            "PS C:\\> Set-AWSCredential -AccessKey $id -SecretKey {v} -StoreAs payroll-export",
            "[s3-archive]\ntype = s3\nsecret_access_key = {v}",
            "<source>\n  @type s3\n  aws_sec_key {v}\n</source>",
            "PM-4410: the purge script had the secret key {v} baked into the container image layer.",
            "aws.secretKey={v}",
            '  s3 = boto3.client("s3", aws_secret_access_key="{v}")',
            "> {who}: the matching secret is {v}, but it was rotated at {t}",
            '"AWS_SECRET_ACCESS_KEY": "{v}",',
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "PM-4423: the lag exporter's release job pulled charts with {v}.",
            "[credential]\n\thelper = store\n# ~/.git-credentials: https://tarnwick-ci:{v}@github.com",
            "$ gh auth login --with-token <<< {v}",
            "RB-23 step 5: revoke the laptop's `gh` token {v} (listed under Settings > Applications).",
            "  - uses: actions/checkout@v4\n    with:\n      token: {v}",
            "renovate:\n  env:\n    RENOVATE_TOKEN: {v}",
            "| {t} | {who} | GitHub PAT {v} revoked |",
            "ADR-112: today the runners read `GITHUB_TOKEN={v}` from a file on the host.",
            "[github]\n  user = tarnwick-ci\n  token = {v}",
            "$ docker login ghcr.io -u tarnwick-ci -p {v}",
            'Caused by: org.kohsuke.github.HttpException: {"message":"Bad credentials"} token={v}',
            "> {who}: use {v}, it has `packages:read`",
            "PM-4431: the dbt docs site was deployed with {v} in the workflow env.",
            "$ npm config set //npm.pkg.github.com/:_authToken {v}",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "PM-4438: the SMS-failure alert bot posted with {v}.",
            'slack {\n  api_token = "{v}"\n  channel = "#ops-sms"\n}',
            "| {t} | {who} | Slack token {v} revoked |",
            "RB-23 step 6: sign out of Slack and revoke {v}, found in `~/.config/slack-term/config`.",
            "$ slack-notify --token={v} --channel ops-payroll 'export done'",
            "alertmanager:\n  slack_configs:\n    - api_url_file: /etc/am/slack\n      http_config:\n        authorization:\n          credentials: {v}",
            "ADR-112: the Slack bot token {v} moves from a k8s Secret to Vault.",
            "> {who}: Slack refresh token is {v}, don't lose it",
            "PM-4410: `cdn-purger` logged `slack_token={v}` at debug level.",
            '{"level":"warn","ts":"{ts}","svc":"sms-gateway","slack":{"token":"{v}"}}',
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "PM-4423: the lag alert went to {v}, a channel archived in 2025.",
            '[alerts]\nslack_webhook = "{v}"',
            '$ curl -s -d \'payload={"text":"payroll export finished"}\' {v}',
            "  slack_api_url: '{v}'",
            "| {t} | {who} | rotated webhook {v} |",
            "PM-4438: the SMS outage notice was posted by a Workflow Builder webhook, {v}.",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            "PM-4417: the payroll export job had a Stripe key {v} for contractor payouts.",
            'Stripe.apiKey = "{v}";',
            "stripe:\n  secret: {v}",
            "$ stripe listen --api-key {v} --forward-to localhost:4242/webhooks",
            "| {t} | {who} | rolled {v} in the Stripe dashboard |",
            "Stripe::StripeError (Invalid API Key provided: {v})",
            "ADR-112: Stripe key {v} will be injected by the Vault agent.",
            "> {who}: payouts key is {v}",
            '  config :stripity_stripe, api_key: "{v}"',
            "$stripe = new \\Stripe\\StripeClient('{v}');",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "PM-4410: every purge request carried `X-Purge-Token: {v}`.",
            "users:\n- name: vault-agent\n  user:\n    token: {v}",
            "$ grpcurl -H 'authorization: Bearer {v}' lag-exporter.tarnwick.internal:9443 lag.Lag/Snapshot",
            "Set-Cookie: tw_session={v}; Path=/; HttpOnly",
            "| {t} | {who} | decoded the captured token {v}: role admin, no expiry check |",
            "PM-4417: the payroll UI stored the session JWT {v} in localStorage.",
            'wscat -c wss://sms-gateway.tarnwick.internal/stream -H "Authorization: Bearer {v}"',
            "> {who}: here's my token for the repro: {v}",
            '{"ts":"{ts}","svc":"payroll-export","jwt":"{v}","msg":"token refresh"}',
            'http GET https://ledger.tarnwick.internal/api/v2/batches Authorization:"Bearer {v}"',
            "https://payroll.tarnwick.internal/sso/callback#id_token={v}",
            "PM-4431: the ClickHouse HTTP proxy accepted `?access_token={v}` and logged it.",
            "$ export VAULT_K8S_JWT={v}",
            'Invoke-RestMethod -Uri https://ledger.tarnwick.internal/api -Headers @{Authorization="Bearer {v}"}',
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "PM-4410: the CDN origin's TLS key was pasted into the ticket:\n{v}",
            "RB-19 appendix, old replication key:\n{v}",
        ],
    ),
    (
        "private-key",
        pk("enc"),
        ["ADR-112: the payroll signing key, encrypted with a passphrase that sits beside it:\n{v}"],
    ),
    ("private-key", pk("dsa"), ["RB-23: the legacy SFTP client key on the laptop:\n{v}"]),
    ("private-key", pk("ssh", "      "), ["  sftp:\n    identity: |\n      {v}"]),
    ("private-key", pk("ssh"), ["$ cat ~/.ssh/id_ed25519\n{v}"]),
    (
        "private-key",
        pk("pgp"),
        ["PM-4417: the payroll vendor's decryption key was in the export share:\n{v}"],
    ),
    ("private-key", pk("pgp", "    "), ["gpg:\n  secret: |\n    {v}"]),
    (
        "private-key",
        pk("ovpn"),
        ["<tls-crypt>\n{v}\n</tls-crypt>", "RB-23: the laptop's `client.ovpn` ends with:\n{v}"],
    ),
    (
        "private-key",
        pk("ed"),
        [
            "$ kubectl -n edge get secret cdn-origin-tls -o jsonpath='{.data.tls\\.key}' | base64 -d\n{v}",
            "PM-4438: the SMPP client key:\n{v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "PM-4423: consumers connected with `amqps://lag-exporter:{v}@mq.tarnwick.internal:5671/prod`.",
            "MONGO_URL=mongodb+srv://payroll:{v}@cluster0.tarnwick.mongodb.net/payroll?retryWrites=true",
            "$ redis-cli -u rediss://default:{v}@cache.tarnwick.internal:6380 INFO keyspace",
            "ldap_uri: ldaps://svc-payroll:{v}@ldap.tarnwick.internal:636",
            "$ lftp sftp://payroll:{v}@sftp.payroll-vendor.example",
            "PM-4417: the export was uploaded to `ftp://tarnwick:{v}@ftp.payroll-vendor.example/in/`.",
            "CLOUDINARY_URL=cloudinary://{num}846291:{v}@tarnwick",
            "[global]\nindex-url = https://pypi-ro:{v}@nexus.tarnwick.internal/repository/pypi/simple",
            "$ nats sub 'sms.>' --server nats://sms:{v}@nats.tarnwick.internal:4222",
            "clickhouse_dsn: clickhouse://etl:{v}@ch-1.tarnwick.internal:9440/analytics?secure=true",
            "$ mosquitto_sub -L mqtts://sensor:{v}@mqtt.tarnwick.internal:8883/fleet/#",
            "https_proxy=http://svc-build:{v}@proxy.tarnwick.internal:3128",
            "ELASTICSEARCH_HOSTS=https://elastic:{v}@es.tarnwick.internal:9200",
            "| {t} | {who} | found `smb://TARNWICK;payroll:{v}@fs01/exports` in a cron job |",
            "$ git clone https://oauth2:{v}@git.tarnwick.internal/ops/runbooks.git",
            "kafka-ui:\n  url: http://admin:{v}@kafka-ui.tarnwick.internal:8080",
            "spring.rabbitmq.addresses=amqp://ledger:{v}@10.40.2.11:5672",
            "> {who}: try `postgresql://readonly:{v}@pg-replica.tarnwick.internal/ledger`",
            "sentinel://:{v}@redis-sentinel.tarnwick.internal:26379/mymaster",
            "PM-4431: Grafana's ClickHouse datasource URL was `http://grafana:{v}@ch-lb.tarnwick.internal:8123`.",
            "INFLUX_URL=https://telegraf:{v}@influx.tarnwick.internal:8086",
            "ssh://deploy:{v}@bastion.tarnwick.internal:2222",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ mysqladmin -u root -p'{v}' flush-hosts",
            "$ sqlcmd -S tcp:sql-payroll.tarnwick.internal,1433 -U sa -P '{v}' -Q \"SELECT @@VERSION\"",
            "$ redis-cli -h cache.tarnwick.internal -a '{v}' --no-auth-warning DBSIZE",
            "$ mongosh \"mongodb://mongo-0.tarnwick.internal\" --username payroll --password '{v}'",
            "$ smbclient //fs01/exports -U 'TARNWICK\\payroll%{v}'",
            "$ sshpass -p '{v}' ssh admin@switch-core-2.tarnwick.internal",
            "$ ldapsearch -H ldaps://ldap.tarnwick.internal -D cn=admin,dc=tarnwick,dc=internal -w '{v}' '(uid=esme)'",
            "$ rabbitmqctl change_password lag-exporter '{v}'",
            "$ ipmitool -I lanplus -H 10.9.0.21 -U ADMIN -P '{v}' chassis power cycle",
            "$ keytool -importkeystore -srckeystore old.jks -destkeystore new.p12 -deststoretype pkcs12 -deststorepass '{v}'",
            "$ htpasswd -b /etc/nginx/.htpasswd grafana '{v}'",
            "$ cqlsh cass-1.tarnwick.internal -u cassandra -p '{v}'",
            "$ clickhouse-client --host ch-1.tarnwick.internal --user etl --password '{v}'",
            "$ 7z a -p'{v}' payroll-2026-11.7z payroll-2026-11.csv",
            "$ zip -P '{v}' export.zip export.csv",
            "$ xfreerdp /v:jump-win.tarnwick.internal /u:ops /p:'{v}'",
            "$ snmpwalk -v3 -l authPriv -u monitor -a SHA -A '{v}' -x AES -X \"$SNMP_PRIV\" 10.9.0.1",
            "$ nmcli dev wifi connect Tarnwick-Ops password '{v}'",
            "$ gpg --batch --pinentry-mode loopback --passphrase '{v}' -d payroll.csv.gpg",
            "$ net use Z: \\\\fs01\\exports /user:TARNWICK\\payroll {v}",
            "PS> $pw = ConvertTo-SecureString '{v}' -AsPlainText -Force",
            "PS> Invoke-Sqlcmd -ServerInstance sql-payroll -Username sa -Password '{v}' -Query 'DBCC CHECKDB'",
            "$ vault login -method=userpass username=esme password='{v}'",
            "$ helm repo add internal https://charts.tarnwick.internal --username ci --password '{v}'",
            'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="lag-exporter" password="{v}";',
            "requirepass {v}",
            "masterauth {v}",
            "pg-replica.tarnwick.internal:5432:ledger:replicator:{v}",
            "machine nexus.tarnwick.internal login ci password {v}",
            "[client]\nuser=backup\npassword={v}",
            "[payroll]\nDriver=ODBC Driver 18 for SQL Server\nServer=sql-payroll\nUID=payroll\nPWD={v}",
            "Server=sql-payroll.tarnwick.internal;Database=Payroll;User Id=payroll_rw;Password={v};Encrypt=True;",
            "jdbc:sqlserver://sql-payroll:1433;databaseName=Payroll;user=payroll_rw;password={v}",
            "dbname=ledger host=pg-primary user=ledger_rw password={v} sslmode=require",
            "[smtp.payroll-vendor.example]:587 payroll-relay:{v}",
            "account tarnwick\nhost smtp.tarnwick.internal\nuser alerts\npassword {v}",
            'poll imap.tarnwick.internal protocol IMAP user "sms-bounce" password "{v}"',
            'output {\n  elasticsearch {\n    user => "logstash"\n    password => "{v}"\n  }\n}',
            "[OUTPUT]\n    Name  es\n    HTTP_User fluent\n    HTTP_Passwd {v}",
            '[[outputs.influxdb]]\n  username = "telegraf"\n  password = "{v}"',
            "global:\n  smtp_auth_username: alerts\n  smtp_auth_password: '{v}'",
            "[security]\nadmin_user = admin\nadmin_password = {v}",
            "<server>\n  <id>tarnwick-releases</id>\n  <username>ci</username>\n  <password>{v}</password>\n</server>",
            '<add key="ClearTextPassword" value="{v}" />',
            "tarnwickNexusPassword={v}",
            'db {\n  user = "ledger"\n  password = "{v}"\n}',
            "secretGenerator:\n- name: ledger-db\n  literals:\n  - password={v}",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: clickhouse-etl\nstringData:\n  CLICKHOUSE_PASSWORD: {v}",
            "[Service]\nEnvironment=PGPASSWORD={v}",
            '[program:sms-gateway]\nenvironment=SMPP_PASSWORD="{v}"',
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{\n  "auths": {\n    "registry.tarnwick.internal": {\n      "auth": "{v}"\n    }\n  }\n}',
            "//nexus.tarnwick.internal/repository/npm/:_auth={v}",
            "Proxy-Authorization: Basic {v}",
            '$ git -c http.extraHeader="Authorization: Basic {v}" clone https://git.tarnwick.internal/ops/runbooks.git',
            '{"name":"Authorization","value":"Basic {v}"}',
            'headers = {"Authorization": "Basic {v}"}',
            "| {t} | {who} | replayed the purge with `Authorization: Basic {v}` |",
            "PM-4431: the ClickHouse proxy logged `authorization=Basic {v}` on every query.",
            "  httpHeaders:\n    Authorization: Basic {v}",
            "> {who}: the Kafka UI header is `Basic {v}`",
            'proxy_set_header Authorization "Basic {v}";',
            "RB-19 step 2: test the new credential with `curl -H 'Authorization: Basic {v}' https://kafka-ui.tarnwick.internal/api/clusters`.",
        ],
    ),
    (
        "bearer-token",
        lambda: opaque(40),
        [
            "PM-4410: the purge API was called with `Authorization: Bearer {v}` from a laptop.",
            "PS> Invoke-RestMethod https://sms-gateway.tarnwick.internal/v1/queue -Headers @{Authorization = 'Bearer {v}'}",
            "$ http POST https://cdn-api.tarnwick.internal/purge Authorization:'Bearer {v}' path=/img/*",
            "| {t} | {who} | revoked bearer {v} |",
            "fetch('/api/payroll/export', { headers: { Authorization: `Bearer {v}` } })",
            "  bearer_token: {v}",
            "authorization:\n  type: Bearer\n  credentials: {v}",
            "> {who}: Bearer {v} works against staging",
            '{"ts":"{ts}","svc":"ledger-sync","upstream_headers":{"Authorization":"Bearer {v}"}}',
            'req.Header.Set("Authorization", "Bearer {v}")',
            "PM-4438: the failover SMS provider was called with `-H 'Authorization: Bearer {v}'`.",
            "RB-19 step 7: the DB proxy admin API takes `Bearer {v}` until the rotation is done.",
            "$ websocat -H='Authorization: Bearer {v}' wss://lag-exporter.tarnwick.internal/ws",
            '--header="Authorization: Bearer {v}"',
        ],
    ),
    (
        "generic-api-key",
        lambda: opaque(rng.choice([32, 40, 48])),
        [
            "CDN_PURGE_API_KEY={v}",
            "  api_key: {v}",
            "$ curl -H 'X-Api-Key: {v}' https://sms-failover.example-sms.com/v2/status",
            '[payroll_vendor]\napi_key = "{v}"',
            "PM-4417: the payroll vendor's API key {v} was in the shared export folder's README.",
            "$ lagctl --api-key {v} snapshot --group ledger-consumers",
            "| {t} | {who} | vendor rotated our key {v} |",
            "payrollVendor.apiKey={v}",
            "> {who}: the ETL key is {v}",
            '  ETL_API_KEY: "{v}"',
            "x-api-key: {v}",
            "ADR-112: the SMS vendor key {v} is the first secret to move.",
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-key",
        ya29,
        [
            "PM-4431: the BigQuery export step logged `Authorization: Bearer {v}` (a user access token).",
            "$ export CLOUDSDK_AUTH_ACCESS_TOKEN={v}",
        ],
    ),
    (
        "gcp-key",
        g_refresh,
        [
            '{\n  "client_id": "32555940559.apps.googleusercontent.com",\n  "refresh_token": "{v}",\n  "type": "authorized_user"\n}'
        ],
    ),
    ("gcp-key", gcp_api, ["PM-4438: the fallback SMS provider geolocates numbers with Google key {v}."]),
    (
        "gcp-key",
        gcp_oauth_secret,
        [
            "oauth2-proxy:\n  clientSecret: {v}",
            "RB-23: the laptop's `~/.config/rclone/rclone.conf` had `client_secret = {v}` for the Drive remote.",
        ],
    ),
    (
        "gcp-service-account-key",
        gcp_sa_key,
        [
            'PM-4431: the ETL job mounted a key file: {"type":"service_account","project_id":"tarnwick-analytics","private_key":"{v}"}',
            '  credentials.json: |\n    {"type": "service_account", "private_key": "{v}", "client_email": "etl@tarnwick-analytics.iam.gserviceaccount.com"}',
            'resource "local_file" "sa" {\n  content = jsonencode({ private_key = "{v}" })\n}',
        ],
    ),
    (
        "azure-key",
        ado_pat,
        [
            "$ git clone https://pat:{v}@dev.azure.com/tarnwick/ledger/_git/ledger-sync",
            "AZURE_DEVOPS_EXT_PAT={v}",
        ],
    ),
    (
        "azure-key",
        cosmos_key,
        [
            "AccountEndpoint=https://tw-ledger.documents.azure.com:443/;AccountKey={v};",
            "$ az cosmosdb sql container list -a tw-ledger -g rg-ledger --key {v} -d ledger",
        ],
    ),
    ("azure-key", hexk(32), ["Ocp-Apim-Subscription-Key: {v}", "AZURE_OPENAI_API_KEY={v}"]),
    (
        "azure-key",
        az_client_secret,
        [
            "$ az login --service-principal -u 0b6e8c2a-payroll-export -p '{v}' --tenant tarnwick.onmicrosoft.com"
        ],
    ),
    (
        "azure-key",
        az_sas_sig,
        [
            "PM-4417: the export link sent to the vendor: https://twpayroll.blob.core.windows.net/out/2026-11.csv?sv=2022-11-02&sr=b&sp=r&se=2027-01-01&sig={v}"
        ],
    ),
    (
        "gitlab-token",
        gl_token("glptt-"),
        [
            "$ curl -X POST -F token={v} -F ref=main https://gitlab.tarnwick.internal/api/v4/projects/88/trigger/pipeline"
        ],
    ),
    (
        "gitlab-token",
        gl_token("glft-"),
        ["RB-23: the laptop's calendar had a GitLab feed URL with `feed_token={v}`."],
    ),
    (
        "gitlab-token",
        gl_token("glagent-"),
        ["config:\n  token: {v}\n  kasAddress: wss://gitlab.tarnwick.internal/-/kubernetes-agent/"],
    ),
    ("gitlab-token", gl_token("gldt-"), ["PM-4423: the chart repo was mirrored with deploy token {v}."]),
    ("gitlab-token", gl_token("glcbt-"), ["PM-4431: a job log printed `CI_JOB_TOKEN={v}` while debugging."]),
    ("gitlab-token", gl_token("glpat-"), ["[gitlab]\nprivate_token = {v}"]),
    (
        "gitlab-token",
        gl_token("glrt-"),
        ['concurrent = 4\n[[runners]]\n  url = "https://gitlab.tarnwick.internal"\n  token = "{v}"'],
    ),
    (
        "vendor-token",
        telegram_bot,
        [
            "PM-4438: the on-call fallback posts to Telegram via `https://api.telegram.org/bot{v}/sendMessage`.",
            "TELEGRAM_BOT_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        discord_bot,
        ["ADR-112: the community Discord bot token {v} is still in a `.env` on the build box."],
    ),
    ("vendor-token", postman, ['RB-23: the laptop\'s Postman export had `"postman_api_key": "{v}"`.']),
    (
        "vendor-token",
        akamai_token,
        [
            "[default]\nclient_token = {v}\nhost = akab-purge.luna.akamaiapis.net",
            "[default]\naccess_token = {v}",
        ],
    ),
    ("vendor-token", lambda: b64(rbytes(32)), ["[default]\nclient_secret = {v}\nmax-body = 131072"]),
    (
        "vendor-token",
        bitwarden_sm,
        [
            "ADR-112: the Bitwarden Secrets Manager machine token is {v}; it would be the only secret left on disk.",
            "BWS_ACCESS_TOKEN={v}",
        ],
    ),
    ("vendor-token", op_sa, ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    ("vendor-token", doppler, ["PM-4431: the ETL image had `ENV DOPPLER_TOKEN={v}`."]),
    ("vendor-token", airtable, ["PM-4417: the HR team's Airtable sync used PAT {v}."]),
    ("vendor-token", asana, ["> {who}: Asana token for the incident bot: {v}"]),
    ("vendor-token", brevo, ["PM-4438: payslip e-mails went through Brevo with key {v}."]),
    ("vendor-token", mailchimp, ["MAILCHIMP_API_KEY={v}"]),
    ("vendor-token", lambda: "re_" + rs(ALNUM, 8) + "_" + rs(ALNUM, 24), ["RESEND_API_KEY={v}"]),
    ("vendor-token", circleci, ["$ curl -H 'Circle-Token: {v}' https://circleci.com/api/v2/me"]),
    (
        "vendor-token",
        pre("bkua_", HEX, 40),
        ["PM-4423: the Buildkite API token {v} was in the pipeline upload script."],
    ),
    ("vendor-token", hexk(50), ['[buildkite-agent]\ntoken="{v}"']),
    ("vendor-token", pre("squ_", HEX, 40), ["sonar.token={v}"]),
    ("vendor-token", jfrog_ref, ["$ jf c add tarnwick --url https://tarnwick.jfrog.io --access-token {v}"]),
    ("vendor-token", pre("cio", ALNUM, 32), ['[registry]\ntoken = "{v}"']),
    ("vendor-token", pre("rubygems_", HEX, 48), ["---\n:rubygems_api_key: {v}"]),
    ("vendor-token", fly_token, ['FLY_API_TOKEN="{v}"']),
    (
        "vendor-token",
        pre("rnd_", ALNUM, 32),
        ["PM-4410: the status page on Render was redeployed with API key {v}."],
    ),
    ("vendor-token", contentful, ["CONTENTFUL_MANAGEMENT_TOKEN={v}"]),
    (
        "vendor-token",
        hubspot,
        ["PM-4438: the CRM sync sends opt-outs to HubSpot with private app token {v}."],
    ),
    ("vendor-token", ld_sdk, ["  launchDarkly:\n    sdkKey: {v}"]),
    (
        "vendor-token",
        uuid4,
        [
            "SNYK_TOKEN={v}",
            "X-Postmark-Server-Token: {v}",
            "$ curl -H 'Authorization: Splunk {v}' https://hec.tarnwick.internal:8088/services/collector -d @event.json",
            "export CONSUL_HTTP_TOKEN={v}",
            "[default]\nsecret_key = {v}\ndefault_organization_id = tarnwick",
        ],
    ),
    ("vendor-token", scw_access, ["[default]\naccess_key = {v}"]),
    ("vendor-token", alibaba_id, ["PM-4410: the China CDN purge used Alibaba Cloud AccessKey {v}."]),
    (
        "vendor-token",
        lambda: rs(ALNUM, 30),
        ["aliyun configure set --access-key-id $ALI_ID --access-key-secret {v}"],
    ),
    ("vendor-token", tencent_id, ["TENCENTCLOUD_SECRET_ID={v}"]),
    (
        "vendor-token",
        lambda: rs(ALNUM, 32),
        [
            "TENCENTCLOUD_SECRET_KEY={v}",
            "PM-4410: the OVH application secret {v} was committed with the purge script.",
            "SEGMENT_WRITE_KEY={v}",
        ],
    ),
    ("vendor-token", lambda: "005" + rs(HEX, 22), ["B2_APPLICATION_KEY_ID={v}"]),
    ("vendor-token", b2_app_key, ["B2_APPLICATION_KEY={v}"]),
    (
        "vendor-token",
        pre("DO00", UP + DIG, 16),
        ["PM-4431: Spaces access key {v} was reused for the ETL bucket."],
    ),
    ("vendor-token", hexk(64), ["LINODE_TOKEN={v}", "hcloud:\n  token: {v}"]),
    ("vendor-token", pre("", UP + DIG, 36), ["VULTR_API_KEY={v}"]),
    ("vendor-token", bedrock, ["AWS_BEARER_TOKEN_BEDROCK={v}"]),
    ("vendor-token", lambda: "NRAL" + rs(HEX, 36), ["newrelic.license={v}"]),
    (
        "vendor-token",
        hexk(32),
        [
            "PAGERDUTY_ROUTING_KEY={v}",
            "  rollbar_access_token: {v}",
            "SLACK_SIGNING_SECRET={v}",
            'PM-4438: PagerDuty Events v2 calls used `"routing_key": "{v}"`.',
        ],
    ),
    (
        "vendor-token",
        lambda: "figd_" + rs(B64URL, 40),
        ["> {who}: Figma token for the status-page export is {v}"],
    ),
    (
        "vendor-token",
        lambda: "ntn_" + rs(DIG, 11) + rs(ALNUM, 35),
        ["PM-4417: the postmortem draft was synced from Notion with {v}."],
    ),
    (
        "vendor-token",
        wg_key,
        [
            "[Interface]\nAddress = 10.66.0.7/32\nPrivateKey = {v}\nDNS = 10.66.0.1",
            "RB-23 step 9: the laptop's WireGuard private key was {v}; remove its peer from the hub.",
        ],
    ),
    (
        "vendor-token",
        lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
        [
            "# created: 2026-03-02T10:11:12Z\n# public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n{v}"
        ],
    ),
    (
        "vendor-token",
        lambda: "hvs.CAESI" + rs(ALNUM + "_-", 84),
        ['vault {\n  address = "https://vault.tarnwick.internal:8200"\n  token   = "{v}"\n}'],
    ),
    (
        "vendor-token",
        lambda: "dp.pt." + rs(ALNUM, 43),
        ["$ doppler configure set token {v} --scope /srv/etl"],
    ),
]


next_phone = numbered(phone)


COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "PM-4417: the export file went to {v}, a contractor's personal mailbox, instead of the vendor's SFTP.",
            "emp_id;name;email\n30412;Greta Haverkamp;{v}",
            "| {t} | support | complaint from {v} about someone else's payslip |",
            "UPDATE employees SET email = '{v}' WHERE emp_id = 30418;",
            "PM-4438: the customer who reported missing OTP SMS, {v}, was on a French number.",
            "Nov 12 {t}:44 smtp-out postfix/qmgr[{pid}]: 7C2A41E09: from=<{v}>, size=48211, nrcpt=1 (queue active)",
            "> {who}: {v} says she got Bjorn's payslip",
            '  notify_to: ["{v}"]',
            "From: {v}\nTo: payroll@tarnwick.example\nSubject: wrong payslip",
            "RB-23: the laptop's owner signs in as {v} on their personal Apple ID.",
            '{"ts":"{ts}","svc":"sms-gateway","fallback":"email","to":"{v}"}',
            "ADR-112: break-glass access is e-mailed to the CTO's personal address ({v}).",
            "PM-4431: the ETL job copied `users.email` ({v} in the sample row) into an unencrypted table.",
            "E-Mail-Adresse: {v}",
        ],
    ),
    (
        "phone",
        next_phone,
        [
            "PM-4438: the first failed OTP went to {v}.",
            '{"ts":"{ts}","svc":"sms-gateway","dest":"{v}","status":"REJECTD","err":"0x0000000B"}',
            "| {t} | {who} | called the employee on {v} |",
            "emp_id,name,mobile\n30412,Greta Haverkamp,{v}",
            "> {who}: ring me on {v} if the bridge drops",
            "PM-4417: the export also had a home phone column, e.g. {v}.",
            "    mobile: '{v}'",
            "submit_sm: source_addr=TARNWICK dest_addr={v} data_coding=0",
            "INSERT INTO sms_optout (msisdn) VALUES ('{v}');",
            "RB-23: the laptop owner's number for 2FA reset is {v}.",
            "ADR-112: break-glass approvers are called, e.g. the CFO on {v}.",
            "Téléphone : {v}",
            "PM-4423: the vendor's escalation line is {v}.",
            'time={ts} level=warn svc=sms-gateway msg="throttled" to={v}',
        ],
    ),
    (
        "credit-card",
        card,
        [
            "PM-4417: the expense export carried the corporate card {v} in clear.",
            '{"ts":"{ts}","svc":"ledger-sync","card_number":"{v}","amount":"412.00"}',
            "| {t} | support | employee typed their card {v} into the chat |",
            "SELECT * FROM expenses WHERE card = '{v}';",
            "> {who}: card is {v}, exp 11/28",
            "PM-4431: ClickHouse query log held `WHERE pan = '{v}'` from an analyst.",
            "card_holder;card_number\nG. Haverkamp;{v}",
            '  card: "{v}"',
            "ADR-112: a PAN like {v} in a ticket is a security incident of its own.",
            'Exception in thread "main" java.lang.IllegalStateException: charge failed for {v}',
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "PM-4410: the purge storm came from {v}, a cloud VM outside our accounts.",
            '{v} - - [12/Nov/2026:{t}:31 +0000] "PURGE /img/ HTTP/1.1" 200 0 "-" "curl/8.5.0"',
            "| {t} | {who} | blocked {v} at the edge |",
            '{"ts":"{ts}","svc":"edge-cache","client":"{v}","action":"purge"}',
            "PM-4417: the SFTP log shows the export fetched from {v}.",
            "RB-23: the lost laptop last connected from {v}.",
            "Failed password for invalid user payroll from {v} port 51422 ssh2",
            "> {who}: who is {v}? it hit the OTP endpoint 9k times",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            "PM-4410: a second purge source was {v}.",
            '{"ts":"{ts}","svc":"sms-gateway","client":"{v}","otp_requests":412}',
            "RB-23: the laptop's last seen address was {v}.",
            "Accepted publickey for esme from {v} port 60122 ssh2",
            "| {t} | {who} | rate-limited {v} |",
            "PM-4438: OTP abuse came from {v}.",
        ],
    ),
    ("national-id", ssn, ["PM-4417: the US contractor's SSN {v} was also in the file."]),
]


RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "national-id",
        bsn,
        [
            "PM-4417: the export included Dutch BSNs (e.g. {v}) for the Amsterdam office.",
            "emp_id;bsn\n30412;{v}",
        ],
    ),
    ("national-id", dni, ["PM-4417: Madrid staff rows had the DNI column filled, e.g. {v}.", "  dni: {v}"]),
    ("national-id", nie, ["> {who}: the contractor's NIE is {v}, can we drop it from the sheet?"]),
    (
        "national-id",
        cpf,
        [
            "PM-4438: a Brazilian customer's CPF {v} was sent in an SMS template.",
            '{"customer":{"cpf":"{v}"}}',
        ],
    ),
    ("national-id", sin, ["PM-4417: Toronto staff SIN {v} was in column Q.", '  sin: "{v}"']),
    (
        "national-id",
        aadhaar,
        ["PM-4417: the Pune office rows carried Aadhaar numbers, e.g. {v}.", "aadhaar_no: {v}"],
    ),
    ("national-id", personnummer, ["PM-4417: the Stockholm office rows had personnummer {v}."]),
    (
        "national-id",
        nir,
        ["PM-4417: Paris staff rows had the numéro de sécurité sociale, e.g. {v}.", "NIR : {v}"],
    ),
    (
        "iban",
        one_of(*(iban(c) for c in ["NL", "ES", "IT", "BE", "PL", "FR"])),
        [
            "PM-4417: salary account {v} (Amsterdam) was in the export.",
            "emp_id;iban\n30419;{v}",
            "> {who}: the contractor's IBAN is {v}",
            '  payout_iban: "{v}"',
            "PM-4417: a Warsaw contractor's account, {v}, was in the vendor's copy.",
            "ADR-112: bank details such as {v} are personal data, not secrets.",
        ],
    ),
]


# ---------------------------------------------------------------------------- look-alikes


def arn() -> str:
    acct = rs(DIG, 12)
    return rng.choice(
        [
            f"arn:aws:cloudfront::{acct}:distribution/E{rs(UP + DIG, 13)}",
            f"arn:aws:secretsmanager:eu-central-1:{acct}:secret:payroll/export-{rs(ALNUM, 6)}",
            f"arn:aws:kafka:eu-central-1:{acct}:cluster/ledger/{uuid4()}-5",
            f"arn:aws:iam::{acct}:role/cdn-purger",
            f"arn:aws:sns:eu-central-1:{acct}:sms-fallback",
        ]
    )


def b64_plain() -> str:
    return b64(
        rng.choice(
            [
                b'{"purge":"/img/*","by":"cdn-purger"}',
                b"payroll export 2026-11 complete",
                b'{"group":"ledger-consumers","lag":41200}',
                b"laptop TW-LT-0931 re-imaged",
                b"secrets move to vault by Q1",
                b"disk 92% on ch-3",
                b'{"sms":"fallback provider active"}',
                b"partition 7 rebalanced",
            ]
        )
    )


def ssh_pub() -> str:
    return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + f" {rng.choice(ONCALL)}@tw-laptop"


cert_pem = partial(draw.cert_pem_block, "MIIDdzCCAl+gAwIBAgIU")


def pub_pem() -> str:
    body = ["MCowBQYDK2VwAyEA" + rs(B64, 43) + "="]
    return "\n".join(["-----BEGIN PUBLIC KEY-----", *body, "-----END PUBLIC KEY-----"])


def ex_email() -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}@" + rng.choice(
        ["example.com", "example.org", "tarnwick.example", "payroll.test", "example.net"]
    )


def rsv_ip() -> str:
    return rng.choice(
        [
            priv_ip(),
            f"192.0.2.{rng.randint(1, 254)}",
            f"198.51.100.{rng.randint(1, 254)}",
            f"203.0.113.{rng.randint(1, 254)}",
            f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"2001:db8:{rs(HEX, 4).lstrip('0') or '1'}::{rng.randint(1, 99)}",
            f"fd7a:115c:a1e0::{rs(HEX, 4).lstrip('0') or '9'}",
            f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
        ]
    )


def order_no() -> str:
    return rng.choice(
        [
            f"TW-{rs(DIG, 8)}",
            f"PO-2026-{rs(DIG, 6)}",
            f"{rng.randint(200, 989)}-{rng.randint(200, 989)}-{rng.randint(2000, 9899)}",
            f"EXP{rs(DIG, 9)}",
        ]
    )


def bad_bsn() -> str:
    while True:
        d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        if (sum(x * w for x, w in zip(d[:8], range(9, 1, -1), strict=True)) - d[8]) % 11:
            return "".join(map(str, d))


long_id = draw.long_id


def fingerprint() -> str:
    return ":".join(rs(HEX, 2) for _ in range(16))


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "PM-4410: the purge-on-deploy hook came in with {v}.",
            "| {t} | {who} | reverted {v} |",
            "$ git revert --no-edit {v}",
            "PM-4423: consumer `max.poll.records` was raised in {v}.",
            "  targetRevision: {v}",
            "ADR-112: the Vault agent injector config is pinned at {v}.",
            "Run actions/checkout@{v}",
            "PM-4431: the TTL change that stopped the disk growing is {v}.",
            "Merge: 4c1d2e9 a7f03b1\ncommit {v}",
            "RB-19 step 1: check out the rotation scripts at {v}.",
            "remote: Resolving deltas: 100% (41/41)\n   {sha7}..{v}  main -> main",
            "PM-4438: the SMPP retry fix is {v}.",
            '{"svc":"payroll-export","build":"{v}"}',
            "  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: {v}",
            "PM-4417: the CSV writer that added every column by default is {v}.",
            "> {who}: bisect says {v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "PM-4410: CloudFront invalidation batch {v} was the 400th of the hour.",
            "  tenant_id: {v}",
            "AZURE_TENANT_ID={v}",
            "  clientId: {v}\n  # client secret comes from the CSI driver",
            "PM-4423: consumer group member {v} held partitions 0-11.",
            "x-amzn-RequestId: {v}",
            "| {t} | {who} | opened vendor ticket {v} |",
            "RB-23: Intune device id {v}.",
            "time={ts} level=info svc=payroll-export run_id={v} rows=18211",
            "ADR-112: Vault AppRole role_id {v} is not a secret; the secret_id is.",
            "PM-4431: ClickHouse query_id {v} filled the disk.",
            '{"ts":"{ts}","svc":"sms-gateway","message_id":"{v}","status":"DELIVRD"}',
            "metadata:\n  uid: {v}",
            "PM-4438: Twilio-style idempotency key {v} was reused by the retry loop.",
            '  subscription_id = "{v}"',
            "Correlation ID: {v}",
            "PM-4417: the GDPR breach report reference is {v}.",
            '  lineage: "{v}"',
            "X-Request-Id: {v}",
            "Exception: KafkaTimeout (trace_id={v})",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            "image: registry.tarnwick.internal/cdn-purger@{v}",
            "PM-4431: the clickhouse-server image was {v}.",
            "| {t} | {who} | pinned sms-gateway to {v} |",
            "FROM python:3.12-slim@{v}",
            "  digest: {v}",
        ],
    ),
    (
        "hash-or-digest",
        hexk(64),
        [
            "{v}  payroll-2026-11.csv.gpg",
            "PM-4417: the vendor confirmed the file hash {v}.",
            "ADR-112: `vault` binary SHA256SUMS entry {v}.",
            "RB-23: disk image checksum {v}.",
            "SHA256 ({num}.tar.gz) = {v}",
        ],
    ),
    (
        "hash-or-digest",
        hexk(32),
        [
            "{v}  clickhouse-common-static.tgz",
            'ETag: "{v}"',
            "PM-4410: the purged object's MD5 was {v}.",
            "Content-MD5 check: {v} ok",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha384-" + b64(rbytes(48)),
        [
            '<script src="https://cdn.tarnwick.example/app.js" integrity="{v}" crossorigin="anonymous"></script>',
            '"integrity": "{v}",',
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha512-" + b64(rbytes(64)),
        ["    integrity {v}", "PM-4423: lockfile integrity {v} changed without a version bump."],
    ),
    (
        "hash-or-digest",
        lambda: "h1:" + b64(rbytes(32)),
        ["github.com/segmentio/kafka-go v0.4.47 {v}", "PM-4423: go.sum line for kafka-go carries {v}."],
    ),
    (
        "hash-or-digest",
        lambda: "SHA256:" + b64(rbytes(32)).rstrip("="),
        ["ED25519 key fingerprint is {v}.", "RB-23: the new laptop's host key is {v}."],
    ),
    (
        "trace-id",
        lambda: f"00-{rs(HEX, 32)}-{rs(HEX, 16)}-01",
        ["traceparent: {v}", "PM-4423: the slow commit trace was {v}."],
    ),
    (
        "trace-id",
        lambda: f"1-{rs(HEX, 8)}-{rs(HEX, 24)}",
        [
            "X-Amzn-Trace-Id: Root={v};Sampled=1",
            "PM-4410: X-Ray trace {v} shows 38 invalidations in one call.",
        ],
    ),
    (
        "trace-id",
        hexk(32),
        [
            "PM-4431: Sentry event {v} has the first OOM.",
            "trace_id={v} span_id=" + "0" * 4 + "{sha7}1a2b3",
            '  "traceId": "{v}",',
            "jaeger: https://jaeger.tarnwick.internal/trace/{v}",
        ],
    ),
    ("trace-id", hexk(16), ["X-B3-SpanId: {v}", "PM-4438: span {v} is the SMPP bind.", "dd.span_id={v}"]),
    (
        "trace-id",
        long_id,
        ["dd.trace_id={v}", "PM-4410: Datadog trace {v} is the first purge.", '  x-datadog-trace-id: "{v}"'],
    ),
    (
        "trace-id",
        lambda: rng.choice("01") + rs("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 25),
        ["PM-4438: message ULID {v} was sent three times."],
    ),
    (
        "cloud-resource-id",
        arn,
        [
            "PM-4410: the distribution is {v}.",
            '  role_arn = "{v}"',
            "| {t} | {who} | rotated {v} |",
            "ADR-112: the payroll secret lives at {v} until the move.",
            "PM-4423: MSK cluster {v}.",
            "Resource: {v}",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: rng.choice(["i-", "vol-", "sg-", "eni-", "nat-", "igw-"]) + rs(HEX, 17),
        ["PM-4431: the ETL host was {v}.", "| {t} | {who} | detached {v} |", "  instance_id: {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-payroll/providers/Microsoft.Storage/storageAccounts/twpayroll"
        ),
        ["PM-4417: the storage account is {v}.", "  scope: {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: f"projects/tarnwick-analytics/locations/europe-west3/keyRings/etl/cryptoKeys/{rs(LOW, 6)}",
        ["ADR-112: the unseal key is wrapped by {v}."],
    ),
    (
        "cloud-resource-id",
        lambda: f"ocid1.instance.oc1.eu-frankfurt-1.{rs(LOW + DIG, 60)}",
        ["PM-4431: the OCI mirror node is {v}."],
    ),
    (
        "cloud-resource-id",
        lambda: "E" + rs(UP + DIG, 13),
        [
            "$ aws cloudfront create-invalidation --distribution-id {v} --paths '/img/*'",
            "PM-4410: distribution {v} got every purge.",
        ],
    ),
    ("cloud-resource-id", lambda: f"ami-{rs(HEX, 17)}", ["RB-19: the bastion image is {v}."]),
    (
        "placeholder",
        one_of(
            "mysql://USER:PASSWORD@HOST:3306/DB",
            "<your-telegram-bot-token>",
            "LTAI****************",
            "changeme",
            "YOUR_API_KEY",
            "xoxb-your-token",
            "REPLACE_ME",
            "<password>",
            "sk_live_...",
            "glpat-XXXXXXXXXXXXXXXXXXXX",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX",
            "amqps://user:pass@host:5671/vhost",
            "PMAK-<key>",
            "akab-XXXXXXXXXXXXXXXX-XXXXXXXXXXXXXXXX",
            "********",
            "dummy",
            "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
            "CHANGE_ME_BEFORE_PROD",
            "abcdef.0123456789abcdef",
        ),
        [
            "RB-19 template: `DSN={v}`",
            "ADR-112 example: `TELEGRAM_BOT_TOKEN={v}`",
            "PM-4410: the scanner output showed `{v}` for the Alibaba key.",
            "  password: {v}   # overwritten by the Vault agent",
            "X-Api-Key: {v}",
            "PM-4438 runbook sample .env: `SLACK_BOT_TOKEN={v}`",
            "admin_password = {v}",
            "$ mysql -u root -p{v}",
            "STRIPE_SECRET_KEY={v}",
            "README: `export GITLAB_TOKEN={v}`",
            "  github_token: {v}",
            "  webhook: {v}",
            "AMQP_URL={v}",
            "POSTMAN_API_KEY={v}",
            "client_token = {v}",
            "PM-4417: the new export masks the password field as `{v}`.",
            "[client]\npassword={v}",
            "tls.key: |\n  {v}",
            "JWT_SECRET={v}",
            "$ kubeadm join 10.20.0.5:6443 --token {v} --discovery-token-unsafe-skip-ca-verification",
        ],
    ),
    (
        "templated-value",
        one_of(
            "${{ secrets.NPM_TOKEN }}",
            '{{ vault "secret/data/payroll" "password" }}',
            "%(ENV_SMPP_PASSWORD)s",
            "#{ENV['LEDGER_DB_PASSWORD']}",
            "<%= ENV['STRIPE_SECRET_KEY'] %>",
            "${env:CLICKHOUSE_PASSWORD}",
            "$__file{/run/secrets/grafana_admin}",
            "op://ops/kafka-ui/password",
            "vault:secret/data/ledger#password",
            "ref+vault://secret/cdn#/purge_token",
            "{{ .Values.smpp.password }}",
            "${var.db_password}",
            "$(cat /run/secrets/redis)",
            "{{ lookup('community.hashi_vault.hashi_vault', 'secret=secret/data/sms:token') }}",
            '${file("~/.akamai/token")}',
            "((concourse-slack-token))",
            "${PAYROLL_VENDOR_API_KEY:?unset}",
            "${SECRET_KEY}",
            "azurekeyvault://tw-kv/secrets/cosmos-key",
            '{{ with secret "secret/data/etl" }}{{ .Data.data.password }}{{ end }}',
        ),
        [
            "      - run: npm publish --access restricted\n        env:\n          NODE_AUTH_TOKEN: {v}",
            "  password: '{v}'",
            '[program:sms-gateway]\nenvironment=SMPP_PASSWORD="{v}"',
            "  password: {v}",
            'Stripe.api_key = "{v}"',
            'PS> $env:PGPASSWORD = "{v}"',
            "[security]\nadmin_password = {v}",
            "OP: `kafka_ui_password = {v}`",
            "  DB_PASSWORD: {v}",
            "  purge_token: {v}",
            "    smppPassword: {v}",
            "  password = {v}",
            '$ redis-cli -a "{v}" PING',
            'sms_token: "{v}"',
            "  token = {v}",
            "      slack_token: {v}",
            "PAYROLL_KEY={v}",
            'SECRET_KEY = "{v}"',
            "  cosmosKey: {v}",
            'template {\n  contents = "{v}"\n}',
        ],
    ),
    (
        "masked-value",
        one_of(
            "LTAI5t**************Qx",
            "ghp_****************************3kQz",
            "xoxb-****-****-****",
            "sk_live_••••••••9LkT",
            "AKIA…7KQ2",
            "glpat-…(redacted)",
            "[REDACTED]",
            "ENC[AES256_GCM,data:Tr7o9WQ=,iv:9kQ2f0Zt2E0=,tag:f2m1pQ==,type:str]",
            "v1:Qk9nZVZhbHVlOnRhcm53aWNr",
            "PMAK-…c41",
            "***",
            "<redacted>",
            "hvs.****",
            "••••••••",
        ),
        [
            "PM-4410: the scanner printed the key as {v}.",
            "| {t} | {who} | token {v} rotated |",
            "PM-4438: the bot token showed up as {v} in the audit log.",
            "Stripe dashboard: restricted key {v}",
            "PM-4417: the leaked key, {v}, was the payroll-export user's.",
            "PM-4423: the chart repo token ({v}) was revoked.",
            '  password: "{v}"',
            "  smpp_password: {v}",
            "config:\n  app:password:\n    secure: {v}",
            "> {who}: Postman key {v} is gone now",
            "requirepass {v}",
            "Authorization: Bearer {v}",
            "VAULT_TOKEN={v}",
            "Kafka UI login form, autofilled: Password: {v}",
        ],
    ),
    (
        "keyword-no-value",
        one_of(
            "requirepass",
            "PGPASSWORD",
            "--password-stdin",
            "client_secret",
            "X-Postmark-Server-Token",
            "SNYK_TOKEN",
            "sasl.jaas.config",
            "AccountKey",
            "PrivateKey",
            "Ocp-Apim-Subscription-Key",
            "CONSUL_HTTP_TOKEN",
            "secret_id",
            "HTTP_Passwd",
            "_auth",
            "BWS_ACCESS_TOKEN",
            "Proxy-Authorization",
            "routing_key",
            "masterauth",
            "-passin",
            "ClearTextPassword",
        ),
        [
            "RB-19: `{v}` must be set in the same change as the Redis restart.",
            "PM-4423: the exporter failed because {v} was empty after the chart upgrade.",
            "ADR-112: `docker login` always uses {v}.",
            "PM-4410: the purger's OAuth `{v}` is now read from Vault.",
            "PM-4438: the header `{v}` was missing on the failover path.",
            "ADR-112: CI reads {v} from the OIDC exchange, never from a variable.",
            "PM-4423: the broken `{v}` line had a missing semicolon.",
            "PM-4431: connection strings are no longer allowed to carry `{v}`.",
            "RB-23: WireGuard configs keep the `{v}` line only on the device.",
            "PM-4438: `{v}` is masked in APIM traces.",
            "ADR-112: {v} is injected by the agent sidecar.",
            "RB-19: AppRole `{v}` values are wrapped, single use.",
            "PM-4431: Fluent Bit's `{v}` key now reads from a file.",
            "PM-4423: `.npmrc` must not contain `{v}`.",
            "ADR-112: {v} is the only bootstrap secret.",
            "PM-4410: the CDN strips `{v}` before logging.",
            "PM-4438: the `{v}` for the secondary service was never created.",
            "RB-19: replicas need `{v}` updated too.",
            "RB-19: `openssl pkcs12` takes `{v} env:P12_PASS`, never a literal.",
            "ADR-112: NuGet's `{v}` setting is banned in repos.",
        ],
    ),
    (
        "private-or-reserved-ip",
        rsv_ip,
        [
            "PM-4423: broker b-2 is {v}.",
            "| {t} | {who} | drained {v} |",
            "  bind_address: {v}",
            "RB-19: the replica is at {v}.",
            "upstream cdn_origin { server {v}:8443; }",
            "PM-4431: ch-3 ({v}) hit 100% disk first.",
            "ADR-112: Vault listens on {v}.",
            "PM-4410: docs example purge source {v}.",
            "time={ts} level=info svc=lag-exporter broker={v} lag=41200",
            "Accepted publickey for esme from {v} port 50122 ssh2",
            "PM-4438: SMPP bind from {v}.",
            "  - {v}/32",
            "nameserver {v}",
            "> {who}: ping {v}",
            "PM-4417: the SFTP jump host is {v}.",
            "Endpoint = {v}:51820",
            "RB-23: the laptop's VPN address was {v}.",
            '{"ts":"{ts}","svc":"edge-cache","peer":"{v}"}',
        ],
    ),
    (
        "example-email",
        ex_email,
        [
            "PM-4417: the vendor's contact is {v}.",
            "RB-19: notify {v} before rotating.",
            "From: {v}",
            "  notify: {v}",
            "> {who}: cc {v}",
            "ADR-112: owner {v}.",
            "git config user.email {v}",
            "PM-4438: test recipient {v}.",
            "INSERT INTO employees (email) VALUES ('{v}');",
            "| {t} | {who} | mailed {v} |",
            '  "email": "{v}",',
            "Author: Aino <{v}>",
        ],
    ),
    (
        "vendor-example-key",
        one_of(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "pk_test_TYooMQauvdEDq54NiTphI7jx",
            "xoxb-not-a-real-token-this-will-not-work",
            "AKIAI44QH8DHBEXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            "my-secret-pw",
            "mysecretpassword",
            "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
        ),
        [
            "RB-19: the docs' sample key {v} is what the linter looks for.",
            "[docs]\naws_secret_access_key = {v}",
            "ADR-112: jwt.io's sample token ({v}) is used in the training slide.",
            'AZURITE_ACCOUNTS="devstoreaccount1:{v}"',
            "PM-4417 repro used Stripe's documentation key {v} against test mode.",
            "<script>Stripe('{v}')</script>  <!-- docs sample -->",
            "Slack's docs: `SLACK_BOT_TOKEN={v}`",
            "ADR-112: the IAM docs example id {v} is allowed in tests.",
            "[docs-example]\nsecret = {v}",
            "From the Docker Hub mysql page: `docker run --name some-mysql -e MYSQL_ROOT_PASSWORD={v} -d mysql:8.4`",
            "From the Docker Hub postgres page: `docker run --name some-postgres -e POSTGRES_PASSWORD={v} -d postgres`",
            "age README example recipient: {v}",
        ],
    ),
    (
        "version-or-date",
        one_of(
            "v3.7.1",
            "23.8.16.40",
            "1.15.4",
            "2026-11-12T04:41:09Z",
            "3.9.0-rc.2",
            "Kafka 3.7",
            "2.4.1+build.20261112",
            "v1.31.3-eks-0a21954",
            "8.4.3",
            "12.2.0",
            "Wed, 12 Nov 2026 04:41:09 GMT",
            "2026.11.0",
            "0.4.47",
            "v0.112.0",
            "1731386469",
            "6.1.0-27-amd64",
        ),
        [
            "PM-4410: cdn-purger {v} added purge-on-deploy.",
            "PM-4431: ClickHouse {v} on all nodes.",
            "ADR-112: Vault {v} is the target.",
            "PM-4423: first lag alert at {v}.",
            "  image.tag: {v}",
            "PM-4423: the brokers run {v}.",
            "version: {v}",
            "Server Version: {v}",
            "PM-4438: smpp-client {v}.",
            "Grafana {v}",
            "Date: {v}",
            "calver {v}",
            "github.com/segmentio/kafka-go {v}",
            "otel-collector {v}",
            '"created": {v}',
            "Linux ch-3 {v} #1 SMP",
        ],
    ),
    (
        "public-key-or-cert",
        ssh_pub,
        [
            "RB-23 step 2: add the new laptop key: `{v}`",
            "  ssh_authorized_keys:\n    - {v}",
            "PM-4417: the vendor's SFTP allowlist now has {v}",
        ],
    ),
    (
        "public-key-or-cert",
        cert_pem,
        ["PM-4410: the origin's new certificate:\n{v}", "  ca.crt: |\n    pasted below\n{v}"],
    ),
    ("public-key-or-cert", pub_pem, ["ADR-112: the audit log signing public key:\n{v}"]),
    (
        "public-key-or-cert",
        wg_key,
        [
            "[Peer]\nPublicKey = {v}\nAllowedIPs = 10.66.0.7/32",
            "RB-23: the new laptop's WireGuard public key is {v}.",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["creation_rules:\n  - path_regex: payroll/.*\n    age: {v}"],
    ),
    (
        "public-key-or-cert",
        fingerprint,
        [
            "fingerprint={v}\nkey_file=~/.oci/tw_api_key.pem",
            "PM-4431: the OCI API key fingerprint {v} belongs to the ETL user.",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: " ".join(rs(HEX.upper(), 4) for _ in range(10)),
        ["gpg: key fingerprint {v}", "PM-4417: the vendor's PGP fingerprint is {v}."],
    ),
    ("public-key-or-cert", lambda: "RWQ" + rs(B64, 53), ["minisign -Vm sms-gateway.tar.gz -P {v}"]),
    (
        "ids-and-numbers",
        order_no,
        [
            "PM-4417: payroll batch {v} carried the leak.",
            "| {t} | finance | reissued {v} |",
            '{"ts":"{ts}","svc":"ledger-sync","doc":"{v}"}',
            "PM-4438: invoice {v} from the SMS vendor.",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: (
            rng.choice(["pi_3", "ch_3", "cus_", "evt_1", "acct_1", "po_1"])
            + rs(ALNUM, 24 if rng.random() < 0.5 else 14)
        ),
        [
            "PM-4417: payout object {v} went to the wrong contractor.",
            "  stripe_customer: {v}",
            "Stripe event {v} was delivered twice.",
            "> {who}: refund {v}",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: rs(HEX, 24),
        ["PM-4438: Mongo ObjectId {v} is the duplicate OTP.", 'db.otp.find({_id: ObjectId("{v}")})'],
    ),
    (
        "ids-and-numbers",
        long_id,
        ["PM-4438: Discord message id {v} is the outage notice.", "  github_run_id: {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(1_700_000_000, 1_799_999_999)}.{rs(DIG, 6)}",
        ["PM-4423: Slack thread ts {v}.", "thread_ts={v}"],
    ),
    (
        "ids-and-numbers",
        bad_bsn,
        [
            "PM-4417: `personeelsnummer` {v} is an internal id, not a BSN (it fails the 11-test).",
            "emp_no;dept\n{v};finance",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(1000, 9999)}",
        ["PM-4431: Jenkins build #{v} produced the bad image.", "Buildkite build {v} passed."],
    ),
    ("ids-and-numbers", lambda: f"C{rs(UP + DIG, 10)}", ["PM-4438: incident channel {v}."]),
    ("ids-and-numbers", lambda: f"TW-LT-{rs(DIG, 4)}", ["RB-23: asset tag {v}."]),
    ("ids-and-numbers", lambda: rs(DIG, 8), ["PM-4417: KvK number {v} is the company's, public record."]),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            "PM-4417: expense reference {v} fails the card checksum.",
            "  voucher: {v}",
            "> {who}: {v} is a parcel id",
            "SELECT * FROM parcels WHERE code = '{v}';",
            "PM-4438: SMS batch {v}.",
            "| {t} | {who} | {v} is an IMEI-ish id, not a card |",
            "ADR-112: ids like {v} need no masking.",
            "PM-4431: row key {v}.",
        ],
    ),
    (
        "documented-test-card",
        one_of(
            "4242 4242 4242 4242",
            "5555555555554444",
            "378282246310005",
            "4000 0566 5566 5556",
            "6011000990139424",
            "3566002020360505",
            "4000000760000002",
            "5200828282828210",
        ),
        [
            "PM-4417 repro: Stripe test card {v}.",
            '  test_pan: "{v}"',
            "$ stripe trigger payment_intent.succeeded --override payment_method:card[number]={v}",
            "> {who}: use {v} on staging",
            "ADR-112: fixtures use documented test cards like {v}.",
            "| case | card |\n|---|---|\n| ok | {v} |",
            "PM-4438: synthetic checkout uses {v}.",
            '{"env":"staging","card":"{v}"}',
        ],
    ),
    (
        "base64-nonsecret",
        b64_plain,
        [
            "PM-4410: the purge body was `{v}`.",
            "  note: {v}",
            '{"ts":"{ts}","svc":"payroll-export","meta":"{v}"}',
            "PM-4423: the consumer header carried {v}.",
            "RB-23: MDM status blob {v}.",
            "ADR-112: migration marker {v}.",
            "PM-4431: alert annotation {v}.",
            "PM-4438: SMS template id payload {v}.",
            "data:\n  notice: {v}",
            "> {who}: that base64 is just {v}",
        ],
    ),
]


RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "cloud-resource-id",
        one_of(
            "32555940559.apps.googleusercontent.com",
            "tw-ledger.documents.azure.com",
            "b-2.ledger.abc123.c4.kafka.eu-central-1.amazonaws.com",
            "akab-purge.luna.akamaiapis.net",
        ),
        [
            "PM-4431: the OAuth client is {v} (gcloud's public id).",
            "ADR-112: Cosmos endpoint {v}.",
            "PM-4423: broker bootstrap {v}.",
            "PM-4410: Akamai host {v}.",
        ],
    ),
    (
        "keyword-no-value",
        one_of("TELEGRAM_BOT_TOKEN", "AKAMAI client_secret", "OP_SERVICE_ACCOUNT_TOKEN", "DOPPLER_TOKEN"),
        [
            "PM-4438: {v} was missing in the failover deployment.",
            "PM-4410: the `.edgerc` lost its {v} line.",
            "ADR-112: {v} is the one secret the runner needs.",
            "PM-4431: {v} was removed from the image.",
        ],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt)-[A-Za-z0-9_-]{20}|xox[bpa]-\d|xoxe\.xoxp-|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|GOCSPX-"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dapi[0-9a-f]{32}|dop_v1_|hvs\.[A-Za-z0-9]{6}|\.atlasv1\.|ATATT3|ATBB[A-Za-z0-9]{20}"
    r"|lin_api_|NRAK-|glsa_|sntrys_|pypi-AgE|AGE-SECRET-KEY|sbp_|nfp_|pul-[0-9a-f]|:APA91b|sk\.eyJ|dp\.st\.|key-[0-9a-f]{32}"
    r"|discord\.com/api/webhooks/\d|webhookb2/|AccountKey=[A-Za-z0-9+/]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}|Q~[A-Za-z0-9_.~-]{30}|sig=[A-Za-z0-9%]{20}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|SSWS 00|(?:AKIA|ASIA)[A-Z2-7]{16}"
    r"|hcaik_|glc_[A-Za-z0-9]{20}|tskey-auth-|shpat_|(?<![A-Za-z0-9])EAAA[A-Za-z0-9_-]{40}|sq0csp-|lsk_[A-Za-z0-9]{20}|access_token\$production|GenieKey [A-Za-z0-9]|ApiKey [A-Za-z0-9]{20}|PrivateKey = [A-Za-z0-9+/]{20}"
    r"|PMAK-|akab-[a-z0-9]{16}|xkeysib-|CCIPAT_|bkua_|squ_|rubygems_[0-9a-f]{48}|FlyV1 |rnd_[A-Za-z0-9]{20}|CFPAT-|pat-eu1-|sdk-[0-9a-f]{8}-|LTAI5t|AKID[A-Za-z0-9]{20}"
    r"|SCW[A-Z0-9]{17}|K005|DO00[A-Z0-9]{16}|ABSK|NRAL|figd_|ntn_|ops_eyJ|dp\.pt\.|ya29\.|1//0|bot\d+:AA|gl(?:ft|agent|cbt)-|hooks\.slack\.com/workflows/T"
    r"|(?<!:)(?i:password|passwd|secret|token)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_.-]{12,}"
)
OK_MAIL = re.compile(
    r"@(example\.(com|org|net)|[\w.-]+\.example|[\w.-]+\.test|[\w.-]+\.iam\.gserviceaccount\.com|[\w.-]+\.tarnwick\.internal)$"
)
PHONEISH = re.compile(
    r"555[-. ]?01\d\d|7700 ?900|7946 ?0|491 ?57\d ?\d{3}|\(0[2378]\) 5550 \d{4}|6 39 98 \d\d|1 99 00 \d\d"
)


def national_id_ok(row: dict) -> bool:
    """Each national id passes its own country's check (BSN 11-test, DNI/NIE letter, CPF, Luhn, Verhoeff, NIR key)."""
    v = row["value"]
    d = re.sub(r"\D", "", v)
    if re.fullmatch(r"\d{3}-\d{2}-\d{4}", v):
        return True
    if re.fullmatch(r"\d{9}", v):
        return sum(int(x) * w for x, w in zip(d[:8], range(9, 1, -1), strict=True)) % 11 == int(d[8])
    if re.fullmatch(r"[XYZ]?\d{7,8}[A-Z]", v):
        n = int(str("XYZ".index(v[0])) + v[1:-1]) if v[0] in "XYZ" else int(v[:-1])
        return v[-1] == "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]
    if re.fullmatch(r"\d{3}\.\d{3}\.\d{3}-\d{2}", v):
        ds = [int(x) for x in d]
        return all(
            (sum(x * w for x, w in zip(ds[: k - 1], range(k, 1, -1), strict=True)) * 10 % 11) % 10
            == ds[k - 1]
            for k in (10, 11)
        )
    if re.fullmatch(r"\d{3}[ -]\d{3}[ -]\d{3}", v) or re.fullmatch(r"\d{6}-\d{4}", v):
        return luhn_ok(d)
    if re.fullmatch(r"\d{4} \d{4} \d{4}", v):
        return verhoeff_ok(d)
    if re.fullmatch(r"[12] \d\d \d\d \d\d \d{3} \d{3} \d\d", v):
        return 97 - int(d[:13]) % 97 == int(d[13:])
    return False


CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=FILL,
    test_cards=TEST_CARDS,
    ok_mail=OK_MAIL,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    # a four-part ClickHouse version is shaped like a public IPv4 on purpose
    cut_value_types={"version-or-date"},
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t19", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
