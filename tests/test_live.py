"""`cueline play` starts with the start bell before anything heavy loads, and checks what it can first.

Each case runs the real command in a fresh interpreter (so `sys.modules` shows what was imported), with
the sound card replaced at `Speaker.open_playing`: it reports what it was given and stops there.
"""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

from cueline.sounds import sounds_dir

_COMMAND = """
import sys
from cueline import speaker
from cueline.errors import AudioDeviceError

def open_playing(self, pcm):
    print("BELL", "numpy" in sys.modules, "pyttsx3" in sys.modules, len(pcm), file=sys.stderr)
    raise AudioDeviceError("no sound device was found", hint="use `cueline export`")

speaker.Speaker.open_playing = open_playing
sys.argv = ["cueline", "play", *sys.argv[1:]]
from cueline.cli import main
main()
"""


def play(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _COMMAND, *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_the_bell_starts_before_numpy_or_the_speech_engine_load() -> None:
    done = play("face-basics")
    bell = [line.split() for line in done.stderr.splitlines() if line.startswith("BELL")]
    with wave.open(str(sounds_dir().joinpath("start.wav")), "rb") as start:
        bell_bytes = start.getnframes() * start.getsampwidth()
    assert bell == [["BELL", "False", "False", str(bell_bytes)]]
    # A missing device is reported at once, before the routine's speech is prepared.
    assert done.returncode == 1
    assert done.stderr.endswith("Error: no sound device was found\n  hint: use `cueline export`\n")


def test_a_mistake_in_the_routine_is_reported_before_any_sound(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: Broken\nsteps:\n  - name: Neck\n    reps: many\n")
    for routine in ("no-such-routine", str(broken)):
        done = play(routine)
        assert done.returncode != 0 and done.stderr.startswith("Error: "), done.stderr
        assert "BELL" not in done.stderr and "Traceback" not in done.stderr
