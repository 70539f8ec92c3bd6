# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test39.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test39.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270139)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a wine-import logistics firm, Sallowbrook Vintners Logistics (SVL):
PM-14 the bonded-warehouse WMS outage (PostgreSQL, RabbitMQ, Redis, nginx), PM-17 the customs-broker
EDI credential leak (AS2, SFTP, EMCS excise API, Windows service .config), PM-19 the driver-app
config leak (Info.plist, google-services.json, Mapbox, Sentry, Firebase), RB-5 rotating the reefer
container telemetry keys (AWS IoT, Azure IoT Hub, MQTT, network-device configs), RB-8 the release
pipeline (GitHub Actions, Buildkite, Docker Hub, Helm), ADR-11 shipment notifications (Twilio,
Postmark, Mailgun, PagerDuty, Slack), ADR-13 moving to Kubernetes with Vault, Terraform, Cloudflare
and GCP, and PM-21 a trade-customer invoice export (Stripe, Shippo, cards, IBANs, phones). Common
shapes come first in each kind (``t39p…``/``t39n…``).
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
OUT = HERE / "planted_test39.jsonl"
FOLD = "test39"
rng = Random(20270139)
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
    "negative": {*SHARED_TYPES["negative"], "encrypted-value"},
}

WORDS = [
    "claret",
    "riesling",
    "barrique",
    "corkscrew",
    "vintage",
    "pallet",
    "tannin",
    "magnum",
    "decanter",
    "sommelier",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["wms-sync", "edi-broker", "rabbit-admin", "invoice-export", "reefer-gw"], WORDS)


def wms_jwt() -> str:
    body = {
        "iss": "https://auth.sallowbrook.example/",
        "sub": "driver|" + rs(DIG, 6),
        "aud": "driverapp",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 22)}, body, rs(B64URL, 342))


