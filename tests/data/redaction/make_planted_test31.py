# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test31.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test31.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270131)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a regional public-transport ticketing operator called Marrowgate Transit:
PM-4102 the fare-gate validator fleet outage (Go gateway, MQTT broker, AWS IoT, Mapbox), PM-4109 the
mobile ticket app's push and SMS notices (Firebase, Twilio, SendGrid, Expo), PM-4115 card data in the
payment gateway's logs (Stripe, Adyen), RB-77 database credential rotation (PostgreSQL, MySQL, Redis,
MongoDB, RabbitMQ), RB-80 the Jenkins to GitLab CI move (GitLab, GitHub, Artifactory, Jenkins, Docker),
ADR-112 the observability vendor (Datadog, New Relic, Grafana Cloud, PagerDuty, Slack, Teams),
ADR-118 cloud accounts (AWS, Azure, GCP, Vault) and PM-4127 a customer-support export (Freshdesk
tickets, refunds, call notes). Common shapes come first in each kind (``t31p…``/``t31n…``).
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
OUT = HERE / "planted_test31.jsonl"
FOLD = "test31"
rng = Random(20270131)
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

WORDS = [
    "tramline",
    "platform",
    "turnstile",
    "viaduct",
    "junction",
    "shuttle",
    "depot",
    "signal",
    "ferry",
    "tunnel",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A database password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["validator", "gate-sync", "jenkins", "fares-api", "export-bot"], WORDS)


def jwt_of(head: dict, body: dict, sig_len: int) -> str:
    enc = partial(json.dumps, separators=(",", ":"))
    return b64url(enc(head).encode()) + "." + b64url(enc(body).encode()) + "." + rs(B64URL, sig_len)


