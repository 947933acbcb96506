"""Streaming, atomic WAV export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cueline.atomic import atomic_path
from cueline.errors import ExportError
from cueline.render import ClipSource, render_blocks
from cueline.timeline import Timeline
from cueline.wavfile import wav_header

Progress = Callable[[int], None]  # called with the number of samples just written


def export_wav(timeline: Timeline, clips: ClipSource, target: Path, progress: Progress | None = None) -> None:
    """Write the timeline's audio to `target` as WAV; the header is exact up front, since the length is
    known, and the file appears only when complete."""
    if not target.parent.is_dir():
        raise ExportError(
            f"the folder {target.parent} does not exist", hint="create it first, or write somewhere else"
        )
    try:
        with atomic_path(target) as temp, open(temp, "wb") as out:
            out.write(wav_header(timeline.total_samples))
            for block in render_blocks(timeline, clips):
                out.write(block.astype("<i2").tobytes())
                if progress is not None:
                    progress(len(block))
    except OSError as exc:
        raise ExportError(f"could not write {target}: {exc.strerror or exc}") from exc
