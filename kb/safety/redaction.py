"""Secrets and personal data become typed placeholders, before anything is stored or shown.

:func:`redact_text` is a pure function: ``"key AKIA…"`` becomes ``"key [REDACTED:aws-access-key]"``
and the text around it is kept. Detection is ours first (vendor formats, passwords in URLs,
assignments and command lines, private key blocks, personal data with validators such as the Luhn
check and public-IP ranges), with detect-secrets' regex plugins as a second net for formats we do
not list. A :class:`RedactionPolicy` carries a team's allow-list, extra patterns and what personal
data to remove; :meth:`RedactionPolicy.from_settings` reads them from the ``KB_REDACT_*`` settings.

Findings never hold the value, only its type and position, so reporting them cannot leak it.

This module holds the policy (how rules run, what is kept, how overlaps resolve) and detect-secrets;
the checks and rule tables it runs live beside it: value shapes in :mod:`~kb.safety.redaction_values`,
credential words in :mod:`~kb.safety.redaction_names`, the format table in
:mod:`~kb.safety.redaction_rules`, name-led rules in :mod:`~kb.safety.redaction_named_rules`, personal
data in :mod:`~kb.safety.redaction_personal`, tables and encoded values in
:mod:`~kb.safety.redaction_tables`, and further forms in the other ``redaction_*`` modules.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from kb.safety.redaction_ciphertexts import ciphertext_spans
from kb.safety.redaction_client_keys import search_client_key_spans
from kb.safety.redaction_named_rules import (
    _call_rules,
    _context_rules,
    _credential_api_rules,
    _layout_rules,
    _pair_rules,
    _position_rules,
    _secret_name_rules,
    _typed_constant_rules,
)
from kb.safety.redaction_names import _NAMES_CREDENTIAL
from kb.safety.redaction_personal import _context_personal_rules, _ip_rules, _personal_rules, luhn_ok
from kb.safety.redaction_public_halves import public_half_spans
from kb.safety.redaction_rules import Rule, _rule, _secret_rules
from kb.safety.redaction_tables import (
    _BASE64_CANDIDATE,
    CREDENTIAL_PARENT,
    _Cell,
    _decoded,
    _personal_table_spans,
    _table_cells,
    _table_spans,
    nested_credential_spans,
    resource_id_spans,
    sql_credential_spans,
    ssh_public_key_spans,
)
from kb.safety.redaction_tool_passwords import tool_password_spans
from kb.safety.redaction_values import (
    _PUBLIC_PREFIX,
    _password_value,
    _token,
    placeholder_hook,
    value_group,
)

if TYPE_CHECKING:
    from kb.settings import Settings

log = logging.getLogger(__name__)

# The public entry point: the policy and its findings here, the helpers other modules use re-exported
# from where they live (the rule tables and checks are split by kind across ``redaction_*`` modules).
__all__ = [
    "CREDENTIAL_PARENT",
    "IP_MODES",
    "PLACEHOLDER_PREFIX",
    "PLACEHOLDER_RE",
    "Finding",
    "Redaction",
    "RedactionPolicy",
    "Rule",
    "default_policy",
    "find_secrets",
    "luhn_ok",
    "nested_credential_spans",
    "placeholder_hook",
    "quick_policy",
    "redact_lines",
    "redact_text",
    "resource_id_spans",
    "sql_credential_spans",
    "ssh_public_key_spans",
]


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
    # Mollie's and Mailgun's API keys in their documentation's examples
    r"|test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM|key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
    # CAPTCHA test keys, published to pass every check in development: Google reCAPTCHA v2's site key
    # and secret, hCaptcha's test site key and secret, Cloudflare Turnstile's dummy site keys and secrets
    r"|6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI|6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"
    r"|10000000-ffff-ffff-ffff-000000000001|0x0{40}"
    r"|(?<![\w-])[123]x0{20}(?:AA|AB|BB|FF)(?![\w-])|(?<![\w-])[123]x0{31}AA(?![\w-])"
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
    # RevenueCat's public SDK keys (``appl_`` iOS, ``goog_`` Android, ``amzn_`` Amazon, ``strp_``
    # Stripe, ``rcb_`` web billing) ship inside the app by design; its secret keys are ``sk_``
    r"|(?:appl|goog|amzn|strp|rcb)_[A-Za-z0-9]{20,40}"
    # a vendor's prefix and a body of one character repeated (``ghp_000…0``, ``sk_live_111…1``,
    # ``AKIA000…0``): a placeholder in a sample config, not an issued token
    r"|(?:[A-Za-z][A-Za-z0-9]{0,11}[_\-.]){1,3}(?P<repeated>[A-Za-z0-9])(?P=repeated){11,}"
    r"|[A-Z]{2,5}(?P<digit>[0-9])(?P=digit){11,}"
    # a registry export's binary value (``"ProtectedPassword"=hex:01,00,00,00,d0,8c,…``, a DPAPI blob):
    # bytes, encrypted when the name says password; a rule that stops at the first comma reads ``hex:01``
    r"|hex(?:\([0-9a-fA-F]{1,8}\))?:[0-9a-fA-F]{2}(?:,(?:\\\r?\n[ \t]*)?[0-9a-fA-F]{2})*,?"
)  # (and the signature schemes of an ``Authorization`` header)


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
    # a search-only key (Algolia's): made to ship to browsers, it can only search public indices
    r"|search[ _-]?only[ _-]?(?:api[ _-]?)?key['\"]?[ \t]*(?:[:=]|=>|\bis\b)[ \t]*['\"`]?"
    # Segment's browser snippet (``analytics.load("<write key>")``): a write key ships to every browser
    r"|\banalytics\.load\([ \t]*['\"`]"
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


# Adyen's client key (``test_``/``live_`` and 32 upper-case letters and digits) authenticates Drop-in in
# the shopper's browser: public by design, unlike its API key (``AQE…``). Kept where a client key is named.
_CLIENT_KEY_VALUE: Final = re.compile(r"(?:test|live)_[A-Z0-9]{32}")
_CLIENT_KEY_NAME: Final = re.compile(r"(?i)client[_ .\-]?key\b[^\n]{0,12}$")


def _public_client_key(text: str, start: int, value: str) -> bool:
    if not _CLIENT_KEY_VALUE.fullmatch(value):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return _CLIENT_KEY_NAME.search(text[max(line_start, start - 80) : start]) is not None


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
            + _secret_name_rules()
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
        from kb.safety.redaction_paths import path_segment_rules

        rules += path_segment_rules()
        from kb.safety.redaction_commands import command_rules

        rules += command_rules()
        from kb.safety.redaction_directives import directive_rules

        rules += directive_rules()
        from kb.safety.redaction_pins import pin_rules

        rules += pin_rules()
        from kb.safety.redaction_literals import literal_rules

        rules += literal_rules()
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
        public_keys += resource_id_spans(text) + public_half_spans(text)  # and cloud ids, public halves
        from kb.safety.redaction_containers import committed_ciphertext_spans

        public_keys += committed_ciphertext_spans(text) + ciphertext_spans(text)  # and sealed, age, PGP
        from kb.safety.redaction_commands import command_public_spans

        public_keys += command_public_spans(text)  # and KMS ciphertext, ids a remark calls ids
        from kb.safety.redaction_remarks import remark_public_spans

        public_keys += remark_public_spans(text)  # and keys copied from docs, ids a remark calls public
        from kb.safety.redaction_files import crypt_hash_spans, file_credential_spans

        public_keys += crypt_hash_spans(text)  # and password hashes (``$6$…``, Mosquitto ``$7$…``)
        # a file's layout says more than a rule reading a piece of the value (a salt with ``:`` in it)
        spans.extend((-1, s, e, t) for t, s, e in file_credential_spans(read))
        from kb.safety.redaction_split_values import cut_value_spans

        spans.extend((-1, s, e, t) for t, s, e in cut_value_spans(read))  # ``SECRET_KEY = "…&…)…"`` whole
        from kb.safety.redaction_gear import gear_credential_spans, gear_public_spans

        public_keys += gear_public_spans(text)  # and Django/GRUB hashes, DNSSEC records, API hosts
        spans.extend((-1, s, e, t) for t, s, e in gear_credential_spans(read))
        from kb.safety.redaction_middleware import middleware_credential_spans, middleware_public_spans

        public_keys += middleware_public_spans(text)  # and {SHA} hashes, Tomcat digest passwords
        spans.extend((-1, s, e, t) for t, s, e in middleware_credential_spans(read))
        from kb.safety.redaction_positions import position_credential_spans, position_public_spans

        public_keys += position_public_spans(text)  # and WebSocket handshake keys, protocol nonces
        spans.extend((-1, s, e, t) for t, s, e in position_credential_spans(read))
        from kb.safety.redaction_access_services import access_service_credential_spans
        from kb.safety.redaction_client_keys import client_key_credential_spans, client_key_public_spans

        public_keys += client_key_public_spans(text)  # and Duo integration keys, Mailgun public keys
        spans.extend((low, s, e, t) for t, s, e in access_service_credential_spans(read))  # LDAP, SIP2
        spans.extend((low, s, e, t) for t, s, e in client_key_credential_spans(read))  # Django, Drupal
        spans.extend((low + 1, s, e, t) for t, s, e in search_client_key_spans(read))  # ``algoliasearch``
        from kb.safety.redaction_device_keys import device_key_credential_spans

        spans.extend((low, s, e, t) for t, s, e in device_key_credential_spans(read))  # PSKs, MQTT, LoRaWAN
        from kb.safety.redaction_setters import setter_credential_spans

        spans.extend((low, s, e, t) for t, s, e in setter_credential_spans(read))  # ``balena env add NAME V``
        spans.extend((low, s, e, t) for t, s, e in tool_password_spans(read))  # ``hass … change_password``
        from kb.safety.redaction_blocks import block_credential_spans

        spans.extend((low, s, e, t) for t, s, e in block_credential_spans(read))
        spans.extend((low, s, e, t) for t, s, e in nested_credential_spans(read))
        spans.extend((low, s, e, t) for t, s, e in recovery_code_spans(text))
        from kb.safety.redaction_context import context_spans  # a neighbour that imports this module

        spans.extend((low, s, e, t) for t, s, e in context_spans(read))
        from kb.safety.redaction_operator_forms import operator_credential_spans

        spans.extend((low, s, e, t) for t, s, e in operator_credential_spans(read))  # ``admin / PW``
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
        return self._kept(text, spans, expansions, public_keys)

    def _kept(
        self,
        text: str,
        spans: list[tuple[int, int, int, str]],
        expansions: list[tuple[int, int]],
        public_keys: list[tuple[int, int]],
    ) -> list[Finding]:
        """The spans that stay findings, by priority then position: a value that is allowed, a
        placeholder, a template's, public, or inside a span already taken is dropped."""
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
                or _public_client_key(text, start, value)
                or _PUBLIC_PREFIX.match(value)
                or _NOT_SECRET_VALUE.fullmatch(value)
            ):
                continue
            if "[REDACTED:" in value:  # already redacted text stays as it is
                continue
            if _widen_overlapped(taken, text, start, end, type_):
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
                    group = value_group(match)
                    in_match = group in rule.pattern.groupindex and match.start(group) >= 0
                    s, e = match.span(group) if in_match else match.span(0)
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


