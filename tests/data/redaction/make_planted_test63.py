# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test63.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test63.py`` (standard library and the sibling
``planted_kit.py`` only). Values are random in their vendors' formats, drawn from
``random.Random(20270163)``, and fake; the file is byte-identical on every run.

The lines come from the made-up documents of two ordinary teams: Northbank Freight
(``*.northbank.internal``), a road-haulage and warehousing firm on GCP (GKE, Cloud SQL, Kafka,
MongoDB, Redis, Bitbucket Pipelines, Docker Hub, Twilio and Vonage SMS to drivers, Opsgenie, New
Relic, Mailgun, a .NET route planner and a Spring Boot depot service) and The Harbour Courier
(``*.harbourcourier.internal``), a regional newspaper on AWS (WordPress and a Django newsroom CMS,
MySQL, Fastly, Mailchimp and Postmark newsletters, Stripe and PayPal subscriptions, GitLab CI,
Sentry, Grafana, PagerDuty, an AI summariser on OpenAI, Anthropic and Hugging Face). Documents:
the depot-scanner outage postmortem, the paywall-migration runbook, the newsroom chat, shell
sessions, CI logs, config files and tickets. Everyday shapes first in each kind
(``t63p…``/``t63n…``).
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
OUT = HERE / "planted_test63.jsonl"
FOLD = "test63"
rng = Random(20270163)
draw = Draw(rng)
rs = draw.rs

TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = ["pallet", "forklift", "tailgate", "manifest", "headline", "byline", "frontpage", "harbour", "tide", "crane", "deadline", "gazette"]
SYMS = "!@#%&*?"


# ---------------------------------------------------------------------------- secret values
def pw() -> str:
    """Passwords as a haulier's IT and a newsroom's web team set them."""
    k = rng.randrange(8)
    if k == 0:
        return rng.choice(WORDS).capitalize() + rng.choice(SYMS) + str(rng.randint(10, 99))
    if k == 1:
        return rs(ALNUM, rng.randint(18, 26))
    if k == 2:
        return rng.choice(WORDS) + "." + rng.choice(WORDS) + "." + rng.choice(WORDS) + rs(DIG, 1)
    if k == 3:
        return rs(ALNUM + "!#%*-_", rng.randint(15, 21)) + rng.choice(UP)
    if k == 4:
        return rng.choice(["Winter", "Summer", "Spring", "Autumn"]) + str(rng.randint(2022, 2026)) + rng.choice("!#")
    if k == 5:
        return b64(draw.rbytes(18))
    if k == 6:
        return rs(LOW, 4) + rs(DIG, 2) + rs(UP, 3) + rng.choice(SYMS) + rs(LOW + DIG, 6)
    return rng.choice(WORDS).capitalize() + rng.choice(WORDS).capitalize() + rs(DIG, 4) + rng.choice(SYMS)


def url_pw() -> str:
    k = rng.randrange(3)
    if k == 0:
        return rs(ALNUM, rng.randint(16, 30))
    if k == 1:
        return rng.choice(WORDS).capitalize() + rs(DIG, 3) + rng.choice(WORDS)
    return rs(LOW + DIG, 8) + "_" + rs(ALNUM, 10)


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


def jwt_gke() -> str:
    head = {"alg": "RS256", "kid": rs(HEX, 40)}
    body = {
        "aud": ["northbank-prod"],
        "iss": "https://container.googleapis.com/v1/projects/northbank-prod/locations/europe-west2/clusters/depot",
        "sub": "system:serviceaccount:bitbucket:pipelines-deployer",
        "exp": rng.randint(1_800_000_000, 1_830_000_000),
    }
    return encode_jwt(head, body, rs(B64URL, 342))


def jwt_paywall() -> str:
    head = {"alg": "HS256", "typ": "JWT"}
    body = {
        "sub": f"reader-{rng.randint(100000, 999999)}",
        "plan": rng.choice(["digital-plus", "weekend", "student"]),
        "exp": rng.randint(1_800_000_000, 1_830_000_000),
    }
    return encode_jwt(head, body, rs(B64URL, 43))


def jwt_driver() -> str:
    head = {"alg": "ES256", "typ": "JWT"}
    body = {
        "iss": "https://auth.northbank.internal/realms/drivers",
        "sub": draw.uuid4(),
        "azp": "driver-app",
        "scope": "openid deliveries:write",
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt(head, body, rs(B64URL, 86))


def pem(kind: str, sep: str = "\n") -> Gen:
    return lambda: draw.pem_private_key(kind, sep)


def putty() -> str:
    lines = ["PuTTY-User-Key-File-3: ssh-rsa", "Encryption: none", "Comment: depot-sftp", "Public-Lines: 6"]
    lines += [rs(B64, 64) for _ in range(6)]
    lines += ["Private-Lines: 14"] + [rs(B64, 64) for _ in range(4)]
    return "\n".join(lines)


def b64_pem() -> str:
    return b64(draw.pem_private_key("rsa").encode())


def teams_hook() -> str:
    return f"https://northbank.webhook.office.com/webhookb2/{draw.uuid4()}@{draw.uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{draw.uuid4()}"


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&token={rs(B64URL, 43)}%3D"


def zapier_hook() -> str:
    return f"https://hooks.zapier.com/hooks/catch/{rng.randint(1000000, 9999999)}/{rs(LOW + DIG, 6)}/"


def mailgun_signing() -> str:
    return rs(HEX, 32)


def anthropic() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def aws_secret() -> str:
    return draw.aws_secret()


# ---------------------------------------------------------------------------- personal values
FIRST = ["aoife", "bartosz", "chiamaka", "dominik", "elspeth", "farid", "grainne", "henrik", "ilse", "joao", "kerstin"]
LAST = ["mcgillycuddy", "nowicki", "adeyemi", "brennan", "sorensen", "tavares", "vandenberg", "whitcombe", "zielinski"]
WEBMAIL = ["gmail.com", "outlook.ie", "eircom.net", "sapo.pt", "telenet.be", "bluewin.ch", "yahoo.com", "protonmail.com"]


def email() -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice([f"{f}.{last}", f"{f}_{last}{rng.randint(1, 9)}", f"{last}{rng.randint(60, 99)}", f"{f[0]}.{last}"])
    return f"{local}@{rng.choice(WEBMAIL)}"


def phone(form: str) -> Gen:
    def make() -> str:
        return form.format(t2=f"{rng.randint(0, 99):02d}", t3=f"{rng.randint(0, 999):03d}", t4=rs(DIG, 4))

    return make


PHONEISH_63 = re.compile(r"555[-. )]*01\d\d|7700 ?900|7946 ?0|496 ?0\d\d\d|(?<!\d)5550 \d{4}")


def card(prefix: str, length: int, style: str) -> Gen:
    def make() -> str:
        num = draw.luhn_make(prefix, length, TEST_CARDS | MORE_TEST_CARDS)
        if style == " ":
            return " ".join(num[i : i + 4] for i in range(0, 16, 4))
        if style == "-":
            return "-".join(num[i : i + 4] for i in range(0, 16, 4))
        return num

    return make


def iban(country: str, bban: str) -> str:
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - num % 97:02d}{bban}"


