# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test27.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test27.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270127)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a city bike-share operator called Gorsebeck Cycle Share: PM-1507 a rider
app release whose Android ``strings.xml``, ``google-services.json``, iOS ``Info.plist`` and Fastlane
``Appfile``/``Matchfile``/``.env`` carried keys, PM-1514 docking-station provisioning (Mosquitto MQTT,
AWS IoT and Azure IoT Hub device credentials, LoRaWAN root keys), PM-1521 kiosk payment terminals
(Adyen, Square, terminal logs), RB-09 staff mail and directory (Postfix ``sasl_passwd``, Exim,
``msmtprc``, ``.muttrc``, ``ldapsearch -w``, ``sssd.conf``, ``nslcd.conf``), RB-12 depot VPNs
(OpenVPN, strongSwan ``ipsec.secrets``/``swanctl.conf``, WireGuard), ADR-088 infrastructure
pipelines (Terraform ``.tfvars`` and state, Ansible ``--extra-vars`` and vault, sops, GitLab CI,
Bitbucket Pipelines, CircleCI), PM-1530 the rebalancing service and its neighbours (Elixir/Erlang
configs, a Laravel ``.env`` and ``wp-config.php``, Perl DBI, R ``.Renviron``, a Jupyter notebook,
Grafana provisioning, Prometheus and Alertmanager) and PM-1538 a rider-account SQL dump, support
tickets and a corporate-membership export. Common shapes come first in each kind
(``t27p…``/``t27n…``); the summary it prints says where the split falls.
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
    PHONEISH,
    UP,
    Draw,
    Gen,
    N,
    S,
    b64,
    expand_sections,
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
OUT = HERE / "planted_test27.jsonl"
FOLD = "test27"
rng = Random(20270127)
draw = Draw(rng)
rs, uuid4, sha40, hhmm, iso = draw.rs, draw.uuid4, draw.sha40, draw.hhmm, draw.iso
akid, aws_secret, gcp_api = draw.akid, draw.aws_secret, draw.gcp_api
gh_token, gl_token, slack_token, slack_hook, stripe_key = (
    draw.gh_token,
    draw.gl_token,
    draw.slack_token,
    draw.slack_hook,
    draw.stripe_key,
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
    S: {
        *SHARED_TYPES[S],
        "generic-api-key",
        "wireguard-private-key",
        "webhook-url",
        "totp-seed",
        "session-cookie",
        "k8s-secret-b64",
    },
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = [
    "tandem",
    "pannier",
    "sprocket",
    "derailleur",
    "cadence",
    "freewheel",
    "saddle",
    "spoke",
    "crank",
    "velodrome",
]

jwt = partial(
    draw.jwt,
    ["RS256", "ES256", "HS256"],
    ["https://auth.gorsebeck.internal", "rider-api", "dock-fleet", "rebalancer"],
    ["rider:R-4410293", "dock:DK-0417", "svc:rebalancer", "staff:depot-2"],
)

password = partial(draw.password4, WORDS)

plain_pw = partial(draw.plain_password, WORDS)

basic_cred = partial(
    draw.basic_cred, ["prometheus", "dock-fleet", "rider-api", "grafana", "kiosk-sync", "rebalancer"], WORDS
)

au_phone, fr_phone, se_phone, ca_phone = draw.au_phone, draw.fr_phone, draw.se_phone, draw.ca_phone


def bsn() -> str:
    """A Dutch citizen service number: nine digits passing the eleven test."""
    while True:
        d = str(rng.randint(1, 3)) + rs(DIG, 8)
        if bsn_ok(d):
            return d


def bsn_ok(d: str) -> bool:
    return (
        len(d) == 9
        and (sum(int(c) * w for c, w in zip(d[:8], range(9, 1, -1), strict=True)) - int(d[8])) % 11 == 0
    )


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni() -> str:
    n = rng.randint(10_000_000, 79_999_999)
    return f"{n}{DNI_LETTERS[n % 23]}"


def personnummer() -> str:
    """A Swedish personal identity number YYMMDD-NNNC with its Luhn check digit."""
    body = f"{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rs(DIG, 3)}"
    check = next(c for c in DIG if luhn_ok(body + c))
    return f"{body[:6]}-{body[6:]}{check}"


def sin() -> str:
    """A Canadian social insurance number (Luhn-valid, nine digits, first digit 1-7)."""
    body = str(rng.randint(1, 7)) + rs(DIG, 7)
    num = next(body + c for c in DIG if luhn_ok(body + c))
    return f"{num[:3]} {num[3:6]} {num[6:]}"


def national_id_ok(row: dict) -> bool:
    v = row["value"]
    if re.fullmatch(r"\d{9}", v):
        return bsn_ok(v)
    if re.fullmatch(r"\d{8}[A-Z]", v):
        return DNI_LETTERS[int(v[:8]) % 23] == v[8]
    if re.fullmatch(r"\d{6}-\d{4}", v):
        return luhn_ok(v.replace("-", ""))
    if re.fullmatch(r"\d{3} \d{3} \d{3}", v):
        return luhn_ok(v.replace(" ", "")) and v[0] in "1234567"
    return ssn_or_nino_ok(v)


FIRST = [
    "agnieszka",
    "bertil",
    "cosima",
    "dagny",
    "emrys",
    "fridtjof",
    "ginevra",
    "halvard",
    "ilse",
    "joaquin",
]
LAST = ["abernethy", "blomqvist", "carrasco", "delacroix", "elphick", "fjellstad", "gravenor", "huisman"]
MAIL = [
    "gmail.com",
    "outlook.com",
    "hotmail.se",
    "icloud.com",
    "proton.me",
    "telia.com",
    "ziggo.nl",
    "orange.fr",
]

email = partial(draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}.{last}", "{last}_{f}"))


SVCS = ["rider-api", "dock-fleet", "rebalancer", "kiosk-sync", "billing", "trip-ledger"]
STAFF = ["astrid", "bram", "cait", "dmitri", "elin", "farouk", "greta", "hugo"]
HOSTS = ["depot-gw-02", "mqtt-01", "mail-relay-1", "ldap-2", "billing-legacy", "ci-runner-4"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(STAFF),
    "host": lambda: rng.choice(HOSTS),
    "pip": priv_ip,
    "dock": lambda: f"DK-{rng.randint(100, 999):04d}",
    "bike": lambda: f"BK-{rng.randint(10_000, 69_999)}",
    "tkt": lambda: str(rng.randint(30_000, 39_999)),
    "uuid": uuid4,
    "num": lambda: str(rng.randint(2, 400)),
}

# Shapes of the positions, so templates stay readable.
STRINGS = '<!-- app/src/prod/res/values/strings.xml -->\n<resources>\n    <string name="app_name">Gorsebeck</string>\n'
GSJ = '// app/google-services.json\n{\n  "project_info": {\n    "project_number": "418820331907",\n    "project_id": "gorsebeck-rider"\n  },\n  "client": [{\n'
PLIST = "<!-- ios/Gorsebeck/Info.plist -->\n<dict>\n"
FASTENV = "# fastlane/.env.default (rider-app repo)\n"
MATCH = '# fastlane/Matchfile\ngit_url("https://git.gorsebeck.internal/mobile/certificates.git")\ntype("appstore")\n'
KSPROPS = "# android/keystore.properties\nkeyAlias=gorsebeck-release\n"
MOSQ = "# /etc/mosquitto/conf.d/bridge.conf on mqtt-01\nconnection cloud-bridge\naddress mqtt.gorsebeck.internal:8883\n"
DOCKCFG = "# provisioning/docks/{dock}.yaml (generated)\nmqtt:\n  host: mqtt.gorsebeck.internal\n  port: 8883\n  username: dock-agent\n"
TTN = "$ ttn-lw-cli end-devices create gorsebeck-docks {dock} --lorawan-version 1.0.3 "
TERM = "{ts} kiosk-7 payterm[412]: "
ADYEN = "# kiosk-sync/config/adyen.yml\nenvironment: live\nmerchant_account: GorsebeckKiosksGB\n"
SASL = "# /etc/postfix/sasl_passwd on mail-relay-1\n"
MSMTP = "# ~/.msmtprc (depot-gw-02, root)\naccount depot\nhost smtp.gorsebeck.internal\nport 587\nauth on\nuser alerts\n"
MUTT = '# ~/.muttrc ({who}, ops laptop)\nset from = "ops@gorsebeck.example"\n'
SSSD = "# /etc/sssd/sssd.conf\n[domain/gorsebeck]\nid_provider = ldap\nldap_uri = ldaps://ldap.gorsebeck.internal\nldap_default_bind_dn = cn=sssd,ou=services,dc=gorsebeck,dc=internal\n"
NSLCD = "# /etc/nslcd.conf (billing-legacy)\nuri ldaps://ldap.gorsebeck.internal/\nbase dc=gorsebeck,dc=internal\nbinddn cn=nslcd,ou=services,dc=gorsebeck,dc=internal\n"
OVPN = "# /etc/openvpn/client/depot.conf\nclient\ndev tun\nremote vpn.gorsebeck.internal 1194\n"
IPSEC = "# /etc/ipsec.secrets (depot-gw-02)\n"
SWAN = "# /etc/swanctl/conf.d/depot.conf\nsecrets {\n  ike-depot {\n    id = depot-2.gorsebeck.internal\n"
TFVARS = '# envs/prod/terraform.tfvars\nregion = "eu-north-1"\n'
TFSTATE = '// terraform.tfstate (s3://gorsebeck-tfstate/prod), "resources" excerpt\n{\n  "type": "'
ANSIBLE = "$ ansible-playbook -i inventories/prod site.yml "
GLCI = "# .gitlab-ci.yml (dock-fleet)\nvariables:\n"
BBP = "# bitbucket-pipelines.yml (marketing-site)\npipelines:\n  default:\n    - step:\n        script:\n"
CIRCLE = "$ circleci context store-secret bitbucket gorsebeck rider-app-release "
EXS = "# rebalancer/config/runtime.exs\nimport Config\n\nconfig :rebalancer, Rebalancer.Repo,\n"
LARAVEL = "# marketing-site/.env\nAPP_NAME=Gorsebeck\nAPP_ENV=production\n"
WPCFG = "<?php // wp-config.php (blog.gorsebeck.example)\n"
PERL = "# billing-legacy/lib/Billing/DB.pm\nuse DBI;\n"
RENV = "# ~/.Renviron (analytics, {who})\n"
NB = '// notebooks/demand_forecast.ipynb, cell 3\n{"cell_type": "code", "source": ["import os\\n", '
GRAFANA = "# grafana/provisioning/datasources/prod.yaml\napiVersion: 1\ndatasources:\n  - name: trips\n"
PROM = "# prometheus.yml\nscrape_configs:\n  - job_name: dock-exporter\n    scheme: https\n"
AM = "# alertmanager.yml\nreceivers:\n  - name: "
SQLDUMP = "-- rider_prod.sql (pg_dump, attached to PM-1538)\n"
TICKET = "Ticket #{tkt} ({dock}) "
CSV = "member_id,name,email,phone,employer,iban,national_id\n"
CHAT = "[{t}] {who}: "


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            TFVARS + 'aws_access_key = "{v}"',
            DOCKCFG + "  password_file: /etc/dock/mqtt.pw\naws_iot:\n  access_key_id: {v}",
            GLCI + "  AWS_ACCESS_KEY_ID: {v}\n  AWS_DEFAULT_REGION: eu-north-1",
            RENV + "AWS_ACCESS_KEY_ID={v}\nAWS_DEFAULT_REGION=eu-north-1",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            TFVARS + 'aws_secret_key = "{v}"',
            TFSTATE
            + 'aws_iam_access_key",\n  "name": "dock_uploader",\n  "instances": [{"attributes": {"id": "AKIA_ROTATED", "secret": "{v}", "user": "dock-uploader"}}]\n}',
            BBP
            + "          - export AWS_SECRET_ACCESS_KEY={v}\n          - aws s3 sync public/ s3://gorsebeck-www",
            LARAVEL + "AWS_SECRET_ACCESS_KEY={v}\nAWS_BUCKET=gorsebeck-www",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            RENV + "GITHUB_PAT={v}",
            MATCH + 'git_basic_authorization(Base64.strict_encode64("gorsebeck-ci:{v}"))',
            CIRCLE + "GITHUB_TOKEN <<< {v}",
            CHAT + "the mirror job needs a token, I put {v} in the runner for now",
        ],
    ),
    (
        "gitlab-token",
        gl_token,
        [
            "$ gitlab-runner register --non-interactive --url https://git.gorsebeck.internal --token {v} --executor docker",
            FASTENV + "GITLAB_API_TOKEN={v}",
            ANSIBLE + "--extra-vars 'gitlab_runner_token={v}'",
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "# grafana/provisioning/alerting/slack.yaml\ncontactPoints:\n  - name: depot-ops\n    receivers:\n      - type: slack\n        settings:\n          recipient: '#depot-ops'\n          token: {v}",
            EXS.replace("Rebalancer.Repo,\n", "Rebalancer.Notify,\n") + '  slack_token: "{v}"',
            GLCI + "  SLACK_BOT_TOKEN: {v}",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            AM + "depot-ops\n    slack_configs:\n      - api_url: {v}\n        channel: '#depot-ops'",
            FASTENV + "SLACK_URL={v}",
            BBP
            + "          - curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"deployed\"}' {v}",
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            LARAVEL + "STRIPE_SECRET={v}\nCASHIER_CURRENCY=gbp",
            EXS.replace("Rebalancer.Repo,\n", "Rebalancer.Billing,\n") + '  stripe_secret: "{v}"',
            TFVARS + 'stripe_secret_key = "{v}"',
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "> GET /v3/docks/DK-0417/status HTTP/2\n> Host: api.gorsebeck.internal\n> Authorization: Bearer {v}",
            NB + '"os.environ[\\"RIDER_API_TOKEN\\"] = \\"{v}\\"\\n"]}',
            TERM + "backend auth ok token={v}",
            CHAT + "for the demo use this rider token, it's valid till Friday: {v}",
            DOCKCFG + "  password: {v}\n  # JWT auth plugin on the broker",
        ],
    ),
    (
        "private-key",
        draw.pk("pkcs8"),
        ["# fastlane/AuthKey_7QX2M4K9LP.p8 (App Store Connect API key, committed)\n{v}"],
    ),
    (
        "private-key",
        draw.pk("rsa", "    "),
        [
            DOCKCFG.replace(
                "mqtt:\n",
                "aws_iot:\n  endpoint: a3k7x2example-ats.iot.eu-north-1.amazonaws.com\n  private_key: |\n    {v}\nmqtt:\n",
            )
        ],
    ),
    (
        "private-key",
        draw.pk("ec"),
        ["# /etc/mosquitto/certs/server.key (mqtt-01), pasted into the PM-1514 ticket\n{v}"],
    ),
    (
        "private-key",
        draw.pk("ssh", " " * 16),
        [
            BBP.replace(
                "        script:\n",
                "        script:\n          - pipe: atlassian/ssh-run:0.8.0\n            variables:\n              SSH_KEY: |\n                {v}\n",
            )
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "mqtt_pub --url mqtts://dock-fleet:{v}@mqtt.gorsebeck.internal:8883/docks/DK-0417/cmd -m reboot",
            LARAVEL + "DATABASE_URL=mysql://wp:{v}@mysql-www.gorsebeck.internal:3306/marketing",
            EXS + '  url: "ecto://rebalancer:{v}@pg-rebal.gorsebeck.internal/rebalancer"',
            GLCI + "  DATABASE_URL: postgres://dockfleet:{v}@pg-fleet.gorsebeck.internal:5432/fleet",
            TFVARS + 'redis_url = "rediss://default:{v}@redis-trips.gorsebeck.internal:6380"',
            GRAFANA
            + "    type: postgres\n    url: postgres://grafana_ro:{v}@pg-trips.gorsebeck.internal:5432/trips",
            RENV + "TRIPS_DB=postgresql://analyst:{v}@pg-trips.gorsebeck.internal/trips",
            "$ lftp sftp://depot-backup:{v}@backup.gorsebeck.internal/depot-2/",
            "** (AMQP.Error) connection to amqp://rebalancer:{v}@rabbit.gorsebeck.internal:5672/%2F unreachable",
            MUTT + 'set smtp_url = "smtps://ops:{v}@smtp.gorsebeck.internal:465/"',
        ],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            STRINGS + '    <string name="kiosk_admin_password">{v}</string>\n</resources>',
            KSPROPS + "storePassword={v}\nstoreFile=../keys/release.jks",
            FASTENV + "MATCH_PASSWORD={v}",
            DOCKCFG + "  password: {v}",
            MOSQ + "remote_username dock-bridge\nremote_password {v}",
            "$ mosquitto_pub -h mqtt.gorsebeck.internal -p 8883 -u {dock} -P {v} -t docks/status -m ok",
            SASL + "[smtp.office365.com]:587 noreply@gorsebeck.example:{v}",
            "# /etc/exim4/passwd.client\n*.mailgun.org:postmaster@mg.gorsebeck.example:{v}",
            MSMTP + "password {v}",
            MUTT + 'set smtp_pass = "{v}"\nset imap_user = ops',
            "$ ldapsearch -x -H ldaps://ldap.gorsebeck.internal -D cn=admin,dc=gorsebeck,dc=internal -w {v} -b ou=staff,dc=gorsebeck,dc=internal",
            SSSD + "ldap_default_authtok_type = password\nldap_default_authtok = {v}",
            NSLCD + "bindpw {v}",
            "# /etc/openvpn/client/depot.auth (auth-user-pass)\ndepot-2\n{v}",
            IPSEC + 'depot-2.gorsebeck.internal vpn.gorsebeck.internal : PSK "{v}"',
            SWAN + '    secret = "{v}"\n  }\n}',
            TFVARS + 'db_password = "{v}"\ndb_username = "fleet"',
            TFSTATE
            + 'aws_db_instance",\n  "name": "trips",\n  "instances": [{"attributes": {"username": "trips_admin", "password": "{v}"}}]\n}',
            ANSIBLE + '-e "ansible_become_pass={v}" --limit depot_gateways',
            LARAVEL + "DB_USERNAME=marketing\nDB_PASSWORD={v}",
            WPCFG + "define( 'DB_USER', 'wp_blog' );\ndefine( 'DB_PASSWORD', '{v}' );",
            PERL
            + 'my $dbh = DBI->connect("dbi:Pg:dbname=billing;host=pg-billing.gorsebeck.internal", "billing_rw", "{v}", { RaiseError => 1 });',
            GRAFANA + "    type: postgres\n    user: grafana_ro\n    secureJsonData:\n      password: {v}",
            PROM + "    basic_auth:\n      username: prometheus\n      password: {v}",
            EXS + '  username: "rebalancer",\n  password: "{v}",\n  hostname: "pg-rebal.gorsebeck.internal"',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            CHAT + "depot-2 router login is admin / {v} until we rotate it",
            TICKET + "rider: I reset it twice, the new password is {v} and the app still says wrong",
            SQLDUMP
            + "COPY public.staff_legacy (id, login, password_plain) FROM stdin;\n17\tdepot.lead\t{v}\n\\.",
            "-- LDIF applied by RB-09 step 3\ndn: uid=kiosk-sync,ou=services,dc=gorsebeck,dc=internal\nchangetype: modify\nreplace: userPassword\nuserPassword: {v}",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            "> POST /api/v1/push HTTP/1.1\n> Host: metrics.gorsebeck.internal\n> Authorization: Basic {v}",
            TERM
            + "POST https://kiosk-sync.gorsebeck.internal/v2/sale headers={'Authorization': 'Basic {v}'}",
            GRAFANA.replace("trips", "loki")
            + "    type: loki\n    jsonData:\n      httpHeaderName1: Authorization\n    secureJsonData:\n      httpHeaderValue1: Basic {v}",
        ],
    ),
    (
        "bearer-token",
        lambda: rs(ALNUM, rng.randint(32, 48)),
        [
            "> GET /v3/rebalance/plan HTTP/1.1\n> Authorization: Bearer {v}",
            PROM + "    authorization:\n      type: Bearer\n      credentials: {v}",
            NB + '"headers = {\\"Authorization\\": \\"Bearer {v}\\"}\\n"]}',
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(HEX, 32),
        [
            AM + "night-duty\n    pagerduty_configs:\n      - routing_key: {v}",
            TTN + "--root-keys.app-key.key {v}",
            "# chirpstack device-keys ({dock})\nnwk_key: {v}",
            DOCKCFG.replace("mqtt:\n", "lorawan:\n  dev_eui: 70B3D57ED005A1C2\n  app_key: {v}\nmqtt:\n"),
        ],
    ),
    (
        "generic-api-key",
        uuid4,
        [
            AM
            + "night-duty\n    opsgenie_configs:\n      - api_key: {v}\n        api_url: https://api.eu.opsgenie.com/"
        ],
    ),
    (
        "generic-api-key",
        lambda: "base64:" + b64(draw.rbytes(32)),
        [LARAVEL + "APP_KEY={v}\nAPP_DEBUG=false"],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM + "!#%&()*+,-.:;<=>?@[]^_|~", 64),
        [WPCFG + "define( 'AUTH_KEY',         '{v}' );", WPCFG + "define( 'NONCE_SALT',       '{v}' );"],
    ),
    (
        "generic-api-key",
        lambda: rs(ALNUM + "+/", 64),
        [EXS.replace("Rebalancer.Repo,\n", "RebalancerWeb.Endpoint,\n") + '  secret_key_base: "{v}"'],
    ),
    (
        "vendor-token",
        lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
        [
            SASL + "[smtp.sendgrid.net]:587 apikey:{v}",
            LARAVEL + "MAIL_MAILER=smtp\nMAIL_USERNAME=apikey\nMAIL_PASSWORD={v}",
        ],
    ),
    (
        "vendor-token",
        lambda: "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134),
        [
            STRINGS + '    <string name="fcm_server_key">{v}</string>\n</resources>',
            EXS.replace("Rebalancer.Repo,\n", "Rebalancer.Push,\n") + '  fcm_server_key: "{v}"',
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
def openvpn_static() -> str:
    lines = [rs(HEX, 32) for _ in range(16)]
    return "\n".join(["-----BEGIN OpenVPN Static key V1-----", *lines, "-----END OpenVPN Static key V1-----"])


def ansible_vault_block() -> str:
    return "$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(
        rs("0123456789", 80) if i % 3 else rs(HEX, 80) for i in range(5)
    )


RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-key",
        gcp_api,
        [
            GSJ + '    "api_key": [{"current_key": "{v}"}]\n  }]\n}',
            PLIST + "  <key>GMSApiKey</key>\n  <string>{v}</string>",
            STRINGS
            + '    <string name="google_maps_key" templateMergeStrategy="preserve" translatable="false">{v}</string>\n</resources>',
        ],
    ),
    (
        "gcp-service-account-key",
        draw.gcp_sa_key,
        [
            '// fastlane/play-store-key.json (json_key_file target)\n{"type": "service_account", "project_id": "gorsebeck-rider", "private_key": "{v}", "client_email": "fastlane@gorsebeck-rider.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "azure-key",
        lambda: b64(draw.rbytes(32)),
        [
            "# provisioning/docks/legacy-iothub.env\nIOTHUB_DEVICE_CONNECTION_STRING=HostName=gorsebeck-docks.azure-devices.net;DeviceId=DK-0291;SharedAccessKey={v}"
        ],
    ),
    ("private-key", openvpn_static, [OVPN + "key-direction 1\n<tls-auth>\n{v}\n</tls-auth>"]),
    (
        "wireguard-private-key",
        lambda: b64(draw.rbytes(32)),
        [
            "# /etc/wireguard/wg-depot.conf\n[Interface]\nAddress = 10.44.0.2/24\nPrivateKey = {v}\nListenPort = 51820"
        ],
    ),
    (
        "vendor-token",
        lambda: "AQE" + rs(ALNUM, 5) + "fxK" + rs(B64, 84) + "==-" + rs(B64, 43) + "=-" + rs(ALNUM + "%", 16),
        [ADYEN + "api_key: {v}", CHAT + "Adyen support asked for the key, I pasted {v} into their portal"],
    ),
    (
        "vendor-token",
        lambda: "EAAA" + rs(B64URL, 60),
        [ADYEN.replace("adyen.yml", "square.yml") + "access_token: {v}"],
    ),
    (
        "vendor-token",
        lambda: "NNSXS." + rs(UP + DIG, 39) + "." + rs(UP + DIG, 52),
        ["$ ttn-lw-cli login --api-key {v}", DOCKCFG.replace("mqtt:\n", "ttn:\n  api_key: {v}\nmqtt:\n")],
    ),
    (
        "vendor-token",
        lambda: "sk.eyJ1IjoiZ29yc2ViZWNrIiwiYSI6I" + rs(B64URL, 40) + "." + rs(B64URL, 22),
        [FASTENV + "MAPBOX_DOWNLOADS_TOKEN={v}"],
    ),
    ("vendor-token", lambda: "key-" + rs(HEX, 32), ["# /etc/exim4/mailgun.env\nMAILGUN_API_KEY={v}"]),
    (
        "vendor-token",
        lambda: "ATBB" + rs(ALNUM, 28) + rs(HEX.upper(), 8),
        [BBP + "          - git push origin main\n# the app password the push step used: {v}"],
    ),
    (
        "vendor-token",
        lambda: "CCIPAT_" + rs(ALNUM, 22) + "_" + rs(HEX, 40),
        ["$ export CIRCLECI_CLI_TOKEN={v}"],
    ),
    (
        "vendor-token",
        lambda: "sk-proj-" + rs(B64URL, 120) + "T3BlbkFJ" + rs(B64URL, 20),
        [NB + '"os.environ[\\"OPENAI_API_KEY\\"] = \\"{v}\\"\\n"]}'],
    ),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        [TFVARS + 'grafana_url = "https://grafana.gorsebeck.internal"\ngrafana_auth = "{v}"'],
    ),
    (
        "webhook-url",
        lambda: f"https://discord.com/api/webhooks/{rs(DIG, 19)}/{rs(B64URL, 68)}",
        [AM + "community-mods\n    webhook_configs:\n      - url: {v}"],
    ),
    (
        "webhook-url",
        lambda: (
            f"https://gorsebeck.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}"
        ),
        [
            "# grafana/provisioning/alerting/teams.yaml\napiVersion: 1\ncontactPoints:\n  - orgId: 1\n    name: depot-managers\n    receivers:\n      - uid: teams-depot\n        type: teams\n        settings:\n          url: {v}"
        ],
    ),
    (
        "totp-seed",
        lambda: rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32),
        [
            "RB-09 appendix: break-glass admin MFA, otpauth://totp/Gorsebeck:breakglass?secret={v}&issuer=Gorsebeck"
        ],
    ),
    (
        "generic-api-key",
        lambda: rs(UP, 20),
        [
            "# rebalancer/rel/vm.args.eex\n-name rebalancer@127.0.0.1\n-setcookie {v}",
            "$ cat ~/.erlang.cookie   (pasted by {who})\n{v}",
        ],
    ),
    (
        "generic-api-key",
        lambda: b64(draw.rbytes(32)),
        ['# sys.config (trip-ledger)\n[{trip_ledger, [{hmac_secret, <<"{v}">>}]}].'],
    ),
    (
        "password-assignment",
        plain_pw,
        [
            ANSIBLE + '--extra-vars \'{"mqtt_admin_password": "{v}"}\'',
            "# .circleci/config.yml (rider-app)\njobs:\n  build:\n    environment:\n      KEYSTORE_PASSWORD: {v}",
            PLIST + "  <key>KioskDiagnosticsPassword</key>\n  <string>{v}</string>",
            "# /etc/ppp/chap-secrets (LTE modem on {dock})\ndock-lte * {v} *",
            "# /etc/mosquitto/passwd.plain (before mosquitto_passwd -U, pasted in PM-1514)\nDK-0311:{v}",
            '# slapd.conf on ldap-2 (before RB-09)\nrootdn "cn=admin,dc=gorsebeck,dc=internal"\nrootpw {v}',
            "<?php // marketing-site/config/database.php\n'password' => env('DB_PASSWORD', '{v}'),",
            'con <- DBI::dbConnect(RPostgres::Postgres(), host = "pg-trips.gorsebeck.internal", user = "analyst", password = "{v}")',
        ],
    ),
    (
        "password-assignment",
        password,
        [
            TERM + "service menu login user=tech pass={v} result=ok",
            TICKET + "depot lead: kiosk service code is {v}, please don't share",
        ],
    ),
    (
        "password-in-url",
        plain_pw,
        [
            "# Postfix main.cf excerpt\nrelayhost = [smtp.gorsebeck.internal]:587\n# tested with: swaks --server smtp://alerts:{v}@smtp.gorsebeck.internal:587",
            'my $dsn = "DBI:mysql:database=billing;host=mysql-billing;mysql_read_default_file=~/.my.cnf"; # old: mysql://billing:{v}@mysql-billing/billing',
        ],
    ),
    (
        "github-token",
        lambda: "ghp_" + rs(ALNUM, 36),
        [NB + '"!pip install git+https://{v}@github.com/gorsebeck/demandlib.git\\n"]}'],
    ),
    ("gitlab-token", gl_token, [TFVARS + 'gitlab_token = "{v}"']),
    (
        "slack-webhook",
        slack_hook,
        [
            TFSTATE
            + 'aws_ssm_parameter",\n  "name": "slack_hook",\n  "instances": [{"attributes": {"type": "SecureString", "value": "{v}"}}]\n}'
        ],
    ),
    ("aws-key", akid, ["$ aws configure set aws_access_key_id {v} --profile dock-uploader"]),
    (
        "stripe-key",
        lambda: "rk_live_51" + rs(ALNUM, 97),
        [TERM + "stripe terminal reader registered key={v}"],
    ),
    (
        "session-cookie",
        lambda: "SFMyNTY." + rs(B64URL, 96) + "." + rs(B64URL, 43),
        ["> Cookie: _rebalancer_key={v}"],
    ),
    (
        "k8s-secret-b64",
        lambda: b64(plain_pw().encode()),
        [
            "# kubectl get secret mqtt-bridge -o yaml\napiVersion: v1\nkind: Secret\ndata:\n  remote-password: {v}"
        ],
    ),
    (
        "jwt",
        jwt,
        [
            TFSTATE
            + 'vault_token",\n  "name": "ci",\n  "instances": [{"attributes": {"client_token": "{v}"}}]\n}'
        ],
    ),
    ("basic-auth", basic_cred, ["> GET /metrics HTTP/1.1\n> authorization: basic {v}"]),
]


