"""Secrets and personal data become typed placeholders, before anything is stored or shown.

:func:`redact_text` is a pure function: ``"key AKIA…"`` becomes ``"key [REDACTED:aws-access-key]"``
and the text around it is kept. Detection is ours first (vendor formats, passwords in URLs,
assignments and command lines, private key blocks, personal data with validators such as the Luhn
check and public-IP ranges), with detect-secrets' regex plugins as a second net for formats we do
not list. A :class:`RedactionPolicy` carries a team's allow-list, extra patterns and what personal
data to remove; :meth:`RedactionPolicy.from_settings` reads them from the ``KB_REDACT_*`` settings.

Findings never hold the value, only its type and position, so reporting them cannot leak it.
"""

from __future__ import annotations

import base64
import functools
import ipaddress
import itertools
import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kb.settings import Settings

log = logging.getLogger(__name__)

PLACEHOLDER_PREFIX: Final = "[REDACTED:"
PLACEHOLDER_RE: Final = re.compile(r"\[REDACTED:[a-z0-9][a-z0-9-]*\]")
IP_MODES: Final = ("public", "all", "none")

# Values everyone publishes as examples (AWS documentation keys) or that are visibly masked.
_DEFAULT_ALLOW: Final = (
    r"AKIAIOSFODNN7EXAMPLE",
    r"AKIAI44QH8DHBEXAMPLE",
    r"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    r"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    r".*EXAMPLE(?:KEY)?",
)
# Keys and tokens published in vendors' documentation, kept wherever they stand (a rule or a
# detect-secrets plugin that takes only part of one, ``AccountKey=…`` or a JWT without its signature,
# is kept too): the Azurite/Azure Storage Emulator key (``devstoreaccount1``), the Cosmos DB Emulator
# key, jwt.io's sample token (HS256, "John Doe", signed with ``your-256-bit-secret``) and the
# bootstrap token of kubeadm's documentation.
_PUBLISHED_VALUES: Final = re.compile(
    r"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    r"|C2y6yDjf5/R\+ob0N8A7Cgv30VRDJIWEHLM\+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
    r"|eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    r"\.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    r"|(?<![\w.])abcdef\.0123456789abcdef(?![\w.])"  # kubeadm's documented bootstrap token
    # Stripe's API reference keys (test mode, printed in every code sample of its documentation)
    r"|sk_test_4eC39HqLyjWDarjtT1zdp7dc|sk_test_BQokikJOvBiI2HlWgH4olfQ2|sk_test_26PHem9AhJZvU623DfE1x4sd"
    r"|B5A79AAD-D822-46CC-80D1-819F80D7BFB0"  # Splunk's HEC token in its documentation's examples
    r"|ghp_16C7e42F292c6912E7710c838347Ae178B4a"  # GitHub's example token in its documentation
)
_EXAMPLE_EMAIL_DOMAINS: Final = re.compile(
    r"(?:^|\.)(?:example\.(?:com|org|net)|[a-z0-9-]+\.example|[a-z0-9-]+\.test|[a-z0-9-]+\.invalid"
    r"|[a-z0-9-]+\.localhost|example|test|invalid|localhost)$|(?:^|\.)users\.noreply\.github\.com$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Finding:
    """Something that would be redacted: its type and where, never its value."""

    type: str
    start: int
    end: int
    line: int  # 1-based line of ``start``


@dataclass(frozen=True, slots=True)
class Redaction:
    text: str
    findings: tuple[Finding, ...]

    @property
    def changed(self) -> bool:
        return bool(self.findings)


# --- validators ---------------------------------------------------------------------------------


# A value that starts with one ``*`` and goes on with 9+ characters and no other ``*``
# (``*UZVhY435UbgtGAFZrEc1``) is a password that begins with a symbol; ``*``, ``****1234``, ``*.example``
# and ``*/5`` are masks, globs and schedules.
_STAR_LED_VALUE: Final = re.compile(r"\*[A-Za-z0-9][^\s*]{8,}")


# Words a sample file puts where its reader is to write the value: ``CHANGE_ME``, ``REPLACE-ME``,
# ``fill_in``, ``TODO``, ``TBD``, ``FIXME``.
_PLACEHOLDER_WORDS: Final = re.compile(
    r"(?:change|replace|fill|update|set)[_\-. ]?(?:me|this|it|in|here)(?:[_\-. ]?(?:now|later|please))?"
    r"|todo|tbd|fixme|to[_\-. ]?be[_\-. ]?(?:set|filled|replaced)"
)


def _placeholder_like(value: str) -> bool:
    """Masked, templated or variable values: ``xxxx``, ``****``, ``<token>``, ``${VAR}``, ``…``."""
    v = value.strip("'\"`")
    if v[:1] == "/" and _base64_key(v):
        return False  # an AWS secret key may start with '/': ``/f/MZga…+IXH+Z`` is not a path
    if v[:1] == "." and v[1:2].isalnum() and _random_run(v[1:]):
        return False  # a generated key may start with '.' (``.sw0MjRz…``): not a dotfile or an ellipsis
    if (
        not v
        or v[0] in "$<{%/.["
        or (v[0] == "*" and not _STAR_LED_VALUE.fullmatch(v))
        or "<" in v
        or "://" in v
        or "…" in v
        or "..." in v
        or "${" in v
        or "{{" in v
    ):
        return True
    if re.fullmatch(r"!{1,2}[A-Za-z][\w:.\-]*", v):
        return True  # a YAML tag (``!vault |``, ``!Ref Param``): the value is elsewhere
    lowered = v.lower()
    if lowered in {"redacted", "changeme", "none", "null", "true", "false", "password", "secret", "token"}:
        return True
    if _PLACEHOLDER_WORDS.fullmatch(lowered):
        return True
    if "redacted" in lowered or "example" in lowered or "placeholder" in lowered or "your" in lowered:
        return True
    core = re.sub(r"^[a-z]{2,8}[_-]", "", lowered)  # ghp_xxxx, sk_live_****
    return len(set(core)) <= 2 and len(core) >= 4


def _base64_key(value: str) -> bool:
    """30+ characters of base64 with upper, lower and digits: key material, not a path or a word."""
    return (
        re.fullmatch(r"[A-Za-z0-9+/]{30,}={0,2}", value) is not None
        and re.search(r"[a-z]", value) is not None
        and re.search(r"[A-Z]", value) is not None
        and re.search(r"[0-9]", value) is not None
    )


def _entropy(value: str) -> float:
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _wordy(value: str) -> bool:
    """Generated resource names (``prometheus-k8s-dockercfg-6wl6b``), references (``api-key:ref``)."""
    parts = re.split(r"[-_.:/]", value)
    return len(parts) >= 3 and sum(_WORD_PART.fullmatch(p) is not None for p in parts) >= 2


# A part that reads as a word (``dockercfg``, ``Orders``, ``REF``), not a run of random mixed case
# (``tPXqBS``, ``hcLWC``): base64url tokens are cut by ``-``/``_`` into such runs.
_WORD_PART: Final = re.compile(r"[A-Z]?[a-z]{2,}|[A-Z]{3,}")


def _random_letters(value: str) -> bool:
    """16+ letters whose case flips often and not as CamelCase does (``SbUZbKTbtJzSUuIKHZes``)."""
    if len(value) < 16 or re.fullmatch(r"[a-z]*(?:[A-Z][a-z]+)+|[A-Z]+[a-z]*|[a-z]+", value):
        return False
    flips = sum(a.isupper() != b.isupper() for a, b in itertools.pairwise(value))
    return flips / (len(value) - 1) >= 0.3 and _entropy(value) >= 3.5


def _strong(value: str) -> bool:
    """A value that looks like a credential, not a word, number or identifier."""
    if _placeholder_like(value) or len(value) < 6 or _wordy(value):
        return False
    if re.search(r"(?i)pass(?:word)?|secret|token|api[_-]?key", value):
        return False  # a reference to another setting (``hf-token:ref``), not a value
    if re.fullmatch(r"[A-Z]{16,}", value):
        return _entropy(value) >= 3.5  # random capitals (an Erlang cookie), not a SHOUTED_NAME
    if value.isdigit() or re.fullmatch(r"[A-Za-z]+(?:[_/-][A-Za-z]+)*", value):
        # words, snake_case names, ``read/write``: ``password=hunter`` is rare, names are not; but a
        # long run of letters whose case flips at random (``sk_SbUZbKTbtJzSUu…``) is a key
        return any(_random_letters(part) for part in re.split(r"[_/-]", value))
    if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value, re.I):
        return False
    return _entropy(value) >= 2.5


# Three or more dictionary-like words and an optional number: ``violet-cobalt-nimbus-98``. Only a
# password-named setting takes one (a resource name has the same shape).
_PASSPHRASE: Final = re.compile(r"[A-Za-z]{3,}(?:[-_.+ ][A-Za-z]{3,}){2,}(?:[-_.+]?\d{1,4})?[!?*.~#]?")


# Two words and a number joined by a separator (``Quartz.Nimbus.18``, ``Falcon_Maple_2024``): a dotted
# name has this shape too, so only a password-named setting takes it, and it needs the number.
_WORD_PAIR: Final = re.compile(r"[A-Za-z]{3,}(?:[-_.+ ][A-Za-z]{3,})+[-_.+!#@&]?\d{2,4}[!?*#]?")


