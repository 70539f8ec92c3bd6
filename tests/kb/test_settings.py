"""Settings from KB_ variables and keywords: parsed, checked, and named in every error."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from kb.errors import ConfigError
from kb.settings import DEFAULT_MAX_FILE_BYTES, Settings

REPO = Path(__file__).resolve().parents[2]


def test_defaults_without_any_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KB_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = Settings()
    assert settings.home == tmp_path / "data" / "forewarn"  # the platform's per-user data folder
    assert settings.database_url is None
    assert settings.resolved_database_url == f"sqlite:///{settings.home / 'kb.sqlite3'}"
    assert (settings.embedder, settings.model_path) == ("minilm", None)
    assert settings.max_file_bytes == DEFAULT_MAX_FILE_BYTES
    assert (settings.ann_threshold, settings.hnsw_ef_search, settings.request_timeout) == (20_000, 0, 30.0)
    assert settings.index_dir == settings.home / "index"


def test_a_data_folder_made_under_the_first_name_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KB_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "data" / "hindsight").mkdir(parents=True)
    assert Settings().home == tmp_path / "data" / "hindsight"
    (tmp_path / "data" / "forewarn").mkdir()
    assert Settings().home == tmp_path / "data" / "forewarn"


def test_variables_are_parsed_into_their_types(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KB_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("KB_ANN_THRESHOLD", " 500 ")
    monkeypatch.setenv("KB_REQUEST_TIMEOUT", "2.5")
    monkeypatch.setenv("kb_hnsw_ef_search", "0")  # names are case-insensitive
    monkeypatch.setenv("KB_DATABASE_URL", "postgresql://u@db/kb")
    monkeypatch.setenv("KB_UNRELATED_THING", "ignored")
    settings = Settings()
    assert settings.home == tmp_path / "h"
    assert settings.ann_threshold == 500 and isinstance(settings.ann_threshold, int)
    assert settings.request_timeout == 2.5
    assert settings.hnsw_ef_search == 0
    assert settings.resolved_database_url == "postgresql://u@db/kb"


def test_keywords_win_over_variables_and_are_checked_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KB_EMBEDDER", "minilm-torch")
    monkeypatch.setenv("KB_ANN_THRESHOLD", "7")
    settings = Settings(home=str(tmp_path), embedder="hashing")  # type: ignore[arg-type]
    assert settings.home == tmp_path and isinstance(settings.home, Path)
    assert settings.embedder == "hashing"
    assert settings.ann_threshold == 7  # not given: from the environment
    with pytest.raises(ConfigError, match="invalid setting embed_batch_size: must be greater than 0"):
        Settings(embed_batch_size=0)


def test_an_empty_optional_variable_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_MODEL_PATH", "")
    monkeypatch.setenv("KB_DATABASE_URL", "  ")
    settings = Settings()
    assert settings.model_path is None  # not Path("") (the current folder)
    assert settings.database_url is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KB_ANN_THRESHOLD", "many", "must be an integer greater than 0, got 'many'"),
        ("KB_ANN_THRESHOLD", "0", "must be greater than 0, got '0'"),
        ("KB_ANN_THRESHOLD", "2.5", "must be an integer"),
        ("KB_HNSW_EF_SEARCH", "-1", "must be at least 0, got '-1'"),
        ("KB_REQUEST_TIMEOUT", "nan", "must be a number greater than 0"),
        ("KB_MAX_FILE_BYTES", "", "must be an integer"),
        ("KB_HOME", "  ", "must be a path"),
    ],
)
def test_a_bad_variable_is_a_config_error_that_names_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        Settings()
    assert caught.value.message.startswith(f"invalid setting {name}: ")
    assert message in caught.value.message


def test_every_setting_has_a_description() -> None:
    for spec in dataclasses.fields(Settings):
        assert spec.metadata["description"].strip(), spec.name


def test_reading_settings_imports_no_validation_framework() -> None:
    code = (
        "import sys, kb.settings\n"
        "kb.settings.Settings()\n"
        "print([m for m in sys.modules if m.startswith('pydantic')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