# ---------------------------------------------------------------------------- personal data
COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            CSV + "M-20411,Cosima Carrasco,{v},,Fjord Logistics,,",
            SQLDUMP + "COPY public.riders (id, email, password_hash) FROM stdin;\n44102\t{v}\t\\N\n\\.",
            TICKET + "rider: please close my account, the login is {v}",
            '{ts} INFO rider-api receipt queued to="{v}" trip=T-88213',
            CHAT + "rider {v} says she was charged twice for one trip",
            SASL.replace("sasl_passwd", "maillog")
            + "postfix/smtp[3021]: 4Xk2: to=<{v}>, relay=none, status=bounced",
        ],
    ),
    (
        "phone",
        phone,
        [
            CSV + "M-20412,Emrys Elphick,,{v},Fjord Logistics,,",
            TICKET + "rider: call me on {v}, the dock kept my deposit",
            CHAT + "van driver for the north loop is on {v} tonight",
            "{ts} WARN rider-api sms otp failed msisdn={v} provider=messagebird",
            SQLDUMP + "UPDATE riders SET phone = '{v}' WHERE id = 44103;",
            TERM + "receipt by sms to {v} sent",
        ],
    ),
    (
        "credit-card",
        card,
        [
            TERM + "DEBUG emv tlv 5A (PAN) = {v}",
            TICKET + "rider: the kiosk took {v} twice, please refund one",
            "{ts} ERROR kiosk-sync settle failed pan={v} amount=3.50 currency=GBP",
            CHAT + "someone wrote a rider's card {v} on the depot whiteboard, photo in the ticket",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "{ts} INFO rider-api POST /v3/trips/start 201 ip={v} dock=DK-0417",
            "mail-relay-1 postfix/smtpd[881]: warning: unknown[{v}]: SASL LOGIN authentication failed",
            "slapd[1022]: conn=4411 fd=17 ACCEPT from IP={v}:51220 (IP=0.0.0.0:636)",
            TICKET + "rider's app shows IP {v} on the failed login list",
            "ovpn-depot[712]: {v}:50211 TLS Error: TLS handshake failed",
        ],
    ),
]

RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "-- LDIF export (PM-1538)\ndn: uid=m20422,ou=members,dc=gorsebeck,dc=internal\nmail: {v}\nemployeeType: corporate",
            MUTT + "alias rider-escalation {v}",
        ],
    ),
    (
        "credit-card",
        card,
        [SQLDUMP + "COPY public.legacy_cards (rider_id, pan, expiry) FROM stdin;\n44105\t{v}\t09/28\n\\."],
    ),
    (
        "phone",
        se_phone,
        [
            CSV + "M-20413,Dagny Blomqvist,,{v},Malmo Bryggeri,,",
            TICKET + "rider (visiting from Gothenburg): my number is {v}",
        ],
    ),
    ("phone", ca_phone, [TICKET + "rider: Canadian number {v}, I'm here until June"]),
    ("phone", au_phone, [CSV + "M-20414,Halvard Huisman,,{v},Southern Cross Tours,,"]),
    ("phone", fr_phone, [CHAT + "French contractor for the dock retrofit is on {v}"]),
    (
        "ipv6",
        public_v6,
        [
            "{ts} INFO rider-api GET /v3/docks/nearby 200 ip={v}",
            "slapd[1022]: conn=4412 fd=18 ACCEPT from IP=[{v}]:40122 (IP=[::]:636)",
        ],
    ),
    (
        "national-id",
        ssn,
        [CSV.replace("iban,national_id", "ssn") + "M-20415,Joaquin Carrasco,,,Harbor Bikes US,{v}"],
    ),
    ("national-id", nino, [CSV + "M-20416,Ilse Gravenor,,,Fjord Logistics,,{v}"]),
    ("national-id", bsn, [CSV.replace("national_id", "bsn") + "M-20417,Bertil Huisman,,,Zuid Fietsen,,{v}"]),
    ("national-id", dni, [TICKET + "rider sent a photo of her DNI {v} to prove identity"]),
    (
        "national-id",
        personnummer,
        [CSV.replace("national_id", "personnummer") + "M-20418,Fridtjof Fjellstad,,,Malmo Bryggeri,,{v}"],
    ),
    ("national-id", sin, [TICKET + "corporate admin pasted the employee's SIN {v} in the form"]),
    ("iban", lambda: iban_of("SE", rs(DIG, 20)), [CSV + "M-20419,Ginevra Delacroix,,,Malmo Bryggeri,{v},"]),
    ("iban", lambda: iban_of("BE", rs(DIG, 12)), [TICKET + "rider: refund the deposit to {v} please"]),
    (
        "iban",
        lambda: iban_of("NL", rs(UP, 4) + rs(DIG, 10)),
        [SQLDUMP + "INSERT INTO payouts (member_id, iban) VALUES (20420, '{v}');"],
    ),
]


