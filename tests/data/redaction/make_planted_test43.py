# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test43.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test43.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270143)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a consortium of public libraries, Quirehaven Libraries Consortium (QLC):
PM-7 the self-checkout kiosk outage (SIP2, Koha, MariaDB, Memcached, Elasticsearch), PM-9 the e-book
vendor credential leak (EZproxy, Contentful, Dropbox, Figma, Typeform), PM-11 the patron-account
takeover attempt (Okta, Entra ID, Duo, LDAP, reCAPTCHA, hCaptcha), RB-2 rotating the website keys
(WordPress, Drupal, Laravel, Django), RB-4 public Wi-Fi and printing (RADIUS, hostapd, Meraki, SNMP,
Windows Group Policy), ADR-5 hold notices by SMS and e-mail (Twilio, Mailgun, Brevo, Zoom), ADR-8
moving the catalogue to GCP (Terraform, Jenkins, SonarQube, Buildkite, Databricks, package registries)
and PM-13 a fines export mailed to a volunteer (cards, IBANs, phones). Common shapes come first in
each kind (``t43p…``/``t43n…``).
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
OUT = HERE / "planted_test43.jsonl"
FOLD = "test43"
rng = Random(20270143)
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
    "folio",
    "octavo",
    "colophon",
    "marginalia",
    "vellum",
    "codex",
    "quire",
    "lectern",
    "carrel",
    "palimpsest",
]


def password() -> str:
    return draw.password4(WORDS)


def plain_pw() -> str:
    return draw.plain_password(WORDS)


def letters_pw() -> str:
    """A password of letters only (no digit, no symbol)."""
    return rs(UP + LOW, rng.randint(14, 22))


def basic_cred() -> str:
    return draw.basic_cred(["sip2-kiosk", "ezproxy", "catalog-sync", "print-release", "holds-notify"], WORDS)


def okta_jwt() -> str:
    body = {
        "ver": 1,
        "iss": "https://quirehaven.okta.com/oauth2/default",
        "aud": "api://patron-portal",
        "sub": "patron" + rs(DIG, 7),
        "scp": ["openid", "holds:write"],
        "exp": rng.randint(1_790_000_000, 1_799_000_000),
    }
    return encode_jwt({"kid": rs(B64URL, 43), "alg": "RS256"}, body, rs(B64URL, 342))


def koha_api_jwt() -> str:
    body = {"iss": "koha", "sub": "kiosk-" + rs(DIG, 2), "branch": rng.choice(["CEN", "NOR", "EST", "MOB"]), "iat": rng.randint(1_790_000_000, 1_799_000_000)}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


# ---------------------------------------------------------------------------- vendor shapes
def hex_n(n: int) -> Gen:
    return lambda: rs(HEX, n)


def opaque(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def okta_token() -> str:
    return "00" + rs(ALNUM + "-_", 40)


def mailgun_key() -> str:
    return "key-" + rs(HEX, 32)


def mailgun_new_key() -> str:
    return rs(HEX, 32) + "-" + rs(HEX, 8) + "-" + rs(HEX, 8)


def brevo_key() -> str:
    return "xkeysib-" + rs(HEX, 64) + "-" + rs(ALNUM, 16)


def contentful_pat() -> str:
    return "CFPAT-" + rs(B64URL, 43)


def jenkins_token() -> str:
    return "11" + rs(HEX, 32)


def sonar_token() -> str:
    return rng.choice(["squ_", "sqp_", "sqa_"]) + rs(HEX, 40)


def databricks_token() -> str:
    return "dapi" + rs(HEX, 32)


def grafana_cloud_token() -> str:
    inner = {"o": rs(DIG, 6), "n": "qlc-catalog-" + rs(LOW, 4), "k": rs(ALNUM, 24), "m": {"r": "prod-eu-west-2"}}
    return "glc_" + b64(json.dumps(inner, separators=(",", ":")).encode()).rstrip("=")


def buildkite_token() -> str:
    return "bkua_" + rs(HEX, 40)


def pypi_token() -> str:
    return "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 160)


def rubygems_key() -> str:
    return "rubygems_" + rs(HEX, 48)


def nuget_key() -> str:
    return "oy2" + rs(LOW + DIG, 43)


def dropbox_token() -> str:
    return "sl.B" + rs(B64URL, 136)


def figma_pat() -> str:
    return "figd_" + rs(B64URL, 40)


def typeform_pat() -> str:
    return "tfp_" + rs(ALNUM, 44) + "_" + rs(ALNUM, 14)


def recaptcha_key() -> str:
    return "6L" + rng.choice("cdef") + rs(B64URL, 37)


def hcaptcha_secret() -> str:
    return "0x" + rs(HEX, 40)


def duo_ikey() -> str:
    return "DI" + rs(UP + DIG, 18)


def laravel_key() -> str:
    return "base64:" + b64(draw.rbytes(32))


def wp_salt() -> str:
    return rs(ALNUM + "!@#$%^&*()-_[]{}<>~+=,.;:/?|", 64)


def django_key() -> str:
    return rs(LOW + DIG + "!@#$%^&*(-_=+)", 50)


def cpassword() -> str:
    return b64(draw.rbytes(32)).rstrip("=")


def twilio_sk() -> str:
    return "SK" + rs(HEX, 32)


def zoom_secret() -> str:
    return rs(ALNUM, 32)


def paypal_secret() -> str:
    return "E" + rs(B64URL, 79)


def gcp_kms_cipher() -> str:
    return "CiQA" + b64(draw.rbytes(90))


def jenkins_encrypted() -> str:
    return "{AQAAABAAAAAQ" + b64(draw.rbytes(48)) + "}"


def k8s_b64() -> str:
    return b64(plain_pw().encode())


def gchat_hook() -> str:
    return f"https://chat.googleapis.com/v1/spaces/AAAA{rs(B64URL, 7)}/messages?key=AIzaSy{rs(B64URL, 33)}&token={rs(B64URL, 43)}"


def teams_hook() -> str:
    return f"https://quirehaven.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}/{rs(B64URL, 43)}"


def ifttt_hook() -> str:
    return f"https://maker.ifttt.com/trigger/kiosk_down/with/key/{rs(B64URL, 43)}"


def digits_not_luhn(first: str, n: int) -> str:
    """``n`` digits starting with ``first`` that fail the Luhn check (so no card rule may take them)."""
    while True:
        v = first + rs(DIG, n - len(first))
        if not luhn_ok(v):
            return v


def isbn13() -> str:
    body = "978" + rs(DIG, 9)
    check = (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body)) % 10) % 10
    return body + str(check)


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v)


