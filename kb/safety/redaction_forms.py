"""Credential forms the core rule table in :mod:`kb.safety.redaction_rules` does not read: vendor token
formats whose alphabet holds ``$``, ``/``, ``:`` or ``//``, names that sit apart from their value
(a secret-store path, a CSV row, a subscript, an HCL variable, a .NET setting), tools that take a
password in a position of their own, and one-time recovery codes.

Kept apart so the core table stays one a reader can take in; :class:`~kb.safety.redaction.RedactionPolicy`
adds these rules after its own and asks :func:`recovery_code_spans` for codes in lists.
"""

from __future__ import annotations

import base64
import re
from typing import Final

from kb.safety.redaction_names import (
    _ABOUT_A_CREDENTIAL,
    _CHANGED,
    _INSTRUCTION,
    _KEY_QUALIFIERS,
    _NAME_SAYS_CREDENTIAL,
    _PASSWORD_LIKE,
    _PASSWORD_NAME,
    _PROSE_VALUE,
    _PW_WORD,
    _RECORD_KEY_QUALIFIERS,
    _assignment_context,
    _decodes_to_text,
    _gap_context,
    _password_gap_context,
    _prose_context,
    _prose_word,
    _secret_in_context,
)
from kb.safety.redaction_personal import _phone_vetoed
from kb.safety.redaction_rules import _B, _E, Rule, _rule
from kb.safety.redaction_tables import _KEY_VENDORS
from kb.safety.redaction_values import (
    _UUID,
    _base64_key,
    _basic_pair,
    _dotted_passphrase,
    _placeholder_like,
    _position_value,
    _random_run,
    _reference_value,
    _strong,
    _token,
    _vendor_style_token,
    placeholder_hook,
)


def _literal(value: str) -> bool:
    """A typed-in value: not a placeholder, a variable or a path."""
    return not _placeholder_like(value) and not _reference_value(value)


def _literal_or_path(value: str) -> bool:
    return not _placeholder_like(value.lstrip("/")) and not value.startswith("$")


def _mixed(value: str) -> bool:
    return all(re.search(p, value) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))


# Token formats known by their shape alone (documented by each vendor): (type, pattern, hint or seed).
_SHAPED_TOKENS: Final = (
    ("braintree-token", r"access_token\$production\$[a-z0-9]{16}\$[0-9a-f]{32}", "access_token$", None),
    ("asana-token", r"(?<![\w/])\d/\d{16}/\d{16}:[0-9a-f]{32}(?![\w])", None, r"\d/\d{16}/\d"),
    ("google-oauth-token", _B + r"1//0[A-Za-z0-9_\-]{40,}", "1//0", None),
    (
        "bitwarden-token",
        r"(?<![\w.])0\.[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\.[A-Za-z0-9]{20,}:[A-Za-z0-9+/]{20,}={0,2}",
        None,
        r"0\.[0-9a-f]{8}-",
    ),
    ("nuget-key", _B + r"oy2[a-z0-9]{43}" + _E, "oy2", None),
    ("artifactory-token", _B + r"cmVmdGtu[A-Za-z0-9]{40,}" + _E, "cmvmdgtu", None),
    ("akamai-token", _B + r"akab-[a-z0-9]{16}-[a-z0-9]{16}" + _E, "akab-", None),
    ("django-secret-key", r"django-insecure-[^\s'\"`]{30,}", "django-insecure-", None),
    # NATS nkey seeds: ``S`` and the key type, then base32 (a public nkey starts ``U``/``A``/``O``)
    ("nats-seed", _B + r"S[UAONCX][A-Z2-7]{56}" + _E, None, r"S[UAONCX][A-Z2-7]{20}"),
    ("bitlocker-recovery-key", r"(?<![\d-])\d{6}(?:-\d{6}){7}(?![\d-])", None, r"\d{6}-\d{6}-"),
    # Google OAuth client secrets: ``GOCSPX-`` and 28 characters (a few more or less taken), cut by
    # ``-`` into short runs the generic vendor-token test reads as words.
    ("google-oauth-secret", _B + r"GOCSPX-[A-Za-z0-9_\-]{24,40}" + _E, "gocspx-", None),
    # Square access and OAuth secrets (``sq0atp-``, ``sq0csp-``; an app id ``sq0idp-`` is public).
    ("square-token", _B + r"sq0(?:atp|csp)-[A-Za-z0-9_\-]{22,43}" + _E, "sq0", None),
)
# Shapes common enough that they need mixed case and digits: crates.io ``cio…``, Vault's legacy ``s.``.
_MIXED_TOKENS: Final = (
    ("crates-token", _B + r"cio[A-Za-z0-9]{32}" + _E, "cio"),
    ("vault-token", r"(?<![\w.\-/])s\.[A-Za-z0-9]{24}(?![\w.\-])", "s."),
    # Square production tokens (``EAAA`` and 60), Atlassian admin keys (``ATCTT3xFfGN0``), Alibaba
    # Cloud access key ids (``LTAI``), JFrog Artifactory API keys (``AKCp``), EasyPost (``EZAK``).
    ("square-token", _B + r"EAAA[A-Za-z0-9_\-]{60}" + _E, "eaaa"),
    ("atlassian-token", _B + r"ATCTT3xFfGN0[A-Za-z0-9_\-=]{30,}" + _E, "atctt"),
    ("alibaba-key", _B + r"LTAI[A-Za-z0-9]{12,20}" + _E, "ltai"),
    ("artifactory-token", _B + r"AKCp[A-Za-z0-9]{69}" + _E, "akcp"),
    ("easypost-key", _B + r"EZ[AT]K[A-Za-z0-9]{54}" + _E, "ez"),
)


