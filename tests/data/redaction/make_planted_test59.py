# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test59.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test59.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270159)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a volunteer mountain rescue team with a base and vehicle bay, two Land
Rovers, a kit store and drying room, and some fifty call-out members, Carn Dubh Mountain Rescue Team
(CDM): PM-2 the team-position gap (RockBLOCK, Traccar, EMQX, OS Data Hub, Stormglass, Windy), PM-5 the
expenses and donations run (Modulr, Plaid, Stripe, Mailgun), RB-3 the base, kit store and drying room
(Authelia, JumpCloud, OneLogin, Akeyless, Conjur, HMI and PLC web logins), RB-6 cloud and platform (aws,
gcloud, az, kubectl, Docker, Helm, Terraform, Vault, Postgres, MySQL, Redis, MongoDB, RabbitMQ,
Elasticsearch), ADR-4 team messaging (Matrix, Zulip, MailerSend, Loops, SendGrid, Twilio), ADR-8 CI,
backups and monitoring (GitHub Actions, GitLab CI, Jenkins, Kopia, restic, Datadog, New Relic, Grafana,
Opsgenie, PagerDuty), ADR-9 password managers (pass, gopass, LastPass CLI) and PM-12 a team list with
next of kin sent to the wrong police control room (emails, phones, IBANs, NI numbers). Common shapes come first in each kind (``t59p…``/``t59n…``).
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
OUT = HERE / "planted_test59.jsonl"
FOLD = "test59"
rng = Random(20270159)
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
    "cairn",
    "bealach",
    "scree",
    "corrie",
    "stretcher",
    "karabiner",
    "cornice",
    "lochan",
    "sgurr",
    "spindrift",
]
UPHEX = "0123456789ABCDEF"


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["callout-api", "tracker", "kitstore", "claims", "team-app"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def junos9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(22, 38))


def type7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs(UPHEX, 2 * rng.randint(6, 10))