def national_id_ok(row: dict) -> bool:
    return ssn_or_nino_ok(row["value"])


# ---------------------------------------------------------------------------- personal values
FIRST = ["evangeline", "cornelius", "perpetua", "lysander", "theodora", "augustin", "rosamund", "ezekiel", "wilhelmina"]
LAST = ["quillfeather", "bookbinder", "inglenook", "marchbanks", "readwell", "pagett", "lanternby"]
MAIL = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "aol.com", "comcast.net", "hotmail.co.uk"]


def email() -> str:
    return draw.email(FIRST, LAST, MAIL)


SVCS = ["koha-opac", "sip2-gw", "ezproxy", "holds-notify", "print-release", "catalog-sync", "patron-portal"]
STAFF = ["ngozi", "fergus", "ingrid", "matthias", "yasmin", "dmitri", "lorna", "temitope"]
HOSTS = ["koha-1", "mariadb-2", "sip2-gw-1", "ezproxy-1", "radius-1", "es-node-2", "jenkins-1"]
BRANCHES = ["Central", "Northgate", "Eastbrook", "Mill Lane", "Bookmobile"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "branch": lambda: rng.choice(BRANCHES),
    "tkt": lambda: str(rng.randint(10_000, 49_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

TL = "| {t} | #qlc-major-incident | {who}: "
CHAT = "{t} <{who}> "
RT = "RT #{tkt} (comment by {who}): "
HIST = "  {num}  "
JENKINS = "[Pipeline] sh\n+ ./deploy-opac.sh\n"
PERLTRACE = "DBI connect('database=koha_qlc;host=mariadb-2','koha_qlc',...) failed: Access denied at /usr/share/koha/lib/C4/Context.pm line 811.\n"
PHPTRACE = "PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [1045] Access denied in /var/www/drupal/core/lib/Drupal/Core/Database/Driver/mysql/Connection.php:141\nStack trace:\n"
JAVATRACE = "javax.naming.AuthenticationException: [LDAP: error code 49 - Invalid Credentials]\n\tat com.sun.jndi.ldap.LdapCtx.mapErrorCode(LdapCtx.java:3261)\n\tat org.qlc.sso.LdapBind.bind(LdapBind.java:58)\n"
DOTNET = "Unhandled exception. System.Net.Http.HttpRequestException: Response status code does not indicate success: 401 (Unauthorized).\n   at Qlc.PrintRelease.Program.Main(String[] args) in C:\\src\\PrintRelease\\Program.cs:line 44\n"
SYSLOG = "{ts} {host} {svc}[{num}]: "
EXPORT = "patron_id,name,email,phone,last_login_ip,card_on_file,refund_iban\n"
TFV = "# envs/catalog-gcp/terraform.tfvars\n"
WPC = "// wp-config.php (branch events site)\n"


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[tuple[str, str, str]]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        draw.akid,
        [
            "$ aws configure set aws_access_key_id {v} --profile glacier-archive",
            "ENV AWS_ACCESS_KEY_ID={v}",
            "Environment=AWS_ACCESS_KEY_ID={v}",
        ],
    ),
    (
        "aws-key",
        draw.aws_secret,
        [
            "$ aws configure set aws_secret_access_key {v} --profile glacier-archive",
            "Environment=AWS_SECRET_ACCESS_KEY={v}",
            "  s3:\n    bucket: qlc-digitised-maps\n    secret_key: {v}",
        ],
    ),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "ENTRA_CLIENT_SECRET={v}",
            '$ az ad sp credential reset --id {uuid} --query password -o tsv\n{v}',
            '<add key="ida:ClientSecret" value="{v}" />',
        ],
    ),
    ("azure-key", draw.az_account_key, ['$ azcopy login --tenant-id {uuid}  # then: export AZURE_STORAGE_KEY="{v}"']),
    (
        "gcp-key",
        draw.gcp_api,
        ["BOOKS_API_KEY={v}", "$ curl 'https://www.googleapis.com/books/v1/volumes?q=isbn:9780141439518&key={v}'"],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        ['{\n  "type": "service_account",\n  "project_id": "qlc-catalog",\n  "private_key": "{v}",\n  "client_email": "cloudbuild-deployer@qlc-catalog.iam.gserviceaccount.com"\n}'],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "$ GH_TOKEN={v} gh release create v24.05.3 --repo quirehaven/koha-plugins",
            "[credential \"https://github.com\"]\n\thelper = store\n# ~/.git-credentials: https://qlc-bot:{v}@github.com",
            "git config --global url.\"https://{v}@github.com/\".insteadOf \"https://github.com/\"",
            "withCredentials([string(credentialsId: 'gh', variable: 'T')]) { /* was: '{v}' */ }",
        ],
    ),
    ("gitlab-token", draw.gl_token, ["$ git push https://oauth2:{v}@gitlab.qlc.internal/web/opac-theme.git", "$ gitlab-runner register --non-interactive --url https://gitlab.qlc.internal --token {v} --executor docker"]),
    (
        "slack-token",
        draw.slack_token,
        ["$env:SLACK_BOT_TOKEN = '{v}'", "slack_token: {v}  # branch-alerts bot"],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        ["SLACK_WEBHOOK={v}", "    post {\n        failure { sh \"curl -X POST -d @msg.json {v}\" }\n    }"],
    ),
    (
        "stripe-key",
        draw.stripe_key,
        ["define('STRIPE_SECRET', '{v}');", "fines_payments:\n  stripe_secret_key: {v}"],
    ),
    ("stripe-key", draw.stripe_whsec, ["$settings['qlc_fines.stripe_webhook_secret'] = '{v}';"]),
    (
        "jwt",
        okta_jwt,
        [
            "PUT /api/v1/patrons/holds/88412 HTTP/1.1\nHost: portal.quirehaven.example\nAuthorization: Bearer {v}",
            '{"access_token":"{v}","token_type":"Bearer","expires_in":3600,"scope":"openid holds:write"}',
        ],
    ),
    ("jwt", koha_api_jwt, ["KOHA_KIOSK_JWT={v}", "$ http GET koha-1:8080/api/v1/checkouts 'Authorization:Bearer {v}'"]),
    ("private-key", draw.pk("rsa"), ["# /etc/shibboleth/sp-signing-key.pem (copied into the ticket, PM-11)\n{v}"]),
    ("private-key", draw.pk("ec", "    "), ["saml:\n  sp_key: |\n    {v}"]),
    ("private-key", draw.pk("ssh"), ["PS C:\\> Get-Content $HOME\\.ssh\\id_ed25519\n{v}"]),
    ("private-key", draw.pk("pkcs8"), ["$ openssl pkcs12 -in ezproxy.pfx -nocerts -nodes -passin pass:\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "mysql://koha_qlc:{v}@mariadb-2.qlc.internal:3306/koha_qlc",
            "ELASTICSEARCH_URL=https://elastic:{v}@es-node-2.qlc.internal:9200",
            "OPENSRF_DB=postgres://evergreen:{v}@{pip}:5432/evergreen",
            "$ git clone https://web:{v}@git.qlc.internal/opac/theme.git",
            "amqps://holds:{v}@{pip}:5671/%2Fnotices",
            "$databases['default']['default'] = ['url' => 'mysql://drupal:{v}@{pip}/drupal_branches'];",
            "smtp_url = smtp://postmaster%40mg.quirehaven.example:{v}@smtp.eu.mailgun.org:587",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            WPC + "define( 'DB_PASSWORD', '{v}' );",
            "<pass>{v}</pass>",
            "# /etc/sssd/sssd.conf\n[domain/qlc]\nldap_default_bind_dn = cn=opac,ou=svc,dc=qlc,dc=internal\nldap_default_authtok = {v}",
            "$cred = New-Object PSCredential('QLC\\print-svc', (ConvertTo-SecureString '{v}' -AsPlainText -Force))",
            "  ansible_become_pass: '{v}'",
            "KOHA_DB_PASS={v}",
            "ARG KOHA_DB_PASS={v}\nRUN koha-create --use-db qlc",
            '<user username="manager" password="{v}" roles="manager-gui"/>',
            '"ConnectionStrings": {\n  "Release": "Server={pip};Database=papercut;User Id=release;Password={v};"\n}',
            "  listen stats\n    bind :8404\n    stats auth admin:{v}",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            "# /etc/hostapd/hostapd.conf (staff SSID)\nssid=QLC-Staff\nwpa_passphrase={v}",
            "client kiosk-net {\n    ipaddr = 10.40.0.0/16\n    secret = {v}\n}",
            "rocommunity {v} 10.40.0.0/16",
            "> net use \\\\fs-1\\scans {v} /user:QLC\\scan-svc",
            "# ~/.pgpass on catalog-sync\npg-evergreen:5432:evergreen:evergreen:{v}",
            "9300CNsip2-kiosk-07|CO{v}|CPCEN|",
            "$ ldappasswd -x -H ldaps://ldap.qlc.internal -D cn=admin,dc=qlc,dc=internal -W -s {v} uid=sip2-kiosk,ou=svc,dc=qlc,dc=internal",
            "$ ldapsearch -x -H ldaps://ldap.qlc.internal -D cn=admin,dc=qlc,dc=internal -w {v} '(uid=dmitri)'",
            "# /etc/postfix/sasl_passwd\n[smtp.eu.mailgun.org]:587 postmaster@mg.quirehaven.example:{v}",
            "# /etc/nslcd.conf\nbinddn cn=nslcd,ou=svc,dc=qlc,dc=internal\nbindpw {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "Authorization: Basic {v}",
            'proxy_set_header Authorization "Basic {v}";',
            '"auths": {\n  "europe-west2-docker.pkg.dev": { "auth": "{v}" }\n}',
        ],
    ),
    (
        "basic-auth",
        plain_pw,
        ["$ curl --user ezproxy:{v} https://ezproxy-1.qlc.internal/admin/status", "$ Invoke-RestMethod -Uri $u -Credential (New-Object PSCredential('print-release', (ConvertTo-SecureString '{v}' -AsPlainText -Force)))"],
    ),
    ("bearer-token", opaque(40), ["Authorization: Bearer {v}", "curl -H \"Authorization: Bearer {v}\" https://api.overdrive.example/v1/collections/qlc"]),
    ("vendor-token", okta_token, ["OKTA_API_TOKEN={v}", "Authorization: SSWS {v}", "okta:\n  client:\n    orgUrl: https://quirehaven.okta.com\n    token: {v}"]),
    ("vendor-token", mailgun_key, ["MAILGUN_API_KEY={v}", "$ curl -s --user 'api:{v}' https://api.eu.mailgun.net/v3/mg.quirehaven.example/messages -F to=ops@quirehaven.example"]),
    ("vendor-token", mailgun_new_key, ["mailgun.api_key={v}", '[Service]\nEnvironment="MAILGUN_API_KEY={v}"\nExecStart=/usr/bin/holds-notify']),
    ("vendor-token", brevo_key, ["BREVO_API_KEY={v}", "api-key: {v}"]),
    ("vendor-token", contentful_pat, ["CONTENTFUL_MANAGEMENT_TOKEN={v}", "$ contentful login --management-token {v}"]),
    ("vendor-token", hex_n(40), ["X-Cisco-Meraki-API-Key: {v}", "MERAKI_DASHBOARD_API_KEY={v}"]),
    ("vendor-token", jenkins_token, ["$ curl -u fergus:{v} https://jenkins-1.qlc.internal/job/opac/build", "JENKINS_API_TOKEN={v}"]),
    ("vendor-token", sonar_token, ["SONAR_TOKEN={v}", "$ sonar-scanner -Dsonar.host.url=https://sonar.qlc.internal -Dsonar.token={v}"]),
    ("vendor-token", uuid4, ["SNYK_TOKEN={v}"]),
    ("vendor-token", databricks_token, ["DATABRICKS_TOKEN={v}", "[DEFAULT]\nhost = https://adb-31.azuredatabricks.net\ntoken = {v}"]),
    ("vendor-token", grafana_cloud_token, ["GRAFANA_CLOUD_TOKEN={v}"]),
    ("vendor-token", buildkite_token, ["BUILDKITE_API_TOKEN={v}"]),
    ("vendor-token", pypi_token, ["[pypi]\n  username = __token__\n  password = {v}", "$ twine upload -u __token__ -p {v} dist/*"]),
    ("vendor-token", rubygems_key, ["---\n:rubygems_api_key: {v}"]),
    ("vendor-token", nuget_key, ["$ dotnet nuget push PrintRelease.3.1.0.nupkg --api-key {v} --source https://api.nuget.org/v3/index.json"]),
    ("vendor-token", dropbox_token, ["DROPBOX_ACCESS_TOKEN={v}", "    - name: Sync scans\n      env:\n        DROPBOX_TOKEN: {v}\n      run: ./sync-scans.sh"]),
    ("vendor-token", figma_pat, ["X-Figma-Token: {v}"]),
    ("vendor-token", typeform_pat, ["TYPEFORM_TOKEN={v}"]),
    ("vendor-token", draw.atlassian_token, ["JIRA_API_TOKEN={v}"]),
    ("vendor-token", draw.ado_pat, ["$ az devops login --organization https://dev.azure.com/quirehaven <<< {v}"]),
    ("vendor-token", draw.heroku_key, ["HEROKU_API_KEY={v}"]),
    ("vendor-token", draw.openai_key, ["OPENAI_API_KEY={v}"]),
    ("vendor-token", draw.tf_cloud_token, ['credentials "app.terraform.io" { token = "{v}" }']),
    ("vendor-token", draw.apple_app_password, ["FASTLANE_APPLE_APPLICATION_SPECIFIC_PASSWORD={v}"]),
    ("vendor-token", twilio_sk, ["TWILIO_API_KEY={v}"]),
    ("vendor-token", hex_n(32), ["TWILIO_AUTH_TOKEN={v}", "  twilio:\n    auth_token: {v}"]),
    ("vendor-token", draw.sendgrid_key, ["SENDGRID_API_KEY={v}"]),
    ("vendor-token", draw.gcp_oauth_secret, ["GOOGLE_CLIENT_SECRET={v}"]),
    ("generic-api-key", recaptcha_key, ["RECAPTCHA_SECRET_KEY={v}", "$settings['recaptcha_secret_key'] = '{v}';"]),
    ("generic-api-key", hcaptcha_secret, ["HCAPTCHA_SECRET={v}"]),
    ("generic-api-key", opaque(40), ["duo:\n  ikey: DIWJ8X3K7Q2M5N9P4R1T\n  skey: {v}\n  host: api-4f2a91c3.duosecurity.com", "EZPROXY_SSO_SECRET={v}"]),
    ("generic-api-key", laravel_key, ["APP_KEY={v}"]),
    ("generic-api-key", wp_salt, [WPC + "define( 'AUTH_KEY', '{v}' );"]),
    ("generic-api-key", django_key, ["SECRET_KEY = '{v}'"]),
    ("generic-api-key", lambda: rs(B64URL, 22), ["GA4_API_SECRET={v}"]),
    ("generic-api-key", zoom_secret, ["ZOOM_CLIENT_SECRET={v}"]),
    ("generic-api-key", lambda: rs(B64URL, 40), ["okta.oauth2.client-secret={v}"]),
    ("generic-api-key", paypal_secret, ["PAYPAL_CLIENT_SECRET={v}"]),
    ("generic-api-key", hex_n(32), ["Cookie: CGISESSID={v}; KohaOpacLanguage=en", "$settings['hash_salt'] = '{v}';"]),
    ("webhook-url", gchat_hook, ["GCHAT_WEBHOOK={v}"]),
    ("webhook-url", teams_hook, ["$hook = '{v}'"]),
    ("webhook-url", ifttt_hook, ["IFTTT_KIOSK_HOOK={v}"]),
    ("webhook-url", draw.discord_hook, ["discord_webhook = \"{v}\""]),
    (
        "k8s-secret-b64",
        k8s_b64,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: koha-db\n  namespace: catalog\ndata:\n  KOHA_DB_PASS: {v}",
            "data:\n  ldap-bind-password: {v}",
        ],
    ),
]

