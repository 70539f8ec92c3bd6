# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test25.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test25.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270125)``, and fake; the file is byte-identical on every run. The lines come from
seven made-up documents of a freight rail operator called Kestrelvale Freight: PM-3107 observability
agent configs (Datadog, New Relic, Fluent Bit, Vector, Logstash) committed with keys, PM-3112 Kafka,
RabbitMQ, Redis and Memcached client configs copied into a wagon-tracking postmortem, RB-21 Nomad and
Consul credential rotation, ADR-044 moving secrets out of Pulumi/CDK code, Go services and Django
``settings.py``, PM-3118 a Postman collection and OpenAPI examples published on the developer portal,
PM-3125 GraphQL request logs and browser console dumps attached to a tracking-portal ticket and
PM-3131 Zendesk/Jira tickets and CSV exports with customer details. Common shapes come first in each
kind (``t25p…``/``t25n…``); the summary it prints says where the split falls.
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
    UP,
    Draw,
    Gen,
    N,
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
OUT = HERE / "planted_test25.jsonl"
FOLD = "test25"
rng = Random(20270125)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso, pre = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso, draw.pre
akid, aws_secret, gcp_api, az_client_secret = draw.akid, draw.aws_secret, draw.gcp_api, draw.az_client_secret
gh_token, gl_token, slack_token, slack_hook, stripe_key = (
    draw.gh_token,
    draw.gl_token,
    draw.slack_token,
    draw.slack_hook,
    draw.stripe_key,
)
card, luhn_bad, public_v4, public_v6, priv_ip, doc_ip = (
    draw.card,
    draw.luhn_bad,
    draw.public_v4,
    draw.public_v6,
    draw.priv_ip,
    draw.doc_ip,
)
ssn, nino, iban, phone = draw.ssn, draw.nino, draw.iban, draw.phone

# Only types earlier folds use: test24's vocabulary.
TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "wireguard-private-key"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = [
    "ballast",
    "sleeper",
    "bogie",
    "coupler",
    "gantry",
    "siding",
    "turnout",
    "railhead",
    "hopper",
    "flatbed",
]

jwt = partial(
    draw.jwt,
    ["HS256", "RS256", "ES256"],
    ["https://auth.kestrelvale.internal", "track-api", "portal"],
    ["customer:41207", "svc:wagon-tracker", "user:dispatch-7", "ci:deploy"],
    ["shipments:read", "wagons:write", "admin", "billing:read"],
)


private_key = partial(
    draw.pem_private_key,
    rsa=("MIIEogIBAAKCAQEA", 40, "=="),
    ssh_tail=22,
    pkcs8=("MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC", 28),
)


def pk(kind: str, sep: str = "\n") -> Gen:
    return lambda: private_key(kind, sep)


password = partial(draw.password4, WORDS)

plain_pw = partial(draw.plain_password, WORDS)

basic_cred = partial(
    draw.basic_cred,
    ["svc-tracker", "deploy", "portal-api", "logship", "edi-gateway", "billing-export"],
    WORDS,
)


def nr_license() -> str:
    """A New Relic ingest licence key: 36 hex-ish characters and ``NRAL``."""
    return rs(HEX, 36) + "NRAL"


FIRST = [
    "agnetha",
    "bartholomew",
    "cosima",
    "desmond",
    "elowen",
    "fitzroy",
    "greer",
    "horatio",
    "imelda",
    "jasper",
]
LAST = [
    "abernethy",
    "blackwood",
    "carrow",
    "dalgleish",
    "elphick",
    "fernside",
    "gowrie",
    "holloway",
    "inchbald",
]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "btinternet.com",
    "gmx.net",
    "hotmail.com",
]

email = partial(draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}.{last}", "{last}_{f}"))


SVCS = ["wagon-tracker", "track-api", "edi-gateway", "yard-planner", "portal", "billing-sync"]
ONCALL = ["anneke", "bram", "cormac", "daria", "emeka", "freya", "gwilym", "halima", "ilse", "joaquin"]
NODES = ["nomad-client-1", "nomad-client-2", "kafka-1", "kafka-2", "rmq-1", "logship-1"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "node": lambda: rng.choice(NODES),
    "pip": priv_ip,
    "dip": doc_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "wagon": lambda: f"KV-{rng.randint(10_000, 89_999)}",
    "tkt": lambda: str(rng.randint(40_000, 79_999)),
    "sha7": lambda: rs(HEX, 7),
    "uuid": uuid4,
    "day": lambda: f"{rng.randint(1, 28):02d}",
    "ms": lambda: str(rng.randint(3, 2400)),
}

