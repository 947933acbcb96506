"""Timed captions of every spoken line and count, as WebVTT or SubRip, from the timeline's speech cues."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cueline.atomic import atomic_path
from cueline.errors import ExportError
from cueline.pcm import samples_to_ms
from cueline.timeline import Timeline


class CaptionFormat(StrEnum):
    """Caption formats, named by their file extensions."""

    VTT = "vtt"
    SRT = "srt"


@dataclass(frozen=True)
class Caption:
    """One spoken cue, on screen while it sounds."""

    start_sample: int
    end_sample: int
    text: str

    @property
    def start_ms(self) -> int:
        return samples_to_ms(self.start_sample)

    @property
    def end_ms(self) -> int:
        return samples_to_ms(self.end_sample)


def captions_for(timeline: Timeline) -> tuple[Caption, ...]:
    """Every speech cue of the timeline, in order, counts included."""
    return tuple(
        Caption(cue.start_sample, cue.end_sample, " ".join(cue.text.split()))
        for cue in timeline.cues
        if cue.text is not None
    )


def caption_format_for(path: Path) -> CaptionFormat:
    """The caption format a file's extension names."""
    try:
        return CaptionFormat(path.suffix.lower().lstrip("."))
    except ValueError:
        known = " or ".join(f".{fmt.value}" for fmt in CaptionFormat)
        raise ExportError(
            f"cannot tell the caption format of {path.name!r} from its extension", hint=f"use {known}"
        ) from None


def _timestamp(ms: int, decimal: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{decimal}{millis:03d}"


def webvtt(captions: tuple[Caption, ...]) -> str:
    """WebVTT text: text is escaped (&, <, >), as the format requires."""
    lines = ["WEBVTT", ""]
    for caption in captions:
        text = caption.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [f"{_timestamp(caption.start_ms, '.')} --> {_timestamp(caption.end_ms, '.')}", text, ""]
    return "\n".join(lines)


def subrip(captions: tuple[Caption, ...]) -> str:
    """SubRip (.srt) text: numbered cues, comma before the milliseconds."""
    lines: list[str] = []
    for number, caption in enumerate(captions, start=1):
        when = f"{_timestamp(caption.start_ms, ',')} --> {_timestamp(caption.end_ms, ',')}"
        lines += [str(number), when, caption.text, ""]
    return "\n".join(lines)


def check_captions_target(target: Path) -> CaptionFormat:
    """The caption format for `target`, once its extension and folder are known to be usable: checked
    before a long export rather than after it."""
    fmt = caption_format_for(target)
    if not target.parent.is_dir():
        raise ExportError(
            f"the folder {target.parent} does not exist", hint="create it first, or write somewhere else"
        )
    if not os.access(target.parent, os.W_OK):
        raise ExportError(
            f"cannot write captions in {target.parent}", hint="choose a folder you can write to"
        )
    return fmt


def write_captions(timeline: Timeline, target: Path) -> int:
    """Write the timeline's captions to `target` (format from its extension), atomically; returns how many."""
    fmt = check_captions_target(target)
    captions = captions_for(timeline)
    text = webvtt(captions) if fmt is CaptionFormat.VTT else subrip(captions)
    try:
        with atomic_path(target) as temp:
            temp.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExportError(
            f"could not write {target}: {exc.strerror or exc}", hint="choose a folder you can write to"
        ) from exc
    return len(captions)
