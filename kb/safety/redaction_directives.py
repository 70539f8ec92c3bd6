"""Secrets that a configuration language or a command line names by position, not by a ``NAME=``.

Device and proxy configuration languages put a password after a keyword sequence, with no ``=`` and
often no word "password" next to it; the name-based rules ask for one of those, so they read none:

* HAProxy's ``userlist``: ``user NAME insecure-password VALUE`` (the clear-text form; ``password``
  takes a crypt hash, which :func:`~kb.safety.redaction_files.crypt_hash_spans` keeps).
* SNMPv3 users: Cisco ``snmp-server user NAME GROUP v3 auth sha PASS priv aes 128 PASS``, Net-SNMP's
  ``createUser NAME SHA PASS AES PASS`` and Junos ``authentication-password``/``privacy-password``.
  ``snmp-server user … v3 encrypted …`` holds localized keys, not the passphrases: left alone.
* Routing and AAA keys: ``authentication-key [N md5] VALUE`` (Junos, Cisco OSPF, NTP),
  ``message-digest-key N md5 VALUE``, ``key-string VALUE``, ``tacacs-server key``/``radius-server
  key``, BGP ``neighbor X password VALUE``, Junos ``authentication md5 N key "VALUE"``.
* Type 0 (``key 0 VALUE``) says clear text, and so, in effect, does Cisco type 7
  (``username X password 7 <hex>``, ``key 7 <hex>``): a fixed XOR any public tool undoes in a second,
  so round 36 reads it as the password (round 25 had kept it as a stored form), wherever the line
  puts it (round 43: in backticks in a sentence, or after "type 7" in prose). Hashes stay: types
  5, 8 and 9 and Junos ``$9$`` (``$``-led, not read here); type 6 is AES under the device's master key.
* A keyword that says the next value is typed in clear: ArubaOS-CX ``user NAME … password plaintext
  PW`` and ``radius-server host H key plaintext KEY``, Comware ``password simple PW``/``key simple
  KEY`` (``ciphertext``, ``cipher`` and ``hash`` forms are stored forms and stay).
* SNMP community strings where the grammar names the field without the word "password" or a bare
  ``community V``: PAN-OS ``snmp-community-string V`` and its XML element, a quoted community
  (ProCurve ``snmp-server community "V" operator``), ExtremeXOS ``configure snmp add community
  readonly V`` (not ``encrypted``). The community's own name is its string in RouterOS and FortiOS
  (:mod:`kb.safety.redaction_gear` reads those blocks).

Command lines take secrets as positional arguments of a subcommand that says so:

* ``particle token revoke <token>``, ``vault token lookup <token>``: a verb on ``token`` whose
  argument is the token itself (when it is a random run: ``npm token revoke 1a2b3c`` is an id).
* ``confluent api-key store <key> <secret>``: the first positional is the key id, the second the
  secret.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_rules import Rule, _rule
from kb.safety.redaction_values import _placeholder_like, _position_value, _random_run, _token

__all__ = ["directive_rules"]

_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
# What a directive's value must not be: the next keyword of the directive, an algorithm's name
_DIRECTIVE_WORD: Final = re.compile(
    r"(?i)md5|sha\S*|des\S*|3des|aes\S*|priv|auth|encrypted|groups?|access|v[123]c?|\d{1,3}|hmac\S*|null"
)
# A quoted or bare value: ``"Tidal-Basin-63"``, ``Hawser-Knot-50``, ``EQniclGDXRIWqgZaNZpQl``
_VALUE: Final = r"(?P<q>\"?)(?P<v>[^\s\";{}]{4,128})(?P=q)(?=[\s;]|$)"


def _directive_value(value: str) -> bool:
    """What a password directive holds: anything typed but a placeholder, a variable, a hash or a
    keyword of the directive itself."""
    return not (
        _placeholder_like(value) or value.startswith(("$", "%", "<", "{")) or _DIRECTIVE_WORD.fullmatch(value)
    )


def _clear_value(value: str) -> bool:
    """A value typed in clear after its keyword: a password shape, not a word (``plaintext
    enabled``), a placeholder or a variable."""
    return _directive_value(value) and _position_value(value)


def _positional_token(value: str) -> bool:
    """A token typed as an argument: random, not a uuid (``npm token revoke <uuid>`` names one)."""
    return not _UUID.fullmatch(value) and (_token(value) or _random_run(value))


def directive_rules() -> list[Rule]:
    return [
        # HAProxy ``userlist``: ``user admin insecure-password <pw> [groups …]``
        _rule(
            "password-assignment",
            r"(?im)^[ \t]*user[ \t]+\S+[ \t]+insecure-password[ \t]+" + _VALUE,
            _directive_value,
            hints=("insecure-password",),
        ),
        # Cisco ``snmp-server user NAME GROUP [remote H] v3 auth {md5|sha…} PASS`` (not ``encrypted``)
        _rule(
            "password-assignment",
            r"(?i)\bsnmp-server[ \t]+user[ \t]+(?![^\n]*\bencrypted\b)[^\n]*?\bv3[ \t]+auth[ \t]+"
            r"(?:md5|sha\S*)[ \t]+" + _VALUE,
            _directive_value,
            hints=("snmp-server",),
        ),
        # and its ``priv {des|3des|aes 128|aes 192|aes 256} PASS``
        _rule(
            "password-assignment",
            r"(?i)\bsnmp-server[ \t]+user[ \t]+(?![^\n]*\bencrypted\b)[^\n]*?\bpriv[ \t]+"
            r"(?:des\d*|3des|aes(?:[ \t]+(?:128|192|256))?)[ \t]+" + _VALUE,
            _directive_value,
            hints=("snmp-server",),
        ),
        # Net-SNMP ``createUser [-e ID] NAME SHA PASS [AES PASS]``
        _rule(
            "password-assignment",
            r"(?i)\bcreateUser[ \t]+(?:-e[ \t]+\S+[ \t]+)?\S+[ \t]+(?:MD5|SHA\S*)[ \t]+" + _VALUE,
            _directive_value,
            hints=("createuser",),
        ),
        _rule(
            "password-assignment",
            r"(?i)\bcreateUser[ \t]+(?:-e[ \t]+\S+[ \t]+)?\S+[ \t]+(?:MD5|SHA\S*)[ \t]+\S+[ \t]+"
            r"(?:DES|AES\S*)[ \t]+" + _VALUE,
            _directive_value,
            hints=("createuser",),
        ),
        # Junos SNMPv3: ``authentication-sha authentication-password "…"``, ``privacy-password "…"``
        _rule(
            "password-assignment",
            r"(?i)\b(?:authentication|privacy)-password[ \t]+" + _VALUE,
            _directive_value,
            hints=("-password",),
        ),
        # Routing and AAA keys: ``authentication-key [N md5] V``, ``message-digest-key N md5 [0] V``,
        # ``key-string [0] V``, ``tacacs-server key [0] V``, ``neighbor X password [0] V`` (not 6 or 7),
        # Junos ``authentication md5 N key "V"``
        _rule(
            "password-assignment",
            r"(?i)(?:\bauthentication-key(?:[ \t]+\d{1,5}[ \t]+(?:md5|sha\S*))?"
            r"|\bmessage-digest-key[ \t]+\d{1,5}[ \t]+md5|\bkey-string|\b(?:tacacs|radius)-server[ \t]+key"
            r"|\bneighbor[ \t]+\S+[ \t]+password|\bauthentication[ \t]+md5[ \t]+\d{1,5}[ \t]+key)"
            r"(?:[ \t]+0(?=[ \t]))?[ \t]+(?![67][ \t])" + _VALUE,
            _directive_value,
            hints=("-key", "key-string", "neighbor", "md5"),
        ),
        # Cisco type 7 after a password or key directive (``username X password 7 <hex>``, ``enable
        # password 7``, ``key 7``, ``key-string 7``, ``message-digest-key 1 md5 7``): two decimal
        # digits (the XOR table's offset), then hex pairs; reversible, so the password itself
        _rule(
            "password-assignment",
            r"(?i)(?:\bpassword|\bsecret|\bkey|\bkey-string|\bauthentication-key|\bmd5)[ \t]+7[ \t]+"
            r"(?P<v>[0-9]{2}(?:[0-9A-F]{2}){2,60})(?=[ \t]*$|[ \t]+\S|[`'\"),;:\]]|\.(?!\w))",
            hints=(" 7 ",),
        ),
        # and told in prose, the line naming the form (``the type 7 string 094F471A1A0A``): a seed of
        # 00 to 15 and hex pairs in capitals, as IOS writes them
        _rule(
            "password-assignment",
            r"(?i)\btype[ \t-]?7\b[^\n]{0,80}?(?<![\w$./+=-])"
            r"(?-i:(?P<v>(?:0[0-9]|1[0-5])(?:[0-9A-F]{2}){4,60}))(?![\w$/+=-])",
            lambda v: re.search(r"[A-F]", v) is not None,
            hints=("type 7", "type-7", "type7"),
        ),
        # ``particle token revoke <token>``, ``vault token lookup <token>``
        _rule(
            "generic-api-key",
            r"(?i)\btokens?[ \t]+(?:revoke|delete|rm|remove|lookup|renew|inspect|info|show|validate|verify)"
            r"[ \t]+(?P<q>['\"]?)(?P<v>[A-Za-z0-9_\-.+/=]{20,200})(?P=q)(?=\s|$)",
            _positional_token,
            hints=("token",),
        ),
        # ``confluent api-key store <key> <secret>``: the second positional is the secret
        _rule(
            "generic-api-key",
            r"(?i)\bapi-?keys?[ \t]+(?:store|add|import)[ \t]+['\"]?[^\s'\"-][^\s'\"]*['\"]?[ \t]+"
            r"(?P<q>['\"]?)(?P<v>[A-Za-z0-9_\-.+/=]{16,200})(?P=q)(?=\s|$)",
            _positional_token,
            hints=("api-key", "apikey", "api-keys"),
        ),
        *_clear_text_rules(),
    ]


def _clear_text_rules() -> list[Rule]:
    """Values after a keyword that says they are typed in clear, and SNMP community strings."""
    return [
        # ``password plaintext PW``, ``key plaintext KEY``, ``password simple PW``: typed in clear
        _rule(
            "password-assignment",
            r"(?i)(?<![\w-])(?:password|passphrase|secret|key|psk|pre-shared-key)[ \t]+"
            r"(?:plaintext|plain-text|cleartext|clear-text|simple)[ \t]+" + _VALUE,
            _clear_value,
            hints=("plaintext", "plain-text", "cleartext", "clear-text", "simple"),
        ),
        # PAN-OS ``snmp-community-string V`` (and ``community-string V`` elsewhere), its XML element
        _rule(
            "password-assignment",
            r"(?i)(?<![\w-])(?:snmp-)?community-string[ \t]+" + _VALUE,
            _clear_value,
            hints=("community-string",),
        ),
        _rule(
            "password-assignment",
            r"(?i)<(?P<tag>(?:snmp-)?community(?:-string)?)>[ \t]*(?P<v>[^<>\s]{4,128})[ \t]*</(?P=tag)>",
            _clear_value,
            hints=("<community", "<snmp-community"),
        ),
        # a quoted community (``snmp-server community "V" operator``) and ExtremeXOS ``configure snmp
        # add community readonly|readwrite V`` (``… encrypted V`` is stored encrypted)
        _rule(
            "password-assignment",
            r"(?i)\bsnmp(?:-server)?[ \t]+community[ \t]+(?P<q>['\"])(?P<v>[^'\"\n]{4,64})(?P=q)",
            _clear_value,
            hints=("community",),
        ),
        _rule(
            "password-assignment",
            r"(?i)\bconfigure[ \t]+snmp[ \t]+add[ \t]+community[ \t]+(?:readonly|readwrite)[ \t]+"
            r"(?!encrypted\b)" + _VALUE,
            _clear_value,
            hints=("add community",),
        ),
    ]
