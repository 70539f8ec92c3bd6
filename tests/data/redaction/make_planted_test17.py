# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test17.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test17.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270111)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents written by an independent pre-release tester of a company called Larkspur:
PM-7102 search cluster outage, PM-7110 feature-flag misfire, PM-7118 third-party keys leaked in a
frontend bundle, PM-7125 VPN/bastion intrusion, PM-7131 billing double charge, RB-61 on-call
handover, RB-64 backup-restore drill and ADR-052 observability vendor choice. Common shapes come
first in each kind (``t17p…``/``t17n…``); the summary it prints says where the split falls.
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
    b64url,
    expand_sections,
    fill_slots,
    one_of,
    sanity,
    write_fold,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test17.jsonl"
FOLD = "test17"
ID_PREFIX = "t17"
rng = Random(20270111)
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
        (
            "sub",
            [
                "svc:search-indexer",
                "user:40417",
                "svc:billing-worker",
                "system:serviceaccount:obs:otel-collector",
            ],
        ),
        ("aud", ["https://api.larkspur.io", "flag-relay", "bastion", "invoice-api"]),
        ("exp", range(1_795_000_000, 1_799_000_000 + 1)),
        ("scope", ["search:write", "admin", "billing:refund", "read"]),
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
    draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}{last}", "{last}.{f}", "{f}+billing")
)


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "search-indexer",
    "flag-relay",
    "billing-worker",
    "invoice-api",
    "vpn-gw",
    "restore-runner",
    "web-frontend",
    "otel-collector",
    "pager-bridge",
    "bastion-proxy",
]
ONCALL = ["amara", "bjorn", "chiara", "deniz", "elif", "farid", "greta", "hiro", "ines", "joost"]


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
def b64pw() -> str:
    return b64(password().encode())


COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            "PM-7102 timeline: {t} the snapshot repository for `search-prod` was registered with access key {v} pasted into the request body.",
            "| {t} | search-indexer | S3 snapshot upload failed (403) for key {v} |",
            "RB-64 step 3: export AWS_ACCESS_KEY_ID={v} before running `restore-runner --from s3://larkspur-backups/pg/`.",
            "> @{who} restore is running as {v}, is that the drill user or prod?",
            '{"ts":"{ts}","level":"warn","svc":"restore-runner","msg":"using static credentials","access_key_id":"{v}"}',
            "[drill]\naws_access_key_id = {v}\nregion = eu-central-1",
            "PM-7118: the frontend bundle shipped an S3 upload helper with access key `{v}` baked into `uploader.chunk.js`.",
            "Dec 02 {t}:40 bastion-01 sshd-audit[{pid}]: user ran aws sts get-caller-identity with key {v}",
            "ADR-052 appendix: the CloudWatch exporter currently reads metrics with key {v}; the chosen vendor must not need it.",
            'resource "aws_iam_access_key" "snapshots" {\n  user = "search-snapshots"\n}\n# state shows id = "{v}"',
            'level=error svc=otel-collector msg="PutMetricData denied" aws_access_key={v} region=eu-central-1',
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            "RB-64 step 3 (cont.): export AWS_SECRET_ACCESS_KEY={v}",
            "[drill]\naws_secret_access_key = {v}",
            "PM-7102: the plugin keystore entry `s3.client.default.secret_key` was set to {v} via the REST API, so it showed up in the audit log.",
            '  "secretAccessKey": "{v}",',
            "| {t} | {who} | pasted secret {v} into #ops-handover by mistake, rotated {t} |",
            "window.__UPLOAD_CFG__={region:'eu-central-1',secret:'{v}'}",
            "$ elasticsearch-keystore add --stdin s3.client.default.secret_key <<< '{v}'",
            "  - name: AWS_SECRET_ACCESS_KEY\n    value: {v}",
            "PM-7125: the bastion's /root/.aws/credentials still held aws_secret_access_key = {v} from 2024.",
        ],
    ),
    (
        "gcp-key",
        gcp_api,
        [
            "PM-7118 summary: the Maps JavaScript key {v} was unrestricted and was found in the public `main.js` source map.",
            '<script src="https://maps.googleapis.com/maps/api/js?key={v}&libraries=places"></script>',
            "| {t} | web-frontend | quota alert: 1.9M geocode calls on key {v} from unknown referrers |",
            "NEXT_PUBLIC_FIREBASE_API_KEY={v}",
            'const firebaseConfig = { apiKey: "{v}", projectId: "larkspur-web" };',
        ],
    ),
    (
        "gcp-key",
        gcp_oauth_secret,
        [
            "RB-61 handover note: the Grafana Google OAuth client secret is {v}; it lives in the vault path below too.",
            "GF_AUTH_GOOGLE_CLIENT_SECRET={v}",
            "  google:\n    client_id: 418220771650-larkspur.apps.googleusercontent.com\n    client_secret: {v}",
        ],
    ),
    (
        "gcp-service-account-key",
        gcp_sa_key,
        [
            '{"type":"service_account","project_id":"larkspur-obs","private_key_id":"{h32}","private_key":"{v}","client_email":"otel-export@larkspur-obs.iam.gserviceaccount.com"}',
            'PM-7102: the snapshot job read its GCS credentials from a ConfigMap: `"private_key": "{v}"`.',
            '  credentials.json: \'{"type":"service_account","private_key":"{v}","client_email":"restore@larkspur-dr.iam.gserviceaccount.com"}\'',
            'RB-64 drill log: key file contained "private_key": "{v}" and was copied to /tmp on the restore host.',
            '> {who}: I pasted the whole JSON in the ticket, sorry: {"private_key": "{v}", "token_uri": "https://oauth2.googleapis.com/token"}',
            'gcs_key = jsondecode(<<EOT\n{"type": "service_account", "private_key": "{v}"}\nEOT\n)',
            '$ echo \'{"type":"service_account","project_id":"larkspur-search","private_key":"{v}"}\' > /tmp/sa.json',
        ],
    ),
    (
        "azure-key",
        az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=larkspurbackups;AccountKey={v};EndpointSuffix=core.windows.net",
            "RB-64 step 5: az storage blob download-batch --account-name larkspurdr --account-key {v} -d /restore -s pg-basebackups",
            '  "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=larkspurfn;AccountKey={v};EndpointSuffix=core.windows.net",',
        ],
    ),
    (
        "azure-key",
        az_sas_sig,
        [
            "PM-7118: the invoice PDF links used a long-lived SAS: https://larkspurinvoices.blob.core.windows.net/pdf/2026-11.zip?sv=2022-11-02&ss=b&srt=o&sp=rl&se=2028-01-01T00:00:00Z&sig={v}",
            "| {t} | billing-worker | GET /pdf/inv.pdf?sp=r&se=2027-06-30&sv=2022-11-02&sr=b&sig={v} 200 |",
        ],
    ),
    (
        "azure-key",
        az_client_secret,
        [
            "ADR-052: the Azure Monitor connector would need app registration secret {v}, another credential to rotate.",
            "AZURE_CLIENT_SECRET={v}",
            "$ az login --service-principal -u 6f1d2a9e-3c54-4b8e-9a77-1e2f3a4b5c6d -p {v} --tenant larkspur.onmicrosoft.com",
        ],
    ),
    (
        "azure-key",
        az_sb_key,
        [
            "Endpoint=sb://larkspur-billing.servicebus.windows.net/;SharedAccessKeyName=worker;SharedAccessKey={v}",
            "PM-7131: the double-charge replay read from Service Bus with connection string `Endpoint=sb://larkspur-billing.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}`.",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "PM-7110: the flag sync action pushed with a personal token {v} belonging to a contractor.",
            "$ git clone https://x-access-token:{v}@github.com/larkspur/flag-configs.git",
            "GITHUB_TOKEN={v}",
            "| {t} | {who} | revoked {v} after secret-scanning alert |",
            "  env:\n    GH_TOKEN: {v}",
            "> {who}: use my token for now {v} and I'll make a bot account later",
            "RB-61 handover: `gh auth login --with-token <<< {v}` was in the shell history of the on-call laptop.",
            '{"level":"debug","msg":"fetching dashboards repo","auth":"token {v}","ts":"{ts}"}',
            "//npm.pkg.github.com/:_authToken={v}",
            "PM-7118: the source map also contained a GitHub token {v} used by the build to fetch private icons.",
            "Dec 02 {t}:22 bastion-01 bash[{pid}]: HISTORY: export GITHUB_TOKEN={v}",
            '[url "https://{v}@github.com/"]\n\tinsteadOf = https://github.com/',
            "ADR-052: the dashboards-as-code PoC ran with a GitHub App token ({v}) copied from a runner log.",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            "PM-7125: the bastion bootstrap script cloned ansible roles with {v} embedded in the script body.",
            '$ curl --header "PRIVATE-TOKEN: {v}" https://gitlab.larkspur.internal/api/v4/projects/88/variables',
            "CI_DEPLOY_TOKEN={v}",
            "| {t} | {who} | GitLab token {v} found in /etc/motd on bastion-01 |",
            "  gitlab:\n    token: {v}",
            "RB-64: the restore runner registers itself with `gitlab-runner register --token {v}`.",
            '[[runners]]\n  name = "restore-runner"\n  url = "https://gitlab.larkspur.internal"\n  token = "{v}"',
            "$ git remote set-url origin https://oauth2:{v}@gitlab.larkspur.internal/ops/vpn-config.git",
            "> {who}: the handover repo token is {v}, it expires Friday",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "RB-61: the pager bridge posts handover summaries with bot token {v} (stored in the vault, not here!).",
            "SLACK_BOT_TOKEN={v}",
            '{"ts":"{ts}","svc":"pager-bridge","msg":"chat.postMessage failed: invalid_auth","token":"{v}"}',
            "$ curl -s -X POST https://slack.com/api/chat.postMessage -d token={v} -d channel=C07HANDOVER -d text=ok",
            "| {t} | pager-bridge | token {v} revoked by Slack (posted publicly) |",
            "  slack:\n    app_token: {v}",
            "PM-7110: the flag bot used a user token {v}, so its messages showed as from {who}.",
            "> {who}: the old bridge token was {v}, it's dead now",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "PM-7102: alerts went to {v}, an incoming webhook for a channel that had been archived.",
            "alertmanager.yml:\n  slack_configs:\n    - api_url: {v}",
            'SLACK_WEBHOOK_URL="{v}"',
            "$ curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"restore drill started\"}' {v}",
            "| {t} | billing-worker | duplicate-charge alert posted to {v} |",
            "RB-64: the drill reports progress to {v} every 10 minutes.",
            '  "webhook": "{v}",',
            "ADR-052: today every team pipes Datadog monitors to Slack through {v}; the new vendor needs the same.",
            "> {who}: new handover channel hook: {v}",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            "PM-7131: the retry worker called Stripe with the live key {v}, which was also used by the reconciliation notebook.",
            "STRIPE_API_KEY={v}",
            "$ curl https://api.stripe.com/v1/refunds -u {v}: -d charge=ch_3PqL0xLarkspur -d reason=duplicate",
            "| {t} | billing-worker | 2,114 duplicate charges created with key {v} |",
            "stripe:\n  secret_key: {v}\n  api_version: 2024-06-20",
            "> {who}: the notebook has {v} hardcoded in cell 4",
            "Stripe::StripeError (Invalid API Key provided: {v}) at app/workers/charge_retry.rb:41",
            'stripe.api_key = "{v}"',
            "$ stripe listen --api-key {v} --forward-to localhost:4242/webhooks",
            "> {who}: restricted key for the refund script is {v}",
        ],
    ),
    (
        "stripe-key",
        stripe_whsec,
        [
            "PM-7131: signature checks were skipped because STRIPE_WEBHOOK_SECRET was set to {v} on only one of the two pods.",
            '  webhook_signing_secret: "{v}"',
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "PM-7110: the flag relay accepted {v} even though its scope did not include writes.",
            "Authorization: Bearer {v}",
            '{"ts":"{ts}","svc":"invoice-api","msg":"token expired","jwt":"{v}"}',
            "$ curl -H 'Authorization: Bearer {v}' https://api.larkspur.io/v2/invoices?customer=cus_4421",
            "| {t} | {who} | replayed session token {v} to reproduce double submit |",
            "Cookie: ls_session={v}; path=/; HttpOnly",
            "> {who}: here's the token from the HAR file {v}",
            "RB-61: when the bastion web console hangs, the on-call pasted the console token ({v}) into the handover doc.",
            "  id_token: {v}",
            'ERROR invoice-api jwt.verify failed token={v} err="signature mismatch"',
            "GET /api/flags/evaluate?token={v} HTTP/1.1\nHost: flags.larkspur.internal",
            "PM-7118: a service token for the pricing API, {v}, was compiled into `pricing.chunk.js`.",
            '  File "/srv/invoice/auth.py", line 57, in verify\n    claims = jwt.decode("{v}", key, algorithms=["HS256"])\njwt.exceptions.ExpiredSignatureError: Signature has expired',
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "RB-64 appendix, the key the drill host used to pull base backups (remove after drill):\n{v}",
            "PM-7125: this key was found in /home/shared/.ssh/id_rsa on the bastion:\n{v}",
        ],
    ),
    (
        "private-key",
        pk("ssh"),
        [
            "$ cat ~/.ssh/bastion_ed25519\n{v}",
            "PM-7125: the attacker's script wrote this key to /tmp/.k on the bastion:\n{v}",
            "> {who}: the break-glass ssh key for the bastion is\n{v}",
        ],
    ),
    (
        "private-key",
        pk("rsa", "    "),
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: search-tls\nstringData:\n  tls.key: |\n    {v}"],
    ),
    (
        "private-key",
        pk("ec"),
        ["PM-7118: the Apple Pay merchant identity key was committed next to the bundle config:\n{v}"],
    ),
    (
        "private-key",
        pk("pkcs8"),
        [
            "ADR-052: the OTLP mTLS client key we would ship to every collector today looks like this:\n{v}",
            "RB-64: the drill's client key for the backup API, left in the repo:\n{v}",
            'resource "tls_private_key" "vpn" imported from file:\n{v}',
        ],
    ),
    (
        "password-in-url",
        url_password,
        [
            "PM-7131: the reconciliation job connected with postgres://billing_rw:{v}@pg-billing.larkspur.internal:5432/billing",
            "DATABASE_URL=postgresql://restore:{v}@10.40.3.12:5432/ledger_restore",
            "| {t} | search-indexer | connecting to https://indexer:{v}@search-prod.larkspur.internal:9200 |",
            "$ psql 'postgres://drill_admin:{v}@pg-drill.larkspur.internal/ledger?sslmode=require' -c '\\dt'",
            "  url: mysql://flags:{v}@mysql-flags.larkspur.internal:3306/flags",
            "REDIS_URL=rediss://default:{v}@cache-billing.larkspur.internal:6380/0",
            '{"ts":"{ts}","msg":"dial failed","dsn":"amqp://billing:{v}@rabbit.larkspur.internal:5672/charges"}',
            "sqlalchemy.url = postgresql+psycopg://invoice:{v}@pg-invoice.larkspur.internal/invoices",
            "> {who}: the opensearch dashboards proxy uses https://kibanaro:{v}@search-prod.larkspur.internal:9200",
            "mongodb+srv://otel:{v}@obs-cluster.larkspur.internal/traces?retryWrites=true",
            'Traceback (most recent call last):\n  File "restore.py", line 88, in connect\nsqlalchemy.exc.OperationalError: could not connect: postgresql://drill:{v}@pg-drill.larkspur.internal/ledger',
            "RB-61: Grafana's data source still points at http://grafana_ro:{v}@prometheus.larkspur.internal:9090",
            "ldap://cn=vpn-bind,dc=larkspur,dc=io:{v}@ldap.larkspur.internal:389",
            "pip install --index-url https://deploy:{v}@nexus.larkspur.internal/repository/pypi/simple larkspur-billing",
            "| {t} | flag-relay | redis connection string rediss://relay:{v}@flags-cache.larkspur.internal:6380 logged on startup |",
            "jdbc:postgresql://pg-drill.larkspur.internal:5432/ledger?user=drill&password={v}",
            "  OPENSEARCH_URL: https://admin:{v}@search-prod.larkspur.internal:9200",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "OPENSEARCH_INITIAL_ADMIN_PASSWORD={v}",
            "PM-7102: the admin user's password ({v}) was set in `opensearch.yml` and copied to every node.",
            "plugins.security.ssl.http.keystore_password: {v}",
            "  elasticsearch:\n    username: kibana_system\n    password: {v}",
            '{"ts":"{ts}","svc":"flag-relay","cfg":{"redis_password":"{v}","pool":20}}',
            "[client]\nuser = drill\npassword = {v}",
            "spring.datasource.password={v}",
            "RB-64 step 2: `pg_restore -h pg-drill.larkspur.internal -U drill` and enter {v} at the prompt.",
            "PGPASSWORD={v} pg_dump -h pg-billing.larkspur.internal -U billing_ro billing > /tmp/billing.sql",
            "$ mysql -h mysql-flags.larkspur.internal -u flags -p{v} flags < flags_backup.sql",
            "| {t} | {who} | bastion local root password set to {v} for the drill |",
            "> {who}: VPN admin UI login is admin / {v}",
            'vpn_admin_password = "{v}"',
            '[database]\nhost = "pg-invoice.larkspur.internal"\npassword = "{v}"',
            '  - name: RESTIC_PASSWORD\n    value: "{v}"',
            "restic -r s3:s3.amazonaws.com/larkspur-restic --password-command 'echo {v}' snapshots",
            "ALTER USER billing_rw WITH PASSWORD '{v}';",
            "keystore.password={v}",
            "--admin-password={v}",
            "$ ./restore-runner --target pg-drill --db-password '{v}' --verify",
            "Dec 02 {t}:12 vpn-gw openvpn[{pid}]: auth-user-pass-verify: user=ops-shared pass={v} (debug logging left on)",
            '  "smtp_password": "{v}",',
            "PM-7131: the reconciliation notebook opened with `conn = psycopg.connect(host='pg-billing', password='{v}')`.",
            "RB-61 handover: the PagerDuty shared account password is {v}, change it after your shift.",
            '<add key="BillingDbPassword" value="{v}" />',
            'variable "grafana_admin_password" {\n  default = "{v}"\n}',
            "GF_SECURITY_ADMIN_PASSWORD={v}",
            "  auth:\n    postgresPassword: {v}",
            "ADR-052: the self-hosted option needs a ClickHouse password ({v} in the PoC) and a backup plan.",
            "INSERT INTO service_accounts (name, secret) VALUES ('flag-relay', '{v}');",
            "passwd: {v}",
            "> {who}: wifi on the restore-drill floor is LarkspurGuest / {v}",
        ],
    ),
    (
        "basic-auth",
        password,
        [
            "$ curl -u elastic:{v} https://search-prod.larkspur.internal:9200/_cluster/health",
            "$ curl --user restore:{v} -X POST https://vault.larkspur.internal/v1/sys/unseal",
            "RB-61: to silence alerts use `amtool --alertmanager.url=http://alertmanager:9093 --http.config.file` or curl -u oncall:{v} …",
            "> {who}: `curl -u flagadmin:{v} https://flags.larkspur.internal/api/flags/checkout-v2`",
        ],
    ),
    (
        "basic-auth",
        b64pw,
        [
            "Authorization: Basic {v}",
            "GET /_cat/indices HTTP/1.1\nHost: search-prod.larkspur.internal:9200\nAuthorization: Basic {v}",
            '{"ts":"{ts}","svc":"web-frontend","req_headers":{"authorization":"Basic {v}"}}',
            "| {t} | search-indexer | 401 for Authorization: Basic {v} |",
            '  headers:\n    Authorization: "Basic {v}"',
            "PM-7118: the bundle fetched /internal/prices with a hard-coded `Authorization: Basic {v}` header.",
        ],
    ),
    (
        "bearer-token",
        opaque,
        [
            '$ curl -H "Authorization: Bearer {v}" https://api.honeycomb.io/1/auth',
            "Authorization: Bearer {v}",
            "PM-7110: the flag relay's admin API accepted the static bearer token {v} from any network.",
            "| {t} | {who} | rotated invoice-api service token {v} |",
            '{"ts":"{ts}","msg":"upstream 401","headers":{"Authorization":"Bearer {v}"}}',
            "  bearer_token: {v}",
            "OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer {v}",
            "> {who}: access_token={v} is in the query string of the billing webhook logs",
            "GET /v1/charges?access_token={v} HTTP/1.1",
            '[outputs.http]\n  url = "https://metrics.larkspur.internal/write"\n  headers = {"Authorization" = "Bearer {v}"}',
            "RB-64: the drill calls the restore API with `-H 'Authorization: Bearer {v}'`.",
            "API_TOKEN={v}",
            "$ http GET https://flags.larkspur.internal/api/v1/flags Authorization:'Bearer {v}'",
            "PM-7102: the indexer sent `Authorization: Bearer {v}` to the wrong cluster, which logged it.",
            'level=debug svc=invoice-api msg="outbound" authorization="Bearer {v}"',
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
pre = draw.pre


wg_key = draw.wireguard_key


def elastic_api_key() -> str:
    return b64((rs(ALNUM + "-_", 20) + ":" + rs(ALNUM + "-_", 22)).encode())


def braintree() -> str:
    return f"access_token$production${rs(LOW + DIG, 16)}${rs(HEX, 32)}"


def sentry_dsn_key() -> str:
    return rs(HEX, 32)


RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "vendor-token",
        hexk(32),
        [
            "ADR-052: the current Datadog API key {v} is shared by 14 services, so per-team cost attribution is impossible.",
            "DD_API_KEY={v}",
            "$ curl -X POST 'https://api.datadoghq.eu/api/v2/series' -H 'DD-API-KEY: {v}' -d @series.json",
        ],
    ),
    (
        "vendor-token",
        hexk(40),
        [
            "DD_APP_KEY={v}",
            "ADR-052 PoC notes: Datadog application key {v} was created with admin scope for the migration script.",
        ],
    ),
    (
        "vendor-token",
        pre("hcaik_", LOW + DIG, 52),
        [
            "ADR-052: Honeycomb ingest key used in the PoC: {v} (environment `poc`).",
            "HONEYCOMB_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        pre("glc_", ALNUM, 80),
        [
            "ADR-052: the Grafana Cloud access policy token for the OTLP gateway is {v}.",
        ],
    ),
    (
        "vendor-token",
        pre("glsa_", ALNUM, 32 + 9),
        [
            "RB-61: the dashboard-provisioning job uses Grafana service account token {v}.",
            "  grafana:\n    service_account_token: {v}",
        ],
    ),
    (
        "vendor-token",
        pre("NRAK-", UP + DIG, 27),
        [
            "ADR-052: New Relic user key {v} was used to export the last 90 days of alerts for comparison.",
        ],
    ),
    (
        "vendor-token",
        sentry_dsn_key,
        [
            "PM-7118: the bundle's Sentry DSN was fine to ship, but the release script also embedded the auth token {v} as SENTRY_AUTH_TOKEN.",
            "SENTRY_AUTH_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        pre("sntrys_", ALNUM, 120),
        [
            "$ sentry-cli --auth-token {v} releases files 2026.12.1 upload-sourcemaps ./build",
            "PM-7118: the CI job printed `--auth-token {v}` because of `set -x`.",
        ],
    ),
    (
        "vendor-token",
        hexk(32),
        [
            "PM-7118: the Algolia admin API key {v} was shipped in place of the search-only key.",
            "algoliasearch('LKSPR8Q2ZB', '{v}')  // admin key, wrong one",
        ],
    ),
    (
        "vendor-token",
        lambda: "sk.eyJ1IjoibGFya3NwdXIiLCJhIjoi" + rs(ALNUM, 25) + "In0." + rs(B64URL, 22),
        [
            "PM-7118: a Mapbox secret token {v} (scope `styles:write`) was bundled instead of the public pk. token.",
        ],
    ),
    (
        "vendor-token",
        lambda: "sdk-" + uuid4(),
        [
            "PM-7110: the server-side LaunchDarkly SDK key {v} was put in the mobile config, so clients could read every flag rule.",
            "  launchdarkly:\n    sdkKey: {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "api-" + uuid4(),
        [
            "PM-7110: the flag was flipped by a script holding LaunchDarkly API access token {v} with writer role.",
            "$ curl -X PATCH https://app.launchdarkly.com/api/v2/flags/web/checkout-v2 -H 'Authorization: {v}' -d @patch.json",
        ],
    ),
    (
        "vendor-token",
        lambda: "u+" + rs(ALNUM + "-_", 18),
        [
            "RB-61: the pager bridge calls the PagerDuty REST API with `Authorization: Token token={v}`.",
        ],
    ),
    (
        "vendor-token",
        hexk(32),
        [
            "RB-61: PagerDuty Events v2 integration key for the billing service is {v}.",
            '{"routing_key":"{v}","event_action":"trigger","payload":{"summary":"duplicate charges","severity":"critical","source":"billing-worker"}}',
        ],
    ),
    (
        "vendor-token",
        uuid4,
        [
            "RB-61: Opsgenie API key for the handover bot: GenieKey {v}",
        ],
    ),
    (
        "vendor-token",
        elastic_api_key,
        [
            "PM-7102: the indexer authenticated with `Authorization: ApiKey {v}`; the key had `cluster:all`.",
            '  output.elasticsearch:\n    hosts: ["https://search-prod.larkspur.internal:9200"]\n    api_key: "{v}"',
        ],
    ),
    (
        "vendor-token",
        wg_key,
        [
            "PM-7125: the leaked WireGuard peer config contained `PrivateKey = {v}`.",
            "[Interface]\nAddress = 10.99.0.7/32\nPrivateKey = {v}\nDNS = 10.99.0.1",
            "$ wg set wg0 private-key <(echo {v})",
        ],
    ),
    (
        "vendor-token",
        lambda: "tskey-auth-k" + rs(ALNUM, 11) + "CNTRL-" + rs(ALNUM, 33),
        [
            "PM-7125: the bastion replacement was joined to the tailnet with reusable auth key {v}.",
        ],
    ),
    (
        "vendor-token",
        lambda: "hvs." + rs(ALNUM + "_-", 90),
        [
            "RB-64: the drill used a root Vault token, {v}, instead of the restore policy token.",
            "$ vault login {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 60),
        [
            'credentials "app.terraform.io" {\n  token = "{v}"\n}',
            "TF_TOKEN_app_terraform_io={v}",
        ],
    ),
    (
        "vendor-token",
        pre("dckr_pat_", ALNUM + "-_", 27),
        [
            "$ echo {v} | docker login -u larkspurci --password-stdin",
            "RB-64: the restore image is pulled with Docker Hub token {v}.",
        ],
    ),
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        [
            "PM-7131: apology e-mails for the double charge were sent with SendGrid key {v} from a laptop.",
            "SENDGRID_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        pre("npm_", ALNUM, 36),
        [
            "//registry.npmjs.org/:_authToken={v}",
            "PM-7118: the frontend build's .npmrc with token {v} was included in the Docker image layer.",
        ],
    ),
    (
        "vendor-token",
        lambda: "AC" + rs(HEX, 32),
        [
            "RB-61: SMS escalation uses Twilio account {v} (see vault for the auth token).",
        ],
    ),
    (
        "vendor-token",
        hexk(32),
        [
            "TWILIO_AUTH_TOKEN={v}",
            "  twilio:\n    auth_token: {v}",
        ],
    ),
    (
        "vendor-token",
        braintree,
        [
            "PM-7131: the legacy Braintree path still held `{v}` in the billing-worker env.",
            "BRAINTREE_ACCESS_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "EAAA" + rs(ALNUM + "-_", 60),
        [
            "PM-7131: the Square production access token {v} was used for the in-store terminals and the refunds script.",
        ],
    ),
    (
        "vendor-token",
        lambda: "shpat_" + rs(HEX, 32),
        [
            "PM-7131: the storefront sync authenticated to Shopify with {v}.",
            "X-Shopify-Access-Token: {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "sk-proj-" + rs(ALNUM + "-_", 48) + "T3BlbkFJ" + rs(ALNUM + "-_", 48),
        [
            "PM-7102: the query-rewrite experiment called OpenAI with key {v}, which was in the search-indexer env.",
        ],
    ),
    (
        "vendor-token",
        lambda: "sk-ant-api03-" + rs(ALNUM + "-_", 93) + "AA",
        [
            "ANTHROPIC_API_KEY={v}",
            "ADR-052: the alert summariser prototype used {v}; that prototype is out of scope.",
        ],
    ),
    (
        "vendor-token",
        pre("hf_", ALNUM, 34),
        ["PM-7102: the embedding model was downloaded with Hugging Face token {v} from a personal account."],
    ),
    (
        "vendor-token",
        lambda: "dop_v1_" + rs(HEX, 64),
        [
            "RB-64: the off-site copy goes to DigitalOcean Spaces; the drill used token {v}.",
        ],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM + "_-", 40),
        [
            "CLOUDFLARE_API_TOKEN={v}",
            "PM-7118: we purged the cached bundle with the Cloudflare token {v} pasted in the channel.",
        ],
    ),
    (
        "vendor-token",
        lambda: "ATATT3xFfGF0" + rs(ALNUM + "-_", 170) + "=" + rs(HEX.upper(), 8),
        ["RB-61: the handover script files Jira tickets with API token {v}."],
    ),
    (
        "vendor-token",
        lambda: "00" + rs(ALNUM + "-_", 40),
        [
            "PM-7125: the VPN's Okta integration used API token `SSWS {v}` with super-admin rights.",
        ],
    ),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 60),
        ["PM-7102: the indexer's client library was published with PyPI token {v} from a laptop."],
    ),
    (
        "vendor-token",
        lambda: "AGE-SECRET-KEY-1" + rs(UP + DIG, 58),
        [
            "RB-64: backups are encrypted with age; the drill's identity file was `{v}`, now rotated.",
            "$ age -d -i <(echo {v}) pg_base_2026-12-01.tar.age > base.tar",
        ],
    ),
    (
        "vendor-token",
        lambda: f"https://discord.com/api/webhooks/{rs(DIG, 18)}/{rs(ALNUM + '-_', 68)}",
        ["PM-7110: the flag-change notifier also posted to a Discord webhook: {v}"],
    ),
    (
        "vendor-token",
        lambda: (
            f"https://larkspur.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ["RB-61: finance gets handover summaries through the Teams webhook {v}"],
    ),
    (
        "vendor-token",
        lambda: "key-" + rs(HEX, 32),
        ["MAILGUN_API_KEY={v}"],
    ),
    (
        "vendor-token",
        lambda: "dapi" + rs(HEX, 32),
        ["ADR-052: the cost analysis notebook on Databricks used PAT {v}."],
    ),
    (
        "vendor-token",
        lambda: "lin_api_" + rs(ALNUM, 40),
        ["RB-61: handover follow-ups are filed in Linear with key {v}."],
    ),
    (
        "vendor-token",
        lambda: "AAAA" + rs(ALNUM + "-_", 7) + ":APA91b" + rs(ALNUM + "-_", 134),
        ["PM-7110: the push notification for the misfired flag used FCM server key {v}."],
    ),
    (
        "vendor-token",
        lambda: "sq0csp-" + rs(ALNUM + "-_", 43),
        ["SQUARE_APPLICATION_SECRET={v}"],
    ),
    (
        "vendor-token",
        lambda: (
            "AQE" + rs(ALNUM, 12) + "+" + rs(ALNUM, 30) + "=-" + rs(ALNUM + "+/", 40) + "=-" + rs(ALNUM, 20)
        ),
        ["PM-7131: the Adyen web service user's API key {v} was in the retry worker config."],
    ),
    (
        "vendor-token",
        lambda: "lsk_" + rs(ALNUM, 40),
        ["ADR-052: the Lightstep project token from the old tracing setup ({v}) is still active."],
    ),
    (
        "vendor-token",
        uuid4,
        [
            "ADR-052: the Splunk HEC token `{v}` is shared by all collectors, one more reason to move.",
            "$ curl -k https://splunk.larkspur.internal:8088/services/collector -H 'Authorization: Splunk {v}' -d '{\"event\":\"drill\"}'",
        ],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "PM-7131: the customer who first reported the double charge ({v}) was charged four times.",
            '| {t} | support | ticket from {v}: "why was I billed twice for November?" |',
            '{"ts":"{ts}","svc":"billing-worker","event":"charge.retry","customer_email":"{v}","attempt":3}',
            "RB-61: if the bridge is down, page the secondary directly: {v}",
            "> {who}: forwarding the complaint from {v}, she has screenshots",
            "SELECT id, amount FROM charges WHERE email = '{v}' AND created_at > now() - interval '2 days';",
            "PM-7125: VPN logs showed logins for {v} from two countries within ten minutes.",
            "  notify:\n    - {v}",
            "From: {v}\nSubject: Re: duplicate charge on invoice",
            "PM-7110: beta users were selected by email; the flag rule listed {v} explicitly.",
            'level=info svc=search-indexer msg="reindex requested" requester={v}',
            "ADR-052: trial account for the vendor was registered to {v}, a personal mailbox.",
            "RB-64 drill contact sheet | DBA on call | {v} |",
            "git log: Author: {who} <{v}>  fix(flags): default checkout-v2 to off",
        ],
    ),
    (
        "phone",
        phone,
        [
            "RB-61 escalation: if PagerDuty fails, call the incident commander on {v}.",
            "| {t} | {who} | called the Stripe account manager at {v} |",
            "PM-7131: a customer left a voicemail from {v} after the third charge.",
            '{"ts":"{ts}","svc":"pager-bridge","event":"sms.sent","to":"{v}","status":"delivered"}',
            "> {who}: my personal mobile is {v}, use it tonight",
            "RB-64 drill contact sheet | storage vendor hotline | {v} |",
            "PM-7125: the VPN MFA reset was requested by phone from {v} and approved without a callback.",
            '  oncall_phone: "{v}"',
            'level=warn svc=pager-bridge msg="voice escalation" number="{v}"',
            "UPDATE customers SET phone = '{v}' WHERE id = 88231;",
            "RB-61: the facilities desk for the data centre visit is {v}.",
            "PM-7102: the search vendor's support line ({v}) was only open during business hours.",
            "ADR-052: vendor sales contact gave {v} as the escalation number.",
            "Called by {v} at {t}: customer says the app shows three pending charges.",
        ],
    ),
    (
        "credit-card",
        card,
        [
            "PM-7131: the retry worker logged the full PAN {v} at info level for 31 hours.",
            '{"ts":"{ts}","svc":"billing-worker","msg":"charge retried","card_number":"{v}","amount":4900}',
            "| {t} | support | customer read their card {v} to the agent, which ended up in the ticket |",
            "> {who}: the card on the duplicate is {v}, can you check the processor side?",
            'level=error svc=invoice-api msg="tokenization failed" pan={v}',
            "INSERT INTO payment_methods (customer_id, number) VALUES (88231, '{v}');",
            "PM-7118: the checkout form's debug mode echoed the card field ({v}) into the console.",
            "  card: {v}\n  exp: 09/29",
            "RB-64 drill: the restored ledger DB contained unencrypted card {v} in `legacy_payments`.",
            "PM-7131: the search index `support-tickets` holds the full card number {v} from a pasted chat.",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "PM-7125: the bastion accepted SSH from {v}, an address in a residential range nobody recognised.",
            "Dec 02 {t}:55 bastion-01 sshd[{pid}]: Accepted publickey for ops from {v} port 51122 ssh2",
            "| {t} | vpn-gw | 4,200 failed handshakes from {v} |",
            '{"ts":"{ts}","remote_addr":"{v}","method":"POST","path":"/v1/charges","status":201}',
            "PM-7102: the search cluster's port 9200 was reachable from {v} through a forgotten security group rule.",
            "> {who}: the attacker's IP is {v}, I've blocked it on the edge",
            '{v} - - [02/Dec/2026:{t}:01 +0000] "GET /static/js/main.3f9a1c.js.map HTTP/1.1" 200 1893221',
            "iptables -A INPUT -s {v} -j DROP",
            "RB-61: the home IP the on-call allowlisted for the bastion, {v}, must be removed at handover.",
            "Endpoint = {v}:51820",
            'level=info svc=flag-relay msg="sdk connect" client_ip={v}',
            "X-Forwarded-For: {v}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            "PM-7125: the second login came from {v} over IPv6, which the allowlist did not cover.",
            "Dec 02 {t}:56 bastion-01 sshd[{pid}]: Failed password for root from {v} port 40022 ssh2",
            '{"ts":"{ts}","remote_addr":"{v}","path":"/api/flags","status":403}',
            "| {t} | web-frontend | source-map downloads from {v} |",
            "> {who}: blocking {v} as well",
            "ip6tables -A INPUT -s {v} -j DROP",
            "AllowedIPs from the leaked peer config: {v}/128",
            "PM-7118: the scraper fetching the bundle rotated across addresses such as {v}.",
        ],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "national-id",
        ssn,
        [
            "PM-7131: a support agent asked a customer for their SSN ({v}) to verify identity and pasted it in the ticket.",
            '{"ts":"{ts}","svc":"invoice-api","msg":"tax form","ssn":"{v}"}',
            "| {t} | support | customer verified with SSN {v} (policy breach) |",
        ],
    ),
    (
        "national-id",
        nino,
        [
            "RB-64: the restored HR table showed NI number {v} in clear, which the drill report flagged.",
            "> {who}: the contractor's NINO is {v}, needed for the payroll fix",
            '  ni_number: "{v}"',
        ],
    ),
    (
        "iban",
        lambda: iban(rng.choice(["GB", "DE", "FR"])),
        [
            "PM-7131: refunds for the double charge were sent manually to IBAN {v}.",
            "| refund 40417 | {v} | SEPA transfer |",
            '  "payout_iban": "{v}",',
            "> {who}: customer wants the refund to {v} instead of the card",
        ],
    ),
]


# ---------------------------------------------------------------------------- negatives
def arn() -> str:
    acct = rs(DIG, 12)
    return rng.choice(
        [
            f"arn:aws:iam::{acct}:role/restore-runner",
            f"arn:aws:s3:::larkspur-backups-{rs(LOW + DIG, 6)}",
            f"arn:aws:es:eu-central-1:{acct}:domain/search-prod",
            f"arn:aws:secretsmanager:eu-central-1:{acct}:secret:pg-{rs(ALNUM, 6)}",
            f"arn:aws:kms:eu-central-1:{acct}:key/{uuid4()}",
            f"arn:aws:ec2:eu-central-1:{acct}:instance/i-{rs(HEX, 17)}",
        ]
    )


def res_id() -> str:
    return rng.choice(["i-", "vol-", "sg-", "snap-", "vpc-", "eni-", "rtb-"]) + rs(HEX, 17)


def b64_plain() -> str:
    return b64(
        rng.choice(
            [
                b'{"flag":"checkout-v2","variation":false}',
                b"restore drill 2026-12 step 4 complete",
                b'{"index":"products-v7","shards":6}',
                b"handover: nothing open, quiet night",
                b"billing-worker retry budget=3",
                b"wireguard peer added: laptop-ops-07",
                b'{"vendor":"honeycomb","plan":"pro"}',
                b"invoice 2026-11 batch ok",
                b"kind: ConfigMap\nmetadata:\n  name: flags\n",
                b"search-prod green 6/6 nodes",
            ]
        )
    )


def ssh_pub() -> str:
    return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + f" {rng.choice(ONCALL)}@bastion"


ssh_rsa_pub = partial(draw.ssh_rsa_pub, ONCALL)


cert_pem = partial(draw.cert_pem_block, "MIIDazCCAlOgAwIBAgIU")


def ex_email() -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}@" + rng.choice(
        ["example.com", "example.org", "larkspur.example", "billing.test", "example.net"]
    )


long_trace = draw.long_trace


rsv_ip = draw.reserved_ip


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "PM-7110: the bad default was introduced in {v}, which flipped `checkout-v2` to true for all segments.",
            "| {t} | {who} | `git revert {v}` deployed to flag-relay |",
            "$ git log -1 --format=%H%n%s {v}",
            "PM-7118: the source maps were enabled in webpack config by commit {v}.",
            '{"ts":"{ts}","svc":"web-frontend","build":"{v}","env":"prod"}',
            "RB-64: the restore tooling version used in the drill was built from {v}.",
            "ADR-052 references: prototype branch at {v}.",
            "Merged pull request #4471 from larkspur/fix-retry-idempotency ({v})",
            "  image_source_commit: {v}",
            'level=info svc=billing-worker msg="starting" commit={v}',
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "PM-7131: idempotency key {v} was reused by both retries, yet Stripe saw two different requests.",
            "| {t} | billing-worker | charge attempt {v} retried |",
            '{"ts":"{ts}","event_id":"{v}","type":"invoice.paid"}',
            "RB-64: the drill's restore job id was {v}.",
            "PM-7102: snapshot {v} was the last good one before the mapping change.",
            "LaunchDarkly environment id: {v}",
            "  tenantId: {v}",
            'level=warn svc=flag-relay msg="stale flag cache" cache_id={v}',
            "> {who}: incident {v} is the one for the double charge, not the earlier one",
            "SELECT * FROM refunds WHERE batch_id = '{v}';",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            "RB-64: verify the base backup image `ghcr.io/larkspur/restore-runner@{v}` before running.",
            "PM-7102: the reindex job ran image {v}, which had the analyzer bug.",
            "  image: registry.larkspur.internal/search-indexer@{v}",
            "| {t} | web-frontend | rolled back to bundle image {v} |",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            "RB-64: expected checksum of `pg_base_2026-12-01.tar.zst` is {v}.",
            "{v}  wireguard-tools_1.0.20210914-1_amd64.deb",
            "PM-7118: the leaked bundle had SHA-256 {v}; we asked the CDN to purge it.",
            '{"ts":"{ts}","artifact":"restore-runner","sha256":"{v}"}',
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha384-" + b64(rbytes(48)),
        [
            '<script src="https://cdn.larkspur.io/static/js/main.js" integrity="{v}" crossorigin="anonymous"></script>',
            "PM-7118: the new bundle is served with SRI hash {v}.",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 32),
        [
            'ETag: "{v}"',
            "RB-64: MD5 of the restored dump: {v} (matches the source).",
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            "PM-7131: trace {v} shows both retries leaving the worker 40 ms apart.",
            "traceparent: 00-{v}-{req}-01",
            '{"ts":"{ts}","trace_id":"{v}","span":"charge.create","duration_ms":812}',
            "| {t} | invoice-api | slow query, trace_id={v} |",
            "ADR-052: example trace from the PoC: {v} (Honeycomb) vs the same request in Datadog.",
        ],
    ),
    (
        "trace-id",
        long_trace,
        [
            "dd.trace_id={v} dd.span_id=4417 svc=billing-worker",
            "ADR-052: Datadog shows the double charge as trace {v}.",
        ],
    ),
    (
        "trace-id",
        lambda: "req_" + rs(ALNUM, 14),
        [
            "PM-7131: Stripe request ids for the duplicates start with {v}.",
            "Request-Id: {v}",
        ],
    ),
    (
        "cloud-resource-id",
        arn,
        [
            "PM-7102: the snapshot role is {v}.",
            "  role_arn: {v}",
            "| {t} | restore-runner | assumed {v} |",
            '{"ts":"{ts}","principal":"{v}","action":"s3:GetObject"}',
            "RB-64: restore access is granted through {v} only.",
            "ADR-052: the vendor's integration role would be {v}.",
        ],
    ),
    (
        "cloud-resource-id",
        res_id,
        [
            "PM-7125: the bastion ran on {v}, which was terminated after the incident.",
            "| {t} | {who} | detached {v} from the old bastion |",
            "aws ec2 create-snapshot --volume-id {v} --description 'drill'",
            "PM-7102: security group {v} allowed 0.0.0.0/0 on 9200.",
            "  subnet: {v}",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-backup/providers/Microsoft.Storage/storageAccounts/larkspurdr"
        ),
        ["RB-64: the Azure copy lives in {v}.", "  scope: {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            "projects/larkspur-obs/serviceAccounts/otel-export@larkspur-obs.iam.gserviceaccount.com/keys/"
            + rs(HEX, 40)
        ),
        ["ADR-052: key resource {v} would be deleted once the vendor uses workload identity."],
    ),
    (
        "placeholder",
        one_of(
            "<YOUR_STRIPE_KEY>",
            "${OPENSEARCH_PASSWORD}",
            "{{ .Values.billing.dbPassword }}",
            "REPLACE_ME",
            "changeme",
            "<redacted>",
            "$(vault kv get -field=token secret/pager)",
            "%%DD_API_KEY%%",
            "your-token-here",
            "${{ secrets.GH_TOKEN }}",
            "<password>",
            "xxxxxxxx",
        ),
        [
            "STRIPE_API_KEY={v}",
            "OPENSEARCH_INITIAL_ADMIN_PASSWORD={v}",
            "  password: {v}",
            "RB-64 step 2: set the restore password to {v} in the drill env file (do not commit the real one).",
            "PAGERDUTY_TOKEN={v}",
            "| {t} | {who} | password field in the handover doc now shows {v} |",
            "VAULT_TOKEN={v}",
            "dd_api_key: {v}",
            "RB-61: paste the token as {v} in the template; the bot fills it in.",
            "  GH_TOKEN: {v}",
            "$ curl -u admin:{v} https://search-prod.larkspur.internal:9200/_cat/health",
            "password = {v}",
        ],
    ),
    (
        "templated-value",
        one_of(
            '{{ secret "billing/stripe" }}',
            "${var.grafana_admin_password}",
            "!vault |secret/data/restore#password",
            "valueFrom.secretKeyRef.key=password",
            "ENC[AES256_GCM,data:",
            "{{ lookup('env', 'VPN_PSK') }}",
            "op://ops/pagerduty/credential",
            "arn:aws:secretsmanager:eu-central-1:secret:billing/db",
        ),
        [
            "STRIPE_API_KEY = {v}",
            "  admin_password = {v}",
            "RB-64: the restore password comes from {v} at runtime.",
            "        # key reference: {v}",
            "db_password: {v}…",
            'vpn_psk: "{v}"',
            "RB-61: the pager token is fetched with `op read {v}`.",
            "PM-7131: after the incident the worker reads its DB credential from {v} instead of the env.",
        ],
    ),
    (
        "masked-value",
        one_of(
            "sk_live_****************",
            "glpat-XXXXXXXXXXXXXXXXXXXX",
            "ghp_••••••••••••",
            "AKIA************",
            "xoxb-***",
            "********",
            "[MASKED]",
            "4111 **** **** 1881",
            "https://hooks.slack.com/services/T***/B***/***",
            "eyJhbGciOi…(truncated)",
        ),
        [
            "PM-7131: the Stripe dashboard shows the key as {v}, so we could not tell which one the worker used.",
            "| {t} | {who} | rotated token {v} |",
            "GITHUB_TOKEN={v} (value masked by CI)",
            "RB-64: the drill log prints the key id as {v}.",
            "  slack_token: {v}",
            "drill_db_password: {v}",
            "> {who}: the runner shows {v} in the job log, that's fine",
            "PM-7131: customers' cards appear as {v} in the support tool.",
            "SLACK_WEBHOOK_URL={v}",
            "Authorization: Bearer {v}",
        ],
    ),
    (
        "keyword-no-value",
        one_of(
            "password",
            "api key",
            "secret",
            "token",
            "private key",
            "client secret",
            "credentials",
            "bearer token",
            "webhook URL",
            "connection string",
            "PSK",
            "passphrase",
        ),
        [
            "PM-7125: the shared bastion {v} was never rotated after the contractor left.",
            "RB-61: never paste any {v} into the handover doc; link the vault entry instead.",
            "| {t} | {who} | rotated the OpenSearch admin {v} |",
            "ADR-052: the vendor must support short-lived {v} issuance per collector.",
            "PM-7118: the frontend must never contain a server-side {v}.",
            "RB-64: the drill failed at step 5 because the storage {v} had expired.",
            "> {who}: who owns the billing DB {v}?",
            "PM-7131: no {v} was exposed; the bug was in retry logic.",
            "Q: Where is the VPN {v} stored? A: in the ops vault, folder `network`.",
            "RB-61 checklist: [ ] pager {v} still valid",
            "PM-7110: the flag relay's {v} was correct; the rule targeting was wrong.",
            "RB-64: the restored DB keeps the same {v} policy as production.",
        ],
    ),
    (
        "private-or-reserved-ip",
        rsv_ip,
        [
            "PM-7102: node search-prod-3 ({v}) dropped out of the cluster at {t}.",
            "| {t} | vpn-gw | peer handshake from {v} |",
            '{"ts":"{ts}","remote_addr":"{v}","path":"/healthz","status":200}',
            "Dec 02 {t}:10 bastion-01 sshd[{pid}]: Accepted publickey for ops from {v} port 50412 ssh2",
            "  host: {v}",
            "RB-64: the drill DB listens on {v}:5432.",
            "iptables -A INPUT -s {v} -p tcp --dport 22 -j ACCEPT",
            "> {who}: the flag relay is at {v}, ping it",
            "Address = {v}/32",
            'level=info svc=otel-collector msg="exporter connected" endpoint={v}:4317',
            "PM-7125 (example in the runbook): a peer such as {v} should never reach the bastion directly.",
            "X-Forwarded-For: {v}",
        ],
    ),
    (
        "example-email",
        ex_email,
        [
            "RB-61 template: `Escalate to {v} if the bridge fails.`",
            "| {t} | support | test ticket from {v} |",
            '{"ts":"{ts}","customer_email":"{v}","event":"charge.retry"}',
            "PM-7131: in the reproduction we used the customer {v}.",
            "  notify:\n    - {v}",
            "git log: Author: {who} <{v}>  chore: bump retries",
        ],
    ),
    (
        "vendor-example-key",
        one_of(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AKIAI44QH8DHBEXAMPLE",
            "AKIAIOSFODNN7EXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        [
            "RB-64 step 3 (template): export AWS_ACCESS_KEY_ID={v}",
            "[drill-example]\naws_secret_access_key = {v}",
            "ADR-052 sample config: `access_key: {v}` (AWS documentation key).",
            "$ aws configure set aws_access_key_id {v} --profile docs-example",
            'PM-7102 appendix: the snapshot API body should look like {"secret_key": "{v}"} with the real value from the keystore.',
            "  secretAccessKey: {v}  # docs value",
        ],
    ),
    (
        "version-or-date",
        one_of(
            "2.17.1",
            "v1.0.20210914",
            "2026-12-02T03:14:07Z",
            "1.33.4",
            "launchdarkly-node-server-sdk 7.0.4",
            "20261201-0412",
            "7.0.5",
            "stripe-python 10.8.0",
            "6.8.0-49-generic",
            "v0.112.0",
        ),
        [
            "PM-7102: the cluster was upgraded to {v} two days before the outage.",
            "| {t} | {who} | vpn-gw running wireguard-tools {v} |",
            "RB-64: drill started {v}.",
            "  version: {v}",
            "PM-7110: the relay used {v}.",
            "RB-64: backup label {v} restored.",
            "PM-7110: SDK {v} changed default evaluation behaviour.",
            "PM-7131: the worker was pinned to {v}.",
            "bastion kernel {v}",
            "ADR-052: otel-collector-contrib {v} is the minimum version.",
        ],
    ),
    (
        "public-key-or-cert",
        ssh_pub,
        [
            "PM-7125: the unknown key added to `authorized_keys` was {v}",
            "RB-61: add your key to the bastion allowlist, e.g. `{v}`",
            "  ssh_authorized_keys:\n    - {v}",
        ],
    ),
    (
        "public-key-or-cert",
        ssh_rsa_pub,
        ["PM-7125: the legitimate ops key is {v}"],
    ),
    (
        "public-key-or-cert",
        pub_pem,
        [
            "PM-7110: the flag relay verifies signed rules with this public key:\n{v}",
            "RB-64: the backup signing public key (safe to share):\n{v}",
        ],
    ),
    (
        "public-key-or-cert",
        cert_pem,
        [
            "PM-7102: the node certificate that expired:\n{v}",
            "ADR-052: vendor ingest endpoint certificate, pinned in the collector:\n{v}",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: b64(rbytes(32)),
        ["PM-7125: the WireGuard server's public key is `PublicKey = {v}` (not a secret)."],
    ),
    (
        "ids-and-numbers",
        one_of(
            "ch_3PqL0x2eZvKYlo2C1",
            "INV-2026-118842",
            "pi_3PqLlarkspur0041",
            "PM-7131",
            "88-4412-901",
            "ticket SUP-20417",
            "cus_Q8f2LkP0aZ",
            "#4471",
            "5512-88-31",
            "ref 720-555-88",
        ),
        [
            "PM-7131: the first duplicate was {v}.",
            "| {t} | billing-worker | retried {v} |",
            '{"ts":"{ts}","object":"{v}","status":"succeeded"}',
            "> {who}: see {v} for the refund list",
            "SELECT * FROM invoices WHERE ref = '{v}';",
            "RB-61: hand over {v} to the next shift.",
            "PM-7131: Stripe lists {v} twice.",
            "PM-7110: follow-up tracked in {v}.",
            "  order_ref: {v}",
            "Support macro cites {v}.",
        ],
    ),
    (
        "luhn-fail-number",
        lambda: grouped(luhn_bad()),
        [
            "PM-7131: the support tool search for {v} returned no customer (typo in the ticket).",
            '{"ts":"{ts}","svc":"invoice-api","msg":"card rejected: bad checksum","input":"{v}"}',
            "| {t} | support | customer read {v}, which failed validation |",
            "> {who}: {v} isn't a real card, the checksum fails",
        ],
    ),
    (
        "documented-test-card",
        one_of("4242 4242 4242 4242", "4000000000000077", "5555555555554444", "4000 0025 0000 3155"),
        [
            "PM-7131: we reproduced the double charge in test mode with {v}.",
            "RB-64: the staging smoke test pays with {v}.",
            "  test_card: {v}",
            "| {t} | {who} | test payment with {v} succeeded twice (bug reproduced) |",
        ],
    ),
    (
        "base64-nonsecret",
        b64_plain,
        [
            '{"ts":"{ts}","svc":"flag-relay","payload_b64":"{v}"}',
            "RB-64: the drill status message is {v}",
            "| {t} | search-indexer | bulk request body {v} |",
            "  data: {v}",
            "PM-7125: the peer comment field decoded from {v}.",
            "ADR-052: the vendor's sample event is {v}",
        ],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "keyword-no-value",
        one_of(
            "STRIPE_API_KEY=",
            "password: ''",
            'PGPASSWORD=""',
            "--db-password",
            "Authorization: Bearer",
            "aws_secret_access_key =",
            "token: null",
            "client_secret: ~",
            "-----BEGIN PRIVATE KEY-----",
            "PrivateKey =",
            "SSWS",
            "curl -u elastic:",
        ),
        [
            "RB-64: if the env file has `{v}` with nothing after it, the drill aborts before touching the DB.",
            "PM-7131 fix: the worker now refuses to start when `{v}` is empty.",
            "| {t} | {who} | config lint flagged a bare `{v}` line |",
            "RB-61: the flag `{v}` is required; the runner prompts for it interactively.",
            "PM-7102: the client sent `{v}` with an empty credential, so the proxy returned 401.",
            "RB-64: leave `{v}` as is in the template; the drill harness fills it.",
            "PM-7110: the relay config had `{v}` (unset), so it fell back to the default role.",
            "RB-64 lint rule: reject manifests where `{v}` appears with a value.",
            "PM-7125: grep for `{v}` across the bastion home directories found one file, now deleted.",
            "RB-61: the VPN profile template has `{v}` left blank on purpose.",
            "PM-7125: Okta logs show the `{v}` scheme was used by the VPN integration.",
            "RB-61: never type `{v}` followed by the real password into a shared terminal.",
        ],
    ),
    (
        "private-or-reserved-ip",
        one_of(
            "127.0.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "::1",
            "fe80::1ff:fe23:4567:890a",
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
        ),
        [
            "PM-7102: the node bound to {v} instead of its VPC address, so peers could not join.",
            "PM-7125: the bastion blocked {v} from containers after the incident.",
            "  listen: {v}:9200",
            "RB-61: the bridge health endpoint answers on {v} only.",
            "RB-64: the drill link-local address {v} appeared in the DHCP lease list.",
            'allowed_cidrs: ["{v}"]',
            "PM-7125: WireGuard AllowedIPs was {v}, wider than needed.",
            "  - {v}  # internal only",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "$2b$12$" + rs(ALNUM + "./", 53),
        ["RB-61: htpasswd on the bastion proxy now stores bcrypt hashes only, for example `{v}`."],
    ),
    (
        "hash-or-digest",
        lambda: 'W/"' + rs(HEX, 8) + "-" + rs(ALNUM, 27) + '"',
        ["If-None-Match: {v}"],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 12),
        [
            "PM-7118: build {v} shipped the source map.",
            "| {t} | flag-relay | deployed {v} |",
            "RB-64: restore-runner {v} (short sha) is known good.",
        ],
    ),
    (
        "uuid",
        lambda: uuid4().upper(),
        [
            "PM-7125: Windows VPN client GUID {v} in the event log.",
            "  AzureTenantId: {v}",
            "RB-64: Azure recovery point {v} was used.",
        ],
    ),
    (
        "trace-id",
        lambda: f"1-{rs(HEX, 8)}-{rs(HEX, 24)}",
        [
            "X-Amzn-Trace-Id: Root={v}",
            "PM-7102: the ALB trace for the first timeout is {v}.",
        ],
    ),
    (
        "trace-id",
        lambda: rs(UP + DIG, 26),
        [
            "PM-7131: the ULID of the first retry job is {v}.",
            '{"job":"{v}","queue":"charges","attempt":2}',
        ],
    ),
    (
        "cloud-resource-id",
        lambda: "ocid1.instance.oc1.eu-frankfurt-1." + rs(LOW + DIG, 60),
        ["RB-64: the secondary restore target is OCI instance {v}."],
    ),
    (
        "cloud-resource-id",
        lambda: f"larkspur-obs:{rng.choice(['europe-west1', 'us-central1'])}:otel-{rs(LOW, 5)}",
        ["ADR-052: the current GCP collector runs as {v}."],
    ),
    (
        "cloud-resource-id",
        lambda: "key/" + uuid4(),
        ["PM-7102: snapshots are encrypted with KMS {v}."],
    ),
    (
        "ids-and-numbers",
        one_of("1-800-427-5533", "RF18 5390 0754 7034", "FRA-4-C12", "09876543", "2026 12 02 0314"),
        [
            "RB-61: the vendor's public support line printed on the website is {v}.",
            "PM-7131: the bank statement reference was {v}.",
            "RB-64: datacentre site code {v}.",
            "ADR-052: the vendor's UK company number is {v}.",
            "PM-7102: the timestamp prefix {v} appears in the snapshot names.",
        ],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            "PM-7131: the invoice number field was accidentally filled with {v}, which looked like a card.",
            "  account_number: {v}",
            "> {who}: {v} is the shipment id, not a card",
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64url(json.dumps({"alg": "none", "typ": "flag-rule"}).encode()),
        ["PM-7110: rule header {v} decodes to `alg: none`, a structural field, not a signed token."],
    ),
    (
        "base64-nonsecret",
        lambda: b64(b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: restore-drill\n"),
        ["  manifest.b64: {v}"],
    ),
    (
        "masked-value",
        one_of(
            "postgres://billing_rw:***@pg-billing.larkspur.internal/billing",
            "sk_live_...4Xq9",
            "AKIA...QW7N",
            "ghp_…",
        ),
        [
            "PM-7131: the log line after the fix reads `dsn={v}`.",
            "| {t} | {who} | Stripe key {v} retired |",
            "PM-7118: the alert named key {v}; the full key was not in the alert.",
            "RB-61: the token list shows {v} only.",
        ],
    ),
    (
        "placeholder",
        one_of(
            "postgres://USER:PASSWORD@HOST:5432/DB",
            "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX",
            "AIzaSy...",
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
            "eyJ...<jwt>...",
            "mysql://flags:<pass>@mysql-flags:3306/flags",
        ),
        [
            "RB-64 template: DATABASE_URL={v}",
            "RB-61: the webhook format is {v}",
            "PM-7118 example of what a leaked key starts with: `{v}`",
            "RB-64: put the key in the file in this form:\n{v}",
            "  id_token: {v}",
            "  url: {v}",
        ],
    ),
    (
        "example-email",
        one_of(
            "noreply@larkspur.example",
            "oncall@example.com",
            "billing-alerts@example.org",
            "root@restore.test",
        ),
        [
            "RB-61: the bridge sends from {v}.",
            "From: {v}",
            "PM-7131 template: reply-to {v}",
            "  sender: {v}",
        ],
    ),
    (
        "version-or-date",
        one_of("Dec 02 03:14:07", "2026-12-02 03:14:07.418+00", "1764645247", "Q4-2026"),
        [
            "PM-7125: first malicious login {v}.",
            "RB-64: drill completed at {v}.",
            "PM-7131: `created` epoch {v} for the first duplicate.",
            "ADR-052: decision due {v}.",
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
    r"|hcaik_|glc_[A-Za-z0-9]{20}|tskey-auth-|shpat_|(?<![A-Za-z0-9])EAAA[A-Za-z0-9_-]{40}|sq0csp-|lsk_[A-Za-z0-9]{20}|access_token\$production|GenieKey [A-Za-z0-9]|ApiKey [A-Za-z0-9]{20}|PrivateKey = [A-Za-z0-9+/]{20}"
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
