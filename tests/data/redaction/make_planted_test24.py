# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test24.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test24.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270124)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a municipal water utility's smart-meter platform called Brookmere Water:
PM-5203 an Ansible inventory and an ``ansible-playbook -vvv`` CI log that printed broker and database
passwords, PM-5210 secrets passed to ``helm install --set`` and kept in CI logs and shell history,
PM-5216 a Spring Boot actuator ``/env`` endpoint left public on the telemetry API, PM-5224 meter
firmware configs with MQTT credentials and tokens in upload query strings, RB-47 SCADA historian
host credential rotation (Windows registry exports, Azure CLI), RB-52 Kibana triage of meter-ingest
failures (Elasticsearch logs, gcloud), ADR-118 moving secrets out of Slack (Slack export JSON) and
PM-5231 a billing SQL dump e-mailed to a contractor (SQL ``INSERT`` rows, e-mail headers, crontab).
Common shapes come first in each kind (``t24p…``/``t24n…``); the summary it prints says where the
split falls.
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
OUT = HERE / "planted_test24.jsonl"
FOLD = "test24"
rng = Random(20270124)
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

# Types every earlier fold's readers know: test23's vocabulary, the WireGuard key type of the
# earlier folds and the encrypted-value negatives (Ansible Vault, Jasypt, DPAPI blobs).
TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "wireguard-private-key"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = [
    "reservoir",
    "aquifer",
    "hydrant",
    "sluice",
    "weir",
    "culvert",
    "cistern",
    "outfall",
    "pumphouse",
    "siltbed",
]

jwt = partial(
    draw.jwt,
    ["HS256", "RS256", "ES256"],
    ["https://auth.brookmere.internal", "meter-ingest", "telemetry-api"],
    ["meter:BW-204117", "svc:scada-bridge", "customer:88120", "ci:deploy"],
    ["readings:write", "readings:read", "admin", "billing"],
)


private_key = draw.pem_private_key


def pk(kind: str, sep: str = "\n") -> Gen:
    return lambda: private_key(kind, sep)


password = partial(draw.password4, WORDS)

plain_pw = partial(draw.plain_password, WORDS)

basic_cred = partial(
    draw.basic_cred, ["svc-ingest", "deploy", "kibana-ro", "historian", "meter-gw", "billing-export"], WORDS
)


def es_api_key() -> str:
    """An Elasticsearch ``ApiKey`` header value: base64 of ``id:api_key``."""
    return b64(f"{rs(B64URL, 20)}:{rs(B64URL, 22)}".encode())


def ansible_vault(indent: str = "") -> str:
    lines = (
        ["$ANSIBLE_VAULT;1.1;AES256"]
        + [rs(DIG + "abcdef", 80) for _ in range(rng.randint(4, 6))]
        + [rs(HEX, 48)]
    )
    return ("\n" + indent).join(lines)


FIRST = [
    "aurelio",
    "bronwen",
    "caspian",
    "delphine",
    "evander",
    "fenella",
    "gideon",
    "hester",
    "isidore",
    "juno",
]
LAST = [
    "ashcombe",
    "brackenbury",
    "culpepper",
    "dunmore",
    "everleigh",
    "fairweather",
    "grimshaw",
    "hartigan",
    "ingleby",
]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "btinternet.com",
    "sky.com",
    "live.co.uk",
]

email = partial(draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}{last}", "{last}.{f}"))


SVCS = ["meter-ingest", "telemetry-api", "scada-bridge", "billing-sync", "leak-detector", "notifier"]
ONCALL = ["aoife", "bogdan", "chiara", "dayo", "elif", "fraser", "ghislaine", "hiro", "ivo", "jolene"]
NODES = ["ingest-1", "ingest-2", "es-data-1", "es-data-2", "mqtt-1", "ops-jump"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "node": lambda: rng.choice(NODES),
    "pip": priv_ip,
    "dip": doc_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "job": lambda: str(rng.randint(100_000, 999_999)),
    "meter": lambda: f"BW-{rng.randint(100_000, 299_999)}",
    "sha7": lambda: rs(HEX, 7),
    "uuid": uuid4,
    "day": lambda: f"{rng.randint(1, 28):02d}",
    "sts": lambda: f"179{rs(DIG, 7)}.{rs(DIG, 6)}",
    "uid": lambda: "U0" + rs(UP + DIG, 9),
}