def grouped(raw: str) -> str:
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def iban_ie() -> str:
    return grouped(iban("IE", rng.choice(["AIBK", "BOFI", "IPBS"]) + rs(DIG, 6) + rs(DIG, 8)))


def iban_ch() -> str:
    return iban("CH", rs(DIG, 5) + rs(DIG, 12))


def iban_pt() -> str:
    base = rs(DIG, 4) + rs(DIG, 4) + rs(DIG, 11)
    key = 98 - (int(base) * 100) % 97
    return grouped(iban("PT", f"{base}{key:02d}"))


def iban_lu() -> str:
    return grouped(iban("LU", rs(DIG, 3) + rs(DIG, 13)))


def iban_fi() -> str:
    body = rs(DIG, 13)
    check = next(c for c in DIG if luhn_ok(body + c))
    return grouped(iban("FI", body + check))


IBAN_LEN = {"IE": 22, "CH": 21, "PT": 25, "LU": 20, "FI": 18}


def pt_nib_ok(raw: str) -> bool:
    return (int(raw[4:23]) * 100 + int(raw[23:25])) % 97 == 1


def be_rrn() -> str:
    y, m, d, seq = rng.randint(55, 99), rng.randint(1, 12), rng.randint(1, 28), rng.randint(1, 997)
    base = f"{y:02d}{m:02d}{d:02d}{seq:03d}"
    key = 97 - int(base) % 97
    return f"{base[:2]}.{base[2:4]}.{base[4:6]}-{base[6:9]}.{key:02d}"


def pt_nif() -> str:
    body = rng.choice("123") + rs(DIG, 7)
    r = sum(int(c) * w for c, w in zip(body, range(9, 1, -1), strict=True)) % 11
    return body + str(0 if r < 2 else 11 - r)


def ca_sin() -> str:
    while True:
        body = rng.choice("123456") + rs(DIG, 7)
        num = next(body + c for c in DIG if luhn_ok(body + c))
        return f"{num[:3]} {num[3:6]} {num[6:]}"


def us_ssn() -> str:
    area = rng.choice([n for n in range(101, 665)])
    return f"{area:03d}-{rng.randint(10, 99):02d}-{rng.randint(1000, 9999):04d}"


def national_id_ok(row: dict[str, str]) -> bool:
    v = row["value"]
    if re.fullmatch(r"\d\d\.\d\d\.\d\d-\d{3}\.\d\d", v):
        d = re.sub(r"\D", "", v)
        return 97 - int(d[:9]) % 97 == int(d[9:])
    if re.fullmatch(r"[123]\d{8}", v):
        r = sum(int(c) * w for c, w in zip(v[:8], range(9, 1, -1), strict=True)) % 11
        return int(v[8]) == (0 if r < 2 else 11 - r)
    if re.fullmatch(r"\d{3} \d{3} \d{3}", v):
        return luhn_ok(v.replace(" ", ""))
    if re.fullmatch(r"\d{3}-\d{2}-\d{4}", v):
        return v[:3] not in {"000", "666"} and int(v[:3]) < 900 and v[4:6] != "00" and v[7:] != "0000"
    return False


def private_key_ok(v: str) -> bool:
    if v.startswith(("LS0tLS1CRUdJTi", "PuTTY-User-Key-File-3")):
        return True
    return v.startswith("-----BEGIN ") and v.rstrip().endswith("-----")


# ---------------------------------------------------------------------------- negatives' values
def luhn_bad() -> str:
    while True:
        num = rng.choice("4536") + rs(DIG, 15)
        if not luhn_ok(num):
            return num


def sops() -> str:
    return f"ENC[AES256_GCM,data:{b64(draw.rbytes(21))},iv:{b64(draw.rbytes(32))},tag:{b64(draw.rbytes(16))},type:str]"


