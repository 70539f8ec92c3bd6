# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test26.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test26.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270126)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a group of veterinary clinics called Larchmere Veterinary Partners:
PM-2404 a shared Jenkins agent whose JCasC file, Maven ``settings.xml`` and ``gradle.properties``
held plain credentials, PM-2411 Airflow connections and dbt ``profiles.yml`` of the analytics
stack (Snowflake, BigQuery, Postgres), RB-33 database user rotation (SQL ``CREATE USER``/``ALTER
ROLE``, ``.pgpass``, ``.my.cnf``, JDBC and ODBC strings), PM-2419 clinic server configuration
(Puppet hiera, Chef data bags and attributes, systemd units, crontabs), RB-37 Windows practice PCs
(PowerShell, ``net use``, ``cmdkey``), ADR-072 the booking service on Kubernetes (kubeconfig, Docker
``config.json``, Helm values, Spring ``application.properties``), PM-2426 a Slack support thread
with shell history, HTTP dumps, Python ``requests`` snippets and Sentry breadcrumbs, and PM-2433
pet-owner data in a CRM export, a locum-vet HR sheet and support chats. Common shapes come first
in each kind (``t26p…``/``t26n…``); the summary it prints says where the split falls.
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
OUT = HERE / "planted_test26.jsonl"
FOLD = "test26"
rng = Random(20270126)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
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
ssn, nino, phone = draw.ssn, draw.nino, draw.phone

# Only type names earlier folds use.
TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "wireguard-private-key", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = [
    "spaniel",
    "tabby",
    "gelding",
    "ferret",
    "collie",
    "lurcher",
    "budgie",
    "heifer",
    "alpaca",
    "whippet",
]

jwt = partial(
    draw.jwt,
    ["RS256", "RS256", "HS256"],
    ["kubernetes/serviceaccount", "https://id.larchmere.internal", "booking-api", "lab-gateway"],
    ["system:serviceaccount:booking:deployer", "clinic:LV-114", "user:reception-3", "svc:airflow"],
)

password = partial(draw.password4, WORDS)

plain_pw = partial(draw.plain_password, WORDS)

basic_cred = partial(
    draw.basic_cred, ["svc-lab", "deployer", "booking-api", "pms-sync", "xray-upload", "airflow"], WORDS
)


def fernet() -> str:
    return b64url(draw.rbytes(32)) + "="


au_phone = partial(
    draw.au_phone, ("+61 {area} {block} {tail}", "(0{area}) {block} {tail}", "0{area} {block} {tail}")
)

fr_phone = draw.fr_phone


FIRST = [
    "aurelie",
    "bronwen",
    "casimir",
    "delphine",
    "eamon",
    "fenella",
    "gideon",
    "henrietta",
    "ivo",
    "jolene",
]
LAST = [
    "ashdown",
    "bracegirdle",
    "cullimore",
    "drinkwater",
    "everard",
    "fairbairn",
    "greathead",
    "hinchliffe",
]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "hotmail.fr",
    "bigpond.com",
    "sky.com",
]

email = partial(draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}{last}", "{last}.{f}"))


SVCS = ["booking-api", "pms-sync", "lab-gateway", "xray-archive", "reminders", "pharmacy"]
STAFF = ["oisin", "priya", "rhodri", "saskia", "tobias", "ulla", "wendell", "yara"]
HOSTS = ["clinic-srv-01", "clinic-srv-07", "jenkins-agent-3", "airflow-worker-2", "pg-clinic-1", "fs-01"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "clinic": lambda: f"LV-{rng.randint(101, 189)}",
    "tkt": lambda: str(rng.randint(1200, 8999)),
    "uuid": uuid4,
    "day": lambda: f"{rng.randint(1, 28):02d}",
    "hist": lambda: str(rng.randint(300, 1999)),
}

