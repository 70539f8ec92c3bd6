"""Names and values in the layouts of tools' output, read as assignments.

A setting's name says what its value is; the redactor's name-based rules read ``NAME = "VALUE"``.
Tools print the same pair in layouts of their own, which those rules do not read:

* ``docker inspect``: ``"Env": ["NAME=VALUE", …]``, one JSON string per variable;
* ``kubectl describe``: ``NAME:   VALUE`` under ``Environment:`` (names aligned by spaces), and a
  ConfigMap's ``Data`` as ``NAME:``, a ``----`` rule, then the value on its own line;
* ``terraform plan``: ``~ "NAME" = (sensitive value) -> "NEW"`` and ``~ NAME = "OLD" -> "NEW"``;
* ``terraform output -json`` (and a state file's ``outputs``, an ARM parameters file): an object
  named by its key, holding ``"value": "VALUE"`` a line or two below the name;
* Redis: ``MONITOR`` lines (``"AUTH" "<pw>"``, ``"CONFIG" "SET" "masterauth" "<pw>"``), the same
  commands typed at ``redis-cli``, ``ACL SETUSER <user> on ><pw>`` and a ``CONFIG GET`` reply
  (``1) "requirepass"`` then ``2) "<pw>"``), and the reply to ``GET <key>`` (``HGET <key> <field>``)
  on the next line, named by the key's last part (``cfg:kafka:sasl_secret``) or the field;
* a pgbouncer ``userlist.txt`` (``"user" "<pw>"`` lines), where the file is named;
* a command that reads a stored secret and prints it alone (``gcloud secrets versions access``,
  ``az keyvault secret show … --query value -o tsv``, ``vault kv get -field=…``, ``aws secretsmanager
  get-secret-value --query SecretString --output text``, ``kubectl get secret … | base64 -d``): the
  next line, named by the secret, the field or the data key it reads;
* a SQL query that reads one stored value (``SELECT value FROM settings WHERE name='mailgun_key';``,
  ``SELECT api_token FROM … WHERE id = 4;``): the value printed under it (bare, or in a mysql or psql
  frame), named by the key asked for or by the column.

:func:`tool_output_view` writes each pair it reads as a line ``NAME = "VALUE"`` of a
:class:`~kb.safety.redaction_containers.View` (the value's characters keep their offsets), so the
existing rules decide by the name and what they find maps back to the original text. A name that
says nothing (``LOG_LEVEL``, ``maxmemory``) keeps its value.

Two shapes no name-based rule reads are here too: a URL-named variable whose value has no scheme
(``DATABASE_URL=<random>``: a URL never looks like that, so it is the password pasted in its place),
and a random value in a code span of a table row that says a credential was rotated or revoked, or
where it was shown in the clear (``from tfstate``, ``plaintext``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from kb.safety.redaction_containers import View, ViewBuilder
from kb.safety.redaction_names import _VALUE_END
from kb.safety.redaction_rules import Rule, _rule
from kb.safety.redaction_tables import _CELL_NAMES_AN_ID, _table_cells
from kb.safety.redaction_values import _password_value, _token, _wordy

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["lifecycle_row_spans", "tool_output_rules", "tool_output_view"]

# --- layouts read as ``NAME = "VALUE"`` ----------------------------------------------------------------

_NAME: Final = r"[A-Za-z_][\w.\-]{0,80}"
# docker inspect: a JSON array of ``"NAME=VALUE"`` strings
_DOCKER_ENV: Final = re.compile(rf"[\[,][ \t\n]*\"(?P<name>{_NAME})=(?P<value>[^\"\n]+)\"")
# kubectl describe: ``NAME:   VALUE``, the value aligned by two or more spaces
_DESCRIBE_ENV: Final = re.compile(rf"(?m)^[ \t]+(?P<name>{_NAME}):[ \t]{{2,}}(?P<value>\S[^\n]*?)[ \t]*$")
# kubectl describe configmap: ``NAME:`` then ``----`` then the value
_DESCRIBE_DATA: Final = re.compile(rf"(?m)^(?P<name>{_NAME}):[ \t]*\n-{{4}}[ \t]*\n(?P<value>[^\n]+?)[ \t]*$")
# terraform plan: ``~ "NAME" = (sensitive value) -> "NEW"``, ``~ NAME = "OLD" -> "NEW"``
_PLAN_CHANGE: Final = re.compile(
    rf"(?m)^[ \t]*[~+\-][ \t]+(?:\"(?P<qname>[^\"\n]{{1,80}})\"|(?P<name>{_NAME}))[ \t]*=[ \t]*"
    r"(?:\"(?P<old>[^\"\n]*)\"|\(sensitive value\)|null|\(known after apply\))[ \t]*->[ \t]*"
    r"\"(?P<value>[^\"\n]*)\""
)
# terraform output -json: ``"NAME": {"sensitive": true, "type": "string", "value": "VALUE"}``, an
# object with no object inside it, so the name is the value's own; one that names itself
# (``{"name": "HOME", "value": …}``, as in HAR and ECS) is read by the name/value rule instead
# Spring Boot's actuator ``/env`` nests the same objects under ``"properties"``
# (``"spring.datasource.password": {"value": "…", "origin": "…"}``); an excerpt may stop inside
# one, so an object still open where the text ends is read as far as it goes.
_NAMED_VALUE_OBJECT: Final = re.compile(
    r"\"(?P<name>[^\"\n]{1,80})\"[ \t]*:[ \t]*\{(?P<body>[^{}]{0,400}?)(?:\}|\Z)"
)
_OBJECT_VALUE: Final = re.compile(r"\"value\"[ \t]*:[ \t]*\"(?P<value>(?:[^\"\\\n]|\\.)+)\"")
_OBJECT_NAMES_ITSELF: Final = re.compile(r"(?i)\"(?:name|key)\"[ \t]*:")
# a Redis command: a MONITOR line (``<time> [<db> <client>] "CMD" "arg" …``), one typed at redis-cli,
# an ``ACL SETUSER``/``CONFIG SET`` alone on its line, or a ``users.acl`` line (``user <name> on >pw``)
_REDIS_LINE: Final = re.compile(
    r"(?m)^(?:[ \t]*\d{9,}\.\d+[ \t]+\[\d+[ \t]+[^\]\n]*\][ \t]+"
    r"|[^\n]*?(?:[\w.\-]+:\d+>|redis[\w-]*>|\bredis-cli\b[^\n]*?)[ \t]+"
    r"|[ \t]*(?=(?i:acl[ \t]+setuser|config[ \t]+set|user[ \t]+\S+[ \t]+(?:on|off|reset)\b)))"
    r"(?P<args>[^\n]+)$"
)
_REDIS_ARG: Final = re.compile(r"\"(?P<q>(?:[^\"\\\n]|\\.)*)\"|(?P<b>[^\s\"]+)")
# redis-cli's reply to a ``GET``: the quoted string alone on the next line
_REDIS_REPLY: Final = re.compile(r"[ \t]*\"(?P<value>(?:[^\"\\\n]|\\.){4,})\"[ \t]*(?=\n|$)")
# a ``CONFIG GET`` (or ``HGETALL``) reply: ``1) "name"`` then ``2) "value"``
_REPLY_PAIR: Final = re.compile(
    r"(?m)^[ \t]*(?P<n>\d+)\)[ \t]+\"(?P<name>[\w.\-]{1,80})\"[ \t]*\n[ \t]*(?P<n2>\d+)\)[ \t]+"
    r"\"(?P<value>[^\"\n]*)\"[ \t]*$"
)
# pgbouncer userlist.txt: ``"user" "password"``
_USERLIST_LINE: Final = re.compile(r"(?m)^[ \t]*\"[^\"\n]{1,80}\"[ \t]+\"(?P<value>[^\"\n]+)\"[ \t]*$")
_USERLIST_NAMED: Final = re.compile(r"(?i)userlist|auth_file|pgbouncer")

# A command that prints a stored secret's value alone (``gcloud secrets versions access``, ``az
# keyvault secret show … --query value -o tsv``, ``vault kv get -field=…``, ``aws secretsmanager
# get-secret-value --query SecretString --output text``, ``kubectl get secret … | base64 -d``): the
# line after it is the value, named by the secret (or the field or data key it reads).
_SECRET_READ: Final = re.compile(
    r"(?m)^(?P<command>[^\n]*?\b(?:gcloud[ \t]+secrets[ \t]+versions[ \t]+access|az[ \t]+keyvault[ \t]+secret"
    r"[ \t]+show|vault[ \t]+(?:kv[ \t]+get|read)|aws[ \t]+secretsmanager[ \t]+get-secret-value|aws[ \t]+ssm"
    r"[ \t]+get-parameter|kubectl\b[^\n|;&]*?[ \t]get[ \t]+secrets?)\b[^\n]*?)[ \t]*\n"
    r"[ \t]*(?P<value>[^\s\"{}\[\]$#][^\s\"]{3,})[ \t]*$"
)
_FLAG_VALUE: Final = r"[ \t]*[= \t][ \t]*['\"]?(?P<name>[\w.\-/:]{1,120}?)['\"]?(?=[\s'\"|;&]|$)"
# What each command needs to print the value alone, and the flag (or jsonpath) that names it, in order
_SECRET_READ_NAMES: Final = (
    (re.compile(r"gcloud[ \t]+secrets"), re.compile(r"(?<![\w-])--secret" + _FLAG_VALUE)),
    (
        re.compile(r"(?i)az[ \t]+keyvault(?=.*--query[= \t]+['\"]?value\b)(?=.*(?:-o|--output)[= \t]+tsv\b)"),
        re.compile(r"(?<![\w-])(?:--name|-n|--id)" + _FLAG_VALUE),
    ),
    (re.compile(r"vault[ \t]+(?:kv|read)"), re.compile(r"-field" + _FLAG_VALUE)),
    (
        re.compile(r"secretsmanager(?=.*--query[= \t]+['\"]?SecretString\b)(?=.*--output[= \t]+text\b)"),
        re.compile(r"--secret-id" + _FLAG_VALUE),
    ),
    (
        re.compile(r"ssm(?=.*--with-decryption)(?=.*--output[= \t]+text\b)"),
        re.compile(r"(?<![\w-])--name" + _FLAG_VALUE),
    ),
    (
        re.compile(r"kubectl(?=.*\|[ \t]*base64[ \t]+(?:-d|--decode|-D)\b)"),
        re.compile(r"\{\.data\.(?P<name>[\w.\-\\]{1,120}?)\}|secrets?[ \t]+(?P<secret>\w[\w.\-]{0,119})"),
    ),
    # without ``base64 -d`` a Secret's data key prints encoded: the line is the secret in base64, which
    # the encoded-value reading decodes once the data key names it
    (
        re.compile(r"kubectl(?=.*\bjsonpath\b)"),
        re.compile(r"\{\.data\.(?P<name>[\w.\-\\]{1,120}?)\}"),
    ),
)

_Pair = tuple[tuple[int, int] | str, tuple[int, int]]  # (name's span or a name, value's span)

# A SQL query that reads one stored value (``SELECT value FROM settings WHERE name='mailgun_key';``,
# ``SELECT api_token FROM integrations WHERE id = 4;``): the value printed under it is named by the
# key the WHERE clause asks for when the column is a key/value table's value column, else by the column.
_SELECT_ONE: Final = re.compile(
    r"(?im)^[^\n]*?\bselect[ \t]+[`\"]?(?P<column>\w{1,64})[`\"]?[ \t]+from[ \t]+[\w.`\"]{1,120}"
    r"(?:[ \t]+where[ \t]+[`\"]?(?P<key_column>\w{1,64})[`\"]?[ \t]*=[ \t]*'(?P<key>[^'\n]{1,80})')?"
    r"[^\n]*$"
)
_VALUE_COLUMN: Final = re.compile(r"(?i)\w*(?:value|val|setting|data|content)")
_KEY_COLUMN: Final = re.compile(r"(?i)\w*(?:name|key|setting|option|param\w*|variable)")
# what a client prints around the value: a border (``+------+``, ``-----``), the column's header
_OUTPUT_FRAME: Final = re.compile(r"[ \t]*(?:[+|-][-+| \t]*|\|?[ \t]*\w{1,64}[ \t]*\|?)[ \t]*")
_OUTPUT_VALUE: Final = re.compile(r"[ \t]*\|?[ \t]*(?P<value>[^\s|'\"+-][^\s|]{3,})[ \t]*\|?[ \t]*")


def _select_pairs(text: str) -> Iterator[_Pair]:
    for m in _SELECT_ONE.finditer(text):
        column = m.group("column")
        key = m.group("key")
        if key and _VALUE_COLUMN.fullmatch(column) and _KEY_COLUMN.fullmatch(m.group("key_column") or ""):
            name = key
        elif _VALUE_COLUMN.fullmatch(column):
            continue
        else:
            name = column
        at = m.end() + 1
        for _ in range(4):  # the value's line, after at most a header and two borders
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            value = _OUTPUT_VALUE.fullmatch(text, at, end)
            if value is not None and value.group("value") != column:
                yield name, value.span("value")
                break
            if at >= len(text) or _OUTPUT_FRAME.fullmatch(text, at, end) is None:
                break
            at = end + 1


def _secret_read_pairs(text: str) -> Iterator[_Pair]:
    for m in _SECRET_READ.finditer(text):
        command = m.group("command")
        for reads_alone, names in _SECRET_READ_NAMES:
            if reads_alone.search(command) is None:
                continue
            named = names.search(command)
            if named is not None:
                name = named.group("name") or named.groupdict().get("secret") or ""
                # a path or an id names the secret by its last part (``prod/orders/db-password``), a
                # Key Vault id by the part after ``/secrets/`` (a version may follow)
                if "/secrets/" in name:
                    name = name.split("/secrets/", 1)[1].split("/", 1)[0]
                elif "/" in name or ":" in name:
                    name = re.sub(r"^.*?([^/:]+)/?$", r"\1", name)
                name = name.replace("\\", "")
                if name:
                    yield name, m.span("value")
            break


def _reads_one_key(words: list[str]) -> bool:
    """The command ends in ``GET <key>`` or ``HGET <key> <field>`` (redis-cli's flags may come first)."""
    return (len(words) >= 2 and words[-2] == "get") or (len(words) >= 3 and words[-3] == "hget")


def _redis_pairs(text: str) -> Iterator[_Pair]:
    for line in _REDIS_LINE.finditer(text):
        args = [
            (m.span("q") if m.group("q") is not None else m.span("b"), m.group("q") or m.group("b") or "")
            for m in _REDIS_ARG.finditer(text, line.start("args"), line.end("args"))
        ]
        words = [a.lower() for _s, a in args]
        if not words:
            continue
        if words[0] == "auth" and len(args) in (2, 3):  # AUTH [user] pw
            yield "password", args[-1][0]
        elif words[0] == "hello" and "auth" in words:  # HELLO 3 AUTH user pw
            at = words.index("auth")
            if at + 2 < len(args):
                yield "password", args[at + 2][0]
        elif words[:2] == ["config", "set"]:  # CONFIG SET name value [name value …]
            for i in range(2, len(args) - 1, 2):
                yield args[i][0], args[i + 1][0]
        elif _reads_one_key(words):
            # ``GET cfg:kafka:sasl_secret`` (``HGET key field``, after redis-cli's own flags): the reply
            # on the next line is the value, named by the key's last part (or the field), as a SQL
            # query's output is by its key
            reply = _REDIS_REPLY.match(text, line.end() + 1) if line.end() < len(text) else None
            if reply is not None:
                yield re.split(r"[:/]", args[-1][1])[-1], reply.span("value")
        elif words[:2] == ["acl", "setuser"] or words[0] == "user":  # ACL SETUSER user on >pw ~keys
            for (start, end), arg in args[3 if words[0] == "acl" else 2 :]:
                if arg.startswith(">") and len(arg) > 1:
                    yield "password", (start + 1, end)


def _pairs(text: str) -> Iterator[_Pair]:
    if "=" in text and '"' in text:
        for m in _DOCKER_ENV.finditer(text):
            yield m.span("name"), m.span("value")
    if ":  " in text:
        for m in _DESCRIBE_ENV.finditer(text):
            yield m.span("name"), m.span("value")
    if "\n----" in text:
        for m in _DESCRIBE_DATA.finditer(text):
            yield m.span("name"), m.span("value")
    if "->" in text:
        for m in _PLAN_CHANGE.finditer(text):
            name = m.span("qname") if m.group("qname") is not None else m.span("name")
            yield name, m.span("value")
            if m.group("old"):
                yield name, m.span("old")
    if '"value"' in text:
        for m in _NAMED_VALUE_OBJECT.finditer(text):
            value = _OBJECT_VALUE.search(text, m.start("body"), m.end("body"))
            if value is not None and _OBJECT_NAMES_ITSELF.search(m.group("body")) is None:
                yield m.span("name"), value.span("value")
    if "secret" in text or "vault" in text:
        yield from _secret_read_pairs(text)
    lowered = text.lower()
    if "select" in lowered:
        yield from _select_pairs(text)
    if "auth" in lowered or "config" in lowered or "acl" in lowered or "get" in lowered or ">" in text:
        yield from _redis_pairs(text)
    if ') "' in text:
        for m in _REPLY_PAIR.finditer(text):
            if int(m.group("n")) % 2 == 1 and int(m.group("n2")) == int(m.group("n")) + 1:
                yield m.span("name"), m.span("value")
    if _USERLIST_NAMED.search(text):
        for m in _USERLIST_LINE.finditer(text):
            yield "password", m.span("value")


def tool_output_view(text: str) -> View | None:
    """``NAME = "VALUE"`` lines for the pairs tools print in layouts of their own (none: ``None``)."""
    pairs = list(_pairs(text))
    if not pairs:
        return None
    out = ViewBuilder()
    for name, (start, end) in pairs:
        if isinstance(name, str):
            out.add(name)
        else:
            out.copy(text, *name)
        out.add(' = "')
        out.copy(text, start, end)
        out.add('"\n')
    return out.view()


# --- a URL-named variable holding a bare value -------------------------------------------------------


def _bare_url_password(value: str) -> bool:
    """Not a URL, a host, a path or an id, but a password's shape: what was pasted for the URL."""
    if re.search(r"[:/@.]", value) or re.fullmatch(r"[0-9a-fA-F-]+", value):
        return False
    return _password_value(value) and re.search(r"\d", value) is not None and not _wordy(value)


def tool_output_rules() -> list[Rule]:
    return [
        # ``DATABASE_URL=<random>``, ``REDIS_URL:  <random>``, ``"amqpUri": "<random>"``: a name
        # ending in URL/URI (with a word before it) whose value has no scheme
        _rule(
            "password-in-url",
            r"(?<![\w.\-])[\w.\-]*?[A-Za-z0-9](?:[_.\-](?i:ur[li])|Ur[li]|UR[LI])(?:\\?['\"])?[ \t]*"
            r"(?:=|:|=>|:=)[ \t]*(?:\\?['\"])?(?P<v>[^\s'\"`,;&<>(){}\[\]]{8,64}?)" + _VALUE_END,
            _bare_url_password,
            hints=("url", "uri"),
        ),
    ]


# --- a credential in a table row that says it was rotated or shown ----------------------------------

_LIFECYCLE: Final = re.compile(
    r"(?i)\b(?:rotated|revoked|reset|leaked|exposed|compromised|regenerated|invalidated|re-?issued|rolled)\b"
)
# Words that say where a credential's value could be read: "from tfstate", "plaintext in the state
# file", "hard-coded", "echoed". Not "pushed", "committed" or "logged": rows of commits and request ids
# say those of values that are no credential.
_SHOWN: Final = re.compile(
    r"(?i)\b(?:tfstate|state[ \t]+file|plain[ \t-]?text|clear[ \t-]?text|in[ \t]+the[ \t]+clear|"
    r"hard[ \t-]?coded|unmasked|unredacted|echoed)\b"
)
_CODE_SPAN: Final = re.compile(r"`(?P<v>[^`\s]{8,128})`")


def _cell_secret(value: str) -> bool:
    """Random: a token, or a password's mix (both cases and a digit; or letters, digits and a symbol)."""
    if _token(value):
        return True
    if not _password_value(value) or re.search(r"[/:@]", value) or _wordy(value):
        return False
    cases = re.search(r"[a-z]", value) is not None and re.search(r"[A-Z]", value) is not None
    digit = re.search(r"\d", value) is not None
    symbol = re.search(r"[^\w.\-]", value) is not None
    return digit and (cases or (symbol and re.search(r"[A-Za-z]", value) is not None))


def lifecycle_row_spans(text: str) -> list[tuple[str, int, int]]:
    """A code-span value alone in a cell of a table row whose other cells say a credential was
    rotated, revoked, reset or leaked (``| ledger | pg-1 | `<pw>` | rotated 18:20 |``), or where it
    was shown (``| sched-db-1 | app | `<pw>` | from tfstate |``)."""
    if "|" not in text or (_LIFECYCLE.search(text) is None and _SHOWN.search(text) is None):
        return []
    rows: dict[int, list[tuple[int, int, str, str]]] = {}
    for cell in _table_cells(text):
        row = text.rfind("\n", 0, cell.start) + 1
        rows.setdefault(row, []).append((cell.start, cell.end, cell.text, cell.header))
    spans: list[tuple[str, int, int]] = []
    for cells in rows.values():
        for start, _end, content, header in cells:
            m = _CODE_SPAN.fullmatch(content)
            if m is None or not _cell_secret(m.group("v")):
                continue
            others = [c[2] for c in cells if c[0] != start]
            if header and _CELL_NAMES_AN_ID.search(header.strip()):
                continue
            if any(_LIFECYCLE.search(o) or _SHOWN.search(o) for o in others):
                spans.append(("password-assignment", start + 1, start + 1 + len(m.group("v"))))
    return spans