# ---------------------------------------------------------------------------- rare secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, [DOTNET + "   (Amazon.Runtime.AmazonServiceException: The AWS Access Key Id {v} does not exist)"]),
    ("aws-key", draw.aws_secret, [RT + "the vendor's scanner config had aws_secret = {v} in plain text"]),
    (
        "password-in-url",
        plain_pw,
        [
            PHPTRACE + "#0 /var/www/drupal/core/lib/Drupal/Core/Database/Database.php(447): Connection::open(Array)\n#1 {main}\n  db_url: mysql://drupal:{v}@{pip}/drupal_branches",
            JAVATRACE + "ldap.url=ldaps://opac-bind:{v}@{pip}:636/dc=qlc,dc=internal",
            SYSLOG + "retrying feed https://vendorfeed:{v}@{pip}/marc/daily.mrc",
        ],
    ),
    (
        "password-assignment",
        letters_pw,
        [
            PERLTRACE + "  (DBI password was '{v}' per koha-conf.xml)",
            "<AdministratorPassword>\n  <Value>{v}</Value>\n  <PlainText>true</PlainText>\n</AdministratorPassword>",
            "# ezproxy/user.txt\nezadmin:{v}:admin",
            "0 3 * * * mysqldump -u backup --password={v} koha_qlc | gzip > /srv/bk/koha.sql.gz",
            "self-checkout kiosk (Northgate) sticky note photographed in PM-7: admin PIN/password {v}",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "| RB-4 step 5 | new RADIUS shared secret | {v} | pushed to all APs |",
            TL + "temporary Koha superlibrarian password: {v}",
            'String bindPassword = "{v}"; // LdapBind.java',
        ],
    ),
    ("password-assignment", cpassword, ['<Properties action="U" userName="QLC\\kiosk-admin" cpassword="{v}" changeLogon="0" />']),
    ("jwt", okta_jwt, [HIST + "http :8080/api/v1/holds Authorization:'Bearer {v}'"]),
    ("jwt", koha_api_jwt, [CHAT + "kiosk token for the Eastbrook tests: {v}"]),
    ("github-token", draw.gh_token, [JENKINS + "fatal: could not read from https://qlc-bot:{v}@github.com/quirehaven/opac-theme.git"]),
    ("slack-token", draw.slack_token, [SYSLOG + "slack post failed token={v} err=account_inactive"]),
    ("stripe-key", draw.stripe_key, [RT + "the fines page JS has {v} in it, please rotate"]),
    ("vendor-token", okta_token, [JAVATRACE + "\tokta.client.token={v}"]),
    ("vendor-token", mailgun_key, ["koha=> SELECT value FROM systempreferences WHERE variable = 'MailgunKey';\n {v}"]),
    ("vendor-token", brevo_key, [SYSLOG + "POST https://api.brevo.com/v3/smtp/email 401 api-key={v}"]),
    ("vendor-token", hex_n(40), ["In [7]: dashboard = meraki.DashboardAPI('{v}')"]),
    ("private-key", draw.pk("rsa"), [TL + "EZproxy cert key so Lorna can renew it:\n{v}"]),
    ("generic-api-key", recaptcha_key, ["POST /recaptcha/api/siteverify HTTP/1.1\nHost: www.google.com\nContent-Type: application/x-www-form-urlencoded\n\nsecret={v}&response=03AFcWeA"]),
    ("generic-api-key", opaque(32), ["{ts} DEBUG catalog-sync GET https://covers.example-vendor.test/api/v2/cover?isbn=9780141439518&apikey={v}"]),
    ("basic-auth", basic_cred, ['{pip} - - [07/May/2026:09:14:02 +0100] "POST /sip2/checkout HTTP/1.1" 401 - "-" "kiosk/5.2" "Authorization: Basic {v}"']),
    ("bearer-token", opaque(60), ["{ts} WARN patron-portal upstream call failed headers={'Authorization': 'Bearer {v}', 'Accept': 'application/json'}"]),
    ("k8s-secret-b64", k8s_b64, ["$ kubectl -n catalog get secret koha-db -o go-template='{{.data.KOHA_DB_PASS}}'\n{v}"]),
    ("webhook-url", draw.slack_hook, [RT + "new hook for #kiosk-alerts: {v}"]),
    ("vendor-token", databricks_token, ['In [3]: w = WorkspaceClient(host="https://adb-31.azuredatabricks.net", token="{v}")']),
]

