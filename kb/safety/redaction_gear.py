"""Credentials in device and installer configurations, vendor ingest endpoints and chat prose, and the
stored hashes and public records beside them that stay.

Secrets (:func:`gear_credential_spans`):

* network gear running configs: Cisco ``key 0 X`` (clear text, type 0) and ``key X`` under a
  ``tacacs``/``radius`` server, Junos ``plain-text-password-value X``; types 5/7/8/9 and Junos
  ``$9$`` are stored hashes or obfuscations and stay;
* an SNMP community whose name is its string: RouterOS ``/snmp community add|set … name=V`` (on the
  line or under a ``/snmp community`` section of an export), FortiOS ``set name "V"`` inside ``config
  system snmp community``;
* the Neo4j image's ``NEO4J_AUTH=user/PW``: the password alone;
* Kickstart ``rootpw [--plaintext] X``; ``--iscrypted`` and ``--lock`` stay;
* vendor ingest auth headers (``x-honeycomb-team``, ``dd-api-key``, ``x-sf-token``, …) in an
  OpenTelemetry collector's ``headers:`` or a ``curl -H``, and every vendor's key in the SDKs'
  ``OTEL_EXPORTER_OTLP_HEADERS=name=V,…`` (``Authorization=Basic%20V``, ``api-key=V`` …);
* Magento ``env.php`` ``'crypt' => ['key' => '…']``;
* a Sumo Logic HTTP-source URL (its path is the credential);
* a MongoDB replica-set keyfile pasted under the comment or ``cat`` that names it;
* credentials told in prose (:func:`_told_spans`, the one rule set for them): ``console is netops /
  PW``, ``local admin is wbadmin / PW``, ``login with PW, please rotate``, ``service code is PW,
  please don't share``.

Kept (:func:`gear_public_spans`): Django's ``pbkdf2_sha256$…`` hashes, GRUB ``grub.pbkdf2.sha512.…``
hashes, Akamai ``akab-….luna.akamaiapis.net`` API host names and DNSSEC/DANE record data
(``DNSKEY``, ``DS``, ``TLSA``, ``SSHFP``).
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import (
    _entropy,
    _flag_value,
    _password_value,
    _placeholder_like,
    _position_value,
    _token,
)

__all__ = ["gear_credential_spans", "gear_public_spans"]


def _password_shape(value: str) -> bool:
    return not _placeholder_like(value) and value[0] not in "$%<{`(" and _password_value(value)


def _token_shape(value: str) -> bool:
    return not _placeholder_like(value) and _token(value)


# --- network gear ---------------------------------------------------------------------------------

# ``key 0 X`` says the key is in clear (``0``); a key with no type is clear only on a TACACS+/RADIUS
# server line or under one. ``key 7 …``/``key 6 …`` are obfuscated or encrypted forms and stay.
_CISCO_KEY: Final = re.compile(
    r"(?m)^[ \t]*(?P<head>(?:(?:tacacs|radius)-server\b[^\n]*?\s|server-private\b[^\n]*?\s)?)"
    r"key\s+(?P<zero>0\s+)?(?P<v>(?!\d\s)[^\s\"']+)[ \t]*$"
)
_AAA_SERVER: Final = re.compile(r"(?im)^[ \t]*(?:tacacs|radius)[ -]server\b|^[ \t]*aaa\s+group\s+server\b")
# ``NEO4J_AUTH=neo4j/PW`` (the Neo4j image's ``user/password``): the user stays readable
_NEO4J_AUTH: Final = re.compile(r"\bNEO4J_AUTH[\"']?[ \t]*[:=][ \t]*[\"']?[\w.\-]{1,32}/(?P<v>[^\s\"'`,;]+)")
_JUNOS_PLAIN: Final = re.compile(r"\bplain-text-password-value\s+(?P<q>\"?)(?P<v>[^\s\"]+)(?P=q)")


# RouterOS names a community by its string: ``/snmp community set [ find default=yes ] name=V`` or,
# in an export, ``add``/``set`` lines under a ``/snmp community`` section line (a ``[ find … ]``
# selector is skipped: its ``name=`` picks the entry, the one after it sets the string)
_ROUTEROS_SECTION: Final = re.compile(r"(?m)^[ \t]*/snmp[ \t]+community\b(?P<rest>[^\n]*)$")
_ROUTEROS_COMMAND: Final = re.compile(
    r"^[ \t]*(?:add|set)\b(?:\[[^\]\n]*\]|[^\n\[])*?[ \t]name=(?P<q>\"?)(?P<v>[^\s\"]{4,128})(?P=q)(?=\s|$)"
)
# FortiOS: ``config system snmp community`` … ``edit N`` … ``set name "V"`` … ``end`` (at its indent)
_FORTIOS_SECTION: Final = re.compile(
    r"(?m)^(?P<indent>[ \t]*)config[ \t]+system[ \t]+snmp[ \t]+community[ \t]*$"
)
_FORTIOS_NAME: Final = re.compile(
    r"(?m)^[ \t]+set[ \t]+name[ \t]+(?P<q>\"?)(?P<v>[^\s\"]{4,128})(?P=q)[ \t]*$"
)


def _community_name_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for section in _ROUTEROS_SECTION.finditer(text):
        # the command on the section's line, then the lines under it up to the next ``/`` section
        # or a blank line
        lines = [(section.start("rest"), section.group("rest"))]
        position = section.end() + 1
        while position < len(text):
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            line = text[position:end]
            if not line.strip() or line.lstrip().startswith("/"):
                break
            lines.append((position, line))
            position = end + 1
        for start, line in lines:
            m = _ROUTEROS_COMMAND.match(line)
            if m is not None and _community_value(m.group("v")):
                spans.append(("password-assignment", start + m.start("v"), start + m.end("v")))
    for section in _FORTIOS_SECTION.finditer(text):
        close = re.compile(rf"(?m)^{re.escape(section.group('indent'))}end\b")
        closing = close.search(text, section.end())
        for m in _FORTIOS_NAME.finditer(text, section.end(), closing.start() if closing else len(text)):
            if _community_value(m.group("v")):
                spans.append(("password-assignment", *m.span("v")))
    return spans


def _community_value(value: str) -> bool:
    # ``public``/``private`` are the defaults everyone knows, and a word is a name
    return not value.startswith(("$", "<", "{", "%")) and _position_value(value)


def _gear_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    if "community" in text:
        spans += _community_name_spans(text)
    aaa = _AAA_SERVER.search(text) is not None
    for m in _CISCO_KEY.finditer(text):
        if (m.group("zero") or m.group("head") or aaa) and _password_shape(m.group("v")):
            spans.append(("password-assignment", *m.span("v")))
    spans += [
        ("password-assignment", *m.span("v"))
        for pattern in (_JUNOS_PLAIN, _NEO4J_AUTH)
        for m in pattern.finditer(text)
        if _password_shape(m.group("v"))
    ]
    return spans


# --- installers -----------------------------------------------------------------------------------

_ROOTPW: Final = re.compile(r"(?m)^[ \t]*rootpw\b(?P<opts>[^\n]*)$")


def _rootpw_spans(text: str) -> list[tuple[str, int, int]]:
    """Kickstart ``rootpw [--plaintext] PW``: the one argument that is no option, unless the line
    says it is a hash (``--iscrypted``) or locks the account."""
    spans: list[tuple[str, int, int]] = []
    for m in _ROOTPW.finditer(text):
        opts = m.group("opts")
        if re.search(r"--iscrypted\b|--lock\b", opts):
            continue
        for arg in re.finditer(r"\S+", opts):
            if not arg.group().startswith("--") and _password_shape(arg.group()):
                spans.append(
                    ("password-assignment", m.start("opts") + arg.start(), m.start("opts") + arg.end())
                )
                break
    return spans


# --- vendor endpoints -----------------------------------------------------------------------------

# Ingest headers whose value is the account's API key (Honeycomb, Datadog, Splunk Observability,
# New Relic, Lightstep, SigNoz, Axiom, generic ``x-api-key``/``api-key``).
_VENDOR_HEADER: Final = re.compile(
    r"(?im)(?:^|[\s\"'{,])[\"']?(?:x-honeycomb-team|dd-api-key|x-sf-token|x-insert-key|x-license-key"
    r"|api-key|x-api-key|lightstep-access-token|signoz-access-token|signoz-ingestion-key)[\"']?"
    r"[ \t]*[:=][ \t]*[\"']?(?P<v>[A-Za-z0-9_\-.+/=]{16,512})(?![A-Za-z0-9_\-.+/=])[\"']?"
)
_MAGENTO_CRYPT: Final = re.compile(
    r"'crypt'\s*=>\s*(?:\[|array\s*\()\s*'key'\s*=>\s*(?P<q>['\"])(?P<v>[^'\"\n]{16,})(?P=q)"
)
_SUMO_URL: Final = re.compile(
    r"https://[\w.\-]*\.sumologic\.com/receiver/v1/(?:http|otlp|kinesis|cloudwatch)/"
    r"(?P<tok>[A-Za-z0-9+/=_\-]{20,})"
)


# The OpenTelemetry SDKs' exporter headers (``OTEL_EXPORTER_OTLP[_TRACES]_HEADERS``, the Java agent's
# ``otel.exporter.otlp.headers``): ``name=value`` pairs, comma-separated, where any vendor puts its key.
_OTLP_HEADERS: Final = re.compile(
    r"(?i)\b(?:OTEL_EXPORTER_OTLP(?:_(?:TRACES|METRICS|LOGS))?_HEADERS|otel\.exporter\.otlp"
    r"(?:\.(?:traces|metrics|logs))?\.headers)[\"']?[ \t]*[:=][ \t]*[\"']?"
    r"(?P<list>[^\s\"'`]+(?:[ \t][^\s\"'`=,]+)*)"
)
# The pair's name says it carries a credential: a vendor's header or any key, token or auth name
_OTLP_CREDENTIAL_NAME: Final = re.compile(
    r"(?i)x-honeycomb-team|dd-api-key|x-sf-token|[\w-]*(?:api-?key|token|auth\w*|secret|license-key"
    r"|insert-key|ingestion-key|dsn)"
)
_OTLP_PAIR: Final = re.compile(
    r"(?P<name>[^=,\s]+)=(?:(?P<scheme>Basic|Bearer|Api-Token|ApiKey|Token|GenieKey)(?:%20|[ \t]+))?"
    r"(?P<v>[^,\s]+)"
)


def _otlp_header_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for headers in _OTLP_HEADERS.finditer(text):
        for m in _OTLP_PAIR.finditer(text, headers.start("list"), headers.end("list")):
            value = m.group("v")
            if (
                _OTLP_CREDENTIAL_NAME.fullmatch(m.group("name"))
                and len(value) >= 8
                and not _placeholder_like(value)
            ):
                kind = "bearer-token" if m.group("scheme") == "Bearer" else "generic-api-key"
                spans.append((kind, *m.span("v")))
    return spans


def _endpoint_spans(text: str) -> list[tuple[str, int, int]]:
    spans = _otlp_header_spans(text) if "otlp" in text.lower() else []
    spans += [
        ("generic-api-key", *m.span("v")) for m in _VENDOR_HEADER.finditer(text) if _token_shape(m.group("v"))
    ]
    spans += [
        ("generic-api-key", *m.span("v")) for m in _MAGENTO_CRYPT.finditer(text) if _token_shape(m.group("v"))
    ]
    spans += [("webhook-url", *m.span()) for m in _SUMO_URL.finditer(text) if _entropy(m.group("tok")) >= 3.5]
    return spans


# --- a keyfile pasted under the line that names it ------------------------------------------------

_KEYFILE_NAME: Final = re.compile(
    r"(?im)^[ \t]*(?:(?:#|//)[^\n]*|(?:\$\s+)?(?:sudo\s+)?cat\s[^\n]*)\bkey[-_.]?file\b[^\n]*$"
)
_BASE64_LINE: Final = re.compile(r"\n[ \t]*(?P<v>[A-Za-z0-9+/=]{40,1024})[ \t]*(?=\n|$)")


def _keyfile_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for named in _KEYFILE_NAME.finditer(text):
        position = named.end()
        while (line := _BASE64_LINE.match(text, position)) is not None:
            if _entropy(line.group("v")) < 4.0:
                break
            spans.append(("generic-api-key", *line.span("v")))
            position = line.end()
    return spans


# --- credentials told in prose --------------------------------------------------------------------

# ``console is netops / PW``, ``creds are admin/PW``, ``iLO on host is Administrator / PW``: a user
# and a password told as a pair.
_TOLD_PAIR: Final = re.compile(
    r"(?i)\b(?:console|login|creds?|credentials|account|user(?:name)?|admin(?:istrator)?|root|superuser"
    r"|(?:user(?:name)?|login)/pass(?:word)?|u/p"
    # a server's out-of-band controller, on a host: ``iLO on odoo-1 is Administrator / PW``
    r"|(?:ilo\d?|idrac\d?|ipmi|bmc|xcc|imm2?|cimc)(?:[ \t]+(?:on|for|of|at)[ \t]+[\w.\-]+)?"
    r")\s*(?:(?<=\s)(?:is|are|was)|=|:)\s+"
    r"[\w.@\-]{2,32}\s*/\s*(?P<v>[^\s/,;]+?)(?=[.,;)]?(?:\s|$))"
)
# ``login with PW, please rotate``: a password given with a request to rotate or change it.
_TOLD_WITH: Final = re.compile(
    r"(?i)\b(?:login|log[ -]?in|password|passphrase|creds?|credentials)\s+with\s+(?P<v>[^\s,;]+?)"
    r"(?=[.,;]?\s)[^\n]*\b(?:rotate|rotated|rotation|change[ds]?|reset)\b"
)


# A code or password told in prose that the same line asks to keep (``kiosk service code is <pw>,
# please don't share``): the request says it is a credential, the value has a password's shape.
_KEEP_SECRET: Final = re.compile(
    r"(?i)\b(?:don'?t|do[ \t]+not|never)[ \t]+(?:share|forward|repost|paste|give[ \t]+out)\b"
    r"|\bkeep[ \t]+(?:it|this)[ \t]+(?:private|secret|to[ \t]+yourself)\b"
)
_KEEP_WORDS: Final = ("share", "keep", "forward", "paste")  # a cheap test before reading each line
_TOLD_CODE: Final = re.compile(
    r"(?i)\b(?:code|pin|passcode|password|passphrase|combination)[ \t]+(?:is|was|=|:)[ \t]*['\"`]?"
    r"(?P<v>[A-Za-z0-9][^\s'\"`,;]{7,63}?)['\"`]?(?=[.,;:!?]?(?:\s|$))"
)


def _told_code_value(value: str) -> bool:
    """A kept code may read as a password or as a token; a path, an address or a URL is none."""
    return (
        not _placeholder_like(value)
        and (_password_value(value) or _token(value))
        and re.search(r"[/\\@]", value) is None
    )


def _told_spans(text: str) -> list[tuple[str, int, int]]:
    """Credentials told in prose: a pair, a password given with a request to rotate it, and a code on
    a line that asks to keep it."""
    spans = [
        ("password-assignment", *m.span("v"))
        for m in _TOLD_WITH.finditer(text)
        if _password_shape(m.group("v"))
    ]
    # told as a pair, random mixed-case letters are a password too (a word or a name is not)
    spans += [
        ("password-assignment", *m.span("v"))
        for m in _TOLD_PAIR.finditer(text)
        if _password_shape(m.group("v")) or (_flag_value(m.group("v")) and m.group("v")[0] not in "$%<{`(")
    ]
    if not any(word in text for word in _KEEP_WORDS):
        return spans
    for line in re.finditer(r"[^\n]+", text):
        if _KEEP_SECRET.search(line.group(0)) is None:
            continue
        spans += [
            ("password-assignment", line.start() + m.start("v"), line.start() + m.end("v"))
            for m in _TOLD_CODE.finditer(line.group(0))
            if _told_code_value(m.group("v"))
        ]
    return spans


def gear_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the credentials this module reads."""
    return (
        _gear_spans(text)
        + _rootpw_spans(text)
        + _endpoint_spans(text)
        + _keyfile_spans(text)
        + _told_spans(text)
    )


