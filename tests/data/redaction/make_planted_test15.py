# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test15.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test15.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20261230)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents: five postmortems (PM-5120 leaked AWS keys, PM-5134 Postgres outage, PM-5141
payment processor incident, PM-5150 CI/CD compromise, PM-5163 support-data exposure), one on-call
runbook (RB-44) and two ADRs (ADR-031 platform on EKS, ADR-034 vendor migration). Common shapes come
first in each kind (``t15p…``/``t15n…``); the summary it prints says where the split falls.
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
    CARDISH,
    DIG,
    HEX,
    IPV4,
    LOW,
    PHONEISH,
    TEST_CARDS,
    TYPES,
    UP,
    Draw,
    Gen,
    N,
    b64,
    check_rows,
    check_unseen,
    is_public_v4,
    luhn_ok,
    stray,
    write_fold,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test15.jsonl"
FOLD = "test15"
ID_PREFIX = "t15"
rng = Random(20261230)
draw = Draw(rng)
rs, rbytes, uuid4, sha40, hhmm, iso = draw.rs, draw.rbytes, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
akid, aws_secret, gcp_api = draw.akid, draw.aws_secret, draw.gcp_api
gcp_oauth_secret, az_client_secret = draw.gcp_oauth_secret, draw.az_client_secret
az_account_key, stripe_whsec, card = draw.az_account_key, draw.stripe_whsec, draw.card
luhn_bad, grouped, priv_ip, ssn, iban = draw.luhn_bad, draw.grouped, draw.priv_ip, draw.ssn, draw.iban


# ---------------------------------------------------------------------------- secret values
def az_sas_key() -> str:
    return b64(rbytes(32))


def gh_token() -> str:
    if rng.random() < 0.25:
        return "github_pat_11" + rs(UP + DIG, 20) + "_" + rs(ALNUM, 59)
    return rng.choice(["ghp_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_"]) + rs(ALNUM, 36)


def gl_token() -> str:
    return rng.choice(["glpat-", "glpat-", "glrt-", "gldt-", "glptt-"]) + rs(ALNUM + "-_", 20)


def slack_token() -> str:
    kind = rng.choice(["b", "b", "p", "a"])
    if kind == "p":
        return f"xoxp-{rs(DIG, 11)}-{rs(DIG, 11)}-{rs(DIG, 13)}-{rs(HEX, 32)}"
    if kind == "a":
        return f"xoxe.xoxp-1-{rs(ALNUM, 140)}"
    return f"xoxb-{rs(DIG, 11)}-{rs(DIG, 13)}-{rs(ALNUM, 24)}"


slack_hook = partial(draw.slack_hook_with_team, 8)


def stripe_key() -> str:
    return rng.choice(["sk_live_", "sk_live_", "rk_live_"]) + rs(ALNUM, rng.choice([24, 99]))


jwt = partial(
    draw.jwt_of,
    ["HS256", "RS256", "ES256"],
    [
        ("sub", ["svc:refunds", "user:40219", "svc:ci-deployer", "agent:zd-8812"]),
        ("iss", ["https://login.northwind.internal", "auth-gw", "support-portal"]),
        ("iat", range(1_780_000_000, 1_790_000_000 + 1)),
        ("scope", ["refunds:write", "admin", "tickets:read export", "deploy"]),
    ],
    sig_lengths={"HS256": 43},
    default_sig=86,
)


def pem_body(first: str, n: int) -> list[str]:
    return (
        [first + rs(B64, 64 - len(first))]
        + [rs(B64, 64) for _ in range(n - 2)]
        + [rs(B64, rng.randint(10, 50)) + "=="]
    )


def private_key(kind: str, indent: str = "") -> str:
    if kind == "rsa":
        label, body = "RSA PRIVATE KEY", pem_body("MIIEowIBAAKCAQEA", rng.randint(8, 12))
    elif kind == "ec":
        label, body = "EC PRIVATE KEY", ["MHcCAQEEI" + rs(B64, 55), rs(B64, 64), rs(B64, 38) + "=="]
    elif kind == "ssh":
        label = "OPENSSH PRIVATE KEY"
        body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
        body += [rs(B64, 70) for _ in range(rng.randint(3, 4))] + [rs(B64, 26) + "=="]
    elif kind == "enc":
        label, body = (
            "ENCRYPTED PRIVATE KEY",
            pem_body("MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI", rng.randint(9, 12)),
        )
    else:
        label, body = "PRIVATE KEY", pem_body("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", rng.randint(8, 12))
    return ("\n" + indent).join([f"-----BEGIN {label}-----", *body, f"-----END {label}-----"])


def gcp_sa_key() -> str:
    body = pem_body("MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQD", 14)
    return "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(body) + "\\n-----END PRIVATE KEY-----\\n"


WORDS = [
    "heron",
    "basalt",
    "juniper",
    "lantern",
    "pewter",
    "saffron",
    "tundra",
    "walnut",
    "zephyr",
    "cobalt",
    "fennel",
    "garnet",
    "larch",
    "nimbus",
]


def password() -> str:
    shape = rng.randrange(5)
    if shape == 0:
        return rs(ALNUM, rng.randint(14, 22))
    if shape == 1:
        return rng.choice(WORDS).capitalize() + rs(DIG, 4) + rng.choice("!#%") + rng.choice(WORDS)
    if shape == 2:
        return "-".join(rng.sample(WORDS, 3)) + rs(DIG, 2)
    if shape == 3:
        return rs(ALNUM + "!%^*", rng.randint(12, 18)) + rng.choice(DIG)
    return rs(UP, 2) + rs(LOW + DIG, 10) + rng.choice("_.") + rs(DIG, 3)


def url_password() -> str:
    shape = rng.randrange(3)
    if shape == 0:
        return rs(ALNUM, rng.randint(14, 24))
    if shape == 1:
        return rng.choice(WORDS) + "." + rng.choice(WORDS) + rs(DIG, 3)
    return rs(ALNUM, 8) + "-" + rs(ALNUM, 8)


# ---------------------------------------------------------------------------- personal values
public_v4 = partial(
    draw.public_v4, (18, 24, 37, 46, 51, 64, 73, 86, 95, 109, 128, 146, 154, 178, 188, 195, 209, 213)
)


public_v6 = partial(
    draw.public_v6,
    ("2a02", "2a03", "2001:4860", "2600:1f18", "2a05", "2804", "2406", "2c0f"),
    group_fallbacks="ce",
    short_tail="27",
    long_fallback="d",
)


us_phone = partial(
    draw.us_phone_in,
    areas=["202", "213", "305", "404", "512", "602", "614", "702", "919"],
    forms=(
        "({area}) 555-{tail}",
        "+1 {area}-555-{tail}",
        "{area}.555.{tail}",
        "1-{area}-555-{tail}",
        "+1{area}555{tail}",
    ),
)


uk_phone = partial(
    draw.uk_phone_in,
    forms=(
        "07700 900{mob}",
        "+44 (0)20 7946 0{land}",
        "+44 7700 900 {mob}",
        "020 7946 0{land}",
        "07700900{mob}",
    ),
)


def nino() -> str:
    pair = "GB"
    while pair in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
        pair = rng.choice("ABCEHJKLMNPRSTWXYZ") + rng.choice("ABCEHJKLMNPRSTWXYZ")
    d = rs(DIG, 6)
    return (
        f"{pair}{d}{rng.choice('ABCD')}"
        if rng.random() < 0.5
        else f"{pair} {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}"
    )


FIRST = [
    "aurelie",
    "bongani",
    "cosima",
    "dmitri",
    "elif",
    "fergus",
    "ganesh",
    "helka",
    "ivo",
    "jovana",
    "kwame",
    "leonie",
    "malik",
    "nadia",
    "osric",
    "priya",
]
LAST = [
    "abernathy",
    "brandt",
    "cavanagh",
    "demir",
    "esposito",
    "falk",
    "grimaldi",
    "haddad",
    "ishikawa",
    "jovanovic",
    "kuznetsov",
    "lindqvist",
    "moreau",
    "okonkwo",
    "pereira",
]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "hotmail.com",
    "mail.ru",
    "orange.fr",
    "libero.it",
    "t-online.de",
    "comcast.net",
    "zoho.com",
]


def email() -> str:
    f, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice(
        [f"{f}.{last}", f"{f}{rng.randint(1, 99)}", f"{f[0]}.{last}", f"{last}{f[0]}", f"{f}+orders"]
    )
    return f"{local}@{rng.choice(MAIL)}"


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "refund-worker",
    "checkout-api",
    "ledger-writer",
    "ticket-exporter",
    "build-agent",
    "pg-bouncer",
    "notif-fanout",
    "kyc-checker",
    "report-scheduler",
    "search-indexer",
]
ONCALL = ["amara", "bastian", "cleo", "dev", "emre", "freya", "gideon", "hana", "isak", "joss"]


FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "pip": priv_ip,
    "n": lambda: str(rng.randint(3, 980)),
    "pid": lambda: str(rng.randint(1100, 64000)),
    "ver": lambda: f"{rng.randint(1, 8)}.{rng.randint(0, 24)}.{rng.randint(0, 9)}",
    "sha7": lambda: rs(HEX, 7),
    "req": lambda: rs(HEX, 16),
    "uuid": uuid4,
    "db": lambda: rng.choice(["payments", "tickets", "ledger", "accounts", "inventory"]),
}
SLOT = re.compile(r"\{\{|\}\}|\{([A-Za-z_0-9]+)\}")


def fill(tpl: str, **kw: str) -> str:
    """Fill ``{slot}``s; ``{{`` and ``}}`` stand for literal braces, other braces stay as written."""

    def sub(m: re.Match) -> str:
        k = m.group(1)
        if k is None:
            return m.group(0)[0]
        if k in kw:
            return kw[k]
        return FILL[k]() if k in FILL else m.group(0)

    return SLOT.sub(sub, tpl)