# Types a rule gives by where a value stands, not by its shape: their extent is the rule's guess.
_PLACE_TYPES: Final = frozenset(
    {
        "password-assignment",
        "generic-secret",
        "generic-api-key",
        "password-in-url",
        "basic-auth",
        "bearer-token",
    }
)


def _widen_overlapped(taken: list[tuple[int, int, str]], text: str, start: int, end: int, type_: str) -> bool:
    """Whether ``start:end`` overlaps a span already taken. A vendor's shape (``type_`` not one of
    ``_PLACE_TYPES``) that holds a taken span read by place replaces it: the shape knows where its
    token ends, where a header rule stopped at the ``[`` inside an Adyen key and left its tail."""
    for index, (s, e, taken_type) in enumerate(taken):
        if not (start < e and s < end):
            continue
        wider = start <= s and e <= end and (start, end) != (s, e)
        # only over the token itself: a shape rule that also took the `=` or the space before its
        # value (`artifactory_apikey=…`) would eat the lesson's text
        grown = text[start:s] + text[e:end]
        if (
            wider
            and not any(ch.isspace() or ch == "=" for ch in grown)
            and taken_type in _PLACE_TYPES
            and type_ not in _PLACE_TYPES
        ):
            others = [span for i, span in enumerate(taken) if i != index]
            if not any(start < oe and os_ < end for os_, oe, _t in others):
                taken[index] = (start, end, type_)
        return True
    return False
