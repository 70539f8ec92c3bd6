"""Secrets a command line sets by name: a CLI that stores a named environment variable, config var or
secret takes its value from an argument, and the name beside it says what the value is.

* ``NAME VALUE`` positionals: ``balena env add``, ``doppler secrets set``, ``netlify env:set``,
  ``cf set-env APP``, ``convex env set``, ``dotenvx set``, ``glab variable set``, ``clever env set``,
  ``travis env set``, ``pulumi config set [--secret]``, ``npm``/``yarn``/``pnpm config set``;
* ``NAME=VALUE`` arguments (and a flag's ``--flag=NAME=VALUE``): ``heroku``/``dokku``/``aptible
  config:set``, ``fly secrets set``, ``supabase``/``infisical``/``doppler secrets set``, ``railway
  variables``, ``convox env set``, ``scalingo env-set``, ``eb setenv``, ``kubectl set env``,
  ``kubectl create secret --from-literal``, ``docker service create|update --env-add``, ``gcloud …
  --set-env-vars`` (comma lists), ``az … appsettings set --settings``, ``vault kv put``/``vault
  write``, ``helm --set`` (comma lists), ``terraform -var``, ``ansible -e``, ``op item create``;
* a value flag after the name: ``gh secret|variable set NAME --body V``, ``glab variable set NAME
  --value V``, ``aws ssm put-parameter --name …/password --value V``; a store that only holds secrets
  takes the value whatever its name (``az keyvault secret set --value``, ``aws secretsmanager …
  --secret-string``, ``ssm put-parameter --type SecureString``);
* a literal piped into one that reads the value from stdin (``echo -n V | vercel env add NAME``,
  ``wrangler secret put NAME``, ``fly secrets import``).

The name must say credential (a password, secret, token, passphrase or a qualified key; not
``…_FILE``, ``…_NAME``, ``…_TTL``, ``…_LENGTH``), and then the value is taken whatever its shape, as a
login's ``-p`` is: these commands write what they are given. Kept: variables (``$PW``, ``$(op read
…)``), templates, placeholders, paths, store pointers (``op://…``), the credential's own name, switch
words and numbers.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Final

from kb.safety.redaction_names import _ABOUT_A_CREDENTIAL, _KEY_QUALIFIERS
from kb.safety.redaction_rules import _CREDENTIAL_WORD_VALUE
from kb.safety.redaction_values import _POINTER_WORDS, _placeholder_like, _reference_value

__all__ = ["setter_credential_spans"]

# The rest of a command: up to an unquoted pipe, ``;``, ``&`` or the line's end (a ``\`` continues it)
_REST: Final = r"(?=[ \t])(?:[^\n|;&'\"\\]|\\\n|\\.|'[^'\n]*'|\"[^\"\n]*\")*"
_START: Final = r"(?:(?<=^)|(?<=[\s'\"`(]))(?:npx[ \t]+|bunx[ \t]+|[\w./-]*/)?"

# Commands whose first positionals are ``NAME VALUE`` (``cf set-env`` names the app first)
_POSITIONAL: Final = re.compile(
    _START + r"(?P<cmd>balena[ \t]+env[ \t]+(?:add|set)|doppler[ \t]+secrets[ \t]+set|netlify[ \t]+env:set"
    r"|cf[ \t]+(?:set-env|se)[ \t]+[\w.\-]+|convex[ \t]+env[ \t]+set|dotenvx?[ \t]+set"
    r"|glab[ \t]+variable[ \t]+(?:set|update)|clever[ \t]+env[ \t]+set|travis[ \t]+env[ \t]+set"
    r"|pulumi[ \t]+config[ \t]+set|(?:npm|yarn|pnpm)[ \t]+config[ \t]+set)" + _REST,
    re.MULTILINE,
)
# Commands that take ``NAME=VALUE`` arguments
_PAIRS: Final = re.compile(
    _START + r"(?P<cmd>(?:heroku|dokku|aptible)[ \t]+config:set|(?:fly|flyctl)[ \t]+secrets[ \t]+set"
    r"|(?:supabase|infisical|doppler)[ \t]+secrets[ \t]+set|railway[ \t]+variables?|convex[ \t]+env[ \t]+set"
    r"|convox[ \t]+env[ \t]+set|scalingo[ \t]+env-set|eb[ \t]+setenv"
    r"|kubectl[ \t]+(?:set[ \t]+env|create[ \t]+secret)"
    r"|docker[ \t]+service[ \t]+(?:create|update)|gcloud[ \t]+[\w \t-]*?(?:deploy|update|create)"
    r"|az[ \t]+[\w \t-]*?(?:appsettings[ \t]+set|create|update)|vault[ \t]+(?:kv[ \t]+(?:put|patch)|write)"
    r"|helm[ \t]+(?:install|upgrade|template)|terraform[ \t]+(?:plan|apply|import|destroy)"
    r"|ansible(?:-playbook)?|op[ \t]+item[ \t]+(?:create|edit))" + _REST,
    re.MULTILINE,
)
# Commands that take the value after a flag, the name before it or in ``--name``
_FLAGGED: Final = re.compile(
    _START + r"(?P<cmd>gh[ \t]+(?:secret|variable)[ \t]+set|glab[ \t]+variable[ \t]+(?:set|update|create)"
    r"|aws[ \t]+ssm[ \t]+put-parameter|az[ \t]+keyvault[ \t]+secret[ \t]+set"
    r"|aws[ \t]+secretsmanager[ \t]+(?:create-secret|put-secret-value|update-secret)"
    r"|(?:platform|upsun)[ \t]+variable:(?:create|update)|qovery[ \t]+(?:env|secret)[ \t]+create)" + _REST,
    re.MULTILINE,
)
# A literal piped into a command that reads the value from stdin
_PIPED: Final = re.compile(
    r"\b(?:printf[ \t]+['\"]%s(?:\\n)?['\"][ \t]+|echo[ \t]+(?:-n[ \t]+)?)"
    r"(?P<q>['\"]?)(?P<v>[^\s'\"|]{4,})(?P=q)"
    r"[ \t]*\|[ \t]*(?:npx[ \t]+)?(?:vercel[ \t]+env[ \t]+add|wrangler[ \t]+(?:pages[ \t]+)?secret[ \t]+put"
    r"|firebase[ \t]+functions:secrets:set|netlify[ \t]+env:set|gh[ \t]+secret[ \t]+set)"
    r"[ \t]+(?P<name>[\w.\-]+)"
)
_TOKEN: Final = re.compile(r"(?:[^\s'\"\\]|'[^'\n]*'|\"[^\"\n]*\")+")
# Flags that take no argument and may stand between the command and its ``NAME VALUE``
_BARE_FLAG: Final = re.compile(
    r"--(?:secret|plaintext|path|private|public|global|location=\S+|silent|force|yes)|-[fy]"
)
# The flags whose argument is the value, and those whose argument is the name
_VALUE_FLAG: Final = re.compile(r"--(?:value|body|secret-string)|-[bv]")
_NAME_FLAG: Final = re.compile(r"--(?:name|key)")
# Stores that hold only secrets: the value is one whatever it is called
_SECRET_ONLY: Final = re.compile(r"(?i)keyvault|secretsmanager|--type[ \t=]+['\"]?SecureString")
# Flags whose argument is a comma list of ``NAME=VALUE`` (gcloud's env vars, helm's ``--set``)
_COMMA_LIST: Final = re.compile(r"--(?:set|update)-(?:env-vars|build-env-vars|secrets)|--set(?:-string)?")

# The words a credential's name is made of, and the qualified keys
_CREDENTIAL_PART: Final = re.compile(
    r"pass(?:word|wd|phrase|code)?s?|pwd|pw|psk|secrets?|tokens?|credentials?|apikey|authtoken|pat|dsn"
)
_QUALIFIER: Final = re.compile(rf"(?:{_KEY_QUALIFIERS})")
_ABOUT: Final = re.compile(
    rf"(?:{_ABOUT_A_CREDENTIAL}|helper|enabled?|min|max|length|issuer|audience|lifetime|validity|days)"
)
# ``existingSecret``, ``externalSecret``: the name of a secret kept elsewhere
_REFERRING: Final = re.compile(r"existing|external|ref")
# ``projects/chb/secrets/db/versions/1``: a resource's path, not a value
_RESOURCE_PATH: Final = re.compile(r"[a-z0-9_.\-]+(?:/[a-z0-9_.\-]+){2,}/?")
_SWITCH: Final = re.compile(r"(?i)enabled?|disabled?|on|off|yes|no|auto|required|optional|unset|empty")
_STORE_POINTER: Final = re.compile(r"[a-z][\w-]*:[\w-]*[:/]|@")


def _name_parts(name: str) -> list[str]:
    """``HIVEMQ_PASSWORD`` -> hivemq, password; ``npmAuthToken`` -> npm, auth, token."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.split("/")[-1])
    return [p for p in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if p]


