# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test50.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test50.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270150)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a conservation seed bank with cold vaults, a germination lab, a herbarium
imaging unit and a partner seed-exchange programme, Wrenmoor Seed Bank (WSB): PM-4 the missed
freezer-vault alarm (Zabbix, Alertmanager, PagerDuty, Home Assistant, Telegram, Twilio), PM-7 LIMS
keys left in a shared notebook (Benchling, LabKey, Jupyter, Illumina BaseSpace), PM-9 the herbarium
image server (IIIF, Cloudflare, R2, Wasabi, Mapbox), RB-3 the vault-site network (FortiGate, Cisco
IOS, VyOS, WireGuard), RB-8 data publishing (Zenodo, figshare, Dataverse, ORCID, GBIF, DataCite),
ADR-5 CI (Gitea, Drone, Quay, DigitalOcean, Hetzner, Terraform Cloud), ADR-11 the donor CRM
(Salesforce, Donorbox, Mailchimp, Mailjet, Postmark) and PM-12 a partner list sent to the wrong
partner (cards, IBANs, phones). Common shapes come first in each kind (``t50p…``/``t50n…``).
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
OUT = HERE / "planted_test50.jsonl"
FOLD = "test50"
rng = Random(20270150)
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
    "cotyledon",
    "radicle",
    "desiccant",
    "herbarium",
    "accession",
    "viability",
    "seedling",
    "endosperm",
    "hilum",
    "sedge",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["vault-mon", "lims-sync", "iiif-reader", "gbif-export", "drone-runner"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def telegram_token() -> str:
    return str(rng.randint(5_000_000_000, 7_999_999_999)) + ":AA" + rs(B64URL, 33)


def pagerduty_rest() -> str:
    return "u+" + rs(ALNUM + "-_", 18)


def cf_token() -> str:
    return rs(ALNUM + "-_", 40)


def benchling_key() -> str:
    return "sk_" + rs(ALNUM, 30)


def mapbox_sk() -> str:
    body = b64url(json.dumps({"u": "wrenmoor", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "sk." + body + "." + rs(B64URL, 22)


def mapbox_pk() -> str:
    body = b64url(json.dumps({"u": "wrenmoor", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode())
    return "pk." + body + "." + rs(B64URL, 22)


def cisco7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs("0123456789ABCDEF", 2 * rng.randint(7, 11))


def quay_robot() -> str:
    return rs(UP + DIG, 64)


def salesforce_sid() -> str:
    return "00D" + rs(ALNUM, 12) + "!" + rs(ALNUM + ".", 96)


def airtable_pat() -> str:
    return "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64)


def asana_pat() -> str:
    return f"2/{rs(DIG, 16)}/{rs(DIG, 16)}:{rs(HEX, 32)}"


def trello_token() -> str:
    return "ATTA" + rs(HEX, 64) + rs(HEX.upper(), 8)


def ha_jwt() -> str:
    body = {"iss": rs(HEX, 32), "iat": 1790000000 + rng.randint(0, 9999999), "exp": 2105000000}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def drone_jwt() -> str:
    body = {
        "iss": "https://auth.wrenmoor.example",
        "sub": "lims-sync",
        "scope": "accessions:write",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(HEX, 16)}, body, rs(B64URL, 342))


def cisco_type9() -> str:
    return "$9$" + rs(ALNUM + "./", 14) + "$" + rs(ALNUM + "./", 43)


def fortinet_enc() -> str:
    return "ENC " + b64(draw.rbytes(96))


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["aurelio", "bronwen", "cosima", "dunstan", "elowen", "fenwick", "guinevere", "hartley"]
LAST = ["thistlewood", "marchbanks", "pennyfeather", "cragside", "ollerenshaw", "vantongeren"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "gmx.net", "posteo.de", "hotmail.com"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["vault-mon", "lims-api", "iiif-server", "accessions-api", "exchange-portal", "donor-sync"]
STAFF = ["marisol", "tobias", "ngozi", "eilidh", "soren", "farida", "declan", "yusuf"]
HOSTS = ["vault-mon-1", "lims-1", "iiif-1", "fgt-vault", "gitea-1", "drone-1", "pg-lims"]
VAULTS = ["Vault A (-20C)", "Vault B (-20C)", "cryo dewar 3", "drying room", "germination room 2"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "vault": lambda: rng.choice(VAULTS),
    "tkt": lambda: str(rng.randint(1_000, 9_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | vault bridge | {who}: "
MM = "{who} (Mattermost ~vault-ops, {t}): "
ZAMMAD = "Zammad #{tkt} internal note by {who}: "
NB = "In [14]: "
PARTNERS = "partner,contact_email,contact_phone,card_on_file,refund_iban,accessions_sent\n"
FGT = "fgt-vault # "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws configure set aws_access_key_id {v} --profile glacier-archive",
            "[glacier-archive]\naws_access_key_id = {v}\nregion = eu-west-2",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "$ aws configure set aws_secret_access_key {v} --profile glacier-archive",
            'export AWS_SECRET_ACCESS_KEY="{v}"  # from the old imaging laptop',
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=wsbherbarium;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    ("azure-key", draw.az_client_secret, ["az login --service-principal -u {uuid} -p '{v}' --tenant {uuid}"]),
    ("gcp-key", draw.gcp_api, ["https://maps.googleapis.com/maps/api/geocode/json?address=Wrenmoor&key={v}"]),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"wsb-collections","private_key_id":"{h40}","private_key":"{v}","client_email":"sheets@wsb-collections.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ gh auth login --with-token <<< {v}",
            "- uses: actions/checkout@v4\n  with:\n    token: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ["$ git remote set-url origin https://oauth2:{v}@gitlab.com/wrenmoor/seed-atlas.git"],
    ),
    ("slack-token", draw.slack_token, [MM + "the old vault bot still runs with {v}, revoke it"]),
    (
        "slack-webhook",
        draw.slack_hook,
        ["alertmanager:\n  receivers:\n  - name: vault\n    slack_configs:\n    - api_url: {v}"],
    ),
    ("stripe-key", draw.stripe_key, ["Stripe::setApiKey('{v}'); // donations page"]),
    (
        "jwt",
        ha_jwt,
        [
            "curl -s -H 'Authorization: Bearer {v}' http://ha.wsb.internal:8123/api/states/sensor.vault_b_temperature",
            "homeassistant:\n  rest_command:\n    vault_siren:\n      headers:\n        authorization: Bearer {v}",
        ],
    ),
    ("jwt", drone_jwt, ["{ts} DEBUG accessions-api incoming token={v}"]),
    ("private-key", draw.pk("rsa"), ["$ sudo cat /etc/cantaloupe/tls/iiif.wrenmoor.example.key\n{v}"]),
    (
        "private-key",
        draw.pk("ssh", "    "),
        ["gitea_deploy_key: |\n    {v}"],
    ),
    (
        "private-key",
        lambda: draw.pem_private_key("pkcs8", sep="\n      "),
        [
            "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nmetadata:\n  name: iiif-tls\nstringData:\n  tls.key: |\n      {v}"
        ],
    ),
    (
        "private-key",
        draw.pk("ec"),
        ["ACME account key for lims.wrenmoor.example (certbot accounts dir):\n{v}"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "postgresql://lims:{v}@pg-lims.wsb.internal:5432/lims?sslmode=verify-full",
            "MONGO_URL=mongodb://imaging:{v}@10.40.2.17:27017/herbarium?authSource=admin",
            "redis://:{v}@10.40.2.30:6379/3",
            "amqps://vaultmon:{v}@mq.wsb.internal:5671/%2Falerts",
            "sftp://gbif-export:{v}@sftp.gbif.example/incoming/",
            "    url: https://alerts:{v}@ntfy.wsb.internal/vault-b",
            "ldaps://svc-gitea:{v}@dc1.wsb.internal:636",
            "mysql://labkey:{v}@db-labkey.wsb.internal:3306/labkey",
            "ftp://scanner:{v}@10.40.5.9/herbarium-sheets/",
            "DATABASE_URL=postgres://exchange:{v}@pg-exchange.wsb.internal/exchange",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "ALERTMANAGER_BASIC_AUTH_PASSWORD={v}",
            "  basic_auth:\n    username: vault-mon\n    password: {v}",
            "zabbix_server_dbpassword: {v}",
            "DBPassword={v}",
            "$ zabbix_get -s 10.40.1.21 -k vault.temp --tls-psk-identity wsb --tls-psk-file /dev/stdin <<< '{v}'",
            "username netops privilege 15 secret 0 {v}",
            "set vpn ipsec site-to-site peer 198.51.100.14 authentication pre-shared-secret {v}",
            "BORG_PASSPHRASE='{v}' borg create ssh://borg@backup.wsb.internal/./vaults::{now} /srv",
            "RESTIC_PASSWORD={v}",
            'pwd = "{v}"  # GBIF download account',
            "$ psql \"host=pg-lims user=lims password={v}\" -c 'select 1'",
            "labkey.db.password={v}",
            "ansible_become_password: {v}",
            "cantaloupe.properties:\nS3Source.secret_key = {v}",
            "$ mysqladmin -u root -p'{v}' status",
            TL + "Zabbix frontend Admin password reset to {v}",
            MM + "temporary password for the imaging kiosk is {v}",
            ZAMMAD + "FortiGate admin / {v} (rotate after the call)",
            "$ ipmitool -I lanplus -H 10.40.9.8 -U ADMIN -P {v} chassis status",
            "wifi:\n  ssid: WSB-Lab\n  wpa_psk: {v}",
            "GITEA__database__PASSWD={v}",
            "keystore.password={v}",
            "ALTER USER lims WITH PASSWORD '{v}';",
            "smtp_auth_password: {v}",
        ],
    ),
    (
        "password-assignment",
        cisco7,
        ["username netops privilege 15 password 7 {v}", "line vty 0 4\n password 7 {v}\n login"],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths": {"quay.io": {"auth": "{v}"}}}',
            "curl -H 'Authorization: Basic {v}' https://iiif.wrenmoor.example/iiif/3/admin",
        ],
    ),
    (
        "bearer-token",
        alnum(40),
        ["curl -H 'Authorization: Bearer {v}' https://fgt-vault.wsb.internal/api/v2/monitor/system/status"],
    ),
    (
        "bearer-token",
        alnum(64),
        ["GET /api/v1/accessions/export HTTP/1.1\nHost: lims.wrenmoor.example\nAuthorization: Bearer {v}"],
    ),
    (
        "vendor-token",
        telegram_token,
        [
            "curl 'https://api.telegram.org/bot{v}/sendMessage?chat_id=-1001377&text=Vault+B+at+-11C'",
            "TELEGRAM_BOT_TOKEN={v}",
        ],
    ),
    (
        "generic-api-key",
        hex_n(32),
        [
            '"routing_key": "{v}",  # PagerDuty Events v2, vault service',
            "pagerduty_configs:\n- routing_key: {v}",
        ],
    ),
    (
        "vendor-token",
        pagerduty_rest,
        ["curl -H 'Authorization: Token token={v}' https://api.pagerduty.com/incidents"],
    ),
    (
        "generic-api-key",
        hex_n(64),
        ["ZABBIX_API_TOKEN={v}", '{"jsonrpc":"2.0","method":"host.get","params":{},"auth":"{v}","id":1}'],
    ),
    (
        "vendor-token",
        cf_token,
        [
            "CLOUDFLARE_API_TOKEN={v}",
            'curl -H "Authorization: Bearer {v}" https://api.cloudflare.com/client/v4/user/tokens/verify',
        ],
    ),
    ("generic-api-key", hex_n(37), ["X-Auth-Email: ops@wrenmoor.example\nX-Auth-Key: {v}"]),
    (
        "generic-api-key",
        hex_n(64),
        [
            "[r2]\ntype = s3\nprovider = Cloudflare\nsecret_access_key = {v}\nendpoint = https://r2.cloudflarestorage.com"
        ],
    ),
    (
        "generic-api-key",
        alnum(40),
        [
            "$ rclone config create wasabi s3 provider Wasabi secret_access_key {v} endpoint s3.eu-central-2.wasabisys.com"
        ],
    ),
    (
        "vendor-token",
        mapbox_sk,
        [
            "MAPBOX_SECRET_TOKEN={v}  # tileset uploads",
            "$ tilesets upload-source wrenmoor collection-sites sites.geojson --token {v}",
        ],
    ),
    (
        "vendor-token",
        benchling_key,
        [
            'benchling = Benchling(url="https://wrenmoor.benchling.com", auth_method=ApiKeyAuth("{v}"))',
            NB + 'BENCHLING_KEY = "{v}"',
        ],
    ),
    (
        "generic-api-key",
        lambda: "apikey|" + rs(HEX, 32),
        ["api = APIWrapper('lims.wsb.internal', 'Seeds', api_key='{v}')"],
    ),
    ("vendor-token", hex_n(48), ["[I 09:14:02.118 NotebookApp] http://lims-1:8888/?token={v}"]),
    (
        "generic-api-key",
        hex_n(32),
        ["~/.basespace/default.cfg:\napiServer = https://api.basespace.illumina.com\naccessToken = {v}"],
    ),
    (
        "vendor-token",
        alnum(60),
        [
            "r = requests.post('https://zenodo.org/api/deposit/depositions', params={'access_token': '{v}'}, json={})",
            "ZENODO_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        hex_n(128),
        ["curl -H 'Authorization: token {v}' https://api.figshare.com/v2/account/articles"],
    ),
    (
        "vendor-token",
        uuid4,
        [
            "curl -H 'X-Dataverse-key: {v}' -X POST https://dataverse.wrenmoor.example/api/dataverses/seeds/datasets",
            "DATAVERSE_API_TOKEN={v}",
        ],
    ),
    ("generic-api-key", uuid4, ["ORCID_CLIENT_ID=APP-Q7K2M9X4T1B8R5WZ\nORCID_CLIENT_SECRET={v}"]),
    (
        "password-assignment",
        password,
        ["$ curl -u WSB.SEEDS:{v} -X POST https://api.datacite.org/dois -d @doi.json"],
    ),
    (
        "vendor-token",
        hex_n(40),
        [
            "$ gitea admin user generate-access-token -u ci --scopes write:repository\nAccess token was successfully created: {v}",
            "curl -H 'Authorization: token {v}' https://gitea.wsb.internal/api/v1/user/repos",
            "GITEA_TOKEN={v}",
        ],
    ),
    (
        "generic-api-key",
        alnum(32),
        ["export DRONE_SERVER=https://drone.wsb.internal\nexport DRONE_TOKEN={v}"],
    ),
    ("generic-api-key", hex_n(32), ["DRONE_RPC_SECRET={v}"]),
    ("vendor-token", quay_robot, ['$ docker login -u="wrenmoor+drone" -p="{v}" quay.io']),
    (
        "vendor-token",
        lambda: "dop_v1_" + rs(HEX, 64),
        ["$ doctl auth init --access-token {v}", "DIGITALOCEAN_TOKEN={v}"],
    ),
    (
        "vendor-token",
        alnum(64),
        ["$ HCLOUD_TOKEN={v} hcloud server list", 'provider "hcloud" {\n  token = "{v}"\n}'],
    ),
    (
        "vendor-token",
        draw.tf_cloud_token,
        ['{\n  "credentials": {\n    "app.terraform.io": {\n      "token": "{v}"\n    }\n  }\n}'],
    ),
    (
        "vendor-token",
        lambda: rs(HEX, 32) + "-us21",
        ['client.set_config({"api_key": "{v}", "server": "us21"})', "MAILCHIMP_API_KEY={v}"],
    ),
    (
        "generic-api-key",
        hex_n(32),
        ['mailjet = Client(auth=(os.environ["MJ_APIKEY_PUBLIC"], "{v}"), version="v3.1")'],
    ),
    ("vendor-token", uuid4, ["X-Postmark-Server-Token: {v}", "POSTMARK_SERVER_TOKEN={v}"]),
    (
        "vendor-token",
        salesforce_sid,
        [
            "$ SF_ACCESS_TOKEN='{v}' sf org login access-token --instance-url https://wrenmoor.my.salesforce.com --no-prompt"
        ],
    ),
    (
        "vendor-token",
        alnum(50),
        ["$ curl -u donations@wrenmoor.example:{v} https://donorbox.org/api/v1/donations"],
    ),
    (
        "vendor-token",
        lambda: "AC" + rs(HEX, 32),
        ["twilio_client = Client('{v}', os.environ['TWILIO_AUTH_TOKEN'])"],
    ),
    (
        "vendor-token",
        hex_n(32),
        ["TWILIO_AUTH_TOKEN={v}", "twilio:\n  account_sid: ${TWILIO_SID}\n  auth_token: {v}"],
    ),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        [
            "GF_SECURITY_ADMIN_TOKEN={v}",
            "curl -H 'Authorization: Bearer {v}' http://grafana.wsb.internal:3000/api/dashboards/home",
        ],
    ),
    (
        "vendor-token",
        lambda: "glc_" + rs(B64, 120) + "==",
        [
            "remote_write:\n- url: https://prometheus-prod-24-prod-eu-west-2.grafana.net/api/prom/push\n  basic_auth:\n    username: 1392846\n    password: {v}"
        ],
    ),
    (
        "vendor-token",
        lambda: "sntryu_" + rs(HEX, 64),
        ["SENTRY_AUTH_TOKEN={v} sentry-cli releases new lims@4.2.0"],
    ),
    ("vendor-token", lambda: "NRAK-" + rs(UP + DIG, 27), ["NEW_RELIC_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: "lin_api_" + rs(ALNUM, 40),
        ["curl -H 'Authorization: {v}' https://api.linear.app/graphql"],
    ),
    (
        "vendor-token",
        lambda: "ntn_" + rs(DIG, 11) + rs(ALNUM, 35),
        ['notion = Client(auth="{v}")  # accessions wiki sync'],
    ),
    (
        "vendor-token",
        airtable_pat,
        ["curl https://api.airtable.com/v0/appSeedExchange/Partners -H 'Authorization: Bearer {v}'"],
    ),
    ("vendor-token", asana_pat, ["ASANA_PAT={v}"]),
    ("vendor-token", trello_token, ["https://api.trello.com/1/boards/germination?key=$TRELLO_KEY&token={v}"]),
    (
        "generic-api-key",
        alnum(30),
        ["https://fgt-vault.wsb.internal/api/v2/cmdb/firewall/address?access_token={v}"],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nAddress = 10.40.250.1/24\nPrivateKey = {v}\nListenPort = 51820"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: lims-db\ndata:\n  password: {v}"],
    ),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    ("vendor-token", draw.openai_key, ['client = OpenAI(api_key="{v}")  # label transcription trial']),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "vendor-token",
        lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA",
        ["ANTHROPIC_API_KEY={v}  # herbarium label OCR"],
    ),
    ("vendor-token", lambda: "hf_" + rs(ALNUM, 34), ["$ huggingface-cli login --token {v}"]),
    ("vendor-token", lambda: "SK" + rs(HEX, 32), ["TWILIO_API_KEY_SID={v}"]),
    ("vendor-token", lambda: "pscale_pw_" + rs(ALNUM + "_", 43), ["EXCHANGE_DB_PASSWORD={v}"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 120),
        ["[pypi]\n  username = __token__\n  password = {v}"],
    ),
    (
        "vendor-token",
        lambda: "dckr_pat_" + rs(B64URL, 27),
        ["$ echo {v} | docker login -u wrenmoor --password-stdin"],
    ),
    (
        "vendor-token",
        lambda: "xoxb-" + rs(DIG, 12) + "-" + rs(DIG, 13) + "-" + rs(ALNUM, 24),
        ["app = App(token='{v}', signing_secret=os.environ['SLACK_SIGNING_SECRET'])"],
    ),
    ("generic-api-key", hex_n(32), ["SLACK_SIGNING_SECRET={v}"]),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://wsbherbarium.blob.core.windows.net/sheets?sv=2023-01-03&ss=b&srt=co&sp=rl&se=2027-02-01T00:00:00Z&sig={v}"
        ],
    ),
    (
        "gitlab-token",
        lambda: "glrt-" + rs(B64URL, 20),
        ["$ gitlab-runner register --non-interactive --url https://gitlab.com --token {v} --executor docker"],
    ),
    (
        "password-assignment",
        password,
        [
            "$ sshpass -p '{v}' rsync -a /srv/vaults/ backup@10.40.8.4:/vaults/",
            "$ smbclient //nas-1/herbarium -U 'WSB\\\\imaging%{v}'",
            'config system admin\n    edit "netops"\n        set password {v}\n    next\nend',
            "set security ike policy vault-b pre-shared-key ascii-text {v}",
            "| Home Assistant | ha.wsb.internal | owner | {v} |",
            "$ mosquitto_pub -h 10.40.1.5 -u vault-b -P '{v}' -t wsb/vault-b/temp -m -19.8",
            "HA_MQTT_PASSWORD={v}",
            "ZBX_PSK={v}",
            "$env:LABKEY_PASSWORD = '{v}'",
            "$ redis-cli -h 10.40.2.30 -a '{v}' --no-auth-warning info keyspace",
            "POSTGRES_PASSWORD: {v}",
            "$ htpasswd -b -c /etc/nginx/.htpasswd curator '{v}'",
            'db.password="{v}"  // exchange-portal application.conf',
            "$ mongosh 'mongodb://10.40.2.17' -u imaging -p '{v}'",
        ],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "rtsp://viewer:{v}@10.40.7.12:554/stream1  # vault B door camera",
            "jdbc:postgresql://pg-lims:5432/lims?user=lims&password={v}",
            "smb://WSB;svc-scan:{v}@nas-1.wsb.internal/herbarium",
            "influxdb: http://telegraf:{v}@10.40.1.9:8086",
        ],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"jwt_signing_key": "{v}",']),
    (
        "bearer-token",
        alnum(56),
        ["$ http GET https://dataverse.wrenmoor.example/api/admin/metrics 'Authorization:Bearer {v}'"],
    ),
    (
        "vendor-token",
        lambda: "AGE-SECRET-KEY-1" + rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58),
        ["# vault-exports.agekey\n{v}"],
    ),
    (
        "webhook-url",
        lambda: "https://hc-ping.com/" + uuid4(),
        ["*/5 * * * * /usr/local/bin/vault-probe && curl -fsS -m 10 --retry 5 {v}"],
    ),
    ("webhook-url", draw.discord_hook, ["DISCORD_WEBHOOK={v}  # volunteer collectors channel"]),
    (
        "webhook-url",
        lambda: "https://events.pagerduty.com/integration/" + rs(HEX, 32) + "/enqueue",
        ["- url: {v}"],
    ),
    ("generic-api-key", alnum(24), [ZAMMAD + "Donorbox webhook signing secret is {v}"]),
    ("jwt", ha_jwt, ["const HA_TOKEN = '{v}'; // vault dashboard kiosk"]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            PARTNERS + "Kestrel Meadows Trust,{v},,,,41",
            ZAMMAD + "volunteer collector asks us to write to {v} instead",
            "{ts} INFO exchange-portal password reset mail sent to {v}",
            "UPDATE donors SET email = '{v}' WHERE donor_id = 20931;",
        ],
    ),
    (
        "phone",
        phone,
        [
            PARTNERS + "Gorse Hill Allotments,,{v},,,7",
            ZAMMAD + "Dunstan Cragside called back from {v} about his seed parcel",
            "{ts} INFO vault-mon sms vault-b-high-temp to={v}",
            "| Elowen Pennyfeather | on-call curator, weekend | {v} |",
            'oncall:\n  name: Hartley Marchbanks\n  mobile: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            PARTNERS + "Fenwick Community Orchard,,,{v},,12",
            ZAMMAD + "donor pasted the whole card number {v} into the contact form",
            "{ts} WARN donor-sync fallback charge card={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} fgt-vault type=traffic action=deny srcip={v} dstip=10.40.1.21 dstport=10051",
            "{ts} WARN exchange-portal 40 failed logins for partner 3318 from {v}",
            '{"event":"seed_request","partner":3318,"remote_addr":"{v}"}',
            "sshd[2281]: Failed password for invalid user admin from {v} port 51944 ssh2",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '{v} - - [04/Mar/2027:02:11:09 +0000] "GET /iiif/3/sheet-4471/full/max/0/default.jpg HTTP/1.1" 200',
            "client_ip={v}",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [PARTNERS + "Cosima Vantongeren (private grower),,,,{v},3"]),
    ("iban", lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)), [ZAMMAD + "refund the shipping deposit to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [ZAMMAD + "new vault technician's NI number {v} was attached to the ticket"]),
    ("national-id", ssn, ["| Aurelio Ollerenshaw | visiting US seed physiologist | SSN {v} | honorarium |"]),
    (
        "iban",
        lambda: draw.iban("DE"),
        ['{"payee":"Bronwen Thistlewood","iban":"{v}","purpose":"collecting expenses"}'],
    ),
    ("email", email, ["Author: Guinevere Cragside <{v}>\nDate:   Tue Mar 2 10:04:51 2027 +0000"]),
    ("email", email, ["To: partners@kestrelmeadows.example\nCc: {v}\nSubject: seed exchange list Q1"]),
    ("phone", phone, ["<collector><name>Fenwick Marchbanks</name><mobile>{v}</mobile></collector>"]),
    ("credit-card", card, ["donors=# SELECT pan FROM legacy_gift_aid WHERE id = 112;\n pan\n-----\n {v}"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.40.0.4"]),
    ("phone", phone, [MM + "Bronwen is on fieldwork this week, her own mobile is {v}"]),
    ("ipv6", public_v6, ["{ts} WARN lims-api admin session opened from {v}"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "lims 4.2.0 built from {v}",
            "DRONE_COMMIT_SHA={v}",
            "Reverted {v} (vault probe threshold)",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        ["hotfix {v}: debounce the door sensor", "image: quay.io/wrenmoor/iiif:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "accession_uuid={v}",
            "{ts} INFO accessions-api request_id={v} 201",
            "| {v} | Vault B shelf 14 |",
            "X-Request-ID: {v}",
            "Alertmanager silence {v} expired",
        ],
    ),
    ("uuid", uuid4, ["GBIF dataset key {v}", "Dataverse dataset persistent id doi:10.70122/FK2/{v}"]),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM quay.io/wrenmoor/lims@{v}", "iiif image digest {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  seed-atlas-2027.01.tar.gz", "sha256sum accessions.csv -> {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Gitea-Signature-SHA1: {v}", "FortiGate cert fingerprint {v}"]),
    ("hash-or-digest", hex_n(32), ["md5 of herbarium sheet 4471.tif: {v}", "Zenodo file checksum md5:{v}"]),
    ("hash-or-digest", lambda: draw.bcrypt("$2b$12$"), ["exchange_portal.users.password_hash = '{v}'"]),
    ("hash-or-digest", lambda: draw.sha512_crypt(), ["imaging:{v}:19732:0:99999:7:::"]),
    ("hash-or-digest", cisco_type9, ["username netops privilege 15 secret 9 {v}"]),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}"']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "b7ad6b7169203331-01", "trace_id={v} span=vault.read"]),
    ("trace-id", hex_n(16), ["span_id: {v}"]),
    ("trace-id", draw.long_trace, ["FortiGate session id {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:glacier:eu-west-2:{rs(DIG, 12)}:vaults/wsb-dna-archive",
        ["archive vault {v}"],
    ),
    ("cloud-resource-id", lambda: "i-" + rs(HEX, 17), ["imaging ec2 instance {v} stopped"]),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-wsb/providers/Microsoft.Storage/storageAccounts/wsbherbarium"
        ),
        ["scope: {v}"],
    ),
    ("cloud-resource-id", lambda: "do:droplet:" + rs(DIG, 9), ["urn {v} resized"]),
    ("cloud-resource-id", lambda: "ws-" + rs(ALNUM, 16), ["Terraform Cloud workspace {v}"]),
    ("placeholder", lambda: "<your-token>", ["ZENODO_TOKEN={v}"]),
    (
        "placeholder",
        lambda: "changeme",
        ["the Zabbix docker image default {v} was still set on the lab proxy"],
    ),
    ("placeholder", lambda: "${ZABBIX_API_TOKEN}", ["auth: {v}"]),
    ("placeholder", lambda: "********", ["DBPassword={v}"]),
    (
        "placeholder",
        lambda: "dop_v1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["$ doctl auth init --access-token {v}"],
    ),
    ("placeholder", lambda: "REPLACE_ME", ["TELEGRAM_BOT_TOKEN={v}"]),
    (
        "placeholder",
        lambda: "<api-token>",
        ["curl -H 'X-Dataverse-key: {v}' https://dataverse.wrenmoor.example/api/users/:me"],
    ),
    ("placeholder", lambda: "YOUR_MAPBOX_SECRET", ["MAPBOX_SECRET_TOKEN={v}"]),
    ("templated-value", lambda: "from_secret: gitea_token", ["environment:\n  GITEA_TOKEN:\n    {v}"]),
    ("templated-value", lambda: "{{ vault_zabbix_db_password }}", ['zabbix_server_dbpassword: "{v}"']),
    ("templated-value", lambda: "${{ secrets.CLOUDFLARE_API_TOKEN }}", ["CLOUDFLARE_API_TOKEN: {v}"]),
    (
        "templated-value",
        lambda: "$__file{/run/secrets/grafana_admin}",
        ["[security]\nadmin_password = {v}  # grafana.ini on vault-mon-1"],
    ),
    ("templated-value", lambda: "!secret mqtt_password", ["mqtt:\n  password: {v}"]),
    ("templated-value", lambda: "{env:LABKEY_PASSWORD}", ["labkey.db.password={v}"]),
    ("templated-value", lambda: '${file("~/.config/hcloud/token")}', ["token = {v}"]),
    ("masked-value", lambda: "***", ["DRONE_TOKEN={v}"]),
    ("masked-value", lambda: "sntryu_****" + rs(HEX, 4), ["Sentry shows token {v} last used 2 days ago"]),
    ("masked-value", lambda: "[REDACTED]", ['{"msg":"login","user":"curator","password":"{v}"}']),
    ("masked-value", lambda: "•••• " + rs(DIG, 4), ["Donorbox card {v} declined"]),
    ("masked-value", lambda: "dop_v1_…" + rs(HEX, 4), ["DigitalOcean token {v} revoked"]),
    ("keyword-no-value", lambda: "X-Auth-Key", ["PM-9: the Cloudflare {v} moved to a scoped API token"]),
    ("keyword-no-value", lambda: "routing_key", ["Alertmanager reads the PagerDuty {v} from a file now"]),
    ("keyword-no-value", lambda: "BORG_PASSPHRASE", ["RB-3: {v} lives in the vault-site password manager"]),
    (
        "keyword-no-value",
        lambda: "access_token",
        ["the FortiGate REST {v} query parameter is disabled in 7.4"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["Zabbix proxy {v}", "vault B controller at {v}", "{ts} fgt-vault NAT {v} -> wan1"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["sample peer {v} from the VyOS docs"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["Starlink CGNAT address {v} at the field station"],
    ),
    ("example-email", lambda: "vault-alerts@wrenmoor.example", ["From: {v}"]),
    ("example-email", lambda: "partner@example.org", ["Mailjet sandbox send to {v}"]),
    ("example-email", lambda: "curators@wrenmoor.example", ["PagerDuty escalation email {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["$ aws configure set aws_access_key_id {v}  # the AWS docs example"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["Stripe::setApiKey('{v}'); // from Stripe's docs"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["aws_secret_access_key = {v}  # docs sample, never valid"],
    ),
    (
        "version-or-date",
        lambda: f"7.{rng.randint(0, 4)}.{rng.randint(1, 9)}",
        ["FortiOS {v}", "Zabbix server {v}"],
    ),
    (
        "version-or-date",
        lambda: f"2027.{rng.randint(1, 12)}.{rng.randint(1, 9)}",
        ["Home Assistant Core {v}"],
    ),
    (
        "version-or-date",
        lambda: f"2027-03-0{rng.randint(1, 9)}T0{rng.randint(0, 9)}:15:00Z",
        ["vault B back below -18C at {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["drone", "borg"], "backup"),
        ["authorized_keys on backup.wsb.internal:\n{v}"],
    ),
    ("public-key-or-cert", draw.cert_pem, ["iiif.wrenmoor.example.crt\n{v}"]),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nAllowedIPs = 10.40.250.2/32"],
    ),
    ("public-key-or-cert", mapbox_pk, ["mapboxgl.accessToken = '{v}'; // public pk token (URL-restricted)"]),
    ("public-key-or-cert", lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58), ["recipient {v}"]),
    (
        "ids-and-numbers",
        lambda: "WSB-" + rs(DIG, 6),
        ["accession {v} moved to Vault A", "germination test on {v} at 91%"],
    ),
    ("ids-and-numbers", lambda: "P" + rs(UP + DIG, 6), ["PagerDuty incident {v} acknowledged"]),
    ("ids-and-numbers", lambda: rs(DIG, 8), ["Zenodo record {v} published", "GBIF download {v} ready"]),
    ("ids-and-numbers", lambda: "APP-" + rs(UP + DIG, 16), ["ORCID client id {v} (public)"]),
    ("ids-and-numbers", lambda: "-100" + rs(DIG, 10), ["Telegram chat id {v}"]),
    ("ids-and-numbers", draw.long_id, ["Gitea action run {v}"]),
    ("luhn-fail-number", luhn_bad, ["seed packet barcode {v} did not scan", "donor gift-aid ref {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Stripe test donation with {v} succeeded"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"vault":"B","shelf":14}'), ["X-WSB-Location: {v}"]),
    ("base64-nonsecret", lambda: b64(b"accessions-api"), ["labels:\n  app.b64: {v}"]),
    ("encrypted-value", fortinet_enc, ['config system admin\n    edit "netops"\n        set password {v}']),
    ("encrypted-value", lambda: draw.sops_value(), ["borg_passphrase: {v}"]),
    ("encrypted-value", lambda: draw.sealed(260), ["spec:\n  encryptedData:\n    password: {v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merge pull request #412 from wrenmoor/vault-probe ({v})"]),
    ("uuid", uuid4, ["Home Assistant config entry {v}", "Benchling entity schema {v}"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["ED25519 key fingerprint is {v}."]),
    ("hash-or-digest", lambda: "$7$101$" + rs(B64, 16) + "$" + rs(B64, 86) + "==", ["vault-b:{v}"]),
    ("trace-id", hex_n(32), ["X-Amzn-Trace-Id: Root=1-" + "65f0a1b2-{v}"]),
    ("cloud-resource-id", lambda: "kv/data/wsb/zabbix", ["vault kv get {v}"]),
    (
        "cloud-resource-id",
        lambda: "projects/wsb-collections/secrets/mapbox-sk/versions/3",
        ["gcloud secrets versions access {v}"],
    ),
    ("placeholder", lambda: "<r2-secret-access-key>", ["secret_access_key = {v}"]),
    ("placeholder", lambda: "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["twilio_client = Client('{v}', token)"]),
    ("templated-value", lambda: "{{ .Values.lims.dbPassword }}", ["password: {v}"]),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["      valueFrom:\n        {v}:\n          name: lims-db\n          key: password"],
    ),
    ("masked-value", lambda: "glsa_…" + rs(ALNUM, 4), ["Grafana service account token {v} disabled"]),
    (
        "keyword-no-value",
        lambda: "X-Dataverse-key",
        ["RB-8: {v} comes from the publisher's keyring, not the script"],
    ),
    ("keyword-no-value", lambda: "pre-shared-secret", ["the VyOS {v} was rotated on both ends"]),
    ("private-or-reserved-ip", lambda: f"fd7a:115c:a1e0::{rng.randint(1, 99)}", ["tailnet address {v}"]),
    ("version-or-date", lambda: "Cantaloupe 5.0.6", ["iiif-1 runs {v}"]),
    ("ids-and-numbers", lambda: "INC" + rs(DIG, 7), ["see {v} for the vault alarm matrix"]),
    ("ids-and-numbers", lambda: "wrenmoor+drone", ["Quay robot account {v} (name only)"]),
    ("luhn-fail-number", luhn_bad, ["cryo tube lot {v}"]),
    ("base64-nonsecret", lambda: b64(b"vault-b:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " drone@drone-1",
        ["known host key:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["Donorbox webhook verification public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.wrenmoor.example", ["Return-Path: <{v}>"]),
    ("vendor-example-key", lambda: "AKIAI44QH8DHBEXAMPLE", ["example access key {v} from the AWS CLI guide"]),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["the jwt.io sample token {v} decodes to John Doe"],
    ),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["ansible_become_password: !vault |\n  {v}"],
    ),
    ("documented-test-card", lambda: "4000 0025 0000 3155", ["Stripe 3-D Secure test card {v}"]),
    ("luhn-fail-number", luhn_bad, ["herbarium sheet barcode {v} rejected"]),
    ("version-or-date", lambda: "v1.9.8", ["borg {v}"]),
    ("ids-and-numbers", lambda: "N" + rs(DIG, 4) + "AB", ["herbarium voucher {v}"]),
    ("hash-or-digest", hex_n(64), ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 48213"]),
    ("uuid", uuid4, ["X-PM-Message-Id: {v}  (Postmark message id, not the server token)"]),
    ("uuid", uuid4, ['{"routing_key": "$PD_ROUTING_KEY", "event_action": "resolve", "dedup_key": "{v}"}']),
    ("trace-id", lambda: rs(HEX, 16) + "-LHR", ["cf-ray: {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/wsb-glacier-writer", ["role_arn = {v}"]),
    (
        "cloud-resource-id",
        hex_n(32),
        ['zone_id = "{v}"  # wrenmoor.example', 'account_id = "{v}"  # wrangler.toml'],
    ),
    ("ids-and-numbers", lambda: "wsb-vault-b", ["TLSPSKIdentity={v}"]),
    (
        "vendor-example-key",
        lambda: "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
        [
            '<iframe src="https://www.google.com/maps/embed/v1/place?key={v}&q=Wrenmoor"> <!-- key copied from the Maps Embed docs -->'
        ],
    ),
    ("masked-value", lambda: "sk_live_…" + rs(DIG, 4), ["Stripe dashboard lists the restricted key as {v}"]),
    ("templated-value", lambda: "var.hcloud_token", ['provider "hcloud" {\n  token = {v}\n}']),
    (
        "keyword-no-value",
        lambda: "TWILIO_AUTH_TOKEN",
        ["PM-4: {v} is injected by systemd-creds on vault-mon-1"],
    ),
    ("version-or-date", lambda: "Gitea 1.22.3", ["gitea-1 upgraded to {v}"]),
    ("hash-or-digest", draw.apr1, ["curator:{v}"]),
    (
        "encrypted-value",
        fortinet_enc,
        ['config vpn ipsec phase1-interface\n    edit "to-field-station"\n        set psksecret {v}'],
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
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|SG\.[\w-]{20}|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dop_v1_[a-f0-9]{10}"
    r"|glsa_[A-Za-z0-9]{10}|glc_[A-Za-z0-9+/]{10}|sntryu_[a-f0-9]{10}|NRAK-|lin_api_|ntn_\d|pat[A-Za-z0-9]{14}\.|ATTA[a-f0-9]{10}"
    r"|pscale_pw_|npm_[A-Za-z0-9]{30}|pypi-AgE|dckr_pat_|AGE-SECRET-KEY|\.atlasv1\.|sk\.eyJ|AC[a-f0-9]{32}|SK[a-f0-9]{32}"
    r"|api\.telegram\.org/bot\d|\d{9,10}:AA[\w-]{30}|u\+[\w-]{18}|apikey\|[a-f0-9]{8}|00D[A-Za-z0-9]{12}!"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|hc-ping\.com/[0-9a-f]{8}|discord\.com/api/webhooks/\d"
    r"|AccountKey=[A-Za-z0-9+/]{20}|sig=[A-Za-z0-9%]{20}|(?:password|secret) [07] [0-9A-Fa-f]{6}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?i:token) [0-9a-f]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psk|privatekey)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.][A-Za-z0-9+/_.-]{11,}"
)

OK_MAIL_50 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_50,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t50", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