# ---------------------------------------------------------------------------- common secrets
# (type, generator, templates): each template is filled once with a fresh value.
def private_key_gen(kind: str, indent: str = "") -> Gen:
    return lambda: private_key(kind, indent)


COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            "PM-5120 summary: at {t} UTC a contractor pushed `deploy/.aws/credentials` to the public mirror; the file held access key id {v} for the `ci-artifacts` IAM user.",
            "| {t} | GuardDuty | UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration for key {v} from an unknown ASN |",
            "[default]\naws_access_key_id = {v}\naws_secret_access_key = <rotated, see PM-5120>",
            "> @{who}: can someone confirm {v} is the old one? I deactivated it at {t} but CloudTrail still shows ListBuckets",
            '{{"eventTime":"{ts}","eventName":"GetCallerIdentity","userIdentity":{{"type":"IAMUser","accessKeyId":"{v}","userName":"ci-artifacts"}},"sourceIPAddress":"{pip}"}}',
            "$ aws iam update-access-key --access-key-id {v} --status Inactive --user-name ci-artifacts",
            "AWS_ACCESS_KEY_ID={v} AWS_SECRET_ACCESS_KEY=$(cat /run/secrets/aws_secret) ./scripts/sync-artifacts.sh",
            'provider "aws" {{\n  region     = "eu-west-2"\n  access_key = "{v}"\n  secret_key = var.aws_secret_key\n}}',
            "  - name: AWS_ACCESS_KEY_ID\n    value: {v}",
            "The attacker enumerated S3 with {v} for 41 minutes before the quarantine policy attached.",
            "docker run --rm -e AWS_ACCESS_KEY_ID={v} -e AWS_REGION=eu-west-2 amazon/aws-cli s3 ls",
            "RB-44 step 3: if the alert names a key (e.g. {v}), page the owner before you deactivate it.",
            'time={ts} level=warn msg="static credentials in use" key_id={v} svc={svc}',
            'Traceback (most recent call last):\n  File "sync.py", line 88, in main\nbotocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) when calling the PutObject operation: key {v} is not valid',
            "ADR-031: no static IAM users. The last one, {v}, is deleted once IRSA is live for {svc}.",
            "| ci-artifacts | {v} | created 2023-04-11 | last used {ts} | status: Inactive |",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            "[ci-artifacts]\naws_access_key_id = AKIA****************\naws_secret_access_key = {v}",
            "export AWS_SECRET_ACCESS_KEY={v}",
            "The leaked commit {sha7} added `AWS_SECRET_ACCESS_KEY: {v}` to `.github/workflows/release.yml`.",
            '  secret_key = "{v}"  # TODO move to vault before the audit',
            "aws_secret_access_key={v}",
            '{{"Credentials":{{"AccessKeyId":"ASIA…","SecretAccessKey":"{v}","Expiration":"{ts}"}}}}',
            "> the secret was {v} and yes it is still in the repo history, I'll run filter-repo",
            '  AWS_SECRET_ACCESS_KEY: "{v}"',
            "s3cmd --access_key=$KEY_ID --secret_key={v} ls s3://pm5120-forensics/",
            "| {t} | attacker | `aws configure set aws_secret_access_key {v}` seen in the honeypot shell history |",
            'helm upgrade velero vmware-tanzu/velero --set credentials.secretContents.cloud="aws_secret_access_key={v}"',
            "RUN aws configure set aws_secret_access_key {v} && aws s3 cp s3://build-cache/node_modules.tgz .",
            "AWS secret access key (rotated {t}): {v}",
            "AwsSecretKey = {v}",
        ],
    ),
    (
        "gcp-key",
        gcp_api,
        [
            "The Maps key {v} shipped in the Android bundle without an app restriction (PM-5163 follow-up #4).",
            'const firebaseConfig = {{ apiKey: "{v}", authDomain: "support-portal.firebaseapp.com" }};',
            "GET /maps/api/geocode/json?address=depot+7&key={v} HTTP/1.1",
            "GOOGLE_API_KEY={v}",
            "| {t} | billing | GCP budget alert: Places API spend 14x normal, all traffic on key {v} |",
            "  translate_api_key: {v}",
        ],
    ),
    (
        "gcp-key",
        gcp_oauth_secret,
        [
            "GOOGLE_OAUTH_CLIENT_SECRET={v}",
            '{{"web":{{"client_id":"{n}-kq2.apps.googleusercontent.com","client_secret":"{v}","redirect_uris":["https://support.northwind.internal/cb"]}}}}',
            "The SSO client secret {v} was pasted into #support-eng while debugging the login loop.",
            "  oauth:\n    google:\n      clientSecret: {v}",
        ],
    ),
    (
        "gcp-service-account-key",
        gcp_sa_key,
        [
            '{{"type": "service_account", "project_id": "nw-analytics-prod", "private_key_id": "{kid}", "private_key": "{v}", "client_email": "bq-export@nw-analytics-prod.iam.gserviceaccount.com"}}',
            'PM-5163: the exporter image contained /app/sa.json with "private_key": "{v}" readable by anyone who pulled the tag.',
            'gcp_credentials = jsonencode({{ private_key = "{v}", client_email = "tf-runner@nw-infra.iam.gserviceaccount.com" }})',
            '  "private_key": "{v}",',
            'echo \'{{"private_key":"{v}","type":"service_account"}}\' > /tmp/key.json && gcloud auth activate-service-account --key-file=/tmp/key.json',
            'GOOGLE_CREDENTIALS={{"type":"service_account","private_key":"{v}","client_id":"{n}"}}',
        ],
    ),
    (
        "azure-key",
        az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=nwticketexports;AccountKey={v};EndpointSuffix=core.windows.net",
            "az storage blob list --account-name nwticketexports --account-key {v} -c exports",
            '  storage_account_key = "{v}"',
            "AZURE_STORAGE_KEY={v}",
            "| {t} | support | ticket attachments container was public; key1 ({v}) rotated after the fact |",
        ],
    ),
    (
        "azure-key",
        az_sas_key,
        [
            "Endpoint=sb://nw-orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}",
            "HostName=nw-iot-hub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={v}",
            "Endpoint=https://nw-ledger.documents.azure.com:443/;AccountKey={v};",
            "EVENTHUB_CONN=Endpoint=sb://nw-telemetry.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={v};EntityPath=audit",
        ],
    ),
    (
        "azure-key",
        az_client_secret,
        [
            "AZURE_CLIENT_SECRET={v}",
            "az login --service-principal -u {uuid} -p {v} --tenant {uuid2}",
            '  client_secret = "{v}"',
            "ADR-034 appendix: the old Graph app secret {v} expires in March; we are not renewing it.",
            "| {t} | ci | pipeline log printed `ARM_CLIENT_SECRET={v}` because `set -x` was on |",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "PM-5150: the malicious action read `$GITHUB_TOKEN` and a long-lived PAT, {v}, from the runner environment.",
            "git clone https://x-access-token:{v}@github.com/northwind/payments-core.git",
            "GH_TOKEN={v} gh release create v{ver} dist/*",
            '| {t} | attacker | `curl -s -H "Authorization: token {v}" https://api.github.com/user/repos` from the compromised runner |',
            "  github_token: {v}",
            "//npm.pkg.github.com/:_authToken={v}",
            "> @{who} I revoked {v} at {t}, it was the release-bot's",
            '[url "https://{v}@github.com/"]\n\tinsteadOf = https://github.com/',
            'echo "{v}" | docker login ghcr.io -u release-bot --password-stdin',
            "Error: HttpError: Bad credentials (token {v}) at /home/runner/work/_actions/setup-release/dist/index.js:412",
            "export GITHUB_PAT={v}",
            'token = "{v}"  # renovate bot, scope: repo',
            "RB-44: never paste a PAT into an incident doc. (We did, in PM-5150: {v}.)",
            "GIT_ASKPASS=true GITHUB_TOKEN={v} make publish",
            "- name: checkout\n  uses: actions/checkout@v4\n  with:\n    token: {v}",
            "ghcr.io auth failed for {v}: token expired",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            "PM-5150 timeline: the runner registration token {v} was in the Ansible inventory in the same repo.",
            "gitlab-runner register --url https://gitlab.northwind.internal --token {v} --executor docker",
            'curl --header "PRIVATE-TOKEN: {v}" https://gitlab.northwind.internal/api/v4/projects/{n}/jobs',
            "CI_DEPLOY_TOKEN={v}",
            "git remote set-url origin https://oauth2:{v}@gitlab.northwind.internal/infra/terraform.git",
            "| {t} | gitlab | personal access token {v} (owner: {who}) used from a new country |",
            '  gitlab_token = "{v}"',
            "We found {v} in the job log of pipeline #{n}; GitLab masks only variables marked masked.",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "SLACK_BOT_TOKEN={v}",
            "The incident bot's token {v} was in the PM-5134 runbook draft for two weeks.",
            "curl -s -H 'Authorization: Bearer {v}' https://slack.com/api/chat.postMessage -d channel=C04INCIDENT",
            "  slack:\n    token: {v}\n    channel: '#inc-payments'",
            'level=error ts={ts} caller=notify.go:77 msg="slack post failed" token={v} err="invalid_auth"',
            "| {t} | support | Zendesk-Slack bridge token {v} found in the exported macro |",
            "> {who}: pasting the user token so you can reproduce: {v}",
            "helm upgrade pager-bridge ./chart --set slack.botToken={v}",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "ALERT_WEBHOOK={v}",
            "curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"pg primary failover\"}}' {v}",
            "  receivers:\n  - name: db-oncall\n    slack_configs:\n    - api_url: {v}",
            "The webhook {v} was hard-coded in `notify.sh`; anyone with the script could post into #inc-db.",
            "| {t} | alertmanager | 404 no_service from {v} after the app was reinstalled |",
            'variable "slack_webhook" {{ default = "{v}" }}',
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            "PM-5141: the refund worker logged its client config on start, including api_key={v}.",
            "STRIPE_SECRET_KEY={v}",
            "curl https://api.stripe.com/v1/refunds -u {v}: -d charge=ch_3Qx{n}",
            "  stripe:\n    secret: {v}\n    api_version: 2024-06-20",
            "| {t} | payments | rolled {v} in the dashboard; old key valid for 12h by default (we set 0) |",
            "Stripe::StripeError (Invalid API Key provided: {v}) in RefundsController#create",
            'stripe.api_key = "{v}"',
            "docker run -e STRIPE_API_KEY={v} -p 8080:8080 checkout-api:{ver}",
            "kubectl create secret generic stripe --from-literal=secret-key={v} -n payments",
            "INSERT INTO merchant_settings (merchant_id, psp, api_key) VALUES ({n}, 'stripe', '{v}');",
        ],
    ),
    (
        "stripe-key",
        stripe_whsec,
        [
            "> {who}: webhook signing secret is {v}, it's in 1Password too",
            "payments.stripe.webhook_secret={v}",
            "  STRIPE_WEBHOOK_SECRET: {v}",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "The support agent's session token was in the shared HAR file: {v}",
            "Authorization: Bearer {v}",
            'curl -H "Authorization: Bearer {v}" https://support-api.northwind.internal/v2/tickets/export',
            '{{"level":"info","ts":"{ts}","msg":"request","path":"/refunds","auth":"{v}","status":200}}',
            "| {t} | attacker | replayed {v} against /admin/exports (token had no audience check) |",
            "Cookie: nw_session={v}; theme=dark",
            "X-Service-Token: {v}",
            "> {who}: use this one for the repro, it's mine and expires tomorrow: {v}",
            "REFUND_SVC_JWT={v}",
            "GET /v2/exports/{n}?access_token={v} HTTP/1.1\nHost: support-api.northwind.internal",
        ],
    ),
    (
        "private-key",
        private_key_gen("rsa"),
        [
            "PM-5150: the deploy key was committed to `ops/keys/deploy_rsa`:\n{v}",
            "cat > ~/.ssh/id_rsa <<'EOF'\n{v}\nEOF",
        ],
    ),
    ("private-key", private_key_gen("ec", "    "), ["tls:\n  key: |\n    {v}"]),
    (
        "private-key",
        private_key_gen("ssh"),
        ["RB-44 break-glass bastion key (do not copy this doc!):\n\n{v}"],
    ),
    (
        "private-key",
        private_key_gen("pkcs8", "        "),
        ["data:\n  tls.crt: (omitted)\n  tls.key: |\n        {v}"],
    ),
    (
        "private-key",
        private_key_gen("pkcs8"),
        ['resource "tls_private_key" "imported" {{}}\n# imported from the old CA box:\n{v}'],
    ),
    (
        "private-key",
        private_key_gen("enc"),
        ["The encrypted signing key (passphrase in the vault) was attached to the ticket:\n{v}"],
    ),
    (
        "private-key",
        private_key_gen("ec"),
        ["```\n{v}\n```\n\nThis is the Apple Pay merchant identity key that sat in the support export."],
    ),
]

