# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test47.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test47.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270147)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a farmers' dairy cooperative that collects, tests and pays for milk,
Orchardine Dairy Cooperative (ODC): PM-3 the tanker-collection app outage (HERE Maps, Traccar, EMQX,
TimescaleDB, Pushover, Flutter), PM-5 the milk-quality lab credential leak (InfluxDB, Node-RED, The
Things Network, Mosquitto, Grafana), PM-8 the farmer-portal account takeover (Keycloak, Nextcloud,
Matomo, Friendly Captcha), RB-2 the depot network (MikroTik RouterOS, Juniper Junos, OpenVPN,
EdgeRouter, HPE iLO), RB-5 the monthly milk-cheque run (Wise, Mollie, Xero, Odoo, SEPA files), ADR-7
CI on Woodpecker with JFrog Artifactory, Harbor, Docker Hub, npm and crates.io, ADR-9 an assistant for
the lab (Anthropic, Hugging Face, Replicate, Groq, Pinecone, Langfuse, LangSmith, Qdrant) and PM-10 a
supplier list mailed to the wrong farmers (IBANs, phones, cards). Common shapes come first in each
kind (``t47p…``/``t47n…``).
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
    CRYPT,
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
    encode_jwt,
    expand_table,
    iban_of,
    luhn_ok,
    pem_block_ok,
    sanity,
    ssn_or_nino_ok,
    write_fold,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test47.jsonl"
FOLD = "test47"
rng = Random(20270147)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
card = partial(draw.card_with_jcb, TEST_CARDS | MORE_TEST_CARDS)
luhn_bad, public_v4, public_v6, priv_ip = draw.luhn_bad, draw.public_v4, draw.public_v6, draw.priv_ip
ssn, nino, phone = draw.ssn, draw.nino, draw.phone

# Only type names earlier folds use.
TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = [
    "churn",
    "whey",
    "curd",
    "heifer",
    "creamery",
    "paddock",
    "silage",
    "butterfat",
    "rennet",
    "colostrum",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["tanker-app", "lab-ingest", "portal-sync", "cheque-run", "odoo-bridge"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def keycloak_jwt() -> str:
    body = {
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
        "iss": "https://sso.orchardine.example/realms/farmers",
        "aud": "farmer-portal",
        "sub": uuid4(),
        "typ": "Bearer",
        "azp": "farmer-portal",
        "preferred_username": "supplier" + rs(DIG, 5),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 43)}, body, rs(B64URL, 342))


def traccar_jwt() -> str:
    body = {
        "sub": "tanker-" + rs(DIG, 2),
        "depot": rng.choice(["NORTH", "VALE", "MOSS"]),
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def influx_token() -> str:
    return b64(draw.rbytes(64)).rstrip("=")[:86] + "=="


def ttn_key() -> str:
    return "NNSXS." + rs(UP + DIG, 39) + "." + rs(UP + DIG, 52)


def pushover_token() -> str:
    return "a" + rs(LOW + DIG, 29)


def here_key() -> str:
    return rs(B64URL, 43)


def mikrotik_pw() -> str:
    return rs(ALNUM, rng.randint(14, 20))


def junos_9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(18, 30))


def openvpn_static() -> str:
    body = [rs(HEX, 32) for _ in range(16)]
    return "\n".join(["-----BEGIN OpenVPN Static key V1-----", *body, "-----END OpenVPN Static key V1-----"])


def wise_token() -> str:
    return uuid4()


def mollie_key() -> str:
    return "live_" + rs(ALNUM, 30)


def mollie_org_token() -> str:
    return "access_" + rs(ALNUM, 40)


def xero_secret() -> str:
    return rs(B64URL, 48)


def odoo_key() -> str:
    return rs(HEX, 40)


def keycloak_secret() -> str:
    return rs(ALNUM, 32)


def nextcloud_app_pw() -> str:
    return "-".join(rs(ALNUM, 5) for _ in range(5))


def matomo_token() -> str:
    return rs(HEX, 32)


def friendly_captcha_key() -> str:
    return "A1" + rs(UP + DIG, 54)


def jfrog_ref_token() -> str:
    return "cmVmdGtuOjAxOjE3" + rs(ALNUM, 48)


def artifactory_key() -> str:
    return "AKCp8" + rs(ALNUM, 68)


def harbor_robot_secret() -> str:
    return rs(ALNUM, 32)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def cargo_token() -> str:
    return "cio" + rs(ALNUM, 32)


