"""Shared fixtures: an isolated cache, a fake speech engine, routine files, and a CLI runner."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from fakes import ToneSpeech


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty cache, so no test depends on another's renders, and its own empty config
    folder, so no one's saved preferences change what a test hears."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CUELINE_CACHE_DIR", str(cache))
    monkeypatch.setenv("CUELINE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("CUELINE_DEBUG", raising=False)
    return cache


@pytest.fixture
def tone() -> ToneSpeech:
    return ToneSpeech()


@pytest.fixture
def write_routine(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write routine YAML text to a file and return its path."""

    def write(text: str, name: str = "routine.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
