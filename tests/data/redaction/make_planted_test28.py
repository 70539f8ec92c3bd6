# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test28.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test28.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270128)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a solar-farm operator called Brackenlow Solar: PM-4602 the plant
telemetry pipeline (Kafka Connect and Debezium connector JSON, Flink, Spark ``spark-defaults.conf``,
Trino catalogs, ClickHouse ``users.xml``, InfluxDB and Telegraf, ``mongosh``, ``cqlshrc``, Neo4j,
Redis ACL files, the Elasticsearch keystore), PM-4609 observability vendor keys (OpenTelemetry
collector, Grafana Cloud, Honeycomb, Sentry, Splunk HEC, Sumo Logic, Vector), RB-31 site network
gear (Cisco IOS, Junos, SNMP, TACACS+/RADIUS, FreeRADIUS, IPMI and Redfish), RB-35 edge server
builds (Kickstart, cloud-init ``user-data``, iPXE, Packer, Vagrant, Dockerfile, docker-compose),
ADR-120 the public edge (Cloudflare, Fastly, Akamai ``.edgerc``, Route53, DNS records), PM-4615 the
community-share web shop (Shopify, Magento ``env.php``), PM-4621 collaboration tools (Atlassian,
Notion, Airtable, Asana, Zoom, Teams) and PM-4628 an investor and landowner data exposure (share
register CSV, SQL, support mail and chat). Common shapes come first in each kind
(``t28p…``/``t28n…``); the summary it prints says where the split falls.
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
    CRYPT,
    DIG,
    HEX,
    LOW,
    OK_MAIL,
    PHONEISH,
    UP,
    Draw,
    Gen,
    N,
    S,
    b64,
    b64url,
    expand_sections,
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
OUT = HERE / "planted_test28.jsonl"
FOLD = "test28"
rng = Random(20270128)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
akid, aws_secret, gcp_api = draw.akid, draw.aws_secret, draw.gcp_api
gh_token, gl_token, slack_token, slack_hook, stripe_key = (
    draw.gh_token,
    draw.gl_token,
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
ssn, nino, phone = draw.ssn, draw.nino, draw.phone

# Only type names earlier folds use.
TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = [
    "photon",
    "heliostat",
    "tracker",
    "combiner",
    "irradiance",
    "albedo",
    "bifacial",
    "kilowatt",
    "inverter",
    "meadow",
]

jwt = partial(
    draw.jwt,
    ["RS256", "ES256", "HS256"],
    ["https://sso.brackenlow.internal", "trino", "zoom-app", "scada-gw"],
    ["svc:telemetry", "user:ops-7", "site:SF-07", "svc:share-shop"],
)

password = partial(draw.password4, WORDS)

plain_pw = partial(draw.plain_password, WORDS)


def basic_cred() -> str:
    user = rng.choice(["telemetry", "otel-gw", str(rng.randint(300_000, 999_999)), "vector", "scada-export"])
    return b64(f"{user}:{plain_pw()}".encode())


au_phone, fr_phone, se_phone, ca_phone = draw.au_phone, draw.fr_phone, draw.se_phone, draw.ca_phone


# ---------------------------------------------------------------------------- national ids
FNR_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
FNR_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _mod11(digits: str, weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11
    return 0 if k == 11 else (None if k == 10 else k)


def fnr() -> str:
    """A Norwegian national identity number DDMMYY IIIKK with both mod-11 check digits."""
    while True:
        body = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}{rs(DIG, 3)}"
        k1 = _mod11(body, FNR_W1)
        if k1 is None:
            continue
        k2 = _mod11(body + str(k1), FNR_W2)
        if k2 is not None:
            return f"{body[:6]} {body[6:]}{k1}{k2}"


def fnr_ok(v: str) -> bool:
    d = v.replace(" ", "")
    return _mod11(d[:9], FNR_W1) == int(d[9]) and _mod11(d[:10], FNR_W2) == int(d[10])


HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu() -> str:
    """A Finnish personal identity code DDMMYY-NNNC (born in the 1900s), mod-31 check character."""
    body = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}"
    n = f"{rng.randint(2, 899):03d}"
    return f"{body}-{n}{HETU_CHECK[int(body + n) % 31]}"


def hetu_ok(v: str) -> bool:
    return HETU_CHECK[int(v[:6] + v[7:10]) % 31] == v[10]


PESEL_W = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def pesel() -> str:
    """A Polish PESEL (YYMMDDZZZXQ, born in the 1900s) with its weighted check digit."""
    body = f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rs(DIG, 4)}"
    return body + str((10 - sum(int(c) * w for c, w in zip(body, PESEL_W, strict=True)) % 10) % 10)


def pesel_ok(v: str) -> bool:
    return (10 - sum(int(c) * w for c, w in zip(v[:10], PESEL_W, strict=True)) % 10) % 10 == int(v[10])


PPSN_LETTERS = "WABCDEFGHIJKLMNOPQRSTUV"


def ppsn() -> str:
    """An Irish PPS number: seven digits and a mod-23 check letter."""
    d = rs(DIG, 7)
    return d + PPSN_LETTERS[sum(int(c) * w for c, w in zip(d, range(8, 1, -1), strict=True)) % 23]


def ppsn_ok(v: str) -> bool:
    return PPSN_LETTERS[sum(int(c) * w for c, w in zip(v[:7], range(8, 1, -1), strict=True)) % 23] == v[7]


def be_nn() -> str:
    """A Belgian national register number YY.MM.DD-SSS.CC (born in the 1900s), mod-97 check."""
    body = (
        f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(1, 997):03d}"
    )
    cc = 97 - int(body) % 97
    return f"{body[:2]}.{body[2:4]}.{body[4:6]}-{body[6:]}.{cc:02d}"


def be_nn_ok(v: str) -> bool:
    d = re.sub(r"\D", "", v)
    return 97 - int(d[:9]) % 97 == int(d[9:])


def national_id_ok(row: dict) -> bool:
    v = row["value"]
    if re.fullmatch(r"\d{6} \d{5}", v):
        return fnr_ok(v)
    if re.fullmatch(r"\d{6}-\d{3}[0-9A-Y]", v):
        return hetu_ok(v)
    if re.fullmatch(r"\d{11}", v):
        return pesel_ok(v)
    if re.fullmatch(r"\d{7}[A-W]", v):
        return ppsn_ok(v)
    if re.fullmatch(r"\d\d\.\d\d\.\d\d-\d{3}\.\d\d", v):
        return be_nn_ok(v)
    return ssn_or_nino_ok(v)


FIRST = ["aoife", "birgitta", "casimir", "dorota", "eero", "finnegan", "greet", "henrik", "iwona", "jokum"]
LAST = ["aaltonen", "brennan", "claes", "dabrowski", "engebretsen", "fitzpatrick", "goossens", "haugland"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "eircom.net",
    "icloud.com",
    "proton.me",
    "online.no",
    "wp.pl",
    "skynet.be",
]

email = partial(draw.email, FIRST, LAST, MAIL)


