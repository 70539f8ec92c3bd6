# ruff: noqa: E501  (the planted lines are long on purpose)
"""Write ``planted_test20.jsonl``: a blind fold of planted secrets, personal data and look-alikes.

Run ``python3 tests/data/redaction/make_planted_test20.py`` (standard library and the sibling
``planted_kit.py`` only). Every value is random in its vendor's format, drawn from
``random.Random(20270120)``, and fake; the file is byte-identical on every run. The lines come from
eight made-up documents of a company called Quillmoor: PM-6203 Android release key leak, PM-6210 CI
runner token theft, PM-6214 search cluster out of memory, RB-41 Windows jump host rebuild, RB-44
keystore and TLS renewal, ADR-150 Ansible inventory clean-up, PM-6222 data-science notebook leak and
PM-6229 support-desk export. Common shapes come first in each kind (``t20p…``/``t20n…``);
the summary it prints says where the split falls.
"""

from __future__ import annotations

import re
from collections import Counter
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
    UK_DRAMA_AREAS,
    UP,
    Draw,
    Gen,
    S,
    b64,
    expand_sections,
    luhn_ok,
    numbered,
    one_of,
    sanity,
    write_fold,
)
from planted_kit import (
    TEST_CARDS as SHARED_TEST_CARDS,
)
from planted_kit import (
    TYPES as SHARED_TYPES,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "planted_test20.jsonl"
FOLD = "test20"
rng = Random(20270120)
draw = Draw(rng)
rs, rbytes, uuid4, sha40, hexk, hhmm = draw.rs, draw.rbytes, draw.uuid4, draw.sha40, draw.hexk, draw.hhmm
iso, akid, aws_secret, gcp_api = draw.iso, draw.akid, draw.aws_secret, draw.gcp_api
gcp_oauth_secret, az_client_secret, az_sas_sig = draw.gcp_oauth_secret, draw.az_client_secret, draw.az_sas_sig
az_account_key, opaque, priv_ip, ssn = draw.az_account_key, draw.opaque, draw.priv_ip, draw.ssn

TYPES = {**SHARED_TYPES, S: {*SHARED_TYPES[S], "generic-api-key"}}


pre = draw.pre


# ---------------------------------------------------------------------------- secret values


gh_token = partial(draw.gh_token, ("ghp_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_"))


gl_token = partial(draw.pre, alphabet=ALNUM + "-_", n=20)


slack_token = draw.slack_token


slack_hook = draw.slack_hook


stripe_key = partial(draw.stripe_key, ("sk_live_51", "rk_live_51", "sk_live_51"))


jwt = partial(
    draw.jwt_of,
    ["HS256", "RS256", "ES256", "HS512"],
    [
        ("iss", ["https://id.quillmoor.io", "gitlab.quillmoor.internal", "support-desk"]),
        ("sub", ["runner:41", "agent:2207", "svc:search-indexer", "user:mkovac"]),
        ("aud", ["search", "support", "ci"]),
        ("iat", range(1_790_000_000, 1_799_000_000 + 1)),
        ("scope", ["read", "tickets:export", "repo:write", "admin"]),
    ],
    sig_lengths={"HS256": 43, "ES256": 86, "HS512": 86},
    default_sig=342,
    kid=(HEX, 12),
)


pem_lines = partial(draw.pem_body, pad="=")


def private_key(kind: str, sep: str = "\n") -> str:
    """A key block; ``sep`` joins its lines (a newline plus indentation, or the two characters ``\\n``)."""
    if kind == "rsa":
        label, body = "RSA PRIVATE KEY", pem_lines("MIIEowIBAAKCAQEA", rng.randint(7, 10))
    elif kind == "ec":
        label, body = "EC PRIVATE KEY", ["MHcCAQEEI" + rs(B64, 55), rs(B64, 64), rs(B64, 36) + "=="]
    elif kind == "p8":
        label, body = "PRIVATE KEY", pem_lines("MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg", 4)
    elif kind == "ssh":
        label = "OPENSSH PRIVATE KEY"
        body = ["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"]
        body += [rs(B64, 70) for _ in range(3)] + [rs(B64, 26) + "=="]
    elif kind == "enc":
        label, body = (
            "ENCRYPTED PRIVATE KEY",
            pem_lines("MIIFDjBABgkqhkiG9w0BBQ0wMzAbBgkqhkiG9w0BBQwwDgQI", 9),
        )
    else:
        label, body = "PRIVATE KEY", pem_lines("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC", 9)
    return sep.join([f"-----BEGIN {label}-----", *body, f"-----END {label}-----"])


def pk(kind: str, sep: str = "\n") -> Gen:
    return lambda: private_key(kind, sep)


def putty_key() -> str:
    """A whole PuTTY ``.ppk`` file: its private lines are the secret, the file is labelled as one block."""
    return "\n".join(
        [
            "PuTTY-User-Key-File-3: ssh-ed25519",
            "Encryption: none",
            "Comment: rb41-jump",
            "Public-Lines: 2",
            "AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 39),
            rs(B64, 4) + "=",
            "Private-Lines: 1",
            "AAAAI" + rs(B64, 43) + "=",
            "Private-MAC: " + rs(HEX, 64),
        ]
    )


def gcp_sa_key() -> str:
    return private_key("pkcs8", "\\n") + "\\n"


WORDS = [
    "heron",
    "basalt",
    "juniper",
    "plover",
    "cobalt",
    "hazel",
    "sedge",
    "tansy",
    "corvid",
    "fennel",
    "larch",
    "wrasse",
]


def password() -> str:
    shape = rng.randrange(5)
    if shape == 0:
        return rs(ALNUM, rng.randint(16, 24))
    if shape == 1:
        return (
            rng.choice(WORDS).capitalize() + rs(DIG, 3) + rng.choice("!#%") + rng.choice(WORDS).capitalize()
        )
    if shape == 2:
        return ".".join(rng.sample(WORDS, 3)) + rs(DIG, 2)
    if shape == 3:
        return rs(ALNUM + "!%^*", rng.randint(13, 19)) + rng.choice(DIG)
    return rs(UP, 3) + rs(LOW + DIG, 9) + "_" + rs(ALNUM, 5)


plain_pw = partial(draw.plain_password3, WORDS, (9, "-", 8))


pct_pw = draw.pct_password


basic_cred = partial(
    draw.basic_cred,
    ["ci-runner", "support-bot", "search-admin", "ansible", "jumpadmin", "nb-export"],
    WORDS,
    plain_pw,
)


def b64_config() -> str:
    """A base64-wrapped config file whose only content is a credential line."""
    line = rng.choice(
        [
            f"spring.datasource.password={plain_pw()}\n",
            f"OPENSEARCH_PASSWORD={plain_pw()}\n",
            f'[client]\npassword="{plain_pw()}"\n',
        ]
    )
    return b64(line.encode())


openai_key = draw.openai_key


def anthropic_key() -> str:
    return "sk-ant-api03-" + rs(B64URL, 93) + "AA"


def fcm_key() -> str:
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def twilio_sid(prefix: str) -> Gen:
    return lambda: prefix + rs(HEX, 32)


age_key = draw.age_secret_key


tf_cloud = draw.tf_cloud_token


atlassian = draw.atlassian_token


def pypi_token() -> str:
    return "pypi-AgEIcHlwaS5vcmc" + rs(B64URL, 150)


def okta() -> str:
    return "00" + rs(ALNUM + "-_", 40)


def dropbox() -> str:
    return "sl.u." + rs(B64URL, 140)


def expo() -> str:
    return rs(ALNUM + "_-", 40)


def mapbox() -> str:
    return "sk.eyJ1IjoicXVpbGxtb29yIiwiYSI6I" + rs(B64URL, 20) + "." + rs(B64URL, 22)


def gpp_cpassword() -> str:
    """A Group Policy Preferences ``cpassword``: AES with Microsoft's published key, so as good as clear text."""
    return b64(rbytes(rng.choice([32, 48])))


def unattend_pw() -> str:
    """``unattend.xml`` with ``PlainText`` false: base64 of UTF-16 password plus the element name."""
    return b64((plain_pw() + "AdministratorPassword").encode("utf-16-le"))


apple_app_pw = draw.apple_app_password


def teams_hook() -> str:
    return (
        f"https://quillmoor.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/"
        f"{rs(HEX, 32)}/{uuid4()}"
    )


discord_hook = draw.discord_hook


heroku = draw.heroku_key


def planetscale() -> str:
    return "pscale_pw_" + rs(ALNUM + "_", 43)


def cloudflare_token() -> str:
    return rs(ALNUM + "_-", 40)


# ---------------------------------------------------------------------------- personal values


# The shared documented test cards plus JCB, Diners and further Adyen/Stripe ones: never drawn as a
# real card, accepted as documented-test-card.
TEST_CARDS = {*SHARED_TEST_CARDS, *MORE_TEST_CARDS}


card = partial(draw.card_with_jcb, TEST_CARDS)


luhn_bad = draw.luhn_bad


public_v4 = partial(
    draw.public_v4, (25, 38, 49, 57, 68, 78, 82, 92, 107, 122, 142, 155, 167, 179, 186, 197, 211, 221)
)


public_v6 = partial(
    draw.public_v6,
    ("2a02:26f0", "2a00:1098", "2604:1380", "2a05:d014", "2c0f:f248", "2406:da18", "2a01:111"),
    group_fallbacks="c",
    short_tail="57",
    long_fallback="e",
)


AU_MOBILES = ["0491 570 156", "0491 570 159", "0491 571 266", "0491 572 549", "0491 573 770", "0491 576 398"]


def phone(i: int) -> str:
    """Numbers reserved for fiction: US/Canada 555-01xx, Ofcom's drama ranges, Australia's and France's."""
    kind = i % 5
    if kind == 0:
        area, tail = rng.choice(["416", "604", "214", "617", "305", "971"]), f"01{rng.randint(0, 99):02d}"
        return [f"+1 ({area}) 555-{tail}", f"1-{area}-555-{tail}", f"{area} 555 {tail}"][i // 5 % 3]
    if kind == 1:
        ln = f"{rng.randint(0, 999):03d}"
        area = rng.choice(UK_DRAMA_AREAS)
        return [f"0{area} 496 0{ln}", f"+44 {area} 496 0{ln}", f"+44 (0){area} 4960{ln}"][i // 5 % 3]
    if kind == 2:
        ln = f"{rng.randint(0, 999):03d}"
        return [f"028 9018 0{ln}", f"029 2018 0{ln}", f"01632 960{ln}"][i // 5 % 3]
    if kind == 3:
        mob = rng.choice(AU_MOBILES)
        return [
            mob,
            "+61 " + mob[1:].replace(" ", ""),
            f"(0{rng.choice('2378')}) 5550 {rng.randint(0, 9999):04d}",
        ][i // 5 % 3]
    xx, yy = f"{rng.randint(0, 99):02d}", f"{rng.randint(0, 99):02d}"
    m = f"{rng.randint(0, 999):03d}"
    return [f"+33 1 99 00 {xx} {yy}", f"06.39.98.{xx}.{yy}", f"+447700900{m}"][i // 5 % 3]


def steuer_id() -> str:
    """German tax id: 11 digits, one digit of the first ten twice, one absent, ISO 7064 mod 11,10 check."""
    while True:
        digits = rng.sample(range(10), 9)
        if digits[0] == 0:
            continue
        twice = rng.choice(digits[1:])
        pos = rng.randint(1, 9)
        ten = [*digits[:pos], twice, *digits[pos:]]
        if any(ten[k] == ten[k + 1] for k in range(9)):
            continue
        product = 10
        for d in ten:
            s = (d + product) % 10 or 10
            product = s * 2 % 11
        check = (11 - product) % 10
        t = "".join(map(str, ten)) + str(check)
        return rng.choice([t, f"{t[:2]} {t[2:5]} {t[5:8]} {t[8:]}"])


def steuer_ok(d: str) -> bool:
    product = 10
    for ch in d[:10]:
        s = (int(ch) + product) % 10 or 10
        product = s * 2 % 11
    return (11 - product) % 10 == int(d[10])


CF_ODD = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            1,
            0,
            5,
            7,
            9,
            13,
            15,
            17,
            19,
            21,
            1,
            0,
            5,
            7,
            9,
            13,
            15,
            17,
            19,
            21,
            2,
            4,
            18,
            20,
            11,
            3,
            6,
            8,
            12,
            14,
            16,
            10,
            22,
            25,
            24,
            23,
        ],
        strict=True,
    )
)


def cf_check(first15: str) -> str:
    total = 0
    for i, ch in enumerate(first15):
        if i % 2 == 0:
            total += CF_ODD[ch]
        else:
            total += int(ch) if ch.isdigit() else ord(ch) - 65
    return chr(65 + total % 26)


def codice_fiscale() -> str:
    month = "ABCDEHLMPRST"[rng.randint(0, 11)]
    day = rng.randint(1, 31) + rng.choice([0, 40])
    town = rng.choice(["H501", "F205", "L219", "G273", "A662", "D612"])
    body = rs("BCDFGHLMNPRSTVZ", 6) + f"{rng.randint(60, 99)}{month}{day:02d}{town}"
    return body + cf_check(body)


def pesel() -> str:
    yy, mm, dd = rng.randint(60, 99), rng.randint(1, 12), rng.randint(1, 28)
    body = f"{yy:02d}{mm:02d}{dd:02d}{rs(DIG, 4)}"
    s = sum(int(c) * w for c, w in zip(body, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3], strict=True))
    return body + str((10 - s % 10) % 10)


def pesel_ok(d: str) -> bool:
    s = sum(int(c) * w for c, w in zip(d[:10], [1, 3, 7, 9, 1, 3, 7, 9, 1, 3], strict=True))
    return (10 - s % 10) % 10 == int(d[10])


def belgian_nn() -> str:
    yy, mm, dd = rng.randint(60, 99), rng.randint(1, 12), rng.randint(1, 28)
    seq = rng.randint(1, 997)
    base = int(f"{yy:02d}{mm:02d}{dd:02d}{seq:03d}")
    return f"{yy:02d}.{mm:02d}.{dd:02d}-{seq:03d}.{97 - base % 97:02d}"


def fnr() -> str:
    """Norwegian fødselsnummer: DDMMYY, three individual digits, two mod-11 check digits."""
    while True:
        body = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(0, 499):03d}"
        k1 = 11 - sum(int(c) * w for c, w in zip(body, [3, 7, 6, 1, 8, 9, 4, 5, 2], strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        body += str(k1)
        k2 = 11 - sum(int(c) * w for c, w in zip(body, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 == 10:
            continue
        return body + str(k2)


def fnr_ok(d: str) -> bool:
    k1 = 11 - sum(int(c) * w for c, w in zip(d[:9], [3, 7, 6, 1, 8, 9, 4, 5, 2], strict=True)) % 11
    k2 = 11 - sum(int(c) * w for c, w in zip(d[:10], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
    return (k1 % 11) == int(d[9]) and (k2 % 11) == int(d[10])


HETU_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu() -> str:
    dd, mm, yy = rng.randint(1, 28), rng.randint(1, 12), rng.randint(60, 99)
    n = rng.randint(2, 899)
    return f"{dd:02d}{mm:02d}{yy:02d}-{n:03d}{HETU_CHARS[int(f'{dd:02d}{mm:02d}{yy:02d}{n:03d}') % 31]}"


def china_ric() -> str:
    body = (
        rng.choice(["110101", "310104", "440305", "510107"])
        + f"19{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rs(DIG, 3)}"
    )
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w, strict=True)) % 11]


def nric() -> str:
    lead = rng.choice("ST")
    d = rs(DIG, 7)
    s = sum(int(c) * w for c, w in zip(d, [2, 7, 6, 5, 4, 3, 2], strict=True)) + (4 if lead == "T" else 0)
    return lead + d + "JZIHGFEDCBA"[s % 11]


def ppsn() -> str:
    d = rs(DIG, 7)
    s = sum(int(c) * w for c, w in zip(d, range(8, 1, -1), strict=True))
    return d + "WABCDEFGHIJKLMNOPQRSTUV"[s % 23]


def rrn() -> str:
    body = f"{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.choice('12')}{rs(DIG, 5)}"
    w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    c = (11 - sum(int(x) * k for x, k in zip(body, w, strict=True)) % 11) % 10
    return f"{body[:6]}-{body[6:]}{c}"


def za_id() -> str:
    while True:
        t = f"{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rs(DIG, 4)}08{rng.choice(DIG)}"
        if luhn_ok(t):
            return t


def iban(country: str) -> str:
    bban = {
        "DE": lambda: rs(DIG, 18),
        "AT": lambda: rs(DIG, 16),
        "CH": lambda: rs(DIG, 17),
        "IE": lambda: rs(UP, 4) + rs(DIG, 14),
        "PT": lambda: rs(DIG, 21),
        "SE": lambda: rs(DIG, 20),
        "NO": lambda: rs(DIG, 11),
        "DK": lambda: rs(DIG, 14),
        "FI": lambda: rs(DIG, 14),
    }[country]()
    num = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    raw = f"{country}{98 - num % 97:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


FIRST = [
    "aurelio",
    "bronagh",
    "cosmin",
    "dagny",
    "emeka",
    "fenna",
    "gideon",
    "hanne",
    "idris",
    "jolanta",
    "kasimir",
    "liesel",
    "mirela",
    "niamh",
    "osvaldo",
    "ragnhild",
]
LAST = [
    "achebe",
    "brannigan",
    "czerny",
    "dahlberg",
    "esposito",
    "falkenrath",
    "grimaldi",
    "holmqvist",
    "ivanova",
    "jablonski",
    "kearney",
    "lundgren",
    "mancini",
    "nieminen",
    "ostrowski",
]
MAIL = [
    "gmail.com",
    "t-online.de",
    "wp.pl",
    "seznam.cz",
    "virgilio.it",
    "eircom.net",
    "online.no",
    "kolumbus.fi",
    "qq.com",
    "naver.com",
    "mweb.co.za",
    "me.com",
]

email = partial(
    draw.email, FIRST, LAST, MAIL, ("{f}.{last}", "{f}{n}", "{i}{last}", "{last}.{f}", "{f}+support")
)


# ---------------------------------------------------------------------------- fillers
SVCS = [
    "search-indexer",
    "support-desk",
    "ci-runner",
    "jump-win",
    "nb-hub",
    "tls-renewer",
    "app-build",
    "ansible-pull",
]
ONCALL = ["agata", "brynjar", "cian", "dorota", "eero", "folake", "giulia", "halvard", "isha", "jarek"]

FILL: dict[str, Gen] = {
    "t": hhmm,
    "ts": iso,
    "svc": lambda: rng.choice(SVCS),
    "who": lambda: rng.choice(ONCALL),
    "pip": priv_ip,
    "num": lambda: str(rng.randint(3, 980)),
    "pid": lambda: str(rng.randint(1100, 64000)),
    "ver": lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}",
    "sha7": lambda: rs(HEX, 7),
    "uuid": uuid4,
}


# ---------------------------------------------------------------------------- common secrets
COMMON_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "aws-key",
        akid,
        [
            "PM-6210 timeline: {t} the stolen runner token was used to read {v} out of the job's masked variables.",
            "PS C:\\> [Environment]::SetEnvironmentVariable('AWS_ACCESS_KEY_ID', '{v}', 'Machine')",
            'Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software\\Quillmoor\\Backup]\n"S3AccessKey"="{v}"',
            "# group_vars/backup.yml\ns3_backup_access_key: {v}\ns3_backup_bucket: quillmoor-nb-archive",
            '    "source": [\n     "import boto3\\n",\n     "s3 = boto3.client(\\"s3\\", aws_access_key_id=\\"{v}\\")\\n"\n    ]',
            '{"name":"X-Amz-Credential","value":"{v}/20261104/eu-west-1/s3/aws4_request"}',
            "GET /quillmoor-nb-archive/export.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={v}%2F20261104%2Feu-west-1%2Fs3%2Faws4_request HTTP/1.1",
            "<key>AWSAccessKeyId</key>\n<string>{v}</string>",
            "| {t} | {who} | deactivated {v} (notebook-export IAM user) |",
            "2026-11-04T{t}:12Z WARN  [opensearch-snapshot] repository s3 client access_key={v} region=eu-west-1",
            "$ opensearch-keystore add --stdin s3.client.default.access_key <<< {v}",
        ],
    ),
    (
        "aws-key",
        aws_secret,
        [
            "PS C:\\> Set-Item -Path Env:AWS_SECRET_ACCESS_KEY -Value '{v}'",
            '[HKEY_CURRENT_USER\\Software\\Quillmoor\\Backup]\n"S3SecretKey"="{v}"',
            "s3_backup_secret_key: {v}",
            '     "s3 = boto3.client(\\"s3\\", aws_secret_access_key=\\"{v}\\")\\n",',
            "<key>AWSSecretKey</key>\n<string>{v}</string>",
            "$ opensearch-keystore add --stdin s3.client.default.secret_key <<< '{v}'",
            "PM-6222: the notebook's third cell printed the secret key {v} in its output.",
            "aws_secret_access_key={v}",
            "> {who}: the backup job's secret half is {v}",
            "  secretAccessKey: |\n    {v}",
        ],
    ),
    (
        "github-token",
        gh_token,
        [
            "PM-6210: the runner's `.git-credentials` held `https://x-access-token:{v}@github.com`.",
            "$ printf 'protocol=https\\nhost=github.com\\n' | git credential fill\nprotocol=https\nhost=github.com\nusername=qm-ci\npassword={v}",
            '[credential "https://github.com"]\n\thelper = "!f() { echo username=qm-ci; echo password={v}; }; f"',
            'PS C:\\> $env:GH_TOKEN = "{v}"; gh release download v{ver}',
            "##[debug]Evaluating: format('token {0}', '{v}')",
            "      - name: checkout\n        uses: actions/checkout@v4\n        with:\n          token: >-\n            {v}",
            "| {t} | {who} | revoked {v} from the org audit log |",
            "ansible_github_token: {v}",
            "GITHUB_PACKAGES_TOKEN={v}",
            "PM-6203: the Android build pulled a private Gradle plugin with `gpr.key={v}`.",
            '{"key":"githubToken","value":"{v}","type":"secret","enabled":true}',
            "> {who}: I used {v} to re-run the job, revoking now",
            "remote: Invalid username or token. Password authentication is not supported.\nfatal: Authentication failed for 'https://qm-ci:{v}@github.com/quillmoor/search.git/'",
            '    "!git remote set-url origin https://{v}@github.com/quillmoor/nb-models.git"',
        ],
    ),
    (
        "slack-token",
        slack_token,
        [
            "PM-6214: the OOM alert bot posted with {v}.",
            "POST /api/chat.postMessage HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\ntoken={v}&channel=C07QM41&text=search%20OOM",
            'SLACK_BOT_TOKEN: "{v}"',
            "| {t} | {who} | Slack token {v} revoked |",
            "$slack = @{ token = '{v}'; channel = '#search-ops' }",
            '     "client = WebClient(token=\\"{v}\\")\\n",',
            "slack_notify_token: {v}",
            "<key>SlackAppToken</key>\n<string>{v}</string>",
            "2026-11-04 {t}:07,311 ERROR slack_sdk.web.base_client: invalid_auth for token {v}",
            "> {who}: the socket-mode app token is {v}",
            "PM-6229: the support-desk integration logged `Authorization: Bearer {v}` at debug.",
        ],
    ),
    (
        "slack-webhook",
        slack_hook,
        [
            "PM-6210: the runner posted the stolen env to {v}.",
            "slack_webhook_url: {v}",
            "PS> Invoke-RestMethod -Method Post -Uri '{v}' -Body (@{text='jump host rebuilt'} | ConvertTo-Json)",
            "notify:\n  webhook: |\n    {v}",
            "| {t} | {who} | rotated {v} |",
            '    "SLACK_URL = \\"{v}\\"\\n",',
        ],
    ),
    (
        "stripe-key",
        stripe_key,
        [
            "PM-6229: the refund macro in the support desk called Stripe with {v}.",
            "STRIPE_SECRET_KEY={v}",
            "stripe.secretKey={v}",
            "$ curl https://api.stripe.com/v1/refunds -u {v}: -d charge=ch_3Qx",
            "| {t} | {who} | rolled {v} |",
            '     "stripe.api_key = \\"{v}\\"\\n",',
            "stripe_api_key: !unsafe '{v}'",
            "> {who}: refunds key is {v}",
            '<string name="stripe_secret">{v}</string>',
            "Stripe\\Exception\\AuthenticationException: Invalid API Key provided: {v}",
        ],
    ),
    (
        "jwt",
        jwt,
        [
            "PM-6210: the runner's job token {v} was valid for 24 hours.",
            '{"name":"Cookie","value":"qm_sess={v}"}',
            "GET /api/tickets/export?format=csv&access_token={v} HTTP/1.1",
            '$ curl -sS https://support.quillmoor.internal/api/me -H "Authorization: Bearer {v}"',
            "| {t} | {who} | decoded {v}: scope admin, no exp claim |",
            "PS C:\\> $headers = @{ 'Authorization' = 'Bearer {v}' }",
            '     "TOKEN = \\"{v}\\"\\n",',
            '{"key":"token","value":"{v}","type":"string"}',
            "auth:\n  token: |\n    {v}",
            "> {who}: repro token {v}",
            "2026-11-04 {t}:44 INFO  c.q.s.AuthFilter - accepted jwt={v} path=/_search",
            "https://support.quillmoor.internal/sso#access_token={v}&token_type=bearer",
            '{"id_token":"{v}","expires_in":3600}',
        ],
    ),
    (
        "private-key",
        pk("rsa"),
        [
            "RB-44 appendix, the expired search node TLS key:\n{v}",
            "PM-6214: the OpenSearch node key was attached to the ticket:\n{v}",
        ],
    ),
    ("private-key", pk("ec", "\n      "), ["tls:\n  search:\n    key: |\n      {v}"]),
    (
        "private-key",
        pk("p8"),
        ["PM-6203: the App Store Connect API key (`AuthKey_7QXK2M.p8`) was committed:\n{v}"],
    ),
    ("private-key", pk("p8", "\\n"), ['    "APPSTORE_KEY = \\"{v}\\"\\n",']),
    ("private-key", pk("ssh"), ["RB-41: the jump host's old deploy key:\n{v}"]),
    ("private-key", pk("ssh", "\n    "), ["ansible_ssh_private_key: |\n    {v}"]),
    ("private-key", pk("enc"), ["RB-44: the Tomcat key exported with `openssl pkcs12 -nocerts`:\n{v}"]),
    ("private-key", putty_key, ["RB-41: the old jump host's `C:\\Users\\ops\\.ssh\\jump.ppk`:\n{v}"]),
    (
        "password-in-url",
        plain_pw,
        [
            "PM-6214: snapshots went to `https://snap:{v}@backup.quillmoor.internal/opensearch`.",
            "$ git credential approve <<< 'url=https://qm-ci:{v}@git.quillmoor.internal'",
            "https://qm-ci:{v}@git.quillmoor.internal",
            "ansible_pip_index: https://deploy:{v}@nexus.quillmoor.internal/repository/pypi/simple",
            '     "engine = create_engine(\\"postgresql+psycopg2://analyst:{v}@warehouse.quillmoor.internal/dwh\\")\\n",',
            "PS C:\\> git clone https://jumpadmin:{v}@git.quillmoor.internal/ops/jump.git",
            "maven { url 'https://app-build:{v}@nexus.quillmoor.internal/repository/android/' }",
            "OPENSEARCH_URL=https://admin:{v}@search.quillmoor.internal:9200",
            '{"url":"https://agent:{v}@support.quillmoor.internal/api/v2/tickets.json"}',
            "jdbc:postgresql://analyst:{v}@warehouse.quillmoor.internal:5432/dwh",
            "rsync://backup:{v}@nas-2.quillmoor.internal/notebooks",
            "| {t} | {who} | found `redis://:{v}@cache.quillmoor.internal:6379/3` in the notebook env |",
            "RB-41: map the share with `\\\\fs.quillmoor.internal` only; the old script used `smb://jumpadmin:{v}@fs.quillmoor.internal/ops`.",
            "proxy:\n  url: |\n    http://app-build:{v}@proxy.quillmoor.internal:3128",
            "> {who}: use `amqp://support:{v}@mq.quillmoor.internal:5672/desk`",
            "$ docker run -e DATABASE_URL=mysql://desk:{v}@db.quillmoor.internal/desk support-desk:{ver}",
        ],
    ),
    (
        "password-in-url",
        pct_pw,
        [
            "https://jumpadmin:{v}@git.quillmoor.internal/ops/jump.git",
            "DATABASE_URL=postgres://desk:{v}@db.quillmoor.internal:5432/desk?sslmode=require",
            "$ mongosh 'mongodb://nb-export:{v}@mongo.quillmoor.internal:27017/?authSource=admin'",
            "PM-6222: `%env WAREHOUSE_URL=postgresql://analyst:{v}@warehouse.quillmoor.internal/dwh` was in cell 4.",
        ],
    ),
    (
        "password-assignment",
        password,
        [
            "$ keytool -genkeypair -alias search -keyalg RSA -keystore search.jks -storepass '{v}' -dname CN=search",
            "$ keytool -list -keystore /etc/opensearch/truststore.jks -storepass:env TRUST_PW -keypass '{v}'",
            "server.ssl.key-store-password={v}",
            "-Djavax.net.ssl.keyStorePassword={v}",
            '<Connector port="8443" protocol="HTTP/1.1" SSLEnabled="true" keystoreFile="conf/search.jks" keystorePass="{v}" />',
            "RELEASE_STORE_PASSWORD={v}",
            "RELEASE_KEY_PASSWORD={v}",
            "android.injected.signing.store.password={v}",
            "$ ./gradlew assembleRelease -Pandroid.injected.signing.key.password='{v}'",
            "signingConfigs {\n    release {\n        storeFile file('quillmoor-release.jks')\n        storePassword '{v}'\n    }\n}",
            "<key>KeychainPassword</key>\n<string>{v}</string>",
            'MATCH_PASSWORD="{v}" bundle exec fastlane match appstore',
            '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]\n"AutoAdminLogon"="1"\n"DefaultUserName"="jumpadmin"\n"DefaultPassword"="{v}"',
            'PS C:\\> $cred = New-Object PSCredential("QUILLMOOR\\jumpadmin", (ConvertTo-SecureString "{v}" -AsPlainText -Force))',
            "PS C:\\> New-LocalUser -Name svc-backup -Password (ConvertTo-SecureString '{v}' -AsPlainText -Force)",
            "C:\\> net user jumpadmin {v} /add",
            "C:\\> cmdkey /add:fs.quillmoor.internal /user:QUILLMOOR\\jumpadmin /pass:{v}",
            "<AutoLogon>\n  <Password>\n    <Value>{v}</Value>\n    <PlainText>true</PlainText>\n  </Password>\n</AutoLogon>",
            "ansible_become_password: {v}",
            "ansible_ssh_pass: '{v}'",
            'mysql_root_password: "{v}"',
            "opensearch_admin_password: {v}",
            "[jump]\njump-win.quillmoor.internal ansible_user=jumpadmin ansible_password={v} ansible_connection=winrm",
            '- name: set the desk DB password\n  community.mysql.mysql_user:\n    name: desk\n    password: "{v}"',
            "$ ansible-playbook site.yml -e 'ansible_become_pass={v}'",
            "plugins.security.ssl.http.keystore_password: {v}",
            "$ curl -XPUT -u 'admin:{v}' https://search.quillmoor.internal:9200/_cluster/settings",
            "$ opensearch-keystore add --stdin bootstrap.password <<< '{v}'",
            '{\\"username\\":\\"agent7\\",\\"password\\":\\"{v}\\"}',
            '"body": "{\\"password\\": \\"{v}\\"}"',
            '     "conn = psycopg2.connect(host=\\"warehouse\\", user=\\"analyst\\", password=\\"{v}\\")\\n",',
            '    "%env WAREHOUSE_PASSWORD={v}\\n",',
            "config: |\n  [client]\n  user = analyst\n  password = {v}",
            "settings: >-\n  host=warehouse.quillmoor.internal user=analyst\n  password={v}",
            "java.sql.SQLException: Access denied; connection string was jdbc:mysql://db:3306/desk?user=desk&password={v}",
            "    at com.quillmoor.desk.Db.<init>(Db.java:41)\nCaused by: DbConfigError: bad value for db.password={v}",
            'File "/srv/desk/export.py", line 88, in <module>\n    conn = pymysql.connect(user="desk", passwd="{v}")',
            '  - name: DESK_DB_PASSWORD\n    value: "{v}"',
            "INSERT INTO service_accounts (name, secret) VALUES ('desk-export', '{v}');",
            "ALTER ROLE analyst WITH PASSWORD '{v}';",
            "CREATE USER nb_export IDENTIFIED BY '{v}';",
            "db.createUser({ user: 'nb-export', pwd: '{v}', roles: ['read'] })",
            "| {t} | {who} | reset jumpadmin to `{v}` during the rebuild (rotated {t}) |",
            "> {who}: keystore pw is {v}",
            "Password: {v}",
            "signing:\n  password: |-\n    {v}",
            "vm.password={v}",
            "$ echo '{v}' | docker login registry.quillmoor.internal -u app-build --password-stdin",
            "signing.password={v}",
            "ossrhPassword={v}",
            "mavenCentralPassword={v}",
            "protocol=https\nhost=git.quillmoor.internal\nusername=qm-ci\npassword={v}",
        ],
    ),
    (
        "password-assignment",
        b64_config,
        [
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: desk-config\ndata:\n  application.properties: {v}",
            "$ echo {v} | base64 -d > /etc/desk/db.env",
            '{"kind":"Secret","data":{"my.cnf":"{v}"}}',
        ],
    ),
    (
        "password-assignment",
        pct_pw,
        [
            "POST /login HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nusername=agent7&password={v}&remember=1",
            '"postData": {"mimeType": "application/x-www-form-urlencoded", "text": "user=agent7&pass={v}"}',
            "GET /admin/reset?user=jumpadmin&newpw={v} HTTP/1.1",
        ],
    ),
    (
        "basic-auth",
        basic_cred,
        [
            '{"name":"Authorization","value":"Basic {v}"}',
            "PS C:\\> Invoke-WebRequest https://nexus.quillmoor.internal -Headers @{Authorization='Basic {v}'}",
            "  auth:\n    type: basic\n    header: |\n      Basic {v}",
            '     "headers = {\\"Authorization\\": \\"Basic {v}\\"}\\n",',
            '[http "https://git.quillmoor.internal"]\n\textraheader = AUTHORIZATION: basic {v}',
            '{"auths":{"registry.quillmoor.internal":{"auth":"{v}"}}}',
            "| {t} | {who} | replayed the export with `Authorization: Basic {v}` |",
            '2026-11-04T{t}:01Z ingress access upstream=desk headers={"authorization":"Basic {v}"}',
            "> {who}: the header is Basic {v}",
            'DOCKER_AUTH_CONFIG={"auths":{"registry.quillmoor.internal":{"auth":"{v}"}}}',
            "opensearch_basic: 'Basic {v}'",
        ],
    ),
    (
        "bearer-token",
        lambda: opaque(rng.choice([40, 48])),
        [
            '{"auth":{"type":"bearer","bearer":[{"key":"token","value":"{v}","type":"string"}]}}',
            'PS C:\\> Invoke-RestMethod https://support.quillmoor.internal/api/v2/users -Headers @{Authorization="Bearer {v}"}',
            '{"name":"authorization","value":"Bearer {v}"}',
            '     "requests.get(url, headers={\\"Authorization\\": \\"Bearer {v}\\"})\\n",',
            "| {t} | {who} | revoked bearer {v} |",
            "curl: (22) The requested URL returned error: 401\n> Authorization: Bearer {v}",
            "opensearch_dashboards.yml:\n  opensearch.requestHeadersAllowlist: [authorization]\n  # test header: Bearer {v}",
            "> {who}: bearer for the desk API is {v}",
            'httpClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "{v}");',
            "2026-11-04 {t}:09 DEBUG okhttp3: Authorization: Bearer {v}",
            'let headers = ["Authorization": "Bearer {v}"]',
        ],
    ),
    (
        "generic-api-key",
        lambda: opaque(rng.choice([32, 40])),
        [
            "SUPPORT_DESK_API_KEY={v}",
            "desk_api_key: {v}",
            "<key>DeskApiKey</key>\n<string>{v}</string>",
            "deskApiKey={v}",
            "GET /api/v1/search?q=refund&api_key={v} HTTP/1.1",
            '{"key":"apiKey","value":"{v}","type":"string"}',
            "PS C:\\> $env:DESK_API_KEY = '{v}'",
            '     "API_KEY = \\"{v}\\"\\n",',
            "| {t} | {who} | vendor rotated key {v} |",
            "$ desk-cli --api-key={v} export --since 2026-10-01",
            'buildConfigField "String", "ANALYTICS_KEY", "\\"{v}\\""',
        ],
    ),
]


# ---------------------------------------------------------------------------- less common secrets
RARE_SECRETS: list[tuple[str, Gen, list[str]]] = [
    (
        "gcp-key",
        gcp_api,
        [
            "MAPS_API_KEY={v}",
            "<key>API_KEY</key>\n<string>{v}</string>",
            '  "api_key": [{"current_key": "{v}"}],',
            '<meta-data android:name="com.google.android.geo.API_KEY" android:value="{v}"/>',
        ],
    ),
    (
        "gcp-key",
        gcp_oauth_secret,
        [
            "<key>CLIENT_SECRET</key>\n<string>{v}</string>",
            '{"installed":{"client_id":"qm-nb","client_secret":"{v}"}}',
        ],
    ),
    ("gcp-key", pre("ya29.a0", B64URL, 140), ['     "creds = Credentials(token=\\"{v}\\")\\n",']),
    (
        "gcp-service-account-key",
        gcp_sa_key,
        [
            '{"type":"service_account","project_id":"qm-play-publish","private_key":"{v}","client_email":"play-publisher@qm-play-publish.iam.gserviceaccount.com"}'
        ],
    ),
    (
        "azure-key",
        az_account_key,
        [
            "DefaultEndpointsProtocol=https;AccountName=qmnbexport;AccountKey={v};EndpointSuffix=core.windows.net",
            "PS C:\\> $ctx = New-AzStorageContext -StorageAccountName qmjumplogs -StorageAccountKey '{v}'",
        ],
    ),
    (
        "azure-key",
        az_sas_sig,
        [
            "https://qmnbexport.blob.core.windows.net/exports/tickets.csv?sv=2024-08-04&se=2026-12-01&sr=b&sp=r&sig={v}"
        ],
    ),
    (
        "azure-key",
        az_client_secret,
        ["AZURE_CLIENT_SECRET={v}", '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Quillmoor\\Agent]\n"ClientSecret"="{v}"'],
    ),
    (
        "gitlab-token",
        gl_token("glpat-"),
        [
            "PM-6210: the runner also had {v} for the mirror job.",
            "https://oauth2:{v}@gitlab.quillmoor.internal/ops/ansible.git",
        ],
    ),
    (
        "gitlab-token",
        gl_token("glrt-"),
        ['[[runners]]\n  name = "qm-win-1"\n  url = "https://gitlab.quillmoor.internal"\n  token = "{v}"'],
    ),
    ("gitlab-token", gl_token("gldt-"), ["ansible_galaxy_token: {v}"]),
    (
        "gitlab-token",
        gl_token("glptt-"),
        [
            "$ curl -X POST -F token={v} -F ref=main https://gitlab.quillmoor.internal/api/v4/projects/41/trigger/pipeline"
        ],
    ),
    (
        "vendor-token",
        openai_key,
        [
            '     "os.environ[\\"OPENAI_API_KEY\\"] = \\"{v}\\"\\n",',
            "PM-6222: the summarisation notebook used {v}.",
        ],
    ),
    ("vendor-token", anthropic_key, ['     "client = anthropic.Anthropic(api_key=\\"{v}\\")\\n",']),
    (
        "vendor-token",
        pre("hf_", ALNUM, 34),
        ['     "!huggingface-cli login --token {v}\\n",', "HF_TOKEN={v}"],
    ),
    (
        "vendor-token",
        pre("dapi", HEX, 32),
        ["[DEFAULT]\nhost = https://adb-41.azuredatabricks.net\ntoken = {v}"],
    ),
    ("vendor-token", fcm_key, ["PM-6203: the app's push server key {v} was in `gradle.properties`."]),
    ("vendor-token", twilio_sid("AC"), ["<key>TwilioAccountSid</key>\n<string>{v}</string>"]),
    ("vendor-token", twilio_sid("SK"), ["TWILIO_API_KEY={v}"]),
    (
        "vendor-token",
        hexk(32),
        ["TWILIO_AUTH_TOKEN={v}", "<key>AlgoliaAdminKey</key>\n<string>{v}</string>", "DD_API_KEY={v}"],
    ),
    ("vendor-token", lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43), ["SENDGRID_API_KEY={v}"]),
    ("vendor-token", pre("npm_", ALNUM, 36), ["//registry.npmjs.org/:_authToken={v}"]),
    ("vendor-token", pypi_token, ["[pypi]\nusername = __token__\npassword = {v}"]),
    ("vendor-token", pre("dckr_pat_", B64URL, 27), ["PS C:\\> docker login -u quillmoor -p {v}"]),
    ("vendor-token", pre("hvs.", B64URL, 24), ["VAULT_TOKEN={v}", "ansible_hashi_vault_token: {v}"]),
    ("vendor-token", tf_cloud, ['credentials "app.terraform.io" {\n  token = "{v}"\n}']),
    ("vendor-token", pre("dop_v1_", HEX, 64), ["DIGITALOCEAN_TOKEN={v}"]),
    ("vendor-token", atlassian, ["JIRA_API_TOKEN={v}"]),
    ("vendor-token", pre("shpat_", HEX, 32), ['<string name="shopify_admin_token">{v}</string>']),
    ("vendor-token", pre("sntrys_eyJpYXQiOjE3", B64URL, 120), ["SENTRY_AUTH_TOKEN={v}"]),
    (
        "vendor-token",
        lambda: "glsa_" + rs(ALNUM, 32) + "_" + rs(HEX, 8),
        ["grafana_service_account_token: {v}"],
    ),
    ("vendor-token", pre("NRAK-", UP + DIG, 27), ["NEW_RELIC_API_KEY={v}"]),
    ("vendor-token", pre("lin_api_", ALNUM, 40), ["> {who}: Linear key for the incident sync: {v}"]),
    ("vendor-token", mapbox, ["MAPBOX_DOWNLOADS_TOKEN={v}"]),
    ("vendor-token", pre("sbp_", HEX, 40), ["SUPABASE_ACCESS_TOKEN={v}"]),
    ("vendor-token", lambda: "tskey-auth-k" + rs(ALNUM, 17) + "-" + rs(ALNUM, 33), ["TS_AUTHKEY={v}"]),
    ("vendor-token", okta, ["Authorization: SSWS {v}"]),
    ("vendor-token", heroku, ["HEROKU_API_KEY={v}"]),
    ("vendor-token", dropbox, ['     "dbx = dropbox.Dropbox(\\"{v}\\")\\n",']),
    ("vendor-token", planetscale, ["$ pscale connect desk main --service-token {v}"]),
    ("vendor-token", cloudflare_token, ["CLOUDFLARE_API_TOKEN={v}"]),
    ("vendor-token", expo, ["EXPO_TOKEN={v}"]),
    ("vendor-token", teams_hook, ["PM-6214: the OOM alert also went to {v}."]),
    ("vendor-token", discord_hook, ["DISCORD_WEBHOOK={v}"]),
    ("vendor-token", age_key, ["# created: 2026-11-02\n# public key: age1qm\n{v}"]),
    ("vendor-token", hexk(32), ["BRAINTREE_PRIVATE_KEY={v}", '{"username":"qm-ds","key":"{v}"}']),
    ("vendor-token", hexk(40), ['     "!wandb login {v}\\n",', "WANDB_API_KEY={v}"]),
    (
        "vendor-token",
        hexk(48),
        [
            "    To access the server, open this file in a browser:\n    or copy and paste one of these URLs:\n        http://127.0.0.1:8888/lab?token={v}"
        ],
    ),
    ("vendor-token", hexk(64), ["c.JupyterHub.services = [{'name': 'idle-culler', 'api_token': '{v}'}]"]),
    (
        "vendor-token",
        lambda: f"bot{rng.randint(5_000_000_000, 7_999_999_999)}:AA{rs(B64URL, 33)}",
        ['     "requests.post(f\\"https://api.telegram.org/{v}/sendMessage\\", data=msg)\\n",'],
    ),
    ("vendor-token", lambda: rs(ALNUM, 40), ["ZENDESK_API_TOKEN={v}", "FRESHDESK_API_KEY={v}"]),
    ("vendor-token", lambda: "dG9rOj" + rs(B64, 54) + "=", ["INTERCOM_ACCESS_TOKEN={v}"]),
    ("vendor-token", lambda: "11" + rs(HEX, 32), ["jenkins_api_token: {v}"]),
    ("vendor-token", lambda: "AKCp8" + rs(ALNUM, 68), ["artifactory_api_key={v}"]),
    (
        "vendor-token",
        lambda: "pcsk_" + rs(ALNUM, 5) + "_" + rs(ALNUM, 64),
        ['     "pc = Pinecone(api_key=\\"{v}\\")\\n",'],
    ),
    ("vendor-token", lambda: "sk_" + rs(ALNUM, 32), ["<key>RevenueCatSecretKey</key>\n<string>{v}</string>"]),
    (
        "azure-key",
        lambda: rs("abcdefghijklmnopqrstuvwxyz234567", 52),
        ["PS C:\\> $env:AZURE_DEVOPS_EXT_PAT = '{v}'"],
    ),
    (
        "azure-key",
        lambda: b64(rbytes(32)),
        [
            "Endpoint=sb://qm-desk.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}"
        ],
    ),
    (
        "azure-key",
        lambda: b64(rbytes(64)),
        [
            '{\n  "CosmosDb": {\n    "Endpoint": "https://qm-desk.documents.azure.com:443/",\n    "Key": "{v}"\n  }\n}'
        ],
    ),
    (
        "password-assignment",
        gpp_cpassword,
        ['<Properties action="U" userName="jumpadmin" cpassword="{v}" changeLogon="0" />'],
    ),
    (
        "password-assignment",
        unattend_pw,
        [
            "<AdministratorPassword>\n  <Value>{v}</Value>\n  <PlainText>false</PlainText>\n</AdministratorPassword>"
        ],
    ),
    ("password-assignment", apple_app_pw, ["FASTLANE_APPLE_APPLICATION_SPECIFIC_PASSWORD={v}"]),
    ("vendor-token", lambda: "key-" + rs(HEX, 32), ["MAILGUN_API_KEY={v}"]),
    ("vendor-token", lambda: "EAAA" + rs(B64URL, 60), ["<key>SquareAccessToken</key>\n<string>{v}</string>"]),
    ("vendor-token", uuid4, ["CODECOV_TOKEN={v}", "X-Postmark-Server-Token: {v}", "SNYK_TOKEN={v}"]),
]


