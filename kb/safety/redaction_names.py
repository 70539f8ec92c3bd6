"""What names a credential: the one vocabulary of credential words and the context checks built on it.

The words of a setting, flag, table cell or sentence that say the value beside them is a credential
(``password``, ``api key``, ``client_secret``), the words that say it is only about one (``TOKEN_TTL``,
``password_hash``) or a record's key (``cache key``), and the ``context=`` checks that read the text
before a match with them. Kept apart so every rule module and neighbour shares one vocabulary.
"""

from __future__ import annotations

import base64
import itertools
import re
from typing import Final

from kb.safety.redaction_values import (
    _base64_key,
    _entropy,
    _letters_and_digits,
    _password_value,
    _placeholder_like,
    _random_run,
    _reference_value,
    _strong,
    _token,
    _uuid_secret,
    _vendor_style_token,
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


def _assignment_context(before: str, _value: str) -> bool:
    return _REFERENCE_KEY.search(before) is None


# Names of national identifiers (US SSN, UK NINO, Canadian SIN, Indian Aadhaar, tax and passport
# numbers), for column headers and the words before a number in prose.
_NATIONAL_ID_NAMES: Final = (
    r"ssn|social[ _-](?:security|insurance)(?:[ _-](?:number|no\.?))?|sin|aadhaar|uidai|nino"
    r"|national[ _-](?:insurance|id(?:entity)?)(?:[ _-](?:number|no\.?))?|tax[ _-]?id"
    r"|passport(?:[ _-](?:number|no\.?))?"
)
# One vocabulary, used wherever a name says that the value beside it is a credential: a setting's
# name, a ``*_KEY`` name in prose, a table cell or column header, the line around an encoded value.
# A ``key`` is a credential only with a qualifier (``api key``, ``signing key``, ``write key``);
# ``cache key`` and ``partition key`` are not.
_KEY_QUALIFIERS: Final = (
    r"api|app(?:lication)?|secret|private|access|auth|signing|encryption|crypt|master|license|account|session|"
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
# Redis names its password by the command that sends it (``AUTH``, in capitals as the command is
# written; ``auth`` alone is a mechanism) and by its directives (``requirepass``, ``masterauth``).
_PROSE_PASSWORD_WORDS: Final = (
    rf"{_PASSWORD_FORMS}|passcode|pw|pwd|pin|psk|pre[ _-]?shared[ _-]?key|shared[ _-]?secret"
    r"|(?:wi-?fi|wpa2?|wlan)[ _-]?key|creds?|credentials?|community[ _-]?string|snmp[ _-]?community"
    r"|(?-i:AUTH)|requirepass|masterauth"
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
# Python's typing wrappers (``KAFKA_PASSWORD: Final = "…"``, ``: Final[str]``, ``: ClassVar[str]``)
# annotate a constant as the other languages' types do.
TYPE_ANNOTATION: Final = (
    r"(?:&(?:'static[ \t]+)?str|String|string|str|NSString[ \t]*\*?|CharSequence"
    r"|(?:typing\.)?(?:Final|ClassVar|Optional)(?:\[[ \t]*(?:str|String|bytes)[ \t]*\])?)"
)
_TYPED_CONSTANT_TAIL: Final = (
    rf"(?:[ \t]*:[ \t]*{TYPE_ANNOTATION}[ \t]*="
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


_AUTH_LINE: Final = re.compile(r"(?i)auth|basic|login|cred|htpasswd|user|account")


def _pair_password(value: str) -> bool:
    """The password half of ``user:password``: a password value, not hex (a digest), not a version."""
    if re.fullmatch(r"[0-9a-fA-F]+", value) or re.match(r"\d+(?:\.\d+)+", value):
        return False
    return _password_value(value) and not _reference_value(value)


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


# A pass that is a ticket or a permit, not a password: "season pass SP-2026-93843 blocked", "boarding
# pass BP-7731", "hall pass". Its qualifier says so, and so does a bare ``pass`` before an id whose
# prefix is a few capitals and a hyphen, then digits (a ticket number, not a generated password).
_PERMIT_PASS: Final = re.compile(
    r"(?i)\b(?:season|boarding|day|week|weekend|ski|lift|hall|bus|train|rail|transit|travel|parking"
    r"|festival|backstage|press|visitor|annual|multi-day|half-day)[ \t-]+pass(?:es)?[ \t]+\S*$"
)
_PASS_BEFORE_ID: Final = re.compile(r"(?i)\bpass[ \t]+$")
_PREFIXED_ID: Final = re.compile(r"[A-Z]{1,5}-\d{2,}(?:-[A-Z0-9]{1,12})*")


def _not_a_permit_pass(before: str, value: str) -> bool:
    """False for a pass that is a ticket: a qualified pass, or ``pass <PREFIX-digits>``."""
    if _PERMIT_PASS.search(before + value):
        return False
    return not (_PASS_BEFORE_ID.search(before) and _PREFIXED_ID.fullmatch(value))
