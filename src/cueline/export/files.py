"""Write rendered audio to files: one file, a playlist of one file per chapter, or every bundled routine.

Every format streams `render_blocks` (memory flat with routine length) into a temporary file beside the
target, completes and tags it there, and renames it into place: an interrupted export leaves nothing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cueline.atomic import atomic_path
from cueline.errors import ExportError
from cueline.export import AudioWriter, ExportFormat, ExportOptions
from cueline.export.chapters import Chapter, chapters_for
from cueline.export.tags import Tags, tags_for, track_tags
from cueline.pacing import Pacing
from cueline.render import ClipSource, render_span
from cueline.session import Prepared
from cueline.speech import SpeechEngine
from cueline.timeline import Timeline

if TYPE_CHECKING:
    from cueline.export.peaks import Dips

Progress = Callable[[int], None]  # called with the number of samples just written
ProgressFactory = Callable[[str, int], AbstractContextManager[Progress]]  # (label, total samples)
WriterFactory = Callable[[Path, ExportOptions, int, Tags | None], AudioWriter]


def _wav() -> WriterFactory:
    from cueline.export.wav import WavWriter

    return WavWriter


def _mp3() -> WriterFactory:
    from cueline.export.mp3 import Mp3Writer

    return Mp3Writer


def _sndfile() -> WriterFactory:
    from cueline.export.sndfile import SndfileWriter

    return SndfileWriter


# Imported on first use: each encoder's backend loads only when that format is written.
_WRITERS: dict[ExportFormat, Callable[[], WriterFactory]] = {
    ExportFormat.WAV: _wav,
    ExportFormat.MP3: _mp3,
    ExportFormat.FLAC: _sndfile,
    ExportFormat.OGG: _sndfile,
}


def _no_progress(samples: int) -> None:
    pass


@contextlib.contextmanager
def _quiet(label: str, total: int) -> Iterator[Progress]:
    yield _no_progress


def _encode(
    timeline: Timeline,
    clips: ClipSource,
    temp: Path,
    options: ExportOptions,
    tags: Tags | None,
    span: tuple[int, int],
    progress: Progress,
) -> None:
    """Encode the span into `temp`. A lossy file is then decoded and checked: where its encoder lifted a
    true peak past -1 dBTP, it is encoded again with a short dip there (`peaks.py`). The progress counts
    the first encode and the check as half of the samples each."""
    lossy = options.format in (ExportFormat.MP3, ExportFormat.OGG)
    first = _halved(progress) if lossy else progress
    _encode_once(timeline, clips, temp, options, tags, span, first, {})
    if not lossy:
        return
    from cueline.export.peaks import MAX_PASSES, deepened, overshoots

    dips: Dips = {}
    checking = first  # the first check is the other half of the progress; any further work is rare
    for _ in range(MAX_PASSES):
        found = overshoots(temp, advance=checking)
        checking = _no_progress
        if not found:
            break
        dips = deepened(dips, found)
        _encode_once(timeline, clips, temp, options, tags, span, _no_progress, dips)


def _halved(progress: Progress) -> Progress:
    def advance(samples: int) -> None:
        progress(samples // 2)

    return advance


def _encode_once(
    timeline: Timeline,
    clips: ClipSource,
    temp: Path,
    options: ExportOptions,
    tags: Tags | None,
    span: tuple[int, int],
    progress: Progress,
    dips: Dips,
) -> None:
    from cueline.export.peaks import dipped

    start, end = span
    writer = _WRITERS[options.format]()(temp, options, end - start, tags)
    try:
        for block in dipped(render_span(timeline, clips, start, end), dips):
            writer.write(block)
            progress(len(block))
        writer.finish()
    finally:
        writer.close()


def _require_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise ExportError(
            f"the folder {folder} does not exist", hint="create it first, or write somewhere else"
        )


def _unwritable(target: Path, exc: OSError) -> ExportError:
    return ExportError(
        f"could not write {target}: {exc.strerror or exc}",
        hint="choose a folder you can write to, with room for the file",
    )


def export_file(
    timeline: Timeline,
    clips: ClipSource,
    target: Path,
    options: ExportOptions,
    *,
    tags: Tags | None = None,
    progress: Progress | None = None,
) -> None:
    """Write the whole timeline to `target` in `options.format`; the file appears only when complete."""
    _require_folder(target.parent)
    try:
        with atomic_path(target) as temp:
            span = (0, timeline.total_samples)
            _encode(timeline, clips, temp, options, tags, span, progress or _no_progress)
    except OSError as exc:
        raise _unwritable(target, exc) from exc


def export_routine(
    prepared: Prepared, target: Path, options: ExportOptions, progress: Progress | None = None
) -> None:
    """A prepared routine in one file, tagged with its title, the pacing and loudness, and chapters."""
    tags = tags_for(prepared.timeline, prepared.clips.target_lufs)
    export_file(prepared.timeline, prepared.clips, target, options, tags=tags, progress=progress)


@dataclass(frozen=True)
class Playlist:
    """What a playlist export wrote."""

    tracks: tuple[Path, ...]
    m3u: Path


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


def safe_name(title: str, fallback: str) -> str:
    """A file name from a title that every phone's file system takes."""
    name = " ".join(_UNSAFE.sub("-", title).split()).strip(" .")
    return name if any(char.isalnum() for char in name) else fallback


