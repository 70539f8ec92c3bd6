# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test35.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test35.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270135)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a satellite ground-station operator, Cairnloft Ground Segment (CGS):
PM-14 the pass-scheduler outage in the November geomagnetic storm (Kafka, Redis, CockroachDB,
Consul), PM-17 the telemetry-archive credential leak (ClickHouse, MinIO, Cassandra, Grafana Cloud),
PM-19 the mission-portal app config leak (Info.plist, google-services.json, Expo, Sentry), RB-3
rotating customer data-delivery credentials (S3, Azure Blob SAS, GCS signed URLs, Planet,
Space-Track, NTRIP), RB-6 the antenna-controller firmware pipeline (GitLab CI, Buildkite, Harbor,
PyPI, Docker Hub), ADR-11 paging on failed passes (PagerDuty, Twilio, Pushover, Mattermost,
Telegram), ADR-13 moving secrets into Vault, Doppler and 1Password (WireGuard, age) and PM-21 a
customer billing export (Braintree, Adyen, Stripe, cards, IBANs, phones). Common shapes come first
in each kind (``t35p…``/``t35n…``).
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
OUT = HERE / "planted_test35.jsonl"
FOLD = "test35"
rng = Random(20270135)
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
    "azimuth",
    "perigee",
    "downlink",
    "radome",
    "uplink",
    "doppler",
    "ephemeris",
    "feedhorn",
    "polarity",
    "aurora",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["acu-ops", "archive-ro", "fw-publisher", "pager-relay", "delivery"], WORDS)


def portal_jwt() -> str:
    body = {
        "iss": "https://id.cairnloft.example/realms/customers",
        "sub": uuid4(),
        "azp": "mission-portal",
        "scope": "passes:read deliveries:read",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 43)}, body, rs(B64URL, 342))


def sched_jwt() -> str:
    body = {"sub": "pass-scheduler", "aud": "acu-gateway", "iat": rng.randint(1_790_000_000, 1_799_000_000)}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def doppler_token() -> str:
    return "dp.st." + rng.choice(["prd", "stg", "dev_acu"]) + "." + rs(ALNUM, 40)


def doppler_sa() -> str:
    return "dp.sa." + rs(ALNUM, 43)


def pagerduty_key() -> str:
    return rs(ALNUM + "_-", 19) + rng.choice(ALNUM)


def buildkite_token() -> str:
    return "bkua_" + rs(HEX, 40)


def onepassword_sa() -> str:
    body = {
        "signInAddress": "cairnloft.1password.eu",
        "userAuth": {
            "method": "SRPg-4096",
            "alg": "PBES2g-HS256",
            "iterations": 650000,
            "salt": rs(B64URL, 22),
        },
        "email": rs(LOW + DIG, 13) + "@1passwordserviceaccounts.eu",
        "srpX": rs(HEX, 64),
        "muk": {
            "alg": "A256GCM",
            "ext": True,
            "k": rs(B64URL, 43),
            "key_ops": ["encrypt", "decrypt"],
            "kty": "oct",
            "kid": "mp",
        },
        "secretKey": "A3-" + "-".join(rs(UP + DIG, n) for n in (6, 6, 5, 5, 5, 5)),
        "deviceUuid": rs(LOW + DIG, 26),
    }
    return "ops_" + b64url(json.dumps(body, separators=(",", ":")).encode())


def sentry_org_token() -> str:
    head = {
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
        "url": "https://sentry.io",
        "region_url": "https://de.sentry.io",
        "org": "cairnloft",
    }
    return "sntrys_" + b64url(json.dumps(head, separators=(",", ":")).encode()) + "_" + rs(B64, 43)


def sentry_user_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def grafana_cloud_token() -> str:
    body = {
        "o": str(rng.randint(100_000, 999_999)),
        "n": "archive-" + rs(LOW, 5),
        "k": rs(ALNUM, 24),
        "m": {"r": "prod-eu-west-2"},
    }
    return "glc_" + b64url(json.dumps(body, separators=(",", ":")).encode())


def planet_key() -> str:
    return "PLAK" + rs(HEX, 32)


def minio_secret() -> str:
    return rs(ALNUM, 40)


def harbor_secret() -> str:
    return rs(ALNUM, 32)


def pypi_token() -> str:
    return "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 140)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def confluent_secret() -> str:
    return rs(ALNUM + "+/", 64)


def braintree_token() -> str:
    return "access_token$production$" + rs(LOW + DIG, 16) + "$" + rs(HEX, 32)


def adyen_key() -> str:
    return "AQE" + rs(B64, 97) + "==-" + b64(draw.rbytes(32)) + "-" + rs(ALNUM, 16)


def pushover_token() -> str:
    return rng.choice("au") + rs(LOW + DIG, 29)


def mattermost_hook() -> str:
    return "https://chat.cairnloft.example/hooks/" + rs(LOW + DIG, 26)


def logicapp_hook() -> str:
    return (
        f"https://prod-{rng.randint(10, 99)}.westeurope.logic.azure.com:443/workflows/{rs(HEX, 32)}"
        f"/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={rs(B64URL, 43)}"
    )


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSy{rs(B64URL, 33)}&token={rs(B64URL, 43)}"


def cloudflare_token() -> str:
    return rs(B64URL, 40)


def telegram_token() -> str:
    return f"{rng.randint(10**9, 7 * 10**9)}:AA" + rs(B64URL, 33)


def vault_token() -> str:
    return "hvs." + rs(ALNUM, 24)


def gcs_signature() -> str:
    return rs(HEX, 512)


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def rails_cookie() -> str:
    return rs(B64, 120).replace("+", "%2B").replace("/", "%2F") + "--" + rs(HEX, 40)


def django_session() -> str:
    return rs(LOW + DIG, 32)