def _vendor_shape_rules() -> list[Rule]:
    rules = [
        _rule(type_, pattern, hints=(hint,) if hint else (), seed=seed)
        for type_, pattern, hint, seed in _SHAPED_TOKENS
    ]
    rules += [_rule(type_, pattern, _mixed, hints=(hint,)) for type_, pattern, hint in _MIXED_TOKENS]
    return rules


def _named_apart_rules() -> list[Rule]:
    """A name that says credential, written apart from its value."""
    name = _NAME_SAYS_CREDENTIAL
    return [
        # ``consul kv put config/svc/api_token …``, ``etcdctl put /app/db_password …``: the last
        # segment of the key's path names the value.
        _rule(
            "generic-secret",
            r"(?i)\b(?:kv\s+put|etcdctl\s+put|ssm\s+put-parameter\s+--name)\s+/?(?:[\w.\-]+/)*"
            + name
            + r"\s+(?P<q>['\"]?)(?P<v>(?!-)[^\s'\"]+)(?P=q)",
            _secret_in_context,
            hints=("put",),
        ),
        # A CSV row ``NAME,value`` (an exported settings table).
        _rule(
            "generic-secret",
            r"(?im)^['\"]?" + name + r"['\"]?,['\"]?(?P<v>[^,\s'\"]+)['\"]?[ \t]*(?:,|$)",
            _secret_in_context,
            hints=(",",),
        ),
        # A subscript assignment: ``os.environ['MISTRAL_API_KEY'] = '…'``, ``ENV["X_TOKEN"] = "…"``.
        _rule(
            "generic-secret",
            r"(?i)\[\s*['\"]" + name + r"['\"]\s*\]\s*=\s*(?P<q>['\"])(?P<v>[^'\"\n]+)(?P=q)",
            _secret_in_context,
            hints=("=",),
        ),
        # An HCL variable's default: ``variable "db_token" { default = "…" }``.
        _rule(
            "generic-secret",
            r"(?i)\bvariable\s+\"" + name + r"\"\s*\{[^{}]{0,200}?\bdefault\s*=\s*\"(?P<v>[^\"\n]+)\"",
            _secret_in_context,
            hints=("variable",),
            multiline=True,
        ),
        # An XML element named by its attribute, the value its text: Hibernate/Spring
        # ``<property name="hibernate.connection.password">…</property>``, ``<entry key="api_token">…``.
        _rule(
            "generic-secret",
            r"(?i)<(?P<tag>[A-Za-z][\w:.\-]*)\s+(?:[\w:\-]+=\"[^\"\n]*\"\s+)*(?:name|key|id)=\""
            + name
            + r"\"[^>]*>[ \t]*(?P<v>[^<\s]+)[ \t]*</(?P=tag)>",
            _secret_in_context,
            hints=("</",),
        ),
        # A .NET settings entry: ``<setting name="X_TOKEN" …>`` then ``<value>…</value>``.
        _rule(
            "generic-secret",
            r"(?i)<setting\s+name=\"" + name + r"\"[^>]*>\s*<value>(?P<v>[^<\s]+)</value>",
            _secret_in_context,
            hints=("<setting",),
            multiline=True,
        ),
    ]


def _tool_rules() -> list[Rule]:
    """Tools that take a password in a position or flag of their own."""
    return [
        # Windows-style flags: ``xfreerdp /p:…``, ``cmdkey /pass:…``.
        _rule(
            "password-assignment",
            r"(?i)(?:^|\s)/(?:p|pass|password):(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            _position_value,
            hints=("/p:", "/pass"),
        ),
        # ``net use Z: \\host\share /user:DOMAIN\u pw``; ``db2 connect to DB user u using pw``.
        _rule(
            "password-assignment",
            r"(?i)\bnet\s+use\b[^\n]*?\s/user:\S+\s+(?P<v>[^\s/]\S*)",
            _literal,
            hints=("net use",),
        ),
        _rule(
            "password-assignment",
            r"(?i)\buser\s+\S+\s+using\s+(?P<v>\S+)",
            _position_value,
            hints=("using",),
        ),
        # ``mc alias set NAME URL ACCESS_KEY SECRET_KEY``: the last one is the secret.
        _rule(
            "password-assignment",
            r"\bmc\s+alias\s+set\s+\S+\s+\S+\s+\S+\s+(?P<v>[^\s-]\S*)",
            _literal,
            hints=("mc alias",),
        ),
        # SNMPv3 authentication and privacy passphrases: ``snmpwalk … -A pw -X pw``.
        _rule(
            "password-assignment",
            r"\bsnmp\w*\b[^\n]*?\s-[AX]\s+(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            _position_value,
            hints=("snmp",),
        ),
        # ``snmp-server community STRING RO|RW``: whatever the string looks like (``/…/+9`` is no path).
        _rule(
            "password-assignment",
            r"(?i)\bsnmp-server\s+community\s+(?P<v>\S+)\s+R[OW]\b",
            _literal_or_path,
            hints=("snmp-server",),
        ),
        # sendmail ``AuthInfo:host "U:user" "P:pw"``; pppd ``chap-secrets`` ``user * pw *``.
        _rule(
            "password-assignment",
            r"(?i)\bAuthInfo\b[^\n]*?\"P:(?P<v>[^\"\n]+)\"",
            _literal,
            hints=("authinfo",),
        ),
        _rule(
            "password-assignment",
            r"(?m)^[\w.@\-]+[ \t]+\*[ \t]+(?P<v>[^\s*]+)[ \t]+\*",
            _position_value,
            seed=r"[ \t]\*[ \t]",
        ),
        # SQL Server's ``sp_addlogin 'u', 'pw'`` and ``sp_password 'old', 'new'``.
        _rule(
            "password-assignment",
            r"(?i)\bsp_(?:addlogin|password)\s+(?:@\w+\s*=\s*)?N?'[^'\n]*'\s*,\s*(?:@\w+\s*=\s*)?N?'(?P<v>[^'\n]+)'",
            _literal,
            hints=("sp_",),
        ),
        # What ``expect`` types after a password prompt: ``expect "assword:"`` then ``send "…\r"``.
        _rule(
            "password-assignment",
            r"(?i)\bexpect\s+(?:-\w+\s+)?\"[^\"\n]*(?:assword|passphrase|pin)[^\"\n]*\"[ \t]*\n[ \t]*"
            r"send\s+(?:--\s+)?\"(?P<v>[^\"\n]+?)(?:\\r|\\n)*\"",
            _literal,
            hints=("send",),
            multiline=True,
        ),
        # A passphrase given on a here-string to a tool that reads one: ``cryptsetup … <<< pw``.
        _rule(
            "password-assignment",
            r"\b(?:cryptsetup|kinit|passwd|veracrypt)\b[^\n]*?<<<\s*(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            _literal,
            hints=("<<<",),
        ),
        # A terminal prompt and what was typed after it: ``Password for 'https://ci@git…': pw``.
        _rule(
            "password-assignment",
            r"(?i)\b(?:password|passphrase|pass phrase)\s+for\s+(?:'[^'\n]{1,120}'|\S{1,120}):[ \t]*"
            r"(?P<v>\S+)[ \t]*$",
            _position_value,
            hints=("pass",),
        ),
    ]


