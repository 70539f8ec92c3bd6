# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test32.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test32.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270132)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a university research-computing centre, Quillfeather University Advanced
Research Computing (QARC): PM-301 the Slurm controller and slurmdbd outage (MySQL, munge, LDAP),
PM-305 the JupyterHub OAuth secret leak (GitHub OAuth, Keycloak, z2jh Helm chart), PM-309 the Ceph
object-storage key exposure (RGW S3 keys, MinIO, rclone, Globus), RB-14 the grant-system integration
(research-grants portal, Salesforce, ORCID, Zenodo, Hugging Face, Weights & Biases), RB-19 the move
from Jenkins to Buildkite (GitHub, GitLab, Docker Hub, PyPI, npm, Apptainer), ADR-41 observability
(Prometheus, Grafana, Honeycomb, Sentry, PagerDuty, Mattermost, Slack), ADR-44 cloud bursting (AWS,
Azure, GCP, Vault, Terraform) and PM-312 a researcher-accounts export (stipends, conference refunds,
helpdesk notes). Common shapes come first in each kind (``t32p…``/``t32n…``).
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
    DIG,
    HEX,
    LOW,
    MORE_TEST_CARDS,
    OK_MAIL,
    PHONEISH,
    UP,
    Draw,
    Gen,
    N,
    S,
    TEST_CARDS,
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
OUT = HERE / "planted_test32.jsonl"
FOLD = "test32"
rng = Random(20270132)
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
    "lattice",
    "tensor",
    "quasar",
    "neutrino",
    "isotope",
    "genome",
    "fjord",
    "glacier",
    "prism",
    "orbital",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A database or LDAP password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["slurmrest", "hub-admin", "buildkite", "grants-sync", "rgw-backup"], WORDS)


def slurm_jwt() -> str:
    body = {"exp": rng.randint(1_790_000_000, 1_799_000_000), "iat": 1_789_990_000, "sun": rng.choice(["slurmrest", "jhub", "ood"])}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def keycloak_jwt() -> str:
    body = {
        "iss": "https://sso.quillfeather.example/realms/research",
        "sub": uuid4(),
        "azp": "jupyterhub",
        "scope": "openid profile groups",
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 43)}, body, rs(B64URL, 342))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def gh_oauth_secret() -> str:
    return rs(HEX, 40)


def rgw_access() -> str:
    return rs(UP + DIG, 20)


def rgw_secret() -> str:
    return rs(ALNUM, 40)


def munge_key() -> str:
    return b64(draw.rbytes(96))


def buildkite_token() -> str:
    return "bkua_" + rs(HEX, 40)


def buildkite_agent() -> str:
    return rs(HEX, 50)


def honeycomb_key() -> str:
    return "hcaik_01" + rs(LOW + DIG, 56)


def sentry_token() -> str:
    return "sntryu_" + rs(HEX, 64)


def mailgun_key() -> str:
    return "key-" + rs(HEX, 32)


def mailchimp_key() -> str:
    return rs(HEX, 32) + "-us" + str(rng.randint(2, 21))


def vonage_secret() -> str:
    return rs(ALNUM, 16)


def square_token() -> str:
    return "EAAAE" + rs(B64URL, 59)


def doppler_token() -> str:
    return "dp.st.prd." + rs(ALNUM, 43)


def npm_token() -> str:
    return "npm_" + rs(ALNUM, 36)


def pypi_token() -> str:
    return "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 140)


def hf_token() -> str:
    return "hf_" + rs(UP + LOW, 34)


def wandb_key() -> str:
    return rs(HEX, 40)


def dockerhub_pat() -> str:
    return "dckr_pat_" + rs(B64URL, 27)


def okta_token() -> str:
    return "00" + rs(B64URL, 40)


def dropbox_token() -> str:
    return "sl." + rs(B64URL, 136)


def salesforce_session() -> str:
    return "00D" + rs(ALNUM, 12) + "!" + rs(B64URL + ".", 96)


def vault_token() -> str:
    return "hvs." + rs(ALNUM, 24)


def pd_routing() -> str:
    return rs(HEX, 32)


def zenodo_token() -> str:
    return rs(ALNUM, 60)


def cookie_secret() -> str:
    return rs(HEX, 64)


def mattermost_hook() -> str:
    return "https://chat.quillfeather.example/hooks/" + rs(LOW + DIG, 26)


def teams_hook() -> str:
    return f"https://quillfeather.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"


def shiny_session() -> str:
    return rs(HEX, 64)


def rails_session() -> str:
    return rs(B64URL, 88) + "--" + rs(HEX, 40)