# --- kept: stored hashes and public records -------------------------------------------------------

_KEPT: Final = re.compile(
    # Django's password hashers: ``algorithm$iterations$salt$hash`` (and ``sha1$salt$hash``)
    r"(?<![\w$])(?:pbkdf2_sha(?:1|256|512)|bcrypt_sha256|argon2|scrypt|sha1|md5)\$[A-Za-z0-9./+=$]{20,}"
    # GRUB 2's ``grub-mkpasswd-pbkdf2`` output
    r"|\bgrub\.pbkdf2\.sha(?:256|512)\.\d+\.[0-9A-Fa-f]+\.[0-9A-Fa-f]+"
    # Akamai API host names (the ``host =`` of ``.edgerc``): a name, not the client token
    r"|\bakab-[a-z0-9\-]+\.luna(?:-imaging)?\.akamaiapis\.net\b"
    # DNSSEC and DANE record data: public keys, digests of them, certificate associations
    r"|(?:\bIN|\b\d+)[ \t]+(?:DNSKEY|CDNSKEY|DS|CDS|TLSA|SMIMEA|SSHFP)[ \t]+\d+[ \t]+\d+(?:[ \t]+\d+)?"
    r"[ \t]+[A-Za-z0-9+/= \t]+"
)


def gear_public_spans(text: str) -> list[tuple[int, int]]:
    return [
        m.span()
        for m in _KEPT.finditer(text)
        if not m.group().startswith(("md5", "sha1")) or m.group().count("$") >= 2
    ]
