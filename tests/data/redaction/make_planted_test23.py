# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test23.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test23.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270123)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a hospital shift-scheduling SaaS called Wrenfield: PM-9104 Terraform
state with database passwords in a public bucket, PM-9111 Kubernetes Secret manifests committed to
the Helm chart repository, PM-9117 registry and package credentials baked into container images,
PM-9123 a data-science notebook with keys and staff contacts pushed to GitHub, RB-84 Windows
service-account rotation in PowerShell, RB-89 rota-engine crash triage (Go and Rust panics,
systemd journal), ADR-305 HAR files attached to support tickets and PM-9130 a rota export e-mailed
to the wrong hospital trust. The contexts are Terraform plan and state output, Kubernetes YAML and
``kubectl describe``, ``docker inspect`` JSON, ``.npmrc``/``.pypirc``/``.netrc``/``.git-credentials``,
notebook JSON cells, PowerShell sessions, panic traces, HAR excerpts, journal lines, Markdown tables
and quoted e-mail threads. Common shapes come first in each kind (``t23p…``/``t23n…``); the summary
it prints says where the split falls.
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
    TEST_CARDS,
    UP,
    Draw,
    Gen,
    S,
    b64,
    expand_sections,
    pem_block_ok,
    sanity,
    ssn_or_nino_ok,
    write_fold,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test23.jsonl"
FOLD = "test23"
rng = Random(20270123)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
akid, aws_secret, gcp_api, az_client_secret = draw.akid, draw.aws_secret, draw.gcp_api, draw.az_client_secret
gh_token, slack_token, slack_hook, stripe_key = (
    draw.gh_token,
    draw.slack_token,
    draw.slack_hook,
    draw.stripe_key,
)
card, luhn_bad, public_v4, public_v6, priv_ip = (
    draw.card,
    draw.luhn_bad,
    draw.public_v4,
    draw.public_v6,
    draw.priv_ip,
)
ssn, nino, iban, phone = draw.ssn, draw.nino, draw.iban, draw.phone

TYPES = {**SHARED_TYPES, S: {*SHARED_TYPES[S], "generic-api-key"}}

WORDS = [
    "lantern",
    "bramble",
    "cobalt",
    "thistle",
    "quarry",
    "heron",
    "saffron",
    "juniper",
    "mortar",
    "plover",
]


pre = draw.pre


def gl_token() -> str:
    return rng.choice(["glpat-", "glpat-", "glpat-", "gldt-"]) + rs(ALNUM + "-_", 20)


jwt = partial(
    draw.jwt,
    ["HS256", "RS256", "ES256"],
    ["https://auth.wrenfield.internal", "rota-api", "har-gateway"],
    ["staff:88213", "svc:rota-engine", "trust:st-aldhelm", "ci:deploy"],
    ["rota:read", "rota:write", "admin", "exports"],
)


private_key = partial(
    draw.pem_private_key,
    rsa=("MIIEogIBAAKCAQEA", 44, "="),
    ssh_tail=22,
    pkcs8=("MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC", 28),
)


def pk(kind: str, sep: str = "\n") -> Gen:
    return lambda: private_key(kind, sep)


password = partial(draw.password4, WORDS)

plain_pw = partial(draw.plain_password, WORDS)

basic_cred = partial(
    draw.basic_cred, ["rota-svc", "deploy", "ci-publisher", "svc-backup", "har-upload", "grafana"], WORDS
)


def b64_pw() -> str:
    return b64(plain_pw().encode())


FIRST = ["adaeze", "bertil", "cosima", "dmitri", "elowen", "fintan", "greta", "horatio", "ingrid", "joaquin"]
LAST = [
    "abernethy",
    "blackwood",
    "carrington",
    "delacroix",
    "ellsworth",
    "featherstone",
    "gunnarsson",
    "holloway",
    "okonkwo",
]
MAIL = [
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.co.uk",
    "icloud.com",
    "protonmail.com",
    "virginmedia.com",
    "talktalk.net",
    "orange.fr",
]

email = partial(draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}.{last}", "{last}{i}"))


doc_ip = draw.doc_ip