def _store_value(value: str) -> bool:
    """A value written into a secret store: a password shape, not a file, a variable or a number."""
    if re.match(r"(?i)file(?:b)?://", value):
        return False
    return _position_value(value) or _dotted_passphrase(value)


# Secret-store command lines that write a value: ``aws ssm put-parameter … --value``, ``az keyvault
# secret set … --value``, ``aws secretsmanager put-secret-value --secret-string``, ``gh secret set
# --body``; and a literal piped into one (``printf '%s' 'pw' | gcloud secrets versions add``).
_SECRET_STORE_WRITE: Final = (
    r"(?:\bssm\s+put-parameter|\bkeyvault\s+secret\s+set|\bsecretsmanager\s+"
    r"(?:create-secret|put-secret-value|update-secret)|\bgh\s+secret\s+set)\b"
)
_SECRET_STORE_READS_STDIN: Final = (
    r"(?:gcloud\s+secrets|az\s+keyvault|vault\s+(?:kv|write)|aws\s+secretsmanager|docker\s+secret\s+create"
    r"|kubectl(?:\s+--?[\w-]+(?:[= ][^\s|;&-]\S*)?)*\s+create\s+secret|gh\s+secret\s+set)\b"
)


def _store_and_prose_rules() -> list[Rule]:
    return [
        _rule(
            "password-assignment",
            _SECRET_STORE_WRITE + r"[^\n|;&]*?\s--(?:value|secret-string|body)(?:=|\s+)"
            r"(?:(?P<q>['\"])(?P<v>[^'\"\n]{4,256}?)(?P=q)|(?P<v2>(?!-)[^\s'\"]{4,}))",
            _store_value,
            hints=("put-parameter", "keyvault", "secretsmanager", "secret set"),
        ),
        _rule(
            "password-assignment",
            r"\b(?:printf\s+['\"]%s(?:\\n)?['\"]\s+|echo\s+(?:-n\s+)?)(?P<q>['\"]?)(?P<v>[^\s'\"|]{4,})(?P=q)"
            r"\s*\|\s*" + _SECRET_STORE_READS_STDIN,
            lambda v: _literal(v) and not v.isdigit(),
            hints=("|",),
        ),
        # A dotted passphrase under a name that says password (``GF_ADMIN_PASSWORD=walnut.atlas.pepper12``,
        # ``pwd: "…"``, ``Password: …``).
        _rule(
            "password-assignment",
            r"(?i)(?<![\w.\-])[\w.\-]*(?:pass(?:word|wd|phrase|code)?|pwd|psk|secret)[\w.\-]*['\"]?"
            r"[ \t]*(?:=|:)[ \t]*['\"]?"
            r"(?P<v>[a-z]{3,}(?:\.[a-z]{3,}){2,4}\d{2,4}[!?#*]?)(?![\w.])",
            _dotted_passphrase,
            context=_assignment_context,
            hints=("pass", "pwd", "psk", "secret"),
        ),
        # A password glued to ``-p`` inside an exec-form array: ``["mysqladmin", "ping", "-uroot", "-ppw"]``.
        _rule(
            "password-assignment",
            r"(?i)\b(?:mysql\w*|mariadb\w*)\b[^\n]*?['\"]-p(?P<v>[^\s'\"]{4,})['\"]",
            lambda v: (
                not v.isdigit()
                and (_literal(v) or _dotted_passphrase(v))
                and re.search(r"[0-9!@#$%^&*+=~?]", v) is not None
            ),
            hints=("mysql", "mariadb"),
        ),
        # Prose naming a password, a few words, then a quoted strong value with a digit or symbol:
        # 'the iLO password was reset; the new one "…" was sent'.
        _rule(
            "password-assignment",
            r"(?i)(?<![$@%])\b(?:password|passphrase|passwd)\b[^\n`'\":=]{0,40}?(?P<q>[`'\"])(?P<v>[^`'\"\s]{6,64}?)(?P=q)",
            lambda v: (
                _strong(v) and re.search(r"[0-9!@#$%^&*+=~?]", v) is not None and not _reference_value(v)
            ),
            hints=("pass",),
        ),
    ]


