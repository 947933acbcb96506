"""Timeline rules: exact rep onsets, no overlaps, pacing overrides, and golden timelines."""

from __future__ import annotations

import itertools

import pytest

from cueline.errors import PacingError
from cueline.pacing import Pacing
from cueline.pcm import seconds_to_samples
from cueline.routine import CountMode, Routine, Step
from cueline.timeline import Chime, CueRole, Timeline, compile_timeline

from fakes import FixedLengths
from golden_cases import CASES, golden_path, render_case


def routine(
    *steps: Step, tempo_s: float = 3.0, count: CountMode = CountMode.VOICE, **extra: object
) -> Routine:
    return Routine(title="Test", steps=steps, tempo_s=tempo_s, count=count, **extra)  # type: ignore[arg-type]


def compile_(r: Routine, pacing: Pacing | None = None) -> Timeline:
    pacing = pacing or Pacing()
    return compile_timeline(r, pacing, FixedLengths(pacing.speech_rate_wpm))


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_timelines(name: str) -> None:
    """A change in timing shows up as a diff here; rerun scripts/regen_golden.py if it was intended."""
    assert render_case(name) == golden_path(name).read_text(encoding="utf-8")


@pytest.mark.parametrize("pace", [0.25, 0.5, 0.8, 1.0, 1.7, 3.0])
@pytest.mark.parametrize("tempo_s", [2.0, 3.3, 4.0])
def test_rep_i_starts_exactly_i_tempo_over_pace_after_rep_0(pace: float, tempo_s: float) -> None:
    timeline = compile_(
        routine(Step("Neck", reps=9, tempo_s=tempo_s)), Pacing(pace=pace, count=CountMode.CHIME)
    )
    rep0 = timeline.reps[0].start_sample
    for rep in timeline.reps:
        exact = (rep.rep - 1) * tempo_s / pace * 22050
        assert abs(rep.start_sample - rep0 - exact) <= 0.5
    counts = [cue for cue in timeline.cues if cue.role is CueRole.COUNT]
    assert [cue.start_sample for cue in counts] == [rep.start_sample for rep in timeline.reps]


@pytest.mark.parametrize("count", list(CountMode))
@pytest.mark.parametrize("pace", [0.5, 1.0, 1.5])
def test_no_sound_overlaps_another(count: CountMode, pace: float) -> None:
    r = routine(
        Step("Jaw", say="Glide along the jaw.", reps=6, sides=("right", "left"), rest_s=0.5),
        Step("Hold", say="Hold.", hold_s=3.0),
        Step("Talk", say="Just words."),
        Step("Neck", reps=3, tempo_s=5.0),
        intro=("Hello.", "Warm the oil."),
        outro=("Done.",),
    )
    timeline = compile_(r, Pacing(pace=pace, count=count))
    for before, after in itertools.pairwise(timeline.cues):
        assert after.start_sample >= before.end_sample, (before, after)
    assert timeline.cues[-1].end_sample <= timeline.total_samples


def test_instruction_precedes_rep_0_and_bells_frame_the_routine() -> None:
    timeline = compile_(routine(Step("Neck", say="Glide up.", reps=2), Step("Jaw", reps=2)))
    first, last = timeline.cues[0], timeline.cues[-1]
    assert (first.chime, last.chime) == (Chime.START, Chime.FINISH)
    for index in (0, 1):
        step_cues = [cue for cue in timeline.cues if cue.step == index]
        assert step_cues[0].chime is Chime.STEP
        assert step_cues[1].role is CueRole.INSTRUCTION
        first_rep = next(rep for rep in timeline.reps if rep.step == index)
        assert step_cues[1].end_sample < first_rep.start_sample


def test_pace_divides_reps_holds_and_rests_but_never_stretches_speech() -> None:
    r = routine(Step("Neck", say="Glide up.", reps=4, rest_s=2.0), Step("Hold", hold_s=6.0, rest_s=1.0))
    slow, fast = compile_(r, Pacing(pace=0.5)), compile_(r, Pacing(pace=2.0))
    assert [rep.length_samples for rep in slow.reps] == [seconds_to_samples(6.0)] * 4
    assert [rep.length_samples for rep in fast.reps] == [seconds_to_samples(1.5)] * 4
    assert slow.steps[1].hold_samples == seconds_to_samples(12.0)
    assert fast.steps[1].hold_samples == seconds_to_samples(3.0)
    speech = [(cue.text, cue.length_samples) for cue in slow.cues if cue.kind == "speech"]
    assert speech == [(cue.text, cue.length_samples) for cue in fast.cues if cue.kind == "speech"]
    # Only exercise time scales: (4 reps × 3 s + 2 s rest + 6 s hold + 1 s rest) × (2 - 0.5)
    assert slow.total_samples - fast.total_samples == seconds_to_samples(21 * (2 - 0.5))


