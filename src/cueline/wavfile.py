"""cueline's PCM format as numpy samples to and from WAV bytes (the bytes themselves: `riff.py`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cueline.riff import wav_bytes, wav_pcm

Samples = npt.NDArray[np.int16]


def encode_wav(samples: Samples, with_digest: bool = False) -> bytes:
    """WAV bytes for `samples`; with_digest appends a chunk holding the sha256 of the PCM data."""
    return wav_bytes(samples.astype("<i2").tobytes(), with_digest)


def decode_wav(data: bytes, require_digest: bool = False) -> Samples:
    """Samples from WAV bytes in cueline's format; raises WavFormatError on anything else or any damage."""
    return samples_from_pcm(wav_pcm(data, require_digest))


def samples_from_pcm(pcm: bytes) -> Samples:
    """Samples (a copy, native order) from 16-bit little-endian PCM bytes."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)