def _uuid_key(value: str) -> bool:
    return _UUID.fullmatch(value) is not None and len(set(value.replace("-", ""))) > 2


def _decoded_pair(value: str) -> bool:
    """Base64 of ``user:password`` whose password half is a password, not ``env:prod``."""
    if not _basic_pair(value):
        return False
    decoded = base64.b64decode(value + "=" * (-len(value) % 4)).decode("utf-8")
    return _position_value(decoded.partition(":")[2])


def _decoded_rules() -> list[Rule]:
    return [
        # A uuid after a qualified key or token in prose (``Opsgenie API key 1f2e…``, ``the integration
        # key is …``): vendors issue keys as uuids (Opsgenie, Heroku, Consul); a bare ``key`` or an
        # ``… key id`` keeps its uuid.
        _rule(
            "generic-secret",
            r"(?i)\b(?:api|integration|auth|access|secret|license|service|admin|master|session)[ _-]?"
            r"(?:key|token)s?\b[^\n:=`'\"]{0,40}?(?:[:=]|\bis\b)?[ \t]*[`'\"]?"
            r"(?P<v>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])",
            _uuid_key,
            context=_prose_context,
            hints=("key", "token"),
        ),
        # A ``user:password`` credential decoded in a shell line, with no ``Basic`` beside it:
        # ``echo <base64> | base64 -d``, ``base64 --decode <<< <base64>``.
        _rule(
            "basic-auth",
            r"\b(?:echo|printf)\s+(?:-[ne]+\s+)?(?:['\"]%s['\"]\s+)?(?P<q>['\"]?)(?P<v>[A-Za-z0-9+/]{8,}={0,2})(?P=q)"
            r"\s*\|\s*(?:openssl\s+)?base64\s+(?:-d\b|-D\b|--decode\b)"
            r"|\bbase64\s+(?:-d|-D|--decode)\s*<<<\s*['\"]?(?P<v2>[A-Za-z0-9+/]{8,}={0,2})",
            _decoded_pair,
            hints=("base64",),
        ),
    ]


# A setting's name written in prose (``reset `ELASTIC_PASSWORD` to …``, ``new redis_password is …``):
# an identifier (``_``/``.``/``-`` inside, or all capitals), optionally quoted, then ``to``/``is``/an
# arrow and the value. The ``name=value`` rules do not read it, and the prose rules need the password
# word on its own.
_SETTING_IN_PROSE: Final = (
    r"(?<![\w.\-$@%/])[`'\"]?(?=[A-Za-z0-9]*[_.\-][\w.\-]|[A-Z][A-Z0-9]+[`'\" \t])"
    r"(?P<name>[A-Za-z][\w.\-]*?(?i:{words})(?![a-zA-Z])[\w.\-]*)[`'\"]?[ \t]+"
    r"(?i:(?:is|was|to|becomes|=>|->|-->|\u2192)[ \t]+)(?i:(?:now|still|actually|currently)[ \t]+)?"
    r"[`'\"]?(?P<v>[^\s`'\"]+?)[`'\"]?(?=[.,;:)]*(?:\s|$))"
)
# The name says something about the secret (``PASSWORD_MIN_LENGTH``, ``DB_PASSWORD_FILE``,
# ``API_KEY_ID``) or is a record's key (``CACHE_KEY``).
_ABOUT_NAME: Final = re.compile(
    rf"(?i)(?:[_.\-](?:{_ABOUT_A_CREDENTIAL})|(?:{_RECORD_KEY_QUALIFIERS})[_.\-]?key)[`'\"]?[ \t]+\S+[ \t]+"
    r"(?:\S+[ \t]+)?[`'\"]?$"
)


def _setting_context(before: str, _value: str) -> bool:
    return _ABOUT_NAME.search(before[-120:]) is None


def _token_value(value: str) -> bool:
    return _token(value) or _base64_key(value) or _vendor_style_token(value)


# A credential handed over in a chat line: its name, a clause or two (commas allowed: "here's the
# Datadog API key for staging, rotate it after the test: …"), a colon or arrow, and a random value. A
# vendor's name before a bare ``key`` names it too (``the Mailgun key for eu: …``).
_HANDED_OVER: Final = (
    rf"(?<![$@%\w-])(?:(?i:(?:{_KEY_QUALIFIERS})[ _-]?keys?|tokens?|secrets?|client[ _-]?secret)"
    r"|[A-Z][A-Za-z0-9]+(?:'s)?[ \t]+(?i:key))\b"
    r"(?P<gap>(?:[^\n:=.!?`'\"]|(?<=[A-Za-z])'(?=[a-z])){1,80}?)(?::|=|->|\u2192|\bis\b)[ \t]*[`'\"]?"
    r"(?P<v>[A-Za-z0-9][A-Za-z0-9_\-+/=.~]{19,})(?=[`'\"]?[.,;)]*(?:\s|$))"
)


def _handed_over_value(value: str) -> bool:
    hex_key = re.fullmatch(r"[0-9a-f]{32,}|[0-9A-F]{32,}", value) is not None and _token(value)
    return hex_key or _random_run(value) or _vendor_style_token(value)


def _handed_over_context(before: str, value: str) -> bool:
    return _gap_context(before, value) and _prose_context(_INSTRUCTION.sub(" ", before), value)


