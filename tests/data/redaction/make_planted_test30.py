# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test30.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test30.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270130)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of an online multiplayer game studio called Hallowmere Games: PM-3301 the
Rust matchmaker and game-server fleet (Cargo registry tokens, ``fly secrets set``, ``fly.toml``, Rust
panics, Sentry tokens), PM-3308 community bots (Discord bot tokens and webhooks, Telegram Bot API
URLs, Twitch), PM-3314 the NPC dialogue service (OpenAI, Anthropic and Hugging Face keys in ``.env``
files, notebooks, ``huggingface-cli``, Python tracebacks), RB-61 the secrets platform move (Vault,
Doppler, the 1Password CLI, Terraform Cloud ``credentials.tfrc.json``, Pulumi), RB-64 the web store
and player mail (Shopify, Square, Mailgun, Twilio, SMTP URLs, Okta, Auth0), ADR-097 hosting of the
launcher site (Vercel, Netlify, Heroku, DigitalOcean, Cloudflare, Supabase, PlanetScale), PM-3321
the build pipeline (``steamcmd``, npm/PyPI/RubyGems/NuGet tokens, Docker ``config.json``,
``.netrc``, kubeconfig, JDBC/ODBC strings, Datadog, PagerDuty) and PM-3327 a player-support data
exposure (Zendesk tickets, a CSV export, game-server and web logs with cookies). Common shapes come
first in each kind (``t30p…``/``t30n…``); the summary it prints says where the split falls.
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
OUT = HERE / "planted_test30.jsonl"
FOLD = "test30"
rng = Random(20270130)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
card, luhn_bad, public_v4, public_v6, priv_ip = (
    draw.card,
    draw.luhn_bad,
    draw.public_v4,
    draw.public_v6,
    draw.priv_ip,
)
ssn, nino, phone = draw.ssn, draw.nino, draw.phone

# Only type names earlier folds use.
TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = ["lantern", "gloaming", "wyvern", "hearth", "bramble", "respawn", "lobby", "quest", "tavern", "ember"]


def password() -> str:
    shape = rng.randrange(4)
    if shape == 0:
        return rs(ALNUM, rng.randint(14, 22))
    if shape == 1:
        return (
            rng.choice(WORDS).capitalize() + rs(DIG, 3) + rng.choice("!#%") + rng.choice(WORDS).capitalize()
        )
    if shape == 2:
        return "-".join(rng.sample(WORDS, 3)) + rs(DIG, 2)
    return rs(LOW, 4) + rs(UP + DIG, 8) + "." + rs(ALNUM, 5)


def plain_pw() -> str:
    """A password without shell, URL, XML, JSON, YAML or SQL metacharacters."""
    if rng.random() < 0.5:
        return rs(ALNUM, rng.randint(14, 24))
    return rng.choice(WORDS) + rng.choice(WORDS).capitalize() + rs(DIG, 4)


def basic_cred() -> str:
    user = rng.choice(["builder", "ci-bot", "launcher", "store-sync", "support-export"])
    return b64(f"{user}:{plain_pw()}".encode())


def jwt_of(head: dict, body: dict, sig_len: int) -> str:
    enc = partial(json.dumps, separators=(",", ":"))
    return b64url(enc(head).encode()) + "." + b64url(enc(body).encode()) + "." + rs(B64URL, sig_len)


def supabase_service_jwt() -> str:
    body = {
        "iss": "supabase",
        "ref": rs(LOW, 20),
        "role": "service_role",
        "iat": rng.randint(1_700_000_000, 1_760_000_000),
    }
    return jwt_of({"alg": "HS256", "typ": "JWT"}, body, 43)


def k8s_sa_jwt() -> str:
    body = {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": "ci",
        "sub": "system:serviceaccount:ci:steam-uploader",
    }
    return jwt_of({"alg": "RS256", "kid": rs(B64URL, 43)}, body, 342)


def session_jwt() -> str:
    body = {
        "sub": f"player:{rng.randint(100000, 999999)}",
        "scope": "store",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return jwt_of({"alg": "HS256", "typ": "JWT"}, body, 43)


# ---------------------------------------------------------------------------- vendor shapes
def cargo_token() -> str:
    return "cio" + rs(ALNUM, 32)


def tfc_token() -> str:
    return rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67)


def pulumi_token() -> str:
    return "pul-" + rs(HEX, 40)


def vault_token() -> str:
    if rng.random() < 0.3:
        return "hvs.CAESI" + rs(B64URL, 86)
    return "hvs." + rs(ALNUM, 24)


def doppler_token() -> str:
    kind = rng.choice(["st.prd", "st.stg", "pt", "sa"])
    return f"dp.{kind}." + rs(ALNUM, 43 if kind in ("pt", "sa") else 40)


def op_sa_token() -> str:
    body = {
        "signInAddress": "hallowmere.1password.com",
        "userAuth": {
            "method": "SRPg-4096",
            "alg": "PBES2g-HS256",
            "iterations": 650000,
            "salt": rs(B64URL, 22),
        },
        "email": rs(LOW, 12) + "@1passwordserviceaccounts.com",
        "srpX": rs(HEX, 64),
        "muk": {
            "alg": "A256GCM",
            "ext": True,
            "k": rs(B64URL, 43),
            "key_ops": ["encrypt", "decrypt"],
            "kty": "oct",
            "kid": "mp",
        },
        "secretKey": "A3-" + rs(UP + DIG, 6) + "-" + rs(UP + DIG, 6),
        "throttleSecret": {"seed": rs(HEX, 64), "uuid": rs(UP + DIG, 26)},
        "deviceUuid": rs(LOW + DIG, 26),
    }
    return "ops_" + b64url(json.dumps(body, separators=(",", ":")).encode())


def sentry_org_token() -> str:
    body = {
        "iat": rng.randint(1_760_000_000, 1_790_000_000) + 0.5,
        "url": "https://sentry.io",
        "region_url": "https://de.sentry.io",
        "org": "hallowmere",
    }
    return "sntrys_" + b64url(json.dumps(body, separators=(",", ":")).encode()) + "_" + rs(B64, 43)


def sentry_user_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def mailgun_key() -> str:
    if rng.random() < 0.5:
        return "key-" + rs(HEX, 32)
    return f"{rs(HEX, 32)}-{rs(HEX, 8)}-{rs(HEX, 8)}"


def shopify_token() -> str:
    return rng.choice(["shpat_", "shpat_", "shpss_", "shpca_"]) + rs(HEX, 32)


def square_token() -> str:
    if rng.random() < 0.6:
        return "EAAA" + rs(B64URL, 60)
    return "sq0csp-" + rs(B64URL, 43)


def okta_token() -> str:
    return "00" + rs(ALNUM + "-_", 40)


def pscale_token() -> str:
    return rng.choice(["pscale_pw_", "pscale_tkn_", "pscale_pw_"]) + rs(ALNUM + "_-", 43)


