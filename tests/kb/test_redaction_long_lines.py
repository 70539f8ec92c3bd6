"""A long line (a base64 image in Markdown) is read in time linear in its length, with the same findings.

The vendor-token rule reads the text right before each candidate value with end-anchored patterns;
it reads a bounded tail of the line instead of the whole line again for every candidate.
"""

from __future__ import annotations

import base64
import random
import time

import pytest

from kb.safety import redaction_context
from kb.safety.redaction import redact_text


def _image_line(size: int) -> str:
    rng = random.Random(7)
    payload = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(size))).decode()
    return f"![diagram](data:image/png;base64,{payload})"


LINES = [
    "OPSGENIE_KEY=" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4",
    "pagerduty:\n  routing_key: 0123456789abcdef0123456789abcdef",
    "Authorization: GenieKey 3f2a9c1e-8d7b-4c6a-9e5f-1a2b3c4d5e6f",
    "the Splunk HEC token is 3f2a9c1e-8d7b-4c6a-9e5f-1a2b3c4d5e6f",
    "Azure tenant id 3f2a9c1e-8d7b-4c6a-9e5f-1a2b3c4d5e6f (not a secret)",
    _image_line(3000) + " then splunkHecToken: 3f2a9c1e-8d7b-4c6a-9e5f-1a2b3c4d5e6f",
    "x" * 1500 + " OPSGENIE_KEY=" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4",
    "word" * 400 + "splunk_token: a1B2c3D4e5F6g7H8i9J0k1L2m3N4",
]


@pytest.mark.parametrize("line", LINES, ids=range(len(LINES)))
def test_the_tail_reads_as_the_whole_line_did(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bounded = redaction_context._vendor_spans(line)
    monkeypatch.setattr(redaction_context, "_TAIL_CHARS", 10**9)
    assert bounded == redaction_context._vendor_spans(line)


def test_a_named_token_after_a_long_image_is_still_redacted() -> None:
    line = _image_line(3000) + " then splunkHecToken: 3f2a9c1e-8d7b-4c6a-9e5f-1a2b3c4d5e6f"
    assert "3f2a9c1e-8d7b-4c6a-9e5f-1a2b3c4d5e6f" not in redact_text(line)


def test_the_tail_never_starts_inside_a_word() -> None:
    line = "a" * 3000 + "b"
    assert redaction_context._near_tail(line, len(line)) == line
    spaced = "key: " + "c" * 10 + " " + "d" * 2000
    # the cut moves left over the whole run of word characters and blanks, to the colon
    assert redaction_context._near_tail(spaced, len(spaced)) == spaced.removeprefix("key:")


def test_a_long_base64_line_costs_about_its_length(monkeypatch: pytest.MonkeyPatch) -> None:
    # Not a timing assertion on its own: the bounded reading against the whole-line reading on the
    # same line, in the same process; the whole-line reading grows with candidates x length.
    line = _image_line(60_000)
    started = time.process_time()
    redaction_context._vendor_spans(line)
    bounded = time.process_time() - started
    monkeypatch.setattr(redaction_context, "_TAIL_CHARS", 10**9)
    started = time.process_time()
    redaction_context._vendor_spans(line)
    whole = time.process_time() - started
    assert bounded < whole