# Shapes of the positions, so templates stay readable.
JCASC = "# /var/jenkins_home/casc/jenkins.yaml\ncredentials:\n  system:\n    domainCredentials:\n      - credentials:\n"
MVN = "<!-- ~/.m2/settings.xml on jenkins-agent-3 -->\n<settings>\n  <servers>\n    <server>\n      <id>larchmere-releases</id>\n"
GRADLE = "# ~/.gradle/gradle.properties (jenkins-agent-3)\norg.gradle.jvmargs=-Xmx2g\n"
AFENV = "# airflow/.env (analytics repo)\n"
AFCLI = "$ airflow connections add "
DBT = "# ~/.dbt/profiles.yml\nlarchmere_analytics:\n  target: prod\n  outputs:\n    prod:\n"
AFCFG = "# /opt/airflow/airflow.cfg\n"
SQL = "-- RB-33 step 4, run as admin\n"
PGPASS = "# ~/.pgpass (backup user on {host})\n"
MYCNF = "# /root/.my.cnf on pharmacy-db-1\n[client]\nuser=backup\n"
HIERA = "# hieradata/common.yaml\n---\n"
HIERA_NODE = "# hieradata/nodes/{host}.larchmere.internal.yaml\n---\n"
CHEF_BAG = "// data_bags/integrations/"
CHEF_ATTR = "# cookbooks/lvp_clinic/attributes/default.rb\n"
UNIT = "# /etc/systemd/system/{svc}.service\n[Service]\nUser=lvp\n"
CRON = "# crontab -l (root@{host})\n"
PS = "PS C:\\Users\\it-admin> "
CMD = "C:\\> "
KCFG = "# ~/.kube/config (booking cluster)\napiVersion: v1\nkind: Config\nusers:\n- name: "
DCFG = "// ~/.docker/config.json on jenkins-agent-3\n"
HELM = "# charts/booking/values-prod.yaml\n"
SPRING = "# booking-api/src/main/resources/application-prod.properties\n"
SLACK = "#vet-it-support [{t}] {who}: "
HIST = "  {hist}  "
HTTP = "> POST /api/v2/appointments HTTP/1.1\n> Host: booking.larchmere.internal\n"
PYREQ = "# notebooks/lab_results_pull.py\nimport requests\n"
SENTRY = '{"type": "http", "category": "fetch", "timestamp": "{ts}", "data": '
CHAT = "Support chat #{tkt} ({clinic}) "
CRM = "contact_id,first_name,last_name,email,phone,pet_name,clinic\n"
HR = "locum_id,name,email,phone,rcvs_no,bank_iban,ni_number\n"


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            UNIT + "Environment=AWS_ACCESS_KEY_ID={v}\nEnvironment=AWS_DEFAULT_REGION=eu-west-2",
            GRADLE + "s3RepoAccessKey={v}",
            AFCLI
            + 'aws_backups --conn-type aws --conn-extra \'{"aws_access_key_id": "{v}", "region_name": "eu-west-2"}\'',
            HIST + "export AWS_ACCESS_KEY_ID={v}",
            HIERA + "profile::xray_backup::s3_access_key: '{v}'",
            CRON + "AWS_ACCESS_KEY_ID={v}\n30 1 * * * /usr/local/bin/xray-sync --bucket lvp-xrays",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            UNIT + 'Environment="AWS_SECRET_ACCESS_KEY={v}"',
            AFCLI
            + 'aws_backups --conn-type aws --conn-login AKIA_FROM_VAULT --conn-extra \'{"aws_secret_access_key": "{v}"}\'',
            HIERA + "profile::xray_backup::s3_secret_key: '{v}'",
            CHEF_BAG
            + 'backups.json\n{\n  "id": "backups",\n  "s3_bucket": "lvp-xrays",\n  "aws_secret_access_key": "{v}"\n}',
            PYREQ.replace("import requests\n", "import boto3\n")
            + 's3 = boto3.client("s3", aws_secret_access_key="{v}")',
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            JCASC
            + '          - string:\n              id: "github-status"\n              scope: GLOBAL\n              secret: "{v}"',
            GRADLE + "gpr.user=lvp-ci\ngpr.key={v}",
            SLACK + "use {v} for the pms-sync repo until the app install is sorted",
            HIST + "git clone https://x-access-token:{v}@github.com/larchmere-vets/booking-api.git",
            HELM
            + "dags:\n  gitSync:\n    enabled: true\n    repo: https://github.com/larchmere-vets/dags.git\n    credentials:\n      username: lvp-ci\n      token: {v}",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            MVN.replace("larchmere-releases", "gitlab-maven")
            + "      <configuration>\n        <httpHeaders>\n          <property>\n            <name>Private-Token</name>\n            <value>{v}</value>\n          </property>\n        </httpHeaders>\n      </configuration>\n    </server>",
            GRADLE + "gitLabPrivateToken={v}",
            CRON
            + '0 * * * * curl -s --header "PRIVATE-TOKEN: {v}" https://gitlab.larchmere.internal/api/v4/projects/42/pipelines > /dev/null',
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            AFCLI + "slack_alerts --conn-type slack --conn-password {v}",
            HIERA + "profile::alerts::slack_bot_token: {v}",
            UNIT + "Environment=SLACK_TOKEN={v}",
            PYREQ.replace("import requests\n", "from slack_sdk import WebClient\n")
            + 'client = WebClient(token="{v}")',
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            CRON + '45 2 * * * /opt/lvp/backup.sh || curl -X POST -d \'{"text":"backup failed"}\' {v}',
            HELM
            + "alertmanager:\n  config:\n    receivers:\n      - name: vet-it\n        slack_configs:\n          - api_url: {v}",
            CHEF_ATTR + "default['lvp']['alerts']['slack_url'] = '{v}'",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            SPRING + "stripe.api-key={v}\nstripe.currency=gbp",
            HIERA + "profile::pharmacy::stripe_secret: '{v}'",
            HELM + "payments:\n  stripe:\n    secretKey: {v}\n    webhookPath: /hooks/stripe",
            PYREQ.replace("import requests\n", "import stripe\n") + 'stripe.api_key = "{v}"',
        ],
    ),
    (
        "jwt",
        jwt,
        [
            KCFG + "booking-deployer\n  user:\n    token: {v}",
            HTTP + "> Authorization: Bearer {v}\n> Content-Type: application/json",
            SENTRY
            + '{"method": "GET", "url": "/api/v2/pets", "request_headers": {"authorization": "Bearer {v}"}}}',
            SLACK + "here's the token from the reception app, it still works: {v}",
            HIST + "curl -H 'Authorization: Bearer {v}' https://booking.larchmere.internal/api/v2/slots",
            AFCLI
            + 'lab_api --conn-type http --conn-host lab.larchmere.internal --conn-extra \'{"token": "{v}"}\'',
        ],
    ),
    (
        "private-key",
        draw.pk("rsa", "                    "),
        [
            JCASC
            + '          - basicSSHUserPrivateKey:\n              id: "deploy-ssh"\n              username: deploy\n              privateKeySource:\n                directEntry:\n                  privateKey: |\n                    {v}'
        ],
    ),
    ("private-key", draw.pk("rsa", "  "), [HIERA + "profile::xray_archive::tls_key: |\n  {v}"]),
    (
        "private-key",
        draw.pk("ssh", "      "),
        [HELM + "dags:\n  gitSync:\n    sshKeySecret: ~\n    sshKey: |\n      {v}"],
    ),
    (
        "private-key",
        draw.pk("ec"),
        [SLACK + "this is the key off clinic-srv-07, can someone check it's the right one?\n```\n{v}\n```"],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            AFENV
            + "AIRFLOW_CONN_PMS_REPLICA='postgresql://airflow_ro:{v}@pg-clinic.larchmere.internal:5432/pms'",
            AFENV
            + "AIRFLOW_CONN_PHARMACY_DB='mysql://etl:{v}@pharmacy-db-1.larchmere.internal:3306/pharmacy'",
            AFCFG
            + "[database]\nsql_alchemy_conn = postgresql+psycopg2://airflow:{v}@airflow-db.larchmere.internal/airflow",
            AFCFG + "[celery]\nbroker_url = redis://:{v}@airflow-redis.larchmere.internal:6379/0",
            AFCFG
            + "[celery]\nresult_backend = db+postgresql://airflow:{v}@airflow-db.larchmere.internal/airflow",
            AFCLI
            + "snowflake_raw --conn-uri 'snowflake://LOADER:{v}@/RAW/PUBLIC?account=lv12345&warehouse=LOAD_WH&role=LOADER'",
            "// build.gradle\nrepositories {\n  maven { url 'https://deployer:{v}@artifacts.larchmere.internal/artifactory/libs-release' }\n}",
            UNIT
            + "Environment=DATABASE_URL=postgres://booking:{v}@pg-clinic.larchmere.internal:5432/booking",
            CRON
            + '0 3 * * * pg_dump "postgresql://backup:{v}@pg-clinic.larchmere.internal/pms" | gzip > /srv/backup/pms.sql.gz',
            HELM
            + "externalDatabase:\n  url: postgresql://booking:{v}@pg-clinic.larchmere.internal:5432/booking?sslmode=require",
            SPRING + "spring.rabbitmq.addresses=amqps://booking:{v}@mq.larchmere.internal:5671/clinics",
            HIST + "psql postgresql://pms_admin:{v}@{pip}:5432/pms -c 'select count(*) from appointments'",
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            MVN
            + "      <username>deployer</username>\n      <password>{v}</password>\n    </server>\n  </servers>\n</settings>",
            GRADLE + "artifactoryUser=deployer\nartifactoryPassword={v}",
            JCASC
            + '          - usernamePassword:\n              id: "artifactory"\n              username: deployer\n              password: "{v}"',
            DBT
            + "      type: snowflake\n      account: lv12345.eu-west-1\n      user: DBT_PROD\n      password: {v}\n      role: TRANSFORMER",
            DBT
            + "      type: postgres\n      host: pg-clinic.larchmere.internal\n      user: dbt\n      pass: {v}\n      dbname: pms",
            PGPASS + "pg-clinic.larchmere.internal:5432:pms:backup:{v}",
            MYCNF + "password={v}\nhost=pharmacy-db-1.larchmere.internal",
            SQL + "CREATE USER lab_reader IDENTIFIED BY '{v}';\nGRANT SELECT ON lab.results TO lab_reader;",
            SQL + "ALTER ROLE airflow WITH LOGIN PASSWORD '{v}';",
            SQL + "CREATE LOGIN [svc_xray] WITH PASSWORD = N'{v}', CHECK_POLICY = OFF;",
            SQL.replace("run as admin", "MySQL replica") + "ALTER USER 'repl'@'10.%' IDENTIFIED BY '{v}';",
            HIERA + "profile::pms::db_user: pms_app\nprofile::pms::db_password: '{v}'",
            CHEF_ATTR + "default['lvp']['pms']['db']['password'] = '{v}'",
            UNIT + "Environment=PMS_DB_USER=pms_app\nEnvironment=PMS_DB_PASSWORD={v}",
            CRON
            + "15 2 * * * PGPASSWORD={v} pg_dumpall -h pg-clinic.larchmere.internal -U backup > /srv/backup/all.sql",
            PS
            + "$pw = ConvertTo-SecureString '{v}' -AsPlainText -Force\n$cred = New-Object PSCredential('LARCHMERE\\svc-xray', $pw)",
            CMD
            + "net use X: \\\\fs-01.larchmere.internal\\xrays {v} /user:LARCHMERE\\svc-xray /persistent:yes",
            CMD + "cmdkey /add:pms.larchmere.internal /user:LARCHMERE\\reception /pass:{v}",
            "; C:\\ProgramData\\VetPMS\\pms.ini\n[Database]\nConnectionString=Driver={ODBC Driver 18 for SQL Server};Server=tcp:sql-pms.larchmere.internal,1433;Database=PMS;Uid=pms_app;Pwd={v};Encrypt=yes",
            SPRING
            + "spring.datasource.url=jdbc:postgresql://pg-clinic.larchmere.internal:5432/booking\nspring.datasource.username=booking\nspring.datasource.password={v}",
            SPRING
            + "lab.datasource.url=jdbc:sqlserver://sql-pms.larchmere.internal:1433;databaseName=PMS;user=lab_reader;password={v};encrypt=true",
            AFENV
            + "AIRFLOW_CONN_PMS_JDBC='jdbc:postgresql://pg-clinic.larchmere.internal:5432/pms?user=airflow_ro&password={v}&ssl=true'",
            HELM
            + "postgresql:\n  auth:\n    username: booking\n    postgresPassword: {v}\n    database: booking",
            AFCLI
            + "pharmacy_db --conn-type mysql --conn-host pharmacy-db-1.larchmere.internal --conn-login etl --conn-password {v}",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            PYREQ
            + 'r = requests.get("https://lab.larchmere.internal/api/results", auth=("svc-lab", "{v}"), timeout=30)',
            HIST + "mysql -u root -p'{v}' pharmacy -e 'show processlist'",
            SLACK + "the reception login for {clinic} is reception / {v} if anyone needs it before 9",
            CHEF_BAG
            + 'smtp.json\n{\n  "id": "smtp",\n  "user": "alerts@larchmere.example",\n  "password": "{v}"\n}',
            "-- snowflake worksheet (RB-33)\nALTER USER DBT_PROD SET PASSWORD = '{v}' MUST_CHANGE_PASSWORD = FALSE;",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            HTTP + "> Authorization: Basic {v}\n> Content-Length: 412",
            DCFG
            + '{\n  "auths": {\n    "registry.larchmere.internal": {\n      "auth": "{v}"\n    }\n  }\n}',
            SENTRY
            + '{"method": "POST", "url": "https://lab.larchmere.internal/api/orders", "request_headers": {"Authorization": "Basic {v}"}}}',
            CRON
            + '*/10 * * * * curl -fsS -H "Authorization: Basic {v}" https://lab.larchmere.internal/api/ping',
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, rng.randint(32, 48)),
        [
            HTTP.replace("POST /api/v2/appointments", "GET /api/v2/pets/PT-118204")
            + "> Authorization: Bearer {v}",
            KCFG + "ci-readonly\n  user:\n    token: {v}",
            PYREQ + 'HEADERS = {"Authorization": "Bearer {v}", "Accept": "application/json"}',
            AFCLI + 'xero_api --conn-type http --conn-extra \'{"Authorization": "Bearer {v}"}\'',
        ],
    ),
    (
        "generic-api-key",
        fernet,
        [
            AFCFG + "[core]\nfernet_key = {v}",
            AFENV + "AIRFLOW__CORE__FERNET_KEY={v}",
        ],
    ),
    (
        "generic-api-key",
        draw.hexk(32),
        [
            AFCFG + "[webserver]\nsecret_key = {v}",
            HIERA + "profile::lab::api_key: {v}",
            SPRING + "lab.partner.api-key={v}",
            UNIT + "Environment=REMINDERS_API_KEY={v}",
            JCASC + '          - string:\n              id: "lab-partner-key"\n              secret: "{v}"',
        ],
    ),
    (
        "generic-api-key",
        lambda: "11" + rs(HEX, 32),
        [HIST + "curl -u lvp-ci:{v} -X POST https://jenkins.larchmere.internal/job/booking-api/build"],
    ),
    (
        "vendor-token",
        lambda: "AKCp8" + rs(ALNUM, 68),
        [
            GRADLE + "artifactory_user=lvp-ci\nartifactory_apikey={v}",
            MVN.replace("larchmere-releases", "artifactory")
            + "      <username>lvp-ci</username>\n      <password>{v}</password>\n    </server>",
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            DBT.replace("prod:\n", "bq:\n")
            + '      type: bigquery\n      method: service-account-json\n      project: lvp-analytics\n      keyfile_json: {"type": "service_account", "project_id": "lvp-analytics", "private_key": "{v}", "client_email": "dbt@lvp-analytics.iam.gserviceaccount.com"}',
            AFCLI
            + 'bq_default --conn-type google_cloud_platform --conn-extra \'{"keyfile_dict": {"type": "service_account", "private_key": "{v}", "client_email": "airflow@lvp-analytics.iam.gserviceaccount.com"}}\'',
        ],
    ),
    ("gcp-key", gcp_api, [HELM + "booking-web:\n  env:\n    MAPS_API_KEY: {v}"]),
    (
        "gcp-key",
        draw.gcp_oauth_secret,
        [SPRING + "spring.security.oauth2.client.registration.google.client-secret={v}"],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            AFCLI
            + 'xray_blob --conn-type wasb --conn-login lvpxrays --conn-extra \'{"shared_access_key": "{v}"}\''
        ],
    ),
    ("azure-key", az_client_secret, [HIERA_NODE + "profile::azure_backup::client_secret: '{v}'"]),
    (
        "vendor-token",
        lambda: "sntrys_eyJpYXQiOjE3" + rs(B64URL, 120),
        [AFENV.replace("airflow/.env", "booking-web/.sentryclirc env") + "SENTRY_AUTH_TOKEN={v}"],
    ),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        [HELM + "grafana:\n  dashboardsProvider:\n    apiToken: {v}"],
    ),
    (
        "vendor-token",
        lambda: "dckr_pat_" + rs(B64URL, 27),
        [HIST + "echo {v} | docker login -u lvpci --password-stdin"],
    ),
    (
        "vendor-token",
        lambda: "dapi" + rs(HEX, 32),
        [
            DBT.replace("prod:\n", "databricks:\n")
            + "      type: databricks\n      host: adb-4417.azuredatabricks.net\n      token: {v}"
        ],
    ),
    (
        "vendor-token",
        lambda: "ATATT3xFfGF0" + rs(B64URL, 180) + "=" + rs(HEX.upper(), 8),
        [
            JCASC
            + '          - usernamePassword:\n              id: "jira-bot"\n              username: jira-bot@larchmere.example\n              password: "{v}"'
        ],
    ),
    (
        "vendor-token",
        lambda: "dp.st.prd." + rs(ALNUM, 43),
        [UNIT + "Environment=DOPPLER_TOKEN={v}\nExecStart=/usr/bin/doppler run -- /opt/lvp/{svc}"],
    ),
    (
        "vendor-token",
        lambda: "shpat_" + rs(HEX, 32),
        [AFCLI + "shop --conn-type http --conn-host larchmere-pet-shop.myshopify.com --conn-password {v}"],
    ),
    (
        "vendor-token",
        lambda: "npm_" + rs(ALNUM, 36),
        [JCASC + '          - string:\n              id: "npm-publish"\n              secret: "{v}"'],
    ),
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        [
            SPRING
            + "spring.mail.host=smtp.sendgrid.net\nspring.mail.username=apikey\nspring.mail.password={v}"
        ],
    ),
    ("vendor-token", lambda: "SK" + rs(HEX, 32), [HIERA + "profile::reminders::twilio_api_key_sid: {v}"]),
    (
        "vendor-token",
        lambda: "hvs." + rs(B64URL, 24),
        [CRON + "VAULT_TOKEN={v}\n0 */6 * * * /usr/local/bin/rotate-pms-creds"],
    ),
    (
        "vendor-token",
        lambda: rs(HEX, 32) + "-us21",
        [PYREQ + 'mc = requests.Session()\nmc.auth = ("anystring", "{v}")'],
    ),
    (
        "vendor-token",
        lambda: "ntn_" + rs(DIG, 11) + rs(ALNUM, 35),
        [SLACK + "notion integration secret for the handbook sync: {v}"],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            DBT
            + "      type: snowflake\n      account: lv12345.eu-west-1\n      user: DBT_PROD\n      private_key_path: /secrets/dbt_rsa.p8\n      private_key_passphrase: {v}",
            "# /etc/krb5/pms.keytab rebuild (RB-33 appendix)\n$ ktutil\nktutil:  addent -password -p svc_pms@LARCHMERE -k 1 -e aes256-cts\nPassword for svc_pms@LARCHMERE: {v}",
            '\' VetPMS export macro (Module1.bas)\nSet cn = CreateObject("ADODB.Connection")\ncn.Open "Provider=SQLOLEDB;Data Source=sql-pms;Initial Catalog=PMS;User ID=export;Password={v};"',
            PS
            + "Invoke-Sqlcmd -ServerInstance sql-pms.larchmere.internal -Username sa -Password '{v}' -Query 'EXEC sp_who2'",
            "# /etc/odbc.ini\n[LabDW]\nDriver=PostgreSQL Unicode\nServername=pg-clinic.larchmere.internal\nUsername=lab_reader\nPassword={v}",
            '// booking-api/src/test/kotlin/LabClientIT.kt\nprivate val client = LabClient(baseUrl = "https://lab-staging.larchmere.internal", user = "svc-lab", password = "{v}")',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            '// pms-sync/tests/fixtures.rs\nconst PMS_TEST_PASSWORD: &str = "{v}";\n// copied from the staging box, rotate before release',
            SENTRY.replace('"type": "http", "category": "fetch"', '"type": "default", "category": "ui.input"')
            + '{"target": "input#password", "value": "{v}"}}',
            CHAT + "owner: I can't log into the app, my password is {v} is that right?",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            SPRING + "spring.data.mongodb.uri=mongodb+srv://booking:{v}@cluster0.lvp.mongodb.net/booking",
            HELM
            + "redis:\n  auth:\n    enabled: true\n  externalUrl: rediss://default:{v}@redis-booking.larchmere.internal:6380",
            "# docs/ops/puppet.md (quoted)\nRun `puppet agent -t` after `r10k deploy` pulls https://r10k:{v}@git.larchmere.internal/puppet/control-repo.git",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            PS
            + "$h = @{ Authorization = 'Basic {v}' }\nInvoke-RestMethod -Uri https://pms.larchmere.internal/api/sync -Headers $h"
        ],
    ),
    (
        "k8s-secret-b64",
        lambda: b64(draw.private_key("ec").encode() + b"\n"),
        [
            KCFG
            + "ci-admin\n  user:\n    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n    client-key-data: {v}"
        ],
    ),
    (
        "k8s-secret-b64",
        lambda: b64(plain_pw().encode()),
        ["# kubectl get secret booking-db -o yaml\napiVersion: v1\nkind: Secret\ndata:\n  password: {v}"],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(384)),
        ["# /etc/chef/encrypted_data_bag_secret (cat, pasted into the ticket)\n{v}"],
    ),
    ("generic-api-key", draw.hexk(40), [HIERA_NODE + 'profile::pharmacy::wholesaler_api_key: "{v}"']),
    (
        "wireguard-private-key",
        lambda: b64(draw.rbytes(32)),
        [
            "# /etc/systemd/network/90-wg-clinics.netdev\n[NetDev]\nName=wg-clinics\nKind=wireguard\n\n[WireGuardPeer]\n# keys below\n[WireGuard]\nListenPort=51820\nPrivateKey={v}"
        ],
    ),
    ("private-key", draw.pk("rsa"), ["# keys/private_key.pkcs7.pem (eyaml key committed by mistake)\n{v}"]),
    (
        "github-token",
        lambda: "ghs_" + rs(ALNUM, 36),
        [
            SENTRY
            + '{"method": "GET", "url": "https://{v}@raw.githubusercontent.com/larchmere-vets/booking-config/main/flags.json", "status_code": 401}}'
        ],
    ),
    ("slack-token", slack_token, [CHEF_BAG + 'slack.json\n{\n  "id": "slack",\n  "bot_token": "{v}"\n}']),
    ("aws-key", akid, [PS + "Set-AWSCredential -AccessKey {v} -SecretKey $env:AWS_SK -StoreAs xray"]),
    ("stripe-key", stripe_key, [CMD + "setx STRIPE_SECRET_KEY {v} /M"]),
    (
        "jwt",
        jwt,
        ['[HAR] entries[14].request.cookies[0]\n{"name": "lvp_session", "value": "{v}", "httpOnly": true}'],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            CRM + "c-40112,Aurelie,Ashdown,{v},,Biscuit,{clinic}",
            HR + "L-017,Locum Vet,{v},,7041234,,",
            CHAT + "owner: please send the invoice to {v} not my old address",
            SLACK + "owner {v} says the reminder SMS went to the wrong number",
            SENTRY.replace('"type": "http", "category": "fetch"', '"type": "user", "category": "auth"')
            + '{"email": "{v}", "clinic": "LV-131"}}',
            "{ts} INFO reminders sent=1 channel=email to={v} pet=PT-208117",
            HTTP + '\n{"petId": "PT-118204", "ownerEmail": "{v}", "slot": "2026-11-21T09:40"}',
            SQL.replace("run as admin", "data fix")
            + "UPDATE owners SET email = '{v}' WHERE owner_id = 88120;",
        ],
    ),
    (
        "phone",
        phone,
        [
            CRM + "c-40113,Eamon,Everard,,{v},Pickle,{clinic}",
            HR + "L-018,Locum Nurse,,{v},,,",
            CHAT + "owner: you can call me back on {v} after 5",
            SLACK + "can someone ring the owner of PT-208118 on {v}, the lab result is urgent",
            '{ts} WARN reminders sms failed to="{v}" provider=twilio code=21614',
            SQL.replace("run as admin", "data fix")
            + "UPDATE owners SET mobile = '{v}' WHERE owner_id = 88121;",
            HTTP + '\n{"petId": "PT-118205", "ownerPhone": "{v}"}',
            "Out-of-hours rota ({clinic}): on-call vet {who}, mobile {v}",
        ],
    ),
    (
        "credit-card",
        card,
        [
            CHAT + "owner: can you take the payment now, card is {v} exp 04/29",
            SENTRY.replace('"type": "http", "category": "fetch"', '"type": "default", "category": "ui.input"')
            + '{"target": "input#card-number", "value": "{v}"}}',
            "{ts} ERROR pharmacy checkout declined pan={v} amount=84.20",
            SLACK + "reception wrote the card on the booking note: {v}, can we delete that?",
            CRM.replace("phone,pet_name,clinic", "card_on_file") + "c-40114,Fenella,Fairbairn,,{v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} INFO booking-api POST /api/v2/appointments 201 client_ip={v} clinic=LV-122",
            SENTRY.replace('"type": "http", "category": "fetch"', '"type": "user", "category": "session"')
            + '{"ip_address": "{v}"}}',
            CHAT + "agent {who}: your home IP {v} is blocked by the WAF, I've raised it",
            "[HAR] entries[3].serverIPAddress / client: {v}",
            CRM.replace("phone,pet_name,clinic", "last_login_ip") + "c-40115,Gideon,Greathead,,{v}",
            "sshd[2231]: Failed password for invalid user admin from {v} port 51544 ssh2",
        ],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "phone",
        au_phone,
        [
            HR + "L-019,Locum Vet (AU),,{v},,,",
            CHAT + "owner (visiting from Perth): my number is {v}",
            CRM + "c-40116,Ivo,Hinchliffe,,{v},Wombat,LV-140",
        ],
    ),
    (
        "phone",
        fr_phone,
        [HR + "L-020,Locum Vet (FR),,{v},,,", SLACK + "French locum starting Monday, reachable on {v}"],
    ),
    (
        "ipv6",
        public_v6,
        [
            "{ts} INFO booking-api GET /api/v2/slots 200 client_ip={v}",
            "sshd[2240]: Accepted publickey for deploy from {v} port 40022 ssh2",
        ],
    ),
    ("national-id", ssn, [HR.replace("ni_number", "ssn") + "L-021,Locum Vet (US),,,,,{v}"]),
    (
        "national-id",
        nino,
        [HR + "L-022,Locum Nurse,,,,,{v}", SLACK + "payroll needs the NI number for the new locum: {v}"],
    ),
    ("iban", lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)), [HR + "L-023,Locum Vet (NL),,,,{v},"]),
    ("iban", lambda: iban_of("ES", rs(DIG, 20)), [CHAT + "owner: refund to my Spanish account please, {v}"]),
    ("iban", lambda: iban_of("IE", rs(UP, 4) + rs(DIG, 14)), [HR + "L-024,Locum Vet (IE),,,,{v},"]),
    (
        "email",
        lambda: email().replace("@", "%40"),
        ["[HAR] entries[7].request.url: https://booking.larchmere.internal/api/v2/owners?email={v}"],
    ),
]


