# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test36.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test36.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270136)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of an e-signature and remote online notarisation service, Vellumgate eSign &
Notary (VGN): PM-41 the notary video-session outage (LiveKit, NATS, Redis, CockroachDB), PM-44 the
audit-trail store credential leak (ClickHouse, OpenSearch, Kafka), PM-47 the desktop signer app config
leak (Electron config.json, macOS plist, Windows .exe.config, notarytool, signtool), RB-6 rotating the
document-seal keys (AWS KMS, Vault Transit, Azure Key Vault, PKCS#11 HSM), RB-11 the identity-check
vendors (Onfido, Persona, Twilio Verify, reCAPTCHA), ADR-19 customer webhook fan-out over NATS and
Pulsar (Svix, Postmark, Mailgun, PagerDuty), ADR-23 moving document storage to Cloudflare R2 and
Backblaze B2 (Terraform, Doppler, 1Password) and PM-50 a notary-fee billing export (Braintree, Adyen,
cards, IBANs, phones, notary-journal ids). Common shapes come first in each kind (``t36p…``/``t36n…``).
"""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from random import Random

from planted_kit import (
    ALNUM,
    B32,
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
    pem_block_ok,
    sanity,
    ssn_or_nino_ok,
    write_fold,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test36.jsonl"
FOLD = "test36"
rng = Random(20270136)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
card, luhn_bad, public_v4, public_v6, priv_ip = (
    partial(draw.card_with_jcb, TEST_CARDS | MORE_TEST_CARDS),
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

WORDS = [
    "parchment",
    "quill",
    "witness",
    "affidavit",
    "ribbon",
    "embosser",
    "ledger",
    "inkpot",
    "codicil",
    "wax",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_digits_pw() -> str:
    """Letters and digits only, so it sits in any config or URL unescaped."""
    return rs(ALNUM, rng.randint(16, 26))


def basic_cred() -> str:
    return draw.basic_cred(["seal-svc", "audit-reader", "fanout", "journal-export", "b2-sync"], WORDS)


def pulsar_jwt() -> str:
    body = {"sub": rng.choice(["fanout", "webhook-relay", "audit-sink"])}
    return encode_jwt({"alg": "HS256"}, body, rs(B64URL, 43))


def signer_jwt() -> str:
    body = {
        "iss": "https://id.vellumgate.example/",
        "sub": "signer|" + rs(DIG, 7),
        "aud": "vg-signer-desktop",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
        "scope": "envelopes:sign",
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 16)}, body, rs(B64URL, 342))


def nats_user_jwt() -> str:
    body = {
        "jti": rs(B32, 52),
        "iat": rng.randint(1_790_000_000, 1_799_000_000),
        "name": "fanout",
        "sub": "U" + rs(B32, 55),
    }
    return encode_jwt({"typ": "JWT", "alg": "ed25519-nkey"}, body, rs(B64URL, 86))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def onfido_token() -> str:
    return "api_live." + rs(B64URL, 11) + "." + rs(ALNUM, 32)


def persona_key() -> str:
    return "persona_production_" + uuid4()


def livekit_secret() -> str:
    return rs(ALNUM, 43)


def nkey_seed(kind: str = "U") -> str:
    return "S" + kind + rs(B32, 56)


def svix_secret() -> str:
    return "whsec_" + b64(draw.rbytes(24))


def sentry_user_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def es_api_key() -> str:
    return b64(f"{rs(B64URL, 20)}:{rs(B64URL, 22)}".encode())


def b2_app_key() -> str:
    return "K005" + rs(ALNUM, 27)


def cf_token() -> str:
    return rs(ALNUM + "_-", 39) + rng.choice(ALNUM)


def braintree_token() -> str:
    return "access_token$production$" + rs(LOW + DIG, 16) + "$" + rs(HEX, 32)


def adyen_key() -> str:
    return "AQE" + rs(ALNUM, 5) + rs(B64, 86) + "==-" + b64(draw.rbytes(32)) + "-" + rs(ALNUM, 16)


def doppler_token() -> str:
    return "dp.st.prd." + rs(ALNUM, 43)


def op_sa_token() -> str:
    head = b64url(
        json.dumps(
            {
                "signInAddress": "vellumgate.1password.com",
                "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256"},
            },
            separators=(",", ":"),
        ).encode()
    )
    return "ops_" + head + rs(B64URL, 120)


def mailgun_key() -> str:
    return "key-" + rs(HEX, 32)


def pd_rest_key() -> str:
    return rs(ALNUM + "_-", 19) + rng.choice(ALNUM)


def recaptcha_secret() -> str:
    return "6L" + rs(ALNUM + "_-", 37) + rng.choice(ALNUM)


def hcaptcha_secret() -> str:
    return "0x" + rs(HEX, 40)


def confluent_secret() -> str:
    return rs(ALNUM + "+/", 63) + rng.choice(ALNUM)


def vault_token() -> str:
    return "hvs.CAESI" + rs(B64URL, 82)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def pagerduty_hook() -> str:
    return f"https://events.pagerduty.com/integration/{rs(HEX, 32)}/enqueue"


def teams_hook() -> str:
    return f"https://vellumgate.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"


def mattermost_hook() -> str:
    return f"https://chat.vellumgate.internal/hooks/{rs(LOW + DIG, 26)}"


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def session_cookie() -> str:
    return rs(B64URL, 43) + "." + rs(B64URL, 27)


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = [
    "evangeline",
    "barnaby",
    "clementine",
    "ptolemy",
    "henrietta",
    "leopold",
    "ottilie",
    "ambrose",
    "seraphina",
]
LAST = ["wainwright", "pennycook", "fairbrother", "blackwood", "ravenscroft", "thistlewood", "goldsworthy"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "hotmail.co.uk",
    "gmx.de",
    "aol.com",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = [
    "seal-svc",
    "audit-trail",
    "fanout",
    "video-room",
    "idv-gateway",
    "journal-export",
    "billing-api",
    "doc-store",
]
STAFF = ["ifeoma", "torsten", "yasmin", "radek", "colm", "priyanka", "esteban", "liesel"]
HOSTS = ["crdb-1", "ch-audit-2", "nats-3", "lk-sfu-1", "hsm-proxy-1", "batch-2", "os-audit-1", "b2-sync-1"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "tkt": lambda: str(rng.randint(20_000, 49_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 480)),
    "jn": lambda: f"J-2026-{rng.randint(10_000, 99_999)}",
}

TL = "| {t} | #vg-incident | {who}: "
CHAT = "[{t}] {who} (#notary-ops): "
TKT = "Freshdesk #{tkt} (private note, {who}): "
HIST = "  {num}  "
GHA = "Run npx electron-builder --mac --win --publish always\n"
BK = "--- :hammer: seal-svc integration tests\n"
JENKINS = "[Pipeline] sh\n+ "
PYTRACE = 'Traceback (most recent call last):\n  File "/srv/seal-svc/seal.py", line 142, in apply_seal\n    digest = kms.sign(envelope.hash)\n'
GOTRACE = "panic: nats: authorization violation\n\ngoroutine 1 [running]:\nmain.mustConnect(...)\n\t/src/fanout/main.go:71 +0x2a8\n"
JAVATRACE = 'Exception in thread "relay-3" org.apache.pulsar.client.api.PulsarClientException$AuthenticationException: Unauthorized\n\tat org.apache.pulsar.client.impl.ClientCnx.handleError(ClientCnx.java:1322)\n'
NODETRACE = "Error: getaddrinfo ENOTFOUND\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)\n    at /app/idv-gateway/src/onfido.js:22:9\n"
RBTRACE = "/app/lib/notary/journal_export.rb:88:in `push': "
CSTRACE = "Unhandled exception. System.Security.Cryptography.CryptographicException: The specified network password is not correct.\n   at Vellum.Signer.Pfx.Load(String path) in C:\\build\\signer\\Pfx.cs:line 31\n"
RSTRACE = "thread 'tokio-runtime-worker' panicked at src/room.rs:64:18:\ncalled `Result::unwrap()` on an `Err` value: "
AUDITLOG = "{ts} audit-trail[402]: "
FANLOG = "{ts} fanout level=warn "
EXPORT = "journal_no,signer,email,phone,signer_ip,card,iban\n"
ELECTRON = "// %APPDATA%/Vellumgate Signer/config.json\n"
PLIST = "<!-- Vellumgate Signer.app/Contents/Resources/Settings.plist -->\n"
APPCFG = "<!-- VellumSigner.exe.config -->\n"
HELM = "# charts/seal-svc/values-prod.yaml\n"
TFV = "# envs/doc-store/terraform.tfvars\n"
ANS = "# group_vars/video_room/vars.yml\n"
SYSD = "# /etc/systemd/system/fanout.service\n[Service]\n"
CRON = "# crontab -l (svc-journal on batch-2)\n"
MAILHDR = "Received: from mta-2.vellumgate.internal ({pip})\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws kms sign --key-id alias/doc-seal --message-type DIGEST --signing-algorithm RSASSA_PSS_SHA_256  # key {v}",
            "[vg-seal]\naws_access_key_id = {v}\nregion = eu-central-1",
            HELM + "kms:\n  accessKeyId: {v}\n  region: eu-central-1",
            "<Credentials><AccessKeyId>{v}</AccessKeyId><Expiration>2026-11-02T04:00:00Z</Expiration></Credentials>",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[vg-seal]\naws_secret_access_key = {v}",
            "$ AWS_SECRET_ACCESS_KEY={v} aws kms list-aliases --region eu-central-1",
            'provider "aws" {\n  region     = "eu-central-1"\n  secret_key = "{v}"\n}',
            SYSD + "Environment=AWS_SECRET_ACCESS_KEY={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "$ az login --service-principal -u {uuid} -p {v} --tenant {uuid}",
            APPCFG + '<add key="KeyVault:ClientSecret" value="{v}" />',
            "AZURE_CLIENT_SECRET={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=vgsealarchive;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "$ azcopy copy ./journal 'https://vgsealarchive.blob.core.windows.net/journal?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2026-12-01T00:00:00Z&sig={v}' --recursive"
        ],
    ),
    ("gcp-key", draw.gcp_api, [ELECTRON + '"mapsApiKey": "{v}",']),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"vg-ocr","private_key":"{v}","client_email":"ocr-worker@vg-ocr.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            GHA + "  env:\n    GH_TOKEN: {v}",
            "$ git clone https://x-access-token:{v}@github.com/vellumgate/signer-desktop.git",
            "$ echo {v} | gh auth login --with-token",
            CHAT + "temporary token for the release repo: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ['[[runners]]\n  url = "https://gitlab.vellumgate.internal"\n  token = "{v}"', "CI_PUSH_TOKEN={v}"],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            "SLACK_BOT_TOKEN={v}",
            "$ curl -sS -d token={v} -d channel=C0VGNOPS https://slack.com/api/chat.postMessage",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        ["pagerduty_fallback:\n  slack_url: {v}", ANS + "video_room_alert_hook: {v}"],
    ),
    ("stripe-key", draw.stripe_key, ["STRIPE_API_KEY={v}"]),
    (
        "jwt",
        pulsar_jwt,
        [
            "brokerClientAuthenticationParameters=token:{v}",
            "$ pulsar-admin --auth-params token:{v} --auth-plugin org.apache.pulsar.client.impl.auth.AuthenticationToken topics list public/webhooks",
            "PULSAR_TOKEN={v}",
        ],
    ),
    (
        "jwt",
        signer_jwt,
        [
            "POST /v3/envelopes/{uuid}/sign HTTP/1.1\nHost: api.vellumgate.example\nAuthorization: Bearer {v}",
            "GET /v3/envelopes/{uuid}/download?access_token={v} HTTP/1.1",
        ],
    ),
    ("jwt", nats_user_jwt, ["-----BEGIN NATS USER JWT-----\n{v}\n------END NATS USER JWT------"]),
    ("private-key", draw.pk("rsa"), ["# docusign-compat/jwt-grant.pem (committed by mistake, PM-47)\n{v}"]),
    ("private-key", draw.pk("pkcs8"), ["# AuthKey_VG4K2M8P.p8 (App Store Connect API, notarytool)\n{v}"]),
    ("private-key", draw.pk("ec", "    "), [HELM + "tls:\n  key: |\n    {v}"]),
    ("private-key", draw.pk("ssh"), ["$ cat ~/.ssh/id_ed25519   # on batch-2\n{v}"]),
    (
        "password-in-url",
        letters_digits_pw,
        [
            "DATABASE_URL=postgresql://seal_svc:{v}@crdb-1.vellumgate.internal:26257/envelopes?sslmode=verify-full",
            "nats_url: nats://fanout:{v}@nats-3.vellumgate.internal:4222",
            "REDIS_URL=rediss://default:{v}@{pip}:6380/0",
            "amqp_url = amqps://idv:{v}@{pip}:5671/idv",
            "NEO4J_URI=bolt+s://neo4j:{v}@graph.vellumgate.internal:7687",
            "COUCHBASE_CONN=couchbases://journal:{v}@cb-1.vellumgate.internal/notary_journal",
            "spring.datasource.url=jdbc:clickhouse://audit_writer:{v}@ch-audit-2:8443/audit?ssl=true",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "OPENSEARCH_INITIAL_ADMIN_PASSWORD={v}",
            '[clickhouse]\nuser = "audit_writer"\npassword = "{v}"',
            "seal.hsm.user-pin={v}",
            "  <password>{v}</password>\n</user>",
            "CSC_KEY_PASSWORD={v}",
        ],
    ),
    (
        "password-assignment",
        letters_digits_pw,
        [
            "$ pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --login --pin {v} --list-objects",
            "$ signtool sign /f vellum-ev.pfx /p {v} /tr http://timestamp.digicert.com /td sha256 VellumSigner.exe",
            "$ cockroach sql --url 'postgresql://root@crdb-1:26257' -e \"ALTER USER seal_svc WITH PASSWORD '{v}'\"",
            "$ redis-cli -h {pip} -p 6380 --tls --user default --pass {v} PING",
            "$ cqlsh cass-1.vellumgate.internal -u journal -p {v} -e 'DESCRIBE KEYSPACES'",
            "$ clickhouse-client --host ch-audit-2 --secure --port 9440 --user audit_reader --password {v} -q 'SELECT count() FROM audit.events'",
            "$ openssl pkcs12 -export -in seal.crt -inkey seal.key -out seal.p12 -passout pass:{v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            '{"auths":{"registry.vellumgate.internal":{"auth":"{v}"}}}',
            "GET /_cluster/health HTTP/1.1\nHost: os-audit-1:9200\nAuthorization: Basic {v}",
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u audit-reader:{v} 'https://ch-audit-2.vellumgate.internal:8443/?query=SELECT%201'",
            "$ curl -u admin:{v} -XGET https://os-audit-1:9200/_cat/indices",
        ],
    ),
    (
        "bearer-token",
        opaque(48),
        [
            "Authorization: Bearer {v}",
            '$ curl -H "Authorization: Bearer {v}" https://api.vellumgate.example/v3/envelopes?status=sent',
        ],
    ),
    ("vendor-token", onfido_token, ["ONFIDO_API_TOKEN={v}", "Authorization: Token token={v}"]),
    ("vendor-token", persona_key, ["PERSONA_API_KEY={v}", "idv:\n  persona:\n    api_key: {v}"]),
    ("vendor-token", livekit_secret, ["LIVEKIT_API_SECRET={v}", "keys:\n  APIvgRoom7Qx2: {v}"]),
    (
        "vendor-token",
        nkey_seed,
        ["NATS_NKEY_SEED={v}", "-----BEGIN USER NKEY SEED-----\n{v}\n------END USER NKEY SEED------"],
    ),
    ("vendor-token", svix_secret, ["SVIX_WEBHOOK_SECRET={v}"]),
    ("vendor-token", sentry_user_token, ["$ sentry-cli --auth-token {v} releases new signer-desktop@4.12.0"]),
    ("vendor-token", es_api_key, ["Authorization: ApiKey {v}", "opensearch:\n  api_key: {v}"]),
    (
        "vendor-token",
        b2_app_key,
        ["B2_APPLICATION_KEY={v}", "$ b2 account authorize 005c4a1e9f0b7d20000000003 {v}"],
    ),
    (
        "vendor-token",
        cf_token,
        ["CLOUDFLARE_API_TOKEN={v}", 'provider "cloudflare" {\n  api_token = "{v}"\n}'],
    ),
    ("vendor-token", hex_n(64), [TFV + 'r2_secret_access_key = "{v}"']),
    ("vendor-token", braintree_token, ["BRAINTREE_ACCESS_TOKEN={v}"]),
    (
        "vendor-token",
        hex_n(32),
        ["braintree:\n  merchant_id: vgnotary\n  public_key: vgpub7k2m\n  private_key: {v}"],
    ),
    ("vendor-token", adyen_key, ["ADYEN_API_KEY={v}", "X-API-Key: {v}"]),
    ("vendor-token", doppler_token, ["DOPPLER_TOKEN={v}", "$ doppler run --token {v} -- ./fanout"]),
    ("vendor-token", op_sa_token, ["OP_SERVICE_ACCOUNT_TOKEN={v}"]),
    (
        "vendor-token",
        mailgun_key,
        ["$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.vellumgate.example/events"],
    ),
    ("vendor-token", uuid4, ["X-Postmark-Server-Token: {v}", "POSTMARK_SERVER_TOKEN={v}"]),
    ("vendor-token", hex_n(32), ["PAGERDUTY_ROUTING_KEY={v}", "TWILIO_AUTH_TOKEN={v}"]),
    (
        "vendor-token",
        pd_rest_key,
        ["Authorization: Token token={v}\nAccept: application/vnd.pagerduty+json;version=2"],
    ),
    ("vendor-token", twilio_sk, ["TWILIO_API_KEY_SID={v}"]),
    ("vendor-token", opaque(32), ["TWILIO_API_KEY_SECRET={v}"]),
    (
        "vendor-token",
        recaptcha_secret,
        [
            "RECAPTCHA_SECRET_KEY={v}",
            "$ curl -d 'secret={v}&response=03AFcWeA' https://www.google.com/recaptcha/api/siteverify",
        ],
    ),
    ("vendor-token", hcaptcha_secret, ["HCAPTCHA_SECRET={v}"]),
    (
        "vendor-token",
        confluent_secret,
        [
            'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="Q7MZ4KXW2VBNR3TD" password="{v}";'
        ],
    ),
    (
        "vendor-token",
        vault_token,
        [
            "$ export VAULT_TOKEN={v}\n$ vault write transit/sign/doc-seal input=@digest.b64",
            "X-Vault-Token: {v}",
        ],
    ),
    ("vendor-token", npm_token, ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    (
        "vendor-token",
        draw.apple_app_password,
        [
            "$ xcrun notarytool store-credentials vg-notary --apple-id release@vellumgate.example --team-id 7QX2L9VGN4 --password {v}",
            "APPLE_APP_SPECIFIC_PASSWORD={v}",
        ],
    ),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    ("vendor-token", draw.age_secret_key, ["# sops/age/keys.txt on batch-2\n{v}"]),
    (
        "generic-api-key",
        opaque(32),
        ["VG_PARTNER_API_KEY={v}", "vellumgate.partner.api-key={v}", "X-Vellum-Signing-Key: {v}"],
    ),
    ("generic-api-key", hex_n(40), ['<add key="SealServiceApiKey" value="{v}" />', "x-api-key: {v}"]),
    (
        "generic-api-key",
        session_cookie,
        [
            "Cookie: vg_session={v}; vg_locale=en-GB",
            "Set-Cookie: vg_session={v}; Path=/; Secure; HttpOnly; SameSite=Lax",
        ],
    ),
    ("generic-api-key", hex_n(64), ["SECRET_KEY_BASE={v}", 'django_secret_key = "{v}"']),
    (
        "generic-api-key",
        opaque(40),
        [
            "OIDC_CLIENT_SECRET={v}",
            "$ vg-admin oauth-client rotate --client signer-desktop --client-secret {v}",
        ],
    ),
    ("webhook-url", teams_hook, ["  msteams:\n    webhook_url: {v}"]),
    ("webhook-url", draw.discord_hook, ["DISCORD_RELEASES_HOOK={v}"]),
    ("webhook-url", mattermost_hook, ["MATTERMOST_HOOK={v}"]),
    ("webhook-url", pagerduty_hook, ["alertmanager_pd_url: {v}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ch-audit\ndata:\n  CLICKHOUSE_PASSWORD: {v}",
            "data:\n  hsm-pin: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            PYTRACE
            + "botocore.exceptions.ClientError: UnrecognizedClientException: The security token included in the request is invalid (key {v})"
        ],
    ),
    ("aws-key", draw.aws_secret, ["| RB-6 step 4 | old KMS user | `{v}` | deactivated 03:12 |"]),
    (
        "password-in-url",
        letters_digits_pw,
        [
            JAVATRACE + "  serviceUrl=pulsar+ssl://relay:{v}@pulsar.vellumgate.internal:6651",
            GOTRACE + "  dial nats://fanout:{v}@{pip}:4222",
            RBTRACE + "could not connect to sftp://journal:{v}@sftp.state-registry.example/upload",
            '<Connection name="audit" url="clickhouse://audit_writer:{v}@{pip}:9440/audit" />',
            "backend journal\n    server cb1 {pip}:8091 check\n    # health: couchbase://probe:{v}@{pip}",
        ],
    ),
    (
        "password-assignment",
        letters_digits_pw,
        [
            'cryptoki:\n  slot: 0\n  pin: "{v}"',
            '{"turn":{"urls":"turns:turn.vellumgate.example:5349","username":"lk","credential":"{v}"}}',
            CSTRACE + '   pfxPassword="{v}"',
            "| opensearch | admin | {v} | rotate after PM-44 |",
            "# /etc/haproxy/haproxy.cfg\nuserlist stats_users\n    user ops insecure-password {v}",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            PLIST + "<key>ProxyPassword</key>\n<string>{v}</string>",
            "$ sshpass -p '{v}' ssh ops@hsm-proxy-1",
            CRON + "15 2 * * * /opt/journal/export.sh --sftp-pass '{v}' >> /var/log/journal-export.log 2>&1",
            TKT + "notary said the shared video-room password is {v}, changed it after the call",
        ],
    ),
    ("jwt", signer_jwt, [ELECTRON + '"cachedSession": {"token": "{v}"},']),
    (
        "github-token",
        draw.gh_token,
        [GHA + "remote: Invalid username or token. https://{v}@github.com/vellumgate/signer-desktop"],
    ),
    ("vendor-token", onfido_token, [NODETRACE + "    headers: { Authorization: 'Token token={v}' }"]),
    ("vendor-token", livekit_secret, [RSTRACE + 'InvalidKey { key: "APIvgRoom7Qx2", secret: "{v}" }']),
    ("vendor-token", nkey_seed, [FANLOG + 'msg="loaded creds" seed={v}']),
    (
        "vendor-token",
        b2_app_key,
        ["mysql> SELECT app_key FROM storage_targets WHERE name = 'b2-journal';\n+---------+\n| {v} |"],
    ),
    (
        "vendor-token",
        es_api_key,
        ["{ts} DEBUG audit-trail POST https://os-audit-1:9200/_bulk headers={'Authorization': 'ApiKey {v}'}"],
    ),
    ("vendor-token", hex_n(40), ["https://api.opentok.com/v2/project/47291034/session?api_secret={v}"]),
    (
        "vendor-token",
        mailgun_key,
        [BK + "ERROR mailgun 401 for https://api:{v}@api.eu.mailgun.net/v3/domains"],
    ),
    ("vendor-token", adyen_key, ["| adyen live | web service user ws_418203 | `{v}` |"]),
    ("private-key", draw.pk("rsa"), [TL + "seal signing key pasted here by mistake:\n{v}"]),
    (
        "generic-api-key",
        opaque(32),
        ["{ts} INFO idv-gateway GET https://verify.addresscheck.example/v2/lookup?postcode=SW1A&apikey={v}"],
    ),
    ("generic-api-key", opaque(40), ['<div id="signer" data-api-secret="{v}" data-env="prod"></div>']),
    (
        "basic-auth",
        basic_cred,
        [
            '{pip} - - [02/Nov/2026:03:08:12 +0000] "GET /_cat/indices HTTP/1.1" 401 0 "-" "curl/8.5" auth="Basic {v}"'
        ],
    ),
    ("k8s-secret-b64", k8s_b64, ["$ kubectl -n seal get secret hsm -o jsonpath='{.data.pin}'\n{v}"]),
    ("webhook-url", draw.slack_hook, [CHAT + "new hook for #seal-alarms: {v}"]),
    ("gcp-key", draw.gcp_oauth_secret, [PLIST + "<key>GoogleDriveClientSecret</key>\n<string>{v}</string>"]),
    (
        "vendor-token",
        svix_secret,
        ["$ curl -X POST https://api.vellumgate.example/v3/hooks/verify -H 'svix-secret: {v}'"],
    ),
    ("vendor-token", doppler_token, [JENKINS + "doppler secrets download --no-file --token {v}"]),
    (
        "generic-api-key",
        hex_n(64),
        [
            "# /etc/nginx/conf.d/seal.conf\nlocation /internal/seal {\n    proxy_set_header X-Seal-Shared-Secret {v};\n}"
        ],
    ),
    ("vendor-token", uuid4, ["| Postmark | server token (ADR-19) | {v} |"]),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "{jn},Evangeline Wainwright,{v},,,,",
            TKT + "signer asks that the completed envelope go to {v}",
            "{ts} INFO audit-trail event=envelope.viewed signer={v}",
            "INSERT INTO signers (envelope_id, email) VALUES ('{uuid}', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "{jn},Barnaby Pennycook,,{v},,,",
            TKT + "call the signer back on {v} before re-sending",
            "{ts} INFO idv-gateway sms otp sent to={v}",
            "| Clementine Fairbrother | commissioned notary, Leeds | {v} |",
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "{jn},Henrietta Ravenscroft,,,,{v},",
            TKT + "signer typed their card {v} into the envelope note field",
            "{ts} WARN billing-api braintree sale declined pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            AUDITLOG + "envelope {uuid} signed from {v}",
            EXPORT + "{jn},Leopold Thistlewood,,,{v},,",
            "sshd[3120]: Failed password for invalid user notary from {v} port 51234 ssh2",
            '{"event":"signature.applied","ip":"{v}"}',
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['nginx: {v} - - "POST /v3/envelopes HTTP/2.0" 201', AUDITLOG + "session joined from {v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "{jn},Ottilie Goldsworthy,,,,,{v}"]),
    (
        "iban",
        lambda: iban_of("FR", rs(DIG, 10) + rs(UP + DIG, 11) + rs(DIG, 2)),
        [TKT + "refund the notary fee to {v}"],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", ssn, ["| {jn} | Ambrose Wainwright | ID checked: SSN {v} | KBA passed |"]),
    ("national-id", nino, [TKT + "signer's NI number {v} is visible on the scanned page 3"]),
    (
        "national-id",
        ssn,
        [
            "journal=> SELECT id_number FROM notary_journal WHERE journal_no = 'J-2026-40417';\n id_number\n-----------\n {v}"
        ],
    ),
    ("iban", lambda: draw.iban("DE"), ['{"payee":"Seraphina Pennycook","iban":"{v}","ref":"NF-2026-0931"}']),
    (
        "email",
        email,
        ["From: {v}\nTo: support@vellumgate.example\nSubject: envelope expired before I signed"],
    ),
    ("phone", phone, ["<Signer><Name>Leopold Blackwood</Name><Phone>{v}</Phone></Signer>"]),
    (
        "credit-card",
        card,
        ["billing=> SELECT pan FROM legacy_fee_cards WHERE notary_id = 211;\n pan\n----\n {v}"],
    ),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.60.4.9\n(api access log, PM-50)"]),
    (
        "ipv6",
        public_v6,
        ["audit=> SELECT signer_ip FROM audit.events WHERE event = 'otp.failed' LIMIT 1;\n {v}"],
    ),
    ("email", email, ["git log: Author: Clementine Goldsworthy <{v}>"]),
    ("phone", phone, [CHAT + "Radek's personal mobile is {v} if PagerDuty is down"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        ["$ git rev-parse HEAD\n{v}", "signer-desktop 4.12.0 built from {v}", "BUILDKITE_COMMIT={v}"],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["reverted in {v} (PM-41 follow-up)"]),
    (
        "uuid",
        uuid4,
        [
            "envelope_id: {v}",
            "DocuSign-compatible integration key {v} (a client id, not a secret)",
            '{"envelopeId":"{v}","status":"completed"}',
            "$ az keyvault key show --vault-name kv-vg-seal --name doc-seal --version {v}",
        ],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        [
            "document sha256 {v}",
            "$ sha256sum contract-signed.pdf\n{v}  contract-signed.pdf",
            "| Document hash | {v} |",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["image: registry.vellumgate.internal/seal-svc@{v}", "$ docker pull livekit/livekit-server@{v}"],
    ),
    ("hash-or-digest", hex_n(32), ["attachment md5 {v}"]),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    (
        "hash-or-digest",
        lambda: draw.bcrypt("$2b$12$"),
        ["envelopes=> select password_hash from signers where id = 9;\n {v}"],
    ),
    (
        "hash-or-digest",
        lambda: (
            "$argon2id$v=19$m=65536,t=3,p=4$"
            + b64(draw.rbytes(16)).rstrip("=")
            + "$"
            + b64(draw.rbytes(32)).rstrip("=")
        ),
        ["notary_users.password_hash = '{v}'"],
    ),
    (
        "hash-or-digest",
        lambda: (
            "SCRAM-SHA-256$4096:"
            + b64(draw.rbytes(16))
            + "$"
            + b64(draw.rbytes(32))
            + ":"
            + b64(draw.rbytes(32))
        ),
        ["envelopes=> SELECT rolpassword FROM pg_authid WHERE rolname = 'seal_svc';\n {v}"],
    ),
    (
        "hash-or-digest",
        lambda: "*" + rs(HEX.upper(), 40),
        ["mysql> SELECT authentication_string FROM mysql.user WHERE user='journal';\n{v}"],
    ),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-b7ad6b7169203331-01", "trace_id={v} service=fanout"]),
    ("trace-id", hex_n(16), ["span_id={v} op=nats.publish"]),
    ("trace-id", draw.long_trace, ["datadog trace {v}"]),
    (
        "cloud-resource-id",
        lambda: "i-0" + rs(HEX, 16),
        ["$ aws ec2 reboot-instances --instance-ids {v}", "sfu node {v} drained"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:kms:eu-central-1:{rs(DIG, 12)}:key/{uuid4()}",
        ["seal_key_arn = {v}"],
    ),
    ("cloud-resource-id", lambda: "sg-0" + rs(HEX, 16), ["SecurityGroupIds: [{v}]"]),
    (
        "cloud-resource-id",
        lambda: f"https://kv-vg-seal.vault.azure.net/keys/doc-seal/{rs(HEX, 32)}",
        ["keyIdentifier: {v}"],
    ),
    (
        "placeholder",
        lambda: "<PASSWORD>",
        ["OPENSEARCH_INITIAL_ADMIN_PASSWORD={v}", "$ clickhouse-client --user audit_reader --password {v}"],
    ),
    ("placeholder", lambda: "changeme", ["seal.hsm.user-pin={v}", "CSC_KEY_PASSWORD={v}"]),
    ("placeholder", lambda: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", ["X-Postmark-Server-Token: {v}"]),
    ("placeholder", lambda: "YOUR_ONFIDO_TOKEN", ["ONFIDO_API_TOKEN={v}", "PERSONA_API_KEY={v}"]),
    ("placeholder", lambda: "nats://user:pass@localhost:4222", ["# README: NATS_URL={v}"]),
    (
        "templated-value",
        lambda: "${LIVEKIT_API_SECRET}",
        ["keys:\n  APIvgRoom7Qx2: {v}", "LIVEKIT_API_SECRET={v}"],
    ),
    ("templated-value", lambda: "{{ vault_turn_password }}", ['livekit_turn_password: "{v}"']),
    ("templated-value", lambda: "${{ secrets.CSC_KEY_PASSWORD }}", ["          CSC_KEY_PASSWORD: {v}"]),
    ("templated-value", lambda: "{{ .Values.kms.secretAccessKey }}", ["  AWS_SECRET_ACCESS_KEY: {v}"]),
    (
        "templated-value",
        lambda: '${data.doppler_secrets.prd.map["R2_SECRET"]}',
        ["r2_secret_access_key = {v}"],
    ),
    ("masked-value", lambda: "[REDACTED]", ["ADYEN_API_KEY={v}", "opensearch admin password: {v}"]),
    ("masked-value", lambda: "********", ["Enter PIN for 'doc-seal': {v}", "CLOUDFLARE_API_TOKEN={v}"]),
    ("masked-value", lambda: "sntryu_…3f9a", ["the leaked Sentry token {v} was revoked at 04:10"]),
    (
        "keyword-no-value",
        lambda: "user-pin",
        ["RB-6: the HSM {v} is read from Vault at start, never from the chart."],
    ),
    (
        "keyword-no-value",
        lambda: "CSC_KEY_PASSWORD",
        ["PM-47: {v} was printed by electron-builder in verbose mode."],
    ),
    (
        "keyword-no-value",
        lambda: "AccountKey",
        ["ADR-23: we stop using the storage {v} and move to managed identity."],
    ),
    ("keyword-no-value", lambda: "password", ["the broker rejected the {v} for fanout (rotated in RB-11)"]),
    ("private-or-reserved-ip", priv_ip, ['listen: "{v}:4222"', "$ ssh -J bastion ops@{v}"]),
    ("private-or-reserved-ip", draw.doc_ip, ["staging TURN relay at {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.14.3",
        ["Tailscale address {v} (hsm-proxy-1)"],
    ),
    ("example-email", lambda: f"{rng.choice(STAFF)}@vellumgate.example", ["Reviewed-by: {v}"]),
    ("example-email", lambda: "signer@example.com", ['{"email":"{v}","role":"signer"}']),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # from the KMS getting-started guide"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# RB-6 appendix, copied from the AWS docs\naws_secret_access_key = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["the billing sandbox uses Stripe's doc key {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(1, 4)}.{rng.randint(0, 12)}.{rng.randint(0, 20)}",
        ["LiveKit {v} rolling upgrade", "signer-desktop {v} staged to 5% of notaries"],
    ),
    ("version-or-date", iso, ["video rooms dropped at {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@batch-2",
        ["# authorized_keys on hsm-proxy-1\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.pub_pem,
        ["# document-seal verification key (published on the trust page)\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem(),
        ["$ openssl s_client -connect nats-3:4222 -starttls nats -showcerts\n{v}"],
    ),
    ("public-key-or-cert", lambda: "U" + rs(B32, 55), ["NATS user public nkey {v}"]),
    (
        "ids-and-numbers",
        lambda: "pk_live_" + rs(ALNUM, 24),
        ["STRIPE_PUBLISHABLE_KEY={v}  # public by design"],
    ),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v} (not secret)"]),
    ("ids-and-numbers", lambda: f"NF-2026-{rs(DIG, 4)}", ["notary fee invoice {v} voided"]),
    ("ids-and-numbers", lambda: rs(DIG, 12), ["AWS account {v} (vg-seal)"]),
    ("ids-and-numbers", lambda: "APIvg" + rs(ALNUM, 8), ["LiveKit API key id {v} (the secret is separate)"]),
    ("ids-and-numbers", lambda: f"VGN-{rng.randint(100, 999)}", ["Jira {v}: rotate audit store creds"]),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(2020, 2026)}{rs(DIG, 5)}",
        ["| notary commission no. | {v} | expires 2029 |"],
    ),
    (
        "ids-and-numbers",
        lambda: "6L" + rs(ALNUM + "_-", 38),
        ['<div class="g-recaptcha" data-sitekey="{v}"></div>'],
    ),
    ("luhn-fail-number", luhn_bad, ["envelope batch barcode {v}", "notary seal embosser serial {v}"]),
    ("documented-test-card", lambda: "4111 1111 1111 1111", ["braintree sandbox checkout tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"envelope":"draft","pages":4}'), ["payload: {v}"]),
    (
        "base64-nonsecret",
        lambda: b64(f"room {rng.randint(1, 9)} full".encode()),
        ["NATS msg data (base64) {v}"],
    ),
    ("encrypted-value", lambda: draw.sops_value(), ["# envs/doc-store/secrets.enc.yaml\nr2_secret: {v}"]),
    ("encrypted-value", lambda: draw.sealed(140), ["  encryptedData:\n    hsm-pin: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(4)),
        ["livekit_turn_password: !vault |\n{v}"],
    ),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(48)), ["signer_ssn_enc={v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("hash-or-digest", lambda: draw.apr1(), ["# /etc/nginx/.htpasswd on os-audit-1\nops:{v}"]),
    ("hash-or-digest", lambda: draw.sha512_crypt(), ["$ sudo getent shadow ops | cut -d: -f2\n{v}"]),
    (
        "hash-or-digest",
        hex_n(64),
        ["<users><audit_reader><password_sha256_hex>{v}</password_sha256_hex></audit_reader></users>"],
    ),
    (
        "hash-or-digest",
        lambda: "#" + rs(HEX, 64),
        ['127.0.0.1:6380> ACL GETUSER fanout\n 3) "passwords"\n 4) 1) "{v}"'],
    ),
    (
        "hash-or-digest",
        lambda: b64(draw.rbytes(36)),
        ['$ rabbitmqctl list_users --formatter json\n[{"user":"idv","password_hash":"{v}"}]'],
    ),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("trace-id", lambda: rs(HEX, 32), ["| {t} | fanout | token refresh ok | trace {v} |"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel id {v}"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#seal-alarms)"]),
    (
        "ids-and-numbers",
        lambda: "https://" + rs(HEX, 32) + f"@o{rs(DIG, 6)}.ingest.sentry.io/{rs(DIG, 7)}",
        [ELECTRON + '"sentryDsn": "{v}",'],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
        [PLIST + "<key>GoogleDriveClientId</key>\n<string>{v}</string>"],
    ),
    (
        "ids-and-numbers",
        lambda: rs(HEX, 32),
        ["ALGOLIA_SEARCH_ONLY_KEY={v}  # search-only key, shipped to browsers"],
    ),
    ("ids-and-numbers", lambda: "005" + rs(HEX, 22), ["B2 keyID {v} (the application key is in Doppler)"]),
    ("ids-and-numbers", lambda: uuid4(), ["| token id | {v} | revoked | PM-44 |"]),
    ("ids-and-numbers", lambda: "WS" + rs(DIG, 6), ["| pass | {v} | identity check passed |"]),
    ("ids-and-numbers", lambda: rs(HEX, 40), ["cert serial {v} (seal cert 2026)"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::vg-doc-archive-{rs(LOW + DIG, 6)}",
        ["bucket {v} object lock on"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-seal/providers/Microsoft.KeyVault/vaults/kv-vg-seal"
        ),
        ["scope: {v}"],
    ),
    (
        "placeholder",
        lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ["    slack_url: {v}"],
    ),
    (
        "placeholder",
        lambda: "-----BEGIN PRIVATE KEY-----\n<paste AuthKey_XXXX.p8 here>\n-----END PRIVATE KEY-----",
        ["# docs/notarize.md\n{v}"],
    ),
    ("placeholder", lambda: "<redacted>", ["| opensearch | admin | {v} | rotate after PM-44 |"]),
    ("templated-value", lambda: "%(CH_PASSWORD)s", ['[clickhouse]\npassword = "{v}"']),
    (
        "templated-value",
        lambda: "%d/seal-hsm",
        [SYSD + "LoadCredential=seal-hsm:/etc/credstore/seal-hsm.cred\nEnvironment=HSM_PIN_FILE={v}"],
    ),
    (
        "templated-value",
        lambda: "@Microsoft.KeyVault(SecretUri=https://kv-vg-seal.vault.azure.net/secrets/pfx-pass/)",
        ["PfxPassword={v}"],
    ),
    ("templated-value", lambda: "$__file{/run/secrets/ch_password}", ["[database]\npassword = {v}"]),
    (
        "templated-value",
        lambda: "ENV['BRAINTREE_PRIVATE_KEY']",
        ["Braintree::Configuration.private_key = {v}"],
    ),
    ("masked-value", lambda: "hvs.****", ["vault audit log shows {v} used from batch-2"]),
    ("masked-value", lambda: "•••• •••• •••• 4417", ["| {jn} | fee £25 | card {v} | settled |"]),
    ("masked-value", lambda: "K005…(31 chars)", ["B2_APPLICATION_KEY was logged as {v}"]),
    (
        "keyword-no-value",
        lambda: "secret_key",
        ["Braintree calls it private_key, Onfido calls it api token, we call it {v}."],
    ),
    (
        "keyword-no-value",
        lambda: "NKEY SEED",
        ["ADR-19: the {v} block in a .creds file is the part to protect."],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -s http://{v}/latest/meta-data/iam/security-credentials/vg-seal-node  # on hsm-proxy-1"],
    ),
    ("private-or-reserved-ip", lambda: "fd7a:115c:a1e0::1f", ["tailnet address {v}"]),
    ("version-or-date", lambda: "2026-11-02", ["| {v} | PM-50 | fee export sent to the wrong notary |"]),
    ("version-or-date", lambda: "PAdES-B-LTA / ETSI EN 319 142-1 v1.1.1", ["seal profile {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ec_pub_pem(),
        ["# webhook signature verification key (customers download it)\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ['creation_rules:\n  - age: "{v}"'],
    ),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    (
        "base64-nonsecret",
        lambda: "MIIC" + rs(B64, 60) + "==",
        ["RFC 3161 timestamp token (public, embedded in the PDF): {v}"],
    ),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO envelope_batches (barcode) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "5555555555554444", ["Adyen test Mastercard {v} in staging"]),
    ("git-sha", sha40, ["| {t} | {who} rolled seal-svc back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM envelopes WHERE id = '{v}';", "  <EnvelopeId>{v}</EnvelopeId>"]),
    ("example-email", lambda: "noreply@notify.vellumgate.example", ["From: Vellumgate <{v}>"]),
    (
        "encrypted-value",
        lambda: "AQICAH" + rs(B64, 80) + "==",
        [
            "$ aws kms encrypt --key-id alias/doc-seal --plaintext fileb://pin.txt --query CiphertextBlob --output text\n{v}"
        ],
    ),
    ("encrypted-value", lambda: "ENC(" + b64(draw.rbytes(32)) + ")", ["journal.export.sftp.password={v}"]),
    (
        "ids-and-numbers",
        lambda: f"lk-{rs(LOW + DIG, 10)}",
        ["room_name={v} participants=3 (notary, signer, witness)"],
    ),
    (
        "hash-or-digest",
        hex_n(40),
        ['GET /v3/envelopes/draft HTTP/1.1\nHost: api.vellumgate.example\nIf-None-Match: "{v}"'],
    ),
    ("uuid", uuid4, ["| API key | {v} | envelope template id, not a key |"]),
    ("trace-id", lambda: rs(HEX, 16), [MAILHDR + "X-Mailgun-Sid: {v}"]),
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
    r"|hv[sb]\.[A-Za-z0-9_-]{20}|\.atlasv1\.|webhooks/\d{10}|webhookb2/|api_live\.|persona_production_|sntry[us]_[0-9a-f]{8}"
    r"|K005[A-Za-z0-9]{20}|access_token\$production|AQE[A-Za-z0-9+/]{40}|dp\.st\.|ops_eyJ|key-[0-9a-f]{32}|AGE-SECRET-KEY-"
    r"|S[UAO][A-Z2-7]{50}|npm_[A-Za-z0-9]{30}|SK[a-f0-9]{32}|integration/[0-9a-f]{32}|/hooks/[a-z0-9]{26}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|NKEY SEED-----\n[A-Z]"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|ApiKey [A-Za-z0-9+/]{12}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|pin|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes; a Sentry DSN's ``key@oNNN.ingest.sentry.io``
# is a public client key at a host, not an address.
OK_MAIL_36 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal|o\d+\.ingest\.sentry\.io)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_36,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t36", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