# Shapes of the positions, so templates stay readable.
DDYAML = "# /etc/datadog-agent/datadog.yaml\n"
NRYML = "# newrelic.yml (track-api)\ncommon: &default_settings\n"
FLB = "[OUTPUT]\n    Name        "
VEC = "# /etc/vector/vector.toml\n"
LGS = 'output {\n  elasticsearch {\n    hosts => ["https://es.kestrelvale.internal:9200"]\n'
KPROPS = "# /etc/wagon-tracker/consumer.properties\nbootstrap.servers=kafka-1.kestrelvale.internal:9093\n"
NOMAD = 'job "{svc}" {\n  group "app" {\n    task "server" {\n      env {\n'
CONSUL = '# /etc/consul.d/consul.hcl\ndatacenter = "dc-north"\n'
PULUMI = "// infra/index.ts (Pulumi)\n"
CDK = "// lib/tracking-stack.ts (CDK)\n"
GOSRC = "// internal/config/defaults.go\nvar Default = Config{\n"
DJANGO = "# kestrelvale/settings.py\n"
ENVP = "# .env.production\n"
POSTMAN = '{\n  "info": {"name": "Kestrelvale Tracking API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},\n'
OAPI = "# openapi.yaml (published 2026-11-{day})\n"
GQL = "{ts} INFO graphql-gateway op=TrackShipment duration_ms={ms} "
CONSOLE = "portal.kestrelvale.com/tracking:{num} "
ZEN = "Zendesk #{tkt} | Priority: high | Via: web form\n"
JIRA = "KVF-{tkt}: wagon {wagon} not reporting position\n"
CSVH = "customer_id,name,email,phone,card_last_used,signup_ip\n"


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            PULUMI
            + 'const prov = new aws.Provider("eu", { region: "eu-west-2", accessKey: "{v}", secretKey: cfg.requireSecret("awsSecret") });',
            DJANGO + 'AWS_ACCESS_KEY_ID = "{v}"\nAWS_STORAGE_BUCKET_NAME = "kv-waybills"',
            ENVP + "AWS_ACCESS_KEY_ID={v}\nAWS_REGION=eu-west-2",
            VEC
            + '[sinks.archive]\ntype = "aws_s3"\nbucket = "kv-logs"\nauth.access_key_id = "{v}"\nauth.secret_access_key = "${AWS_SECRET}"',
            NOMAD + '        AWS_ACCESS_KEY_ID = "{v}"\n        AWS_REGION = "eu-west-2"\n      }',
            GOSRC
            + '\tS3: S3Config{Bucket: "kv-waybills", AccessKeyID: "{v}", SecretKey: os.Getenv("S3_SECRET")},\n}',
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            DJANGO + 'AWS_SECRET_ACCESS_KEY = "{v}"',
            ENVP + "AWS_SECRET_ACCESS_KEY={v}",
            FLB
            + "s3\n    Match       *\n    bucket      kv-logs\n    # TODO move to IRSA\n    aws_secret_access_key {v}",
            NOMAD + '        AWS_SECRET_ACCESS_KEY = "{v}"\n      }',
            LGS.replace("elasticsearch", "s3").replace(
                '    hosts => ["https://es.kestrelvale.internal:9200"]\n', ""
            )
            + '    secret_access_key => "{v}"\n    bucket => "kv-logs"\n  }\n}',
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            ENVP + "GITHUB_TOKEN={v}\nRELEASE_REPO=kestrelvale/yard-planner",
            NOMAD + '        GITHUB_TOKEN = "{v}"\n      }',
            JIRA + "Comment ({who}): I used {v} to pull the firmware tags, will revoke after.",
            POSTMAN + '  "variable": [{"key": "githubToken", "value": "{v}", "type": "string"}]\n}',
            CONSOLE + "[deploy-widget] fetching releases with token {v}",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            ENVP + "GITLAB_TOKEN={v}",
            CONSUL + 'services {\n  name = "gitlab-exporter"\n  meta { gitlab_token = "{v}" }\n}',
            DJANGO + 'GITLAB = {"url": "https://gitlab.kestrelvale.internal", "private_token": "{v}"}',
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            DJANGO + 'SLACK_BOT_TOKEN = "{v}"',
            ENVP + "SLACK_BOT_TOKEN={v}\nSLACK_CHANNEL=#yard-alerts",
            GOSRC + '\tSlack: SlackConfig{Channel: "#dispatch", Token: "{v}"},\n}',
            NRYML.replace("newrelic.yml (track-api)", "alertmanager.yml")
            + "  slack_configs:\n    - api_url: https://slack.com/api/chat.postMessage\n      http_config: { authorization: { credentials: {v} } }",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            VEC + '[sinks.slack_alerts]\ntype = "http"\nuri = "{v}"\nencoding.codec = "json"',
            CDK
            + "new sns.Subscription(this, 'YardAlerts', { topic, protocol: sns.SubscriptionProtocol.HTTPS, endpoint: '{v}' });",
            ENVP + "SLACK_WEBHOOK_URL={v}",
            JIRA + "Steps: the alert goes to {v} but nobody watches that channel.",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            DJANGO + 'STRIPE_SECRET_KEY = "{v}"\nSTRIPE_CURRENCY = "gbp"',
            ENVP + "STRIPE_SECRET_KEY={v}",
            POSTMAN
            + '  "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{v}", "type": "string"}]}\n}',
            GOSRC + '\tBilling: BillingConfig{StripeKey: "{v}", Currency: "gbp"},\n}',
            ZEN
            + "Agent note ({who}): customer's dev pasted their key {v} in the chat, told them to roll it.",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            GQL + 'headers={"authorization":"Bearer {v}","x-client":"portal/4.2"}',
            CONSOLE + "localStorage.getItem('kv_session') → \"{v}\"",
            OAPI + "components:\n  examples:\n    SessionToken:\n      value: {v}",
            KPROPS
            + "sasl.mechanism=OAUTHBEARER\n# static token for the migration window\nsasl.oauthbearer.token={v}",
            JIRA + "Repro: curl -H 'Authorization: Bearer {v}' https://api.kestrelvale.com/v2/wagons/{wagon}",
            POSTMAN + '  "variable": [{"key": "accessToken", "value": "{v}"}]\n}',
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            PULUMI + "const deployKey = `{v}`;",
            DJANGO + 'SAML_SP_PRIVATE_KEY = """{v}"""',
        ],
    ),
    (
        "private-key",
        pk("ec"),
        [
            GOSRC.replace("var Default = Config{\n", "") + "const signingKeyPEM = `{v}`",
            NOMAD.replace(
                "      env {\n",
                '      template {\n        destination = "secrets/tls.key"\n        data = <<EOH\n',
            )
            + "{v}\nEOH\n      }",
        ],
    ),
    (
        "private-key",
        pk("pkcs8", "\\n"),
        [POSTMAN + '  "variable": [{"key": "clientKeyPem", "value": "{v}"}]\n}'],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            DJANGO + 'CELERY_BROKER_URL = "amqp://tracker:{v}@rmq-1.kestrelvale.internal:5672/yard"',
            DJANGO
            + 'DATABASES = {"default": dj_database_url.parse("postgres://kv_app:{v}@pg-main.kestrelvale.internal:5432/tracking")}',
            ENVP + "REDIS_URL=rediss://default:{v}@redis-cache.kestrelvale.internal:6380/0",
            ENVP + "MONGO_URL=mongodb://edi:{v}@mongo-1.kestrelvale.internal:27017/edi?authSource=admin",
            LGS.replace(
                "https://es.kestrelvale.internal:9200",
                "https://logstash_writer:{v}@es.kestrelvale.internal:9200",
            )
            + "  }\n}",
            VEC + '[sinks.loki]\ntype = "loki"\nendpoint = "https://loki:{v}@loki.kestrelvale.internal"',
            NOMAD
            + '        AMQP_URL = "amqps://wagon-tracker:{v}@rmq-1.kestrelvale.internal:5671/tracking"\n      }',
            GOSRC
            + '\tDatabaseURL: "postgres://yard:{v}@pg-main.kestrelvale.internal/yard?sslmode=require",\n}',
            JIRA
            + "Notes: connected with redis-cli -u redis://default:{v}@{pip}:6379 and the keys were there.",
            PULUMI + "const dsn = pulumi.interpolate`mysql://edi:{v}@${db.endpoint}/edi`;",
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            KPROPS
            + 'sasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="wagon-tracker" password="{v}";',
            FLB
            + "es\n    Match       kube.*\n    Host        es.kestrelvale.internal\n    HTTP_User   logship\n    HTTP_Passwd {v}",
            LGS + '    user => "logstash_writer"\n    password => "{v}"\n  }\n}',
            VEC
            + '[sinks.es]\ntype = "elasticsearch"\nauth.strategy = "basic"\nauth.user = "vector"\nauth.password = "{v}"',
            "# /etc/rabbitmq/rabbitmq.conf\ndefault_user = yard_admin\ndefault_pass = {v}",
            "# /etc/redis/redis.conf\nbind {pip}\nrequirepass {v}",
            DJANGO
            + 'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "USER": "kv_app",\n        "PASSWORD": "{v}",\n    }\n}',
            ENVP + "DB_PASSWORD={v}",
            GOSRC + '\tRedis: RedisConfig{Addr: "redis-cache:6379", Password: "{v}", DB: 2},\n}',
            CDK
            + "const db = new rds.DatabaseInstance(this, 'Tracking', { engine, credentials: rds.Credentials.fromPassword('kv_admin', SecretValue.unsafePlainText('{v}')) });",
            NOMAD + '        PGPASSWORD = "{v}"\n      }',
            CONSUL
            + "connect {\n  enabled = true\n}\n# kv seed for the edi job\n# consul kv put edi/db_password {v}",
            "$ redis-cli -h redis-cache.kestrelvale.internal -a {v} --no-auth-warning INFO keyspace",
            ZEN + "Customer wrote: I reset my portal password to {v} and it still says locked.",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "# memcached SASL (/etc/sasl2/memcached-sasldb2 seed)\n$ echo '{v}' | saslpasswd2 -a memcached -c -p cachesvc",
            POSTMAN
            + '  "item": [{"name": "Login", "request": {"method": "POST", "body": {"mode": "raw", "raw": "{\\"username\\": \\"dispatch7\\", \\"password\\": \\"{v}\\"}"}}}]\n}',
            GQL + 'variables={"input":{"login":"dispatch7","password":"{v}"}}',
            CONSOLE + "[auth] submit {login: 'dispatch7', password: '{v}'}",
            "$ rabbitmqctl change_password yard_admin '{v}'",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            POSTMAN
            + '  "item": [{"name": "EDI upload", "request": {"header": [{"key": "Authorization", "value": "Basic {v}"}]}}]\n}',
            GQL + 'headers={"authorization":"Basic {v}"}',
            'input {\n  http_poller {\n    urls => { yard => { url => "https://yard.kestrelvale.internal/metrics" headers => { Authorization => "Basic {v}" } } }\n  }\n}',
            CONSOLE + "fetch('/api/v2/shipments', {headers: {Authorization: 'Basic {v}'}})",
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, rng.randint(32, 48)),
        [
            OAPI
            + "paths:\n  /v2/wagons/{id}:\n    get:\n      parameters:\n        - in: header\n          name: Authorization\n          example: Bearer {v}",
            CONSOLE + 'XHR finished loading: GET "https://api.kestrelvale.com/v2/wagons?access_token={v}"',
            JIRA + "Access log shows Authorization: Bearer {v} reused from {pip} for 3 days.",
            VEC
            + '[sinks.partner]\ntype = "http"\nuri = "https://edi.kestrelvale.internal/ingest"\nauth.strategy = "bearer"\nauth.token = "{v}"',
        ],
    ),
    (
        "generic-api-key",
        draw.hexk(32),
        [
            DDYAML + "api_key: {v}\nsite: datadoghq.eu\nlogs_enabled: true",
            ENVP + "DD_API_KEY={v}\nDD_SITE=datadoghq.eu",
            FLB
            + "datadog\n    Match       *\n    Host        http-intake.logs.datadoghq.eu\n    TLS         on\n    apikey      {v}",
            VEC + '[sinks.dd]\ntype = "datadog_logs"\ndefault_api_key = "{v}"\nsite = "datadoghq.eu"',
            NOMAD + '        DD_API_KEY = "{v}"\n        DD_ENV = "production"\n      }',
        ],
    ),
    (
        "generic-api-key",
        draw.hexk(40),
        [
            DDYAML.replace("datadog.yaml", "conf.d/http_check.d/conf.yaml")
            + "init_config:\ninstances:\n  - url: https://api.datadoghq.eu/api/v1/validate\n    headers:\n      DD-APPLICATION-KEY: {v}",
            DJANGO + 'DATADOG_APP_KEY = "{v}"',
        ],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        [
            CONSUL + 'encrypt = "{v}"\nverify_incoming = true',
            '# /etc/nomad.d/server.hcl\nserver {\n  enabled = true\n  bootstrap_expect = 3\n  encrypt = "{v}"\n}',
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(LOW + DIG + "!@#%^*(-_=+)", 50),
        [DJANGO + "SECRET_KEY = '{v}'\nDEBUG = False"],
    ),
    (
        "vendor-token",
        nr_license,
        [
            NRYML + "  license_key: {v}\n  app_name: track-api",
            ENVP + "NEW_RELIC_LICENSE_KEY={v}",
            "# /etc/newrelic-infra.yml\nlicense_key: {v}\ndisplay_name: {node}",
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-key",
        gcp_api,
        [
            CONSOLE
            + "Maps JavaScript API warning: RetiredVersion https://maps.googleapis.com/maps/api/js?key={v}&v=3.52",
            OAPI + "servers:\n  - url: https://geo.kestrelvale.com\n    description: geocoder (key={v})",
        ],
    ),
    ("gcp-key", lambda: "ya29." + rs(B64URL, 150), [GQL + 'upstream=bigquery token="{v}"']),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '# Pulumi.prod.yaml\nconfig:\n  gcp:credentials: |\n    {"type": "service_account", "project_id": "kv-tracking", "private_key": "{v}", "client_email": "pulumi@kv-tracking.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            ENVP
            + "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=kvwaybills;AccountKey={v};EndpointSuffix=core.windows.net",
            FLB + "azure_blob\n    Match       *\n    account_name kvlogs\n    shared_key  {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            DJANGO
            + 'SERVICE_BUS = "Endpoint=sb://kv-events.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={v}"'
        ],
    ),
    (
        "azure-key",
        az_client_secret,
        [PULUMI + 'const azProv = new azure.Provider("az", { clientId: "{uuid}", clientSecret: "{v}" });'],
    ),
    (
        "vendor-token",
        lambda: "NRAK-" + rs(UP + DIG, 27),
        [NRYML + "  # user key for the deploy marker\n  api_key: {v}", ENVP + "NEW_RELIC_API_KEY={v}"],
    ),
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        [
            DJANGO + 'EMAIL_HOST_PASSWORD = "{v}"\nEMAIL_HOST = "smtp.sendgrid.net"',
            ENVP + "SENDGRID_API_KEY={v}",
        ],
    ),
    ("vendor-token", lambda: "AC" + rs(HEX, 32), [DJANGO + 'TWILIO_ACCOUNT_SID = "{v}"']),
    (
        "vendor-token",
        lambda: "SK" + rs(HEX, 32),
        [GOSRC + '\tSMS: SMSConfig{APIKeySID: "{v}", From: "KVFREIGHT"},\n}'],
    ),
    (
        "vendor-token",
        lambda: "npm_" + rs(ALNUM, 36),
        ["# .npmrc (portal)\n//registry.npmjs.org/:_authToken={v}"],
    ),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 60),
        ["# ~/.pypirc on ci-2\n[pypi]\nusername = __token__\npassword = {v}"],
    ),
    (
        "vendor-token",
        lambda: "dckr_pat_" + rs(B64URL, 27),
        [
            NOMAD.replace("      env {\n", '      config {\n        auth {\n          username = "kvci"\n')
            + '          password = "{v}"\n        }\n      }'
        ],
    ),
    (
        "vendor-token",
        lambda: "hvs." + rs(B64URL, 24),
        [
            NOMAD.replace("      env {\n", "      vault {\n")
            + '        # policies = ["edi"]\n        token = "{v}"\n      }',
            ENVP + "VAULT_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "sk-proj-" + rs(B64URL, 48),
        [DJANGO + 'OPENAI_API_KEY = "{v}"  # ETA summariser'],
    ),
    ("vendor-token", lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA", [ENVP + "ANTHROPIC_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: "hf_" + rs(ALNUM, 34),
        [GOSRC + '\tETA: ETAConfig{Model: "kv/eta-small", HFToken: "{v}"},\n}'],
    ),
    (
        "vendor-token",
        lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34),
        [
            POSTMAN
            + '  "event": [{"listen": "prerequest", "script": {"exec": ["pm.request.headers.add({key: \'X-Api-Key\', value: \'{v}\'})"]}}]\n}'
        ],
    ),
    (
        "vendor-token",
        lambda: "dop_v1_" + rs(HEX, 64),
        [PULUMI + 'const doProv = new digitalocean.Provider("do", { token: "{v}" });'],
    ),
    (
        "vendor-token",
        lambda: "lin_api_" + rs(ALNUM, 40),
        [JIRA + "Linked from Linear via the old bridge (token {v}), see LIN-88."],
    ),
    (
        "vendor-token",
        lambda: "key-" + rs(HEX, 32),
        [DJANGO + 'ANYMAIL = {"MAILGUN_API_KEY": "{v}", "MAILGUN_SENDER_DOMAIN": "mg.kestrelvale.com"}'],
    ),
    (
        "password-assignment",
        lambda: rs(ALNUM + "+/", 64),
        [
            KPROPS.replace(
                "kafka-1.kestrelvale.internal:9093", "pkc-l6wr6.europe-west2.gcp.confluent.cloud:9092"
            )
            + 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="KV4QZ7N2LRXW3T5M" password="{v}";'
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "# memcached.conf\n-S\n# SASL_PWDB seeded with: cachesvc@kv-cache:{v}",
            '# rabbitmq definitions.json\n{"users": [{"name": "edi", "password": "{v}", "tags": ""}]}',
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            CSVH.replace("card_last_used,signup_ip", "portal_password")
            + "41207,Test Account,qa@kestrelvale.example,,{v}"
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            KPROPS.replace("bootstrap.servers=kafka-1.kestrelvale.internal:9093\n", "")
            + "schema.registry.url=https://registry:{v}@schema-registry.kestrelvale.internal:8081",
            "# /etc/memcached-proxy.yaml\nupstream: memcache://cachesvc:{v}@kv-cache-1.kestrelvale.internal:11211",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [OAPI + "servers:\n  - url: https://sandbox:{v}@sandbox.kestrelvale.com/v2"],
    ),
    (
        "generic-api-key",
        uuid4,
        [
            CONSUL + 'acl {\n  enabled = true\n  tokens {\n    initial_management = "{v}"\n  }\n}',
            '# /etc/nomad.d/client.hcl\nconsul {\n  address = "127.0.0.1:8500"\n  token = "{v}"\n}',
        ],
    ),
    (
        "generic-api-key",
        draw.hexk(32),
        [JIRA + "Datadog says 403 since the rotation; agent still has DD_API_KEY={v} in the unit file."],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, 40),
        [GQL.replace("INFO", "WARN") + "retry upstream=partner-edi access_token={v}"],
    ),
    (
        "wireguard-private-key",
        lambda: b64(draw.rbytes(32)),
        ["# /etc/wireguard/yard.conf (RB-21 appendix)\n[Interface]\nAddress = {pip}/24\nPrivateKey = {v}"],
    ),
    ("private-key", pk("ssh"), [JIRA + "Attachment id_ed25519 (pasted by contractor):\n{v}"]),
    (
        "github-token",
        lambda: "ghs_" + rs(ALNUM, 36),
        [
            CONSOLE
            + "Uncaught (in promise) Error: 401 from https://{v}@raw.githubusercontent.com/kestrelvale/portal-config/main/flags.json"
        ],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            ZEN + "Requester: {v}\nSubject: container KVU 481220 missing from manifest",
            JIRA + "Reporter: customer {v} (via Zendesk)",
            CSVH + "41207,A. Customer,{v},,,",
            GQL + 'variables={"email":"{v}","shipmentId":"{uuid}"}',
            CONSOLE + "[analytics] identify({ userId: 41207, email: '{v}' })",
            POSTMAN
            + '  "item": [{"name": "Create contact", "request": {"body": {"mode": "raw", "raw": "{\\"email\\": \\"{v}\\"}"}}}]\n}',
            '{ts} level=info msg="password reset sent" svc=portal to={v}',
            OAPI + "      examples:\n        customer:\n          value: { name: Customer, email: {v} }",
        ],
    ),
    (
        "phone",
        phone,
        [
            ZEN + "Requester phone: {v}\nCustomer says the driver never called.",
            CSVH.replace(",card_last_used,signup_ip", "") + "41208,B. Customer,,{v}",
            JIRA + "Customer contact for site access: {v} (gate 3)",
            GQL + 'variables={"input":{"notifyPhone":"{v}","wagon":"{wagon}"}}',
            CONSOLE + "[sms-optin] saved number {v}",
            '{ts} level=warn msg="sms delivery failed" svc=notifier to="{v}" code=30003',
            "Zendesk #{tkt} reply from agent {who}: I rang you on {v} but got voicemail.",
        ],
    ),
    (
        "credit-card",
        card,
        [
            ZEN + "Customer wrote: please charge the demurrage to my card {v} exp 09/28",
            CSVH.replace("email,phone,card_last_used,signup_ip", "card_number") + "41209,C. Customer,{v}",
            CONSOLE + "[checkout] payload {amount: 1840, card: '{v}'}",
            '{ts} level=error msg="charge failed" svc=billing-sync pan={v}',
            JIRA + "Card from the screenshot: {v} (customer consented to the retry)",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            GQL + 'client_ip={v} user_agent="Mozilla/5.0"',
            CSVH.replace("email,phone,card_last_used,", "") + "41210,D. Customer,{v}",
            '{"@timestamp":"{ts}","source":{"ip":"{v}"},"url":{"path":"/v2/tracking"},"event":{"dataset":"vector.http"}}',
            ZEN + "Customer's office IP (for the allow-list): {v}",
            JIRA + "Brute force on the portal login came from {v}, blocked at the WAF.",
            "[{day}/Nov/2026:{t}:19 +0000] logstash-ingest: {v} POST /api/v2/edi 401",
        ],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "ipv6",
        public_v6,
        [
            GQL + "client_ip={v}",
            ZEN + "Customer's IPv6 for the allow-list: {v}",
            CONSOLE + "[geo] resolved client {v} to Leeds",
        ],
    ),
    ("national-id", ssn, [ZEN + "Customer sent their SSN {v} for the credit application (US entity)."]),
    (
        "national-id",
        nino,
        [
            CSVH.replace("email,phone,card_last_used,signup_ip", "ni_number") + "41211,E. Driver,{v}",
            JIRA + "Owner-driver NI number on the onboarding form: {v}",
        ],
    ),
    ("iban", lambda: iban("GB"), [ZEN + "Refund to account: {v}"]),
    (
        "iban",
        lambda: iban("DE"),
        [CSVH.replace("email,phone,card_last_used,signup_ip", "iban") + "41212,F. Spedition GmbH,{v}"],
    ),
    ("iban", lambda: iban("FR"), [GQL + 'variables={"payout":{"iban":"{v}"}}']),
    (
        "email",
        lambda: email().replace("@", "%40"),
        [CONSOLE + "GET https://portal.kestrelvale.com/unsubscribe?email={v} 404"],
    ),
]


