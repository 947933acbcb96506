"""What the player shows: a calm full screen redrawn in place on a terminal, one line per step otherwise."""

from __future__ import annotations

import shutil
import textwrap
from typing import TextIO

from cueline.durations import format_duration
from cueline.player import KEY_HELP, View

_BAR_CELLS = 30
_INSTRUCTION_LINES = 4


def where(view: View) -> str:
    """`Step 2 of 6 · Neck · right side`, or the part of the routine outside the steps."""
    if view.step_number is None:
        if view.finished:
            return "Finished"
        return "Outro" if view.in_outro else "Intro"
    parts = [f"Step {view.step_number} of {view.step_count}", view.step_name or ""]
    if view.side:
        parts.append(f"{view.side} side")
    return " · ".join(part for part in parts if part)


def counter(view: View) -> str:
    """The big line: the rep being counted, or the hold's seconds left."""
    if view.paused:
        return "Paused"
    if view.rep is not None and view.of_reps is not None:
        return f"Rep {view.rep} of {view.of_reps}"
    if view.hold_left_s is not None:
        return f"Hold · {round(view.hold_left_s)} s left"
    return ""


def progress_bar(fraction: float, cells: int = _BAR_CELLS) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * cells)
    return "█" * filled + "░" * (cells - filled)


def screen_lines(view: View, width: int) -> list[str]:
    """The whole screen as lines no wider than `width`."""
    inner = max(20, width - 4)
    lines = ["", f"  {view.title}", "", f"  {where(view)}", "", f"      {counter(view)}", ""]
    wrapped = textwrap.wrap(view.instruction or "", inner)
    if len(wrapped) > _INSTRUCTION_LINES:
        wrapped = [
            *wrapped[: _INSTRUCTION_LINES - 1],
            textwrap.shorten(" ".join(wrapped[_INSTRUCTION_LINES - 1 :]), inner, placeholder=" …"),
        ]
    lines += [f"  {line}" for line in wrapped]
    lines += [
        "",
        f"  {progress_bar(view.progress, max(5, min(_BAR_CELLS, width - 50)))}  "
        f"{format_duration(view.elapsed_s)} done · "
        f"{format_duration(view.remaining_s)} left · pace {view.pace:g}",
        "",
        f"  {view.message or ''}",
        f"  {'space resume' if view.paused else 'space pause'}{KEY_HELP.removeprefix('space pause')}",
    ]
    return [line[:width] for line in lines]


def step_line(view: View) -> str:
    """The line a non-terminal gets when the step changes."""
    state = " (paused)" if view.paused else ""
    return (
        f"{where(view)}{state}: {format_duration(view.elapsed_s)} done, "
        f"{format_duration(view.remaining_s)} left, pace {view.pace:g}"
    )


class TerminalScreen:
    """Redraws in place on the terminal's alternate screen, so the shell's screen comes back afterwards."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._last: list[str] | None = None

    def __enter__(self) -> TerminalScreen:
        self._out.write("\x1b[?1049h\x1b[?25l")
        self._out.flush()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._out.write("\x1b[?25h\x1b[?1049l")
        self._out.flush()

    def show(self, view: View) -> None:
        lines = screen_lines(view, shutil.get_terminal_size().columns)
        if lines == self._last:
            return
        self._last = lines
        self._out.write("\x1b[H" + "".join(f"{line}\x1b[K\n" for line in lines) + "\x1b[J")
        self._out.flush()


class LineScreen:
    """For logs and pipes: one line each time the step, side or pause state changes."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._last: tuple[object, ...] | None = None

    def __enter__(self) -> LineScreen:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass

    def show(self, view: View) -> None:
        key = (view.step_number, view.side, view.paused, view.finished, where(view))
        if key == self._last:
            return
        self._last = key
        self._out.write(step_line(view) + "\n")
        self._out.flush()
