# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test64.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test64.py`` (standard library and the sibling
``planted_kit.py`` only). Values are random in their vendors' formats, drawn from
``random.Random(20270164)``, and fake; the file is byte-identical on every run.

The lines come from the made-up documents of two teams: Pixelbrook Games (``*.pixelbrook.internal``),
a mobile-game studio on GCP and Firebase (GKE, Cloud SQL, Redis, Pub/Sub, Unity Cloud Build, PlayFab,
App Store Connect, Google Play, Discord and Slack webhooks, Sentry, GitHub Actions) and Harbourline
Health (``*.harbourline.internal``), a telehealth clinic on Azure and AWS (AKS, Postgres, RabbitMQ,
Twilio, SendGrid, Mailgun, Stripe, Okta, Datadog, GitLab CI, Vault, OpenAI). Documents: a leaderboard
outage postmortem, the video-visit runbook, incident timelines, chat pasted into retros, shell
sessions, CI logs, stack traces, config files and tickets.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
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
    TEST_CARDS,
    UP,
    Draw,
    N,
    P,
    Row,
    S,
    check_rows,
    check_unseen,
    encode_jwt,
    iban_of,
    iban_ok,
    luhn_ok,
    write_fold,
)
from planted_kit import TYPES as SHARED_TYPES

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test64.jsonl"
FOLD = "test64"
rng = Random(20270164)
draw = Draw(rng)
rs = draw.rs

TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64", "cookie-session"},
    N: {*SHARED_TYPES[N], "encrypted-value", "password-hash"},
}
ALL_CARDS = TEST_CARDS | MORE_TEST_CARDS
WORDS = [
    "pixel",
    "dragon",
    "harbour",
    "lantern",
    "tidal",
    "quest",
    "clinic",
    "nurse",
    "boss",
    "raid",
    "stitch",
    "otter",
]


def pw() -> str:
    k = rng.randrange(6)
    if k == 0:
        return rng.choice(WORDS).capitalize() + rng.choice("!@#$") + str(rng.randint(2020, 2026))
    if k == 1:
        return rs(ALNUM, rng.randint(14, 22))
    if k == 2:
        return "-".join(rng.sample(WORDS, 3)) + rs(DIG, 2)
    if k == 3:
        return rs(ALNUM, 6) + rng.choice("%^&") + rs(ALNUM, 9)
    if k == 4:
        return rng.choice(WORDS).capitalize() + rs(DIG, 4) + rng.choice(WORDS) + "!"
    return rs(UP, 2) + rs(LOW, 5) + rs(DIG, 3) + "?" + rs(ALNUM, 4)


def jwt() -> str:
    head = {"alg": rng.choice(["HS256", "RS256"]), "typ": "JWT"}
    body = {
        "sub": rng.choice(["player:" + rs(DIG, 8), "clinician-" + rs(DIG, 4), "svc-intake"]),
        "iat": 1790000000 + rng.randint(0, 9999999),
        "iss": rng.choice(
            ["https://auth.pixelbrook.internal", "https://harbourline.okta.com/oauth2/default"]
        ),
    }
    return encode_jwt(head, body, rs(B64URL, 43))


def card() -> str:
    return draw.spell_card(
        rng.choice(
            [
                lambda: draw.luhn_make("4", 16, ALL_CARDS),
                lambda: draw.luhn_make(str(rng.randint(51, 55)), 16, ALL_CARDS),
                lambda: draw.luhn_make("37", 15, ALL_CARDS),
            ]
        )()
    )


def bsn() -> str:
    while True:
        d = [rng.randint(0, 9) for _ in range(8)]
        if d[0] == 0:
            continue
        s = sum(x * w for x, w in zip(d, range(9, 1, -1), strict=True))
        last = s % 11
        if last < 10:
            return "".join(map(str, d)) + str(last)


def dni() -> str:
    n = rng.randint(10000000, 99999999)
    return f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def nl_iban() -> str:
    while True:
        acct = rs(DIG, 10)
        if sum(int(c) * w for c, w in zip(acct, range(10, 0, -1), strict=True)) % 11 == 0:
            return iban_of("NL", rng.choice(["ABNA", "INGB", "RABO"]) + acct)


def be_iban() -> str:
    first = rs(DIG, 10)
    chk = int(first) % 97 or 97
    return iban_of("BE", f"{first}{chk:02d}")


