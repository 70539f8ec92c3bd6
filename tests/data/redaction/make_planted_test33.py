# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test33.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test33.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270133)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a greenhouse-automation company, Fernwick Glasshouse Automation (FGA):
PM-71 the climate-controller fleet outage (MQTT broker, LoRa gateways, Redis, PostgreSQL), PM-74 the
SCADA historian credential leak (InfluxDB, TimescaleDB, Grafana), PM-78 the field-app config leak
(google-services.json, Info.plist, gradle.properties, Mapbox, Firebase, Sentry), RB-9 rotating the
broker and device-cloud keys (EMQX, Mosquitto, AWS IoT, Azure IoT Hub), RB-12 irrigation-controller
firmware signing and OTA (GitHub Actions, Artifactory, Bitbucket, CircleCI), ADR-22 grower alerts by
SMS and voice (Twilio, Vonage, Opsgenie, Datadog, New Relic, Telegram), ADR-25 moving the historian
to the cloud (Terraform, Vault, GCP, DigitalOcean) and PM-80 a grower-billing export (Stripe, cards,
IBANs, phones). Common shapes come first in each kind (``t33p…``/``t33n…``).
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
OUT = HERE / "planted_test33.jsonl"
FOLD = "test33"
rng = Random(20270133)
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
    "tomato",
    "basil",
    "cucumber",
    "trellis",
    "humidity",
    "aphid",
    "compost",
    "seedling",
    "rhubarb",
    "cloche",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["historian", "emqx-admin", "ota-publisher", "billing-sync", "gw-bridge"], WORDS)


def chirp_jwt() -> str:
    body = {"aud": "chirpstack", "iss": "chirpstack", "sub": uuid4(), "typ": "key"}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def app_jwt() -> str:
    body = {
        "iss": "https://auth.fernwick.example/",
        "sub": "grower|" + rs(DIG, 6),
        "aud": "fieldapp",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 22)}, body, rs(B64URL, 342))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def influx_token() -> str:
    return rs(B64URL, 86) + "=="


def ttn_key() -> str:
    b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return "NNSXS." + rs(b32, 39) + "." + rs(b32, 52)


