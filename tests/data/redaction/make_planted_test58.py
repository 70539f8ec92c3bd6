# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test58.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test58.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270158)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a county record office with climate-controlled strongrooms, a
digitisation studio, a public searchroom and a reader-ticket and events programme, Haldenmoor County
Archive (HCA): PM-3 the collections-system outage (CALM catalogue API, Teleport, Authentik, Headscale), PM-6
reader tickets and Friends memberships (Spektrix, Stripe, PayPal, TrueLayer), RB-2 cloud and platform
(aws, gcloud, az, kubectl, Docker, Helm, Terraform, Postgres, MySQL, Redis, MongoDB), RB-4 the
records-store network (Pritunl, NetBird, WireGuard, Junos, Cisco IOS, RTSP strongroom cameras), ADR-7
alerting (PagerDuty, Squadcast, Rootly, Gotify, ntfy, Slack, Teams, Google Chat), ADR-9 flags and
analytics (Flagsmith, Unleash, Amplitude, Mixpanel, Matomo, Pinecone), ADR-10 CI and secrets (GitHub
Actions, GitLab CI, Bitwarden, 1Password, KeePassXC) and PM-11 a parish depositors' contact list sent to
the wrong parish (emails, phones, IBANs, NI numbers). Common shapes come first in
each kind (``t58p…``/``t58n…``).
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
from planted_shapes import iban_of

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test58.jsonl"
FOLD = "test58"
rng = Random(20270158)
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
    "vellum",
    "charter",
    "quire",
    "folio",
    "deed",
    "manor",
    "tithe",
    "seal",
    "rolls",
    "parchment",
]
UPHEX = "0123456789ABCDEF"


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["calm", "tickets-api", "scanstation", "searchroom", "searchroom-ops"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def junos9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(22, 38))


def type7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs(UPHEX, 2 * rng.randint(6, 10))


def k8s_sa_jwt() -> str:
    body = {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": "calm",
        "kubernetes.io/serviceaccount/secret.name": "deployer-token-" + rs(LOW + DIG, 5),
        "kubernetes.io/serviceaccount/service-account.name": "deployer",
        "sub": "system:serviceaccount:calm:deployer",
    }
    return encode_jwt({"alg": "RS256", "kid": rs(B64URL, 43)}, body, rs(B64URL, 342))


def member_jwt() -> str:
    body = {
        "iss": "members.hca.internal",
        "sub": "member-" + rs(DIG, 6),
        "tier": "reader-ticket",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def gh_oidc_jwt() -> str:
    body = {
        "iss": "https://token.actions.githubusercontent.com",
        "aud": "sts.amazonaws.com",
        "repository": "haldenmoor/calm",
        "ref": "refs/heads/main",
        "sub": "repo:haldenmoor/calm:ref:refs/heads/main",
        "exp": 1790003600,
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "x5t": rs(B64URL, 27)}, body, rs(B64URL, 342))


def gchat_hook() -> str:
    return (
        "https://chat.googleapis.com/v1/spaces/AAAA"
        + rs(ALNUM + "_-", 7)
        + "/messages?key=AIzaSy"
        + rs(B64URL, 33)
        + "&token="
        + rs(B64URL, 43)
        + "%3D"
    )


def ops_token() -> str:
    head = b64url(
        json.dumps({"signInAddress": "haldenmoor.1password.eu", "userAuth": {"method": "SRPg-4096"}}).encode()
    )
    return "ops_" + head + rs(B64URL, 120)


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
def gb_iban() -> str:
    """A UK IBAN: a real bank's four-letter code, a sort code and an eight-digit account."""
    return iban_of("GB", rng.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + rs(DIG, 14))


