"""Streaming WAV: the header is exact up front, since the length is known."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cueline.export import ExportFormat, ExportOptions
from cueline.export.tags import Tags
from cueline.render import ClipSource
from cueline.riff import wav_header
from cueline.timeline import Timeline
from cueline.wavfile import Samples

Progress = Callable[[int], None]  # called with the number of samples just written


class WavWriter:
    """Plain 16-bit PCM; WAV carries no chapters or tags here (players barely read them)."""

    def __init__(self, path: Path, options: ExportOptions, total_samples: int, tags: Tags | None) -> None:
        self._file = open(path, "wb")  # noqa: SIM115 - closed by close(), whatever happens in between
        self._file.write(wav_header(total_samples))

    def write(self, block: Samples) -> None:
        self._file.write(block.astype("<i2").tobytes())

    def finish(self) -> None:
        self._file.close()

    def close(self) -> None:
        self._file.close()


def export_wav(timeline: Timeline, clips: ClipSource, target: Path, progress: Progress | None = None) -> None:
    """Write the timeline's audio to `target` as WAV; the file appears only when complete."""
    from cueline.export.files import export_file

    export_file(timeline, clips, target, ExportOptions(ExportFormat.WAV), progress=progress)
