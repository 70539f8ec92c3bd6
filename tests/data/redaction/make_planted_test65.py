# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test65.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test65.py`` (standard library and the sibling
``planted_kit.py`` only). Values are random in their vendors' formats, drawn from
``random.Random(20270165)``, and fake; the file is byte-identical on every run.

The lines come from the made-up documents of two teams: the City of Eastbrook IT department
(``*.eastbrook.internal``), on premises and on Azure (Active Directory, vCenter, SQL Server,
Exchange, ArcGIS, Jenkins, Bitbucket, Ansible, PowerShell, Cisco gear, a 311 SMS line on Twilio) and
Lendwell Capital (``*.lendwell.internal``), a fintech lender on AWS (EKS, Aurora Postgres, Kafka,
Snowflake, Plaid, Stripe, Adyen, DocuSign, Auth0, CircleCI, Terraform Cloud, Vault, Doppler,
Honeycomb, PagerDuty, Anthropic). Documents: a permits-portal outage postmortem, a loan-disbursement
incident timeline, change tickets, the help-desk chat pasted into a retro, PowerShell and bash
sessions, CI logs, Java and .NET stack traces and config files.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
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
    TEST_CARDS,
    UP,
    Draw,
    N,
    P,
    Row,
    S,
    check_rows,
    check_unseen,
    encode_jwt,
    iban_of,
    iban_ok,
    luhn_ok,
    write_fold,
)
from planted_kit import TYPES as SHARED_TYPES

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test65.jsonl"
FOLD = "test65"
rng = Random(20270165)
draw = Draw(rng)
rs = draw.rs

TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "cookie-session", "aws-session-token"},
    N: {*SHARED_TYPES[N], "encrypted-value", "password-hash"},
}
ALL_CARDS = TEST_CARDS | MORE_TEST_CARDS
WORDS = [
    "permit",
    "harbor",
    "ledger",
    "parcel",
    "council",
    "maple",
    "escrow",
    "granite",
    "loan",
    "ballot",
    "copper",
    "falcon",
]
Table = list[tuple[str, Callable[[], str], list[str]]]


def pw() -> str:
    k = rng.randrange(6)
    if k == 0:
        return (
            rng.choice(WORDS).capitalize()
            + rng.choice(["Spring", "Fall", "Winter"])
            + str(rng.randint(2021, 2026))
            + "!"
        )
    if k == 1:
        return rs(ALNUM, rng.randint(16, 26))
    if k == 2:
        return rng.choice(WORDS) + "." + rng.choice(WORDS) + "." + rs(DIG, 3)
    if k == 3:
        return rs(ALNUM, 8) + rng.choice("@#=+") + rs(ALNUM, 8)
    if k == 4:
        return "Eb" + rs(DIG, 4) + rng.choice("$%") + rs(LOW, 6)
    return rs(ALNUM + "_-", 20)


def pre(prefix: str, alpha: str, n: int, suffix: str = "") -> Callable[[], str]:
    return lambda: prefix + rs(alpha, n) + suffix


def jwt() -> str:
    head = {"alg": rng.choice(["RS256", "HS512"]), "kid": rs(ALNUM, 10)}
    body = {
        "sub": rng.choice(["auth0|" + rs(HEX, 24), "borrower-" + rs(DIG, 7), "svc-permits"]),
        "aud": rng.choice(["https://api.lendwell.internal", "permits-portal"]),
        "exp": 1800000000 + rng.randint(0, 9999999),
    }
    return encode_jwt(head, body, rs(B64URL, 86))


def basic() -> str:
    user = rng.choice(["svc_arcgis", "EASTBROOK\\svc_backup", "plaid-proxy", "kafka-ui"])
    return base64.b64encode(f"{user}:{pw()}".encode()).decode()


def card() -> str:
    num = rng.choice(
        [
            lambda: draw.luhn_make("4", 16, ALL_CARDS),
            lambda: draw.luhn_make(str(rng.randint(2221, 2720)), 16, ALL_CARDS),
            lambda: draw.luhn_make("6011", 16, ALL_CARDS),
            lambda: draw.luhn_make("34", 15, ALL_CARDS),
        ]
    )()
    return draw.spell_card(num)


def es_iban() -> str:
    bank, branch, acct = rs(DIG, 4), rs(DIG, 4), rs(DIG, 10)
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def dc(s: str) -> str:
        d = 11 - sum(int(c) * x for c, x in zip(s, w, strict=True)) % 11
        return str({10: 1, 11: 0}.get(d, d))

    return iban_of("ES", bank + branch + dc("00" + bank + branch) + dc(acct) + acct)


def ie_iban() -> str:
    return iban_of("IE", rng.choice(["AIBK", "BOFI"]) + rs(DIG, 14))


def sin() -> str:
    while True:
        body = rng.choice("123456") + rs(DIG, 7)
        for c in DIG:
            if luhn_ok(body + c):
                n = body + c
                return f"{n[:3]} {n[3:6]} {n[6:]}"


def personnummer() -> str:
    y, m, d = rng.randint(50, 99), rng.randint(1, 12), rng.randint(1, 28)
    body = f"{y:02d}{m:02d}{d:02d}{rs(DIG, 3)}"
    c = next(c for c in DIG if luhn_ok(body + c))
    return f"19{body[:6]}-{body[6:]}{c}"


