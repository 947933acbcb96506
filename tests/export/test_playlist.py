"""Playlist export: a file per chapter and an .m3u, for players without chapters. The tracks joined are
the whole routine, sample for sample; all files appear together, or none."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile
from measure import ffmpeg_decode, needs_ffmpeg
from mutagen.flac import FLAC
from mutagen.mp3 import MP3

from cueline.errors import ExportError
from cueline.export import ExportFormat, ExportOptions
from cueline.export.chapters import chapters_for
from cueline.export.files import export_playlist, safe_name
from cueline.render import render_blocks
from cueline.session import Prepared

NAMES = ["01 Intro", "02 Neck", "03 Jaw & chin", "04 Temples", "05 Outro"]


def test_flac_tracks_joined_are_the_whole_render(prepared: Prepared, tmp_path: Path) -> None:
    written = export_playlist(prepared, tmp_path / "out", ExportOptions(ExportFormat.FLAC))
    assert [p.name for p in written.tracks] == [f"{name}.flac" for name in NAMES]
    joined = np.concatenate([soundfile.read(p, dtype="int16")[0] for p in written.tracks])
    np.testing.assert_array_equal(
        joined, np.concatenate(list(render_blocks(prepared.timeline, prepared.clips)))
    )
    tags = [FLAC(p).tags for p in written.tracks]
    assert [(t["TITLE"], t["TRACKNUMBER"], t["TRACKTOTAL"]) for t in tags if t is not None] == [
        ([title], [str(n)], ["5"])
        for n, title in enumerate(["Intro", "Neck", "Jaw & chin", "Temples", "Outro"], 1)
    ]
    assert all(t is not None and t["ALBUM"] == ["Évening face"] for t in tags)


@needs_ffmpeg
def test_mp3_tracks_each_last_their_chapter(prepared: Prepared, tmp_path: Path) -> None:
    written = export_playlist(prepared, tmp_path / "out", ExportOptions(ExportFormat.MP3))
    chapters = chapters_for(prepared.timeline)
    assert [len(ffmpeg_decode(p)) for p in written.tracks] == [c.length_samples for c in chapters]
    assert [str(MP3(p).tags["TRCK"]) for p in written.tracks] == [f"{n}/5" for n in range(1, 6)]  # type: ignore[index]


def test_the_m3u_lists_the_tracks_in_order_with_their_lengths(prepared: Prepared, tmp_path: Path) -> None:
    written = export_playlist(prepared, tmp_path / "out", ExportOptions(ExportFormat.FLAC))
    assert written.m3u == tmp_path / "out" / "Évening face.m3u"
    lines = written.m3u.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["#EXTM3U", "#PLAYLIST:Évening face"]
    entries = list(zip(lines[2::2], lines[3::2], strict=True))
    chapters = chapters_for(prepared.timeline)
    assert [name for _, name in entries] == [f"{name}.flac" for name in NAMES]
    assert [info for info, _ in entries] == [
        f"#EXTINF:{round(c.length_samples / 22050)},{c.title}" for c in chapters
    ]
    for _, name in entries:
        assert (written.m3u.parent / name).is_file()  # relative paths that resolve


class _StopAtTheOutro:
    """Clips as usual, until the outro is asked for: a Ctrl-C once the other tracks are complete."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.target_lufs = -16.0

    def speech(self, text: str) -> np.ndarray:
        if text == "Well done.":
            raise KeyboardInterrupt
        return self.inner.speech(text)  # type: ignore[attr-defined, no-any-return]

    def chime(self, chime: object) -> np.ndarray:
        return self.inner.chime(chime)  # type: ignore[attr-defined, no-any-return]


def test_an_interrupted_playlist_leaves_no_track_and_no_playlist(prepared: Prepared, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    cut = Prepared(prepared.routine, prepared.timeline, _StopAtTheOutro(prepared.clips))  # type: ignore[arg-type]
    with pytest.raises(KeyboardInterrupt):
        export_playlist(cut, folder, ExportOptions(ExportFormat.FLAC))
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_the_playlist_folder_is_made_but_not_its_parents(prepared: Prepared, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export_playlist(prepared, tmp_path / "no" / "such", ExportOptions(ExportFormat.FLAC))
    (tmp_path / "file").write_text("")
    with pytest.raises(ExportError):
        export_playlist(prepared, tmp_path / "file", ExportOptions(ExportFormat.FLAC))


@pytest.mark.parametrize(
    ("title", "name"),
    [("Jaw & chin", "Jaw & chin"), ("Left/right", "Left-right"), ('Ask: "why?"', "Ask- -why-"),
     ("  Dots...  ", "Dots"), ("///", "Chapter"), ("Wangen – sanft", "Wangen – sanft")],
)  # fmt: skip
def test_safe_names_keep_what_phones_accept(title: str, name: str) -> None:
    assert safe_name(title, "Chapter") == name