def fly_token() -> str:
    if rng.random() < 0.35:
        return "fo1_" + rs(B64URL, 43)
    return "fm2_lJPE" + rs(B64, 120) + "," + "fm2_lJPE" + rs(B64, 60)


def netlify_token() -> str:
    return "nfp_" + rs(ALNUM, 36)


def heroku_token() -> str:
    return "HRKU-AA" + rs(B64URL, 58)


def do_token() -> str:
    return rng.choice(["dop_v1_", "dop_v1_", "doo_v1_"]) + rs(HEX, 64)


def hf_token() -> str:
    return "hf_" + rs(UP + LOW, 34)


def openai_key() -> str:
    if rng.random() < 0.25:
        return "sk-svcacct-" + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)
    return "sk-proj-" + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)


def anthropic_key() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def snowflake() -> str:
    return str(rng.randint(1_100_000_000_000_000_000, 1_399_999_999_999_999_999))


def discord_bot() -> str:
    return b64(snowflake().encode()).rstrip("=") + "." + rs(B64URL, 6) + "." + rs(B64URL, 38)


def discord_hook() -> str:
    return f"https://discord.com/api/webhooks/{snowflake()}/{rs(B64URL, 68)}"


def telegram_bot() -> str:
    return f"{rng.randint(6_000_000_000, 7_999_999_999)}:AA{rs(B64URL, 33)}"


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def pypi_token() -> str:
    return "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 150)


def rubygems_token() -> str:
    return "rubygems_" + rs(HEX, 48)


def nuget_key() -> str:
    return "oy2" + rs(LOW + DIG, 43)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def dockercfg_json() -> str:
    return json.dumps({"auths": {"registry.hallowmere.internal": {"auth": basic_cred()}}})


def kubeconfig_key_b64() -> str:
    return b64(draw.private_key("ec").encode() + b"\n")


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


# ---------------------------------------------------------------------------- personal values
FIRST = [
    "aveline",
    "bartholomew",
    "cressida",
    "dmitri",
    "elowen",
    "fenwick",
    "gwendolyn",
    "hollis",
    "isolde",
    "jasper",
]
LAST = ["ashdown", "blackwood", "carrow", "dunmore", "everly", "fairweather", "greaves", "holloway"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "hotmail.co.uk",
    "gmx.net",
    "orange.fr",
]


def email() -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice([f"{f}.{last}", f"{f}{rng.randint(10, 99)}", f"{f[0]}{last}", f"{last}.{f}"])
    return f"{local}@{rng.choice(MAIL)}"


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