SVCS = ["telemetry-ingest", "scada-bridge", "forecast", "share-shop", "lease-ledger", "yield-report"]
STAFF = ["aisling", "bjorn", "ciara", "dawid", "elias", "fenna", "gustav", "hilde"]
HOSTS = ["edge-sf07-01", "kafka-2", "trino-coord", "ch-01", "bastion-1", "pxe-01"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "site": lambda: f"SF-{rng.randint(1, 14):02d}",
    "inv": lambda: f"INV-{rng.randint(100, 999):04d}",
    "tkt": lambda: str(rng.randint(7_000, 7_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

# Shapes of the positions, so templates stay readable.
CONNECT = '// connect/scada-pg-source.json (PUT /connectors/scada-pg-source/config)\n{\n  "connector.class": "io.debezium.connector.postgresql.PostgresConnector",\n  "database.hostname": "pg-scada.brackenlow.internal",\n  "database.user": "debezium",\n'
SINK = '// connect/readings-jdbc-sink.json\n{\n  "name": "inverter-readings-sink",\n  "config": {\n    "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector",\n    "topics": "inverter.readings.v2",\n'
KPROPS = "# /etc/kafka/client-telemetry.properties ({host})\nbootstrap.servers=kafka-1.brackenlow.internal:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
FLINK = "# flink/conf/flink-conf.yaml (yield-report job)\njobmanager.rpc.address: flink-jm.brackenlow.internal\nstate.backend.type: rocksdb\n"
SPARK = "# /opt/spark/conf/spark-defaults.conf\nspark.master                     k8s://https://k8s-data.brackenlow.internal:6443\nspark.sql.catalogImplementation  hive\n"
TRINO = "# trino/etc/catalog/scada.properties\nconnector.name=postgresql\nconnection-url=jdbc:postgresql://pg-scada.brackenlow.internal:5432/scada\nconnection-user=trino_ro\n"
HIVE = "# trino/etc/catalog/lake.properties\nconnector.name=hive\nhive.metastore.uri=thrift://hms.brackenlow.internal:9083\n"
CHUSERS = (
    "<!-- /etc/clickhouse-server/users.d/telemetry.xml -->\n<clickhouse>\n  <users>\n    <telemetry_rw>\n"
)
INFLUX = '# /etc/telegraf/telegraf.d/inverters.conf ({site})\n[[outputs.influxdb_v2]]\n  urls = ["https://influx.brackenlow.internal:8086"]\n  organization = "brackenlow"\n  bucket = "inverters"\n'
CQLSHRC = "# ~/.cassandra/cqlshrc (forecast team)\n[connection]\nhostname = cass-1.brackenlow.internal\nport = 9042\n[authentication]\nusername = forecast\n"
REDISACL = "# /etc/redis/users.acl (redis-telemetry)\nuser default off\n"
ESKS = "$ sudo -u elasticsearch /usr/share/elasticsearch/bin/elasticsearch-keystore "
OTEL = "# otel-collector/config.yaml (edge gateways)\nexporters:\n"
SPLUNKCONF = "# $SPLUNK_HOME/etc/apps/scada_hec/local/inputs.conf\n[http://scada-events]\ndisabled = 0\nindex = scada\n"
VECTOR = '# /etc/vector/vector.toml (edge-sf07-01)\n[sinks.out]\ntype = "splunk_hec_logs"\ninputs = ["journald"]\nendpoint = "https://hec.brackenlow.internal:8088"\n'
IOS = "! show running-config (sf07-core-sw1, IOS 15.9(3)M7), excerpt\nhostname sf07-core-sw1\n!\n"
JUNOS = "## show configuration | display set (sf03-edge-rtr, Junos 22.4R3)\n"
RADCLIENTS = "# /etc/freeradius/3.0/clients.conf\nclient sf07-core-sw1 {\n    ipaddr = 10.70.0.2\n"
KS = "# kickstart/edge-rocky9.ks (served by pxe-01)\nlang en_GB.UTF-8\ntimezone Europe/Dublin --utc\n"
CLOUDINIT = "#cloud-config\n# edge/user-data ({site} gateway)\nhostname: edge-gw\n"
IPXE = "#!ipxe\n# pxe-01:/srv/tftp/edge.ipxe\ndhcp\n"
PACKER = '# packer/edge-rocky9.pkr.hcl\nsource "qemu" "edge" {\n  iso_url      = "https://mirror.brackenlow.internal/rocky/9/Rocky-9-x86_64-minimal.iso"\n  ssh_username = "packer"\n'
VAGRANT = '# Vagrantfile (scada-bridge dev box)\nVagrant.configure("2") do |config|\n  config.vm.box = "rockylinux/9"\n'
DOCKERFILE = "# scada-bridge/Dockerfile\nFROM python:3.12-slim\nWORKDIR /app\n"
COMPOSE = "# deploy/compose.yaml (edge stack)\nservices:\n  {svc}:\n    image: registry.brackenlow.internal/edge/{svc}:2.4.1\n    environment:\n"
EDGERC = "# ~/.edgerc (ops laptop, {who})\n[default]\nhost = akab-"
CF = "# ops/cloudflare.env (ADR-120 appendix)\nCLOUDFLARE_ACCOUNT_ID="
MAGENTO = "<?php // shares-shop/app/etc/env.php\nreturn [\n    'backend' => ['frontName' => 'admin_bk'],\n"
SHOPIFY = "# share-shop/.env.production\nSHOPIFY_STORE=brackenlow-shares.myshopify.com\n"
JIRA = "Jira OPS-{tkt} comment by {who}: "
NOTION = "Notion export, page 'Site runbook SF-07' > Credentials (PM-4621): "
CHAT = "[{t}] {who}: "
SQLDUMP = "-- shareholders.sql (mysqldump of shares-shop, attached to PM-4628)\n"
CSV = "holder_id,name,email,phone,shares,iban,national_id\n"
MAILQ = "> From: investor relations <ir@brackenlow.example>\n> Subject: Re: share certificate\n> "
SCADALOG = "{ts} {site} scada-bridge[2210]: "


def influx_token() -> str:
    return rs(B64URL, 86) + "=="


def cf_token() -> str:
    return rs(ALNUM + "_-", 40)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            SPARK + "spark.hadoop.fs.s3a.access.key   {v}",
            HIVE + "hive.s3.aws-access-key={v}",
            DOCKERFILE + "ENV AWS_ACCESS_KEY_ID={v}\nENV AWS_DEFAULT_REGION=eu-west-1",
            "# external-dns/values.yaml (ADR-120)\nprovider: aws\naws:\n  region: eu-west-1\n  credentials:\n    accessKey: {v}",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            SPARK + "spark.hadoop.fs.s3a.secret.key   {v}",
            FLINK + "s3.access-key: AKIA_IN_VAULT\ns3.secret-key: {v}",
            "$ echo '{v}' | " + ESKS.removeprefix("$ ") + "add --stdin s3.client.default.secret_key",
            COMPOSE + "      AWS_SECRET_ACCESS_KEY: {v}",
            HIVE + "hive.s3.aws-secret-key={v}",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            VAGRANT
            + '  config.vm.provision "shell", path: "bootstrap.sh", env: {"GITHUB_TOKEN" => "{v}"}\nend',
            PACKER.replace(
                'source "qemu" "edge" {\n',
                'variable "gh_token" {\n  default = "{v}"\n}\nsource "qemu" "edge" {\n',
            )
            + "}",
            JIRA
            + "CI for scada-bridge was failing on the private submodule, I set GH_TOKEN={v} on the runner",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            CLOUDINIT
            + 'runcmd:\n  - curl --header "PRIVATE-TOKEN: {v}" https://git.brackenlow.internal/api/v4/projects/41/repository/archive.tar.gz -o /opt/edge.tgz',
            COMPOSE + "      GITLAB_TOKEN: {v}",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            '// jira automation rule export (OPS, "notify #site-ops")\n{"action": "slack.postMessage", "channel": "#site-ops", "slackToken": "{v}"}',
            "# splunk alert_actions.conf (local)\n[slack_app]\nparam.bot_token = {v}",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "# $SPLUNK_HOME/etc/apps/alert_webhook/local/alert_actions.conf\n[webhook]\nparam.url = {v}",
            VECTOR.replace('type = "splunk_hec_logs"', 'type = "http"').replace(
                'endpoint = "https://hec.brackenlow.internal:8088"', 'uri = "{v}"'
            ),
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            MAGENTO + "    'payment' => ['stripe_payments' => ['live_secret_key' => '{v}']],",
            COMPOSE + "      STRIPE_API_KEY: {v}",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "$ trino --server https://trino.brackenlow.internal:8443 --catalog scada --access-token {v}",
            '$ curl -s -H "Authorization: Bearer {v}" https://api.zoom.us/v2/users/me/meetings',
            CHAT + "zoom app jwt for the site-visit bot, expires next week: {v}",
            KPROPS.replace("SCRAM-SHA-512", "OAUTHBEARER")
            + "# token used while the IdP was down\nsasl.oauthbearer.token={v}",
        ],
    ),
    (
        "private-key",
        draw.pk("ssh"),
        [KS + "%post --log=/root/ks-post.log\ncat > /root/.ssh/id_ed25519 <<'EOF'\n{v}\nEOF\n%end"],
    ),
    (
        "private-key",
        draw.pk("rsa", "    "),
        [
            CLOUDINIT
            + "ssh_keys:\n  rsa_private: |\n    {v}\n  rsa_public: ssh-rsa AAAAB3NzaC1yc2E... root@edge-gw"
        ],
    ),
    (
        "private-key",
        draw.pk("pkcs8"),
        ["# /etc/ssl/private/cloudflare-origin.key (shop origin, pasted in ADR-120 review)\n{v}"],
    ),
    (
        "private-key",
        draw.pk("ec"),
        ["# kafka client key for scada-bridge (ssl.keystore.key in PEM), from PM-4602\n{v}"],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            '$ mongosh "mongodb+srv://forecast:{v}@weather.x7kqp.mongodb.net/forecasts?retryWrites=true"',
            SPARK
            + "spark.jars.repositories          https://spark-reader:{v}@nexus.brackenlow.internal/repository/maven-public",
            IPXE + "chain http://pxe:{v}@pxe-01.brackenlow.internal/boot/edge-rocky9.ipxe",
            PACKER.replace("https://mirror.", "https://packer:{v}@mirror.") + "}",
            COMPOSE
            + "      DATABASE_URL: postgresql://scada_bridge:{v}@pg-scada.brackenlow.internal:5432/scada",
            "$ redis-cli -u redis://telemetry:{v}@redis-telemetry.brackenlow.internal:6379/0 INFO keyspace",
            VECTOR.replace("splunk_hec_logs", "elasticsearch").replace(
                "hec.brackenlow.internal:8088", "vector:{v}@es-logs.brackenlow.internal:9200"
            ),
            SINK.replace("JdbcSinkConnector", "ElasticsearchSinkConnector")
            + '    "connection.url": "https://connect:{v}@es-logs.brackenlow.internal:9200"\n  }\n}',
            "$ git clone https://jira-bot:{v}@bitbucket.brackenlow.internal/scm/ops/site-runbooks.git",
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            CONNECT + '  "database.password": "{v}",\n  "database.dbname": "scada"\n}',
            SINK
            + '    "connection.url": "jdbc:clickhouse://ch-01.brackenlow.internal:8443/telemetry",\n    "connection.user": "connect",\n    "connection.password": "{v}"\n  }\n}',
            KPROPS
            + 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="telemetry" password="{v}";',
            TRINO + "connection-password={v}",
            CHUSERS
            + "      <password>{v}</password>\n      <networks><ip>10.0.0.0/8</ip></networks>\n    </telemetry_rw>\n  </users>\n</clickhouse>",
            CQLSHRC + "password = {v}",
            COMPOSE.replace("{svc}", "neo4j", 2) + "      NEO4J_AUTH: neo4j/{v}",
            REDISACL + "user telemetry on >{v} ~telemetry:* +@read +@write",
            "$ echo '{v}' | " + ESKS.removeprefix("$ ") + "add -x bootstrap.password",
            IOS + "username netops privilege 15 password 0 {v}",
            IOS + "snmp-server community {v} RO 10\nsnmp-server location {site}",
            IOS + "tacacs server TAC-1\n address ipv4 10.8.0.21\n key 0 {v}",
            RADCLIENTS + "    secret = {v}\n    shortname = sf07-core\n}",
            "$ ipmitool -I lanplus -H 10.70.9.11 -U ADMIN -P {v} chassis power cycle",
            KS + "rootpw --plaintext {v}\nbootloader --location=mbr",
            CLOUDINIT
            + "chpasswd:\n  expire: false\n  users:\n    - name: ops\n      password: {v}\n      type: text",
            PACKER + '  ssh_password = "{v}"\n}',
            VAGRANT + '  config.vm.provision "shell", inline: "echo \'vagrant:{v}\' | chpasswd"\nend',
            DOCKERFILE + 'ENV CLICKHOUSE_PASSWORD={v}\nCMD ["python", "-m", "scada_bridge"]',
            MAGENTO
            + "    'db' => ['connection' => ['default' => ['host' => 'mysql-shop', 'username' => 'magento', 'password' => '{v}']]],",
            "$ /opt/splunkforwarder/bin/splunk add forward-server splunk-idx.brackenlow.internal:9997 -auth admin:{v}",
            "$ influx setup --org brackenlow --bucket inverters --username admin --password {v} --force",
            JUNOS
            + "set system login user netops class super-user authentication plain-text-password-value {v}",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            CHAT + "sf07 core switch console is netops / {v} until RB-31 rotation",
            JIRA + "inverter portal for {site} still uses installer login with {v}, please rotate",
            NOTION + "SCADA HMI operator login: operator / {v}",
            "$ curl -k -u root:{v} https://bmc-sf07-01.brackenlow.internal/redfish/v1/Systems/1",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            OTEL
            + "  otlphttp/grafana:\n    endpoint: https://otlp-gateway-prod-eu-west-2.grafana.net/otlp\n    headers:\n      Authorization: Basic {v}",
            "> POST /api/v2/write?org=brackenlow&bucket=inverters HTTP/1.1\n> Host: influx.brackenlow.internal:8086\n> Authorization: Basic {v}",
            '$ curl -H "Authorization: Basic {v}" https://connect.brackenlow.internal:8083/connectors',
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, rng.randint(32, 48)),
        [
            "> GET /v1/statement/executing HTTP/1.1\n> Host: trino.brackenlow.internal\n> Authorization: Bearer {v}",
            OTEL
            + "  otlp/forecast:\n    endpoint: collector.brackenlow.internal:4317\n    headers:\n      authorization: Bearer {v}",
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 32),
        [
            OTEL
            + "  otlp/honeycomb:\n    endpoint: api.eu1.honeycomb.io:443\n    headers:\n      x-honeycomb-team: {v}",
            "# forecast/.env\nOPENWEATHER_API_KEY={v}\nFORECAST_HORIZON_H=48",
        ],
    ),
    (
        "generic-api-key",
        lambda: uuid4().upper(),
        [
            '$ curl -k https://hec.brackenlow.internal:8088/services/collector/event -H "Authorization: Splunk {v}" -d \'{"event": "test"}\'',
            SPLUNKCONF + "token = {v}",
            VECTOR + 'default_token = "{v}"',
        ],
    ),
    (
        "generic-api-key",
        influx_token,
        [
            INFLUX + '  token = "{v}"',
            "$ influx config create --config-name prod --host-url https://influx.brackenlow.internal:8086 --org brackenlow --token {v} --active",
        ],
    ),
    (
        "generic-api-key",
        cf_token,
        [
            CF + "3f1c0e6a9d2b4e7f8a1c5d9e0b2f4a6c\nCLOUDFLARE_API_TOKEN={v}",
            '$ curl -s https://api.cloudflare.com/client/v4/user/tokens/verify -H "Authorization: Bearer {v}"',
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 37),
        [
            '$ curl -s https://api.cloudflare.com/client/v4/zones -H "X-Auth-Email: ops@brackenlow.example" -H "X-Auth-Key: {v}"'
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM + "-_", 32),
        [
            '$ curl -X POST -H "Fastly-Key: {v}" https://api.fastly.com/service/4xKq2p9LmN7rT5vW8yZ1bC/purge_all'
        ],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        [
            EDGERC
            + "k3x7q9z2m4p8w1v5-b6n0c2r8t4y7u1i3.luna.akamaiapis.net\nclient_secret = {v}\nmax-body = 131072"
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 32),
        [MAGENTO + "    'crypt' => ['key' => '{v}'],"],
    ),
    (
        "vendor-token",
        lambda: (
            "glc_"
            + b64(
                json.dumps(
                    {
                        "o": str(rng.randint(400_000, 999_999)),
                        "n": "otel-edge-" + rs(LOW, 4),
                        "k": rs(ALNUM, 24),
                        "m": {"r": "prod-eu-west-2"},
                    },
                    separators=(",", ":"),
                ).encode()
            )
        ),
        [
            '# alloy/config.alloy (edge gateways)\nprometheus.remote_write "grafanacloud" {\n  endpoint {\n    url = "https://prometheus-prod-24-prod-eu-west-2.grafana.net/api/prom/push"\n    basic_auth {\n      username = "1284411"\n      password = "{v}"\n    }\n  }\n}',
            DOCKERFILE + "ENV GRAFANA_CLOUD_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "hcaik_01j" + rs(LOW + DIG, 55),
        [COMPOSE.replace("{svc}", "otel-collector", 2) + "      HONEYCOMB_API_KEY: {v}"],
    ),
    (
        "vendor-token",
        lambda: (
            "sntrys_"
            + b64(
                json.dumps(
                    {
                        "iat": rng.randint(1_790_000_000, 1_799_000_000),
                        "url": "https://sentry.io",
                        "region_url": "https://de.sentry.io",
                        "org": "brackenlow",
                    },
                    separators=(",", ":"),
                ).encode()
            ).rstrip("=")
            + "_"
            + rs(B64, 43)
        ),
        [
            "# .github/workflows/release.yml, step 'upload sourcemaps' (share-shop)\n        env:\n          SENTRY_AUTH_TOKEN: {v}"
        ],
    ),
    (
        "vendor-token",
        lambda: "shpat_" + rs(HEX, 32),
        [
            SHOPIFY + "SHOPIFY_ADMIN_API_ACCESS_TOKEN={v}",
            CHAT + "shop sync is back, I used the admin token {v} from the custom app",
        ],
    ),
    (
        "vendor-token",
        lambda: "ATATT3xFfGF0" + rs(B64URL, 171) + "=" + rs(HEX.upper(), 8),
        ["$ curl -u jira-bot@brackenlow.example:{v} https://brackenlow.atlassian.net/rest/api/3/myself"],
    ),
    (
        "vendor-token",
        lambda: "secret_" + rs(ALNUM, 43),
        [
            '# ops-tools/notion_sync.py\nNOTION_TOKEN = "{v}"\nDATABASE_ID = "8a1f3c2d9e4b4f6a9c0d1e2f3a4b5c6d"'
        ],
    ),
    (
        "vendor-token",
        lambda: "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64),
        ['$ curl "https://api.airtable.com/v0/appQ4r7tLm2Xk9Pz1/Landowners" -H "Authorization: Bearer {v}"'],
    ),
    (
        "vendor-token",
        lambda: "npm_" + rs(ALNUM, 36),
        [
            DOCKERFILE
            + 'ARG NPM_TOKEN={v}\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci'
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
def cf_tunnel_token() -> str:
    payload = {"a": rs(HEX, 32), "t": uuid4(), "s": b64(draw.rbytes(32))}
    return b64(json.dumps(payload, separators=(",", ":")).encode())


sealed = partial(draw.sealed, 361)


RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "vendor-token",
        lambda: "akab-" + rs(LOW + DIG, 16) + "-" + rs(LOW + DIG, 16),
        [EDGERC + "q2w9e4r7t1y5u8i3-o6p0a2s8d4f7g1h3.luna.akamaiapis.net\naccess_token = {v}"],
    ),
    (
        "vendor-token",
        lambda: "v1.0-" + rs(HEX, 24) + "-" + rs(HEX, 146),
        ["# cert-manager origin-ca-issuer Secret, as pasted in ADR-120 review\nkey: {v}"],
    ),
    ("vendor-token", cf_tunnel_token, ["$ cloudflared tunnel --no-autoupdate run --token {v}"]),
    (
        "vendor-token",
        lambda: "2/" + "1" + rs(DIG, 15) + "/" + "1" + rs(DIG, 15) + ":" + rs(HEX, 32),
        ['# ops-tools/asana_site_tasks.py\nclient = asana.Client.access_token("{v}")'],
    ),
    ("vendor-token", lambda: "shpss_" + rs(HEX, 32), [SHOPIFY + "SHOPIFY_WEBHOOK_SECRET={v}"]),
    (
        "vendor-token",
        lambda: "sntryu_" + rs(HEX, 64),
        ["$ sentry-cli --auth-token {v} releases new share-shop@3.8.0"],
    ),
    (
        "vendor-token",
        lambda: "ntn_" + rs(DIG, 11) + rs(ALNUM, 35),
        [CHAT + "new notion integration token for the runbook sync: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://endpoint{rng.randint(1, 6)}.collection.eu.sumologic.com/receiver/v1/http/ZaVnC4dhaV"
            + rs(B64URL, 110)
            + "=="
        ),
        [
            FLINK.replace("flink-conf.yaml (yield-report job)", "log4j-console.properties").replace(
                "jobmanager.rpc.address: flink-jm.brackenlow.internal\nstate.backend.type: rocksdb\n",
                "appender.sumo.type = SumoLogicAppender\n",
            )
            + "appender.sumo.url = {v}"
        ],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://prod-{rng.randint(10, 99)}.westeurope.logic.azure.com:443/workflows/{rs(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={rs(B64URL, 43)}"
        ),
        ["PS> Invoke-RestMethod -Method Post -ContentType 'application/json' -Body $card -Uri '{v}'"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://brackenlow.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ['// jira automation rule export (OPS, "post to Teams")\n{"action": "webhook.send", "url": "{v}"}'],
    ),
    (
        "generic-api-key",
        lambda: b64((rs(B64URL, 20) + ":" + rs(B64URL, 22)).encode()),
        ['$ curl -H "Authorization: ApiKey {v}" https://es-logs.brackenlow.internal:9200/_cat/indices'],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM + "+/", 64),
        [
            KPROPS.replace("SCRAM-SHA-512", "PLAIN").replace(
                "kafka-1.brackenlow.internal:9093", "pkc-4r297.westeurope.azure.confluent.cloud:9092"
            )
            + 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="QK4TZ7N2LJ5YH3XW" password="{v}";'
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM, 64),
        ["# sumo-collector/user.properties\naccessid=suB7kQ2mX9pLw4\naccesskey={v}"],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM, 32),
        [
            "# ops-tools/.env (site-visit bot)\nZOOM_ACCOUNT_ID=Xk2Qp9LmRt\nZOOM_CLIENT_ID=bR7tQ2nLpXk4\nZOOM_CLIENT_SECRET={v}"
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM, 32),
        [SPARK + "spark.authenticate               true\nspark.authenticate.secret        {v}"],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(48)),
        ["# trino/etc/config.properties\ncoordinator=true\ninternal-communication.shared-secret={v}"],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(96)),
        ["# /etc/mongod/keyfile (replica set, pasted in PM-4602)\n{v}"],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 32),
        ['<script src="https://api.solcast.com.au/embed.js?api_key={v}"></script>'],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "-- flink sql client (yield-report)\nCREATE TABLE readings (site STRING, kw DOUBLE) WITH (\n  'connector' = 'kafka',\n  'topic' = 'inverter.readings.v2',\n  'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.scram.ScramLoginModule required username=\"flink\" password=\"{v}\";'\n);",
            CHUSERS.replace("users.d/telemetry.xml", "config.d/interserver.xml").replace(
                "  <users>\n    <telemetry_rw>\n",
                "  <interserver_http_credentials>\n    <user>interserver</user>\n",
            )
            + "    <password>{v}</password>\n  </interserver_http_credentials>\n</clickhouse>",
            "# /etc/redis/redis.conf (redis-telemetry replica)\nreplicaof 10.20.4.11 6379\nmasterauth {v}",
            "$ cypher-shell -a neo4j+s://neo4j.brackenlow.internal:7687 -u neo4j -p {v} 'MATCH (s:Site) RETURN count(s)'",
            IOS + "enable password {v}\nservice password-encryption",
            IOS + "radius server RAD-1\n address ipv4 10.8.0.22 auth-port 1812 acct-port 1813\n key 0 {v}",
            "# /etc/tacacs+/tac_plus.conf\nkey = {v}\naccounting file = /var/log/tac_plus.acct",
            '$ snmpwalk -v3 -l authPriv -u monitor -a SHA -A {v} -x AES -X "$SNMP_PRIV" 10.70.0.2 system',
            JUNOS + "set snmp community {v} authorization read-only",
            KS + "user --name=ops --groups=wheel --password={v} --plaintext",
            IPXE
            + "set username pxe\nset password {v}\nchain https://pxe-01.brackenlow.internal/boot/edge.ipxe",
            PACKER.replace('source "qemu" "edge"', 'source "hyperv-iso" "win-hmi"').replace(
                'ssh_username = "packer"', 'communicator = "winrm"'
            )
            + '  winrm_password = "{v}"\n}',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            MAILQ + "The certificate PDF is protected with the password {v} (sent separately, as agreed).",
            NOTION + "Zoom host key for the investor AGM call, admin account password {v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "{ts} ERROR forecast pymongo.errors.ServerSelectionTimeoutError: mongodb://forecast:{v}@10.30.2.15:27017/?authSource=admin",
        ],
    ),
    (
        "password-in-url",
        lambda: rs(HEX, 32),
        [
            '// share-shop/src/sentry.server.ts\nSentry.init({ dsn: "https://6a1f0c9e2b7d4e3f8a5c1d0e9b2f4a7c:{v}@o4507112.ingest.de.sentry.io/4507113" });'
        ],
    ),
    (
        "gcp-key",
        gcp_api,
        [
            '<!-- shares-shop: site map widget -->\n<script src="https://maps.googleapis.com/maps/api/js?key={v}&callback=initSites"></script>'
        ],
    ),
    (
        "azure-key",
        lambda: b64(draw.rbytes(64)),
        [FLINK + "fs.azure.account.key.brackenlowlake.blob.core.windows.net: {v}"],
    ),
    (
        "aws-key",
        akid,
        ["# ~/.aws/credentials (route53 updater on bastion-1)\n[dns]\naws_access_key_id = {v}"],
    ),
    (
        "github-token",
        lambda: "ghp_" + rs(ALNUM, 36),
        [
            CLOUDINIT
            + "runcmd:\n  - git clone https://{v}@github.com/brackenlow/edge-agent.git /opt/edge-agent"
        ],
    ),
    ("slack-webhook", slack_hook, ['# ops-tools/airtable_scripts/notify.js\nconst HOOK = "{v}";']),
    ("stripe-key", lambda: "rk_live_51" + rs(ALNUM, 97), [SHOPIFY + "STRIPE_RESTRICTED_KEY={v}"]),
    (
        "jwt",
        jwt,
        ["> GET /db/neo4j/tx HTTP/1.1\n> Host: neo4j.brackenlow.internal:7473\n> Authorization: Bearer {v}"],
    ),
    (
        "k8s-secret-b64",
        lambda: b64(cf_token().encode()),
        [
            "# kubectl -n cert-manager get secrets/cloudflare-api-token -o yaml\napiVersion: v1\nkind: Secret\ndata:\n  api-token: {v}"
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        ['{ts} WARN vector::sinks::http retrying request, headers={"authorization": "Basic {v}"}'],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            CSV + "CS-10411,Aoife Brennan,{v},,250,,",
            SQLDUMP
            + "INSERT INTO customer_entity (entity_id, email, firstname) VALUES (3301, '{v}', 'Greet');",
            JIRA + "investor asks us to update her contact address to {v}",
            MAILQ + "Please send the dividend statement to {v} from now on.",
            CHAT + "landowner at {site} replied from {v}, forwarding to legal",
            "{ts} INFO share-shop order 100004211 confirmation sent to={v}",
        ],
    ),
    (
        "phone",
        phone,
        [
            CSV + "CS-10412,Henrik Haugland,,{v},120,,",
            JIRA + "landowner for {site} wants a call back on {v} about the access gate",
            CHAT + "the night technician at {site} is on {v}",
            SQLDUMP + "UPDATE customer_address_entity SET telephone = '{v}' WHERE entity_id = 3302;",
            SCADALOG + "alarm escalation SMS sent to {v} (on-call)",
            MAILQ + "You can reach me on {v} most mornings.",
        ],
    ),
    (
        "credit-card",
        card,
        [
            "{ts} ERROR share-shop payment declined cc_number={v} order=100004212",
            JIRA + "investor pasted the full card {v} into the contact form",
            CHAT + "someone typed {v} into the Zoom chat during the AGM, screenshot in PM-4628",
            SQLDUMP + "INSERT INTO quote_payment (quote_id, cc_number_enc) VALUES (88121, '{v}');",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} INFO share-shop POST /checkout/onepage/success 200 client_ip={v}",
            "sf07-core-sw1: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: {v}] [localport: 22]",
            "{ts} WARN es-logs [o.e.x.s.a.AuthenticationService] authentication failed for user [elastic] from [{v}]",
            JIRA + "Cloudflare shows the scraping from {v}, blocked by a WAF rule",
            '{"timestamp": "2026-03-04T02:11:09Z", "ClientIP": "{v}", "ClientRequestHost": "shares.brackenlow.example", "EdgeResponseStatus": 403}',
        ],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "# Airtable 'Landowners' export\nlandowner_id,site,contact\nLO-0412,{site},{v}",
            NOTION + "site access contact (landowner): {v}",
        ],
    ),
    (
        "credit-card",
        card,
        [
            SQLDUMP
            + "INSERT INTO sales_order_payment (parent_id, cc_last_4, additional_data) VALUES (4211, '0000', 'pan={v}');"
        ],
    ),
    ("phone", se_phone, [CSV + "CS-10413,Birgitta Claes,,{v},75,,"]),
    ("phone", ca_phone, [JIRA + "Canadian investor, phone {v}, asks about the transfer form"]),
    ("phone", au_phone, [MAILQ + "Our Sydney office is on {v} if that is easier."]),
    ("phone", fr_phone, [CHAT + "the French inverter service engineer is on {v}"]),
    (
        "ipv6",
        public_v6,
        [
            "{ts} INFO share-shop GET /customer/account 200 client_ip={v}",
            '{"timestamp": "2026-03-04T02:12:40Z", "ClientIP": "{v}", "EdgeResponseStatus": 200}',
        ],
    ),
    ("national-id", ssn, [CSV.replace("iban,national_id", "ssn") + "CS-10414,Casimir Fitzpatrick,,,40,{v}"]),
    ("national-id", nino, [CSV + "CS-10415,Finnegan Brennan,,,300,,{v}"]),
    (
        "national-id",
        fnr,
        [CSV.replace("national_id", "fodselsnummer") + "CS-10416,Jokum Engebretsen,,,60,,{v}"],
    ),
    ("national-id", hetu, [JIRA + "investor sent her henkilötunnus {v} in the share transfer e-mail"]),
    ("national-id", pesel, [CSV.replace("national_id", "pesel") + "CS-10417,Dorota Dabrowski,,,90,,{v}"]),
    ("national-id", ppsn, [MAILQ + "My PPS number is {v}, for the dividend tax form."]),
    (
        "national-id",
        be_nn,
        [
            SQLDUMP
            + "INSERT INTO kyc_documents (customer_id, doc_type, doc_number) VALUES (3305, 'BE-eID', '{v}');"
        ],
    ),
    ("iban", lambda: iban_of("NO", rs(DIG, 11)), [CSV + "CS-10418,Eero Haugland,,,150,{v},"]),
    (
        "iban",
        lambda: iban_of("IE", rs(UP, 4) + rs(DIG, 14)),
        ["Lease payment run 2026-03 (LO-0413, {site}): credit {v} EUR 4,120.00"],
    ),
    ("iban", lambda: iban_of("PL", rs(DIG, 24)), [MAILQ + "Please pay the dividend to {v} instead."]),
]


