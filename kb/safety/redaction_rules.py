"""The :class:`Rule` type and the core table of secret rules, in the order the policy runs them.

Key blocks, vendor token formats, signed URLs, credentials in URLs, ``Basic`` pairs, SQL and command
line passwords, prose and ``KEY = value`` assignments (:func:`_secret_rules`). Rules that depend on
the name, call or layout holding a value are in :mod:`kb.safety.redaction_named_rules`, personal
data in :mod:`kb.safety.redaction_personal`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kb.safety.redaction_names import (
    _ABOUT_A_CREDENTIAL,
    _KEYWORDS,
    _VALUE_END,
    _assignment_context,
    _decodes_to_text,
    _generic_context,
    _not_a_permit_pass,
)
from kb.safety.redaction_values import (
    UUID_PATTERN,
    _basic_pair,
    _dotted_passphrase,
    _entropy,
    _flag_value,
    _generated_groups,
    _passphrase,
    _password_value,
    _placeholder_like,
    _position_value,
    _quoted_flag_value,
    _random_run,
    _reference_value,
    _strong,
    _token,
    _uuid_secret,
    _vendor_style_token,
    placeholder_hook,
)


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


def _heartbeat_url(url: str) -> bool:
    """A heartbeat URL's token is random: not zeros or X's (``hc-ping.com/00000000-…``), a template."""
    token = max(url.split("://", 1)[-1].split("/")[1:], key=len).replace("-", "")
    return len(set(token.lower())) > 2 and not _placeholder_like(token)


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
    # Checkout.com secret keys of its older platform: ``sk_`` (``sk_test_`` in its sandbox) and a
    # uuid's layout of lower-case letters and digits (its ``pk_…`` public keys ship to browsers)
    (
        "checkout-key",
        "sk_",
        r"sk_(?:test_)?(?=[a-z0-9-]*[0-9])(?=[a-z0-9-]*[a-z])"
        r"[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12}",
    ),
    # Firebase Cloud Messaging legacy server key: ``AAAA`` and 7 more, ``:APA91b``, a long body. A
    # device's registration token has the same ``…:APA91b…`` body but a random 11-character start
    ("vendor-token", "apa91b", r"AAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{60,}"),
    # OneSignal v2 REST API keys (``os_v2_app_`` or ``os_v2_org_`` and 100+ of lower-case base32): the
    # body has no capitals, so the random-run tests pass it by; the prefix alone says what it is
    ("vendor-token", "os_v2_", r"os_v2_(?:app|org)_[a-z2-7]{100,}"),
    # Twitch stream keys: ``live_``, the channel's numeric id, ``_`` and 20+ random characters
    ("vendor-token", "live_", r"live_\d{6,12}_[A-Za-z0-9]{20,40}"),
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


# Flags that name the key they take, beside ``secret``/``token``/``api-key``: Azure's
# ``--primary-key``/``--secondary-key`` (IoT Hub, Event Hubs), ``--account-key`` (storage),
# ``--shared-access-key``, ``--master-key``. A bare ``--key`` may name a record's key or a file.
_FLAG_KEYS: Final = r"(?:primary|secondary|shared[_-]access|account|storage|master)[_-]key"


# A Kerberos principal: ``user[/instance]@REALM``, the name in lower case and the realm in capitals
# (``svc_pms@LARCHMERE``, ``host/db1.acme.internal@ACME.INTERNAL``).
_KERBEROS_PRINCIPAL: Final = re.compile(
    r"[a-z0-9_.\-]+(?:/[a-z0-9_.\-]+)?@[A-Z][A-Z0-9\-]*(?:\.[A-Z0-9\-]+)*"
)


def _key_block_rules() -> list[Rule]:
    """Private key blocks (PEM, PGP, SSH2, PuTTY) and any other key block that is not public."""
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
    ]


def _cloud_and_platform_token_rules() -> list[Rule]:
    """Tokens of clouds and code and chat platforms known by their format (AWS key ids, GitHub, GitLab,
    Slack, webhooks, Stripe, Google, JWTs, Azure) and a signed URL's signature."""
    return [
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
            _B + r"(?:xoxe\.)?xox[abposre]-[A-Za-z0-9_-]{10,}|" + _B + r"xapp-\d-[A-Za-z0-9-]{10,}",
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
        # Heartbeat (dead man's switch) URLs, whose path is the check's secret (whoever holds it can
        # ping or fail the check): healthchecks.io ``hc-ping.com/<uuid>`` or ``/<ping key>/<slug>``
        # (self-hosted, ``/ping/<uuid>``), Dead Man's Snitch ``nosnch.in/<id>``, Cronitor
        # ``cronitor.link/p/<key>/<monitor>``, Better Stack's ``/api/v1/heartbeat/<token>``, Uptime
        # Kuma's ``/api/push/<token>``. Not the dashboard's ``/checks/<uuid>/`` (it needs a login).
        _rule(
            "webhook-url",
            rf"https?://(?:(?:hc-ping\.com|hchk\.io)/(?:{UUID_PATTERN}|[A-Za-z0-9_\-]{{22}}/\w[\w\-]*)"
            rf"|[A-Za-z0-9.\-]+(?::\d+)?/ping/{UUID_PATTERN}|nosnch\.in/[0-9a-f]{{10}}"
            r"|cronitor\.link/p/[0-9a-f]{32}/[\w\-]+|[A-Za-z0-9.\-]+/api/v1/heartbeat/[A-Za-z0-9]{16,}"
            r"|[A-Za-z0-9.\-]+(?::\d+)?/api/push/[A-Za-z0-9]{8,})(?![\w\-])",
            _heartbeat_url,
            hints=(
                "hc-ping.com",
                "hchk.io",
                "/ping/",
                "nosnch.in",
                "cronitor.link",
                "/heartbeat/",
                "/api/push/",
            ),
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
    ]


def _saas_token_rules() -> list[Rule]:
    """Other vendors' tokens known by their prefix or format, and any vendor-style token."""
    return [
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
    ]


def _url_and_pair_rules() -> list[Rule]:
    """Credentials in URLs, ``user:password`` pairs (``Basic``, ``--auth``) and an AWS secret key alone."""
    return [
        # Credentials in URLs: ``scheme://user:password@host`` and ``?password=``. The scheme may hold
        # ``_``: Kafka names its listener protocols so (``sasl_ssl://``, ``SASL_PLAINTEXT://``).
        _rule(
            "password-in-url",
            r"(?i)\b[a-z][a-z0-9+._\-]{1,20}: ?//[^\s:/@'\"`<>]*:(?P<v>[^\s@/'\"`<>]+)@[A-Za-z0-9.\-\[]",
            lambda v: not _placeholder_like(v) and not _CREDENTIAL_WORD_VALUE.fullmatch(v),
            hints=("://", ": //"),
        ),
        # An empty host (``snowflake://LOADER:pw@/RAW/PUBLIC?account=…``, an Airflow connection URI
        # whose host sits in a parameter, a socket-path DSN): the user part is still there.
        _rule(
            "password-in-url",
            r"(?i)\b[a-z][a-z0-9+._\-]{1,20}://[^\s:/@'\"`<>]+:(?P<v>[^\s@/'\"`<>]+)@/(?=[\w%?])",
            lambda v: not _placeholder_like(v) and not _CREDENTIAL_WORD_VALUE.fullmatch(v),
            hints=("@/",),
        ),
        _rule(
            "password-in-url",
            r"(?i)[?&;](?:password|passwd|pwd|pass)=(?P<v>[^\s&'\"`#;]+)",
            lambda v: not _placeholder_like(v),
            hints=("pass", "pwd"),
        ),
        # An API key passed as ``appid``/``app_id`` (OpenWeather, some map and SMS APIs): a random run
        # there is the key; a numeric or short id (a Facebook or Algolia app id) is public
        _rule(
            "generic-api-key",
            r"(?i)[?&;](?:appid|app_id)=(?P<v>[^\s&'\"`#;]+)",
            lambda v: _random_run(v) and not _placeholder_like(v),
            hints=("appid", "app_id"),
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
    ]


def _sql_and_command_line_rules() -> list[Rule]:
    """Passwords in SQL and ``.netrc`` and on command lines: ``sshpass -p``, ``-p``/``--password`` flags."""
    return [
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
        # (a token sent URL-encoded holds ``%3D``/``%2B``/``%2F``: Twitter's app-only bearer tokens)
        _rule(
            "bearer-token",
            r"(?i)\b(?:Bearer|token)\s+(?P<v>(?:[A-Za-z0-9_\-.~+/]|%[0-9A-Fa-f]{2}){16,}=*)" + _VALUE_END,
            _token,
            hints=("bearer", "token"),
        ),
        # A Salesforce session id or access token: the 15- or 18-character org id (``00D…``), ``!``, the
        # session key (the ``!`` ends the bearer rule's token)
        _rule(
            "bearer-token",
            r"(?<![\w!])00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?![A-Za-z0-9_.]{40,}(?![\w.!])",
            hints=("00d",),
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
            rf"(?i)(?:^|\s)--?[\w.-]*(?:secret|token|api-key|apikey|{_FLAG_KEYS})"
            rf"(?![\w-]*-(?:{_ABOUT_A_CREDENTIAL})\b)[\w-]*(?:=|\s+)['\"]?"
            r"(?P<v>[^\s'\"`]+)",
            _flag_value,
            hints=("secret", "token", "api-key", "apikey", "key"),
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
    ]


def _prompt_and_share_rules() -> list[Rule]:
    """Passwords typed at a Redis prompt (``AUTH``) and after a share (``net use``)."""
    return [
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
    ]


def _prose_and_assignment_rules() -> list[Rule]:
    """Passwords told in prose, config directives and ``KEY = value`` assignments named for a secret."""
    return [
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
            context=_not_a_permit_pass,  # ``season pass SP-2026-93843``: a ticket
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


def _secret_rules() -> list[Rule]:
    """The core table, in the order the policy runs it: key blocks first, prose and assignments last."""
    return (
        _key_block_rules()
        + _cloud_and_platform_token_rules()
        + _saas_token_rules()
        + _url_and_pair_rules()
        + _sql_and_command_line_rules()
        + _prompt_and_share_rules()
        + _prose_and_assignment_rules()
    )
