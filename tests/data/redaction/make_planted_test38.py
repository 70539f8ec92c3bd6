# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test38.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test38.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270138)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a ski-resort lift-ticketing company, Hollerfell Alpine Lifts (HAL):
PM-112 the opening-day gate-reader outage (RFID turnstiles, MQTT, Redis, PostgreSQL), PM-118 the
season-pass export leak (cards, IBANs, phones, e-mail), PM-121 the skier-app config leak
(google-services.json, Info.plist, Mapbox, Firebase, Sentry), RB-14 rotating kiosk and payment keys
(Adyen, Stripe, Square, HAProxy), RB-17 snow-making SCADA access (Modbus gateways, switch and
firewall configs, SNMP, Windows HMI), ADR-30 moving the ticket shop to Kubernetes (Helm, Vault,
Terraform, AWS, Cloudflare), ADR-33 avalanche and lift-stop alerts by SMS and voice (Twilio, Vonage,
PagerDuty, Slack, Mailgun) and PM-125 CI credentials printed in build logs (GitHub Actions, GitLab,
Docker Hub, npm, Sentry). Common shapes come first in each kind (``t38p…``/``t38n…``).
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
    DIG,
    HEX,
    LOW,
    MORE_TEST_CARDS,
    OK_MAIL,
    PHONEISH,
    TEST_CARDS,
    UP,
    Draw,
    Gen,
    N,
    S,
    b64,
    b64url,
    encode_jwt,
    expand_table,
    iban_of,
    pem_block_ok,
    sanity,
    ssn_or_nino_ok,
    write_fold,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test38.jsonl"
FOLD = "test38"
rng = Random(20270138)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
card, luhn_bad, public_v4, public_v6, priv_ip = (
    partial(draw.card_with_jcb, TEST_CARDS | MORE_TEST_CARDS),
    draw.luhn_bad,
    draw.public_v4,
    draw.public_v6,
    draw.priv_ip,
)
ssn, nino, phone = draw.ssn, draw.nino, draw.phone

# Only type names earlier folds use.
TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = [
    "piste",
    "mogul",
    "gondola",
    "snowcat",
    "couloir",
    "edelweiss",
    "fondue",
    "cornice",
    "telemark",
    "avalanche",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["gate-sync", "kiosk-07", "shop-api", "snowmaker", "pass-export"], WORDS)


def gate_jwt() -> str:
    body = {
        "iss": "gatehub",
        "sub": "reader-" + rs(DIG, 4),
        "scope": "gate:validate",
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def app_jwt() -> str:
    body = {
        "iss": "https://id.hollerfell.example/",
        "sub": "skier|" + rs(DIG, 7),
        "aud": "skierapp",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 22)}, body, rs(B64URL, 342))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def adyen_key() -> str:
    return "AQE" + rs(B64, 97) + "==-" + rs(B64, 43) + "=-" + rs(ALNUM, 16)


def square_token() -> str:
    return "EAAA" + rs(B64URL, 60)