def _credential_name(name: str) -> bool:
    """The name says credential: one of its parts does (``password``, ``token``, ``api key``), and no
    part after it says the setting is about one (``…_FILE``, ``…_TTL``, ``…_NAME``)."""
    parts = _name_parts(name.strip("'\""))
    last = -1
    for i, part in enumerate(parts):
        qualified_key = part in ("key", "keys") and i > 0 and _QUALIFIER.fullmatch(parts[i - 1]) is not None
        if _CREDENTIAL_PART.fullmatch(part) or qualified_key:
            last = i
    if last < 0 or (last > 0 and _REFERRING.fullmatch(parts[last - 1])):
        return False
    return not any(_ABOUT.fullmatch(part) for part in parts[last + 1 :])


def _set_value(value: str) -> bool:
    """What such a command stores, whatever its shape: not a variable, template, placeholder, path,
    store pointer, number, switch word or the word for a credential."""
    v = value.strip()
    return (
        len(v) >= 4
        and not v.isdigit()
        and not _placeholder_like(v)
        and not _reference_value(v)
        and v[0] not in "$`(@~"
        and _STORE_POINTER.match(v) is None
        and _RESOURCE_PATH.fullmatch(v) is None
        and _SWITCH.fullmatch(v) is None
        and _CREDENTIAL_WORD_VALUE.fullmatch(v) is None
        and not (" " in v and _POINTER_WORDS.search(v))
        and not (_credential_name(v) and not re.search(r"\d", v))  # ``hivemq-password``: a name
    )