def nl_iban() -> str:
    """A Dutch IBAN: a four-letter bank code and a ten-digit account that passes the 11-test."""
    while True:
        acct = rs(DIG, 10)
        if acct[0] != "0" and sum((10 - i) * int(c) for i, c in enumerate(acct)) % 11 == 0:
            return iban_of("NL", rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO"]) + acct)


def es_iban() -> str:
    """A Spanish IBAN: bank, branch, the two national control digits, then a ten-digit account."""
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def dc(digits: str) -> str:
        d = 11 - sum(a * int(c) for a, c in zip(w, digits.rjust(10, "0"), strict=True)) % 11
        return str({10: 1, 11: 0}.get(d, d))

    bank, branch, acct = rng.choice(["2100", "0049", "0182", "2085"]), rs(DIG, 4), rs(DIG, 10)
    return iban_of("ES", bank + branch + dc(bank + branch) + dc(acct) + acct)


FIRST = ["bronwen", "kwabena", "aurelio", "hester", "miroslav", "clemency", "thaddeus", "saoirse"]
LAST = ["ashdown-price", "mensah", "valderrama", "blenkinsop", "okafor-lees", "treadwell"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com", "hotmail.co.uk"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["calm", "tickets-api", "scanstation", "searchroom-web", "members", "flags-proxy"]
STAFF = ["gwyneth", "tunde", "radek", "harriet", "vikram", "eleanor", "barnaby", "ife"]
HOSTS = ["calm-1", "pg-1", "scanstation-2", "store-gw", "runner-1", "digi-render-3"]
SHOWS = [
    "the tithe maps",
    "Quarter Sessions rolls",
    "the Ardley estate papers",
    "parish registers",
    "workhouse minutes",
]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "show": lambda: rng.choice(SHOWS),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

BR = "| {t} | strongroom bridge | {who}: "
SL = "{who} (Slack #searchroom-ops, {t}): "
FD = "Freshservice #{tkt} ({who}): "
SCH = "parish,contact,email,mobile,ni_number,refund_iban\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws configure set aws_access_key_id {v} --profile hca-media",
            "AWS_ACCESS_KEY_ID: {v}",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "$ aws configure set aws_secret_access_key {v} --profile hca-media",
            "aws_secret_access_key={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "$ az login --service-principal -u 5b1e0c7a-hca-render -p '{v}' --tenant haldenmoor.onmicrosoft.com"
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=hcastrongroommasters;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    ("gcp-key", draw.gcp_api, ["const MAPS_KEY = '{v}'; // searchroom van route planner, server side"]),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"hca-bookings","private_key_id":"{h40}","private_key":"{v}","client_email":"bq-export@hca-bookings.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "GH_TOKEN={v} gh release create v3.2.0 --repo haldenmoor/calm",
            'git config --global url."https://x-access-token:{v}@github.com/".insteadOf https://github.com/',
        ],
    ),
    ("gitlab-token", draw.gl_token, ["$ glab auth login --hostname gitlab.com --token {v}"]),
    ("slack-token", draw.slack_token, ["SLACK_BOT_TOKEN={v}  # #searchroom-ops bot"]),
    ("slack-webhook", draw.slack_hook, ["  slack_api_url: '{v}'"]),
    ("stripe-key", draw.stripe_key, ["stripe.api_key = '{v}'  # memberships"]),
    ("jwt", k8s_sa_jwt, ["users:\n- name: deployer\n  user:\n    token: {v}"]),
    ("jwt", member_jwt, ["{ts} DEBUG members login ok jwt={v}", "Cookie: hca_member={v}"]),
    ("jwt", gh_oidc_jwt, ["::debug::OIDC token {v}"]),
    ("private-key", draw.pk("rsa"), ["$ cat ~/.ssh/id_rsa_store\n{v}"]),
    (
        "private-key",
        draw.pk("ssh", "            "),
        [
            "      - name: ssh key for the strongroom render nodes\n        env:\n          SSH_KEY: |\n            {v}"
        ],
    ),
    ("private-key", lambda: draw.pem_private_key("ec", sep="\n    "), ["  tls.key: |\n    {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("pkcs8"),
        ["$ kubectl -n calm get secret calm-tls -o jsonpath='{.data.tls\\.key}' | base64 -d\n{v}"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DATABASE_URL=postgres://tickets:{v}@pg-1.hca.internal:5432/tickets",
            "$ psql postgresql://calm:{v}@10.58.2.11/calm -c 'select now()'",
            "MYSQL_URL=mysql://searchroom:{v}@10.58.2.14:3306/searchroom",
            "REDIS_URL=rediss://default:{v}@10.58.2.16:6380/0",
            "MONGO_URI=mongodb+srv://members:{v}@hca-members.xk2ab.mongodb.net/members?retryWrites=true",
            "rtsp://viewer:{v}@10.58.9.21:554/live/readingroom",
            "amqp://calm:{v}@10.58.2.20:5672/strongroom",
            "https://deploy:{v}@gitlab.hca.internal/strongroom/calm.git",
            "sftp://archive:{v}@ftp.digitisation-partner.example/incoming",
            "smb://HCA;svc-render:{v}@10.58.4.8/scanmasters",
            "ELASTIC_URL=https://elastic:{v}@10.58.2.30:9200",
            "jdbc:postgresql://10.58.2.11:5432/tickets?user=report&password={v}",
            "http://admin:{v}@10.58.9.40/cgi-bin/snapshot.cgi",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ PGPASSWORD='{v}' pg_dump -h pg-1.hca.internal -U tickets tickets > tickets.sql",
            "pg-1.hca.internal:5432:tickets:tickets:{v}",
            "$ mysql -h 10.58.2.14 -u searchroom -p'{v}' searchroom",
            "$ redis-cli -h 10.58.2.16 --tls -a '{v}' info keyspace",
            "$ mongosh 'mongodb+srv://hca-members.xk2ab.mongodb.net/members' --username members --password '{v}'",
            "$ kubectl -n calm create secret generic calm-db --from-literal=DB_PASSWORD='{v}'",
            "$ helm upgrade --install tickets ./charts/tickets --set postgresql.auth.password={v}",
            "$ docker login registry.hca.internal -u ci -p '{v}'",
            '  db_password = "{v}"',
            "POSTGRES_PASSWORD={v}",
            "    environment:\n      MYSQL_ROOT_PASSWORD: {v}",
            "spring.datasource.password={v}",
            "$ gcloud sql users set-password tickets --instance=hca-tickets --password='{v}'",
            "$ aws rds create-db-instance --db-instance-identifier hca-archive --master-username root --master-user-password '{v}'",
            "$ az postgres flexible-server create -n hca-searchroom-pg --admin-user pgadmin --admin-password '{v}'",
            "CALM_ADMIN_PASSWORD={v}",
            "AUTHENTIK_BOOTSTRAP_PASSWORD={v}",
            "$ sshpass -p '{v}' ssh render@10.58.4.31 'systemctl restart digi-render'",
            "$ echo '{v}' | keepassxc-cli show -s ~/vaults/strongroom.kdbx 'Records-store/iDRAC'",
            "auth-user-pass creds.txt  # creds.txt: store-vpn / {v}",
            "$ openvpn --config store.ovpn --askpass <(echo '{v}')",
            '    "password": "{v}",',
            "PAYPAL_PASSWORD={v}",
            "  smtp_auth_password: '{v}'",
            "SMTP_PASSWORD={v}",
            "$ curl -X POST https://calm.hca.internal/api/login -d 'user=operator&password={v}'",
            '<add key="SpektrixApiPassword" value="{v}" />',
            "ansible_ssh_pass: {v}",
            "wpa_passphrase={v}",
            "$ pritunl-client add store-gw --password '{v}'",
            "$ ipmitool -I lanplus -H 10.58.4.200 -U root -P '{v}' power status",
            "MATOMO_DATABASE_PASSWORD={v}",
            BR + "strongroom projector web UI is admin / {v} on all six heads",
            SL + "the reading-room camera login is scanstation / {v}, same as last year",
            FD + "Spektrix back-office user boxoffice2, password {v}, reset it after the matinee",
            BR + "temporary Authentik admin password {v} until Monday",
            SL + "Pritunl admin for tonight: admin / {v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set system radius-server 10.58.0.5 secret "{v}"',
            'set protocols ospf area 0.0.0.0 interface ae0.0 authentication md5 1 key "{v}"',
        ],
    ),
    (
        "password-assignment",
        type7,
        ["username storeadmin privilege 15 password 7 {v}", " tacacs-server key 7 {v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"registry.hca.internal":{"auth":"{v}"}}}',
        ],
    ),
    ("basic-auth", password, ["$ curl -u calm:'{v}' https://calm.hca.internal/api/v2/cue/next"]),
    (
        "basic-auth",
        alnum(32),
        ["$ curl -u hca-tickets:{v} https://api.mixpanel.com/import?strict=1 -d @events.json"],
    ),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://calm.hca.internal/api/v2/collections/tithe/reindex"],
    ),
    ("bearer-token", alnum(56), ["{ts} DEBUG tickets-api upstream Authorization: Bearer {v}"]),
    (
        "bearer-token",
        hex_n(64),
        ["$ curl -H 'Authorization: Bearer {v}' https://api.incident.io/v2/incidents"],
    ),
    (
        "vendor-token",
        hex_n(32),
        [
            "$ tctl tokens ls\nToken                            Type Labels Expiry Time\n{v} Node        2027-03-01T00:00:00Z"
        ],
    ),
    ("vendor-token", hex_n(32), ["teleport:\n  join_params:\n    method: token\n    token_name: {v}"]),
    (
        "vendor-token",
        alnum(60),
        [
            "AUTHENTIK_TOKEN={v}",
            "$ curl -H 'Authorization: Bearer {v}' https://sso.hca.internal/api/v3/core/users/",
        ],
    ),
    ("vendor-token", alnum(50), ["AUTHENTIK_SECRET_KEY={v}"]),
    (
        "vendor-token",
        hex_n(48),
        ["$ tailscale up --login-server https://hs.hca.internal --authkey {v}"],
    ),
    (
        "vendor-token",
        lambda: (
            rs(UPHEX, 8) + "-" + rs(UPHEX, 4) + "-" + rs(UPHEX, 4) + "-" + rs(UPHEX, 4) + "-" + rs(UPHEX, 12)
        ),
        ["$ netbird up --management-url https://nb.hca.internal --setup-key {v}"],
    ),
    ("vendor-token", alnum(32), ["PRITUNL_API_TOKEN={v}"]),
    ("vendor-token", alnum(32), ["PRITUNL_API_SECRET={v}"]),
    ("vendor-token", hex_n(32), ["PAGERDUTY_ROUTING_KEY={v}", '  - routing_key: "{v}"']),
    ("vendor-token", lambda: "rootly_" + rs(HEX, 64), ["ROOTLY_API_TOKEN={v}"]),
    (
        "vendor-token",
        lambda: "A" + rs(ALNUM, 14),
        ["$ curl 'https://gotify.hca.internal/message?token={v}' -F title=strongroom -F message='cue stuck'"],
    ),
    (
        "vendor-token",
        lambda: "tk_" + rs(LOW + DIG, 29),
        [
            "$ curl -H 'Authorization: Bearer {v}' -d 'projector 4 lamp hours' https://ntfy.hca.internal/strongroom"
        ],
    ),
    (
        "vendor-token",
        lambda: "ser." + rs(ALNUM, 22),
        ["FLAGSMITH_SERVER_KEY={v}", "Flagsmith(environment_key='{v}')"],
    ),
    (
        "vendor-token",
        alnum(32),
        [
            "$ curl 'https://collections.haldenmoor-archive.example/api/items?key_identity=calm_sync&key_credential={v}'"
        ],
    ),
    (
        "vendor-token",
        hex_n(64),
        ["$ curl -H 'X-ArchivesSpace-Session: {v}' http://10.58.2.40:8089/repositories/2/resources/118"],
    ),
    (
        "vendor-token",
        hex_n(32),
        [
            "$ curl 'https://stats.haldenmoor-archive.example/index.php?module=API&method=VisitsSummary.get&idSite=1&period=day&date=today&token_auth={v}'"
        ],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM, 16) + ":" + rs(ALNUM, 16),
        [
            "$ curl --header 'authorization: LOW {v}' --upload-file tithe-1840.tif"
            " https://s3.us.archive.org/hca-tithe-maps/tithe-1840.tif"
        ],
    ),
    ("vendor-token", uuid4, ["Preservica-Access-Token: {v}"]),
    ("vendor-token", uuid4, ["TRUELAYER_CLIENT_SECRET={v}"]),
    ("vendor-token", lambda: "E" + rs(B64URL, 79), ["PAYPAL_CLIENT_SECRET={v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}", "sg = SendGridAPIClient('{v}')"]),
    ("vendor-token", lambda: "key-" + rs(HEX, 32), ["MAILGUN_API_KEY={v}"]),
    ("vendor-token", uuid4, ["X-Postmark-Server-Token: {v}"]),
    ("vendor-token", lambda: "AC" + rs(HEX, 32), ["TWILIO_ACCOUNT_SID={v}"]),
    ("vendor-token", hex_n(32), ["TWILIO_AUTH_TOKEN={v}", "client = Client('AC' + sid_tail, '{v}')"]),
    (
        "vendor-token",
        lambda: b64(draw.rbytes(64)),
        ['BW_SESSION="{v}"', "$ bw list items --search scanstation --session {v}"],
    ),
    ("vendor-token", alnum(30), ["BW_CLIENTSECRET={v}"]),
    ("vendor-token", ops_token, ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    (
        "vendor-token",
        lambda: "dckr_pat_" + rs(B64URL, 27),
        ["$ echo {v} | docker login -u haldenmoor --password-stdin"],
    ),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        lambda: "ATTA" + rs(HEX, 64) + rs(UPHEX, 8),
        ["TRELLO_TOKEN={v}  # digitisation queue board"],
    ),
    (
        "vendor-token",
        lambda: (
            "sntrys_"
            + b64(
                json.dumps({"iat": 1790000000, "url": "https://sentry.io", "org": "haldenmoor"}).encode()
            ).rstrip("=")
            + "_"
            + rs(B64, 43)
        ),
        ["SENTRY_AUTH_TOKEN={v}"],
    ),
    ("generic-api-key", alnum(40), ["CALM_API_KEY={v}", "X-Api-Key: {v}"]),
    ("generic-api-key", hex_n(64), ["TICKETS_WEBHOOK_SECRET={v}"]),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nAddress = 10.58.250.2/32\nPrivateKey = {v}"],
    ),
    (
        "generic-api-key",
        hex_n(32),
        ["https://api.openweathermap.org/data/3.0/onecall?lat=53.41&lon=-2.23&appid={v}"],
    ),
    ("generic-api-key", alnum(48), ["SCANSTATION_UPLOAD_KEY={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: tickets-db\ntype: Opaque\ndata:\n  password: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://haldenmoor.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ["TEAMS_BOXOFFICE_WEBHOOK={v}"],
    ),
    ("webhook-url", gchat_hook, ["GOOGLE_CHAT_WEBHOOK={v}"]),
    ("webhook-url", lambda: "https://api.squadcast.com/v2/incidents/api/" + rs(HEX, 40), ["  - url: {v}"]),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "vendor-token",
        lambda: "ser." + rs(ALNUM, 22),
        [SL + "pasted the Flagsmith server key by mistake: {v}"],
    ),
    (
        "vendor-token",
        lambda: "rootly_" + rs(HEX, 64),
        [FD + "Rootly token from the old status page script: {v}"],
    ),
    ("vendor-token", hex_n(48), [BR + "Headscale preauth key for the new render node is {v}"]),
    (
        "vendor-token",
        lambda: "*:production." + rs(HEX, 64),
        [
            "const unleash = initialize({ url: 'https://flags.hca.internal/api', appName: 'tickets', customHeaders: { Authorization: '{v}' } });"
        ],
    ),
    (
        "vendor-token",
        draw.aws_secret,
        ["[wasabi]\naws_secret_access_key = {v}  # s3.eu-west-2.wasabisys.com"],
    ),
    ("vendor-token", uuid4, ["SCW_SECRET_KEY={v}"]),
    ("vendor-token", hex_n(32), ["MJ_APIKEY_PRIVATE={v}  # Mailjet, reader newsletters"]),
    (
        "vendor-token",
        lambda: rs(UPHEX.replace("ABCDEF", "") + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 20),
        ["$ curl -H 'Authorization: Bearer {v}' https://www.eventbriteapi.com/v3/users/me/owned_events/"],
    ),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(ALNUM + "-_", 20),
        [
            "  before_script:\n    - git remote set-url origin https://oauth2:{v}@gitlab.com/haldenmoor/scanstation.git"
        ],
    ),
    ("github-token", draw.gh_token, ["::add-mask:: was skipped, log shows GITHUB_TOKEN={v}"]),
    ("slack-webhook", draw.slack_hook, ['"notify": {"slack": "{v}"}']),
    ("aws-key", draw.aws_secret, ["[hca-media]\naws_secret_access_key = {v}"]),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://hcastrongroommasters.blob.core.windows.net/masters/tithe-map-600dpi.tif?sv=2022-11-02&sr=b&sp=r&se=2027-03-10T00:00:00Z&sig={v}"
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| store-gw | iDRAC | root | {v} |",
            "the old strongroom media server still logs in as admin / {v}",
            "$ ansible-playbook render.yml -e 'ansible_become_password={v}'",
            "$ sqlcmd -S 10.58.2.40 -U sa -P '{v}' -Q 'SELECT @@VERSION'",
            "$ mysqladmin -u root --password='{v}' status",
        ],
    ),
    ("password-assignment", junos9, [SL + "that pasted Junos line has the RADIUS secret {v}, rotate it"]),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        ["SEARCHROOM_DB=postgresql://searchroom:{v}@10.58.2.12:5432/searchroom"],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"deploy_key": "{v}"']),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://searchroom.hca.internal/api/v1/readers/export"],
    ),
    ("jwt", member_jwt, ["localStorage.hca_member = '{v}'"]),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    ("generic-api-key", alnum(40), [FD + "collections-system API key from the vendor's email: {v}"]),
    ("password-assignment", password, ["$ keepassxc-cli db-create strongroom.kdbx --set-password <<< '{v}'"]),
    ("vendor-token", draw.sendgrid_key, [FD + "SendGrid key found in the reader-visit mailer config: {v}"]),
    ("password-assignment", password, ["$ PGPASSWORD='{v}' psql -h 10.58.2.12 -U searchroom searchroom"]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            SCH + "St Aldhelm's PCC,Bronwen Mensah,{v},,,",
            FD + "family historian asks for the invoice for a research search at {v}",
            "{ts} INFO tickets-api e-ticket sent to {v}",
            "INSERT INTO members (name, email) VALUES ('Aurelio Treadwell', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            SCH + "Holmbridge Town Council,Kwabena Valderrama,,{v},,",
            FD + "reader rang from {v} about a lost notebook after viewing {show}",
            "{ts} INFO searchroom-web sms visit-reminder to={v}",
            "| Hester Blenkinsop | searchroom van driver | {v} |",
            'emergency_contact:\n  name: Miroslav Okafor-Lees\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            "{ts} WARN tickets-api payment declined pan={v}",
            FD + "member typed the whole card {v} into the feedback form",
            "tickets=# SELECT pan FROM phone_bookings WHERE id = 31;\n pan\n-----\n {v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} WARN members 25 failed logins for member-204113 from {v}",
            '{"event":"member_login","client_ip":"{v}","ok":false}',
            "sshd[1432]: Invalid user pi from {v} port 50872",
            "{ts} store-gw vpn auth failed store-vpn from {v}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [02/Mar/2027:19:41:07 +0000] "GET /collections/tithe HTTP/2.0" 200', "client_addr={v}"],
    ),
    ("iban", lambda: gb_iban(), [SCH + "Felsham PCC,Clemency Ashdown-Price,,,,{v}"]),
    ("iban", lambda: nl_iban(), [FD + "refund the cancelled group booking to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [SCH + "Grangefield Parish Council,Thaddeus Mensah,,,{v},"]),
    ("national-id", ssn, ["| Saoirse Valderrama | visiting researcher (US) | SSN {v} | honorarium |"]),
    (
        "iban",
        lambda: es_iban(),
        ['{"payee":"Bronwen Treadwell","iban":"{v}","ref":"palaeography lecture fee"}'],
    ),
    ("email", email, ["Author: Miroslav Blenkinsop <{v}>\nDate:   Tue Mar 2 20:05:44 2027 +0000"]),
    (
        "email",
        email,
        ["To: readers@haldenmoor-archive.example\nCc: {v}\nSubject: March readers with contact numbers"],
    ),
    ("phone", phone, [SL + "the projector engineer's mobile is {v}"]),
    ("credit-card", card, ["Spektrix order export row: 8812,ORD-55120,{v},09/29,PAID"]),
    ("ipv4", public_v4, ["X-Real-IP: {v}"]),
    ("phone", phone, ["BEGIN:VCARD\nFN:Clemency Mensah\nTEL;TYPE=cell:{v}\nEND:VCARD"]),
    ("ipv6", public_v6, ["{ts} WARN members password reset requested from {v}"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "calm 3.2.0 (commit {v})",
            "GITHUB_SHA={v}",
            "revert {v}: cue preload timeout",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        ["fix {v} strongroom blend seams", "registry.hca.internal/strongroom/calm:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "collection ref {v}",
            "{ts} INFO tickets-api order_id={v} PAID",
            "| {v} | projector head 4 |",
            "X-Request-ID: {v}",
            "Authentik flow {v} updated",
        ],
    ),
    (
        "uuid",
        uuid4,
        ["TrueLayer payment id {v}", "Rootly incident {v} resolved", "Flagsmith feature state {v}"],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM registry.hca.internal/strongroom/calm@{v}", "scanstation image {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  tithe-map-600dpi.tif", "terraform lock hash {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "projector firmware SHA-1 {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "md5 of readers-march.xlsx {v}"]),
    (
        "hash-or-digest",
        lambda: "$2b$12$" + rs(CRYPT, 53),
        ["INSERT INTO staff (login, pw_hash) VALUES ('boxoffice2', '{v}');"],
    ),
    (
        "hash-or-digest",
        draw.sha512_crypt,
        ['set system login user storeadmin authentication encrypted-password "{v}"'],
    ),
    (
        "hash-or-digest",
        lambda: "$9$" + rs(CRYPT, 14) + "$" + rs(CRYPT, 43),
        ["username storeadmin secret 9 {v}"],
    ),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "4c1d2e3f5a6b7c8d-01", "trace_id={v} op=cue.next"]),
    ("trace-id", hex_n(16), ["X-B3-SpanId: {v}"]),
    ("trace-id", draw.long_trace, ["Sentry event trace {v}"]),
    ("cloud-resource-id", lambda: "hca-members.xk2ab.mongodb.net", ["Atlas cluster host {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::hca-scan-masters-{rs(LOW + DIG, 6)}",
        ["masters bucket {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "projects/hca-bookings/serviceAccounts/bq-export@hca-bookings.iam.gserviceaccount.com",
        ["key rotated for {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            "/subscriptions/"
            + uuid4()
            + "/resourceGroups/hca-render/providers/Microsoft.Storage/storageAccounts/hcastrongroommasters"
        ),
        ["storage account {v}"],
    ),
    ("cloud-resource-id", lambda: "haldenmoor/calm", ["GitHub repo {v}"]),
    (
        "placeholder",
        lambda: "ser.XXXXXXXXXXXXXXXXXXXXXX",
        ["flagsmith:\n  server_key: {v}  # fill in per environment"],
    ),
    (
        "placeholder",
        lambda: "YOUR_PAGERDUTY_ROUTING_KEY",
        ["  routing_key: {v}   # strongroom alarms service"],
    ),
    (
        "placeholder",
        lambda: "changeme",
        ["the humidity loggers shipped with the password {v} (PM-3 found three)"],
    ),
    ("placeholder", lambda: "********", ["CALM_ADMIN_PASSWORD={v}"]),
    (
        "placeholder",
        lambda: "<authentik-api-token>",
        ["$ curl -H 'Authorization: Bearer {v}' https://sso.hca.internal/api/v3/core/users/"],
    ),
    ("placeholder", lambda: "<your-sendgrid-key>", ["sendgrid_api_key: {v}  # reader-visit mailer"]),
    (
        "placeholder",
        lambda: "$GOTIFY_TOKEN",
        ["curl 'https://gotify.hca.internal/message?token={v}' -F message=test"],
    ),
    (
        "placeholder",
        lambda: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["amplitude secret key: {v} (ask HCA digital)"],
    ),
    ("templated-value", lambda: "${{ secrets.CALM_API_KEY }}", ["          CALM_API_KEY: {v}"]),
    (
        "templated-value",
        lambda: "$CI_JOB_TOKEN",
        [
            'curl --header "JOB-TOKEN: {v}" https://gitlab.com/api/v4/projects/58/packages/generic/calm-export/1.4.0/'
        ],
    ),
    ("templated-value", lambda: "${POSTGRES_PASSWORD}", ["      password: {v}  # calm-db"]),
    ("templated-value", lambda: "{{ vault_idrac_password }}", ['strongroom_idrac_password: "{v}"']),
    ("templated-value", lambda: "$GITHUB_RUN_NUMBER", ["CALM_IMAGE_TAG=1.4.{v}"]),
    ("templated-value", lambda: "op://Strongroom/Spektrix/password", ["SPEKTRIX_API_PASSWORD={v}"]),
    (
        "templated-value",
        lambda: "process.env.UNLEASH_API_TOKEN",
        ["    customHeaders: { Authorization: {v} },  // calm flags"],
    ),
    ("masked-value", lambda: "***", ["Run docker login registry.hca.internal -u ci -p {v}"]),
    (
        "masked-value",
        lambda: "[MASKED]",
        ["$ curl -sS -H 'Authorization: Bearer {v}' https://api.incident.io/v2/incidents?page_size=5"],
    ),
    ("masked-value", lambda: "[FILTERED]", ['Parameters: {"reader_ticket"=>"58-20931", "password"=>"{v}"}']),
    ("masked-value", lambda: "XXXX XXXX XXXX " + rs(DIG, 4), ["Spektrix receipt card {v}"]),
    ("masked-value", lambda: "tk_…" + rs(LOW, 4), ["ntfy token {v} revoked in ADR-7"]),
    (
        "keyword-no-value",
        lambda: "--master-user-password",
        ["RB-2: feed {v} from Secrets Manager when rebuilding calm-db"],
    ),
    (
        "keyword-no-value",
        lambda: "routing_key",
        ["ADR-7: the PagerDuty {v} is per service, one for the strongroom and one for tickets"],
    ),
    (
        "keyword-no-value",
        lambda: "AUTHENTIK_SECRET_KEY",
        ["PM-3: {v} was rotated, which logged every searchroom terminal out"],
    ),
    (
        "keyword-no-value",
        lambda: "tacacs-server key",
        ["rotate the {v} on both records-store switches together"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["projector head at {v}", "render node at {v}", "{ts} calm-1 polled {v} ok"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example camera {v} in RB-4"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["render node tailnet address {v}"],
    ),
    ("example-email", lambda: "boxoffice@haldenmoor-archive.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "reader@example.org", ["SendGrid test recipient {v}"]),
    ("example-email", lambda: "ci@haldenmoor-archive.example", ["GitHub Actions notifications from {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # pasted from the AWS CLI docs into the runbook"],
    ),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["jwt.io's sample token {v} in the reader-ticket tests"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[docs-example]\naws_secret_access_key = {v}  # copied from the AWS CLI user guide"],
    ),
    (
        "version-or-date",
        lambda: f"3.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["calm {v} deployed", "members app {v} released"],
    ),
    ("version-or-date", lambda: "Authentik 2024.12.3", ["sso-hca-1 upgraded to {v} on Tuesday"]),
    ("version-or-date", lambda: "Teleport 16.4.2", ["store-gw upgraded to {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["render", "deploy"], "runner-1"),
        ["deploy key (public) on calm:\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.cert_pem,
        ["$ openssl s_client -connect tickets.hca.internal:443 -showcerts\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = store.haldenmoor-archive.example:51820"],
    ),
    (
        "public-key-or-cert",
        lambda: rs(ALNUM, 22),
        ["flagsmith.init({ environmentID: '{v}' }); // client-side environment key, public"],
    ),
    (
        "public-key-or-cert",
        lambda: "pk_live_" + rs(ALNUM, 99),
        ["const stripe = Stripe('{v}'); // memberships, publishable"],
    ),
    (
        "ids-and-numbers",
        lambda: "ORD-" + rs(DIG, 5),
        ["Spektrix order {v} refunded", "Spektrix order {v} printed"],
    ),
    ("ids-and-numbers", lambda: "NGC " + rs(DIG, 4), ["tonight's target {v} (Orion)"]),
    ("ids-and-numbers", lambda: rs(HEX, 32), ["Amplitude API key (browser, public) {v}"]),
    ("ids-and-numbers", lambda: rs(DIG, 7), ["Mixpanel project {v}", "Mixpanel project {v} export queued"]),
    ("ids-and-numbers", lambda: "D/HCA/" + rs(DIG, 5), ["deposit ref {v}"]),
    ("ids-and-numbers", lambda: rs(HEX, 32), ["Mixpanel project token (public, in the site JS) {v}"]),
    ("luhn-fail-number", luhn_bad, ["membership card {v} reported lost", "reader ticket {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Stripe test payment with {v} succeeded"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"box":41,"coll":"tithe"}'), ["X-HCA-Box: {v}"]),
    ("base64-nonsecret", lambda: b64(b"calm"), ["labels:\n  app.b64: {v}"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(48)), ['"spektrix_api_password": "{v}",']),
    ("encrypted-value", lambda: draw.sealed(300), ["spec:\n  encryptedData:\n    DB_PASSWORD: {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["paypal_client_secret: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["idrac_password: !vault |\n  {v}"],
    ),
    ("encrypted-value", lambda: "AQICAHh" + b64(draw.rbytes(110)), ["KMS CiphertextBlob: {v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merge branch 'pm-3-cue-retry' into main ({v})"]),
    ("uuid", uuid4, ["Squadcast service {v}", "GitHub Actions run {v} failed"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["ED25519 key fingerprint is {v}."]),
    ("hash-or-digest", draw.apr1, ["# /etc/nginx/.htpasswd\nscanstation:{v}"]),
    ("trace-id", hex_n(32), ["Teleport session {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/gha-calm-deploy",
        ["OIDC assumes {v}"],
    ),
    ("cloud-resource-id", lambda: "gke_hca-bookings_europe-west2_tickets", ["kubectl context {v}"]),
    ("placeholder", lambda: "<PINECONE_API_KEY>", ["pinecone:\n  api_key: {v}"]),
    (
        "placeholder",
        lambda: "rootly_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["export ROOTLY_API_TOKEN={v}  # set your own"],
    ),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: calm-db\n            key: db-password"],
    ),
    (
        "templated-value",
        lambda: "{{ .Values.flagsmith.serverKey }}",
        ["  FLAGSMITH_SERVER_KEY: {v}  # chart values"],
    ),
    ("masked-value", lambda: "ser.…" + rs(ALNUM, 4), ["Flagsmith key {v} rotated"]),
    (
        "keyword-no-value",
        lambda: "BW_SESSION",
        ["ADR-10: {v} is per shell on the HCA build box, never in a dotfile"],
    ),
    (
        "keyword-no-value",
        lambda: "--from-literal",
        ["use --from-file instead of {v} so the calm-db password stays out of shell history"],
    ),
    ("private-or-reserved-ip", lambda: f"fd00:71::{rng.randint(1, 99)}", ["strongroom VLAN ULA {v}"]),
    ("version-or-date", lambda: "Headscale 0.23.0", ["hs-hca-1 still on {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the cue timeline"]),
    ("ids-and-numbers", lambda: "hca-tickets", ["Spektrix client name {v}"]),
    ("luhn-fail-number", luhn_bad, ["gift voucher {v} duplicated"]),
    ("base64-nonsecret", lambda: b64(b"strongroom:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " render@runner-1",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["TrueLayer webhook signing public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.haldenmoor-archive.example", ["From: {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAI44QH8DHBEXAMPLE",
        ["example key {v} from the AWS IAM guide, in the onboarding wiki"],
    ),
    (
        "documented-test-card",
        lambda: "4000 0025 0000 3155",
        ["Stripe 3DS test card {v} in the Friends memberships suite"],
    ),
    ("luhn-fail-number", luhn_bad, ["season ticket {v} misprinted"]),
    ("version-or-date", lambda: "2027-03-02T19:58:00Z", ["CALM search index first stalled at {v}"]),
    ("ids-and-numbers", lambda: "#" + rs(DIG, 5), ["Freshservice ticket {v} closed"]),
    (
        "hash-or-digest",
        hex_n(64),
        ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 81920441"],
    ),
    ("uuid", uuid4, ["Postmark message id {v}"]),
    ("cloud-resource-id", lambda: "hca-scanstation-frames", ["GCS bucket gs://{v} lifecycle 14d"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe key {v} rolled"]),
    (
        "templated-value",
        lambda: "var.pagerduty_token",
        ['provider "pagerduty" {\n  token = {v}  # strongroom alarms\n}'],
    ),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["ADR-9: the TrueLayer {v} for Friends renewals stays in 1Password"],
    ),
    ("ids-and-numbers", lambda: "hca-8f21c9", ["TrueLayer client id {v} (the id, the secret is separate)"]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -H 'Metadata: true' 'http://{v}/metadata/instance?api-version=2021-12-13&format=json'"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["Stripe docs key {v} in the Friends memberships README"],
    ),
    (
        "public-key-or-cert",
        lambda: "AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43),
        ["authorized_keys for render: ssh-ed25519 {v} render@runner-1"],
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
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|ser\.[A-Za-z0-9]{20}|rootly_[0-9a-f]{10}|tk_[a-z0-9]{20}"
    r"|pcsk_|sntrys_|ops_eyJ|dckr_pat_|npm_[A-Za-z0-9]{30}|SG\.[A-Za-z0-9_-]{20}|key-[0-9a-f]{32}|AC[0-9a-f]{32}"
    r"|\*:production\.[0-9a-f]{10}|gsk_[A-Za-z0-9]{20}|sk-proj-|\.atlasv1\.|squadcast\.com/v2/incidents/api/[0-9a-f]"
    r"|webhook\.office\.com/webhookb2/|chat\.googleapis\.com/v1/spaces/|discord\.com/api/webhooks/\d"
    r"|\$9\$[A-Za-z0-9./-]{20}(?!\$)"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|AccountKey=[A-Za-z0-9+/]{20}"
    r"|(?:password|secret|key) [07] [0-9A-Fa-f]{6}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|(?i:Bearer) [A-Za-z0-9._-]{20}|(?i:token) [A-Za-z0-9]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psk|privatekey)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?(?!plaintext )[A-Za-z0-9+/_.][A-Za-z0-9+/_.-]{11,}"
)

OK_MAIL_56 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_56,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t58", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
