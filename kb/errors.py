"""One error hierarchy for Forewarn.

    KBError                      base: every error the tool raises on purpose
    ├── ConfigError              a setting is missing or invalid
    ├── InputError               bad input from a user (query, diff, file)
    │   └── DocumentError        one document could not be ingested
    ├── NotFoundError            a record does not exist (or is not visible to the caller)
    ├── AuthError                no valid credentials
    ├── ForbiddenError           valid credentials, not enough rights
    ├── TimeoutError_            an expensive operation ran out of time
    ├── BusyError                another process holds what this one needs (an ingest lock)
    ├── RateLimitError           too many requests from one key or address; carries retry_after
    ├── StoreError               the database failed or is not reachable
    ├── IndexMismatchError       a saved vector index does not match SQL or the model
    └── EmbedderError            the embedding model could not be loaded or run

Adapters (CLI, HTTP, MCP) map these to one readable line, an exit code or one JSON shape.
"""

from __future__ import annotations


class KBError(Exception):
    """Base class of every error Forewarn raises on purpose."""

    code = "kb_error"

    def __init__(self, message: str) -> None:
        # Messages reach users, logs and HTTP bodies: a secret quoted from input must not.
        from kb.safety.redaction import quick_policy, redact_text

        message = redact_text(message, quick_policy())
        super().__init__(message)
        self.message = message


class ConfigError(KBError):
    code = "config_error"


class InputError(KBError):
    code = "invalid_input"


class DocumentError(InputError):
    """A document could not be ingested; carries the path it came from."""

    code = "document_error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class NotFoundError(KBError):
    code = "not_found"


class AuthError(KBError):
    code = "unauthorized"


class ForbiddenError(KBError):
    code = "forbidden"


class TimeoutError_(KBError):  # the builtin name is taken
    code = "timeout"


class BusyError(KBError):
    code = "busy"


class RateLimitError(KBError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreError(KBError):
    code = "store_error"


class IndexMismatchError(KBError):
    code = "index_mismatch"


class EmbedderError(KBError):
    code = "embedder_error"
