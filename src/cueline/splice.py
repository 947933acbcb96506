"""Splice timelines: what the live player really plays after a jump, a repeat or a change of pace.

The player never edits audio. It builds a new Timeline from the part already played and a freshly compiled
one, and renders that with the one renderer, so exporting the spliced timeline gives the very samples heard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from cueline.timeline import Cue, Rep, StepSpan, Timeline


class MarkKind(StrEnum):
    """The places a timeline can be entered at without cutting a sound short."""

    STEP = "step"
    HOLD = "hold"
    REP = "rep"
    OUTRO = "outro"


@dataclass(frozen=True)
class Mark:
    """A place in a routine, named so that it can be found again in a timeline compiled at another pace."""

    kind: MarkKind
    step: int | None = None
    side: str | None = None
    rep: int | None = None


def marks(timeline: Timeline) -> list[tuple[int, Mark]]:
    """Every mark of `timeline` with its sample, in order."""
    found: list[tuple[int, Mark]] = []
    for span in timeline.steps:
        found.append((span.start_sample, Mark(MarkKind.STEP, span.index)))
        if span.hold_start_sample is not None:
            found.append((span.hold_start_sample, Mark(MarkKind.HOLD, span.index)))
    for rep in timeline.reps:
        found.append((rep.start_sample, Mark(MarkKind.REP, rep.step, rep.side, rep.rep)))
    if timeline.steps:
        found.append((timeline.steps[-1].end_sample, Mark(MarkKind.OUTRO)))
    return sorted(found, key=lambda pair: pair[0])


def mark_sample(timeline: Timeline, mark: Mark) -> int | None:
    """Where `mark` lies in `timeline`, or None when it has no such place (fewer reps, say)."""
    for sample, candidate in marks(timeline):
        if candidate == mark:
            return sample
    return None


def next_mark(timeline: Timeline, at_sample: int) -> tuple[int, Mark] | None:
    """The first mark at or after `at_sample`."""
    for sample, mark in marks(timeline):
        if sample >= at_sample:
            return sample, mark
    return None


def splice(
    head: Timeline,
    at_sample: int,
    tail: Timeline,
    from_sample: int,
    inserted: Sequence[Cue] = (),
    inserted_samples: int = 0,
) -> Timeline:
    """`head` up to `at_sample`, then `inserted` (cues placed from 0, lasting `inserted_samples`), then `tail`
    from `from_sample` on. A sound of `head` still going at the cut is cut short there."""
    if not 0 <= at_sample <= head.total_samples or not 0 <= from_sample <= tail.total_samples:
        raise ValueError(f"splice points out of range: {at_sample} in head, {from_sample} in tail")
    shift = at_sample + inserted_samples - from_sample
    cues = (
        [
            replace(cue, length_samples=min(cue.length_samples, at_sample - cue.start_sample))
            for cue in head.cues
            if cue.start_sample < at_sample
        ]
        + [replace(cue, start_sample=cue.start_sample + at_sample) for cue in inserted]
        + [
            replace(cue, start_sample=cue.start_sample + shift)
            for cue in tail.cues
            if cue.start_sample >= from_sample
        ]
    )
    reps = [
        replace(rep, length_samples=min(rep.length_samples, at_sample - rep.start_sample))
        for rep in head.reps
        if rep.start_sample < at_sample
    ] + [_shift_rep(rep, shift) for rep in tail.reps if rep.start_sample >= from_sample]
    return replace(
        tail,
        cues=tuple(cues),
        reps=tuple(reps),
        steps=_spliced_steps(head, at_sample, tail, from_sample, shift, inserted_samples),
        total_samples=tail.total_samples + shift,
    )


def _shift_rep(rep: Rep, shift: int) -> Rep:
    return replace(rep, start_sample=rep.start_sample + shift)


def _spliced_steps(
    head: Timeline, at_sample: int, tail: Timeline, from_sample: int, shift: int, inserted_samples: int
) -> tuple[StepSpan, ...]:
    """The step spans either side of the cut. What is inserted belongs to the step cut (an instruction
    said again in its rest is still that step). A step cut in the middle and entered again in the middle
    (a change of pace between two reps) stays one span."""
    before = [span for span in head.steps if span.start_sample < at_sample]
    after = [span for span in tail.steps if span.end_sample > from_sample]
    spans = [_cut_span(span, at_sample) for span in before]
    resumed_at = at_sample + inserted_samples
    if spans and spans[-1].end_sample == at_sample and inserted_samples:
        spans[-1] = replace(spans[-1], end_sample=resumed_at)
    for span in after:
        moved = _shift_span(span, shift)
        if span.start_sample < from_sample:  # entered mid-step
            if spans and spans[-1].index == span.index and spans[-1].end_sample == resumed_at:
                joined = spans.pop()
                hold = (joined.hold_start_sample, joined.hold_samples)
                if joined.hold_start_sample is None and moved.hold_start_sample is not None:
                    hold = (moved.hold_start_sample, moved.hold_samples)
                moved = replace(
                    moved,
                    start_sample=joined.start_sample,
                    hold_start_sample=hold[0],
                    hold_samples=hold[1],
                )
            else:
                moved = replace(moved, start_sample=resumed_at)
        spans.append(moved)
    return tuple(spans)


def _cut_span(span: StepSpan, at_sample: int) -> StepSpan:
    if span.end_sample <= at_sample:
        return span
    hold_start, hold_samples = span.hold_start_sample, span.hold_samples
    if hold_start is not None and hold_samples is not None:
        if hold_start >= at_sample:
            hold_start, hold_samples = None, None
        else:
            hold_samples = min(hold_samples, at_sample - hold_start)
    return replace(span, end_sample=at_sample, hold_start_sample=hold_start, hold_samples=hold_samples)


def _shift_span(span: StepSpan, shift: int) -> StepSpan:
    return replace(
        span,
        start_sample=span.start_sample + shift,
        end_sample=span.end_sample + shift,
        hold_start_sample=None if span.hold_start_sample is None else span.hold_start_sample + shift,
    )