# ---------------------------------------------------------------------------- look-alikes


def md5_crypt() -> str:
    return "$1$" + rs(CRYPT, 4) + "$" + rs(CRYPT, 22)


def cisco_scrypt(kind: str) -> str:
    return f"${kind}$" + rs(CRYPT, 14) + "$" + rs(CRYPT, 43)


sha512_crypt = draw.sha512_crypt


def yescrypt() -> str:
    return "$y$j9T$" + rs(CRYPT, 22) + "$" + rs(CRYPT, 43)


apr1 = draw.apr1


def scram() -> str:
    return f"SCRAM-SHA-256$4096:{b64(draw.rbytes(16))}${b64(draw.rbytes(32))}:{b64(draw.rbytes(32))}"


def mysql_native() -> str:
    return "*" + rs(HEX.upper(), 40)


def pbkdf2_django() -> str:
    return f"pbkdf2_sha256$600000${rs(ALNUM, 22)}${b64(draw.rbytes(32))}"


def grub_pbkdf2() -> str:
    return f"grub.pbkdf2.sha512.10000.{rs(HEX.upper(), 128)}.{rs(HEX.upper(), 128)}"


JUNIPER9 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./-"


def juniper9() -> str:
    return "$9$" + rs(JUNIPER9, rng.randint(18, 34))


