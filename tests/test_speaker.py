"""Live playback for real: simpleaudio into ALSA, kept in real time by JACK's dummy card, saved by ALSA's
`file` plugin. What the device was handed must equal the export, sample for sample."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from live_device import (
    NO_DEVICE_CONFIG,
    LiveDevice,
    drift,
    jack_device,
    missing_tools,
    onset_errors_s,
    watching,
)
from measure import read_wav

from cueline.errors import AudioDeviceError
from cueline.speaker import _device_error

DRIVER = Path(__file__).parent / "live_driver.py"

# About nine seconds: two counted steps, one with sides.
ROUTINE = """\
title: Live test
tempo: 0.75s
count: chime
steps:
  - name: Neck
    say: Up the neck.
    reps: 5
    rest: 0.5s
  - name: Jaw
    say: Along the jaw.
    reps: 3
    sides: [right, left]
    rest: 0.5s
"""


def needs_jack(test: Callable[..., None]) -> Callable[..., None]:
    marked = pytest.mark.live(
        pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))(test)
    )
    return marked  # type: ignore[no-any-return]


def drive(
    device: LiveDevice, routine: Path, out: Path, *presses: str, slow_prepare_s: float = 0.0
) -> dict[str, object]:
    args = [sys.executable, str(DRIVER), str(routine), str(out), f"--slow-prepare={slow_prepare_s}"]
    args += [f"--press={p}" for p in presses]
    done = subprocess.run(args, env={**os.environ, **device.env}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads((out / "session.json").read_text())  # type: ignore[no-any-return]


def played(device: LiveDevice, session: dict[str, object]) -> np.ndarray:
    """Each device open's content up to where the player said it ended; only silence after that."""
    segments = session["segments"]
    assert isinstance(segments, list)
    captures = device.captures()
    assert len(captures) == len(segments)
    parts = []
    for capture, (start, end) in zip(captures, segments, strict=True):
        assert len(capture) >= end - start, "the device got less than the player gave it"
        assert not capture[end - start :].any(), "sound after a stream's end"
        parts.append(capture[: end - start])
    return np.concatenate(parts)


@pytest.fixture
def routine(write_routine) -> Path:  # type: ignore[no-untyped-def]
    return write_routine(ROUTINE)  # type: ignore[no-any-return]


@needs_jack
def test_what_plays_equals_the_export(routine: Path, tmp_path: Path) -> None:
    with jack_device(tmp_path / "dev") as device, watching(device):
        session = drive(device, routine, tmp_path)
    assert session["finished"]
    assert session["segments"] == [[0, len(read_wav(tmp_path / "planned.wav"))]]  # on from the bell's stream
    planned = read_wav(tmp_path / "planned.wav")
    assert np.array_equal(read_wav(tmp_path / "effective.wav"), planned)
    assert np.array_equal(played(device, session), planned)
    # real time: each rep reached the device on schedule (a loose bound, so a busy machine passes)
    onsets = session["onsets"]
    assert isinstance(onsets, list)
    errors = onset_errors_s(device, onsets)
    assert max(abs(error) for error in errors) < 0.05, errors
    assert abs(drift(device)) < 0.01


@needs_jack
def test_a_slow_start_plays_the_bell_then_resumes_at_the_first_words(routine: Path, tmp_path: Path) -> None:
    # Preparing takes longer than the start bell and its gap (as with a cold speech cache): the bell
    # was heard in full, then a longer silence, then the routine from its first words, all as exported.
    with jack_device(tmp_path / "dev") as device:
        session = drive(device, routine, tmp_path, slow_prepare_s=3.5)
    segments = session["segments"]
    assert isinstance(segments, list) and len(segments) == 2, segments
    assert session["finished"]
    assert np.array_equal(played(device, session), read_wav(tmp_path / "planned.wav"))


@needs_jack
def test_pause_resume_and_pace_change_play_the_export_of_the_effective_timeline(
    routine: Path, tmp_path: Path
) -> None:
    with jack_device(tmp_path / "dev") as device:
        session = drive(device, routine, tmp_path, "1.5:+", "3.2: ", "4.4: ")
    assert session["finished"] and session["pace"] == pytest.approx(1.1)
    segments = session["segments"]
    assert isinstance(segments, list) and len(segments) == 2  # paused once: the device was opened twice
    effective = read_wav(tmp_path / "effective.wav")
    assert not np.array_equal(effective, read_wav(tmp_path / "planned.wav"))  # the pace change took
    assert np.array_equal(played(device, session), effective)


def test_no_sound_device_is_one_clear_error(routine: Path, tmp_path: Path) -> None:
    config = tmp_path / "asound.conf"
    config.write_text(NO_DEVICE_CONFIG)
    (tmp_path / "home").mkdir()
    env = {**os.environ, "ALSA_CONFIG_PATH": str(config), "HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "cueline.cli", "play", str(routine), "--count", "chime"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "Error: no sound device was found"
    assert "cueline export" in done.stderr and "Traceback" not in done.stderr
    assert "ALSA lib" not in done.stderr


@pytest.mark.parametrize(
    ("detail", "cause"),
    [
        ("Error opening PCM device. -- CODE: -16 -- MSG: Device or resource busy", "busy"),
        ("Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory", "no sound device"),
        ("Error setting parameters. -- CODE: -22 -- MSG: Invalid argument", "could not be opened"),
    ],
)
def test_device_errors_name_the_cause_and_suggest_export(detail: str, cause: str) -> None:
    error = _device_error(detail)
    assert isinstance(error, AudioDeviceError)
    assert cause in error.message and error.hint is not None and "cueline export" in error.hint


def test_missing_simpleaudio_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from cueline import speaker

    monkeypatch.setitem(sys.modules, "simpleaudio", None)
    with pytest.raises(AudioDeviceError, match="simpleaudio"):
        speaker.Speaker().open(100).start()
