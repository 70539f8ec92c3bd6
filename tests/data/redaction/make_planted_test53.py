# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test53.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test53.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270153)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a ski resort with lifts, snowmaking, a rental shop, a ski school and its own
small datacentre, Stoban Peak Ski Resort (SPR): PM-2 the lift gates that rejected season passes
(gate controllers, PostgreSQL, Db2, Azure Event Hubs, PubNub, F5 BIG-IP), PM-8 the snowmaking alarms
(Siemens S7 via snap7, Kepware, Moxa NPort, Zigbee2MQTT, Tuya, WeatherLink), RB-3 the datacentre
(F5 tmsh and iControl, NetScaler NITRO, Check Point, Proxmox VE, vSphere govc, TrueNAS, Synology,
Cisco WLC, airOS, AOS-CX), RB-5 backups (Acronis, Commvault, Duplicity, Synology Hyper Backup),
ADR-6 guest messaging (Sinch, Infobip, Bandwidth, ClickSend, Braze, Airship, SparkPost, Mandrill),
ADR-9 observability and CI (Instana, AppDynamics, Coralogix, Checkly, TeamCity, Bamboo, Travis CI,
Semaphore), RB-10 the rental shop and ski-school bookings (Nets Easy, Mews, Klaviyo, Lightspeed,
Bookeo, Firebird, Samsara for the groomers) and PM-14 a ski-school roster sent to the wrong group chat
(cards, IBANs, phones). Common shapes come first in each kind (``t53p…``/``t53n…``).
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
OUT = HERE / "planted_test53.jsonl"
FOLD = "test53"
rng = Random(20270153)
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
    "mogul",
    "piste",
    "schuss",
    "telemark",
    "corduroy",
    "gondola",
    "couloir",
    "cornice",
    "slalom",
    "snowcat",
]
UPHEX = "0123456789ABCDEF"


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["gate-api", "pass-sales", "rental-pos", "school-sync", "lift-telemetry"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def junos9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(22, 38))


def type7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs(UPHEX, 2 * rng.randint(6, 10))


def upper_uuid() -> str:
    return uuid4().upper()


def teamcity_token() -> str:
    return "eyJ0eXAiOiAiVENWMiJ9." + rs(B64URL, 43) + "." + rs(B64URL, 64)


def infobip_key() -> str:
    return rs(HEX, 32) + "-" + uuid4()


def mews_token() -> str:
    return rs(UPHEX, 32) + "-" + rs(UPHEX, 31)


def zigbee_key() -> str:
    return "[" + ", ".join(str(rng.randint(0, 255)) for _ in range(16)) + "]"


def pass_jwt() -> str:
    body = {
        "iss": "https://passes.stobanpeak.example",
        "sub": "pass-" + rs(DIG, 8),
        "product": "season-adult",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "ES256", "typ": "JWT", "kid": rs(ALNUM, 10)}, body, rs(B64URL, 86))


