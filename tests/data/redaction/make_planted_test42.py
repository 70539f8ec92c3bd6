# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test42.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test42.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270142)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of an artisan bakery chain with click-and-collect and wholesale ordering,
Crumbhollow Bakehouse (CHB): PM-12 the Christmas-Eve click-and-collect outage (Rails, Sidekiq, Redis,
PostgreSQL, OpenSearch), PM-15 the shop-till config leak (Square, SumUp, Shopify POS), PM-18 the
oven-telemetry gateway credentials (HiveMQ, Particle, balena, Tailscale, WireGuard), RB-3 rotating the
e-commerce and marketing keys (Shopify, Klaviyo, Mailchimp, Algolia, HubSpot, Postmark), RB-6 wholesale
orders to cafés (SFTP, Xero, Doppler, 1Password), ADR-11 the allergen-label print service (Cloudflare,
Fly.io, Sentry, Docker Hub, ngrok), ADR-14 moving the order API to Azure (Terraform, Key Vault, AKS,
GitHub Actions) and PM-20 a loyalty-card export mailed to a franchisee (cards, IBANs, phones). Common
shapes come first in each kind (``t42p…``/``t42n…``).
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
OUT = HERE / "planted_test42.jsonl"
FOLD = "test42"
rng = Random(20270142)
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
    "sourdough",
    "croissant",
    "levain",
    "brioche",
    "proofing",
    "rye",
    "focaccia",
    "crumb",
    "baguette",
    "semolina",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["orders-api", "till-sync", "wholesale-edi", "label-print", "oven-gw"], WORDS)


def hivemq_jwt() -> str:
    body = {"sub": "oven-gw-" + rs(DIG, 3), "iss": "crumbhollow-ovens", "exp": rng.randint(1_790_000_000, 1_799_000_000)}
    return encode_jwt({"alg": "ES256", "typ": "JWT"}, body, rs(B64URL, 86))


def app_jwt() -> str:
    body = {
        "iss": "https://login.crumbhollow.example/",
        "sub": "cust_" + rs(DIG, 7),
        "aud": "click-collect",
        "role": "customer",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(HEX, 16)}, body, rs(B64URL, 342))


def supabase_service_jwt() -> str:
    body = {"iss": "supabase", "ref": rs(LOW, 20), "role": "service_role", "iat": rng.randint(1_700_000_000, 1_760_000_000)}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def shopify(prefix: str) -> Gen:
    return lambda: prefix + rs(HEX, 32)


def square_token() -> str:
    return "EAAA" + rs(B64URL, 60)


def square_app_secret() -> str:
    return "sq0csp-" + rs(B64URL, 43)


def sumup_key() -> str:
    return "sup_sk_" + rs(ALNUM, 32)


def mailchimp_key() -> str:
    return rs(HEX, 32) + f"-us{rng.randint(2, 21)}"


def klaviyo_key() -> str:
    return "pk_" + rs(HEX, 34)


def cloudflare_token() -> str:
    return rs(ALNUM + "_-", 40)


def doppler_token() -> str:
    return "dp.st.prd." + rs(ALNUM, 43)


def sentry_user_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def hubspot_token() -> str:
    return "pat-eu1-" + uuid4()


def tailscale_key() -> str:
    return "tskey-auth-k" + rs(ALNUM, 10) + "CNTRL-" + rs(ALNUM, 33)


def ngrok_token() -> str:
    return rng.choice("12") + rs(ALNUM, 26) + "_" + rs(ALNUM, 21)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def hf_token() -> str:
    return "hf_" + rs(UP + LOW, 34)


def anthropic_key() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def op_service_token() -> str:
    head = b64url(json.dumps({"signInAddress": "crumbhollow.1password.eu", "userAuth": {"method": "SRPg-4096"}}, separators=(",", ":")).encode())
    return "ops_" + head + rs(B64URL, 180)


def airtable_pat() -> str:
    return "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64)


def notion_token() -> str:
    return "ntn_" + rs(DIG, 11) + rs(ALNUM, 35)


def fly_token() -> str:
    return "fo1_" + rs(B64URL, 43)


def vault_token() -> str:
    return "hvs." + rs(B64URL, 90)


def grafana_sa() -> str:
    return "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSy{rs(B64URL, 33)}&token={rs(B64URL, 43)}"


def teams_hook() -> str:
    return f"https://crumbhollow.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}/{rs(B64URL, 43)}"


def make_hook() -> str:
    return f"https://hook.eu1.make.com/{rs(LOW + DIG, 32)}"


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def rails_cookie() -> str:
    return rs(B64, 120) + "--" + rs(B64, 22) + "--" + rs(B64, 22) + "=="


def az_conn_key() -> str:
    return draw.az_account_key()


def ean13() -> str:
    """A UK (50…) EAN-13 product barcode that fails the Luhn check (so no card rule may take it)."""
    while True:
        body = "50" + rs(DIG, 10)
        check = (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body)) % 10) % 10
        code = body + str(check)
        if not luhn_ok(code):
            return code


