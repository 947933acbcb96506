"""`cueline play` end to end, as a person uses it: in a terminal (tmux), with single keys, on a sound card
that keeps real time (JACK's dummy backend), reading the screen after each key."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from live_device import LiveDevice, jack_device, missing_tools

ROUTINE = """\
title: Tmux test
tempo: 0.75s
count: chime
steps:
  - name: Neck
    say: Up the neck.
    reps: 40
  - name: Jaw
    say: Along the jaw.
    reps: 40
"""

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        missing_tools() is not None or shutil.which("tmux") is None,
        reason=str(missing_tools() or "tmux is not installed"),
    ),
]


class Terminal:
    """A tmux pane running one command."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True)
        return done.stdout

    def screen(self, history: bool = False) -> str:
        """The visible screen; with `history`, the lines scrolled off it too."""
        return self.tmux("capture-pane", "-p", "-t", "play", *(("-S", "-") if history else ()))

    def press(self, key: str) -> None:
        self.tmux("send-keys", "-t", "play", key)

    def wait_for(
        self, condition: Callable[[str], bool], what: str, timeout_s: float = 20.0, history: bool = False
    ) -> str:
        """Read the screen until `condition` holds (the player runs in real time, so this waits)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            text = self.screen(history)
            if condition(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{self.screen()}")


def rep_of(text: str) -> tuple[int, int] | None:
    found = re.search(r"Rep (\d+) of (\d+)", text)
    return (int(found.group(1)), int(found.group(2))) if found else None


@pytest.fixture
def terminal(tmp_path: Path, write_routine: Callable[[str], Path]) -> Iterator[tuple[Terminal, LiveDevice]]:
    routine = write_routine(ROUTINE)
    with jack_device(tmp_path / "dev") as device:
        socket = f"cueline-test-{os.getpid()}"
        term = Terminal(socket)
        env = {**device.env, "CUELINE_CACHE_DIR": os.environ["CUELINE_CACHE_DIR"], "TERM": "xterm-256color"}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        command = (
            f"env {exports} {shlex.quote(sys.executable)} -m cueline.cli play {shlex.quote(str(routine))}"
        )
        command += " --no-safety; echo EXIT=$?; stty -a | grep -o -- '-*icanon'"
        term.tmux("new-session", "-d", "-s", "play", "-x", "100", "-y", "30", command)
        term.tmux("set-option", "-t", "play", "remain-on-exit", "on")
        try:
            yield term, device
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_start_pause_resume_next_quit(terminal: tuple[Terminal, LiveDevice]) -> None:
    term, device = terminal
    text = term.wait_for(lambda t: (rep_of(t) or (0, 0))[0] >= 3, "the count to reach rep 3")
    assert "Tmux test" in text and "Step 1 of 2 · Neck" in text and "space pause" in text
    assert rep_of(text)[1] == 40  # type: ignore[index]

    term.press("Space")
    term.wait_for(lambda t: "Paused" in t, "the pause")
    time.sleep(1.0)  # the device plays on to the pause point, a moment ahead, then stops
    size = device.capture.stat().st_size
    time.sleep(1.0)  # a real second passes while paused: nothing more reaches the device
    paused = term.screen()
    assert "Paused" in paused and "space resume" in paused
    assert device.capture.stat().st_size == size
    captured = len(device.captures())
    assert captured == 1

    term.press("Space")
    resumed = term.wait_for(lambda t: rep_of(t) is not None and "Paused" not in t, "the count to go on")
    assert len(device.captures()) == captured + 1  # resuming opened the device again
    before = rep_of(resumed)
    after = term.wait_for(lambda t: (rep_of(t) or (0, 0))[0] > before[0], "the next rep")  # type: ignore[index]
    assert "Step 1 of 2" in after

    term.press("n")
    term.wait_for(lambda t: "Step 2 of 2 · Jaw" in t, "the next step")

    term.press("q")
    # tmux keeps a line printed just after leaving the alternate screen in its history
    done = term.wait_for(lambda t: "icanon" in t, "the player to exit", history=True)
    assert re.search(r"Stopped Tmux test: 1 of 2 steps done, \S+ at pace 1\.", done), done
    assert "EXIT=0" in done
    assert re.search(r"^icanon$", done, re.MULTILINE), "the terminal was left in cbreak mode"


def test_ctrl_c_stops_cleanly_and_gives_the_terminal_back(terminal: tuple[Terminal, LiveDevice]) -> None:
    term, device = terminal
    term.wait_for(lambda t: rep_of(t) is not None, "the count to start")
    term.press("C-c")
    done = term.wait_for(lambda t: "icanon" in t, "the player to exit", history=True)
    assert re.search(r"Interrupted Tmux test: 0 of 2 steps done, \S+ at pace 1\.", done), done
    assert "EXIT=130" in done and "Traceback" not in done
    assert re.search(r"^icanon$", done, re.MULTILINE), "the terminal was left in cbreak mode"
    assert len(device.captures()) == 1
