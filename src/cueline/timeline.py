"""Compile a Routine and a Pacing into a Timeline: every cue at an exact sample offset, none overlapping."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from cueline import defaults
from cueline.count_words import count_word
from cueline.errors import CuelineError, PacingError
from cueline.pacing import Pacing
from cueline.pcm import SAMPLE_RATE_HZ, samples_to_seconds, seconds_to_samples
from cueline.routine import CountMode, Routine, Step


class Chime(StrEnum):
    """The bundled chimes, named as their files in `sounds/`."""

    START = "start"
    FINISH = "finish"
    STEP = "step"
    COUNT = "count"
    HOLD_END = "hold_end"


class CueRole(StrEnum):
    """Why a cue is there; players and caption writers pick cues by role."""

    BELL = "bell"
    SAFETY = "safety"
    INTRO = "intro"
    STEP = "step"
    INSTRUCTION = "instruction"
    SIDE = "side"
    COUNT = "count"
    HOLD_END = "hold_end"
    OUTRO = "outro"


@dataclass(frozen=True)
class Cue:
    """One sound at an exact place: a spoken text or a chime."""

    start_sample: int
    length_samples: int
    role: CueRole
    text: str | None = None
    chime: Chime | None = None
    step: int | None = None  # 0-based step index; None for the intro, outro and bells
    side: str | None = None
    rep: int | None = None  # 1-based

    @property
    def kind(self) -> str:
        return "speech" if self.text is not None else "chime"

    @property
    def end_sample(self) -> int:
        return self.start_sample + self.length_samples


@dataclass(frozen=True)
class Rep:
    """One counted repetition: its slot runs from its onset to the next rep's onset."""

    step: int
    side: str | None
    rep: int  # 1-based
    of_reps: int
    start_sample: int
    length_samples: int


@dataclass(frozen=True)
class StepSpan:
    """Where a step lies in the timeline, from its step chime to the end of its rest."""

    index: int
    name: str
    start_sample: int
    end_sample: int
    hold_start_sample: int | None = None
    hold_samples: int | None = None


@dataclass(frozen=True)
class Timeline:
    """The compiled routine: what sounds when. Changing the pacing means compiling a new Timeline."""

    title: str
    language: str
    voice: str | None
    pacing: Pacing
    cues: tuple[Cue, ...]
    reps: tuple[Rep, ...]
    steps: tuple[StepSpan, ...]
    total_samples: int
    sample_rate_hz: int = field(default=SAMPLE_RATE_HZ)

    @property
    def duration_s(self) -> float:
        return samples_to_seconds(self.total_samples)

    def spoken_texts(self) -> tuple[str, ...]:
        """Every distinct text the timeline speaks, in order of first use (to render ahead)."""
        return tuple(dict.fromkeys(cue.text for cue in self.cues if cue.text is not None))

    def as_records(self) -> list[dict[str, object]]:
        """The cues as plain dicts (for `show --timeline --json` and golden files)."""
        return [
            {
                "start_s": round(samples_to_seconds(cue.start_sample), 4),
                "length_s": round(samples_to_seconds(cue.length_samples), 4),
                "kind": cue.kind,
                "role": cue.role.value,
                "text": cue.text if cue.text is not None else cue.chime,
                "step": cue.step,
                "side": cue.side,
                "rep": cue.rep,
            }
            for cue in self.cues
        ]


class ClipLengths(Protocol):
    """How long each sound lasts, in samples; the speech voice and rate are the source's business."""

    def speech_samples(self, text: str) -> int: ...

    def chime_samples(self, chime: Chime) -> int: ...


def instruction_text(step: Step) -> str:
    """What is spoken when a step begins: its instruction, or its name when it has none. (Both would say
    the same thing twice: "Neck. Now the neck…"; the name is on screen and a chapter title anyway.)"""
    return step.say or f"{step.name.rstrip('.!?')}."


def side_text(side: str, first: bool) -> str:
    """The spoken side announcement: `Right side.` first, then `Now the left side.`"""
    return f"{side.capitalize()} side." if first else f"Now the {side} side."


def compile_timeline(routine: Routine, pacing: Pacing, lengths: ClipLengths) -> Timeline:
    """Lay out every cue of `routine` at `pacing`; raises PacingError when spoken counts cannot fit."""
    return _Compiler(routine, pacing, lengths).run()


