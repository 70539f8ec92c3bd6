# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test61.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test61.py`` (standard library and the sibling
``planted_kit.py`` only). Values are random in their vendors' formats, drawn from
``random.Random(20270161)``, and fake; the file is byte-identical on every run.

The lines come from the made-up documents of four organisations: the Fellgate University Research
Computing Centre (FRC, ``*.frc.internal``: a Slurm cluster, Open OnDemand, JupyterHub, Ceph and MinIO
storage, Globus and iRODS data transfer, an OpenStack cloud, FreeIPA), Kittiwake Ferries (KWF,
``*.kwf.internal``: a North Sea ferry line with a booking engine, port check-in kiosks, vessel VSAT
and crew Wi-Fi, Nets/Vipps/Adyen payments), Vinbury & Lusk (VNL, ``*.vnl.internal``: a wine
wholesaler with a bonded warehouse, EDI to retailers, WooCommerce trade shop, Xero and couriers),
and the Hollowmere Seed Bank (HSB, ``*.hsb.internal``: seed-store freezers on LoRaWAN sensors, a
LIMS and a Dataverse of germination data). Documents: HPC-INC-31 (scratch filesystem full), the FRC
user-support queue, KWF PM-3 (check-in outage on a sailing day), VNL RB-8 (EDI partner cut-over),
HSB freezer alarm runbook, and chat from all four. Common shapes first in each kind (``t61p…``/``t61n…``).
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
    MORE_TEST_CARDS,
    OK_MAIL,
    TEST_CARDS,
    UP,
    Draw,
    Gen,
    N,
    P,
    Row,
    S,
    b64,
    b64url,
    encode_jwt,
    expand_table,
    iban_ok,
    luhn_ok,
    pem_block_ok,
    sanity,
    write_fold,
)
from planted_kit import TYPES as SHARED_TYPES

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test61.jsonl"
FOLD = "test61"
rng = Random(20270161)
draw = Draw(rng)
rs, uuid4 = draw.rs, draw.uuid4
CARDS_DOC = TEST_CARDS | MORE_TEST_CARDS

TYPES = {
    **SHARED_TYPES,
    S: {*SHARED_TYPES[S], "generic-api-key", "webhook-url", "k8s-secret-b64"},
    N: {*SHARED_TYPES[N], "encrypted-value"},
}

WORDS = ["gannet", "riesling", "germinate", "cotyledon", "bollard", "gangway", "petaflop", "tempranillo", "seedcoat", "lustre", "foghorn"]
UPHEX = "0123456789ABCDEF"


# ---------------------------------------------------------------------------- secret values
def pw() -> str:
    k = rng.randrange(7)
    if k == 0:
        return rs(ALNUM, rng.randint(15, 24))
    if k == 1:
        return rng.choice(WORDS) + rng.choice(WORDS).capitalize() + rs(DIG, 2) + rng.choice("!$%&")
    if k == 2:
        return rs(UP + LOW, 4) + rng.choice("#@*") + rs(DIG, 4) + rng.choice("#@*") + rs(UP + LOW, 5)
    if k == 3:
        return ".".join(rng.sample(WORDS, 3)) + rs(DIG, 1)
    if k == 4:
        return rs(LOW, 5) + rs(DIG, 2) + rs(UP, 3) + "_" + rs(ALNUM, 6)
    if k == 5:
        return rs(ALNUM + "!$%^&*()", rng.randint(14, 20))
    return rng.choice(WORDS).capitalize() + "/" + rs(DIG, 4) + rs(LOW, 3)


def url_pw() -> str:
    k = rng.randrange(3)
    if k == 0:
        return rs(ALNUM, rng.randint(16, 26))
    if k == 1:
        return rng.choice(WORDS) + "-" + rs(ALNUM, 10)
    return rs(LOW + DIG, 12) + "~" + rs(UP + DIG, 5)


def alnum(n: int) -> Gen:
    return lambda: rs(ALNUM, n)


def hexs(n: int) -> Gen:
    return lambda: rs(HEX, n)


def pre(prefix: str, alphabet: str, n: int, suffix: str = "") -> Gen:
    return lambda: prefix + rs(alphabet, n) + suffix


def session_token() -> str:
    return "IQoJb3JpZ2luX2VjE" + rs(B64, 300) + "=="


