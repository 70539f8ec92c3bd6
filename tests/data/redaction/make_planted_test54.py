# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test54.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test54.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270154)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a regional blood service with donor sessions, a processing lab, blood-fridge
stores and a blood-bike courier service, Fenwold Regional Blood Service (FRBS): PM-3 the blood-fridge
temperature alarms that went unheard (Monnit sensors, Mirth Connect HL7, RabbitMQ, NATS, PagerDuty,
Grafana OnCall, Pushover, Esendex), PM-6 the donor-portal login outage (Keycloak, Auth0, Firebase FCM,
GOV.UK Notify, Textlocal), RB-2 the LIMS Kubernetes platform (kubectl secrets, Argo CD, Harbor, Rancher,
Vault, Consul, Nomad, Velero), RB-4 the data stores (ClickHouse, Cassandra, Neo4j, Elasticsearch,
MinIO, SQL Server, Snowflake, Graylog, Wazuh), RB-7 the site and courier-van network (OpenVPN, Cisco
ASA, Junos, WireGuard), ADR-5 CI (GitHub Actions and runners, GitLab, Woodpecker, Terraform Cloud,
Sentry, New Relic, Honeycomb, Datadog), ADR-8 courier dispatch and messaging (Webfleet, Twilio,
SendGrid, Discord) and PM-12 a donor list sent to the wrong session venue (emails, phones, IBANs, NI
numbers). Common shapes come first in each kind (``t54p…``/``t54n…``).
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
OUT = HERE / "planted_test54.jsonl"
FOLD = "test54"
rng = Random(20270154)
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
    "plasma",
    "platelet",
    "rhesus",
    "apheresis",
    "haemo",
    "cryo",
    "donor",
    "lancet",
    "cannula",
    "antigen",
]
UPHEX = "0123456789ABCDEF"


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def basic_cred() -> str:
    return draw.basic_cred(["mirth-feed", "donor-api", "issue-svc", "fridge-mon", "courier-sync"], WORDS)


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def junos9() -> str:
    return "$9$" + rs(ALNUM + "./-", rng.randint(22, 38))


def type7() -> str:
    return f"{rng.randint(0, 15):02d}" + rs(UPHEX, 2 * rng.randint(6, 10))


def vault_token() -> str:
    return "hvs.CAESI" + rs(B64URL, 86)


def rancher_token() -> str:
    return "token-" + rs(LOW + DIG, 5) + ":" + rs(LOW + DIG, 54)


def notify_key() -> str:
    return "frbs_live-" + uuid4() + "-" + uuid4()


def fcm_key() -> str:
    return "AAAA" + rs(ALNUM + "-_", 7) + ":APA91b" + rs(B64URL, 134)


def postman_key() -> str:
    return "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34)


def openvpn_static() -> str:
    body = [rs(HEX, 32) for _ in range(16)]
    return "\n".join(["-----BEGIN OpenVPN Static key V1-----", *body, "-----END OpenVPN Static key V1-----"])


def argocd_jwt() -> str:
    body = {
        "iss": "argocd",
        "sub": "proj:lims:ci-deploy",
        "nbf": 1790000000,
        "iat": 1790000000 + rng.randint(0, 9999999),
        "jti": uuid4(),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def keycloak_jwt() -> str:
    body = {
        "exp": 1790000300 + rng.randint(0, 9999999),
        "iss": "https://sso.frbs.internal/realms/frbs",
        "sub": uuid4(),
        "typ": "Bearer",
        "azp": "donor-portal",
        "preferred_username": "issue-desk-" + rs(DIG, 2),
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 43)}, body, rs(B64URL, 342))