def _basic_pair(value: str) -> bool:
    """Base64 of ``user:password``: what a ``Basic`` credential holds."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    user, sep, pw = decoded.partition(":")
    return bool(sep) and decoded.isprintable() and bool(user) and len(pw) >= 4 and not _placeholder_like(pw)


def _passphrase(value: str) -> bool:
    if _placeholder_like(value):
        return False
    if not _PASSPHRASE.fullmatch(value) and not _WORD_PAIR.fullmatch(value):
        return False
    if re.search(r"(?i)pass(?:word)?|secret|token|key|vault|env|ref|from|file|path|name", value):
        return False  # ``vault-db-password-ref``, ``from-env-file``: a pointer to the value
    words = re.findall(r"[A-Za-z]+", value)
    return bool(re.search(r"\d", value)) or len(words) >= 4


# Three lower-case words and a number joined by dots (``walnut.atlas.pepper12``): code has the same
# shape (``config.db.replica01``), so only a password's place takes it, and not with code's words.
_DOTTED_PASSPHRASE: Final = re.compile(r"[a-z]{3,}(?:\.[a-z]{3,}){2,4}\d{2,4}[!?#*]?")
_CODE_WORDS: Final = re.compile(
    r"(?:^|\.)(?:config|conf|settings|values|vars|spec|data|self|this|process|params|args|options|env|os)\."
)


def _dotted_passphrase(value: str) -> bool:
    return (
        _DOTTED_PASSPHRASE.fullmatch(value) is not None
        and _CODE_WORDS.search(value) is None
        and _passphrase(value)
    )


def _password_value(value: str) -> bool:
    """What a password-named setting may hold: a strong value, a passphrase or generated groups."""
    return _strong(value) or _passphrase(value) or (_mixed_groups(value) and not _placeholder_like(value))


def _flag_value(value: str) -> bool:
    """What a flag named for a password holds: a password value, or random mixed-case letters
    (``qRvLtMxK``; a word or a CamelCase name is not one)."""
    if _password_value(value):
        return True
    return (
        re.fullmatch(r"[A-Za-z]{8,}", value) is not None
        and re.fullmatch(r"(?:[A-Z]?[a-z]+)+|[A-Z]+", value) is None
        and not _placeholder_like(value)
    )


def _quoted_flag_value(value: str) -> bool:
    """A quoted literal after ``-p``/``-P``/``-w``: shell quotes say it is typed in, and these flags
    take a password in database and directory clients. Not a number (a port), a lowercase word
    (``grep -w 'timeout'``), a path, a template or a resource name (``compose -p 'orders-stack'``)."""
    if _placeholder_like(value) or len(value) < 4 or value.isdigit():
        return False
    if re.fullmatch(r"[a-z]+", value) or (_wordy(value) and not _passphrase(value)):
        return False
    return _password_value(value) or re.search(r"[0-9!@#$%^&*+=~?]", value) is not None or _flag_value(value)


# --- the credential position -----------------------------------------------------------------------
# Where a value sits can say it is a password whatever its shape: the password argument of a call
# that takes a user name first, a flag or setting named for a password, the password positional of a
# command that takes one. There a value is the secret unless it is a placeholder, a reference to
# where the secret lives, or a plain name.

# A value that points at the secret instead of being it: a variable (``$PW``, ``%PW%``), a path
# (``./pw.txt``, ``~/.pgpass``), an openssl/keytool source (``env:VAR``, ``file:…``, ``stdin``), a
# secret-store address, or code (``os.environ["PW"]``, ``config.password``, ``var.db_password``).
_REFERENCE_VALUE: Final = re.compile(
    r"(?i)^(?:[$%~]|\.{0,2}/|(?:env|file|fd|op|vault|sm|arn):|stdin$|-$|!)"
    r"|[()\[\]]|^[A-Za-z_]\w*(?:(?:\.|::|->)[A-Za-z_]\w*)+$"
)
# Three to eight words separated by spaces (``ember maple glacier ember``,
# ``Copper harbor nimbus 38!``); a sentence that points elsewhere (``see the vault``) is not one.
_SPACED_PHRASE: Final = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z0-9]+[!?.#*]?){2,7}")
_POINTER_WORDS: Final = re.compile(
    r"(?i)\b(?:the|your|see|ask|use|set|from|in|stored|vault|env|required|none|prompt|same|as|not)\b"
)
# Capitalised words joined by a separator and ending in a symbol or numbering three or more:
# ``Violet-Violet-Harbor?``, ``Summit-Quartz-Nimbus``.
_TITLED_WORDS: Final = re.compile(r"[A-Z][a-z]{2,}(?:[-_.+][A-Z][a-z]{2,}){1,5}[!?#*]?")


def _reference_value(value: str) -> bool:
    # ``copper.orange.Pepper0`` is a generated password (a group mixes case and a digit), not code
    return _REFERENCE_VALUE.search(value) is not None and not (
        "." in value and _mixed_groups(value) and not re.search(r"[()\[\]]", value)
    )


def _position_value(value: str) -> bool:
    """A value in a credential's position: any password shape that is not a placeholder, a reference,
    a number or a plain name (``orders_ro``, ``read-only``, ``Admin``)."""
    v = value.strip()
    if _uuid_secret(v) or _dotted_passphrase(v) or (_generated_groups(v) and not _placeholder_like(v)):
        return True  # a dotted passphrase reads as code, a password manager's groups as a name
    if len(v) < 4 or v.isdigit() or _placeholder_like(v) or _reference_value(v):
        return False
    if re.search(r"(?i)pass(?:word|wd)?|secret|token|credential", v) and not re.search(r"\d", v):
        return False  # ``db-password``, ``smtp_secret``: the name of one
    if " " in v:
        return _SPACED_PHRASE.fullmatch(v) is not None and _POINTER_WORDS.search(v) is None and len(v) <= 64
    if _TITLED_WORDS.fullmatch(v):
        return v[-1] in "!?#*" or len(re.findall(r"[A-Z]", v)) >= 3
    if _mixed_groups(v) or _letters_and_digits(v):
        return True
    return _flag_value(v) or (
        re.search(r"[!@#$%^&*+=~?]", v) is not None and re.search(r"[A-Za-z]", v) is not None and len(v) >= 6
    )


_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def _uuid_secret(value: str) -> bool:
    """A uuid where a name says password, token or secret is the credential (``uuidgen`` passwords,
    Consul ACL tokens, Heroku keys); elsewhere a uuid is an id. Not the nil uuid."""
    return _UUID.fullmatch(value) is not None and len(set(value.replace("-", ""))) > 2


def _mixed_groups(value: str) -> bool:
    """Generated passwords in groups (``gesubu-Vaqir8-ryhuwy``): a resource name has the shape too,
    but not a capital and a digit inside one group."""
    return (
        re.fullmatch(r"[A-Za-z0-9]{3,}(?:[-_.][A-Za-z0-9]{3,}){1,4}", value) is not None
        and re.search(r"(?:^|[-_.])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[a-z])", value)
        is not None
    )


def _generated_groups(value: str) -> bool:
    """A password manager's three groups of six (``tedqoy-rguyqt-IdECAP``), with a capital or a digit;
    all-lowercase words in groups are a name."""
    return (
        re.fullmatch(r"[A-Za-z0-9]{6}(?:-[A-Za-z0-9]{6}){2}", value) is not None
        and re.search(r"[A-Z0-9]", value) is not None
    )


def _letters_and_digits(value: str) -> bool:
    """Letters and digits mixed inside one run (``Fun6nudu``, ``analytics9x``), not a version, a hex
    digest or a name with a trailing number (``orders_2024``)."""
    return (
        re.fullmatch(r"[A-Za-z0-9]{6,64}", value) is not None
        and re.search(r"[A-Za-z][0-9]+[A-Za-z]", value) is not None
        and re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", value) is None
    )


def _token(value: str) -> bool:
    """A high-entropy token standing alone: mixed classes or long hex."""
    if _placeholder_like(value) or len(value) < 16 or _wordy(value):
        return False
    if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value, re.I):
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    if re.fullmatch(r"[0-9a-fA-F]+", value):
        return len(value) >= 32
    return classes >= 2 and re.search(r"[0-9]", value) is not None and _entropy(value) >= 3.0


# Prefixes that say a token is a digest, a revision or a record's id, not a credential.
_NOT_A_TOKEN_PREFIX: Final = re.compile(
    r"(?i)(?:sha\d*|md5|blake\w*|h1|crc\d*|commit|rev(?:ision)?|git|build|release|tree|blob|digest|hash|"
    r"checksum|etag|ids?|trace|span|req(?:uest)?|correlation|run|job|image|layer|obj(?:ect)?|file|cache|"
    r"pod|node|v\d*"
    # a hosting platform's project, team, org and deployment ids (Vercel ``prj_``/``team_``/``dpl_``)
    r"|prj|proj|project|team|org|organi[sz]ation|dpl|deployment|workspace|tenant|usr|user)"
)


def _random_run(value: str) -> bool:
    """A run of 20+ characters that reads as random: long hex, or mixed classes with a digit and many
    changes between lower, upper and digits (words and CamelCase names change rarely)."""
    if len(value) < 20:
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", value):
        return (
            len(value) >= 32
            and re.search(r"[a-fA-F]", value) is not None
            and re.search(r"[0-9]", value) is not None
        )
    classes = ["d" if c.isdigit() else "u" if c.isupper() else "l" for c in value]
    if "d" not in classes or len(set(classes)) < 2:
        return False
    changes = sum(a != b for a, b in itertools.pairwise(classes)) / (len(value) - 1)
    return changes >= 0.25 and _entropy(value) >= 3.5


# A token's prefix that names a credential (``key-``, ``xkeysib-``, ``access-production-``, ``sdk-``).
_PREFIX_NAMES_CREDENTIAL: Final = re.compile(
    r"(?i)(?:^|[-_.])(?:x?keys?\w*|secret\w*|token|pat|api|apikey|access|sdk|auth)(?:[-_.]|$)"
)
# Prefixes of public keys and publishable tokens, meant to be shipped to clients: Mapbox ``pk.``,
# Stripe ``pk_live_``, PostHog project keys ``phc_``, Statsig client keys ``client-``.
_PUBLIC_PREFIX: Final = re.compile(r"pk\.|pk_(?:live|test)_|pub(?:lic)?[_.-]|phc_|client-")


# A dotted module path ending in a class (``django.contrib.auth.hashers.Argon2PasswordHasher``).
_MODULE_PATH: Final = re.compile(
    r"[a-z_]{2,}[a-z0-9_]*(?:\.[a-z_]{2,}[a-z0-9_]*)+\.(?:[A-Z][a-z]{2,}[0-9]*)+"
)


# A reverse-DNS identifier (an app's bundle id or package, an iOS URL scheme, Google's reversed OAuth
# client id ``com.googleusercontent.apps.<n>-<32>``): a top-level domain, then a lowercase label and a
# dot. Apps ship these in ``Info.plist`` and the manifest: public, not a prefixed token.
_REVERSE_DNS: Final = re.compile(
    r"(?:com|org|net|io|dev|app|co|edu|gov|me|ai|uk|de|fr|nl|se|no|fi|dk|au|ca|jp|ch|at|be|es|it)"
    r"\.[a-z][a-z0-9\-]{1,62}\.[a-z]"
)


# A git revision range (``cb26d19..1cdf032f…`` in ``git push`` output, ``a1b2c3d...e4f5a6b``): two
# object ids, not a prefixed token.
_REVISION_RANGE: Final = re.compile(r"[0-9a-f]{7,40}\.{2,3}[0-9a-f]{7,40}")


def _vendor_style_token(value: str) -> bool:
    """A vendor-style token of a format no rule lists: a short prefix (``gsk``, ``pscale_tkn``,
    ``lsv2_pt``, ``AGE-SECRET-KEY-1``), a separator, and a long random body. A prefix is what makes it a
    token: random ids without one (KSUIDs, nanoids) and ids with a short body (``cus_``, ``PR_kwDO``)
    are kept."""
    if _REVISION_RANGE.fullmatch(value):
        return False
    parts = re.split(r"[_\-.]", value.rstrip("="))
    prefix, body = parts[0], value[len(parts[0]) + 1 :]
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,19}", prefix) or _NOT_A_TOKEN_PREFIX.fullmatch(prefix):
        return False
    if len(body) < 28 or _placeholder_like(value):
        return False
    uuid = re.search(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$", value, re.I)
    if uuid is not None:
        # ``order-<uuid>``: a UUID says nothing about secrecy, unless the prefix names a credential
        # (``access-production-<uuid>``, ``sdk-<uuid>``)
        return uuid.start() > 0 and _PREFIX_NAMES_CREDENTIAL.search(value[: uuid.start()]) is not None
    if _PUBLIC_PREFIX.match(value) or _MODULE_PATH.fullmatch(value) or _REVERSE_DNS.match(value):
        return False
    longest = max(parts[1:], key=len)
    # ``rendered-worker-<md5>``, ``config-<hash>``: names that end in a content hash; not
    # ``key-<hex>`` (the prefix names a credential) or ``FLWSECK-<hex>-X`` (the hex does not end it)
    if (
        re.fullmatch(r"[0-9a-fA-F]+", parts[-1])
        and parts[-1] == longest
        and "-" in value
        and _PREFIX_NAMES_CREDENTIAL.search(value[: -len(longest)]) is None
    ):
        return False
    if _random_run(longest) and all(len(p) <= 20 or _random_run(p) for p in parts[1:]):
        return True
    # a body cut into short random pieces (``pat.<22>.<24 hex>.<20>``): read it whole
    joined = re.sub(r"[_\-.]", "", body)
    return len(joined) >= 40 and len(parts) >= 3 and _random_run(joined) and not _wordy(body)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_CARD_PREFIX: Final = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|35|6011|65|64[4-9]|62)")


# Card numbers the payment processors publish for testing (Stripe, Braintree, Adyen docs): they pass
# Luhn, but they are public and no one's card.
_TEST_CARDS: Final = frozenset(
    {
        "4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222",
        "5200828282828210", "5105105105105100", "378282246310005", "371449635398431",
        "6011111111111117", "6011000990139424", "3056930009020004", "36227206271667",
        "3566002020360505", "6200000000000005", "4000002500003155", "4000000000009995",
        "4000000000000002", "4000002760003184", "4000000000003220", "4000000000000077",
        "4000003720000278", "4111111111111111", "4012888888881881", "5500000000000004",
        "378734493671000", "6011000000000004", "4000000000000341", "4000000000000069",
        "3530111333300000", "5454545454545454", "3566111111111113", "3088000000000017",
        "370000000000002", "6011000000000012", "38000000000006", "4007000000027",
        "4012888818888", "5424000000000015", "4222222222222", "36259600000004",
        "5431111111111111", "6304000000000000", "2223000048400011", "6011601160116611",
    }
)  # fmt: skip


# Stripe's test cards by country: ``400000``, the ISO numeric country code, ``000`` and four digits
# (Brazil ``4000000760000002``, Canada ``4000001240000000``, Mexico ``4000004840008001``).
_TEST_CARD_SHAPE: Final = re.compile(r"400000\d{3}000\d{4}")


def _card(value: str) -> bool:
    digits = re.sub(r"[ -]", "", value)
    return (
        13 <= len(digits) <= 19
        and bool(_CARD_PREFIX.match(digits))
        and luhn_ok(digits)
        and digits not in _TEST_CARDS
        and _TEST_CARD_SHAPE.fullmatch(digits) is None
    )


def _public_ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv4Address) and address in ipaddress.ip_network("100.64.0.0/10"):
        return False
    return address.is_global and not address.is_multicast


def _any_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return value not in {"0.0.0.0", "127.0.0.1", "::1", "::"}


# A Google Cloud service account's address (``ingest@proj.iam.gserviceaccount.com``,
# ``123-compute@developer.gserviceaccount.com``) names a workload, not a person.
_SERVICE_ACCOUNT_DOMAIN: Final = re.compile(r"(?i)(?:^|\.)gserviceaccount\.com$")


def _email(value: str) -> bool:
    domain = value.rsplit("@", 1)[-1].rstrip(".")
    local = value.rsplit("@", 1)[0]
    return (
        not _EXAMPLE_EMAIL_DOMAINS.search(domain)
        and not _SERVICE_ACCOUNT_DOMAIN.search(domain)
        and local.lower() not in _ROLE_MAILBOXES
        and _BOT_MAILBOX.search(local) is None
    )


# A machine account's mailbox (``ci-bot@``, ``deploy-bot@``, ``renovate[bot]@``): no person's.
_BOT_MAILBOX: Final = re.compile(r"(?i)(?:^|[-_.\[])bot\]?$")


# Shared mailboxes of a function, not of a person: kept (``security@pypi.org`` in an incident report).
_ROLE_MAILBOXES: Final = frozenset(
    {
        "git",
        "noreply",
        "no-reply",
        "security",
        "support",
        "help",
        "info",
        "abuse",
        "postmaster",
        "hostmaster",
        "webmaster",
        "privacy",
        "legal",
        "press",
        "sales",
        "oncall",
        "on-call",
        "sre",
        "ops",
        "incident",
        "incidents",
        "alerts",
        "status",
    }
)


# Words that end a name about a credential rather than of one (``TOKEN_TTL``, ``Access key ID``,
# ``--password-file``, ``password_hash``), shared by settings, flags, table cells and prose. A name
# that ends in ``_ENC``/``_ENCRYPTED``/``_CIPHERTEXT`` holds the credential encrypted, not in clear.
_ABOUT_A_CREDENTIAL: Final = (
    r"ids?|names?|ref|file|path|type|version|length|size|count|ttl|expir\w*|seconds|header|field|env|var|"
    r"enc|encrypted|ciphertext|"
    r"arn|ur[il]|endpoint|hash|sha\d*|digest|checksum|fingerprint|fpr|prefix|suffix|policy|rotat\w*|manager|"
    r"store|created|owner|scopes?|format|hint|stage|stdin|fd|prompt|command|cmd|accessors?|"
    r"algorithms?|algo|scheme|method|mode|rounds|iterations|cost|hashers?|hashing|encryption"
)
# Names of settings that hold a reference to a secret, not the secret.
_REFERENCE_KEY: Final = re.compile(
    rf"(?i)(?:_|-|\.|\b)(?:{_ABOUT_A_CREDENTIAL})['\"]?\s*(?:=|:|=>|:=)\s*['\"]?$"
)
# What makes a ``key`` a record's or a public one: ``cache hit key``, ``sortKey``, ``public_key``.
_RECORD_KEY_QUALIFIERS: Final = (
    r"cache|hit|miss|message|partition|"
    # an alerting vendor's routing (integration) key is a credential: ``PAGERDUTY_ROUTING_KEY``
    r"(?<!pagerduty[_ .-])(?<!pd[_ .-])(?<!events[_ .-])(?<!victorops[_ .-])(?<!opsgenie[_ .-])routing|"
    r"sort|primary|foreign|idempotency|dedup(?:lication)?|"
    r"object|s3|lookup|shard|row|map|index|composite|group|translation|i18n|license-plate|public|"
    r"publishable|host|ssh|gpg|pgp|kms|encryption[_-]?context|unique|natural|surrogate|hash"
)


# Not a secret whatever the name above it: Datadog's browser client token (``pub`` and 32 hex) is
# public by design, and a SealedSecret's ``encryptedData`` value (``Ag`` and a long base64 body) is
# ciphertext only the cluster's controller can open.
_NOT_SECRET_VALUE: Final = re.compile(
    r"pub[0-9a-f]{32}|Ag[A-Za-z0-9+/]{300,}={0,2}|AWS4-HMAC-SHA256|AWS4-ECDSA-P256-SHA256|GOOG4-(?:RSA|HMAC)-SHA256"
    # Stripe object ids (a payment intent ``pi_3M…``, a charge, a customer, a refund, an event):
    # names of records in a payments log, not keys; Stripe's keys are ``sk_``/``rk_``/``whsec_``. An
    # all-hex body is another vendor's (WooCommerce's consumer secret ``cs_<40 hex>``).
    r"|(?:(?:pi|ch|cus|in|ii|il|pm|re|sub|si|txn|evt|price|prod|acct|seti|src|card|ba|po|tr|py|dp|du|cn"
    r"|ipi|plink|prc|sh|fee|fr|qt)_(?:(?:live|test)_)?|cs_(?:live|test)_)(?![0-9a-f]+$)[A-Za-z0-9]{14,66}"
    # a vendor's prefix and a body of one character repeated (``ghp_000…0``, ``sk_live_111…1``,
    # ``AKIA000…0``): a placeholder in a sample config, not an issued token
    r"|(?:[A-Za-z][A-Za-z0-9]{0,11}[_\-.]){1,3}(?P<repeated>[A-Za-z0-9])(?P=repeated){11,}"
    r"|[A-Z]{2,5}(?P<digit>[0-9])(?P=digit){11,}"
    # a registry export's binary value (``"ProtectedPassword"=hex:01,00,00,00,d0,8c,…``, a DPAPI blob):
    # bytes, encrypted when the name says password; a rule that stops at the first comma reads ``hex:01``
    r"|hex(?:\([0-9a-fA-F]{1,8}\))?:[0-9a-fA-F]{2}(?:,(?:\\\r?\n[ \t]*)?[0-9a-fA-F]{2})*,?"
)  # (and the signature schemes of an ``Authorization`` header)


def _assignment_context(before: str, _value: str) -> bool:
    return _REFERENCE_KEY.search(before) is None


# The name may be glued to a suffix (``order_number``, ``invoiceId``) and the value quoted, as in
# SQL and JSON: ``WHERE order_number = '720-798-0258'`` is an order, not a phone.
_NOT_PHONE_CONTEXT: Final = re.compile(
    r"(?i)\b(?:order|orders|return|refund|rma|voucher|coupon|parcel|waybill|consignment|"
    r"authori[sz]ation|invoice|ticket|case|tracking|shipment|serial|"
    r"ref(?:erence)?|po|sku|account|acct|offset|id|build|run|job|batch|port|pid)(?:\b|_)[\w ]{0,12}"
    r"[#:= '\"|`*(\[]*$"
)
_RECORD_WORD: Final = re.compile(
    r"(?i)(?:\b|_)(?:orders?|returns?|refunds?|rma|voucher|coupon|parcel|waybill|invoices?|tickets?|case|tracking|"
    r"shipments?|serial|ref(?:erence)?s?|po|sku|account|acct|id|build|run|job|batch|sql|insert|values)(?:\b|_)"
)
_PHONE_CONTEXT: Final = re.compile(
    r"(?i)(?:phone[ds]?|phoning|mobile|cell|tel|call(?:ed|ing|back)?|r[iau]ng|ringing|dial(?:l?ed|l?ing)?|sms(?:'d|ed)?"
    r"|text(?:ed|ing)?|whatsapp(?:'d|ed)?|messaged|number|contact|fax|on)\b"
)


# Names of national identifiers (US SSN, UK NINO, Canadian SIN, Indian Aadhaar, tax and passport
# numbers), for column headers and the words before a number in prose.
_NATIONAL_ID_NAMES: Final = (
    r"ssn|social[ _-](?:security|insurance)(?:[ _-](?:number|no\.?))?|sin|aadhaar|uidai|nino"
    r"|national[ _-](?:insurance|id(?:entity)?)(?:[ _-](?:number|no\.?))?|tax[ _-]?id"
    r"|passport(?:[ _-](?:number|no\.?))?"
)

# --- rules --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """``pattern`` finds a candidate; group ``v`` (or the whole match) is what gets redacted."""

    type: str
    pattern: re.Pattern[str]
    check: Callable[[str], bool] | None = None
    personal: bool = False
    # Looks at the text before the match (same line) and can veto it: phone vs order numbers.
    context: Callable[[str, str], bool] | None = None
    # Lower-case strings one of which every match's line contains: the pattern runs only on those
    # lines (a 2 MB corpus has few), which makes redaction about ten times faster.
    hints: tuple[str, ...] = ()
    multiline: bool = False  # matches may span lines: run on the whole text when a hint is there
    seed: re.Pattern[str] | None = None  # a cheap pattern every match contains, when no hint fits


def _rule(
    type_: str,
    pattern: str,
    check: Callable[[str], bool] | None = None,
    *,
    flags: int = 0,
    personal: bool = False,
    context: Callable[[str, str], bool] | None = None,
    hints: tuple[str, ...] = (),
    multiline: bool = False,
    seed: str | None = None,
) -> Rule:
    compiled = re.compile(pattern, flags | re.MULTILINE)
    seeded = re.compile(seed) if seed else None
    return Rule(type_, compiled, check, personal, context, hints, multiline, seeded)


# The name of a credential standing in for it (``amqps://user:pass@host``, ``user:pwd@``): a placeholder.
_CREDENTIAL_WORD_VALUE: Final = re.compile(
    r"(?i)pass(?:word|wd)?|pwd|pw|secret|token|api[_-]?key|key|credentials?|pass(?:word)?123"
)


# ``docker run -p8080:80``, ``-p 127.0.0.1:9000:9000/tcp``: a port mapping, not a password.
_PORT_MAPPING: Final = re.compile(r"(?:[\d.]+:)?\d+:\d+(?:/(?:tcp|udp))?")
_B: Final = r"(?<![A-Za-z0-9_\-])"  # token start
_E: Final = r"(?![A-Za-z0-9_\-])"  # token end
# Vendor tokens known by their prefix alone: (type, lowercase hint, pattern). The prefix and a long
# body of the vendor's alphabet make the token; no name around it is needed.
_VENDOR_PREFIXES: Final = (
    ("atlassian-token", "atatt", r"ATATT[A-Za-z0-9_\-=]{40,}"),
    ("bitbucket-token", "atbb", r"ATBB[A-Za-z0-9]{28,}"),
    ("doppler-token", "dp.", r"dp\.(?:st|sa|ct|scim|audit|pt)\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,}"),
    ("databricks-token", "dapi", r"dapi[0-9a-f]{32}(?:-\d)?"),
    ("huggingface-token", "hf_", r"hf_[A-Za-z]{34,}"),
    ("grafana-token", "glsa_", r"glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}"),
    ("grafana-token", "glc_", r"glc_[A-Za-z0-9+/]{32,}={0,2}"),
    ("sentry-token", "sntry", r"sntry[su]_[A-Za-z0-9_=+/\-]{40,}"),
    ("linear-key", "lin_", r"lin_(?:api|oauth)_[A-Za-z0-9]{40,}"),
    ("pulumi-token", "pul-", r"pul-[0-9a-f]{40}"),
    ("postman-key", "pmak-", r"PMAK-[0-9a-f]{24}-[0-9a-f]{34}"),
    ("tencent-key", "akid", r"AKID[A-Za-z0-9]{32}"),  # Tencent Cloud SecretId
    # Adyen API keys: ``AQE``, a long base64 body, then two more parts after ``-`` (the last may hold
    # punctuation: ``…=-<z5XKB^7(gd``), pasted whole wherever they stand
    (
        "vendor-token",
        "aqe",
        r"AQE[A-Za-z0-9+/]{40,}={0,2}-[A-Za-z0-9+/]{16,}={0,2}-[^\s'\"`]{8,64}?(?=[.,;:)\]]*(?:[\s'\"`]|$))",
    ),
    # New Relic license keys (``NRAL`` before or after the body) and insert/query keys
    ("newrelic-key", "nral", r"NRAL[0-9A-Za-z]{36}"),
    ("newrelic-key", "nral", r"[0-9a-z]{36}NRAL"),
    ("newrelic-key", "nrii-", r"NRII-[A-Za-z0-9_\-]{20,}"),
    ("newrelic-key", "nriq-", r"NRIQ-[A-Za-z0-9_\-]{20,}"),
)
# --- what names a credential ---------------------------------------------------------------------
# One vocabulary, used wherever a name says that the value beside it is a credential: a setting's
# name, a ``*_KEY`` name in prose, a table cell or column header, the line around an encoded value.
# A ``key`` is a credential only with a qualifier (``api key``, ``signing key``, ``write key``);
# ``cache key`` and ``partition key`` are not.
_KEY_QUALIFIERS: Final = (
    r"api|app(?:lication)?|secret|private|access|auth|signing|encryption|master|license|account|session|"
    r"storage|client|service|sdk|ingest(?:ion)?|admin|deploy|write|read|restricted|publish|server|unseal|recovery"
    r"|integration|hmac|webhook|pre[_-]?shared|enrollment|registration"
)
# The forms of the password word, shared by settings, flags, prose and table cells.
_PASSWORD_FORMS: Final = r"pass(?:word|wd|phrase)?"
_PASSWORD_WORDS: Final = rf"{_PASSWORD_FORMS}|\bpwd\b"
# Names that hold a password whatever they are called: a Wi-Fi or VPN pre-shared key (``WIFI_PSK``,
# ``ipsec_pre_shared_key``), a RADIUS/VPN shared secret, a passcode.
# ``bind_pw``/``bindpw`` (LDAP) and sssd's ``authtok`` hold one too.
_PASSWORD_LIKE: Final = (
    rf"{_PASSWORD_FORMS}|pwd|pw|passcode|psk|pre[_-]?shared[_-]?key|shared[_-]?secret|authtok"
    r"|(?:wi-?fi|wpa2?|wlan)[_-]?key|community[_-]?string|snmp[_-]?community|r[ow]community"
)
_NAMES_CREDENTIAL: Final = re.compile(
    rf"(?i){_PASSWORD_WORDS}|secret|token|credential|bearer|(?:{_KEY_QUALIFIERS})[ _.-]?keys?\b|\bpat\b"
    r"|\b(?:totp|otp|2fa|mfa)[ _-]?(?:seed|secret|key)\b"
)
# A name that ends in a qualified key (``Stripe secret key:``, ``SIGNING_KEY=``).
_ENDS_IN_CREDENTIAL_KEY: Final = re.compile(rf"(?i)(?:{_KEY_QUALIFIERS})[ _.-]?keys?\W*$")

# Words a setting's name holds when its value is a credential (``DB_PASSWORD``, ``apiKey``,
# ``SIGNING_KEY``, ``CLIENT_SECRET``, ``DATABASE_DSN``, ``session_cookie``).
_KEYWORDS: Final = (
    rf"{_PASSWORD_FORMS}|pwd|pw|psk|secret|token|(?:{_KEY_QUALIFIERS})[_-]?key|apikey|auth[_-]?token|authorization|"
    r"credentials?|client[_-]?secret|dsn|conn(?:ection)?[_-]?string|cookie|pat"
)
_VALUE_END: Final = r"(?=[\s\"'`,;&)\]}>]|$)"


# Prose that names a record's key, not a credential: ``cache hit key=<sha256>``, ``message key=<base64>``.
_NON_CREDENTIAL_KEY: Final = re.compile(rf"(?i)\b(?:{_RECORD_KEY_QUALIFIERS})[ _-]?key\W*$")
_BARE_KEY: Final = re.compile(r"(?i)\bkeys?\W*$")


def _decodes_to_text(value: str) -> bool:
    """Base64 of readable text (``eyJmZWF0dXJlIjoi…``, ``bWF4X2Nvbm5lY3Rpb25z…``): encoded data."""
    if len(value) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", value):
        return False
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError:
        return False
    # tabs and line breaks count as text: base64 of a YAML or config file spans lines
    return bool(raw) and all(32 <= b < 127 or b in b"\t\n\r" for b in raw) and _entropy(raw.decode()) < 4.5


def _generic_context(before: str, value: str) -> bool:
    """A bare ``key`` takes a value only when it is not a record's name or a digest/encoded text."""
    if _NON_CREDENTIAL_KEY.search(before):
        return False
    if _BARE_KEY.search(before) and not _ENDS_IN_CREDENTIAL_KEY.search(before):
        digest = re.fullmatch(r"[0-9a-f]{64}|[0-9a-f]{128}", value) is not None
        return not digest and not _decodes_to_text(value)
    return True


