"""Credentials and personal data in tables, SQL inserts, nested settings and encoded values.

Markdown and HTML table cells read by their column header, ``INSERT … VALUES`` rows read by their
column names, a credential under a parent key that names one (YAML, TOML), SSH public keys and
resource ids that stay, and base64 values decoded for a second look. Kept apart because these read
a structure spanning lines, not a line's ``name = value``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from kb.safety.redaction_names import (
    _ABOUT_A_CREDENTIAL,
    _AUTH_LINE,
    _NAMES_CREDENTIAL,
    _NATIONAL_ID_NAMES,
    _PASSWORD_LIKE,
    _decodes_to_text,
    _pair_password,
)
from kb.safety.redaction_values import (
    _entropy,
    _flag_value,
    _password_value,
    _placeholder_like,
    _reference_value,
    _token,
    _uuid_secret,
    _wordy,
)


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


# A row whose cell is a bare keyword (``| pass | AWU-Ka3-46131 | AOS 04:11 … |``: a satellite pass, a
# test's pass, a token's record) labels what the row is about; the id-shaped cell after it (a
# capital-led code in separated groups ending in digits: a pass, ticket or order number) is that
# record's id, not a value the keyword assigns. A qualified name (``DB pass``, ``PAT (ci)``) or a
# header naming the column is still read as naming the value. Ids are written glued too: a few capitals
# then digits only (``WS135180``, a work-station or session number), which no password generator makes.
_BARE_KEYWORD_CELL: Final = re.compile(r"(?i)[`*_]*(?:pass(?:es)?|token|secret|key|pat|credential)[`*_]*")
_RECORD_ID: Final = re.compile(
    r"[A-Z][A-Z0-9]{1,7}(?:[-_./#][A-Za-z0-9]{1,10}){0,3}[-_./#][0-9]{3,}|[A-Z]{1,4}[0-9]{4,12}"
)


def _row_label_before_an_id(cell: _Cell, value: str) -> bool:
    named_by = [n for n in cell.left if _names_credential(n)]
    return (
        bool(named_by)
        and all(_BARE_KEYWORD_CELL.fullmatch(n.strip()) for n in named_by)
        and _RECORD_ID.fullmatch(value) is not None
    )


# A row that names an administrator account (``| FortiGate admin `stage-ops` | <value> | note |``)
# holds its password in the next cell, where no header names another thing: the value is random
# (a password shape or random mixed-case letters), not a word, a record id or a setting's state.
_ADMIN_ACCOUNT_CELL: Final = re.compile(
    r"(?i)\b(?:admin(?:istrator)?|root|superuser|super-?admin|sysadmin|break-?glass|enable)\b"
    r"(?:[ \t]+(?:user|account|login))?(?:[ \t]+[`'\"]?[\w.@\-]+[`'\"]?)?"
    r"(?:[ \t]+(?:on|at|for)[ \t]+[`'\"]?[\w.\-]+[`'\"]?)?[ \t]*:?$"  # ``admin on ccr-depot3``
)
_VALUE_HEADER: Final = re.compile(r"(?i)^(?:value|current|new(?:[ _-]value)?|set[ _-]to)?$")


def _admin_account_value(cell: _Cell, value: str) -> bool:
    return (
        bool(cell.left)
        and _ADMIN_ACCOUNT_CELL.search(cell.left[-1].strip()) is not None
        and _VALUE_HEADER.fullmatch(cell.header.strip()) is not None
        and (_password_value(value) or _flag_value(value))
        and _RECORD_ID.fullmatch(value) is None
        and re.search(r"[a-z]", value) is not None  # capitals and digits only: a serial number
        and not _placeholder_like(value)
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
        if names and not _names_credential(cell.header) and _row_label_before_an_id(cell, value):
            continue
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
            # a uuid is a credential where the row names one (Postmark server tokens, Consul tokens);
            # a password column holds random letters too (``KwtqzLMxPrbV``; not a word or CamelCase)
            password_named = re.search(r"(?i)pass|pwd", names[0]) is not None
            if not (
                _password_value(value)
                or _token(value)
                or _uuid_secret(value)
                or (password_named and _flag_value(value) and _RECORD_ID.fullmatch(value) is None)
            ):
                continue
            type_ = "password-assignment" if password_named else "generic-secret"
        elif _admin_account_value(cell, value):
            type_ = "password-assignment"
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
