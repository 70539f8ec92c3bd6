# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test62.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test62.py`` (standard library and the sibling
``planted_kit.py`` only). Values are random in their vendors' formats, drawn from
``random.Random(20270162)``, and fake; the file is byte-identical on every run.

The lines come from the made-up documents of two ordinary teams: Copperleaf Outfitters
(``*.copperleaf.internal``), an online outdoor-gear shop on AWS (EKS, RDS Postgres, Redis, Stripe,
PayPal, SendGrid, Twilio, Datadog, GitHub Actions) and Staffwise (``*.staffwise.internal``), a SaaS
HR and payroll product on Azure and GCP (AKS, MySQL, MongoDB Atlas, RabbitMQ, Kafka, GitLab CI,
Okta, Auth0, Sentry, Grafana, PagerDuty, OpenAI). Documents: the shop's checkout-outage postmortem,
the payroll-run runbook, the on-call chat, shell sessions, CI logs, config files and tickets.
Everyday shapes first in each kind (``t62p…``/``t62n…``).
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
    TEST_CARDS,
    UP,
    Draw,
    Gen,
    Row,
    b64,
    encode_jwt,
    expand_table,
    luhn_ok,
    sanity,
    write_fold,
)
from planted_kit import TYPES as SHARED_TYPES
from planted_kit import N, P, S

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test62.jsonl"
FOLD = "test62"
rng = Random(20270162)
draw = Draw(rng)
rs = draw.rs

TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = ["trailhead", "carabiner", "basecamp", "payslip", "ledger", "summit", "harness", "rota", "canvas", "lantern", "paddle", "ridge"]


# ---------------------------------------------------------------------------- secret values
def pw() -> str:
    """Passwords as teams really set them on shared accounts and databases."""
    k = rng.randrange(7)
    if k == 0:
        return rng.choice(WORDS).capitalize() + str(rng.randint(2019, 2026)) + rng.choice("!#%*")
    if k == 1:
        return rs(ALNUM, rng.randint(16, 24))
    if k == 2:
        return "-".join(rng.sample(WORDS, 3)) + "-" + rs(DIG, 2)
    if k == 3:
        return rs(ALNUM + "!%^*#+", rng.randint(14, 20)) + rng.choice(DIG)
    if k == 4:
        return rng.choice(WORDS).capitalize() + rng.choice("!#&") + rs(DIG, 3) + rng.choice(WORDS).capitalize()
    if k == 5:
        return rs(ALNUM, 12) + rng.choice("._") + rs(ALNUM, 8)
    return rs(HEX, 32)


def url_pw() -> str:
    k = rng.randrange(3)
    if k == 0:
        return rs(ALNUM, rng.randint(18, 28))
    if k == 1:
        return rng.choice(WORDS) + rs(DIG, 4) + rng.choice(WORDS).capitalize()
    return rs(ALNUM, 9) + "-" + rs(ALNUM, 9)


def pre(prefix: str, alphabet: str, n: int, suffix: str = "") -> Gen:
    return lambda: prefix + rs(alphabet, n) + suffix