def pt_nif() -> str:
    while True:
        b = rng.choice("123") + rs(DIG, 7)
        r = 11 - sum(int(c) * w for c, w in zip(b, range(9, 1, -1), strict=True)) % 11
        if r < 10:
            return b + str(r if r < 10 else 0)


def email() -> str:
    return rng.choice(
        [
            "halvard.mensah",
            "beatriz.quill",
            "ogechi.strand",
            "lorcan.vasquez",
            "tamsin.abara",
            "fumiko.delacroix",
            "ezekiel.norberg",
        ]
    ) + rng.choice(["@gmail.com", "@hotmail.com", "@aol.com", "@fastmail.com", "@gmx.de"])


def v4() -> str:
    return f"{rng.choice([24, 67, 73, 98, 99, 174])}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}"


SECRETS: Table = [
    (
        "aws-key",
        draw.akid,
        [
            "Access key ID,Secret access key\n{v},(in the other csv)",
            "[profile lendwell-prod]\naws_access_key_id     = {v}",
            "2026-10-14 09:03:44,120 ERROR [disbursement-worker] botocore.exceptions.ClientError: InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records. ({v})",
        ],
    ),
    ("aws-key", draw.akid, ["AWS_ACCESS_KEY_ID: {v}  # snowflake stage loader"]),
    (
        "aws-key",
        draw.aws_secret,
        [
            "aws_secret_access_key     = {v}",
            '  "SecretAccessKey": "{v}",',
            "docker run -e AWS_SECRET_ACCESS_KEY={v} lendwell/recon:2.3",
        ],
    ),
    ("aws-session-token", pre("FwoGZXIvYXdzE", B64, 300), ['export AWS_SESSION_TOKEN="{v}"']),
    ("gcp-key", draw.gcp_api, ["var mapsKey = '{v}'; // parcel viewer", "GOOGLE_GEOCODING_KEY: {v}"]),
    (
        "azure-key",
        draw.az_client_secret,
        [
            "$secret = ConvertTo-SecureString '{v}' -AsPlainText -Force",
            "ClientSecret = {v}",
            '"AzureAd": {{ "TenantId": "eastbrook.onmicrosoft.com", "ClientSecret": "{v}" }}',
        ],
    ),
    (
        "azure-key",
        draw.az_sas_sig,
        [
            "https://ebrecords.blob.core.windows.net/scans?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2027-01-01&sig={v}"
        ],
    ),
    (
        "azure-key",
        draw.az_sb_key,
        [
            "Endpoint=sb://eb-311.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}"
        ],
    ),
    (
        "github-token",
        draw.gh_token,
        [
            "      - run: git clone https://{v}@github.com/lendwell/underwriting-rules.git",
            "GITHUB_TOKEN={v}\nGITHUB_OWNER=lendwell",
        ],
    ),
    (
        "gitlab-token",
        draw.gl_token,
        ['curl --header "PRIVATE-TOKEN: {v}" https://gitlab.eastbrook.internal/api/v4/projects/42/pipelines'],
    ),
    (
        "slack-token",
        draw.slack_token,
        ['slack_token = "{v}"', "[help-desk chat] rob: bot token for the outage bot is {v}, use that"],
    ),
    (
        "slack-webhook",
        draw.slack_hook,
        ["SLACK_WEBHOOK_URL={v}", "  url: {v}", "Invoke-RestMethod -Uri '{v}' -Method Post -Body $json"],
    ),
    (
        "stripe-key",
        lambda: draw.stripe_key(("sk_live_51",)),
        ['Stripe.apiKey = "{v}";', "stripe_secret: {v}"],
    ),
    ("stripe-key", draw.stripe_whsec, ["STRIPE_ENDPOINT_SECRET={v}"]),
    (
        "jwt",
        jwt,
        [
            '{{"level":"error","msg":"auth0 refresh failed","id_token":"{v}"}}',
            "X-Auth-Token: {v}",
            "2026-10-14T09:05:17.881Z WARN  o.s.s.o.s.r.BearerTokenAuthenticationFilter - rejected {v}",
            "localStorage['id_token'] = \"{v}\"",
            "curl -H 'Authorization: Bearer {v}' https://api.lendwell.internal/v2/loans/88213/disburse",
        ],
    ),
    ("private-key", draw.pk("rsa"), ["-- ticket CHG-2231 attachment 'vpn.key' --\n{v}"]),
    ("private-key", draw.pk("ssh", "      "), ["ansible_ssh_private_key: |\n      {v}"]),
    ("private-key", draw.pk("ec"), ["$ cat /etc/ssl/private/permits.eastbrook.gov.key\n{v}"]),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '{{"type": "service_account", "project_id": "eb-gis", "private_key": "{v}", "client_email": "arcgis-sync@eb-gis.iam.gserviceaccount.com"}}'
        ],
    ),
    (
        "bearer-token",
        pre("", B64URL, 64),
        ["Authorization: Bearer {v}", '  headers = {{"Authorization": "Bearer {v}"}}'],
    ),
    (
        "basic-auth",
        basic,
        [
            "Authorization: Basic {v}",
            '  <http-header name="Authorization" value="Basic {v}"/>',
            "GET /api/topics HTTP/1.1\nHost: kafka-ui.lendwell.internal\nAuthorization: Basic {v}",
        ],
    ),
    (
        "cookie-session",
        pre("", B64URL, 43),
        ["Cookie: ai_user=Hk3; .AspNetCore.Session={v}; ARRAffinity=2f6c"],
    ),
    (
        "cookie-session",
        pre("", HEX, 40),
        [
            "Cookie: _lw_csrf=1; lw_sid={v}; _gcl_au=1.1.882",
            "Set-Cookie: JSESSIONID={v}; Path=/permits; Secure; HttpOnly",
        ],
    ),
    ("cookie-session", pre("CfDJ8", B64URL, 150), ["cookie: .AspNetCore.Cookies={v}"]),
    (
        "vendor-token",
        pre(
            "access-production-",
            HEX,
            8,
            "-"
            + "".join(Random(65).choices(HEX, k=4))
            + "-4"
            + "".join(Random(651).choices(HEX, k=3))
            + "-a"
            + "".join(Random(652).choices(HEX, k=3))
            + "-"
            + "".join(Random(653).choices(HEX, k=12)),
        ),
        ["plaid access_token={v} item=loan-88213"],
    ),
    (
        "vendor-token",
        pre("", HEX, 30),
        ["PLAID_SECRET={v}", "plaid:\n  client_id: 64f1c0a9e2b7d3001a5e9c11\n  secret: {v}"],
    ),
    ("vendor-token", pre("AQE", B64URL, 60, "=="), ["adyen.apiKey={v}"]),
    (
        "vendor-token",
        pre("", HEX, 32),
        ['TWILIO_AUTH_TOKEN: "{v}"', '$env:TWILIO_AUTH_TOKEN = "{v}"', "HONEYCOMB_API_KEY={v}"],
    ),
    (
        "vendor-token",
        pre("SG.", B64URL, 22, "." + "".join(Random(654).choices(B64URL, k=43))),
        ['<add key="SendGridKey" value="{v}" />'],
    ),
    (
        "vendor-token",
        pre("sk-ant-api03-", B64URL, 80, "AA"),
        ["ANTHROPIC_API_KEY={v}", "anthropic.AuthenticationError: Error code: 401 - invalid x-api-key {v}"],
    ),
    ("vendor-token", pre("sk-", ALNUM, 48), ['openai_api_key = "{v}"']),
    ("vendor-token", pre("dp.st.prd.", ALNUM, 43), ["DOPPLER_TOKEN={v} doppler run -- ./start.sh"]),
    ("vendor-token", pre("hvs.CAESI", B64URL, 80), ["vault login {v}", "X-Vault-Token: {v}"]),
    (
        "vendor-token",
        pre("", ALNUM, 14, ".atlasv1." + "".join(Random(655).choices(ALNUM, k=60))),
        ['credentials "app.terraform.io" {{\n  token = "{v}"\n}}'],
    ),
    (
        "vendor-token",
        pre("CCIPAT_", ALNUM, 22, "_" + "".join(Random(656).choices(HEX, k=40))),
        ["CIRCLECI_TOKEN={v}"],
    ),
    ("vendor-token", pre("u+", B64URL, 18), ["PAGERDUTY_API_TOKEN={v}"]),
    ("vendor-token", pre("", HEX, 32), ["routing_key: {v}  # pagerduty events v2"]),
    (
        "vendor-token",
        pre("ATBB", ALNUM, 28, "".join(Random(657).choices(HEX, k=8))),
        ["git clone https://svc-jenkins:{v}@bitbucket.org/eastbrook/permits.git"],
    ),
    ("vendor-token", pre("AKCp8", ALNUM, 68), ["artifactory_api_key={v}"]),
    (
        "vendor-token",
        pre("oy2", LOW + DIG, 43),
        [
            "dotnet nuget push Permits.Core.4.2.1.nupkg --api-key {v} --source https://api.nuget.org/v3/index.json"
        ],
    ),
    (
        "vendor-token",
        pre(
            "",
            HEX,
            8,
            "-"
            + "".join(Random(658).choices(HEX, k=4))
            + "-4"
            + "".join(Random(659).choices(HEX, k=3))
            + "-9"
            + "".join(Random(660).choices(HEX, k=3))
            + "-"
            + "".join(Random(661).choices(HEX, k=12)),
        ),
        ["SNYK_TOKEN={v}"],
    ),
    (
        "vendor-token",
        pre(
            "pat-na1-",
            HEX,
            8,
            "-"
            + "".join(Random(662).choices(HEX, k=4))
            + "-"
            + "".join(Random(663).choices(HEX, k=4))
            + "-"
            + "".join(Random(664).choices(HEX, k=4))
            + "-"
            + "".join(Random(665).choices(HEX, k=12)),
        ),
        ["HUBSPOT_PRIVATE_APP_TOKEN={v}"],
    ),
    ("vendor-token", pre("", ALNUM, 64), ["Snowflake: password authenticator disabled, using token {v}"]),
    ("vendor-token", pre("xoxe.xoxp-1-", ALNUM, 140), ["SLACK_USER_TOKEN={v}"]),
    ("vendor-token", pre("ATCTT3xFfGN0", B64URL, 180), ["confluence_api_token: {v}"]),
    ("vendor-token", pre("", B64, 40), ["docusign.rsa_private_key_passphrase = {v}"]),
    ("vendor-token", pre("glc_", B64URL, 80), ["GRAFANA_CLOUD_TOKEN={v}"]),
    ("vendor-token", pre("", B64, 88), ["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE={v}"]),
    ("vendor-token", pre("KTT", ALNUM, 40), ["vendor SFTP partner key (Tyler): {v}"]),
    ("vendor-token", pre("hf_", ALNUM, 34), ["HF_TOKEN={v}"]),
    ("vendor-token", pre("lw_live_", ALNUM, 40), ["Authorization: Token {v}"]),
    ("vendor-token", pre("EAAG", ALNUM, 160), ["META_ADS_ACCESS_TOKEN={v}"]),
    (
        "generic-api-key",
        pre("", HEX, 32),
        [
            "x-functions-key: {v}",
            "ArcGIS token= {v} (expires 2027)",
            "CHECKR_API_KEY={v}",
            "EXPERIAN_CLIENT_SECRET = '{v}'",
        ],
    ),
    (
        "generic-api-key",
        pre("", ALNUM, 36),
        [
            "apikey: {v}",
            "url: https://permits.eastbrook.internal/api/export?apikey={v}&format=csv",
            "[retro chat] dana: credit bureau sandbox is off, prod key {v} works for now",
        ],
    ),
    (
        "generic-api-key",
        pre("", UP + DIG, 32),
        ['<add key="TylerApiKey" value="{v}" />', "ESRI_API_KEY: {v}", "--header 'apiKey: {v}'"],
    ),
    (
        "generic-api-key",
        pre("", B64, 44),
        ['<machineKey validationKey="AutoGenerate" decryptionKey="{v}" />', "DJANGO_SECRET_KEY='{v}'"],
    ),
    (
        "password-in-url",
        lambda: f"postgresql://lending:{pw()}@aurora-prod.cluster-c9x.us-east-1.rds.amazonaws.com:5432/loans",
        [
            'SQLALCHEMY_DATABASE_URI = "{v}"',
            "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to {v} failed",
        ],
    ),
    (
        "password-in-url",
        lambda: f"https://admin:{pw()}@vcenter.eastbrook.internal/sdk",
        ["govc about -u '{v}'"],
    ),
    (
        "password-in-url",
        lambda: f"kafka://recon:{rs(ALNUM, 20)}@b-1.lendwell-msk.internal:9096",
        ["bootstrap: {v}"],
    ),
    (
        "password-in-url",
        lambda: f"ftp://parks:{pw()}@ftp.eastbrook.internal/uploads",
        ["lftp {v}", "scheduled task 'Parks nightly' runs: curl -T export.csv {v}"],
    ),
    (
        "password-in-url",
        lambda: f"mssql+pyodbc://sa:{rs(ALNUM, 18)}@sql01.eastbrook.internal/Permits?driver=ODBC+Driver+18",
        ["PERMITS_DB={v}"],
    ),
    (
        "password-in-url",
        lambda: f"snowflake://etl_user:{pw()}@lendwell-xy12345/ANALYTICS",
        ["dbt profile url {v}"],
    ),
]

