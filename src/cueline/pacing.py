"""Pacing: how fast to move through a routine, chosen per run without touching the routine file. It lies
over the routine's own count mode and cues, which compiling reads below it."""

from __future__ import annotations

from dataclasses import dataclass, field

from cueline import defaults
from cueline.durations import format_duration
from cueline.errors import PacingError
from cueline.routine import CountMode, CueSwitches, SpokenCue


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