# ---------------------------------------------------------------------------- personal data
next_phone = numbered(phone)


COMMON_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "email",
        email,
        [
            "ticket_id,requester_email,subject\n88412,{v},refund not received",
            "PM-6229: the export went to {v}, a former agent's personal mailbox.",
            '{"name":"X-Requester","value":"{v}"}',
            "2026-11-04 {t}:02 INFO  desk.mailer - delivered reply to <{v}> (ticket 88419)",
            '     "df[df.email == \\"{v}\\"]\\n",',
            "<key>SupportContact</key>\n<string>{v}</string>",
            "| {t} | {who} | {v} reported seeing another customer's ticket |",
            "UPDATE requesters SET email = '{v}' WHERE id = 88412;",
            "Kontakt-E-Mail: {v}",
            "reply_to: |\n  {v}",
            "PS C:\\> Get-ADUser -Filter \"EmailAddress -eq '{v}'\"",
            "> {who}: the Play Console account belongs to {v}",
            "name=Liesel+Dahlberg&email={v}&topic=billing",
            "Adres e-mail: {v}",
        ],
    ),
    (
        "phone",
        next_phone,
        [
            "ticket_id,requester_phone\n88413,{v}",
            "PM-6229: the callback field held {v}.",
            '{"name":"phone","value":"{v}"}',
            "| {t} | {who} | called the customer back on {v} |",
            "2026-11-04 {t}:41 WARN  desk.sms - delivery failed to={v} code=30006",
            "> {who}: my number for the bridge is {v}",
            "Telefon: {v}",
            "  callback: |\n    {v}",
            "INSERT INTO callbacks (ticket_id, phone) VALUES (88415, '{v}');",
            "RB-41: the on-call escalation line for the jump host is {v}.",
            "<key>SupportPhone</key>\n<string>{v}</string>",
            "Puh.: {v}",
            "name=Niamh+Kearney&phone={v}&consent=yes",
            "PM-6203: a beta tester's number, {v}, was in the crash log.",
        ],
    ),
    (
        "credit-card",
        card,
        [
            'ticket_id,body\n88417,"please refund card {v}, thanks"',
            "PM-6229: three tickets had full card numbers in the body, e.g. {v}.",
            '{"name":"card","value":"{v}"}',
            "| {t} | {who} | scrubbed {v} from ticket 88417 |",
            "2026-11-04 {t}:29 ERROR desk.billing - refund failed pan={v}",
            "> {who}: customer pasted {v} into the chat widget",
            '     "df.loc[df.card == \\"{v}\\"]\\n",',
            "SELECT id FROM tickets WHERE body LIKE '%{v}%';",
            "card_number={v}&exp=09%2F29",
            "Kartennummer: {v}",
        ],
    ),
    (
        "ipv4",
        public_v4,
        [
            "PM-6210: the runner token was used from {v}.",
            '{"name":"X-Forwarded-For","value":"{v}"}',
            "| {t} | {who} | blocked {v} on the WAF |",
            "2026-11-04T{t}:55Z sshd[{pid}]: Failed password for jumpadmin from {v} port 49152 ssh2",
            "An account failed to log on.\n  Source Network Address: {v}\n  Logon Type: 10",
            "PM-6222: the notebook server was reached from {v}.",
            "> {who}: {v} pulled the export twice",
            '{v} - - [04/Nov/2026:{t}:18 +0000] "GET /api/tickets/export HTTP/1.1" 200 81231',
        ],
    ),
    (
        "ipv6",
        public_v6,
        [
            "PM-6210: a second source was {v}.",
            '{"remote_ip":"{v}","path":"/api/v2/users"}',
            "| {t} | {who} | rate-limited {v} |",
            "Source Network Address: {v}",
            "> {who}: jupyter was hit from {v}",
            "PM-6229: the export download came from {v}.",
        ],
    ),
    ("national-id", ssn, ['ticket_id,body\n88421,"my SSN is {v}, please verify"']),
]