def hexs(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def basic(user: str) -> Gen:
    return lambda: b64(f"{user}:{pw()}".encode())


def k8s_b64() -> str:
    return b64(pw().encode())


def gh_classic() -> str:
    return "ghp_" + rs(ALNUM, 36)


def gh_fine() -> str:
    return "github_pat_11" + rs(UP + DIG, 20) + "_" + rs(ALNUM, 59)


def gh_app() -> str:
    return "ghs_" + rs(ALNUM, 36)


def jwt_sa() -> str:
    """A Kubernetes service-account token."""
    head = {"alg": "RS256", "kid": rs(B64URL, 43)}
    body = {
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "exp": rng.randint(1_800_000_000, 1_830_000_000),
        "iss": "https://oidc.eks.eu-west-1.amazonaws.com/id/" + rs(HEX.upper(), 32),
        "sub": "system:serviceaccount:" + rng.choice(["ci:deployer", "checkout:checkout-api", "payroll:runner"]),
    }
    return encode_jwt(head, body, rs(B64URL, 342))


def jwt_app() -> str:
    head = {"alg": rng.choice(["HS256", "RS256"]), "typ": "JWT"}
    body = {
        "sub": rng.choice(["usr_8812", "emp_20931", "admin", "svc-payroll"]),
        "tenant": rng.choice(["acme-dental", "borough-bikes", "greyfield-care"]),
        "role": rng.choice(["hr_admin", "payroll_admin", "support"]),
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt(head, body, rs(B64URL, 43 if head["alg"] == "HS256" else 342))


def jwt_auth0() -> str:
    head = {"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 22)}
    body = {
        "iss": "https://staffwise.eu.auth0.com/",
        "sub": rs(ALNUM, 32) + "@clients",
        "aud": "https://api.staffwise.internal",
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
        "gty": "client-credentials",
    }
    return encode_jwt(head, body, rs(B64URL, 342))


def pem(kind: str, sep: str = "\n") -> Gen:
    return lambda: draw.pem_private_key(kind, sep)


def kube_key_data() -> str:
    return b64(draw.pem_private_key("ec").encode() + b"\n")


def gcp_sa_json() -> str:
    return draw.gcp_sa_key()


def teams_hook() -> str:
    return (
        f"https://staffwise.webhook.office.com/webhookb2/{draw.uuid4()}@{draw.uuid4()}/IncomingWebhook/"
        f"{rs(HEX, 32)}/{draw.uuid4()}/V2{rs(ALNUM, 43)}"
    )


def anthropic() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def hf() -> str:
    return "hf_" + rs(UP + LOW, 34)


def npm() -> str:
    return "npm_" + rs(ALNUM, 36)


def pypi() -> str:
    return "pypi-AgEIcHlwaS5vcmcCJ" + rs(B64URL, 140)


def nuget() -> str:
    return "oy2" + rs(LOW + DIG, 43)


def okta() -> str:
    return "00" + rs(B64URL, 40)


def vault() -> str:
    return "hvs." + rs(ALNUM, 24)


def op_token() -> str:
    return "ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmV1Ii" + rs(B64URL, 300)


def dd_api() -> str:
    return rs(HEX, 32)


def newrelic() -> str:
    return "NRAK-" + rs(UP + DIG, 27)


def twilio_token() -> str:
    return rs(HEX, 32)


def mailgun() -> str:
    return rs(HEX, 32) + "-" + rs(HEX, 8) + "-" + rs(HEX, 8)


def paypal_secret() -> str:
    return "E" + rs(B64URL, 79)


def adyen() -> str:
    return "AQE" + rs(ALNUM, 20) + "+" + rs(B64, 60) + "=-" + rs(B64, 43) + "=-" + rs(ALNUM, 16)


def docker_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def bitbucket() -> str:
    return "ATBB" + rs(ALNUM, 28) + rs(HEX.upper(), 8)


def bws() -> str:
    return f"0.{draw.uuid4()}.{rs(ALNUM, 30)}:{rs(B64, 22)}=="


def ses_smtp() -> str:
    return "B" + rs(ALNUM + "+/", 43)


def auth0_secret() -> str:
    return rs(B64URL, 64)


def aws_session() -> str:
    return "IQoJb3JpZ2luX2VjE" + rs(B64, 300)


def pd_token() -> str:
    return "u+" + rs(B64URL, 18)


def glsa() -> str:
    return "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8)


# ---------------------------------------------------------------------------- personal values
FIRST = ["maelle", "tobias", "ngozi", "ruairi", "wiktoria", "santeri", "giada", "bram", "oksana", "dev"]
LAST = ["kowalski", "virtanen", "ferrante", "okafor", "lindqvist", "achebe", "moreau", "dunleavy", "ricci"]
WEBMAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "wp.pl", "libero.it", "hotmail.com"]


def email() -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice([f"{f}.{last}", f"{f}{rng.randint(1, 99)}", f"{f[0]}{last}", f"{last}.{f}{rng.randint(70, 99)}"])
    return f"{local}@{rng.choice(WEBMAIL)}"


def phone(form: str) -> Gen:
    def make() -> str:
        tail2 = f"{rng.randint(0, 99):02d}"
        tail3 = f"{rng.randint(0, 999):03d}"
        return form.format(t2=tail2, t3=tail3, au=rng.choice(["006", "156", "157", "158", "159", "110"]))

    return make


PHONEISH_62 = re.compile(r"555[-. ]?01\d\d|7700 ?900|7946 ?0|496 ?0\d\d\d|491 ?570")


def card(prefix: str, length: int, style: str) -> Gen:
    def make() -> str:
        num = draw.luhn_make(prefix, length, TEST_CARDS | MORE_TEST_CARDS)
        if style == "4":
            return " ".join(num[i : i + 4] for i in range(0, 16, 4))
        if style == "-":
            return "-".join(num[i : i + 4] for i in range(0, 16, 4))
        if style == "amex":
            return f"{num[:4]} {num[4:10]} {num[10:]}"
        return num

    return make


def iban(country: str, bban: str) -> str:
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - num % 97:02d}{bban}"


def grouped(raw: str) -> str:
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def iban_de() -> str:
    return grouped(iban("DE", rs(DIG, 8) + rs(DIG, 10)))


def iban_fr() -> str:
    bank, branch, acct = rs(DIG, 5), rs(DIG, 5), rs(DIG, 11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
    return grouped(iban("FR", f"{bank}{branch}{acct}{key:02d}"))


def iban_be() -> str:
    body = rs(DIG, 10)
    key = int(body) % 97 or 97
    return iban("BE", f"{body}{key:02d}")


def iban_at() -> str:
    return grouped(iban("AT", rs(DIG, 16)))


def iban_pl() -> str:
    return grouped(iban("PL", rs(DIG, 24)))


IBAN_LEN = {"DE": 22, "FR": 27, "BE": 16, "AT": 20, "PL": 28}


def pesel() -> str:
    y, m, d = rng.randint(60, 99), rng.randint(1, 12), rng.randint(1, 28)
    body = f"{y:02d}{m:02d}{d:02d}" + rs(DIG, 4)
    w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    c = (10 - sum(int(a) * b for a, b in zip(body, w, strict=True)) % 10) % 10
    return body + str(c)


HETU_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu() -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(60, 99)
    ind = rng.randint(2, 899)
    return f"{d:02d}{m:02d}{y:02d}-{ind:03d}" + HETU_CHARS[int(f"{d:02d}{m:02d}{y:02d}{ind:03d}") % 31]


CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def cf_check(body: str) -> str:
    total = 0
    for i, ch in enumerate(body):
        v = int(ch) if ch.isdigit() else ord(ch) - 65
        total += CF_ODD[v] if i % 2 == 0 else v
    return chr(65 + total % 26)


def codice_fiscale() -> str:
    body = "RCCGDA" + f"{rng.randint(70, 99)}" + rng.choice("ABCDEHLMPRST") + f"{rng.randint(41, 68)}" + rng.choice(["F205", "H501", "L219", "A944"])
    return body + cf_check(body)


def national_id_ok(row: dict[str, str]) -> bool:
    v = row["value"]
    if re.fullmatch(r"\d{11}", v):
        w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        return (10 - sum(int(a) * b for a, b in zip(v[:10], w, strict=True)) % 10) % 10 == int(v[10])
    if re.fullmatch(r"\d{6}-\d{3}[0-9A-Y]", v):
        return HETU_CHARS[int(v[:6] + v[7:10]) % 31] == v[10]
    if re.fullmatch(r"[A-Z]{6}\d\d[A-Z]\d\d[A-Z]\d{3}[A-Z]", v):
        return cf_check(v[:15]) == v[15]
    return False


def private_key_ok(v: str) -> bool:
    if v.startswith("LS0tLS1CRUdJTi"):
        return True
    return v.startswith("-----BEGIN ") and v.rstrip().endswith("-----")


# ---------------------------------------------------------------------------- negatives' values
def luhn_bad() -> str:
    while True:
        num = rng.choice("4536") + rs(DIG, 15)
        if not luhn_ok(num):
            return num


def bcrypt() -> str:
    return "$2b$12$" + rs("./" + ALNUM, 53)


def sops() -> str:
    return f"ENC[AES256_GCM,data:{b64(draw.rbytes(15))},iv:{b64(draw.rbytes(32))},tag:{b64(draw.rbytes(16))},type:str]"


# ---------------------------------------------------------------------------- context fillers
STAFF = ["hanna", "jules", "bilal", "marta", "cormac", "yusuf", "ines", "tadhg", "leonie", "ravi"]
FILL: dict[str, Gen] = {
    "who": lambda: rng.choice(STAFF),
    "ts": draw.iso,
    "t": draw.hhmm,
    "pip": draw.priv_ip,
    "uuid": draw.uuid4,
    "tkt": lambda: str(rng.randint(1200, 9899)),
    "h40": hexs(40),
}


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[Row]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- secrets, everyday shapes
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [
        "[default]\naws_access_key_id = {v}\naws_secret_access_key = <see 1password: copperleaf-prod-ci>",
        "export AWS_ACCESS_KEY_ID={v}",
        "{ts} checkout-worker botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:iam::123456789012:user/ci-uploader is not authorized (AccessKeyId {v})",
    ]),
    ("aws-key", draw.aws_secret, [
        "export AWS_SECRET_ACCESS_KEY={v}",
        "  env:\n    AWS_REGION: eu-west-1\n    AWS_SECRET_ACCESS_KEY: \"{v}\"",
        "$ aws configure set aws_secret_access_key {v} --profile copperleaf-prod",
        "provider \"aws\" {\n  region     = \"eu-west-1\"\n  secret_key = \"{v}\"\n}",
    ]),
    ("aws-key", aws_session, ["AWS_SESSION_TOKEN={v}"]),
    ("azure-key", draw.az_client_secret, [
        "az login --service-principal -u 6b1f0c2e-sw-deploy -p '{v}' --tenant staffwise.onmicrosoft.com",
        "ARM_CLIENT_SECRET=\"{v}\"",
        "  \"AzureAd\": {\n    \"Instance\": \"https://login.microsoftonline.com/\",\n    \"ClientSecret\": \"{v}\"\n  }",
    ]),
    ("azure-key", draw.az_account_key, [
        "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=staffwisepayslips;AccountKey={v};EndpointSuffix=core.windows.net",
        "$ az storage blob upload-batch -d payslips --account-name staffwisepayslips --account-key \"{v}\" -s ./out",
    ]),
    ("azure-key", draw.az_sb_key, ["ServiceBus__ConnectionString: Endpoint=sb://sw-events.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}"]),
    ("gcp-key", draw.gcp_api, [
        "GOOGLE_MAPS_API_KEY={v}",
        "curl \"https://maps.googleapis.com/maps/api/geocode/json?address=SW1A+1AA&key={v}\"",
    ]),
    ("gcp-key", draw.gcp_oauth_secret, ["GOOGLE_OAUTH_CLIENT_SECRET={v}  # staffwise google workspace sign-in"]),
    ("gcp-service-account-key", gcp_sa_json, [
        "{\n  \"type\": \"service_account\",\n  \"project_id\": \"staffwise-analytics\",\n  \"private_key_id\": \"{h40}\",\n  \"private_key\": \"{v}\",\n  \"client_email\": \"bq-export@staffwise-analytics.iam.gserviceaccount.com\"\n}",
    ]),
    ("github-token", gh_classic, [
        "$ git clone https://{v}@github.com/copperleaf/storefront.git",
        "GITHUB_TOKEN={v} gh pr list --repo copperleaf/storefront",
        "//npm.pkg.github.com/:_authToken={v}",
    ]),
    ("github-token", gh_fine, ["{who}: here's the fine-grained PAT for the release bot, expires in 90d: {v}"]),
    ("github-token", gh_app, ["##[debug]Evaluating: secrets.GITHUB_TOKEN => {v}"]),
    ("gitlab-token", pre("glpat-", B64URL, 20), [
        "git remote set-url origin https://oauth2:{v}@gitlab.com/staffwise/payroll-engine.git",
        "PRIVATE-TOKEN: {v}",
    ]),
    ("gitlab-token", pre("glrt-", B64URL, 20), ["gitlab-runner register --url https://gitlab.com --token {v} --executor docker"]),
    ("slack-token", draw.slack_token, ["SLACK_BOT_TOKEN={v}"]),
    ("slack-webhook", draw.slack_hook, [
        "curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"deploy finished\"}' {v}",
        "      - name: notify\n        uses: slackapi/slack-github-action@v1.26.0\n        env:\n          SLACK_WEBHOOK_URL: {v}",
    ]),
    ("webhook-url", teams_hook, ["TEAMS_ALERTS_WEBHOOK={v}"]),
    ("webhook-url", draw.discord_hook, ["discord_webhook: \"{v}\"  # #shop-orders channel"]),
    ("stripe-key", draw.stripe_key, [
        "STRIPE_SECRET_KEY={v}",
        "Stripe::InvalidRequestError: No such customer: 'cus_PqR8s'; request-id: req_Zk1; api_key={v}",
        "stripe:\n  secret_key: {v}\n  webhook_tolerance: 300",
    ]),
    ("stripe-key", draw.stripe_whsec, ["STRIPE_WEBHOOK_SECRET={v}"]),
    ("jwt", jwt_sa, [
        "users:\n- name: ci-deployer\n  user:\n    token: {v}",
    ]),
    ("jwt", jwt_app, [
        "$ curl -s https://api.staffwise.internal/v2/employees -H \"Authorization: Bearer {v}\"",
        "{ts} WARN api request rejected token={v} reason=tenant_mismatch",
    ]),
    ("jwt", jwt_auth0, ["access_token\": \"{v}\", \"token_type\": \"Bearer\", \"expires_in\": 86400"]),
    ("private-key", pem("rsa"), [
        "{who} pasted into #infra by mistake:\n{v}",
        "$ cat ~/.ssh/deploy_rsa\n{v}",
    ]),
    ("private-key", pem("ssh"), ["bastion key for the payroll jump host:\n{v}"]),
    ("private-key", pem("pkcs8", "\n    "), ["tls:\n  key: |\n    {v}"]),
    ("private-key", pem("ec"), ["ssl_certificate_key contents (shop.copperleaf.example):\n{v}"]),
    ("private-key", kube_key_data, ["    client-key-data: {v}"]),
    ("k8s-secret-b64", k8s_b64, [
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: checkout-db\ntype: Opaque\ndata:\n  POSTGRES_PASSWORD: {v}",
        "$ kubectl get secret rabbitmq-auth -n payroll -o jsonpath='{.data.password}'\n{v}",
    ]),
    ("password-in-url", url_pw, [
        "DATABASE_URL=postgres://checkout:{v}@orders-db.copperleaf.internal:5432/orders?sslmode=require",
        "spring.datasource.url=jdbc:mysql://payroll:{v}@mysql-primary.staffwise.internal:3306/payroll",
        "MONGO_URI=mongodb+srv://sw-app:{v}@cluster0.x1abc.mongodb.net/hr?retryWrites=true&w=majority",
        "REDIS_URL=redis://:{v}@cart-cache.copperleaf.internal:6379/0",
        "amqp://payroll-worker:{v}@rabbitmq.staffwise.internal:5672/payroll",
        "{ts} ERROR sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not connect: postgresql://reporting:{v}@10.20.4.15:5432/warehouse",
        "$ psql \"postgresql://admin:{v}@orders-db.copperleaf.internal/orders\" -c 'select count(*) from carts'",
        "pip install --index-url https://ci:{v}@pypi.staffwise.internal/simple payroll-rules",
        "  - url: https://deploy:{v}@charts.copperleaf.internal/stable",
        "CELERY_BROKER_URL=amqps://celery:{v}@broker.staffwise.internal:5671//",
        "mongodb://root:{v}@mongo-0.mongo.hr.svc.cluster.local:27017/admin?authSource=admin",
        "Caused by: java.sql.SQLException: Access denied for user 'etl' (url=jdbc:postgresql://etl:{v}@warehouse.copperleaf.internal:5432/dw)",
    ]),
    ("basic-auth", basic("ci-bot"), [
        "Authorization: Basic {v}",
        "$ curl -H 'Authorization: Basic {v}' https://jira.staffwise.internal/rest/api/2/issue/PAY-{tkt}",
    ]),
    ("basic-auth", basic("copperleaf"), [
        "{\"auths\":{\"registry.copperleaf.internal\":{\"auth\":\"{v}\"}}}",
    ]),
    ("basic-auth", basic("grafana"), ["    basicAuth: {v}"]),
    ("bearer-token", alnum(40), [
        "curl -H \"Authorization: Bearer {v}\" https://api.copperleaf.internal/admin/reindex",
        "{ts} DEBUG http.client send: b'GET /v1/stock HTTP/1.1\\r\\nAuthorization: Bearer {v}\\r\\n'",
    ]),
]

