"""The sound card as the player's audio out: a simpleaudio stream over a buffer the player writes ahead into.

simpleaudio reads the buffer it is given as it plays, without copying it, so one long buffer plays without a
gap while the player fills it a few seconds ahead. The buffer is a private anonymous mapping: pages never
written cost no memory, and pages already played are given back.

Importing this module does not load numpy, so that `Speaker.open_playing` can start the start bell first.
"""

from __future__ import annotations

import ctypes
import mmap
import re
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from cueline import defaults
from cueline.errors import AudioDeviceError
from cueline.pcm import SAMPLE_RATE_HZ, seconds_to_samples

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from cueline.player import Clock

_BYTES_PER_SAMPLE = 2
_EXPORT_HINT = "use `cueline export ROUTINE -o FILE.wav` and play the file instead"
# Hours of buffer are reserved as address space only: pages cost memory once written, and are given back
# after they are played; without this, a small machine could refuse the mapping outright.
_NORESERVE = getattr(mmap, "MAP_NORESERVE", 0x4000 if sys.platform.startswith("linux") else 0)
_STOP_WAIT_S = 2.0  # the device drains at most its own buffer (about 0.2 s) after a stop


class MonotonicClock:
    """The real clock."""

    def now_s(self) -> float:
        return time.monotonic()


class SpeakerStream:
    """One play of the buffer on the default ALSA device."""

    def __init__(self, capacity_samples: int, clock: Clock) -> None:
        self._clock = clock
        self._capacity = capacity_samples
        self._map = mmap.mmap(-1, capacity_samples * _BYTES_PER_SAMPLE, flags=mmap.MAP_PRIVATE | _NORESERVE)
        self._samples: npt.NDArray[np.int16] | None = None
        self._play: Any = None
        self._started_s = 0.0

    @property
    def samples(self) -> npt.NDArray[np.int16]:
        if self._samples is None:  # numpy on first use: the start bell is written as bytes, before it loads
            import numpy as np

            self._samples = np.frombuffer(self._map, dtype=np.int16)
        return self._samples

    def write_pcm(self, pcm: bytes) -> None:
        """Put `pcm` (16-bit little-endian) at the start of the buffer."""
        self._map[: len(pcm)] = pcm

    def start(self) -> None:
        simpleaudio = _simpleaudio()
        try:
            self._play = simpleaudio.play_buffer(self._map, 1, _BYTES_PER_SAMPLE, SAMPLE_RATE_HZ)
        except Exception as exc:  # simpleaudio's own error class is not exported
            raise _device_error(str(exc)) from exc
        self._started_s = self._clock.now_s()

    def played_samples(self) -> int:
        if self._play is None:
            return 0
        return min(self._capacity, int((self._clock.now_s() - self._started_s) * SAMPLE_RATE_HZ))

    def stop(self) -> None:
        """Stop, and wait for the device to let go of the buffer (it plays out what it already holds)."""
        play, self._play = self._play, None
        if play is None:
            return
        play.stop()
        deadline = time.monotonic() + _STOP_WAIT_S
        while play.is_playing() and time.monotonic() < deadline:
            time.sleep(0.005)

    def forget_before(self, sample: int) -> None:
        length = (sample * _BYTES_PER_SAMPLE) // mmap.PAGESIZE * mmap.PAGESIZE
        if length > 0:
            self._map.madvise(mmap.MADV_DONTNEED, 0, length)


class Speaker:
    """The default sound device (ALSA, which PulseAudio and PipeWire also serve). Checking that it is there
    starts at once, in the background, so it overlaps with loading the routine."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or MonotonicClock()
        self._problem: AudioDeviceError | None = None
        self._checked = threading.Thread(target=self._check, name="cueline-device-check", daemon=True)
        self._checked.start()

    def _check(self) -> None:
        try:
            _simpleaudio()
            _check_device()
        except AudioDeviceError as exc:
            self._problem = exc

    def ready(self) -> None:
        """Wait for the check; raise AudioDeviceError if the device cannot play."""
        self._checked.join()
        if self._problem is not None:
            raise self._problem

    def open(self, capacity_samples: int) -> SpeakerStream:
        self.ready()
        return SpeakerStream(capacity_samples, self._clock)

    def open_playing(self, pcm: bytes) -> SpeakerStream:
        """A stream of the player's length already playing `pcm` from its start, for the player to take over
        (`Player.start`); raises AudioDeviceError if the device cannot play."""
        stream = self.open(seconds_to_samples(defaults.PLAYER_MAX_STREAM_S))
        stream.write_pcm(pcm)
        stream.start()
        return stream


def _simpleaudio() -> Any:
    try:
        import simpleaudio
    except ImportError as exc:
        raise AudioDeviceError(
            f"live playback needs simpleaudio and the ALSA sound library, and they did not load ({exc})",
            hint=f"run ./scripts/setup (it installs libasound2), or {_EXPORT_HINT}",
        ) from exc
    return simpleaudio


_ALSA_HANDLER_TYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)


def _ignore_alsa_message(*_args: object) -> None:
    """ALSA prints its own complaints to stderr; ours is the one clear line."""


_QUIET_ALSA = _ALSA_HANDLER_TYPE(_ignore_alsa_message)


def _check_device() -> None:
    """Open the default device without blocking and close it again: a busy card makes a blocking open (the
    kind simpleaudio does) wait for ever, and a missing one is better named here than as an ALSA code."""
    try:
        alsa = ctypes.CDLL("libasound.so.2")
    except OSError as exc:
        raise AudioDeviceError("the ALSA sound library (libasound2) is missing", hint=_EXPORT_HINT) from exc
    alsa.snd_lib_error_set_handler(_QUIET_ALSA)
    handle = ctypes.c_void_p()
    playback, nonblock = 0, 1
    code = alsa.snd_pcm_open(ctypes.byref(handle), b"default", playback, nonblock)
    if code < 0:
        raise _device_error(f"CODE: {code}")
    alsa.snd_pcm_close(handle)


def _device_error(detail: str) -> AudioDeviceError:
    match = re.search(r"CODE: (-?\d+)", detail)
    code = int(match.group(1)) if match else 0
    if code == -16:
        cause = "the sound device is busy (another program is using it)"
    elif code in (-2, -19, -6):
        cause = "no sound device was found"
    else:
        cause = f"the sound device could not be opened ({detail.strip()})"
    return AudioDeviceError(cause, hint=_EXPORT_HINT)