def _prose_setting_rules() -> list[Rule]:
    token_words = (
        rf"secret|token|(?:{_KEY_QUALIFIERS})[_-]?key|apikey|credentials?|client[_-]?secret|dsn|cookie|pat"
    )
    return [
        _rule(
            "password-assignment",
            _SETTING_IN_PROSE.format(words=_PASSWORD_LIKE),
            lambda v: _position_value(v) and not _prose_word(v),
            context=_setting_context,
            hints=("pass", "pw", "psk", "shared", "authtok", "community"),
        ),
        _rule(
            "generic-secret",
            _SETTING_IN_PROSE.format(words=token_words),
            _token_value,
            context=_setting_context,
            hints=("secret", "token", "key", "auth", "cred", "dsn", "cookie", "pat"),
        ),
        _rule(
            "generic-secret",
            _HANDED_OVER,
            _handed_over_value,
            context=_handed_over_context,
            hints=("key", "token", "secret"),
        ),
        # A name/value pair whose name is a password setting, the name unquoted (a Kubernetes env
        # entry ``- name: POSTGRES_PASSWORD`` / ``value: '…'``) or quoted (NuGet ``<add
        # key="ClearTextPassword" value="…" />``): any password shape, as after ``PASSWORD=``.
        _rule(
            "password-assignment",
            r"(?i)\b(?:name|key)['\"]?[ \t]*[:=][ \t]*['\"]?"
            + _PASSWORD_NAME.removeprefix("(?i)")
            + r"['\"]?[ \t]*,?\s*['\"]?value['\"]?[ \t]*[:=][ \t]*(?P<q>['\"]?)(?P<v>[^'\"\s]{4,})(?P=q)",
            _position_value,
            hints=("value",),
            multiline=True,
        ),
        # A registry's ``auth`` entry (docker ``config.json`` ``"auths": {host: {"auth": "…"}}``,
        # a ``.yarnrc.yml`` ``npmAuthIdent``, ``_auth=``): base64 of ``user:password``.
        _rule(
            "basic-auth",
            r"(?i)(?<![\w-])['\"]?(?:_?auth|npmAuthIdent|auth_?string|basic_?auth|userpass)['\"]?"
            r"[ \t]*[:=][ \t]*['\"]?(?P<v>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])",
            _decoded_pair,
            hints=("auth", "userpass"),
        ),
    ]


# --- any authorization scheme, tokens as arguments, PINs, passwords told beside their word ----------
# ``Authorization: <scheme> <credential>`` whatever the scheme (Okta ``SSWS``, ``Token``, ``ApiKey``,
# ``Klaviyo-API-Key``, ``GenieKey``): a random value after any scheme word is the credential. Schemes
# whose value is not one token (``Digest username="…"``, ``AWS4-HMAC-SHA256 Credential=…``) do not fit.
_ANY_AUTH_SCHEME: Final = (
    r"(?i)\b(?:proxy-)?authorization['\"]?[ \t]*[:=][ \t]*['\"]?[ \t]*"
    r"(?-i:(?!Basic\b|Bearer\b|Digest\b)[A-Za-z][\w.-]{1,30})[ \t]+"
    r"(?P<v>[A-Za-z0-9][A-Za-z0-9_\-.~+/]{15,}=*)(?=[\s\"'`,;)\]}>]|$)"
)
# A token handed to a login call or a CLI's token argument: ``client.login('…')``, ``bot.run("…")``,
# ``ngrok config add-authtoken …``, ``cli login <token>``, ``--token …``, ``--auth=…``, ``--api-key …``.
_LOGIN_CALL: Final = (
    r"(?i)(?<![\w$])(?:\.|\b)(?:login|log_in|sign_?in|authenticate|auth|set_?(?:auth_?)?token|with_?token|run)"
    r"\(\s*(?P<q>['\"`])(?P<v>[^'\"`\s]{20,})(?P=q)\s*[,)]"
)
_CLI_TOKEN_ARG: Final = (
    r"(?i)(?:\badd-authtoken|(?<![\w-])authtoken(?:\s+add)?(?=\s+[^\s-])|\b(?:auth\s+)?login(?=\s+[^\s-])"
    r"|(?<![\w-])--(?:auth(?:-?token)?|token|api-?key|access-?token|secret|password|pat|key))"
    r"(?:=|[ \t]+)(?P<q>['\"]?)(?P<v>[A-Za-z0-9][A-Za-z0-9_\-.~+/:]{15,}=*)(?P=q)(?=[\s;|&)]|$)"
)
# Discord bot tokens: three base64url parts (the bot id, a timestamp, an HMAC) joined by ``.``.
_DISCORD_TOKEN: Final = _B + r"[A-Za-z0-9_\-]{23,28}\.[A-Za-z0-9_\-]{6,7}\.[A-Za-z0-9_\-]{27,40}" + _E
# A structured log or a settings list that names the value apart: logfmt ``key=aws_secret_access_key
# value=…``, JSON/YAML ``{"name": "STRIPE_SECRET_KEY", "value": "…"}``, ``param=DB_PASSWORD val=…``.
_KEY_VALUE_APART: Final = (
    r"(?i)(?<![\w-])['\"]?(?:key|name|k|field|param(?:eter)?|var(?:iable)?|setting)['\"]?[ \t]*[:=][ \t]*"
    r"['\"]?" + _NAME_SAYS_CREDENTIAL + r"['\"]?[ \t]*,?\s*['\"]?(?:value|val|v)['\"]?[ \t]*[:=][ \t]*"
    r"(?P<q>['\"]?)(?P<v>[^\s'\"]{6,}?)(?P=q)(?=[\s,;}\]]|$)"
)
# The contents of a credential's file: ``ansible-vault password file contains: …``, ``the token file
# holds …`` (elsewhere ``file`` says the value is a path, not the secret).
_FILE_CONTAINS: Final = (
    r"(?i)\b(?:pass(?:word|phrase)|secret|token|key|credentials?)[ _-]?file\b[^\n:=`'\"]{0,20}?"
    r"\b(?:contains|holds|reads|has)\b[ \t]*:?[ \t]*(?P<q>[`'\"]?)(?P<v>[^\s`'\"]{6,64}?)(?P=q)"
    r"(?=[.,;)]*(?:\s|$))"
)
# A value alone in parentheses right after a password word: "the database password (`…`) had been
# copied", "the console password (…)". Not a ticket (``(OPS-2240)``) or a word (``(optional)``).
_PASSWORD_IN_PARENS: Final = (
    r"(?i)(?<![$@%\w])(?:pass(?:word|phrase|wd|code)|pw|pin|psk|community[ _-]?string)s?[ \t]*\("
    r"(?P<q>[`'\"]?)(?P<v>[^\s`'\"()]{6,64})(?P=q)\)"
)


