# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test21.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test21.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270121)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a company called Fernhollow: PM-7302 payments secrets in ``kubectl
describe`` output, PM-7309 Redis session store exposure, PM-7315 Sentry events carrying customer
data, PM-7320 stolen CI token used from abroad, RB-58 Postgres primary failover, RB-63 Terraform
state migration, ADR-221 Envoy edge access-log policy and PM-7331 phished support mailbox. The
contexts are what incident writeups paste: chat and Jira comments, ``kubectl``/``docker inspect``
output, ``terraform plan``, CloudTrail and audit events, access logs, Sentry events, stack traces
with locals, ``psql`` sessions, Redis ``MONITOR``, HTTP dumps, Markdown tables and mail headers.
Common shapes come first in each kind (``t21p…``/``t21n…``); the summary it prints says where
the split falls.
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
    MORE_TEST_CARDS,
    UK_DRAMA_AREAS,
    UP,
    Draw,
    Gen,
    S,
    b64,
    expand_sections,
    luhn_ok,
    numbered,
    one_of,
    pem_block_ok,
    sanity,
    ssn_or_nino_ok,
    write_fold,
)
from planted_kit import (
    TEST_CARDS as SHARED_TEST_CARDS,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test21.jsonl"
FOLD = "test21"
rng = Random(20270121)
draw = Draw(rng)
rs, rbytes, uuid4, sha40, hexk, hhmm = draw.rs, draw.rbytes, draw.uuid4, draw.sha40, draw.hexk, draw.hhmm
iso, akid, aws_secret, gcp_api = draw.iso, draw.akid, draw.aws_secret, draw.gcp_api
gcp_oauth_secret, az_client_secret, az_sas_sig = draw.gcp_oauth_secret, draw.az_client_secret, draw.az_sas_sig
az_account_key, opaque, priv_ip, ssn, nino = (
    draw.az_account_key,
    draw.opaque,
    draw.priv_ip,
    draw.ssn,
    draw.nino,
)

TYPES = {**SHARED_TYPES, S: {*SHARED_TYPES[S], "generic-api-key"}}


pre = draw.pre


# ---------------------------------------------------------------------------- secret values


gh_token = draw.gh_token


gl_token = partial(draw.pre, alphabet=ALNUM + "-_", n=20)


slack_token = draw.slack_token


slack_hook = draw.slack_hook


stripe_key = partial(draw.stripe_key, ("sk_live_51", "rk_live_51", "sk_live_51"))


jwt = partial(
    draw.jwt_of,
    ["HS256", "RS256", "ES256", "RS384"],
    [
        ("iss", ["https://auth.fernhollow.io", "payments-gw", "https://sso.fernhollow.internal"]),
        ("sub", ["svc:ledger", "user:7731", "ci:deploy", "agent:support-14"]),
        ("aud", ["payments", "edge", "support", "ops-api"]),
        ("iat", range(1_790_000_000, 1_799_000_000 + 1)),
        ("role", ["reader", "refunds", "admin", "deployer"]),
    ],
    sig_lengths={"HS256": 43, "ES256": 86},
    default_sig=342,
    kid=(HEX, 16),
)


pem_lines = partial(draw.pem_body, pad="=")


def private_key(kind: str, sep: str = "\n") -> str:
    """A key block; ``sep`` joins its lines (a newline plus indentation, or the two characters ``\\n``)."""
    if kind == "rsa":
        label, body = "RSA PRIVATE KEY", pem_lines("MIIEogIBAAKCAQEA", rng.randint(7, 10))
    elif kind == "ec":
        label, body = "EC PRIVATE KEY", ["MHcCAQEEI" + rs(B64, 55), rs(B64, 64), rs(B64, 36) + "=="]
    elif kind == "ssh":
        label = "OPENSSH PRIVATE KEY"
        body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
        body += [rs(B64, 70) for _ in range(3)] + [rs(B64, 22) + "=="]
    else:
        label, body = "PRIVATE KEY", pem_lines("MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC", 9)
    return sep.join([f"-----BEGIN {label}-----", *body, f"-----END {label}-----"])


def pk(kind: str, sep: str = "\n") -> Gen:
    return lambda: private_key(kind, sep)


def gcp_sa_key() -> str:
    return private_key("pkcs8", "\\n") + "\\n"


WORDS = [
    "bracken",
    "merlin",
    "quartz",
    "thistle",
    "osprey",
    "loam",
    "cinder",
    "rowan",
    "slate",
    "nettle",
    "pike",
    "umber",
]


def password() -> str:
    shape = rng.randrange(5)
    if shape == 0:
        return rs(ALNUM, rng.randint(16, 24))
    if shape == 1:
        return (
            rng.choice(WORDS).capitalize() + rs(DIG, 3) + rng.choice("!#%") + rng.choice(WORDS).capitalize()
        )
    if shape == 2:
        return "-".join(rng.sample(WORDS, 3)) + rs(DIG, 2)
    if shape == 3:
        return rs(ALNUM + "!%^*", rng.randint(13, 19)) + rng.choice(DIG)
    return rs(UP, 2) + rs(LOW + DIG, 10) + "_" + rs(ALNUM, 5)


plain_pw = partial(draw.plain_password3, WORDS, (8, "-", 9))


pct_pw = draw.pct_password


basic_cred = partial(
    draw.basic_cred,
    ["ledger-svc", "deploy", "grafana", "pgbouncer", "edge-admin", "support-bot"],
    WORDS,
    plain_pw,
)


def telegram_bot() -> str:
    return f"{rng.randint(10**9, 8 * 10**9)}:AA{rs(B64URL, 33)}"


def fly_token() -> str:
    return "FlyV1 fm2_" + rs(B64URL, 120)


def airtable_pat() -> str:
    return "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64)


def mailchimp_key() -> str:
    return rs(HEX, 32) + "-us" + str(rng.randint(2, 21))


def confluent_secret() -> str:
    return rs(ALNUM + "+/", 64)


age_key = draw.age_secret_key


tf_cloud = draw.tf_cloud_token


atlassian = draw.atlassian_token


openai_key = draw.openai_key


def teams_hook() -> str:
    return (
        f"https://fernhollow.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/"
        f"{rs(HEX, 32)}/{uuid4()}"
    )


discord_hook = draw.discord_hook


# ---------------------------------------------------------------------------- personal values


# The shared documented test cards plus JCB, Diners and further Adyen/Stripe ones: never drawn as a
# real card, accepted as documented-test-card.
TEST_CARDS = {*SHARED_TEST_CARDS, *MORE_TEST_CARDS}


card = partial(draw.card_with_jcb, TEST_CARDS)


luhn_bad = draw.luhn_bad


public_v4 = partial(
    draw.public_v4, (24, 37, 46, 58, 66, 79, 84, 94, 109, 124, 141, 158, 165, 178, 188, 195, 209, 213)
)


public_v6 = partial(
    draw.public_v6,
    ("2a02:c207", "2a01:4f8", "2600:1f18", "2a03:2880", "2c0f:fb50", "2401:db00", "2a0d:5600"),
    group_fallbacks="d",
    short_tail="69",
    long_fallback="a",
)


AU_MOBILES = ["0491 570 006", "0491 570 157", "0491 571 491", "0491 572 983", "0491 573 087", "0491 577 644"]


def phone(i: int) -> str:
    """Numbers reserved for fiction: US/Canada 555-01xx, Ofcom's drama ranges, Australia's and France's."""
    kind = i % 5
    if kind == 0:
        area, tail = rng.choice(["212", "303", "418", "647", "702", "919"]), f"01{rng.randint(0, 99):02d}"
        return [f"+1 {area}-555-{tail}", f"({area}) 555-{tail}", f"1.{area}.555.{tail}"][i // 5 % 3]
    if kind == 1:
        ln = f"{rng.randint(0, 999):03d}"
        area = rng.choice(UK_DRAMA_AREAS)
        return [f"+44 (0){area} 496 0{ln}", f"0{area} 4960{ln}", f"+44{area}4960{ln}"][i // 5 % 3]
    if kind == 2:
        ln = f"{rng.randint(0, 999):03d}"
        return [f"+44 28 9018 0{ln}", f"+44 7700 900{ln}", f"020 7946 0{ln}"][i // 5 % 3]
    if kind == 3:
        mob = rng.choice(AU_MOBILES)
        return [
            "+61 " + mob[1:],
            mob.replace(" ", ""),
            f"+61 {rng.choice('2378')} 5550 {rng.randint(0, 9999):04d}",
        ][i // 5 % 3]
    xx, yy = f"{rng.randint(0, 99):02d}", f"{rng.randint(0, 99):02d}"
    return [f"01 99 00 {xx} {yy}", f"+33 6 39 98 {xx} {yy}", f"+33 (0)1 99 00 {xx} {yy}"][i // 5 % 3]


def iban(country: str) -> str:
    bban = {
        "DE": lambda: rs(DIG, 18),
        "GB": lambda: rs(UP, 4) + rs(DIG, 14),
        "NL": lambda: rs(UP, 4) + rs(DIG, 10),
        "FR": lambda: rs(DIG, 10) + rs(UP + DIG, 11) + rs(DIG, 2),
        "ES": lambda: rs(DIG, 20),
        "BE": lambda: rs(DIG, 12),
        "IT": lambda: rs(UP, 1) + rs(DIG, 10) + rs(UP + DIG, 12),
        "PL": lambda: rs(DIG, 24),
    }[country]()
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    raw = f"{country}{98 - num % 97:02d}{bban}"
    return rng.choice([raw, " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))])


FIRST = [
    "adaeze",
    "bartosz",
    "carys",
    "dmitri",
    "elowen",
    "fiachra",
    "greta",
    "hiroko",
    "imogen",
    "joaquin",
    "katja",
    "leandro",
    "maeve",
    "nikolai",
    "orla",
    "priya",
]
LAST = [
    "abernathy",
    "barzani",
    "coulthard",
    "delacroix",
    "ekwueme",
    "fitzwilliam",
    "gustafsson",
    "halloran",
    "ishikawa",
    "jovanovic",
    "kinsella",
    "larrea",
    "moreau",
    "nakashima",
    "okonkwo",
]
MAIL = [
    "gmail.com",
    "outlook.fr",
    "yahoo.co.uk",
    "libero.it",
    "orange.fr",
    "ziggo.nl",
    "o2.pl",
    "telenet.be",
    "bigpond.com",
    "shaw.ca",
    "icloud.com",
    "posteo.de",
]


def person() -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


email = partial(
    draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}.{last}", "{last}_{f}", "{f}.{last}+orders")
)


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "payments-api",
    "ledger",
    "session-store",
    "edge-envoy",
    "pg-primary",
    "tf-runner",
    "support-mail",
    "checkout-web",
]
ONCALL = ["aoife", "bogdan", "chidi", "dagmar", "emre", "freya", "gustavo", "hye-jin", "ilse", "jonas"]


doc_ip = draw.doc_ip


FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "pip": priv_ip,
    "dip": doc_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "pid": lambda: str(rng.randint(1100, 64000)),
    "ver": lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}",
    "sha7": lambda: rs(HEX, 7),
    "uuid": uuid4,
    "pod": lambda: f"{rng.choice(SVCS)}-{rs(HEX, 10)}-{rs(LOW + DIG, 5)}",
    "rid": lambda: rs(HEX, 32),
}


def envs(*names: str, start: int = 0) -> list[str]:
    """One template per variable name, each in a different context that prints environment
    variables: ``docker inspect``, ``kubectl describe pod``, ``terraform plan``, a Sentry event's
    ``extra``, a Python traceback's locals, ``kubectl get -o yaml``, a Jira comment, a Teams paste."""
    shapes = [
        '$ docker inspect {pod} --format \'{{json .Config.Env}}\'\n["PATH=/usr/local/bin:/usr/bin","NAME={v}","TZ=UTC"]',
        "    Environment:\n      LOG_LEVEL:  info\n      NAME:       {v}\n    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-{sha7} (ro)",
        '      ~ environment {\n          ~ variables = {\n              ~ "NAME" = (sensitive value) -> "{v}"\n            }\n        }',
        '  "extra": {\n    "sys.argv": ["gunicorn"],\n    "os.environ.NAME": "{v}"\n  },',
        'Traceback (most recent call last):\n  File "/srv/app/settings.py", line 41, in <module>\n    NAME = os.environ["NAME"]\n    locals: NAME = \'{v}\'',
        '    env:\n    - name: NAME\n      value: {v}\n    - name: PORT\n      value: "8080"',
        "{who} commented on OPS-{num}:\n> set NAME to {v} in the pipeline vars and re-ran",
        "[{t}] {who}: ok found it, the pod has NAME={v} baked in",
    ]
    return [shapes[(start + i) % len(shapes)].replace("NAME", n) for i, n in enumerate(names)]


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            *envs("AWS_ACCESS_KEY_ID", "S3_EXPORT_ACCESS_KEY", "TF_VAR_backup_access_key", start=0),
            '{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","userName":"ci-deploy","accessKeyId":"{v}"},"eventName":"GetSecretValue","sourceIPAddress":"{dip}"}',
            "PM-7320 timeline: {t} CloudTrail shows ListBuckets from {dip} signed with {v}.",
            '{dip} - - [04/Nov/2026:{t}:51 +0000] "GET /fh-ledger-exports/2026-11.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={v}%2F20261104%2Feu-central-1%2Fs3%2Faws4_request HTTP/1.1" 200 88211',
            "| {t} | {who} | disabled access key {v} on `ci-deploy` |",
            '  # aws_iam_access_key.backup will be created\n  + resource "aws_iam_access_key" "backup" {\n      + id     = "{v}"\n      + user   = "pg-backup"\n    }',
            "[{t}] {who}: can someone check whether {v} is still active? it's in the redis dump",
            "$ aws configure set aws_access_key_id {v} --profile fh-prod",
            'redis 10.20.4.11:6379> GET cfg:exporter:aws_key\n"{v}"',
            "Teams, #payments-incident, {t}\n{who}: AWS key in the describe output is {v}, who owns it?",
            "{who} commented on SEC-{num}:\n||key id||user||last used||\n|{v}|ci-deploy|2026-11-04|",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            *envs("AWS_SECRET_ACCESS_KEY", "S3_EXPORT_SECRET_KEY", start=1),
            '  + resource "aws_iam_access_key" "backup" {\n      + secret = "{v}"\n    }',
            "PM-7320: the secret half {v} was in the runner's job log.",
            "$ aws configure set aws_secret_access_key {v} --profile fh-prod",
            '1733312211.884210 [0 {pip}:53144] "SET" "cfg:exporter:aws_secret" "{v}"',
            "| {t} | {who} | rotated S3 export secret (`{v}`) |",
            'wal-g:\n  AWS_SECRET_ACCESS_KEY: "{v}"\n  WALG_S3_PREFIX: s3://fh-pg-wal/main',
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            *envs("GITHUB_TOKEN", "GH_PAT", "RENOVATE_TOKEN", start=3),
            "PM-7320: the attacker cloned 14 repos with {v} between {t} and {t}.",
            "| {t} | {who} | revoked {v} (owner: fh-ci-bot) |",
            "[{t}] {who}: pasting the failing step, ignore the token lol\n  git clone https://{v}@github.com/fernhollow/ledger.git",
            '{"@timestamp":"{ts}","action":"git.clone","actor":"fh-ci-bot","hashed_token":null,"token":"{v}","actor_ip":"{dip}"}',
            "$ gh auth login --with-token <<< {v}",
            '  "breadcrumbs": [{"category": "httplib", "data": {"url": "https://api.github.com/repos/fernhollow/ledger", "headers": {"Authorization": "token {v}"}}}],',
            '"Config": {\n    "Env": ["GH_TOKEN={v}"],\n    "Cmd": ["renovate"]\n},',
            '  + resource "github_actions_secret" "deploy" {\n      + plaintext_value = "{v}"\n      + secret_name     = "DEPLOY_TOKEN"\n    }',
            "{who} commented on SEC-{num}:\nThe leaked PAT was {v}; scopes repo, workflow.",
            "npm ERR! code E401\nnpm ERR! Unable to authenticate, your authentication token seems to be invalid.\nnpm ERR! //npm.pkg.github.com/:_authToken={v}",
        ],
    ),
    (
        "gitlab-token",
        gl_token("glpat-"),
        [
            "PM-7320: the same runner also held {v} for the GitLab mirror.",
            '$ curl --header "PRIVATE-TOKEN: {v}" https://gitlab.fernhollow.internal/api/v4/projects',
            *envs("GITLAB_TOKEN", start=6),
            "| {t} | {who} | expired {v} |",
        ],
    ),
    (
        "gitlab-token",
        gl_token("glrt-"),
        ['concurrent = 4\n[[runners]]\n  name = "fh-runner-3"\n  token = "{v}"'],
    ),
    (
        "slack-token",
        slack_token,
        [
            *envs("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", start=2),
            "PM-7315: the Sentry-to-Slack relay posted with {v}.",
            "POST /api/chat.postMessage HTTP/1.1\nHost: slack.com\nAuthorization: Bearer {v}\nContent-Type: application/json; charset=utf-8",
            "| {t} | {who} | rotated the alert bot token {v} |",
            "2026-11-04T{t}:03.118Z ERROR [alert-relay] slack api error=invalid_auth token={v}",
            '  + resource "kubernetes_secret" "slack" {\n      + data = {\n          + "token" = "{v}"\n        }\n    }',
            'redis 10.20.4.11:6379> HGETALL integrations:slack\n1) "bot_token"\n2) "{v}"',
            "[{t}] {who}: the socket app token is {v}, I'll rotate after standup",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "PM-7302: the deploy notifier's webhook {v} was in the pod spec.",
            *envs("SLACK_WEBHOOK_URL", start=4),
            '  + alertmanager_slack_api_url = "{v}"',
            "{who} commented on OPS-{num}:\nWebhook for #deploys: {v}",
            "| {t} | {who} | regenerated {v} |",
            "receivers:\n- name: payments-oncall\n  slack_configs:\n  - api_url: {v}",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            *envs("STRIPE_SECRET_KEY", "STRIPE_API_KEY", start=0),
            "PM-7302: `kubectl describe` printed the payments key {v} in the incident channel.",
            "$ curl https://api.stripe.com/v1/charges -u {v}: -G -d limit=3",
            "stripe.error.AuthenticationError: Request req_{sha7}: Invalid API Key provided: {v}",
            "| {t} | {who} | rolled {v} in the dashboard |",
            "    at StripeResource._request (node_modules/stripe/cjs/StripeResource.js:154:21)\n  apiKey: '{v}',",
            "[{t}] {who}: prod stripe key is {v}, please don't paste it anywhere else",
            '{"level":"debug","msg":"stripe client init","key":"{v}"}',
            "ledger=> SELECT value FROM settings WHERE name = 'stripe_key';\n    value\n--------------\n {v}\n(1 row)",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "PM-7309: session blobs in Redis held raw tokens such as {v}.",
            '1733312299.112344 [0 {pip}:40122] "SETEX" "sess:7f2a" "3600" "{v}"',
            '{dip} - - [04/Nov/2026:{t}:10 +0000] "GET /v1/ledger/export?token={v} HTTP/1.1" 200 5120 "-" "curl/8.5.0"',
            '[2026-11-04T{t}:44.201Z] "GET /api/refunds?access_token={v} HTTP/2" 200 - 0 941 12 11 "{dip}" "okhttp/4.12.0" "{uuid}" "api.fernhollow.io" "{pip}:8443"',
            "GET /v2/cards HTTP/1.1\nHost: payments.fernhollow.io\nAuthorization: Bearer {v}\nAccept: application/json",
            '  "request": {\n    "headers": {"Authorization": "Bearer {v}"},\n    "url": "https://api.fernhollow.io/v1/refunds"\n  },',
            "| {t} | {who} | decoded {v} – role admin, no exp |",
            "[{t}] {who}: here's the token from the HAR {v}",
            "{who} commented on SUP-{num}:\nCustomer's session cookie: fh_session={v}",
            "Cookie: fh_session={v}; fh_locale=en-GB",
            "X-Auth-Token: {v}\nX-Mailer: fh-notifier {ver}",
            '  File "/srv/ledger/auth.py", line 77, in verify\n    claims = jwt.decode(token, key, algorithms=["RS256"])\n  token = \'{v}\'',
            '  sensitive_attributes = []\n  ~ api_token = (sensitive value) -> "{v}"',
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "RB-58 appendix: the replica's old `server.key`:\n{v}",
            "PM-7302: `kubectl get secret payments-tls -o jsonpath='{.data.tls\\.key}' | base64 -d` printed\n{v}",
        ],
    ),
    (
        "private-key",
        pk("ec", "\n    "),
        ["apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nstringData:\n  tls.key: |\n    {v}"],
    ),
    (
        "private-key",
        pk("ssh"),
        [
            "RB-63: the Terraform runner's deploy key, pasted into the ticket:\n{v}",
            "[{t}] {who}: is this the bastion key?\n```\n{v}\n```",
        ],
    ),
    (
        "private-key",
        pk("pkcs8", "\\n"),
        ['  + resource "tls_private_key" "edge" {\n      + private_key_pem = "{v}"\n    }'],
    ),
    ("private-key", pk("pkcs8"), ["PM-7331: the phished mailbox held `edge.key` as an attachment:\n{v}"]),
    ("private-key", pk("ec"), ["{who} commented on SEC-{num}:\n{code}\n{v}\n{code}"]),
    ("private-key", pk("rsa", "\n      "), ["    Data\n    ====\n    tls.key:\n      {v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "PM-7309: the session store ran with `redis://:{v}@redis-sessions.fernhollow.internal:6379/0`.",
            *envs("DATABASE_URL", "REDIS_URL", "AMQP_URL", start=0),
            "RB-58: promote, then point pgbouncer at postgres://ledger:{v}@pg-2.fernhollow.internal:5432/ledger",
            '{"level":"error","msg":"dial failed","dsn":"postgres://ledger:{v}@pg-1.fernhollow.internal:5432/ledger?sslmode=verify-full"}',
            '  + connection_string = "mongodb+srv://reporting:{v}@reporting.fernhollow.internal/?retryWrites=true"',
            "| {t} | {who} | found `amqp://payments:{v}@mq.fernhollow.internal:5672/` in a Sentry breadcrumb |",
            "psycopg2.OperationalError: connection to server failed\n  dsn = 'postgresql://ledger:{v}@pg-1.fernhollow.internal/ledger'",
            "[{t}] {who}: try `psql postgres://ops:{v}@pg-2.fernhollow.internal/ledger` from the bastion",
            'terraform {\n  backend "pg" {\n    conn_str = "postgres://tfstate:{v}@pg-tf.fernhollow.internal/terraform_backend"\n  }\n}',
            "Caused by: java.net.URISyntaxException at jdbc:mysql://checkout:{v}@mysql.fernhollow.internal:3306/checkout",
            "  http_proxy: http://edge:{v}@proxy.fernhollow.internal:3128",
            "$ helm repo add internal https://deploy:{v}@charts.fernhollow.internal",
            '  "request": {"url": "https://ops:{v}@admin.fernhollow.io/api/export", "method": "GET"},',
            "$ redis-cli -u redis://default:{v}@redis-sessions.fernhollow.internal:6379 MONITOR",
        ],
    ),
    (
        "password-in-url",
        pct_pw,
        [
            "postgres://ledger:{v}@pg-1.fernhollow.internal:5432/ledger",
            "PM-7309: the exporter's `REDIS_URL=rediss://default:{v}@redis-sessions.fernhollow.internal:6380`",
            '  + url = "https://deploy:{v}@nexus.fernhollow.internal/repository/helm/"',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            *envs(
                "POSTGRES_PASSWORD",
                "REDIS_PASSWORD",
                "PGBOUNCER_AUTH_PASSWORD",
                "LEDGER_DB_PASSWORD",
                "SMTP_PASSWORD",
                "RABBITMQ_DEFAULT_PASS",
                "KEYCLOAK_ADMIN_PASSWORD",
                "GRAFANA_ADMIN_PASSWORD",
                start=0,
            ),
            "ledger=> ALTER ROLE ledger WITH LOGIN PASSWORD '{v}';\nALTER ROLE",
            "postgres=# CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '{v}';",
            'postgres=# \\password ops\nEnter new password for user "ops": {v}',
            '1733312301.552170 [0 {pip}:53190] "AUTH" "{v}"',
            '1733312301.552904 [0 {pip}:53190] "CONFIG" "SET" "masterauth" "{v}"',
            'redis-sessions:6379> CONFIG GET requirepass\n1) "requirepass"\n2) "{v}"',
            "requirepass {v}",
            "$ redis-cli -h redis-sessions.fernhollow.internal -a '{v}' --no-auth-warning MONITOR",
            "RB-58 step 4: `pg_basebackup -h pg-1 -U replicator` and enter {v} when asked.",
            "primary_conninfo = 'host=pg-1.fernhollow.internal port=5432 user=replicator password={v}'",
            ';; /etc/pgbouncer/userlist.txt\n"ops" "{v}"',
            '  + resource "aws_db_instance" "ledger" {\n      + password = "{v}"\n      + username = "ledger"\n    }',
            '  ~ master_password = (sensitive value) -> "{v}"',
            'variable "db_password" {\n  default = "{v}"\n}',
            'db_password = "{v}"',
            '{"eventName":"CreateUser","requestParameters":{"userName":"break-glass","password":"{v}"}}',
            '{"event":"user.password_reset","actor":"{who}","details":{"new_password":"{v}"}}',
            '  "extra": {"form": {"username": "j.halloran", "password": "{v}"}},',
            "  File \"/srv/support/mailsync.py\", line 52, in connect\n    imap.login(user, password)\n    user = 'support@fernhollow.example'\n    password = '{v}'",
            "java.lang.IllegalStateException: could not connect\n\tat com.fernhollow.ledger.Db.open(Db.java:88)\n  Local variables: url=jdbc:postgresql://pg-1/ledger user=ledger password={v}",
            'goroutine 1 [running]:\nmain.mustConnect(...)\n\t/src/edge/main.go:61\n  cfg = main.Config{User:"edge", Password:"{v}", Host:"{pip}"}',
            "Error: connect ECONNREFUSED {pip}:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {\n  config: { user: 'checkout', password: '{v}', database: 'checkout' }",
            'POST /login HTTP/1.1\nHost: admin.fernhollow.io\nContent-Type: application/json\n\n{"username":"ops","password":"{v}"}',
            "| `ledger` | pg-1 | `{v}` | rotated {t} |",
            "| service | user | password |\n|---|---|---|\n| pgbouncer | pgbouncer | {v} |",
            "{who} commented on OPS-{num}:\nbreak-glass password for pg-2 is {v} (sealed envelope copy is stale)",
            "[{t}] {who}: smtp pw {v}",
            "[{t}] {who}: Password: {v}",
            "$ mysql -u checkout -p'{v}' -h mysql.fernhollow.internal checkout",
            "$ docker run -e POSTGRES_PASSWORD={v} -p 5432:5432 postgres:16",
            "$ kubectl create secret generic ledger-db --from-literal=password='{v}'",
            '  auth_pass: "{v}"\n  auth_user: pgbouncer',
            "spring.datasource.password={v}",
            "clusters:\n  - name: ledger\n    upstream_password: {v}",
            "smtp_auth_password: '{v}'",
            '<connectionStrings><add name="Ledger" connectionString="Server=pg-1;User Id=ledger;Password={v};" /></connectionStrings>',
            "Server=mssql.fernhollow.internal;Database=crm;User Id=crm_app;Password={v};Encrypt=true",
            "[client]\nuser=checkout\npassword={v}",
            'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="ledger" password="{v}";',
            "X-Debug-Form: user=ops&password={v}",
        ],
    ),
    (
        "password-assignment",
        pct_pw,
        [
            '{dip} - - [04/Nov/2026:{t}:02 +0000] "GET /admin/login?user=ops&password={v} HTTP/1.1" 302 0',
            "POST /oauth/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=password&username=ops&password={v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "GET /api/v1/query HTTP/1.1\nHost: prometheus.fernhollow.internal\nAuthorization: Basic {v}",
            '  "request": {"headers": {"Authorization": "Basic {v}"}},',
            '{"auths":{"registry.fernhollow.internal":{"auth":"{v}"}}}',
            '$ kubectl get secret regcred -o jsonpath=\'{.data.\\.dockerconfigjson}\' | base64 -d\n{"auths":{"ghcr.io":{"auth":"{v}"}}}',
            '[2026-11-04T{t}:09.441Z] "POST /grafana/api/dashboards/db HTTP/1.1" 401 authorization="Basic {v}"',
            "| {t} | {who} | replayed the scrape with `Authorization: Basic {v}` |",
            "[{t}] {who}: the probe sends Basic {v}",
            "      httpHeaders:\n      - name: Authorization\n        value: Basic {v}",
            "{who} commented on OPS-{num}:\ncurl -H 'Authorization: Basic {v}' https://grafana.fernhollow.internal/api/health",
            '  ~ headers = {\n      ~ "Authorization" = (sensitive value) -> "Basic {v}"\n    }',
            '{pip} - edge [04/Nov/2026:{t}:40 +0000] "GET /metrics HTTP/1.1" 200 8812 "-" "Prometheus/2.53.0" http_authorization="Basic {v}"',
        ],
    ),
    (
        "bearer-token",
        lambda: opaque(rng.choice([40, 44])),
        [
            "GET /v1/admin/users HTTP/1.1\nHost: ops-api.fernhollow.internal\nAuthorization: Bearer {v}\nUser-Agent: python-requests/2.32.3",
            '{"eventTime":"{ts}","protoPayload":{"requestMetadata":{"callerIp":"{dip}"},"request":{"headers":{"authorization":"Bearer {v}"}}}}',
            '[2026-11-04T{t}:31.020Z] "GET /v1/ledger HTTP/2" 200 authorization="Bearer {v}" x-request-id="{uuid}"',
            '  "breadcrumbs": [{"category": "http", "data": {"headers": {"Authorization": "Bearer {v}"}}}],',
            "| {t} | {who} | revoked bearer `{v}` |",
            '[{t}] {who}: `curl -H "Authorization: Bearer {v}" https://ops-api.fernhollow.internal/v1/health`',
            "    at fetchLedger (/app/dist/ledger.js:41:11)\n  headers: { Authorization: 'Bearer {v}' }",
            "{who} commented on OPS-{num}:\nBearer {v} still works after the rotation, escalating",
            '  + headers = {\n      + Authorization = "Bearer {v}"\n    }',
            "> GET /metrics HTTP/1.1\n> Host: edge-envoy:9901\n> Authorization: Bearer {v}",
        ],
    ),
    (
        "generic-api-key",
        lambda: opaque(rng.choice([32, 40])),
        [
            *envs(
                "LEDGER_API_KEY", "FRAUD_SCORE_API_KEY", "GEOIP_LICENSE_KEY", "SUPPORT_MAIL_API_KEY", start=5
            ),
            '{dip} - - [04/Nov/2026:{t}:37 +0000] "GET /v1/rates?base=EUR&api_key={v} HTTP/1.1" 200 311',
            "X-API-Key: {v}",
            "| {t} | {who} | vendor reissued key {v} |",
            '  + api_key = "{v}"',
            '{"service":"fraud-score","apiKey":"{v}","timeout_ms":800}',
            "$ fraudctl --api-key {v} score --order 88412",
            '  "request": {"query_string": "currency=EUR&apikey={v}", "method": "GET"},',
            "[{t}] {who}: GeoIP licence key for the edge is {v}",
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-key",
        gcp_api,
        [
            "GOOGLE_MAPS_API_KEY={v}",
            '{"level":"warn","msg":"geocode quota","url":"https://maps.googleapis.com/maps/api/geocode/json?address=Leeds&key={v}"}',
        ],
    ),
    (
        "gcp-key",
        gcp_oauth_secret,
        ['{"web":{"client_id":"fh-support.apps.googleusercontent.com","client_secret":"{v}"}}'],
    ),
    ("gcp-key", pre("ya29.a0", B64URL, 150), ["Authorization: Bearer {v}"]),
    (
        "gcp-service-account-key",
        gcp_sa_key,
        [
            '{"type":"service_account","project_id":"fh-analytics","private_key_id":"{rid}","private_key":"{v}","client_email":"exporter@fh-analytics.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "azure-key",
        az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=fhbackups;AccountKey={v};EndpointSuffix=core.windows.net",
            '  + primary_access_key = "{v}"',
        ],
    ),
    (
        "azure-key",
        az_sas_sig,
        [
            "https://fhbackups.blob.core.windows.net/pg-wal/000000010000002A?sv=2024-08-04&ss=b&srt=o&sp=rl&se=2026-12-01T00:00:00Z&sig={v}"
        ],
    ),
    ("azure-key", az_client_secret, ["ARM_CLIENT_SECRET={v}", '  + client_secret = "{v}"']),
    (
        "azure-key",
        lambda: b64(rbytes(32)),
        [
            "Endpoint=sb://fh-events.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}"
        ],
    ),
    (
        "gitlab-token",
        gl_token("gldt-"),
        ["$ docker login registry.gitlab.fernhollow.internal -u gitlab+deploy-token-7 -p {v}"],
    ),
    (
        "gitlab-token",
        gl_token("glptt-"),
        [
            "$ curl -X POST -F token={v} -F ref=main https://gitlab.fernhollow.internal/api/v4/projects/12/trigger/pipeline"
        ],
    ),
    ("slack-token", lambda: f"xoxe.xoxp-1-{rs(ALNUM, 150)}", ["SLACK_REFRESH_TOKEN={v}"]),
    (
        "stripe-key",
        pre("whsec_", ALNUM, 32),
        ["STRIPE_WEBHOOK_SECRET={v}", "[{t}] {who}: webhook signing secret {v}"],
    ),
    (
        "vendor-token",
        openai_key,
        ["OPENAI_API_KEY={v}", "openai.AuthenticationError: Incorrect API key provided: {v}"],
    ),
    ("vendor-token", lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA", ["ANTHROPIC_API_KEY={v}"]),
    ("vendor-token", pre("hf_", ALNUM, 34), ["HUGGING_FACE_HUB_TOKEN={v}"]),
    ("vendor-token", pre("npm_", ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}", "NPM_TOKEN={v}"]),
    ("vendor-token", lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 150), ["TWINE_PASSWORD={v}"]),
    (
        "vendor-token",
        pre("dckr_pat_", B64URL, 27),
        ["$ echo {v} | docker login -u fernhollow --password-stdin"],
    ),
    (
        "vendor-token",
        pre("hvs.", B64URL, 24),
        ["VAULT_TOKEN={v}", '{"auth":{"client_token":"{v}","policies":["ledger-read"]}}'],
    ),
    (
        "vendor-token",
        tf_cloud,
        ['credentials "app.terraform.io" {\n  token = "{v}"\n}', "TF_TOKEN_app_terraform_io={v}"],
    ),
    ("vendor-token", pre("dop_v1_", HEX, 64), ['  + do_token = "{v}"']),
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        ["SENDGRID_API_KEY={v}", "smtp_auth_password: {v}"],
    ),
    (
        "vendor-token",
        hexk(32),
        ["DD_API_KEY={v}", "TWILIO_AUTH_TOKEN={v}", "MAILGUN_WEBHOOK_SIGNING_KEY={v}"],
    ),
    ("vendor-token", lambda: "AC" + rs(HEX, 32), ["TWILIO_ACCOUNT_SID={v}"]),
    (
        "vendor-token",
        lambda: "key-" + rs(HEX, 32),
        ["$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.fernhollow.io/events"],
    ),
    ("vendor-token", pre("shpat_", HEX, 32), ["X-Shopify-Access-Token: {v}"]),
    ("vendor-token", pre("sntrys_eyJpYXQiOjE3", B64URL, 120), ["SENTRY_AUTH_TOKEN={v}"]),
    ("vendor-token", lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8), ['  + grafana_auth = "{v}"']),
    ("vendor-token", pre("NRAK-", UP + DIG, 27), ["NEW_RELIC_API_KEY={v}"]),
    ("vendor-token", pre("lin_api_", ALNUM, 40), ["LINEAR_API_KEY={v}"]),
    (
        "vendor-token",
        atlassian,
        ["{who} commented on OPS-{num}:\nused the API token {v} for the export script"],
    ),
    ("vendor-token", lambda: "HRKU-AA" + rs(B64URL, 58), ["HEROKU_API_KEY={v}"]),
    ("vendor-token", lambda: "dp.st.prd." + rs(ALNUM, 43), ["DOPPLER_TOKEN={v}"]),
    ("vendor-token", lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34), ["POSTMAN_API_KEY={v}"]),
    ("vendor-token", lambda: "pul-" + rs(HEX, 40), ["PULUMI_ACCESS_TOKEN={v}"]),
    ("vendor-token", lambda: "nfp_" + rs(ALNUM, 36), ["NETLIFY_AUTH_TOKEN={v}"]),
    ("vendor-token", fly_token, ["FLY_API_TOKEN={v}"]),
    ("vendor-token", airtable_pat, ["Authorization: Bearer {v}"]),
    ("vendor-token", lambda: "ntn_" + rs(DIG, 11) + rs(ALNUM, 35), ["NOTION_TOKEN={v}"]),
    ("vendor-token", lambda: "re_" + rs(ALNUM, 8) + "_" + rs(ALNUM, 24), ["RESEND_API_KEY={v}"]),
    ("vendor-token", lambda: "bkua_" + rs(HEX, 40), ["BUILDKITE_API_TOKEN={v}"]),
    ("vendor-token", lambda: "CCIPAT_" + rs(ALNUM, 22) + "_" + rs(HEX, 40), ["CIRCLE_TOKEN={v}"]),
    ("vendor-token", lambda: "sbp_" + rs(HEX, 40), ["SUPABASE_ACCESS_TOKEN={v}"]),
    ("vendor-token", mailchimp_key, ["MAILCHIMP_API_KEY={v}"]),
    (
        "vendor-token",
        telegram_bot,
        ["https://api.telegram.org/bot{v}/sendMessage?chat_id=-100188&text=deploy", "TELEGRAM_BOT_TOKEN={v}"],
    ),
    ("vendor-token", teams_hook, ["[{t}] {who}: Teams connector URL is {v}"]),
    ("vendor-token", discord_hook, ["DISCORD_WEBHOOK={v}"]),
    ("vendor-token", lambda: "SSWS 00" + rs(ALNUM + "-_", 40), ["Authorization: {v}"]),
    ("vendor-token", age_key, ["# created: 2026-11-02T10:14:00Z\n{v}"]),
    ("vendor-token", confluent_secret, ["CONFLUENT_CLOUD_API_SECRET={v}"]),
    ("vendor-token", lambda: "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134), ["FCM_SERVER_KEY={v}"]),
    ("vendor-token", pre("rnd_", ALNUM, 32), ["RENDER_API_KEY={v}"]),
    ("vendor-token", hexk(32), ["ALGOLIA_ADMIN_API_KEY={v}"]),
    ("vendor-token", lambda: f"sdk-{uuid4()}", ["LAUNCHDARKLY_SDK_KEY={v}"]),
    ("vendor-token", pre("CFPAT-", B64URL, 43), ["CONTENTFUL_MANAGEMENT_TOKEN={v}"]),
    (
        "vendor-token",
        pre("dapi", HEX, 32),
        ["[DEFAULT]\nhost = https://adb-7731.11.azuredatabricks.net\ntoken = {v}"],
    ),
    ("vendor-token", pre("", ALNUM, 32), ["SEGMENT_WRITE_KEY={v}"]),
    ("vendor-token", pre("", ALNUM, 24), ["VERCEL_TOKEN={v}"]),
    ("vendor-token", lambda: "eyJrIjoi" + rs(B64URL, 60), ["GRAFANA_API_KEY={v}"]),
    (
        "vendor-token",
        uuid4,
        ["HEROKU_API_KEY={v}", "X-Postmark-Server-Token: {v}", "PAGERDUTY_INTEGRATION_KEY={v}"],
    ),
    ("vendor-token", lambda: "u+" + rs(B64, 22) + "==", ["PAGERDUTY_TOKEN={v}"]),
    (
        "password-assignment",
        password,
        [
            "ldap:\n  bind_password: |\n    {v}",
            'ldap_bind_password = "{v}"',
            "$ vault write auth/userpass/users/ops password='{v}'",
            "ACL SETUSER exporter on >{v} ~cfg:* +get",
        ],
    ),
    (
        "password-assignment",
        lambda: b64(plain_pw().encode()),
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ledger-db\ndata:\n  password: {v}",
            '{"kind":"Secret","data":{"POSTGRES_PASSWORD":"{v}"}}',
        ],
    ),
    ("basic-auth", basic_cred, ['proxy_set_header Authorization "Basic {v}";']),
]