PASSWORD_TEMPLATES = [
    "net user svc_backup {v} /domain",
    "Set-ADAccountPassword -Identity jmorales -Reset -NewPassword (ConvertTo-SecureString -AsPlainText '{v}' -Force)",
    "$cred = New-Object PSCredential('EASTBROOK\\svc_sql', (ConvertTo-SecureString '{v}' -AsPlainText -Force))",
    "Help desk ticket HD-30712: reset password for the clerk's office kiosk to {v} per phone request",
    "[help-desk chat 08:12] marcy: what's the new wifi password for the library?\n[help-desk chat 08:13] tom: {v}",
    "[help-desk chat 08:40] tom: vcenter root is {v} until we move it to the vault",
    "Server=sql01.eastbrook.internal;Database=Permits;User Id=permits_app;Password={v};TrustServerCertificate=True",
    '<add name="Tyler" connectionString="Data Source=sql02;Initial Catalog=Munis;User ID=munis;Password={v}" />',
    "enable secret {v}",
    "username netops privilege 15 password 0 {v}",
    "snmp-server community {v} RO",
    "ansible_become_password: {v}",
    'ansible-playbook site.yml -e "ansible_password={v}"',
    'vcenter_password = "{v}"',
    "smtp_pass={v}",
    "SMTP: relay.eastbrook.internal:587 user scanner@eastbrook.gov pass {v}",
    "Incident timeline, 06:55: vendor rep read the Munis admin password ({v}) aloud on the bridge call",
    'spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="recon" password="{v}";',
    "spring.datasource.password: {v}",
    '  DB_PASSWORD: "{v}"',
    "LW_DB_PASSWORD={v}",
    "export SNOWSQL_PWD='{v}'",
    "snowsql -a lendwell-xy12345 -u etl_user --password {v}",
    'pgbouncer auth_file line: "lending" "{v}"',
    "[client]\nuser=recon\npassword={v}",
    'java.lang.IllegalStateException: Failed to load ApplicationContext\nCaused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "lending" (spring.datasource.password={v})',
    "   at Eastbrook.Permits.Data.Db.Open() in C:\\build\\Permits\\Db.cs:line 41 -- conn pwd={v}",
    "keystore.password={v}\ntruststore.password=changeit",
    "<Password>{v}</Password>",
    "POSTGRES_PASSWORD: {v}",
    "docusign_user_password = '{v}'",
    "The shared Experian portal login is underwriting@lendwell / {v}, rotate it after the audit",
    "1Password export, row 14: Adyen Customer Area,ops@lendwell,{v}",
    'ADMIN_PASS="{v}"',
    "rabbitmq_default_pass: {v}",
    "mysqldump -u gis -p{v} arcgis_meta > meta.sql",
    "PS C:\\> $pw = '{v}'",
    "echo '{v}' | sudo -S systemctl restart permits",
    'locals {{\n  sql_admin_password = "{v}"\n}}',
    "[retro] root cause: the recon job's Kafka password ({v}) was baked into the image",
    "Elastic superuser: elastic / {v}",
    "Loan ops runbook step 4: sign in to the Plaid dashboard as ops@lendwell with {v}",
    "db:\n  user: lending\n  pass: {v}\n  host: aurora-prod",
    "$ mongo --username audit --password '{v}' --authenticationDatabase admin",
    'wpa_passphrase="{v}"',
    "jenkins admin initial password: {v}",
    "password {v}",
    "Get-Credential prompt skipped: -Password '{v}' in the scheduled task XML",
    "<Principal><UserId>EASTBROOK\\svc_tasks</UserId><Password>{v}</Password></Principal>",
    "ARCGIS_ADMIN_PASSWORD={v}",
    "PGPASSWORD=\"{v}\" psql -h aurora-prod -U lending -c 'select count(*) from disbursements'",
    "kubectl -n lending create secret generic recon-kafka --from-literal=sasl_password='{v}'",
    "[help-desk chat 09:31] marcy: I set the fire station tablet PIN-login to {v}, sticky note is on the dock",
    "Retro action item: stop pasting passwords like '{v}' into Teams",
    'dbt: profiles.yml\n  lendwell:\n    outputs:\n      prod:\n        password: "{v}"',
    "az sql server create -n eb-sql -g eb-records -u ebadmin -p '{v}'",
    "terraform apply -var 'db_password={v}'",
    'JAVA_OPTS="-Djavax.net.ssl.keyStorePassword={v}"',
    "ldappasswd -x -D cn=admin,dc=eastbrook,dc=gov -w {v} -s NewPass uid=kiosk",
    "redis.conf: masterauth {v}",
]

