"""Fixed values for the planted redaction folds: alphabets, word lists, test cards, the shapes a row
check looks for, and pure helpers (base64, JWT, Luhn, public IPv4).

``planted_shapes.Draw`` draws from these; ``planted_kit`` re-exports them for the generators.
Standard library only.
"""

from __future__ import annotations

import base64
import json
import re
import string
from collections.abc import Callable, Mapping

S, P, N = "secret", "personal", "negative"

UP = string.ascii_uppercase
LOW = string.ascii_lowercase
DIG = string.digits
ALNUM = UP + LOW + DIG
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32 = UP + "234567"
CRYPT = "./" + ALNUM  # the salt and hash alphabet of crypt(3) hashes, in the order the folds draw from
Gen = Callable[[], str]

# Documented vendor test card numbers: negatives of their own, never drawn as a real card.
TEST_CARDS = {
    "4242424242424242",
    "4000056655665556",
    "5555555555554444",
    "2223003122003222",
    "5200828282828210",
    "378282246310005",
    "371449635398431",
    "6011111111111117",
    "6011000990139424",
    "4111111111111111",
    "5105105105105100",
    "4000000000000002",
    "4000002500003155",
    "4000000000009995",
    "3566002020360505",
    "4000000000000077",
    "4000000000000341",
}

# More documented test cards (JCB, Diners Club, Mastercard and Visa test numbers) that test20 and test21
# keep out of their real-looking cards.
MORE_TEST_CARDS = {
    "3530111333300000",
    "30569309025904",
    "38520000023237",
    "5454545454545454",
    "4000000000003220",
    "4000000000000101",
}

# Ofcom's geographic area codes with a 496 0xxx range kept for drama.
UK_DRAMA_AREAS = ["113", "114", "115", "116", "117", "118", "121", "131", "141", "151", "161"]

# The type vocabulary of the folds; a generator adds the types of its own fold.
TYPES = {
    S: {
        "aws-key",
        "gcp-key",
        "gcp-service-account-key",
        "azure-key",
        "github-token",
        "gitlab-token",
        "slack-token",
        "slack-webhook",
        "stripe-key",
        "jwt",
        "private-key",
        "password-in-url",
        "password-assignment",
        "basic-auth",
        "bearer-token",
        "vendor-token",
    },
    P: {"email", "phone", "credit-card", "ipv4", "ipv6", "national-id", "iban"},
    N: {
        "git-sha",
        "uuid",
        "hash-or-digest",
        "trace-id",
        "cloud-resource-id",
        "placeholder",
        "templated-value",
        "masked-value",
        "keyword-no-value",
        "private-or-reserved-ip",
        "example-email",
        "vendor-example-key",
        "version-or-date",
        "public-key-or-cert",
        "ids-and-numbers",
        "luhn-fail-number",
        "documented-test-card",
        "base64-nonsecret",
    },
}

# Made-up names and webmail domains for personal e-mail addresses.
FIRST = [
    "anouk",
    "baraka",
    "celestine",
    "darius",
    "eszter",
    "florin",
    "gulnara",
    "hamish",
    "ines",
    "jurgen",
    "kaveh",
    "lucinda",
    "mateo",
    "noor",
    "oona",
    "pavel",
]
LAST = [
    "achterberg",
    "bellweather",
    "castellano",
    "dvorak",
    "eriksen",
    "fontaine",
    "gallagher",
    "hoffmann",
    "iwasaki",
    "janssen",
    "kowalczyk",
    "lombardi",
    "mbeki",
    "novak",
    "oyelaran",
]
MAIL = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "hotmail.co.uk",
    "gmx.de",
    "web.de",
    "free.fr",
    "aol.com",
    "fastmail.com",
    "btinternet.com",
]

# The first octets and prefixes public addresses are drawn under unless a fold names its own.
PUBLIC_V4_FIRST_OCTETS = (23, 31, 45, 52, 62, 77, 81, 91, 104, 117, 139, 151, 162, 176, 185, 193, 212, 217)
PUBLIC_V6_PREFIXES = ("2a01", "2a00:1450", "2606:4700", "2a04", "2607:f8b0", "2803", "2405", "2001:67c")

IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])")
IPV6ISH = re.compile(r"(?<![\w:])(?:2[0-9a-f]{3}):[0-9a-f:]{2,}(?![\w:])", re.I)
EMAILISH = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
OK_MAIL = re.compile(
    r"@(example\.(com|org|net)|[\w.-]+\.example|[\w.-]+\.test|[\w.-]+\.iam\.gserviceaccount\.com)$"
)
CARDISH = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
PHONEISH = re.compile(r"555[-. ]?01\d\d|7700 ?900|7946 ?0")
SSNISH = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
SLOT = re.compile(r"\{([a-z][a-z0-9]*)\}")


# ---------------------------------------------------------------------------- pure helpers
def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def encode_jwt(head: Mapping[str, object], body: Mapping[str, object], sig: str) -> str:
    """A compact JWT: the header and claims as compact JSON in unpadded base64url, then ``sig``."""
    return (
        b64url(json.dumps(head, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(body, separators=(",", ":")).encode())
        + "."
        + sig
    )


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def is_public_v4(m: re.Match | None) -> bool:
    if m is None:
        return False
    o = [int(x) for x in m.groups()]
    if any(x > 255 for x in o):
        return False
    a, b = o[0], o[1]
    return not (
        a in (0, 10, 127)
        or a >= 224
        or (a == 169 and b == 254)
        or (a == 172 and 16 <= b <= 31)
        or (a == 192 and b == 168)
        or (a == 100 and 64 <= b <= 127)
        or (a, b, o[2]) in {(192, 0, 2), (198, 51, 100), (203, 0, 113)}
    )


def const(value: str) -> Gen:
    return lambda: value


def one_of(*values: str) -> Gen:
    it = iter(values)
    return lambda: next(it)