# ---------------------------------------------------------------------------- personal data
next_phone = numbered(phone)


COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "From: Maeve Halloran <{v}>\nTo: support@fernhollow.example\nSubject: RE: your refund 88412",
            "Return-Path: <{v}>\nReceived: from mail-ed1.fernhollow.internal ({pip}) by mx-2.fernhollow.internal",
            'Reply-To: "Katja Gustafsson" <{v}>',
            '  "user": {"id": "7731", "email": "{v}", "ip_address": "{dip}"},',
            " id   | email                        | created_at\n------+------------------------------+------------\n 7731 | {v} | 2026-10-02",
            '1733312420.001882 [0 {pip}:40200] "HSET" "sess:9c1e" "email" "{v}"',
            '{dip} - - [04/Nov/2026:{t}:12 +0000] "GET /v1/customers/lookup?email={v} HTTP/1.1" 200 412',
            "| {t} | {who} | customer {v} confirmed they saw someone else's order |",
            "{who} commented on SUP-{num}:\nRequester is Imogen Kinsella ({v}), wants a call back.",
            "[{t}] {who}: the phishing mail came *from* {v}",
            "PM-7331: the forwarding rule sent every message to {v}.",
            '{"eventName":"UpdateLoginProfile","requestParameters":{"userName":"ops-break-glass"},"additionalEventData":{"notify":"{v}"}}',
            "  File \"/srv/checkout/orders.py\", line 203, in confirm\n    send_receipt(order)\n  customer_email = '{v}'",
            "| name | email | plan |\n|---|---|---|\n| Dmitri Jovanovic | {v} | pro |",
            "ledger=> SELECT id FROM customers WHERE email = '{v}';",
            "X-Original-To: {v}",
        ],
    ),
    (
        "phone",
        next_phone,
        [
            '  "user": {"id": "7740", "phone": "{v}"},',
            " id   | name            | phone\n------+-----------------+----------------\n 7740 | Orla Coulthard  | {v}",
            "{who} commented on SUP-{num}:\nCustomer asked to be called on {v} after 17:00.",
            "| {t} | {who} | called the customer back on {v} |",
            "[{t}] {who}: the fraud SMS went to {v}",
            '1733312433.551023 [0 {pip}:40200] "HSET" "sess:9c1e" "phone" "{v}"',
            "PM-7331: the attacker changed the mailbox recovery phone to {v}.",
            "Tel.: {v}",
            "  customer_phone = '{v}'",
            '{"event":"sms.sent","to":"{v}","template":"otp"}',
            "Mobile: {v}\nSent from my iPhone",
            "| Priya Larrea | {v} | Sydney |",
            "Téléphone : {v}",
            "phone={v}&consent=true",
            "> {who}: number on the order is {v}",
        ],
    ),
    (
        "credit-card",
        card,
        [
            '  "extra": {"payload": {"card_number": "{v}", "exp": "09/29"}},',
            '1733312440.771002 [0 {pip}:40211] "SET" "cart:88412:pan" "{v}"',
            "ledger=> SELECT pan FROM legacy_payments LIMIT 1;\n       pan\n------------------\n {v}\n(1 row)",
            "  File \"/srv/checkout/pay.py\", line 61, in charge\n    resp = gateway.charge(card)\n  card = '{v}'",
            "{who} commented on SUP-{num}:\nCustomer pasted their card {v} into the chat widget, please purge.",
            "| {t} | {who} | found PAN {v} in envoy access logs |",
            "[{t}] {who}: there's a full card number in the sentry event: {v}",
            '{dip} - - [04/Nov/2026:{t}:20 +0000] "POST /checkout?cc={v} HTTP/1.1" 400 77',
            "Card number: {v}",
            "PM-7315: Sentry kept {v} in a request body for 90 days.",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            '{v} - - [04/Nov/2026:{t}:05 +0000] "POST /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"',
            '{"eventName":"ConsoleLogin","sourceIPAddress":"{v}","userAgent":"Mozilla/5.0","responseElements":{"ConsoleLogin":"Success"}}',
            "PM-7320: the stolen token was first used from {v} at {t} UTC.",
            "| {t} | {who} | blocked {v} at the edge |",
            '[2026-11-04T{t}:58.331Z] "GET /v1/ledger HTTP/2" 200 - 0 2210 31 30 "{v}" "Go-http-client/2.0" "{uuid}"',
            "Received: from unknown (HELO mail.fernhollow-support.com) ([{v}])\n        by mx-2.fernhollow.internal with ESMTP",
            '  "user": {"id": "7731", "ip_address": "{v}"},',
            "[{t}] {who}: all of the brute force comes from {v}",
            '  + cidr_blocks = ["{v}/32"]',
            "X-Forwarded-For: {v}, {pip}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '[2026-11-04T{t}:02.114Z] "GET /api/orders HTTP/2" 200 - 0 518 9 8 "{v}" "okhttp/4.12.0" "{uuid}"',
            '{"eventName":"AssumeRole","sourceIPAddress":"{v}"}',
            "PM-7331: the mailbox was read over IMAP from {v}.",
            "| {t} | {who} | dropped {v} in the WAF |",
        ],
    ),
]


RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "iban",
        one_of(*(iban(c) for c in ["DE", "GB", "NL", "FR", "ES", "BE", "IT", "PL"])),
        [
            '  "extra": {"refund": {"iban": "{v}", "amount": "41.00"}},',
            " customer_id | iban\n-------------+------------------------------\n        7731 | {v}",
            "{who} commented on SUP-{num}:\nRefund to {v} please, the card is cancelled.",
            "| {t} | {who} | refund sent to {v} |",
            "[{t}] {who}: the phished mail asked us to change the payout IBAN to {v}",
            "IBAN: {v}",
            "  File \"/srv/ledger/payouts.py\", line 33, in send\n  iban = '{v}'",
            "Rekeningnummer: {v}",
        ],
    ),
    ("national-id", ssn, ["{who} commented on SUP-{num}:\nCustomer put their SSN {v} in the address line."]),
    (
        "national-id",
        nino,
        ["PM-7315: a UK payroll customer's National Insurance number {v} was in a Sentry breadcrumb."],
    ),
    (
        "email",
        email,
        [
            "Authentication-Results: mx-2.fernhollow.internal; dkim=fail header.from={v}",
            "Cc: Leandro Larrea <{v}>, ops@fernhollow.example",
            "Delivered-To: {v}",
            "PM-7331: the attacker's recovery address was {v}.",
        ],
    ),
    ("phone", next_phone, ["Fax: {v}", "WhatsApp {v}", '  sms_recipient = "{v}"']),
    (
        "ipv4",
        public_v4,
        [
            "Nov  4 {t}:41 bastion sshd[{pid}]: Failed password for invalid user admin from {v} port 50122 ssh2"
        ],
    ),
    ("credit-card", card, ["PAN={v} EXP=0328 (from the phished mailbox's 'payments' folder)"]),
]


