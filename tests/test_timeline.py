"""Timeline rules: exact rep onsets, no overlaps, pacing overrides, and golden timelines."""

from __future__ import annotations

import itertools

import pytest

from cueline.errors import PacingError
from cueline.pacing import Pacing
from cueline.pcm import seconds_to_samples
from cueline.routine import CountMode, CueSwitches, Routine, SpokenCue, Step
from cueline.timeline import Chime, Cue, CueRole, Timeline, compile_timeline

from fakes import FixedLengths
from golden_cases import CASES, golden_path, render_case

NO_CUES = CueSwitches(off=frozenset(SpokenCue))


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
    # Without cues: a preview lengthens a short rest and the count-in is capped, so neither scales exactly.
    r = routine(
        Step("Neck", say="Glide up.", reps=4, rest_s=2.0), Step("Hold", hold_s=6.0, rest_s=1.0), cues=NO_CUES
    )
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
    assert timeline.spoken_texts() == (
        "Hi.", "Neck.", "Ready", "and", "one", "two", "Last one.", "Next: Jaw.", "Jaw.",
        "Gently let your hands come to rest.",
    )  # fmt: skip
    quiet = compile_(routine(Step("Neck", reps=2), Step("Jaw", reps=2), intro=("Hi.",), cues=NO_CUES))
    assert quiet.spoken_texts() == ("Hi.", "Neck.", "one", "two", "Jaw.")


# -- spoken cues ---------------------------------------------------------------------------------------------


def cues_of(timeline: Timeline, role: CueRole) -> list[Cue]:
    return [cue for cue in timeline.cues if cue.role is role]


def only(*on: SpokenCue) -> CueSwitches:
    return CueSwitches(on=frozenset(on), off=frozenset(SpokenCue) - set(on))


@pytest.mark.parametrize("count", list(CountMode))
@pytest.mark.parametrize("pace", [0.5, 1.0, 1.8])
def test_no_cue_overlaps_another_with_every_cue_on(count: CountMode, pace: float) -> None:
    r = routine(
        Step("Jaw", say="Glide along the jaw.", reps=9, tempo_s=2.0, sides=("right", "left"), rest_s=0.2),
        Step("Hold", say="Hold.", hold_s=3.0, rest_s=0.1),
        Step("Neck", reps=12, tempo_s=1.2, pace=0.8, count=CountMode.CHIME),
        outro=("Done.",),
    )
    timeline = compile_(r, Pacing(pace=pace, count=count))
    for before, after in itertools.pairwise(timeline.cues):
        assert after.start_sample >= before.end_sample, (before, after)
    assert {cue.role for cue in timeline.cues} >= {
        CueRole.COUNT_IN, CueRole.SIDE, CueRole.NEXT_STEP, CueRole.FINISH,
    }  # fmt: skip


def test_count_in_leads_into_rep_one_on_the_beat() -> None:
    """ "Ready" one beat before rep one, "and" half a beat before it: at tempo 1.6 s, 1.6 s and 0.8 s."""
    timeline = compile_(routine(Step("Neck", reps=4, tempo_s=1.6)), Pacing(cues=only(SpokenCue.COUNT_IN)))
    ready, and_ = cues_of(timeline, CueRole.COUNT_IN)
    rep1 = timeline.reps[0].start_sample
    assert (ready.text, and_.text) == ("Ready", "and")
    assert rep1 - ready.start_sample == seconds_to_samples(1.6)
    assert rep1 - and_.start_sample == seconds_to_samples(0.8)


def test_count_in_stays_short_for_slow_strokes_and_stretches_for_long_words() -> None:
    slow = compile_(routine(Step("Neck", reps=2, tempo_s=8.0)), Pacing(cues=only(SpokenCue.COUNT_IN)))
    ready, and_ = cues_of(slow, CueRole.COUNT_IN)
    assert and_.start_sample - ready.start_sample == seconds_to_samples(1.0)  # capped, not 4 s
    # At pace 4 a 1 s tempo gives 0.125 s half beats; "Ready" lasts 0.4 s, so both halves grow to 0.5 s.
    fast = compile_(
        routine(Step("Neck", reps=2, tempo_s=1.0), count=CountMode.CHIME),
        Pacing(pace=4.0, cues=only(SpokenCue.COUNT_IN)),
    )
    ready, and_ = cues_of(fast, CueRole.COUNT_IN)
    half = seconds_to_samples(0.4) + seconds_to_samples(0.1)
    assert and_.start_sample - ready.start_sample == half
    assert fast.reps[0].start_sample - and_.start_sample == half


