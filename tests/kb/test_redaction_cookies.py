"""Every cookie of a cookie header: a session or credential cookie in second or third place, in curl's
``-b``/``--cookie``, in ``Set-Cookie`` and in a devtools line is redacted, its name kept; analytics,
preference and consent cookies and short or plain values are kept. Fresh fake values."""

from __future__ import annotations

import pytest

from kb.safety.redaction import redact_text
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_SID = "Qm7vR2kX9pLzT4wN8bYc"
_PHP = "k8a9d7f6g5h4j3k2l1m0n9b8"
_DJANGO = "w3kq9z1m5x7c2v8b4n6p0r9t2y5u8i1o"
_HEX = "9f3a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"
_CONNECT = "s%3AhT4kPz9QwX2vLm7NbR5cYd8FgJ3sAe6U.Wq2Zx7Ck9Lm4Np1Rt8Vb3Hy6Gf5Jd0Ks2Pe7Ta9Mu"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"Cookie: theme=dark; sessionid={_DJANGO}", _DJANGO),
        (f"Cookie: _ga=GA1.2.1234567890.1700000000; lang=en; connect.sid={_CONNECT}", _CONNECT),
        (f"cookie: consent=yes; hc_prefs=dark; __Host-next-auth.session-token={_SID}", _SID),
        (
            f"Cookie: sessionid={_DJANGO}; csrftoken=Zx81Kq92Lm3Np4Rt5Vw6Yb7Cd8Ef9Gh",
            "Zx81Kq92Lm3Np4Rt5Vw6Yb7Cd8Ef9Gh",
        ),
        (f"Cookie: locale=en-GB; _gid=GA1.2.98765.1700000000; JSESSIONID={_HEX.upper()}", _HEX.upper()),
        (f"Cookie: tz=Europe/London; laravel_session={_SID}%3D", f"{_SID}%3D"),
        (f"Cookie: _ga=GA1.2.1.1; _session={_SID}; theme=light", _SID),
        (f"Cookie: lang=fr; __Secure-auth_token={_SID}", _SID),
        # curl's -b and --cookie, one line or continued
        (f"curl -b 'theme=dark; JSESSIONID={_SID}' https://admin.example.internal/", _SID),
        (f'curl --cookie "lang=en;PHPSESSID={_PHP}" https://shop.example.internal/', _PHP),
        (f"curl https://crm.example.internal/api \\\n  -b 'consent=1; CGISESSID={_HEX}'", _HEX),
        (f"curl -H 'Cookie: theme=dark; sessionid={_DJANGO}' https://x.example.internal", _DJANGO),
        # Set-Cookie
        (f"Set-Cookie: theme=dark; _session={_SID}", _SID),
        (f"Set-Cookie: laravel_session={_SID}; path=/; HttpOnly", _SID),
        (f'2026-03-02 INFO set-cookie="lang=de; ASP.NET_SessionId={_PHP}; path=/"', _PHP),
        # a devtools line
        (f"cookie\ttheme=dark; _ga=GA1.1.55.66; sid={_PHP}", _PHP),
    ],
)
def test_session_cookie_in_any_place_is_redacted(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"Cookie: theme=dark; sessionid={_DJANGO}", "sessionid="),
        (f"curl -b 'theme=dark; JSESSIONID={_SID}' https://x.example.internal", "JSESSIONID="),
        (f"Set-Cookie: laravel_session={_SID}; path=/; HttpOnly", "laravel_session="),
    ],
)
def test_cookie_names_and_neighbours_stay(text: str, name: str) -> None:
    out = redact_text(text)
    assert name in out, out
    assert ("theme=dark" in out) == ("theme=dark" in text), out


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # analytics, preference and consent cookies, alone or after a session cookie
        (
            "Cookie: _ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000",
            "GA1.2.1234567890.1700000000",
        ),
        (
            "Cookie: _ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000",
            "GA1.2.987654321.1700000000",
        ),
        (f"Cookie: sessionid={_DJANGO}; theme=dark; lang=en", "theme=dark"),
        (f"Cookie: sessionid={_DJANGO}; theme=dark; lang=en", "lang=en"),
        ("Cookie: cookieconsent_status=dismiss; hc_prefs=compact", "hc_prefs=compact"),
        ("Set-Cookie: theme=dark; Path=/; Max-Age=31536000; SameSite=Lax", "theme=dark"),
        ("Cookie: theme=dark", "theme=dark"),
        # short or plain values under a session's name
        ("Cookie: theme=dark; sessionid=deleted", "deleted"),
        ("Cookie: lang=en; csrftoken=Zx91; sessionid=abc", "Zx91"),
        ("Set-Cookie: sessionid=; expires=Thu, 01 Jan 1970 00:00:00 GMT", "expires=Thu"),
        ("Cookie: theme=dark; session=<redacted>", "<redacted>"),
        ("Cookie: lang=en; PHPSESSID=${PHPSESSID}", "${PHPSESSID}"),
        # -b is a cookie only to curl
        ("ldapsearch -x -b ou=people,dc=example,dc=internal uid=amira", "ou=people"),
        ("curl -b cookies.txt https://x.example.internal/", "cookies.txt"),
        # a Cookie header about cookies, not holding one
        ("The Cookie header lists sessionid and csrftoken; remove theme= when it is empty.", "theme="),
    ],
)
def test_preference_and_plain_cookies_are_kept(text: str, value: str) -> None:
    _kept(text, value)