# A person named after a record's word: ``the account manager on +91 …``, ``case owner at …``. The
# number is where the person is reached, not the record's.
_PERSON_AFTER_RECORD: Final = re.compile(
    r"(?i)\b(?:manager|rep(?:resentative)?|owner|contact|lead|engineer|agent|team|desk|support|holder)"
    r"\s+(?:on|at|via)[ :]*$"
)


# A number dialled with its country code set apart (``+1 647-555-0141``, ``+44 20 7946 0321``): records'
# numbers (orders, tickets, accounts) are not written so, whatever word stands before it.
_DIALLED: Final = re.compile(r"\+\d{1,3}[ .-](?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,4}")


def _phone_vetoed(before: str, value: str = "") -> bool:
    """A record's word before the number (``order``, ``account``), unless the number is dialled with
    its country code; or the number is the tail of a longer run of digit groups
    (``6080 0149 0716 8572``)."""
    veto = None if _DIALLED.fullmatch(value) else _NOT_PHONE_CONTEXT.search(before)
    caller_id = veto is not None and re.search(
        r"(?i)\b(?:caller|calling[ _-]?(?:line|party))[ _-]?$", before[: veto.start()]
    )
    if veto is not None and not _PERSON_AFTER_RECORD.search(veto.group(0)) and not caller_id:
        return True
    return re.search(r"\d[ -]?$", before) is not None


# A North American number written the way the plan writes it: area code and exchange each 2-9 then two
# digits, not ``N11`` service codes; ``555`` only in its fictional ``01xx`` block.
_STRICT_NANP: Final = re.compile(r"[2-9](?!11)\d{2}-(?:555-01\d{2}|(?!555)[2-9](?!11)\d{2}-\d{4})")


# A business's number the line says is published (``the vendor's public support line printed on the
# website``). Not a vendor's hotline or escalation line alone, even toll-free (``Toll-free escalation
# line: 1-800-…``): contact sheets hold those, and the planted folds count them as personal.
_PUBLIC_NUMBER: Final = re.compile(
    r"(?i)\b(?:public|published|printed|advertised|listed)\b[^\n]{0,40}\b(?:line|number|hotline|switchboard"
    r"|phone|website|site|page)\b"
)


def _phone_context(before: str, value: str) -> bool:
    if _phone_vetoed(before, value) or _PUBLIC_NUMBER.search(before):
        return False
    if value.startswith("+") or value.startswith("("):
        return True
    if re.fullmatch(r"0\d{1,3}-\d{3,4}-\d{4}", value):
        return True  # a dashed number with a trunk 0 (Japan, Korea): not a date, an order or a version
    if _STRICT_NANP.fullmatch(value) and not re.search(r"[\w.#/-]$", before):
        # ``503-555-0194`` (the fictional block) in its own format; another exchange only
        # after a word that says someone is reached there (``escalated to``), with no record's word
        # anywhere before it on the line (``INSERT INTO orders … '720-…'``, ``INC-2041: … rows``)
        fictional = "-555-01" in value
        after_person = re.search(r"(?i)\b(?:to|at|from|via|caller|reach|ring|texted|paged)[ \t]*$", before)
        if re.search(r"(?i)\b(?:look(?:s|ed|ing)?|glanc\w*|point\w*)[ \t]+at[ \t]*$", before):
            after_person = None  # "can you look at 767-201-4290?": a ticket, no phone word
        return fictional or (after_person is not None and not _RECORD_WORD.search(before))
    if _SPACED_NANP.fullmatch(value):
        # three bare groups are a phone only in the fictional block or on a line about reaching someone
        return " 555 01" in value or _SPACED_PHONE_WORD.search(before) is not None
    return bool(_PHONE_CONTEXT.search(before[-40:])) or bool(re.search(r"[.\s]", value))


_SPACED_NANP: Final = re.compile(r"[2-9](?!11)\d{2} [2-9](?!11)\d{2} \d{4}")
_SPACED_PHONE_WORD: Final = re.compile(
    r"(?i)\b(?:line|phone|mobile|cell|tel|call|reach|text|sms|whatsapp|number|contact|escalat\w*|on-?call)\b"
)


# A Kerberos principal: ``user[/instance]@REALM``, the name in lower case and the realm in capitals
# (``svc_pms@LARCHMERE``, ``host/db1.acme.internal@ACME.INTERNAL``).
_KERBEROS_PRINCIPAL: Final = re.compile(
    r"[a-z0-9_.\-]+(?:/[a-z0-9_.\-]+)?@[A-Z][A-Z0-9\-]*(?:\.[A-Z0-9\-]+)*"
)


def _secret_rules() -> list[Rule]:
    return [
        # Key blocks first: they contain base64 every other rule would bite into. The block may sit
        # in JSON (``\n`` escapes) or under a YAML block scalar (indented lines); a truncated block
        # is redacted to the end of its base64.
        _rule(
            "private-key",
            r"-{4,5} ?BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)? ?-{4,5}"
            # PGP armor and SSH2 headers (``Version: …``, ``Comment: "…"``), then the blank line PGP puts
            # before the body: neither ends the block
            r"(?:(?:\n|\\n)[ \t]*[A-Za-z][\w-]*:[ \t][^\n]*)*(?:(?:\n|\\n)[ \t]*(?=\n|\\n))?"
            r"(?:(?!-{4,5} ?END)[\s\S]){0,12000}?(?:-{4,5} ?END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)? ?-{4,5}"
            r"(?:\\n)?|(?=[\"'`]|\n\s*\n|\Z))"
            # a PuTTY ``.ppk`` key, whole: header, public and private lines, MAC (cut short: the private
            # lines)
            r"|PuTTY-User-Key-File-\d+:[^\n]*(?:\n[^\n]*){0,80}?\nPrivate-(?:MAC|Hash):[ \t]*[0-9a-fA-F]+"
            r"|PuTTY-User-Key-File-\d+:[^\n]*(?:\n[^\n]*){0,40}?\nPrivate-Lines:[ \t]*\d+"
            r"(?:\n[A-Za-z0-9+/=]{4,})+",
            lambda v: re.search(r"[A-Za-z0-9+/]{16,}", v) is not None,  # not ``…BEGIN…\n...\n…END…``
            hints=("private key", "putty-user-key-file"),
            multiline=True,
        ),
        # Any other key block that is not public: an OpenVPN static key (``-----BEGIN OpenVPN Static
        # key V1-----`` over hex lines), a ``SECRET KEY`` block. Public keys and certificates are kept.
        _rule(
            "private-key",
            r"-{4,5} ?BEGIN (?P<label>(?![^\n-]*(?i:public|private|certificate))[A-Za-z0-9][A-Za-z0-9 ]*?"
            r" (?i:key)(?: V\d+| BLOCK)?) ?-{4,5}"
            r"(?:(?!-{4,5} ?END)[\s\S]){0,12000}?"
            r"(?:-{4,5} ?END (?P=label) ?-{4,5}(?:\\n)?|(?=[\"'`]|\n\s*\n|\Z))",
            lambda v: re.search(r"[A-Za-z0-9+/]{16,}", v) is not None,
            hints=("----begin", "---- begin"),
            multiline=True,
        ),
        _rule(
            "aws-access-key",
            _B + r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}" + _E,
            hints=("akia", "asia", "abia", "acca", "a3t"),
        ),
        _rule(
            "github-token",
            _B + r"(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{40,255})" + _E,
            hints=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        ),
        _rule(
            "gitlab-token",
            _B + r"(?:glpat|gldt|glrt|glptt|glsoat|glcbt|glft|glimt|glagent)-[A-Za-z0-9_\-]{20,}|"
            r"GR1348941[A-Za-z0-9_\-]{20,}",
            hints=(
                "glpat-",
                "gldt-",
                "glrt-",
                "glptt-",
                "glsoat-",
                "glcbt-",
                "glft-",
                "glimt-",
                "glagent-",
                "gr1348941",
            ),
        ),
        _rule(
            "slack-token",
            _B + r"(?:xoxe\.)?xox[abposre]-[A-Za-z0-9-]{10,}|" + _B + r"xapp-\d-[A-Za-z0-9-]{10,}",
            lambda v: re.search(r"\d", v) is not None and not _placeholder_like(v),  # ``xoxb-your-token``
            hints=("xox", "xapp-"),
        ),
        _rule(
            "webhook-url",
            r"https://(?:hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_*-]+"
            r"|(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_-]+"
            r"|[a-z0-9-]+\.webhook\.office\.com/webhookb2/[^\s\"'`)]+"
            r"|chat\.googleapis\.com/v1/spaces/[^\s\"'`)]*key=[^\s\"'`)]+)",
            # a real hook's path holds digits; ``/services/XXX/YYY/ZZZ`` and ``/T0***/B0***/***`` are
            # placeholders
            lambda v: (
                re.search(r"\d", v.split(".com/", 1)[-1]) is not None
                and "*" not in v
                and not placeholder_hook(v)
            ),
            hints=("hooks.slack.com", "discord", "webhook.office.com", "chat.googleapis.com"),
        ),
        _rule(
            "stripe-key",
            _B + r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|" + _B + r"whsec_[A-Za-z0-9]{20,}",
            hints=("_live_", "_test_", "whsec_"),
        ),
        _rule("google-api-key", _B + r"AIza[0-9A-Za-z_\-]{35}" + _E, hints=("aiza",)),
        _rule("google-oauth-token", _B + r"ya29\.[0-9A-Za-z_\-]{20,}", hints=("ya29.",)),
        _rule("jwt", _B + r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", hints=("eyj",)),
        _rule("azure-secret", _B + r"[A-Za-z0-9_~.\-]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}" + _E, hints=("q~",)),
        # A signed URL's signature (Azure SAS and Logic Apps ``sig``, S3/GCS presigned
        # ``X-Amz-Signature``/``X-Goog-Signature``, CloudFront ``Signature``): the rest of the URL is kept.
        _rule("azure-secret", r"(?i)[?&]sig=(?P<v>[A-Za-z0-9%+/=_\-]{16,})", hints=("sig=",)),
        _rule(
            "url-signature",
            r"(?i)[?&](?:x-amz-signature|x-goog-signature|signature)=(?P<v>[A-Za-z0-9%+/=_~\-]{16,})",
            lambda v: not _placeholder_like(v),
            hints=("signature=",),
        ),
        _rule(
            "azure-secret",
            r"(?<![A-Za-z0-9+/-])(?P<v>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])",
            hints=("==",),
        ),
        _rule("npm-token", _B + r"npm_[A-Za-z0-9]{36}" + _E, hints=("npm_",)),
        _rule("sendgrid-key", _B + r"SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}", hints=("sg.",)),
        _rule("twilio", _B + r"(?:AC|SK)[0-9a-f]{32}" + _E, seed=r"(?:AC|SK)[0-9a-f]{8}"),
        _rule("openai-key", _B + r"sk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_\-]{32,}", hints=("sk-",)),
        _rule("pypi-token", _B + r"pypi-AgE[A-Za-z0-9_\-]{50,}", hints=("pypi-",)),
        *(_rule(t, _B + p + _E, hints=(h,)) for t, h, p in _VENDOR_PREFIXES),
        _rule("docker-token", _B + r"dckr_pat_[A-Za-z0-9_\-]{20,}", hints=("dckr_pat_",)),
        _rule("vault-token", _B + r"hv[sbr]\.[A-Za-z0-9_\-]{20,}", hints=("hvs.", "hvb.", "hvr.")),
        _rule(
            "shopify-token",
            _B + r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + _E,
            hints=("shpat_", "shpca_", "shppa_", "shpss_"),
        ),
        _rule("mailchimp-key", _B + r"[0-9a-f]{32}-us\d{1,2}" + _E, hints=("-us",)),
        # Any vendor-style token: a prefix, a separator and a long random body, whatever the vendor.
        _rule(
            "vendor-token",
            r"(?<![A-Za-z0-9_\-./+:@#%$])(?P<v>[A-Za-z][A-Za-z0-9]{0,19}[_\-.][A-Za-z0-9_\-.]{27,}={0,2})"
            r"(?![A-Za-z0-9_\-./+=@])",
            _vendor_style_token,
            seed=r"[A-Za-z0-9][_\-.][A-Za-z0-9_\-.]{27}",
        ),
        _rule("newrelic-key", _B + r"NRAK-[A-Z0-9]{27}" + _E, hints=("nrak-",)),
        # Backblaze B2: an application key (``K`` and three digits, then 27 of base64), and its key id
        # (``00`` and 23 hex) on a line that names B2, as AWS's key id is redacted beside its secret.
        _rule(
            "backblaze-key",
            r"(?<![A-Za-z0-9+/_\-])K\d{3}[A-Za-z0-9+/]{27}(?![A-Za-z0-9+/=_\-])",
            lambda v: _random_run(v[4:].replace("+", "").replace("/", "")),
            seed=r"K\d{3}[A-Za-z0-9+/]{20}",
        ),
        _rule(
            "backblaze-key",
            r"(?i)(?:(?<![a-z0-9])b2|backblaze)[^\n]{0,60}?(?<![0-9a-f])(?P<v>00[0-9a-f]{23})(?![0-9a-z])",
            hints=("b2", "backblaze"),
        ),
        _rule("telegram-token", _B + r"\d{8,10}:AA[0-9A-Za-z_-]{33}" + _E, hints=(":aa",)),
        _rule(
            "heroku-key",
            r"(?i)heroku[^\n:=]{0,40}[:=\s]\s*['\"]?(?P<v>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
            hints=("heroku",),
        ),
        # Credentials in URLs: ``scheme://user:password@host`` and ``?password=``.
        _rule(
            "password-in-url",
            r"(?i)\b[a-z][a-z0-9+.\-]{1,20}: ?//[^\s:/@'\"`<>]*:(?P<v>[^\s@/'\"`<>]+)@[A-Za-z0-9.\-\[]",
            lambda v: not _placeholder_like(v) and not _CREDENTIAL_WORD_VALUE.fullmatch(v),
            hints=("://", ": //"),
        ),
        # An empty host (``snowflake://LOADER:pw@/RAW/PUBLIC?account=…``, an Airflow connection URI
        # whose host sits in a parameter, a socket-path DSN): the user part is still there.
        _rule(
            "password-in-url",
            r"(?i)\b[a-z][a-z0-9+.\-]{1,20}://[^\s:/@'\"`<>]+:(?P<v>[^\s@/'\"`<>]+)@/(?=[\w%?])",
            lambda v: not _placeholder_like(v) and not _CREDENTIAL_WORD_VALUE.fullmatch(v),
            hints=("@/",),
        ),
        _rule(
            "password-in-url",
            r"(?i)[?&;](?:password|passwd|pwd|pass)=(?P<v>[^\s&'\"`#;]+)",
            lambda v: not _placeholder_like(v),
            hints=("pass", "pwd"),
        ),
        _rule(
            "basic-auth",
            r"(?i)\bAuthorization['\"]?\s*[:=]?\s*['\"]?\s*Basic\s+(?P<v>[A-Za-z0-9+/]{8,}={0,2})",
            hints=("basic",),
        ),
        # ``Basic <base64 of user:password>`` wherever it sits (a table column headed ``Auth header``,
        # a proxy config): the decoded pair says it is a credential, whatever names it.
        _rule(
            "basic-auth",
            r"\bBasic\s+(?P<v>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])",
            _basic_pair,
            hints=("basic",),
        ),
        # ``-a``/``--auth user:pw`` (httpie, ``--auth=user:pw`` too) and Java-style ``-auth user:token``
        # (``jenkins-cli.jar -auth admin:TOKEN``): the flag takes a user:password pair, whatever the
        # password's shape. ``-auth @file`` (no colon) names a file.
        _rule(
            "basic-auth",
            r"(?:^|\s)(?:-a|--?auth)(?:\s+|=)['\"]?[^\s:'\"=@]+:(?P<v>[^\s'\"`]+)",
            lambda v: not _placeholder_like(v),
            hints=("-a", "-auth"),
        ),
        # An AWS secret key standing alone: 40 characters of base64 with both cases and a digit.
        _rule(
            "aws-secret-key",
            r"(?<![A-Za-z0-9+/=:_.-])(?P<v>[A-Za-z0-9+/]{40})(?![A-Za-z0-9+/=_.-])",
            lambda v: (
                bool(re.search(r"[a-z]", v) and re.search(r"[A-Z]", v) and re.search(r"[0-9]", v))
                and _entropy(v) >= 4.0
                and not _decodes_to_text(v)  # base64 of readable text (a ``binaryData`` file): data
            ),
            context=lambda before, _v: "://" not in before.rsplit(None, 1)[-1] if before.strip() else True,
            seed=r"[A-Za-z0-9+/]{40}",
        ),
        _rule(
            "password-assignment",
            r"\bsshpass\s+-p\s*['\"]?(?P<v>[^\s'\"]+)",
            lambda v: not _placeholder_like(v),
            hints=("sshpass",),
        ),
        # SQL and .netrc: ``IDENTIFIED [WITH plugin] BY 'pw'``, ``PASSWORD 'pw'``,
        # ``machine h login u password pw``.
        _rule(
            "password-assignment",
            r"(?i)\b(?:identified\s+(?:with\s+\w+\s+)?by|with\s+(?:encrypted\s+)?password|password)\s+(?:=\s*)?N?'(?P<v>[^'\s]{4,})'",
            lambda v: not _placeholder_like(v),
            hints=("identified", "password"),
        ),
        _rule(
            "password-assignment",
            r"(?i)\bmachine\s+\S+\s+login\s+\S+\s+password\s+(?P<v>\S+)",
            lambda v: not _placeholder_like(v),
            hints=("machine",),
        ),
        _rule(
            "basic-auth",
            r"(?:^|\s)(?:-u|--user|--proxy-user)\s*['\"]?[^\s:'\"]+:['\"]?(?P<v>[^\s'\"`]+)",
            # ``-u user:pass``: the credential's name standing in for it is a placeholder
            lambda v: not _placeholder_like(v) and not _CREDENTIAL_WORD_VALUE.fullmatch(v),
            hints=("-u", "--user"),
        ),
        _rule(
            "bearer-token",
            r"(?i)\b(?:Bearer|token)\s+(?P<v>[A-Za-z0-9_\-.~+/]{16,}=*)" + _VALUE_END,
            _token,
            hints=("bearer", "token"),
        ),
        # Command-line passwords: ``mysql -p'…'``, ``redis-cli -a …``, ``--password …``.
        _rule(
            "password-assignment",
            r"(?:^|\s)-p(?P<q>['\"]?)(?P<v>[^\s'\"]{4,})(?P=q)",
            lambda v: (
                not v.isdigit()
                and _PORT_MAPPING.fullmatch(v) is None
                and not _placeholder_like(v)
                and re.search(r"[0-9!@#$%^&*+=~?]", v) is not None
            ),
            hints=("-p",),
        ),
        _rule(
            "password-assignment",
            r"\bredis-cli\b[^\n]*?\s-a\s+['\"]?(?P<v>[^\s'\"]+)",
            lambda v: not _placeholder_like(v),
            hints=("redis-cli",),
        ),
        _rule(
            "password-assignment",
            r"(?i)(?:^|\s)--?[\w.-]*(?:secret|token|api-key|apikey)"
            rf"(?![\w-]*-(?:{_ABOUT_A_CREDENTIAL})\b)[\w-]*(?:=|\s+)['\"]?"
            r"(?P<v>[^\s'\"`]+)",
            _flag_value,
            hints=("secret", "token", "api-key", "apikey"),
        ),
        # A flag named for a password takes the password, whatever its shape (``--password
        # 'Copper harbor nimbus 38!'``, ``--http-password=qRvLtMxK``); not a flag that names where the
        # password comes from (``--password-stdin``, ``--password-file``) or a switch followed by the
        # next flag (``mongosh --password --host h``).
        _rule(
            "password-assignment",
            r"(?i)(?:^|\s)--?[\w.-]*(?:password|passwd|pass)"
            rf"(?![\w-]*-(?:{_ABOUT_A_CREDENTIAL})\b)[\w-]*"
            r"(?:(?:=|\s+)(?P<q>['\"])(?P<v>[^'\"\n]{4,64}?)(?P=q)|(?:=|\s+)(?P<v2>(?!-)[^\s'\"`]{4,}))",
            _position_value,
            hints=("pass",),
        ),
        # More command lines: ``mongo -p pw``, ``ldapsearch -w pw``, ``smbclient -U user%pw``,
        # ``echo pw | docker login --password-stdin``, ``rabbitmqctl add_user u pw`` and the like.
        _rule(
            "password-assignment",
            r"(?:^|\s)-[pwP]\s*(?P<q>['\"])(?P<v>[^\s'\"]+)(?P=q)",
            _quoted_flag_value,
            hints=("-p", "-w"),
        ),
        _rule(
            "password-assignment",
            r"(?:^|\s)-[pwP]\s+(?P<v>[^\s'\"]+)",
            # Kerberos tools (``kinit -p``, ``ktutil addent -password -p``) take a principal after
            # ``-p``: ``svc@REALM`` names who, the realm in capitals
            lambda v: _password_value(v) and not v.isdigit() and not _KERBEROS_PRINCIPAL.fullmatch(v),
            # mysql/mariadb clients take ``-pPW`` glued; ``-p`` then a space prompts, and the next word
            # is the database
            context=lambda before, _v: re.search(r"\b(?:mysql|mariadb)\w*\b[^|;&\n]*-p\s+$", before) is None,
            hints=("-p", "-w"),
        ),
        # ``AUTH [user] pw`` typed at a redis prompt (``10.0.3.7:6379>``, ``redis>``) or alone on a line.
        _rule(
            "password-assignment",
            r"(?m)(?:^|[\w.\-]+:\d+>|redis[\w-]*>)[ \t]*(?i:auth)[ \t]+(?:\S+[ \t]+)?(?P<v>\S+)[ \t]*$",
            lambda v: _quoted_flag_value(v) and not re.fullmatch(r"[A-Za-z]+", v),
            hints=("auth",),
        ),
        _rule(
            "password-assignment",
            r"(?:^|\s)-U\s+['\"]?[^\s%'\"]+%(?P<v>[^\s'\"]+)",
            lambda v: not _placeholder_like(v),
            hints=("-u",),
        ),
        _rule(
            "password-assignment",
            r"\becho\s+['\"]?(?P<v>[^\s'\"|]+)['\"]?\s*\|[^|\n]*--password-stdin",
            lambda v: not _placeholder_like(v),
            hints=("password-stdin",),
        ),
        _rule(
            "password-assignment",
            r"(?i)\b(?:mysqladmin\b[^\n]*?\spassword|rabbitmqctl\s+(?:change_password|add_user)\s+\S+"
            r"|htpasswd\s+(?:-\w+\s+)*?-[A-Za-z]*(?-i:b)[A-Za-z]*\s+(?:-\w+\s+)*[^\s-]\S*\s+\S+|net\s+user\s+\S+)\s+['\"]?(?P<v>[^\s'\"]+)",
            lambda v: not _placeholder_like(v) and not v.startswith("/"),
            hints=("mysqladmin", "rabbitmqctl", "htpasswd", "net user"),
        ),
        # ``net use X: \\host\share PASSWORD /user:…``: the positional after the share is its password
        # (``*`` prompts for it, a ``/switch`` is none). The ``/user:x PASSWORD`` order is in
        # :mod:`kb.safety.redaction_forms`.
        _rule(
            "password-assignment",
            r"(?i)\bnet\s+use\s+(?:[a-z]:\s+|\*\s+|lpt\d:\s+)?\\\\+[^\s\\]+\\+\S+\s+"
            r"['\"]?(?P<v>[^\s'\"/*][^\s'\"]*)",
            _position_value,
            hints=("net use",),
        ),
        _rule(
            "password-assignment",
            r"(?i)\bSET\s+PASSWORD\b[^=\n]*=\s*(?:PASSWORD\()?'(?P<v>[^'\n]+)'",
            lambda v: not _placeholder_like(v),
            hints=("set password",),
        ),
        _rule(
            "password-assignment",
            r"(?i)<(?:password|passwd|secret|token|api[_-]?key|client[_-]?secret)>(?P<v>[^<\s]+)</",
            lambda v: not _placeholder_like(v),
            hints=("<pass", "<secret", "<token", "<api", "<client"),
        ),
        # Prose: "the root password was pw", "password is 'pw'", "reset the admin password to pw". Not
        # a ``$pw`` variable, and not a ``-flag`` after the word.
        _rule(
            "password-assignment",
            r"(?i)(?<![$@%/])\b(?:password|passphrase|passwd|pwd|pw|pass)\s+\(?(?:is|was|of|to|set\s+to|changed\s+to|reset\s+to)?"
            r"(?:\s+(?:actually|really|now|still|currently))?\s*"
            # a dot ends the value only where the sentence ends (``pw rptq3C5.Ibne1`` is one value)
            r"[`'\"(]?(?P<v>(?!-)[^\s`'\")]{6,}?)[`'\")]{0,2}(?=[\s,;)]|\.(?!\w)|$)",
            # not a word the sentence goes on with (``pass phrase:``)
            lambda v: (
                (
                    _strong(v)
                    or (_passphrase(v) and not _reference_value(v))
                    or _generated_groups(v)
                    or _dotted_passphrase(v)
                )
                and re.fullmatch(r"[A-Za-z]+[:.,;!?]*", v) is None
            ),
            hints=("pass", "pw"),
        ),
        # Prose naming a password, a few words, then the quoted value: 'the wifi passphrase for the
        # war room is "quartz quartz summit violet"'. The quotes bound a spaced passphrase.
        _rule(
            "password-assignment",
            r"(?i)(?<![$@%])\b(?:password|passphrase|passwd|pwd|pw)\b[^\n`'\":=]{0,40}?"
            r"\b(?:is|was|are|to|reads)\s+(?P<q>[`'\"])(?P<v>[^`'\"\n]{4,64}?)(?P=q)",
            _position_value,
            hints=("pass", "pw"),
        ),
        # Config-file directives with no ``=``: a line that is only ``name value`` where the name
        # ends in a secret word (redis ``requirepass``/``masterauth``, ``auth_pass``, ``secret``).
        _rule(
            "password-assignment",
            r"(?im)^[ \t]*[a-z][\w.-]*?(?:pass(?:word|wd)?|pw|psk|auth|authtok|secret|token)[ \t]+"
            r"['\"]?(?P<v>[^\s'\"]+)['\"]?[ \t]*$",
            lambda v: _strong(v) or _uuid_secret(v),
            hints=("pass", "pw", "psk", "auth", "secret", "token"),
        ),
        # ``KEY = value`` assignments (env, YAML, JSON, properties, logs) whose name says secret.
        _rule(
            "password-assignment",
            # Anchored at the start of the name: unanchored, a 200k-character line took seconds.
            r"(?i)(?<![\w.\-])[\w.\-]*?(?-i:(?<![a-z])|(?<=[a-z])(?=[A-Z]))(?:"
            + _KEYWORDS
            # ``\"db_password\":\"…\"``: JSON escaped inside a JSON string
            + r")(?-i:(?![a-z]))[\w.\-]*(?:\\?['\"])?[ \t]*(?:=|:|=>|:=)[ \t]*(?:!!(?:str|binary)[ \t]+)?"
            r"(?:\\?['\"])?(?P<v>[^\s'\"`,;&<>(){}\[\]]{6,}?)(?:(?=\\['\"])|" + _VALUE_END + ")",
            lambda v: _strong(v) or _uuid_secret(v),
            context=_assignment_context,
            hints=(
                "pass",
                "pwd",
                "pw",
                "secret",
                "token",
                "key",
                "auth",
                "credential",
                "dsn",
                "conn",
                "cookie",
                "licen",
                "pat",
                "psk",
            ),
        ),
        # Prose: "the secret key (…)", "API key live_…", "auth token 5f7e…", "revoked bearer `…`".
        _rule(
            "generic-secret",
            r"(?i)\b(?:key|token|secret|password|passwd|credential|api[ _-]?key|bearer)s?\b[ \t]*(?:[:=(`'\"]|is|was)?"  # noqa: E501
            r"[ \t]*[(`'\"]?(?<![A-Za-z0-9])(?P<v>[A-Za-z0-9][A-Za-z0-9_\-+/=.~]{15,})" + _VALUE_END,
            _token,
            context=_generic_context,
            hints=("key", "token", "secret", "passw", "credential", "bearer"),
        ),
    ]


