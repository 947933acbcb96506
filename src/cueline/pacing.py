"""Pacing: how fast to move through a routine, chosen per run without touching the routine file.

Settings come in layers, each saying only what it says: the command line over saved preferences over the
routine file over cueline's defaults. `Choices` is one layer above the routine; `Pacing` is the result that
compiling reads (with the routine's own count mode and cues still below it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from cueline import defaults
from cueline.durations import format_duration
from cueline.errors import PacingError
from cueline.routine import CountMode, CueSwitches, SpokenCue

T = TypeVar("T")


@dataclass(frozen=True)
class Pacing:
    """Per-run adjustments; `pace` divides rep, hold and rest durations (speech is never stretched)."""

    pace: float = defaults.PACE
    speech_rate_wpm: int = defaults.SPEECH_RATE_WPM
    reps: int | None = None  # overrides every counted step's reps
    count: CountMode | None = None  # overrides the routine's (and every step's) count mode
    cues: CueSwitches = field(default_factory=CueSwitches)  # over the routine's own `cues:`
    fit_s: float | None = None  # when set, `session.prepare` picks the pace that makes the routine last this

    def __post_init__(self) -> None:
        if not defaults.PACE_MIN <= self.pace <= defaults.PACE_MAX:
            raise PacingError(
                f"pace {self.pace:g} is out of range",
                hint=f"use a pace from {defaults.PACE_MIN:g} (slower) to {defaults.PACE_MAX:g} (faster)",
            )
        if not defaults.SPEECH_RATE_MIN_WPM <= self.speech_rate_wpm <= defaults.SPEECH_RATE_MAX_WPM:
            raise PacingError(
                f"speech rate {self.speech_rate_wpm} words per minute is out of range",
                hint=f"use {defaults.SPEECH_RATE_MIN_WPM} to {defaults.SPEECH_RATE_MAX_WPM}",
            )
        if self.reps is not None and not 1 <= self.reps <= defaults.MAX_REPS:
            raise PacingError(f"reps {self.reps} is out of range", hint=f"use 1 to {defaults.MAX_REPS}")
        if self.fit_s is not None and not 0 < self.fit_s <= defaults.MAX_ROUTINE_S:
            raise PacingError(
                f"cannot fit a routine to {format_duration(self.fit_s)}",
                hint=f"a routine lasts at most {format_duration(defaults.MAX_ROUTINE_S)}",
            )

    def describe(self) -> str:
        """One line naming the pacing, for summaries and export comments."""
        pace = f"pace {round(self.pace, 4):g}"
        if self.fit_s is not None:
            pace += f" to fit {format_duration(self.fit_s)}"
        parts = [pace, f"speech {self.speech_rate_wpm} wpm"]
        if self.reps is not None:
            parts.append(f"reps {self.reps}")
        if self.count is not None:
            parts.append(f"count {self.count.value}")
        if self.cues.off == frozenset(SpokenCue):
            parts.append("no cues")
        elif self.cues.off:
            parts.append("cues off: " + ", ".join(c.value for c in self.cues.as_dict() if c in self.cues.off))
        return ", ".join(parts)


@dataclass(frozen=True)
class Choices:
    """What one settings layer (the command line, or saved preferences) says; None means nothing."""

    pace: float | None = None
    fit_s: float | None = None
    speech_rate_wpm: int | None = None
    reps: int | None = None
    count: CountMode | None = None
    safety: bool | None = None
    cues: CueSwitches = field(default_factory=CueSwitches)

    def over(self, below: Choices) -> Choices:
        """These choices, with `below` filling in what they leave out. `--fit` and `--pace` are one choice
        (how fast), so a layer that names either hides both of the layer below."""
        speed_here = self.pace is not None or self.fit_s is not None
        return Choices(
            pace=self.pace if speed_here else below.pace,
            fit_s=self.fit_s if speed_here else below.fit_s,
            speech_rate_wpm=_first(self.speech_rate_wpm, below.speech_rate_wpm),
            reps=_first(self.reps, below.reps),
            count=_first(self.count, below.count),
            safety=_first(self.safety, below.safety),
            cues=self.cues.over(below.cues),
        )

    def pacing(self) -> Pacing:
        """The Pacing these choices make, with cueline's defaults for what no layer chose."""
        return Pacing(
            pace=defaults.PACE if self.pace is None else self.pace,
            speech_rate_wpm=_first(self.speech_rate_wpm, defaults.SPEECH_RATE_WPM),
            reps=self.reps,
            count=self.count,
            cues=self.cues,
            fit_s=self.fit_s,
        )

    @property
    def safety_on(self) -> bool:
        return True if self.safety is None else self.safety


def _first(value: T | None, fallback: T) -> T:
    return fallback if value is None else value
