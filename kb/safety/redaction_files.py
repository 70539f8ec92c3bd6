"""Credentials whose place in a file, not a setting's name, says what they are.

* a client credential map named by the comment or path above it (Exim's ``passwd.client``):
  ``host:user:password`` lines, exactly three fields;
* an OpenVPN ``auth-user-pass`` file pasted under a comment that names it: the user on one bare
  line, the password on the next;
* a ``pg_dump`` ``COPY table (cols) FROM stdin;`` block: the tab-separated cell under a column
  named for a plaintext password (``password``, ``password_plain``); ``password_hash`` stays;
* PHP ``define('…_SALT'|'…_KEY', '…')`` (WordPress's salts and keys): a long random value;
* Erlang's distribution cookie (``-setcookie X``, ``--cookie X``, the line after ``cat
  ~/.erlang.cookie``) and Erlang terms that name a credential (``{hmac_secret, <<"…">>}``).

And, personal, a phone in a CSV column headed ``phone``/``mobile``/``tel`` (:func:`phone_column_spans`).

A code told in prose with a request to keep it (``service code is X, please don't share``) is one
of the told-credential rules in :mod:`kb.safety.redaction_gear`.

Kept: modular-crypt password hashes (``$6$…``, ``$2b$…``, ``$argon2id$…``, Mosquitto ``$7$…``) and
SCRAM verifiers (PostgreSQL's ``SCRAM-SHA-256$…``, Kafka's ``SCRAM-SHA-512=salt=…``), which
:func:`crypt_hash_spans` returns so that no rule takes a piece of one.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import _entropy, _password_value, _placeholder_like, _random_run, _token

__all__ = ["crypt_hash_spans", "file_credential_spans", "phone_column_spans"]

# ``$id$[params$]salt$hash``: the schemes of crypt(3), passlib and Mosquitto (``$7$`` is its
# PBKDF2-SHA512). A hash is stored so that it can be shown; its pieces are no key.
_CRYPT_HASH: Final = re.compile(
    r"(?<![\w$])\$(?:1|2[abxy]?|5|6|7|y|gy|apr1|md5|sha1|scrypt|pbkdf2(?:-sha\d+)?|argon2(?:id|i|d))"
    r"\$[A-Za-z0-9./+=,$\-]{20,}"
)


# A SCRAM verifier (RFC 5802 ``StoredKey``/``ServerKey``, stored so that the password need not be):
# PostgreSQL's ``rolpassword`` (``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>``) and
# Kafka's ``kafka-configs --describe`` (``SCRAM-SHA-512=salt=…,stored_key=…,server_key=…,iterations=…``).
# Kept whole, so that no rule reads the ``:ServerKey`` after the last colon as a password.
_B64: Final = r"[A-Za-z0-9+/]+={0,2}"
_SCRAM_VERIFIER: Final = re.compile(
    rf"(?<![\w$])SCRAM-SHA-(?:1|224|256|384|512)\$\d{{3,7}}:{_B64}\${_B64}:{_B64}(?![\w+/=])"
    rf"|(?<![\w$])SCRAM-SHA-(?:1|256|512)=\[?(?:(?:salt|stored_key|server_key|iterations)=(?:{_B64}),?){{3,4}}\]?"
)


def crypt_hash_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _CRYPT_HASH.finditer(text) if m.group(0).count("$") >= 3]
    if "SCRAM-SHA-" in text:
        spans += [m.span() for m in _SCRAM_VERIFIER.finditer(text)]
    return spans


def _secret_shape(value: str) -> bool:
    return (
        not _placeholder_like(value)
        and _CRYPT_HASH.fullmatch(value) is None
        and (_password_value(value) or _token(value))
    )


# --- credential maps named by the line above ----------------------------------------------------

_CLIENT_MAP_NAME: Final = re.compile(r"(?i)\bpasswd\.client\b")
_CLIENT_MAP_LINE: Final = re.compile(r"(?m)^[ \t]*[*\w.\-]+:[^\s:#]+:(?P<v>[^\s:#]{6,128})[ \t]*$")


# A plain password file (Mosquitto's before ``mosquitto_passwd -U``, an ``htpasswd`` in clear) named
# by the comment above it: ``user:password`` lines, exactly two fields (``/etc/passwd`` has seven).
_PASSWORD_FILE_NAME: Final = re.compile(
    r"(?im)^[ \t]*#[^\n]*(?:\bpasswd\b|\.htpasswd\b|\bpasswords?\.txt\b)[^\n]*$"
)
_PASSWORD_FILE_LINE: Final = re.compile(r"(?m)^[ \t]*[\w.@\-]+:(?P<v>[^\s:#]{6,128})[ \t]*$")


def _client_map_spans(text: str) -> list[tuple[str, int, int]]:
    """``host:user:password`` lines after the line that names the map; ``user:password`` lines after
    a comment that names a password file (the whole ``user:password`` would lose the user)."""
    found: list[tuple[str, int, int]] = []
    for name, line in ((_CLIENT_MAP_NAME, _CLIENT_MAP_LINE), (_PASSWORD_FILE_NAME, _PASSWORD_FILE_LINE)):
        named = name.search(text)
        if named is not None:
            found += [
                ("password-assignment", m.start("v"), m.end("v"))
                for m in line.finditer(text, named.end())
                if _secret_shape(m.group("v"))
            ]
    return found


# A comment naming the file ``auth-user-pass`` reads (``# /etc/openvpn/client/depot.auth
# (auth-user-pass)``, ``# creds.txt for auth-user-pass``), then the file: a user, then a password,
# each alone on its line. The config's own ``auth-user-pass /path`` line is no such comment. A comment
# naming an auth file under an ``openvpn/`` directory (``# /etc/openvpn/auth.txt``) names one too.
# OpenVPN reads each line whole, so a ``#`` inside the password is part of it.
_AUTH_FILE: Final = re.compile(
    r"(?im)^[ \t]*(?:#|;|//)[^\n]*(?:\bauth-user-pass\b|\bopenvpn/(?:[\w.\-]+/)*[\w\-]*auth[\w\-]*\.\w+)"
    r"[^\n]*\n"
    r"[ \t]*[\w.@+\-]{1,64}[ \t]*\n[ \t]*(?P<v>[^\s#;][^\s;]{5,127})[ \t]*(?:\n[ \t]*)?$(?![^\n])"
)


def _auth_file_spans(text: str) -> list[tuple[str, int, int]]:
    return [
        ("password-assignment", m.start("v"), m.end("v"))
        for m in _AUTH_FILE.finditer(text)
        if _secret_shape(m.group("v"))
    ]


# --- pg_dump COPY blocks ------------------------------------------------------------------------

_COPY: Final = re.compile(
    r"(?im)^COPY[ \t]+[\w.\"]+[ \t]*\((?P<cols>[^()\n]*)\)[ \t]+FROM[ \t]+stdin;[ \t]*$"
)
# A column that holds a password in clear: ``password``, ``passwd``, ``password_plain``,
# ``plain_password``, ``api_token``. Not one named for what was made from it (``password_hash``,
# ``password_digest``, ``password_salt``, ``password_changed_at``, ``token_expires``).
_COPY_CREDENTIAL_COLUMN: Final = re.compile(
    r"(?i)^(?:\w*_)?(?:pass(?:word|wd)?|pwd|secret|api_?key|token)"
    r"(?:_(?:plain|plaintext|clear|cleartext|raw|text|txt))?$"
)


def _copy_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for block in _COPY.finditer(text):
        columns = [c.strip().strip('"') for c in block.group("cols").split(",")]
        wanted = [j for j, c in enumerate(columns) if _COPY_CREDENTIAL_COLUMN.fullmatch(c)]
        if not wanted:
            continue
        offset = block.end() + 1
        for line in text[offset:].split("\n"):
            if line.startswith("\\.") or not line:
                break
            cells = line.split("\t")
            position = offset
            for j, cell in enumerate(cells):
                if j in wanted and cell != "\\N" and _secret_shape(cell):
                    kind = (
                        "password-assignment" if re.search(r"(?i)pass|pwd", columns[j]) else "generic-secret"
                    )
                    spans.append((kind, position, position + len(cell)))
                position += len(cell) + 1
            offset += len(line) + 1
    return spans


# --- PHP constants, Erlang cookies and terms ----------------------------------------------------

# WordPress's ``define( 'NONCE_SALT', '…' );``: a salt or key of 32+ characters, not its sample
# ``put your unique phrase here`` (words) and not a short cache prefix.
_PHP_SALT: Final = re.compile(
    r"(?i)\bdefine\s*\(\s*(?P<q0>['\"])\w*_(?:SALT|KEY)(?P=q0)\s*,\s*(?P<q>['\"])(?P<v>[^'\"\n]{32,256})(?P=q)\s*\)"
)
# ``-setcookie X`` (``vm.args``, ``erl``), ``--cookie X`` (``iex``, ``elixir``).
_SETCOOKIE: Final = re.compile(r"(?m)(?:^|[ \t])(?:-setcookie|--cookie)[ \t]+['\"]?(?P<v>[^\s'\"]{6,255})")
# ``cat ~/.erlang.cookie`` (or the file named in a comment), then the cookie alone on the next line.
_COOKIE_FILE: Final = re.compile(
    r"(?im)^[^\n]*\.erlang\.cookie\b[^\n]*\n[ \t]*(?P<v>[A-Za-z0-9_]{8,255})[ \t]*$"
)
# An Erlang term that names a credential: ``{hmac_secret, <<"…">>}``, ``{password, "…"}``.
_ERLANG_TERM: Final = re.compile(
    r"\{\s*'?(?P<name>[a-z][\w]*)'?\s*,\s*(?:<<)?\"(?P<v>[^\"\n]{8,512})\"(?:>>)?\s*\}"
)
_ERLANG_CREDENTIAL: Final = re.compile(
    r"(?i)^(?:\w*_)?(?:pass(?:word|wd)?|pwd|secret|token|cookie|(?:api|secret|hmac|signing|private|access)_?key)$"
)


def _cookie_value(value: str) -> bool:
    return not _placeholder_like(value) and value[0] not in "$`(" and not value.startswith("-")


def _php_and_erlang_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "define" in text.lower():
        for m in _PHP_SALT.finditer(text):
            v = m.group("v")
            # a salt may hold any printable character (``<``, ``$``, ``{``): only words and templates stay
            words = re.fullmatch(r"[A-Za-z ]+", v) or "unique phrase" in v.lower()
            if not words and not re.match(r"\$\{|\{\{|<%", v) and _entropy(v) >= 4.0:
                spans.append(("generic-api-key", m.start("v"), m.end("v")))
    if "cookie" in text:
        for pattern in (_SETCOOKIE, _COOKIE_FILE):
            spans.extend(
                ("generic-api-key", m.start("v"), m.end("v"))
                for m in pattern.finditer(text)
                if _cookie_value(m.group("v"))
            )
    if "{" in text:
        for m in _ERLANG_TERM.finditer(text):
            name, v = m.group("name"), m.group("v")
            if not _ERLANG_CREDENTIAL.fullmatch(name) or _placeholder_like(v):
                continue
            if re.search(r"(?i)pass|pwd", name):
                if _secret_shape(v):
                    spans.append(("password-assignment", m.start("v"), m.end("v")))
            elif _token(v) or _random_run(re.sub(r"[+/=_\-]", "", v)):
                spans.append(("generic-api-key", m.start("v"), m.end("v")))
    return spans


def file_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the credentials above, for :class:`RedactionPolicy` to weigh."""
    spans = _client_map_spans(text) if "passw" in text else []
    if "auth-user-pass" in text or "openvpn/" in text:
        spans += _auth_file_spans(text)
    if "stdin;" in text:
        spans += _copy_spans(text)
    return spans + _php_and_erlang_spans(text)


