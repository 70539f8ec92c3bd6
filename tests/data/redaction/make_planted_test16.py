# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test16.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test16.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270104)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents written by an independent pre-release tester: four postmortems (PM-6208
mobile app release, PM-6215 warehouse ETL backfill, PM-6223 Kubernetes 1.30 upgrade, PM-6231 e-mail
delivery outage), one DNS/CDN postmortem (PM-6240), two runbooks (RB-52 SSO/identity break-glass,
RB-57 secrets rotation) and one ADR (ADR-046 message queue). Common shapes come first in each kind
(``t16p…``/``t16n…``); the summary it prints says where the split falls.
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
    FIRST,
    HEX,
    LAST,
    LOW,
    MAIL,
    TYPES,
    UP,
    Draw,
    Gen,
    b64,
    expand_sections,
    fill_slots,
    luhn_ok,
    one_of,
    sanity,
    write_fold,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test16.jsonl"
FOLD = "test16"
ID_PREFIX = "t16"
rng = Random(20270104)
draw = Draw(rng)
rs, rbytes, uuid4, sha40, hexk, hhmm = draw.rs, draw.rbytes, draw.uuid4, draw.sha40, draw.hexk, draw.hhmm
iso, akid, aws_secret, gcp_api = draw.iso, draw.akid, draw.aws_secret, draw.gcp_api
gcp_oauth_secret, az_client_secret = draw.gcp_oauth_secret, draw.az_client_secret
az_account_key, az_sas_sig, az_sb_key = draw.az_account_key, draw.az_sas_sig, draw.az_sb_key
gh_token, gl_token, slack_token = draw.gh_token, draw.gl_token, draw.slack_token
slack_hook, stripe_key, stripe_whsec = draw.slack_hook, draw.stripe_key, draw.stripe_whsec
opaque, private_key, pk, gcp_sa_key = draw.opaque, draw.private_key, draw.pk, draw.gcp_sa_key
pub_pem, card, luhn_bad, grouped = draw.pub_pem, draw.card, draw.luhn_bad, draw.grouped
public_v4, public_v6, priv_ip, phone = draw.public_v4, draw.public_v6, draw.priv_ip, draw.phone
ssn, nino, iban = draw.ssn, draw.nino, draw.iban


# ---------------------------------------------------------------------------- secret values
jwt = partial(
    draw.jwt_of,
    ["HS256", "RS256", "ES384"],
    [
        ("sub", ["system:serviceaccount:etl:loader", "app:kestrel-ios", "u_88213", "svc:mail-relay"]),
        ("aud", ["https://api.kestrel.app", "warehouse", "idp-bridge", "k8s"]),
        ("exp", range(1_795_000_000, 1_799_000_000 + 1)),
        ("role", ["ingest", "admin", "release-manager", "reader"]),
    ],
    sig_lengths={"HS256": 43, "ES384": 64},
    default_sig=86,
    kid=(HEX, 12),
)


WORDS = [
    "osprey",
    "quartz",
    "marlin",
    "thistle",
    "cinder",
    "poplar",
    "sorrel",
    "kelp",
    "umber",
    "vireo",
    "alder",
    "bramble",
]


password, url_password = partial(draw.password, WORDS), partial(draw.url_password, WORDS)


# ---------------------------------------------------------------------------- personal values


email = partial(
    draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}{last}", "{last}.{f}", "{f}+kestrel")
)


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "mobile-gateway",
    "etl-loader",
    "dbt-runner",
    "mail-relay",
    "edge-proxy",
    "idp-bridge",
    "rotation-bot",
    "queue-consumer",
    "push-notifier",
    "geo-dns-sync",
]
ONCALL = ["ayo", "birgit", "caspar", "dilnoza", "eero", "fenna", "goran", "huda", "ilse", "jarrah"]


FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "pip": priv_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "pid": lambda: str(rng.randint(1100, 64000)),
    "ver": lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}",
    "sha7": lambda: rs(HEX, 7),
    "req": lambda: rs(HEX, 16),
    "uuid": uuid4,
    "h64": lambda: rs(HEX, 64),
    "h32": lambda: rs(HEX, 32),
}


