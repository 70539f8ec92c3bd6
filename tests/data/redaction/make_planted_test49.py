# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test49.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test49.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270149)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a charitable trust that runs a town's swimming pools and leisure centres,
Brindlecombe Leisure Trust (BLT): PM-3 the New Year membership-booking outage (.NET on Azure App
Service, Azure SQL, Service Bus, Cosmos DB, Redis), PM-5 the pool-plant building-management alarms
(Niagara, BACnet, Trend, KNX), PM-8 the direct-debit and card-payment
keys found in a public repo (Mollie, Braintree, Checkout.com, PayPal, Worldpay), RB-1 turnstiles and
access control (Paxton, Aruba, Meraki, Palo Alto), RB-6 CI and releases (Azure DevOps, Octopus
Deploy, JFrog Artifactory, SonarQube, Jenkins, Bitbucket), ADR-4 messaging (Vonage, Mailgun,
MessageBird, Postmark), ADR-9 logging (Splunk HEC, Elastic, Opsgenie, Sumo Logic, Better Stack) and
PM-11 a swim-lessons waiting list shared with a coaching contractor (cards, IBANs, phones). Common
shapes come first in each kind (``t49p…``/``t49n…``).
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
    PHONEISH,
    TEST_CARDS,
    UP,
    Draw,
    Gen,
    N,
    S,
    b64,
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
OUT = HERE / "planted_test49.jsonl"
FOLD = "test49"
rng = Random(20270149)
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
    "backstroke",
    "butterfly",
    "lifeguard",
    "flume",
    "chlorine",
    "tumble-turn",
    "lane-rope",
    "sauna",
    "aquafit",
    "springboard",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(
        ["bms-reader", "bookings-api", "paxton-sync", "coach-portal", "octopus-tentacle"], WORDS
    )


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def mollie_key() -> str:
    return "live_" + rs(ALNUM, 30)


def mollie_org() -> str:
    return "access_" + rs(ALNUM, 40)


def braintree_token() -> str:
    return "access_token$production$" + rs(LOW + DIG, 16) + "$" + rs(HEX, 32)


def checkout_sk() -> str:
    return (
        "sk_"
        + rs(LOW + DIG, 8)
        + "-"
        + rs(LOW + DIG, 4)
        + "-"
        + rs(LOW + DIG, 4)
        + "-"
        + rs(LOW + DIG, 4)
        + "-"
        + rs(LOW + DIG, 12)
    )


def paypal_secret() -> str:
    return "E" + rs(B64URL, 79)


def vonage_secret() -> str:
    return rs(ALNUM, 16)


def mailgun_key() -> str:
    return "key-" + rs(HEX, 32)


def messagebird_key() -> str:
    return rs(ALNUM, 25)


def palo_alto_key() -> str:
    return "LUFRPT" + rs(B64, 74) + "=="


def meraki_key() -> str:
    return rs(HEX, 40)


def octopus_key() -> str:
    return "API-" + rs(UP + DIG, 27)


def jfrog_key() -> str:
    return "AKCp" + rs(ALNUM, 69)


def jfrog_ref() -> str:
    return "cmVmdGtuOjAxOj" + rs(ALNUM, 50)


def sonar_token() -> str:
    return rng.choice(["squ_", "sqp_", "sqa_"]) + rs(HEX, 40)


def jenkins_token() -> str:
    return "11" + rs(HEX, 32)


def bitbucket_app_pw() -> str:
    return "ATBB" + rs(ALNUM, 28) + rs(HEX.upper(), 8)


def elastic_api_key() -> str:
    return b64((rs(ALNUM, 20) + ":" + rs(ALNUM + "-_", 22)).encode())


def sumo_key() -> str:
    return rs(ALNUM, 64)


def betterstack_token() -> str:
    return rs(ALNUM, 24)


def ado_pat() -> str:
    return draw.ado_pat()


def bookings_jwt() -> str:
    body = {
        "iss": "https://login.brindlecombe.example",
        "aud": "api://bookings",
        "sub": "member-" + rs(DIG, 6),
        "roles": ["Booking.Write"],
        "exp": 1795000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 27)}, body, rs(B64URL, 342))


def paxton_jwt() -> str:
    body = {"site": "BLT-" + rs(DIG, 3), "scope": "doors:unlock", "iat": 1790000000 + rng.randint(0, 9999999)}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["araminta", "cuthbert", "honoria", "lysander", "perpetua", "fitzgerald", "ottilie", "montague"]