# ---------------------------------------------------------------------------- look-alikes
def jenkins_enc() -> str:
    return "{AQAAABAAAAAQ" + b64(draw.rbytes(48)) + "}"


def eyaml_enc() -> str:
    return "ENC[PKCS7," + b64(draw.rbytes(150)) + "]"


def microchip() -> str:
    return rng.choice(["826", "900", "941", "985"]) + rs(DIG, 12)


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            SLACK + "booking-api {v} is what's on prod now",
            HELM + "image:\n  repository: registry.larchmere.internal/booking-api\n  tag: {v}",
            "# Puppetfile\nmod 'lvp_clinic',\n  :git => 'https://git.larchmere.internal/puppet/lvp_clinic.git',\n  :ref => '{v}'",
            JCASC.replace(
                "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n", "jobs:\n"
            )
            + "  - script: pipelineJob('booking-api') { definition { cpsScm { scm { git { branch('{v}') } } } } }",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            HTTP + "> X-Request-Id: {v}",
            AFCLI.replace("connections add ", "dags trigger ") + "pms_nightly --run-id manual__{v}",
            SENTRY + '{"method": "GET", "url": "/api/v2/slots", "trace": "{v}"}}',
            CHEF_BAG + 'clinics.json\n{\n  "id": "clinics",\n  "lv_131_site_id": "{v}"\n}',
            CRM.replace("phone,pet_name,clinic", "crm_guid") + "c-40117,Henrietta,Hinchliffe,,{v}",
            KCFG
            + "booking-deployer\n  user:\n    # uid {v}\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            '# Cargo.lock\n[[package]]\nname = "tokio-postgres"\nversion = "0.7.12"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{v}"',
            '<!-- gradle/verification-metadata.xml -->\n<component group="org.postgresql" name="postgresql" version="42.7.4">\n  <artifact name="postgresql-42.7.4.jar">\n    <sha256 value="{v}" origin="Generated by Gradle"/>\n  </artifact>\n</component>',
            CHEF_ATTR + "default['lvp']['xray_viewer']['checksum'] = '{v}'",
            '# poetry.lock\n[[package]]\nname = "requests"\nfiles = [\n    {file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:{v}"},\n]',
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            HELM + "airflow:\n  image:\n    digest: {v}",
            DCFG.replace("config.json", "docker inspect booking-api")
            + '[{"Id": "{v}", "RepoTags": ["registry.larchmere.internal/booking-api:4.8.2"]}]',
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha512-" + b64(draw.rbytes(64)),
        [
            '// booking-web/package-lock.json\n"node_modules/axios": {\n  "version": "1.7.7",\n  "integrity": "{v}"\n}'
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        ["$ cat postgresql-42.7.4.jar.sha1\n{v}", GRADLE + "# wrapper jar sha1 {v}"],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            SENTRY.replace(
                '"type": "http", "category": "fetch"', '"type": "default", "category": "sentry.event"'
            )
            + '{"event_id": "{v}"}}',
            '{ts} ERROR booking-api trace_id={v} msg="slot already taken"',
            SLACK + "Sentry issue event {v} has the full stack",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::lvp-xrays-{rng.randint(2, 9)}",
        [
            HIERA + "profile::xray_backup::bucket_arn: '{v}'",
            AFCLI + 'aws_backups --conn-type aws --conn-extra \'{"role_arn": "{v}"}\'',
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/{rng.choice(SVCS)}",
        [
            AFCLI
            + 'aws_backups --conn-type aws --conn-extra \'{"role_arn": "{v}", "region_name": "eu-west-2"}\'',
            HELM + "serviceAccount:\n  annotations:\n    eks.amazonaws.com/role-arn: {v}",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"i-0{rs(HEX, 16)}",
        [SLACK + "jenkins-agent-3 is {v}, I'll rebuild it", CRON.replace("{host}", "{v}") + "# (no jobs)"],
    ),
    (
        "placeholder",
        lambda: rng.choice(
            ["changeme", "<password>", "CHANGE_ME", "xxxxxxxx", "your-token-here", "REPLACE_WITH_KEY"]
        ),
        [
            MVN + "      <username>deployer</username>\n      <password>{v}</password>\n    </server>",
            GRADLE.replace("jenkins-agent-3", "README example") + "artifactoryPassword={v}",
            DBT + "      type: snowflake\n      user: DBT_DEV\n      password: {v}",
            PGPASS.replace("backup user on {host}", "template in docs/") + "*:5432:pms:backup:{v}",
            HIERA.replace("common.yaml", "common.yaml.example") + "profile::pms::db_password: '{v}'",
            PS + "$pw = ConvertTo-SecureString '{v}' -AsPlainText -Force  # example from the runbook",
            SQL + "CREATE USER lab_reader IDENTIFIED BY '{v}';  -- real value in the vault",
            HELM.replace("values-prod.yaml", "values.yaml")
            + "postgresql:\n  auth:\n    postgresPassword: {v}",
        ],
    ),
    (
        "templated-value",
        lambda: "{{ env_var('DBT_PASSWORD') }}",
        [DBT + '      type: snowflake\n      user: DBT_PROD\n      password: "{v}"'],
    ),
    (
        "templated-value",
        lambda: "${env.ARTIFACTORY_PASSWORD}",
        [MVN + "      <username>deployer</username>\n      <password>{v}</password>\n    </server>"],
    ),
    (
        "templated-value",
        lambda: "${ARTIFACTORY_API_KEY}",
        [JCASC + '          - string:\n              id: "artifactory-key"\n              secret: "{v}"'],
    ),
    (
        "templated-value",
        lambda: "{{ conn.pms_replica.password }}",
        [
            "# dags/pms_nightly.py (templated field)\nbash_command='PGPASSWORD=\"{v}\" pg_dump -h pg-clinic -U airflow_ro pms'"
        ],
    ),
    (
        "templated-value",
        lambda: "%(ENV_PMS_DB_PASSWORD)s",
        ['# /etc/supervisor/conf.d/pms-sync.conf\n[program:pms-sync]\nenvironment=PMS_DB_PASSWORD="{v}"'],
    ),
    (
        "templated-value",
        lambda: "lookup('profile::pms::db_password')",
        ["# site/profile/manifests/pms.pp\n$db_password = {v}"],
    ),
    (
        "templated-value",
        lambda: "data_bag_item('integrations', 'smtp')['password']",
        [CHEF_ATTR.replace("attributes/default.rb", "recipes/mail.rb") + "smtp_password = {v}"],
    ),
    (
        "templated-value",
        lambda: "%d/pmsdb",
        [UNIT + "LoadCredential=pmsdb:/etc/lvp/pmsdb.cred\nEnvironment=PMS_DB_PASSWORD_FILE={v}"],
    ),
    (
        "templated-value",
        lambda: "{{ .Values.postgresql.auth.postgresPassword | b64enc }}",
        ["# charts/booking/templates/secret.yaml\ndata:\n  password: {v}"],
    ),
    ("templated-value", lambda: "$(Get-Secret -Name svc-xray -AsPlainText)", [PS + "$pw = {v}"]),
    (
        "templated-value",
        lambda: "credentials('artifactory-deployer')",
        ["// Jenkinsfile\nenvironment {\n  ARTIFACTORY = {v}\n}"],
    ),
    (
        "masked-value",
        lambda: rng.choice(["****", "********", "[Filtered]", "***"]),
        [
            "[Pipeline] sh\n+ curl -u deployer:{v} -T booking-api.jar https://artifacts.larchmere.internal/libs-release/",
            SENTRY
            + '{"method": "POST", "url": "/api/v2/login", "request_headers": {"Authorization": "{v}"}}}',
            AFCLI.replace("connections add ", "connections get ")
            + "pms_replica\n| conn_id | login | password |\n| pms_replica | airflow_ro | {v} |",
            "Airflow task log: PGPASSWORD={v} pg_dump -h pg-clinic.larchmere.internal -U airflow_ro pms",
        ],
    ),
    (
        "masked-value",
        lambda: "XXXX-XXXX-XXXX-" + rs(DIG, 4),
        [CHAT + "agent {who}: I can see the card ending {v} on file"],
    ),
    (
        "masked-value",
        lambda: "AKCp8" + "•" * 10,
        [SLACK + "the Artifactory key that leaked started {v}, it's revoked"],
    ),
    (
        "encrypted-value",
        jenkins_enc,
        [
            "<!-- /var/lib/jenkins/credentials.xml -->\n<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n  <id>artifactory</id>\n  <username>deployer</username>\n  <password>{v}</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>",
            "<!-- /var/lib/jenkins/credentials.xml -->\n<org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>\n  <id>lab-partner-key</id>\n  <secret>{v}</secret>\n</org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>",
        ],
    ),
    (
        "encrypted-value",
        eyaml_enc,
        [HIERA + "profile::pms::db_password: >\n    {v}", HIERA_NODE + "profile::lab::api_key: {v}"],
    ),
    (
        "encrypted-value",
        lambda: (
            '{"encrypted_data": "'
            + b64(draw.rbytes(48))
            + '", "iv": "'
            + b64(draw.rbytes(12))
            + '", "auth_tag": "'
            + b64(draw.rbytes(16))
            + '", "version": 3, "cipher": "aes-256-gcm"}'
        ),
        [CHEF_BAG + 'smtp.json (encrypted)\n{\n  "id": "smtp",\n  "password": {v}\n}'],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["password", "api_key", "secret", "token", "fernet_key"]),
        [
            "RB-33: rotate the {v} in Vault first, then restart the Airflow scheduler.",
            SLACK + "did anyone change the {v} on the lab connection? it's failing since 09:00",
            "PM-2404 root cause: the JCasC file had the {v} inline instead of a ${...} reference.",
            SQL + "-- the {v} is never stored in this schema, only its bcrypt hash",
        ],
    ),
    (
        "keyword-no-value",
        lambda: "-AsPlainText",
        [PS + "# never use ConvertTo-SecureString {v} in scripts, use Get-Secret"],
    ),
    (
        "private-or-reserved-ip",
        draw.reserved_ip,
        [
            PGPASS.replace("backup user on {host}", "hosts") + "# primary {v}, replica via pgbouncer",
            HIERA_NODE + "profile::network::address: {v}",
            "sshd[2240]: Accepted publickey for deploy from {v} port 40022 ssh2",
            "{ts} INFO booking-api GET /healthz 200 client_ip={v}",
            KCFG + "ci\n  user: {}\nclusters:\n- cluster:\n    server: https://{v}:6443",
            CMD + "net use Y: \\\\{v}\\scans /persistent:no",
            SPRING + "spring.datasource.url=jdbc:postgresql://{v}:5432/booking",
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        [SLACK + "the pod can reach {v}, that's how it got the role creds"],
    ),
    (
        "example-email",
        lambda: rng.choice(
            [
                "reception@larchmere.example",
                "owner@example.com",
                "jane.doe@example.org",
                "qa+booking@larchmere.test",
            ]
        ),
        [
            CRM + "c-00001,Test,Owner,{v},,Rex,LV-101",
            CHEF_BAG + 'smtp.json\n{\n  "id": "smtp",\n  "from": "{v}"\n}',
            SPRING + "spring.mail.from={v}",
            HTTP + '\n{"petId": "PT-000001", "ownerEmail": "{v}"}',
        ],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]),
        [
            UNIT.replace("[Service]", "[Service]\n# example from the AWS docs")
            + "Environment=AWS_ACCESS_KEY_ID={v}",
            HIERA.replace("common.yaml", "common.yaml.example")
            + "profile::xray_backup::s3_access_key: '{v}'",
        ],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        [
            HELM + "image:\n  tag: {v}",
            "<dependency>\n  <groupId>org.postgresql</groupId>\n  <artifactId>postgresql</artifactId>\n  <version>{v}</version>\n</dependency>",
            "# requirements.txt\napache-airflow-providers-snowflake=={v}",
            "Puppet agent {v} on clinic-srv-07, Chef Infra Client on the rest",
            DBT.replace("# ~/.dbt/profiles.yml\n", "# dbt_project.yml\nrequire-dbt-version: '>={v}'\n"),
        ],
    ),
    (
        "version-or-date",
        lambda: f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        [
            CRM.replace("phone,pet_name,clinic", "vaccination_due") + "c-40118,Jolene,Drinkwater,,{v}",
            HR.replace("phone,rcvs_no,bank_iban,ni_number", "start_date") + "L-025,Locum Vet,,{v}",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " deploy@jenkins-agent-3",
        [
            HIERA + "profile::users::deploy_key: '{v}'",
            CHEF_BAG.replace("integrations/", "users/")
            + 'deploy.json\n{\n  "id": "deploy",\n  "ssh_keys": ["{v}"]\n}',
        ],
    ),
    (
        "public-key-or-cert",
        draw.pub_pem,
        [SPRING.replace("application-prod.properties", "jwt-verify.pem") + "{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: b64(
            ("-----BEGIN CERTIFICATE-----\nMIIC" + rs(B64, 60) + "\n-----END CERTIFICATE-----\n").encode()
        ),
        [
            KCFG.replace("users:\n- name: ", "clusters:\n- name: ")
            + "booking\n  cluster:\n    certificate-authority-data: {v}"
        ],
    ),
    (
        "ids-and-numbers",
        microchip,
        [
            CRM.replace("phone,pet_name,clinic", "microchip") + "c-40119,Casimir,Cullimore,,{v}",
            CHAT + "owner: the chip number on her passport is {v}",
            "{ts} INFO pms-sync pet=PT-118206 microchip={v} registry=petlog",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"PT-{rng.randint(100_000, 299_999)}",
        [
            SLACK + "lab result for {v} is stuck in the queue",
            CRM.replace("pet_name,clinic", "pet_id") + "c-40120,Delphine,Bracegirdle,,{v}",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"INV-{rng.randint(2026_0000, 2026_9999)}",
        [CHAT + "agent {who}: I've reissued invoice {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(7_000_000, 7_099_999)),
        [HR.replace("phone,rcvs_no,bank_iban,ni_number", "rcvs_no") + "L-026,Locum Vet,,{v}"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        [CHAT + "agent {who}: your booking reference is {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(1_760_000_000_000, 1_799_999_999_999)),
        ["[HAR] entries[2].startedDateTime_ms: {v}"],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            CHAT + "owner: the number on the insurance letter is {v}",
            CRM.replace("phone,pet_name,clinic", "insurance_policy") + "c-40121,Bronwen,Ashdown,,{v}",
        ],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(["4242424242424242", "4000056655665556", "5555555555554444"]),
        [
            '// booking-api/src/test/kotlin/CheckoutIT.kt\nval card = "{v}"',
            HELM.replace("values-prod.yaml", "values-staging.yaml") + 'payments:\n  smokeTestCard: "{v}"',
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(
            json.dumps({"clinic": f"LV-{rng.randint(101, 189)}", "slots": rng.randint(4, 40)}).encode()
        ),
        [
            "# kubectl get configmap booking-flags -o yaml\nbinaryData:\n  defaults.json: {v}",
            AFCLI.replace("connections add ", "tasks states-for-dag-run ")
            + "pms_nightly\nxcom return_value (b64): {v}",
        ],
    ),
    ("base64-nonsecret", lambda: b64(b"booking-api:4.8.2:prod"), [SENTRY + '{"release_b64": "{v}"}}']),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("trace-id", lambda: rs(HEX, 16), [SENTRY + '{"span_id": "{v}", "op": "db.query"}}']),
    (
        "hash-or-digest",
        lambda: "h1:" + b64(draw.rbytes(32)),
        ["// go.sum (lab-gateway)\ngithub.com/jackc/pgx/v5 v5.7.1 {v}"],
    ),
    ("hash-or-digest", lambda: rs(HEX, 32), ["$ md5sum xray-viewer-3.2.msi\n{v}  xray-viewer-3.2.msi"]),
    (
        "version-or-date",
        lambda: f"v0.0.0-2026{rng.randint(1, 11):02d}{rng.randint(10, 28)}{rs(DIG, 6)}-{rs(HEX, 12)}",
        ["// go.mod (lab-gateway)\nrequire github.com/larchmere-vets/hl7 {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "airflow@lvp-analytics.iam.gserviceaccount.com",
        [
            AFCLI
            + 'bq_default --conn-type google_cloud_platform --conn-extra \'{"impersonation_chain": "{v}"}\''
        ],
    ),
    (
        "cloud-resource-id",
        lambda: "lv12345.eu-west-1",
        [DBT + "      type: snowflake\n      account: {v}\n      authenticator: externalbrowser"],
    ),
    ("uuid", uuid4, [PS + "Get-ScheduledTask | ? TaskName -eq 'PMS Sync' # {v}"]),
    (
        "keyword-no-value",
        lambda: "Pwd",
        ["; ODBC DSN note: leave {v}= empty, the driver uses Windows auth (Trusted_Connection=yes)"],
    ),
    (
        "keyword-no-value",
        lambda: "IDENTIFIED BY",
        [SQL + "-- Oracle 23ai: use {v} VALUES only for migrations"],
    ),
    ("masked-value", lambda: "<hidden>", [AFCFG + "[core]\nfernet_key = {v}"]),
    (
        "placeholder",
        lambda: "@@DB_PASSWORD@@",
        ["# application.properties.tpl\nspring.datasource.password={v}"],
    ),
    ("placeholder", lambda: "<TOKEN>", [KCFG + "example\n  user:\n    token: {v}"]),
    (
        "templated-value",
        lambda: "{{ var.value.lab_api_key }}",
        ["# dags/lab_pull.py\nheaders={'X-Api-Key': '{v}'}"],
    ),
    (
        "templated-value",
        lambda: "$(cat /run/secrets/pg)",
        [CRON + "15 2 * * * PGPASSWORD={v} pg_dumpall -U backup > /srv/backup/all.sql"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"fe80::{rs(HEX, 4)}:{rs(HEX, 4)}",
        ["# ip -6 addr (clinic-srv-07)\ninet6 {v}/64 scope link"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"10.{rng.randint(0, 255)}.0.0/16",
        ["# /etc/systemd/network/90-wg-clinics.network\n[Route]\nDestination={v}"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        [SLACK + "reception PC is on Tailscale as {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: "C0" + rs(UP + DIG, 9),
        ["PM-2426: the thread was in Slack channel {v} (#vet-it-support)"],
    ),
    ("ids-and-numbers", lambda: f"VOPS-{rng.randint(1000, 9999)}", [SLACK + "tracking it in {v}"]),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["# .sops.yaml (analytics)\ncreation_rules:\n  - age: {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc",
        [SLACK + "staging uses the Stripe docs key {v}, that's fine"],
    ),
    (
        "version-or-date",
        lambda: "42.7.4",
        ["// build.gradle\nimplementation 'org.postgresql:postgresql:{v}'"],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["[Pipeline] echo\nbuilding booking-api at {v}"]),
    ("luhn-fail-number", luhn_bad, ["{ts} INFO pms-sync lab order barcode={v}"]),
    (
        "cloud-resource-id",
        lambda: "dbt@lvp-analytics.iam.gserviceaccount.com",
        [
            DBT.replace("prod:\n", "bq:\n")
            + "      type: bigquery\n      method: oauth\n      impersonate_service_account: {v}"
        ],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt|sa)[-_][A-Za-z0-9_-]{20}|xox[bpae][-.]\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|ya29\.|GOCSPX-"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sntrys_|glsa_|dapi[0-9a-f]{32}|ATATT3|dp\.st\.|shpat_|ntn_\d|AKCp8[A-Za-z0-9]{10}|hvs\.[A-Za-z0-9]{6}|-us\d\d\b"
    r"|PrivateKey=\w|AccountKey=[A-Za-z0-9+/]{20}|shared_access_key\W+[A-Za-z0-9+/]{20}|Q~[A-Za-z0-9_.~-]{30}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?<![A-Za-z0-9])(?:AC|SK)[0-9a-f]{32}"
    r"|(?<!:)(?i:password|passwd|pass|pwd|secret|token|_auth|apikey|api-key|api_key)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_.%-]{12,}"
    r"|IDENTIFIED BY '[^'@$<]{6,}'|/pass:\w|-p'\w"
)

PHONEISH_26 = re.compile(
    PHONEISH.pattern + r"|(?:\+61 |\(0|0)[2378]\)? (?:5550|7010) \d{4}|(?:\+33 1|01) 99 00 \d\d \d\d"
)


CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    phoneish=PHONEISH_26,
    national_id_ok=lambda row: ssn_or_nino_ok(row["value"]),
    private_key_ok=pem_block_ok,
    cut_value_types={"encrypted-value"},
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t26", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
