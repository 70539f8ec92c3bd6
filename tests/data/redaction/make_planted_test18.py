# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test18.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test18.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270118)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents written by an independent pre-release tester of a company called Marrowby:
PM-8203 GraphQL gateway outage, PM-8211 reminder cron that e-mailed customers twice, PM-8217
Terraform state leak, RB-72 stolen laptop runbook, ADR-061 data retention, PM-8224 load-balancer
misroute, PM-8230 fraud-rule false positive storm and ADR-064 caching layer. Common shapes come
first in each kind (``t18p…``/``t18n…``); the summary it prints says where the split falls.
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
    UP,
    Draw,
    Gen,
    S,
    b64,
    expand_sections,
    fill_slots,
    one_of,
    sanity,
    write_fold,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test18.jsonl"
FOLD = "test18"
ID_PREFIX = "t18"
rng = Random(20270118)
draw = Draw(rng)
rs, rbytes, uuid4, sha40, hexk, hhmm = draw.rs, draw.rbytes, draw.uuid4, draw.sha40, draw.hexk, draw.hhmm
iso, akid, aws_secret, gcp_api = draw.iso, draw.akid, draw.aws_secret, draw.gcp_api
gcp_oauth_secret, az_client_secret = draw.gcp_oauth_secret, draw.az_client_secret
az_account_key, az_sas_sig, gh_token = draw.az_account_key, draw.az_sas_sig, draw.gh_token
gl_token, slack_token, slack_hook = draw.gl_token, draw.slack_token, draw.slack_hook
stripe_key, stripe_whsec, opaque = draw.stripe_key, draw.stripe_whsec, draw.opaque
private_key, pk, gcp_sa_key, pub_pem = draw.private_key, draw.pk, draw.gcp_sa_key, draw.pub_pem
card, luhn_bad, public_v4, public_v6 = draw.card, draw.luhn_bad, draw.public_v4, draw.public_v6
priv_ip, phone, ssn, nino, iban = draw.priv_ip, draw.phone, draw.ssn, draw.nino, draw.iban

TYPES = {**SHARED_TYPES, S: {*SHARED_TYPES[S], "generic-api-key"}}


# ---------------------------------------------------------------------------- secret values
jwt = partial(
    draw.jwt_of,
    ["HS256", "RS256", "ES384"],
    [
        (
            "sub",
            ["svc:graphql-gw", "user:88213", "svc:notify-cron", "system:serviceaccount:edge:lb-controller"],
        ),
        ("aud", ["https://api.marrowby.io", "graphql-gw", "fraud-scorer", "ledger-api"]),
        ("exp", range(1_795_000_000, 1_799_000_000 + 1)),
        ("scope", ["graph:query", "admin", "fraud:review", "read"]),
    ],
    sig_lengths={"HS256": 43, "ES384": 64},
    default_sig=86,
    kid=(HEX, 12),
)


WORDS = [
    "heron",
    "basalt",
    "juniper",
    "lantern",
    "meadow",
    "saffron",
    "tundra",
    "walnut",
    "fjord",
    "cobalt",
    "larch",
    "pewter",
]


password, url_password = partial(draw.password, WORDS), partial(draw.url_password, WORDS)


# ---------------------------------------------------------------------------- personal values


email = partial(
    draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}{last}", "{last}.{f}", "{f}+billing")
)


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "graphql-gw",
    "notify-cron",
    "tf-runner",
    "mdm-agent",
    "retention-sweeper",
    "edge-lb",
    "fraud-scorer",
    "cache-proxy",
    "ledger-api",
    "orders-api",
]
ONCALL = ["aurelio", "birgit", "cosmin", "dagny", "emeka", "fenna", "gideon", "hallie", "ilkka", "jovana"]


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
# ---------------------------------------------------------------------------- less common secrets
pre = draw.pre


def arn() -> str:
    acct = rs(DIG, 12)
    return rng.choice(
        [
            f"arn:aws:iam::{acct}:role/tf-runner",
            f"arn:aws:s3:::marrowby-tfstate-{rs(LOW + DIG, 6)}",
            f"arn:aws:elasticloadbalancing:eu-west-2:{acct}:targetgroup/graphql-gw/{rs(HEX, 16)}",
            f"arn:aws:dynamodb:eu-west-2:{acct}:table/tf-locks",
            f"arn:aws:kms:eu-west-2:{acct}:key/{uuid4()}",
            f"arn:aws:elasticache:eu-west-2:{acct}:cluster:cache-{rs(LOW, 4)}",
        ]
    )


def res_id() -> str:
    return rng.choice(["i-", "vol-", "sg-", "snap-", "vpc-", "eni-", "rtb-"]) + rs(HEX, 17)


def b64_plain() -> str:
    return b64(
        rng.choice(
            [
                b'{"rule":"velocity-3","action":"review"}',
                b"reminder batch 2026-11-30 done",
                b'{"cursor":{"after":"order:88120"}}',
                b"laptop LT-0412 wiped",
                b"retention: 400d for audit_log",
                b"ttl=300 stale-while-revalidate=60",
                b"target group graphql-gw-blue healthy",
                b"terraform workspace: prod-eu",
            ]
        )
    )


def ssh_pub() -> str:
    return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + f" {rng.choice(ONCALL)}@mdm-admin"


ssh_rsa_pub = partial(draw.ssh_rsa_pub, ONCALL)


cert_pem = partial(draw.cert_pem_block, "MIIDazCCAlOgAwIBAgIU")


def ex_email() -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}@" + rng.choice(
        ["example.com", "example.org", "marrowby.example", "billing.test", "example.net"]
    )


long_trace = draw.long_trace


rsv_ip = draw.reserved_ip


def b64pw() -> str:
    return b64(password().encode())


COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            "PM-8217 timeline: {t} the `terraform.tfstate` object in the public bucket held `aws_iam_access_key.ci` with id {v}.",
            '      "id": "{v}",\n      "status": "Active",\n      "user": "tf-deployer"',
            "| {t} | {who} | disabled access key {v} on user tf-deployer |",
            "RB-72 step 6: list keys on the stolen laptop's profile; the one found was {v} (`~/.aws/credentials`, profile `prod-admin`).",
            "[prod-admin]\naws_access_key_id={v}\nregion=eu-west-2",
            'time={ts} level=warn svc=cache-proxy msg="static aws creds in env" AWS_ACCESS_KEY_ID={v}',
            "PM-8224: the ALB controller pod was started with `--aws-access-key-id {v}` instead of IRSA.",
            "> @{who} who owns {v}? CloudTrail shows it calling DescribeTargetGroups every 5s",
            '<14>Dec  3 {t}:11 tf-runner-2 terraform[{pid}]: provider "aws" configured with access_key="{v}"',
            "ADR-064: the Redis snapshot exporter still uses key {v}; this goes when we move to the managed cache.",
            "  - name: AWS_ACCESS_KEY_ID\n    value: {v}",
            "$ history | grep aws\n  412  aws configure set aws_access_key_id {v} --profile fraud-batch",
            "PM-8230 appendix: the model-refresh job read features from S3 as {v}.",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            '      "secret": "{v}",\n      "ses_smtp_password_v4": null,',
            "[prod-admin]\naws_secret_access_key={v}",
            "PM-8217: the same state file also had the secret `{v}` in plain text, because state is never encrypted per attribute.",
            "  - name: AWS_SECRET_ACCESS_KEY\n    value: {v}",
            '  413  aws configure set aws_secret_access_key "{v}" --profile fraud-batch',
            "| {t} | {who} | secret key {v} found in the tester's scratch notes, deleted |",
            'provider "aws" {\n  region     = "eu-west-2"\n  secret_key = "{v}"\n}',
            "RB-72 step 6 (cont.): the matching secret key is {v}; deactivate first, delete after the review.",
            'time={ts} level=debug svc=tf-runner msg="env dump" AWS_SECRET_ACCESS_KEY={v}',
            "PM-8224: controller args included `--aws-secret-access-key={v}`.",
            "ADR-064 note: exporter secret {v} must not appear in the new cache's config.",
            "> {who}: it's `{v}` for the secret, I'll rotate it once you're done",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "PM-8217: the CI runner's GitHub token {v} was stored in state as `github_repository_webhook.secret` input.",
            'provider "github" {\n  owner = "marrowby"\n  token = "{v}"\n}',
            "$ git clone https://{v}@github.com/marrowby/graphql-schema.git",
            "| {t} | {who} | revoked PAT {v} from the stolen laptop's keychain |",
            "RB-72 step 4: the laptop's `~/.config/gh/hosts.yml` had `oauth_token: {v}`.",
            "export GITHUB_TOKEN={v}",
            "> @{who} I pushed the hotfix with {v}, the deploy key was expired",
            '{"ts":"{ts}","svc":"notify-cron","msg":"fetching templates from github","token":"{v}"}',
            "  github-token: {v}",
            "PM-8203: the schema-registry sync used token {v} (classic PAT, repo scope) to read `schema.graphql`.",
            '    git config --global url."https://x-access-token:{v}@github.com/".insteadOf "https://github.com/"',
            "ADR-061 appendix: the retention-sweeper reads its config repo with {v} until we switch to a GitHub App.",
            'curl -H "Authorization: token {v}" https://api.github.com/repos/marrowby/fraud-rules/contents/rules.yaml',
            "Traceback: github.GithubException.BadCredentialsException: 401 for token '{v}'",
            "GH_TOKEN={v} gh pr merge 4412 --squash",
            "| CI secret | value at time of leak |\n|---|---|\n| GH_PAT | {v} |",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "PM-8211: the reminder cron posts its summary to #cust-comms with bot token {v}.",
            "SLACK_BOT_TOKEN={v}",
            "  slack:\n    token: {v}\n    channel: C04FRAUDALRT",
            "| {t} | {who} | Slack token {v} revoked after it appeared in the cron log |",
            '{"level":"info","ts":"{ts}","svc":"fraud-scorer","slack_token":"{v}","msg":"posting review digest"}',
            "RB-72 step 5: sign the laptop owner out of Slack and revoke {v}, which the tester found in their shell history.",
            "curl -s -X POST -H 'Authorization: Bearer {v}' https://slack.com/api/chat.postMessage -d channel=C05GQLOUTG",
            "> {who}: the alert bot's token is {v}, paste it into the new runner",
            'variable "slack_token" {\n  default = "{v}"\n}',
            "PM-8224: the LB health notifier was still using the legacy token {v}.",
            "ADR-064: cache eviction alerts go through the Slack app with token {v} (to be moved to the alerting vendor).",
            "Dec 03 {t}:02 notify-cron[{pid}]: slack post ok token={v}",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "PM-8211: the duplicate-send alert fired to {v} and nobody was in that channel.",
            "  webhook_url: {v}",
            'resource "slack_webhook" "fraud" {\n  url = "{v}"\n}',
            'curl -X POST -d \'{"text":"graphql-gw p99 > 3s"}\' {v}',
            "| {t} | {who} | incoming webhook {v} disabled |",
            "FRAUD_ALERT_WEBHOOK={v}",
            "PM-8217: a `local-exec` provisioner posted to {v}, and the URL was saved in state.",
            '{"ts":"{ts}","svc":"edge-lb","msg":"notify","hook":"{v}"}',
            "RB-72: the stolen laptop had a Shortcuts automation posting to {v}.",
            "> {who}: just use {v} for now",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            "PM-8230: the fraud scorer called Stripe Radar with the live key {v}, so every review also hit the Stripe rate limit.",
            "STRIPE_SECRET_KEY={v}",
            "  stripe:\n    api_key: {v}\n    radar: true",
            "| {t} | {who} | rolled Stripe key {v} |",
            "$ stripe charges list --limit 5 --api-key {v}",
            "stripe.error.AuthenticationError: Invalid API Key provided: {v}",
            'resource "stripe_webhook_endpoint" "ledger" {}\n# provider configured with api_key = "{v}"',
            '{"ts":"{ts}","svc":"ledger-api","stripe_key":"{v}","msg":"client init"}',
            "curl https://api.stripe.com/v1/radar/value_lists -u {v}:",
            "PM-8217: state attribute `stripe_api_key` = {v}",
            "> {who}: the restricted key for the retention job is {v}",
            "ADR-061: customer deletion calls Stripe's API with key {v}; the key must be scoped to `customers:write` only.",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "PM-8203: the failing request carried `Authorization: Bearer {v}`.",
            'time={ts} level=error svc=graphql-gw msg="token expired" token={v}',
            "curl -s https://api.marrowby.io/graphql -H 'Authorization: Bearer {v}' -d '{\"query\":\"{ viewer { id } }\"}'",
            "| {t} | {who} | replayed the failing query with the captured token {v} |",
            "PM-8224: the misrouted requests all had the same session cookie `mb_session={v}`.",
            '{"level":"debug","svc":"fraud-scorer","ts":"{ts}","headers":{"authorization":"Bearer {v}"}}',
            "RB-72: the browser profile on the laptop held the admin console id token {v}.",
            "> {who}: here's the JWT from my session, decode it: {v}",
            "ADR-064: cached responses were keyed on the raw token ({v}), which is why we hash the key now.",
            "  SERVICE_TOKEN: {v}",
            "GET /graphql?query=%7Bme%7D HTTP/1.1\nHost: api.marrowby.io\nCookie: mb_session={v}",
            "PM-8211: the unsubscribe links contained `?t={v}`, a signed token valid for 30 days.",
            "Caused by: io.jsonwebtoken.ExpiredJwtException: JWT expired at 2026-12-03T{t}:00Z. Token: {v}",
            "PM-8230: the review UI sent the reviewer JWT {v} in a query string, so it landed in access logs.",
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "PM-8217: state held `tls_private_key.gw.private_key_pem`:\n{v}",
            "RB-72: found in `~/Downloads/old-deploy.pem` on the backup of the stolen laptop:\n{v}",
            "ADR-064 appendix (do not commit): the cache TLS key used in the PoC was\n{v}",
        ],
    ),
    (
        "private-key",
        pk("rsa", "    "),
        [
            "  tls.key: |\n    {v}",
            "    private_key: |\n    {v}",
        ],
    ),
    (
        "private-key",
        pk("ec"),
        [
            "PM-8224: the listener certificate's EC key was pasted in the ticket:\n{v}",
            "$ cat /etc/edge-lb/keys/api.key\n{v}",
        ],
    ),
    (
        "private-key",
        pk("ssh"),
        [
            "RB-72 step 2: the laptop's `~/.ssh/id_ed25519` (the backup copy) is:\n{v}",
            "PM-8217: `tls_private_key.runner` in state, openssh form:\n{v}",
        ],
    ),
    (
        "private-key",
        pk("pkcs8"),
        [
            "PM-8203: the gateway's signing key was in the debug bundle:\n{v}",
            '$ kubectl -n edge get secret api-tls -o jsonpath="{.data.tls\\.key}" | base64 -d\n{v}',
            "> {who}: use this one for the fraud-scorer mTLS test\n{v}",
        ],
    ),
    (
        "password-in-url",
        url_password,
        [
            "PM-8203: the gateway's datasource was `postgres://gql_ro:{v}@pg-orders.marrowby.internal:5432/orders`.",
            "DATABASE_URL=postgresql://notify:{v}@pg-notify.marrowby.internal/notify?sslmode=require",
            "  url: redis://default:{v}@cache-proxy.marrowby.internal:6379/0",
            '{"ts":"{ts}","level":"error","svc":"ledger-api","msg":"connect failed","dsn":"mysql://ledger:{v}@mysql-ledger:3306/ledger"}',
            'PM-8217: `backend "pg"` conn_str was postgres://tfstate:{v}@pg-tf.marrowby.internal/tfstate',
            "| {t} | {who} | changed the DB password; old URL was amqp://fraud:{v}@rabbit-1.marrowby.internal:5672/ |",
            "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server failed\n[SQL: SELECT 1]\n(url: postgresql+psycopg2://retention:{v}@pg-archive:5432/archive)",
            "$ psql 'postgres://admin:{v}@{pip}:5432/orders' -c 'select count(*) from reminders_sent'",
            "CACHE_URL=rediss://:{v}@cache-primary.marrowby.internal:6380",
            "  - name: MONGO_URI\n    value: mongodb+srv://fraud_rw:{v}@fraud-cluster.marrowby.internal/rules",
            "ADR-064: the PoC connected with memcached://bench:{v}@{pip}:11211, which only works via the SASL proxy.",
            "RB-72: the laptop's `.pgpass`-equivalent was a URL in a note: postgres://dagny:{v}@pg-reporting:5432/bi",
            'level=warn svc=retention-sweeper msg="slow purge" db=postgres://sweeper:{v}@pg-archive.marrowby.internal/archive',
            "PM-8211: the cron's SMTP relay URL was smtp://notify:{v}@smtp-relay.marrowby.internal:587",
            "> {who}: try `mysql://ro:{v}@{pip}/fraud` from the bastion",
            "  jdbcUrl: jdbc:postgresql://pg-orders:5432/orders?user=gql&password={v}",
            "https://deploy:{v}@artifacts.marrowby.internal/repository/helm/",
            "ELASTIC_URL=https://elastic:{v}@logs.marrowby.internal:9200",
            "PM-8224: the health checker used http://probe:{v}@{pip}:8081/healthz which the ALB logged in full.",
            "  uri: amqps://cron:{v}@mq.marrowby.internal/reminders",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "DB_PASSWORD={v}",
            "  password: {v}",
            '  "password": "{v}",',
            "PM-8203: `gateway.yaml` had `upstreams.orders.password: {v}` checked in.",
            "$ mysql -h mysql-ledger -u ledger -p'{v}' -e 'show processlist'",
            "$ psql -h pg-orders -U gql_ro --password={v}",
            'variable "db_password" {\n  type    = string\n  default = "{v}"\n}',
            '      "master_password": "{v}",\n      "engine": "aurora-postgresql",',
            "PM-8217: `aws_db_instance.notify.password` was {v} in state (Terraform stores it in the clear).",
            "| {t} | {who} | reset the RDS master password (was {v}) |",
            "RB-72 step 3: the owner says the disk encryption passphrase was `{v}`; change it on their new machine too.",
            "> {who}: vault root login for the drill is {v}",
            "SMTP_PASS={v}",
            "spring.datasource.password={v}",
            '  redis_password = "{v}"',
            "PM-8211: the cron's SMTP password ({v}) was printed by the debug flag.",
            '{"ts":"{ts}","svc":"notify-cron","config":{"smtp_user":"notify","smtp_password":"{v}"}}',
            "time={ts} level=debug svc=retention-sweeper db_user=sweeper db_pass={v}",
            "$ redis-cli -h cache-primary -a {v} INFO memory",
            "$ terraform apply -var 'admin_password={v}'",
            "ADR-064: the PoC cache had `requirepass {v}` in redis.conf, copied from the wiki.",
            "<86>Dec  3 {t}:44 edge-lb-3 haproxy[{pid}]: stats auth admin:{v}",
            '  env:\n    - name: FRAUD_DB_PASSWORD\n      value: "{v}"',
            "PM-8230: the rules console admin password {v} was shared in the incident channel.",
            "curl -u reviewer:{v} https://fraud-console.marrowby.internal/api/rules",
            "ADR-061: the archive bucket's encryption passphrase `{v}` is currently in the runbook, which is exactly what this ADR forbids.",
            "[client]\nuser=retention\npassword={v}",
            "$ mongosh --username fraud_rw --password '{v}' fraud-cluster",
            "ldap_bind_password: {v}",
            "RB-72: the user's 1Password master password hint was the password itself: {v}",
            "docker login registry.marrowby.internal -u ci -p {v}",
            "PM-8224: the HAProxy runtime API was opened with `set server ... ` after logging in with password {v}.",
            "keystore.password={v}",
            "export PGPASSWORD='{v}'",
            "| env var | value |\n|---|---|\n| CACHE_AUTH | {v} |",
            "  admin_pass: {v}  # TODO move to vault",
            '  <add key="SmtpPassword" value="{v}" />',
        ],
    ),
    (
        "basic-auth",
        b64pw,
        [
            "PM-8203: the upstream call to the orders service carried `Authorization: Basic {v}`.",
            "> GET /internal/reminders HTTP/1.1\n> Host: notify-cron.marrowby.internal\n> Authorization: Basic {v}",
            '{"ts":"{ts}","svc":"edge-lb","req_headers":{"authorization":"Basic {v}"}}',
            "curl -H 'Authorization: Basic {v}' https://fraud-console.marrowby.internal/api/rules/velocity-3",
            "  auth: Basic {v}",
            "| {t} | {who} | found Basic {v} in the ALB access log sample |",
            '    "Authorization": "Basic {v}"',
            "PM-8224: the probe header `Authorization: Basic {v}` was forwarded to the wrong target group.",
            'level=info svc=cache-proxy upstream_auth="Basic {v}" msg="origin fetch"',
            "ADR-064: the origin shield authenticates with Basic {v}; the new cache must forward it untouched.",
            '  .dockerconfigjson: {"auths":{"registry.marrowby.internal":{"auth":"{v}"}}}',
            "RB-72: the `~/.npmrc` on the laptop had `_auth={v}`.",
        ],
    ),
    (
        "bearer-token",
        opaque,
        [
            "PM-8203: every retry replayed `Authorization: Bearer {v}` to the upstream.",
            "curl -H 'Authorization: Bearer {v}' https://graphql-gw.marrowby.internal/admin/schema/reload",
            '{"ts":"{ts}","level":"warn","svc":"graphql-gw","upstream":"orders","auth":"Bearer {v}"}',
            "| {t} | {who} | revoked the admin bearer {v} |",
            "> Authorization: Bearer {v}\n> User-Agent: notify-cron/2.3",
            "PM-8230: the scorer called the feature store with `Bearer {v}`.",
            "  headers:\n    Authorization: Bearer {v}",
            "RB-72: the laptop had a long-lived CLI session: `~/.marrowby/credentials` -> `Bearer {v}`",
            'time={ts} svc=edge-lb msg="forwarded" authorization="Bearer {v}"',
            "ADR-064: the cache must never store a response whose request had `Authorization: Bearer {v}`, as happened in PM-8203.",
            "http --auth-type=bearer --auth={v} GET https://api.marrowby.io/v2/orders",
            "  bearer_token: {v}",
            "PM-8211: the mailer API token {v} was in the cron's crontab line.",
            "> {who}: the api token is {v}, scope admin",
            "API_TOKEN={v}",
            "X-Api-Key: {v}",
            "PM-8217: the `http` data source in state recorded its request header `X-Auth-Token: {v}`.",
            "  token: {v}",
        ],
    ),
]