# A numeric PIN where the words say whose it is: "the SIM PIN is 482913", "badge pin: 7391", "PIN
# code set to 0417", "PUK 12345678". A bare ``pin`` is too many other things (a GPIO pin, a pinned
# version, a TLS pin), so a qualifier or ``code`` is needed.
_NUMERIC_PIN: Final = (
    r"(?i)\b(?:(?:sim|card|atm|door|alarm|safe|badge|phone|device|admin|debit|credit|voicemail|keypad|bios"
    r"|unlock|entry|mfa|2fa|login|user|account|security)[ _-]?pin|pin[ _-]?code|puk(?:[ _-]?code)?)s?\b"
    r"[ \t]*(?::|=|\bis\b|\bwas\b|\b(?:set|changed|reset)[ \t]+to\b)?[ \t]*(?P<q>[`'\"]?)(?P<v>\d{4,8})(?P=q)"
    r"(?![\w.:/-])"
)


def _parenthesised_password(value: str) -> bool:
    ticket = re.fullmatch(r"[A-Z][A-Z0-9]+-\d+|#?\d+|v?\d+(?:\.\d+)+", value) is not None
    return not ticket and _position_value(value) and not _prose_word(value)


def _discord_token(value: str) -> bool:
    first, _middle, last = value.split(".")
    return _mixed(first) and _mixed(last) and not _placeholder_like(value)


def _scheme_argument_and_prose_rules() -> list[Rule]:
    return [
        _rule("authorization-token", _ANY_AUTH_SCHEME, _token_value, hints=("authorization",)),
        _rule("discord-token", _DISCORD_TOKEN, _discord_token, seed=r"\.[A-Za-z0-9_\-]{6,7}\."),
        _rule("generic-secret", _LOGIN_CALL, _token_value, hints=("(",)),
        _rule("pin", _NUMERIC_PIN, lambda v: len(set(v)) > 1, hints=("pin", "puk")),
        _rule(
            "password-assignment",
            _PASSWORD_IN_PARENS,
            _parenthesised_password,
            hints=("pass", "pw", "pin", "psk", "community"),
        ),
        _rule(
            "generic-secret",
            _CLI_TOKEN_ARG,
            lambda v: _token_value(v) or _random_run(v),
            hints=("authtoken", "login", "--"),
        ),
        _rule(
            "generic-secret",
            _KEY_VALUE_APART,
            _secret_in_context,
            hints=("value", "val", "v="),
            multiline=True,
        ),
        _rule(
            "password-assignment",
            _FILE_CONTAINS,
            lambda v: _secret_in_context(v) and not _prose_word(v),
            hints=("file",),
        ),
    ]


def form_rules() -> list[Rule]:
    return (
        _vendor_shape_rules()
        + _named_apart_rules()
        + _tool_rules()
        + _store_and_prose_rules()
        + _decoded_rules()
        + _prose_setting_rules()
        + _scheme_argument_and_prose_rules()
        + _webhook_and_comment_rules()
        + _bootstrap_token_and_changed_password_rules()
    )


# Words that say the number after them is a phone, in the languages of the on-call notes the corpus
# holds: English, Dutch, German, French, Spanish, Portuguese, Italian.
_PHONE_WORDS: Final = (
    r"phone|telephone|tel|mobile|cell|cellphone|call|called|dial|sms|whatsapp|"
    r"contact|reachable|pager|hotline|helpline|fax|on-call|"
    r"telefon|telefono|tel\u00e9fono|t\u00e9l\u00e9phone|telefoon|telem\u00f3vel|handy|mobil|m\u00f3vil|movil|"
    r"rang|ring|rings|ringing|rung|phoned|phoning|texted|texting|text|dialled|dialed|dialling|dialing|calling|"
    r"messaged|whatsapped|smsed|"
    r"celular|cellulare|cel|bereikbaar|erreichbar|reperibile|joignable|guardia|bereitschaft|"
    r"storingsdienst|notfall|contacto|contatto|recapito"
)


def _grouped_phone(value: str) -> bool:
    """9 to 12 digits in groups (15 with a country code); not a date, an address or a form's zeros."""
    digits = re.sub(r"\D", "", value)
    if not 9 <= len(digits) <= (15 if value.startswith("+") else 12) or re.fullmatch(r"0+", digits[-7:]):
        return False
    # a date, an address, or an amount in thousands (``1 234 567 890``)
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}.*|\d{1,3}(?:\.\d{1,3}){3}|\d{1,3}(?:[ .]\d{3})+", value) is None


# IBAN lengths by country (ISO 13616 registry; the common ones and those of the EU/EEA, UK, CH).
_IBAN_LENGTHS: Final = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21,
    "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21,
    "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30,
    "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip
# Country, check digits, and the account in groups of four (spaced) or unspaced.
_IBAN: Final = (
    r"(?<![A-Za-z0-9])(?P<v>[A-Z]{2}\d{2}(?:(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?|[A-Z0-9]{11,30}))"
    r"(?![A-Za-z0-9])"
)