RARE_PERSONAL: list[tuple[str, Gen, list[str]]] = [
    (
        "national-id",
        steuer_id,
        [
            "PM-6229: a Berlin customer sent their Steuer-ID {v} in a ticket.",
            "steuer_id,name\n{v},Liesel Falkenrath",
        ],
    ),
    (
        "national-id",
        codice_fiscale,
        ["PM-6229: an Italian customer's codice fiscale {v} was in the export.", "Codice fiscale: {v}"],
    ),
    (
        "national-id",
        pesel,
        ["PM-6229: a Polish requester wrote PESEL {v} in the body.", "pesel;imie\n{v};Jolanta"],
    ),
    ("national-id", belgian_nn, ["Rijksregisternummer: {v}"]),
    (
        "national-id",
        fnr,
        ["PM-6229: a Norwegian customer's fødselsnummer {v} was attached.", '  "fodselsnummer": "{v}"'],
    ),
    ("national-id", hetu, ["Henkilötunnus: {v}"]),
    ("national-id", china_ric, ["PM-6229: a Shenzhen reseller's resident ID {v} was on the invoice scan."]),
    ("national-id", nric, ["> {who}: Singapore customer gave NRIC {v} for verification"]),
    ("national-id", ppsn, ["PPS number: {v}"]),
    ("national-id", rrn, ["PM-6229: a Seoul customer's resident registration number {v} was in a ticket."]),
    ("national-id", za_id, ["id_number,name\n{v},Emeka Achebe"]),
    (
        "iban",
        one_of(*(iban(c) for c in ["DE", "AT", "CH", "IE", "PT", "SE", "NO", "DK", "FI"])),
        [
            "PM-6229: refund to {v} (Munich customer) was in the ticket body.",
            "iban;name\n{v};Hanne Lundgren",
            '{"name":"iban","value":"{v}"}',
            "> {who}: the customer's IBAN is {v}",
            "  refund_iban: |\n    {v}",
            "IBAN: {v}",
            "PM-6229: a Lisbon customer's account {v} was in the export.",
            "refund_account={v}&amount=41.00",
            "Kontonummer (IBAN): {v}",
        ],
    ),
]


