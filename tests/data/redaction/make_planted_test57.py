# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test57.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test57.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270157)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a fishing-fleet cooperative with a harbour fish auction, a cold store and ice
plant, and twenty-odd member vessels, Skelmorrow Fishermen's Cooperative (SFC): PM-2 the vessel-position
gap (RockBLOCK, Traccar, EMQX, MarineTraffic, Stormglass, Windy), PM-5 the auction settlement run
(Modulr, Plaid, Stripe, Mailgun), RB-3 the cold store and ice plant (Authelia, JumpCloud, OneLogin,
Akeyless, Conjur, HMI and PLC web logins), RB-6 cloud and platform (aws, gcloud, az, kubectl, Docker,
Helm, Terraform, Vault, Postgres, MySQL, Redis, MongoDB, RabbitMQ, Elasticsearch), ADR-4 crew messaging
(Matrix, Zulip, MailerSend, Loops, SendGrid, Twilio), ADR-8 CI, backups and monitoring (GitHub Actions,
GitLab CI, Jenkins, Kopia, restic, Datadog, New Relic, Grafana, Opsgenie, PagerDuty), ADR-9 password
managers (pass, gopass, LastPass CLI) and PM-12 a crew list with next of kin sent to the wrong harbour
office (emails, phones, IBANs, NI numbers). Common shapes come first in each kind (``t57p…``/``t57n…``).
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

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test57.jsonl"
FOLD = "test57"
rng = Random(20270157)
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
    "trawler",
    "gunwale",
    "halibut",
    "bollard",
    "keelson",
    "mackerel",
    "spinnaker",
    "lobsterpot",
    "flotsam",
    "breakwater",
]
UPHEX = "0123456789ABCDEF"


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["auction-api", "tracker", "coldstore", "settle", "crew-app"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def junos9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(22, 38))


def type7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs(UPHEX, 2 * rng.randint(6, 10))


