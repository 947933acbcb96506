"""Stand-ins for slow or absent devices: a deterministic speech engine and fixed clip lengths."""

from __future__ import annotations

import numpy as np

from cueline.pcm import SAMPLE_RATE_HZ, seconds_to_samples
from cueline.speech import VoiceInfo
from cueline.timeline import Chime
from cueline.wavfile import Samples

SECONDS_PER_CHAR = 0.05
CHIME_S = {Chime.START: 2.0, Chime.FINISH: 2.5, Chime.STEP: 1.2, Chime.COUNT: 0.2, Chime.HOLD_END: 0.9}


def fake_speech_samples(text: str, rate_wpm: int = 165) -> int:
    """How long the fake engine speaks `text`: proportional to its length, faster at higher rates."""
    return seconds_to_samples((0.15 + SECONDS_PER_CHAR * len(text)) * 165 / rate_wpm)


class ToneSpeech:
    """A speech engine that 'speaks' a steady tone whose length depends only on the text and rate."""

    identity = "tone-1"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def synthesize(self, text: str, voice: str, rate_wpm: int) -> Samples:
        self.calls.append(text)
        n = fake_speech_samples(text, rate_wpm)
        t = np.arange(n) / SAMPLE_RATE_HZ
        return np.round(8000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)

    def voices(self) -> list[VoiceInfo]:
        """Some of espeak-ng's voices, by its ids and language tags."""
        return [
            VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",)),
            VoiceInfo("gmw/en-us", "English (America)", ("en-us",)),
            VoiceInfo("gmw/de", "German", ("de",)),
            VoiceInfo("roa/es", "Spanish (Spain)", ("es",)),
            VoiceInfo("roa/fr", "French (France)", ("fr-fr",)),
        ]


class FixedLengths:
    """Clip lengths for compiling without any audio: the lengths ToneSpeech and the fake chimes would have."""

    def __init__(self, rate_wpm: int = 165) -> None:
        self.rate_wpm = rate_wpm

    def speech_samples(self, text: str) -> int:
        return fake_speech_samples(text, self.rate_wpm)

    def chime_samples(self, chime: Chime) -> int:
        return seconds_to_samples(CHIME_S[chime])
