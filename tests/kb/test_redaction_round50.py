"""Redaction round 50 (tuned on the first readings of test58 and test59): session headers, Internet
Archive's S3 ``LOW ACCESS:SECRET``, passwords fed to CLIs by here-strings and here-documents, the
password ``pass`` prints, a password told with its place (``password at <place> is <pw>``), an API's
``key=`` of eight random capitals, and ``VENDOR_THING_KEY=<hex>`` environment lines; after the
round, the one builder the rule modules share for a value quoted or bare. Fresh fake values, none a
planted row's."""

from __future__ import annotations

import re

import pytest

from kb.safety.redaction_values import (
    QUOTED_CHARS,
    SHELL_WORD_CHARS,
    quoted_apart_or_bare,
    quoted_or_bare,
    value_span,
)
from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_PW = "Drumlin583#Scree"
_RAND = "Tz8kWq3NvLp6YbR2x"
_PHRASE = "heather-lochan-ptarmigan71"
_HEX40 = "a7c3e91f04b82d6c5e1f9a3b7d20c4e8f6b1a9d3"
_HEX64 = "0e4c9a7f2b6d1e8c3a5f9b0d7e2c4a6f8b1d3e5c7a9f0b2d4e6c8a1f3b5d7e9c"
_ACCESS = "Rk2mPq8TvZ4wLx7N"
_SECRET = "b9WfJ3sHc6QyD1gK"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a session header, in curl, in a raw request, in code
        (f"$ curl -H 'X-Foliant-Session: {_HEX64}' https://catalogue.example.org/api/items", _HEX64),
        (f"GET /api/v2/me HTTP/1.1\nHost: desk.example.org\nX-Desk-Session-Token: {_RAND}", _RAND),
        (f"requests.get(url, headers={{'X-Session': '{_HEX40}'}})", _HEX40),
        # Internet Archive's S3 LOW ACCESS:SECRET
        (
            f'$ curl --location --header "authorization: LOW {_ACCESS}:{_SECRET}" '
            "--upload-file scan-0042.jp2 https://s3.us.archive.org/parish-scans/scan-0042.jp2",
            f"{_ACCESS}:{_SECRET}",
        ),
        (f"Authorization: LOW {_ACCESS}:{_SECRET}", _SECRET),
        # a password fed to a CLI through a here-string or a here-document
        (f"$ keepassxc-cli db-create vault.kdbx --set-password <<< '{_PHRASE}'", _PHRASE),
        (f'$ docker login registry.example.org -u ci --password-stdin <<< "{_RAND}"', _RAND),
        (f"$ sudo openconnect --user=ops --passwd-on-stdin vpn.example.org <<< {_PW}", _PW),
        (f"$ keepassxc-cli db-create vault.kdbx --set-password <<EOF\n{_PW}\n{_PW}\nEOF", _PW),
        # what pass(1) prints
        (f"$ pass show team/radio/repeater\n{_PHRASE}", _PHRASE),
        (f"$ pass team/radio/repeater\n{_RAND}\nlogin: ops", _RAND),
        # a password told with its place
        (f"| 21:40 | control | ines: the base radio admin password at the north bothy is {_PW}", _PW),
        (f"the wifi password on the second-floor switch was {_PHRASE}, change it", _PHRASE),
        (f"> router password for the callout van is {_RAND}.", _RAND),
        # an API's key= of random capitals
        ("$ curl 'https://api.what3words.com/v3/autosuggest?input=index.home.raft&key=QWZPRTKX'", "QWZPRTKX"),
        ("GET https://api.example-maps.net/v2/geocode?q=Aviemore&key=JXHFKQTB", "JXHFKQTB"),
        # VENDOR_THING_KEY=<hex> in an environment file
        (f"TEXTLOCAL_SMS_KEY={_HEX40}  # fallback pager texts", _HEX40),
        (f"export MAPTILER_TILES_KEY='{_HEX64}'", _HEX64),
        (f"      - BULKGATE_APP_KEY={_HEX40}", _HEX40),
    ],
)
def test_round50_redacts(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # session ids, sticky and expiry headers, placeholders
        (f"X-Session-Id: {_HEX40}", _HEX40),
        (f"$ curl -H 'X-Sticky-Session: {_HEX40}' https://lb.example.org/", _HEX40),
        ("X-Session-Expires: 1796412345", "1796412345"),
        ("$ curl -H 'X-Foliant-Session: $SESSION' https://catalogue.example.org/api", "$SESSION"),
        # LOW with variables or placeholders, another scheme's key id
        ('--header "authorization: LOW $IA_ACCESS:$IA_SECRET"', "$IA_ACCESS:$IA_SECRET"),
        ("authorization: LOW YOUR_ACCESS_KEY:YOUR_SECRET_KEY", "YOUR_ACCESS_KEY:YOUR_SECRET_KEY"),
        # here-strings of variables, SQL and text given to filters
        ('$ docker login -u ci --password-stdin <<< "$CI_TOKEN"', "$CI_TOKEN"),
        ("$ base64 <<< 'archive-scan-2026'", "archive-scan-2026"),
        ("$ grep -c ERROR <<< 'ERROR-4411-timeout'", "ERROR-4411-timeout"),
        ("$ psql --password <<EOF\nSELECT count(*) FROM holds;\nEOF", "SELECT count(*) FROM holds;"),
        ("$ cat > notes.txt <<EOF\nbramble-lochan-heron44\nEOF", "bramble-lochan-heron44"),
        # pass(1) copying to the clipboard, an error, prose
        (
            "$ pass show -c team/radio/repeater\nCopied team/radio/repeater to clipboard.",
            "Copied team/radio/repeater to clipboard.",
        ),
        ("$ pass show team/radio/repeater\nError: team/radio/repeater is not in the store.", "Error:"),
        ("we pass over team/radio\nheather-lochan-ptarmigan71", "heather-lochan-ptarmigan71"),
        # where a password is kept, how it is made, a word
        ("the admin password for the vault is stored in 1Password", "1Password"),
        ("the password at the bottom of the page is Base64-encoded", "Base64-encoded"),
        ("the router password at the relay hut is on-the-sticker-inside", "on-the-sticker-inside"),
        ("the password for the kiosk is printed on the back", "printed"),
        # capitals that read as a word, placeholders
        ("$ curl 'https://api.example.com/v2/items?sort=desc&key=TIMESTAMP'", "TIMESTAMP"),
        ("$ curl 'https://api.example.com/v2/items?key=DESCENDING'", "DESCENDING"),
        ("curl 'https://api.what3words.com/v3/autosuggest?input=a.b.c&key=YOURAPIKEY'", "YOURAPIKEY"),
        # fingerprints, release keys, search-only keys, digests, zeros
        (f"GPG_KEY={_HEX40}", _HEX40),
        (f"ENV NODE_RELEASE_KEY={_HEX40}", _HEX40),
        (f"APT_REPO_KEY={_HEX40}", _HEX40),
        ("ALGOLIA_SEARCH_ONLY_KEY=4f1d9a7c2e6b8f0a3d5c7e9b1a2f4d6c", "4f1d9a7c2e6b8f0a3d5c7e9b1a2f4d6c"),
        (f"BUILD_CACHE_KEY={_HEX64}", _HEX64),
        ("PAYLOAD_CONTENT_KEY=" + "0" * 40, "0" * 40),
    ],
)
def test_round50_keeps(text: str, value: str) -> None:
    _kept(text, value)


def test_quoted_or_bare_builds_the_shared_value_pattern() -> None:
    """The one builder the rule modules share for a value quoted or bare, and its reader."""
    arg = re.compile(r"--pw[ \t]+" + quoted_or_bare(QUOTED_CHARS + "{4,128}?", SHELL_WORD_CHARS + "{4,128}"))
    for text, value in (("--pw 'a b c d'", "a b c d"), ('--pw "x y z"', "x y z"), ("--pw ab12|wc", "ab12")):
        m = arg.search(text)
        assert m is not None and text[slice(*value_span(m))] == value
    assert arg.search("--pw 'ab12\"") is None  # the quotes must match
    apart = re.compile(r"<<<[ \t]*" + quoted_apart_or_bare("{4,128}", SHELL_WORD_CHARS + "{4,128}"))
    for text, value in (
        ("<<< 'say \"hi\"'", 'say "hi"'),
        ('<<< "it\'s ok"', "it's ok"),
        ("<<< w0rd;", "w0rd"),
    ):
        m = apart.search(text)
        assert m is not None and text[slice(*value_span(m))] == value
    whole = re.compile(r"key=\w+").search("key=abc")
    assert whole is not None and value_span(whole) == whole.span()  # no value group: the whole match