# Shapes of the positions, so templates stay readable.
NGINX = '{dip} - - [{day}/Nov/2026:{t}:07 +0000] "GET '
KIBANA = '{"@timestamp":"{ts}","log.level":"WARN","service.name":"{svc}","message":'
ESLOG = "[2026-11-{day}T{t}:31,418][WARN ][o.e.x.s.a.AuthenticationService] [{node}] "
VVV = "<{node}> ESTABLISH SSH CONNECTION FOR USER: deploy\n"
CI = "Running with gitlab-runner 17.5.3 (8ec04662)\n  on brookmere-shell-2 t2_Xq9\n$ "
SLACK = '{"type": "message", "user": "{uid}", "text": "'
REG = "Windows Registry Editor Version 5.00\n\n"
ACT = '    "systemEnvironment": {\n      "properties": {\n'


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            "all:\n  vars:\n    aws_access_key_id: {v}\n    aws_region: eu-west-1\n  children:\n    ingest:",
            VVV
            + 'ok: [{node}] => {"ansible_facts": {"aws_access_key_id": "{v}", "aws_region": "eu-west-1"}, "changed": false}',
            "$ helm install meter-ingest ./charts/meter-ingest -n ingest --set aws.accessKeyId={v} --set aws.region=eu-west-1",
            CI + "aws configure set aws_access_key_id {v} --profile ingest",
            ACT
            + '        "AWS_ACCESS_KEY_ID": {\n          "value": "{v}",\n          "origin": "System Environment Property"',
            "cloud.aws.credentials.access-key={v}\ncloud.aws.region.static=eu-west-1",
            "15 2 * * * AWS_ACCESS_KEY_ID={v} /opt/brookmere/bin/archive-readings.sh >> /var/log/archive.log 2>&1",
            SLACK + 'the ingest key id is {v}, rotating it now", "ts": "{sts}"}',
            REG
            + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\HistorianSync]\n"AccessKeyId"="{v}"\n"Region"="eu-west-1"',
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            "    aws_secret_access_key: {v}",
            "$ helm upgrade --install meter-ingest ./charts/meter-ingest --set aws.secretAccessKey={v}",
            "cloud.aws.credentials.secret-key={v}",
            'ok: [{node}] => (item=archive) => {"ansible_loop_var": "item", "env": {"AWS_SECRET_ACCESS_KEY": "{v}"}}',
            CI + "export AWS_SECRET_ACCESS_KEY={v}",
            SLACK + 'and the secret half: {v} (deleting this in 5 min)", "ts": "{sts}"}',
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            CI + "git clone https://x-access-token:{v}@github.com/brookmere/firmware-tools.git",
            "0 4 * * 1 GITHUB_TOKEN={v} /opt/brookmere/bin/sync-firmware-releases.sh",
            "    github_token: {v}\n    firmware_repo: brookmere/firmware-tools",
            SLACK + 'use {v} for the firmware mirror until Monday", "ts": "{sts}"}',
            "github.api.token={v}",
            "$ helm install fw-mirror ./charts/fw-mirror --set github.token={v} --set schedule=hourly",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            CI
            + 'curl --header "PRIVATE-TOKEN: {v}" https://gitlab.brookmere.internal/api/v4/projects/42/pipelines',
            "    gitlab_api_token: {v}\n    gitlab_url: https://gitlab.brookmere.internal",
            "*/30 * * * * curl -s -H 'PRIVATE-TOKEN: {v}' https://gitlab.brookmere.internal/api/v4/runners > /tmp/runners.json",
            "$ helm install gitlab-exporter ./charts/gitlab-exporter --set gitlab.token={v}",
            REG + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\Deploy]\n"GitLabToken"="{v}"',
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "$ helm install notifier ./charts/notifier -n ops --set slack.botToken={v}",
            ACT + '        "SLACK_BOT_TOKEN": {\n          "value": "{v}",',
            "    slack_bot_token: {v}\n    slack_channel: '#leak-alerts'",
            SLACK + 'here is the notifier bot token {v} for the leak channel", "ts": "{sts}"}',
            "notifier.slack.token={v}",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "    leak_alert_webhook: {v}",
            "*/5 * * * * /opt/brookmere/bin/check-pressure.sh || curl -s -X POST -d @/tmp/alert.json {v}",
            "notifier.slack.webhook-url={v}",
            "$ helm install leak-detector ./charts/leak-detector --set alerts.slackWebhook={v}",
            CI + 'curl -X POST -H "Content-type: application/json" --data \'{"text":"deploy ok"}\' {v}',
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            "billing.stripe.api-key={v}",
            "$ helm install billing-sync ./charts/billing-sync --set stripe.secretKey={v}",
            ACT + '        "STRIPE_SECRET_KEY": {\n          "value": "{v}",',
            "INSERT INTO integrations (id, provider, secret) VALUES (7, 'stripe', '{v}');",
            SLACK + 'billing-sync is on {v} in prod, do not paste it anywhere else", "ts": "{sts}"}',
        ],
    ),
    (
        "jwt",
        jwt,
        [
            NGINX
            + '/api/v2/readings?meter={meter}&access_token={v} HTTP/1.1" 200 512 "-" "BrookmereMeter/2.4"',
            KIBANA + '"upstream 401","http.request.headers.authorization":"Bearer {v}"}',
            VVV + 'ok: [{node}] => {"status": 200, "json": {"access_token": "{v}", "token_type": "Bearer"}}',
            SLACK
            + 'curl -H \\"Authorization: Bearer {v}\\" https://telemetry.brookmere.internal/api/v2/meters", "ts": "{sts}"}',
            '{\n  "device_id": "{meter}",\n  "mqtt": {\n    "host": "mqtt.brookmere.internal",\n    "username": "unused",\n    "password": "{v}"\n  }\n}',
            CI
            + 'curl -sf -H "Authorization: Bearer {v}" https://telemetry.brookmere.internal/actuator/health',
            ESLOG + "Authentication of [meter-gw] was terminated by realm [jwt1] - token {v} expired",
        ],
    ),
    (
        "private-key",
        pk("rsa", "\n      "),
        [
            "ingest:\n  hosts:\n    ingest-1:\n  vars:\n    tls_key: |\n      {v}",
        ],
    ),
    (
        "private-key",
        pk("ec"),
        [
            "root@{meter}:~# cat /etc/meter/certs/device.key\n{v}",
        ],
    ),
    (
        "private-key",
        pk("ssh"),
        [
            CI + "cat $DEPLOY_KEY_FILE\n{v}",
        ],
    ),
    (
        "private-key",
        pk("pkcs8", "\\n"),
        [
            '$ az keyvault secret show --vault-name kv-brookmere-ops --name historian-tls-key\n{\n  "name": "historian-tls-key",\n  "value": "{v}"\n}',
            SLACK + 'here is the scada-bridge key: {v}", "ts": "{sts}"}',
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "spring.rabbitmq.addresses=amqp://ingest:{v}@mq.brookmere.internal:5672",
            '{\n  "device_id": "{meter}",\n  "broker": "mqtts://meter-gw:{v}@mqtt.brookmere.internal:8883",\n  "qos": 1\n}',
            "0 3 * * * pg_dump postgresql://billing:{v}@{pip}:5432/billing | gzip > /backup/billing.sql.gz",
            "$ helm install meter-ingest ./charts/meter-ingest --set externalDatabase.url=postgres://ingest:{v}@pg.brookmere.internal:5432/meters",
            CI + "git push https://deploy:{v}@gitlab.brookmere.internal/ops/inventory.git HEAD:main",
            VVV
            + 'fatal: [{node}]: FAILED! => {"msg": "Status code was 401", "url": "https://svc-historian:{v}@historian.brookmere.internal/api/points"}',
            KIBANA + '"redis connect failed","url":"redis://default:{v}@cache.brookmere.internal:6379/2"}',
            ACT
            + '        "MONGODB_URI": {\n          "value": "mongodb://telemetry:{v}@mongo.brookmere.internal:27017/telemetry",',
            SLACK
            + 'old billing db is mysql://legacy:{v}@{pip}:3306/billing if anyone needs it", "ts": "{sts}"}',
            REG
            + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\HistorianSync]\n"PiWebApiUrl"="https://pisvc:{v}@historian.brookmere.internal/piwebapi"',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "scada:\n  hosts:\n    hist-win01:\n      ansible_connection: winrm\n      ansible_user: svc_ansible\n      ansible_password: {v}",
            "    ansible_become_password: {v}",
            "$ helm install timescale ./charts/timescaledb --set postgresql.auth.password={v} --set persistence.size=200Gi",
            "spring.datasource.username=telemetry\nspring.datasource.password={v}",
            "spring.mail.username=alerts\nspring.mail.password={v}",
            ACT + '        "spring.datasource.password": {\n          "value": "{v}",',
            "elasticsearch.username: kibana_system\nelasticsearch.password: {v}",
            "SQL> INSERT INTO service_accounts (name, password) VALUES ('scada-bridge', '{v}');",
            SLACK + 'historian sa password is {v}, please move it to the vault", "ts": "{sts}"}',
            "$ gcloud secrets versions access latest --secret meters-db-password --project=brookmere-telemetry\n{v}",
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            VVV
            + 'changed: [{node}] => {"changed": true, "invocation": {"module_args": {"name": "ingest", "password": "{v}", "db": "meters"}}}',
            "$ helm install mqtt ./charts/mosquitto --set-string auth.password={v}",
            REG
            + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]\n"AutoAdminLogon"="1"\n"DefaultUserName"="hist-kiosk"\n"DefaultPassword"="{v}"',
            REG
            + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\Historian]\n"ConnectionString"="Server=hist-sql01;Database=Historian;User Id=svc_hist;Password={v};"',
            "connection bridge-cloud\naddress mqtt.brookmere.internal:8883\nremote_username bridge\nremote_password {v}",
            '{\n  "device_id": "{meter}",\n  "mqtt": {\n    "username": "meter-gw",\n    "password": "{v}"\n  }\n}',
            "30 1 * * * PGPASSWORD={v} pg_dump -h pg.brookmere.internal -U billing billing > /backup/billing.sql",
            "0 6 * * * curl -s -u svc-report:{v} https://reports.brookmere.internal/daily.csv -o /srv/reports/daily.csv",
            CI + "mysql -h {pip} -u ingest -p{v} meters < migrations/0042_add_pressure.sql",
            "$ az keyvault secret show --vault-name kv-brookmere-ops --name hist-sql-password --query value -o tsv\n{v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            ESLOG + "Authentication failed for header [Basic {v}] from [{pip}]",
            VVV
            + 'ok: [{node}] => {"invocation": {"module_args": {"headers": {"Authorization": "Basic {v}"}, "url": "https://historian.brookmere.internal/api"}}}',
            CI
            + 'curl -sf -H "Authorization: Basic {v}" https://nexus.brookmere.internal/service/rest/v1/status',
            "*/10 * * * * curl -s -H 'Authorization: Basic {v}' http://es-data-1:9200/_cluster/health > /tmp/es.json",
            SLACK + 'Kibana works with Authorization: Basic {v} if SSO is down", "ts": "{sts}"}',
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, rng.randint(32, 48)),
        [
            NGINX + '/v1/upload?meter={meter}&access_token={v} HTTP/1.1" 204 0 "-" "BrookmereMeter/2.3"',
            VVV
            + 'ok: [{node}] => {"invocation": {"module_args": {"headers": {"Authorization": "Bearer {v}"}}}}',
            CI
            + 'curl -sf -X POST -H "Authorization: Bearer {v}" https://deploy.brookmere.internal/hooks/release',
            "0 * * * * curl -s -H 'Authorization: Bearer {v}' https://telemetry.brookmere.internal/api/v2/export > /dev/null",
            KIBANA + '"retrying upload","http.request.headers.authorization":"Bearer {v}"}',
        ],
    ),
    (
        "generic-api-key",
        pre("", ALNUM, 40),
        [
            "$ helm install meter-ingest ./charts/meter-ingest --set ingest.apiKey={v}",
            "weather.api.key={v}",
            NGINX + '/v1/upload?api_key={v}&meter={meter} HTTP/1.1" 200 87 "-" "BrookmereMeter/2.4"',
            "INSERT INTO api_keys (id, owner, key) VALUES (31, 'leak-detector', '{v}');",
            ACT + '        "LEAK_API_KEY": {\n          "value": "{v}",',
            '{\n  "device_id": "{meter}",\n  "cloud": {\n    "api_key": "{v}"\n  }\n}',
        ],
    ),
    (
        "generic-api-key",
        es_api_key,
        [
            KIBANA + '"bulk request rejected","http.request.headers.authorization":"ApiKey {v}"}',
            "meter-ingest.elasticsearch.api-key={v}",
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-key",
        gcp_api,
        ["google.maps.api-key={v}", "$ helm install field-map ./charts/field-map --set maps.apiKey={v}"],
    ),
    (
        "gcp-key",
        lambda: "ya29.a0" + rs(B64URL, 150),
        [
            "$ gcloud auth print-access-token --impersonate-service-account=ingest@brookmere-telemetry.iam.gserviceaccount.com\n{v}",
            NGINX + '/export/readings.csv?access_token={v} HTTP/1.1" 200 88213 "-" "curl/8.5.0"',
        ],
    ),
    (
        "gcp-service-account-key",
        pk("pkcs8", "\\n"),
        [
            '$ cat ingest-key.json\n{\n  "type": "service_account",\n  "project_id": "brookmere-telemetry",\n  "private_key_id": "{sha7}",\n  "private_key": "{v}",\n  "client_email": "ingest@brookmere-telemetry.iam.gserviceaccount.com"\n}',
            '    gcp_sa_json: \'{"type": "service_account", "project_id": "brookmere-telemetry", "private_key": "{v}", "client_email": "ingest@brookmere-telemetry.iam.gserviceaccount.com"}\'',
        ],
    ),
    (
        "azure-key",
        az_client_secret,
        [
            '$ az ad sp create-for-rbac --name sp-historian-sync\n{\n  "appId": "{uuid}",\n  "displayName": "sp-historian-sync",\n  "password": "{v}",\n  "tenant": "{uuid}"\n}',
            "spring.cloud.azure.credential.client-secret={v}",
        ],
    ),
    (
        "azure-key",
        lambda: b64(draw.rbytes(64)),
        [
            '$ az storage account keys list -g rg-meters -n stbrookmerereadings\n[\n  {\n    "keyName": "key1",\n    "permissions": "FULL",\n    "value": "{v}"\n  }\n]',
            REG
            + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\Archive]\n"StorageConnection"="DefaultEndpointsProtocol=https;AccountName=stbrookmerereadings;AccountKey={v};EndpointSuffix=core.windows.net"',
        ],
    ),
    (
        "azure-key",
        lambda: b64(draw.rbytes(32)),
        [
            '{\n  "device_id": "{meter}",\n  "connection_string": "HostName=brookmere-meters.azure-devices.net;DeviceId={meter};SharedAccessKey={v}"\n}',
            "spring.jms.servicebus.connection-string=Endpoint=sb://brookmere-alerts.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            NGINX
            + '/fw/latest.bin?sv=2024-08-04&se=2026-12-31&sr=b&sp=r&sig={v} HTTP/1.1" 302 0 "-" "BrookmereMeter/2.4"'
        ],
    ),
    ("vendor-token", lambda: "AC" + rs(HEX, 32), ["notifier.twilio.account-sid={v}"]),
    ("vendor-token", lambda: "SK" + rs(HEX, 32), ["    twilio_api_key_sid: {v}"]),
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        ["spring.sendgrid.api-key={v}", ACT + '        "SENDGRID_API_KEY": {\n          "value": "{v}",'],
    ),
    (
        "vendor-token",
        pre("npm_", ALNUM, 36),
        [CI + 'echo "//registry.npmjs.org/:_authToken={v}" > ~/.npmrc'],
    ),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 64),
        [CI + "twine upload -u __token__ -p {v} dist/*"],
    ),
    (
        "vendor-token",
        pre("dckr_pat_", B64URL, 27),
        [CI + "docker login -u brookmerebuild -p {v} docker.io"],
    ),
    (
        "vendor-token",
        pre("hvs.", B64URL, 90),
        [
            CI + "export VAULT_TOKEN={v}",
            VVV + 'ok: [{node}] => {"auth": {"client_token": "{v}", "lease_duration": 2764800}}',
        ],
    ),
    ("vendor-token", pre("sk-proj-", B64URL, 74), [SLACK + 'the leak-summary bot uses {v}", "ts": "{sts}"}']),
    ("vendor-token", pre("sk-ant-api03-", B64URL, 93, "AA"), ["assistant.anthropic.api-key={v}"]),
    ("vendor-token", pre("hf_", ALNUM, 34), ["    hf_token: {v}"]),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        ["$ helm install grafana-agent ./charts/grafana-agent --set grafana.serviceAccountToken={v}"],
    ),
    ("vendor-token", pre("NRAK-", UP + DIG, 27), ["newrelic.api-key={v}"]),
    (
        "vendor-token",
        lambda: "ATATT3xFfGF0" + rs(B64URL, 170) + "=" + rs(HEX, 8).upper(),
        [SLACK + 'jira token for the leak-ticket bot: {v}", "ts": "{sts}"}'],
    ),
    ("vendor-token", pre("dop_v1_", HEX, 64), ["    do_api_token: {v}"]),
    (
        "vendor-token",
        lambda: f"{rng.randint(6_000_000_000, 7_999_999_999)}:AA{rs(B64URL, 33)}",
        [
            "*/15 * * * * curl -s 'https://api.telegram.org/bot{v}/sendMessage?chat_id=-100482&text=pump4' > /dev/null"
        ],
    ),
    (
        "vendor-token",
        lambda: "sk.eyJ1IjoiYnJvb2ttZXJlIiwiYSI6I" + rs(B64URL, 20) + "." + rs(B64URL, 22),
        ["field-map.mapbox.secret-token={v}"],
    ),
    (
        "vendor-token",
        lambda: "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134),
        [ACT + '        "FCM_SERVER_KEY": {\n          "value": "{v}",'],
    ),
    ("vendor-token", lambda: "key-" + rs(HEX, 32), ["spring.mailgun.api-key={v}"]),
    (
        "vendor-token",
        pre("lin_api_", ALNUM, 40),
        [SLACK + 'Linear key for the import is {v}", "ts": "{sts}"}'],
    ),
    (
        "vendor-token",
        lambda: "tskey-auth-k" + rs(ALNUM, 10) + "CNTRL-" + rs(ALNUM, 33),
        ["$ helm install tailscale-relay ./charts/tailscale --set authKey={v}"],
    ),
    (
        "gitlab-token",
        pre("glrt-", ALNUM + "-_", 20),
        [CI + "gitlab-runner register --non-interactive --url https://gitlab.brookmere.internal --token {v}"],
    ),
    (
        "generic-api-key",
        pre("", HEX, 32),
        [
            "$ helm install datadog ./charts/datadog --set datadog.apiKey={v}",
            "notifier.twilio.auth-token={v}",
            "    pagerduty_routing_key: {v}",
        ],
    ),
    (
        "generic-api-key",
        lambda: "00" + rs(ALNUM + "-_", 40),
        [VVV + 'ok: [{node}] => {"invocation": {"module_args": {"headers": {"Authorization": "SSWS {v}"}}}}'],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM, 32),
        ["xpack.encryptedSavedObjects.encryptionKey: {v}", "xpack.security.encryptionKey: {v}"],
    ),
    (
        "wireguard-private-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nAddress = 10.77.0.2/32\nPrivateKey = {v}\nListenPort = 51820"],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "$ cat ~/.ansible/vault_pass.txt\n{v}",
            "    snmp_community: {v}",
            VVV
            + 'ok: [{node}] => {"invocation": {"module_args": {"body": "grant_type=password&username=ops&password={v}"}}}',
            "spring.security.user.name=actuator\nspring.security.user.password={v}",
            "listener 8883\nallow_anonymous false\n# bootstrap user, remove after provisioning: meter-gw / {v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "spring.mail.url=smtp://alerts:{v}@smtp.brookmere.internal:587",
            "address amqps://bridge:{v}@events.brookmere.internal:5671",
            "$ helm install sftp-pull ./charts/sftp-pull --set source=sftp://contractor:{v}@files.brookmere.internal/outbound",
        ],
    ),
    (
        "generic-api-key",
        pre("", ALNUM, 32),
        [
            "0 */2 * * * WEATHER_API_KEY={v} /opt/brookmere/bin/fetch-rainfall.sh",
            REG + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\HistorianSync]\n"ApiKey"="{v}"',
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, 40),
        [
            "> On {day} Nov 2026, at {t}, {who} wrote:\n> > the contractor used Authorization: Bearer {v} against the export API"
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "$ gcloud secrets versions access 3 --secret scada-bridge-tls\n{v}",
        ],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "INSERT INTO customers (account_no, name, email) VALUES ('ACC-{job}', 'Customer {num}', '{v}');",
            "From: Billing Export <billing@brookmere.example>\nTo: {v}\nSubject: customers_2026-11.sql",
            '    "profile": {\n      "real_name": "Contractor",\n      "email": "{v}"',
            KIBANA + '"bill dispatch failed","user.email":"{v}"}',
            "MAILTO={v}\n0 5 * * * /opt/brookmere/bin/billing-reconcile.sh",
            "    escalation_contact: {v}",
            "alerts.recipient={v}",
            "Cc: {v}\nX-Mailer: Microsoft Outlook 16.0",
            SLACK + 'customer {v} got a bill for someone else\'s meter", "ts": "{sts}"}',
            ESLOG + "user [{v}] failed to authenticate against realm [native1]",
        ],
    ),
    (
        "phone",
        phone,
        [
            "INSERT INTO customers (account_no, phone, tariff) VALUES ('ACC-{job}', '{v}', 'domestic');",
            '    "profile": {\n      "real_name": "On-call",\n      "phone": "{v}"',
            "--\nThe contractor can be reached on {v}.",
            KIBANA + '"sms sent","sms.to":"{v}","template":"leak_alert"}',
            "    oncall_phone: '{v}'",
            '{\n  "device_id": "{meter}",\n  "alarm": {\n    "sms_to": ["{v}"]\n  }\n}',
            "0 7 * * * /opt/brookmere/bin/sms-notify --to '{v}' --template pump_report",
            SLACK + 'call me on {v} if the reservoir alarm fires again", "ts": "{sts}"}',
        ],
    ),
    (
        "credit-card",
        card,
        [
            "INSERT INTO payments (id, account_no, pan, amount) VALUES ({job}, 'ACC-{num}', '{v}', 84.20);",
            KIBANA + '"card declined","payment.card_number":"{v}"}',
            SLACK + 'the customer read their card out on the call: {v}", "ts": "{sts}"}',
            NGINX + '/pay/confirm?pan={v}&amount=84.20 HTTP/1.1" 302 0 "-" "Mozilla/5.0"',
            "> the direct-debit failed so she gave me her card, {v}, exp 03/29",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            '{v} - - [{day}/Nov/2026:{t}:42 +0000] "GET /actuator/env HTTP/1.1" 200 18231 "-" "python-requests/2.32.3"',
            "Received: from mail-out.contractor.example ([{v}])\n\tby mx1.brookmere.internal with ESMTPS id {sha7}",
            "X-Originating-IP: [{v}]",
            KIBANA + '"too many failed logins","source.ip":"{v}"}',
            SLACK + 'someone at {v} pulled /actuator/env 40 times", "ts": "{sts}"}',
            '$ az network public-ip show -g rg-meters -n pip-scada-vpn\n{\n  "ipAddress": "{v}",\n  "publicIPAllocationMethod": "Static"\n}',
            ESLOG + "Authentication to realm [native1] failed from [{v}]",
        ],
    ),
    ("email", email, ["Reply-To: {v}\nIn-Reply-To: <billing-export@brookmere.example>"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "ipv6",
        public_v6,
        [
            '{v} - - [{day}/Nov/2026:{t}:11 +0000] "GET /actuator/env HTTP/2.0" 200 18231 "-" "curl/8.5.0"',
            KIBANA + '"meter uplink from unexpected address","source.ip":"{v}"}',
            "Received: from [IPv6:{v}] by mx1.brookmere.internal",
        ],
    ),
    ("national-id", ssn, ["INSERT INTO contractors (name, ssn) VALUES ('Contractor {num}', '{v}');"]),
    (
        "national-id",
        nino,
        [
            "INSERT INTO staff (payroll_no, nino) VALUES ({job}, '{v}');",
            SLACK + 'her NI number is {v} for the payroll form", "ts": "{sts}"}',
        ],
    ),
    (
        "iban",
        lambda: iban("GB"),
        ["INSERT INTO mandates (account_no, iban) VALUES ('ACC-{job}', '{v}');", "> please refund to {v}"],
    ),
    ("iban", lambda: iban("DE"), [KIBANA + '"sepa mandate rejected","payment.iban":"{v}"}']),
    ("iban", lambda: iban("FR"), [SLACK + 'contractor invoice goes to {v}", "ts": "{sts}"}']),
    (
        "email",
        lambda: email().replace("@", "%40"),
        [NGINX + '/account/reset?email={v} HTTP/1.1" 200 312 "-" "Mozilla/5.0"'],
    ),
]


