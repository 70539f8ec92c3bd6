# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test52.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test52.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270152)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a city bicycle-share scheme with street docks, e-bikes, depots and a
rider app, Kestrelford Bike Share (KBS): PM-3 the docks that went offline in the morning commute
(ThingsBoard, Teltonika routers, ESP32 dock controllers, Golioth, LoRaWAN, NATS, AWS IoT), PM-5
membership payments (Klarna, Paddle, Chargebee, Recurly, Authorize.net, Telnyx), RB-2 the depot and
street-cabinet network (Huawei VRP, OPNsense, Aruba Instant, Cisco BGP/OSPF/VRRP keys, SNMPv3), RB-6
the ride data stores (Redshift, Typesense, Meilisearch, Turso, Aiven, Redis ACLs, memcached SASL),
RB-9 backups (Kopia, pgBackRest, Duplicati, Proxmox Backup Server), ADR-4 observability (Logz.io,
Papertrail, Loggly, Raygun, Axiom, PostHog), ADR-7 mobile builds (Bitrise, Codemagic, App Center,
CocoaPods trunk, Gradle signing, Firebase App Distribution) and PM-11 a damaged-bike claims list
sent to the wrong insurer (cards, IBANs, phones). Common shapes come first in each kind
(``t52p…``/``t52n…``).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from random import Random

from planted_kit import (
    ALNUM,
    B32,
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
OUT = HERE / "planted_test52.jsonl"
FOLD = "test52"
rng = Random(20270152)
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
    "sprocket",
    "derailleur",
    "pannier",
    "cadence",
    "freewheel",
    "tandem",
    "spoke",
    "saddle",
    "chainring",
    "velodrome",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["dock-api", "ride-billing", "rebalancer", "claims-export", "fleet-gw"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def junos9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(22, 38))


def type7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs("0123456789ABCDEF", 2 * rng.randint(6, 10))


def nkey(prefix: str) -> str:
    """An NATS nkey: a seed ``S`` + role letter + 56 base32, a public key role letter + 55."""
    return prefix + rs(B32, 58 - len(prefix) if prefix.startswith("S") else 56 - len(prefix))


def nats_jwt() -> str:
    body = {
        "jti": rs(B32, 52),
        "iat": 1790000000 + rng.randint(0, 9999999),
        "iss": nkey("A"),
        "name": "dock-" + rs(DIG, 4),
        "sub": nkey("U"),
        "nats": {"pub": {"allow": ["dock.>"]}, "type": "user", "version": 2},
    }
    return encode_jwt({"typ": "JWT", "alg": "ed25519-nkey"}, body, rs(B64URL, 86))


def rider_jwt() -> str:
    body = {
        "iss": "https://auth.kestrelford-bikes.example",
        "sub": "rider_" + rs(DIG, 6),
        "plan": "annual",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(ALNUM, 8)}, body, rs(B64URL, 342))


