# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test48.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test48.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270148)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a public aquarium with a marine-rescue unit, Saltharrow Marine Aquarium
(SMA): PM-21 the life-support alarm flood (Ignition SCADA, Modbus gateways, Mosquitto, Node-RED,
InfluxDB), PM-24 the members' checkout outage (Adyen, GoCardless, Postgres, Netlify), PM-27 the
education-bookings app that leaked its Twilio and Mailchimp keys, RB-2 animal-records backups (SQL
Server, Veeam, Backblaze B2), RB-5 the site network (Juniper EX, MikroTik, UniFi, FreeRADIUS), ADR-8
the website on Contentful, Algolia and Cloudinary, ADR-10 CI and packages (Buildkite, Docker Hub,
npm, PyPI, Tailscale, ngrok) and PM-30 an adoption-scheme export mailed to a printer (cards, IBANs,
phones). Common shapes come first in each kind (``t48p…``/``t48n…``).
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
OUT = HERE / "planted_test48.jsonl"
FOLD = "test48"
rng = Random(20270148)
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
    "nautilus",
    "cuttlefish",
    "anemone",
    "seahorse",
    "moray",
    "plankton",
    "kelp",
    "dugong",
    "remora",
    "octopus",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["scada-ro", "bookings", "members-sync", "rescue-app", "printer-ftp"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def b64_n(n: int, pad: str = "") -> Gen:
    return lambda: rs(B64, n) + pad


def adyen_key() -> str:
    return (
        "AQE"
        + rs(ALNUM, 2)
        + "mfxK"
        + rs(ALNUM + "+/", 60)
        + "="
        + "-"
        + rs(ALNUM + "+/", 43)
        + "=-"
        + rs(ALNUM, 16)
    )


def gocardless() -> str:
    return "live_" + rs(B64URL, 40)


def mailchimp() -> str:
    return rs(HEX, 32) + "-us" + str(rng.randint(2, 21))


def brevo() -> str:
    return "xkeysib-" + rs(HEX, 64) + "-" + rs(ALNUM, 16)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def contentful_pat() -> str:
    return "CFPAT-" + rs(B64URL, 43)


def netlify_pat() -> str:
    return "nfp_" + rs(ALNUM, 36)


def b2_app_key() -> str:
    return "K005" + rs(ALNUM + "/+", 27)


def tailscale_key() -> str:
    return "tskey-auth-k" + rs(ALNUM, 10) + "CNTRL-" + rs(ALNUM, 33)


def tailscale_api() -> str:
    return "tskey-api-k" + rs(ALNUM, 10) + "CNTRL-" + rs(ALNUM, 33)


def buildkite() -> str:
    return "bkua_" + rs(HEX, 40)


def buildkite_agent() -> str:
    return rs(LOW + DIG, 50)


def dockerhub() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def pypi_token() -> str:
    return "pypi-AgEIcHlwaS5vcmcCJG" + rs(B64URL, 150)


def ngrok_token() -> str:
    return "2" + rs(ALNUM, 26) + "_" + rs(ALNUM, 21)


def influx_token() -> str:
    return rs(B64URL, 86) + "=="


def okta_token() -> str:
    return "00" + rs(ALNUM + "-_", 40)


def juniper9() -> str:
    return "$9$" + rs("./" + ALNUM, rng.randint(18, 30))


def algolia_admin() -> str:
    return rs(HEX, 32)


def cloudinary_secret() -> str:
    return rs(B64URL, 27)


def supabase_pat() -> str:
    return "sbp_" + rs(HEX, 40)


def sanity_token() -> str:
    return "sk" + rs(ALNUM, 180)


def ignition_jwt() -> str:
    body = {
        "iss": "https://id.saltharrow.example",
        "aud": "scada-gateway",
        "sub": "hmi-" + rs(DIG, 2),
        "scope": "tags:write",
        "exp": 1793000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(HEX, 12)}, body, rs(B64URL, 342))