def mapbox_secret() -> str:
    head = b64url(json.dumps({"u": "hollerfell", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "sk." + head + "." + rs(B64URL, 22)


def fcm_server_key() -> str:
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def pd_token() -> str:
    return "u+" + rs(B64URL, 18)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def sentry_user_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def mailgun_key() -> str:
    return "key-" + rs(HEX, 32)


def okta_token() -> str:
    return "00" + rs(B64URL, 40)


def cf_token() -> str:
    return rs(B64URL, 40)


def hf_token() -> str:
    return "hf_" + rs(UP + LOW, 34)


def databricks_token() -> str:
    return "dapi" + rs(HEX, 32)


def vault_token() -> str:
    return "hvs." + rs(ALNUM, 24)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def anthropic_key() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def rubygems_key() -> str:
    return "rubygems_" + rs(HEX, 48)


def teams_hook() -> str:
    return f"https://hollerfell.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSy{rs(B64URL, 33)}&token={rs(B64URL, 43)}"


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def session_cookie() -> str:
    return "s%3A" + rs(B64URL, 32) + "." + rs(B64, 43)


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["leopold", "ottilie", "crispin", "brunhilde", "fabian", "seraphina", "ambrose", "henrike", "lorcan"]
LAST = ["zwingli", "pfisterer", "holloway", "steinbock", "marchetti", "arbuthnot", "kellerman"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "bluewin.ch",
    "icloud.com",
    "proton.me",
    "gmx.at",
    "hotmail.com",
    "yahoo.com",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["gatehub", "ticket-shop", "kiosk-agent", "pass-export", "skierapp-api", "alertd", "snowmaking-hmi"]
STAFF = ["ursina", "gaspard", "mirela", "thorvald", "annelie", "kofi", "yusra", "benedikt"]
HOSTS = ["gate-db-1", "mqtt-2", "kiosk-07", "shop-web-3", "hmi-gw-1", "ci-runner-4", "redis-gate-1"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "lift": lambda: rng.choice(["L03-Gipfelbahn", "L07-Nordhang", "L11-Talstation", "L14-Kinderland"]),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #hal-incident | {who}: "
CHAT = "[{t}] {who} (#lift-ops): "
FD = "Freshdesk #{tkt} (private note, {who}): "
HIST = "  {num}  "
GHA = "Run ./ci/publish-kiosk.sh\n"
PYTRACE = 'Traceback (most recent call last):\n  File "/srv/pass-export/export.py", line 141, in run\n    conn = connect(dsn)\n'
GOTRACE = "panic: gate validate failed\n\ngoroutine 7 [running]:\nmain.validate(...)\n\t/src/gatehub/validate.go:212 +0x2a8\n"
NODETRACE = "Error: getaddrinfo ENOTFOUND\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)\n    at /app/ticket-shop/src/db.ts:22:9\n"
KTTRACE = "E/PassWallet: refresh failed\n    retrofit2.HttpException: HTTP 401\n        at com.hollerfell.skierapp.wallet.PassRepo.refresh(PassRepo.kt:88)\n"
CSTRACE = "Unhandled exception. System.Data.SqlClient.SqlException (0x80131904): Login failed for user 'hmi'.\n   at Hal.Snowmaking.Hmi.Db.Open() in C:\\src\\Hmi\\Db.cs:line 31\n"
JAVATRACE = "org.springframework.web.client.HttpClientErrorException$Unauthorized: 401\n\tat com.hollerfell.kiosk.PaymentClient.charge(PaymentClient.java:97)\n"
GATELOG = "{ts} gatehub[2207]: "
SHOPLOG = "{ts} ticket-shop "
EXPORT = "pass_id,holder,email,phone,last_ip,card,iban\n"
GSJ = "// android/app/google-services.json\n"
PLIST = "<!-- ios/SkierApp/Info.plist -->\n"
TFV = "# envs/shop-eks/terraform.tfvars\n"
HELM = "# charts/ticket-shop/values-prod.yaml\n"
REG = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Hollerfell\\SnowHMI]\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ AWS_ACCESS_KEY_ID={v} aws eks update-kubeconfig --name shop-prod",
            "[hal-shop]\naws_access_key_id = {v}\nregion = eu-central-1",
            "  env:\n    AWS_ACCESS_KEY_ID: {v}\n    AWS_DEFAULT_REGION: eu-central-1",
            TL + "CloudTrail shows {v} creating IAM users from a VPS",
            "<Credentials>\n  <AccessKeyId>{v}</AccessKeyId>\n</Credentials>",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[hal-shop]\naws_secret_access_key = {v}",
            "$ AWS_SECRET_ACCESS_KEY={v} aws s3 cp s3://hal-pass-exports/2026-12.csv .",
            'provider "aws" {\n  region     = "eu-central-1"\n  secret_key = "{v}"\n}',
            TFV + 'aws_secret_access_key = "{v}"',
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=halhmibackups;AccountKey={v};EndpointSuffix=core.windows.net",
            "$ az storage blob upload -f hmi.bak -c backups --account-name halhmibackups --account-key {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        ["AZURE_CLIENT_SECRET={v}", '<add key="ida:ClientSecret" value="{v}" />'],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        [
            PLIST + "<key>GMSApiKey</key>\n<string>{v}</string>",
            GSJ + '"api_key": [ { "current_key": "{v}" } ],',
            "GOOGLE_MAPS_SERVER_KEY={v}",
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"hal-skierapp","private_key":"{v}","client_email":"fcm-sender@hal-skierapp.iam.gserviceaccount.com"}',
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ echo {v} | gh auth login --with-token",
            "      - uses: actions/checkout@v4\n        with:\n          token: {v}",
            "$ git clone https://kiosk-bot:{v}@github.com/hollerfell/kiosk-agent.git",
            CHAT + "temporary token for the gatehub repo: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ glab auth login --hostname gitlab.hollerfell.internal --token {v}", "GITLAB_TOKEN={v}"],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            "SLACK_BOT_TOKEN={v}",
            "$ curl -H 'Authorization: Bearer {v}' https://slack.com/api/chat.postMessage -d channel=C0LIFTOPS",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "alertd:\n  slack:\n    url: {v}",
            "$ curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"L07 stopped\"}' {v}",
        ],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        [
            "STRIPE_SECRET_KEY={v}",
            "stripe:\n  secret_key: {v}\n  currency: chf",
            "$ stripe charges list --api-key {v} --limit 5",
        ],
    ),
    ("stripe-key", draw.stripe_whsec, ["STRIPE_WEBHOOK_SECRET={v}"]),
    (
        "jwt",
        gate_jwt,
        [
            "$ gatectl --hub https://gatehub.hollerfell.internal --token {v} readers list",
            "X-Gate-Auth: Bearer {v}",
            "GATEHUB_READER_TOKEN={v}",
        ],
    ),
    (
        "jwt",
        app_jwt,
        [
            "GET /v3/passes/current HTTP/1.1\nHost: api.hollerfell.example\nAuthorization: Bearer {v}",
            KTTRACE + "    request header authorization=Bearer {v}",
        ],
    ),
    (
        "private-key",
        draw.pk("rsa"),
        ["# kiosk/certs/payment-terminal.key (committed by mistake, RB-14)\n{v}"],
    ),
    ("private-key", draw.pk("pkcs8"), ["# AuthKey_H4L7Q2.p8 (APNs, PM-121)\n{v}"]),
    ("private-key", draw.pk("ec", "    "), ["ingress:\n  tls:\n    key: |\n    {v}"]),
    ("private-key", draw.pk("ssh"), ["$ cat ~/.ssh/id_ed25519   # on ci-runner-4\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "DATABASE_URL=postgresql://gatehub:{v}@gate-db-1.hollerfell.internal:5432/gates",
            "$ mosquitto_pub -L mqtt://reader:{v}@mqtt-2.hollerfell.internal:1883/gates/L07/cmd -m open",
            "cache_url: redis://default:{v}@{pip}:6379/0",
            "celery.broker_url = amqp://shop:{v}@{pip}:5672/shop",
            "$ mongosh 'mongodb://passwallet:{v}@{pip}:27017/wallet?authSource=admin'",
            '<property name="url" value="jdbc:sqlserver://hmi:{v}@{pip}:1433;databaseName=snow"/>',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "GATEHUB_DB_PASSWORD={v}",
            "[pass_export]\ndb_password = {v}",
            "kiosk.payment.keystore.password={v}",
            'KEYCHAIN_PASSWORD="{v}"',
            "  <password>{v}</password>\n</server>",
            'grafana_admin_password: "{v}"',
            "spring.datasource.password={v}",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ mosquitto_passwd -b /etc/mosquitto/passwd reader-l07 {v}",
            '$ psql "host={pip} dbname=gates user=gatehub password={v}"',
            "$ helm upgrade ticket-shop ./charts/ticket-shop --set postgresql.auth.password={v} -n shop",
            "$ ansible-playbook gates.yml -e mqtt_reader_pass={v} -l mqtt-2",
            "$ kubectl create secret generic shop-db --from-literal=password={v} -n shop",
            "$ redis-cli -h {pip} -a {v} --no-auth-warning DBSIZE",
            "$ sqlcmd -S hmi-gw-1 -U sa -P {v} -Q 'SELECT @@VERSION'",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"registry.hollerfell.internal":{"auth":"{v}"}}}',
            "POST /api/v1/readers/L07/open HTTP/1.1\nHost: gatehub:8443\nAuthorization: Basic {v}",
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u pass-export:{v} https://gatehub.hollerfell.internal/api/passes/export",
            "$ wget --user=snowmaker --password={v} http://hmi-gw-1/trend.csv",
        ],
    ),
    (
        "bearer-token",
        opaque(48),
        [
            "Authorization: Bearer {v}",
            '$ curl -sH "Authorization: Bearer {v}" https://api.hollerfell.example/v3/lifts/status',
        ],
    ),
    (
        "vendor-token",
        adyen_key,
        ["ADYEN_API_KEY={v}", "adyen:\n  merchantAccount: HollerfellPOS\n  apiKey: {v}"],
    ),
    (
        "vendor-token",
        square_token,
        [
            "SQUARE_ACCESS_TOKEN={v}",
            "$ curl https://connect.squareup.com/v2/locations -H 'Authorization: Bearer {v}'",
        ],
    ),
    (
        "vendor-token",
        mapbox_secret,
        ["MAPBOX_DOWNLOADS_TOKEN={v}", "machine api.mapbox.com\n  login mapbox\n  password {v}"],
    ),
    ("vendor-token", fcm_server_key, ["FCM_SERVER_KEY={v}", "Authorization: key={v}"]),
    (
        "vendor-token",
        hex_n(32),
        ["TWILIO_AUTH_TOKEN={v}", "twilio:\n  account_sid: AC" + "0" * 32 + "\n  auth_token: {v}"],
    ),
    ("vendor-token", twilio_sk, ["TWILIO_API_KEY={v}"]),
    ("vendor-token", opaque(16), ["VONAGE_API_SECRET={v}"]),
    ("vendor-token", hex_n(32), ["PAGERDUTY_ROUTING_KEY={v}", '"routing_key": "{v}",']),
    ("vendor-token", pd_token, ["PAGERDUTY_TOKEN={v}", "Authorization: Token token={v}"]),
    (
        "vendor-token",
        mailgun_key,
        [
            "MAILGUN_API_KEY={v}",
            "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.hollerfell.example/messages",
        ],
    ),
    ("vendor-token", dockerhub_pat, ["$ docker login -u halci -p {v}", "DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", sentry_user_token, ["SENTRY_AUTH_TOKEN={v}", "[auth]\ntoken={v}"]),
    ("vendor-token", npm_token, ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        vault_token,
        ["$ export VAULT_TOKEN={v}\n$ vault kv get secret/shop", "vault:\n  token: {v}"],
    ),
    (
        "vendor-token",
        cf_token,
        ["CLOUDFLARE_API_TOKEN={v}", 'provider "cloudflare" {\n  api_token = "{v}"\n}'],
    ),
    ("vendor-token", okta_token, ["OKTA_API_TOKEN={v}", "Authorization: SSWS {v}"]),
    ("vendor-token", hex_n(32), ["DD_API_KEY={v}", "  datadog:\n    apiKey: {v}\n    site: datadoghq.eu"]),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    (
        "generic-api-key",
        opaque(32),
        ["WEATHER_API_KEY={v}", "snowforecast.api-key={v}"],
    ),
    ("generic-api-key", hex_n(32), ['<add key="SkidataApiKey" value="{v}" />', "x-api-key: {v}"]),
    (
        "generic-api-key",
        session_cookie,
        ["Cookie: connect.sid={v}", "Set-Cookie: connect.sid={v}; Path=/; HttpOnly; Secure"],
    ),
    ("generic-api-key", hex_n(64), ["SECRET_KEY_BASE={v}", 'DJANGO_SECRET_KEY = "{v}"']),
    (
        "generic-api-key",
        opaque(40),
        ["OIDC_CLIENT_SECRET={v}", "spring.security.oauth2.client.registration.hal.client-secret={v}"],
    ),
    ("webhook-url", teams_hook, ["  msteams:\n    webhook_url: {v}"]),
    ("webhook-url", draw.discord_hook, ["DISCORD_PATROL_HOOK={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gatehub-db\ndata:\n  password: {v}",
            "data:\n  MQTT_PASSWORD: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [GOTRACE + "error: SignatureDoesNotMatch for access key {v}"]),
    ("aws-key", draw.aws_secret, ["| 07:52 | {who} | pasted `{v}` into the Zoom chat with the vendor |"]),
    (
        "password-in-url",
        plain_pw,
        [
            PYTRACE
            + "psycopg2.OperationalError: could not connect: postgresql://export:{v}@{pip}:5432/passes",
            NODETRACE + "  config.db = mysql://shop:{v}@{pip}:3306/tickets",
            TL + "failover broker: mqtts://reader:{v}@{pip}:8883",
            "frontend gates\n  bind :443\nbackend gatehub\n  server gh1 {pip}:8443 check\n  http-request set-header X-Upstream https://proxy:{v}@gatehub.hollerfell.internal",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "[mqtt]\nusername = reader-l07\npassword = {v}",
            '{"mqtt":{"host":"mqtt-2","user":"gatehub","password":"{v}"}}',
            REG + '"DbPassword"="{v}"',
            CSTRACE + "   connection string: Server=hmi-gw-1;User Id=hmi;Password={v};",
            '<connectionStrings><add name="Snow" connectionString="Data Source={pip};User ID=hmi;Password={v};" /></connectionStrings>',
            "interface Vlan40\n description snowmaking\n!\nsnmp-server community {v} RW 40\n!",
            "[Service]\nEnvironment=GATEHUB_DB_PASSWORD={v}\nExecStart=/usr/local/bin/gatehub",
            "0 3 * * * /usr/local/bin/pass-export --db-pass {v} --out /srv/exports",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-17 step 4 | reset HMI sa login | new password {v} |",
            "$ sshpass -p '{v}' ssh admin@hmi-gw-1",
            'static let kioskPin = "{v}"  // KioskApp/Config.swift',
            "username fw-admin privilege 15 secret 0 {v}",
            "set system login user ops authentication plain-text-password-value {v}",
            "mysql> CREATE USER 'export'@'%' IDENTIFIED BY '{v}';\nQuery OK, 0 rows affected (0.01 sec)",
        ],
    ),
    ("jwt", gate_jwt, [HIST + "gatectl token issue --reader L11-07  # printed {v}"]),
    ("jwt", app_jwt, ["Sentry issue SKIERAPP-7F: 401 on /passes/current with token {v}"]),
    (
        "github-token",
        draw.gh_token,
        [
            GHA
            + "fatal: could not read from 'https://x-access-token:{v}@github.com/hollerfell/kiosk-agent.git/'"
        ],
    ),
    ("slack-token", draw.slack_token, ["slack_sdk.errors.SlackApiError: not_authed (token {v})"]),
    ("stripe-key", draw.stripe_key, [FD + "the ticket-shop JS bundle shipped {v}"]),
    ("vendor-token", fcm_server_key, [PLIST + "<key>FCMServerKey</key>\n<string>{v}</string>"]),
    ("vendor-token", adyen_key, [JAVATRACE + "\trequest headers: {X-API-Key=[{v}]}"]),
    ("vendor-token", square_token, [GATELOG + "kiosk upstream 401 auth=Bearer {v}"]),
    ("vendor-token", dockerhub_pat, [GHA + "+ echo {v} | docker login -u halci --password-stdin"]),
    (
        "vendor-token",
        npm_token,
        ['gitlab-ci job 88213 log:\n$ echo "//registry.npmjs.org/:_authToken={v}" > .npmrc'],
    ),
    ("vendor-token", hf_token, ["HF_TOKEN={v}  # snow-depth forecast model"]),
    ("vendor-token", databricks_token, ["DATABRICKS_TOKEN={v}"]),
    ("vendor-token", anthropic_key, ["ANTHROPIC_API_KEY={v}  # ticket-desk summariser"]),
    ("vendor-token", rubygems_key, ["---\n:rubygems_api_key: {v}"]),
    ("vendor-token", draw.age_secret_key, ["# sops/age/keys.txt on ci-runner-4\n{v}"]),
    (
        "password-assignment",
        hex_n(32),
        ['redis-gate-1:6379> CONFIG GET requirepass\n1) "requirepass"\n2) "{v}"'],
    ),
    ("vendor-token", sentry_user_token, [SHOPLOG + "sentry-cli upload failed, SENTRY_AUTH_TOKEN={v}"]),
    ("private-key", draw.pk("rsa"), [TL + "gate reader signing key, handle with care:\n{v}"]),
    (
        "generic-api-key",
        opaque(32),
        [
            "{ts} DEBUG snowmaking-hmi GET https://api.snowforecast.example/v2/points?lat=46.6&lon=8.1&apikey={v}"
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{pip} - - [06/Dec/2026:07:41:02 +0100] "POST /api/v1/readers/L07/open HTTP/1.1" 401 0 "-" "curl" auth="Basic {v}"'
        ],
    ),
    ("bearer-token", opaque(56), ["{ts} WARN skierapp-api upstream headers={'Authorization': 'Bearer {v}'}"]),
    ("k8s-secret-b64", k8s_b64, ["$ kubectl -n shop get secret shop-db -o jsonpath='{.data.password}'\n{v}"]),
    ("webhook-url", draw.slack_hook, [CHAT + "new hook for #lift-stops: {v}"]),
    ("webhook-url", gchat_hook, ["PATROL_CHAT_WEBHOOK={v}"]),
    ("gcp-key", draw.gcp_oauth_secret, [GSJ + '"oauth_client": [ { "client_secret": "{v}" } ]']),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://halhmibackups.blob.core.windows.net/backups/hmi.bak?sv=2023-11-03&se=2026-12-31&sr=b&sp=r&sig={v}"
        ],
    ),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "SP{num},Leopold Zwingli,{v},,,,",
            FD + "pass holder wants the receipt sent to {v}",
            "{ts} INFO skierapp-api login ok user={v}",
            "INSERT INTO pass_holders (pass_id, email) VALUES ('SP-2207', '{v}');",
            "Reply-To: {v}\nSubject: season pass not working at L07",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "SP{num},Ottilie Pfisterer,,{v},,,",
            FD + "please call the guest back on {v}",
            "{ts} INFO alertd sms queued to={v} alert=lift-stop",
            "| Crispin Holloway | ski patrol lead | {v} |",
            'oncall:\n  - name: Brunhilde Steinbock\n    sms: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "SP{num},Fabian Marchetti,,,,{v},",
            FD + "guest pasted their card {v} into the chat widget",
            "{ts} WARN kiosk-agent charge declined pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "sshd[3121]: Failed password for root from {v} port 50211 ssh2",
            GATELOG + "reader L07-03 connected from {v}:40122",
            EXPORT + "SP{num},Seraphina Arbuthnot,,,{v},,",
            '{"event":"login","holder":"SP-118","ip":"{v}"}',
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            'nginx: {v} - - "GET /v3/passes HTTP/2.0" 200',
            "sshd[2281]: Accepted publickey for thorvald from {v} port 51122 ssh2",
        ],
    ),
    ("iban", lambda: iban_of("CH", rs(DIG, 17)), [EXPORT + "SP{num},Ambrose Kellerman,,,,,{v}"]),
    ("iban", lambda: draw.iban("GB"), [FD + "refund the unused days to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [FD + "seasonal instructor's NI number {v} on the payroll upload"]),
    ("national-id", ssn, ["| Henrike Holloway | US tour-operator contact | SSN {v} | W-8BEN |"]),
    ("iban", lambda: draw.iban("DE"), ['{"payee":"Lorcan Pfisterer","iban":"{v}","refund":"RF-2026-0311"}']),
    ("email", email, ["From: {v}\nTo: support@hollerfell.example\nSubject: charged twice for day pass"]),
    ("phone", phone, ["<guest><name>Fabian Zwingli</name><mobile>{v}</mobile></guest>"]),
    ("credit-card", card, ["tickets=> SELECT pan FROM legacy_kiosk_txn WHERE id = 77;\n pan\n----\n {v}"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.60.4.9\n(ticket-shop access log, PM-118)"]),
    ("ipv6", public_v6, ["gates=> SELECT src FROM admin_login WHERE id = 12;\n {v}"]),
    ("phone", phone, [CHAT + "Yusra's personal mobile is {v} if PagerDuty is down"]),
    ("email", email, ["git log: Author: Crispin Marchetti <{v}>"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        ["$ git rev-parse HEAD\n{v}", "kiosk-agent built from {v}", "CI_COMMIT_SHA={v}"],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["reverted in {v} (PM-112 follow-up)"]),
    (
        "uuid",
        uuid4,
        [
            "reader_id: {v}",
            "Adyen terminal store {v}",
            '{"pass_id":"{v}","lift":"L07"}',
            "$ az account set --subscription {v}",
        ],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        ["$ sha256sum kiosk-agent-2.9.0.msi\n{v}  kiosk-agent-2.9.0.msi", "firmware manifest sha256={v}"],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["image: registry.hollerfell.internal/gatehub@{v}", "$ docker pull eclipse-mosquitto@{v}"],
    ),
    ("hash-or-digest", hex_n(32), ["reader firmware md5 {v}", 'ETag: "{v}"']),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-b7ad6b7169203331-01", "dd.trace_id={v} service=gatehub"]),
    ("trace-id", hex_n(16), ["span_id={v} op=gate.validate"]),
    ("trace-id", draw.long_trace, ["datadog trace {v}"]),
    (
        "cloud-resource-id",
        lambda: "i-0" + rs(HEX, 16),
        ["$ aws ec2 reboot-instances --instance-ids {v}", "shop node {v} cordoned"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:eks:eu-central-1:{rs(DIG, 12)}:cluster/shop-prod",
        ["cluster_arn = {v}"],
    ),
    ("cloud-resource-id", lambda: "sg-0" + rs(HEX, 16), ["SecurityGroupIds: [{v}]"]),
    ("placeholder", lambda: "<PASSWORD>", ["GATEHUB_DB_PASSWORD={v}", "$ sqlcmd -S hmi-gw-1 -U sa -P {v}"]),
    (
        "placeholder",
        lambda: "changeme",
        ["mqtt_reader_pass: {v}  # lab broker only", "kiosk.payment.keystore.password={v}"],
    ),
    ("placeholder", lambda: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["PD_ROUTING_KEY_LIFTSTOP={v}"]),
    ("placeholder", lambda: "YOUR_ADYEN_API_KEY", ["ADYEN_API_KEY={v}", "SQUARE_ACCESS_TOKEN={v}"]),
    ("placeholder", lambda: "postgresql://user:password@localhost/gates", ["# README: DATABASE_URL={v}"]),
    ("templated-value", lambda: "${GATEHUB_TOKEN}", ['token = "{v}"', "$ gatectl --token {v} readers list"]),
    ("templated-value", lambda: "{{ mqtt_reader_pass }}", ["MQTT_PASSWORD={v}"]),
    (
        "templated-value",
        lambda: "${{ secrets.DOCKERHUB_TOKEN }}",
        ["          password: {v}  # docker/login-action"],
    ),
    ("templated-value", lambda: "$(KEYCHAIN_PASSWORD)", ['KEYCHAIN_PASSWORD="{v}"']),
    ("templated-value", lambda: "{{ .Values.shop.stripeKey | b64enc }}", [HELM + "  stripe-key: {v}"]),
    (
        "masked-value",
        lambda: "[REDACTED]",
        ["TWILIO_AUTH_TOKEN={v}  # alertd env dump", "hal_grafana_admin_password: {v}"],
    ),
    ("masked-value", lambda: "********", ["Kiosk admin password: {v}", "spring.datasource.password={v}"]),
    ("masked-value", lambda: "AKIA************", ["the leaked key {v} is deactivated"]),
    ("keyword-no-value", lambda: "auth_token", ["ADR-33: alertd reads the Twilio {v} from Vault at boot."]),
    (
        "keyword-no-value",
        lambda: "KEYCHAIN_PASSWORD",
        ["PM-125: {v} was echoed by a debug step in the build log."],
    ),
    ("keyword-no-value", lambda: "AccountKey", ["RB-17: rotate the storage {v} after the HMI backup audit."]),
    (
        "keyword-no-value",
        lambda: "password",
        ["the broker rejected the {v} for reader-l07 (rotated in RB-14)"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["listener 1883 {v}", "$ ssh -J bastion ops@{v}", "reader_gateway: {v}"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["lab reader at {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.14.3",
        ["LTE backup link CGNAT address {v} (L14 hut)"],
    ),
    ("example-email", lambda: f"{rng.choice(STAFF)}@hollerfell.example", ["Reviewed-by: {v}", "owner: {v}"]),
    ("example-email", lambda: "guest@example.com", ['{"email":"{v}","pass":"day"}']),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # from the EKS workshop"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# EKS workshop sample\naws_secret_access_key = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["shop sandbox uses Stripe's doc key {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(2, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["Mosquitto {v} rolling upgrade", "kiosk-agent {v} staged to L03 kiosks"],
    ),
    ("version-or-date", iso, ["gates stopped validating at {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@ci-runner-4",
        ["# authorized_keys on hmi-gw-1\n{v}"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["# gate reader verification key in the firmware\n{v}"]),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem(),
        ["$ openssl s_client -connect mqtt-2:8883 -showcerts\n{v}"],
    ),
    (
        "ids-and-numbers",
        lambda: "E004" + rs("0123456789ABCDEF", 12),
        ["RFID UID {v} rejected at L07-03", "card_uid: {v}"],
    ),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v} (not secret)"]),
    ("ids-and-numbers", lambda: f"SP-2026-{rs(DIG, 5)}", ["season pass {v} blocked"]),
    ("ids-and-numbers", lambda: rs(DIG, 12), ["AWS account {v} (hal-shop)"]),
    (
        "ids-and-numbers",
        lambda: f"1:{rs(DIG, 12)}:android:{rs(HEX, 16)}",
        [GSJ + '"mobilesdk_app_id": "{v}",'],
    ),
    (
        "ids-and-numbers",
        lambda: "pk_live_" + rs(ALNUM, 24),
        ["STRIPE_PUBLISHABLE_KEY={v}  # publishable, shipped in the shop JS"],
    ),
    ("luhn-fail-number", luhn_bad, ["turnstile serial {v} swapped"]),
    (
        "documented-test-card",
        lambda: "4111 1111 1111 1111",
        ["L03 kiosk checkout tested with Visa test card {v}"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"lift":"L07","state":"stopped"}'), ["payload: {v}"]),
    (
        "base64-nonsecret",
        lambda: b64(f"gate {rng.randint(1, 9)} jammed".encode()),
        ["MQTT message (base64) {v}"],
    ),
    ("encrypted-value", lambda: draw.sops_value(), ["# envs/shop-eks/secrets.enc.yaml\nstripe_key: {v}"]),
    ("encrypted-value", lambda: draw.sealed(140), ["  encryptedData:\n    password: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(4)),
        ["mqtt_reader_pass: !vault |\n{v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2b$12$"),
        ["tickets=> select password_hash from staff where id = 9;\n {v}"],
    ),
    ("hash-or-digest", lambda: draw.sha512_crypt(), ["$ sudo grep ops /etc/shadow | cut -d: -f2\n{v}"]),
    ("hash-or-digest", draw.apr1, ["# /etc/haproxy/stats.htpasswd\nstats:{v}"]),
    (
        "hash-or-digest",
        lambda: "pbkdf2_sha256$720000$" + rs(ALNUM, 22) + "$" + b64(draw.rbytes(32)),
        ["| staff id | pass hash |\n|---|---|\n| 14 | {v} |"],
    ),
    (
        "hash-or-digest",
        lambda: "0x0200" + rs(HEX.upper(), 136),
        ["1> SELECT password_hash FROM sys.sql_logins WHERE name = 'hmi';\n2> GO\n{v}"],
    ),
    (
        "hash-or-digest",
        lambda: (
            "SCRAM-SHA-256$4096:"
            + b64(draw.rbytes(16))
            + "$"
            + b64(draw.rbytes(32))
            + ":"
            + b64(draw.rbytes(32))
        ),
        ["gates=# SELECT rolpassword FROM pg_authid WHERE rolname='gatehub';\n {v}"],
    ),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("trace-id", lambda: rs(HEX, 16) + ":" + rs(HEX, 16) + ":0:1", ["uber-trace-id: {v}"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel id {v}"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#lift-stops)"]),
    (
        "ids-and-numbers",
        lambda: "pk." + b64url(b'{"u":"hollerfell","a":"pistemap"}') + "." + rs(B64URL, 22),
        ["MAPBOX_PUBLIC_TOKEN={v}  # pk. tokens are public by design"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
        ["<key>CLIENT_ID</key>\n<string>{v}</string>"],
    ),
    (
        "ids-and-numbers",
        lambda: "0oa" + rs(ALNUM, 17),
        ["OKTA_CLIENT_ID={v}  # the id half; the secret lives in Vault"],
    ),
    (
        "masked-value",
        lambda: "AKIA" + "X" * 12 + rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4),
        ["| key | status |\n|---|---|\n| {v} | deleted |"],
    ),
    ("ids-and-numbers", lambda: "HollerfellPOS" + rs(DIG, 3), ["adyen merchantAccount: {v}"]),
    (
        "ids-and-numbers",
        lambda: rs(DIG, 6),
        ["| gate | pass type | fob token no. |\n|---|---|---|\n| L07-03 | day | {v} |"],
    ),
    (
        "ids-and-numbers",
        lambda: "ca-app-pub-" + rs(DIG, 16) + "~" + rs(DIG, 10),
        ["<key>GADApplicationIdentifier</key>\n<string>{v}</string>"],
    ),
    ("ids-and-numbers", lambda: "sq0idp-" + rs(B64URL, 22), ["SQUARE_APPLICATION_ID={v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::hal-pass-exports-{rs(LOW + DIG, 6)}",
        ["bucket {v} block public access on"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-snow/providers/Microsoft.Storage/storageAccounts/halhmibackups"
        ),
        ["scope: {v}"],
    ),
    (
        "placeholder",
        lambda: "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX",
        ["    url: {v}"],
    ),
    (
        "placeholder",
        lambda: "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
        ["# kiosk/README: put the terminal key here\n{v}"],
    ),
    ("placeholder", lambda: "<redacted>", ["| RB-17 step 4 | reset HMI sa login | new password {v} |"]),
    (
        "placeholder",
        lambda: "REPLACE_ME",
        ['[HKEY_LOCAL_MACHINE\\SOFTWARE\\Hollerfell\\SnowHMI]\n"DbPassword"="{v}"'],
    ),
    ("templated-value", lambda: "%(EXPORT_DB_PASS)s", ["[pass_export]\ndb_password = {v}"]),
    ("templated-value", lambda: "%SNOW_DB_PASSWORD%", ['<add key="DbPassword" value="{v}" />']),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(SecretUri=https://kv-hal.vault.azure.net/secrets/hmi-db/)",
        ["HmiDbConnection={v}"],
    ),
    ("encrypted-value", lambda: "ENC(" + rs(B64, 44) + ")", ["spring.datasource.password={v}"]),
    ("masked-value", lambda: "ghp_****", ["GitHub secret scanning on kiosk-agent: {v} (revoked by PM-125)"]),
    ("masked-value", lambda: "DOCKERHUB_TOKEN=***", ["{v}"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe dashboard lists the rolled key as {v}"]),
    ("keyword-no-value", lambda: "SSWS", ["Okta admin API wants the {v} scheme, not Bearer (ADR-30 note)."]),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["google-services.json carries no {v}; PM-121 was the Info.plist."],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -s http://{v}/latest/meta-data/iam/security-credentials/shop-node-role  # IMDSv1 check"],
    ),
    ("private-or-reserved-ip", lambda: "fd3c:a1:40::7", ["snowmaking VLAN gateway {v}"]),
    ("version-or-date", lambda: "2026-12-06", ["| {v} | PM-112 | gates down on opening day |"]),
    ("version-or-date", lambda: "ISO/IEC 14443-A / MIFARE DESFire EV3", ["reader standard {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ec_pub_pem(),
        ["# Adyen notification HMAC is separate; this is the gate QR verification key\n{v}"],
    ),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("base64-nonsecret", lambda: b64(b"gatehub"), ["$ echo -n gatehub | base64\n{v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO turnstiles (serial) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "5555555555554444", ["Stripe test Mastercard {v} on staging"]),
    ("git-sha", sha40, ["| {t} | {who} rolled gatehub back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM readers WHERE id = '{v}';", "  <TerminalId>{v}</TerminalId>"]),
    ("example-email", lambda: "noreply@tickets.hollerfell.example", ["From: Hollerfell Tickets <{v}>"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(40)), ["iban_enc={v}"]),
    (
        "encrypted-value",
        lambda: "AQICAHh" + rs(B64, 180) + "==",
        [
            "$ aws kms encrypt --key-id alias/shop --plaintext fileb://pw.txt --query CiphertextBlob --output text\n{v}"
        ],
    ),
    ("hash-or-digest", lambda: "{SSHA}" + b64(draw.rbytes(24)), ["userPassword:: {v}"]),
    ("templated-value", lambda: "$(DOCKERHUB_TOKEN)", ["$ docker login -u halci -p {v}"]),
    ("templated-value", lambda: "${PAGERDUTY_TOKEN}", ["Authorization: Token token={v}"]),
    ("placeholder", lambda: "<your-okta-token>", ["Authorization: SSWS {v}"]),
    (
        "masked-value",
        lambda: "sk.eyJ1…(truncated)",
        ["skierapp build 412 log shows MAPBOX_DOWNLOADS_TOKEN as {v}"],
    ),
    (
        "version-or-date",
        lambda: "ticket-shop-1.14.2",
        ["$ helm history ticket-shop -n shop | tail -1\n12  Sat Dec  6 07:02:44 2026  deployed  {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: "Message-ID: <" + rs(HEX, 16) + "@mail.hollerfell.example>",
        ["{v}\nFrom: tickets@hollerfell.example\nSubject: PM-118 notice"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ['creation_rules:\n  - age: "{v}"'],
    ),
    (
        "hash-or-digest",
        hex_n(40),
        ['GET /v3/kiosk/update/2.9.0 HTTP/1.1\nHost: kiosk.hollerfell.example\nIf-None-Match: "{v}"'],
    ),
    (
        "ids-and-numbers",
        lambda: f"L{rng.randint(1, 14):02d}-{rs(DIG, 2)}",
        ["| turnstile | {v} | RFID ok | pass key check ok |"],
    ),
]


def sections() -> tuple[list, list, list, list, list, list]:
    # drawn in this order: each draw moves the shared random generator
    return (
        expand(COMMON_SECRETS),
        expand(COMMON_PERSONAL),
        expand(RARE_SECRETS),
        expand(RARE_PERSONAL),
        expand(NEGATIVES),
        expand(RARE_NEGATIVES),
    )


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt)-[A-Za-z0-9_-]{20}|xox[bpae]-\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]{6}|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|GOCSPX-|whsec_|SG\.[\w-]{20}"
    r"|hv[sb]\.[A-Za-z0-9_-]{20}|\.atlasv1\.|webhooks/\d{10}|webhookb2/|chat\.googleapis\.com/v1/spaces/"
    r"|sk\.eyJ|:APA91b|AQE[A-Za-z0-9+/]{40}|EAAA[A-Za-z0-9_-]{40}|dckr_pat_|sntryu_|key-[0-9a-f]{32}|dp\.st\.|glsa_|shpat_"
    r"|hf_[A-Za-z]{30}|dapi[0-9a-f]{32}|sk-ant-|rubygems_[0-9a-f]{20}|AGE-SECRET-KEY-|HRKU-|npm_[A-Za-z0-9]{30}|SK[a-f0-9]{32}"
    r"|SSWS 00[A-Za-z0-9_-]{30}|u\+[A-Za-z0-9_-]{18}|AccountKey=[A-Za-z0-9+/]{20}|sig=[A-Za-z0-9%]{20}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes.
OK_MAIL_38 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_38,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "ids-and-numbers"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t38", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