# --- phone columns ------------------------------------------------------------------------------

# A delimited export's column headed for a phone (``phone``, ``mobile_number``, ``Tel.``): its cells
# hold a number in whatever national form (``07 5550 4916``, ``0412 555 049``, ``(02) 9326 0558``).
_PHONE_HEADER: Final = re.compile(
    r"(?i)^(?:[\w ]*[ _-])?(?:phone|telephone|tel|mobile|cell|cellphone|msisdn|fax)"
    r"(?:[ _-]?(?:no\.?|nr\.?|number|num))?\.?$"
)
_PHONE_CELL: Final = re.compile(r"\+?\(?\d{1,5}\)?(?:[ .\-]?\d{2,5}){1,5}")


def _phone_cell(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return (
        _PHONE_CELL.fullmatch(value) is not None
        and 8 <= len(digits) <= 15
        and re.fullmatch(r"0+", digits[-7:]) is None
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is None
    )


def phone_column_spans(text: str) -> list[tuple[str, int, int]]:
    """Phones in a CSV/TSV/semicolon column whose header names a phone."""
    spans: list[tuple[str, int, int]] = []
    columns: set[int] = set()
    delimiter = ""
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if delimiter and delimiter in line and columns:
            position = start
            for j, cell in enumerate(line.split(delimiter)):
                value = cell.strip().strip("\"'")
                if j in columns and value and _phone_cell(value):
                    s = position + cell.index(value)
                    spans.append(("phone", s, s + len(value)))
                position += len(cell) + 1
            continue
        columns, delimiter = set(), ""
        for candidate in (";", "\t", ","):
            if candidate in line:
                found = {
                    j
                    for j, name in enumerate(line.split(candidate))
                    if _PHONE_HEADER.fullmatch(name.strip(" \"'"))
                }
                if found:
                    columns, delimiter = found, candidate
                    break
    return spans
