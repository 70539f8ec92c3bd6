"""Values inside containers, read with the container's syntax undone.

A rule that reads ``password="…"`` misses the same setting written inside another format's syntax:

* a JSON-escaped string (``{\\"password\\": \\"…\\"}``, a notebook's JSON ``"source"`` line with
  ``\\"`` and ``\\n``): read with the escapes undone;
* a name and its value as two elements: an Apple plist's ``<key>NAME</key><string>VALUE</string>``,
  an ``unattend.xml`` ``<Password><Value>VALUE</Value>``, a Gradle
  ``buildConfigField "String", "NAME", "\\"VALUE\\""`` or ``resValue "string", "name", "VALUE"``:
  read as ``NAME = "VALUE"``;
* a value quoted twice (``KEY = "\\"VALUE\\""``, webpack's ``'process.env.KEY': '"VALUE"'``,
  ``""VALUE""``): read quoted once.

Each reading is a :class:`View`: the rewritten text and, for each of its characters, the offset it
came from in the original (``-1`` for characters the view adds), so a value found in the view maps
back to the span it has in the original text. The redactor runs its rules on each view once (a view
is not read again for views of its own).

Two shapes no view explains are here too: a Kaggle-style ``{"username": …, "key": "<32 hex>"}`` pair
(the bare hex is the credential because a username stands beside it) and a vendor CLI's
``<tool> login <key>`` (``wandb login``, ``huggingface-cli login``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kb.safety.redaction_values import value_group

__all__ = ["View", "committed_ciphertext_spans", "container_views", "pair_key_spans"]


@dataclass(frozen=True)
class View:
    """Text rewritten from an original, and where each of its characters came from."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The original span of the view's ``[start, end)``, from its first and last copied characters."""
        copied = [p for p in self.origin[start:end] if p >= 0]
        if not copied:
            return None
        return copied[0], copied[-1] + 1


