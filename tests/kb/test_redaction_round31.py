"""Redaction round 31 (tuned on test34's first reading): a stream key in an RTMP ingest URL's last
segment or after a stream-key name (the grouped YouTube shape, Twitch ``live_<id>_…``, a uuid), a
token as a URL path segment after one that names it (``/private/<token>/``) or as a key-value store
key's suffix (``feedtok:<token>``), OneSignal ``os_v2_app_`` REST keys, and an XML element whose name
says password, secret, token or key. Look-alikes: an ingest URL without a key or with a name for a
key, a KMS key id in a path, a feed file name, RevenueCat's public SDK keys, an element that names a
credential's file or endpoint. Fresh fake values, none a planted row's."""

from __future__ import annotations

import pytest

from tests.redaction_asserts import assert_kept as _kept
from tests.redaction_asserts import assert_redacted as _gone

_GROUPED = "q4x9-b7mk-2wzt-h8re-5cnp"
_UUID = "3f9c2b7e-8d41-4a6b-9e0c-5b1d7a2f8c63"
_TWITCH = "live_918273645_Pq7Xw2Lm9Zr4Tk8Vn3Bc6Hd1Js"
_FEED = "k3v9x2m7q8w1z5r4t6y0u2i8o3p7a1s5"
_TOKEN = "Zx8Kq2Lm7Np4Rv9Tw3Yb6Cd1Fg5Hj0Ks"
# lower-case base32 with few digits: the random-run tests pass it by, only the prefix names it
_OS_BODY = (
    "oirvcqrgbzzc5g4h5ytkevxksxrihjqeen7ct4nqgdydccmjqh4ffeeiuysuhx"
    "dk37o6obdwpojd5jhzxfq6vszwgydjxajph7imwmvbqrzysxnum"
)
_OS_KEY = "os_v2_app_" + _OS_BODY
_OS_ORG = "os_v2_org_" + _OS_BODY
_PASSWORD = "Lm7Np4Rv9Tw3Yb"
_RC_IOS = "appl_Rt7Kw2Mx9Lq4Zp8Vn3Bc6Hd1J"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a stream key in an ingest URL's last segment, and after a stream-key name
        (f"$ ffmpeg -re -i show.flv -c copy -f flv rtmp://a.rtmp.example-cdn.net/live2/{_GROUPED}", _GROUPED),
        (f"rtmps://ingest.example.com:443/app/{_UUID}", _UUID),
        (f'output.url = "rtmp://ingest.example.tv/app/{_TWITCH}"', _TWITCH),
        (f"YT_STREAM_KEY={_GROUPED}", _GROUPED),
        (f"stream key: {_GROUPED}", _GROUPED),
        (f"obs was showing {_TWITCH} during the call", _TWITCH),
        # a token as a URL path segment after one that names it, with or without scheme and host
        (f"https://cdn.example.org/private/{_FEED}/feed.xml", _FEED),
        (f"<atom:link href='https://cdn.example.org/private/{_FEED}/rss'/>", _FEED),
        (f'203.0.113.9 - - [02/Dec/2026:10:01:02 +0000] "GET /token/{_TOKEN} HTTP/1.1" 200 512', _TOKEN),
        # a token as a key-value store key's suffix
        (f"$ redis-cli -h cache DEL sesstoken:{_FEED}", _FEED),
        (f"127.0.0.1:6379> GET invite_secret:{_TOKEN}", _TOKEN),
        # OneSignal REST keys: after an Authorization scheme word, in a plist, in prose
        (f"Authorization: Key {_OS_KEY}", _OS_KEY),
        (f"<key>PushRestKey</key>\n<string>{_OS_ORG}</string>", _OS_ORG),
        (f"the push key {_OS_KEY} was in the build log", _OS_KEY),
        # an XML element named for a credential
        (f"<relay-password>{_PASSWORD}</relay-password>", _PASSWORD),
        (f"<adminPassword>{_PASSWORD}</adminPassword>", _PASSWORD),
        (f"<ingest:streamKey>{_GROUPED}</ingest:streamKey>", _GROUPED),
        (f"<ClientSecret>{_TOKEN}</ClientSecret>", _TOKEN),
    ],
)
def test_round31_secrets(text: str, value: str) -> None:
    _gone(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # ingest URLs without a key, or with a name or placeholder where the key goes
        ("server = rtmp://lhr.contribute.example.net/app", "rtmp://lhr.contribute.example.net/app"),
        ("rtmp://localhost/live/mystream", "mystream"),
        ("rtmp://a.rtmp.example-cdn.net/live2/<STREAM_KEY>", "<STREAM_KEY>"),
        ("rtmp://ingest.example.tv/shows/2026-11-21", "2026-11-21"),
        ("YT_STREAM_KEY=${YT_STREAM_KEY}", "${YT_STREAM_KEY}"),
        # a key's id in a path, a feed file, a store key with a short or plain suffix
        (f"https://kms.example.com/key/{_UUID}", _UUID),
        ("GET /private/feed.xml HTTP/1.1", "/private/feed.xml"),
        ("https://cdn.example.org/private/episodes-archive-2026/feed.xml", "episodes-archive-2026"),
        ("$ redis-cli GET feedtok:pending", "feedtok:pending"),
        # RevenueCat's public SDK keys (its secret keys are ``sk_``)
        (f"RevenueCat public SDK key {_RC_IOS} (ships in the app)", _RC_IOS),
        ('Purchases.configure(apiKey: "goog_Xm4Tq8Lw2Rz7Kp9Vn3Bc6Hd1")', "goog_Xm4Tq8Lw2Rz7Kp9Vn3Bc6Hd1"),
        ("REVENUECAT_AMAZON_KEY=amzn_Lp8Wq3Mz6Tx2Rk9Vn4Bc7Hd1", "amzn_Lp8Wq3Mz6Tx2Rk9Vn4Bc7Hd1"),
        # elements that name a credential's file or endpoint, a placeholder, a plist key
        ("<password-file>/etc/icecast2/source.pw</password-file>", "/etc/icecast2/source.pw"),
        (
            "<tokenEndpoint>https://login.example.com/oauth2/token</tokenEndpoint>",
            "https://login.example.com",
        ),
        ("<source-password>hackme</source-password>", "hackme"),
        (f"<password_sha256_hex>{'9c4e' * 16}</password_sha256_hex>", "9c4e" * 16),
        ("<key>PushRestKey</key>\n<string>YES</string>", "PushRestKey"),
    ],
)
def test_round31_lookalikes_kept(text: str, value: str) -> None:
    _kept(text, value)