def track_names(timeline: Timeline, chapters: tuple[Chapter, ...], fmt: ExportFormat) -> list[str]:
    """`01 Intro.mp3`, `02 Neck.mp3`, …: numbered so every file browser lists them in playing order."""
    width = max(2, len(str(len(chapters))))
    return [
        f"{chapter.index + 1:0{width}d} {safe_name(chapter.title, 'Chapter')}.{fmt.value}"
        for chapter in chapters
    ]


def m3u_text(timeline: Timeline, chapters: tuple[Chapter, ...], names: list[str]) -> str:
    """An extended M3U playlist (UTF-8) of the tracks, by relative path."""
    lines = ["#EXTM3U", f"#PLAYLIST:{timeline.title}"]
    for chapter, name in zip(chapters, names, strict=True):
        seconds = round(chapter.length_samples / timeline.sample_rate_hz)
        lines += [f"#EXTINF:{seconds},{chapter.title}", name]
    return "\n".join(lines) + "\n"


def _make_folder(folder: Path) -> None:
    """A folder for many files: made if missing, but only inside one that exists."""
    _require_folder(folder.parent)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _unwritable(folder, exc) from exc
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder", hint="name a folder to write the files into")


def export_playlist(
    prepared: Prepared, folder: Path, options: ExportOptions, progress: Progress | None = None
) -> Playlist:
    """One file per chapter (intro, each step, outro) in `folder`, and an .m3u playlist of them, for
    players without chapter support. All files appear together at the end, or none do."""
    _make_folder(folder)
    timeline = prepared.timeline
    chapters = chapters_for(timeline)
    names = track_names(timeline, chapters, options.format)
    m3u = folder / f"{safe_name(timeline.title, 'playlist')}.m3u"
    try:
        with contextlib.ExitStack() as stack:  # every rename happens only once every file is complete
            for chapter, name in zip(chapters, names, strict=True):
                temp = stack.enter_context(atomic_path(folder / name))
                tags = track_tags(timeline, prepared.clips.target_lufs, chapter, len(chapters))
                span = (chapter.start_sample, chapter.end_sample)
                _encode(timeline, prepared.clips, temp, options, tags, span, progress or _no_progress)
            temp = stack.enter_context(atomic_path(m3u))
            temp.write_text(m3u_text(timeline, chapters, names), encoding="utf-8")
    except OSError as exc:
        raise _unwritable(folder, exc) from exc
    return Playlist(tuple(folder / name for name in names), m3u)


@dataclass(frozen=True)
class Exported:
    """One routine written by `export_bundled`."""

    name: str
    path: Path
    timeline: Timeline


def export_bundled(
    folder: Path,
    pacing: Pacing,
    options: ExportOptions,
    *,
    target_lufs: float | None,
    no_safety: bool = False,
    engine: SpeechEngine | None = None,
    cache_root: Path | None = None,
    progress: ProgressFactory | None = None,
) -> Iterator[Exported]:
    """Export every bundled routine into `folder` as NAME.EXT with the same options, one after another
    (yielding each as it is written). They share the speech cache, so a line two routines speak (the
    safety line, the counts) is rendered once."""
    from cueline.catalog import bundled_entries
    from cueline.safety import without_safety
    from cueline.session import default_engine, prepare

    _make_folder(folder)
    engine = engine or default_engine()
    for entry in bundled_entries():
        routine = entry.load()
        routine = without_safety(routine) if no_safety else routine
        prepared = prepare(routine, pacing, engine, cache_root, target_lufs)
        target = folder / f"{entry.name}.{options.format.value}"
        with (progress or _quiet)(entry.name, prepared.timeline.total_samples) as advance:
            export_routine(prepared, target, options, advance)
        yield Exported(entry.name, target, prepared.timeline)