SVCS = ["rota-api", "rota-engine", "shift-sync", "notifier", "exporter", "har-gateway", "pager-bridge"]
ONCALL = ["agnieszka", "bram", "catalina", "dev", "eilidh", "femi", "goran", "hanne", "ismail", "jun"]
NODES = ["rota-worker-1", "rota-worker-2", "rota-worker-3", "sched-db-1", "ops-bastion"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "node": lambda: rng.choice(NODES),
    "pip": priv_ip,
    "dip": doc_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "job": lambda: str(rng.randint(10_000, 99_999)),
    "sha7": lambda: rs(HEX, 7),
    "uuid": uuid4,
    "day": lambda: f"{rng.randint(1, 28):02d}",
}


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            '  # aws_iam_access_key.rota_exporter will be created\n  + resource "aws_iam_access_key" "rota_exporter" {\n      + id     = "{v}"\n      + user   = "rota-exporter"',
            '            "Env": [\n                "AWS_ACCESS_KEY_ID={v}",\n                "AWS_REGION=eu-west-2",',
            "PS C:\\ops> $env:AWS_ACCESS_KEY_ID = '{v}'",
            '    "source": [\n     "import boto3\\n",\n     "s3 = boto3.client(\'s3\', aws_access_key_id=\'{v}\')\\n"\n    ]',
            "> On {day} Dec 2026, at {t}, {who} wrote:\n> the exporter's key id is {v}, can you check CloudTrail for it?",
            "| {t} | {who} | key `{v}` found in wrenfield-tfstate/prod.tfstate, deactivated |",
            "Dec {day} {t}:14 {node} exporter[{job}]: using static credentials key_id={v} region=eu-west-2",
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: exporter-env\ndata:\n  AWS_ACCESS_KEY_ID: "{v}"',
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            '          "attributes": {\n            "id": "rota-exporter",\n            "secret": "{v}",',
            '                "AWS_SECRET_ACCESS_KEY={v}",',
            "PS C:\\ops> $env:AWS_SECRET_ACCESS_KEY = '{v}'",
            '     "aws_secret_access_key = \\"{v}\\"\\n",',
            "| {t} | exporter key secret | `{v}` | rotated by {who} |",
            "  AWS_SECRET_ACCESS_KEY:  {v}",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "https://wren-ci:{v}@github.com",
            "machine github.com login wren-ci password {v}",
            '            "Env": [\n                "GITHUB_TOKEN={v}",',
            "PS C:\\ops> gh auth login --with-token <<< '{v}'",
            '     "headers = {\\"Authorization\\": \\"token {v}\\"}\\n",',
            "> > The notebook pushed with {v} from the shared jupyter box.",
            "| {t} | GitHub secret scanning | {v} | revoked automatically |",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            "@wrenfield:registry=https://gitlab.wrenfield.internal/api/v4/projects/118/packages/npm/\n//gitlab.wrenfield.internal/api/v4/projects/118/packages/npm/:_authToken={v}",
            "https://oauth2:{v}@gitlab.wrenfield.internal",
            '  + variable "GITLAB_TOKEN" {\n      + value = "{v}"',
            "  GITLAB_TOKEN:  {v}",
            "PS C:\\ops> git clone https://gitlab-ci-token:{v}@gitlab.wrenfield.internal/rota/engine.git",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            '  + resource "kubernetes_secret" "pager_bridge" {\n      + data = {\n          + "SLACK_BOT_TOKEN" = "{v}"',
            "stringData:\n  SLACK_BOT_TOKEN: {v}\n  SLACK_CHANNEL: '#rota-alerts'",
            '     "client = WebClient(token=\\"{v}\\")\\n",',
            "Dec {day} {t}:33 {node} pager-bridge[{job}]: slack auth.test ok team=wrenfield token={v}",
            "> From: Hanne Lund <hanne@wrenfield.example>\n> pager-bridge bot token, if you need it: {v}",
            '{"name": "token", "value": "{v}"}',
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            '  + resource "aws_ssm_parameter" "alert_hook" {\n      + name  = "/rota/alert-hook"\n      + type  = "String"\n      + value = "{v}"',
            "  ALERT_WEBHOOK:  {v}",
            "PS C:\\ops> Invoke-RestMethod -Uri '{v}' -Method Post -Body $payload",
            "thread 'notifier' panicked at src/alert.rs:71:14:\nwebhook post failed: reqwest::Error { kind: Status(404), url: \"{v}\" }",
            '     "WEBHOOK = \\"{v}\\"\\n",',
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            '  ~ resource "kubernetes_secret" "billing" {\n      ~ data = {\n          ~ "STRIPE_API_KEY" = (sensitive value) -> "{v}"',
            '            "Env": [\n                "STRIPE_SECRET_KEY={v}",',
            "| {t} | billing | Stripe key `{v}` rolled after the chart leak |",
            "> > > billing uses {v} in prod, the test one is in 1Password",
            'panic: stripe: invalid api key "{v}"\n\ngoroutine 1 [running]:\nmain.mustBilling()\n\t/src/billing/main.go:44 +0x1c5',
            "PS C:\\ops> $env:STRIPE_KEY = '{v}'",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            '          {\n            "name": "Authorization",\n            "value": "Bearer {v}"\n          },',
            '          {\n            "name": "wf_session",\n            "value": "{v}",\n            "path": "/",\n            "httpOnly": true',
            "Dec {day} {t}:02 {node} har-gateway[{job}]: upstream 401 for bearer={v}",
            "PS C:\\ops> $headers = @{ Authorization = 'Bearer {v}' }",
            "| {t} | ADR-305 | support ticket 4471 HAR contained `{v}` |",
            "  ROTA_SERVICE_JWT:  {v}",
            '     "token = \\"{v}\\"\\n",',
        ],
    ),
    (
        "private-key",
        pk("rsa", "\n    "),
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: rota-api-tls\ntype: kubernetes.io/tls\nstringData:\n  tls.key: |\n    {v}",
        ],
    ),
    (
        "private-key",
        pk("pkcs8", "\\n"),
        [
            '          "attributes": {\n            "algorithm": "RSA",\n            "private_key_pem": "{v}",',
            '     "PRIVATE_KEY = \\"{v}\\"\\n",',
        ],
    ),
    (
        "private-key",
        pk("ssh"),
        [
            "PS C:\\ops> Get-Content $env:USERPROFILE\\.ssh\\id_ed25519\n{v}",
            "> On {day} Dec 2026 {who} wrote:\n> here's the deploy key so you can test\n{v}",
        ],
    ),
    (
        "private-key",
        pk("ec"),
        [
            "$ docker run --rm --entrypoint cat registry.wrenfield.internal/rota-api:{sha7} /app/certs/signing.key\n{v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            '            "Env": [\n                "DATABASE_URL=postgres://rota:{v}@sched-db-1.wrenfield.internal:5432/rota",',
            '  + connection_string = "postgresql://rota_admin:{v}@{pip}:5432/rota?sslmode=require"',
            "https://wren-ci:{v}@git.wrenfield.internal",
            "panic: failed to open db: dial postgres://engine:{v}@sched-db-1:5432/rota: connection refused\n\ngoroutine 1 [running]:",
            "Dec {day} {t}:51 {node} shift-sync[{job}]: connecting to amqp://shiftsync:{v}@rabbit.wrenfield.internal:5672/rota",
            '     "engine = create_engine(\\"postgresql+psycopg2://analyst:{v}@{pip}:5432/rota\\")\\n",',
            'Config { db_url: "postgres://engine:{v}@sched-db-1:5432/rota", pool_size: 16, tls: true }',
            "  REDIS_URL:  redis://default:{v}@cache.wrenfield.internal:6379/0",
            "PS C:\\ops> $cs = 'mongodb://reporting:{v}@mongo.wrenfield.internal:27017/rota?authSource=admin'",
            "| {t} | {who} | rotated `mysql://legacy:{v}@{pip}:3306/payroll` |",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            '  + resource "aws_db_instance" "sched" {\n      + identifier = "sched-prod"\n      + password   = "{v}"',
            '          "attributes": {\n            "master_username": "rota_admin",\n            "master_password": "{v}",',
            '$ terraform output -json\n{\n  "db_password": {\n    "sensitive": true,\n    "type": "string",\n    "value": "{v}"\n  }\n}',
            "stringData:\n  POSTGRES_PASSWORD: '{v}'",
            '                "POSTGRES_PASSWORD={v}",',
            "PS C:\\ops> $pw = ConvertTo-SecureString '{v}' -AsPlainText -Force",
            '     "DB_PASSWORD = \\"{v}\\"\\n",',
            "Dec {day} {t}:09 {node} rota-engine[{job}]: config loaded: db.user=engine db.password={v}",
            "> > db password for the reporting replica is {v} (please don't forward)",
            "| sched-db-1 | rota_admin | `{v}` | from tfstate |",
            "  REPORTING_DB_PASSWORD:  {v}",
            "[pypi]\nusername = wrenfield-ci\npassword = {v}",
        ],
    ),
    (
        "password-assignment",
        b64_pw,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sched-db\ntype: Opaque\ndata:\n  password: {v}",
            "data:\n  username: cm90YV9hZG1pbg==\n  password: {v}",
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "machine nexus.wrenfield.internal\n  login deploy\n  password {v}",
            "PS C:\\ops> net use \\\\fs01\\rota-exports /user:WRENFIELD\\svc-export {v}",
            "PS C:\\ops> cmdkey /add:sql01.wrenfield.internal /user:WRENFIELD\\svc-rota /pass:{v}",
            'PS C:\\ops> Set-ADAccountPassword -Identity svc-rota -Reset -NewPassword (ConvertTo-SecureString -AsPlainText "{v}" -Force)',
            "panic: store: open failed with config &{DBHost:sched-db-1 DBUser:engine DBPassword:{v} PoolSize:16}\n\ngoroutine 1 [running]:\nmain.(*Store).Open(0xc00012a000, {0xc0001b6000, 0x41})\n\t/src/engine/store.go:88 +0x2f1",
            '            "Cmd": [\n                "--db-user=engine",\n                "--db-password={v}"\n            ],',
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{\n  "auths": {\n    "registry.wrenfield.internal": {\n      "auth": "{v}"\n    }\n  }\n}',
            "_auth={v}\nalways-auth=true\nregistry=https://nexus.wrenfield.internal/repository/npm/",
            '          {\n            "name": "Authorization",\n            "value": "Basic {v}"\n          }',
            "PS C:\\ops> Invoke-WebRequest https://nexus.wrenfield.internal/service/rest/v1/status -Headers @{Authorization='Basic {v}'}",
            "Dec {day} {t}:40 {node} har-gateway[{job}]: forwarding header authorization=Basic {v}",
            "| {t} | nexus | `Authorization: Basic {v}` in ticket 4480 |",
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, rng.randint(32, 48)),
        [
            '          {\n            "name": "authorization",\n            "value": "Bearer {v}"\n          }',
            'PS C:\\ops> Invoke-RestMethod https://api.wrenfield.internal/v3/rotas -Headers @{ Authorization = "Bearer {v}" }',
            "Dec {day} {t}:16 {node} notifier[{job}]: POST https://push.wrenfield.internal/send Authorization: Bearer {v}",
            "> > > use `Authorization: Bearer {v}` against the staging trust API",
            "| {t} | ADR-305 | trust API bearer `{v}` in HAR of ticket 4492 |",
        ],
    ),
    (
        "generic-api-key",
        pre("", ALNUM, 40),
        [
            '                "ROTA_API_KEY={v}",',
            "  PAGER_API_KEY:  {v}",
            '     "api_key = \\"{v}\\"\\n",',
            '          {\n            "name": "x-api-key",\n            "value": "{v}"\n          }',
            "PS C:\\ops> $env:ROTA_API_KEY = '{v}'",
        ],
    ),
    (
        "aws-key",
        akid,
        [
            "aws_access_key_id={v}",
            '{"eventName":"ListBuckets","userIdentity":{"accessKeyId":"{v}","userName":"rota-exporter"},"sourceIPAddress":"{dip}"}',
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "//npm.pkg.github.com/:_authToken={v}\n@wrenfield:registry=https://npm.pkg.github.com",
            "thread 'main' panicked at src/release.rs:33:9:\nGitHub API 401 with token \"{v}\"",
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-key",
        gcp_api,
        ['     "MAPS_KEY = \\"{v}\\"\\n",', '  + variable "maps_api_key" {\n      + value = "{v}"'],
    ),
    (
        "gcp-service-account-key",
        pk("pkcs8", "\\n"),
        [
            'stringData:\n  key.json: \'{"type": "service_account", "project_id": "wren-analytics", "private_key_id": "{sha7}", "private_key": "{v}", "client_email": "notebook@wren-analytics.iam.gserviceaccount.com"}\''
        ],
    ),
    (
        "azure-key",
        az_client_secret,
        [
            "PS C:\\ops> $env:AZURE_CLIENT_SECRET = '{v}'",
            '  + resource "azuread_application_password" "rota" {\n      + value = "{v}"',
        ],
    ),
    (
        "azure-key",
        lambda: b64(draw.rbytes(64)),
        [
            '                "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=wrenexports;AccountKey={v};EndpointSuffix=core.windows.net",',
            "PS C:\\ops> $ctx = New-AzStorageContext -StorageAccountName wrenexports -StorageAccountKey '{v}'",
        ],
    ),
    (
        "azure-key",
        lambda: b64(draw.rbytes(32)),
        [
            "Endpoint=sb://wren-rota.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}"
        ],
    ),
    (
        "vendor-token",
        pre("npm_", ALNUM, 36),
        [
            "//registry.npmjs.org/:_authToken={v}",
            '                "NPM_TOKEN={v}",',
        ],
    ),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 64),
        ["[pypi]\n  username = __token__\n  password = {v}", "PS C:\\ops> $env:TWINE_PASSWORD = '{v}'"],
    ),
    (
        "vendor-token",
        pre("dckr_pat_", B64URL, 27),
        ["PS C:\\ops> '{v}' | docker login -u wrenrelease --password-stdin", "  DOCKERHUB_TOKEN:  {v}"],
    ),
    (
        "vendor-token",
        pre("hvs.", B64URL, 90),
        ["Dec {day} {t}:21 {node} vault-agent[{job}]: renewed token {v} ttl=768h", "  VAULT_TOKEN:  {v}"],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67),
        ['credentials "app.terraform.io" {\n  token = "{v}"\n}'],
    ),
    (
        "vendor-token",
        pre("sk-proj-", B64URL, 74),
        ['     "openai.api_key = \\"{v}\\"\\n",', '                "OPENAI_API_KEY={v}",'],
    ),
    (
        "vendor-token",
        pre("sk-ant-api03-", B64URL, 93, "AA"),
        ['     "client = anthropic.Anthropic(api_key=\\"{v}\\")\\n",'],
    ),
    ("vendor-token", pre("hf_", ALNUM, 34), ['     "login(token=\\"{v}\\")\\n",']),
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        ["  SENDGRID_API_KEY:  {v}", "Dec {day} {t}:45 {node} notifier[{job}]: sendgrid client init key={v}"],
    ),
    (
        "vendor-token",
        lambda: "AC" + rs(HEX, 32),
        ['  + resource "twilio_account" "sms" {\n      + account_sid = "{v}"'],
    ),
    ("vendor-token", lambda: "SK" + rs(HEX, 32), ["stringData:\n  TWILIO_API_KEY: {v}"]),
    ("vendor-token", pre("dop_v1_", HEX, 64), ["PS C:\\ops> doctl auth init --access-token {v}"]),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        ['  + resource "grafana_service_account_token" "ci" {\n      + key = "{v}"'],
    ),
    ("vendor-token", pre("NRAK-", UP + DIG, 27), ["  NEW_RELIC_API_KEY:  {v}"]),
    (
        "vendor-token",
        lambda: "ATATT3xFfGF0" + rs(B64URL, 170) + "=" + rs(HEX, 8).upper(),
        ["> > jira token for the export bot: {v}"],
    ),
    (
        "vendor-token",
        lambda: "dp.st.prd." + rs(ALNUM, 43),
        ["PS C:\\ops> $env:DOPPLER_TOKEN = '{v}'"],
    ),
    (
        "vendor-token",
        lambda: "tskey-auth-k" + rs(ALNUM, 10) + "CNTRL-" + rs(ALNUM, 33),
        ["  TS_AUTHKEY:  {v}"],
    ),
    ("vendor-token", pre("sbp_", HEX, 40), ['     "SUPABASE_ACCESS_TOKEN = \\"{v}\\"\\n",']),
    (
        "vendor-token",
        lambda: "AGE-SECRET-KEY-1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l".upper(), 58),
        [
            "# created: 2026-12-02T10:00:00Z\n# public key: age1qmzy8tk0l0p8g3m6r2a4wxkd9c7u4fq2n5e7s3h8v6y0jz2a9pxsk6rde4\n{v}"
        ],
    ),
    (
        "vendor-token",
        lambda: f"https://discord.com/api/webhooks/{rs(DIG, 18)}/{rs(B64URL, 68)}",
        ['     "DISCORD_HOOK = \\"{v}\\"\\n",'],
    ),
    (
        "vendor-token",
        lambda: (
            f"https://wrenfield.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ["PS C:\\ops> Invoke-RestMethod -Method Post -Uri '{v}' -Body $card"],
    ),
    (
        "vendor-token",
        pre("shpat_", HEX, 32),
        ["| {t} | shop | Shopify admin token `{v}` revoked |"],
    ),
    ("vendor-token", pre("xoxe.xoxp-1-", ALNUM, 140), ["  SLACK_REFRESH_TOKEN:  {v}"]),
    (
        "gitlab-token",
        pre("glrt-", ALNUM + "-_", 20),
        ["PS C:\\ops> gitlab-runner register --token {v} --executor shell"],
    ),
    (
        "generic-api-key",
        pre("", HEX, 32),
        [
            '  + resource "datadog_api_key" "rota" {\n      + key = "{v}"',
            "  DD_API_KEY:  {v}",
            "  TWILIO_AUTH_TOKEN:  {v}",
        ],
    ),
    (
        "generic-api-key",
        pre("", ALNUM + "_-", 40),
        ["PS C:\\ops> $env:CLOUDFLARE_API_TOKEN = '{v}'", "  PAGERDUTY_ROUTING_KEY:  {v}"],
    ),
    (
        "generic-api-key",
        uuid4,
        ['                "HEROKU_API_KEY={v}",'],
    ),
    (
        "password-assignment",
        password,
        [
            "[distutils]\nindex-servers = internal\n\n[internal]\nrepository = https://nexus.wrenfield.internal/repository/pypi/\nusername = deploy\npassword = {v}",
            'Error: local-exec provisioner error\n  with null_resource.seed,\n  on seed.tf line 12:\n  12:     command = "psql -c \\"ALTER ROLE rota PASSWORD \'{v}\'\\""',
            "  LDAP_BIND_PASSWORD:  {v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "https://svc-mirror:{v}@bitbucket.wrenfield.internal",
            "ftp://rota-upload:{v}@sftp.st-aldhelm.nhs.example/inbound/",
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "$ kubectl -n rota describe configmap rota-api-certs\nName:         rota-api-certs\nNamespace:    rota\nLabels:       <none>\n\nData\n====\ntls.key:\n----\n{v}"
        ],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "> On {day} Dec 2026, at {t}, the ward manager <{v}> wrote:\n> > why did I receive another trust's rota?",
            "| ward 7B | night | {v} | bank nurse |",
            '     "staff.loc[staff.email == \\"{v}\\"]"',
            "Dec {day} {t}:12 {node} exporter[{job}]: mailed rota_export_{job}.csv to={v}",
            '          {\n            "name": "email",\n            "value": "{v}"\n          }',
            "PS C:\\ops> Get-ADUser -Filter \"EmailAddress -eq '{v}'\"",
            "Reply-To: {v}\n> Please delete the attachment you received in error.",
            '  + contact_email = "{v}"',
            "> > > {v} asked for her rota to be taken down",
            '{"request":{"postData":{"params":[{"name":"email","value":"{v}"}]}}}',
        ],
    ),
    (
        "phone",
        phone,
        [
            "| ward 4A | on call | {v} | registrar |",
            '     "| bleep 3321 | {v} | on call |\\n",',
            "> > can you call me on {v} about the rota mix-up",
            "Dec {day} {t}:31 {node} notifier[{job}]: sms queued to={v} template=shift_swap",
            '{"postData": {"text": "{\\"mobile\\":\\"{v}\\",\\"shift\\":\\"N3\\"}"}}',
            "PS C:\\ops> Set-ADUser svc-rota-owner -MobilePhone '{v}'",
            "| {t} | {who} | called the ward manager on {v} |",
            "Dec {day} {t}:29 {node} notifier[{job}]: twilio 21610 unsubscribed recipient {v}",
        ],
    ),
    (
        "credit-card",
        card,
        [
            '          {\n            "name": "card_number",\n            "value": "{v}"\n          }',
            "| {t} | billing | PAN `{v}` in HAR of ticket 4503 |",
            "Dec {day} {t}:58 {node} billing[{job}]: charge failed card={v} trust=st-aldhelm",
            "> > the card for the agency invoices is {v}, exp 09/28",
            '     "charge(card=\\"{v}\\", amount=4200)\\n",',
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "Dec {day} {t}:44 ops-bastion sshd[{job}]: Invalid user oracle from {v} port 40112",
            '          {\n            "name": "X-Real-IP",\n            "value": "{v}"\n          }',
            "| {t} | S3 | GetObject on prod.tfstate from {v} |",
            '{"eventName":"GetObject","requestParameters":{"key":"prod.tfstate"},"sourceIPAddress":"{v}"}',
            "PS C:\\ops> Get-NetTCPConnection -RemoteAddress {v}",
            "> > the download came from {v}, not one of ours",
            '          {\n            "name": "X-Forwarded-For",\n            "value": "{v}"\n          }',
        ],
    ),
    (
        "email",
        email,
        [
            "Cc: {v}\n> > Forwarding the trust's rota, see attached.",
            '    "display_name": "Staff contact", "email": "{v}"',
        ],
    ),
    ("phone", phone, ['     "phone_col = [\\"{v}\\"]"']),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "ipv6",
        public_v6,
        [
            '          {\n            "name": "CF-Connecting-IP",\n            "value": "{v}"\n          }',
            "Dec {day} {t}:05 ops-bastion sshd[{job}]: Connection closed by {v} port 55821 [preauth]",
            "PS C:\\ops> Select-String -Path .\\logs\\u_ex261203.log -Pattern '{v}'",
        ],
    ),
    ("national-id", ssn, ["| locum | agency | SSN {v} |", '     "ssn = \\"{v}\\"\\n",']),
    ("national-id", nino, ["> > her NI number is {v} for the payroll form", "| bank staff | NINO {v} |"]),
    ("iban", lambda: iban("GB"), ["> > pay the locum into {v} please", "| payroll | {v} |"]),
    ("iban", lambda: iban("DE"), ['     "iban = \\"{v}\\"\\n",']),
    ("iban", lambda: iban("FR"), ["| agency invoice | {v} |"]),
]