def rider_jwt() -> str:
    body = {
        "sub": f"rider:{rng.randint(100000, 999999)}",
        "scope": "tickets",
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return jwt_of({"alg": "HS256", "typ": "JWT"}, body, 43)


def gate_jwt() -> str:
    body = {
        "iss": "https://auth.marrowgate.example",
        "sub": f"validator-{rng.randint(1000, 9999)}",
        "aud": "fare-gateway",
    }
    return jwt_of({"alg": "RS256", "kid": rs(B64URL, 22)}, body, 342)


# ---------------------------------------------------------------------------- vendor shapes
def mapbox_sk() -> str:
    head = b64url(
        json.dumps({"u": "marrowgate-transit", "a": rs(LOW + DIG, 25)}, separators=(",", ":")).encode()
    )
    return "sk." + head + "." + rs(B64URL, 22)


def fcm_server_key() -> str:
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def expo_token() -> str:
    return rs(B64URL, 40)


def twilio_auth() -> str:
    return rs(HEX, 32)


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def adyen_key() -> str:
    return "AQE" + rs(B64URL, 10) + "+" + rs(B64URL, 60) + "=-" + rs(B64URL, 44) + "=-" + rs(ALNUM, 12)


def artifactory_key() -> str:
    return "AKCp8" + rs(ALNUM, 68)


def jenkins_token() -> str:
    return "11" + rs(HEX, 32)


def dd_api() -> str:
    return rs(HEX, 32)


def dd_app() -> str:
    return rs(HEX, 40)


def newrelic_key() -> str:
    return rng.choice(["NRAK-", "NRAK-", "NRII-"]) + rs(UP + DIG, 27)


def grafana_sa() -> str:
    return "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8)


def grafana_cloud() -> str:
    return "glc_" + b64(
        json.dumps(
            {
                "o": str(rng.randint(100000, 999999)),
                "n": "mg-alloy",
                "k": rs(ALNUM, 24),
                "m": {"r": "prod-eu-west-2"},
            },
            separators=(",", ":"),
        ).encode()
    )


def pagerduty_key() -> str:
    return rs(ALNUM[:52] + "+-_", 20)


def vault_token() -> str:
    return "hvs." + rs(ALNUM, 24) if rng.random() < 0.6 else "hvs.CAESI" + rs(B64URL, 86)


def linear_key() -> str:
    return "lin_api_" + rs(ALNUM, 40)


def teams_hook() -> str:
    return f"https://marrowgate.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}/V2{rs(B64URL, 40)}"


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIza{rs(B64URL, 35)}&token={rs(B64URL, 43)}"


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def session_cookie() -> str:
    return "s%3A" + rs(B64URL, 32) + "." + rs(B64URL, 43)


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = [
    "ottilie",
    "barnaby",
    "leocadia",
    "ignatius",
    "morwenna",
    "thaddeus",
    "rosalind",
    "cyprian",
    "philippa",
    "ambrose",
]
LAST = ["pemberton", "quarrie", "stilwell", "ravensworth", "tiverton", "marchbank", "oakhurst", "wetherall"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "icloud.com",
    "proton.me",
    "hotmail.com",
    "gmx.at",
    "live.ie",
]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["fare-gateway", "validator-sync", "ticket-app-api", "pay-bridge", "journey-planner", "notify"]
STAFF = ["ysolde", "corin", "mabyn", "tobiah", "femke", "arvo", "lisette", "dacre"]
HOSTS = ["gw-north-2", "ci-runner-07", "pg-fares-1", "mq-broker-1", "bastion-mg", "redis-tix-1"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "tkt": lambda: str(rng.randint(70_000, 79_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
    "dep": lambda: rng.choice(["north", "riverside", "eastgate", "harbour"]),
}

CHAT = "| {t} | #ops-incident | {who}: "
SLACKP = "[{t}] {who}: "
FD = "Freshdesk #{tkt} (private note by {who}): "
DOTENV = "# {svc}/.env (committed in a7c31e0, PM-4102)\n"
GOTRACE = "panic: dial mqtt: connection refused\n\ngoroutine 1 [running]:\nmain.connect(...)\n\t/src/validator-sync/main.go:88\n"
JTRACE = "org.springframework.beans.factory.BeanCreationException: Error creating bean 'dataSource'\n\tat o.s.b.f.s.AbstractAutowireCapableBeanFactory.doCreateBean(AbstractAutowireCapableBeanFactory.java:628)\nCaused by: "
CI = "$ ./gradlew publish  # job #{num} on ci-runner-07\n"
GLCI = "# .gitlab-ci.yml (fares-monorepo)\nvariables:\n"
K8S = "# deploy/{svc}/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-creds\ntype: Opaque\ndata:\n"
PAYLOG = "{ts} INFO pay-bridge "
GATELOG = "{ts} gw-north-2 fare-gateway "
CSV = "ticket_id,rider_name,email,phone,ip,card,iban\n"
CALL = "Call notes (PM-4127), agent {who}: "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws configure set aws_access_key_id {v} --profile validator-fleet",
            "[validator-fleet]\naws_access_key_id = {v}\nregion = eu-west-2",
            "$ docker run --rm -e AWS_ACCESS_KEY_ID={v} -e AWS_REGION=eu-west-2 mg/iot-provisioner:2.4",
            CHAT + "CloudTrail shows {v} calling iot:CreateKeysAndCertificate from the old depot PC",
            '<property name="aws.accessKeyId" value="{v}"/>',
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[validator-fleet]\naws_secret_access_key = {v}",
            "$ export AWS_SECRET_ACCESS_KEY={v}\n$ aws iot list-things --max-items 5",
            '  iot_provisioner:\n    secret_access_key: "{v}"',
            'provider "aws" {\n  region     = "eu-west-2"\n  secret_key = "{v}"\n}',
            "aws.secretKey={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "$ az login --service-principal -u {uuid} -p {v} --tenant {uuid}",
            'ARM_CLIENT_SECRET="{v}"',
            '  "clientSecret": "{v}",\n  "subscriptionId": "{uuid}"',
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=mgjourneyarchive;AccountKey={v};EndpointSuffix=core.windows.net",
            "$ az storage blob list --account-name mgjourneyarchive --account-key {v} -c exports",
        ],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://mgjourneyarchive.blob.core.windows.net/exports/riders.csv?sv=2024-08-04&ss=b&srt=o&sp=r&se=2026-12-01T00:00:00Z&sig={v}",
        ],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        [
            '<meta-data android:name="com.google.android.geo.API_KEY" android:value="{v}"/>',
            "$ curl 'https://maps.googleapis.com/maps/api/directions/json?origin=Eastgate&destination=Harbour&key={v}'",
            "GOOGLE_MAPS_SERVER_KEY={v}",
        ],
    ),
    (
        "gcp-key",
        draw.gcp_oauth_secret,
        [
            '{"web":{"client_id":"{num}-abc.apps.googleusercontent.com","client_secret":"{v}","redirect_uris":["https://tickets.marrowgate.example/oauth"]}}',
            "spring.security.oauth2.client.registration.google.client-secret={v}",
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"mg-journey-planner","private_key_id":"'
            + "{num}"
            + '","private_key":"{v}","client_email":"planner@mg-journey-planner.iam.gserviceaccount.com"}',
            '  "private_key": "{v}",\n  "client_email": "bq-export@mg-fares.iam.gserviceaccount.com",',
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ git clone https://x-access-token:{v}@github.com/marrowgate/gtfs-feeds.git",
            "$ gh auth login --with-token <<< {v}",
            "GITHUB_TOKEN={v}",
            "//npm.pkg.github.com/:_authToken={v}",
            CHAT + "the renovate bot PAT is {v}, revoking now",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        [
            '$ curl --header "PRIVATE-TOKEN: {v}" https://gitlab.marrowgate.internal/api/v4/projects/42/pipelines',
            "$ gitlab-runner register --url https://gitlab.marrowgate.internal --token {v} --executor docker",
            GLCI + "  DEPLOY_TOKEN: {v}",
            '[[runners]]\n  name = "ci-runner-07"\n  url = "https://gitlab.marrowgate.internal"\n  token = "{v}"',
            "$ git remote set-url origin https://oauth2:{v}@gitlab.marrowgate.internal/fares/monorepo.git",
        ],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            "SLACK_BOT_TOKEN={v}",
            "$ curl -s -H 'Authorization: Bearer {v}' https://slack.com/api/chat.postMessage -d channel=C0OPSINC",
            "  slack:\n    token: {v}\n    channel: '#fare-gates'",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "      slack_configs:\n        - api_url: {v}\n          channel: '#fare-gates'",
            '$ curl -X POST -d \'{"text":"validator sync lag"}\' {v}',
            "ALERT_WEBHOOK={v}",
        ],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        [
            "STRIPE_SECRET_KEY={v}",
            "$ curl https://api.stripe.com/v1/refunds -u {v}: -d charge=ch_3Pq -d amount=450",
            "stripe:\n  api-key: {v}\n  webhook-path: /hooks/stripe",
            'Stripe.apiKey = "{v}";',
        ],
    ),
    (
        "stripe-key",
        draw.stripe_whsec,
        [
            "STRIPE_WEBHOOK_SECRET={v}",
            "$ stripe listen --forward-to localhost:8080/hooks/stripe\n> Ready! Your webhook signing secret is {v} (^C to quit)",
        ],
    ),
    (
        "jwt",
        rider_jwt,
        [
            "$ http GET https://api.marrowgate.example/v2/tickets 'Authorization:Bearer {v}'",
            PAYLOG + "tap-in rejected rider_token={v} reason=expired",
            "Cookie: mg_rider={v}; lang=en",
        ],
    ),
    (
        "jwt",
        gate_jwt,
        [
            GATELOG + 'auth header="Bearer {v}" status=401',
            '{"validator":"V-2231","assertion":"{v}"}',
        ],
    ),
    (
        "private-key",
        draw.pk("rsa"),
        [
            "# validator-sync mTLS client key (pasted in #ops-incident)\n{v}",
            "$ cat /etc/mosquitto/certs/broker.key\n{v}",
        ],
    ),
    (
        "private-key",
        draw.pk("ec", "    "),
        [
            "# helm values for mq-broker\ntls:\n  key: |\n    {v}",
        ],
    ),
    (
        "private-key",
        draw.pk("ssh"),
        [
            "# deploy key for gtfs-feeds (RB-80 appendix)\n{v}",
        ],
    ),
    (
        "private-key",
        draw.pk("pkcs8"),
        [
            "$ kubectl -n fares get secret gateway-tls -o jsonpath='{.data.tls\\.key}' | base64 -d\n{v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "DATABASE_URL=postgres://fares_app:{v}@pg-fares-1.marrowgate.internal:5432/fares",
            "$ psql 'postgresql://readonly:{v}@{pip}:5432/journeys?sslmode=require'",
            "spring.rabbitmq.addresses=amqp://gates:{v}@mq-broker-1:5672/validators",
            "$ mongosh 'mongodb+srv://planner:{v}@journeys.mg-cluster.mongodb.net/planner'",
            "REDIS_URL=redis://:{v}@redis-tix-1:6379/0",
            "$ mysql --uri 'mysql://refunds:{v}@{pip}:3306/refunds'",
            "smtp_url: smtp://notify:{v}@smtp.marrowgate.internal:587",
            'url = "https://deployer:{v}@artifactory.marrowgate.internal/artifactory/libs-release"',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "POSTGRES_PASSWORD={v}",
            "spring.datasource.password={v}",
            '  mqtt:\n    username: gate-sync\n    password: "{v}"',
            '<Resource name="jdbc/fares" username="fares_app" password="{v}" driverClassName="org.postgresql.Driver"/>',
            "[client]\nuser = refunds\npassword = {v}",
            'db_password = "{v}"',
            '{"broker":"mq-broker-1","user":"gate-sync","pass":"{v}"}',
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ PGPASSWORD={v} psql -h pg-fares-1 -U fares_app fares",
            "$ redis-cli -h redis-tix-1 -a {v} --no-auth-warning INFO replication",
            "$ mongo --host {pip} -u planner -p {v} --authenticationDatabase admin",
            "$ docker run -d -e MYSQL_ROOT_PASSWORD={v} mysql:8.4",
            "$ kubectl -n fares create secret generic pg-creds --from-literal=password={v}",
            "$ java -Dspring.datasource.password={v} -jar pay-bridge.jar",
            '    cfg.Password = "{v}" // TODO move to Vault (RB-77)',
            "ALTER USER fares_app WITH PASSWORD '{v}';",
            "$ mysql -h {pip} -u refunds -p{v} refunds",
            "requirepass {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            "$ curl -H 'Authorization: Basic {v}' https://jenkins.marrowgate.internal/job/fares/build",
            '{"auths":{"registry.marrowgate.internal":{"auth":"{v}"}}}',
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u jenkins:{v} https://jenkins.marrowgate.internal/crumbIssuer/api/json",
            "$ http -a gate-sync:{v} POST https://gw-north-2.marrowgate.internal/admin/resync",
        ],
    ),
    (
        "bearer-token",
        opaque(48),
        [
            "Authorization: Bearer {v}",
            '$ curl -H "Authorization: Bearer {v}" https://api.opsgenie.com/v2/alerts',
        ],
    ),
    (
        "vendor-token",
        draw.sendgrid_key,
        [
            "SENDGRID_API_KEY={v}",
            "  sendgrid:\n    api_key: {v}",
        ],
    ),
    (
        "vendor-token",
        twilio_sk,
        [
            "TWILIO_API_KEY={v}",
            "$ twilio api:core:messages:create --from +15005550006 --to $RIDER --body 'code' --api-key {v}",
        ],
    ),
    (
        "vendor-token",
        dd_api,
        [
            "DD_API_KEY={v}",
            "$ docker run -d -e DD_API_KEY={v} -e DD_SITE=datadoghq.eu gcr.io/datadoghq/agent:7",
            '  datadog:\n    apiKey: "{v}"',
        ],
    ),
    (
        "vendor-token",
        dd_app,
        [
            "$ curl -H 'DD-APPLICATION-KEY: {v}' https://api.datadoghq.eu/api/v1/monitor",
        ],
    ),
    (
        "vendor-token",
        newrelic_key,
        [
            "NEW_RELIC_API_KEY={v}",
            "$ curl -H 'Api-Key: {v}' https://api.eu.newrelic.com/graphql -d @query.json",
        ],
    ),
    (
        "vendor-token",
        grafana_sa,
        [
            "GRAFANA_TOKEN={v}",
            "$ curl -H 'Authorization: Bearer {v}' https://marrowgate.grafana.net/api/dashboards/uid/gates",
        ],
    ),
    (
        "vendor-token",
        grafana_cloud,
        [
            '// config.alloy\nprometheus.remote_write "cloud" {\n  endpoint {\n    basic_auth { password = "{v}" }\n  }\n}',
        ],
    ),
    (
        "vendor-token",
        mapbox_sk,
        [
            "MAPBOX_SECRET_TOKEN={v}",
            "$ curl 'https://api.mapbox.com/tokens/v2/marrowgate-transit?access_token={v}'",
        ],
    ),
    (
        "vendor-token",
        fcm_server_key,
        [
            "$ curl -H 'Authorization: key={v}' https://fcm.googleapis.com/fcm/send -d @push.json",
            "fcm.server-key={v}",
        ],
    ),
    (
        "vendor-token",
        artifactory_key,
        [
            "$ curl -H 'X-JFrog-Art-Api: {v}' https://artifactory.marrowgate.internal/artifactory/api/repositories",
            "artifactory_password={v}",
        ],
    ),
    (
        "vendor-token",
        jenkins_token,
        [
            "$ java -jar jenkins-cli.jar -s https://jenkins.marrowgate.internal -auth admin:{v} list-jobs",
        ],
    ),
    (
        "vendor-token",
        vault_token,
        [
            "$ export VAULT_TOKEN={v}\n$ vault kv get secret/fares/pg",
            "$ vault login {v}",
        ],
    ),
    (
        "vendor-token",
        draw.tf_cloud_token,
        [
            '# ~/.terraformrc\ncredentials "app.terraform.io" {\n  token = "{v}"\n}',
        ],
    ),
    (
        "vendor-token",
        draw.atlassian_token,
        [
            "JIRA_API_TOKEN={v}",
        ],
    ),
    (
        "vendor-token",
        adyen_key,
        [
            "ADYEN_API_KEY={v}",
            '$ curl https://checkout-test.adyen.com/v71/payments -H "X-API-Key: {v}" -d @payment.json',
        ],
    ),
    (
        "vendor-token",
        twilio_auth,
        [
            "TWILIO_AUTH_TOKEN={v}",
            "twilio:\n  account_sid: AC{num}\n  auth_token: {v}",
        ],
    ),
    (
        "generic-api-key",
        opaque(32),
        [
            "JOURNEY_PLANNER_API_KEY={v}",
            "$ curl -H 'x-api-key: {v}' https://api.marrowgate.example/v2/departures?stop=EG01",
            "  algolia:\n    admin_api_key: {v}",
            "[gtfs-rt]\napi_key = {v}",
        ],
    ),
    (
        "generic-api-key",
        session_cookie,
        [
            "Cookie: connect.sid={v}; mg_consent=1",
            "Set-Cookie: connect.sid={v}; Path=/; HttpOnly; Secure",
        ],
    ),
    (
        "webhook-url",
        teams_hook,
        [
            "TEAMS_WEBHOOK_URL={v}",
        ],
    ),
    (
        "webhook-url",
        gchat_hook,
        [
            "  notifier:\n    google_chat: {v}",
        ],
    ),
    (
        "webhook-url",
        draw.discord_hook,
        [
            "DISCORD_STATUS_WEBHOOK={v}",
        ],
    ),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            K8S + "  password: {v}",
            K8S + "  MQTT_PASSWORD: {v}",
        ],
    ),
]


