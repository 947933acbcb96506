"""Splicing timelines: the marks a timeline can be entered at, and what the player plays after a change."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from cueline.pacing import Pacing
from cueline.render import render_blocks
from cueline.routine import Routine, Step
from cueline.session import Prepared, prepare
from cueline.splice import Mark, MarkKind, mark_sample, marks, next_mark, splice
from cueline.timeline import ClipLengths, Cue, CueRole, Timeline, compile_timeline

from fakes import FixedLengths, ToneSpeech

ROUTINE = Routine(
    title="Splice test",
    intro=("Hello.",),
    outro=("Done.",),
    steps=(
        Step("Neck", say="Glide up the neck.", reps=5, tempo_s=2.0, rest_s=1.0),
        Step("Jaw", say="Along the jaw.", reps=3, tempo_s=2.0, sides=("right", "left"), rest_s=1.0),
        Step("Temples", say="Press the temples.", hold_s=4.0, rest_s=1.0),
        Step("Forehead", say="Up the forehead.", reps=4, tempo_s=2.0, rest_s=1.0),
    ),
)
NECK, JAW, TEMPLES, FOREHEAD = range(4)


def compile_(pacing: Pacing | None = None, lengths: ClipLengths | None = None) -> Timeline:
    pacing = pacing or Pacing()
    return compile_timeline(ROUTINE, pacing, lengths or FixedLengths(pacing.speech_rate_wpm))


def at_mark(timeline: Timeline, mark: Mark) -> int:
    sample = mark_sample(timeline, mark)
    assert sample is not None, mark
    return sample


def instruction(timeline: Timeline, step: int) -> Cue:
    return next(c for c in timeline.cues if c.role is CueRole.INSTRUCTION and c.step == step)


def assert_well_formed(timeline: Timeline) -> None:
    """What every timeline promises: cues in order, none overlapping, all inside the total; spans in order."""
    for before, after in itertools.pairwise(timeline.cues):
        assert after.start_sample >= before.end_sample, (before, after)
    assert timeline.cues[-1].end_sample <= timeline.total_samples
    for earlier, later in itertools.pairwise(timeline.steps):
        assert later.start_sample >= earlier.end_sample, (earlier, later)
    for span in timeline.steps:
        assert span.start_sample < span.end_sample


# -- marks ------------------------------------------------------------------------------------------------


def test_marks_name_every_step_hold_rep_and_the_outro_in_order() -> None:
    timeline = compile_()
    found = marks(timeline)
    samples = [sample for sample, _ in found]
    assert samples == sorted(samples)
    kinds = [mark.kind for _, mark in found]
    reps = sum((step.reps or 0) * max(1, len(step.sides)) for step in ROUTINE.steps)
    holds = sum(step.hold_s is not None for step in ROUTINE.steps)
    assert kinds.count(MarkKind.STEP) == len(ROUTINE.steps)
    assert (kinds.count(MarkKind.REP), kinds.count(MarkKind.HOLD), kinds.count(MarkKind.OUTRO)) == (
        reps,
        holds,
        1,
    )
    assert found[-1] == (timeline.steps[-1].end_sample, Mark(MarkKind.OUTRO))
    for sample, mark in found:
        if mark.kind is MarkKind.STEP:
            assert sample == timeline.steps[mark.step].start_sample  # type: ignore[index]
        elif mark.kind is MarkKind.REP:
            count = next(
                c
                for c in timeline.cues
                if c.role is CueRole.COUNT and (c.step, c.side, c.rep) == (mark.step, mark.side, mark.rep)
            )
            assert sample == count.start_sample


def test_mark_sample_finds_the_same_place_at_another_pace() -> None:
    slow, fast = compile_(), compile_(Pacing(pace=1.5))
    first_rep = at_mark(slow, Mark(MarkKind.REP, NECK, None, 1))  # the same in both: speech is not paced
    for sample, mark in marks(slow):
        moved = mark_sample(fast, mark)
        assert moved is not None, mark
        if mark.kind is MarkKind.REP:
            count = next(
                c
                for c in fast.cues
                if c.role is CueRole.COUNT and (c.step, c.side, c.rep) == (mark.step, mark.side, mark.rep)
            )
            assert moved == count.start_sample
        elif mark.kind is MarkKind.STEP:
            assert moved == fast.steps[mark.step].start_sample  # type: ignore[index]
        elif mark.kind is MarkKind.HOLD:
            assert moved == fast.steps[mark.step].hold_start_sample  # type: ignore[index]
        if sample > first_rep:
            assert moved < sample  # found in the faster timeline, not the one it came from


def test_mark_sample_is_none_for_a_rep_the_timeline_does_not_have() -> None:
    fewer = compile_(Pacing(reps=2))
    assert mark_sample(fewer, Mark(MarkKind.REP, NECK, None, 2)) is not None
    assert mark_sample(fewer, Mark(MarkKind.REP, NECK, None, 3)) is None
    assert mark_sample(fewer, Mark(MarkKind.REP, JAW, "left", 3)) is None
    assert mark_sample(compile_(), Mark(MarkKind.HOLD, NECK)) is None


def test_next_mark_is_the_first_at_or_after_a_sample() -> None:
    timeline = compile_()
    found = marks(timeline)
    assert len({sample for sample, _ in found}) == len(found)  # no two marks share a place here
    for this, following in itertools.pairwise(found):
        assert next_mark(timeline, this[0]) == this
        assert next_mark(timeline, this[0] + 1) == following
    assert next_mark(timeline, 0) == found[0]


def test_next_mark_past_the_last_mark_is_none() -> None:
    timeline = compile_()
    last, _ = marks(timeline)[-1]
    assert next_mark(timeline, last) is not None
    assert next_mark(timeline, last + 1) is None
    assert next_mark(timeline, timeline.total_samples) is None


# -- splice -----------------------------------------------------------------------------------------------


def test_splicing_a_timeline_with_itself_at_any_mark_gives_it_back() -> None:
    timeline = compile_()
    points = [sample for sample, _ in marks(timeline)] + [0, timeline.total_samples]
    for sample in points:
        assert splice(timeline, sample, timeline, sample) == timeline, sample


def cut_mid_instruction(timeline: Timeline) -> tuple[int, Timeline, int]:
    cue = instruction(timeline, JAW)
    return cue.start_sample + cue.length_samples // 2, timeline, timeline.steps[TEMPLES].start_sample


def pace_change_at_a_rep(timeline: Timeline) -> tuple[int, Timeline, int]:
    mark = Mark(MarkKind.REP, JAW, "left", 2)
    tail = compile_(Pacing(pace=1.5))
    return at_mark(timeline, mark), tail, at_mark(tail, mark)


def restart_mid_step(timeline: Timeline) -> tuple[int, Timeline, int]:
    return (
        at_mark(timeline, Mark(MarkKind.REP, NECK, None, 3)) + 100,
        timeline,
        timeline.steps[NECK].start_sample,
    )


def back_to_the_start_from_the_outro(timeline: Timeline) -> tuple[int, Timeline, int]:
    return timeline.steps[-1].end_sample + 50, timeline, 0


MakeSplice = Callable[[Timeline], tuple[int, Timeline, int]]
SPLICES: list[MakeSplice] = [
    cut_mid_instruction,
    pace_change_at_a_rep,
    restart_mid_step,
    back_to_the_start_from_the_outro,
]


@pytest.mark.parametrize("inserted_samples", [0, 30_000])
@pytest.mark.parametrize("make", SPLICES, ids=lambda make: make.__name__)
def test_a_splice_is_well_formed_and_as_long_as_its_parts(make: MakeSplice, inserted_samples: int) -> None:
    head = compile_()
    at, tail, from_sample = make(head)
    inserted = (
        (Cue(0, inserted_samples // 2, CueRole.INSTRUCTION, text="Again."),) if inserted_samples else ()
    )
    spliced = splice(head, at, tail, from_sample, inserted, inserted_samples)
    assert_well_formed(spliced)
    assert spliced.total_samples == at + inserted_samples + (tail.total_samples - from_sample)
    assert spliced.steps[0].start_sample == head.steps[0].start_sample


def test_a_cue_cut_by_the_splice_ends_exactly_at_the_cut() -> None:
    head = compile_()
    at, tail, from_sample = cut_mid_instruction(head)
    cut = instruction(head, JAW)
    spliced = splice(head, at, tail, from_sample)
    shortened = next(c for c in spliced.cues if c.start_sample == cut.start_sample)
    assert shortened.end_sample == at < cut.end_sample
    assert (shortened.text, shortened.step) == (cut.text, cut.step)
    after = [c for c in spliced.cues if c.start_sample >= at]
    assert after[0].start_sample == at and after[0].step == TEMPLES  # the next step's chime, at the cut
    assert [c for c in spliced.cues if c.start_sample < at] == [
        c for c in head.cues if c.end_sample <= cut.start_sample
    ] + [shortened]


def test_a_pace_change_mid_step_keeps_one_span_for_the_step() -> None:
    head = compile_()
    at, tail, from_sample = pace_change_at_a_rep(head)
    shift = at - from_sample
    spliced = splice(head, at, tail, from_sample)
    assert [span.index for span in spliced.steps] == [NECK, JAW, TEMPLES, FOREHEAD]
    jaw = spliced.steps[JAW]
    assert jaw.start_sample == head.steps[JAW].start_sample
    assert jaw.end_sample == tail.steps[JAW].end_sample + shift
    temples = tail.steps[TEMPLES]
    assert temples.hold_start_sample is not None
    assert spliced.steps[TEMPLES] == replace(
        temples,
        start_sample=temples.start_sample + shift,
        end_sample=temples.end_sample + shift,
        hold_start_sample=temples.hold_start_sample + shift,
    )
    jaw_reps = [rep for rep in spliced.reps if rep.step == JAW]
    assert [(rep.side, rep.rep) for rep in jaw_reps] == [
        (rep.side, rep.rep) for rep in head.reps if rep.step == JAW
    ]
    slow_slot = next(rep for rep in head.reps if rep.step == JAW).length_samples
    fast_slot = next(rep for rep in tail.reps if rep.step == JAW).length_samples
    assert fast_slot < slow_slot
    lengths = [rep.length_samples for rep in jaw_reps]
    left_2 = next(i for i, rep in enumerate(jaw_reps) if (rep.side, rep.rep) == ("left", 2))
    assert all(abs(length - slow_slot) <= 1 for length in lengths[:left_2])
    assert all(abs(length - fast_slot) <= 1 for length in lengths[left_2:])
    assert spliced.pacing == tail.pacing


def test_a_pace_change_at_a_hold_takes_the_hold_at_the_new_pace() -> None:
    head = compile_()
    tail = compile_(Pacing(pace=1.5))
    mark = Mark(MarkKind.HOLD, TEMPLES)
    at, from_sample = at_mark(head, mark), at_mark(tail, mark)
    spliced = splice(head, at, tail, from_sample)
    temples = spliced.steps[TEMPLES]
    assert [span.index for span in spliced.steps] == [NECK, JAW, TEMPLES, FOREHEAD]
    assert temples.start_sample == head.steps[TEMPLES].start_sample
    assert temples.hold_start_sample == at
    assert temples.hold_samples == tail.steps[TEMPLES].hold_samples != head.steps[TEMPLES].hold_samples


def test_restarting_a_step_gives_two_spans_of_it() -> None:
    head = compile_()
    at, tail, from_sample = restart_mid_step(head)
    spliced = splice(head, at, tail, from_sample)
    assert [span.index for span in spliced.steps] == [NECK, NECK, JAW, TEMPLES, FOREHEAD]
    first, again = spliced.steps[0], spliced.steps[1]
    assert (first.start_sample, first.end_sample) == (head.steps[NECK].start_sample, at)
    assert again.start_sample == at
    assert (
        again.end_sample - again.start_sample == head.steps[NECK].end_sample - head.steps[NECK].start_sample
    )
    counted = [rep.rep for rep in spliced.reps if rep.step == NECK]
    assert counted == [1, 2, 3, 1, 2, 3, 4, 5]
    third = spliced.reps[2]
    assert third.start_sample + third.length_samples == at  # the rep heard at the cut ends there


def test_inserted_cues_land_at_the_cut_and_the_tail_follows_them() -> None:
    head = compile_()
    said = instruction(head, NECK)
    mark = Mark(MarkKind.REP, NECK, None, 4)
    at = at_mark(head, mark) - 200
    gap = said.length_samples + 5_000
    spliced = splice(head, at, head, at_mark(head, mark), (replace(said, start_sample=0),), gap)
    again = [c for c in spliced.cues if c.role is CueRole.INSTRUCTION and c.step == NECK]
    assert len(again) == 2
    assert again[1].start_sample == at and again[1].length_samples == said.length_samples
    four = next(c for c in spliced.cues if c.role is CueRole.COUNT and c.rep == 4 and c.step == NECK)
    assert four.start_sample == at + gap
    assert at_mark(spliced, mark) == at + gap


def test_the_hold_of_a_step_cut_before_its_hold_disappears_from_the_cut_span() -> None:
    head = compile_()
    temples = head.steps[TEMPLES]
    assert temples.hold_start_sample is not None and temples.hold_samples is not None
    at = instruction(head, TEMPLES).start_sample + 10
    spliced = splice(head, at, head, head.steps[FOREHEAD].start_sample)
    cut = spliced.steps[TEMPLES]
    assert (cut.end_sample, cut.hold_start_sample, cut.hold_samples) == (at, None, None)


def test_the_hold_of_a_step_cut_during_its_hold_ends_at_the_cut() -> None:
    head = compile_()
    temples = head.steps[TEMPLES]
    assert temples.hold_start_sample is not None and temples.hold_samples is not None
    at = temples.hold_start_sample + temples.hold_samples // 3
    spliced = splice(head, at, head, head.steps[FOREHEAD].start_sample)
    cut = spliced.steps[TEMPLES]
    assert cut.hold_start_sample == temples.hold_start_sample
    assert cut.hold_samples == at - temples.hold_start_sample < temples.hold_samples


@pytest.mark.parametrize(
    ("at", "from_sample"),
    [(-1, 0), ("end+1", 0), (0, -1), (0, "end+1")],
)
def test_splice_points_out_of_range_are_refused(at: int | str, from_sample: int | str) -> None:
    head, tail = compile_(), compile_(Pacing(pace=2.0))
    at_ = head.total_samples + 1 if at == "end+1" else at
    from_ = tail.total_samples + 1 if from_sample == "end+1" else from_sample
    with pytest.raises(ValueError, match="out of range"):
        splice(head, at_, tail, from_)  # type: ignore[arg-type]
    splice(head, head.total_samples, tail, tail.total_samples)  # both ends themselves are in range


# -- what a splice sounds like --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    return prepare(ROUTINE, Pacing(), engine=ToneSpeech(), cache_root=tmp_path_factory.mktemp("clips"))


def rendered(timeline: Timeline, prepared: Prepared, start_sample: int = 0) -> np.ndarray:
    return np.concatenate(list(render_blocks(timeline, prepared.clips, start_sample)))


@pytest.mark.parametrize(
    "mark",
    [Mark(MarkKind.REP, JAW, "left", 2), Mark(MarkKind.HOLD, TEMPLES), Mark(MarkKind.STEP, FOREHEAD)],
    ids=lambda mark: mark.kind.value,
)
def test_a_pace_change_at_a_mark_sounds_like_the_head_then_the_tail(prepared: Prepared, mark: Mark) -> None:
    head = prepared.timeline
    tail = compile_(Pacing(pace=1.5), prepared.clips)
    at, from_sample = at_mark(head, mark), at_mark(tail, mark)
    expected = np.concatenate([rendered(head, prepared)[:at], rendered(tail, prepared, from_sample)])
    assert np.array_equal(rendered(splice(head, at, tail, from_sample), prepared), expected)


def test_a_cut_in_the_middle_of_a_speech_cue_plays_the_head_up_to_the_cut_then_the_tail(
    prepared: Prepared,
) -> None:
    head = prepared.timeline
    cue = instruction(head, JAW)
    at = cue.start_sample + cue.length_samples // 2
    from_sample = head.steps[TEMPLES].start_sample
    audio = rendered(splice(head, at, head, from_sample), prepared)
    whole = rendered(head, prepared)
    assert whole[at - 200 : at + 200].any()  # the instruction was sounding at the cut
    assert np.array_equal(audio[:at], whole[:at])
    assert np.array_equal(audio[at:], whole[from_sample:])
