"""Credentials known by where they sit, whatever their shape, and values known public by where they
sit.

Secrets (:func:`position_credential_spans`):

* the password a login command takes as a bare argument after the user: ``steamcmd +login USER PW``
  (and ``login USER PW`` in a steamcmd script), ``cf auth USER PW``, unixODBC ``isql DSN USER PW``,
  ``mosquitto_passwd -b FILE USER PW``; and ``smbclient //HOST/SHARE PW``, the password after the
  share;
* the value of a ``*_PASSWORD`` line (``_PASSWD``, ``_PASS``, ``_PWD``, ``_PASSPHRASE``) in an env
  file, letters only or not: the name says what the line holds. A sample file (``.env.example``)
  holds sample values, so there the value needs a password's shape, as everywhere else;
* a Fly.io token whole, where it stands: its macaroons joined by commas (``fm2_…,fm2_…``) are one
  credential, and a rule that reads a value to its first comma leaves the rest in clear;
* the password a MySQL/MariaDB client takes glued to ``-p`` (``mysql -u app -pQuietLake db``) or
  after ``--password=``, and the one a registry or platform login takes after ``-p``
  (``docker login -u ci -p QuietLake``, ``helm registry login``, ``oc login``): those commands read
  nothing else there, so a letters-only value is the password too (other tools' ``-p`` is a port or
  a project, read by the shape rules);
* a WordPress key or salt (``AUTH_KEY``, ``SECURE_AUTH_SALT``, ``NONCE_SALT`` …) in a wp-config
  ``define()`` or an env/Compose line: 64 random printable characters with spaces and symbols, which
  no shape rule reads whole;
* an S3-compatible access key id (Ceph RGW, MinIO, R2, Wasabi) under ``access_key_id``/``access_key``
  in an rclone, s3cmd or boto config: no ``AKIA`` prefix says what it is, the name does;
* the key a secret-named setting takes through a decoding call
  (``cookie_secret = unhexlify('…')``, ``bytes.fromhex(…)``, ``base64.b64decode(…)``);
* what ``base64 KEYFILE`` prints (``base64 /etc/munge/munge.key``): the key itself, encoded;
* the password a database constructor takes as its third argument in a stack trace or a call
  (``PDO->__construct('mysql:…', 'user', 'PW')``, ``DriverManager.getConnection(url, user, pw)``,
  ``mysqli_connect(host, user, pw)``).

Kept (:func:`position_public_spans`): the keys of a WebSocket handshake (``Sec-WebSocket-Key`` is a
random nonce the client sends, ``Sec-WebSocket-Accept`` its hash) and protocol nonces named as such
(a Digest challenge's ``nonce``/``cnonce``, ACME's ``Replay-Nonce``, ``DPoP-Nonce``), and AWS X-Ray
trace ids (``Root=1-<8 hex>-<24 hex>``), whose digit runs can pass a card's check.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_names import _NAMES_CREDENTIAL, _REFERENCE_KEY, _decodes_to_text
from kb.safety.redaction_rules import _CREDENTIAL_WORD_VALUE, _PORT_MAPPING
from kb.safety.redaction_values import (
    _POINTER_WORDS,
    QUOTED_CHARS,
    _placeholder_like,
    _position_value,
    _random_run,
    _reference_value,
    quoted_or_bare,
    value_group,
)

__all__ = ["position_credential_spans", "position_public_spans"]


def _typed_in(value: str) -> bool:
    """A value typed where a password goes: not a placeholder, a variable, a path or code."""
    return len(value) >= 4 and not _placeholder_like(value) and not _reference_value(value)


# The user, then the password: not an option, not the next ``+command`` of steamcmd
_USER_THEN_PASSWORD: Final = r"[ \t]+(?P<user>[^\s+\-'\"][^\s'\"]*)[ \t]+['\"]?(?P<v>[^\s'\"+\-][^\s'\"]*)"
_LOGIN_COMMANDS: Final = re.compile(
    r"(?:\bsteamcmd\b[^\n|;&]*?\+login"
    r"|\bcf[ \t]+auth"
    # unixODBC ``isql [-v] DSN USER PW`` (Firebird's and Sybase's isql take flags, read elsewhere)
    r"|\bisql(?:[ \t]+-\w+)*[ \t]+[^\s\-'\"]\S*"
    r"|\bmosquitto_passwd(?:[ \t]+-\w+)*?[ \t]+-b(?:[ \t]+-\w+)*[ \t]+[^\s\-'\"]\S*)" + _USER_THEN_PASSWORD
)
# A steamcmd script (``+runscript``, ``steamcmd < build.txt``): ``login USER PW`` on its own line
_STEAM_SCRIPT: Final = re.compile(r"(?i)steamcmd|@ShutdownOnFailedCommand|@NoPromptForPassword")
_STEAM_SCRIPT_LOGIN: Final = re.compile(r"(?m)^[ \t]*login" + _USER_THEN_PASSWORD)
_SMBCLIENT: Final = re.compile(
    r"\bsmbclient\b[^\n|;&]*?[ \t]['\"]?(?://|\\\\)[^\s'\"]+['\"]?[ \t]+['\"]?(?P<v>[^\s'\"\-][^\s'\"]*)"
)

# ``NAME_PASSWORD=value`` alone on its line, as an env file (or a Compose ``environment`` list, a
# Dockerfile ``ENV``) writes it
_ENV_PASSWORD: Final = re.compile(
    r"(?m)^[ \t]*(?:export[ \t]+|ENV[ \t]+|-[ \t]+)?"
    r"(?:[A-Z][A-Z0-9_]*)?(?:PASSWORD|PASSWD|PASSPHRASE|_PASS|_PWD)="
    r"(?:(?P<q>[\"'])(?P<v>[^\"'\n]+)(?P=q)|(?P<v2>[^\s\"'#]\S*))[ \t]*(?:[ \t]#[^\n]*)?$"
)
_SAMPLE_ENV: Final = re.compile(
    r"(?i)\.env\.(?:example|sample|dist|template|tpl|defaults?)\b|\bexample\.env\b"
)
# A switch's word (``SECOND_PASS=enabled``): a setting, not a password
_SWITCH_WORD: Final = re.compile(r"(?i)enabled?|disabled?|on|off|yes|no|auto|empty|unset|skip|ignore")
# ``gcp:secretmanager:projects/…``, ``k8s-secret:ns/name/key``: where the password is kept
_STORE_POINTER: Final = re.compile(r"[a-z][\w-]*:[\w-]*[:/]")


def _env_password(value: str, *, sample: bool) -> bool:
    v = value.strip()
    if sample:
        return _position_value(v)
    if (
        not _typed_in(v)
        or _STORE_POINTER.match(v)
        or _POINTER_WORDS.fullmatch(v)
        or _SWITCH_WORD.fullmatch(v)
    ):
        return False
    return not _names_a_credential(v)


def _names_a_credential(value: str) -> bool:
    """``db-password``, ``smtp_secret``, ``MYSQL_ROOT_PASSWORD``: the name of one, not one."""
    return bool(re.search(r"(?i)pass(?:word|wd)?|secret|token|credential", value)) and not re.search(
        r"\d", value
    )


# Fly.io macaroon tokens (``fm1r_``/``fm1a_``/``fm2_``): base64 bodies (``fo1_`` tokens are read by
# the vendor rules)
_FLY_MACAROON: Final = r"(?:fm1[ar]?|fm2)_[A-Za-z0-9+/_\-]{32,}={0,2}"  # standard or URL-safe base64
_FLY_TOKEN: Final = re.compile(rf"(?<![\w+/])(?:{_FLY_MACAROON})(?:,(?:{_FLY_MACAROON}))*(?![\w+/=\-])")


# A MySQL/MariaDB client (``mysql``, ``mysqldump``, ``mariadb-dump``, ``/usr/bin/mysql``) and the rest
# of its command: up to an unquoted pipe, ``;``, ``&`` or the line's end. Not ``svc/mysql`` or
# ``mysql://`` (a name or a URL, not the command).
_MYSQL_COMMAND: Final = re.compile(
    r"(?i)(?:(?<=^)|(?<=[\s'\"`(]))(?:\.?/[\w./-]*/)?(?:mysql|mariadb)[\w-]*(?=[ \t])"
    r"(?:[^\n|;&'\"]|'[^'\n]*'|\"[^\"\n]*\")*",
    re.MULTILINE,
)
# ``-pPW`` glued (``-p`` then a space prompts, and the next word is the database) or ``--password=PW``
# (``--password PW`` prompts too)
_MYSQL_PASSWORD: Final = re.compile(
    r"(?<=[ \t])(?:-p|--password=)" + quoted_or_bare(QUOTED_CHARS + "+", r"[^\s'\"]+") + r"(?=\s|$)"
)


def _mysql_password(value: str) -> bool:
    """What a MySQL client's password flag holds, whatever its shape: not a placeholder, a variable,
    a path, a port mistyped for ``-P`` (``-p3306``, ``-p3306:3306``) or the word for a password."""
    return (
        _typed_in(value)
        and not value.isdigit()
        and _PORT_MAPPING.fullmatch(value) is None
        and _CREDENTIAL_WORD_VALUE.fullmatch(value) is None
        and not _names_a_credential(value)  # ``-pMYSQL_ROOT_PASSWORD``, written without its ``$``
    )


# A login command whose ``-p`` is ``--password`` and nothing else: a container registry's
# (``docker``/``podman``/``buildah``/``skopeo``/``nerdctl``/``oras login``, ``helm registry login``,
# ``crane auth login``) and a platform's (``oc login``, ``cf login``, ``az login``); the rest of the
# command up to an unquoted pipe, ``;``, ``&`` or the line's end. There a letters-only value is the
# password too (``docker run -p`` maps a port, ``psql -p`` names one: those are not logins).
_PASSWORD_FLAG_LOGIN: Final = re.compile(
    r"(?i)(?:(?<=^)|(?<=[\s'\"`(]))(?:(?:docker|podman|buildah|skopeo|nerdctl|oras|oc|cf|az)[ \t]+login"
    r"|helm[ \t]+registry[ \t]+login|crane[ \t]+auth[ \t]+login)(?=[ \t])"
    r"(?:[^\n|;&'\"]|'[^'\n]*'|\"[^\"\n]*\")*",
    re.MULTILINE,
)
_LOGIN_PASSWORD: Final = re.compile(
    r"(?<=[ \t])(?:-p[ \t]*|-p=|--password(?:=|[ \t]+))"
    + quoted_or_bare(QUOTED_CHARS + "+", r"[^\s'\"\-][^\s'\"]*")
    + r"(?=\s|$)"
)


def _login_password_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for command in _PASSWORD_FLAG_LOGIN.finditer(text):
        for m in _LOGIN_PASSWORD.finditer(command.group()):
            group = value_group(m)
            if _mysql_password(m.group(group)):
                start, end = m.span(group)
                spans.append(("password-assignment", command.start() + start, command.start() + end))
    return spans


# WordPress's authentication keys and salts, bare or as the official image's ``WORDPRESS_…`` variables
_WP_SALT_NAME: Final = r"(?<!\w)(?:WORDPRESS_|WP_)?(?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)(?!\w)"
# ``define( 'NONCE_SALT', '…' );`` (WordPress's salts hold neither quote)
_WP_DEFINE: Final = re.compile(
    r"(?i)\bdefine\s*\(\s*(?P<nq>['\"])" + _WP_SALT_NAME + r"(?P=nq)\s*,\s*(?P<q>['\"])(?P<v>[^'\"\n]+)(?P=q)"
)
# ``NONCE_SALT='…'`` in an env file, ``- AUTH_KEY=…`` or ``AUTH_KEY: '…'`` in a Compose file
_WP_LINE: Final = re.compile(
    r"(?m)^[ \t]*(?:export[ \t]+|-[ \t]+)?"
    + _WP_SALT_NAME
    + r"[ \t]*[=:][ \t]*"
    + quoted_or_bare(QUOTED_CHARS + "+", r"[^\s'\"#][^\s'\"]*")
)


def _wp_salt(value: str) -> bool:
    """A generated salt: long, not a sentence (wp-config-sample's ``put your unique phrase here``),
    not a template or variable, not a mask."""
    v = value.strip()
    if len(v) < 16 or len(set(v)) <= 4:
        return False
    if re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)+", v) or (_POINTER_WORDS.search(v) and " " in v):
        return False
    return re.fullmatch(r"\$\{[^}]*\}|\{\{[^}]*\}\}|<[^>]*>|\$\w+|%\w+%|\$\(.*\)", v) is None


def _glued_spans(text: str) -> list[tuple[str, int, int]]:
    """The MySQL client passwords and WordPress salts (see the module docstring)."""
    spans: list[tuple[str, int, int]] = []
    lower = text.lower()
    if "mysql" in lower or "mariadb" in lower:
        for command in _MYSQL_COMMAND.finditer(text):
            for m in _MYSQL_PASSWORD.finditer(command.group()):
                group = value_group(m)
                if _mysql_password(m.group(group)):
                    start, end = m.span(group)
                    spans.append(("password-assignment", command.start() + start, command.start() + end))
    if "_key" in lower or "_salt" in lower:
        for m in [*_WP_DEFINE.finditer(text), *_WP_LINE.finditer(text)]:
            group = value_group(m)
            if _wp_salt(m.group(group)):
                spans.append(("generic-api-key", *m.span(group)))
    return spans


# ``access_key_id = …`` (rclone), ``access_key = …`` (s3cmd, boto), ``R2_ACCESS_KEY_ID=…``: the id half
# of an S3-compatible key pair. The AWS shapes (``AKIA…``) are read by the vendor rules.
_S3_KEY_ID: Final = re.compile(
    r"(?im)^[ \t]*(?:export[ \t]+|-[ \t]+)?[\w.-]*?access[_-]?key(?:[_-]?id)?['\"]?[ \t]*[=:][ \t]*['\"]?"
    r"(?P<v>[A-Za-z0-9]{16,40})['\"]?[ \t]*(?:[#;][^\n]*)?$"
)


def _s3_key_id(value: str) -> bool:
    """20 upper-case letters and digits (Ceph, MinIO, Wasabi) or 32 hex (R2), random, not an example."""
    if "EXAMPLE" in value.upper() or len(set(value)) < 8:
        return False
    if re.fullmatch(r"[A-Z0-9]{16,40}", value):
        return sum(c.isdigit() for c in value) >= 2 and sum(c.isalpha() for c in value) >= 4
    return re.fullmatch(r"[0-9a-f]{32}", value) is not None and _random_run(value)


# A decoding call around the literal: Python's ``unhexlify``/``a2b_hex``/``bytes.fromhex``/
# ``b64decode``, Node's ``Buffer.from``, Go's ``hex.DecodeString``
_DECODING_CALL: Final = (
    r"(?:[\w.]+\.)?(?:unhexlify|a2b_hex|a2b_base64|fromhex|(?:urlsafe_|standard_)?b(?:64|32|16)decode"
    r"|decodebytes|decodestring|DecodeString|from)"
)
_DECODED_SECRET: Final = re.compile(
    r"(?P<name>[\w.\-\[\]'\"]*?[\w\]'\"])[ \t]*(?::?=|:)[ \t]*" + _DECODING_CALL + r"\([ \t]*b?(?P<q>['\"])"
    r"(?P<v>[A-Za-z0-9+/=_\-]{16,})(?P=q)"
)


def _decoded_secret(name: str, value: str) -> bool:
    """A secret-named setting (``cookie_secret``, ``SIGNING_KEY``), not a name about one, and a random
    value, not base64 of plain text."""
    if _NAMES_CREDENTIAL.search(name) is None or _REFERENCE_KEY.search(name + "=") is not None:
        return False
    return not _placeholder_like(value) and not _decodes_to_text(value) and _random_run(value.rstrip("="))


# ``base64 FILE`` (``-w0``, ``--wrap=0``; not ``-d``) of a key file, then what it printed: base64
# lines up to the next prompt, blank or other line. Not a public key or certificate.
_BASE64_KEYFILE: Final = re.compile(
    r"(?m)^[^\n]*?\bbase64(?:[ \t]+-(?:w[ \t]*\d+|-wrap=\d+|i))*[ \t]+['\"]?(?P<f>[^\s|;&'\"]+)[^\n]*\n"
    r"(?P<v>(?:[A-Za-z0-9+/]{16,}={0,2}\n?)+)"
)
_KEY_FILE: Final = re.compile(r"(?i)(?:\.key|[/_.-]key|keyfile|\.keytab|secret[\w.-]*|\.jks|\.p12|\.pfx)$")
_PUBLIC_FILE: Final = re.compile(r"(?i)\.(?:pub|crt|cer|cert|csr|pem\.pub)$|pub(?:lic)?[_.-]?key|cert")


def _base64_key_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _BASE64_KEYFILE.finditer(text):
        path = m.group("f")
        if _KEY_FILE.search(path) and not _PUBLIC_FILE.search(path):
            s, e = m.span("v")
            spans.append(("generic-api-key", s, e - (text[e - 1] == "\n")))
    return spans


# A database constructor and its string arguments: PHP's ``PDO->__construct(dsn, user, pw)`` (a stack
# trace's frame) and ``new PDO(…)``, ``mysqli_connect(host, user, pw)``, JDBC's
# ``getConnection(url, user, pw)``. The third string is the password.
_DB_CONSTRUCTOR: Final = re.compile(
    r"(?:\bPDO->__construct|\bnew[ \t]+PDO|\bmysqli->(?:__construct|real_connect)|\bnew[ \t]+mysqli"
    r"|\bmysqli_(?:real_)?connect|\bgetConnection)\((?P<args>[^()\n]*)\)"
)
_STRING_ARGUMENT: Final = re.compile(r"[ \t]*(?P<q>['\"])(?P<v>[^'\"\n]*)(?P=q)[ \t]*(?:,|$)")


def _db_constructor_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for m in _DB_CONSTRUCTOR.finditer(text):
        args, pos = m.group("args"), 0
        found: list[re.Match[str]] = []
        while len(found) < 3:
            a = _STRING_ARGUMENT.match(args, pos)
            if a is None:
                break
            found.append(a)
            pos = a.end()
        if len(found) < 3:
            continue
        value = found[2].group("v").removesuffix("...")  # PHP cuts a long argument to 15 characters
        if (
            _typed_in(value)
            and not _names_a_credential(value)
            and _CREDENTIAL_WORD_VALUE.fullmatch(value) is None
        ):
            start = m.start("args") + found[2].start("v")
            spans.append(("password-assignment", start, start + len(value)))
    return spans


def _wrapped_spans(text: str) -> list[tuple[str, int, int]]:
    """Key ids, decoded keys, printed key files and constructor passwords (see the module docstring)."""
    spans: list[tuple[str, int, int]] = []
    lower = text.lower()
    if "access" in lower:
        spans += [
            ("generic-api-key", *m.span("v")) for m in _S3_KEY_ID.finditer(text) if _s3_key_id(m.group("v"))
        ]
    if "(" in text:
        spans += [
            ("generic-api-key", *m.span("v"))
            for m in _DECODED_SECRET.finditer(text)
            if _decoded_secret(m.group("name"), m.group("v"))
        ]
        spans += _db_constructor_spans(text)
    if "base64" in lower:
        spans += _base64_key_spans(text)
    return spans


def position_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the passwords this module reads."""
    spans: list[tuple[str, int, int]] = []
    logins = list(_LOGIN_COMMANDS.finditer(text))
    if _STEAM_SCRIPT.search(text) is not None:
        logins += _STEAM_SCRIPT_LOGIN.finditer(text)
    spans += [
        ("password-assignment", *m.span("v"))
        for m in logins
        if m.group("user").lower() != "anonymous" and _typed_in(m.group("v"))
    ]
    if "smbclient" in text:
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _SMBCLIENT.finditer(text)
            if _typed_in(m.group("v"))
        ]
    if "_" in text:
        spans += [("vendor-token", *m.span()) for m in _FLY_TOKEN.finditer(text)]
    if "=" in text:
        sample = _SAMPLE_ENV.search(text) is not None
        for m in _ENV_PASSWORD.finditer(text):
            group = value_group(m)
            if _env_password(m.group(group), sample=sample):
                spans.append(("password-assignment", *m.span(group)))
    if "login" in text.lower():
        spans += _login_password_spans(text)
    return spans + _glued_spans(text) + _wrapped_spans(text)


