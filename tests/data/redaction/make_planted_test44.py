# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test44.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test44.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270144)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a municipal waste-collection and recycling contractor, Drossmoor Waste &
Recycling (DWR): PM-21 the bin-lift telemetry outage (LoRaWAN, The Things Stack, ChirpStack, Mosquitto,
Confluent Kafka, TimescaleDB), PM-24 the route-planning keys shipped in the driver app (Mapbox, HERE,
Samsara, Geotab, Firebase, Expo), PM-26 the weighbridge PC ransomware scare (Windows, SQL Server,
PowerShell, PuTTY/WinSCP, Cisco), RB-9 rotating the observability and on-call credentials (New Relic,
Honeycomb, Sentry, PagerDuty, Opsgenie, Grafana), RB-12 the commercial billing run (GoCardless, Stripe,
Business Central, BACS over SFTP, PGP), ADR-31 the resident portal on EKS (Terraform, Vault, Argo CD,
Helm, GitLab CI, CircleCI, Docker Hub), ADR-33 the analytics warehouse (Snowflake, dbt, Airflow,
Fivetran, Looker) and PM-29 a missed-collections export sent to a subcontractor (cards, IBANs,
phones). Common shapes come first in each kind (``t44p…``/``t44n…``).
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
    b64url,
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
OUT = HERE / "planted_test44.jsonl"
FOLD = "test44"
rng = Random(20270144)
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
    "skip",
    "wheelie",
    "compactor",
    "landfill",
    "kerbside",
    "baler",
    "hopper",
    "tipper",
    "compost",
    "weighbridge",
]
UPHEX = "0123456789ABCDEF"


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["bin-telemetry", "route-sync", "weighbridge", "billing-run", "portal-api"], WORDS)


def portal_jwt() -> str:
    body = {
        "iss": "https://auth.drossmoor.example/realms/residents",
        "sub": rs(HEX, 8) + "-" + rs(HEX, 4),
        "aud": "resident-portal",
        "uprn": rs(DIG, 11),
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 43)}, body, rs(B64URL, 342))


def chirpstack_jwt() -> str:
    body = {"aud": "chirpstack", "iss": "chirpstack", "sub": uuid4(), "typ": "key"}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def argocd_jwt() -> str:
    t = rng.randint(1_790_000_000, 1_799_000_000)
    body = {"iss": "argocd", "sub": "ci-deployer:apiKey", "nbf": t, "iat": t, "jti": uuid4()}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def ttn_key() -> str:
    return "NNSXS." + rs(B32, 39) + "." + rs(B32, 52)


def lora_key() -> str:
    return rs(UPHEX, 32)


def samsara_token() -> str:
    return "samsara_api_" + rs(ALNUM, 30)


def mapbox_secret() -> str:
    inner = {"u": "drossmoor", "a": "cl" + rs(LOW + DIG, 23)}
    return "sk." + b64url(json.dumps(inner, separators=(",", ":")).encode()) + "." + rs(B64URL, 22)


def mapbox_public() -> str:
    inner = {"u": "drossmoor", "a": "cl" + rs(LOW + DIG, 23)}
    return "pk." + b64url(json.dumps(inner, separators=(",", ":")).encode()) + "." + rs(B64URL, 22)


def fcm_server_key() -> str:
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def confluent_secret() -> str:
    return rs(ALNUM + "+/", 64)


def nr_user_key() -> str:
    return "NRAK-" + rs(UP + DIG, 27)


def nr_license() -> str:
    return rs(HEX, 36) + "NRAL"


def nr_insert() -> str:
    return "NRII-" + rs(B64URL, 32)


def honeycomb_ingest() -> str:
    return "hcaik_01" + rs("0123456789abcdefghjkmnpqrstvwxyz", 24) + rs(LOW + DIG, 32)


def sentry_org_token() -> str:
    inner = {
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
        "url": "https://sentry.io",
        "region_url": "https://de.sentry.io",
        "org": "drossmoor",
    }
    return (
        "sntrys_" + b64(json.dumps(inner, separators=(",", ":")).encode()).rstrip("=") + "_" + rs(B64URL, 43)
    )


def sentry_user_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def pd_api_key() -> str:
    return "u+" + rs(ALNUM + "-_", 18)


def grafana_sa() -> str:
    return "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8)


def gocardless_token() -> str:
    return "live_" + rs(B64URL, 40)


def vault_token() -> str:
    return "hvs.CAESI" + rs(B64URL, 86)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def circleci_pat() -> str:
    return "CCIPAT_" + rs(ALNUM, 22) + "_" + rs(HEX, 40)


def fernet_key() -> str:
    return b64(draw.rbytes(32)).replace("+", "-").replace("/", "_")


def bc_ws_key() -> str:
    return b64(draw.rbytes(33))


def elastic_api_key() -> str:
    return b64(f"{rs(B64URL, 20)}:{rs(B64URL, 22)}".encode())


def fivetran_basic() -> str:
    return b64(f"{rs(ALNUM, 16)}:{rs(ALNUM, 32)}".encode())


def winscp_obfuscated() -> str:
    return "A35C" + rs(UPHEX, 4) + "5" + rs(UPHEX, 67)


def cisco_type7() -> str:
    return rng.choice(["08", "09", "10", "11", "13", "14"]) + rs(UPHEX, 22)


def pgp_private_block() -> str:
    body = (
        ["lQVYBG" + rs(B64, 58)]
        + [rs(B64, 64) for _ in range(rng.randint(8, 12))]
        + [rs(B64, 28) + "=", "=" + rs(B64, 4)]
    )
    return "\n".join(
        ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "", *body, "-----END PGP PRIVATE KEY BLOCK-----"]
    )


def encrypted_pkcs8() -> str:
    body = draw.pem_body("MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI", rng.randint(8, 12))
    return "\n".join(["-----BEGIN ENCRYPTED PRIVATE KEY-----", *body, "-----END ENCRYPTED PRIVATE KEY-----"])


