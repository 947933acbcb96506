"""Routines by name: bundled ones, the user's own folder, and which wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from cueline.catalog import Origin, bundled_names, entries, find, load_routine
from cueline.errors import RoutineError

BUNDLED = [
    "face-basics", "face-roller", "gua-sha", "lymphatic-drainage",
    "quick-3", "shiatsu-points", "swedish-relax",
]  # fmt: skip


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    monkeypatch.setenv("CUELINE_ROUTINES_DIR", str(folder))
    return folder


def test_the_bundled_library(user_dir: Path) -> None:
    assert bundled_names() == BUNDLED
    assert [(e.name, e.origin) for e in entries()] == [(name, Origin.BUNDLED) for name in BUNDLED]


def test_user_routines_are_listed_by_name_and_a_user_file_wins_over_a_bundled_one(user_dir: Path) -> None:
    (user_dir / "evening.yaml").write_text("title: Evening\nsteps:\n  - name: Breathe\n")
    (user_dir / "quick-3.yaml").write_text("title: My quick one\nsteps:\n  - name: Breathe\n")
    (user_dir / "notes.txt").write_text("not a routine")
    listed = {e.name: e for e in entries()}
    assert listed["evening"].origin is Origin.USER and not listed["evening"].shadows_bundled
    assert listed["quick-3"].origin is Origin.USER and listed["quick-3"].shadows_bundled
    assert "notes" not in listed
    assert load_routine("quick-3").title == "My quick one"
    assert load_routine("evening").title == "Evening"
    assert load_routine("face-basics").title == "Face basics"


def test_paths_are_loaded_as_files_whatever_their_name(user_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "face-basics.yaml"
    path.write_text("title: From a path\nsteps:\n  - name: Breathe\n")
    assert load_routine(str(path)).title == "From a path"


def test_an_unknown_name_suggests_the_closest(user_dir: Path) -> None:
    with pytest.raises(RoutineError) as caught:
        find("gua-sah")
    assert caught.value.hint == "did you mean `gua-sha`?"