class _Compiler:
    def __init__(self, routine: Routine, pacing: Pacing, lengths: ClipLengths) -> None:
        self.routine = routine
        self.pacing = pacing
        self.lengths = lengths
        self.count_mode = pacing.count or routine.count
        self.cues: list[Cue] = []
        self.reps: list[Rep] = []
        self.steps: list[StepSpan] = []
        self.misfits: list[_Misfit] = []
        self.cursor = 0

    def gap(self, seconds: float) -> None:
        self.cursor += seconds_to_samples(seconds)

    def paced(self, seconds: float) -> int:
        return seconds_to_samples(seconds / self.pacing.pace)

    def say(
        self,
        text: str,
        role: CueRole,
        step: int | None = None,
        side: str | None = None,
        rep: int | None = None,
    ) -> None:
        length = self.lengths.speech_samples(text)
        self.cues.append(Cue(self.cursor, length, role, text=text, step=step, side=side, rep=rep))
        self.cursor += length

    def chime(
        self,
        chime: Chime,
        role: CueRole,
        step: int | None = None,
        side: str | None = None,
        rep: int | None = None,
    ) -> None:
        length = self.lengths.chime_samples(chime)
        self.cues.append(Cue(self.cursor, length, role, chime=chime, step=step, side=side, rep=rep))
        self.cursor += length

    def run(self) -> Timeline:
        self.chime(Chime.START, CueRole.BELL)
        self.gap(defaults.GAP_AFTER_BELL_S)
        for text in self.routine.safety:
            self.say(text, CueRole.SAFETY)
            self.gap(defaults.GAP_BETWEEN_LINES_S)
        for text in self.routine.intro:
            self.say(text, CueRole.INTRO)
            self.gap(defaults.GAP_BETWEEN_LINES_S)
        for index, step in enumerate(self.routine.steps):
            self.step(index, step)
        self.report_misfits()
        for text in self.routine.outro:
            self.say(text, CueRole.OUTRO)
            self.gap(defaults.GAP_BETWEEN_LINES_S)
        self.chime(Chime.FINISH, CueRole.BELL)
        self.gap(defaults.TAIL_S)
        if samples_to_seconds(self.cursor) > defaults.MAX_ROUTINE_S:
            raise PacingError(
                f"at pace {self.pacing.pace:g} the routine would last "
                f"{samples_to_seconds(self.cursor) / 3600:.1f} hours; the limit is "
                f"{defaults.MAX_ROUTINE_S / 3600:g} hours",
                hint="use a faster pace or fewer reps",
            )
        cues = tuple(sorted(self.cues, key=lambda cue: cue.start_sample))
        _check_no_overlap(cues)
        return Timeline(
            title=self.routine.title,
            language=self.routine.language,
            voice=self.routine.voice,
            pacing=self.pacing,
            cues=cues,
            reps=tuple(self.reps),
            steps=tuple(self.steps),
            total_samples=self.cursor,
        )

    def step(self, index: int, step: Step) -> None:
        start = self.cursor
        self.chime(Chime.STEP, CueRole.STEP, step=index)
        self.gap(defaults.GAP_AFTER_BELL_S)
        self.say(instruction_text(step), CueRole.INSTRUCTION, step=index)
        hold_start: int | None = None
        hold_samples: int | None = None
        if step.reps is not None:
            sides: tuple[str | None, ...] = step.sides or (None,)
            for side_index, side in enumerate(sides):
                if side is not None:
                    self.gap(defaults.GAP_BETWEEN_LINES_S)
                    self.say(side_text(side, first=side_index == 0), CueRole.SIDE, step=index, side=side)
                self.gap(defaults.GAP_BEFORE_FIRST_REP_S)
                self.counted_reps(index, step, side)
        elif step.hold_s is not None:
            self.gap(defaults.GAP_BEFORE_FIRST_REP_S)
            hold_start, hold_samples = self.cursor, self.paced(step.hold_s)
            self.cursor += hold_samples
            self.chime(Chime.HOLD_END, CueRole.HOLD_END, step=index)
        self.cursor += self.paced(step.rest_s)
        self.steps.append(StepSpan(index, step.name, start, self.cursor, hold_start, hold_samples))

    def counted_reps(self, index: int, step: Step, side: str | None) -> None:
        reps = self.pacing.reps or step.reps or 1
        tempo_s = step.tempo_s or self.routine.tempo_s
        rep0 = self.cursor
        onsets = [rep0 + seconds_to_samples(i * tempo_s / self.pacing.pace) for i in range(reps + 1)]
        words = [self.count_word(rep) for rep in range(1, reps + 1)]
        self.check_counts_fit(index, step, words, min(b - a for a, b in itertools.pairwise(onsets)), tempo_s)
        for i, word in enumerate(words):
            self.reps.append(Rep(index, side, i + 1, reps, onsets[i], onsets[i + 1] - onsets[i]))
            self.cursor = onsets[i]
            if self.count_mode in (CountMode.CHIME, CountMode.BOTH):
                self.chime(Chime.COUNT, CueRole.COUNT, step=index, side=side, rep=i + 1)
            if word is not None:
                if self.count_mode is CountMode.BOTH:
                    self.gap(defaults.GAP_AFTER_COUNT_CHIME_S)
                self.say(word, CueRole.COUNT, step=index, side=side, rep=i + 1)
        self.cursor = onsets[reps]

    def count_word(self, rep: int) -> str | None:
        if self.count_mode in (CountMode.VOICE, CountMode.BOTH):
            return count_word(rep, self.routine.language)
        return None

    def count_samples(self, word: str | None) -> int:
        """How long a rep's count cue sounds, with the margin it needs before the next rep."""
        need = 0
        if self.count_mode in (CountMode.CHIME, CountMode.BOTH):
            need += self.lengths.chime_samples(Chime.COUNT)
        if word is not None:
            if self.count_mode is CountMode.BOTH:
                need += seconds_to_samples(defaults.GAP_AFTER_COUNT_CHIME_S)
            need += self.lengths.speech_samples(word) + seconds_to_samples(defaults.COUNT_MARGIN_S)
        return need

    def check_counts_fit(
        self, index: int, step: Step, words: list[str | None], slot: int, tempo_s: float
    ) -> None:
        """Every count of the step must end before the next rep, judged by its longest count. A step that
        fails is noted, and compiling goes on, so the pace suggested at the end fits every step."""
        if self.count_mode is CountMode.SILENT:
            return
        need, word = max((self.count_samples(word), word or "") for word in words)
        if need > slot:
            fastest = int(tempo_s / samples_to_seconds(need) * 100) / 100
            self.misfits.append(_Misfit(index, step.name, word, need, slot, fastest))

    def report_misfits(self) -> None:
        if not self.misfits:
            return
        first = self.misfits[0]
        fastest = min(misfit.fastest for misfit in self.misfits)
        what = f"the spoken count {first.word!r}" if first.word else "the count chime"
        others = len({misfit.step for misfit in self.misfits}) - 1
        also = f" (and {others} more step{'s' if others > 1 else ''})" if others else ""
        advice = (
            f"the fastest pace that fits every step is {fastest:g}"
            if fastest >= defaults.PACE_MIN
            else "no pace fits"
        )
        need_s, slot_s = samples_to_seconds(first.need), samples_to_seconds(first.slot)
        raise PacingError(
            f"step {first.step + 1} ({first.name}){also}: {what} lasts {need_s:.2f} s with its margin, "
            f"but a rep lasts only {slot_s:.2f} s at pace {self.pacing.pace:g}; {advice}",
            hint="slow down with --pace, or count with `count: chime` (or --count chime)"
            if first.word
            else "slow down with --pace, use a longer tempo, or `count: silent`",
        )


@dataclass(frozen=True)
class _Misfit:
    """A step whose counts do not fit its reps at the requested pace."""

    step: int
    name: str
    word: str
    need: int
    slot: int
    fastest: float


def _check_no_overlap(cues: tuple[Cue, ...]) -> None:
    """The timeline's promise, checked once: no sound starts before the previous one has ended."""
    for before, after in itertools.pairwise(cues):
        if after.start_sample < before.end_sample:
            raise CuelineError(f"internal error: cue {after} overlaps {before}")