# ---------------------------------------------------------------------------- personal
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            EXPORT + "P{num},Evangeline Quillfeather,{v},,,,",
            RT + "patron says the overdue notices go to {v} but that is her ex-husband's",
            "{ts} INFO holds-notify mail queued to={v} item=Middlemarch",
            "UPDATE borrowers SET email = '{v}' WHERE borrowernumber = 20431;",
            "To: {v}\nSubject: Your hold is ready at Northgate",
        ],
    ),
    (
        "phone",
        phone,
        [
            EXPORT + "P{num},Cornelius Bookbinder,,{v},,,",
            RT + "call the patron back on {v} about the lost laptop",
            "{ts} INFO holds-notify sms sent to={v} template=HOLD_READY",
            "| Perpetua Inglenook | volunteer coordinator, Mill Lane | {v} |",
            "emergency_contact:\n  name: Lysander Marchbanks\n  phone: \"{v}\"",
        ],
    ),
    (
        "credit-card",
        card,
        [
            EXPORT + "P{num},Theodora Readwell,,,,{v},",
            RT + "patron typed {v} into the fines-payment comment box",
            "{ts} ERROR fines-pay stripe fallback logged pan={v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} sshd[2211]: Failed password for invalid user koha from {v} port 40122 ssh2",
            "{ts} WARN patron-portal 12 failed logins for P20431 from {v}",
            EXPORT + "P{num},Augustin Pagett,,,{v},,",
            '{"event":"opac_login","borrower":20431,"ip":"{v}"}',
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            '{v} - - [07/May/2026:09:02:11 +0100] "GET /cgi-bin/koha/opac-user.pl HTTP/1.1" 200',
            "ezproxy: login ok user=P20431 from {v}",
        ],
    ),
    ("iban", lambda: draw.iban("GB"), [EXPORT + "P{num},Rosamund Lanternby,,,,,{v}"]),
    ("iban", lambda: iban_of("FR", rs(DIG, 10) + rs(UP + DIG, 11) + rs(DIG, 2)), [RT + "volunteer wants travel expenses paid to {v}"]),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("national-id", nino, [RT + "new volunteer's NI number {v} pasted into the DBS-check ticket"]),
    ("national-id", ssn, ["| Ezekiel Pagett | US visiting archivist | SSN {v} | payroll form |"]),
    ("iban", lambda: draw.iban("DE"), ['{"payee":"Wilhelmina Readwell","iban":"{v}","reason":"book-fair refund"}']),
    ("email", email, ["From: {v}\nTo: help@quirehaven.example\nSubject: someone else is using my library card"]),
    ("phone", phone, ["<borrower><surname>Marchbanks</surname><mobile>{v}</mobile></borrower>"]),
    ("credit-card", card, ["koha=> SELECT card_number FROM legacy_fines_payments WHERE id = 310;\n card_number\n-------------\n {v}"]),
    ("ipv4", public_v4, ["X-Forwarded-For: {v}, 10.40.3.11\n(patron-portal access log, PM-11)"]),
    ("ipv6", public_v6, ["koha=> SELECT ip FROM action_logs WHERE action_id = 7741;\n {v}"]),
    ("phone", phone, [CHAT + "Ngozi's home number is {v} if the pager fails"]),
    ("email", email, ["Co-authored-by: Augustin Inglenook <{v}>"]),
]