def members_jwt() -> str:
    body = {
        "sub": str(rng.randint(100000, 999999)),
        "role": "service_role",
        "iss": "supabase",
        "iat": 1760000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def teams_hook() -> str:
    return f"https://saltharrow.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}/V2{rs(B64URL, 43)}"


def hc_ping() -> str:
    return f"https://hc-ping.com/{uuid4()}"


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v) or v.startswith("PuTTY-User-Key-File")


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["rosalind", "thaddeus", "wilhelmina", "peregrine", "euphemia", "barnaby", "clementine", "ignatius"]
LAST = ["saltmarsh", "tidewell", "cobblestone", "merriweather", "fenwick", "larkspur", "quillan"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "hotmail.co.uk",
    "icloud.com",
    "proton.me",
    "sky.com",
    "web.de",
    "yahoo.com",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = [
    "lss-monitor",
    "bookings-api",
    "members-web",
    "rescue-app",
    "tank-telemetry",
    "adopt-shop",
    "gate-scan",
]
STAFF = ["morwenna", "aurelio", "tamsin", "kofi", "brygida", "lachlan", "yusra", "ewan"]
HOSTS = ["ign-gw-1", "mqtt-1", "pg-members-1", "sql-animals-1", "veeam-1", "ex-core-1", "rtr-dock-1"]
TANKS = ["Kelp Forest", "Shark Reef", "Jelly Gallery", "Quarantine Q3", "Seal Pool"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "tank": lambda: rng.choice(TANKS),
    "tkt": lambda: str(rng.randint(1_000, 9_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #sma-incident | {who}: "
CHAT = "[{t}] {who}: "
JIRA = "SMA-{tkt} comment ({who}): "
SYSLOG = "{ts} {host} {svc}[{num}]: "
BK = "steps:\n  - label: ':docker: build'\n    env:\n"
EXPORT = "adopter_id,name,email,phone,card,gift_aid_iban,signup_ip\n"
JUNOS = "{who}@ex-core-1> show configuration | display set | match "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "aws configure set aws_access_key_id {v} --profile lss-archive",
            "AWS_ACCESS_KEY_ID: {v}  # buildkite secrets plugin",
            TL + "rotated the exporter user, old key {v} is still active in IAM",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "aws configure set aws_secret_access_key {v} --profile lss-archive",
            "export AWS_SECRET_ACCESS_KEY='{v}'",
            "s3:\n  bucket: sma-tank-video\n  secret_access_key: {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        ["az login --service-principal -u {uuid} -p {v} --tenant saltharrow.example"],
    ),
    ("azure-key", draw.az_account_key, ["$ azcopy login --account-key {v}  # RB-2 offsite copy"]),
    (
        "gcp-key",
        draw.gcp_api,
        [
            "const MAPS_KEY = '{v}'; // rescue-app strandings map",
            "curl 'https://translation.googleapis.com/language/translate/v2?key={v}&q=octopus&target=cy'",
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"sma-visitor-stats","private_key_id":"{h40}","private_key":"{v}","client_email":"bq-loader@sma-visitor-stats.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "git clone https://x-access-token:{v}@github.com/saltharrow/lss-hmi.git",
            "GH_TOKEN={v} gh release download v3.2.0 -R saltharrow/tank-telemetry",
            "env:\n  HOMEBREW_GITHUB_API_TOKEN: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["curl --header 'PRIVATE-TOKEN: {v}' https://gitlab.saltharrow.example/api/v4/projects/12/jobs"],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            'slack_token = "{v}"  # lss alarm relay',
            CHAT + "the Node-RED flow export still has {v} in the slack node",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "notify:\n  - slack:\n      webhook_url: {v}",
            "curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"Q3 ORP low\"}' {v}",
        ],
    ),
    ("stripe-key", draw.stripe_key, ["Stripe::API_KEY = '{v}' # legacy gift shop", "STRIPE_API_KEY={v}"]),
    ("stripe-key", draw.stripe_whsec, ['endpoint_secret = "{v}"']),
    (
        "jwt",
        ignition_jwt,
        [
            "POST /data/tags/write HTTP/1.1\nHost: ign-gw-1.lss.internal\nAuthorization: Bearer {v}",
            "{ts} WARN lss-monitor upstream 401 token={v}",
        ],
    ),
    ("jwt", members_jwt, ["SUPABASE_SERVICE_ROLE_KEY={v}", "const admin = createClient(url, '{v}')"]),
    ("private-key", draw.pk("ssh"), ["$ cat ~/.ssh/id_ed25519_veeam\n{v}"]),
    ("private-key", draw.pk("rsa"), ["adyen_cse_private.pem:\n{v}"]),
    ("private-key", draw.pk("ec"), ["tls:\n  key: |\n    {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("pkcs8"),
        ['resource "tls_private_key" imported, state shows:\n{v}'],
    ),
    ("private-key", lambda: draw.pem_private_key("ec", sep="\\n"), ['{"cert":"...","key":"{v}"}']),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DATABASE_URL=postgres://members_app:{v}@pg-members-1.internal:5432/members",
            "mqtt://lss-bridge:{v}@mqtt-1.lss.internal:1883",
            "mssql+pyodbc://veeam_ro:{v}@sql-animals-1.internal/ZooRecords?driver=ODBC+Driver+18",
            "influx -host influx.lss.internal -url http://admin:{v}@influx.lss.internal:8086",
            "amqps://bookings:{v}@rabbit.bookings.internal:5671/%2F",
            "sftp://printer-ftp:{v}@ftp.printhouse.example/adoptions/",
            "redis://default:{v}@redis-1.internal:6379/0",
            "smtp_url: smtps://alerts%40saltharrow.example:{v}@smtp.saltharrow.example:465",
            "mongodb+srv://rescue:{v}@rescue.abcde.mongodb.net/strandings?retryWrites=true",
            "git remote set-url origin https://deploy:{v}@git.saltharrow.example/web/site.git",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "listener 1883\npassword_file /etc/mosquitto/passwd\n# bridge\nremote_password {v}",
            "Server=sql-animals-1;Database=ZooRecords;User Id=veeam_ro;Password={v};TrustServerCertificate=true",
            'set system radius-server 10.40.0.5 secret "{v}"',
            "/user add name=dockops group=full password={v}",
            "credentialSecret: '{v}'",
            "INFLUXDB_INIT_PASSWORD={v}",
            "spring.datasource.password={v}",
            "$ ipmitool -I lanplus -H 10.40.9.11 -U ADMIN -P {v} chassis power status",
            "ignition.gateway.password={v}",
            '  <add key="SmtpPassword" value="{v}" />',
            "client ex-core-1 {\n    ipaddr = 10.40.0.2\n    secret = {v}\n}",
            "$ mysql -u bookings -p'{v}' -h 10.40.2.20 bookings",
            "PGPASSWORD={v} pg_dump -h pg-members-1 members > members.sql",
            'wpa_passphrase="{v}"  # SMA-Staff SSID',
            "[mssql]\nuser = sa\npass = {v}",
            "my $db_pass = '{v}';",
            "ansible_become_password: {v}",
            "$ veeamconfig repository create --name B2 --password {v}",
            CHAT + "unifi controller admin password is {v}, change it after the visit",
            "keystore.password={v}",
            '$ sqlcmd -S sql-animals-1 -U sa -P "{v}" -Q "BACKUP LOG ZooRecords"',
            "docker run -e MSSQL_SA_PASSWORD={v} mcr.microsoft.com/mssql/server:2022-latest",
            "Set-ADAccountPassword -Identity svc-veeam -NewPassword (ConvertTo-SecureString '{v}' -AsPlainText -Force)",
            JIRA + "login for the Hach controller is admin / {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            "curl -H 'Authorization: Basic {v}' http://ign-gw-1.lss.internal:8088/system/webdev/lss/status",
            '{"auths":{"registry.saltharrow.example":{"auth":"{v}"}}}',
        ],
    ),
    (
        "bearer-token",
        alnum(40),
        ['curl -H "Authorization: Bearer {v}" https://api.cloudflare.com/client/v4/zones'],
    ),
    ("bearer-token", okta_token, ["Authorization: SSWS {v}"]),
    ("vendor-token", adyen_key, ["ADYEN_API_KEY={v}", "X-API-Key: {v}"]),
    (
        "vendor-token",
        gocardless,
        [
            "GOCARDLESS_ACCESS_TOKEN={v}",
            "client = gocardless_pro.Client(access_token='{v}', environment='live')",
        ],
    ),
    (
        "vendor-token",
        mailchimp,
        ["MAILCHIMP_API_KEY={v}", "curl -u anystring:{v} https://us6.api.mailchimp.com/3.0/lists"],
    ),
    ("vendor-token", brevo, ["api-key: {v}"]),
    ("vendor-token", twilio_sk, ["TWILIO_API_KEY_SID=SK_PLACEHOLDER\nTWILIO_API_KEY={v}"]),
    (
        "generic-api-key",
        hex_n(32),
        ["TWILIO_AUTH_TOKEN={v}", "twilio:\n  account_sid: AC{h40}\n  auth_token: {v}"],
    ),
    (
        "vendor-token",
        contentful_pat,
        [
            "contentful space export --space-id q7x1m2 --management-token {v}",
            "CONTENTFUL_MANAGEMENT_TOKEN={v}",
        ],
    ),
    ("vendor-token", netlify_pat, ["netlify deploy --prod --auth {v}", "NETLIFY_AUTH_TOKEN: {v}"]),
    (
        "vendor-token",
        b2_app_key,
        ["b2 account authorize 0051a2b3c4d5e6f0000000007 {v}", "B2_APPLICATION_KEY={v}"],
    ),
    (
        "vendor-token",
        tailscale_key,
        ["tailscale up --authkey={v} --advertise-tags=tag:lss", "TS_AUTHKEY={v}"],
    ),
    ("vendor-token", tailscale_api, ['curl -u "{v}:" https://api.tailscale.com/api/v2/tailnet/-/devices']),
    ("vendor-token", buildkite, ["BUILDKITE_API_TOKEN={v}", "bk configure --org saltharrow --token {v}"]),
    ("vendor-token", buildkite_agent, ['token="{v}"\nname="lss-agent-%n"\ntags="queue=lss"']),
    (
        "vendor-token",
        dockerhub,
        ["echo {v} | docker login -u smaci --password-stdin", "DOCKERHUB_TOKEN: {v}"],
    ),
    (
        "vendor-token",
        npm_token,
        ["//registry.npmjs.org/:_authToken={v}", "NODE_AUTH_TOKEN={v} npm publish --access restricted"],
    ),
    (
        "vendor-token",
        pypi_token,
        ["[pypi]\n  username = __token__\n  password = {v}", "twine upload -u __token__ -p {v} dist/*"],
    ),
    ("vendor-token", ngrok_token, ["ngrok config add-authtoken {v}", "agent:\n  authtoken: {v}"]),
    (
        "vendor-token",
        influx_token,
        [
            "influx write -b tanks -o sma -t {v} -f q3.lp",
            '[[outputs.influxdb_v2]]\n  urls = ["http://influx.lss.internal:8086"]\n  token = "{v}"',
        ],
    ),
    ("vendor-token", supabase_pat, ["supabase login --token {v}"]),
    ("vendor-token", sanity_token, ["SANITY_AUTH_TOKEN={v}"]),
    (
        "generic-api-key",
        algolia_admin,
        [
            "algolia:\n  app_id: Q8WZ3LMN2T\n  admin_api_key: {v}",
            "const client = algoliasearch('Q8WZ3LMN2T', '{v}') // admin key, server only",
        ],
    ),
    ("generic-api-key", cloudinary_secret, ["CLOUDINARY_URL=cloudinary://483920175562113:{v}@saltharrow"]),
    ("generic-api-key", hex_n(32), ["X-Postmark-Server-Token: {v}"]),
    ("generic-api-key", alnum(32), ["HONEYCOMB_API_KEY={v}", "--header 'x-honeycomb-team: {v}'"]),
    (
        "password-assignment",
        juniper9,
        [
            'set system login user noc authentication encrypted-password "{v}"',
            JUNOS + 'snmp\nset snmp v3 usm local-engine user lss authentication-sha authentication-key "{v}"',
        ],
    ),
    ("webhook-url", teams_hook, ["Teams connector for #lss-alarms: {v}"]),
    ("webhook-url", draw.discord_hook, ["volunteer_discord_hook: {v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: members-db\ndata:\n  password: {v}"],
    ),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    ("vendor-token", draw.openai_key, ["OPENAI_API_KEY={v}  # education chatbot pilot"]),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    ("vendor-token", draw.atlassian_token, ["JIRA_API_TOKEN={v}"]),
    (
        "vendor-token",
        draw.age_secret_key,
        ["# created: 2026-09-02T10:11:12Z\n# public key: age1q9x8...\n{v}"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "password-assignment",
        password,
        [
            "snmp-server community {v} RO 10",
            "/snmp community set [ find default=yes ] name={v}",
            'x_password_hach = "{v}"',
            'pre-shared-key ascii-text "{v}"',
            "| LSS HMI | ign-gw-1 | admin | {v} |",
            "node-red admin init -> password: {v}",
            "  mqtt:\n    user: lss-bridge\n    password: !secret {v}",
            "$ smbclient //nas-1/animals -U veeam%{v}",
            "requirepass {v}",
            "ALTER LOGIN veeam_ro WITH PASSWORD = '{v}';",
            "CREATE USER members_app WITH PASSWORD '{v}';",
            'rescue_app.db_password = "{v}"',
            "Invoke-Sqlcmd -ServerInstance sql-animals-1 -Username sa -Password '{v}' -Query 'SELECT 1'",
            "zabbix_agent2: TLSPSKIdentity=lss-1 TLSPSK={v}",
        ],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "rtsp://cam-operator:{v}@10.40.7.31:554/Streaming/Channels/101",
            "opc.tcp://ign:{v}@10.40.3.2:4840",
            "ftp://hach:{v}@10.40.3.50/logs/",
            "jdbc:sqlserver://sql-animals-1:1433;databaseName=ZooRecords;user=sa;password={v}",
        ],
    ),
    (
        "private-key",
        lambda: (
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: veeam@backup\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAI"
            + rs(B64, 43)
            + "\nPrivate-Lines: 1\nAAAAI"
            + rs(B64, 38)
            + "\nPrivate-MAC: "
            + rs(HEX, 64)
        ),
        ["C:\\keys\\veeam.ppk:\n{v}"],
    ),
    (
        "bearer-token",
        alnum(64),
        ["grpcurl -H 'authorization: Bearer {v}' lss-monitor.internal:443 lss.Alarms/List"],
    ),
    ("vendor-token", hex_n(64), ["UNIFI_API_KEY={v}"]),
    ("generic-api-key", alnum(40), [JIRA + "Hach Claros API key {v}", "export CLAROS_KEY={v}"]),
    ("vendor-token", lambda: "glc_" + rs(B64, 110) + "==", ["grafana-agent: basic_auth.password: {v}"]),
    ("vendor-token", lambda: "lin_api_" + rs(ALNUM, 40), ["LINEAR_API_KEY={v}"]),
    ("vendor-token", lambda: "dapi" + rs(HEX, 32), ["databricks configure --token <<< {v}"]),
    (
        "vendor-token",
        lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA",
        ["ANTHROPIC_API_KEY={v}  # education chatbot pilot, second vendor"],
    ),
    ("vendor-token", lambda: "hf_" + rs(ALNUM, 34), ["huggingface-cli login --token {v}"]),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(B64URL, 20),
        [
            '  - git config --global url."https://oauth2:{v}@gitlab.saltharrow.example".insteadOf https://gitlab.saltharrow.example'
        ],
    ),
    (
        "vendor-token",
        lambda: "CCIPAT_" + rs(ALNUM, 22) + "_" + rs(HEX, 40),
        ["circleci setup --token {v} --host https://circleci.com --no-prompt"],
    ),
    ("vendor-token", lambda: "dt0c01." + rs(UP + DIG, 24) + "." + rs(UP + DIG, 64), ["Api-Token {v}"]),
    (
        "password-assignment",
        password,
        [
            "$ nmcli con modify SMA-Staff wifi-sec.psk '{v}'",
            'hach_controller = { host = "10.40.3.50", user = "admin", pass = "{v}" }',
            'Write-Host "svc-veeam password reset to {v}"',
            "$cred = New-Object PSCredential('svc-veeam', (ConvertTo-SecureString '{v}' -AsPlainText -Force))",
            "set security ike policy lss-vpn pre-shared-key ascii-text {v}",
            "<password>{v}</password>  <!-- ZooRecords connector settings.xml -->",
            "$ unifi-os set-password admin {v}",
        ],
    ),
    ("webhook-url", hc_ping, ["0 2 * * * /opt/veeam/run.sh && curl -fsS -m 10 --retry 5 {v}"]),
    (
        "vendor-token",
        lambda: "AC" + rs(HEX, 32) + ":" + rs(HEX, 32),
        ["curl -u {v} https://api.twilio.com/2010-04-01/Accounts.json"],
    ),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "A{num},Rosalind Saltmarsh,{v},,,,",
            JIRA + "adopter asks to be removed, address {v}",
            "{ts} INFO members-web magic link sent to {v}",
            "Reply-To: {v}\nSubject: Re: my sea-turtle adoption certificate",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "A{num},Thaddeus Tidewell,,{v},,,",
            JIRA + "stranding reported by member of public, call back {v}",
            "{ts} INFO bookings-api sms reminder to={v}",
            "| Wilhelmina Cobblestone | out-of-hours LSS keyholder | {v} |",
            "rescue_volunteer:\n  name: Peregrine Fenwick\n  phone: '{v}'",
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "A{num},Euphemia Larkspur,,,{v},,",
            JIRA + "caller gave {v} over the phone for the school booking",
            "{ts} ERROR adopt-shop adyen fallback logged pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} sshd[2201]: Failed password for root from {v} port 40122 ssh2",
            EXPORT + "A{num},Barnaby Quillan,,,,,{v}",
            '{"event":"login","member":31177,"ip":"{v}"}',
            "{ts} WARN members-web 30 failed logins for M31177 from {v}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [14/Nov/2026:10:02:11 +0000] "POST /adopt/checkout HTTP/2" 502', "x-real-ip: {v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "A{num},Clementine Merriweather,,,,{v},"]),
    ("iban", lambda: draw.iban("DE"), [JIRA + "visiting diver from Kiel wants expenses paid to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [JIRA + "new aquarist's NI number {v} is in the onboarding form upload"]),
    ("national-id", ssn, ["| Ignatius Tidewell | visiting US vet | SSN {v} | honorarium |"]),
    (
        "iban",
        lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)),
        ['{"payee":"Rosalind Fenwick","iban":"{v}","memo":"membership refund"}'],
    ),
    ("email", email, ["Co-authored-by: Barnaby Saltmarsh <{v}>"]),
    ("phone", phone, ["<volunteer><name>Larkspur</name><mobile>{v}</mobile></volunteer>"]),
    (
        "credit-card",
        card,
        [
            "members=> SELECT card_number FROM legacy_gift_aid WHERE id = 41;\n card_number\n-------------\n {v}"
        ],
    ),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.40.5.9"]),
    ("email", email, ["To: adoptions@printhouse.example\nCc: {v}\nSubject: certificate proofs"]),
    ("ipv6", public_v6, ["{ts} WARN gate-scan denied member card from {v}"]),
    ("phone", phone, [CHAT + "my own mobile is {v} if the pager dies overnight"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "deployed lss-hmi at {v}",
            "BUILDKITE_COMMIT={v}",
            "Reverts commit {v}.",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 8),
        ["hotfix {v} (Q3 alarm debounce)", "image: registry.saltharrow.example/bookings-api:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "adoption_id={v}",
            "Contentful entry {v} published",
            "{ts} INFO bookings-api request_id={v} status=200",
            "| {v} | Kelp Forest tank sensor |",
            "x-request-id: {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM node:20-alpine@{v}", "digest: {v}", "pulled {v}"],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        ["{v}  lss-hmi-3.2.0.tar.gz", "SHA256 fingerprint of the release zip: {v}"],
    ),
    ("hash-or-digest", hex_n(32), ["md5sum ZooRecords.bak -> {v}", 'ETag: "{v}"']),
    ("hash-or-digest", lambda: "$7$101$" + rs(B64, 16) + "$" + rs(B64, 86) + "==", ["lss-bridge:{v}"]),
    ("hash-or-digest", lambda: draw.bcrypt("$2b$12$"), ["UPDATE staff SET pw_hash = '{v}' WHERE id = 14;"]),
    ("hash-or-digest", draw.sha512_crypt, ["noc:{v}:19700:0:99999:7:::"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["ED25519 key fingerprint is {v}."]),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "b7ad6b7169203331-01", "trace_id={v} span=checkout"]),
    ("trace-id", hex_n(16), ["span_id={v} parent=none"]),
    ("trace-id", draw.long_trace, ["dd.trace_id={v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/lss-archive-writer", ["role_arn = {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::sma-tank-video-{rs(LOW + DIG, 6)}", ["Resource: {v}"]),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-sma-backup/providers/Microsoft.Storage/storageAccounts/smaoffsite"
        ),
        ["az storage account show --ids {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "0051a2b3c4d5e6f" + rs(DIG, 10),
        ["B2 keyID {v} (the application key itself lives in Vault)"],
    ),
    ("cloud-resource-id", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v}"]),
    ("cloud-resource-id", lambda: "Q" + rs(UP + DIG, 9), ["Algolia application ID {v}"]),
    ("placeholder", lambda: "<your-adyen-api-key>", ["ADYEN_API_KEY={v}"]),
    ("placeholder", lambda: "changeme", ["# default is {v}; the role refuses to start with it"]),
    ("placeholder", lambda: "${MQTT_PASSWORD}", ["remote_password {v}"]),
    ("placeholder", lambda: "xxxxxxxxxxxxxxxxxxxxxxxx", ["NETLIFY_AUTH_TOKEN={v}  # fill in locally"]),
    ("placeholder", lambda: "REPLACE_ME", ["tailscale up --authkey={v}"]),
    ("placeholder", lambda: "<redacted>", ["Password={v};"]),
    ("placeholder", lambda: "****", ["sqlcmd -S sql-animals-1 -U sa -P {v}"]),
    (
        "placeholder",
        lambda: "npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        ["//registry.npmjs.org/:_authToken={v}"],
    ),
    ("templated-value", lambda: "{{ secrets.B2_APPLICATION_KEY }}", ["B2_APPLICATION_KEY: {v}"]),
    ("templated-value", lambda: "${{ secrets.DOCKERHUB_TOKEN }}", ["password: {v}"]),
    ("templated-value", lambda: "{{ vault('secret/lss/mqtt').password }}", ['mqtt_password: "{v}"']),
    ("templated-value", lambda: "$(BUILDKITE_AGENT_TOKEN)", ["token={v}"]),
    ("templated-value", lambda: "%(ADYEN_API_KEY)s", ["api_key = {v}"]),
    ("templated-value", lambda: 'env("INFLUX_TOKEN")', ["token = {v}"]),
    ("templated-value", lambda: "op://LSS/influx/token", ["INFLUX_TOKEN={v}"]),
    ("masked-value", lambda: "live_••••••••••••q9Z", ["GoCardless dashboard shows {v}"]),
    (
        "masked-value",
        lambda: "********",
        ["{ts} INFO lss-monitor connecting mqtt user=lss-bridge password={v}"],
    ),
    ("masked-value", lambda: "AQE…" + rs(ALNUM, 4), ["Adyen Customer Area lists key {v} as active"]),
    ("masked-value", lambda: "[REDACTED]", ['{"level":"info","msg":"b2 auth ok","applicationKey":"{v}"}']),
    (
        "masked-value",
        lambda: "tskey-auth-…" + rs(ALNUM, 4),
        ["expired key {v} removed from the admin console"],
    ),
    ("keyword-no-value", lambda: "TWILIO_AUTH_TOKEN", ["PM-27: the app now reads {v} from Vault at boot."]),
    ("keyword-no-value", lambda: "password_file", ["mosquitto {v} is regenerated by the role"]),
    (
        "keyword-no-value",
        lambda: "--management-token",
        ["contentful space export needs {v}, which we pass via stdin"],
    ),
    (
        "keyword-no-value",
        lambda: "authentication-key",
        ["ADR-8: SNMPv3 {v} values move to the Junos secrets group"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["ign-gw-1 at {v}", "mqtt broker moved to {v}", "{ts} ex-core-1 DHCP ACK {v} to HMI-4"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example peer {v} in the runbook"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["tailscale ip of veeam-1: {v}"],
    ),
    ("private-or-reserved-ip", lambda: "fd7a:115c:a1e0::" + rs(HEX, 4), ["tailnet v6 {v}"]),
    ("example-email", lambda: "lss-oncall@saltharrow.example", ["PagerDuty escalation mails {v}"]),
    ("example-email", lambda: "noreply@bookings.saltharrow.example", ["From: {v}"]),
    ("example-email", lambda: "someone@example.com", ["mailchimp test send to {v}"]),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["aws configure set aws_access_key_id {v}"]),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[profile lss-docs]\naws_secret_access_key = {v}  # from the AWS CLI guide"],
    ),
    ("vendor-example-key", lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", ["Stripe docs curl example uses {v}"]),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["jwt.io sample: {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(7, 8)}.{rng.randint(0, 3)}.{rng.randint(0, 30)}",
        ["Ignition gateway {v}", "mosquitto {v}"],
    ),
    (
        "version-or-date",
        lambda: f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        ["key rotated on {v}"],
    ),
    (
        "version-or-date",
        lambda: f"Junos {rng.randint(21, 23)}.{rng.randint(1, 4)}R{rng.randint(1, 3)}-S{rng.randint(1, 9)}",
        ["ex-core-1 runs {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " veeam@backup",
        ["authorized_keys on nas-1:\n{v}"],
    ),
    ("public-key-or-cert", draw.cert_pem, ["ca.crt:\n{v}"]),
    (
        "public-key-or-cert",
        draw.ec_pub_pem,
        ["adyen webhook HMAC is separate; the payout verification key is\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["sops recipient: {v}"],
    ),
    ("public-key-or-cert", lambda: "pk_live_" + rs(ALNUM, 99), ["<script>Stripe('{v}')</script>"]),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nAllowedIPs = 10.40.0.0/16"],
    ),
    ("ids-and-numbers", lambda: rs(DIG, 8), ["Adyen PSP reference ends {v}", "order {v} refunded"]),
    ("ids-and-numbers", lambda: "pi_" + rs(ALNUM, 24), ["Stripe payment intent {v} succeeded"]),
    ("ids-and-numbers", lambda: "MD" + rs(UP + DIG, 12), ["GoCardless mandate {v} cancelled by the member"]),
    ("ids-and-numbers", lambda: rs(DIG, 6), ["Buildkite build #{v} passed"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel id {v}"]),
    ("ids-and-numbers", lambda: "CAL-" + rs(DIG, 4), ["pH probe recalibrated, ticket {v}"]),
    (
        "luhn-fail-number",
        luhn_bad,
        ["membership card number {v} failed the Luhn check at the gate", "barcode {v} rejected"],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Adyen test payment with {v} approved"],
    ),
    ("documented-test-card", lambda: "4111 1111 1111 1111", ["QA uses {v} on the staging checkout"]),
    ("base64-nonsecret", lambda: b64(b'{"tank":"Q3","alarm":"ORP_LOW"}'), ["mqtt payload (base64): {v}"]),
    ("base64-nonsecret", lambda: b64(b"lss-monitor"), ["metadata:\n  labels:\n    app.b64: {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["mqtt_password: {v}"]),
    ("encrypted-value", lambda: draw.sealed(300), ["encryptedData:\n  password: {v}"]),
    (
        "encrypted-value",
        lambda: "vault:v1:" + b64(draw.rbytes(40)),
        ["ciphertext stored in members.api_secret_enc: {v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: members-db\n            key: password"],
    ),
    (
        "templated-value",
        lambda: "!vault |",
        ["ansible_become_password: {v}\n  $ANSIBLE_VAULT;1.1;AES256\n  6532..."],
    ),
    (
        "placeholder",
        lambda: "<token>",
        ["curl -H 'Authorization: Bearer {v}' https://api.cloudflare.com/client/v4/user/tokens/verify"],
    ),
    ("placeholder", lambda: "pypi-XXXXXXXX", ["twine upload -u __token__ -p {v} dist/*  # from the README"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe shows the restricted key as {v}"]),
    ("keyword-no-value", lambda: "TS_AUTHKEY", ["ADR-10: {v} is injected by the Buildkite secrets plugin."]),
    (
        "cloud-resource-id",
        lambda: "projects/sma-visitor-stats/secrets/bq-loader/versions/" + str(rng.randint(2, 9)),
        ["gcloud secrets versions access {v}"],
    ),
    ("ids-and-numbers", lambda: "E" + rs(DIG, 6), ["animal record {v} (loggerhead turtle) updated"]),
    ("hash-or-digest", lambda: "SHA1:" + rs(HEX, 40).upper(), ["RADIUS server cert thumbprint {v}"]),
    ("version-or-date", lambda: "v3.2.0", ["lss-hmi {v}"]),
    ("uuid", uuid4, ["Veeam job id {v}"]),
    (
        "git-sha",
        sha40,
        [
            "Merge pull request #412 from saltharrow/fix-orp-alarm ({v})",
            "lss-hmi pinned to {v} in the Ignition project export",
        ],
    ),
    ("uuid", uuid4, ["Ignition tag provider {v}", '<tag id="{v}" path="Q3/ORP"/>']),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "Veeam backup file checksum {v}"]),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}"']),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("cloud-resource-id", lambda: "sg-" + rs(HEX, 17), ["lss-archive security group {v}"]),
    ("cloud-resource-id", lambda: "i-" + rs(HEX, 17), ["veeam proxy instance {v} stopped"]),
    ("placeholder", lambda: "YOUR_MAILCHIMP_KEY-us6", ["MAILCHIMP_API_KEY={v}"]),
    ("placeholder", lambda: "<b2-application-key>", ["b2 account authorize 0051a2b3c4d5e6f0000000007 {v}"]),
    ("templated-value", lambda: "{{ .Values.influx.adminToken }}", ["  INFLUX_TOKEN: {v}"]),
    ("templated-value", lambda: "#{AdyenApiKey}#", ["ADYEN_API_KEY={v}"]),
    ("masked-value", lambda: "xkeysib-…" + rs(HEX, 6), ["Brevo lists key {v} (created by tamsin)"]),
    ("masked-value", lambda: "****" + rs(DIG, 4), ["card ending {v} declined at the gift shop"]),
    ("keyword-no-value", lambda: "B2_APPLICATION_KEY", ["the Veeam job fails if {v} is unset"]),
    ("keyword-no-value", lambda: "requirepass", ["redis {v} is set from the secret store at boot"]),
    ("private-or-reserved-ip", priv_ip, ["Hach controller static lease {v}", "RADIUS NAS {v} added"]),
    (
        "private-or-reserved-ip",
        lambda: "169.254." + str(rng.randint(1, 254)) + "." + str(rng.randint(1, 254)),
        ["HMI-2 fell back to link-local {v}"],
    ),
    (
        "version-or-date",
        lambda: f"RouterOS {rng.randint(6, 7)}.{rng.randint(1, 16)}",
        ["rtr-dock-1 upgraded to {v}"],
    ),
    (
        "version-or-date",
        lambda: f"12.{rng.randint(0, 3)}.{rng.randint(0, 9)}.{rng.randint(1000, 2999)}",
        ["Veeam Backup & Replication {v}"],
    ),
    ("ids-and-numbers", lambda: "SMA-" + rs(DIG, 4), ["see {v} for the alarm matrix"]),
    ("ids-and-numbers", lambda: rs(DIG, 15), ["Cloudinary API key id {v} (the secret is separate)"]),
    ("ids-and-numbers", lambda: "IN" + rs(DIG, 8), ["Printhouse invoice {v} paid"]),
    ("luhn-fail-number", luhn_bad, ["gift voucher {v} not recognised"]),
    ("base64-nonsecret", lambda: b64(b"Q3 ORP below 250mV"), ["alarm body: {v}"]),
    (
        "public-key-or-cert",
        lambda: "npub" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 59),
        ["outreach team nostr account {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43),
        ["known_hosts entry for nas-1: ssh-ed25519 {v}"],
    ),
    ("example-email", lambda: "alerts@saltharrow.example", ["smtp from address {v}"]),
    (
        "vendor-example-key",
        lambda: "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["SendGrid docs show {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: (
            "pk."
            + b64(b'{"u":"saltharrow","a":"' + rs(LOW + DIG, 10).encode() + b'"}').rstrip("=")
            + "."
            + rs(B64URL, 22)
        ),
        ["mapboxgl.accessToken = '{v}';"],
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
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|glpat-[A-Za-z0-9_-]{20}|xox[bpae]-\w|hooks\.slack\.com/services/T"
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|whsec_|SG\.[\w-]{20}|AQE\w\wmfxK|live_[\w-]{40}|xkeysib-|CFPAT-|nfp_\w{20}"
    r"|K005|tskey-(?:auth|api)-\w|bkua_|dckr_pat_|npm_[A-Za-z0-9]{36}|pypi-AgE|sbp_|glc_|lin_api_|dapi[a-f0-9]{32}|\$9\$"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|webhook\.office\.com|discord\.com/api/webhooks|hc-ping\.com/"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|SSWS \w"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|requirepass)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

OK_MAIL_48 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_48,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t48", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
