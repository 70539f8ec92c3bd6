# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test55.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test55.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270155)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a canal and river trust with locks, reservoirs, moorings, towpaths and lock-
keeper volunteers, Tallowbridge Canal Trust (TCT): PM-2 the lock-flight water-level alarms (Campbell
Scientific loggers, The Things Network, Sigfox, HiveMQ Cloud, Node-RED, TimescaleDB, Ubidots), PM-5
boat licence and mooring payments (Opayo, Stripe, Zettle, PayPal), RB-1 the lock CCTV (Hikvision ISAPI,
Milestone XProtect, Reolink, Verkada), RB-3 cloud and infrastructure (gcloud and GCS HMAC keys, Azure
Key Vault, Pulumi, Packer, Ansible, OVHcloud, Scaleway, Linode, ZeroTier, Junos, Cisco IOS), RB-6 maps
and GIS (ArcGIS, Mapbox, Ordnance Survey Data Hub), ADR-4 visitor and volunteer messaging (Campaign
Monitor, Textmagic, Clickatell, Intercom, Zendesk, Twilio) and ADR-9 CI (Bitbucket Pipelines, Jenkins,
Azure DevOps, GitHub Apps, Codecov, Snyk, Cloudsmith, Renovate), and PM-13 a lock-keeper volunteer rota
posted to a boating forum (emails, phones, IBANs, NI numbers). Common shapes come first in each kind
(``t55p…``/``t55n…``).
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
    CRYPT,
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
    Row,
    S,
    b64,
    b64url,
    encode_jwt,
    expand_table,
    pem_block_ok,
    sanity,
    ssn_or_nino_ok,
    write_fold,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test55.jsonl"
FOLD = "test55"
rng = Random(20270155)
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
    "windlass",
    "paddle",
    "towpath",
    "narrowboat",
    "culvert",
    "aqueduct",
    "staircase",
    "weir",
    "tiller",
    "mitre",
]
UPHEX = "0123456789ABCDEF"
B32UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["levels-api", "licence-svc", "cctv-sync", "rota-app", "gis-proxy"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def junos9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(22, 38))


def type7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs(UPHEX, 2 * rng.randint(6, 10))


def ttn_key() -> str:
    return "NNSXS." + rs(B32UP, 39) + "." + rs(B32UP, 52)