def school_jwt() -> str:
    body = {
        "iss": "school-bookings",
        "sub": "instructor-" + rs(DIG, 3),
        "role": "instructor",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def graph_jwt() -> str:
    body = {
        "aud": "https://graph.microsoft.com",
        "iss": "https://sts.windows.net/" + uuid4() + "/",
        "appid": uuid4(),
        "roles": ["Mail.Send"],
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"typ": "JWT", "alg": "RS256", "kid": rs(B64URL, 27)}, body, rs(B64URL, 342))


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def md5_crypt() -> str:
    return "$1$" + rs(CRYPT, 8) + "$" + rs(CRYPT, 22)


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["aonghas", "brigitta", "cailean", "dagny", "eilidh", "finnur", "gudrun", "hallvard"]
LAST = ["macfarlane", "sigurdsson", "abercrombie", "lindqvist", "urquhart", "baillie-grant"]
MAIL = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "btinternet.com", "gmx.de", "live.co.uk"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["gate-api", "pass-sales", "snowmaking-hmi", "rental-pos", "school-bookings", "lift-telemetry"]
STAFF = ["ishbel", "torvald", "morag", "anselm", "kirsty", "leifur", "seonaid", "ruairi"]
HOSTS = ["gate-gw-1", "pg-passes", "bigip-1", "pve-2", "nas-1", "ci-tc-1"]
LIFTS = ["Cairn Chair", "Summit Gondola", "Corrie T-bar", "Bealach Quad", "Nursery Carpet", "Ridge Drag"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "lift": lambda: rng.choice(LIFTS),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | lift bridge | {who}: "
EL = "{who} (Element #lift-ops, {t}): "
FS = "Freshservice INC-{tkt} ({who}): "
ROSTER = "pupil,group,parent_email,parent_mobile,card,refund_iban,parent_ni\n"
TMSH = "root@(bigip-1)(cfg-sync In Sync)(Active)(/Common)(tmos)# "
CPX = "[Expert@cp-gw-1:0]# "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            '<param name="env.AWS_ACCESS_KEY_ID" value="{v}" />',
            "export AWS_ACCESS_KEY_ID={v}\nduplicity /srv/passes boto3+s3://spr-duplicity/passes",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            '<param name="env.AWS_SECRET_ACCESS_KEY" value="{v}" />',
            "$ travis env set AWS_SECRET_ACCESS_KEY {v} --private",
        ],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            "Endpoint=sb://spr-gates.servicebus.windows.net/;SharedAccessKeyName=gate-send;SharedAccessKey={v};EntityPath=gate-scans"
        ],
    ),
    ("azure-key", draw.az_client_secret, ["$ sem create secret graph-mail -e ARM_CLIENT_SECRET={v}"]),
    (
        "gcp-key",
        draw.gcp_api,
        ['<img src="https://maps.googleapis.com/maps/api/staticmap?center=Stoban&zoom=13&key={v}">'],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"spr-resort-app","private_key_id":"{h40}","private_key":"{v}","client_email":"firebase-adminsdk@spr-resort-app.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        ['<param name="env.GITHUB_TOKEN" value="{v}" />', "$ travis login --pro --github-token {v}"],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ curl --header 'PRIVATE-TOKEN: {v}' https://gitlab.com/api/v4/projects/spr%2Fgate-api/pipelines"],
    ),
    ("slack-token", draw.slack_token, ["SLACK_BOT_TOKEN={v}  # lift-status bot"]),
    ("slack-webhook", draw.slack_hook, [EL + "Checkly alerts go to {v}"]),
    ("stripe-key", draw.stripe_key, ["STRIPE_SECRET_KEY={v}  # online lesson deposits"]),
    (
        "jwt",
        pass_jwt,
        [
            "GET /v1/passes/me HTTP/1.1\nHost: passes.stobanpeak.example\nAuthorization: Bearer {v}",
            "{ts} DEBUG gate-api validate pass token={v} gate=7 result=REJECT",
        ],
    ),
    ("jwt", school_jwt, ["Cookie: spr_school_session={v}"]),
    (
        "jwt",
        graph_jwt,
        [
            "$ curl -X POST https://graph.microsoft.com/v1.0/users/school@stobanpeak.example/sendMail -H 'Authorization: Bearer {v}'"
        ],
    ),
    ("private-key", draw.pk("rsa"), [TMSH + "list sys file ssl-key passes.key\n{v}"]),
    ("private-key", draw.pk("pkcs8"), ["$ cat AuthKey_Q8M2X7R4LP.p8\n{v}"]),
    ("private-key", draw.pk("ssh", "  "), ["travis_deploy_key: |\n  {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("ec", sep="\n    "),
        ["gate-gw-1:\n  mtls:\n    key: |\n    {v}"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DATABASE_URL=postgresql://gates:{v}@pg-passes.spr.internal:5432/passes",
            "GOVC_URL=https://administrator%40vsphere.local:{v}@vc-1.spr.internal/sdk",
            "rtsp://root:{v}@10.70.6.21/axis-media/media.amp  # summit webcam",
            "REDIS_URL=redis://:{v}@10.70.2.12:6379/2",
            "mqtt://z2m:{v}@10.70.8.9:1883",
            "oracle+oracledb://system:{v}@10.70.2.21:1521/?service_name=XEPDB1",
            "db2+ibm_db://db2inst1:{v}@10.70.2.22:50000/PASSES",
            "firebird+fdb://SYSDBA:{v}@10.70.4.5/srv/rental/RENTAL.FDB",
            "par2+sftp://backup:{v}@10.70.3.2//srv/duplicity/passes",
            "ftp://webcam:{v}@10.70.6.5/summit/",
            "telnet://admin:{v}@10.70.8.30:23  # Moxa NPort at the pump house",
            "http://admin:{v}@10.70.8.31/home.asp",
            "https://bamboo:{v}@bitbucket.spr.internal/scm/pos/rental-pos.git",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            TMSH + "modify auth user admin password {v}",
            TMSH
            + 'create ltm monitor https mon-gate-api { send "GET /health" username gatemon password {v} }',
            "X-NITRO-USER: nsroot\nX-NITRO-PASS: {v}",
            '{"login":{"username":"nsroot","password":"{v}"}}',
            "> add lb monitor mon-ldap LDAP -baseDN dc=spr,dc=internal -bindDN cn=ns,dc=spr,dc=internal -password {v}",
            "$ mgmt_cli login user admin password '{v}' > sid.txt",
            CPX + "cp_conf sic init {v}",
            "$ pvesh create /access/users --userid backup@pve --password {v}",
            "GOVC_PASSWORD={v}",
            "$ sudo synouser --setpw admin {v}",
            'plc.set_session_password("{v}")',
            "zigbee2mqtt:\n  mqtt:\n    server: mqtt://10.70.8.9\n    user: z2m\n    password: {v}",
            "$ PASSPHRASE={v} duplicity /srv/passes sftp://backup@10.70.3.2//srv/duplicity/passes",
            "C:\\> acrocmd backup disk --volume=C --loc=\\\\nas-1\\acronis --credentials=svc-backup,{v}",
            "$ qlogin -cs cv-1.spr.internal -u admin -clp {v}",
            "$ cat /etc/rsyncd.secrets\nbackup:{v}",
            "$ db2 connect to PASSES user db2inst1 using {v}",
            "$ sqlplus system/{v}@//10.70.2.21:1521/XEPDB1",
            "$ cbq -e couchbase://10.70.2.30 -u Administrator -p '{v}'",
            "$ isql-fb -user SYSDBA -password {v} 10.70.4.5:/srv/rental/RENTAL.FDB",
            "(Cisco Controller) >config wlan security wpa akm psk set-key ascii {v} 3",
            "wpasupplicant.profile.1.network.1.psk={v}",
            "user admin group administrators password plaintext {v}",
            "radius server ISE\n address ipv4 10.70.0.9 auth-port 1812 acct-port 1813\n key {v}",
            "snmp-server user spr-mon spr-ro v3 auth sha {v}",
            "wrapper.java.additional.5=-Djavax.net.ssl.keyStorePassword={v}",
            "##teamcity[setParameter name='env.POS_DB_PASSWORD' value='{v}']",
            "env:\n  global:\n    - DB_PASSWORD={v}",
            "$ sem create secret pos-db -e DB_PASSWORD={v}",
            "$ PGPASSWORD={v} psql -h pg-passes -U gates passes -c 'select count(*) from scans'",
            TL + "gondola top station switch login: admin / {v}",
            EL + "rental shop tablets' Wi-Fi: SPR-Rental / {v}",
            FS + "Lightspeed back office login for the weekend manager: rental@stobanpeak.example / {v}",
            EL + "Hyper Backup encryption password for nas-1 is {v}, it is also taped inside the rack door",
            TL + "snowmaking PLC protection password (level 3) is {v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set protocols ospf area 0.0.0.0 interface ge-0/0/1.0 authentication md5 1 key "{v}"',
            'set interfaces ge-0/0/2 unit 0 family inet address 10.70.1.2/24 vrrp-group 10 authentication-key "{v}"',
        ],
    ),
    (
        "password-assignment",
        type7,
        ["tacacs-server key 7 {v}", "interface Dialer1\n ppp chap password 7 {v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
        ],
    ),
    ("basic-auth", password, ["$ curl -sku admin:{v} https://bigip-1.spr.internal/mgmt/tm/ltm/pool"]),
    (
        "basic-auth",
        password,
        ["$ curl -u Administrator:{v} http://10.70.8.4:57412/config/v1/project/channels"],
    ),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' http://10.70.8.20:8443/api/guns/status"],
    ),
    (
        "bearer-token",
        alnum(48),
        ["curl -H 'Authorization: Bearer {v}' https://gate-api.spr.internal/v1/gates/7/open"],
    ),
    (
        "vendor-token",
        lambda: rs(UP + DIG, 26),
        [
            "X-F5-Auth-Token: {v}",
            '$ curl -sk -H "X-F5-Auth-Token: {v}" https://bigip-1.spr.internal/mgmt/tm/sys/version',
        ],
    ),
    ("vendor-token", lambda: rs(B64URL, 43), ["X-chkp-sid: {v}", "$ mgmt_cli show hosts --session-id {v}"]),
    (
        "vendor-token",
        uuid4,
        ["Authorization: PVEAPIToken=terraform@pve!tf={v}", "PM_API_TOKEN_SECRET={v}"],
    ),
    (
        "vendor-token",
        lambda: "1-" + rs(ALNUM, 64),
        [
            '$ curl -H "Authorization: Bearer {v}" https://nas-1.spr.internal/api/v2.0/pool',
            "TRUENAS_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        hex_n(32),
        [
            "$ curl -X POST https://eu.sms.api.sinch.com/xms/v1/6a1f0e2b9c8d4e7fa3b5c1d2e4f60718/batches -H 'Authorization: Bearer {v}'"
        ],
    ),
    ("vendor-token", infobip_key, ["Authorization: App {v}", "INFOBIP_API_KEY={v}"]),
    (
        "vendor-token",
        uuid4,
        [
            "$ curl -X POST https://rest.fra-02.braze.eu/messages/send -H 'Authorization: Bearer {v}'",
            "BRAZE_REST_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "sec-c-" + rs(B64, 48),
        ["PUBNUB_SECRET_KEY={v}", "pubnub = PubNub(PNConfiguration(secret_key='{v}'))"],
    ),
    (
        "vendor-token",
        hex_n(40),
        [
            "$ curl -H 'Authorization: {v}' https://api.eu.sparkpost.com/api/v1/transmissions",
            "SPARKPOST_API_KEY={v}",
        ],
    ),
    ("vendor-token", lambda: "md-" + rs(B64URL, 22), ["MANDRILL_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: rs(B64URL, 22),
        [
            "INSTANA_AGENT_KEY={v}",
            "$ helm install instana-agent instana/instana-agent --set agent.key={v} --set zone.name=spr-dc",
        ],
    ),
    (
        "vendor-token",
        lambda: rs(B64URL, 22),
        ["$ curl -H 'authorization: apiToken {v}' https://spr-stoban.instana.io/api/events"],
    ),
    ("vendor-token", lambda: rs(LOW + DIG, 12), ["APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY={v}"]),
    ("vendor-token", lambda: "cxtp_" + rs(ALNUM, 30), ["CORALOGIX_PRIVATE_KEY={v}"]),
    ("vendor-token", lambda: "cu_" + rs(HEX, 32), ["CHECKLY_API_KEY={v}"]),
    (
        "vendor-token",
        teamcity_token,
        [
            '$ curl -H "Authorization: Bearer {v}" https://ci-tc-1.spr.internal/app/rest/builds?locator=running:true',
            "TEAMCITY_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: rs(B64, 44),
        ['$ curl -H "Authorization: Bearer {v}" https://bamboo.spr.internal/rest/api/latest/plan'],
    ),
    (
        "vendor-token",
        alnum(22),
        ['$ curl -H "Travis-API-Version: 3" -H "Authorization: token {v}" https://api.travis-ci.com/repos'],
    ),
    ("vendor-token", hex_n(32), ["$ sem connect stobanpeak.semaphoreci.com {v}"]),
    ("vendor-token", lambda: "live-secret-key-" + rs(HEX, 32), ["Authorization: {v}", "NETS_SECRET_KEY={v}"]),
    ("vendor-token", mews_token, ["MEWS_ACCESS_TOKEN={v}", '"AccessToken": "{v}",']),
    ("vendor-token", mews_token, ["MEWS_CLIENT_TOKEN={v}"]),
    (
        "vendor-token",
        lambda: "pk_" + rs(HEX, 34),
        ["Authorization: Klaviyo-API-Key {v}", "KLAVIYO_PRIVATE_KEY={v}"],
    ),
    ("vendor-token", hex_n(40), ["LIGHTSPEED_REFRESH_TOKEN={v}"]),
    (
        "vendor-token",
        lambda: "samsara_api_" + rs(ALNUM, 30),
        ["$ curl -H 'Authorization: Bearer {v}' https://api.samsara.com/fleet/vehicles/locations"],
    ),
    (
        "vendor-token",
        uuid4,
        [
            "$ curl -X PUT --data-binary @summit.jpg -H 'AccessKey: {v}' https://storage.bunnycdn.com/spr-webcams/summit.jpg"
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(LOW + DIG, 32),
        [
            "$ curl -H 'X-Api-Secret: {v}' 'https://api.weatherlink.com/v2/current/118842?api-key=$WL_KEY'",
            "WEATHERLINK_API_SECRET={v}",
        ],
    ),
    ("generic-api-key", zigbee_key, ["advanced:\n  pan_id: 6754\n  network_key: {v}"]),
    (
        "generic-api-key",
        upper_uuid,
        ["$ curl -u alerts@stobanpeak.example:{v} https://rest.clicksend.com/v3/sms/send -d @sms.json"],
    ),
    (
        "generic-api-key",
        lambda: rs(B64URL, 22),
        [
            '$ curl -u "$AIRSHIP_APP_KEY:{v}" -H "Accept: application/vnd.urbanairship+json; version=3" https://go.airship.eu/api/push'
        ],
    ),
    ("generic-api-key", hex_n(32), ["TUYA_ACCESS_SECRET={v}"]),
    (
        "generic-api-key",
        alnum(32),
        ["https://api.bookeo.com/v2/bookings?apiKey=$BOOKEO_API_KEY&secretKey={v}"],
    ),
    ("generic-api-key", hex_n(64), ["GATE_QR_HMAC_KEY={v}"]),
    ("generic-api-key", hex_n(128), ["SECRET_KEY_BASE={v}  # snowmaking-hmi"]),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nPrivateKey = {v}\nAddress = 10.70.250.6/32"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: passes-db\ndata:\n  DB_PASSWORD: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://stobanpeak.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ["TEAMS_LIFT_OPS_WEBHOOK={v}"],
    ),
    (
        "webhook-url",
        lambda: "https://chat.spr.internal/hooks/" + rs(ALNUM, 24) + "/" + rs(ALNUM, 48),
        ["Rocket.Chat incoming webhook for #snowmaking: {v}"],
    ),
    (
        "webhook-url",
        lambda: "https://ping.checklyhq.com/" + uuid4(),
        ["*/5 * * * * /opt/spr/gate-sync.sh && curl -fsS {v}"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        lambda: "sec-c-" + rs(B64, 48),
        [FS + "PubNub secret key was in the kiosk app bundle: {v}"],
    ),
    (
        "vendor-token",
        lambda: "live-secret-key-" + rs(HEX, 32),
        [EL + "the Nets secret key in the rental POS config is {v}"],
    ),
    ("vendor-token", lambda: "1-" + rs(ALNUM, 64), ["$ midclt call auth.login_with_api_key {v}"]),
    ("vendor-token", teamcity_token, ["##[teamcity] agent.conf: serverAuthToken={v}"]),
    ("vendor-token", uuid4, [FS + "Braze REST key pasted in the ticket: {v}"]),
    ("vendor-token", lambda: "md-" + rs(B64URL, 22), ['mailchimp = MailchimpTransactional.Client("{v}")']),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(ALNUM + "-_", 20),
        ["url = https://oauth2:{v}@gitlab.com/spr/snowmaking-hmi.git"],
    ),
    ("github-token", draw.gh_token, ["//npm.pkg.github.com/:_authToken={v}"]),
    ("slack-webhook", draw.slack_hook, ['"slack_webhook_url": "{v}"']),
    ("aws-key", draw.aws_secret, ["[spr-backup]\naws_secret_access_key = {v}"]),
    (
        "password-assignment",
        password,
        [
            "| pump house | moxa-nport-2 | admin | {v} |",
            "| pump house PLC | S7-1500 | full-access protection password | {v} |",
            "<Password>{v}</Password>  <!-- Acronis agent registration, plain -->",
            "set ns param -timezone GMT+00:00-GMT-Europe/London\nadd lb monitor mon-radius RADIUS -userName nsmon -password {v} -radKey spr",
            "Travis CI settings: DB_PASSWORD={v} (display value in build log: ON)",
            "(Cisco Controller) >config radius auth add 1 10.70.0.9 1812 ascii {v}",
            "the Synology DSM admin password on nas-1 is still {v} from the install",
            "wireless.1.security.psk={v}",
            "$ synoshare --enc_mount Passes {v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [EL + "the OSPF md5 key in the pasted Junos config is {v}, it decodes offline, rotate it"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        ["RENTAL_DB=postgresql://rental:{v}@10.70.4.6:5432/rental"],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"privateKey": "{v}"']),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://school-bookings.spr.internal/v1/groups/red-3/roster"],
    ),
    ("jwt", pass_jwt, ["localStorage.spr_pass = '{v}'"]),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    (
        "generic-api-key",
        lambda: rs(LOW + DIG, 32),
        [FS + "WeatherLink API secret from the old station script: {v}"],
    ),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            ROSTER + "Aonghas Urquhart,Red 3,{v},,,,",
            FS + "parent asks for the lesson photos to go to {v}",
            "{ts} INFO pass-sales receipt sent to {v}",
            "INSERT INTO pass_holders (name, email) VALUES ('Dagny Lindqvist', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            ROSTER + "Eilidh Baillie-Grant,Blue 1,,{v},,,",
            FS + "parent rang from {v}: child not at the meeting point at {lift}",
            "{ts} INFO school-bookings sms group-moved to={v}",
            "| Finnur Sigurdsson | ski patrol | {v} |",
            'parent_contact:\n  name: Gudrun Macfarlane\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            ROSTER + "Hallvard Abercrombie,Green 2,,,{v},,",
            FS + "guest read her full card {v} to the rental desk over the phone",
            "{ts} WARN rental-pos offline fallback pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} bigip-1 ASM violation src={v} uri=/v1/passes/me attack=credential-stuffing",
            "{ts} WARN pass-sales 60 failed logins for pass 40021 from {v}",
            '{"event":"pass_topup","client_ip":"{v}","gate":"web"}',
            "sshd[1188]: Invalid user pi from {v} port 60211",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [14/Feb/2027:08:31:09 +0000] "GET /v1/lifts/status HTTP/2.0" 200', "client_addr={v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [ROSTER + "Brigitta Urquhart,Red 1,,,,{v},"]),
    ("iban", lambda: iban_of("NO", rs(DIG, 11)), [FS + "refund the cancelled lessons to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [ROSTER + "Cailean Macfarlane,Blue 2,,,,,{v}"]),
    ("national-id", ssn, ["| Dagny Abercrombie | seasonal instructor (US) | SSN {v} | I-9 done |"]),
    ("iban", lambda: draw.iban("DE"), ['{"payee":"Eilidh Lindqvist","iban":"{v}","ref":"ski hire deposit"}']),
    ("email", email, ["Author: Finnur Urquhart <{v}>\nDate:   Sat Feb 13 07:12:44 2027 +0000"]),
    (
        "email",
        email,
        ["To: ski-school-all@stobanpeak.example\nCc: {v}\nSubject: Red 3 roster and medical notes"],
    ),
    ("phone", phone, [EL + "the Bealach lift contractor's mobile is {v}"]),
    ("credit-card", card, ["passes=# SELECT pan FROM kiosk_offline WHERE id = 7;\n pan\n-----\n {v}"]),
    ("ipv4", public_v4, ["X-Client-IP: {v}"]),
    ("phone", phone, ["BEGIN:VCARD\nFN:Gudrun Baillie-Grant\nTEL;TYPE=cell:{v}\nEND:VCARD"]),
    ("ipv6", public_v6, ["{ts} WARN gate-api PubNub presence from {v}"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git log -1 --format=%H\n{v}",
            "gate-api 4.2.0 (commit {v})",
            "BUILD_VCS_NUMBER={v}",
            "revert {v}: pass grace period",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        ["fix {v} gate reject on DST change", "harbor.spr.internal/gate-api:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "Proxmox VM smbios uuid={v}",
            "{ts} INFO gate-api scan_id={v} ACCEPT",
            "| {v} | Summit Gondola gate 3 |",
            "X-Correlation-ID: {v}",
            "Braze campaign {v} sent",
        ],
    ),
    (
        "uuid",
        uuid4,
        ["Sinch batch {v} delivered", "Mews reservation {v} checked in", "Checkly check {v} failing"],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM harbor.spr.internal/gate-api@{v}", "hmi image {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  BIGIP-17.1.1-0.0.5.iso", "TrueNAS update manifest sha256 {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "F5 cert fingerprint SHA-1 {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "md5 of the roster CSV {v}"]),
    ("hash-or-digest", md5_crypt, ["set user monitor password-hash {v}"]),
    (
        "hash-or-digest",
        draw.sha512_crypt,
        [TMSH + "list auth user admin\nauth user admin {\n    encrypted-password {v}\n}"],
    ),
    ("hash-or-digest", lambda: rs(HEX, 138), ["set system user nsroot {v} -encrypted -hashmethod SSHA512"]),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "7d3a10c4e9b2f586-01", "trace={v} op=pass.validate"]),
    ("trace-id", hex_n(16), ["X-B3-SpanId: {v}"]),
    ("trace-id", draw.long_trace, ["Instana call id {v}"]),
    ("cloud-resource-id", lambda: "spr-gates.servicebus.windows.net", ["Event Hubs namespace {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::spr-duplicity-{rs(LOW + DIG, 6)}", ["backup bucket {v}"]),
    ("cloud-resource-id", lambda: "/Common/pool_gate_api", ["pool {v} members down 2/4"]),
    ("cloud-resource-id", lambda: "spr-stoban.instana.io", ["Instana tenant {v}"]),
    ("cloud-resource-id", lambda: "nas-1/tank/passes@auto-2027-02-13_00-00", ["zfs snapshot {v}"]),
    ("placeholder", lambda: "<your-api-token>", ["Authorization: PVEAPIToken=terraform@pve!tf={v}"]),
    ("placeholder", lambda: "YOUR_SECRET_KEY", ["NETS_SECRET_KEY={v}"]),
    ("placeholder", lambda: "admin", ["the NPort web console still had the factory password {v} in PM-8"]),
    ("placeholder", lambda: "********", ["X-NITRO-PASS: {v}"]),
    (
        "placeholder",
        lambda: "live-secret-key-00000000000000000000000000000000",
        ["NETS_SECRET_KEY={v}  # template"],
    ),
    ("placeholder", lambda: "<infobip-api-key>", ["Authorization: App {v}"]),
    ("placeholder", lambda: "sec-c-xxxxxxxxxxxxxxxxxxxx", ["PUBNUB_SECRET_KEY={v}"]),
    (
        "placeholder",
        lambda: "$TEAMCITY_TOKEN",
        ['curl -H "Authorization: Bearer {v}" https://ci-tc-1.spr.internal/app/rest/server'],
    ),
    ("templated-value", lambda: "%env.POS_DB_PASSWORD%", ['<param name="db.password" value="{v}" />']),
    (
        "templated-value",
        lambda: "credentialsJSON:" + uuid4(),
        ['<param name="env.SPARKPOST_API_KEY" spec="password display=\'hidden\'" value="{v}" />'],
    ),
    ("templated-value", lambda: "${bamboo.sftp.password}", ["sftp_password: {v}"]),
    ("templated-value", lambda: "{{ vault_bigip_admin }}", ['bigip_password: "{v}"']),
    ("templated-value", lambda: "$SEMAPHORE_GIT_SHA", ["IMAGE_TAG={v}"]),
    ("templated-value", lambda: "${env:MEWS_ACCESS_TOKEN}", ["AccessToken = {v}"]),
    ("templated-value", lambda: "((instana-agent-key))", ["agent_key: {v}"]),
    (
        "masked-value",
        lambda: "***",
        ["[Step 3/5] ##teamcity[setParameter name='env.POS_DB_PASSWORD' value='{v}']"],
    ),
    ("masked-value", lambda: "[secure]", ["$ export DB_PASSWORD={v}"]),
    ("masked-value", lambda: "<REDACTED>", ['{"event":"nitro_login","password":"{v}"}']),
    ("masked-value", lambda: "**** **** **** " + rs(DIG, 4), ["Nets receipt card {v}"]),
    ("masked-value", lambda: "sec-c-…" + rs(ALNUM, 4), ["PubNub key {v} regenerated in ADR-6"]),
    ("keyword-no-value", lambda: "X-chkp-sid", ["RB-3: the {v} from mgmt_cli login expires after 600 s"]),
    (
        "keyword-no-value",
        lambda: "network_key",
        ["PM-8: the Zigbee2MQTT {v} was in the public repo, so the coordinator was re-paired"],
    ),
    ("keyword-no-value", lambda: "PASSPHRASE", ["RB-5: duplicity reads {v} from the root-only env file"]),
    ("keyword-no-value", lambda: "authentication-key", ["rotate the VRRP {v} on both cores together"]),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["snow gun controller {v}", "gate controller at {v}", "{ts} bigip-1 SNAT {v} -> vlan-ext"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example pool member {v} in RB-3"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["summit LTE router WAN {v} (carrier NAT)"],
    ),
    ("example-email", lambda: "lifts@stobanpeak.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "guest@example.com", ["Braze test user {v}"]),
    ("example-email", lambda: "ci@stobanpeak.example", ["TeamCity notifier from {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["export AWS_ACCESS_KEY_ID={v}  # duplicity docs example"],
    ),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["jwt.io's sample token {v} in the school-bookings tests"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[spr-backup-docs]\naws_secret_access_key = {v}  # Commvault S3 guide sample"],
    ),
    (
        "version-or-date",
        lambda: f"4.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["gate-api {v} deployed", "resort app {v} on the Play Store"],
    ),
    ("version-or-date", lambda: "BIG-IP 17.1.1 Build 0.0.5", ["bigip-1 runs {v}"]),
    ("version-or-date", lambda: "R81.20 Take 53", ["cp-gw-1 on {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["travis", "ci"], "ci-tc-1"),
        ["deploy key (public) on rental-pos:\n{v}"],
    ),
    ("public-key-or-cert", draw.cert_pem, [TMSH + "list sys file ssl-cert passes.crt\n{v}"]),
    (
        "public-key-or-cert",
        lambda: "live-checkout-key-" + rs(HEX, 32),
        ["var checkoutOptions = { checkoutKey: '{v}' };  // Nets checkout key, public"],
    ),
    (
        "public-key-or-cert",
        lambda: "sub-c-" + uuid4(),
        ["subscribeKey: '{v}',  // PubNub subscribe key, in the app"],
    ),
    (
        "public-key-or-cert",
        uuid4,
        ["braze.initialize('{v}', { baseUrl: 'sdk.fra-02.braze.eu' });  // SDK key, public"],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = vpn.stobanpeak.example:51820"],
    ),
    ("ids-and-numbers", lambda: "SPR-" + rs(DIG, 6), ["season pass {v} blocked", "season pass {v} reissued"]),
    ("ids-and-numbers", lambda: rs(LOW + DIG, 20), ["Tuya Access ID {v} (project, not the secret)"]),
    ("ids-and-numbers", lambda: "0x" + rs(HEX, 16), ["zigbee ieee_address {v} (snow depth sensor 4)"]),
    ("ids-and-numbers", lambda: rs(DIG, 6), ["WeatherLink station id {v}", "Bandwidth application {v}"]),
    ("ids-and-numbers", lambda: rs(UP + DIG, 6), ["Klaviyo public site id {v}"]),
    ("ids-and-numbers", lambda: "RTX-" + rs(DIG, 5), ["rental ski set {v} returned damaged"]),
    ("luhn-fail-number", luhn_bad, ["pass RFID chip {v} read twice", "gift voucher {v}"]),
    ("documented-test-card", lambda: rng.choice(sorted(TEST_CARDS)), ["Nets test payment with {v} approved"]),
    ("base64-nonsecret", lambda: b64(b'{"gate":7,"lift":"gondola"}'), ["X-SPR-Gate: {v}"]),
    ("base64-nonsecret", lambda: b64(b"lift-telemetry"), ["labels:\n  app.b64: {v}"]),
    (
        "encrypted-value",
        lambda: "$M$" + rs(ALNUM, 2) + "$" + b64(draw.rbytes(24)),
        [TMSH + "list ltm monitor ldap mon-ldap\n    password {v}"],
    ),
    (
        "encrypted-value",
        lambda: rs(HEX, 64),
        ["add lb monitor mon-ldap LDAP -password {v} -encrypted -encryptmethod ENCMTHD_3 -kek"],
    ),
    ("encrypted-value", lambda: b64(draw.rbytes(256)), ['env:\n  global:\n    - secure: "{v}"']),
    ("encrypted-value", lambda: draw.sops_value(), ["nets_secret_key: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["bigip_password: !vault |\n  {v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merge branch 'pm-2-gate-grace' into main ({v})"]),
    ("uuid", uuid4, ["TrueNAS replication task {v}", "Acronis plan {v}"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["ECDSA key fingerprint is {v}."]),
    (
        "hash-or-digest",
        lambda: "$6$" + rs(CRYPT, 16) + "$" + rs(CRYPT, 86),
        ['set system root-authentication encrypted-password "{v}"'],
    ),
    ("trace-id", hex_n(32), ["AppDynamics request GUID {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/duplicity",
        ["access key belongs to {v}"],
    ),
    ("cloud-resource-id", lambda: "vm/112", ["qm migrate {v} pve-3 --online"]),
    ("placeholder", lambda: "<SPARKPOST_API_KEY>", ["Authorization: {v}"]),
    ("placeholder", lambda: "pk_...", ["Authorization: Klaviyo-API-Key {v}"]),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: passes-db\n            key: DB_PASSWORD"],
    ),
    ("templated-value", lambda: "{{ .Values.checkly.apiKey }}", ["CHECKLY_API_KEY: {v}"]),
    ("masked-value", lambda: "cxtp_…" + rs(ALNUM, 4), ["Coralogix key {v} revoked"]),
    (
        "keyword-no-value",
        lambda: "MEWS_CLIENT_TOKEN",
        ["ADR-6: {v} stays in Key Vault, never in the POS config"],
    ),
    (
        "keyword-no-value",
        lambda: "-encryptmethod ENCMTHD_3",
        ["NetScaler writes {v} beside every stored password"],
    ),
    ("private-or-reserved-ip", lambda: f"fd00:70::{rng.randint(1, 99)}", ["snowmaking VLAN ULA {v}"]),
    ("version-or-date", lambda: "TeamCity 2024.12.1", ["ci-tc-1 upgraded to {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the gate timeline"]),
    ("ids-and-numbers", lambda: "6a1f0e2b9c8d4e7fa3b5c1d2e4f60718", ["Sinch service plan id {v}"]),
    ("luhn-fail-number", luhn_bad, ["ski-school voucher {v}"]),
    ("base64-nonsecret", lambda: b64(b"gate-gw:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " travis@ci-tc-1",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["Nets webhook signing public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.stobanpeak.example", ["From: {v}"]),
    ("vendor-example-key", lambda: "AKIAI44QH8DHBEXAMPLE", ["Acronis S3 guide example key {v}"]),
    ("encrypted-value", lambda: "AQICAHh" + b64(draw.rbytes(110)), ["KMS CiphertextBlob: {v}"]),
    ("documented-test-card", lambda: "4000 0000 0000 0002", ["declined-card test number {v}"]),
    ("luhn-fail-number", luhn_bad, ["lift ticket barcode {v} invalid"]),
    ("version-or-date", lambda: "DSM 7.2.2-72806", ["nas-1 on {v}"]),
    ("ids-and-numbers", lambda: "INC-" + rs(DIG, 5), ["Freshservice {v} closed"]),
    ("hash-or-digest", hex_n(64), ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 77311"]),
    ("uuid", uuid4, ["Infobip messageId {v}"]),
    ("cloud-resource-id", lambda: "pool/passes-db", ["TrueNAS dataset {v}"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe key {v} rolled"]),
    ("templated-value", lambda: "var.bunny_access_key", ['provider "bunnynet" {\n  api_key = {v}\n}']),
    (
        "keyword-no-value",
        lambda: "X-F5-Auth-Token",
        ["RB-3: a {v} lasts 1200 s and is tied to the admin session"],
    ),
    ("ids-and-numbers", lambda: "Q8M2X7R4LP", ["App Store Connect key id {v}"]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["curl http://{v}/metadata/instance?api-version=2021-02-01"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["Stripe docs key {v} in the deposits README"],
    ),
    (
        "public-key-or-cert",
        lambda: rs(B64URL, 22),
        ["Airship app key {v} (in the app, not the master secret)"],
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
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|live-secret-key-[0-9a-f]{8}|sec-c-[A-Za-z0-9+/]{8}|md-[\w-]{20}"
    r"|cxtp_[A-Za-z0-9]{10}|cu_[0-9a-f]{20}|eyJ0eXAiOiAiVENWMiJ9\.|samsara_api_|pk_[0-9a-f]{30}|dckr_pat_|npm_[A-Za-z0-9]{30}"
    r"|PVEAPIToken=[^=\s]+=[0-9a-f]{8}|\b1-[A-Za-z0-9]{60}|App [0-9a-f]{32}-|[0-9A-F]{32}-[0-9A-F]{31}|AccessKey: [0-9a-f]{8}"
    r"|webhook\.office\.com/webhookb2/|/hooks/[A-Za-z0-9]{24}/|ping\.checklyhq\.com/[0-9a-f]{8}|\$9\$[A-Za-z0-9./-]{20}(?!\$)"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|SharedAccessKey=[A-Za-z0-9+/]{20}"
    r"|(?:password|secret|key) [07] [0-9A-Fa-f]{6}|network_key: \[\d"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|(?i:Bearer) [A-Za-z0-9._-]{20}|(?i:token) [A-Za-z0-9]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psk|privatekey)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?(?!plaintext )[A-Za-z0-9+/_.][A-Za-z0-9+/_.-]{11,}"
)

OK_MAIL_53 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_53,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t53", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