COMMON_SECRETS += [
    (
        "github-token",
        gh_token,
        [
            "  - uses: actions/checkout@v4\n    with:\n      token: {v}",
            "PM-8211: the template repo's submodule URL embedded {v} in `.gitmodules`.",
            "RB-72 step 4 (cont.): also revoke {v}, the fine-grained token in the laptop's VS Code settings sync.",
            "> @{who} temporary token for the schema mirror: {v} (expires Friday)",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "PM-8230: the review digest bot ran with {v}, a user token with admin scopes.",
            "  SLACK_APP_TOKEN: {v}",
        ],
    ),
    (
        "stripe-key",
        stripe_whsec,
        [
            "STRIPE_WEBHOOK_SECRET={v}",
            "PM-8230: the Radar webhook signing secret {v} was printed on startup.",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "$ grpcurl -H 'authorization: Bearer {v}' ledger-api.marrowby.internal:443 ledger.v1.Ledger/GetBalance",
            "set-cookie: mb_admin={v}; Path=/; HttpOnly; Secure",
            "ADR-061: refresh tokens like {v} were kept in the session table forever; this ADR sets 30 days.",
        ],
    ),
    (
        "generic-api-key",
        opaque,
        [
            "FRAUD_FEATURE_STORE_API_KEY={v}",
            "  api_key: {v}",
            "curl -H 'X-API-Key: {v}' https://fraud-console.marrowby.internal/api/rules/velocity-3/disable -X POST",
            "$ notify-cli resend --dry-run --api-key {v} --batch 2026-11-30",
            '{"ts":"{ts}","svc":"cache-proxy","purge_key":"{v}","paths":["/graphql/persisted/*"]}',
            "PM-8224: the LB vendor's console API key ({v}) was in the Terraform provider block.",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ tf-runner --state-bucket marrowby-tfstate --unlock-passphrase '{v}'",
            "  POSTGRES_PASSWORD: {v}",
            "ALTER USER gql_ro WITH PASSWORD '{v}';",
            "$ openssl pkcs12 -export -in api.crt -inkey api.key -out api.p12 -passout pass:{v}",
            '<property name="password" value="{v}"/>',
        ],
    ),
]