# ---------------------------------------------------------------------------- look-alikes


def arn() -> str:
    acct = rs(DIG, 12)
    return rng.choice(
        [
            f"arn:aws:iam::{acct}:user/notebook-export",
            f"arn:aws:s3:::quillmoor-nb-archive/{rs(LOW, 6)}",
            f"arn:aws:es:eu-west-1:{acct}:domain/search-prod",
            f"arn:aws:secretsmanager:eu-west-1:{acct}:secret:desk/db-{rs(ALNUM, 6)}",
            f"arn:aws:kms:eu-west-1:{acct}:key/{uuid4()}",
        ]
    )


def b64_plain() -> str:
    return b64(
        rng.choice(
            [
                b'{"cell_type":"markdown","source":"# Churn"}',
                b"jump host rebuilt 2026-11-05",
                b"release 4.12.0 signed",
                b'{"index":"tickets-2026.11","shards":6}',
                b"ansible inventory v2",
                b"keystore renewed, expires 2027-11",
                b"refund policy: 30 days",
                b"runner qm-win-1 re-registered",
            ]
        )
    )


def ssh_pub() -> str:
    return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(B64, 43) + f" {rng.choice(ONCALL)}@jump-win"


cert_pem = partial(draw.cert_pem_block, "MIIDdzCCAl+gAwIBAgIU")