# ---------------------------------------------------------------------------- look-alikes


def arn() -> str:
    acct = rs(DIG, 12)
    return rng.choice(
        [
            f"arn:aws:iam::{acct}:user/ci-deploy",
            f"arn:aws:s3:::fh-ledger-exports/{rs(LOW, 6)}",
            f"arn:aws:rds:eu-central-1:{acct}:db:ledger-{rs(LOW, 4)}",
            f"arn:aws:secretsmanager:eu-central-1:{acct}:secret:ledger/db-{rs(ALNUM, 6)}",
            f"arn:aws:kms:eu-central-1:{acct}:key/{uuid4()}",
            f"arn:aws:elasticache:eu-central-1:{acct}:cluster:sessions-{rs(LOW + DIG, 5)}",
        ]
    )


def b64_plain() -> str:
    return b64(
        rng.choice(
            [
                b'{"session":"anonymous","cart":[]}',
                b"ledger failover complete",
                b"terraform state v4 migrated",
                b'{"route":"/v1/refunds","cluster":"payments"}',
                b"envoy access log v2",
                b"mailbox rule removed 2026-11-05",
                b"pg-2 promoted",
                b"sentry scrubber enabled",
                b"redis keyspace sess:* expired",
                b"support queue paused",
            ]
        )
    )