# Setting names of a record's or a public key: ``CACHE_KEY``, ``sortKey``, ``public_key``.
_NON_CREDENTIAL_NAME: Final = re.compile(
    rf"(?i)(?:{_RECORD_KEY_QUALIFIERS})[ _.-]?key['\"]?[ \t]*(?:=|:|=>)[ \t]*['\"]?$"
)


def _key_name_context(before: str, value: str) -> bool:
    """``*_KEY=``/``*Key:``/``*_BEARER:`` holds a credential unless the name is a record's or a public
    key, or the value is a digest or base64 of plain text."""
    if _NON_CREDENTIAL_NAME.search(before) or _REFERENCE_KEY.search(before):
        return False
    if re.search(r"[\w.-]/[\w.-]+:$", before):
        return False  # an image reference ``valkey/valkey:8.0.1-alpine``: ``name:tag``, never a secret
    # hex is a digest only when the name does not say which credential it is: ``SIGNING_KEY=<64 hex>``
    # and ``ALGOLIA_ADMIN_KEY=<32 hex>`` hold keys, a bare ``CONTENT_KEY=<64 hex>`` may hold a hash
    named = _ENDS_IN_CREDENTIAL_KEY.search(re.sub(r"['\"]?[ \t]*(?:=|:|=>)[ \t]*['\"]?$", "", before))
    digest = re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}", value) is not None
    return (named is not None or not digest) and not _decodes_to_text(value)


# Words that say the value after a colon is an identifier or a digest, not the credential.
_NOT_A_CREDENTIAL_GAP: Final = re.compile(
    rf"(?i)\b(?:{_ABOUT_A_CREDENTIAL}|trace|span|request|correlation|commit|rotated\s+at)\b"
    r"[^:=\n]*[:=][ \t]*[`'\"]?$"
)


# An instruction about the value is not a word about it: "…, rotate it after the test: <key>".
_INSTRUCTION: Final = re.compile(
    r"(?i)\b(?:rotate|revoke|delete|expire|reset|regenerate|change)\s+"
    r"(?:it|this|them|that|after|once|when|before|later|asap|soon|tomorrow)\b"
)


def _gap_context(before: str, value: str) -> bool:
    gap = _INSTRUCTION.sub(" ", before[-80:])
    return _NOT_A_CREDENTIAL_GAP.search(gap[-60:]) is None and _generic_context(before, value)


# The name of a password setting: the password word ends the name or a part of it (``smtp_pass``,
# ``keystore.password``, ``PGPASSWORD``, ``ansible_become_password``), so ``passenger`` is not one.
_PASSWORD_NAME: Final = rf"(?i)(?<![\w.\-])[\w.\-]*?(?:{_PASSWORD_LIKE})(?![a-z])[\w.\-]*"


# Keyword proximity: the words, the gap (up to six words, none ending a sentence or naming something
# about the credential), the link, and the value (trailing sentence punctuation is not part of it).
_PROSE_PASSWORD_WORDS: Final = (
    rf"{_PASSWORD_FORMS}|passcode|pw|pwd|pin|psk|pre[ _-]?shared[ _-]?key|shared[ _-]?secret"
    r"|(?:wi-?fi|wpa2?|wlan)[ _-]?key|creds?|credentials?|community[ _-]?string|snmp[ _-]?community"
)
_PROSE_TOKEN_WORDS: Final = (
    rf"token|secret|(?:{_KEY_QUALIFIERS})[ _-]?key|priv_?key|privkey|key|pat|seed|authtoken"
)
_PROSE_GAP: Final = r"(?P<gap>(?:[ \t]+(?:[^\s:=;!?,.]|\.(?=\S)){1,30}){0,6}?)"
_PROSE_LINK: Final = (
    r"[ \t]*(?::|=|->|=>|-->|[\u2192\u21d2\u27f6\u2794\u279c]"
    r"|\bis\b(?:[ \t]*:)?|\bwas\b|\bare\b|\bstill\b|<\(echo\b"
    # ``set to``/``changed to``/``contains:``
    r"|\b(?:set|changed|reset)[ \t]+to\b|\bcontains\b(?:[ \t]*:)?"
    r"|,[ \t]*it(?:'s|\s+is)\b)[ \t]*"
    # a correction or an update says the value that follows is the real one: "is actually …"
    r"(?:(?:still|now|actually|really|currently|just)[ \t]+)?"
)
# A value followed by ``...`` is cut short: not the value.
_PROSE_VALUE: Final = r"[`'\"(]?(?P<v>[^\s`'\"()]*[^\s`'\"().,;:])(?!\.\.|…)(?=[`'\")]?[.,;:)]*(?:\s|$))"
_PROSE_NOT_A_VALUE_GAP: Final = re.compile(
    rf"(?i)\b(?:{_ABOUT_A_CREDENTIAL}|{_RECORD_KEY_QUALIFIERS}|trace|span|request|commit|see|"
    r"from|rotated|reset|expired|shared)\b"
)
# Words that say where the credential is (``stored in the vault: secret/data/x``): the value after them
# is a location unless it reads as random (``… passphrase in the bridge notes: wTTs5Quj…``).
_PROSE_ELSEWHERE_GAP: Final = re.compile(r"(?i)(?<![\w-])(?:in|at|via|under|stored)(?![\w-])")


def _prose_word(value: str) -> bool:
    """An ordinary word or CamelCase name (``required``, ``Enabled``), which prose links to a word; not
    12+ letters whose case flips three times or more outside CamelCase (``sirawFNnymiCBUHX``)."""
    if re.fullmatch(r"(?:[A-Za-z]+|(?:[A-Z][a-z]+)+)[!?.]*", value) is None:
        return False
    letters = value.rstrip("!?.")
    flips = sum(a.isupper() != b.isupper() for a, b in itertools.pairwise(letters))
    camel = re.fullmatch(r"[a-z]*(?:[A-Z][a-z]+)+|[A-Z]+[a-z]*", letters) is not None
    return len(letters) < 12 or flips < 3 or camel


# An alerting vendor's routing key named in prose (``the routing key for PagerDuty: …``,
# ``Opsgenie's routing key is …``): a credential, where a broker's routing key is not.
_ALERTING_ROUTING_KEY: Final = re.compile(
    r"(?i)(?=.*\b(?:pager\s?duty|opsgenie|victorops|splunk[ _-]?on-?call)).*\brouting[ _-]?key"
)


def _prose_context(before: str, value: str) -> bool:
    """The words between the credential word and the value must not say the value is something else
    (``key id``, ``token hash``, ``cache key``, ``stored in``)."""
    m = re.search(
        rf"(?i)(?:{_PROSE_PASSWORD_WORDS}|{_PROSE_TOKEN_WORDS})s?\b(?P<gap>[^\n]{{0,200}})$", before
    )
    if m is None:
        return True
    head = before[: m.start()]
    if _LINKING_VERB.search(head):
        return False  # ``the base64 looked secret but it was <sha>``: an adjective, no credential named
    if (
        _NON_CREDENTIAL_KEY.search(head + "key")
        and re.match(r"(?i)key", before[m.start() :])
        and not _ALERTING_ROUTING_KEY.search(before)
    ):
        return False  # ``cache key …``, ``public key …``
    if re.match(r"(?i)pin", before[m.start() :]) and re.search(
        r"(?i)\b(?:tls|ssl|certs?|certificate|spki|hpkp|public[ _-]?key|key|sha-?256)[ _-]?$", head
    ):
        return False  # ``tls pin …``: a pinned public key's hash, not a PIN
    if _PROSE_ELSEWHERE_GAP.search(m.group("gap")) and not _random_run(value):
        return False
    return _PROSE_NOT_A_VALUE_GAP.search(m.group("gap")) is None and _generic_context(before, value)


# A verb that makes the credential word an adjective (``looked secret``, ``seems secret``).
_LINKING_VERB: Final = re.compile(
    r"(?i)\b(?:look|seem|appear|sound|felt|feel)(?:s|ed|ing)?[ \t]+(?:so[ \t]+|very[ \t]+)?$"
)


# Password words far from their value: the word, and the verbs that say a password changed
# ("changed the admin password from <old> to <new>").
_PW_WORD: Final = rf"(?<![$@%\w])(?:{_PASSWORD_FORMS}|passcode|pwd|pw)s?\b"
_CHANGED: Final = r"\b(?:chang|rotat|reset|updat|switch|swapp|flipp)(?:ed|ing|es|e)?\b"
# Words after the password word that say the value is something else (an id, a ticket, a user).
_NOT_THE_PASSWORD: Final = re.compile(
    rf"(?i)\b(?:{_ABOUT_A_CREDENTIAL}|{_RECORD_KEY_QUALIFIERS}|user(?:name)?|login|account|ticket|case|"
    r"order|build|run|job|commit|trace|span|request|session|serial|tag|host|key|token|secret|otp|code)\b"
)


def _password_gap_context(before: str, _value: str) -> bool:
    """Nothing between the last password word and the value says the value is something else."""
    m = list(re.finditer(_PW_WORD, before, re.I))
    return bool(m) and not _NOT_THE_PASSWORD.search(re.sub(_CHANGED, " ", before[m[-1].end() :], flags=re.I))


# What follows a constant's name when its type is written or the preprocessor defines it: a type
# annotation (``: &str``, ``: &'static str``, ``: String``, Go's `` string``) then ``=``, or
# ``#define``'s space; then the quoted value.
_TYPED_CONSTANT_TAIL: Final = (
    r"(?:[ \t]*:[ \t]*(?:&(?:'static[ \t]+)?str|String|string|str|NSString[ \t]*\*?|CharSequence)[ \t]*="
    r"|[ \t]+string[ \t]*=|(?<=[\w.\-])[ \t]+(?=\"))"
    r"[ \t]*\"(?P<v>[^\"\n]{4,128})\""
)


def _typed_constant_context(before: str, _value: str) -> bool:
    """A typed constant or a ``#define`` (the bare space form only after ``#define``), whose name
    is not about the credential (``DB_PASSWORD_FILE: &str``)."""
    name = re.search(r"([\w.\-]+)(?:[ \t]*:[^=\n]*=|[ \t]+string[ \t]*=|[ \t]+)[ \t]*\"$", before)
    if name is None:
        return False
    head = before[: name.start()]
    if not re.search(r"(?:=|string[ \t]*=)[ \t]*\"$", before) and not re.search(
        r"#[ \t]*define[ \t]+$", head
    ):
        return False
    return _REFERENCE_KEY.search(name.group(1) + "=") is None


