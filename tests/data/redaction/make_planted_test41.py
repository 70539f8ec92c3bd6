# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test41.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test41.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270141)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a sports-betting odds platform, Furlongby Odds (FBO): PM-41 the odds-feed
outage on derby day (Kafka, Redis, ClickHouse, pricing engine), PM-44 the payment-key leak in the web
bundle (Adyen, Stripe, Braintree, Square), PM-47 the KYC vendor export leak (Onfido, Okta, national
ids), RB-5 rotating the sports-data feed and identity credentials (Vault, Okta, feed API keys), RB-8
mobile app release signing (fastlane, App Store Connect, Google Play, Firebase, Sentry), ADR-19
responsible-gambling alerts by SMS and e-mail (Twilio, SendGrid, Mailgun, PagerDuty), ADR-23 moving
the risk engine to Kubernetes (Terraform, AWS, Cloudflare, Docker Hub, Buildkite) and PM-49 a
withdrawals export mailed to an affiliate (cards, IBANs, phones). Common shapes come first in each
kind (``t41p…``/``t41n…``).
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
OUT = HERE / "planted_test41.jsonl"
FOLD = "test41"
rng = Random(20270141)
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
    "furlong",
    "paddock",
    "jockey",
    "stewards",
    "handicap",
    "photofinish",
    "gallop",
    "silks",
    "bookie",
    "accumulator",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["odds-feed", "risk-engine", "settlement", "kyc-sync", "affiliate-api"], WORDS)


def api_jwt() -> str:
    body = {
        "iss": "https://id.furlongby.example/",
        "sub": "punter|" + rs(DIG, 7),
        "aud": "sportsbook-api",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 20)}, body, rs(B64URL, 342))


def svc_jwt() -> str:
    body = {
        "iss": "risk-engine",
        "sub": "svc:pricing",
        "scope": "odds:write",
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def adyen_key() -> str:
    return "AQE" + rs(ALNUM, 5) + "Z" + rs(ALNUM, 38) + "=-" + rs(B64, 43) + "=-" + rs(ALNUM, 16)


def braintree_token() -> str:
    return f"access_token$production${rs(LOW + DIG, 16)}${rs(HEX, 32)}"


def square_token() -> str:
    return "EAAA" + rs(B64URL, 60)


def okta_token() -> str:
    return "00" + rs(B64URL, 40)


def sentry_token() -> str:
    return (
        "sntrys_"
        + b64url(
            json.dumps(
                {"iat": rng.randint(1_790_000_000, 1_799_000_000), "org": "furlongby"}, separators=(",", ":")
            ).encode()
        )
        + "_"
        + rs(B64URL, 43)
    )


def mailgun_key() -> str:
    return "key-" + rs(HEX, 32)


def pagerduty_rest() -> str:
    return "u+" + rs(B64URL, 18)


def cloudflare_token() -> str:
    return rs(B64URL, 40)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def buildkite_token() -> str:
    return "bkua_" + rs(HEX, 40)


def hf_token() -> str:
    return "hf_" + rs(UP + LOW, 34)


def databricks_token() -> str:
    return "dapi" + rs(HEX, 32)


def doppler_token() -> str:
    return "dp.st.prd." + rs(ALNUM, 40)


def vault_token() -> str:
    return "hvs." + rs(ALNUM + "_-", 90)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def contentful_pat() -> str:
    return "CFPAT-" + rs(B64URL, 43)


def supabase_key() -> str:
    return "sbp_" + rs(HEX, 40)


def onfido_token() -> str:
    return "api_live." + rs(B64URL, 11) + "." + rs(B64URL, 32)


def hubspot_pat() -> str:
    return "pat-eu1-" + uuid4()


def clickhouse_pw() -> str:
    return rs(ALNUM, 12) + "~" + rs(ALNUM, 8)


def teams_hook() -> str:
    return f"https://furlongby.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"


def pd_events_url() -> str:
    return f"https://events.pagerduty.com/integration/{rs(HEX, 32)}/enqueue"


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSy{rs(B64URL, 33)}&token={rs(B64URL, 43)}"


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = [
    "bartholomew",
    "clementine",
    "desmond",
    "georgiana",
    "lysander",
    "ottoline",
    "percival",
    "tabitha",
    "wilfred",
]
LAST = ["ashcombe", "brightwater", "cutteridge", "dunnock", "fairclough", "hartwell", "pennyfeather"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "live.co.uk",
    "hotmail.com",
    "mail.com",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["odds-feed", "pricing", "risk-engine", "settlement", "kyc-sync", "rg-alerts", "bet-api", "cashier"]
STAFF = ["fenella", "oluwaseun", "radek", "ingrid", "tomasz", "ayesha", "callum", "mireille"]
HOSTS = ["kafka-2", "redis-odds-1", "ch-01", "pricing-3", "cashier-1", "bk-agent-4", "vault-2"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "mkt": lambda: f"1.{rng.randint(200_000_000, 299_999_999)}",
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 900)),
}