# ---------------------------------------------------------------------------- context fillers
STAFF = ["niamh", "pedro", "wout", "saskia", "colm", "yara", "lukas", "orla", "tiago", "mirjam"]
FILL: dict[str, Gen] = {
    "who": lambda: rng.choice(STAFF),
    "ts": draw.iso,
    "t": draw.hhmm,
    "pip": draw.priv_ip,
    "uuid": draw.uuid4,
    "n": lambda: str(rng.randint(210, 980)),
    "h40": hexs(40),
    "sid": hexs(32),
}


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[Row]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- secrets
CLOUD_AND_SCM: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [
        "aws_access_key_id     = \"{v}\"\naws_secret_access_key = var.courier_secret_key",
        "{ts} [wp-offload-media] S3 PutObject failed: InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records. (key {v})",
        "  AccessKeyId: {v}\n  Status: Active",
    ]),
    ("aws-key", aws_secret, [
        "define( 'AS3CF_SETTINGS', serialize( array( 'provider' => 'aws', 'access-key-id' => getenv('S3_KEY_ID'), 'secret-access-key' => '{v}' ) ) );",
        "    \"SecretAccessKey\": \"{v}\",",
        "AWS_SECRET_ACCESS_KEY:\n  {v}",
        "$ AWS_SECRET_ACCESS_KEY={v} aws s3 cp frontpage.pdf s3://courier-print-archive/2026/03/",
    ]),
    ("gcp-key", draw.gcp_api, [
        "const firebaseAdminKey = \"{v}\"; // server-side, restricted to Routes API",
        "      - name: ROUTES_API_KEY\n        value: {v}",
    ]),
    ("gcp-service-account-key", draw.gcp_sa_key, [
        "kubectl create secret generic gcs-creds --from-literal=key.json='{\"type\":\"service_account\",\"project_id\":\"northbank-prod\",\"private_key\":\"{v}\",\"client_email\":\"depot-sync@northbank-prod.iam.gserviceaccount.com\"}'",
    ]),
    ("azure-key", draw.az_client_secret, [
        "\"AzureAd\": { \"TenantId\": \"{uuid}\", \"ClientId\": \"route-planner\", \"ClientSecret\": \"{v}\" }",
        "$ az ad sp credential reset --id route-planner-sp\n{\n  \"appId\": \"{uuid}\",\n  \"password\": \"{v}\",\n  \"tenant\": \"northbank.onmicrosoft.com\"\n}",
    ]),
    ("azure-key", draw.az_sas_sig, ["https://northbankpods.blob.core.windows.net/pod-photos?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00:00:00Z&sig={v}"]),
    ("github-token", lambda: "ghp_" + rs(ALNUM, 36), [
        "[url \"https://courier-web:{v}@github.com/\"]\n\tinsteadOf = https://github.com/",
        "remote: Invalid username or token. (token {v} expired)",
    ]),
    ("github-token", lambda: "gho_" + rs(ALNUM, 36), ["~/.config/gh/hosts.yml:\ngithub.com:\n    oauth_token: {v}\n    user: courier-web"]),
    ("gitlab-token", pre("glpat-", B64URL, 20), [
        "  script:\n    - curl --header \"PRIVATE-TOKEN: {v}\" \"https://gitlab.com/api/v4/projects/courier%2Fnewsroom-cms/pipelines\"",
        "GITLAB_API_TOKEN={v}",
    ]),
    ("gitlab-token", pre("gldt-", B64URL, 20), ["helm repo add courier https://gitlab.com/api/v4/projects/482/packages/helm/stable --username deploy-courier --password {v}"]),
    ("gitlab-token", pre("glcbt-", B64URL, 20), ["$ echo $CI_JOB_TOKEN   # debug line left in .gitlab-ci.yml\n{v}"]),
    ("slack-token", draw.slack_token, ["slack_bot_token = \"{v}\"  # newsroom-bot"]),
    ("slack-webhook", draw.slack_hook, [
        "alertmanager:\n  config:\n    receivers:\n      - name: newsroom\n        slack_configs:\n          - api_url: {v}",
    ]),
    ("webhook-url", teams_hook, ["$payload | Invoke-RestMethod -Method Post -ContentType 'application/json' -Uri '{v}'"]),
    ("webhook-url", gchat_hook, ["DEPOT_ALERTS_CHAT={v}"]),
    ("webhook-url", zapier_hook, ["new-subscriber zap posts to {v}"]),
    ("webhook-url", draw.discord_hook, ["  \"discordWebhook\": \"{v}\","]),
    ("stripe-key", lambda: "sk_live_51" + rs(ALNUM, 97), [
        "\\Stripe\\Stripe::setApiKey('{v}');",
        "{ts} paywall stripe.error.AuthenticationError: Invalid API Key provided: {v}",
    ]),
    ("stripe-key", lambda: "rk_live_51" + rs(ALNUM, 97), ["STRIPE_RESTRICTED_KEY=\"{v}\" # read-only, for the finance export"]),
    ("stripe-key", draw.stripe_whsec, ["stripe listen --forward-to localhost:8000/webhooks  # prod endpoint secret was {v}"]),
    ("jwt", jwt_gke, ["BITBUCKET_STEP_OIDC_TOKEN printed by `env` in the failed step: {v}"]),
    ("jwt", jwt_paywall, [
        "Cookie: hc_session={v}; _ga=GA1.2.1",
        "{ts} paywall grant issued jwt={v}",
    ]),
    ("jwt", jwt_driver, ["POST /api/deliveries/signature\nAuthorization: Bearer {v}"]),
    ("private-key", pem("rsa"), ["$ cat ~/.ssh/id_rsa  # on the WordPress box, oops\n{v}"]),
    ("private-key", pem("ssh"), ["bitbucket-pipelines deploy key (repository variable, not secured):\n{v}"]),
    ("private-key", pem("pkcs8", "\\n"), ["SAML_SP_PRIVATE_KEY=\"{v}\""]),
    ("private-key", putty, ["depot-sftp.ppk:\n{v}"]),
    ("private-key", b64_pem, ["  tls.key: {v}"]),
    ("k8s-secret-b64", k8s_b64, [
        "data:\n  mysql-root-password: {v}\n  mysql-user: d29yZHByZXNz",
        "$ kubectl -n depot get secret kafka-client -o yaml | grep password\n  password: {v}",
    ]),
    ("basic-auth", basic("depot-api"), ["curl -s -H \"Authorization: Basic {v}\" https://depot.northbank.internal/api/v1/manifests?date=today"]),
    ("basic-auth", basic("courierdeploy"), ["  \"auths\": {\n    \"https://index.docker.io/v1/\": {\n      \"auth\": \"{v}\"\n    }\n  }"]),
    ("basic-auth", basic("fastly"), ["{ts} upstream request headers: host=origin.harbourcourier.internal authorization=\"Basic {v}\""]),
    ("bearer-token", alnum(48), ["http GET https://api.telematics-partner.example/v3/vehicles \"Authorization:Bearer {v}\""]),
    ("bearer-token", lambda: rs(B64URL, 64), ["requests.get(url, headers={\"Authorization\": \"Bearer {v}\"})"]),
]

URLS: list[str] = [
    "ConnectionStrings__Depot=Host=depot-db.northbank.internal;Port=5432;Database=depot;Username=planner;Password={v}",
    "mysql://wordpress:{v}@courier-db.cluster-ro.eu-west-1.rds.amazonaws.com:3306/wp_courier",
    "spring:\n  data:\n    mongodb:\n      uri: mongodb://depot-svc:{v}@mongo-0.northbank.internal:27017,mongo-1.northbank.internal:27017/depot?replicaSet=rs0",
    "REDIS_URL=rediss://default:{v}@redis-12345.c1.eu-west-2-1.ec2.redns.redis-cloud.com:12345",
    "kafka-console-consumer --bootstrap-server SASL_SSL://scanner:{v}@kafka.northbank.internal:9093 --topic scans",
    "{ts} ERROR django.db.utils.OperationalError: could not translate host name in \"postgres://cms:{v}@newsroom-db:5432/cms\"",
    "git clone https://x-token-auth:{v}@bitbucket.org/northbank/route-planner.git",
    "  sqlalchemy_url: postgresql+psycopg2://superset:{v}@analytics-db.northbank.internal/superset",
    "BROKER_URL=amqp://newsletter:{v}@mq.harbourcourier.internal:5672/%2F",
    "ftp://printplant:{v}@ftp.printworks-partner.example/incoming/",
    "smtp://postmaster%40mg.harbourcourier.example:{v}@smtp.eu.mailgun.org:587",
    "\"mongodb+srv://tracker:{v}@depot.abcde.mongodb.net/?appName=tracker\"",
]
URL_TYPES = ["password-assignment"] + ["password-in-url"] * 11

