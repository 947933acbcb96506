"""Measurements on rendered audio: what a listener would notice, read from the samples themselves."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cueline.wavfile import Samples


def read_wav(path: Path) -> Samples:
    """Samples of a mono 16-bit WAV, read with the standard library's reader (independent of cueline's)."""
    with wave.open(str(path), "rb") as handle:
        assert (handle.getnchannels(), handle.getsampwidth()) == (1, 2)
        return np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2").astype(np.int16)


def onsets(samples: Samples, threshold: int = 200, min_silence: int = 441) -> list[int]:
    """Sample indexes where sound starts after at least `min_silence` samples at or below `threshold`."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if loud.size == 0:
        return []
    starts = [int(loud[0])]
    gaps = np.diff(loud)
    starts += [int(loud[i + 1]) for i in np.flatnonzero(gaps > min_silence)]
    return starts


# --- independent readers of exported files: ffmpeg, installed by ./scripts/setup -------------------------

HAVE_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None
needs_ffmpeg = pytest.mark.skipif(
    not HAVE_FFMPEG, reason="ffmpeg/ffprobe are not installed (./scripts/setup installs them)"
)


def ffmpeg_decode(path: Path) -> Samples:
    """The file decoded by ffmpeg to mono 16-bit PCM at its own rate (gapless info honoured)."""
    run = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(run.stdout, dtype="<i2").astype(np.int16)


def ffmpeg_decode_float(path: Path) -> np.ndarray:
    """The file decoded by ffmpeg as 32-bit floats: a lossy decoder's overshoot past full scale shows."""
    run = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(run.stdout, dtype="<f4").astype(np.float64)


def ffprobe(path: Path) -> dict[str, Any]:
    """ffprobe's view of a file: format, streams and chapters, as JSON."""
    run = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_chapters",
            "-show_format",
            "-show_streams",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, Any] = json.loads(run.stdout)
    return data


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float


def ebur128(path: Path) -> Loudness:
    """Integrated loudness and true peak as ffmpeg's ebur128 filter measures the decoded file."""
    run = subprocess.run(
        [
            "ffmpeg",
            "-nostats",
            "-hide_banner",
            "-i",
            str(path),
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = run.stderr[run.stderr.rindex("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert integrated and peak, summary
    return Loudness(float(integrated.group(1)), float(peak.group(1)))
