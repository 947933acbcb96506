"""`--fit`: the pace that makes a whole routine last a given time, or a clear reason why none can."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cueline.durations import format_duration
from cueline.errors import PacingError
from cueline.fit import fit_pace
from cueline.pacing import Pacing
from cueline.routine import CountMode, Routine, Step
from cueline.session import prepare
from cueline.timeline import compile_timeline

from fakes import FixedLengths, ToneSpeech

LENGTHS = FixedLengths()


def routine(count: CountMode = CountMode.VOICE, **step: object) -> Routine:
    return Routine(
        title="Fit",
        steps=(
            Step("Neck", say="Glide up.", reps=10, tempo_s=4.0, sides=("right", "left"), rest_s=2.0),
            Step("Temples", say="Press and hold.", hold_s=30.0),
            Step("Lymph", reps=8, tempo_s=3.0, pace=0.5, count=CountMode.CHIME, **step),  # type: ignore[arg-type]
        ),
        count=count,
        intro=("Warm a little oil.",),
    )


def seconds_at(r: Routine, pacing: Pacing) -> float:
    return compile_timeline(r, pacing, LENGTHS).duration_s


@pytest.mark.parametrize("target_s", [75.0, 150.0, 240.0, 300.0, 600.0, 675.0])
def test_the_fitted_routine_lasts_the_target_within_half_a_second(target_s: float) -> None:
    r = routine()
    pace = fit_pace(r, Pacing(), target_s, LENGTHS)
    assert abs(seconds_at(r, Pacing(pace=pace)) - target_s) <= 0.5


def test_fitting_to_the_length_at_a_round_pace_finds_that_pace() -> None:
    r = routine()
    for pace in (0.6, 0.8, 1.25, 2.0):
        assert fit_pace(r, Pacing(), seconds_at(r, Pacing(pace=pace)), LENGTHS) == pace


def test_speech_keeps_its_length_only_paced_time_changes() -> None:
    r = routine()
    fitted = compile_timeline(r, Pacing(pace=fit_pace(r, Pacing(), 500.0, LENGTHS)), LENGTHS)
    plain = compile_timeline(r, Pacing(), LENGTHS)
    speech = [(cue.text, cue.length_samples) for cue in fitted.cues if cue.kind == "speech"]
    assert speech == [(cue.text, cue.length_samples) for cue in plain.cues if cue.kind == "speech"]


def test_other_pacing_choices_are_kept_while_fitting() -> None:
    r = routine()
    pacing = Pacing(reps=4, count=CountMode.CHIME, speech_rate_wpm=200)
    pace = fit_pace(r, pacing, 200.0, FixedLengths(200))
    assert abs(compile_timeline(r, replace(pacing, pace=pace), FixedLengths(200)).duration_s - 200.0) <= 0.5


@pytest.mark.parametrize("target_s", [20.0, 3 * 3600.0])
def test_a_target_out_of_reach_names_the_shortest_and_longest_durations(target_s: float) -> None:
    r = routine(count=CountMode.CHIME)
    shortest, longest = seconds_at(r, Pacing(pace=4.0)), seconds_at(r, Pacing(pace=0.25))
    with pytest.raises(PacingError) as caught:
        fit_pace(r, Pacing(), target_s, LENGTHS)
    message = str(caught.value)
    assert message.startswith(f"cannot fit this routine to {format_duration(target_s)}: at paces 0.25 to 4 ")
    assert f"lasts from {format_duration(shortest)} to {format_duration(longest)}" in message
    assert "--fit" in message  # the hint


def test_spoken_counts_limit_how_short_a_routine_can_be() -> None:
    """Counted aloud, "seventeen" needs 0.7 s: a 1 s tempo fits up to pace 1.42, not 4."""
    r = Routine(title="Quick", steps=(Step("Flicks", reps=20, tempo_s=1.0),))
    shortest = seconds_at(r, Pacing(pace=1.42))
    with pytest.raises(PacingError) as caught:
        fit_pace(r, Pacing(), shortest - 5, LENGTHS)
    assert "paces 0.25 to 1.42 (faster, its spoken counts would not fit)" in str(caught.value)
    assert f"lasts from {format_duration(shortest)}" in str(caught.value)
    assert fit_pace(r, Pacing(), shortest, LENGTHS) == 1.42
    compile_timeline(r, Pacing(pace=1.42), LENGTHS)


def test_when_no_pace_fits_the_counts_the_usual_advice_is_given() -> None:
    r = Routine(title="Flick", steps=(Step("Flick", reps=20, tempo_s=0.1),))
    with pytest.raises(PacingError, match="no pace fits"):
        fit_pace(r, Pacing(), 60.0, LENGTHS)


def test_prepare_fits_when_the_pacing_asks_and_says_so(tone: ToneSpeech) -> None:
    prepared = prepare(routine(), Pacing(fit_s=600.0), engine=tone)
    assert abs(prepared.timeline.duration_s - 600.0) <= 0.5
    pacing = prepared.timeline.pacing
    assert pacing.fit_s == 600.0 and pacing.pace != 1.0
    assert pacing.describe().startswith(f"pace {round(pacing.pace, 4):g} to fit 10:00, speech 165 wpm")


def test_a_fit_beyond_the_length_cap_is_refused() -> None:
    with pytest.raises(PacingError, match="cannot fit a routine to 5:00:00"):
        Pacing(fit_s=5 * 3600.0)
