"""The player's controls, through the library with a fake clock, fake keys and a fake sound card (no sleeps).

The fake card reads the stream buffer at the clock's pace, a little ahead of what is heard, as a real one
does; what it read is what was played. Every test holds that to the export of the player's effective
timeline, so a key that edited audio already handed to the device would show up as a mismatch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from measure import read_wav

from cueline import defaults
from cueline.export.wav import export_wav
from cueline.live import player_for
from cueline.pacing import Pacing
from cueline.pcm import SAMPLE_RATE_HZ, seconds_to_samples
from cueline.player import Opening, Player, Segment, Summary, View, play
from cueline.render import render_blocks
from cueline.routine import CountMode, Routine, Step
from cueline.session import Prepared, prepare
from cueline.sounds import chime_pcm
from cueline.timeline import Chime, CueRole, Timeline

from fakes import FakeClock, FakeOut, RecordingScreen, ScriptedKeys, ToneSpeech

ROUTINE = Routine(
    title="Player test",
    intro=("Hello.",),
    outro=("Done.",),
    steps=(
        Step("Neck", say="Glide up the neck.", reps=6, tempo_s=1.5, rest_s=1.0),
        Step("Jaw", say="Along the jaw.", reps=4, tempo_s=1.5, sides=("right", "left"), rest_s=1.0),
        Step("Temples", say="Press the temples.", hold_s=4.0, rest_s=1.0),
        Step("Forehead", say="Up the forehead.", reps=5, tempo_s=1.5, rest_s=1.0),
    ),
)


@pytest.fixture
def prepared(tone: ToneSpeech, tmp_path: Path) -> Prepared:
    return prepare(ROUTINE, Pacing(count=CountMode.VOICE), engine=tone, cache_root=tmp_path / "cache")


def run(prepared: Prepared, presses: list[tuple[float, str]]) -> tuple[Player, FakeOut, Summary, list[View]]:
    clock = FakeClock()
    out = FakeOut(clock)
    player = player_for(prepared, out, clock)
    screen = RecordingScreen()
    summary = play(player, ScriptedKeys(clock, presses), screen)
    return player, out, summary, [v for v in screen.views if isinstance(v, View)]


def rendered(timeline: Timeline, prepared: Prepared) -> np.ndarray:
    return np.concatenate(list(render_blocks(timeline, prepared.clips)))


def heard(player: Player, out: FakeOut) -> np.ndarray:
    """What the fake card played, stream by stream, up to where each stream's content ended; after that
    end, a stream must have played only silence."""
    assert len(out.streams) == len(player.segments)
    parts = []
    for stream, segment in zip(out.streams, player.segments, strict=True):
        captured = stream.captured()
        length = segment.end_sample - segment.start_sample
        assert len(captured) >= length, "the device stopped before the content it was given ended"
        assert not captured[length:].any(), "sound after the end of a stream's content"
        parts.append(captured[:length])
    return np.concatenate(parts)


def at_s(view_time_s: float) -> int:
    return seconds_to_samples(view_time_s)


def test_an_uninterrupted_session_plays_exactly_the_export(prepared: Prepared, tmp_path: Path) -> None:
    player, out, summary, _ = run(prepared, [])
    assert player.effective == prepared.timeline
    wav = tmp_path / "export.wav"
    export_wav(prepared.timeline, prepared.clips, wav)
    assert np.array_equal(heard(player, out), read_wav(wav))
    assert summary.finished and summary.steps_done == summary.step_count == 4
    assert out.streams[0].stopped


def test_pause_resumes_where_it_stopped_with_nothing_lost_or_repeated(prepared: Prepared) -> None:
    player, out, summary, views = run(prepared, [(5.0, " "), (9.0, " ")])
    assert len(out.streams) == 2
    cut = player.segments[0].end_sample
    margin = seconds_to_samples(defaults.PLAYER_CUT_MARGIN_S)
    assert at_s(5.0) + margin <= cut <= at_s(5.0) + margin + seconds_to_samples(defaults.PLAYER_CUT_SEARCH_S)
    assert player.segments[1].start_sample == cut
    assert player.effective == prepared.timeline  # pausing changes nothing that is played
    assert np.array_equal(heard(player, out), rendered(prepared.timeline, prepared))
    assert any(v.paused for v in views) and summary.finished
    # the second stream opened when space was pressed again, not before
    assert out.streams[1].started_at == pytest.approx(1000.0 + 9.0, abs=defaults.PLAYER_POLL_S)


def test_space_twice_quickly_resumes_once_the_pause_point_is_reached(prepared: Prepared) -> None:
    player, out, summary, _ = run(prepared, [(5.0, " "), (5.1, " ")])
    assert len(out.streams) == 2  # the device still stopped at the cut, then started again there
    assert player.segments[1].start_sample == player.segments[0].end_sample
    assert out.streams[1].started_at is not None and out.streams[1].started_at < 1000.0 + 6.0
    assert np.array_equal(heard(player, out), rendered(prepared.timeline, prepared))
    assert summary.finished


def test_a_pause_cuts_at_a_zero_crossing(prepared: Prepared) -> None:
    player, _, _, _ = run(prepared, [(5.0, " "), (6.0, " ")])
    audio = rendered(player.effective, prepared)
    cut = player.segments[0].end_sample
    assert audio[cut - 1] == 0 or audio[cut] == 0 or np.sign(audio[cut - 1]) != np.sign(audio[cut])


def test_faster_pace_applies_from_the_next_rep_and_plays_its_export(
    prepared: Prepared, tmp_path: Path
) -> None:
    neck_reps = [rep for rep in prepared.timeline.reps if rep.step == 0]
    press_s = (neck_reps[1].start_sample + 100) / SAMPLE_RATE_HZ  # during the second rep
    player, out, summary, views = run(prepared, [(press_s, "+")])
    effective = player.effective
    assert effective != prepared.timeline
    wav = tmp_path / "effective.wav"
    export_wav(effective, prepared.clips, wav)
    assert np.array_equal(heard(player, out), read_wav(wav))
    slot_before = round(1.5 * SAMPLE_RATE_HZ)
    slot_after = round(1.5 / 1.1 * SAMPLE_RATE_HZ)
    lengths = [rep.length_samples for rep in effective.reps if rep.step == 0]
    changed = next(i for i, length in enumerate(lengths) if length != slot_before)
    assert changed >= 2  # not the rep being heard when the key was pressed
    assert all(abs(length - slot_after) <= 1 for length in lengths[changed:])
    assert summary.pace == pytest.approx(1.1)
    assert any(v.message and "pace 1.1" in v.message for v in views)
    assert views[-1].pace == pytest.approx(1.1)


def test_slower_then_faster_comes_back_to_the_same_pace(prepared: Prepared) -> None:
    _, _, summary, _ = run(prepared, [(3.0, "-"), (4.0, "+")])
    assert summary.pace == 1.0


def test_next_skips_to_the_next_step(prepared: Prepared) -> None:
    neck = prepared.timeline.steps[0]
    press_s = (neck.start_sample + SAMPLE_RATE_HZ * 3) / SAMPLE_RATE_HZ
    player, out, summary, views = run(prepared, [(press_s, "n")])
    assert np.array_equal(heard(player, out), rendered(player.effective, prepared))
    spans = player.effective.steps
    assert [span.index for span in spans] == [0, 1, 2, 3]
    cut = spans[0].end_sample
    assert spans[1].start_sample == cut
    assert cut < neck.end_sample  # the neck step was cut short
    neck_reps_heard = [rep for rep in player.effective.reps if rep.step == 0 and rep.start_sample < cut]
    assert len(neck_reps_heard) < 6
    assert summary.finished
    jaw_views = [v for v in views if v.step_name == "Jaw"]
    assert jaw_views and jaw_views[0].elapsed_s < press_s + 1.0


def test_back_restarts_the_step_and_twice_goes_to_the_previous_one(prepared: Prepared) -> None:
    jaw = prepared.timeline.steps[1]
    press_s = (jaw.start_sample + SAMPLE_RATE_HZ * 5) / SAMPLE_RATE_HZ
    player, out, _, _ = run(prepared, [(press_s, "b")])
    assert [span.index for span in player.effective.steps] == [0, 1, 1, 2, 3]
    assert np.array_equal(heard(player, out), rendered(player.effective, prepared))

    player, out, _, _ = run(prepared, [(press_s, "b"), (press_s + 0.5, "b")])
    # the first press restarted the jaw step, which played until the second press took it back further
    spans = player.effective.steps
    assert [span.index for span in spans] == [0, 1, 1, 0, 1, 2, 3]
    assert spans[2].end_sample - spans[2].start_sample == pytest.approx(0.5 * SAMPLE_RATE_HZ, abs=500)
    assert np.array_equal(heard(player, out), rendered(player.effective, prepared))

    player, _, _, _ = run(prepared, [(press_s, "b"), (press_s + defaults.PLAYER_BACK_TWICE_S + 1, "b")])
    assert [span.index for span in player.effective.steps][:4] == [0, 1, 1, 1]


def test_repeat_says_the_instruction_again_then_goes_on_counting(prepared: Prepared) -> None:
    neck_reps = [rep for rep in prepared.timeline.reps if rep.step == 0]
    press_s = (neck_reps[2].start_sample + 200) / SAMPLE_RATE_HZ
    player, out, _, _ = run(prepared, [(press_s, "r")])
    instructions = [c for c in player.effective.cues if c.role is CueRole.INSTRUCTION and c.step == 0]
    assert len(instructions) == 2
    again = instructions[1]
    counts_after = [
        c.rep
        for c in player.effective.cues
        if c.role is CueRole.COUNT and c.step == 0 and c.start_sample > again.start_sample
    ]
    assert counts_after == [4, 5, 6]  # the rep being heard was the third; counting goes on at the fourth
    assert np.array_equal(heard(player, out), rendered(player.effective, prepared))


def test_quit_stops_the_device_and_reports_how_far_it_got(prepared: Prepared) -> None:
    jaw = prepared.timeline.steps[1]
    press_s = (jaw.start_sample + SAMPLE_RATE_HZ * 2) / SAMPLE_RATE_HZ
    player, out, summary, _ = run(prepared, [(press_s, "q")])
    assert out.streams[-1].stopped and player.quit
    assert not summary.finished and summary.steps_done == 1
    assert summary.listened_s == pytest.approx(press_s, abs=0.1)


def test_the_screen_counts_the_reps_as_they_are_heard(prepared: Prepared) -> None:
    _, _, _, views = run(prepared, [])
    counted = [v.rep for v in views if v.step_name == "Neck" and v.rep is not None]
    assert counted == sorted(counted) and set(counted) == {1, 2, 3, 4, 5, 6}
    sides = {v.side for v in views if v.step_name == "Jaw" and v.rep is not None}
    assert sides == {"right", "left"}
    holds = [v.hold_left_s for v in views if v.step_name == "Temples" and v.hold_left_s is not None]
    assert holds and max(holds) <= 4.0 and holds == sorted(holds, reverse=True)
    assert views[-1].finished


def test_a_pace_too_fast_for_the_counts_is_refused_and_playing_goes_on(
    tone: ToneSpeech, tmp_path: Path
) -> None:
    tight = Routine(title="Tight", steps=(Step("Neck", say="Go.", reps=8, tempo_s=0.52),))
    prepared = prepare(tight, Pacing(count=CountMode.VOICE), engine=tone, cache_root=tmp_path)
    player, out, summary, views = run(prepared, [(2.0, "+"), (2.5, "+")])
    assert summary.pace == 1.0 and summary.finished
    assert any(v.message and "too fast" in v.message for v in views)
    assert np.array_equal(heard(player, out), rendered(prepared.timeline, prepared))


def test_a_long_session_gives_played_memory_back(tone: ToneSpeech, tmp_path: Path) -> None:
    long = Routine(title="Long", steps=(Step("Neck", say="Go.", reps=60, tempo_s=1.0),))
    prepared = prepare(long, Pacing(count=CountMode.CHIME), engine=tone, cache_root=tmp_path)
    player, out, _, _ = run(prepared, [])
    assert out.streams[0].forgotten > 0  # and FakeStream asserts nothing forgotten was read again
    assert np.array_equal(heard(player, out), rendered(prepared.timeline, prepared))


# -- carrying on from the start bell, rung before the routine was prepared -------------------------------


def opened_with(pcm: bytes, prepared: Prepared, prepare_s: float) -> tuple[Player, FakeOut, Opening]:
    """What `live.begin` does, on the fake card: a stream already playing `pcm`, then `prepare_s` spent
    preparing before the player takes it over."""
    clock = FakeClock()
    out = FakeOut(clock)
    stream = out.open(seconds_to_samples(defaults.PLAYER_MAX_STREAM_S))
    stream.samples[: len(pcm) // 2] = np.frombuffer(pcm, dtype="<i2")
    stream.start()
    clock.now += prepare_s
    stream.played_samples()  # the card reads on while the routine is prepared
    return player_for(prepared, out, clock), out, Opening(stream, len(pcm) // 2)


def where_they_part(pcm: bytes, expected: np.ndarray) -> int:
    """The first sample where the routine's render differs from `pcm` followed by silence."""
    written = np.zeros(len(expected), dtype=np.int16)
    written[: len(pcm) // 2] = np.frombuffer(pcm, dtype="<i2")
    return int(np.nonzero(written != expected)[0][0])


@pytest.mark.parametrize("prepare_s", [0.0, 0.4, 1.5])
def test_the_player_writes_on_after_a_bell_already_ringing(prepared: Prepared, prepare_s: float) -> None:
    player, out, opening = opened_with(chime_pcm(Chime.START), prepared, prepare_s)
    summary = play(player, ScriptedKeys(player.clock, []), RecordingScreen(), opening)  # type: ignore[arg-type]
    assert summary.finished
    assert out.streams == [opening.stream]  # one stream from the bell to the end: no gap, no second open
    assert player.segments == [Segment(0, prepared.timeline.total_samples)]
    assert np.array_equal(heard(player, out), rendered(prepared.timeline, prepared))


def test_a_bell_whose_silence_ran_long_resumes_where_the_bell_and_routine_part(prepared: Prepared) -> None:
    # Preparing took longer than the bell and its gap: the card played silence where the first words
    # belong. That is a pause at the first words, and they come once preparing is done.
    bell = chime_pcm(Chime.START)
    player, out, opening = opened_with(bell, prepared, 4.0)
    summary = play(player, ScriptedKeys(player.clock, []), RecordingScreen(), opening)  # type: ignore[arg-type]
    expected = rendered(prepared.timeline, prepared)
    part = where_they_part(bell, expected)
    first_words = min(c.start_sample for c in prepared.timeline.cues if c.role is not CueRole.BELL)
    assert first_words <= part < first_words + 100  # the bell and its gap were heard in full
    assert summary.finished
    assert player.segments == [Segment(0, part), Segment(part, prepared.timeline.total_samples)]
    assert np.array_equal(heard(player, out), expected)


def test_a_bell_that_is_not_the_routines_first_sound_is_cut_where_they_part(prepared: Prepared) -> None:
    wrong = chime_pcm(Chime.STEP)
    player, out, opening = opened_with(wrong, prepared, 0.3)
    play(player, ScriptedKeys(player.clock, []), RecordingScreen(), opening)  # type: ignore[arg-type]
    expected = rendered(prepared.timeline, prepared)
    part = where_they_part(wrong, expected)
    assert player.segments == [Segment(0, part), Segment(part, prepared.timeline.total_samples)]
    # What the card had already played of the wrong bell cannot be taken back; from the cut on, the
    # routine plays as rendered, in a new stream.
    resumed = out.streams[1].captured()
    assert np.array_equal(resumed[: len(expected) - part], expected[part:])
