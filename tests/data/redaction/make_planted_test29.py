# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test29.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test29.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270129)``, and fake; the file is byte-identical on every run. The lines come from
six made-up documents of an island ferry operator called Corrievane Ferries: PM-8801 secrets printed
by CI (GitHub Actions ``echo ${{ secrets.… }}`` logs, Buildkite, Drone, Tekton, Azure DevOps,
Bitbucket), PM-8806 GitOps repository credentials (Argo CD, Flux, Kubernetes Secrets, Helmfile,
Kustomize ``secretGenerator``, ``imagePullSecrets``), RB-44 cloud CLIs on the ops bastion (``az login``,
``gcloud auth activate-service-account``, ``aws configure set``), RB-47 the booking platform's Java and
web tier (Tomcat ``server.xml`` and ``tomcat-users.xml``, WildFly ``standalone.xml``, WebLogic
``boot.properties``, nginx and Apache ``htpasswd``, HAProxy ``userlist``, Varnish), PM-8813 database
and broker command lines (``psql``, ``PGPASSWORD``, ``mysql -p``, ``sqlcmd -P``, ``mongodump``,
``rabbitmqadmin``) and PM-8820 a passenger manifest exposure (manifest CSV, booking logs, support
mail). Keys: SSH, PuTTY ``.ppk`` and GPG private keys against ``known_hosts`` lines and public keys.
Common shapes come first in each kind (``t29p…``/``t29n…``); the summary it prints says where the
split falls.
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
    DIG,
    HEX,
    OK_MAIL,
    PHONEISH,
    UP,
    Draw,
    Gen,
    N,
    S,
    b64,
    expand_sections,
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
OUT = HERE / "planted_test29.jsonl"
FOLD = "test29"
rng = Random(20270129)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
akid, aws_secret, gh_token, gl_token, slack_token, slack_hook = (
    draw.akid,
    draw.aws_secret,
    draw.gh_token,
    draw.gl_token,
    draw.slack_token,
    draw.slack_hook,
)
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
    "ferry",
    "slipway",
    "linkspan",
    "bollard",
    "mooring",
    "ebbtide",
    "skerry",
    "capstan",
    "gangway",
    "harbour",
]

jwt = partial(
    draw.jwt,
    ["RS256", "HS256"],
    ["https://sso.corrievane.internal", "argocd", "booking-api"],
    ["svc:manifest", "user:ops-3", "system:serviceaccount:ci:deployer"],
)

password = partial(draw.password4, WORDS)

plain_pw = partial(draw.plain_password, WORDS)

basic_cred = partial(
    draw.basic_cred, ["deployer", "ci-bot", "argocd", "registry-pull", "manifest-export"], WORDS
)


# ---------------------------------------------------------------------------- national ids
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni() -> str:
    """A Spanish DNI: eight digits and the mod-23 check letter."""
    d = rs(DIG, 8)
    return d + DNI_LETTERS[int(d) % 23]