def svc_jwt() -> str:
    body = {
        "iss": "wms",
        "sub": "svc:edi-gateway",
        "role": "service",
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def mapbox_secret() -> str:
    head = b64url(json.dumps({"u": "sallowbrook", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "sk." + head + "." + rs(B64URL, 22)


def mailgun_key() -> str:
    return "key-" + rs(HEX, 32)


def pd_api_token() -> str:
    return "u+" + rs(B64URL, 18)


def buildkite_token() -> str:
    return "bkua_" + rs(HEX, 40)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def sentry_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def shippo_token() -> str:
    return "shippo_live_" + rs(HEX, 40)


def doppler_token() -> str:
    return "dp.st.prd." + rs(ALNUM, 40)


def airtable_pat() -> str:
    return "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64)


def hubspot_pat() -> str:
    return "pat-eu1-" + uuid4()


def square_token() -> str:
    return "EAAA" + rs(B64URL, 60)


def databricks_token() -> str:
    return "dapi" + rs(HEX, 32)


def cf_api_token() -> str:
    return rs(B64URL, 40)


def vault_token() -> str:
    return "hvs." + rs(ALNUM, 24)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def grafana_cloud() -> str:
    return "glc_" + rs(B64, 80) + "=="


def fcm_server_key() -> str:
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def teams_hook() -> str:
    return f"https://sallowbrook.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSy{rs(B64URL, 33)}&token={rs(B64URL, 43)}"


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def session_cookie() -> str:
    return "s%3A" + rs(B64URL, 32) + "." + rs(B64, 43)


def cisco_type7() -> str:
    """A Cisco type 7 reversible password: trivially decoded, so as good as plain text."""
    return f"{rng.randint(0, 15):02d}" + rs("0123456789ABCDEF", 2 * rng.randint(9, 13))


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = [
    "ottoline",
    "severin",
    "clementine",
    "bartholomew",
    "ysolde",
    "fitzroy",
    "perpetua",
    "leofric",
    "honoria",
]
LAST = ["vinecombe", "cellarby", "grapewell", "bottomley", "corkhill", "hogsheadley", "tunmarsh"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "gmx.net",
    "btinternet.com",
    "laposte.net",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = [
    "wms-api",
    "edi-gateway",
    "reefer-telemetry",
    "driverapp-api",
    "notifyd",
    "invoice-export",
    "excise-sync",
]
STAFF = ["ingrid", "olumide", "bethan", "ravi", "saoirse", "tomasz", "aurelie", "kwame"]
HOSTS = ["wms-db-1", "rabbit-2", "edi-gw-1", "bk-agent-3", "vault-0", "reefer-mq-1", "bond-wh-04"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "bay": lambda: f"BW{rng.randint(1, 9)}-{rng.choice('ABCDEF')}{rng.randint(1, 40):02d}",
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #svl-incident | {who}: "
CHAT = "[{t}] {who} (#bond-ops): "
FD = "Freshdesk #{tkt} (private note, {who}): "
HIST = "  {num}  "
BK = "--- :docker: build driverapp-api\n"
PYTRACE = 'Traceback (most recent call last):\n  File "/srv/excise-sync/emcs.py", line 142, in submit\n    resp = session.post(url, data=payload)\n'
GOTRACE = "panic: amqp dial failed\n\ngoroutine 7 [running]:\nmain.consume(...)\n\t/src/reefer-telemetry/consumer.go:88 +0x2a1\n"
CSTRACE = "System.Net.WebException: The remote server returned an error: (401) Unauthorized.\n   at Svl.Edi.As2Client.Send(As2Message msg) in C:\\build\\EdiGateway\\As2Client.cs:line 211\n"
SWTRACE = (
    "Fatal error: Unexpectedly found nil while unwrapping an Optional value\nDriverApp/ApiClient.swift:57: "
)
WMSLOG = "{ts} wms-api[2231]: "
REEFLOG = "{ts} [warn] reefer-telemetry: "
EXPORT = "account_no,contact,email,phone,last_login_ip,card,iban\n"
GSJ = "// android/app/google-services.json\n"
PLIST = "<!-- ios/DriverApp/Info.plist -->\n"
HELM = "# charts/wms-api/values-prod.yaml\n"
WINCFG = "<!-- C:\\Program Files\\SVL\\EdiGateway\\EdiGateway.exe.config -->\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws iot list-things --max-items 5  # AWS_ACCESS_KEY_ID={v}",
            "[svl-reefer]\naws_access_key_id = {v}\nregion = eu-west-2",
            "  env:\n    AWS_ACCESS_KEY_ID: {v}\n    AWS_DEFAULT_REGION: eu-west-2",
            TL + "CloudTrail shows {v} calling iot:DetachPolicy from an unknown ASN",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[svl-reefer]\naws_secret_access_key = {v}",
            "$ AWS_SECRET_ACCESS_KEY={v} aws s3 cp s3://svl-bond-reports/2026-11.csv .",
            'provider "aws" {\n  region     = "eu-west-2"\n  secret_key = "{v}"\n}',
        ],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            "HostName=svl-reefer.azure-devices.net;DeviceId=reefer-0417;SharedAccessKey={v}",
            "Endpoint=sb://svl-bond.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=svlbonddocs;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        ["AZURE_CLIENT_SECRET={v}", WINCFG + '<add key="AadClientSecret" value="{v}" />'],
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
            '{"type":"service_account","project_id":"svl-analytics","private_key":"{v}","client_email":"bq-loader@svl-analytics.iam.gserviceaccount.com"}',
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ gh auth login --with-token <<< {v}",
            "      - uses: actions/checkout@v4\n        with:\n          token: {v}\n          submodules: true",
            "$ git clone https://release-bot:{v}@github.com/sallowbrook/wms-api.git",
            CHAT + "temporary PAT for the helm repo: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ glab auth login --hostname gitlab.sallowbrook.internal --token {v}", "GITLAB_TOKEN={v}"],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            "SLACK_BOT_TOKEN={v}",
            "$ curl -H 'Authorization: Bearer {v}' https://slack.com/api/conversations.list",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "notifyd:\n  slack:\n    incoming_webhook: {v}",
            "$ curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"BW3 chiller alarm\"}' {v}",
        ],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        ["STRIPE_API_KEY={v}", 'Stripe.apiKey = "{v}"; // InvoiceExport.java'],
    ),
    ("stripe-key", draw.stripe_whsec, ["STRIPE_WEBHOOK_SECRET={v}"]),
    (
        "jwt",
        svc_jwt,
        [
            "$ wmsctl --endpoint https://wms-api.sallowbrook.internal --token {v} stock list --bay BW3",
            "X-Service-Token: {v}",
            "WMS_SERVICE_JWT={v}",
        ],
    ),
    (
        "jwt",
        wms_jwt,
        [
            "GET /v3/consignments/CN-88213/pod HTTP/1.1\nHost: api.sallowbrook.example\nAuthorization: Bearer {v}",
            SWTRACE + "token {v}",
        ],
    ),
    (
        "private-key",
        draw.pk("rsa"),
        ["# as2/svl-signing.key (copied to the broker's SFTP share, PM-17)\n{v}"],
    ),
    ("private-key", draw.pk("pkcs8"), ["# AuthKey_9KD3P7.p8 (APNs key, PM-19)\n{v}"]),
    ("private-key", draw.pk("ec", "    "), ["ingress:\n  tlsKey: |\n    {v}"]),
    ("private-key", draw.pk("ssh"), ["$ cat ~/.ssh/id_ed25519   # on bk-agent-3\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "WMS_DATABASE_URL=postgresql://wms:{v}@wms-db-1.sallowbrook.internal:5432/bond",
            "amqp_url: amqps://reefer-gw:{v}@rabbit-2.sallowbrook.internal:5671/telemetry",
            "REDIS_URL=rediss://default:{v}@{pip}:6380/0",
            "$ lftp sftp://svl-edi:{v}@sftp.customs-broker.example/outbound",
            '<property name="jdbcUrl" value="jdbc:postgresql://excise:{v}@{pip}:5432/excise"/>',
            "$ mongosh 'mongodb://driverapp:{v}@{pip}:27017/pod?authSource=admin'",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "RABBITMQ_DEFAULT_PASS={v}",
            "[wms]\ndb_password = {v}",
            'MATCH_PASSWORD="{v}"',
            "  <password>{v}</password>\n</server>",
            'rabbitmq_admin_password: "{v}"',
            "excise.emcs.password={v}",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ rabbitmqctl change_password reefer-gw {v}",
            '$ psql "host={pip} dbname=bond user=wms password={v}"',
            "$ helm upgrade rabbitmq bitnami/rabbitmq --set auth.password={v} -n messaging",
            "$ ansible-playbook wms.yml -e wms_db_pass={v} -l wms-db-1",
            "ALTER USER excise_ro WITH PASSWORD '{v}';",
            "$ kubectl create secret generic wms-db --from-literal=password={v} -n wms",
            '$ sqlcmd -S {pip} -U edi_svc -P {v} -Q "SELECT 1"',
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"registry.sallowbrook.internal":{"auth":"{v}"}}}',
            "POST /api/definitions HTTP/1.1\nHost: rabbit-2:15672\nAuthorization: Basic {v}",
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u wms-sync:{v} https://rabbit-2.sallowbrook.internal:15672/api/queues",
            "$ http -a invoice-export:{v} POST https://billing.sallowbrook.example/api/runs",
        ],
    ),
    (
        "bearer-token",
        opaque(48),
        ['$ curl -sH "Authorization: Bearer {v}" https://api.sallowbrook.example/v3/consignments'],
    ),
    (
        "vendor-token",
        mapbox_secret,
        ["MAPBOX_DOWNLOADS_TOKEN={v}", "machine api.mapbox.com\n  login mapbox\n  password {v}"],
    ),
    ("vendor-token", fcm_server_key, ["FCM_SERVER_KEY={v}", "Authorization: key={v}"]),
    ("vendor-token", hex_n(32), ["DD_API_KEY={v}", "  datadog:\n    apiKey: {v}\n    site: datadoghq.eu"]),
    (
        "vendor-token",
        hex_n(32),
        ["TWILIO_AUTH_TOKEN={v}", "twilio:\n  account_sid: AC" + "0" * 32 + "\n  auth_token: {v}"],
    ),
    ("vendor-token", twilio_sk, ["TWILIO_API_KEY_SID_SECRET={v}"]),
    (
        "vendor-token",
        uuid4,
        ["POSTMARK_SERVER_TOKEN={v}", "X-Postmark-Server-Token: {v}"],
    ),
    (
        "vendor-token",
        mailgun_key,
        ["MAILGUN_API_KEY={v}", "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/domains"],
    ),
    ("vendor-token", hex_n(32), ["PAGERDUTY_ROUTING_KEY={v}"]),
    ("vendor-token", pd_api_token, ["Authorization: Token token={v}", "PAGERDUTY_API_TOKEN={v}"]),
    (
        "vendor-token",
        buildkite_token,
        ["BUILDKITE_API_TOKEN={v}", "$ bk configure --org sallowbrook --token {v}"],
    ),
    (
        "vendor-token",
        opaque(64),
        ["BUILDKITE_AGENT_TOKEN={v}", 'token="{v}"  # /etc/buildkite-agent/buildkite-agent.cfg'],
    ),
    (
        "vendor-token",
        dockerhub_pat,
        ["$ echo {v} | docker login -u svlrelease --password-stdin", "DOCKERHUB_TOKEN={v}"],
    ),
    ("vendor-token", sentry_token, ["SENTRY_AUTH_TOKEN={v}"]),
    ("vendor-token", shippo_token, ["SHIPPO_API_KEY={v}", "Authorization: ShippoToken {v}"]),
    (
        "vendor-token",
        doppler_token,
        ["DOPPLER_TOKEN={v}", "$ doppler configure set token {v} --scope /srv/wms"],
    ),
    ("vendor-token", airtable_pat, ["AIRTABLE_PAT={v}"]),
    ("vendor-token", hubspot_pat, ["HUBSPOT_ACCESS_TOKEN={v}"]),
    ("vendor-token", square_token, ["SQUARE_ACCESS_TOKEN={v}"]),
    (
        "vendor-token",
        databricks_token,
        ["[DEFAULT]\nhost = https://adb-5512.azuredatabricks.net\ntoken = {v}"],
    ),
    (
        "vendor-token",
        cf_api_token,
        ["CLOUDFLARE_API_TOKEN={v}", 'provider "cloudflare" {\n  api_token = "{v}"\n}'],
    ),
    (
        "vendor-token",
        vault_token,
        ["$ export VAULT_TOKEN={v}\n$ vault kv get kv/wms/db", "vault:\n  token: {v}"],
    ),
    ("vendor-token", npm_token, ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    ("vendor-token", grafana_cloud, ["GRAFANA_CLOUD_TOKEN={v}"]),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    (
        "generic-api-key",
        opaque(32),
        ["EMCS_API_KEY={v}", "customs.broker.api-key={v}"],
    ),
    ("generic-api-key", hex_n(32), [WINCFG + '<add key="BrokerApiKey" value="{v}" />', "x-api-key: {v}"]),
    (
        "generic-api-key",
        session_cookie,
        ["Cookie: connect.sid={v}", "Set-Cookie: connect.sid={v}; Path=/; HttpOnly; Secure; SameSite=Lax"],
    ),
    ("generic-api-key", hex_n(64), ["DJANGO_SECRET_KEY={v}", 'secret_key_base: "{v}"']),
    (
        "generic-api-key",
        opaque(40),
        ["OIDC_CLIENT_SECRET={v}", "spring.security.oauth2.client.registration.svl.client-secret={v}"],
    ),
    ("webhook-url", gchat_hook, ["GOOGLE_CHAT_WEBHOOK_URL={v}"]),
    ("webhook-url", teams_hook, ["  msteams:\n    webhook_url: {v}"]),
    ("webhook-url", draw.discord_hook, ["DISCORD_WEBHOOK={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: rabbitmq-admin\ndata:\n  rabbitmq-password: {v}",
            "data:\n  WMS_DB_PASSWORD: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [GOTRACE + "error: UnrecognizedClientException: key {v} is not valid"]),
    ("aws-key", draw.aws_secret, ["| 02:17 | {who} | read `{v}` aloud on the bridge call |"]),
    (
        "password-in-url",
        plain_pw,
        [
            PYTRACE
            + "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='emcs-proxy', port=443) url=https://excise:{v}@{pip}/submit",
            CSTRACE + "   target ftp://edi_svc:{v}@{pip}:21/inbound",
            TL + "fallback broker: amqp://reefer-gw:{v}@{pip}:5672/",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "[amqp]\nuser = reefer-gw\npassword = {v}",
            '{"sftp":{"host":"sftp.customs-broker.example","user":"svl-edi","password":"{v}"}}',
            '[HKEY_LOCAL_MACHINE\\SOFTWARE\\SVL\\EdiGateway]\n"BrokerPassword"="{v}"',
            "[Service]\nEnvironment=EXCISE_DB_PASSWORD={v}\nExecStart=/usr/local/bin/excise-sync",
            '<connectionStrings><add name="Edi" connectionString="Server={pip};User Id=edi_svc;Password={v};" /></connectionStrings>',
            "# /etc/cron.d/bond-report\n15 6 * * * svl /usr/local/bin/bond-report --smtp-pass {v}",
            'proxy_set_header Authorization "";\n# TODO remove: upstream edi basic pass {v}',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-5 step 4 | rotate RabbitMQ admin | new password {v} |",
            "$ sshpass -p '{v}' ssh admin@bond-wh-04",
            'val keystorePassword = "{v}"  // app/build.gradle.kts',
            "snmp-server community {v} RW",
            'const string EdiPassword = "{v}";  // As2Client.cs',
            "wms_db_pass: {v}  # group_vars/wms.yml",
        ],
    ),
    (
        "password-assignment",
        cisco_type7,
        ["interface Tunnel10\n ip nhrp authentication x\nusername reefer-vpn password 7 {v}"],
    ),
    ("jwt", svc_jwt, [HIST + "wmsctl token mint --service edi-gateway  # printed {v}"]),
    ("jwt", wms_jwt, ["Sentry issue DRIVERAPP-7M: 401 on /pod/upload with token {v}"]),
    (
        "github-token",
        draw.gh_token,
        [
            "remote: Invalid username or token.\nfatal: Authentication failed for 'https://x-access-token:{v}@github.com/sallowbrook/charts.git/'"
        ],
    ),
    ("slack-token", draw.slack_token, ["slack_bolt: invalid_auth for token {v}"]),
    ("stripe-key", draw.stripe_key, [FD + "trade portal JS bundle shipped {v}"]),
    ("vendor-token", fcm_server_key, [PLIST + "<key>FCMServerKey</key>\n<string>{v}</string>"]),
    ("vendor-token", shippo_token, [WMSLOG + "label purchase failed: 401 for key {v}"]),
    (
        "vendor-token",
        buildkite_token,
        [BK + "+ curl -H 'Authorization: Bearer {v}' https://api.buildkite.com/v2/builds"],
    ),
    ("vendor-token", dockerhub_pat, ['redis> GET ci:dockerhub:token\n"{v}"']),
    ("vendor-token", mailgun_key, ["mysql> SELECT api_key FROM mail_providers WHERE name='mailgun';\n{v}"]),
    ("vendor-token", mapbox_secret, ["| driverapp | gradle.properties | {v} | leaked in PM-19 |"]),
    ("private-key", draw.pk("rsa"), [TL + "AS2 signing key, pasted by mistake:\n{v}"]),
    (
        "generic-api-key",
        opaque(32),
        ["{ts} DEBUG excise-sync GET https://api.duty-rates.example/v1/rates?commodity=2204&apikey={v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{pip} - - [21/Nov/2026:02:04:19 +0000] "GET /api/overview HTTP/1.1" 401 0 "-" "curl/8.5" auth="Basic {v}"'
        ],
    ),
    ("bearer-token", opaque(56), [REEFLOG + "upstream headers={'Authorization': 'Bearer {v}'}"]),
    ("k8s-secret-b64", k8s_b64, ["$ kubectl -n wms get secret wms-db -o jsonpath='{.data.password}'\n{v}"]),
    ("webhook-url", draw.slack_hook, [CHAT + "hook for #reefer-alarms: {v}"]),
    ("gcp-key", draw.gcp_oauth_secret, [GSJ + '"oauth_client": [ { "client_secret": "{v}" } ]']),
    ("vendor-token", twilio_sk, ['Kotlin: private const val TWILIO_API_SECRET_SID = "{v}"']),
    ("vendor-token", sentry_token, ["$ sentry-cli --auth-token {v} releases new driverapp@4.2.0"]),
    ("vendor-token", hex_n(32), ['static let postmarkWebhookSecret = "{v}"  // NotifyConfig.swift']),
    ("vendor-token", doppler_token, ["  {num}  doppler secrets download --token {v} --no-file"]),
    ("generic-api-key", opaque(40), ['const EDI_PARTNER_SECRET = "{v}"; // edi/partners.js']),
    ("generic-api-key", hex_n(64), ['WmsHmacKey = "{v}"  // Go: internal/sign/hmac.go']),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "TC{num},Ottoline Vinecombe,{v},,,,",
            FD + "customer wants delivery notes sent to {v}",
            "{ts} INFO driverapp-api login ok user={v}",
            "INSERT INTO trade_contacts (account_no, email) VALUES ('TC118', '{v}');",
            "Reply-To: {v}\nSubject: pallet of Rioja arrived warm",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "TC{num},Severin Cellarby,,{v},,,",
            FD + "ring the cellar manager on {v} before redelivery",
            "{ts} INFO notifyd sms queued to={v} event=out_for_delivery",
            "| Clementine Grapewell | bond supervisor, BW3 | {v} |",
            'escalation:\n  - name: Bartholomew Corkhill\n    sms: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "TC{num},Ysolde Bottomley,,,,{v},",
            FD + "customer read their card {v} out on the phone and it was transcribed",
            "{ts} WARN invoice-export charge declined pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "sshd[3302]: Failed password for invalid user admin from {v} port 51214 ssh2",
            REEFLOG + "container gateway reefer-0417 connected from {v}:40122",
            EXPORT + "TC{num},Fitzroy Tunmarsh,,,{v},,",
            '{"event":"portal_login","account":"TC204","ip":"{v}"}',
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            'nginx: {v} - - "GET /v3/consignments HTTP/2.0" 200',
            "sshd[4410]: Accepted publickey for ravi from {v} port 60122 ssh2",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "TC{num},Perpetua Hogsheadley,,,,,{v}"]),
    (
        "iban",
        lambda: iban_of("FR", rs(DIG, 10) + rs(UP + DIG, 11) + rs(DIG, 2)),
        [FD + "refund the duty overpayment to {v}"],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [FD + "warehouse temp's NI number {v} in the agency spreadsheet"]),
    ("national-id", ssn, ["| Leofric Vinecombe | US importer of record contact | SSN {v} | W-9 |"]),
    (
        "iban",
        lambda: draw.iban("DE"),
        ['{"payee":"Honoria Grapewell","iban":"{v}","invoice":"SVL-INV-20931"}'],
    ),
    ("email", email, ["From: {v}\nTo: support@sallowbrook.example\nSubject: missing case of Chablis"]),
    ("phone", phone, ["<consignee><name>Severin Tunmarsh</name><mobile>{v}</mobile></consignee>"]),
    (
        "credit-card",
        card,
        ["invoices=> SELECT pan FROM legacy_payments WHERE account_no = 'TC077';\n pan\n-----\n {v}"],
    ),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.20.4.9\n(driverapp-api access log, PM-19)"]),
    ("ipv6", public_v6, ["wms=> SELECT remote_addr FROM audit_login WHERE id = 311;\n {v}"]),
    ("phone", phone, [CHAT + "Aurelie's personal mobile is {v} if PagerDuty fails"]),
    ("email", email, ["Author: Ottoline Corkhill <{v}>\nDate:   Fri Nov 20 18:02:11 2026 +0000"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        ["$ git rev-parse HEAD\n{v}", "wms-api built from {v}", "merge commit {v} (PR #{num})"],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["reverted in {v} (PM-14 follow-up)"]),
    (
        "uuid",
        uuid4,
        [
            "consignment_id: {v}",
            "IoT Hub device twin {v}",
            '{"pallet_id":"{v}","bay":"BW3-C12"}',
            "$ az account set --subscription {v}",
            "PagerDuty incident {v} resolved",
        ],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        [
            "$ sha256sum driverapp-4.2.0.aab\n{v}  driverapp-4.2.0.aab",
            "edi batch sha256={v}",
            "checksum: sha256:{v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["image: registry.sallowbrook.internal/wms-api@{v}", "$ docker pull rabbitmq@{v}"],
    ),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"']),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-b7ad6b7169203331-01", "dd.trace_id={v} service=notifyd"]),
    ("trace-id", hex_n(16), ["span_id={v} op=amqp.publish"]),
    ("trace-id", draw.long_trace, ["datadog trace {v}"]),
    (
        "cloud-resource-id",
        lambda: "i-0" + rs(HEX, 16),
        ["$ aws ec2 reboot-instances --instance-ids {v}", "bastion {v} replaced"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iot:eu-west-2:{rs(DIG, 12)}:thing/reefer-0417",
        ["thing_arn = {v}"],
    ),
    ("cloud-resource-id", lambda: "vpc-0" + rs(HEX, 16), ['vpc_id = "{v}"']),
    (
        "cloud-resource-id",
        lambda: (
            f"projects/svl-analytics/locations/europe-west2/keyRings/wms/cryptoKeys/pii-{rs(LOW + DIG, 4)}"
        ),
        ["$ gcloud kms keys describe {v}"],
    ),
    (
        "placeholder",
        lambda: "<PASSWORD>",
        ["RABBITMQ_DEFAULT_PASS={v}", "$ sqlcmd -S wms-db -U edi_svc -P {v}"],
    ),
    (
        "placeholder",
        lambda: "changeme",
        ["rabbitmq_admin_password: {v}  # local compose only", "KEYSTORE_PASSWORD={v}"],
    ),
    ("placeholder", lambda: "0000000000000000000000000000000000000000", ["BUILDKITE_API_TOKEN={v}"]),
    ("placeholder", lambda: "YOUR_SHIPPO_KEY", ["SHIPPO_API_KEY={v}", "POSTMARK_SERVER_TOKEN={v}"]),
    ("placeholder", lambda: "amqp://user:pass@localhost:5672/", ["# README: AMQP_URL={v}"]),
    (
        "templated-value",
        lambda: "${WMS_DB_PASSWORD}",
        ['password = "{v}"', "$ psql -h wms-db-1 -U wms -c '\\l' # PGPASSWORD={v}"],
    ),
    ("templated-value", lambda: "{{ rabbitmq_admin_password }}", ["RABBITMQ_DEFAULT_PASS={v}"]),
    (
        "templated-value",
        lambda: "${{ secrets.DOCKERHUB_TOKEN }}",
        ["        with:\n          username: svlrelease\n          password: {v}"],
    ),
    ("templated-value", lambda: "$(KEYSTORE_PASSWORD)", ['KEYSTORE_PASSWORD="{v}"']),
    (
        "templated-value",
        lambda: "{{ .Values.rabbitmq.auth.password | b64enc | quote }}",
        ["  rabbitmq-password: {v}"],
    ),
    (
        "masked-value",
        lambda: "[REDACTED]",
        ["TWILIO_AUTH_TOKEN={v}  # ADR-11 appendix", "rabbitmq_admin_password: {v}"],
    ),
    ("masked-value", lambda: "********", ["SFTP Password: {v}", "KEYSTORE_PASSWORD={v}"]),
    ("masked-value", lambda: "AKIA****************", ["the exposed key {v} was deactivated at 02:40"]),
    (
        "keyword-no-value",
        lambda: "routing_key",
        ["ADR-11: notifyd reads the PagerDuty {v} from Vault at start."],
    ),
    ("keyword-no-value", lambda: "KEYSTORE_PASSWORD", ["PM-19: {v} sat in the public driver-app repo."]),
    ("keyword-no-value", lambda: "SharedAccessKey", ["RB-5: regenerate the {v} of every reefer gateway."]),
    (
        "keyword-no-value",
        lambda: "password",
        ["the SFTP server refused the {v} for svl-edi (rotated in RB-5)"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["listen {v}:443 ssl;", "$ ssh -J bastion ops@{v}", "reefer_gw_ip: {v}"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["staging EDI partner at {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.3.18",
        ["4G router CGNAT address {v} (BW3 backup link)"],
    ),
    ("example-email", lambda: f"{rng.choice(STAFF)}@sallowbrook.example", ["Reviewed-by: {v}", "owner: {v}"]),
    ("example-email", lambda: "customer@example.com", ['{"email":"{v}","tier":"trade"}']),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # copied from the AWS docs"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# example only (AWS CLI guide)\naws_secret_access_key = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["invoice sandbox uses Stripe's documented key {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(3, 4)}.{rng.randint(10, 13)}.{rng.randint(0, 9)}",
        ["RabbitMQ {v} rolling upgrade", "driverapp {v} staged to 5% of drivers"],
    ),
    ("version-or-date", iso, ["queue depth alarm cleared at {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@bk-agent-3",
        ["# authorized_keys on bond-wh-04\n{v}"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["# customs broker's AS2 verification key\n{v}"]),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem(),
        ["$ openssl s_client -connect rabbit-2:5671 -showcerts\n{v}"],
    ),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v} (not secret)"]),
    ("ids-and-numbers", lambda: f"SVL-INV-{rs(DIG, 5)}", ["invoice {v} credited"]),
    ("ids-and-numbers", lambda: rs(DIG, 12), ["AWS account {v} (svl-reefer)"]),
    (
        "ids-and-numbers",
        lambda: f"1:{rs(DIG, 12)}:ios:{rs(HEX, 16)}",
        [PLIST + "<key>GOOGLE_APP_ID</key>\n<string>{v}</string>"],
    ),
    ("ids-and-numbers", lambda: f"com.sallowbrook.driver.{rs(LOW, 5)}", ['applicationId "{v}"']),
    ("ids-and-numbers", lambda: f"GB{rs(DIG, 13)}", ["EMCS ARC for the Bordeaux load: 26{v}"]),
    (
        "ids-and-numbers",
        lambda: f"GBWK{rs(DIG, 9)}",
        ["excise warehouse id {v} (HMRC approval, public register)"],
    ),
    ("ids-and-numbers", lambda: f"MSKU{rs(DIG, 7)}", ["reefer container {v} set point 14C"]),
    ("luhn-fail-number", luhn_bad, ["pallet SSCC {v} scanned at BW3", "case barcode {v}"]),
    ("documented-test-card", lambda: "4242 4242 4242 4242", ["trade portal checkout tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"bay":"BW3-C12","temp_c":14.2}'), ["payload: {v}"]),
    (
        "base64-nonsecret",
        lambda: b64(f"door {rng.randint(1, 9)} ajar".encode()),
        ["reefer alarm body (base64) {v}"],
    ),
    ("encrypted-value", lambda: draw.sops_value(), ["# envs/prod/secrets.enc.yaml\nshippo_key: {v}"]),
    ("encrypted-value", lambda: draw.sealed(140), ["  encryptedData:\n    rabbitmq-password: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(4)),
        ["wms_db_pass: !vault |\n{v}"],
    ),
    (
        "ids-and-numbers",
        lambda: f"pin {rng.randint(1, 48)}",
        ["the reefer controller's {v} is the RS-485 data line"],
    ),
    (
        "ids-and-numbers",
        lambda: f"key {rs(UP, 1)}{rng.randint(1, 9)}",
        ["dock door BW3 uses padlock {v} from the key cabinet"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2b$12$"),
        ["invoices=> select password_digest from portal_users where id = 9;\n {v}"],
    ),
    (
        "hash-or-digest",
        lambda: draw.sha512_crypt(),
        ["$ sudo awk -F: '$1==\"svl\"{print $2}' /etc/shadow\n{v}"],
    ),
    (
        "hash-or-digest",
        lambda: "rabbit_password_hashing_sha256:" + b64(draw.rbytes(36)),
        ['{"name":"reefer-gw","password_hash":"{v}"}'],
    ),
    ("hash-or-digest", lambda: "{SSHA}" + b64(draw.rbytes(24)), ["userPassword:: {v}"]),
    (
        "hash-or-digest",
        lambda: "md5" + rs(HEX, 32),
        ["wms=# SELECT rolpassword FROM pg_authid WHERE rolname='excise_ro';\n {v}"],
    ),
    ("hash-or-digest", lambda: draw.apr1(), ["# /etc/nginx/.htpasswd\nbondviewer:{v}"]),
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
        ["pg_authid.rolpassword for wms = {v}"],
    ),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#reefer-alarms)"]),
    (
        "ids-and-numbers",
        lambda: "pk." + b64url(b'{"u":"sallowbrook","a":"driver"}') + "." + rs(B64URL, 22),
        ["MAPBOX_STYLE_PK={v}  # pk. tokens ship in the app by design"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
        ["<key>CLIENT_ID</key>\n<string>{v}</string>"],
    ),
    ("ids-and-numbers", lambda: "pk_live_" + rs(ALNUM, 99), ["trade portal checkout.js publishable key {v}"]),
    (
        "ids-and-numbers",
        opaque(32),
        ['analytics.load("{v}");  // Segment browser write key, public by design'],
    ),
    (
        "ids-and-numbers",
        lambda: "AROA" + rs(UP + "234567", 17),
        ["CloudTrail userIdentity.principalId {v}:reefer-rotation (a role id, not a key)"],
    ),
    ("ids-and-numbers", lambda: f"PK{rs(HEX, 32)}", ["Twilio API key SID {v} (its secret lives in Vault)"]),
    ("placeholder", lambda: "AKIA" + "X" * 16, ["docs example: AWS_ACCESS_KEY_ID={v}"]),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(1000, 9999)}",
        ["the driver enters the gate pin {v} printed on today's manifest"],
    ),
    (
        "ids-and-numbers",
        lambda: f"pass {rng.randint(2, 9)} of {rng.randint(10, 12)}",
        ["stock-take {v} for bay BW4 done"],
    ),
    (
        "ids-and-numbers",
        lambda: f"T-{rs(UP, 2)}{rs(DIG, 3)}",
        ["pallet token {v} printed on the collection slip"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::svl-bond-reports-{rs(LOW + DIG, 6)}",
        ["bucket {v} object lock on"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-reefer/providers/Microsoft.Devices/IotHubs/svl-reefer"
        ),
        ["scope: {v}"],
    ),
    (
        "placeholder",
        lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ["    incoming_webhook: {v}"],
    ),
    (
        "placeholder",
        lambda: "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        ["# docs/as2-setup.md\n{v}"],
    ),
    ("placeholder", lambda: "<redacted>", ["| RB-5 step 4 | rotate RabbitMQ admin | new password {v} |"]),
    (
        "placeholder",
        lambda: "REPLACE_ME",
        ['[HKEY_LOCAL_MACHINE\\SOFTWARE\\SVL\\EdiGateway]\n"BrokerPassword"="{v}"'],
    ),
    ("templated-value", lambda: "%(EXCISE_DB_PASS)s", ["[excise]\ndb_password = {v}"]),
    ("templated-value", lambda: 'System.getenv("KEYSTORE_PASSWORD")', ["storePassword = {v}"]),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(SecretUri=https://kv-svl.vault.azure.net/secrets/servicebus/)",
        ["ServiceBusConnection={v}"],
    ),
    ("templated-value", lambda: "vault:kv/data/edi#sftp_password", ["SFTP_PASSWORD={v}"]),
    ("templated-value", lambda: "ENV['SHIPPO_API_KEY']", ["Shippo::API.token = {v}"]),
    (
        "templated-value",
        lambda: "$(BUILDKITE_API_TOKEN)",
        ["$ curl -H 'Authorization: Bearer {v}' https://api.buildkite.com/v2/user"],
    ),
    ("masked-value", lambda: "dckr_pat_****", ["Docker Hub alert: token {v} revoked"]),
    ("masked-value", lambda: "MAILGUN_API_KEY=***", ["{v}"]),
    ("masked-value", lambda: "sk_live_…4fQz", ["Stripe dashboard lists the rolled key as {v}"]),
    ("keyword-no-value", lambda: "ShippoToken", ["Shippo wants the {v} scheme in the Authorization header."]),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["google-services.json holds no {v}; PM-19 was the plist."],
    ),
    (
        "keyword-no-value",
        lambda: "password 7",
        ["RB-5: Cisco {v} lines are reversible, so treat them as plain text."],
    ),
    ("private-or-reserved-ip", lambda: "169.254.169.254", ["$ curl -s http://{v}/latest/api/token -X PUT"]),
    (
        "version-or-date",
        lambda: "2026-11-21",
        ["| {v} | PM-21 | invoice export sent to the wrong trade customer |"],
    ),
    ("version-or-date", lambda: "EDIFACT D.96A / AS2 1.2", ["message standard {v}"]),
    ("public-key-or-cert", lambda: draw.ec_pub_pem(), ["# trade-portal webhook verification key\n{v}"]),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ['creation_rules:\n  - age: "{v}"'],
    ),
    (
        "public-key-or-cert",
        draw.wireguard_key,
        ["[Peer]\n# bond-wh-04\nPublicKey = {v}\nAllowedIPs = 10.60.0.4/32"],
    ),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO pallets (sscc) VALUES ('{v}');"]),
    (
        "documented-test-card",
        lambda: "5555555555554444",
        ["Stripe test Mastercard {v} used on the trade-portal staging stack"],
    ),
    ("uuid", uuid4, ["-- DELETE FROM consignments WHERE id = '{v}';", "  <PartnerId>{v}</PartnerId>"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(40)), ["iban_enc={v}"]),
    (
        "encrypted-value",
        lambda: "AQICAHh" + rs(B64, 180) + "==",
        ["KMS ciphertext blob for the EMCS key: {v}"],
    ),
    (
        "encrypted-value",
        lambda: (
            "-----BEGIN PGP MESSAGE-----\n\nhQIMA"
            + rs(B64, 60)
            + "\n"
            + rs(B64, 64)
            + "\n="
            + rs(B64, 4)
            + "\n-----END PGP MESSAGE-----"
        ),
        ["# edi/partner-creds.txt.asc\n{v}"],
    ),
    (
        "ids-and-numbers",
        lambda: f"BW{rng.randint(1, 9)}-{rng.choice('ABCDEF')}{rng.randint(1, 40):02d}",
        ["| bay | {v} | temp 13.9C | ok |"],
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
    r"|hooks\.slack\.com/services/T[A-Z0-9]{8}/B[A-Z0-9]{8}/[A-Za-z0-9]{24}|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|GOCSPX-|whsec_|SG\.[\w-]{20}"
    r"|hv[sb]\.[A-Za-z0-9_-]{20}|\.atlasv1\.|webhooks/\d{10}|webhookb2/|sk\.eyJ|:APA91b|key-[0-9a-f]{32}|bkua_|dckr_pat_[\w-]{5}"
    r"|sntryu_|shippo_live_|dp\.st\.|pat-eu1-|EAAA[\w-]{40}|dapi[0-9a-f]{32}|glc_|npm_[A-Za-z0-9]{30}|hf_[A-Za-z]{30}"
    r"|SK[a-f0-9]{32}|AccountKey=[A-Za-z0-9+/]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes.
OK_MAIL_39 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_39,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t39", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