def digits_not_luhn(n: int) -> str:
    """``n`` digits that fail the Luhn check (so no card rule may take them)."""
    while True:
        v = rng.choice("123456789") + rs(DIG, n - 1)
        if not luhn_ok(v):
            return v


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["bramwell", "ottilie", "fenella", "leopold", "clementine", "barnaby", "henrietta", "ptolemy", "imogen"]
LAST = ["pennyfeather", "crumbleholme", "ashdown", "mapleton", "greaves", "thistlewood", "buttery"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "proton.me", "btinternet.com", "hotmail.co.uk", "live.com"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["orders-api", "till-sync", "oven-gw", "wholesale-edi", "label-print", "loyalty", "sidekiq"]
STAFF = ["morwenna", "tiago", "aoife", "kwame", "ulrike", "rajan", "beatrix", "olusegun"]
HOSTS = ["orders-1", "pg-primary", "redis-2", "oven-gw-04", "label-print-1", "sftp-1", "os-node-3"]
SHOPS = ["Hebden", "Todmorden", "Ilkley", "Skipton", "Otley", "Settle"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "shop": lambda: rng.choice(SHOPS),
    "tkt": lambda: str(rng.randint(1_000, 8_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #chb-incident | {who}: "
CHAT = "[{t}] {who} in #bakehouse-eng: "
FD = "Freshdesk #{tkt} (private note by {who}): "
HIST = " {num}  "
GHA = "Run ./bin/deploy-orders\n"
RBTRACE = "ActiveRecord::ConnectionNotEstablished (connection to server failed)\n  app/models/order.rb:41:in `reserve_slot'\n"
PYTRACE = 'Traceback (most recent call last):\n  File "/opt/label-print/render.py", line 112, in print_batch\n    zpl = client.fetch(sku)\n'
GOTRACE = "panic: hivemq: not authorised\n\ngoroutine 7 [running]:\nmain.publishTelemetry(...)\n\t/src/oven-gw/mqtt.go:88 +0x2a1\n"
JSTRACE = "TypeError: fetch failed\n    at node:internal/deps/undici/undici:13502:13\n    at async syncTills (/srv/till-sync/dist/index.js:77:5)\n"
SIDEKIQ = "{ts} pid=2141 tid=ovx7 class=WholesaleInvoiceJob jid={hex} ERROR: "
NGINX = '{pip} - - [24/Dec/2026:07:58:13 +0000] "'
EXPORT = "member_no,name,email,mobile,last_ip,card,iban\n"
TILL = "# tills/{shop}/config.json\n"
TFV = "# infra/azure/orders.auto.tfvars\n"
ENV = "# .env.production (orders-api)\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, {**FILL, "hex": hex_n(24)})


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ AWS_ACCESS_KEY_ID={v} aws s3 cp menu-2026-12.pdf s3://chb-static/menus/",
            "[profile chb-legacy]\naws_access_key_id={v}\nregion=eu-west-2",
            TL + "CloudTrail: {v} listing buckets from an ASN in another country",
            '{"AccessKeyId": "{v}", "Status": "Active", "UserName": "menu-uploader"}',
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[profile chb-legacy]\naws_secret_access_key={v}",
            "  - name: AWS_SECRET_ACCESS_KEY\n    value: {v}",
            'paperclip:\n  s3_credentials:\n    secret_access_key: "{v}"',
        ],
    ),
    (
        "azure-key",
        az_conn_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=chbordersprod;AccountKey={v};EndpointSuffix=core.windows.net",
            '$ az storage blob upload-batch -d receipts -s ./out --account-name chbordersprod --account-key "{v}"',
            TFV + 'storage_account_key = "{v}"',
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "ARM_CLIENT_SECRET={v}",
            '{\n  "appId": "' + "{uuid}" + '",\n  "password": "{v}",\n  "tenant": "' + "{uuid}" + '"\n}',
        ],
    ),
    ("azure-key", draw.az_sas_sig, ["https://chbordersprod.blob.core.windows.net/receipts?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2027-01-31T00:00:00Z&sig={v}"]),
    (
        "gcp-key",
        draw.gcp_api,
        [
            "GOOGLE_MAPS_API_KEY={v}",
            '<script src="https://maps.googleapis.com/maps/api/js?key={v}&libraries=places"></script>',
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        ['{"type": "service_account", "project_id": "chb-reviews", "private_key": "{v}", "client_email": "reviews-sync@chb-reviews.iam.gserviceaccount.com"}'],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ echo {v} | docker login ghcr.io -u chb-deploy --password-stdin",
            "$ git clone https://{v}@github.com/crumbhollow/orders-api.git",
            "export GITHUB_TOKEN={v}  # added to ~/.zshrc on the build Mac",
            CHAT + "bundler needs {v} for the private gems until the app token lands",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ['[[runners]]\n  url = "https://gitlab.crumbhollow.internal/"\n  token = "{v}"', "PRIVATE-TOKEN: {v}"],
    ),
    (
        "slack-token",
        draw.slack_token,
        ["SLACK_TOKEN={v}", "slack:\n  bot_token: {v}\n  channel: '#shop-openings'"],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        ["export SLACK_WEBHOOK_URL={v}", "notify:\n  slack: {v}\n  on: [failure]"],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        [
            "config.stripe_secret_key = '{v}'",
            "$ curl https://api.stripe.com/v1/refunds -u {v}: -d payment_intent=pi_3Q",
            ENV + "STRIPE_API_KEY={v}",
        ],
    ),
    ("stripe-key", draw.stripe_whsec, ["$ stripe listen --forward-to localhost:3000/webhooks/stripe  # > Ready! Your webhook signing secret is {v}"]),
    (
        "jwt",
        hivemq_jwt,
        ["$ mosquitto_pub -h broker.crumbhollow.internal -p 8883 -u oven-gw-04 -P {v} -t ovens/4/temp -m 231", "MQTT_PASSWORD_JWT={v}"],
    ),
    (
        "jwt",
        app_jwt,
        [
            "POST /api/v1/orders/slots/reserve HTTP/2\nHost: orders.crumbhollow.example\nauthorization: Bearer {v}\ncontent-type: application/json",
            "localStorage.setItem('chb_session', '{v}')  // found in the PM-12 HAR file",
        ],
    ),
    ("jwt", supabase_service_jwt, ["SUPABASE_SERVICE_ROLE_KEY={v}"]),
    ("private-key", draw.pk("rsa"), ["# config/credentials/apple_pay_merchant.key\n{v}"]),
    ("private-key", draw.pk("pkcs8", "        "), ["    tls:\n      key: |\n        {v}"]),
    ("private-key", draw.pk("ec"), ["$ cat /etc/oven-gw/device.key\n{v}"]),
    ("private-key", draw.pk("ssh"), ["# sftp-1: /home/wholesale/.ssh/id_ed25519 (left readable, PM-18 aside)\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "DATABASE_URL=postgresql://orders:{v}@pg-primary.crumbhollow.internal:5432/orders_production",
            "REDIS_URL=rediss://default:{v}@redis-2.crumbhollow.internal:6380/0",
            "opensearch:\n  url: https://admin:{v}@os-node-3.crumbhollow.internal:9200",
            "$ lftp sftp://wholesale:{v}@sftp-1.crumbhollow.internal -e 'mirror /outbound ./edi'",
            "mongodb+srv://loyalty:{v}@loyalty.x1abc.mongodb.net/points?retryWrites=true",
            "sentinel: redis://:{v}@{pip}:26379",
            "<add key=\"EdiEndpoint\" value=\"ftps://edi:{v}@{pip}:990/in\" />",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "POSTGRES_PASSWORD={v}",
            "[client]\nuser=orders_ro\npassword={v}",
            "spring.datasource.password={v}",
            'hivemq:\n  username: oven-gw\n  password: "{v}"',
            "<Password>{v}</Password>",
            "set -x SFTP_PASS '{v}'",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ PGPASSWORD={v} pg_dump -h pg-primary -U orders orders_production > pm12.sql",
            "$ mysql -u wp -p{v} chb_blog",
            "$ curl -XPUT https://os-node-3:9200/_security/user/kibana_system/_password -d '{\"password\":\"{v}\"}'",
            "$ balena env add HIVEMQ_PASSWORD {v} --fleet chb/ovens",
            "CREATE USER label_print WITH PASSWORD '{v}';",
            "$ smbclient //nas-1/recipes -U bakeoffice%{v}",
            "$ wg-quick up oven-net && nmcli dev wifi connect CHB-Ovens password {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths": {"registry.crumbhollow.internal": {"auth": "{v}"}}}',
            "GET /api/edi/orders?since=2026-12-23 HTTP/1.1\nHost: edi.crumbhollow.example\nAuthorization: basic {v}",
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u till-sync:{v} https://tills.crumbhollow.internal/api/v2/stock",
            "$ wget --user=label-print --password={v} https://labels.crumbhollow.internal/zpl/all.zip",
        ],
    ),
    ("password-assignment", plain_pw, ["machine sftp-1.crumbhollow.internal login wholesale password {v}"]),
    (
        "bearer-token",
        opaque(44),
        [
            "-H 'Authorization: Bearer {v}'",
            'headers = {"Authorization": f"Bearer {v}"}  # label-print/render.py',
        ],
    ),
    ("vendor-token", shopify("shpat_"), ["SHOPIFY_ADMIN_API_ACCESS_TOKEN={v}", "X-Shopify-Access-Token: {v}", "$ shopify theme push --store crumbhollow --password {v}"]),
    ("vendor-token", shopify("shpss_"), ["SHOPIFY_API_SECRET={v}"]),
    ("vendor-token", shopify("shpca_"), ['ShopifyAPI::Context.setup(api_key: ENV["SHOPIFY_API_KEY"], api_secret_key: ENV["SHOPIFY_API_SECRET"], host: "orders", access_token: "{v}")']),
    ("vendor-token", square_token, [TILL + '{"square": {"access_token": "{v}", "location_id": "LH2G5W8N1TQ0X"}}', "SQUARE_ACCESS_TOKEN={v}"]),
    ("vendor-token", square_app_secret, ["SQUARE_APPLICATION_SECRET={v}"]),
    (
        "vendor-token",
        square_token,
        ['  # azurerm_key_vault_secret.square will be created\n  + resource "azurerm_key_vault_secret" "square" {\n      + name         = "square-token"\n      + value        = "{v}"\n      + key_vault_id = (known after apply)\n    }'],
    ),
    ("vendor-token", sumup_key, [TILL + '{"sumup": {"api_key": "{v}"}}', "SUMUP_API_KEY={v}"]),
    ("vendor-token", mailchimp_key, ["$ curl -u anystring:{v} https://us19.api.mailchimp.com/3.0/lists"]),
    ("vendor-token", klaviyo_key, ["KLAVIYO_PRIVATE_KEY={v}", "Authorization: Klaviyo-API-Key {v}"]),
    ("vendor-token", hex_n(32), ["ALGOLIA_ADMIN_API_KEY={v}", "algolia:\n  application_id: 7QZ4XK2M9B\n  admin_api_key: {v}"]),
    ("vendor-token", hex_n(40), ["PARTICLE_ACCESS_TOKEN={v}"]),
    ("vendor-token", opaque(32), ["BALENA_API_KEY={v}", "$ balena login --token {v}"]),
    ("vendor-token", cloudflare_token, ["CLOUDFLARE_API_TOKEN={v}", 'provider "cloudflare" {\n  api_token = "{v}"\n}']),
    ("vendor-token", hex_n(37), ["CF_API_KEY={v}\nCF_API_EMAIL=infra@crumbhollow.example"]),
    ("vendor-token", doppler_token, ["DOPPLER_TOKEN={v}", "$ doppler secrets download --no-file --token {v} -p wholesale -c prd"]),
    ("vendor-token", sentry_user_token, ["SENTRY_AUTH_TOKEN={v}", "[auth]\ntoken={v}"]),
    ("vendor-token", uuid4, ["X-Postmark-Server-Token: {v}"]),
    ("vendor-token", hubspot_token, ["HUBSPOT_PRIVATE_APP_TOKEN={v}"]),
    ("vendor-token", tailscale_key, ["$ tailscale up --authkey={v} --advertise-tags=tag:oven", "TS_AUTHKEY={v}"]),
    ("vendor-token", ngrok_token, ["$ ngrok config add-authtoken {v}", "authtoken: {v}"]),
    ("vendor-token", dockerhub_pat, ["$ echo '{v}' | docker login -u crumbhollow --password-stdin"]),
    ("vendor-token", hf_token, ["HF_TOKEN={v}", '    "source": [\n     "import os\\n",\n     "os.environ[\\"HF_TOKEN\\"] = \\"{v}\\"\\n"\n    ]']),
    ("vendor-token", anthropic_key, ["ANTHROPIC_API_KEY={v}", "client = anthropic.Anthropic(api_key=\"{v}\")  # menu-descriptions notebook"]),
    ("vendor-token", op_service_token, ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    ("vendor-token", airtable_pat, ["AIRTABLE_TOKEN={v}", "$ curl https://api.airtable.com/v0/appQ7rX2mK9pL4sT1/Recipes -H 'Authorization: Bearer {v}'"]),
    ("vendor-token", notion_token, ["NOTION_API_KEY={v}"]),
    ("vendor-token", fly_token, ["FLY_API_TOKEN={v}", "$ docker inspect label-print-1 --format '{{json .Config.Env}}'\n[\"PATH=/usr/local/sbin:/usr/local/bin\",\"FLY_API_TOKEN={v}\",\"TZ=Europe/London\"]", "$ flyctl deploy -a chb-labels --access-token {v}"]),
    ("vendor-token", hex_n(32), ["TWILIO_AUTH_TOKEN={v}"]),
    ("vendor-token", vault_token, ["$ VAULT_TOKEN={v} vault kv get -mount=kv -field=password wholesale"]),
    ("vendor-token", grafana_sa, ['GF_TOKEN="{v}"']),
    ("vendor-token", npm_token, ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    ("vendor-token", draw.wireguard_key, ["[Interface]\nAddress = 10.66.0.4/24\nPrivateKey = {v}\nListenPort = 51820"]),
    ("vendor-token", draw.age_secret_key, ["# created: 2026-11-02T10:11:12Z\n# public key: age1qqq…\n{v}"]),
    (
        "generic-api-key",
        opaque(40),
        ["UBER_EATS_CLIENT_SECRET={v}", "deliveroo:\n  api_secret: {v}", "XERO_CLIENT_SECRET={v}"],
    ),
    ("generic-api-key", hex_n(32), ["bugsnag_api_key: {v}", "x-api-key: {v}"]),
    ("generic-api-key", hex_n(128), ["SECRET_KEY_BASE={v}"]),
    ("generic-api-key", hex_n(32), ["RAILS_MASTER_KEY={v}"]),
    ("generic-api-key", rails_cookie, ["Cookie: _chb_session={v}"]),
    ("generic-api-key", opaque(48), ["ZENDESK_API_TOKEN={v}"]),
    ("webhook-url", gchat_hook, ["GCHAT_ORDERS_WEBHOOK={v}"]),
    ("webhook-url", teams_hook, ["teams_webhook_url: {v}"]),
    ("webhook-url", make_hook, ["MAKE_WEBHOOK={v}"]),
    ("webhook-url", draw.discord_hook, ["DISCORD_WEBHOOK_URL={v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders-db\ntype: Opaque\ndata:\n  POSTGRES_PASSWORD: {v}",
            "data:\n  SFTP_PASSWORD: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [PYTRACE + "botocore.exceptions.ClientError: InvalidAccessKeyId ({v})"]),
    ("aws-key", draw.aws_secret, ["| PM-12 | 08:02 | {who} | read `{v}` aloud on the bridge call |"]),
    (
        "password-in-url",
        plain_pw,
        [
            RBTRACE + "  DATABASE_URL was postgres://orders:{v}@{pip}/orders_production",
            JSTRACE + "  cause: connect to https://tills:{v}@{pip}:8443/api failed",
            SIDEKIQ + "Net::FTPPermError for ftp://wholesale:{v}@{pip}/inbound",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "[sftp]\nhost = sftp-1\nuser = wholesale\npassphrase = {v}",
            "oven-gw-04 login: root\nPassword: {v}\n(pasted into the wrong tmux pane)",
            GOTRACE + 'main.go:31: using creds user="oven-gw" pass="{v}"',
            "<Connection Name=\"Scales\" Server=\"{pip}\" UserID=\"scale\" Pwd=\"{v}\" />",
            "wifi:\n  ssid: CHB-Ovens\n  psk: {v}",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-6 step 2 | new SFTP password | {v} | sent to cafés by e-mail |",
            TL + "temp admin password for the till back office is {v}",
            "const SCALE_PASS = \"{v}\"; // label-print/src/scale.ts",
        ],
    ),
    ("jwt", hivemq_jwt, [HIST + "./mint-device-token oven-gw-04 | tee /tmp/tok  # {v}"]),
    ("jwt", app_jwt, ["Sentry event 9f2: ActionController::InvalidAuthenticityToken params={\"token\"=>\"{v}\"}"]),
    ("github-token", draw.gh_token, [GHA + "remote: Invalid username or token. https://x-access-token:{v}@github.com/crumbhollow/orders-api"]),
    ("slack-token", draw.slack_token, [CHAT + "the old bot ({v}) still posts the bake schedule"]),
    ("stripe-key", draw.stripe_key, [FD + "café owner pasted our {v} back to us from the wholesale portal source"]),
    ("vendor-token", square_token, ["{ts} till-sync WARN retrying GET /v2/inventory with token={v}"]),
    ("vendor-token", shopify("shpat_"), [NGINX + "GET /admin/api/2024-10/orders.json?access_token={v} HTTP/1.1\" 401 41"]),
    ("vendor-token", tailscale_key, ["# cloud-init user-data (oven-gw image)\nruncmd:\n  - tailscale up --auth-key {v}"]),
    ("vendor-token", mailchimp_key, ["chb=> SELECT value FROM settings WHERE key = 'mailchimp';\n {v}"]),
    ("private-key", draw.pk("rsa"), [TL + "here's the Apple Pay key so Ulrike can test:\n{v}"]),
    ("generic-api-key", opaque(32), ["{ts} DEBUG orders-api GET https://api.postcodes.example/v1/lookup?postcode=HX7&api_key={v}"]),
    ("basic-auth", basic_cred, ['{pip} - - [24/Dec/2026:08:01:12 +0000] "GET /tills/stock HTTP/1.1" 401 0 "-" "till-sync/3.2" authorization="Basic {v}"']),
    ("bearer-token", opaque(64), ["In [4]: requests.get(url, headers={'Authorization': 'Bearer {v}'})"]),
    ("k8s-secret-b64", k8s_b64, ["$ kubectl get secret orders-db -n orders -o jsonpath='{.data.POSTGRES_PASSWORD}'\n{v}"]),
    ("webhook-url", draw.slack_hook, [FD + "the new hook for #wholesale-orders is {v}"]),
    ("gcp-key", draw.gcp_oauth_secret, ['{"web":{"project_id":"chb-reviews","client_secret":"{v}","redirect_uris":["https://orders.crumbhollow.example/auth/google/callback"]}}']),
    ("vendor-token", sumup_key, ["let sumupKey = \"{v}\" // Tills/TillConfig.swift"]),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "L{num},Bramwell Pennyfeather,{v},,,,",
            FD + "customer asks us to stop emailing {v} about the advent box",
            "{ts} INFO orders-api order placed customer_email={v} slot=07:30",
            "INSERT INTO loyalty_members (shop, email) VALUES ('Ilkley', '{v}');",
            "To: {v}\nSubject: Your Christmas Eve collection is ready",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "L{num},Ottilie Crumbleholme,,{v},,,",
            FD + "please ring {v} when the gluten-free order is ready",
            "{ts} INFO loyalty sms sent to={v} template=birthday_bun",
            "| Fenella Ashdown | franchisee, Settle shop | {v} |",
            "collection_contact:\n  name: Leopold Mapleton\n  phone: '{v}'",
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "L{num},Clementine Greaves,,,,{v},",
            FD + "customer wrote the full card number {v} in the cake-message box",
            "{ts} ERROR till-sync manual keyed entry pan={v} declined",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "Dec 24 07:41:02 sftp-1 sshd[3321]: Invalid user admin from {v} port 52110",
            "{ts} WARN orders-api rack-attack throttled ip={v} path=/api/v1/slots",
            EXPORT + "L{num},Barnaby Thistlewood,,,{v},,",
            '{"event":"signup","member":"L2231","remote_addr":"{v}"}',
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '{v} - - [24/Dec/2026:07:59:41 +0000] "POST /api/v1/orders HTTP/2.0" 503',
            "fail2ban.actions: NOTICE [sshd] Ban {v}",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "L{num},Henrietta Buttery,,,,,{v}"]),
    ("iban", lambda: iban_of("IE", rs(UP, 4) + rs(DIG, 14)), [FD + "franchisee wants the rebate paid to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [FD + "new baker's NI number {v} was typed into the rota notes field"]),
    ("national-id", ssn, ["| Ptolemy Greaves | US flour broker | SSN {v} | on the W-8 form by mistake |"]),
    ("iban", lambda: draw.iban("DE"), ['{"supplier":"Mühle Imogen Ashdown","iban":"{v}","terms":"30d"}']),
    ("email", email, ["From: {v}\nTo: hello@crumbhollow.example\nSubject: allergic reaction to the walnut loaf"]),
    ("phone", phone, ["<member><name>Imogen Mapleton</name><tel>{v}</tel></member>"]),
    ("credit-card", card, ["loyalty=# SELECT card_number FROM legacy_giftcards WHERE id = 77;\n card_number\n-------------\n {v}"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.12.0.9\n(orders-api request log, PM-12)"]),
    ("ipv6", public_v6, ["orders=> SELECT last_login_ip FROM customers WHERE id = 5512;\n {v}"]),
    ("phone", phone, [CHAT + "Aoife's personal number is {v}, only if PagerDuty fails"]),
    ("email", email, ["Signed-off-by: Barnaby Ashdown <{v}>"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["$ git log -1 --format=%H\n{v}", "orders-api deployed at {v}", "Merge {v} into release/xmas"]),
    ("git-sha", lambda: rs(HEX, 7), ["hotfix {v} reverted the slot-reservation lock"]),
    (
        "uuid",
        uuid4,
        ["order_id: {v}", "ARM_TENANT_ID={v}", "Idempotency-Key: {v}", "balena device {v} online"],
    ),
    ("hash-or-digest", hex_n(64), ["$ sha256sum menu-2026-12.pdf\n{v}  menu-2026-12.pdf", "webhook body sha256={v}", "checksum = \"{v}\""]),
    ("hash-or-digest", lambda: "sha256:" + rs(HEX, 64), ["image: ghcr.io/crumbhollow/orders-api@{v}"]),
    ("hash-or-digest", hex_n(32), ["zpl template md5 {v}", 'ETag: W/"{v}"']),
    ("hash-or-digest", lambda: b64(draw.rbytes(32)), ["X-Shopify-Hmac-Sha256: {v}"]),
    ("hash-or-digest", lambda: f"t={rng.randint(1_790_000_000, 1_799_000_000)},v1={rs(HEX, 64)}", ["Stripe-Signature: {v}"]),
    ("hash-or-digest", lambda: "sha384-" + b64(draw.rbytes(48)), ['<script src="/packs/app.js" integrity="{v}" crossorigin="anonymous"></script>']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-b7ad6b7169203331-01", "trace_id={v} service=orders-api"]),
    ("trace-id", hex_n(16), ["span={v} name=sidekiq.perform"]),
    ("trace-id", draw.long_trace, ["dd.trace_id={v}"]),
    ("cloud-resource-id", lambda: f"/subscriptions/{uuid4()}/resourceGroups/rg-orders/providers/Microsoft.ContainerService/managedClusters/aks-orders", ["id: {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::chb-static-{rs(LOW + DIG, 5)}", ["bucket {v} made private after PM-12"]),
    ("cloud-resource-id", lambda: "i-0" + rs(HEX, 16), ["$ aws ssm start-session --target {v}"]),
    ("cloud-resource-id", lambda: rs(HEX, 32), ["cloudflare zone_id = \"{v}\"", "CF_ACCOUNT_ID={v}"]),
    ("placeholder", lambda: "<SHOPIFY_ADMIN_TOKEN>", ["X-Shopify-Access-Token: {v}", "SHOPIFY_ADMIN_API_ACCESS_TOKEN={v}"]),
    ("placeholder", lambda: "changeme", ["POSTGRES_PASSWORD={v}  # docker-compose.dev.yml", "hivemq:\n  password: {v}"]),
    ("placeholder", lambda: "EAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["SQUARE_ACCESS_TOKEN={v}"]),
    ("placeholder", lambda: "your-api-key-here", ["KLAVIYO_PRIVATE_KEY={v}", "SUMUP_API_KEY={v}"]),
    ("placeholder", lambda: "postgresql://USER:PASSWORD@HOST:5432/orders", ["# .env.example\nDATABASE_URL={v}"]),
    ("templated-value", lambda: "${{ secrets.AZURE_CLIENT_SECRET }}", ["          client-secret: {v}"]),
    ("templated-value", lambda: "<%= ENV['SQUARE_ACCESS_TOKEN'] %>", ["  access_token: {v}"]),
    ("templated-value", lambda: "{{ .Values.postgres.password }}", ["  POSTGRES_PASSWORD: {v}"]),
    ("templated-value", lambda: "${var.storage_account_key}", ['  storage_account_key = {v}']),
    ("templated-value", lambda: "op://Wholesale/SFTP/password", ["SFTP_PASS={v}"]),
    ("templated-value", lambda: "doppler://wholesale/prd/XERO_CLIENT_SECRET", ["XERO_CLIENT_SECRET={v}"]),
    ("masked-value", lambda: "[FILTERED]", ['Parameters: {"card_number"=>"{v}", "slot"=>"07:30"}', "password: {v}"]),
    ("masked-value", lambda: "••••••••", ["Square dashboard: access token {v} (shown once)"]),
    ("masked-value", lambda: "(sensitive value)", ['      + client_secret = {v}\n      + display_name  = "orders-api-ci"']),
    ("masked-value", lambda: "44 bytes", ["$ kubectl describe secret orders-db -n orders\nType:  Opaque\n\nData\n====\nPOSTGRES_PASSWORD:  {v}"]),
    ("masked-value", lambda: "shpat_…c41e", ["revoked {v} in the Shopify admin"]),
    ("masked-value", lambda: "**** **** **** 4417", ["receipt: VISA {v} contactless"]),
    ("keyword-no-value", lambda: "SQUARE_ACCESS_TOKEN", ["PM-15: {v} lived in the till config synced to every shop iPad."]),
    ("keyword-no-value", lambda: "AccountKey", ["ADR-14: no {v} in app settings; use managed identity."]),
    ("keyword-no-value", lambda: "authtoken", ["RB-3: rotate the ngrok {v} after the label-print demo."]),
    ("keyword-no-value", lambda: "client_secret", ["Xero {v} is read from Doppler at boot, never from disk."]),
    ("private-or-reserved-ip", priv_ip, ["bind {v}:6379", "$ ssh deploy@{v}", "scale_host: {v}"]),
    ("private-or-reserved-ip", draw.doc_ip, ["example till at {v} in the runbook"]),
    ("private-or-reserved-ip", lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", ["oven-gw-04 tailnet address {v}"]),
    ("example-email", lambda: f"{rng.choice(STAFF)}@crumbhollow.example", ["Reviewed-by: {v}"]),
    ("example-email", lambda: "customer@example.com", ['{"email":"{v}","slot":"07:30"}']),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["# docs/legacy-s3.md (menu uploads)\naws_access_key_id = {v}  # AWS sample value"]),
    ("vendor-example-key", lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", ["Stripe docs key {v} in the README"]),
    ("vendor-example-key", lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ["menu-uploader example profile: aws_secret_access_key={v} (from the AWS CLI guide)"]),
    ("version-or-date", lambda: f"{rng.randint(6, 7)}.{rng.randint(0, 2)}.{rng.randint(0, 9)}", ["Rails {v} upgrade"]),
    ("version-or-date", iso, ["slots sold out at {v}"]),
    ("public-key-or-cert", lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " wholesale@sftp-1", ["# ~/.ssh/authorized_keys (café Otley)\n{v}"]),
    ("public-key-or-cert", draw.pub_pem, ["# Apple Pay merchant public key\n{v}"]),
    ("public-key-or-cert", lambda: draw.cert_pem(), ["$ openssl x509 -in broker.crt\n{v}"]),
    ("public-key-or-cert", draw.wireguard_key, ["[Peer]\nPublicKey = {v}\nAllowedIPs = 10.66.0.0/24\nEndpoint = vpn.crumbhollow.example:51820"]),
    ("public-key-or-cert", lambda: "nodekey:" + rs(HEX, 64), ["$ tailscale status --json | jq .Self.PublicKey\n\"{v}\""]),
    ("public-key-or-cert", lambda: "B" + rs(B64URL, 86), ["VAPID_PUBLIC_KEY={v}"]),
    ("ids-and-numbers", lambda: "pk_live_51" + rs(ALNUM, 97), ["STRIPE_PUBLISHABLE_KEY={v}"]),
    ("ids-and-numbers", lambda: "sq0idp-" + rs(B64URL, 22), ["SQUARE_APPLICATION_ID={v}"]),
    ("ids-and-numbers", lambda: "L" + rs(UP + DIG, 12), ["square location_id: {v} ({shop})"]),
    ("ids-and-numbers", lambda: rs(UP + DIG, 10), ["ALGOLIA_APP_ID={v}"]),
    ("ids-and-numbers", lambda: rs(HEX, 24), ["particle device {v} (oven 4, Hebden)"]),
    ("ids-and-numbers", lambda: rs(HEX, 10), ["mailchimp audience_id: {v}"]),
    ("ids-and-numbers", lambda: f"https://{rs(HEX, 32)}@o{rs(DIG, 6)}.ingest.de.sentry.io/{rs(DIG, 7)}", ["SENTRY_DSN={v}"]),
    ("ids-and-numbers", lambda: f"gid://shopify/Order/{digits_not_luhn(13)}", ["webhook orders/paid for {v}"]),
    ("ids-and-numbers", ean13, ["sku barcode {v} (seeded rye 800g)", "EAN {v}"]),
    ("ids-and-numbers", lambda: rs(DIG, 12), ["AWS account {v} (chb-legacy)"]),
    ("ids-and-numbers", lambda: f"CHB-{rng.randint(100, 999)}", ["Linear {v}: move till config out of the repo"]),
    ("ids-and-numbers", lambda: f"ORD-{rs(DIG, 6)}", ["order {v} refunded (burnt stollen)"]),
    ("luhn-fail-number", luhn_bad, ["gift card {v} balance £12.50", "oven serial {v} replaced"]),
    ("documented-test-card", lambda: "4000 0566 5566 5556", ["click-and-collect checkout tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"oven":4,"temp_c":231,"door":"closed"}'), ["payload: {v}"]),
    ("base64-nonsecret", lambda: b64(f"shop={rng.choice(SHOPS)}&slot=07:30".encode()), ["state={v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["# secrets/orders.enc.yaml\nsquare_access_token: {v}"]),
    ("encrypted-value", lambda: draw.sealed(150), ["spec:\n  encryptedData:\n    SUMUP_API_KEY: {v}"]),
    ("encrypted-value", lambda: rs(B64, 120) + "--" + rs(B64, 16) + "--" + rs(B64, 22) + "==", ["# config/credentials/production.yml.enc (encrypted with the master key)\n{v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("hash-or-digest", lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(B64, 22) + "$" + rs(B64, 43), ["orders=> SELECT encrypted_password FROM admins LIMIT 1;\n {v}"]),
    ("hash-or-digest", lambda: draw.bcrypt("$2a$12$"), ["devise encrypted_password={v}"]),
    ("hash-or-digest", lambda: draw.apr1(), ["# /etc/nginx/.htpasswd on label-print-1\nprinter:{v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}"]),
    ("trace-id", lambda: "Root=1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: {v}"]),
    ("trace-id", lambda: rs(HEX, 16) + ":" + rs(HEX, 16) + ":0:1", ["uber-trace-id: {v}"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel {v} (#bake-schedule)"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#shop-openings)"]),
    ("ids-and-numbers", lambda: rs(LOW + DIG, 6), ["klaviyo company_id={v} (public site key)"]),
    ("ids-and-numbers", lambda: "app" + rs(ALNUM, 14), ["Airtable base {v} (Recipes)"]),
    ("ids-and-numbers", lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com", ["GOOGLE_CLIENT_ID={v}"]),
    ("ids-and-numbers", lambda: "tskey-auth-k" + rs(ALNUM, 10) + "CNTRL", ["Tailscale admin: key id {v} expired"]),
    ("ids-and-numbers", lambda: "sup_pk_" + rs(ALNUM, 32), ["SUMUP_PUBLIC_KEY={v}"]),
    ("cloud-resource-id", lambda: f"https://kv-chb-orders.vault.azure.net/secrets/square-token/{rs(HEX, 32)}", ["secret version {v}"]),
    ("cloud-resource-id", lambda: "arn:aws:iam::" + rs(DIG, 12) + ":user/menu-uploader", ["deactivated keys of {v}"]),
    ("placeholder", lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", ["  slack: {v}"]),
    ("placeholder", lambda: "-----BEGIN EC PRIVATE KEY-----\n...\n-----END EC PRIVATE KEY-----", ["# docs/oven-gw.md: put the device key here\n{v}"]),
    ("placeholder", lambda: "<paste authkey>", ["$ tailscale up --authkey={v}"]),
    ("placeholder", lambda: "hf_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", ["HF_TOKEN={v}  # .env.sample"]),
    ("templated-value", lambda: "%(SFTP_PASS)s", ["[sftp]\npassword = {v}"]),
    ("templated-value", lambda: "$(cat /run/secrets/db_password)", ["export PGPASSWORD={v}  # bin/backup-orders"]),
    ("templated-value", lambda: "@Microsoft.KeyVault(VaultName=kv-chb-orders;SecretName=square-token)", ["SQUARE_ACCESS_TOKEN={v}"]),
    ("masked-value", lambda: "sk_live_...9XyZ", ["Stripe shows the restricted key as {v}"]),
    ("masked-value", lambda: "DOPPLER_TOKEN=dp.st.prd.****", ["{v}"]),
    ("keyword-no-value", lambda: "X-Shopify-Access-Token", ["The app sends {v} only from the server, never from the theme."]),
    ("keyword-no-value", lambda: "PrivateKey", ["WireGuard {v} stays on the gateway; only the public half goes in the repo."]),
    ("private-or-reserved-ip", lambda: "169.254.169.254", ["$ curl -H Metadata:true http://{v}/metadata/identity/oauth2/token"]),
    ("private-or-reserved-ip", lambda: "fd7a:115c:a1e0::4", ["oven-gw-04 tailnet IPv6 {v}"]),
    ("version-or-date", lambda: "2026-12-24", ["| {v} | PM-12 | click-and-collect down 07:40-09:15 |"]),
    ("version-or-date", lambda: "ruby 3.3.6 / rails 7.2.2", ["runtime {v}"]),
    ("public-key-or-cert", lambda: draw.ec_pub_pem(), ["# HiveMQ JWT verification key\n{v}"]),
    ("public-key-or-cert", lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58), ["# .sops.yaml\ncreation_rules:\n  - age: {v}"]),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("base64-nonsecret", lambda: b64(b"orders-api"), ["$ echo -n orders-api | base64\n{v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO giftcards (number) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "5555555555554444", ["Square sandbox test card {v}"]),
    ("git-sha", sha40, ["| {t} | {who} pinned label-print to {v} |"]),
    ("uuid", uuid4, ["-- UPDATE orders SET status='ready' WHERE id = '{v}';", "  <OrderId>{v}</OrderId>"]),
    ("example-email", lambda: "no-reply@orders.crumbhollow.example", ["From: Crumbhollow Orders <{v}>"]),
    ("encrypted-value", lambda: "AQICAHh" + rs(B64, 180) + "==", ["kms ciphertext_blob: {v}"]),
    ("ids-and-numbers", lambda: f"01{rs('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 24)}", ["event_id={v}"]),
    ("hash-or-digest", lambda: "{SSHA}" + b64(draw.rbytes(24)), ["userPassword:: {v}"]),
    ("cloud-resource-id", lambda: "ami-0" + rs(HEX, 16), ['ami = "{v}"']),
    ("templated-value", lambda: "$SQUARE_TOKEN", ["$ curl https://connect.squareup.com/v2/locations -H \"Authorization: Bearer {v}\""]),
    ("ids-and-numbers", lambda: f"oven-gw-{rs(DIG, 2)}-{rs(LOW + DIG, 6)}", ["mqtt client_id={v} clean_start=true"]),
    ("version-or-date", lambda: "opensearch-2.27.1", ["$ helm list -n search\nopensearch  search  12  2026-12-24 08:20:11  deployed  {v}"]),
    ("ids-and-numbers", lambda: "<" + rs(HEX, 16) + "@mail.crumbhollow.example>", ["Message-ID: {v}\nSubject: PM-20 loyalty export"]),
    ("hash-or-digest", hex_n(40), ['GET /menus/2026-12.pdf HTTP/1.1\nHost: static.crumbhollow.example\nIf-None-Match: "{v}"']),
    ("ids-and-numbers", lambda: f"LOT-{rs(DIG, 6)}-{rng.choice(['RYE', 'SPELT', 'T55'])}", ["| flour lot | {v} | allergen: gluten | ok |"]),
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
    r"|hvs\.[A-Za-z0-9_-]{20}|webhooks/\d{10}|webhookb2/|hook\.eu1\.make\.com/[a-z0-9]{10}"
    r"|shp(?:at|ss|ca)_[a-f0-9]{32}|EAAA[A-Za-z0-9_-]{40}|sq0csp-|sup_sk_|[a-f0-9]{32}-us\d|pk_[a-f0-9]{34}"
    r"|dp\.st\.|sntryu_|pat-eu1-|tskey-auth-\w+-\w|dckr_pat_|hf_[A-Za-z]{30}|sk-ant-|ops_eyJ|pat[A-Za-z0-9]{14}\.[a-f0-9]{20}"
    r"|ntn_\d|fo1_|AGE-SECRET-KEY-1|glsa_|npm_[A-Za-z0-9]{30}|AccountKey=[A-Za-z0-9+/]{20}|sig=[A-Za-z0-9%]{20}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|PrivateKey = [A-Za-z0-9+/]{20}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, and a Sentry DSN's ``key@o….ingest…sentry.io`` is no mailbox.
OK_MAIL_42 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal|o\d+\.ingest\.[\w.]*sentry\.io)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers={*FILL, "hex"},
    ok_mail=OK_MAIL_42,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t42", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