def fill(tpl: str, **kw: str) -> str:
    return fill_slots(tpl, FILL, **kw)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            "PM-6215 timeline: {t} the Airflow connection `aws_warehouse_raw` was exported with `airflow connections export` to a shared drive; its login field is {v}.",
            "| {t} | etl-loader | S3 403 on `raw-events/2026/11/` with key {v}, retried 14 times |",
            "extra__aws__aws_access_key_id: {v}",
            "> @{who} the dbt job still authenticates as {v}, that key belonged to the intern's sandbox user",
            '{"level":"error","ts":"{ts}","msg":"AssumeRole failed","caller_key":"{v}","role":"arn:aws:iam::604817223951:role/etl-writer"}',
            "$ aws configure set aws_access_key_id {v} --profile route53-legacy",
            "PM-6240: the geo-dns-sync job updated Route 53 with a long-lived key ({v}) stored as a GitLab CI variable without masking.",
            "Nov 03 {t}:11 etl-01 etl-loader[{pid}]: using static AWS credentials key={v} region=us-east-2",
            "RB-57 rotation log: created {v} for `mail-relay-ses` at {t}; old key scheduled for deletion.",
            'resource "aws_iam_access_key" "ses_smtp" {\n  user = aws_iam_user.mail_relay.name\n}\n# imported: {v}',
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            "extra__aws__aws_secret_access_key: {v}",
            "$ aws configure set aws_secret_access_key {v} --profile route53-legacy",
            "AWS_SECRET_ACCESS_KEY: {v}   # copied from 1Password item 'ETL prod', delete after backfill",
            "The CI variable `R53_SECRET` printed in the job log because masking was off: R53_SECRET={v}",
            "aws_secret_access_key: '{v}'",
            "| secret key (leaked) | {v} | rotated {t} UTC by {who} |",
            "s3.secret_key = {v}",
            '  "SecretAccessKey": "{v}",',
            "dbt_profile.outputs.prod.s3_secret = {v}",
            "> pasting here so I don't lose it: {v} (will delete the message after the backfill finishes)",
        ],
    ),
    (
        "gcp-service-account-key",
        gcp_sa_key,
        [
            '{\n  "type": "service_account",\n  "project_id": "kestrel-mobile-prod",\n  "private_key": "{v}",\n  "client_email": "play-publisher@kestrel-mobile-prod.iam.gserviceaccount.com"\n}',
            '"private_key": "{v}",',
            'PM-6208: fastlane supply read `play-store-key.json`, which was committed by mistake. Excerpt: "private_key": "{v}"',
            'GOOGLE_CREDENTIALS=\'{"type":"service_account","project_id":"wh-analytics-prod","private_key":"{v}","client_email":"bq-loader@wh-analytics-prod.iam.gserviceaccount.com"}\'',
            'keyfile_json:\n  type: service_account\n  project_id: wh-analytics-prod\n  private_key: "{v}"',
            'DEBUG google.auth loaded credentials: {"client_email": "dns-exporter@edge-ops-3317.iam.gserviceaccount.com", "private_key": "{v}"}',
            'secret:\n  data:\n    sa.json: |\n      {"type": "service_account", "private_key": "{v}"}',
            'The `bigquery_default` connection extra was {"keyfile_dict": {"private_key": "{v}"}} in plain text in the metadata DB.',
        ],
    ),
    (
        "gcp-key",
        gcp_api,
        [
            "<key>API_KEY</key>\n<string>{v}</string>",
            '"api_key": [{ "current_key": "{v}" }],',
            "PM-6208: the Maps key {v} shipped in the 7.4.0 IPA without an iOS bundle restriction.",
            'firebaseConfig = { apiKey: "{v}", authDomain: "kestrel-mobile-prod.firebaseapp.com" }',
        ],
    ),
    (
        "gcp-key",
        gcp_oauth_secret,
        [
            "RB-52: the Google Workspace OIDC client for the IdP bridge uses client_secret {v}; rotate it in the console, then in Vault.",
            "GOOGLE_OAUTH_CLIENT_SECRET={v}",
        ],
    ),
    (
        "azure-key",
        az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=whstagingexports;AccountKey={v};EndpointSuffix=core.windows.net",
            "ADR-046 option C (Azure Queue Storage) was prototyped with AccountKey={v} in `appsettings.Development.json`.",
            '"AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=kestrelfuncs;AccountKey={v}"',
            "$ az storage blob list --account-name whstagingexports --account-key {v} -c landing",
        ],
    ),
    (
        "azure-key",
        az_sas_sig,
        [
            "https://whstagingexports.blob.core.windows.net/landing/orders_2026-11-02.parquet?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00:00:00Z&spr=https&sig={v}",
            "| {t} | etl-loader | GET landing/?restype=container&comp=list&sv=2021-08-06&sig={v} -> 200 |",
            'SAS_TOKEN="sv=2022-11-02&ss=q&srt=sco&sp=rwdlacup&se=2026-12-31T23:59:59Z&sig={v}"',
        ],
    ),
    (
        "azure-key",
        az_sb_key,
        [
            "Endpoint=sb://kestrel-events.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}",
            'ADR-046: the spike used `ServiceBusClient("Endpoint=sb://adr046-spike.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={v}")`.',
            "Endpoint=sb://kestrel-eh.servicebus.windows.net/;SharedAccessKeyName=listen-etl;SharedAccessKey={v};EntityPath=clickstream",
        ],
    ),
    (
        "azure-key",
        az_client_secret,
        [
            "RB-52 break-glass: the Entra ID app `idp-bridge-prod` client secret is {v} (expires 2027-03).",
            "AZURE_CLIENT_SECRET={v}",
            '  clientSecret: "{v}"',
            "> {who}: I re-used the SCIM app secret {v} for the test tenant, sorry",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "PM-6208: the release workflow cloned the private `kestrel-certs` repo with `https://x-access-token:{v}@github.com/kestrel/kestrel-certs.git`.",
            "MATCH_GIT_BASIC_AUTHORIZATION is base64 of `ci-bot:<token>`; the raw token in the Fastfile comment was {v}.",
            "$ gh auth login --with-token <<< {v}",
            "| {t} | secret-scanning | GitHub token {v} found in `android/gradle.properties` (public fork) |",
            "GITHUB_TOKEN={v} ./scripts/bump-build-number.sh",
            "//npm.pkg.github.com/:_authToken={v}",
            "> {who}: use my PAT for now, {v}, I'll make a bot one tomorrow",
            "RB-57 step 4: revoke the old token ({v}) only after the Renovate run at {t} succeeds.",
            '{"time":"{ts}","level":"warn","msg":"rate limited","token":"{v}","remaining":0}',
            "git remote set-url origin https://{v}@github.com/kestrel/infra-dns.git",
            "  github_token: {v}",
            'curl -s -H "Authorization: token {v}" https://api.github.com/repos/kestrel/etl-dags/hooks',
            "export HOMEBREW_GITHUB_API_TOKEN={v}",
            'provider "github" {\n  owner = "kestrel"\n  token = "{v}"\n}',
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            "PM-6240: `R53_SECRET` was readable because the project access token {v} had `read_api` on the whole group.",
            "$ glab auth login --hostname gitlab.kestrel.internal --token {v}",
            "gitlab-runner register --url https://gitlab.kestrel.internal --token {v} --executor kubernetes",
            "PRIVATE-TOKEN: {v}",
            "helm upgrade --install runner gitlab/gitlab-runner --set runnerToken={v} -n ci",
            "| {t} | {who} | rotated deploy token {v} used by Argo CD |",
            "CI_JOB_DEBUG output: DNS_TOKEN_GITLAB={v}",
            "  password: {v}   # gitlab deploy token, username gitlab+deploy-token-118",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "PM-6231: the bounce alert bot posted with {v}, which was also hard-coded in `mail-relay/alerts.py`.",
            "SLACK_BOT_TOKEN={v}",
            "$ curl -s -X POST https://slack.com/api/chat.postMessage -H 'Authorization: Bearer {v}' -d channel=C06MAILOPS -d text=test",
            "slack:\n  app_token: {v}\n  channel: '#inc-email'",
            "> {who}: the Socket Mode token is {v}, it's in the bot's .env too",
            "| {t} | rotation-bot | Slack token {v} revoked via auth.revoke |",
            'level=error ts={ts} component=notifier err="invalid_auth" token={v}',
            "export SLACK_TOKEN='{v}'",
            "RB-57: for the Slack bot, regenerate in the app config page, then update `slack/bot-token` (the current one is {v}).",
            'SlackClient(token="{v}").chat_postMessage(channel="#release-kestrel", text=msg)',
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "ALERT_WEBHOOK_URL={v}",
            "PM-6223: the Alertmanager receiver URL ({v}) was in the Helm values committed to the public chart repo.",
            "receivers:\n- name: platform-pager\n  slack_configs:\n  - api_url: {v}\n    channel: '#k8s-upgrade'",
            "$ curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"DNS failover started\"}' {v}",
            "| {t} | {who} | posted the all-clear through {v} |",
            "notify:\n  slack: {v}",
            'fastlane: slack(message: "TestFlight build uploaded", slack_url: "{v}")',
            "Nov 09 {t}:02 mail-01 mail-relay[{pid}]: POST {v} status=410 body=no_service",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            "PM-6208: the in-app purchase fallback called Stripe directly from the app with {v} embedded in `Config.plist`.",
            "STRIPE_SECRET_KEY={v}",
            "$ curl https://api.stripe.com/v1/charges -u {v}: -d limit=3",
            'stripe.api_key = "{v}"',
            "| {t} | {who} | rolled {v} in the dashboard, new key in Vault `stripe/live` |",
            "> {who}: the ETL `stripe_charges` extractor still reads {v} from the Airflow variable",
            "  stripe_key: {v}",
            '{"ts":"{ts}","svc":"{svc}","msg":"stripe init","key":"{v}"}',
        ],
    ),
    (
        "stripe-key",
        stripe_whsec,
        [
            "STRIPE_WEBHOOK_SECRET={v}",
            "RB-57: the webhook signing secret (currently {v}) is rolled from the endpoint page; keep the old one for 24 h.",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "PM-6223: after the upgrade, `kubectl get secret loader-token -o jsonpath='{.data.token}' | base64 -d` printed {v}",
            "users:\n- name: etl-loader\n  user:\n    token: {v}",
            "Authorization: Bearer {v}",
            "> {who}: here's the token from the failing request: {v}",
            "| {t} | mobile-gateway | 401 for token {v} (exp in the past, clock skew on the pod) |",
            '{"level":"debug","ts":"{ts}","msg":"token issued","access_token":"{v}","expires_in":3600}',
            "$ curl -H 'Authorization: Bearer {v}' https://idp-bridge.kestrel.internal/scim/v2/Users?count=1",
            "X-Kestrel-Session: {v}",
            "RB-52 example of a broken assertion (captured {t}): id_token={v}",
            "kestrel.auth.cached_token={v}",
            '  File "loader/auth.py", line 41, in refresh\njwt.exceptions.ExpiredSignatureError: Signature has expired: {v}',
            "Cookie: ks_sess={v}; Path=/; Secure",
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "PM-6231: the DKIM signing key for `s2026._domainkey.mail.kestrel.app` sat in the relay image at /etc/opendkim/keys/s2026.private:\n{v}",
            "$ cat deploy_key\n{v}",
        ],
    ),
    (
        "private-key",
        pk("ec", "    "),
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: edge-tls\nstringData:\n  tls.key: |\n    {v}",
            "ingress:\n  tls:\n    key: |\n    {v}",
        ],
    ),
    (
        "private-key",
        pk("pkcs8"),
        [
            "PM-6208: the App Store Connect API key AuthKey_7Q2KD9XPLM.p8 was attached to the Jira ticket:\n{v}",
            'APNS_AUTH_KEY="{v}"',
            "RB-57 appendix (remove!): the current push key is\n{v}",
        ],
    ),
    (
        "private-key",
        pk("ssh"),
        [
            "> {who}: bastion key for the cluster upgrade, don't share outside #k8s-upgrade\n{v}",
            "~/.ssh/id_ed25519 on the runner image (layer sha256 digest in the report):\n{v}",
            'variable "bastion_private_key" {\n  default = <<EOT\n{v}\nEOT\n}',
        ],
    ),
    (
        "password-in-url",
        url_password,
        [
            "PM-6215: the backfill DAG used `postgresql://etl_admin:{v}@10.40.2.15:5432/warehouse_stage` and the URL appeared in the task log.",
            "sql_alchemy_conn = postgresql+psycopg2://airflow:{v}@airflow-db.etl.svc:5432/airflow",
            "AIRFLOW_CONN_WAREHOUSE='postgres://loader:{v}@wh-primary.internal:5432/analytics?sslmode=require'",
            "mysql://reporting:{v}@legacy-crm-db.kestrel.internal:3306/crm",
            '$ mysqldump --databases crm -h 10.40.7.3 -u reporting "--password={v}" > crm.sql   # from shell history',
            "MONGO_URI=mongodb+srv://push_svc:{v}@push-prod.x7k2q.mongodb.net/notifications?retryWrites=true&w=majority",
            "| {t} | push-notifier | connected to mongodb+srv://push_svc:{v}@push-prod.x7k2q.mongodb.net |",
            "REDIS_URL=redis://default:{v}@redis-queue.kestrel.internal:6379/2",
            "rediss://:{v}@edge-cache-01.kestrel.internal:6380/0",
            "ADR-046: the RabbitMQ baseline is `amqp://orders_pub:{v}@rabbit-0.mq.svc:5672/orders`.",
            "CELERY_BROKER_URL=amqps://worker:{v}@b-3f1c.mq.eu-west-1.amazonaws.com:5671",
            "spring.datasource.url=jdbc:postgresql://wh-primary.internal:5432/analytics?user=loader&password={v}",
            "jdbc:mysql://legacy-crm-db:3306/crm?user=reporting&password={v}&useSSL=true",
            "jdbc:sqlserver://finance-dw.kestrel.internal:1433;databaseName=ledger;user=etl;password={v};encrypt=true",
            "snowflake://etl_user:{v}@kestrel-eu1/analytics/raw?warehouse=LOAD_WH",
            '  Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "loader" (url postgresql://loader:{v}@wh-replica:5432/analytics)',
            "broker_url: amqp://mail:{v}@rabbit-0.mq.svc:5672/%2Fmail",
            "$ psql \"postgres://dba:{v}@10.60.0.21:5432/kubeflow\" -c 'select 1'",
            "https://svc_dns:{v}@ns-api.registrar-partner.net/v2/zones/kestrel.app",
            "smtp://ses-relay:{v}@email-smtp.us-east-2.amazonaws.com:587",
            "Nov 11 {t}:40 queue-01 consumer[{pid}]: reconnecting to amqp://consumer:{v}@mq-lb.kestrel.internal:5672/events",
            "ELASTIC_URL=https://elastic:{v}@logs-es.kestrel.internal:9200",
            "ftp://export:{v}@partner-sftp.kestrel.internal/outbound/",
            "clickhouse://default:{v}@ch-0.analytics.svc:9000/events",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "PM-6208: `android/keystore.properties` was in the public repo: storePassword={v}",
            "keyPassword={v}",
            "MATCH_PASSWORD={v} bundle exec fastlane ios beta",
            "profiles.yml:\n  prod:\n    type: snowflake\n    user: DBT_PROD\n    password: {v}\n    account: kestrel-eu1",
            "[client]\nuser = reporting\npassword = {v}\nhost = legacy-crm-db",
            'redis:\n  auth:\n    password: "{v}"',
            "$ helm upgrade --install rabbit bitnami/rabbitmq --set auth.username=admin --set auth.password={v} -n mq",
            "$ kubectl create secret generic loader-db --from-literal=username=loader --from-literal=password={v} -n etl",
            "$ docker login registry.kestrel.internal -u ci-robot -p {v}",
            '{"SmtpUser": "AKIA-redacted", "SmtpPassword": "{v}", "Host": "email-smtp.us-east-2.amazonaws.com"}',
            '[mail]\nsmtp_host = "smtp.mailgun.org"\nsmtp_user = "postmaster"\nsmtp_password = "{v}"',
            "spring.rabbitmq.password={v}",
            'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="events-producer" password="{v}";',
            "| {t} | {who} | changed the Grafana admin password from {v} (default left from install) |",
            "> {who}: the break-glass admin is `kadmin`, password {v}, it's also in the safe in the office",
            '  env:\n  - name: PGPASSWORD\n    value: "{v}"',
            "DB_PASSWORD='{v}'",
            'Nov 12 {t}:19 etl-01 sshd[{pid}]: debug1: userauth_passwd: provided password "{v}" for loader',
            "INSERT INTO service_accounts (name, password) VALUES ('dns-exporter', '{v}');",
            "ALTER USER etl_admin WITH PASSWORD '{v}';",
            "etcd:\n  auth:\n    rootPassword: {v}",
            "mariadb.auth.rootPassword={v}",
            "PM-6240: the registrar account password ({v}) was shared in the incident channel to speed up the NS change.",
            "ldap_bind_password: {v}",
            "RB-52: if the IdP is down, log in to the Okta org as the `breakglass` user with the vault-stored password; on {t} it was still {v}.",
            "$ rabbitmqctl change_password orders_pub {v}",
        ],
    ),
    (
        "basic-auth",
        lambda: b64(
            f"{rng.choice(['etl', 'scim', 'metrics', 'dns-bot', 'release'])}:{url_password()}".encode()
        ),
        [
            "Authorization: Basic {v}",
            "$ curl -H 'Authorization: Basic {v}' https://idp-bridge.kestrel.internal/scim/v2/Groups",
            "| {t} | edge-proxy | upstream request logged with `authorization: Basic {v}` |",
            '{"headers":{"Authorization":"Basic {v}","User-Agent":"airflow/2.9"}}',
            '  basicAuth: "{v}"   # htpasswd for the Prometheus ingress',
        ],
    ),
    (
        "basic-auth",
        url_password,
        [
            "$ curl -u admin:{v} https://rabbit-mgmt.kestrel.internal/api/queues/orders",
            "$ curl -s --user api:{v} https://api.mailgun.net/v3/mg.kestrel.app/bounces?limit=50",
            "$ curl -u ci-bot:{v} -X POST https://jenkins-mobile.kestrel.internal/job/ios-release/build",
            "wget --http-user=grafana --http-password={v} https://grafana.kestrel.internal/api/dashboards/uid/k8s-upgrade",
            'requests.get(url, auth=("scim-sync", "{v}"))',
        ],
    ),
    (
        "bearer-token",
        lambda: opaque(rng.choice([32, 40, 48])),
        [
            '$ curl -H "Authorization: Bearer {v}" https://api.cloudflare.com/client/v4/zones/3c1a0e5b7d2f4a68b9e0c1d2e3f4a5b6/purge_cache',
            "PM-6240: the Cloudflare API token {v} with `Zone:Edit` on all zones was stored in the job as plain text.",
            "Authorization: Bearer {v}",
            "> {who}: the Fastly token is {v}, purge keys are `kestrel-web`",
            "FASTLY_API_TOKEN={v}",
            "kubectl --token={v} --server=https://10.0.0.1:6443 get nodes",
            "| {t} | mobile-gateway | refresh_token={v} accepted after revocation (bug) |",
            '{"access_token":"{v}","token_type":"Bearer","expires_in":86400}',
            'CF_API_TOKEN: "{v}"',
            "  -H 'X-Api-Key: {v}' \\",
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
apple_app_pw = draw.apple_app_password


def k8s_bootstrap() -> str:
    return rs(LOW + DIG, 6) + "." + rs(LOW + DIG, 16)


def b64pw() -> str:
    return b64(password().encode())


RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        [
            "PM-6231: the relay fell back to SendGrid with key {v}, which had been revoked in 2025 but never removed from the config map.",
            "SENDGRID_API_KEY={v}",
            "  sendgrid:\n    api_key: {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "key-" + rs(HEX, 32),
        [
            "MAILGUN_API_KEY={v}",
            "| {t} | mail-relay | Mailgun 401 Forbidden with api key {v} (domain mg.kestrel.app) |",
        ],
    ),
    (
        "vendor-token",
        uuid4,
        [
            "X-Postmark-Server-Token: {v}",
        ],
    ),
    (
        "vendor-token",
        hexk(32),
        [
            "TWILIO_AUTH_TOKEN={v}  # SMS fallback for bounce alerts",
            "DD_API_KEY={v}",
            "datadog:\n  apiKey: {v}\n  site: datadoghq.eu",
            "ALGOLIA_ADMIN_API_KEY={v}",
            "pagerduty:\n  routing_key: {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "SK" + rs(HEX, 32),
        [
            "Twilio API key SID {v} (the secret is stored next to it in Vault) was pasted in the PM-6231 doc.",
        ],
    ),
    (
        "vendor-token",
        hexk(40),
        [
            "DD_APP_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "00" + rs(ALNUM + "-_", 40),
        [
            "Authorization: SSWS {v}",
            "RB-52: the Okta API token used by `idp-bridge` for SCIM is {v}; it is tied to the admin who created it, so it dies if they leave.",
            "OKTA_API_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "hvs." + rs(ALNUM, rng.choice([24, 90])),
        [
            "RB-57: log in with the root token only during a rotation ceremony. On {t} the generated root token was {v} and it was revoked at the end.",
            "export VAULT_TOKEN={v}",
            "X-Vault-Token: {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "npm_" + rs(ALNUM, 36),
        [
            "//registry.npmjs.org/:_authToken={v}",
            "NPM_TOKEN={v} npx expo publish",
        ],
    ),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 64),
        [
            "[pypi]\nusername = __token__\npassword = {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "dckr_pat_" + rs(B64URL, 27),
        [
            "$ echo {v} | docker login -u kestrelci --password-stdin",
        ],
    ),
    (
        "vendor-token",
        lambda: "dapi" + rs(HEX, 32),
        [
            "DATABRICKS_TOKEN={v}",
            "PM-6215: the notebook `backfill_orders` printed its token: dapi token = {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "dop_v1_" + rs(HEX, 64),
        [
            "DIGITALOCEAN_TOKEN={v}  # status page droplet",
        ],
    ),
    (
        "vendor-token",
        lambda: "NRAK-" + rs(UP + DIG, 27),
        [
            "NEW_RELIC_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        [
            "grafana:\n  serviceAccountToken: {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "ATATT3xFfGF0" + rs(B64URL, 170) + "=" + rs(HEX, 8).upper(),
        [
            "JIRA_API_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "sk-proj-" + rs(B64URL, 120),
        [
            "PM-6231: the bounce-triage prototype called the LLM API with {v} from the relay host.",
        ],
    ),
    (
        "vendor-token",
        lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA",
        [
            "ANTHROPIC_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "hf_" + rs(ALNUM, 34),
        [
            "> {who}: the classifier pulls from the hub with {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "sntrys_" + rs(B64URL, 60),
        [
            "SENTRY_AUTH_TOKEN={v} npx sentry-cli sourcemaps upload --release 7.4.0 ./dist",
        ],
    ),
    (
        "vendor-token",
        lambda: "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134),
        [
            "PM-6208: the legacy FCM server key was still in `push-notifier`: Authorization: key={v}",
            'fcm_server_key = "{v}"',
        ],
    ),
    (
        "vendor-token",
        lambda: f"https://discord.com/api/webhooks/{rs(DIG, 19)}/{rs(B64URL, 68)}",
        [
            "BETA_FEEDBACK_WEBHOOK={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: (
            f"https://kestrel.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        [
            "PM-6240: the CDN alert went to Teams through {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "sk.eyJ1Ijoia2VzdHJlbCIsImEiOiJ" + rs(B64URL, 30) + "." + rs(B64URL, 22),
        [
            "MAPBOX_SECRET_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "lin_api_" + rs(ALNUM, 40),
        [
            "LINEAR_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "dp.st.prd." + rs(ALNUM, 43),
        [
            "DOPPLER_TOKEN={v} doppler run -- ./etl.sh",
        ],
    ),
    (
        "vendor-token",
        lambda: "pul-" + rs(HEX, 40),
        [
            "PULUMI_ACCESS_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
        [
            "RB-57: the sops age identity for the prod overlay is\n# created: 2026-03-02T10:11:12Z\n# public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n{v}",
        ],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67),
        [
            'credentials "app.terraform.io" {\n  token = "{v}"\n}',
        ],
    ),
    (
        "vendor-token",
        lambda: "nfp_" + rs(ALNUM, 36),
        [
            "NETLIFY_AUTH_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "sbp_" + rs(HEX, 40),
        [
            "SUPABASE_ACCESS_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "ATBB" + rs(ALNUM, 32),
        [
            "BITBUCKET_APP_PASSWORD={v}",
        ],
    ),
    (
        "vendor-token",
        k8s_bootstrap,
        [
            "PM-6223: the join command with its bootstrap token was pasted into the ticket: kubeadm join 10.0.0.10:6443 --token {v} --discovery-token-ca-cert-hash sha256:{h64}",
            "$ kubeadm token create {v} --ttl 2h --print-join-command",
        ],
    ),
    (
        "vendor-token",
        lambda: b64(rbytes(32)),
        [
            "kind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aescbc:\n      keys:\n      - name: key1\n        secret: {v}",
            "[Interface]\nAddress = 10.8.0.3/24\nPrivateKey = {v}",
            "Unseal Key 2: {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM + "+/", 64),
        [
            "CONFLUENT_CLOUD_API_SECRET={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM, 32),
        [
            "SEGMENT_WRITE_KEY={v}",
        ],
    ),
    (
        "password-assignment",
        apple_app_pw,
        [
            "FASTLANE_APPLE_APPLICATION_SPECIFIC_PASSWORD={v}",
            "$ xcrun altool --upload-app -f Kestrel.ipa -u release-bot -p {v}",
        ],
    ),
    (
        "password-assignment",
        b64pw,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: loader-db\n  namespace: etl\ntype: Opaque\ndata:\n  username: bG9hZGVy\n  password: {v}",
            "//registry.npmjs.org/:_password={v}",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "machine api.registrar-partner.net\n  login svc_dns\n  password {v}",
            "wh-primary.internal:5432:analytics:loader:{v}",
            "requirepass {v}",
            "RABBITMQ_ERLANG_COOKIE={v}",
        ],
    ),
    (
        "basic-auth",
        lambda: b64(f"kestrelci:{password()}".encode()),
        [
            '{\n  "auths": {\n    "registry.kestrel.internal": {\n      "auth": "{v}"\n    }\n  }\n}',
            "_auth={v}",
        ],
    ),
    (
        "password-in-url",
        url_password,
        [
            "CLOUDINARY_URL=cloudinary://684219375530142:{v}@kestrel-media",
            "index-url = https://ci:{v}@pypi.kestrel.internal/simple/",
        ],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "PM-6231: a customer ({v}) reported that password-reset mails stopped at {t}; it was the first report.",
            '| {t} | support | ticket #48211 from {v}: "no verification code since this morning" |',
            "Nov 09 {t}:51 mail-01 postfix/smtp[{pid}]: 7C1E02A41B: to=<{v}>, relay=mx.{svc}.internal, status=deferred (421 4.7.0 try again later)",
            '{"event":"bounce","email":"{v}","reason":"550 5.1.1 mailbox unavailable","ts":"{ts}"}',
            'ts={ts} level=info msg="suppression added" recipient={v} list=hard-bounce',
            "SELECT id, created_at FROM suppressions WHERE address = '{v}';",
            "> {who}: the VIP complaint came from {v}, can we whitelist them manually?",
            "PM-6208: a TestFlight tester ({v}) was the first to see the crash on launch.",
            "- Reporter: {v}",
            "RB-52: the SSO lockout for {v} was resolved by resetting MFA at {t}.",
            "event=login_failed user={v} idp=okta reason=mfa_timeout",
            "PM-6215: the row that broke the loader had email `{v}` with a trailing NUL byte.",
            "  File \"etl/transform.py\", line 212, in normalise\nValueError: invalid address: '{v}'",
            "| {v} | iOS 18.1 | crash on cold start | build 7.4.0 (1182) |",
            "Subject: Re: your account\nFrom: {v}\nTo: support@kestrel.example",
            "UPDATE users SET email_verified = true WHERE email = '{v}';",
            "The complaint-loop report listed {v} as marking the reset mail as spam.",
            '> forwarded by {who}: "I stopped receiving codes" – {v}',
        ],
    ),
    (
        "phone",
        phone,
        [
            "PM-6231: SMS fallback was sent to {v} for every bounce, which was the on-call's personal number.",
            "| {t} | support | callback requested by the customer at {v} |",
            "On-call escalation: {who}, mobile {v}",
            '{"to":"{v}","channel":"sms","status":"undelivered","error_code":30003}',
            "RB-52: if the IdP vendor does not answer, call their TAM directly on {v}.",
            "> {who}: ring me on {v} if the DNS change goes sideways",
            'ts={ts} level=warn msg="otp send failed" phone={v}',
            "| Registrar emergency line | {v} | 24/7 |",
            "PM-6208: the beta user who reported the crash left a voicemail from {v}.",
            "INSERT INTO sms_outbox (recipient, body) VALUES ('{v}', 'Your sign-in link has expired');",
            "Contact for the data-centre visit: {v} (site manager)",
            "Nov 10 {t}:15 sms-01 push-notifier[{pid}]: delivery receipt for {v}: FAILED",
            "PM-6240: the CDN vendor's incident bridge was {v}.",
            "- Escalation (after hours): {v}",
            "The customer confirmed identity by phone ({v}) before we unlocked the account.",
            'user_phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            "PM-6215: the raw `payments_raw` table was copied to the sandbox; row 18 still had card_number {v}.",
            "| {t} | support | customer read out card {v} in the chat transcript |",
            '{"event":"charge.failed","card":"{v}","exp":"09/28"}',
            'ERROR etl.transform: unmasked PAN in column notes: "{v}"',
            "> {who}: the export has full PANs, e.g. {v}, stop the job!",
            "INSERT INTO orders_stage (id, pan) VALUES (48211, '{v}');",
            "PM-6208: the crash log contained the form field card={v} because the field was not marked secure.",
            "Nov 04 {t}:08 etl-01 dbt-runner[{pid}]: WARN test not_pan failed on value {v}",
            "| 48211 | {v} | 2026-11-02 | refund pending |",
            "card_number,exp,zip\n{v},11/27,94110",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "PM-6240: resolvers in one ISP kept returning the old A record {v} for 6 hours after the change.",
            "| {t} | edge-proxy | origin pull from {v} failing TLS handshake |",
            "kestrel.app.  300  IN  A  {v}",
            '{v} - - [09/Nov/2026:{t}:12 +0000] "GET /reset?token=expired HTTP/1.1" 404 153',
            '{"ts":"{ts}","client_ip":"{v}","path":"/api/v2/login","status":429}',
            "RB-52: the brute-force attempts on the break-glass account all came from {v}.",
            "> {who}: whoever is on {v} is hammering the SCIM endpoint",
            "Nov 12 {t}:07 bastion sshd[{pid}]: Failed password for invalid user admin from {v} port 51422 ssh2",
            "PM-6223: the cluster's egress NAT was {v}, which the partner had on its allowlist.",
            'resource "cloudflare_record" "apex" {\n  zone_id = var.zone_id\n  name    = "@"\n  value   = "{v}"\n  type    = "A"\n}',
            'ts={ts} msg="rate limit" remote_addr={v} svc=mobile-gateway',
            "PM-6231: the mailbox provider blocked our sending IP {v} at {t}.",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            "kestrel.app.  300  IN  AAAA  {v}",
            "PM-6240: the AAAA record pointed to {v}, the old CDN edge, for 40 minutes.",
            '{"ts":"{ts}","client_ip":"{v}","ua":"Kestrel/7.4.0 (iPhone; iOS 18.1)"}',
            "| {t} | edge-proxy | connections from {v} exceeded the per-IP limit |",
            "Nov 09 {t}:33 mail-01 postfix/smtpd[{pid}]: connect from unknown[{v}]",
            "> {who}: the SCIM hits come from {v}, is that the IdP?",
            "$ dig +short AAAA kestrel.app\n{v}",
            "ts={ts} remote={v} status=403 path=/admin",
        ],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "national-id",
        ssn,
        [
            "PM-6215: the HR extract in the sandbox had an `ssn` column; the first row was {v}.",
            "| employee 3318 | SSN {v} | W-2 reissue |",
        ],
    ),
    (
        "national-id",
        nino,
        [
            "payroll_feed.csv: employee_id=2207, ni_number={v}, tax_code=1257L",
            "> {who}: the UK payroll row shows NI number {v} in plain text",
        ],
    ),
    (
        "iban",
        lambda: iban(rng.choice(["GB", "DE", "FR"])),
        [
            "PM-6215: the vendor payout table was exported with IBAN {v} in clear.",
            "| refund 7731 | {v} | manual transfer |",
            'payout_account: "{v}"',
            "> {who}: customer asked the refund to go to {v}",
        ],
    ),
]


# ---------------------------------------------------------------------------- negatives
def arn() -> str:
    acct = rs(DIG, 12)
    return rng.choice(
        [
            f"arn:aws:iam::{acct}:role/etl-writer",
            f"arn:aws:s3:::kestrel-raw-events-{rs(LOW + DIG, 6)}",
            f"arn:aws:secretsmanager:us-east-2:{acct}:secret:etl/loader-db-{rs(ALNUM, 6)}",
            f"arn:aws:ses:us-east-2:{acct}:identity/mail.kestrel.app",
            f"arn:aws:eks:eu-west-1:{acct}:cluster/platform-prod",
            f"arn:aws:kms:us-east-2:{acct}:key/{uuid4()}",
        ]
    )


def res_id() -> str:
    return rng.choice(["i-", "vol-", "sg-", "subnet-", "vpc-", "eni-", "ami-"]) + rs(HEX, 17)


def b64_plain() -> str:
    return b64(
        rng.choice(
            [
                b'{"replicas":3,"strategy":"RollingUpdate"}',
                b"queue=orders;prefetch=50;ack=manual",
                b"kestrel release notes 7.4.0",
                b'{"event":"open","campaign":"reset-2026-11"}',
                b"etl-loader batch 2026-11-02 ok",
                b"hello from the DNS canary",
                b'{"dag_id":"backfill_orders","run_type":"manual"}',
                b"apiVersion: v1\nkind: ConfigMap\n",
                b"ns1.kestrel.app ns2.kestrel.app",
                b"mail-relay health: green",
            ]
        )
    )


def ssh_pub() -> str:
    return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + f" {rng.choice(ONCALL)}@laptop"


cert_pem = partial(draw.cert_pem_block, "MIIDdzCCAl+gAwIBAgIU")


def ex_email() -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}@" + rng.choice(
        ["example.com", "example.org", "kestrel.example", "mail.test", "example.net"]
    )


def dd_trace() -> str:
    while True:
        v = str(rng.randint(10**18, 9 * 10**18))
        if not luhn_ok(v):
            return v


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "PM-6208: the crash was introduced in {v} (a change to the keychain access group) and reverted in 7.4.1.",
            "| {t} | {who} | `git revert {v}` merged to `release/7.4` |",
            "$ git show --stat {v}",
            "uses: aws-actions/configure-aws-credentials@{v}  # v4.0.2",
            "PM-6215: the DAG file at {v} still pointed the backfill at `warehouse_stage`.",
            "helm_chart_ref={v} chart=ingress-nginx",
            '{"commit":"{v}","pipeline":"dns-sync","status":"failed"}',
            "> {who}: bisect says {v}",
            "ADR-046 was merged at {v}.",
            "Nov 09 {t}:01 mail-01 deployer[{pid}]: rolled mail-relay back to {v}",
            "The Kubernetes 1.30 upgrade plan lives in infra-docs at {v}.",
            "RB-57 revision {v} added the Vault step.",
            "image: registry.kestrel.internal/etl-loader:git-{v}",
            "fixed_by: {v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "PM-6215 run_id {v} is the failed backfill; rerun with a new id.",
            "| {t} | etl-loader | batch {v} rejected (schema drift) |",
            "X-Request-Id: {v}",
            "metadata:\n  uid: {v}\n  name: etl-loader-7d9f8",
            '{"message_id":"{v}","queue":"orders","redelivered":true}',
            "The Okta app instance id is {v}; it is not a secret.",
            'kms_key_id = "{v}"',
            'ts={ts} level=info msg="dag run queued" run_id={v}',
            "> {who}: device id {v} keeps crashing, it's a test phone",
            "Azure tenant: {v}",
            "correlation_id={v} status=DEFERRED",
            "Idempotency-Key: {v}",
            "PM-6240: Cloudflare ruleset {v} was the one that blocked the health checks.",
            'subscription_id = "{v}"',
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            "image: registry.kestrel.internal/mail-relay@{v}",
            "PM-6223: the kube-proxy image digest changed to {v} in the 1.30 bundle.",
            "| {t} | ci | pushed etl-loader {v} |",
            "  digest: {v}",
            "$ crane digest ghcr.io/kestrel/push-notifier:7.4.0\n{v}",
            "Layer {v} was the one carrying the runner's home directory.",
        ],
    ),
    (
        "hash-or-digest",
        hexk(64),
        [
            "SHA-256 of Kestrel-7.4.0.ipa: {v}",
            "The DKIM body hash for the test message (bh=) decoded to {v}.",
            "checksum {v}  terraform_1.9.8_linux_amd64.zip",
        ],
    ),
    (
        "hash-or-digest",
        hexk(32),
        [
            'ETag: "{v}"',
            "md5 {v}  orders_2026-11-02.parquet",
            "Cloudflare zone id for kestrel.app: {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha512-" + b64(rbytes(64)),
        [
            '"integrity": "{v}"',
            "lockfile entry for react-native 0.76.1: integrity {v}",
        ],
    ),
    (
        "cloud-resource-id",
        arn,
        [
            "PM-6215: the loader assumed {v} instead of the read-only role.",
            "| {t} | {who} | detached the inline policy from {v} |",
            'resource = "{v}"',
            "RB-57: the DB password lives in {v}; rotate it with the rotation lambda.",
            '{"Effect":"Allow","Action":"*","Resource":"{v}"}   <- the over-broad statement',
            "cluster_arn: {v}",
        ],
    ),
    (
        "cloud-resource-id",
        res_id,
        [
            "PM-6223: node {v} never rejoined after the drain.",
            "| {t} | {who} | terminated {v} (old AMI) |",
            'security_group_ids = ["{v}"]',
            'ts={ts} msg="eni attached" id={v}',
        ],
    ),
    (
        "cloud-resource-id",
        one_of(
            "Z07418923KQ1P7ULR3XJ2",
            "E2QWRUHAPOMQZL",
            "projects/wh-analytics-prod/datasets/raw_orders",
            "/subscriptions/3f2a9c1e-8b7d-4e6f-a5c4-1b2d3e4f5a6b/resourceGroups/rg-kestrel-prod/providers/Microsoft.ServiceBus/namespaces/kestrel-events",
            "C06MAILOPS",
            "ocid1.instance.oc1.eu-frankfurt-1.antheljtq5xk2v7rwnyzy3t2ab",
        ),
        [
            "Route 53 hosted zone {v} (kestrel.app, public)",
            "PM-6240: CloudFront distribution {v} served stale errors for 12 minutes.",
            "bq ls {v}",
            "scope: {v}",
            "The alerts go to Slack channel {v} (#inc-email).",
            "PM-6240: the secondary DNS health checker runs on {v}.",
        ],
    ),
    (
        "placeholder",
        one_of(
            "<your-api-token>",
            "YOUR_SENDGRID_KEY",
            "REPLACE_ME",
            "xxxxxxxxxxxxxxxx",
            "<redacted>",
            "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "<password>",
            "TODO",
            "<set-in-vault>",
            "sk_live_...",
            "AKIAXXXXXXXXXXXXXXXX",
            "<CLOUDFLARE_TOKEN>",
            "dummy",
            "<base64-encoded-password>",
            "hooks.slack.com/services/T000/B000/XXXX",
            "postgres://USER:PASSWORD@HOST:5432/DB",
        ),
        [
            "export CF_API_TOKEN={v}",
            "SENDGRID_API_KEY={v}",
            "  password: {v}",
            "storePassword={v}",
            "> {who}: I replaced the key with {v} before pasting the config",
            "GITHUB_TOKEN={v}  # fill in locally",
            "RB-57 template: db_password: {v}",
            "slack_token: {v}",
            "MATCH_PASSWORD={v}",
            'stripe.api_key = "{v}"   # from the docs snippet',
            "aws_access_key_id = {v}",
            "Authorization: Bearer {v}",
            'smtp_password = "{v}"',
            "stringData:\n  loader-password: {v}   # filled in by sealed-secrets",
            "ALERT_WEBHOOK_URL=https://{v}",
            'DATABASE_URL="{v}"',
        ],
    ),
    (
        "masked-value",
        one_of(
            "AKIA************7QXN",
            "ghp_****************************Kx2f",
            "xoxb-****-****-************",
            "********",
            "sk_live_••••••••••••3hQz",
            "[REDACTED]",
            "postgres://loader:****@wh-primary.internal:5432/analytics",
            "****-****-****-4417",
            "SG.****.****",
            "hvs.******",
            "•••• •••• •••• 8812",
            "sig=REDACTED",
        ),
        [
            "PM-6215: the rotated key was {v} (masked in the console).",
            "| {t} | secret-scanning | token {v} revoked automatically |",
            "slack_token: {v}",
            "  keystore_password: {v}   # as printed by helm get values",
            "The dashboard now shows {v} for the live key.",
            "log line after the fix: authorization={v}",
            "DATABASE_URL={v}",
            "Card on file: {v}",
            "SENDGRID_API_KEY={v}",
            "VAULT_TOKEN={v}",
            "The customer saw {v} on the receipt.",
            "https://whstagingexports.blob.core.windows.net/landing/x.parquet?sv=2022-11-02&{v}",
        ],
    ),
    (
        "keyword-no-value",
        one_of(
            "client secret",
            "API token",
            "storePassword",
            "SAS token",
            "service-account key",
            "DKIM private key",
            "webhook URL",
            "root token",
            "bootstrap token",
            "app-specific password",
            "AccountKey",
            "access key",
            "password",
            "private key",
            "bearer token",
            "signing secret",
        ),
        [
            "PM-6240: the Entra ID {v} expired at 00:00 UTC and nobody owned the renewal.",
            "RB-52: never paste the Okta {v} into a ticket; link the Vault path instead.",
            "PM-6208: the Android {v} is now injected from the CI secret store.",
            "ADR-046: consumers authenticate with a short-lived {v} issued per deploy.",
            "PM-6215: rotate the BigQuery {v} every 90 days (owner: data-platform).",
            "PM-6231: the {v} was rotated after the image audit.",
            "Action item: move the Alertmanager {v} out of the public chart values.",
            "RB-57: a Vault {v} is generated only during a ceremony and revoked immediately.",
            "PM-6223: kubeadm printed a {v}; it expired after two hours, as designed.",
            "PM-6208: the Apple {v} for the release bot now lives in 1Password.",
            "ADR-046 rejected the Azure option partly because every client would need the {v}.",
            "RB-57: deactivate the old {v} only after CloudTrail shows no use for 24 h.",
            "The {v} field in the Airflow UI is now masked.",
            "No {v} was found in the IPA after the rebuild.",
            "The scanner flags any {v} in Helm values.",
            "PM-6231: the Stripe {v} for webhooks is not used by the relay.",
        ],
    ),
    (
        "private-or-reserved-ip",
        one_of(
            "10.40.2.15",
            "172.20.14.3",
            "192.168.50.1",
            "127.0.0.1",
            "169.254.169.254",
            "100.72.4.19",
            "192.0.2.44",
            "198.51.100.7",
            "203.0.113.250",
            "2001:db8:4a::1",
            "fd12:3456:789a::10",
            "fe80::1c2b:3dff:fe4e:5a6f",
            "::1",
            "10.96.0.10",
            "172.31.255.254",
            "0.0.0.0",
            "192.168.1.254",
            "10.0.0.1",
        ),
        [
            "PM-6215: the stage database at {v} was reachable from the notebook cluster.",
            "| {t} | etl-loader | connect to {v}:5432 timed out |",
            "listen_addresses = '{v}'",
            "redis.conf on the queue host: bind {v}",
            "The pods hit the metadata service at {v} during the upgrade.",
            "PM-6223: the Tailscale CGNAT address {v} is the bastion.",
            "docs example: `dig @{v} kestrel.app`",
            "In the runbook the sample resolver is {v}.",
            'origin = "{v}"  # RFC 5737 test address in the staging config',
            "ip6 example: {v}",
            "ULA for the mesh: {v}",
            "ip -6 addr show: inet6 {v}/64 scope link",
            "server listening on [{v}]:8080",
            "kube-dns service IP: {v}",
            "PM-6223: the last address of the VPC range, {v}, was taken by the NLB.",
            "metricsBindAddress: {v}:10249",
            "home router in the repro setup: {v}",
            "--apiserver-advertise-address={v}",
        ],
    ),
    (
        "example-email",
        ex_email,
        [
            "PM-6231: test mail to {v} was delivered once the relay recovered.",
            "From: Kestrel <{v}>",
            "| {t} | qa | seed address {v} added to the inbox-placement test |",
            "RB-52: the test user {v} has no MFA and exists only in staging.",
            '{"email":"{v}","status":"delivered"}',
            "git config user.email {v}",
            "ADR-046 author: {v}",
            "- Reporter: {v} (synthetic monitor)",
            "SELECT * FROM suppressions WHERE address = '{v}';",
            "> {who}: use {v} for the dry run",
            "reply_to: {v}",
            "PM-6208: the TestFlight group uses {v} as its contact.",
        ],
    ),
    (
        "vendor-example-key",
        one_of(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AKIAI44QH8DHBEXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AKIAI44QH8DHBEXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        ),
        [
            "RB-57 example (from the AWS docs): aws_access_key_id = {v}",
            "aws_secret_access_key = {v}   # AWS documentation value, not real",
            "The test fixture uses {v} so the scanner allowlist can match it.",
            "| example | {v} | documentation key |",
            "export AWS_ACCESS_KEY_ID={v}  # sample from the CLI guide",
            "  secret_key: {v}",
            "> {who}: that's the AWS docs key ({v}), not ours",
            "AWS_SECRET_ACCESS_KEY={v} (copied from the SigV4 tutorial)",
        ],
    ),
    (
        "version-or-date",
        one_of(
            "v1.30.4",
            "7.4.0 (1182)",
            "2026-11-09T14:22:31Z",
            "3.13.7",
            "OpenSSL 3.0.13",
            "1.29.9-eks-a5ec690",
            "Airflow 2.9.3",
            "postfix 3.8.6",
            "iOS 18.1",
            "2026-11-02",
            "dbt-core 1.8.7",
            "RabbitMQ 3.13.7",
            "Kafka 3.7",
            "TLS 1.3",
        ),
        [
            "PM-6223: control plane upgraded to {v} at {t}.",
            "PM-6208: the crashing build was {v}.",
            "incident start: {v}",
            "image: rabbitmq:{v}-management",
            "The relay runs {v}.",
            "node version: {v}",
            "PM-6215: the scheduler runs {v}.",
            "mail-relay image built on {v}",
            "Crash only on {v} and later.",
            "partition date={v}",
            "pip freeze: {v}",
            "ADR-046 baseline: {v} with quorum queues.",
            "ADR-046 alternative: {v} with KRaft.",
            "min_protocol: {v}",
        ],
    ),
    (
        "ids-and-numbers",
        one_of(
            "INC-20261109-0042",
            "KSTL-4412",
            "Order 415-822-9071",
            "invoice INV-2026-118204",
            "PagerDuty Q2X8Z1KF",
            "build 1182",
            "case 03318842",
            "RMA 720-404-1188",
            "ticket #48211",
            "PO 4500182273",
            "batch 20261102-07",
            "CHG0041187",
            "order no. 206 731 4490",
            "shipment 1Z 999 AA1 01 2345 6784",
        ),
        [
            "PM-6231 links to {v}.",
            "| {t} | support | {v} escalated |",
            "See {v} for the follow-up.",
            "{v} was refunded after the outage.",
            "Billing reference: {v}.",
            "App Store review for {v} took 26 hours.",
            "Vendor {v} opened for the DNS issue.",
            "{v} (return) was delayed by the mail outage.",
            "Related: {v}",
            "Finance asked about {v}.",
            "PM-6215: reload {v} after the fix.",
            "Change record {v} approved the cluster upgrade.",
            "Customer quoted {v} in the chat.",
            "The courier's {v} is in the ticket.",
        ],
    ),
    (
        "luhn-fail-number",
        lambda: grouped(luhn_bad()),
        [
            "PM-6215: the masking test flagged {v}, but it fails the Luhn check (a shipment id).",
            "| {t} | dbt-runner | not_pan test: {v} ignored (Luhn fail) |",
            "gift card serial {v}",
            "Loyalty number: {v}",
            "The sample row had account_ref {v}.",
            "> {who}: {v} is a tracking number, not a card",
            '{"voucher":"{v}","status":"void"}',
            "device serial {v}",
            "ERP document {v}",
            "Consignment {v} stuck at the depot.",
        ],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "trace-id",
        lambda: f"00-{rs(HEX, 32)}-{rs(HEX, 16)}-01",
        [
            "traceparent: {v}",
            "PM-6231: the slow send span is in trace {v}.",
        ],
    ),
    (
        "trace-id",
        hexk(32),
        [
            "Sentry event {v}: EXC_BAD_ACCESS in KeychainStore.read",
            "trace_id={v} span=etl.load duration_ms=48120",
            "| {t} | mobile-gateway | trace {v} shows 9 s in token refresh |",
        ],
    ),
    (
        "trace-id",
        lambda: f"Root=1-{rs(HEX, 8)}-{rs(HEX, 24)}",
        [
            "X-Amzn-Trace-Id: {v}",
            "PM-6240: the failing health check carried {v}.",
        ],
    ),
    (
        "trace-id",
        lambda: f"{rs(HEX, 16)}-{rng.choice(['AMS', 'LHR', 'FRA', 'IAD'])}",
        [
            "CF-Ray: {v}",
            "PM-6240: the 522s all had CF-Ray ids like {v}.",
        ],
    ),
    (
        "trace-id",
        lambda: dd_trace(),
        [
            "dd.trace_id={v} dd.span_id=0 svc=mail-relay",
            "> {who}: Datadog trace {v} is the slow one",
            "x-datadog-trace-id: {v}",
        ],
    ),
    (
        "public-key-or-cert",
        ssh_pub,
        [
            "RB-52: add the break-glass operator's key to the bastion: {v}",
            "authorized_keys on the runner:\n{v}",
            'ssh_keys = ["{v}"]',
        ],
    ),
    (
        "public-key-or-cert",
        pub_pem,
        [
            "PM-6231: the DKIM public key published in DNS matches:\n{v}",
            "JWKS source for the IdP bridge (public):\n{v}",
        ],
    ),
    (
        "public-key-or-cert",
        cert_pem,
        [
            "edge certificate served during the incident:\n{v}",
            "ca.crt from the kubeconfig (public):\n{v}",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + rs(B64, 300) + "IDAQAB",
        [
            's2026._domainkey.mail.kestrel.app. 300 IN TXT "{v}"',
        ],
    ),
    (
        "public-key-or-cert",
        lambda: 'pin-sha256="' + b64(rbytes(32)) + '"',
        [
            "PM-6208: the app pins the edge key with {v}; the rotation broke old builds.",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        [
            "RB-57: encrypt new secrets to the recipient {v} (public key, safe to share).",
        ],
    ),
    (
        "base64-nonsecret",
        b64_plain,
        [
            "The Kafka message value was {v}, which decodes to harmless metadata.",
            "binaryData:\n  banner.txt: {v}",
            "PM-6215: the failing row's payload was {v}.",
            '{"data":"{v}","encoding":"base64"}',
            "> {who}: base64 -d of {v} is just the canary text",
            "annotations:\n  kestrel.app/config: {v}",
            "PM-6231: the webhook body (base64) was {v}.",
            "X-Kestrel-Debug: {v}",
            "ADR-046 example envelope: {v}",
            "message body b64={v}",
        ],
    ),
    (
        "documented-test-card",
        one_of(
            "4242 4242 4242 4242",
            "4000 0566 5566 5556",
            "5555555555554444",
            "378282246310005",
            "6011 1111 1111 1117",
            "4000000000000077",
            "4000-0000-0000-0341",
            "2223003122003222",
        ),
        [
            "PM-6208: QA used the Stripe test card {v} on the staging build.",
            "| test | {v} | any CVC | any future expiry |",
            "The sandbox checkout succeeded with {v}.",
            "Test card for the ETL fixtures: {v}",
            "> {who}: use {v}, it's Stripe's test number",
            "staging seed: card={v}",
            "Stripe docs test card {v} (see the testing page).",
            "e2e: enter {v} in the card field",
        ],
    ),
    (
        "templated-value",
        one_of(
            "${DB_PASSWORD}",
            "{{ .Values.auth.password }}",
            "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
            "%(smtp_password)s",
            "$(SLACK_BOT_TOKEN)",
            "vault:secret/data/etl/loader#password",
            "op://Prod/ETL loader/password",
            '{{ env "FASTLY_API_TOKEN" }}',
            "$__env{GF_SECURITY_ADMIN_PASSWORD}",
            "<%= ENV['STRIPE_SECRET_KEY'] %>",
            "ENC[AES256_GCM,data:Tr7u2Q==,iv:q3l1wK9zV0sYp0m8aB1c2d3e4f5g6h7i8j9k0lmn,tag:8cL2==,type:str]",
            "{{ lookup('env', 'MATCH_PASSWORD') }}",
            '#{ENV.fetch("R53_SECRET")}',
            "${var.cloudflare_api_token}",
        ),
        [
            "  password: {v}",
            "auth.password={v}",
            "AWS_SECRET_ACCESS_KEY: {v}",
            "smtp_password = {v}",
            "token: {v}",
            'password = "{v}"',
            "  loader_password: {v}",
            "FASTLY_API_TOKEN: {v}",
            "admin_password = {v}",
            "STRIPE_SECRET_KEY: {v}",
            "db_password: {v}",
            'MATCH_PASSWORD: "{v}"',
            "secret = {v}",
            "api_token = {v}",
        ],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt)-[A-Za-z0-9_-]{20}|xox[bpa]-\d|xoxe\.xoxp-|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|GOCSPX-"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dapi[0-9a-f]{32}|dop_v1_|hvs\.[A-Za-z0-9]{6}|\.atlasv1\.|ATATT3|ATBB[A-Za-z0-9]{20}"
    r"|lin_api_|NRAK-|glsa_|sntrys_|pypi-AgE|AGE-SECRET-KEY|sbp_|nfp_|pul-[0-9a-f]|:APA91b|sk\.eyJ|dp\.st\.|key-[0-9a-f]{32}"
    r"|discord\.com/api/webhooks/\d|webhookb2/|AccountKey=[A-Za-z0-9+/]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}|Q~[A-Za-z0-9_.~-]{30}|sig=[A-Za-z0-9%]{20}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|SSWS 00|(?:AKIA|ASIA)[A-Z2-7]{16}"
    r"|(?i:password|passwd|secret|token)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_.-]{12,}"
)


CHECK = partial(sanity, types=TYPES, secretish=SECRETISH, fillers=FILL)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix=ID_PREFIX, out=OUT, check=CHECK)


if __name__ == "__main__":
    main()