pub_pem = draw.ec_pub_pem


def ex_email() -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}@" + rng.choice(
        ["example.com", "example.org", "quillmoor.example", "desk.test", "example.net"]
    )


def rsv_ip() -> str:
    return rng.choice(
        [
            priv_ip(),
            f"192.0.2.{rng.randint(1, 254)}",
            f"198.51.100.{rng.randint(1, 254)}",
            f"203.0.113.{rng.randint(1, 254)}",
            f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"2001:db8:{rs(HEX, 4).lstrip('0') or '1'}::{rng.randint(1, 99)}",
            f"fd12:3456:{rs(HEX, 4).lstrip('0') or '9'}::1",
            f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}",
            "127.0.0.1",
        ]
    )


long_id = draw.long_id


def bad_pesel() -> str:
    while True:
        d = f"{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rs(DIG, 5)}"
        if not pesel_ok(d):
            return d


def bad_steuer() -> str:
    while True:
        d = str(rng.randint(1, 9)) + rs(DIG, 10)
        if not steuer_ok(d):
            return d


def fingerprint() -> str:
    return ":".join(rs(HEX, 2).upper() for _ in range(20))


NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "git-sha",
        sha40,
        [
            "PM-6210: the runner image was rebuilt from {v}.",
            "| {t} | {who} | reverted {v} |",
            "PS C:\\> git checkout {v}",
            "  ansible_collection_ref: {v}",
            "ADR-150: the inventory split landed in {v}.",
            "PM-6203: the signing config moved out of `build.gradle` in {v}.",
            '{"sha":"{v}","ref":"refs/heads/main","pusher":"qm-ci"}',
            "Already up to date.\nHEAD is now at {v} RB-44: renew search certs",
            '     "!git -C models checkout {v}\\n",',
            "> {who}: the base64 looked secret but it was {v}",
            "PM-6214: heap settings were last changed in {v}.",
            "RB-44 step 1: check out tls-tools at {v}.",
            "CI_COMMIT_SHA={v}",
            "<key>GitCommit</key>\n<string>{v}</string>",
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            "PM-6229: the export job id was {v}.",
            '{"id":"{v}","name":"Desk API","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}',
            "PS C:\\> Get-AzRoleAssignment -ObjectId {v}",
            "| {t} | {who} | opened incident {v} |",
            '  "metadata": {"kernelspec": {"name": "python3"}, "id": "{v}"},',
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{{v}}]",
            "AZURE_TENANT_ID={v}",
            "RB-41: the jump host's machine GUID is {v}.",
            "2026-11-04 {t}:33 INFO  desk.export - job={v} rows=4120",
            "<key>UIDeviceIdentifier</key>\n<string>{v}</string>",
            "runner_uuid: {v}",
            '     "run_id = \\"{v}\\"\\n",',
            "X-Request-Id: {v}",
            "ADR-150: each host gets `qm_host_id: {v}` as a stable id.",
        ],
    ),
    (
        "hash-or-digest",
        one_of(
            *(
                ["sha256:" + rs(HEX, 64) for _ in range(5)]
                + ["sha512-" + b64(rbytes(64)) for _ in range(3)]
                + [rs(HEX, 64) for _ in range(4)]
                + [rs(HEX, 32) for _ in range(3)]
            )
        ),
        [
            "PM-6210: the runner pulled `qm/runner@{v}`.",
            "  image: registry.quillmoor.internal/desk@{v}",
            "| {t} | {who} | pinned the base image to {v} |",
            "RB-41: the installer's published digest is {v}.",
            "PM-6203: the AAB artifact digest {v} matches the Play upload.",
            '      "integrity": "{v}",',
            "ADR-150: collection tarball checksum {v}.",
            "PM-6222: the notebook export zip has checksum {v}.",
            "Get-FileHash C:\\install\\agent.msi -Algorithm SHA256\nHash: {v}",
            "search-indexer.jar SHA-256 {v}",
            "RB-44: truststore.jks sha256sum {v}",
            "PS C:\\> (Get-FileHash .\\jump.ps1).Hash -eq '{v}'",
            "md5: {v}",
            'ETag: "{v}"',
            "  checksum: {v}",
        ],
    ),
    (
        "trace-id",
        one_of(
            *(
                [f"00-{rs(HEX, 32)}-{rs(HEX, 16)}-01" for _ in range(4)]
                + [f"Root=1-{rs(HEX, 8)}-{rs(HEX, 24)}" for _ in range(3)]
                + [rs(HEX, 32) for _ in range(4)]
                + [rs(HEX, 16) for _ in range(3)]
            )
        ),
        [
            "traceparent: {v}",
            "PM-6214: the slow query trace was {v}.",
            '{"name":"traceparent","value":"{v}"}',
            "2026-11-04 {t}:12 ERROR search.query - timeout trace={v}",
            "X-Amzn-Trace-Id: {v}",
            "PM-6229: export request trace {v}.",
            "| {t} | {who} | followed trace {v} through the gateway |",
            "sentry_event_id={v}",
            "trace_id: {v}",
            "> {who}: trace is {v}",
            "otel.trace_id={v}",
            "PM-6210: the job log trace {v} shows the token read.",
            "span_id={v}",
            "X-B3-TraceId: {v}",
        ],
    ),
    (
        "cloud-resource-id",
        lambda: rng.choice(
            [
                arn(),
                f"/subscriptions/{uuid4()}/resourceGroups/rg-jump/providers/Microsoft.Compute/virtualMachines/jump-win-2",
                f"projects/qm-play-publish/serviceAccounts/play-publisher@qm-play-publish.iam.gserviceaccount.com/keys/{rs(HEX, 40)}",
                f"i-{rs(HEX, 17)}",
                f"ocid1.bucket.oc1.eu-amsterdam-1.{rs(LOW + DIG, 60)}",
            ]
        ),
        [
            "PM-6222: the notebook bucket is {v}.",
            "| {t} | {who} | tagged {v} for deletion |",
            "RB-41: the jump host is {v}.",
            "ADR-150: inventory plugin reads {v}.",
            "PM-6214: the search domain is {v}.",
            "  resource: {v}",
            "PM-6203: Play publishing runs as {v}.",
            "> {who}: is {v} still in use?",
            "PS C:\\> Get-AzResource -ResourceId '{v}'",
            "PM-6229: the export bucket resource was {v}.",
            "RB-44: the cert store lives on {v}.",
            "resource_id={v}",
        ],
    ),
    (
        "placeholder",
        one_of(
            "<your-github-token>",
            "CHANGE_ME",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "REPLACE_WITH_STORE_PASSWORD",
            "<api-key>",
            "sk_live_YOUR_KEY_HERE",
            "********",
            "YOUR_MAPS_API_KEY",
            "__KEYSTORE_PASSWORD__",
            "TODO",
            "<password>",
            "<paste token here>",
            "AKIAXXXXXXXXXXXXXXXX",
            "user:pass",
            "REDACTED",
            "dummy",
        ),
        [
            "GITHUB_TOKEN={v}",
            "ansible_become_password: {v}",
            "RELEASE_STORE_PASSWORD={v}",
            "storepass={v}",
            '{"key":"apiKey","value":"{v}","type":"string"}',
            "STRIPE_SECRET_KEY={v}",
            '"DefaultPassword"="{v}"',
            "<key>API_KEY</key>\n<string>{v}</string>",
            "server.ssl.key-store-password={v}",
            "opensearch_admin_password: {v}  # set per environment",
            '     "PASSWORD = \\"{v}\\"\\n",',
            "Authorization: Bearer {v}",
            "PS C:\\> Set-AWSCredential -AccessKey {v} -SecretKey $s -StoreAs jump",
            "$ curl -u {v} https://desk.quillmoor.example/api",
            "DESK_API_KEY={v}",
            "keyPassword {v}",
        ],
    ),
    (
        "templated-value",
        one_of(
            "{{ vault_desk_db_password }}",
            "${{ secrets.PLAY_SERVICE_ACCOUNT }}",
            "$(RELEASE_STORE_PASSWORD)",
            "${env:JUMP_ADMIN_PASSWORD}",
            "{{ lookup('env', 'OPENSEARCH_PASSWORD') }}",
            "$env:DESK_API_KEY",
            "%JUMP_PASSWORD%",
            "{{.Env.SLACK_TOKEN}}",
            "${ANDROID_KEYSTORE_PASSWORD}",
            "{{ '{{' }}api_key{{ '}}' }}",
            "$(System.AccessToken)",
            "#{DeskApiKey}",
            "{{ lookup('community.hashi_vault.hashi_vault', 'secret=kv/desk:token') }}",
            "${{ vars.NOTEBOOK_BUCKET }}",
        ),
        [
            'desk_db_password: "{v}"',
            "      token: {v}",
            "RELEASE_STORE_PASSWORD={v}",
            "PS C:\\> $cred = ConvertTo-SecureString {v} -AsPlainText -Force",
            'opensearch_admin_password: "{v}"',
            "$headers = @{ 'X-Api-Key' = {v} }",
            "C:\\> net use Z: \\\\fs\\ops /user:jumpadmin {v}",
            "slack_token: '{v}'",
            'storePassword "{v}"',
            'api_key: "{v}"',
            "        env:\n          SYSTEM_ACCESSTOKEN: {v}",
            '<add key="DeskApiKey" value="{v}" />',
            'desk_token: "{v}"',
            "bucket: {v}",
        ],
    ),
    (
        "masked-value",
        one_of(
            "ghp_****************************",
            "AKIA************WXYZ",
            "sk_live_…4f2a",
            "$ANSIBLE_VAULT;1.1;AES256\n          " + "\n          ".join(rs(HEX, 64) for _ in range(3)),
            "***",
            "[MASKED]",
            "xoxb-…-…",
            "AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq" + rs(B64, 60),
            "••••••••",
            "<redacted>",
            "[FILTERED]",
            "hvs.****",
        ),
        [
            "PM-6210: the job log shows `GITHUB_TOKEN={v}`, so masking worked for that one.",
            "| {t} | {who} | AWS key {v} listed in the credential report |",
            "> {who}: Stripe shows the key as {v}",
            "desk_db_password: !vault |\n          {v}",
            "password: {v}",
            "2026-11-04 {t}:19 INFO  ci - token={v}",
            "PM-6214: the bot token appears as {v} in the audit view.",
            "spec:\n  encryptedData:\n    password: {v}",
            "Passwort: {v}",
            "Authorization: {v}",
            '{"name":"Authorization","value":"{v}"}',
            "$env:VAULT_TOKEN = '{v}'",
        ],
    ),
    (
        "keyword-no-value",
        one_of(
            "storepass",
            "DefaultPassword",
            "RELEASE_STORE_PASSWORD",
            "ansible_become_password",
            "AWS_SECRET_ACCESS_KEY",
            "client_secret",
            "Authorization: Bearer",
            "password",
            "api_key",
            "private_key",
            "GITHUB_TOKEN",
            "keyPassword",
            "plugins.security.ssl.http.keystore_password",
            "X-Api-Key",
        ),
        [
            "RB-44: keytool asks for {v} twice; type it, never pass it on the command line.",
            "RB-41: delete the {v} value from Winlogon after the first boot.",
            "PM-6203: {v} is read from the CI secret store now.",
            "ADR-150: {v} comes from the vault lookup, never from group_vars.",
            "PM-6222: the notebook read {v} from the environment.",
            "> {who}: where does the desk app get {v} from?",
            "PM-6229: requests without {v} are rejected with 401.",
            "PM-6214: the OOM dump contained the literal word {v} and nothing after it.",
            "PM-6222: a cell printed the dict keys, including {v}, but not the values.",
            "ADR-150: rotate every {v} the old inventory listed.",
            "PM-6210: the runner had {v} set in its environment.",
            "PM-6203: `{v}` is missing from gradle.properties on purpose.",
            "RB-44: {v} must match the keystore's.",
            "PM-6229: the API rejected calls missing {v}.",
        ],
    ),
    (
        "private-or-reserved-ip",
        rsv_ip,
        [
            "RB-41: the jump host gets {v}.",
            "| {t} | {who} | moved the runner to {v} |",
            "[jump]\njump-win ansible_host={v}",
            "PM-6214: the data node at {v} died first.",
            "  network.host: {v}",
            "Source Network Address: {v}\n  Logon Type: 3",
            "PS C:\\> Test-NetConnection {v} -Port 5986",
            '{"remote_ip":"{v}","path":"/healthz"}',
            "PM-6222: JupyterHub listens on {v}.",
            '{v} - - [04/Nov/2026:{t}:05 +0000] "GET /healthz HTTP/1.1" 200 2',
            "ADR-150: the inventory's bastion is {v}.",
            "> {who}: ping {v}",
            'discovery.seed_hosts: ["{v}"]',
            "PM-6229: the desk app's DB is at {v}.",
            "ListenAddress {v}",
            "nameserver {v}",
        ],
    ),
    (
        "example-email",
        ex_email,
        [
            "ticket_id,requester_email\n10001,{v}",
            "PM-6229: the test fixture user is {v}.",
            '{"name":"X-Requester","value":"{v}"}',
            "From: {v}\nSubject: refund test",
            '     "df[df.email == \\"{v}\\"]  # fixture\\n",',
            "> {who}: use {v} for the repro",
            "ADR-150: the inventory owner tag defaults to {v}.",
            "<key>SupportContact</key>\n<string>{v}</string>",
            "RB-41: the jump host's test account is {v}.",
            "PM-6203: Play internal testers list starts with {v}.",
            "name=Test+User&email={v}&topic=billing",
            "notify: {v}",
        ],
    ),
    (
        "vendor-example-key",
        one_of(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            "android",
            "changeit",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "admin",
            "AKIAI44QH8DHBEXAMPLE",
            "changeme",
        ),
        [
            "PM-6210: the leaked variable turned out to be AWS's documentation key {v}.",
            "aws_secret_access_key: {v}  # from the AWS docs",
            "PM-6229: the API docs page shows {v} as its sample token.",
            "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={v};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
            "signingConfigs {\n    debug {\n        storeFile file('debug.keystore')\n        storePassword '{v}'  // the SDK's debug keystore\n    }\n}",
            "RB-44: the JDK's default cacerts password is `{v}`; our own keystores never use it.",
            "stripe.secretKey={v}  # Stripe docs test key",
            "OPENSEARCH_INITIAL_ADMIN_USER={v}",
            "> {who}: {v} is the second key in the AWS docs",
            "opensearch_demo_password: {v}  # the chart's documented default, overridden in prod",
        ],
    ),
    (
        "version-or-date",
        one_of(
            "4.12.0",
            "v17.5.2",
            "4.12.1",
            "2.17.1",
            "2026-11-05T09:12:33Z",
            "10.0.26100.2314",
            "4.12.0 (41207)",
            "2.17.6",
            "Android 15 (API 35)",
            "2.1.0-rc.3",
            "3.12.7",
            "17.0.13",
            "8.7.3",
            "r20261104",
        ),
        [
            "PM-6203: the leaked key signed release {v}.",
            "PM-6210: runner version {v}.",
            'versionName "{v}"',
            "PM-6214: OpenSearch {v} on all data nodes.",
            "RB-44: the renewal was done on {v}.",
            "Microsoft Windows [Version {v}]",
            "<key>CFBundleShortVersionString</key>\n<string>{v}</string>",
            "ADR-150: ansible-core {v}.",
            "PM-6203: crash seen on {v} only.",
            "PM-6229: the desk app's version was {v}.",
            '  "language_info": {"name": "python", "version": "{v}"},',
            'openjdk version "{v}"',
            "> {who}: bump to {v}",
            "release_tag={v}",
        ],
    ),
    (
        "public-key-or-cert",
        one_of(
            ssh_pub(),
            ssh_pub(),
            cert_pem(),
            cert_pem(),
            pub_pem(),
            pub_pem("\\n"),
            "age1" + rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
            fingerprint(),
            "SHA256:" + b64(rbytes(32)).rstrip("="),
            ssh_pub(),
            cert_pem(),
        ),
        [
            "RB-41: add the on-call key to `authorized_keys`:\n{v}",
            "ansible_authorized_key: {v}",
            "RB-44: the new search node certificate:\n{v}",
            "tls:\n  ca.crt: |\n    see below\n{v}",
            "PM-6203: the upload key's public half:\n{v}",
            '{"kid":"qm-1","public_key":"{v}"}',
            "creation_rules:\n  - age: {v}",
            "RB-44: the keystore entry's SHA-1 fingerprint is {v}.",
            "The ECDSA key fingerprint is {v}.",
            "PS C:\\> Add-Content $env:ProgramData\\ssh\\administrators_authorized_keys '{v}'",
            "PM-6214: the node's transport certificate:\n{v}",
        ],
    ),
    (
        "ids-and-numbers",
        one_of(
            long_id(),
            bad_pesel(),
            bad_steuer(),
            f"INC{rs(DIG, 7)}",
            f"{rng.randint(10**9, 10**10)}",
            f"ch_3{rs(ALNUM, 24)}",
            f"re_{rs(ALNUM, 24)}",
            f"{rs(HEX, 24)}",
            f"S-1-5-21-{rng.randint(10**9, 4 * 10**9)}-{rng.randint(10**9, 4 * 10**9)}-{rng.randint(10**9, 4 * 10**9)}-1104",
            f"com.quillmoor.desk.{rs(LOW, 6)}",
            f"{rng.randint(1_700_000_000, 1_799_999_999)}.{rs(DIG, 6)}",
            f"1:{rs(DIG, 12)}:android:{rs(HEX, 16)}",
            f"{rs(DIG, 12)}-{rs(LOW + DIG, 32)}.apps.googleusercontent.com",
            long_id(),
            long_id(),
            long_id(),
        ),
        [
            "PM-6229: the Zendesk-style ticket external id is {v}.",
            "PM-6229: a PESEL-shaped number, {v}, fails its check digit (it is an order number).",
            "steuer_id_check_failed={v}",
            "| {t} | {who} | opened {v} |",
            "PM-6214: shard allocation id {v}.",
            "PM-6229: Stripe charge {v} was the refunded one.",
            "PM-6229: Stripe refund object {v}.",
            'db.tickets.find({_id: ObjectId("{v}")})',
            "RB-41: the local admin SID is {v}.",
            "PM-6203: application id {v}.",
            "thread_ts={v}",
            "<key>GOOGLE_APP_ID</key>\n<string>{v}</string>",
            "<key>CLIENT_ID</key>\n<string>{v}</string>",
            "PM-6210: job id {v}.",
            "PM-6222: the notebook's kernel id {v}.",
            "order_ref={v}",
        ],
    ),
    (
        "luhn-fail-number",
        luhn_bad,
        [
            'ticket_id,body\n88520,"order {v} never arrived"',
            "PM-6229: the number {v} in ticket 88520 is an order number; it fails Luhn.",
            '{"name":"order","value":"{v}"}',
            "2026-11-04 {t}:14 INFO desk.orders - lookup order={v}",
            "> {who}: {v} is a tracking number, not a card",
            "SELECT * FROM orders WHERE ref = '{v}';",
            '     "orders.loc[\\"{v}\\"]\\n",',
            "tracking={v}",
            "Bestellnummer: {v}",
            "| {t} | {who} | looked up shipment {v} |",
        ],
    ),
    (
        "documented-test-card",
        one_of(
            "4242 4242 4242 4242",
            "4000056655665556",
            "5555555555554444",
            "378282246310005",
            "6011111111111117",
            "3530111333300000",
            "5454545454545454",
            "4000000000003220",
            "4111 1111 1111 1111",
            "2223003122003222",
        ),
        [
            "PM-6229: the refund was tested with card {v}.",
            "card_number={v}&exp=12%2F34",
            '{"name":"card","value":"{v}"}',
            '     "pay(card=\\"{v}\\")  # Stripe test card\\n",',
            "> {who}: use {v} in staging",
            "RB-44: the payment page smoke test uses {v}.",
            "TEST_CARD={v}",
            "| {t} | {who} | ran the checkout test with {v} |",
            "Testkarte: {v}",
            "  test_card: '{v}'",
        ],
    ),
    (
        "base64-nonsecret",
        b64_plain,
        [
            "PM-6222: cell 7's output was {v}, a plain status string.",
            "data:\n  note: {v}",
            '{"name":"X-Desk-Context","value":"{v}"}',
            "$ echo {v} | base64 -d",
            "| {t} | {who} | decoded {v}: harmless |",
            "<key>BuildNote</key>\n<string>{v}</string>",
            "  annotation: {v}",
            "> {who}: it's just {v}",
            "PS C:\\> [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('{v}'))",
            "PM-6214: the index metadata blob was {v}.",
            "ADR-150: host_vars note {v}.",
            "PM-6210: the runner label was {v}.",
        ],
    ),
]


