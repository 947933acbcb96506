"""File exporters: each consumes the same rendered blocks as the live player."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from cueline.errors import ExportError


class ExportFormat(StrEnum):
    """Formats cueline can write."""

    WAV = "wav"


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
            hint=f"use one of {known}",
        ) from None