def team_jwt() -> str:
    body = {
        "iss": "team-app.cdm.internal",
        "sub": "team-" + rs(DIG, 5),
        "vehicle": "R-" + rs(DIG, 3),
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def gitlab_ci_jwt() -> str:
    body = {
        "namespace_path": "carndubh",
        "project_path": "carndubh/callout",
        "ref": "main",
        "iss": "https://gitlab.com",
        "sub": "project_path:carndubh/callout:ref_type:branch:ref:main",
        "exp": 1790003600,
    }
    return encode_jwt({"alg": "RS256", "kid": rs(B64URL, 43), "typ": "JWT"}, body, rs(B64URL, 342))


def vault_token() -> str:
    return "hvs." + rs(ALNUM + "_-", 90)


def matrix_token() -> str:
    return "syt_" + b64url(b"callout-bot").rstrip("=") + "_" + rs(ALNUM, 20) + "_" + rs(ALNUM, 6)


def traccar_token() -> str:
    return "RzBFAiEA" + rs(B64URL, 110)


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
def gb_iban() -> str:
    """A UK IBAN: a real bank's four-letter code, a sort code and an eight-digit account."""
    return iban_of("GB", rng.choice(["BOFS", "RBOS", "CLYD", "NWBK", "BARC"]) + rs(DIG, 14))


def no_iban() -> str:
    """A Norwegian IBAN: eleven digits whose last is the MOD11 check of the first ten."""
    w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    while True:
        head = rs(DIG, 10)
        k = 11 - sum(a * int(c) for a, c in zip(w, head, strict=True)) % 11
        if k != 10:
            return iban_of("NO", head + str(k % 11))


def ie_iban() -> str:
    """An Irish IBAN: a bank's four-letter code, a six-digit sort code, an eight-digit account."""
    return iban_of("IE", rng.choice(["AIBK", "BOFI", "IPBS", "ULSB"]) + rs(DIG, 14))


FIRST = ["eilidh", "torquil", "ngozi", "fenella", "hamish", "catriona", "ewan", "marsaili"]
LAST = ["macaskill", "buchanan-reid", "oyelaran", "gillanders", "matheson", "urquhart"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com", "live.co.uk"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["callout-api", "tracker", "kitstore-hmi", "claims", "team-app", "roster-svc"]
STAFF = ["calum", "agnieszka", "rhona", "kenji", "iona", "fraser", "mhairi", "tomasz"]
HOSTS = ["callout-1", "pg-2", "traccar-1", "emqx-1", "jenkins-2", "base-plc-gw"]
BOATS = [
    "Rescue 1 (SV19 KDM)",
    "Rescue 2 (SN68 CDR)",
    "the base Transit (SK21 MRT)",
    "the quad (team plant 4)",
    "Rescue 3 (SV72 HLD)",
]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "boat": lambda: rng.choice(BOATS),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

HB = "| {t} | base bridge | {who}: "
EL = "{who} (Element #callout-ops, {t}): "
GL = "GLPI #{tkt} ({who}): "
TEAM = "unit,member,email,mobile,ni_number,expenses_iban\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        ["[cdm-callout]\naws_access_key_id = {v}", "$ export AWS_ACCESS_KEY_ID={v}"],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "$ AWS_SECRET_ACCESS_KEY={v} aws s3 cp incident-logs.csv s3://cdm-incident-logs/2027/",
            "      AWS_SECRET_ACCESS_KEY: {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        ["ARM_CLIENT_SECRET={v}"],
    ),
    (
        "azure-key",
        draw.az_account_key,
        ["$ az storage container list --account-name cdmscenephotos --account-key {v} -o table"],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        ["https://maps.googleapis.com/maps/api/staticmap?center=57.69,-2.99&zoom=11&size=640x400&key={v}"],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"cdm-roster","private_key_id":"{h40}","private_key":"{v}","client_email":"roster-sync@cdm-roster.iam.gserviceaccount.com"}'
        ],
    ),
    ("github-token", draw.gh_token, ["GITHUB_TOKEN={v}", "$ gh auth login --with-token <<< {v}"]),
    ("gitlab-token", draw.gl_token, ["$ git clone https://oauth2:{v}@gitlab.com/carndubh/callout.git"]),
    (
        "slack-token",
        draw.slack_token,
        ["$ curl -H 'Authorization: Bearer {v}' https://slack.com/api/chat.postMessage -d channel=C0CALLOUT"],
    ),
    ("slack-webhook", draw.slack_hook, ["SLACK_WEBHOOK_URL={v}"]),
    ("stripe-key", draw.stripe_key, ["$ stripe listen --api-key {v} --forward-to localhost:8080/webhooks"]),
    ("jwt", gitlab_ci_jwt, ["$ echo $CI_JOB_JWT_V2  # printed by a debug job\n{v}"]),
    ("jwt", team_jwt, ["{ts} DEBUG team-app auth ok token={v}", "Cookie: cdm_team={v}"]),
    ("jwt", team_jwt, ["$ curl -H 'Authorization: Bearer {v}' https://team-app.cdm.internal/api/shares"]),
    ("private-key", draw.pk("rsa"), ["$ cat /home/deploy/.ssh/id_rsa\n{v}"]),
    (
        "private-key",
        draw.pk("ssh", "      "),
        ["  variables:\n    SSH_PRIVATE_KEY: |\n      {v}"],
    ),
    ("private-key", lambda: draw.pem_private_key("ec", sep="\n    "), ["  tls.key: |\n    {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("pkcs8"),
        ["$ vault kv get -field=key secret/callout/tls\n{v}"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DATABASE_URL=postgresql://callout:{v}@pg-2.cdm.internal:5432/callout",
            "SQLALCHEMY_DATABASE_URI=mysql+pymysql://roster:{v}@10.59.2.14/roster",
            "CACHE_URL=redis://:{v}@10.59.2.16:6379/2",
            "MONGODB_URI=mongodb://tracker:{v}@10.59.2.18:27017/positions?authSource=admin",
            "amqps://claims:{v}@mq.cdm.internal:5671/callout",
            "mqtt://tracker:{v}@emqx-1.cdm.internal:1883",
            "rtsp://yard:{v}@10.59.7.21:554/Streaming/Channels/102",
            "https://elastic:{v}@10.59.2.30:9200/_cluster/health",
            "https://jenkins:{v}@gitlab.cdm.internal/callout/tracker.git",
            "sftp://mrdata:{v}@sftp.sar-exchange.example/incident-logs",
            "ftp://icepress:{v}@10.59.9.12/logs/",
            "smb://CDM;svc-scan:{v}@10.59.4.8/dockets",
            "http://operator:{v}@10.59.9.40/hmi/login",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ PGPASSWORD='{v}' psql -h pg-2.cdm.internal -U callout -c 'select count(*) from callouts'",
            "$ mysql -u roster -p'{v}' -h 10.59.2.14 roster",
            "$ redis-cli -h 10.59.2.16 -a '{v}' --scan --pattern 'callout:*'",
            "$ mongosh mongodb://10.59.2.18/positions -u tracker -p '{v}'",
            "$ kubectl create secret docker-registry regcred --docker-server=registry.cdm.internal --docker-username=ci --docker-password='{v}'",
            "$ helm install callout ./charts/callout --set redis.auth.password={v}",
            "$ echo '{v}' | docker login registry.cdm.internal -u ci --password-stdin",
            '  admin_password = "{v}"',
            "DB_PASSWORD={v}",
            "    environment:\n      RABBITMQ_DEFAULT_PASS: {v}",
            "spring.datasource.password={v}",
            "$ gcloud sql users create roster --instance=cdm-roster --password='{v}'",
            "$ aws rds modify-db-instance --db-instance-identifier cdm-callout --master-user-password '{v}' --apply-immediately",
            "$ az mysql flexible-server create -n cdm-team-mysql --admin-user teamadmin --admin-password '{v}'",
            "$ vault kv put secret/callout/db password='{v}'",
            "$ rabbitmqctl add_user claims '{v}'",
            "$ emqx ctl admins passwd admin '{v}'",
            "username=cdm-team&password={v}&data=48656c6c6f",
            "RESTIC_PASSWORD={v}",
            "KOPIA_PASSWORD={v}",
            "$ sshpass -p '{v}' rsync -a dockets/ scan@10.59.4.8:/srv/dockets/",
            "$ pass show cdm/callout/db\n{v}",
            "$ gopass show -o cdm/drying-room/hmi\n{v}",
            "$ lpass show --password yard-wifi\n{v}",
            "  password: '{v}'",
            "SMTP_PASS={v}",
            "$ curl -X POST https://traccar.cdm.internal/api/session -d 'email=admin&password={v}'",
            '<add key="PlcWebPassword" value="{v}" />',
            "ansible_password: {v}",
            "wpa_passphrase={v}",
            "$ ipmitool -I lanplus -H 10.59.4.200 -U ADMIN -P '{v}' chassis status",
            "GF_SECURITY_ADMIN_PASSWORD={v}",
            HB + "drying room HMI is operator / {v} on the panel by the boot rack",
            EL + "yard camera NVR login is admin / {v}, please don't change it before Friday",
            GL + "callout coordinator account coord3, password {v}, reset after Thursday training",
            HB + "Starlink router admin password at the Glen Dubh relay hut is {v}",
            EL + "RockBLOCK portal login: control@carndubh-mrt.example / {v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set snmp v3 usm local-engine user cdm-mon privacy-aes128 privacy-key "{v}"',
            'set system tacplus-server 10.59.0.6 secret "{v}"',
        ],
    ),
    (
        "password-assignment",
        type7,
        ["username base privilege 15 password 7 {v}", " wpa-psk ascii 7 {v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        ["Authorization: Basic {v}", '{"auths":{"registry.cdm.internal":{"auth":"{v}"}}}'],
    ),
    (
        "basic-auth",
        password,
        ["$ curl -u admin:'{v}' https://traccar.cdm.internal/api/positions?deviceId=14"],
    ),
    (
        "basic-auth",
        lambda: "11" + rs(HEX, 32),
        ["$ curl -u jonas:{v} -X POST https://jenkins-2.cdm.internal/job/tracker/buildWithParameters"],
    ),
    (
        "basic-auth",
        hex_n(30),
        ['$ curl -u "5f2b9c0d1e3a4b6c7d8e9f01:{v}" https://production.plaid.com/institutions/get'],
    ),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://callout.cdm.internal/api/v1/callouts/today"],
    ),
    ("bearer-token", alnum(64), ["{ts} DEBUG claims upstream Authorization: Bearer {v}"]),
    (
        "vendor-token",
        vault_token,
        [
            "VAULT_TOKEN={v}",
            "$ curl -H 'X-Vault-Token: {v}' https://vault.cdm.internal/v1/secret/data/callout",
        ],
    ),
    ("vendor-token", traccar_token, ["$ curl 'https://traccar.cdm.internal/api/session?token={v}'"]),
    ("vendor-token", alnum(42), ["EMQX_API_KEY=ak-roster\nEMQX_API_SECRET={v}"]),
    (
        "vendor-token",
        lambda: rs(ALNUM, 42),
        ["$ curl -u 'cdm-tracker:{v}' https://emqx-1.cdm.internal:18083/api/v5/clients"],
    ),
    (
        "vendor-token",
        lambda: (
            rs(HEX, 8)
            + "-"
            + rs(HEX, 4)
            + "-11ec-"
            + rs(HEX, 4)
            + "-"
            + rs(HEX, 12)
            + "-"
            + rs(HEX, 8)
            + "-"
            + rs(HEX, 4)
            + "-11ec-"
            + rs(HEX, 4)
            + "-"
            + rs(HEX, 12)
        ),
        [
            "$ curl -H 'Authorization: {v}' 'https://api.stormglass.io/v2/weather/point?lat=57.69&lng=-2.99&params=waveHeight'"
        ],
    ),
    ("vendor-token", hex_n(56), ["MODULR_API_KEY={v}"]),
    (
        "vendor-token",
        alnum(48),
        ["$ curl -H 'Authorization: Bearer {v}' https://api.team-manager.eu.d4h.com/v3/team/1184/incidents"],
    ),
    (
        "vendor-token",
        lambda: rs(UP + DIG, 8),
        ["$ curl 'https://api.what3words.com/v3/convert-to-coordinates?words=filled.count.soap&key={v}'"],
    ),
    ("vendor-token", hex_n(40), ["$ curl -H 'x-api-key: {v}' https://console.jumpcloud.com/api/systemusers"]),
    ("vendor-token", hex_n(40), ["CLOCKWORK_SMS_KEY={v}  # pager fallback texts"]),
    ("vendor-token", alnum(40), ["PLIVO_AUTH_TOKEN={v}"]),
    (
        "vendor-token",
        lambda: b64(draw.rbytes(32)),
        ["$ akeyless auth --access-id p-7fq2xk9w1b3n --access-key {v}"],
    ),
    ("vendor-token", lambda: rs(LOW + DIG, 55), ["CONJUR_AUTHN_API_KEY={v}"]),
    (
        "vendor-token",
        matrix_token,
        [
            "MATRIX_ACCESS_TOKEN={v}",
            "$ curl -H 'Authorization: Bearer {v}' https://matrix.cdm.internal/_matrix/client/v3/joined_rooms",
        ],
    ),
    (
        "vendor-token",
        alnum(32),
        ["[api]\nemail=callout-bot@carndubh.zulipchat.com\nkey={v}\nsite=https://carndubh.zulipchat.com"],
    ),
    ("vendor-token", lambda: "mlsn." + rs(HEX, 64), ["MAILERSEND_API_KEY={v}"]),
    ("vendor-token", hex_n(32), ["LOOPS_API_KEY={v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: "key-" + rs(HEX, 32),
        [
            "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.carndubh-mrt.example/messages -F to=clerks@carndubh-mrt.example"
        ],
    ),
    ("vendor-token", lambda: "AC" + rs(HEX, 32), ["TWILIO_ACCOUNT_SID={v}"]),
    ("vendor-token", hex_n(32), ["TWILIO_AUTH_TOKEN={v}"]),
    ("vendor-token", hex_n(32), ["DD_API_KEY={v}", "  api_key: {v}"]),
    ("vendor-token", alnum(64), ["HCLOUD_TOKEN={v}  # Hetzner, the tile cache"]),
    (
        "vendor-token",
        lambda: "st." + uuid4() + "." + rs(HEX, 32) + "." + rs(HEX, 32),
        ["INFISICAL_TOKEN={v}"],
    ),
    ("vendor-token", alnum(24), ["$ vercel deploy --prod --token {v}  # the public callout-status page"]),
    ("vendor-token", lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8), ["GRAFANA_TOKEN={v}"]),
    ("vendor-token", uuid4, ["Authorization: GenieKey {v}"]),
    ("vendor-token", hex_n(32), ["    integration_key: {v}  # PagerDuty, kit store"]),
    ("vendor-token", lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN={v}"]),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 140),
        ["$ twine upload -u __token__ -p {v} dist/*"],
    ),
    ("vendor-token", draw.tf_cloud_token, ["TF_TOKEN_app_terraform_io={v}"]),
    (
        "generic-api-key",
        alnum(32),
        ["https://api.os.uk/maps/raster/v1/zxy/Outdoor_3857/14/8012/5034.png?key={v}"],
    ),
    (
        "generic-api-key",
        alnum(32),
        [
            '$ curl -X POST https://api.windy.com/api/point-forecast/v2 -d \'{"lat":57.69,"lon":-2.99,"model":"gfsWave","key":"{v}"}\''
        ],
    ),
    ("generic-api-key", alnum(64), ["jwt_secret: {v}", "  encryption_key: {v}"]),
    ("generic-api-key", hex_n(64), ["CALLOUT_WEBHOOK_SECRET={v}"]),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nPrivateKey = {v}\nAddress = 10.59.250.3/32"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: callout-db\ndata:\n  DB_PASSWORD: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://carndubh.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ["  teams_webhook: {v}"],
    ),
    ("webhook-url", draw.discord_hook, ["YARD_ALERTS_DISCORD={v}"]),
    (
        "webhook-url",
        lambda: "https://hc-ping.com/" + uuid4(),
        ["0 5 * * * /opt/cdm/backup-kopia.sh && curl -fsS -m 10 {v}"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", vault_token, [EL + "pasted my Vault token here by accident: {v}"]),
    ("vendor-token", matrix_token, [GL + "Matrix token from the callout bot's env file: {v}"]),
    (
        "vendor-token",
        lambda: "mlsn." + rs(HEX, 64),
        ["const mailerSend = new MailerSend({ apiKey: '{v}' });"],
    ),
    ("vendor-token", hex_n(40), [HB + "JumpCloud API key was in the kit-store runbook: {v}"]),
    ("vendor-token", lambda: rs(LOW + DIG, 55), ["$ conjur login -i host/kitstore/hmi -p {v}"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        hex_n(56),
        ["  -H 'Authorization: {v}' https://api-sandbox.modulrfinance.com/api-sandbox-token/accounts"],
    ),
    (
        "vendor-token",
        lambda: "NRAK-" + rs(UP + DIG, 27),
        ["$ newrelic profile add --profile cdm --region eu --apiKey {v} --accountId 3312044"],
    ),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(ALNUM + "-_", 20),
        ["url = https://gitlab-ci-token:{v}@gitlab.com/carndubh/tracker.git"],
    ),
    (
        "github-token",
        draw.gh_token,
        ['git config --global url."https://x-access-token:{v}@github.com/".insteadOf "https://github.com/"'],
    ),
    ("slack-webhook", draw.slack_hook, ['"alerts": { "slack_url": "{v}" }']),
    ("aws-key", draw.aws_secret, ["aws_secret_access_key={v}"]),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://cdmscenephotos.blob.core.windows.net/photos/2027-03-04/scene-118.jpg?sv=2022-11-02&sr=b&sp=r&se=2027-03-11T00:00:00Z&sig={v}"
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| base-plc-gw | web | admin | {v} |",
            "the old callout PC still logs in as clerk / {v}",
            "$ ansible-playbook kitstore.yml -e 'ansible_become_pass={v}'",
            "$ sqlcmd -S 10.59.2.40 -U sa -P '{v}' -Q 'SELECT name FROM sys.databases'",
            "$ kopia repository connect s3 --bucket cdm-backups --password '{v}'",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [EL + "the Junos privacy key in that paste is {v}, it decodes, rotate it"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        ["TEAM_DB=postgresql://team:{v}@10.59.2.12:5432/team"],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"private_key": "{v}"']),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://team-app.cdm.internal/api/v1/team/export"],
    ),
    ("jwt", team_jwt, ["localStorage.cdm_team = '{v}'"]),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    ("generic-api-key", hex_n(40), [GL + "OS Data Hub key from the old callout map page: {v}"]),
    (
        "password-assignment",
        password,
        ["$ restic -r sftp:backup@10.59.4.9:/srv/restic snapshots --password-command 'echo {v}'"],
    ),
    ("vendor-token", uuid4, ["OPSGENIE_API_KEY={v}"]),
    ("password-assignment", password, ["$ PGPASSWORD='{v}' pg_dump -h 10.59.2.12 -U team team > team.sql"]),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        [HB + "Grafana token for the drying-room dashboard: {v}"],
    ),
    (
        "vendor-token",
        hex_n(32),
        [
            "$ curl -X POST https://app.loops.so/api/v1/transactional -H 'Authorization: Bearer {v}' -d @notice.json"
        ],
    ),
    ("generic-api-key", alnum(64), ["session:\n  name: cdm_session\n  secret: {v}"]),
    ("bearer-token", alnum(48), ["{ts} DEBUG tracker rockblock forward Authorization: Bearer {v}"]),
    ("vendor-token", vault_token, ["$ vault login {v}"]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            TEAM + "Rescue 1,Eilidh Gillanders,{v},,,",
            GL + "team member asks for the expenses statement at {v}",
            "{ts} INFO claims statement mailed to {v}",
            "INSERT INTO members (name, email) VALUES ('Fenella Urquhart', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            TEAM + "Rescue 2,Torquil Oyelaran,,{v},,",
            GL + "a walker's sister rang from {v} about the call-out of {boat}",
            "{ts} INFO team-app sms callout-notice to={v}",
            "| Catriona Matheson | next of kin, Rescue 3 driver | {v} |",
            'emergency_contact:\n  name: Hamish Buchanan-Reid\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            "{ts} WARN claims card payment failed pan={v}",
            GL + "donor typed the full card {v} into the donation comment",
            "callout=# SELECT pan FROM phone_donors WHERE id = 9;\n pan\n-----\n {v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} WARN callout-api 40 failed logins for donor B-2210 from {v}",
            '{"event":"team_login","client_ip":"{v}","ok":false}',
            "sshd[2210]: Invalid user admin from {v} port 39114",
            "{ts} traccar-1 login failed admin from {v}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [04/Mar/2027:05:12:09 +0000] "GET /api/callouts/today HTTP/2.0" 200', "peer_addr={v}"],
    ),
    ("iban", lambda: gb_iban(), [TEAM + "Rescue 3,Marsaili Macaskill,,,,{v}"]),
    ("iban", lambda: no_iban(), [GL + "pay the Norwegian donor's overpayment back to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [TEAM + "base,Ewan Urquhart,,,{v},"]),
    ("national-id", ssn, ["| Ngozi Gillanders | visiting SAR researcher (US) | SSN {v} | travel claim |"]),
    (
        "iban",
        lambda: ie_iban(),
        ['{"payee":"Torquil Matheson","iban":"{v}","ref":"team expenses March"}'],
    ),
    ("email", email, ["Author: Fenella Macaskill <{v}>\nDate:   Thu Mar 4 05:40:12 2027 +0000"]),
    (
        "email",
        email,
        ["To: control@carndubh-mrt.example\nCc: {v}\nSubject: team list and next of kin"],
    ),
    ("phone", phone, [EL + "the drying-room engineer's mobile is {v}"]),
    ("credit-card", card, ["donor card export row: 3310,B-2210,{v},04/29,SETTLED"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}"]),
    ("phone", phone, ["BEGIN:VCARD\nFN:Marsaili Oyelaran\nTEL;TYPE=cell:{v}\nEND:VCARD"]),
    ("ipv6", public_v6, ["{ts} WARN team-app password reset requested from {v}"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git log -1 --format=%H\n{v}",
            "tracker 1.9.0 (commit {v})",
            "CI_COMMIT_SHA={v}",
            "revert {v}: position dedupe window",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        ["fix {v} grid reference rounding", "registry.cdm.internal/callout/tracker:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "incident id {v}",
            "{ts} INFO claims run_id={v} DONE",
            "| {v} | Rescue 1 (SV19 KDM) |",
            "X-Request-Id: {v}",
            "Kopia snapshot {v} verified",
        ],
    ),
    ("uuid", uuid4, ["Modulr payment id {v}", "Opsgenie alert {v} closed", "Traccar device uniqueId {v}"]),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM registry.cdm.internal/callout/tracker@{v}", "emqx image {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  traccar-6.5.zip", "restic snapshot tree {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "PLC firmware SHA-1 {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "md5 of team-list-march.xlsx {v}"]),
    (
        "hash-or-digest",
        lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(B64, 22) + "$" + rs(B64, 43),
        ['users:\n  clerk3:\n    password: "{v}"'],
    ),
    (
        "hash-or-digest",
        draw.sha512_crypt,
        ['set system login user base authentication encrypted-password "{v}"'],
    ),
    ("hash-or-digest", lambda: "$1$" + rs(CRYPT, 8) + "$" + rs(CRYPT, 22), ["enable secret 5 {v}"]),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "7e1f2a3b4c5d6e7f-01", "trace_id={v} op=lots.close"]),
    ("trace-id", hex_n(16), ["dd.span_id={v}"]),
    ("trace-id", draw.long_trace, ["dd.trace_id={v}"]),
    ("cloud-resource-id", lambda: "emqx-1.cdm.internal", ["EMQX broker {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:s3:::cdm-incident-logs-{rs(LOW + DIG, 6)}",
        ["incident-logs bucket {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "projects/cdm-roster/serviceAccounts/roster-sync@cdm-roster.iam.gserviceaccount.com",
        ["key deleted for {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "https://vault.cdm.internal/v1/secret/data/callout/db",
        ["secret path {v}"],
    ),
    ("cloud-resource-id", lambda: "carndubh/callout", ["GitLab project {v}"]),
    (
        "placeholder",
        lambda: "hvs.XXXXXXXXXXXXXXXXXXXXXXXX",
        ["export VAULT_TOKEN={v}  # paste yours from vault login -method=oidc"],
    ),
    ("placeholder", lambda: "YOUR_OS_DATAHUB_KEY", ["OS_DATAHUB_KEY={v}"]),
    ("placeholder", lambda: "admin", ["the yard NVR shipped with the password {v} (PM-2 found two)"]),
    ("placeholder", lambda: "********", ["KOPIA_PASSWORD={v}  # what the base backup cron log prints"]),
    (
        "placeholder",
        lambda: "<jumpcloud-api-key>",
        ["$ curl -H 'x-api-key: {v}' https://console.jumpcloud.com/api/systemusers"],
    ),
    ("placeholder", lambda: "<your-mailersend-token>", ["mailersend:\n  api_key: {v}  # team newsletter"]),
    ("placeholder", lambda: "$TRACCAR_TOKEN", ["curl 'https://traccar.cdm.internal/api/session?token={v}'"]),
    (
        "placeholder",
        lambda: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["loops api key: {v} (from the CDM wiki template)"],
    ),
    (
        "templated-value",
        lambda: "${{ secrets.DD_API_KEY }}",
        ["            DD_API_KEY: {v}  # datadog-ci upload of callout-api sourcemaps"],
    ),
    (
        "templated-value",
        lambda: "$CI_REGISTRY_PASSWORD",
        ["$ docker login -u $CI_REGISTRY_USER -p {v} $CI_REGISTRY  # tracker image job"],
    ),
    ("templated-value", lambda: "${RABBITMQ_PASSWORD}", ["      password: {v}  # claims queue"]),
    ("templated-value", lambda: "{{ vault_hmi_password }}", ['drying_room_hmi_password: "{v}"']),
    ("templated-value", lambda: "$CI_PIPELINE_IID", ["TRACKER_IMAGE_TAG=2.3.{v}"]),
    ("templated-value", lambda: "vault:secret/data/callout/db#password", ["DB_PASSWORD={v}"]),
    ("templated-value", lambda: "process.env.MATRIX_ACCESS_TOKEN", ["    accessToken: {v},  // callout-bot"]),
    ("masked-value", lambda: "***", ["+ curl -u jonas:{v} https://jenkins-2.cdm.internal/job/tracker/build"]),
    ("masked-value", lambda: "[MASKED]", ["$ twine upload -u __token__ -p {v} dist/cdm_grid-*"]),
    (
        "masked-value",
        lambda: "<redacted>",
        ['{"level":"info","msg":"amqp connect","user":"claims","password":"{v}"}'],
    ),
    ("masked-value", lambda: "XXXX XXXX XXXX " + rs(DIG, 4), ["donor card on file {v}"]),
    ("masked-value", lambda: "hvs.…" + rs(ALNUM, 4), ["Vault token {v} revoked in RB-6"]),
    (
        "keyword-no-value",
        lambda: "--docker-password",
        ["RB-6: feed {v} from a file on the runner, never type it"],
    ),
    (
        "keyword-no-value",
        lambda: "GenieKey",
        ["ADR-8: the Opsgenie {v} is per team, the drying room has its own"],
    ),
    (
        "keyword-no-value",
        lambda: "encryption_key",
        ["PM-5: after Authelia's {v} changed, no member's TOTP secret could be read"],
    ),
    ("keyword-no-value", lambda: "privacy-key", ["rotate the SNMPv3 {v} on both base switches together"]),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["vehicle gateway at {v}", "drying room PLC at {v}", "{ts} traccar-1 polled {v} ok"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example tracker {v} in RB-3"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["Starlink CGNAT address {v} at the relay hut"],
    ),
    ("example-email", lambda: "callout@carndubh-mrt.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "hillwalker@example.com", ["MailerSend test recipient {v}"]),
    ("example-email", lambda: "ci@carndubh-mrt.example", ["GitLab notifications from {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # pasted from the AWS docs into the CDM wiki"],
    ),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["jwt.io's sample token {v} in the team-app tests"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[docs]\naws_secret_access_key = {v}  # sample from the AWS CLI user guide, CDM onboarding page"],
    ),
    (
        "version-or-date",
        lambda: f"1.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["tracker {v} deployed", "team app {v} released"],
    ),
    ("version-or-date", lambda: "Traccar 6.5", ["traccar-1 upgraded to {v} after PM-2"]),
    ("version-or-date", lambda: "EMQX 5.8.1", ["emqx-1 still on {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["deploy", "backup"], "jenkins-2"),
        ["deploy key (public) on tracker:\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.cert_pem,
        ["$ openssl s_client -connect callout.cdm.internal:443 -showcerts\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = vpn.carndubh-mrt.example:51820"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["kopia config recipients: {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "pk_live_" + rs(ALNUM, 99),
        ["const stripe = Stripe('{v}'); // donor deposits, publishable"],
    ),
    (
        "ids-and-numbers",
        lambda: "SARCALL " + rs(DIG, 7),
        ["incident {v} (Rescue 1)", "incident {v} stood down"],
    ),
    ("ids-and-numbers", lambda: "2359" + rs(DIG, 4), ["Airwave ISSI {v} (Rescue 2)"]),
    ("ids-and-numbers", lambda: rs(HEX, 24), ["Plaid client_id {v}"]),
    ("ids-and-numbers", lambda: "B-" + rs(DIG, 4), ["donor {v} on credit hold", "donor {v} registered"]),
    (
        "ids-and-numbers",
        lambda: "p-" + rs(LOW + DIG, 12),
        ["Akeyless access id {v} (the id, the key is separate)"],
    ),
    ("ids-and-numbers", lambda: rs(HEX, 64), ["OneLogin client id {v}"]),
    ("luhn-fail-number", luhn_bad, ["casualty bag tag {v} reported missing", "callout docket {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Stripe test deposit with {v} succeeded"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"incident":118,"team":42}'), ["X-CDM-Incident: {v}"]),
    ("base64-nonsecret", lambda: b64(b"tracker"), ["labels:\n  cdm.team/app.b64: {v}"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(48)), ['"modulr_hmac_secret": "{v}",']),
    ("encrypted-value", lambda: draw.sealed(300), ["spec:\n  encryptedData:\n    DB_PASSWORD: {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["plaid_secret: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["hmi_password: !vault |\n  {v}"],
    ),
    ("encrypted-value", lambda: "AQICAHh" + b64(draw.rbytes(110)), ["KMS CiphertextBlob: {v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merge branch 'pm-2-iridium-backoff' into main ({v})"]),
    ("uuid", uuid4, ["Datadog monitor {v}", "GitLab pipeline {v} failed"]),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["ECDSA key fingerprint is {v}."]),
    ("hash-or-digest", draw.apr1, ["# /etc/nginx/.htpasswd\ntracker:{v}"]),
    ("trace-id", hex_n(32), ["New Relic trace {v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/incident-logs-upload",
        ["access key belongs to {v}"],
    ),
    ("cloud-resource-id", lambda: "aks-cdm-team-uksouth", ["kubectl context {v}"]),
    ("placeholder", lambda: "<MODULR_API_KEY>", ["modulr:\n  api_key: {v}"]),
    (
        "placeholder",
        lambda: "mlsn.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ["export MAILERSEND_API_KEY={v}  # set your own"],
    ),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: callout-db\n            key: DB_PASSWORD"],
    ),
    (
        "templated-value",
        lambda: "{{ .Values.matrix.accessToken }}",
        ["  MATRIX_ACCESS_TOKEN: {v}  # chart values"],
    ),
    ("masked-value", lambda: "mlsn.…" + rs(HEX, 4), ["MailerSend key {v} rotated"]),
    (
        "keyword-no-value",
        lambda: "KOPIA_PASSWORD",
        ["ADR-8: {v} for the base backups lives in gopass, not in the cron file"],
    ),
    (
        "keyword-no-value",
        lambda: "--from-literal",
        ["RB-6: build the regcred with --from-file, because {v} puts the password in history"],
    ),
    ("private-or-reserved-ip", lambda: f"fd00:59::{rng.randint(1, 99)}", ["base VLAN ULA {v}"]),
    ("version-or-date", lambda: "Authelia 4.38.17", ["sso-cdm-1 still on {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the position gap timeline"]),
    ("ids-and-numbers", lambda: "NN 166 712", ["the summit grid reference is {v}"]),
    ("luhn-fail-number", luhn_bad, ["training certificate {v} duplicated"]),
    ("base64-nonsecret", lambda: b64(b"tracker:ok"), ["tracker heartbeat payload {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " backup@jenkins-2",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["Modulr webhook signing public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.carndubh-mrt.example", ["From: {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAI44QH8DHBEXAMPLE",
        ["example key {v} from the AWS IAM guide, quoted in RB-6"],
    ),
    (
        "documented-test-card",
        lambda: "4000 0000 0000 9995",
        ["Stripe declined test card {v} in the donations test suite"],
    ),
    ("luhn-fail-number", luhn_bad, ["incident report {v} misprinted"]),
    ("version-or-date", lambda: "2027-03-04T03:17:00Z", ["Rescue 1 last position at {v}"]),
    ("ids-and-numbers", lambda: "#" + rs(DIG, 5), ["GLPI ticket {v} closed"]),
    (
        "hash-or-digest",
        hex_n(64),
        ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 20480311"],
    ),
    ("uuid", uuid4, ["Loops contact {v}"]),
    ("cloud-resource-id", lambda: "cdm-scene-photos", ["GCS bucket gs://{v} lifecycle 60d"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe key {v} rolled"]),
    (
        "templated-value",
        lambda: "var.datadog_api_key",
        ['provider "datadog" {\n  api_key = {v}  # base monitors\n}'],
    ),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["RB-3: the OneLogin {v} for the kit-store app stays in Vault"],
    ),
    (
        "ids-and-numbers",
        lambda: "5f2b9c0d1e3a4b6c7d8e9f01",
        ["Plaid client id {v} (the secret lives in Vault)"],
    ),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl http://{v}/latest/meta-data/placement/availability-zone"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["donations README still quotes the Stripe docs key {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43),
        ["authorized_keys for backup: ssh-ed25519 {v} backup@jenkins-2"],
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
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|hvs\.[A-Za-z0-9_-]{20}|syt_|mlsn\.[0-9a-f]{10}|NRAK-|glsa_"
    r"|dckr_pat_|npm_[A-Za-z0-9]{30}|pypi-AgE|SG\.[A-Za-z0-9_-]{20}|key-[0-9a-f]{32}|AC[0-9a-f]{32}|\.atlasv1\."
    r"|RzBFAiEA|webhook\.office\.com/webhookb2/|discord\.com/api/webhooks/\d|hc-ping\.com/[0-9a-f]{8}"
    r"|\$9\$[A-Za-z0-9./-]{20}(?!\$)"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|AccountKey=[A-Za-z0-9+/]{20}"
    r"|(?:password|secret|key|ascii) [07] [0-9A-Fa-f]{6}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|(?i:Bearer) [A-Za-z0-9._-]{20}|(?i:token) [A-Za-z0-9]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psk|privatekey)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?(?!plaintext |docker-registry )[A-Za-z0-9+/_.][A-Za-z0-9+/_.-]{11,}"
)

OK_MAIL_57 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal|carndubh\.zulipchat\.com)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_57,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t59", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