def tb_jwt() -> str:
    body = {
        "sub": "fleet-ops@kestrelford-bikes.example",
        "scopes": ["TENANT_ADMIN"],
        "userId": uuid4(),
        "isPublic": False,
        "iss": "thingsboard.io",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS512"}, body, rs(B64URL, 86))


def turso_jwt() -> str:
    body = {"a": "rw", "iat": 1790000000 + rng.randint(0, 9999999), "id": uuid4()}
    return encode_jwt({"alg": "EdDSA", "typ": "JWT"}, body, rs(B64URL, 86))


def paddle_key() -> str:
    return "pdl_live_apikey_01" + rs(LOW + DIG, 24) + "_" + rs(ALNUM, 22) + "_" + rs(ALNUM, 3)


def telnyx_key() -> str:
    return "KEY01" + rs("0123456789ABCDEF", 30) + "_" + rs(ALNUM, 22)


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def huawei_hash() -> str:
    return "$1c$" + rs(ALNUM + "!#%&()*+,-./:;<=>?@^_~", 48) + "$"


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["tamsin", "oluwaseun", "grainne", "bartholomew", "ysolde", "perpetua", "cormac", "ludmila"]
LAST = ["penhaligon", "okonkwo-reid", "mcilwraith", "tresidder", "vandersteen", "ashdown"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.com", "proton.me", "sky.com"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["dock-api", "fleet-gw", "ride-billing", "rebalancer", "rider-app", "telemetry-ingest"]
STAFF = ["morwenna", "dafydd", "ife", "kasimir", "roisin", "tobiah", "zainab", "eluned"]
HOSTS = ["dock-gw-1", "pg-rides", "fw-depot-1", "pbs-1", "ci-mac-2", "tb-1"]
DOCKS = ["Mill Lane", "Station Square", "Riverside", "Canal Basin", "Hospital Gate", "Union Street"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "dock": lambda: rng.choice(DOCKS),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | commute bridge | {who}: "
ZU = "{who} (Zulip #fleet-ops > docks, {t}): "
HS = "Help Scout #{tkt} note ({who}): "
CLAIMS = "claim_ref,rider,email,mobile,card_on_file,refund_iban,ni_or_ssn\n"
VRP = "[~kbs-core-1] "
RUT = "root@RUT955:~# "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ kopia repository create s3 --bucket=kbs-kopia --region=eu-west-2 --access-key={v} --secret-access-key=$KOPIA_S3_SECRET",
            "repo1-s3-key={v}",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "repo1-s3-key-secret={v}",
            '$ duplicati-cli backup "s3://kbs-dup/claims" /srv/claims --aws-secret-access-key={v}',
        ],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            "Endpoint=sb://kbs-telemetry.servicebus.windows.net/;SharedAccessKeyName=dock-send;SharedAccessKey={v};EntityPath=dock-events"
        ],
    ),
    ("gcp-key", draw.gcp_api, ['<string name="google_maps_key">{v}</string>']),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"kbs-rider-app","private_key_id":"{h40}","private_key":"{v}","client_email":"play-upload@kbs-rider-app.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        ["$ gh auth login --with-token <<< {v}", "GITHUB_TOKEN={v} fastlane ios beta"],
    ),
    ("gitlab-token", draw.gl_token, ["$ glab auth login --hostname gitlab.com --token {v}"]),
    ("slack-token", draw.slack_token, ["SLACK_BOT_TOKEN={v}  # dock-alerts bot"]),
    ("slack-webhook", draw.slack_hook, [ZU + "the Raygun integration posts to {v}"]),
    ("stripe-key", draw.stripe_key, ["STRIPE_SECRET_KEY={v}  # day passes at the kiosk"]),
    (
        "jwt",
        tb_jwt,
        [
            "$ curl -X GET http://tb-1.kbs.internal:8080/api/tenant/devices?pageSize=100 --header 'X-Authorization: Bearer {v}'"
        ],
    ),
    ("jwt", nats_jwt, ["-----BEGIN NATS USER JWT-----\n{v}\n------END NATS USER JWT------"]),
    ("jwt", turso_jwt, ["TURSO_AUTH_TOKEN={v}"]),
    (
        "jwt",
        rider_jwt,
        ["{ts} DEBUG rider-app unlock request bike=KB-4471 auth={v}"],
    ),
    ("private-key", draw.pk("rsa"), ["$ cat dock-0417-private.pem.key\n{v}"]),
    ("private-key", draw.pk("pkcs8"), ["codemagic env APP_STORE_CONNECT_PRIVATE_KEY:\n{v}"]),
    ("private-key", draw.pk("ssh", "    "), ["envs:\n  - SSH_RSA_PRIVATE_KEY: |\n    {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("ec", sep="\n      "),
        ["dock_tls:\n  client:\n    key: |\n      {v}"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DATABASE_URL=postgresql://rebalancer:{v}@pg-rides.kbs.internal:5432/rides",
            "AIVEN_PG_URI=postgres://avnadmin:{v}@pg-kbs-rides-kestrelford.aivencloud.com:21344/defaultdb?sslmode=require",
            "nats://fleet:{v}@10.90.2.11:4222",
            "mqtt://dock-gw:{v}@10.90.2.20:1883",
            "REDIS_URL=rediss://rebalancer:{v}@10.90.2.12:6380/0",
            "sftp://claims:{v}@sftp.insurer-portal.example/inbound/",
            "https://kbs-mobile:{v}@nexus.kbs.internal/repository/maven-releases/",
            "ftp://dock-firmware:{v}@10.90.4.2/rut955/",
            "http://admin:{v}@10.90.1.1/cgi-bin/luci/admin/status",
            "rtsp://viewer:{v}@10.90.5.31:554/stream1  # Mill Lane depot yard",
            "smtp://alerts:{v}@smtp.kbs.internal:587",
            "git+https://ci:{v}@git.kbs.internal/mobile/rider-app.git",
            "COUCHDB_URL=http://admin:{v}@10.90.2.30:5984/bike_sync",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            RUT + "uci set wireless.@wifi-iface[0].key='{v}'",
            RUT + "uci set network.mob1s1a1.password='{v}' && uci commit network",
            'CONFIG_ESP_WIFI_PASSWORD="{v}"',
            "key,type,encoding,value\nwifi,namespace,,\nwifi_ssid,data,string,KBS-Dock\nwifi_pass,data,string,{v}",
            VRP + "aaa\n local-user netops password irreversible-cipher {v}",
            VRP + "interface Vlanif20\n ospf authentication-mode md5 1 plain {v}",
            "router bgp 64512\n neighbor 10.90.0.2 password {v}",
            "interface GigabitEthernet0/1\n ip ospf message-digest-key 1 md5 {v}",
            "interface Vlan30\n vrrp 10 authentication text {v}",
            "$ snmpwalk -v3 -l authNoPriv -u kbs-mon -a SHA -A '{v}' 10.90.0.1 ifDescr",
            "wlan ssid-profile KBS-Staff\n essid KBS-Staff\n opmode wpa2-psk-aes\n wpa-passphrase {v}",
            VRP + "wlan\n security-profile name depot\n  security wpa2 psk pass-phrase {v} aes",
            "ACL SETUSER ride-billing on >{v} ~rides:* +@read",
            "$ kopia repository connect s3 --bucket=kbs-kopia --password='{v}'",
            "KOPIA_PASSWORD={v}",
            "repo1-cipher-pass={v}",
            '$ duplicati-cli backup "s3://kbs-dup/pg" /var/backups/pg --passphrase="{v}"',
            "$ ./gradlew bundleRelease -Pandroid.injected.signing.store.password={v}",
            "ORG_GRADLE_PROJECT_signingInMemoryKeyPassword={v}",
            "envs:\n- KEYSTORE_PASSWORD: {v}\n  opts:\n    is_expand: false",
            "CM_KEYSTORE_PASSWORD={v}",
            '$ psql "host=rides.c1x2kq7.eu-west-2.redshift.amazonaws.com port=5439 dbname=rides user=analyst password={v}"',
            "$ echo '{v}' | saslpasswd2 -p -a memcached rebalancer",
            'authorization {\n  user: fleet\n  password: "{v}"\n}',
            'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="avnadmin" password="{v}";',
            "pg-rides.kbs.internal:5432:rides:rebalancer:{v}",
            "[client]\nuser=metabase\npassword={v}",
            "$ rabbitmqctl change_password fleet '{v}'",
            '10.90.0.1 %any : PSK "{v}"',
            "  depot-kiosk-3:\n    ansible_become_password: {v}",
            "C:\\> net user kbs-kiosk {v} /add",
            '{"connection_name":"depot-phones","user_name":"kbsdepot","password":"{v}"}',
            "jdbc:redshift://rides.c1x2kq7.eu-west-2.redshift.amazonaws.com:5439/rides;UID=analyst;PWD={v}",
            TL + "Mill Lane depot router admin password reset to {v}",
            ZU + "guest wifi at the {dock} depot: KBS-Guest / {v}",
            HS + "Chargebee login for the finance temp: finance@kestrelford-bikes.example / {v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set protocols bgp group transit authentication-key "{v}"',
            'set snmp v3 usm local-engine user kbs-mon authentication-sha authentication-key "{v}"',
        ],
    ),
    (
        "password-assignment",
        type7,
        ["key chain OSPF-DEPOT\n key 1\n  key-string 7 {v}", "username netops password 7 {v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"registry.kbs.internal":{"auth":"{v}"}}}',
            "$ curl -H 'Authorization: Basic {v}' http://10.90.2.7:8080/api/v2/rides/export",
        ],
    ),
    (
        "bearer-token",
        alnum(48),
        ["curl -H 'Authorization: Bearer {v}' https://rms.teltonika-networks.com/api/devices?limit=50"],
    ),
    (
        "bearer-token",
        alnum(32),
        [
            "$ curl -X POST 'http://10.90.2.8:7700/indexes/docks/search' -H 'Authorization: Bearer {v}' --data-binary '{\"q\":\"mill\"}'"
        ],
    ),
    (
        "vendor-token",
        alnum(20),
        [
            '$ mosquitto_pub -d -q 1 -h tb-1.kbs.internal -p 1883 -t v1/devices/me/telemetry -u "{v}" -m \'{"free":7}\'',
            "$ curl -v -X POST http://tb-1.kbs.internal:8080/api/v1/{v}/telemetry --header Content-Type:application/json --data '{\"battery\":3.9}'",
            "THINGSBOARD_ACCESS_TOKEN={v}",
        ],
    ),
    ("vendor-token", alnum(32), ["uart:~$ settings set golioth/psk {v}"]),
    ("vendor-token", hex_n(40), ["$ curl 'https://api.particle.io/v1/devices?access_token={v}'"]),
    ("vendor-token", alnum(32), ["$ balena login --token {v}"]),
    (
        "vendor-token",
        lambda: nkey("SU"),
        ["$ nk -gen user -pubout\n{v}\nUDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4"],
    ),
    (
        "vendor-token",
        lambda: nkey("SU"),
        ["-----BEGIN USER NKEY SEED-----\n{v}\n------END USER NKEY SEED------"],
    ),
    (
        "vendor-token",
        lambda: "klarna_live_api_" + rs(B64URL, 56),
        ["KLARNA_API_KEY={v}", "Authorization: Basic {v}"],
    ),
    (
        "vendor-token",
        paddle_key,
        ["PADDLE_API_KEY={v}", "curl https://api.paddle.com/prices -H 'Authorization: Bearer {v}'"],
    ),
    (
        "vendor-token",
        lambda: "live_" + rs(ALNUM, 32),
        [
            'chargebee.configure(site="kestrelford", api_key="{v}")',
            "$ curl https://kestrelford.chargebee.com/api/v2/customers -u {v}:",
        ],
    ),
    ("vendor-token", hex_n(32), ['client = Recurly::Client.new(api_key: "{v}")', "RECURLY_API_KEY={v}"]),
    (
        "vendor-token",
        alnum(16),
        [
            "<merchantAuthentication><name>7uQ9xK2m</name><transactionKey>{v}</transactionKey></merchantAuthentication>",
            "AUTHNET_TRANSACTION_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        telnyx_key,
        ['telnyx.api_key = "{v}"', "curl -H 'Authorization: Bearer {v}' https://api.telnyx.com/v2/messages"],
    ),
    (
        "vendor-token",
        lambda: rs(LOW, 32),
        ["LOGZIO_TOKEN={v}", 'url => "https://listener-eu.logz.io:8071/?token={v}&type=dock-gw"'],
    ),
    (
        "vendor-token",
        alnum(20),
        [
            '$ curl -H "X-Papertrail-Token: {v}" https://papertrailapp.com/api/v1/events/search.json?q=dock-0417'
        ],
    ),
    (
        "vendor-token",
        uuid4,
        [
            "$ curl -H 'content-type:text/plain' -d 'dock 0417 rebooted' https://logs-01.loggly.com/inputs/{v}/tag/fleet/"
        ],
    ),
    ("vendor-token", lambda: "xaat-" + uuid4(), ["AXIOM_TOKEN={v}"]),
    ("vendor-token", lambda: "phx_" + rs(ALNUM, 47), ["POSTHOG_PERSONAL_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: rs(B64URL, 86),
        ["$ curl -H 'Authorization: {v}' https://api.bitrise.io/v0.1/apps", "BITRISE_TOKEN={v}"],
    ),
    ("vendor-token", lambda: rs(B64URL, 43), ['$ curl -H "x-auth-token: {v}" https://api.codemagic.io/apps']),
    ("vendor-token", hex_n(40), ["$ appcenter login --token {v}", "APPCENTER_API_TOKEN={v}"]),
    (
        "vendor-token",
        hex_n(32),
        ["machine trunk.cocoapods.org\n  login mobile@kestrelford-bikes.example\n  password {v}"],
    ),
    ("vendor-token", alnum(32), ['$ curl -H "X-TYPESENSE-API-KEY: {v}" http://10.90.2.7:8108/collections']),
    (
        "vendor-token",
        uuid4,
        ["export PBS_REPOSITORY='backup@pbs!kopia@10.90.3.5:store1'\nexport PBS_PASSWORD='{v}'"],
    ),
    ("vendor-token", lambda: rs(B64, 128) + "==", ["AIVEN_API_TOKEN={v}"]),
    (
        "vendor-token",
        alnum(32),
        [
            "https://api.tomtom.com/routing/1/calculateRoute/52.41,-1.51:52.40,-1.50/json?travelMode=bicycle&key={v}"
        ],
    ),
    (
        "vendor-token",
        lambda: "5b3ce3597851110001cf6248" + rs(HEX, 32),
        ["ORS_API_KEY={v}  # rebalancing van routes"],
    ),
    (
        "vendor-token",
        lambda: rs(B64URL, 43),
        [
            "https://router.hereapi.com/v8/routes?transportMode=bicycle&origin=52.41,-1.51&destination=52.40,-1.50&apiKey={v}"
        ],
    ),
    (
        "generic-api-key",
        lambda: rs("0123456789ABCDEF", 32),
        ['"appKey": "{v}",', "at+set_config=lora:app_key:{v}"],
    ),
    ("generic-api-key", lambda: rs("0123456789ABCDEF", 128), ["AUTHNET_SIGNATURE_KEY={v}"]),
    (
        "generic-api-key",
        alnum(16),
        ["$ curl -u K501234_f3a9b2c1d4e5:{v} https://api.klarna.com/payments/v1/sessions"],
    ),
    (
        "generic-api-key",
        lambda: rs(B64, 80),
        ['$ curl -k -u "$OPN_KEY:{v}" https://fw-depot-1.kbs.internal/api/core/firmware/status'],
    ),
    ("generic-api-key", alnum(32), ["MEILI_MASTER_KEY={v}"]),
    (
        "generic-api-key",
        lambda: rs(ALNUM, 22) + "==",
        ['RaygunClient client = new RaygunClient("{v}");', "X-ApiKey: {v}"],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nPrivateKey = {v}\nAddress = 10.90.250.4/32"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: rides-db\ndata:\n  PGPASSWORD: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            "https://chat.googleapis.com/v1/spaces/AAAA"
            + rs(B64URL, 7)
            + "/messages?key="
            + draw.gcp_api()
            + "&token="
            + rs(B64URL, 43)
            + "%3D"
        ),
        ["GCHAT_DEPOT_WEBHOOK={v}"],
    ),
    (
        "webhook-url",
        lambda: "https://mm.kbs.internal/hooks/" + rs(LOW + DIG, 26),
        ["mattermost incoming hook for #rebalancing: {v}"],
    ),
    (
        "webhook-url",
        lambda: "https://cronitor.link/p/" + rs(HEX, 32) + "/pg-backup",
        ["30 2 * * * /opt/kbs/pgbackrest-full.sh && curl -fsS {v}"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        lambda: "st." + uuid4() + "." + rs(HEX, 32) + "." + rs(HEX, 32),
        ["INFISICAL_TOKEN={v}"],
    ),
    (
        "vendor-token",
        lambda: "1//0" + rs(B64URL, 99),
        [
            '$ firebase appdistribution:distribute app-release.apk --app 1:418223009117:android:7ce2b0d1a9f3 --token "{v}"'
        ],
    ),
    (
        "vendor-token",
        alnum(20),
        [ZU + "dock 0417's ThingsBoard token is {v}, I pasted it from the provisioning sheet"],
    ),
    ("vendor-token", hex_n(32), [HS + "Recurly private key in the export script: {v}"]),
    ("vendor-token", lambda: rs(LOW, 32), ["fields:\n  logzio_codec: json\n  token: {v}\n  type: fleet-gw"]),
    ("vendor-token", telnyx_key, ["TELNYX_API_KEY={v}"]),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(ALNUM + "-_", 20),
        ["url = https://oauth2:{v}@gitlab.com/kbs/dock-firmware.git"],
    ),
    ("github-token", draw.gh_token, ["//npm.pkg.github.com/:_authToken={v}"]),
    ("azure-key", draw.az_client_secret, ["AZURE_CLIENT_SECRET={v}  # depot Intune enrolment"]),
    ("slack-webhook", draw.slack_hook, ['"slack_url": "{v}"']),
    (
        "aws-key",
        draw.aws_secret,
        ["$ aws iot describe-endpoint --endpoint-type iot:Data-ATS  # with AWS_SECRET_ACCESS_KEY={v}"],
    ),
    (
        "password-assignment",
        password,
        [
            "$ redis-cli -h 10.90.2.12 -p 6380 --tls --user rebalancer --pass '{v}' PING",
            "| depot router | fw-depot-1 | root | {v} |",
            'Director {\n  Name = kbs-dir\n  Password = "{v}"\n}',
            "the ESP32 dock firmware fell back to its setup AP, whose password is {v}",
            VRP + "snmp-agent usm-user v3 kbs-mon authentication-mode sha {v}",
            "<password>{v}</password>  <!-- OPNsense openvpn client auth, plain -->",
            "$ mongodump --uri mongodb://10.90.2.40:27017 -u backup -p '{v}' --out /srv/dump",
            RUT + "uci set rms_mqtt.rms_connect_mqtt.password='{v}'",
            "$ restic -r sftp:pbs-1:/srv/restic snapshots  # RESTIC_PASSWORD={v}",
            "signing.password={v}\nsigning.keyId=4F2A91C3",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [ZU + "the BGP key in the pasted config is {v} and it decodes offline, rotate it"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        ["METABASE_DB_URL=postgresql://metabase:{v}@10.90.2.15:5432/metabase"],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"iot_private_key": "{v}"']),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://dock-api.kbs.internal/v1/docks/0417/unlock"],
    ),
    ("jwt", rider_jwt, ["localStorage.kbs_session = '{v}'"]),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    ("generic-api-key", alnum(32), [HS + "TomTom key was in the van app's config: {v}"]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            CLAIMS + "KBS-C-0412,Tamsin Penhaligon,{v},,,,",
            HS + "rider asks for the receipt to go to {v} instead",
            "{ts} INFO rider-app password-reset link sent to {v}",
            "INSERT INTO riders (name, email) VALUES ('Cormac Ashdown', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            CLAIMS + "KBS-C-0413,Grainne Mcilwraith,,{v},,,",
            HS + "rider called from {v}: bike stuck in the dock at {dock}",
            "{ts} INFO telemetry-ingest sms unlock-code to={v}",
            "| Bartholomew Tresidder | van driver | {v} |",
            'emergency_contact:\n  name: Ysolde Vandersteen\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            CLAIMS + "KBS-C-0414,Perpetua Okonkwo-Reid,,,{v},,",
            HS + "rider typed the full card {v} into the damage form",
            "{ts} WARN ride-billing retry pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} fw-depot-1 filterlog block in on igb0 src={v} dst=10.90.0.1 proto=tcp dport=443",
            "{ts} WARN dock-api 40 failed unlocks for rider 88213 from {v}",
            '{"event":"unlock","dock":"0417","client_ip":"{v}"}',
            "sshd[2291]: Failed password for root from {v} port 51844 ssh2",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [03/Mar/2027:07:58:11 +0000] "POST /v1/unlock HTTP/2.0" 429', "peer_addr={v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [CLAIMS + "KBS-C-0415,Ludmila Ashdown,,,,{v},"]),
    ("iban", lambda: iban_of("IE", "AIBK" + rs(DIG, 14)), [HS + "refund the deposit to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [CLAIMS + "KBS-C-0416,Cormac Tresidder,,,,,{v}"]),
    ("national-id", ssn, ["| Oluwaseun Vandersteen | visiting researcher, annual pass | SSN {v} |"]),
    (
        "iban",
        lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)),
        ['{"payee":"Ysolde Penhaligon","iban":"{v}","ref":"crash refund"}'],
    ),
    ("email", email, ["Author: Eluned Mcilwraith <{v}>\nDate:   Tue Mar 2 07:41:02 2027 +0000"]),
    ("email", email, ["To: claims@wrong-insurer.example\nCc: {v}\nSubject: damaged bikes, February"]),
    ("phone", phone, [ZU + "the Canal Basin shop owner's mobile is {v}"]),
    ("credit-card", card, ["rides=# SELECT pan FROM kiosk_fallback WHERE id = 12;\n pan\n-----\n {v}"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}"]),
    ("phone", phone, ["BEGIN:VCARD\nFN:Perpetua Ashdown\nTEL;TYPE=cell:{v}\nEND:VCARD"]),
    ("ipv6", public_v6, ["{ts} WARN fleet-gw MQTT connect from {v} rejected"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "dock-firmware 2.8.1 (build {v})",
            "BITRISE_GIT_COMMIT={v}",
            "revert {v}: dock LED timing",
        ],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["fix {v} unlock retry storm", "registry.kbs.internal/dock-api:{v}"]),
    (
        "uuid",
        uuid4,
        [
            "ThingsBoard device id {v}",
            "{ts} INFO dock-api request_id={v} 200",
            "| {v} | Station Square dock 12 |",
            "X-Request-ID: {v}",
            "Bitrise build {v} succeeded",
        ],
    ),
    (
        "uuid",
        uuid4,
        ["Meilisearch key uid {v}", "Paddle transaction txn {v} completed", "Loggly saved search {v}"],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM registry.kbs.internal/fleet-gw@{v}", "kopia snapshot manifest {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  dock-fw-2.8.1.bin", "AWS IoT certificateId {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "apk signing cert SHA-1 {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "md5 of the claims CSV {v}"]),
    (
        "hash-or-digest",
        huawei_hash,
        [
            VRP
            + "display current-configuration | include local-user\n local-user netops password irreversible-cipher {v}"
        ],
    ),
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2y$10$"),
        ["<user><name>root</name><password>{v}</password></user>"],
    ),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("hash-or-digest", draw.sha512_crypt, ["root:{v}:19800:0:99999:7:::"]),
    (
        "trace-id",
        hex_n(32),
        ["traceparent: 00-{v}-" + "5c1e90d2b8a7f431-01", "trace_id={v} span=unlock.validate"],
    ),
    ("trace-id", hex_n(16), ["x-b3-spanid: {v}"]),
    ("trace-id", lambda: "Root=1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iot:eu-west-2:{rs(DIG, 12)}:thing/dock-0417",
        ["thing {v} shadow rejected"],
    ),
    (
        "cloud-resource-id",
        lambda: "rides.c1x2kq7.eu-west-2.redshift.amazonaws.com",
        ["Redshift endpoint {v} paused overnight"],
    ),
    ("cloud-resource-id", lambda: "pg-kbs-rides-kestrelford.aivencloud.com", ["Aiven service host {v}"]),
    ("cloud-resource-id", lambda: "libsql://rides-kbs.turso.io", ["TURSO_DATABASE_URL={v}"]),
    ("cloud-resource-id", lambda: "logs5.papertrailapp.com:41234", ["*.* @{v}"]),
    (
        "placeholder",
        lambda: "<device-access-token>",
        ["curl -X POST http://tb-1.kbs.internal:8080/api/v1/{v}/telemetry"],
    ),
    ("placeholder", lambda: "YOUR_API_KEY", ["PADDLE_API_KEY={v}"]),
    (
        "placeholder",
        lambda: "changeme",
        ["the RUT955 shipped with {v} on the LuCI login and nobody rotated it"],
    ),
    ("placeholder", lambda: "********", ["KOPIA_PASSWORD={v}"]),
    ("placeholder", lambda: "klarna_live_api_xxxxxxxxxxxxxxxxxxxxxxxx", ["KLARNA_API_KEY={v}"]),
    ("placeholder", lambda: "<transaction-key>", ["<transactionKey>{v}</transactionKey>"]),
    (
        "placeholder",
        lambda: "00000000000000000000000000000000",
        ['"appKey": "{v}",  # template, set per dock'],
    ),
    (
        "placeholder",
        lambda: "$PAPERTRAIL_TOKEN",
        ['curl -H "X-Papertrail-Token: {v}" https://papertrailapp.com/api/v1/systems.json'],
    ),
    ("templated-value", lambda: "${{ secrets.APPCENTER_API_TOKEN }}", ["APPCENTER_API_TOKEN: {v}"]),
    ("templated-value", lambda: "$BITRISEIO_ANDROID_KEYSTORE_PASSWORD", ["- KEYSTORE_PASSWORD: {v}"]),
    ("templated-value", lambda: "{{ vault_opnsense_secret }}", ['opn_api_secret: "{v}"']),
    ("templated-value", lambda: "$(params.kopia-password)", ["KOPIA_PASSWORD={v}"]),
    ("templated-value", lambda: "Encrypted(CM_KEYSTORE_PASSWORD)", ["keystore_password: {v}"]),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(SecretUri=https://kbs-kv.vault.azure.net/secrets/telnyx/)",
        ["TELNYX_API_KEY={v}"],
    ),
    ("templated-value", lambda: '${file("../secrets/meili.txt")}', ["master_key = {v}"]),
    ("masked-value", lambda: "***", ["[Bitrise] KEYSTORE_PASSWORD={v}"]),
    ("masked-value", lambda: "KEY01" + "*" * 20, ["Telnyx portal lists key {v}"]),
    ("masked-value", lambda: "[REDACTED]", ['{"event":"opnsense_login","password":"{v}"}']),
    ("masked-value", lambda: "XXXX XXXX XXXX " + rs(DIG, 4), ["Authorize.net receipt card {v}"]),
    ("masked-value", lambda: "pdl_live_apikey_…" + rs(ALNUM, 4), ["Paddle key {v} revoked in PM-5"]),
    ("keyword-no-value", lambda: "transactionKey", ["PM-5: the Authorize.net {v} moved to Key Vault"]),
    (
        "keyword-no-value",
        lambda: "access token",
        ["PM-3: each dock's ThingsBoard {v} was on the provisioning sheet"],
    ),
    (
        "keyword-no-value",
        lambda: "repo1-cipher-pass",
        ["RB-9: {v} lives in /etc/pgbackrest/conf.d, root-only"],
    ),
    (
        "keyword-no-value",
        lambda: "authentication-key",
        ["rotate the BGP {v} with the transit provider first"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["dock cabinet switch {v}", "ThingsBoard node at {v}", "{ts} fw-depot-1 NAT {v} -> wan"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example BGP peer {v} in RB-2"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["RUT955 mobile WAN {v} (carrier NAT)"],
    ),
    ("example-email", lambda: "fleet@kestrelford-bikes.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "rider@example.com", ["Klarna playground shopper {v}"]),
    ("example-email", lambda: "builds@kestrelford-bikes.example", ["Codemagic notifies {v}"]),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["repo1-s3-key={v}  # pgBackRest docs example"]),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["the jwt.io sample {v} in the ThingsBoard README"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["repo1-s3-key-secret={v}  # copied from the docs"],
    ),
    (
        "version-or-date",
        lambda: f"2.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["dock-firmware {v} rolled to 40 docks", "rider-app {v} in review"],
    ),
    ("version-or-date", lambda: "RUT9_R_00.07.06." + str(rng.randint(1, 9)), ["RUT955 firmware {v}"]),
    ("version-or-date", lambda: "V200R019C10SPC500", ["kbs-core-1 runs VRP {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["bitrise", "ci"], "ci-mac-2"),
        ["deploy key (public) on dock-firmware:\n{v}"],
    ),
    ("public-key-or-cert", draw.cert_pem, ["dock-0417-certificate.pem.crt\n{v}"]),
    ("public-key-or-cert", lambda: nkey("U"), ["NATS user public key {v}"]),
    (
        "public-key-or-cert",
        lambda: "klarna_live_client_" + rs(B64URL, 48),
        ["Klarna.Payments.init({ client_id: '{v}' })  // client identifier, public"],
    ),
    (
        "public-key-or-cert",
        lambda: "live_" + rs(HEX, 27),
        ["Paddle.Initialize({ token: '{v}' });  // client-side token"],
    ),
    (
        "public-key-or-cert",
        lambda: "ewr1-" + rs(ALNUM, 22),
        ["recurly.configure('{v}');  // Recurly public key"],
    ),
    (
        "public-key-or-cert",
        lambda: "phc_" + rs(ALNUM, 43),
        ["posthog.init('{v}', { api_host: 'https://eu.posthog.com' })"],
    ),
    ("ids-and-numbers", lambda: "KB-" + rs(DIG, 4), ["bike {v} reported stolen", "bike {v} back in service"]),
    ("ids-and-numbers", lambda: rs("0123456789ABCDEF", 16), ["DevEUI {v}", "JoinEUI {v}"]),
    ("ids-and-numbers", lambda: "8944" + rs(DIG, 15), ["SIM ICCID {v} suspended"]),
    ("ids-and-numbers", lambda: rs(DIG, 10), ["Teltonika serial {v}", "RMS device {v} offline"]),
    ("ids-and-numbers", lambda: "sub_" + rs(LOW + DIG, 16), ["Chargebee subscription {v} paused"]),
    ("ids-and-numbers", lambda: rs(HEX, 16), ["Bitrise app slug {v}"]),
    ("luhn-fail-number", luhn_bad, ["dock RFID tag {v} read twice", "insurer policy {v}"]),
    ("documented-test-card", lambda: "4111111111111111", ["Authorize.net sandbox charge with {v} approved"]),
    ("base64-nonsecret", lambda: b64(b'{"dock":"0417","slots":12}'), ["X-KBS-Dock: {v}"]),
    ("base64-nonsecret", lambda: b64(b"telemetry-ingest"), ["labels:\n  app.b64: {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["telnyx_api_key: {v}"]),
    ("encrypted-value", lambda: draw.sealed(240), ["spec:\n  encryptedData:\n    PGPASSWORD: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["ansible_become_password: !vault |\n  {v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merge branch 'pm-3-unlock-retries' into main ({v})"]),
    ("uuid", uuid4, ["Axiom dataset {v}", "Proxmox Backup Server fingerprint check for job {v}"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["ED25519 key fingerprint is {v}."]),
    (
        "hash-or-digest",
        lambda: "$6$" + rs(CRYPT, 16) + "$" + rs(CRYPT, 86),
        ['set system root-authentication encrypted-password "{v}"'],
    ),
    ("trace-id", hex_n(32), ["Raygun error group {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/kopia-backup", ["kopia assumes {v}"]),
    ("cloud-resource-id", lambda: "kbs-telemetry.servicebus.windows.net", ["Event Hubs namespace {v}"]),
    ("placeholder", lambda: "<TELNYX_API_KEY>", ["Authorization: Bearer {v}"]),
    ("placeholder", lambda: "live_...", ['chargebee.configure(site="kestrelford", api_key="{v}")']),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: rides-db\n            key: PGPASSWORD"],
    ),
    ("templated-value", lambda: "{{ .Values.logzio.token }}", ["LOGZIO_TOKEN: {v}"]),
    ("masked-value", lambda: "phx_…" + rs(ALNUM, 4), ["PostHog key {v} rotated"]),
    ("keyword-no-value", lambda: "MEILI_MASTER_KEY", ["ADR-4: {v} is injected from Key Vault at start-up"]),
    ("keyword-no-value", lambda: "irreversible-cipher", ["VRP shows {v} hashes, never the password itself"]),
    ("private-or-reserved-ip", lambda: f"fd00:90::{rng.randint(1, 99)}", ["depot VLAN ULA {v}"]),
    ("version-or-date", lambda: "ESP-IDF v5.2.1", ["dock controller built with {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the commute timeline"]),
    ("ids-and-numbers", lambda: "dock17@kbs-fleet", ["uart:~$ settings set golioth/psk-id {v}"]),
    ("luhn-fail-number", luhn_bad, ["e-bike battery serial {v}"]),
    ("base64-nonsecret", lambda: b64(b"fleet-gw:healthy"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " bitrise@ci-mac-2",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", lambda: b64(draw.rbytes(32)), ["Telnyx webhook public key {v}"]),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = vpn.kestrelford-bikes.example:51820"],
    ),
    ("example-email", lambda: "noreply@mail.kestrelford-bikes.example", ["From: {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAI44QH8DHBEXAMPLE",
        ["kopia docs' second AWS example key {v} in RB-9"],
    ),
    ("encrypted-value", lambda: "AQICAHh" + b64(draw.rbytes(110)), ["KMS CiphertextBlob: {v}"]),
    (
        "encrypted-value",
        lambda: (
            "-----BEGIN AGE ENCRYPTED FILE-----\n"
            + b64(draw.rbytes(48))
            + "\n-----END AGE ENCRYPTED FILE-----"
        ),
        ["claims-export.csv.age:\n{v}"],
    ),
    ("documented-test-card", lambda: "5555 5555 5555 4444", ["Klarna playground card {v}"]),
    ("luhn-fail-number", luhn_bad, ["annual pass card {v} invalid"]),
    ("version-or-date", lambda: "OPNsense 24.7.4", ["fw-depot-1 upgraded to {v}"]),
    ("ids-and-numbers", lambda: "ORD-" + rs(DIG, 8), ["Klarna order {v} captured"]),
    ("hash-or-digest", hex_n(64), ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 48210"]),
    ("uuid", uuid4, ["Telnyx message id {v}"]),
    ("cloud-resource-id", hex_n(24), ["Codemagic app id {v}"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe key {v} rolled"]),
    ("templated-value", lambda: "var.tomtom_key", ['module "routing" {\n  api_key = {v}\n}']),
    ("keyword-no-value", lambda: "X-Papertrail-Token", ["ADR-4: {v} belongs to the ops user, not a bot"]),
    ("ids-and-numbers", lambda: "K501234_f3a9b2c1d4e5", ["Klarna API username {v} (merchant id)"]),
    ("private-or-reserved-ip", lambda: "169.254.169.254", ["curl http://{v}/latest/meta-data/instance-id"]),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["Stripe docs key {v} in the kiosk README"],
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
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|klarna_live_api_[\w-]{10}|pdl_live_apikey_01|KEY01[0-9A-F]{20}"
    r"|phx_[A-Za-z0-9]{10}|xaat-|dckr_pat_|npm_[A-Za-z0-9]{30}|st\.[0-9a-f]{8}-|1//0[\w-]{20}|SU[A-Z2-7]{50}"
    r"|logs-01\.loggly\.com/inputs/[0-9a-f]{8}|hereapi\.com/.*apiKey=[\w-]{20}|key=[A-Za-z0-9]{32}|5b3ce3597851110001cf6248[0-9a-f]"
    r"|cronitor\.link/p/[0-9a-f]{8}|chat\.googleapis\.com/v1/spaces|/hooks/[a-z0-9]{26}|\$9\$[A-Za-z0-9./-]{20}(?!\$)"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|SharedAccessKey=[A-Za-z0-9+/]{20}"
    r"|(?:password|secret|key|key-string) [07] [0-9A-Fa-f]{6}|access_token=[0-9a-f]{10}|api/v1/[A-Za-z0-9]{20}/telemetry"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|(?i:Bearer) [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psk|privatekey|pass-phrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?(?!irreversible-cipher )[A-Za-z0-9+/_.][A-Za-z0-9+/_.-]{11,}"
)

OK_MAIL_52 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_52,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t52", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
