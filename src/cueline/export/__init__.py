"""File exporters: each consumes the same rendered blocks as the live player."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cueline import defaults
from cueline.errors import ExportError

if TYPE_CHECKING:
    from cueline.export.tags import Tags
    from cueline.wavfile import Samples


class ExportFormat(StrEnum):
    """Formats cueline can write."""

    WAV = "wav"
    FLAC = "flac"
    OGG = "ogg"  # Vorbis
    MP3 = "mp3"


@dataclass(frozen=True)
class ExportOptions:
    """How to encode: the format, and for the lossy ones the bitrate."""

    format: ExportFormat
    bitrate_kbps: int = defaults.BITRATE_KBPS

    def __post_init__(self) -> None:
        if self.bitrate_kbps not in defaults.BITRATES_KBPS:
            raise ExportError(
                f"a bitrate of {self.bitrate_kbps} kbps is not offered",
                hint=f"use one of {', '.join(str(k) for k in defaults.BITRATES_KBPS)}",
            )


class AudioWriter(Protocol):
    """One format's encoder writing one (temporary) file, made with the file's path, options, length in
    samples and tags: PCM blocks in, then the stream completed and tagged. A new format is one new module
    with a class like this, registered in `export.files`."""

    def __init__(self, path: Path, options: ExportOptions, total_samples: int, tags: Tags | None) -> None: ...

    def write(self, block: Samples) -> None: ...

    def finish(self) -> None:
        """Complete the stream (flush, fill in headers) and its tags, and close it."""
        ...

    def close(self) -> None:
        """Release the file, finished or not (safe to call twice)."""
        ...


def format_for(path: Path, requested: ExportFormat | None = None) -> ExportFormat:
    """The requested format, or the one the file's extension names."""
    if requested is not None:
        return requested
    suffix = path.suffix.lower().lstrip(".")
    try:
        return ExportFormat(suffix)
    except ValueError:
        known = ", ".join(f".{fmt.value}" for fmt in ExportFormat)
        raise ExportError(
            f"cannot tell the format of {path.name!r} from its extension",
            hint=f"use one of {known}, or name one with --format",
        ) from None