def _context_rules() -> list[Rule]:
    """Credentials told apart by where they sit rather than by a vendor format."""
    return [
        # A password-named setting holds a password whatever its shape: a passphrase
        # (``violet-cobalt-nimbus-98``, ``"ember maple glacier ember"``), random letters, Title-Case
        # words. Quoted, the quotes bound it; unquoted, it runs to the end of the line (YAML,
        # properties, INI) or to the next space.
        _rule(
            "password-assignment",
            _PASSWORD_NAME + r"['\"]?[ \t]*(?:=|:|=>|:=)[ \t]*(?P<q>['\"])(?P<v>[^'\"\n]{4,64}?)(?P=q)",
            _position_value,
            context=_assignment_context,
            hints=("pass", "pw", "psk", "shared", "authtok", "wifi", "wi-fi", "wpa", "wlan", "community"),
        ),
        _rule(
            "password-assignment",
            _PASSWORD_NAME + r"['\"]?[ \t]*(?:=|:|=>|:=)[ \t]*"
            r"(?P<v>[^\s'\"`,;&<>(){}\[\]](?:[^\n'\"`#]{2,63}?[^\s'\"`,;])?)[ \t]*(?:[ \t]#[^\n]*)?$",
            _position_value,
            context=_assignment_context,
            hints=("pass", "pw", "psk", "shared", "authtok", "wifi", "wi-fi", "wpa", "wlan", "community"),
        ),
        _rule(
            "password-assignment",
            _PASSWORD_NAME
            + r"['\"]?[ \t]*(?:=|:|=>|:=)[ \t]*(?P<v>[^\s'\"`,;&<>(){}\[\]]{4,}?)"
            + _VALUE_END,
            _position_value,
            context=_assignment_context,
            hints=("pass", "pw", "psk", "shared", "authtok", "wifi", "wi-fi", "wpa", "wlan", "community"),
        ),
        # Name/value pairs, where the name says what the value is: XML ``<property name="password"
        # value="…"/>``, HAR/Postman ``{"name": "authorization", "value": "Basic …"}``, and a form
        # field named by its CSS selector, as a Sentry ``ui.input`` breadcrumb or a form log records it
        # (``{"target": "input#password", "value": "…"}``, ``form > input[name=password]``).
        _rule(
            "password-assignment",
            r"(?i)\b(?:name|key|target|field|selector)['\"]?\s*[:=]\s*['\"]"
            r"(?:[^'\"\n]{0,60}?[#\[=\s>.])?[\w.\-]*(?:" + _KEYWORDS + r"|bearer)"
            r"[\w.\-]*\]?['\"]\s*,?\s*"
            r"['\"]?value['\"]?\s*[:=]\s*['\"](?:(?:Basic|Bearer|Token)\s+)?(?P<v>[^'\"\s]+)['\"]",
            lambda v: _password_value(v) or _token(v),
            hints=("value",),
        ),
        # Any setting whose name ends in ``key`` or ``bearer`` (``OPENWEATHER_KEY=``, ``mapsKey:``,
        # ``PARTNER_BEARER:``) holding a high-entropy token. A base64url token may begin with ``_`` or
        # ``-`` (``ROUTING_KEY:  _OAg…``).
        _rule(
            "generic-api-key",
            r"(?<![\w.\-])[A-Za-z][\w.\-]*?(?:key|Key|KEY|bearer|Bearer|BEARER)"
            r"['\"]?[ \t]*(?:=|:|=>)[ \t]*['\"]?"
            r"(?P<v>[_\-]?[A-Za-z0-9][A-Za-z0-9_\-+/=.~]{15,})" + _VALUE_END,
            _token,
            context=_key_name_context,
            hints=("key", "bearer"),
        ),
        # A named credential, a few words, a colon, the value: "Twilio auth token for the OTP
        # sender: 7f64…", "API key used by the exporter = …".
        _rule(
            "generic-secret",
            r"(?i)\b(?:auth[ _-]?token|access[ _-]?token|api[ _-]?key|app(?:lication)?[ _-]?key|"
            r"secret[ _-]?key|client[ _-]?secret|password)\b[^\n:=`'\"]{1,40}?[:=][ \t]*[`'\"]?"
            r"(?P<v>[A-Za-z0-9][A-Za-z0-9_\-+/=.~]{15,})" + _VALUE_END,
            _token,
            context=_gap_context,
            hints=("token", "key", "secret", "password"),
        ),
        # Keyword proximity in prose, chat and timeline rows: a credential word, a few words, then
        # ``:``/``=``/``is``/``->`` and the value ("vpn pw for the break-glass account: …", "pasted the
        # Heroku API key into #inc-…: …", "the mq admin pw is still …"). What the word names sets the
        # test: a password word takes any password shape, a key or token word a random token. Words
        # about a credential in between (``id``, ``hash``, ``file``) say the value is not the secret.
        _rule(
            "password-assignment",
            rf"(?i)(?<![$@%\w])(?:{_PROSE_PASSWORD_WORDS})s?\b{_PROSE_GAP}{_PROSE_LINK}{_PROSE_VALUE}",
            lambda v: _position_value(v) and not _prose_word(v),
            context=_prose_context,
            hints=("pass", "pw", "pin", "psk", "shared", "cred", "wifi", "wi-fi", "wpa", "wlan", "community"),
        ),
        _rule(
            "generic-secret",
            rf"(?i)(?<![$@%\w])(?:{_PROSE_TOKEN_WORDS})s?\b{_PROSE_GAP}{_PROSE_LINK}{_PROSE_VALUE}",
            lambda v: _token(v) or _base64_key(v) or _vendor_style_token(v),
            context=_prose_context,
            hints=("key", "token", "secret", "pat", "seed"),
        ),
        # Vendor keys prefixed ``live_`` (payment and mail APIs) standing alone in prose.
        _rule("generic-api-key", _B + r"live_[A-Za-z0-9]{24,}" + _E, _token, hints=("live_",)),
        # Go MySQL DSNs have no scheme: ``user:pw@tcp(host:3306)/db``.
        _rule(
            "password-in-url",
            r"(?<![\w/:@.\-])[\w.\-]+:(?P<v>[^\s@/'\"`<>:()]+)@(?:tcp|tcp6|udp|unix)\(",
            lambda v: not _placeholder_like(v),
            hints=("@tcp", "@udp", "@unix"),
        ),
        # A URI written without its scheme (``mysqlsh --uri root:pw@host:3306``, ``-h user:pw@host``):
        # ``user:pw@`` then a host name with a dot or a port. Not ``mailto:``, and not an image
        # reference (``registry:5000/app@sha256``: the part after the colon holds a ``/``).
        _rule(
            "password-in-url",
            r"(?<![\w/:@.%\-])(?!mailto:)[A-Za-z_][\w.\-]*:(?P<v>[^\s@/'\"`<>:()]+)@"
            r"(?:[A-Za-z0-9\-]+\.[A-Za-z0-9.\-]*[A-Za-z]|[A-Za-z0-9\-]+:\d{2,5}\b)",
            lambda v: not _placeholder_like(v) and not v.isdigit(),
            hints=("@",),
        ),
    ]


# A call (or an ``auth=`` tuple) that takes credentials: its name says so.
_CREDENTIAL_CALL: Final = (
    r"(?i)\b[\w.:]*(?:auth|login|logon|sign_?in|credential|connect|bind|smtp|ftp|imap|ldap)\w*"
    r"(?:(?:::|\.)\w+)?\s*=?\s*[(\[{]"
)
# A string turned into an owned value on the way in: Rust ``"u".to_owned()``, ``"u".into()``.
_OWNED: Final = r"(?:\.(?:to_owned|to_string|into|as_str)\(\))?"
# A user name written as a literal: ``"etl"``, ``'svc-report'``, ``"alerts@acme.example"``.
_USER_LITERAL: Final = r"(?P<uq>['\"])[A-Za-z0-9][\w.@+\\-]{0,63}(?P=uq)"


_AUTH_LINE: Final = re.compile(r"(?i)auth|basic|login|cred|htpasswd|user|account")


def _pair_password(value: str) -> bool:
    """The password half of ``user:password``: a password value, not hex (a digest), not a version."""
    if re.fullmatch(r"[0-9a-fA-F]+", value) or re.match(r"\d+(?:\.\d+)+", value):
        return False
    return _password_value(value) and not _reference_value(value)


def _typed_constant_rules() -> list[Rule]:
    """Credential constants written with their type or by ``#define`` (read after
    :func:`_context_rules`, whose rules want ``=`` or ``:`` right after the name)."""
    return [
        # A constant declared with its type or by the C preprocessor: Rust ``const DB_PASSWORD: &str =
        # "…";``, Kotlin ``const val API_TOKEN: String = "…"``, Swift ``let apiSecret: String = "…"``,
        # Go ``const dbPassword string = "…"``, C ``#define DB_PASSWORD "…"``. The annotation sits
        # between the name and the value, where the setting rules want ``=`` or ``:`` alone.
        _rule(
            "password-assignment",
            _PASSWORD_NAME + _TYPED_CONSTANT_TAIL,
            _position_value,
            context=_typed_constant_context,
            hints=("pass", "pw", "psk", "define"),
        ),
        _rule(
            "generic-secret",
            r"(?i)(?<![\w.\-])[\w.\-]*?(?:secret|token|(?:"
            + _KEY_QUALIFIERS
            + r")[_-]?key|apikey)(?![a-z])[\w.\-]*"
            + _TYPED_CONSTANT_TAIL,
            _secret_in_context,
            context=_typed_constant_context,
            hints=("secret", "token", "key"),
        ),
    ]


def _call_rules() -> list[Rule]:
    """Credentials handed to an API or a tool as arguments rather than named settings."""
    return [
        # The password position of a credential-taking call or tuple: the literal right after a
        # literal user name (``auth=("etl", "Summit-Quartz-Nimbus!")``, ``ftp.login("u", "pw")``,
        # ``PlainCredentials('u', 'pw')``). A variable there is not a value.
        # The first and the last literal pair of the arguments: ``ftp.login('u', 'pw')``,
        # ``smtp.PlainAuth("", "u", "pw", host)``, ``Net::SMTP.start(host, port, helo, 'u', 'pw', :login)``.
        *(
            _rule(
                "password-assignment",
                _CREDENTIAL_CALL
                + gap
                + _USER_LITERAL
                + _OWNED
                + r"\s*,\s*(?P<q>['\"])(?P<v>[^'\"\n]{4,64}?)(?P=q)",
                _position_value,
                hints=(
                    "auth",
                    "login",
                    "logon",
                    "sign",
                    "credential",
                    "connect",
                    "bind",
                    "smtp",
                    "ftp",
                    "imap",
                    "ldap",
                ),
            )
            for gap in (r"(?:[^()\n]|\(\))*?", r"(?:[^()\n]|\(\))*")
        ),
        # Credentials passed as call arguments: ``auth=("user", "pw")``, ``HTTPBasicAuth("u", "pw")``,
        # ``req.SetBasicAuth("u", "pw")``, Rust's ``.basic_auth("u", Some("pw"))``.
        _rule(
            "basic-auth",
            r"(?i)(?:\bauth\s*=\s*|\b[\w.]*basic_?auth\w*\s*)\(\s*(?:['\"][^'\"\n]+['\"]|[\w.\[\]'\"]+)\s*,\s*"
            r"(?:Some\(\s*)?['\"](?P<v>[^'\"\s]+)['\"]\s*\)",
            _password_value,
            hints=("auth",),
        ),
        # An auth token passed right after the account SID it belongs to: ``Client(account_sid, "…")``.
        _rule(
            "twilio",
            r"\(\s*[\w.\[\]'\"]*?(?i:sid)['\"\]]*\s*,\s*['\"](?P<v>[A-Za-z0-9]{32,})['\"]",
            _token,
            hints=("sid",),
        ),
        # A setting named for its auth value, with nothing after ``auth``: ``REDIS_AUTH=``,
        # ``masterauth:``. Not a bare ``auth:`` or ``oauth:`` (``auth: oauth2`` names a method), and
        # not ``auth_type``/``auth_mode`` (a choice).
        _rule(
            "password-assignment",
            r"(?i)(?<![\w.\-])[\w.\-]*?[a-z_.\-](?<!o)auth['\"]?[ \t]*(?:=|:|=>|:=)[ \t]*['\"]?"
            r"(?P<v>[^\s'\"`,;&<>(){}\[\]]{6,}?)" + _VALUE_END,
            _strong,
            hints=("auth",),
        ),
    ]


def _credential_api_rules() -> list[Rule]:
    """Values that an API or a tool turns into credentials: secure strings, connection calls that
    take a password positionally, setters and options named for the credential."""
    return [
        # Strings turned into credentials by the API that takes them: PowerShell
        # ``ConvertTo-SecureString [-String] 'pw' -AsPlainText``. A ``$variable`` is not a value.
        _rule(
            "password-assignment",
            r"(?i)\bConvertTo-SecureString\s+(?:-(?:String|AsPlainText|Force)\s+)*['\"](?P<v>[^'\"\n$]+)['\"]",
            lambda v: not _placeholder_like(v),
            hints=("convertto-securestring",),
        ),
        # Database connections opened with positional (dsn, user, password) arguments: PHP
        # ``new PDO(dsn, 'u', 'pw')``/``mysqli_connect(h, 'u', 'pw')``, JDBC
        # ``DriverManager.getConnection(url, "u", "pw")``.
        _rule(
            "password-assignment",
            r"(?i)\b(?:new\s+PDO|new\s+mysqli|mysqli?_(?:real_)?connect|DriverManager\.getConnection)\s*\("
            r"\s*(?:'[^'\n]*'|\"[^\"\n]*\"|\$?[\w.]+)\s*,\s*(?:'[^'\n]*'|\"[^\"\n]*\"|\$?[\w.]+)\s*,\s*"
            r"['\"](?P<v>[^'\"\n]{4,})['\"]",
            lambda v: not _placeholder_like(v),
            hints=("pdo", "mysqli", "mysql_connect", "getconnection"),
        ),
        # Builder and setter calls named for the credential: ``.password("pw")``,
        # ``.setPassword("pw")``, ``withClientSecret("…")``, ``.api_key('…')``.
        _rule(
            "password-assignment",
            r"(?i)(?:\.|\b(?:set|with))_?(?:password|passwd|pass|secret|client_?secret|api_?key|"
            r"auth_?token|access_?token|token)\s*\(\s*['\"](?P<v>[^'\"\s]+)['\"]\s*\)",
            lambda v: _password_value(v) or _token(v),
            hints=("pass", "secret", "key", "token"),
        ),
        # Infrastructure code that wraps a literal as a secret: AWS CDK
        # ``SecretValue.unsafePlainText('pw')`` (``plainText`` in CDK v1, ``unsafe_plain_text`` in
        # Python), Pulumi ``pulumi.secret("pw")``/``Output.secret``/``pulumi.ToSecret``/
        # ``Output.CreateSecret``. The call says the literal is a secret; a variable is not a value.
        _rule(
            "password-assignment",
            r"(?i)(?:\bSecretValue\.(?:unsafe_?)?plain_?text|\bpulumi\.(?:Output\.)?(?:secret|ToSecret)"
            r"|\bOutput\.(?:secret|CreateSecret))\s*\(\s*(?P<q>['\"`])(?P<v>[^'\"`\n]{4,200}?)(?P=q)\s*[,)]",
            lambda v: not _placeholder_like(v) and (_password_value(v) or _token(v) or _uuid_secret(v)),
            hints=("secretvalue", "pulumi", "output.secret", "output.createsecret"),
        ),
        # hiera-eyaml's edit form, ``DEC(1)::PKCS7[pw]!``: the clear value ``eyaml edit`` shows and
        # encrypts on save (a file pasted in that state holds it in clear; ``ENC[PKCS7,…]`` is the
        # ciphertext, kept whole).
        _rule(
            "password-assignment",
            r"\bDEC(?:\(\d+\))?::(?:PKCS7|GPG)\[(?P<v>[^\]\n]{4,200})\]!",
            lambda v: not _placeholder_like(v),
            hints=("dec(", "dec::"),
        ),
        # libcurl's user:password option: ``curl_setopt($ch, CURLOPT_USERPWD, 'u:pw')``.
        _rule(
            "basic-auth",
            r"(?i)\b(?:CURLOPT_(?:PROXY)?USERPWD|userpwd)\W{0,4}['\"][^:'\"\s]*:(?P<v>[^'\"\s]+)['\"]",
            lambda v: not _placeholder_like(v),
            hints=("userpwd",),
        ),
        # Prose pairs: "vpn login is ops / pw", "creds: admin / pw", "user/pass = u / pw"; a config
        # comment may name the account and add a clause before the colon ("# bootstrap user, remove
        # after provisioning: gw / pw").
        _rule(
            "password-assignment",
            r"(?i)\b(?:login|logins|credentials?|creds|user(?:name)?\s*/\s*pass(?:word)?"
            r"|(?:bootstrap|initial|default|admin|service|break[ -]?glass|temporary|provisioning)\s+"
            r"(?:user|account|login))"
            r"(?:\s+(?:for|to|on|in)(?:\s+[\w.#-]+){1,4}?|,[^\n:=]{1,60}?(?=:))?"
            r"\s*(?:is|are|was|were|:|=|->|[\u2192\u21d2])?"
            r"\s*\(?(?P<bq>`?)[\w.@-]+(?P=bq)\s+(?:/|and)\s+(?P=bq)(?P<v>[^\s'\"`]+?)(?P=bq)(?=[\s,;'\"`)]|[.](?:\s|$)|$)",
            _position_value,
            hints=("login", "cred", "user", "account"),
        ),
        # A ``user:password`` pair on a line about logging in (``auth_basic_user_file line: ops:pw``,
        # ``basic auth admin:pw``). Not a digest (``sha256:…``), an image tag or a version.
        _rule(
            "basic-auth",
            r"(?<![\w/:@.%\-])(?P<user>[a-z][\w.\-]{1,31}):(?P<v>[^\s:@/'\"`|<>()\[\]{},;]{6,64})(?![\w@:/])",
            _pair_password,
            context=lambda before, _v: _AUTH_LINE.search(before) is not None,
            hints=("auth", "basic", "login", "cred", "htpasswd", "user"),
        ),
        # ``curl -u user:pw`` written as an argument list: ``["curl", "-u", "probe:pw", …]``.
        _rule(
            "basic-auth",
            r"['\"](?:-u|--user|--auth)['\"]\s*,\s*['\"][^\s:'\"]+:(?P<v>[^\s'\"]+)['\"]",
            lambda v: not _placeholder_like(v),
            hints=("-u", "--user", "--auth"),
        ),
    ]


# --- credential positions learned from names -------------------------------------------------------
# What a value is follows from the word that holds it, not from its alphabet: a name that says
# credential makes any random-looking value there a secret, hex included (``SIGNING_KEY=<64 hex>``,
# ``openssl rand -hex`` passwords); a name that says digest, hash, checksum, commit, fingerprint or
# id keeps it (see _ABOUT_A_CREDENTIAL).
_NAME_SAYS_CREDENTIAL: Final = (
    r"[\w.\-]*(?:" + _KEYWORDS + r"|bearer|(?:" + _KEY_QUALIFIERS + r")[_.\-]?keys?)"
    r"(?![\w.\-]*[_.\-](?:" + _ABOUT_A_CREDENTIAL + r")\b)[\w.\-]*"
)
# Commands that store their argument as a secret: ``gh secret set``, ``az keyvault secret set``,
# ``gcloud secrets create``, ``pulumi config set --secret``.
_SECRET_STORE_COMMAND: Final = (
    r"(?i)\b(?:secrets?|keyvault|kv|config)\s+(?:set|put|create|add|versions\s+add)\b"
)