TL = "| {t} | #fbo-incident | {who}: "
CHAT = "[{t}] {who} (#trading-floor-eng): "
TICKET = "Freshdesk #{tkt} (private note, {who}): "
HIST = "  {num}  "
BK = "~~~ Running script .buildkite/release.sh\n"
PYTRACE = 'Traceback (most recent call last):\n  File "/srv/pricing/feed.py", line 212, in reconnect\n    session.login()\n'
JTRACE = 'Exception in thread "settle-worker-3" java.lang.IllegalStateException: payout rejected\n\tat com.furlongby.settlement.PayoutClient.send(PayoutClient.java:118)\n'
GOTRACE = "panic: kafka: client has run out of available brokers\n\ngoroutine 7 [running]:\nmain.consume(...)\n\t/src/odds-feed/consumer.go:93 +0x2b1\n"
NODETRACE = "UnhandledPromiseRejection: Error: 401 Unauthorized\n    at Cashier.capture (/app/cashier/src/psp.ts:77:13)\n"
RBTRACE = "fastlane/Fastfile:41:in `block (2 levels) in <main>': "
KAFKALOG = "{ts} [kafka-2] WARN "
PRICELOG = "{ts} pricing[3120]: "
EXPORT = "withdrawal_id,name,email,phone,ip,card,iban\n"
ENVF = "# deploy/cashier/.env.production\n"
TFV = "# envs/risk-k8s/terraform.tfvars\n"
FASTENV = "# fastlane/.env.default\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws s3 cp settle-2026-11-08.csv s3://fbo-settlements/ # as AWS_ACCESS_KEY_ID={v}",
            "[fbo-risk]\naws_access_key_id = {v}\nregion = eu-west-2",
            "      env:\n        AWS_ACCESS_KEY_ID: {v}\n        AWS_DEFAULT_REGION: eu-west-2",
            TL + "CloudTrail shows {v} listing fbo-kyc-docs from an unknown ASN",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[fbo-risk]\naws_secret_access_key = {v}",
            "$ AWS_SECRET_ACCESS_KEY={v} aws eks update-kubeconfig --name risk-prod",
            TFV + 'aws_secret_key = "{v}"',
            'AwsSecret: "{v}"  # appsettings.Production.json (cashier)',
        ],
    ),
    ("azure-key", draw.az_client_secret, ["AZURE_CLIENT_SECRET={v}", '"ClientSecret": "{v}",']),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=fbobackups;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        [
            "<!-- ios/Sportsbook/GoogleService-Info.plist -->\n<key>API_KEY</key>\n<string>{v}</string>",
            "FIREBASE_WEB_API_KEY={v}  # admin console build, restricted key",
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"fbo-play-publish","private_key":"{v}","client_email":"fastlane@fbo-play-publish.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ GITHUB_TOKEN={v} gh release create v7.12.0 --repo furlongby/sportsbook-ios",
            "$ git clone https://release-bot:{v}@github.com/furlongby/match-certs.git",
            'MATCH_GIT_BASIC_AUTHORIZATION="{v}"',
            CHAT + "temp token for the odds-schema repo: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ git config --global http.extraHeader 'PRIVATE-TOKEN: {v}'", "CI_REGISTRY_TOKEN={v}"],
    ),
    (
        "slack-token",
        draw.slack_token,
        ["SLACK_BOT_TOKEN={v}", "slack:\n  app_token: {v}\n  channel: '#trading-alerts'"],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "rg_alerts:\n  slack_webhook_url: {v}",
            '$ curl -sS -d \'{"text":"feed lag 41s on EPL"}\' {v}',
        ],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        [
            ENVF + "STRIPE_API_KEY={v}",
            "const stripe = require('stripe')('{v}');",
            "$ curl https://api.stripe.com/v1/payouts -u {v}: -d amount=25000 -d currency=gbp",
        ],
    ),
    ("stripe-key", draw.stripe_whsec, ["STRIPE_ENDPOINT_SECRET={v}", "  stripe:\n    webhook_secret: {v}"]),
    (
        "jwt",
        api_jwt,
        [
            "GET /v3/markets/{mkt}/prices HTTP/1.1\nHost: api.furlongby.example\nAuthorization: Bearer {v}",
            "$ wscat -c wss://stream.furlongby.example/odds -H 'Authorization: Bearer {v}'",
        ],
    ),
    ("jwt", svc_jwt, ["PRICING_SERVICE_JWT={v}", "  x-internal-token: {v}"]),
    ("private-key", draw.pk("rsa"), ["# certs/cashier-psp-mtls.key (committed by mistake, PM-44)\n{v}"]),
    ("private-key", draw.pk("pkcs8"), ["# AuthKey_4RZ8KD21QX.p8 (App Store Connect API, RB-8)\n{v}"]),
    ("private-key", draw.pk("ec", "      "), ["  ingress:\n    tlsKey: |\n      {v}"]),
    ("private-key", draw.pk("ssh"), ["$ cat /home/buildkite/.ssh/id_ed25519   # bk-agent-4\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "KAFKA_SASL_JAAS=none; SCHEMA_REGISTRY_URL=https://odds-feed:{v}@schema.furlongby.internal:8081",
            "$ clickhouse-client --host ch-01 --password {v} --query 'SELECT count() FROM bets'",
            "spring.datasource.url=jdbc:postgresql://settlement:{v}@{pip}:5432/ledger",
            "CELERY_BROKER_URL=amqp://rg-alerts:{v}@{pip}:5672/rg",
            "cache:\n  url: rediss://default:{v}@redis-odds-1.furlongby.internal:6380/0",
            "$ mongosh 'mongodb://kyc:{v}@{pip}:27017/kyc?authSource=admin'",
            "$ git push https://deploy:{v}@git.furlongby.internal/trading/odds-models.git",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "KAFKA_SASL_PASSWORD={v}",
            "[clickhouse]\npassword = {v}",
            FASTENV + "FASTLANE_PASSWORD={v}",
            'MATCH_PASSWORD: "{v}"',
            "<settings><servers><server><id>fbo-nexus</id><password>{v}</password></server></servers></settings>",
            "ledger.db.password={v}",
            '    sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required username="odds-feed" password="{v}";',
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ kafka-configs.sh --bootstrap-server kafka-2:9092 --alter --add-config 'SCRAM-SHA-512=[password={v}]' --entity-type users --entity-name pricing",
            "$ redis-cli -h redis-odds-1 --user pricing --pass {v} XLEN odds:epl",
            "$ mysql -h {pip} -u cashier -p{v} -e 'SHOW SLAVE STATUS\\G'",
            "$ docker login fbo-registry.furlongby.internal -u ci -p {v}",
            "ALTER USER settlement IDENTIFIED BY '{v}';",
            "$ vault kv put secret/kyc/onfido db_password={v}",
            "$ keytool -importkeystore -srckeystore release.jks -srcstorepass {v} -destkeystore release.p12",
            "$ openssl pkcs12 -export -in cashier.crt -inkey cashier.key -passout pass:{v} -out cashier.p12",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"fbo-registry.furlongby.internal":{"auth":"{v}"}}}',
            "POST /v1/settle HTTP/1.1\nHost: ledger.furlongby.internal\nAuthorization: Basic {v}",
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u kyc-sync:{v} https://kyc.furlongby.internal/api/exports",
            "$ wget --user=affiliate-api --password={v} https://reports.furlongby.internal/daily.csv",
        ],
    ),
    (
        "bearer-token",
        opaque(52),
        [
            "Authorization: Bearer {v}",
            "$ http GET https://feeds.furlongby.internal/v2/fixtures 'Authorization:Bearer {v}'",
        ],
    ),
    ("vendor-token", adyen_key, ["ADYEN_API_KEY={v}", "adyen:\n  x_api_key: {v}\n  merchant: FurlongbyGB"]),
    ("vendor-token", braintree_token, ["BRAINTREE_ACCESS_TOKEN={v}"]),
    ("vendor-token", square_token, ["SQUARE_ACCESS_TOKEN={v}"]),
    (
        "vendor-token",
        okta_token,
        ["Authorization: SSWS {v}", "$ okta-cli --org https://furlongby.okta.com --token {v} users list"],
    ),
    ("vendor-token", sentry_token, ["SENTRY_AUTH_TOKEN={v}", "[auth]\ntoken={v}"]),
    (
        "vendor-token",
        mailgun_key,
        [
            "MAILGUN_API_KEY={v}",
            "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.furlongby.example/messages",
        ],
    ),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}", 'sendgrid:\n  apiKey: "{v}"']),
    ("vendor-token", hex_n(32), ["TWILIO_AUTH_TOKEN={v}", "PAGERDUTY_ROUTING_KEY={v}", "DD_API_KEY={v}"]),
    ("vendor-token", opaque(32), ["TWILIO_API_SECRET={v}"]),
    ("vendor-token", pagerduty_rest, ["Authorization: Token token={v}"]),
    (
        "vendor-token",
        cloudflare_token,
        ["CLOUDFLARE_API_TOKEN={v}", 'provider "cloudflare" {\n  api_token = "{v}"\n}'],
    ),
    (
        "vendor-token",
        dockerhub_pat,
        ["$ echo {v} | docker login -u furlongbyci --password-stdin", "DOCKERHUB_TOKEN={v}"],
    ),
    ("vendor-token", buildkite_token, ["BUILDKITE_API_TOKEN={v}"]),
    ("vendor-token", hf_token, ["HF_TOKEN={v}  # odds-model notebooks"]),
    (
        "vendor-token",
        databricks_token,
        [
            "$ databricks configure --host https://adb-55.azuredatabricks.net --token {v}",
            "DATABRICKS_TOKEN={v}",
        ],
    ),
    ("vendor-token", doppler_token, ["DOPPLER_TOKEN={v}"]),
    (
        "vendor-token",
        vault_token,
        ["$ export VAULT_TOKEN={v}\n$ vault kv get secret/feed/sportsdata", "X-Vault-Token: {v}"],
    ),
    ("vendor-token", npm_token, ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", contentful_pat, ["CONTENTFUL_MANAGEMENT_TOKEN={v}"]),
    ("vendor-token", supabase_key, ["SUPABASE_ACCESS_TOKEN={v}"]),
    (
        "vendor-token",
        onfido_token,
        ["ONFIDO_API_TOKEN={v}", "Authorization: Token token={v}\nHost: api.eu.onfido.com"],
    ),
    ("vendor-token", hubspot_pat, ["HUBSPOT_PRIVATE_APP_TOKEN={v}"]),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    ("vendor-token", draw.age_secret_key, ["# keys/sops-age.txt\n{v}"]),
    (
        "generic-api-key",
        opaque(32),
        [
            "SPORTSDATA_FEED_API_KEY={v}",
            "feed.provider.apiKey={v}",
            "odds_feed:\n  api_key: {v}\n  region: eu",
        ],
    ),
    ("generic-api-key", hex_n(32), ['<add key="AffiliateApiSecret" value="{v}" />', "X-Api-Key: {v}"]),
    ("generic-api-key", hex_n(64), ["DJANGO_SECRET_KEY={v}", "config.secret_key_base = '{v}'"]),
    (
        "generic-api-key",
        opaque(40),
        ["OIDC_CLIENT_SECRET={v}", "spring.security.oauth2.client.registration.okta.client-secret={v}"],
    ),
    ("webhook-url", teams_hook, ["  msteams:\n    webhook_url: {v}"]),
    ("webhook-url", pd_events_url, ["PD_EVENTS_URL={v}"]),
    ("webhook-url", gchat_hook, ["GCHAT_TRADING_HOOK={v}"]),
    ("webhook-url", draw.discord_hook, ["DISCORD_TIPSTERS_HOOK={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ch-auth\ntype: Opaque\ndata:\n  password: {v}",
            "data:\n  KAFKA_SASL_PASSWORD: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [GOTRACE + "aws: UnrecognizedClientException for access key {v}"]),
    ("aws-key", draw.aws_secret, ["| {t} | {who} | pasted `{v}` into the vendor bridge call |"]),
    (
        "password-in-url",
        plain_pw,
        [
            PYTRACE
            + "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='feed.sportsdata.example', port=443): https://fbo:{v}@feed.sportsdata.example/v2/push",
            JTRACE
            + "Caused by: org.postgresql.util.PSQLException: FATAL for jdbc:postgresql://settlement:{v}@{pip}/ledger",
            TL + "failover DSN in the runbook is clickhouse://risk:{v}@{pip}:9000/risk",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            '{"kafka":{"bootstrap":"kafka-2:9093","sasl":{"user":"pricing","pass":"{v}"}}}',
            'risk.toml:\n[db]\nuser = "risk"\npasswd = "{v}"',
            RBTRACE + "App Store Connect login failed for release@furlongby.example with password {v}",
            '    private const string LedgerPassword = "{v}";  // SettleJob.cs',
            'ledger=# \\password settlement\nEnter new password for user "settlement": {v}',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-5 step 4 | reset ClickHouse default user | new password {v} |",
            "$ sshpass -p '{v}' ssh ops@{pip} 'systemctl restart pricing'",
            'static let kycPassword = "{v}"  // Sportsbook/KYCClient.swift',
            "Redis AUTH for redis-odds-1 during PM-41 failover: {v}",
        ],
    ),
    (
        "jwt",
        svc_jwt,
        [HIST + "curl -H 'x-internal-token: {v}' http://pricing-3:8080/admin/suspend?market=EPL"],
    ),
    ("jwt", api_jwt, ["Sentry issue SPORTSBOOK-IOS-2F1: 401 on /v3/bets with token {v}"]),
    (
        "github-token",
        draw.gh_token,
        [
            BK
            + "remote: Invalid username or token. URL: https://x-access-token:{v}@github.com/furlongby/sportsbook-android.git"
        ],
    ),
    ("slack-token", draw.slack_token, ["{ts} ERROR rg-alerts slack post failed: not_authed (token={v})"]),
    ("stripe-key", draw.stripe_key, [TICKET + "the cashier JS bundle main.4f1c.js contained {v}"]),
    ("vendor-token", adyen_key, [NODETRACE + "  at headers['x-api-key'] = '{v}'"]),
    ("vendor-token", okta_token, [PRICELOG + "okta sync failed: 401 E0000011 for SSWS {v}"]),
    ("vendor-token", mailgun_key, ["mysql> SELECT api_key FROM mail_providers WHERE name = 'mailgun';\n{v}"]),
    (
        "vendor-token",
        hf_token,
        ['>>> from huggingface_hub import login\n>>> login(token="{v}")  # odds-model notebook, cell 3'],
    ),
    ("private-key", draw.pk("rsa"), [TL + "psp signing key, do not forward:\n{v}"]),
    (
        "generic-api-key",
        opaque(32),
        [
            "{ts} DEBUG odds-feed GET https://api.oddsdata.example/v4/sports/soccer_epl/odds?regions=uk&apiKey={v}"
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{pip} - - [08/Nov/2026:15:02:11 +0000] "POST /v1/settle HTTP/1.1" 401 0 "-" "okhttp" auth="Basic {v}"'
        ],
    ),
    ("bearer-token", opaque(60), ["{ts} WARN bet-api upstream headers={'Authorization': 'Bearer {v}'}"]),
    ("k8s-secret-b64", k8s_b64, ["$ kubectl -n risk get secret ch-auth -o jsonpath='{.data.password}'\n{v}"]),
    ("webhook-url", draw.slack_hook, [CHAT + "new hook for #rg-escalations: {v}"]),
    ("gcp-key", draw.gcp_oauth_secret, ['"installed": {"client_id": "fastlane", "client_secret": "{v}"}']),
    ("vendor-token", hex_n(32), ['127.0.0.1:6379> GET cfg:marketfeed:apikey\n"{v}"']),
    (
        "vendor-token",
        braintree_token,
        ['gateway = Braintree::Gateway.new(access_token: "{v}")  # cashier/lib/psp.rb'],
    ),
    ("vendor-token", dockerhub_pat, [CHAT + "CI can't pull bitnami images, use my PAT {v} for now"]),
    ("password-assignment", plain_pw, ["# ~/.pgpass on {host}\n{pip}:5432:ledger:settlement:{v}"]),
    (
        "vendor-token",
        vault_token,
        [
            PYTRACE
            + "hvac.exceptions.Forbidden: permission denied, on post https://vault-2:8200/v1/auth/token/renew-self (token {v})"
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "Subject: daily affiliate report\nTo: partners@affiliates.example\n\nThe file is on sftp://affiliate:{v}@sftp.furlongby.example/reports/"
        ],
    ),
    ("vendor-token", square_token, ['const squareAccessToken = "{v}" // cashier-go/internal/psp/square.go']),
    (
        "generic-api-key",
        opaque(32),
        ['buildConfigField("String", "FEED_KEY", ""{v}"")  // app/build.gradle.kts'],
    ),
    (
        "vendor-token",
        sentry_token,
        [BK + "+ sentry-cli --auth-token {v} debug-files upload --include-sources build/"],
    ),
    ("password-assignment", password, ["| ledger replica | user `settlement` | password `{v}` |"]),
    (
        "vendor-token",
        hex_n(32),
        ['client = Client(os.environ["TWILIO_ACCOUNT_SID"], "{v}")  # rg_alerts/sms.py'],
    ),
    ("stripe-key", draw.stripe_key, ['127.0.0.1:6379> HGET psp:stripe secret\n"{v}"']),
    (
        "password-assignment",
        clickhouse_pw,
        ["<clickhouse><users><risk><password>{v}</password></risk></users></clickhouse>"],
    ),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "w{num},Clementine Ashcombe,{v},,,,",
            TICKET + "punter asks that statements go to {v} from now on",
            "{ts} INFO bet-api login ok account={v}",
            "INSERT INTO self_exclusions (account_id, email) VALUES (88123, '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "w{num},Desmond Brightwater,,{v},,,",
            TICKET + "call back the punter on {v} about the frozen withdrawal",
            "{ts} INFO rg-alerts sms queued to={v} reason=deposit_limit",
            "| Georgiana Cutteridge | RG case owner | {v} |",
            'on_call:\n  - name: Lysander Dunnock\n    phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "w{num},Ottoline Fairclough,,,,{v},",
            TICKET + "punter pasted card {v} into the live chat",
            "{ts} WARN cashier capture declined pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "sshd[901]: Failed password for invalid user admin from {v} port 50211 ssh2",
            EXPORT + "w{num},Percival Hartwell,,,{v},,",
            '{"event":"bet_placed","account":88123,"ip":"{v}"}',
        ],
    ),
    ("ipv6", public_v6, ['cloudflare: {v} - - "POST /v3/bets HTTP/2" 429', "login from new device, ip={v}"]),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "w{num},Tabitha Pennyfeather,,,,,{v}"]),
    ("national-id", nino, [TICKET + "KYC upload shows NI number {v} on the payslip"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", ssn, ["| Wilfred Hartwell | US affiliate partner | SSN {v} | W-9 on file |"]),
    (
        "iban",
        lambda: iban_of("IE", "AIBK" + rs(DIG, 14)),
        ['{"payee":"Bartholomew Dunnock","iban":"{v}","withdrawal":"WD-2026-88412"}'],
    ),
    ("email", email, ["From: {v}\nTo: support@furlongby.example\nSubject: why was my account closed"]),
    ("phone", phone, ["<punter><name>Tabitha Ashcombe</name><mobile>{v}</mobile></punter>"]),
    (
        "credit-card",
        card,
        ["cashier=> SELECT pan FROM legacy_cards WHERE account_id = 88123;\n pan\n----\n {v}"],
    ),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.12.4.9\n(bet-api access log, PM-49)"]),
    ("ipv6", public_v6, ["kyc=> SELECT src_ip FROM login_audit WHERE id = 7712;\n {v}"]),
    ("ipv4", public_v4, [KAFKALOG + "Failed authentication with /{v} (SSL handshake failed)"]),
    ("phone", phone, [CHAT + "Mireille's personal mobile is {v} if PagerDuty misfires"]),
    ("email", email, ["commit 1f2e: Author: Percival Fairclough <{v}>"]),
    ("credit-card", card, ['kafka-console-consumer --topic cashier.captures\n{"amount":2500,"pan":"{v}"}']),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["$ git rev-parse HEAD\n{v}", "pricing image built from {v}", "BUILDKITE_COMMIT={v}"]),
    ("git-sha", lambda: rs(HEX, 7), ["reverted in {v} (PM-41 follow-up)"]),
    ("uuid", uuid4, ["market_uuid: {v}", "Okta app {v}", '{"bet_id":"{v}","state":"settled"}']),
    (
        "hash-or-digest",
        hex_n(64),
        ["$ sha256sum Sportsbook-7.12.0.ipa\n{v}  Sportsbook-7.12.0.ipa", "artifact sha256={v}"],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["image: fbo-registry.furlongby.internal/pricing@{v}", "$ docker pull bitnami/kafka@{v}"],
    ),
    ("hash-or-digest", hex_n(32), ["odds snapshot md5 {v}", 'ETag: "{v}"']),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-b7ad6b7169203331-01"]),
    ("trace-id", hex_n(16), ["span_id={v} op=kafka.produce"]),
    ("trace-id", draw.long_trace, ["datadog trace {v}"]),
    ("cloud-resource-id", lambda: "i-0" + rs(HEX, 16), ["$ aws ec2 reboot-instances --instance-ids {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/risk-engine-irsa",
        ["eks.amazonaws.com/role-arn: {v}"],
    ),
    ("cloud-resource-id", lambda: "vpc-0" + rs(HEX, 16), ['vpc_id = "{v}"']),
    (
        "placeholder",
        lambda: "<PASSWORD>",
        ["KAFKA_SASL_PASSWORD={v}  # set per broker in RB-5", "$ clickhouse-client --password {v}"],
    ),
    (
        "placeholder",
        lambda: "changeme",
        ["ledger.db.password={v}  # local docker-compose only", "MATCH_PASSWORD={v}"],
    ),
    (
        "placeholder",
        lambda: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["PAGERDUTY_ROUTING_KEY={v}  # rg-alerts sample env"],
    ),
    (
        "placeholder",
        lambda: "YOUR_ADYEN_API_KEY",
        ["ADYEN_API_KEY={v}  # cashier/.env.example", "ONFIDO_API_TOKEN={v}"],
    ),
    ("placeholder", lambda: "postgres://user:password@localhost:5432/ledger", ["# README: DATABASE_URL={v}"]),
    (
        "templated-value",
        lambda: "${KAFKA_SASL_PASSWORD}",
        ['password = "{v}"', "$ kcat -X sasl.password={v} -L"],
    ),
    ("templated-value", lambda: "{{ vault_clickhouse_password }}", ["clickhouse_password: {v}"]),
    ("templated-value", lambda: "${{ secrets.ASC_KEY_P8 }}", ["          APP_STORE_CONNECT_KEY: {v}"]),
    ("templated-value", lambda: "$(STRIPE_API_KEY)", ['STRIPE_API_KEY="{v}"']),
    (
        "templated-value",
        lambda: "ENV['BRAINTREE_ACCESS_TOKEN']",
        ["Braintree::Gateway.new(access_token: {v})"],
    ),
    ("masked-value", lambda: "[REDACTED]", ["cashier env dump: ADYEN_API_KEY={v}", "sasl.password: {v}"]),
    ("masked-value", lambda: "********", ["Password for settlement@ledger: {v}", "FASTLANE_PASSWORD={v}"]),
    ("masked-value", lambda: "sk_live_…a9Qf", ["PM-44: the leaked key {v} was rolled at 15:20"]),
    (
        "keyword-no-value",
        lambda: "x-api-key",
        ["ADR-19: rg-alerts sends the {v} header only to Mailgun's EU region."],
    ),
    (
        "keyword-no-value",
        lambda: "MATCH_PASSWORD",
        ["RB-8: {v} lives in the release vault, never in .env files."],
    ),
    ("keyword-no-value", lambda: "SSWS", ["RB-5: replace every {v} token with an OAuth service app."]),
    (
        "keyword-no-value",
        lambda: "password",
        ["ClickHouse rejected the {v} for risk after the RB-5 rotation"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["advertised.listeners=SASL_SSL://{v}:9093", "$ ssh -J bastion ops@{v}"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["synthetic probe from {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.17.4",
        ["Tailscale address {v} (bk-agent-4)"],
    ),
    ("example-email", lambda: f"{rng.choice(STAFF)}@furlongby.example", ["Reviewed-by: {v}"]),
    ("example-email", lambda: "punter@example.com", ['{"email":"{v}","tier":"vip"}']),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # copied from the EKS workshop page"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# sample profile\naws_secret_access_key = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["cashier sandbox uses Stripe's doc key {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(3, 7)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["Kafka {v} rolling restart", "Sportsbook iOS {v} phased release at 10%"],
    ),
    ("version-or-date", iso, ["feed lag first alerted at {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@bk-agent-4",
        ["# authorized_keys on pricing-3\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.pub_pem,
        ["# Adyen HMAC is not this: PSP notification verification key\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem(),
        ["$ openssl s_client -connect kafka-2:9093 -showcerts\n{v}"],
    ),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v} (not secret)"]),
    ("ids-and-numbers", twilio_sk, ["TWILIO_API_KEY_SID={v}  # the secret half lives in Vault"]),
    (
        "ids-and-numbers",
        lambda: "live_" + rs(UP + DIG, 32),
        [
            "new AdyenCheckout({ clientKey: '{v}', environment: 'live-eu' })  // client keys are public by design"
        ],
    ),
    ("ids-and-numbers", lambda: f"WD-2026-{rs(DIG, 5)}", ["withdrawal {v} reversed"]),
    ("ids-and-numbers", lambda: rs(DIG, 12), ["AWS account {v} (fbo-risk)"]),
    ("ids-and-numbers", lambda: "0oa" + rs(ALNUM, 17), ["Okta client_id {v} (public SPA client)"]),
    ("ids-and-numbers", lambda: f"FBO-{rng.randint(100, 999)}", ["Jira {v}: rotate feed credentials"]),
    (
        "ids-and-numbers",
        lambda: "pk_live_" + rs(ALNUM, 99),
        ["STRIPE_PUBLISHABLE_KEY={v}  # shipped in the web bundle by design"],
    ),
    (
        "ids-and-numbers",
        lambda: f"1.{rng.randint(200_000_000, 299_999_999)}",
        ["market {v} suspended for 40s"],
    ),
    ("luhn-fail-number", luhn_bad, ["betslip reference {v}", "terminal serial {v} swapped"]),
    ("documented-test-card", lambda: "4111 1111 1111 1111", ["cashier checkout smoke test with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"market":"EPL","status":"SUSPENDED"}'), ["payload: {v}"]),
    (
        "base64-nonsecret",
        lambda: b64(f"odds {rng.randint(2, 9)}/1".encode()),
        ["kafka record value (base64) {v}"],
    ),
    (
        "encrypted-value",
        lambda: draw.sops_value(),
        ["# envs/risk-k8s/secrets.enc.yaml\nclickhouse_password: {v}"],
    ),
    ("encrypted-value", lambda: draw.sealed(150), ["  encryptedData:\n    ADYEN_API_KEY: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(4)),
        ["kafka_sasl_password: !vault |\n{v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2b$12$"),
        ["ledger=> select password_hash from staff where id = 12;\n {v}"],
    ),
    ("hash-or-digest", lambda: draw.sha512_crypt(), ["$ sudo getent shadow ops | cut -d: -f2\n{v}"]),
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
        ["ledger=> SELECT rolpassword FROM pg_authid WHERE rolname = 'settlement';\n {v}"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            "<clickhouse><users><risk><password_sha256_hex>{v}</password_sha256_hex></risk></users></clickhouse>"
        ],
    ),
    ("hash-or-digest", lambda: "sha256=" + rs(HEX, 64), ["X-Hub-Signature-256: {v}"]),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("trace-id", lambda: rs(HEX, 16) + ":" + rs(HEX, 16) + ":0:1", ["uber-trace-id: {v}"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel id {v}"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#rg-escalations)"]),
    (
        "ids-and-numbers",
        lambda: "pk." + b64url(b'{"u":"furlongby","a":"venues"}') + "." + rs(B64URL, 22),
        ["| Mapbox | venue map style, pk. tokens are public by design | `{v}` |"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
        ["<key>CLIENT_ID</key>\n<string>{v}</string>"],
    ),
    (
        "ids-and-numbers",
        lambda: "merchantAccount=FurlongbyGB_" + rs(UP, 3),
        ["adyen webhook {v} eventCode=AUTHORISATION success=true"],
    ),
    ("ids-and-numbers", lambda: f"{rs(LOW + DIG, 16)}", ["BRAINTREE_MERCHANT_ID={v}"]),
    (
        "ids-and-numbers",
        lambda: "AKIA" + "…" + rs(UP, 4),
        ["key id ending {v} (from the CloudTrail summary)"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::fbo-kyc-docs-{rs(LOW + DIG, 6)}",
        ["bucket {v} public access blocked"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-backups/providers/Microsoft.Storage/storageAccounts/fbobackups"
        ),
        ["scope: {v}"],
    ),
    (
        "placeholder",
        lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ["  slack_webhook_url: {v}"],
    ),
    (
        "placeholder",
        lambda: "-----BEGIN PRIVATE KEY-----\n<contents of AuthKey_XXXXXXXXXX.p8>\n-----END PRIVATE KEY-----",
        ["# fastlane/README.md (asc_key.p8 template)\n{v}"],
    ),
    (
        "placeholder",
        lambda: "<rotated>",
        ["| RB-5 step 4 | reset ClickHouse default user | new password {v} |"],
    ),
    (
        "placeholder",
        lambda: "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
        ["| STRIPE_API_KEY | `{v}` | set in Vault |"],
    ),
    ("templated-value", lambda: "%(LEDGER_DB_PASSWORD)s", ["[ledger]\npassword = {v}"]),
    (
        "templated-value",
        lambda: 'os.environ["ONFIDO_API_TOKEN"]',
        ["onfido.Api({v}, region=onfido.Region.EU)"],
    ),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(SecretUri=https://kv-fbo.vault.azure.net/secrets/backups-key/)",
        ["BackupsStorageKey={v}"],
    ),
    (
        "templated-value",
        lambda: "$(cat /run/secrets/kafka_pw)",
        ['$ kcat -b kafka-2:9093 -X sasl.username=pricing -X sasl.password="{v}" -L'],
    ),
    (
        "masked-value",
        lambda: "ghp_************************************",
        ["secret scanning alert #12: {v} (revoked)"],
    ),
    ("masked-value", lambda: "SSWS 00ab…redacted", ["okta audit: api token {v} deactivated"]),
    ("keyword-no-value", lambda: "passcode", ["The punter forgot the app {v}; reset via SMS at 14:02."]),
    ("keyword-no-value", lambda: "PIN", ["ADR-19: cooling-off requires a fresh {v} entry on the app."]),
    ("keyword-no-value", lambda: "token bucket", ["bet-api rate limit is a {v} of 20 req/s per account"]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -s http://{v}/latest/meta-data/iam/security-credentials/risk-engine-node"],
    ),
    ("private-or-reserved-ip", lambda: "fd7a:115c:a1e0::4", ["Tailscale IPv6 {v} (vault-2)"]),
    ("version-or-date", lambda: "2026-11-08", ["| {v} | PM-41 | odds feed lagged during the derby |"]),
    ("version-or-date", lambda: "librdkafka 2.6.1", ["client: {v}, acks=all"]),
    (
        "public-key-or-cert",
        lambda: draw.ec_pub_pem(),
        ["# feed push signature verification key (sportsdata)\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ['creation_rules:\n  - age: "{v}"'],
    ),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("base64-nonsecret", lambda: b64(b"settlement"), ["$ echo -n settlement | base64\n{v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO betslips (ref) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "5555555555554444", ["Stripe test Mastercard {v} in staging cashier"]),
    ("git-sha", sha40, ["| {t} | {who} rolled pricing back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM markets WHERE id = '{v}';", "  <BetId>{v}</BetId>"]),
    ("trace-id", hex_n(32), ['{"level":"error","msg":"price stale","trace_id":"{v}"}']),
    ("example-email", lambda: "noreply@notify.furlongby.example", ["From: Furlongby Safer Gambling <{v}>"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(40)), ["iban_ciphertext={v}"]),
    (
        "encrypted-value",
        lambda: "AQICAH" + rs(B64, 150) + "==",
        [
            "$ aws kms encrypt --key-id alias/kyc --plaintext fileb://pw.txt --query CiphertextBlob --output text\n{v}"
        ],
    ),
    ("ids-and-numbers", lambda: f"01{rs('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 24)}", ["bet_event_id={v}"]),
    ("hash-or-digest", lambda: "{SSHA}" + b64(draw.rbytes(24)), ["userPassword:: {v}"]),
    ("cloud-resource-id", lambda: "ami-0" + rs(HEX, 16), ['ami = "{v}"']),
    (
        "templated-value",
        lambda: "${SENTRY_AUTH_TOKEN}",
        ["$ sentry-cli --auth-token {v} releases new 7.12.0"],
    ),
    ("placeholder", lambda: "<your-routing-key>", ['{"routing_key":"{v}","event_action":"trigger"}']),
    ("masked-value", lambda: "dckr_pat_…(truncated)", ["build log shows DOCKERHUB_TOKEN as {v}"]),
    ("uuid", uuid4, ["$ kubectl -n risk get pod pricing-0 -o jsonpath='{.metadata.uid}'\n{v}"]),
    (
        "ids-and-numbers",
        lambda: f"pricing-{rs(LOW + DIG, 8)}",
        ["consumer group member {v} revoked partitions 0-11"],
    ),
    (
        "version-or-date",
        lambda: "kafka-31.2.0",
        ["$ helm history kafka -n feed | tail -1\n12  Sun Nov  8 15:11:40 2026  deployed  {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: "Message-ID: <" + rs(HEX, 16) + "@mail.furlongby.example>",
        ["{v}\nFrom: payments@furlongby.example\nSubject: PM-49 notification"],
    ),
    (
        "hash-or-digest",
        hex_n(40),
        ['GET /v3/fixtures HTTP/1.1\nHost: api.furlongby.example\nIf-None-Match: "{v}"'],
    ),
    (
        "ids-and-numbers",
        lambda: f"EPL-{rs(DIG, 4)}-{rs(UP, 3)}{rs(UP, 3)}",
        ["| fixture | {v} | odds 11/4 | suspended |"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        ["HMAC-SHA256 of the notification (hex, computed for comparison): {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: rs(DIG, 6),
        ["Your Furlongby verification code is {v}. It expires in 10 minutes."],
    ),
    (
        "placeholder",
        lambda: "hunter2",
        ["onboarding wiki: the sample login in the screenshots uses the joke password {v}, never a real one"],
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
    r"|hv[sb]\.[A-Za-z0-9_-]{20}|\.atlasv1\.|webhooks/\d{10}|webhookb2/|integration/[0-9a-f]{32}"
    r"|AQE[A-Za-z0-9]{20}|access_token\$production|EAAA[\w-]{40}|SSWS 00[\w-]{20}|sntrys_|key-[0-9a-f]{32}|dckr_pat_|bkua_"
    r"|hf_[A-Za-z]{30}|dapi[0-9a-f]{32}|dp\.st\.|CFPAT-|sbp_[0-9a-f]{40}|api_live\.|pat-eu1-|AGE-SECRET-KEY-"
    r"|npm_[A-Za-z0-9]{30}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes.
OK_MAIL_41 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_41,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t41", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
