"""The routine model: what a routine file says, as frozen values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cueline import defaults


class CountMode(StrEnum):
    """How each repetition is counted."""

    VOICE = "voice"
    CHIME = "chime"
    BOTH = "both"
    SILENT = "silent"


class SpokenCue(StrEnum):
    """The cues cueline speaks on its own, each switchable per routine (`cues:`) and per run."""

    COUNT_IN = "count-in"  # "Ready… and" before the first rep
    HALFWAY = "halfway"  # on long counted steps, as the second half begins
    LAST_REP = "last-rep"  # "Last one." as the final rep begins
    SIDE_SWITCH = "side-switch"  # "Right side." / "Now the left side."
    NEXT_STEP = "next-step"  # "Next: Jaw." during the rest before it
    FINISH = "finish"  # a gentle closing line and a longer pause before the last chime


@dataclass(frozen=True)
class CueSwitches:
    """Cues one layer (routine file, saved preferences, command line) turns on or off; a cue it does not
    name is left to the layer below, and in the end to the default (on)."""

    on: frozenset[SpokenCue] = field(default_factory=frozenset)
    off: frozenset[SpokenCue] = field(default_factory=frozenset)

    @classmethod
    def of(cls, switches: dict[SpokenCue, bool]) -> CueSwitches:
        return cls(
            frozenset(cue for cue, on in switches.items() if on),
            frozenset(cue for cue, on in switches.items() if not on),
        )

    def get(self, cue: SpokenCue) -> bool | None:
        """True or False if this layer says, None if it leaves the cue to the layer below."""
        if cue in self.on:
            return True
        if cue in self.off:
            return False
        return None

    def over(self, below: CueSwitches) -> CueSwitches:
        """These switches, with `below` filling in the cues they do not name."""
        named = self.on | self.off
        return CueSwitches(self.on | (below.on - named), self.off | (below.off - named))

    def as_dict(self) -> dict[SpokenCue, bool]:
        """The named cues in the enum's order."""
        return {cue: on for cue in SpokenCue if (on := self.get(cue)) is not None}


@dataclass(frozen=True)
class Step:
    """One step of a routine: an instruction, then counted reps, a timed hold, or nothing."""

    name: str
    say: str | None = None
    reps: int | None = None
    hold_s: float | None = None
    tempo_s: float | None = None
    pace: float = 1.0  # multiplies the run's pace for this step (0.7: a slower step in a brisk routine)
    count: CountMode | None = None  # this step's count mode, instead of the routine's
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
    cues: CueSwitches = field(default_factory=CueSwitches)  # the routine's own choices; unnamed cues are on
    intro: tuple[str, ...] = ()
    outro: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()  # spoken before everything else; `--no-safety` empties it
    technique: str | None = None
    tools: tuple[str, ...] = ()
    oil: str | None = None
    tags: tuple[str, ...] = ()