def common_secrets() -> list[tuple[str, str, str]]:
    return expand(COMMON_SECRETS)


# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [GOTRACE + "\t/src/validator-sync/aws.go:31 creds=StaticProvider{{AccessKeyID:{v}}}"],
    ),
    (
        "aws-key",
        draw.aws_secret,
        ["| 2026-10-14 07:52 | {who} pasted the IoT provisioner secret `{v}` into the incident doc |"],
    ),
    (
        "password-in-url",
        password,
        [
            JTRACE
            + "org.postgresql.util.PSQLException: FATAL: login rejected for jdbc:postgresql://fares_app:{v}@pg-fares-1:5432/fares"
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "mqtts://gate-sync:{v}@mq-broker-1.marrowgate.internal:8883",
            CHAT + "broker url is amqps://ops:{v}@mq-broker-1:5671 for the replay",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            '<connectionStrings>\n  <add name="Refunds" connectionString="Server={pip};Database=refunds;User Id=sa;Password={v};"/>\n</connectionStrings>',
            "[mysqld_exporter]\nuser=exporter\npassword={v}",
            "SELECT pg_reload_conf(); -- after: ALTER ROLE journeys_ro PASSWORD '{v}'",
            '> db.createUser({ user: "planner", pwd: "{v}", roles: ["readWrite"] })',
            'variable "db_password" {\n  default = "{v}"\n}',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-77 step 4 | rotate `pay-bridge` DB user | new password: {v} |",
            "mosquitto_pub -h mq-broker-1 -u gate-sync -P {v} -t gates/north/cmd -m resync",
            "redis.conf.bak line 1042: masterauth {v}",
            'psycopg2.OperationalError: connection to server at "{pip}", port 5432 failed: FATAL:  login rejected for user "planner" (password={v})',
            'os.environ["MQTT_PASS"] = "{v}"',
            "const pool = new Pool({ host: 'pg-fares-1', user: 'notify', password: '{v}' });",
        ],
    ),
    (
        "jwt",
        rider_jwt,
        ["E/TicketApi: 401 for GET /v2/wallet, token={v}", "localStorage.setItem('mg_token', '{v}')"],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "remote: Invalid username or password.\nfatal: Authentication failed for 'https://marrowgate-ci:{v}@github.com/marrowgate/gtfs-feeds.git/'"
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        [SLACKP + "used {v} for the one-off mirror push, will rotate after RB-80"],
    ),
    ("slack-token", draw.slack_token, ["slack_sdk.errors.SlackApiError: invalid_auth (token={v})"]),
    (
        "stripe-key",
        draw.stripe_key,
        [FD + "rider forwarded our old receipt; the footer leaked {v} from the template engine"],
    ),
    (
        "vendor-token",
        pagerduty_key,
        ["$ curl -H 'Authorization: Token token={v}' https://api.pagerduty.com/incidents"],
    ),
    ("vendor-token", linear_key, ["LINEAR_API_KEY={v}"]),
    ("vendor-token", expo_token, ["$ EXPO_TOKEN={v} eas build --platform android --profile production"]),
    ("vendor-token", draw.heroku_key, ["$ heroku config:set -a mg-status-page HEROKU_API_KEY={v}"]),
    (
        "vendor-token",
        draw.openai_key,
        ['# journey-planner/notebooks/summarise_delays.ipynb\nclient = OpenAI(api_key="{v}")'],
    ),
    (
        "vendor-token",
        twilio_auth,
        [
            "$ curl -X POST https://api.twilio.com/2010-04-01/Accounts/AC{num}/Messages.json -u AC{num}:{v} --data-urlencode 'Body=Your ticket'"
        ],
    ),
    (
        "vendor-token",
        dd_api,
        ["{ts} ERROR datadog.trace_agent: API key {v} rejected (403) for site datadoghq.eu"],
    ),
    ("private-key", draw.pk("rsa"), ["-- SELECT key_pem FROM validator_keys WHERE id = 'V-2231';\n{v}"]),
    (
        "generic-api-key",
        opaque(40),
        ["{ts} DEBUG journey-planner outbound GET https://api.tfl.example/StopPoint?app_key={v}"],
    ),
    (
        "basic-auth",
        basic_cred,
        ['127.0.0.1 - - [14/Oct/2026:07:51:33 +0000] "POST /gates/sync HTTP/1.1" 200 - auth="Basic {v}"'],
    ),
    ("bearer-token", opaque(64), ["{ts} WARN notify retrying push, headers={'Authorization': 'Bearer {v}'}"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        ["$ kubectl -n fares get secret pb-db -o yaml | grep password\n  password: {v}"],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            "Endpoint=sb://mg-gates.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}"
        ],
    ),
    ("webhook-url", draw.slack_hook, [SLACKP + "posting the alert hook here so it's in the timeline: {v}"]),
]


