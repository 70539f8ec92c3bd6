"""Every cookie of a cookie header, not only the first.

A ``Cookie:`` or ``Set-Cookie:`` header (also quoted, ``set-cookie="…"``, ``-H 'cookie: …'``,
``document.cookie = "…"``, a HAR entry's ``"name": "cookie", "value": "…"``), a devtools ``cookie``
line and curl's ``-b``/``--cookie`` argument hold ``name=value`` pairs separated by ``;``. Each
pair is read on its own:

* a name that says session, auth, token, sid, login, remember, JWT, CSRF/XSRF, key, secret or
  password, or a framework's session cookie (``JSESSIONID``, ``PHPSESSID``, ``connect.sid``,
  ``laravel_session``, ``ASP.NET_SessionId``, ``.AspNetCore.*``, ``CGISESSID``, ``__Host-``/
  ``__Secure-`` cookies naming one of those): its value is redacted when it reads as random
  (16+ characters, a token, a random run or hex);
* another name: its value is redacted when it reads as a token or a random run, as the
  session-cookie rule always read the first pair;
* analytics, preference, consent and load-balancer cookies (``_ga``, ``_gid``, ``theme``, ``lang``,
  ``consent``, ``*_prefs``, ``AWSALB``…) and ``Set-Cookie`` attributes are kept.

The names are public: a rule that took a whole pair (``Cookie: theme=dark`` read as a secret-named
setting) or several pairs at once redacted a cookie's name with its value; only values go now.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_values import _entropy, _placeholder_like, _random_run, _reference_value, _token

__all__ = ["cookie_credential_spans", "cookie_public_spans"]

# What leads a run of cookie pairs: a header (any case, quoted or not), a devtools line, a HAR
# entry, curl's argument on a curl line.
_LEAD: Final = re.compile(
    r"(?i)(?:(?<![\w\-])(?:set-)?cookie['\"]?[ \t]*[:=][ \t]*|(?<![\w\-.])cookie[ \t]+(?=[\w.\-]+=)"
    r"|\"name\"[ \t]*:[ \t]*\"cookie\"[ \t]*,[ \t]*\"value\"[ \t]*:[ \t]*"
    r"|(?<=[ \t])(?P<flag>-b|--cookie)[ \t]+(?=['\"]?[\w.\-]+=))"
    r"['\"]?"
)
_PAIR: Final = re.compile(r"(?P<name>[!#$%&*+.^|~\w\-]{1,100})=(?P<q>\"?)(?P<v>[^\s;,\"'`\\]*)(?P=q)")
_GAP: Final = re.compile(r"[ \t]*;[ \t]*(?:(?:HttpOnly|Secure|Partitioned)[ \t]*;[ \t]*)*|[ \t]*,[ \t]*")

# A cookie that holds a session or a credential, by its name.
_SESSION_NAME: Final = re.compile(
    r"(?i)sess|auth|token|(?:^|[_.\-])sid(?:$|[_.\-])|^sid|login|remember|jwt|csrf|xsrf|key|secret|pass"
    r"|jsessionid|phpsessid|connect\.sid|aspnetcore|cgisessid|^\.aspxauth|oidc|saml|sso"
)
# Analytics, preferences, consent, load balancing and ``Set-Cookie`` attributes.
_KEPT_NAME: Final = re.compile(
    r"(?i)_?_(?:ga|gid|gat|gcl|fbp|fbc|hj\w*|pk_\w+|uet\w*|utm\w|clck|clsk|cfuvid|cf_bm)(?:_\w+)?"
    r"|ajs_\w+|amplitude\w*|mp_\w+|optimizely\w*|awsalb\w*|awselb\w*"
    r"|[\w.\-]*(?:theme|lang|language|locale|tz|timezone|currency|consent|prefs?|preferences|"
    r"region|country|font|dark_?mode|banner|dismissed|seen|tour|layout|view|sort)"
    r"|path|domain|expires|max-age|samesite|priority|version|comment"
)
_COOKIE_WORD: Final = re.compile(r"(?i)cookie|(?<=[ \t])-b[ \t]")
_CURL: Final = re.compile(r"\bcurl\b")
_SIGNED_PREFIX: Final = re.compile(r"^(?:s%3A|s:|%22|\")")


def _kept(name: str) -> bool:
    return _KEPT_NAME.fullmatch(name) is not None and _SESSION_NAME.search(name) is None


def _random_value(value: str, *, session: bool) -> bool:
    """A cookie value that reads as random: a token or random run; under a session's name also
    16+ hex or letters and digits mixed (a PHP or Django session id is lower case and digits)."""
    if _placeholder_like(value) or _reference_value(value) or re.search(r"[<>{}$]", value):
        return False
    bare = _SIGNED_PREFIX.sub("", value).lstrip(".")
    if _token(bare) or _random_run(bare):
        return True
    if not session or len(bare) < 16:
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", bare):
        return re.search(r"[a-fA-F]", bare) is not None and re.search(r"\d", bare) is not None
    return (
        re.search(r"\d", bare) is not None
        and re.search(r"[A-Za-z]", bare) is not None
        and _entropy(bare) >= 3.5
    )


def _command_before(text: str, pos: int) -> str:
    """The command line up to ``pos``, with the lines it continues (``\\`` at their end)."""
    start = text.rfind("\n", 0, pos) + 1
    while start > 1 and text[start - 2] == "\\":
        start = text.rfind("\n", 0, start - 1) + 1
    return text[start:pos]


def _pairs(text: str) -> list[re.Match[str]]:
    """The ``name=value`` pairs of every cookie run in the text."""
    pairs: list[re.Match[str]] = []
    for lead in _LEAD.finditer(text):
        if lead.group("flag") and not _CURL.search(_command_before(text, lead.start())):
            continue  # ``-b`` is a cookie only to curl (``ldapsearch -b``, ``htpasswd -b``)
        pos = lead.end()
        while (pair := _PAIR.match(text, pos)) is not None:
            pairs.append(pair)
            gap = _GAP.match(text, pair.end())
            if gap is None or not gap.group():
                break
            pos = gap.end()
    return pairs


def cookie_credential_spans(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of the session and credential cookies' values."""
    if _COOKIE_WORD.search(text) is None:
        return []
    spans: list[tuple[str, int, int]] = []
    for pair in _pairs(text):
        name, value = pair.group("name"), pair.group("v").rstrip(".)")
        if _kept(name):
            continue
        if _random_value(value, session=_SESSION_NAME.search(name) is not None):
            spans.append(("session-cookie", pair.start("v"), pair.start("v") + len(value)))
    return spans


def cookie_public_spans(text: str) -> list[tuple[int, int]]:
    """The cookies' names (a value is redacted, never the name that tells what it was) and the
    values of analytics, preference and consent cookies (``_ga=GA1.2.…`` reads as a token)."""
    if _COOKIE_WORD.search(text) is None:
        return []
    spans: list[tuple[int, int]] = []
    for pair in _pairs(text):
        spans.append(pair.span("name"))
        if _kept(pair.group("name")) and pair.group("v"):
            spans.append(pair.span("v"))
    return spans
