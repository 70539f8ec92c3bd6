"""Keys an application holds, known by the framework or SDK that names them, and the public ids
beside them.

Secrets (:func:`client_key_credential_spans`):

* Django's ``SECRET_KEY`` as ``get_random_secret_key()`` writes it: 50 characters of lower-case
  letters, digits and ``!@#$%^&*(-_=+)``, which the assignment rules read as code at its ``(``;
* a CMS's site secret, named by the CMS and random whatever its alphabet (32 hex is the common
  shape, and hex alone reads as a digest): Drupal's ``$settings['hash_salt']`` (and Drupal 7's
  ``$drupal_hash_salt``), MediaWiki's ``$wgSecretKey``/``$wgUpgradeKey``, Moodle's
  ``$CFG->passwordsaltmain``, Joomla's ``public $secret``;
* the key a vendor SDK's client takes as its first argument, where the constructor names the
  vendor: ``meraki.DashboardAPI('<40 hex>')``, ``shodan.Shodan(…)``, ``pyowm.OWM(…)``,
  ``cohere.Client(…)``, ``telebot.TeleBot(…)``, ``LinodeClient(…)``, ``TodoistAPI(…)``,
  ``heroku3.from_key(…)``.

* the key a search engine's client takes second, after its application id or host:
  ``algoliasearch('APPID', '<key>')``, ``SearchClient.create(…)``, ``meilisearch.Client(url, '<key>')``,
  unless the line calls it a search-only key.

* an OAuth client's ``client_secret`` (and a consumer's or app's secret) whatever its alphabet, when
  it mixes letters and digits (Looker's INI holds ``client_secret=words-and-digits43``).

Kept (:func:`client_key_public_spans`): a Duo integration key (``DI`` and 18 upper-case letters and
digits, Duo's ``ikey``/``client_id``; its ``skey`` is the secret) on a line that names Duo or the key,
a Mailgun public validation key (``pubkey-`` and 32 hex) and New Relic's browser-agent
``licenseKey`` (``NRJS-`` and 19 hex), made to ship to browsers, and a Confluent Cloud API key (16
upper-case letters and digits under a Confluent name), the public half of the key and secret pair.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_positions import _typed_in

__all__ = ["client_key_credential_spans", "client_key_public_spans", "search_client_key_spans"]

_DJANGO_SECRET_KEY: Final = re.compile(
    r"(?i)\b(?:DJANGO_)?SECRET_KEY['\"]?[ \t]*(?:=|:|=>)[ \t]*(?P<q>['\"]?)"
    r"(?P<v>[a-z0-9!@#$%^&*(\-_=+)]{40,64})(?P=q)(?![^\s,;)\]}#])"
)


def _django_key(value: str) -> bool:
    return (
        re.search(r"[a-z]", value) is not None
        and re.search(r"[0-9]", value) is not None
        and re.search(r"[!@#$%^&*(\-_=+)]", value) is not None
        and len(set(value)) >= 16
    )


_CMS_SITE_SECRET: Final = re.compile(
    r"(?:\$settings\[[ \t]*['\"]hash_salt['\"][ \t]*\]|\$drupal_hash_salt|\$wg(?:SecretKey|UpgradeKey)"
    r"|\$CFG->passwordsalt(?:main|alt\d*)|\bpublic[ \t]+\$secret)"
    r"[ \t]*=[ \t]*(?P<q>['\"])(?P<v>[^'\"\n]{12,256})(?P=q)"
)


def _random_literal(value: str) -> bool:
    return _typed_in(value) and " " not in value and len(set(value)) >= 8


# ``meraki.DashboardAPI('…')``, ``DashboardAPI(api_key='…')`` is read by the keyword rules
_SDK_CLIENT: Final = re.compile(
    r"(?<![\w.])(?:meraki\.)?DashboardAPI|\bshodan\.Shodan|(?<![\w.])(?:pyowm\.)?OWM|\bcohere\.Client(?:V2)?"
    r"|\btelebot\.TeleBot|(?<![\w.])(?:linode_api4\.)?LinodeClient|(?<![\w.])TodoistAPI|\bheroku3\.from_key"
)
_FIRST_ARGUMENT: Final = re.compile(r"[ \t]*\([ \t]*(?P<q>['\"])(?P<v>[^'\"\n]{16,128})(?P=q)")


# A search engine's client that takes an application id or host first and its key second: Algolia's
# ``algoliasearch(appId, key)`` and ``SearchClient.create(appId, key)`` (Python, PHP ``::create``, Java,
# Ruby ``Algolia::Search::Client.create``), Go's ``search.NewClient(appId, key)``, Meilisearch's
# ``meilisearch.Client(url, key)``. The key is an admin or write key unless the line says it is a
# search-only one (those ship to browsers), or the client is Algolia's search-only ``liteClient``.
_SEARCH_CLIENT: Final = re.compile(
    r"(?<![\w.])(?:algoliasearch\.)?algoliasearch|\bSearchClient(?:\.|::)create|\bsearch\.NewClient"
    r"|\bAlgolia::Search::Client\.create|\bmeilisearch\.Client"
)
_SECOND_ARGUMENT: Final = re.compile(
    r"[ \t]*\([ \t]*(?:(?P<q1>['\"])[^'\"\n]{1,200}(?P=q1)|[\w.\[\]'\"]{1,80})[ \t]*,[ \t]*"
    r"(?P<q>['\"])(?P<v>[^'\"\n]{16,128})(?P=q)"
)
# (an InstantSearch front end names its client ``searchClient``: the key it holds is search-only)
_SEARCH_ONLY: Final = re.compile(
    r"(?i)search[ _-]?(?:only|key|client)|\bpublic\b|lite[ _-]?client|instantsearch"
)


def _sdk_spans(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for call in _SDK_CLIENT.finditer(text):
        m = _FIRST_ARGUMENT.match(text, call.end())
        if m is not None and _random_literal(m.group("v")):
            spans.append(("generic-api-key", *m.span("v")))
    return spans


def search_client_key_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the keys search clients take second (read after the format rules, which
    name the vendor when they know the key)."""
    spans: list[tuple[str, int, int]] = []
    if "(" not in text:
        return spans
    for call in _SEARCH_CLIENT.finditer(text):
        m = _SECOND_ARGUMENT.match(text, call.end())
        if m is None or not _random_literal(m.group("v")):
            continue
        line_start = text.rfind("\n", 0, call.start()) + 1
        line_end = text.find("\n", m.end())
        around = (
            text[line_start : call.start()] + " " + text[call.end() : len(text) if line_end < 0 else line_end]
        )
        if _SEARCH_ONLY.search(around) is None:
            spans.append(("generic-api-key", *m.span("v")))
    return spans