def test_halfway_and_last_rep_follow_their_counts_inside_the_rep() -> None:
    timeline = compile_(routine(Step("Neck", reps=10, tempo_s=3.0)))
    (halfway,) = cues_of(timeline, CueRole.HALFWAY)
    (last,) = cues_of(timeline, CueRole.LAST_REP)
    counts = {cue.rep: cue for cue in cues_of(timeline, CueRole.COUNT)}
    assert (halfway.text, halfway.rep, last.text, last.rep) == ("Halfway.", 6, "Last one.", 10)
    assert halfway.start_sample == counts[6].end_sample + seconds_to_samples(0.1)
    assert last.start_sample == counts[10].end_sample + seconds_to_samples(0.1)
    # Every rep keeps its exact place: cues never move the rhythm.
    assert [rep.start_sample - timeline.reps[0].start_sample for rep in timeline.reps] == [
        seconds_to_samples(i * 3.0) for i in range(10)
    ]


def test_halfway_only_on_long_steps_and_each_side_has_its_own() -> None:
    short = compile_(routine(Step("Neck", reps=7)))
    assert cues_of(short, CueRole.HALFWAY) == []
    assert [cue.rep for cue in cues_of(short, CueRole.LAST_REP)] == [7]
    sides = compile_(routine(Step("Jaw", reps=8, sides=("right", "left"))))
    assert [(cue.side, cue.rep) for cue in cues_of(sides, CueRole.HALFWAY)] == [("right", 5), ("left", 5)]
    assert [(cue.side, cue.rep) for cue in cues_of(sides, CueRole.LAST_REP)] == [("right", 8), ("left", 8)]
    single = compile_(routine(Step("Neck", reps=1)))
    assert cues_of(single, CueRole.LAST_REP) == []  # "last one" on the only rep says nothing


def test_a_cue_with_no_room_in_its_rep_is_dropped_and_noted_never_moving_a_rep() -> None:
    # "eight" (0.4 s) + 0.1 s + "Last one." (0.6 s) + 0.1 s margin = 1.2 s: too long for a 1 s rep.
    r = routine(Step("Flicks", reps=8, tempo_s=1.0))
    tight = compile_(r)
    assert cues_of(tight, CueRole.LAST_REP) == cues_of(tight, CueRole.HALFWAY) == []
    assert [(cue.role, cue.rep) for cue in tight.dropped] == [(CueRole.HALFWAY, 5), (CueRole.LAST_REP, 8)]
    roomy = compile_(r, Pacing(pace=0.8))  # 1.25 s reps: both fit
    assert roomy.dropped == ()
    assert [cue.rep for cue in cues_of(roomy, CueRole.LAST_REP)] == [8]


def test_a_rest_too_short_for_the_preview_is_lengthened_to_hold_it() -> None:
    r = routine(Step("Neck", reps=2, rest_s=0.5), Step("Jaw", reps=2, rest_s=5.0), Step("Brows", reps=2))
    timeline = compile_(r, Pacing(cues=only(SpokenCue.NEXT_STEP)))
    first, second = cues_of(timeline, CueRole.NEXT_STEP)
    assert (first.text, second.text) == ("Next: Jaw.", "Next: Brows.")
    gap = seconds_to_samples(0.35)
    neck_end = timeline.reps[1].start_sample + timeline.reps[1].length_samples
    assert first.start_sample == neck_end + gap
    assert timeline.steps[1].start_sample == first.end_sample + gap  # 0.5 s rest grew to hold it
    jaw_end = timeline.reps[3].start_sample + timeline.reps[3].length_samples
    assert timeline.steps[2].start_sample == jaw_end + seconds_to_samples(5.0)  # a long rest stays as it was
    assert len(cues_of(timeline, CueRole.NEXT_STEP)) == 2  # none after the last step


def test_gentle_finish_comes_before_the_outro_with_a_longer_quiet_before_the_last_chime() -> None:
    r = routine(Step("Neck", reps=2), outro=("Done.",))
    on = compile_(r, Pacing(cues=only(SpokenCue.FINISH)))
    off = compile_(r, Pacing(cues=only()))
    roles = [cue.role for cue in on.cues[-3:]]
    assert roles == [CueRole.FINISH, CueRole.OUTRO, CueRole.BELL]
    outro, bell = on.cues[-2:]
    assert bell.start_sample - outro.end_sample == seconds_to_samples(0.35) + seconds_to_samples(1.5)
    assert [cue.role for cue in off.cues[-2:]] == [CueRole.OUTRO, CueRole.BELL]


