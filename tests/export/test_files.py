"""What every format shares: the format from the extension, streaming into a temporary file that appears
only when complete (an interrupted or killed export leaves nothing), one-line errors with a fix, and
exporting every bundled routine with the speech cache shared."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cueline.catalog import bundled_names
from cueline.errors import ExportError
from cueline.export import ExportFormat, ExportOptions, format_for
from cueline.export.files import export_bundled, export_file, export_routine
from cueline.pacing import Pacing
from cueline.routine import CountMode
from cueline.session import Prepared

from fakes import InterruptingClips, ToneSpeech

ALL_FORMATS = pytest.mark.parametrize("fmt", list(ExportFormat))


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.wav", ExportFormat.WAV), ("a.FLAC", ExportFormat.FLAC), ("a.ogg", ExportFormat.OGG),
     ("my.routine.mp3", ExportFormat.MP3)],
)  # fmt: skip
def test_the_extension_names_the_format(name: str, fmt: ExportFormat) -> None:
    assert format_for(Path(name)) is fmt
    assert format_for(Path(name), ExportFormat.FLAC) is ExportFormat.FLAC  # --format overrides


@pytest.mark.parametrize("name", ["a.mp4", "a.m4a", "noextension", "a.wav.partial"])
def test_an_unknown_extension_is_an_error_with_the_fix(name: str) -> None:
    with pytest.raises(ExportError) as caught:
        format_for(Path(name))
    assert str(caught.value) == (
        f"cannot tell the format of {name!r} from its extension\n"
        "  hint: use one of .wav, .flac, .ogg, .mp3, or name one with --format"
    )


def test_a_bitrate_not_offered_is_an_error() -> None:
    with pytest.raises(ExportError, match="32 kbps is not offered"):
        ExportOptions(ExportFormat.MP3, 32)


@ALL_FORMATS
@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_an_interrupted_export_leaves_nothing_and_keeps_the_old_file(
    prepared: Prepared, tmp_path: Path, fmt: ExportFormat, error: BaseException
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"routine.{fmt.value}"
    target.write_bytes(b"the previous export")
    clips = InterruptingClips(prepared.clips, 12, error)
    with pytest.raises((KeyboardInterrupt, ExportError)) as caught:
        export_file(prepared.timeline, clips, target, ExportOptions(fmt))
    if isinstance(error, OSError):
        assert str(caught.value).startswith(f"could not write {target}: No space left on device")
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in out.iterdir()) == [target.name]


@pytest.mark.parametrize("fmt", [ExportFormat.MP3, ExportFormat.OGG])
def test_a_killed_export_leaves_no_partial_file(tmp_path: Path, fmt: ExportFormat) -> None:
    """SIGTERM to a real `cueline export` of a long routine, sent as soon as its temporary file appears."""
    source = tmp_path / "long.yaml"
    source.write_text("title: Long\ncount: chime\nsteps:\n  - name: Strokes\n    reps: 450\n    tempo: 30s\n")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "CUELINE_CACHE_DIR": str(tmp_path / "cache")}
    target = out / f"long.{fmt.value}"
    command = [sys.executable, "-m", "cueline", "export", str(source), "-o", str(target)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not any(out.iterdir()) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)  # polling a real subprocess: there is no clock to inject here
    assert process.poll() is None, "the export ended before it could be interrupted"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert list(out.iterdir()) == []


def test_export_refuses_a_missing_folder_and_a_folder_in_the_way(prepared: Prepared, tmp_path: Path) -> None:
    options = ExportOptions(ExportFormat.MP3)
    with pytest.raises(ExportError, match="does not exist") as caught:
        export_routine(prepared, tmp_path / "missing" / "out.mp3", options)
    assert caught.value.hint == "create it first, or write somewhere else"
    assert not (tmp_path / "missing").exists()
    (tmp_path / "taken.mp3").mkdir()
    with pytest.raises(ExportError, match=r"could not write .*taken\.mp3") as caught:
        export_routine(prepared, tmp_path / "taken.mp3", options)
    assert caught.value.hint == "choose a folder you can write to, with room for the file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "taken.mp3"]


@ALL_FORMATS
def test_an_export_gets_the_usual_file_mode(prepared: Prepared, tmp_path: Path, fmt: ExportFormat) -> None:
    target = tmp_path / f"out.{fmt.value}"
    old = os.umask(0o022)
    try:
        export_routine(prepared, target, ExportOptions(fmt))
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_export_bundled_writes_every_routine_and_renders_each_line_once(tmp_path: Path) -> None:
    engine = ToneSpeech()
    pacing = Pacing(reps=2, count=CountMode.BOTH)  # short files; spoken counts shared by every routine
    folder = tmp_path / "all"
    started: list[tuple[str, int]] = []

    def progress(label: str, total: int) -> object:
        started.append((label, total))
        return _Noting()

    written = list(
        export_bundled(
            folder, pacing, ExportOptions(ExportFormat.WAV), target_lufs=-16.0, engine=engine,
            cache_root=tmp_path / "cache", progress=progress,  # type: ignore[arg-type]
        )
    )  # fmt: skip
    names = bundled_names()
    assert [w.name for w in written] == names
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.wav" for n in names)
    for done in written:
        assert (done.path.stat().st_size - 44) // 2 == done.timeline.total_samples
    assert started == [(w.name, w.timeline.total_samples) for w in written]
    assert len(engine.calls) == len(set(engine.calls))  # the safety line and counts: rendered once
    assert {"one", "two"} <= set(engine.calls)

    again = ToneSpeech()
    list(export_bundled(folder, pacing, ExportOptions(ExportFormat.WAV), target_lufs=-16.0, engine=again,
                        cache_root=tmp_path / "cache"))  # fmt: skip
    assert again.calls == []  # all from the cache


class _Noting:
    def __enter__(self) -> object:
        return lambda samples: None

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.mark.parametrize("fmt", [ExportFormat.WAV, ExportFormat.MP3])
def test_progress_reaches_the_end_once_whatever_the_passes(
    prepared: Prepared, tmp_path: Path, fmt: ExportFormat
) -> None:
    # A lossy file is encoded, then decoded to check its peaks: each counts half of the bar.
    advanced: list[int] = []
    target = tmp_path / f"out.{fmt.value}"
    export_file(prepared.timeline, prepared.clips, target, ExportOptions(fmt), progress=advanced.append)
    total = prepared.timeline.total_samples
    blocks = -(-total // 22050) + 1
    assert total - 2 * blocks <= sum(advanced) <= total
