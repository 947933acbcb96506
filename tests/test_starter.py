"""`cueline new`: a starter routine that lints clean and never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from cueline.catalog import load_routine
from cueline.errors import CuelineError
from cueline.starter import create_routine


def test_the_starter_is_a_valid_routine_found_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUELINE_ROUTINES_DIR", str(tmp_path / "mine"))
    path = create_routine("evening-face")
    assert path == tmp_path / "mine" / "evening-face.yaml"
    routine = load_routine("evening-face")
    assert routine.title == "Evening face"
    assert [s.name for s in routine.steps] == ["Spread the oil", "Jaw", "Temples"]
    first = path.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=") and first.endswith("routine.schema.json")
    assert Path(first.split("=", 1)[1]).is_file()


def test_new_never_overwrites(tmp_path: Path) -> None:
    create_routine("mine", tmp_path)
    (tmp_path / "mine.yaml").write_text("my edits")
    with pytest.raises(CuelineError, match="already exists"):
        create_routine("mine", tmp_path)
    assert (tmp_path / "mine.yaml").read_text() == "my edits"


@pytest.mark.parametrize("name", ["", "Face", "../escape", "a b", "-dash", "x" * 60])
def test_names_must_be_plain(tmp_path: Path, name: str) -> None:
    with pytest.raises(CuelineError, match="not a usable routine name"):
        create_routine(name, tmp_path)
    assert list(tmp_path.iterdir()) == []