LAST = ["poolewright", "drummond", "hollowell", "kingsnorth", "ashburton", "pelling", "wrenfield"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "btinternet.com",
    "icloud.com",
    "aol.com",
    "live.co.uk",
    "protonmail.com",
    "hotmail.com",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = [
    "bookings-api",
    "member-portal",
    "bms-bridge",
    "turnstile-sync",
    "lessons-api",
    "dd-collector",
    "kiosk",
]
STAFF = ["gwendolyn", "idris", "priyanka", "rhodri", "zofia", "callum", "annika", "delroy"]
HOSTS = ["app-bookings-1", "sql-blt-prod", "sb-blt", "jace-1", "bms-niagara-1", "pa-edge-1", "octo-1"]
SITES = ["Riverside Pool", "Eastgate Leisure", "Kingsmead Sports Hall", "Lido", "Westbrook Gym"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "site": lambda: rng.choice(SITES),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | P1 bridge | {who}: "
TEAMS = "{who} (Teams, {t}): "
TOPDESK = "TOPdesk I{tkt} action by {who}: "
KQL = "AppTraces | where TimeGenerated > ago(1h) // result:\n"
ADO = "steps:\n- task: AzureCLI@2\n  env:\n"
WAIT = "parent_name,parent_email,parent_phone,deposit_card,refund_iban,child_level\n"
PAN = "admin@pa-edge-1> "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "Set-AWSCredential -AccessKey {v} -SecretKey $env:AWS_SK -StoreAs cctv-archive",
            "AWSAccessKeyId={v}",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "AWSSecretKey={v}",
            "rclone config create cctv s3 provider AWS access_key_id AKIA_SEE_VAULT secret_access_key {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            'az ad sp credential reset --id {uuid} # output: "password": "{v}"',
            'ClientSecret: "{v}"  # appsettings.Production.json',
            ADO + "    AZURE_CLIENT_SECRET: {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=bltbackups;AccountKey={v};EndpointSuffix=core.windows.net",
            'az storage blob upload --account-name bltbackups --account-key "{v}" -c sql -f full.bak',
            "AccountEndpoint=https://blt-bookings.documents.azure.com:443/;AccountKey={v};",
        ],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            "Endpoint=sb://sb-blt.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}",
            '"ServiceBus": "Endpoint=sb://sb-blt.servicebus.windows.net/;SharedAccessKeyName=bookings-send;SharedAccessKey={v};EntityPath=bookings"',
        ],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://bltbackups.blob.core.windows.net/sql/full.bak?sv=2022-11-02&ss=b&srt=o&sp=rl&se=2026-12-31T23:59:59Z&spr=https&sig={v}"
        ],
    ),
    (
        "azure-key",
        ado_pat,
        [
            "git clone https://pat:{v}@dev.azure.com/brindlecombe/Leisure/_git/bookings",
            "AZURE_DEVOPS_EXT_PAT={v} az devops project list",
            '[credential "https://dev.azure.com"]\n    helper = store\n# ~/.git-credentials: https://build:{v}@dev.azure.com',
        ],
    ),
    ("gcp-key", draw.gcp_api, ['<meta name="maps-key" content="{v}"> <!-- lido finder -->']),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"blt-attendance","private_key_id":"{h40}","private_key":"{v}","client_email":"sheets-sync@blt-attendance.iam.gserviceaccount.com","client_id":"1049"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        ["$env:GITHUB_TOKEN = '{v}'; winget-releaser --token $env:GITHUB_TOKEN", "renovate:\n  token: {v}"],
    ),
    (
        "gitlab-token",
        lambda: "GR1348941" + rs(B64URL, 20),
        ["gitlab-runner register --url https://gitlab.com --registration-token {v}"],
    ),
    ("slack-token", draw.slack_token, [TEAMS + "found {v} in the old lifeguard-rota bot's web.config"]),
    ("slack-webhook", draw.slack_hook, ['"SlackWebhook": "{v}",']),
    ("stripe-key", draw.stripe_key, ['<add key="StripeSecret" value="{v}" />']),
    (
        "jwt",
        bookings_jwt,
        [
            "GET /api/bookings?site=riverside HTTP/1.1\nHost: bookings.brindlecombe.example\nAuthorization: Bearer {v}",
            KQL + '  "http.request.header.authorization": "Bearer {v}"',
        ],
    ),
    ("jwt", paxton_jwt, ["paxton_session={v}; Path=/; HttpOnly"]),
    ("private-key", draw.pk("rsa"), ["$ cat /etc/ssl/private/turnstile-mtls.key\n{v}"]),
    ("private-key", draw.pk("ssh"), ["Octopus SSH target account key:\n{v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("pkcs8", sep="\n      "),
        ["apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nstringData:\n  tls.key: |\n      {v}"],
    ),
    ("private-key", draw.pk("ec"), ["worldpay_apple_pay_merchant.key\n{v}"]),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "sqlserver://bookings_app:{v}@sql-blt-prod.database.windows.net:1433?database=bookings",
            "REDIS_URL=rediss://:{v}@blt-cache.redis.cache.windows.net:6380/0",
            "bacnet-bridge --upstream https://bms:{v}@bms-niagara-1.blt.internal/ord",
            'elasticsearch.hosts: ["https://elastic:{v}@es-1.blt.internal:9200"]',
            "amqp://paxton:{v}@10.60.4.12:5672/access",
            "postgresql://lessons:{v}@pg-lessons.blt.internal/lessons?sslmode=require",
            "https://coach-portal:{v}@files.swimcoach.example/waiting-list/",
            "ldap://svc-paxton:{v}@dc1.blt.internal:389",
            "smb://BLT;svc-scan:{v}@nas-1.blt.internal/scans",
            "nats://bms:{v}@nats.blt.internal:4222",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            '<add name="Bookings" connectionString="Server=sql-blt-prod;Database=bookings;User Id=bookings_app;Password={v};" />',
            '"ConnectionStrings": { "Lessons": "Host=pg-lessons;Username=lessons;Password={v}" }',
            "username admin password {v}  # Aruba 6300 at {site}",
            "panos_password: {v}",
            "niagara.platform.password={v}",
            "KNX_SECURE_PASSWORD={v}",
            'trend_iq4_pin = "{v}"',
            "$ octo create-release --project Bookings --server https://octo-1.blt.internal --user deploy --pass {v}",
            '  SA_PASSWORD: "{v}"',
            '$ psql "host=pg-lessons user=lessons password={v} dbname=lessons"',
            'New-LocalUser -Name svc-kiosk -Password (ConvertTo-SecureString "{v}" -AsPlainText -Force)',
            "xpack.security.authc.bootstrap.password: {v}",
            "jenkins.admin.password={v}",
            "ssid BLT-Staff\n wpa-passphrase {v}",
            "radius-server host 10.60.0.10 key {v}",
            "mysql --user=paxton --password={v} -h 10.60.4.30 net2",
            "kiosk.ini:\n[Admin]\nExitPin=\nPassword={v}",
            "def DB_PASS = '{v}'  // Jenkinsfile, removed in RB-6",
            '$password = "{v}"; Invoke-RestMethod -Uri $paxtonUrl -Credential $cred',
            TOPDESK + "BMS head-end login is blt-admin / {v}",
            TEAMS + "new Paxton Net2 operator password: {v}",
            "cctv:\n  nvr_user: admin\n  nvr_password: {v}",
            "ALTER ROLE lessons WITH PASSWORD '{v}';",
            "sumo.accessKey={v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            "Invoke-WebRequest -Uri http://bms-niagara-1/obix -Headers @{Authorization = 'Basic {v}'}",
            '"auths": {"blt.jfrog.io": {"auth": "{v}"}}',
        ],
    ),
    (
        "bearer-token",
        alnum(48),
        ["curl -H 'Authorization: Bearer {v}' https://blt.jfrog.io/artifactory/api/repositories"],
    ),
    (
        "bearer-token",
        betterstack_token,
        [
            'curl -X POST -H \'Authorization: Bearer {v}\' -d \'{"dt":"now","message":"pool plant ok"}\' https://in.logs.betterstack.com'
        ],
    ),
    ("vendor-token", mollie_key, ["MOLLIE_API_KEY={v}", '$mollie->setApiKey("{v}");']),
    (
        "vendor-token",
        mollie_org,
        ['curl -H "Authorization: Bearer {v}" https://api.mollie.com/v2/organizations/me'],
    ),
    (
        "vendor-token",
        braintree_token,
        ["BRAINTREE_ACCESS_TOKEN={v}", 'gateway = braintree.BraintreeGateway(access_token="{v}")'],
    ),
    (
        "generic-api-key",
        hex_n(32),
        [
            "BRAINTREE_PRIVATE_KEY={v}",
            "braintree:\n  merchant_id: bltleisure\n  public_key: pk9x2\n  private_key: {v}",
        ],
    ),
    ("vendor-token", checkout_sk, ["CKO_SECRET_KEY={v}", "Authorization: {v}"]),
    (
        "generic-api-key",
        paypal_secret,
        [
            "PAYPAL_CLIENT_SECRET={v}",
            'curl -u "AYSq3RDGsmBLJE-otTkBtM-jBRd1TCQwFf9RGfwddNXWz0uFU9ztymylOhRS:{v}" https://api-m.paypal.com/v1/oauth2/token',
        ],
    ),
    (
        "generic-api-key",
        vonage_secret,
        [
            "VONAGE_API_KEY=8c1f2a9d\nVONAGE_API_SECRET={v}",
            "vonage config:set --apiKey=8c1f2a9d --apiSecret={v}",
        ],
    ),
    (
        "vendor-token",
        mailgun_key,
        [
            "MAILGUN_API_KEY={v}",
            "curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.brindlecombe.example/messages",
        ],
    ),
    ("generic-api-key", messagebird_key, ["Authorization: AccessKey {v}"]),
    ("generic-api-key", hex_n(32), ["POSTMARK_SERVER_TOKEN={v}"]),
    (
        "vendor-token",
        palo_alto_key,
        [
            "curl -k 'https://pa-edge-1/api/?type=op&cmd=<show><system><info/></system></show>&key={v}'",
            "panos:\n  hostname: pa-edge-1\n  api_key: {v}",
        ],
    ),
    ("vendor-token", meraki_key, ["X-Cisco-Meraki-API-Key: {v}", "MERAKI_DASHBOARD_API_KEY={v}"]),
    (
        "vendor-token",
        octopus_key,
        ["octo deploy-release --project Bookings --apiKey {v}", "X-Octopus-ApiKey: {v}"],
    ),
    (
        "vendor-token",
        jfrog_key,
        ["X-JFrog-Art-Api: {v}", "jf c add blt --url https://blt.jfrog.io --password {v}"],
    ),
    ("vendor-token", jfrog_ref, ["jf rt ping --access-token {v}"]),
    (
        "vendor-token",
        sonar_token,
        ['dotnet sonarscanner begin /k:bookings /d:sonar.token="{v}"', "SONAR_TOKEN: {v}"],
    ),
    (
        "vendor-token",
        jenkins_token,
        [
            "curl -X POST -u deploy:{v} https://jenkins.blt.internal/job/kiosk/build",
            "java -jar jenkins-cli.jar -s https://jenkins.blt.internal -auth deploy:{v} list-jobs",
        ],
    ),
    (
        "vendor-token",
        bitbucket_app_pw,
        ["git clone https://blt-ci:{v}@bitbucket.org/brindlecombe/kiosk.git", "BITBUCKET_APP_PASSWORD={v}"],
    ),
    (
        "generic-api-key",
        elastic_api_key,
        ["Authorization: ApiKey {v}", 'output.elasticsearch:\n  api_key_encoded: "{v}"'],
    ),
    (
        "vendor-token",
        uuid4,
        ["Authorization: Splunk {v}", "[http://bms_hec]\ntoken = {v}\nindex = pool_plant"],
    ),
    ("vendor-token", uuid4, ["Authorization: GenieKey {v}"]),
    ("generic-api-key", sumo_key, ["SUMO_ACCESS_KEY={v}"]),
    (
        "webhook-url",
        lambda: (
            f"https://brindlecombe.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ['"TeamsAlertsWebhook": "{v}"'],
    ),
    (
        "webhook-url",
        lambda: (
            "https://prod-"
            + rs(DIG, 2)
            + ".uksouth.logic.azure.com:443/workflows/"
            + rs(HEX, 32)
            + "/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig="
            + rs(B64URL, 43)
        ),
        ["Logic App trigger for lifeguard call-offs: {v}"],
    ),
    (
        "webhook-url",
        lambda: "https://endpoint4.collection.eu.sumologic.com/receiver/v1/http/" + rs(B64URL, 120) + "==",
        ["sumo_http_source: {v}"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["kind: Secret\nmetadata:\n  name: lessons-db\ntype: Opaque\ndata:\n  POSTGRES_PASSWORD: {v}"],
    ),
    ("vendor-token", draw.sendgrid_key, ['"SendGrid": { "ApiKey": "{v}" }']),
    ("vendor-token", draw.heroku_key, ["heroku auth:token -> {v}"]),
    (
        "vendor-token",
        draw.atlassian_token,
        ["curl -u ops@brindlecombe.example:{v} https://brindlecombe.atlassian.net/rest/api/3/myself"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gitlab-token",
        lambda: "glrt-" + rs(B64URL, 20),
        ['[[runners]]\n  name = "blt-win-1"\n  url = "https://gitlab.com"\n  token = "{v}"'],
    ),
    (
        "vendor-token",
        lambda: "sl.u." + rs(B64URL, 140),
        ["DROPBOX_TOKEN={v}  # lifeguard certificates folder"],
    ),
    (
        "vendor-token",
        lambda: "xapp-1-A" + rs(UP + DIG, 10) + "-" + rs(DIG, 13) + "-" + rs(HEX, 64),
        ["SLACK_APP_TOKEN={v}"],
    ),
    (
        "bearer-token",
        lambda: "AAAAAAAAAAAAAAAAAAAAA" + rs(ALNUM, 40) + "%3D" + rs(ALNUM, 50),
        ['curl -H "Authorization: Bearer {v}" https://api.twitter.com/2/tweets  # pool-closure posts'],
    ),
    ("vendor-token", lambda: "EAA" + rs(ALNUM, 180), ["FB_PAGE_ACCESS_TOKEN={v}  # Riverside Pool page"]),
    ("vendor-token", lambda: "sk-" + rs(ALNUM, 48), ['openai.api_key = "{v}"  # timetable summariser']),
    (
        "azure-key",
        draw.az_sb_key,
        ["Endpoint=sb://blt-iot.servicebus.windows.net/;SharedAccessKeyName=iothubowner;SharedAccessKey={v}"],
    ),
    (
        "azure-key",
        lambda: b64(draw.rbytes(32)),
        ["HostName=blt-iot.azure-devices.net;DeviceId=turnstile-3;SharedAccessKey={v}"],
    ),
    (
        "password-assignment",
        password,
        [
            "$ wget --http-user=bms --http-password={v} http://10.60.5.5:8080/health",
            '<connectionStrings><add name="Net2" connectionString="Data Source=10.60.4.30;Initial Catalog=Net2;User ID=net2;Password={v}" /></connectionStrings>',
            "Start-Process -Credential (New-Object PSCredential 'BLT\\svc-kiosk', (ConvertTo-SecureString '{v}' -AsPlainText -Force)) kiosk.exe",
            "export PGPASSWORD='{v}'",
            "pool_plant:\n  bacnet:\n    device_password: {v}",
            "wifi:\n  ssid: BLT-Plant\n  psk: {v}",
            "LDAP_BIND_PASSWORD={v}",
            "$ kubectl create secret generic lessons-db --from-literal=POSTGRES_PASSWORD={v}",
            'cfg.mollie_partner_password = "{v}"',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "snmp-server community {v} ro",
            "set deviceconfig system snmp-setting access-setting version v2c snmp-community-string {v}",
            "| Niagara station | bms-niagara-1 | admin | {v} |",
            "net2.operator.pin={v}",
            "<Password>{v}</Password>  <!-- FileZilla sitemanager.xml, coach portal -->",
            "$ sshpass -p '{v}' ssh admin@10.60.0.1 show run",
            "aruba-6300(config)# user admin group administrators password plaintext {v}",
            "$ net use \\\\nas-1\\scans /user:BLT\\svc-scan {v}",
            "knxd -e 0.0.1 -E 0.0.2:8 --Secure-password={v}",
            "ALTER LOGIN bookings_app WITH PASSWORD = N'{v}';",
            "webdav_pass = {v}",
            "ipmitool -H 10.60.9.21 -U root -P {v} sol activate",
            "export ELASTIC_PASSWORD={v}",
            "secret: {v}  # Logic App SAS shared key, rotate yearly",
            "Set-Secret -Name MolliePartnerPw -Secret '{v}'",
        ],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "rtsp://admin:{v}@10.60.7.44/cam/realmonitor?channel=1&subtype=0",
            "jdbc:postgresql://pg-lessons:5432/lessons?user=lessons&password={v}",
            "mqtts://knx-gw:{v}@10.60.3.9:8883",
            "ftps://worldpay:{v}@sftp.worldpay.example/reports/",
        ],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"signing_key": "{v}",']),
    (
        "bearer-token",
        alnum(56),
        [
            'Invoke-RestMethod -Headers @{Authorization = "Bearer {v}"} -Uri https://api.meraki.com/api/v1/organizations'
        ],
    ),
    ("vendor-token", lambda: "shpat_" + rs(HEX, 32), ["SHOPIFY_ADMIN_TOKEN={v}  # swimwear shop"]),
    (
        "vendor-token",
        lambda: "dp.st.prd." + rs(ALNUM, 43),
        ["doppler run --token {v} -- dotnet Bookings.dll"],
    ),
    ("vendor-token", lambda: "hvs." + rs(ALNUM + "-_", 24), ["VAULT_TOKEN={v} vault kv get kv/bms"]),
    ("vendor-token", lambda: "pat-eu1-" + uuid4(), ["HUBSPOT_PRIVATE_APP_TOKEN={v}"]),
    ("vendor-token", lambda: "xoxe.xoxp-1-" + rs(ALNUM, 140), ["slack refresh token (rotated): {v}"]),
    ("generic-api-key", alnum(32), [TOPDESK + "Worldpay XML password / installation key {v}"]),
    ("vendor-token", lambda: "ops_" + rs(B64URL, 600), ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            WAIT + "Araminta Poolewright,{v},,,,Stage 3",
            TOPDESK + "member asks why {v} still gets the gym newsletter",
            "{ts} INFO member-portal password reset mail to {v}",
            "DELETE FROM marketing_optin WHERE email = '{v}';",
        ],
    ),
    (
        "phone",
        phone,
        [
            WAIT + "Cuthbert Drummond,,{v},,,Stage 1",
            TOPDESK + "lido season-ticket holder called from {v}",
            "{ts} INFO lessons-api sms class-cancelled to={v}",
            "| Honoria Hollowell | duty manager, Riverside | {v} |",
            'emergency_contact:\n  name: Lysander Kingsnorth\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            WAIT + "Perpetua Ashburton,,,{v},,Stage 5",
            TOPDESK + "customer emailed the full card number {v} for the swim deposit",
            "{ts} WARN dd-collector fallback card payment pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} pa-edge-1 THREAT,vulnerability src={v} dst=10.60.1.10 rule=allow-bookings",
            "{ts} WARN member-portal 25 failed logins for member 880123 from {v}",
            '{"event":"booking","member":880123,"client_ip":"{v}"}',
            "sshd[3113]: Accepted publickey for octopus from {v} port 50122",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [01/Jan/2027:00:03:11 +0000] "POST /api/bookings HTTP/1.1" 503', "ClientIP={v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [WAIT + "Fitzgerald Pelling,,,,{v},Stage 2"]),
    (
        "iban",
        lambda: iban_of("IE", rs(UP, 4) + rs(DIG, 14)),
        [TOPDESK + "refund the cancelled course to {v}"],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [TOPDESK + "new lifeguard's NI number {v} typed into the ticket by mistake"]),
    ("national-id", ssn, ["| Ottilie Wrenfield | visiting US swim coach | SSN {v} | W-8BEN form |"]),
    (
        "iban",
        lambda: iban_of("FR", rs(DIG, 10) + rs(UP + DIG, 11) + rs(DIG, 2)),
        ['{"creditor":"Montague Drummond","iban":"{v}","reference":"course refund"}'],
    ),
    ("email", email, ["Author: Cuthbert Pelling <{v}>\nDate:   Thu Jan 1 09:12:44 2027 +0000"]),
    ("email", email, ["To: waitinglist@swimcoach.example\nBcc: {v}\nSubject: waiting list export"]),
    ("phone", phone, ["<member><surname>Ashburton</surname><mobile>{v}</mobile></member>"]),
    ("credit-card", card, ["bookings=# SELECT pan FROM legacy_kiosk_txn WHERE id = 7;\n pan\n-----\n {v}"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.60.1.4"]),
    ("ipv6", public_v6, ["{ts} WARN kiosk remote admin session from {v}"]),
    ("phone", phone, [TEAMS + "ring my personal phone {v} if the chlorine alarm goes again"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git log -1 --pretty=%H\n{v}",
            "Octopus release 4.12.0 built from {v}",
            "BUILD_SOURCEVERSION={v}",
            "cherry-picked {v} onto release/2027.1",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        ["fix in {v} (turnstile debounce)", "image: blt.jfrog.io/docker/kiosk:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "booking_id={v}",
            "Azure subscription {v} (BLT-Production)",
            "{ts} INFO bookings-api operation_Id={v} 200",
            "| {v} | Riverside turnstile 3 |",
            "tenantId: {v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "Application Insights InstrumentationKey={v};IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/",
            "Opsgenie alert id {v} closed by idris",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM mcr.microsoft.com/dotnet/aspnet:8.0@{v}", "kiosk image digest {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v} *Bookings.4.12.0.nupkg", "Get-FileHash full.bak -> {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "thumbprint: {v}"]),
    (
        "hash-or-digest",
        lambda: "0x0200" + rs(HEX.upper(), 136),
        ["sys.sql_logins password_hash for bookings_app = {v}"],
    ),
    ("hash-or-digest", lambda: draw.bcrypt("$2a$11$"), ["member_portal.password_hash = '{v}'"]),
    ("hash-or-digest", draw.apr1, ["admin:{v}  # .htpasswd for the old lido page"]),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    (
        "trace-id",
        hex_n(32),
        ["traceparent: 00-{v}-" + "00f067aa0ba902b7-01", "operation_Id {v} failed in Service Bus"],
    ),
    ("trace-id", hex_n(16), ["SpanId={v}"]),
    ("trace-id", draw.long_trace, ["Palo Alto log sequence {v}"]),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-blt-prod/providers/Microsoft.Web/sites/app-bookings"
        ),
        ["az webapp restart --ids {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-blt-prod/providers/Microsoft.ServiceBus/namespaces/sb-blt"
        ),
        ["scope: {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "https://kv-blt-prod.vault.azure.net/secrets/MollieApiKey/" + rs(HEX, 32),
        ["@Microsoft.KeyVault(SecretUri={v})"],
    ),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::blt-cctv-archive-{rs(LOW + DIG, 5)}", ["cctv bucket {v}"]),
    ("cloud-resource-id", lambda: "N_" + rs(DIG, 6), ["Meraki network id {v}"]),
    ("placeholder", lambda: "<mollie-live-key>", ["MOLLIE_API_KEY={v}"]),
    ("placeholder", lambda: "P@ssw0rd", ["the sample appsettings used {v} and nobody changed it in UAT"]),
    ("placeholder", lambda: "$(SonarToken)", ["SONAR_TOKEN: {v}"]),
    ("placeholder", lambda: "********", ["Password={v};"]),
    ("placeholder", lambda: "API-XXXXXXXXXXXXXXXXXXXXXXXXXXX", ["octo deploy-release --apiKey {v}"]),
    ("placeholder", lambda: "your_api_secret", ["vonage config:set --apiKey=8c1f2a9d --apiSecret={v}"]),
    ("placeholder", lambda: "<paste-here>", ["BITBUCKET_APP_PASSWORD={v}"]),
    (
        "placeholder",
        lambda: "key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["MAILGUN_API_KEY={v}  # set in Key Vault, not here"],
    ),
    ("templated-value", lambda: "$(AzureClientSecret)", ["AZURE_CLIENT_SECRET: {v}"]),
    ("templated-value", lambda: "#{Octopus.Action.Package.CustomInstallationDirectory}", ["install to {v}"]),
    ("templated-value", lambda: "#{Mollie.ApiKey}", ['"Mollie": { "ApiKey": "{v}" }']),
    ("templated-value", lambda: "${{ secrets.MERAKI_KEY }}", ["MERAKI_DASHBOARD_API_KEY: {v}"]),
    (
        "templated-value",
        lambda: "{{ lookup('hashi_vault', 'secret=kv/bms:password') }}",
        ['niagara_password: "{v}"'],
    ),
    ("templated-value", lambda: "credentials('jfrog-token')", ["environment { JF_TOKEN = {v} }"]),
    ("templated-value", lambda: "%SQL_PASSWORD%", ["sqlcmd -S sql-blt-prod -U bookings_app -P {v}"]),
    ("masked-value", lambda: "live_************************" + rs(ALNUM, 2), ["Mollie dashboard shows {v}"]),
    ("masked-value", lambda: "***", ["##[debug]AZURE_CLIENT_SECRET={v}"]),
    ("masked-value", lambda: "LUFRPT…" + rs(ALNUM, 4), ["PAN-OS API key {v} revoked"]),
    ("masked-value", lambda: "[hidden]", ['{"msg":"paxton login","password":"{v}"}']),
    ("masked-value", lambda: "xxxx-" + rs(DIG, 4), ["card on file ending {v}"]),
    (
        "keyword-no-value",
        lambda: "SharedAccessKey",
        ["PM-3: the {v} in the Service Bus string is now a managed identity"],
    ),
    ("keyword-no-value", lambda: "X-Cisco-Meraki-API-Key", ["the script sends {v} from the environment"]),
    ("keyword-no-value", lambda: "BRAINTREE_PRIVATE_KEY", ["PM-8: {v} was in the repo for 41 days"]),
    (
        "keyword-no-value",
        lambda: "--registration-token",
        ["gitlab-runner {v} is deprecated in favour of runner auth tokens"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["turnstile controller {v}", "Niagara station at {v}", "{ts} pa-edge-1 NAT {v} -> pool"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["sample syslog source {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["ISP CGNAT address {v} on the lido line"],
    ),
    ("example-email", lambda: "bookings@brindlecombe.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "user@example.org", ["mailgun sandbox test to {v}"]),
    ("example-email", lambda: "it-ops@brindlecombe.example", ["Opsgenie team {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["$ AWS_ACCESS_KEY_ID={v} aws s3 ls  # from the AWS docs"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ['<add key="StripeSecret" value="{v}" /> <!-- docs sample -->'],
    ),
    ("vendor-example-key", lambda: "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM", ["Mollie docs example key {v}"]),
    ("vendor-example-key", lambda: "key-3ax6xnjp29jd6fds4gc373sgvjxteol0", ["Mailgun docs show {v}"]),
    (
        "version-or-date",
        lambda: f"4.{rng.randint(8, 14)}.{rng.randint(0, 9)}",
        ["Niagara {v}", "Octopus release {v}"],
    ),
    (
        "version-or-date",
        lambda: f"PAN-OS {rng.randint(10, 11)}.{rng.randint(0, 2)}.{rng.randint(1, 9)}-h{rng.randint(1, 9)}",
        ["pa-edge-1 runs {v}"],
    ),
    (
        "version-or-date",
        lambda: f"2027-01-{rng.randint(1, 9):02d}T0{rng.randint(0, 9)}:00:00Z",
        ["outage ended {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["octopus", "jenkins"], "octo-1"),
        ["~/.ssh/authorized_keys on jace-1:\n{v}"],
    ),
    ("public-key-or-cert", draw.cert_pem, ["paxton-ca.crt\n{v}"]),
    ("public-key-or-cert", draw.ec_pub_pem, ["Checkout.com webhook signature public key\n{v}"]),
    (
        "public-key-or-cert",
        lambda: (
            "pk_"
            + rs(LOW + DIG, 8)
            + "-"
            + rs(LOW + DIG, 4)
            + "-"
            + rs(LOW + DIG, 4)
            + "-"
            + rs(LOW + DIG, 4)
            + "-"
            + rs(LOW + DIG, 12)
        ),
        ["Frames.init('{v}');  // Checkout.com public key"],
    ),
    (
        "public-key-or-cert",
        lambda: "A" + rs(B64URL, 79),
        ["PAYPAL_CLIENT_ID={v}  # public, rendered into the checkout page"],
    ),
    ("ids-and-numbers", lambda: rs(DIG, 7), ["Paxton Net2 user {v} disabled", "TOPdesk change {v} approved"]),
    ("ids-and-numbers", lambda: "tr_" + rs(ALNUM, 10), ["Mollie payment {v} expired"]),
    ("ids-and-numbers", lambda: "mdt_" + rs(ALNUM, 10), ["mandate {v} revoked by member"]),
    ("ids-and-numbers", draw.long_id, ["Worldpay order code {v}"]),
    ("ids-and-numbers", lambda: "BLT-" + rs(DIG, 4), ["see {v} for the pool-plant alarm matrix"]),
    (
        "luhn-fail-number",
        luhn_bad,
        ["membership barcode {v} failed at turnstile 2", "Paxton fob {v} not on file"],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Braintree sandbox payment with {v} settled"],
    ),
    (
        "base64-nonsecret",
        lambda: b64(b'{"site":"riverside","lane":4}'),
        ["booking context header X-BLT-Ctx: {v}"],
    ),
    ("base64-nonsecret", lambda: b64(b"bookings-api"), ["labels:\n  app.b64: {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["bms_password: {v}"]),
    ("encrypted-value", lambda: draw.sealed(280), ["spec:\n  encryptedData:\n    POSTGRES_PASSWORD: {v}"]),
    ("encrypted-value", lambda: "AQICAHh" + b64(draw.rbytes(110)), ["CiphertextBlob: {v}"]),
    (
        "encrypted-value",
        lambda: "01000000d08c9ddf0115d1118c7a00c04fc297eb" + rs(HEX, 200),
        ["# DPAPI SecureString export of svc-kiosk\n{v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merged PR 2213: turnstile retry ({v})", "octopus package version built from {v}"]),
    ("uuid", uuid4, ["Azure AD app registration client id {v}", "Service Bus message id {v} dead-lettered"]),
    (
        "hash-or-digest",
        hex_n(32),
        ["Content-MD5 of the waiting-list CSV: {v}", "Braintree webhook bt_signature payload digest {v}"],
    ),
    ("hash-or-digest", lambda: "{SSHA}" + rs(B64, 32), ["userPassword: {v}"]),
    ("trace-id", hex_n(32), ["X-Correlation-ID: {v}"]),
    (
        "cloud-resource-id",
        lambda: "kv-blt-prod/secrets/PaypalClientSecret",
        ["az keyvault secret show --id {v}"],
    ),
    ("cloud-resource-id", lambda: "i-" + rs(HEX, 17), ["cctv archive instance {v}"]),
    (
        "cloud-resource-id",
        lambda: "ocid1.bucket.oc1.uk-london-1." + rs(LOW + DIG, 60),
        ["offsite bucket {v}"],
    ),
    ("placeholder", lambda: "<ApiKey>", ["Authorization: ApiKey {v}"]),
    ("placeholder", lambda: "sk_xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", ["CKO_SECRET_KEY={v}"]),
    (
        "templated-value",
        lambda: "$(System.AccessToken)",
        ['git -c http.extraheader="AUTHORIZATION: bearer {v}" fetch'],
    ),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(VaultName=kv-blt-prod;SecretName=MailgunKey)",
        ["MAILGUN_API_KEY={v}"],
    ),
    ("masked-value", lambda: "AKCp…" + rs(ALNUM, 4), ["JFrog identity token {v} revoked"]),
    ("masked-value", lambda: "•••• •••• •••• " + rs(DIG, 4), ["Checkout.com dashboard card {v}"]),
    (
        "keyword-no-value",
        lambda: "AccountKey",
        ["ADR-4: no {v} in any connection string after the move to managed identity"],
    ),
    (
        "keyword-no-value",
        lambda: "X-Octopus-ApiKey",
        ["the release script reads {v} from an Azure DevOps variable group"],
    ),
    ("private-or-reserved-ip", priv_ip, ["BACnet/IP router {v}", "Meraki MX LAN {v}"]),
    (
        "version-or-date",
        lambda: f"Net2 {rng.randint(5, 6)}.{rng.randint(0, 9)}.{rng.randint(1000, 9999)}",
        ["Paxton upgraded to {v}"],
    ),
    ("ids-and-numbers", lambda: "cst_" + rs(ALNUM, 10), ["Mollie customer {v} merged"]),
    ("ids-and-numbers", lambda: rs(DIG, 9), ["Vonage message id {v} delivered"]),
    ("ids-and-numbers", lambda: "pay_" + rs(LOW + DIG, 26), ["Checkout.com payment {v} captured"]),
    ("luhn-fail-number", luhn_bad, ["gift card {v} invalid"]),
    ("base64-nonsecret", lambda: b64(b"pool_plant:riverside:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " jenkins@octo-1",
        ["known good key:\n{v}"],
    ),
    ("example-email", lambda: "noreply@mg.brindlecombe.example", ["From: {v}"]),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["Set-AWSCredential -AccessKey $env:AWS_AK -SecretKey {v}  # sample from the AWS Tools docs"],
    ),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["niagara_password: !vault |\n  {v}"],
    ),
    ("documented-test-card", lambda: "4111111111111111", ["Worldpay test card {v} authorised in try"]),
    (
        "templated-value",
        lambda: "secretKeyRef",
        [
            "        valueFrom:\n          {v}:\n            name: lessons-db\n            key: POSTGRES_PASSWORD"
        ],
    ),
    ("templated-value", lambda: "$__env{ELASTIC_PASSWORD}", ["basicAuthPassword: {v}"]),
    (
        "placeholder",
        lambda: "<api key>",
        ["curl -H 'X-Cisco-Meraki-API-Key: {v}' https://api.meraki.com/api/v1/organizations"],
    ),
    ("placeholder", lambda: "00000000-0000-0000-0000-000000000000", ["Authorization: Splunk {v}"]),
    ("masked-value", lambda: "squ_…" + rs(HEX, 4), ["SonarQube token {v} expires in 7 days"]),
    ("keyword-no-value", lambda: "GenieKey", ["ADR-9: Opsgenie {v} moves to Key Vault"]),
    ("ids-and-numbers", lambda: "1" + rs(DIG, 14), ["Azure support request {v}"]),
    ("ids-and-numbers", lambda: "L_" + rs(DIG, 18), ["Meraki org id {v}"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["host key fingerprint {v}"]),
    ("version-or-date", lambda: "8.0.11", ["ASP.NET Core runtime {v}"]),
    ("uuid", uuid4, ["ADO pipeline run {v}"]),
    ("public-key-or-cert", lambda: b64(draw.rbytes(32)), ["wg0 peer PublicKey = {v}"]),
    ("documented-test-card", lambda: "5555 5555 5555 4444", ["Checkout.com sandbox card {v}"]),
    ("luhn-fail-number", luhn_bad, ["voucher {v} rejected by the kiosk"]),
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
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|glrt-|GR1348941|xox[bpae]-\w|xoxe\.|hooks\.slack\.com/services/T"
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|SG\.[\w-]{20}|live_[A-Za-z0-9]{30}|access_[A-Za-z0-9]{40}|access_token\$production"
    r"|sk_[a-z0-9]{8}-|LUFRPT|API-[A-Z0-9]{27}|AKCp|cmVmdGtu|sq[upa]_[a-f0-9]{40}|ATBB|key-[a-f0-9]{32}|HRKU-|ATATT|shpat_|dp\.st\.|hvs\.|pat-eu1-|ops_"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|webhook\.office\.com/webhookb2|logic\.azure\.com|/receiver/v1/http/"
    r"|SharedAccessKey=[A-Za-z0-9+/]{20}|AccountKey=[A-Za-z0-9+/]{20}|sig=[A-Za-z0-9%]{20}|(?:Splunk|GenieKey) [0-9a-f]{8}-|(?:AccessKey|ApiKey) [A-Za-z0-9]{20}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

OK_MAIL_49 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_49,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t49", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
