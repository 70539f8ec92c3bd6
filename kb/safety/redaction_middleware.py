"""Credentials in application-server, cache and database-client configurations and in CI service
URLs, and the stored digests beside them that stay.

Secrets (:func:`middleware_credential_spans`):

* WildFly/Elytron ``<credential-reference clear-text="…"/>`` (the attribute says it is in clear);
* ``sqlcmd``/``osql``/``bcp`` ``-PPASSWORD`` with the password glued to the flag;
* the Varnish secret file: the value printed after ``cat …/varnish/secret`` and a value named in a
  comment (``# secret file contents: X``);
* an Azure DevOps incoming-webhook URL (``…/_apis/public/distributedtask/webhooks/NAME?…code=X``),
  taken whole: its ``code`` is the credential;
* an automation platform's trigger URL, whose random path is the only credential (anyone holding the
  URL starts the scenario): Make (``hook.eu1.make.com/<token>``, formerly ``hook.integromat.com``),
  Pipedream (``<id>.m.pipedream.net``), Pabbly Connect (``…/workflow/sendwebhookdata/<token>``) and
  n8n's test URL (``…/webhook-test/<uuid>``; its production ``/webhook/<uuid>`` is read by the generic
  ``/webhook/`` rule). Zapier, IFTTT, Slack, Discord, Teams, Google Chat and the ``sig=`` of Logic
  Apps/Power Automate URLs are read by the core rules.

Kept (:func:`middleware_public_spans`): LDAP-style ``{SHA}``/``{SSHA}`` password hashes (an Apache
``.htpasswd``), and hex digests in ``password="…"`` where the text says the passwords are digests
(Tomcat's ``tomcat-users.xml`` with a ``MessageDigestCredentialHandler``).
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import _entropy, _password_value, _placeholder_like, _token

__all__ = ["middleware_credential_spans", "middleware_public_spans"]


def _password_shape(value: str) -> bool:
    return not _placeholder_like(value) and value[0] not in "$%<{`(#" and _password_value(value)


_CLEAR_TEXT: Final = re.compile(
    r"<credential-reference\b[^>]*?\bclear-text\s*=\s*(?P<q>[\"'])(?P<v>[^\"'\n]+)(?P=q)"
)
# ``-P`` glued to its value (``-PmooringFerry0818``); ``-P value`` with a space is read elsewhere
_SQLCMD_GLUED: Final = re.compile(r"\b(?:sqlcmd|osql|bcp)\b[^\n|;&]*?\s-P(?P<v>[^\s'\"-][^\s'\"]*)")
# ``cat /etc/varnish/secret``, then the file's one line
_VARNISH_CAT: Final = re.compile(
    r"(?m)^[^\n]*\bcat[ \t]+\S*varnish/secret\b[^\n]*\n[ \t]*(?P<v>[A-Za-z0-9_\-+/=]{16,256})[ \t]*$"
)
_SECRET_FILE_COMMENT: Final = re.compile(
    r"(?im)^[ \t]*(?:#|//|;)[^\n]*?\b(?:secret|key)[ \t]+file[ \t]+contents?[ \t]*[:=][ \t]*"
    r"(?P<v>[A-Za-z0-9_\-+/=]{16,256})[ \t]*$"
)
_AZDO_HOOK: Final = re.compile(
    r"https://(?:dev\.azure\.com/[\w.\-]+|[\w\-]+\.visualstudio\.com)(?:/[\w.\-%]+)?"
    r"/_apis/public/distributedtask/webhooks/[\w.\-]+\?[^\s'\"]*?\bcode=(?P<tok>[A-Za-z0-9_\-]{20,})"
)

_TRIGGER_URL: Final = re.compile(
    r"https://(?:hook\.(?:[a-z0-9]+\.)?make\.com/|hook\.integromat\.com/"
    r"|connect\.pabbly\.com/workflow/sendwebhookdata/"
    r"|[A-Za-z0-9.\-]+(?::\d+)?(?:/[\w.\-]+)*?/webhook-test/)(?P<tok>[A-Za-z0-9_=\-]{16,})(?![\w\-])"
    r"|https://(?P<id>[a-z0-9]{12,})\.m\.pipedream\.net\b[^\s'\"`<>)]*"
)


def _trigger_token(token: str) -> bool:
    """A generated token: digits among letters, varied, not a mask (``XXXX…``) or a placeholder."""
    return (
        re.search(r"\d", token) is not None
        and re.search(r"[A-Za-z]", token) is not None
        and not _placeholder_like(token)
        and re.search(r"X{4,}|x{5,}", token) is None
        and _entropy(token) >= 3.0
    )


def middleware_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the credentials this module reads."""
    spans = [
        ("password-assignment", *m.span("v"))
        for pattern in (_CLEAR_TEXT, _SQLCMD_GLUED)
        for m in pattern.finditer(text)
        if _password_shape(m.group("v"))
    ]
    if "secret" in text:
        spans += [
            ("generic-api-key", *m.span("v"))
            for pattern in (_VARNISH_CAT, _SECRET_FILE_COMMENT)
            for m in pattern.finditer(text)
            if not _placeholder_like(m.group("v")) and (_token(m.group("v")) or _entropy(m.group("v")) >= 3.3)
        ]
    if "webhooks" in text:
        spans += [
            ("webhook-url", *m.span()) for m in _AZDO_HOOK.finditer(text) if _entropy(m.group("tok")) >= 3.5
        ]
    if "://" in text:
        spans += [
            ("webhook-url", *m.span())
            for m in _TRIGGER_URL.finditer(text)
            if _trigger_token(m.group("tok") or m.group("id"))
        ]
    return spans


# LDAP-style scheme-tagged hashes: ``{SHA}`` is base64 of a SHA-1 (28 characters), ``{SSHA}`` with salt
_SCHEME_HASH: Final = re.compile(
    r"\{(?:SHA|SSHA|SHA256|SSHA256|SHA512|SSHA512|SMD5|MD5)\}[A-Za-z0-9+/]{20,}={0,2}"
)
_DIGEST_SAID: Final = re.compile(r"(?i)\bdigest\b|DigestCredentialHandler|\bdigest\s*=")
# a hex digest (MD5, SHA-1, SHA-256, SHA-512), or Tomcat's ``salt$iterations$digest``
_DIGEST_PASSWORD: Final = re.compile(
    r"(?i)\bpassword\s*=\s*[\"'](?P<v>(?:[0-9a-f]{1,64}\$\d+\$)?(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}))[\"']"
)


def middleware_public_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _SCHEME_HASH.finditer(text)]
    if _DIGEST_SAID.search(text) is not None:
        spans += [m.span("v") for m in _DIGEST_PASSWORD.finditer(text)]
    return spans