def ssh_pub() -> str:
    return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + f" {rng.choice(ONCALL)}@bastion"


def cert_pem(sep: str = "\n") -> str:
    body = ["MIIDqTCCApGgAwIBAgIU" + rs(B64, 44)] + [rs(B64, 64) for _ in range(6)] + [rs(B64, 24) + "=="]
    return sep.join(["-----BEGIN CERTIFICATE-----", *body, "-----END CERTIFICATE-----"])


pub_pem = draw.ec_pub_pem


def ex_email() -> str:
    f, last = person()
    return f"{f}.{last}@" + rng.choice(
        ["example.com", "example.org", "fernhollow.example", "mail.test", "example.net"]
    )


def rsv_ip() -> str:
    return rng.choice(
        [
            priv_ip(),
            priv_ip(),
            f"192.0.2.{rng.randint(1, 254)}",
            f"198.51.100.{rng.randint(1, 254)}",
            f"203.0.113.{rng.randint(1, 254)}",
            f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"2001:db8:{rs(HEX, 4).lstrip('0') or '1'}::{rng.randint(1, 99)}",
            f"fd00:{rs(HEX, 4).lstrip('0') or '7'}::{rng.randint(2, 99)}",
            f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
        ]
    )


def long_id() -> str:
    while True:
        v = str(rng.randint(10**15, 9 * 10**17))
        if not luhn_ok(v):
            return v