# ---------------------------------------------------------------------------- look-alikes
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            JIRA + "Fixed in {v}, deployed with the yard-planner release.",
            PULUMI + "// pinned to kestrelvale/pulumi-modules@{v}",
            "# go.sum pin\n// yard-planner built from commit {v}",
            NOMAD + '        GIT_COMMIT = "{v}"\n      }',
            DDYAML + "tags:\n  - git.commit.sha:{v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            POSTMAN + '  "info": {"_postman_id": "{v}"}\n}',
            GQL + "request_id={v}",
            NOMAD.replace("      env {\n", "") + "      # alloc {v}\n    }",
            ZEN + "Shipment id: {v}",
            CONSOLE + "[tracking] shipment {v} loaded in 212ms",
            CSVH.replace("email,phone,card_last_used,signup_ip", "shipment_id") + "41213,G. Customer,{v}",
            OAPI
            + "        shipmentId:\n          type: string\n          format: uuid\n          example: {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            '# nomad job inspect\nartifact { source = "https://releases.kestrelvale.internal/yard-planner.tgz" options { checksum = "sha256:{v}" } }',
            CONSOLE + "[sw] cache hit for bundle {v}",
            VEC + '[transforms.dedupe]\ntype = "dedupe"\n# fingerprint of the last event: {v}',
            JIRA + "Waybill PDF checksum (sha256): {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            NOMAD.replace("      env {\n", "      config {\n")
            + '        image = "registry.kestrelvale.internal/wagon-tracker@{v}"\n      }',
            CDK + "const image = ecs.ContainerImage.fromRegistry('kestrelvale/edi-gateway@{v}');",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha384-" + b64(draw.rbytes(48)),
        [
            CONSOLE
            + "Failed to find a valid digest in the 'integrity' attribute for resource 'https://cdn.kestrelvale.com/portal.js' with computed SHA-384 integrity '{v}'."
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            GQL + "trace_id={v}",
            '{"@timestamp":"{ts}","trace.id":"{v}","service.name":"{svc}","message":"upstream timeout"}',
            JIRA + "Datadog trace {v} shows the 30s Kafka poll.",
            CONSOLE + "traceparent: 00-{v}-b7ad6b7169203331-01",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/{rng.choice(SVCS)}",
        [
            PULUMI + 'const role = aws.iam.Role.get("tracker", "{v}");',
            NOMAD + '        AWS_ROLE_ARN = "{v}"\n      }',
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"i-0{rs(HEX, 16)}",
        [DDYAML + "hostname: {v}", JIRA + "Consul leader was on {v} at the time."],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/kv-prod/providers/Microsoft.Storage/storageAccounts/kvwaybills"
        ),
        [PULUMI + 'const sa = azure.storage.Account.get("waybills", "{v}");'],
    ),
    (
        "placeholder",
        lambda: rng.choice(
            ["<your-api-key>", "YOUR_DD_API_KEY", "changeme", "<password>", "xxxxxxxx", "REPLACE_ME"]
        ),
        [
            DDYAML + "api_key: {v}",
            POSTMAN + '  "variable": [{"key": "apiKey", "value": "{v}"}]\n}',
            OAPI
            + "      parameters:\n        - name: X-Api-Key\n          in: header\n          example: {v}",
            ENVP.replace(".env.production", ".env.example") + "DB_PASSWORD={v}",
            KPROPS
            + 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="wagon-tracker" password="{v}";',
            FLB + "es\n    HTTP_User   logship\n    HTTP_Passwd {v}",
        ],
    ),
    (
        "templated-value",
        lambda: rng.choice(['${file("/run/secrets/dd_api_key")}']),
        [FLB + "datadog\n    apikey      {v}"],
    ),
    (
        "templated-value",
        lambda: "${DD_API_KEY}",
        [VEC + '[sinks.dd]\ntype = "datadog_logs"\ndefault_api_key = "{v}"'],
    ),
    (
        "templated-value",
        lambda: '{{ with secret "kv/data/tracker" }}{{ .Data.data.db_password }}{{ end }}',
        [
            NOMAD.replace("      env {\n", "      template {\n        data = <<EOH\nDB_PASSWORD=")
            + "{v}\nEOH\n      }"
        ],
    ),
    (
        "templated-value",
        lambda: 'os.environ["DJANGO_SECRET_KEY"]',
        [DJANGO + "SECRET_KEY = {v}"],
    ),
    (
        "templated-value",
        lambda: 'cfg.requireSecret("dbPassword")',
        [PULUMI + 'const db = new aws.rds.Instance("tracking", { username: "kv_admin", password: {v} });'],
    ),
    (
        "templated-value",
        lambda: 'os.Getenv("REDIS_PASSWORD")',
        [GOSRC + '\tRedis: RedisConfig{Addr: "redis-cache:6379", Password: {v}},\n}'],
    ),
    (
        "templated-value",
        lambda: "{{apiKey}}",
        [POSTMAN + '  "item": [{"request": {"header": [{"key": "X-Api-Key", "value": "{v}"}]}}]\n}'],
    ),
    (
        "templated-value",
        lambda: '"${LOGSTASH_PASSWORD}"',
        [LGS + '    user => "logstash_writer"\n    password => {v}\n  }\n}'],
    ),
    (
        "templated-value",
        lambda: "${ENV:KAFKA_PASSWORD}",
        [
            KPROPS
            + 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="edi" password="{v}";'
        ],
    ),
    (
        "masked-value",
        lambda: rng.choice(["********", "[REDACTED]", "***"]),
        [
            GQL + 'variables={"input":{"login":"dispatch7","password":"{v}"}}',
            CONSOLE + "[auth] submit {login: 'dispatch7', password: '{v}'}",
            ZEN + "Card on file: {v}",
        ],
    ),
    (
        "masked-value",
        lambda: "**** **** **** " + rs(DIG, 4),
        [CSVH.replace("email,phone,card_last_used,signup_ip", "card") + "41214,H. Customer,{v}"],
    ),
    ("masked-value", lambda: "NRAK-" + "*" * 27, [NRYML + "  api_key: {v}"]),
    (
        "masked-value",
        lambda: "sk_live_" + "•" * 12 + rs(ALNUM, 4),
        [JIRA + "Stripe dashboard shows key {v} as the one rolled."],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["password", "api_key", "secret", "token"]),
        [
            OAPI
            + "  securitySchemes:\n    apiKey:\n      type: apiKey\n      in: header\n      name: X-Api-Key\n      description: the {v} issued in the portal",
            DJANGO + "# the {v} comes from AWS Secrets Manager at start-up",
            JIRA + "Root cause: the {v} was copied into the Nomad job file.",
            GQL + 'op=ResetPassword fields=["{v}"]',
        ],
    ),
    (
        "keyword-no-value",
        lambda: "sasl.jaas.config",
        [KPROPS + "# {v} is injected from Vault by the entrypoint"],
    ),
    (
        "private-or-reserved-ip",
        draw.reserved_ip,
        [
            CONSUL + 'bind_addr = "{v}"',
            '# /etc/nomad.d/client.hcl\nadvertise { http = "{v}" }',
            "# /etc/redis/redis.conf\nbind {v}",
            GQL + "client_ip={v}",
            JIRA + "The consumer on {v} lagged by 40k messages.",
            CSVH.replace("email,phone,card_last_used,", "") + "0,Internal QA,{v}",
            '{"@timestamp":"{ts}","source":{"ip":"{v}"},"event":{"dataset":"vector.http"}}',
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        [DDYAML + "# cloud metadata at {v} is reachable from the agent"],
    ),
    (
        "example-email",
        lambda: rng.choice(
            [
                "ops@kestrelvale.example",
                "noreply@example.com",
                "jane.doe@example.org",
                "qa+portal@kestrelvale.test",
            ]
        ),
        [
            OAPI + "      examples:\n        customer:\n          value: { name: Jane Doe, email: {v} }",
            POSTMAN + '  "variable": [{"key": "testEmail", "value": "{v}"}]\n}',
            CSVH + "0,QA Bot,{v},,,",
            DJANGO + 'DEFAULT_FROM_EMAIL = "{v}"',
            GQL + 'variables={"email":"{v}"}',
        ],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]),
        [
            ENVP.replace(".env.production", ".env.example") + "AWS_ACCESS_KEY_ID={v}",
            DJANGO.replace("settings.py", "settings_test.py") + 'AWS_SECRET_ACCESS_KEY = "{v}"',
        ],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(1, 7)}.{rng.randint(0, 60)}.{rng.randint(0, 9)}",
        [
            DDYAML + "# agent {v}",
            NRYML + "  # newrelic_rpm {v}",
            "Fluent Bit v{v}\n* Copyright (C) 2015-2026 The Fluent Bit Authors",
            VEC.replace("vector.toml", "vector.toml, vector {v}"),
            NOMAD.replace("      env {\n", "      config {\n")
            + '        image = "registry.kestrelvale.internal/{svc}:{v}"\n      }',
            POSTMAN + '  "info": {"version": "{v}"}\n}',
        ],
    ),
    (
        "version-or-date",
        lambda: f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        [
            JIRA + "Due: {v}",
            ZEN + "Delivery window: {v}",
            CSVH.replace("email,phone,card_last_used,signup_ip", "signup_date") + "41215,I. Customer,{v}",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " deploy@kestrelvale",
        [
            NOMAD.replace("      env {\n", "      template {\n        data = <<EOH\n") + "{v}\nEOH\n      }",
            JIRA + "Contractor's public key for the bastion: {v}",
        ],
    ),
    (
        "public-key-or-cert",
        draw.pub_pem,
        [PULUMI + "const jwtVerifyKey = `{v}`;", JIRA + "Partner's JWT verification key (public):\n{v}"],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(10**11, 10**12 - 1)),
        [
            CONSOLE + "[tracking] wagon position update seq={v}",
            CSVH.replace("email,phone,card_last_used,signup_ip", "account_number") + "41216,J. Customer,{v}",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"KV-{rng.randint(10_000, 89_999)}",
        [JIRA.replace("{wagon}", "{v}"), ZEN + "Wagon: {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: f"KVU {rng.randint(100_000, 999_999)}",
        [ZEN + "Container {v} missing from manifest", GQL + 'variables={"container":"{v}"}'],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(1_760_000_000_000, 1_799_999_999_999)),
        [CONSOLE + "[perf] navigationStart={v}", '{"@timestamp_ms":{v},"service.name":"{svc}"}'],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        [ZEN + "Booking ref {v}", JIRA + "Consignment {v} stuck at Doncaster yard."],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            CSVH.replace("email,phone,card_last_used,signup_ip", "wagon_serial") + "41217,K. Lessor,{v}",
            ZEN + "RFID tag {v} not read at gate 2",
            GQL + 'variables={"rfid":"{v}"}',
        ],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(["4242424242424242", "4000056655665556", "5555555555554444"]),
        [
            POSTMAN + '  "variable": [{"key": "testCard", "value": "{v}"}]\n}',
            OAPI + '          card_number:\n            example: "{v}"',
            JIRA + "QA: reproduced with the Stripe test card {v}.",
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(
            json.dumps(
                {
                    "wagon": f"KV-{rng.randint(10_000, 89_999)}",
                    "lat": round(rng.uniform(51, 55), 4),
                    "lon": round(rng.uniform(-3, 0), 4),
                }
            ).encode()
        ),
        [
            KPROPS.replace("bootstrap.servers=kafka-1.kestrelvale.internal:9093\n", "")
            + "# sample record value (base64): {v}",
            CONSOLE + "[ws] frame {v}",
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(f'{{"shipmentId":"{uuid4()}","page":{rng.randint(2, 9)}}}'.encode()),
        [GQL + 'variables={"after":"{v}"}'],
    ),
    (
        "encrypted-value",
        lambda: "vault:v1:" + b64(draw.rbytes(48)),
        [NOMAD + '        DB_PASSWORD_ENC = "{v}"\n      }'],
    ),
    (
        "encrypted-value",
        lambda: "v1:" + rs(B64, 16) + ":" + b64(draw.rbytes(40)),
        ["# Pulumi.prod.yaml\nconfig:\n  tracking:dbPassword:\n    secure: {v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("trace-id", lambda: rs(HEX, 16), [NRYML + "  # span {v} shows the slow consumer"]),
    (
        "hash-or-digest",
        lambda: "h1:" + b64(draw.rbytes(32)),
        ["// go.sum\ngithub.com/segmentio/kafka-go v0.4.47 {v}"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        [POSTMAN + '  "item": [{"response": [{"header": [{"key": "ETag", "value": "W/\\"{v}\\""}]}]}]\n}'],
    ),
    (
        "version-or-date",
        lambda: f"v0.0.0-2026{rng.randint(1, 11):02d}{rng.randint(10, 28)}{rs(DIG, 6)}-{rs(HEX, 12)}",
        ["// go.mod\nrequire github.com/kestrelvale/kvlib {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "tracker@kv-tracking.iam.gserviceaccount.com",
        [PULUMI + 'const sa = gcp.serviceaccount.Account.get("tracker", "{v}");'],
    ),
    ("uuid", uuid4, [CONSUL + '# node_id = "{v}"', "$ nomad alloc status {v}\nClient Status = running"]),
    ("keyword-no-value", lambda: "HTTP_Passwd", [FLB + "es\n    # {v} moved to @INCLUDE secrets.conf"]),
    ("masked-value", lambda: "<hidden>", [VEC + '[sinks.es]\nauth.password = "{v}"']),
    ("placeholder", lambda: "%%PASSWORD%%", ["# rabbitmq.conf.tpl\ndefault_pass = {v}"]),
    (
        "templated-value",
        lambda: "process.env.STRIPE_SECRET_KEY!",
        [CDK + "environment: { STRIPE_SECRET_KEY: {v} },"],
    ),
    (
        "templated-value",
        lambda: "ssm.StringParameter.valueForStringParameter(this, '/kv/dd-api-key')",
        [CDK + "const ddKey = {v};"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"fe80::{rs(HEX, 4)}:{rs(HEX, 4)}",
        [CONSOLE + "WebRTC local candidate {v}%en0"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"10.{rng.randint(0, 255)}.0.0/16",
        [PULUMI + 'const vpc = new awsx.ec2.Vpc("kv", { cidrBlock: "{v}" });'],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["$ tailscale status\n{v}  yard-jump  linux  -"],
    ),
    ("ids-and-numbers", lambda: f"ZD-{rng.randint(100000, 999999)}", [JIRA + "Linked Zendesk ticket {v}"]),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(10**8, 10**9 - 1)),
        [DDYAML.replace("datadog.yaml", "conf.d/kafka.d/conf.yaml") + "# monitor id {v}"],
    ),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), [JIRA + "Discussed in Slack channel {v}"]),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["# .sops.yaml\ncreation_rules:\n  - age: {v}"],
    ),
    (
        "encrypted-value",
        partial(draw.sops_value, 24, 12),
        ["# secrets.enc.yaml\ndd_api_key: {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc",
        [JIRA + "Stripe docs example key {v} is what QA uses."],
    ),
    (
        "example-email",
        lambda: "wagon-tracker@kestrelvale.example",
        [KPROPS + "client.id=wagon-tracker\n# owner {v}"],
    ),
    ("version-or-date", lambda: "2.1.0", [OAPI + "openapi: 3.0.3\ninfo:\n  version: {v}"]),
    (
        "base64-nonsecret",
        lambda: b64(b"wagon-tracker:consumer-group-7"),
        [KPROPS + "# group metadata key {v}"],
    ),
    ("git-sha", lambda: rs(HEX, 7), [DDYAML + "tags:\n  - version:{v}"]),
    ("luhn-fail-number", luhn_bad, [CONSOLE + "[rfid] unknown tag {v}"]),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt|sa)[-_][A-Za-z0-9_-]{20}|xox[bpae][-.]\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|ya29\.|sk\.eyJ"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dop_v1_|hvs\.[A-Za-z0-9]{6}|pypi-AgE|NRAK-[A-Z0-9]|NRAL\b|PMAK-|lin_api_|key-[0-9a-f]{32}"
    r"|PrivateKey = \w|AccountKey=[A-Za-z0-9+/]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}|shared_key\s+\w|Q~[A-Za-z0-9_.~-]{30}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?<![A-Za-z0-9])(?:AC|SK)[0-9a-f]{32}"
    r"|(?<!:)(?i:password|passwd|pass|pwd|secret|token|_auth|apikey|api-key|api_key)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_.%-]{12,}"
)


CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    national_id_ok=lambda row: ssn_or_nino_ok(row["value"]),
    private_key_ok=pem_block_ok,
    cut_value_types={"encrypted-value"},
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t25", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