def fr_iban() -> str:
    bank, branch, acct = rs(DIG, 5), rs(DIG, 5), rs(DIG, 11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
    return iban_of("FR", f"{bank}{branch}{acct}{key:02d}")


def us_phone() -> str:
    x = rng.randint(100, 199)
    return rng.choice(["(212) 555-0{x}", "+1 415 555 0{x}", "646-555-0{x}", "+1-503-555-0{x}"]).format(x=x)


def uk_phone() -> str:
    return rng.choice(["07700 900{n}", "+44 7700 900{n}", "0113 496 0{m}", "+44 161 496 0{m}"]).format(
        n=rs(DIG, 3), m=rs(DIG, 3)
    )


def au_phone() -> str:
    return rng.choice(["0491 570 156", "0491 571 266", "0491 572 983", "+61 491 573 770", "0491 574 632"])


def fr_phone() -> str:
    return rng.choice(["01 99 00 {a} {b}", "+33 1 99 00 {a} {b}"]).format(a=rs(DIG, 2), b=rs(DIG, 2))


def person() -> str:
    return rng.choice(
        [
            "maeve.okonjo",
            "tobias.lindqvist",
            "priya.raman",
            "dmitri.halloran",
            "yusra.benali",
            "colm.fairweather",
            "ines.kaczmarek",
            "rafael.oduya",
        ]
    )


def email() -> str:
    return person() + rng.choice(["@gmail.com", "@outlook.com", "@proton.me", "@yahoo.co.uk", "@icloud.com"])


def v4() -> str:
    return f"{rng.choice([81, 86, 92, 109, 151, 176, 185, 212])}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}"


def v6() -> str:
    return f"2a02:{rs(HEX, 4)}:{rs(HEX, 3)}:{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}"


def basic() -> str:
    return base64.b64encode(
        f"{rng.choice(['grafana', 'ci-bot', 'intake', 'admin'])}:{pw()}".encode()
    ).decode()


def pre(prefix: str, alpha: str, n: int, suffix: str = "") -> Callable[[], str]:
    return lambda: prefix + rs(alpha, n) + suffix


# (type, value generator, templates): one row per template
SECRETS: list[tuple[str, Callable[[], str], list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "aws_access_key_id={v}",
            "2026-09-02T04:11:09Z fhir-export WARN S3 upload retry, credentials AccessKeyId={v} region=us-east-1",
            '    "accessKeyId": "{v}",',
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "AWS_SECRET_ACCESS_KEY: {v}",
            'aws configure set aws_secret_access_key "{v}" --profile harbourline-prod',
            "secret_key = {v}  # ci uploader, rotate after retro",
        ],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        [
            '<string name="google_api_key">{v}</string>',
            "FIREBASE_API_KEY={v} (server side one, not the client key, sorry)",
            "curl 'https://maps.googleapis.com/maps/api/geocode/json?address=clinic&key={v}'",
        ],
    ),
    ("gcp-service-account-key", draw.gcp_sa_key, ['  "private_key": "{v}",']),
    (
        "azure-key",
        draw.az_client_secret,
        ["AZURE_CLIENT_SECRET={v}", 'az ad sp credential reset result: password "{v}" (valid 2y)'],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=hlrecordings;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    (
        "github-token",
        lambda: draw.gh_token(("ghp_", "ghs_")),
        [
            "git remote set-url origin https://x-access-token:{v}@github.com/pixelbrook/tidal-quest.git",
            "GH_TOKEN={v} gh release create v3.14.0",
            "[chat 10:42] kasia: just use my token for now {v} and we revoke it monday",
            "      token: {v}",
        ],
    ),
    (
        "github-token",
        pre("github_pat_11", UP + DIG, 22, "_" + "".join(Random(64).choices(ALNUM, k=59))),
        ["export GITHUB_PAT={v}"],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        [
            "PRIVATE-TOKEN: {v}",
            "gitlab-runner register --url https://gitlab.harbourline.internal --token {v}",
            'HL_GITLAB_DEPLOY_TOKEN = "{v}"',
        ],
    ),
    (
        "slack-token",
        draw.slack_token,
        ["SLACK_BOT_TOKEN={v}", "slack.errors.SlackApiError: invalid_auth (token {v})"],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        ['curl -X POST -d \'{{"text":"leaderboard lag"}}\' {v}', "alert_webhook: {v}"],
    ),
    (
        "stripe-key",
        lambda: draw.stripe_key(("sk_live_51", "rk_live_51")),
        [
            "STRIPE_SECRET_KEY={v}",
            "Stripe::AuthenticationError: Invalid API Key provided: {v}",
            'stripe.api_key = "{v}"',
        ],
    ),
    ("stripe-key", draw.stripe_whsec, ['STRIPE_WEBHOOK_SECRET: "{v}"']),
    (
        "jwt",
        jwt,
        [
            '  File "/app/intake/auth.py", line 88, in verify\n    raise InvalidTokenError(f"bad token {{token}}")\njwt.exceptions.ExpiredSignatureError: Signature has expired: {v}',
            "Authorization: Bearer {v}",
            "2026-09-02 04:12:55 DEBUG intake-api got token={v} for visit 88123",
            '{{"access_token": "{v}", "expires_in": 3600}}',
            "wscat -c wss://match.pixelbrook.internal/ws -H 'Sec-WebSocket-Protocol: {v}'",
        ],
    ),
    ("private-key", draw.pk("rsa"), ["deploy key pasted into #ops by mistake:\n{v}"]),
    ("private-key", draw.pk("ssh"), ["cat > ~/.ssh/id_build <<'EOF'\n{v}\nEOF"]),
    ("private-key", draw.pk("ec"), ["tls.key: |\n{v}"]),
    ("private-key", draw.pk("pkcs8", "    "), ["  apns_auth_key: |\n    {v}"]),
    (
        "bearer-token",
        pre("", ALNUM, 48),
        ['curl -H "Authorization: Bearer {v}" https://api.playfab.internal/Admin/GetPlayerProfile'],
    ),
    ("bearer-token", pre("pat.", B64URL, 40), ["authorization: Bearer {v}"]),
    (
        "basic-auth",
        basic,
        [
            "Authorization: Basic {v}",
            "  -H 'authorization: basic {v}' \\",
            'proxy_set_header Authorization "Basic {v}";',
        ],
    ),
    (
        "k8s-secret-b64",
        lambda: base64.b64encode(pw().encode()).decode(),
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: intake-db\ndata:\n  POSTGRES_PASSWORD: {v}",
            "  redis-password: {v}",
        ],
    ),
    ("cookie-session", pre("s%3A", B64URL, 44), ["Cookie: _ga=GA1.2.1180.1788; hl_session={v}; theme=dark"]),
    ("cookie-session", pre("", HEX, 64), ["Set-Cookie: PHPSESSID={v}; Path=/; HttpOnly; Secure"]),
    (
        "cookie-session",
        pre("eyJfcGVybWFuZW50Ijp0cnVlfQ.", B64URL, 33),
        ["cookie: lang=en; session={v}; consent=1"],
    ),
    (
        "vendor-token",
        pre("SG.", B64URL, 22, "." + "".join(Random(641).choices(B64URL, k=43))),
        ["SENDGRID_API_KEY={v}", "sendgrid:\n  api_key: {v}"],
    ),
    (
        "vendor-token",
        pre("key-", HEX, 32),
        [
            'MAILGUN_API_KEY="{v}"',
            "curl -s --user 'api:{v}' https://api.mailgun.net/v3/mg.harbourline.example/messages",
        ],
    ),
    (
        "vendor-token",
        pre("", ALNUM, 32),
        ["TWILIO_API_KEY_SID=SK{n}\nTWILIO_API_SECRET={v}".replace("SK{n}", "SK" + "0" * 32)],
    ),
    (
        "vendor-token",
        pre("", HEX, 32),
        [
            "TWILIO_AUTH_TOKEN={v}",
            "twilio.base.exceptions.TwilioRestException: HTTP 401 auth_token={v} account=AC" + "f" * 32,
        ],
    ),
    (
        "vendor-token",
        pre("sk-proj-", B64URL, 48),
        ["OPENAI_API_KEY={v}", "openai.AuthenticationError: Incorrect API key provided: {v}"],
    ),
    ("vendor-token", pre("sk-ant-api03-", B64URL, 60, "AA"), ["ANTHROPIC_API_KEY: '{v}'"]),
    ("vendor-token", pre("dd", HEX, 30), ["DD_API_KEY={v}", "datadog:\n  apiKey: {v}"]),
    ("vendor-token", pre("", HEX, 40), ['DD_APP_KEY: "{v}"']),
    ("vendor-token", pre("npm_", ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        pre("hvs.", ALNUM, 24),
        ["VAULT_TOKEN={v} vault kv get secret/intake", 'export VAULT_TOKEN="{v}"'],
    ),
    ("vendor-token", pre("00", ALNUM, 40), ["okta:\n  client:\n    token: {v}", "SSWS {v}"]),
    ("vendor-token", pre("sntrys_", B64URL, 60), ["SENTRY_AUTH_TOKEN={v}"]),
    (
        "vendor-token",
        pre("glsa_", ALNUM, 32, "_" + "".join(Random(642).choices(HEX, k=8))),
        ['grafana_token = "{v}"'],
    ),
    (
        "vendor-token",
        pre("dckr_pat_", B64URL, 27),
        ["echo {v} | docker login -u pixelbrookci --password-stdin"],
    ),
    ("vendor-token", pre("ops_eyJ", B64URL, 120), ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    (
        "vendor-token",
        pre("pypi-AgEIcHlwaS5vcmc", B64URL, 60),
        ["[pypi]\nusername = __token__\npassword = {v}"],
    ),
    ("vendor-token", pre("PFX", UP + DIG, 30), ['PlayFabSettings.DeveloperSecretKey = "{v}";']),
    ("vendor-token", pre("", ALNUM, 32), ["X-Unity-Cloud-Build-Api-Key: {v}", "appcenter login --token {v}"]),
    ("vendor-token", pre("shpat_", HEX, 32), ["SHOPIFY_ADMIN_TOKEN={v}"]),
    (
        "vendor-token",
        pre("xkeysib-", HEX, 64, "-" + "".join(Random(643).choices(ALNUM, k=16))),
        ["brevo.api_key={v}"],
    ),
    ("vendor-token", pre("NRAK-", UP + DIG, 27), ["newrelic:\n  license_key: {v}"]),
    ("vendor-token", pre("ATATT3xFfGF0", B64URL, 180), ["JIRA_API_TOKEN={v}"]),
    ("vendor-token", pre("pscale_pw_", B64URL, 43), ['password = "{v}"  # planetscale branch main']),
    ("vendor-token", pre("lin_api_", ALNUM, 40), ["LINEAR_API_KEY={v}"]),
    ("vendor-token", pre("rnd_", ALNUM, 32), ["RENDER_API_KEY={v}"]),
    ("vendor-token", pre("", B64, 86, "=="), ['<add key="AppStoreConnect.PrivateKeyP8" value="{v}" />']),
    (
        "generic-api-key",
        pre("", ALNUM, 32),
        [
            "x-api-key: {v}",
            "REVENUECAT_SECRET_KEY={v}",
            'applovin_sdk_key="{v}"',
            "[chat] nadia: the adjust app secret is {v} if anyone needs it for the sdk bump",
        ],
    ),
    (
        "generic-api-key",
        pre("", HEX, 40),
        [
            "api_key: {v}",
            "ENCRYPTION_KEY={v}",
            "curl 'https://telemetry.pixelbrook.internal/ingest?api_key={v}'",
        ],
    ),
    (
        "generic-api-key",
        pre("", ALNUM, 40),
        ["GAMEANALYTICS_SECRET_KEY={v}", "    <key>BrazeApiKey</key>\n    <string>{v}</string>"],
    ),
    ("generic-api-key", pre("", B64, 43, "="), ['SECRET_KEY_BASE = "{v}"', "JWT_SIGNING_SECRET: {v}"]),
    (
        "password-in-url",
        lambda: f"postgres://intake:{pw()}@db-primary.harbourline.internal:5432/visits",
        ["DATABASE_URL={v}", 'psql "{v}"', "django.db.utils.OperationalError: could not connect using {v}"],
    ),
    (
        "password-in-url",
        lambda: f"redis://:{rs(ALNUM, 24)}@redis-lb.pixelbrook.internal:6379/2",
        ["REDIS_URL: {v}", "redis.exceptions.ConnectionError: Error 111 connecting to {v}"],
    ),
    (
        "password-in-url",
        lambda: f"amqp://video:{pw()}@rabbit.harbourline.internal:5672/telehealth",
        ['broker_url = "{v}"'],
    ),
    (
        "password-in-url",
        lambda: f"mongodb+srv://analytics:{rs(ALNUM, 18)}@cluster0.pb3ks.mongodb.net/events",
        ["MONGO_URI={v}"],
    ),
    (
        "password-in-url",
        lambda: f"https://deploy:{rs(ALNUM, 20)}@nexus.pixelbrook.internal/repository/unity-packages/",
        ["registry={v}"],
    ),
    (
        "password-in-url",
        lambda: f"mysql://leaderboard:{pw()}@10.40.2.17:3306/scores",
        ['  dsn: "{v}"', "jdbc fallback url {v} (timed out)"],
    ),
    (
        "password-in-url",
        lambda: f"smtp://postmaster%40mg.harbourline.example:{rs(HEX, 32)}@smtp.mailgun.org:587",
        ["EMAIL_URL={v}"],
    ),
]

PASSWORD_TEMPLATES = [
    "POSTGRES_PASSWORD={v}",
    '  password: "{v}"',
    "spring.datasource.password={v}",
    "DB_PASS='{v}'",
    "mysql -u leaderboard -p'{v}' -h 10.40.2.17 scores",
    "PGPASSWORD={v} pg_dump -h db-primary.harbourline.internal visits > visits.sql",
    "[chat 02:14] omar: root pw for the rabbit admin ui is {v}",
    "[chat 02:15] jen: what's the grafana admin password?\n[chat 02:15] omar: {v}",
    "docker login registry.pixelbrook.internal -u ci -p {v}",
    '<add key="SmtpPassword" value="{v}" />',
    "redis-cli -a {v} -h redis-lb.pixelbrook.internal INFO replication",
    "requirepass {v}",
    "KEYSTORE_PASSWORD={v}",
    'storePassword "{v}"',
    '  "password": "{v}",',
    'password = "{v}"',
    "ADMIN_PASSWORD: {v}",
    "kubectl create secret generic intake-db --from-literal=password={v}",
    "helm upgrade intake ./chart --set postgresql.auth.password={v}",
    "Timeline 03:20 UTC: Omar reset the shared pharmacy-portal login to {v} and pasted it in the bridge",
    "The break-glass account for the EHR replica is dr-admin / {v} (stored nowhere else, fix this)",
    'MYSQL_ROOT_PASSWORD: "{v}"',
    "sa_password={v}",
    "ldap_bind_password = {v}",
    "sshpass -p '{v}' ssh ops@bastion.harbourline.internal",
    "vpn psk: {v}",
    "wifi for the clinic front desk: HL-Staff / {v}",
    "<password>{v}</password>",
    "rabbitmqctl change_password video {v}",
    "ALTER USER intake WITH PASSWORD '{v}';",
    "CREATE USER 'reporting'@'%' IDENTIFIED BY '{v}';",
    "keytool -importkeystore -srcstorepass {v} -destkeystore release.jks",
    "ANDROID_KEY_PASSWORD={v}",
    "Caused by: java.sql.SQLException: Access denied for user 'scores'@'10.40.3.9' (using password: YES) [pw={v}]",
    "FIREBASE_ADMIN_PASSWORD = {v}",
    "[database]\nhost = db-primary.harbourline.internal\nuser = intake\npassword = {v}",
    'variable "db_password" {{\n  default = "{v}"\n}}',
    "retro note: the Unity build agent still logs in with buildbot:{v} over plain http",
    "  - name: SMTP_PASSWORD\n    value: {v}",
    '[mqtt]\nbroker = "mqtts://mq.pixelbrook.internal"\npassword = "{v}"',
    "db.password={v}\ndb.pool.max=20",
    'Unhandled exception in worker intake-7: psycopg2.OperationalError: FATAL: password authentication failed for user "intake" (tried "{v}")',
    "$ export PGPASSWORD='{v}'\n$ psql -h db-primary.harbourline.internal -U intake visits",
    "[chat 04:03] kasia: app store connect shared login is release@pixelbrook / {v} , 2fa goes to the ops phone",
    "Postmortem, contributing factor 3: the Jenkins admin password ({v}) had not changed since 2023.",
    "<connectionString>Server=sql-hl;User Id=reporting;Password={v};</connectionString>",
    '  --db-password="{v}" \\\n  --db-user=scores',
    "ENV REDIS_PASSWORD={v}",
    "pfx password for the signing cert: {v}",
    "zip -P {v} exports-2026-09.zip visits.csv",
    "login: pixelbrook-ci\npassword: {v}",
    '"dbPassword": "{v}"}}',
    'resource "azurerm_postgresql_flexible_server" "hl" {{\n  administrator_login          = "hladmin"\n  administrator_password       = "{v}"\n}}',
]

PERSONAL: list[tuple[str, Callable[[], str], list[str]]] = [
    (
        "email",
        email,
        [
            "Hi team, please cancel my account and delete my data. {v}",
            "Patient {v} reported the video visit dropped twice",
            "ticket HL-4411: refund requested by {v}",
            "[chat] support: player {v} says her purchase vanished after the patch",
            "From: {v}\nSubject: cannot log in to my appointment",
            "2026-09-02 05:01:12 INFO mailer sent reminder to={v}",
            'reporter_email: "{v}"',
        ],
    ),
    (
        "phone",
        us_phone,
        [
            "Callback number for the patient: {v}",
            "twilio sms to {v} failed: 30006 landline or unreachable",
            "emergency contact {v} (mother)",
        ],
    ),
    ("phone", uk_phone, ['patient_phone: "{v}"', "Caller {v} said the app crashes on the boss fight"]),
    ("phone", au_phone, ["on-call escalation, Melbourne clinician mobile {v}"]),
    ("phone", fr_phone, ["Lyon partner clinic desk: {v}"]),
    (
        "credit-card",
        card,
        [
            "Stripe dispute evidence: card {v} charged twice for the season pass",
            'chat transcript: "my card number is {v} why was I billed"',
            "2026-09-02 05:13:40 ERROR payment-proxy raw pan={v} leaked into log",
            "card_number: {v}",
        ],
    ),
    ("iban", nl_iban, ["Refund to IBAN {v} (player in Utrecht)"]),
    ("iban", be_iban, ["payout account {v} for the Ghent locum"]),
    ("iban", fr_iban, ["RIB du patient: {v}"]),
    ("iban", lambda: draw.iban("DE"), ['iban: "{v}"']),
    ("iban", lambda: draw.iban("GB"), ["Locum doctor's bank details: {v}, sort code on file"]),
    ("national-id", draw.ssn, ["patient SSN {v} shown in the intake form screenshot"]),
    ("national-id", draw.nino, ["NI number: {v} (locum onboarding)"]),
    ("national-id", bsn, ["BSN {v} copied into the ticket by the Dutch clinic"]),
    ("national-id", dni, ["DNI del paciente {v}"]),
    (
        "ipv4",
        v4,
        [
            "player at {v} hit the rate limit 4000 times, banned by hand",
            "patient session from {v} (home broadband) kept reconnecting",
        ],
    ),
    ("ipv6", v6, ["login for maeve from {v} flagged by Okta as new device"]),
]

NEGATIVES: list[tuple[str, Callable[[], str], list[str]]] = [
    (
        "git-sha",
        draw.sha40,
        [
            "Reverted {v} (leaderboard cache TTL) at 04:30",
            "commit {v}\nAuthor: build-bot <ci@pixelbrook.internal>",
            "deployed intake-api@{v}",
            "fixed in {v}, see MR !812",
        ],
    ),
    (
        "git-sha",
        pre("", HEX, 7),
        ["hotfix {v} cherry-picked to release/3.14", "HEAD is now at {v} fix reconnect loop"],
    ),
    (
        "uuid",
        draw.uuid4,
        [
            "visit_id={v} state=abandoned",
            "PlayFab title player {v} (test account)",
            '"subscriptionId": "{v}"',
            "request_id: {v}",
            "correlation-id {v} timed out after 30s",
        ],
    ),
    (
        "hash-or-digest",
        pre("sha256:", HEX, 64),
        ["image: registry.pixelbrook.internal/matchmaker@{v}", "Digest: {v}"],
    ),
    (
        "hash-or-digest",
        pre("", HEX, 64),
        ["{v}  TidalQuest-3.14.0.apk", "sha256sum of the export: {v}", 'checksum = "{v}"'],
    ),
    ("hash-or-digest", pre("sha512-", B64, 86, "=="), ["  integrity: {v}"]),
    ("hash-or-digest", pre("", HEX, 32), ["md5 {v} of the crash dump", 'ETag: "{v}"']),
    (
        "password-hash",
        lambda: "$2b$12$" + rs("./" + ALNUM, 53),
        ["password_hash: '{v}'", "UPDATE staff SET pw_hash='{v}' WHERE id=12;"],
    ),
    (
        "password-hash",
        lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(B64, 22) + "$" + rs(B64, 43),
        ["stored hash {v} (argon2, fine)"],
    ),
    ("password-hash", lambda: "{SSHA}" + rs(B64, 32), ["userPassword: {v}"]),
    ("trace-id", pre("", HEX, 32), ["trace_id={v} span=checkout", "dd.trace_id={v}"]),
    ("trace-id", lambda: f"00-{rs(HEX, 32)}-{rs(HEX, 16)}-01", ["traceparent: {v}"]),
    (
        "cloud-resource-id",
        lambda: f"projects/pixelbrook-prod/locations/europe-west1/clusters/{rs(LOW, 6)}",
        ["cluster: {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: f"/subscriptions/{draw.uuid4()}/resourceGroups/hl-prod/providers/Microsoft.Web/sites/intake",
        ["resource {v} restarted"],
    ),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::hl-fhir-exports-{rs(DIG, 4)}", ["bucket {v} is private"]),
    ("cloud-resource-id", pre("i-0", HEX, 16), ["drained node {v}"]),
    ("cloud-resource-id", pre("sg-0", HEX, 16), ["security group {v} opened 5432 to the VPN range"]),
    (
        "placeholder",
        lambda: rng.choice(
            [
                "<your-api-key>",
                "changeme",
                "${DB_PASSWORD}",
                "REPLACE_ME",
                "xxxxxxxx",
                "<redacted>",
                "TODO",
                "your_token_here",
                "********",
            ]
        ),
        [
            "STRIPE_SECRET_KEY={v}",
            '  password: "{v}"',
            "OPENAI_API_KEY={v}",
            "token: {v}",
            "DATABASE_URL=postgres://intake:{v}@db:5432/visits",
            "export VAULT_TOKEN={v}",
            'api_key = "{v}"',
        ],
    ),
    (
        "templated-value",
        lambda: rng.choice(
            [
                "{{ .Values.db.password }}",
                "${{ secrets.PLAYFAB_SECRET }}",
                "$(cat /run/secrets/db)",
                "%(SMTP_PASSWORD)s",
                "${env:TWILIO_AUTH_TOKEN}",
                '{{ vault "secret/intake" "password" }}',
                "$TWILIO_AUTH_TOKEN",
                "!Ref DbPassword",
                "#{sendgrid_key}",
            ]
        ),
        [
            'password: "{v}"',
            "token: {v}",
            "SENDGRID_API_KEY={v}",
            "        value: {v}",
            'auth_token = "{v}"',
            "-p {v}",
            "MasterUserPassword: {v}",
        ],
    ),
    (
        "masked-value",
        lambda: rng.choice(
            [
                "sk_live_****************4Xq2",
                "ghp_************************wPz1",
                "****-****-****-4417",
                "AKIA************7QXK",
                "SG.****",
                "hvs.********",
                "xoxb-***-***-***",
            ]
        ),
        [
            "key shown in dashboard as {v}",
            "audit log: token {v} revoked",
            "card ending {v}",
            "redacted: {v}",
            "rotated {v} at 05:20",
            "Stripe said the leaked key was {v}",
            "CI masked it as {v}",
        ],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["password", "api_key", "secret", "token", "AUTH_TOKEN"]),
        [
            "the {v} field is required",
            "rotate the {v} every 90 days",
            "error: missing {v} in request",
            "never paste the {v} in chat again",
            "{v}: (set in Vault)",
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice(
            [
                "10.40.2.17",
                "192.168.1.20",
                "172.16.8.4",
                "127.0.0.1",
                "100.64.3.9",
                "10.244.1.33",
                "169.254.169.254",
            ]
        ),
        [
            "upstream {v}:5432 refused connection",
            "pod ip {v}",
            "metadata endpoint {v} blocked by policy",
            "bind {v}:6379",
            "node {v} NotReady",
        ],
    ),
    (
        "example-email",
        lambda: rng.choice(
            [
                "player@example.com",
                "noreply@pixelbrook.internal",
                "oncall@harbourline.internal",
                "patient@example.org",
                "test@example.net",
            ]
        ),
        ["From: {v}", "set notify_email={v}", "alerts go to {v}", "sample login {v}"],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(
            [
                "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
                "xoxb-not-a-real-token-this-will-not-work",
            ]
        ),
        [
            "docs sample: {v}",
            "from the AWS guide: {v}",
            "the README uses {v} as the example",
            "example value {v} in the tutorial",
        ],
    ),
    (
        "version-or-date",
        lambda: rng.choice(
            [
                "3.14.0+build.8812",
                "2026.09.02",
                "v1.29.6-gke.1038000",
                "Unity 2022.3.41f1",
                "postgres:16.4-bookworm",
                "20260902.4",
            ]
        ),
        ["release {v} rolled back", "running {v}", "image {v}", "upgraded to {v}", "tag {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@pixelbrook",
        ["{v}"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["JWKS public key for intake-api:\n{v}"]),
    ("public-key-or-cert", pre("pk_live_51", ALNUM, 90), ["STRIPE_PUBLISHABLE_KEY={v}"]),
    ("public-key-or-cert", lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58), ["recipients: {v}"]),
    (
        "ids-and-numbers",
        lambda: f"HL-{rng.randint(1000, 9999)}",
        ["see {v} for the follow-up", "ticket {v} closed"],
    ),
    ("ids-and-numbers", lambda: f"INC-{rng.randint(10000, 99999)}", ["{v}: leaderboard writes failing"]),
    ("ids-and-numbers", pre("", UP + DIG, 5), ["PlayFab TitleId {v} (public, ships in the client)"]),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(10**9, 10**10)),
        ["Google Play order id GPA.{v}", "build number {v}"],
    ),
    ("ids-and-numbers", lambda: "cus_" + rs(ALNUM, 14), ["stripe customer {v}"]),
    ("ids-and-numbers", lambda: "1:" + rs(DIG, 12) + ":android:" + rs(HEX, 16), ["firebase app id {v}"]),
    ("luhn-fail-number", draw.luhn_bad, ["order ref {v} not found", "player card id {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(["4242424242424242", "4000056655665556", "5555555555554444"]),
        ["QA used test card {v}", "stripe test card {v} declined as expected"],
    ),
    ("encrypted-value", lambda: draw.sops_value(), ["password: {v}", "api_key: {v}"]),
    ("encrypted-value", lambda: draw.sealed(300), ["  encryptedData:\n    token: {v}"]),
    ("encrypted-value", lambda: "vault:v1:" + rs(B64, 60), ["ssn_ciphertext: {v}"]),
    ("git-sha", draw.sha40, ["Unity Cloud Build #8812 source revision {v}", '  "rev": "{v}",']),
    (
        "uuid",
        draw.uuid4,
        [
            "Okta app instance {v}",
            "firebase installation {v} purged",
            "azure tenant id: {v}",
            "- name: hl-intake\n  clientId: {v}",
        ],
    ),
    (
        "hash-or-digest",
        pre("", HEX, 40),
        ["SHA1 fingerprint {v} of the upload key", "gradle verification-metadata sha1 {v}"],
    ),
    ("hash-or-digest", lambda: "h1:" + rs(B64, 43) + "=", ["golang.org/x/net v0.28.0 {v}"]),
    (
        "password-hash",
        lambda: "pbkdf2_sha256$600000$" + rs(ALNUM, 22) + "$" + rs(B64, 43) + "=",
        ["django auth_user.password = {v}"],
    ),
    (
        "password-hash",
        lambda: "$6$" + rs("./" + ALNUM, 16) + "$" + rs("./" + ALNUM, 86),
        ["ops:{v}:19800:0:99999:7:::"],
    ),
    ("trace-id", pre("", HEX, 16), ["span_id={v} parent=none", "X-B3-SpanId: {v}"]),
    ("trace-id", lambda: "Root=1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: {v}"]),
    (
        "cloud-resource-id",
        lambda: "arn:aws:iam::123456789012:role/hl-fhir-export-" + rs(LOW, 5),
        ["assumed role {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "europe-west1-docker.pkg.dev/pixelbrook-prod/game/matchmaker",
        ["pushed {v}:3.14.0"],
    ),
    (
        "placeholder",
        lambda: rng.choice(
            [
                "<paste token here>",
                "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
                "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                "dummy",
                "secret123-example",
            ]
        ),
        ['TWILIO_AUTH_TOKEN="{v}"', "GITHUB_TOKEN: {v}", "the runbook says: export STRIPE_KEY={v}"],
    ),
    (
        "masked-value",
        lambda: rng.choice(
            [
                "postgres://intake:*****@db-primary.harbourline.internal/visits",
                "Authorization: Bearer [FILTERED]",
                "password=[REDACTED]",
                "****5521",
            ]
        ),
        ["log line after scrub: {v}", "sentry event shows {v}"],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["client_secret", "PGPASSWORD", "webhook secret"]),
        ["where do we keep the {v} for staging?", "{v} not set, falling back to anonymous"],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice(["203.0.113.42", "198.51.100.7", "192.0.2.15"]),
        ["docs example: player at {v} gets a 429", "firewall rule allows {v}"],
    ),
    (
        "example-email",
        lambda: rng.choice(["billing@example.com", "dpo@harbourline.internal"]),
        ["contact {v} for access"],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(
            [
                "SG.xxxxxxxxxxxxxxxxxxxxxx.yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
                "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            ]
        ),
        ["vendor docs placeholder {v}"],
    ),
    (
        "version-or-date",
        lambda: rng.choice(
            ["com.pixelbrook.tidalquest 3.14.0 (31400)", "2026-09-02T04:11:09Z", "openssl 3.0.13"]
        ),
        ["{v} shipped", "built with {v}"],
    ),
    ("ids-and-numbers", lambda: "MR !" + str(rng.randint(100, 999)), ["fix landed in {v}"]),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(100000, 999999)),
        ["Apple review submission {v} rejected (guideline 5.1.1)", "Sentry issue {v} regressed"],
    ),
    ("ids-and-numbers", lambda: "ca-app-pub-" + rs(DIG, 16) + "~" + rs(DIG, 10), ["admob app id {v}"]),
    (
        "encrypted-value",
        lambda: (
            "-----BEGIN PGP MESSAGE-----\n\n"
            + rs(B64, 64)
            + "\n"
            + rs(B64, 40)
            + "=\n-----END PGP MESSAGE-----"
        ),
        ["encrypted with the ops key:\n{v}"],
    ),
    (
        "base64-nonsecret",
        lambda: base64.b64encode(
            rng.choice(
                [
                    b"hello from the matchmaker",
                    b'{"level":12,"boss":"kraken"}',
                    b"healthcheck ok",
                    b"visit-reminder:v2",
                ]
            )
        ).decode(),
        ["payload={v}", "message body: {v}", "data: {v}"],
    ),
]


def expand(table: list[tuple[str, Callable[[], str], list[str]]]) -> list[Row]:
    out: list[Row] = []
    for typ, gen, tpls in table:
        for tpl in tpls:
            v = gen()
            out.append((typ, tpl.replace("{{", "{").replace("}}", "}").replace("{v}", v), v))
    return out


def discord_rows() -> list[Row]:
    out: list[Row] = []
    for tpl in ["DISCORD_WEBHOOK_URL={v}", 'webhooks:\n  crash_alerts: "{v}"']:
        v = "https://discord.com/api/webhooks/1" + rs(DIG, 18) + "/" + rs(B64URL, 68)
        out.append(("webhook-url", tpl.replace("{v}", v), v))
    v = (
        "https://outlook.office.com/webhook/"
        + draw.uuid4()
        + "@"
        + draw.uuid4()
        + "/IncomingWebhook/"
        + rs(HEX, 32)
        + "/"
        + draw.uuid4()
    )
    out.append(("webhook-url", "teams_webhook = " + v, v))
    return out


def sections() -> tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]]:
    secrets = expand(SECRETS) + discord_rows() + expand([("password-assignment", pw, PASSWORD_TEMPLATES)])
    return secrets, expand(PERSONAL), [], [], expand(NEGATIVES), []


def check(rows: list[dict], *, fold: str, id_prefix: str, id_digits: int, out: Path) -> None:
    check_rows(rows, fold=fold, id_prefix=id_prefix, types=TYPES, id_digits=id_digits)
    check_unseen(rows, out)
    for r in rows:
        digits = re.sub(r"\D", "", r["value"])
        if r["type"] == "credit-card":
            assert luhn_ok(digits) and digits not in ALL_CARDS, r["id"]
        if r["type"] == "luhn-fail-number":
            assert not luhn_ok(digits), r["id"]
        if r["type"] == "iban":
            raw = r["value"].replace(" ", "")
            assert iban_ok(raw) and len(raw) == {"NL": 18, "BE": 16, "FR": 27, "DE": 22, "GB": 22}[raw[:2]], (
                r["id"]
            )
    counts = {k: sum(r["kind"] == k for r in rows) for k in (S, P, N)}
    assert counts[S] == 160 and counts[P] == 30, counts
    json.dumps(rows)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t64", out=OUT, check=check, id_digits=4)


if __name__ == "__main__":
    main()
