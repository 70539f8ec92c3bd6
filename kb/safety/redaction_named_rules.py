"""Rules that find a credential by what holds it: a setting's name, a call, a flag or a layout.

Password-named settings and prose (:func:`_context_rules`), typed constants, the password argument
of a call that takes a user first, credential APIs, ``user:password`` pairs, positions named for a
credential and layouts (a name on one line, its value on the next). Kept apart from the format table
in :mod:`kb.safety.redaction_rules`: these rules read the name, that one reads the value.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_names import (
    _AUTH_LINE,
    _KEY_QUALIFIERS,
    _KEYWORDS,
    _NAME_SAYS_CREDENTIAL,
    _PASSWORD_NAME,
    _PROSE_GAP,
    _PROSE_LINK,
    _PROSE_PASSWORD_WORDS,
    _PROSE_TOKEN_WORDS,
    _PROSE_VALUE,
    _RECORD_KEY_QUALIFIERS,
    _SECRET_STORE_COMMAND,
    _TYPED_CONSTANT_TAIL,
    _VALUE_END,
    _assignment_context,
    _gap_context,
    _key_name_context,
    _named_value_context,
    _pair_password,
    _prose_context,
    _prose_word,
    _random_alone,
    _random_value,
    _secret_in_context,
    _typed_constant_context,
)
from kb.safety.redaction_rules import _B, _E, Rule, _rule
from kb.safety.redaction_values import (
    QUOTED_CHARS,
    _base64_key,
    _password_value,
    _placeholder_like,
    _position_value,
    _random_run,
    _reference_value,
    _strong,
    _token,
    _uuid_secret,
    _vendor_style_token,
    quoted_or_bare,
)

# Three or more words and a number; or words with a digit and a symbol among them
_SECRET_PASSPHRASE: Final = re.compile(
    r"[A-Za-z]{3,}(?:[-_.+][A-Za-z]{3,}){2,}[-_.+]?\d{1,4}[!?*#~]?"
    r"|(?=[^%!#@&*+=~^?]*\d)[A-Za-z]{2,}[\w\-.]*[%!#@&*+=~^?][\w\-.%!#@&*+=~^?]*[A-Za-z0-9]"
)
# Settings that name where a secret is kept, not the secret: a Kubernetes Secret's name
# (``existingSecret``, ``tlsSecret``, ``imagePullSecret``), a secret store's entry
_SECRET_REFERENCE_NAME: Final = re.compile(
    r"(?i)(?:existing|tls|ssl|cert|ca|image[_.\-]?pull|pull|k8s|kube\w*|sealed|vault|external|source|target"
    r"|mounted|docker\w*|registry|env|ref)[_.\-]?secret['\"]?[ \t]*(?:=|:|=>|:=)[ \t]*['\"]?$"
)


def _secret_passphrase(value: str) -> bool:
    if _placeholder_like(value) or _reference_value(value) or value.isupper():
        return False
    if _SECRET_PASSPHRASE.fullmatch(value) is None:
        return False
    words = re.findall(r"[A-Za-z]+", value)
    # not a pointer to the value (``vault-db-password-ref1``) nor a name with a version
    return re.search(r"(?i)pass(?:word)?|secret|token|key|vault|ref|file|path|name|env", value) is None and (
        len(words) >= 3 or re.search(r"[%!#@&*+=~^?]", value) is not None
    )


def _secret_name_context(before: str, value: str) -> bool:
    return _SECRET_REFERENCE_NAME.search(before) is None and _assignment_context(before, value)


def _secret_name_rules() -> list[Rule]:
    """Passphrases under a setting named for a secret or an access key."""
    return [
        # A setting named for a secret or an access key (``credentialSecret:``, ``JWT_SECRET=``,
        # ``sumo.accessKey=``) holding a passphrase, which the shape rules read as words: three or more
        # words and a number (``seahorse-dugong-cuttlefish49``), or words around a digit and a symbol
        # (``Lane-rope347%Lane-rope``). The name ends in the secret word; a name that points at a
        # secret kept elsewhere (``existingSecret``, ``tlsSecret``) is not one.
        _rule(
            "password-assignment",
            r"(?<![\w.\-])[\w.\-]*?(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))"
            r"(?i:secret|(?:access|secret|private|api|auth|master|signing|app|client|service|admin|account)"
            r"[_.\-]?key)['\"]?[ \t]*(?:=|:|=>|:=)[ \t]*(?P<q>['\"]?)(?P<v>[^\s'\"`,;]{8,64})(?P=q)"
            + _VALUE_END,
            _secret_passphrase,
            context=_secret_name_context,
            hints=("secret", "key"),
        ),
    ]


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
            hints=(
                "pass",
                "pw",
                "pin",
                "psk",
                "shared",
                "cred",
                "wifi",
                "wi-fi",
                "wpa",
                "wlan",
                "community",
                "auth",
            ),
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
        # ``user:pw@`` then a host name with a dot or a port. Not ``mailto:``, an image reference
        # (``registry:5000/app@sha256``) or restic's ``sftp:user@host:/path`` (scheme, user, path).
        _rule(
            "password-in-url",
            r"(?<![\w/:@.%\-])(?!mailto:)(?!(?i:sftp|scp|rsync):[^\s@:/]+@[^\s@:/]+:)"
            r"[A-Za-z_][\w.\-]*:(?P<v>[^\s@/'\"`<>:()]+)@"
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


# Commands that read a secret from their standard input (``echo V | …``, ``… <<< V``).
_READS_SECRET_FROM_STDIN: Final = (
    r"(?:\bsecrets?\s+(?:create|set|put|add|versions)|--data-file[= ]-|--password-stdin|\bsudo\s+-S|"
    r"\bkinit\b|\bpasswd\s+--stdin"
    # Cyrus SASL's ``saslpasswd2 -p`` and ``htpasswd -i`` read the password from the pipe
    r"|\bsaslpasswd2?\b[^|\n]*?\s-[A-Za-z]*p\b|\bhtpasswd\b[^|\n]*?\s-[A-Za-z]*i\b"
    # the Elastic Stack keystores' ``add -x``/``--stdin`` read the value from the pipe
    r"|\b(?:elasticsearch|kibana|logstash)-keystore\s+add\b[^|\n]*?\s(?:-x|--stdin)\b"
    # ``az devops login`` reads the Azure DevOps PAT from the pipe
    r"|\baz\s+devops\s+login\b)"
)


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
        # (``username ops secret 0 …``, ``rocommunity …``, ``tacacs-server key …``); a passphrase as a
        # password (``the Wi-Fi now uses the passphrase V``).
        _rule(
            "password-assignment",
            # (or joined by a slash to another password word: ``admin PIN/password V``)
            r"(?im)(?:^|[ \t]|\b(?:pin|passcode|pw|pwd|pass|passphrase)/)"
            r"(?:secret|password|passphrase|key-string|\w*community|psk|pre-shared-key|requirepass|masterauth)"
            # the value ends the line or is followed by more settings, never by sentence punctuation
            r"[ \t]+(?:[05][ \t]+)?(?P<v>[^\s'\"`*]*[^\s'\"`*,.;:!?)\]])(?=[ \t]|$)",
            lambda v: _position_value(v) and not _prose_word(v),
            hints=(
                "secret",
                "password",
                "passphrase",
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
            _SECRET_STORE_COMMAND
            + r"[^\n]*?\s--(?:body|value|data|payload|secret-string|string)(?:=|\s+)"
            + quoted_or_bare(QUOTED_CHARS + "{4,200}?", r"(?!-)[^\s'\"]{4,}"),
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
            + quoted_or_bare(QUOTED_CHARS + "{1,64}?", r"[^\s'\"]+"),
            lambda v: not _placeholder_like(v) and not _reference_value(v),
            hints=("ssh-keygen", "openssl"),
        ),
        *_stdin_rules(),
        # A call named for a credential with the value as its only argument: ``redis:auth("…")``,
        # ``dbms.security.changePassword('…')``.
        _rule(
            "password-assignment",
            r"(?i)\b[\w.:]*(?:auth|password|passwd)\w*\s*\(\s*(?P<q>['\"])(?P<v>[^'\"\n]{4,64}?)(?P=q)\s*\)",
            _position_value,
            hints=("auth", "pass"),
        ),
    ]


def _stdin_rules() -> list[Rule]:
    """A literal fed to a command that reads a secret from its standard input."""
    return [
        _rule(
            "password-assignment",
            r"\bsudo\b[^\n|;&]*?\s-S\b[^\n]*?<<<\s*(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            lambda v: not _placeholder_like(v) and not _reference_value(v),
            hints=("sudo",),
        ),
        _rule(
            "password-assignment",
            r"\becho\s+(?:-[ne]+\s+)?(?P<q>['\"]?)(?P<v>[^\s'\"|]+)(?P=q)\s*\|\s*[^|\n]*?"
            + _READS_SECRET_FROM_STDIN,
            lambda v: not _placeholder_like(v) and not _reference_value(v),
            hints=("echo",),
        ),
        # The same commands fed by a here-string: ``az devops login --organization … <<< PAT``,
        # ``docker login -u ci --password-stdin <<< PW``.
        _rule(
            "password-assignment",
            _READS_SECRET_FROM_STDIN + r"[^\n|;&]*?<<<[ \t]*(?P<q>['\"]?)(?P<v>[^\s'\"]+)(?P=q)",
            lambda v: not _placeholder_like(v) and not _reference_value(v),
            hints=("<<<",),
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