def rare_secrets() -> list[tuple[str, str, str]]:
    return expand(RARE_SECRETS)


# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            CSV + "{tkt},Ottilie Pemberton,{v},,,,",
            FD + "rider {v} was charged twice at Eastgate",
            PAYLOG + "receipt sent to={v} fare=2.40",
            "{ts} INFO notify sendgrid accepted to={v} template=ticket-receipt",
            CALL + "caller asked us to reply to {v} instead of the app address",
        ],
    ),
    (
        "phone",
        phone,
        [
            CSV + "{tkt},Barnaby Quarrie,,{v},,,",
            FD + "callback requested on {v}",
            "{ts} INFO notify twilio queued to={v} body=ticket-code",
            CALL + "rider gave {v} as a daytime number",
            "{ts} WARN ticket-app-api otp attempts exceeded msisdn={v}",
        ],
    ),
    (
        "credit-card",
        card,
        [
            CSV + "{tkt},Leocadia Stilwell,,,,{v},",
            PAYLOG + "adyen refusal pan={v} reason=Refused",
            CALL + "rider read out the card number {v} on the phone",
            FD + "rider pasted {v} into the web form",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            GATELOG + "validator V-2231 uplink from {v}:40112 (LTE)",
            CSV + "{tkt},Ignatius Ravensworth,,,{v},,",
            '{v} - - [14/Oct/2026:08:02:11 +0000] "POST /v2/tickets/buy HTTP/2.0" 402 55',
            "{ts} WARN ticket-app-api too many logins client_ip={v}",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            "{ts} WARN ticket-app-api too many logins client_ip={v}",
            GATELOG + "validator V-4410 uplink from [{v}]:40200",
        ],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("email", email, ['{"rider":{"id":58213,"email":"{v}","concession":"senior"},"product":"week-pass"}']),
    ("phone", phone, ["SMS delivery report: To={v} Status=undelivered ErrorCode=30003"]),
    (
        "credit-card",
        card,
        ["Sentry: KeyError 'cvc' in pay_bridge/adyen.py:141\n  locals: {'card': '{v}', 'expiry': '08/29'}"],
    ),
    ("national-id", nino, [FD + "concession form: rider wrote NI number {v} in the notes"]),
    ("national-id", ssn, [CALL + "US visitor read out SSN {v} for the refund, told them not to"]),
    ("iban", lambda: draw.iban("GB"), [FD + "refund the unused annual pass to {v} please"]),
    ("iban", lambda: draw.iban("DE"), [CSV + "{tkt},Morwenna Tiverton,,,,,{v}"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.40.2.17\n(from the pay-bridge request dump, PM-4115)"]),
    ("email", email, ["| {t} | #rider-support | {who}: escalating, rider {v} says the week pass vanished |"]),
    ("phone", phone, ["INSERT INTO callbacks (ticket_id, msisdn) VALUES ({tkt}, '{v}');"]),
    ("ipv6", public_v6, ["refunds=> select last_ip from sessions where rider_id = 58213;\n {v}"]),
    ("credit-card", card, ["mysql> SELECT pan FROM refund_queue LIMIT 1;\n| {v} |"]),
    ("email", email, ["<rider><id>58213</id><email>{v}</email></rider>"]),
]


def common_personal() -> list[tuple[str, str, str]]:
    return expand(COMMON_PERSONAL)


def rare_personal() -> list[tuple[str, str, str]]:
    return expand(RARE_PERSONAL)


# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "validator-sync v3.2.0 built from {v}",
            "Merge request !{num} merged as {v} into main",
            "go: downloading git.marrowgate.internal/fares/gtfs v0.0.0-20261012093011 ({v})",
            "image label org.opencontainers.image.revision={v}",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        [
            "fixed in {v} (PM-4102 follow-up)",
            "$ git log --oneline -1\n{v} gateway: read MQTT creds from Vault",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "validator_id={v} state=offline since 07:41",
            "X-Request-Id: {v}",
            "$ az account set --subscription {v}",
            '{"refund_id":"{v}","status":"pending"}',
            "| {t} | PagerDuty incident {v} acknowledged |",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            "$ sha256sum validator-fw-5.1.3.bin\n{v}  validator-fw-5.1.3.bin",
            "h1 checksum sha256:{v}",
            "gtfs.zip sha256 {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            "image: registry.marrowgate.internal/fares/gateway@{v}",
            "$ docker pull mg/pay-bridge@{v}",
        ],
    ),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    ("hash-or-digest", lambda: rs(HEX, 32), ['ETag: "{v}"', "gtfs-static.zip md5 {v}"]),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        ["traceparent: 00-{v}-00f067aa0ba902b7-01", "trace_id={v} span=checkout"],
    ),
    ("trace-id", lambda: rs(HEX, 16), ["dd.span_id={v} dd.service=pay-bridge"]),
    ("trace-id", draw.long_trace, ["dd.trace_id={v} http.status_code=502"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iot:eu-west-2:{rs(DIG, 12)}:thing/V-{rs(DIG, 4)}",
        ['$ aws iot describe-thing --thing-name V-2231\n"thingArn": "{v}"'],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/validator-provisioner",
        ["role_arn = {v}", "AssumeRole denied for {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: "i-0" + rs(HEX, 16),
        ["$ aws ssm start-session --target {v}", "EC2 instance {v} failed status checks"],
    ),
    ("cloud-resource-id", lambda: "vpc-0" + rs(HEX, 16), ['vpc_id = "{v}"']),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-fares/providers/Microsoft.Storage/storageAccounts/mgjourneyarchive"
        ),
        ["scope: {v}"],
    ),
    (
        "placeholder",
        lambda: "<your-api-key>",
        ["JOURNEY_PLANNER_API_KEY={v}", "$ curl -H 'x-api-key: {v}' https://api.marrowgate.example/v2/stops"],
    ),
    (
        "placeholder",
        lambda: "changeme",
        ["POSTGRES_PASSWORD={v}  # dev compose only", "  mqtt:\n    password: {v}"],
    ),
    ("placeholder", lambda: "xxxxxxxxxxxxxxxx", ["SLACK_BOT_TOKEN=xoxb-{v}", "DD_API_KEY={v}"]),
    ("placeholder", lambda: "REPLACE_ME", ["stripe.api-key: {v}", "ADYEN_API_KEY={v}"]),
    ("placeholder", lambda: "postgres://user:password@localhost:5432/fares", ["# README: DATABASE_URL={v}"]),
    (
        "templated-value",
        lambda: "${MQTT_PASSWORD}",
        ["  mqtt:\n    password: {v}", "$ mosquitto_sub -u gate-sync -P {v} -t gates/#"],
    ),
    ("templated-value", lambda: "{{ .Values.pg.password }}", ["  password: {v}"]),
    ("templated-value", lambda: "$(vault kv get -field=token secret/ci/gitlab)", ["export GITLAB_TOKEN={v}"]),
    ("templated-value", lambda: "${{ secrets.DD_API_KEY }}", ["        DD_API_KEY: {v}"]),
    (
        "templated-value",
        lambda: "$CI_JOB_TOKEN",
        ["$ docker login -u gitlab-ci-token -p {v} registry.marrowgate.internal"],
    ),
    (
        "masked-value",
        lambda: "[MASKED]",
        [
            '$ curl -H "PRIVATE-TOKEN: {v}" https://gitlab.marrowgate.internal/api/v4/projects',
            "DEPLOY_TOKEN={v}",
        ],
    ),
    (
        "masked-value",
        lambda: "****",
        ["spring.datasource.password={v}", "Datadog agent status: API key ending in {v}"],
    ),
    ("masked-value", lambda: "sk_live_…x9Qa", ["Stripe dashboard lists the rolled key as {v}"]),
    (
        "keyword-no-value",
        lambda: "AWS_SECRET_ACCESS_KEY",
        ["The provisioner now reads {v} from the instance role, not the env."],
    ),
    (
        "keyword-no-value",
        lambda: "password",
        [
            "RB-77: rotate the {v} of every fares_* role, then restart pay-bridge.",
            'psql: error: FATAL: {v} auth failed for user "fares_app"',
        ],
    ),
    (
        "keyword-no-value",
        lambda: "client_secret",
        ["Error: invalid_client ({v} expired) from login.microsoftonline.com"],
    ),
    ("keyword-no-value", lambda: "requirepass", ["redis-tix-1 had no {v} set until RB-77 step 6."]),
    (
        "private-or-reserved-ip",
        priv_ip,
        [
            "$ redis-cli -h {v} -p 6379 PING",
            "mq-broker-1 listening on {v}:8883",
            "upstream fare_gateway { server {v}:8080; }",
        ],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["validator test bench NATs through {v}"]),
    (
        "private-or-reserved-ip",
        lambda: f"100.{rng.randint(64, 127)}.7.21",
        ["LTE CGNAT address {v} seen from V-2231"],
    ),
    (
        "example-email",
        lambda: f"{rng.choice(STAFF)}@marrowgate.example",
        ["on-call: {v}", "Reviewed-by: Corin Dacre <{v}>"],
    ),
    ("example-email", lambda: "rider@example.com", ['{"email":"{v}","product":"day-pass"}']),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["aws_access_key_id = {v}  # from the AWS docs"]),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# docs/onboarding.md (copied from the AWS CLI guide)\naws_secret_access_key = {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        ["Stripe docs sample key {v} used in the sandbox test"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}",
        ["validator firmware {v} rolled back", "pay-bridge {v} deployed to prod"],
    ),
    ("version-or-date", iso, ["first alert fired at {v}", "validator heartbeat last seen {v}"]),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " deploy@marrowgate",
        ["# authorized_keys on bastion-mg\n{v}"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["# validator firmware signing public key\n{v}"]),
    (
        "public-key-or-cert",
        lambda: draw.cert_pem(),
        ["$ openssl s_client -connect mq-broker-1:8883 -showcerts\n{v}"],
    ),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["Twilio account SID {v} (public in the console URL)"]),
    ("ids-and-numbers", lambda: "ch_" + rs(ALNUM, 24), ["refund issued for charge {v}"]),
    ("ids-and-numbers", lambda: "pi_" + rs(ALNUM, 24), ["PaymentIntent {v} succeeded after retry"]),
    ("ids-and-numbers", lambda: "V-" + rs(DIG, 4), ["validator {v} rebooted twice"]),
    ("ids-and-numbers", lambda: rs(DIG, 12), ["AWS account {v} (fares-prod)"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#fare-gates)"]),
    (
        "ids-and-numbers",
        lambda: "MG-" + rs(UP + DIG, 10),
        ["ticket reference {v} (rider-facing, printed on receipts)"],
    ),
    (
        "ids-and-numbers",
        lambda: str(rng.randint(1000000, 9999999)),
        ["GitLab pipeline {v} failed at publish", "Jenkins build {v} archived"],
    ),
    ("ids-and-numbers", lambda: rs(LOW + DIG, 20), ["Expo project id {v}"]),
    ("luhn-fail-number", luhn_bad, ["Oyster-style smartcard serial {v} blocked", "Adyen pspReference {v}"]),
    ("documented-test-card", lambda: "4111111111111111", ["QA used {v} in the Adyen test environment"]),
    ("documented-test-card", lambda: "5555 5555 5555 4444", ["sandbox checkout with {v} succeeded"]),
    ("base64-nonsecret", lambda: b64(b'{"alg":"none","route":"EG-HB"}'), ["X-Route-Hint: {v}"]),
    (
        "base64-nonsecret",
        lambda: b64(f"validator V-{rs(DIG, 4)} ok".encode()),
        ["$ kubectl get cm gate-status -o jsonpath='{.binaryData.status}'\n{v}"],
    ),
    ("encrypted-value", lambda: draw.sops_value(), ["# secrets/prod.enc.yaml\nmqtt_password: {v}"]),
    ("encrypted-value", lambda: draw.sealed(120), ["  encryptedData:\n    password: {v}"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(36)), ["pan_ciphertext={v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "hash-or-digest",
        lambda: draw.bcrypt(),
        ["refunds=> select password_hash from agents where id = 7;\n {v}"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        ['# gradle/verification-metadata.xml\n<sha1 value="{v}" origin="Generated by Gradle"/>'],
    ),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("ids-and-numbers", lambda: "AKCp" + "…", ["Artifactory key prefix {v} seen in the leak scan report"]),
    ("ids-and-numbers", draw.long_id, ["Discord guild id {v}"]),
    (
        "ids-and-numbers",
        lambda: "AKIA" + "…" + rs(UP, 4),
        ["IAM console shows the old key as {v} (inactive)"],
    ),
    ("ids-and-numbers", lambda: rs(UP + DIG, 14), ["PagerDuty service id {v}"]),
    (
        "cloud-resource-id",
        lambda: (
            f"projects/mg-journey-planner/serviceAccounts/planner@mg-journey-planner.iam.gserviceaccount.com/keys/{rs(HEX, 40)}"
        ),
        ["$ gcloud iam service-accounts keys delete {v}"],
    ),
    ("placeholder", lambda: "https://hooks.slack.com/services/XXX/YYY/ZZZ", ["      - api_url: {v}"]),
    (
        "placeholder",
        lambda: "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        ["tls.key: |\n{v}"],
    ),
    ("templated-value", lambda: "%(DB_PASSWORD)s", ["[database]\npassword = {v}"]),
    (
        "masked-value",
        lambda: "ghp_************************************",
        ["GitHub secret scanning alert for {v} (revoked)"],
    ),
    ("keyword-no-value", lambda: "X-JFrog-Art-Api", ["RB-80: drop the {v} header from every Jenkinsfile."]),
    ("version-or-date", lambda: "2010-04-01", ["Twilio REST API version {v} still in use by notify"]),
    (
        "private-or-reserved-ip",
        lambda: "169.254.169.254",
        ["$ curl -s http://{v}/latest/meta-data/iam/security-credentials/"],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["# .sops.yaml\ncreation_rules:\n  - age: {v}"],
    ),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("luhn-fail-number", luhn_bad, [CALL + "rider quoted journey id {v}"]),
    ("example-email", lambda: "noreply@notify.marrowgate.example", ["From: Marrowgate Tickets <{v}>"]),
    (
        "git-sha",
        sha40,
        ["| {t} | rollback to {v} started by {who} |", "pipeline: fares-monorepo @ {v} (tag gateway-3.2.1)"],
    ),
    ("uuid", uuid4, ["-- SELECT * FROM refunds WHERE id = '{v}';", "  <validatorId>{v}</validatorId>"]),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        ['resource "aws_lambda_function" "gtfs" {\n  source_code_hash = "{v}"\n}'],
    ),
    ("trace-id", lambda: rs(HEX, 32), ['{"level":"error","msg":"adyen timeout","trace_id":"{v}"}']),
    (
        "cloud-resource-id",
        lambda: "sg-0" + rs(HEX, 16),
        ["$ aws ec2 describe-security-groups --group-ids {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:secretsmanager:eu-west-2:{rs(DIG, 12)}:secret:fares/pg-{rs(ALNUM, 6)}",
        ["$ aws secretsmanager rotate-secret --secret-id {v}"],
    ),
    ("placeholder", lambda: "<redacted>", ["| RB-77 step 4 | rotate `notify` DB user | new password: {v} |"]),
    ("placeholder", lambda: "your_twilio_auth_token", ["TWILIO_AUTH_TOKEN={v}"]),
    ("templated-value", lambda: '{{ vault "secret/fares/adyen" "api_key" }}', ["ADYEN_API_KEY={v}"]),
    ("templated-value", lambda: "${env:MAPBOX_SECRET_TOKEN}", ["mapbox.token={v}"]),
    ("masked-value", lambda: "********", ["$ mysql -h pg-fares-1 -u refunds -p\nEnter password: {v}"]),
    (
        "keyword-no-value",
        lambda: "DD_API_KEY",
        ["ADR-112: the agent reads {v} from a Kubernetes secret mounted by the operator."],
    ),
    ("private-or-reserved-ip", lambda: "fd12:3456:789a::17", ["gateway ULA {v} on the depot LAN"]),
    ("version-or-date", lambda: "2026-10-14", ["| {v} | PM-4102 | fare gates offline 07:41-09:12 |"]),
    (
        "ids-and-numbers",
        lambda: "pk_live_" + "…",
        ["the publishable key prefix {v} is fine to ship in the app"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
        ["OAuth client id {v} (public)"],
    ),
    ("ids-and-numbers", lambda: "gid://shopify/Order/" + rs(DIG, 10), ["{v}"]),
    (
        "ids-and-numbers",
        lambda: rs(UP + DIG, 6),
        ["Adyen merchant account code MarrowgateECOM, terminal {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "pk.eyJ1IjoibWFycm93Z2F0ZS10cmFuc2l0In0." + rs(B64URL, 22),
        ["Mapbox public token (URL-restricted) {v}"],
    ),
    (
        "base64-nonsecret",
        lambda: b64(b"gates:north:ok"),
        ['$ redis-cli -h redis-tix-1 GET gate:status:b64\n"{v}"'],
    ),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO smartcards (serial) VALUES ('{v}');"]),
    (
        "documented-test-card",
        lambda: "378282246310005",
        ["Amex test number {v} used in the Stripe sandbox run"],
    ),
]


def negatives() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    return expand(NEGATIVES), expand(RARE_NEGATIVES)


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt)-[A-Za-z0-9_-]{20}|xox[bpae]-\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|GOCSPX-|whsec_|SG\.[\w-]{20}"
    r"|hv[sb]\.[A-Za-z0-9_-]{20}|\.atlasv1\.|NRAK-|NRII-|glsa_|glc_|AKCp8|lin_api_|HRKU-|ATATT|APA91b|sk\.eyJ|AQE[\w-]{8}"
    r"|sk-proj-|webhooks/\d{10}|webhookb2/|chat\.googleapis\.com/v1/spaces|SK[a-f0-9]{32}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the operator's own, not mailboxes.
OK_MAIL_31 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_31,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = (common_secrets(), common_personal(), rare_secrets(), rare_personal(), *negatives())
    write_fold(sections, fold=FOLD, id_prefix="t31", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