PASSWORDS: list[str] = [
    "define( 'DB_PASSWORD', '{v}' );",
    "MYSQL_PASSWORD: {v}",
    "  \"DbPassword\": \"{v}\",",
    "spring.rabbitmq.password={v}",
    "spring:\n  datasource:\n    username: depot\n    password: '{v}'",
    "[database]\nhost = \"newsroom-db\"\nuser = \"cms\"\npassword = \"{v}\"",
    "newsroom-db:5432:cms:cms:{v}",
    "<add key=\"ClearTextPassword\" value=\"{v}\" />",
    "<connectionStrings><add name=\"Depot\" connectionString=\"Data Source=sql01;Initial Catalog=Depot;User ID=sa;Password={v}\" /></connectionStrings>",
    "mongo_admin_password = \"{v}\"",
    "  password: !!str {v}",
    "x-db-env: &db\n  POSTGRES_USER: depot\n  POSTGRES_PASSWORD: {v}",
    "[{t}] {who}: wp admin login for the print desk is printdesk / {v}",
    "[{t}] {who}: fyi the kafka scanner user pw got rotated -> {v}",
    "{who}: password for the opsgenie shared login is {v}, please don't change it again",
    "{who}: mailchimp login: newsletters@harbourcourier.example pw {v}",
    "[{t}] {who}: the depot wifi is NB-Depot-Staff, passphrase {v}",
    "{who}: db pass\n{who}: {v}",
    "INC-{n} timeline 03:12 {who} reset the cms superuser to {v} to get in, rotated again 03:40",
    "Postmortem action: the mysql root password ({v}) was in the wiki page 'Server setup', page deleted",
    "Ticket NB-{n}: driver app login broken for depot Bristol, reset shared tablet PIN/password to {v}",
    "$ sshpass -p '{v}' scp manifests.csv depot@sftp.northbank.internal:/in/",
    "$ mysqldump -uroot --password='{v}' wp_courier > wp.sql",
    "$ rabbitmqctl change_password newsletter '{v}'",
    "$ htpasswd -b /etc/nginx/.htpasswd staging {v}",
    "$ curl -u admin:{v} http://grafana.harbourcourier.internal:3000/api/dashboards/home",
    "$ wp user update 1 --user_pass='{v}'",
    "$ docker run -e MONGO_INITDB_ROOT_PASSWORD={v} -d mongo:7",
    "$ sqlcmd -S sql01 -U sa -P '{v}' -Q \"select @@version\"",
    "$ redis-cli --user default --pass {v} -h cache.northbank.internal info",
    "$ helm upgrade --install depot ./chart --set postgresql.auth.password={v}",
    "ALTER USER planner WITH PASSWORD '{v}';",
    "CREATE USER 'newsletter'@'%' IDENTIFIED BY '{v}';",
    "$ psql -h newsroom-db -U cms\nPassword for user cms: {v}",
    "ansible_become_password: {v}",
    "  ldap:\n    bindDN: cn=svc-grafana,ou=svc,dc=northbank,dc=internal\n    bindPassword: {v}",
    "keystore.password={v}",
    "<property name=\"hibernate.connection.password\">{v}</property>",
    "DATABASE_PASSWORD={v}\nDATABASE_HOST=courier-db",
    "jdbc.password = {v}",
    "export PGPASSWORD='{v}'",
    "java.lang.IllegalStateException: Failed to authenticate user depot with password {v} on mongodb://mongo-0.northbank.internal",
    "{ts} WARN  [depot-sync] retrying login user=scanner pass={v} attempt=3",
    "RuntimeError: SMTP login failed for newsroom@harbourcourier.example (password='{v}')",
    "  credentials:\n    username: courier-print\n    password: >-\n      {v}",
    "fastly_service_password = \"{v}\"",
    "vault kv put secret/courier/wordpress db_password='{v}'",
    "bw create item '{\"type\":1,\"name\":\"Fastly admin\",\"login\":{\"username\":\"web@harbourcourier.example\",\"password\":\"{v}\"}}'",
    "Opsgenie: NB-ESC {who} says depot router admin password is {v} (label under the router)",
]

