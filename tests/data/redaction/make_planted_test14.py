# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test14.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test14.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20261226)``, and fake; the file is byte-identical on every run. The lines are set in
ten made-up documents (four postmortems, three runbooks, three ADRs), each with its own voice:
timeline tables, chat excerpts, shell sessions, config files, logs, stack traces, SQL and HTTP
dumps. Common shapes come first in each kind (``t14p…``/``t14n…``); the summary it prints says
where the split falls.
"""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from random import Random

from planted_kit import (
    ALNUM,
    B32,
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
    b64,
    b64url,
    check_rows,
    check_unseen,
    encode_jwt,
    is_public_v4,
    luhn_ok,
    write_fold,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test14.jsonl"
FOLD = "test14"
ID_PREFIX = "t14"
rng = Random(20261226)
draw = Draw(rng)
rs, rbytes, uuid4, sha40, hhmm, iso = draw.rs, draw.rbytes, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
aws_secret, gcp_api, grouped, priv_ip = draw.aws_secret, draw.gcp_api, draw.grouped, draw.priv_ip
ssn = draw.ssn

TYPES = {
    S: {
        "aws-key",
        "gcp-key",
        "azure-key",
        "github-token",
        "gitlab-token",
        "slack-token",
        "stripe-key",
        "jwt",
        "private-key",
        "gcp-service-account-key",
        "password-in-url",
        "password-assignment",
        "basic-auth",
        "bearer-token",
        "vendor-token",
    },
    P: {"email", "phone", "credit-card", "ipv4", "ipv6", "national-id", "iban"},
    N: {
        "git-sha",
        "uuid",
        "hash-or-digest",
        "trace-id",
        "cloud-resource-id",
        "placeholder",
        "secret-reference",
        "masked-value",
        "keyword-no-value",
        "private-or-reserved-ip",
        "example-email",
        "vendor-example-key",
        "version-or-date",
        "public-key-or-cert",
        "ids-and-numbers",
        "luhn-fail-number",
        "base64-nonsecret",
        "resource-name",
        "non-secret-config",
    },
}


# ---------------------------------------------------------------------------- secret values
def aws_akid() -> str:
    return "AKIA" + rs(B32, 16)


def aws_asia() -> str:
    return "ASIA" + rs(B32, 16)


def gcp_client_secret() -> str:
    return "GOCSPX-" + rs(B64URL, 28)


def azure_client_secret() -> str:
    return rs(ALNUM, 3) + rng.choice(DIG) + "Q~" + rs(ALNUM + "-_.~", 34)


def azure_account_key() -> str:
    return b64(rbytes(64))


def azure_sas_key() -> str:
    return b64(rbytes(32))


def gh_classic() -> str:
    return rng.choice(["ghp_", "ghp_", "gho_", "ghu_"]) + rs(ALNUM, 36)


def gh_app() -> str:
    return rng.choice(["ghs_", "ghr_"]) + rs(ALNUM, 36)


def gh_fine() -> str:
    return "github_pat_11" + rs(UP + DIG, 20) + "_" + rs(ALNUM, 59)


glpat = draw.pre("glpat-", ALNUM + "-_", 20)


def gl_runner() -> str:
    return "glrt-" + rs(ALNUM + "-_", 20)


def xoxb() -> str:
    return f"xoxb-{rs(DIG, 11)}-{rs(DIG, 13)}-{rs(ALNUM, 24)}"


def xoxp() -> str:
    return f"xoxp-{rs(DIG, 11)}-{rs(DIG, 11)}-{rs(DIG, 13)}-{rs(HEX, 32)}"


slack_hook = partial(draw.slack_hook_with_team, 8)


def sk_live() -> str:
    return "sk_live_" + rs(ALNUM, rng.choice([24, 34, 99]))


def rk_live() -> str:
    return "rk_live_" + rs(ALNUM, rng.choice([24, 99]))


whsec = draw.stripe_whsec


def jwt(alg: str = "HS256") -> str:
    head = {"alg": alg, "typ": "JWT"}
    body = {
        "iss": rng.choice(["auth.acme.internal", "https://sso.acme.internal", "ledger"]),
        "sub": rng.choice(["svc:replayer", "user:8812", "svc:exporter", "cron:nightly"]),
        "exp": rng.randint(1_760_000_000, 1_790_000_000),
        "role": rng.choice(["admin", "writer", "ops"]),
    }
    return encode_jwt(head, body, rs(B64URL, 43 if alg == "HS256" else 86))


def pem_lines(first: str, n: int) -> list[str]:
    return (
        [first + rs(B64, 64 - len(first))]
        + [rs(B64, 64) for _ in range(n - 2)]
        + [rs(B64, rng.randint(12, 56)) + "="]
    )


def private_key(kind: str, indent: str = "") -> str:
    if kind == "ssh":
        label = "OPENSSH PRIVATE KEY"
        body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
        body += [rs(B64, 70) for _ in range(rng.randint(3, 5))] + [rs(B64, 30) + "=="]
    elif kind == "ec":
        label = "EC PRIVATE KEY"
        body = ["MHcCAQEEI" + rs(B64, 55), rs(B64, 64), rs(B64, 36) + "=="]
    elif kind == "rsa":
        label = "RSA PRIVATE KEY"
        body = pem_lines("MIIEpAIBAAKCAQEA", rng.randint(9, 13))
    elif kind == "dsa":
        label = "DSA PRIVATE KEY"
        body = pem_lines("MIIBuwIBAAKBgQ", rng.randint(5, 7))
    else:
        label = "PRIVATE KEY"
        body = pem_lines("MIIEvgIBADANBgkqhkiG9w0BAQEFAASC", rng.randint(9, 13))
    return ("\n" + indent).join([f"-----BEGIN {label}-----", *body, f"-----END {label}-----"])


def gcp_sa_key() -> str:
    body = pem_lines("MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC", 14)
    return "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(body) + "\\n-----END PRIVATE KEY-----\\n"


WORDS = [
    "otter",
    "lichen",
    "granite",
    "plover",
    "ferrous",
    "marble",
    "sorrel",
    "tamarind",
    "cinder",
    "bramble",
    "halyard",
    "mistral",
    "quince",
    "rowan",
    "sextant",
    "tallow",
    "vesper",
    "wicket",
]


def password() -> str:
    shape = rng.randrange(5)
    if shape == 0:
        return rs(ALNUM, rng.randint(16, 24))
    if shape == 1:
        return rng.choice(WORDS).capitalize() + rng.choice(WORDS) + rs(DIG, 3) + rng.choice("!$*")
    if shape == 2:
        return ".".join(rng.sample(WORDS, 3)) + rs(DIG, 2)
    if shape == 3:
        return rs(ALNUM + "!*^%", rng.randint(14, 20)) + rng.choice(DIG)
    return rs(LOW + DIG, 8) + rng.choice("_~") + rs(UP + DIG, 8)


def url_password() -> str:
    shape = rng.randrange(3)
    if shape == 0:
        return rs(ALNUM, rng.randint(16, 24))
    if shape == 1:
        return rng.choice(WORDS) + "-" + rng.choice(WORDS) + "-" + rs(DIG, 4)
    return rs(ALNUM, 9) + "_" + rs(ALNUM, 9)


# ---------------------------------------------------------------------------- personal values
def luhn_make(prefix: str, length: int) -> str:
    body = prefix + rs(DIG, length - len(prefix) - 1)
    return next(body + c for c in DIG if luhn_ok(body + c))


def card() -> str:
    brand = rng.choice(["visa", "visa", "mc", "mc2", "amex", "disc"])
    num = {
        "visa": lambda: luhn_make("4", 16),
        "mc": lambda: luhn_make(str(rng.randint(51, 55)), 16),
        "mc2": lambda: luhn_make(str(rng.randint(2221, 2720)), 16),
        "amex": lambda: luhn_make(rng.choice(["34", "37"]), 15),
        "disc": lambda: luhn_make("6011", 16),
    }[brand]()
    return draw.spell_card(num)


def luhn_bad16() -> str:
    while True:
        num = rng.choice("4562") + rs(DIG, 15)
        if not luhn_ok(num):
            return num


def public_v4() -> str:
    while True:
        a = rng.choice([23, 31, 45, 52, 62, 77, 81, 91, 104, 134, 141, 151, 176, 185, 193, 212, 217])
        b, c, d = rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)
        if (a, b, c) not in {(192, 0, 2), (198, 51, 100), (203, 0, 113)}:
            return f"{a}.{b}.{c}.{d}"


def public_v6() -> str:
    pre = rng.choice(["2a02", "2a01", "2600", "2607", "2a00", "2c0f", "2405", "2804"])
    parts = [pre, rs(HEX, 4).lstrip("0") or "1", rs(HEX, 3), rs(HEX, 4).lstrip("0") or "a"]
    if rng.random() < 0.5:
        return ":".join(parts) + "::" + rs(HEX, 3).lstrip("0") + "1"
    return ":".join(parts + [rs(HEX, 4).lstrip("0") or "b" for _ in range(4)])


us_phone = partial(
    draw.us_phone_in,
    areas=["212", "415", "312", "617", "503", "303", "718", "206"],
    forms=(
        "({area}) 555-{tail}",
        "+1 {area} 555 {tail}",
        "{area}-555-{tail}",
        "+1-{area}-555-{tail}",
        "{area}.555.{tail}",
    ),
)


uk_phone = partial(
    draw.uk_phone_in,
    forms=(
        "07700 900{mob}",
        "+44 7700 900{mob}",
        "020 7946 0{land}",
        "+44 20 7946 0{land}",
        "+447700900{mob}",
    ),
)


def nino() -> str:
    first, second = "G", "B"
    while first + second in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
        first, second = rng.choice("ABCEGHJKLMNPRSTWXYZ"), rng.choice("ABCEGHJKLMNPRSTWXYZ")
    d = rs(DIG, 6)
    return f"{first}{second} {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}"


def iban(country: str) -> str:
    bban = (rs(UP, 4) + rs(DIG, 14)) if country == "GB" else rs(DIG, 18)
    moved = bban + country + "00"
    num = int("".join(str(int(c, 36)) for c in moved))
    check = 98 - num % 97
    raw = f"{country}{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


FIRST = [
    "maren",
    "idris",
    "paloma",
    "teodor",
    "yusra",
    "callum",
    "ines",
    "bartek",
    "noor",
    "rafael",
    "saskia",
    "emeka",
    "hanne",
    "luca",
    "zainab",
    "orla",
    "viktor",
    "mei",
]
LAST = [
    "achterberg",
    "balogun",
    "castellanos",
    "duval",
    "eriksen",
    "fitzgerald",
    "gallo",
    "hoekstra",
    "iqbal",
    "jaramillo",
    "kovacs",
    "laine",
    "mbeki",
    "nakamura",
    "oyelaran",
    "petrov",
    "quist",
]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "gmx.de",
    "btinternet.com",
    "hotmail.co.uk",
    "fastmail.com",
    "web.de",
    "aol.com",
]


def email() -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice(
        [
            f"{f}.{last}",
            f"{f}{last[0]}{rng.randint(1, 99)}",
            f"{f[0]}{last}",
            f"{f}_{last}",
            f"{last}.{f}{rng.randint(70, 99)}",
        ]
    )
    return f"{local}@{rng.choice(MAIL)}"


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "webhook-replayer",
    "ledger-api",
    "push-gateway",
    "invoice-renderer",
    "fraud-scorer",
    "catalog-sync",
    "payout-batcher",
    "session-broker",
    "media-transcoder",
    "tax-engine",
]
NSS = ["payments", "growth", "core", "mobile", "risk", "finops"]
ONCALL = ["ana", "bjorn", "chidi", "dana", "eitan", "farah", "gus", "hiro", "ilse", "jonas", "kemi"]


FILL = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "ns": lambda: rng.choice(NSS),
    "who": lambda: rng.choice(ONCALL),
    "pip": priv_ip,
    "sha7": lambda: rs(HEX, 7),
    "n": lambda: str(rng.randint(2, 940)),
    "ver": lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}",
    "pid": lambda: str(rng.randint(1200, 65000)),
    "db": lambda: rng.choice(["ledger", "orders", "billing", "sessions", "catalog"]),
}
SLOT = re.compile(r"\{([A-Za-z_0-9]+)\}")


def fill(tpl: str, **kw: str) -> str:
    def sub(m: re.Match) -> str:
        k = m.group(1)
        if k in kw:
            return kw[k]
        return FILL[k]() if k in FILL else m.group(0)

    return SLOT.sub(sub, tpl)


# ---------------------------------------------------------------------------- common secrets
# Ten documents. Each lends a few places where a named credential ends up in plain text.
# PM-4471 (webhook replay storm), RB-12 (rotating CI credentials), ADR-019 (secrets into Vault),
# PM-4502 (.env in a public bucket), PM-4530 (push outage), ADR-023 (OIDC for CI), ADR-027
# (Terraform state), RB-31 (broker on-call), PM-4588 (card data in logs), RB-07 (DB failover).
PLACES = [
    # PM-4471 timeline and chat
    "| {t} | {who} | ran `env | grep -i {key}` on {svc}-0 and pasted it into #inc-4471: `{name}={v}` |",
    "[{t}] {who}: fwiw the {desc} the replayer is using is {v}, is that the prod one or staging?",
    "> **Contributing factor.** The {desc} (`{v}`) had been copied into `replay.sh` in March and was never rotated.",
    "- [ ] Revoke {v} ({desc}, still visible in the #payments-eng scrollback), owner: {who}",
    "{t}  {who}  set {name} on {svc} to {v} and bounced the deployment",
    # RB-12 rotating CI credentials
    "$ gh secret set {name} --repo acme/{svc} --body '{v}'",
    "ci@runner-7:~$ export {name}='{v}'\nci@runner-7:~$ make smoke-test",
    "$ kubectl -n {ns} create secret generic {svc}-creds --from-literal={key}={v} --dry-run=client -o yaml",
    "$ heroku config:set {name}={v} --app {svc}-prod",
    "Step 4. Paste the new value into the CI settings page. Example from the last rotation: {name} = {v}",
    # ADR-019 secrets into Vault
    'Before (today, `config/production.yml`):\n```yaml\n{key}: "{v}"\n```',
    '## Context\nThe {desc} lives in plain text in three repositories; the copy in `{svc}/settings.py` reads `{name} = "{v}"`.',
    "$ vault kv put secret/{ns}/{svc} {key}={v}",
    "| `{name}` | `{v}` | plaintext in Helm values | moves to Vault in phase 2 |",
    'resource "aws_ssm_parameter" "{key}" {\n  name  = "/{ns}/{svc}/{key}"\n  type  = "SecureString"\n  value = "{v}"\n}',
    # PM-4502 .env in a public bucket
    "builds/{sha7}/.env:{n}:{name}={v}",
    "```dotenv\n# {svc}, production\nNODE_ENV=production\n{name}={v}\nLOG_LEVEL=info\n```",
    "Scanner hit (verified): file docker-compose.prod.yml, line {n}, match `{v}`",
    "docker-compose.prod.yml:\n  {svc}:\n    environment:\n      - {name}={v}",
    "The researcher's report quoted the {desc} `{v}` verbatim, taken from the public object.",
    # PM-4530 push outage: logs, traces, HTTP
    "{ts} ERROR {svc} config.load: falling back to environment, {key}={v} (source=process.env)",
    "AuthError: upstream rejected credential '{v}' (401) while calling {svc}.internal",
    'time="{ts}" level=debug msg="loaded secret" key={key} value={v} component={svc}',
    '{"ts":"{ts}","level":"warn","svc":"{svc}","msg":"static credential in use","{key}":"{v}"}',
    '{pip} - - [04/Dec/2026:{t}:07 +0000] "GET /internal/replay?{key}={v} HTTP/1.1" 200 512',
    # ADR-023 OIDC for CI
    "      - name: Deploy\n        env:\n          {name}: {v}\n        run: ./scripts/deploy.sh",
    '.gitlab-ci.yml (the job this ADR removes):\nvariables:\n  {name}: "{v}"',
    "withEnv([\"{name}={v}\"]) {\n    sh './release.sh'\n}",
    "CircleCI context `{ns}-prod` still holds {name} = {v} (last used three weeks ago).",
    "## Consequences\nWith OIDC live we delete the long-lived {desc} ({v}) from every CI system.",
    # ADR-027 Terraform state
    '"{key}": {\n  "sensitive": false,\n  "type": "string",\n  "value": "{v}"\n}',
    'variable "{key}" {\n  type    = string\n  default = "{v}"\n}',
    'Terraform will perform the following actions:\n  ~ {key} = "{v}" -> (sensitive value)',
    '{key} = "{v}"  # prod.auto.tfvars, committed by mistake',
    "Atlantis comment on PR #{n}: the plan rendered `{name}` as {v}",
    # RB-31 broker on-call
    '[Service]\nEnvironment="{name}={v}"',
    '[program:{svc}]\nenvironment={name}="{v}",LOG_LEVEL="info"',
    "ENV {name}={v}",
    "docker run --rm -e {name}={v} registry.acme.internal/{svc}:{ver}",
    "host_vars/{svc}-01.yml:\n{key}: {v}",
    # PM-4588 and RB-07
    'Sentry event {sha7}: extra.environ.{name} = "{v}"',
    "crash dump, os.environ: {'{name}': '{v}', 'TZ': 'UTC'}",
    "psql=> SELECT name, value FROM app_settings WHERE name = '{key}';\n  name  | value\n--------+-------\n {key} | {v}",
    "{who} (DM, {t}): try with {v} — that's the {desc} from the old wiki page",
    "INSERT INTO integrations (name, credential) VALUES ('{svc}', '{v}');",
]

# (NAME, description, type, generator); each lands in six of the places above
CREDS = [
    ("AWS_ACCESS_KEY_ID", "AWS access key id", "aws-key", aws_akid),
    ("AWS_ACCESS_KEY_ID", "temporary AWS key id", "aws-key", aws_asia),
    ("AWS_SECRET_ACCESS_KEY", "AWS secret key", "aws-key", aws_secret),
    ("GOOGLE_API_KEY", "Google API key", "gcp-key", gcp_api),
    ("GOOGLE_OAUTH_CLIENT_SECRET", "Google OAuth client secret", "gcp-key", gcp_client_secret),
    ("AZURE_CLIENT_SECRET", "Azure AD client secret", "azure-key", azure_client_secret),
    ("AZURE_STORAGE_ACCOUNT_KEY", "Azure storage key", "azure-key", azure_account_key),
    ("GITHUB_TOKEN", "GitHub token", "github-token", gh_classic),
    ("GH_APP_INSTALLATION_TOKEN", "GitHub App token", "github-token", gh_app),
    ("GH_FINE_GRAINED_PAT", "GitHub fine-grained token", "github-token", gh_fine),
    ("GITLAB_PRIVATE_TOKEN", "GitLab access token", "gitlab-token", glpat),
    ("CI_RUNNER_TOKEN", "GitLab runner token", "gitlab-token", gl_runner),
    ("SLACK_BOT_TOKEN", "Slack bot token", "slack-token", xoxb),
    ("SLACK_USER_TOKEN", "Slack user token", "slack-token", xoxp),
    ("SLACK_ALERTS_WEBHOOK", "Slack webhook", "slack-token", slack_hook),
    ("STRIPE_API_KEY", "Stripe live key", "stripe-key", sk_live),
    ("STRIPE_RESTRICTED_KEY", "Stripe restricted key", "stripe-key", rk_live),
    ("STRIPE_ENDPOINT_SECRET", "Stripe webhook signing secret", "stripe-key", whsec),
    ("SERVICE_JWT", "service JWT", "jwt", jwt),
    ("DB_PASSWORD", "database password", "password-assignment", password),
]

CONN = [  # (template, generator for the password)
    ("DATABASE_URL=postgres://{db}_app:{v}@pg-primary.{ns}.internal:5432/{db}?sslmode=require", url_password),
    (
        "psql \"postgresql://replicator:{v}@pg-replica-2.{ns}.internal/{db}\" -c 'select pg_last_wal_replay_lsn()'",
        url_password,
    ),
    (
        "FATAL: could not connect to postgres://{db}:{v}@{pip}:6432/{db} (pgbouncer pool exhausted)",
        url_password,
    ),
    ("  url: jdbc:postgresql://pg.{ns}.internal:5432/{db}?user={db}_ro&password={v}", url_password),
    ("mysql://root:{v}@mysql-{n}.{ns}.internal:3306/{db}", url_password),
    ("$ mysql -h mysql-primary.{ns}.internal -u {db}_admin -p'{v}' {db} < hotfix.sql", password),
    (
        "spring.datasource.url=jdbc:mysql://db.{ns}.internal:3306/{db}\nspring.datasource.password={v}",
        password,
    ),
    ("MONGO_URI=mongodb+srv://{svc}:{v}@cluster0.{sha7}.mongodb.net/{db}?retryWrites=true", url_password),
    ('mongosh "mongodb://admin:{v}@mongo-0.{ns}.internal:27017/admin?replicaSet=rs0"', url_password),
    (
        "pymongo.errors.OperationFailure: auth failed, full URI was mongodb+srv://reporting:{v}@analytics.{sha7}.mongodb.net",
        url_password,
    ),
    ("REDIS_URL=redis://:{v}@redis-cache.{ns}.internal:6379/0", url_password),
    ("$ redis-cli -h redis-sessions.{ns}.internal -a '{v}' --no-auth-warning INFO replication", password),
    ("rediss://default:{v}@cache-{n}.{ns}.internal:6380", url_password),
    ("CELERY_BROKER_URL=amqp://{svc}:{v}@rabbit.{ns}.internal:5672/%2F", url_password),
    ("amqps://events:{v}@mq.{ns}.internal:5671/prod  <- from the consumer's startup log", url_password),
    ("$ rabbitmqctl change_password {svc} '{v}'", password),
    (
        "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server failed\n[SQL: None] url=postgresql+psycopg2://etl:{v}@warehouse.{ns}.internal/{db}",
        url_password,
    ),
    ("Server=sql-{n}.{ns}.internal;Database={db};User Id=app_{db};Password={v};Encrypt=True;", password),
    (
        "[databases]\n{db} = host=pg-primary.{ns}.internal port=5432 dbname={db} user=pgb password={v}",
        password,
    ),
    ("smtp://alerts:{v}@smtp.{ns}.internal:587", url_password),
    ('ldap_bind_password = "{v}"   # sssd.conf on bastion-{n}', password),
    (
        "export PGPASSWORD='{v}'\npg_dump -h pg-primary.{ns}.internal -U {db}_owner {db} > /tmp/{db}.sql",
        password,
    ),
    (
        "clickhouse-client --host ch-{n}.{ns}.internal --user ingest --password {v} --query 'SYSTEM FLUSH LOGS'",
        password,
    ),
    ("elasticsearch.password: {v}\nelasticsearch.username: kibana_system", password),
    (
        'kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="{svc}" password="{v}";',
        password,
    ),
    ("  postgresql:\n    auth:\n      username: {db}\n      password: {v}\n      database: {db}", password),
    ("MYSQL_ROOT_PASSWORD: {v}  # docker-compose.yml, the one in the public bucket", password),
    (
        "$ echo -n '{v}' | kubectl -n {ns} create secret generic pg-app --from-file=password=/dev/stdin",
        password,
    ),
    ("ALTER ROLE {db}_app WITH PASSWORD '{v}';  -- run by {who} during the failover", password),
    ("mqtt://iot-gw:{v}@mqtt.{ns}.internal:8883", url_password),
    ("ftp://exports:{v}@sftp-legacy.{ns}.internal/outbound/", url_password),
    ("git clone https://deploy-bot:{v}@git.acme.internal/{ns}/{svc}.git", url_password),
]
PW_TYPE = {"password-in-url": re.compile(r"://[^/\s]*\{v\}@")}

CURL = [  # bearer headers, -u user:pass and Basic credentials
    (
        "bearer-token",
        '$ curl -sS -H "Authorization: Bearer {v}" https://api.{ns}.internal/v2/replays?status=stuck',
        lambda: rs(ALNUM + "-._", 48),
    ),
    (
        "bearer-token",
        "> GET /admin/queues HTTP/1.1\n> Host: {svc}.internal\n> Authorization: Bearer {v}\n> Accept: */*",
        lambda: rs(ALNUM, 40),
    ),
    ("bearer-token", "http :8080/v1/payouts 'Authorization:Bearer {v}'", lambda: rs(HEX, 64)),
    (
        "bearer-token",
        'requests.get(url, headers={"Authorization": "Bearer {v}"}, timeout=5)',
        lambda: rs(B64URL, 52),
    ),
    (
        "bearer-token",
        "wget --header='Authorization: Token {v}' https://metrics.{ns}.internal/export.csv",
        lambda: rs(HEX, 40),
    ),
    (
        "jwt",
        "$ curl -H 'Authorization: Bearer {v}' https://{svc}.{ns}.internal/api/jobs",
        lambda: jwt("RS256"),
    ),
    ("jwt", "Cookie: session={v}; theme=dark", jwt),
    ("jwt", "{ts} INFO gateway forwarded request with x-auth-token={v} to {svc}", jwt),
    ("jwt", "localStorage['id_token'] = \"{v}\"", lambda: jwt("RS256")),
    ("jwt", "https://app.acme.internal/sso/callback#access_token={v}&token_type=bearer", jwt),
    (
        "basic-auth",
        "$ curl -u admin:{v} -X POST http://{pip}:15672/api/queues/%2F/dead-letters/actions",
        password,
    ),
    ("basic-auth", "curl --user ci-bot:{v} https://nexus.{ns}.internal/service/rest/v1/components", password),
    (
        "basic-auth",
        "> Authorization: Basic {v}\n> User-Agent: {svc}/{ver}",
        lambda: b64(f"ops:{password()}".encode()),
    ),
    (
        "password-assignment",
        "grafana-cli --homepath /usr/share/grafana admin reset-admin-password {v}",
        password,
    ),
    (
        "basic-auth",
        'git config --global http.extraHeader "Authorization: Basic {v}"',
        lambda: b64(f"build:{password()}".encode()),
    ),
    ("basic-auth", 'resp = requests.get(url, auth=("svc-export", "{v}"), timeout=10)', password),
    (
        "basic-auth",
        'proxy_set_header Authorization "Basic {v}";',
        lambda: b64(f"scraper:{password()}".encode()),
    ),
    ("password-assignment", "$ docker login registry.acme.internal -u deployer -p {v}", password),
    ("password-assignment", "$ htpasswd -b -B /etc/nginx/.htpasswd ops {v}", password),
    (
        "bearer-token",
        "grpcurl -H 'authorization: Bearer {v}' ledger-api.core.internal:443 ledger.v1.Ledger/ListEntries",
        lambda: rs(ALNUM + "-_", 64),
    ),
    (
        "bearer-token",
        'HAR export, request.headers[3]: {"name": "authorization", "value": "Bearer {v}"}',
        lambda: rs(B64URL, 44),
    ),
    (
        "bearer-token",
        "{ts} DEBUG httpx send headers={'authorization': 'Bearer {v}', 'accept': 'application/json'}",
        lambda: rs(ALNUM, 56),
    ),
]

PW_ASSIGN = [  # password assignments in config and prose
    "POSTGRES_PASSWORD={v}",
    '  redis:\n    password: "{v}"',
    "admin_password = {v}",
    '"smtpPassword": "{v}",',
    "keystore.password={v}",
    "{who} (#inc-4588, {t}): the root pw for the replica is {v}, I'll rotate after",
    "RABBITMQ_DEFAULT_PASS: {v}",
    '<property name="javax.jdo.option.ConnectionPassword" value="{v}"/>',
    "set -x output: + SONAR_PASSWORD={v}",
    "Step 2: log in as `breakglass` with password {v} (stored in the safe, this is the copy)",
    "grafana.ini:\n[security]\nadmin_password = {v}",
    "vpn:\n  psk: {v}",
]

KEYS = [  # private keys
    ("tls.key: |\n  {v}", "pk", "  "),
    ("$ cat ~/.ssh/id_ed25519\n{v}", "ssh", ""),
    ("Attached to the ticket by mistake (deploy key):\n{v}", "ssh", ""),
    ("{v}\n(pasted in #inc-4502 at {t}, message deleted at {t})", "rsa", ""),
    ("ssl_certificate_key /etc/nginx/tls/{svc}.key;  # file content:\n{v}", "ec", ""),
    ("  signing_key: |\n    {v}", "ec", "    "),
    ("openssl genrsa output kept in the runbook:\n{v}", "rsa", ""),
    ("github_deploy_key = <<EOT\n{v}\nEOT", "ssh", ""),
    ('TLS_PRIVATE_KEY = """\n{v}\n"""', "pk", ""),
    ("legacy bastion key:\n{v}", "dsa", ""),
]

GCP_SA = [
    '{\n  "type": "service_account",\n  "project_id": "acme-{ns}-prod",\n  "private_key_id": "'
    + "{kid}"
    + '",\n  "private_key": "{v}",\n  "client_email": "{svc}@acme-{ns}-prod.iam.gserviceaccount.com"\n}',
    'GOOGLE_CREDENTIALS=\'{"type":"service_account","private_key":"{v}","client_id":"1{n}"}\'',
    'sa-key.json (from the bucket): "private_key": "{v}",',
    'credentials_json = jsonencode({ private_key = "{v}", client_email = "ci@acme-{ns}.iam.gserviceaccount.com" })',
    '  "private_key": "{v}",\n  "token_uri": "https://oauth2.googleapis.com/token"',
    'echo \'{"private_key": "{v}"}\' > /tmp/gcp.json && gcloud auth activate-service-account --key-file /tmp/gcp.json',
]

AZURE = [
    (
        "DefaultEndpointsProtocol=https;AccountName=acme{ns}logs;AccountKey={v};EndpointSuffix=core.windows.net",
        azure_account_key,
    ),
    (
        "AzureWebJobsStorage: DefaultEndpointsProtocol=https;AccountName=fn{ns}{n};AccountKey={v}",
        azure_account_key,
    ),
    (
        "Endpoint=sb://acme-{ns}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}",
        azure_sas_key,
    ),
    (
        "EVENTHUB_CONN=Endpoint=sb://telemetry-{ns}.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={v};EntityPath=events",
        azure_sas_key,
    ),
    (
        "$ az storage blob upload --account-name acme{ns}backups --account-key {v} -c dumps -f {db}.sql.gz",
        azure_account_key,
    ),
    ("$ az login --service-principal -u {uuid} -p {v} --tenant {uuid2}", azure_client_secret),
    ("AccountEndpoint=https://acme-{ns}.documents.azure.com:443/;AccountKey={v};", azure_account_key),
    (
        "sas: https://acme{ns}.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01&sig={v}",
        lambda: b64(rbytes(32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"),
    ),
]


def common_secrets() -> list[tuple[str, str, str]]:
    out = []
    k = 0
    for name, desc, typ, gen in CREDS:
        for _ in range(6):
            v = gen()
            key = name.lower()
            out.append((typ, fill(PLACES[k % len(PLACES)], v=v, name=name, desc=desc, key=key), v))
            k += 7  # stride through the documents so one credential meets several voices
    for tpl, gen in CONN:
        v = gen()
        typ = "password-in-url" if PW_TYPE["password-in-url"].search(tpl) else "password-assignment"
        out.append((typ, fill(tpl, v=v), v))
    for typ, tpl, gen in CURL:
        v = gen()
        out.append((typ, fill(tpl, v=v), v))
    for tpl in PW_ASSIGN:
        v = password()
        out.append(("password-assignment", fill(tpl, v=v), v))
    for tpl, kind, indent in KEYS:
        v = private_key(kind, indent)
        out.append(("private-key", fill(tpl, v=v), v))
    for tpl in GCP_SA:
        v = gcp_sa_key()
        out.append(("gcp-service-account-key", fill(tpl, v=v, kid=rs(HEX, 40)), v))
    for tpl, gen in AZURE:
        v = gen()
        out.append(("azure-key", fill(tpl, v=v, uuid=uuid4(), uuid2=uuid4()), v))
    return out


# ---------------------------------------------------------------------------- less common secrets
RARE = [
    ("vendor-token", "HF_TOKEN={v}  # pulled the model in the notebook", lambda: "hf_" + rs(ALNUM, 34)),
    ("vendor-token", "$ huggingface-cli login --token {v}", lambda: "hf_" + rs(ALNUM, 34)),
    ("vendor-token", "DATABRICKS_TOKEN={v}", lambda: "dapi" + rs(HEX, 32)),
    (
        "vendor-token",
        "databricks configure: host=https://adb-{n}.azuredatabricks.net token={v}",
        lambda: "dapi" + rs(HEX, 32) + "-2",
    ),
    ("vendor-token", "export DIGITALOCEAN_ACCESS_TOKEN={v}", lambda: "dop_v1_" + rs(HEX, 64)),
    ("vendor-token", "doctl auth init --access-token {v}", lambda: "dop_v1_" + rs(HEX, 64)),
    ("vendor-token", "VAULT_TOKEN={v} vault kv get secret/{ns}/{svc}", lambda: "hvs." + rs(ALNUM + "_-", 24)),
    (
        "vendor-token",
        "vault login {v}\nSuccess! You are now authenticated.",
        lambda: "hvs.CAESI" + rs(ALNUM + "_-", 86),
    ),
    (
        "vendor-token",
        'credentials "app.terraform.io" {\n  token = "{v}"\n}',
        lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67),
    ),
    (
        "vendor-token",
        "ATLASSIAN_API_TOKEN={v}",
        lambda: "ATATT3xFfGF0" + rs(ALNUM + "-_", 170) + "=" + rs(UP + DIG, 8),
    ),
    (
        "vendor-token",
        "jira-cli: login {who}@acme.internal with token {v}",
        lambda: "ATATT3xFfGF0" + rs(ALNUM + "-_", 160) + "=" + rs(UP + DIG, 8),
    ),
    ("vendor-token", "LINEAR_API_KEY: {v}", lambda: "lin_api_" + rs(ALNUM, 40)),
    ("vendor-token", 'notion.Client(auth="{v}")', lambda: "secret_" + rs(ALNUM, 43)),
    ("vendor-token", "NOTION_TOKEN={v}", lambda: "ntn_" + rs(DIG, 11) + rs(ALNUM, 35)),
    (
        "vendor-token",
        'x-api-key: {v}  (Postman export, collection "ops")',
        lambda: f"PMAK-{rs(HEX, 24)}-{rs(HEX, 34)}",
    ),
    ("vendor-token", "GRAFANA_SA_TOKEN={v}", lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8)),
    ("vendor-token", "grafana cloud access policy token: {v}", lambda: "glc_" + rs(B64, 120) + "=="),
    ("vendor-token", "NEW_RELIC_API_KEY={v}", lambda: "NRAK-" + rs(UP + DIG, 27)),
    ("vendor-token", "newrelic.ini: license_key = {v}", lambda: rs(HEX, 36) + "NRAL"),
    ("vendor-token", "Authorization: SSWS {v}", lambda: "00" + rs(ALNUM + "-_", 40)),
    ("vendor-token", "MAILCHIMP_KEY={v}", lambda: rs(HEX, 32) + "-us" + str(rng.randint(2, 21))),
    ("vendor-token", "OPENAI_API_KEY={v}", lambda: "sk-proj-" + rs(B64URL, 48) + "T3BlbkFJ" + rs(B64URL, 48)),
    (
        "vendor-token",
        'client = OpenAI(api_key="{v}")',
        lambda: "sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20),
    ),
    ("vendor-token", "ANTHROPIC_API_KEY: {v}", lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA"),
    ("vendor-token", "//registry.npmjs.org/:_authToken={v}", lambda: "npm_" + rs(ALNUM, 36)),
    (
        "vendor-token",
        "[pypi]\nusername = __token__\npassword = {v}",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 150),
    ),
    (
        "vendor-token",
        "echo {v} | docker login -u acmebot --password-stdin",
        lambda: "dckr_pat_" + rs(B64URL, 27),
    ),
    ("vendor-token", "SENDGRID_API_KEY={v}", lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43)),
    ("vendor-token", "twilio: auth token for the notifications subaccount is {v}", lambda: rs(HEX, 32)),
    ("vendor-token", "TWILIO_API_SECRET={v}", lambda: rs(ALNUM, 32)),
    ("vendor-token", "DD_APP_KEY={v}", lambda: rs(HEX, 40)),
    ("vendor-token", "datadog-agent.yaml: api_key: {v}", lambda: rs(HEX, 32)),
    (
        "vendor-token",
        "SENTRY_AUTH_TOKEN={v}",
        lambda: (
            "sntrys_"
            + b64url(
                json.dumps(
                    {
                        "iat": rng.randint(1_700_000_000, 1_760_000_000),
                        "url": "https://sentry.io",
                        "org": "acme",
                    }
                ).encode()
            )
            + "_"
            + rs(B64URL, 43)
        ),
    ),
    ("vendor-token", "SHOPIFY_ADMIN_TOKEN={v}", lambda: "shpat_" + rs(HEX, 32)),
    ("vendor-token", "shopify app secret: {v}", lambda: "shpss_" + rs(HEX, 32)),
    ("vendor-token", "TELEGRAM_BOT_TOKEN={v}", lambda: f"{rng.randint(10**8, 10**10)}:AA{rs(B64URL, 33)}"),
    (
        "vendor-token",
        "discord bot: client.login('{v}')",
        lambda: rs(ALNUM, 24) + "." + rs(B64URL, 6) + "." + rs(B64URL, 38),
    ),
    (
        "vendor-token",
        "FCM server key (legacy): {v}",
        lambda: "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134),
    ),
    (
        "vendor-token",
        "MAPBOX_SECRET_TOKEN={v}",
        lambda: "sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6I" + rs(B64URL, 20) + "." + rs(B64URL, 22),
    ),
    ("vendor-token", "ALGOLIA_ADMIN_API_KEY={v}", lambda: rs(HEX, 32)),
    ("vendor-token", "AZURE_DEVOPS_PAT={v}", lambda: rs("abcdefghijklmnopqrstuvwxyz234567", 52)),
    ("vendor-token", "artifactory: X-JFrog-Art-Api: {v}", lambda: "AKCp" + rs(ALNUM, 69)),
    ("vendor-token", "NETLIFY_AUTH_TOKEN={v}", lambda: "nfp_" + rs(ALNUM, 36)),
    ("vendor-token", "fly secrets set FLY_API_TOKEN={v}", lambda: "fo1_" + rs(B64URL, 43)),
    ("vendor-token", "SUPABASE_ACCESS_TOKEN={v}", lambda: "sbp_" + rs(HEX, 40)),
    ("vendor-token", "TS_AUTHKEY={v}", lambda: f"tskey-auth-k{rs(ALNUM, 10)}CNTRL-{rs(ALNUM, 33)}"),
    ("vendor-token", "ngrok config add-authtoken {v}", lambda: "2" + rs(ALNUM, 26) + "_" + rs(ALNUM, 21)),
    ("vendor-token", "BUILDKITE_API_TOKEN={v}", lambda: "bkua_" + rs(HEX, 40)),
    ("vendor-token", "PULUMI_ACCESS_TOKEN={v}", lambda: "pul-" + rs(HEX, 40)),
    ("vendor-token", "DOPPLER_TOKEN={v}", lambda: "dp.st.prd." + rs(ALNUM, 43)),
    ("vendor-token", "CLOUDFLARE_API_TOKEN={v}", lambda: rs(B64URL, 40)),
    ("vendor-token", "PLANETSCALE_PASSWORD={v}", lambda: "pscale_pw_" + rs(B64URL, 43)),
    ("vendor-token", "square: access_token={v}", lambda: "EAAA" + rs(B64URL, 60)),
    (
        "vendor-token",
        "BRAINTREE_ACCESS_TOKEN={v}",
        lambda: f"access_token$production${rs(LOW + DIG, 16)}${rs(HEX, 32)}",
    ),
    (
        "vendor-token",
        "AGE key file:\n# public key: age1{pub}\n{v}",
        lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
    ),
    ("vendor-token", "[Interface]\nAddress = 10.66.0.2/32\nPrivateKey = {v}", lambda: b64(rbytes(32))),
    ("vendor-token", "otpauth://totp/acme:breakglass?secret={v}&issuer=acme", lambda: rs(B32, 32)),
    (
        "vendor-token",
        "  data:\n    api-key: {v}   # kubectl get secret -o yaml",
        lambda: b64(("key-" + rs(ALNUM, 24)).encode()),
    ),
    ("vendor-token", "ansible-vault password file contains: {v}", password),
    ("vendor-token", "snmp community string set to {v} on the core switches", lambda: rs(ALNUM, 16)),
    ("vendor-token", "LAUNCHDARKLY_SDK_KEY={v}", lambda: "sdk-" + uuid4()),
    ("vendor-token", "ADYEN_API_KEY={v}", lambda: "AQE" + rs(B64URL, 90)),
    ("aws-key", "aws_session_token = {v}", lambda: "IQoJb3JpZ2luX2VjE" + rs(B64, 300) + "=="),
    (
        "gcp-key",
        "Authorization: Bearer {v}  (gcloud auth print-access-token)",
        lambda: "ya29.a0" + rs(B64URL, 140),
    ),
    (
        "private-key",
        "gpg --export-secret-keys output:\n{v}",
        lambda: (
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"
            + "\n".join(rs(B64, 64) for _ in range(6))
            + "\n="
            + rs(B64, 4)
            + "\n-----END PGP PRIVATE KEY BLOCK-----"
        ),
    ),
    (
        "private-key",
        "deploy.ppk:\n{v}",
        lambda: (
            "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n"
            + rs(B64, 64)
            + "\n"
            + rs(B64, 40)
            + "\nPrivate-Lines: 2\n"
            + rs(B64, 64)
            + "\n"
            + rs(B64, 44)
            + "\nPrivate-MAC: "
            + rs(HEX, 64)
        ),
    ),
]


def rare_secrets() -> list[tuple[str, str, str]]:
    out = []
    for typ, tpl, gen in RARE:
        v = gen()
        out.append((typ, fill(tpl, v=v, pub=rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)), v))
    return out


# ---------------------------------------------------------------------------- personal data
MAIL_PLACES = [
    "Customer {v} called from the airport; their order was charged three times during the replay storm.",
    '| {t} | support | ticket #{n} opened by {v} ("double charge, again") |',
    "{ts} INFO {svc} sending receipt to={v} order_id=ord_{sha7}",
    "SELECT id, status FROM users WHERE email = '{v}';",
    '{"event":"password_reset_requested","email":"{v}","ip":"{pip}"}',
    "Affected accounts (sample): {v}",
    "From: {v}\nSubject: Re: why was I charged 3x?",
    "Reporter: {v} (external, not a customer)",
    'payload.billing_details.email = "{v}"',
    "{who}: I DMed {v} to apologise, they're fine with a refund",
    "  email           | {v}\n  created_at      | {ts}",
    "WARN mailer bounce: {v} (550 mailbox unavailable)",
    "> customer_email: {v}",
    "git log shows the fixture was committed with a real address: {v}",
    "ERROR unique constraint violated: duplicate key (email)=({v})",
    'Export row 214: "{v}","DE","premium"',
    "Slack #support, {t}: can someone check the account for {v}?",
    "?email={v}&utm_source=receipt",
]
PHONE_PLACES = [
    "Customer rang from {v} to report the duplicate charge.",
    "| {t} | support | callback requested, number {v} |",
    "{ts} INFO sms-gateway send to={v} template=otp status=queued",
    'phone_number: "{v}"',
    "UPDATE accounts SET phone = '{v}' WHERE id = {n};",
    "{who}: the merchant's on-site contact is {v}, call before 9",
    "Twilio webhook: From={v}&Body=STOP",
    "  phone           | {v}",
    "Escalation: store manager, mobile {v}",
    '{"msisdn": "{v}", "carrier": "lookup-pending"}',
    "Left a voicemail on {v} at {t}.",
    "ERROR otp.verify failed for {v}: code expired",
    "Contact sheet row: night shift lead / {v}",
    "push-gateway fell back to SMS for {v}",
    "Caller ID {v} flagged by the fraud team",
    "--data-urlencode 'To={v}'",
]
CARD_PLACES = [
    "{ts} DEBUG {svc} charge request pan={v} exp=09/28 amount=4200",
    "Customer read the full card number {v} to the agent over the phone; it is in the call notes.",
    "INSERT INTO payment_attempts (card_number, amount) VALUES ('{v}', 1999);",
    '{"card": {"number": "{v}", "exp_month": 4}}',
    "| {t} | fraud | card {v} used from three countries in one hour |",
    "Example of what leaked into the logs: cc={v}",
    "  card_number     | {v}",
    "Stack trace frame locals: card_no = '{v}'",
    'form field "ccnum" was logged by the WAF: {v}',
    "card_pan: {v}  # from the support macro",
    "Refund issued to {v} by {who}",
    "audit.log: tokenisation skipped for {v} (vault timeout)",
]
IP4_PLACES = [
    "{ts} WARN {svc} rate limit exceeded for client {v} (412 req/s)",
    '{v} - - [04/Dec/2026:{t}:11 +0000] "POST /webhooks/stripe HTTP/1.1" 429 0',
    "| {t} | sec | blocked {v} at the edge after the credential-stuffing burst |",
    "X-Forwarded-For: {v}, {pip}",
    "The customer's home IP ({v}) appears in every failed login.",
    "aws ec2 authorize-security-group-ingress --group-id sg-0{sha7}a1b2 --protocol tcp --port 22 --cidr {v}/32",
    "fail2ban: Ban {v}",
    "geoip lookup {v}: NL, AS1136",
    'client_ip="{v}" user_agent="okhttp/4.12.0"',
    "allowlisted the partner's egress {v} in the WAF",
    "Accepted publickey for deploy from {v} port {pid} ssh2",
    '{"remote_addr": "{v}", "path": "/login"}',
]
IP6_PLACES = [
    "{ts} WARN {svc} login throttled for {v}",
    "X-Real-IP: {v}",
    "deny {v};  # nginx, added during the incident",
    "session started from [{v}]:{pid}",
    "The attacker rotated through addresses like {v}.",
    "remote_ip={v} path=/api/export status=403",
]
NID_PLACES = [
    ("national-id", "{ts} INFO kyc-check submitted ssn={v} result=pending", ssn),
    ("national-id", "The support macro pasted the customer's SSN {v} into the ticket.", ssn),
    ("national-id", "  tax_id          | {v}", ssn),
    ("national-id", "HMRC form field NINO: {v}", nino),
    ("national-id", 'payroll export row: "{v}","basic rate"', nino),
    ("national-id", "National Insurance number {v} was logged by the onboarding service.", nino),
    ("iban", "payout to IBAN {v} failed: beneficiary name mismatch", lambda: iban("DE")),
    ("iban", '{"iban": "{v}", "currency": "GBP"}', lambda: iban("GB")),
    ("iban", "Refund manually sent to {v} by {who}.", lambda: iban("DE")),
]


def common_personal() -> list[tuple[str, str, str]]:
    out = []
    for tpl in MAIL_PLACES:
        v = email()
        out.append(("email", fill(tpl, v=v), v))
    for i, tpl in enumerate(PHONE_PLACES):
        v = us_phone(i // 2) if i % 2 == 0 else uk_phone(i // 2)
        out.append(("phone", fill(tpl, v=v), v))
    for tpl in CARD_PLACES:
        v = card()
        out.append(("credit-card", fill(tpl, v=v), v))
    for tpl in IP4_PLACES:
        v = public_v4()
        out.append(("ipv4", fill(tpl, v=v), v))
    return out


def rare_personal() -> list[tuple[str, str, str]]:
    out = []
    for tpl in IP6_PLACES:
        v = public_v6()
        out.append(("ipv6", fill(tpl, v=v), v))
    for typ, tpl, gen in NID_PLACES:
        v = gen()
        out.append((typ, fill(tpl, v=v), v))
    return out


# ---------------------------------------------------------------------------- negatives
def arn() -> str:
    acct = rs(DIG, 12)
    return rng.choice(
        [
            f"arn:aws:iam::{acct}:role/{rng.choice(SVCS)}-deployer",
            f"arn:aws:s3:::acme-{rng.choice(NSS)}-artifacts",
            f"arn:aws:secretsmanager:eu-west-1:{acct}:secret:prod/{rng.choice(SVCS)}-{rs(ALNUM, 6)}",
            f"arn:aws:kms:us-east-1:{acct}:key/{uuid4()}",
            f"arn:aws:lambda:eu-central-1:{acct}:function:{rng.choice(SVCS)}",
        ]
    )


def ssh_pub() -> str:
    return (
        rng.choice(
            [
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43),
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + rs(B64, 340),
            ]
        )
        + f" {rng.choice(ONCALL)}@laptop"
    )


def cert() -> str:
    return (
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(["MIID" + rs(B64, 60)] + [rs(B64, 64) for _ in range(5)] + [rs(B64, 20) + "=="])
        + "\n-----END CERTIFICATE-----"
    )


def pubkey() -> str:
    return (
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
        + rs(B64, 28)
        + "\n"
        + rs(B64, 60)
        + "==\n-----END PUBLIC KEY-----"
    )


# (type, places, generator): each generator is used once per place, so values never repeat
NEG_PLACES = [
    (
        "git-sha",
        [
            "$ git revert {v}",
            'Root cause introduced in {v} ("drop idempotency key check").',
            "| {t} | deploy | rolled back to {v} |",
            "image built from commit {v}",
            "git bisect: {v} is the first bad commit",
            "Merge pull request #{n} from acme/fix-replay-dedupe ({v})",
            "argocd app sync {svc} --revision {v}",
            "uses: actions/checkout@{v}  # pinned by SHA",
        ],
        sha40,
    ),
    (
        "git-sha",
        ["fixed in {v}", "cherry-picked as {v} onto release-4.2"],
        lambda: rs(HEX, rng.choice([7, 8, 12])),
    ),
    (
        "uuid",
        [
            "{ts} ERROR {svc} request_id={v} upstream timeout",
            "Tenant {v} was the only one affected.",
            "SELECT * FROM replays WHERE batch_id = '{v}';",
            "x-request-id: {v}",
            '  "correlationId": "{v}",',
            "Azure tenant id {v} (not a secret; shown in the portal)",
            "client_id: {v}   # public, the secret lives in Key Vault",
            "idempotency key {v} was reused 1,240 times",
            "DELETE FROM outbox WHERE message_id = '{v}';",
            "Grafana dashboard uid {v}",
            "PagerDuty dedup_key {v}",
        ],
        uuid4,
    ),
    (
        "hash-or-digest",
        [
            "image: registry.acme.internal/{svc}@sha256:{v}",
            "sha256sum release.tar.gz\n{v}  release.tar.gz",
            '"integrity_sha256": "{v}"',
            "checksum mismatch: expected {v}",
            "layer sha256:{v} already exists",
            "git lfs pointer:\nversion https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 48213",
            "cosign verify: digest {v} OK",
        ],
        lambda: rs(HEX, 64),
    ),
    (
        "hash-or-digest",
        ['"integrity": "{v}"', "resolved lockfile entry, integrity {v}"],
        lambda: "sha512-" + b64(rbytes(64)),
    ),
    ("hash-or-digest", ["md5 of the uploaded file: {v}", 'ETag: "{v}"'], lambda: rs(HEX, 32)),
    (
        "hash-or-digest",
        ['Terraform provider lock: "{v}",', "go.sum: golang.org/x/net v0.31.0 {v}"],
        lambda: "h1:" + b64(rbytes(32)),
    ),
    (
        "trace-id",
        [
            "traceparent: 00-{v}-{span}-01",
            "trace {v} shows the retry loop in Tempo",
            "{ts} WARN {svc} trace_id={v} span_id={span} slow query",
            "Honeycomb query link for trace.trace_id = {v}",
            "dd.trace_id={v}",
            '{"trace_id":"{v}","level":"error","msg":"duplicate delivery"}',
            "Jaeger: {v} (1,204 spans)",
        ],
        lambda: rs(HEX, 32),
    ),
    (
        "trace-id",
        ["X-Amzn-Trace-Id: {v}", "X-Ray trace {v} shows the Lambda cold start"],
        lambda: f"Root=1-{rs(HEX, 8)}-{rs(HEX, 24)}",
    ),
    (
        "cloud-resource-id",
        [
            "Role assumed: {v}",
            "aws secretsmanager get-secret-value --secret-id {v}",
            "  Resource: {v}",
            "KMS key {v} scheduled for deletion (cancelled)",
            "policy attached to {v}",
            "Security Hub finding resource: {v}",
            "CloudTrail: API call on {v} from the CI account",
        ],
        arn,
    ),
    (
        "cloud-resource-id",
        [
            "terminated {v} after the health check flapped",
            "aws ec2 describe-instances --instance-ids {v}",
            "Instance {v} was the noisy neighbour",
            "node {v} drained and replaced",
        ],
        lambda: "i-0" + rs(HEX, 16),
    ),
    (
        "cloud-resource-id",
        [
            "security group {v} allowed 0.0.0.0/0 on 5432 for 40 minutes",
            "vpc {v} peering was deleted by the cleanup job",
        ],
        lambda: rng.choice(["sg-0", "vpc-0", "subnet-0"]) + rs(HEX, 16),
    ),
    (
        "cloud-resource-id",
        ["GCP project number {v}", "Azure subscription {v} (prod-payments)"],
        lambda: rs(DIG, 12) if rng.random() < 0.5 else uuid4(),
    ),
    (
        "cloud-resource-id",
        ["AWS account {v} (prod)", "cross-account access from {v} was removed"],
        lambda: rs(DIG, 12),
    ),
    (
        "ids-and-numbers",
        ["Order {v} was charged three times.", "| {t} | support | refund for order {v} approved |"],
        lambda: f"{rng.randint(200, 989)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
    ),
    (
        "ids-and-numbers",
        ["Invoice {v} regenerated after the fix.", "credit note issued against {v}"],
        lambda: f"INV-2026-{rs(DIG, 6)}",
    ),
    (
        "ids-and-numbers",
        ["Stripe event {v} was delivered 1,240 times.", "stripe events resend {v}"],
        lambda: "evt_" + rs(ALNUM, 24),
    ),
    (
        "ids-and-numbers",
        ["payment intent {v} stuck in processing", "capture retried for {v}"],
        lambda: "pi_" + rs(ALNUM, 24),
    ),
    ("ids-and-numbers", ["request {v} in the Stripe dashboard"], lambda: "req_" + rs(ALNUM, 14)),
    (
        "ids-and-numbers",
        ["Jira {v}: add idempotency keys to the replayer", "follow-up tracked in {v}"],
        lambda: f"PAY-{rng.randint(100, 9999)}",
    ),
    (
        "ids-and-numbers",
        ["epoch ms {v} is when the first duplicate landed", "kafka offset {v} on partition 7"],
        lambda: str(rng.randint(1_760_000_000_000, 1_790_000_000_000)),
    ),
    (
        "ids-and-numbers",
        [
            "Zendesk ticket {v}",
            "merchant id {v}",
            "PR #{v} reverted",
            "GitHub Actions run {v} re-run with debug logging",
        ],
        lambda: str(rng.randint(10**6, 10**8)),
    ),
    ("ids-and-numbers", ["Stripe customer {v} received three receipts"], lambda: "cus_" + rs(ALNUM, 14)),
    ("ids-and-numbers", ["subscription {v} paused by support"], lambda: "sub_" + rs(ALNUM, 24)),
    (
        "ids-and-numbers",
        ["shipment {v} left the warehouse twice", "RMA {v} opened for the broken terminal"],
        lambda: f"{rs(UP, 2)}{rs(DIG, 9)}{rs(UP, 2)}",
    ),
    (
        "luhn-fail-number",
        [
            "gift card {v} was rejected (bad check digit)",
            "loyalty number {v} in the export",
            "tracking number {v} for the replacement terminal",
            "SIM ICCID-like serial {v}",
            "batch settlement reference {v}",
            "| {t} | finance | reconciliation id {v} |",
        ],
        luhn_bad16,
    ),
    (
        "luhn-fail-number",
        ["test fixture PAN {v} fails Luhn on purpose", "parcel {v} delayed"],
        lambda: grouped(luhn_bad16()),
    ),
    (
        "private-or-reserved-ip",
        [
            "{ts} ERROR {svc} dial tcp {v}:5432: connect: connection refused",
            "pgbouncer moved to {v}",
            "| {t} | net | {v} stopped answering ARP |",
            "  host: {v}",
            "ssh -J bastion ubuntu@{v}",
            "node_ip={v} kubelet not ready",
            "redis-sentinel: +switch-master mymaster {v} 6379",
            "nameserver {v}",
        ],
        priv_ip,
    ),
    (
        "private-or-reserved-ip",
        ["pod IP {v} came from the CGNAT-range overlay", "tailscale peer {v}"],
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
    ),
    (
        "private-or-reserved-ip",
        ["the docs example address {v} was in the alert text", "runbook example: allow {v} on the firewall"],
        lambda: rng.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(rng.randint(1, 254)),
    ),
    (
        "private-or-reserved-ip",
        ["address {v} assigned to the mesh interface", "ping6 {v}: neighbour reachable"],
        lambda: rng.choice(
            [
                f"fd{rs(HEX, 2)}:{rs(HEX, 4)}::{rs(HEX, 3)}",
                f"fe80::{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}",
                f"2001:db8:{rs(HEX, 3)}::{rs(HEX, 2)}",
            ]
        ),
    ),
    (
        "private-or-reserved-ip",
        ['cidr_blocks = ["{v}"]', "route {v} via the transit gateway"],
        lambda: rng.choice(
            [
                f"10.{rng.randint(0, 255)}.0.0/16",
                f"172.{rng.randint(16, 31)}.0.0/12",
                f"192.168.{rng.randint(0, 255)}.0/24",
            ]
        ),
    ),
    (
        "example-email",
        [
            "pager alias {v} got the page",
            "From: {v}",
            "set ALERT_TO={v} in the chart",
            "Contact {v} for access.",
            "git config user.email {v}",
            "Reply-To: {v}",
            "  notify: [{v}]",
        ],
        lambda: (
            rng.choice(["oncall", "payments-alerts", "security", "noreply", "dba-team", "billing"])
            + "@"
            + rng.choice(["example.com", "example.org", "acme.example", "mail.test", "example.net"])
        ),
    ),
    (
        "version-or-date",
        [
            "upgraded {svc} to {v}",
            "pinned the client library at {v}",
            "| {t} | deploy | {svc} {v} rolled out to 10% |",
            "image tag {v}",
            "helm upgrade {svc} ./chart --version {v}",
            "SDK bumped from {v} to the next minor",
        ],
        lambda: rng.choice(
            [
                f"v{rng.randint(1, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 12)}",
                f"{rng.randint(1, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}-rc.{rng.randint(1, 5)}",
                f"1.{rng.randint(26, 31)}.{rng.randint(0, 9)}-eks-{rs(HEX, 7)}",
            ]
        ),
    ),
    (
        "version-or-date",
        [
            "Incident start {v}",
            "detected at {v}, mitigated 41 minutes later",
            "certificate notAfter={v}",
            "last_rotated: {v}",
        ],
        iso,
    ),
    (
        "public-key-or-cert",
        ["authorized_keys entry added for the bastion:\n{v}", "Deploy key (public half, safe to share): {v}"],
        ssh_pub,
    ),
    ("public-key-or-cert", ["ca.crt:\n{v}", "The expired intermediate was:\n{v}"], cert),
    ("public-key-or-cert", ["JWT verification key:\n{v}"], pubkey),
    ("public-key-or-cert", ["[Peer]\nPublicKey = {v}\nAllowedIPs = 10.66.0.0/24"], lambda: b64(rbytes(32))),
    (
        "public-key-or-cert",
        ["age recipient (public): {v}", "sops .sops.yaml: age: {v}"],
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
    ),
    (
        "base64-nonsecret",
        ["pagination cursor {v} returned the same page twice", "next_token={v}", "?after={v}&limit=50"],
        lambda: b64(json.dumps({"offset": rng.randint(100, 9000), "order": "asc"}).encode()),
    ),
    (
        "base64-nonsecret",
        ["configmap data:\n  FEATURE_FLAGS: {v}", "echo {v} | base64 -d   # prints the region list"],
        lambda: b64(rng.choice([b"replay=false,batch=50", b"eu-west-1,eu-central-1", b"log_level=info"])),
    ),
    (
        "resource-name",
        [
            "pod {v} OOMKilled",
            "kubectl -n {ns} logs {v} --previous",
            "| {t} | k8s | {v} CrashLoopBackOff |",
            "evicted {v} (node pressure)",
        ],
        lambda: f"{rng.choice(SVCS)}-{rs(HEX, 9)[:9]}-{rs(LOW + DIG, 5)}",
    ),
    (
        "resource-name",
        ["bucket {v} had public-read", "aws s3 ls s3://{v}/builds/"],
        lambda: f"acme-{rng.choice(NSS)}-{rng.choice(['artifacts', 'exports', 'tfstate'])}-{rs(DIG, 4)}",
    ),
    (
        "resource-name",
        ["Key Vault {v} soft-delete enabled", "Vault path {v} now holds the DB creds"],
        lambda: rng.choice(
            [f"kv-{rng.choice(NSS)}-prod-{rs(LOW, 3)}", f"secret/data/{rng.choice(NSS)}/{rng.choice(SVCS)}"]
        ),
    ),
]

NEG_FIXED = [  # hand-written look-alikes with a fixed value
    (
        "vendor-example-key",
        "aws configure example from the AWS docs: AWS Access Key ID [None]: {v}",
        "AKIAIOSFODNN7EXAMPLE",
    ),
    (
        "vendor-example-key",
        "Docs snippet (not ours): aws_secret_access_key = {v}",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "vendor-example-key",
        "The linter flagged {v}, which is the AWS documentation key.",
        "AKIAI44QH8DHBEXAMPLE",
    ),
    (
        "vendor-example-key",
        "example secret from the IAM guide: {v}",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    ),
    (
        "vendor-example-key",
        "Stripe docs test card {v} (Visa, always succeeds) is the only card used in staging.",
        "4242 4242 4242 4242",
    ),
    ("placeholder", "Authorization: Bearer {v}", "<YOUR_API_TOKEN>"),
    ("placeholder", "export GITHUB_TOKEN={v}", "<paste-token-here>"),
    ("placeholder", "STRIPE_API_KEY={v}  # fill in from 1Password", "sk_live_..."),
    ("placeholder", "DATABASE_URL=postgres://app:{v}@pg-primary.payments.internal/ledger", "PASSWORD"),
    ("placeholder", "curl -u admin:{v} http://localhost:15672/api/overview", "$RABBIT_PASS"),
    ("placeholder", "aws_access_key_id = {v}", "AKIA................"),
    ("placeholder", "SLACK_BOT_TOKEN={v}", "xoxb-your-token"),
    ("placeholder", "password: {v}  # example only; real value comes from Vault", "changeme-example"),
    ("placeholder", 'api_key: "{v}"', "YOUR_API_KEY_HERE"),
    ("placeholder", "mongodb+srv://<user>:{v}@cluster0.mongodb.net/test", "<password>"),
    (
        "placeholder",
        "-----BEGIN RSA PRIVATE KEY-----\n{v}\n-----END RSA PRIVATE KEY-----",
        "...key material removed from this document...",
    ),
    ("placeholder", "GOOGLE_API_KEY={v}", "AIza-your-key"),
    ("placeholder", 'token = "{v}"  # replace before running', "TODO"),
    (
        "secret-reference",
        "LEDGER_DB_PASSWORD={v}  # expanded by envsubst at start-up",
        "${LEDGER_DB_PASSWORD}",
    ),
    ("secret-reference", "password: {v}", "{{ .Values.postgresql.auth.password }}"),
    ("secret-reference", "token: {v}", "${{ secrets.DEPLOY_TOKEN }}"),
    (
        "secret-reference",
        "env:\n  - name: STRIPE_API_KEY\n    valueFrom:\n      secretKeyRef:\n        name: {v}\n        key: api-key",
        "stripe-live",
    ),
    ("secret-reference", 'export VAULT_TOKEN="{v}"', "$(vault print token)"),
    (
        "secret-reference",
        "  master_password = {v}",
        "data.aws_secretsmanager_secret_version.ledger.secret_string",
    ),
    ("secret-reference", "SLACK_WEBHOOK_URL={v}", "op://ops/slack-alerts/webhook"),
    ("secret-reference", "client_secret: {v}", "vault:secret/data/payments/oauth#client_secret"),
    ("secret-reference", 'api_key = os.environ["{v}"]', "DD_API_KEY"),
    ("secret-reference", 'PGPASSWORD="{v}" psql -h pg-primary.core.internal', "$(cat /run/secrets/pg)"),
    (
        "secret-reference",
        "AZURE_CLIENT_SECRET={v}",
        "@Microsoft.KeyVault(SecretUri=https://kv-core-prod.vault.azure.net/secrets/sp-secret/)",
    ),
    ("secret-reference", "GOOGLE_APPLICATION_CREDENTIALS={v}", "/var/run/secrets/gcp/sa.json"),
    ("masked-value", "STRIPE_API_KEY={v}", "sk_live_************************"),
    ("masked-value", "password: {v}", "********"),
    ("masked-value", "GITHUB_TOKEN={v} (masked by Actions)", "***"),
    ("masked-value", "> Authorization: Bearer {v}\n> X-Request-Source: replayer", "[REDACTED]"),
    ("masked-value", "the leaked key ended in {v}; rotated", "…Q7xF"),
    ("masked-value", "aws_secret_access_key = {v}", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ("masked-value", "card ending {v} was charged three times", "**** **** **** 4417"),
    ("masked-value", "DATABASE_URL=postgres://app:{v}@pg-primary.core.internal/orders", "****"),
    ("keyword-no-value", "| {t} | {v} |", "DB password rotated; all pods restarted"),
    ("keyword-no-value", "{v}", "Action item: stop passing the token on the command line."),
    ("keyword-no-value", "ERROR auth: {v}", 'password authentication failed for user "ledger_app"'),
    ("keyword-no-value", "{v}", "The API key was valid for 90 days and nobody owned its rotation."),
    ("keyword-no-value", "WARN {v}", "secret key not set, falling back to IAM role"),
    ("keyword-no-value", "{v}", "Rotate the Stripe webhook secret and the Slack bot token (done)."),
    ("keyword-no-value", "{v}", "private_key_id is not sensitive on its own, but the JSON file is."),
    ("keyword-no-value", "Prompt: {v}", "Enter PEM pass phrase:"),
    ("keyword-no-value", "{v}", "Password policy: 16+ characters, rotated every 90 days."),
    ("keyword-no-value", "{v}", "token_type=bearer expires_in=3600"),
    ("keyword-no-value", "{v}", "ssh: handshake failed: no supported methods remain (publickey,password)"),
    (
        "keyword-no-value",
        "{v}",
        "Decision: credentials are never stored in CI variables; runners get them through OIDC.",
    ),
    ("keyword-no-value", "{v}", "The researcher confirmed they deleted their copy of the credentials."),
    (
        "placeholder",
        "SLACK_WEBHOOK_URL={v}  # the URL format from Slack's docs",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    ),
    ("placeholder", "redis-cli -a {v} ping", "'<redis-password>'"),
    (
        "placeholder",
        "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey={v}",
        "<account-key>",
    ),
    ("placeholder", "ssh-keygen output goes to {v}; never paste the private half here", "~/.ssh/id_ed25519"),
    (
        "placeholder",
        '"private_key": "{v}",',
        "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n",
    ),
    (
        "secret-reference",
        "{v}",
        "aws secretsmanager get-secret-value --secret-id prod/ledger/db --query SecretString",
    ),
    ("secret-reference", "password_file: {v}", "/etc/pgbouncer/userlist.txt"),
    ("secret-reference", "STRIPE_API_KEY: {v}", "!vault |\n  $ANSIBLE_VAULT;1.1;AES256"),
    (
        "private-or-reserved-ip",
        "the SSRF reached http://{v}/latest/meta-data/ before the IMDSv2 hop limit stopped it",
        "169.254.169.254",
    ),
    ("private-or-reserved-ip", "healthcheck: http://{v}:8080/ready", "127.0.0.1"),
    ("private-or-reserved-ip", "listen_addresses = '{v}'", "0.0.0.0"),
    ("private-or-reserved-ip", "bind [{v}]:9090", "::1"),
    ("keyword-no-value", "{v}", "We found the token because the scanner alerted within four minutes."),
    ("keyword-no-value", "{v}", "Secret rotation runbook: RB-12, section 3."),
    ("keyword-no-value", "ERROR {v}", "401 Unauthorized: invalid api key"),
    (
        "keyword-no-value",
        "{v}",
        "The AWS access key belonged to a CI user that had been deleted from the org chart but not from IAM.",
    ),
    ("keyword-no-value", "{v}", "credentials: none (uses the instance profile)"),
    ("keyword-no-value", "| {t} | {v} |", "Stripe key rolled; old key expires in 12h"),
    ("masked-value", "{v} (GitLab shows the last four only)", "glpat-****************ab3Z"),
    ("masked-value", "SSN on file: {v}", "***-**-6712"),
    ("masked-value", "phone: {v}", "+44 7700 9•• •••"),
    ("example-email", "Example in the ADR: alerts go to {v}", "team@example.com"),
    ("non-secret-config", "AWS_REGION={v}", "eu-west-1"),
    ("non-secret-config", "session_cookie_secure: {v}", "true"),
    ("non-secret-config", "KEY_ROTATION_DAYS={v}", "90"),
    ("non-secret-config", "auth_method = {v}", "scram-sha-256"),
    ("non-secret-config", "PASSWORD_MIN_LENGTH={v}", "16"),
    ("non-secret-config", "token_ttl: {v}", "15m"),
    ("non-secret-config", "ssl_key_file = {v}", "/etc/ssl/private/server.key"),
    ("non-secret-config", "secret_name: {v}", "payments-db-credentials"),
    ("non-secret-config", "jwt:\n  algorithm: {v}\n  issuer: auth.acme.internal", "RS256"),
    ("non-secret-config", "  password_encryption: {v}", "scram-sha-256 # postgresql.conf"),
    ("non-secret-config", "STRIPE_PUBLISHABLE_MODE={v}", "live"),
    ("non-secret-config", "OAUTH_SCOPES={v}", "repo,read:org,workflow"),
    ("non-secret-config", "api_key_header: {v}", "X-Api-Key"),
    ("non-secret-config", "--token-file={v}", "/var/run/secrets/kubernetes.io/serviceaccount/token"),
    ("non-secret-config", "hashing: {v}", "argon2id m=65536,t=3,p=4"),
]


def negatives() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    common, rare = [], []
    rare_types = {"public-key-or-cert", "base64-nonsecret", "non-secret-config", "resource-name", "trace-id"}
    for typ, places, gen in NEG_PLACES:
        for tpl in places:
            v = gen()
            (rare if typ in rare_types else common).append((typ, fill(tpl, v=v, span=rs(HEX, 16)), v))
    for typ, tpl, v in NEG_FIXED:
        (rare if typ in rare_types else common).append((typ, fill(tpl, v=v), v))
    return common, rare


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|glpat-|glrt-|xox[bpa]-\d|hooks\.slack\.com/services/T"
    r"|[sr]k_live_[A-Za-z0-9]{10}|whsec_|AIza[0-9A-Za-z_-]{35}|GOCSPX-|npm_[A-Za-z0-9]{36}|SG\.[A-Za-z0-9_-]{22}\."
    r"|PRIVATE KEY-----(?:\n|\\n)[A-Za-z0-9]|PRIVATE KEY BLOCK|eyJ[A-Za-z0-9_-]{10,}\.eyJ|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}"
    r"|dapi[0-9a-f]{32}|dop_v1_|hvs\.|\.atlasv1\.|ATATT3|lin_api_|NRAK-|shp(?:at|ss)_|AccountKey=[A-Za-z0-9+/]{20}"
    r"|SharedAccessKey=[A-Za-z0-9+/]{20}|AGE-SECRET-KEY|ya29\.|pypi-AgE|Q~[A-Za-z0-9_.~-]{30}"
)
OK_MAIL = re.compile(
    r"@(example\.(com|org|net)|[\w.-]+\.example|[\w.-]+\.test|[\w.-]+\.internal|[\w.-]+\.iam\.gserviceaccount\.com)$"
)


def stray(text: str, rid: str, allow_secretish: bool = False) -> None:
    m = SECRETISH.search(text)
    assert allow_secretish or not m, (rid, m and m.group(0))
    for m in IPV4.finditer(text):
        assert not is_public_v4(m), (rid, m.group(0))
    for m in EMAILISH.finditer(text):
        assert OK_MAIL.search(m.group(0)), (rid, m.group(0))


def sanity(rows: list[dict], *, fold: str, id_prefix: str, id_digits: int, out: Path) -> None:
    check_rows(rows, fold=fold, id_prefix=id_prefix, types=TYPES, id_digits=id_digits)
    for r in rows:
        assert "{" + "v}" not in r["line"], r["id"]
        stray(r["line"].replace(r["value"], "\x00"), r["id"])
        if r["kind"] == N:
            stray(
                r["line"],
                r["id"],
                allow_secretish=r["type"] in {"placeholder", "masked-value", "vendor-example-key"},
            )
        digits = re.sub(r"\D", "", r["value"])
        if r["type"] == "credit-card":
            assert luhn_ok(digits) and 15 <= len(digits) <= 16, r["id"]
        if r["type"] == "luhn-fail-number":
            assert not luhn_ok(digits), r["id"]
        if r["type"] == "ipv4":
            assert is_public_v4(IPV4.fullmatch(r["value"])), r["id"]
        if r["type"] == "ipv6":
            assert not r["value"].lower().startswith(("2001:db8", "fd", "fe80")), r["id"]
        if r["type"] not in {"credit-card", "vendor-example-key"}:
            for m in CARDISH.finditer(r["line"]):
                d = re.sub(r"\D", "", m.group(0))
                assert not (luhn_ok(d) and d[0] in "3456"), ("luhn-valid look-alike", r["id"], m.group(0))
    check_unseen(rows, out)


# ---------------------------------------------------------------------------- build
def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = (common_secrets(), common_personal(), rare_secrets(), rare_personal(), *negatives())
    write_fold(sections, fold=FOLD, id_prefix=ID_PREFIX, out=OUT, check=sanity)


if __name__ == "__main__":
    main()