SVCS = ["matchmaker", "lobby-gw", "npc-dialogue", "store-api", "launcher-web", "telemetry-ingest"]
STAFF = ["wren", "tamsin", "oswin", "petra", "rafe", "sunniva", "linus", "odile"]
HOSTS = ["build-03", "mm-eu-1", "vault-1", "store-db-1", "gs-fra-12", "ops-jump"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "tkt": lambda: str(rng.randint(40_000, 49_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
    "region": lambda: rng.choice(["fra", "ams", "iad", "syd", "nrt"]),
}

# Shapes of the positions, so templates stay readable.
CHAT = "[{t}] {who}: "
ZEN = "Zendesk #{tkt} (internal note by {who}): "
DOTENV = "# services/{svc}/.env (committed in 4f1c2e9, PM-3314)\n"
NPCENV = "# npc-dialogue/.env.production\nMODEL_PROVIDER=openai\n"
FLYTOML = '# fly.toml (matchmaker)\napp = "hm-matchmaker"\nprimary_region = "fra"\n\n[env]\n'
K8S_SECRET = (
    "# deploy/{svc}/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-env\ntype: Opaque\n"
)
GHA = "# .github/workflows/release.yml (launcher)\n    steps:\n      - name: publish\n        env:\n"
TFRC = (
    '# ~/.terraform.d/credentials.tfrc.json on build-03\n{\n  "credentials": {\n    "app.terraform.io": {\n'
)
WEBLOG = '{pip} - - [{ts}] "GET /store/checkout HTTP/1.1" 302 0 "-" "HallowmereLauncher/3.8"'
GSLOG = "{ts} gs-fra-12 [net] "
STORELOG = "{ts} INFO store-api "
CSV = "ticket_id,player_name,email,phone,last_ip,card_on_file\n"
TRACE = 'Traceback (most recent call last):\n  File "/srv/npc-dialogue/app/llm.py", line 88, in complete\n    resp = client.chat.completions.create(**kw)\n'
PANIC = "thread 'tokio-runtime-worker' panicked at src/store/client.rs:142:18:\n"
MAILQ = "> From: Hallowmere Support <support@hallowmere.example>\n> Subject: Re: ticket #{tkt}\n> "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "vendor-token",
        cargo_token,
        [
            '# ~/.cargo/credentials.toml on build-03\n[registry]\ntoken = "{v}"',
            '# ~/.cargo/credentials.toml\n[registries.hallowmere]\ntoken = "{v}"',
            "$ cargo login {v}\n       Login token for `crates-io` saved",
            GHA + "          CARGO_REGISTRY_TOKEN: {v}",
        ],
    ),
    (
        "vendor-token",
        tfc_token,
        [
            TFRC + '      "token": "{v}"\n    }\n  }\n}',
            "$ export TF_TOKEN_app_terraform_io={v}",
            '# ~/.terraformrc\ncredentials "app.terraform.io" {\n  token = "{v}"\n}',
        ],
    ),
    (
        "vendor-token",
        pulumi_token,
        [
            "$ export PULUMI_ACCESS_TOKEN={v}\n$ pulumi stack select hallowmere/infra/prod",
            GHA + "          PULUMI_ACCESS_TOKEN: {v}",
            "$ pulumi login --cloud-url https://api.pulumi.com\nEnter your access token from https://app.pulumi.com/account/tokens\n    or hit <ENTER> to log in using your browser                   : {v}",
        ],
    ),
    (
        "vendor-token",
        vault_token,
        [
            "$ export VAULT_ADDR=https://vault-1.hallowmere.internal:8200\n$ export VAULT_TOKEN={v}",
            "$ vault login {v}\nSuccess! You are now authenticated.",
            "Key                  Value\n---                  -----\ntoken                {v}\ntoken_accessor       "
            + "{uuid}"
            + "\ntoken_duration       768h",
            '$ curl -s -H "X-Vault-Token: {v}" https://vault-1.hallowmere.internal:8200/v1/kv/data/store/prod',
        ],
    ),
    (
        "vendor-token",
        doppler_token,
        [
            "$ doppler configure set token {v} --scope /srv/store-api",
            "# deploy/store-api/deployment.yaml (excerpt)\n          env:\n            - name: DOPPLER_TOKEN\n              value: {v}",
            "$ export DOPPLER_TOKEN={v}\n$ doppler run -- ./store-api",
        ],
    ),
    (
        "vendor-token",
        op_sa_token,
        [
            "$ export OP_SERVICE_ACCOUNT_TOKEN={v}\n$ op item get 'steam builder' --vault Build --fields password",
            GHA + "          OP_SERVICE_ACCOUNT_TOKEN: {v}",
        ],
    ),
    (
        "vendor-token",
        sentry_org_token,
        [
            "# .sentryclirc (matchmaker)\n[auth]\ntoken={v}",
            "$ SENTRY_AUTH_TOKEN={v} sentry-cli debug-files upload --org hallowmere --project matchmaker target/release/",
        ],
    ),
    (
        "vendor-token",
        sentry_user_token,
        [
            GHA + "          SENTRY_AUTH_TOKEN: {v}",
            '$ curl -H "Authorization: Bearer {v}" https://sentry.io/api/0/projects/hallowmere/matchmaker/events/',
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 32),
        [
            "# datadog-agent.yaml on gs-fra-12\napi_key: {v}\nsite: datadoghq.eu",
            "$ docker run -d --name dd-agent -e DD_API_KEY={v} -e DD_SITE=datadoghq.eu gcr.io/datadoghq/agent:7",
            '# pagerduty.tf\nresource "pagerduty_service_integration" "matchmaker" {\n  name = "matchmaker alerts"\n}\n# alertmanager.yml\n    pagerduty_configs:\n      - routing_key: {v}',
            "TWILIO_AUTH_TOKEN={v}",
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 40),
        [
            '$ curl -X GET "https://api.datadoghq.eu/api/v1/monitor" -H "DD-API-KEY: $DD_API_KEY" -H "DD-APPLICATION-KEY: {v}"'
        ],
    ),
    (
        "vendor-token",
        twilio_sk,
        [DOTENV + "TWILIO_API_KEY={v}\nTWILIO_API_SECRET_REF=doppler://store/prod/TWILIO_API_SECRET"],
    ),
    (
        "vendor-token",
        mailgun_key,
        [
            DOTENV + "MAILGUN_API_KEY={v}\nMAILGUN_DOMAIN=mg.hallowmere.example",
            "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.hallowmere.example/messages -F to=qa@hallowmere.example",
        ],
    ),
    (
        "vendor-token",
        shopify_token,
        [
            DOTENV + "SHOPIFY_STORE=hallowmere-merch.myshopify.com\nSHOPIFY_ADMIN_TOKEN={v}",
            '$ curl -H "X-Shopify-Access-Token: {v}" https://hallowmere-merch.myshopify.com/admin/api/2025-07/orders.json',
        ],
    ),
    (
        "vendor-token",
        square_token,
        [
            DOTENV + "SQUARE_ENVIRONMENT=production\nSQUARE_ACCESS_TOKEN={v}",
            "# store-api/config/production.yaml\nsquare:\n  location_id: L8Q2M6K9T4W1X\n  access_token: {v}",
        ],
    ),
    (
        "vendor-token",
        okta_token,
        [
            '$ curl -H "Authorization: SSWS {v}" https://hallowmere.okta.com/api/v1/users?limit=200',
            '# terraform/okta/terraform.tfvars\nokta_org_name  = "hallowmere"\nokta_api_token = "{v}"',
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM + "-_", 64),
        [
            DOTENV
            + "AUTH0_DOMAIN=hallowmere.eu.auth0.com\nAUTH0_CLIENT_ID="
            + "Yq3"
            + "mT8xZpLw2N5cVb7Rk0Hs4Dj9Ga6Fe1"
            + "\nAUTH0_CLIENT_SECRET={v}",
            "# launcher-web/next.config.js (excerpt)\n  env: {\n    AUTH0_CLIENT_SECRET: '{v}',\n  },",
        ],
    ),
    (
        "jwt",
        supabase_service_jwt,
        [
            DOTENV + "SUPABASE_URL=https://abcdefghijklmnopqrst.supabase.co\nSUPABASE_SERVICE_ROLE_KEY={v}",
            "const supabase = createClient(process.env.SUPABASE_URL, '{v}') // TODO move to env",
        ],
    ),
    ("vendor-token", lambda: "sbp_" + rs(HEX, 40), ["$ supabase login --token {v}"]),
    (
        "vendor-token",
        pscale_token,
        [
            "$ pscale connect store main --org hallowmere --service-token {v} --service-token-id 4t9qk2m7xw1p",
            DOTENV
            + "PLANETSCALE_HOST=aws.connect.psdb.cloud\nPLANETSCALE_USERNAME=store_rw\nPLANETSCALE_PASSWORD={v}",
        ],
    ),
    (
        "vendor-token",
        fly_token,
        [
            '$ fly secrets set FLY_API_TOKEN="{v}" -a hm-ci-runner',
            GHA + "          FLY_API_TOKEN: {v}",
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM, 24),
        ["$ vercel deploy --prod --token {v}", GHA + "          VERCEL_TOKEN: {v}"],
    ),
    ("vendor-token", netlify_token, ["$ NETLIFY_AUTH_TOKEN={v} netlify deploy --prod --dir=dist"]),
    (
        "vendor-token",
        heroku_token,
        [
            "# ~/.netrc on ops-jump\nmachine api.heroku.com\n  login ops@hallowmere.example\n  password {v}",
            "$ export HEROKU_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        do_token,
        [
            "$ doctl auth init --access-token {v}",
            "# ~/.config/doctl/config.yaml\naccess-token: {v}\ncontext: default",
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM + "_-", 40),
        [
            '$ curl -H "Authorization: Bearer {v}" https://api.cloudflare.com/client/v4/zones?name=hallowmere.example',
            DOTENV + "CLOUDFLARE_API_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        hf_token,
        [
            NPCENV + "HF_TOKEN={v}",
            "$ huggingface-cli login --token {v}\nToken is valid (permission: write).",
        ],
    ),
    (
        "vendor-token",
        openai_key,
        [
            NPCENV + "OPENAI_API_KEY={v}",
            '    "openai_api_key": "{v}",',
            "$ export OPENAI_API_KEY={v}",
        ],
    ),
    (
        "vendor-token",
        anthropic_key,
        [
            NPCENV.replace("openai", "anthropic") + "ANTHROPIC_API_KEY={v}",
            '$ curl https://api.anthropic.com/v1/messages -H "x-api-key: {v}" -H "anthropic-version: 2023-06-01"',
        ],
    ),
    (
        "vendor-token",
        discord_bot,
        [
            "# community-bot/config.yaml\ndiscord:\n  guild_id: 1180442375530012672\n  bot_token: {v}",
            "DISCORD_BOT_TOKEN={v}",
        ],
    ),
    (
        "webhook-url",
        discord_hook,
        [
            "# alertmanager.yml\n  - name: discord-ops\n    discord_configs:\n      - webhook_url: {v}",
            "$ curl -H 'Content-Type: application/json' -d '{\"content\": \"build 3.8.1 uploaded\"}' {v}",
        ],
    ),
    (
        "vendor-token",
        telegram_bot,
        [
            "TELEGRAM_BOT_TOKEN={v}\nTELEGRAM_CHAT_ID=-1002233445566",
            '# community-bot/config.yaml\ntelegram:\n  token: "{v}"',
        ],
    ),
    (
        "vendor-token",
        npm_token,
        [
            "# launcher-web/.npmrc\n//registry.npmjs.org/:_authToken={v}",
            GHA + "          NODE_AUTH_TOKEN: {v}",
        ],
    ),
    (
        "vendor-token",
        pypi_token,
        [
            "# ~/.pypirc on build-03\n[pypi]\n  username = __token__\n  password = {v}",
            "$ twine upload -u __token__ -p {v} dist/*",
        ],
    ),
    ("vendor-token", rubygems_token, ["# ~/.gem/credentials\n---\n:rubygems_api_key: {v}"]),
    (
        "vendor-token",
        nuget_key,
        [
            "$ dotnet nuget push Hallowmere.Net.3.8.1.nupkg --api-key {v} --source https://api.nuget.org/v3/index.json"
        ],
    ),
    ("vendor-token", dockerhub_pat, ["$ echo {v} | docker login -u hallowmerebuild --password-stdin"]),
    (
        "basic-auth",
        basic_cred,
        [
            '# ~/.docker/config.json on build-03\n{\n  "auths": {\n    "registry.hallowmere.internal": {\n      "auth": "{v}"\n    }\n  }\n}',
            '$ curl -H "Authorization: Basic {v}" https://registry.hallowmere.internal/v2/_catalog',
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "# ~/.netrc on build-03\nmachine git.hallowmere.internal login builder password {v}",
            "$ steamcmd +login hallowmere_builder {v} +run_app_build ../scripts/app_build_2718280.vdf +quit",
            DOTENV + "DB_PASSWORD={v}",
            "# store-api/config/production.yaml\ndatabase:\n  host: store-db-1.hallowmere.internal\n  user: store\n  password: {v}",
            K8S_SECRET + "stringData:\n  REDIS_PASSWORD: {v}",
            "$ mysql -h store-db-1.hallowmere.internal -u store -p{v} store",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "spring.datasource.url=jdbc:postgresql://store-db-1.hallowmere.internal:5432/store?user=store&password={v}",
            "SMTP_URL=smtp://postmaster%40mg.hallowmere.example:{v}@smtp.eu.mailgun.org:587",
            'DATABASE_URL="postgres://lobby:{v}@lobby-db.hallowmere.internal:5432/lobby?sslmode=require"',
            "$ redis-cli -u redis://default:{v}@cache-1.hallowmere.internal:6379 info keyspace",
        ],
    ),
    (
        "bearer-token",
        k8s_sa_jwt,
        ["# ~/.kube/config (ci runner)\nusers:\n  - name: steam-uploader\n    user:\n      token: {v}"],
    ),
    (
        "k8s-secret-b64",
        kubeconfig_key_b64,
        [
            "# ~/.kube/config (ops-jump)\nusers:\n  - name: ops-admin\n    user:\n      client-certificate-data: <redacted-by-author>\n      client-key-data: {v}"
        ],
    ),
    ("private-key", draw.pk("ssh"), ["# ci/steam-deploy key, pasted in #build-ops\n{v}"]),
]


def common_secrets() -> list[tuple[str, str, str]]:
    return expand(COMMON_SECRETS)


# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "vendor-token",
        cargo_token,
        [
            PANIC
            + 'called `Result::unwrap()` on an `Err` value: Publish { registry: "crates-io", token: "{v}", status: 403 }',
            '# .cargo/config.toml\n[registries.hallowmere]\nindex = "sparse+https://cargo.hallowmere.internal/index/"\ncredential-provider = ["cargo:token"]\n# token for the above, until RB-61: {v}',
        ],
    ),
    (
        "vendor-token",
        vault_token,
        [
            CHAT + "root token from the unseal ceremony is {v}, revoke it after the migration",
            '{"request_id":"{uuid}","auth":{"client_token":"{v}","policies":["default","ci"],"lease_duration":2764800}}',
        ],
    ),
    (
        "vendor-token",
        doppler_token,
        [
            "https://api.doppler.com/v3/configs/config/secrets/download?format=env&project=store&config=prd&token={v}"
        ],
    ),
    (
        "vendor-token",
        tfc_token,
        [
            "2026-09-11T04:12:55Z [ERROR] terraform: request to https://app.terraform.io/api/v2/runs failed: 401 (Authorization: Bearer {v})"
        ],
    ),
    (
        "vendor-token",
        pulumi_token,
        [ZEN + "vendor support asked for our Pulumi org token to reproduce; {who} sent {v} in plain text"],
    ),
    (
        "vendor-token",
        discord_bot,
        [
            "2026-08-30 21:04:11 ERROR discord.client: Attempting a login with token {v} failed: 401 Unauthorized",
            CHAT
            + "bot token got posted in #mod-chat by mistake: `{v}` -- resetting it in the dev portal now",
        ],
    ),
    (
        "vendor-token",
        telegram_bot,
        [
            "2026-09-02T06:41:09Z WARN alert-relay: POST https://api.telegram.org/bot{v}/sendMessage -> 429 Too Many Requests",
            "$ curl -s https://api.telegram.org/bot{v}/getUpdates | jq '.result[-1]'",
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(LOW + DIG, 30),
        [
            "$ curl -X POST 'https://id.twitch.tv/oauth2/token?client_id=q8mz2v7k1r4t9w6y3b5n0c8x1p4s7d&client_secret={v}&grant_type=client_credentials'"
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX.upper(), 32),
        [
            "2026-09-05T10:22:18Z INFO store-api GET https://partner.steam-api.com/ISteamUser/CheckAppOwnership/v3/?key={v}&steamid=76561198000000042&appid=2718280 200"
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(UP + DIG, 52),
        [
            "POST /Server/GrantItemsToUsers HTTP/1.1\nHost: 7f3a1.playfabapi.com\nX-SecretKey: {v}\nContent-Type: application/json"
        ],
    ),
    (
        "vendor-token",
        openai_key,
        [
            TRACE
            + "openai.AuthenticationError: Error code: 401 - {'error': {'message': \"Incorrect API key provided: {v}. You can find your API key at https://platform.openai.com/account/api-keys.\"}}",
            '{"cell_type": "code", "source": ["import openai\\n", "client = openai.OpenAI(api_key=\\"{v}\\")\\n"]}',
        ],
    ),
    (
        "vendor-token",
        anthropic_key,
        ['    client = anthropic.Anthropic(api_key="{v}")  # quick test, remove before merge'],
    ),
    (
        "vendor-token",
        hf_token,
        ["$ git clone https://hm-ml:{v}@huggingface.co/hallowmere/npc-voice-lines-private"],
    ),
    (
        "vendor-token",
        sentry_user_token,
        ["$ history | grep sentry\n  512  sentry-cli --auth-token {v} releases new matchmaker@3.8.1"],
    ),
    (
        "vendor-token",
        fly_token,
        ['$ curl -H "Authorization: FlyV1 {v}" https://api.machines.dev/v1/apps/hm-matchmaker/machines'],
    ),
    (
        "vendor-token",
        do_token,
        [
            'resource "digitalocean_droplet" "gs" {\n  # provider token inline until RB-61\n}\nprovider "digitalocean" {\n  token = "{v}"\n}'
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 37),
        [
            "$ curl -H 'X-Auth-Email: ops@hallowmere.example' -H 'X-Auth-Key: {v}' https://api.cloudflare.com/client/v4/user"
        ],
    ),
    (
        "vendor-token",
        heroku_token,
        ["$ git remote -v\nheroku  https://heroku:{v}@git.heroku.com/hm-legacy-forum.git (push)"],
    ),
    (
        "vendor-token",
        okta_token,
        [ZEN + "Okta admin API token for the SSO sync is `{v}` -- please rotate after the audit"],
    ),
    (
        "vendor-token",
        square_token,
        [
            STORELOG
            + 'outbound request method=POST url=https://connect.squareup.com/v2/payments headers={"Authorization": "Bearer {v}", "Square-Version": "2025-08-20"}'
        ],
    ),
    (
        "vendor-token",
        shopify_token,
        ["https://hallowmere-merch.myshopify.com/admin/api/2025-07/products.json?access_token={v}"],
    ),
    (
        "vendor-token",
        mailgun_key,
        [
            '    raise MailgunError(f"send failed for key {v}: 401 Forbidden")\nstore_api.mail.MailgunError: send failed'
        ],
    ),
    (
        "vendor-token",
        twilio_sk,
        [CHAT + "twilio creds for the SMS 2FA test: key sid {v}, secret is in 1Password"],
    ),
    (
        "vendor-token",
        npm_token,
        [
            "$ npm config set //npm.pkg.github.com/:_authToken {v}",
            "npm ERR! 403 Forbidden - PUT https://registry.npmjs.org/@hallowmere%2fui - token {v} has expired",
        ],
    ),
    (
        "vendor-token",
        nuget_key,
        [
            '<!-- NuGet.Config -->\n<apikeys>\n  <add key="https://api.nuget.org/v3/index.json" value="{v}" />\n</apikeys>'
        ],
    ),
    (
        "bearer-token",
        lambda: rs(B64URL, 43),
        [
            "GET /store/orders/me HTTP/1.1\nHost: store.hallowmere.example\nCookie: hm_session={v}; hm_locale=en-GB",
            STORELOG + 'set-cookie="hm_session={v}; Path=/; HttpOnly; Secure; SameSite=Lax" player=483920',
        ],
    ),
    (
        "bearer-token",
        session_jwt,
        [
            '{"level":"debug","msg":"proxying","headers":{"authorization":"Bearer {v}","x-request-id":"{uuid}"}}'
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "$ op item create --category=login --title='Steam builder' username=hallowmere_builder password={v}",
            "$ vault kv put kv/store/prod db_password={v}",
            "$ pulumi config set --secret dbPassword {v}\n(warning: value echoed to the CI log by set -x)",
            "$ doppler secrets set SMTP_PASSWORD={v} --project store --config prd",
            CHAT + "planetscale branch password for the hotfix: {v} (user store_hotfix)",
            "Driver={ODBC Driver 18 for SQL Server};Server=tcp:analytics.hallowmere.internal,1433;Database=telemetry;Uid=bi_reader;Pwd={v};Encrypt=yes;",
            "$ steamcmd +login hallowmere_builder\nLogging in user 'hallowmere_builder' to Steam Public...\npassword: {v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "jdbc:mysql://store_rw:{v}@aws.connect.psdb.cloud/store?sslMode=VERIFY_IDENTITY",
            "2026-09-08T13:02:44Z ERROR lobby-gw: dial amqp://lobby:{v}@mq-1.hallowmere.internal:5672/lobby: connection refused",
        ],
    ),
    ("webhook-url", discord_hook, [ZEN + "the player pasted our old ops webhook into a forum post: {v}"]),
    (
        "webhook-url",
        lambda: f"https://events.pagerduty.com/integration/{rs(HEX, 32)}/enqueue",
        ['# alert-relay/settings.py\nPAGERDUTY_URL = "{v}"'],
    ),
    (
        "private-key",
        draw.pk("ec", "  "),
        ["# fly.toml secrets were not enough; matchmaker/config/signing.yaml\nticket_signing_key: |\n  {v}"],
    ),
    ("private-key", draw.pk("rsa"), ["$ cat ~/.ssh/id_rsa   # on gs-fra-12, during PM-3301 triage\n{v}"]),
]


def rare_secrets() -> list[tuple[str, str, str]]:
    return expand(RARE_SECRETS)


# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            CSV + "{tkt},Aveline Ashdown,{v},,,",
            ZEN + "player {v} can't log in after the 3.8 patch",
            STORELOG + "receipt mailed to={v} order=HM-{num}",
            MAILQ + "You can reach me at {v} any time.",
            "2026-09-03T11:17:40Z INFO launcher-web auth0 login success user={v} connection=Username-Password",
        ],
    ),
    (
        "phone",
        phone,
        [
            CSV + "{tkt},Dmitri Carrow,,{v},,",
            ZEN + "caller left a callback number {v}",
            STORELOG + "twilio verify sent to={v} channel=sms",
            MAILQ + "My phone is {v}, please call after 6pm.",
        ],
    ),
    (
        "credit-card",
        card,
        [
            CSV + "{tkt},Elowen Greaves,,,,{v}",
            STORELOG + "square charge failed card_number={v} code=CARD_DECLINED",
            MAILQ + "The card that was charged twice is {v}.",
            ZEN + "player typed the card number {v} into the bug report form",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            GSLOG + "player 483920 connected from {v}:51234 ping=38ms",
            CSV + "{tkt},Hollis Fairweather,,,{v},",
            '{v} - - [04/Sep/2026:19:22:07 +0000] "POST /api/login HTTP/2.0" 401 87',
            "2026-09-04T19:30:12Z WARN matchmaker: rejected ticket from {v} (bad signature)",
            ZEN + "ban appeal: player says {v} is a shared university address",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            GSLOG + "player 771204 connected from [{v}]:50022 ping=61ms",
            "2026-09-04T19:24:51Z WARN lobby-gw rate limited client_ip={v} route=/lobby/join",
        ],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        ['{"event":"purchase","player":{"id":483920,"email":"{v}","country":"GB"},"sku":"founders-pack"}'],
    ),
    (
        "email",
        email,
        [
            "$ git log -1 --format=fuller\nAuthor:     Fenwick Blackwood <{v}>\nAuthorDate: Tue Sep 2 14:11:03 2026 +0100"
        ],
    ),
    ("phone", phone, ['{"To": "{v}", "Status": "delivered", "Channel": "sms", "Template": "login-code"}']),
    ("ipv6", public_v6, ["X-Real-IP: {v}\n(from the lobby-gw request dump attached to PM-3327)"]),
    ("phone", phone, ["Voicemail (PM-3327): hi, it's Isolde again about the refund, ring {v} please"]),
    (
        "credit-card",
        card,
        [
            "Sentry event 3.8.1: KeyError 'cvv' in checkout.py line 212\n  locals: {'pan': '{v}', 'exp': '11/29'}"
        ],
    ),
    (
        "national-id",
        ssn,
        [ZEN + "chargeback form attached; player typed their SSN {v} into the free-text box"],
    ),
    ("national-id", nino, ["support_export_2026-09.csv: {tkt},Bartholomew Holloway,,,,,NI {v}"]),
    ("iban", lambda: draw.iban("GB"), [MAILQ + "Refund the founders pack to {v} please (J. Everly)."]),
    (
        "ipv4",
        public_v4,
        ["X-Forwarded-For: {v}, 10.8.0.14\n(from the store-api request dump attached to PM-3327)"],
    ),
]