def woodpecker_token() -> str:
    body = {
        "type": "user",
        "user-id": str(rng.randint(1, 40)),
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def anthropic_key() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def hf_token() -> str:
    return "hf_" + rs(ALNUM, 34)


def replicate_token() -> str:
    return "r8_" + rs(ALNUM, 37)


def groq_key() -> str:
    return "gsk_" + rs(ALNUM, 52)


def pinecone_key() -> str:
    return "pcsk_" + rs(ALNUM, 5) + "_" + rs(ALNUM, 63)


def langfuse_secret() -> str:
    return "sk-lf-" + uuid4()


def langsmith_key() -> str:
    return "lsv2_pt_" + rs(HEX, 32) + "_" + rs(HEX, 10)


def qdrant_key() -> str:
    return rs(B64URL, 38)


def cohere_key() -> str:
    return rs(ALNUM, 40)


def wandb_key() -> str:
    return rs(HEX, 40)


def scw_secret() -> str:
    return uuid4()


def scw_access() -> str:
    return "SCW" + rs(UP + DIG, 17)


def ovh_secret() -> str:
    return rs(ALNUM, 32)


def minio_secret() -> str:
    return rs(ALNUM + "+/", 40)


def codecov_token() -> str:
    return uuid4()


def emqx_secret() -> str:
    return rs(ALNUM, 36)


def nodered_secret() -> str:
    return rs(HEX, 48)


def mosquitto_hash() -> str:
    return "$7$101$" + b64(draw.rbytes(12)) + "$" + b64(draw.rbytes(64))


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def teams_hook() -> str:
    return f"https://orchardine.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}/{rs(B64URL, 43)}"


def pushover_user() -> str:
    return "u" + rs(LOW + DIG, 29)


def ntfy_token() -> str:
    return "tk_" + rs(LOW + DIG, 29)


def digits_not_luhn(first: str, n: int) -> str:
    """``n`` digits starting with ``first`` that fail the Luhn check (so no card rule may take them)."""
    while True:
        v = first + rs(DIG, n - len(first))
        if not luhn_ok(v):
            return v


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["aoibheann", "tobias", "griselda", "fenwick", "maelle", "osric", "wenonah", "barnaby", "ingeborg"]
LAST = ["oakhurst", "meadowcroft", "thistlethwaite", "brindle", "hayward", "cowdray", "lambkin"]
MAIL = [
    "gmail.com",
    "outlook.ie",
    "eircom.net",
    "icloud.com",
    "proton.me",
    "hotmail.com",
    "t-online.de",
    "ziggo.nl",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = [
    "tanker-app",
    "lab-ingest",
    "farmer-portal",
    "cheque-run",
    "odoo-bridge",
    "route-planner",
    "sample-tracker",
]
STAFF = ["siobhan", "hendrik", "agnieszka", "cathal", "mirela", "bogdan", "ffion", "tadhg"]
HOSTS = ["mqtt-1", "influx-2", "nodered-1", "tsdb-1", "keycloak-1", "odoo-1", "ccr-depot3"]
DEPOTS = ["North Depot", "Vale Creamery", "Moss Lane", "Lab 2", "Tanker Yard"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "depot": lambda: rng.choice(DEPOTS),
    "tkt": lambda: str(rng.randint(100, 999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #odc-incident | {who}: "
CHAT = "{t} {who}> "
GLPI = "Helpdesk ticket #{tkt}, followup by {who}: "
HIST = "{num}  "
ROS = "[admin@ccr-depot3] > "
JUNOS = "admin@srx-vale# show | display set | match "
SYSLOG = "{ts} {host} {svc}[{num}]: "
KTTRACE = 'Exception in thread "main" io.ktor.client.plugins.ClientRequestException: Client request(POST https://router.hereapi.com/v8/routes) invalid: 401 Unauthorized\n\tat org.odc.tanker.RouteClient.plan(RouteClient.kt:57)\n'
EXTRACE = '** (Postgrex.Error) FATAL 28P01 (invalid_password) password authentication failed for user "tracker"\n    (db_connection 2.6.0) lib/db_connection/connection.ex:100\n'
SUPPLIERS = "supplier_no,farm,contact,email,mobile,bank_iban,card_for_fees\n"
WOOD = "# .woodpecker/release.yaml\nsteps:\n  publish:\n    image: node:22\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws s3 sync ./lab-reports s3://odc-lab-reports --profile lab  # AWS_ACCESS_KEY_ID={v}",
            'resource "aws_iam_access_key" "lab" {}\n# imported by hand: access key {v}',
            'access_key = "{v}"',
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            'secret_key = "{v}"',
            "export AWS_SECRET_ACCESS_KEY='{v}'",
            "  credentials:\n    accessKeyId: AKIA-see-vault\n    secretAccessKey: {v}",
        ],
    ),
    ("azure-key", draw.az_client_secret, ["ARM_CLIENT_SECRET={v}"]),
    (
        "azure-key",
        draw.az_sb_key,
        [
            "Endpoint=sb://odc-telemetry.servicebus.windows.net/;SharedAccessKeyName=lab-ingest;SharedAccessKey={v}"
        ],
    ),
    ("gcp-key", draw.gcp_api, ['<string name="google_maps_key">{v}</string>']),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        ['  "private_key": "{v}",\n  "client_email": "route-export@odc-routes.iam.gserviceaccount.com",'],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            '$ go env -w GOPRIVATE=github.com/orchardine/* && git config --global url."https://x-access-token:{v}@github.com/".insteadOf "https://github.com/"',
            "GITHUB_TOKEN: {v}",
            "$ echo {v} | gh auth login --with-token",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ git clone https://gitlab-ci-token:{v}@gitlab.odc.internal/lab/lims.git"],
    ),
    ("slack-token", draw.slack_token, ['slack:\n  bot_token: "{v}"\n  channel: "#tanker-alerts"']),
    (
        "slack-webhook",
        draw.slack_hook,
        ['curl -X POST --data-urlencode \'payload={"text":"cheque run done"}\' {v}'],
    ),
    ("stripe-key", draw.stripe_key, ['Stripe::Api.key = "{v}"  # farm-shop']),
    (
        "jwt",
        keycloak_jwt,
        [
            "POST /api/v1/collections HTTP/1.1\nHost: portal.orchardine.example\nAuthorization: Bearer {v}\nContent-Type: application/json",
            "KC_ACCESS_TOKEN={v}",
        ],
    ),
    ("jwt", traccar_jwt, ["TRACCAR_TOKEN={v}", "wss://gps.odc.internal/api/socket?token={v}"]),
    ("jwt", woodpecker_token, ["WOODPECKER_TOKEN={v}"]),
    ("private-key", draw.pk("rsa"), ["# keycloak realm signing key, exported for PM-8 by mistake\n{v}"]),
    ("private-key", draw.pk("ec", "  "), ["ssl_key: |\n  {v}"]),
    (
        "private-key",
        openvpn_static,
        ["<tls-auth>\n{v}\n</tls-auth>", "# /etc/openvpn/ta.key on ccr-depot3\n{v}"],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "postgresql://tracker:{v}@tsdb-1.odc.internal:5432/tracker",
            "mqtts://lab-ingest:{v}@mqtt-1.odc.internal:8883",
            "influx_url: https://admin:{v}@influx-2.odc.internal:8086",
            "https://odoo:{v}@odoo-1.odc.internal/xmlrpc/2/object",
            "DATABASE_URL=ecto://tracker:{v}@{pip}/tracker_prod",
            "$ restic -r rest:https://backup:{v}@{pip}:8000/odoo snapshots",
            '  url: "sftp://sepa:{v}@{pip}:22/outbox"',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "[options]\nadmin_passwd = {v}\ndb_host = odoo-db-1",
            "GF_SECURITY_ADMIN_PASSWORD={v}",
            "$ mosquitto_pub -h mqtt-1 -u lab-ingest -P '{v}' -t lab/bactoscan/raw -m test",
            "$ influx setup --username admin --password '{v}' --org odc --bucket lab --force",
            "KC_BOOTSTRAP_ADMIN_PASSWORD={v}",
            "$ keytool -genkeypair -alias tanker -keystore tanker.jks -storepass '{v}'",
            "'dbpassword' => '{v}',",
            "CREATE USER 'matomo'@'%' IDENTIFIED BY '{v}';",
            'val ds = HikariDataSource().apply { username = "tracker"; password = "{v}" }',
            "$ ilorest login 10.60.4.11 -u Administrator -p '{v}'",
            "$ smbclient //fs-vale/scans -U ODC/scanner%'{v}'",
        ],
    ),
    (
        "password-assignment",
        mikrotik_pw,
        [
            ROS + "/user add name=backup group=read password={v}",
            ROS + "/interface wireless security-profiles set [ find default=yes ] wpa2-pre-shared-key={v}",
            ROS + "/ppp secret add name=depot-moss password={v} service=l2tp",
            ROS + "/ip ipsec identity add peer=vale secret={v}",
            "set system login user ubnt authentication plaintext-password {v}",
            "$ redis-cli -h {pip} -a {v} --no-auth-warning INFO",
            "[mqtt]\nuser = nodered\npassword = {v}",
            '"credentials": {"mqtt-broker-1": {"user": "nodered", "password": "{v}"}}',
        ],
    ),
    (
        "password-assignment",
        junos_9,
        [
            JUNOS + 'ike\nset security ike policy depot-vpn pre-shared-key ascii-text "{v}"',
            JUNOS + 'radius\nset system radius-server 10.60.0.5 secret "{v}"',
        ],
    ),
    ("basic-auth", basic_cred, ["Authorization: Basic {v}", '  headers:\n    Authorization: "Basic {v}"']),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u hendrik:{v} https://nextcloud.odc.internal/remote.php/dav/files/hendrik/",
            "$ http -a lab-ingest:{v} POST influx-2:8086/api/v2/write",
        ],
    ),
    ("bearer-token", opaque(44), ["authorization: Bearer {v}"]),
    (
        "vendor-token",
        influx_token,
        [
            "INFLUX_TOKEN={v}",
            '[[outputs.influxdb_v2]]\n  urls = ["https://influx-2.odc.internal:8086"]\n  token = "{v}"',
            "Authorization: Token {v}",
        ],
    ),
    ("vendor-token", ttn_key, ["TTN_API_KEY={v}", "$ ttn-lw-cli login --api-key {v}"]),
    ("vendor-token", pushover_token, ["PUSHOVER_APP_TOKEN={v}"]),
    (
        "vendor-token",
        here_key,
        [
            "HERE_API_KEY={v}",
            "$ curl 'https://router.hereapi.com/v8/routes?transportMode=truck&origin=52.5,13.4&destination=52.6,13.5&apikey={v}'",
        ],
    ),
    (
        "vendor-token",
        wise_token,
        [
            "WISE_API_TOKEN={v}",
            '$ curl -H "Authorization: Bearer {v}" https://api.transferwise.com/v1/profiles',
        ],
    ),
    ("vendor-token", mollie_key, ["MOLLIE_API_KEY={v}", "$mollie->setApiKey('{v}');"]),
    ("vendor-token", mollie_org_token, ["MOLLIE_ORG_TOKEN={v}"]),
    (
        "vendor-token",
        odoo_key,
        ["ODOO_API_KEY={v}", "models.execute_kw(db, uid, '{v}', 'account.move', 'search', [[]])"],
    ),
    (
        "vendor-token",
        matomo_token,
        [
            "$ curl 'https://stats.orchardine.example/index.php?module=API&method=VisitsSummary.get&token_auth={v}'"
        ],
    ),
    (
        "vendor-token",
        jfrog_ref_token,
        [
            "JFROG_ACCESS_TOKEN={v}",
            "$ jf c add odc --url https://odc.jfrog.io --access-token {v} --interactive=false",
        ],
    ),
    ("vendor-token", artifactory_key, ["X-JFrog-Art-Api: {v}"]),
    (
        "vendor-token",
        dockerhub_pat,
        ["$ echo {v} | docker login -u orchardine --password-stdin", "DOCKERHUB_TOKEN={v}"],
    ),
    ("vendor-token", npm_token, ["//registry.npmjs.org/:_authToken={v}", 'npmAuthToken: "{v}"']),
    ("vendor-token", cargo_token, ['[registry]\ntoken = "{v}"', "$ cargo publish --token {v}"]),
    (
        "vendor-token",
        anthropic_key,
        ["ANTHROPIC_API_KEY={v}", "x-api-key: {v}\nanthropic-version: 2023-06-01"],
    ),
    ("vendor-token", hf_token, ["HF_TOKEN={v}", "$ huggingface-cli login --token {v}"]),
    ("vendor-token", replicate_token, ["REPLICATE_API_TOKEN={v}"]),
    ("vendor-token", groq_key, ["GROQ_API_KEY={v}"]),
    ("vendor-token", pinecone_key, ["PINECONE_API_KEY={v}", 'pc = Pinecone(api_key="{v}")']),
    ("vendor-token", langfuse_secret, ["LANGFUSE_SECRET_KEY={v}"]),
    ("vendor-token", langsmith_key, ["LANGSMITH_API_KEY={v}"]),
    ("vendor-token", cohere_key, ["CO_API_KEY={v}"]),
    ("vendor-token", wandb_key, ["WANDB_API_KEY={v}", "machine api.wandb.ai\n  login user\n  password {v}"]),
    ("vendor-token", scw_secret, ["SCW_SECRET_KEY={v}"]),
    ("vendor-token", ovh_secret, ["[ovh-eu]\napplication_key=Xk3pQ9ab2LmN7vRt\napplication_secret={v}"]),
    ("vendor-token", codecov_token, ["CODECOV_TOKEN={v}"]),
    (
        "vendor-token",
        ntfy_token,
        ["$ curl -H \"Authorization: Bearer {v}\" -d 'tanker 14 offline' https://ntfy.odc.internal/tankers"],
    ),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    ("vendor-token", draw.atlassian_token, ["JIRA_API_TOKEN={v}"]),
    (
        "generic-api-key",
        keycloak_secret,
        ["KC_CLIENT_SECRET={v}", '  "credentials": {\n    "secret": "{v}"\n  },'],
    ),
    ("generic-api-key", xero_secret, ["XERO_CLIENT_SECRET={v}"]),
    (
        "generic-api-key",
        nextcloud_app_pw,
        [
            "NEXTCLOUD_APP_PASSWORD={v}",
            "$ rclone config create nc webdav url=https://nextcloud.odc.internal/remote.php/dav/files/siobhan vendor=nextcloud user=siobhan pass={v}",
        ],
    ),
    ("generic-api-key", friendly_captcha_key, ["FRC_API_KEY={v}"]),
    ("generic-api-key", harbor_robot_secret, ["$ docker login harbor.odc.internal -u 'robot$lab+ci' -p {v}"]),
    ("generic-api-key", emqx_secret, ["EMQX_API_SECRET={v}"]),
    (
        "generic-api-key",
        nodered_secret,
        ['module.exports = {\n    credentialSecret: "{v}",\n    uiPort: 1880'],
    ),
    ("generic-api-key", qdrant_key, ["QDRANT__SERVICE__API_KEY={v}", "api-key: {v}"]),
    (
        "generic-api-key",
        minio_secret,
        ["MINIO_ROOT_PASSWORD={v}", "$ mc alias set odc https://minio.odc.internal lab-ingest {v}"],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        [
            "[Interface]\nPrivateKey = {v}\nListenPort = 51820",
            ROS + '/interface wireguard add name=wg-vale listen-port=13231 private-key="{v}"',
        ],
    ),
    ("generic-api-key", lambda: rs(ALNUM, 64), ["SECRET_KEY_BASE={v}"]),
    ("webhook-url", teams_hook, ["TEAMS_LAB_WEBHOOK={v}"]),
    (
        "webhook-url",
        lambda: f"https://api.pushover.net/1/messages.json?token={pushover_token()}&user={pushover_user()}",
        ["$ curl -s '{v}' --form-string 'message=bactoscan over limit'"],
    ),
    ("webhook-url", draw.discord_hook, ["DISCORD_FARMERS_HOOK={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tsdb-creds\n  namespace: tracker\ndata:\n  POSTGRES_PASSWORD: {v}",
            "data:\n  mqtt-password: {v}\n  mqtt-username: bGFiLWluZ2VzdA==",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [GLPI + "the lab PC has the S3 uploader set up with key {v}, please move it to a role"],
    ),
    (
        "aws-key",
        draw.aws_secret,
        ["{ts} ERROR lab-ingest boto3 upload failed (SignatureDoesNotMatch) secret={v}"],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            EXTRACE + '    config: [url: "ecto://tracker:{v}@{pip}/tracker_prod"]',
            KTTRACE + "\tbackup endpoint https://tanker:{v}@{pip}/api/positions",
            SYSLOG + "mqtt bridge reconnect mqtt://bridge:{v}@{pip}:1883 failed: not authorised",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "| RB-2 step 3 | MikroTik admin on ccr-depot3 | {v} | Cathal keeps it in Bitwarden |",
            CHAT + "iLO on odoo-1 is Administrator / {v} until Friday",
            'let client = Client::connect("host=tsdb-1 user=tracker password={v} dbname=tracker", NoTls)?;',
            "final conn = PostgreSQLConnection('tsdb-1', 5432, 'tracker', username: 'tracker', password: '{v}');",
            "$pdo = new PDO('mysql:host=matomo-db;dbname=matomo', 'matomo', '{v}');",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            GLPI + "farmer says his portal password is {v} and it stopped working after the SSO change",
            "<ConnectionString>Host=tsdb-1;Username=tracker;Password={v};Database=tracker</ConnectionString>",
            TL + "Node-RED admin password reset to {v}, change it after the incident",
        ],
    ),
    (
        "password-assignment",
        junos_9,
        [
            "RB-2: `$9$` strings in the Junos config are reversible; the one on srx-vale ({v}) counts as a leaked password."
        ],
    ),
    (
        "jwt",
        keycloak_jwt,
        [
            HIST
            + "curl -s https://portal.orchardine.example/api/v1/suppliers/me -H 'Authorization: Bearer {v}'"
        ],
    ),
    ("jwt", traccar_jwt, [CHAT + "traccar token for the yard tablet: {v}"]),
    (
        "github-token",
        draw.gh_token,
        ["{ts} woodpecker-agent: git fetch failed: https://{v}@github.com/orchardine/route-planner.git: 401"],
    ),
    ("slack-token", draw.slack_token, [SYSLOG + "slack notify failed (not_authed) token={v}"]),
    ("stripe-key", draw.stripe_key, [GLPI + "the old farm-shop plugin export contains {v}"]),
    (
        "vendor-token",
        influx_token,
        [SYSLOG + "telegraf: 401 Unauthorized writing to influx-2 with token {v}"],
    ),
    ("vendor-token", ttn_key, [TL + "TTN key from the lab gateway config: {v}"]),
    (
        "vendor-token",
        anthropic_key,
        ['client = anthropic.Anthropic(api_key="{v}")  # lab_assistant.py, PM-5'],
    ),
    ("vendor-token", hf_token, ['In [2]: login(token="{v}")']),
    (
        "vendor-token",
        mollie_key,
        [
            KTTRACE.replace("router.hereapi.com/v8/routes", "api.mollie.com/v2/payments")
            + "\tmollie.apiKey={v}"
        ],
    ),
    (
        "private-key",
        draw.pk("ssh"),
        [TL + "deploy key of the route-planner repo, from the yard laptop:\n{v}"],
    ),
    (
        "generic-api-key",
        keycloak_secret,
        ["{ts} WARN farmer-portal token exchange failed client_id=farmer-portal client_secret={v}"],
    ),
    (
        "generic-api-key",
        nextcloud_app_pw,
        ["PM-8: the attacker used the app password {v}, created from the farmer's own session."],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{pip} - - [14/Mar/2026:05:12:40 +0000] "POST /api/v2/write HTTP/1.1" 401 55 "-" "telegraf" "Authorization: Basic {v}"'
        ],
    ),
    (
        "bearer-token",
        opaque(56),
        [
            "{ts} DEBUG route-planner request headers: {'Authorization': 'Bearer {v}', 'User-Agent': 'tanker/3.2'}"
        ],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["$ kubectl -n tracker get secret tsdb-creds -o yaml | grep POSTGRES_\n  POSTGRES_PASSWORD: {v}"],
    ),
    ("webhook-url", draw.slack_hook, [GLPI + "please add the new hook {v} to the cheque-run job"]),
    ("vendor-token", here_key, ["const hereApiKey = '{v}'; // lib/config.dart, tanker app 3.2.0"]),
    (
        "vendor-token",
        scw_secret,
        ['provider "scaleway" {\n  access_key = "SCWV3QHJ7K2M9P4R6T8W"\n  secret_key = "{v}"\n}'],
    ),
    ("password-assignment", letters_pw, [JUNOS + "snmp\nset snmp community {v} authorization read-only"]),
    (
        "basic-auth",
        basic_cred,
        ['{\n  "auths": {\n    "harbor.odc.internal": {\n      "auth": "{v}"\n    }\n  }\n}'],
    ),
    (
        "generic-api-key",
        friendly_captcha_key,
        ['let captcha = FriendlyCaptcha(apiKey: "{v}", sitekey: "FCMGD2KQ8R7T1V")  // PortalApp.swift'],
    ),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            SUPPLIERS + "S-{num},Oakhurst Farm,Aoibheann Oakhurst,{v},,,",
            GLPI + "the milk statement for March went to {v}, which is the neighbour's address",
            "{ts} INFO cheque-run statement mailed to={v} supplier=S-1142",
            "UPDATE suppliers SET email = '{v}' WHERE supplier_no = 'S-2031';",
            "Cc: {v}\nSubject: Re: bactoscan result for tank 2",
        ],
    ),
    (
        "phone",
        phone,
        [
            SUPPLIERS + "S-{num},Meadowcroft Farm,Tobias Meadowcroft,,{v},,",
            GLPI + "driver asks us to ring the farm on {v} before collecting",
            "{ts} INFO tanker-app sms eta sent to={v}",
            "| Griselda Thistlethwaite | night tanker driver | {v} |",
            'farm_contact:\n  name: Fenwick Brindle\n  phone: "{v}"',
        ],
    ),
    (
        "phone",
        lambda: draw.au_phone(),
        ["{ts} INFO tanker-app sms eta sent to={v} (relief driver from Victoria)"],
    ),
    ("phone", draw.fr_phone, [GLPI + "Maelle Hayward prefers her French number {v}"]),
    (
        "credit-card",
        card,
        [
            SUPPLIERS + "S-{num},Cowdray Farm,Osric Cowdray,,,,{v}",
            GLPI + "farmer read his card {v} to the office to pay the testing fee",
            "{ts} ERROR farmer-portal mollie fallback logged card={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} keycloak-1 keycloak: type=LOGIN_ERROR realmId=farmers clientId=farmer-portal ipAddress={v} error=invalid_user_credentials",
            "{ts} sshd[2201]: Failed password for root from {v} port 60112 ssh2",
            "farmer-portal audit: supplier S-{num} (Wenonah Lambkin) signed in from {v}",
            '{"event":"portal_login","supplier":"S-2031","ip":"{v}"}',
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '{v} - - [14/Mar/2026:06:01:12 +0000] "GET /statements/2026-03.pdf HTTP/2.0" 200',
            "remote_addr={v} path=/login status=401",
        ],
    ),
    (
        "iban",
        lambda: iban_of("IE", rs(UP, 4) + rs(DIG, 14)),
        [SUPPLIERS + "S-{num},Hayward Farm,Barnaby Hayward,,,{v},"],
    ),
    ("iban", lambda: draw.iban("DE"), [GLPI + "new supplier wants the milk cheque paid to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [GLPI + "relief driver's NI number {v} is in the onboarding form scan"]),
    ("national-id", ssn, ["| Ingeborg Brindle | US dairy consultant | SSN {v} | W-8 form |"]),
    (
        "iban",
        lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)),
        ["<CdtrAcct><Id><IBAN>{v}</IBAN></Id></CdtrAcct>"],
    ),
    (
        "iban",
        lambda: iban_of("FR", rs(DIG, 10) + rs(UP + DIG, 11) + rs(DIG, 2)),
        ['{"supplier":"S-3310","payee":"Maelle Oakhurst","iban":"{v}"}'],
    ),
    (
        "email",
        email,
        [
            "From: {v}\nTo: payments@orchardine.example\nSubject: my bank details changed?? I did not ask for this"
        ],
    ),
    ("phone", phone, ["<Supplier><Name>Cowdray</Name><Mobile>{v}</Mobile></Supplier>"]),
    (
        "credit-card",
        card,
        [
            "odoo=> SELECT card_number FROM legacy_fee_payments WHERE id = 41;\n card_number\n-------------\n {v}"
        ],
    ),
    ("ipv4", public_v4, ["X-Real-IP: {v}\n(farmer-portal nginx log, PM-8)"]),
    ("ipv6", public_v6, ["odoo=> SELECT ip FROM res_users_log WHERE id = 9921;\n {v}"]),
    ("phone", phone, [CHAT + "Hendrik's own mobile is {v} if the on-call phone is dead"]),
    ("email", email, ["Co-authored-by: Tobias Lambkin <{v}>"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        ["$ git rev-parse HEAD\n{v}", "route-planner image built from {v}", "CI_COMMIT_SHA={v}"],
    ),
    ("git-sha", lambda: rs(HEX, 10), ["bisected to {v} (MQTT reconnect loop)"]),
    (
        "uuid",
        uuid4,
        [
            "collection_id: {v}",
            "keycloak user {v} disabled",
            "X-Correlation-ID: {v}",
            "Wise transfer quote {v}",
        ],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        [
            "$ sha256sum influxdb2-2.7.10_linux_amd64.tar.gz\n{v}  influxdb2-2.7.10_linux_amd64.tar.gz",
            "sepa_file_sha256={v}",
        ],
    ),
    ("hash-or-digest", lambda: "sha256:" + rs(HEX, 64), ["image: harbor.odc.internal/lab/ingest@{v}"]),
    ("hash-or-digest", hex_n(32), ["statement PDF md5 {v}"]),
    (
        "hash-or-digest",
        lambda: draw.sha512_crypt(),
        [JUNOS + 'authentication\nset system login user netops authentication encrypted-password "{v}"'],
    ),
    ("hash-or-digest", mosquitto_hash, ["# /etc/mosquitto/passwd\nlab-ingest:{v}"]),
    (
        "hash-or-digest",
        lambda: "pbkdf2_sha512$" + rs(HEX, 32) + "$" + rs(HEX, 64),
        ["nextcloud oc_users.password = 3|{v}"],
    ),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-b7ad6b7169203331-01", "trace_id={v}"]),
    ("trace-id", hex_n(16), ["span={v}"]),
    ("trace-id", lambda: rs(LOW + DIG, 8) + "-" + rs(LOW + DIG, 4), ["Odoo request id {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::odc-lab-reports/{rng.randint(2024, 2026)}/bactoscan",
        ["uploads to {v} paused"],
    ),
    ("cloud-resource-id", lambda: f"fr-par/{uuid4()}", ["scaleway instance {v} rebooted"]),
    ("cloud-resource-id", lambda: "i-0" + rs(HEX, 16), ["traccar ran on {v}"]),
    ("placeholder", lambda: "<INFLUX_TOKEN>", ["Authorization: Token {v}", "INFLUX_TOKEN={v}"]),
    ("placeholder", lambda: "password123", ["[mqtt]\npassword = {v}  # sample config in the vendor manual"]),
    ("placeholder", lambda: "NNSXS.XXXXXXXXXXXXXXXX.XXXXXXXXXXXXXXXX", ["TTN_API_KEY={v}"]),
    ("placeholder", lambda: "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["HF_TOKEN={v}  # .env.template"]),
    ("placeholder", lambda: "<your-mollie-key>", ["$mollie->setApiKey('{v}');"]),
    ("templated-value", lambda: "${INFLUX_TOKEN}", ['  token = "{v}"']),
    (
        "templated-value",
        lambda: "from_secret: npm_token",
        ["    environment:\n      NPM_TOKEN:\n        {v}"],
    ),
    ("templated-value", lambda: "{{ .Values.tsdb.password }}", ["  POSTGRES_PASSWORD: {v}"]),
    (
        "templated-value",
        lambda: "$(cat /run/secrets/mqtt_password)",
        ["$ mosquitto_sub -u nodered -P {v} -t 'lab/#'"],
    ),
    ("templated-value", lambda: "env.get('ANTHROPIC_API_KEY')", ["api_key = {v}"]),
    ("templated-value", lambda: "!secret here_api_key", ["here_api_key: {v}"]),
    ("masked-value", lambda: "******", ["wpa2-pre-shared-key={v}", "Odoo shows the API key as {v}"]),
    ("masked-value", lambda: "sk-ant-…Xw", ["Anthropic console: key {v} disabled"]),
    ("masked-value", lambda: "NL** **** **** **** 21", ["statement paid to {v}"]),
    ("masked-value", lambda: "[REDACTED]", ["client_secret={v}"]),
    (
        "keyword-no-value",
        lambda: "credentialSecret",
        ["Node-RED encrypts flows_cred.json with {v}; losing it loses every credential."],
    ),
    (
        "keyword-no-value",
        lambda: "plaintext-password",
        ["EdgeRouter config must never carry {v}; use encrypted-password."],
    ),
    (
        "keyword-no-value",
        lambda: "token_auth",
        ["Matomo's {v} parameter is stripped from the access log since PM-8."],
    ),
    ("keyword-no-value", lambda: "tls-auth", ["RB-2: every depot moves from {v} to tls-crypt-v2."]),
    ("private-or-reserved-ip", priv_ip, ["lab gateway {v}", "$ ssh admin@{v}", "tanker tablet {v}"]),
    ("private-or-reserved-ip", draw.doc_ip, ["example MQTT broker {v} in the vendor manual"]),
    (
        "private-or-reserved-ip",
        lambda: f"10.60.{rng.randint(0, 255)}.0/24",
        ["/ip route add dst-address={v} gateway=wg-vale"],
    ),
    ("example-email", lambda: f"{rng.choice(STAFF)}@orchardine.example", ["Reviewed-by: {v}"]),
    ("example-email", lambda: "farmer@example.org", ['{"email":"{v}","herd":120}']),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ['access_key = "{v}"  # from the AWS docs, replaced at deploy'],
    ),
    (
        "vendor-example-key",
        lambda: "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM",
        ["MOLLIE_API_KEY={v}  # Mollie docs test key"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ['Stripe::Api.key = "{v}"  # Stripe docs example'],
    ),
    ("version-or-date", lambda: f"2.7.{rng.randint(1, 11)}", ["InfluxDB {v} upgrade", "influx CLI {v}"]),
    ("version-or-date", iso, ["tankers lost GPS at {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["woodpecker", "cathal"], "ci-1"),
        ["# authorized_keys on odoo-1\n{v}"],
    ),
    ("public-key-or-cert", lambda: draw.cert_pem_block("MIIDdzCCAl+gAwIBAgIEA"), ["<ca>\n{v}\n</ca>"]),
    ("public-key-or-cert", draw.pub_pem, ["# keycloak realm public key (from /realms/farmers)\n{v}"]),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = vale.odc.internal:51820"],
    ),
    ("ids-and-numbers", lambda: "pk-lf-" + uuid4(), ["LANGFUSE_PUBLIC_KEY={v}"]),
    (
        "ids-and-numbers",
        lambda: "u" + rs(LOW + DIG, 29),
        ["Pushover user key of the on-call group {v} (not a secret; the app token is)"],
    ),
    ("ids-and-numbers", lambda: rs(ALNUM, 16), ["application_key={v}  # OVH application key, public half"]),
    ("ids-and-numbers", lambda: "SCW" + rs(UP + DIG, 17), ["SCW_ACCESS_KEY={v}"]),
    (
        "ids-and-numbers",
        lambda: "FC" + rs(UP + DIG, 12),
        ['<div class="frc-captcha" data-sitekey="{v}"></div>'],
    ),
    ("ids-and-numbers", lambda: rs(HEX, 16), ["DevEUI {v} (bactoscan gateway sensor)"]),
    ("ids-and-numbers", lambda: rs(HEX, 16), ["JoinEUI {v}"]),
    ("ids-and-numbers", lambda: f"S-{rng.randint(1000, 4999)}", ["supplier {v} missed collection"]),
    ("ids-and-numbers", lambda: digits_not_luhn("9", 14), ["tank sample barcode {v} at {depot}"]),
    ("ids-and-numbers", lambda: ":".join(rs("0123456789ABCDEF", 2) for _ in range(6)), ["tablet MAC {v}"]),
    ("ids-and-numbers", lambda: f"ODC-{rng.randint(100, 999)}", ["Jira {v}: rotate TTN keys"]),
    ("ids-and-numbers", lambda: "robot$lab+ci", ["Harbor robot account {v} has push on lab/*"]),
    ("luhn-fail-number", luhn_bad, ["milk cheque no. {v}", "SEPA end-to-end id {v}"]),
    ("documented-test-card", lambda: "5555 5555 5555 4444", ["portal fees page tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"tank":2,"scc":180000,"bactoscan":21}'), ["payload={v}"]),
    ("base64-nonsecret", lambda: b64(b"lab-ingest"), ["$ echo -n lab-ingest | base64\n{v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["# deploy/lab/secrets.enc.yaml\ninflux_token: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(3)),
        ["mikrotik_admin_password: !vault |\n{v}"],
    ),
    ("encrypted-value", lambda: draw.sealed(110), ["  encryptedData:\n    POSTGRES_PASSWORD: {v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2y$10$"),
        ["matomo=> SELECT password FROM matomo_user WHERE login = 'admin';\n {v}"],
    ),
    (
        "hash-or-digest",
        lambda: "$argon2id$v=19$m=7168,t=5,p=1$" + rs(B64, 22) + "$" + rs(B64, 43),
        ["keycloak credential secret_data hash {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["X-Gitea-Signature: {v}"]),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel {v} (#farmers-news)"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#tanker-alerts)"]),
    ("ids-and-numbers", lambda: f"{rs(LOW + DIG, 8)}-{rs(LOW, 4)}", ["TTN application id odc-lab-{v}"]),
    ("ids-and-numbers", lambda: rs(DIG, 8), ["Wise profile id {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/lab-uploader",
        ["keys of {v} deactivated"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/odc-telemetry/providers/Microsoft.ServiceBus/namespaces/odc-telemetry"
        ),
        ["rotated SAS keys on {v}"],
    ),
    (
        "placeholder",
        lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ["SLACK_WEBHOOK={v}  # README"],
    ),
    (
        "placeholder",
        lambda: "-----BEGIN OpenVPN Static key V1-----\n...\n-----END OpenVPN Static key V1-----",
        ["# ta.key (contents omitted)\n{v}"],
    ),
    ("placeholder", lambda: "<ipsec-secret>", [ROS + "/ip ipsec identity add peer=vale secret={v}"]),
    ("templated-value", lambda: "%(SEPA_SFTP_PASSWORD)s", ["[sftp]\npassword = {v}"]),
    ("templated-value", lambda: "${var.scw_secret_key}", ["  secret_key = {v}"]),
    ("masked-value", lambda: "dckr_pat_***", ["Docker Hub audit log: token {v} used from CI"]),
    (
        "keyword-no-value",
        lambda: "INFLUX_TOKEN",
        ["ADR-7: Woodpecker injects {v} from its secret store only on tagged builds."],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl http://{v}/latest/api/token -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60'"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"fd60:{rs(HEX, 4)}::{rng.randint(2, 99)}",
        ["depot management ULA {v}"],
    ),
    ("version-or-date", lambda: "2026-03-14", ["| {v} | PM-3 | tanker app down 04:50-07:10 |"]),
    ("version-or-date", lambda: "RouterOS 7.16.1", ["all depots now on {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ec_pub_pem(),
        ["# tanker app JWT verification key (public half)\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["SOPS_AGE_RECIPIENTS={v}"],
    ),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO cheques (cheque_no) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "4000000000000002", ["Stripe test card {v} declined as expected"]),
    ("git-sha", sha40, ["| {t} | {who} redeployed tanker-app at {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM collections WHERE id = '{v}';"]),
    ("example-email", lambda: "statements@mail.orchardine.example", ["From: Orchardine Dairy <{v}>"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(40)), ["suppliers.iban_enc = {v}"]),
    ("hash-or-digest", lambda: draw.apr1(), ["# /etc/nginx/.htpasswd (lab dashboard)\nlab:{v}"]),
    ("cloud-resource-id", lambda: "sg-0" + rs(HEX, 16), ["security group {v} allows 8883/tcp"]),
    ("version-or-date", lambda: "node-red 4.0.5", ["$ npm ls -g node-red\n/usr/lib\n`-- {v}"]),
    (
        "ids-and-numbers",
        lambda: "<" + rs(HEX, 16) + "@mail.orchardine.example>",
        ["Message-ID: {v}\nSubject: PM-10 supplier list"],
    ),
    (
        "ids-and-numbers",
        lambda: f"RF{rng.randint(10, 99)} {rs(DIG, 4)} {rs(DIG, 4)} {rs(DIG, 4)}",
        ["creditor reference {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: "IE" + rs(DIG, 7) + rng.choice(UP),
        ["VAT number {v} (the cooperative's own)"],
    ),
    (
        "ids-and-numbers",
        lambda: rs(LOW + DIG, 7),
        ["Pinecone index host odc-lab-{v}.svc.aped-4627-b74a.pinecone.io"],
    ),
    ("ids-and-numbers", lambda: "cl" + rs(LOW + DIG, 23), ["Langfuse project id {v}"]),
    ("hash-or-digest", lambda: rs(HEX, 40), ["HF model revision {v}"]),
    ("placeholder", lambda: "sk-ant-api03-...", ["ANTHROPIC_API_KEY={v}  # see 1Password"]),
    ("templated-value", lambda: "${{ secrets.HF_TOKEN }}", ["        HF_TOKEN: {v}"]),
    (
        "masked-value",
        lambda: "••••-•••••-•••••-•••••-x7Qp2",
        ["Nextcloud security page lists the app password as {v}"],
    ),
    (
        "encrypted-value",
        lambda: "{AES}" + b64(draw.rbytes(32)),
        ["odoo ir_config_parameter mail.password = {v}"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["tanker modem CGNAT address {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " deploy@route-planner",
        ["deploy key (public): {v}"],
    ),
    ("ids-and-numbers", lambda: rs(DIG, 6), ["Odoo partner id {v} merged into S-2031"]),
    ("ids-and-numbers", lambda: "farmer-portal", ["KC_CLIENT_ID={v}"]),
    (
        "ids-and-numbers",
        lambda: rs(HEX, 32),
        ["EMQX_API_KEY_NAME=lab-ingest  # the key id is {v}, the secret is in Vault"],
    ),
    ("ids-and-numbers", lambda: f"{rs(B64URL, 22)}", ["HERE app id {v} (the API key is separate)"]),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["$ kubeadm token create --print-join-command\n# discovery hash {v}"],
    ),
    (
        "placeholder",
        lambda: "$9$XXXXXXXXXXXX",
        ['set security ike policy depot-vpn pre-shared-key ascii-text "{v}"  # template'],
    ),
    (
        "templated-value",
        lambda: "{{ pillar['mikrotik']['backup_password'] }}",
        ["/user add name=backup group=read password={v}"],
    ),
    ("masked-value", lambda: "live_****************************Qx", ["Mollie dashboard: API key {v}"]),
    (
        "keyword-no-value",
        lambda: "pre-shared-key ascii-text",
        ["Junos hides {v} values as $9$ strings, which are only obfuscated."],
    ),
    ("ids-and-numbers", lambda: f"ODC/{rng.randint(2026, 2026)}/{rs(DIG, 5)}", ["Odoo invoice {v} posted"]),
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
    r"|NNSXS\.[A-Z0-9]{20}|live_[A-Za-z0-9]{30}|access_[A-Za-z0-9]{40}|cmVmdGtu|AKCp8|dckr_pat_[\w-]{10}|npm_[A-Za-z0-9]{36}"
    r"|cio[A-Za-z0-9]{32}|sk-ant-api|hf_[A-Za-z0-9]{34}|r8_[A-Za-z0-9]{20}|gsk_[A-Za-z0-9]{40}|pcsk_|sk-lf-|lsv2_pt_|tk_[a-z0-9]{29}"
    r"|ATATT3|webhookb2/|webhooks/\d{10}|[$]9[$][A-Za-z0-9./-]{10}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|Static key V1-----\n[a-f0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|Token [A-Za-z0-9+/]{40}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|pre-shared-key)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?(?!authentication)[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes.
OK_MAIL_47 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_47,
    phoneish=re.compile(PHONEISH.pattern + r"|5550 \d{4}|7010 \d{4}|99 00 \d\d \d\d"),
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t47", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