# ---------------------------------------------------------------------------- look-alikes
bcrypt = partial(draw.bcrypt, "$2b$12$", ALNUM + "./")


def argon2() -> str:
    return (
        "$argon2id$v=19$m=65536,t=3,p=4$"
        + b64(draw.rbytes(16)).rstrip("=")
        + "$"
        + b64(draw.rbytes(32)).rstrip("=")
    )


sha512_crypt = partial(draw.sha512_crypt, ALNUM + "./")


def mosq_hash() -> str:
    return "$7$101$" + b64(draw.rbytes(12)) + "$" + b64(draw.rbytes(64))


def ssha() -> str:
    return "{SSHA}" + b64(draw.rbytes(24))


sops_enc = draw.sops_value

cert_pem = draw.cert_pem

reserved_v4 = draw.reserved_v4


def imei() -> str:
    body = "86" + rs(DIG, 12)
    return next(body + c for c in DIG if luhn_ok(body + c))


def iccid() -> str:
    body = "8946" + rs(DIG, 14)
    return next(body + c for c in DIG if luhn_ok(body + c))


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            MATCH + 'git_branch("main")\n# certificates repo at {v}',
            GLCI.replace("variables:\n", "# pipeline #88120 for commit {v}\nvariables:\n")
            + "  DEPLOY_ENV: prod",
            CHAT + "rider-app 5.14.0 was built from {v}",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "> GET /v3/docks/DK-0417/status HTTP/2\n> X-Request-Id: {v}",
            TFSTATE
            + 'random_uuid",\n  "name": "fleet",\n  "instances": [{"attributes": {"id": "{v}", "keepers": {"env": "prod"}}}]\n}',
            PLIST + "  <key>GorsebeckInstallationId</key>\n  <string>{v}</string>",
            '# fastlane/Appfile\napp_identifier("com.gorsebeck.rider")\n# App Store Connect issuer_id {v}',
            AM
            + "night-duty\n    opsgenie_configs:\n      - api_key_file: /etc/am/opsgenie\n        responders:\n          - id: {v}\n            type: team",
        ],
    ),
    (
        "hash-or-digest",
        bcrypt,
        [
            SQLDUMP
            + "COPY public.riders (id, email, password_hash) FROM stdin;\n44104\trider44104@gorsebeck.example\t{v}\n\\.",
            "# marketing-site/database/seeders/admin.sql\nINSERT INTO users (email, password) VALUES ('admin@gorsebeck.example', '{v}');",
            TICKET + "agent {who}: the stored value is only the bcrypt hash {v}, we can't read the password",
        ],
    ),
    (
        "hash-or-digest",
        argon2,
        [SQLDUMP + "INSERT INTO staff (login, pw_hash) VALUES ('depot.lead', '{v}');"],
    ),
    (
        "hash-or-digest",
        sha512_crypt,
        ["# /etc/shadow (depot-gw-02), excerpt\nopsadmin:{v}:20071:0:99999:7:::"],
    ),
    ("hash-or-digest", mosq_hash, ["# /etc/mosquitto/passwd (hashed, safe to share)\nDK-0312:{v}"]),
    (
        "hash-or-digest",
        ssha,
        [
            "# cn=config, olcDatabase={1}mdb\nolcRootPW: {v}",
            "-- LDIF export\ndn: uid=astrid,ou=staff,dc=gorsebeck,dc=internal\nuserPassword: {v}",
        ],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 64),
        [
            '# .terraform.lock.hcl\nprovider "registry.terraform.io/hashicorp/aws" {\n  version = "5.72.1"\n  hashes = [\n    "zh:{v}",\n  ]\n}',
            '# mix.lock\n%{"ecto_sql": {:hex, :ecto_sql, "3.12.1", "{v}", [:mix], [], "hexpm"}}',
            "$ sha256sum dock-fw-3.8.2.bin\n{v}  dock-fw-3.8.2.bin",
        ],
    ),
    (
        "hash-or-digest",
        lambda: "sha256:" + rs(HEX, 64),
        [BBP + "          - docker pull registry.gorsebeck.internal/www@{v}"],
    ),
    (
        "hash-or-digest",
        lambda: rs(HEX, 32),
        [
            '# composer.lock\n"dist": {"type": "zip", "reference": "v10.48.2", "shasum": "{v}"}',
            "# dock-fw-3.8.2.manifest\nmd5={v}\nsize=1048576",
        ],
    ),
    (
        "trace-id",
        lambda: rs(HEX, 32),
        [
            '{ts} ERROR rebalancer trace_id={v} msg="no vans free"',
            "GrafanaTempo trace {v} shows the slow LDAP bind",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"a{rs(LOW + DIG, 13)}-ats.iot.eu-north-1.amazonaws.com",
        [
            DOCKCFG.replace("mqtt:\n", "aws_iot:\n  endpoint: {v}\nmqtt:\n"),
            CHAT + "docks talk to {v} now, not the old broker",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:iot:eu-north-1:{rs(DIG, 12)}:thing/DK-{rng.randint(100, 999):04d}",
        [
            TFSTATE
            + 'aws_iot_thing",\n  "name": "dock",\n  "instances": [{"attributes": {"arn": "{v}"}}]\n}',
            TFVARS + 'dock_thing_arn = "{v}"',
        ],
    ),
    (
        "cloud-resource-id",
        lambda: f"arn:aws:secretsmanager:eu-north-1:{rs(DIG, 12)}:secret:prod/fleet/db-{rs(ALNUM, 6)}",
        [TFVARS + 'db_secret_arn = "{v}"'],
    ),
    (
        "ids-and-numbers",
        lambda: f"1:{rs(DIG, 12)}:android:{rs(HEX, 16)}",
        [
            GSJ
            + '    "client_info": {"mobilesdk_app_id": "{v}", "android_client_info": {"package_name": "com.gorsebeck.rider"}}\n  }]\n}',
            FASTENV + "FIREBASE_APP_ID={v}",
        ],
    ),
    (
        "ids-and-numbers",
        lambda: f"com.googleusercontent.apps.{rs(DIG, 12)}-{rs(LOW + DIG, 32)}",
        [PLIST + "  <key>CFBundleURLSchemes</key>\n  <array><string>{v}</string></array>"],
    ),
    (
        "ids-and-numbers",
        lambda: rs(UP + DIG, 10),
        ['# fastlane/Fastfile\napp_store_connect_api_key(key_id: "{v}", key_filepath: "./AuthKey.p8")'],
    ),
    (
        "ids-and-numbers",
        lambda: "70B3D57ED00" + rs(HEX.upper(), 5),
        [
            TTN + "--dev-eui {v} --join-eui 0000000000000000",
            DOCKCFG.replace("mqtt:\n", "lorawan:\n  dev_eui: {v}\nmqtt:\n"),
        ],
    ),
    (
        "ids-and-numbers",
        imei,
        [
            "{ts} INFO dock-fleet modem attached imei={v} dock=DK-0417",
            CSV.replace("member_id,name,email,phone,employer,iban,national_id", "dock,modem_imei")
            + "DK-0418,{v}",
        ],
    ),
    (
        "ids-and-numbers",
        iccid,
        ["# provisioning/sims.csv\ndock,iccid\nDK-0419,{v}", CHAT + "swap the SIM in DK-0420, new ICCID {v}"],
    ),
    ("ids-and-numbers", lambda: f"TID-{rs(DIG, 8)}", [TERM + "terminal {v} online, batch 0412"]),
    (
        "ids-and-numbers",
        lambda: f"R-{rng.randint(4_000_000, 4_999_999)}",
        [TICKET + "rider {v} wants the ride history"],
    ),
    (
        "placeholder",
        lambda: rng.choice(
            ["changeme", "<password>", "CHANGE_ME", "xxxxxxxx", "your-key-here", "REPLACE_ME", "TODO"]
        ),
        [
            KSPROPS + "storePassword={v}",
            FASTENV.replace(".env.default", ".env.example") + "MATCH_PASSWORD={v}",
            SSSD + "ldap_default_authtok = {v}",
            IPSEC.replace("(depot-gw-02)", "(template in the RB-12 appendix)") + ': PSK "{v}"',
            TFVARS.replace("terraform.tfvars", "terraform.tfvars.example") + 'db_password = "{v}"',
            LARAVEL.replace(".env", ".env.example") + "DB_PASSWORD={v}",
            WPCFG.replace("(blog.gorsebeck.example)", "(wp-config-sample.php)")
            + "define( 'AUTH_KEY', '{v}' );",
            STRINGS + '    <string name="kiosk_admin_password">{v}</string>\n</resources>',
        ],
    ),
    (
        "templated-value",
        lambda: rng.choice(["${DB_PASSWORD}", "$CI_REGISTRY_PASSWORD", "$BITBUCKET_APP_PASSWORD"]),
        [
            GLCI + "  POSTGRES_PASSWORD: {v}",
            BBP + "          - docker login -u gorsebeck -p {v} registry.gorsebeck.internal",
        ],
    ),
    (
        "templated-value",
        lambda: "var.db_password",
        [
            '# modules/fleet_db/main.tf\nresource "aws_db_instance" "fleet" {\n  username = "fleet"\n  password = {v}\n}'
        ],
    ),
    (
        "templated-value",
        lambda: 'System.fetch_env!("DATABASE_PASSWORD")',
        [EXS + '  username: "rebalancer",\n  password: {v}'],
    ),
    (
        "templated-value",
        lambda: "env('DB_PASSWORD')",
        ["<?php // marketing-site/config/database.php\n'password' => {v},"],
    ),
    ("templated-value", lambda: "getenv('WORDPRESS_DB_PASSWORD')", [WPCFG + "define( 'DB_PASSWORD', {v} );"]),
    (
        "templated-value",
        lambda: "$__env{GRAFANA_TRIPS_PASSWORD}",
        [GRAFANA + "    secureJsonData:\n      password: {v}"],
    ),
    (
        "templated-value",
        lambda: "$ENV{BILLING_DB_PASS}",
        [PERL + 'my $dbh = DBI->connect($dsn, "billing_rw", {v});'],
    ),
    (
        "templated-value",
        lambda: 'Sys.getenv("TRIPS_DB_PASSWORD")',
        ['con <- DBI::dbConnect(RPostgres::Postgres(), user = "analyst", password = {v})'],
    ),
    (
        "templated-value",
        lambda: "{{ vault_mqtt_admin_password }}",
        ['# roles/mosquitto/defaults/main.yml\nmqtt_admin_password: "{v}"'],
    ),
    (
        "templated-value",
        lambda: "/etc/prometheus/secrets/dock-exporter",
        [PROM + "    basic_auth:\n      username: prometheus\n      password_file: {v}"],
    ),
    (
        "masked-value",
        lambda: rng.choice(["[MASKED]", "****", "********", "<redacted>"]),
        [
            "$ echo $DATABASE_URL   # GitLab job log\npostgres://dockfleet:{v}@pg-fleet.gorsebeck.internal:5432/fleet",
            ANSIBLE + "-e ansible_become_pass={v}   # as printed by the CI log",
            TERM + "backend auth token={v}",
            '{ts} INFO rider-api login ok rider=R-4410293 password="{v}"',
        ],
    ),
    (
        "masked-value",
        lambda: rs("3456", 1) + rs(DIG, 5) + "******" + rs(DIG, 4),
        [
            TERM + "APPROVED pan={v} amount=2.00 auth=0F31A2",
            TICKET + "agent {who}: the charge was on card {v}",
        ],
    ),
    (
        "encrypted-value",
        ansible_vault_block,
        ["# group_vars/depot_gateways/vault.yml\n{v}", "$ cat host_vars/depot-gw-02/vault.yml\n{v}"],
    ),
    (
        "encrypted-value",
        sops_enc,
        [
            "# secrets/prod.enc.yaml (sops)\nmqtt:\n    admin_password: {v}",
            "# secrets/fleet.enc.yaml (sops)\ndb_password: {v}",
        ],
    ),
    (
        "keyword-no-value",
        lambda: rng.choice(["password", "PSK", "bindpw", "app-key", "api_key", "secret_key_base"]),
        [
            "RB-09: after rotating the {v}, restart sssd and nslcd on every host.",
            CHAT + "who changed the {v} on depot-2? the tunnel has been down since 06:00",
            "PM-1514 root cause: the provisioning template wrote the {v} in clear into the dock YAML.",
        ],
    ),
    ("keyword-no-value", lambda: "auth-user-pass", [OVPN + "{v}\nauth-nocache"]),
    (
        "private-or-reserved-ip",
        reserved_v4,
        [
            "# /etc/wireguard/wg-depot.conf\n[Peer]\nEndpoint = {v}:51820\nAllowedIPs = 10.44.0.0/24",
            MOSQ.replace("mqtt.gorsebeck.internal", "{v}") + "bridge_protocol_version mqttv311",
            "slapd[1022]: conn=4413 fd=19 ACCEPT from IP={v}:50122 (IP=0.0.0.0:636)",
        ],
    ),
    ("private-or-reserved-ip", draw.reserved_ip, [IPSEC + "{v} : PSK %prompt"]),
    (
        "example-email",
        lambda: rng.choice(
            ["ops@gorsebeck.example", "rider@example.com", "jane.doe@example.org", "qa+kiosk@gorsebeck.test"]
        ),
        [
            CSV + "M-00001,Test Member,{v},,Gorsebeck QA,,",
            FASTENV + "FASTLANE_USER={v}",
            MSMTP + "from {v}",
            SQLDUMP + "INSERT INTO riders (id, email) VALUES (1, '{v}');",
        ],
    ),
    (
        "vendor-example-key",
        lambda: rng.choice(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]),
        [TFVARS.replace("terraform.tfvars", "terraform.tfvars.example") + 'aws_access_key = "{v}"'],
    ),
    (
        "version-or-date",
        lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        [
            'required_providers {\n  aws = { source = "hashicorp/aws", version = "~> {v}" }\n}',
            "# fastlane/Pluginfile\ngem 'fastlane-plugin-firebase_app_distribution', '{v}'",
            PLIST + "  <key>CFBundleShortVersionString</key>\n  <string>{v}</string>",
            "dock firmware {v} rolled out to DK-0100..DK-0199",
        ],
    ),
    (
        "version-or-date",
        lambda: f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        [CSV.replace("employer,iban,national_id", "joined") + "M-20421,Cosima Delacroix,,,{v}"],
    ),
    (
        "public-key-or-cert",
        partial(cert_pem, "    "),
        [DOCKCFG.replace("mqtt:\n", "aws_iot:\n  certificate: |\n    {v}\nmqtt:\n")],
    ),
    (
        "public-key-or-cert",
        cert_pem,
        ["# /etc/mosquitto/certs/ca.crt (mqtt-01)\n{v}", OVPN + "<ca>\n{v}\n</ca>"],
    ),
    (
        "public-key-or-cert",
        lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " ci@gorsebeck",
        [BBP + "          - echo '{v}' >> ~/.ssh/known_keys.pub"],
    ),
    ("public-key-or-cert", draw.pub_pem, ["# depot-gw-02: wg / kiosk signing public key\n{v}"]),
    (
        "public-key-or-cert",
        lambda: b64(draw.rbytes(32)),
        ["# /etc/wireguard/wg-depot.conf\n[Peer]\nPublicKey = {v}\nAllowedIPs = 10.44.0.1/32"],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [TICKET + "rider: my membership card number is {v}", TERM + "DEBUG loyalty card={v} not found"],
    ),
    (
        "documented-test-card",
        lambda: rng.choice(["4111111111111111", "5555555555554444", "378282246310005"]),
        [
            ADYEN.replace("environment: live", "environment: test") + 'smoke_test_card: "{v}"',
            '// rider-app/app/src/androidTest/.../CheckoutTest.kt\nval card = "{v}"',
        ],
    ),
    (
        "base64-nonsecret",
        lambda: b64(
            json.dumps({"dock": f"DK-{rng.randint(100, 999):04d}", "slots": rng.randint(8, 30)}).encode()
        ),
        [
            "{ts} DEBUG dock-fleet mqtt payload (b64) {v}",
            "# kubectl get configmap dock-layout -o yaml\nbinaryData:\n  layout.json: {v}",
        ],
    ),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("trace-id", lambda: rs(HEX, 16), ['{ts} INFO rebalancer span_id={v} op="plan.compute"']),
    (
        "hash-or-digest",
        lambda: "h1:" + b64(draw.rbytes(32)),
        ["// go.sum (dock-agent)\ngithub.com/eclipse/paho.mqtt.golang v1.5.0 {v}"],
    ),
    ("hash-or-digest", lambda: rs(HEX, 32), ["# strongSwan CA certificate, md5 fingerprint {v}"]),
    (
        "ids-and-numbers",
        lambda: rs(HEX.upper(), 2) + "".join(":" + rs(HEX.upper(), 2) for _ in range(5)),
        [
            CSV.replace("member_id,name,email,phone,employer,iban,national_id", "dock,wifi_mac")
            + "DK-0421,{v}"
        ],
    ),
    ("ids-and-numbers", lambda: f"MID-{rs(DIG, 15)}", [ADYEN + "# acquirer merchant id {v}"]),
    (
        "ids-and-numbers",
        lambda: "C0" + rs(UP + DIG, 9),
        [AM + "depot-ops\n    slack_configs:\n      - api_url_file: /etc/am/slack\n        channel: '{v}'"],
    ),
    (
        "cloud-resource-id",
        lambda: "fastlane@gorsebeck-rider.iam.gserviceaccount.com",
        ['# fastlane/Appfile\njson_key_file("fastlane/play-store-key.json")  # {v}'],
    ),
    (
        "cloud-resource-id",
        lambda: "gorsebeck-rider.appspot.com",
        [
            '// app/google-services.json (excerpt)\n{"project_info": {"project_id": "gorsebeck-rider", "firebase_url": "https://gorsebeck-rider-default-rtdb.europe-west1.firebasedatabase.app", "storage_bucket": "{v}"}}'
        ],
    ),
    ("cloud-resource-id", lambda: f"sg-0{rs(HEX, 16)}", [TFVARS + 'mqtt_security_group = "{v}"']),
    ("placeholder", lambda: "%prompt", ["# /etc/ipsec.secrets (operator types the PSK)\n: PSK {v}"]),
    ("placeholder", lambda: "<APP_KEY>", [LARAVEL.replace(".env", ".env.example") + "APP_KEY={v}"]),
    (
        "placeholder",
        lambda: "put your unique phrase here",
        [
            WPCFG.replace("(blog.gorsebeck.example)", "(wp-config-sample.php)")
            + "define( 'NONCE_SALT', '{v}' );"
        ],
    ),
    (
        "templated-value",
        lambda: "${{ secrets.MATCH_PASSWORD }}",
        ["# .github/workflows/ios.yml\n        env:\n          MATCH_PASSWORD: {v}"],
    ),
    (
        "templated-value",
        lambda: "<< pipeline.parameters.keystore_password >>",
        ["# .circleci/config.yml\n      KEYSTORE_PASSWORD: {v}"],
    ),
    (
        "templated-value",
        lambda: "@string/google_maps_key",
        [
            '<!-- AndroidManifest.xml -->\n<meta-data android:name="com.google.android.geo.API_KEY" android:value="{v}" />'
        ],
    ),
    ("masked-value", lambda: "sk_live_51" + "•" * 8, [CHAT + "the leaked Stripe key began {v}, it's rolled"]),
    (
        "keyword-no-value",
        lambda: "ldap_default_authtok",
        [SSSD + "# {v} moved to /etc/sssd/conf.d/secret.conf (mode 0600)"],
    ),
    (
        "keyword-no-value",
        lambda: "SharedAccessKey",
        ["ADR-088: device {v} values are issued by DPS at first boot, never templated."],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"fe80::{rs(HEX, 4)}:{rs(HEX, 4)}",
        ["# ip -6 addr (dock DK-0422)\ninet6 {v}/64 scope link"],
    ),
    (
        "private-or-reserved-ip",
        lambda: f"172.{rng.randint(16, 31)}.0.0/16",
        [IPSEC.replace("ipsec.secrets", "ipsec.conf") + "conn depot-2\n  rightsubnet={v}"],
    ),
    (
        "vendor-example-key",
        lambda: "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc",
        [TICKET + "agent {who}: the kiosk test mode uses the docs key {v}"],
    ),
    (
        "version-or-date",
        lambda: (
            f"v0.0.0-2026{rng.randint(1, 11):02d}{rng.randint(10, 28)}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}-{rs(HEX, 12)}"
        ),
        ["// go.mod (dock-agent)\nrequire github.com/gorsebeck/lorawan {v}"],
    ),
    ("git-sha", lambda: rs(HEX, 8), ["$ git log --oneline -1\n{v} dock-fleet: stop logging MQTT passwords"]),
    ("luhn-fail-number", luhn_bad, ["{ts} INFO kiosk-sync voucher code={v} redeemed"]),
    (
        "base64-nonsecret",
        lambda: b64(b"rider-app:5.14.0:prod"),
        ['{"release_b64": "{v}", "platform": "android"}'],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt|sa)[-_][A-Za-z0-9_-]{20}|xox[bpae][-.]\w|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|ya29\.|GOCSPX-"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|Static key V1-----\n[0-9a-f]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|glsa_|AAAA[A-Za-z0-9_-]{7}:APA91b|sk\.eyJ|key-[0-9a-f]{32}|EAAA[A-Za-z0-9_-]{20}|AQE[A-Za-z0-9]{5}fxK|NNSXS\.|ATBB[A-Za-z0-9]{20}"
    r"|CCIPAT_|sk-proj-|discord\.com/api/webhooks/\d|webhook\.office\.com/webhookb2/|otpauth://\S+secret=[A-Z2-7]{16}|SFMyNTY\."
    r"|PrivateKey\s*=\s*\w|SharedAccessKey=[A-Za-z0-9+/]{20}|base64:[A-Za-z0-9+/]{40}|setcookie [A-Z]{20}|PSK \"[A-Za-z0-9]"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}\[]{6,}@|(?i:Basic) [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}"
    r"|(?<!:)(?i:password|passwd|pass|pwd|secret|token|authtok|bindpw|apikey|api-key|api_key|app-key|app_key|routing_key)[\"']?(?:\s*[:=,]\s*|[ \t]+)[\"']?[A-Za-z0-9+/_.%-]{12,}"
    r"|-[wP] \w{8}"
)

PHONEISH_27 = re.compile(
    PHONEISH.pattern
    + r"|(?:\+61 |0)[2378] (?:5550|7010) \d{4}|(?:\+33 1|01) 99 00 \d\d \d\d|(?:\+46 70 |070-)174 06 \d\d"
)


CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=set(FILL),
    phoneish=PHONEISH_27,
    national_id_ok=national_id_ok,
    private_key_ok=pem_block_ok,
    cut_value_types={"encrypted-value"},
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL, COMMON_SECRETS, COMMON_PERSONAL, RARE_SECRETS, RARE_PERSONAL, NEGATIVES, RARE_NEGATIVES
    )
    write_fold(sections, fold=FOLD, id_prefix="t27", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
