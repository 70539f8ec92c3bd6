"""One settings object, read from ``KB_`` environment variables at the edge and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024


def _default_home() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("hindsight", appauthor=False))


class Settings(BaseSettings):
    """Runtime configuration. Every field can be set as ``KB_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Data directory (database, index).")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in the data directory."
    )
    embedder: str = Field(
        default="minilm",
        description=(
            "'minilm' (the packaged all-MiniLM-L6-v2 through onnxruntime, the default), "
            "'minilm-torch' (the same model through sentence-transformers) or 'hashing' (tests only)."
        ),
    )
    model_path: Path | None = Field(
        default=None, description="Folder of a sentence-transformers model; default: the packaged MiniLM."
    )
    max_file_bytes: int = Field(default=DEFAULT_MAX_FILE_BYTES, gt=0)
    max_request_bytes: int = Field(
        default=8 * 1024 * 1024, gt=0, description="HTTP request bodies larger than this are refused (413)."
    )
    request_timeout: float = Field(
        default=30.0, gt=0, description="Seconds an HTTP query or ingest may take before it answers 504."
    )
    embed_batch_size: int = Field(default=64, gt=0)
    ann_threshold: int = Field(
        default=20_000,
        gt=0,
        description="From this many vectors on, the index is HNSW (approximate) instead of exact search.",
    )
    hnsw_ef_search: int = Field(
        default=0,
        ge=0,
        description="HNSW search depth: higher is slower with better recall; 0 picks it by index size.",
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'kb.sqlite3'}"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"