# An OAuth client's secret (Looker's ``[looker]`` INI, ``LOOKERSDK_CLIENT_SECRET``, a consumer or app
# secret): named for it, the value is the secret whatever its alphabet (``wheelie-hopper-tipper43``)
_CLIENT_SECRET: Final = re.compile(
    r"(?i)(?<![\w.\-])[\w.\-]*?(?:client|consumer|app|application|oauth)[_.\-]?secret['\"]?"
    r"[ \t]*(?:=|:|=>)[ \t]*(?P<q>['\"]?)(?P<v>[^\s'\"`,;#]{8,256})(?P=q)(?=[\s,;#}\])]|$)"
)


def _client_secret_value(value: str) -> bool:
    return (
        _random_literal(value)
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and not value.startswith("$")
        and not re.fullmatch(r"(?i)(?:your|my|the|some|example|sample|dummy|test|fake)[\w.\-]*", value)
    )


def client_key_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the keys this module reads."""
    spans: list[tuple[str, int, int]] = []
    if "SECRET_KEY" in text.upper():
        spans += [
            ("generic-api-key", *m.span("v"))
            for m in _DJANGO_SECRET_KEY.finditer(text)
            if _django_key(m.group("v"))
        ]
    if "$" in text:
        spans += [
            ("generic-api-key", *m.span("v"))
            for m in _CMS_SITE_SECRET.finditer(text)
            if _random_literal(m.group("v"))
        ]
    if "(" in text:
        spans += _sdk_spans(text)
    if "secret" in text.lower():
        spans += [
            ("password-assignment", *m.span("v"))
            for m in _CLIENT_SECRET.finditer(text)
            if _client_secret_value(m.group("v"))
        ]
    return spans


_DUO_INTEGRATION_KEY: Final = re.compile(r"(?<![\w-])DI[0-9A-Z]{18}(?![\w-])")
_NAMES_DUO_KEY: Final = re.compile(r"(?i)(?<![a-z])(?:duo|ikey)(?![a-z])|integration[ _-]?key|client[ _-]?id")
_MAILGUN_PUBLIC_KEY: Final = re.compile(r"(?<![\w-])pubkey-[0-9a-f]{32}(?![\w-])")
# Keys a browser agent ships in the page: New Relic's browser ``licenseKey`` (``NRJS-`` and 19 hex)
_BROWSER_AGENT_KEY: Final = re.compile(r"(?<![\w-])NRJS-[0-9a-f]{19}(?![\w-])")
# A Confluent Cloud API key (16 upper-case letters and digits) is the key pair's public half, its
# user name; the 64-character API secret beside it is the secret
_CONFLUENT_API_KEY: Final = re.compile(
    r"(?i)(?<![a-z0-9])(?:confluent|ccloud)[\w.\-]*?(?:api[_.\-]?)?key(?:[_.\-]?id)?['\"]?"
    r"[ \t]*(?:=|:|=>)[ \t]*['\"]?"
    r"(?-i:(?P<v>[A-Z0-9]{16}))(?![\w-])"
)


def client_key_public_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if "DI" in text:
        for m in _DUO_INTEGRATION_KEY.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            if _NAMES_DUO_KEY.search(text, line_start, len(text) if line_end < 0 else line_end):
                spans.append(m.span())
    if "pubkey-" in text:
        spans += [m.span() for m in _MAILGUN_PUBLIC_KEY.finditer(text)]
    if "NRJS-" in text:
        spans += [m.span() for m in _BROWSER_AGENT_KEY.finditer(text)]
    lowered = text.lower()
    if "confluent" in lowered or "ccloud" in lowered:
        spans += [
            m.span("v")
            for m in _CONFLUENT_API_KEY.finditer(text)
            if re.search(r"[A-Z]", m.group("v")) and re.search(r"[0-9]", m.group("v"))
        ]
    return spans
