"""The live player: plays a timeline through an audio stream and obeys single keys while it does.

How it stays exact. The device plays one long stream buffer; the player renders the timeline into it a
few seconds ahead of what is heard. A key never edits audio already handed to the device: it takes effect
at a cut a little ahead of what is heard (beyond the device's own buffer), where the player splices a new
timeline (`splice.py`) and renders on from there. Pausing silences the stream after the cut and stops the
device once it is past it; resuming opens a new stream at the cut. So what was heard is always the render
of one timeline, `effective`, and exporting that timeline gives the same samples.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol

import numpy as np
import numpy.typing as npt

from cueline import defaults
from cueline.errors import PacingError
from cueline.pacing import Pacing
from cueline.pcm import SAMPLE_RATE_HZ, samples_to_seconds, seconds_to_samples
from cueline.render import ClipSource, render_span
from cueline.splice import Mark, MarkKind, mark_sample, next_mark, splice
from cueline.timeline import Cue, CueRole, StepSpan, Timeline


class Clock(Protocol):
    """Monotonic seconds; tests pass a fake that moves only when told."""

    def now_s(self) -> float: ...


class Stream(Protocol):
    """One run of the audio device over a buffer the player writes ahead into."""

    @property
    def samples(self) -> npt.NDArray[np.int16]: ...

    def start(self) -> None: ...

    def played_samples(self) -> int:
        """How far into the buffer the listener is (an estimate from the clock)."""
        ...

    def stop(self) -> None: ...

    def forget_before(self, sample: int) -> None:
        """The buffer before `sample` will not be read again (its memory may be given back)."""
        ...


class AudioOut(Protocol):
    """Where streams play: the sound card, or a fake in tests."""

    def open(self, capacity_samples: int) -> Stream: ...


class Action(StrEnum):
    """What a key asks for."""

    PAUSE = "pause"
    NEXT = "next"
    BACK = "back"
    REPEAT = "repeat"
    FASTER = "faster"
    SLOWER = "slower"
    QUIT = "quit"


KEYS: dict[str, Action] = {
    " ": Action.PAUSE,
    "n": Action.NEXT,
    "b": Action.BACK,
    "r": Action.REPEAT,
    "+": Action.FASTER,
    "=": Action.FASTER,  # the unshifted `+` key
    "-": Action.SLOWER,
    "q": Action.QUIT,
}

_TOO_LATE = "too close to the end to change"

KEY_HELP = "space pause · n next · b back · r repeat · +/- pace · q quit"


@dataclass(frozen=True)
class View:
    """What the screen shows at one moment."""

    title: str
    step_number: int | None  # 1-based; None in the intro and outro
    step_count: int
    step_name: str | None
    side: str | None
    rep: int | None
    of_reps: int | None
    hold_left_s: float | None
    instruction: str | None
    elapsed_s: float
    remaining_s: float
    pace: float
    paused: bool
    finished: bool
    message: str | None
    in_outro: bool = False  # past the last step (when step_number is None)

    @property
    def progress(self) -> float:
        total = self.elapsed_s + self.remaining_s
        return 1.0 if total <= 0 else min(1.0, self.elapsed_s / total)


@dataclass(frozen=True)
class Summary:
    """How a session went, for the line printed at the end."""

    title: str
    finished: bool
    steps_done: int
    step_count: int
    listened_s: float
    pace: float
    interrupted: bool = False


@dataclass(frozen=True)
class Segment:
    """A stretch of the effective timeline that one device stream played, start to end."""

    start_sample: int
    end_sample: int


@dataclass(frozen=True)
class Opening:
    """A stream the caller started before the player existed, already playing the routine's first
    `written_samples` (the start bell, rung while the routine was being prepared). The player takes it
    over."""

    stream: Stream
    written_samples: int


@dataclass
class _Run:
    """The stream now open and where it sits in the effective timeline."""

    stream: Stream
    origin: int  # effective sample at buffer index 0
    capacity: int
    cut: int | None = None  # pausing: content ends here, the device stops once past it
    forgotten: int = 0


@dataclass
class Player:
    """The player's state and its reaction to keys and time; the loop in `play()` drives it."""

    compiled: Timeline  # the whole routine at the current pacing
    clips: ClipSource
    recompile: Callable[[Pacing], Timeline]
    out: AudioOut
    clock: Clock
    effective: Timeline = field(init=False)
    segments: list[Segment] = field(default_factory=list)
    message: str | None = None
    finished: bool = False
    quit: bool = False
    _run: _Run | None = None
    _filled: int = 0  # effective samples rendered into the stream so far
    _paused_at: int | None = None
    _stopped_at: int = 0  # where the last stream ended, for when none is open
    _resume_pending: bool = False
    _last_back_s: float = -math.inf
    _max_heard: int = 0

    def __post_init__(self) -> None:
        self.effective = self.compiled

    # -- position ---------------------------------------------------------------------------------------

    def heard(self) -> int:
        """The effective sample the listener is at."""
        if self._paused_at is not None:
            return self._paused_at
        run = self._run
        if run is None:
            return self._stopped_at
        limit = run.cut if run.cut is not None else self.effective.total_samples
        return min(run.origin + run.stream.played_samples(), limit)

    @property
    def paused(self) -> bool:
        return self._paused_at is not None or (self._run is not None and self._run.cut is not None)

    # -- the device -------------------------------------------------------------------------------------

    def start(self, opening: Opening | None = None) -> None:
        """Open the stream at the start and play; or carry on from `opening`.

        What the device may already hold of the opening (what it played, plus the cut margin) must be what
        the timeline renders there: then the player simply writes on after it. If the device got further
        than that (preparing took longer than the bell and its silence, so the silence ran long), the
        opening is treated as a pause at the end of the agreeing part, and playing resumes from there."""
        if opening is None:
            self._open(0)
            return
        stream = opening.stream
        capacity = seconds_to_samples(defaults.PLAYER_MAX_STREAM_S)
        self._run = run = _Run(stream, 0, capacity)
        held = min(
            stream.played_samples() + seconds_to_samples(defaults.PLAYER_CUT_MARGIN_S),
            self.effective.total_samples,
            capacity,
        )
        agreed = self._agreed(stream.samples, max(held, opening.written_samples))
        if agreed >= held:
            self._filled = held
            self._fill(self.heard())
            return
        stream.samples[agreed : max(held, opening.written_samples)] = 0
        self._filled = agreed
        run.cut = agreed
        self._resume_pending = True

    def _agreed(self, buffer: npt.NDArray[np.int16], length: int) -> int:
        """How many samples at the start of `buffer` are what the effective timeline renders there."""
        agreed = 0
        for block in render_span(self.effective, self.clips, 0, length, min(defaults.BLOCK_SAMPLES, length)):
            differ = np.flatnonzero(buffer[agreed : agreed + len(block)] != block)
            if len(differ):
                return agreed + int(differ[0])
            agreed += len(block)
        return agreed

    def _open(self, origin: int) -> None:
        capacity = seconds_to_samples(defaults.PLAYER_MAX_STREAM_S)
        self._run = _Run(self.out.open(capacity), origin, capacity)
        self._filled = origin
        self._fill(origin)
        self._run.stream.start()

    def _fill(self, heard: int) -> None:
        """Render the effective timeline into the stream up to a few seconds past `heard`."""
        run = self._run
        if run is None or run.cut is not None:
            return
        target = min(
            heard + seconds_to_samples(defaults.PLAYER_FILL_AHEAD_S),
            self.effective.total_samples,
            run.origin + run.capacity,
        )
        if self._filled >= target:
            return
        buffer = run.stream.samples
        block_samples = min(defaults.BLOCK_SAMPLES, target - self._filled)
        for block in render_span(self.effective, self.clips, self._filled, target, block_samples):
            at = self._filled - run.origin
            buffer[at : at + len(block)] = block
            self._filled += len(block)

    def _cut_point(self, heard: int) -> int | None:
        """Where a change can take effect: past the device's buffer, at a zero crossing (no click). None in
        the last moments of the routine: the device already holds everything left. Near the end of a
        stream's buffer, the buffer's end: the stream stops there anyway, and the next one starts anew."""
        run = self._run
        earliest = heard + seconds_to_samples(defaults.PLAYER_CUT_MARGIN_S)
        if run is None:
            return heard
        if earliest >= self.effective.total_samples:
            return None
        if earliest >= run.origin + run.capacity:
            return run.origin + run.capacity
        self._fill(heard)
        buffer = run.stream.samples
        lo = earliest - run.origin
        hi = min(lo + seconds_to_samples(defaults.PLAYER_CUT_SEARCH_S), self._filled - run.origin)
        window = buffer[lo:hi].astype(np.int32)
        if len(window) < 2:
            return earliest
        crossings = np.nonzero(window[:-1] * window[1:] <= 0)[0]
        return earliest + int(crossings[0]) + 1 if len(crossings) else earliest

    def _stop_run(self, end_sample: int) -> None:
        run = self._run
        if run is None:
            return
        run.stream.stop()
        self.segments.append(Segment(run.origin, end_sample))
        self._run = None
        self._stopped_at = end_sample

    # -- time passing -----------------------------------------------------------------------------------

    def tick(self) -> None:
        """Keep the stream fed, stop it past a pause or the end, and open a new one to resume."""
        run = self._run
        if run is None:
            return
        heard = self.heard()
        self._max_heard = max(self._max_heard, heard)
        played = run.origin + run.stream.played_samples()
        guard = seconds_to_samples(defaults.PLAYER_STOP_GUARD_S)
        if run.cut is not None:
            if played >= min(run.cut + guard, run.origin + run.capacity):
                cut = run.cut
                self._stop_run(cut)
                self._paused_at = cut
                if self._resume_pending:
                    self._resume_pending = False
                    self._resume()
            return
        if played >= self.effective.total_samples + guard:
            self._stop_run(self.effective.total_samples)
            self.finished = True
            return
        if played >= run.origin + run.capacity:  # a very long session: carry on in a new stream
            self._stop_run(run.origin + run.capacity)
            self._open(run.origin + run.capacity)
            return
        self._fill(heard)
        self._forget(run, heard)

    def _forget(self, run: _Run, heard: int) -> None:
        keep_from = heard - run.origin - SAMPLE_RATE_HZ * 5
        if keep_from - run.forgotten >= SAMPLE_RATE_HZ * 30:
            run.stream.forget_before(keep_from)
            run.forgotten = keep_from

    # -- keys -------------------------------------------------------------------------------------------

    def handle(self, action: Action) -> None:
        self.message = None
        if action is Action.QUIT:
            self.stop()
        elif action is Action.PAUSE:
            self._toggle_pause()
        elif action is Action.NEXT:
            self._next()
        elif action is Action.BACK:
            self._back()
        elif action is Action.REPEAT:
            self._repeat()
        elif action in (Action.FASTER, Action.SLOWER):
            self._change_pace(action is Action.FASTER)

    def stop(self) -> None:
        """Quit: stop the device now (what is in its buffer still plays out)."""
        heard = self.heard()
        self._max_heard = max(self._max_heard, heard)
        self._stop_run(heard)
        self.quit = True

    def _toggle_pause(self) -> None:
        run = self._run
        if self._paused_at is not None:
            self._resume()
        elif run is not None and run.cut is not None:
            self._resume_pending = not self._resume_pending
        elif run is not None:
            cut = self._cut_point(self.heard())
            if cut is None:
                self.message = _TOO_LATE
                return
            end = self._filled - run.origin
            run.stream.samples[cut - run.origin : end] = 0
            self._filled = cut
            run.cut = cut

    def _resume(self) -> None:
        at = self._paused_at
        assert at is not None
        self._paused_at = None
        if at >= self.effective.total_samples:
            self.finished = True
            return
        self._open(at)

    def _cut(self) -> int | None:
        """Where the next change applies: the paused place, or a cut just ahead of what is heard (None
        when it is too late for a change, and says so)."""
        if self._paused_at is not None:
            return self._paused_at
        run = self._run
        if run is not None and run.cut is not None:
            return run.cut
        cut = self._cut_point(self.heard())
        if cut is None:
            self.message = _TOO_LATE
        return cut

    def _jump(
        self, cut: int, tail: Timeline, from_sample: int, inserted: tuple[Cue, ...] = (), gap: int = 0
    ) -> None:
        """Splice `tail` (from `from_sample`) in at `cut`, and render on from there."""
        self.effective = splice(self.effective, cut, tail, from_sample, inserted, gap)
        if self._paused_at is not None:
            return
        run = self._run
        if run is None:
            return
        if run.cut is not None:  # pausing: the stream stops at the cut as planned
            return
        if self._filled > cut:  # what was rendered past the cut is stale, even beyond a new, earlier end
            run.stream.samples[cut - run.origin : self._filled - run.origin] = 0
            self._filled = cut
        self._fill(self.heard())

    def _current_step(self, at: int) -> StepSpan | None:
        spans = [span for span in self.effective.steps if span.start_sample <= at]
        return spans[-1] if spans and at < spans[-1].end_sample else None

    def _next(self) -> None:
        heard = self.heard()
        span = self._current_step(heard)
        if span is not None:
            following = span.index + 1
        elif heard < self._first_step_start():
            following = 0
        else:
            return  # in the outro: nothing comes next
        cut = self._cut()
        if cut is None:
            return
        self._jump(cut, self.compiled, self._step_start(following))
        self.message = "next step" if following < len(self.compiled.steps) else "to the end"

    def _back(self) -> None:
        now = self.clock.now_s()
        twice = now - self._last_back_s <= defaults.PLAYER_BACK_TWICE_S
        self._last_back_s = now
        cut = self._cut()
        if cut is None:
            return
        span = self._current_step(self.heard())
        if span is None:  # in the intro: back to the start; in the outro: back to the last step
            index = -1 if self.heard() < self._first_step_start() else len(self.compiled.steps) - 1
        else:
            index = span.index - 1 if twice else span.index
        if index < 0:
            self._jump(cut, self.compiled, 0)
            self.message = "from the start"
        else:
            self._jump(cut, self.compiled, self._step_start(index))
            self.message = "previous step" if twice else "step again"

    def _repeat(self) -> None:
        span = self._current_step(self.heard())
        if span is None:
            return
        instruction = _instruction(self.compiled, span.index)
        if instruction is None:
            return
        cut = self._cut()
        if cut is None:
            return
        resume = self._resume_mark(cut, span)
        if resume is None:
            return
        from_sample = mark_sample(self.compiled, resume)
        if from_sample is None:
            return
        said = Cue(0, instruction.length_samples, CueRole.INSTRUCTION, text=instruction.text, step=span.index)
        gap = instruction.length_samples + seconds_to_samples(defaults.GAP_BEFORE_FIRST_REP_S)
        self._jump(cut, self.compiled, from_sample, (said,), gap)
        self.message = "again"

    def _resume_mark(self, cut: int, span: StepSpan) -> Mark | None:
        """Where to go on after the instruction is said again: the hold again if it is under way, else
        the next rep (or the next step, from the rest)."""
        start, length = span.hold_start_sample, span.hold_samples
        if start is not None and length is not None and start <= cut < start + length:
            return Mark(MarkKind.HOLD, span.index)
        found = next_mark(self.effective, cut)
        return None if found is None else found[1]

    def _change_pace(self, faster: bool) -> None:
        pacing = self.compiled.pacing
        factor = defaults.PLAYER_PACE_STEP if faster else 1 / defaults.PLAYER_PACE_STEP
        pace = round(min(defaults.PACE_MAX, max(defaults.PACE_MIN, pacing.pace * factor)), 3)
        if pace == pacing.pace:
            self.message = f"pace {pace:g} is the {'fastest' if faster else 'slowest'}"
            return
        try:
            recompiled = self.recompile(replace(pacing, pace=pace, fit_s=None))
        except PacingError as exc:
            why = "is too fast for the counts" if faster else f"is not possible ({exc.message})"
            self.message = f"pace {pace:g} {why}; staying at {pacing.pace:g}"
            return
        cut = self._cut()
        if cut is None:
            return
        found = next_mark(self.effective, cut)
        if found is None:  # in the outro: nothing left to pace
            self.compiled = recompiled
            self.message = f"pace {pace:g}"
            return
        at, mark = found
        from_sample = mark_sample(recompiled, mark)
        if from_sample is None:
            return
        self.compiled = recompiled
        self._jump(at, recompiled, from_sample)
        self.message = f"pace {pace:g} from the next {'rep' if mark.kind is MarkKind.REP else 'step'}"

    def _first_step_start(self) -> int:
        return self.effective.steps[0].start_sample if self.effective.steps else self.effective.total_samples

    def _step_start(self, index: int) -> int:
        steps = self.compiled.steps
        if index >= len(steps):
            return steps[-1].end_sample if steps else self.compiled.total_samples
        return steps[index].start_sample

    # -- what to show -----------------------------------------------------------------------------------

    def view(self) -> View:
        at = self.heard()
        timeline = self.effective
        span = self._current_step(at)
        rep = next(
            (r for r in timeline.reps if r.start_sample <= at < r.start_sample + r.length_samples), None
        )
        hold_left_s = None
        if span is not None and span.hold_start_sample is not None and span.hold_samples is not None:
            hold_end = span.hold_start_sample + span.hold_samples
            if span.hold_start_sample <= at < hold_end:
                hold_left_s = samples_to_seconds(hold_end - at)
        side = None
        if span is not None:
            side = rep.side if rep is not None else _last_side(timeline, span, at)
        instruction = None
        if span is not None:
            said = _instruction(timeline, span.index)
            instruction = None if said is None else said.text
        return View(
            title=timeline.title,
            step_number=None if span is None else span.index + 1,
            step_count=len(self.compiled.steps),
            step_name=None if span is None else span.name,
            side=side,
            rep=None if rep is None or span is None else rep.rep,
            of_reps=None if rep is None or span is None else rep.of_reps,
            hold_left_s=hold_left_s,
            instruction=instruction,
            elapsed_s=samples_to_seconds(at),
            remaining_s=samples_to_seconds(max(0, timeline.total_samples - at)),
            pace=self.compiled.pacing.pace,
            paused=self.paused,
            finished=self.finished,
            message=self.message,
            in_outro=span is None and at >= self._first_step_start(),
        )

    def summary(self) -> Summary:
        at = max(self._max_heard, self.heard())
        if self.finished:
            at = self.effective.total_samples
        done = {span.index for span in self.effective.steps if span.end_sample <= at}
        return Summary(
            title=self.effective.title,
            finished=self.finished,
            steps_done=len(done),
            step_count=len(self.compiled.steps),
            listened_s=samples_to_seconds(at),
            pace=self.compiled.pacing.pace,
        )