def mapbox_secret() -> str:
    head = b64url(json.dumps({"u": "fernwick", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "sk." + head + "." + rs(B64URL, 22)


def fcm_server_key() -> str:
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def newrelic_key() -> str:
    return "NRAK-" + rs(UP + DIG, 27)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def artifactory_key() -> str:
    return "AKCp8" + rs(ALNUM, 68)


def grafana_sa() -> str:
    return "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8)


def bitbucket_pw() -> str:
    return "ATBB" + rs(ALNUM, 32)


def circleci_pat() -> str:
    return "CCIPAT_" + rs(ALNUM, 22) + "_" + rs(HEX, 40)


def postman_key() -> str:
    return "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34)


def do_token() -> str:
    return "dop_v1_" + rs(HEX, 64)


def telegram_token() -> str:
    return f"{rng.randint(10**9, 7 * 10**9)}:AA" + rs(B64URL, 33)


def shopify_token() -> str:
    return "shpat_" + rs(HEX, 32)


def linear_key() -> str:
    return "lin_api_" + rs(ALNUM, 40)


def pulumi_token() -> str:
    return "pul-" + rs(HEX, 40)


def vault_token() -> str:
    return "hvs." + rs(ALNUM, 24)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def expo_token() -> str:
    return rs(B64URL, 40)


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSy{rs(B64URL, 33)}&token={rs(B64URL, 43)}"


def teams_hook() -> str:
    return f"https://fernwick.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"


def zapier_hook() -> str:
    return f"https://hooks.zapier.com/hooks/catch/{rng.randint(1_000_000, 9_999_999)}/{rs(LOW + DIG, 7)}/"


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def session_cookie() -> str:
    return "s%3A" + rs(B64URL, 32) + "." + rs(B64, 43)


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = [
    "marigold",
    "tobias",
    "philippa",
    "caspian",
    "rosalind",
    "ignatius",
    "winifred",
    "alaric",
    "hyacinth",
]
LAST = ["greenhalgh", "appleyard", "mossbridge", "fennimore", "orchardson", "hedgecock", "waterfield"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "gmx.net",
    "hotmail.com",
    "zoho.com",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["climate-ctl", "historian", "gw-bridge", "irrigation-ota", "fieldapp-api", "alertd", "billing-sync"]
STAFF = ["agnieszka", "obinna", "rhiannon", "tadeo", "siobhan", "kenji", "margit", "dauda"]
HOSTS = ["emqx-1", "hist-db-2", "gw-bridge-3", "ota-build-1", "grafana-1", "lns-01", "ctl-gh07"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "gh": lambda: f"GH{rng.randint(1, 14):02d}",
    "tkt": lambda: str(rng.randint(3_000, 9_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #fga-incident | {who}: "
CHAT = "[{t}] {who} (#glasshouse-ops): "
ZD = "Zendesk #{tkt} (internal note, {who}): "
HIST = "  {num}  "
GHA = "Run ./scripts/sign-firmware.sh\n"
PYTRACE = 'Traceback (most recent call last):\n  File "/srv/historian/ingest.py", line 88, in flush\n    client.write(batch)\n'
GOTRACE = "panic: mqtt connect failed\n\ngoroutine 1 [running]:\nmain.connect(...)\n\t/src/gw-bridge/main.go:57 +0x1c4\n"
NODETRACE = "Error: connect ECONNREFUSED\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1595:16)\n    at /app/alertd/src/db.js:14:11\n"
KTTRACE = "E/FieldSync: sync failed\n    java.io.IOException: HTTP 401\n        at com.fernwick.fieldapp.sync.SyncWorker.doWork(SyncWorker.kt:63)\n"
RSTRACE = "thread 'main' panicked at src/ota.rs:41:10:\ncalled `Result::unwrap()` on an `Err` value: "
EMQXLOG = "{ts} [warning] emqx: "
HISTLOG = "{ts} historian[811]: "
EXPORT = "grower_id,name,email,phone,last_ip,card,iban\n"
GSJ = "// android/app/google-services.json\n"
PLIST = "<!-- ios/FieldApp/Info.plist -->\n"
GRADLE = "# android/gradle.properties\n"
TFV = "# envs/historian-cloud/terraform.tfvars\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws iot describe-endpoint --endpoint-type iot:Data-ATS  # AWS_ACCESS_KEY_ID={v}",
            "[fga-iot]\naws_access_key_id = {v}\nregion = eu-west-1",
            "  environment:\n    AWS_ACCESS_KEY_ID: {v}\n    AWS_REGION: eu-west-1",
            TL + "GuardDuty flagged {v} calling iot:DeleteThing from a VPS",
            "<Credentials>\n  <AccessKeyId>{v}</AccessKeyId>\n</Credentials>",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[fga-iot]\naws_secret_access_key = {v}",
            "$ AWS_SECRET_ACCESS_KEY={v} aws s3 sync s3://fga-firmware ./fw",
            'resource "aws_iot_topic_rule" "x" {}\nprovider "aws" {\n  secret_key = "{v}"\n}',
            TFV + 'aws_secret_access_key = "{v}"',
        ],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            "HostName=fga-hub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={v}",
            "$ az iot hub device-identity create -n fga-hub -d {gh}-ctl --primary-key {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        ["AZURE_CLIENT_SECRET={v}", "<client-secret>{v}</client-secret>"],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        [
            PLIST + "<key>GMSApiKey</key>\n<string>{v}</string>",
            GSJ + '"api_key": [ { "current_key": "{v}" } ],',
            "MAPS_API_KEY={v}",
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"fga-historian","private_key":"{v}","client_email":"bq-export@fga-historian.iam.gserviceaccount.com"}',
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ gh auth login --with-token <<< {v}",
            "      - uses: actions/checkout@v4\n        with:\n          token: {v}",
            "$ git remote set-url origin https://ota-bot:{v}@github.com/fernwick/irrigation-fw.git",
            CHAT + "use {v} for the firmware repo until the app is installed",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ glab auth login --hostname gitlab.fernwick.internal --token {v}", 'gitlab_token = "{v}"'],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            "SLACK_BOT_TOKEN={v}",
            "$ curl -H 'Authorization: Bearer {v}' https://slack.com/api/chat.postMessage -d channel=C0FGAOPS",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "alertd:\n  slack:\n    webhook: {v}",
            "$ curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"GH07 vent stuck\"}' {v}",
        ],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        [
            "STRIPE_SECRET_KEY={v}",
            'Stripe::API.key = "{v}"',
            "$ stripe customers list --api-key {v} --limit 3",
        ],
    ),
    ("stripe-key", draw.stripe_whsec, ["STRIPE_WEBHOOK_SECRET={v}"]),
    (
        "jwt",
        chirp_jwt,
        [
            "$ chirpstack-cli --server lns-01:8080 --token {v} device list",
            "Grpc-Metadata-Authorization: Bearer {v}",
            "CHIRPSTACK_API_TOKEN={v}",
        ],
    ),
    (
        "jwt",
        app_jwt,
        [
            "GET /v2/greenhouses/GH07/sensors HTTP/1.1\nHost: api.fernwick.example\nAuthorization: Bearer {v}",
            KTTRACE + "    request header x-fga-token={v}",
        ],
    ),
    ("private-key", draw.pk("rsa"), ["# keys/ota-signing.pem (found in the build cache)\n{v}"]),
    ("private-key", draw.pk("pkcs8"), ["# AuthKey_7QX2L9.p8 (App Store Connect, PM-78)\n{v}"]),
    ("private-key", draw.pk("ec", "    "), ["tls:\n  key: |\n    {v}"]),
    ("private-key", draw.pk("ssh"), ["$ cat ~/.ssh/id_ed25519   # on ota-build-1\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "DATABASE_URL=postgres://historian:{v}@hist-db-2.fernwick.internal:5432/timeseries",
            "$ mosquitto_sub -L mqtt://gw-bridge:{v}@emqx-1.fernwick.internal:1883/fga/+/telemetry",
            "redis_url: redis://:{v}@{pip}:6379/2",
            "spring.rabbitmq.addresses=amqp://alertd:{v}@{pip}:5672",
            "$ influx -host 'https://admin:{v}@influx.fernwick.internal:8086' -execute 'SHOW DATABASES'",
            '<property name="url" value="jdbc:mysql://billing:{v}@{pip}:3306/billing"/>',
            "$ pip install -i https://ci:{v}@artifactory.fernwick.internal/api/pypi/pypi/simple fga-sdk",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "EMQX_DASHBOARD__DEFAULT_PASSWORD={v}",
            "[historian]\ndb_password = {v}",
            GRADLE + "RELEASE_STORE_PASSWORD={v}",
            'MATCH_PASSWORD="{v}"',
            "  <password>{v}</password>\n</server>",
            'grafana_admin_password: "{v}"',
            "historian.datasource.password={v}",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ mosquitto_passwd -b /etc/mosquitto/passwd gw-bridge {v}",
            '$ psql "host={pip} dbname=timeseries user=historian password={v}"',
            "$ helm upgrade grafana grafana/grafana --set adminPassword={v} -n monitoring",
            "$ ansible-playbook broker.yml -e emqx_admin_pass={v} -l emqx-1",
            "$ docker run -d -e POSTGRES_PASSWORD={v} timescale/timescaledb:2.15.2-pg16",
            "ALTER ROLE historian WITH PASSWORD '{v}';",
            "$ kubectl create secret generic hist-db --from-literal=password={v} -n historian",
            "$ redis-cli -h {pip} -a {v} INFO replication",
            "$ influx user password -n admin --password {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"artifactory.fernwick.internal":{"auth":"{v}"}}}',
            "POST /api/v5/publish HTTP/1.1\nHost: emqx-1:18083\nAuthorization: Basic {v}",
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u historian:{v} https://grafana.fernwick.internal/api/datasources",
            "$ http -a billing-sync:{v} POST https://billing.fernwick.example/api/invoices/run",
        ],
    ),
    (
        "bearer-token",
        opaque(48),
        [
            "Authorization: Bearer {v}",
            '$ curl -sH "Authorization: Bearer {v}" https://api.fernwick.example/v2/devices',
        ],
    ),
    (
        "vendor-token",
        influx_token,
        [
            "INFLUX_TOKEN={v}",
            '[[outputs.influxdb_v2]]\n  urls = ["http://hist-db-2:8086"]\n  token = "{v}"\n  organization = "fga"',
            "$ influx bucket list --token {v} --org fga",
        ],
    ),
    ("vendor-token", ttn_key, ["TTS_API_KEY={v}", "$ ttn-lw-cli login --api-key {v}"]),
    (
        "vendor-token",
        mapbox_secret,
        [GRADLE + "MAPBOX_DOWNLOADS_TOKEN={v}", "machine api.mapbox.com\n  login mapbox\n  password {v}"],
    ),
    ("vendor-token", fcm_server_key, ["FCM_SERVER_KEY={v}", "Authorization: key={v}"]),
    ("vendor-token", hex_n(32), ["DD_API_KEY={v}", "  datadog:\n    api_key: {v}\n    site: datadoghq.eu"]),
    ("vendor-token", hex_n(40), ["DD_APP_KEY={v}"]),
    (
        "vendor-token",
        newrelic_key,
        ["NEW_RELIC_API_KEY={v}", "$ newrelic profile add --profile fga --apiKey {v} --region EU"],
    ),
    (
        "vendor-token",
        hex_n(32),
        ["TWILIO_AUTH_TOKEN={v}", "twilio:\n  account_sid: AC" + "0" * 32 + "\n  auth_token: {v}"],
    ),
    ("vendor-token", twilio_sk, ["TWILIO_API_KEY={v}"]),
    ("vendor-token", opaque(16), ["VONAGE_API_SECRET={v}"]),
    ("vendor-token", uuid4, ["Authorization: GenieKey {v}", "OPSGENIE_API_KEY={v}"]),
    (
        "vendor-token",
        artifactory_key,
        [
            "$ jf c add fga --url https://artifactory.fernwick.internal --access-token {v}",
            "X-JFrog-Art-Api: {v}",
        ],
    ),
    ("vendor-token", grafana_sa, ["GRAFANA_SA_TOKEN={v}", 'provider "grafana" {\n  auth = "{v}"\n}']),
    ("vendor-token", bitbucket_pw, ["BITBUCKET_APP_PASSWORD={v}"]),
    (
        "vendor-token",
        circleci_pat,
        ["CIRCLECI_TOKEN={v}", "$ circleci setup --token {v} --host https://circleci.com --no-prompt"],
    ),
    ("vendor-token", do_token, ["DIGITALOCEAN_TOKEN={v}", "$ doctl auth init -t {v}"]),
    (
        "vendor-token",
        telegram_token,
        ["TELEGRAM_BOT_TOKEN={v}", "$ curl https://api.telegram.org/bot{v}/getUpdates"],
    ),
    ("vendor-token", shopify_token, ["X-Shopify-Access-Token: {v}"]),
    ("vendor-token", linear_key, ["LINEAR_API_KEY={v}"]),
    ("vendor-token", pulumi_token, ["PULUMI_ACCESS_TOKEN={v}"]),
    (
        "vendor-token",
        vault_token,
        ["$ export VAULT_TOKEN={v}\n$ vault kv get secret/historian", "vault:\n  token: {v}"],
    ),
    ("vendor-token", npm_token, ["//npm.pkg.github.com/:_authToken={v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}", "sendgrid.api.key={v}"]),
    ("vendor-token", postman_key, ["POSTMAN_API_KEY={v}"]),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    ("vendor-token", expo_token, ["EXPO_TOKEN={v}"]),
    (
        "generic-api-key",
        opaque(32),
        ["LORA_GATEWAY_API_KEY={v}", "gateway.api-key={v}", "fga.historian.api_key: {v}"],
    ),
    ("generic-api-key", hex_n(32), ['<add key="HistorianApiKey" value="{v}" />', "x-api-key: {v}"]),
    (
        "generic-api-key",
        session_cookie,
        ["Cookie: connect.sid={v}", "Set-Cookie: connect.sid={v}; Path=/; HttpOnly; Secure"],
    ),
    ("generic-api-key", hex_n(64), ["SECRET_KEY_BASE={v}", 'flask_secret_key = "{v}"']),
    (
        "generic-api-key",
        opaque(40),
        ["OAUTH_CLIENT_SECRET={v}", "spring.security.oauth2.client.registration.fga.client-secret={v}"],
    ),
    ("webhook-url", gchat_hook, ["GOOGLE_CHAT_WEBHOOK={v}"]),
    ("webhook-url", teams_hook, ["  msteams:\n    url: {v}"]),
    ("webhook-url", draw.discord_hook, ["DISCORD_ALERTS={v}"]),
    ("webhook-url", zapier_hook, ["ZAPIER_HOOK_URL={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: emqx-admin\ndata:\n  password: {v}",
            "data:\n  INFLUX_PASSWORD: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [GOTRACE + "error: InvalidClientTokenId: key {v} not found"]),
    ("aws-key", draw.aws_secret, ["| 03:41 | {who} | pasted `{v}` into the vendor call chat |"]),
    (
        "password-in-url",
        plain_pw,
        [
            PYTRACE
            + "influxdb_client.rest.ApiException: (401) for http://ingest:{v}@{pip}:8086/api/v2/write",
            NODETRACE + "  config.db = mysql://alertd:{v}@{pip}:3306/alerts",
            TL + "broker fallback: mqtts://ctl-fleet:{v}@{pip}:8883",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "[mqtt]\nusername = ctl-fleet\npassword = {v}",
            '{"mqtt":{"host":"emqx-1","user":"gw-bridge","password":"{v}"}}',
            "modbus_gateway.ini:\n[auth]\npasswd={v}",
            RSTRACE + 'Auth("bad credentials for ota-publisher / {v}")',
            '<connectionStrings><add name="Hist" connectionString="Server={pip};User Id=hist;Password={v};" /></connectionStrings>',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-9 step 3 | reset EMQX admin | new password {v} |",
            "$ sshpass -p '{v}' ssh root@ctl-gh07",
            'let mqttPassword = "{v}"  // FieldApp/Config.swift',
            "SNMP community (write) for the GH07 PLC: {v}",
        ],
    ),
    ("jwt", chirp_jwt, [HIST + "chirpstack-cli api-key create --name ops  # printed {v}"]),
    ("jwt", app_jwt, ["Sentry issue FIELDAPP-4K: 401 on /sync with token {v}"]),
    (
        "github-token",
        draw.gh_token,
        [
            GHA
            + "fatal: Authentication failed for 'https://x-access-token:{v}@github.com/fernwick/irrigation-fw.git/'"
        ],
    ),
    ("slack-token", draw.slack_token, ["slack_sdk.errors.SlackApiError: invalid_auth (token {v})"]),
    ("stripe-key", draw.stripe_key, [ZD + "grower portal JS bundle contained {v}"]),
    ("vendor-token", fcm_server_key, [PLIST + "<key>FCMLegacyKey</key>\n<string>{v}</string>"]),
    ("vendor-token", influx_token, [HISTLOG + "write failed: unauthorized access, token={v}"]),
    (
        "vendor-token",
        telegram_token,
        [EMQXLOG + "rule alert_tg action failed url=https://api.telegram.org/bot{v}/sendMessage"],
    ),
    ("vendor-token", ttn_key, ["mysql> SELECT api_key FROM gateways WHERE eui LIKE 'B827EB%';\n{v}"]),
    ("private-key", draw.pk("rsa"), [TL + "firmware signing key, do not forward:\n{v}"]),
    (
        "generic-api-key",
        opaque(32),
        [
            "{ts} DEBUG climate-ctl GET https://api.openweather.example/data/3.0/onecall?lat=52.1&lon=0.9&appid={v}"
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{pip} - - [14/Nov/2026:03:12:41 +0000] "POST /api/v5/publish HTTP/1.1" 401 0 "-" "curl" auth="Basic {v}"'
        ],
    ),
    ("bearer-token", opaque(56), ["{ts} WARN fieldapp-api upstream headers={'Authorization': 'Bearer {v}'}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["$ kubectl -n historian get secret hist-db -o jsonpath='{.data.password}'\n{v}"],
    ),
    ("webhook-url", draw.slack_hook, [CHAT + "new hook for #gh07-alarms: {v}"]),
    ("gcp-key", draw.gcp_oauth_secret, [GSJ + '"oauth_client": [ { "client_secret": "{v}" } ]']),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "g{num},Marigold Greenhalgh,{v},,,,",
            ZD + "grower wants invoices sent to {v} instead",
            "{ts} INFO fieldapp-api login ok user={v}",
            "INSERT INTO growers (site, contact_email) VALUES ('GH07', '{v}');",
            "Reply-To: {v}\nSubject: vents open at night again",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "g{num},Tobias Appleyard,,{v},,,",
            ZD + "call the grower on {v} before any restart",
            "{ts} INFO alertd sms queued to={v} alarm=frost",
            "| Philippa Mossbridge | head grower, site GH03 | {v} |",
            'alert_contacts:\n  - name: Caspian Fennimore\n    sms: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "g{num},Rosalind Orchardson,,,,{v},",
            ZD + "grower typed their card {v} into the chat widget",
            "{ts} WARN billing-sync charge failed pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "sshd[1187]: Failed password for root from {v} port 44012 ssh2",
            EMQXLOG + "client ctl-gh07 connected from {v}:51822",
            EXPORT + "g{num},Ignatius Hedgecock,,,{v},,",
            '{"event":"login","grower":"g118","ip":"{v}"}',
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            'nginx: {v} - - "GET /v2/sites HTTP/2.0" 200',
            "sshd[2040]: Accepted publickey for kenji from {v} port 50022 ssh2",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "g{num},Winifred Waterfield,,,,,{v}"]),
    ("iban", lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)), [ZD + "refund the deposit to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [ZD + "seasonal picker's NI number {v} on the timesheet upload"]),
    ("national-id", ssn, ["| Alaric Appleyard | US distributor contact | SSN {v} | W-9 |"]),
    (
        "iban",
        lambda: draw.iban("DE"),
        ['{"payee":"Hyacinth Mossbridge","iban":"{v}","invoice":"INV-2026-0412"}'],
    ),
    ("email", email, ["From: {v}\nTo: support@fernwick.example\nSubject: GH03 sensor offline"]),
    ("phone", phone, ["<grower><name>Caspian Hedgecock</name><mobile>{v}</mobile></grower>"]),
    (
        "credit-card",
        card,
        ["billing=> SELECT pan FROM card_vault_legacy WHERE grower_id = 'g212';\n pan\n----\n {v}"],
    ),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.40.2.7\n(fieldapp-api access log, PM-78)"]),
    ("ipv6", public_v6, ["historian=> SELECT src FROM audit_login WHERE id = 90;\n {v}"]),
    ("phone", phone, [CHAT + "Margit's own mobile is {v} if Opsgenie is down"]),
    ("email", email, ["git log: Author: Tobias Fennimore <{v}>"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "irrigation-fw built from {v}",
            "GITHUB_SHA={v}",
            "merge commit {v} (PR #{num})",
        ],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["reverted in {v} (PM-71 follow-up)"]),
    (
        "uuid",
        uuid4,
        [
            "device_id: {v}",
            "ChirpStack application {v}",
            '{"site_id":"{v}","zone":"GH07"}',
            "$ az account set --subscription {v}",
            "Opsgenie alert {v} closed",
        ],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        ["$ sha256sum fw-3.4.1.bin\n{v}  fw-3.4.1.bin", "ota manifest sha256={v}", "checksum: sha256:{v}"],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["image: ghcr.io/fernwick/gw-bridge@{v}", "$ docker pull emqx/emqx@{v}"],
    ),
    ("hash-or-digest", hex_n(32), ["firmware md5 {v}", 'ETag: "{v}"']),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-00f067aa0ba902b7-01", "dd.trace_id={v} service=alertd"]),
    ("trace-id", hex_n(16), ["span_id={v} op=mqtt.publish"]),
    ("trace-id", draw.long_trace, ["datadog trace {v}"]),
    (
        "cloud-resource-id",
        lambda: "i-0" + rs(HEX, 16),
        ["$ aws ec2 stop-instances --instance-ids {v}", "historian replica {v} drained"],
    ),
    ("cloud-resource-id", lambda: f"arn:aws:iot:eu-west-1:{rs(DIG, 12)}:thing/ctl-gh07", ["thing_arn = {v}"]),
    ("cloud-resource-id", lambda: "sg-0" + rs(HEX, 16), ["SecurityGroupIds: [{v}]"]),
    (
        "cloud-resource-id",
        lambda: f"projects/fga-historian/locations/europe-west2/instances/hist-{rs(LOW + DIG, 5)}",
        ["$ gcloud sql instances describe {v}"],
    ),
    (
        "placeholder",
        lambda: "<PASSWORD>",
        ["EMQX_DASHBOARD__DEFAULT_PASSWORD={v}", "$ psql -U historian -W {v}"],
    ),
    (
        "placeholder",
        lambda: "changeme",
        ["mqtt_password: {v}  # dev broker only", "RELEASE_KEY_PASSWORD={v}"],
    ),
    ("placeholder", lambda: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["DD_API_KEY={v}"]),
    ("placeholder", lambda: "YOUR_MAPBOX_TOKEN", ["MAPBOX_DOWNLOADS_TOKEN={v}", "TTS_API_KEY={v}"]),
    ("placeholder", lambda: "postgres://user:password@localhost/timeseries", ["# README: DATABASE_URL={v}"]),
    ("templated-value", lambda: "${INFLUX_TOKEN}", ['token = "{v}"', "$ influx bucket list --token {v}"]),
    ("templated-value", lambda: "{{ emqx_admin_pass }}", ["EMQX_DASHBOARD__DEFAULT_PASSWORD={v}"]),
    ("templated-value", lambda: "${{ secrets.OTA_SIGNING_KEY }}", ["          OTA_SIGNING_KEY: {v}"]),
    ("templated-value", lambda: "$(MATCH_PASSWORD)", ['MATCH_PASSWORD="{v}"']),
    ("templated-value", lambda: '${file("../secrets/hist.json")}', ["credentials = {v}"]),
    ("masked-value", lambda: "[REDACTED]", ["TWILIO_AUTH_TOKEN={v}", "grafana_admin_password: {v}"]),
    ("masked-value", lambda: "********", ["Enter password: {v}", "RELEASE_STORE_PASSWORD={v}"]),
    ("masked-value", lambda: "AKIA************", ["the leaked key {v} is now inactive"]),
    ("keyword-no-value", lambda: "auth_token", ["ADR-22: alertd reads the Twilio {v} from Vault at start."]),
    (
        "keyword-no-value",
        lambda: "RELEASE_STORE_PASSWORD",
        ["PM-78: {v} sat in gradle.properties in the public repo."],
    ),
    (
        "keyword-no-value",
        lambda: "SharedAccessKey",
        ["RB-9: regenerate the {v} of every device after the audit."],
    ),
    ("keyword-no-value", lambda: "password", ["the broker rejected the {v} for ctl-fleet (rotated in RB-9)"]),
    (
        "private-or-reserved-ip",
        priv_ip,
        ['listeners.tcp.default.bind = "{v}:1883"', "$ ssh -J bastion ops@{v}", "gateway_ip: {v}"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["test gateway at {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.8.21",
        ["LTE modem CGNAT address {v} (GH07 backup link)"],
    ),
    ("example-email", lambda: f"{rng.choice(STAFF)}@fernwick.example", ["Reviewed-by: {v}", "owner: {v}"]),
    ("example-email", lambda: "grower@example.com", ['{"email":"{v}","plan":"pro"}']),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # from the AWS IoT tutorial"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# sample\naws_secret_access_key = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["billing sandbox uses Stripe's doc key {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(3, 5)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["EMQX {v} rolling upgrade", "firmware {v} staged to 10% of controllers"],
    ),
    ("version-or-date", iso, ["broker lost quorum at {v}", "historian backfill finished {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@ota-build-1",
        ["# authorized_keys on ctl-gh07\n{v}"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["# OTA verification key baked into the bootloader\n{v}"]),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem(),
        ["$ openssl s_client -connect emqx-1:8883 -showcerts\n{v}"],
    ),
    (
        "ids-and-numbers",
        lambda: rs("0123456789ABCDEF", 16),
        ["DevEUI {v} joined via gw B827EB", "gateway_id: {v}"],
    ),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v} (not secret)"]),
    ("ids-and-numbers", lambda: f"INV-2026-{rs(DIG, 4)}", ["invoice {v} voided"]),
    ("ids-and-numbers", lambda: rs(DIG, 12), ["AWS account {v} (fga-iot)"]),
    (
        "ids-and-numbers",
        lambda: f"1:{rs(DIG, 12)}:android:{rs(HEX, 16)}",
        [GSJ + '"mobilesdk_app_id": "{v}",'],
    ),
    ("ids-and-numbers", lambda: f"com.fernwick.fieldapp.{rs(LOW, 5)}", ['applicationId "{v}"']),
    ("ids-and-numbers", lambda: f"FGA-{rng.randint(100, 999)}", ["Jira {v}: rotate historian creds"]),
    ("luhn-fail-number", luhn_bad, ["controller serial {v} replaced", "pallet barcode {v}"]),
    ("documented-test-card", lambda: "4242 4242 4242 4242", ["grower checkout tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"zone":"GH07","setpoint":21.5}'), ["payload: {v}"]),
    (
        "base64-nonsecret",
        lambda: b64(f"vent {rng.randint(1, 9)} stuck".encode()),
        ["LoRa frmPayload (base64) {v}"],
    ),
    (
        "encrypted-value",
        lambda: draw.sops_value(),
        ["# envs/historian-cloud/secrets.enc.yaml\ninflux_token: {v}"],
    ),
    ("encrypted-value", lambda: draw.sealed(140), ["  encryptedData:\n    password: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(4)),
        ["emqx_admin_pass: !vault |\n{v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2b$10$"),
        ["billing=> select password_hash from users where id = 4;\n {v}"],
    ),
    ("hash-or-digest", lambda: draw.sha512_crypt(), ["$ sudo grep ops /etc/shadow | cut -d: -f2\n{v}"]),
    (
        "hash-or-digest",
        lambda: "PBKDF2$sha512$100000$" + b64(draw.rbytes(12)) + "$" + b64(draw.rbytes(48)),
        ["emqx_authn mnesia row password_hash={v}"],
    ),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("ids-and-numbers", draw.long_id, ["Discord guild id {v}"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#gh07-alarms)"]),
    ("ids-and-numbers", lambda: rs(DIG, 9), ["Telegram chat_id -100{v}"]),
    (
        "ids-and-numbers",
        lambda: "pk." + b64url(b'{"u":"fernwick","a":"demo"}') + "." + rs(B64URL, 22),
        ["MAPBOX_STYLE_PK={v}  # pk. tokens are public by design"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
        ["<key>CLIENT_ID</key>\n<string>{v}</string>"],
    ),
    ("ids-and-numbers", lambda: rs(DIG, 12), [GSJ + '"project_number": "{v}",']),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::fga-firmware-{rs(LOW + DIG, 6)}",
        ["bucket {v} versioning on"],
    ),
    (
        "cloud-resource-id",
        lambda: f"/subscriptions/{uuid4()}/resourceGroups/rg-iot/providers/Microsoft.Devices/IotHubs/fga-hub",
        ["scope: {v}"],
    ),
    ("placeholder", lambda: "https://hooks.slack.com/services/TXXXX/BXXXX/XXXX", ["    webhook: {v}"]),
    (
        "placeholder",
        lambda: "-----BEGIN PRIVATE KEY-----\n<paste the .p8 here>\n-----END PRIVATE KEY-----",
        ["# fastlane/README\n{v}"],
    ),
    ("placeholder", lambda: "<redacted>", ["| RB-9 step 3 | reset EMQX admin | new password {v} |"]),
    ("templated-value", lambda: "%(HIST_DB_PASS)s", ["[historian]\ndb_password = {v}"]),
    ("templated-value", lambda: 'System.getenv("RELEASE_STORE_PASSWORD")', ["storePassword {v}"]),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(SecretUri=https://kv-fga.vault.azure.net/secrets/iothub/)",
        ["IotHubConnection={v}"],
    ),
    ("masked-value", lambda: "ghp_****", ["secret scanning alert: {v} (revoked)"]),
    ("masked-value", lambda: "DD_API_KEY=***", ["{v}"]),
    ("keyword-no-value", lambda: "GenieKey", ["Opsgenie wants the {v} scheme in the Authorization header."]),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["google-services.json carries no {v}; PM-78 was the Info.plist."],
    ),
    ("private-or-reserved-ip", lambda: "169.254.169.254", ["$ curl -s http://{v}/latest/meta-data/iam/info"]),
    ("private-or-reserved-ip", lambda: "fd00:fa:7::2", ["Thread border router {v}"]),
    (
        "version-or-date",
        lambda: "2026-11-14",
        ["| {v} | PM-80 | billing export emailed to the wrong grower |"],
    ),
    ("version-or-date", lambda: "LoRaWAN 1.0.3 / RP002-1.0.2", ["regional parameters {v}"]),
    ("public-key-or-cert", lambda: draw.ec_pub_pem(), ["# grower-portal webhook verification key\n{v}"]),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("base64-nonsecret", lambda: b64(b"historian"), ["$ echo -n historian | base64\n{v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO pallets (barcode) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "5555555555554444", ["Stripe test Mastercard {v} in staging"]),
    ("git-sha", sha40, ["| {t} | {who} rolled gw-bridge back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM devices WHERE id = '{v}';", "  <SiteId>{v}</SiteId>"]),
    ("trace-id", hex_n(32), ['{"level":"error","msg":"modbus timeout","trace_id":"{v}"}']),
    ("example-email", lambda: "noreply@alerts.fernwick.example", ["From: Fernwick Alerts <{v}>"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(40)), ["iban_enc={v}"]),
    ("ids-and-numbers", lambda: f"01{rs('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 24)}", ["event_id={v}"]),
    ("hash-or-digest", lambda: "{SSHA}" + b64(draw.rbytes(24)), ["userPassword:: {v}"]),
    ("cloud-resource-id", lambda: "ami-0" + rs(HEX, 16), ['image_id = "{v}"']),
    (
        "templated-value",
        lambda: "$(BITBUCKET_APP_PASSWORD)",
        ["$ curl -u ota-bot:{v} https://api.bitbucket.org/2.0/repositories/fernwick"],
    ),
    ("templated-value", lambda: "${TELEGRAM_BOT_TOKEN}", ["$ curl https://api.telegram.org/bot{v}/getMe"]),
    ("placeholder", lambda: "<your-genie-key>", ["Authorization: GenieKey {v}"]),
    ("masked-value", lambda: "sk.eyJ1…(truncated)", ["build log shows MAPBOX_DOWNLOADS_TOKEN as {v}"]),
    ("uuid", uuid4, ["$ kubectl -n historian get pod hist-0 -o jsonpath='{.metadata.uid}'\n{v}"]),
    ("ids-and-numbers", lambda: f"emqx-{rs(LOW + DIG, 8)}", ["clientid={v} keepalive=60 proto=MQTT v5"]),
    (
        "version-or-date",
        lambda: "helm chart emqx-5.8.3",
        ["$ helm history emqx -n broker | tail -1\n7  Fri Nov 14 03:20:11 2026  deployed  {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: "Message-ID: <" + rs(HEX, 16) + "@mail.fernwick.example>",
        ["{v}\nFrom: billing@fernwick.example\nSubject: PM-80 apology"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ['[creation_rules]\nage = "{v}"'],
    ),
    (
        "hash-or-digest",
        hex_n(40),
        ['GET /v2/firmware/3.4.1 HTTP/1.1\nHost: ota.fernwick.example\nIf-None-Match: "{v}"'],
    ),
    (
        "ids-and-numbers",
        lambda: f"GH{rng.randint(1, 14):02d}-Z{rng.randint(1, 9)}-T{rs(DIG, 3)}",
        ["| zone sensor | {v} | humidity 91% | ok |"],
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
    r"|hv[sb]\.[A-Za-z0-9_-]{20}|\.atlasv1\.|webhooks/\d{10}|webhookb2/|hooks\.zapier\.com/hooks/catch/\d"
    r"|NNSXS\.|sk\.eyJ|:APA91b|NRAK-|AKCp8|glsa_|ATBB[A-Za-z0-9]{20}|CCIPAT_|PMAK-|dop_v1_|shpat_|lin_api_|pul-[a-f0-9]{40}"
    r"|bot\d{9,10}:AA|npm_[A-Za-z0-9]{30}|SK[a-f0-9]{32}|GenieKey [0-9a-f]"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes.
OK_MAIL_33 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_33,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t33", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