def _secret_in_context(value: str) -> bool:
    """What a position named for a credential may hold: any random-looking value (hex, base64,
    base32, a vendor token) or a password shape; not a placeholder or a reference."""
    v = value.strip()
    if _placeholder_like(v) or _reference_value(v):
        return False
    return _token(v) or _base64_key(v) or _vendor_style_token(v) or _password_value(v) or _uuid_secret(v)


def _random_value(value: str) -> bool:
    """A random-looking value of any alphabet, hex included: what a position named for a key holds."""
    if _placeholder_like(value) or _reference_value(value):
        return False
    hex_key = (
        re.fullmatch(r"[0-9a-fA-F]{16,}", value) is not None and re.search(r"[a-fA-F]", value) is not None
    )
    return hex_key or _token(value) or _base64_key(value) or _vendor_style_token(value)


def _random_alone(value: str) -> bool:
    """A value alone on a line after a line that names a credential: random, not a word or a path,
    not a row of a delimited export (``ops,<pw>,admin``: the column reader takes its cell)."""
    if _placeholder_like(value) or _reference_value(value) or value.endswith(":"):
        return False
    if "," in value:
        return False
    return (
        _token(value)
        or _base64_key(value)
        or _letters_and_digits(value)
        or (
            _strong(value)
            and re.search(r"\d", value) is not None
            and re.search(r"[A-Za-z]", value) is not None
        )
    )


_SAYS_CREDENTIAL_NAME: Final = re.compile(rf"(?i)^{_NAME_SAYS_CREDENTIAL}$")


def _named_value_context(before: str, value: str) -> bool:
    """The name just before the value decides: one that names a credential takes any secret shape,
    one that only ends in ``key`` (``CF_ORIGIN_CA_KEY``) a random token, and a record's key nothing."""
    m = re.search(r"([A-Za-z_][\w.\-]*)\s+['\"]?$", before)
    if m is None:
        return False
    name = m.group(1)
    if _NON_CREDENTIAL_NAME.search(name + "=") or _REFERENCE_KEY.search(name + "="):
        return False
    if _SAYS_CREDENTIAL_NAME.match(name):
        return True
    return re.search(r"(?i)key$", name) is not None and (_token(value) or _vendor_style_token(value))


def _position_rules() -> list[Rule]:
    """Credentials told apart by the name, flag or command that holds them."""
    return [
        # A named credential set by a shell builtin, name and value apart: ``setx OKTA_API_TOKEN "…"``,
        # fish ``set -gx CF_ORIGIN_CA_KEY …``.
        _rule(
            "generic-secret",
            r"(?i)(?:^|[\s;&])(?:setx|set\s+-[a-z]+)\s+[A-Za-z_][\w.\-]*\s+(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            _secret_in_context,
            context=_named_value_context,
            hints=("setx", "set -"),
        ),
        # A Kubernetes env entry: ``- name: FCM_SERVER_KEY`` then ``value: "…"`` on the next line.
        _rule(
            "generic-secret",
            # a name ending in ``auth`` (``PGBOUNCER_AUTH``, not ``OAUTH``) names its auth value,
            # as ``REDIS_AUTH=`` does
            r"(?i)\bname:[ \t]*['\"]?(?:" + _NAME_SAYS_CREDENTIAL + r"|[\w.\-]*[a-z_.\-](?<!o)auth)"
            r"['\"]?[ \t]*\n[ \t]*value:[ \t]*"
            r"(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)[ \t]*$",
            _secret_in_context,
            hints=("value:",),
            multiline=True,
        ),
        # A credential word followed by its quoted value: ``: PSK "…"``, ``secret "…"``.
        _rule(
            "password-assignment",
            r"(?i)\b(?:psk|pre-?shared[ _-]?key|password|passphrase|secret)\s+"
            r"(?P<q>['\"])(?P<v>[^'\"\n]{4,64}?)(?P=q)",
            _position_value,
            hints=("psk", "pre", "pass", "secret"),
        ),
        # Network gear and daemon configs: the keyword, an optional type digit, the value
        # (``username ops secret 0 …``, ``rocommunity …``, ``tacacs-server key …``).
        _rule(
            "password-assignment",
            r"(?im)(?:^|[ \t])"
            r"(?:secret|password|key-string|\w*community|psk|pre-shared-key|requirepass|masterauth)"
            # the value ends the line or is followed by more settings, never by sentence punctuation
            r"[ \t]+(?:[05][ \t]+)?(?P<v>[^\s'\"`*]*[^\s'\"`*,.;:!?)\]])(?=[ \t]|$)",
            lambda v: _position_value(v) and not _prose_word(v),
            hints=(
                "secret",
                "password",
                "key-string",
                "community",
                "psk",
                "pre-shared",
                "requirepass",
                "masterauth",
            ),
        ),
        # A secret-store command's value flag: ``gh secret set X --body '…'``, ``az keyvault secret set
        # --value …``.
        _rule(
            "password-assignment",
            _SECRET_STORE_COMMAND + r"[^\n]*?\s--(?:body|value|data|payload|secret-string|string)(?:=|\s+)"
            r"(?:(?P<q>['\"])(?P<v>[^'\"\n]{4,200}?)(?P=q)|(?P<v2>(?!-)[^\s'\"]{4,}))",
            _secret_in_context,
            hints=("secret", "keyvault", "kv", "config"),
        ),
        # The value after a credential name in a secret-store command: ``pulumi config set --secret
        # dbPassword …``, ``heroku config:set`` has its own ``=``.
        _rule(
            "password-assignment",
            _SECRET_STORE_COMMAND
            + r"(?:\s+--secret)?\s+"
            + _NAME_SAYS_CREDENTIAL
            + r"\s+(?P<q>['\"]?)(?P<v>(?!-)[^\s'\"]+)(?P=q)",
            _secret_in_context,
            hints=("secret", "config", "kv"),
        ),
        # A flag named for a key (``--encryption-key``, ``--license-key``, ``--key``) takes a random
        # value; not a record's or a public key (``--sort-key``, ``--public-key``), not ``--key-id``.
        _rule(
            "generic-secret",
            r"(?i)(?:^|\s)--(?![\w-]*(?:" + _RECORD_KEY_QUALIFIERS + r")-?key\b)[\w-]*key(?:=|\s+)"
            r"(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            _random_value,
            hints=("key",),
        ),
        # Flags that take a passphrase only for the tool that defines them: ``ssh-keygen -N``,
        # ``openssl enc -k``; a here-string or pipe into ``sudo -S``, a secret store or a login.
        _rule(
            "password-assignment",
            r"\b(?:ssh-keygen\b[^\n|;&]*?\s-[NP]|openssl\s+(?:enc|aes\S*|des\S*|bf\S*)\b[^\n|;&]*?\s-k)\s+"
            r"(?:(?P<q>['\"])(?P<v>[^'\"\n]{1,64}?)(?P=q)|(?P<v2>[^\s'\"]+))",
            lambda v: not _placeholder_like(v) and not _reference_value(v),
            hints=("ssh-keygen", "openssl"),
        ),
        _rule(
            "password-assignment",
            r"\bsudo\b[^\n|;&]*?\s-S\b[^\n]*?<<<\s*(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            lambda v: not _placeholder_like(v) and not _reference_value(v),
            hints=("sudo",),
        ),
        _rule(
            "password-assignment",
            r"\becho\s+(?:-[ne]+\s+)?(?P<q>['\"]?)(?P<v>[^\s'\"|]+)(?P=q)\s*\|\s*[^|\n]*?"
            r"(?:\bsecrets?\s+(?:create|set|put|add|versions)|--data-file[= ]-|--password-stdin|\bsudo\s+-S|"
            r"\bkinit\b|\bpasswd\s+--stdin"
            # Cyrus SASL's ``saslpasswd2 -p`` and ``htpasswd -i`` read the password from the pipe
            r"|\bsaslpasswd2?\b[^|\n]*?\s-[A-Za-z]*p\b|\bhtpasswd\b[^|\n]*?\s-[A-Za-z]*i\b"
            # the Elastic Stack keystores' ``add -x``/``--stdin`` read the value from the pipe
            r"|\b(?:elasticsearch|kibana|logstash)-keystore\s+add\b[^|\n]*?\s(?:-x|--stdin)\b"
            # ``az devops login`` reads the Azure DevOps PAT from the pipe
            r"|\baz\s+devops\s+login\b)",
            lambda v: not _placeholder_like(v) and not _reference_value(v),
            hints=("echo",),
        ),
        # A call named for a credential with the value as its only argument: ``redis:auth("…")``,
        # ``dbms.security.changePassword('…')``.
        _rule(
            "password-assignment",
            r"(?i)\b[\w.:]*(?:auth|password|passwd)\w*\s*\(\s*(?P<q>['\"])(?P<v>[^'\"\n]{4,64}?)(?P=q)\s*\)",
            _position_value,
            hints=("auth", "pass"),
        ),
    ]


def _layout_rules() -> list[Rule]:
    """Credentials told apart by the file or output layout they sit in."""
    return [
        # Oracle ``user/password@``: sqlplus, a JDBC thin URL, the export tools.
        _rule(
            "password-in-url",
            r"(?i)(?:\bsqlplus\s+(?:-\w+\s+)*|\bjdbc:oracle:(?:thin|oci):|\b(?:rman|expdp|impdp)\s+(?:\w+=)?)"
            r"[A-Za-z]\w*/(?P<v>[^\s/@'\"]+)@",
            lambda v: not _placeholder_like(v),
            hints=("sqlplus", "oracle", "rman", "expdp", "impdp"),
        ),
        # A .pgpass line: ``host:port:database:user:password``.
        _rule(
            "password-assignment",
            r"(?m)^[\w.*\-]+:(?:\d{2,5}|\*):[\w*.\-]+:[\w*.@\-]+:(?P<v>\S+)$",
            lambda v: not _placeholder_like(v),
            seed=r":(?:\d{2,5}|\*):[\w*.\-]+:",
        ),
        # ``user NAME PASSWORD`` inside an ftp session or here-document.
        _rule(
            "basic-auth",
            r"(?i)\bftp\b[^\n]*\n(?:[^\n]*\n){0,6}?[ \t]*user[ \t]+\S+[ \t]+(?P<v>\S+)[ \t]*$",
            lambda v: not _placeholder_like(v),
            hints=("ftp",),
            multiline=True,
        ),
        # Cookie jars and headers: a random cookie value is a session credential.
        _rule(
            "session-cookie",
            r"(?i)(?:\bcookies?\b|(?:^|\s)-b\s)[^\n]*?(?:^|[\s'\"{;,])['\"]?[\w.\-]+['\"]?\s*[=:]\s*['\"]?"
            r"(?P<v>[A-Za-z0-9_\-.+/=%]{16,})",
            lambda v: _token(v.lstrip(".")) or _random_run(v.lstrip(".")),
            hints=("cookie", "-b"),
        ),
        # A JWK's private members (``"d"``, RSA ``"p"``/``"q"``/``"dp"``/``"dq"``/``"qi"``, symmetric
        # ``"k"``).
        _rule(
            "private-key",
            r"\"(?:d|p|q|dp|dq|qi|k)\"\s*:\s*\"(?P<v>[A-Za-z0-9_\-+/]{32,}={0,2})\"",
            lambda v: all(re.search(p, v) for p in (r"[a-z]", r"[A-Z]", r"[0-9]")),
            seed=r"\"(?:d|p|q|dp|dq|qi|k)\"\s*:",
        ),
        # PuTTY key files: the base64 lines after ``Private-Lines: N``.
        _rule(
            "private-key",
            r"(?m)^Private-Lines:[ \t]*\d+[ \t]*\n(?P<v>[A-Za-z0-9+/=]{16,}(?:\n[A-Za-z0-9+/=]{16,})*)",
            hints=("private-lines",),
            multiline=True,
        ),
        # Tool printouts: a line that names a password, secret or token, then the value alone on the
        # next line (after at most one blank one): Jenkins' initial admin password, ``kubectl get
        # secret … | base64 -d``, ``untrusted comment: … secret key``. Not after a line that names a
        # digest, an id or a public key. A debugger or REPL prints the value of an expression that
        # names one (``(gdb) p cfg->auth`` then ``$1 = "…"``).
        _rule(
            "password-assignment",
            r"(?im)^(?![^\n]*\b(?:hash\w*|sha\d*|digest|checksum|fingerprint|ids?|commit|public|name)\b)"
            # nor after a ``jsonpath='{.data.KEY}'`` whose key names no credential (``APP_NAME``)
            r"(?![^\n]*\{\.data\.(?![\w.\-\\]*(?:pass|pwd|secret|token|key|auth|cred|cert))[\w.\-\\]+\})"
            r"[^\n]*?(?:pass(?:word|wd|phrase)?|secret|token|private[ _-]?key|(?<=[>.])auth\w*)[^\n]*\n"
            r"(?:[ \t]*\n)?[ \t]*(?:\$\d+ = (?P<q>['\"]))?(?P<v>[^\s'\"]{8,2048})(?(q)(?P=q))[ \t]*$",
            _random_alone,
            hints=("pass", "secret", "token", "private", "auth"),
            multiline=True,
        ),
        # Vault unseal keys on the command line, and arrays of keys under a credential name.
        _rule(
            "generic-secret",
            r"\bunseal\s+(?P<v>[A-Za-z0-9+/]{20,}={0,2})",
            hints=("unseal",),
        ),
        _rule(
            "generic-secret",
            r"(?i)\"" + _NAME_SAYS_CREDENTIAL + r"\"\s*:\s*\[\s*\"(?P<v>[^\"\s]{16,})\"",
            lambda v: _token(v) or _base64_key(v),
            hints=("key", "token", "secret", "pass"),
        ),
    ]


_SASL_LINE: Final = re.compile(r"(?i)sasl|pwdb|passw|cred|login")


def _pair_rules() -> list[Rule]:
    """A password beside the name or user it belongs to, in forms no setting syntax covers."""
    return [
        # A (name, value) call whose name is a password setting: PHP ``define('DB_PASSWORD', '…')``,
        # ``os.environ.setdefault("SMTP_PASSWORD", "…")``, ``config.set("password", "…")``.
        _rule(
            "password-assignment",
            r"(?i)\(\s*['\"]"
            + _PASSWORD_NAME.removeprefix("(?i)")
            + r"['\"]\s*,\s*(?P<q>['\"])(?P<v>[^'\"\n]{4,64}?)(?P=q)",
            _position_value,
            hints=("pass", "pwd"),
        ),
        # ``echo "user:pw" | chpasswd``: the password half of the pair piped in.
        _rule(
            "password-assignment",
            r"\becho\s+['\"]?[\w.\-]+:(?P<v>[^\s'\"]+)['\"]?\s*\|\s*(?:sudo\s+)?chpasswd\b",
            lambda v: not _placeholder_like(v),
            hints=("chpasswd",),
        ),
        # A SASL account written ``user@realm:pw`` (what ``saslpasswd2 -u realm user`` stores), on a
        # line about SASL, a password database or credentials: ``# SASL_PWDB seeded with:
        # cachesvc@cache-1:pw``. Not ``git@host:repo`` (no such line) nor a port.
        _rule(
            "password-assignment",
            r"(?<![\w/:@.%\-])[a-z][\w.\-]{0,31}@[A-Za-z0-9][\w.\-]{0,62}:"
            r"(?P<v>[^\s:@/'\"`|<>()\[\]{},;]{6,64})(?![\w@:/])",
            _pair_password,
            context=lambda before, _v: _SASL_LINE.search(before) is not None,
            hints=("sasl", "pwdb", "passw", "cred", "login"),
        ),
        # ``lftp -u user,pw``: the user and password joined by a comma.
        _rule(
            "basic-auth",
            r"(?:^|\s)-u\s+['\"]?[\w.@\-]+['\"]?,(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            _position_value,
            hints=("-u",),
        ),
    ]


# Mail headers that hold message ids (``Message-ID: <local@host>``), shaped as addresses but naming
# a message, not a person's mailbox.
_MESSAGE_ID_HEADER: Final = re.compile(
    r"(?i)\b(?:message-id|in-reply-to|references|content-id|resent-message-id|x-[\w-]*message-id)"
    r"[ \t]*:(?:[ \t]*<[^<>\s]+>)*[ \t]*<$"
)


def _not_message_id(before: str, _value: str) -> bool:
    return _MESSAGE_ID_HEADER.search(before) is None


def _personal_rules() -> list[Rule]:
    return [
        _rule(
            "email",
            # Not after ``)``/``}``/``$``: ``%(DB_PASS)s@host``, ``${USER}@host`` and
            # ``$PGPASSWORD@host`` are templates or shell variables.
            # After a colon only as an address URI (``mailto:``, ``sip:``, ``xmpp:``); ``user:pw@host``
            # is not one.
            r"(?:(?<=mailto:)|(?<=sips:)|(?<=sip:)|(?<=xmpp:)|(?<![\w.%+:/)}$-]))"
            r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])",
            _email,
            personal=True,
            context=_not_message_id,
            hints=("@",),
        ),
        # an address percent-encoded in a query string (``?email=name%40web.de``)
        _rule(
            "email",
            r"(?<![\w.%+-])[A-Za-z0-9._+-]+%40(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])",
            lambda v: _email(v.replace("%40", "@")),
            personal=True,
            hints=("%40",),
        ),
        _rule(
            "credit-card",
            r"(?<![\d.\-])(?:\d{4}[ -]?\d{6}[ -]?\d{4,5}|\d{4}(?:[ -]?\d{4}){2,3}\d{0,3}|\d{13,19})(?![\d\-])",  # noqa: E501
            _card,
            personal=True,
            seed=r"\d{4}[ -]?\d{2}",
        ),
        _rule(
            "national-id",
            r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])",
            personal=True,
            seed=r"\d{3}-\d{2}-\d{4}",
        ),
        _rule(
            "national-id",
            r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
            lambda v: v[:2] not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"},
            personal=True,
            seed=r"[A-Z]{2} ?\d{2} ?\d{2}",
        ),
        _rule(
            "phone",
            # after ``tel:`` or ``wa.me/`` a number is a phone's address, like an e-mail after ``mailto:``
            r"(?:(?<=tel:)|(?<=wa\.me/)|(?<![\w+.:/-]))"
            r"(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
            r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"
            r"|\d{3}[.-]\d{3}[.-]\d{4}"
            r"|0[1-9](?:[ .]\d{2}){4}"  # French national format, in pairs
            r"|0\d{2,4}[ ]\d{3,4}(?:[ ]?\d{3,4}){1,2}"
            # national forms: a US trunk ``1-720-555-0100``, an area code in parentheses (``(11) 98036-4447``,
            # ``(02) 9326 0558``), dashed trunk-0 groups (``03-7558-5934``, ``010-1234-5678``), pairs after a
            # three-digit head (``070-261 49 03``, ``605 42 58 24``)
            r"|1[ .-][2-9]\d{2}[ .-]\d{3}[ .-]\d{4}"
            r"|\(0?\d{1,3}\)[ .-]?\d{4,5}[ .-]?\d{4}"
            r"|0\d{1,3}-\d{3,4}-\d{4}"
            r"|0[2378] \d{4} \d{4}"  # an Australian landline: area code, two groups of four
            r"|(?:0\d{1,3}|[6-9]\d{2})[ -]\d{2,3}(?: \d{2}){2,3}"
            r"|[2-9]\d{2} [2-9]\d{2} \d{4})(?![\w/-]|:[\w/]|\.\d)",  # NANP spaced: ``617 555 0129``
            # not a form's placeholder (``+1 (000) 000-0000``)
            lambda v: (
                8 <= len(re.sub(r"\D", "", v)) <= 15
                and re.fullmatch(r"0+", re.sub(r"\D", "", v)[-7:]) is None
            ),
            personal=True,
            context=_phone_context,
            seed=r"\+\d|\(\d{1,4}\)|\d{3}[ .-]\d{3}|\d{4} \d{3}|0[1-9][ .]\d\d[ .]\d\d|\d-\d{4}-"
            r"|\d{3}[ -]\d\d ",
        ),
    ]


