# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test13.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test13.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is generated at random in its vendor's format from
``random.Random(20261222)`` and is fake; the file is byte-identical on every run. Rows
``t13p…``/``t13n…`` in the common share come first (credentials crossed with the places an ops
document holds them), the less common, hand-written forms after; ``COMMON`` records where the split
falls.
"""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from random import Random

from planted_kit import (
    ALNUM,
    B64,
    B64URL,
    CARDISH,
    DIG,
    EMAILISH,
    HEX,
    IPV4,
    LOW,
    UP,
    Draw,
    N,
    P,
    S,
    assemble,
    b64,
    b64url,
    check_rows,
    check_unseen,
    encode_jwt,
    is_public_v4,
    luhn_ok,
    write_rows,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test13.jsonl"
FOLD = "test13"
ID_PREFIX = "t13"
rng = Random(20261222)
draw = Draw(rng)
rs, uuid4, akid, aws_secret, gcp_api = draw.rs, draw.uuid4, draw.akid, draw.aws_secret, draw.gcp_api

TYPES = {
    S: {
        "cloud-key",
        "vendor-token",
        "jwt",
        "bearer-or-api-key",
        "password-assignment",
        "password-in-url",
        "basic-auth",
        "private-key",
        "gcp-service-account-key",
    },
    P: {"email", "phone", "credit-card", "ipv4", "ipv6", "national-id"},
    N: {
        "git-sha",
        "uuid",
        "hash-or-digest",
        "trace-id",
        "cloud-resource-id",
        "ids-and-numbers",
        "placeholder",
        "credential-reference",
        "keyword-no-value",
        "private-or-reserved-ip",
        "example-email",
        "version-or-date",
        "public-key-or-cert",
        "token-metadata",
        "config-non-secret",
        "luhn-fail-number",
        "base64-nonsecret",
        "slack-id",
        "encrypted-value",
    },
}

LOWALNUM = LOW + DIG


# ---------------------------------------------------------------------------- value generators
def aws_session() -> str:
    return "IQoJb3JpZ2luX2VjE" + rs(B64, 340)


def gocspx() -> str:
    return "GOCSPX-" + rs(B64URL, 28)


def ya29() -> str:
    return "ya29.a0A" + rs(B64URL, 150)


def azure_secret() -> str:
    return rs(ALNUM, 3) + "8Q~" + rs(ALNUM + "_.-", 34)


def azure_storage() -> str:
    return rs(B64, 86) + "=="


def ghp() -> str:
    return rng.choice(["ghp_", "ghp_", "gho_", "ghs_"]) + rs(ALNUM, 36)


def github_pat() -> str:
    return "github_pat_11" + rs(UP + DIG, 20) + "_" + rs(ALNUM, 59)


glpat = draw.pre("glpat-", ALNUM + "-_", 20)


def xoxb() -> str:
    return f"{rng.choice(['xoxb', 'xoxb', 'xoxp'])}-{rs(DIG, 12)}-{rs(DIG, 13)}-{rs(ALNUM, 24)}"


slack_hook = partial(draw.slack_hook_with_team, 8)


def stripe_sk() -> str:
    return rng.choice(["sk_live_", "sk_live_", "rk_live_"]) + rs(ALNUM, rng.choice([24, 99]))


whsec = draw.stripe_whsec


def hex32() -> str:
    return rs(HEX, 32)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def twilio_ac() -> str:
    return "AC" + rs(HEX, 32)


sendgrid = draw.sendgrid_key


def npm() -> str:
    return "npm_" + rs(ALNUM, 36)


def pypi() -> str:
    return "pypi-AgEIcHlwaS5vcmcCJ" + rs(B64URL, 150)


def dckr() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def openai() -> str:
    return "sk-proj-" + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)


def anthropic() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def sentry() -> str:
    return "sntryu_" + rs(HEX, 64)


heroku = draw.heroku_key


def mailgun() -> str:
    return "key-" + rs(HEX, 32)


def vault_tok() -> str:
    return "hvs." + rs(B64URL, 90)


def nrak() -> str:
    return "NRAK-" + rs(UP + DIG, 27)


def cf_token() -> str:
    return rs(B64URL, 40)


def opaque40() -> str:
    return rs(ALNUM, 40)


def dd_app() -> str:
    return rs(HEX, 40)


def gitlab_runner() -> str:
    return "glrt-" + rs(ALNUM + "-_", 20)


def shpat() -> str:
    return "shpat_" + rs(HEX, 32)


def linear() -> str:
    return "lin_api_" + rs(ALNUM, 40)


def tfc() -> str:
    return rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67)


def doppler() -> str:
    return "dp.st.prd." + rs(ALNUM, 43)


def pulumi() -> str:
    return "pul-" + rs(HEX, 40)


def figma() -> str:
    return "figd_" + rs(B64URL, 40)


def jwt() -> str:
    header = {"alg": rng.choice(["HS256", "RS256"]), "typ": "JWT"}
    payload = {
        "sub": f"svc-{rng.choice(['billing', 'orders', 'reports', 'ledger'])}",
        "iat": rng.randint(1_700_000_000, 1_760_000_000),
        "scope": "admin",
    }
    return encode_jwt(header, payload, rs(B64URL, 43))


def key_body(lines: int, first: str = "MIIE") -> list[str]:
    body = [first + rs(B64, 60)] + [rs(B64, 64) for _ in range(lines - 2)]
    return [*body, rs(B64, rng.randint(20, 60)) + "=="]


def pem(kind: str = "RSA", indent: str = "") -> str:
    label = {
        "RSA": "RSA PRIVATE KEY",
        "EC": "EC PRIVATE KEY",
        "PK": "PRIVATE KEY",
        "SSH": "OPENSSH PRIVATE KEY",
    }[kind]
    if kind == "SSH":
        body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
        body += [rs(B64, 70) for _ in range(4)] + [rs(B64, 24) + "="]
    elif kind == "EC":
        body = ["MHcCAQEEI" + rs(B64, 55), rs(B64, 64), rs(B64, 40) + "=="]
    else:
        body = key_body(rng.randint(8, 12), "MIIEowIBAAKCAQEA" if kind == "RSA" else "MIIEvQIBADANBgkq")
    lines = [f"-----BEGIN {label}-----", *body, f"-----END {label}-----"]
    return ("\n" + indent).join(lines)


def gcp_sa_key() -> str:
    body = key_body(12, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")
    return "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(body) + "\\n-----END PRIVATE KEY-----\\n"


WORDS = [
    "amber",
    "basalt",
    "cobalt",
    "delta",
    "ember",
    "fjord",
    "granite",
    "harbor",
    "indigo",
    "juniper",
    "kestrel",
    "lantern",
    "meadow",
    "nectar",
    "onyx",
    "prairie",
    "quartz",
    "raven",
    "saffron",
    "thistle",
    "umber",
    "velvet",
    "willow",
    "yarrow",
    "zephyr",
    "copper",
    "tundra",
]


def password() -> str:
    shape = rng.randrange(6)
    if shape == 0:
        return rs(ALNUM, rng.randint(14, 20))
    if shape == 1:
        return rs(ALNUM + "!#%^*", rng.randint(14, 22)).replace("#", "%") + rng.choice(DIG)
    if shape == 2:
        return "-".join(rng.sample(WORDS, 3)) + "-" + rs(DIG, 2)
    if shape == 3:
        return rng.choice(WORDS).capitalize() + str(rng.choice([2023, 2024, 2025, 2026])) + rng.choice("!*$")
    if shape == 4:
        return rs(HEX, 24)
    return rs(LOW, 6) + "-" + rs(LOWALNUM, 6) + "-" + rs(UP + DIG, 6)


def url_password() -> str:
    shape = rng.randrange(3)
    if shape == 0:
        return rs(ALNUM, rng.randint(14, 22))
    if shape == 1:
        return "-".join(rng.sample(WORDS, 2)) + rs(DIG, 3)
    return rs(ALNUM, 10) + rng.choice(["_", "-", "~"]) + rs(ALNUM, 8)


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + rs(DIG, length - len(prefix) - 1)
    for c in DIG:
        if luhn_ok(body + c):
            return body + c
    raise AssertionError


def card(style: str = "space") -> str:
    brand = rng.choice(["visa", "visa", "mc", "mc2", "amex", "disc"])
    if brand == "visa":
        num = luhn_complete("4", 16)
    elif brand == "mc":
        num = luhn_complete(str(rng.randint(51, 55)), 16)
    elif brand == "mc2":
        num = luhn_complete(str(rng.randint(2221, 2720)), 16)
    elif brand == "disc":
        num = luhn_complete("6011", 16)
    else:
        num = luhn_complete(rng.choice(["34", "37"]), 15)
    if style == "plain":
        return num
    sep = " " if style == "space" else "-"
    if len(num) == 15:
        return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i : i + 4] for i in range(0, 16, 4))


def amex() -> str:
    num = luhn_complete(rng.choice(["34", "37"]), 15)
    return f"{num[:4]} {num[4:10]} {num[10:]}"


def luhn_fail16() -> str:
    while True:
        num = rng.choice("3456") + rs(DIG, 15)
        if not luhn_ok(num):
            return num


def public_v4() -> str:
    while True:
        o = [rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)]
        m = IPV4.fullmatch(".".join(map(str, o)))
        if m and is_public_v4(m) and not (o[0] == 198 and o[1] in (18, 19)):
            return ".".join(map(str, o))


def public_v6() -> str:
    head = rng.choice(
        ["2a01", "2a02", "2a03", "2a05", "2600", "2601", "2603", "2604", "2605", "2406", "2803", "2c0f"]
    )
    groups = [head, rs(HEX, 4), rs(HEX, 3), rs(HEX, 4)]
    if rng.random() < 0.5:
        return ":".join(groups) + "::" + rs(HEX, 3)
    return ":".join(groups + [rs(HEX, 4) for _ in range(4)])


us_phone = partial(
    draw.us_phone_in,
    areas=["415", "212", "312", "646", "206", "617", "303", "512", "720"],
    forms=(
        "({area}) 555-{tail}",
        "{area}-555-{tail}",
        "+1 {area} 555 {tail}",
        "+1-{area}-555-{tail}",
        "{area}.555.{tail}",
        "+1{area}555{tail}",
    ),
)


uk_phone = partial(
    draw.uk_phone_in,
    forms=(
        "07700 900{mob}",
        "+44 7700 900{mob}",
        "020 7946 0{land}",
        "+44 20 7946 0{land}",
        "07700900{mob}",
        "+447700900{mob}",
    ),
)


def ssn() -> str:
    while True:
        a = rng.randint(1, 899)
        if a != 666:
            return f"{a:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def nino(spaced: bool) -> str:
    first = "ABCEGHJKLMNOPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        pre = rng.choice(first) + rng.choice(second)
        if pre not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
            break
    d = rs(DIG, 6)
    suf = rng.choice("ABCD")
    return f"{pre} {d[:2]} {d[2:4]} {d[4:]} {suf}" if spaced else f"{pre}{d}{suf}"


NAMES = [
    "priya",
    "tomas",
    "aisha",
    "kenji",
    "lena",
    "marco",
    "olu",
    "sofia",
    "dmitri",
    "grace",
    "hamid",
    "ines",
    "jun",
    "katya",
    "luis",
    "mei",
    "noah",
    "rafael",
    "sven",
    "yara",
]
SURNAMES = [
    "okafor",
    "lindqvist",
    "haddad",
    "moreau",
    "tanaka",
    "novak",
    "fernandes",
    "kowalski",
    "brennan",
    "castillo",
    "ivanova",
    "mensah",
    "schultz",
    "patel",
    "oduya",
    "rossi",
]
MAIL_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "proton.me",
    "yahoo.co.uk",
    "icloud.com",
    "hotmail.de",
    "fastmail.fm",
    "northwind-freight.com",
    "brightpath.io",
    "kestrelbank.co.uk",
    "gmx.net",
]


def email() -> str:
    f, s = rng.choice(NAMES), rng.choice(SURNAMES)
    local = rng.choice([f"{f}.{s}", f"{f}{s[0]}", f"{f[0]}{s}", f"{f}.{s}{rng.randint(1, 99)}", f"{f}_{s}"])
    return f"{local}@{rng.choice(MAIL_DOMAINS)}"


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "checkout-api",
    "ledger-worker",
    "search-indexer",
    "billing-cron",
    "notify-gw",
    "auth-proxy",
    "report-export",
    "orders-svc",
    "inventory-sync",
    "media-resizer",
]
NSS = ["payments", "platform", "orders", "data", "edge"]


def t() -> str:
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"


def ts() -> str:
    return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{t()}:{rng.randint(0, 59):02d}Z"


def svc() -> str:
    return rng.choice(SVCS)


def who() -> str:
    return rng.choice(NAMES)


def ver() -> str:
    return f"{rng.randint(1, 4)}.{rng.randint(0, 19)}.{rng.randint(0, 9)}"


def priv_ip() -> str:
    return rng.choice(
        [
            f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ]
    )


FILL = {
    "t": t,
    "t2": t,
    "ts": ts,
    "svc": svc,
    "who": who,
    "ver": ver,
    "ns": lambda: rng.choice(NSS),
    "pip": priv_ip,
    "sha7": lambda: rs(HEX, 7),
}
SLOT = re.compile(r"\{([A-Za-z_0-9]+)\}")


def fill(tpl: str, **kw: str) -> str:
    def sub(m: re.Match) -> str:
        k = m.group(1)
        if k in kw:
            return kw[k]
        if k in FILL:
            return FILL[k]()
        return m.group(0)

    return SLOT.sub(sub, tpl)


# ---------------------------------------------------------------------------- common secrets
# (NAME, description, type, generator): each goes into 4 of the wrappers below.
CREDS = [
    ("AWS_ACCESS_KEY_ID", "AWS access key id", "cloud-key", akid),
    ("AWS_SECRET_ACCESS_KEY", "AWS secret access key", "cloud-key", aws_secret),
    ("AWS_SESSION_TOKEN", "AWS session token", "cloud-key", aws_session),
    ("GOOGLE_MAPS_API_KEY", "Google Maps API key", "cloud-key", gcp_api),
    ("GOOGLE_CLIENT_SECRET", "Google OAuth client secret", "cloud-key", gocspx),
    ("AZURE_CLIENT_SECRET", "Azure client secret", "cloud-key", azure_secret),
    ("AZURE_STORAGE_KEY", "Azure storage account key", "cloud-key", azure_storage),
    ("GITHUB_TOKEN", "GitHub token", "vendor-token", ghp),
    ("GH_PAT", "GitHub fine-grained PAT", "vendor-token", github_pat),
    ("GITLAB_TOKEN", "GitLab personal access token", "vendor-token", glpat),
    ("SLACK_BOT_TOKEN", "Slack bot token", "vendor-token", xoxb),
    ("SLACK_WEBHOOK_URL", "Slack incoming webhook", "vendor-token", slack_hook),
    ("STRIPE_SECRET_KEY", "Stripe secret key", "vendor-token", stripe_sk),
    ("STRIPE_WEBHOOK_SECRET", "Stripe webhook signing secret", "vendor-token", whsec),
    ("TWILIO_AUTH_TOKEN", "Twilio auth token", "vendor-token", hex32),
    ("TWILIO_API_KEY", "Twilio API key SID", "vendor-token", twilio_sk),
    ("SENDGRID_API_KEY", "SendGrid API key", "vendor-token", sendgrid),
    ("NPM_TOKEN", "npm automation token", "vendor-token", npm),
    ("TWINE_PASSWORD", "PyPI upload token", "vendor-token", pypi),
    ("DOCKERHUB_TOKEN", "Docker Hub access token", "vendor-token", dckr),
    ("OPENAI_API_KEY", "OpenAI key", "vendor-token", openai),
    ("ANTHROPIC_API_KEY", "Anthropic key", "vendor-token", anthropic),
    ("DD_API_KEY", "Datadog API key", "vendor-token", hex32),
    ("SENTRY_AUTH_TOKEN", "Sentry auth token", "vendor-token", sentry),
    ("HEROKU_API_KEY", "Heroku API key", "vendor-token", heroku),
    ("MAILGUN_API_KEY", "Mailgun key", "vendor-token", mailgun),
    ("VAULT_TOKEN", "Vault token", "vendor-token", vault_tok),
    ("NEW_RELIC_API_KEY", "New Relic user key", "vendor-token", nrak),
    ("CLOUDFLARE_API_TOKEN", "Cloudflare API token", "vendor-token", cf_token),
    ("INTERNAL_API_TOKEN", "internal API token", "bearer-or-api-key", opaque40),
]

WRAPS = [
    "| {t} | Secret scanner flagged the {desc} `{v}` in a public commit; revoked at {t2} |",
    "> {t} {who}: here's the {desc} for staging, rotate it after the test: {v}",
    '        env:\n          - name: {NAME}\n            value: "{v}"',
    "docker run -d --name {svc} -e {NAME}={v} registry.internal/{svc}:{ver}",
    "kubectl -n {ns} set env deploy/{svc} {NAME}={v}",
    "{ts} DEBUG config loaded: {NAME}={v} (source=env)",
    "3. Export the key before running the backfill: `export {NAME}={v}`",
    "The {desc} ({v}) was pasted into the #incidents channel at {t} and stayed visible for 40 minutes.",
    '[{svc}]\n{lower} = "{v}"\ntimeout_s = 30',
    "    env:\n      {NAME}: {v}\n    run: ./scripts/deploy.sh",
    'services:\n  {svc}:\n    image: registry.internal/{svc}:{ver}\n    environment:\n      {NAME}: "{v}"',
    '{"service": "{svc}", "{lower}": "{v}", "retries": 3}',
    'variable "{lower}" {\n  type    = string\n  default = "{v}"\n}',
    "# .env (committed by mistake in {sha7})\nAPP_ENV=production\n{NAME}={v}\nLOG_LEVEL=info",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-creds\ntype: Opaque\nstringData:\n  {NAME}: {v}",
    '{NAME} = "{v}"  # TODO: move to Vault before launch',
    "helm upgrade --install {svc} ./charts/{svc} -n {ns} --set env.{NAME}={v}",
    "[default]\n{lower} = {v}\nregion = eu-west-1",
]

# password settings crossed with 3 of these wrappers
PW_NAMES = [
    "POSTGRES_PASSWORD",
    "MYSQL_ROOT_PASSWORD",
    "REDIS_PASSWORD",
    "RABBITMQ_DEFAULT_PASS",
    "SMTP_PASSWORD",
    "LDAP_BIND_PASSWORD",
    "KEYSTORE_PASSWORD",
    "GF_SECURITY_ADMIN_PASSWORD",
    "ELASTIC_PASSWORD",
    "MONGO_INITDB_ROOT_PASSWORD",
]
PW_WRAPS = [
    "# .env.production\n{NAME}={v}\nDB_HOST={pip}",
    "    environment:\n      - {NAME}={v}\n      - TZ=UTC",
    "        - name: {NAME}\n          value: '{v}'",
    '{lower}: "{v}"',
    "{dotted}={v}",
    "| {t} | {who} reset {NAME} to `{v}` and restarted {svc} |",
    "> {t} {who}: new {lower} is {v} - don't paste it anywhere else",
    "docker run --rm -e {NAME}='{v}' -p 5432:5432 postgres:16",
    '{"{lower}": "{v}", "host": "{pip}"}',
    "[auth]\n{lower} = {v}",
]

PW_CMDS = [
    "PGPASSWORD={v} psql -h {pip} -U app_rw -d orders -c 'select 1'",
    "mysql -h {pip} -u root -p'{v}' -e 'SHOW PROCESSLIST'",
    "docker login -u ci-bot -p {v} registry.internal",
    "redis-cli -h {pip} -p 6379 -a '{v}' INFO replication",
    "sshpass -p '{v}' ssh ops@{pip} 'sudo systemctl restart {svc}'",
    "ALTER USER app_rw WITH PASSWORD '{v}';",
    "CREATE USER 'reporting'@'%' IDENTIFIED BY '{v}';",
    "kubectl -n {ns} create secret generic db-creds --from-literal=username=app --from-literal=password='{v}'",
    "htpasswd -b -c /etc/nginx/.htpasswd admin '{v}'",
    "mongosh --host {pip} -u root -p '{v}' --authenticationDatabase admin",
    "ldapsearch -x -H ldap://ldap.corp.internal -D 'cn=svc-sync,ou=svc,dc=corp' -w '{v}' '(uid=jdoe)'",
    "mysqladmin -h {pip} -u root --password={v} status",
    "az vm create -g rg-ops -n jump01 --image Ubuntu2204 --admin-username azops --admin-password '{v}'",
    'psql "host={pip} dbname=orders user=app_rw password={v} sslmode=require"',
    "rabbitmqctl change_password events '{v}'",
    "vault write auth/userpass/users/ops password='{v}' policies=ops",
]

# a Secret's base64 data: the base64 of the credential is the secret
K8S_DATA = [
    (
        "password-assignment",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-db\ntype: Opaque\ndata:\n  DB_PASSWORD: {v}",
        "pw",
    ),
    ("cloud-key", "kind: Secret\nmetadata:\n  name: {svc}-aws\ndata:\n  aws_secret_access_key: {v}", "aws"),
    (
        "bearer-or-api-key",
        "$ kubectl -n {ns} get secret {svc}-env -o jsonpath='{.data.API_TOKEN}'\n{v}",
        "tok",
    ),
]

URLS = [
    "DATABASE_URL=postgres://app_rw:{v}@db-primary.{ns}.svc.cluster.local:5432/orders",
    'SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://ledger:{v}@{pip}:5432/ledger"',
    "mysql://reporting:{v}@mysql-ro.internal:3306/analytics?tls=true",
    "MONGO_URL=mongodb+srv://svc_orders:{v}@cluster0.abcde.mongodb.net/orders?retryWrites=true",
    "redis://default:{v}@redis-cache.{ns}.svc:6379/0",
    "AMQP_URL=amqp://events:{v}@rabbitmq.internal:5672/prod",
    "{ts} ERROR smtp: connect failed for smtp://alerts:{v}@smtp.mail.internal:587 (timeout)",
    "pip install --index-url https://deploy:{v}@nexus.acme.internal/repository/pypi/simple acme-common",
    "jdbc:sqlserver://sql01.corp.internal:1433;databaseName=Billing;user=billing_app;password={v};encrypt=true",
    "git clone https://ci-bot:{v}@git.acme.internal/platform/infra.git",
    "ELASTICSEARCH_URL=https://elastic:{v}@es-logs.internal:9200",
    "| {t} | {who} posted the connection string `postgresql://admin:{v}@{pip}/postgres` in #db-help |",
]

BASIC = [
    ("curl -sS -H 'Authorization: Basic {v}' https://grafana.internal/api/health", "b64"),
    ("{ts} WARN proxy: forwarding header Authorization: Basic {v} to upstream {svc}", "b64"),
    ("curl -u admin:{v} -X POST https://jenkins.internal/job/{svc}/build", "pw"),
    ("curl --user svc-backup:{v} -T dump.sql.gz https://nexus.acme.internal/repository/backups/", "pw"),
    ('r = requests.get(url, auth=("metrics", "{v}"), timeout=5)', "pw"),
]

JWTS = [
    'curl -H "Authorization: Bearer {v}" https://api.internal/v2/orders?limit=5',
    "{ts} INFO gateway: request rejected, token={v} reason=expired",
    "> {t} {who}: this is the service JWT the cron uses, it never expires: {v}",
    "Cookie: session={v}; theme=dark",
    "| {t} | Admin JWT `{v}` found in the {svc} debug log |",
]

KEYS = [
    ("The deploy key found in the repo (rotated at {t}):\n```\n{v}\n```", "RSA", ""),
    ("> {t} {who}: pasting the bastion key so you can get in\n{v}", "SSH", ""),
    ("tls:\n  key: |\n    {v}", "EC", "    "),
    ('resource "tls_locally_signed_cert" "x" {\n  ca_private_key_pem = <<EOT\n{v}\nEOT\n}', "PK", ""),
]

GCP_SA = [
    '{"type": "service_account", "project_id": "acme-analytics", "private_key_id": "'
    + "{kid}"
    + '", "private_key": "{v}", "client_email": "etl@acme-analytics.iam.gserviceaccount.com"}',
    '$ cat sa.json | jq .private_key\n"{v}"',
]

BEARER = [
    "curl -H 'X-API-Key: {v}' https://partner-api.internal/v1/shipments",
    "{ts} INFO GET /export?format=csv&api_key={v} 200 812ms",
    "api:\n  base_url: https://rates.internal\n  api_key: {v}",
    "> {t} {who}: the vendor gave us this token for the sandbox: {v}",
    'curl -H "Authorization: Bearer {v}" https://internal-admin.acme.internal/flags',
]


def common_secrets() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    k = 0
    for name, desc, typ, gen in CREDS:
        for _ in range(4):
            v = gen()
            rows.append((typ, fill(WRAPS[k % len(WRAPS)], v=v, NAME=name, desc=desc, lower=name.lower()), v))
            k += 1
    k = 0
    for name in PW_NAMES:
        for _ in range(3):
            v = password()
            dotted = name.lower().replace("_", ".")
            rows.append(
                (
                    "password-assignment",
                    fill(PW_WRAPS[k % len(PW_WRAPS)], v=v, NAME=name, lower=name.lower(), dotted=dotted),
                    v,
                )
            )
            k += 1
    for tpl in PW_CMDS:
        v = password().replace("'", "")
        rows.append(("password-assignment", fill(tpl, v=v), v))
    for typ, tpl, what in K8S_DATA:
        raw = {"pw": password, "aws": aws_secret, "tok": opaque40}[what]()
        v = b64(raw.encode())
        rows.append((typ, fill(tpl, v=v), v))
    for tpl in URLS:
        v = url_password()
        rows.append(("password-in-url", fill(tpl, v=v), v))
    for tpl, what in BASIC:
        pw = password()
        v = b64(f"{rng.choice(['admin', 'metrics', 'ops'])}:{pw}".encode()) if what == "b64" else pw
        rows.append(("basic-auth", fill(tpl, v=v), v))
    for tpl in JWTS:
        v = jwt()
        rows.append(("jwt", fill(tpl, v=v), v))
    for tpl, kind, indent in KEYS:
        v = pem(kind, indent)
        rows.append(("private-key", fill(tpl, v=v), v))
    for tpl in GCP_SA:
        v = gcp_sa_key()
        rows.append(("gcp-service-account-key", fill(tpl, v=v, kid=rs(HEX, 40)), v))
    for tpl in BEARER:
        v = opaque40() if rng.random() < 0.5 else rs(HEX, 48)
        rows.append(("bearer-or-api-key", fill(tpl, v=v), v))
    return rows


# ---------------------------------------------------------------------------- less common secrets
def b64_secret_value() -> str:
    return b64(password().encode())


RARE_SECRETS: list[tuple[str, str, object]] = [
    ("cloud-key", "aws configure set aws_secret_access_key {v} --profile prod-admin", aws_secret),
    ("cloud-key", "AccessKeyId,SecretAccessKey\nAKIA****************,{v}", aws_secret),
    ("cloud-key", "s3cmd --access_key=AKIA**** --secret_key={v} ls s3://acme-exports", aws_secret),
    ("cloud-key", "rclone config create s3prod s3 provider=AWS secret_access_key={v}", aws_secret),
    (
        "cloud-key",
        "{ts} DEBUG botocore.credentials Found credentials in environment variables. key_id={v}",
        akid,
    ),
    ("cloud-key", 'backend "s3" {\n  bucket     = "acme-tfstate"\n  access_key = "{v}"\n}', akid),
    (
        "cloud-key",
        '<script src="https://maps.googleapis.com/maps/api/js?key={v}&callback=initMap"></script>',
        gcp_api,
    ),
    ("cloud-key", "{ts} DEBUG google.auth: refreshed access token {v} expires_in=3599", ya29),
    (
        "cloud-key",
        "azcopy copy ./dump 'https://acmebackups.blob.core.windows.net/db?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2026-01-01&sig={v}'",
        lambda: rs(ALNUM, 43) + "%3D",
    ),
    (
        "cloud-key",
        "Endpoint=sb://acme-events.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={v}",
        lambda: rs(B64, 43) + "=",
    ),
    (
        "cloud-key",
        "DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey={v};EndpointSuffix=core.windows.net",
        azure_storage,
    ),
    ("cloud-key", 'az ad sp credential reset --id 3f2a... output:\n  "password": "{v}",', azure_secret),
    (
        "cloud-key",
        'const firebaseConfig = { apiKey: "{v}", authDomain: "acme-app.firebaseapp.com" };',
        gcp_api,
    ),
    (
        "cloud-key",
        "      with:\n        aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n        aws-secret-access-key: {v}",
        aws_secret,
    ),
    ("vendor-token", "git remote set-url origin https://x-access-token:{v}@github.com/acme/infra.git", ghp),
    ("vendor-token", '[url "https://{v}@github.com/"]\n\tinsteadOf = https://github.com/', ghp),
    ("vendor-token", "//npm.pkg.github.com/:_authToken={v}", ghp),
    ("vendor-token", "//registry.npmjs.org/:_authToken={v}", npm),
    ("vendor-token", "[pypi]\n  username = __token__\n  password = {v}", pypi),
    ("vendor-token", "poetry config pypi-token.pypi {v}", pypi),
    ("vendor-token", "echo {v} | docker login -u acmeci --password-stdin", dckr),
    (
        "vendor-token",
        "gitlab-runner register --url https://gitlab.acme.internal --registration-token {v}",
        gitlab_runner,
    ),
    ("vendor-token", "git clone https://oauth2:{v}@gitlab.acme.internal/data/etl.git", glpat),
    ("vendor-token", 'client = WebClient(token="{v}")', xoxb),
    ("vendor-token", "[Alerts channel]({v})", slack_hook),
    ("vendor-token", "global:\n  slack_api_url: '{v}'", slack_hook),
    ("vendor-token", "Stripe::setApiKey('{v}');", stripe_sk),
    ("vendor-token", '!function(){var e="{v}";window.__pay=e}();', stripe_sk),
    ("vendor-token", "twilio api:core:messages:create --from $TWILIO_FROM --auth-token {v}", hex32),
    ("vendor-token", "> {t} {who}: account sid for the SMS fallback is {v}", twilio_ac),
    ("vendor-token", "smtp:\n  host: smtp.sendgrid.net\n  user: apikey\n  pass: {v}", sendgrid),
    ("vendor-token", "curl -X POST 'https://api.datadoghq.eu/api/v1/validate' -H 'DD-API-KEY: {v}'", hex32),
    ("vendor-token", "DD_APP_KEY={v} dog metric post", dd_app),
    ("vendor-token", 'client = OpenAI(api_key="{v}")', openai),
    ("vendor-token", 'key = os.getenv("ANTHROPIC_API_KEY", "{v}")', anthropic),
    ("vendor-token", "heroku config:get DATABASE_URL --app acme-prod  # run with HEROKU_API_KEY={v}", heroku),
    ("vendor-token", "vault login token={v}", vault_tok),
    ("vendor-token", 'credentials "app.terraform.io" {\n  token = "{v}"\n}', tfc),
    ("vendor-token", "export DOPPLER_TOKEN={v}", doppler),
    ("vendor-token", "PULUMI_ACCESS_TOKEN: {v}", pulumi),
    (
        "vendor-token",
        "curl -H 'X-Shopify-Access-Token: {v}' https://acme-store.myshopify.com/admin/api/2024-01/orders.json",
        shpat,
    ),
    ("vendor-token", "LINEAR_API_KEY={v} node scripts/sync-issues.js", linear),
    ("vendor-token", "X-Figma-Token: {v}", figma),
    (
        "vendor-token",
        "https://raw.githubusercontent.com/acme/private-config/main/app.yaml?token={v}",
        lambda: "GHSAT0AAAAAA" + rs(UP + DIG, 40),
    ),
    (
        "vendor-token",
        "> {t} {who}: {v}\n> {t2} {who}: ^ that's the sendgrid one, sorry wrong channel",
        sendgrid,
    ),
    ("jwt", 'localStorage.setItem("access_token", "{v}")', jwt),
    ("jwt", "argocd app sync {svc} --auth-token {v}", jwt),
    ("jwt", "grpcurl -H 'authorization: Bearer {v}' orders.internal:443 orders.v1.Orders/List", jwt),
    ("bearer-or-api-key", "http GET https://rates.internal/v1/fx Authorization:'Token {v}'", opaque40),
    ("bearer-or-api-key", "GET /hooks/deploy?secret={v} HTTP/1.1", lambda: rs(HEX, 40)),
    ("bearer-or-api-key", '{ts} level=info msg="upstream call" apikey={v} status=200', opaque40),
    (
        "password-assignment",
        "aws ssm put-parameter --name /prod/db/password --type SecureString --value '{v}' --overwrite",
        password,
    ),
    ("password-assignment", "vault kv put secret/{svc}/db password='{v}'", password),
    (
        "password-assignment",
        "az keyvault secret set --vault-name acme-kv --name sql-admin --value '{v}'",
        password,
    ),
    (
        "password-assignment",
        "printf '%s' '{v}' | gcloud secrets versions add smtp-password --data-file=-",
        password,
    ),
    (
        "password-assignment",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysql-auth\ndata:\n  password: {v}",
        b64_secret_value,
    ),
    ("password-assignment", "db.example-cluster:5432:orders:app_rw:{v}", password),
    (
        "password-assignment",
        "<server>\n  <id>acme-releases</id>\n  <username>deployer</username>\n  <password>{v}</password>\n</server>",
        password,
    ),
    ("password-assignment", '<add key="ClearTextPassword" value="{v}" />', password),
    ("password-assignment", "$pw = ConvertTo-SecureString '{v}' -AsPlainText -Force", password),
    (
        "password-assignment",
        "keytool -importkeystore -srckeystore old.p12 -srcstorepass '{v}' -destkeystore new.jks",
        password,
    ),
    ("password-assignment", "export RESTIC_PASSWORD='{v}'", password),
    ("password-assignment", "BORG_PASSPHRASE={v} borg create ::nightly /srv", password),
    ("password-assignment", "> {t} {who}: user is svc_etl\n> {t2} {who}: and the pass is {v}", password),
    (
        "password-assignment",
        "  512  mysqldump -u root -p{v} --all-databases > all.sql",
        lambda: rs(ALNUM, 16),
    ),
    ("password-assignment", '<user username="manager" password="{v}" roles="manager-gui"/>', password),
    ("password-assignment", "[client]\nuser=backup\npassword={v}", password),
    ("password-assignment", '{ts} level=debug msg="connecting" user=app pass="{v}"', password),
    (
        "password-assignment",
        "We rotated it again; the password is now {v} until the vault migration lands.",
        password,
    ),
    (
        "password-assignment",
        "| service | user | password |\n|---|---|---|\n| reporting-db | rpt_ro | {v} |",
        password,
    ),
    (
        "password-assignment",
        "openssl pkcs12 -export -in cert.pem -inkey key.pem -out bundle.p12 -passout pass:{v}",
        password,
    ),
    ("password-assignment", "echo '{v}' | sudo -S systemctl restart {svc}", password),
    (
        "password-assignment",
        "Invoke-Sqlcmd -ServerInstance sql01 -Username sa -Password '{v}' -Query 'SELECT 1'",
        password,
    ),
    ("password-assignment", 'db.createUser({user: "reporter", pwd: "{v}", roles: ["read"]})', password),
    ("password-assignment", "requirepass {v}", password),
    ("password-in-url", "proxy: http://squid-user:{v}@proxy.corp.internal:3128", url_password),
    (
        "password-in-url",
        "rediss://default:{v}@cache.internal:6380/0",
        lambda: rs(ALNUM, 8) + "%40" + rs(ALNUM, 8),
    ),
    (
        "password-in-url",
        "GOPROXY=https://gouser:{v}@artifactory.acme.internal/api/go/go-remote",
        url_password,
    ),
    ("password-in-url", "ftp://uploader:{v}@ftp.partner.internal/incoming/", url_password),
    (
        "password-in-url",
        "Server=tcp:sql.acme.internal,1433;Database=crm;User ID=crm_app;Password={v};",
        url_password,
    ),
    ("password-in-url", "nats://orders:{v}@nats.internal:4222", url_password),
    ("basic-auth", "echo {v} | base64 -d", lambda: b64(f"admin:{password()}".encode())),
    ("basic-auth", "wget --http-user=mirror --http-password={v} https://mirror.internal/pkgs/", password),
    (
        "basic-auth",
        '{"auths": {"registry.acme.internal": {"auth": "{v}"}}}',
        lambda: b64(f"ci:{password()}".encode()),
    ),
    ("basic-auth", "http -a deploy:{v} POST https://hooks.internal/release", password),
    (
        "private-key",
        "write_files:\n  - path: /etc/ssl/private/app.key\n    content: |\n      {v}",
        lambda: pem("PK", "      "),
    ),
    ("private-key", "ssh-add - <<'EOF'\n{v}\nEOF", lambda: pem("SSH")),
    ("private-key", 'SIGNING_KEY="{v}"', lambda: pem("EC").replace("\n", "\\n")),
]


def rare_secrets() -> list[tuple[str, str, str]]:
    rows = []
    for typ, tpl, gen in RARE_SECRETS:
        v = gen()  # type: ignore[operator]
        rows.append((typ, fill(tpl, v=v), v))
    return rows


# ---------------------------------------------------------------------------- personal
EMAIL_WRAPS = [
    "| {t} | Customer {v} reported double charges via the status page |",
    "{ts} INFO auth: login failed for user={v} ip={pip} attempts=5",
    "> {t} {who}: can someone unlock {v}? they're locked out since the migration",
    "SELECT id, plan FROM accounts WHERE email = '{v}';",
    "From: {v}\nTo: support@example.com\nSubject: Re: refund for order 88231",
    "Reporter: {v} (escalated by the account team)",
    "{ts} WARN mailer: bounce for {v} (550 5.1.1 user unknown)",
]
PHONE_WRAPS = [
    "| {t} | On-call escalated to the vendor's duty engineer on {v} |",
    "> {t} {who}: customer asked for a call back on {v}",
    "Escalation contact (nights): {v}",
    "{ts} INFO sms: sent OTP to {v} status=delivered",
    'contact_phone: "{v}"',
    "Call the DC remote hands on {v} and quote the ticket number.",
]
CARD_WRAPS = [
    "{ts} ERROR payment: charge failed card={v} reason=insufficient_funds",
    "| {t} | Support pasted the customer's card {v} into the ticket; ticket purged at {t2} |",
    "> {t} {who}: the failing card in the repro is {v}",
    '{"customer": "cus-4471", "card_number": "{v}", "amount": 4200}',
]
IP4_WRAPS = [
    "{ts} WARN nginx: 429 too many requests from {v} path=/api/login",
    "| {t} | Blocked {v} at the WAF after the credential-stuffing burst |",
    "> {t} {who}: the scraper is coming from {v}, can we add it to the denylist?",
    "sshd[2211]: Failed password for invalid user admin from {v} port 51122 ssh2",
]
IP6_WRAPS = [
    "{ts} WARN edge: rate limited client {v} on /v2/search",
    "| {t} | Abuse traffic from {v} dropped at the load balancer |",
]
NID_WRAPS = [
    "| {t} | Export job wrote the customer's SSN {v} to the debug log |",
    "> {t} {who}: her National Insurance number on the form is {v}",
]


def common_personal() -> list[tuple[str, str, str]]:
    rows = []
    for i in range(14):
        v = email()
        rows.append(("email", fill(EMAIL_WRAPS[i % len(EMAIL_WRAPS)], v=v), v))
    for i in range(16):
        v = us_phone((i // 2) % 6) if i % 2 == 0 else uk_phone((i // 2) % 6)
        rows.append(("phone", fill(PHONE_WRAPS[i % len(PHONE_WRAPS)], v=v), v))
    for i in range(8):
        v = card(["space", "dash", "plain", "space"][i % 4])
        rows.append(("credit-card", fill(CARD_WRAPS[i % len(CARD_WRAPS)], v=v), v))
    for i in range(7):
        v = public_v4()
        rows.append(("ipv4", fill(IP4_WRAPS[i % len(IP4_WRAPS)], v=v), v))
    for i in range(4):
        v = public_v6()
        rows.append(("ipv6", fill(IP6_WRAPS[i % len(IP6_WRAPS)], v=v), v))
    for i in range(4):
        v = ssn() if i % 2 == 0 else nino(True)
        rows.append(("national-id", fill(NID_WRAPS[i % 2], v=v), v))
    return rows


RARE_PERSONAL: list[tuple[str, str, object]] = [
    ("email", "Co-authored-by: Dev Name <{v}>", email),
    ("email", "GET /admin/users/search?q={v} 200", lambda: email().replace("@", "%40")),
    ("email", "[contact the reporter](mailto:{v})", email),
    ("email", "commit 9f2c1e7\nAuthor: contractor <{v}>\nDate:   Tue Mar 4 10:12:03 2025", email),
    ("email", "user_id,email,plan\n4471,{v},pro", email),
    ("phone", '<a href="tel:{v}">Call support</a>', lambda: us_phone(5)),
    ("phone", "BEGIN:VCARD\nFN:Duty Manager\nTEL;TYPE=cell:{v}\nEND:VCARD", lambda: uk_phone(1)),
    ("phone", "Toll-free escalation line: {v}", lambda: f"1-800-555-01{rng.randint(0, 99):02d}"),
    ("phone", "Astreinte : {v}", lambda: f"06 39 98 {rs(DIG, 2)} {rs(DIG, 2)}"),
    ("phone", "AU on-call: {v}", lambda: f"0491 570 {rng.randint(0, 999):03d}"),
    ("phone", '{"msisdn": "{v}", "status": "opted_out"}', lambda: uk_phone(5)),
    ("credit-card", "card_number={v}&exp=0927", lambda: card("plain")),
    ("credit-card", "Amex on file: {v}", amex),
    ("credit-card", "> {t} {who}: test with the real one? {v}", lambda: card("dash")),
    ("ipv4", "ssh -J ops@{v}:2222 admin@{pip}", public_v4),
    ("ipv4", "X-Forwarded-For: {v}, {pip}", public_v4),
    ("ipv6", "listen [{v}]:443 ssl;", public_v6),
    ("ipv6", "curl -6 http://[{v}]:8080/healthz", public_v6),
    ("national-id", "ssn,dob\n{v},1984-02-11", ssn),
    ("national-id", "NI number: {v}", lambda: nino(False)),
]


def rare_personal() -> list[tuple[str, str, str]]:
    rows = []
    for typ, tpl, gen in RARE_PERSONAL:
        v = gen()  # type: ignore[operator]
        rows.append((typ, fill(tpl, v=v), v))
    return rows


# ---------------------------------------------------------------------------- negatives
NEG_VALUES: list[tuple[str, str, object]] = [
    ("git-sha", "commit", lambda: rs(HEX, 40)),
    ("git-sha", "short commit", lambda: rs(HEX, 7)),
    ("git-sha", "image tag", lambda: "sha-" + rs(HEX, 7)),
    ("uuid", "request id", uuid4),
    ("uuid", "tenant id", uuid4),
    ("hash-or-digest", "image digest", lambda: "sha256:" + rs(HEX, 64)),
    ("hash-or-digest", "sha256sum", lambda: rs(HEX, 64)),
    ("hash-or-digest", "S3 ETag", lambda: rs(HEX, 32) + "-12"),
    ("hash-or-digest", "SRI hash", lambda: "sha384-" + rs(B64, 64)),
    ("trace-id", "trace id", lambda: rs(HEX, 32)),
    ("trace-id", "X-Ray trace", lambda: f"1-{rs(HEX, 8)}-{rs(HEX, 24)}"),
    ("trace-id", "cf-ray", lambda: rs(HEX, 16) + "-FRA"),
    ("cloud-resource-id", "instance", lambda: "i-0" + rs(HEX, 16)),
    ("cloud-resource-id", "AMI", lambda: "ami-0" + rs(HEX, 16)),
    ("cloud-resource-id", "security group", lambda: "sg-0" + rs(HEX, 16)),
    ("cloud-resource-id", "role ARN", lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/{svc()}-task"),
    ("cloud-resource-id", "KMS key ARN", lambda: f"arn:aws:kms:eu-west-1:{rs(DIG, 12)}:key/{uuid4()}"),
    (
        "cloud-resource-id",
        "Azure resource id",
        lambda: f"/subscriptions/{uuid4()}/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod",
    ),
    (
        "cloud-resource-id",
        "pod",
        lambda: f"{svc()}-{rs(HEX[:10] + 'bcdfghjklmnpqrstvwxz', 10)}-{rs(LOWALNUM, 5)}",
    ),
    ("cloud-resource-id", "GCP project number", lambda: rs(DIG, 12)),
    ("ids-and-numbers", "Stripe charge", lambda: "ch_" + rs(ALNUM, 24)),
    ("ids-and-numbers", "Stripe customer", lambda: "cus_" + rs(ALNUM, 14)),
    ("ids-and-numbers", "ULID", lambda: rs("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 26)),
    ("ids-and-numbers", "build number", lambda: str(rng.randint(10000, 99999))),
    (
        "ids-and-numbers",
        "order number",
        lambda: f"{rng.randint(200, 989)}-{rng.randint(200, 989)}-{rng.randint(1000, 9999)}",
    ),
    ("ids-and-numbers", "epoch", lambda: str(rng.randint(1_700_000_000, 1_760_000_000))),
    ("ids-and-numbers", "Vault lease", lambda: f"database/creds/readonly/{rs(ALNUM, 24)}"),
    ("luhn-fail-number", "loyalty number", luhn_fail16),
    ("slack-id", "Slack channel", lambda: "C0" + rs(UP + DIG, 9)),
    ("slack-id", "Slack ts", lambda: f"{rng.randint(1_700_000_000, 1_760_000_000)}.{rs(DIG, 6)}"),
    ("public-key-or-cert", "SSH host key fingerprint", lambda: "SHA256:" + rs(B64, 43)),
    ("public-key-or-cert", "Stripe publishable key", lambda: "pk_live_" + rs(ALNUM, 24)),
    ("public-key-or-cert", "GPG key id", lambda: rs("0123456789ABCDEF", 16)),
    (
        "token-metadata",
        "OAuth client id",
        lambda: f"{rs(DIG, 12)}-{rs(LOWALNUM, 32)}.apps.googleusercontent.com",
    ),
    ("token-metadata", "JWKS kid", lambda: rs(B64URL, 43)),
    ("token-metadata", "Vault token accessor", lambda: rs(ALNUM, 24)),
    (
        "base64-nonsecret",
        "base64 config",
        lambda: b64(
            json.dumps(
                {"feature": rng.choice(["fast-search", "new-cart"]), "rollout": rng.randint(1, 99)}
            ).encode()
        ),
    ),
    ("version-or-date", "release", lambda: f"v{ver()}"),
    ("version-or-date", "chart version", lambda: f"{svc()}-{ver()}"),
    ("private-or-reserved-ip", "node address", priv_ip),
]

NEG_WRAPS = [
    "| {t} | Rolled back; {desc} `{v}` noted in the ticket |",
    "> {t} {who}: {desc} is {v} if anyone wants to dig in",
    "{ts} INFO {svc}: {desc}={v} status=ok",
    '{key}: "{v}"',
    "2. Record the {desc} ({v}) in the incident doc before closing.",
    "We traced the regression to {desc} {v}, which shipped without the cache fix.",
    "| {desc} | {v} |",
    '{"{key}": "{v}", "source": "{svc}"}',
]

# literal look-alikes kept whole (no generator needed): placeholders, references, words, etc.
NEG_LITERAL: list[tuple[str, str, str]] = [
    ("placeholder", "export GITHUB_TOKEN=<your-token>", "<your-token>"),
    ("placeholder", "DB_PASSWORD=${DB_PASSWORD}", "${DB_PASSWORD}"),
    ("placeholder", "password: '****'", "****"),
    ("placeholder", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    (
        "placeholder",
        "# from the AWS docs, not ours\naws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    ("placeholder", "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"),
    (
        "placeholder",
        "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ),
    ("placeholder", 'curl -H "Authorization: Bearer $TOKEN" https://api.internal/v1/me', "$TOKEN"),
    ("placeholder", "postgres://app:{{ .Values.db.password }}@db:5432/app", "{{ .Values.db.password }}"),
    (
        "placeholder",
        "SLACK_WEBHOOK_URL=https://hooks.slack.com/services/XXXXX/XXXXX/XXXXX",
        "https://hooks.slack.com/services/XXXXX/XXXXX/XXXXX",
    ),
    ("placeholder", 'admin_password = "changeme"  # overridden in prod', "changeme"),
    ("placeholder", "Card on file: **** **** **** 4242", "**** **** **** 4242"),
    ("placeholder", "OPENAI_API_KEY=sk-...", "sk-..."),
    ("placeholder", "api_key: REPLACE_ME", "REPLACE_ME"),
    ("placeholder", "Username: svc_etl   Password: ••••••••  (see 1Password)", "••••••••"),
    (
        "placeholder",
        "-----BEGIN RSA PRIVATE KEY-----\n(redacted)\n-----END RSA PRIVATE KEY-----",
        "(redacted)",
    ),
    ("placeholder", "SENDGRID_API_KEY=SG.xxxxx.yyyyy", "SG.xxxxx.yyyyy"),
    ("placeholder", "mysql -u root -p<password> -h db.internal", "<password>"),
    ("credential-reference", "          password: ${{ secrets.DB_PASSWORD }}", "${{ secrets.DB_PASSWORD }}"),
    (
        "credential-reference",
        "        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: orders-db\n              key: password",
        "secretKeyRef",
    ),
    ("credential-reference", 'token = os.environ["SLACK_BOT_TOKEN"]', 'os.environ["SLACK_BOT_TOKEN"]'),
    (
        "credential-reference",
        "password = data.aws_secretsmanager_secret_version.db.secret_string",
        "data.aws_secretsmanager_secret_version.db.secret_string",
    ),
    (
        "credential-reference",
        "DB_PASS=vault:secret/data/orders#password",
        "vault:secret/data/orders#password",
    ),
    (
        "credential-reference",
        "ACCESS_TOKEN=$(gcloud auth print-access-token)",
        "$(gcloud auth print-access-token)",
    ),
    (
        "credential-reference",
        "@Microsoft.KeyVault(SecretUri=https://acme-kv.vault.azure.net/secrets/sql-pw/)",
        "@Microsoft.KeyVault(SecretUri=https://acme-kv.vault.azure.net/secrets/sql-pw/)",
    ),
    (
        "credential-reference",
        "api_key: \"{{ lookup('env', 'RATES_API_KEY') }}\"",
        "{{ lookup('env', 'RATES_API_KEY') }}",
    ),
    (
        "credential-reference",
        "  password_file: /run/secrets/orders_db_password",
        "/run/secrets/orders_db_password",
    ),
    ("keyword-no-value", "The password was rotated at 14:20 and the old one revoked.", "password"),
    ("keyword-no-value", "Action item: move the API key out of the repo (owner: platform).", "API key"),
    ("keyword-no-value", "Root cause: the token expired and nothing alerted on it.", "token"),
    ("keyword-no-value", "| 09:12 | Secret rotation job failed silently |", "Secret rotation"),
    ("keyword-no-value", "password:\n  minLength: 14\n  requireSymbol: true", "minLength"),
    ("keyword-no-value", "Decision: credentials are never passed on the command line.", "credentials"),
    ("private-or-reserved-ip", "curl http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254"),
    ("private-or-reserved-ip", "allow 10.0.0.0/8;", "10.0.0.0/8"),
    ("private-or-reserved-ip", "The doc example uses 203.0.113.42 as the client.", "203.0.113.42"),
    ("private-or-reserved-ip", "    listen [::1]:9102; # metrics, loopback only", "::1"),
    (
        "private-or-reserved-ip",
        "upstream peer 2001:db8:85a3::8a2e:370:7334 timed out",
        "2001:db8:85a3::8a2e:370:7334",
    ),
    ("private-or-reserved-ip", "carrier NAT pool 100.64.12.7 was exhausted", "100.64.12.7"),
    ("example-email", "Send alerts to oncall@example.com until the alias exists.", "oncall@example.com"),
    ("example-email", "git config user.email ci-bot@acme.test", "ci-bot@acme.test"),
    ("example-email", "user: jane.doe@example.org", "jane.doe@example.org"),
    (
        "example-email",
        "Co-authored-by: renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>",
        "29139614+renovate[bot]@users.noreply.github.com",
    ),
    ("version-or-date", "Upgraded postgres from 14.11 to 16.4 during the window.", "16.4"),
    ("version-or-date", "Incident date: 2025-03-14", "2025-03-14"),
    ("config-non-secret", "DB_USER=app_rw", "app_rw"),
    ("config-non-secret", "export JWT_ALGORITHM=RS256 JWT_TTL=900", "RS256"),
    ("config-non-secret", "sasl.mechanism=SCRAM-SHA-512\nsecurity.protocol=SASL_SSL", "SCRAM-SHA-512"),
    ("config-non-secret", "  password_max_age_days: 90\n  password_history: 12", "90"),
    ("config-non-secret", "tls:\n  secretName: checkout-api-tls", "checkout-api-tls"),
]

RARE_NEG: list[tuple[str, str, object]] = [
    (
        "encrypted-value",
        "password: ENC[AES256_GCM,data:{v},iv:Jq0Z4vSq2cFvYk1d,tag:Rk1a,type:str]",
        lambda: rs(B64, 24),
    ),
    ("encrypted-value", "db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  {v}", lambda: rs(HEX, 64)),
    ("encrypted-value", "spec:\n  encryptedData:\n    password: {v}", lambda: "AgB" + rs(B64, 330)),
    (
        "token-metadata",
        "JWT header only (payload and signature cut): {v}",
        lambda: b64url(json.dumps({"alg": "RS256", "kid": rs(LOWALNUM, 8)}, separators=(",", ":")).encode()),
    ),
    ("token-metadata", "SENTRY_DSN=https://{v}@o4504.ingest.sentry.io/4506", lambda: rs(HEX, 32)),
    ("token-metadata", "DD_CLIENT_TOKEN={v}", lambda: "pub" + rs(HEX, 32)),
    ("token-metadata", "azure client id (app registration): {v}", uuid4),
    ("token-metadata", "GitHub App id {v}, installation 48812731", lambda: str(rng.randint(100000, 999999))),
    ("public-key-or-cert", "ssh-ed25519 {v} deploy@ci", lambda: "AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43)),
    (
        "public-key-or-cert",
        "-----BEGIN PUBLIC KEY-----\n{v}\n-----END PUBLIC KEY-----",
        lambda: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE" + rs(B64, 52) + "==",
    ),
    (
        "public-key-or-cert",
        "-----BEGIN CERTIFICATE-----\n{v}\n-----END CERTIFICATE-----",
        lambda: "MIIDdzCCAl+gAwIBAgIE" + rs(B64, 44) + "\n" + rs(B64, 64) + "\n" + rs(B64, 30) + "==",
    ),
    (
        "public-key-or-cert",
        "mapboxgl.accessToken = '{v}';",
        lambda: (
            "pk."
            + b64url(b'{"u":"acme-maps","a":"' + rs(LOWALNUM, 25).encode() + b'"}')
            + "."
            + rs(B64URL, 22)
        ),
    ),
    ("hash-or-digest", "checksum/config: {v}", lambda: rs(HEX, 64)),
    ("hash-or-digest", '"integrity": "{v}"', lambda: "sha512-" + rs(B64, 86) + "=="),
    ("hash-or-digest", "oid sha256:{v}\nsize 1048576", lambda: rs(HEX, 64)),
    ("hash-or-digest", "$ md5sum dump.sql.gz\n{v}  dump.sql.gz", lambda: rs(HEX, 32)),
    ("hash-or-digest", "layer {v} already exists", lambda: "sha256:" + rs(HEX, 64)),
    ("trace-id", "traceparent: 00-{v}-00f067aa0ba902b7-01", lambda: rs(HEX, 32)),
    ("trace-id", "x-amz-request-id: {v}", lambda: rs(UP + DIG, 16)),
    ("trace-id", "x-amz-id-2: {v}", lambda: rs(B64, 76)),
    ("trace-id", "dd.trace_id={v} dd.span_id=4471093813", lambda: rng.choice("1289") + rs(DIG, 18)),
    ("cloud-resource-id", "Cloudflare zone {v} purged", lambda: rs(HEX, 32)),
    ("cloud-resource-id", "kubectl get secret {v} -o yaml", lambda: f"app-env-{rs('bcdfghkmt2456789', 10)}"),
    ("cloud-resource-id", "docker logs {v}", lambda: rs(HEX, 12)),
    ("cloud-resource-id", "providerID: aws:///eu-west-1a/{v}", lambda: "i-0" + rs(HEX, 16)),
    ("cloud-resource-id", "snapshot {v} restored to vol-0a1b2c3d", lambda: "snap-0" + rs(HEX, 16)),
    (
        "cloud-resource-id",
        "GitHub Actions run {v} failed at the deploy step",
        lambda: str(rng.randint(10**10, 10**11)),
    ),
    ("ids-and-numbers", "price id {v} moved to the new plan", lambda: "price_" + rs(ALNUM, 24)),
    ("ids-and-numbers", "payment intent {v} stuck in requires_action", lambda: "pi_" + rs(ALNUM, 24)),
    ("ids-and-numbers", "KSUID {v}", lambda: rs(ALNUM, 27)),
    (
        "ids-and-numbers",
        "Order {v} shipped twice",
        lambda: f"{rng.randint(200, 989)}-{rng.randint(200, 989)}-{rng.randint(1000, 9999)}",
    ),
    ("ids-and-numbers", "Invoice INV-{v} was voided", lambda: rs(DIG, 8)),
    ("ids-and-numbers", "GA measurement id {v}", lambda: "G-" + rs(UP + DIG, 10)),
    ("ids-and-numbers", "CSP nonce: {v}", lambda: rs(B64, 22) + "=="),
    (
        "luhn-fail-number",
        "gift card {v} rejected",
        lambda: " ".join(luhn_fail16()[i : i + 4] for i in range(0, 16, 4)),
    ),
    ("luhn-fail-number", "IMEI-like device serial {v}", luhn_fail16),
    (
        "luhn-fail-number",
        "tracking no. {v}",
        lambda: "-".join(luhn_fail16()[i : i + 4] for i in range(0, 16, 4)),
    ),
    ("base64-nonsecret", "echo {v} | base64 -d   # prints hello-world", lambda: b64(b"hello-world")),
    ("base64-nonsecret", "data:\n  LOG_LEVEL: {v}", lambda: b64(b"debug")),
    ("base64-nonsecret", "state cursor: {v}", lambda: b64(json.dumps({"page": rng.randint(2, 99)}).encode())),
    ("slack-id", "team {v}", lambda: "T0" + rs(UP + DIG, 9)),
    ("slack-id", "<@{v}> please take this one", lambda: "U0" + rs(UP + DIG, 9)),
    (
        "config-non-secret",
        'PASSWORD_HASHERS = ["{v}"]  # ADR-0042',
        lambda: "django.contrib.auth.hashers.Argon2PasswordHasher",
    ),
    ("config-non-secret", "--key={v}", lambda: "tls.key"),
    ("config-non-secret", "password_regex: '{v}'", lambda: "^(?=.*[A-Z])(?=.*\\d).{14,}$"),
    ("config-non-secret", "token_type: {v}\nexpires_in: 3600", lambda: "bearer"),
    ("config-non-secret", "auth_method: {v}", lambda: "scram-sha-256"),
    (
        "private-or-reserved-ip",
        "Peer ::ffff:{v} disconnected",
        lambda: f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
    ),
    (
        "private-or-reserved-ip",
        "ULA prefix {v} assigned to the VPC",
        lambda: f"fd{rs(HEX, 2)}:{rs(HEX, 4)}:{rs(HEX, 4)}::/48",
    ),
    ("private-or-reserved-ip", "link-local {v} on eth0", lambda: f"fe80::{rs(HEX, 4)}:{rs(HEX, 4)}"),
    ("example-email", "noreply {v} sent the digest", lambda: "digest@notifications.example"),
    (
        "version-or-date",
        "Deprecated since {v}; remove after the freeze",
        lambda: f"v{ver()}-rc.{rng.randint(1, 9)}",
    ),
    ("version-or-date", "canary build {v}", lambda: f"{ver()}+build.{rs(HEX, 7)}"),
    ("placeholder", "Authorization: Bearer {v}", lambda: "<ACCESS_TOKEN>"),
    ("placeholder", "AKIA{v}", lambda: "****************"),
    ("placeholder", "using the key sk-proj-abcd...{v}", lambda: "wxyz"),
    ("placeholder", "hunter2 is the classic example of {v}", lambda: "a bad password"),
]


def negatives() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    common = []
    k = 0
    for typ, desc, gen in NEG_VALUES:
        for _ in range(4):
            v = gen()  # type: ignore[operator]
            key = desc.replace(" ", "_").lower()
            common.append((typ, fill(NEG_WRAPS[k % len(NEG_WRAPS)], v=v, desc=desc, key=key), v))
            k += 1
    common += NEG_LITERAL
    rare = []
    for typ, tpl, gen in RARE_NEG:
        v = gen()  # type: ignore[operator]
        rare.append((typ, fill(tpl, v=v), v))
    return common, rare


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"AKIA[A-Z0-9]{16}|ASIA[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|glpat-|xox[bp]-"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36}"
    r"|SG\.[A-Za-z0-9_-]{22}\.|PRIVATE KEY-----\n[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|dckr_pat_|sk-ant-|sk-proj-[A-Za-z0-9]{20}"
)
OK_MAIL = re.compile(
    r"@(example\.(com|org|net)|[\w.-]+\.example|[\w.-]+\.test|users\.noreply\.github\.com"
    r"|[\w.-]+\.internal|[\w.-]+\.gserviceaccount\.com|[\w.-]+\.ingest\.sentry\.io)$"
)


def sanity(rows: list[dict]) -> None:
    check_rows(rows, fold=FOLD, id_prefix=ID_PREFIX, types=TYPES)
    for r in rows:
        rest = r["line"].replace(r["value"], "\x00")
        m = SECRETISH.search(rest)
        assert not m, (r["id"], m.group(0))
        for m in IPV4.finditer(rest):
            assert not is_public_v4(m), (r["id"], m.group(0))
        for m in EMAILISH.finditer(rest):
            assert OK_MAIL.search(m.group(0)), (r["id"], m.group(0))
        if r["kind"] == N:
            m = SECRETISH.search(r["line"])
            assert not m or r["type"] == "placeholder", (r["id"], m.group(0))
            for m in IPV4.finditer(r["line"]):
                assert not is_public_v4(m), (r["id"], m.group(0))
            for m in EMAILISH.finditer(r["line"]):
                assert OK_MAIL.search(m.group(0)), (r["id"], m.group(0))
        if r["type"] == "credit-card":
            assert luhn_ok(re.sub(r"\D", "", r["value"])), r["id"]
        if r["type"] == "luhn-fail-number":
            assert not luhn_ok(re.sub(r"\D", "", r["value"])), r["id"]
        if r["type"] == "ipv4":
            assert is_public_v4(IPV4.fullmatch(r["value"])), r["id"]
        if r["type"] != "credit-card":
            for m in CARDISH.finditer(r["line"]):
                digits = re.sub(r"\D", "", m.group(0))
                assert not (luhn_ok(digits) and digits[0] in "3456"), (
                    "luhn-valid look-alike",
                    r["id"],
                    m.group(0),
                )
    check_unseen(rows, OUT)


# ---------------------------------------------------------------------------- build
COMMON: dict[str, int] = {}


def build() -> list[dict]:
    cs, rs_, cp, rp = common_secrets(), rare_secrets(), common_personal(), rare_personal()
    cn, rn = negatives()
    return assemble(cs, cp, rs_, rp, cn, rn, id_prefix=ID_PREFIX, fold=FOLD, common=COMMON)


def main() -> None:
    rows = build()
    sanity(rows)
    write_rows(rows, OUT)
    from collections import Counter

    print(
        f"{OUT.name}: {len(rows)} rows; common share: positives t13p001-t13p{COMMON['positives']:03d}, "
        f"negatives t13n001-t13n{COMMON['negatives']:03d}"
    )
    for kind in (S, P, N):
        c = Counter(r["type"] for r in rows if r["kind"] == kind)
        print(kind, sum(c.values()), dict(c.most_common()))


if __name__ == "__main__":
    main()