def eyaml() -> str:
    return (
        "ENC[PKCS7,MIIBiQYJKoZIhvcNAQcDoIIBejCCAXYCAQAxggEhMIIBHQIBADAFMAACAQEwDQYJKoZIhvcNAQEBBQAEggEA"
        + rs(B64, 300)
        + "]"
    )


def vault_transit() -> str:
    return "vault:v1:" + b64(draw.rbytes(44))


cert_pem = draw.cert_pem


def pgp_pub() -> str:
    body = ["mQINBG" + rs(B64, 58)] + [rs(B64, 64) for _ in range(5)] + ["=" + rs(B64, 4)]
    return "\n".join(
        ["-----BEGIN PGP PUBLIC KEY BLOCK-----", "", *body, "-----END PGP PUBLIC KEY BLOCK-----"]
    )


def dkim() -> str:
    return "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + rs(B64, 300) + "IDAQAB"


reserved_v4 = draw.reserved_v4


def kafka_cluster_id() -> str:
    return b64url(draw.rbytes(16))


def sentry_public_dsn() -> str:
    return f"https://{rs(HEX, 32)}@o{rng.randint(4_500_000, 4_599_999)}.ingest.de.sentry.io/{rng.randint(4_500_000, 4_599_999)}"


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            PACKER + '  # built from edge-image commit {v}\n  ssh_timeout = "20m"\n}',
            JIRA + "the leaked connector JSON was removed in {v}, history rewritten after",
            "{ts} INFO share-shop release 3.8.0 deployed, commit={v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "> POST /services/collector/event HTTP/1.1\n> X-Splunk-Request-Channel: {v}",
            VAGRANT
            + '  config.vm.provider "virtualbox" do |vb|\n    vb.customize ["modifyvm", :id, "--hardwareuuid", "{v}"]\n  end\nend',
            '{"timestamp": "2026-03-04T02:11:09Z", "RayID": "8a1f3c2d9e4b7f6a", "WAFRuleID": "{v}", "EdgeResponseStatus": 403}',
        ],
    ),
    (
        "hash-or-digest",
        md5_crypt,
        [
            IOS + "enable secret 5 {v}",
        ],
    ),
    (
        "hash-or-digest",
        partial(cisco_scrypt, "9"),
        [
            IOS + "enable algorithm-type scrypt secret 9 {v}",
            IOS + "username netops privilege 15 secret 9 {v}",
        ],
    ),
    ("hash-or-digest", partial(cisco_scrypt, "8"), [IOS + "username audit privilege 5 secret 8 {v}"]),
    (
        "hash-or-digest",
        sha512_crypt,
        [
            KS + "rootpw --iscrypted {v}",
            CLOUDINIT + "users:\n  - name: ops\n    lock_passwd: false\n    passwd: {v}",
            JUNOS + 'set system root-authentication encrypted-password "{v}"',
        ],
    ),
    (
        "hash-or-digest",
        yescrypt,
        ["# /etc/shadow on edge-sf07-01 (PM-4602 appendix)\nops:{v}:20221:0:99999:7:::"],
    ),
    ("hash-or-digest", apr1, ["# /etc/nginx/htpasswd.grafana (edge)\nsiteops:{v}"]),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            CHUSERS
            + "      <password_sha256_hex>{v}</password_sha256_hex>\n    </telemetry_rw>\n  </users>\n</clickhouse>",
            REDISACL + "user telemetry on #{v} ~telemetry:* +@read",
            "_443._tcp.shares.brackenlow.example. 3600 IN TLSA 3 1 1 {v}",
        ],
    ),
    (
        "hash-or-digest",
        scram,
        [
            "scada=# SELECT rolname, rolpassword FROM pg_authid WHERE rolname = 'debezium';\n rolname  | rolpassword\n----------+-------------\n debezium | {v}"
        ],
    ),
    (
        "hash-or-digest",
        mysql_native,
        [SQLDUMP + "-- mysql.user excerpt\n('magento','%','mysql_native_password','{v}')"],
    ),
    (
        "hash-or-digest",
        pbkdf2_django,
        [
            '# lease-ledger fixture (Django)\n{"model": "auth.user", "fields": {"username": "ledger-admin", "password": "{v}"}}'
        ],
    ),
    ("hash-or-digest", grub_pbkdf2, [KS + "bootloader --location=mbr --iscrypted --password={v}"]),
    (
        "hash-or-digest",
        lambda: "SHA256:" + b64(draw.rbytes(32)).rstrip("="),
        [
            "The authenticity of host 'edge-sf07-01 (10.70.1.5)' can't be established.\nED25519 key fingerprint is {v}.",
            CHAT + "bastion-1 host key is {v}, check it before you accept",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [COMPOSE + "      MODE: edge\n    # image pinned to registry.brackenlow.internal/edge/collector@{v}"],
    ),
    (
        "encrypted-value",
        juniper9,
        [
            JUNOS + 'set system radius-server 10.8.0.22 secret "{v}"',
            JUNOS + 'set system tacplus-server 10.8.0.21 secret "{v}" ## SECRET-DATA',
        ],
    ),
    (
        "encrypted-value",
        eyaml,
        ["# hieradata/nodes/edge-sf07-01.yaml\nprofile::scada::db_password: >\n    {v}"],
    ),
    (
        "encrypted-value",
        vault_transit,
        [SQLDUMP + "INSERT INTO kyc_documents (customer_id, doc_number_enc) VALUES (3306, '{v}');"],
    ),
    (
        "encrypted-value",
        sealed,
        ["# k8s/sealed/clickhouse.yaml\nkind: SealedSecret\nspec:\n  encryptedData:\n    password: {v}"],
    ),
    (
        "encrypted-value",
        lambda: "ENC(" + b64(draw.rbytes(32)) + ")",
        [
            "# forecast/src/main/resources/application.properties\nspring.datasource.username=forecast\nspring.datasource.password={v}"
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            '{ts} ERROR telemetry-ingest trace_id={v} msg="clickhouse insert timeout"',
            "Honeycomb trace {v} shows the slow Trino split",
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 16),
        [
            '{"timestamp": "2026-03-04T02:13:02Z", "RayID": "{v}", "ClientRequestHost": "shares.brackenlow.example", "EdgeResponseStatus": 520}'
        ],
    ),
    (
        "cloud-resource-id",
        lambda: rs(HEX, 32),
        [
            'resource "cloudflare_record" "shop" {\n  zone_id = "{v}"\n  name    = "shares"\n  type    = "CNAME"\n}',
            CF + "{v}\nCLOUDFLARE_API_TOKEN=${CF_TOKEN_FROM_VAULT}",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: "Z0" + rs(UP + DIG, 19),
        [
            "$ aws route53 list-resource-record-sets --hosted-zone-id {v} --query \"ResourceRecordSets[?Type=='TXT']\""
        ],
    ),
    (
        "cloud-resource-id",
        lambda: rs(ALNUM, 22),
        [
            'resource "fastly_service_vcl" "docs" {\n  # imported from service id {v}\n  name = "docs.brackenlow.example"\n}'
        ],
    ),
    (
        "cloud-resource-id",
        lambda: "akab-" + rs(LOW + DIG, 16) + "-" + rs(LOW + DIG, 16) + ".luna.akamaiapis.net",
        [EDGERC.removesuffix("akab-") + "{v}\nclient_secret = ${EDGE_CLIENT_SECRET}"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            "arn:aws:secretsmanager:eu-west-1:" + rs(DIG, 12) + ":secret:telemetry/clickhouse-" + rs(ALNUM, 6)
        ),
        [SPARK + "spark.kubernetes.driver.secretKeyRef.CH_PASSWORD  clickhouse:password\n# source: {v}"],
    ),
    (
        "ids-and-numbers",
        sentry_public_dsn,
        [
            '// share-shop/src/sentry.client.ts (public DSN, ships to browsers)\nSentry.init({ dsn: "{v}", tracesSampleRate: 0.1 });'
        ],
    ),
    (
        "ids-and-numbers",
        kafka_cluster_id,
        [
            "# kafka/config/kraft/server.properties\nprocess.roles=broker,controller\n# formatted with: kafka-storage format -t {v}"
        ],
    ),
    (
        "ids-and-numbers",
        lambda: "app" + rs(ALNUM, 14),
        ['# ops-tools/airtable_scripts/config.json\n{"baseId": "{v}", "table": "Landowners"}'],
    ),
    (
        "ids-and-numbers",
        lambda: rs(HEX, 32),
        ['# ops-tools/notion_sync.py\nDATABASE_ID = "{v}"\nNOTION_TOKEN = os.environ["NOTION_TOKEN"]'],
    ),
    (
        "ids-and-numbers",
        lambda: rs(UP + DIG, 16),
        [KPROPS.replace("SCRAM-SHA-512", "PLAIN") + "# Confluent Cloud API key id {v} (secret in Vault)"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(800, 999)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        [MAILQ + "AGM on Zoom, meeting ID {v}, passcode sent by SMS."],
    ),
    (
        "ids-and-numbers",
        lambda: "1" + rs(DIG, 15),
        [
            '# ops-tools/asana_site_tasks.py\nPROJECT_GID = "{v}"\nclient = asana.Client.access_token(os.environ["ASANA_PAT"])'
        ],
    ),
    (
        "ids-and-numbers",
        lambda: "FOC" + rs(UP + DIG, 8),
        [
            'sf07-core-sw1#show inventory\nNAME: "Chassis", DESCR: "C9300-24T"\nPID: C9300-24T, VID: V02, SN: {v}'
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(HEX.upper(), 2)}" + "".join(":" + rs(HEX.upper(), 2) for _ in range(5)),
        [
            IPXE
            + "# only for the gateway NIC {v}\nchain http://pxe-01.brackenlow.internal/boot/edge-rocky9.ipxe"
        ],
    ),
    (
        "placeholder",
        lambda: rng.choice(
            ["changeme", "<password>", "CHANGE_ME", "xxxxxxxx", "REPLACE_ME", "TODO", "<set-me>"]
        ),
        [
            TRINO.replace("scada.properties", "scada.properties.template") + "connection-password={v}",
            IOS.replace(
                "show running-config (sf07-core-sw1, IOS 15.9(3)M7), excerpt",
                "golden-config template (RB-31)",
            )
            + "snmp-server community {v} RO 10",
            KS.replace("edge-rocky9.ks", "edge-template.ks") + "rootpw --plaintext {v}",
            SHOPIFY.replace(".env.production", ".env.example") + "SHOPIFY_ADMIN_API_ACCESS_TOKEN={v}",
            CLOUDINIT + "chpasswd:\n  users:\n    - name: ops\n      password: {v}\n      type: text",
            "# ~/.edgerc.example\n[default]\nclient_secret = {v}",
        ],
    ),
    (
        "templated-value",
        lambda: rng.choice(
            ["${file:/opt/connect/secrets/scada.properties:password}", "${env:PG_SCADA_PASSWORD}"]
        ),
        [
            CONNECT + '  "database.password": "{v}",\n  "database.dbname": "scada"\n}',
            SINK + '    "connection.password": "{v}"\n  }\n}',
        ],
    ),
    ("templated-value", lambda: "${ENV:TRINO_PG_PASSWORD}", [TRINO + "connection-password={v}"]),
    (
        "templated-value",
        lambda: "${POSTGRES_PASSWORD:?set in .env}",
        [COMPOSE.replace("{svc}", "pg-local", 2) + "      POSTGRES_PASSWORD: {v}"],
    ),
    (
        "templated-value",
        lambda: "${env:HONEYCOMB_API_KEY}",
        [
            OTEL
            + "  otlp/honeycomb:\n    endpoint: api.eu1.honeycomb.io:443\n    headers:\n      x-honeycomb-team: {v}"
        ],
    ),
    ("templated-value", lambda: "${SPLUNK_HEC_TOKEN}", [VECTOR + 'default_token = "{v}"']),
    ("templated-value", lambda: "var.ssh_password", [PACKER + "  ssh_password = {v}\n}"]),
    (
        "templated-value",
        lambda: "{{ .Values.clickhouse.password }}",
        ["# charts/telemetry/templates/secret.yaml\nstringData:\n  CLICKHOUSE_PASSWORD: {v}"],
    ),
    (
        "templated-value",
        lambda: '"$IPMI_PASSWORD"',
        ["$ ipmitool -I lanplus -H 10.70.9.11 -U ADMIN -P {v} sensor list"],
    ),
    (
        "templated-value",
        lambda: "env('SHOP_DB_PASSWORD')",
        [MAGENTO + "    'db' => ['connection' => ['default' => ['password' => {v}]]],"],
    ),
    (
        "templated-value",
        lambda: 'sys.env("INFLUX_TOKEN")',
        ['# /etc/grafana-agent/flow.river\nlocal.file "x" {}\ninflux_token = {v}'],
    ),
    (
        "masked-value",
        lambda: rng.choice(["[hidden]", "********", "<redacted>", "****"]),
        [
            '$ curl -s http://connect.brackenlow.internal:8083/connectors/scada-pg-source/config | jq\n{\n  "database.user": "debezium",\n  "database.password": "{v}"\n}',
            "{ts} INFO telemetry-ingest clickhouse connect user=telemetry_rw password={v}",
            "{ts} INFO flink.configuration Loading configuration property: s3.secret-key, {v}",
        ],
    ),
    (
        "masked-value",
        lambda: "shpat_" + "*" * 28 + rs(HEX, 4),
        [CHAT + "shopify admin shows the token as {v} now, the old one is revoked"],
    ),
    (
        "masked-value",
        lambda: rs("45", 1) + rs(DIG, 5) + "******" + rs(DIG, 4),
        [
            "{ts} INFO share-shop payment captured card={v} order=100004213",
            MAILQ + "Your payment with card {v} was received.",
        ],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(
            ["password", "community string", "shared secret", "HEC token", "client_secret", "api token"]
        ),
        [
            "RB-31: after rotating the {v}, save the config and push it with the golden-config job.",
            "PM-4602 root cause: the connector config with the {v} was committed to the repo.",
        ],
    ),
    ("keyword-no-value", lambda: "service password-encryption", [IOS + "{v}\nno ip http server"]),
    (
        "keyword-no-value",
        lambda: "lock_passwd: true",
        [CLOUDINIT + "users:\n  - name: ops\n    {v}\nssh_pwauth: false"],
    ),
    (
        "keyword-no-value",
        lambda: "bootstrap.password",
        [ESKS + "list\nkeystore.seed\n{v}\ns3.client.default.access_key"],
    ),
    (
        "private-or-reserved-ip",
        reserved_v4,
        [
            "$ ipmitool -I lanplus -H {v} -U ADMIN -E chassis status",
            IOS + "logging host {v}\nntp server 10.8.0.5",
            RADCLIENTS.replace("10.70.0.2", "{v}") + "    secret = ${RADIUS_SECRET}\n}",
        ],
    ),
    ("private-or-reserved-ip", draw.reserved_ip, [JUNOS + "set system name-server {v}"]),
    (
        "example-email",
        lambda: rng.choice(
            [
                "ir@brackenlow.example",
                "investor@example.com",
                "jane.doe@example.org",
                "qa+shop@brackenlow.test",
            ]
        ),
        [
            CSV + "CS-00001,Test Holder,{v},,1,,",
            SQLDUMP + "INSERT INTO customer_entity (entity_id, email) VALUES (1, '{v}');",
        ],
    ),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        [HIVE.replace("lake.properties", "lake.properties.example") + "hive.s3.aws-access-key={v}"],
    ),
    (
        "vendor-example-key",
        lambda: "https://examplePublicKey@o0.ingest.sentry.io/0",
        ['// share-shop/README.md\nSentry.init({ dsn: "{v}" })'],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        [
            DOCKERFILE.replace("python:3.12-slim", "python:3.12-slim AS build")
            + "ARG SCADA_BRIDGE_VERSION={v}",
            SINK + '    "connector.version": "{v}"\n  }\n}',
        ],
    ),
    (
        "version-or-date",
        lambda: f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        [CSV.replace("iban,national_id", "registered") + "CS-10419,Greet Goossens,,,45,{v}"],
    ),
    ("public-key-or-cert", cert_pem, ["# /etc/ssl/certs/cloudflare-origin.pem (shop origin)\n{v}"]),
    (
        "public-key-or-cert",
        partial(cert_pem, "      "),
        [CLOUDINIT + "ca_certs:\n  trusted:\n    - |\n      {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@brackenlow",
        [CLOUDINIT + "ssh_authorized_keys:\n  - {v}", KS + 'sshkey --username=ops "{v}"'],
    ),
    ("public-key-or-cert", dkim, ['s2026._domainkey.brackenlow.example. 3600 IN TXT "{v}"']),
    ("public-key-or-cert", pgp_pub, ["# investor-relations PGP key (brackenlow.example/.well-known)\n{v}"]),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            JIRA + "investor quotes membership number {v} from the 2019 share offer",
            "{ts} INFO share-shop gift voucher {v} not found",
        ],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(["4111111111111111", "5555555555554444", "4242424242424242"]),
        [
            "# shares-shop/dev/functional-tests.xml\n<card_number>{v}</card_number>",
            CHAT + "use {v} for the staging checkout",
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(f"server 10.8.0.5 iburst\nserver 10.8.0.6 iburst\n# {rs(LOW, 6)}\n".encode()),
        [CLOUDINIT + "write_files:\n  - path: /etc/chrony.d/site.conf\n    encoding: b64\n    content: {v}"],
    ),
    (
        "base64-nonsecret",
        lambda: b64(
            json.dumps({"site": f"SF-{rng.randint(1, 14):02d}", "kw": rng.randint(100, 9000)}).encode()
        ),
        ["{ts} DEBUG scada-bridge kafka record value (b64) {v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("trace-id", lambda: rs(HEX, 16), ['{ts} INFO forecast span_id={v} name="solcast.fetch"']),
    (
        "hash-or-digest",
        lambda: "h1:" + b64(draw.rbytes(32)),
        ["// go.sum (edge-agent)\ngithub.com/segmentio/kafka-go v0.4.47 {v}"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        [
            CHUSERS
            + "      <password_double_sha1_hex>{v}</password_double_sha1_hex>\n    </telemetry_rw>\n  </users>\n</clickhouse>"
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "257 3 13 " + b64(draw.rbytes(64)),
        ["brackenlow.example. 3600 IN DNSKEY {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["# .sops.yaml\ncreation_rules:\n  - path_regex: edge/.*\n    age: {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: " ".join(rs(HEX.upper(), 4) for _ in range(10)),
        [
            "pub   rsa4096 2026-01-12 [SC]\n      {v}\nuid   Brackenlow Investor Relations <ir@brackenlow.example>"
        ],
    ),
    ("ids-and-numbers", lambda: rs(HEX, 24), [JIRA + "assigned to Atlassian account id {v}"]),
    (
        "ids-and-numbers",
        lambda: "su" + rs(ALNUM, 12),
        ["# sumo-collector/user.properties\naccessid={v}\naccesskey=${SUMO_ACCESS_KEY}"],
    ),
    (
        "ids-and-numbers",
        lambda: rs(B64URL, 20),
        ['{"api_key": {"id": "{v}", "name": "vector-edge", "invalidated": true}}'],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(100, 999)}-{rs(DIG, 7)}",
        ["Zoom webinar registration for the AGM, webinar {v}, 212 registrants"],
    ),
    (
        "placeholder",
        lambda: "%PASSWORD%",
        ["# kickstart/edge-template.ks (rendered by pxe-01)\nrootpw --plaintext {v}"],
    ),
    (
        "placeholder",
        lambda: "akab-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx",
        ["# ~/.edgerc.example\n[default]\naccess_token = {v}"],
    ),
    (
        "placeholder",
        lambda: "secret_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        ["# ops-tools/README.md\nexport NOTION_TOKEN={v}"],
    ),
    (
        "templated-value",
        lambda: "${{ secrets.SENTRY_AUTH_TOKEN }}",
        ["# .github/workflows/release.yml\n        env:\n          SENTRY_AUTH_TOKEN: {v}"],
    ),
    (
        "templated-value",
        lambda: "{{ user `winrm_password` }}",
        ['// packer/win-hmi.json (legacy)\n"winrm_password": "{v}",'],
    ),
    (
        "masked-value",
        lambda: "ATATT3xFfGF0" + "•" * 10,
        [CHAT + "the Atlassian token that leaked began {v}, revoked at 10:12"],
    ),
    (
        "keyword-no-value",
        lambda: "--mount=type=secret,id=npm_token",
        [DOCKERFILE + "RUN {v} NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci"],
    ),
    ("keyword-no-value", lambda: "rootpw --lock", [KS + "{v}\nuser --name=ops --groups=wheel --lock"]),
    (
        "private-or-reserved-ip",
        lambda: f"fe80::{rs(HEX, 4)}:{rs(HEX, 4)}",
        [JUNOS + "set interfaces ge-0/0/1 unit 0 family inet6 address {v}/64"],
    ),
    (
        "vendor-example-key",
        lambda: "B5A79AAD-D822-46CC-80D1-819F80D7BFB0",
        ["# Splunk docs example, copied into RB-31 as a format sample\ntoken = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc",
        [
            MAGENTO.replace("env.php", "env.php.sample")
            + "    'payment' => ['stripe_payments' => ['test_secret_key' => '{v}']],"
        ],
    ),
    (
        "version-or-date",
        lambda: f"15.9(3)M{rng.randint(1, 9)}",
        ["RB-31: all site switches must run IOS {v} or later before the TACACS change"],
    ),
    (
        "version-or-date",
        lambda: f"22.4R3-S{rng.randint(1, 6)}",
        [JUNOS + "# upgraded to Junos {v} during the window"],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 8),
        ["$ git log --oneline -1\n{v} connect: move passwords to the file config provider"],
    ),
    (
        "base64-nonsecret",
        lambda: b64(b"share-shop:3.8.0:prod"),
        ['{"release_b64": "{v}", "surface": "storefront"}'],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt|sa)[-_][A-Za-z0-9_-]{20}|xox[bpae][-.]\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|ya29\.|GOCSPX-"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|glc_[A-Za-z0-9+/=]{20}|hcaik_|sntry[su]_|shp(?:at|ss|ca|pa)_[a-f0-9]{32}|ATATT3xFfGF0[A-Za-z0-9_-]{20}|secret_[A-Za-z0-9]{43}"
    r"|ntn_\d|pat[A-Za-z0-9]{14}\.[a-f0-9]{64}|\b2/\d{16}/\d{16}:|v1\.0-[a-f0-9]{24}-|akab-[a-z0-9]{16}-[a-z0-9]{16}(?!\.luna)"
    r"|Splunk [0-9A-Fa-f]{8}-|sumologic\.com/receiver/v1/http/[A-Za-z0-9]|logic\.azure\.com\S*sig=|Key: [0-9a-f]{37}|Fastly-Key: \w"
    r"|ApiKey [A-Za-z0-9+/]{12}|client_secret = [A-Za-z0-9+/]{20}|run --token \w|webhook\.office\.com/webhookb2/|x-honeycomb-team: [0-9a-f]{32}"
    r"|:[0-9a-f]{32}@o\d|(?:password|key) 0 \w|(?:snmp-server|set snmp) community \w|--plaintext \w|--password=\w|-[wPpA] \w{8}"
    r"|-(?:u|auth) \w+:\w{8}|Token [A-Za-z0-9]{20}|plain-text-password-value \w|masterauth \w| on >[A-Za-z0-9]{8}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<!:)(?i:password|passwd|pass|pwd|secret|token|authtok|bindpw|apikey|api-key|api_key|passphrase|accesskey)[\"']?(?:\s*[:=,]\s*|[ \t]+)[\"']?[A-Za-z0-9+/_.%-]{12,}"
)

PHONEISH_28 = re.compile(
    PHONEISH.pattern
    + r"|(?:\+61 |0)[2378] (?:5550|7010) \d{4}|(?:\+33 1|01) 99 00 \d\d \d\d|(?:\+46 70 |070-)174 06 \d\d"
)

# Sentry DSNs name an ingest host after the public key's '@': an address shape, not a mailbox.
OK_MAIL_28 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|o\d+\.ingest\.(?:[a-z]+\.)?sentry\.io)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_28,
    phoneish=PHONEISH_28,
    national_id_ok=national_id_ok,
    private_key_ok=pem_block_ok,
    cut_value_types={"encrypted-value", "hash-or-digest"},
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t28", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