COMMON_SECRETS += [
    (
        "password-in-url",
        url_password,
        [
            "DATABASE_URL=postgres://ledger_rw:{v}@pg-primary.db.northwind.internal:5432/ledger?sslmode=require",
            "PM-5134 {t}: pgbouncer still pointed at the old primary: `postgresql://pgbouncer:{v}@{pip}:6432/payments`.",
            "psql \"postgresql://dba_{who}:{v}@pg-replica-2.db.northwind.internal/ledger\" -c 'select pg_is_in_recovery()'",
            "  url: mysql://reporting:{v}@mysql-reports.db.northwind.internal:3306/warehouse",
            "MONGO_URI=mongodb+srv://support_app:{v}@tickets-prod.x7kq2.mongodb.net/tickets?retryWrites=true&w=majority",
            'mongosh "mongodb://admin:{v}@{pip}:27017/admin?authSource=admin"',
            "REDIS_URL=redis://default:{v}@redis-sessions.cache.northwind.internal:6379/0",
            "  broker_url: rediss://:{v}@redis-queue.cache.northwind.internal:6380/2",
            "AMQP_URL=amqp://refunds:{v}@rabbit-1.mq.northwind.internal:5672/payments",
            "celery -A refunds worker --broker=amqps://celery:{v}@rabbit.mq.northwind.internal:5671//",
            "SQLALCHEMY_DATABASE_URI=mssql+pyodbc://sa_reports:{v}@mssql-legacy.db.northwind.internal:1433/Billing?driver=ODBC+Driver+18+for+SQL+Server",
            "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server failed\n[SQL: SELECT 1]\n(url: postgresql+psycopg2://ledger_rw:{v}@pg-primary.db.northwind.internal:5432/ledger)",
            "| {t} | db | failover done; apps reconnect via `postgres://app:{v}@pg.db.northwind.internal/payments` |",
            '  db_url = "postgres://terraform:{v}@${{aws_db_instance.main.address}}:5432/app"',
            'level=error ts={ts} msg="dial failed" dsn="mysql://ingest:{v}@tcp(mysql-0.mysql:3306)/events"',
            "git clone https://{who}:{v}@git.northwind.internal/ops/runbooks.git",
            "ELASTICSEARCH_URL=https://elastic:{v}@es-logs.northwind.internal:9200",
            "pip install --index-url https://ci:{v}@pypi.northwind.internal/simple/ nw-ledger-client",
            "> {who}: try `redis-cli -u redis://ops:{v}@{pip}:6379 info replication`",
            "clickhouse-client --host ch-1 --query 'select 1' # via http://default:{v}@ch-1.analytics.northwind.internal:8123",
            "  - name: KAFKA_SASL_JAAS\n    value: nats://relay:{v}@nats.msg.northwind.internal:4222",
            "proxy: http://squid:{v}@egress-proxy.northwind.internal:3128",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "POSTGRES_PASSWORD={v}",
            "PGPASSWORD={v} psql -h pg-primary.db.northwind.internal -U postgres -d ledger",
            "mysql -h mysql-reports.db.northwind.internal -u root -p{v} warehouse < fix_orphans.sql",
            "mysql --user=reporting --password={v} --host={pip} -e 'show slave status\\G'",
            'sqlcmd -S mssql-legacy.db.northwind.internal -U sa -P {v} -Q "SELECT @@VERSION"',
            "docker run -d --name pg-scratch -e POSTGRES_PASSWORD={v} -p 5432:5432 postgres:16",
            "helm upgrade --install redis bitnami/redis -n cache --set auth.password={v}",
            "helm install rabbit bitnami/rabbitmq --set auth.username=admin --set auth.password={v}",
            "spring:\n  datasource:\n    url: jdbc:postgresql://pg-primary:5432/ledger\n    username: ledger_rw\n    password: {v}",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-ledger\nstringData:\n  password: {v}",
            'resource "aws_db_instance" "ledger" {{\n  username = "ledger_admin"\n  password = "{v}"\n}}',
            "Server=mssql-legacy.db.northwind.internal;Database=Billing;User Id=sa_reports;Password={v};Encrypt=true",
            "jdbc:sqlserver://mssql-legacy:1433;databaseName=Billing;user=sa_reports;password={v}",
            "PM-5134 {t}: {who} reset the replication user's password to {v} from the bastion and pasted it here for the others.",
            "> {who}: the rabbit admin password is {v} (will rotate after the incident)",
            "| {t} | db | `ALTER USER replicator WITH PASSWORD '{v}';` run on the new primary |",
            '  redis_password: "{v}"',
            "MYSQL_ROOT_PASSWORD={v}",
            "DB_PASS={v}",
            "RABBITMQ_DEFAULT_PASS={v}",
            '{{"level":"debug","ts":"{ts}","msg":"config loaded","db":{{"host":"{pip}","user":"app","password":"{v}"}}}}',
            "Caused by: java.sql.SQLException: Access denied for user 'ingest'@'{pip}' (using password: YES) [password={v}]",
            "$ export PGPASSWORD='{v}'\n$ pg_basebackup -h {pip} -U replicator -D /var/lib/postgresql/16/main -X stream",
            "requirepass {v}",
            "db_password = {v}",
            "keystore.password={v}",
            "INSERT INTO service_accounts (name, login, password) VALUES ('{svc}', 'svc_{n}', '{v}');",
            "RB-44: admin UI login is `ops` / `{v}` (yes, we know; tracked in SEC-{n})",
            '<add key="SmtpPassword" value="{v}" />',
            "ansible_become_password: {v}",
            "vault kv put secret/support/zendesk password={v}",
            "docker login registry.northwind.internal -u ci -p {v}",
        ],
    ),
    (
        "basic-auth",
        lambda: b64(f"{rng.choice(ONCALL)}:{password()}".encode()),
        [
            "Authorization: Basic {v}",
            "curl -H 'Authorization: Basic {v}' https://grafana.northwind.internal/api/dashboards/uid/pg-overview",
            "POST /api/v1/refunds HTTP/1.1\nHost: psp-gateway.northwind.internal\nAuthorization: Basic {v}\nContent-Type: application/json",
            '  headers:\n    Authorization: "Basic {v}"',
        ],
    ),
    (
        "basic-auth",
        password,
        [
            "curl -u admin:{v} https://rabbit-1.mq.northwind.internal:15672/api/queues",
            "curl --user elastic:{v} -XGET 'https://es-logs.northwind.internal:9200/_cluster/health'",
            "wget --http-user=ci --http-password={v} https://artifacts.northwind.internal/releases/ledger.tar.gz",
            "| {t} | support | `curl -u agent-export:{v} https://support.northwind.internal/api/v2/users.json` ran from a laptop |",
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM + "-_", rng.choice([32, 40, 48])),
        [
            'curl -H "Authorization: Bearer {v}" https://api.psp-gateway.northwind.internal/v1/settlements',
            "Authorization: Bearer {v}",
            "> {who}: the PSP's sandbox-to-prod token is {v}, their support asked us to rotate it",
            '{{"ts":"{ts}","method":"POST","path":"/v1/payouts","headers":{{"authorization":"Bearer {v}"}}}}',
            "PSP_API_TOKEN={v}",
            "access_token={v}",
        ],
    ),
]