COMMON_PASSWORDS: list[str] = [
    "POSTGRES_PASSWORD={v}",
    "DB_PASSWORD=\"{v}\"",
    "  password: {v}",
    "      MYSQL_ROOT_PASSWORD: \"{v}\"",
    "db_password = \"{v}\"",
    "spring.datasource.password={v}",
    "\"ConnectionStrings\": { \"Payroll\": \"Server=sql-sw-prod.database.windows.net;Database=payroll;User Id=payroll_app;Password={v};Encrypt=True\" }",
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'USER': 'shop', 'PASSWORD': '{v}'}}",
    "production:\n  adapter: postgresql\n  username: storefront\n  password: {v}",
    "{who}: the new pw for the shared stripe dashboard login is {v}",
    "{who}: rotated the RDS master password, it's now {v} until we move it into Secrets Manager",
    "[{t}] {who}: try {v} for the grafana admin",
    "$ mysql -u root -p{v} -h mysql-primary.staffwise.internal payroll",
    "$ PGPASSWORD={v} pg_dump -h orders-db.copperleaf.internal -U checkout orders > orders.sql",
    "$ docker login registry.copperleaf.internal -u ci -p {v}",
    "echo \"{v}\" | docker login --username copperleafci --password-stdin",
    "redis-cli -h cart-cache.copperleaf.internal -a {v} FLUSHDB",
    "requirepass {v}",
    "RABBITMQ_DEFAULT_PASS={v}",
    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"payroll-events\" password=\"{v}\";",
    "<server>\n  <id>copperleaf-releases</id>\n  <username>deploy</username>\n  <password>{v}</password>\n</server>",
    "variable \"db_password\" {\n  default = \"{v}\"\n}",
    "  auth:\n    postgresPassword: \"{v}\"\n    database: orders",
    "smtp:\n  host: smtp.sendgrid.net\n  user: apikey\n  pass: {v}",
    "config.action_mailer.smtp_settings = { user_name: 'postmaster@mg.copperleaf.example', password: '{v}' }",
    "Ticket SUP-{tkt}: customer can't log into staff portal. Reset done, temp password {v} sent by phone.",
    "PM step 4: 14:02 {who} logged into the RDS console as master (password {v}) and killed the long-running vacuum",
    "grafana:\n  adminPassword: {v}",
    "keycloak admin: admin / {v}",
    "vault kv put secret/payroll/db password={v}",
    "op item create --category login --title 'pg orders' username=checkout password='{v}'",
    "JIRA service account password (before the SSO move): {v}",
    "[client]\nuser=backup\npassword={v}",
    "mongosh \"mongodb://hr-db.staffwise.internal:27017\" --username hr_admin --password '{v}'",
    "{who}> pw is {v}",
    "{who}> what's the pw for the staging rabbit?\n{who}> {v}",
    "jenkins: admin / {v} (initialAdminPassword was never changed)",
    "ES_PASSWORD={v} curl -u elastic:$ES_PASSWORD https://es.copperleaf.internal:9200/_cat/indices",
    "$env:SQL_PASSWORD = \"{v}\"",
    "          password: \"{v}\"  # TODO move to sealed secret",
    "sftp credentials for the payroll bureau: user sw_bureau, password {v}",
    "new joiner laptop setup: Okta temp password {v} (must change at first login)",
    "pgbouncer: \"checkout\" \"{v}\"",
]