def donor_jwt() -> str:
    body = {
        "iss": "donor-app",
        "sub": "donor-" + rs(DIG, 7),
        "scope": "appointments",
        "iat": 1790000000 + rng.randint(0, 9999999),
    }
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def wazuh_jwt() -> str:
    body = {
        "iss": "wazuh",
        "aud": "Wazuh API REST",
        "nbf": 1790000000,
        "exp": 1790000900,
        "sub": "wazuh-wui",
        "run_as": False,
        "rbac_roles": [1],
        "rbac_mode": "white",
    }
    return encode_jwt({"alg": "ES512", "typ": "JWT"}, body, rs(B64URL, 176))


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict[str, str]) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["oluwaseun", "marit", "tadhg", "ysolde", "kwabena", "sunniva", "padraig", "zdenka"]
LAST = ["okonkwo-hale", "fairweather", "brannagh", "kowalczyk", "pennefather", "holmgren"]
MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.co.uk", "proton.me", "talktalk.net"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["donor-api", "issue-svc", "mirth-feed", "fridge-mon", "courier-sync", "session-planner"]
STAFF = ["nkechi", "alasdair", "roisin", "tomasz", "bethan", "jorunn", "declan", "priya"]
HOSTS = ["k8s-lims-1", "pg-donor", "mirth-1", "vault-1", "ch-1", "vpn-1"]
SITES = ["Fenwold Centre", "Ashby Moor session", "Holt Street hub", "Carrbridge lab", "Marsh Lane stores"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "site": lambda: rng.choice(SITES),
    "tkt": lambda: str(rng.randint(10_000, 99_999)),
    "uuid": uuid4,
    "h40": lambda: rs(HEX, 40),
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | issue bridge | {who}: "
MM = "{who} (Mattermost ~cold-chain, {t}): "
JS = "JSM FRBS-{tkt} ({who}): "
DONORS = "donor_id,name,blood_group,email,mobile,ni_number,expenses_iban\n"
KCADM = "/opt/keycloak/bin/kcadm.sh"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws configure set aws_access_key_id {v} --profile frbs-archive",
            "      AWS_ACCESS_KEY_ID: {v}\n      AWS_DEFAULT_REGION: eu-west-2",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "$ aws configure set aws_secret_access_key {v} --profile frbs-archive",
            "$ kubectl -n velero create secret generic cloud-credentials --from-literal=aws_secret_access_key={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=frbsdonorexports;AccountKey={v};EndpointSuffix=core.windows.net"
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "$ az login --service-principal -u 6f1d2a7c-0b3e-4c59-9a8e-2d4f6b1c0e97 -p {v} --tenant fenwold-blood.example"
        ],
    ),
    ("gcp-key", draw.gcp_api, ["const mapsKey = '{v}'; // session finder map"]),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"frbs-donor-app","private_key_id":"{h40}","private_key":"{v}","client_email":"fcm-sender@frbs-donor-app.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "      - run: gh release upload v3.8.1 dist/*.apk\n        env:\n          GH_TOKEN: {v}",
            "$ git clone https://x-access-token:{v}@github.com/frbs/issue-svc.git",
        ],
    ),
    ("gitlab-token", draw.gl_token, ["$ glab auth login --hostname gitlab.com --token {v}"]),
    ("slack-token", draw.slack_token, ["SLACK_APP_TOKEN={v}  # #cold-chain alerts bot, socket mode"]),
    ("slack-webhook", draw.slack_hook, [MM + "Grafana contact point now posts to {v}"]),
    ("stripe-key", draw.stripe_key, ["STRIPE_SECRET_KEY={v}  # fundraising shop"]),
    (
        "jwt",
        argocd_jwt,
        [
            "ARGOCD_AUTH_TOKEN={v}",
            "$ argocd app sync issue-svc --auth-token {v} --server argocd.frbs.internal",
        ],
    ),
    (
        "jwt",
        keycloak_jwt,
        [
            "GET /api/v2/units?status=crossmatched HTTP/1.1\nHost: issue.frbs.internal\nAuthorization: Bearer {v}"
        ],
    ),
    ("jwt", donor_jwt, ["{ts} DEBUG donor-api refresh ok token={v} device=android"]),
    (
        "jwt",
        wazuh_jwt,
        ["$ curl -k -H 'Authorization: Bearer {v}' https://10.44.9.5:55000/agents?status=disconnected"],
    ),
    (
        "private-key",
        draw.pk("rsa"),
        ["$ kubectl -n lims get secret issue-tls -o jsonpath='{.data.tls\\.key}' | base64 -d\n{v}"],
    ),
    ("private-key", draw.pk("ssh", "  "), ["courier_deploy_key: |\n  {v}"]),
    (
        "private-key",
        lambda: draw.pem_private_key("pkcs8", sep="\n      "),
        ["stringData:\n  mirth.key: |\n      {v}"],
    ),
    (
        "private-key",
        openvpn_static,
        ["# /etc/openvpn/server/frbs.conf\nkey-direction 0\n<tls-auth>\n{v}\n</tls-auth>"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        [
            "DONOR_DB_URL=postgresql://donor_api:{v}@pg-donor.frbs.internal:5432/donors?sslmode=require",
            "amqps://mirth-feed:{v}@10.44.5.10:5671/lims",
            "CLICKHOUSE_URL=clickhouse://analytics:{v}@ch-1.frbs.internal:9440/issues?secure=true",
            "neo4j+s://neo4j:{v}@graph.frbs.internal:7687",
            "MONGO_URI=mongodb+srv://sessions:{v}@frbs-sessions.k2x7q.mongodb.net/planner",
            "rediss://default:{v}@10.44.3.60:6380/0",
            "ELASTICSEARCH_URL=https://elastic:{v}@es-1.frbs.internal:9200",
            "nats://fridge-mon:{v}@10.44.6.3:4222",
            "ldaps://svc-mirth:{v}@dc-1.frbs.internal:636/ou=staff,dc=frbs,dc=internal",
            "sftp://hl7drop:{v}@10.44.5.20/inbound/oru",
            "https://mirth:{v}@mirth-1.frbs.internal:8443/api/channels",
            "jdbc:sqlserver://10.44.3.40:1433;databaseName=Progesa;user=prog_ro;password={v}",
            "git remote set-url origin https://deploy:{v}@git.frbs.internal/lims/mirth-channels.git",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ kubectl -n analytics create secret generic clickhouse-auth --from-literal=password={v}",
            "$ clickhouse-client --host ch-1.frbs.internal --secure --user analytics --password '{v}'",
            "$ cqlsh 10.44.3.20 9042 -u cassandra -p '{v}'",
            "NEO4J_AUTH=neo4j/{v}",
            "$ cypher-shell -a bolt://10.44.3.30:7687 -u neo4j -p '{v}'",
            "$ sqlcmd -S 10.44.3.40 -U sa -P '{v}' -Q \"SELECT name FROM sys.databases\"",
            "$ mysql -h 10.44.3.50 -u courier -p'{v}' courier",
            "MINIO_ROOT_PASSWORD={v}",
            "$ argocd login argocd.frbs.internal --username admin --password '{v}' --grpc-web",
            "$ "
            + KCADM
            + " config credentials --server https://sso.frbs.internal --realm master --user admin --password '{v}'",
            "KC_BOOTSTRAP_ADMIN_PASSWORD={v}",
            "$ ./mccommand -a https://mirth-1.frbs.internal:8443 -u admin -p '{v}'",
            "database.password = {v}",
            "$ rabbitmqctl change_password mirth-feed '{v}'",
            "$ echo '{v}' > /var/ossec/etc/authd.pass",
            '"Esendex": {\n  "Username": "alerts@fenwold-blood.example",\n  "Password": "{v}",\n  "AccountReference": "EX0318842"\n}',
            "$ cat /etc/openvpn/client/van-7.auth\nvan-7\n{v}",
            "tunnel-group 198.51.100.7 ipsec-attributes\n ikev1 pre-shared-key {v}",
            "username vpnadmin password {v} privilege 15",
            "wpa_passphrase={v}",
            "spring.datasource.password={v}",
            '# /etc/pgbouncer/userlist.txt\n"issue_svc" "{v}"',
            "$ PGPASSWORD='{v}' pg_dump -h pg-donor.frbs.internal -U donor_api donors -Fc -f donors.dump",
            '$ ldapsearch -x -H ldaps://dc-1.frbs.internal -D "cn=svc-mirth,ou=svc,dc=frbs,dc=internal" -w \'{v}\' "(uid=nkechi)"',
            "$ vault write auth/userpass/users/breakglass password='{v}' policies=admin",
            "$ az vm user update -g frbs-rg -n jump-1 -u azureuser -p '{v}'",
            "$ gcloud sql users set-password postgres --instance=frbs-donor-pg --password='{v}'",
            "$ aws rds modify-db-instance --db-instance-identifier frbs-sessions --master-user-password '{v}' --apply-immediately",
            "SNOWSQL_PWD={v}",
            "$ docker login harbor.frbs.internal -u nkechi -p '{v}'",
            "Monnit gateway: admin password {v}, set from the fridge-room iPad",
            TL + "blood-fridge gateway at Marsh Lane, login admin / {v}",
            MM + "the Esendex portal login for the on-call phone is alerts@fenwold-blood.example / {v}",
            JS + "Progesa read-only user prog_ro, password {v} (please rotate after the audit)",
            TL + "vault unseal is blocked, the breakglass password is {v}, in the red envelope",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [
            'set system radius-server 10.44.0.9 secret "{v}"',
            'set protocols bgp group transit neighbor 198.51.100.1 authentication-key "{v}"',
        ],
    ),
    (
        "password-assignment",
        type7,
        ["username netops privilege 15 password 7 {v}", "ntp authentication-key 1 md5 {v} 7"],
    ),
    ("basic-auth", basic_cred, ["Authorization: Basic {v}", "    headers:\n      Authorization: Basic {v}"]),
    ("basic-auth", password, ["$ curl -u elastic:'{v}' https://es-1.frbs.internal:9200/_cluster/health"]),
    (
        "vendor-token",
        lambda: rs(LOW + DIG, 52),
        ["$ curl -u {v}:token https://graylog.frbs.internal/api/search/universal/relative?query=fridge"],
    ),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://issue.frbs.internal/api/v2/units/hold"],
    ),
    ("bearer-token", alnum(48), ["{ts} DEBUG courier-sync POST /dispatch Authorization: Bearer {v}"]),
    ("vendor-token", vault_token, ["VAULT_TOKEN={v}", "$ vault login {v}"]),
    (
        "vendor-token",
        uuid4,
        ["CONSUL_HTTP_TOKEN={v}", "$ curl -H 'X-Consul-Token: {v}' http://10.44.2.5:8500/v1/kv/mirth/config"],
    ),
    ("vendor-token", uuid4, ["NOMAD_TOKEN={v}"]),
    (
        "vendor-token",
        alnum(32),
        [
            "$ echo '{v}' | docker login harbor.frbs.internal -u 'robot$lims+ci' --password-stdin",
            "HARBOR_ROBOT_SECRET={v}",
        ],
    ),
    (
        "vendor-token",
        rancher_token,
        ["$ rancher login https://rancher.frbs.internal --token {v}", "CATTLE_BEARER_TOKEN={v}"],
    ),
    (
        "vendor-token",
        alnum(32),
        [
            "KC_CLIENT_SECRET={v}",
            "$ " + KCADM + " update clients/5d2c8a1e-7b43-4f0a-9c1d-3e6b2f8a4d70 -r frbs -s secret={v}",
        ],
    ),
    ("vendor-token", lambda: rs(B64URL, 64), ["AUTH0_CLIENT_SECRET={v}"]),
    ("vendor-token", fcm_key, ["FCM_SERVER_KEY={v}"]),
    (
        "vendor-token",
        notify_key,
        ["NOTIFY_API_KEY={v}", "notifications_client = NotificationsAPIClient('{v}')"],
    ),
    (
        "vendor-token",
        lambda: rs(ALNUM, 44),
        ["$ curl -d 'apikey={v}' -d 'sender=FRBS' -d @message.txt https://api.txtlocal.com/send/"],
    ),
    (
        "vendor-token",
        lambda: rs(UP + DIG, 32),
        ["$ curl -H 'APIKeyID: 6QDJ7T4WZ2' -H 'APISecretKey: {v}' https://www.imonnit.com/json/SensorList"],
    ),
    (
        "vendor-token",
        lambda: "a" + rs(LOW + DIG, 29),
        [
            "$ curl -s -F 'token={v}' -F 'user=$PUSHOVER_USER' -F 'message=fridge 4 high' https://api.pushover.net/1/messages.json"
        ],
    ),
    (
        "vendor-token",
        hex_n(32),
        ['{"routing_key": "{v}", "event_action": "trigger", "payload": {"summary": "fridge 4 above 6C"}}'],
    ),
    (
        "vendor-token",
        hex_n(32),
        ["DD_API_KEY={v}", "$ helm upgrade datadog datadog/datadog --set datadog.apiKey={v}"],
    ),
    (
        "vendor-token",
        hex_n(40),
        [
            "$ curl -H 'DD-API-KEY: $DD_API_KEY' -H 'DD-APPLICATION-KEY: {v}' https://api.datadoghq.eu/api/v1/monitor"
        ],
    ),
    ("vendor-token", lambda: "AC" + rs(HEX, 32), ["TWILIO_ACCOUNT_SID={v}"]),
    ("vendor-token", hex_n(32), ["TWILIO_AUTH_TOKEN={v}"]),
    (
        "vendor-token",
        draw.tf_cloud_token,
        ['{\n  "credentials": {\n    "app.terraform.io": {\n      "token": "{v}"\n    }\n  }\n}'],
    ),
    ("vendor-token", draw.atlassian_token, ["JIRA_API_TOKEN={v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: "A" + rs(UP + DIG, 28),
        ["$ ./config.sh --url https://github.com/frbs --token {v} --labels lims,self-hosted"],
    ),
    ("vendor-token", lambda: "sntryu_" + rs(HEX, 64), ["SENTRY_AUTH_TOKEN={v}"]),
    ("vendor-token", lambda: rs(B64URL, 40), ["CLOUDFLARE_API_TOKEN={v}"]),
    ("vendor-token", lambda: "dop_v1_" + rs(HEX, 64), ["$ doctl auth init --access-token {v}"]),
    ("vendor-token", postman_key, ["$ postman login --with-api-key {v}"]),
    ("vendor-token", lambda: "NRAK-" + rs(UP + DIG, 27), ["NEW_RELIC_API_KEY={v}"]),
    ("vendor-token", lambda: rs(HEX, 36) + "NRAL", ["  license_key: {v}"]),
    (
        "vendor-token",
        alnum(22),
        ["$ curl -H 'X-Honeycomb-Team: {v}' https://api.eu1.honeycomb.io/1/events/issue-svc"],
    ),
    (
        "generic-api-key",
        lambda: rs(B64URL, 40),
        ["$ mc alias set frbs-minio https://minio.frbs.internal:9000 velero {v}"],
    ),
    (
        "generic-api-key",
        alnum(32),
        [
            "https://csv.webfleet.com/extern?account=frbs-bikes&username=api&password=$WF_PW&apikey={v}&action=showObjectReportExtern"
        ],
    ),
    ("generic-api-key", hex_n(64), ["WOODPECKER_AGENT_SECRET={v}"]),
    ("generic-api-key", alnum(96), ["password_secret = {v}"]),
    ("generic-api-key", lambda: b64(draw.rbytes(32)), ["Unseal Key 1: {v}"]),
    ("generic-api-key", hex_n(64), ["MIRTH_HMAC_KEY={v}"]),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ["[Interface]\nPrivateKey = {v}\nAddress = 10.44.250.7/32"],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: progesa-ro\n  namespace: lims\ntype: Opaque\ndata:\n  password: {v}"
        ],
    ),
    (
        "webhook-url",
        lambda: (
            "https://oncall-prod-eu-west-0.grafana.net/oncall/integrations/v1/formatted_webhook/"
            + rs(ALNUM, 25)
            + "/"
        ),
        ["ONCALL_WEBHOOK={v}"],
    ),
    ("webhook-url", draw.discord_hook, ["donor-events discord hook (volunteers server): {v}"]),
    (
        "webhook-url",
        lambda: "https://hc-ping.com/" + uuid4(),
        ["15 * * * * /opt/frbs/fridge-export.sh && curl -fsS -m 10 --retry 5 {v}"],
    ),
]

RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", vault_token, [MM + "pasted my vault token by mistake: {v}"]),
    ("vendor-token", uuid4, [JS + "Consul bootstrap SecretID from the install log: {v}"]),
    ("vendor-token", notify_key, [TL + "Notify live key was in the session-planner repo: {v}"]),
    ("vendor-token", lambda: "dckr_pat_" + rs(B64URL, 27), ["DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", lambda: "npm_" + rs(ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", draw.openai_key, ["OPENAI_API_KEY={v}  # session-notes summariser pilot"]),
    ("vendor-token", rancher_token, ["token: {v}\nurl: https://rancher.frbs.internal/v3"]),
    (
        "gitlab-token",
        lambda: "glpat-" + rs(ALNUM + "-_", 20),
        ["url = https://oauth2:{v}@gitlab.com/frbs/courier-app.git"],
    ),
    ("github-token", draw.gh_token, ["//npm.pkg.github.com/:_authToken={v}"]),
    ("slack-webhook", draw.slack_hook, ['"slack_url": "{v}"']),
    ("aws-key", draw.aws_secret, ["[frbs-archive]\naws_secret_access_key = {v}"]),
    (
        "password-assignment",
        password,
        [
            "| Marsh Lane | monnit-gw-2 | admin | {v} |",
            '<add key="EsendexPassword" value="{v}" />',
            "mirth.keystore.storepass = {v}",
            "the Wazuh dashboard admin password is still {v} from the install",
            "$ sshpass -p '{v}' ssh pi@10.44.7.21 'sudo systemctl restart fridge-bridge'",
            "$ htpasswd -b /etc/nginx/.htpasswd grafana '{v}'",
        ],
    ),
    (
        "password-assignment",
        junos9,
        [MM + "the RADIUS secret in the pasted Junos config is {v}, it decodes offline, rotate it"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        ["SESSIONS_DB=postgresql://planner:{v}@10.44.3.7:5432/sessions"],
    ),
    ("private-key", lambda: draw.pem_private_key("rsa", sep="\\n"), ['"mirth_ssl_key": "{v}"']),
    (
        "bearer-token",
        alnum(40),
        ["$ curl -H 'Authorization: Bearer {v}' https://donor-api.frbs.internal/v1/donors/export"],
    ),
    ("jwt", donor_jwt, ["localStorage.frbs_session = '{v}'"]),
    ("basic-auth", basic_cred, ["proxy-authorization: Basic {v}"]),
    ("generic-api-key", alnum(32), [JS + "Webfleet API key from the courier spreadsheet: {v}"]),
    ("vendor-token", uuid4, ["$ consul acl set-agent-token agent {v}"]),
    (
        "vendor-token",
        uuid4,
        ["$ nomad acl bootstrap\nAccessor ID  = {uuid}\nSecret ID    = {v}\nName         = Bootstrap Token"],
    ),
    (
        "vendor-token",
        vault_token,
        ['$ curl -H "X-Vault-Token: {v}" https://vault-1.frbs.internal:8200/v1/secret/data/lims/mirth'],
    ),
    (
        "vendor-token",
        fcm_key,
        ['$ curl -X POST -H "Authorization: key={v}" https://fcm.googleapis.com/fcm/send -d @reminder.json'],
    ),
    (
        "password-assignment",
        password,
        [
            "$ mongosh 'mongodb+srv://frbs-sessions.k2x7q.mongodb.net/planner' --username sessions --password '{v}'",
            "<users>\n  <analytics>\n    <password>{v}</password>\n  </analytics>\n</users>",
        ],
    ),
    (
        "generic-api-key",
        hex_n(40),
        ["$ curl -H 'X-Api-Key: {v}' https://planner.frbs.internal/api/sessions/today"],
    ),
    (
        "password-in-url",
        lambda: draw.url_password(WORDS),
        ["mssql+pyodbc://prog_ro:{v}@10.44.3.40/Progesa?driver=ODBC+Driver+18+for+SQL+Server"],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://frbsdonorexports.blob.core.windows.net/exports/donors.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2027-03-10T00:00:00Z&sig={v}"
        ],
    ),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            DONORS + "D0381127,Marit Holmgren,O neg,{v},,,",
            JS + "donor asks for her results letter to go to {v}",
            "{ts} INFO donor-api appointment confirmation sent to {v}",
            "INSERT INTO donors (name, email) VALUES ('Tadhg Brannagh', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            DONORS + "D0381128,Ysolde Fairweather,A pos,,{v},,",
            JS + "donor rang from {v}: felt faint after leaving {site}",
            "{ts} INFO session-planner sms reminder to={v}",
            "| Kwabena Okonkwo-Hale | blood-bike rider | {v} |",
            'next_of_kin:\n  name: Sunniva Pennefather\n  phone: "{v}"',
        ],
    ),
    (
        "credit-card",
        card,
        [
            "{ts} WARN fundraising-shop card declined pan={v}",
            JS + "supporter read out card {v} on the donations line",
            "donations=# SELECT pan FROM gift_aid_import WHERE row = 41;\n pan\n-----\n {v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} donor-api WARN 40 failed logins for donor D0217764 from {v}",
            '{"event":"portal_login","client_ip":"{v}","mfa":"skipped"}',
            "sshd[2231]: Invalid user oracle from {v} port 51822",
            "{ts} vpn-1 AnyConnect session established peer={v} user=van-7",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '{v} - - [09/Mar/2027:06:41:12 +0000] "GET /v1/sessions?near=HX1 HTTP/2.0" 200',
            "X-Forwarded-For: {v}",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [DONORS + "D0381129,Padraig Kowalczyk,B neg,,,,{v}"]),
    ("iban", lambda: draw.iban("DE"), [JS + "reimburse the donor's travel to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [DONORS + "D0381130,Zdenka Fairweather,AB pos,,,{v},"]),
    ("national-id", ssn, ["| Oluwaseun Brannagh | visiting apheresis nurse (US) | SSN {v} | agency file |"]),
    (
        "iban",
        lambda: draw.iban("GB"),
        ['{"payee":"Marit Okonkwo-Hale","iban":"{v}","ref":"donor travel expenses"}'],
    ),
    ("email", email, ["Author: Declan Holmgren <{v}>\nDate:   Tue Mar 9 06:12:44 2027 +0000"]),
    (
        "email",
        email,
        [
            "To: sessions-north@fenwold-blood.example\nBcc: {v}\nSubject: Ashby Moor donor list (do not forward)"
        ],
    ),
    ("phone", phone, [MM + "the Carrbridge lab courier's mobile is {v}"]),
    ("credit-card", card, ["Gift Aid form scan OCR: card number {v} exp 09/29"]),
    ("ipv4", public_v4, ["X-Real-IP: {v}"]),
    ("phone", phone, ["BEGIN:VCARD\nFN:Sunniva Kowalczyk\nTEL;TYPE=cell:{v}\nEND:VCARD"]),
    ("ipv6", public_v6, ["{ts} WARN donor-api password reset requested from {v}"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "issue-svc 3.8.1 (commit {v})",
            "GITHUB_SHA={v}",
            "revert {v}: crossmatch cache",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        ["fix {v} fridge alarm debounce", "harbor.frbs.internal/lims/issue-svc:{v}"],
    ),
    (
        "uuid",
        uuid4,
        [
            "Keycloak client id {v} (donor-portal)",
            "{ts} INFO issue-svc unit_request={v} RELEASED",
            "| {v} | Marsh Lane fridge 4 |",
            "X-Request-ID: {v}",
            "Notify notification {v} delivered",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "Consul AccessorID {v} (not the SecretID)",
            "Mirth channel {v} stopped",
            "Velero backup uid {v} completed",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["FROM harbor.frbs.internal/lims/issue-svc@{v}", "mirth image {v}"],
    ),
    ("hash-or-digest", hex_n(64), ["{v}  mirthconnect-4.5.0-unix.tar.gz", "root_password_sha2 = {v}"]),
    ("hash-or-digest", hex_n(40), ["X-Hub-Signature: sha1={v}", "TLS cert SHA-1 fingerprint {v}"]),
    ("hash-or-digest", hex_n(32), ['ETag: "{v}"', "md5 of donor_list.csv {v}"]),
    ("hash-or-digest", draw.bcrypt, ["# /etc/nginx/.htpasswd\ngrafana:{v}"]),
    (
        "hash-or-digest",
        draw.sha512_crypt,
        ['set system login user netops authentication encrypted-password "{v}"'],
    ),
    ("hash-or-digest", lambda: "sha512-" + rs(B64, 86) + "==", ['"integrity": "{v}",']),
    ("hash-or-digest", lambda: "SHA256:" + rs(B64, 43), ["ED25519 key fingerprint is {v}."]),
    (
        "trace-id",
        hex_n(32),
        ["traceparent: 00-{v}-" + "4f1e2d3c5b6a7980-01", "trace_id={v} span=issue.release"],
    ),
    ("trace-id", hex_n(16), ["X-B3-SpanId: {v}"]),
    ("trace-id", draw.long_trace, ["Datadog trace id {v}"]),
    ("cloud-resource-id", lambda: "frbsdonorexports.blob.core.windows.net", ["export container on {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::frbs-velero-{rs(LOW + DIG, 6)}", ["velero bucket {v}"]),
    (
        "cloud-resource-id",
        lambda: "projects/frbs-donor-app/secrets/notify-key/versions/3",
        ["gcloud secret {v} enabled"],
    ),
    ("cloud-resource-id", lambda: "/subscriptions/" + uuid4() + "/resourceGroups/frbs-rg", ["az group {v}"]),
    ("cloud-resource-id", lambda: "secret/data/lims/mirth", ["vault kv path {v}"]),
    ("placeholder", lambda: "<vault-token>", ["VAULT_TOKEN={v}"]),
    ("placeholder", lambda: "YOUR_NOTIFY_API_KEY", ["notifications_client = NotificationsAPIClient('{v}')"]),
    ("placeholder", lambda: "changeme", ["the Monnit gateway still had the factory password {v} in PM-3"]),
    ("placeholder", lambda: "********", ["KC_BOOTSTRAP_ADMIN_PASSWORD={v}"]),
    ("placeholder", lambda: "00000000-0000-0000-0000-000000000000", ["CONSUL_HTTP_TOKEN={v}  # template"]),
    ("placeholder", lambda: "<harbor-robot-secret>", ["HARBOR_ROBOT_SECRET={v}"]),
    (
        "placeholder",
        lambda: "token-xxxxx:xxxxxxxxxxxxxxxx",
        ["$ rancher login https://rancher.frbs.internal --token {v}"],
    ),
    (
        "placeholder",
        lambda: "$VAULT_TOKEN",
        ['curl -H "X-Vault-Token: {v}" https://vault-1.frbs.internal:8200/v1/sys/health'],
    ),
    ("templated-value", lambda: "${{ secrets.PROGESA_PASSWORD }}", ["          PROGESA_PASSWORD: {v}"]),
    (
        "templated-value",
        lambda: '{{ with secret "database/creds/issue" }}{{ .Data.password }}{{ end }}',
        ["spring.datasource.password={v}"],
    ),
    ("templated-value", lambda: "${MIRTH_DB_PASSWORD}", ["database.password = {v}"]),
    ("templated-value", lambda: "{{ vault_es_password }}", ['elastic_password: "{v}"']),
    ("templated-value", lambda: "$CI_COMMIT_SHORT_SHA", ["IMAGE_TAG={v}"]),
    ("templated-value", lambda: "vault:secret/data/lims/mirth#password", ["MIRTH_DB_PASSWORD={v}"]),
    ("templated-value", lambda: "((datadog-api-key))", ["api_key: {v}"]),
    ("masked-value", lambda: "***", ['Run echo "PROGESA_PASSWORD={v}" >> $GITHUB_ENV']),
    ("masked-value", lambda: "[MASKED]", ["$ export VAULT_TOKEN={v}"]),
    ("masked-value", lambda: "<redacted>", ['{"event":"kc_login","password":"{v}"}']),
    ("masked-value", lambda: "**** **** **** " + rs(DIG, 4), ["shop receipt card {v}"]),
    ("masked-value", lambda: "hvs.…" + rs(ALNUM, 4), ["vault token {v} revoked in PM-6"]),
    (
        "keyword-no-value",
        lambda: "X-Consul-Token",
        ["RB-2: send the {v} header from the agent's own ACL, never the bootstrap one"],
    ),
    (
        "keyword-no-value",
        lambda: "authd.pass",
        ["PM-3: the Wazuh {v} file was world-readable on three agents"],
    ),
    ("keyword-no-value", lambda: "password_secret", ["RB-4: Graylog's {v} must match on every node"]),
    (
        "keyword-no-value",
        lambda: "pre-shared-key",
        ["rotate the ASA {v} with the courier vans on the same night"],
    ),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["fridge sensor gateway {v}", "Mirth listener at {v}", "{ts} vpn-1 assigned {v} to van-7"],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["example peer {v} in RB-7"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        ["courier van LTE WAN {v} (carrier NAT)"],
    ),
    ("example-email", lambda: "cold-chain@fenwold-blood.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "donor@example.com", ["Notify test recipient {v}"]),
    ("example-email", lambda: "ci@fenwold-blood.example", ["Woodpecker notifier from {v}"]),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["aws_access_key_id = {v}  # velero docs example"],
    ),
    (
        "vendor-example-key",
        lambda: (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ["jwt.io's sample token {v} in the donor-api tests"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["[velero-docs]\naws_secret_access_key = {v}  # from the plugin README"],
    ),
    (
        "version-or-date",
        lambda: f"3.{rng.randint(0, 9)}.{rng.randint(0, 20)}",
        ["issue-svc {v} deployed", "donor app {v} in TestFlight"],
    ),
    ("version-or-date", lambda: "Mirth Connect 4.5.0", ["mirth-1 runs {v}"]),
    ("version-or-date", lambda: "Vault v1.17.3", ["vault-1 upgraded to {v}"]),
    (
        "public-key-or-cert",
        lambda: draw.ssh_rsa_pub(["deploy", "ci"], "ci-1"),
        ["courier deploy key (public):\n{v}"],
    ),
    (
        "public-key-or-cert",
        draw.cert_pem,
        ["$ kubectl -n lims get secret issue-tls -o jsonpath='{.data.tls\\.crt}' | base64 -d\n{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["[Peer]\nPublicKey = {v}\nEndpoint = vpn.fenwold-blood.example:51820"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["Keycloak realm frbs public key:\n{v}"]),
    (
        "public-key-or-cert",
        lambda: "pk_live_" + rs(ALNUM, 24) + rs(ALNUM, 75),
        ["const stripe = Stripe('{v}'); // fundraising shop, publishable"],
    ),
    ("ids-and-numbers", lambda: "D0" + rs(DIG, 6), ["donor {v} deferred 28 days", "donor {v} recalled"]),
    (
        "ids-and-numbers",
        lambda: "G" + rs(DIG, 12) + rng.choice(UP),
        ["ISBT 128 donation number {v} quarantined"],
    ),
    ("ids-and-numbers", lambda: rs(UP + DIG, 10), ["Monnit APIKeyID {v} (the id, not the secret)"]),
    ("ids-and-numbers", lambda: rs(DIG, 6), ["Monnit sensor {v}", "Webfleet object {v}"]),
    ("ids-and-numbers", lambda: "robot$lims+ci", ["Harbor robot account {v} (name only)"]),
    (
        "ids-and-numbers",
        lambda: "u" + rs(LOW + DIG, 29),
        ["Pushover user key {v} (recipient, not the app token)"],
    ),
    ("luhn-fail-number", luhn_bad, ["unit barcode {v} misread", "Gift Aid declaration {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(sorted(TEST_CARDS)),
        ["Stripe test donation with {v} succeeded"],
    ),
    ("base64-nonsecret", lambda: b64(b'{"fridge":4,"site":"marsh-lane"}'), ["X-FRBS-Context: {v}"]),
    ("base64-nonsecret", lambda: b64(b"issue-svc"), ["labels:\n  app.b64: {v}"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(48)), ["progesa_password: {v}"]),
    ("encrypted-value", lambda: draw.sealed(300), ["spec:\n  encryptedData:\n    password: {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["notify_api_key: {v}"]),
    (
        "hash-or-digest",
        lambda: rs(ALNUM + "./", 16),
        ["username vpnadmin password {v} encrypted privilege 15"],
    ),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG + "abcdef", 64),
        ["es_password: !vault |\n  {v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["Merge branch 'pm-3-fridge-debounce' into main ({v})"]),
    ("uuid", uuid4, ["Argo CD application uid {v}", "Nomad allocation {v}"]),
    ("hash-or-digest", lambda: "$2a$12$" + rs(CRYPT, 53), ["grafana user row password column {v}"]),
    ("hash-or-digest", hex_n(32), ["Mirth channel export checksum {v}"]),
    ("trace-id", hex_n(32), ["New Relic trace {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/velero", ["access key belongs to {v}"]),
    ("cloud-resource-id", lambda: "lims/issue-svc-7c9d5b8f4-x2k8q", ["pod {v} OOMKilled"]),
    ("placeholder", lambda: "<DD_APP_KEY>", ["DD-APPLICATION-KEY: {v}"]),
    ("placeholder", lambda: "hvs.XXXXXXXXXXXXXXXXXXXXXXXX", ["VAULT_TOKEN={v}"]),
    (
        "templated-value",
        lambda: "secretKeyRef",
        ["        valueFrom:\n          {v}:\n            name: progesa-ro\n            key: password"],
    ),
    ("templated-value", lambda: "{{ .Values.newrelic.licenseKey }}", ["NEW_RELIC_LICENSE_KEY: {v}"]),
    ("masked-value", lambda: "NRAK-…" + rs(UP + DIG, 4), ["New Relic key {v} revoked"]),
    (
        "keyword-no-value",
        lambda: "NOTIFY_API_KEY",
        ["ADR-8: {v} lives in Secret Manager, never in the app bundle"],
    ),
    (
        "keyword-no-value",
        lambda: "--password-stdin",
        ["use {v} so the robot secret stays out of shell history"],
    ),
    ("private-or-reserved-ip", lambda: f"fd00:44::{rng.randint(1, 99)}", ["cold-chain VLAN ULA {v}"]),
    ("version-or-date", lambda: "Keycloak 26.0.7", ["sso upgraded to {v}"]),
    ("ids-and-numbers", lambda: "PM-" + rs(DIG, 2), ["see {v} for the fridge timeline"]),
    ("ids-and-numbers", lambda: "EX0" + rs(DIG, 6), ["Esendex account reference {v}"]),
    ("luhn-fail-number", luhn_bad, ["donor card barcode {v} rejected"]),
    ("base64-nonsecret", lambda: b64(b"fridge-bridge:ok"), ["heartbeat {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " deploy@ci-1",
        ["known_hosts entry:\n{v}"],
    ),
    ("public-key-or-cert", draw.ec_pub_pem, ["Notify callback signing public key\n{v}"]),
    ("example-email", lambda: "noreply@mail.fenwold-blood.example", ["From: {v}"]),
    ("vendor-example-key", lambda: "AKIAI44QH8DHBEXAMPLE", ["MinIO gateway guide example key {v}"]),
    ("encrypted-value", lambda: "AQICAHh" + b64(draw.rbytes(110)), ["KMS CiphertextBlob: {v}"]),
    (
        "documented-test-card",
        lambda: "4000 0000 0000 0002",
        ["insufficient-funds test card {v} in the shop suite"],
    ),
    ("luhn-fail-number", luhn_bad, ["courier job ticket {v} duplicated"]),
    ("version-or-date", lambda: "2027-03-09T06:40:00Z", ["fridge 4 first above 6C at {v}"]),
    ("ids-and-numbers", lambda: "FRBS-" + rs(DIG, 5), ["JSM {v} resolved"]),
    ("hash-or-digest", hex_n(64), ["version https://git-lfs.github.com/spec/v1\noid sha256:{v}\nsize 88210"]),
    ("uuid", uuid4, ["Esendex message id {v} delivered"]),
    ("cloud-resource-id", lambda: "frbs-sessions.k2x7q.mongodb.net", ["Atlas cluster {v}"]),
    ("masked-value", lambda: "sk_live_…" + rs(ALNUM, 4), ["Stripe key {v} rolled"]),
    ("templated-value", lambda: "var.consul_token", ['provider "consul" {\n  token = {v}\n}']),
    ("keyword-no-value", lambda: "Unseal Key", ["RB-2: each {v} share is held by a different duty manager"]),
    ("ids-and-numbers", lambda: "6QDJ7T4WZ2", ["Monnit API key id {v} stays in the README"]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -s http://{v}/latest/meta-data/iam/security-credentials/velero-node"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        ["Stripe docs key {v} in the shop README"],
    ),
    ("public-key-or-cert", lambda: "phc_" + rs(ALNUM, 43), ["posthog.init('{v}') // project key, public"]),
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
    r"|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|hvs\.CAES|token-[a-z0-9]{5}:[a-z0-9]{20}|frbs_live-|:APA91b"
    r"|PMAK-|NRAK-[A-Z0-9]{10}|NRAL\b|sntryu_|dop_v1_|dckr_pat_|npm_[A-Za-z0-9]{30}|sk-proj-|ATATT3|\.atlasv1\.|SG\.[\w-]{20}"
    r"|formatted_webhook/[A-Za-z0-9]{10}|discord\.com/api/webhooks/\d|hc-ping\.com/[0-9a-f]{8}|AC[0-9a-f]{32}"
    r"|\$9\$[A-Za-z0-9./-]{20}(?!\$)|BEGIN OpenVPN Static key"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|AccountKey=[A-Za-z0-9+/]{20}"
    r"|(?:password|secret|key) [07] [0-9A-Fa-f]{6}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|(?i:Bearer) [A-Za-z0-9._-]{20}|(?i:token) [A-Za-z0-9]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|psk|privatekey)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?(?!plaintext )[A-Za-z0-9+/_.][A-Za-z0-9+/_.-]{11,}"
)

OK_MAIL_54 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_54,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t54", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
