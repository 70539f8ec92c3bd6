"""One settings object, read from ``KB_`` environment variables at the edge and passed down.

Every field can be set as ``KB_<NAME>`` (the name in any case); keyword arguments win over the
environment. A value that does not parse or is out of range raises ``ConfigError`` naming the
variable. A plain dataclass: importing pydantic and pydantic-settings for this cost 0.13 s before
a cold ``kb query`` could even start loading its model.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kb.errors import ConfigError

DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
ENV_PREFIX = "KB_"


def _default_home() -> Path:
    import platformdirs

    home = Path(platformdirs.user_data_dir("forewarn", appauthor=False))
    # A user who ran the product under its first name keeps their knowledge base: the old folder
    # is used for as long as no new one exists (moving it is the user's call, not ours).
    legacy = Path(platformdirs.user_data_dir("hindsight", appauthor=False))
    if not home.exists() and legacy.is_dir():
        return legacy
    return home


def _number(kind: type[int] | type[float], *, minimum: float, inclusive: bool) -> Callable[[Any], Any]:
    bound = f"at least {minimum:g}" if inclusive else f"greater than {minimum:g}"
    noun = "an integer" if kind is int else "a number"

    def parse(value: Any) -> int | float:
        if isinstance(value, bool):
            raise ValueError(f"must be {noun}")
        try:
            number = kind(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"must be {noun} {bound}, got {value!r}") from None
        if kind is float and number != number:  # NaN
            raise ValueError(f"must be {noun} {bound}, got {value!r}")
        if number < minimum or (number == minimum and not inclusive):
            raise ValueError(f"must be {bound}, got {value!r}")
        return number

    return parse


def _path(value: Any) -> Path:
    if not isinstance(value, str | os.PathLike) or not str(value).strip():
        raise ValueError(f"must be a path, got {value!r}")
    return Path(value)


def _optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    # An empty variable means "not set": ``KB_MODEL_PATH=`` must not become the current folder.
    return lambda value: (
        None if value is None or (isinstance(value, str) and not value.strip()) else parse(value)
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, got {value!r}")
    return value


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"must be true or false, got {value!r}")


def _choice(*allowed: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}, got {value!r}")
        return text

    return parse


def _regexes(value: Any) -> list[str]:
    """A JSON list of regexes, or one regex per line (a comma can be part of a regex)."""
    import json
    import re

    if isinstance(value, str):
        text = value.strip()
        items = json.loads(text) if text.startswith("[") else [x.strip() for x in text.splitlines()]
    else:
        items = list(value)
    out = [str(x) for x in items if str(x).strip()]
    for item in out:
        try:
            re.compile(item)
        except re.error as exc:
            raise ValueError(f"invalid regex {item!r}: {exc}") from None
    return out


def _patterns(value: Any) -> dict[str, str]:
    """A JSON object ``{"type": "regex"}``: the regex's group ``v`` (or the match) is redacted."""
    import json
    import re

    items = json.loads(value) if isinstance(value, str) else dict(value)
    if not isinstance(items, dict):
        raise ValueError('must be a JSON object {"type": "regex"}')
    for name, pattern in items.items():
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise ValueError(f"invalid regex for {name!r}: {exc}") from None
    return {str(k): str(v) for k, v in items.items()}


def _ui_secret(value: Any) -> str:
    text = _text(value).strip()
    if len(text) < 32:
        raise ValueError("use at least 32 random characters")
    return text


def _review_policy(value: Any) -> dict[str, int]:
    from kb.lifecycle.staleness import parse_policy

    return parse_policy(value)


# Every field's default: ``__post_init__`` replaces it with the keyword given, the environment's
# value or the real default, in that order. Typed Any so the fields keep the types readers see.
_UNSET: Any = object()


def _spec(
    parse: Callable[[Any], Any], description: str, default: Any = None, factory: Any = None
) -> dict[str, Any]:
    """A field's metadata: how to parse it, what it means, its default."""
    return {"parse": parse, "description": description, "default": default, "factory": factory}