PERSONAL: Table = [
    (
        "email",
        email,
        [
            "Resident {v} complained the permit payment page timed out",
            'From: "Halvard" <{v}>',
            "borrower_email={v} status=FUNDED",
            "2026-10-14 09:07:02 INFO  notifier - sent adverse action notice to {v}",
            "retro: we e-mailed {v} their loan docs twice",
            "cc: {v}",
        ],
    ),
    (
        "phone",
        lambda: rng.choice(["(312) 555-01{n}", "312-555-01{n}", "+1 (720) 555-01{n}", "555-01{n}"]).format(
            n=rs(DIG, 2)
        ),
        [
            "311 caller {v} reported the streetlight outage",
            "borrower phone: {v}",
            "sms.send to={v} body='Your loan is approved'",
        ],
    ),
    (
        "phone",
        lambda: rng.choice(["020 7946 0{n}", "+44 20 7946 0{n}", "+44 (0)20 7946 0{n}"]).format(n=rs(DIG, 3)),
        ["UK applicant contact {v}", '"phone": "{v}"'],
    ),
    (
        "phone",
        lambda: rng.choice(["02 5550 {n}", "+61 2 5550 {n}", "03 7010 {n}"]).format(n=rs(DIG, 4)),
        ["Sydney contractor on the hotline: {v}"],
    ),
    ("phone", lambda: "+1 416 555 01" + rs(DIG, 2), ["Toronto borrower {v} asked to be called back"]),
    (
        "credit-card",
        card,
        [
            "Adyen notification raw payload cardNumber={v}",
            "resident paid the parking fine with {v} over the phone, clerk typed it into the notes field",
            "Caused by: com.lendwell.pay.CardValidationException: rejected pan {v}",
            "autopay card: {v}",
        ],
    ),
    ("iban", es_iban, ["Disbursement to ES borrower, IBAN {v}"]),
    ("iban", ie_iban, ["Direct debit mandate for {v} failed"]),
    ("iban", lambda: draw.iban("DE"), ["payout_iban: {v}"]),
    ("iban", lambda: draw.iban("GB"), ["borrower bank: {v} (Lendwell UK)"]),
    ("iban", es_iban, ['"iban": "{v}",']),
    ("national-id", draw.ssn, ["applicant_ssn={v} bureau_pull=ok", "SSN: {v}"]),
    ("national-id", sin, ["Canadian applicant SIN {v}"]),
    ("national-id", pt_nif, ["NIF do mutuário {v}"]),
    ("national-id", personnummer, ["personnummer {v} (Stockholm office hire)"]),
    (
        "ipv4",
        v4,
        [
            "borrower logged in from {v} then from Lagos 2 minutes later",
            "resident at {v} submitted 40 permit forms in a minute",
        ],
    ),
    (
        "ipv6",
        lambda: (
            f"2600:{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}:{rs(HEX, 4)}"
        ),
        ["applicant session ip {v}"],
    ),
]

