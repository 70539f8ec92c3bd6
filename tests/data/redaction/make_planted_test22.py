# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test22.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test22.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270122)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a freight-booking company called Quillmoor: PM-5102 AWS keys echoed in
a CI log, PM-5108 Slack bot token pasted in a public channel, PM-5113 Stripe key shipped in an
Android build, PM-5121 MySQL credentials in error-tracker stack traces, RB-31 Vault and database
credential rotation, RB-36 bastion SSH key rotation, ADR-140 HTTP debug dumps at the API gateway
and PM-5130 customer export sent to the wrong mailbox. The contexts are shell sessions, CI logs,
config files, chat, stack traces, SQL, HTTP dumps and Markdown tables. Common shapes come first
in each kind (``t22p…``/``t22n…``); the summary it prints says where the split falls.
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
OUT = HERE / "planted_test22.jsonl"
FOLD = "test22"
rng = Random(20270122)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
akid, aws_secret, gcp_api, az_client_secret = draw.akid, draw.aws_secret, draw.gcp_api, draw.az_client_secret
gh_token, slack_token, slack_hook, stripe_key = (
    draw.gh_token,
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
ssn, nino, iban, phone = draw.ssn, draw.nino, draw.iban, draw.phone

TYPES = {**SHARED_TYPES, S: {*SHARED_TYPES[S], "generic-api-key"}}

WORDS = [
    "harbour",
    "tallow",
    "gantry",
    "kestrel",
    "pallet",
    "marram",
    "ferrous",
    "wicket",
    "spindle",
    "dunlin",
]


pre = draw.pre


def gl_token() -> str:
    return rng.choice(["glpat-", "glpat-", "glrt-", "glptt-"]) + rs(ALNUM + "-_", 20)


jwt = partial(
    draw.jwt,
    ["HS256", "RS256", "ES256"],
    ["https://id.quillmoor.internal", "booking-api", "gateway"],
    ["svc:quotes", "user:40918", "ci:release", "carrier:1187"],
    ["bookings:read", "admin", "tariffs:write", "exports"],
)


private_key = partial(draw.pem_private_key, rsa=("MIIEowIBAAKCAQEA", 40, "="))


def pk(kind: str, sep: str = "\n") -> Gen:
    return lambda: private_key(kind, sep)


password = partial(draw.password4, WORDS)

plain_pw = partial(draw.plain_password, WORDS)

basic_cred = partial(
    draw.basic_cred, ["quotes-svc", "deploy", "grafana", "replicator", "gw-admin", "exporter"], WORDS
)


FIRST = ["aurelie", "bongani", "cormac", "dilnoza", "eamon", "fenna", "gideon", "halima", "ilaria", "jasper"]
LAST = [
    "ashworth",
    "brennan",
    "cavanagh",
    "dimitriou",
    "eastwood",
    "falkner",
    "grimaldi",
    "haverkamp",
    "iqbal",
]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.fr",
    "t-online.de",
    "seznam.cz",
    "wp.pl",
    "sky.com",
    "me.com",
    "mail.ru",
]

email = partial(draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}{last}", "{last}.{f}"))


doc_ip = draw.doc_ip