def _instruction(timeline: Timeline, step: int) -> Cue | None:
    """The cue that says step `step`'s instruction (the first, if `r` said it again)."""
    return next((c for c in timeline.cues if c.role is CueRole.INSTRUCTION and c.step == step), None)


def _last_side(timeline: Timeline, span: StepSpan, at: int) -> str | None:
    sides = [
        cue.side
        for cue in timeline.cues
        if cue.step == span.index and cue.side is not None and span.start_sample <= cue.start_sample <= at
    ]
    return sides[-1] if sides else None


class KeySource(Protocol):
    """Single key presses; `read` waits up to `timeout_s` for one."""

    def read(self, timeout_s: float) -> str | None: ...


class Screen(Protocol):
    """Shows the player's state; called after every key and tick."""

    def show(self, view: View) -> None: ...


def play(player: Player, keys: KeySource, screen: Screen, opening: Opening | None = None) -> Summary:
    """Run a session (carrying on from `opening`, if given) to its end or until `q`; Ctrl-C stops the device
    before it propagates."""
    player.start(opening)
    try:
        screen.show(player.view())
        while not (player.finished or player.quit):
            key = keys.read(defaults.PLAYER_POLL_S)
            action = KEYS.get(key.lower() if key else "")
            if action is not None:
                player.handle(action)
            player.tick()
            screen.show(player.view())
    except BaseException:
        player.stop()
        raise
    return player.summary()
