"""What a value looks like, whatever names it: the shape tests every redaction rule calls.

Placeholders and templates (``xxxx``, ``${VAR}``, ``CHANGE_ME``), strong values, passphrases, tokens,
random runs, vendor-style tokens, and what a credential's position may hold (:func:`_position_value`).
Each test reads the value alone; the words around it are :mod:`kb.safety.redaction_names`' concern.
Kept apart because every rule module and every neighbour of :mod:`kb.safety.redaction` uses them, and
they depend on nothing else in the package.
"""

from __future__ import annotations

import base64
import itertools
import math
import re
from typing import Final

# A value that starts with one ``*`` and goes on with 9+ characters and no other ``*``
# (``*UZVhY435UbgtGAFZrEc1``) is a password that begins with a symbol; ``*``, ``****1234``, ``*.example``
# and ``*/5`` are masks, globs and schedules.
_STAR_LED_VALUE: Final = re.compile(r"\*[A-Za-z0-9][^\s*]{8,}")


def _star_led_random(value: str) -> bool:
    """``*AmArFuFkR5J*RuIeQ2``: a ``*`` now and then inside 16+ random characters (upper, lower and a
    digit), not a mask's run of stars (``****1234``, ``ab**cd``) or a glob."""
    rest = value[1:].replace("*", "")
    return (
        re.fullmatch(r"\*[A-Za-z0-9](?:[^\s*]|\*(?=[^\s*]))+[^\s*]", value) is not None
        and value.count("*") <= 3
        and len(rest) >= 16
        and all(re.search(p, rest) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
        and _entropy(rest) >= 3.5
    )


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
    if v[:1] == "%" and v[1:2].isalnum() and not re.search(r"[%()]", v[1:]) and _strong(v[1:]):
        return False  # a generated password may start with '%' (``%a6vUg…?k3``): not ``%VAR%`` or ``%s``
    if (
        not v
        or v[0] in "$<{%/.["
        or (v[0] == "*" and not (_STAR_LED_VALUE.fullmatch(v) or _star_led_random(v)))
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


def _camel_case_words(value: str) -> bool:
    """Words run together (``GetUserName``, ``iPhone``): a capital before each lower-case run, and
    most runs two letters or more. Random mixed case has the same outline with runs of one letter
    (``qWmRtZkvLpXnBs``: ``q``, ``m``, ``t``, ``kv``, …), which no name has."""
    if re.fullmatch(r"(?:[A-Z]?[a-z]+)+", value) is None:
        return False
    runs = re.findall(r"[a-z]+", value)
    return 2 * sum(len(run) == 1 for run in runs) <= len(runs)


def _random_letters(value: str) -> bool:
    """16+ letters whose case flips often and not as CamelCase does (``SbUZbKTbtJzSUuIKHZes``)."""
    if len(value) < 16 or re.fullmatch(r"[A-Z]+[a-z]*|[a-z]+", value) or _camel_case_words(value):
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
        parts = re.split(r"[_/-]", value)
        # a generated token cut by one or two ``-``/``_`` (``JSKRCvrCGBhhCzzH-Bml``) is random as a whole
        return any(_random_letters(p) for p in parts) or (len(parts) <= 3 and _random_letters("".join(parts)))
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
_DOTTED_PASSPHRASE: Final = re.compile(r"[a-z]{3,}(?:\.[a-z]{3,}){2,4}\d{1,4}[!?#*]?")
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
        and re.fullmatch(r"[A-Z]+", value) is None
        and not _camel_case_words(value)
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


# a UUID's text, either case: a piece other rules' patterns are built from
UUID_PATTERN: Final = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_UUID: Final = re.compile(UUID_PATTERN)


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


# The characters of a quoted value (anything but a quote or a line break) and of a bare shell word
# (no blank, quote, pipe, ``;`` or ``&``): what most rules' value patterns are built from.
QUOTED_CHARS: Final = r"[^'\"\n]"
SHELL_WORD_CHARS: Final = r"[^\s'\"|;&]"


def quoted_or_bare(quoted: str, bare: str) -> str:
    """A value in matching single or double quotes (the quote as group ``q``, the value as ``v``) or
    bare (``v2``). ``quoted`` and ``bare`` are the value's patterns, quantifier included
    (``QUOTED_CHARS + "{4,128}?"``); read the value with :func:`value_group` or :func:`value_span`."""
    return rf"(?:(?P<q>['\"])(?P<v>{quoted})(?P=q)|(?P<v2>{bare}))"


def quoted_apart_or_bare(size: str, bare: str) -> str:
    """A value in single quotes (group ``v``, which may hold ``"``), in double quotes (``v2``, which
    may hold ``'``) or bare (``v3``, the pattern ``bare``); ``size`` quantifies the quoted forms."""
    return rf"(?:'(?P<v>[^'\n]{size})'|\"(?P<v2>[^\"\n]{size})\"|(?P<v3>{bare}))"


def value_group(match: re.Match[str]) -> str:
    """The group holding the value of a pattern written in two forms (``v`` quoted, ``v2`` bare, say):
    ``v`` when it took part in the match, else ``v2``."""
    return "v" if "v" in match.re.groupindex and match.start("v") >= 0 else "v2"


def value_span(match: re.Match[str]) -> tuple[int, int]:
    """The span of the value group (``v``, ``v2`` or ``v3``) that took part in the match; the whole
    match when the pattern has none."""
    for name in ("v", "v2", "v3"):
        if name in match.re.groupindex and match.start(name) >= 0:
            return match.span(name)
    return match.span()


def placeholder_hook(url: str) -> bool:
    """A webhook URL whose ids are filler: a path segment of zeros or X's after an optional one-letter
    prefix (``T000/B000/XXXX``, ``T00000000``, ``xxxxxxxx``)."""
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    segments = [body for seg in path.split("/") for body in (seg, seg[1:]) if len(body) >= 3]
    return any(len(set(body)) == 1 and body[0] in "0Xx" for body in segments)