SVCS = ["booking-api", "quotes", "tariff-sync", "gateway", "mysql-primary", "exporter", "carrier-portal"]
ONCALL = ["amara", "bjorn", "chiara", "deniz", "esme", "farid", "gosia", "henrik", "ivo", "jolene"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "pip": priv_ip,
    "dip": doc_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "job": lambda: str(rng.randint(10_000, 99_999)),
    "sha7": lambda: rs(HEX, 7),
    "uuid": uuid4,
}


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            "2026-11-18T{t}:04.1123456Z + export AWS_ACCESS_KEY_ID={v}",
            "PM-5102 timeline: | {t} | {who} | deactivated {v} for user `gha-release` |",
            "[{t}] {who}: the log line shows {v}, is that the release user or the backup one?",
            "$ aws configure set aws_access_key_id {v} --profile qm-prod",
            "[profile qm-release]\naws_access_key_id = {v}\nregion = eu-west-1",
            "mysql> SELECT name, value FROM app_settings WHERE name = 'aws.key_id';\n| aws.key_id | {v} |",
            '{"userIdentity":{"type":"IAMUser","userName":"gha-release","accessKeyId":"{v}"},"eventName":"PutObject","sourceIPAddress":"{dip}"}',
            "Run aws-actions/configure-aws-credentials@v4\n  with:\n    aws-access-key-id: {v}\n    aws-region: eu-west-1",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            "2026-11-18T{t}:04.2210987Z + export AWS_SECRET_ACCESS_KEY={v}",
            "[profile qm-release]\naws_secret_access_key = {v}",
            "PM-5102: the step printed `aws_secret_access_key: {v}` because of `set -x`.",
            '    env:\n      AWS_SECRET_ACCESS_KEY: "{v}"\n      AWS_REGION: eu-west-1',
            "[{t}] {who}: secret half was {v} — rotating now",
            "S3_SECRET_KEY={v}",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "PM-5102: the checkout step ran `git clone https://x-access-token:{v}@github.com/quillmoor/tariffs.git`.",
            "$ export GH_TOKEN={v}\n$ gh release create v{num}.0.0 --generate-notes",
            "[{t}] {who}: found {v} in the runner's ~/.gitconfig, revoking",
            '{"level":"debug","msg":"fetching tags","auth_header":"token {v}","repo":"quillmoor/booking-api"}',
            "| {t} | GitHub | token {v} revoked by secret scanning |",
            "//npm.pkg.github.com/:_authToken={v}",
            '[url "https://{v}@github.com/"]\n    insteadOf = https://github.com/',
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            '$ curl --header "PRIVATE-TOKEN: {v}" https://gitlab.quillmoor.internal/api/v4/projects/{num}/jobs',
            "gitlab-runner register --url https://gitlab.quillmoor.internal --token {v} --executor docker",
            "[{t}] {who}: the mirror job still uses {v}, can we move it to a project token",
            '  GITLAB_TOKEN: {v}\n  CI_DEBUG_TRACE: "true"',
            "| RB-31 | gitlab deploy token | {v} | expired {t} |",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "PM-5108: at {t} {who} pasted `SLACK_BOT_TOKEN={v}` into #carrier-ops, which has 41 guests.",
            "[{t}] {who}: here's the bot token for the test workspace {v}",
            "$ curl -s -H 'Authorization: Bearer {v}' https://slack.com/api/auth.test",
            "slack:\n  bot_token: {v}\n  channel: '#bookings-alerts'",
            "slack_sdk.errors.SlackApiError: The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage, token={v})",
            "| {t} | Slack | revoked {v} via admin.apps.uninstall |",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "ALERT_WEBHOOK_URL={v}",
            "$ curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"deploy done\"}' {v}",
            "notifications:\n  slack:\n    url: {v}\n    channel: '#releases'",
            "[{t}] {who}: someone is posting spam through {v}",
            "requests.exceptions.HTTPError: 404 Client Error: Not Found for url: {v}",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            "PM-5113: `strings classes.dex | grep live` printed {v} from the 4.{num}.0 build.",
            "STRIPE_SECRET_KEY={v}",
            "$ curl https://api.stripe.com/v1/charges -u {v}: -d amount=2000",
            "[{t}] {who}: rolled {v} in the dashboard, the APK one is dead now",
            '<string name="stripe_key">{v}</string>',
            "| {t} | Stripe | key {v} rolled, 2 refunds replayed |",
            '    stripe.api_key = "{v}"\n    ^^^^^^^^^^^^^^^^',
        ],
    ),
    (
        "stripe-key",
        pre("whsec_", ALNUM, 32),
        [
            "STRIPE_WEBHOOK_SECRET={v}",
            "[{t}] {who}: signing secret for the bookings endpoint is {v}",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "> GET /v2/bookings/{num} HTTP/1.1\n> Host: api.quillmoor.internal\n> Authorization: Bearer {v}",
            "[{t}] {who}: decoded the token from the dump, {v} — scope says admin",
            "Cookie: qm_session={v}; Path=/; HttpOnly",
            "2026-11-20 {t}:12 WARN gateway.debug request headers={'authorization': 'Bearer {v}', 'x-request-id': '{uuid}'}",
            '$ curl -H "Authorization: Bearer {v}" https://api.quillmoor.internal/v2/exports',
            "| {t} | gateway | logged token {v} for carrier 1187 |",
            "INSERT INTO api_sessions (carrier_id, token) VALUES (1187, '{v}');",
        ],
    ),
    (
        "private-key",
        pk("ssh"),
        [
            "RB-36: the old bastion key, as found in /home/ops/.ssh/id_ed25519:\n{v}",
            "$ cat ~/.ssh/qm_bastion\n{v}",
        ],
    ),
    (
        "private-key",
        pk("rsa", "\n      "),
        [
            "tls:\n  key: |\n      {v}",
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "[{t}] {who}: this is what was in the artifact zip\n{v}",
        ],
    ),
    (
        "private-key",
        pk("ec"),
        [
            "kubectl -n gateway get secret gw-tls -o jsonpath='{.data.tls\\.key}' | base64 -d\n{v}",
        ],
    ),
    (
        "private-key",
        pk("pkcs8", "\\n"),
        [
            '{"level":"error","msg":"bad key","key":"{v}"}',
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "DATABASE_URL=mysql://booking:{v}@mysql-primary.quillmoor.internal:3306/bookings",
            'sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1045, "Access denied")\n(Background on this error at: https://sqlalche.me/e/20/e3q8) url=mysql+pymysql://tariffs:{v}@{pip}:3306/tariffs',
            "$ mysql --host={pip} --user=replicator --password={v} -e 'SHOW REPLICA STATUS\\G'",
            "  REDIS_URL: redis://:{v}@cache.quillmoor.internal:6379/2",
            "[{t}] {who}: amqp://quotes:{v}@rabbit.quillmoor.internal:5672/ is the one in the stack trace",
            "| {t} | {who} | rotated `postgres://grafana:{v}@{pip}/grafana` |",
            "git remote set-url origin https://deploy:{v}@git.quillmoor.internal/ops/runbooks.git",
            "Caused by: java.sql.SQLException: jdbc:mysql://exporter:{v}@mysql-primary:3306/exports?useSSL=true",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "MYSQL_ROOT_PASSWORD={v}",
            'database:\n  host: mysql-primary.quillmoor.internal\n  user: booking\n  password: "{v}"',
            '{"db": {"user": "exporter", "password": "{v}", "port": 3306}}',
            "mysql> ALTER USER 'booking'@'%' IDENTIFIED BY '{v}';",
            "$ vault kv put secret/bookings/db password='{v}'",
            "  File \"/srv/quotes/db.py\", line 58, in connect\n    conn = pymysql.connect(host=host, user='quotes', password='{v}')",
            "[{t}] {who}: new replica password is {v}, put it in vault pls",
            "| RB-31 step 4 | set `MYSQL_PASSWORD` | {v} |",
            "$ docker run -e MYSQL_PASSWORD='{v}' -d mysql:8.4",
            "spring.datasource.password={v}",
            '<add key="DbPassword" value="{v}" />',
            "ansible_become_pass: {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "> GET /metrics HTTP/1.1\n> Host: tariff-sync.quillmoor.internal\n> Authorization: Basic {v}",
            "$ curl -H 'Authorization: Basic {v}' https://registry.quillmoor.internal/v2/_catalog",
            '{dip} - - [20/Nov/2026:{t}:02 +0000] "GET /admin HTTP/1.1" 401 0 "-" "curl/8.5" auth="Basic {v}"',
            '"auths": {"registry.quillmoor.internal": {"auth": "{v}"}}',
            "[{t}] {who}: grafana datasource header is `Basic {v}`",
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, rng.randint(32, 48)),
        [
            "> POST /v1/carriers/sync HTTP/1.1\n> Authorization: Bearer {v}\n> Content-Type: application/json",
            "ADR-140 example of what leaked: `authorization: Bearer {v}` in gateway debug output",
            "$ http POST https://api.quillmoor.internal/v2/quotes 'Authorization:Bearer {v}'",
            "[{t}] {who}: carrier portal sends `Bearer {v}` on every call, it never expires",
            "ADR-140: `curl -v` output in the ticket included `> Authorization: Bearer {v}`.",
            "| {t} | gateway | carrier 1187 token Bearer {v} invalidated |",
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "$ mysqldump -u backup -p{v} --single-transaction bookings > /tmp/bookings.sql",
            "[client]\nuser=backup\npassword={v}",
            "PM-5121: the traceback's locals included `db_pass = '{v}'`.",
            'Traceback (most recent call last):\n  File "/srv/exporter/run.py", line 12, in <module>\n    main(password="{v}")',
            '  - name: MYSQL_PASSWORD\n    value: "{v}"',
            "[{t}] {who}: `--db-password {v}` is visible in `ps aux` on the exporter box",
        ],
    ),
    (
        "aws-key",
        akid,
        [
            "| key id | user | created |\n|---|---|---|\n| {v} | gha-release | 2026-03-02 |",
            "botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation. Key: {v}",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "PM-5102: the release step echoed the PAT; it was {v}.",
            "##[debug]Evaluating: secrets.RELEASE_PAT\n##[debug]Result: '{v}'",
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("gcp-key", gcp_api, ["GOOGLE_MAPS_KEY={v}", "[{t}] {who}: geocoder key {v} is in the APK too"]),
    (
        "azure-key",
        az_client_secret,
        ["AZURE_CLIENT_SECRET={v}", "| {t} | Entra | client secret {v} for app `qm-exporter` removed |"],
    ),
    (
        "azure-key",
        lambda: b64(draw.rbytes(64)),
        [
            "DefaultEndpointsProtocol=https;AccountName=qmexports;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        ["SENDGRID_API_KEY={v}", "[{t}] {who}: the receipts mailer used {v}"],
    ),
    (
        "vendor-token",
        pre("npm_", ALNUM, 36),
        ["//registry.npmjs.org/:_authToken={v}", "$ NPM_TOKEN={v} npm publish --access restricted"],
    ),
    (
        "vendor-token",
        pre("hvs.", B64URL, 90),
        [
            "$ export VAULT_TOKEN={v}",
            "RB-31: the unwrap returned {v}; it was pasted into the ticket before the TTL ran out.",
        ],
    ),
    (
        "vendor-token",
        pre("dckr_pat_", B64URL, 27),
        [
            "$ echo {v} | docker login -u qmrelease --password-stdin",
            "[{t}] {who}: docker hub PAT {v} revoked",
        ],
    ),
    (
        "vendor-token",
        pre("sk-ant-api03-", B64URL, 93, "AA"),
        ["ANTHROPIC_API_KEY={v}", "[{t}] {who}: the summariser's key {v} was in the error payload"],
    ),
    ("vendor-token", pre("hf_", ALNUM, 34), ["HF_TOKEN={v}", "$ huggingface-cli login --token {v}"]),
    ("vendor-token", pre("dop_v1_", HEX, 64), ["DIGITALOCEAN_TOKEN={v}", "| {t} | DO | token {v} deleted |"]),
    ("vendor-token", pre("lin_api_", ALNUM, 40), ["LINEAR_API_KEY={v}"]),
    (
        "vendor-token",
        pre("shpat_", HEX, 32),
        ["[{t}] {who}: the storefront app token is {v}", "SHOPIFY_ADMIN_TOKEN={v}"],
    ),
    (
        "vendor-token",
        lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34),
        ["postman environment `prod`: apiKey = {v}"],
    ),
    ("vendor-token", pre("pul-", HEX, 40), ["PULUMI_ACCESS_TOKEN={v}"]),
    (
        "vendor-token",
        pre("sntrys_", B64URL, 120),
        ["SENTRY_AUTH_TOKEN={v}", "$ sentry-cli --auth-token {v} releases new {sha7}"],
    ),
    ("vendor-token", pre("NRAK-", UP + DIG, 27), ["NEW_RELIC_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        ["grafana:\n  service_account_token: {v}", "[{t}] {who}: dashboards were provisioned with {v}"],
    ),
    ("vendor-token", pre("bkua_", HEX, 40), ["BUILDKITE_API_TOKEN={v}"]),
    ("vendor-token", pre("nfp_", ALNUM, 36), ["NETLIFY_AUTH_TOKEN={v}"]),
    (
        "vendor-token",
        pre("key-", HEX, 32),
        ["MAILGUN_API_KEY={v}", "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/domains"],
    ),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 60),
        ["[pypi]\n  username = __token__\n  password = {v}"],
    ),
    ("vendor-token", lambda: "SK" + rs(HEX, 32), ["TWILIO_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: "00" + rs(B64URL, 40),
        ["$ curl -H 'Authorization: SSWS {v}' https://quillmoor.okta.com/api/v1/users?limit=1"],
    ),
    ("vendor-token", lambda: "HRKU-" + uuid4(), ["HEROKU_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: f"{rng.randint(10**9, 8 * 10**9)}:AA{rs(B64URL, 33)}",
        ["TELEGRAM_BOT_TOKEN={v}"],
    ),
    (
        "generic-api-key",
        pre("", HEX, 32),
        ["DD_API_KEY={v}", "datadog:\n  apiKey: {v}\n  site: datadoghq.eu"],
    ),
    (
        "generic-api-key",
        pre("", ALNUM + "_-", 40),
        ["CLOUDFLARE_API_TOKEN={v}", "[{t}] {who}: dns token for the zone is {v}"],
    ),
    (
        "generic-api-key",
        pre("", ALNUM, 32),
        ["x-api-key: {v}", "carrier_api:\n  base_url: https://api.dhl.example\n  api_key: {v}"],
    ),
    (
        "gcp-service-account-key",
        pk("pkcs8", "\\n"),
        [
            '{"type": "service_account", "project_id": "qm-exports", "private_key_id": "{sha7}", "private_key": "{v}", "client_email": "exporter@qm-exports.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "requirepass {v}",
            "mysql> CREATE USER 'ro'@'10.%' IDENTIFIED WITH caching_sha2_password BY '{v}';",
            "$ htpasswd -b -c /etc/nginx/.htpasswd ops '{v}'",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "mongodb+srv://reporting:{v}@cluster0.quillmoor.internal/analytics",
            "smtp://receipts:{v}@smtp.quillmoor.internal:587",
        ],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "PM-5130: the export went to {v} instead of the carrier's ops mailbox.",
            "mysql> SELECT id, email FROM customers WHERE id = 40918;\n| 40918 | {v} |",
            "[{t}] {who}: customer {v} replied asking why she got a CSV",
            "| {t} | support | ticket from {v} about the export |",
            '{"event":"booking.created","customer":{"email":"{v}","tier":"smb"}}',
            "From: {v}\nTo: support@quillmoor.example\nSubject: wrong attachment",
            "  File \"/srv/exporter/mail.py\", line 22, in send\n    to_addr = '{v}'",
            "2026-11-21 {t}:41 INFO exporter sent export_{job}.csv to={v}",
        ],
    ),
    (
        "phone",
        phone,
        [
            "PM-5130: row 3 of the CSV had the shipper's phone {v}.",
            "| 40918 | {v} | Leeds |",
            "[{t}] {who}: I called the customer on {v} to apologise",
            '{"contact":{"phone":"{v}","preferred":"sms"}}',
            "mysql> UPDATE customers SET phone = NULL WHERE phone = '{v}';",
            "Callback requested: {v} (after 17:00)",
        ],
    ),
    (
        "credit-card",
        card,
        [
            "PM-5113: a tester's debug build logged `card_number={v}` in logcat.",
            "| {t} | payments | PAN {v} seen in the request body |",
            "> POST /v1/payment_methods HTTP/1.1\n> Content-Type: application/x-www-form-urlencoded\n>\ncard[number]={v}&card[exp_month]=08",
            "[{t}] {who}: the customer read out {v} on the call, I've scrubbed the recording note",
            "INSERT INTO payment_attempts (booking_id, pan) VALUES ({job}, '{v}');",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "PM-5108: the token was used from {v} at {t}, which is not ours.",
            '{v} - - [19/Nov/2026:{t}:09 +0000] "POST /api/chat.postMessage HTTP/1.1" 200 312',
            "| {t} | WAF | blocked {v} after 300 requests |",
            "[{t}] {who}: all the bad logins come from {v}",
            '{"remote_addr":"{v}","path":"/v2/exports","status":200}',
            "$ sudo ufw deny from {v} to any port 22",
            "Nov 19 {t}:44 bastion sshd[{job}]: Failed password for invalid user admin from {v} port 51432 ssh2",
        ],
    ),
    (
        "email",
        email,
        [
            "mysql> SELECT booking_id, contact_email FROM bookings LIMIT 1;\n| {job} | {v} |",
            "| reporter | {v} |",
        ],
    ),
    ("phone", phone, ["[{t}] {who}: the driver's mobile {v} was in the export too"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "ipv6",
        public_v6,
        [
            "PM-5108: second source address {v}.",
            '{"client_ip":"{v}","ua":"python-requests/2.32"}',
            "| {t} | login | {v} |",
        ],
    ),
    ("national-id", ssn, ["PM-5130: column `tax_id` held values like {v}.", "| 40918 | SSN {v} |"]),
    ("national-id", nino, ["[{t}] {who}: the driver's NI number {v} was in the sheet", "ni_number: {v}"]),
    ("iban", lambda: iban("GB"), ["payout account: {v}", "| carrier 1187 | IBAN {v} |"]),
    ("iban", lambda: iban("DE"), ["[{t}] {who}: refund goes to {v}"]),
    ("iban", lambda: iban("FR"), ['{"payout":{"iban":"{v}"}}']),
]


# ---------------------------------------------------------------------------- look-alikes
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "PM-5102: the workflow that printed the keys was added in {v}.",
            "| {t} | {who} | reverted {v} |",
            "2026-11-18T{t}:01.0000000Z HEAD is now at {v} ci: print env for debugging",
            "[{t}] {who}: fix is {v}, please review",
            "$ git revert --no-edit {v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "x-request-id: {v}",
            "mysql> SELECT * FROM exports WHERE export_id = '{v}';",
            "[{t}] {who}: booking {v} is the one in the screenshot",
            '{"level":"error","trace":"{v}","msg":"carrier timeout"}',
            "| {t} | export {v} | sent to wrong recipient |",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            "  Image: registry.quillmoor.internal/gateway@{v}",
            "[{t}] {who}: rolled gateway back to {v}",
            "Digest: {v}\nStatus: Downloaded newer image for mysql:8.4",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        ["$ sha256sum export_batch.csv\n{v}  export_batch.csv", "checksum: {v}"],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            "traceparent: 00-{v}-a1b2c3d4e5f60718-01",
            "[{t}] {who}: trace {v} shows the 30s MySQL wait",
            '{"trace_id":"{v}","span":"db.query"}',
        ],
    ),
    (
        "cloud-resource-id",
        lambda: rng.choice(
            [
                f"arn:aws:iam::{rs(DIG, 12)}:user/gha-release",
                f"arn:aws:s3:::qm-exports-{rs(LOW, 5)}",
                f"i-0{rs(HEX, 16)}",
                f"sg-0{rs(HEX, 16)}",
                f"vpc-0{rs(HEX, 16)}",
            ]
        ),
        [
            "PM-5102: the key belonged to {v}.",
            "| {t} | {who} | tagged {v} for review |",
            "[{t}] {who}: {v} is the only thing the key could reach",
            "$ aws ec2 describe-instances --filters Name=tag:role,Values=bastion  # returns {v}",
        ],
    ),
    (
        "placeholder",
        lambda: rng.choice(
            ["<your-token-here>", "CHANGE_ME", "${DB_PASSWORD}", "REPLACE_WITH_KEY", "<redacted>", "xxxxxxxx"]
        ),
        [
            "MYSQL_PASSWORD={v}",
            "slack:\n  bot_token: {v}",
            "$ export GH_TOKEN={v}",
            "Authorization: Bearer {v}",
            "[{t}] {who}: the doc now says `api_key: {v}`",
            '{"password": "{v}"}',
        ],
    ),
    (
        "templated-value",
        lambda: rng.choice(
            [
                "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
                "{{ .Values.db.password }}",
                "$(cat /run/secrets/db)",
                "%(DB_PASS)s",
                "${vault:secret/db#password}",
            ]
        ),
        [
            "      aws-secret-access-key: {v}",
            "  replicaPassword: {v}  # RB-31",
            "DATABASE_PASSWORD={v}",
            "RB-31: the chart reads the password from {v} now.",
        ],
    ),
    (
        "masked-value",
        lambda: rng.choice(
            ["***", "ghp_****************", "AKIA************", "sk_live_…", "********", "[MASKED]"]
        ),
        [
            "2026-11-20T{t}:04.0000000Z + export AWS_ACCESS_KEY_ID={v}",
            "| {t} | GitHub | token {v} revoked |",
            "stripe key: {v}",
            "[{t}] {who}: after the fix the log shows {v}",
            "MYSQL_ROOT_PASSWORD={v}",
        ],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["password", "api_key", "client_secret", "token", "Authorization"]),
        [
            "ADR-140: the gateway drops the {v} header or field before logging.",
            "[{t}] {who}: do we still need to pass {v} there?",
            "RB-31 step 2: rotate the {v} in Vault, then restart.",
            "| field | {v} | scrubbed |",
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice([priv_ip(), doc_ip(), "127.0.0.1", "169.254.169.254"]),
        [
            "mysql-primary is at {v}",
            "[{t}] {who}: bastion moved to {v}",
            "$ ssh -J ops@{v} replica-2",
            "| {t} | {v} | replica lag 0s |",
            '{"remote_addr":"{v}","path":"/healthz","status":200}',
            "bind-address = {v}",
        ],
    ),
    (
        "example-email",
        lambda: rng.choice(
            [
                "ops@quillmoor.example",
                "carrier-ops@example.com",
                "noreply@bookings.test",
                "jane.doe@example.org",
            ]
        ),
        [
            "PM-5130: exports now go only to {v}.",
            "[{t}] {who}: page {v} if the export job fails",
            "From: {v}\nSubject: export ready",
            "| escalation | {v} |",
        ],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(
            ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE"]
        ),
        [
            "RB-31 sample config: `aws_access_key_id = {v}`",
            "# RB-31 copies the AWS docs example: {v}",
            "[{t}] {who}: that's the docs example {v}, not ours",
        ],
    ),
    (
        "version-or-date",
        lambda: rng.choice(
            [
                f"v{rng.randint(1, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}",
                f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                f"8.4.{rng.randint(0, 9)}",
            ]
        ),
        [
            "Android app {v} shipped the key.",
            "| {t} | mysql upgraded to {v} |",
            "[{t}] {who}: gateway {v} has the header scrubber",
            "RB-36 last reviewed {v}.",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@bastion",
        [
            "RB-36: add the new key to authorized_keys:\n{v}",
            "$ cat ~/.ssh/qm_bastion.pub\n{v}",
        ],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        [
            "PM-5113: QA uses {v} in the sandbox flow.",
            "[{t}] {who}: repro with card {v} in test mode",
            "| test card | {v} | succeeds |",
        ],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            "| consignment | {v} | delivered |",
            "[{t}] {who}: tracking number {v} is the one the customer quoted",
            "mysql> SELECT * FROM shipments WHERE tracking_no = '{v}';",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: rng.choice(
            [
                f"BK-{rs(DIG, 8)}",
                f"Order 8{rs(DIG, 2)}-4{rs(DIG, 2)}-{rs(DIG, 4)}",
                f"job {rs(DIG, 6)}",
                f"INC{rs(DIG, 7)}",
            ]
        ),
        [
            "PM-5130: the affected export is {v}.",
            "[{t}] {who}: see {v}",
            "| {t} | {v} | refunded |",
            "2026-11-18 {t}:09 INFO exporter finished {v}",
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(
            rng.choice(
                [b'{"kind":"export","rows":1204}', b"carrier=1187;region=eu-west-1", b"hello from quotes"]
            )
        ),
        [
            "x-debug-context: {v}",
            "[{t}] {who}: the blob {v} just decodes to metadata",
            "mysql> SELECT payload FROM outbox WHERE id = {job};\n| {v} |",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 12),
        [
            "2026-11-18T{t}:00.5000000Z Syncing repository: quillmoor/booking-api ({v})",
            "| {t} | deploy | gateway @ {v} |",
            "[{t}] {who}: exporter image tag {v} has the allow-list",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "  File \"/srv/exporter/run.py\", line 40, in export\n    export_id = '{v}'",
            "$ vault lease revoke database/creds/exporter/{v}",
            "> DELETE /v2/sessions/{v} HTTP/1.1",
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            "2026-11-20 {t}:51 ERROR gateway trace_id={v} upstream=booking-api status=502",
            "| {t} | trace {v} | 31.2s |",
        ],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(
            ["AWS_SECRET_ACCESS_KEY", "SLACK_BOT_TOKEN", "STRIPE_SECRET_KEY", "MYSQL_PASSWORD", "GH_TOKEN"]
        ),
        [
            "PM-5102: the step printed {v} because `set -x` was on.",
            "[{t}] {who}: {v} is now only in the vault, not the repo",
            "$ grep -rn {v} .github/workflows/",
            "| variable | {v} | rotated {t} |",
            "  - name: {v}\n    valueFrom:\n      secretKeyRef:\n        name: exporter-secrets",
        ],
    ),
    (
        "masked-value",
        lambda: rng.choice(["****", "sk_live_51********************", "xoxb-****", "<hidden>", "••••••••"]),
        [
            "2026-11-21T{t}:00.1000000Z STRIPE_SECRET_KEY: {v}",
            "> Authorization: Bearer {v}",
            "| {t} | slack | token {v} |",
            "mysql> SELECT name, value FROM app_settings WHERE name = 'db.password';\n| db.password | {v} |",
        ],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        [
            "mysql> SHOW REPLICA STATUS\\G\n  Source_Host: {v}",
            "2026-11-19 {t}:02 WARN gateway upstream {v}:8080 connect timeout",
            "Nov 19 {t}:40 bastion sshd[{job}]: Accepted publickey for ops from {v} port 50122 ssh2",
            "  host: {v}\n  port: 3306",
        ],
    ),
    (
        "example-email",
        lambda: rng.choice(
            ["privacy@quillmoor.example", "dpo@example.com", "exports@carrier.test", "alerts@example.net"]
        ),
        [
            "mysql> UPDATE export_targets SET email = '{v}' WHERE carrier_id = 1187;",
            '{"to":"{v}","template":"export-ready"}',
        ],
    ),
    (
        "version-or-date",
        lambda: f"2026-11-{rng.randint(10, 28):02d}T{hhmm()}:00Z",
        [
            "| {t} | {v} | export job paused |",
            "PM-5130 closed {v}.",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: rng.choice(
            [
                f"CN{rs(DIG, 9)}GB",
                f"port {rng.randint(1024, 65535)}",
                f"pid {rng.randint(100, 99999)}",
                f"PM-{rng.randint(5000, 5999)}",
            ]
        ),
        [
            "[{t}] {who}: duplicate of {v}",
            "| related | {v} |",
            "2026-11-19 {t}:00 INFO tariff-sync started {v}",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:secretsmanager:eu-west-1:{rs(DIG, 12)}:secret:bookings/db-{rs(ALNUM, 6)}",
        [
            "RB-31: the password lives in {v}.",
            "$ aws secretsmanager rotate-secret --secret-id {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        [
            "SHA1 fingerprint of the APK signing cert: {v}",
            '  "etag": "{v}",',
        ],
    ),
    (
        "placeholder",
        lambda: rng.choice(["AKIAXXXXXXXXXXXXXXXX", "<password>", "your_api_key", "TODO"]),
        [
            "RB-31 step 1: `aws configure set aws_access_key_id {v}`",
            "mysql> ALTER USER 'booking'@'%' IDENTIFIED BY '{v}';  -- from the runbook template",
            "DD_API_KEY={v}",
        ],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "cloud-resource-id",
        lambda: (
            f"projects/qm-exports/serviceAccounts/exporter@qm-exports.iam.gserviceaccount.com/keys/{rs(HEX, 40)}"
        ),
        ["$ gcloud iam service-accounts keys delete {v}", "RB-31: disabled {v}."],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/qm-exports/providers/Microsoft.Storage/storageAccounts/qmexports"
        ),
        ["az storage account keys renew --ids {v} --key primary", "| {t} | Azure | {v} |"],
    ),
    (
        "hash-or-digest",
        lambda: "sha512-" + b64(draw.rbytes(64)),
        ['"integrity": "{v}"', "[{t}] {who}: lockfile integrity {v} changed"],
    ),
    (
        "hash-or-digest",
        lambda: "$2b$12$" + rs(ALNUM + "./", 53),
        ["mysql> SELECT password_hash FROM staff WHERE id = 7;\n| {v} |"],
    ),
    ("trace-id", lambda: rs(HEX, 16), ["x-datadog-trace-id {v}", "[{t}] {who}: span {v} is the slow one"]),
    (
        "uuid",
        uuid4,
        [
            "Slack channel C07QM2K4X: message ts 1763{job}.004 ref {v}",
            "| {t} | Vault lease | database/creds/booking/{v} revoked |",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"T0{rs(UP + DIG, 8)}",
        ["Slack team {v} (quillmoor)", "[{t}] {who}: workspace id {v}"],
    ),
    ("ids-and-numbers", lambda: f"U0{rs(UP + DIG, 8)}", ["the token belonged to bot user {v}"]),
    (
        "public-key-or-cert",
        lambda: "\n".join(
            ["-----BEGIN CERTIFICATE-----", "MIIDdzCCAl+gAwIBAgIU" + rs(B64, 44)]
            + [rs(B64, 64) for _ in range(4)]
            + [rs(B64, 20) + "==", "-----END CERTIFICATE-----"]
        ),
        ["gateway serving cert (public):\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "\n".join(
            [
                "-----BEGIN PUBLIC KEY-----",
                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE" + rs(B64, 28),
                rs(B64, 24) + "==",
                "-----END PUBLIC KEY-----",
            ]
        ),
        ["JWT verification key for the gateway:\n{v}"],
    ),
    (
        "vendor-example-key",
        lambda: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        ["docs sample: aws_secret_access_key = {v}"],
    ),
    ("placeholder", lambda: "sk_test_" + "x" * 24, ["STRIPE_SECRET_KEY={v}  # sandbox placeholder"]),
    ("placeholder", lambda: "xoxb-your-bot-token", ["[{t}] {who}: the README says SLACK_BOT_TOKEN={v}"]),
    ("keyword-no-value", lambda: "requirepass", ["RB-31: redis `{v}` is set from the Vault template now."]),
    (
        "private-or-reserved-ip",
        lambda: rng.choice(["fd12:3456:789a::1", "2001:db8::17", "fe80::1c2b:3aff:fe4d:5e6f"]),
        ["replica-2 listens on {v}", "[{t}] {who}: ping6 {v} works"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["tailscale address of the bastion: {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}-rc.{rng.randint(1, 5)}",
        ["exporter {v} sends only to allow-listed domains"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}",
        ["VAT reference {v} on the carrier invoice"],
    ),
    (
        "ids-and-numbers",
        lambda: f"C0{rs(UP + DIG, 8)}",
        ["bot was removed from channel {v}", "[{t}] {who}: guests are in {v} too"],
    ),
    ("ids-and-numbers", lambda: f"A0{rs(UP + DIG, 8)}", ["Slack app {v} reinstalled with new scopes"]),
    ("ids-and-numbers", lambda: f"acct_1{rs(ALNUM, 15)}", ["Stripe account {v} (Quillmoor Ltd)"]),
    (
        "ids-and-numbers",
        lambda: f"pi_3{rs(ALNUM, 23)}",
        ["[{t}] {who}: refunded {v}", "| {t} | {v} | refunded |"],
    ),
    ("templated-value", lambda: "vault:secret/data/gateway#api_key", ["GATEWAY_API_KEY={v}"]),
    (
        "templated-value",
        lambda: '{{ with secret "database/creds/booking" }}{{ .Data.password }}{{ end }}',
        ['password = "{v}"'],
    ),
    ("base64-nonsecret", lambda: b64(b"apiVersion: v1\nkind: ConfigMap"), ["data blob: {v}"]),
    (
        "hash-or-digest",
        lambda: "SHA256:" + rs(B64, 43),
        ["RB-36: the new bastion host key fingerprint is {v}.", "ED25519 key fingerprint is {v}."],
    ),
    ("uuid", uuid4, ["x-amz-request-id: {v}", "Stripe-Request-Id header on the failed call: {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"10.{rng.randint(0, 255)}.0.0/16",
        ["vpc cidr {v}", "allow from {v} only"],
    ),
    ("version-or-date", lambda: f"build {rng.randint(400, 499)}", ["the APK with the key was {v}"]),
    ("vendor-example-key", lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", ["Stripe docs sample key: {v}"]),
    ("keyword-no-value", lambda: "x-api-key", ["ADR-140: header {v} is on the deny-list of the debug dump."]),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt|sa)[-_][A-Za-z0-9_-]{20}|xox[bpa]-\d|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|hf_[A-Za-z0-9]{30}|dop_v1_|hvs\.[A-Za-z0-9]{6}|pypi-AgE|lin_api_|NRAK-|sntrys_|key-[0-9a-f]{32}|shpat_"
    r"|SSWS 00|HRKU-|PMAK-|pul-[0-9a-f]{40}|nfp_|bkua_|:AA[A-Za-z0-9_-]{30}|AccountKey=[A-Za-z0-9+/]{20}|Q~[A-Za-z0-9_.~-]{30}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?<![A-Za-z0-9])(?:AC|SK)[0-9a-f]{32}"
    r"|(?<!:)(?i:password|passwd|pass|pwd|secret|token|requirepass)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_.%-]{12,}"
)
PHONEISH = re.compile(r"555[-. ]?01\d\d|7700 ?900|7946 ?0|496 ?0\d{3}")


CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    phoneish=PHONEISH,
    national_id_ok=lambda row: ssn_or_nino_ok(row["value"]),
    private_key_ok=pem_block_ok,
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t22", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