NEGATIVES: Table = [
    (
        "git-sha",
        draw.sha40,
        [
            "Merge {v} into release/2026.10",
            "rollback to {v} complete",
            '"sha": "{v}"',
            "Jenkins #4412 built {v}",
        ],
    ),
    ("git-sha", pre("", HEX, 8), ["bisected to {v} (decimal rounding)", "permits@{v} deployed"]),
    (
        "uuid",
        draw.uuid4,
        [
            "loan_application_id={v}",
            "Azure AD object id {v}",
            "docusign envelope {v} voided",
            "ArcGIS item {v} republished",
            "x-request-id: {v}",
        ],
    ),
    ("hash-or-digest", pre("sha256:", HEX, 64), ["lendwell/recon@{v}", "digest {v} pulled"]),
    ("hash-or-digest", pre("", HEX, 64), ["SHA256 ({v}) Permits-Setup-4.2.1.msi", "Get-FileHash: {v}"]),
    ("hash-or-digest", pre("", HEX, 40), ["thumbprint {v} (permits TLS cert)", "certutil -hashfile: {v}"]),
    ("hash-or-digest", pre("", HEX, 32), ["MD5 {v} export.csv"]),
    ("password-hash", lambda: "$2a$10$" + rs("./" + ALNUM, 53), ["users.encrypted_password = {v}"]),
    (
        "password-hash",
        lambda: "$argon2id$v=19$m=19456,t=2,p=1$" + rs(B64, 22) + "$" + rs(B64, 43),
        ["hash: {v}"],
    ),
    (
        "password-hash",
        lambda: "$6$rounds=5000$" + rs("./" + ALNUM, 16) + "$" + rs("./" + ALNUM, 86),
        ["/etc/shadow entry for kiosk: {v}"],
    ),
    (
        "password-hash",
        lambda: "$1$" + rs("./" + ALNUM, 8) + "$" + rs("./" + ALNUM, 22),
        ["username admin secret 5 {v}"],
    ),
    ("trace-id", pre("", HEX, 32), ["trace.trace_id={v}", "honeycomb trace {v}"]),
    ("trace-id", lambda: f"00-{rs(HEX, 32)}-{rs(HEX, 16)}-00", ["traceparent={v}"]),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:secretsmanager:us-east-1:123456789012:secret:lending/db-{rs(ALNUM, 6)}",
        ["SecretId: {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:kafka:us-east-1:123456789012:cluster/lendwell-msk/{draw.uuid4()}-2",
        ["ClusterArn {v}"],
    ),
    (
        "cloud-resource-id",
        lambda: (
            f"/subscriptions/{draw.uuid4()}/resourceGroups/eb-records/providers/Microsoft.Storage/storageAccounts/ebrecords"
        ),
        ["scope {v}"],
    ),
    ("cloud-resource-id", pre("vol-0", HEX, 16), ["snapshot of {v} taken"]),
    ("cloud-resource-id", pre("vm-", DIG, 4), ["vCenter moref {v} powered off"]),
    (
        "placeholder",
        lambda: rng.choice(
            [
                "<password>",
                "P@ssw0rd_CHANGE_ME",
                "{{PASSWORD}}",
                "<insert key>",
                "xxx",
                "none",
                "********",
                "sk_live_REPLACE",
                "N/A",
            ]
        ),
        [
            "Password={v}",
            "  secret: {v}",
            "PLAID_SECRET={v}",
            "enable secret {v}",
            'api_key: "{v}"',
            "ansible_password: {v}",
            "STRIPE_KEY={v}",
            "token = {v}",
        ],
    ),
    (
        "templated-value",
        lambda: rng.choice(
            [
                "{{ lookup('env', 'VCENTER_PW') }}",
                "$(SqlPassword)",
                "${var.db_password}",
                "%DB_PASS%",
                "${PLAID_SECRET:?}",
                "{{ secrets.SNYK_TOKEN }}",
                "$env:ARCGIS_TOKEN",
                "vault:secret/data/lending#password",
                "__SMTP_PASS__",
            ]
        ),
        [
            'vcenter_password: "{v}"',
            "Password={v}",
            'password = "{v}"',
            "set PASS={v}",
            "PLAID_SECRET: {v}",
            "SNYK_TOKEN={v}",
            "-Token {v}",
            "DB_PASSWORD={v}",
        ],
    ),
    (
        "masked-value",
        lambda: rng.choice(
            [
                "sk_live_...9fQ2",
                "****-****-****-0093",
                "hvs.*****",
                "xxxx-xxxx-xxxx-1188",
                "A****Q",
                "Password=******",
                "[MASKED]",
                "pk_********",
            ]
        ),
        [
            "the audit export shows {v}",
            "Jenkins printed {v}",
            "card on file {v}",
            "connection string logged as {v}",
            "secret value {v}",
            "CircleCI shows {v}",
        ],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["password", "client secret", "SAS token", "API key", "enable secret"]),
        [
            "reset the {v} for the kiosk account",
            "the {v} expired overnight",
            "Q: who owns the {v}? A: loan ops",
            "{v} rotation is tracked in CHG-2240",
            "no {v} in the repo, checked with gitleaks",
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice(
            [
                "10.12.0.5",
                "172.20.14.3",
                "192.168.50.1",
                "10.100.7.22",
                "127.0.0.53",
                "fd00:ec::4",
                "100.100.12.9",
            ]
        ),
        [
            "dc01 at {v}",
            "ip route add {v}",
            "relay {v}:25 refused",
            "scan from {v} (internal scanner)",
            "kafka broker {v}:9096",
        ],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice(["203.0.113.9", "198.51.100.200", "2001:db8::17"]),
        ["docs example ip {v}", "vendor sample shows {v}"],
    ),
    (
        "example-email",
        lambda: rng.choice(
            [
                "borrower@example.com",
                "servicedesk@eastbrook.internal",
                "no-reply@lendwell.internal",
                "jane.doe@example.org",
            ]
        ),
        ["Reply-To: {v}", "mail sent as {v}", "placeholder contact {v}", "test address {v}"],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(
            [
                "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
                "xoxb-not-a-real-token-this-will-not-work",
            ]
        ),
        [
            "example in the vendor doc: {v}",
            "tutorial key {v}",
            "sample from the CLI guide {v}",
            "the onboarding doc shows {v}",
        ],
    ),
    (
        "version-or-date",
        lambda: rng.choice(
            [
                "4.2.1.3301",
                "2026.10.14-rc2",
                "v1.30.4-eks-a737599",
                "Windows Server 2019 (1809)",
                "OpenJDK 21.0.4+7",
                "17.9.1",
            ]
        ),
        ["upgraded to {v}", "build {v}", "running {v}", "patched {v}", "version {v}"],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(B64, 200) + " ansible@eastbrook",
        ["{v}"],
    ),
    (
        "public-key-or-cert",
        lambda: (
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE"
            + rs(B64, 44)
            + "\n"
            + rs(B64, 64)
            + "\n"
            + rs(B64, 20)
            + "==\n-----END CERTIFICATE-----"
        ),
        ["ca.crt: |\n{v}"],
    ),
    ("public-key-or-cert", pre("pk_live_51", ALNUM, 90), ["publishableKey: '{v}'"]),
    (
        "public-key-or-cert",
        lambda: (
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBG"
            + rs(B64, 58)
            + "\n"
            + rs(B64, 40)
            + "\n-----END PGP PUBLIC KEY BLOCK-----"
        ),
        ["vendor SFTP encryption key:\n{v}"],
    ),
    ("ids-and-numbers", lambda: f"CHG-{rng.randint(1000, 9999)}", ["approved in {v}", "{v} closed"]),
    ("ids-and-numbers", lambda: f"LN-{rs(DIG, 8)}", ["loan {v} disbursed twice"]),
    ("ids-and-numbers", lambda: f"PRM-2026-{rs(DIG, 5)}", ["permit {v} stuck in review"]),
    ("ids-and-numbers", pre("ch_3", ALNUM, 20), ["charge {v} refunded"]),
    ("ids-and-numbers", pre("", DIG, 9), ["routing number field: {v} (bank ABA, public)"]),
    ("ids-and-numbers", pre("KB", DIG, 7), ["installed {v}"]),
    (
        "ids-and-numbers",
        lambda: "S-1-5-21-" + rs(DIG, 10) + "-" + rs(DIG, 9) + "-" + rs(DIG, 10) + "-1104",
        ["SID {v} locked out"],
    ),
    ("luhn-fail-number", draw.luhn_bad, ["account ref {v}", "parcel number {v}"]),
    (
        "documented-test-card",
        lambda: rng.choice(["4111111111111111", "5105105105105100", "378282246310005"]),
        ["UAT payment with {v} succeeded", "Adyen test card {v}"],
    ),
    (
        "encrypted-value",
        lambda: "$ANSIBLE_VAULT;1.1;AES256\n" + rs(DIG, 80) + "\n" + rs(DIG, 80),
        ["vcenter_password: !vault |\n{v}"],
    ),
    ("encrypted-value", lambda: draw.sops_value(22, 32), ["plaid_secret: {v}"]),
    ("encrypted-value", lambda: "AQICAHh" + rs(B64, 150) + "==", ["KMS ciphertext blob {v}"]),
    (
        "encrypted-value",
        lambda: "01000000d08c9ddf0115d1118c7a00c04fc297eb" + rs(HEX, 120),
        ["$secure = '{v}' | ConvertTo-SecureString"],
    ),
    ("git-sha", draw.sha40, ["terraform module source ref={v}", "CircleCI pipeline for {v} green"]),
    ("uuid", draw.uuid4, ["Plaid item_id {v}", "tenant {v}", "borrower_id: {v}", "Intune device {v} wiped"]),
    ("hash-or-digest", pre("sha384-", B64, 64), ['<script integrity="{v}" crossorigin="anonymous">']),
    ("hash-or-digest", pre("", HEX, 64), ["snowflake query hash {v}"]),
    ("password-hash", lambda: "*" + rs("0123456789ABCDEF", 40), ["mysql.user authentication_string {v}"]),
    (
        "password-hash",
        lambda: "SCRAM-SHA-256$4096:" + rs(B64, 24) + "$" + rs(B64, 44) + ":" + rs(B64, 44),
        ["pg_authid rolpassword = {v}"],
    ),
    ("trace-id", pre("", HEX, 16), ["span {v} slow (2.3s)"]),
    (
        "cloud-resource-id",
        lambda: "arn:aws:iam::123456789012:policy/lending-disburse-" + rs(LOW, 4),
        ["attached {v}"],
    ),
    ("cloud-resource-id", pre("subnet-0", HEX, 17), ["moved node group to {v}"]),
    (
        "placeholder",
        lambda: rng.choice(["<SAS_TOKEN>", "YOUR_PLAID_SECRET", "REDACTED"]),
        ["sig={v}", "secret: {v}", "-Password {v}"],
    ),
    (
        "templated-value",
        lambda: rng.choice(["${{ secrets.AWS_SECRET_ACCESS_KEY }}", "<%= ENV['STRIPE_SECRET'] %>"]),
        ["aws-secret-access-key: {v}", "stripe_secret: {v}"],
    ),
    (
        "masked-value",
        lambda: rng.choice(["AKIA****************", "Basic ********"]),
        ["after the scrub: {v}", "header logged as Authorization: {v}"],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["passwd", "credentials"]),
        ["{v} file permissions were 0644", "missing {v} for the 311 SMS line"],
    ),
    (
        "private-or-reserved-ip",
        lambda: rng.choice(["10.12.0.6", "192.168.0.254"]),
        ["secondary DC {v}", "printer {v} offline"],
    ),
    (
        "example-email",
        lambda: rng.choice(["applicant@example.net", "it-security@eastbrook.internal"]),
        ["report phishing to {v}", "form default {v}"],
    ),
    (
        "version-or-date",
        lambda: rng.choice(["ArcGIS Enterprise 11.3", "2026-10-14", "node 20.17.0"]),
        ["{v} in prod", "migrated on {v}"],
    ),
    ("ids-and-numbers", lambda: "HD-" + rs(DIG, 5), ["see {v}", "dup of {v}"]),
    ("ids-and-numbers", lambda: "P" + rs(UP + DIG, 6), ["PagerDuty incident {v} acknowledged"]),
    ("ids-and-numbers", lambda: str(rng.randint(10**11, 10**12)), ["AWS account {v} (sandbox)"]),
    ("luhn-fail-number", draw.luhn_bad, ["invoice {v} unpaid"]),
    (
        "encrypted-value",
        lambda: (
            "-----BEGIN AGE ENCRYPTED FILE-----\n"
            + rs(B64, 64)
            + "\n"
            + rs(B64, 30)
            + "\n-----END AGE ENCRYPTED FILE-----"
        ),
        ["secrets.enc:\n{v}"],
    ),
    ("uuid", draw.uuid4, ["Auth0 connection {v} disabled", '"loanProductId": "{v}"']),
    (
        "base64-nonsecret",
        lambda: base64.b64encode(
            rng.choice([b"permit-export-complete", b'{"event":"loan.funded"}', b"ping"])
        ).decode(),
        ["message={v}", "body: {v}", "data={v}"],
    ),
]