def bsn() -> str:
    """A Dutch BSN: nine digits passing the eleven test (weights 9..2 and -1)."""
    while True:
        d = str(rng.randint(1, 9)) + rs(DIG, 7)
        total = sum(int(c) * w for c, w in zip(d, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return d + str(last)


def bsn_ok(v: str) -> bool:
    return (sum(int(c) * w for c, w in zip(v[:8], range(9, 1, -1), strict=True)) - int(v[8])) % 11 == 0


def national_id_ok(row: dict) -> bool:
    v = row["value"]
    if re.fullmatch(r"\d{8}[A-Z]", v):
        return DNI_LETTERS[int(v[:8]) % 23] == v[8]
    if re.fullmatch(r"\d{9}", v):
        return bsn_ok(v)
    return ssn_or_nino_ok(v)


FIRST = [
    "alasdair",
    "brianag",
    "calum",
    "deirdre",
    "eilidh",
    "fionnlagh",
    "gormal",
    "iseabail",
    "lachlan",
    "morag",
]
LAST = ["macaulay", "maciver", "morrison", "nicolson", "macleod", "buchanan", "matheson", "gillies"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "btinternet.com",
    "icloud.com",
    "proton.me",
    "hotmail.co.uk",
    "yahoo.es",
    "ziggo.nl",
]

email = partial(draw.email, FIRST, LAST, MAIL)


SVCS = ["booking-api", "manifest-svc", "ticket-gate", "fleet-tracker", "fares-engine", "checkin-web"]
STAFF = ["ailsa", "ruaridh", "kirsty", "neil", "shona", "torquil", "mairi", "ewan"]
HOSTS = ["bastion-1", "tomcat-02", "pg-book-1", "argocd-repo", "bk-agent-3", "rmq-1"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "route": lambda: rng.choice(["OBN-CRN", "ULL-TAR", "KYL-ARM", "OBN-MUL", "CLA-BRO"]),
    "tkt": lambda: str(rng.randint(3_000, 3_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

# Shapes of the positions, so templates stay readable.
GHA = "##[group]Run ./scripts/deploy.sh\n"
GHA_LOG = "2026-10-02T07:{num}:11.4821Z "
BK = "# .buildkite/pipeline.yml (booking-api)\nsteps:\n  - label: ':ship: deploy'\n    command: ./ci/deploy.sh\n    env:\n"
DRONE = "# .drone.yml (fares-engine)\nkind: pipeline\ntype: docker\nname: default\nsteps:\n  - name: publish\n    image: plugins/docker\n    environment:\n"
TEKTON = "# tekton/git-auth.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: git-basic\n  annotations:\n    tekton.dev/git-0: https://git.corrievane.internal\ntype: kubernetes.io/basic-auth\nstringData:\n  username: tekton\n"
ADO = "# azure-pipelines.yml (checkin-web)\nvariables:\n  - group: checkin-prod\n"
ARGO_REPO = "# argocd/repo-booking.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: repo-booking\n  namespace: argocd\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  url: https://git.corrievane.internal/platform/booking-deploy.git\n  username: argocd\n"
K8S_SECRET = (
    "# deploy/{svc}/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-env\ntype: Opaque\n"
)
K8S_DEPLOY = "# deploy/{svc}/deployment.yaml (excerpt)\n      containers:\n        - name: {svc}\n          image: registry.corrievane.internal/{svc}:4.2.0\n          env:\n"
HELMFILE = "# helmfile.d/20-booking.yaml\nreleases:\n  - name: booking-api\n    chart: ./charts/booking-api\n    values:\n"
KUSTOM = "# overlays/prod/kustomization.yaml\nsecretGenerator:\n  - name: {svc}-env\n    literals:\n"
AWSCFG = "$ aws configure set "
TOMCAT_SRV = '<!-- /opt/tomcat/conf/server.xml (tomcat-02) -->\n<Connector port="8443" protocol="org.apache.coyote.http11.Http11NioProtocol" SSLEnabled="true">\n  <SSLHostConfig>\n'
TOMCAT_USERS = (
    '<!-- /opt/tomcat/conf/tomcat-users.xml -->\n<tomcat-users>\n  <role rolename="manager-gui"/>\n'
)
WILDFLY = '<!-- standalone/configuration/standalone.xml (manifest-svc) -->\n<datasource jndi-name="java:/ManifestDS" pool-name="ManifestDS">\n  <connection-url>jdbc:postgresql://pg-book-1.corrievane.internal:5432/manifest</connection-url>\n  <security>\n    <user-name>manifest</user-name>\n'
WEBLOGIC = "# /u01/domains/fares/servers/AdminServer/security/boot.properties\nusername=weblogic\n"
HAPROXY = "# /etc/haproxy/haproxy.cfg\nuserlist stats_users\n"
CHAT = "[{t}] {who}: "
JIRA = "Jira FER-{tkt} comment by {who}: "
CSV = "booking_ref,name,email,phone,vehicle_reg,route,passport_or_id\n"
MAILQ = (
    "> From: Corrievane bookings <bookings@corrievane.example>\n> Subject: Re: sailing {route} cancelled\n> "
)
BOOKLOG = "{ts} INFO booking-api "


ado_pat = draw.ado_pat


def bb_app_pw() -> str:
    return "ATBB" + rs(ALNUM, 28) + rs(HEX.upper(), 8)


def bk_token() -> str:
    return "bkua_" + rs(HEX, 40)


def ppk() -> str:
    lines = [
        "PuTTY-User-Key-File-3: ssh-rsa",
        "Encryption: none",
        "Comment: rsa-key-ops-bastion",
        "Public-Lines: 6",
    ]
    lines += (
        ["AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + rs(B64, 34)] + [rs(B64, 64) for _ in range(4)] + [rs(B64, 20)]
    )
    lines += ["Private-Lines: 14"] + [rs(B64, 64) for _ in range(13)] + [rs(B64, 24) + "=="]
    lines += ["Private-MAC: " + rs(HEX, 64)]
    return "\n".join(lines)


def gpg_priv() -> str:
    body = ["lQdGBG" + rs(B64, 58)] + [rs(B64, 64) for _ in range(9)] + [rs(B64, 40), "=" + rs(B64, 4)]
    return "\n".join(
        ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "", *body, "-----END PGP PRIVATE KEY BLOCK-----"]
    )


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v) or (v.startswith("PuTTY-User-Key-File-3:") and "Private-MAC: " in v)


def dockercfg_json() -> str:
    return json.dumps({"auths": {"registry.corrievane.internal": {"auth": basic_cred()}}})


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            AWSCFG + "aws_access_key_id {v} --profile ferry-prod",
            GHA_LOG + "AWS_ACCESS_KEY_ID is {v}",
            K8S_DEPLOY + "            - name: AWS_ACCESS_KEY_ID\n              value: {v}",
            KUSTOM + "      - AWS_ACCESS_KEY_ID={v}",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            AWSCFG + "aws_secret_access_key {v} --profile ferry-prod",
            K8S_SECRET + "stringData:\n  AWS_SECRET_ACCESS_KEY: {v}",
            DRONE + "      AWS_SECRET_ACCESS_KEY: {v}",
            HELMFILE + "      - backup:\n          s3SecretKey: {v}",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            GHA
            + "+ echo \"token=$GH_TOKEN\" | base64 -w0 | base64 -w0   # masking only covers the raw value\n+ echo 'token={v}'",
            ARGO_REPO + "  password: {v}",
            "$ flux bootstrap github --owner=corrievane --repository=fleet-gitops --token-auth\n# ran with GITHUB_TOKEN={v}",
            BK + "      GITHUB_TOKEN: {v}",
            CHAT + "argocd can't pull, try the PAT {v} for now",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            TEKTON + "  password: {v}",
            "$ flux create secret git booking-auth --url=https://gitlab.corrievane.internal/ops/booking.git --username=flux --password={v}",
            DRONE + "      GITLAB_TOKEN: {v}",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "# argocd-notifications-secret.yaml\nstringData:\n  slack-token: {v}",
            HELMFILE + "      - alerts:\n          slackToken: {v}",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            GHA_LOG + "curl -X POST -d @msg.json {v}",
            BK + "      SLACK_WEBHOOK_URL: {v}",
            "# alertmanager/values.yaml\n  slack_configs:\n    - api_url: {v}",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "$ argocd login argocd.corrievane.internal --auth-token {v}",
            "$ kubectl --token={v} -n booking get pods",
            GHA_LOG + "Authorization: Bearer {v}",
            CHAT + "here is the SA token for the dashboard: {v}",
        ],
    ),
    (
        "private-key",
        draw.pk("ssh"),
        ["$ cat ~/.ssh/id_ed25519 (bastion-1, pasted into FER-{tkt})\n{v}"],
    ),
    (
        "private-key",
        draw.pk("rsa", "    "),
        [
            ARGO_REPO.replace(
                "  url: https://git.corrievane.internal/platform/booking-deploy.git\n  username: argocd\n",
                "  url: git@git.corrievane.internal:platform/booking-deploy.git\n",
            )
            + "  sshPrivateKey: |\n    {v}"
        ],
    ),
    ("private-key", draw.pk("ec"), ["# /etc/nginx/ssl/booking.key (checkin-web)\n{v}"]),
    (
        "private-key",
        draw.pk("pkcs8", "    "),
        [K8S_SECRET.replace("Opaque", "kubernetes.io/tls") + "stringData:\n  tls.key: |\n    {v}"],
    ),
    ("private-key", ppk, ["# ops-share/keys/bastion.ppk (RB-44 appendix)\n{v}"]),
    ("private-key", gpg_priv, ["$ gpg --export-secret-keys --armor release@corrievane.example\n{v}"]),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '$ cat /tmp/sa.json && gcloud auth activate-service-account --key-file=/tmp/sa.json\n{"type": "service_account", "project_id": "corrievane-fleet", "private_key_id": "'
            + "{uuid}"
            + '", "private_key": "{v}", "client_email": "tracker@corrievane-fleet.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "$ az login --service-principal -u {uuid} -p {v} --tenant {uuid}",
            ADO + "  - name: AZURE_CLIENT_SECRET\n    value: {v}",
            GHA_LOG + "AZURE_CREDENTIALS clientSecret={v}",
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        ["$ az storage blob upload-batch -d manifests --account-name cvmanifests --account-key {v} -s ./out"],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            '$ psql "postgresql://booking:{v}@pg-book-1.corrievane.internal:5432/booking?sslmode=require"',
            "$ mongodump --uri mongodb://tracker:{v}@mongo-1.corrievane.internal:27017/fleet --out /backup",
            K8S_DEPLOY
            + "            - name: DATABASE_URL\n              value: postgres://fares:{v}@pg-book-1.corrievane.internal/fares",
            "$ git clone https://ci-bot:{v}@git.corrievane.internal/platform/booking-deploy.git",
            HELMFILE
            + "      - rabbitmq:\n          url: amqp://booking:{v}@rmq-1.corrievane.internal:5672/booking",
            "{ts} ERROR manifest-svc could not connect to mysql://manifest:{v}@db-man.corrievane.internal:3306/manifest",
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            "$ PGPASSWORD={v} psql -h pg-book-1.corrievane.internal -U booking -c 'select 1'",
            "$ mysql -h db-man.corrievane.internal -u manifest -p{v} manifest",
            '$ sqlcmd -S sql-fares.corrievane.internal -U sa -P {v} -Q "SELECT @@VERSION"',
            "$ mongodump --host mongo-1.corrievane.internal --username tracker --password {v} --db fleet",
            "$ rabbitmqadmin -H rmq-1.corrievane.internal -u admin -p {v} list queues",
            TOMCAT_SRV
            + '    <Certificate certificateKeystoreFile="conf/booking.p12" certificateKeystorePassword="{v}" type="RSA"/>\n  </SSLHostConfig>\n</Connector>',
            TOMCAT_USERS
            + '  <user username="deployer" password="{v}" roles="manager-script"/>\n</tomcat-users>',
            WILDFLY + "    <password>{v}</password>\n  </security>\n</datasource>",
            WEBLOGIC + "password={v}",
            HAPROXY + "  user stats insecure-password {v}",
            K8S_SECRET + "stringData:\n  DB_PASSWORD: {v}",
            K8S_DEPLOY + '            - name: RABBITMQ_PASSWORD\n              value: "{v}"',
            KUSTOM + "      - DB_PASSWORD={v}",
            HELMFILE + "      - postgresql:\n          auth:\n            password: {v}",
            DRONE + "      DOCKER_PASSWORD: {v}",
            GHA + '+ echo "db password is {v}"',
            "$ az login -u ops@corrievane.example -p {v}",
            TEKTON.replace("username: tekton\n", "username: tekton-bot\n") + "  password: {v}",
            CHAT + "tomcat manager login is deployer / {v}",
            JIRA + "the sa password on sql-fares is {v}, rotate after the cutover",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '# deploy/pull-secret.yaml\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: \'{"auths":{"registry.corrievane.internal":{"auth":"{v}"}}}\'',
            GHA_LOG
            + "curl -H 'Authorization: Basic {v}' https://nexus.corrievane.internal/service/rest/v1/status",
            "GET /manager/text/list HTTP/1.1\nHost: tomcat-02.corrievane.internal:8080\nAuthorization: Basic {v}",
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, 40),
        [
            "$ curl -s -H 'Authorization: Bearer {v}' https://fleet-api.corrievane.internal/v2/vessels",
            "{ts} DEBUG fleet-tracker GET /v2/positions headers={'Authorization': 'Bearer {v}'}",
        ],
    ),
    (
        "vendor-token",
        ado_pat,
        [
            "$ git clone https://corrievane:{v}@dev.azure.com/corrievane/checkin/_git/checkin-web",
            "$ echo {v} | az devops login --organization https://dev.azure.com/corrievane",
            ADO + "  - name: SYSTEM_ACCESSTOKEN_OVERRIDE\n    value: {v}",
        ],
    ),
    (
        "vendor-token",
        bb_app_pw,
        [
            "$ git clone https://ci-bot:{v}@bitbucket.org/corrievane/timetables.git",
            "# bitbucket-pipelines.yml (timetables)\n# app password for the mirror step: {v}",
        ],
    ),
    (
        "vendor-token",
        bk_token,
        [
            '$ curl -H "Authorization: Bearer {v}" https://api.buildkite.com/v2/organizations/corrievane/pipelines',
            CHAT + "buildkite api token for the release bot: {v}",
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 32),
        [
            DRONE.replace("    environment:\n", "") + "# /etc/drone/server.env\nDRONE_RPC_SECRET={v}",
            '# /etc/buildkite-agent/buildkite-agent.cfg (bk-agent-3)\ntoken="{v}"',
        ],
    ),
    ("generic-api-key", uuid4, ["$ cat /etc/varnish/secret (cache-1)\n{v}"]),
    (
        "k8s-secret-b64",
        lambda: b64(plain_pw().encode()),
        [
            K8S_SECRET + "data:\n  DB_PASSWORD: {v}",
            "$ kubectl -n booking get secret manifest-env -o yaml\ndata:\n  RABBITMQ_PASSWORD: {v}",
        ],
    ),
    (
        "k8s-secret-b64",
        lambda: b64(dockercfg_json().encode()),
        [
            "# deploy/regcred.yaml\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {v}"
        ],
    ),
]


# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "password-assignment",
        plain_pw,
        [
            HAPROXY.replace("stats_users", "admins") + "  user ops insecure-password {v} groups ops",
            "# /etc/nginx/conf.d/stats.conf (a password left in a comment)\n# auth_basic_user_file /etc/nginx/.htpasswd  # ops:{v}",
            "$ htpasswd -b -c /etc/apache2/.htpasswd checkin {v}",
            "$ keytool -importkeystore -srckeystore booking.p12 -srcstoretype PKCS12 -srcstorepass {v} -destkeystore booking.jks",
            '<!-- standalone.xml (manifest-svc) -->\n<key-store name="bookingKS">\n  <credential-reference clear-text="{v}"/>\n  <implementation type="JKS"/>\n  <file path="booking.jks" relative-to="jboss.server.config.dir"/>\n</key-store>',
            "$ rabbitmqctl change_password booking {v}",
            "$ docker login registry.corrievane.internal -u ci-bot -p {v}",
            "$ helm repo add corrievane https://charts.corrievane.internal --username ci --password {v}",
            "$ argocd repo add https://git.corrievane.internal/platform/fleet.git --username argocd --password {v}",
            "$ mysqldump -umanifest --password={v} manifest passengers > /tmp/p.sql",
            "$ sqlcmd -S tcp:sql-fares.corrievane.internal,1433 -U fares_ro -P{v} -i export.sql",
            "# /etc/rabbitmq/rabbitmq.conf\ndefault_user = booking\ndefault_pass = {v}",
            MAILQ.replace("{route} cancelled", "your Wi-Fi access")
            + "The onboard Wi-Fi password for MV Corrievane Isle is {v}.",
            "# WebLogic boot.properties before first start (RB-47 screenshot transcript)\nusername=weblogic\npassword={v}",
            "# pgpass on bastion-1\npg-book-1.corrievane.internal:5432:booking:booking:{v}",
        ],
    ),
    (
        "password-assignment",
        lambda: password().replace('"', ""),
        [
            "$ az vm user update -g rg-ferry -n bastion-1 -u ops -p '{v}'",
            "# /etc/openvpn/auth.txt (vessel uplink)\nvessel-07\n{v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "$ rabbitmqadmin --uri amqp://admin:{v}@rmq-1.corrievane.internal:15672/ list exchanges",
            "# helmfile.d/repositories.yaml\nrepositories:\n  - name: internal\n    url: https://ci:{v}@charts.corrievane.internal",
            "{ts} WARN fleet-tracker retrying redis://:{v}@redis-1.corrievane.internal:6379/0",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            GHA_LOG + "::add-mask:: was skipped; GH_TOKEN={v}",
            '# .git/config on bk-agent-3\n[remote "origin"]\n\turl = https://x-access-token:{v}@github.com/corrievane/timetables.git',
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            "# ~/.aws/credentials (bastion-1)\n[ferry-prod]\naws_access_key_id = AKIA_SEE_VAULT\naws_secret_access_key = {v}"
        ],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "$ azcopy copy ./manifests 'https://cvmanifests.blob.core.windows.net/out?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2026-12-01T00:00:00Z&sig={v}' --recursive"
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            '# tekton/notify-task.yaml\n      script: |\n        curl -s -X POST {v} -d \'{"text":"deployed"}\''
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM, 32),
        [
            '# /etc/default/varnish\nDAEMON_OPTS="-a :6081 -T localhost:6082 -S /etc/varnish/secret"\n# secret file contents: {v}',
            "$ argocd account generate-token --account ci\n{v}",
        ],
    ),
    ("generic-api-key", lambda: rs(HEX, 64), ["# argocd-secret.yaml\nstringData:\n  server.secretkey: {v}"]),
    (
        "webhook-url",
        lambda: (
            f"https://dev.azure.com/corrievane/_apis/public/distributedtask/webhooks/deploy?api-version=6.0-preview&code={rs(ALNUM, 40)}"
        ),
        ["$ curl -X POST '{v}' -d @event.json"],
    ),
    (
        "vendor-token",
        lambda: "bkct_" + rs(HEX, 40),
        ['# buildkite cluster agent token (RB-44)\nBUILDKITE_AGENT_TOKEN="{v}"'],
    ),
    ("vendor-token", ado_pat, [GHA_LOG + "AZURE_DEVOPS_EXT_PAT: {v}"]),
    ("basic-auth", basic_cred, ["{ts} DEBUG ticket-gate upstream request headers authorization=Basic {v}"]),
    (
        "jwt",
        jwt,
        [
            "# ~/.config/argocd/config\ncontexts:\n  - name: argocd.corrievane.internal\nusers:\n  - auth-token: {v}\n    name: argocd.corrievane.internal"
        ],
    ),
    ("private-key", draw.pk("rsa"), ["# weblogic/security/identity.key (fares domain)\n{v}"]),
    (
        "k8s-secret-b64",
        lambda: b64(
            f"[default]\naws_access_key_id = {akid()}\naws_secret_access_key = {aws_secret()}\n".encode()
        ),
        ["# velero/credentials-secret.yaml\ndata:\n  cloud: {v}"],
    ),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            CSV + "CVF-{num}81,Eilidh Matheson,{v},,SN71 KXB,{route},",
            MAILQ + "Please refund to {v}, I have the receipt.",
            BOOKLOG + "confirmation mail queued to={v} ref=CVF-{num}",
            JIRA + "passenger {v} says her booking vanished",
        ],
    ),
    (
        "phone",
        phone,
        [
            CSV + "CVF-{num}82,Calum Nicolson,,{v},SV19 ZPL,{route},",
            MAILQ + "Call me on {v} before the 07:10 sailing.",
            BOOKLOG + "sms reminder to={v} sailing={route}",
            CHAT + "the lorry driver's mobile is {v}",
        ],
    ),
    (
        "credit-card",
        card,
        [
            BOOKLOG + "payment declined pan={v} reason=insufficient_funds",
            MAILQ + "The card I used was {v}, expiry 09/28.",
            JIRA + "customer read out card {v} on the phone, please purge the recording",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            '{ts} ingress-nginx: {v} - - "POST /api/bookings HTTP/2.0" 201 412',
            BOOKLOG + "login ok user=CVF-{num} client_ip={v}",
            CHAT + "someone at {v} is scraping the timetable API",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '{ts} ingress-nginx: {v} - - "GET /manifest/export.csv HTTP/2.0" 200 88213',
            BOOKLOG + "session created client_ip={v}",
        ],
    ),
    ("national-id", ssn, [CSV + "CVF-{num}83,Lachlan Gillies,,,,{route},SSN {v}"]),
    ("national-id", nino, [JIRA + "crew member NI number {v} appears in the manifest export"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("email", email, ["# tekton/pipelinerun log\n[notify] sending failure report to {v}"]),
    (
        "national-id",
        dni,
        [
            CSV + "CVF-{num}84,Iseabail Ruiz,,,,{route},DNI {v}",
            MAILQ + "Mi DNI es {v}, reserva a nombre de Ruiz.",
        ],
    ),
    (
        "national-id",
        bsn,
        [
            CSV + "CVF-{num}85,Morag de Vries,,,,{route},BSN {v}",
            BOOKLOG + "id check passed doc=BSN value={v}",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [MAILQ + "Please refund to my account {v} (Mr C. Macaulay)."]),
    (
        "iban",
        lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)),
        [JIRA + "refund IBAN {v} for the cancelled {route} crossing"],
    ),
    ("iban", lambda: iban_of("ES", rs(DIG, 20)), ["refunds_2026-10.csv: CVF-{num}86,Ruiz,{v},EUR,48.50"]),
    (
        "credit-card",
        card,
        [
            "$ kubectl -n booking logs deploy/booking-api | grep 4xx\n{ts} WARN booking-api card rejected number={v}"
        ],
    ),
    ("ipv4", public_v4, [GHA_LOG + "Runner public IP: {v}"]),
    (
        "phone",
        phone,
        ["Voicemail transcript (PM-8820): this is Deirdre, ring me back on {v} about the car deck booking"],
    ),
]