def w3c_trace() -> str:
    return f"00-{rs(HEX, 32)}-{rs(HEX, 16)}-01"


def sha256() -> str:
    return "sha256:" + rs(HEX, 64)


def masked() -> str:
    return rng.choice(
        [
            "********",
            "[Filtered]",
            "<redacted>",
            "sk_live_" + "*" * 24,
            "AKIA" + "X" * 16,
            "ghp_" + "•" * 12,
            "xoxb-****-****",
            "<masked>",
            "REDACTED",
            "[REDACTED]",
            "****" + rs(DIG, 4),
            "hvs.******",
            "[Filtered]",
            "***",
            "<hidden>",
            "postgres://ledger:****@pg-1.fernhollow.internal/ledger",
            "$$MASKED$$",
            "[MASKED]",
            "••••••••",
            "sha256:<elided>",
        ]
    )


def placeholder() -> str:
    return rng.choice(
        [
            "<your-api-key>",
            "CHANGE_ME",
            "changeme",
            "YOUR_STRIPE_KEY",
            "<token>",
            "xxxxxxxxxxxxxxxxxxxx",
            "TODO",
            "<password>",
            "replace-me",
            "dummy",
            "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
            "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "<PASTE_TOKEN_HERE>",
            "<secret>",
            "...",
            "AKIAXXXXXXXXXXXXXXXX",
            "<base64-credentials>",
            "example-password",
            "<db-password>",
            "{{PASSWORD}}",
            "placeholder",
            "your-webhook-url",
        ]
    )


def templated() -> str:
    return rng.choice(
        [
            "${POSTGRES_PASSWORD}",
            "${{ secrets.STRIPE_SECRET_KEY }}",
            "{{ .Values.redis.password }}",
            "$(GITHUB_TOKEN)",
            "%env(DATABASE_URL)%",
            "var.db_password",
            "${var.slack_webhook_url}",
            '{{ vault "secret/ledger" "password" }}',
            "$REDIS_PASSWORD",
            "${env:SENTRY_AUTH_TOKEN}",
            "data.aws_secretsmanager_secret_version.ledger.secret_string",
            "{{ lookup('env', 'PGPASSWORD') }}",
            '${file("~/.secrets/stripe")}',
            "valueFrom.secretKeyRef",
            "${ssm:/fh/prod/ledger/db_password}",
            '{{ secret "payments/stripe" }}',
            "$__env{GRAFANA_TOKEN}",
            "%(smtp_password)s",
            "ENV['STRIPE_API_KEY']",
            "process.env.LEDGER_API_KEY",
            'os.environ["REDIS_URL"]',
            "${DATADOG_API_KEY:?unset}",
        ]
    )


def keyword() -> str:
    return rng.choice(
        [
            "POSTGRES_PASSWORD",
            "requirepass",
            "STRIPE_SECRET_KEY",
            "aws_secret_access_key",
            "Authorization",
            "client_secret",
            "SLACK_BOT_TOKEN",
            "masterauth",
            "private_key",
            "password",
            "api_key",
            "X-API-Key",
            "SENTRY_DSN",
            "GITHUB_TOKEN",
            "sasl.jaas.config",
            "TF_TOKEN_app_terraform_io",
            "token",
            "secret_string",
            "PGPASSWORD",
            "bearer",
        ]
    )


def fingerprint() -> str:
    return ":".join(rs(HEX, 2).upper() for _ in range(32))


def version_or_date() -> str:
    return rng.choice(
        [
            f"v{rng.randint(1, 3)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}",
            f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
            f"16.{rng.randint(1, 6)}",
            f"1.{rng.randint(25, 32)}.{rng.randint(0, 9)}",
            iso(),
            f"7.2.{rng.randint(0, 7)}",
            f"{rng.randint(1, 4)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}-rc.{rng.randint(1, 5)}",
            f"20261{rng.randint(0, 1)}{rng.randint(10, 28)}.{rng.randint(1, 9)}",
        ]
    )


def ids_numbers() -> str:
    return rng.choice(
        [
            f"req_{rs(ALNUM, 14)}",
            f"ch_3Q{rs(ALNUM, 22)}",
            f"pi_3Q{rs(ALNUM, 22)}",
            f"cus_{rs(ALNUM, 14)}",
            f"OPS-{rng.randint(100, 9999)}",
            str(rng.randint(100000, 999999)),
            f"i-0{rs(HEX, 16)}",
            f"vpc-0{rs(HEX, 16)}",
            f"sg-0{rs(HEX, 16)}",
            f"evt_1Q{rs(ALNUM, 22)}",
            long_id(),
            f"C0{rs(UP + DIG, 9)}",
            f"{rng.randint(10**9, 2 * 10**9)}",
            f"0/{rs(HEX, 8).upper()}",
            f"{rs(HEX, 24)}",
        ]
    )


