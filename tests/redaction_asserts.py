"""Assertions the redaction tests share: a value is gone (and a placeholder stands in the text) or kept."""

from __future__ import annotations

from kb.safety.redaction import redact_text


def assert_redacted(text: str, value: str) -> None:
    out = redact_text(text)
    assert value not in out, out
    assert "[REDACTED:" in out


def assert_kept(text: str, value: str) -> None:
    out = redact_text(text)
    assert value in out, out