@dataclass
class Settings:
    """Runtime configuration. Every field can be set as ``KB_<NAME>``."""

    home: Path = field(
        default=_UNSET, metadata=_spec(_path, "Data directory (database, index).", factory=_default_home)
    )
    database_url: str | None = field(
        default=_UNSET,
        metadata=_spec(_optional(_text), "SQLAlchemy URL; default: a SQLite file in the data directory."),
    )
    embedder: str = field(
        default=_UNSET,
        metadata=_spec(
            _text,
            "'minilm' (the packaged all-MiniLM-L6-v2 through onnxruntime, the default), "
            "'minilm-torch' (the same model through sentence-transformers: the [torch] extra) "
            "or 'hashing' (tests only).",
            default="minilm",
        ),
    )
    embedding_precision: str = field(
        default=_UNSET,
        metadata=_spec(
            _choice("fp32", "int8"),
            "'fp32' (the default) or 'int8' (the 'minilm' embedder only: onnxruntime's dynamic "
            "quantization, faster, vectors at a cosine of about 0.99). An index is used only with "
            "the precision it was built with.",
            default="fp32",
        ),
    )
    model_path: Path | None = field(
        default=_UNSET,
        metadata=_spec(
            _optional(_path), "Folder of a sentence-transformers model; default: the packaged MiniLM."
        ),
    )
    max_file_bytes: int = field(
        default=_UNSET,
        metadata=_spec(
            _number(int, minimum=0, inclusive=False),
            "Markdown files larger than this are refused.",
            default=DEFAULT_MAX_FILE_BYTES,
        ),
    )
    max_request_bytes: int = field(
        default=_UNSET,
        metadata=_spec(
            _number(int, minimum=0, inclusive=False),
            "HTTP request bodies larger than this are refused (413).",
            default=8 * 1024 * 1024,
        ),
    )
    parse_timeout: float = field(
        default=_UNSET,
        metadata=_spec(
            _number(float, minimum=0, inclusive=False),
            "CPU seconds one file may take to parse; a file over it fails and the batch goes on.",
            default=5.0,
        ),
    )
    request_timeout: float = field(
        default=_UNSET,
        metadata=_spec(
            _number(float, minimum=0, inclusive=False),
            "Seconds an HTTP query or ingest may take before it answers 504.",
            default=30.0,
        ),
    )
    rate_limit: float = field(
        default=_UNSET,
        metadata=_spec(
            _number(float, minimum=0, inclusive=True),
            "HTTP requests a second per API key and per client address (bursts of twice that); "
            "over it answers 429 with Retry-After. 0 turns the limit off.",
            default=50.0,
        ),
    )
    auth_failure_limit: int = field(
        default=_UNSET,
        metadata=_spec(
            _number(int, minimum=1, inclusive=True),
            "Wrong API keys a minute per client address before its requests answer 429.",
            default=30,
        ),
    )
    embed_batch_size: int = field(
        default=_UNSET,
        metadata=_spec(_number(int, minimum=0, inclusive=False), "Texts per encoder batch.", 64),
    )
    ann_threshold: int = field(
        default=_UNSET,
        metadata=_spec(
            _number(int, minimum=0, inclusive=False),
            "From this many vectors on, the index is HNSW (approximate) instead of exact search.",
            default=20_000,
        ),
    )
    hnsw_ef_search: int = field(
        default=_UNSET,
        metadata=_spec(
            _number(int, minimum=0, inclusive=True),
            "HNSW search depth: higher is slower with better recall; 0 picks it by index size.",
            default=0,
        ),
    )

    redact_allow: list[str] = field(
        default=_UNSET,
        metadata=_spec(
            _regexes,
            "Values never redacted: a JSON list of regexes, or one per line, matched against a whole value.",
            factory=list,
        ),
    )
    redact_patterns: dict[str, str] = field(
        default=_UNSET,
        metadata=_spec(
            _patterns,
            'Extra secrets to redact: a JSON object {"type": "regex"}; group "v" or the match is replaced.',
            factory=dict,
        ),
    )
    redact_ips: str = field(
        default=_UNSET,
        metadata=_spec(
            _choice("public", "all", "none"),
            "IP addresses to redact: 'public' (private and reserved ranges kept), 'all' or 'none'.",
            default="public",
        ),
    )
    redact_personal: bool = field(
        default=_UNSET,
        metadata=_spec(
            _bool, "Redact personal data (e-mails, phones, cards, national ids, IPs).", default=True
        ),
    )

    proposal_rate: int = field(
        default=_UNSET,
        metadata=_spec(
            _number(int, minimum=0, inclusive=True),
            "Proposals one proposer (agent, key or person) may make a minute; over it they are "
            "refused (HTTP 429). 0 turns the limit off.",
            default=20,
        ),
    )
    max_open_proposals: int = field(
        default=_UNSET,
        metadata=_spec(
            _number(int, minimum=0, inclusive=True),
            "Proposals a team may have waiting for review; past it new ones are refused until some "
            "are reviewed. 0 turns the cap off.",
            default=500,
        ),
    )
    actor: str | None = field(
        default=_UNSET,
        metadata=_spec(
            _optional(_text),
            "Who a lesson's history names for changes made from this machine's CLI (--as wins); "
            "default: the login name.",
        ),
    )
    ui_secret: str | None = field(
        default=_UNSET,
        metadata=_spec(
            _optional(_ui_secret),
            "Signs the web UI's session cookies; set the same value on replicas behind one load "
            "balancer (at least 32 characters). Default: a random one kept in the data directory.",
        ),
    )
    review_policy: dict[str, int] = field(
        default=_UNSET,
        metadata=_spec(
            _review_policy,
            'Days between reviews per kind, a JSON object such as {"runbook": 180}; 0 = never due. '
            "A document's own front matter (review_by, last_reviewed_on + review_in) wins.",
            factory=lambda: _review_policy("{}"),
        ),
    )

    def __post_init__(self) -> None:
        environment = {
            key.upper()[len(ENV_PREFIX) :].lower(): value
            for key, value in os.environ.items()
            if key.upper().startswith(ENV_PREFIX)
        }
        for spec in fields(self):
            raw = getattr(self, spec.name)
            origin = spec.name
            if raw is _UNSET:
                if spec.name not in environment:
                    factory = spec.metadata["factory"]
                    setattr(self, spec.name, factory() if factory else spec.metadata["default"])
                    continue
                raw, origin = environment[spec.name], f"{ENV_PREFIX}{spec.name.upper()}"
            try:
                setattr(self, spec.name, spec.metadata["parse"](raw))
            except ValueError as exc:
                raise ConfigError(f"invalid setting {origin}: {exc}") from None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'kb.sqlite3'}"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"
