"""The routine model: what a routine file says, as frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cueline import defaults


class CountMode(StrEnum):
    """How each repetition is counted."""

    VOICE = "voice"
    CHIME = "chime"
    BOTH = "both"
    SILENT = "silent"


@dataclass(frozen=True)
class Step:
    """One step of a routine: an instruction, then counted reps, a timed hold, or nothing."""

    name: str
    say: str | None = None
    reps: int | None = None
    hold_s: float | None = None
    tempo_s: float | None = None
    sides: tuple[str, ...] = ()
    rest_s: float = defaults.REST_S
    line: int = 0  # where the step starts in its file, for messages about it


@dataclass(frozen=True)
class Routine:
    """A whole routine, as loaded from a file and validated."""

    title: str
    steps: tuple[Step, ...]
    source: str = "<routine>"  # a path or `bundled:NAME`, for messages
    description: str | None = None
    language: str = defaults.LANGUAGE
    voice: str | None = None
    tempo_s: float = defaults.TEMPO_S
    count: CountMode = CountMode.VOICE
    intro: tuple[str, ...] = ()
    outro: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()  # spoken before everything else; `--no-safety` empties it
    technique: str | None = None
    tools: tuple[str, ...] = ()
    oil: str | None = None
    tags: tuple[str, ...] = ()