COMMON_TOKENS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", draw.sendgrid_key, [
        "SENDGRID_API_KEY={v}",
        ]),
    ("vendor-token", mailgun, ["MAILGUN_API_KEY={v}"]),
    ("vendor-token", draw.uuid4, ["POSTMARK_SERVER_TOKEN={v}"]),
    ("vendor-token", twilio_token, [
        "TWILIO_AUTH_TOKEN={v}",
        "client = Client(os.environ[\"TWILIO_ACCOUNT_SID\"], '{v}')  # sms for delivery updates",
    ]),
    ("vendor-token", alnum(32), ["TWILIO_API_SECRET={v}  # key created for the payroll 2fa service"]),
    ("vendor-token", alnum(16), ["VONAGE_API_SECRET={v}"]),
    ("vendor-token", dd_api, [
        "DD_API_KEY={v}",
        "  datadog:\n    apiKey: {v}\n    site: datadoghq.eu",
    ]),
    ("vendor-token", hexs(40), ["DD_APP_KEY={v}"]),
    ("vendor-token", newrelic, ["NEW_RELIC_API_KEY={v}"]),
    ("vendor-token", pre("", HEX, 36, "NRAL"), ["newrelic.license_key = {v}"]),
    ("vendor-token", lambda: rs(HEX, 32) + "-us21", ["MAILCHIMP_API_KEY={v}"]),
    ("vendor-token", pre("sntrys_", B64URL, 80), ["SENTRY_AUTH_TOKEN={v} sentry-cli releases new 4.18.0"]),
    ("vendor-token", glsa, ["grafana_auth = \"{v}\""]),
    ("vendor-token", pd_token, ["PAGERDUTY_TOKEN={v}"]),
    ("vendor-token", hexs(32), ["routing_key: {v}  # PagerDuty Events v2, payroll service"]),
    ("vendor-token", draw.uuid4, ["OPSGENIE_API_KEY={v}"]),
    ("vendor-token", draw.openai_key, [
        "OPENAI_API_KEY={v}",
        "openai.AuthenticationError: Error code: 401 - Incorrect API key provided: {v}",
    ]),
    ("vendor-token", anthropic, ["ANTHROPIC_API_KEY={v}"]),
    ("vendor-token", hf, ["$ huggingface-cli login --token {v}"]),
    ("vendor-token", npm, [
        "//registry.npmjs.org/:_authToken={v}",
    ]),
    ("vendor-token", pypi, ["[pypi]\n  username = __token__\n  password = {v}"]),
    ("vendor-token", pre("rubygems_", HEX, 48), ["GEM_HOST_API_KEY: {v}"]),
    ("vendor-token", nuget, ["dotnet nuget push Staffwise.Payroll.Rules.4.2.0.nupkg -k {v} -s https://api.nuget.org/v3/index.json"]),
    ("vendor-token", draw.atlassian_token, [
        "JIRA_API_TOKEN={v}",
        "confluence:\n  url: https://staffwise.atlassian.net/wiki\n  user: release-bot@staffwise.example\n  token: {v}",
    ]),
    ("vendor-token", okta, [
        "Authorization: SSWS {v}",
        "OKTA_API_TOKEN={v}",
    ]),
    ("vendor-token", auth0_secret, ["AUTH0_CLIENT_SECRET={v}"]),
    ("vendor-token", alnum(32), ["KEYCLOAK_CLIENT_SECRET={v}"]),
    ("vendor-token", vault, [
        "export VAULT_TOKEN={v}",
        "$ vault login {v}\nSuccess! You are now authenticated.",
    ]),
    ("vendor-token", op_token, ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    ("vendor-token", bws, ["BWS_ACCESS_TOKEN={v} bws secret list"]),
    ("vendor-token", docker_pat, ["$ docker login -u copperleafci -p {v}"]),
    ("vendor-token", bitbucket, ["BITBUCKET_APP_PASSWORD={v}"]),
    ("vendor-token", draw.tf_cloud_token, ["credentials \"app.terraform.io\" {\n  token = \"{v}\"\n}"]),
    ("vendor-token", paypal_secret, ["PAYPAL_CLIENT_SECRET={v}"]),
    ("vendor-token", adyen, ["ADYEN_API_KEY={v}"]),
    ("vendor-token", ses_smtp, ["ses smtp creds for noreply: AKIA user in 1P, smtp password {v}"]),
    ("generic-api-key", alnum(32), [
        "X-API-Key: {v}",
        "curl -H 'x-api-key: {v}' https://carrier.dpd-partner.example/v1/labels",
        "payroll_bureau:\n  api_key: {v}",
        "{ts} INFO outbound GET https://api.address-lookup.example/v2/find?postcode=LS1&api_key={v} 200",
    ]),
    ("generic-api-key", hexs(40), [
        "\"apiKey\": \"{v}\",",
    ]),
    ("generic-api-key", pre("pk_", ALNUM, 30), ["klaviyo private api key (starts pk_, not publishable!) {v}"]),
    ("generic-api-key", alnum(24), [
        "app.config['SECRET_KEY'] = '{v}'",
        "SECRET_KEY_BASE={v}",
    ]),
    ("generic-api-key", lambda: b64(draw.rbytes(32)), [
        "DJANGO_SECRET_KEY='{v}'",
        "jwt:\n  signing_secret: \"{v}\"",
    ]),
]


