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
from cueline.phrases import phrases_for
from cueline.routine import CountMode, Routine, SpokenCue, Step


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
    SIDE = "side"  # the side switch: "Right side." / "Now the left side."
    COUNT_IN = "count_in"  # "Ready", then "and", leading into rep one
    COUNT = "count"
    HALFWAY = "halfway"
    LAST_REP = "last_rep"
    HOLD_END = "hold_end"
    NEXT_STEP = "next_step"  # "Next: Jaw." during a rest
    FINISH = "finish"
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
    dropped: tuple[Cue, ...] = ()  # halfway and last-rep cues with no room in their rep, where they would be

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


def cue_is_on(cue: SpokenCue, routine: Routine, pacing: Pacing) -> bool:
    """Whether a spoken cue sounds: the run's choice, else the routine's, else the default; never in a
    language cueline has no cue phrases for (an English cue in a German voice would be worse than none)."""
    if phrases_for(routine.language) is None:
        return False
    for layer in (pacing.cues, routine.cues):
        said = layer.get(cue)
        if said is not None:
            return said
    return defaults.CUES_ON


def step_count_mode(routine: Routine, step: Step, pacing: Pacing) -> CountMode:
    """How a step's reps are counted: the run's choice, else the step's own, else the routine's."""
    return pacing.count or step.count or routine.count


def compile_timeline(routine: Routine, pacing: Pacing, lengths: ClipLengths) -> Timeline:
    """Lay out every cue of `routine` at `pacing`; raises PacingError when spoken counts cannot fit."""
    return _Compiler(routine, pacing, lengths).run()


@dataclass(frozen=True)
class Extent:
    """How long a routine lasts at one pacing, and the fastest pace at which all its counts fit."""

    total_samples: int
    fastest_pace: float | None  # None: the counts fit at any pace up to the one measured


def measure(routine: Routine, pacing: Pacing, lengths: ClipLengths) -> Extent:
    """The routine's length at `pacing`, laid out like compile_timeline but without refusing a pacing whose
    counts do not fit or that runs past the length cap (for the `--fit` solver, which must see both)."""
    compiler = _Compiler(routine, pacing, lengths)
    total = compiler.layout()
    fastest = min((misfit.fastest for misfit in compiler.misfits), default=None)
    return Extent(total, fastest)