def test_cues_layer_run_over_routine_over_default() -> None:
    r = routine(Step("Neck", reps=10), cues=CueSwitches(off=frozenset({SpokenCue.HALFWAY, SpokenCue.FINISH})))
    from_routine = compile_(r)
    assert cues_of(from_routine, CueRole.HALFWAY) == cues_of(from_routine, CueRole.FINISH) == []
    assert cues_of(from_routine, CueRole.LAST_REP)  # not named by the routine: the default, on
    from_run = compile_(r, Pacing(cues=CueSwitches(on=frozenset({SpokenCue.HALFWAY}))))
    assert cues_of(from_run, CueRole.HALFWAY) and not cues_of(from_run, CueRole.FINISH)


def test_side_switch_can_be_turned_off_and_the_sides_are_still_counted() -> None:
    timeline = compile_(routine(Step("Jaw", reps=2, sides=("right", "left"))), Pacing(cues=only()))
    assert cues_of(timeline, CueRole.SIDE) == []
    assert [(rep.side, rep.rep) for rep in timeline.reps] == [
        ("right", 1),
        ("right", 2),
        ("left", 1),
        ("left", 2),
    ]


def test_a_language_without_cue_phrases_speaks_no_cues_and_no_english() -> None:
    r = routine(
        Step("Jaw", reps=9, sides=("destra", "sinistra")), Step("Collo", reps=2), count=CountMode.CHIME,
        language="it",
    )  # fmt: skip
    timeline = compile_(r)
    spoken_roles = {cue.role for cue in timeline.cues if cue.kind == "speech"}
    assert spoken_roles == {CueRole.INSTRUCTION}


def test_cues_are_spoken_in_the_routines_language() -> None:
    r = routine(Step("Kiefer", reps=8, sides=("rechts", "links")), Step("Hals", reps=2), language="de")
    texts = [cue.text for cue in compile_(r).cues if cue.text is not None]
    assert texts[:6] == ["Kiefer.", "Zuerst rechts.", "Bereit", "und", "eins", "zwei"]
    assert {"Halbzeit.", "Die letzte.", "Jetzt links.", "Als Nächstes: Hals."} <= set(texts)
    assert not {"one", "Ready", "Halfway.", "Last one."} & set(texts)


# -- per-step pace and count ---------------------------------------------------------------------------------


@pytest.mark.parametrize("run_pace", [0.5, 1.0, 2.0])
def test_a_steps_pace_multiplies_the_runs_pace(run_pace: float) -> None:
    r = routine(
        Step("Brisk", reps=3, tempo_s=2.0, rest_s=2.0),
        Step("Slow", reps=3, tempo_s=2.0, pace=0.5, rest_s=2.0),
        Step("Hold", hold_s=4.0, pace=0.5, rest_s=2.0),
        count=CountMode.CHIME,
        cues=NO_CUES,
    )
    timeline = compile_(r, Pacing(pace=run_pace))
    lengths = {step: {rep.length_samples for rep in timeline.reps if rep.step == step} for step in (0, 1)}
    assert lengths == {0: {seconds_to_samples(2.0 / run_pace)}, 1: {seconds_to_samples(4.0 / run_pace)}}
    assert timeline.steps[2].hold_samples == seconds_to_samples(8.0 / run_pace)
    hold_end = next(cue for cue in timeline.cues if cue.role is CueRole.HOLD_END)
    assert timeline.steps[2].end_sample - hold_end.end_sample == seconds_to_samples(4.0 / run_pace)


def test_a_step_counts_its_own_way_unless_the_run_says_otherwise() -> None:
    r = routine(Step("Voice", reps=2), Step("Quiet", reps=2, count=CountMode.CHIME), cues=NO_CUES)
    kinds = [(cue.step, cue.kind) for cue in compile_(r).cues if cue.role is CueRole.COUNT]
    assert kinds == [(0, "speech"), (0, "speech"), (1, "chime"), (1, "chime")]
    forced = [
        cue.kind for cue in compile_(r, Pacing(count=CountMode.VOICE)).cues if cue.role is CueRole.COUNT
    ]
    assert forced == ["speech"] * 4


def test_the_fastest_pace_suggested_accounts_for_a_steps_own_pace() -> None:
    # "seventeen" needs 0.7 s; a 1 s tempo at step pace 2 fits up to run pace 1.0 / 0.7 / 2 = 0.71.
    r = routine(Step("Quick", reps=20, tempo_s=1.0, pace=2.0), cues=NO_CUES)
    with pytest.raises(PacingError) as caught:
        compile_(r)
    assert "at pace 1 (× 2 for this step)" in str(caught.value)
    assert "fastest pace that fits every step is 0.71" in str(caught.value)
    compile_(r, Pacing(pace=0.71))