# Look-alikes in the file formats this fold adds: notebooks, HAR and Postman exports, plists,
# Gradle files, the Windows registry and Group Policy.
FORMAT_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "base64-nonsecret",
        lambda: "iVBORw0KGgoAAAANSUhEUgAA" + rs(B64, rng.randint(60, 90)) + "=",
        [
            '     "output_type": "display_data",\n     "data": {"image/png": "{v}"}',
            '"content": {"mimeType": "image/png", "encoding": "base64", "text": "{v}"}',
            "<key>LaunchIconData</key>\n<data>{v}</data>",
        ],
    ),
    (
        "ids-and-numbers",
        one_of(
            rs(UP + DIG, 10),
            str(rng.randint(10**9, 10**10 - 1)),
            "4625",
            f"KB50{rng.randint(10000, 99999)}",
            "dword:00000001",
            str(rng.randint(40, 90)),
            f"{rng.randint(100000, 999999)}",
            "com.quillmoor.desk",
        ),
        [
            "<key>DEVELOPMENT_TEAM</key>\n<string>{v}</string>",
            "PM-6203: the App Store app id is {v}.",
            "RB-41: Security log event {v} (failed logon) fired 3,112 times.",
            "PS C:\\> Get-HotFix -Id {v}",
            '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server]\n"fDenyTSConnections"={v}',
            '   "execution_count": {v},',
            '{"pageref":"page_1","time":41.2,"_requestId":"{v}.1"}',
            'applicationId "{v}"',
        ],
    ),
    (
        "keyword-no-value",
        one_of("DefaultPassword", "cpassword", "STOREPASS", "password_file", "password"),
        [
            '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]\n"{v}"=-',
            '<Properties action="U" userName="jumpadmin" {v}="" changeLogon="0" />',
            "$ keytool -list -keystore search.jks -storepass:env {v}",
            "desk_db:\n  {v}: /run/secrets/desk-db",
            '- name: create the desk user\n  no_log: true\n  ansible.builtin.user:\n    name: desk\n    {v}: "{{ desk_hash }}"',
        ],
    ),
    (
        "templated-value",
        one_of(
            "$(MAPS_API_KEY)",
            'project.findProperty("RELEASE_STORE_PASSWORD")',
            "(Get-Secret -Name DeskApiKey -AsPlainText)",
            "{{deskApiKey}}",
            "{{ desk_api_key | mandatory }}",
        ),
        [
            "<key>GMSApiKey</key>\n<string>{v}</string>",
            "storePassword {v}",
            "PS C:\\> $key = {v}",
            '{"key":"x-api-key","value":"{v}","type":"text"}',
            'desk_api_key_effective: "{v}"',
        ],
    ),
    (
        "masked-value",
        one_of(
            "[redacted by exporter]",
            "ENC[AES256_GCM,data:"
            + rs(B64, 24)
            + ",iv:"
            + rs(B64, 43)
            + "=,tag:"
            + rs(B64, 22)
            + "==,type:str]",
            "●●●●●●●●●●",
        ),
        [
            '{"name":"Authorization","value":"{v}"}',
            "desk_db_password: {v}",
            "<key>KeychainPassword</key>\n<string>{v}</string>",
        ],
    ),
    (
        "private-or-reserved-ip",
        rsv_ip,
        [
            '"serverIPAddress": "{v}",',
            "PS C:\\> New-NetIPAddress -InterfaceAlias Ethernet0 -IPAddress {v} -PrefixLength 24",
            "<key>DebugServerHost</key>\n<string>{v}</string>",
        ],
    ),
    (
        "example-email",
        ex_email,
        [
            '{"key":"requester","value":"{v}","type":"text"}',
            '"postData": {"mimeType": "application/json", "text": "{\\"email\\":\\"{v}\\"}"}',
        ],
    ),
    (
        "uuid",
        uuid4,
        [
            '"info": {"_postman_id": "{v}", "name": "Desk API"}',
            '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography]\n"MachineGuid"="{v}"',
        ],
    ),
    (
        "version-or-date",
        one_of("1.2", "compileSdk 35", "4.5"),
        [
            '"log": {"version": "{v}", "creator": {"name": "Firefox", "version": "132.0"}}',
            "android {\n    {v}\n}",
            ' "nbformat": {v},',
        ],
    ),
    (
        "documented-test-card",
        one_of("4000000000000077"),
        [
            '"postData": {"mimeType": "application/x-www-form-urlencoded", "text": "card[number]={v}&card[cvc]=123"}'
        ],
    ),
    (
        "public-key-or-cert",
        lambda: ":".join(rs(HEX, 2).upper() for _ in range(32)),
        [
            '[{"relation": ["delegate_permission/common.handle_all_urls"], "target": {"namespace": "android_app", "package_name": "com.quillmoor.desk", "sha256_cert_fingerprints": ["{v}"]}}]',
            "PM-6203: the upload certificate's SHA-256 fingerprint is {v}.",
        ],
    ),
    ("git-sha", sha40, ['     "!pip install git+https://git.quillmoor.internal/ds/qmtools.git@{v}\\n",']),
]

