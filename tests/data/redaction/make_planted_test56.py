# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test56.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test56.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270156)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a planetarium with a digital dome, a rooftop observatory, school outreach
and a ticketed evening programme, Corrowick Planetarium (CPL): PM-3 the dome show-control outage
(show-control API, Teleport, Authentik, Headscale), PM-6 ticketing and memberships (Spektrix, Stripe,
PayPal, TrueLayer), RB-2 cloud and platform (aws, gcloud, az, kubectl, Docker, Helm, Terraform, Postgres,
MySQL, Redis, MongoDB), RB-4 the observatory network (Pritunl, NetBird, WireGuard, Junos, Cisco IOS,
RTSP all-sky cameras), ADR-7 alerting (PagerDuty, Squadcast, Rootly, Gotify, ntfy, Slack, Teams,
Google Chat), ADR-9 flags and analytics (Flagsmith, Unleash, Amplitude, Mixpanel, Matomo, Pinecone),
ADR-10 CI and secrets (GitHub Actions, GitLab CI, Bitwarden, 1Password, KeePassXC) and PM-11 a school
booking list sent to the wrong school (emails, phones, IBANs, NI numbers). Common shapes come first in
each kind (``t56p…``/``t56n…``).
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

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test56.jsonl"
FOLD = "test56"
rng = Random(20270156)
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
    "azimuth",
    "zenith",
    "perigee",
    "nebula",
    "parallax",
    "umbra",
    "quasar",
    "equinox",
    "transit",
    "aphelion",
]
UPHEX = "0123456789ABCDEF"


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["showctl", "tickets-api", "skycam", "outreach", "dome-ops"], WORDS)


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
        "kubernetes.io/serviceaccount/namespace": "showctl",
        "kubernetes.io/serviceaccount/secret.name": "deployer-token-" + rs(LOW + DIG, 5),
        "kubernetes.io/serviceaccount/service-account.name": "deployer",
        "sub": "system:serviceaccount:showctl:deployer",
    }
    return encode_jwt({"alg": "RS256", "kid": rs(B64URL, 43)}, body, rs(B64URL, 342))