def _iban(value: str) -> bool:
    """ISO 13616 mod 97 is 1 (letters 10-35): at the registered length, or mis-copied in fours."""
    compact, size = value.replace(" ", ""), _IBAN_LENGTHS.get(value[:2], 0)
    fits = size == len(compact) or (size > 0 and " " in value and 15 <= len(compact) <= 34)
    if not fits or not re.search(r"\d", compact[4:]):
        return False
    return int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1


def personal_form_rules() -> list[Rule]:
    return [
        _rule("iban", _IBAN, _iban, personal=True, seed=r"[A-Z]{2}\d{2} ?[A-Z0-9]{4}"),
        # A national number in groups (``06-48069261``, ``98691 25943``, ``55 5459 1489``,
        # ``347 268 8668``) a few words after a word that says phone: the groups alone are too common.
        _rule(
            "phone",
            rf"(?i)(?<![\w-])(?:{_PHONE_WORDS})\b\.?[^\d\n+]{{0,30}}?"
            r"(?<![\w.:/-])(?P<v>(?:\+\d{1,3}[ .-]?)?\(?\d{2,5}\)?(?:[ .-]\d{2,8}){1,4}|0\d{8,11})"
            r"(?![\w:/-]|[.,]\d)",
            _grouped_phone,
            personal=True,
            context=lambda before, _v: not _phone_vetoed(before),
            seed=r"\d[ .-]\d\d|0\d{8}",
        ),
    ]


# One-time recovery codes (GitHub ``a1b2c-3d4e5``, ``1234-5678``) after a line or cell that names them.
_RECOVERY_NAME: Final = re.compile(r"(?i)\b(?:recovery|backup|2fa|mfa)[ _-]?codes?\b")
_RECOVERY_CODE: Final = re.compile(r"(?<![\w-])(?=[a-z0-9-]*\d)[a-z0-9]{4,6}-[a-z0-9]{4,6}(?![\w-])")


def recovery_code_spans(text: str) -> list[tuple[str, int, int]]:
    """Codes on the line that names recovery codes and on up to 20 lines after it."""
    spans: list[tuple[str, int, int]] = []
    for name in _RECOVERY_NAME.finditer(text):
        end = name.end()
        for _ in range(21):
            nl = text.find("\n", end + 1)
            if nl < 0:
                end = len(text)
                break
            end = nl
        spans.extend(
            ("recovery-code", m.start(), m.end()) for m in _RECOVERY_CODE.finditer(text, name.end(), end)
        )
    return spans


# --- webhook URLs with a secret path, credentials named by a comment -----------------------------
# Webhook URLs whose path holds the secret (the URL alone lets anyone post): Zapier catch hooks,
# PagerDuty integration URLs, IFTTT maker keys, Office 365 connectors on ``outlook.office.com``, and
# any ``/hooks/``/``/webhooks/`` path with a random segment (Mattermost, Gitea, Rocket.Chat …). Slack,
# Discord, Teams ``webhookb2`` and Google Chat are core rules.
_WEBHOOK_URL: Final = (
    r"https://(?:hooks\.zapier\.com/hooks/(?:catch|standard)/\d+/[A-Za-z0-9]+/?"
    r"|events\.pagerduty\.com/(?:integration/[0-9a-fA-F]{32}/enqueue|x-ere/[A-Za-z0-9_\-]{20,})"
    r"|maker\.ifttt\.com/trigger/[^\s/\"'`]+/with/key/[A-Za-z0-9_\-]{16,}"
    r"|outlook\.office(?:365)?\.com/webhook(?:b2)?/[^\s\"'`)<>]+)"
)
_GENERIC_HOOK_URL: Final = (
    r"https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[\w.\-]+)*?/(?:hooks|webhooks?)/(?:[\w.\-]+/)*?[A-Za-z0-9_\-]{16,}"
    r"(?:/[A-Za-z0-9_\-]{16,})*(?![\w\-])"
)


def _unmasked_url(value: str) -> bool:
    """A real hook: no masked or templated part (``T0***``, ``XXXXX``, ``<key>``, ``{id}``)."""
    path = value.split("://", 1)[-1].split("/", 1)[-1]
    unmasked = re.search(r"\*|X{3,}|x{5,}|[<>{}]|\.\.\.|…", path) is None and not placeholder_hook(value)
    return unmasked and re.search(r"\d", path) is not None


def _random_hook(value: str) -> bool:
    """The last segment of a ``/hooks/`` path reads as random: a secret, not a page or a hook's number."""
    last = value.rstrip("/").rsplit("/", 1)[-1]
    return _unmasked_url(value) and (_random_run(last) or _token(last))


