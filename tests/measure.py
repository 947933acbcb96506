"""Measurements on rendered audio: what a listener would notice, read from the samples themselves."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

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