class _Compiler:
    def __init__(self, routine: Routine, pacing: Pacing, lengths: ClipLengths) -> None:
        self.routine = routine
        self.pacing = pacing
        self.lengths = lengths
        self.phrases = phrases_for(routine.language)
        self.cues: list[Cue] = []
        self.dropped: list[Cue] = []
        self.reps: list[Rep] = []
        self.steps: list[StepSpan] = []
        self.misfits: list[_Misfit] = []
        self.cursor = 0

    def gap(self, seconds: float) -> None:
        self.cursor += seconds_to_samples(seconds)

    def cue_on(self, cue: SpokenCue) -> bool:
        return cue_is_on(cue, self.routine, self.pacing)

    def speech_cue(
        self,
        at: int,
        text: str,
        role: CueRole,
        step: int | None = None,
        side: str | None = None,
        rep: int | None = None,
    ) -> Cue:
        return Cue(at, self.lengths.speech_samples(text), role, text=text, step=step, side=side, rep=rep)

    def say(
        self,
        text: str,
        role: CueRole,
        step: int | None = None,
        side: str | None = None,
        rep: int | None = None,
    ) -> None:
        cue = self.speech_cue(self.cursor, text, role, step, side, rep)
        self.cues.append(cue)
        self.cursor = cue.end_sample

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

    def layout(self) -> int:
        """Place every cue; returns the total length in samples."""
        self.chime(Chime.START, CueRole.BELL)
        self.gap(defaults.GAP_AFTER_BELL_S)
        for text in self.routine.safety:
            self.say(text, CueRole.SAFETY)
            self.gap(defaults.GAP_BETWEEN_LINES_S)
        for text in self.routine.intro:
            self.say(text, CueRole.INTRO)
            self.gap(defaults.GAP_BETWEEN_LINES_S)
        steps = self.routine.steps
        for index, step in enumerate(steps):
            self.step(index, step, steps[index + 1] if index + 1 < len(steps) else None)
        finish = self.cue_on(SpokenCue.FINISH)
        if finish and self.phrases is not None:
            self.say(self.phrases.finish, CueRole.FINISH)
            self.gap(defaults.GAP_BETWEEN_LINES_S)
        for text in self.routine.outro:
            self.say(text, CueRole.OUTRO)
            self.gap(defaults.GAP_BETWEEN_LINES_S)
        if finish:
            self.gap(defaults.FINISH_PAUSE_S)
        self.chime(Chime.FINISH, CueRole.BELL)
        self.gap(defaults.TAIL_S)
        return self.cursor

    def run(self) -> Timeline:
        self.layout()
        self.report_misfits()
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
            dropped=tuple(self.dropped),
        )

    def step(self, index: int, step: Step, following: Step | None) -> None:
        start = self.cursor
        pace = self.pacing.pace * step.pace
        self.chime(Chime.STEP, CueRole.STEP, step=index)
        self.gap(defaults.GAP_AFTER_BELL_S)
        self.say(instruction_text(step), CueRole.INSTRUCTION, step=index)
        hold_start: int | None = None
        hold_samples: int | None = None
        if step.reps is not None:
            sides: tuple[str | None, ...] = step.sides or (None,)
            for side_index, side in enumerate(sides):
                if side is not None and self.phrases is not None and self.cue_on(SpokenCue.SIDE_SWITCH):
                    self.gap(defaults.GAP_BETWEEN_LINES_S)
                    text = self.phrases.side(side, first=side_index == 0)
                    self.say(text, CueRole.SIDE, step=index, side=side)
                self.counted_reps(index, step, side, pace)
        elif step.hold_s is not None:
            self.gap(defaults.GAP_BEFORE_FIRST_REP_S)
            hold_start, hold_samples = self.cursor, seconds_to_samples(step.hold_s / pace)
            self.cursor += hold_samples
            self.chime(Chime.HOLD_END, CueRole.HOLD_END, step=index)
        self.rest(index, step, following, pace)
        self.steps.append(StepSpan(index, step.name, start, self.cursor, hold_start, hold_samples))

    def rest(self, index: int, step: Step, following: Step | None, pace: float) -> None:
        """The quiet after a step. A preview of the next step is said in it, and a rest too short for the
        preview is lengthened to hold it: it never runs into the next step's chime."""
        rest = seconds_to_samples(step.rest_s / pace)
        if following is not None and self.phrases is not None and self.cue_on(SpokenCue.NEXT_STEP):
            lead = seconds_to_samples(defaults.GAP_BETWEEN_LINES_S)
            preview = self.speech_cue(
                self.cursor + lead, self.phrases.next(following.name), CueRole.NEXT_STEP, step=index
            )
            self.cues.append(preview)
            rest = max(rest, lead + preview.length_samples + lead)
        self.cursor += rest

    def count_in(self, index: int, side: str | None, beat: int) -> None:
        """The count-in: "Ready" one beat before rep one and "and" half a beat before it, so the first count
        lands on the rhythm; for slow strokes the half beat is capped, so the lead-in stays short. A word
        longer than the half beat stretches both halves alike: the lead-in grows, the reps keep their pace."""
        assert self.phrases is not None
        margin = seconds_to_samples(defaults.COUNT_MARGIN_S)
        ready = self.speech_cue(self.cursor, self.phrases.ready, CueRole.COUNT_IN, step=index, side=side)
        and_samples = self.lengths.speech_samples(self.phrases.and_)
        half_beat = min(beat // 2, seconds_to_samples(defaults.COUNT_IN_MAX_HALF_S))
        half = max(half_beat, ready.length_samples + margin, and_samples + margin)
        self.cues.append(ready)
        self.cues.append(
            self.speech_cue(self.cursor + half, self.phrases.and_, CueRole.COUNT_IN, step=index, side=side)
        )
        self.cursor += 2 * half

    def counted_reps(self, index: int, step: Step, side: str | None, pace: float) -> None:
        reps = self.pacing.reps or step.reps or 1
        tempo_s = step.tempo_s or self.routine.tempo_s
        mode = step_count_mode(self.routine, step, self.pacing)
        if self.phrases is not None and self.cue_on(SpokenCue.COUNT_IN):
            self.gap(defaults.GAP_BETWEEN_LINES_S)
            self.count_in(index, side, seconds_to_samples(tempo_s / pace))
        else:
            self.gap(defaults.GAP_BEFORE_FIRST_REP_S)
        rep0 = self.cursor
        onsets = [rep0 + seconds_to_samples(i * tempo_s / pace) for i in range(reps + 1)]
        words = [self.count_word(rep, mode) for rep in range(1, reps + 1)]
        slot = min(b - a for a, b in itertools.pairwise(onsets))
        self.check_counts_fit(index, step, words, slot, tempo_s, mode)
        extras = self.rep_cues(reps)
        for i, word in enumerate(words):
            self.reps.append(Rep(index, side, i + 1, reps, onsets[i], onsets[i + 1] - onsets[i]))
            self.cursor = onsets[i]
            if mode in (CountMode.CHIME, CountMode.BOTH):
                self.chime(Chime.COUNT, CueRole.COUNT, step=index, side=side, rep=i + 1)
            if word is not None:
                if mode is CountMode.BOTH:
                    self.gap(defaults.GAP_AFTER_COUNT_CHIME_S)
                self.say(word, CueRole.COUNT, step=index, side=side, rep=i + 1)
            if i + 1 in extras:
                text, role = extras[i + 1]
                self.rep_cue(text, role, onsets[i], onsets[i + 1], index, side, i + 1)
        self.cursor = onsets[reps]

    def rep_cues(self, reps: int) -> dict[int, tuple[str, CueRole]]:
        """The halfway and last-rep cues of a counted section, by the rep they are said in."""
        extras: dict[int, tuple[str, CueRole]] = {}
        if self.phrases is None:
            return extras
        if reps >= defaults.HALFWAY_MIN_REPS and self.cue_on(SpokenCue.HALFWAY):
            extras[reps // 2 + 1] = (self.phrases.halfway, CueRole.HALFWAY)
        if reps >= 2 and self.cue_on(SpokenCue.LAST_REP):
            extras[reps] = (self.phrases.last_rep, CueRole.LAST_REP)
        return extras

    def rep_cue(
        self, text: str, role: CueRole, onset: int, next_onset: int, index: int, side: str | None, rep: int
    ) -> None:
        """A cue inside a rep, after its count. The rhythm wins: a rep is never moved or lengthened for a
        cue, so a cue that cannot end a count margin before the next rep is dropped (and noted)."""
        after_count = seconds_to_samples(defaults.GAP_BEFORE_REP_CUE_S) if self.cursor > onset else 0
        start = self.cursor + after_count
        cue = self.speech_cue(start, text, role, step=index, side=side, rep=rep)
        if cue.end_sample + seconds_to_samples(defaults.COUNT_MARGIN_S) <= next_onset:
            self.cues.append(cue)
            self.cursor = cue.end_sample
        else:
            self.dropped.append(cue)

    def count_word(self, rep: int, mode: CountMode) -> str | None:
        if mode in (CountMode.VOICE, CountMode.BOTH):
            return count_word(rep, self.routine.language)
        return None

    def count_samples(self, word: str | None, mode: CountMode) -> int:
        """How long a rep's count cue sounds, with the margin it needs before the next rep."""
        need = 0
        if mode in (CountMode.CHIME, CountMode.BOTH):
            need += self.lengths.chime_samples(Chime.COUNT)
        if word is not None:
            if mode is CountMode.BOTH:
                need += seconds_to_samples(defaults.GAP_AFTER_COUNT_CHIME_S)
            need += self.lengths.speech_samples(word) + seconds_to_samples(defaults.COUNT_MARGIN_S)
        return need

    def check_counts_fit(
        self, index: int, step: Step, words: list[str | None], slot: int, tempo_s: float, mode: CountMode
    ) -> None:
        """Every count of the step must end before the next rep, judged by its longest count. A step that
        fails is noted, and compiling goes on, so the pace suggested at the end fits every step."""
        if mode is CountMode.SILENT:
            return
        need, word = max((self.count_samples(word, mode), word or "") for word in words)
        if need > slot:
            # The fastest run pace: the step's own pace multiplies it.
            fastest = int(tempo_s / samples_to_seconds(need) / step.pace * 100) / 100
            self.misfits.append(_Misfit(index, step.name, word, need, slot, fastest, step.pace))

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
        at = f"pace {self.pacing.pace:g}"
        if first.step_pace != defaults.STEP_PACE:
            at += f" (× {first.step_pace:g} for this step)"
        raise PacingError(
            f"step {first.step + 1} ({first.name}){also}: {what} lasts {need_s:.2f} s with its margin, "
            f"but a rep lasts only {slot_s:.2f} s at {at}; {advice}",
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
    step_pace: float


def _check_no_overlap(cues: tuple[Cue, ...]) -> None:
    """The timeline's promise, checked once: no sound starts before the previous one has ended."""
    for before, after in itertools.pairwise(cues):
        if after.start_sample < before.end_sample:
            raise CuelineError(f"internal error: cue {after} overlaps {before}")
