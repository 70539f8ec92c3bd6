"""Secrets that stand as a segment of a path or a key, where no ``name=`` says what they are.

* A stream key in an RTMP ingest URL: ``rtmp[s]://host[:port]/<app>/<stream key>`` (Twitch, YouTube,
  Mux, Facebook, a self-hosted nginx-rtmp). The protocol puts the key in the last path segment; the
  URL without it (``rtmp://host/app``) is the public server address.
* A token as a URL path segment after a segment that names it: a private podcast feed
  (``/private/<token>/rss.xml``), ``/token/<…>``, ``/secret/<…>``, ``/key/<…>``, with or without a
  scheme and host (an access log's request line).
* A token as the last part of a key-value store key whose namespace names it (Redis
  ``feedtok:<token>``, ``session_token:<token>``, ``apisecret:<…>``).
* A stream key named as such (``YOUTUBE_STREAM_KEY=``, ``stream key: …``): the YouTube shape, five
  groups of four (``ab12-cd34-…``), reads as words to the other rules' value tests.

In each the value must look generated (a random run, a uuid where a credential is named, the grouped
stream-key shape): ``rtmp://host/live/stream``, ``/private/feed.xml`` and ``/key/<uuid>`` (a KMS key's
id) are kept.
"""

from __future__ import annotations

import re
from typing import Final

from kb.safety.redaction_rules import Rule, _rule
from kb.safety.redaction_values import (
    _UUID,
    _placeholder_like,
    _random_run,
    _strong,
    _uuid_secret,
    _vendor_style_token,
)

__all__ = ["path_segment_rules"]

# The characters a path segment's key is made of, and what may follow the segment.
_SEGMENT: Final = r"[A-Za-z0-9][A-Za-z0-9_\-.~]*[A-Za-z0-9]"
_SEGMENT_END: Final = r"(?=[/?#\s\"'`<>)\],;|]|$)"
# Stream keys issued in groups: YouTube's five groups of four (``ab12-cd34-ef56-gh78-ij90``) and
# keys of four or more groups of 4 to 6 letters and digits.
_GROUPED_KEY: Final = re.compile(r"[A-Za-z0-9]{4,6}(?:-[A-Za-z0-9]{4,6}){3,5}")


def _grouped_key(value: str) -> bool:
    """Generated groups with digits and letters spread among them, not a hyphenated name or a date."""
    if _GROUPED_KEY.fullmatch(value) is None or _UUID.fullmatch(value):
        return False
    groups = value.split("-")
    with_digit = sum(re.search(r"\d", g) is not None for g in groups)
    with_letter = sum(re.search(r"[A-Za-z]", g) is not None for g in groups)
    return with_digit >= 2 and with_letter >= len(groups) - 1


def _stream_key(value: str) -> bool:
    """What an ingest URL's last segment or a stream-key setting holds when it is a key."""
    if _placeholder_like(value):
        return False
    return (
        _random_run(value)
        or _uuid_secret(value)
        or _grouped_key(value)
        or (_vendor_style_token(value) and re.search(r"\d", value) is not None)
    )


def _path_token(value: str) -> bool:
    """A token in a path named for it: random, not a uuid (``/key/<uuid>`` names a key by its id)."""
    return not _placeholder_like(value) and _random_run(value) and _UUID.search(value) is None


def path_segment_rules() -> list[Rule]:
    return [
        # an RTMP ingest URL with an application and a key after the host; the key is the last
        # segment (``rtmp://a.rtmp.youtube.com/live2/<key>``, ``rtmps://…:443/app/<key>``)
        _rule(
            "stream-key",
            r"(?i)\brtmp[set]?://[^\s/'\"`<>]+/(?:[^\s/'\"`<>?#]+/)+(?P<v>" + _SEGMENT + ")" + _SEGMENT_END,
            _stream_key,
            hints=("rtmp",),
        ),
        # a path segment that names a secret, then the secret (``/private/<token>/rss.xml``)
        _rule(
            "path-token",
            r"(?i)/(?:private|secrets?|tokens?|key|api[_-]?key|stream[_-]?key|access[_-]?token|feed[_-]?token)"
            r"/(?P<v>[A-Za-z0-9_\-]{20,128})" + _SEGMENT_END,
            _path_token,
            hints=("/private/", "/secret", "/token", "/key/", "key/", "token/"),
        ),
        # a key-value store key whose namespace names a token or secret (``feedtok:<token>``); not
        # ``tiktok:`` (a platform's name ending in ``tok``)
        _rule(
            "path-token",
            r"(?i)(?<![\w:/.-])[a-z][a-z0-9_-]{0,30}?(?<!tik)(?:tok|token|secret|apikey|api_key)s?:"
            r"(?P<v>[A-Za-z0-9_\-]{20,128})(?![\w:/.-])",
            lambda v: not _placeholder_like(v) and (_random_run(v) or _uuid_secret(v)),
            hints=("tok", "secret", "apikey", "api_key"),
        ),
        # a setting or a sentence naming a stream key, then the key (``YOUTUBE_STREAM_KEY=ab12-…``)
        _rule(
            "stream-key",
            r"(?i)(?<![A-Za-z])stream[_ -]?key(?![A-Za-z])['\"]?[ \t]*(?:=|:|=>|\bis\b)[ \t]*['\"`]?"
            r"(?P<v>" + _SEGMENT + r")(?=['\"`]?(?:[\s,;)]|$))",
            lambda v: _stream_key(v) or _strong(v),
            hints=("stream",),
        ),
    ]