class ViewBuilder:
    """Builds a :class:`View`: copied stretches keep their original offsets, added text has ``at``
    (-1: none), so a finding in the view maps back to the original."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.origin: list[int] = []

    def copy(self, text: str, start: int, end: int) -> None:
        self.parts.append(text[start:end])
        self.origin.extend(range(start, end))

    def add(self, text: str, at: int = -1) -> None:
        self.parts.append(text)
        self.origin.extend([at] * len(text))

    def view(self) -> View:
        return View("".join(self.parts), tuple(self.origin))


# --- JSON escapes ------------------------------------------------------------------------------------

# A JSON-escaped quote, or a ``\n`` that ends a JSON string (a notebook's source line).
_JSON_ESCAPED: Final = re.compile(r'\\"|\\n"')
_ESCAPE: Final = re.compile(r'\\(["\\/nrt])')
_UNESCAPED: Final = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "r": "\r", "t": "\t"}


def _json_unescaped(text: str) -> View | None:
    if _JSON_ESCAPED.search(text) is None:
        return None
    out = ViewBuilder()
    position = 0
    for m in _ESCAPE.finditer(text):
        out.copy(text, position, m.start())
        char = _UNESCAPED[m.group(1)]
        # an unescaped quote stands where its escaped quote stood; a control character is new
        out.add(char, m.start(1) if char in '"\\/' else -1)
        position = m.end()
    out.copy(text, position, len(text))
    return out.view()


# --- a name and its value as two elements ----------------------------------------------------------

_PAIRS: Final = (
    # Apple plist: <key>KeychainPassword</key> <string>…</string>
    re.compile(
        r"<key>[ \t]*(?P<name>[^<>\n]{1,80}?)[ \t]*</key>\s*<string>(?P<value>[^<>\n]{1,400})</string>"
    ),
    # unattend.xml and similar: <Password> <Value>…</Value>, <AdministratorPassword> <Value>…</Value>
    re.compile(r"<(?P<name>[A-Za-z][\w.-]{0,60})>\s*<Value>(?P<value>[^<>\n]{1,400})</Value>"),
    # an XML element whose name ends in a credential word (Icecast ``<source-password>…</source-password>``,
    # ``<adminPassword>``, ``<ApiKey>``) or that is a short password word alone (a Koha or SIP2 config's
    # ``<pass>``, ``<pwd>``): read as ``NAME = "VALUE"``, so the assignment rules judge the
    # name and the value as in any config file. Not a name about one (``<password_sha256_hex>``,
    # ``<password-file>``) nor a plist's ``<key>`` (a name, paired above).
    re.compile(
        r"<(?!key>)(?P<name>[A-Za-z][\w.:-]{0,60}?(?i:pass(?:word|wd|phrase)?|pwd|secret|token|key|credentials?)"
        r"|(?i:pass|pwd|pswd|passcode))>"
        r"(?P<value>[^<>\n]{1,400})</(?P=name)>"
    ),
    # Gradle: buildConfigField "String", "ANALYTICS_KEY", "\"…\"" (Groovy also writes ``'"…"'``, a copy
    # that lost the escapes ``""…""``, a bare ``"…"``) and resValue "string", "maps_key", "…"
    re.compile(
        r"\b(?:buildConfigField|resValue)[ \t(]+[\"'][\w.<>]+[\"'][ \t]*,[ \t]*[\"'](?P<name>\w{1,80})[\"']"
        r"[ \t]*,[ \t]*(?:\"\\\"|'\"|\"\"|[\"'])(?P<value>[^\"'\\\n]{1,400})(?:\\\"\"|\"'|\"\"|[\"'])"
    ),
)


def _name_value_pairs(text: str) -> View | None:
    if "</" not in text and "buildConfigField" not in text and "resValue" not in text:
        return None
    found = sorted((m for p in _PAIRS for m in p.finditer(text)), key=lambda m: m.start())
    if not found:
        return None
    out = ViewBuilder()
    position = 0
    for m in found:
        if m.start() < position:
            continue
        out.copy(text, position, m.start())
        out.copy(text, *m.span("name"))
        out.add(' = "')
        out.copy(text, *m.span("value"))
        out.add('"')
        position = m.end()
    out.copy(text, position, len(text))
    return out.view()


# --- a value quoted twice ----------------------------------------------------------------------------

# A string literal whose content is itself a quoted literal: a build tool's define or generated
# constant (``"\"…\""``, Groovy and webpack's ``'"…"'``, ``""…""`` where a copy lost the escapes,
# ``"'…'"``). The value inside is one token, no space at either end.
_TWICE_QUOTED: Final = re.compile(
    r"(?P<outer>[\"'])(?P<inner>\\?[\"'])(?P<value>[^\s\"'\\](?:[^\"'\\\n]{0,398}[^\s\"'\\])?)(?P=inner)(?P=outer)"
)


def _quoted_once(text: str) -> View | None:
    """``text`` with the inner layer of each twice-quoted value dropped: ``KEY = "\"v\""`` reads as
    ``KEY = "v"``."""
    found = list(_TWICE_QUOTED.finditer(text))
    if not found:
        return None
    out = ViewBuilder()
    position = 0
    for m in found:
        out.copy(text, position, m.end("outer"))
        out.copy(text, *m.span("value"))
        out.add(m.group("outer"), m.end() - 1)
        position = m.end()
    out.copy(text, position, len(text))
    return out.view()


def container_views(text: str) -> list[View]:
    """The readings of ``text`` with a container's syntax undone (none when it has no such syntax)."""
    views = [_json_unescaped(text), _name_value_pairs(text), _quoted_once(text)]
    return [v for v in views if v is not None]


# --- shapes no view explains -------------------------------------------------------------------------

