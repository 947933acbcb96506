"""The export tests' prepared routine (see export_cases.py), rendered with the quick ToneSpeech fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from cueline.pacing import Pacing
from cueline.session import Prepared, prepare

from export_cases import ROUTINE
from fakes import ToneSpeech


@pytest.fixture
def prepared(tone: ToneSpeech, tmp_path: Path) -> Prepared:
    return prepare(ROUTINE, Pacing(), engine=tone, cache_root=tmp_path / "cache")