def sle_password() -> str:
    return rs(HEX.upper(), 32)


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["leocadia", "fergus", "amarantha", "osric", "delphine", "barnaby", "isolde", "cormac", "henrike"]
LAST = ["strathdee", "ketteridge", "balfour", "mcquarrie", "vanterpool", "harcastle", "dunsinane"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "gmx.at",
    "hotmail.co.uk",
    "mail.com",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = [
    "pass-scheduler",
    "acu-gateway",
    "telemetry-archive",
    "iq-recorder",
    "mission-portal",
    "pager-relay",
    "tle-fetcher",
]
STAFF = ["ottilie", "bramwell", "sunniva", "ifeoma", "teodor", "marisol", "eilidh", "kwabena"]
HOSTS = ["acu-krn-2", "sched-1", "arch-ch-3", "kafka-2", "vault-1", "build-2", "iqrec-trm-1"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "site": lambda: rng.choice(["KRN", "TRM", "AWU", "HLS", "PVN"]),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 900)),
}

TL = "| {t} | #cgs-incident | {who}: "
CHAT = "[{t}] {who} (#pass-ops): "
FD = "Freshdesk #{tkt} (private note, {who}): "
HIST = "  {num}  "
GLCI = "Running with gitlab-runner 17.5.1 (on build-2)\n$ ./ci/sign-acu-fw.sh\n"
PYTRACE = 'Traceback (most recent call last):\n  File "/opt/archive/flush.py", line 131, in flush\n    client.insert("frames", rows)\n'
GOTRACE = "panic: acu dial failed\n\ngoroutine 17 [running]:\nmain.(*Gateway).dial(...)\n\t/src/acu-gateway/gateway.go:212 +0x2a8\n"
JAVATRACE = 'Exception in thread "sched-worker-3" org.apache.kafka.common.errors.SaslAuthenticationException: Authentication failed\n\tat org.apache.kafka.clients.NetworkClient.poll(NetworkClient.java:590)\n'
NODETRACE = "Error: 401 Unauthorized\n    at Pager.send (/app/pager-relay/src/pager.js:48:13)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
RSTRACE = "thread 'tokio-runtime-worker' panicked at src/recorder.rs:77:18:\ncalled `Result::unwrap()` on an `Err` value: "
CSTRACE = "Unhandled exception. System.Data.SqlClient.SqlException (0x80131904): Login failed for user 'billing'.\n   at Cgs.Billing.Export.Run() in /src/Billing/Export.cs:line 54\n"
RBTRACE = "Braintree::AuthenticationError (Braintree::AuthenticationError)\n  from /app/lib/billing_sync.rb:22:in `charge'\n"
SCHEDLOG = "{ts} pass-scheduler[2231]: "
ARCHLOG = "{ts} telemetry-archive[904]: "
EXPORT = "customer_id,contact,email,phone,src_ip,card,iban\n"
GSJ = "// android/app/google-services.json\n"
PLIST = "<!-- ios/MissionPortal/Info.plist -->\n"
APPJSON = "// mission-portal/app.json\n"
UNIT = "# /etc/systemd/system/acu-gateway.service\n[Service]\n"
CRON = "# crontab -l (tle-fetcher@sched-1)\n"
NGINX = "# /etc/nginx/conf.d/portal.conf\nlocation /deliveries/ {\n"
APACHE = "# /etc/httpd/conf.d/archive.conf\n"
TFV = "# envs/delivery/terraform.tfvars\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws groundstation list-contacts --region eu-north-1  # AWS_ACCESS_KEY_ID={v}",
            "[cgs-delivery]\naws_access_key_id = {v}\nregion = eu-north-1",
            "  variables:\n    AWS_ACCESS_KEY_ID: {v}\n    AWS_DEFAULT_REGION: eu-north-1",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[cgs-delivery]\naws_secret_access_key = {v}",
            "$ AWS_SECRET_ACCESS_KEY={v} aws s3 cp ./L0 s3://cgs-deliveries/ --recursive",
            TFV + 'delivery_secret_key = "{v}"',
        ],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://cgsdeliveries.blob.core.windows.net/customer-0412/L1?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-12-01T00:00:00Z&spr=https&sig={v}",
            "$ azcopy copy ./L0 'https://cgsdeliveries.blob.core.windows.net/raw?sv=2022-11-02&sr=c&sp=racwl&sig={v}' --recursive",
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=cgsdeliveries;AccountKey={v};EndpointSuffix=core.windows.net",
            "$ az storage blob list -c raw --account-name cgsdeliveries --account-key {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$ConnectionString" password="Endpoint=sb://cgs-telemetry.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}";',
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        ["AZURE_CLIENT_SECRET={v}", "$ az login --service-principal -u {uuid} -p {v} --tenant {uuid}"],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        [
            PLIST + "<key>API_KEY</key>\n<string>{v}</string>",
            GSJ + '"api_key": [ { "current_key": "{v}" } ],',
            APPJSON + '"android": { "config": { "googleMaps": { "apiKey": "{v}" } } }',
        ],
    ),
    (
        "gcp-key",
        gcs_signature,
        [
            "https://storage.googleapis.com/cgs-l1-eu/pass-88213/iq.sigmf-data?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=604800&X-Goog-SignedHeaders=host&X-Goog-Signature={v}",
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"cgs-archive","private_key":"{v}","client_email":"l1-export@cgs-archive.iam.gserviceaccount.com"}',
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ gh auth login --with-token <<< {v}",
            "$ git clone https://acu-bot:{v}@github.com/cairnloft/acu-firmware.git",
            CHAT + "temporary token for the tle-fetcher repo: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        [
            "$ gitlab-runner register --url https://gitlab.cairnloft.internal --token {v} --executor docker",
            '[[runners]]\n  name = "build-2"\n  url = "https://gitlab.cairnloft.internal"\n  token = "{v}"',
            "PRIVATE-TOKEN: {v}",
        ],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            "SLACK_BOT_TOKEN={v}",
            "$ curl -sd token={v} -d channel=C07PASSOPS https://slack.com/api/chat.postMessage",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "pager-relay:\n  slack:\n    url: {v}",
            '$ curl -X POST --data-urlencode \'payload={"text":"KRN pass 88213 lost lock"}\' {v}',
        ],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        ["STRIPE_API_KEY={v}", "$ stripe invoices list --api-key {v} --limit 5"],
    ),
    ("stripe-key", draw.stripe_whsec, ["stripe.webhook-secret={v}"]),
    (
        "jwt",
        portal_jwt,
        [
            "GET /v1/passes?site=KRN HTTP/1.1\nHost: api.cairnloft.example\nAuthorization: Bearer {v}",
            "$ curl -s 'https://api.cairnloft.example/v1/deliveries?access_token={v}'",
        ],
    ),
    (
        "jwt",
        sched_jwt,
        ["ACU_GATEWAY_JWT={v}", "X-Sched-Assertion: {v}", UNIT + 'Environment="ACU_JWT={v}"'],
    ),
    ("private-key", draw.pk("rsa"), ["# keys/acu-fw-signing.pem (left in the Buildkite artifact)\n{v}"]),
    ("private-key", draw.pk("pkcs8"), ["# AuthKey_4RZ8T2.p8 (App Store Connect, PM-19)\n{v}"]),
    ("private-key", draw.pk("ec", "      "), ["spec:\n  tls:\n    key: |\n      {v}"]),
    ("private-key", draw.pk("ssh"), ["$ cat ~/.ssh/id_ed25519   # on build-2\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "ARCHIVE_DSN=clickhouse://ingest:{v}@arch-ch-3.cairnloft.internal:9440/telemetry?secure=true",
            "$ cockroach sql --url 'postgresql://sched:{v}@{pip}:26257/passes?sslmode=verify-full'",
            "redis_url: rediss://default:{v}@{pip}:6380/0",
            "spring.data.mongodb.uri=mongodb+srv://portal:{v}@cgs-portal.k2x9q.mongodb.net/portal",
            "NEO4J_URI=neo4j+s://neo4j:{v}@graph.cairnloft.internal:7687",
            "$ str2str -in ntrip://cgs-rtk:{v}@caster.cairnloft.internal:2101/KRN0 -out tcpsvr://:5001",
            "$ pip install --index-url https://ci:{v}@nexus.cairnloft.internal/repository/pypi/simple cgs-acu",
        ],
    ),
    (
        "password-in-url",
        letters_pw,
        [
            "$ sqlplus acu_ops/{v}@//ora-1.cairnloft.internal:1521/PASSDB",
            "smtp_url: smtps://alerts:{v}@{pip}:465",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "MINIO_ROOT_PASSWORD={v}",
            "[client]\nuser = archive\npassword = {v}",
            '[database]\nhost = "{pip}"\nuser = "sched"\npassword = "{v}"',
            "  <password>{v}</password>\n</server>",
            'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="sched" password="{v}";',
            APACHE
            + 'AuthLDAPBindDN "cn=svc-archive,ou=svc,dc=cairnloft,dc=internal"\nAuthLDAPBindPassword "{v}"',
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ clickhouse-client --host arch-ch-3 --secure --user ingest --password {v}",
            "$ cqlsh -u telemetry -p {v} {pip} 9042",
            "$ mongosh 'mongodb://{pip}:27017/portal' -u portal -p {v}",
            "$ db2 connect to PASSDB user acuops using {v}",
            "$ isql-fb -user SYSDBA -password {v} {pip}:/data/acu.fdb",
            "CREATE USER sched_ro IDENTIFIED BY '{v}';",
            "$ docker login harbor.cairnloft.internal -u 'robot$acu-ci' -p {v}",
            "{pip}:6379> AUTH default {v}\nOK",
        ],
    ),
    (
        "password-assignment",
        sle_password,
        [
            '<sle-peer id="KRN-RAF-1">\n  <authority-id>CGSKRN</authority-id>\n  <peer-password>{v}</peer-password>\n</sle-peer>'
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "POST /ajaxauth/login HTTP/1.1\nHost: www.space-track.org\nContent-Type: application/x-www-form-urlencoded\n\nidentity=tle-fetcher%40cairnloft.example&password={v}",
            "Driver={ODBC Driver 18 for SQL Server};Server=tcp:{pip},1433;Database=billing;Uid=billing;Pwd={v};Encrypt=yes;",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"harbor.cairnloft.internal":{"auth":"{v}"}}}',
            NGINX + '    proxy_set_header Authorization "Basic {v}";\n}',
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u archive-ro:{v} https://grafana.cairnloft.internal/api/dashboards/uid/passes",
            "$ etcdctl --endpoints https://{pip}:2379 --user root:{v} get /sched/leader",
        ],
    ),
    (
        "bearer-token",
        opaque(48),
        [
            "Authorization: Bearer {v}",
            APACHE + 'RequestHeader set Authorization "Bearer {v}"',
        ],
    ),
    ("vendor-token", doppler_token, ["$ doppler run --token {v} -- ./pass-scheduler"]),
    ("vendor-token", doppler_sa, ["$ doppler configure set token {v} --scope /srv/acu-gateway"]),
    ("vendor-token", pagerduty_key, ["PAGERDUTY_API_KEY={v}", "Authorization: Token token={v}"]),
    (
        "vendor-token",
        hex_n(32),
        ['pagerduty:\n  routing_key: "{v}"', "  pagerduty_configs:\n    - service_key: {v}"],
    ),
    (
        "vendor-token",
        buildkite_token,
        ["BUILDKITE_API_TOKEN={v}", "$ bk configure --org cairnloft --token {v}"],
    ),
    ("vendor-token", onepassword_sa, ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    (
        "vendor-token",
        sentry_org_token,
        ["SENTRY_AUTH_TOKEN={v}", "$ sentry-cli --auth-token {v} releases new portal@3.2.0"],
    ),
    ("vendor-token", sentry_user_token, ["[auth]\ntoken={v}"]),
    ("vendor-token", grafana_cloud_token, ['basic_auth {\n  username = "812044"\n  password = "{v}"\n}']),
    (
        "vendor-token",
        planet_key,
        ["PL_API_KEY={v}", "$ curl -s 'https://api.planet.example/data/v1/searches?api_key={v}'"],
    ),
    (
        "vendor-token",
        minio_secret,
        ["$ mc alias set cgs https://minio.cairnloft.internal archive-writer {v}"],
    ),
    ("vendor-token", harbor_secret, ['{"name":"robot$acu-ci","secret":"{v}"}']),
    (
        "vendor-token",
        pypi_token,
        ["[pypi]\nusername = __token__\npassword = {v}", "$ twine upload -u __token__ -p {v} dist/*"],
    ),
    ("vendor-token", dockerhub_pat, ["$ echo {v} | docker login -u cairnloftci --password-stdin"]),
    ("vendor-token", confluent_secret, ["CONFLUENT_API_SECRET={v}"]),
    ("vendor-token", braintree_token, ["BRAINTREE_ACCESS_TOKEN={v}"]),
    ("vendor-token", hex_n(32), ["braintree:\n  merchant_id: cgs7x2\n  private_key: {v}"]),
    ("vendor-token", adyen_key, ["X-API-Key: {v}", "ADYEN_API_KEY={v}"]),
    (
        "vendor-token",
        pushover_token,
        [
            "$ curl -s -F 'token={v}' -F \"user=$PUSHOVER_GROUP\" -F 'message=KRN pass lost' https://api.pushover.net/1/messages.json"
        ],
    ),
    (
        "vendor-token",
        cloudflare_token,
        ["CLOUDFLARE_API_TOKEN={v}", 'provider "cloudflare" {\n  api_token = "{v}"\n}'],
    ),
    (
        "vendor-token",
        telegram_token,
        ["$ curl 'https://api.telegram.org/bot{v}/sendMessage?chat_id=-1002231&text=pass+lost'"],
    ),
    ("vendor-token", opaque(32), ["twilio.api-key.secret={v}"]),
    ("vendor-token", uuid4, ["CONSUL_HTTP_TOKEN={v}", "X-Consul-Token: {v}"]),
    ("vendor-token", vault_token, ["$ export VAULT_TOKEN={v}\n$ vault kv get cgs/acu"]),
    (
        "vendor-token",
        draw.wireguard_key,
        ["[Interface]\nAddress = 10.77.0.2/24\nPrivateKey = {v}\nListenPort = 51820"],
    ),
    (
        "vendor-token",
        draw.age_secret_key,
        ["# created: 2026-10-02T09:14:00Z\n# public key: see ADR-13 appendix\n{v}"],
    ),
    (
        "generic-api-key",
        opaque(32),
        [
            "ACU_GATEWAY_API_KEY={v}",
            "X-Cgs-Api-Key: {v}",
            "*/10 * * * * curl -fsS 'https://tle.cairnloft.example/v2/refresh?key={v}' >/dev/null",
            "$ ./acuctl --endpoint {pip}:7443 --api-key {v} stow",
            NGINX + '    proxy_set_header X-Archive-Key "{v}";\n}',
        ],
    ),
    ("generic-api-key", hex_n(32), ["<apiKey>{v}</apiKey>"]),
    ("generic-api-key", rails_cookie, ["Cookie: _cgs_portal_session={v}"]),
    (
        "generic-api-key",
        django_session,
        [
            "Set-Cookie: sessionid={v}; expires=Sat, 12 Dec 2026 10:00:00 GMT; HttpOnly; Path=/; SameSite=Lax; Secure"
        ],
    ),
    ("generic-api-key", hex_n(64), ["django.secret_key = '{v}'"]),
    (
        "generic-api-key",
        opaque(40),
        [
            "KEYCLOAK_CLIENT_SECRET={v}",
            "$ kcadm.sh config credentials --server https://id.cairnloft.example --realm master --client admin-cli --secret {v}",
        ],
    ),
    ("webhook-url", mattermost_hook, ["MATTERMOST_WEBHOOK={v}"]),
    ("webhook-url", logicapp_hook, ["  teams:\n    workflow_url: {v}"]),
    ("webhook-url", gchat_hook, ["GCHAT_WEBHOOK={v}"]),
    ("webhook-url", draw.discord_hook, ["DISCORD_PASSES_HOOK={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: clickhouse-ingest\ntype: Opaque\ndata:\n  password: {v}",
            "data:\n  SPACETRACK_PASSWORD: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [GOTRACE + "error: operation error S3: PutObject, InvalidAccessKeyId: {v}"]),
    ("aws-key", draw.aws_secret, ["| 04:17 | {who} | pasted `{v}` into the customer bridge call |"]),
    (
        "password-in-url",
        plain_pw,
        [
            PYTRACE
            + "clickhouse_connect.driver.exceptions.DatabaseError: HTTPDriver for https://ingest:{v}@{pip}:8443 returned 516",
            JAVATRACE + "\tcaused by bootstrap url sasl_ssl://sched:{v}@{pip}:9093",
            TL + "failover archive: clickhouse://ingest:{v}@{pip}:9440",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "[cassandra]\nusername = telemetry\npassword = {v}",
            '{"consul":{"address":"{pip}:8500"},"redis":{"password":"{v}"}}',
            RSTRACE + 'Auth { user: "iqrec", pass: "{v}" }',
            CSTRACE + "   connection: Server={pip};Database=billing;User Id=billing;Password={v};",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-3 step 5 | new Space-Track password | {v} |",
            "$ sshpass -p '{v}' ssh ops@acu-krn-2",
            'let portalApiPassword = "{v}"  // MissionPortal/Env.swift',
            FD + "customer says their delivery SFTP password {v} stopped working",
        ],
    ),
    ("jwt", portal_jwt, ["Sentry issue PORTAL-7Q: 401 on /v1/passes with token {v}"]),
    ("jwt", sched_jwt, [SCHEDLOG + "acu-gateway refused assertion {v}"]),
    (
        "github-token",
        draw.gh_token,
        [
            GLCI
            + "fatal: could not read from 'https://x-access-token:{v}@github.com/cairnloft/tle-tools.git/'"
        ],
    ),
    ("slack-token", draw.slack_token, [NODETRACE + "    at slack token {v}"]),
    ("stripe-key", draw.stripe_key, [FD + "the portal's checkout page source had {v} in it"]),
    (
        "vendor-token",
        pagerduty_key,
        [
            NODETRACE
            + "  request: GET https://api.pagerduty.com/incidents headers={Authorization: 'Token token={v}'}"
        ],
    ),
    (
        "vendor-token",
        planet_key,
        [ARCHLOG + "planet fetch failed: 401 for https://api.planet.example/basemaps/v1/mosaics?api_key={v}"],
    ),
    ("vendor-token", braintree_token, [RBTRACE + "  config.access_token = {v}"]),
    ("vendor-token", doppler_token, [TL + "Doppler service token {v} was in the Helm values, rotating"]),
    (
        "vendor-token",
        minio_secret,
        [
            '$ cat ~/.mc/config.json | jq .aliases.cgs\n{\n  "url": "https://minio.cairnloft.internal",\n  "accessKey": "archive-writer",\n  "secretKey": "{v}"\n}'
        ],
    ),
    (
        "vendor-token",
        uuid4,
        ["$ consul acl bootstrap -http-addr={pip}:8500\nAccessorID:   {uuid}\nSecretID:     {v}"],
    ),
    (
        "vendor-token",
        sentry_user_token,
        ["sched=> SELECT value FROM settings WHERE key = 'sentry_token';\n {v}"],
    ),
    ("private-key", draw.pk("rsa"), [TL + "ACU signing key, please don't forward:\n{v}"]),
    (
        "generic-api-key",
        opaque(32),
        [
            "{ts} DEBUG tle-fetcher GET https://celestrak.example/NORAD/elements/gp.php?GROUP=active&FORMAT=tle&apikey={v}",
            '{pip} - - [03/Nov/2026:04:12:55 +0000] "GET /v2/passes/export?site=TRM&token={v} HTTP/1.1" 200 88121',
        ],
    ),
    (
        "generic-api-key",
        django_session,
        ["Cookie: csrftoken=Zx91; sessionid={v}\n(mission-portal access log, PM-19)"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{ts} WARN pager-relay retry POST https://events.cairnloft.internal/v2/enqueue hdr="Authorization: Basic {v}"'
        ],
    ),
    (
        "bearer-token",
        opaque(56),
        ["{ts} WARN mission-portal upstream headers={'Authorization': 'Bearer {v}'}"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["$ kubectl -n archive get secret/clickhouse-ingest -o jsonpath='{.data.password}'\n{v}"],
    ),
    ("webhook-url", mattermost_hook, [CHAT + "new hook for ~pass-failures: {v}"]),
    (
        "gcp-key",
        draw.gcp_oauth_secret,
        [GSJ + '"oauth_client": [ { "client_id": "web", "client_secret": "{v}" } ]'],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            CRON
            + "0 2 * * * azcopy sync /data/L0 'https://cgsdeliveries.blob.core.windows.net/raw?sv=2022-11-02&sr=c&sp=rwl&sig={v}'"
        ],
    ),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "c{num},Leocadia Strathdee,{v},,,,",
            FD + "customer's mission lead asks that pass reports go to {v}",
            "{ts} INFO mission-portal login ok user={v}",
            "INSERT INTO contacts (customer_id, email) VALUES ('c{num}', '{v}');",
            "Reply-To: {v}\nSubject: missed downlink over TRM again",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "c{num},Fergus Ketteridge,,{v},,,",
            FD + "ring the mission lead on {v} before re-scheduling",
            "{ts} INFO pager-relay sms to={v} incident=pass-lost",
            "| Amarantha Balfour | customer flight director | {v} |",
            'escalation:\n  - name: Osric McQuarrie\n    phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "c{num},Delphine Vanterpool,,,,{v},",
            FD + "customer pasted their card {v} into the ticket form",
            "{ts} WARN billing-sync braintree decline card={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "sshd[3312]: Failed password for invalid user acu from {v} port 51144 ssh2",
            SCHEDLOG + "customer api call from {v} exceeded quota",
            EXPORT + "c{num},Barnaby Harcastle,,,{v},,",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            'nginx: {v} - - "GET /v1/passes HTTP/2.0" 200',
            "sshd[4410]: Accepted publickey for teodor from {v} port 40022 ssh2",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "c{num},Isolde Dunsinane,,,,,{v}"]),
    ("iban", lambda: iban_of("NO", rs(DIG, 11)), [FD + "refund the unused pass credit to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [FD + "contract engineer's NI number {v} was attached to the site-access form"]),
    ("national-id", ssn, ["| Cormac Balfour | US customer signatory | SSN {v} | W-9 on file |"]),
    (
        "iban",
        lambda: draw.iban("DE"),
        ['{"payee":"Henrike Strathdee","iban":"{v}","invoice":"CGS-INV-2026-1187"}'],
    ),
    ("email", email, ["From: {v}\nTo: passes@cairnloft.example\nSubject: Re: KRN outage credit"]),
    ("phone", phone, ["<contact><name>Osric Vanterpool</name><tel>{v}</tel></contact>"]),
    (
        "credit-card",
        card,
        ["billing=> SELECT pan FROM legacy_cards WHERE customer_id = 'c212';\n pan\n-----\n {v}"],
    ),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.61.4.9\n(mission-portal access log, PM-19)"]),
    ("ipv6", public_v6, ["sched=> SELECT src FROM api_audit WHERE id = 4411;\n {v}"]),
    ("phone", phone, [CHAT + "Eilidh's own mobile is {v} if PagerDuty is down"]),
    ("email", email, ["Author: Fergus Harcastle <{v}>\nDate:   Tue Nov 3 04:40:12 2026 +0000"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "acu-firmware built from {v}",
            "CI_COMMIT_SHA={v}",
            "BUILDKITE_COMMIT={v}",
        ],
    ),
    ("git-sha", lambda: rs(HEX, 8), ["reverted in {v} (PM-14 follow-up)"]),
    (
        "uuid",
        uuid4,
        [
            "contact_id: {v}",
            "AWS Ground Station mission profile {v}",
            '{"pass_id":"{v}","site":"KRN"}',
            "$ az account set --subscription {v}",
        ],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        [
            "$ sha256sum acu-fw-7.2.0.bin\n{v}  acu-fw-7.2.0.bin",
            "firmware manifest sha256={v}",
            "archive index: iq.sigmf-data sha256 {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            "image: harbor.cairnloft.internal/acu/gateway@{v}",
            "$ docker pull clickhouse/clickhouse-server@{v}",
        ],
    ),
    ("hash-or-digest", hex_n(32), ["L0 file md5 {v}"]),
    (
        "hash-or-digest",
        lambda: "SHA256:" + b64(draw.rbytes(32)).rstrip("="),
        ["ED25519 key fingerprint is {v}."],
    ),
    (
        "trace-id",
        hex_n(32),
        ["traceparent: 00-{v}-b7ad6b7169203331-01", "trace_id={v} service=pass-scheduler"],
    ),
    ("trace-id", hex_n(16), ["uber-trace-id: {v}:0000000000000000:0:1"]),
    ("trace-id", draw.long_trace, ["datadog trace {v}"]),
    (
        "cloud-resource-id",
        lambda: "i-0" + rs(HEX, 16),
        ["$ aws ec2 reboot-instances --instance-ids {v}", "archive replica {v} drained"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:groundstation:eu-north-1:{rs(DIG, 12)}:config/tracking/{uuid4()}",
        ["tracking_config_arn = {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-orbital/providers/Microsoft.Orbital/spacecrafts/cgs-demo-1"
        ),
        ["scope: {v}"],
    ),
    (
        "placeholder",
        lambda: "<SPACETRACK_PASSWORD>",
        ["SPACETRACK_PASSWORD={v}", "$ cqlsh -u telemetry -p {v} cass-2 9042"],
    ),
    ("placeholder", lambda: "changeme", ["clickhouse_password: {v}  # local compose only"]),
    ("placeholder", lambda: "PLAKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["PL_API_KEY={v}"]),
    ("placeholder", lambda: "your-doppler-token-here", ["DOPPLER_TOKEN={v}", "OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    (
        "placeholder",
        lambda: "clickhouse://user:password@localhost:9000/default",
        ["# README: ARCHIVE_DSN={v}"],
    ),
    (
        "templated-value",
        lambda: "${PLANET_API_KEY}",
        ['api_key = "{v}"', "$ curl -s https://api.planet.example/data/v1/searches?api_key={v}"],
    ),
    ("templated-value", lambda: "{{ .Values.clickhouse.password }}", ["  CLICKHOUSE_PASSWORD: {v}"]),
    ("templated-value", lambda: "${{ secrets.ACU_SIGNING_KEY }}", ["          ACU_SIGNING_KEY: {v}"]),
    ("templated-value", lambda: "op://cgs-ops/clickhouse-ingest/password", ["CLICKHOUSE_PASSWORD={v}"]),
    (
        "templated-value",
        lambda: "$CI_JOB_TOKEN",
        ["$ docker login -u gitlab-ci-token -p {v} registry.cairnloft.internal"],
    ),
    (
        "masked-value",
        lambda: "[FILTERED]",
        ['Parameters: {"identity"=>"tle-fetcher", "password"=>"{v}"}', "BRAINTREE_ACCESS_TOKEN={v}"],
    ),
    ("masked-value", lambda: "********", ["Password for user sched: {v}"]),
    ("masked-value", lambda: "sntrys_****", ["Sentry shows the revoked token as {v}"]),
    (
        "keyword-no-value",
        lambda: "routing_key",
        ["ADR-11: pager-relay reads the PagerDuty {v} from Vault at start."],
    ),
    (
        "keyword-no-value",
        lambda: "AccountKey",
        ["PM-17: the {v} sat in a committed appsettings.json for 9 days."],
    ),
    (
        "keyword-no-value",
        lambda: "OP_SERVICE_ACCOUNT_TOKEN",
        ["RB-6: Buildkite gets {v} from the agent hook, never the pipeline."],
    ),
    (
        "keyword-no-value",
        lambda: "Doppler",
        ["{v} correction was off by 2.3 kHz on the TRM X-band chain (not the secrets tool)."],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["listen_address: {v}", "$ ssh -J bastion ops@{v}", "acu_controller_ip: {v}"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["lab ACU simulator at {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.14.9",
        ["Starlink backup link CGNAT address {v} (PVN)"],
    ),
    ("example-email", lambda: f"{rng.choice(STAFF)}@cairnloft.example", ["Reviewed-by: {v}", "owner: {v}"]),
    ("example-email", lambda: "mission.lead@example.com", ['{"email":"{v}","plan":"burst"}']),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # from the Ground Station tutorial"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# sample credentials file\naws_secret_access_key = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["the billing sandbox uses Stripe's documented key {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(22, 25)}.{rng.randint(1, 12)}.{rng.randint(1, 9)}",
        ["ClickHouse {v} rolling upgrade", "acu-gateway {v} staged at KRN only"],
    ),
    ("version-or-date", iso, ["Kp index hit 8 at {v}", "archive backfill finished {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@build-2",
        ["# authorized_keys on acu-krn-2\n{v}"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["# firmware verification key burned into the ACU bootloader\n{v}"]),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem(),
        ["$ openssl s_client -connect arch-ch-3:9440 -showcerts\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.wireguard_key,
        ["[Peer]\nPublicKey = {v}\nAllowedIPs = 10.77.0.0/24\nEndpoint = gw-krn.cairnloft.example:51820"],
    ),
    (
        "ids-and-numbers",
        lambda: (
            f"1 {rng.randint(40000, 59999)}U 2{rng.randint(0, 5)}0{rng.randint(10, 99)}A   26{rng.randint(100, 330)}.{rs(DIG, 8)}  .000{rs(DIG, 5)}  00000+0  {rs(DIG, 5)}-3 0  999{rng.randint(0, 9)}"
        ),
        ["$ cat tle/cgs-demo-1.tle\nCGS-DEMO-1\n{v}", "tle-fetcher: line1={v}"],
    ),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v} (an id, not a secret)"]),
    ("ids-and-numbers", lambda: f"CGS-INV-2026-{rs(DIG, 4)}", ["invoice {v} voided"]),
    (
        "ids-and-numbers",
        lambda: f"1:{rs(DIG, 12)}:android:{rs(HEX, 16)}",
        [GSJ + '"mobilesdk_app_id": "{v}",'],
    ),
    ("ids-and-numbers", lambda: "P" + rs(UP + DIG, 6), ["PagerDuty service {v} (KRN passes)"]),
    (
        "ids-and-numbers",
        lambda: f"https://{rs(HEX, 32)}@o{rs(DIG, 7)}.ingest.de.sentry.io/{rs(DIG, 7)}",
        [APPJSON + '"sentry": { "dsn": "{v}" }', "SENTRY_DSN={v}  # the DSN is public by design"],
    ),
    ("ids-and-numbers", lambda: "pk_live_51" + rs(ALNUM, 97), ["STRIPE_PUBLISHABLE_KEY={v}"]),
    ("ids-and-numbers", lambda: "phc_" + rs(ALNUM, 43), ["EXPO_PUBLIC_POSTHOG_KEY={v}"]),
    ("luhn-fail-number", luhn_bad, ["ACU serial {v} swapped at KRN", "LNB asset tag {v}"]),
    (
        "documented-test-card",
        lambda: "4111 1111 1111 1111",
        ["portal checkout tested with Braintree's card {v}"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"site":"KRN","az":212.4,"el":31.7}'), ["payload: {v}"]),
    (
        "base64-nonsecret",
        lambda: b64(f"pass {rng.randint(80000, 89999)} aos".encode()),
        ["kafka record value (base64) {v}"],
    ),
    ("encrypted-value", lambda: draw.sops_value(), ["# envs/delivery/secrets.enc.yaml\nplanet_api_key: {v}"]),
    ("encrypted-value", lambda: draw.sealed(150), ["  encryptedData:\n    SPACETRACK_PASSWORD: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(4)),
        ["clickhouse_password: !vault |\n{v}"],
    ),
    ("encrypted-value", lambda: "AQICAHh" + rs(B64, 150) + "==", ['CiphertextBlob: "{v}"']),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2b$12$"),
        ["portal=> select password_digest from users where id = 7;\n {v}"],
    ),
    ("hash-or-digest", lambda: draw.sha512_crypt(), ["$ sudo getent shadow ops | cut -d: -f2\n{v}"]),
    (
        "hash-or-digest",
        lambda: (
            "$argon2id$v=19$m=65536,t=3,p=4$"
            + b64(draw.rbytes(16)).rstrip("=")
            + "$"
            + b64(draw.rbytes(32)).rstrip("=")
        ),
        ["mission-portal users.password_hash = {v}"],
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
        ["sched=# SELECT rolpassword FROM pg_authid WHERE rolname = 'sched';\n {v}"],
    ),
    (
        "hash-or-digest",
        lambda: "*" + rs("0123456789ABCDEF", 40),
        ["mysql> SELECT authentication_string FROM mysql.user WHERE user='archive';\n{v}"],
    ),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("trace-id", lambda: rs(HEX, 32) + "/" + rs(DIG, 18) + ";o=1", ["X-Cloud-Trace-Context: {v}"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel id {v}"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#pass-ops)"]),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(2020, 2026)}-{rng.randint(1, 199):03d}{rng.choice('ABC')}",
        ["COSPAR id {v}, NORAD 59{num}"],
    ),
    (
        "ids-and-numbers",
        lambda: "pk." + b64url(b'{"u":"cairnloft","a":"portal"}') + "." + rs(B64URL, 22),
        ["EXPO_PUBLIC_MAPBOX_TOKEN={v}  # pk. tokens ship in the app"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
        [PLIST + "<key>CLIENT_ID</key>\n<string>{v}</string>"],
    ),
    (
        "ids-and-numbers",
        lambda: "6L" + rs(B64URL, 38),
        ['<div class="g-recaptcha" data-sitekey="{v}"></div>'],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::cgs-deliveries-{rs(LOW + DIG, 6)}",
        ["bucket {v} object lock on"],
    ),
    (
        "cloud-resource-id",
        lambda: f"projects/cgs-archive/locations/europe-north1/keyRings/l1/cryptoKeys/{rs(LOW, 6)}",
        ["kms_key_name = {v}"],
    ),
    (
        "placeholder",
        lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ["    url: {v}"],
    ),
    (
        "placeholder",
        lambda: (
            "-----BEGIN OPENSSH PRIVATE KEY-----\n<paste the build-2 deploy key>\n-----END OPENSSH PRIVATE KEY-----"
        ),
        ["# RB-6 appendix\n{v}"],
    ),
    ("placeholder", lambda: "<redacted>", ["| RB-3 step 5 | new Space-Track password | {v} |"]),
    ("templated-value", lambda: "%{hiera('acu_gateway::api_key')}", ["ACU_GATEWAY_API_KEY={v}"]),
    ("templated-value", lambda: "ENV.fetch('BRAINTREE_PRIVATE_KEY')", ["  config.private_key = {v}"]),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(SecretUri=https://kv-cgs.vault.azure.net/secrets/blob-account-key/)",
        ["DeliveryStorageKey={v}"],
    ),
    (
        "templated-value",
        lambda: '{{ with secret "cgs/data/pagerduty" }}{{ .Data.data.routing_key }}{{ end }}',
        ['routing_key = "{v}"'],
    ),
    ("masked-value", lambda: "glpat-****************", ["GitLab shows the runner's old token as {v}"]),
    ("masked-value", lambda: "CONFLUENT_API_SECRET=[MASKED]", ["{v}"]),
    ("masked-value", lambda: "**** **** **** 4821", ["Braintree receipt: card {v}, auth ok"]),
    ("keyword-no-value", lambda: "X-Vault-Token", ["acu-gateway sends {v} only to vault-1, never upstream."]),
    (
        "keyword-no-value",
        lambda: "peer-password",
        ["SLE: the {v} lives in the provider's si-config, not in git."],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        [
            '$ curl -s -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" http://{v}/latest/meta-data/placement/region  # on sched-1'
        ],
    ),
    ("private-or-reserved-ip", lambda: "fd7a:115c:a1e0::3", ["tailscale address of iqrec-trm-1: {v}"]),
    (
        "version-or-date",
        lambda: "2026-11-03",
        ["| {v} | PM-21 | billing export mailed to the wrong customer |"],
    ),
    ("version-or-date", lambda: "CCSDS 132.0-B-3", ["TM framing per {v}"]),
    ("version-or-date", lambda: "SLE API 5.1.6", ["RAF service built on {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ec_pub_pem(),
        ["# webhook signature verification key (customer side)\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["# .sops.yaml\ncreation_rules:\n  - age: {v}"],
    ),
    ("public-key-or-cert", lambda: "RWQ" + rs(B64, 53), ["untrusted comment: minisign public key\n{v}"]),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("base64-nonsecret", lambda: b64(b"telemetry"), ["$ echo -n telemetry | base64\n{v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO assets (serial) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "378282246310005", ["Stripe test Amex {v} in staging"]),
    ("git-sha", sha40, ["| {t} | {who} rolled acu-gateway back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM passes WHERE id = '{v}';"]),
    ("trace-id", hex_n(32), ['{"level":"error","msg":"acu stow timeout","trace_id":"{v}"}']),
    ("example-email", lambda: "noreply@alerts.cairnloft.example", ["From: CGS Pass Alerts <{v}>"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(40)), ["iban_ciphertext={v}"]),
    (
        "encrypted-value",
        lambda: (
            "-----BEGIN AGE ENCRYPTED FILE-----\n"
            + "\n".join(rs(B64, 64) for _ in range(3))
            + "\n"
            + rs(B64, 20)
            + "\n-----END AGE ENCRYPTED FILE-----"
        ),
        ["$ cat secrets/pagerduty.age\n{v}"],
    ),
    (
        "templated-value",
        lambda: "${TELEGRAM_BOT_TOKEN}",
        ["$ curl -s https://api.telegram.org/bot{v}/getWebhookInfo | jq .result.url"],
    ),
    ("masked-value", lambda: "dp.st.prd.…(truncated)", ["the build log shows DOPPLER_TOKEN as {v}"]),
    ("uuid", uuid4, ["$ kubectl -n archive get pod ch-0 -o jsonpath='{.metadata.uid}'\n{v}"]),
    (
        "version-or-date",
        lambda: "helm chart clickhouse-6.2.14",
        ["$ helm history ch -n archive | tail -1\n12  Tue Nov  3 05:02:44 2026  deployed  {v}"],
    ),
    (
        "hash-or-digest",
        hex_n(40),
        ['GET /v2/firmware/7.2.0 HTTP/1.1\nHost: fw.cairnloft.example\nIf-None-Match: "{v}"'],
    ),
    (
        "ids-and-numbers",
        lambda: (
            f"{rng.choice(['KRN', 'TRM', 'AWU'])}-{rng.choice(['S', 'X', 'Ka'])}{rng.randint(1, 4)}-{rs(DIG, 5)}"
        ),
        ["| pass | {v} | AOS 04:11 LOS 04:22 | lost lock |"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(2200, 2290)}.{rs(DIG, 3)} MHz",
        ["S-band downlink centre {v}, RHCP"],
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
    r"|hv[sb]\.[A-Za-z0-9_-]{20}|\.atlasv1\.|webhooks/\d{10}|logic\.azure\.com|/hooks/[a-z0-9]{26}"
    r"|dp\.(?:st|sa|pt)\.|bkua_|ops_eyJ|sntry[su]_|glc_eyJ|PLAK[a-f0-9]{32}|pypi-AgE|dckr_pat_|access_token\$production"
    r"|AQE[A-Za-z0-9+/]{40}|AGE-SECRET-KEY-1|bot\d{9,10}:AA|npm_[A-Za-z0-9]{30}|SK[a-f0-9]{32}|X-Goog-Signature=[a-f0-9]"
    r"|AccountKey=[A-Za-z0-9+/]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}|sig=[A-Za-z0-9%]{20}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes; a Sentry DSN carries its public key
# where a mailbox's local part would be.
OK_MAIL_35 = re.compile(
    OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal|o\d+\.ingest\.de\.sentry\.io)$"
)

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_35,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "ids-and-numbers"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t35", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
