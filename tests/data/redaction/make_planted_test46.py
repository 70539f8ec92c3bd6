# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test46.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test46.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270146)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a performing-arts venue with its own box office, livestreams and donor
programme, Thornquay Opera House (TOH): PM-4 the opening-night box-office outage (ticketing API,
Postgres, Redis, RabbitMQ, Square terminals, Cloudflare), PM-6 the livestream key leak (Mux, Vimeo,
RTMP stream keys, OBS, Wowza, AWS MediaLive), PM-9 the donor-CRM phishing (Salesforce, Postmark,
Zendesk, DocuSign), RB-3 the stage and lighting network (Cisco IOS, FortiGate, WireGuard, SNMPv3,
iDRAC, IPMI), RB-7 secret rotation (HashiCorp Vault, Doppler, 1Password Connect, Consul), ADR-11 the
website on Fly.io and PlanetScale (Pulumi, DigitalOcean Spaces, Linode, Shopify merch shop), ADR-14
observability (New Relic, Datadog, Sentry, PagerDuty, Opsgenie, Grafana) and PM-12 a subscribers
export mailed to a touring company (cards, IBANs, phones). Common shapes come first in each kind
(``t46p…``/``t46n…``).
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
    S,
    b64,
    b64url,
    encode_jwt,
    expand_table,
    iban_of,
    luhn_ok,
    pem_block_ok,
    sanity,
    ssn_or_nino_ok,
    write_fold,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test46.jsonl"
FOLD = "test46"
rng = Random(20270146)
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
    "libretto",
    "aria",
    "overture",
    "proscenium",
    "cadenza",
    "tessitura",
    "fermata",
    "recitative",
    "coloratura",
    "bel-canto",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["boxoffice-api", "surtitles", "donor-sync", "stream-relay", "merch-shop"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def ticketing_jwt() -> str:
    body = {
        "iss": "https://auth.thornquay.example",
        "aud": "boxoffice-api",
        "sub": "till-" + rs(DIG, 3),
        "venue": rng.choice(["MAIN", "STUDIO", "FOYER"]),
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "ES256", "typ": "JWT", "kid": rs(HEX, 8)}, body, rs(B64URL, 86))


def mux_jwt() -> str:
    body = {
        "sub": rs(B64URL, 24),
        "aud": "v",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
        "kid": rs(B64URL, 24),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT"}, body, rs(B64URL, 342))


def vault_token() -> str:
    return "hvs." + rs(ALNUM + "-_", 24) if rng.random() < 0.4 else "hvs.CAESI" + rs(B64URL, 82)


def vault_batch() -> str:
    return "hvb.AAAAAQ" + rs(B64URL, 120)


def doppler_token() -> str:
    return "dp.st." + rng.choice(["prd", "stg", "dev"]) + "." + rs(ALNUM, 43)


def doppler_sa() -> str:
    return "dp.sa." + rs(ALNUM, 43)


def op_connect_jwt() -> str:
    body = {
        "aud": ["com.1password.connect"],
        "iss": "com.1password.b5",
        "sub": rs(UP + DIG, 26),
        "tokenType": "connect",
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "ES256", "kid": rs(LOW + DIG, 26), "typ": "JWT"}, body, rs(B64URL, 86))


def op_service_account() -> str:
    inner = {
        "signInAddress": "thornquay.1password.eu",
        "userAuth": {
            "method": "SRPg-4096",
            "alg": "PBES2g-HS256",
            "iterations": 650000,
            "salt": rs(B64URL, 22),
        },
        "email": rs(LOW, 13) + "@1passwordserviceaccounts.eu",
        "srpX": rs(HEX, 64),
        "muk": {
            "alg": "A256GCM",
            "ext": True,
            "k": rs(B64URL, 43),
            "key_ops": ["encrypt", "decrypt"],
            "kty": "oct",
            "kid": "mp",
        },
        "secretKey": "A3-"
        + rs(UP + DIG, 6)
        + "-"
        + rs(UP + DIG, 11)
        + "-"
        + rs(UP + DIG, 5)
        + "-"
        + rs(UP + DIG, 5)
        + "-"
        + rs(UP + DIG, 5),
        "throttleSecret": {"seed": rs(HEX, 64), "uuid": rs(UP + DIG, 26)},
        "deviceUuid": rs(LOW + DIG, 26),
    }
    return "ops_" + b64url(json.dumps(inner, separators=(",", ":")).encode())


def consul_gossip() -> str:
    return b64(draw.rbytes(32))


def erlang_cookie() -> str:
    return rs(UP, 20)


def k8s_bootstrap() -> str:
    return rs(LOW + DIG, 6) + "." + rs(LOW + DIG, 16)


def mux_secret() -> str:
    return rs(B64, 75)


def rtmp_key_youtube() -> str:
    return "-".join(rs(LOW + DIG, 4) for _ in range(5))


def twitch_stream_key() -> str:
    return "live_" + rs(DIG, 9) + "_" + rs(ALNUM, 30)


def vimeo_token() -> str:
    return rs(HEX, 32)


def cisco_type7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs("0123456789ABCDEF", rng.choice([16, 20, 24]))


def fortigate_key() -> str:
    return rs(LOW + UP + DIG, 30)


def wg_key() -> str:
    return draw.wireguard_key()


def newrelic_user_key() -> str:
    return "NRAK-" + rs(UP + DIG, 27)


def newrelic_license() -> str:
    return rs(HEX, 36) + "NRAL"


def newrelic_insert() -> str:
    return "NRII-" + rs(B64URL, 32)


def sentry_org_token() -> str:
    inner = {
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
        "url": "https://sentry.io",
        "region_url": "https://de.sentry.io",
        "org": "thornquay",
    }
    return "sntrys_" + b64(json.dumps(inner, separators=(",", ":")).encode()).rstrip("=") + "_" + rs(B64, 43)


def sentry_user_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def grafana_sa() -> str:
    return "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8)


