"""Atomic output: the file appears complete or not at all, whenever the writer is stopped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cueline import atomic
from cueline.atomic import atomic_path


def test_the_target_appears_only_when_the_block_completes(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_path(target) as temp:
        temp.write_text("done")
        assert not target.exists() and temp.parent == tmp_path and temp.name.endswith(".partial")
    assert target.read_text() == "done"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


@pytest.mark.parametrize("error", [KeyboardInterrupt(), SystemExit(143), OSError(28, "No space left")])
def test_a_stopped_writer_leaves_nothing_and_keeps_the_old_file(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(type(error)), atomic_path(target) as temp:
        temp.write_text("half")
        raise error
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_signal_while_the_temporary_file_is_being_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM becomes SystemExit in the CLI; here it lands the moment the file exists, before the
    writer has been handed its name: the window a killed export used to leak through."""
    made = atomic._create

    def made_then_killed(path: Path) -> bool:
        made(path)
        raise SystemExit(143)

    monkeypatch.setattr(atomic, "_create", made_then_killed)
    with pytest.raises(SystemExit), atomic_path(tmp_path / "out.txt"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_taken_temporary_name_is_never_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = iter(["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"])
    monkeypatch.setattr(atomic.secrets, "token_hex", lambda n: next(names))
    theirs = tmp_path / ".out.txt.aaaaaaaaaaaaaaaa.partial"
    theirs.write_text("another writer's")
    with pytest.raises(KeyboardInterrupt), atomic_path(tmp_path / "out.txt") as temp:
        assert temp.name == ".out.txt.bbbbbbbbbbbbbbbb.partial"
        raise KeyboardInterrupt
    assert theirs.read_text() == "another writer's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [theirs.name]
    assert os.stat(theirs)  # still there