# ---------------------------------------------------------------------------- personal data
PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("email", email, [
        "{ts} INFO order 100{tkt} confirmation sent to {v}",
        "customer_email,order_id,total\n{v},CL-88{tkt},129.95",
        "Ticket SUP-{tkt}: {v} says her payslip shows the wrong tax code",
        "{ts} ERROR sendgrid bounce type=hard recipient={v}",
        "  \"billing_email\": \"{v}\",",
        "{who}: can someone unlock the account for {v}? third lockout today",
    ]),
    ("phone", phone("07700 900{t3}"), ["delivery driver couldn't reach customer on {v}, parcel returned to depot"]),
    ("phone", phone("+44 20 7946 0{t3}"), ["employee emergency contact: {v} (mother)"]),
    ("phone", phone("0161 496 0{t3}"), ["callback requested on {v} re: missing order"]),
    ("phone", phone("(312) 555-01{t2}"), ["{ts} twilio sms failed to={v} code=30006 landline"]),
    ("phone", phone("+1 415 555 01{t2}"), ["new hire record: phone {v}, start 2026-02-02"]),
    ("phone", phone("+61 491 570 {au}"), ["Sydney customer, mobile {v}, wants the tent exchanged"]),
    ("phone", phone("+447700900{t3}"), ["  \"phone\": \"{v}\","]),
    ("credit-card", card("4", 16, "4"), ["{ts} ERROR checkout stripe fallback logged raw pan={v} exp=08/29"]),
    ("credit-card", card("53", 16, ""), ["order notes: customer read card number over the phone {v}, please charge manually"]),
    ("credit-card", card("2720", 16, "-"), ["paypal-adapter request body: {\"card\":{\"number\":\"{v}\",\"cvv\":\"***\"}}"]),
    ("credit-card", card("37", 15, "amex"), ["SUP-{tkt} attachment text: Amex {v} exp 11/27"]),
    ("credit-card", card("4", 16, ""), ["payroll expense card for {who}: {v}"]),
    ("iban", iban_de, ["employee bank details updated: IBAN {v}, BIC COBADEFFXXX"]),
    ("iban", iban_fr, ["salary payment rejected for FR employee, IBAN {v} (account closed)"]),
    ("iban", iban_be, ["refund to customer by bank transfer, IBAN {v}"]),
    ("iban", iban_at, ["  \"iban\": \"{v}\",\n  \"holder\": \"M. Lindqvist\""]),
    ("iban", iban_pl, ["SEPA batch line 0042: {v} EUR 2,310.00 SALARY MAR"]),
    ("national-id", pesel, ["onboarding form (PL contractor): PESEL {v}"]),
    ("national-id", hetu, ["Finnish payroll export row: henkilotunnus={v};tax_card=yes"]),
    ("national-id", codice_fiscale, ["codice fiscale {v} missing from the IT payroll file"]),
    ("national-id", pesel, ["SUP-{tkt}: PL employee {v} reports duplicate ZUS submission"]),
    ("ipv4", draw.public_v4, [
        "{ts} WARN auth 41 failed logins for customer account from {v}",
        "{v} - - [12/Mar/2026:10:14:02 +0000] \"POST /account/login HTTP/1.1\" 401 128",
    ]),
    ("ipv6", draw.public_v6, ["{ts} staff portal login ok user=emp_20931 ip={v}"]),
]


# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", hexs(40), [
        "$ git rev-parse HEAD\n{v}",
        "Checking out {v} (refs/remotes/origin/main)",
        "deployed storefront@{v} to prod at 14:31",
    ]),
    ("git-sha", hexs(7), ["{v} fix(checkout): retry idempotent stripe calls", "revert of {v} restored the old cart TTL"]),
    ("git-sha", hexs(12), ["image tag payroll-engine:main-{v}"]),
    ("uuid", draw.uuid4, [
        "tenant_id={v} payroll run stuck in CALCULATING",
        "RequestId: {v}",
        "x-request-id: {v}",
        "subscription: {v}  # Staffwise-Prod",
        "order {v} refunded twice, see PM",
        "{\"correlationId\": \"{v}\", \"level\": \"error\"}",
    ]),
    ("hash-or-digest", lambda: "sha256:" + rs(HEX, 64), [
        "image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront@{v}",
        "Digest: {v}",
    ]),
    ("hash-or-digest", hexs(64), [
        "$ sha256sum payroll-engine-4.18.0.tar.gz\n{v}  payroll-engine-4.18.0.tar.gz",
        "  hashes = [\n    \"zh:{v}\",\n  ]",
    ]),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ["  \"integrity\": \"{v}\","]),
    ("hash-or-digest", bcrypt, ["admin_users.password_digest = '{v}'", "htpasswd entry grafana:{v}"]),
    ("hash-or-digest", lambda: "md5" + rs(HEX, 32), ["\"checkout\" \"{v}\"  # pgbouncer userlist (hash only)"]),
    ("hash-or-digest", lambda: "pbkdf2_sha256$600000$" + rs(ALNUM, 22) + "$" + b64(draw.rbytes(32)), ["auth_user row 17 password field: {v}"]),
    ("hash-or-digest", lambda: "h1:" + b64(draw.rbytes(32)), ["github.com/stripe/stripe-go/v76 v76.9.0 {v}"]),
    ("trace-id", hexs(32), ["dd.trace_id={v} span error in CheckoutController", "Sentry event {v}"]),
    ("trace-id", lambda: f"00-{rs(HEX, 32)}-{rs(HEX, 16)}-01", ["traceparent: {v}"]),
    ("trace-id", lambda: "Root=1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: {v}"]),
    ("cloud-resource-id", lambda: "arn:aws:iam::123456789012:role/" + rng.choice(["storefront-deploy", "ci-uploader"]), ["role_arn = {v}"]),
    ("cloud-resource-id", lambda: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/checkout/db-" + rs(ALNUM, 6), ["valueFrom: {v}"]),
    ("cloud-resource-id", lambda: "/subscriptions/" + draw.uuid4() + "/resourceGroups/rg-payroll-prod/providers/Microsoft.KeyVault/vaults/kv-sw-payroll", ["scope: {v}"]),
    ("cloud-resource-id", lambda: "projects/staffwise-analytics/secrets/bq-export-key/versions/3", ["gcloud secrets versions access {v}"]),
    ("cloud-resource-id", lambda: "i-0" + rs(HEX, 16), ["instance {v} failed status checks"]),
    ("cloud-resource-id", lambda: "sg-0" + rs(HEX, 16), ["opened 5432 on {v} to the bastion only"]),
    ("placeholder", lambda: "<your-sendgrid-key>", ["sendgrid.env: export SENDGRID_API_KEY='{v}'"]),
    ("placeholder", lambda: "xxxxxxxxxxxxxxxxxxxx", ["aws_secret_access_key = {v}"]),
    ("placeholder", lambda: "changeme", ["# default in docker-compose.example.yml, override in .env\nPOSTGRES_PASSWORD={v}"]),
    ("placeholder", lambda: "YOUR_API_KEY_HERE", ["DD_API_KEY={v}"]),
    ("placeholder", lambda: "<password>", ["psql postgres://checkout:{v}@localhost:5432/orders"]),
    ("placeholder", lambda: "REPLACE_ME", ["stripe:\n  secret_key: {v}"]),
    ("placeholder", lambda: "sk_live_...", ["README: set STRIPE_SECRET_KEY to your live key ({v}) in the prod env only"]),
    ("placeholder", lambda: "[REDACTED]", ["{ts} DEBUG outbound headers: Authorization: Bearer {v}"]),
    ("templated-value", lambda: "${{ secrets.AWS_SECRET_ACCESS_KEY }}", ["          aws-secret-access-key: {v}"]),
    ("templated-value", lambda: "${DB_PASSWORD}", ["      POSTGRES_PASSWORD: {v}"]),
    ("templated-value", lambda: "$CI_JOB_TOKEN", ["docker login -u gitlab-ci-token -p {v} $CI_REGISTRY"]),
    ("templated-value", lambda: "{{ .Values.postgresql.auth.password | b64enc | quote }}", ["  password: {v}"]),
    ("templated-value", lambda: "var.db_password", ["resource \"aws_db_instance\" \"orders\" {\n  username = \"checkout\"\n  password = {v}\n}"]),
    ("templated-value", lambda: "%(DB_PASS)s", ["sqlalchemy.url = postgresql://shop:{v}@db/shop"]),
    ("templated-value", lambda: "{{ vault \"secret/data/payroll/db\" \"password\" }}", ["db_password: {v}"]),
    ("templated-value", lambda: "ENV['STRIPE_SECRET_KEY']", ["Stripe.api_key = {v}"]),
    ("templated-value", lambda: "os.environ[\"OPENAI_API_KEY\"]", ["client = OpenAI(api_key={v})"]),
    ("masked-value", lambda: "********", ["DB_PASSWORD={v}", "{ts} Login as admin with password {v} failed"]),
    ("masked-value", lambda: "sk_live_****" + rs(ALNUM, 4), ["Stripe dashboard: key {v} rolled 2026-03-02"]),
    ("masked-value", lambda: "***", ["  AWS_SECRET_ACCESS_KEY: {v}"]),
    ("masked-value", lambda: "ghp_••••••••" + rs(ALNUM, 4), ["revoked token {v} (last used 3 months ago)"]),
    ("masked-value", lambda: "[MASKED]", ["$ echo $NPM_TOKEN\n{v}"]),
    ("keyword-no-value", lambda: "client_secret", ["Okta app needs redirect URI and {v} set, ask IT"]),
    ("keyword-no-value", lambda: "STRIPE_SECRET_KEY", ["action item: move {v} from the Heroku config into Secrets Manager"]),
    ("keyword-no-value", lambda: "password", ["PM: root cause was an expired {v} on the replication user"]),
    ("keyword-no-value", lambda: "--password-stdin", ["always use {v} with docker login so nothing lands in shell history"]),
    ("keyword-no-value", lambda: "api_key", ["the address lookup {v} is per-environment; prod one is in Vault"]),
    ("private-or-reserved-ip", draw.priv_ip, ["orders-db primary moved to {v}", "kubectl port-forward svc/rabbitmq 15672 # node {v}"]),
    ("private-or-reserved-ip", lambda: "169.254.169.254", ["pods can reach IMDS at {v}, hop limit not set"]),
    ("private-or-reserved-ip", lambda: f"203.0.113.{rng.randint(1, 254)}", ["NAT gateway EIP in the diagram: {v}"]),
    ("private-or-reserved-ip", lambda: "127.0.0.1", ["redis bound to {v} only after the fix"]),
    ("private-or-reserved-ip", lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", ["tailscale ip of the payroll bastion {v}"]),
    ("example-email", lambda: "payroll-alerts@staffwise.example", ["From: {v}"]),
    ("example-email", lambda: "user@example.com", ["curl -u {v}:$JIRA_API_TOKEN https://staffwise.atlassian.net/rest/api/3/myself"]),
    ("example-email", lambda: "bq-export@staffwise-analytics.iam.gserviceaccount.com", ["gcloud iam service-accounts keys list --iam-account {v}"]),
    ("example-email", lambda: "ops@copperleaf.example", ["PagerDuty escalation: {v}"]),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["aws docs: aws_access_key_id = {v}"]),
    ("vendor-example-key", lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ["copied from the AWS guide: {v}"]),
    ("vendor-example-key", lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", ["local .env.example uses {v} from the Stripe docs"]),
    ("vendor-example-key", lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", ["Slack docs example webhook: {v}"]),
    ("version-or-date", lambda: "4.18.0", ["payroll-engine {v} released"]),
    ("version-or-date", lambda: "v1.29.3-eks-" + rs(HEX, 6), ["Server Version: {v}"]),
    ("version-or-date", lambda: "16.4", ["RDS Postgres upgraded 15.6 -> {v}"]),
    ("version-or-date", lambda: "2026-03-14T02:00:00Z", ["payroll cutoff {v}"]),
    ("public-key-or-cert", lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " hanna@cl-mbp", ["authorized_keys:\n{v}"]),
    ("public-key-or-cert", draw.pub_pem, ["JWKS fallback public key for the staff portal:\n{v}"]),
    ("public-key-or-cert", lambda: "pk_live_51" + rs(ALNUM, 97), ["NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY={v}"]),
    ("public-key-or-cert", lambda: draw.cert_pem(), ["ca.crt:\n{v}"]),
    ("public-key-or-cert", lambda: b64(draw.cert_pem().encode()), ["    certificate-authority-data: {v}"]),
    ("ids-and-numbers", lambda: f"PAY-{rng.randint(1000, 9999)}", ["see {v} for the tax-code fix"]),
    ("ids-and-numbers", lambda: f"INC-{rng.randint(100, 999)}", ["{v} checkout outage postmortem"]),
    ("ids-and-numbers", lambda: "123456789012", ["AWS account {v} (copperleaf-prod)"]),
    ("ids-and-numbers", lambda: "cus_" + rs(ALNUM, 14), ["Stripe customer {v} disputed twice"]),
    ("ids-and-numbers", lambda: "pi_3" + rs(ALNUM, 23), ["payment_intent {v} succeeded after retry"]),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v} (auth token rotated separately)"]),
    ("ids-and-numbers", lambda: f"#{rng.randint(10000, 99999)}", ["GitHub Actions run {v} failed on the migrate step"]),
    ("ids-and-numbers", lambda: str(rng.randint(100000000, 999999999)), ["PagerDuty incident number {v}"]),
    ("ids-and-numbers", lambda: "0oa" + rs(ALNUM, 17), ["Okta app client_id {v} (public, the secret is separate)"]),
    ("ids-and-numbers", lambda: "1Z" + rs(UP + DIG, 16), ["UPS tracking {v}"]),
    ("luhn-fail-number", luhn_bad, ["order reference {v} not found", "giftcard {v} rejected"]),
    ("documented-test-card", lambda: "4242 4242 4242 4242", ["staging checkout with {v}, any future date"]),
    ("documented-test-card", lambda: "5555555555554444", ["QA: Mastercard test {v} passes 3DS"]),
    ("base64-nonsecret", lambda: b64(b'{"page":3,"per_page":50}'), ["next_cursor={v}"]),
    ("base64-nonsecret", lambda: b64(b"Welcome to Staffwise payroll"), ["kind: ConfigMap\nbinaryData:\n  banner.txt: {v}"]),
    ("encrypted-value", sops, ["db_password: {v}"]),
    ("encrypted-value", lambda: "AgB" + rs(B64, 180) + "==", ["  encryptedData:\n    STRIPE_SECRET_KEY: {v}"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(40)), ["vault write transit/decrypt/payroll ciphertext={v}"]),
    ("encrypted-value", lambda: "AQICAH" + rs(B64, 150) + "==", ["aws kms decrypt --ciphertext-blob {v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", hexs(40), ["  \"ref\": \"{v}\","]),
    ("uuid", draw.uuid4, ["Datadog monitor {v} muted for the migration", "AZURE_TENANT_ID={v}"]),
    ("hash-or-digest", hexs(32), ["ETag: \"{v}\""]),
    ("hash-or-digest", lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + b64(draw.rbytes(16)).rstrip("=") + "$" + b64(draw.rbytes(32)).rstrip("="), ["employee_portal.users.pw_hash: {v}"]),
    ("trace-id", hexs(16), ["span_id={v}"]),
    ("placeholder", lambda: "<token>", ["gh auth login --with-token < {v}"]),
    ("placeholder", lambda: "pass@word1", ["MS docs sample connection string uses Password={v};"]),
    ("templated-value", lambda: "${{ secrets.SLACK_WEBHOOK_URL }}", ["SLACK_WEBHOOK_URL: {v}"]),
    ("templated-value", lambda: "op://Payroll/mysql-prod/password", ["MYSQL_PASSWORD={v}"]),
    ("masked-value", lambda: "xoxb-****", ["slack bot token {v} reinstalled"]),
    ("keyword-no-value", lambda: "AccountKey", ["rotate the {v} on staffwisepayslips after the leak"]),
    ("public-key-or-cert", lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58), ["sops recipient {v}"]),
    ("ids-and-numbers", lambda: "build #" + str(rng.randint(4000, 9000)), ["{v} green after cache purge"]),
    ("version-or-date", lambda: "7.52.1", ["datadog-agent {v}"]),
    ("luhn-fail-number", luhn_bad, ["marketplace order number {v}"]),
    ("documented-test-card", lambda: "378282246310005", ["Amex test card {v} in the PayPal sandbox"]),
    ("vendor-example-key", lambda: "xoxb-not-a-real-token-this-will-not-work", ["slack sdk README token {v}"]),
    ("base64-nonsecret", lambda: b64(b"hello from copperleaf"), ["echo {v} | base64 -d"]),
    ("example-email", lambda: "noreply@staffwise.test", ["Return-Path: <{v}>"]),
    ("uuid", draw.uuid4, ["Opsgenie integration id {v} (the api key lives in 1Password)", "Keycloak realm client uuid {v}"]),
    ("placeholder", lambda: "sk-...", ["OPENAI_API_KEY={v}  # ask #platform for a project key"]),
    ("placeholder", lambda: "<GITLAB_TOKEN>", ["git clone https://oauth2:{v}@gitlab.com/staffwise/payroll-engine.git"]),
    ("templated-value", lambda: "$(cat /run/secrets/db_password)", ["export DB_PASSWORD={v}"]),
    ("masked-value", lambda: "AKIA************", ["CloudTrail: access key {v} used from a new ASN"]),
    ("keyword-no-value", lambda: "SSWS", ["Okta API calls use the {v} scheme, not Bearer"]),
    ("hash-or-digest", lambda: "sha1:" + rs(HEX, 40), ["helm chart storefront-2.3.1.tgz {v}"]),
    ("ids-and-numbers", lambda: "acct_1" + rs(ALNUM, 15), ["Stripe Connect account {v} payouts paused"]),
    ("ids-and-numbers", lambda: "P" + rs(UP + DIG, 6), ["PagerDuty service {v} (payroll-run)"]),
    ("version-or-date", lambda: "node:20.11.1-alpine3.19", ["FROM {v}"]),
    ("public-key-or-cert", lambda: "pk-lf-" + draw.uuid4(), ["LANGFUSE_PUBLIC_KEY={v}"]),
    ("cloud-resource-id", lambda: "arn:aws:kms:eu-west-1:123456789012:key/" + draw.uuid4(), ["KmsKeyId: {v}"]),
]


def password_rows() -> list[Row]:
    return expand([("password-assignment", pw, COMMON_PASSWORDS)])


def sections() -> tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]]:
    secrets = expand(COMMON_SECRETS) + password_rows()
    tokens = expand(COMMON_TOKENS)
    personal = expand(PERSONAL)
    return secrets, personal, tokens, [], expand(NEGATIVES), expand(RARE_NEGATIVES)


SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{30}|github_pat_|glpat-[\w-]{20}|xox[bpa]-\d|hooks\.slack\.com/services/T[A-Z0-9]{8}[1-9A-Z]"
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{30}|-----BEGIN [A-Z ]*PRIVATE KEY-----\n[A-Za-z0-9]"
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20}|AccountKey=[A-Za-z0-9+/]{20}|SG\.[\w-]{20}"
    r"|npm_[A-Za-z0-9]{30}|hvs\.[A-Za-z0-9]{20}|sk-(?:proj|ant)-|hf_[A-Za-z]{30}|NRAK-|glsa_[A-Za-z0-9]{20}"
    r"|://[^/\s:@]+:[^/\s@<>${}*\[.]{8,}@|Basic [A-Za-z0-9+/]{16}|Bearer [A-Za-z0-9._-]{24}"
)

OK_MAIL_62 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_62,
    phoneish=PHONEISH_62,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def check(rows: list[dict], *, fold: str, id_prefix: str, id_digits: int, out: Path) -> None:
    CHECK(rows, fold=fold, id_prefix=id_prefix, id_digits=id_digits, out=out)
    for r in rows:
        if r["type"] == "iban":
            raw = r["value"].replace(" ", "")
            assert len(raw) == IBAN_LEN[raw[:2]], r["id"]
    counts = {k: sum(r["kind"] == k for r in rows) for k in (S, P, N)}
    assert counts[S] == 160 and counts[P] == 30, counts
    json.dumps(rows)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t62", out=OUT, check=check, id_digits=4)


if __name__ == "__main__":
    main()