def pd_token() -> str:
    return rs(ALNUM + "+_-", 20)


def postmark_token() -> str:
    return uuid4()


def square_token() -> str:
    return "EAAA" + rs(B64URL, 60)


def square_secret() -> str:
    return "sq0csp-" + rs(B64URL, 43)


def shopify_token() -> str:
    return rng.choice(["shpat_", "shpca_", "shppa_"]) + rs(HEX, 32)


def shopify_secret() -> str:
    return "shpss_" + rs(HEX, 32)


def planetscale_pw() -> str:
    return "pscale_pw_" + rs(B64URL, 43)


def planetscale_token() -> str:
    return "pscale_tkn_" + rs(B64URL, 43)


def fly_token() -> str:
    return "FlyV1 fm2_" + rs(B64, 180) + "==,fm2_" + rs(B64, 120) + "="


def fly_org_token() -> str:
    return "fo1_" + rs(B64URL, 43)


def do_token() -> str:
    return rng.choice(["dop_v1_", "doo_v1_"]) + rs(HEX, 64)


def do_spaces_secret() -> str:
    return rs(B64, 43)


def linode_token() -> str:
    return rs(HEX, 64)


def pulumi_token() -> str:
    return "pul-" + rs(HEX, 40)


def cf_origin_ca() -> str:
    return "v1.0-" + rs(HEX, 24) + "-" + rs(HEX, 146)


def cf_global_key() -> str:
    return rs(HEX, 37)


def cf_api_token() -> str:
    return rs(B64URL, 40)


def zendesk_token() -> str:
    return rs(ALNUM, 40)


def salesforce_token() -> str:
    return "00D" + rs(ALNUM, 12) + "!" + rs(ALNUM + "._", 96)


def salesforce_consumer_secret() -> str:
    return rs("0123456789ABCDEF", 64)


def docusign_key() -> str:
    return draw.pem_private_key("rsa")