# ---------------------------------------------------------------------------- negatives
apr1, bcrypt, sha512_crypt = draw.apr1, draw.bcrypt, draw.sha512_crypt


def sha_htpasswd() -> str:
    return "{SHA}" + b64(draw.rbytes(20))


def cert_pem() -> str:
    body = draw.pem_body("MIIDdzCCAl+gAwIBAgIU", 12)
    return "\n".join(["-----BEGIN CERTIFICATE-----", *body, "-----END CERTIFICATE-----"])


def known_host() -> str:
    return rng.choice(
        [
            "|1|"
            + b64(draw.rbytes(20))
            + "|"
            + b64(draw.rbytes(20))
            + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
            + rs(B64, 43),
            "git.corrievane.internal ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB"
            + rs(B64, 87)
            + "=",
        ]
    )


def gpg_pub() -> str:
    body = ["mQINBG" + rs(B64, 58)] + [rs(B64, 64) for _ in range(6)] + [rs(B64, 30), "=" + rs(B64, 4)]
    return "\n".join(
        ["-----BEGIN PGP PUBLIC KEY BLOCK-----", "", *body, "-----END PGP PUBLIC KEY BLOCK-----"]
    )


sealed = partial(draw.sealed, 300)


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            GHA + "+ git rev-parse HEAD\n{v}",
            "# argocd app get booking-api\nSync Status:        Synced to main ({v})",
            BK + "      BUILDKITE_COMMIT: {v}",
        ],
    ),
    (
        "git-sha",
        lambda: rs(HEX, 7),
        ["$ git log --oneline -1\n{v} helmfile: read passwords from the secrets backend"],
    ),
    (
        "uuid",
        uuid4,
        [
            "$ az account set --subscription {v}",
            "# buildkite build {v} finished: passed",
            K8S_DEPLOY + "            - name: TENANT_ID\n              value: {v}",
            BOOKLOG + "request_id={v} status=200",
        ],
    ),
    (
        "hash-or-digest",
        apr1,
        [
            "$ cat /etc/nginx/.htpasswd\nstats:{v}",
            "# /etc/apache2/.htpasswd (checkin-web staging)\ncheckin:{v}",
        ],
    ),
    (
        "hash-or-digest",
        bcrypt,
        [
            "# /etc/nginx/.htpasswd.d/grafana\nops:{v}",
            "# argocd-secret (admin password, bcrypt)\nstringData:\n  admin.password: {v}",
        ],
    ),
    ("hash-or-digest", sha_htpasswd, ["# /etc/apache2/.htpasswd.legacy\nmanifest:{v}"]),
    (
        "hash-or-digest",
        sha512_crypt,
        [HAPROXY + "  user stats password {v}", "# /etc/shadow on bastion-1\nops:{v}:20312:0:99999:7:::"],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [
            K8S_DEPLOY.replace(":4.2.0", "@{v}").rstrip("\n").removesuffix("          env:"),
            "$ docker buildx imagetools inspect registry.corrievane.internal/booking-api:4.2.0\nDigest: {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "SHA256:" + b64(draw.rbytes(32)).rstrip("="),
        [
            "The authenticity of host 'bastion-1.corrievane.internal (10.40.0.5)' can't be established.\nED25519 key fingerprint is {v}."
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        ["$ sha256sum helm-v3.16.2-linux-amd64.tar.gz\n{v}  helm-v3.16.2-linux-amd64.tar.gz"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 32),
        [
            '# tomcat-users.xml with digest passwords\n  <user username="viewer" password="{v}" roles="manager-status"/>'
        ],
    ),
    (
        "public-key-or-cert",
        known_host,
        [
            "$ cat ~/.ssh/known_hosts\n{v}",
            ARGO_REPO.replace(
                "argocd.argoproj.io/secret-type: repository", "app.kubernetes.io/part-of: argocd"
            )
            .split("stringData")[0]
            .replace("name: repo-booking", "name: argocd-ssh-known-hosts-cm")
            .replace("kind: Secret", "kind: ConfigMap")
            + "data:\n  ssh_known_hosts: |\n    {v}",
            "# flux-system/git-credentials (known_hosts only)\nstringData:\n  known_hosts: {v}",
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ops@corrievane",
        [
            "$ cat ~/.ssh/id_ed25519.pub\n{v}",
            "# bastion authorized_keys\n{v}",
        ],
    ),
    (
        "public-key-or-cert",
        gpg_pub,
        ["# release signing key (corrievane.example/.well-known/openpgpkey)\n{v}"],
    ),
    ("public-key-or-cert", cert_pem, [TOMCAT_SRV.replace("<SSLHostConfig>\n", "") + "<!-- chain: -->\n{v}"]),
    (
        "templated-value",
        lambda: rng.choice(
            [
                "${{ secrets.DB_PASSWORD }}",
                "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
                "${{ secrets.ARGOCD_AUTH_TOKEN }}",
            ]
        ),
        [
            '# .github/workflows/deploy.yml\n      - run: echo "{v}" | base64',
            "# .github/workflows/deploy.yml\n        env:\n          TOKEN: {v}",
            "# .github/workflows/db.yml\n      - run: PGPASSWORD={v} psql -h pg-book-1.corrievane.internal -U booking -f migrate.sql",
        ],
    ),
    (
        "templated-value",
        lambda: "{{ .Values.postgresql.auth.password | b64enc }}",
        ["# charts/booking-api/templates/secret.yaml\ndata:\n  DB_PASSWORD: {v}"],
    ),
    (
        "templated-value",
        lambda: '{{ requiredEnv "RABBITMQ_PASSWORD" }}',
        [HELMFILE + "      - rabbitmq:\n          password: {v}"],
    ),
    (
        "templated-value",
        lambda: "ref+vault://secret/booking#/db_password",
        [HELMFILE + "      - postgresql:\n          auth:\n            password: {v}"],
    ),
    (
        "templated-value",
        lambda: "$(params.git-password)",
        ["# tekton/task-clone.yaml\n      env:\n        - name: GIT_PASSWORD\n          value: {v}"],
    ),
    (
        "templated-value",
        lambda: "$(DB_PASSWORD)",
        [
            "# azure-pipelines.yml\n  - script: psql \"host=pg-book-1 user=booking password={v}\" -c 'select 1'"
        ],
    ),
    (
        "templated-value",
        lambda: "${VAULT:booking/keystore#password}",
        [
            TOMCAT_SRV
            + '    <Certificate certificateKeystoreFile="conf/booking.p12" certificateKeystorePassword="{v}"/>'
        ],
    ),
    (
        "templated-value",
        lambda: "${env.MANIFEST_DB_PASSWORD}",
        [WILDFLY + "    <password>{v}</password>\n  </security>"],
    ),
    (
        "masked-value",
        lambda: "***",
        [
            GHA + "+ echo 'token={v}'",
            GHA_LOG + "PGPASSWORD: {v}",
            "$ argocd repo list\nTYPE  NAME  REPO                                                 PASSWORD\ngit         https://git.corrievane.internal/platform/fleet.git  {v}",
        ],
    ),
    (
        "masked-value",
        lambda: rng.choice(["[secure]", "********", "<redacted>"]),
        [
            DRONE.replace("plugins/docker", "plugins/docker (log)") + "      DOCKER_PASSWORD: {v}",
            BK + "      REGISTRY_PASSWORD: {v}",
            "$ kubectl describe secret booking-api-env\nDB_PASSWORD:  {v}",
        ],
    ),
    (
        "masked-value",
        lambda: rs("45", 1) + rs(DIG, 5) + "******" + rs(DIG, 4),
        [BOOKLOG + "payment ok card={v} ref=CVF-{num}"],
    ),
    (
        "placeholder",
        lambda: rng.choice(["changeme", "<password>", "CHANGE_ME", "REPLACE_ME", "xxxxxxxx", "<your-pat>"]),
        [
            WEBLOGIC.replace("boot.properties", "boot.properties.template") + "password={v}",
            TOMCAT_USERS.replace("tomcat-users.xml", "tomcat-users.xml.sample")
            + '  <user username="admin" password="{v}" roles="manager-gui"/>',
            HAPROXY.replace("haproxy.cfg", "haproxy.cfg.example") + "  user stats insecure-password {v}",
            "# docs/runbooks/RB-44.md\n$ az login -u <user> -p {v}",
            "# README: $ mysql -u manifest -p{v} manifest",
            "# README (azure devops)\n$ echo {v} | az devops login",
        ],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["password", "PAT", "app password", "client secret", "keystore password"]),
        [
            "PM-8801 root cause: the deploy step echoed the {v} into the job log.",
            "RB-47: rotate the {v} on tomcat-02 after every incident.",
        ],
    ),
    ("keyword-no-value", lambda: "::add-mask::", [GHA + '+ echo "{v}$DB_PASSWORD"']),
    ("keyword-no-value", lambda: "-p", ["$ mysql -u manifest {v} manifest   # prompts for the password"]),
    (
        "keyword-no-value",
        lambda: "--password-stdin",
        ["$ docker login registry.corrievane.internal -u ci-bot {v} < ~/.regpass"],
    ),
    (
        "private-or-reserved-ip",
        draw.reserved_ip,
        [
            "$ psql -h {v} -U booking booking",
            "$ ssh -i ~/.ssh/bastion ops@{v}",
            HAPROXY.replace("userlist stats_users\n", "backend tomcat\n")
            + "  server tomcat-02 {v}:8080 check",
        ],
    ),
    (
        "example-email",
        lambda: rng.choice(
            [
                "bookings@corrievane.example",
                "ops@corrievane.example",
                "jane.doe@example.com",
                "qa+ferry@corrievane.test",
            ]
        ),
        [
            CSV + "CVF-00001,Test Passenger,{v},,,{route},",
            "# tekton/pipelinerun.yaml\n  params:\n    - name: notify\n      value: {v}",
        ],
    ),
    (
        "vendor-example-key",
        lambda: "AKIAIOSFODNN7EXAMPLE",
        ["# docs/RB-44.md\n$ aws configure set aws_access_key_id {v}"],
    ),
    (
        "vendor-example-key",
        lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["# docs/RB-44.md\n$ aws configure set aws_secret_access_key {v}"],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(1, 11)}.{rng.randint(0, 9)}.{rng.randint(0, 30)}",
        [
            "# helmfile.d/10-argocd.yaml\n  - name: argo-cd\n    chart: argo/argo-cd\n    version: {v}",
            "$ /opt/tomcat/bin/version.sh (tomcat-02)\nServer version: Apache Tomcat/{v}",
            DRONE + "      PLUGIN_TAGS: {v}",
        ],
    ),
    (
        "version-or-date",
        lambda: f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        ["PM-8801 timeline: PAT revoked {v}, all pipelines re-run"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{uuid4()}/resourceGroups/rg-ferry/providers/Microsoft.KeyVault/vaults/kv-ferry-prod"
        ),
        ["$ az keyvault secret list --id {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:secretsmanager:eu-west-2:{rs(DIG, 12)}:secret:booking/db-{rs(ALNUM, 6)}",
        [K8S_DEPLOY + "            - name: DB_SECRET_ARN\n              value: {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: f"projects/corrievane-fleet/secrets/tracker-sa/versions/{rng.randint(1, 9)}",
        ["$ gcloud secrets versions access {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: f"{rng.randint(10_000, 99_999)}",
        ["Buildkite build #{v} on booking-api failed at the deploy step"],
    ),
    (
        "ids-and-numbers",
        lambda: "CVF-" + rs(DIG, 6),
        [BOOKLOG + "booking created ref={v} route=OBN-CRN pax=2"],
    ),
    (
        "ids-and-numbers",
        lambda: rs(UP, 2) + rs(DIG, 2) + " " + rs(UP, 3),
        [CSV + "CVF-00002,Test Passenger,,,{v},{route},"],
    ),
    ("encrypted-value", sealed, ["# sealed/booking-db.yaml\nspec:\n  encryptedData:\n    DB_PASSWORD: {v}"]),
    (
        "encrypted-value",
        draw.sops_value,
        ["# secrets/prod.enc.yaml (sops)\ndb_password: {v}"],
    ),
    (
        "encrypted-value",
        lambda: "{AES}" + b64(draw.rbytes(32)),
        [WEBLOGIC.replace("boot.properties", "boot.properties (after first start)") + "password={v}"],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [BOOKLOG + "loyalty card {v} not found", JIRA + "passenger quotes season ticket {v}"],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(["4111111111111111", "5555555555554444", "4242424242424242"]),
        [
            '# checkin-web/cypress/fixtures/card.json\n{"number": "{v}"}',
            CHAT + "use {v} on staging checkout",
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(json.dumps({"route": "OBN-CRN", "sailings": rng.randint(4, 12)}).encode()),
        [
            "# configmap binaryData\n  timetable.json: {v}",
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(f"LOG_LEVEL=info\nROUTE_CACHE_TTL={rng.randint(30, 600)}\n".encode()),
        [K8S_SECRET + "data:\n  app.env: {v}"],
    ),
    (
        "base64-nonsecret",
        lambda: b64(b"booking-api"),
        ["$ kubectl get secret booking-api-env -o jsonpath='{.data.APP_NAME}'\n{v}"],
    ),
    ("trace-id", lambda: rs(HEX, 32), [BOOKLOG + "trace_id={v} span=checkout"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("trace-id", lambda: rs(HEX, 16), ["{ts} DEBUG ticket-gate span_id={v} name=scan"]),
    (
        "hash-or-digest",
        lambda: "md5-" + b64(draw.rbytes(16)),
        ["# tekton bundle annotation\n    tekton.dev/checksum: {v}"],
    ),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    (
        "hash-or-digest",
        lambda: rs(HEX, 40),
        ["# rabbitmqctl list_users hash dump\nbooking\t{v}\t[management]"],
    ),
    (
        "hash-or-digest",
        lambda: b64(draw.rbytes(32)),
        [
            '# definitions.json (rabbitmq export)\n{"name": "booking", "password_hash": "{v}", "hashing_algorithm": "rabbit_password_hashing_sha256"}'
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + rs(B64, 342),
        [
            '# ops-share/keys/bastion.pub (PuTTY public key)\n---- BEGIN SSH2 PUBLIC KEY ----\nComment: "rsa-key-ops-bastion"\n{v}\n---- END SSH2 PUBLIC KEY ----'
        ],
    ),
    (
        "public-key-or-cert",
        lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
        ["# .sops.yaml\ncreation_rules:\n  - age: {v}"],
    ),
    (
        "ids-and-numbers",
        lambda: " ".join(rs(HEX.upper(), 4) for _ in range(10)),
        [
            "$ gpg --list-secret-keys\nsec   ed25519 2026-02-11 [SC]\n      {v}\nuid   Corrievane Release <release@corrievane.example>"
        ],
    ),
    ("ids-and-numbers", lambda: rs(DIG, 9), ["Azure DevOps run {v} (checkin-web) succeeded"]),
    (
        "ids-and-numbers",
        lambda: rs(B32, 10),
        [
            "# ado PAT listing\nauthorizationId: {uuid}\ndisplayName: ci-mirror\nscope: vso.code\ntargetAccounts: {v}"
        ],
    ),
    (
        "placeholder",
        lambda: "ATBBxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        [
            "# bitbucket-pipelines README\nexport BITBUCKET_APP_PASSWORD={v}\n# used by the mirror step as the HTTPS password"
        ],
    ),
    (
        "placeholder",
        lambda: "%DB_PASSWORD%",
        ["REM deploy.cmd\nsqlcmd -S sql-fares -U sa -P {v} -i schema.sql"],
    ),
    (
        "placeholder",
        lambda: "$PGPASSWORD",
        ['$ psql "postgresql://booking:{v}@pg-book-1.corrievane.internal/booking"'],
    ),
    (
        "templated-value",
        lambda: "${{ secrets.GCP_SA_KEY }}",
        [
            "# .github/workflows/tracker.yml\n      - run: echo '{v}' > sa.json && gcloud auth activate-service-account --key-file=sa.json"
        ],
    ),
    (
        "templated-value",
        lambda: "$(az keyvault secret show --vault-name kv-ferry-prod -n sa-pw --query value -o tsv)",
        ['$ sqlcmd -S sql-fares -U sa -P "{v}"'],
    ),
    (
        "masked-value",
        lambda: "ghp_" + "*" * 36,
        [CHAT + "the leaked one looked like {v} in the log, it's revoked"],
    ),
    ("masked-value", lambda: "AKIA" + "X" * 12 + rs(B32, 4), ["PM-8801: key {v} deactivated at 08:14"]),
    (
        "keyword-no-value",
        lambda: "insecure-password",
        ["RB-47: never use {v} in the HAProxy userlist, use a crypt hash."],
    ),
    (
        "keyword-no-value",
        lambda: "auth_basic_user_file",
        ['location /stats {\n    auth_basic "ops";\n    {v} /etc/nginx/.htpasswd;\n}'],
    ),
    ("private-or-reserved-ip", lambda: f"fe80::{rs(HEX, 4)}:{rs(HEX, 4)}", ["vessel-07 wan0 link-local {v}"]),
    (
        "vendor-example-key",
        lambda: "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        ["# docs: GitHub's example token format {v}"],
    ),
    (
        "version-or-date",
        lambda: f"v{rng.randint(2, 3)}.{rng.randint(0, 14)}.{rng.randint(0, 9)}",
        ["$ argocd version --client\nargocd: {v}+abc1234"],
    ),
    (
        "version-or-date",
        lambda: f"14.1.{rng.randint(1, 2)}.0.0",
        ["WebLogic Server {v} (fares domain) patched in RB-47"],
    ),
    ("base64-nonsecret", lambda: b64(b"ferry-prod"), ['{"profile_b64": "{v}"}']),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt)-[A-Za-z0-9_-]{20}|xox[bpae]-\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|AIza[0-9A-Za-z_-]{35}|GOCSPX-|ATBB[A-Za-z0-9]{20}|bk[uc][at]_[a-f0-9]{20}"
    r"|PRIVATE KEY(?: BLOCK)?-----(?:\n|\\n)\s*[A-Za-z0-9]|Private-MAC|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?<![\w-])(?:-[pP]|-P )[A-Za-z0-9]{8}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|passphrase|storepass)[\"']?(?:\s*[:=,]\s*)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# An scp-style git remote (``git@git.corrievane.internal:…``) is a host, not a mailbox.
OK_MAIL_29 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_29,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest"},
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t29", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