RARE_NEGATIVES: list[tuple[str, Gen, list[str]]] = [
    (
        "cloud-resource-id",
        one_of(
            "search-prod.eu-west-1.es.amazonaws.com",
            "qmnbexport.blob.core.windows.net",
            "qm-play-publish.firebaseapp.com",
            "adb-41.azuredatabricks.net",
        ),
        [
            "PM-6214: the search endpoint is {v}.",
            "PM-6222: the notebook storage account is {v}.",
            "PM-6203: Firebase hosting domain {v}.",
            "PM-6222: Databricks workspace {v}.",
        ],
    ),
    (
        "keyword-no-value",
        one_of(
            "OPENAI_API_KEY",
            "HF_TOKEN",
            "MATCH_PASSWORD",
            "TWILIO_AUTH_TOKEN",
            "AZURE_CLIENT_SECRET",
            "EXPO_TOKEN",
        ),
        [
            "PM-6222: {v} must come from the hub's secret store.",
            "PM-6222: {v} was unset after the incident.",
            "PM-6203: fastlane reads {v} from the CI environment.",
            "PM-6229: {v} is rotated by the vendor portal only.",
            "RB-41: {v} is no longer in the registry.",
            "PM-6203: the EAS build needs {v}.",
        ],
    ),
]


# ---------------------------------------------------------------------------- checks
SECRETISH = re.compile(
    r"(?:AKIA|ASIA)[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_|gl(?:pat|rt|dt|ptt)-[A-Za-z0-9_-]{20}|xox[bpa]-\d|xoxe\.xoxp-|xapp-\d"
    r"|hooks\.slack\.com/services/T[A-Z0-9]|[sr]k_live_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]|AIza[0-9A-Za-z_-]{35}|GOCSPX-"
    r"|SG\.[A-Za-z0-9_-]{22}\.|npm_[A-Za-z0-9]{36}|PRIVATE KEY-----(?:\n|\\n)\s*[A-Za-z0-9]|eyJ[A-Za-z0-9_-]{10,}\.eyJ"
    r"|dckr_pat_|sk-ant-|sk-proj-|hf_[A-Za-z0-9]{30}|dapi[0-9a-f]{32}|dop_v1_|hvs\.[A-Za-z0-9]{6}|\.atlasv1\.|ATATT3|pypi-AgE|AGE-SECRET-KEY"
    r"|lin_api_|NRAK-|glsa_|sntrys_|sbp_|:APA91b|sk\.eyJ|key-[0-9a-f]{32}|shpat_|tskey-auth-|SSWS 00|HRKU-|pscale_pw_|sl\.u\.|EAAA[A-Za-z0-9_-]{40}"
    r"|discord\.com/api/webhooks/\d|webhookb2/|AccountKey=[A-Za-z0-9+/]{20}|Q~[A-Za-z0-9_.~-]{30}|sig=[A-Za-z0-9%]{20}|ya29\.|Private-Lines"
    r"|://[^/\s:@\x00]+:[^/\s@<>$*{}]{6,}@|Basic [A-Za-z0-9+/]{12}|Bearer [A-Za-z0-9._-]{20}|(?<![A-Za-z0-9])(?:AC|SK)[0-9a-f]{32}"
    r"|(?<!:)(?i:password|passwd|pass|pwd|secret|token|storepass|keypass)[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/_.%-]{12,}"
)
OK_MAIL = re.compile(
    r"@(example\.(com|org|net)|[\w.-]+\.example|[\w.-]+\.test|[\w.-]+\.iam\.gserviceaccount\.com|[\w.-]+\.quillmoor\.internal)$"
)
PHONEISH = re.compile(
    r"555[-. ]?01\d\d|7700 ?900|7946 ?0|491 ?57\d ?\d{3}|\(0[2378]\) 5550 \d{4}|6[ .]39[ .]98|1 99 00 \d\d"
    r"|496 ?0\d{3}|9018 ?0\d{3}|2018 ?0\d{3}|1632 ?960"
)