def sas_sig() -> str:
    return b64(draw.rbytes(32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def gcp_sa_inline() -> str:
    body = draw.pem_body("MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQ", 14)
    return "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(body) + "\\n-----END PRIVATE KEY-----\\n"


def ood_jwt() -> str:
    body = {
        "exp": 1797000000 + rng.randint(0, 9_999_999),
        "iss": "https://idp.frc.internal/realms/hpc",
        "aud": "ondemand",
        "sub": uuid4(),
        "preferred_username": "frc" + rs(DIG, 5),
        "groups": ["hpc-users", "ceph-rw"],
    }
    return encode_jwt({"alg": "RS256", "typ": "JWT", "kid": rs(B64URL, 43)}, body, rs(B64URL, 342))


def hass_jwt() -> str:
    body = {"iss": rs(HEX, 32), "iat": 1790000000 + rng.randint(0, 9_999_999), "exp": 2105000000}
    return encode_jwt({"alg": "HS256", "typ": "JWT"}, body, rs(B64URL, 43))


def kiosk_jwt() -> str:
    body = {"kiosk": "HRW-0" + rs(DIG, 1), "port": "harwick", "scope": ["checkin", "boarding-pass"], "iat": 1792000000 + rng.randint(0, 9_999_999)}
    return encode_jwt({"alg": "ES256", "typ": "JWT"}, body, rs(B64URL, 86))


def basic(user: str, secret: Gen | None = None) -> Gen:
    return lambda: b64(f"{user}:{(secret or url_pw)()}".encode())


def dockerconfig_b64() -> str:
    auth = b64(f"robot$containers+ci:{rs(ALNUM, 32)}".encode())
    return b64(json.dumps({"auths": {"harbor.frc.internal": {"auth": auth}}}, separators=(",", ":")).encode())


def cf_tunnel() -> str:
    doc = {"a": rs(HEX, 32), "t": uuid4(), "s": b64(draw.rbytes(32))}
    return b64(json.dumps(doc, separators=(",", ":")).encode()).rstrip("=")


def ttn_key() -> str:
    return "NNSXS." + rs(UP + DIG, 39) + "." + rs(UP + DIG, 52)


def pypi() -> str:
    return "pypi-AgEIcHlwaS5vcmcCJD" + rs(B64URL, 150)


def anthropic() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def k3s() -> str:
    return "K10" + rs(HEX, 64) + "::server:" + rs(HEX, 32)


def rancher() -> str:
    return "token-" + rs(LOW + DIG, 5) + ":" + rs(LOW + DIG, 54)


def ppk_lines() -> str:
    return "\n".join(rs(B64, 64) for _ in range(3)) + "\n" + rs(B64, 20) + "="


def ed25519_pem(indent: str = "") -> str:
    body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", rs(B64, 70), rs(B64, 70), rs(B64, 70), rs(B64, 28) + "="]
    return ("\n" + indent).join(["-----BEGIN OPENSSH PRIVATE KEY-----", *body, "-----END OPENSSH PRIVATE KEY-----"])


def escaped_pkcs8() -> str:
    body = draw.pem_body("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 12)
    return "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(body) + "\\n-----END PRIVATE KEY-----"


def private_key_ok(v: str) -> bool:
    return pem_block_ok(v) or v.startswith("-----BEGIN PRIVATE KEY-----\\n") or bool(re.fullmatch(r"[A-Za-z0-9+/]{43}=", v))


# ---------------------------------------------------------------------------- personal values
FIRST = ["linnea", "oddvar", "marit", "joost", "femke", "anouk", "iker", "ainhoa", "giacomo", "chiara", "siobhan", "rafferty"]
LAST = ["lindqvist", "haugland", "van-der-berg", "bakker", "etxeberria", "marchetti", "o'dwyer", "sundberg", "vos", "ferrante"]
WEBMAIL = ["telia.com", "online.no", "ziggo.nl", "kpnmail.nl", "gmail.com", "libero.it", "telefonica.net", "protonmail.com", "gmx.de"]


USED_FIRST: set[str] = set()


def email() -> str:
    """A personal address; no first name twice in the fold."""
    f = rng.choice([x for x in FIRST if x not in USED_FIRST])
    USED_FIRST.add(f)
    la = rng.choice(LAST).replace("'", "")
    local = rng.choice([f"{f}.{la}", f"{f}_{la}{rs(DIG, 2)}", f"{f[0]}.{la}", f"{la}{f[:3]}"])
    return f"{local}@{rng.choice(WEBMAIL)}"


def phone(form: str) -> Gen:
    def make() -> str:
        two = f"{rng.randint(5, 99):02d}"
        three = f"{rng.randint(0, 999):03d}"
        values = {
            "se_mob": f"070-174 06 {two}",
            "se_mob_intl": f"+46 70 174 06 {two}",
            "se_sthlm": f"08-465 004 {two}",
            "ca": f"+1 613 555 01{two}",
            "us": f"(202) 555-01{two}",
            "uk": f"+44 161 496 0{three}",
            "au": f"+61 2 5550 {rs(DIG, 4)}",
        }
        return values[form]

    return make


PHONEISH_61 = re.compile(r"555[-. ]?01\d\d|7700 ?900|7946 ?0|496 ?0\d{3}|174 ?06 ?\d\d|465 ?004 ?\d\d|5550 \d{4}|0491 570")


def card(prefix: str, length: int, style: str) -> Gen:
    def make() -> str:
        num = draw.luhn_make(prefix, length, test_cards=CARDS_DOC)
        if style == "plain":
            return num
        if length == 15:
            return f"{num[:4]} {num[4:10]} {num[10:]}"
        sep = " " if style == "space" else "-"
        return sep.join(num[i : i + 4] for i in range(0, 16, 4))

    return make


def iban_raw(country: str, bban: str) -> str:
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - num % 97:02d}{bban}"


def spaced(raw: str) -> str:
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def iban_no() -> str:
    """Norway: bank, account and a MOD11 account check digit (15 characters)."""
    while True:
        d = rng.choice(["1503", "1602", "9710", "3000"]) + rs(DIG, 6)
        r = 11 - sum(int(c) * w for c, w in zip(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
        if r != 10:
            return spaced(iban_raw("NO", d + str(0 if r == 11 else r)))


def iban_nl() -> str:
    """Netherlands: bank code and a ten-digit account passing the 11-test (18 characters)."""
    while True:
        acct = "0" + rs(DIG, 9)
        if sum(int(c) * (10 - i) for i, c in enumerate(acct)) % 11 == 0:
            return iban_raw("NL", rng.choice(["ABNA", "RABO", "SNSB", "ASNB"]) + acct)


def iban_de() -> str:
    return spaced(iban_raw("DE", rng.choice(["10010010", "37040044", "50070010", "70150000", "20050550"]) + rs(DIG, 10)))


def es_dc(digits: str) -> str:
    d = 11 - sum(int(c) * w for c, w in zip(digits, [1, 2, 4, 8, 5, 10, 9, 7, 3, 6], strict=True)) % 11
    return str({11: 0, 10: 1}.get(d, d))


def iban_es() -> str:
    """Spain: bank, branch, the two national control digits and the account (24 characters)."""
    bank, branch, acct = rng.choice(["2100", "0049", "0182", "2085"]), rs(DIG, 4), rs(DIG, 10)
    return spaced(iban_raw("ES", bank + branch + es_dc("00" + bank + branch) + es_dc(acct) + acct))


ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def iban_it() -> str:
    """Italy: the CIN check letter, ABI, CAB and a twelve-digit account (27 characters)."""
    rest = rng.choice(["03069", "02008", "05034", "01030"]) + rs(DIG, 5) + "0000" + rs(DIG, 8)
    total = sum(ODD[int(c)] if i % 2 == 0 else int(c) for i, c in enumerate(rest))
    return spaced(iban_raw("IT", chr(65 + total % 26) + rest))


IBAN_LEN = {"NO": 15, "NL": 18, "DE": 22, "ES": 24, "IT": 27}


def se_pnr() -> str:
    """A Swedish personnummer (YYMMDD-NNNC) with its Luhn check digit."""
    body = f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rs(DIG, 3)}"
    total = sum(sum(divmod(int(c) * (2 if i % 2 == 0 else 1), 10)) for i, c in enumerate(body))
    return f"{body[:6]}-{body[6:]}{(10 - total % 10) % 10}"


def no_fnr() -> str:
    """A Norwegian fødselsnummer (DDMMYY + three digits + two MOD11 checks)."""
    while True:
        d = [int(c) for c in f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}{rng.randint(0, 499):03d}"]
        k1 = 11 - sum(a * b for a, b in zip(d, [3, 7, 6, 1, 8, 9, 4, 5, 2], strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        k2 = 11 - sum(a * b for a, b in zip([*d, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k1 < 10 and k2 < 10:
            return "".join(map(str, d)) + f"{k1}{k2}"


def bsn() -> str:
    """A Dutch BSN passing the 11-test."""
    while True:
        d = str(rng.randint(1, 3)) + rs(DIG, 8)
        if (sum(int(c) * (9 - i) for i, c in enumerate(d[:8])) - int(d[8])) % 11 == 0:
            return d


def dni() -> str:
    n = rs(DIG, 8)
    return n + "TRWAGMYFPDXBNJZSQVHLCKE"[int(n) % 23]


def national_id_ok(row: dict[str, str]) -> bool:
    v = row["value"]
    if re.fullmatch(r"\d{6}-\d{4}", v):
        body = v.replace("-", "")
        return sum(sum(divmod(int(c) * (2 if i % 2 == 0 else 1), 10)) for i, c in enumerate(body)) % 10 == 0
    if re.fullmatch(r"\d{11}", v):
        d = [int(c) for c in v]
        return (
            sum(a * b for a, b in zip(d[:10], [3, 7, 6, 1, 8, 9, 4, 5, 2, 1], strict=True)) % 11 == 0
            and sum(a * b for a, b in zip(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1], strict=True)) % 11 == 0
        )
    if re.fullmatch(r"\d{9}", v):
        return (sum(int(c) * (9 - i) for i, c in enumerate(v[:8])) - int(v[8])) % 11 == 0
    return bool(re.fullmatch(r"\d{8}[A-Z]", v)) and v[8] == "TRWAGMYFPDXBNJZSQVHLCKE"[int(v[:8]) % 23]


# ---------------------------------------------------------------------------- context
STAFF = ["ingrid", "bas", "maelle", "torvald", "yusuf", "greer", "niamh", "arvid", "lotte", "dimitri"]
FILL: dict[str, Gen] = {
    "t": draw.hhmm,
    "ts": draw.iso,
    "who": lambda: rng.choice(STAFF),
    "uuid": uuid4,
    "tkt": lambda: str(rng.randint(100_000, 189_999)),
    "job": lambda: str(rng.randint(4_100_000, 4_899_999)),
    "h40": hexs(40),
    "acct": lambda: rs(DIG, 12),
    "user": lambda: "frc" + rs(DIG, 5),
}
MM = "{who} ({t}, ~frc-ops): "
US = "RCC-{tkt} [{who}] "
BR = "[bridge {t}] {who}: "


def expand(table: list[tuple[str, Gen, list[str]]]) -> list[Row]:
    return expand_table(table, FILL)


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("aws-key", draw.akid, ["$ aws configure set aws_access_key_id {v} --profile kwf-archive", "  AccessKeyId: {v}"]),
    ("aws-key", lambda: rs(B64, 40), ["[default]\naccess_key = KWFARCHIVE01\nsecret_key = {v}\nhost_base = s3.eu-north-1.amazonaws.com"]),
    ("aws-key", session_token, ["export AWS_SESSION_TOKEN={v}"]),
    ("azure-key", sas_sig, ["https://vnledi.blob.core.windows.net/inbound/ORDERS_4471.xml?sv=2022-11-02&ss=b&srt=o&sp=rwl&se=2027-06-30T00:00:00Z&spr=https&sig={v}"]),
    ("azure-key", lambda: rs(ALNUM, 3) + rng.choice(DIG) + "Q~" + rs(ALNUM + "-_.~", 34), ["$ az login --service-principal -u 6c1e0a7f-51d2-4a3b-9e1e-0f2b4c5d6e7f -p '{v}' --tenant vinburylusk.onmicrosoft.com"]),
    ("azure-key", lambda: b64(draw.rbytes(32)), ["Endpoint=sb://kwf-bookings.servicebus.windows.net/;SharedAccessKeyName=checkin-send;SharedAccessKey={v}"]),
    ("gcp-key", pre("GOCSPX-", B64URL, 28), ["GOOGLE_OAUTH_CLIENT_SECRET={v}"]),
    ("gcp-service-account-key", gcp_sa_inline, ['provider "google" {\n  credentials = <<EOT\n{"type": "service_account", "project_id": "hsb-imaging", "private_key": "{v}", "client_email": "tf@hsb-imaging.iam.gserviceaccount.com"}\nEOT\n}']),
    ("github-token", pre("gho_", ALNUM, 36), ["github.com:\n    user: frc-rse\n    oauth_token: {v}\n    git_protocol: https"]),
    ("github-token", pre("ghs_", ALNUM, 36), ["{ts} [runner] git -c http.extraheader=\"AUTHORIZATION: bearer {v}\" fetch origin"]),
    ("gitlab-token", pre("glrt-", ALNUM + "-_", 20), ["[[runners]]\n  name = \"gpu-runner-a100\"\n  url = \"https://git.frc.internal\"\n  token = \"{v}\"\n  executor = \"slurm\""]),
    ("gitlab-token", pre("gldt-", ALNUM + "-_", 20), ["$ git clone https://gitlab+deploy-token-12:{v}@git.frc.internal/hsb/lims-exports.git"]),
    ("slack-token", lambda: f"xoxp-{rs(DIG, 11)}-{rs(DIG, 12)}-{rs(DIG, 13)}-{rs(HEX, 32)}", ["client = WebClient(token=\"{v}\")  # posts sailing updates"]),
    ("slack-webhook", lambda: f"https://hooks.slack.com/services/T{rs(UP + DIG, 10)}/B{rs(UP + DIG, 10)}/{rs(ALNUM, 24)}", ["requests.post(\"{v}\", json={\"text\": msg})"]),
    ("stripe-key", pre("sk_live_51", ALNUM, 97), ["STRIPE_SECRET_KEY={v}  # trade shop"]),
    ("stripe-key", pre("whsec_", ALNUM, 32), ["  signing_secret: {v}"]),
    ("jwt", ood_jwt, ["Cookie: mod_auth_openidc_session=2f1c; ood_token={v}", "$ curl -sH \"Authorization: Bearer {v}\" https://ondemand.frc.internal/pun/sys/dashboard/apps"]),
    ("jwt", hass_jwt, ["  freezer_api:\n    url: http://10.70.4.2:8123/api/states\n    headers:\n      authorization: \"Bearer {v}\""]),
    ("jwt", kiosk_jwt, ["{ts} kiosk HRW-02 GET /v2/sailings/today 401 token={v}"]),
    ("private-key", ed25519_pem, ["$ cat ~/.ssh/id_ed25519\n{v}"]),
    ("private-key", partial(draw.private_key, "rsa", "    "), ["stringData:\n  tls.key: |\n    {v}"]),
    ("private-key", escaped_pkcs8, ['{"kid": "kiosk-signing-2027", "private_key_pem": "{v}"}']),
    (
        "password-in-url",
        url_pw,
        [
            "export https_proxy=http://kwf-vsat:{v}@10.80.0.1:3128",
            "git+https://frc-ci:{v}@git.frc.internal/rse/slurm-tools.git@v2.3.1#egg=slurm-tools",
            "  url: nats://kiosk:{v}@10.80.2.11:4222",
            "socks5h://crew:{v}@10.80.0.1:1080",
            "smtp://notify%40frc.internal:{v}@10.60.0.25:587",
            "clickhouse://bookings_ro:{v}@10.80.2.40:9000/bookings",
            "neo4j+s://neo4j:{v}@lineage.hsb.internal:7687",
            "$ duplicity /srv/lims s3://{acct}:{v}@s3.hsb.internal/lims-backup",
            "http://admin:{v}@10.70.4.9/cgi-bin/snapshot.cgi?channel=1",
            "$ rclone sync /data webdav: --webdav-url https://frc:{v}@dav.frc.internal/remote.php/dav/files/frc",
            "sqlserver://sage:{v}@10.90.1.5:1433?database=VNL_LIVE",
            "  broker_url: amqps://celery:{v}@10.60.2.7:5671/ood",
        ],
    ),
    (
        "password-assignment",
        pw,
        [
            "StoragePass={v}",
            "ldap_default_authtok = {v}",
            "bindpw {v}",
            "$ echo '{v}' | kinit svc-globus",
            "$ racadm -r 10.60.9.41 -u root -p '{v}' serveraction powercycle",
            "$ ipmitool -I lanplus -H 10.60.9.42 -U ADMIN -P {v} sol activate",
            "$ ssh-keygen -t ed25519 -f ~/.ssh/globus_ep -N '{v}'",
            "$ gpg --batch --pinentry-mode loopback --passphrase '{v}' -d lims_export.csv.gpg",
            "$ 7z a -p{v} -mhe=on germination_2026.7z results/",
            "$ zip -P '{v}' customs_docs.zip arc_*.pdf",
            "$ sqlplus vnl_stock/{v}@//10.90.1.6:1521/BONDED",
            "$ psql \"host=10.60.2.8 dbname=xdmod user=xdmod password={v} sslmode=require\"",
            "requirepass {v}",
            "\"booking_api\" \"{v}\"",
            "default_pass = {v}",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"checkin\" password=\"{v}\";",
            "$ kubectl -n lims create secret generic lims-db --from-literal=password='{v}'",
            "db_password = \"{v}\"",
            "$ ansible-playbook site.yml -e 'ansible_become_password={v}'",
            "    ansible_become_pass: \"{v}\"",
            "BORG_PASSPHRASE='{v}'",
            "set smtp_pass = \"{v}\"",
            "[smtp.frc.internal]:587 notify@frc.internal:{v}",
            "  'dbpassword' => '{v}',",
            "$CFG->dbpass    = '{v}';",
            "define( 'DB_PASSWORD', '{v}' );",
            "c.ServerApp.token = '{v}'",
            "<wsse:Password Type=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText\">{v}</wsse:Password>",
            "  <as2-partner id=\"TESCO-EDI\" url=\"https://as2.partner.example/receive\" http-auth-user=\"vnl\" http-auth-password=\"{v}\"/>",
            "DSN=Sage200;UID=manager;PWD={v};",
            "$ mongosh \"mongodb://10.80.2.30/bookings\" --username booking --password '{v}'",
            "$ echo '{v}' | iinit",
            "OS_PASSWORD={v}",
            "  secret: {v}  # ondemand dex client",
            "$ curl -u admin:{v} -X PUT http://10.60.2.20:5984/_node/_local/_config/admins/admin",
            MM + "iDRAC on gpu07 still has the vendor root password? no, we set it to {v} at install",
            MM + "Globus endpoint admin: globus-admin / {v}",
            US + "reset your cluster password to {v}, please change it with `passwd` on login1",
            BR + "VSAT modem admin on MV Skua is admin, {v}",
            BR + "crew wifi on the Fulmar this week: KWF-CREW pass {v}",
            "[freezer alarm runbook] Monnit gateway web UI login: hsb-ops / {v}",
            "VNL RB-8 step 3: the partner's sftp password (from their email) is {v}",
            "{who}: the bonded warehouse WMS admin password is on the whiteboard, it's {v}",
        ],
    ),
    ("basic-auth", basic("gbif-hsb"), ["$ curl -H \"Authorization: Basic {v}\" -X POST https://api.gbif.org/v1/occurrence/download/request -d @req.json"]),
    ("basic-auth", basic("K" + "123456_kwf", alnum(16)), ["  Authorization: Basic {v}   # Klarna merchant credentials"]),
    ("basic-auth", basic("frc-rse"), ["//nexus.frc.internal/repository/npm/:_auth={v}"]),
    ("basic-auth", basic("proxy-kwf"), ["Proxy-Authorization: Basic {v}"]),
    ("bearer-token", rancher, ["$ curl -sk -H 'Authorization: Bearer {v}' https://rancher.frc.internal/v3/clusters"]),
    ("bearer-token", alnum(48), ["{ts} DEBUG amadeus GET /v1/shopping/flight-offers Authorization: Bearer {v}"]),
    ("k8s-secret-b64", dockerconfig_b64, ["type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {v}"]),
    ("k8s-secret-b64", lambda: b64(rs(B64, 40).encode()), ["data:\n  AWS_SECRET_ACCESS_KEY: {v}"]),
]

# ---------------------------------------------------------------------------- rarer secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    ("vendor-token", pre("hf_", UP + LOW, 34), ["$ huggingface-cli login --token {v}"]),
    ("vendor-token", hexs(40), ["WANDB_API_KEY={v}"]),
    ("vendor-token", lambda: b64(draw.rbytes(33)), ["GLOBUS_CLIENT_SECRET={v}"]),
    ("vendor-token", alnum(60), ["zenodo:\n  token: {v}"]),
    ("vendor-token", uuid4, ["X-Dataverse-key: {v}"]),
    ("vendor-token", hexs(128), ["Authorization: token {v}"]),
    ("vendor-token", alnum(70), ["OSF_TOKEN={v}"]),
    ("vendor-token", pre("dckr_pat_", B64URL, 27), ["$ echo {v} | docker login -u frcbuild --password-stdin"]),
    ("vendor-token", alnum(32), ["$ docker login harbor.frc.internal -u 'robot$containers+ci' -p {v}"]),
    ("vendor-token", pre("npm_", ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", pypi, ["[pypi]\n  username = __token__\n  password = {v}"]),
    ("vendor-token", anthropic, ["ANTHROPIC_API_KEY={v}"]),
    ("vendor-token", pre("r8_", ALNUM, 37), ["REPLICATE_API_TOKEN={v}"]),
    ("vendor-token", lambda: "CCIPAT_" + rs(ALNUM, 22) + "_" + rs(HEX, 40), ["$ circleci setup --token {v} --host https://circleci.com --no-prompt"]),
    ("vendor-token", lambda: "11" + rs(HEX, 32), ["$ curl -u svc-build:{v} https://jenkins.frc.internal/job/slurm-tools/build?delay=0sec"]),
    ("vendor-token", pre("squ_", HEX, 40), ["sonar.token={v}"]),
    ("vendor-token", lambda: rs(B64URL, 86), ["clouds:\n  frc:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: https://keystone.frc.internal:5000/v3\n      application_credential_id: \"{h40}\"\n      application_credential_secret: \"{v}\""]),
    ("vendor-token", k3s, ["$ curl -sfL https://get.k3s.io | K3S_URL=https://10.60.3.10:6443 K3S_TOKEN={v} sh -"]),
    ("vendor-token", lambda: b64(draw.rbytes(32)), ["Unseal Key 1: {v}"]),
    ("vendor-token", lambda: "hvs." + rs(ALNUM + "_-", 90), ["export VAULT_TOKEN={v}"]),
    ("vendor-token", lambda: rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67), ["credentials \"app.terraform.io\" {\n  token = \"{v}\"\n}"]),
    ("vendor-token", cf_tunnel, ["$ sudo cloudflared service install {v}"]),
    ("vendor-token", alnum(64), ["$ hcloud context create kwf --token {v}"]),
    ("vendor-token", uuid4, ["SCW_SECRET_KEY={v}\nSCW_DEFAULT_ORGANIZATION_ID=hsb"]),
    ("vendor-token", lambda: "live-secret-key-" + rs(HEX, 32), ["NETS_EASY_SECRET_KEY={v}"]),
    ("vendor-token", hexs(32), ["$ curl -X POST https://api.vipps.no/accesstoken/get -H 'client_id: {uuid}' -H 'Ocp-Apim-Subscription-Key: {v}'"]),
    ("vendor-token", hexs(32), ["SINCH_API_TOKEN={v}"]),
    ("vendor-token", lambda: uuid4().upper(), ["clicksend:\n  username: ops@kittiwake-ferries.example\n  api_key: {v}"]),
    ("vendor-token", lambda: "cs_" + rs(HEX, 40), ["WOOCOMMERCE_CONSUMER_SECRET={v}"]),
    ("vendor-token", lambda: rs(B64URL, 48), ["XERO_CLIENT_SECRET={v}"]),
    ("vendor-token", lambda: "pk_" + rs(HEX, 34), ["klaviyo_private_key: \"{v}\""]),
    ("vendor-token", lambda: "shippo_live_" + rs(HEX, 40), ["Authorization: ShippoToken {v}"]),
    ("vendor-token", lambda: "EZAK" + rs(HEX, 54), ["EASYPOST_API_KEY={v}"]),
    ("vendor-token", lambda: rs(B64, 88), ["<add key=\"UnleashedApiKey\" value=\"{v}\" />"]),
    ("vendor-token", ttn_key, ["$ ttn-lw-cli login --api-key {v}"]),
    ("vendor-token", lambda: "BBFF-" + rs(ALNUM, 30), ["X-Auth-Token: {v}"]),
    ("vendor-token", lambda: rs(UP + DIG, 16), ["https://api.thingspeak.com/update?api_key={v}&field1=-19.6&field2=-20.1"]),
    ("vendor-token", lambda: "sl.B" + rs(B64URL, 135), ["$ curl -X POST https://content.dropboxapi.com/2/files/upload --header \"Authorization: Bearer {v}\" --data-binary @seed_images.tar"]),
    ("vendor-token", lambda: "1//0" + rs(B64URL, 99), ["  refresh_token: {v}"]),
    ("vendor-token", uuid4, ["$ curl -H 'Authorization: GenieKey {v}' https://api.eu.opsgenie.com/v2/alerts?query=status:open"]),
    ("vendor-token", uuid4, ["curl -k https://10.60.4.4:8088/services/collector -H \"Authorization: Splunk {v}\" -d '{\"event\": \"scratch 97%\"}'"]),
    ("vendor-token", hexs(32), ["  routing_key: {v}"]),
    ("vendor-token", lambda: "hcaik_" + rs(LOW + DIG, 58), ["HONEYCOMB_API_KEY={v}"]),
    ("vendor-token", lambda: "NRAK-" + rs(UP + DIG, 27), ["$ newrelic profile add --profile frc --apiKey {v} --region eu"]),
    ("vendor-token", hexs(40), ["https://kittiwake.pipedrive.com/api/v1/deals?status=open&api_token={v}"]),
    ("generic-api-key", lambda: rs(ALNUM, 16), ["AMADEUS_CLIENT_SECRET={v}"]),
    ("generic-api-key", uuid4, ["orcid.client.secret={v}"]),
    ("generic-api-key", lambda: rs(ALNUM + "-_", 40), ["  $cfg['blowfish_secret'] = '{v}';"]),
    ("generic-api-key", hexs(64), ["JUPYTERHUB_CRYPT_KEY={v}"]),
    ("generic-api-key", lambda: rs(ALNUM, 32), ["  'secret' => '{v}',"]),
    ("generic-api-key", lambda: rs(ALNUM + "!?#*", 24), ["ePDQ SHA-IN passphrase: {v}"]),
    ("generic-api-key", lambda: b64(draw.rbytes(64)), ["rails: |\n  secret_key_base: {v}"]),
    ("webhook-url", lambda: f"https://vinburylusk.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{rs(HEX, 32)}/{uuid4()}", ["ALERT_TEAMS_WEBHOOK={v}"]),
    ("webhook-url", lambda: f"https://hooks.slack.com/triggers/T{rs(UP + DIG, 10)}/{rng.randint(10**12, 10**13)}/{rs(HEX, 32)}", ["  workflow_trigger: {v}"]),
    ("webhook-url", lambda: f"https://chat.hsb.internal/hooks/{rs(ALNUM, 24)}/{rs(ALNUM, 48)}", ["ROCKETCHAT_HOOK={v}"]),
    ("webhook-url", lambda: "https://hook.eu1.make.com/" + rs(LOW + DIG, 32), ["EDI order ack scenario posts to {v}"]),
    ("webhook-url", lambda: "https://maker.ifttt.com/trigger/freezer_alarm/with/key/" + rs(B64URL, 22), ["$ curl -X POST {v} -d value1=-12.4"]),
    ("webhook-url", lambda: "https://script.google.com/macros/s/AKfycb" + rs(B64URL, 66) + "/exec", ["  sheet_webhook: {v}"]),
    ("webhook-url", lambda: "https://status.kwf.internal/api/push/" + rs(ALNUM, 10) + "?status=up&msg=OK&ping=", ["*/5 * * * * curl -fsS '{v}' >/dev/null"]),
    ("private-key", lambda: "-----BEGIN DSA PRIVATE KEY-----\n" + "\n".join(draw.pem_body("MIIBuwIBAAKBgQ", 6)) + "\n-----END DSA PRIVATE KEY-----", ["legacy EDI VAN key (do not delete until RB-8 done):\n{v}"]),
    ("private-key", lambda: b64(draw.rbytes(32)), ["wg0.conf on MV Skua:\n[Interface]\nPrivateKey = {v}"]),
    ("password-assignment", pw, [
        "$ iinit <<EOF\nirods.frc.internal\n1247\nfrc-data\ntempZone\n{v}\nEOF",
        "$ sudo -S scontrol reboot ASAP gpu07 <<< '{v}'",
        "{\n  \"booking\": {\n    \"db\": {\n      \"user\": \"booking\",\n      \"password\":\n        \"{v}\"\n    }\n  }\n}",
        "checkin:\n  sftp:\n    password: |\n      {v}",
        "<Connection>\n  <User>edi</User>\n  <Pass>\n    {v}\n  </Pass>\n</Connection>",
        "$ mysql -u root -p'{v}' -e \"SHOW GRANTS FOR 'wms'@'%'\"",
        "INSERT INTO kiosk_config (k, v) VALUES ('admin_pin_password', '{v}');",
        "$env:SAGE_PASSWORD = '{v}'",
        "set KIOSK_ADMIN_PW={v}",
        "rclone.conf:\n[lims-s3]\ntype = s3\nprovider = Ceph\naccess_key_id = LIMSBACKUP\nsecret_access_key = {v}",
        "ingrid (23:10, ~frc-ops): root pw on the new login3 test box is\ningrid (23:10, ~frc-ops): {v}\ningrid (23:11, ~frc-ops): sorry, wrong channel",
        BR + "Harwick kiosk maintenance mode code is the admin password: {v}",
    ]),
]

COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    ("email", email, [
        "booking_ref,lead_passenger,email,vehicle\nKWF-{tkt},L. Passenger,{v},car",
        US + "user {v} cannot log in to OnDemand after the password change",
        "{ts} ERROR mailer 550 rejected recipient={v}",
        "From: {v}\nSubject: Re: Invoice VNL-{tkt} (case of Barolo missing)",
        "volunteer seed collector {v} sent 14 new accessions",
        "cc: {v}",
    ]),
    ("phone", phone("se_mob"), ["Skua chief engineer (home): {v}"]),
    ("phone", phone("se_mob_intl"), [BR + "passenger in cabin 4012 asked us to call her husband on {v}"]),
    ("phone", phone("se_sthlm"), ["Stockholm wine agent desk {v}"]),
    ("phone", phone("ca"), ["visiting researcher (Ottawa) {v}"]),
    ("phone", phone("us"), ["freezer vendor on-call {v}"]),
    ("phone", phone("uk"), ["seed collector (Manchester) {v}, prefers texts"]),
    ("phone", phone("au"), ["Sydney importer contact {v}"]),
    ("credit-card", card("4", 16, "plain"), ["{ts} WARN booking-api payment 3DS failed pan={v} sailing=HRW-BGO"]),
    ("credit-card", card("2720", 16, "space"), ["phone booking notes: card {v}, exp 11/29, passenger to confirm CVC at check-in"]),
    ("credit-card", card("34", 15, "space"), ["trade account on Amex {v} for the Christmas order"]),
    ("credit-card", card("3530", 16, "dash"), ["{who}: the Japanese tour group paid with JCB {v}, refund half"]),
    ("credit-card", card("6250", 16, "space"), ["UnionPay {v} declined at the onboard shop"]),
    ("iban", iban_no, ["crew_id,name,iban\n2207,Oddvar H.,{v}"]),
    ("iban", iban_nl, ["refund to {v} t.n.v. J. Bakker"]),
    ("iban", iban_de, ["Lieferant Weingut Lusk-Keller, IBAN {v}"]),
    ("iban", iban_es, ["supplier bank details changed: Bodegas Etxeberria IBAN {v} (verify by phone!)"]),
    ("iban", iban_it, ["Cantina Marchetti, IBAN {v}, BIC BCITITMM"]),
    ("national-id", se_pnr, ["crew list: Lindqvist, Linnea, personnummer {v}"]),
    ("national-id", no_fnr, ["fødselsnummer {v} (deckhand, new starter)"]),
    ("national-id", bsn, ["visiting PhD BSN {v} on the contract scan"]),
    ("national-id", dni, ["DNI {v} (driver, Bodegas Etxeberria pick-up)"]),
    ("ipv4", lambda: draw.public_v4((78, 84, 94, 130, 158, 213)), ["{ts} sshd[2231]: Failed password for {user} from {v} port 51422 ssh2"]),
    ("ipv4", lambda: draw.public_v4((81, 88, 95, 195)), ["booking fraud check: 12 cards tried from {v} in 3 minutes"]),
    ("ipv6", lambda: draw.public_v6(("2001:2002", "2a02:fe1", "2001:1c00")), ["accepted publickey for {user} from {v} port 40112"]),
]


# ---------------------------------------------------------------------------- look-alikes
def luhn_bad() -> str:
    while True:
        v = rng.choice("4536") + rs(DIG, 15)
        if not luhn_ok(v):
            return v


def gpg_fpr() -> str:
    h = rs(UPHEX, 40)
    return " ".join(h[i : i + 4] for i in range(0, 40, 4))


def imo() -> str:
    """An IMO ship number: six digits and the check digit (weights 7 to 2, last digit of the sum)."""
    d = str(rng.randint(9_100_000, 9_999_999))[:6]
    return "IMO " + d + str(sum(int(c) * w for c, w in zip(d, range(7, 1, -1), strict=True)) % 10)


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", hexs(40), ["pip install git+https://git.frc.internal/rse/slurm-tools.git@{v}", " {v} vendor/openlibm (v0.8.1)", "Slurm built from {v} (24.05 branch)"]),
    ("git-sha", hexs(12), ["lims-exporter 2.7.0+g{v}"]),
    ("uuid", uuid4, ["openstack server show {v} -f value -c status", "Ceph fsid {v}", "Dataverse dataset version {v} published", "sailing_id={v}"]),
    ("hash-or-digest", hexs(64), ["{v}  germination_2026_batch3.tiff", "    --hash=sha256:{v}"]),
    ("hash-or-digest", lambda: "SHA256E-s" + str(rng.randint(10**6, 10**8)) + "--" + rs(HEX, 64) + ".tiff", ["annexed file key {v}"]),
    ("hash-or-digest", gpg_fpr, ["Primary key fingerprint: {v}"]),
    ("hash-or-digest", lambda: '"' + rs(HEX, 32) + '"', ["ETag: {v}"]),
    ("hash-or-digest", lambda: "sha256:" + rs(HEX, 64), ["$ apptainer pull --disable-cache oras://harbor.frc.internal/containers/alphafold@{v}"]),
    ("trace-id", lambda: rs(UPHEX, 16), ["x-amz-request-id: {v}"]),
    ("trace-id", lambda: rs(HEX, 32) + "/" + str(rng.randint(10**15, 10**16)) + ";o=1", ["X-Cloud-Trace-Context: {v}"]),
    ("trace-id", lambda: rs(HEX, 16) + "-ARN", ["cf-ray: {v}"]),
    ("cloud-resource-id", lambda: "arn:aws:iam::" + rs(DIG, 12) + ":role/kwf-archive-writer", ["assumed {v} for the nightly export"]),
    ("cloud-resource-id", lambda: "ami-0" + rs(HEX, 16), ["checkin kiosks rebuilt from {v}"]),
    ("cloud-resource-id", lambda: "vol-0" + rs(HEX, 16), ["scratch snapshot taken of {v}"]),
    ("cloud-resource-id", lambda: "tf@hsb-imaging.iam.gserviceaccount.com", ["granted roles/storage.objectAdmin to {v}"]),
    ("placeholder", lambda: "<YOUR_HF_TOKEN>", ["huggingface-cli login --token {v}"]),
    ("placeholder", lambda: "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["export HF_TOKEN={v}  # from https://huggingface.co/settings/tokens"]),
    ("placeholder", lambda: "your_password_here", ["  password: {v}"]),
    ("placeholder", lambda: "CHANGE_ME", ["requirepass {v}"]),
    ("placeholder", lambda: "<secret>", ["GLOBUS_CLIENT_SECRET={v}"]),
    ("placeholder", lambda: "TODO", ["NETS_EASY_SECRET_KEY={v}"]),
    ("templated-value", lambda: "{{ lookup('community.hashi_vault.hashi_vault', 'secret=kv/data/idrac:root') }}", ["idrac_password: \"{v}\""]),
    ("templated-value", lambda: "${var.lims_db_password}", ["  password = \"{v}\""]),
    ("templated-value", lambda: "{{resolve:secretsmanager:kwf/booking:SecretString:password}}", ["      MasterUserPassword: '{v}'"]),
    ("templated-value", lambda: "$(WOO_SECRET)", ["        - --consumer-secret={v}"]),
    ("templated-value", lambda: "%SAGE_PASSWORD%", ["DSN=Sage200;UID=manager;PWD={v};"]),
    ("templated-value", lambda: "env(\"XERO_CLIENT_SECRET\")", ["client_secret = {v}"]),
    ("masked-value", lambda: "<set to the key 'password' in secret 'lims-db'>", ["      DB_PASSWORD:  {v}  Optional: false"]),
    ("masked-value", lambda: "(redacted)", ["token: {v}"]),
    ("masked-value", lambda: "hf_***", ["logged in as frc-rse, token {v}"]),
    ("masked-value", lambda: "**** **** **** " + rs(DIG, 4), ["booking paid with {v}"]),
    ("keyword-no-value", lambda: "--password-stdin", ["always pipe the token into docker login {v}"]),
    ("keyword-no-value", lambda: "ldap_default_authtok", ["sssd: {v} must hold the sss_obfuscate output, never clear text"]),
    ("keyword-no-value", lambda: "BORG_PASSPHRASE", ["the {v} is in the safe, envelope 3"]),
    ("keyword-no-value", lambda: "client_secret", ["Xero app: regenerate the {v} after the contractor leaves"]),
    ("private-or-reserved-ip", draw.priv_ip, ["slurmctld on {v}", "kiosk HRW-02 leased {v}"]),
    ("private-or-reserved-ip", lambda: f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}", ["kiosk HRW-03 fell back to APIPA {v}, DHCP relay down"]),
    ("private-or-reserved-ip", lambda: f"fe80::{rs(HEX, 4)}:{rs(HEX, 2)}ff:fe{rs(HEX, 2)}:{rs(HEX, 4)}", ["VSAT modem link-local {v}%eth0"]),
    ("private-or-reserved-ip", lambda: f"2001:db8:{rs(HEX, 3)}::{rng.randint(2, 99)}", ["docs example address {v}"]),
    ("example-email", lambda: "researcher@example.org", ["sbatch --mail-user={v} job.sh"]),
    ("example-email", lambda: "bookings@kittiwake-ferries.example", ["Reply-To: {v}"]),
    ("example-email", lambda: "orders@vinbury-lusk.example", ["EDI contact {v}"]),
    ("vendor-example-key", lambda: "QWxhZGRpbjpvcGVuIHNlc2FtZQ==", ["RFC 7617 example header: Authorization: Basic {v}"]),
    ("vendor-example-key", lambda: "mF_9.B5f-4.1JqM", ["the RFC 6750 sample bearer token {v}"]),
    ("vendor-example-key", lambda: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", ["Slack's docs webhook {v}"]),
    ("vendor-example-key", lambda: "AKIAIOSFODNN7EXAMPLE", ["s3cmd --configure example access key {v}"]),
    ("version-or-date", lambda: "24.05.4", ["Slurm upgraded to {v} on all nodes"]),
    ("version-or-date", lambda: "OpenSSH_9.6p1", ["login1 banner {v} Ubuntu-3ubuntu13.5"]),
    ("version-or-date", lambda: "2027-01-15", ["next germination test due {v}"]),
    ("version-or-date", lambda: "12.4.1", ["CUDA {v} module loaded"]),
    ("public-key-or-cert", lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + " arvid@login1", ["{v}"]),
    ("public-key-or-cert", lambda: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBG" + rs(B64, 58) + "\n" + "\n".join(rs(B64, 64) for _ in range(5)) + "\n=" + rs(B64, 4) + "\n-----END PGP PUBLIC KEY BLOCK-----", ["EDI partner public key:\n{v}"]),
    ("public-key-or-cert", lambda: rs(B64URL, 342), ['{"keys":[{"kty":"RSA","use":"sig","kid":"kiosk-2027","e":"AQAB","n":"{v}"}]}']),
    ("public-key-or-cert", lambda: "RWQ" + rs(B64, 53), ["minisign -Vm lims-3.2.tar.gz -P {v}"]),
    ("ids-and-numbers", lambda: "10.5281/zenodo." + rs(DIG, 8), ["dataset DOI {v}"]),
    ("ids-and-numbers", imo, ["MV Skua {v}"]),
    ("ids-and-numbers", lambda: "MMSI " + "2" + rs(DIG, 8), ["AIS target {v} lost at 02:14"]),
    ("ids-and-numbers", lambda: "LWIN" + "1" + rs(DIG, 10), ["stock line {v} short by 6 cases"]),
    ("ids-and-numbers", lambda: "26GB" + rs(DIG, 16) + "A", ["EMCS ARC {v} not acknowledged"]),
    ("ids-and-numbers", lambda: "KWF-" + rs(UP + DIG, 6), ["booking {v} moved to the 15:30 sailing"]),
    ("ids-and-numbers", lambda: "job " + str(rng.randint(4_100_000, 4_899_999)), ["{v} OOM-killed on gpu07"]),
    ("luhn-fail-number", luhn_bad, ["pallet label {v} missing from the ASN", "boarding pass barcode {v} rejected"]),
    ("documented-test-card", lambda: "4000 0025 0000 3155", ["3DS challenge test card {v} works in staging"]),
    ("documented-test-card", lambda: "3566002020360505", ["JCB test {v} ok"]),
    ("base64-nonsecret", lambda: b64(b'{"page":3,"per_page":50}'), ["next cursor={v}"]),
    ("base64-nonsecret", lambda: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", ["<img src=\"data:image/png;base64,{v}\">"]),
    ("encrypted-value", lambda: "{AQAAABAAAAAQ" + rs(B64, 44) + "=}", ["<password>{v}</password>"]),
    ("encrypted-value", lambda: "ENC[PKCS7," + "MIIBiQYJKoZIhvcNAQcDoIIBejCCAXYCAQAxggEhMIIBHQIBAD" + rs(B64, 120) + "]", ["vnl::edi::as2_password: {v}"]),
    ("encrypted-value", lambda: "-----BEGIN PGP MESSAGE-----\n\nhQEMA" + rs(B64, 59) + "\n" + rs(B64, 64) + "\n=" + rs(B64, 4) + "\n-----END PGP MESSAGE-----", ["sftp password for the partner, encrypted to ops:\n{v}"]),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    ("git-sha", lambda: "I" + rs(HEX, 40), ["Change-Id: {v}"]),
    ("uuid", uuid4, ["consul acl token read -accessor-id {v}", "$ globus ls {v}:/~/scratch/run42/"]),
    ("masked-value", lambda: "hvs.****", ["VAULT_TOKEN={v} (expired)"]),
    ("version-or-date", lambda: "2.15.5", ["Lustre clients {v}, servers still 2.14"]),
    ("ids-and-numbers", hexs(32), ["Nets paymentId {v} charged, no ticket issued"]),
    ("cloud-resource-id", lambda: "harbor.frc.internal/containers/alphafold:2.3.2", ["apptainer build af.sif docker://{v}"]),
    ("public-key-or-cert", lambda: draw.ssh_rsa_pub(["torvald", "lotte"], "vnl-edi"), ["partner's key for the sftp drop:\n{v}"]),
    ("git-sha", hexs(40), ["Submodule path 'vendor/ttn-decoder': checked out '{v}'"]),
    ("uuid", uuid4, ["Slurm federation cluster id {v}", "kiosk device id {v} enrolled"]),
    ("uuid", lambda: uuid4().upper(), ["Sage 200 company GUID {v}"]),
    ("hash-or-digest", lambda: "argon2:$argon2id$v=19$m=10240,t=10,p=8$" + rs(B64, 22) + "$" + rs(B64, 43), ["c.ServerApp.password = '{v}'"]),
    ("hash-or-digest", lambda: "{SSHA}" + b64(draw.rbytes(24)), ["userPassword: {v}"]),
    ("hash-or-digest", lambda: "md5" + rs(HEX, 32), ["\"booking_api\" \"{v}\""]),
    ("hash-or-digest", lambda: "$apr1$" + rs(ALNUM + "./", 8) + "$" + rs(ALNUM + "./", 22), ["ops:{v}"]),
    ("hash-or-digest", lambda: "SCRAM-SHA-256$4096:" + b64(draw.rbytes(16)) + "$" + b64(draw.rbytes(32)) + ":" + b64(draw.rbytes(32)), ["rolpassword = {v}"]),
    ("trace-id", lambda: "req_" + rs(ALNUM, 14), ["Stripe request id {v}"]),
    ("trace-id", uuid4, ["X-Request-ID: {v}"]),
    ("cloud-resource-id", lambda: "projects/hsb-imaging/locations/europe-north1/keyRings/lims/cryptoKeys/backup", ["backups encrypted with {v}"]),
    ("cloud-resource-id", lambda: "kv-vnl-prod", ["secret lives in Key Vault {v}, not in the repo"]),
    ("placeholder", lambda: "sk-ant-api03-...", ["ANTHROPIC_API_KEY={v}"]),
    ("placeholder", lambda: "<robot-secret>", ["docker login harbor.frc.internal -u 'robot$containers+ci' -p {v}"]),
    ("placeholder", lambda: "****REPLACE****", ["<wsse:Password>{v}</wsse:Password>"]),
    ("placeholder", lambda: "NNSXS.XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX.YYYYYYYYYYYY", ["ttn-lw-cli login --api-key {v}"]),
    ("templated-value", lambda: "${{ secrets.PYPI_API_TOKEN }}", ["          password: {v}"]),
    ("templated-value", lambda: "ref+vault://secret/kwf/checkin#/sftp_password", ["sftp_password: {v}"]),
    ("templated-value", lambda: "<%= ENV['AMADEUS_CLIENT_SECRET'] %>", ["  client_secret: {v}"]),
    ("masked-value", lambda: "XXXX-XXXX-XXXX-" + rs(DIG, 4), ["card on file {v}"]),
    ("masked-value", lambda: "•••••", ["Monnit gateway password: {v}"]),
    ("masked-value", lambda: "sk_live_...", ["STRIPE_SECRET_KEY={v} (see 1Password)"]),
    ("keyword-no-value", lambda: "requirepass", ["redis: {v} set, protected-mode yes"]),
    ("keyword-no-value", lambda: "application_credential_secret", ["OpenStack shows the {v} only once, at creation"]),
    ("keyword-no-value", lambda: "SharedAccessKey", ["use a SAS with send rights, not the namespace {v}"]),
    ("private-or-reserved-ip", lambda: "::1", ["slurmrestd listening on [{v}]:6820"]),
    ("private-or-reserved-ip", lambda: f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", ["Starlink CGNAT address {v} on the Fulmar"]),
    ("private-or-reserved-ip", lambda: f"192.0.2.{rng.randint(1, 254)}", ["AS2 partner test endpoint {v}"]),
    ("example-email", lambda: "user@frc.test", ["sacctmgr add user {v}"]),
    ("example-email", lambda: "alerts@hsb.internal", ["freezer alarms to {v}"]),
    ("vendor-example-key", lambda: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", ["trade-shop tests use Stripe's published {v}"]),
    ("vendor-example-key", lambda: "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", ["Twilio quickstart account sid {v}"]),
    ("version-or-date", lambda: "v2.3.1", ["slurm-tools {v} tagged"]),
    ("version-or-date", lambda: "20261114.3", ["kiosk image build {v}"]),
    ("public-key-or-cert", lambda: draw.cert_pem_block("MIIFZjCCA06gAwIBAgIQ"), ["as2 partner certificate:\n{v}"]),
    ("public-key-or-cert", lambda: b64(draw.rbytes(32)), ["[Peer]\nPublicKey = {v}\nEndpoint = vpn.kwf.internal:51820"]),
    ("public-key-or-cert", lambda: "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58), ["creation_rules:\n  - age: {v}"]),
    ("ids-and-numbers", lambda: "RCC-" + rs(DIG, 6), ["closed {v} as duplicate"]),
    ("ids-and-numbers", lambda: "2204 21 " + rs(DIG, 2), ["commodity code {v} (still wine, <2 l)"]),
    ("ids-and-numbers", lambda: "XVAW" + rs(DIG, 11), ["AWRS {v} on the invoice footer"]),
    ("ids-and-numbers", lambda: "HSB-ACC-" + rs(DIG, 6), ["accession {v} moved to drawer 14"]),
    ("ids-and-numbers", lambda: "GB" + rs(DIG, 12), ["our EORI {v}"]),
    ("ids-and-numbers", lambda: "LD" + rs(UP, 3), ["call sign {v} on VHF 16"]),
    ("luhn-fail-number", luhn_bad, ["gift voucher {v} already redeemed"]),
    ("documented-test-card", lambda: "5454545454545454", ["Nets test card {v} in the checkout e2e"]),
    ("base64-nonsecret", lambda: b64(b"sailing=HRW-BGO-20261114"), ["X-KWF-Context: {v}"]),
    ("base64-nonsecret", lambda: b64(b"accession,drawer\nHSB-ACC-001,14\n"), ["csv payload {v}"]),
    ("encrypted-value", lambda: draw.sops_value(), ["  sftp_password: {v}"]),
    ("encrypted-value", lambda: "$ANSIBLE_VAULT;1.2;AES256;idrac\n" + "\n".join(rs("0123456789abcdef", 80) for _ in range(2)), ["{v}"]),
    ("encrypted-value", lambda: b64(draw.rbytes(45)) + "--" + b64(draw.rbytes(9)).rstrip("=") + "--" + b64(draw.rbytes(16)), ["$ cat config/credentials.yml.enc\n{v}"]),
]


def sections() -> tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row]]:
    return expand(COMMON_SECRETS), expand(COMMON_PERSONAL), expand(RARE_SECRETS), [], expand(NEGATIVES), expand(RARE_NEGATIVES)


def iban_len_ok(v: str) -> bool:
    raw = v.replace(" ", "")
    return IBAN_LEN.get(raw[:2]) == len(raw) and iban_ok(v)


SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{30}|github_pat_|gl(?:pat|rt|dt)-[\w-]{20}|xox[bpa]-\d|hooks\.slack\.com/services/T[A-Z0-9]{8}[1-9A-Z]"
    r"|[sr]k_live_[A-Za-z0-9]{10}|whsec_|AIza[0-9A-Za-z_-]{30}|GOCSPX-|-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]"
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20}|SharedAccessKey=[A-Za-z0-9+/]{20}|hf_[A-Za-z]{30}"
    r"|dckr_pat_|npm_[A-Za-z0-9]{30}|pypi-AgE|sk-ant-api03-\w|r8_\w{10}|CCIPAT_|squ_|hvs\.\w{20}|\.atlasv1\.|live-secret-key-"
    r"|shippo_live_|EZAK[0-9a-f]|NNSXS\.[A-Z0-9]{39}|BBFF-|aio_\w{10}|hcaik_|NRAK-[A-Z0-9]{10}"
    r"|://[^/\s:@]+:[^/\s@<>${}*\[.]{8,}@|Basic [A-Za-z0-9+/]{16}(?!.*RFC)|Bearer [A-Za-z0-9._-]{24}"
    r"|(?i:password|passwd|pwd|secret|token|api_key|apikey)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_-]{16,}"
)

OK_MAIL_61 = re.compile(OK_MAIL.pattern.removesuffix(")$") + r"|[\w.-]+\.internal|kittiwake-ferries\.example)$")


def check(rows: list[dict], *, fold: str, id_prefix: str, id_digits: int, out: Path) -> None:
    sanity(
        rows,
        fold=fold,
        id_prefix=id_prefix,
        id_digits=id_digits,
        out=out,
        types=TYPES,
        secretish=SECRETISH,
        fillers=set(FILL),
        ok_mail=OK_MAIL_61,
        phoneish=PHONEISH_61,
        national_id_ok=national_id_ok,
        private_key_ok=private_key_ok,
        cut_value_types={"encrypted-value", "hash-or-digest", "public-key-or-cert", "cloud-resource-id", "base64-nonsecret"},
        test_cards=CARDS_DOC,
    )
    for r in rows:
        if r["type"] == "iban":
            assert iban_len_ok(r["value"]), r["id"]
    counts = {k: sum(r["kind"] == k for r in rows) for k in (S, P, N)}
    assert counts[S] == 160 and counts[P] == 30, counts


def main() -> None:
    write_fold(sections(), fold=FOLD, id_prefix="t61", out=OUT, check=check, id_digits=4)


if __name__ == "__main__":
    main()