def mapbox_sk() -> str:
    head = b64url(json.dumps({"u": "tct-gis", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "sk." + head + "." + rs(B64URL, 22)


def mapbox_pk() -> str:
    head = b64url(json.dumps({"u": "tct-gis", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "pk." + head + "." + rs(B64URL, 22)


def arcgis_key() -> str:
    return "AAPK" + rs(HEX, 32) + rs(B64URL, 64)


def bb_access_token() -> str:
    return "ATCTT3xFfGN0" + rs(B64URL, 180) + "=" + rs(UPHEX, 8)


def zettle_jwt() -> str:
    body = {
        "iss": "iZettle",
        "aud": "API",
        "sub": uuid4(),
        "scope": ["READ:PURCHASE", "READ:FINANCE"],
        "client_id": uuid4(),
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(DIG, 1)}, body, rs(B64URL, 342))


def rota_jwt() -> str:
    body = {
        "iss": "rota-app",
        "sub": "volunteer-" + rs(DIG, 4),
        "role": "lock-keeper",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def ado_jwt() -> str:
    body = {
        "nameid": uuid4(),
        "scp": "vso.build_execute",
        "aud": "app.vstoken.visualstudio.com",
        "iss": "app.vstoken.visualstudio.com",
        "nbf": 1790000000,
        "exp": 1790003600,
    }
    return encode_jwt({"typ": "JWT", "alg": "RS256", "x5t": rs(B64URL, 27)}, body, rs(B64URL, 342))


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["gwenllian", "ifeoma", "crispin", "maelle", "torquil", "henrietta", "lemuel", "saoirse"]
LAST = ["ashdown-pryce", "mottershead", "oyelaran", "chetwynd", "lucas-boateng", "ravensworth"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com", "aol.com", "sky.com"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["levels-api", "licence-svc", "cctv-sync", "rota-app", "gis-proxy", "moorings-web"]
STAFF = ["hywel", "ngozi", "barnaby", "elspeth", "dominika", "kofi", "rhiannon", "fergus"]
HOSTS = ["ln-1", "tsdb-1", "nodered-1", "nvr-2", "jenkins-1", "gis-1"]
LOCKS = ["Lock 14 Hatherton", "Foxley Staircase", "Brindle Top Lock", "Saltmarsh Basin", "Cuttle Aqueduct"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "lock": lambda: rng.choice(LOCKS),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | water bridge | {who}: "
DC = "{who} (Discord #towpath-ops, {t}): "
ZD = "Zendesk #{tkt} ({who}): "
ROTA = "volunteer,lock,email,mobile,ni_number,expenses_iban\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "aws_access_key_id = {v}",
            "$ AWS_ACCESS_KEY_ID={v} aws s3 sync /srv/levels s3://tct-levels-archive",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        ["$ export AWS_SECRET_ACCESS_KEY={v}", "          aws-secret-access-key: {v}"],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        ["$ az keyvault secret set --vault-name tct-kv --name arm-client-secret --value {v}"],
    ),
    (
        "azure-key",
        draw.az_account_key,
        ["$ az storage blob upload --account-name tctcctvclips --account-key {v} -c clips -f lock14.mp4"],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        ["https://maps.googleapis.com/maps/api/geocode/json?address=Hatherton+Lock&key={v}"],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"tct-levels","private_key_id":"{h40}","private_key":"{v}","client_email":"levels-export@tct-levels.iam.gserviceaccount.com"}'
        ],
    ),
    ("github-token", draw.gh_token, ["RENOVATE_TOKEN={v}", "$ echo {v} | gh auth login --with-token"]),
    ("gitlab-token", draw.gl_token, ["$ git push https://gitlab-ci-token:{v}@gitlab.com/tct/levels-api.git"]),
    ("slack-token", draw.slack_token, ["SLACK_TOKEN={v}  # #water-levels bot"]),
    ("slack-webhook", draw.slack_hook, [DC + "Node-RED flow posts the low-pound alerts to {v}"]),
    ("stripe-key", draw.stripe_key, ["STRIPE_SECRET_KEY={v}  # mooring permits"]),
    (
        "jwt",
        zettle_jwt,
        ["$ curl -H 'Authorization: Bearer {v}' https://purchase.izettle.com/purchases/v2?limit=100"],
    ),
    ("jwt", rota_jwt, ["{ts} DEBUG rota-app session={v} shift=swap", "Cookie: tct_rota={v}"]),
    ("jwt", ado_jwt, ["##[debug]SYSTEM_ACCESSTOKEN={v}"]),
    ("private-key", draw.pk("rsa"), ["$ cat tct-levels-bot.2027-02-11.private-key.pem\n{v}"]),
    (
        "private-key",
        draw.pk("ssh", "          "),
        [
            "    - name: deploy key\n      copy:\n        dest: /home/deploy/.ssh/id_ed25519\n        content: |\n          {v}"
        ],
    ),
    ("private-key", lambda: draw.pem_private_key("ec", sep="\n  "), ["tls_key: |\n  {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("pkcs8"),
        [
            "$ gcloud iam service-accounts keys create - --iam-account=nvr-upload@tct-levels.iam.gserviceaccount.com --key-file-type=p12 | openssl pkcs12 -nodes -passin env:P12_PASS\n{v}"
        ],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "LEVELS_DB=postgresql://levels:{v}@tsdb-1.tct.internal:5432/levels",
            "mqtts://tct-loggers:{v}@b7e2c41a.s1.eu.hivemq.cloud:8883",
            "rtsp://admin:{v}@10.62.14.21:554/Streaming/Channels/101",
            "http://admin:{v}@10.62.14.30/ISAPI/System/deviceInfo",
            "MOORINGS_DB=mysql://moorings:{v}@10.62.3.12:3306/moorings",
            "redis://:{v}@10.62.3.14:6379/1",
            "smb://TCT;svc-nvr:{v}@10.62.14.5/exports",
            "ftp://logger:{v}@10.62.8.40/data/",
            "https://jenkins:{v}@bitbucket.tct.internal/scm/lvl/levels-api.git",
            "amqp://licence:{v}@10.62.3.20:5672/%2F",
            "CONNECTION=mongodb://gis:{v}@10.62.5.10:27017/features?authSource=admin",
            "sqlserver://xprotect:{v}@10.62.14.6:1433?database=Surveillance",
            "influxdb://nodered:{v}@10.62.8.7:8086/pounds",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ helm upgrade moorings ./chart -n moorings --set imageCredentials.registry=docker.cloudsmith.io --set imageCredentials.password={v}",
            "$ kubectl create secret generic hivemq-auth --from-literal=MQTT_PASSWORD={v} -n levels",
            '    credentialSecret: "{v}",',
            "MQTT_PASSWORD={v}",
            "$ mosquitto_sub -h b7e2c41a.s1.eu.hivemq.cloud -p 8883 -u tct-loggers -P '{v}' -t 'pounds/#'",
            "[SecurityCode]\nCode={v}",
            "$ psql 'host=tsdb-1.tct.internal dbname=levels user=levels password={v} sslmode=require'",
            "$ curl 'http://10.62.14.40/cgi-bin/api.cgi?cmd=Snap&channel=0&rs=lock14&user=admin&password={v}' -o snap.jpg",
            '<Server address="10.62.14.6" user="TCT\\svc-xprotect" password="{v}" />',
            "VendorPassword={v}  # Opayo Form encryption password",
            "OPAYO_INTEGRATION_PASSWORD={v}",
            "ansible_become_password: {v}",
            '  "winrm_password": "{v}",',
            "$ pulumi config set --secret dbPassword '{v}'",
            "$ gcloud sql users create licence --instance=tct-licences --password='{v}'",
            "$ az sql server create -n tct-moorings-sql -g tct-rg -l uksouth -u sqladmin -p '{v}'",
            "$ aws secretsmanager put-secret-value --secret-id tct/levels/db --secret-string '{v}'",
            '  db_password = "{v}"',
            "set system login user lockops authentication plain-text-password-value {v}",
            "enable secret 0 {v}",
            "$ docker login docker.cloudsmith.io -u tct/ci -p '{v}'",
            "$ mysqldump -h 10.62.3.12 -u moorings --password='{v}' moorings > moorings.sql",
            "ZEROTIER_CENTRAL_TOKEN={v}",
            "$ sshpass -p '{v}' scp levels.csv logger@10.62.8.40:/data/",
            "MILESTONE_PASSWORD={v}",
            "environment:\n  - HIVEMQ_PASSWORD={v}",
            "spring.rabbitmq.password={v}",
            "$ ovhcloud login --password '{v}' --nic tc12345-ovh",
            "$ lnctl --server ln-1 --user admin --password {v} get tables CR1000_Hatherton",
            '{"loggerNet":{"user":"lnadmin","password":"{v}"}}',
            TL + "Hatherton logger modem login admin / {v}",
            DC + "the XProtect Smart Client login for the night volunteers is nightwatch / {v}",
            ZD + "Opayo MySagePay admin user tctfinance, password {v}, please change after the call",
            TL + "reservoir gate PLC web password is {v}, same as the sticker",
            DC + "Campaign Monitor login for the newsletter: comms@tallowbridge-canals.example / {v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set snmp v3 usm local-engine user tct-mon authentication-sha256 authentication-key "{v}"',
            'set protocols ospf area 0.0.0.1 interface ge-0/0/3.0 authentication simple-password "{v}"',
        ],
    ),
    (
        "password-assignment",
        type7,
        ["username lockops privilege 15 password 7 {v}", " ip ospf authentication-key 7 {v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            "curl -H 'authorization: basic {v}' https://levels.tct.internal/api/pounds",
        ],
    ),
    (
        "basic-auth",
        password,
        [
            "$ curl --digest -u admin:'{v}' http://10.62.14.30/ISAPI/Streaming/channels/101/picture -o lock14.jpg"
        ],
    ),
    (
        "basic-auth",
        lambda: "11" + rs(HEX, 32),
        ["$ curl -X POST -u hywel:{v} https://jenkins-1.tct.internal/job/levels-api/build"],
    ),
    (
        "basic-auth",
        hex_n(32),
        ["$ curl -u 4f2a91c0e7d3b5a86c1e0f92:{v} https://api.sigfox.com/v2/devices/3F2A1B"],
    ),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://levels.tct.internal/api/v1/pounds/7/alarm"],
    ),
    ("bearer-token", alnum(48), ["{ts} DEBUG gis-proxy upstream Authorization: Bearer {v}"]),
    ("vendor-token", ttn_key, ["$ ttn-lw-cli login --api-key {v}", "Authorization: Bearer {v}"]),
    (
        "vendor-token",
        lambda: "BBUS-" + rs(ALNUM, 30),
        [
            "UBIDOTS_TOKEN={v}",
            "$ curl -H 'X-Auth-Token: {v}' https://industrial.api.ubidots.com/api/v1.6/devices/hatherton/",
        ],
    ),
    (
        "vendor-token",
        lambda: "vkd_api_" + rs(HEX, 32),
        ["$ curl -H 'x-api-key: {v}' https://api.verkada.com/cameras/v1/devices"],
    ),
    ("vendor-token", lambda: "GOOG1E" + rs(UP + DIG, 55), ["GCS_HMAC_ACCESS_ID={v}"]),
    (
        "vendor-token",
        lambda: rs(B64, 40),
        ["$ gsutil -o 'Credentials:gs_secret_access_key={v}' ls gs://tct-cctv-clips"],
    ),
    (
        "vendor-token",
        lambda: "pul-" + rs(HEX, 40),
        ["PULUMI_ACCESS_TOKEN={v}", "$ pulumi login --access-token {v}"],
    ),
    ("vendor-token", alnum(32), ["application_secret={v}", "OVH_APPLICATION_SECRET={v}"]),
    ("vendor-token", alnum(32), ["consumer_key={v}"]),
    ("vendor-token", uuid4, ["SCW_SECRET_KEY={v}"]),
    ("vendor-token", hex_n(64), ["LINODE_TOKEN={v}", "$ linode-cli configure --token {v}"]),
    ("vendor-token", arcgis_key, ['esriConfig.apiKey = "{v}";', "ARCGIS_API_KEY={v}"]),
    (
        "vendor-token",
        mapbox_sk,
        [
            "MAPBOX_SECRET_TOKEN={v}",
            "$ mapbox-tilesets upload-source tct-gis towpaths towpaths.geojson.ld --token {v}",
        ],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM, 88) + "==",
        ['$ curl -u "{v}:x" https://api.createsend.com/api/v3.3/clients.json'],
    ),
    (
        "vendor-token",
        alnum(30),
        ["$ curl -H 'X-TM-Username: tctcomms' -H 'X-TM-Key: {v}' https://rest.textmagic.com/api/v2/messages"],
    ),
    (
        "vendor-token",
        lambda: rs(B64URL, 22) + "==",
        ["$ curl -H 'Authorization: {v}' https://platform.clickatell.com/messages -d @alert.json"],
    ),
    ("vendor-token", lambda: "dG9rOj" + rs(B64, 54) + "=", ["INTERCOM_ACCESS_TOKEN={v}"]),
    (
        "vendor-token",
        alnum(40),
        [
            "$ curl -u volunteers@tallowbridge-canals.example/token:{v} https://tallowbridge.zendesk.com/api/v2/tickets.json"
        ],
    ),
    ("vendor-token", lambda: "SK" + rs(HEX, 32), ["TWILIO_API_KEY={v}"]),
    ("vendor-token", alnum(32), ["TWILIO_API_SECRET={v}"]),
    (
        "vendor-token",
        bb_access_token,
        [
            "BITBUCKET_ACCESS_TOKEN={v}",
            '$ curl -H "Authorization: Bearer {v}" https://api.bitbucket.org/2.0/repositories/tct/levels-api/pipelines/',
        ],
    ),
    (
        "vendor-token",
        draw.ado_pat,
        [
            "AZURE_DEVOPS_EXT_PAT={v}",
            "$ echo {v} | az devops login --organization https://dev.azure.com/tallowbridge",
        ],
    ),
    ("vendor-token", uuid4, ["CODECOV_TOKEN={v}"]),
    ("vendor-token", uuid4, ["SNYK_TOKEN={v}", "$ snyk auth {v}"]),
    (
        "vendor-token",
        hex_n(40),
        ["CLOUDSMITH_API_KEY={v}", "$ cloudsmith push python tct/levels dist/levels_api-2.4.0.whl -k {v}"],
    ),
    ("vendor-token", lambda: "sqp_" + rs(HEX, 40), ["SONAR_TOKEN={v}"]),
    ("vendor-token", draw.heroku_key, ["HEROKU_API_KEY={v}  # old moorings site"]),
    (
        "generic-api-key",
        alnum(32),
        ["https://api.os.uk/maps/raster/v1/zxy/Outdoor_3857/{z}/{x}/{y}.png?key={v}", "OS_DATA_HUB_KEY={v}"],
    ),
    (
        "generic-api-key",
        lambda: rs(UP + DIG, 8),
        ["https://api.what3words.com/v3/convert-to-3wa?coordinates=52.6211,-2.0764&key={v}"],
    ),
    ("generic-api-key", hex_n(64), ["MOORINGS_WEBHOOK_SIGNING_SECRET={v}"]),
    ("generic-api-key", lambda: rs(UP + DIG, 16), ["integration_key={v}&integration_password=$OPAYO_PW"]),
    ("generic-api-key", lambda: b64(draw.rbytes(32)), ["[Interface]\nPrivateKey = {v}\nListenPort = 51820"]),
    ("generic-api-key", hex_n(32), ["    appkey: {v}  # Hatherton level sensor AppKey"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: tsdb-levels\ndata:\n  POSTGRES_PASSWORD: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://tallowbridge.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ["TEAMS_WATER_WEBHOOK={v}"],
    ),
    ("webhook-url", draw.discord_hook, ["towpath reports bot: {v}"]),
    (
        "webhook-url",
        lambda: "https://hc-ping.com/" + uuid4(),
        ["*/10 * * * * /opt/tct/pull-loggers.sh && curl -fsS {v} >/dev/null"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", ttn_key, [DC + "someone pasted the TTN key in here: {v}"]),
    ("vendor-token", mapbox_sk, [ZD + "Mapbox secret token from the volunteer map repo: {v}"]),
    ("vendor-token", lambda: "vkd_api_" + rs(HEX, 32), [TL + "Verkada key was in the CCTV runbook: {v}"]),
    ("vendor-token", lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        lambda: "pul-" + rs(HEX, 40),
        [
            '{\n  "current": "https://api.pulumi.com",\n  "accessTokens": {\n    "https://api.pulumi.com": "{v}"\n  }\n}'
        ],
    ),
    ("vendor-token", uuid4, ["scw:\n  access_key: $SCW_ACCESS_KEY\n  secret_key: {v}"]),
    (
        "vendor-token",
        draw.ado_pat,
        ["$ git clone https://pat:{v}@dev.azure.com/tallowbridge/levels/_git/loggers"],
    ),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(ALNUM + "-_", 20),
        ["url = https://oauth2:{v}@gitlab.com/tct/gis-layers.git"],
    ),
    ("github-token", draw.gh_token, ["GITHUB_TOKEN={v}  # renovate self-hosted"]),
    ("slack-webhook", draw.slack_hook, ['"slack": { "webhook": "{v}" }']),
    ("aws-key", draw.aws_secret, ["[tct-levels]\naws_secret_access_key = {v}"]),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://tctcctvclips.blob.core.windows.net/clips/lock14-2027-02-11.mp4?sv=2022-11-02&sr=b&sp=r&se=2027-02-18T00:00:00Z&sig={v}"
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| Brindle Top | nvr-2 | admin | {v} |",
            "the Hikvision NVR at Foxley still has admin / {v} from the installer",
            "$ ansible-playbook site.yml -e 'ansible_password={v}'",
            '<add key="OpayoVendorPassword" value="{v}" />',
            "$ mysql -u root -p'{v}' -e 'FLUSH PRIVILEGES'",
            "$ redis-cli -h 10.62.3.14 -a '{v}' ping",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [DC + "the SNMP auth key in the pasted Junos config is {v}, it decodes offline, rotate it"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        ["LICENCE_DB=postgresql://licence:{v}@10.62.3.10:5432/licences"],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"github_app_private_key": "{v}"']),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://rota-app.tct.internal/api/v1/volunteers/export"],
    ),
    ("jwt", rota_jwt, ["localStorage.tct_rota = '{v}'"]),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    ("generic-api-key", alnum(32), [ZD + "OS Data Hub key from the old towpath map: {v}"]),
    (
        "vendor-token",
        alnum(32),
        ["$ ovhcloud login --app-key $OVH_APP_KEY --app-secret {v} --consumer-key $OVH_CK"],
    ),
    ("password-assignment", password, ["$ mssql-cli -S 10.62.14.6 -U xprotect -P '{v}'"]),
    ("vendor-token", lambda: "BBUS-" + rs(ALNUM, 30), ["ubidots.init('{v}')  // Hatherton dashboard"]),
    ("generic-api-key", hex_n(32), ["AT+APPKEY={v}"]),
    (
        "vendor-token",
        lambda: "dG9rOj" + rs(B64, 54) + "=",
        ['$ curl -H "Authorization: Bearer {v}" https://api.intercom.io/conversations?per_page=5'],
    ),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            ROTA + "Gwenllian Mottershead,Lock 14,{v},,,",
            ZD + "boater asks for the licence refund receipt at {v}",
            "{ts} INFO licence-svc renewal reminder sent to {v}",
            "INSERT INTO boaters (name, email) VALUES ('Crispin Chetwynd', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            ROTA + "Ifeoma Oyelaran,Foxley Staircase,,{v},,",
            ZD + "boater rang from {v}: stuck below {lock}",
            "{ts} INFO rota-app sms shift-swap to={v}",
            "| Torquil Ravensworth | lock-keeper lead | {v} |",
            'emergency_contact:\n  name: Maelle Ashdown-Pryce\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            "{ts} WARN moorings-web payment failed pan={v}",
            ZD + "boater typed the full card {v} into the contact form",
            "licences=# SELECT pan FROM phone_orders WHERE id = 12;\n pan\n-----\n {v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} WARN moorings-web 30 failed logins for licence BL-88412 from {v}",
            '{"event":"rota_login","client_ip":"{v}","ok":false}',
            "sshd[901]: Invalid user ubnt from {v} port 44102",
            "{ts} nvr-2 login failed admin from {v}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [11/Feb/2027:07:02:31 +0000] "GET /api/pounds/7 HTTP/2.0" 200', "remote_addr={v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [ROTA + "Lemuel Lucas-Boateng,Brindle Top Lock,,,,{v}"]),
    ("iban", lambda: draw.iban("FR"), [ZD + "refund the mooring deposit to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [ROTA + "Saoirse Chetwynd,Saltmarsh Basin,,,{v},"]),
    ("national-id", ssn, ["| Henrietta Oyelaran | visiting hydrologist (US) | SSN {v} | contractor file |"]),
    (
        "iban",
        lambda: draw.iban("DE"),
        ['{"payee":"Crispin Mottershead","iban":"{v}","ref":"volunteer mileage"}'],
    ),
    ("email", email, ["Author: Saoirse Ravensworth <{v}>\nDate:   Thu Feb 11 07:14:02 2027 +0000"]),
    (
        "email",
        email,
        ["To: lockkeepers@tallowbridge-canals.example\nCc: {v}\nSubject: February rota with phone numbers"],
    ),
    ("phone", phone, [DC + "the Cuttle Aqueduct contractor's mobile is {v}"]),
    ("credit-card", card, ["Opayo transaction export row: 4412,BL-90311,{v},12/28,AUTHORISED"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}"]),
    ("phone", phone, ["BEGIN:VCARD\nFN:Torquil Ashdown-Pryce\nTEL;TYPE=cell:{v}\nEND:VCARD"]),
    ("ipv6", public_v6, ["{ts} WARN rota-app password reset requested from {v}"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git log -1 --format=%H\n{v}",
            "levels-api 2.4.0 (commit {v})",
            "BITBUCKET_COMMIT={v}",
            "revert {v}: pound alarm hysteresis",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        ["fix {v} logger clock drift", "docker.cloudsmith.io/tct/levels/levels-api:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "XProtect camera id {v}",
            "{ts} INFO licence-svc renewal_id={v} PAID",
            "| {v} | Lock 14 Hatherton upper gate |",
            "X-Request-Id: {v}",
            "Codecov upload {v} processed",
        ],
    ),
    ("uuid", uuid4, ["Zettle purchase uuid {v}", "Zendesk job {v} completed", "ArcGIS feature GlobalID {v}"]),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM docker.cloudsmith.io/tct/levels/levels-api@{v}", "node-red image {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  LoggerNet_4.8_Setup.exe", "Packer artifact sha256 {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "NVR firmware SHA-1 {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "md5 of rota.xlsx {v}"]),
    (
        "hash-or-digest",
        lambda: "$2b$08$" + rs(CRYPT, 53),
        [
            'adminAuth: { type: "credentials", users: [{ username: "admin", password: "{v}", permissions: "*" }] }'
        ],
    ),
    (
        "hash-or-digest",
        draw.sha512_crypt,
        ['set system login user lockops authentication encrypted-password "{v}"'],
    ),
    ("hash-or-digest", lambda: "$8$" + rs(CRYPT, 14) + "$" + rs(CRYPT, 43), ["enable secret 8 {v}"]),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "9a2b3c4d5e6f7081-01", "trace_id={v} op=pounds.read"]),
    ("trace-id", hex_n(16), ["X-B3-SpanId: {v}"]),
    ("trace-id", draw.long_trace, ["Sentry event trace {v}"]),
    ("cloud-resource-id", lambda: "b7e2c41a.s1.eu.hivemq.cloud", ["HiveMQ Cloud cluster {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::tct-levels-archive-{rs(LOW + DIG, 6)}",
        ["archive bucket {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "projects/tct-levels/serviceAccounts/nvr-upload@tct-levels.iam.gserviceaccount.com",
        ["key created for {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "https://tct-kv.vault.azure.net/secrets/arm-client-secret",
        ["Key Vault secret id {v}"],
    ),
    ("cloud-resource-id", lambda: "tallowbridge/levels/loggers", ["Azure Repos {v}"]),
    ("placeholder", lambda: "NNSXS.XXXXXXXXXX.XXXXXXXXXXXXXXXXXXXX", ["TTN_API_KEY={v}"]),
    ("placeholder", lambda: "YOUR_MAPBOX_SECRET_TOKEN", ["MAPBOX_SECRET_TOKEN={v}"]),
    (
        "placeholder",
        lambda: "12345",
        ["the Reolink cameras shipped with the default password {v} (PM-2 found two)"],
    ),
    ("placeholder", lambda: "********", ["OPAYO_INTEGRATION_PASSWORD={v}"]),
    ("placeholder", lambda: "<verkada-api-key>", ["x-api-key: {v}"]),
    ("placeholder", lambda: "<your-pulumi-token>", ["PULUMI_ACCESS_TOKEN={v}"]),
    (
        "placeholder",
        lambda: "$ZENDESK_TOKEN",
        [
            "curl -u volunteers@tallowbridge-canals.example/token:{v} https://tallowbridge.zendesk.com/api/v2/users/me.json"
        ],
    ),
    ("placeholder", lambda: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["OVH_APPLICATION_SECRET={v}"]),
    ("templated-value", lambda: "$(System.AccessToken)", ["SYSTEM_ACCESSTOKEN: {v}"]),
    (
        "templated-value",
        lambda: "$BITBUCKET_ACCESS_TOKEN",
        ['curl -H "Authorization: Bearer {v}" https://api.bitbucket.org/2.0/user'],
    ),
    ("templated-value", lambda: "${MQTT_PASSWORD}", ["    password: {v}"]),
    ("templated-value", lambda: "{{ vault_nvr_admin }}", ['nvr_password: "{v}"']),
    ("templated-value", lambda: "$BITBUCKET_BUILD_NUMBER", ["IMAGE_TAG=2.4.{v}"]),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(SecretUri=https://tct-kv.vault.azure.net/secrets/opayo-pw/)",
        ["OPAYO_INTEGRATION_PASSWORD={v}"],
    ),
    ("templated-value", lambda: "process.env.NODE_RED_CREDENTIAL_SECRET", ["    credentialSecret: {v},"]),
    (
        "masked-value",
        lambda: "***",
        ["+ curl -u hywel:{v} https://jenkins-1.tct.internal/job/levels-api/build"],
    ),
    (
        "masked-value",
        lambda: "****",
        ["+ curl -H 'x-api-key: {v}' https://api.verkada.com/cameras/v1/devices"],
    ),
    ("masked-value", lambda: "[FILTERED]", ['Parameters: {"licence"=>"BL-88412", "password"=>"{v}"}']),
    ("masked-value", lambda: "XXXX XXXX XXXX " + rs(DIG, 4), ["Opayo receipt card {v}"]),
    ("masked-value", lambda: "pul-…" + rs(HEX, 4), ["Pulumi token {v} revoked in RB-3"]),
    (
        "keyword-no-value",
        lambda: "credentialSecret",
        ["PM-2: Node-RED's {v} was unset, so the flows_cred.json key was generated and lost"],
    ),
    (
        "keyword-no-value",
        lambda: "X-TM-Key",
        ["ADR-4: the {v} header is per user, so each coordinator gets their own"],
    ),
    ("keyword-no-value", lambda: "integration_password", ["RB-5: Opayo's {v} goes in Key Vault only"]),
    (
        "keyword-no-value",
        lambda: "authentication-key",
        ["rotate the SNMPv3 {v} on both lock-flight switches together"],
    ),
    ("private-or-reserved-ip", priv_ip, ["level logger at {v}", "NVR at {v}", "{ts} ln-1 polled {v} ok"]),
    ("private-or-reserved-ip", draw.doc_ip, ["example modem {v} in RB-1"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["lock-side 4G router WAN {v} (carrier NAT)"],
    ),
    ("example-email", lambda: "water@tallowbridge-canals.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "boater@example.org", ["Campaign Monitor test subscriber {v}"]),
    ("example-email", lambda: "ci@tallowbridge-canals.example", ["Jenkins mailer from {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # from the aws s3 sync docs"],
    ),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["jwt.io's sample token {v} in the rota-app tests"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[levels-docs]\naws_secret_access_key = {v}  # IAM user guide sample"],
    ),
    (
        "version-or-date",
        lambda: f"2.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["levels-api {v} deployed", "rota app {v} on the Play Store"],
    ),
    ("version-or-date", lambda: "LoggerNet 4.8", ["ln-1 runs {v}"]),
    ("version-or-date", lambda: "XProtect 2024 R1", ["nvr-2 upgraded to {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["deploy", "ansible"], "jenkins-1"),
        ["deploy key (public) on levels-api:\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.cert_pem,
        ["$ openssl s_client -connect levels.tct.internal:443 -showcerts\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = vpn.tallowbridge-canals.example:51820"],
    ),
    (
        "public-key-or-cert",
        mapbox_pk,
        ["mapboxgl.accessToken = '{v}'; // public pk. key for the towpath map"],
    ),
    (
        "public-key-or-cert",
        lambda: "pk_live_" + rs(ALNUM, 99),
        ["const stripe = Stripe('{v}'); // mooring permits, publishable"],
    ),
    ("ids-and-numbers", lambda: "BL-" + rs(DIG, 5), ["boat licence {v} renewed", "boat licence {v} lapsed"]),
    ("ids-and-numbers", lambda: "70B3D57ED" + rs(UPHEX, 7), ["DevEUI {v} (Hatherton level sensor)"]),
    ("ids-and-numbers", lambda: rs(HEX, 16), ["ZeroTier network id {v}"]),
    ("ids-and-numbers", lambda: rs(UPHEX, 6), ["Sigfox device {v}", "Sigfox device {v} lost uplinks"]),
    (
        "ids-and-numbers",
        lambda: "SJ " + rs(DIG, 4) + " " + rs(DIG, 4),
        ["OS grid reference {v} (Lock 14 tail)"],
    ),
    ("ids-and-numbers", lambda: rs(HEX, 32), ["ArcGIS item id {v}"]),
    ("luhn-fail-number", luhn_bad, ["lock key fob {v} reported lost", "mooring permit barcode {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Opayo test payment with {v} authorised"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"pound":7,"level_mm":-140}'), ["X-TCT-Pound: {v}"]),
    ("base64-nonsecret", lambda: b64(b"levels-api"), ["labels:\n  app.b64: {v}"]),
    (
        "encrypted-value",
        lambda: (
            "EJ[1:" + b64(draw.rbytes(32)) + ":" + b64(draw.rbytes(24)) + ":" + b64(draw.rbytes(40)) + "]"
        ),
        ['"opayo_vendor_password": "{v}",'],
    ),
    ("encrypted-value", lambda: draw.sealed(300), ["spec:\n  encryptedData:\n    MQTT_PASSWORD: {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["opayo_integration_password: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["nvr_password: !vault |\n  {v}"],
    ),
    ("encrypted-value", lambda: "AQICAHh" + b64(draw.rbytes(110)), ["KMS CiphertextBlob: {v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merge branch 'pm-2-pound-hysteresis' into main ({v})"]),
    ("uuid", uuid4, ["Snyk project {v}", "Bitbucket pipeline {v} failed"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["RSA key fingerprint is {v}."]),
    (
        "hash-or-digest",
        lambda: "$apr1$" + rs(CRYPT, 8) + "$" + rs(CRYPT, 22),
        ["# /etc/nginx/.htpasswd\nlevels:{v}"],
    ),
    ("trace-id", hex_n(32), ["Azure DevOps activity id {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/levels-sync",
        ["access key belongs to {v}"],
    ),
    ("cloud-resource-id", lambda: "linode/instances/48213377", ["linode-cli {v} rebooted"]),
    ("placeholder", lambda: "<CLOUDSMITH_API_KEY>", ["cloudsmith push python tct/levels dist/*.whl -k {v}"]),
    ("placeholder", lambda: "BBUS-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["UBIDOTS_TOKEN={v}"]),
    (
        "templated-value",
        lambda: "secretKeyRef",
        [
            "        valueFrom:\n          {v}:\n            name: tsdb-levels\n            key: POSTGRES_PASSWORD"
        ],
    ),
    ("templated-value", lambda: "{{ .Values.ttn.apiKey }}", ["TTN_API_KEY: {v}"]),
    ("masked-value", lambda: "vkd_api_…" + rs(HEX, 4), ["Verkada key {v} rotated"]),
    (
        "keyword-no-value",
        lambda: "SCW_SECRET_KEY",
        ["RB-3: {v} stays in the CI vault; only the access key is in the README"],
    ),
    (
        "keyword-no-value",
        lambda: "--docker-password",
        ["use --from-file instead of {v} so it stays out of shell history"],
    ),
    ("private-or-reserved-ip", lambda: f"fd00:62::{rng.randint(1, 99)}", ["loggers VLAN ULA {v}"]),
    ("version-or-date", lambda: "Node-RED 4.0.5", ["nodered-1 on {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the pound timeline"]),
    ("ids-and-numbers", lambda: "tct-levels@ttn", ["TTN application id {v}"]),
    ("luhn-fail-number", luhn_bad, ["mooring invoice {v} duplicated"]),
    ("base64-nonsecret", lambda: b64(b"logger:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ansible@jenkins-1",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["Zettle webhook signing public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.tallowbridge-canals.example", ["From: {v}"]),
    ("vendor-example-key", lambda: "AKIAI44QH8DHBEXAMPLE", ["s3 sync guide example key {v}"]),
    ("documented-test-card", lambda: "4000 0000 0000 0077", ["Stripe test card {v} in the permits suite"]),
    ("luhn-fail-number", luhn_bad, ["towpath permit {v} misprinted"]),
    ("version-or-date", lambda: "2027-02-11T05:52:00Z", ["pound 7 first below weir crest at {v}"]),
    ("ids-and-numbers", lambda: "#" + rs(DIG, 5), ["Zendesk ticket {v} solved"]),
    ("hash-or-digest", hex_n(64), ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 40962"]),
    ("uuid", uuid4, ["Textmagic session {v}"]),
    ("cloud-resource-id", lambda: "tct-cctv-clips", ["GCS bucket gs://{v} lifecycle 30d"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe key {v} rolled"]),
    ("templated-value", lambda: "var.linode_token", ['provider "linode" {\n  token = {v}\n}']),
    ("keyword-no-value", lambda: "application_secret", ["RB-3: OVH's {v} never leaves the ops laptop"]),
    (
        "ids-and-numbers",
        lambda: "4f2a91c0e7d3b5a86c1e0f92",
        ["Sigfox API login {v} (the id, the password is separate)"],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -H 'Metadata-Flavor: Google' http://{v}/computeMetadata/v1/instance/id"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["Stripe docs key {v} in the permits README"],
    ),
    (
        "public-key-or-cert",
        lambda: "AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43),
        ["authorized_keys for ansible: ssh-ed25519 {v} ansible@jenkins-1"],
    ),
]


def sections() -> tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]]:
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
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|glpat-|glrt-|gldt-|xox[bpae]-\w|hooks\.slack\.com/services/T"
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|NNSXS\.[A-Z2-7]{20}|BBUS-[A-Za-z0-9]{10}|vkd_api_[0-9a-f]{8}|GOOG1E"
    r"|pul-[0-9a-f]{10}|sk\.eyJ|AAPK[0-9a-f]{10}|dG9rOj|ATCTT3|sqp_|HRKU-|dckr_pat_|npm_[A-Za-z0-9]{30}|SK[0-9a-f]{32}"
    r"|webhook\.office\.com/webhookb2/|discord\.com/api/webhooks/\d|hc-ping\.com/[0-9a-f]{8}"
    r"|\$9\$[A-Za-z0-9./-]{20}(?!\$)"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|AccountKey=[A-Za-z0-9+/]{20}"
    r"|(?:password|secret|key) [07] [0-9A-Fa-f]{6}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|(?i:Bearer) [A-Za-z0-9._-]{20}|(?i:token) [A-Za-z0-9]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psk|privatekey)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?(?!plaintext )[A-Za-z0-9+/_.][A-Za-z0-9+/_.-]{11,}"
)

OK_MAIL_55 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_55,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t55", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