def _context_personal_rules() -> list[Rule]:
    """Personal data whose shape alone is too common, told apart by its field."""
    return [
        # vCard ``TEL;TYPE=cell:(646) 555-0178``: the field says phone, whatever the format.
        _rule(
            "phone",
            r"(?im)^(?:item\d+\.)?TEL[;:][^:\n]*:(?:tel:)?(?P<v>[+(]?\d[\d ().-]{5,}\d)[ \t]*$",
            lambda v: 7 <= len(re.sub(r"\D", "", v)) <= 15,
            personal=True,
            hints=("tel",),
        ),
        # A national id written with spaces (an SSN ``649 88 1745``, an Aadhaar ``7188 5730 3923``)
        # only where the words before it name one.
        _rule(
            "national-id",
            rf"(?i)\b(?:{_NATIONAL_ID_NAMES})\b[^\d\n]{{0,24}}"
            r"(?P<v>(?!000|666|9\d\d)\d{3} (?!00)\d{2} (?!0000)\d{4}|\d{4} \d{4} \d{4}|\d{3} \d{3} \d{3})"
            r"(?![\d-])",
            personal=True,
            hints=("ssn", "social", "sin", "aadhaar", "uidai", "national", "tax", "passport", "nino"),
        ),
    ]


# What says a dotted quad is a four-part version (``ClickHouse 23.8.16.40``, ``version 10.4.2.1``): a
# version word, or a product name right before it, CamelCase (not a name for an address: ``SourceIp``)
# or one of the products that number their releases in four parts.
_VERSION_BEFORE: Final = re.compile(
    r"(?i:\b(?:v|version|ver\.?|release|build|patch(?:ed)?|upgrade[ds]?[ \t]+to|downgrade[ds]?[ \t]+to)"
    r"|(?<![\w.-])(?:clickhouse(?:-server|-client)?|windows(?:[ \t]+server)?|chrome|chromium|sql[ \t]+server"
    r"|mssql|teamcity|dotnet|\.net))[ \t]*[:=]?[ \t]*$"
    r"|(?<![\w.-])(?![A-Za-z]*(?i:ip|addr|host|server|node|client|peer|remote|source|src|dest|dst|gateway|proxy))"
    r"[A-Z][a-z]+(?:[A-Z][a-z]*)+[ \t]+$"
)


def _ip_rules(mode: str) -> list[Rule]:
    if mode == "none":
        return []
    check = _public_ip if mode == "public" else _any_ip
    return [
        _rule(
            "ipv4",
            r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
            # ``/32`` is one host's address; a wider prefix is a network.
            r"(?!\w|/(?!32(?!\d))|\.\d)",
            check,
            personal=True,
            context=lambda before, _v: _VERSION_BEFORE.search(before) is None,
            seed=r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d",
        ),
        _rule(
            "ipv6",
            # not the head of an IPv4-mapped address (``::ffff:10.0.5.3``)
            # ``/128`` is one host's address, as ``/32`` is for IPv4
            # an e-mail header's address literal (``Received: from [IPv6:2607:f8b0::d4f1]``) too
            r"(?:(?<![\w:.])|(?<=\[[Ii][Pp][Vv]6:))"
            r"(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]|/(?!128(?!\d))|\.\d)",
            lambda v: ":" in v.strip(":") and check(v),
            personal=True,
            seed=r"[0-9A-Fa-f]{1,4}::|::[0-9A-Fa-f]{1,4}|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}",
        ),
    ]


# A variable expansion or template (``${DB_PASSWORD:?required}``, ``${REDIS_PASSWORD:-changeme}``,
# ``$(SECRET_KEY)``, ``{{ secrets.NPM_TOKEN }}``): its default or message is not the secret. A match
# that reaches into one (``password {{ .Values.db.password }}@db``: the prose rule read ``}}@db``) is
# cut from the template, not a value either. Also Jinja ``{% … %}``, ERB ``<%= … %>``, Ruby/Spring
# ``#{…}`` and Python ``%(name)s``. Not a Go ``%+v`` struct dump (``StaticProvider{{AccessKeyID:ASIA…}}``):
# an exported field name glued to ``:`` and its value is printed data, and no template language
# writes ``{{Name:value`` (CloudFormation's ``{{resolve:…}}`` is lower case).
_EXPANSION: Final = re.compile(
    r"\$\{[^{}\n]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{(?![A-Z]\w*:[^\s:}])[^{}\n]*\}\}|\{%[^%\n]*%\}|<%=?[^%\n]*%>"
    r"|#\{[^{}\n]*\}|%\([A-Za-z_][\w.]*\)[sdr]"
)
# An OpenPGP fingerprint or long key id: 40 (or 16) hex digits after words that name a key by it.
_FINGERPRINT_VALUE: Final = re.compile(r"(?:0x)?(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{16})|(?:[0-9A-F]{4} ?){10}")
_FINGERPRINT_CONTEXT: Final = re.compile(
    r"(?i)\b(?:gpg|gpg2|pgp|gnupg|openpgp|fingerprint|fpr|recv-keys?|keyserver|key[ _-]?id|"
    r"signing[ _-]?key|release[ _-]?key|maintainer[ _-]?key)\b"
)


# Where a value is public by what holds it: a JWK's public members (``"x"``, ``"y"``, ``"n"``, ``"e"``),
# an HPKP/SPKI pin (``pin-sha256="…"``), a signature tool's public key flag (``minisign -P``).
# A name that says the key is public: ``push public key is …``, ``RECAPTCHA_SITE_KEY:``,
# ``data-sitekey=``, ``PUBLISHABLE_KEY=``.
_PUBLIC_POSITION: Final = re.compile(
    r"(?i)(?:[\"'](?:x|y|n|e)[\"']\s*:\s*[\"']|pin-sha256=[\"']?|\b(?:minisign|signify)\b[^\n|;&]*?\s-P\s+['\"]?"
    r"|(?:public|publishable|site)[ _-]?key\b[^\n.;]{0,12}?(?:[:=]|\bis\b)[ \t]*['\"`]?"
    # a pagination cursor (``next_token=``, ``nextPageToken``, ``continuation_token``, AWS ``NextToken``)
    r"|\b(?:next|prev(?:ious)?|page|continuation|pagination|sync|resume|cursor)[_.-]?(?:page[_.-]?)?"
    r"(?:token|cursor|marker)['\"]?[ \t]*(?:[:=]|=>)[ \t]*['\"]?"
    # a JWK's key id or thumbprint (``kid for the new signing key: …``, ``"kid": "…"``) names a key
    r"|\b(?:kid|x5t(?:#S256)?|jwk[ _-]?thumbprint)\b(?![^\n]*\b(?:secret|password|private)\b)"
    r"(?:[^\n:=]{0,40}['\"]?[ \t]*[:=]|[ \t]*(?:\|[ \t]*)?)[ \t]*['\"`]?)$"
)