TOKENS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", draw.sendgrid_key, ["  SENDGRID_API_KEY: \"{v}\"   # legacy newsletter sender"]),
    ("vendor-token", lambda: "key-" + rs(HEX, 32), ["mailgun:\n  domain: mg.harbourcourier.example\n  api_key: {v}"]),
    ("vendor-token", mailgun_signing, ["MAILGUN_WEBHOOK_SIGNING_KEY={v}"]),
    ("vendor-token", draw.uuid4, ["\"Postmark\": { \"ServerToken\": \"{v}\" }", "X-Postmark-Server-Token: {v}"]),
    ("vendor-token", lambda: rs(HEX, 32) + "-us14", ["$ curl -u anystring:{v} https://us14.api.mailchimp.com/3.0/lists"]),
    ("vendor-token", hexs(32), ["twilio:\n  account_sid: AC{sid}\n  auth_token: {v}", "TWILIO_AUTH_TOKEN=\"{v}\""]),
    ("vendor-token", alnum(16), ["vonage.api_secret={v}"]),
    ("vendor-token", lambda: "NRAK-" + rs(UP + DIG, 27), ["newrelic_api_key: {v}"]),
    ("vendor-token", lambda: rs(HEX, 36) + "NRAL", ["NEW_RELIC_LICENSE_KEY={v}"]),
    ("vendor-token", draw.uuid4, ["opsgenie:\n  apiKey: {v}"]),
    ("vendor-token", hexs(32), ["pagerduty_integration_key = \"{v}\""]),
    ("vendor-token", lambda: rs(ALNUM + "_-+", 20), ["PAGERDUTY_API_TOKEN={v}"]),
    ("vendor-token", hexs(32), ["DATADOG_API_KEY={v}"]),
    ("vendor-token", lambda: "sntryu_" + rs(HEX, 64), ["sentry-cli --auth-token {v} sourcemaps upload ./build"]),
    ("vendor-token", lambda: "glc_" + rs(B64URL, 100), ["grafana cloud access policy token: {v}"]),
    ("vendor-token", draw.openai_key, ["OPENAI_API_KEY = \"{v}\"  # summariser"]),
    ("vendor-token", anthropic, ["client = anthropic.Anthropic(api_key=\"{v}\")"]),
    ("vendor-token", lambda: "hf_" + rs(UP + LOW, 34), ["HF_TOKEN={v} python summarise.py --model courier/headline-t5"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["npm config set //registry.npmjs.org/:_authToken {v}"]),
    ("vendor-token", lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 150), ["TWINE_PASSWORD={v}"]),
    ("vendor-token", lambda: "oy2" + rs(LOW + DIG, 43), ["<packageSourceCredentials><nuget.org><add key=\"ApiKey\" value=\"{v}\" /></nuget.org></packageSourceCredentials>"]),
    ("vendor-token", draw.atlassian_token, ["curl -u svc-bitbucket@northbank.example:{v} https://northbank.atlassian.net/rest/api/3/search?jql=project=NB"]),
    ("vendor-token", lambda: "ATBB" + rs(ALNUM, 32), ["BITBUCKET_APP_PASSWORD: {v}"]),
    ("vendor-token", lambda: "ATCTT3xFfGN0" + rs(B64URL, 150) + "=" + rs(HEX.upper(), 8), ["bitbucket workspace access token {v}"]),
    ("vendor-token", lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", lambda: "00" + rs(B64URL, 40), ["okta:\n  client:\n    token: {v}"]),
    ("vendor-token", lambda: rs(B64URL, 64), ["auth0 client secret for the subscriber portal: {v}"]),
    ("vendor-token", alnum(32), ["keycloak.credentials.secret={v}"]),
    ("vendor-token", lambda: "hvs.CAESI" + rs(B64URL, 80), ["VAULT_TOKEN={v} vault read database/creds/depot-ro"]),
    ("vendor-token", lambda: "ops_eyJzaWduSW5BZGRyZXNzIjoiaGFyYm91cmNvdXJpZXIuMXBhc3N3b3JkLmV1Ii" + rs(B64URL, 280), ["export OP_SERVICE_ACCOUNT_TOKEN=\"{v}\""]),
    ("vendor-token", lambda: b64(draw.rbytes(64)), ["export BW_SESSION=\"{v}\""]),
    ("vendor-token", draw.tf_cloud_token, ["TF_TOKEN_app_terraform_io={v}"]),
    ("vendor-token", lambda: "A21AA" + rs(B64URL, 92), ["paypal access_token {v} (expires 32400s)"]),
    ("vendor-token", lambda: "E" + rs(B64URL, 79), ["PAYPAL_SECRET={v}"]),
    ("vendor-token", lambda: "AQE" + rs(ALNUM, 24) + "+" + rs(B64, 56) + "=-" + rs(B64, 43) + "=-" + rs(ALNUM, 12), ["adyen.apiKey={v}"]),
    ("vendor-token", lambda: rs(B64URL, 40), ["FASTLY_API_TOKEN={v}"]),
    ("vendor-token", lambda: "xkeysib-" + rs(HEX, 64) + "-" + rs(ALNUM, 16), ["brevo api key {v}"]),
    ("vendor-token", lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43), ["sendgrid.api_key={v}"]),
    ("vendor-token", lambda: "rubygems_" + rs(HEX, 48), [":rubygems_api_key: {v}"]),
    ("vendor-token", lambda: "AKCp8" + rs(ALNUM, 68), ["<server><id>central</id><username>ci</username><password>{v}</password></server>  <!-- artifactory api key -->"]),
    ("vendor-token", lambda: "SK" + rs(HEX, 32) + ":" + rs(ALNUM, 32), ["twilio api key:secret pair for the driver sms service {v}"]),
    ("vendor-token", lambda: "dp.st." + rs(LOW, 6) + "." + rs(ALNUM, 43), ["DOPPLER_TOKEN={v}"]),
    ("generic-api-key", alnum(32), [
        "TELEMATICS_API_KEY={v}",
        "\"x-api-key\": \"{v}\"",
        "{ts} GET /v2/track?consignment=NB88&apikey={v} 200 41ms",
        "weather_feed:\n  key: {v}",
    ]),
    ("generic-api-key", hexs(64), [
        "SECRET_KEY = \"{v}\"  # newsroom cms settings.py",
        "secret_key_base: {v}",
    ]),
    ("generic-api-key", lambda: b64(draw.rbytes(48)), [
        "Jwt__SigningKey={v}",
        "define( 'AUTH_KEY', '{v}' );",
    ]),
    ("generic-api-key", alnum(40), ["print-plant partner API: key {v}, ask Colm before rotating"]),
]


# ---------------------------------------------------------------------------- personal data
PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("email", email, [
        "{ts} newsletter unsubscribe email={v} list=morning-briefing",
        "Letter to the editor from {v}, publish without the address",
        "consignee_email: {v}",
        "NB-{n}: customer {v} says the pallet was left outside in the rain",
        "\"To\": \"{v}\",",
        "subscriber,plan,renewal\n{v},digital-plus,2026-04-01",
    ]),
    ("phone", phone("07700 900 {t3}"), ["driver on route 14, mobile {v}"]),
    ("phone", phone("+44 (0)20 7946 0{t3}"), ["tip line caller left number {v}"]),
    ("phone", phone("0113 496 0{t3}"), ["consignee contact 0800-1700: {v}"]),
    ("phone", phone("+1 (206) 555-01{t2}"), ["subscriber in Seattle wants a call back on {v}"]),
    ("phone", phone("604.555.01{t2}"), ["{ts} vonage sms delivered to={v} status=delivered"]),
    ("phone", phone("(02) 5550 {t4}"), ["Sydney freight forwarder contact {v}"]),
    ("phone", phone("+61 3 5550 {t4}"), ["  \"mobile\": \"{v}\","]),
    ("credit-card", card("4", 16, " "), ["{ts} paywall DEBUG stripe fallback form body card[number]={v}&card[exp_month]=04"]),
    ("credit-card", card("51", 16, "-"), ["reader phoned in to renew, card {v}, exp 02/28, charge 89.00"]),
    ("credit-card", card("6011", 16, ""), ["{\"pan\": \"{v}\", \"expiry\": \"0729\"}"]),
    ("credit-card", card("3541", 16, " "), ["fuel card statement line: JCB {v} DIESEL 412.50 L"]),
    ("credit-card", card("62", 16, ""), ["NB-{n} attachment: UnionPay {v}, customer paid the customs duty"]),
    ("iban", iban_ie, ["driver expenses reimbursement to IBAN {v}"]),
    ("iban", iban_ch, ["freelance photographer invoice: IBAN {v}, CHF 650"]),
    ("iban", iban_pt, ["new haulier subcontractor bank account {v}"]),
    ("iban", iban_lu, ["<Cdtr><Nm>J. Tavares</Nm></Cdtr><CdtrAcct><Id><IBAN>{v}</IBAN></Id></CdtrAcct>"]),
    ("iban", iban_fi, ["subscriber refund: iban={v} amount=12.00"]),
    ("national-id", be_rrn, ["driver onboarding (BE): rijksregisternummer {v}"]),
    ("national-id", pt_nif, ["Portuguese driver NIF {v} needed for the payslip"]),
    ("national-id", ca_sin, ["freelancer T4A form, SIN {v}"]),
    ("national-id", us_ssn, ["US correspondent W-9 on file, SSN {v}"]),
    ("ipv4", draw.public_v4, [
        "{ts} wp-login brute force from {v} (blocked by fail2ban)",
        "comment by 'angry_reader' posted from {v}, legal asked us to keep the log",
    ]),
    ("ipv6", draw.public_v6, ["{v} - - [03/Apr/2026:06:12:44 +0100] \"GET /paywall/login HTTP/2\" 200"]),
]


# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", hexs(40), [
        "commit {v}\nAuthor: niamh <niamh@harbourcourier.example>",
        "pipelines: build for {v} on branch master passed",
        "ArgoCD synced depot to {v}",
    ]),
    ("git-sha", hexs(8), ["cherry-picked {v} onto release/2026.04", "wordpress theme courier-2026 @ {v}"]),
    ("uuid", draw.uuid4, [
        "consignment {v} stuck in OUT_FOR_DELIVERY",
        "article_id={v} unpublished by legal",
        "\"ClientId\": \"{v}\",",
        "Bitbucket pipeline uuid {{v}}",
        "{ts} INFO request_id={v} 502 from origin",
        "Fastly service version uuid {v}",
    ]),
    ("hash-or-digest", lambda: "sha256:" + rs(HEX, 64), ["  image: northbank/depot-api@{v}", "pulled {v}"]),
    ("hash-or-digest", hexs(64), ["SHA256 ({v}) matches the release page", "  \"content_hash\": \"{v}\","]),
    ("hash-or-digest", hexs(32), ["$ md5sum frontpage-2026-04-03.pdf\n{v}  frontpage-2026-04-03.pdf"]),
    ("hash-or-digest", lambda: "$P$B" + rs("./" + ALNUM, 30), ["wp_users.user_pass for editor: {v}"]),
    ("hash-or-digest", lambda: "$2a$10$" + rs("./" + ALNUM, 53), ["  hashed_password: \"{v}\""]),
    ("hash-or-digest", lambda: "$6$" + rs("./" + ALNUM, 16) + "$" + rs("./" + ALNUM, 86), ["depot:{v}:19800:0:99999:7:::"]),
    ("hash-or-digest", lambda: "SCRAM-SHA-256$4096:" + b64(draw.rbytes(16)) + "$" + b64(draw.rbytes(32)) + ":" + b64(draw.rbytes(32)), ["pg_authid rolpassword {v}"]),
    ("hash-or-digest", lambda: "sha1-" + b64(draw.rbytes(20)), ["integrity {v}"]),
    ("trace-id", hexs(32), ["newrelic trace.id={v}", "sentry issue COURIER-4F2 event {v}"]),
    ("trace-id", lambda: rs(HEX, 16) + ":" + rs(HEX, 16) + ":0:1", ["uber-trace-id: {v}"]),
    ("trace-id", lambda: rs(HEX, 32) + "/" + str(rng.randint(10**17, 9 * 10**17)), ["X-Cloud-Trace-Context: {v};o=1"]),
    ("cloud-resource-id", lambda: "projects/northbank-prod/locations/europe-west2/clusters/depot", ["gcloud container clusters get-credentials {v}"]),
    ("cloud-resource-id", lambda: "arn:aws:rds:eu-west-1:210987654321:cluster:courier-db", ["snapshot of {v} taken before the migration"]),
    ("cloud-resource-id", lambda: "depot-sync@northbank-prod.iam.gserviceaccount.com", ["roles/storage.objectAdmin granted to {v}"]),
    ("cloud-resource-id", lambda: "E" + rs(UP + DIG, 13), ["CloudFront distribution {v} invalidated /news/*"]),
    ("cloud-resource-id", lambda: "vpc-0" + rs(HEX, 16), ["peering to {v} accepted"]),
    ("cloud-resource-id", lambda: "arn:aws:ssm:eu-west-1:210987654321:parameter/courier/prod/DB_PASSWORD", ["valueFrom: {v}"]),
    ("placeholder", lambda: "<your-password>", ["define( 'DB_PASSWORD', '{v}' );  // wp-config-sample.php"]),
    ("placeholder", lambda: "your_api_key_here", ["MAILGUN_API_KEY={v}"]),
    ("placeholder", lambda: "CHANGE_ME", ["  POSTGRES_PASSWORD: {v}"]),
    ("placeholder", lambda: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", ["curl https://api.postmarkapp.com/email -H \"X-Postmark-Server-Token: {v}\" -d @msg.json  # from the Postmark docs"]),
    ("placeholder", lambda: "<PAT>", ["git clone https://x-token-auth:{v}@bitbucket.org/northbank/route-planner.git"]),
    ("placeholder", lambda: "sk-XXXXXXXXXXXXXXXXXXXXXXXX", ["docs/setup.md: OPENAI_API_KEY={v}"]),
    ("placeholder", lambda: "hunter2", ["(joke in #newsroom-dev, not a real password) my password is {v}"]),
    ("placeholder", lambda: "REDACTED", ["password={v}"]),
    ("templated-value", lambda: "${BITBUCKET_APP_PASSWORD}", ["git push https://x-token-auth:{v}@bitbucket.org/northbank/depot.git"]),
    ("templated-value", lambda: "${MYSQL_ROOT_PASSWORD:?required}", ["      MYSQL_ROOT_PASSWORD: {v}"]),
    ("templated-value", lambda: "{{ .Values.kafka.password }}", ["  KAFKA_PASSWORD: {v}"]),
    ("templated-value", lambda: "${var.mongo_admin_password}", ["  password = \"{v}\""]),
    ("templated-value", lambda: "$(PAT)", ["azure-pipelines: git clone https://build:{v}@dev.azure.com/northbank/routes/_git/planner"]),
    ("templated-value", lambda: "getenv('DB_PASSWORD')", ["define( 'DB_PASSWORD', {v} );"]),
    ("templated-value", lambda: "${{ secrets.OPENAI_API_KEY }}", ["        OPENAI_API_KEY: {v}"]),
    ("templated-value", lambda: "{{ op://Courier/Fastly/credential }}", ["fastly_api_token: \"{v}\""]),
    ("templated-value", lambda: "Configuration[\"Jwt:SigningKey\"]", ["var key = {v};"]),
    ("masked-value", lambda: "****", ["Password: {v}", "  TWILIO_AUTH_TOKEN: {v}  (masked in Bitbucket UI)"]),
    ("masked-value", lambda: "••••••••", ["Mailchimp API key {v}-us14 (shown once)"]),
    ("masked-value", lambda: "sk-...." + rs(ALNUM, 4), ["OpenAI usage page: key {v} used 2.1M tokens"]),
    ("masked-value", lambda: "<redacted>", ["{ts} DEBUG kafka sasl password={v} user=scanner"]),
    ("masked-value", lambda: "AKIA****************", ["GuardDuty finding for access key {v}"]),
    ("keyword-no-value", lambda: "DB_PASSWORD", ["wp-config.php now reads {v} from the environment"]),
    ("keyword-no-value", lambda: "auth_token", ["Twilio console: never paste the {v} into tickets"]),
    ("keyword-no-value", lambda: "secret", ["kubectl create {v} generic depot-db --from-env-file=.env.prod"]),
    ("keyword-no-value", lambda: "ServerToken", ["Postmark needs the {v}, not the account token, for sending"]),
    ("keyword-no-value", lambda: "passphrase", ["the depot wifi {v} is printed on the laminated card by the door"]),
    ("keyword-no-value", lambda: "TWINE_PASSWORD", ["CI uploads with {v} set from a secured repository variable"]),
    ("private-or-reserved-ip", draw.priv_ip, ["scanner gateway {v} dropped off the VPN", "mysql replica at {v}:3306"]),
    ("private-or-reserved-ip", lambda: f"192.0.2.{rng.randint(1, 254)}", ["example in the runbook: allowlist {v}"]),
    ("private-or-reserved-ip", lambda: f"198.51.100.{rng.randint(1, 254)}", ["Fastly origin shield test IP {v}"]),
    ("private-or-reserved-ip", lambda: "0.0.0.0", ["redis was listening on {v}:6379 without requirepass"]),
    ("private-or-reserved-ip", lambda: "fd12:3456:789a::" + rs(HEX, 3), ["depot IPv6 ULA gateway {v}"]),
    ("example-email", lambda: "newsdesk@harbourcourier.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "jane.doe@example.org", ["docs sample subscriber {v}"]),
    ("example-email", lambda: "alerts@northbank.internal", ["opsgenie email integration forwards {v}"]),
    ("example-email", lambda: "qa+paywall@harbourcourier.test", ["test subscriber {v} created in staging"]),
    ("vendor-example-key", lambda: "y_NbAkKc66ryYTWUXYEu", ["PagerDuty API reference example token {v}"]),
    ("vendor-example-key", lambda: "AKIAI44QH8DHBEXAMPLE", ["aws docs sample key {v}"]),
    ("vendor-example-key", lambda: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", ["from the IAM docs page: secret {v}"]),
    ("vendor-example-key", lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2", ["Stripe quickstart snippet Stripe.api_key = '{v}'"]),
    ("vendor-example-key", lambda: "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["SendGrid docs: SENDGRID_API_KEY='{v}'"]),
    ("version-or-date", lambda: "6.5.2", ["WordPress {v} auto-update failed"]),
    ("version-or-date", lambda: "3.7.1", ["kafka brokers on {v}"]),
    ("version-or-date", lambda: "2026.04.3", ["route-planner release {v}"]),
    ("version-or-date", lambda: "8.0.36-28", ["Percona Server {v}"]),
    ("public-key-or-cert", lambda: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + rs(B64, 340) + " bitbucket-pipelines", ["known deploy key (public half):\n{v}"]),
    ("public-key-or-cert", draw.pub_pem, ["paywall JWT verification key:\n{v}"]),
    ("public-key-or-cert", lambda: "pk_live_51" + rs(ALNUM, 97), ["<script>Stripe('{v}')</script>"]),
    ("public-key-or-cert", lambda: draw.cert_pem(), ["origin cert for harbourcourier.example:\n{v}"]),
    ("public-key-or-cert", lambda: "RWQ" + rs(B64, 53), ["minisign public key for the release artefacts: {v}"]),
    ("ids-and-numbers", lambda: f"NB-{rng.randint(1000, 9999)}", ["duplicate of {v}"]),
    ("ids-and-numbers", lambda: f"INC-{rng.randint(1000, 9999)}", ["{v}: depot scanners offline 05:10-07:45"]),
    ("ids-and-numbers", lambda: "210987654321", ["courier prod AWS account {v}"]),
    ("ids-and-numbers", lambda: "sub_1" + rs(ALNUM, 23), ["Stripe subscription {v} cancelled by reader"]),
    ("ids-and-numbers", lambda: "in_1" + rs(ALNUM, 23), ["invoice {v} paid"]),
    ("ids-and-numbers", lambda: "NB" + rs(DIG, 9) + "GB", ["consignment barcode {v}"]),
    ("ids-and-numbers", lambda: "GB" + rs(DIG, 9), ["VAT number {v} on the invoice footer"]),
    ("ids-and-numbers", lambda: "MU" + rs(UP + DIG, 6), ["tachograph card {v} expires next month"]),
    ("ids-and-numbers", lambda: f"{rs(UP, 2)}{rng.randint(10, 75)} {rs(UP, 3)}", ["vehicle reg {v} flagged for MOT"]),
    ("ids-and-numbers", lambda: str(rng.randint(10**8, 10**9 - 1)), ["Bitbucket build number {v}"]),
    ("luhn-fail-number", luhn_bad, ["print run job {v}", "subscriber number {v}"]),
    ("documented-test-card", lambda: "4000 0025 0000 3155", ["3DS test card {v} on staging paywall"]),
    ("documented-test-card", lambda: "6011111111111117", ["Discover test number {v} (Stripe docs)"]),
    ("base64-nonsecret", lambda: b64(b'{"consignment":"NB-8812","leg":2}'), ["scan payload {v}"]),
    ("base64-nonsecret", lambda: b64(b"courier-paywall"), ["  app-name: {v}  # decoded: courier-paywall"]),
    ("encrypted-value", sops, ["mongo_admin_password: {v}"]),
    ("encrypted-value", lambda: "ENC[PKCS7," + b64(draw.rbytes(120)) + "]", ["courier::db_password: {v}"]),
    ("encrypted-value", lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(3)), ["ansible_become_password: !vault |\n  {v}"]),
    ("encrypted-value", lambda: "CiQA" + rs(B64, 120) + "==", ["gcloud kms decrypt --ciphertext-file=<(echo {v} | base64 -d)"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("uuid", draw.uuid4, ["New Relic account guid {v}", "x-correlation-id: {v}"]),
    ("hash-or-digest", hexs(40), ["$ shasum wp-content/plugins/paywall.zip\n{v}  wp-content/plugins/paywall.zip"]),
    ("placeholder", lambda: "<mailgun-signing-key>", ["MAILGUN_WEBHOOK_SIGNING_KEY={v}"]),
    ("templated-value", lambda: "#{ENV.fetch('STRIPE_KEY')}", ["stripe_key: \"{v}\""]),
    ("masked-value", lambda: "[secure]", ["+ export DATABASE_PASSWORD={v}"]),
    ("keyword-no-value", lambda: "--password", ["mysqldump warns: using {v} on the command line can be insecure"]),
    ("ids-and-numbers", lambda: "ORD-" + rs(DIG, 7), ["refund issued for {v}"]),
    ("version-or-date", lambda: "2026-04-03", ["paywall migration cutover {v} 02:00 IST"]),
    ("public-key-or-cert", lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43), ["bitbucket.org host key check: {v}"]),
    ("trace-id", lambda: "req_" + rs(ALNUM, 14), ["Stripe request id {v}"]),
    ("cloud-resource-id", lambda: "gs://northbank-pod-photos/2026/04/", ["lifecycle rule added on {v}"]),
    ("uuid", draw.uuid4, ["TenantId {v} (Azure AD, not secret)", "Opsgenie team id {v}"]),
    ("git-sha", hexs(40), ["go.sum pins depot-sdk at commit {v}"]),
    ("hash-or-digest", lambda: "sha384-" + b64(draw.rbytes(48)), ["<script src=\"/js/paywall.js\" integrity=\"{v}\" crossorigin=\"anonymous\">"]),
    ("trace-id", hexs(16), ["parent_span={v}"]),
    ("templated-value", lambda: "${PASSWORD}", ["jdbc:postgresql://depot-db/depot?user=depot&password={v}"]),
    ("templated-value", lambda: "((kafka_password))", ["sasl_password: {v}"]),
    ("masked-value", lambda: "xxxx-xxxx", ["key ending {v} revoked"]),
    ("keyword-no-value", lambda: "client_secret", ["rotate the route-planner {v} before 30 June (Entra expiry)"]),
    ("public-key-or-cert", lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58), ["creation_rules:\n  - age: {v}"]),
    ("ids-and-numbers", lambda: "PR #" + str(rng.randint(100, 999)), ["{v} moves the Mailgun key to Secret Manager"]),
    ("version-or-date", lambda: "v2.11.4", ["argo-cd {v}"]),
    ("luhn-fail-number", luhn_bad, ["archive microfilm reel {v}"]),
    ("documented-test-card", lambda: "5200828282828210", ["Mastercard debit test {v}"]),
    ("vendor-example-key", lambda: "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", ["Slack tutorial token {v}"]),
    ("base64-nonsecret", lambda: b64(b"user=anonymous;edition=weekend"), ["cookie hc_prefs={v}"]),
    ("example-email", lambda: "noreply@northbank.example", ["From: Northbank Freight <{v}>"]),
    ("cloud-resource-id", lambda: "projects/northbank-prod/secrets/mailgun-key", ["secretKeyRef name {v}"]),
    ("private-or-reserved-ip", lambda: "10.0.0.0/8", ["egress allowed to {v} only"]),
    ("hash-or-digest", lambda: "md5:" + rs(HEX, 32), ["upload checksum {v}"]),
    ("encrypted-value", lambda: "AgA" + rs(B64, 160) + "==", ["  encryptedData:\n    MAILGUN_API_KEY: {v}"]),
]


def sections() -> tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]]:
    secrets = expand(CLOUD_AND_SCM)
    url_rows = expand([("password-in-url", url_pw, URLS)])
    url_rows = [(typ, line, v) for (_, line, v), typ in zip(url_rows, URL_TYPES, strict=True)]
    secrets += url_rows + expand([("password-assignment", pw, PASSWORDS)])
    return secrets, expand(PERSONAL), expand(TOKENS), [], expand(NEGATIVES), expand(RARE_NEGATIVES)


SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{30}|github_pat_|gl(?:pat|dt|cbt)-[\w-]{20}|xox[bpa]-\d{6}|hooks\.slack\.com/services/T[A-Z0-9]{8}[1-9A-Z]"
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{30}|-----BEGIN [A-Z ]*PRIVATE KEY-----\n[A-Za-z0-9]"
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20}|SG\.[\w-]{20}|xkeysib-|dckr_pat_|ATBB|ATATT"
    r"|npm_[A-Za-z0-9]{30}|hvs\.[A-Za-z0-9]{20}|sk-(?:proj|ant)-|hf_[A-Za-z]{30}|NRAK-|glc_|sntryu_|AKCp8"
    r"|://[^/\s:@\x00]+:[^/\s@<>${}*\[.(]{8,}@|Basic [A-Za-z0-9+/]{16}|Bearer [A-Za-z0-9._-]{24}"
)

OK_MAIL_63 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_63,
    phoneish=PHONEISH_63,
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
            assert raw[:2] != "PT" or pt_nib_ok(raw), r["id"]
    counts = {k: sum(r["kind"] == k for r in rows) for k in (S, P, N)}
    assert counts[S] == 160 and counts[P] == 30, counts


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t63", out=OUT, check=check, id_digits=4)


if __name__ == "__main__":
    main()
