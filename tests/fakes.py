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


class FakeClock:
    """A clock that moves only when a test (or FakeKeys waiting) moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def now_s(self) -> float:
        return self.now


class FakeStream:
    """A sound card in miniature: from `start()` it reads the buffer at the clock's pace, `read_ahead_s`
    ahead of what is heard, and keeps what it read. What it keeps is what a real device would have played."""

    def __init__(self, capacity_samples: int, clock: FakeClock, read_ahead_s: float) -> None:
        self.samples = np.zeros(capacity_samples, dtype=np.int16)
        self.clock = clock
        self.read_ahead = seconds_to_samples(read_ahead_s)
        self.started_at: float | None = None
        self.stopped = False
        self.read: list[np.ndarray] = []
        self.read_upto = 0
        self.forgotten = 0

    def start(self) -> None:
        self.started_at = self.clock.now

    def played_samples(self) -> int:
        assert self.started_at is not None and not self.stopped
        played = min(len(self.samples), round((self.clock.now - self.started_at) * SAMPLE_RATE_HZ))
        self._read_to(played + self.read_ahead)
        return played

    def _read_to(self, end: int) -> None:
        end = min(end, len(self.samples))
        if end > self.read_upto:
            assert self.read_upto >= self.forgotten, "the device read memory the player gave back"
            self.read.append(self.samples[self.read_upto : end].copy())
            self.read_upto = end

    def stop(self) -> None:
        self.played_samples()  # what the device already holds plays out
        self.stopped = True

    def forget_before(self, sample: int) -> None:
        assert sample <= self.read_upto
        self.forgotten = sample

    def captured(self) -> np.ndarray:
        return np.concatenate(self.read) if self.read else np.zeros(0, dtype=np.int16)


class FakeOut:
    """Opens FakeStreams and remembers them in order."""

    def __init__(self, clock: FakeClock, read_ahead_s: float = 0.2) -> None:
        self.clock = clock
        self.read_ahead_s = read_ahead_s
        self.streams: list[FakeStream] = []

    def open(self, capacity_samples: int) -> FakeStream:
        stream = FakeStream(capacity_samples, self.clock, self.read_ahead_s)
        self.streams.append(stream)
        return stream


class ScriptedKeys:
    """Keys pressed at given clock times; waiting for a key moves the fake clock instead of sleeping."""

    def __init__(self, clock: FakeClock, presses: list[tuple[float, str]]) -> None:
        self.clock = clock
        self.start = clock.now
        self.presses = sorted(presses)

    def read(self, timeout_s: float) -> str | None:
        if self.presses and self.presses[0][0] <= self.clock.now - self.start + timeout_s:
            at, key = self.presses.pop(0)
            self.clock.now = max(self.clock.now, self.start + at)
            return key
        self.clock.now += timeout_s
        return None


class RecordingScreen:
    """Keeps every view shown."""

    def __init__(self) -> None:
        self.views: list[object] = []

    def show(self, view: object) -> None:
        self.views.append(view)


class InterruptingClips:
    """A clip source that raises `error` after `after` clips, like a Ctrl-C or a full disk mid-export."""

    def __init__(self, inner: object, after: int, error: BaseException) -> None:
        self.inner, self.left, self.error = inner, after, error

    def speech(self, text: str) -> Samples:
        self._tick()
        return self.inner.speech(text)  # type: ignore[attr-defined, no-any-return]

    def chime(self, chime: Chime) -> Samples:
        self._tick()
        return self.inner.chime(chime)  # type: ignore[attr-defined, no-any-return]

    def _tick(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise self.error