def elastic_apikey() -> str:
    return b64(f"{rs(ALNUM, 20)}:{rs(B64URL, 22)}".encode())


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["wilhelmina", "cosmo", "perpetua", "lysander", "henrietta", "evander", "clementine", "bartholomew", "ottoline"]
LAST = ["fairweather", "hollingsworth", "pennywhistle", "thistlewood", "ashcombe", "brackenridge", "coldharbour"]
MAIL = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "posteo.de", "hotmail.co.uk", "mail.ru"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["slurmctld", "slurmdbd", "jupyterhub", "rgw", "grants-sync", "buildkite-agent", "ood-portal"]
STAFF = ["imogen", "taavi", "nkechi", "ruairi", "solveig", "bastian", "yerlan", "priya"]
HOSTS = ["hpc-head-01", "slurmdb-1", "jhub-prod-2", "rgw-03", "bk-agent-12", "login-2", "gpu-a100-17"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "job": lambda: str(rng.randint(4_100_000, 4_899_999)),
    "tkt": lambda: str(rng.randint(20_000, 29_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #arc-incident | {who}: "
MM = "[{t}] @{who} in ~hpc-ops: "
HD = "RT ticket #{tkt} (internal comment, {who}): "
HIST = "  {num}  "
BKLOG = "~~~ Running build script (job {uuid})\n"
PYTRACE = 'Traceback (most recent call last):\n  File "/opt/grants-sync/sync.py", line 212, in push_award\n    resp.raise_for_status()\n'
RBTRACE = "ActiveRecord::ConnectionNotEstablished (FATAL: login rejected)\n  app/models/allocation.rb:31:in `refresh'\n"
PHPTRACE = "PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [1045] Access denied in /var/www/portal/lib/db.php:19\nStack trace:\n#0 /var/www/portal/lib/db.php(19): PDO->__construct("
NETTRACE = "Unhandled exception. System.Data.SqlClient.SqlException (0x80131904): Login failed for user 'grants_ro'.\n   at GrantsBridge.Db.Open() in /src/GrantsBridge/Db.cs:line 44\n"
JTRACE = "java.lang.IllegalStateException: Failed to load ApplicationContext\n\tat org.springframework.test.context.cache.DefaultCacheAwareContextLoaderDelegate.loadContext(DefaultCacheAwareContextLoaderDelegate.java:180)\nCaused by: "
SLURMLOG = "[{ts}] slurmctld: "
HUBLOG = "[I {ts} JupyterHub app:3121] "
RGWLOG = "{ts} rgw-03 radosgw: "
EXPORT = "uid,display_name,email,phone,last_login_ip,card_on_file,stipend_iban\n"
HELM = "# helm/jupyterhub/values.prod.yaml\n"
TFVARS = "# envs/burst/terraform.tfvars\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws configure set aws_access_key_id {v} --profile burst-prod",
            "[profile burst-prod]\naws_access_key_id={v}\nregion=us-east-2",
            "$ docker run --rm -e AWS_ACCESS_KEY_ID={v} quillfeather/pcluster-cli:3.9 list-clusters",
            TL + "CloudTrail: {v} ran ec2:RunInstances for 48 p4d nodes at 02:10",
            "- name: configure burst credentials\n  ansible.builtin.set_fact:\n    burst_access_key: {v}",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "[profile burst-prod]\naws_secret_access_key={v}",
            "$ export AWS_SECRET_ACCESS_KEY={v}\n$ pcluster create-cluster -n burst-a100 -c burst.yaml",
            'provider "aws" {\n  region     = "us-east-2"\n  secret_key = "{v}"\n}',
            TFVARS + 'aws_secret_key = "{v}"',
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "$ az login --service-principal -u {uuid} -p {v} --tenant {uuid}",
            'AZURE_CLIENT_SECRET="{v}"',
            "<add key=\"ida:ClientSecret\" value=\"{v}\" />",
        ],
    ),
    (
        "azure-key",
        draw.az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=qarcarchive;AccountKey={v};EndpointSuffix=core.windows.net",
            "$ azcopy login --account-key {v}  # wrong flag, pasted from PM-309 chat",
        ],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "$ azcopy copy ./results 'https://qarcarchive.blob.core.windows.net/cryoem?sv=2024-08-04&ss=b&srt=co&sp=rwl&se=2026-12-31T00:00:00Z&sig={v}' --recursive",
        ],
    ),
    (
        "gcp-key",
        draw.gcp_api,
        [
            "GOOGLE_BOOKS_API_KEY={v}",
            "$ curl 'https://sheets.googleapis.com/v4/spreadsheets/1xQ/values/A1:D9?key={v}'",
        ],
    ),
    (
        "gcp-key",
        draw.gcp_oauth_secret,
        [
            "c.GoogleOAuthenticator.client_secret = '{v}'",
            "[oauth.google]\nclient_secret = {v}",
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{"type":"service_account","project_id":"qarc-burst","private_key":"{v}","client_email":"burst-sched@qarc-burst.iam.gserviceaccount.com"}',
            '  "private_key": "{v}",\n  "client_email": "bq-usage@qarc-accounting.iam.gserviceaccount.com",',
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ git clone https://{v}@github.com/quillfeather-arc/slurm-config.git",
            "$ echo {v} | docker login ghcr.io -u arc-bot --password-stdin",
            'export GH_TOKEN="{v}"',
            MM + "spack mirror bot token is {v}, I'll rotate it after lunch",
            "[url \"https://arc-bot:{v}@github.com/\"]\n\tinsteadOf = https://github.com/",
        ],
    ),
    (
        "github-token",
        gh_oauth_secret,
        [
            "c.GitHubOAuthenticator.client_secret = \"{v}\"",
            HELM + "hub:\n  config:\n    GitHubOAuthenticator:\n      client_secret: {v}",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        [
            '$ curl --header "PRIVATE-TOKEN: {v}" https://gitlab.arc.quillfeather.internal/api/v4/projects/17/jobs',
            "$ pip install --index-url https://__token__:{v}@gitlab.arc.quillfeather.internal/api/v4/projects/17/packages/pypi/simple qarc-tools",
            "CI_DEPLOY_PASSWORD={v}",
        ],
    ),
    (
        "slack-token",
        draw.slack_token,
        [
            "SLACK_APP_TOKEN={v}",
            "    slack_token: {v}\n    slack_channel: '#arc-alerts'",
            "$ curl -F token={v} -F channels=C07HPC -F file=@sacct.csv https://slack.com/api/files.upload",
        ],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        [
            "receivers:\n  - name: arc-oncall\n    slack_configs:\n      - api_url: '{v}'",
            "SlurmctldParameters hook: /etc/slurm/notify.sh posts to {v}",
        ],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        [
            "STRIPE_API_KEY={v}",
            "stripe.api_key = '{v}'  # summer-school registration",
        ],
    ),
    (
        "jwt",
        slurm_jwt,
        [
            "$ export SLURM_JWT={v}\n$ curl -H X-SLURM-USER-NAME:slurmrest -H X-SLURM-USER-TOKEN:$SLURM_JWT http://hpc-head-01:6820/slurm/v0.0.40/jobs",
            SLURMLOG + "auth/jwt: token rejected: {v}",
            "X-SLURM-USER-TOKEN: {v}",
        ],
    ),
    (
        "jwt",
        keycloak_jwt,
        [
            HUBLOG + "refresh failed for access_token={v}",
            '{"access_token":"{v}","token_type":"Bearer","expires_in":300}',
        ],
    ),
    (
        "private-key",
        draw.pk("rsa"),
        [
            "# /etc/pki/tls/private/jhub-prod.key (attached to RT ticket by mistake)\n{v}",
            "$ sudo cat /etc/munge/../slurm/jwt_hs256.key.pem\n{v}",
        ],
    ),
    (
        "private-key",
        draw.pk("ec", "      "),
        [
            HELM + "proxy:\n  https:\n    manual:\n      key: |\n      {v}",
        ],
    ),
    (
        "private-key",
        draw.pk("ssh"),
        [
            "# ~hpcadmin/.ssh/id_ed25519 from login-2 (PM-301 evidence)\n{v}",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "StorageLoc=mysql://slurm:{v}@slurmdb-1.arc.quillfeather.internal:3306/slurm_acct_db",
            "c.JupyterHub.db_url = 'postgresql://jhub:{v}@{pip}:5432/jupyterhub'",
            "$ rclone copy s3:cryoem remote: --s3-endpoint https://rgw:{v}@rgw-03.arc.quillfeather.internal",
            "GRANTS_DB=mssql+pyodbc://grants_ro:{v}@grants-sql.arc.quillfeather.internal/Grants?driver=ODBC+Driver+18",
            "$ export https_proxy=http://svc-proxy:{v}@{pip}:3128\n$ ldapsearch -H ldaps://ldap.arc.quillfeather.internal -b dc=qarc 'uid=imogen'",
            "broker_url = 'amqp://ood:{v}@{pip}:5672/ood'",
            "$ git clone https://deploy:{v}@git.arc.quillfeather.internal/hpc/modulefiles.git",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "StoragePass={v}",
            "MINIO_ROOT_PASSWORD={v}",
            "[mysqld]\n# slurmdbd user\npassword = {v}",
            "  <add key=\"GrantsDbPassword\" value=\"{v}\" />",
            "ldap_default_authtok = {v}",
            "bind_password: '{v}'",
            'DATABASES["default"]["PASSWORD"] = "{v}"',
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "$ mysql -u slurm -p{v} -h slurmdb-1 slurm_acct_db -e 'SHOW PROCESSLIST'",
            "$ sudo -u slurm sacctmgr -i modify user slurm set password={v}",
            "$ ldappasswd -x -D cn=admin,dc=qarc -w {v} uid=svc-ood,ou=people,dc=qarc",
            "$ PGPASSWORD={v} pg_dump -h {pip} -U jhub jupyterhub > hub.sql",
            "$ helm upgrade jhub jupyterhub/jupyterhub --set hub.db.password={v} -f values.prod.yaml",
            "$ ansible-playbook site.yml -e slurmdbd_storage_pass={v} --limit slurmdb-1",
            "CREATE USER 'grafana_ro'@'%' IDENTIFIED BY '{v}';",
            "$ redis-cli -h {pip} --user ood --pass {v} KEYS 'session:*'",
            "$ docker exec -it minio mc alias set local http://localhost:9000 minioadmin {v}",
            "irods_password = {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            "$ curl -sH 'Authorization: Basic {v}' https://prometheus.arc.quillfeather.internal/api/v1/query?query=up",
            '{"auths":{"harbor.arc.quillfeather.internal":{"auth":"{v}"}}}',
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        [
            "$ curl -u grants-sync:{v} https://grants.quillfeather.example/api/awards?since=2026-10-01",
            "$ wget --user=rgw-backup --password={v} https://rgw-03.arc.quillfeather.internal/admin/usage",
        ],
    ),
    (
        "bearer-token",
        opaque(52),
        [
            "Authorization: Bearer {v}",
            "$ http GET https://globus.arc.quillfeather.internal/api/transfer/task_list 'Authorization:Bearer {v}'",
        ],
    ),
    (
        "bearer-token",
        salesforce_session,
        [
            '$ curl https://quillfeather.my.salesforce.com/services/data/v61.0/sobjects/Award__c -H "Authorization: Bearer {v}"',
        ],
    ),
    (
        "vendor-token",
        buildkite_token,
        ["BUILDKITE_API_TOKEN={v}", "$ bk configure --token {v} --org quillfeather-arc"],
    ),
    (
        "vendor-token",
        buildkite_agent,
        ['# /etc/buildkite-agent/buildkite-agent.cfg\ntoken="{v}"\nname="%hostname-%spawn"'],
    ),
    ("vendor-token", honeycomb_key, ["HONEYCOMB_API_KEY={v}", "  otlp:\n    headers:\n      x-honeycomb-team: {v}"]),
    ("vendor-token", sentry_token, ["SENTRY_AUTH_TOKEN={v}", "$ sentry-cli --auth-token {v} releases new ood-portal@4.1.2"]),
    ("vendor-token", mailgun_key, ["MAILGUN_API_KEY={v}", "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.quillfeather.example/messages"]),
    ("vendor-token", mailchimp_key, ["MAILCHIMP_KEY={v}"]),
    ("vendor-token", vonage_secret, ["VONAGE_API_SECRET={v}", "  sms:\n    provider: vonage\n    from: QARC\n    api_secret: {v}"]),
    ("vendor-token", square_token, ["SQUARE_ACCESS_TOKEN={v}"]),
    ("vendor-token", doppler_token, ["$ doppler secrets download --token {v} --no-file --format env"]),
    ("vendor-token", npm_token, ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", pypi_token, ["[pypi]\nusername = __token__\npassword = {v}", "$ twine upload -u __token__ -p {v} dist/*"]),
    ("vendor-token", hf_token, ["HF_TOKEN={v}", "$ huggingface-cli login --token {v}", ">>> login(token=\"{v}\")"]),
    ("vendor-token", wandb_key, ["WANDB_API_KEY={v}", "machine api.wandb.ai\n  login user\n  password {v}"]),
    ("vendor-token", dockerhub_pat, ["$ docker login -u qarcbot -p {v}", "DOCKERHUB_TOKEN={v}"]),
    ("vendor-token", okta_token, ["Authorization: SSWS {v}"]),
    ("vendor-token", dropbox_token, ["DROPBOX_ACCESS_TOKEN={v}"]),
    ("vendor-token", vault_token, ["$ VAULT_TOKEN={v} vault kv get kv/arc/slurmdbd", "vault_token: {v}"]),
    ("vendor-token", draw.tf_cloud_token, ["TF_TOKEN_app_terraform_io={v}"]),
    ("vendor-token", pd_routing, ["    pagerduty_configs:\n      - routing_key: {v}"]),
    ("vendor-token", draw.age_secret_key, ["# sops age key for envs/burst\n{v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    (
        "generic-api-key",
        rgw_access,
        ["[ceph-cryoem]\ntype = s3\nprovider = Ceph\naccess_key_id = {v}", "$ s3cmd --access_key={v} ls s3://cryoem-raw"],
    ),
    (
        "generic-api-key",
        rgw_secret,
        [
            "[ceph-cryoem]\nsecret_access_key = {v}\nendpoint = https://rgw-03.arc.quillfeather.internal",
            "$ radosgw-admin user info --uid=cryoem | jq -r '.keys[0].secret_key'\n{v}",
            "$ mc alias set ceph https://rgw-03.arc.quillfeather.internal cryoem {v}",
        ],
    ),
    ("generic-api-key", munge_key, ["$ base64 /etc/munge/munge.key | head -c 128\n{v}"]),
    (
        "generic-api-key",
        cookie_secret,
        [
            "c.JupyterHub.cookie_secret = unhexlify('{v}')",
            HELM + "proxy:\n  secretToken: \"{v}\"",
            "JUPYTERHUB_CRYPT_KEY={v}",
        ],
    ),
    ("generic-api-key", hex_n(32), ["JUPYTERHUB_API_TOKEN={v}", "c.Authenticator.admin_api_token = '{v}'"]),
    ("generic-api-key", zenodo_token, ["ZENODO_ACCESS_TOKEN={v}", "$ curl 'https://zenodo.org/api/deposit/depositions?access_token={v}'"]),
    ("generic-api-key", opaque(32), ["KEYCLOAK_CLIENT_SECRET={v}", "orcid.client-secret={v}"]),
    ("generic-api-key", elastic_apikey, ["Authorization: ApiKey {v}"]),
    ("generic-api-key", shiny_session, ["Cookie: _xsrf=2|ab|cd|1789990000; ood_session={v}"]),
    ("generic-api-key", rails_session, ["Set-Cookie: _coldfront_session={v}; path=/; secure; HttpOnly"]),
    ("webhook-url", mattermost_hook, ["MATTERMOST_HOOK={v}", '$ curl -i -X POST -d \'payload={"text":"slurmctld failover"}\' {v}']),
    ("webhook-url", teams_hook, ["  teams:\n    webhook_url: {v}"]),
    ("webhook-url", draw.discord_hook, ["DISCORD_WEBHOOK={v}  # hackathon server"]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: hub-db\ntype: Opaque\ndata:\n  password: {v}",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: rgw-creds\ndata:\n  AWS_SECRET_ACCESS_KEY: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [PYTRACE + "botocore.exceptions.ClientError: AccessDenied for key {v} on s3://qarc-burst-scratch"]),
    ("aws-key", draw.aws_secret, ["| 02:14 | {who} | pasted `{v}` into #arc-incident to test the burst profile |"]),
    (
        "password-in-url",
        plain_pw,
        [
            JTRACE + "org.postgresql.util.PSQLException: FATAL: could not connect to jdbc:postgresql://coldfront:{v}@{pip}:5432/coldfront",
            RBTRACE + "  DATABASE_URL=postgres://allocations:{v}@{pip}/allocations",
            MM + "temp proxy: https_proxy=http://burst:{v}@{pip}:3128 until the NAT is fixed",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            NETTRACE + "   ConnectionString: Server={pip};Database=Grants;User Id=grants_ro;Password={v};Encrypt=True",
            PHPTRACE + "'mysql:host={pip};dbname=portal', 'portal', '{v}')",
            "mysql> ALTER USER 'slurm'@'%' IDENTIFIED BY '{v}';\nQuery OK, 0 rows affected (0.01 sec)",
            "olcRootPW: {v}",
            '  "password": "{v}",\n  "host": "slurmdb-1"',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-14 step 6 | set grants-sync SQL login | new password {v} |",
            "$ sshpass -p '{v}' ssh hpcadmin@login-2",
            "config.password = \"{v}\" # grants bridge, ruby client",
            "$conf['db_pass'] = '{v}';",
            "spring.datasource.password: {v}",
            "[Service]\nEnvironment=SLURMDBD_PASS={v}",
        ],
    ),
    ("jwt", slurm_jwt, [HIST + "scontrol token lifespan=7200 # printed SLURM_JWT={v}"]),
    ("jwt", keycloak_jwt, ["Sentry event 7f31: Unauthorized at /hub/oauth_callback (id_token: {v})"]),
    ("github-token", draw.gh_token, [BKLOG + "fatal: could not read from https://x-access-token:{v}@github.com/quillfeather-arc/ood-apps.git"]),
    ("gitlab-token", draw.gl_token, [TL + "mirror job used {v} — revoked at 10:02"]),
    ("slack-token", draw.slack_token, ["slack_bolt.error: BoltError: invalid token {v}"]),
    ("stripe-key", draw.stripe_key, [HD + "conference site footer printed {v} in the HTML source"]),
    ("vendor-token", hf_token, ['File "/home/cosmo/train.py", line 12, in <module>\n    model = AutoModel.from_pretrained("qarc/bert-lab", token="{v}")']),
    ("vendor-token", draw.heroku_key, ["$ heroku auth:token\n{v}"]),
    ("vendor-token", draw.openai_key, ["# notebooks/summarise_abstracts.ipynb\nopenai.api_key = \"{v}\""]),
    ("vendor-token", draw.atlassian_token, ["CONFLUENCE_API_TOKEN={v}"]),
    ("vendor-token", sentry_token, ["{ts} ERROR sentry_sdk: 401 from sentry.io with token {v}"]),
    ("private-key", draw.pk("pkcs8"), ["mysql> SELECT pem FROM hub_certs WHERE host = 'jhub-prod-2'\\G\npem: {v}"]),
    ("private-key", draw.pk("rsa"), [TL + "here's the globus endpoint key, please don't repost\n{v}"]),
    ("generic-api-key", opaque(40), ["{ts} DEBUG grants-sync GET https://api.dimensions.example/v2/grants?api_key={v}"]),
    ("generic-api-key", rgw_secret, ["2026-10-21 03:11:07 ERROR rclone: s3 ListObjects: SignatureDoesNotMatch (secret {v})"]),
    ("basic-auth", basic_cred, ['{pip} - - [21/Oct/2026:03:12:41 +0000] "GET /metrics HTTP/1.1" 401 - hdr="Basic {v}"']),
    ("bearer-token", opaque(64), ["{ts} WARN ood-portal retry headers={'Authorization': 'Bearer {v}'}"]),
    ("k8s-secret-b64", k8s_b64, ["$ kubectl -n jhub get secret hub -o yaml | grep hub.db\n  hub.db.password: {v}"]),
    ("azure-key", draw.az_sb_key, ["Endpoint=sb://qarc-burst.servicebus.windows.net/;SharedAccessKeyName=sched;SharedAccessKey={v}"]),
    ("webhook-url", draw.slack_hook, [MM + "new alert hook for the GPU partition: {v}"]),
    ("vendor-token", vault_token, ["- name: read the slurmdbd credential\n  community.hashi_vault.vault_kv2_get:\n    token: {v}\n    path: arc/slurmdbd"]),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "cf{num},Wilhelmina Fairweather,{v},,,,",
            HD + "PI asked us to send the allocation letter to {v}",
            HUBLOG + "user login via github, verified email {v}",
            "{ts} INFO grants-sync award contact={v} status=active",
            "INSERT INTO allocation_users (project, email) VALUES ('bio-cryoem', '{v}');",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "cf{num},Cosmo Hollingsworth,,{v},,,",
            HD + "researcher's mobile for out-of-hours restarts: {v}",
            "{ts} INFO ood-portal sms-otp sent msisdn={v}",
            "| Perpetua Pennywhistle | PI, Glaciology | {v} |",
            "Cc: on-call phone {v}",
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "cf{num},Lysander Thistlewood,,,,{v},",
            HD + "visiting researcher e-mailed the card number {v} to pay for the summer school",
            "{ts} WARN registration payment declined pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            HUBLOG + "200 POST /hub/login?next= ({v}) 83.11ms",
            "sshd[2231]: Failed password for hpcadmin from {v} port 50122 ssh2",
            EXPORT + "cf{num},Henrietta Ashcombe,,,{v},,",
            RGWLOG + "req 0x7f ====== {v} PUT /cryoem-raw/grid7.tiff 403",
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            "sshd[4410]: Accepted publickey for evander from {v} port 51532 ssh2",
            HUBLOG + "302 GET /hub/ -> /hub/spawn ({v}) 2.10ms",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "cf{num},Clementine Brackenridge,,,,,{v}"]),
    ("iban", lambda: draw.iban("DE"), [HD + "stipend should go to {v} from next month"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [HD + "new starter form lists NI number {v}"]),
    ("national-id", ssn, ["| Bartholomew Coldharbour | visiting scholar | SSN {v} | W-9 pending |"]),
    ("iban", lambda: draw.iban("FR"), ['{"payee":"Ottoline Ashcombe","iban":"{v}","grant":"EP/Y031415/1"}']),
    ("email", email, ["From: {v}\nTo: arc-help@quillfeather.example\nSubject: my job 4418021 vanished"]),
    ("phone", phone, ["<contact><name>Evander Thistlewood</name><tel>{v}</tel></contact>"]),
    ("credit-card", card, ["grants=# SELECT card_pan FROM reimbursements WHERE id = 88;\n card_pan\n-----------\n {v}"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.12.4.9\n(from the ood-portal request log, PM-305)"]),
    ("email", email, ['{"orcid":"0000-0002-1825-0097","email":"{v}","affiliation":"Quillfeather"}']),
    ("ipv6", public_v6, ["jupyterhub=> select ip from oauth_sessions where user_id = 311;\n {v}"]),
    ("phone", phone, [MM + "Solveig's personal number is {v} if the pager fails"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "$ git rev-parse HEAD\n{v}",
            "slurm-config deployed at {v} by ansible",
            "BUILDKITE_COMMIT={v}",
            "spack: concretized from spack-packages@{v}",
            "pull request #{num} merged as {v}",
        ],
    ),
    ("git-sha", lambda: rs(HEX, 7), ["reverted in {v} (PM-301 follow-up)", "$ git log --oneline -1\n{v} slurm.conf: raise MaxJobCount"]),
    (
        "uuid",
        uuid4,
        [
            "BUILDKITE_BUILD_ID={v}",
            "Globus transfer task {v} SUCCEEDED",
            '{"allocation_id":"{v}","state":"approved"}',
            "$ az account set --subscription {v}",
            "| {t} | PagerDuty incident {v} resolved |",
        ],
    ),
    (
        "hash-or-digest",
        hex_n(64),
        [
            "$ sha256sum cryoem-grid7.tar\n{v}  cryoem-grid7.tar",
            "apptainer: verified image sha256 {v}",
            "checksum: sha256:{v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        ["image: quay.io/jupyterhub/k8s-hub@{v}", "$ docker pull harbor.arc.quillfeather.internal/ood/portal@{v}"],
    ),
    ("hash-or-digest", hex_n(32), ["dataset.h5 md5 {v}", 'ETag: "{v}"']),
    ("hash-or-digest", lambda: "sha512-" + b64(draw.rbytes(64)), ['"integrity": "{v}"']),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-b7ad6b7169203331-01", "trace.trace_id={v} service.name=grants-sync"]),
    ("trace-id", hex_n(16), ["span_id={v} name=slurmrestd.submit"]),
    ("trace-id", draw.long_trace, ["sentry trace {v}"]),
    ("cloud-resource-id", lambda: "i-0" + rs(HEX, 16), ["$ aws ec2 terminate-instances --instance-ids {v}", "burst node {v} idle 30m"]),
    ("cloud-resource-id", lambda: f"arn:aws:iam::{rs(DIG, 12)}:role/pcluster-burst", ["role_arn = {v}"]),
    ("cloud-resource-id", lambda: "subnet-0" + rs(HEX, 16), ['SubnetId: {v}']),
    ("cloud-resource-id", lambda: f"/subscriptions/{uuid4()}/resourceGroups/rg-burst/providers/Microsoft.Compute/virtualMachineScaleSets/hpc-burst", ["scope: {v}"]),
    ("cloud-resource-id", lambda: f"projects/qarc-burst/zones/us-central1-a/instances/burst-{rs(LOW + DIG, 5)}", ["$ gcloud compute instances delete {v}"]),
    ("placeholder", lambda: "<PASSWORD>", ["StoragePass={v}", "$ mysql -u slurm -p{v} slurm_acct_db"]),
    ("placeholder", lambda: "changeme", ["MINIO_ROOT_PASSWORD={v}  # local dev only", "bind_password: {v}"]),
    ("placeholder", lambda: "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["HF_TOKEN={v}"]),
    ("placeholder", lambda: "YOUR_API_KEY_HERE", ["ZENODO_ACCESS_TOKEN={v}", "orcid.client-secret={v}"]),
    ("placeholder", lambda: "mysql://slurm:password@localhost/slurm_acct_db", ["# docs: StorageLoc={v}"]),
    ("templated-value", lambda: "${SLURMDBD_PASS}", ["StoragePass={v}", "$ mysql -u slurm -p{v} -h slurmdb-1"]),
    ("templated-value", lambda: "{{ slurmdbd_storage_pass }}", ["StoragePass={v}"]),
    ("templated-value", lambda: "{{ lookup('hashi_vault', 'secret=kv/arc/rgw:secret') }}", ["rgw_secret_key: \"{v}\""]),
    ("templated-value", lambda: "${{ secrets.HF_TOKEN }}", ["          HF_TOKEN: {v}"]),
    ("templated-value", lambda: "$BUILDKITE_AGENT_TOKEN", ['token="{v}"']),
    ("masked-value", lambda: "[REDACTED]", ["c.GitHubOAuthenticator.client_secret = \"{v}\"", "WANDB_API_KEY={v}"]),
    ("masked-value", lambda: "********", ["$ mysql -u slurm -p -h slurmdb-1\nEnter password: {v}", "StoragePass={v}"]),
    ("masked-value", lambda: "AKIA************", ["IAM shows the burst key {v} as deactivated"]),
    ("keyword-no-value", lambda: "StoragePass", ["PM-301: slurmdbd.conf carried {v} in clear text; now read from Vault."]),
    ("keyword-no-value", lambda: "cookie_secret", ["ADR-41 leaves {v} on a file mounted by the hub pod."]),
    ("keyword-no-value", lambda: "client_secret", ["OAuth callback failed: invalid {v} (rotated during PM-305)"]),
    ("keyword-no-value", lambda: "password", ["RB-14: rotate the SQL {v} for grants_ro every 90 days."]),
    (
        "private-or-reserved-ip",
        priv_ip,
        ["SlurmctldHost=hpc-head-01({v})", "$ ssh -J login-2 hpcadmin@{v}", "rgw_frontends = \"beast endpoint={v}:7480\""],
    ),
    ("private-or-reserved-ip", draw.doc_ip, ["lab VPN test address {v}"]),
    ("private-or-reserved-ip", lambda: f"100.{rng.randint(64, 127)}.3.7", ["Tailscale node {v} (gpu-a100-17)"]),
    ("example-email", lambda: f"{rng.choice(STAFF)}@quillfeather.example", ["Reviewed-by: {v}", "on-call: {v}"]),
    ("example-email", lambda: "researcher@example.org", ['{"email":"{v}","quota_tb":20}']),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["aws_access_key_id={v}  # AWS docs sample"]),
    ("vendor-example-key", lambda: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ["# pcluster docs snippet\naws_secret_access_key={v}"]),
    ("vendor-example-key", lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", ["registration sandbox uses Stripe's doc key {v}"]),
    ("version-or-date", lambda: f"{rng.randint(20, 25)}.{rng.choice(['02', '05', '11'])}.{rng.randint(0, 9)}", ["Slurm {v} upgrade window", "slurmctld version {v}"]),
    ("version-or-date", iso, ["slurmctld lost contact with slurmdbd at {v}", "JupyterHub restarted {v}"]),
    ("public-key-or-cert", lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " hpcadmin@login-2", ["# ~hpcadmin/.ssh/authorized_keys\n{v}"]),
    ("public-key-or-cert", draw.pub_pem, ["# slurm JWKS public key\n{v}"]),
    ("public-key-or-cert", lambda: draw.cert_pem(), ["$ openssl s_client -connect jhub-prod-2:443 -showcerts\n{v}"]),
    ("ids-and-numbers", lambda: str(rng.randint(4_100_000, 4_899_999)), ["$ scancel {v}", "JobId={v} JobName=relion_refine UserId=nkechi(51234)"]),
    ("ids-and-numbers", lambda: f"0000-000{rng.randint(1, 3)}-{rs(DIG, 4)}-{rs(DIG, 3)}X", ["ORCID iD {v} linked to award"]),
    ("ids-and-numbers", lambda: f"10.5281/zenodo.{rs(DIG, 8)}", ["dataset DOI {v}"]),
    ("ids-and-numbers", lambda: f"EP/{rng.choice('VWXY')}{rs(DIG, 6)}/1", ["grant reference {v} (UKRI)"]),
    ("ids-and-numbers", lambda: "Iv1." + rs(HEX, 16), ["GitHub OAuth app client id {v} (public)"]),
    ("ids-and-numbers", lambda: rs(DIG, 12), ["AWS account {v} (qarc-burst)"]),
    ("ids-and-numbers", lambda: "RRID:SCR_" + rs(DIG, 6), ["cite the cluster as {v}"]),
    ("ids-and-numbers", lambda: f"arXiv:{rng.randint(2301, 2611)}.{rs(DIG, 5)}", ["preprint {v} acknowledges QARC"]),
    ("luhn-fail-number", luhn_bad, ["campus card serial {v} deactivated", "Salesforce opportunity line {v}"]),
    ("documented-test-card", lambda: "4242 4242 4242 4242", ["summer-school checkout tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"partition":"gpu","qos":"normal"}'), ["X-Job-Hints: {v}"]),
    ("base64-nonsecret", lambda: b64(f"node gpu-a100-{rs(DIG, 2)} drained".encode()), ["$ kubectl get cm node-status -o jsonpath='{.binaryData.msg}'\n{v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["# envs/burst/secrets.enc.yaml\nslurmdbd_pass: {v}"]),
    ("encrypted-value", lambda: draw.sealed(140), ["  encryptedData:\n    client_secret: {v}"]),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs("0123456789abcdef", 80) for _ in range(4)),
        ["slurmdbd_storage_pass: !vault |\n{v}"],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("hash-or-digest", lambda: draw.sha512_crypt(), ["$ getent shadow svc-ood | cut -d: -f2\n{v}"]),
    ("hash-or-digest", lambda: draw.bcrypt("$2b$12$"), ["coldfront=> select password from auth_user where id = 3;\n {v}"]),
    ("hash-or-digest", hex_n(40), ["sha1sum relion-5.0.tar.gz\n{v}  relion-5.0.tar.gz"]),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel id {v}"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#arc-alerts)"]),
    ("ids-and-numbers", lambda: "P" + rs(UP + DIG, 6), ["PagerDuty service {v} (HPC core)"]),
    ("ids-and-numbers", lambda: "qarc-" + rs(LOW + DIG, 6), ["Buildkite pipeline slug {v}"]),
    ("ids-and-numbers", lambda: "hf_…" + rs(LOW, 4), ["Hugging Face shows the revoked token as {v}"]),
    ("ids-and-numbers", lambda: "0063z" + rs(ALNUM, 10), ["Salesforce Opportunity {v} (award record)"]),
    ("cloud-resource-id", lambda: f"arn:aws:s3:::qarc-burst-scratch-{rs(LOW + DIG, 6)}", ["bucket {v} emptied"]),
    ("cloud-resource-id", lambda: f"arn:aws:secretsmanager:us-east-2:{rs(DIG, 12)}:secret:burst/slurm-{rs(ALNUM, 6)}", ["$ aws secretsmanager get-secret-value --secret-id {v} --query Name"]),
    ("placeholder", lambda: "https://hooks.slack.com/services/T000/B000/XXXX", ["      - api_url: '{v}'"]),
    ("placeholder", lambda: "-----BEGIN RSA PRIVATE KEY-----\n<paste key here>\n-----END RSA PRIVATE KEY-----", ["key: |\n{v}"]),
    ("placeholder", lambda: "<redacted>", ["| RB-14 step 6 | set grants-sync SQL login | new password {v} |"]),
    ("templated-value", lambda: "%(SLURM_DB_PASS)s", ["[slurmdbd]\npassword = {v}"]),
    ("templated-value", lambda: "os.environ['HF_TOKEN']", ["login(token={v})"]),
    ("templated-value", lambda: "@Microsoft.KeyVault(SecretUri=https://kv-burst.vault.azure.net/secrets/sched/)", ["AzureClientSecret={v}"]),
    ("masked-value", lambda: "ghp_****", ["secret scanning alert: {v} (closed, revoked)"]),
    ("masked-value", lambda: "~~~ Environment: BUILDKITE_AGENT_ACCESS_TOKEN=[filtered]", ["{v}"]),
    ("keyword-no-value", lambda: "MUNGE_KEY", ["ADR-44: burst nodes fetch {v} from Vault at boot, never from the AMI."]),
    ("keyword-no-value", lambda: "SSWS", ["Okta expects the {v} scheme, not Bearer."]),
    ("private-or-reserved-ip", lambda: "169.254.169.254", ["$ curl -s http://{v}/latest/meta-data/instance-id"]),
    ("private-or-reserved-ip", lambda: "fd7a:115c:a1e0::12", ["tailnet address {v}"]),
    ("version-or-date", lambda: "2026-10-21", ["| {v} | PM-309 | RGW bucket exposed 02:40-06:15 |"]),
    ("version-or-date", lambda: "v0.0.40", ["slurmrestd API {v} deprecated next release"]),
    ("public-key-or-cert", lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58), ["creation_rules:\n  - path_regex: envs/burst/.*\n    age: {v}"]),
    ("public-key-or-cert", lambda: draw.ec_pub_pem(), ["# grants portal webhook verification key\n{v}"]),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("base64-nonsecret", lambda: b64(b"hpcadmin"), ["$ echo -n hpcadmin | base64\n{v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO campus_cards (serial) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "5555555555554444", ["Stripe test Mastercard {v} used in staging"]),
    ("git-sha", sha40, ["| {t} | {who} rolled slurm-config back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM spawners WHERE id = '{v}';", "  <awardId>{v}</awardId>"]),
    ("hash-or-digest", hex_n(64), ['resource "aws_s3_object" "bootstrap" {\n  source_hash = "{v}"\n}']),
    ("trace-id", hex_n(32), ['{"level":"error","msg":"globus timeout","trace_id":"{v}"}']),
    ("example-email", lambda: "noreply@arc.quillfeather.example", ["From: QARC Helpdesk <{v}>"]),
    ("encrypted-value", lambda: "vault:v1:" + b64(draw.rbytes(40)), ["iban_ciphertext={v}"]),
    ("ids-and-numbers", lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com", ["OAuth client id {v} (public)"]),
    ("ids-and-numbers", lambda: "pk_live_…", ["publishable key prefix {v} is fine in the page"]),
    ("ids-and-numbers", lambda: f"01{rs('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 24)}", ["BUILDKITE_BUILD_NUMBER=412 BUILDKITE_JOB_ID={v}"]),
    ("trace-id", lambda: rs(HEX, 16) + ":" + rs(HEX, 16) + ":0:1", ["uber-trace-id: {v}"]),
    ("encrypted-value", lambda: "-----BEGIN PGP MESSAGE-----\n\nhQEMA" + rs(B64, 59) + "\n" + rs(B64, 64) + "\n=" + rs(B64, 4) + "\n-----END PGP MESSAGE-----", ["# stipend file sent to finance (encrypted)\n{v}"]),
    ("hash-or-digest", lambda: "{SSHA}" + b64(draw.rbytes(24)), ["olcRootPW in cn=config is now a salted hash: {v}"]),
    ("cloud-resource-id", lambda: "ami-0" + rs(HEX, 16), ["  Image:\n    CustomAmi: {v}"]),
    ("ids-and-numbers", lambda: "ORG-" + rs(DIG, 5), ["Globus subscription {v} (public on the endpoint page)"]),
    ("ids-and-numbers", lambda: f"sbatch: Submitted batch job {rng.randint(4_100_000, 4_899_999)}", ["$ sbatch relion.sh\n{v}"]),
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
    r"|hv[sb]\.[A-Za-z0-9_-]{20}|\.atlasv1\.|HRKU-|ATATT|sk-proj-|webhooks/\d{10}|webhookb2/"
    r"|bkua_|hcaik_|sntryu_|key-[a-f0-9]{32}|EAAAE|dp\.st\.|npm_[A-Za-z0-9]{30}|pypi-AgE|hf_[A-Za-z]{30}|dckr_pat_"
    r"|AGE-SECRET-KEY-|/hooks/[a-z0-9]{26}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the centre's own, not mailboxes.
OK_MAIL_32 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_32,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t32", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