_HANDSHAKE_NONCE: Final = re.compile(
    r"(?im)\b(?:sec-websocket-(?:key[12]?|accept)|replay-nonce|dpop-nonce)['\"]?[ \t]*[:=][ \t]*['\"]?"
    r"(?P<v>[A-Za-z0-9+/=_\-.]{8,})"
)
# ``nonce="…"``, ``cnonce="…"`` in a Digest challenge or response
_DIGEST_NONCE: Final = re.compile(r"(?i)\bDigest\b[^\n]*")
_NONCE_PARAMETER: Final = re.compile(r"(?i)\bc?nonce=\"?(?P<v>[A-Za-z0-9+/=_\-.]{8,})")


# An AWS X-Ray trace id: version ``1``, the epoch time in 8 hex, 24 random hex
_XRAY_TRACE_ID: Final = re.compile(r"(?<![\w-])1-[0-9a-f]{8}-[0-9a-f]{24}(?![\w-])")


def position_public_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span("v") for m in _HANDSHAKE_NONCE.finditer(text)]
    if "1-" in text:
        spans += [m.span() for m in _XRAY_TRACE_ID.finditer(text)]
    for line in _DIGEST_NONCE.finditer(text):
        spans += [
            (line.start() + s, line.start() + e)
            for s, e in (m.span("v") for m in _NONCE_PARAMETER.finditer(line.group()))
        ]
    return spans