def _public_position(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return _PUBLIC_POSITION.search(text[max(line_start, start - 200) : start]) is not None


def _fingerprint(text: str, start: int, value: str) -> bool:
    """A PGP fingerprint or key id named on its line (``gpg --recv-keys <40 hex>``,
    ``RELEASE_KEY = "<40 hex>"``): public, so it is kept."""
    if not _FINGERPRINT_VALUE.fullmatch(value.strip()):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return _FINGERPRINT_CONTEXT.search(text[max(line_start, start - 120) : start]) is not None


_COMMIT_CONTEXT: Final = re.compile(r"(?i)\b(?:commit(?:ted|s)?|sha|revision|rev|revert|cherry-pick)\b")


def _commit_named(text: str, start: int, value: str) -> bool:
    """A git object id named as one on its line (``the commit with the key is <40 hex>``): kept."""
    if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{7,12}", value) is None:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return _COMMIT_CONTEXT.search(text[max(line_start, start - 60) : start]) is not None


_BEFORE: Final = 256  # a match starts at most this far before its hint (a setting's name)
_AFTER: Final = 1024  # and ends at most this far after it (a token, a URL)


def _regions(text: str, lower: str, rule: Rule) -> list[tuple[int, int]]:
    """Where ``rule`` may match: windows around its hints or seeds (within their line), or everywhere.

    Running each pattern over a whole 2 MB corpus costs seconds; most lines hold no hint at all.
    """
    if rule.multiline:
        return [(0, len(text))] if any(h in lower for h in rule.hints) else []
    anchors: list[int] = []
    for hint in rule.hints:
        i = lower.find(hint)
        while i >= 0:
            anchors.append(i)
            i = lower.find(hint, i + len(hint))
    if rule.seed is not None:
        anchors.extend(m.start() for m in rule.seed.finditer(text))
    elif not rule.hints:
        return [(0, len(text))]
    if not anchors:
        return []
    anchors.sort()
    windows: list[tuple[int, int]] = []
    for i in anchors:
        start = max(text.rfind("\n", 0, i) + 1, i - _BEFORE)
        end = text.find("\n", i)
        end = min(len(text) if end < 0 else end, i + _AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


# --- tables and encoded values -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    """A data cell of a Markdown or HTML table: where its text is, its column's header, and the cells
    to its left in the row (a key/value table names the value in its first cell)."""

    start: int
    end: int
    text: str
    header: str
    left: tuple[str, ...]


_SEPARATOR_ROW: Final = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?$")
_HTML_CELL: Final = re.compile(r"<t([dh])\b[^>]*>([^<\n]*)</t[dh]>", re.IGNORECASE)


def _pipe_cells(line: str, offset: int) -> list[tuple[int, int, str]]:
    first, last = line.index("|"), line.rindex("|")
    cells: list[tuple[int, int, str]] = []
    position = first + 1
    for part in line[first + 1 : last].split("|"):
        content = part.strip()
        start = offset + position + (part.index(content) if content else 0)
        cells.append((start, start + len(content), content))
        position += len(part) + 1
    return cells


def _table_cells(text: str) -> list[_Cell]:
    """Every data cell of the pipe tables (``| a | b |`` rows; a row followed by ``|---|`` is the
    header) and HTML tables (``<th>`` cells are the header) in ``text``."""
    if "|" not in text and "<t" not in text.lower():
        return []
    rows: list[tuple[str, list[tuple[int, int, str]]]] = []  # (kind, cells); kind pipe|sep|th|td|""
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if _SEPARATOR_ROW.match(line) and "|" in line:
            rows.append(("sep", []))
        elif len(stripped) > 2 and stripped[0] == "|" and stripped[-1] == "|":
            rows.append(("pipe", _pipe_cells(line, offset)))
        elif "</t" in line.lower() and (found := list(_HTML_CELL.finditer(line))):
            kind = "th" if all(m.group(1).lower() == "h" for m in found) else "td"
            cells = []
            for m in found:
                content = m.group(2).strip()
                start = offset + m.start(2) + (m.group(2).index(content) if content else 0)
                cells.append((start, start + len(content), content))
            rows.append((kind, cells))
        else:
            rows.append(("", []))
        offset += len(line) + 1
    out: list[_Cell] = []
    header: list[str] = []
    for i, (kind, cells) in enumerate(rows):
        if kind in ("", "sep"):
            if kind == "":
                header = []
            continue
        if kind == "th" or (kind == "pipe" and i + 1 < len(rows) and rows[i + 1][0] == "sep"):
            header = [c[2] for c in cells]
            continue
        for j, (start, end, content) in enumerate(cells):
            if content:
                name = header[j] if j < len(header) else ""
                out.append(_Cell(start, end, content, name, tuple(c[2] for c in cells[:j])))
    return out


# A cell names a credential (``Password``, ``Twilio auth token``, ``app password (ci)``, ``Secret
# access key``) by the shared vocabulary, unless it names something about one (``Access key ID``).
_CELL_NAMES_ABOUT_ONE: Final = re.compile(rf"(?i)(?:\b|_)(?:{_ABOUT_A_CREDENTIAL})\W*$")
_CELL_VALUE: Final = re.compile(r"[`'\"]?(?:(?:Bearer|Basic|Token)\s+)?(?P<v>[^\s`'\"]+)[`'\"]?")


# A cell that names an identifier (``cf-ray``, ``Request ID``, ``Vault token accessor``, ``JWKS kid``,
# ``lease``): the random value beside it is that id, which the opaque-token test would take for a key.
_CELL_NAMES_AN_ID: Final = re.compile(
    rf"(?i)(?:\b|_)(?:{_ABOUT_A_CREDENTIAL}|ray|cf-ray|trace|span|request|req|correlation|nonce|etag|kid|"
    r"x5t|lease|run|build|commit|sha|digest|session[ _-]?id|object|oid|uid|guid|ulid)\W*$"
)


def _names_credential(name: str) -> bool:
    return (
        bool(name) and _NAMES_CREDENTIAL.search(name) is not None and not _CELL_NAMES_ABOUT_ONE.search(name)
    )


def _opaque_token(value: str) -> bool:
    """A cell holding nothing but a random token (upper, lower and digits, 20+ characters): a key
    even where no cell names it. Not hex (digests, ids), not base64 of text, not a word list."""
    return (
        re.fullmatch(r"[A-Za-z0-9_\-]{20,}", value) is not None
        and all(re.search(p, value) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
        and not _wordy(value)
        and not re.match(r"(?i)(?:sha\d*|md5|blake\w*)[-_:]", value)  # an SRI hash: ``sha384-…``
        and _entropy(value) >= 3.5
        and not _decodes_to_text(value)
    )


# A column header that names a national identifier: its cells hold one whatever the separators.
_NATIONAL_ID_HEADER: Final = re.compile(rf"(?i)\b(?:{_NATIONAL_ID_NAMES}|ni[ _-]?(?:number|no\.?)|tin)$")


def _personal_table_spans(cells: Sequence[_Cell]) -> list[tuple[str, int, int]]:
    """National ids in a column whose header names them: ``| SSN |`` over ``806 21 9286``."""
    return [
        ("national-id", cell.start, cell.end)
        for cell in cells
        if _NATIONAL_ID_HEADER.search(cell.header.strip())
        and re.fullmatch(r"[A-Z]{0,2}[ -]?\d{2,4}(?:[ -]?\d{2,4}){1,4}[ -]?[A-Z]?", cell.text)
        and 6 <= len(re.sub(r"\D", "", cell.text)) <= 12
        and not re.fullmatch(r"0+", re.sub(r"\D", "", cell.text))
    ]


def _table_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for cell in _table_cells(text):
        m = _CELL_VALUE.fullmatch(cell.text)
        if m is None:
            continue
        value = m.group("v")
        if value[0] in "[(" or "](" in value:
            continue  # a Markdown link (``[IRP-CredCompromise](playbooks/…)``), not a value
        names = [n for n in (cell.header, *cell.left) if _names_credential(n)]
        pair = re.fullmatch(r"[a-z][\w.\-]{1,31}:(?P<pw>[^\s:@/]{6,64})", value)
        if (
            pair
            and _pair_password(pair.group("pw"))
            and any(_AUTH_LINE.search(n) for n in (cell.header, *cell.left))
        ):
            # ``admin:pw`` in a column about auth: the password half is the secret
            start = cell.start + m.start("v") + pair.start("pw")
            spans.append(("basic-auth", start, start + len(pair.group("pw"))))
            continue
        if names:
            if not (_password_value(value) or _token(value)):
                continue
            type_ = "password-assignment" if re.search(r"(?i)pass|pwd", names[0]) else "generic-secret"
        elif _opaque_token(value) and not any(
            _CELL_NAMES_AN_ID.search(n.strip()) for n in (cell.header, *cell.left) if n
        ):
            type_ = "generic-secret"
        else:
            continue
        start = cell.start + m.start("v")
        spans.append((type_, start, start + len(value)))
    return spans


# SQL that writes a credential column: ``INSERT INTO t (name, login, password) VALUES ('a', 'b', 'PW')``
# maps each column to its value (every row of a multi-row insert). ``UPDATE … SET password = '…'`` is
# an assignment the core rules read. Bound parameters (``?``, ``%s``, ``:pw``, ``$1``) are not values.
_SQL_INSERT: Final = re.compile(
    r"(?i)\binsert\s+(?:ignore\s+)?into\s+[\w.\"`\[\]]+\s*\((?P<cols>[^()]*)\)\s*values\s*"
    r"(?P<rows>(?:\((?:[^()'\"]|'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\")*\)[ \t]*,?[ \t\n]*)+)"
)
_SQL_ROW: Final = re.compile(r"\(((?:[^()'\"]|'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\")*)\)")
_SQL_ITEM: Final = re.compile(r"[ \t\n]*('(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"|[^,]*?)[ \t\n]*(?:,|$)")
_SQL_CREDENTIAL_COLUMN: Final = re.compile(
    rf"(?i)^(?:\w*[_-])?(?:{_PASSWORD_LIKE}|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
    r"|client[_-]?secret|auth[_-]?token|credentials?)$"
)


def sql_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """The quoted values an ``INSERT`` puts in a column named for a credential."""
    spans: list[tuple[str, int, int]] = []
    if "insert" not in text.lower():
        return spans
    for m in _SQL_INSERT.finditer(text):
        cols = [c.strip().strip('"`[]') for c in m.group("cols").split(",")]
        wanted = {i for i, c in enumerate(cols) if _SQL_CREDENTIAL_COLUMN.match(c)}
        if not wanted:
            continue
        for row in _SQL_ROW.finditer(text, m.start("rows"), m.end("rows")):
            items = list(_SQL_ITEM.finditer(text, row.start(1), row.end(1)))
            for i in wanted:
                if i >= len(items):
                    continue
                raw = items[i].group(1)
                if len(raw) < 6 or raw[0] not in "'\"" or raw[-1] != raw[0]:
                    continue  # unquoted: a bound parameter, a number, a function call
                value = raw[1:-1]
                if _sql_value(value):
                    s = items[i].start(1) + 1
                    spans.append(("password-assignment", s, s + len(value)))
    return spans


def _sql_value(value: str) -> bool:
    """A typed-in credential: one run (``QKt…159``), or a passphrase of three words or more; not a
    placeholder, a variable or two words (``'first pet'``)."""
    if _placeholder_like(value) or _reference_value(value):
        return False
    return re.search(r"\s", value.strip()) is None or (len(value.split()) >= 3 and len(value) >= 12)


# SSH public keys of every type, with their comment: public, kept whole (no rule bites into the base64
# or reads ``user@host`` as a password or an address).
_SSH_PUBLIC_KEY: Final = re.compile(
    r"(?<![\w-])(?:ssh-(?:rsa|dss|ed25519|ed448)(?:-cert-v01@openssh\.com)?|ecdsa-sha2-nistp(?:256|384|521)"
    r"(?:-cert-v01@openssh\.com)?|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)(?:-cert-v01)?@openssh\.com)"
    r"[ \t]+AAAA[A-Za-z0-9+/]{8,}={0,3}(?:[ \t]+[^\s\"'`]+)?"
)


def ssh_public_key_spans(text: str) -> list[tuple[int, int]]:
    if "AAAA" not in text:
        return []
    return [m.span() for m in _SSH_PUBLIC_KEY.finditer(text)]


# Cloud resource ids with a random tail, kept whole (no rule reads the tail as a token): Oracle Cloud
# OCIDs (``ocid1.<type>.<realm>.<region>.<id>``), IBM Cloud CRNs (``crn:v1:bluemix:…``) and AWS ARNs
# (``arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random>``: the suffix AWS adds to a
# secret's name is part of its id, not the secret).
_RESOURCE_ID: Final = re.compile(
    r"(?<![\w.\-])ocid1\.[a-z0-9_]+\.oc\d+\.[a-z0-9\-]*\.[a-z0-9]{20,}(?![\w\-])"
    r"|(?<![\w:])crn:v1:[a-z0-9\-]+:[a-z0-9\-]*:[^\s\"'`]+"
    r"|(?<![\w:])arn:aws[a-z\-]*:[a-z0-9\-]+:[a-z0-9\-]*:\d{12}:[\w/+=.@:\-]+"
)


def resource_id_spans(text: str) -> list[tuple[int, int]]:
    if "ocid1." not in text and "crn:v1:" not in text and "arn:aws" not in text:
        return []
    return [m.span() for m in _RESOURCE_ID.finditer(text)]


def placeholder_hook(url: str) -> bool:
    """A webhook URL whose ids are filler: a path segment of zeros or X's after an optional one-letter
    prefix (``T000/B000/XXXX``, ``T00000000``, ``xxxxxxxx``)."""
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    segments = [body for seg in path.split("/") for body in (seg, seg[1:]) if len(body) >= 3]
    return any(len(set(body)) == 1 and body[0] in "0Xx" for body in segments)


# Vendors that issue API keys: naming one beside a setting (a trailing comment, a parent key) says its
# random value is a key.
_KEY_VENDORS: Final = (
    r"pagerduty|opsgenie|victorops|splunk|twilio|stripe|sendgrid|mailgun|postmark|mailchimp|slack|datadog"
    r"|new ?relic|honeycomb|sentry|segment|okta|auth0|github|gitlab|bitbucket|heroku|cloudflare|fastly"
    r"|algolia|pusher|firebase|shopify|paypal|braintree|plaid|zendesk|atlassian|jira|openai|anthropic"
    r"|hubspot|intercom|statuspage|aws|azure|gcp|launchdarkly|lightstep|databricks|mapbox|tailscale"
    r"|digitalocean|adyen|rollbar|bugsnag|circleci|snyk"
)
# A parent key naming a key vendor or credentials qualifies the keys nested under it (YAML, TOML).
CREDENTIAL_PARENT: Final = re.compile(
    rf"(?i)(?:^|[_.\-])(?:{_KEY_VENDORS}|credentials?|creds|secrets?|auth|api[_-]?keys?)(?:[_.\-]|s?$)"
)


# YAML/TOML nesting: a parent key that names a key vendor or credentials (``pagerduty:``,
# ``[stripe]``, ``twilio_credentials:``, ``secrets:``) qualifies its children, so a random value under
# it is the credential whatever the child is called (``routing_key``, ``sid``, ``value``); children
# named for an id, a host, a URL or a digest are not.
_NESTED_KEY: Final = re.compile(
    r"^(?P<indent>[ \t]*(?:-[ \t]+)?)['\"]?(?P<key>[A-Za-z_][\w.\-]*)['\"]?[ \t]*(?P<sep>:|=)(?:[ \t]+|$)"
    r"(?P<rest>[^\n]*)$"
)
_TOML_TABLE: Final = re.compile(r"^[ \t]*\[{1,2}(?P<name>[^\]\n]+)\]{1,2}[ \t]*(?:#.*)?$")


def nested_credential_spans(text: str) -> list[tuple[str, int, int]]:
    from kb.safety.redaction_forms import _comment_context, _commented_value

    spans: list[tuple[str, int, int]] = []
    if ":" not in text and "[" not in text:
        return spans
    stack: list[tuple[int, bool]] = []  # (indent, qualifies) of the open YAML parents
    table = False  # the current TOML table qualifies
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start, offset = offset, offset + len(line)
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        tm = _TOML_TABLE.match(body)
        if tm is not None:
            table, stack = CREDENTIAL_PARENT.search(tm.group("name")) is not None, []
            continue
        m = _NESTED_KEY.match(body)
        if m is None:
            continue
        indent = len(m.group("indent").expandtabs())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        rest = re.sub(r"[ \t]+#.*$", "", m.group("rest")).strip()
        if m.group("sep") == ":" and (not rest or rest in {"|", ">", "{"}):
            stack.append((indent, CREDENTIAL_PARENT.search(m.group("key")) is not None))
            continue
        inside = any(q for _i, q in stack) or (table and m.group("sep") == "=")
        value = rest.strip("'\"")
        if not inside or not value or not _comment_context(m.group("key") + ": ", value):
            continue
        if re.search(rf"(?i)[_.\-](?:{_ABOUT_A_CREDENTIAL})$|^(?:{_ABOUT_A_CREDENTIAL})$", m.group("key")):
            continue
        if _commented_value(value):
            s = start + m.start("rest") + m.group("rest").find(value)
            spans.append(("generic-secret", s, s + len(value)))
    return spans


# Base64 that may encode a secret: read as what it decodes to, after the same key.
_BASE64_CANDIDATE: Final = re.compile(r"(?<![A-Za-z0-9+/=_.\-])[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=_.\-])")


def _decoded(value: str) -> str | None:
    """The printable, mostly ASCII text ``value`` is the base64 of, if it is: UTF-8, or UTF-16LE
    (Windows writes ``unattend.xml`` passwords so); line breaks and tabs allowed (a wrapped file)."""
    if len(value) % 4:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError:
        return None
    if len(raw) < 4:
        return None
    if len(raw) >= 8 and len(raw) % 2 == 0 and not any(raw[1::2]):
        text = raw.decode("utf-16-le")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not all(ch.isprintable() or ch in "\t\n\r" for ch in text):
        return None
    if sum(not ch.isascii() for ch in text) * 10 > len(text):
        return None  # mostly letters of other scripts: random bytes that happen to be UTF-8
    return text


# --- detect-secrets ------------------------------------------------------------------------------

# Plugin class name -> our type. IPs, keywords and entropy are ours; those plugins are left out.
_DETECT_SECRETS_PLUGINS: Final = {
    "ArtifactoryDetector": "artifactory-token",
    "AWSKeyDetector": "aws-access-key",
    "AzureStorageKeyDetector": "azure-secret",
    "CloudantDetector": "cloudant-key",
    "DiscordBotTokenDetector": "discord-token",
    "GitHubTokenDetector": "github-token",
    "GitLabTokenDetector": "gitlab-token",
    "IbmCloudIamDetector": "ibm-cloud-key",
    "IbmCosHmacDetector": "ibm-cloud-key",
    "JwtTokenDetector": "jwt",
    "MailchimpDetector": "mailchimp-key",
    "NpmDetector": "npm-token",
    "OpenAIDetector": "openai-key",
    "PrivateKeyDetector": "private-key",
    "PypiTokenDetector": "pypi-token",
    "SendGridDetector": "sendgrid-key",
    "SlackDetector": "slack-token",
    "SoftlayerDetector": "softlayer-key",
    "SquareOAuthDetector": "square-token",
    "StripeDetector": "stripe-key",
    "TelegramBotTokenDetector": "telegram-token",
    "TwilioKeyDetector": "twilio",
}


@functools.cache
def _detect_secrets_plugins() -> tuple[tuple[str, object], ...]:
    """detect-secrets' regex plugins, or none when the package is missing (logged once)."""
    try:
        import importlib

        plugins = importlib.import_module("detect_secrets.plugins")
    except ImportError:
        log.warning("detect-secrets is not installed: redaction uses the built-in rules only")
        return ()
    import pkgutil

    found: list[tuple[str, object]] = []
    for info in pkgutil.iter_modules(plugins.__path__):
        module = importlib.import_module(f"{plugins.__name__}.{info.name}")
        for name, our_type in _DETECT_SECRETS_PLUGINS.items():
            cls = getattr(module, name, None)
            if cls is not None and getattr(cls, "__module__", "") == module.__name__:
                found.append((our_type, cls()))
    return tuple(found)


_LONG_TOKEN: Final = re.compile(r"[A-Za-z0-9_\-+/=.:]{16,}")


def _detect_secrets_spans(text: str) -> Iterable[tuple[str, int, int]]:
    plugins = _detect_secrets_plugins()
    if not plugins:
        return
    offset = 0
    for line in text.splitlines(keepends=True):
        if not _LONG_TOKEN.search(line):  # every format these plugins know is a long token
            offset += len(line)
            continue
        for our_type, plugin in plugins:
            try:
                values = list(plugin.analyze_string(line))  # type: ignore[attr-defined]
            except Exception:  # a plugin bug must not stop an ingest
                continue
            for value in values:
                if not isinstance(value, str) or len(value) < 8:
                    continue
                start = line.find(value)
                while start >= 0:
                    yield our_type, offset + start, offset + start + len(value)
                    start = line.find(value, start + len(value))
        offset += len(line)


# --- the policy ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedactionPolicy:
    """What to redact: built-in rules, a team's extra patterns, its allow-list and IP handling."""

    allow: tuple[str, ...] = ()  # regexes matched against a whole value: matching values are kept
    extra_patterns: tuple[tuple[str, str], ...] = ()  # (type, regex); group ``v`` or the match
    ips: str = "public"  # public | all | none
    personal: bool = True
    use_detect_secrets: bool = True
    _rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    _allow: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.ips not in IP_MODES:
            raise ValueError(f"ips must be one of {', '.join(IP_MODES)}, got {self.ips!r}")
        rules = [_rule(_slug(t), p) for t, p in self.extra_patterns]
        rules += (
            _secret_rules()
            + _context_rules()
            + _typed_constant_rules()
            + _call_rules()
            + _credential_api_rules()
            + _pair_rules()
            + _position_rules()
            + _layout_rules()
        )
        from kb.safety.redaction_forms import form_rules  # a neighbour that imports this module

        rules += form_rules()
        from kb.safety.redaction_tool_output import tool_output_rules

        rules += tool_output_rules()
        if self.personal:
            from kb.safety.redaction_forms import personal_form_rules
            from kb.safety.redaction_national import national_id_rules

            rules += (
                national_id_rules()
                + _personal_rules()
                + _context_personal_rules()
                + personal_form_rules()
                + _ip_rules(self.ips)
            )
        object.__setattr__(self, "_rules", tuple(rules))
        object.__setattr__(self, "_allow", tuple(re.compile(p) for p in (*_DEFAULT_ALLOW, *self.allow)))

    @classmethod
    def from_settings(cls, settings: Settings) -> RedactionPolicy:
        return cls(
            allow=tuple(settings.redact_allow),
            extra_patterns=tuple(settings.redact_patterns.items()),
            ips=settings.redact_ips,
            personal=settings.redact_personal,
        )

    def allowed(self, value: str) -> bool:
        return any(p.fullmatch(value) for p in self._allow)

    def find(self, text: str) -> list[Finding]:
        """What :meth:`redact` would replace, in text order, without overlaps."""
        return self._find(text, views=True)

    def _find(self, text: str, *, views: bool) -> list[Finding]:
        """:meth:`find`; with ``views``, also what the rules find in the text read with a container's
        syntax undone (JSON escapes, plist and XML name/value elements), mapped back to the text."""
        if not text:
            return []
        # Rules read the text with its templates blanked (same offsets): a name or a value inside
        # ``{{ … }}``/``${ … }`` is the template's, and text glued to one is no value of its own
        # (``postgres://app:{{ .Values.db.password }}@db:5432/app``).
        # A template in a URL's host (``user:pw@${aws_db_instance.main.address}:5432``) reads as a host
        # name, so the password before it is still read; a templated password stays a template.
        expansions = [m.span() for m in _EXPANSION.finditer(text)]
        read = text
        for s, e in expansions:
            fill = "h" + " " * (e - s - 1) if s and text[s - 1] == "@" else " " * (e - s)
            read = read[:s] + fill + read[e:]
        cells = _table_cells(read)
        spans = [(p, s, e, t) for p, s, e, t, _personal in self._rule_spans(read, cells)]
        low = len(self._rules)
        from kb.safety.redaction_forms import recovery_code_spans

        spans.extend((low, s, e, t) for t, s, e in _table_spans(text))
        spans.extend((low, s, e, t) for t, s, e in sql_credential_spans(read))
        # SSH public keys (kept whole, comment and all) and values vendors publish
        public_keys = ssh_public_key_spans(text) + [m.span() for m in _PUBLISHED_VALUES.finditer(text)]
        public_keys += resource_id_spans(text)  # and cloud resource ids (OCIDs, CRNs)
        from kb.safety.redaction_containers import committed_ciphertext_spans

        public_keys += committed_ciphertext_spans(text)  # and sealed-secrets ciphertext
        from kb.safety.redaction_files import crypt_hash_spans, file_credential_spans

        public_keys += crypt_hash_spans(text)  # and password hashes (``$6$…``, Mosquitto ``$7$…``)
        # a file's layout says more than a rule reading a piece of the value (a salt with ``:`` in it)
        spans.extend((-1, s, e, t) for t, s, e in file_credential_spans(read))
        from kb.safety.redaction_gear import gear_credential_spans, gear_public_spans

        public_keys += gear_public_spans(text)  # and Django/GRUB hashes, DNSSEC records, API hosts
        spans.extend((-1, s, e, t) for t, s, e in gear_credential_spans(read))
        from kb.safety.redaction_middleware import middleware_credential_spans, middleware_public_spans

        public_keys += middleware_public_spans(text)  # and {SHA} hashes, Tomcat digest passwords
        spans.extend((-1, s, e, t) for t, s, e in middleware_credential_spans(read))
        from kb.safety.redaction_positions import position_credential_spans, position_public_spans

        public_keys += position_public_spans(text)  # and WebSocket handshake keys, protocol nonces
        spans.extend((-1, s, e, t) for t, s, e in position_credential_spans(read))
        from kb.safety.redaction_blocks import block_credential_spans

        spans.extend((low, s, e, t) for t, s, e in block_credential_spans(read))
        spans.extend((low, s, e, t) for t, s, e in nested_credential_spans(read))
        spans.extend((low, s, e, t) for t, s, e in recovery_code_spans(text))
        from kb.safety.redaction_context import context_spans  # a neighbour that imports this module

        spans.extend((low, s, e, t) for t, s, e in context_spans(read))
        if self.personal:
            from kb.safety.redaction_national import national_id_table_spans

            spans.extend((low, s, e, t) for t, s, e in _personal_table_spans(cells))
            spans.extend((low, s, e, t) for t, s, e in national_id_table_spans(read, cells))
            from kb.safety.redaction_files import phone_column_spans

            spans.extend((low, s, e, t) for t, s, e in phone_column_spans(read))
        spans.extend((low, s, e, t) for t, s, e in self._encoded_spans(text))
        if self.use_detect_secrets:
            spans.extend((low + 1, s, e, t) for t, s, e in _detect_secrets_spans(text))
        from kb.safety.redaction_containers import container_views, pair_key_spans

        spans.extend((low, s, e, t) for t, s, e in pair_key_spans(read))
        from kb.safety.redaction_tool_output import lifecycle_row_spans, tool_output_view

        spans.extend((low, s, e, t) for t, s, e in lifecycle_row_spans(read))
        readings = [*container_views(text), tool_output_view(text)] if views else []
        for view in (v for v in readings if v is not None):
            for inner in self._find(view.text, views=False):
                mapped = view.span(inner.start, inner.end)
                if mapped is not None:
                    spans.append((low, *mapped, inner.type))
        taken: list[tuple[int, int, str]] = []
        for _priority, start, end, type_ in sorted(spans, key=lambda s: (s[0], s[1])):
            value = text[start:end]
            if self.allowed(value) or PLACEHOLDER_RE.fullmatch(value) or _MASKED.search(value):
                continue
            if "://" in value and placeholder_hook(value):  # ``hooks.slack.com/services/T000/B000/XXXX``
                continue
            if any(start < e and s < end for s, e in expansions) or _fingerprint(text, start, value):
                continue
            if any(start < e and s < end for s, e in public_keys):
                continue
            if type_ not in _PERSONAL_TYPES and _commit_named(text, start, value):
                continue
            if type_ not in _PERSONAL_TYPES and (
                _public_position(text, start)
                or _PUBLIC_PREFIX.match(value)
                or _NOT_SECRET_VALUE.fullmatch(value)
            ):
                continue
            if any(start < e and s < end for s, e, _t in taken):
                continue
            if "[REDACTED:" in value:  # already redacted text stays as it is
                continue
            taken.append((start, end, type_))
        taken.sort()
        return [Finding(t, s, e, text.count("\n", 0, s) + 1) for s, e, t in taken]

    def _rule_spans(self, text: str, cells: Sequence[_Cell] = ()) -> list[tuple[int, int, int, str, bool]]:
        """(priority, start, end, type, personal) of every rule's checked matches."""
        spans: list[tuple[int, int, int, str, bool]] = []
        lower = text.lower()
        if len(lower) != len(text):  # a few characters grow when lowered: offsets would shift
            lower = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        for priority, rule in enumerate(self._rules):
            for start, end in _regions(text, lower, rule):
                for match in rule.pattern.finditer(text, start, end):
                    # the value is group ``v`` (or ``v2``, when a pattern has two forms), else the match
                    s, e = match.span(0)
                    for group in ("v", "v2"):
                        if group in rule.pattern.groupindex and match.start(group) >= 0:
                            s, e = match.span(group)
                            break
                    if s < 0 or e <= s:
                        continue
                    value = text[s:e]
                    if rule.check is not None and not rule.check(value):
                        continue
                    if rule.context is not None:
                        line_start = text.rfind("\n", 0, s) + 1
                        before = text[line_start:s]
                        if rule.personal:
                            # a value alone in a table cell is named by its column's header
                            header = next((c.header for c in cells if c.start == s and c.end == e), "")
                            before = f"{header}: " if header else before
                        if not rule.context(before, value):
                            continue
                    spans.append((priority, s, e, rule.type, rule.personal))
        return spans

    def _encoded_spans(self, text: str) -> list[tuple[str, int, int]]:
        """Base64 values that encode a secret (a Kubernetes Secret's ``data:``, ``echo … | base64 -d``):
        the decoded text is checked after the same key, so ``DB_URL: <base64 of a URL with a
        password>`` is found; and a decoded password-shaped value on a line that names a credential."""
        spans: list[tuple[str, int, int]] = []
        for match in _BASE64_CANDIDATE.finditer(text):
            decoded = _decoded(match.group())
            if decoded is None:
                continue
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            line_end = len(text) if line_end < 0 else line_end
            prefix = text[line_start : match.start()]
            probe = prefix + decoded
            found = any(
                not personal and e > len(prefix) for _p, _s, e, _t, personal in self._rule_spans(probe)
            )
            if not found:
                rest = prefix + text[match.end() : line_end]
                found = _NAMES_CREDENTIAL.search(rest) is not None and (
                    _password_value(decoded) or _token(decoded)
                )
            if not found and len(match.group()) >= 16:
                # a wrapped file (a k8s Secret's ``data:``, ``echo … | base64 -d``) holding a secret
                found = any(f.type not in _PERSONAL_TYPES for f in self._find(decoded, views=True))
            if found:
                spans.append(("encoded-secret", match.start(), match.end()))
        return spans

    def redact(self, text: str) -> Redaction:
        findings = self.find(text)
        if not findings:
            return Redaction(text, ())
        parts: list[str] = []
        position = 0
        for f in findings:
            parts.append(text[position : f.start])
            parts.append(f"{PLACEHOLDER_PREFIX}{f.type}]")
            position = f.end
        parts.append(text[position:])
        return Redaction("".join(parts), tuple(findings))


_MASKED: Final = re.compile(r"x{6,}|X{6,}|\*{4,}|•{3,}")
_PERSONAL_TYPES: Final = frozenset({"email", "phone", "credit-card", "national-id", "ipv4", "ipv6", "iban"})


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "custom"


@functools.cache
def default_policy() -> RedactionPolicy:
    return RedactionPolicy()


@functools.cache
def quick_policy() -> RedactionPolicy:
    """The built-in rules without detect-secrets (no import of it and of requests): error messages."""
    return RedactionPolicy(use_detect_secrets=False)


def redact_text(text: str, policy: RedactionPolicy | None = None) -> str:
    """``text`` with every secret and personal value replaced by ``[REDACTED:<type>]``."""
    return (policy or default_policy()).redact(text).text


def find_secrets(text: str, policy: RedactionPolicy | None = None) -> list[Finding]:
    return (policy or default_policy()).find(text)


def redact_lines(lines: Sequence[str], policy: RedactionPolicy | None = None) -> list[str]:
    return [redact_text(line, policy) for line in lines]