# A trailing comment (``#``, ``//``, ``--``) that names a credential qualifies a random value on its
# line: ``Client('AC' + sid, '<32 hex>')  # twilio auth token``. Not when the comment says the value is
# public, an example or a digest.
_COMMENT_NAMES_CREDENTIAL: Final = (
    r"[ \t](?:#|//|--)[^\n]*?\b(?:auth[ _-]?token|api[ _-]?key|secret|pass(?:word|wd|phrase)|credentials?"
    r"|(?:access|signing|private|routing|integration|service|master|webhook|license)[ _-]?key|token)s?\b"
)
_COMMENT_VETO: Final = (
    r"(?![^\n]*?[ \t](?:#|//|--)[^\n]*?\b(?:public|publishable|example|dummy|fake|sample|checksum|sha\d*"
    r"|digest|hash(?:ed)?|fingerprint|(?:not|no|non)[\s-]+(?:an?\s+)?(?:secret|sensitive|credential))\b)"
)
_CREDENTIAL_BY_COMMENT: Final = (
    r"(?:(?P<q>['\"])(?P<v>[A-Za-z0-9+/=_\-.~]{16,})(?P=q)|[:=][ \t]*(?P<v2>[A-Za-z0-9+/=_\-.~]{16,}))"
    rf"(?=[^\n#]*?{_COMMENT_NAMES_CREDENTIAL}){_COMMENT_VETO}"
)
# A vendor that issues keys (``_KEY_VENDORS``), named only in the comment after a ``*_key``/``*_secret``/
# ``*_token``/``*_sid`` setting: ``routing_key: <32 hex>  # pagerduty events v2``.
_CREDENTIAL_BY_VENDOR_COMMENT: Final = (
    r"(?i)\b[\w.\-]*(?:key|secret|token|sid|auth)['\"]?[ \t]*(?:[:=]|=>)[ \t]*['\"]?"
    r"(?P<v>[A-Za-z0-9+/=_\-.~]{16,})['\"]?"
    rf"(?=[^\n#]*?[ \t](?:#|//|--)[^\n]*?\b(?:{_KEY_VENDORS})\b){_COMMENT_VETO}"
)
# Names that say the value is a digest, an id or a public key, whatever the comment says.
_NOT_CREDENTIAL_BEFORE: Final = re.compile(
    r"(?i)(?:sha\d*|md5|checksum|sum|digest|hash|commit|rev(?:ision)?|etag|uuid|ids?|trace|request|"
    r"correlation|public|publishable|cache|partition|idempotency|dedup|sort|ssh|gpg|pgp|host)"
    r"(?:[_ .-]?key)?['\"]?[ \t]*(?:[:=]|=>)?[ \t]*['\"]?$"
)


def _comment_context(before: str, _value: str) -> bool:
    return _NOT_CREDENTIAL_BEFORE.search(before) is None


def _commented_value(value: str) -> bool:
    v = value.strip()
    hex_key = re.fullmatch(r"[0-9a-fA-F]{20,}", v) is not None and re.search(r"[a-fA-F]", v) is not None
    # a letter-led word is a name (``prod_eu``), not 20+ hex with digits (a key led by a hex letter)
    named = re.fullmatch(r"[A-Za-z_][\w.]*", v) and not _mixed(v) and not (hex_key and re.search(r"\d", v))
    if _placeholder_like(v) or _reference_value(v) or named or _decodes_to_text(v):
        return False  # (base64 of readable text, JSON or a config, is encoded data, not a key)
    return hex_key or _token(v) or _base64_key(v) or _vendor_style_token(v) or _random_run(v)


def _webhook_and_comment_rules() -> list[Rule]:
    return [
        _rule(
            "webhook-url",
            _WEBHOOK_URL,
            _unmasked_url,
            hints=("hooks.zapier.com", "pagerduty.com", "maker.ifttt.com", "outlook.office"),
        ),
        _rule("webhook-url", _GENERIC_HOOK_URL, _random_hook, hints=("/hooks/", "/webhook")),
        _rule(
            "generic-secret",
            _CREDENTIAL_BY_COMMENT,
            _commented_value,
            context=_comment_context,
            hints=("#", "//", "--"),
        ),
        _rule(
            "generic-secret",
            _CREDENTIAL_BY_VENDOR_COMMENT,
            _commented_value,
            context=_comment_context,
            hints=("#", "//", "--"),
        ),
    ]


# --- bootstrap tokens, passwords told as changed ---------------------------------------------------
# Kubernetes bootstrap tokens (``kubeadm token create``, ``join --token``, ``token:``): id.secret.
_BOOTSTRAP_TOKEN: Final = (
    r"(?<![\w.\-/])[a-z0-9]{6}\.(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{16}(?![\w.\-])"
)
# "changed the Grafana admin password from <old> (to <new>)": a change verb (``_CHANGED``), the password
# word (``_PW_WORD``), ``from``/``to``.
_PASSWORD_CHANGED: Final = (
    rf"(?i)(?:{_CHANGED}[^\n.;:]{{0,60}}?{_PW_WORD}|{_PW_WORD}[^\n.;:]{{0,40}}?{_CHANGED})"
    rf"(?P<gap>[^\n.;:=]{{0,40}}?)[ \t]{{link}}[ \t]+{_PROSE_VALUE}"
)
_FROM_TO: Final = (r"from", r"(?:from[ \t]+[`'\"]?[^\s`'\"]+[`'\"]?[ \t]+)?to")
# The word earlier on the line, a random value after a link later: "… the vault-stored password; at
# 21:45 it was still <random>".
_PASSWORD_LATER: Final = (
    rf"(?i){_PW_WORD}(?P<gap>[^\n]{{0,160}}?)\b(?:is|was|are|were|still|now|became|becomes)[ \t]+"
    rf"(?:(?:still|now|actually)[ \t]+)?(?=[`'\"]?[\w\-+/=.~]{{16,}})(?=[`'\"]?[^\s\d]*\d){_PROSE_VALUE}"
)


def _bootstrap_token_and_changed_password_rules() -> list[Rule]:
    changed = lambda v: _position_value(v) and not _prose_word(v)  # noqa: E731
    pw = [(_PASSWORD_CHANGED.replace("{link}", link), changed) for link in _FROM_TO]
    pw.append((_PASSWORD_LATER, lambda v: _random_run(v) and _token(v)))
    return [
        _rule("bootstrap-token", _BOOTSTRAP_TOKEN, lambda v: len(set(v[7:])) > 6, hints=("token", "kubeadm")),
        *(
            _rule("password-assignment", p, c, context=_password_gap_context, hints=("pass", "pw"))
            for p, c in pw
        ),
    ]
