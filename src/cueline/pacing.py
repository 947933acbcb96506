"""Pacing: how fast to move through a routine, chosen per run without touching the routine file. It lies
over the routine's own count mode and cues, which compiling reads below it."""

from __future__ import annotations

from dataclasses import dataclass, field

from cueline import defaults
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

    def describe(self) -> str:
        """One line naming the pacing, for summaries and export comments."""
        parts = [f"pace {round(self.pace, 4):g}", f"speech {self.speech_rate_wpm} wpm"]
        if self.reps is not None:
            parts.append(f"reps {self.reps}")
        if self.count is not None:
            parts.append(f"count {self.count.value}")
        if self.cues.off == frozenset(SpokenCue):
            parts.append("no cues")
        elif self.cues.off:
            parts.append("cues off: " + ", ".join(c.value for c in self.cues.as_dict() if c in self.cues.off))
        return ", ".join(parts)