def common_secrets() -> list[tuple[str, str, str]]:
    out = []
    for typ, gen, places in COMMON_SECRETS:
        for tpl in places:
            v = gen()
            out.append((typ, fill(tpl, v=v, kid=rs(HEX, 40), uuid2=uuid4()), v))
    return out


# ---------------------------------------------------------------------------- less common secrets
def twilio_auth() -> str:
    return rs(HEX, 32)


RARE_SECRETS: list[tuple[str, str, Gen]] = [
    (
        "vendor-token",
        "ADR-034: SendGrid goes; until cut-over the key {v} stays in the notifier's env.",
        lambda: f"SG.{rs(B64URL, 22)}.{rs(B64URL, 43)}",
    ),
    ("vendor-token", "SENDGRID_API_KEY={v}", lambda: f"SG.{rs(B64URL, 22)}.{rs(B64URL, 43)}"),
    ("vendor-token", "POSTMARK_SERVER_TOKEN={v}", uuid4),
    (
        "vendor-token",
        "curl https://api.postmarkapp.com/email -H 'X-Postmark-Server-Token: {v}' -d @welcome.json",
        uuid4,
    ),
    ("vendor-token", "MAILGUN_API_KEY={v}", lambda: "key-" + rs(HEX, 32)),
    ("vendor-token", "mailchimp:\n  api_key: {v}", lambda: rs(HEX, 32) + "-us" + str(rng.randint(2, 21))),
    ("vendor-token", "DD_API_KEY={v}", lambda: rs(HEX, 32)),
    (
        "vendor-token",
        "helm install datadog datadog/datadog --set datadog.apiKey={v} --set datadog.site=datadoghq.eu",
        lambda: rs(HEX, 32),
    ),
    ("vendor-token", "  dd_app_key: {v}", lambda: rs(HEX, 40)),
    ("vendor-token", "NEW_RELIC_API_KEY={v}", lambda: "NRAK-" + rs(UP + DIG, 27)),
    ("vendor-token", "newrelic.license_key = {v}", lambda: rs(HEX, 36) + "NRAL"),
    (
        "vendor-token",
        "ADR-034 step 2: Grafana Cloud token for the migration period is {v} (scope: metrics:write).",
        lambda: "glc_" + rs(B64URL, 80),
    ),
    ("vendor-token", "GRAFANA_SA_TOKEN={v}", lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8)),
    ("vendor-token", "SENTRY_AUTH_TOKEN={v}", lambda: "sntrys_" + rs(B64URL, 60)),
    ("vendor-token", "PAGERDUTY_TOKEN={v}", lambda: "u+" + rs(ALNUM + "_-", 18)),
    ("vendor-token", "  routing_key: {v}  # pagerduty events v2, db-oncall service", lambda: rs(HEX, 32)),
    ("vendor-token", "TWILIO_AUTH_TOKEN={v}", twilio_auth),
    (
        "vendor-token",
        "client = Client('AC' + sid_suffix, '{v}')  # twilio auth token from PM-5163 export script",
        twilio_auth,
    ),
    ("vendor-token", "TWILIO_API_KEY_SID={v}", lambda: "SK" + rs(HEX, 32)),
    ("vendor-token", "OPENAI_API_KEY={v}", lambda: "sk-proj-" + rs(B64URL, 120)),
    (
        "vendor-token",
        "> {who}: I used my own key for the summariser test, {v}, sorry",
        lambda: "sk-proj-" + rs(B64URL, 56),
    ),
    ("vendor-token", "ANTHROPIC_API_KEY={v}", lambda: "sk-ant-api03-" + rs(B64URL, 93) + "AA"),
    (
        "vendor-token",
        "(venv) {who}@notebook-3:~$ huggingface-cli login --token {v}",
        lambda: "hf_" + rs(ALNUM, 34),
    ),
    ("vendor-token", "//registry.npmjs.org/:_authToken={v}", lambda: "npm_" + rs(ALNUM, 36)),
    ("vendor-token", "NPM_TOKEN={v}", lambda: "npm_" + rs(ALNUM, 36)),
    (
        "vendor-token",
        "[pypi]\n  username = __token__\n  password = {v}",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 120),
    ),
    (
        "vendor-token",
        "echo {v} | docker login -u nwci --password-stdin",
        lambda: "dckr_pat_" + rs(B64URL, 27),
    ),
    ("vendor-token", "$ doctl auth init --access-token {v}", lambda: "dop_v1_" + rs(HEX, 64)),
    (
        "vendor-token",
        "VAULT_TOKEN={v} vault kv get secret/payments/psp",
        lambda: "hvs." + rs(ALNUM + "_-", 90),
    ),
    (
        "vendor-token",
        "ADR-031: the bootstrap root token ({v}) is revoked once the OIDC auth method is up.",
        lambda: "hvs." + rs(ALNUM, 24),
    ),
    (
        "vendor-token",
        'credentials "app.terraform.io" {{\n  token = "{v}"\n}}',
        lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67),
    ),
    (
        "vendor-token",
        "JIRA_API_TOKEN={v}",
        lambda: "ATATT3xFfGF0" + rs(B64URL, 170) + "=" + rs(HEX, 8).upper(),
    ),
    (
        "vendor-token",
        "curl -X POST https://api.linear.app/graphql -H 'Authorization: {v}' -d '{{\"query\":\"{{ viewer {{ id }} }}\"}}'",
        lambda: "lin_api_" + rs(ALNUM, 40),
    ),
    (
        "vendor-token",
        "GET /admin/api/2024-07/orders.json HTTP/1.1\nHost: nw-store.myshopify.com\nX-Shopify-Access-Token: {v}",
        lambda: "shpat_" + rs(HEX, 32),
    ),
    (
        "vendor-token",
        "[DEFAULT]\nhost = https://adb-{pid}.azuredatabricks.net\ntoken = {v}",
        lambda: "dapi" + rs(HEX, 32),
    ),
    ("vendor-token", "CLOUDFLARE_API_TOKEN={v}", lambda: rs(ALNUM + "_-", 40)),
    (
        "vendor-token",
        "curl -H 'X-Auth-Key: {v}' -H 'X-Auth-Email: ops@example.com' https://api.cloudflare.com/client/v4/zones",
        lambda: rs(HEX, 37),
    ),
    ("vendor-token", "OKTA_API_TOKEN={v}", lambda: "00" + rs(ALNUM + "-_", 40)),
    ("vendor-token", "Authorization: SSWS {v}", lambda: "00" + rs(ALNUM + "-_", 40)),
    (
        "vendor-token",
        'requests.post(f"https://api.telegram.org/bot{v}/sendMessage", json={{"chat_id": -{pid}, "text": msg}})',
        lambda: f"{rng.randint(10**9, 7 * 10**9)}:AA{rs(B64URL, 33)}",
    ),
    (
        "vendor-token",
        "DISCORD_WEBHOOK=https://discord.com/api/webhooks/{n}{pid}{pid}/{v}",
        lambda: rs(B64URL, 68),
    ),
    (
        "vendor-token",
        "DISCORD_BOT_TOKEN={v}",
        lambda: f"{rs('MN', 1)}{rs(ALNUM, 23)}.{rs(B64URL, 6)}.{rs(B64URL, 38)}",
    ),
    ("vendor-token", "ZENDESK_API_TOKEN={v}", lambda: rs(ALNUM, 40)),
    (
        "vendor-token",
        "PM-5163: the export script authenticated as `agent-export/token` with {v}; the token had full admin scope.",
        lambda: rs(ALNUM, 40),
    ),
    ("vendor-token", "ALGOLIA_ADMIN_KEY={v}", lambda: rs(HEX, 32)),
    (
        "vendor-token",
        "MAPBOX_SECRET_TOKEN={v}",
        lambda: "sk.eyJ1Ijoibndpbm" + rs(B64URL, 60) + "." + rs(B64URL, 22),
    ),
    ("vendor-token", "SQUARE_ACCESS_TOKEN={v}", lambda: "EAAA" + rs(B64URL, 60)),
    (
        "vendor-token",
        "BRAINTREE_ACCESS_TOKEN={v}",
        lambda: f"access_token$production${rs(LOW + DIG, 16)}${rs(HEX, 32)}",
    ),
    ("vendor-token", "ADYEN_API_KEY={v}", lambda: "AQE" + rs(B64URL, 80) + "=-" + rs(B64URL, 20)),
    ("vendor-token", "FCM_SERVER_KEY={v}", lambda: "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)),
    (
        "vendor-token",
        "> {who}: supabase access token for the status page project is {v}",
        lambda: "sbp_" + rs(HEX, 40),
    ),
    (
        "vendor-token",
        "| {t} | ci | `netlify deploy --prod --auth {v}` echoed by the debug step |",
        lambda: "nfp_" + rs(ALNUM, 36),
    ),
    ("vendor-token", "flyctl deploy --app status-page --access-token {v}", lambda: "fo1_" + rs(B64URL, 43)),
    ("vendor-token", "    env:\n      PULUMI_ACCESS_TOKEN: {v}", lambda: "pul-" + rs(HEX, 40)),
    (
        "vendor-token",
        'notion = Client(auth="{v}")  # postmortem exporter, ADR-034',
        lambda: "ntn_" + rs(ALNUM, 46),
    ),
    (
        "vendor-token",
        '{{"level":"debug","msg":"airtable sync","token":"{v}","base":"app{n}"}}',
        lambda: "pat" + rs(ALNUM, 14) + "." + rs(HEX, 64),
    ),
    ("vendor-token", "POSTMAN_API_KEY={v}", lambda: "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34)),
    ("vendor-token", "X-Figma-Token: {v}", lambda: "figd_" + rs(B64URL, 40)),
    ("vendor-token", "DOPPLER_TOKEN={v}", lambda: "dp.st.prd." + rs(ALNUM, 43)),
    ("vendor-token", "AZURE_DEVOPS_PAT={v}", lambda: rs(LOW + "234567", 52)),
    ("vendor-token", "SOPS_AGE_KEY={v}", lambda: "AGE-SECRET-KEY-1" + rs(UP + "023456789", 58)),
    ("vendor-token", "GOOGLE_OAUTH_ACCESS_TOKEN={v}", lambda: "ya29.a0" + rs(B64URL, 150)),
    ("password-assignment", "SNOWFLAKE_PASSWORD={v}", password),
    ("vendor-token", "X-Api-Key: {v}", lambda: rs(ALNUM, 32)),
    (
        "vendor-token",
        "TEAMS_WEBHOOK=https://northwind.webhook.office.com/webhookb2/{uuid}@{uuid2}/IncomingWebhook/{v}/{uuid3}",
        lambda: rs(HEX, 32),
    ),
    ("vendor-token", "https://hooks.zapier.com/hooks/catch/{n}/{v}/", lambda: rs(LOW + DIG, 7)),
    (
        "vendor-token",
        "webhook_url: https://events.pagerduty.com/integration/{v}/enqueue",
        lambda: rs(HEX, 32),
    ),
]


def rare_secrets() -> list[tuple[str, str, str]]:
    out = []
    for typ, tpl, gen in RARE_SECRETS:
        v = gen()
        out.append((typ, fill(tpl, v=v, uuid2=uuid4(), uuid3=uuid4()), v))
    return out


# ---------------------------------------------------------------------------- personal data
MAIL_PLACES = [
    "PM-5163: the public bucket held `tickets-2026-10.csv`; the first row was a complaint from {v} about a late refund.",
    "| {t} | support | customer {v} reported seeing another customer's ticket in their portal |",
    'ticket_id,requester,subject\n{n},{v},"Refund not received"',
    '{{"ts":"{ts}","level":"info","msg":"refund issued","customer_email":"{v}","amount_minor":4599}}',
    "> {who}: can we email {v} directly? they've opened five tickets since the outage",
    "INSERT INTO customers (id, email, country) VALUES ({n}, '{v}', 'GB');",
    "From: {v}\nTo: support@example.com\nSubject: You charged me twice",
    'time={ts} level=warn svc=notif-fanout msg="bounce" rcpt={v} code=550',
    "Mar 03 {t}:11 mx-2 postfix/smtp[{pid}]: 4F1A2C0D: to=<{v}>, relay=none, status=deferred",
    "The DPO asked us to notify {v} first: their passport scan was among the exposed attachments.",
    "Account owner of the compromised GitHub org seat: {v} (personal address, not SSO).",
    "  - reporter: {v}\n    severity: sev2",
    "git log -1 --format='%an <%ae>' {sha7}\n{who} <{v}>",
    "UPDATE users SET email_verified = false WHERE email = '{v}';",
    "| {v} | Gold | 3 chargebacks | flagged by kyc-checker |",
    "PM-5141: the PSP's fraud team contacted us via {v}, which is a personal mailbox, not their support desk.",
]
PHONE_PLACES = [
    "| {t} | support | caller on {v} read out the last four digits of someone else's card |",
    "Customer callback number: {v} (verified via SMS OTP)",
    '{{"ticket":{n},"channel":"voice","from":"{v}","agent":"{who}","duration_s":412}}',
    "> {who}: escalation contact at the PSP is {v}, ask for the incident desk",
    "INSERT INTO contacts (customer_id, phone) VALUES ({n}, '{v}');",
    "RB-44 escalation: DB vendor hotline {v} (24/7, contract #NW-{n})",
    'level=info msg="sms sent" to={v} template=refund_done svc=notif-fanout',
    "The exported CSV had a `mobile` column; row {n} reads {v}.",
    "customer_id,phone,plan\n{n},{v},gold",
    "PM-5163: a customer rang {v} (the on-call's personal mobile, which was on the public status page).",
    "Call recording #{n}: customer gives number {v} twice.",
    '  on_call_mobile: "{v}"',
    "Twilio webhook: From={v}&To=shortcode-{n}&Body=STOP",
    "| {who} | primary | {v} |",
    "I phoned the card holder on {v} at {t}; they confirmed they did not make the purchase.",
    "Caller ID {v} matched three accounts created in the last hour.",
]
CARD_PLACES = [
    "PM-5141: the refund worker logged the full PAN {v} for one request before the masking filter loaded.",
    '{{"ts":"{ts}","level":"debug","msg":"psp request","body":{{"card_number":"{v}","exp":"09/29"}}}}',
    "| {t} | support | customer pasted {v} into the chat widget; transcript kept for 30 days |",
    "INSERT INTO payment_methods (customer_id, pan, exp_month, exp_year) VALUES ({n}, '{v}', 4, 2029);",
    "> {who}: the card in question is {v}, can you check the auth log?",
    "POST /v1/charges HTTP/1.1\nHost: psp-gateway.northwind.internal\nContent-Type: application/x-www-form-urlencoded\n\ncard[number]={v}&card[exp_month]=11&amount=2599",
    'level=error ts={ts} svc=checkout-api msg="tokenise failed" pan={v} err=timeout',
    "Card on file: {v}  exp 07/28",
    "ERROR RefundService: refund failed for card {v} (issuer declined: do not honor)",
    'ticket {n}: "my card number is {v}, please refund it there"',
    "customer_id,card,amount\n{n},{v},45.99",
    "The chargeback notice listed the card as {v}; PCI scope now includes the support mailbox.",
]
IP4_PLACES = [
    "PM-5120: CloudTrail shows ListBuckets from {v}, an address we do not own, at {t}.",
    '{{"eventTime":"{ts}","eventName":"AssumeRole","sourceIPAddress":"{v}","userAgent":"aws-cli/2.15.0"}}',
    '{v} - - [12/Oct/2026:{t}:02 +0000] "GET /admin/exports HTTP/1.1" 200 91233 "-" "python-requests/2.31"',
    "| {t} | ci | the runner opened an outbound connection to {v}:4444 |",
    "iptables -A INPUT -s {v} -j DROP",
    "Nov 12 {t}:41 bastion-1 sshd[{pid}]: Failed password for invalid user admin from {v} port 52144 ssh2",
    "> {who}: customer says their office IP is {v}, can we allowlist it?",
    "X-Forwarded-For: {v}, {pip}",
    'time={ts} level=warn msg="rate limited" client_ip={v} path=/v1/refunds',
    "The support agent logged in from {v} (a residential ISP) while on leave.",
    "  ingress:\n    allowlist:\n      - {v}/32",
    "We blocked {v} at the WAF after 14k card-testing attempts.",
    'resource "aws_security_group_rule" "vendor" {{\n  cidr_blocks = ["{v}/32"]\n}}',
    "remote_addr={v} user_id={n} action=login_success",
]
IP6_PLACES = [
    "PM-5120: the second burst came over IPv6 from {v}.",
    '{{"ts":"{ts}","client":"{v}","path":"/v2/tickets/export","status":200}}',
    "Nov 12 {t}:41 bastion-1 sshd[{pid}]: Accepted publickey for deploy from {v} port 50112",
    "| {t} | waf | blocked {v} (card testing) |",
    "> {who}: my home address is {v} if you want to check the VPN logs",
    "deny {v};",
    "client={v} method=POST uri=/v1/charges",
    "X-Real-IP: {v}",
]
RARE_PERSONAL: list[tuple[str, str, Gen]] = [
    ("national-id", "PM-5163: attachment 3 was a W-9 with SSN {v} in clear.", ssn),
    ("national-id", 'kyc_payload: {{"ssn": "{v}", "check": "pending"}}', ssn),
    ("national-id", "| {n} | US | tax id {v} | verified |", ssn),
    ("national-id", "Payroll query from a contractor, NI number {v}, forwarded to the wrong queue.", nino),
    ("national-id", "INSERT INTO uk_employees (name, nino) VALUES ('emp_{n}', '{v}');", nino),
    ("national-id", "> {who}: HMRC letter in the ticket shows NINO {v}", nino),
    (
        "iban",
        "Payout destination was changed to {v} five minutes before the refund batch (PM-5141).",
        lambda: iban("DE"),
    ),
    ("iban", '{{"merchant":{n},"payout_iban":"{v}","currency":"GBP"}}', lambda: iban("GB")),
    ("iban", "| {t} | finance | bank details in ticket: IBAN {v} |", lambda: iban("FR")),
    ("iban", "refund_iban={v} svc=refund-worker", lambda: iban("DE")),
]


def common_personal() -> list[tuple[str, str, str]]:
    out = []
    for tpl in MAIL_PLACES:
        v = email()
        out.append(("email", fill(tpl, v=v), v))
    for i, tpl in enumerate(PHONE_PLACES):
        v = us_phone(i // 2) if i % 2 == 0 else uk_phone(i // 2)
        out.append(("phone", fill(tpl, v=v), v))
    for tpl in CARD_PLACES:
        v = card()
        out.append(("credit-card", fill(tpl, v=v), v))
    for tpl in IP4_PLACES:
        v = public_v4()
        out.append(("ipv4", fill(tpl, v=v), v))
    return out


def rare_personal() -> list[tuple[str, str, str]]:
    out = []
    for tpl in IP6_PLACES:
        v = public_v6()
        out.append(("ipv6", fill(tpl, v=v), v))
    for typ, tpl, gen in RARE_PERSONAL:
        v = gen()
        out.append((typ, fill(tpl, v=v), v))
    return out


# ---------------------------------------------------------------------------- negatives
def arn() -> str:
    acct = rs(DIG, 12)
    return rng.choice(
        [
            f"arn:aws:iam::{acct}:role/{rng.choice(SVCS)}-irsa",
            f"arn:aws:s3:::nw-{rng.choice(['forensics', 'artifacts', 'exports'])}-{rs(LOW + DIG, 6)}",
            f"arn:aws:rds:eu-west-2:{acct}:db:ledger-{rs(LOW, 4)}",
            f"arn:aws:secretsmanager:eu-west-2:{acct}:secret:prod/{rng.choice(SVCS)}/db-{rs(ALNUM, 6)}",
            f"arn:aws:kms:eu-west-2:{acct}:key/{uuid4()}",
            f"arn:aws:sns:eu-west-2:{acct}:db-oncall-{rs(LOW, 5)}",
        ]
    )


def res_id() -> str:
    return rng.choice(
        [
            lambda: "i-0" + rs(HEX, 16),
            lambda: "vpc-0" + rs(HEX, 16),
            lambda: "sg-0" + rs(HEX, 16),
            lambda: "subnet-0" + rs(HEX, 16),
            lambda: "ami-0" + rs(HEX, 16),
            lambda: "snap-0" + rs(HEX, 16),
            lambda: (
                f"projects/nw-analytics-prod/serviceAccounts/bq-export-{rs(LOW, 4)}@nw-analytics-prod.iam.gserviceaccount.com"
            ),
            lambda: (
                f"/subscriptions/{uuid4()}/resourceGroups/rg-support-prod/providers/Microsoft.Storage/storageAccounts/nwticket{rs(LOW, 5)}"
            ),
            lambda: "AIDA" + rs(B32, 17),
            lambda: "AROA" + rs(B32, 17),
        ]
    )()


def ssh_pub() -> str:
    return (
        rng.choice(
            [
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43),
                "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB"
                + rs(B64, 88)
                + "=",
            ]
        )
        + f" {rng.choice(ONCALL)}@bastion"
    )


def cert() -> str:
    return (
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(
            ["MIIDzTCCArWgAwIBAgIU" + rs(B64, 44)] + [rs(B64, 64) for _ in range(5)] + [rs(B64, 24) + "=="]
        )
        + "\n-----END CERTIFICATE-----"
    )


def pubkey() -> str:
    return (
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        + rs(B64, 20)
        + "\n"
        + "\n".join(rs(B64, 64) for _ in range(4))
        + "\n"
        + rs(B64, 6)
        + "IDAQAB\n-----END PUBLIC KEY-----"
    )


def reserved_ip() -> str:
    return rng.choice(
        [
            priv_ip,
            lambda: f"192.0.2.{rng.randint(2, 254)}",
            lambda: f"198.51.100.{rng.randint(2, 254)}",
            lambda: f"203.0.113.{rng.randint(2, 254)}",
            lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
            lambda: f"2001:db8:{rs(HEX, 3)}::{rs(HEX, 2)}",
            lambda: f"fd{rs(HEX, 2)}:{rs(HEX, 4)}::{rs(HEX, 3)}",
            lambda: f"fe80::{rs(HEX, 4)}:{rs(HEX, 4)}",
        ]
    )()


def ex_email() -> str:
    local = rng.choice(
        ["oncall", "dba", "security", "jane.doe", "payments-alerts", "noreply", "support", "build-bot"]
    )
    return f"{local}@{rng.choice(['example.com', 'example.org', 'example.net', 'corp.example', 'mail.test'])}"


def ver() -> str:
    return rng.choice(
        [
            f"v{rng.randint(1, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}",
            f"16.{rng.randint(1, 6)}",
            f"{rng.randint(1, 3)}.{rng.randint(0, 40)}.{rng.randint(0, 9)}-rc.{rng.randint(1, 5)}",
            f"2026.{rng.randint(1, 11)}.{rng.randint(1, 28)}",
        ]
    )


def b64_plain() -> str:
    return b64(
        rng.choice(
            [
                b'{"tenant":"nw-support","region":"eu-west-2","tier":"gold"}',
                b"ledger replay finished: 14 batches, 0 errors",
                b"maintenance window: Sat 02:00-04:00 UTC",
                b'{"kind":"heartbeat","seq":' + str(rng.randint(1, 9999)).encode() + b"}",
                b"refund-worker ok",
            ]
        )
    )


# (type, places, default generator); a place may be (template, its own generator)
NEG_PLACES: list[tuple[str, list[str | tuple[str, Gen]], Gen]] = [
    (
        "git-sha",
        [
            "PM-5150: the malicious workflow was added in commit {v} and reverted within the hour.",
            "| {t} | ci | `git revert {v}` pushed to main |",
            "$ git log --oneline -1 {v}",
            "uses: actions/checkout@{v}  # pinned by SHA after PM-5150",
            "build_sha={v} status=passed svc={svc}",
            "The Terraform state was last applied at {v}.",
            '{{"commit":"{v}","author":"{who}","files_changed":3}}',
            "> {who}: bisected it to {v}",
            "Fixed in {v} (ledger-writer retries on serialization failure).",
            "ADR-031 was accepted at {v}.",
            "  image: registry.northwind.internal/checkout-api:git-{v}",
            "git filter-repo --invert-paths --path deploy/.aws/credentials  # rewrote history up to {v}",
            "runbook version: {v}",
            "merge_base={v}",
        ],
        sha40,
    ),
    (
        "uuid",
        [
            "| {t} | support | export job {v} finished, 18,204 rows |",
            '{{"request_id":"{v}","status":503,"path":"/v1/refunds"}}',
            "PM-5134: the stuck migration was `{v}` in `schema_migrations`.",
            "az role assignment list --assignee {v} -o table",
            "tenant_id: {v}",
            "The customer's account id is {v}; do not share it outside the ticket.",
            "Idempotency-Key: {v}",
            'correlation={v} msg="refund retried"',
            "ARM_SUBSCRIPTION_ID={v}",
            "kubectl get pod -n payments -o json | jq '.items[] | select(.metadata.uid==\"{v}\")'",
            "  client_id: {v}  # public client id of the SSO app",
            "DELETE FROM export_jobs WHERE id = '{v}';",
            "Zendesk macro {v} was the one that attached the CSV.",
            "session {v} was killed at {t}",
        ],
        uuid4,
    ),
    (
        "hash-or-digest",
        [
            "image: ghcr.io/northwind/refund-worker@sha256:{v}",
            "sha256sum ledger-4.2.0.tar.gz\n{v}  ledger-4.2.0.tar.gz",
            "The attacker's payload had SHA-256 {v} (VirusTotal: 0/71 at the time).",
            ('"integrity": "sha512-{v}"', lambda: b64(rbytes(64))),
            "| {t} | ci | artifact digest sha256:{v} matches the signed provenance |",
            ('etag: "{v}"', lambda: rs(HEX, 32)),
            ("Content-MD5 of the leaked CSV: {v}", lambda: b64(rbytes(16))),
            "cosign verify --certificate-identity-regexp '.*' registry.northwind.internal/checkout-api@sha256:{v}",
            'checksum = "{v}"',
            ("pg_dump checksum {v} matches the replica's", lambda: rs(HEX, 32)),
            ("github.com/lib/pq v1.10.9 h1:{v}", lambda: b64(rbytes(32))),
            (
                "S3 object ETag {v} was the only object with public-read ACL",
                lambda: rs(HEX, 32) + "-" + str(rng.randint(2, 40)),
            ),
        ],
        lambda: rs(HEX, 64),
    ),
    (
        "trace-id",
        [
            "traceparent: 00-{v}-{span}-01",
            '{{"trace_id":"{v}","span":"psp.charge","duration_ms":30012}}',
            "X-Amzn-Trace-Id: Root=1-{hex8}-{v}",
            "Datadog trace {v} shows 30s in `SELECT ... FOR UPDATE`.",
            "x-request-id: {v}",
            "| {t} | checkout-api | request {v} timed out after 3 retries |",
            'level=error trace={v} msg="psp timeout"',
            "Sentry event {v} (Internal Server Error in /refunds)",
            "cf-ray: {v}-LHR",
            "X-B3-TraceId: {v}",
        ],
        lambda: rs(HEX, rng.choice([32, 24, 16])),
    ),
    (
        "cloud-resource-id",
        [
            (
                "PM-5120: the role {v} was the only principal allowed to read the bucket.",
                lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/ci-artifacts-reader",
            ),
            (
                "aws iam get-role --role-name ci-artifacts  # {v}",
                lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/ci-artifacts",
            ),
            ("  role_arn: {v}", lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/{rng.choice(SVCS)}-irsa"),
            "| {t} | aws | SCP now denies s3:PutBucketAcl except for {v} |",
            "Resource: {v}",
            ("The failed-over instance is {v}.", lambda: "i-0" + rs(HEX, 16)),
            ("aws ec2 stop-instances --instance-ids {v}", lambda: "i-0" + rs(HEX, 16)),
            ('security_group_ids = ["{v}"]', lambda: "sg-0" + rs(HEX, 16)),
            ("Snapshot {v} was copied to the forensics account.", lambda: "snap-0" + rs(HEX, 16)),
            "> {who}: can you look at {v}? it's the one that was deleted",
            "principal: {v}",
            ("ADR-031: node groups live in {v}.", lambda: "subnet-0" + rs(HEX, 16)),
            "resource_id={v} action=Delete result=Success",
            "{v}",
            "target: {v}",
            "owner_id: {v}",
        ],
        lambda: arn() if rng.random() < 0.5 else res_id(),
    ),
    (
        "private-or-reserved-ip",
        [
            "PM-5134: the new primary is {v}; pgbouncer was repointed at {t}.",
            "| {t} | db | replica {v} lagging 41 GB behind |",
            "psql -h {v} -U postgres -c 'select pg_promote()'",
            "  host: {v}",
            "Nov 12 {t}:41 bastion-1 sshd[{pid}]: Accepted publickey for {who} from {v} port 50112",
            '{{"level":"warn","peer":"{v}","msg":"connection reset"}}',
            ("curl -s http://{v}:9187/metrics | grep pg_up", priv_ip),
            "The example in the runbook uses {v} as the DB address.",
            "listen_addresses = '{v}'",
            ("nameserver {v}", priv_ip),
            ("upstream={v}:8080 status=502", priv_ip),
            ("ADR-031: pod CIDRs are carved from {v}/16.", priv_ip),
            "> {who}: it's {v}, the old rabbit node",
            ("redis-cli -h {v} -p 6379 info replication", priv_ip),
            ("route add -net {v} netmask 255.255.255.0 gw 10.0.0.1", priv_ip),
            "allow {v};",
            'bind_address: "{v}"',
            "client_addr={v} user=replicator",
        ],
        reserved_ip,
    ),
    (
        "example-email",
        [
            "Send questions to {v}.",
            "From: {v}\nSubject: [PM-5163] customer notification draft",
            "  email: {v}",
            'git -c user.email={v} commit -m "revert leaked creds"',
            "| {t} | support | test ticket opened as {v} to reproduce |",
            "RB-44: escalate to {v} if the DBA is unreachable.",
            'curl -X POST https://api.sendgrid.com/v3/mail/send -d \'{{"to":"{v}"}}\' -H "Authorization: Bearer $SENDGRID_API_KEY"',
            '{{"user":"{v}","role":"viewer"}}',
            "letsencrypt: registration email {v}",
            "ADR-034: the bounce address becomes {v}.",
            "> {who}: I'll use {v} for the load test accounts",
            "INSERT INTO users (email) VALUES ('{v}');",
        ],
        ex_email,
    ),
    (
        "version-or-date",
        [
            "PM-5134: PostgreSQL {v} on the primary, the replica was one minor behind.",
            "| {t} | ci | upgraded the runner image to {v} |",
            "helm upgrade ledger ./chart --version {v}",
            "  image: bitnami/redis:{v}",
            "stripe-python=={v}",
            "Release {v} contained the masking fix.",
            'terraform {{ required_version = "{v}" }}',
            "ADR-034 decided on {v}.",
            '"version": "{v}"',
            "go {v}",
            "The incident started after deploying {v}.",
            "app_version={v} build=ok",
        ],
        ver,
    ),
    (
        "public-key-or-cert",
        [
            "RB-44: add your key to `authorized_keys` on the bastion:\n{v}",
            "ssh_authorized_keys:\n  - {v}",
            "The CA certificate for the PSP gateway (public, safe to share):\n{v}",
            "JWT verification key published at /.well-known/jwks (PEM form):\n{v}",
            "ADR-031: nodes trust this bundle:\n{v}",
            "> {who}: here's my pubkey for the break-glass box: {v}",
        ],
        lambda: rng.choice([ssh_pub, cert, pubkey])(),
    ),
    (
        "base64-nonsecret",
        [
            "The queue message body was `{v}` (base64 of a JSON heartbeat).",
            "  annotations:\n    northwind.io/meta: {v}",
            "data: {v}",
            "X-Tenant-Context: {v}",
            '{{"payload":"{v}","encoding":"base64"}}',
            "echo {v} | base64 -d",
            "| {t} | ops | status banner text stored as {v} |",
            "configmap value {v}",
        ],
        b64_plain,
    ),
    (
        "luhn-fail-number",
        [
            "PM-5141: refund batch {v} was the one that double-submitted.",
            "| {t} | payments | settlement reference {v} |",
            'ticket {n}: customer quotes "{v}" which fails the checksum, so it isn\'t a card',
            "payout_ref={v}",
            "INSERT INTO settlements (ref) VALUES ('{v}');",
            "> {who}: PSP case number is {v}",
            "Bank transfer reference: {v}",
            "correlation number {v}",
            "shipment {v} delayed",
            '  ledger_batch: "{v}"',
        ],
        lambda: rng.choice([lambda: luhn_bad(), lambda: grouped(luhn_bad())])(),
    ),
    (
        "ids-and-numbers",
        [
            "PM-5141: order {v} was refunded three times.",
            ("| {t} | support | invoice {v} re-sent |", lambda: f"INV-2026-{rs(DIG, 6)}"),
            ("Stripe charge {v} was disputed.", lambda: f"ch_3{rs(ALNUM, 23)}"),
            ("refund_id={v} amount=4599 currency=GBP", lambda: f"re_3{rs(ALNUM, 23)}"),
            ("Zendesk ticket #{v} contains the customer's complaint.", lambda: rs(DIG, 6)),
            ("> {who}: it's PR #{v}", lambda: rs(DIG, 4)),
            ("{v} does not affect our pgbouncer build.", lambda: f"CVE-2026-{rs(DIG, 5)}"),
            ("Jira {v}: rotate all CI tokens", lambda: f"SEC-{rs(DIG, 4)}"),
            ("pg_stat_activity pid {v} held the lock", lambda: str(rng.randint(1000, 99999))),
            (
                "epoch {v} = the moment the disk filled",
                lambda: str(rng.randint(1_780_000_000, 1_790_000_000)),
            ),
            "Order no. {v}",
            ("Case {v} opened with the PSP", lambda: f"{rs(DIG, 8)}"),
            ("PagerDuty incident {v} auto-resolved", lambda: f"Q{rs(UP + DIG, 13)}"),
            ("merchant_id={v}", lambda: f"acct_1{rs(ALNUM, 15)}"),
        ],
        lambda: rng.choice([lambda: f"NW-{rs(DIG, 7)}", lambda: f"{rs(DIG, 3)}-{rs(DIG, 3)}-{rs(DIG, 4)}"])(),
    ),
]

NEG_FIXED: list[tuple[str, str, str]] = [
    # placeholders
    ("placeholder", "export AWS_ACCESS_KEY_ID={v}", "<your-access-key-id>"),
    ("placeholder", "aws_secret_access_key = {v}", "YOUR_SECRET_ACCESS_KEY"),
    (
        "placeholder",
        "DATABASE_URL=postgres://ledger_rw:{v}@pg-primary.db.northwind.internal:5432/ledger",
        "<password>",
    ),
    ("placeholder", "STRIPE_SECRET_KEY={v}", "sk_live_REPLACE_ME"),
    ("placeholder", "GITHUB_TOKEN={v}", "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
    (
        "placeholder",
        "RB-44: run `psql -h <primary> -U postgres -W` and type {v} when prompted.",
        "the password from 1Password",
    ),
    (
        "placeholder",
        "curl -u admin:{v} https://rabbit-1.mq.northwind.internal:15672/api/overview",
        "$RABBIT_PASS",
    ),
    ("placeholder", "  password: {v}", "changeme"),
    ("placeholder", "SLACK_WEBHOOK_URL={v}", "https://hooks.slack.com/services/XXX/YYY/ZZZ"),
    ("placeholder", "Authorization: Bearer {v}", "<token>"),
    ("placeholder", "POSTGRES_PASSWORD={v}", "your_password_here"),
    ("placeholder", "mongodb+srv://support_app:{v}@tickets-prod.x7kq2.mongodb.net/tickets", "<db_password>"),
    ("placeholder", "docker run -e POSTGRES_PASSWORD={v} postgres:16", "mysecretpassword"),
    ("placeholder", "AZURE_CLIENT_SECRET={v}", "00000000-0000-0000-0000-000000000000"),
    ("placeholder", "api_key: {v}", "TODO"),
    ("placeholder", "mysql -u root -p{v} warehouse", "PASSWORD"),
    ("placeholder", "  token: {v}", "REDACTED"),
    ("placeholder", "PGPASSWORD={v} psql -h pg-primary -U postgres", "xxxxxxxx"),
    (
        "placeholder",
        "DefaultEndpointsProtocol=https;AccountName=nwticketexports;AccountKey={v};EndpointSuffix=core.windows.net",
        "<account-key>",
    ),
    (
        "placeholder",
        "Use `-----BEGIN PRIVATE KEY-----` ... `{v}` as the file boundaries; paste nothing into the doc.",
        "-----END PRIVATE KEY-----",
    ),
    # templated values
    ("templated-value", "  password: {v}", "{{ .Values.postgresql.auth.password }}"),
    ("templated-value", "LEDGER_DB_PASSWORD={v}  # injected by the entrypoint", "${LEDGER_DB_PASSWORD}"),
    ("templated-value", "token: {v}", "${{ secrets.RELEASE_TOKEN }}"),
    (
        "templated-value",
        "  master_password = {v}  # ADR-031: from the tfvars in Vault",
        "var.ledger_master_password",
    ),
    ("templated-value", "  secret_key = {v}", "data.aws_secretsmanager_secret_version.ci.secret_string"),
    ("templated-value", "REDIS_URL=redis://default:{v}@redis-sessions:6379/0", "${REDIS_PASSWORD}"),
    ("templated-value", "stripe_key: {v}", '{{ vault "secret/payments/stripe" "key" }}'),
    (
        "templated-value",
        "  - name: PGPASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: {v}\n        key: password",
        "pg-ledger",
    ),
    ("templated-value", "api_key = {v}", 'os.environ["PSP_API_KEY"]'),
    ("templated-value", "password: {v}", "ENC[AES256_GCM,data:" + "Zm9vYmFy" + ",iv:,tag:,type:str]"),
    ("templated-value", "AWS_SECRET_ACCESS_KEY={v}", "$(aws configure get aws_secret_access_key)"),
    ("templated-value", "  slack_webhook: {v}", "!vault secret/alerting:slack_webhook"),
    ("templated-value", "password={v}", "%(DB_PASSWORD)s"),
    ("templated-value", "token = {v}", "op://Platform/gitlab-runner/token"),
    # masked values
    (
        "masked-value",
        "PM-5120: the leaked key was {v} (full id in the restricted appendix).",
        "AKIA************3QXZ",
    ),
    ("masked-value", "| {t} | payments | card ending {v} refunded |", "**** **** **** 4417"),
    ("masked-value", "STRIPE_SECRET_KEY={v}", "sk_live_…"),
    ("masked-value", "token={v}", "ghp_****"),
    ("masked-value", "pan={v} status=declined", "411111******7735"),
    ("masked-value", "  password: {v}", "********"),
    ("masked-value", "Authorization: Bearer {v}", "eyJhbGciOi...[redacted]"),
    ("masked-value", "The webhook URL ({v}) is rotated.", "https://hooks.slack.com/services/T0***/B0***/***"),
    ("masked-value", "customer email {v} (masked in the export)", "l*****@g****.com"),
    ("masked-value", "phone {v}", "+44 77** *** *12"),
    ("masked-value", "DATABASE_URL=postgres://ledger_rw:{v}@pg-primary:5432/ledger", "****"),
    ("masked-value", "SG key {v} revoked", "SG.****"),
    ("masked-value", "> {who}: the glpat is {v}, rotated", "glpat-[MASKED]"),
    ("masked-value", "xoxb token {v} revoked by Slack's secret scanning", "xoxb-…-…"),
    # keyword with no value
    (
        "keyword-no-value",
        "PM-5134: nobody knew the {v} for the replication user, so we reset it.",
        "password",
    ),
    ("keyword-no-value", "RB-44: rotate the {v} after every break-glass login.", "AWS secret access key"),
    ("keyword-no-value", "  password_file: /run/secrets/{v}", "pg_password"),
    (
        "keyword-no-value",
        "ADR-031: {v} moves to External Secrets; no values in Git.",
        "Every API key, token and password",
    ),
    ("keyword-no-value", "The {v} is stored in the vault under `secret/payments/psp`.", "PSP API token"),
    ("keyword-no-value", 'ERROR: {v} authentication failed for user "ledger_rw"', "password"),
    ("keyword-no-value", "| {t} | ci | rotated {v} for all 14 repos |", "GITHUB_TOKEN secrets"),
    ("keyword-no-value", "The flag makes docker read the {v} from standard input.", "password"),
    ("keyword-no-value", "> {who}: what's the {v}?", "redis password"),
    ("keyword-no-value", "Action item: add `{v}` to the log scrubber's deny list.", "card_number"),
    ("keyword-no-value", "secret_key: {v}", '""'),
    ("keyword-no-value", "PGPASSWORD= psql -h pg-primary -U {v}", "postgres"),
    ("keyword-no-value", "the field `{v}` was null in 3,211 rows", "api_key"),
    ("keyword-no-value", "Forgot {v}? Use the self-service reset page.", "password"),
    ("keyword-no-value", "The key id and the {v} field were both rotated for bq-export.", "private_key"),
    ("keyword-no-value", "No {v} in the Helm values any more; see ADR-031.", "--set auth.password"),
    # documented example keys
    ("vendor-example-key", "Per the AWS docs, a key id looks like {v}.", "AKIAIOSFODNN7EXAMPLE"),
    (
        "vendor-example-key",
        "aws_secret_access_key = {v}  # from the AWS docs",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    ("vendor-example-key", "RB-44 test fixture: AWS_ACCESS_KEY_ID={v}", "AKIAI44QH8DHBEXAMPLE"),
    ("vendor-example-key", "moto fixture secret: {v}", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
    ("vendor-example-key", "| docs | sample key id {v} used in the training deck |", "AKIAIOSFODNN7EXAMPLE"),
    (
        "vendor-example-key",
        "Azurite (local emulator) well-known key: AccountKey={v}",
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    ),
    (
        "vendor-example-key",
        "The jwt.io sample token {v} decodes to John Doe; we use it in unit tests.",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ),
    ("vendor-example-key", "ADR-031 example in the docs: `aws configure` with {v}", "AKIAI44QH8DHBEXAMPLE"),
    # documented test card numbers
    ("documented-test-card", "Reproduce with the Stripe test card {v} in test mode.", "4242 4242 4242 4242"),
    ("documented-test-card", "| {t} | qa | checkout passes with {v} (3DS challenge) |", "4000002500003155"),
    ("documented-test-card", "card[number]={v}&card[exp_month]=12  # test mode", "4000000000000002"),
    ("documented-test-card", "Amex test number {v} declines in live mode as expected.", "378282246310005"),
    ("documented-test-card", "The QA fixture uses {v} (Mastercard test card).", "5555555555554444"),
    ("documented-test-card", "Discover test card: {v}", "6011111111111117"),
    ("documented-test-card", "pan={v} env=sandbox", "4111111111111111"),
    ("documented-test-card", "Insufficient funds test: {v}", "4000000000009995"),
]


def negatives() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    common, rare = [], []
    rare_types = {
        "public-key-or-cert",
        "base64-nonsecret",
        "trace-id",
        "documented-test-card",
        "templated-value",
    }
    for typ, places, default in NEG_PLACES:
        for place in places:
            tpl, gen = place if isinstance(place, tuple) else (place, default)
            v = gen()
            (rare if typ in rare_types else common).append(
                (typ, fill(tpl, v=v, span=rs(HEX, 16), hex8=rs(HEX, 8)), v)
            )
    for typ, tpl, v in NEG_FIXED:
        (rare if typ in rare_types else common).append((typ, fill(tpl, v="\x01").replace("\x01", v), v))
    return common, rare


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt)-[A-Za-z0-9_-]{20}|xox[bpa]-\d|xoxe\.xoxp-"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|GOCSPX-"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dapi[0-9a-f]{32}|dop_v1_|hvs\.[A-Za-z0-9]|\.atlasv1\.|ATATT3"
    r"|lin_api_|NRAK-|shpat_|glc_|glsa_|sntrys_|pypi-AgE|AGE-SECRET-KEY|ya29\.|sbp_|nfp_|fo1_|pul-[0-9a-f]|ntn_|PMAK-"
    r"|figd_|dp\.st\.|key-[0-9a-f]{32}|AccountKey=[A-Za-z0-9+/]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}|Q~[A-Za-z0-9_.~-]{30}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|SSWS 00|EAAA[A-Za-z0-9_-]{40}|access_token\$production"
)


def sanity(rows: list[dict], *, fold: str, id_prefix: str, id_digits: int, out: Path) -> None:
    check_rows(rows, fold=fold, id_prefix=id_prefix, types=TYPES, id_digits=id_digits)
    for r in rows:
        assert "{v}" not in r["line"] and "\x01" not in r["line"], r["id"]
        stray(r["line"].replace(r["value"], "\x00"), r["id"], secretish=SECRETISH, lookalikes=(PHONEISH,))
        if r["kind"] == N:
            lenient = r["type"] in {"placeholder", "masked-value", "vendor-example-key", "templated-value"}
            stray(r["line"], r["id"], secretish=SECRETISH, allow_secretish=lenient, lookalikes=(PHONEISH,))
        digits = re.sub(r"\D", "", r["value"])
        if r["type"] == "credit-card":
            assert luhn_ok(digits) and 15 <= len(digits) <= 16 and digits not in TEST_CARDS, r["id"]
        if r["type"] == "documented-test-card":
            assert luhn_ok(digits) and digits in TEST_CARDS, r["id"]
        if r["type"] == "luhn-fail-number":
            assert not luhn_ok(digits), r["id"]
        if r["type"] == "ipv4":
            assert is_public_v4(IPV4.fullmatch(r["value"])), r["id"]
        if r["type"] == "ipv6":
            assert not r["value"].lower().startswith(("2001:db8", "fd", "fe80")), r["id"]
        if r["type"] not in {"credit-card", "documented-test-card"}:
            for m in CARDISH.finditer(r["line"]):
                d = re.sub(r"\D", "", m.group(0))
                assert not (luhn_ok(d) and d[0] in "23456"), ("luhn-valid look-alike", r["id"], m.group(0))
    check_unseen(rows, out)


# ---------------------------------------------------------------------------- build
def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = (common_secrets(), common_personal(), rare_secrets(), rare_personal(), *negatives())
    write_fold(sections, fold=FOLD, id_prefix=ID_PREFIX, out=OUT, check=sanity)


if __name__ == "__main__":
    main()
