"""What the player shows: the full screen's lines, the one-line log, and the terminal put back afterwards."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from cueline.durations import format_duration
from cueline.live import player_for
from cueline.pacing import Pacing
from cueline.pcm import samples_to_seconds
from cueline.player import KEY_HELP, View, play
from cueline.routine import Routine, Step
from cueline.screen import LineScreen, TerminalScreen, counter, progress_bar, screen_lines, step_line, where
from cueline.session import Prepared, prepare

from fakes import FakeClock, FakeOut, RecordingScreen, ScriptedKeys, ToneSpeech

ENTER = "\x1b[?1049h\x1b[?25l"  # alternate screen on, cursor hidden
LEAVE = "\x1b[?25h\x1b[?1049l"  # cursor shown, alternate screen off
HOME = "\x1b[H"

INSTRUCTION = (
    "Glide your fingertips up from the collarbones to the jaw, slowly, "
    "keeping the pressure light and the shoulders low and relaxed."
)

COUNTING = View(
    title="Morning lift",
    step_number=2,
    step_count=6,
    step_name="Jaw",
    side="right",
    rep=3,
    of_reps=8,
    hold_left_s=None,
    instruction=INSTRUCTION,
    elapsed_s=95.0,
    remaining_s=205.0,
    pace=1.1,
    paused=False,
    finished=False,
    message=None,
)
HOLDING = replace(
    COUNTING, step_number=3, step_name="Temples", side=None, rep=None, of_reps=None, hold_left_s=3.6
)
INTRO = replace(
    COUNTING, step_number=None, step_name=None, side=None, rep=None, of_reps=None, instruction=None
)


# -- the parts of a screen ------------------------------------------------------------------------------


def test_where_names_the_step_its_number_and_side() -> None:
    assert where(COUNTING) == "Step 2 of 6 · Jaw · right side"
    assert where(HOLDING) == "Step 3 of 6 · Temples"


def test_where_outside_the_steps() -> None:
    assert where(replace(INTRO, elapsed_s=0.0, remaining_s=300.0)) == "Intro"
    assert where(replace(INTRO, elapsed_s=290.0, remaining_s=10.0, in_outro=True)) == "Outro"
    assert where(replace(INTRO, elapsed_s=290.0, remaining_s=10.0)) == "Intro"
    assert where(replace(INTRO, elapsed_s=300.0, remaining_s=0.0, finished=True)) == "Finished"


def test_counter_shows_the_rep_or_the_hold_and_paused_over_both() -> None:
    assert counter(COUNTING) == "Rep 3 of 8"
    assert counter(HOLDING) == "Hold · 4 s left"
    assert counter(replace(HOLDING, hold_left_s=0.4)) == "Hold · 0 s left"
    assert counter(replace(COUNTING, paused=True)) == counter(replace(HOLDING, paused=True)) == "Paused"
    assert counter(replace(COUNTING, rep=None, of_reps=None)) == ""


@pytest.mark.parametrize("fraction", [-0.5, 0.0, 0.01, 0.5, 0.77, 1.0, 1.5])
@pytest.mark.parametrize("cells", [10, 30])
def test_progress_bar_has_a_fixed_width_and_fills_in_proportion(fraction: float, cells: int) -> None:
    bar = progress_bar(fraction, cells)
    assert len(bar) == cells
    filled = bar.count("█")
    assert bar == "█" * filled + "░" * (cells - filled)
    assert filled == round(min(1.0, max(0.0, fraction)) * cells)


# -- the full screen ------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [20, 32, 48, 80, 200])
@pytest.mark.parametrize("view", [COUNTING, HOLDING, INTRO, replace(COUNTING, paused=True, message="paused")])
def test_no_line_is_wider_than_the_terminal(view: View, width: int) -> None:
    lines = screen_lines(view, width)
    assert max(len(line) for line in lines) <= width
    assert f"  {view.title}"[:width] in lines


def test_a_wide_terminal_shows_every_line_whole() -> None:
    lines = screen_lines(COUNTING, 200)
    assert "  Step 2 of 6 · Jaw · right side" in lines
    assert "      Rep 3 of 8" in lines
    progress = next(line for line in lines if "█" in line)
    assert progress.endswith(f"{format_duration(95.0)} done · {format_duration(205.0)} left · pace 1.1")
    assert lines[-1] == f"  {KEY_HELP}"


@pytest.mark.parametrize("width", [40, 60, 80])
def test_a_long_instruction_is_wrapped_within_the_width_word_for_word(width: int) -> None:
    lines = screen_lines(COUNTING, width)
    said = [line for line in lines if line.strip() and line.strip() in INSTRUCTION]
    assert len(said) >= 2  # the instruction is longer than one line at these widths
    assert all(len(line) <= width and line.startswith("  ") for line in said)
    assert " ".join(line.strip() for line in said) == INSTRUCTION


def test_a_paused_screen_says_paused_and_how_to_resume() -> None:
    playing = screen_lines(COUNTING, 80)
    paused = screen_lines(replace(COUNTING, paused=True), 80)
    assert "      Paused" in paused and "      Paused" not in playing
    assert paused[-1].startswith("  space resume ·") and "space pause" not in paused[-1]
    assert playing[-1].startswith("  space pause ·")
    assert paused[-1].removeprefix("  space resume") == playing[-1].removeprefix("  space pause")


def test_the_message_is_shown_and_goes_away() -> None:
    shown = screen_lines(replace(COUNTING, message="pace 1.1 from the next rep"), 80)
    assert "  pace 1.1 from the next rep" in shown
    assert not any("from the next rep" in line for line in screen_lines(COUNTING, 80))


def test_step_line_says_where_how_far_and_the_pace() -> None:
    done, left = format_duration(95.0), format_duration(205.0)
    assert step_line(COUNTING) == f"Step 2 of 6 · Jaw · right side: {done} done, {left} left, pace 1.1"
    assert step_line(replace(COUNTING, paused=True)).startswith("Step 2 of 6 · Jaw · right side (paused): ")


# -- the one-line log -----------------------------------------------------------------------------------


def test_line_screen_writes_a_line_when_the_step_side_or_pause_changes_not_every_view() -> None:
    views = [
        replace(INTRO, elapsed_s=0.0, remaining_s=300.0),  # 0: new
        replace(INTRO, elapsed_s=1.0, remaining_s=299.0),
        replace(COUNTING, rep=1),  # 2: new step
        replace(COUNTING, rep=2, elapsed_s=97.0, remaining_s=203.0),
        replace(COUNTING, rep=3, message="pace 1.1", pace=1.2),
        replace(COUNTING, side="left", rep=1),  # 5: new side
        replace(COUNTING, side="left", rep=1, paused=True),  # 6: paused
        replace(COUNTING, side="left", rep=1, paused=True, elapsed_s=99.0),
        replace(COUNTING, side="left", rep=2),  # 8: resumed
        HOLDING,  # 9: next step
        replace(HOLDING, hold_left_s=2.0),
        replace(INTRO, elapsed_s=299.0, remaining_s=1.0),  # 11: the outro
        replace(INTRO, elapsed_s=300.0, remaining_s=0.0, finished=True),  # 12: finished
    ]
    out = io.StringIO()
    with LineScreen(out) as screen:
        for view in views:
            screen.show(view)
    assert out.getvalue().splitlines() == [step_line(views[i]) for i in (0, 2, 5, 6, 8, 9, 11, 12)]


# -- the full screen on a terminal ----------------------------------------------------------------------


@pytest.fixture
def columns(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("LINES", "24")
    return 60


def test_terminal_screen_uses_the_alternate_screen_and_hides_the_cursor_until_it_ends(columns: int) -> None:
    out = io.StringIO()
    with TerminalScreen(out) as screen:
        assert out.getvalue() == ENTER
        screen.show(COUNTING)
    written = out.getvalue()
    assert written.startswith(ENTER + HOME) and written.endswith(LEAVE)
    drawn = written.removeprefix(ENTER + HOME).removesuffix(LEAVE)
    assert drawn == "".join(f"{line}\x1b[K\n" for line in screen_lines(COUNTING, columns)) + "\x1b[J"


def test_terminal_screen_puts_the_terminal_back_when_the_block_raises(columns: int) -> None:
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt), TerminalScreen(out) as screen:
        screen.show(COUNTING)
        raise KeyboardInterrupt
    assert out.getvalue().endswith(LEAVE)
    assert out.getvalue().count(LEAVE) == 1


def test_terminal_screen_redraws_only_when_the_lines_change(columns: int) -> None:
    out = io.StringIO()
    with TerminalScreen(out) as screen:
        screen.show(COUNTING)
        screen.show(COUNTING)
        screen.show(replace(COUNTING, elapsed_s=95.2))  # the same to the second: the same lines
        assert out.getvalue().count(HOME) == 1
        screen.show(replace(COUNTING, rep=4))
        assert out.getvalue().count(HOME) == 2
        assert "Rep 4 of 8" in out.getvalue().rsplit(HOME, 1)[1]


def test_terminal_screen_fits_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    out = io.StringIO()
    with TerminalScreen(out) as screen:
        screen.show(COUNTING)
    drawn = out.getvalue().removeprefix(ENTER + HOME).removesuffix("\x1b[J" + LEAVE)
    assert drawn.endswith("\x1b[K\n")
    assert max(len(line) for line in drawn.split("\x1b[K\n")) <= 30


# -- what a whole session shows -------------------------------------------------------------------------

LONG_INTRO = Routine(
    title="Long intro",
    intro=(
        "Welcome, and settle into a comfortable seat with your shoulders low and your jaw soft.",
        "Warm a few drops of oil between your palms before you begin, and breathe out slowly.",
        "Keep the touch light: the skin should move with your fingers, never be dragged by them.",
        "If anything feels sore, ease off, and skip that step the next time round.",
    ),
    outro=("Done.",),
    steps=(Step("Neck", say="Up the neck.", reps=2, tempo_s=1.0, rest_s=0.5),),
)


@pytest.fixture
def long_intro(tone: ToneSpeech, tmp_path: Path) -> Prepared:
    return prepare(LONG_INTRO, Pacing(), engine=tone, cache_root=tmp_path / "cache")


def session_views(prepared: Prepared, presses: list[tuple[float, str]]) -> list[View]:
    clock = FakeClock()
    screen = RecordingScreen()
    play(player_for(prepared, FakeOut(clock), clock), ScriptedKeys(clock, presses), screen)
    return [view for view in screen.views if isinstance(view, View)]


def test_the_intro_is_called_the_intro_however_long_it_is(long_intro: Prepared) -> None:
    timeline = long_intro.timeline
    first_step_s = samples_to_seconds(timeline.steps[0].start_sample)
    assert first_step_s > timeline.duration_s / 2  # the case that matters: an intro longer than the rest
    views = session_views(long_intro, [])
    intro = [where(view) for view in views if not view.finished and view.elapsed_s < first_step_s]
    assert intro and set(intro) == {"Intro"}


def test_the_last_line_of_a_finished_session_says_it_is_all_done(long_intro: Prepared) -> None:
    views = session_views(long_intro, [])
    assert views[-1].finished
    out = io.StringIO()
    with LineScreen(out) as screen:
        for view in views:
            screen.show(view)
    total = format_duration(long_intro.timeline.duration_s)
    assert out.getvalue().splitlines()[-1] == f"Finished: {total} done, {format_duration(0)} left, pace 1"