def crew_jwt() -> str:
    body = {
        "iss": "crew-app.sfc.internal",
        "sub": "crew-" + rs(DIG, 5),
        "vessel": "BF-" + rs(DIG, 3),
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def gitlab_ci_jwt() -> str:
    body = {
        "namespace_path": "skelmorrow",
        "project_path": "skelmorrow/auction",
        "ref": "main",
        "iss": "https://gitlab.com",
        "sub": "project_path:skelmorrow/auction:ref_type:branch:ref:main",
        "exp": 1790003600,
    }
    return encode_jwt({"alg": "RS256", "kid": rs(B64URL, 43), "typ": "JWT"}, body, rs(B64URL, 342))


def vault_token() -> str:
    return "hvs." + rs(ALNUM + "_-", 90)


def matrix_token() -> str:
    return "syt_" + b64url(b"auction-bot").rstrip("=") + "_" + rs(ALNUM, 20) + "_" + rs(ALNUM, 6)


def traccar_token() -> str:
    return "RzBFAiEA" + rs(B64URL, 110)


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["ruaridh", "morwenna", "tobiah", "kerensa", "lachlan", "oonagh", "silas", "effie"]
LAST = ["mcilwraith", "penhaligon", "strachan-bell", "okonjo", "tregarthen", "duthie"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com", "live.co.uk"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["auction-api", "tracker", "coldstore-hmi", "settle", "crew-app", "quota-svc"]
STAFF = ["alasdair", "kerstin", "jonas", "morag", "dawit", "shona", "piotr", "grizel"]
HOSTS = ["auction-1", "pg-2", "traccar-1", "emqx-1", "jenkins-2", "ice-plc-gw"]
BOATS = [
    "Silver Harvest BF 142",
    "Girl Morag FR 88",
    "Provider II PD 310",
    "Ocean Reward BF 19",
    "Kestrel LK 7",
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

HB = "| {t} | harbour bridge | {who}: "
EL = "{who} (Element #fleet-ops, {t}): "
GL = "GLPI #{tkt} ({who}): "
CREW = "vessel,crew,email,mobile,ni_number,share_iban\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        ["[sfc-auction]\naws_access_key_id = {v}", "$ export AWS_ACCESS_KEY_ID={v}"],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "$ AWS_SECRET_ACCESS_KEY={v} aws s3 cp landings.csv s3://sfc-landings/2027/",
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
        ["$ az storage container list --account-name sfccatchphotos --account-key {v} -o table"],
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
            '{"type":"service_account","project_id":"sfc-quota","private_key_id":"{h40}","private_key":"{v}","client_email":"quota-sync@sfc-quota.iam.gserviceaccount.com"}'
        ],
    ),
    ("github-token", draw.gh_token, ["GITHUB_TOKEN={v}", "$ gh auth login --with-token <<< {v}"]),
    ("gitlab-token", draw.gl_token, ["$ git clone https://oauth2:{v}@gitlab.com/skelmorrow/auction.git"]),
    (
        "slack-token",
        draw.slack_token,
        ["$ curl -H 'Authorization: Bearer {v}' https://slack.com/api/chat.postMessage -d channel=C0FLEET"],
    ),
    ("slack-webhook", draw.slack_hook, ["SLACK_WEBHOOK_URL={v}"]),
    ("stripe-key", draw.stripe_key, ["$ stripe listen --api-key {v} --forward-to localhost:8080/webhooks"]),
    ("jwt", gitlab_ci_jwt, ["$ echo $CI_JOB_JWT_V2  # printed by a debug job\n{v}"]),
    ("jwt", crew_jwt, ["{ts} DEBUG crew-app auth ok token={v}", "Cookie: sfc_crew={v}"]),
    ("jwt", crew_jwt, ["$ curl -H 'Authorization: Bearer {v}' https://crew-app.sfc.internal/api/shares"]),
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
        ["$ vault kv get -field=key secret/auction/tls\n{v}"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DATABASE_URL=postgresql://auction:{v}@pg-2.sfc.internal:5432/auction",
            "SQLALCHEMY_DATABASE_URI=mysql+pymysql://quota:{v}@10.84.2.14/quota",
            "CACHE_URL=redis://:{v}@10.84.2.16:6379/2",
            "MONGODB_URI=mongodb://tracker:{v}@10.84.2.18:27017/positions?authSource=admin",
            "amqps://settle:{v}@mq.sfc.internal:5671/auction",
            "mqtt://tracker:{v}@emqx-1.sfc.internal:1883",
            "rtsp://quay:{v}@10.84.7.21:554/Streaming/Channels/102",
            "https://elastic:{v}@10.84.2.30:9200/_cluster/health",
            "https://jenkins:{v}@gitlab.sfc.internal/fleet/tracker.git",
            "sftp://fishsales:{v}@sftp.fishmarket-exchange.example/landings",
            "ftp://icepress:{v}@10.84.9.12/logs/",
            "smb://SFC;svc-scan:{v}@10.84.4.8/dockets",
            "http://operator:{v}@10.84.9.40/hmi/login",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ PGPASSWORD='{v}' psql -h pg-2.sfc.internal -U auction -c 'select count(*) from lots'",
            "$ mysql -u quota -p'{v}' -h 10.84.2.14 quota",
            "$ redis-cli -h 10.84.2.16 -a '{v}' --scan --pattern 'lot:*'",
            "$ mongosh mongodb://10.84.2.18/positions -u tracker -p '{v}'",
            "$ kubectl create secret docker-registry regcred --docker-server=registry.sfc.internal --docker-username=ci --docker-password='{v}'",
            "$ helm install auction ./charts/auction --set redis.auth.password={v}",
            "$ echo '{v}' | docker login registry.sfc.internal -u ci --password-stdin",
            '  admin_password = "{v}"',
            "DB_PASSWORD={v}",
            "    environment:\n      RABBITMQ_DEFAULT_PASS: {v}",
            "spring.datasource.password={v}",
            "$ gcloud sql users create quota --instance=sfc-quota --password='{v}'",
            "$ aws rds modify-db-instance --db-instance-identifier sfc-auction --master-user-password '{v}' --apply-immediately",
            "$ az mysql flexible-server create -n sfc-crew-mysql --admin-user crewadmin --admin-password '{v}'",
            "$ vault kv put secret/auction/db password='{v}'",
            "$ rabbitmqctl add_user settle '{v}'",
            "$ emqx ctl admins passwd admin '{v}'",
            "username=sfc-fleet&password={v}&data=48656c6c6f",
            "RESTIC_PASSWORD={v}",
            "KOPIA_PASSWORD={v}",
            "$ sshpass -p '{v}' rsync -a dockets/ scan@10.84.4.8:/srv/dockets/",
            "$ pass show sfc/auction/db\n{v}",
            "$ gopass show -o sfc/ice-plant/hmi\n{v}",
            "$ lpass show --password quay-wifi\n{v}",
            "  password: '{v}'",
            "SMTP_PASS={v}",
            "$ curl -X POST https://traccar.sfc.internal/api/session -d 'email=admin&password={v}'",
            '<add key="PlcWebPassword" value="{v}" />',
            "ansible_password: {v}",
            "wpa_passphrase={v}",
            "$ ipmitool -I lanplus -H 10.84.4.200 -U ADMIN -P '{v}' chassis status",
            "GF_SECURITY_ADMIN_PASSWORD={v}",
            HB + "ice plant HMI is operator / {v} on the panel by the auger",
            EL + "quay camera NVR login is admin / {v}, please don't change it before Friday",
            GL + "auction clerk account clerk3, password {v}, reset after the morning sale",
            HB + "Starlink router admin password on Provider II is {v}",
            EL + "RockBLOCK portal login: fleet@skelmorrow-fish.example / {v}",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set snmp v3 usm local-engine user sfc-mon privacy-aes128 privacy-key "{v}"',
            'set system tacplus-server 10.84.0.6 secret "{v}"',
        ],
    ),
    (
        "password-assignment",
        type7,
        ["username harbour privilege 15 password 7 {v}", " wpa-psk ascii 7 {v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        ["Authorization: Basic {v}", '{"auths":{"registry.sfc.internal":{"auth":"{v}"}}}'],
    ),
    (
        "basic-auth",
        password,
        ["$ curl -u admin:'{v}' https://traccar.sfc.internal/api/positions?deviceId=14"],
    ),
    (
        "basic-auth",
        lambda: "11" + rs(HEX, 32),
        ["$ curl -u jonas:{v} -X POST https://jenkins-2.sfc.internal/job/tracker/buildWithParameters"],
    ),
    (
        "basic-auth",
        hex_n(30),
        ['$ curl -u "5f2b9c0d1e3a4b6c7d8e9f01:{v}" https://production.plaid.com/institutions/get'],
    ),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://auction.sfc.internal/api/v1/lots/today"],
    ),
    ("bearer-token", alnum(64), ["{ts} DEBUG settle upstream Authorization: Bearer {v}"]),
    (
        "vendor-token",
        vault_token,
        [
            "VAULT_TOKEN={v}",
            "$ curl -H 'X-Vault-Token: {v}' https://vault.sfc.internal/v1/secret/data/auction",
        ],
    ),
    ("vendor-token", traccar_token, ["$ curl 'https://traccar.sfc.internal/api/session?token={v}'"]),
    ("vendor-token", alnum(42), ["EMQX_API_KEY=ak-quota\nEMQX_API_SECRET={v}"]),
    (
        "vendor-token",
        lambda: rs(ALNUM, 42),
        ["$ curl -u 'sfc-tracker:{v}' https://emqx-1.sfc.internal:18083/api/v5/clients"],
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
    ("vendor-token", lambda: b64(draw.rbytes(24)), ["MODULR_HMAC_SECRET={v}"]),
    ("vendor-token", hex_n(30), ["PLAID_SECRET={v}"]),
    ("vendor-token", hex_n(40), ["$ curl -H 'x-api-key: {v}' https://console.jumpcloud.com/api/systemusers"]),
    ("vendor-token", hex_n(40), ["JUMPCLOUD_CONNECT_KEY={v}"]),
    ("vendor-token", hex_n(64), ["ONELOGIN_CLIENT_SECRET={v}"]),
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
            "$ curl -H 'Authorization: Bearer {v}' https://matrix.sfc.internal/_matrix/client/v3/joined_rooms",
        ],
    ),
    (
        "vendor-token",
        alnum(32),
        ["[api]\nemail=auction-bot@skelmorrow.zulipchat.com\nkey={v}\nsite=https://skelmorrow.zulipchat.com"],
    ),
    ("vendor-token", lambda: "mlsn." + rs(HEX, 64), ["MAILERSEND_API_KEY={v}"]),
    ("vendor-token", hex_n(32), ["LOOPS_API_KEY={v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: "key-" + rs(HEX, 32),
        [
            "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.skelmorrow-fish.example/messages -F to=clerks@skelmorrow-fish.example"
        ],
    ),
    ("vendor-token", lambda: "AC" + rs(HEX, 32), ["TWILIO_ACCOUNT_SID={v}"]),
    ("vendor-token", hex_n(32), ["TWILIO_AUTH_TOKEN={v}"]),
    ("vendor-token", hex_n(32), ["DD_API_KEY={v}", "  api_key: {v}"]),
    ("vendor-token", hex_n(40), ["DD_APP_KEY={v}"]),
    ("vendor-token", lambda: "NRAK-" + rs(UP + DIG, 27), ["NEW_RELIC_API_KEY={v}"]),
    ("vendor-token", hex_n(40), ["NEW_RELIC_LICENSE_KEY={v}"]),
    ("vendor-token", lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8), ["GRAFANA_TOKEN={v}"]),
    ("vendor-token", uuid4, ["Authorization: GenieKey {v}"]),
    ("vendor-token", hex_n(32), ["    integration_key: {v}  # PagerDuty, cold store"]),
    ("vendor-token", lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN={v}"]),
    (
        "vendor-token",
        lambda: "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 140),
        ["$ twine upload -u __token__ -p {v} dist/*"],
    ),
    ("vendor-token", draw.tf_cloud_token, ["TF_TOKEN_app_terraform_io={v}"]),
    (
        "generic-api-key",
        hex_n(40),
        ["https://services.marinetraffic.com/api/exportvessel/v:5/{v}/timespan:20/protocol:jsono"],
    ),
    (
        "generic-api-key",
        alnum(32),
        [
            '$ curl -X POST https://api.windy.com/api/point-forecast/v2 -d \'{"lat":57.69,"lon":-2.99,"model":"gfsWave","key":"{v}"}\''
        ],
    ),
    ("generic-api-key", alnum(64), ["jwt_secret: {v}", "  encryption_key: {v}"]),
    ("generic-api-key", hex_n(64), ["AUCTION_WEBHOOK_SECRET={v}"]),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nPrivateKey = {v}\nAddress = 10.84.250.3/32"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["apiVersion: v1\nkind: Secret\nmetadata:\n  name: auction-db\ndata:\n  DB_PASSWORD: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://skelmorrow.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        ["  teams_webhook: {v}"],
    ),
    ("webhook-url", draw.discord_hook, ["QUAY_ALERTS_DISCORD={v}"]),
    (
        "webhook-url",
        lambda: "https://hc-ping.com/" + uuid4(),
        ["0 5 * * * /opt/sfc/backup-kopia.sh && curl -fsS -m 10 {v}"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", vault_token, [EL + "pasted my Vault token here by accident: {v}"]),
    ("vendor-token", matrix_token, [GL + "Matrix token from the auction bot's env file: {v}"]),
    (
        "vendor-token",
        lambda: "mlsn." + rs(HEX, 64),
        ["const mailerSend = new MailerSend({ apiKey: '{v}' });"],
    ),
    ("vendor-token", hex_n(40), [HB + "JumpCloud API key was in the cold-store runbook: {v}"]),
    ("vendor-token", lambda: rs(LOW + DIG, 55), ["$ conjur login -i host/coldstore/hmi -p {v}"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    (
        "vendor-token",
        hex_n(56),
        ["  -H 'Authorization: {v}' https://api-sandbox.modulrfinance.com/api-sandbox-token/accounts"],
    ),
    (
        "vendor-token",
        lambda: "NRAK-" + rs(UP + DIG, 27),
        ["$ newrelic profile add --profile sfc --region eu --apiKey {v} --accountId 3312044"],
    ),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(ALNUM + "-_", 20),
        ["url = https://gitlab-ci-token:{v}@gitlab.com/skelmorrow/tracker.git"],
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
            "https://sfccatchphotos.blob.core.windows.net/photos/2027-03-04/lot-118.jpg?sv=2022-11-02&sr=b&sp=r&se=2027-03-11T00:00:00Z&sig={v}"
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| ice-plc-gw | web | admin | {v} |",
            "the old auction PC still logs in as clerk / {v}",
            "$ ansible-playbook coldstore.yml -e 'ansible_become_pass={v}'",
            "$ sqlcmd -S 10.84.2.40 -U sa -P '{v}' -Q 'SELECT name FROM sys.databases'",
            "$ kopia repository connect s3 --bucket sfc-backups --password '{v}'",
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
        ["CREW_DB=postgresql://crew:{v}@10.84.2.12:5432/crew"],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"private_key": "{v}"']),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://crew-app.sfc.internal/api/v1/crew/export"],
    ),
    ("jwt", crew_jwt, ["localStorage.sfc_crew = '{v}'"]),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    ("generic-api-key", hex_n(40), [GL + "MarineTraffic key from the old fleet map: {v}"]),
    (
        "password-assignment",
        password,
        ["$ restic -r sftp:backup@10.84.4.9:/srv/restic snapshots --password-command 'echo {v}'"],
    ),
    ("vendor-token", uuid4, ["OPSGENIE_API_KEY={v}"]),
    ("password-assignment", password, ["$ PGPASSWORD='{v}' pg_dump -h 10.84.2.12 -U crew crew > crew.sql"]),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        [HB + "Grafana token for the ice-plant dashboard: {v}"],
    ),
    (
        "vendor-token",
        hex_n(32),
        [
            "$ curl -X POST https://app.loops.so/api/v1/transactional -H 'Authorization: Bearer {v}' -d @notice.json"
        ],
    ),
    ("generic-api-key", alnum(64), ["session:\n  name: sfc_session\n  secret: {v}"]),
    ("bearer-token", alnum(48), ["{ts} DEBUG tracker rockblock forward Authorization: Bearer {v}"]),
    ("vendor-token", vault_token, ["$ vault login {v}"]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            CREW + "Silver Harvest BF 142,Ruaridh Penhaligon,{v},,,",
            GL + "skipper asks for the settlement statement at {v}",
            "{ts} INFO settle statement mailed to {v}",
            "INSERT INTO members (name, email) VALUES ('Kerensa Duthie', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            CREW + "Girl Morag FR 88,Tobiah Okonjo,,{v},,",
            GL + "skipper rang from {v} about a short weight on {boat}",
            "{ts} INFO crew-app sms sailing-notice to={v}",
            "| Morwenna Tregarthen | next of kin, Ocean Reward | {v} |",
            'emergency_contact:\n  name: Lachlan Strachan-Bell\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            "{ts} WARN settle card payment failed pan={v}",
            GL + "buyer typed the full card {v} into the lot comment",
            "auction=# SELECT pan FROM phone_buyers WHERE id = 9;\n pan\n-----\n {v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} WARN auction-api 40 failed logins for buyer B-2210 from {v}",
            '{"event":"crew_login","client_ip":"{v}","ok":false}',
            "sshd[2210]: Invalid user admin from {v} port 39114",
            "{ts} traccar-1 login failed admin from {v}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        ['{v} - - [04/Mar/2027:05:12:09 +0000] "GET /api/lots/today HTTP/2.0" 200', "peer_addr={v}"],
    ),
    ("iban", lambda: draw.iban("GB"), [CREW + "Provider II PD 310,Oonagh Mcilwraith,,,,{v}"]),
    ("iban", lambda: draw.iban("NO"), [GL + "pay the Norwegian buyer's overpayment back to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [CREW + "Kestrel LK 7,Silas Duthie,,,{v},"]),
    ("national-id", ssn, ["| Effie Okonjo | visiting fisheries observer (US) | SSN {v} | travel claim |"]),
    (
        "iban",
        lambda: draw.iban("IE"),
        ['{"payee":"Ruaridh Tregarthen","iban":"{v}","ref":"crew share March"}'],
    ),
    ("email", email, ["Author: Kerensa Mcilwraith <{v}>\nDate:   Thu Mar 4 05:40:12 2027 +0000"]),
    (
        "email",
        email,
        ["To: harbourmaster@skelmorrow-fish.example\nCc: {v}\nSubject: crew list and next of kin"],
    ),
    ("phone", phone, [EL + "the ice-plant engineer's mobile is {v}"]),
    ("credit-card", card, ["buyer card export row: 3310,B-2210,{v},04/29,SETTLED"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}"]),
    ("phone", phone, ["BEGIN:VCARD\nFN:Oonagh Penhaligon\nTEL;TYPE=cell:{v}\nEND:VCARD"]),
    ("ipv6", public_v6, ["{ts} WARN crew-app password reset requested from {v}"]),
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
        ["fix {v} lot weight rounding", "registry.sfc.internal/fleet/tracker:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "lot id {v}",
            "{ts} INFO settle run_id={v} DONE",
            "| {v} | Silver Harvest BF 142 |",
            "X-Request-Id: {v}",
            "Kopia snapshot {v} verified",
        ],
    ),
    ("uuid", uuid4, ["Modulr payment id {v}", "Opsgenie alert {v} closed", "Traccar device uniqueId {v}"]),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM registry.sfc.internal/fleet/tracker@{v}", "emqx image {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  traccar-6.5.zip", "restic snapshot tree {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "PLC firmware SHA-1 {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "md5 of crew-list-march.xlsx {v}"]),
    (
        "hash-or-digest",
        lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(B64, 22) + "$" + rs(B64, 43),
        ['users:\n  clerk3:\n    password: "{v}"'],
    ),
    (
        "hash-or-digest",
        draw.sha512_crypt,
        ['set system login user harbour authentication encrypted-password "{v}"'],
    ),
    ("hash-or-digest", lambda: "$1$" + rs(CRYPT, 8) + "$" + rs(CRYPT, 22), ["enable secret 5 {v}"]),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-" + "7e1f2a3b4c5d6e7f-01", "trace_id={v} op=lots.close"]),
    ("trace-id", hex_n(16), ["dd.span_id={v}"]),
    ("trace-id", draw.long_trace, ["dd.trace_id={v}"]),
    ("cloud-resource-id", lambda: "emqx-1.sfc.internal", ["EMQX broker {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::sfc-landings-{rs(LOW + DIG, 6)}", ["landings bucket {v}"]),
    (
        "cloud-resource-id",
        lambda: "projects/sfc-quota/serviceAccounts/quota-sync@sfc-quota.iam.gserviceaccount.com",
        ["key deleted for {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "https://vault.sfc.internal/v1/secret/data/auction/db",
        ["secret path {v}"],
    ),
    ("cloud-resource-id", lambda: "skelmorrow/auction", ["GitLab project {v}"]),
    (
        "placeholder",
        lambda: "hvs.XXXXXXXXXXXXXXXXXXXXXXXX",
        ["export VAULT_TOKEN={v}  # fill in from vault login"],
    ),
    ("placeholder", lambda: "YOUR_MARINETRAFFIC_KEY", ["MARINETRAFFIC_KEY={v}"]),
    ("placeholder", lambda: "admin", ["the quay NVR shipped with the password {v} (PM-2 found two)"]),
    ("placeholder", lambda: "********", ["KOPIA_PASSWORD={v}  # as shown by the cron log"]),
    ("placeholder", lambda: "<jumpcloud-api-key>", ["x-api-key: {v}"]),
    ("placeholder", lambda: "<your-mailersend-token>", ["MAILERSEND_API_KEY={v}"]),
    ("placeholder", lambda: "$TRACCAR_TOKEN", ["curl 'https://traccar.sfc.internal/api/session?token={v}'"]),
    ("placeholder", lambda: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["LOOPS_API_KEY={v}"]),
    (
        "templated-value",
        lambda: "${{ secrets.DD_API_KEY }}",
        ["            DD_API_KEY: {v}  # datadog-ci upload"],
    ),
    (
        "templated-value",
        lambda: "$CI_REGISTRY_PASSWORD",
        ["docker login -u $CI_REGISTRY_USER -p {v} $CI_REGISTRY"],
    ),
    ("templated-value", lambda: "${RABBITMQ_PASSWORD}", ["      password: {v}"]),
    ("templated-value", lambda: "{{ vault_hmi_password }}", ['hmi_password: "{v}"']),
    ("templated-value", lambda: "$CI_PIPELINE_IID", ["IMAGE_TAG=1.9.{v}"]),
    ("templated-value", lambda: "vault:secret/data/auction/db#password", ["DB_PASSWORD={v}"]),
    ("templated-value", lambda: "process.env.MATRIX_ACCESS_TOKEN", ["  accessToken: {v},"]),
    ("masked-value", lambda: "***", ["+ curl -u jonas:{v} https://jenkins-2.sfc.internal/job/tracker/build"]),
    ("masked-value", lambda: "[MASKED]", ["$ twine upload -u __token__ -p {v} dist/*"]),
    ("masked-value", lambda: "<redacted>", ['{"level":"info","msg":"connect","password":"{v}"}']),
    ("masked-value", lambda: "XXXX XXXX XXXX " + rs(DIG, 4), ["buyer card on file {v}"]),
    ("masked-value", lambda: "hvs.…" + rs(ALNUM, 4), ["Vault token {v} revoked in RB-6"]),
    ("keyword-no-value", lambda: "--docker-password", ["RB-6: pass {v} from a file, not the shell"]),
    (
        "keyword-no-value",
        lambda: "GenieKey",
        ["ADR-8: the Opsgenie {v} is per team, the ice plant has its own"],
    ),
    (
        "keyword-no-value",
        lambda: "encryption_key",
        ["PM-5: Authelia's {v} changed, so the stored TOTP secrets were unreadable"],
    ),
    ("keyword-no-value", lambda: "privacy-key", ["rotate the SNMPv3 {v} on both harbour switches together"]),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["vessel gateway at {v}", "ice plant PLC at {v}", "{ts} traccar-1 polled {v} ok"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example tracker {v} in RB-3"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["Starlink CGNAT address {v} on Provider II"],
    ),
    ("example-email", lambda: "auction@skelmorrow-fish.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "skipper@example.com", ["MailerSend test recipient {v}"]),
    ("example-email", lambda: "ci@skelmorrow-fish.example", ["GitLab notifications from {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # copied from the s3 cp docs"],
    ),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["jwt.io's sample token {v} in the crew-app tests"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[docs]\naws_secret_access_key = {v}  # AWS CLI guide sample"],
    ),
    (
        "version-or-date",
        lambda: f"1.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["tracker {v} deployed", "crew app {v} released"],
    ),
    ("version-or-date", lambda: "Traccar 6.5", ["traccar-1 runs {v}"]),
    ("version-or-date", lambda: "EMQX 5.8.1", ["emqx-1 upgraded to {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["deploy", "backup"], "jenkins-2"),
        ["deploy key (public) on tracker:\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.cert_pem,
        ["$ openssl s_client -connect auction.sfc.internal:443 -showcerts\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = vpn.skelmorrow-fish.example:51820"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["kopia config recipients: {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "pk_live_" + rs(ALNUM, 99),
        ["const stripe = Stripe('{v}'); // buyer deposits, publishable"],
    ),
    ("ids-and-numbers", lambda: "IMO " + rs(DIG, 7), ["vessel {v} (Silver Harvest)", "vessel {v} laid up"]),
    ("ids-and-numbers", lambda: "2350" + rs(DIG, 5), ["MMSI {v} (Girl Morag)"]),
    ("ids-and-numbers", lambda: rs(HEX, 24), ["Plaid client_id {v}"]),
    ("ids-and-numbers", lambda: "B-" + rs(DIG, 4), ["buyer {v} on credit hold", "buyer {v} registered"]),
    (
        "ids-and-numbers",
        lambda: "p-" + rs(LOW + DIG, 12),
        ["Akeyless access id {v} (the id, the key is separate)"],
    ),
    ("ids-and-numbers", lambda: rs(HEX, 64), ["OneLogin client id {v}"]),
    ("luhn-fail-number", luhn_bad, ["fish box tag {v} reported missing", "auction docket {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Stripe test deposit with {v} succeeded"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"lot":118,"boxes":42}'), ["X-SFC-Lot: {v}"]),
    ("base64-nonsecret", lambda: b64(b"tracker"), ["labels:\n  app.b64: {v}"]),
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
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/landings-upload",
        ["access key belongs to {v}"],
    ),
    ("cloud-resource-id", lambda: "aks-sfc-crew-uksouth", ["kubectl context {v}"]),
    ("placeholder", lambda: "<MODULR_API_KEY>", ["MODULR_API_KEY={v}"]),
    ("placeholder", lambda: "mlsn.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["MAILERSEND_API_KEY={v}"]),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: auction-db\n            key: DB_PASSWORD"],
    ),
    ("templated-value", lambda: "{{ .Values.matrix.accessToken }}", ["MATRIX_ACCESS_TOKEN: {v}"]),
    ("masked-value", lambda: "mlsn.…" + rs(HEX, 4), ["MailerSend key {v} rotated"]),
    (
        "keyword-no-value",
        lambda: "KOPIA_PASSWORD",
        ["ADR-8: {v} is in gopass only, never in the cron script"],
    ),
    (
        "keyword-no-value",
        lambda: "--from-literal",
        ["RB-6: create the regcred from a file; {v} leaves the password in shell history"],
    ),
    ("private-or-reserved-ip", lambda: f"fd00:84::{rng.randint(1, 99)}", ["harbour VLAN ULA {v}"]),
    ("version-or-date", lambda: "Authelia 4.38.17", ["sso-1 on {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the position gap timeline"]),
    ("ids-and-numbers", lambda: "BF 142", ["port letters and number {v}"]),
    ("luhn-fail-number", luhn_bad, ["quota certificate {v} duplicated"]),
    ("base64-nonsecret", lambda: b64(b"tracker:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " backup@jenkins-2",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["Modulr webhook signing public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.skelmorrow-fish.example", ["From: {v}"]),
    ("vendor-example-key", lambda: "AKIAI44QH8DHBEXAMPLE", ["s3 cp guide example key {v}"]),
    (
        "documented-test-card",
        lambda: "4000 0000 0000 9995",
        ["Stripe declined test card {v} in the deposits suite"],
    ),
    ("luhn-fail-number", luhn_bad, ["landing declaration {v} misprinted"]),
    ("version-or-date", lambda: "2027-03-04T03:17:00Z", ["Silver Harvest last position at {v}"]),
    ("ids-and-numbers", lambda: "#" + rs(DIG, 5), ["GLPI ticket {v} closed"]),
    (
        "hash-or-digest",
        hex_n(64),
        ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 20480311"],
    ),
    ("uuid", uuid4, ["Loops contact {v}"]),
    ("cloud-resource-id", lambda: "sfc-catch-photos", ["GCS bucket gs://{v} lifecycle 60d"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe key {v} rolled"]),
    ("templated-value", lambda: "var.datadog_api_key", ['provider "datadog" {\n  api_key = {v}\n}']),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["RB-3: OneLogin's {v} stays in Vault, only the client id is in code"],
    ),
    ("ids-and-numbers", lambda: "5f2b9c0d1e3a4b6c7d8e9f01", ["Plaid client id {v} (the secret is separate)"]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl http://{v}/latest/meta-data/instance-id"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["deposits README quotes the Stripe docs key {v}"],
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

OK_MAIL_57 = re.compile(
    OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal|skelmorrow\.zulipchat\.com)$"
)

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
    write_fold(sections(), fold=FOLD, id_prefix="t57", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