def fcm_server_key() -> str:
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def mapbox_secret() -> str:
    head = b64url(json.dumps({"u": "thornquay", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "sk." + head + "." + rs(B64URL, 22)


def mapbox_public() -> str:
    head = b64url(json.dumps({"u": "thornquay", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "pk." + head + "." + rs(B64URL, 22)


def postman_key() -> str:
    return "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34)


def linear_key() -> str:
    return "lin_api_" + rs(ALNUM, 40)


def airtable_pat() -> str:
    return "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64)


def ipmi_pw() -> str:
    return rs(ALNUM, 16)


def kubeadm_cert_key() -> str:
    return rs(HEX, 64)


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def vault_transit() -> str:
    return "vault:v1:" + b64(draw.rbytes(44))


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSy{rs(B64URL, 33)}&token={rs(B64URL, 43)}"


def mattermost_hook() -> str:
    return f"https://chat.toh.internal/hooks/{rs(LOW + DIG, 26)}"


def zapier_hook() -> str:
    return f"https://hooks.zapier.com/hooks/catch/{rs(DIG, 7)}/{rs(LOW + DIG, 6)}/"


def pd_routing_key() -> str:
    return rs(HEX, 32)


def digits_not_luhn(first: str, n: int) -> str:
    """``n`` digits starting with ``first`` that fail the Luhn check (so no card rule may take them)."""
    while True:
        v = first + rs(DIG, n - len(first))
        if not luhn_ok(v):
            return v


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = [
    "philippa",
    "benedikt",
    "marguerite",
    "ottoline",
    "casimir",
    "leocadia",
    "hieronymus",
    "serafina",
    "ambrose",
]
LAST = ["bramblewood", "fairweather", "pennycook", "ravenscroft", "tolliver", "winterbourne", "ashgrove"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "btinternet.com",
    "gmx.net",
    "orange.fr",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["boxoffice-api", "seatmap", "donor-sync", "surtitles", "stream-relay", "merch-shop", "door-scan"]
STAFF = ["imogen", "rafferty", "solveig", "kwabena", "ludmila", "tancredi", "hester", "oisin"]
HOSTS = ["bo-api-1", "pg-tickets-2", "rabbit-1", "redis-seat-1", "wowza-1", "vault-2", "fgt-stage-1"]
VENUES = ["Main House", "Linbury Studio", "Foyer Bar", "Rehearsal Room B", "Scenery Dock"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "venue": lambda: rng.choice(VENUES),
    "tkt": lambda: str(rng.randint(1_000, 9_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "h64": lambda: rs(HEX, 64),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #toh-incident | {who}: "
CHAT = "[{t}] {who}: "
ZD = "Zendesk #{tkt} internal note ({who}): "
HIST = " {num}  "
GHA = "      - name: Deploy\n        env:\n"
SYSLOG = "{ts} {host} {svc}[{num}]: "
PYTRACE = 'Traceback (most recent call last):\n  File "/srv/boxoffice/app/payments.py", line 88, in charge\n    resp = square.payments.create(body)\nsquare.exceptions.ApiError: 401 UNAUTHORIZED\n'
GOPANIC = "panic: stream-relay: publish failed: 403 Forbidden\n\ngoroutine 1 [running]:\nmain.publish(...)\n\t/src/stream-relay/main.go:142 +0x1f4\n"
IOS = "stage-core-1#show running-config | section "
EXPORT = "subscriber_id,name,email,phone,card,refund_iban,last_ip\n"
DOPPLER = "$ doppler secrets --project boxoffice --config prd --raw\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ AWS_ACCESS_KEY_ID={v} aws medialive start-channel --channel-id 4417302",
            "[profile medialive]\naws_access_key_id = {v}\nregion = eu-west-1",
            GHA + "          AWS_ACCESS_KEY_ID: {v}",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[profile medialive]\naws_secret_access_key = {v}",
            '$Env:AWS_SECRET_ACCESS_KEY = "{v}"',
            "docker run -e AWS_SECRET_ACCESS_KEY={v} -e AWS_REGION=eu-west-1 toh/archive-sync:2.3",
        ],
    ),
    ("azure-key", draw.az_client_secret, ["AZURE_CLIENT_SECRET={v}  # surtitles translation app"]),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=tohrecordings;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        ['<script src="https://maps.googleapis.com/maps/api/js?key={v}&callback=initVenueMap"></script>'],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"toh-analytics","private_key_id":"{h40}","private_key":"{v}","client_email":"looker-export@toh-analytics.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ export GITHUB_TOKEN={v}\n$ gh workflow run deploy-site.yml -R thornquay/website",
            "//npm.pkg.github.com/:_authToken={v}",
            "- uses: actions/checkout@v4\n  with:\n    token: {v}",
        ],
    ),
    ("gitlab-token", draw.gl_token, ["PRIVATE-TOKEN: {v}"]),
    ("slack-token", draw.slack_token, ['SLACK_BOT_TOKEN = "{v}"  # fly secrets import']),
    ("slack-webhook", draw.slack_hook, ["  slack_api_url: '{v}'"]),
    ("stripe-key", draw.stripe_key, ["STRIPE_SECRET_KEY={v}  # donations page"]),
    (
        "stripe-key",
        draw.stripe_whsec,
        ["stripe listen --forward-to localhost:4000/webhooks  # Ready! Your webhook signing secret is {v}"],
    ),
    (
        "jwt",
        ticketing_jwt,
        [
            "GET /v2/performances/4471/seats HTTP/2\nhost: tickets.thornquay.example\nauthorization: Bearer {v}",
            "BOXOFFICE_TILL_JWT={v}",
        ],
    ),
    ("jwt", mux_jwt, ["https://stream.mux.com/{uuid}.m3u8?token={v}"]),
    (
        "jwt",
        op_connect_jwt,
        [
            "OP_CONNECT_TOKEN={v}",
            '$ curl -H "Authorization: Bearer {v}" http://op-connect.toh.internal:8080/v1/vaults',
        ],
    ),
    (
        "private-key",
        draw.pk("rsa"),
        ["# DocuSign JWT-grant key for donor-sync (pasted in PM-9 by mistake)\n{v}"],
    ),
    ("private-key", draw.pk("ec", "      "), ["    tls:\n      key: |\n      {v}"]),
    ("private-key", draw.pk("ssh"), ["$ cat ~/.ssh/id_ed25519_wowza\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "DATABASE_URL=postgres://tickets:{v}@pg-tickets-2.toh.internal:5432/tickets?sslmode=require",
            "amqp://boxoffice:{v}@rabbit-1.toh.internal:5672/seatholds",
            "rediss://default:{v}@redis-seat-1.toh.internal:6380/0",
            "mysql://bo_web:{v}@aws.connect.psdb.cloud/website?sslaccept=strict",
            "rtmp://publish:{v}@wowza-1.toh.internal:1935/live/main-house",
            '$ mongosh "mongodb://surtitles:{v}@{pip}:27017/surtitles?authSource=admin"',
            "pip config set global.index-url https://ci:{v}@pypi.toh.internal/simple/",
        ],
    ),
    (
        "password-in-url",
        planetscale_pw,
        ["DATABASE_URL='mysql://8k2v0wq1r7pz:{v}@aws.connect.psdb.cloud/toh-website?sslaccept=strict'"],
    ),
    (
        "password-assignment",
        password,
        [
            '[database]\ntype = postgres\nhost = {pip}:5432\nuser = grafana\npassword = "{v}"',
            "$ docker run -d -e POSTGRES_PASSWORD='{v}' -p 5432:5432 postgres:16",
            "$ kubectl -n boxoffice create secret generic pg-tickets --from-literal=password='{v}'",
            "$ helm upgrade --install rabbit bitnami/rabbitmq --set auth.password='{v}'",
            "ALTER ROLE boxoffice WITH LOGIN PASSWORD '{v}';",
            "spring.datasource.password={v}",
            '  <add name="Donors" connectionString="Data Source={pip};Initial Catalog=donors;User ID=donor_sync;Password={v}" />',
            "$ sshpass -p '{v}' ssh lx@lighting-desk.toh.internal",
            "$ mysqladmin -u root password '{v}'",
            "requirepass {v}",
            '  admin_password = "{v}"',
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            IOS + "snmp\nsnmp-server user nms-ro NMS v3 auth sha {v}",
            "crypto isakmp key {v} address 203.0.113.17",
            " neighbor 10.90.0.2 password {v}",
            "$ ipmitool -I lanplus -H 10.90.4.21 -U ADMIN -P {v} chassis power cycle",
            "$ racadm -r 10.90.4.22 -u root -p {v} serveraction hardreset",
            'config system admin\n    edit "stage-ops"\n        set password {v}\n    next\nend',
            "wpa_passphrase={v}",
            "$ rabbitmqctl change_password boxoffice {v}",
            "machine pypi.toh.internal\nlogin ci\npassword {v}",
        ],
    ),
    (
        "password-assignment",
        cisco_type7,
        [
            IOS + "username\nusername stage-admin privilege 15 password 7 {v}",
            "line vty 0 4\n password 7 {v}\n login",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        ["Authorization: Basic {v}", 'http-request set-header Authorization "Basic {v}"'],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -su surtitles:{v} https://surtitles.toh.internal/api/cue/next",
            "$ wget --user=archive --password={v} https://archive.toh.internal/2026/tosca.mxf",
        ],
    ),
    ("bearer-token", opaque(48), ["Authorization: Bearer {v}"]),
    ("vendor-token", vault_token, ["$ export VAULT_TOKEN={v}", "X-Vault-Token: {v}", "$ vault login {v}"]),
    ("vendor-token", vault_batch, ["VAULT_TOKEN={v}"]),
    (
        "vendor-token",
        doppler_token,
        ["DOPPLER_TOKEN={v}", "$ doppler configure set token {v} --scope /srv/boxoffice"],
    ),
    ("vendor-token", doppler_sa, ["$ doppler login --token {v}"]),
    ("vendor-token", op_service_account, ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    ("vendor-token", newrelic_user_key, ["NEW_RELIC_API_KEY={v}", "API-Key: {v}"]),
    ("vendor-token", newrelic_license, ["license_key: {v}", "NEW_RELIC_LICENSE_KEY={v}"]),
    ("vendor-token", newrelic_insert, ["X-Insert-Key: {v}"]),
    ("vendor-token", hex_n(32), ["DD_API_KEY={v}", "DD-API-KEY: {v}"]),
    ("vendor-token", hex_n(40), ["DD_APP_KEY={v}"]),
    ("vendor-token", sentry_org_token, ["SENTRY_AUTH_TOKEN={v}"]),
    ("vendor-token", sentry_user_token, ["$ sentry-cli --auth-token {v} releases new 2026.10.3"]),
    ("vendor-token", grafana_sa, ["GRAFANA_SA_TOKEN={v}"]),
    ("vendor-token", pd_token, ["Authorization: Token token={v}"]),
    ("vendor-token", pd_routing_key, ["  pagerduty_configs:\n    - routing_key: {v}"]),
    ("vendor-token", uuid4, ["Authorization: GenieKey {v}", "  opsgenie_configs:\n    - api_key: {v}"]),
    ("vendor-token", postmark_token, ["X-Postmark-Server-Token: {v}", "POSTMARK_SERVER_TOKEN={v}"]),
    (
        "vendor-token",
        square_token,
        ["SQUARE_ACCESS_TOKEN={v}", "Square-Version: 2026-07-16\nAuthorization: Bearer {v}"],
    ),
    ("vendor-token", shopify_token, ["X-Shopify-Access-Token: {v}"]),
    (
        "vendor-token",
        planetscale_token,
        ["$ pscale auth login --service-token-id 9w1ck7 --service-token {v}"],
    ),
    ("vendor-token", fly_token, ['FLY_API_TOKEN="{v}"']),
    ("vendor-token", fly_org_token, ["$ flyctl deploy --access-token {v}"]),
    ("vendor-token", do_token, ["$ doctl auth init -t {v}", "DIGITALOCEAN_TOKEN={v}"]),
    ("vendor-token", linode_token, ["LINODE_TOKEN={v}", "[default]\ntoken = {v}\nregion = eu-west"]),
    ("vendor-token", pulumi_token, ["PULUMI_ACCESS_TOKEN={v}"]),
    (
        "vendor-token",
        cf_api_token,
        [
            "CLOUDFLARE_API_TOKEN={v}",
            '$ curl -H "Authorization: Bearer {v}" https://api.cloudflare.com/client/v4/user/tokens/verify',
        ],
    ),
    ("vendor-token", cf_global_key, ["X-Auth-Key: {v}"]),
    ("vendor-token", cf_origin_ca, ["X-Auth-User-Service-Key: {v}"]),
    ("vendor-token", zendesk_token, ["ZENDESK_API_TOKEN={v}"]),
    ("vendor-token", salesforce_token, ["SF_ACCESS_TOKEN='{v}'"]),
    ("vendor-token", vimeo_token, ["VIMEO_ACCESS_TOKEN={v}"]),
    ("vendor-token", fcm_server_key, ["Authorization: key={v}"]),
    ("vendor-token", mapbox_secret, ["MAPBOX_DOWNLOADS_TOKEN={v}"]),
    ("vendor-token", postman_key, ["x-api-key: {v}"]),
    ("vendor-token", linear_key, ["LINEAR_API_KEY={v}"]),
    ("vendor-token", airtable_pat, ["AIRTABLE_TOKEN={v}"]),
    (
        "vendor-token",
        fortigate_key,
        [
            '$ curl -k -H "Authorization: Bearer {v}" https://fgt-stage-1.toh.internal/api/v2/monitor/system/status'
        ],
    ),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    ("generic-api-key", mux_secret, ["MUX_TOKEN_SECRET={v}"]),
    ("generic-api-key", rtmp_key_youtube, ["YOUTUBE_STREAM_KEY={v}", 'stream_key = "{v}"']),
    ("generic-api-key", twitch_stream_key, ["Server: rtmp://live.twitch.tv/app\nStream Key: {v}"]),
    (
        "generic-api-key",
        consul_gossip,
        ['encrypt = "{v}"', "$ consul agent -encrypt={v} -config-dir=/etc/consul.d"],
    ),
    (
        "generic-api-key",
        erlang_cookie,
        ["RABBITMQ_ERLANG_COOKIE={v}", "$ cat /var/lib/rabbitmq/.erlang.cookie\n{v}"],
    ),
    (
        "generic-api-key",
        k8s_bootstrap,
        ["$ kubeadm join 10.90.1.10:6443 --token {v} --discovery-token-ca-cert-hash sha256:{h64}"],
    ),
    (
        "generic-api-key",
        kubeadm_cert_key,
        ["$ kubeadm join 10.90.1.10:6443 --control-plane --certificate-key {v}"],
    ),
    (
        "generic-api-key",
        wg_key,
        ["[Interface]\nPrivateKey = {v}\nAddress = 10.99.0.4/32", "$ wg set wg0 private-key <(echo {v})"],
    ),
    ("generic-api-key", shopify_secret, ["SHOPIFY_API_SECRET={v}"]),
    ("generic-api-key", square_secret, ["SQUARE_APPLICATION_SECRET={v}"]),
    ("generic-api-key", salesforce_consumer_secret, ["sf.consumer.secret={v}"]),
    ("generic-api-key", do_spaces_secret, ["SPACES_SECRET={v}"]),
    ("generic-api-key", lambda: rs(ALNUM, 32), ["bo.session.secret={v}"]),
    ("webhook-url", gchat_hook, ["GCHAT_BOXOFFICE_HOOK={v}"]),
    ("webhook-url", mattermost_hook, ["MATTERMOST_HOOK={v}"]),
    ("webhook-url", zapier_hook, ["DONOR_ZAP_URL={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-tickets\n  namespace: boxoffice\ntype: Opaque\ndata:\n  password: {v}",
            "data:\n  RABBITMQ_PASSWORD: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "2026-10-03 19:12:44,118 botocore.credentials INFO Found credentials in environment variables. key={v}"
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [TL + "MediaLive keys are in the OBS profile, secret {v}, rotate after curtain down"],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            PYTRACE + "  during handling, fallback DSN postgresql://tickets:{v}@{pip}/tickets was tried",
            GOPANIC + "\turl=rtmps://relay:{v}@{pip}:443/live",
            SYSLOG + "AMQP connection lost amqp://seatmap:{v}@{pip}:5672/ (reconnecting)",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "| RB-3 step 4 | FortiGate admin `stage-ops` | {v} | set by Kwabena, in 1Password |",
            CHAT + "lighting desk VNC password is {v} for tonight only",
            'Dim conn As New SqlConnection("Server=donors-db;Database=donors;User Id=sa;Password={v};")',
            'let pool = PgPool::connect_with(PgConnectOptions::new().host("pg-tickets-2").username("seatmap").password("{v}")).await?;',
            'cfg := &amqp.Config{SASL: []amqp.Authentication{&amqp.PlainAuth{Username: "relay", Password: "{v}"}}}',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            ZD + "the donor gave us her portal password ({v}) on the phone, please reset it",
            'props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"analytics\\" password=\\"{v}\\";");',
            "> cmdkey /add:lx-backup.toh.internal /user:TOH\\lx-svc /pass:{v}",
        ],
    ),
    (
        "password-assignment",
        cisco_type7,
        [
            "RB-3 note: the old core switch still has `enable password 7 {v}`; that is reversible, treat it as plain text."
        ],
    ),
    (
        "jwt",
        ticketing_jwt,
        [
            HIST
            + "http POST tickets.thornquay.example/v2/holds seats:='[\"K12\",\"K13\"]' 'Authorization:Bearer {v}'"
        ],
    ),
    ("jwt", op_connect_jwt, [CHAT + "connect token for the staging box: {v}"]),
    (
        "github-token",
        draw.gh_token,
        [
            "remote: Invalid username or token.\nfatal: Authentication failed for 'https://{v}@github.com/thornquay/website.git/'"
        ],
    ),
    ("slack-token", draw.slack_token, [SYSLOG + "slack chat.postMessage failed: invalid_auth (token {v})"]),
    ("stripe-key", draw.stripe_key, [ZD + "the donations plug-in settings page shows {v} to every editor"]),
    ("vendor-token", vault_token, [GOPANIC + "\tvault: token={v} err=permission denied"]),
    ("vendor-token", doppler_token, [DOPPLER + '{"DOPPLER_TOKEN_FALLBACK":"{v}"}']),
    (
        "vendor-token",
        square_token,
        [PYTRACE + "  client = Client(access_token='{v}', environment='production')"],
    ),
    ("vendor-token", hex_n(32), ["{ts} ERROR datadog.dogstatsd: 403 Forbidden for api_key={v}"]),
    ("vendor-token", newrelic_license, ['newrelic.config:\n  <service licenseKey="{v}" />']),
    ("private-key", draw.pk("pkcs8"), [TL + "Wowza TLS key for the relay, from the old VM:\n{v}"]),
    (
        "generic-api-key",
        rtmp_key_youtube,
        ["PM-6: the Tosca stream key {v} was visible on the projector for 40 minutes before it was reset."],
    ),
    ("generic-api-key", mux_secret, ["mux = Mux::Client.new(token_id: 'a1b2c3d4-toh', token_secret: '{v}')"]),
    (
        "generic-api-key",
        wg_key,
        ["PM-6 follow-up: the relay's WireGuard private key {v} was committed to the Ansible repo."],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{pip} - - [03/Oct/2026:19:31:07 +0100] "GET /v2/seats HTTP/1.1" 401 0 "-" "till/4.1" auth="Basic {v}"'
        ],
    ),
    ("bearer-token", opaque(64), ["{ts} WARN seatmap retrying with headers {'Authorization': 'Bearer {v}'}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["$ kubectl -n boxoffice get secret pg-tickets -o jsonpath='{.data.password}'\n{v}"],
    ),
    ("webhook-url", draw.slack_hook, [ZD + "new webhook for #front-of-house: {v}"]),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "S{num},Philippa Bramblewood,{v},,,,",
            ZD + "patron asks us to stop sending the season brochure to {v}",
            "{ts} INFO donor-sync upserted contact email={v} tier=Patron",
            "INSERT INTO subscribers (email, plan) VALUES ('{v}', 'FULL_SEASON');",
            "Reply-To: {v}\nSubject: Re: wheelchair space for La Boheme",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "S{num},Benedikt Fairweather,,{v},,,",
            ZD + "call back on {v} about the refund",
            "{ts} INFO door-scan sms ticket sent to={v}",
            "| Marguerite Pennycook | stage door keyholder | {v} |",
            "understudy_contact:\n  name: Casimir Ravenscroft\n  mobile: '{v}'",
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "S{num},Ottoline Tolliver,,,{v},,",
            ZD + "caller read out {v} to the box office and we wrote it on the callback sheet",
            "{ts} ERROR boxoffice-api square fallback logged card_number={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} sshd[4410]: Invalid user admin from {v} port 51544",
            "{ts} WARN donor-sync 20 failed portal logins for D40219 from {v}",
            EXPORT + "S{num},Leocadia Winterbourne,,,,,{v}",
            '{"evt":"checkout","patron":40219,"client_ip":"{v}"}',
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '{v} - - [03/Oct/2026:19:02:11 +0100] "GET /my-account HTTP/2" 200',
            "cf-connecting-ip: {v}",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "S{num},Serafina Ashgrove,,,,{v},"]),
    (
        "iban",
        lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)),
        [ZD + "touring chorus member wants her fee paid to {v}"],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [ZD + "new dresser's NI number {v} was pasted into the onboarding ticket"]),
    ("national-id", ssn, ["| Hieronymus Pennycook | visiting US conductor | SSN {v} | fee form |"]),
    (
        "iban",
        lambda: iban_of("BE", rs(DIG, 12)),
        ['{"payee":"Ambrose Tolliver","iban":"{v}","memo":"ticket refund"}'],
    ),
    ("email", email, ["From: {v}\nTo: boxoffice@thornquay.example\nSubject: tickets I never bought"]),
    ("phone", phone, ["<patron><name>Ravenscroft</name><tel>{v}</tel></patron>"]),
    (
        "credit-card",
        card,
        ["tickets=> SELECT pan FROM legacy_phone_orders WHERE id = 88;\n pan\n-----\n {v}"],
    ),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.90.2.14\n(donor portal access log, PM-9)"]),
    ("ipv6", public_v6, ["tickets=> SELECT login_ip FROM audit WHERE id = 5120;\n {v}"]),
    ("phone", phone, [CHAT + "Solveig's personal mobile is {v} if the radio fails"]),
    ("email", email, ["Signed-off-by: Ottoline Fairweather <{v}>"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["$ git log -1 --format=%H\n{v}", "website deployed from {v}", "GITHUB_SHA={v}"]),
    ("git-sha", lambda: rs(HEX, 7), ["reverted {v} (seatmap cache)"]),
    (
        "uuid",
        uuid4,
        ["performance_id: {v}", "Opsgenie alert {v} closed", "X-Request-Id: {v}", "Mux asset {v}"],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        ["$ sha256sum vault_1.17.6_linux_amd64.zip\n{v}  vault_1.17.6_linux_amd64.zip", "checksum: {v}"],
    ),
    ("hash-or-digest", lambda: "sha256:" + rs(HEX, 64), ["image: registry.fly.io/toh-website@{v}"]),
    ("hash-or-digest", hex_n(32), ["Content-MD5 of tosca-act2.mxf: {v}"]),
    (
        "hash-or-digest",
        lambda: "$9$" + rs(CRYPT, 14) + "$" + rs(CRYPT, 43),
        [IOS + "username\nusername auditor privilege 1 secret 9 {v}"],
    ),
    (
        "hash-or-digest",
        lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(B64, 22) + "$" + rs(B64, 43),
        ["patrons.password_hash = {v}"],
    ),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-0af7651916cd43dd-01", "trace.id={v}"]),
    ("trace-id", hex_n(16), ["dd.span_id={v}"]),
    ("trace-id", lambda: rs(HEX, 16) + "-LHR", ["cf-ray: {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:medialive:eu-west-1:{rs(DIG, 12)}:channel:{rs(DIG, 7)}",
        ["channel {v} stopped at curtain down"],
    ),
    ("cloud-resource-id", lambda: "vol_" + rs(LOW + DIG, 16), ["fly volume {v} extended to 20GB"]),
    ("cloud-resource-id", lambda: "i-0" + rs(HEX, 16), ["wowza ran on {v}"]),
    ("placeholder", lambda: "<VAULT_TOKEN>", ["X-Vault-Token: {v}", "export VAULT_TOKEN={v}"]),
    (
        "placeholder",
        lambda: "changeme",
        ["requirepass {v}", "# hostapd-stage.conf.example\nwpa_passphrase={v}"],
    ),
    ("placeholder", lambda: "xxxx-xxxx-xxxx-xxxx-xxxx", ["YOUTUBE_STREAM_KEY={v}"]),
    ("placeholder", lambda: "dp.st.prd.XXXXXXXXXXXXXXXX", ["DOPPLER_TOKEN={v}  # README"]),
    (
        "placeholder",
        lambda: "postgres://user:password@localhost:5432/tickets",
        ["# .env.example: DATABASE_URL={v}"],
    ),
    ("templated-value", lambda: "${VAULT_TOKEN}", ["      token: {v}"]),
    ("templated-value", lambda: "${{ secrets.FLY_API_TOKEN }}", ["          FLY_API_TOKEN: {v}"]),
    (
        "templated-value",
        lambda: '{{ with secret "kv/data/pg" }}{{ .Data.data.password }}{{ end }}',
        ['password = "{v}"'],
    ),
    (
        "templated-value",
        lambda: "$(doppler secrets get PG_PASSWORD --plain)",
        ["$ PGPASSWORD={v} psql -h pg-tickets-2 tickets"],
    ),
    ("templated-value", lambda: "op://Stage/FortiGate/password", ["FGT_PASSWORD={v}"]),
    ("templated-value", lambda: "ENC[vault:kv/fortigate#api_key]", ["fortigate_api_key: {v}"]),
    ("masked-value", lambda: "********", ["enable secret {v}", "rabbitmq admin password: {v}"]),
    ("masked-value", lambda: "NRAK-…7QX", ["New Relic UI lists the key as {v}"]),
    ("masked-value", lambda: "hvs.****", ["vault audit log: token {v} revoked"]),
    ("masked-value", lambda: "**** **** **** 4417", ["refund issued to card {v}"]),
    (
        "keyword-no-value",
        lambda: "requirepass",
        ["Redis {v} is now read from a mounted file, not the config map."],
    ),
    ("keyword-no-value", lambda: "password 7", ["RB-3: remove every `{v}` line; use `secret 9` instead."]),
    ("keyword-no-value", lambda: "GenieKey", ["Opsgenie's API wants the `{v}` scheme, not Bearer."]),
    ("keyword-no-value", lambda: "X-Vault-Token", ["The ingress log format strips {v} since PM-6."]),
    ("private-or-reserved-ip", priv_ip, ["sACN universe 1 from {v}", "$ ssh lx@{v}", "till 7 at {v}"]),
    ("private-or-reserved-ip", draw.doc_ip, ["ISAKMP peer {v} (docs example)"]),
    ("private-or-reserved-ip", lambda: f"10.90.{rng.randint(0, 255)}.0/24", ["ip route {v} Null0"]),
    ("example-email", lambda: f"{rng.choice(STAFF)}@thornquay.example", ["Approved-by: {v}"]),
    ("example-email", lambda: "patron@example.com", ['{"email":"{v}","seats":2}']),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[profile docs-sample]\naws_secret_access_key = {v}  # AWS docs sample"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["STRIPE_SECRET_KEY={v}  # Stripe docs test key"],
    ),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["The runbook screenshot shows {v}, the AWS documentation key."],
    ),
    (
        "version-or-date",
        lambda: f"1.{rng.randint(15, 18)}.{rng.randint(0, 9)}",
        ["Vault {v} upgrade", "Consul {v} on all agents"],
    ),
    ("version-or-date", iso, ["house lights went down at {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["lx", "hester"], "lighting-desk"),
        ["# authorized_keys on wowza-1\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem_block("MIIDqTCCApGgAwIBAgIUQ"),
        ["$ openssl s_client -connect tickets.thornquay.example:443 -showcerts\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.pub_pem,
        ["# DocuSign JWT-grant public key (uploaded to the integration)\n{v}"],
    ),
    ("public-key-or-cert", wg_key, ["[Peer]\nPublicKey = {v}\nAllowedIPs = 10.99.0.0/24"]),
    ("ids-and-numbers", mapbox_public, ["mapboxgl.accessToken = '{v}';"]),
    ("ids-and-numbers", lambda: "sq0idp-" + rs(B64URL, 22), ["SQUARE_APPLICATION_ID={v}"]),
    ("ids-and-numbers", lambda: rs(DIG, 7), ["NEW_RELIC_ACCOUNT_ID={v}"]),
    (
        "ids-and-numbers",
        lambda: "pub" + rs(HEX, 32),
        ["DD_CLIENT_TOKEN={v}  # browser RUM, public by design"],
    ),
    ("ids-and-numbers", lambda: "3MVG9" + rs(ALNUM + "._", 80), ["sf.consumer.key={v}"]),
    ("ids-and-numbers", lambda: "P" + rs(UP + DIG, 6), ["PagerDuty service {v} (Box office)"]),
    ("ids-and-numbers", lambda: f"PERF-{rng.randint(2026000, 2026999)}", ["performance {v} sold out"]),
    ("ids-and-numbers", lambda: digits_not_luhn("7", 13), ["ticket barcode {v} scanned at {venue}"]),
    ("ids-and-numbers", lambda: ":".join(rs(HEX, 2) for _ in range(6)), ["lighting node MAC {v}"]),
    ("ids-and-numbers", lambda: "nodekey:" + rs(HEX, 64), ["peer {v} online"]),
    ("ids-and-numbers", lambda: f"TOH-{rng.randint(100, 999)}", ["Linear {v}: move stream keys into Vault"]),
    ("luhn-fail-number", luhn_bad, ["box office receipt {v}", "Square receipt number {v}"]),
    ("documented-test-card", lambda: "4111 1111 1111 1111", ["sandbox checkout tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"performance":4471,"status":"on_sale"}'), ["event={v}"]),
    ("base64-nonsecret", lambda: b64(b"till-07"), ["$ echo -n till-07 | base64\n{v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["# deploy/secrets.enc.yaml\npg_password: {v}"]),
    ("encrypted-value", vault_transit, ["donors.ssn_enc = {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(3)),
        ["fortigate_password: !vault |\n{v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2b$12$"),
        ["tickets=> SELECT password_digest FROM staff WHERE id = 3;\n {v}"],
    ),
    ("hash-or-digest", lambda: "$1$" + rs(CRYPT, 4) + "$" + rs(CRYPT, 22), ["enable secret 5 {v}"]),
    ("hash-or-digest", lambda: "sha256=" + rs(HEX, 64), ["X-Hub-Signature-256: {v}"]),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("ids-and-numbers", draw.long_id, ["YouTube broadcast id {v}"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#front-of-house)"]),
    (
        "ids-and-numbers",
        lambda: f"https://{rs(HEX, 32)}@o{rs(DIG, 6)}.ingest.de.sentry.io/{rs(DIG, 7)}",
        ["Sentry.init({ dsn: '{v}' }); // browser bundle, public by design"],
    ),
    ("uuid", uuid4, ["MUX_TOKEN_ID={v}"]),
    (
        "cloud-resource-id",
        lambda: (
            f"projects/toh-analytics/serviceAccounts/looker-export@toh-analytics.iam.gserviceaccount.com/keys/{rs(HEX, 40)}"
        ),
        ["deleted key {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/medialive-obs",
        ["keys of {v} deactivated"],
    ),
    (
        "placeholder",
        lambda: "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX",
        ["slack_api_url: {v}  # alertmanager.example.yml"],
    ),
    (
        "placeholder",
        lambda: (
            "-----BEGIN OPENSSH PRIVATE KEY-----\n[redacted by the wiki]\n-----END OPENSSH PRIVATE KEY-----"
        ),
        ["# PM-6 attachment\n{v}"],
    ),
    ("placeholder", lambda: "<isakmp-psk>", ["crypto isakmp key {v} address 192.0.2.40"]),
    ("templated-value", lambda: "%(DONOR_DB_PASSWORD)s", ["[donors]\npassword = {v}"]),
    ("templated-value", lambda: "${var.fortigate_api_key}", ["  api_key = {v}"]),
    ("masked-value", lambda: "sk_live_…x9Q", ["Stripe dashboard: key {v} rolled"]),
    ("keyword-no-value", lambda: "PrivateKey", ["WireGuard's {v} line never leaves the relay host."]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl http://{v}/latest/meta-data/iam/security-credentials/"],
    ),
    ("private-or-reserved-ip", lambda: f"fd90:{rs(HEX, 4)}::{rng.randint(2, 99)}", ["lighting VLAN ULA {v}"]),
    ("version-or-date", lambda: "2026-10-03", ["| {v} | PM-4 | box office down 18:40-19:25 |"]),
    ("version-or-date", lambda: "FortiOS 7.4.4 build2662", ["stage firewall runs {v}"]),
    ("public-key-or-cert", lambda: draw.ec_pub_pem(), ["# till JWT verification key (public half)\n{v}"]),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["creation_rules:\n  - age: {v}"],
    ),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO receipts (no) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "5555555555554444", ["Square sandbox card {v}"]),
    ("git-sha", sha40, ["| {t} | {who} rolled seatmap back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM seat_holds WHERE hold_id = '{v}';"]),
    ("example-email", lambda: "noreply@mail.thornquay.example", ["From: Thornquay Opera House <{v}>"]),
    ("encrypted-value", lambda: draw.sealed(120), ["  encryptedData:\n    password: {v}"]),
    ("hash-or-digest", lambda: draw.apr1(), ["# /etc/nginx/.htpasswd (archive)\narchive:{v}"]),
    ("cloud-resource-id", lambda: "sg-0" + rs(HEX, 16), ["security group {v} opened 1935/tcp"]),
    ("version-or-date", lambda: "wowza-streaming-engine 4.9.1", ["$ dpkg -l | grep wowza\nii  {v}  amd64"]),
    (
        "ids-and-numbers",
        lambda: "<" + rs(HEX, 16) + "@pm.thornquay.example>",
        ["Message-ID: {v}\nSubject: PM-12 subscribers export"],
    ),
    (
        "ids-and-numbers",
        lambda: "sq0idb-" + rs(B64URL, 22),
        ["Square sandbox application id {v} (not a secret)"],
    ),
    ("ids-and-numbers", lambda: rs(DIG, 8), ["SHOPIFY_SHOP_ID={v}"]),
    (
        "ids-and-numbers",
        lambda: rs(HEX, 32),
        ["SHOPIFY_CLIENT_ID={v}  # the app's public API key; the app secret stays in Doppler"],
    ),
    ("ids-and-numbers", lambda: "0oa" + rs(ALNUM, 17), ["donor portal client_id {v}"]),
    (
        "ids-and-numbers",
        lambda: rs(LOW + DIG, 12),
        ["pscale service token id {v} (the token itself is in Doppler)"],
    ),
    ("ids-and-numbers", lambda: rs(ALNUM, 24), ["$ vault token revoke -accessor {v}"]),
    ("ids-and-numbers", lambda: "I" + rs(UP + DIG, 7), ["Opsgenie integration {v} (stage-door alarms)"]),
    ("ids-and-numbers", lambda: f"{rs(DIG, 6)}-{rs(LOW, 3)}", ["Zendesk macro {v}"]),
    ("ids-and-numbers", lambda: f"ID{rs(DIG, 10)}", ["DocuSign envelope {v} signed"]),
    (
        "ids-and-numbers",
        lambda: f"seat K{rng.randint(1, 30)} row {rng.choice('ABCDEFGH')}",
        ["double-sold: {v} in the Main House"],
    ),
    ("hash-or-digest", lambda: rs(HEX, 40), ["Vault unseal: key share fingerprint {v} (not the share)"]),
    (
        "hash-or-digest",
        lambda: "SHA256:" + b64(draw.rbytes(32)).rstrip("="),
        ["ED25519 key fingerprint is {v}."],
    ),
    ("placeholder", lambda: "<mux-token-secret>", ["MUX_TOKEN_SECRET={v}"]),
    (
        "placeholder",
        lambda: "live_XXXXXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        ["Twitch stream key format: {v}"],
    ),
    (
        "templated-value",
        lambda: "{{ .Values.rabbitmq.auth.password | b64enc }}",
        ["  RABBITMQ_PASSWORD: {v}"],
    ),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: pg-tickets\n            key: password"],
    ),
    ("masked-value", lambda: "EAAA••••••••3kQ", ["Square developer console shows {v}"]),
    (
        "masked-value",
        lambda: "[FILTERED]",
        ['Started POST "/donations" Parameters: {"card_number"=>"{v}", "amount"=>"50"}'],
    ),
    (
        "encrypted-value",
        lambda: "AQICAHh" + b64(draw.rbytes(120)),
        [
            "$ aws kms encrypt --key-id alias/medialive --plaintext fileb://key.txt --query CiphertextBlob --output text\n{v}"
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["relay reached over CGNAT {v}"],
    ),
    (
        "version-or-date",
        lambda: f"v{rng.randint(2, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["flyctl {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " wowza@relay",
        ["$ cat ~/.ssh/id_ed25519_wowza.pub\n{v}"],
    ),
    (
        "keyword-no-value",
        lambda: "OP_SERVICE_ACCOUNT_TOKEN",
        ["ADR-11: CI reads {v} from the GitHub environment, never from the repo."],
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
    r"|hvs\.[\w-]{20}|hvb\.|dp\.st\.\w+\.[A-Za-z0-9]{20}|dp\.sa\.|ops_eyJ|NRAK-[A-Z0-9]{20}|NRAL\b|NRII-|sntry[su]_|glsa_"
    r"|EAAA[\w-]{40}|sq0csp-|shp(?:at|ca|pa|ss)_|pscale_(?:pw|tkn)_|FlyV1|fo1_|do[op]_v1_|pul-[a-f0-9]{40}|v1\.0-[a-f0-9]{24}"
    r"|APA91b|sk\.eyJ|PMAK-|lin_api_|pat[A-Za-z0-9]{14}\.[a-f0-9]{20}|password 7 \d"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|requirepass|psk)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?(?!pk\.|pub[a-f0-9])[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes.
OK_MAIL_46 = re.compile(
    OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal|[\w.-]+\.ingest\.de\.sentry\.io)$"
)

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_46,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t46", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