def member_jwt() -> str:
    body = {
        "iss": "members.cpl.internal",
        "sub": "member-" + rs(DIG, 6),
        "tier": "stargazer",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def gh_oidc_jwt() -> str:
    body = {
        "iss": "https://token.actions.githubusercontent.com",
        "aud": "sts.amazonaws.com",
        "repository": "corrowick/showctl",
        "ref": "refs/heads/main",
        "sub": "repo:corrowick/showctl:ref:refs/heads/main",
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
        json.dumps({"signInAddress": "corrowick.1password.eu", "userAuth": {"method": "SRPg-4096"}}).encode()
    )
    return "ops_" + head + rs(B64URL, 120)


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["anwen", "chidera", "ptolemy", "isaura", "radomir", "philippa", "ezekiel", "niamh"]
LAST = ["fairweather-holt", "obuya", "castellanos", "pennycuick", "adeyemi-ross", "whitlock"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com", "hotmail.co.uk"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["showctl", "tickets-api", "skycam", "outreach-web", "members", "flags-proxy"]
STAFF = ["tegan", "olumide", "bartek", "imogen", "sanjay", "rosalind", "caspar", "femi"]
HOSTS = ["showctl-1", "pg-1", "skycam-2", "obs-gw", "runner-1", "dome-render-3"]
SHOWS = ["Dark Skies Live", "Journey to Titan", "The Winter Hexagon", "Aurora Tonight", "Little Star"]

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

BR = "| {t} | dome bridge | {who}: "
SL = "{who} (Slack #dome-ops, {t}): "
FD = "Freshservice #{tkt} ({who}): "
SCH = "school,contact,email,mobile,ni_number,refund_iban\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws configure set aws_access_key_id {v} --profile cpl-media",
            "AWS_ACCESS_KEY_ID: {v}",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "$ aws configure set aws_secret_access_key {v} --profile cpl-media",
            "aws_secret_access_key={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        ["$ az login --service-principal -u 5b1e0c7a-cpl-render -p '{v}' --tenant corrowick.onmicrosoft.com"],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=cpldomemasters;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    ("gcp-key", draw.gcp_api, ["const MAPS_KEY = '{v}'; // outreach van route planner, server side"]),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"cpl-bookings","private_key_id":"{h40}","private_key":"{v}","client_email":"bq-export@cpl-bookings.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "GH_TOKEN={v} gh release create v3.2.0 --repo corrowick/showctl",
            'git config --global url."https://x-access-token:{v}@github.com/".insteadOf https://github.com/',
        ],
    ),
    ("gitlab-token", draw.gl_token, ["$ glab auth login --hostname gitlab.com --token {v}"]),
    ("slack-token", draw.slack_token, ["SLACK_BOT_TOKEN={v}  # #dome-ops bot"]),
    ("slack-webhook", draw.slack_hook, ["  slack_api_url: '{v}'"]),
    ("stripe-key", draw.stripe_key, ["stripe.api_key = '{v}'  # memberships"]),
    ("jwt", k8s_sa_jwt, ["users:\n- name: deployer\n  user:\n    token: {v}"]),
    ("jwt", member_jwt, ["{ts} DEBUG members login ok jwt={v}", "Cookie: cpl_member={v}"]),
    ("jwt", gh_oidc_jwt, ["::debug::OIDC token {v}"]),
    ("private-key", draw.pk("rsa"), ["$ cat ~/.ssh/id_rsa_obs\n{v}"]),
    (
        "private-key",
        draw.pk("ssh", "            "),
        [
            "      - name: ssh key for the dome render nodes\n        env:\n          SSH_KEY: |\n            {v}"
        ],
    ),
    ("private-key", lambda: draw.pem_private_key("ec", sep="\n    "), ["  tls.key: |\n    {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("pkcs8"),
        ["$ kubectl -n showctl get secret showctl-tls -o jsonpath='{.data.tls\\.key}' | base64 -d\n{v}"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DATABASE_URL=postgres://tickets:{v}@pg-1.cpl.internal:5432/tickets",
            "$ psql postgresql://showctl:{v}@10.71.2.11/showctl -c 'select now()'",
            "MYSQL_URL=mysql://outreach:{v}@10.71.2.14:3306/outreach",
            "REDIS_URL=rediss://default:{v}@10.71.2.16:6380/0",
            "MONGO_URI=mongodb+srv://members:{v}@cpl-members.xk2ab.mongodb.net/members?retryWrites=true",
            "rtsp://viewer:{v}@10.71.9.21:554/live/allsky",
            "amqp://showctl:{v}@10.71.2.20:5672/dome",
            "https://deploy:{v}@gitlab.cpl.internal/dome/showctl.git",
            "sftp://planetarium:{v}@ftp.domecontent.example/incoming",
            "smb://CPL;svc-render:{v}@10.71.4.8/showmasters",
            "ELASTIC_URL=https://elastic:{v}@10.71.2.30:9200",
            "jdbc:postgresql://10.71.2.11:5432/tickets?user=report&password={v}",
            "http://admin:{v}@10.71.9.40/cgi-bin/snapshot.cgi",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ PGPASSWORD='{v}' pg_dump -h pg-1.cpl.internal -U tickets tickets > tickets.sql",
            "pg-1.cpl.internal:5432:tickets:tickets:{v}",
            "$ mysql -h 10.71.2.14 -u outreach -p'{v}' outreach",
            "$ redis-cli -h 10.71.2.16 --tls -a '{v}' info keyspace",
            "$ mongosh 'mongodb+srv://cpl-members.xk2ab.mongodb.net/members' --username members --password '{v}'",
            "$ kubectl -n showctl create secret generic showctl-db --from-literal=DB_PASSWORD='{v}'",
            "$ helm upgrade --install tickets ./charts/tickets --set postgresql.auth.password={v}",
            "$ docker login registry.cpl.internal -u ci -p '{v}'",
            '  db_password = "{v}"',
            "POSTGRES_PASSWORD={v}",
            "    environment:\n      MYSQL_ROOT_PASSWORD: {v}",
            "spring.datasource.password={v}",
            "$ gcloud sql users set-password tickets --instance=cpl-tickets --password='{v}'",
            "$ aws rds create-db-instance --db-instance-identifier cpl-archive --master-username root --master-user-password '{v}'",
            "$ az postgres flexible-server create -n cpl-outreach-pg --admin-user pgadmin --admin-password '{v}'",
            "SHOWCTL_ADMIN_PASSWORD={v}",
            "AUTHENTIK_BOOTSTRAP_PASSWORD={v}",
            "$ sshpass -p '{v}' ssh render@10.71.4.31 'systemctl restart dome-render'",
            "$ echo '{v}' | keepassxc-cli show -s ~/vaults/dome.kdbx 'Observatory/iDRAC'",
            "auth-user-pass creds.txt  # creds.txt: obs-vpn / {v}",
            "$ openvpn --config obs.ovpn --askpass <(echo '{v}')",
            '    "password": "{v}",',
            "PAYPAL_PASSWORD={v}",
            "  smtp_auth_password: '{v}'",
            "SMTP_PASSWORD={v}",
            "$ curl -X POST https://showctl.cpl.internal/api/login -d 'user=operator&password={v}'",
            '<add key="SpektrixApiPassword" value="{v}" />',
            "ansible_ssh_pass: {v}",
            "wpa_passphrase={v}",
            "$ pritunl-client add obs-gw --password '{v}'",
            "$ ipmitool -I lanplus -H 10.71.4.200 -U root -P '{v}' power status",
            "MATOMO_DATABASE_PASSWORD={v}",
            BR + "dome projector web UI is admin / {v} on all six heads",
            SL + "the all-sky camera login is skycam / {v}, same as last year",
            FD + "Spektrix back-office user boxoffice2, password {v}, reset it after the matinee",
            BR + "temporary Authentik admin password {v} until Monday",
            SL + "Pritunl admin for tonight: admin / {v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set system radius-server 10.71.0.5 secret "{v}"',
            'set protocols ospf area 0.0.0.0 interface ae0.0 authentication md5 1 key "{v}"',
        ],
    ),
    (
        "password-assignment",
        type7,
        ["username obsadmin privilege 15 password 7 {v}", " tacacs-server key 7 {v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"registry.cpl.internal":{"auth":"{v}"}}}',
        ],
    ),
    ("basic-auth", password, ["$ curl -u showctl:'{v}' https://showctl.cpl.internal/api/v2/cue/next"]),
    (
        "basic-auth",
        alnum(32),
        ["$ curl -u cpl-tickets:{v} https://api.mixpanel.com/import?strict=1 -d @events.json"],
    ),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://showctl.cpl.internal/api/v2/shows/titan/load"],
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
            "$ curl -H 'Authorization: Bearer {v}' https://sso.cpl.internal/api/v3/core/users/",
        ],
    ),
    ("vendor-token", alnum(50), ["AUTHENTIK_SECRET_KEY={v}"]),
    (
        "vendor-token",
        hex_n(48),
        ["$ tailscale up --login-server https://hs.cpl.internal --authkey {v}"],
    ),
    (
        "vendor-token",
        lambda: (
            rs(UPHEX, 8) + "-" + rs(UPHEX, 4) + "-" + rs(UPHEX, 4) + "-" + rs(UPHEX, 4) + "-" + rs(UPHEX, 12)
        ),
        ["$ netbird up --management-url https://nb.cpl.internal --setup-key {v}"],
    ),
    ("vendor-token", alnum(32), ["PRITUNL_API_TOKEN={v}"]),
    ("vendor-token", alnum(32), ["PRITUNL_API_SECRET={v}"]),
    ("vendor-token", hex_n(32), ["PAGERDUTY_ROUTING_KEY={v}", '  - routing_key: "{v}"']),
    ("vendor-token", lambda: "rootly_" + rs(HEX, 64), ["ROOTLY_API_TOKEN={v}"]),
    (
        "vendor-token",
        lambda: "A" + rs(ALNUM, 14),
        ["$ curl 'https://gotify.cpl.internal/message?token={v}' -F title=dome -F message='cue stuck'"],
    ),
    (
        "vendor-token",
        lambda: "tk_" + rs(LOW + DIG, 29),
        ["$ curl -H 'Authorization: Bearer {v}' -d 'projector 4 lamp hours' https://ntfy.cpl.internal/dome"],
    ),
    (
        "vendor-token",
        lambda: "ser." + rs(ALNUM, 22),
        ["FLAGSMITH_SERVER_KEY={v}", "Flagsmith(environment_key='{v}')"],
    ),
    ("vendor-token", lambda: "*:production." + rs(HEX, 64), ["UNLEASH_API_TOKEN={v}"]),
    ("vendor-token", hex_n(32), ["AMPLITUDE_SECRET_KEY={v}"]),
    (
        "vendor-token",
        hex_n(32),
        [
            "$ curl 'https://stats.corrowick-planetarium.example/index.php?module=API&method=VisitsSummary.get&idSite=1&period=day&date=today&token_auth={v}'"
        ],
    ),
    ("vendor-token", lambda: "pcsk_" + rs(ALNUM, 6) + "_" + rs(ALNUM, 64), ["PINECONE_API_KEY={v}"]),
    ("vendor-token", lambda: b64(draw.rbytes(48)), ["SPEKTRIX_API_KEY={v}"]),
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
        ['BW_SESSION="{v}"', "$ bw list items --search skycam --session {v}"],
    ),
    ("vendor-token", alnum(30), ["BW_CLIENTSECRET={v}"]),
    ("vendor-token", ops_token, ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    (
        "vendor-token",
        lambda: "dckr_pat_" + rs(B64URL, 27),
        ["$ echo {v} | docker login -u corrowick --password-stdin"],
    ),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", draw.openai_key, ["OPENAI_API_KEY={v}  # show-notes summariser"]),
    (
        "vendor-token",
        lambda: (
            "sntrys_"
            + b64(
                json.dumps({"iat": 1790000000, "url": "https://sentry.io", "org": "corrowick"}).encode()
            ).rstrip("=")
            + "_"
            + rs(B64, 43)
        ),
        ["SENTRY_AUTH_TOKEN={v}"],
    ),
    ("generic-api-key", alnum(40), ["SHOWCTL_API_KEY={v}", "X-Api-Key: {v}"]),
    ("generic-api-key", hex_n(64), ["TICKETS_WEBHOOK_SECRET={v}"]),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nAddress = 10.71.250.2/32\nPrivateKey = {v}"],
    ),
    (
        "generic-api-key",
        hex_n(32),
        ["https://api.openweathermap.org/data/3.0/onecall?lat=53.41&lon=-2.23&appid={v}"],
    ),
    ("generic-api-key", alnum(48), ["SKYCAM_UPLOAD_KEY={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: tickets-db\ntype: Opaque\ndata:\n  password: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://corrowick.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
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
            "const unleash = initialize({ url: 'https://flags.cpl.internal/api', appName: 'tickets', customHeaders: { Authorization: '{v}' } });"
        ],
    ),
    ("vendor-token", alnum(60), ["$ ak-outpost --token {v}"]),
    ("vendor-token", hex_n(32), ["$ curl -H 'X-Auth-Token: {v}' https://obs-gw.cpl.internal/admin/config"]),
    ("vendor-token", lambda: "tk_" + rs(LOW + DIG, 29), ["NTFY_TOKEN={v}"]),
    ("vendor-token", lambda: "gsk_" + rs(ALNUM, 52), ["GROQ_API_KEY={v}"]),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(ALNUM + "-_", 20),
        [
            "  before_script:\n    - git remote set-url origin https://oauth2:{v}@gitlab.com/corrowick/skycam.git"
        ],
    ),
    ("github-token", draw.gh_token, ["::add-mask:: was skipped, log shows GITHUB_TOKEN={v}"]),
    ("slack-webhook", draw.slack_hook, ['"notify": {"slack": "{v}"}']),
    ("aws-key", draw.aws_secret, ["[cpl-media]\naws_secret_access_key = {v}"]),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://cpldomemasters.blob.core.windows.net/masters/titan-8k.mp4?sv=2022-11-02&sr=b&sp=r&se=2027-03-10T00:00:00Z&sig={v}"
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| obs-gw | iDRAC | root | {v} |",
            "the old dome media server still logs in as admin / {v}",
            "$ ansible-playbook render.yml -e 'ansible_become_password={v}'",
            "$ sqlcmd -S 10.71.2.40 -U sa -P '{v}' -Q 'SELECT @@VERSION'",
            "$ mysqladmin -u root --password='{v}' status",
        ],
    ),
    ("password-assignment", junos9, [SL + "that pasted Junos line has the RADIUS secret {v}, rotate it"]),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        ["OUTREACH_DB=postgresql://outreach:{v}@10.71.2.12:5432/outreach"],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"deploy_key": "{v}"']),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://outreach.cpl.internal/api/v1/schools/export"],
    ),
    ("jwt", member_jwt, ["localStorage.cpl_member = '{v}'"]),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    ("generic-api-key", alnum(40), [FD + "show-control API key from the vendor's email: {v}"]),
    ("password-assignment", password, ["$ keepassxc-cli db-create dome.kdbx --set-password <<< '{v}'"]),
    ("vendor-token", draw.sendgrid_key, [FD + "SendGrid key found in the school-visit mailer config: {v}"]),
    ("password-assignment", password, ["$ PGPASSWORD='{v}' psql -h 10.71.2.12 -U outreach outreach"]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            SCH + "St Aldhelm's Primary,Anwen Obuya,{v},,,",
            FD + "teacher asks for the invoice for the Year 5 visit at {v}",
            "{ts} INFO tickets-api e-ticket sent to {v}",
            "INSERT INTO members (name, email) VALUES ('Ptolemy Whitlock', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            SCH + "Holmbridge Academy,Chidera Castellanos,,{v},,",
            FD + "parent rang from {v} about a lost coat after {show}",
            "{ts} INFO outreach-web sms visit-reminder to={v}",
            "| Isaura Pennycuick | outreach van driver | {v} |",
            'emergency_contact:\n  name: Radomir Adeyemi-Ross\n  phone: "{v}"',
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
            "{ts} obs-gw vpn auth failed obs-vpn from {v}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [02/Mar/2027:19:41:07 +0000] "GET /shows/titan HTTP/2.0" 200', "client_addr={v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [SCH + "Felsham CE Primary,Philippa Fairweather-Holt,,,,{v}"]),
    ("iban", lambda: draw.iban("NL"), [FD + "refund the cancelled group booking to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [SCH + "Grangefield School,Ezekiel Obuya,,,{v},"]),
    ("national-id", ssn, ["| Niamh Castellanos | visiting astronomer (US) | SSN {v} | honorarium |"]),
    ("iban", lambda: draw.iban("ES"), ['{"payee":"Anwen Whitlock","iban":"{v}","ref":"guest lecture fee"}']),
    ("email", email, ["Author: Radomir Pennycuick <{v}>\nDate:   Tue Mar 2 20:05:44 2027 +0000"]),
    (
        "email",
        email,
        ["To: schools@corrowick-planetarium.example\nCc: {v}\nSubject: March visits with contact numbers"],
    ),
    ("phone", phone, [SL + "the projector engineer's mobile is {v}"]),
    ("credit-card", card, ["Spektrix order export row: 8812,ORD-55120,{v},09/29,PAID"]),
    ("ipv4", public_v4, ["X-Real-IP: {v}"]),
    ("phone", phone, ["BEGIN:VCARD\nFN:Philippa Obuya\nTEL;TYPE=cell:{v}\nEND:VCARD"]),
    ("ipv6", public_v6, ["{ts} WARN members password reset requested from {v}"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "showctl 3.2.0 (commit {v})",
            "GITHUB_SHA={v}",
            "revert {v}: cue preload timeout",
        ],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["fix {v} dome blend seams", "registry.cpl.internal/dome/showctl:{v}"]),
    (
        "uuid",
        uuid4,
        [
            "show id {v}",
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
        ["FROM registry.cpl.internal/dome/showctl@{v}", "skycam image {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  titan-8k-master.mov", "terraform lock hash {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "projector firmware SHA-1 {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "md5 of schools-march.xlsx {v}"]),
    (
        "hash-or-digest",
        lambda: "$2b$12$" + rs(CRYPT, 53),
        ["INSERT INTO staff (login, pw_hash) VALUES ('boxoffice2', '{v}');"],
    ),
    (
        "hash-or-digest",
        draw.sha512_crypt,
        ['set system login user obsadmin authentication encrypted-password "{v}"'],
    ),
    (
        "hash-or-digest",
        lambda: "$9$" + rs(CRYPT, 14) + "$" + rs(CRYPT, 43),
        ["username obsadmin secret 9 {v}"],
    ),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "4c1d2e3f5a6b7c8d-01", "trace_id={v} op=cue.next"]),
    ("trace-id", hex_n(16), ["X-B3-SpanId: {v}"]),
    ("trace-id", draw.long_trace, ["Sentry event trace {v}"]),
    ("cloud-resource-id", lambda: "cpl-members.xk2ab.mongodb.net", ["Atlas cluster host {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::cpl-show-masters-{rs(LOW + DIG, 6)}",
        ["masters bucket {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "projects/cpl-bookings/serviceAccounts/bq-export@cpl-bookings.iam.gserviceaccount.com",
        ["key rotated for {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            "/subscriptions/"
            + uuid4()
            + "/resourceGroups/cpl-render/providers/Microsoft.Storage/storageAccounts/cpldomemasters"
        ),
        ["storage account {v}"],
    ),
    ("cloud-resource-id", lambda: "corrowick/showctl", ["GitHub repo {v}"]),
    ("placeholder", lambda: "ser.XXXXXXXXXXXXXXXXXXXXXX", ["FLAGSMITH_SERVER_KEY={v}"]),
    ("placeholder", lambda: "YOUR_PAGERDUTY_ROUTING_KEY", ["PAGERDUTY_ROUTING_KEY={v}"]),
    (
        "placeholder",
        lambda: "changeme",
        ["the projector heads shipped with the password {v} (PM-3 found four)"],
    ),
    ("placeholder", lambda: "********", ["SHOWCTL_ADMIN_PASSWORD={v}"]),
    ("placeholder", lambda: "<authentik-api-token>", ["Authorization: Bearer {v}"]),
    ("placeholder", lambda: "<your-sendgrid-key>", ["SENDGRID_API_KEY={v}"]),
    (
        "placeholder",
        lambda: "$GOTIFY_TOKEN",
        ["curl 'https://gotify.cpl.internal/message?token={v}' -F message=test"],
    ),
    ("placeholder", lambda: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["AMPLITUDE_SECRET_KEY={v}"]),
    ("templated-value", lambda: "${{ secrets.SHOWCTL_API_KEY }}", ["          SHOWCTL_API_KEY: {v}"]),
    (
        "templated-value",
        lambda: "$CI_JOB_TOKEN",
        ['curl --header "JOB-TOKEN: {v}" https://gitlab.com/api/v4/projects/41/packages'],
    ),
    ("templated-value", lambda: "${POSTGRES_PASSWORD}", ["      password: {v}"]),
    ("templated-value", lambda: "{{ vault_idrac_password }}", ['idrac_password: "{v}"']),
    ("templated-value", lambda: "$GITHUB_RUN_NUMBER", ["IMAGE_TAG=3.2.{v}"]),
    ("templated-value", lambda: "op://Dome/Spektrix/password", ["SPEKTRIX_API_PASSWORD={v}"]),
    (
        "templated-value",
        lambda: "process.env.UNLEASH_API_TOKEN",
        ["  customHeaders: { Authorization: {v} },"],
    ),
    ("masked-value", lambda: "***", ["Run docker login registry.cpl.internal -u ci -p {v}"]),
    (
        "masked-value",
        lambda: "[MASKED]",
        ["$ curl -H 'Authorization: Bearer {v}' https://api.incident.io/v2/incidents"],
    ),
    ("masked-value", lambda: "[FILTERED]", ['Parameters: {"member"=>"204113", "password"=>"{v}"}']),
    ("masked-value", lambda: "XXXX XXXX XXXX " + rs(DIG, 4), ["Spektrix receipt card {v}"]),
    ("masked-value", lambda: "tk_…" + rs(LOW, 4), ["ntfy token {v} revoked in ADR-7"]),
    (
        "keyword-no-value",
        lambda: "--master-user-password",
        ["RB-2: pass {v} from Secrets Manager, not the shell"],
    ),
    (
        "keyword-no-value",
        lambda: "routing_key",
        ["ADR-7: the PagerDuty {v} is per service, one for the dome and one for tickets"],
    ),
    (
        "keyword-no-value",
        lambda: "AUTHENTIK_SECRET_KEY",
        ["PM-3: {v} was regenerated, so every session was logged out"],
    ),
    (
        "keyword-no-value",
        lambda: "tacacs-server key",
        ["rotate the {v} on both observatory switches together"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["projector head at {v}", "render node at {v}", "{ts} showctl-1 polled {v} ok"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example camera {v} in RB-4"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["render node tailnet address {v}"],
    ),
    ("example-email", lambda: "boxoffice@corrowick-planetarium.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "teacher@example.org", ["SendGrid test recipient {v}"]),
    ("example-email", lambda: "ci@corrowick-planetarium.example", ["GitHub Actions notifications from {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # from the aws configure docs"],
    ),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["jwt.io's sample token {v} in the members tests"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[docs-example]\naws_secret_access_key = {v}  # CLI user guide sample"],
    ),
    (
        "version-or-date",
        lambda: f"3.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["showctl {v} deployed", "members app {v} released"],
    ),
    ("version-or-date", lambda: "Authentik 2024.12.3", ["sso-1 runs {v}"]),
    ("version-or-date", lambda: "Teleport 16.4.2", ["obs-gw upgraded to {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["render", "deploy"], "runner-1"),
        ["deploy key (public) on showctl:\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.cert_pem,
        ["$ openssl s_client -connect tickets.cpl.internal:443 -showcerts\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = obs.corrowick-planetarium.example:51820"],
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
    ("ids-and-numbers", lambda: "HIP " + rs(DIG, 5), ["pointing test star {v}"]),
    ("ids-and-numbers", lambda: rs(HEX, 32), ["Mixpanel project token (public, in the site JS) {v}"]),
    ("luhn-fail-number", luhn_bad, ["membership card {v} reported lost", "school voucher {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Stripe test payment with {v} succeeded"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"cue":41,"show":"titan"}'), ["X-CPL-Cue: {v}"]),
    ("base64-nonsecret", lambda: b64(b"showctl"), ["labels:\n  app.b64: {v}"]),
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
    ("hash-or-digest", draw.apr1, ["# /etc/nginx/.htpasswd\nskycam:{v}"]),
    ("trace-id", hex_n(32), ["Teleport session {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/gha-showctl-deploy",
        ["OIDC assumes {v}"],
    ),
    ("cloud-resource-id", lambda: "gke_cpl-bookings_europe-west2_tickets", ["kubectl context {v}"]),
    ("placeholder", lambda: "<PINECONE_API_KEY>", ["PINECONE_API_KEY={v}"]),
    ("placeholder", lambda: "rootly_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["ROOTLY_API_TOKEN={v}"]),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: tickets-db\n            key: password"],
    ),
    ("templated-value", lambda: "{{ .Values.flagsmith.serverKey }}", ["FLAGSMITH_SERVER_KEY: {v}"]),
    ("masked-value", lambda: "ser.…" + rs(ALNUM, 4), ["Flagsmith key {v} rotated"]),
    ("keyword-no-value", lambda: "BW_SESSION", ["ADR-10: {v} lives for one shell only, never in .bashrc"]),
    (
        "keyword-no-value",
        lambda: "--from-literal",
        ["use --from-file instead of {v} so it stays out of shell history"],
    ),
    ("private-or-reserved-ip", lambda: f"fd00:71::{rng.randint(1, 99)}", ["dome VLAN ULA {v}"]),
    ("version-or-date", lambda: "Headscale 0.23.0", ["hs-1 on {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the cue timeline"]),
    ("ids-and-numbers", lambda: "cpl-tickets", ["Spektrix client name {v}"]),
    ("luhn-fail-number", luhn_bad, ["gift voucher {v} duplicated"]),
    ("base64-nonsecret", lambda: b64(b"dome:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " render@runner-1",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["TrueLayer webhook signing public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.corrowick-planetarium.example", ["From: {v}"]),
    ("vendor-example-key", lambda: "AKIAI44QH8DHBEXAMPLE", ["aws configure guide example key {v}"]),
    (
        "documented-test-card",
        lambda: "4000 0025 0000 3155",
        ["Stripe 3DS test card {v} in the memberships suite"],
    ),
    ("luhn-fail-number", luhn_bad, ["season ticket {v} misprinted"]),
    ("version-or-date", lambda: "2027-03-02T19:58:00Z", ["cue 41 first stalled at {v}"]),
    ("ids-and-numbers", lambda: "#" + rs(DIG, 5), ["Freshservice ticket {v} closed"]),
    (
        "hash-or-digest",
        hex_n(64),
        ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 81920441"],
    ),
    ("uuid", uuid4, ["Postmark message id {v}"]),
    ("cloud-resource-id", lambda: "cpl-skycam-frames", ["GCS bucket gs://{v} lifecycle 14d"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe key {v} rolled"]),
    ("templated-value", lambda: "var.pagerduty_token", ['provider "pagerduty" {\n  token = {v}\n}']),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["ADR-9: TrueLayer's {v} stays in 1Password, only the client id is in code"],
    ),
    ("ids-and-numbers", lambda: "cpl-8f21c9", ["TrueLayer client id {v} (the id, the secret is separate)"]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -H 'Metadata: true' 'http://{v}/metadata/instance?api-version=2021-02-01'"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["Stripe docs key {v} in the memberships README"],
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
    write_fold(sections(), fold=FOLD, id_prefix="t56", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