def national_id_ok(row: dict) -> bool:
    """Each national id passes its own country's check; the 11-digit ones are told apart by their line."""
    v, line = row["value"], row["line"]
    d = re.sub(r"\D", "", v)
    low = line.lower()
    if re.fullmatch(r"\d{3}-\d{2}-\d{4}", v):
        return "ssn" in low
    if re.fullmatch(r"\d{11}|\d\d \d{3} \d{3} \d{3}", v):
        if "steuer" in low:
            ten = d[:10]
            counts = sorted(Counter(ten).values())
            return ten[0] != "0" and counts == [1] * 8 + [2] and steuer_ok(d)
        if "pesel" in low:
            return pesel_ok(d)
        if "fødsels" in low or "fodsels" in low:
            return fnr_ok(d)
        return False
    if re.fullmatch(r"[A-Z]{6}\d\d[A-EHLMPRST]\d\d[A-Z]\d{3}[A-Z]", v):
        return cf_check(v[:15]) == v[15]
    if re.fullmatch(r"\d\d\.\d\d\.\d\d-\d{3}\.\d\d", v):
        return 97 - int(d[:9]) % 97 == int(d[9:])
    if re.fullmatch(r"\d{6}-\d{3}[0-9A-Y]", v):
        return HETU_CHARS[int(d[:9]) % 31] == v[-1]
    if re.fullmatch(r"\d{17}[\dX]", v):
        w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        return "10X98765432"[sum(int(c) * k for c, k in zip(v[:17], w, strict=True)) % 11] == v[17]
    if re.fullmatch(r"[ST]\d{7}[A-Z]", v):
        s = sum(int(c) * w for c, w in zip(v[1:8], [2, 7, 6, 5, 4, 3, 2], strict=True)) + (
            4 if v[0] == "T" else 0
        )
        return "JZIHGFEDCBA"[s % 11] == v[8]
    if re.fullmatch(r"\d{7}[A-W]", v):
        return (
            "WABCDEFGHIJKLMNOPQRSTUV"[sum(int(c) * w for c, w in zip(v, range(8, 1, -1), strict=False)) % 23]
            == v[7]
        )
    if re.fullmatch(r"\d{6}-[1-4]\d{6}", v):
        w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
        return (11 - sum(int(x) * k for x, k in zip(d, w, strict=False)) % 11) % 10 == int(d[12])
    if re.fullmatch(r"\d{13}", v):
        return luhn_ok(d) and v[10] in "01"
    return False


CHECK = partial(
    sanity,
    types=TYPES,
    secretish=SECRETISH,
    fillers=FILL,
    test_cards=TEST_CARDS,
    ok_mail=OK_MAIL,
    phoneish=PHONEISH,
    national_id_ok=national_id_ok,
    private_key_ok=lambda v: v.startswith(("-----BEGIN ", "PuTTY-User-Key-File-3:")),
)


def main() -> None:
    # drawn in this order: each draw moves the shared random generator
    sections = expand_sections(
        FILL,
        COMMON_SECRETS,
        COMMON_PERSONAL,
        RARE_SECRETS,
        RARE_PERSONAL,
        NEGATIVES + FORMAT_NEGATIVES,
        RARE_NEGATIVES,
    )
    write_fold(sections, fold=FOLD, id_prefix="t20", out=OUT, check=CHECK, id_digits=4)


if __name__ == "__main__":
    main()