def putty_key() -> str:
    """A PuTTY key file (``.ppk`` version 3, unencrypted): the private half sits in ``Private-Lines``."""
    return "\n".join(
        [
            "PuTTY-User-Key-File-3: ssh-ed25519",
            "Encryption: none",
            "Comment: bacs-upload@weighbridge-pc",
            "Public-Lines: 2",
            "AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 39),
            rs(B64, 3) + "=",
            "Private-Lines: 1",
            "AAAAI" + rs(B64, 42) + "=",
            "Private-MAC: " + rs(HEX, 64),
        ]
    )


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def teams_workflow_sig() -> str:
    return rs(B64URL, 43)


def digits_not_luhn(first: str, n: int) -> str:
    """``n`` digits starting with ``first`` that fail the Luhn check (so no card rule may take them)."""
    while True:
        v = first + rs(DIG, n - len(first))
        if not luhn_ok(v):
            return v


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v) or (v.startswith("PuTTY-User-Key-File-3: ") and "\nPrivate-MAC: " in v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = [
    "maisie",
    "thaddeus",
    "oluwaseun",
    "brigid",
    "casimir",
    "henrietta",
    "ignatius",
    "philippa",
    "rashid",
]
LAST = ["tolleshunt", "binwright", "muckleston", "scrapewell", "cartledge", "tipperton", "greaves"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "btinternet.com",
    "sky.com",
    "hotmail.com",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["bin-telemetry", "route-planner", "weighbridge-sync", "billing-run", "resident-portal", "depot-gw"]
STAFF = ["aoife", "gareth", "priyanka", "tomasz", "funmi", "callum", "heledd", "sanjay"]
HOSTS = ["chirpstack-1", "mqtt-2", "tsdb-1", "wb-sql-1", "portal-web-3", "airflow-1", "vault-2"]
DEPOTS = ["Hollins Lane", "Marsh Road", "Canal Wharf", "Kilnfield"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "depot": lambda: rng.choice(DEPOTS),
    "tkt": lambda: str(rng.randint(3_000, 8_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #dwr-incident | {who}: "
CHAT = "[{t}] {who}: "
ZD = "Zendesk #{tkt} internal note ({who}): "
HIST = " {num}  "
GLCI = "$ ./deploy/portal.sh\n"
PYTRACE = 'Traceback (most recent call last):\n  File "/opt/airflow/dags/load_weights.py", line 41, in load\n    conn = snowflake.connector.connect(**cfg)\nsnowflake.connector.errors.DatabaseError: 250001: Could not connect to Snowflake backend\n'
NETTRACE = "System.Data.SqlClient.SqlException (0x80131904): Login failed for user 'wb_app'.\n   at WeighbridgeSync.Program.Main() in C:\\src\\WeighbridgeSync\\Program.cs:line 63\n"
GOTRACE = "panic: mqtt: connection refused: not authorised\n\ngoroutine 1 [running]:\nmain.connect(...)\n\t/src/depot-gw/main.go:88 +0x1f4\n"
JOURNAL = "{ts} {host} {svc}[{num}]: "
EXPORT = "job_ref,resident,email,phone,uprn_ip,card,refund_iban\n"
TFV = "# envs/portal-eks/terraform.tfvars\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ AWS_ACCESS_KEY_ID={v} aws s3 sync ./tiles s3://dwr-route-tiles",
            "[profile portal-deploy]\naws_access_key_id = {v}\nregion = eu-west-2",
            "  - name: AWS_ACCESS_KEY_ID\n    value: {v}",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[profile portal-deploy]\naws_secret_access_key = {v}",
            "$ export AWS_SECRET_ACCESS_KEY='{v}'",
            'provider "aws" {\n  region     = "eu-west-2"\n  secret_key = "{v}"\n}',
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "BC_CLIENT_SECRET={v}",
            "$ az login --service-principal -u {uuid} -p '{v}' --tenant drossmoor.onmicrosoft.com",
            '"AzureAd": { "ClientId": "{uuid}", "ClientSecret": "{v}" }',
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=dwrscans;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        [
            '<meta-data android:name="com.google.android.geo.API_KEY" android:value="{v}"/>',
            "FIREBASE_WEB_API_KEY={v}  # restricted? no (PM-24)",
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{\n  "type": "service_account",\n  "project_id": "dwr-driver-app",\n  "private_key_id": "'
            + "{uuid}"
            + '",\n  "private_key": "{v}",\n  "client_email": "firebase-adminsdk-q7k2@dwr-driver-app.iam.gserviceaccount.com"\n}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ curl -H 'Authorization: token {v}' https://api.github.com/repos/drossmoor/route-planner/releases",
            "- uses: actions/checkout@v4\n  with:\n    token: {v}",
            "//npm.pkg.github.com/:_authToken={v}",
            "$ echo {v} | docker login ghcr.io -u dwr-bot --password-stdin",
            "GITHUB_TOKEN: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ glab auth login --hostname gitlab.dwr.internal --token {v}", "PRIVATE-TOKEN: {v}"],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            "SLACK_BOT_TOKEN={v}",
            "slack:\n  api_token: {v}\n  channel: '#bin-lift-alerts'",
            "  --set slack.token={v} \\",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "  slack_configs:\n  - api_url: {v}\n    channel: '#dwr-oncall'",
            "$ curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"weighbridge down\"}' {v}",
        ],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        [
            "STRIPE_SECRET_KEY={v}",
            "Stripe::API_KEY = '{v}'  # bulky-waste payments",
            'stripe.api_key = "{v}"',
        ],
    ),
    ("stripe-key", draw.stripe_whsec, ["STRIPE_WEBHOOK_SECRET={v}"]),
    (
        "jwt",
        portal_jwt,
        [
            "GET /api/collections/next?uprn=100023336956 HTTP/2\nhost: portal.drossmoor.example\nauthorization: Bearer {v}",
            '$ http :8080/api/reports Authorization:"Bearer {v}"',
        ],
    ),
    (
        "jwt",
        chirpstack_jwt,
        [
            "CHIRPSTACK_API_TOKEN={v}",
            "$ grpcurl -H 'authorization: Bearer {v}' chirpstack-1.dwr.internal:8080 api.DeviceService/List",
        ],
    ),
    ("jwt", argocd_jwt, ["$ argocd app sync resident-portal --auth-token {v} --server argocd.dwr.internal"]),
    ("private-key", draw.pk("rsa"), ["# ~/.ssh/bacs_sftp (pasted in Zendesk by mistake)\n{v}"]),
    ("private-key", draw.pk("ec", "      "), ["data:\n  tls.key: |\n      {v}"]),
    ("private-key", pgp_private_block, ["$ gpg --armor --export-secret-keys billing@drossmoor.example\n{v}"]),
    (
        "private-key",
        encrypted_pkcs8,
        ["# ~/.snowflake/rsa_key.p8 (passphrase in the same folder, ADR-33)\n{v}"],
    ),
    ("private-key", putty_key, ["C:\\Users\\wbadmin\\Documents\\bacs.ppk:\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "DATABASE_URL=postgres://tsdb_writer:{v}@tsdb-1.dwr.internal:5432/binlifts",
            "sql_alchemy_conn = postgresql+psycopg2://airflow:{v}@{pip}:5432/airflow",
            "AIRFLOW_CONN_WEIGHBRIDGE=mssql://wb_reader:{v}@wb-sql-1.dwr.internal:1433/Weighbridge",
            "$ mosquitto_sub -L mqtts://depot-gw:{v}@mqtt-2.dwr.internal:8883/dwr/bins/+/lift -v",
            "redis_url: rediss://default:{v}@{pip}:6380/0",
            "$ pip install --index-url https://ci:{v}@nexus.dwr.internal/repository/pypi/simple dwr-routing",
            "sftp://dwr-bacs:{v}@sftp.bacs-bureau.example/inbound",
            "spring.datasource.url=jdbc:postgresql://{pip}:5432/portal?user=portal&password={v}",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            '# C:\\ProgramData\\WeighbridgeSync\\appsettings.json\n"Weighbridge": "Server=wb-sql-1;Database=Weighbridge;User ID=wb_app;Password={v};TrustServerCertificate=True"',
            '> sqlcmd -S wb-sql-1 -U sa -P "{v}" -Q "SELECT @@VERSION"',
            "> cmdkey /add:wb-sql-1 /user:DWR\\wbadmin /pass:{v}",
            'weighbridge:\n  db:\n    user: wb_app\n    password: "{v}"',
            "dwr_warehouse:\n  target: prod\n  outputs:\n    prod:\n      type: snowflake\n      account: dwr-eu1\n      user: DBT_RUNNER\n      password: '{v}'",
            "[looker]\nbase_url=https://dwr.cloud.looker.com\nclient_id=Xy7bRk2mPq9sTz4wVn8c\nclient_secret={v}",
            '{"method":"Authenticate","params":{"database":"drossmoor","userName":"route-sync@drossmoor.example","password":"{v}"}}',
            "  mqtt:\n    username: depot-gw\n    password: {v}\n    client_id: depot-kilnfield",
            '    sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="wb-sync" password="{v}";',
            "$ snowsql -a dwr-eu1 -u LOADER --password '{v}'",
            "set PGPASSWORD={v}\r\npsql -h tsdb-1 -U tsdb_writer binlifts",
            "$ helm upgrade --install portal charts/portal --set postgresql.auth.password={v}",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ mosquitto_pub -h mqtt-2.dwr.internal -u depot-gw -P {v} -t dwr/bins/test -m hi",
            'config vpn ipsec phase1-interface\n    edit "depot-kilnfield"\n        set psksecret {v}\n    next',
            "snmp-server community {v} RO 10",
            "tacacs-server key {v}",
            "$ mysql -h {pip} -u routes -p{v} routing",
            "# /etc/mosquitto/bridge.conf\nconnection dwr-cloud\nremote_username depot-kilnfield\nremote_password {v}",
            "$ geotab-sync --user route-sync --password {v} --db drossmoor",
            "# /etc/ppp/chap-secrets (depot 4G router)\ndwr-kilnfield * {v} *",
            "$ snowsql -a dwr-eu1 -u LOADER -o log_level=DEBUG\nPassword: {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{\n  "auths": {\n    "registry.dwr.internal": {\n      "auth": "{v}"\n    }\n  }\n}',
        ],
    ),
    (
        "basic-auth",
        fivetran_basic,
        ["$ curl -H 'Authorization: Basic {v}' https://api.fivetran.com/v1/groups"],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u ci-bot:{v} https://nexus.dwr.internal/service/rest/v1/repositories",
            "$ wget --user=route-sync --password={v} https://export.geotab-mirror.dwr.internal/trips.csv",
        ],
    ),
    (
        "bearer-token",
        opaque(48),
        [
            "Authorization: Bearer {v}",
            '$ curl -sS -H "Authorization: Bearer {v}" https://api.bincollect-partner.example/v2/rounds',
        ],
    ),
    ("bearer-token", opaque(64), ['headers = {"Authorization": "Bearer {v}"}  # route_optimiser.py']),
    (
        "vendor-token",
        ttn_key,
        [
            "TTN_API_KEY={v}",
            "$ ttn-lw-cli login --api-key {v}",
            "Authorization: Bearer {v}\n(The Things Stack, application dwr-bins)",
        ],
    ),
    (
        "vendor-token",
        samsara_token,
        [
            "SAMSARA_API_TOKEN={v}",
            "$ curl -H 'Authorization: Bearer {v}' https://api.samsara.com/fleet/vehicles",
        ],
    ),
    ("vendor-token", mapbox_secret, ["MAPBOX_DOWNLOADS_TOKEN={v}", "  MAPBOX_SECRET_TOKEN: {v}"]),
    (
        "vendor-token",
        lambda: rs(B64URL, 43),
        [
            "HERE_API_KEY={v}",
            "$ curl 'https://router.hereapi.com/v8/routes?transportMode=truck&origin=53.48,-2.24&destination=53.41,-2.16&apiKey={v}'",
        ],
    ),
    ("vendor-token", fcm_server_key, ["FCM_SERVER_KEY={v}", "Authorization: key={v}"]),
    ("vendor-token", confluent_secret, ["CONFLUENT_API_SECRET={v}", "sasl.password={v}"]),
    (
        "vendor-token",
        nr_user_key,
        ["NEW_RELIC_API_KEY={v}", "$ newrelic profile add --profile dwr --apiKey {v} --region EU"],
    ),
    (
        "vendor-token",
        nr_license,
        ["NEW_RELIC_LICENSE_KEY={v}", "newrelic:\n  licenseKey: {v}\n  cluster: portal-eks"],
    ),
    ("vendor-token", nr_insert, ["X-Insert-Key: {v}"]),
    ("vendor-token", honeycomb_ingest, ["HONEYCOMB_API_KEY={v}", "x-honeycomb-team: {v}"]),
    ("vendor-token", opaque(22), ["OTEL_EXPORTER_OTLP_HEADERS=x-honeycomb-team={v}"]),
    (
        "vendor-token",
        sentry_org_token,
        ["SENTRY_AUTH_TOKEN={v}", "$ sentry-cli --auth-token {v} releases new driver-app@5.3.0"],
    ),
    ("vendor-token", sentry_user_token, ["[auth]\ntoken={v}"]),
    ("vendor-token", hex_n(32), ["PAGERDUTY_ROUTING_KEY={v}", "  pagerduty_configs:\n  - routing_key: {v}"]),
    ("vendor-token", pd_api_key, ["Authorization: Token token={v}"]),
    ("vendor-token", uuid4, ["Authorization: GenieKey {v}", "OPSGENIE_API_KEY={v}"]),
    ("vendor-token", grafana_sa, ["GRAFANA_TOKEN={v}", "$ grizzly apply -t {v} dashboards/"]),
    (
        "vendor-token",
        gocardless_token,
        [
            "GOCARDLESS_ACCESS_TOKEN={v}",
            "client = gocardless_pro.Client(access_token='{v}', environment='live')",
        ],
    ),
    ("vendor-token", vault_token, ["$ VAULT_TOKEN={v} vault kv get kv/portal/db", "X-Vault-Token: {v}"]),
    ("vendor-token", dockerhub_pat, ["$ docker login -u drossmoor -p {v}", "DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", circleci_pat, ["Circle-Token: {v}", "CIRCLECI_TOKEN={v}"]),
    ("vendor-token", elastic_api_key, ["Authorization: ApiKey {v}", '  api_key: "{v}"']),
    ("vendor-token", bc_ws_key, ["BC_WEB_SERVICE_KEY={v}"]),
    ("vendor-token", opaque(16), ["VONAGE_API_SECRET={v}"]),
    ("vendor-token", draw.tf_cloud_token, ["$ export TF_TOKEN_app_terraform_io={v}"]),
    (
        "vendor-token",
        draw.atlassian_token,
        ["$ curl -u heledd@drossmoor.example:{v} https://drossmoor.atlassian.net/rest/api/3/myself"],
    ),
    ("vendor-token", opaque(40), ["EXPO_TOKEN={v}"]),
    ("vendor-token", draw.openai_key, ["OPENAI_API_KEY={v}  # missed-collection triage bot"]),
    (
        "generic-api-key",
        lora_key,
        [
            '    "appKey": "{v}",',
            "LORAWAN_APP_KEY={v}",
            "$ ttn-lw-cli end-devices set dwr-bins bin-00a7 --root-keys.app-key.key {v}",
        ],
    ),
    ("generic-api-key", lora_key, ['nwk_key = "{v}"']),
    ("generic-api-key", fernet_key, ["AIRFLOW__CORE__FERNET_KEY={v}"]),
    ("generic-api-key", opaque(40), ["  session_secret: {v}", "SECRET_KEY_BASE={v}"]),
    ("generic-api-key", hex_n(64), ["ARGOCD_SERVER_SECRETKEY={v}", "webhook.gitlab.secret: {v}"]),
    ("generic-api-key", opaque(48), ["FIVETRAN_API_SECRET={v}"]),
    ("generic-api-key", opaque(32), ["X-API-Key: {v}\n(bincollect-partner round upload)"]),
    ("generic-api-key", draw.gcp_oauth_secret, ["GOOGLE_OAUTH_CLIENT_SECRET={v}"]),
    (
        "webhook-url",
        lambda: (
            f"https://prod-{rng.randint(10, 99)}.uksouth.logic.azure.com:443/workflows/{rs(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={rs(B64URL, 43)}"
        ),
        ["TEAMS_WORKFLOW_URL={v}"],
    ),
    ("webhook-url", draw.discord_hook, ["DISCORD_WEBHOOK_URL={v}"]),
    (
        "webhook-url",
        lambda: f"https://hooks.zapier.com/hooks/catch/{rs(DIG, 8)}/{rs(LOW + DIG, 6)}/",
        ["ZAPIER_MISSED_BIN_HOOK={v}"],
    ),
    (
        "webhook-url",
        lambda: f"https://events.pagerduty.com/integration/{rs(HEX, 32)}/enqueue",
        ["alert_url: {v}"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: portal-db\n  namespace: portal\ntype: Opaque\ndata:\n  password: {v}",
            "data:\n  GEOTAB_PASSWORD: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [PYTRACE + "  (stage @DWR_RAW.LANDING uses CREDENTIALS=(AWS_KEY_ID='{v}' ...))"]),
    (
        "aws-key",
        draw.aws_secret,
        [ZD + "the subcontractor's script had aws_secret_access_key={v} hard-coded"],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            PYTRACE + "  snowflake://LOADER:{v}@dwr-eu1/DWR_RAW/LANDING?warehouse=LOAD_WH",
            GOTRACE + "  broker=tcps://depot-kilnfield:{v}@mqtt-2.dwr.internal:8883",
        ],
    ),
    (
        "password-in-url",
        lambda: draw.pct_password(),
        ["AIRFLOW_CONN_BACS_SFTP='sftp://dwr-bacs:{v}@sftp.bacs-bureau.example:22'"],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            NETTRACE
            + "   connection string: Data Source=wb-sql-1;Initial Catalog=Weighbridge;User Id=wb_app;Password={v}",
            "| RB-12 step 3 | BACS bureau SFTP password | {v} | reset by the bureau on the phone |",
            TL + "weighbridge PC local admin is wbadmin / {v}, changing it after the scan",
            "Mosquitto bridge for Hollins Lane was set up with the password {v} (PM-21 timeline, 06:12)",
            "interface Tunnel0\n ip nhrp authentication {v}",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            'private const string SqlPassword = "{v}"; // WeighbridgeSync/Db.cs',
            CHAT + "new snowflake LOADER pw is {v} (rotated, ADR-33)",
        ],
    ),
    (
        "password-assignment",
        winscp_obfuscated,
        [
            "[Sessions\\dwr-bacs@sftp.bacs-bureau.example]\nHostName=sftp.bacs-bureau.example\nUserName=dwr-bacs\nPassword={v}"
        ],
    ),
    ("password-assignment", cisco_type7, ["username depot-admin privilege 15 password 7 {v}"]),
    ("jwt", chirpstack_jwt, [CHAT + "use this token for the chirpstack test: {v}"]),
    (
        "jwt",
        portal_jwt,
        ["{ts} DEBUG resident-portal upstream request headers={'authorization': 'Bearer {v}'}"],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            GLCI
            + "remote: Invalid username or password.\nfatal: Authentication failed for 'https://dwr-bot:{v}@github.com/drossmoor/route-planner.git/'"
        ],
    ),
    ("slack-token", draw.slack_token, [JOURNAL + "slack notify failed: invalid_auth (token {v})"]),
    (
        "stripe-key",
        draw.stripe_key,
        [ZD + "resident forwarded a screenshot of the payment page source with {v} in it"],
    ),
    ("vendor-token", ttn_key, [JOURNAL + "uplink forwarder 401 using key {v}"]),
    ("vendor-token", samsara_token, ['In [4]: client = samsara.Client(token="{v}")']),
    (
        "vendor-token",
        mapbox_secret,
        ["# ios/.netrc in the driver-app repo (PM-24)\nmachine api.mapbox.com\nlogin mapbox\npassword {v}"],
    ),
    ("vendor-token", nr_license, [JOURNAL + "newrelic-infra: config license_key={v} rejected (403)"]),
    (
        "vendor-token",
        gocardless_token,
        [
            '$ curl https://api.gocardless.com/payments -H "Authorization: Bearer {v}" -H "GoCardless-Version: 2015-07-06"'
        ],
    ),
    ("vendor-token", fcm_server_key, ['const FCM_KEY = "{v}"; // src/push/legacy.ts (removed in 5.3.1)']),
    ("private-key", draw.pk("ssh"), [TL + "Gareth pasted the weighbridge PC's deploy key:\n{v}"]),
    ("generic-api-key", lora_key, ["| bin-00c3 | 70B3D57ED005E1A2 | AppKey {v} | Canal Wharf |"]),
    (
        "generic-api-key",
        teams_workflow_sig,
        [
            "POST https://prod-41.uksouth.logic.azure.com:443/workflows/6d1f0a2e9c8b4e7f9a3b5c1d2e4f6a8b/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={v}"
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{pip} - - [12/Mar/2026:06:14:55 +0000] "POST /ingest/lifts HTTP/1.1" 401 0 "-" "depot-gw/2.1" auth="Basic {v}"'
        ],
    ),
    (
        "bearer-token",
        opaque(56),
        [HIST + "curl -H 'authorization: bearer {v}' http://{pip}:9000/v1/rounds/today"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["$ kubectl -n portal get secret portal-db -o jsonpath='{.data.password}'\n{v}"],
    ),
    ("webhook-url", draw.slack_hook, [ZD + "subcontractor's Slack hook for missed bins: {v}"]),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "MC-{num},Maisie Tolleshunt,{v},,,,",
            ZD + "resident asks us to reply to {v} about the missed green bin",
            "{ts} INFO resident-portal reminder mail sent to={v} round=TUE-3",
            "INSERT INTO contacts (uprn, email) VALUES (100023336956, '{v}');",
            "Reply-To: {v}\nSubject: Re: bulky waste collection 14 March",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "MC-{num},Thaddeus Binwright,,{v},,,",
            ZD + "please ring the resident on {v} before 10am",
            "{ts} INFO resident-portal sms queued to={v} template=BIN_DAY_CHANGE",
            "| Brigid Muckleston | crew lead, Marsh Road | {v} |",
            'driver:\n  name: Casimir Scrapewell\n  mobile: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "MC-{num},Henrietta Cartledge,,,,{v},",
            ZD + "caller read out her card number {v} to the crew member",
            "{ts} ERROR bulky-pay gateway fallback logged card={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} WARN resident-portal 9 failed logins for account 44120 from {v}",
            EXPORT + "MC-{num},Ignatius Tipperton,,,{v},,",
            '{"event":"portal_login","account":44120,"ip":"{v}"}',
            "RDP brute force on weighbridge PC from {v} (PM-26, Windows event 4625)",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '{v} - - [12/Mar/2026:07:41:02 +0000] "GET /api/collections/next HTTP/2" 200',
            "portal login ok account=44120 from {v}",
        ],
    ),
    (
        "iban",
        lambda: draw.iban("GB"),
        [
            EXPORT + "MC-{num},Philippa Greaves,,,,,{v}",
            "GoCardless mandate bank account (Kilnfield café, trade waste): {v}",
        ],
    ),
    (
        "iban",
        lambda: iban_of("IE", rs(UP, 4) + rs(DIG, 14)),
        [ZD + "Irish resident wants the bulky-waste refund to {v}"],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, ["| Rashid Greaves | HGV driver, agency | NI {v} | right-to-work check |"]),
    ("national-id", ssn, [ZD + "US telematics contractor sent his SSN {v} on the invoice form"]),
    ("email", email, ["From: {v}\nTo: missedbins@drossmoor.example\nSubject: third missed collection"]),
    ("phone", phone, ["<crew><lead>Oluwaseun Cartledge</lead><phone>{v}</phone></crew>"]),
    (
        "credit-card",
        card,
        [
            "weighbridge=> SELECT card_no FROM cash_sales WHERE ticket = 88211;\n card_no\n------------------\n {v}"
        ],
    ),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.12.4.9\n(resident portal access log, PM-29)"]),
    ("ipv6", public_v6, ["portal=> SELECT last_ip FROM accounts WHERE id = 44120;\n {v}"]),
    ("phone", phone, [CHAT + "Tomasz's own mobile is {v} if the radio dies"]),
    ("email", email, ["Co-authored-by: Heledd Binwright <{v}>"]),
    ("credit-card", card, ["bulky-waste call notes: paid by card {v}, exp 09/28"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        ["$ git log -1 --format=%H\n{v}", "route-planner image built from {v}", "CI_COMMIT_SHA={v}"],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["reverted {v} (the Mapbox token move)"]),
    (
        "uuid",
        uuid4,
        ["AZURE_TENANT_ID={v}", "application_id: {v}", "x-correlation-id: {v}", "GoCardless creditor {v}"],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        ["$ sha256sum depot-gw_2.1.4_arm64.deb\n{v}  depot-gw_2.1.4_arm64.deb", "firmware_sha256: {v}"],
    ),
    ("hash-or-digest", lambda: "sha256:" + rs(HEX, 64), ["image: registry.dwr.internal/portal/web@{v}"]),
    ("hash-or-digest", hex_n(32), ["bacs file md5 {v}", "Content-MD5 of the tiles bundle: {v}"]),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    (
        "hash-or-digest",
        lambda: "$7$101$" + b64(draw.rbytes(12)) + "$" + b64(draw.rbytes(64)),
        ["# /etc/mosquitto/passwd\ndepot-gw:{v}"],
    ),
    (
        "trace-id",
        hex_n(32),
        ["traceparent: 00-{v}-b7ad6b7169203331-01", "trace.id={v} service.name=resident-portal"],
    ),
    ("trace-id", hex_n(16), ["span_id={v}"]),
    ("ids-and-numbers", lambda: "Q" + rs(UP + DIG, 13), ["PagerDuty incident {v} resolved"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:eks:eu-west-2:{rs(DIG, 12)}:cluster/portal-eks",
        ["$ aws eks update-kubeconfig --name portal-eks  # {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:secretsmanager:eu-west-2:{rs(DIG, 12)}:secret:portal/db-" + rs(ALNUM, 6),
        ["valueFrom: {v}"],
    ),
    ("cloud-resource-id", lambda: "i-0" + rs(HEX, 16), ["airflow runs on {v}"]),
    ("cloud-resource-id", lambda: "lkc-" + rs(LOW + DIG, 5), ["Confluent cluster {v} (bin-lifts topic)"]),
    ("placeholder", lambda: "<TTN_API_KEY>", ["TTN_API_KEY={v}", "$ ttn-lw-cli login --api-key {v}"]),
    (
        "placeholder",
        lambda: "changeme",
        ["  mqtt:\n    username: depot-gw\n    password: {v}  # set per depot", "ARGOCD_ADMIN_PASSWORD={v}"],
    ),
    ("placeholder", lambda: "YOUR_MAPBOX_SECRET_TOKEN", ["MAPBOX_DOWNLOADS_TOKEN={v}"]),
    (
        "placeholder",
        lambda: "0000000000000000000000000000000000000000",
        ["NEW_RELIC_LICENSE_KEY={v}  # .env.example"],
    ),
    (
        "placeholder",
        lambda: "postgres://user:password@localhost:5432/binlifts",
        ["# README: DATABASE_URL={v}"],
    ),
    ("templated-value", lambda: "${{ secrets.SAMSARA_API_TOKEN }}", ["      SAMSARA_API_TOKEN: {v}"]),
    (
        "templated-value",
        lambda: "$CI_REGISTRY_PASSWORD",
        ["$ docker login -u $CI_REGISTRY_USER -p {v} $CI_REGISTRY"],
    ),
    ("templated-value", lambda: "{{ .Values.postgresql.auth.password | b64enc }}", ["  password: {v}"]),
    ("templated-value", lambda: "$(Get-Secret -Name WbSqlPassword -AsPlainText)", ["$pw = {v}"]),
    ("templated-value", lambda: "{{ env_var('DBT_SNOWFLAKE_PASSWORD') }}", ['      password: "{v}"']),
    ("templated-value", lambda: "vault:kv/data/portal/db#password", ["PORTAL_DB_PASSWORD={v}"]),
    (
        "masked-value",
        lambda: "********",
        ["sqlcmd -S wb-sql-1 -U sa -P {v}", "Weighbridge PC login prompt, PM-26 screenshot: Password: {v}"],
    ),
    ("masked-value", lambda: "NRAK-…F3Q", ["New Relic shows the revoked key as {v}"]),
    ("masked-value", lambda: "live_••••••••••••3kTq", ["GoCardless dashboard: token {v}"]),
    ("masked-value", lambda: "**** **** **** 4417", ["bulky waste paid with card {v}"]),
    (
        "keyword-no-value",
        lambda: "psksecret",
        ["RB-9: the FortiGate {v} for depot tunnels moves to certificates."],
    ),
    (
        "keyword-no-value",
        lambda: "AppKey",
        ["Each bin sensor has its own LoRaWAN {v}; losing one only exposes one bin."],
    ),
    (
        "keyword-no-value",
        lambda: "FCM_SERVER_KEY",
        ["PM-24: {v} was in the APK's strings.xml; the legacy API is off now."],
    ),
    ("keyword-no-value", lambda: "GenieKey", ["Opsgenie's {v} header replaces the old query-string key."]),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["mosquitto listening on {v}:8883", "$ ssh wbadmin@{v}", "weighbridge indicator at {v}"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["the runbook's sample gateway {v}"]),
    ("private-or-reserved-ip", lambda: f"10.12.{rng.randint(0, 255)}.0/24", ["depot LAN {v}"]),
    ("example-email", lambda: f"{rng.choice(STAFF)}@drossmoor.example", ["Signed-off-by: {v}"]),
    ("example-email", lambda: "resident@example.com", ['{"email":"{v}","uprn":"100023336956"}']),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["aws_secret_access_key = {v}  # AWS docs sample"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["Stripe's docs show {v} as the sample test key"],
    ),
    (
        "vendor-example-key",
        lambda: "AKIAI44QH8DHBEXAMPLE",
        ["aws_access_key_id = {v}  # from the AWS CLI guide"],
    ),
    (
        "version-or-date",
        lambda: f"4.{rng.randint(3, 9)}.{rng.randint(0, 20)}",
        ["ChirpStack {v} upgrade", "upgraded depot-gw to chirpstack-gateway-bridge {v}"],
    ),
    ("version-or-date", iso, ["telemetry stopped at {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " wbadmin@weighbridge-pc",
        ["# authorized_keys on sftp-gw\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem_block("MIIDqzCCApOgAwIBAgIUQ"),
        ["# mqtt-2 server certificate\n{v}"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["# resident portal JWKS key (exported)\n{v}"]),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nAllowedIPs = 10.12.0.0/16"],
    ),
    ("ids-and-numbers", mapbox_public, ["MAPBOX_ACCESS_TOKEN={v}  # public pk. token (URL-restricted)"]),
    ("ids-and-numbers", lambda: rs(UPHEX, 16), ["DevEUI {v} (bin-00a7)", "join_eui: {v}"]),
    ("ids-and-numbers", lambda: "E280" + rs(UPHEX, 20), ["RFID tag {v} read at Canal Wharf"]),
    ("ids-and-numbers", lambda: rs(UP + DIG, 16), ["CONFLUENT_API_KEY={v}"]),
    ("ids-and-numbers", lambda: "NRJS-" + rs(HEX, 19), ["browser agent licenseKey: '{v}'"]),
    (
        "ids-and-numbers",
        lambda: f"https://{rs(HEX, 32)}@o{rs(DIG, 6)}.ingest.de.sentry.io/{rs(DIG, 7)}",
        ["SENTRY_DSN={v}"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(UP, 2)}{rng.randint(21, 25)} {rs(UP, 3)}",
        ["vehicle {v} on round TUE-3", "RCV {v} off road at {depot}"],
    ),
    ("ids-and-numbers", lambda: f"WB-{rs(DIG, 6)}", ["weighbridge ticket {v}, 11.42 t mixed recycling"]),
    ("ids-and-numbers", lambda: "1000" + rs(DIG, 8), ["UPRN {v}"]),
    ("ids-and-numbers", lambda: "P" + rs(UP + DIG, 6), ["PagerDuty service {v} (bin-telemetry)"]),
    (
        "ids-and-numbers",
        lambda: "DWR-" + str(rng.randint(100, 999)),
        ["Jira {v}: move the Geotab password to Vault"],
    ),
    ("ids-and-numbers", lambda: ":".join(rs(HEX, 2) for _ in range(6)), ["depot-gw NIC {v}"]),
    ("ids-and-numbers", lambda: rs(HEX, 8), ["Vonage api_key {v} (the secret stays in Vault)"]),
    ("luhn-fail-number", luhn_bad, ["BACS submission ref {v}", "Geotab device serial {v}"]),
    ("documented-test-card", lambda: "4242 4242 4242 4242", ["bulky-waste checkout tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"bin":"00a7","fill":82,"lift":true}'), ["frm_payload: {v}"]),
    ("base64-nonsecret", lambda: b64(b"depot-gw-kilnfield"), ["$ echo -n depot-gw-kilnfield | base64\n{v}"]),
    (
        "encrypted-value",
        lambda: draw.sops_value(),
        ["# envs/portal-eks/secrets.enc.yaml\ngeotab_password: {v}"],
    ),
    (
        "encrypted-value",
        lambda: "01000000d08c9ddf0115d1118c7a00c04fc297eb" + rs(HEX, 120),
        ["full address:s:wb-sql-1\nusername:s:DWR\\wbadmin\npassword 51:b:{v}"],
    ),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(3)),
        ["mosquitto_bridge_password: !vault |\n{v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2a$10$"),
        ["  admin.password: {v}\n  admin.passwordMtime: '2026-03-12T06:30:00Z'"],
    ),
    (
        "hash-or-digest",
        lambda: "0x0200" + rs(UPHEX, 136),
        ["1> SELECT password_hash FROM sys.sql_logins WHERE name = 'wb_app';\n2> GO\n{v}"],
    ),
    (
        "hash-or-digest",
        lambda: "$9$" + rs(CRYPT, 14) + "$" + rs(CRYPT, 43),
        ["username netops privilege 15 secret 9 {v}"],
    ),
    ("hash-or-digest", lambda: "sha256=" + rs(HEX, 64), ["X-Hub-Signature-256: {v}"]),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("trace-id", lambda: rs(HEX, 32), ["Honeycomb trace {v} shows the 30 s MQTT reconnect"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#bin-lift-alerts)"]),
    (
        "ids-and-numbers",
        lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
        ["GOOGLE_OAUTH_CLIENT_ID={v}"],
    ),
    ("ids-and-numbers", lambda: "1:" + rs(DIG, 12) + ":android:" + rs(HEX, 22), ["mobilesdk_app_id: {v}"]),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["TWILIO_ACCOUNT_SID={v}"]),
    ("ids-and-numbers", lambda: rs(DIG, 6), ["BACS service user number {v}"]),
    ("ids-and-numbers", lambda: "MD" + rs(UP + DIG, 12), ["GoCardless mandate {v} cancelled"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/airflow-snowflake-loader",
        ["STORAGE_AWS_ROLE_ARN = '{v}'"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-dwr-bc/providers/Microsoft.KeyVault/vaults/kv-dwr-bc"
        ),
        ["key vault {v}"],
    ),
    (
        "placeholder",
        lambda: "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX",
        ["  slack_configs:\n  - api_url: {v}  # template"],
    ),
    (
        "placeholder",
        lambda: (
            "-----BEGIN OPENSSH PRIVATE KEY-----\n[redacted by Zendesk]\n-----END OPENSSH PRIVATE KEY-----"
        ),
        ["# what the ticket shows after the redaction app ran\n{v}"],
    ),
    ("placeholder", lambda: "<psk>", ["        set psksecret {v}"]),
    ("placeholder", lambda: "sk_live_REPLACE_ME", ["STRIPE_SECRET_KEY={v}  # bulky-pay .env.sample"]),
    ("templated-value", lambda: "%(WB_SQL_PASSWORD)s", ["[weighbridge]\npassword = {v}"]),
    ("templated-value", lambda: "${var.snowflake_password}", ["  password = {v}"]),
    (
        "templated-value",
        lambda: "$__env{GRAFANA_SA_TOKEN}",
        ["    secureJsonData:\n      httpHeaderValue1: Bearer {v}"],
    ),
    ("masked-value", lambda: "sntrys_…(redacted)", ["sentry audit log: token {v} created by heledd"]),
    ("masked-value", lambda: "NNSXS.XXXX…", ["TTN console lists the key as {v}"]),
    (
        "keyword-no-value",
        lambda: "Private-Lines",
        ["PM-26: a .ppk file is a private key; its {v} section must never leave the PC."],
    ),
    ("keyword-no-value", lambda: "client_secret", ["Looker API3 {v} rotation is RB-9 step 6."]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -s http://{v}/latest/meta-data/iam/security-credentials/airflow-snowflake-loader"],
    ),
    ("private-or-reserved-ip", lambda: f"fd12:{rs(HEX, 4)}::{rng.randint(2, 99)}", ["depot VLAN ULA {v}"]),
    ("version-or-date", lambda: "2026-03-12", ["| {v} | PM-21 | bin-lift telemetry down 05:58-09:10 |"]),
    ("version-or-date", lambda: "LoRaWAN 1.0.3 / RP002-1.0.1", ["sensors speak {v}"]),
    ("public-key-or-cert", draw.ec_pub_pem, ["# driver-app update signing (public half)\n{v}"]),
    (
        "public-key-or-cert",
        lambda: (
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ"
            + rs(B64, 59)
            + "\n"
            + rs(B64, 64)
            + "\n="
            + rs(B64, 4)
            + "\n-----END PGP PUBLIC KEY BLOCK-----"
        ),
        ["# bureau's public key for BACS files\n{v}"],
    ),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("base64-nonsecret", lambda: b64url(b'{"alg":"RS256","kid":"portal-2026"}'), ["JWT header only: {v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO cash_sales (receipt) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "4000000000000077", ["bulky-pay staging run used Stripe test card {v}"]),
    ("git-sha", sha40, ["| {t} | {who} rolled resident-portal back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM lift_events WHERE batch_id = '{v}';", "  <RoundId>{v}</RoundId>"]),
    ("example-email", lambda: "noreply@notify.drossmoor.example", ["From: Drossmoor Bin Reminders <{v}>"]),
    (
        "encrypted-value",
        lambda: "AQICAHh" + b64(draw.rbytes(120)),
        [
            "$ aws kms encrypt --key-id alias/portal --plaintext fileb://pw.txt --query CiphertextBlob --output text\n{v}"
        ],
    ),
    ("encrypted-value", lambda: draw.sealed(130), ["  encryptedData:\n    GEOTAB_PASSWORD: {v}"]),
    ("cloud-resource-id", lambda: "sg-0" + rs(HEX, 16), ['vpc_security_group_ids = ["{v}"]']),
    (
        "templated-value",
        lambda: "$(vault kv get -field=token kv/ci/samsara)",
        ["$ export SAMSARA_API_TOKEN={v}"],
    ),
    (
        "ids-and-numbers",
        lambda: f"round-{rs(LOW, 3)}-{rs(DIG, 2)}-{rs(LOW + DIG, 5)}",
        ["route-planner job id={v} depot=KLN"],
    ),
    ("version-or-date", lambda: "WeighbridgeSync 3.4.217", ["> Get-Package Weighbridge*\n{v}  msi"]),
    (
        "ids-and-numbers",
        lambda: "<" + rs(HEX, 16) + "@notify.drossmoor.example>",
        ["Message-ID: {v}\nSubject: PM-29 missed-collections export"],
    ),
    (
        "hash-or-digest",
        hex_n(40),
        ['GET /tiles/14/8061/5371.pbf HTTP/1.1\nHost: tiles.drossmoor.example\nIf-None-Match: "{v}"'],
    ),
    ("ids-and-numbers", lambda: "SN" + rs(DIG, 10), ["Geotab GO9 serial G9{v}"]),
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
    r"|\.atlasv1\.|webhooks/\d{10}|hooks/catch/\d|NNSXS\.[A-Z2-7]{10}|samsara_api_|sk\.eyJ|APA91b|NRAK-[A-Z0-9]{10}|[a-f0-9]{36}NRAL"
    r"|NRII-|hcaik_|sntry[su]_|glsa_|live_[\w-]{30}|hvs\.|dckr_pat_|CCIPAT_|ATATT3|sk-proj-|sig=[\w-]{30}|integration/[a-f0-9]{32}"
    r"|PRIVATE KEY(?: BLOCK)?-----(?:\n|\\n)\s*[A-Za-z0-9]|Private-Lines: 1\n[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|(?i:Bearer) [A-Za-z0-9._-]{20}|GenieKey [a-f0-9]{8}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psksecret|community)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes; a Sentry DSN's host is not a mailbox either.
OK_MAIL_44 = re.compile(
    OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal|o\d+\.ingest\.[\w.]*sentry\.io)$"
)

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_44,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "ids-and-numbers"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t44", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