def expand(table: Table) -> list[Row]:
    out: list[Row] = []
    for typ, gen, tpls in table:
        for tpl in tpls:
            v = gen()
            out.append((typ, tpl.replace("{{", "{").replace("}}", "}").replace("{v}", v), v))
    return out


def webhook_rows() -> list[Row]:
    out: list[Row] = []
    v = (
        "https://eastbrook.webhook.office.com/webhookb2/"
        + draw.uuid4()
        + "@"
        + draw.uuid4()
        + "/IncomingWebhook/"
        + rs(HEX, 32)
        + "/"
        + draw.uuid4()
    )
    out.append(("webhook-url", f'$hook = "{v}"', v))
    v = "https://events.pagerduty.com/integration/" + rs(HEX, 32) + "/enqueue"
    out.append(("webhook-url", f"alertmanager receiver url: {v}", v))
    v = "https://hooks.zapier.com/hooks/catch/" + rs(DIG, 7) + "/" + rs(LOW + DIG, 6) + "/"
    out.append(("webhook-url", f"ZAPIER_HOOK={v}", v))
    return out


def sections() -> tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]]:
    secrets = expand(SECRETS) + webhook_rows() + expand([("password-assignment", pw, PASSWORD_TEMPLATES)])
    return secrets, expand(PERSONAL), [], [], expand(NEGATIVES), []


def check(rows: list[dict], *, fold: str, id_prefix: str, id_digits: int, out: Path) -> None:
    check_rows(rows, fold=fold, id_prefix=id_prefix, types=TYPES, id_digits=id_digits)
    check_unseen(rows, out)
    for r in rows:
        digits = re.sub(r"\D", "", r["value"])
        if r["type"] == "credit-card":
            assert luhn_ok(digits) and digits not in ALL_CARDS, r["id"]
        if r["type"] == "luhn-fail-number":
            assert not luhn_ok(digits), r["id"]
        if r["type"] == "iban":
            raw = r["value"].replace(" ", "")
            assert iban_ok(raw) and len(raw) == {"ES": 24, "IE": 22, "DE": 22, "GB": 22}[raw[:2]], r["id"]
    counts = {k: sum(r["kind"] == k for r in rows) for k in (S, P, N)}
    assert counts[S] == 160 and counts[P] == 30, counts
    json.dumps(rows)


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t65", out=OUT, check=check, id_digits=4)


if __name__ == "__main__":
    main()
