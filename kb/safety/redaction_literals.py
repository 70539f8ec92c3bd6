"""Secrets handed over as literals where the key beside them names them, in shapes the ``NAME=VALUE``
rules do not read.

* ``kubectl create secret generic NAME --from-literal=password=<value>``: the flag takes
  ``KEY=VALUE`` and the key says what the value is. ``--from-literal=username=admin`` names no secret.
* A Windows registry export (``regedit``'s ``.reg``): ``"BrokerPassword"="<value>"`` lines under a
  ``[HKEY_…]`` key; a value whose name says password, secret, token or a qualified key holds one.
  A binary value (``hex:…``, DPAPI) is kept by the redactor's not-a-secret values.
* An INI/env/YAML line whose key ends in a phrase name (``engineer_pin_phrase=<value>``,
  ``PASSPHRASE=…``): a PIN phrase or passphrase is typed like a password.
* A password after ``basic pass``/``basic auth password`` in a remark: HTTP Basic names a credential,
  so a random run of mixed-case letters there is the password, not a word.

Generated passwords are often letters only (``spnwdlMzKeIvvz``): where the key names a secret, a random
mixed-case run is taken as :func:`~kb.safety.redaction_values._flag_value` takes it after a
password flag; a word, a CamelCase name, a placeholder or a reference is not.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_rules import Rule, _rule
from kb.safety.redaction_values import _flag_value, _placeholder_like, _position_value, _reference_value

__all__ = ["literal_rules"]

# The end of a key that names a secret (``password``, ``DB_PASSWORD``, ``api-token``, ``secret_key``)
_SECRET_KEY_END: Final = (
    r"(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_\-]?key|access[_\-]?key|secret[_\-]?key"
    r"|private[_\-]?key|auth[_\-]?key|credentials?)"
)

# The end of a key that names a typed phrase (``pin_phrase``, ``PASSPHRASE``, ``unlock-phrase``)
_PHRASE_KEY_END: Final = r"(?:pin|pass|unlock|secret|recovery)[_\-.]?phrase"


def _random_letters(value: str) -> bool:
    """Mixed-case letters as a generator draws them (``spnwdlMzKeIvvz``): CamelCase names are made of
    words, so many one- or two-letter parts, or five consonants in a row, say no words were joined."""
    if len(value) < 10 or re.fullmatch(r"[A-Za-z]+", value) is None or value.islower() or value.isupper():
        return False
    parts = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", value)
    short = sum(len(part) <= 2 for part in parts)
    return (len(parts) >= 4 and short >= 2) or re.search(r"[b-df-hj-np-tv-xz]{5}", value.lower()) is not None


def _literal_value(value: str) -> bool:
    """A secret typed as a literal: a password shape or random mixed-case letters; not a placeholder,
    a reference (``$PW``, ``./pw.txt``) or a template."""
    if _placeholder_like(value) or _reference_value(value) or value.startswith(("<", "{", "%")):
        return False
    return _position_value(value) or _flag_value(value) or _random_letters(value)


def literal_rules() -> list[Rule]:
    return [
        # ``kubectl create secret generic wms-db --from-literal=password=<value>`` (and
        # ``--from-literal 'DB_PASSWORD=<value>'``): the key before the second ``=`` names the value
        _rule(
            "password-assignment",
            r"(?i)--from-literal(?:=|[ \t]+)['\"]?[\w.\-]*?" + _SECRET_KEY_END + r"="
            r"(?P<v>[^\s'\"]{4,200})(?=['\"]?(?:\s|$))",
            _literal_value,
            hints=("--from-literal",),
        ),
        # a registry export's string value: ``"BrokerPassword"="<value>"`` (regedit writes no spaces)
        _rule(
            "password-assignment",
            r"(?im)^[ \t]*\"[^\"\n]{0,60}?" + _SECRET_KEY_END + r"\"=\"(?P<v>[^\s\"]{4,200})\"[ \t]*$",
            _literal_value,
            hints=('"="',),
        ),
        # a phrase a person types to unlock something (``engineer_pin_phrase=<value>``,
        # ``unlock-passphrase: <value>``) on a config line: the name says the value is the phrase
        _rule(
            "password-assignment",
            r"(?im)^[ \t]*(?:export[ \t]+)?['\"]?[\w.\-]*?"
            + _PHRASE_KEY_END
            + r"['\"]?[ \t]*[:=][ \t]*['\"]?(?P<v>[^\s'\"]{6,200})['\"]?[ \t]*(?:[#;].*)?$",
            _literal_value,
            hints=("phrase",),
        ),
        # ``# TODO remove: upstream edi basic pass <value>``, ``basic auth password: <value>``
        _rule(
            "password-assignment",
            r"(?i)\bbasic(?:[ \t_\-]?auth)?[ \t]+pass(?:word|wd)?[ \t]*(?:[:=]|\bis\b)?[ \t]*['\"`]?"
            r"(?P<v>[^\s'\"`]{6,128}?)['\"`]?(?=[\s.,;)]|$)",
            _literal_value,
            hints=("basic",),
        ),
    ]