# ---------------------------------------------------------------------------- look-alikes
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "Running with gitlab-runner 17.5.3 (8ec04662)\nChecking out {v} as detached HEAD (ref is main)...",
            VVV + 'changed: [{node}] => {"after": "{v}", "before": null, "changed": true}',
            SLACK + 'fix for the actuator exposure merged in {v}", "ts": "{sts}"}',
            KIBANA + '"started","labels.git_commit":"{v}"}',
            '  "git": {\n    "branch": "main",\n    "commit": {\n      "id": "{v}"',
            "build.commit={v}",
            "$ helm install meter-ingest ./charts/meter-ingest --set image.revision={v}",
            "# {t} {who}: inventory fixed in {v}\n0 2 * * * /opt/brookmere/bin/rotate-logs.sh",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            '$ az ad sp show --id sp-historian-sync\n{\n  "appId": "{v}",\n  "displayName": "sp-historian-sync"',
            '  "tenantId": "{v}",',
            KIBANA + '"saved object conflict","kibana.saved_object.id":"{v}"}',
            '{"type": "message", "user": "{uid}", "client_msg_id": "{v}", "text": "looking", "ts": "{sts}"}',
            "INSERT INTO meters (id, serial, installed) VALUES ('{v}', '{meter}', '2024-03-11');",
            '{\n  "device_id": "{meter}",\n  "device_uuid": "{v}"\n}',
            NGINX + '/v1/upload?meter={meter} HTTP/1.1" 204 0 "-" "BrookmereMeter/2.4" request_id={v}',
            REG + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\HistorianSync]\n"InstanceId"="{{v}}"',
            VVV + 'ok: [{node}] => {"changed": false, "instance_id": "{v}"}',
            "spring.application.instance-id={v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            "$ helm install meter-ingest ./charts/meter-ingest --set image.digest={v}",
            CI + "docker pull registry.brookmere.internal/meter-ingest@{v}",
            "Using docker image {v} for registry.brookmere.internal/ci/ansible:2.17 ...",
            KIBANA + '"container started","container.image.hash.all":"{v}"}',
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            '{\n  "ota": {\n    "version": "2.4.11",\n    "sha256": "{v}"\n  }\n}',
            "$ sha256sum customers_2026-11.sql.gz\n{v}  customers_2026-11.sql.gz",
            VVV + 'ok: [{node}] => {"checksum_dest": null, "checksum_src": "{v}"}',
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        [VVV + 'changed: [{node}] => {"checksum": "{v}", "dest": "/etc/mosquitto/mosquitto.conf"}'],
    ),
    (
        "hash-or-digest",
        lambda: b64(draw.rbytes(32)),
        ["DKIM-Signature: v=1; a=rsa-sha256; d=brookmere.example; s=mail2026;\n\tbh={v};"],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            KIBANA + '"ingest timeout","trace.id":"{v}"}',
            NGINX + '/api/v2/readings?meter={meter} HTTP/1.1" 504 0 "-" "BrookmereMeter/2.4" trace={v}',
            "2026-11-{day}T{t}:03.118Z  WARN 1 --- [telemetry-api] [nio-8080-exec-4] [{v}-5e2b9a0c1d3f4a6b] o.s.w.s.h.HandlerMappingIntrospector : slow",
            ESLOG + "slow bulk request trace_id={v} took=31.2s",
            SLACK + 'trace {v} is the one that timed out", "ts": "{sts}"}',
        ],
    ),
    (
        "cloud-resource-id",
        lambda: rng.choice(
            [
                f"/subscriptions/{uuid4()}/resourceGroups/rg-meters/providers/Microsoft.Devices/IotHubs/brookmere-meters",
                f"arn:aws:s3:::brookmere-readings-{rs(LOW, 4)}",
                f"arn:aws:iam::{rs(DIG, 12)}:user/meter-ingest",
                f"projects/brookmere-telemetry/serviceAccounts/ingest@brookmere-telemetry.iam.gserviceaccount.com/keys/{rs(HEX, 40)}",
            ]
        ),
        [
            '  "id": "{v}",',
            '  "name": "{v}",',
            VVV + 'ok: [{node}] => {"changed": false, "resource": "{v}"}',
            SLACK + 'locked down {v}", "ts": "{sts}"}',
            "RB-47: the historian sync writes only to {v}.",
        ],
    ),
    (
        "placeholder",
        lambda: rng.choice(
            ["CHANGE_ME", "<password>", "REPLACE_ME", "changeme", "xxxxxxxxxxxx", "your-api-key", "TODO"]
        ),
        [
            "$ helm install timescale ./charts/timescaledb --set postgresql.auth.password={v}",
            "spring.datasource.password={v}",
            "      ansible_password: {v}",
            '{\n  "device_id": "{meter}",\n  "mqtt": {\n    "username": "meter-gw",\n    "password": "{v}"\n  }\n}',
            "30 1 * * * PGPASSWORD={v} pg_dump -h pg.brookmere.internal -U billing billing",
            REG + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\Deploy]\n"GitLabToken"="{v}"',
            "weather.api.key={v}",
            "remote_password {v}",
        ],
    ),
    (
        "templated-value",
        lambda: rng.choice(
            [
                '"{{ vault_db_password }}"',
                "\"{{ lookup('env', 'INGEST_TOKEN') }}\"",
                "$DB_PASSWORD",
                "${INGEST_API_KEY}",
                "${vcap.services.meters-db.credentials.password}",
                "$(cat /run/secrets/pg_password)",
                "$CI_REGISTRY_PASSWORD",
            ]
        ),
        [
            "    ansible_become_password: {v}",
            "    mqtt_password: {v}",
            "$ helm install meter-ingest ./charts/meter-ingest --set ingest.apiKey={v}",
            "spring.datasource.password={v}",
            "30 1 * * * PGPASSWORD={v} pg_dump -h pg.brookmere.internal -U billing billing > /backup/b.sql",
            CI + "echo {v} | docker login -u gitlab-ci-token --password-stdin registry.brookmere.internal",
            "$ helm upgrade mqtt ./charts/mosquitto --set-string auth.password={v}",
            "spring.mail.password={v}",
        ],
    ),
    (
        "masked-value",
        lambda: rng.choice(
            [
                "******",
                "[MASKED]",
                "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
                "[REDACTED]",
                "<redacted>",
                "sk_live_…",
            ]
        ),
        [
            ACT + '        "spring.datasource.password": {\n          "value": "{v}",',
            CI + "export AWS_SECRET_ACCESS_KEY={v}",
            VVV
            + 'changed: [{node}] => {"invocation": {"module_args": {"name": "ingest", "password": "{v}"}}}',
            KIBANA + '"upstream 401","http.request.headers.authorization":"{v}"}',
            ACT + '        "STRIPE_SECRET_KEY": {\n          "value": "{v}",',
            "notifier.slack.token={v}",
            SLACK + 'token is {v} in the log now, good", "ts": "{sts}"}',
        ],
    ),
    (
        "encrypted-value",
        lambda: ansible_vault("      "),
        [
            "scada:\n  vars:\n    vault_db_password: !vault |\n      {v}",
            "    mqtt_bridge_password: !vault |\n      {v}",
        ],
    ),
    (
        "encrypted-value",
        ansible_vault,
        ["$ cat group_vars/all/vault.yml\n{v}"],
    ),
    (
        "encrypted-value",
        lambda: "ENC(" + b64(draw.rbytes(rng.choice([32, 48]))) + ")",
        ["spring.datasource.password={v}", "billing.stripe.api-key={v}"],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(
            [
                "ansible_password",
                "remote_password",
                "spring.datasource.password",
                "access_token",
                "SharedAccessKey",
            ]
        ),
        [
            "PM-5203: the playbook printed {v} because no_log was missing on two tasks.",
            SLACK + 'where do we keep {v} now?", "ts": "{sts}"}',
            "| field | {v} | now in Key Vault |",
            "RB-47 step 4: rotate {v}, then restart the historian sync.",
            KIBANA + '"config key {v} is deprecated"}',
            "# {v} comes from the vault, never from this file",
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice([priv_ip(), priv_ip(), doc_ip(), "127.0.0.1", "169.254.169.254"]),
        [
            '{v} - - [{day}/Nov/2026:{t}:07 +0000] "GET /actuator/health HTTP/1.1" 200 15 "-" "kube-probe/1.30"',
            "    ingest-1:\n      ansible_host: {v}",
            "Received: from ingest-2.brookmere.internal ([{v}])\n\tby mx1.brookmere.internal",
            KIBANA + '"bulk ok","host.ip":"{v}"}',
            '  "privateIpAddress": "{v}",',
            "listener 1883 {v}",
            REG + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\Historian]\n"Server"="{v}"',
            "0 2 * * * rsync -a /srv/readings/ backup@{v}:/backup/readings/",
            VVV + "<{v}> SSH: EXEC ssh -o ControlPersist=60s -o User=deploy {node}.brookmere.internal",
        ],
    ),
    (
        "example-email",
        lambda: rng.choice(
            [
                "billing@brookmere.example",
                "noreply@brookmere.example",
                "dpo@example.org",
                "jane.doe@example.com",
                "ops@meters.test",
            ]
        ),
        [
            "From: Billing Export <{v}>\nTo: dpo@brookmere.example",
            "MAILTO={v}\n0 5 * * * /opt/brookmere/bin/billing-reconcile.sh --dry-run",
            "alerts.recipient={v}",
            "    escalation_contact: {v}",
            '    "profile": {\n      "real_name": "Ops bot",\n      "email": "{v}"',
        ],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(
            ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE"]
        ),
        [
            "# example from the AWS docs, not ours:\n#    aws_access_key_id: {v}",
            "# cloud.aws.credentials.access-key={v}  (docs sample)",
            SLACK + 'the {v} in the README is the AWS docs sample, fine", "ts": "{sts}"}',
        ],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(2, 8)}.{rng.randint(0, 17)}.{rng.randint(0, 12)}",
        [
            "$ helm install meter-ingest ./charts/meter-ingest --version {v} -n ingest",
            "ansible-playbook [core {v}]\n  config file = /builds/ops/inventory/ansible.cfg",
            "$ helm install es ./charts/elasticsearch --set image.tag={v}",
            '  "build": {\n    "version": "{v}",\n    "artifact": "telemetry-api"',
            '{\n  "device_id": "{meter}",\n  "firmware": "{v}"\n}',
            ESLOG + "version[{v}], pid[{num}], build[docker]",
        ],
    ),
    (
        "version-or-date",
        lambda: f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        ["RB-52 last reviewed {v}.", "INSERT INTO readings_archive (day, rows) VALUES ('{v}', 88412);"],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ansible@ops-jump",
        [
            '    - name: deploy key\n      ansible.posix.authorized_key:\n        user: deploy\n        key: "{v}"',
            CI + "cat ~/.ssh/id_ed25519.pub\n{v}",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "\n".join(
            ["-----BEGIN CERTIFICATE-----", "MIIBtjCCAVugAwIBAgIU" + rs(B64, 44)]
            + [rs(B64, 64) for _ in range(3)]
            + [rs(B64, 20) + "=", "-----END CERTIFICATE-----"]
        ),
        ["root@{meter}:~# cat /etc/meter/certs/device.crt\n{v}"],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        [
            "INSERT INTO payments (id, account_no, pan, amount, mode) VALUES ({job}, 'ACC-TEST', '{v}', 1.00, 'test');",
            SLACK + 'repro with the Stripe test card {v}", "ts": "{sts}"}',
            KIBANA + '"test-mode charge ok","payment.card_number":"{v}"}',
        ],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            "INSERT INTO meters (serial_long, account_no) VALUES ('{v}', 'ACC-{num}');",
            KIBANA + '"reading rejected","meter.serial":"{v}"}',
            '{\n  "device_id": "{meter}",\n  "module_imei_ext": "{v}"\n}',
            SLACK + 'meter {v} is sending negative flow again", "ts": "{sts}"}',
        ],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(4_000_000, 9_999_999)),
        [
            "Running with gitlab-runner 17.5.3 (8ec04662)\nPreparing environment for job {v}",
            "PM-5203: see pipeline {v}, job log attached.",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: "U0" + rs(UP + DIG, 9),
        [
            '{"type": "message", "user": "{v}", "text": "ack", "ts": "{sts}"}',
            '    "id": "{v}",\n    "team_id": "T0BRKMR01"',
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"179{rs(DIG, 7)}.{rs(DIG, 6)}",
        ['{"type": "message", "user": "{uid}", "text": "rotated", "ts": "{v}"}'],
    ),
    (
        "ids-and-numbers",
        lambda: rs(B64URL, 22),
        [
            ESLOG + "node [{v}] joined the cluster",
            KIBANA + '"shard relocated","elasticsearch.node.id":"{v}"}',
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"dword:{rs(HEX, 8)}",
        [REG + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\HistorianSync]\n"PollIntervalMs"={v}'],
    ),
    (
        "ids-and-numbers",
        lambda: f"ACC-{rng.randint(100_000, 999_999)}",
        [
            "INSERT INTO bills (account_no, period, total) VALUES ('{v}', '2026-10', 41.77);",
            "PM-5231: account {v} received the dump.",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"meters/{rng.randint(100_000, 299_999)}/readings/flow",
        ['{\n  "device_id": "{meter}",\n  "topic": "{v}"\n}', "topic readwrite {v}"],
    ),
    (
        "base64-nonsecret",
        lambda: b64(
            rng.choice(
                [b'{"flow_lpm":12.4,"pressure_bar":3.1}', b"meter ok; battery=87%", b"pumphouse 4 nominal"]
            )
        ),
        [
            KIBANA + '"raw payload","mqtt.payload":"{v}"}',
            '{\n  "device_id": "{meter}",\n  "last_payload_b64": "{v}"\n}',
            "INSERT INTO raw_uplinks (meter, payload) VALUES ('{meter}', '{v}');",
        ],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "encrypted-value",
        lambda: (
            "hex:01,00,00,00,d0,8c,9d,df,01,15,d1,11,8c,7a,00,c0,4f,c2,97,eb,01,00,00,00,"
            + ",".join(rs(HEX, 2) for _ in range(24))
        ),
        [REG + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\HistorianSync]\n"ProtectedPassword"={v}'],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 32),
        [
            '$ gcloud storage objects describe gs://brookmere-fw/2.4.11.bin --format=json\n{\n  "md5_hash": "{v}",'
        ],
    ),
    (
        "hash-or-digest",
        lambda: b64(draw.rbytes(16)),
        ['  "crc32c_hash": "{v}",'],
    ),
    ("trace-id", lambda: rs(HEX, 16), [KIBANA + '"span closed","span.id":"{v}"}']),
    (
        "uuid",
        uuid4,
        [
            '$ gcloud iam service-accounts describe ingest@brookmere-telemetry.iam.gserviceaccount.com\noauth2ClientId: "1048{num}"\nuniqueId: "{v}"'
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"<{rs(HEX, 16)}.{rs(DIG, 6)}@mx1.brookmere.example>",
        ["Message-ID: {v}\nMIME-Version: 1.0"],
    ),
    (
        "public-key-or-cert",
        lambda: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + rs(B64, 300) + "IDAQAB",
        ['mail2026._domainkey.brookmere.example. 3600 IN TXT "v=DKIM1; k=rsa; p={v}"'],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nAllowedIPs = 10.77.0.0/24\nEndpoint = vpn.brookmere.internal:51820"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["| {t} | tailnet | ops-jump is {v} |", "    ops-jump:\n      ansible_host: {v}"],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice(["fd00:ec2::254", "2001:db8:24::7", "fe80::1ff:fe23:4567:890a", "::1"]),
        [NGINX.replace("{dip}", "[{v}]") + '/actuator/health HTTP/1.1" 200 15 "-" "kube-probe/1.30"'],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"10.{rng.randint(0, 255)}.0.0/16",
        ['  "addressPrefix": "{v}",', "allow from {v} only, see RB-47"],
    ),
    (
        "ids-and-numbers",
        lambda: f"C0{rs(UP + DIG, 9)}",
        ['{"type": "message", "user": "{uid}", "channel": "{v}", "text": "moved", "ts": "{sts}"}'],
    ),
    (
        "ids-and-numbers",
        lambda: f"F0{rs(UP + DIG, 9)}",
        ['    "files": [{"id": "{v}", "name": "customers_2026-11.sql.gz", "mode": "hosted"}]'],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(1_790_000_000_000, 1_799_999_999_999)),
        [KIBANA + '"reading late","meter.sent_at_ms":{v}}'],
    ),
    (
        "ids-and-numbers",
        lambda: f"WTR-{rng.randint(1000, 9999)}",
        ["ADR-118: see {v} for the Slack retention change.", SLACK + 'tracked in {v}", "ts": "{sts}"}'],
    ),
    (
        "version-or-date",
        lambda: (
            f"v0.0.0-2026{rng.randint(1, 11):02d}{rng.randint(10, 28)}{rng.randint(10, 23)}{rng.randint(10, 59)}{rng.randint(10, 59)}-{rs(HEX, 12)}"
        ),
        ["\tgithub.com/brookmere/meter-gw/mqtt {v}"],
    ),
    (
        "hash-or-digest",
        lambda: "h1:" + b64(draw.rbytes(32)),
        ["github.com/eclipse/paho.mqtt.golang v1.5.0 {v}"],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 8),
        ["Running with gitlab-runner 17.5.3 ({v})\n  on brookmere-docker-1 k3_Pp2"],
    ),
    (
        "example-email",
        lambda: "security@brookmere.example",
        ["Reply-To: {v}\nSubject: Re: [PM-5231] customer dump sent to contractor"],
    ),
    (
        "placeholder",
        lambda: "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        ["# billing.stripe.api-key={v}"],
    ),
    (
        "masked-value",
        lambda: "AKIA****************",
        [VVV + 'ok: [{node}] => {"ansible_facts": {"aws_access_key_id": "{v}"}}'],
    ),
    (
        "keyword-no-value",
        lambda: "no_log: true",
        [
            "    - name: create ingest db user\n      community.postgresql.postgresql_user:\n        name: ingest\n      {v}"
        ],
    ),
    (
        "templated-value",
        lambda: "{{ .Values.mqtt.password | b64enc }}",
        ["  password: {v}"],
    ),
    (
        "uuid",
        uuid4,
        ['$ az account show\n{\n  "environmentName": "AzureCloud",\n  "id": "{v}",\n  "isDefault": true,'],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(1000, 99999)),
        ["Nov {day} {t}:00 ops-jump CRON[{v}]: (root) CMD (/opt/brookmere/bin/archive-readings.sh)"],
    ),
    (
        "keyword-no-value",
        lambda: "VaultPassword",
        [REG + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Brookmere\\Deploy]\n"{v}"=-'],
    ),
    (
        "templated-value",
        lambda: "${CI_JOB_TOKEN}",
        [CI + "git clone https://gitlab-ci-token:{v}@gitlab.brookmere.internal/ops/inventory.git"],
    ),
    (
        "masked-value",
        lambda: "xoxb-****",
        [SLACK + 'the old bot token ({v}) is revoked", "ts": "{sts}"}'],
    ),
    (
        "placeholder",
        lambda: "<device-password>",
        ['{\n  "device_id": "{meter}",\n  "broker_password": "{v}"\n}'],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["X-Originating-IP: [{v}]\nX-MS-Exchange-Organization-AuthAs: Internal"],
    ),
    (
        "example-email",
        lambda: "ci-bot@brookmere.example",
        [CI + "git log -1 --format='%an <%ae>'\nci-bot <{v}>"],
    ),
    (
        "cloud-resource-id",
        lambda: "ingest@brookmere-telemetry.iam.gserviceaccount.com",
        ['$ gcloud run services describe meter-ingest --format=json\n  "serviceAccountName": "{v}",'],
    ),
    (
        "version-or-date",
        lambda: f"8.{rng.randint(10, 16)}.{rng.randint(0, 4)}",
        [KIBANA + '"Kibana is now available","service.version":"{v}"}'],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [NGINX + '/v1/upload?meter={meter} HTTP/1.1" 204 0 "-" "BrookmereMeter/2.4" ssl_session={v}'],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt|sa)[-_][A-Za-z0-9_-]{20}|xox[bpae][-.]\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|ya29\.|sk\.eyJ"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dop_v1_|hvs\.[A-Za-z0-9]{6}|pypi-AgE|NRAK-|ATATT3|lin_api_|key-[0-9a-f]{32}"
    r"|tskey-|:APA91b|\d{9,10}:AA[A-Za-z0-9_-]{30}|SSWS \w|ApiKey \w|PrivateKey = \w"
    r"|AccountKey=[A-Za-z0-9+/]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}|sig=[A-Za-z0-9%]{20}|Q~[A-Za-z0-9_.~-]{30}"
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
    write_fold(sections, fold=FOLD, id_prefix="t24", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