# ``{"username": "…", "key": "<32 hex>"}`` (kaggle.json and its kin), in either order.
_USER_FIELD: Final = r"\"user(?:name)?\"[ \t]*:[ \t]*\"[^\"\n]+\""
_USER_AND_KEY: Final = re.compile(
    rf"\{{[^{{}}\n]*{_USER_FIELD}[^{{}}\n]*?\"key\"[ \t]*:[ \t]*\"(?P<v>[0-9a-f]{{32,64}})\""
    rf"|\{{[^{{}}\n]*?\"key\"[ \t]*:[ \t]*\"(?P<v2>[0-9a-f]{{32,64}})\"[^{{}}\n]*{_USER_FIELD}"
)
# A vendor CLI that takes its API key as an argument: ``wandb login <key>``, ``huggingface-cli login
# --token <key>``.
_CLI_LOGIN: Final = re.compile(
    r"(?i)\b(?:wandb|huggingface-cli|hf)[ \t]+login[ \t]+(?:--(?:relogin|verify|cloud)[ \t]+)*"
    r"(?:--(?:token|key)[ \t=]+)?['\"]?(?P<v>[A-Za-z0-9_\-]{32,})(?![\w-])"
)


def pair_key_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of a key beside a username and of a key given to a vendor CLI's login."""
    spans: list[tuple[str, int, int]] = []
    if '"key"' in text:
        for m in _USER_AND_KEY.finditer(text):
            group = value_group(m)
            spans.append(("api-key", *m.span(group)))
    if "login" in text:
        for m in _CLI_LOGIN.finditer(text):
            value = m.group("v")
            if re.search(r"\d", value) and re.search(r"[A-Za-z]", value):
                spans.append(("api-key", *m.span("v")))
    return spans


# --- ciphertext meant to be committed ------------------------------------------------------------------

_SEALED_YAML: Final = re.compile(r"(?m)^(?P<indent>[ \t]*)encryptedData:[ \t]*$")
_SEALED_JSON: Final = re.compile(r"\"encryptedData\"[ \t]*:[ \t]*\{[^{}]*\}")


# A sops value (``ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]``), a hiera-eyaml value
# (``ENC[PKCS7,<base64>]`` or ``ENC[GPG,…]``, one line or folded over several in a YAML block) and
# Vault transit ciphertext (``vault:v1:<base64>``): ciphertext whole, so no rule reads a part of one
# (the ``iv:…`` as a ``user:password`` pair) and no name above one makes it a password. eyaml's
# ``DEC(…)::PKCS7[…]!`` is the clear value being edited, and stays a secret.
_INLINE_CIPHERTEXT: Final = re.compile(
    r"\bENC\[[A-Z0-9_]{2,32},data:[A-Za-z0-9+/=]*(?:,[a-z]{1,8}:[A-Za-z0-9+/=_\-]*)*\]"
    r"|\bENC\[(?:PKCS7|GPG),[A-Za-z0-9+/=]{16,}(?:\s*\n[ \t]*[A-Za-z0-9+/=]+)*\]"
    r"|(?<![\w:])vault:v\d{1,4}:[A-Za-z0-9+/]{16,}={0,2}"
)


def committed_ciphertext_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ciphertext written to be committed: a sealed-secrets ``encryptedData`` map (YAML or
    JSON), whose values only the cluster's controller can open, sops and hiera-eyaml ``ENC[…]``
    values and Vault transit ``vault:v1:…`` ciphertext."""
    spans: list[tuple[int, int]] = []
    if "ENC[" in text or "vault:v" in text:
        spans = [m.span() for m in _INLINE_CIPHERTEXT.finditer(text)]
    if "encryptedData" not in text:
        return spans
    spans += [m.span() for m in _SEALED_JSON.finditer(text)]
    for m in _SEALED_YAML.finditer(text):
        indent = len(m.group("indent").expandtabs())
        end = position = m.end() + 1
        for line in text[position:].split("\n"):
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            position += len(line) + 1
            end = min(position, len(text))
        spans.append((m.end(), end))
    return spans