sendgrid = draw.sendgrid_key


def twilio_sid() -> str:
    return rng.choice(["AC", "SK"]) + rs(HEX, 32)


def tfc_token() -> str:
    return rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67)


def vault_token() -> str:
    return "hvs." + rs(ALNUM + "_-", 90)


def age_key() -> str:
    return "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".upper(), 58)


def mapbox_sk() -> str:
    return "sk.eyJ1IjoibWFycm93YnkiLCJhIjoi" + rs(ALNUM, 24) + "In0." + rs(B64URL, 22)


RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-key",
        gcp_api,
        [
            "PM-8224: the geo-routing lookup called the Maps API with key {v} from the LB's Lua plugin.",
            "  GOOGLE_MAPS_KEY: {v}",
            'resource "google_apikeys_key" "fraud" {}\n# output "key_string" = "{v}"',
            "curl 'https://safebrowsing.googleapis.com/v4/threatMatches:find?key={v}'",
            "| {t} | {who} | restricted API key {v} to the fraud-scorer service account |",
        ],
    ),
    (
        "gcp-key",
        gcp_oauth_secret,
        ["RB-72: the laptop's gcloud config had OAuth client secret {v} for the internal tools app."],
    ),
    (
        "gcp-service-account-key",
        gcp_sa_key,
        [
            '  "private_key": "{v}",\n  "client_email": "tf-runner@marrowby-prod.iam.gserviceaccount.com",',
            'PM-8217: `google_service_account_key.tf.private_key` decoded to {"type":"service_account","private_key":"{v}"}',
            '{"type":"service_account","project_id":"marrowby-fraud","private_key":"{v}"}',
        ],
    ),
    (
        "azure-key",
        az_client_secret,
        [
            "ARM_CLIENT_SECRET={v}",
            "PM-8217: `azuread_application_password.tf.value` = {v}",
            "  clientSecret: {v}",
        ],
    ),
    (
        "azure-key",
        az_account_key,
        [
            "ADR-061: archives go to DefaultEndpointsProtocol=https;AccountName=mbarchive;AccountKey={v};EndpointSuffix=core.windows.net",
            "$ az storage blob list --account-name mbarchive --account-key {v} -c retention",
        ],
    ),
    (
        "azure-key",
        az_sas_sig,
        [
            "RB-72: a shared download link in the browser history: https://mbarchive.blob.core.windows.net/exports/q3.csv?sv=2022-11-02&se=2026-12-31&sp=r&sig={v}"
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            "PM-8217: the mirror job pushed state to GitLab with {v}.",
            "export GITLAB_TOKEN={v}",
            "git remote add mirror https://oauth2:{v}@gitlab.marrowby.internal/infra/terraform.git",
            "  runner_token: {v}",
            "> {who}: the deploy token for the chart repo is {v}",
        ],
    ),
    (
        "vendor-token",
        sendgrid,
        [
            "PM-8211: the second send went out through SendGrid with key {v}, the fallback configured in 2024.",
            "SENDGRID_API_KEY={v}",
            '{"ts":"{ts}","svc":"notify-cron","provider":"sendgrid","api_key":"{v}"}',
        ],
    ),
    (
        "vendor-token",
        twilio_sid,
        [
            "PM-8230: SMS step-up codes were sent via Twilio account {v}.",
            "  twilio_sid: {v}",
        ],
    ),
    (
        "vendor-token",
        hexk(32),
        [
            "TWILIO_AUTH_TOKEN={v}",
            "PM-8224: the Datadog agent on the LB hosts used API key {v} (DD_API_KEY in the user-data).",
            "  algolia_admin_key: {v}",
        ],
    ),
    ("vendor-token", hexk(40), ["  datadog_app_key: {v}"]),
    ("vendor-token", lambda: "key-" + rs(HEX, 32), ["MAILGUN_API_KEY={v}"]),
    (
        "vendor-token",
        tfc_token,
        [
            'credentials "app.terraform.io" {\n  token = "{v}"\n}',
            "PM-8217: the HCP Terraform team token {v} was in `~/.terraformrc` on the runner image.",
        ],
    ),
    (
        "vendor-token",
        vault_token,
        [
            "RB-72 step 7: revoke the Vault token cached in `~/.vault-token`: {v}",
            "VAULT_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        pre("npm_", ALNUM, 36),
        [
            "//registry.npmjs.org/:_authToken={v}",
            "PM-8203: the schema package was published with {v} from a developer machine.",
        ],
    ),
    (
        "vendor-token",
        pre("sk-proj-", ALNUM + "-_", 120),
        [
            "ADR-061: the support-ticket summariser calls OpenAI with {v}; prompts contain customer data, so retention rules apply.",
            "OPENAI_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        pre("sk-ant-api03-", ALNUM + "-_", 93),
        ["PM-8230: the rule-explainer prototype used Anthropic key {v} in a notebook."],
    ),
    (
        "vendor-token",
        pre("hf_", ALNUM, 34),
        ["PM-8230: the model was pulled with HF token {v} in the Dockerfile ARG."],
    ),
    (
        "vendor-token",
        pre("dckr_pat_", ALNUM + "-_", 27),
        [
            "$ echo {v} | docker login -u marrowbyci --password-stdin",
            "RB-72: Docker Desktop on the laptop was signed in with PAT {v}.",
        ],
    ),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        ["ADR-064: cache dashboards are provisioned with Grafana service account token {v}."],
    ),
    (
        "vendor-token",
        pre("NRAK-", UP + DIG, 27),
        ["PM-8203: gateway traces go to New Relic with user key {v}."],
    ),
    (
        "vendor-token",
        pre("sntrys_", B64URL, 80),
        ["SENTRY_AUTH_TOKEN={v}"],
    ),
    (
        "vendor-token",
        pre("dop_v1_", HEX, 64),
        ["PM-8217: the state also covered a DigitalOcean provider with token {v}."],
    ),
    (
        "vendor-token",
        pre("shpat_", HEX, 32),
        ["PM-8230: the Shopify storefront sync used admin token {v}."],
    ),
    (
        "vendor-token",
        pre("lin_api_", ALNUM, 40),
        ["> {who}: Linear API key for the incident bot is {v}"],
    ),
    (
        "vendor-token",
        pre("ATATT3xFfGF0", ALNUM + "-_", 180),
        ["RB-72: the Jira CLI on the laptop stored {v} in plain text."],
    ),
    (
        "vendor-token",
        pre("dapi", HEX, 32),
        ["ADR-061: the Databricks purge job authenticates with {v}."],
    ),
    (
        "vendor-token",
        age_key,
        ["PM-8217: the sops age key used for tfvars was {v}, kept next to the encrypted file."],
    ),
    (
        "vendor-token",
        mapbox_sk,
        ["PM-8224: the ops map view used Mapbox secret token {v}."],
    ),
    (
        "vendor-token",
        pre("pypi-AgEIcHlwaS5vcmcCJ", B64URL, 140),
        ["ADR-064: the cache client library is published with {v} from CI."],
    ),
    (
        "vendor-token",
        pre("00", ALNUM + "-_", 40),
        ["RB-72 step 8: revoke the Okta API token: `Authorization: SSWS {v}`"],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM + "_-", 40),
        [
            "CLOUDFLARE_API_TOKEN={v}",
            "PM-8224: the Fastly purge key {v} was hard-coded in the LB's cache-purge hook.",
            "  fastly_api_key: {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "EAAA" + rs(ALNUM + "-_", 60),
        ["PM-8230: Square's fraud signals were fetched with access token {v}."],
    ),
    (
        "vendor-token",
        lambda: rs(HEX, 32),
        [
            "PM-8203: SENTRY_DSN=https://{v}@o448812.ingest.sentry.io/5521107",
        ],
    ),
]


COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "PM-8211: the first complaint came from {v}, who got the same reminder at {t} and again eleven minutes later.",
            '{"ts":"{ts}","svc":"notify-cron","event":"sent","to":"{v}","template":"renewal-reminder-7d"}',
            '| {t} | support | ticket #{num} from {v}: "why did you email me twice?" |',
            "INSERT INTO suppression_list (email, reason) VALUES ('{v}', 'duplicate-reminder');",
            "PM-8230: the customer whose orders were blocked four times, {v}, escalated on social media.",
            "RB-72 step 1: the laptop owner reports the theft from a personal address ({v}) because SSO is locked.",
            "time={ts} level=info svc=fraud-scorer decision=review email={v} score=0.91",
            "To: {v}\nSubject: Your renewal is coming up",
            "ADR-061: an erasure request from {v} took 41 days last year; the target in this ADR is 30.",
            "> {who}: can someone check {v}? they say they got three mails",
            'PM-8203: the GraphQL error included the viewer\'s email, e.g. `"email": "{v}"`, in the `extensions` block.',
            "Dec 03 {t}:09 mail-relay postfix/smtp[{pid}]: 4A1F23C0B2: to=<{v}>, relay=mx.marrowby.internal, status=sent",
            "PM-8224: a user on the wrong pool saw another customer's profile ({v}) in the account page.",
            "    customer_email: {v}",
        ],
    ),
    (
        "phone",
        phone,
        [
            "PM-8230: the cardholder called from {v} to ask why the card was declined.",
            '{"ts":"{ts}","svc":"fraud-scorer","sms_to":"{v}","template":"step-up"}',
            "RB-72: the laptop owner can be reached on {v} until the replacement arrives.",
            "| {t} | {who} | called the customer back on {v} |",
            "PM-8211: a customer left a voicemail from {v} about the duplicate reminder.",
            '  phone: "{v}"',
            'time={ts} level=warn svc=notify-cron msg="sms fallback" msisdn={v}',
            "> {who}: their number is {v} if you want to call",
            "ADR-061: call recordings are linked to the caller id (e.g. {v}) and fall under the 90-day rule.",
            "PM-8224: the misrouted session showed the profile phone {v} to a different account.",
            "UPDATE customers SET phone = '{v}' WHERE id = 40412;",
            "Escalation contact for the LB vendor on-site engineer: {v}",
            'PM-8203: a GraphQL error echoed the input variable `$phone: "{v}"`.',
            "RB-72 step 9: the police reference was given over the phone, from {v}.",
        ],
    ),
    (
        "credit-card",
        card,
        [
            "PM-8230: the transaction that started the storm used card {v}, flagged by `velocity-3` within seconds.",
            '{"ts":"{ts}","svc":"fraud-scorer","pan":"{v}","decision":"decline","rule":"velocity-3"}',
            "| {t} | support | customer read their full card number ({v}) into the chat |",
            "SELECT * FROM review_queue WHERE card_number = '{v}';",
            "PM-8203: a debug log in the gateway printed the `paymentMethod.number` variable: {v}",
            'time={ts} level=error svc=ledger-api msg="tokenize failed" card={v}',
            "ADR-061: raw PANs like {v} found in the 2025 audit must never reach the archive.",
            "> {who}: customer says it's {v}, exp 09/29",
            "PM-8224: the error page rendered the last checkout form with the card {v} still in it.",
            '    pan: "{v}"',
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "PM-8224: all misrouted requests came through one customer NAT, {v}.",
            '{"ts":"{ts}","svc":"edge-lb","client_ip":"{v}","target":"graphql-gw-green","status":502}',
            '{v} - - [03/Dec/2026:{t}:12 +0000] "POST /graphql HTTP/1.1" 504 0 "-" "okhttp/4.12"',
            "PM-8230: {v} submitted 400 orders in five minutes and tripped the rule for everyone behind the same carrier NAT.",
            "RB-72: the laptop last checked in with MDM from {v} an hour after the theft.",
            "| {t} | {who} | blocked {v} at the WAF |",
            "time={ts} level=info svc=graphql-gw remote_addr={v} op=CheckoutMutation",
            "PM-8217: the public bucket's access log shows a GET of `terraform.tfstate` from {v}.",
            "ADR-061: access logs keep the full client address ({v} in the sample) for 14 days, then truncate it.",
            "> {who}: whose IP is {v}? it's hammering the cache purge endpoint",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            "PM-8224: the second source was {v}, a mobile carrier's address.",
            '{"ts":"{ts}","svc":"edge-lb","client_ip":"{v}","status":502}',
            "RB-72: MDM's last seen address for LT-0412 was {v}.",
            "PM-8217: the second download of the state file came from {v}.",
            "time={ts} svc=fraud-scorer ip={v} decision=review",
            "| {t} | {who} | added {v} to the fraud allowlist after the customer called |",
        ],
    ),
    (
        "national-id",
        ssn,
        [
            "PM-8203: a `Customer` resolver leaked the `taxId` field: {v}.",
            '{"ts":"{ts}","svc":"fraud-scorer","kyc":{"ssn":"{v}","match":false}}',
            "ADR-061: the KYC table stores SSNs such as {v} in full; the ADR requires last-four only after 180 days.",
            "> {who}: customer gave SSN {v} for verification, can I delete this message?",
        ],
    ),
    (
        "national-id",
        nino,
        [
            "PM-8230: a UK customer's National Insurance number, {v}, was in the review notes.",
            "  ni_number: {v}",
            "RB-72: the HR export on the laptop included NI numbers, e.g. {v}.",
            "ADR-061: payroll keeps NINOs ({v} in the example export) for six years.",
        ],
    ),
]


RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "iban",
        lambda: iban(rng.choice(["GB", "DE", "FR"])),
        [
            "PM-8230: the refund went to IBAN {v} after the block was lifted.",
            '  "payout_account": "{v}",',
            "ADR-061: bank details such as {v} are kept for seven years for tax reasons.",
            "> {who}: the merchant's settlement IBAN is {v}",
            "RB-72: the finance spreadsheet on the laptop listed supplier IBANs, e.g. {v}.",
        ],
    ),
]


def sha256d() -> str:
    return "sha256:" + rs(HEX, 64)


def traceparent() -> str:
    return f"00-{rs(HEX, 32)}-{rs(HEX, 16)}-01"