def common_personal() -> list[tuple[str, str, str]]:
    return expand(COMMON_PERSONAL)


def rare_personal() -> list[tuple[str, str, str]]:
    return expand(RARE_PERSONAL)


# ---------------------------------------------------------------------------- negatives
def ssh_ed25519() -> str:
    return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " build@hallowmere"


def npm_integrity() -> str:
    return "sha512-" + b64(draw.rbytes(64))


def pulumi_secure() -> str:
    return "v1:" + rs(B64, 16) + ":" + b64(draw.rbytes(rng.randint(30, 48)))


def vault_wrapped() -> str:
    return "vault:v1:" + b64(draw.rbytes(rng.randint(28, 44)))


def cert_pem() -> str:
    body = ["MIIDdzCCAl+gAwIBAgIU" + rs(B64, 44)] + [rs(B64, 64) for _ in range(6)] + [rs(B64, 20) + "="]
    return "\n".join(["-----BEGIN CERTIFICATE-----", *body, "-----END CERTIFICATE-----"])


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            '# Cargo.lock\n[[package]]\nname = "hm-netcode"\nversion = "0.14.2"\nsource = "git+https://git.hallowmere.internal/engine/netcode?rev=3c1e9a0#{v}"',
            "$ git rev-parse HEAD\n{v}",
            "Sentry release matchmaker@3.8.1 (commit {v})",
            "$ huggingface-cli download hallowmere/npc-dialogue-7b --revision {v}",
            "Vercel deployment for launcher-web built from {v} (branch main)",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        [
            "$ git log --oneline -1\n{v} matchmaker: read tokens from Doppler",
            "fixed in {v}, see PM-3301 follow-ups",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            '# Cargo.lock\n[[package]]\nname = "tokio"\nversion = "1.47.1"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{v}"',
            "pydantic==2.11.7 \\\n    --hash=sha256:{v}",
            "$ sha256sum HallowmereLauncher-3.8.1.exe\n{v}  HallowmereLauncher-3.8.1.exe",
            '<package id="Hallowmere.Net" version="3.8.1" sha256="{v}" />',
        ],
    ),
    (
        "hash-or-digest",
        npm_integrity,
        [
            '"node_modules/vite": {\n  "version": "7.1.3",\n  "resolved": "https://registry.npmjs.org/vite/-/vite-7.1.3.tgz",\n  "integrity": "{v}"\n}'
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            "image: registry.fly.io/hm-matchmaker@{v}",
            "$ docker inspect --format '{{.Id}}' hm/store-api:3.8.1\n{v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "$ doctl compute droplet list --tag-name gs --format ID,Name\n# project {v}",
            "Terraform Cloud workspace gameservers-prod, agent pool {v}",
            "Sentry event {v} grouped under MATCHMAKER-4K2",
            STORELOG + "request_id={v} status=200 path=/store/catalog",
            "# 1Password vault Build, item id {v}",
            "$ pscale branch list store --org hallowmere\n# database id {v}",
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            "{ts} INFO matchmaker trace_id={v} span=assign_server",
            "Sentry event_id: {v}",
            "dd.trace_id={v} dd.span_id=7731990214556210 service=lobby-gw",
        ],
    ),
    (
        "ids-and-numbers",
        snowflake,
        [
            "# community-bot/config.yaml\ndiscord:\n  mod_channel_id: {v}",
            CHAT + "the message id was {v}, deleted by the mod team",
            "Discord user id {v} (the reporter in #bug-reports)",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: "7656119" + rs(DIG, 10),
        ["steamid={v} banned for speed hacking (VAC)", ZEN + "player's SteamID64 is {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: "ws-" + rs(ALNUM, 16),
        ["Terraform Cloud run failed in workspace {v} (gameservers-prod)"],
    ),
    (
        "ids-and-numbers",
        lambda: "run-" + rs(ALNUM, 16),
        ["$ curl https://app.terraform.io/api/v2/runs/{v} -H @headers.txt"],
    ),
    (
        "ids-and-numbers",
        lambda: rs(HEX, 14),
        ["$ fly machine restart {v} -a hm-matchmaker", "fly: machine {v} in region fra exited with code 101"],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(300_000_000, 499_999_999)),
        ["$ doctl compute droplet delete {v} --force"],
    ),
    ("templated-value", lambda: "${{ secrets.VERCEL_TOKEN }}", [GHA + "          VERCEL_TOKEN: {v}"]),
    (
        "templated-value",
        lambda: "${{ secrets.CARGO_REGISTRY_TOKEN }}",
        ["      - run: cargo publish --token {v}"],
    ),
    (
        "templated-value",
        lambda: "${{ secrets.FLY_API_TOKEN }}",
        ["      - run: flyctl deploy --remote-only\n        env:\n          FLY_API_TOKEN: {v}"],
    ),
    (
        "templated-value",
        lambda: "op://Build/steam-builder/password",
        ["STEAM_PASSWORD={v}\n# resolved by `op run --env-file=.env.tpl`"],
    ),
    ("templated-value", lambda: "op://Store/square-prod/credential", ["SQUARE_ACCESS_TOKEN={v}"]),
    ("templated-value", lambda: "op://Infra/tfc/token", ["TF_TOKEN_app_terraform_io={v}"]),
    (
        "templated-value",
        lambda: "{{ .Values.doppler.token }}",
        ["          env:\n            - name: DOPPLER_TOKEN\n              value: {v}"],
    ),
    (
        "templated-value",
        lambda: "$DATADOG_API_KEY",
        ["$ docker run -d -e DD_API_KEY={v} gcr.io/datadoghq/agent:7"],
    ),
    (
        "encrypted-value",
        pulumi_secure,
        [
            "# Pulumi.prod.yaml\nconfig:\n  store:dbPassword:\n    secure: {v}",
            "  store:squareToken:\n    secure: {v}",
        ],
    ),
    (
        "encrypted-value",
        vault_wrapped,
        [
            "$ vault write -field=ciphertext transit/encrypt/store plaintext=$(base64 <<< 'card-vault-key')\n{v}"
        ],
    ),
    ("masked-value", lambda: "hvs.************************", ["$ vault token lookup\ntoken: {v}"]),
    ("masked-value", lambda: "dp.st.prd.****", ["Doppler service token (masked in UI): {v}"]),
    ("masked-value", lambda: "sk-proj-...Xk2A", ["OpenAI dashboard shows the leaked key as {v}"]),
    (
        "masked-value",
        lambda: "npm_****************************aB3x",
        ["npm token list: {v} (publish, created 2026-08-30)"],
    ),
    ("masked-value", lambda: "***", ["##[group]Run cargo publish\n+ cargo publish --token {v}"]),
    ("placeholder", lambda: "<your-hf-token>", [NPCENV.replace("production", "example") + "HF_TOKEN={v}"]),
    (
        "placeholder",
        lambda: "YOUR_DISCORD_BOT_TOKEN",
        ["# community-bot/config.example.yaml\ndiscord:\n  bot_token: {v}"],
    ),
    ("placeholder", lambda: "changeme", ["# store-api/config/development.yaml\ndatabase:\n  password: {v}"]),
    (
        "placeholder",
        lambda: "<PULUMI_ACCESS_TOKEN>",
        ["$ export PULUMI_ACCESS_TOKEN={v}   # from README, fill in"],
    ),
    (
        "placeholder",
        lambda: "xxxxxxxx",
        ["# ~/.netrc template\nmachine api.heroku.com login you@example.com password {v}"],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["token", "password", "API key", "secret", "credentials"]),
        [
            "PM-3308 root cause: the Discord bot {v} lived in a public gist for nine days.",
            "Action item: rotate the PlanetScale {v} for every branch (owner: petra).",
            "RB-61 step 4: move the Okta {v} from tfvars into Vault.",
            "The steamcmd {v} prompt blocked the nightly build for 6 hours.",
            "ADR-097: Vercel and Netlify both read deploy {v} from environment variables only.",
        ],
    ),
    (
        "private-or-reserved-ip",
        draw.reserved_ip,
        [
            GSLOG + "health check from {v} ok",
            "$ ssh ops@{v} -i ~/.ssh/hm_ops",
            "# fly.toml\n[[services]]\n  internal_port = 7777\n# private address {v}",
            CSV + "{tkt},Test Player,,,{v},",
        ],
    ),
    (
        "example-email",
        lambda: rng.choice(
            ["qa@hallowmere.example", "player1@example.com", "noreply@example.org", "bot@hallowmere.test"]
        ),
        [
            STORELOG + "receipt mailed to={v} order=HM-{num}",
            ZEN + "test ticket from {v}, ignore",
            CSV + "{tkt},QA Account,{v},,,",
        ],
    ),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["# docs/RB-61.md example\naws_access_key_id = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# docs example from the AWS CLI guide\naws_secret_access_key = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["# Stripe docs sample key used in the store-api README: {v}"],
    ),
    (
        "version-or-date",
        lambda: rng.choice(["1.89.0", "3.8.1", "0.14.2", "v1.18.4", "2025-07", "7.1.3"]),
        [
            '# rust-toolchain.toml\n[toolchain]\nchannel = "{v}"',
            "HallowmereLauncher {v} released to Steam beta branch",
            '# Cargo.toml\n[dependencies]\nhm-netcode = "{v}"',
            "$ flyctl version\nflyctl {v} linux/amd64",
            "Shopify Admin API version {v}",
            '"vite": "^{v}"',
        ],
    ),
    (
        "public-key-or-cert",
        ssh_ed25519,
        ["# ~/.ssh/authorized_keys on gs-fra-12\n{v}", "Deploy key added to engine/netcode: {v}"],
    ),
    (
        "public-key-or-cert",
        draw.pub_pem,
        ["# matchmaker/config/ticket_verify.pem (public half, safe to ship)\n{v}"],
    ),
    ("public-key-or-cert", cert_pem, ["# cloudflare origin certificate (public), launcher-web\n{v}"]),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            STORELOG + "order {v} fulfilled sku=founders-pack",
            "Square receipt number {v}",
            ZEN + "gift card code {v} shows as already redeemed",
        ],
    ),
    ("luhn-fail-number", lambda: draw.grouped(luhn_bad()), [CSV + "{tkt},Jasper Dunmore,,,,{v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)[:6]),
        [
            '# store-api/tests/fixtures/square.json\n{"card_number": "{v}", "cvv": "111"}',
            "QA checklist: pay with {v} in the Square sandbox",
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(
            json.dumps(
                {"region": rng.choice(["fra", "iad"]), "max_players": rng.choice([8, 16, 32])}
            ).encode()
        ),
        ["# configmap binaryData\n  lobby.json: {v}", "$ echo {v} | base64 -d\n(lobby defaults)"],
    ),
    (
        "cloud-resource-id",
        lambda: "arn:aws:iam::123456789012:role/hm-steam-uploader",
        ["IAM policy principal: {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "arn:aws:s3:::hm-build-artifacts",
        ["$ aws s3api get-bucket-policy --bucket hm-build-artifacts   # {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: rs(HEX, 32),
        [
            '# terraform/cloudflare.tf\nresource "cloudflare_record" "launcher" {\n  zone_id = "{v}"\n  name    = "launcher"\n}'
        ],
    ),
    (
        "cloud-resource-id",
        lambda: "prj_" + rs(ALNUM, 28),
        ['# launcher-web/.vercel/project.json\n{"projectId":"{v}","orgId":"team_hallowmere"}'],
    ),
    (
        "cloud-resource-id",
        lambda: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:store/prod/db-" + rs(ALNUM, 6),
        ["$ aws secretsmanager describe-secret --secret-id {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: "0oa" + rs(ALNUM, 17),
        ["Okta app client_id {v} (public SPA client, PKCE, no secret)"],
    ),
    (
        "ids-and-numbers",
        lambda: "P" + rs(UP + DIG, 6),
        ["PagerDuty service {v} (matchmaker) escalated to oswin at {t}"],
    ),
    ("ids-and-numbers", lambda: rs(LOW, 20), ["Supabase project ref {v} (launcher-prod)"]),
    ("git-sha", sha40, ["Steam build 3.8.1 (BuildID 19827364) was made from {v}"]),
    (
        "version-or-date",
        lambda: "v1.20.2",
        ["$ vault status\nSeal Type       shamir\nVersion         {v}\nHA Enabled      true"],
    ),
    (
        "hash-or-digest",
        lambda: "sha384-" + b64(draw.rbytes(48)),
        [
            '<script src="https://cdn.hallowmere.example/launcher.js" integrity="{v}" crossorigin="anonymous"></script>'
        ],
    ),
    (
        "keyword-no-value",
        lambda: "client secret",
        ["RB-64: the Auth0 {v} now comes from Doppler; nobody should paste it into tickets."],
    ),
    ("example-email", lambda: "ops@hallowmere.example", ["$ git config user.email {v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "ids-and-numbers",
        lambda: rs(ALNUM, 24),
        [
            "Key                  Value\n---                  -----\ntoken_accessor       {v}\ntoken_policies       [default ci]"
        ],
    ),
    (
        "ids-and-numbers",
        lambda: "tk_" + rs(ALNUM, 22),
        ["$ pscale service-token list --org hallowmere\n  ID: {v}  NAME: ci-hotfix"],
    ),
    ("ids-and-numbers", lambda: "L" + rs(UP + DIG, 12), ["square location_id {v} (Hallowmere merch pop-up)"]),
    (
        "ids-and-numbers",
        lambda: rs(LOW + DIG, 30),
        ["Twitch client_id {v} (public, shipped in the launcher)"],
    ),
    ("ids-and-numbers", lambda: "HM-" + rs(UP + DIG, 8), [CHAT + "order {v} shows as paid twice in Shopify"]),
    ("ids-and-numbers", lambda: f"kv/data/store/prod/{rs(LOW, 8)}", ["$ vault kv metadata get {v}"]),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        ["sentry-trace: {v}-7b1f0c2d3e4a5b6c-1", "X-Cloud-Trace-Context: {v}/1;o=1"],
    ),
    (
        "hash-or-digest",
        lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(B64, 22) + "$" + rs(B64, 43),
        ["store=> select email, password_hash from players where id = 483920;\n qa@hallowmere.example | {v}"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        ['"lockfileVersion": 3,\n"packages": { "": { "name": "launcher-web" } },\n# yarn cache key {v}'],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["# wg0.conf on gs-fra-12\n[Peer]\nPublicKey = {v}\nAllowedIPs = 10.8.0.0/24"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["# .sops.yaml\ncreation_rules:\n  - age: {v}"],
    ),
    (
        "encrypted-value",
        lambda: (
            "ENC[AES256_GCM,data:"
            + rs(B64, 28)
            + ",iv:"
            + rs(B64, 43)
            + "=,tag:"
            + rs(B64, 22)
            + "==,type:str]"
        ),
        ["# secrets/prod.enc.yaml (sops)\nsteam_password: {v}"],
    ),
    (
        "masked-value",
        lambda: "[REDACTED]",
        ["PANIC: publish failed: token={v} status=403", "Datadog log scrubber output: DD-API-KEY: {v}"],
    ),
    ("placeholder", lambda: "sk-ant-api03-XXXXXXXXXXXX", ["# npc-dialogue/README.md\nANTHROPIC_API_KEY={v}"]),
    (
        "placeholder",
        lambda: "https://discord.com/api/webhooks/<id>/<token>",
        ["# alertmanager.example.yml\n      - webhook_url: {v}"],
    ),
    (
        "templated-value",
        lambda: "${TELEGRAM_BOT_TOKEN}",
        ["curl -s https://api.telegram.org/bot{v}/sendMessage -d chat_id=$CHAT"],
    ),
    ("luhn-fail-number", luhn_bad, ["Steam transaction id {v} refunded (PM-3327)"]),
    (
        "documented-test-card",
        lambda: "4111 1111 1111 1111",
        [ZEN + "asked the player to retry; QA used {v} in sandbox and it went through"],
    ),
    (
        "example-email",
        lambda: "someone@example.net",
        ['{"event":"purchase","player":{"id":1,"email":"{v}"},"sku":"test"}'],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -s http://{v}/metadata/v1/id   # droplet metadata"],
    ),
    ("version-or-date", lambda: "2023-06-01", ['-H "anthropic-version: {v}"']),
    (
        "base64-nonsecret",
        lambda: b64(b"matchmaker ok"),
        ["$ kubectl get cm mm-status -o jsonpath='{.binaryData.status}'\n{v}"],
    ),
    (
        "keyword-no-value",
        lambda: "SENTRY_AUTH_TOKEN",
        ["The release job now reads {v} from Doppler instead of the runner env."],
    ),
    (
        "public-key-or-cert",
        lambda: b64url(draw.rbytes(32)),
        ['{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ticket-2026","use":"sig","x":"{v}"}]}'],
    ),
    (
        "base64-nonsecret",
        lambda: b64(draw.rbytes(16)),
        ["GET /lobby/ws HTTP/1.1\nUpgrade: websocket\nSec-WebSocket-Key: {v}\nSec-WebSocket-Version: 13"],
    ),
    (
        "private-or-reserved-ip",
        lambda: "fdaa:0:3b2e:a7b:8c1:4f2a:91e0:2",
        ["fly: machine private_ip {v} (6PN)"],
    ),
    ("masked-value", lambda: "dop_v1_…a93f", ["DigitalOcean token list shows the leaked token as {v}"]),
    ("luhn-fail-number", luhn_bad, ["Xsolla transaction {v} marked as chargeback"]),
]


def negatives() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    return expand(NEGATIVES), expand(RARE_NEGATIVES)


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt)-[A-Za-z0-9_-]{20}|xox[bpae]-\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|GOCSPX-"
    r"|cio[A-Za-z0-9]{32}|\.atlasv1\.|pul-[a-f0-9]{40}|hv[sb]\.[A-Za-z0-9_-]{20}|dp\.(?:st|pt|sa|ct)\.[a-z]*\.?[A-Za-z0-9]{20}"
    r"|ops_eyJ|sntry[su]_|shp(?:at|ss|ca|pa)_[a-f0-9]{8}|EAAA[A-Za-z0-9_-]{40}|sq0(?:atp|csp)-|SSWS \w|sbp_[a-f0-9]{20}"
    r"|pscale_(?:pw|tkn|oauth)_|fm2_|fo1_|nfp_|HRKU-|do[opr]_v1_|hf_[A-Za-z]{30}|sk-(?:proj|svcacct|ant-api03)-[A-Za-z0-9_-]{20}"
    r"|webhooks/\d{10}|\d{8,10}:AA[A-Za-z0-9_-]{30}|npm_[A-Za-z0-9]{36}|pypi-AgE|rubygems_[a-f0-9]{20}|oy2[a-z0-9]{40}|dckr_pat_"
    r"|key-[a-f0-9]{32}|SK[a-f0-9]{32}|M[TjzQ][A-Za-z0-9]{20,}\.[A-Za-z0-9_-]{6}\.|integration/[a-f0-9]{32}"
    r"|PRIVATE KEY(?: BLOCK)?-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?<![\w-])-p[A-Za-z0-9]{8}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the studio's own (ssh and git remotes), not mailboxes.
OK_MAIL_30 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_30,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = (common_secrets(), common_personal(), rare_secrets(), rare_personal(), *negatives())
    write_fold(sections, fold=FOLD, id_prefix="t30", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