DOC_KEYS = [
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AKIAI44QH8DHBEXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "AKIAIOSFODNN7EXAMPLE",
    "changeit",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
]


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "PM-7320: the malicious workflow was added in {v} and reverted an hour later.",
            "| {t} | {who} | rolled `ledger` back to {v} |",
            '{"@timestamp":"{ts}","action":"git.push","actor":"fh-ci-bot","after":"{v}","actor_ip":"{dip}"}',
            "RB-63: pin the module source to `?ref={v}` before the state move.",
            "    Image:          registry.fernhollow.internal/ledger@sha1:{v}\n    Image ID:       <none>",
            "[{t}] {who}: deployed {v} to payments, watching error rate",
            "{who} commented on OPS-{num}:\nFixed in {v}, the scrubber now drops `Authorization`.",
            '  "release": "{v}",\n  "environment": "production",',
            "ADR-221: the access-log format change is {v}.",
            '  ~ source = "git::https://git.fernhollow.internal/tf/modules.git?ref={v}"',
            "Traceback (most recent call last):\n  File \"/srv/ledger/app.py\", line 12, in <module>\n  build_sha = '{v}'",
            "$ git log -1 --format=%H\n{v}",
            "GITHUB_SHA={v}",
            "PM-7302: the pod spec that printed the secret came from {v}.",
            '"Labels": {\n    "org.opencontainers.image.revision": "{v}"\n}',
            "    Labels:  app=ledger\n             git-commit={v}",
            "Teams, #payments-incident, {t}\n{who}: is {v} the commit that added the env var?",
            '  + triggers = {\n      + "commit" = "{v}"\n    }',
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            '[2026-11-04T{t}:20.551Z] "GET /v1/ledger HTTP/2" 200 - 0 412 7 6 "{dip}" "okhttp/4.12.0" "{v}" "api.fernhollow.io" "{pip}:8443"',
            '  "event_id": "{v}",\n  "level": "error",',
            '{"eventVersion":"1.09","eventID":"{v}","eventName":"GetObject","sourceIPAddress":"{dip}"}',
            "    Container ID:   containerd://" + "{rid}" + "\n    UID:            {v}",
            "metadata:\n  name: ledger-db\n  namespace: payments\n  uid: {v}",
            "| {t} | {who} | Sentry issue {v} resolved |",
            "[{t}] {who}: request id {v} is the one that leaked the header",
            "X-Request-Id: {v}",
            '  # aws_secretsmanager_secret.ledger will be updated in-place\n  ~ id = "{v}"',
            "{who} commented on SUP-{num}:\nCorrelation id {v}, nothing sensitive in it.",
            "ledger=> SELECT * FROM refunds WHERE id = '{v}';\n(0 rows)",
            '1733312501.113872 [0 {pip}:40200] "GET" "order:{v}"',
            '"Id": "{v}",',
            "Message-ID: <{v}@mx-2.fernhollow.internal>",
            'subscription_id = "{v}"',
            "tenant_id: {v}",
            "PM-7309: the exporter's consumer group id was {v}.",
            '{"traceId":"{v}","msg":"session expired"}',
            "RB-63: the new workspace id is {v}.",
            '  + id = "{v}"',
            "Teams, #payments-incident, {t}\n{who}: Sentry event {v} is the one with the card",
            '{"eventTime":"{ts}","insertId":"{v}","severity":"NOTICE"}',
        ],
    ),
    (
        "hash-or-digest",
        sha256,
        [
            "    Image ID:       docker-pullable://registry.fernhollow.internal/ledger@{v}",
            '"Image": "{v}",',
            "$ docker inspect --format '{{.Id}}' ledger\n{v}",
            "| {t} | {who} | pinned envoy to `envoyproxy/envoy@{v}` |",
            '  ~ image = "registry.fernhollow.internal/edge@{v}"',
            "{who} commented on OPS-{num}:\nScanner flagged {v} but it's the base layer.",
            "PM-7320: the runner image digest was {v}.",
            "RB-58: the pg image digest before failover was {v}.",
        ],
    ),
    (
        "hash-or-digest",
        hexk(64),
        [
            "$ sha256sum terraform.tfstate\n{v}  terraform.tfstate",
            '  "serial": 42,\n  "lineage": "{uuid}",\n  "checksum": "{v}"',
            "x-amz-content-sha256: {v}",
            "[{t}] {who}: checksum of the export is {v}, matches",
        ],
    ),
    (
        "hash-or-digest",
        hexk(32),
        [
            'ETag: "{v}"',
            '  "fingerprint": ["{v}"],',
            "redis_version:7.2.4\nredis_git_sha1:00000000\nrun_id:{v}",
            "| {t} | {who} | Content-MD5 {v} matched the backup |",
            '  "culprit": "ledger.api",\n  "hash": "{v}"',
        ],
    ),
    (
        "trace-id",
        w3c_trace,
        [
            "traceparent: {v}",
            '[2026-11-04T{t}:44.002Z] "POST /v1/refunds HTTP/2" 201 traceparent="{v}"',
            '  "contexts": {"trace": {"traceparent": "{v}"}},',
            "[{t}] {who}: trace {v} shows the 30s wait on pg-1",
        ],
    ),
    (
        "trace-id",
        hexk(32),
        [
            "x-b3-traceid: {v}",
            '{"level":"error","trace_id":"{v}","msg":"upstream connect error"}',
            '  "contexts": {"trace": {"trace_id": "{v}", "op": "http.server"}},',
            "{who} commented on OPS-{num}:\nJaeger trace {v} is the slow one.",
            "x-cloud-trace-context: {v}/1;o=1",
            "| {t} | {who} | trace `{v}` |",
        ],
    ),
    (
        "trace-id",
        lambda: f"1-{rs(HEX, 8)}-{rs(HEX, 24)}",
        ["X-Amzn-Trace-Id: Root={v}", '{"xrayTraceId":"{v}"}'],
    ),
    (
        "trace-id",
        hexk(16),
        ["x-b3-spanid: {v}", '  "span_id": "{v}",', "envoy: x-envoy-upstream-service-time=12 span={v}"],
    ),
    (
        "cloud-resource-id",
        arn,
        [
            '{"userIdentity":{"type":"AssumedRole","arn":"{v}"},"eventName":"GetSecretValue"}',
            '  # aws_iam_role_policy.exporter will be updated in-place\n  ~ resource = "{v}"',
            "| {t} | {who} | scoped the policy down to {v} |",
            "RB-63: import {v} into the new state.",
            "[{t}] {who}: the role was {v}",
            "$ terraform import aws_kms_key.ledger {v}",
            "PM-7320: CloudTrail shows reads of {v}.",
            '  "resources": [{"ARN": "{v}"}],',
            "{who} commented on OPS-{num}:\nTarget: {v}",
            "    Annotations:  eks.amazonaws.com/role-arn: {v}",
        ],
    ),
    (
        "cloud-resource-id",
        ids_numbers,
        [
            '  + instance_id = "{v}"',
            "| {t} | {who} | ref {v} |",
            "[{t}] {who}: look at {v}",
            '{"object":"event","id":"{v}"}',
            "PM-7302: Stripe log entry {v}.",
        ],
    ),
    (
        "placeholder",
        placeholder,
        [
            *envs(
                "STRIPE_SECRET_KEY",
                "POSTGRES_PASSWORD",
                "SLACK_WEBHOOK_URL",
                "AWS_SECRET_ACCESS_KEY",
                "GITHUB_TOKEN",
                "REDIS_PASSWORD",
                "SENTRY_AUTH_TOKEN",
                "LEDGER_API_KEY",
                start=0,
            ),
            "RB-58: set `primary_conninfo` password to {v} in the template, the real one comes from Vault.",
            "$ curl -H 'Authorization: Bearer {v}' https://ops-api.fernhollow.internal/v1/health",
            '  + password = "{v}"',
            "requirepass {v}",
            "| variable | value |\n|---|---|\n| `STRIPE_API_KEY` | {v} |",
            "[{t}] {who}: the README example says api_key={v}, that's fine",
            "{who} commented on OPS-{num}:\nIn the runbook use `--token {v}`.",
            'db_password = "{v}"',
            "Authorization: Basic {v}",
            '1733312555.001212 [0 {pip}:53190] "AUTH" "{v}"',
            "postgres=# ALTER ROLE ledger PASSWORD '{v}';",
            "X-API-Key: {v}",
            "slack_api_url: {v}",
            "GOOGLE_MAPS_API_KEY={v}",
        ],
    ),
    (
        "templated-value",
        templated,
        [
            *envs(
                "POSTGRES_PASSWORD",
                "STRIPE_SECRET_KEY",
                "GITHUB_TOKEN",
                "DATABASE_URL",
                "REDIS_PASSWORD",
                "SLACK_BOT_TOKEN",
                "SENTRY_AUTH_TOKEN",
                "LEDGER_API_KEY",
                start=1,
            ),
            "  + password = {v}",
            "RB-63: the backend reads its password from {v}.",
            "requirepass {v}",
            "Authorization: Bearer {v}",
            "| `DATABASE_URL` | {v} |",
            "{who} commented on OPS-{num}:\nSwitched the chart to {v}, no plain value in values.yaml now.",
            "primary_conninfo = 'host=pg-1 user=replicator password={v}'",
            "[{t}] {who}: it's {v} in the deployment, not a literal",
            "api_key: {v}",
            "db_password = {v}",
            "token={v}",
            "smtp_auth_password: {v}",
            "- name: STRIPE_SECRET_KEY\n  value: {v}",
            "TF_VAR_db_password={v}",
        ],
    ),
    (
        "masked-value",
        masked,
        [
            *envs(
                "STRIPE_SECRET_KEY",
                "POSTGRES_PASSWORD",
                "AWS_ACCESS_KEY_ID",
                "GITHUB_TOKEN",
                "SLACK_BOT_TOKEN",
                "REDIS_PASSWORD",
                start=2,
            ),
            '  "request": {"headers": {"Authorization": "{v}"}},',
            "  ~ master_password = {v}",
            '1733312560.440120 [0 {pip}:53190] "AUTH" "{v}"',
            '[2026-11-04T{t}:01.002Z] "GET /v1/refunds?token={v} HTTP/2" 200',
            "| `ledger` | pg-1 | {v} | rotated {t} |",
            "{who} commented on OPS-{num}:\nKey in the screenshot was {v}.",
            "[{t}] {who}: the log now shows password={v}",
            '{"requestParameters":{"userName":"break-glass","password":"{v}"}}',
            "Cookie: fh_session={v}",
            "  password = '{v}'",
            "X-API-Key: {v}",
            "card_number: {v}",
            "DATABASE_URL={v}",
        ],
    ),
    (
        "keyword-no-value",
        keyword,
        [
            "PM-7302: `kubectl describe` prints {v} only when it comes from `env.value`; `secretKeyRef` shows the name.",
            "ADR-221: Envoy must drop the {v} header before writing the access log.",
            "RB-58: {v} is read from Vault at promotion time.",
            "PM-7315: the Sentry scrubber now strips any field called {v}.",
            "| {t} | {who} | removed {v} from the pod spec |",
            "[{t}] {who}: which service still reads {v}?",
            "{who} commented on OPS-{num}:\n{v} is unset in staging now.",
            "RB-63: do not pass {v} on the command line.",
            "PM-7309: Redis MONITOR printed {v} arguments, so MONITOR is disabled in prod.",
            "    Environment Variables from:\n      ledger-db  Secret  Optional: false\n    Environment:\n      {v}:  <set to the key 'password' in secret 'ledger-db'>  Optional: false",
            "  # (1 unchanged attribute hidden)\n  # {v} is marked sensitive",
            "PM-7320: the workflow echoed {v} into the log.",
            "ADR-221: query parameters named {v} are replaced before logging.",
            "Error: required variable {v} not set",
            "PM-7331: the phishing page asked for {v}.",
            "RB-63: rename {v} in the new backend config.",
            "PM-7302: the Helm chart exposes {v} as a plain value.",
            "  - {v}",
            "WARN config: {v} is empty, using anonymous access",
            "The field {v} is required.",
        ],
    ),
    (
        "private-or-reserved-ip",
        rsv_ip,
        [
            '{v} - - [04/Nov/2026:{t}:00 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.30"',
            "    IP:           {v}\n    Port:         8080/TCP",
            '"IPAddress": "{v}",',
            '[2026-11-04T{t}:10.011Z] "GET /ready HTTP/1.1" 200 - 0 2 0 0 "{v}" "Envoy/HC" "{uuid}"',
            "RB-58: the new primary is {v}.",
            "| {t} | {who} | pg-2 ({v}) promoted |",
            "[{t}] {who}: redis is on {v}",
            'psql: error: connection to server at "{v}", port 5432 failed: Connection refused',
            '1733312570.120010 [0 {v}:40210] "PING"',
            '  + private_ip = "{v}"',
            '{"eventName":"DescribeInstances","sourceIPAddress":"{v}"}',
            "Received: from mx-2.fernhollow.internal ({v}) by relay-1.fernhollow.internal",
            "X-Forwarded-For: {v}",
            '  "user": {"ip_address": "{v}"},',
            "{who} commented on OPS-{num}:\nSource was {v}, that's our NAT.",
            "upstream_host={v}:8443",
            "Endpoints:  {v}:5432",
            "server pg-1 {v}:5432 check",
            "redis-sessions:6379> CLIENT LIST\nid=41 addr={v}:40200 name=exporter cmd=monitor",
            "ledger=> SELECT client_addr FROM pg_stat_replication;\n client_addr\n-------------\n {v}\n(1 row)",
            "Nov  4 {t}:12 bastion sshd[{pid}]: Accepted publickey for ops from {v} port 50122 ssh2",
            "PM-7320: the runner's egress was {v}.",
        ],
    ),
    (
        "example-email",
        ex_email,
        [
            "From: Support Bot <{v}>",
            '  "user": {"email": "{v}"},',
            "| {t} | {who} | test mailbox {v} |",
            "[{t}] {who}: I sent the repro to {v}",
            "ledger=> SELECT id FROM customers WHERE email = '{v}';",
            "{who} commented on SUP-{num}:\nUse {v} in the staging fixture.",
            "To: {v}",
            "ALERT_EMAIL={v}",
            "PM-7331: the phishing sender spoofed {v}.",
            '1733312580.001201 [0 {pip}:40200] "HSET" "sess:test" "email" "{v}"',
            '{dip} - - [04/Nov/2026:{t}:12 +0000] "GET /v1/customers/lookup?email={v} HTTP/1.1" 404 0',
            "  customer_email = '{v}'",
            "Teams, #support, {t}\n{who}: the template sender is {v}",
        ],
    ),
    (
        "vendor-example-key",
        one_of(*DOC_KEYS),
        [
            "    Environment:\n      AWS_ACCESS_KEY_ID:  {v}\n      AWS_REGION:         eu-central-1",
            "[profile localstack]\naws_secret_access_key = {v}",
            "# from the AWS docs: {v}",
            "AWS_SECRET_ACCESS_KEY={v}",
            "STRIPE_SECRET_KEY={v}",
            "[{t}] {who}: that JWT is the jwt.io sample, {v}",
            "AZURITE_ACCOUNT_KEY={v}",
            "| example | `{v}` |",
            "-Djavax.net.ssl.trustStorePassword={v}",
            '  aws_secret_access_key = "{v}"',
        ],
    ),
    (
        "version-or-date",
        version_or_date,
        [
            "    Image:          postgres:16.4\n    Started:        {v}",
            "| {t} | {who} | envoy upgraded to {v} |",
            "Server Version: {v}",
            '  ~ engine_version = "15.8" -> "{v}"',
            "[{t}] {who}: terraform {v} fixes the state lock bug",
            "{who} commented on OPS-{num}:\nPinned sentry-sdk to {v}.",
            '  "sdk": {"name": "sentry.python", "version": "{v}"},',
            "redis_version:{v}",
            "RB-58: last tested on {v}.",
            "Date: {v}",
            "PM-7309: the session TTL change shipped on {v}.",
            "server_version={v}",
        ],
    ),
    (
        "public-key-or-cert",
        ssh_pub,
        [
            "RB-58: add to `authorized_keys` on pg-2:\n{v}",
            "[{t}] {who}: my key is {v}",
            '  + public_key = "{v}"',
        ],
    ),
    (
        "public-key-or-cert",
        cert_pem,
        ["PM-7302: the payments TLS certificate (public half):\n{v}", "Data\n====\ntls.crt:\n{v}"],
    ),
    ("public-key-or-cert", pub_pem, ["ADR-221: the JWT verification key for edge:\n{v}"]),
    ("public-key-or-cert", pub_pem, ["PM-7315: Sentry's relay public key:\n{v}"]),
    ("public-key-or-cert", fingerprint, ["SHA256 Fingerprint={v}", "[{t}] {who}: cert fingerprint {v}"]),
    (
        "ids-and-numbers",
        ids_numbers,
        [
            '  "order_id": "{v}",',
            "ledger=> SELECT count(*) FROM refunds WHERE batch = '{v}';",
            "{who} commented on SUP-{num}:\nLinked to {v}.",
            "| {t} | {who} | {v} |",
            '1733312590.888001 [0 {pip}:40200] "DEL" "cart:{v}"',
            '[2026-11-04T{t}:01.002Z] "GET /v1/orders/{v} HTTP/2" 200',
            "Stripe-Request-Id: {v}",
            "    Node:         ip-10-20-4-11.eu-central-1.compute.internal/10.20.4.11\n    Labels:       batch={v}",
            "PM-7315: Sentry issue {v} grouped 4,112 events.",
            "pg_current_wal_lsn: {v}",
            "Teams, #payments-incident, {t}\n{who}: Jira says {v}",
        ],
    ),
    (
        "ids-and-numbers",
        long_id,
        [
            "X-Datadog-Trace-Id: {v}",
            '"snowflake_id": "{v}"',
            "[{t}] {who}: tweet id {v} is the phishing post",
            "order_ref={v}",
        ],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            '  "extra": {"order_ref": "{v}"},',
            "ledger=> SELECT * FROM payouts WHERE ref = '{v}';",
            "| {t} | {who} | batch {v} |",
            "{who} commented on SUP-{num}:\nTracking number {v}.",
            '1733312599.120001 [0 {pip}:40200] "GET" "ref:{v}"',
            "[{t}] {who}: that's not a card, it's consignment {v}",
        ],
    ),
    (
        "documented-test-card",
        one_of(
            "4242424242424242",
            "4000056655665556",
            "5555555555554444",
            "378282246310005",
            "6011111111111117",
            "4000000000000002",
            "3530111333300000",
            "4000002500003155",
        ),
        [
            '  "extra": {"payload": {"card_number": "{v}"}},',
            "RB-58 smoke test: pay with {v}.",
            "| {t} | {who} | declined test card {v} |",
            "[{t}] {who}: use {v} in staging",
            "{who} commented on SUP-{num}:\nRepro with {v}, any future expiry.",
            '1733312610.001112 [0 {pip}:40211] "SET" "cart:test:pan" "{v}"',
            "Card number: {v} (Stripe test mode)",
            "  card = '{v}'",
        ],
    ),
    (
        "base64-nonsecret",
        b64_plain,
        [
            '  "data": "{v}",',
            '1733312620.442210 [0 {pip}:40200] "SET" "note:1" "{v}"',
            "apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  motd: {v}",
            "{who} commented on OPS-{num}:\nThe blob was just {v}, decodes to a status line.",
            "[{t}] {who}: echo {v} | base64 -d",
            "| {t} | {who} | payload `{v}` |",
            "X-Debug-Context: {v}",
            '{"level":"info","msg":"publish","payload":"{v}"}',
        ],
    ),
]


RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "cloud-resource-id",
        one_of(
            "ledger-prod.cluster-c7x2k9.eu-central-1.rds.amazonaws.com",
            "sessions-001.x1y2z3.0001.euc1.cache.amazonaws.com",
            "fhbackups.blob.core.windows.net",
            "o44123.ingest.de.sentry.io",
            "fh-tfstate.s3.eu-central-1.amazonaws.com",
        ),
        [
            "RB-58: the writer endpoint is {v}.",
            "PM-7309: the session cache endpoint is {v}.",
            "RB-63: old state container on {v}.",
            "PM-7315: events went to {v}.",
            "RB-63: the new state bucket endpoint is {v}.",
        ],
    ),
    (
        "keyword-no-value",
        one_of(
            "STRIPE_WEBHOOK_SECRET",
            "VAULT_TOKEN",
            "TF_TOKEN_app_terraform_io",
            "DD_API_KEY",
            "ARM_CLIENT_SECRET",
        ),
        [
            "PM-7302: {v} moves to External Secrets.",
            "PM-7320: {v} was not in the runner's environment.",
            "RB-63: {v} is read from the CI secret store.",
            "ADR-221: the edge never sees {v}.",
            "PM-7320: {v} was rotated as a precaution.",
        ],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt|sa)[-_][A-Za-z0-9_-]{20}|xox[bpa]-\d|xoxe\.xoxp-|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|GOCSPX-"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dop_v1_|hvs\.[A-Za-z0-9]{6}|\.atlasv1\.|ATATT3|pypi-AgE|AGE-SECRET-KEY"
    r"|lin_api_|NRAK-|sntrys_|sbp_|:APA91b|key-[0-9a-f]{32}|shpat_|SSWS 00|HRKU-|dp\.st\.|PMAK-|pul-[0-9a-f]{40}|nfp_|rnd_[A-Za-z0-9]{20}"
    r"|FlyV1|ntn_\d|re_[A-Za-z0-9]{8}_|bkua_|CCIPAT_|bot\d{9,10}:AA|discord\.com/api/webhooks/\d|webhookb2/|AccountKey=[A-Za-z0-9+/]{20}"
    r"|SharedAccessKey=[A-Za-z0-9+/]{20}|Q~[A-Za-z0-9_.~-]{30}|sig=[A-Za-z0-9%]{20}|ya29\.|eyJrIjoi"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?<![A-Za-z0-9])(?:AC|SK)[0-9a-f]{32}"
    r"|(?<!:)(?i:password|passwd|pass|pwd|secret|token|requirepass|masterauth)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_.%-]{12,}"
)
OK_MAIL = re.compile(
    r"@(example\.(com|org|net)|[\w.-]+\.example|[\w.-]+\.test|[\w.-]+\.iam\.gserviceaccount\.com|[\w.-]+\.fernhollow\.internal)$"
)
PHONEISH = re.compile(
    r"555[-. ]?01\d\d|7700 ?900|7946 ?0|491 ?57\d ?\d{3}|5550 ?\d{4}|6[ .]39[ .]98|1 99 00 \d\d"
    r"|496 ?0\d{3}|9018 ?0\d{3}"
)


def national_id_ok(row: dict) -> bool:
    """A US SSN outside the never-issued areas, or a UK National Insurance number with valid prefix letters."""
    return ssn_or_nino_ok(row["value"]) and not set(row["value"][:2]) & set("DFIQUV")


CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=FILL,
    test_cards=TEST_CARDS,
    ok_mail=OK_MAIL,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=pem_block_ok,
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t21", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