# ---------------------------------------------------------------------------- negatives
NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", sha40, ["$ git rev-parse origin/main\n{v}", "koha-plugins built from {v}", "GIT_COMMIT={v}"]),
    ("git-sha", lambda: rs(HEX, 8), ["cherry-picked {v} onto 24.05.x"]),
    ("uuid", uuid4, ["ENTRA_TENANT_ID={v}", "Snyk project {v}", "borrower_uuid: {v}", "x-request-id: {v}"]),
    ("hash-or-digest", hex_n(64), ["$ sha256sum koha_24.05.03-1_all.deb\n{v}  koha_24.05.03-1_all.deb", "marc_file_sha256={v}"]),
    ("hash-or-digest", lambda: "sha256:" + rs(HEX, 64), ["image: europe-west2-docker.pkg.dev/qlc-catalog/opac/koha@{v}"]),
    ("hash-or-digest", hex_n(32), ["cover image md5 {v}", 'ETag: "{v}"']),
    ("hash-or-digest", lambda: ":".join(rs("0123456789ABCDEF", 2) for _ in range(20)), ["SHA1 Fingerprint={v}", "idp cert fingerprint {v}"]),
    ("hash-or-digest", lambda: "pbkdf2_sha256$720000$" + rs(ALNUM, 22) + "$" + b64(draw.rbytes(32)), ["auth_user.password = {v}"]),
    ("trace-id", hex_n(32), ["traceparent: 00-{v}-53995c3f42cd8ad8-01", "trace={v} svc=patron-portal"]),
    ("trace-id", hex_n(16), ["spanId={v}"]),
    ("trace-id", lambda: "req_" + rs(ALNUM, 14), ["stripe request-id {v}"]),
    ("cloud-resource-id", lambda: f"projects/qlc-catalog/locations/europe-west2/clusters/gke-catalog-{rs(LOW + DIG, 4)}", ["$ gcloud container clusters get-credentials {v}"]),
    ("cloud-resource-id", lambda: f"projects/qlc-catalog/secrets/koha-db-pass/versions/{rng.randint(2, 19)}", ["secret_version = \"{v}\""]),
    ("cloud-resource-id", lambda: "i-0" + rs(HEX, 16), ["glacier restore ran on {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:glacier:eu-west-2:{rs(DIG, 12)}:vaults/qlc-digitised", ["vault {v}"]),
    ("placeholder", lambda: "<OKTA_API_TOKEN>", ["Authorization: SSWS {v}", "OKTA_API_TOKEN={v}"]),
    ("placeholder", lambda: "CHANGE_ME", ["<pass>{v}</pass>", "wpa_passphrase={v}"]),
    ("placeholder", lambda: "put your unique phrase here", [WPC + "define( 'AUTH_KEY', '{v}' );"]),
    ("placeholder", lambda: "xkeysib-xxxxxxxxxxxx", ["BREVO_API_KEY={v}"]),
    ("placeholder", lambda: "mysql://user:pass@host/db", ["# settings.example.php: {v}"]),
    ("templated-value", lambda: "${OKTA_API_TOKEN}", ["    token: {v}"]),
    ("templated-value", lambda: "credentials('sonar-token')", ["        SONAR_TOKEN = {v}"]),
    ("templated-value", lambda: "$env:PRINT_SVC_PASSWORD", ["$cred = ConvertTo-SecureString {v} -AsPlainText -Force"]),
    ("templated-value", lambda: "%KOHA_DB_PASS%", ["> mysql -u koha_qlc -p{v} koha_qlc"]),
    ("templated-value", lambda: "{{ lookup('community.hashi_vault.hashi_vault', 'secret=kv/radius:secret') }}", ["radius_secret: \"{v}\""]),
    ("templated-value", lambda: "getenv('DRUPAL_HASH_SALT')", ["$settings['hash_salt'] = {v};"]),
    ("masked-value", lambda: "<hidden>", ["ezproxy admin: SSO secret {v}", "bindpw {v}"]),
    ("masked-value", lambda: "00Xy…(40 chars)", ["Okta admin shows the token as {v}"]),
    ("masked-value", lambda: "key-****************************e41a", ["Mailgun dashboard: {v}"]),
    ("masked-value", lambda: "XXXX-XXXX-XXXX-1881", ["fine paid with card {v}"]),
    ("keyword-no-value", lambda: "cpassword", ["RB-4: delete every Groups.xml that still carries a {v} attribute."]),
    ("keyword-no-value", lambda: "wpa_passphrase", ["The staff SSID {v} moves to RADIUS with EAP-TLS in RB-4."]),
    ("keyword-no-value", lambda: "SSWS", ["PM-11: the script sent the Okta {v} header to a logging proxy."]),
    ("keyword-no-value", lambda: "hash_salt", ["Drupal's {v} lives in settings.local.php, outside git."]),
    ("private-or-reserved-ip", priv_ip, ["sip2 server {v}:6001", "$ ssh koha@{v}", "printer: {v}"]),
    ("private-or-reserved-ip", draw.doc_ip, ["example kiosk address {v} (docs)"]),
    ("private-or-reserved-ip", lambda: f"10.40.{rng.randint(0, 255)}.0/24", ["client kiosk-net ipaddr {v}"]),
    ("example-email", lambda: f"{rng.choice(STAFF)}@quirehaven.example", ["Reviewed-by: {v}"]),
    ("example-email", lambda: "patron@example.org", ['{"email":"{v}","branch":"CEN"}']),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["$ aws configure  # docs use {v} as the sample key"]),
    ("vendor-example-key", lambda: "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe", ["RECAPTCHA_SECRET_KEY={v}  # Google's published test secret (always passes)"]),
    ("vendor-example-key", lambda: "0x0000000000000000000000000000000000000000", ["HCAPTCHA_SECRET={v}  # hCaptcha test secret"]),
    ("version-or-date", lambda: f"24.05.{rng.randint(1, 9):02d}", ["Koha {v} rollout", "upgraded kiosks to Koha {v}"]),
    ("version-or-date", iso, ["kiosks went offline at {v}"]),
    ("public-key-or-cert", lambda: draw.ssh_rsa_pub(["jenkins", "lorna"], "jenkins-1"), ["# authorized_keys on koha-1\n{v}"]),
    ("public-key-or-cert", lambda: draw.cert_pem_block("MIIDpDCCAoygAwIBAgIGAY"), ["<md:KeyDescriptor use=\"signing\"><ds:X509Certificate>\n{v}"]),
    ("public-key-or-cert", draw.pub_pem, ["# patron-portal JWT verification key (Okta JWKS, exported)\n{v}"]),
    ("public-key-or-cert", lambda: "RW" + rs(B64, 54), ["minisign public key: {v}"]),
    ("ids-and-numbers", lambda: "6L" + rng.choice("cdef") + rs(B64URL, 37), ['<div class="g-recaptcha" data-sitekey="{v}"></div>']),
    ("ids-and-numbers", uuid4, ['<div class="h-captcha" data-sitekey="{v}"></div>']),
    ("ids-and-numbers", duo_ikey, ["duo integration key {v} (the skey stays in Vault)"]),
    ("ids-and-numbers", lambda: "0oa" + rs(ALNUM, 17), ["OKTA_CLIENT_ID={v}"]),
    ("ids-and-numbers", lambda: rs(ALNUM, 32), ["AUTH0_CLIENT_ID={v}"]),
    ("ids-and-numbers", lambda: "pubkey-" + rs(HEX, 32), ["MAILGUN_PUBLIC_VALIDATION_KEY={v}"]),
    ("ids-and-numbers", lambda: "G-" + rs(UP + DIG, 10), ["gtag('config', '{v}');"]),
    ("ids-and-numbers", isbn13, ["ISBN {v}", "020 ## $a {v} (pbk.)"]),
    ("ids-and-numbers", lambda: digits_not_luhn("3", 14), ["item barcode {v} checked in at {branch}"]),
    ("ids-and-numbers", lambda: f"ocm{rs(DIG, 8)}", ["035 ## $a (OCoLC){v}"]),
    ("ids-and-numbers", lambda: f"{rng.randint(100, 999)}.{rs(DIG, 3)} {rs(UP, 3)}", ["call number {v}"]),
    ("ids-and-numbers", lambda: f"QLC-{rng.randint(100, 999)}", ["Jira {v}: move SIP2 creds to Vault"]),
    ("ids-and-numbers", lambda: ":".join(rs(HEX, 2) for _ in range(6)), ["kiosk NIC {v} (Northgate self-check 2)"]),
    ("luhn-fail-number", luhn_bad, ["fine receipt no. {v}", "RFID tag serial {v}"]),
    ("documented-test-card", lambda: "4111 1111 1111 1111", ["fines page tested with {v}"]),
    ("base64-nonsecret", lambda: b64(b'{"branch":"CEN","kiosk":7,"status":"offline"}'), ["payload={v}"]),
    ("base64-nonsecret", lambda: b64(b"sip2-kiosk-07"), ["$ echo -n sip2-kiosk-07 | base64\n{v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["# envs/catalog-gcp/secrets.enc.yaml\nkoha_db_pass: {v}"]),
    ("encrypted-value", jenkins_encrypted, ["<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n  <username>qlc-bot</username>\n  <password>{v}</password>"]),
    ("encrypted-value", lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(rs(HEX, 80) for _ in range(3)), ["radius_secret: !vault |\n{v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("hash-or-digest", lambda: draw.bcrypt("$2a$08$"), ["koha=> SELECT password FROM borrowers WHERE borrowernumber = 1;\n {v}"]),
    ("hash-or-digest", lambda: "{SSHA}" + b64(draw.rbytes(24)), ["dn: uid=dmitri,ou=staff,dc=qlc,dc=internal\nuserPassword:: {v}"]),
    ("hash-or-digest", lambda: "$P$B" + rs(CRYPT, 30), ["wp_users.user_pass = {v}"]),
    ("hash-or-digest", lambda: "sha1=" + rs(HEX, 40), ["X-Hub-Signature: {v}"]),
    ("trace-id", lambda: "1-" + rs(HEX, 8) + "-" + rs(HEX, 24), ["X-Amzn-Trace-Id: Root={v}"]),
    ("trace-id", lambda: rs(HEX, 32) + "/" + draw.long_trace() + ";o=1", ["X-Cloud-Trace-Context: {v}"]),
    ("ids-and-numbers", draw.long_id, ["Discord channel {v} (#branch-news)"]),
    ("ids-and-numbers", lambda: "C0" + rs(UP + DIG, 9), ["Slack channel {v} (#kiosk-alerts)"]),
    ("ids-and-numbers", lambda: rs(DIG, 18), ["Meraki network id L_{v}"]),
    ("ids-and-numbers", lambda: f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com", ["GOOGLE_CLIENT_ID={v}"]),
    ("ids-and-numbers", lambda: "https://quirehaven.okta.com/app/" + rs(LOW, 10) + "/exk" + rs(ALNUM, 17) + "/sso/saml", ["IdP SSO URL {v}"]),
    ("ids-and-numbers", lambda: "AC" + rs(HEX, 32), ["TWILIO_ACCOUNT_SID={v}"]),
    ("ids-and-numbers", lambda: f"ISSN {rs(DIG, 4)}-{rs(DIG, 3)}X", ["serial record {v}"]),
    ("cloud-resource-id", lambda: f"https://kv-qlc-portal.vault.azure.net/secrets/okta-token/{rs(HEX, 32)}", ["rotated {v}"]),
    ("cloud-resource-id", lambda: f"arn:aws:iam::{rs(DIG, 12)}:user/glacier-archive", ["access keys of {v} deactivated"]),
    ("placeholder", lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", ["SLACK_WEBHOOK={v}  # .env.dist"]),
    ("placeholder", lambda: "-----BEGIN RSA PRIVATE KEY-----\n(omitted)\n-----END RSA PRIVATE KEY-----", ["# RT ticket attachment stripped by the mail gateway\n{v}"]),
    ("placeholder", lambda: "<radius-secret>", ["client kiosk-net {\n    secret = {v}\n}"]),
    ("placeholder", lambda: "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", ["define('STRIPE_SECRET', '{v}'); // example"]),
    ("templated-value", lambda: "%(LDAP_BIND_PW)s", ["[ldap]\nbind_password = {v}"]),
    ("templated-value", lambda: "${data.google_secret_manager_secret_version.koha.secret_data}", ["  db_password = {v}"]),
    ("templated-value", lambda: "vault:kv/data/okta#token", ["OKTA_API_TOKEN={v}"]),
    ("masked-value", lambda: "sk_live_…Qm2", ["Stripe event log: key {v} used from an unknown IP"]),
    ("masked-value", lambda: "CO********|", ["sip2 log: 9300CNsip2-kiosk-07|{v}CPCEN|"]),
    ("keyword-no-value", lambda: "ldap_default_authtok", ["sssd refuses to start when {v} is empty."]),
    ("keyword-no-value", lambda: "CGISESSID", ["Koha's {v} cookie is now HttpOnly and Secure."]),
    ("private-or-reserved-ip", lambda: "169.254.169.254", ["$ curl -H 'Metadata-Flavor: Google' http://{v}/computeMetadata/v1/instance/"]),
    ("private-or-reserved-ip", lambda: f"fd40:{rs(HEX, 4)}::{rng.randint(2, 99)}", ["staff VLAN ULA {v}"]),
    ("version-or-date", lambda: "2026-05-07", ["| {v} | PM-7 | kiosks offline 09:00-11:40 |"]),
    ("version-or-date", lambda: "SIP2 2.00 / NCIP 2.02", ["protocols {v}"]),
    ("public-key-or-cert", lambda: draw.ec_pub_pem(), ["# kiosk firmware signing (public half)\n{v}"]),
    ("public-key-or-cert", lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58), ["SOPS_AGE_RECIPIENTS={v}"]),
    ("base64-nonsecret", lambda: b64(draw.rbytes(16)), ["Sec-WebSocket-Key: {v}"]),
    ("base64-nonsecret", lambda: b64url(b'{"alg":"RS256","kid":"qlc-2026"}'), ["JWT header only: {v}"]),
    ("luhn-fail-number", luhn_bad, ["INSERT INTO fines (receipt_no) VALUES ('{v}');"]),
    ("documented-test-card", lambda: "4000000000000077", ["Stripe test card {v} used in staging"]),
    ("git-sha", sha40, ["| {t} | {who} rolled koha-opac back to {v} |"]),
    ("uuid", uuid4, ["-- DELETE FROM kiosk_sessions WHERE id = '{v}';", "  <KioskId>{v}</KioskId>"]),
    ("example-email", lambda: "noreply@notices.quirehaven.example", ["From: Quirehaven Libraries <{v}>"]),
    ("encrypted-value", gcp_kms_cipher, ["$ gcloud kms encrypt ... | base64\n{v}"]),
    ("encrypted-value", lambda: draw.sealed(130), ["  encryptedData:\n    KOHA_DB_PASS: {v}"]),
    ("hash-or-digest", lambda: draw.apr1(), ["# /etc/apache2/.htpasswd (staff intranet)\nstaff:{v}"]),
    ("cloud-resource-id", lambda: "sg-0" + rs(HEX, 16), ["SecurityGroupIds: [{v}]"]),
    ("templated-value", lambda: "$(gcloud auth print-access-token)", ["$ curl -H \"Authorization: Bearer {v}\" https://artifactregistry.googleapis.com/v1/projects/qlc-catalog"]),
    ("ids-and-numbers", lambda: f"kiosk-{rs(DIG, 2)}-{rs(LOW + DIG, 6)}", ["sip2 session id={v} branch=CEN"]),
    ("version-or-date", lambda: "koha-common 24.05.03-1", ["$ dpkg -l | grep koha\nii  {v}  all  Koha ILS"]),
    ("ids-and-numbers", lambda: "<" + rs(HEX, 16) + "@mg.quirehaven.example>", ["Message-Id: {v}\nSubject: PM-13 fines export"]),
    ("hash-or-digest", hex_n(40), ['GET /covers/9780141439518.jpg HTTP/1.1\nHost: covers.quirehaven.example\nIf-None-Match: "{v}"']),
    ("ids-and-numbers", lambda: f"{rng.randint(2001, 2026)}0{rs(DIG, 5)}", ["010 ## $a {v} (LCCN)"]),
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
    r"|\.atlasv1\.|webhooks/\d{10}|webhookb2/|with/key/[\w-]{20}|SSWS 00|(?<!pub)key-[a-f0-9]{32}|xkeysib-[a-f0-9]{20}|CFPAT-"
    r"|squ_|sqp_|sqa_|dapi[a-f0-9]{32}|glc_eyJ|bkua_|pypi-AgE|rubygems_[a-f0-9]{40}|oy2[a-z0-9]{40}|sl\.B[\w-]{40}|figd_|tfp_"
    r"|ATATT3|HRKU-|sk-proj-|SK[a-f0-9]{32}|0x[a-f0-9]{40}|base64:[A-Za-z0-9+/]{40}|cpassword=\"[A-Za-z0-9+/]{20}"
    r"|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ|\|CO[A-Za-z0-9]{8}"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[%]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<![:$])(?i:password|passwd|pass|pwd|secret|token|apikey|api_key|api-key|passphrase|authtok|skey)[\"']?(?:\s*[:=,]\s*|\s+)[\"']?[A-Za-z0-9+/_.-]{12,}"
)

# ``*.internal`` hosts are the company's own, not mailboxes.
OK_MAIL_43 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal)$")

CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    ok_mail=OK_MAIL_43,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=private_key_ok,
    cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert"},
    test_cards=TEST_CARDS | MORE_TEST_CARDS,
)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t43", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