# ---------------------------------------------------------------------------- look-alikes
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "PM-9111: the chart commit that added secrets.yaml is {v}.",
            '            "Labels": {\n                "org.opencontainers.image.revision": "{v}",',
            "| {t} | {who} | purged {v} from history with filter-repo |",
            "Dec {day} {t}:00 {node} rota-engine[{job}]: starting build={v}",
            "> > fix is in {v}, please review",
            '    "commit": "{v}",\n    "author": "{who}",',
            "PS C:\\ops> git log -1 --format=%H\n{v}",
            "Annotations:  wrenfield.io/git-commit: {v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            '  "lineage": "{v}",',
            "  uid: {v}",
            '    "_request_id": "{v}",',
            "PS C:\\ops> Get-ADUser svc-rota | Select-Object ObjectGUID\n\nObjectGUID\n----------\n{v}",
            '   "id": "{v}",\n   "metadata": {},',
            "| {t} | export {v} | sent to wrong trust |",
            "Dec {day} {t}:19 {node} rota-api[{job}]: shift {v} reassigned",
            '  + subscription_id = "{v}"',
            '          {\n            "name": "x-correlation-id",\n            "value": "{v}"\n          }',
            "> > rota {v} is the one that went to St Aldhelm's",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            '        "Image": "{v}",',
            "Containers:\n  rota-api:\n    Image ID:  registry.wrenfield.internal/rota-api@{v}",
            "| {t} | rolled rota-engine back to `{v}` |",
            '            "Image": "registry.wrenfield.internal/exporter@{v}",',
            "PS C:\\ops> docker pull registry.wrenfield.internal/rota-sync@{v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            '        "Id": "{v}",',
            "PS C:\\ops> Get-FileHash .\\rota_export.csv\n\nAlgorithm       Hash\n---------       ----\nSHA256          {v}",
            "Dec {day} {t}:11 {node} containerd[{job}]: shim disconnected id={v}",
            "  containerID: containerd://{v}",
            "Container ID:   containerd://{v}",
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            "Dec {day} {t}:22 {node} rota-api[{job}]: request failed trace_id={v} status=500",
            '          {\n            "name": "traceparent",\n            "value": "00-{v}-5e2b9a0c1d3f4a6b-01"\n          }',
            "  _SYSTEMD_INVOCATION_ID={v}",
            '{"trace_id":"{v}","msg":"HAR upload rejected"}',
            "> > trace {v} shows the 30s wait on sched-db-1",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: rng.choice(
            [
                f"arn:aws:iam::{rs(DIG, 12)}:user/rota-exporter",
                f"arn:aws:s3:::wrenfield-tfstate-{rs(LOW, 4)}",
                f"arn:aws:rds:eu-west-2:{rs(DIG, 12)}:db:sched-prod",
                f"sg-0{rs(HEX, 16)}",
                f"db-{rs(UP + DIG, 26)}",
            ]
        ),
        [
            '  + id = "{v}"',
            '            "id": "{v}",',
            "PM-9104: the state file sat in {v}.",
            "| {t} | {who} | locked down {v} |",
            '  ~ resource "aws_db_instance" "sched" {\n        id = "{v}"',
            "Dec {day} {t}:50 {node} exporter[{job}]: access denied resource={v}",
            "> > CloudTrail says {v} did the GetObject",
        ],
    ),
    (
        "placeholder",
        lambda: rng.choice(
            [
                "<your-token-here>",
                "CHANGE_ME",
                "REPLACE_ME",
                "<password>",
                "xxxxxxxxxxxx",
                "your-api-key",
                "TBD",
            ]
        ),
        [
            "stringData:\n  POSTGRES_PASSWORD: {v}",
            '                "ROTA_API_KEY={v}",',
            '     "api_key = \\"{v}\\"  # fill in locally\\n",',
            "PS C:\\ops> $env:AZURE_CLIENT_SECRET = '{v}'",
            "machine nexus.wrenfield.internal login deploy password {v}",
            "//registry.npmjs.org/:_authToken={v}",
            "  DOCKERHUB_TOKEN:  {v}",
            "[pypi]\n  username = __token__\n  password = {v}",
            '{"name": "token", "value": "{v}"}',
        ],
    ),
    (
        "templated-value",
        lambda: rng.choice(
            [
                "var.rota_secret",
                "${var.rota_secret}",
                "{{ .Values.rota.secret }}",
                "${ROTA_SECRET}",
                "$(Get-Secret -Name RotaSvc -AsPlainText)",
                "${{ secrets.ROTA_SECRET }}",
                "{{ rota_secret }}",
            ]
        ),
        [
            "    master_password = {v}  # sched-prod",
            "  POSTGRES_PASSWORD: {v}",
            "//registry.npmjs.org/:_authToken={v}",
            "PS C:\\ops> $pw = {v}",
            "RB-84: the service reads its password from {v} now.",
            '                "DATABASE_URL=postgres://rota:{v}@sched-db-1:5432/rota",',
            "  token = {v}  # credentials block",
            "> > set it to {v} in the pipeline, never the literal",
        ],
    ),
    (
        "masked-value",
        lambda: rng.choice(
            ["(sensitive value)", "<sensitive>", "********", "[REDACTED]", "sk_live_…", "AKIA************"]
        ),
        [
            "      + password   = {v}",
            '  ~ "STRIPE_API_KEY" = {v}',
            '  + "POSTGRES_PASSWORD" = {v}',
            "| {t} | exporter key | {v} |",
            '          {\n            "name": "Authorization",\n            "value": "{v}"\n          }',
            "  AWS_SECRET_ACCESS_KEY:  {v}",
            "Dec {day} {t}:10 {node} rota-engine[{job}]: config loaded: db.user=engine db.password={v}",
            '     "DB_PASSWORD = \\"{v}\\"\\n",',
        ],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["password", "client_secret", "_authToken", "Authorization", "SLACK_BOT_TOKEN"]),
        [
            "ADR-305: the HAR scrubber drops {v} before a file is attached.",
            "> > do we need {v} in the chart at all?",
            "RB-84 step 3: rotate {v} in the vault, then restart the service.",
            "| field | {v} | scrubbed |",
            "  - name: {v}\n    valueFrom:\n      secretKeyRef:\n        name: rota-secrets",
            "Dec {day} {t}:13 {node} har-gateway[{job}]: stripped header {v}",
            "PS C:\\ops> Get-Secret -Vault RotaOps -Name {v} | Out-Null",
        ],
    ),
    (
        "keyword-no-value",
        lambda: f"{rng.randint(8, 64)} bytes",
        [
            "Name:         sched-db\nNamespace:    rota\nType:  Opaque\n\nData\n====\npassword:  {v}",
            "Data\n====\nSLACK_BOT_TOKEN:  {v}",
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice([priv_ip(), doc_ip(), "127.0.0.1", "169.254.169.254"]),
        [
            '                    "IPAddress": "{v}",',
            "IP:           {v}",
            '    "serverIPAddress": "{v}",',
            "Dec {day} {t}:41 ops-bastion sshd[{job}]: Accepted publickey for ops from {v} port 52210 ssh2",
            '  + private_ip = "{v}"',
            "PS C:\\ops> Test-NetConnection {v} -Port 1433",
            "Dec {day} {t}:17 {node} kubelet[{job}]: probe failed for http://{v}:8080/healthz",
            '  + "host" = "{v}"',
            "> > the tfstate bucket is only reachable from {v} now",
        ],
    ),
    (
        "example-email",
        lambda: rng.choice(
            [
                "rota-support@wrenfield.example",
                "privacy@example.org",
                "ward7b@trust.test",
                "jane.doe@example.com",
            ]
        ),
        [
            "> On {day} Dec 2026, at {t}, Support <{v}> wrote:",
            "| escalation | {v} |",
            '  + contact_email = "{v}"',
            "Dec {day} {t}:15 {node} exporter[{job}]: mailed rota_export_{job}.csv to={v}",
            "Cc: {v}\n> > Resending with the right attachment.",
            '     "notify(\\"{v}\\")\\n",',
        ],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(
            ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE"]
        ),
        [
            "     \"# docs example: aws_access_key_id='{v}'\\n\",",
            "RB-84 copies the AWS docs sample {v} into its template.",
            "PS C:\\ops> Set-AWSCredential -AccessKey {v} -StoreAs docs-sample",
        ],
    ),
    (
        "version-or-date",
        lambda: f"1.{rng.randint(5, 10)}.{rng.randint(0, 9)}",
        [
            '  "terraform_version": "{v}",',
            "  Image:  registry.wrenfield.internal/rota-engine:{v}",
            "| {t} | chart bumped to {v} |",
            "Dec {day} {t}:01 {node} systemd[1]: Started rota-engine {v}.",
            '            "Image": "registry.wrenfield.internal/exporter:{v}",',
        ],
    ),
    (
        "version-or-date",
        lambda: f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        ["RB-89 last reviewed {v}.", '            "Created": "{v}T09:14:22.5173Z",'],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@rota-bastion",
        [
            "PS C:\\ops> Get-Content $env:USERPROFILE\\.ssh\\id_ed25519.pub\n{v}",
            '          "attributes": {\n            "public_key_openssh": "{v}",',
            "stringData:\n  authorized_keys: {v}",
        ],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        [
            '          {\n            "name": "card_number",\n            "value": "{v}"\n          },\n          {\n            "name": "mode",\n            "value": "test"',
            "| sandbox | {v} | declines as expected |",
            "> > repro with the Stripe test card {v}",
            "Dec {day} {t}:46 {node} billing[{job}]: test-mode charge card={v} ok",
        ],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            "| rota batch | {v} | published |",
            "Dec {day} {t}:27 {node} exporter[{job}]: batch={v} rows=412",
            '     "df[df.batch_id == \\"{v}\\"]"',
            "> > batch {v} is the wrong trust's",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"ticket {rng.randint(4400, 4599)}",
        [
            "PM-9130: see {v}.",
            "> > duplicate of {v}",
            '          {\n            "name": "subject",\n            "value": "{v}: HAR attached"\n          }',
        ],
    ),
    (
        "ids-and-numbers",
        lambda: (
            f"S-1-5-21-{rng.randint(10**9, 4 * 10**9)}-{rng.randint(10**9, 4 * 10**9)}-{rng.randint(10**8, 10**9)}-{rng.randint(1000, 9999)}"
        ),
        [
            "PS C:\\ops> Get-ADUser svc-rota | Select-Object SID\n\nSID\n---\n{v}",
            "| svc-rota | {v} | password reset |",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(1000, 99999)),
        [
            "Dec {day} {t}:08 {node} systemd-coredump[{job}]: Process {v} (rota-engine) of user 998 dumped core.",
            '  resourceVersion: "{v}"',
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"0xc000{rs(HEX, 6)}",
        [
            "goroutine 17 [chan receive]:\nmain.(*Exporter).Run({v})\n\t/src/exporter/run.go:51 +0x8d",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"PM-{rng.choice([9104, 9111, 9117, 9123, 9130])}",
        ['  + "tags" = { "incident" = "{v}" }', "| related | {v} |"],
    ),
    (
        "base64-nonsecret",
        lambda: b64(
            rng.choice(
                [b"ward=7B;shift=night", b'{"rota":"2026-W49","trust":"st-aldhelm"}', b"hello from rota"]
            )
        ),
        [
            "data:\n  banner: {v}",
            '            "postData": {\n              "mimeType": "application/octet-stream",\n              "text": "{v}"',
            "  ROTA_FLAGS_B64:  {v}",
            "PS C:\\ops> [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('{v}'))",
        ],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: "sha512-" + b64(draw.rbytes(64)),
        ['    "node_modules/@wrenfield/rota-ui": {\n      "integrity": "{v}",'],
    ),
    (
        "hash-or-digest",
        lambda: "h1:" + b64(draw.rbytes(32)),
        ["github.com/jackc/pgx/v5 v5.7.1 {v}", '  + "hashes" = ["{v}"]'],
    ),
    (
        "version-or-date",
        lambda: (
            f"v0.0.0-2026{rng.randint(1, 11):02d}{rng.randint(10, 28)}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}-{rs(HEX, 12)}"
        ),
        ["\tgithub.com/wrenfield/rota-engine/store {v}"],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 16),
        [
            '          {\n            "name": "x-b3-spanid",\n            "value": "{v}"\n          }',
            "span {v} is the slow one",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"0x{rs(HEX, 12)}",
        [
            "   3: rota_engine::store::open\n             at ./src/store.rs:88:21\n   4: {v} - std::rt::lang_start"
        ],
    ),
    ("ids-and-numbers", lambda: str(rng.randint(2, 60)), ['   "execution_count": {v},\n   "outputs": [],']),
    ("ids-and-numbers", lambda: rs(HEX, 8), ['   "id": "{v}",\n   "cell_type": "markdown",']),
    (
        "uuid",
        uuid4,
        [
            '  "terraform_version": "1.9.8",\n  "serial": 412,\n  "lineage": "{v}",',
            "Dec {day} {t}:59 {node} systemd[1]: rota-engine.service: invocation {v} finished",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/wren-rota/providers/Microsoft.Storage/storageAccounts/wrenexports"
        ),
        ["PS C:\\ops> New-AzStorageAccountKey -ResourceId {v} -KeyName key1"],
    ),
    (
        "public-key-or-cert",
        lambda: "\n".join(
            ["-----BEGIN CERTIFICATE-----", "MIIDezCCAmOgAwIBAgIU" + rs(B64, 44)]
            + [rs(B64, 64) for _ in range(4)]
            + [rs(B64, 24) + "==", "-----END CERTIFICATE-----"]
        ),
        ["rota-api serving chain from the ConfigMap (public, safe to paste):\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["# recipients for the sealed chart values: {v}"],
    ),
    (
        "hash-or-digest",
        lambda: "SHA256:" + rs(B64, 43),
        [
            "PS C:\\ops> ssh-keygen -lf $env:USERPROFILE\\.ssh\\id_ed25519.pub\n256 {v} ops@rota-bastion (ED25519)"
        ],
    ),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["ADR-305: the scrubber's unit test uses the jwt.io sample token {v}."],
    ),
    (
        "vendor-example-key",
        lambda: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        ["  # Azurite local emulator key, public by design: {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["| Stripe docs sample | {v} | never live |"],
    ),
    ("placeholder", lambda: "npm_" + "X" * 36, ["//registry.npmjs.org/:_authToken={v}  # template"]),
    ("placeholder", lambda: "ghp_" + "0" * 36, ["machine github.com login wren-ci password {v}"]),
    (
        "templated-value",
        lambda: "${env:AZURE_CLIENT_SECRET}",
        ["PS C:\\ops> $secret = {v}"],
    ),
    (
        "templated-value",
        lambda: 'data.vault_generic_secret.rota.data["password"]',
        ["  password = {v}"],
    ),
    (
        "masked-value",
        lambda: "(sensitive value)",
        ['  ~ "DATABASE_URL" = "postgres://engine@sched-db-1:5432/rota" -> {v}'],
    ),
    ("masked-value", lambda: "System.Security.SecureString", ["PS C:\\ops> $pw\n{v}"]),
    (
        "keyword-no-value",
        lambda: "sensitive = true",
        ['output "db_password" {\n  value     = aws_db_instance.sched.password\n  {v}\n}'],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice(["fd00:ec2::254", "2001:db8:4::1c", "fe80::a00:27ff:fe4e:66a1", "::1"]),
        ["Dec {day} {t}:03 {node} rota-api[{job}]: listening on [{v}]:8443"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["| {t} | tailnet | ops-bastion is {v} |"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"10.{rng.randint(0, 255)}.0.0/16",
        ['  + cidr_block = "{v}"', "PM-9104: the bucket policy now allows only {v}."],
    ),
    (
        "ids-and-numbers",
        lambda: f"C0{rs(UP + DIG, 8)}",
        ["stringData:\n  SLACK_CHANNEL_ID: {v}"],
    ),
    ("ids-and-numbers", lambda: f"pi_3{rs(ALNUM, 23)}", ["| {t} | {v} | refunded to the trust |"]),
    (
        "ids-and-numbers",
        lambda: f"R-2026-W{rng.randint(40, 52)}-{rs(DIG, 4)}",
        ["| ward 7B | roster ref {v} |"],
    ),
    (
        "base64-nonsecret",
        lambda: b64(b"kind: ConfigMap\nname: rota-flags"),
        ['            "Labels": {\n                "io.wrenfield.manifest": "{v}"'],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 12),
        ["  Image:  registry.wrenfield.internal/rota-api:{v}", "RB-89: reproduce with build {v}."],
    ),
    (
        "example-email",
        lambda: "secret-scanning@wrenfield.example",
        ["Cc: {v}\n> > [wrenfield/analysis] secret scanning alert"],
    ),
    (
        "version-or-date",
        lambda: f"1.{rng.randint(80, 90)}.{rng.randint(0, 2)}",
        ["thread 'main' panicked, rustc {v} (stable), see RB-89"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        [
            '  + "etag" = "{v}"',
            "PS C:\\ops> (Get-AuthenticodeSignature .\\rota-sync.exe).SignerCertificate.Thumbprint\n{v}",
        ],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt|sa)[-_][A-Za-z0-9_-]{20}|xox[bpae][-.]\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dop_v1_|hvs\.[A-Za-z0-9]{6}|pypi-AgE|NRAK-|atlasv1\.|ATATT3|dp\.st\."
    r"|tskey-|sbp_[0-9a-f]{20}|AGE-SECRET-KEY-1|discord\.com/api/webhooks/\d|webhook\.office\.com/|shpat_"
    r"|AccountKey=[A-Za-z0-9+/]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}|Q~[A-Za-z0-9_.~-]{30}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?<![A-Za-z0-9])(?:AC|SK)[0-9a-f]{32}"
    r"|(?<!:)(?i:password|passwd|pass|pwd|secret|token|_auth|requirepass)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_.%-]{12,}"
)
PHONEISH = re.compile(r"555[-. ]?01\d\d|7700 ?900|7946 ?0|496 ?0\d{3}")


CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    phoneish=PHONEISH,
    national_id_ok=lambda row: ssn_or_nino_ok(row["value"]),
    private_key_ok=pem_block_ok,
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t23", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