def _unquoted(token: str, start: int) -> tuple[str, int]:
    """A token's text without its quotes, and where that text starts."""
    if len(token) >= 2 and token[0] in "'\"" and token[-1] == token[0]:
        return token[1:-1], start + 1
    return token, start


def _pair_spans(token: str, start: int, *, comma_list: bool) -> list[tuple[int, int]]:
    """The values of ``NAME=VALUE`` (``NAME="V"``, ``"NAME=V"``, ``--flag=NAME=V``, ``A=1,B=2``)."""
    text, at = _unquoted(token, start)
    if text.startswith("-"):
        flag = re.match(r"-{1,2}[\w-]+=", text)
        if flag is None:
            return []
        text, at = _unquoted(text[flag.end() :], at + flag.end())
    spans: list[tuple[int, int]] = []
    pieces = [(m.group(), m.start()) for m in re.finditer(r"[^,]+", text)] if comma_list else [(text, 0)]
    for piece, offset in pieces:
        name, eq, value = piece.partition("=")
        if not eq or not re.fullmatch(r"[\w.\-:/\[\]@]+", name) or not _credential_name(name):
            continue
        value_text, value_at = _unquoted(value, at + offset + len(name) + 1)
        if _set_value(value_text):
            spans.append((value_at, value_at + len(value_text)))
    return spans


def _tokens(command: re.Match[str]) -> list[tuple[str, int]]:
    """The command's arguments after its words, with where each starts."""
    found = _TOKEN.finditer(command.string, command.end("cmd"), command.end())
    return [(m.group(), m.start()) for m in found]


def _positional_spans(command: re.Match[str]) -> list[tuple[int, int]]:
    tokens = [(t, s) for t, s in _tokens(command) if _BARE_FLAG.fullmatch(t) is None]
    if not tokens:
        return []
    if "=" in tokens[0][0] and not tokens[0][0].startswith("-"):  # ``doppler secrets set NAME=V``
        return [span for t, s in tokens for span in _pair_spans(t, s, comma_list=False)]
    if len(tokens) < 2 or tokens[1][0].startswith("-") or not _credential_name(tokens[0][0]):
        return []
    value, at = _unquoted(*tokens[1])
    return [(at, at + len(value))] if _set_value(value) else []


def _pairs_spans(command: re.Match[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    comma_list = False
    for token, start in _tokens(command):
        if "=" in token:
            flag = token.split("=", 1)[0]
            spans += _pair_spans(
                token, start, comma_list=comma_list or _COMMA_LIST.fullmatch(flag) is not None
            )
        comma_list = _COMMA_LIST.fullmatch(token) is not None
    return spans


def _flagged_spans(command: re.Match[str]) -> list[tuple[int, int]]:
    tokens = _tokens(command)
    secret_only = _SECRET_ONLY.search(command.group()) is not None
    # the ``--name``'s argument, or the first positional that follows no flag
    named = [following for (token, _s), (following, _f) in pairwise(tokens) if _NAME_FLAG.fullmatch(token)]
    positionals = [
        t
        for i, (t, _s) in enumerate(tokens)
        if not t.startswith("-") and (i == 0 or not tokens[i - 1][0].startswith("-"))
    ]
    name = (named or positionals or [""])[0]
    spans: list[tuple[int, int]] = []
    for i, (token, start) in enumerate(tokens):
        flag, eq, glued = token.partition("=")
        if _VALUE_FLAG.fullmatch(flag) is None or (flag in ("-b", "-v") and eq):
            continue
        if eq:
            value, at = _unquoted(glued, start + len(flag) + 1)
        elif i + 1 < len(tokens):
            value, at = _unquoted(*tokens[i + 1])
        else:
            continue
        if (secret_only or _credential_name(name)) and _set_value(value):
            spans.append((at, at + len(value)))
    return spans


def setter_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the values a setter command stores under a credential's name."""
    spans: list[tuple[int, int]] = []
    for command in _POSITIONAL.finditer(text):
        spans += _positional_spans(command)
    if "=" in text:
        for command in _PAIRS.finditer(text):
            spans += _pairs_spans(command)
    if "-" in text:
        for command in _FLAGGED.finditer(text):
            spans += _flagged_spans(command)
    if "|" in text:
        spans += [
            m.span("v")
            for m in _PIPED.finditer(text)
            if _credential_name(m.group("name")) and _set_value(m.group("v"))
        ]
    return [("password-assignment", s, e) for s, e in spans]