def ulid() -> str:
    return rng.choice("01") + rs("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 25)


def gcp_res() -> str:
    return f"projects/marrowby-fraud/locations/europe-west2/instances/cache-{rs(LOW + DIG, 6)}"


def az_res() -> str:
    return f"/subscriptions/{uuid4()}/resourceGroups/rg-archive/providers/Microsoft.Storage/storageAccounts/mbarchive"


def order_no() -> str:
    return rng.choice(
        [
            f"MB-{rs(DIG, 8)}",
            f"INV-2026-{rs(DIG, 6)}",
            f"{rng.randint(200, 989)}-{rng.randint(200, 989)}-{rng.randint(2000, 9899)}",
            f"ORD{rs(DIG, 10)}",
        ]
    )


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "PM-8203: the resolver change that removed the DataLoader batching landed in {v}.",
            "| {t} | {who} | rolled graphql-gw back to {v} |",
            "PM-8211: `git bisect` points at {v}, which dropped the `sent_at IS NULL` condition from the reminder query.",
            '{"ts":"{ts}","svc":"tf-runner","module":"lb","ref":"{v}"}',
            "$ git show --stat {v}",
            "ADR-064: benchmark numbers are from cache-bench at {v}.",
            'PM-8217: the bucket policy was made public by {v} ("temporary, for the audit vendor").',
            "PM-8224: listener rule priorities were renumbered in {v}.",
            "PM-8230: the rule threshold `velocity-3 >= 3` came from {v}.",
            'time={ts} level=info svc=fraud-scorer rules_commit={v} msg="rules reloaded"',
            "RB-72: the MDM profile repo is pinned at {v}.",
            "ADR-061: the purge job as reviewed is at {v}.",
            '  source = "git::https://github.com/marrowby/tf-modules.git//alb?ref={v}"',
            "image: registry.marrowby.internal/notify-cron:git-{v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "PM-8211: the reminder batch id was {v}; it ran twice under the same id.",
            '{"ts":"{ts}","svc":"notify-cron","batch_id":"{v}","sent":48211}',
            "RB-72: MDM device id of the stolen laptop: {v}.",
            "| {t} | {who} | opened vendor case {v} with the LB provider |",
            "PM-8230: the review queue item {v} was the first false positive confirmed by support.",
            "  subscription_id: {v}",
            "ADR-061: each erasure request gets a request id like {v} that is kept after the data is gone.",
            "PM-8203: the persisted query id {v} was the expensive one.",
            "time={ts} level=info svc=retention-sweeper job_id={v} deleted=12044",
            "PM-8217: the Terraform run that wrote the state was run {v}.",
            'resource "azurerm_role_assignment" "archive" {\n  principal_id = "{v}"\n}',
            "ADR-064: cache namespace {v} belongs to the catalogue service.",
            "PM-8224: target group attachment {v} pointed at the green pool.",
            "x-request-id: {v}",
        ],
    ),
    (
        "hash-or-digest",
        sha256d,
        [
            "image: registry.marrowby.internal/graphql-gw@{v}",
            "PM-8203: the bad image digest was {v}.",
            "| {t} | {who} | pinned fraud-scorer to {v} |",
            '{"svc":"notify-cron","image_digest":"{v}"}',
            "ADR-064: the Valkey image we evaluated is {v}.",
            "PM-8217: the leaked state object's checksum was {v}.",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            "PM-8217: `serial` 412 had lineage hash {v}.",
            "RB-72: the disk image of the laptop backup has SHA-256 {v}.",
            "ADR-061: the audit log chain head after the purge was {v}.",
            "PM-8230: model artifact sha256 {v}.",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 32),
        [
            'ETag: "{v}"',
            "PM-8211: the template body's md5 was {v} in both sends, so it was not a template change.",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha384-" + b64(rbytes(48)),
        [
            '<script src="https://cdn.marrowby.io/gql-client.js" integrity="{v}" crossorigin="anonymous"></script>',
            "ADR-064: the client bundle's SRI hash is {v}.",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "h1:" + b64(rbytes(32)),
        [
            'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.82.1"\n  hashes = [\n    "{v}",\n  ]\n}',
            "PM-8217: the lock file hash for the aws provider was {v}.",
        ],
    ),
    (
        "trace-id",
        traceparent,
        [
            "traceparent: {v}",
            "PM-8203: the slowest trace of the outage: {v}.",
            '{"ts":"{ts}","svc":"graphql-gw","traceparent":"{v}","duration_ms":29811}',
        ],
    ),
    (
        "trace-id",
        lambda: f"1-{rs(HEX, 8)}-{rs(HEX, 24)}",
        [
            "PM-8224: the ALB trace header for a misrouted request: X-Amzn-Trace-Id: Root={v}",
            "| {t} | {who} | first 502 with trace {v} |",
        ],
    ),
    (
        "trace-id",
        ulid,
        [
            "PM-8211: the duplicate send's job id was {v}.",
            "time={ts} level=info svc=notify-cron job={v} state=done",
            "RB-72: the incident record for the theft is {v} in the ITSM tool.",
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            "PM-8230: trace_id={v} shows the scorer waiting 2.4 s for the feature store.",
            '{"ts":"{ts}","svc":"fraud-scorer","trace_id":"{v}","span_id":"4f1c2a9be07d3318"}',
            "ADR-064: in the benchmark the slowest miss is trace {v}.",
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 16),
        [
            "cf-ray: {v}-LHR",
            "PM-8224: request id {v} hit graphql-gw-green although the client was pinned to blue.",
            "x-amz-request-id: {v}",
        ],
    ),
    (
        "cloud-resource-id",
        arn,
        [
            "PM-8217: the bucket was {v}.",
            "| {t} | {who} | detached policy from {v} |",
            '  role_arn = "{v}"',
            "PM-8224: the listener forwarded to {v} after the rule change.",
            "ADR-064: the current cluster is {v}.",
            "RB-72: the laptop owner's role was {v}; sessions revoked at {t}.",
        ],
    ),
    (
        "cloud-resource-id",
        res_id,
        [
            "PM-8224: the green pool ran on {v}.",
            "| {t} | {who} | terminated {v} |",
            "PM-8217: state listed the runner's security group {v}.",
            "time={ts} svc=edge-lb target={v} health=unhealthy reason=Target.Timeout",
        ],
    ),
    (
        "cloud-resource-id",
        gcp_res,
        [
            "ADR-064: option B is Memorystore {v}.",
            "PM-8230: the feature cache is {v}.",
        ],
    ),
    (
        "cloud-resource-id",
        az_res,
        [
            "ADR-061: cold archives live in {v}.",
            "PM-8217: the Azure part of state managed {v}.",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"projects/marrowby-prod/secrets/{rng.choice(['notify-smtp', 'gql-db', 'fraud-stripe'])}/versions/{rng.randint(2, 40)}"
        ),
        [
            "PM-8211: the SMTP password lives in Secret Manager at {v}; nothing else is stored in the repo.",
            "  secretRef: {v}",
        ],
    ),
    (
        "placeholder",
        one_of(
            "postgres://USER:PASSWORD@HOST:5432/DBNAME",
            "AKIAXXXXXXXXXXXXXXXX",
            "<your-github-token>",
            "xoxb-your-bot-token",
            "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "changeme",
            "<REDACTED>",
            "YOUR_API_KEY_HERE",
            "[redacted]",
            "-----BEGIN PRIVATE KEY-----\n<paste key here>\n-----END PRIVATE KEY-----",
            "eyJhbGciOi...<truncated>",
            "ghp_<token>",
            "redis://:<password>@cache-primary:6379",
            "********",
            "REPLACE_ME",
            "Bearer <token>",
            "<set-in-ci>",
        ),
        [
            "RB-72 template: DATABASE_URL={v}",
            "ADR-064 example config: `aws_access_key_id = {v}`",
            "PM-8203 follow-up: the README now says `GITHUB_TOKEN={v}`.",
            "  slack_token: {v}",
            "PM-8230: the runbook example is `STRIPE_SECRET_KEY={v}`.",
            '  webhook_url: "{v}"',
            "PM-8211: the default SMTP password in the chart was literally `{v}`, which is why prod failed closed.",
            "| {t} | {who} | replaced the pasted key in the doc with {v} |",
            "ADR-061 example: `curl -H 'X-Api-Key: {v}' ...`",
            'PM-8217: the state excerpt in this document shows `secret = "{v}"`.',
            "RB-72: put the recovery key in this format:\n{v}",
            "PM-8203: the token in the screenshot is shown as {v}.",
            "  token: {v}",
            "ADR-064 sample: CACHE_URL={v}",
            "  pg_admin_password: {v}  # filled in by the chart",
            "PM-8224 template: probe password = {v}",
            "curl -H 'Authorization: {v}' https://api.marrowby.io/graphql",
            'conftest.py: DB_PASSWORD = "{v}"',
        ],
    ),
    (
        "templated-value",
        one_of(
            "${DB_PASSWORD}",
            "{{ .Values.redis.password }}",
            "$(vault kv get -field=token secret/slack/bot)",
            "var.db_password",
            "${{ secrets.GITHUB_TOKEN }}",
            "{{ lookup('env', 'STRIPE_KEY') }}",
            "${env:AWS_SECRET_ACCESS_KEY}",
            "$(cat /run/secrets/smtp_password)",
            "data.aws_secretsmanager_secret_version.gql.secret_string",
            '{{ secret "cache/password" }}',
            "%(SENTRY_DSN)s",
            "vault:secret/data/notify#smtp_password",
            "ENC[AES256_GCM,data:Tr0pq1,iv:Q2F,tag:Zm9v,type:str]",
            "$__file{/etc/secrets/grafana_admin}",
        ),
        [
            "  gateway_db_password: {v}",
            "  redis_password: {v}",
            "export SLACK_BOT_TOKEN={v}",
            "password = {v}",
            "          token: {v}",
            '  stripe_key: "{v}"',
            "AWS_SECRET_ACCESS_KEY={v}",
            "SMTP_PASS={v}",
            "PM-8203: the datasource password now comes from `{v}`.",
            "ADR-064: the cache client reads its password from {v}.",
            "SENTRY_DSN = {v}",
            "  smtp_password: {v}",
            "  db_password: {v}",
            "[security]\nadmin_password = {v}",
        ],
    ),
    (
        "masked-value",
        one_of(
            "AKIA************WQ7Z",
            "ghp_****************************Xk2d",
            "sk_live_…9fQa",
            "xoxb-…-…-****",
            "postgres://gql_ro:***@pg-orders.marrowby.internal:5432/orders",
            "****-****-****-4417",
            "***-**-6621",
            "j***@m***.com",
            "+44 **** ***412",
            "Bearer eyJ…(redacted)",
            "AB ** ** ** C",
            "XX XX XX XX",
        ),
        [
            "PM-8217: the scanner reported the key as {v}.",
            "| {t} | {who} | token {v} rotated |",
            "PM-8230: Stripe shows the key as {v} in the dashboard.",
            "RB-72: the token list in Slack admin shows {v}.",
            'time={ts} svc=graphql-gw dsn={v} msg="pool ready"',
            "PM-8230: the customer's card is shown as {v} in the review UI.",
            "ADR-061: after 180 days the SSN column keeps only {v}.",
            "PM-8211: the support macro shows the address as {v}.",
            "PM-8224: the leaked profile page showed the phone as {v}, so only the last digits were exposed.",
            "PM-8203: logs now print `authorization={v}`.",
            "ADR-061: NINOs in the archive are stored as {v}.",
            "RB-72: the IBAN field in the export is masked as GB82 {v} 5432.",
        ],
    ),
    (
        "keyword-no-value",
        one_of(
            "password",
            "AWS_SECRET_ACCESS_KEY",
            "Authorization",
            "secret_key",
            "smtp_password",
            "token",
            "client_secret",
            "X-Api-Key",
            "DB_PASSWORD",
            "stripe_api_key",
            "sensitive = true",
            "passphrase",
            "webhook URL",
            "SLACK_BOT_TOKEN",
            "GITHUB_TOKEN",
            "CACHE_PASSWORD",
        ),
        [
            "PM-8217: Terraform stores every `{v}` attribute of a resource in state in plain text.",
            "ADR-061: `{v}` must never be logged; the logger drops the field by name.",
            "PM-8203: the gateway redacts the header named `{v}` since this incident.",
            "RB-72 step 6: rotate every `{v}` that was on the laptop.",
            "PM-8211: the cron's `{v}` setting was empty in staging, so staging never sent.",
            "| {t} | {who} | checked that no `{v}` is left in the state file |",
            "PM-8224: the LB module takes no {v} argument any more.",
            "ADR-064: the cache never stores responses for requests with an `{v}` header.",
            "PM-8230: the notebook's {v} cell was cleared before sharing.",
            'Error: missing required field "{v}"',
            "PM-8217: mark outputs with `{v}` so the CLI hides them.",
            "RB-72: the owner confirmed their {v} was stored only in the keychain.",
            "ADR-061: a {v} is secret data, not personal data, and follows the rotation policy.",
            "  - name: {v}\n    valueFrom:\n      secretKeyRef:\n        name: gql-secrets\n        key: token",
            "PM-8203: the schema registry sync no longer needs a {v}.",
            "ADR-064: `{v}` is read from the environment at start.",
        ],
    ),
    (
        "private-or-reserved-ip",
        rsv_ip,
        [
            "PM-8224: the blue pool's targets were {v} and two others in the same subnet.",
            "| {t} | {who} | drained {v} from the green target group |",
            '{"ts":"{ts}","svc":"edge-lb","target":"{v}:8080","status":502}',
            'time={ts} level=warn svc=cache-proxy upstream={v}:6379 msg="connection reset"',
            "PM-8203: the gateway pod at {v} ran out of file descriptors.",
            "RB-72: the laptop's last private address on the office Wi-Fi was {v}.",
            "  - address: {v}\n    port: 11211",
            "ADR-064: benchmark client ran from {v}.",
            "PM-8230: the feature store endpoint resolved to {v}.",
            "$ redis-cli -h {v} INFO replication",
            "PM-8217: the runner's private address was {v}.",
            "server gql-blue-1 {v}:8080 check inter 2s",
            "PM-8211: SMTP relay at {v} accepted both batches.",
            "ADR-061: the retention sweeper runs on {v}.",
            "Dec 03 {t}:51 edge-lb-1 haproxy[{pid}]: backend graphql-green has no server available! from {v}",
            "dig +short graphql-gw.marrowby.internal\n{v}",
            '  bind_address = "{v}"',
            "PM-8224: health checks came from {v}.",
        ],
    ),
    (
        "example-email",
        ex_email,
        [
            "PM-8211: the reminder template's sample recipient is {v}.",
            "From: {v}",
            "RB-72 template: notify {v} of the theft.",
            "  owner: {v}",
            '{"to":"{v}","template":"renewal-reminder-7d","dry_run":true}',
            "ADR-061 example erasure request from {v}.",
            "PM-8230: the test customer {v} was used for replaying the rule.",
            "INSERT INTO customers (email) VALUES ('{v}');",
            "> {who}: I used {v} for the repro",
            "ADR-064: cache keys embed the account email hash, never the email ({v} in this example).",
            "PM-8203: the failing query in the repro was for viewer {v}.",
            "Reply-To: {v}",
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
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        [
            "ADR-064: the config example uses the AWS documentation key {v}.",
            "[marrowby-docs]\naws_secret_access_key = {v}",
            "RB-72 training slide: a leaked key looks like `{v}`.",
            "  AWS_SECRET_ACCESS_KEY: {v}",
            "PM-8217: the unit test fixture sets access key {v}.",
            "export AWS_SECRET_ACCESS_KEY={v}",
            'tests/fixtures/tfstate.json: "id": "{v}"',
            '  "SecretAccessKey": "{v}",',
            "ADR-061 example IAM key (from the AWS docs): {v}",
            "moto mock credentials: secret={v}",
        ],
    ),
    (
        "version-or-date",
        one_of(
            "v2.14.3",
            "1.9.8",
            "2026-12-03T04:17:22Z",
            "Dec  3 04:17:22",
            "1764735442",
            "5.82.1",
            "7.2.4",
            "2026-11-30",
            "v1.27.0-rc.2",
            "2026-W49",
            "20261203T041722Z",
            "03/Dec/2026:04:17:22 +0000",
            "4.12.0",
            "1764735442123",
            "2.3.0+build.7781",
            "8.0.1-alpine3.20",
        ),
        [
            "PM-8203: graphql-gw {v} introduced the regression.",
            "PM-8217: Terraform {v} was used for the run.",
            "PM-8211: the first duplicate was sent at {v}.",
            "RB-72: theft reported at {v}.",
            'time={ts} level=info svc=notify-cron epoch={v} msg="batch start"',
            "PM-8217: hashicorp/aws provider {v}.",
            "ADR-064: Redis {v} vs Valkey 8.0.1.",
            "ADR-061: retention clock starts on {v}.",
            "PM-8224: the AWS Load Balancer Controller {v} changed the default rule ordering.",
            "PM-8230: rule review week {v}.",
            "  x-amz-date: {v}",
            '{pip} - - [{v}] "GET /healthz HTTP/1.1" 200 2',
            "PM-8230: okhttp {v} clients were affected.",
            '{"ts_ms":{v},"svc":"fraud-scorer","msg":"rule hit"}',
            "PM-8211: notify-cron {v} contains the fix.",
            "image: valkey/valkey:{v}",
        ],
    ),
    (
        "public-key-or-cert",
        ssh_pub,
        [
            "RB-72 step 2: remove the laptop's key from authorized_keys: `{v}`",
            "  ssh_authorized_keys:\n    - {v}",
            "PM-8217: state showed `tls_private_key.runner.public_key_openssh` = {v}",
        ],
    ),
    (
        "public-key-or-cert",
        ssh_rsa_pub,
        ["RB-72: the owner's old RSA key, also to be removed: {v}"],
    ),
    (
        "public-key-or-cert",
        pub_pem,
        [
            "PM-8203: the gateway verifies tokens with this public key:\n{v}",
            "ADR-061: the export signing public key, published for customers:\n{v}",
            "  jwt_public_key: |\n{v}",
        ],
    ),
    (
        "public-key-or-cert",
        cert_pem,
        [
            "PM-8224: the listener certificate (public part):\n{v}",
            "$ openssl s_client -connect api.marrowby.io:443 -showcerts </dev/null\n{v}",
            "ADR-064: the cache's server certificate is\n{v}",
        ],
    ),
    (
        "ids-and-numbers",
        order_no,
        [
            "PM-8230: order {v} was the first one blocked by `velocity-3`.",
            "| {t} | support | refund issued for {v} |",
            '{"ts":"{ts}","svc":"orders-api","order":"{v}","status":"held"}',
            "PM-8211: invoice {v} was attached to both reminders.",
            "ADR-061: invoices such as {v} are kept for seven years.",
            "Customer reference: {v}",
            "PM-8224: order {v} was placed on the wrong pool and later replayed.",
            "> {who}: can you look at {v}? it's stuck in review",
            "time={ts} svc=ledger-api order={v} amount=149.00 currency=GBP",
            "UPDATE orders SET status='released' WHERE ref='{v}';",
            "RB-72: the replacement laptop is PO {v}.",
            "PM-8203: checkout mutation for {v} timed out at the gateway.",
        ],
    ),
    (
        "ids-and-numbers",
        one_of("INC-40211", "CHG-11872", "PM-8203", "JIRA FRAUD-2291"),
        [
            "| {t} | {who} | change {v} approved |",
            "RB-72: file the theft under {v}.",
            "ADR-064 supersedes the caching section of {v}.",
            "PM-8230: tracked in {v}.",
        ],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            "PM-8230: the rule also fired on loyalty number {v}, which fails the card checksum.",
            '{"ts":"{ts}","svc":"fraud-scorer","pan_candidate":"{v}","luhn":false}',
            "> {who}: {v} is a gift-card serial, not a card",
            "  tracking_number: {v}",
            "PM-8211: the reminder showed account number {v}.",
            "ADR-061: 16-digit internal ids like {v} are not PANs and need no masking.",
            "SELECT * FROM shipments WHERE tracking = '{v}';",
            "PM-8224: the load test used fake card {v}, rejected by the checksum.",
            "| {t} | {who} | {v} turned out to be a parcel id |",
            "RB-72: asset tag barcode {v}.",
        ],
    ),
    (
        "documented-test-card",
        one_of(
            "4242 4242 4242 4242",
            "4000056655665556",
            "5555 5555 5555 4444",
            "378282246310005",
            "6011111111111117",
            "4111-1111-1111-1111",
            "2223003122003222",
            "4000000000000002",
            "5105105105105100",
            "4000002500003155",
        ),
        [
            "PM-8230: the rule replay used Stripe's test card {v}.",
            '  test_card: "{v}"',
            "ADR-061: fixtures may use documented test cards only, e.g. {v}.",
            "$ stripe payment_methods create --type card --card number={v}",
            "PM-8224: the synthetic checkout probe pays with {v}.",
            "> {who}: use {v} for the repro, it's the test card",
            '{"svc":"orders-api","env":"staging","card":"{v}","result":"approved"}',
            "PM-8203: the load test sends {v} in the checkout mutation.",
            "| test | card |\n|---|---|\n| decline | {v} |",
            "PM-8230: staging card {v} passed the new rule.",
        ],
    ),
    (
        "base64-nonsecret",
        b64_plain,
        [
            "PM-8203: the cursor in the failing query was `{v}`.",
            "  annotation: {v}",
            "ADR-061: the policy blob {v} decodes to the retention setting.",
            '{"ts":"{ts}","svc":"fraud-scorer","payload":"{v}"}',
            "RB-72: MDM command result {v}.",
            "ADR-064: header `X-Cache-Policy: {v}`",
            "PM-8224: the LB annotation value {v} only names the target group.",
            "PM-8217: workspace marker {v}.",
            "PM-8230: rule metadata {v}.",
            "PM-8211: batch note {v}.",
        ],
    ),
]


RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "ids-and-numbers",
        one_of("C05GQLOUTG", "T02MARROWBY", "U04DAGNY01", "B07NOTIFYCRN"),
        [
            "PM-8203: the incident channel was {v}.",
            "RB-72: the Slack team id is {v}.",
            "PM-8230: the reviewer's Slack user id {v} appears in the digest.",
            "PM-8211: the cron's Slack bot id is {v}.",
        ],
    ),
    (
        "cloud-resource-id",
        one_of(
            "graphql-gw-7d9c8b6f5-x2k4q",
            "mbarchive.blob.core.windows.net",
            "cache-primary.abc123.euw2.cache.amazonaws.com",
            "tf-runner-5f7b9c",
        ),
        [
            "PM-8203: the first pod to crash was {v}.",
            "ADR-061: the archive endpoint is {v}.",
            "ADR-064: the current ElastiCache endpoint is {v}.",
            "PM-8217: the runner deployment is {v}.",
        ],
    ),
    (
        "keyword-no-value",
        one_of("SENTRY_DSN", "TWILIO_AUTH_TOKEN", "sops", "ARM_CLIENT_SECRET"),
        [
            "PM-8203: `{v}` was unset, so the gateway errors were not reported.",
            "PM-8230: the SMS fallback failed because {v} was empty.",
            "PM-8217: tfvars are now encrypted with {v}.",
            "PM-8217: Azure auth uses OIDC now; {v} was removed from the runner.",
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
