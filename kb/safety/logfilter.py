"""A logging filter that redacts every record a handler emits (message and traceback).

Cheap to install: the redaction patterns load on the first record that is actually emitted.
"""

from __future__ import annotations

import logging


class RedactingFilter(logging.Filter):
    """Entry points add it to their handlers (``kb`` does), so a log line or an exception text that
    quotes a document cannot put a secret into a log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        from kb.safety.redaction import quick_policy, redact_text

        policy = quick_policy()
        message = record.getMessage()
        redacted = redact_text(message, policy)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info), policy)
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text, policy)
        return True