def test_reps_override_applies_to_every_counted_step_only() -> None:
    r = routine(Step("A", reps=3), Step("B", reps=10, sides=("right", "left")), Step("C", hold_s=4.0))
    timeline = compile_(r, Pacing(reps=5))
    per_step = {step: len([rep for rep in timeline.reps if rep.step == step]) for step in (0, 1, 2)}
    assert per_step == {0: 5, 1: 10, 2: 0}
    assert {rep.of_reps for rep in timeline.reps} == {5}


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (CountMode.VOICE, [("speech", "one"), ("speech", "two")]),
        (CountMode.CHIME, [("chime", Chime.COUNT), ("chime", Chime.COUNT)]),
        (
            CountMode.BOTH,
            [("chime", Chime.COUNT), ("speech", "one"), ("chime", Chime.COUNT), ("speech", "two")],
        ),
        (CountMode.SILENT, []),
    ],
)
def test_count_modes(count: CountMode, expected: list[tuple[str, object]]) -> None:
    timeline = compile_(routine(Step("Neck", reps=2)), Pacing(count=count))
    counts = [(cue.kind, cue.text or cue.chime) for cue in timeline.cues if cue.role is CueRole.COUNT]
    assert counts == expected
    assert len(timeline.reps) == 2  # reps are tracked for the display even when nothing sounds


def test_routine_count_mode_is_used_unless_pacing_overrides_it() -> None:
    r = routine(Step("Neck", reps=2), count=CountMode.CHIME)
    kinds = {cue.kind for cue in compile_(r).cues if cue.role is CueRole.COUNT}
    assert kinds == {"chime"}
    kinds = {cue.kind for cue in compile_(r, Pacing(count=CountMode.VOICE)).cues if cue.role is CueRole.COUNT}
    assert kinds == {"speech"}


def test_sides_are_announced_and_counted_separately() -> None:
    timeline = compile_(routine(Step("Jaw", reps=2, sides=("right", "left"))))
    sides = [cue.text for cue in timeline.cues if cue.role is CueRole.SIDE]
    assert sides == ["Right side.", "Now the left side."]
    assert [(rep.side, rep.rep) for rep in timeline.reps] == [
        ("right", 1),
        ("right", 2),
        ("left", 1),
        ("left", 2),
    ]


def test_a_spoken_count_that_does_not_fit_names_the_step_and_the_fastest_pace() -> None:
    # "seventeen" lasts 0.15 + 9 × 0.05 = 0.6 s with the fake lengths, plus the 0.1 s margin: 0.7 s.
    r = routine(Step("Warm up", reps=2), Step("Quick", reps=20, tempo_s=1.0))
    with pytest.raises(PacingError) as caught:
        compile_(r, Pacing(pace=2.0))
    message = str(caught.value)
    assert "step 2 (Quick)" in message
    assert "'seventeen'" in message
    assert "fastest pace that fits every step is 1.42" in message  # 1.0 s / 0.7 s, rounded down
    assert "count: chime" in message
    compile_(r, Pacing(pace=1.42))  # and that pace does fit
    compile_(r, Pacing(pace=2.0, count=CountMode.CHIME))  # as does counting with chimes


def test_the_suggested_pace_fits_every_step_not_just_the_first_that_fails() -> None:
    # "seventeen" needs 0.7 s: step 1 (tempo 1.2 s) fits up to pace 1.71, step 2 (tempo 1.0 s) up to 1.42.
    r = routine(Step("Long", reps=20, tempo_s=1.2), Step("Short", reps=20, tempo_s=1.0))
    with pytest.raises(PacingError) as caught:
        compile_(r, Pacing(pace=2.0))
    message = str(caught.value)
    assert message.startswith("step 1 (Long) (and 1 more step):")
    assert "fastest pace that fits every step is 1.42" in message
    compile_(r, Pacing(pace=1.42))


def test_when_no_pace_fits_it_says_so() -> None:
    r = routine(Step("Flick", reps=20, tempo_s=0.1), count=CountMode.VOICE)
    with pytest.raises(PacingError, match="no pace fits"):
        compile_(r, Pacing(pace=1.0))


def test_a_routine_paced_beyond_four_hours_is_refused() -> None:
    r = routine(Step("Long", reps=500, tempo_s=30.0), count=CountMode.CHIME)  # 4.2 hours at pace 1
    with pytest.raises(PacingError, match="limit is 4 hours"):
        compile_(r, Pacing(pace=1.0))
    compile_(r, Pacing(pace=1.2))


def test_a_new_pace_builds_a_new_timeline_and_leaves_the_old_one_alone() -> None:
    r = routine(Step("Neck", reps=3))
    first = compile_(r)
    snapshot = first.cues
    second = compile_(r, Pacing(pace=2.0))
    assert first.cues == snapshot and second.cues != first.cues
    with pytest.raises(AttributeError):
        first.total_samples = 0  # type: ignore[misc]


def test_spoken_texts_lists_each_text_once_in_order() -> None:
    timeline = compile_(routine(Step("Neck", reps=2), Step("Jaw", reps=2), intro=("Hi.",)))
    assert timeline.spoken_texts() == ("Hi.", "Neck.", "one", "two", "Jaw.")
