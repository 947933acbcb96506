"""The one audio format cueline renders in, and the one place seconds become samples."""

from __future__ import annotations

SAMPLE_RATE_HZ = 22050  # espeak-ng's native rate: speech is never resampled
CHANNELS = 1
SAMPLE_WIDTH_BYTES = 2  # signed 16-bit little-endian


def seconds_to_samples(seconds: float) -> int:
    """Nearest whole sample for a time in seconds."""
    return round(seconds * SAMPLE_RATE_HZ)


def samples_to_seconds(samples: int) -> float:
    """Seconds for a count of samples."""
    return samples / SAMPLE_RATE_HZ


def samples_to_ms(samples: int) -> int:
    """Nearest whole millisecond for a count of samples (chapter marks and captions are in ms)."""
    return round(samples * 1000 / SAMPLE_RATE_HZ)
