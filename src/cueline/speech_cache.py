"""A content-addressed cache of speech clips: each (text, voice, rate, engine) is rendered once, ever."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from cueline import defaults
from cueline.atomic import exclusive_path
from cueline.errors import SpeechEngineError
from cueline.pcm import seconds_to_samples
from cueline.speech import SpeechEngine
from cueline.wavfile import Samples, WavFormatError, decode_wav, encode_wav

CACHE_FORMAT = 1  # bump when the shaping below changes, so old entries are not reused
_EDGE_PAD_S = 0.01
_FADE_S = 0.004


class SpeechCache:
    """Renders through `engine` on a miss; every caller reads the clip back from disk, so two renders of
    the same text (which espeak-ng does not make identical) never both reach the audio."""

    def __init__(self, engine: SpeechEngine, directory: Path) -> None:
        self.engine = engine
        self.directory = directory
        self.renders = 0  # clips synthesised by this process: lets tests and benchmarks see hits

    def entry_path(self, text: str, voice: str, rate_wpm: int) -> Path:
        """Where the clip for these settings lives."""
        identity = json.dumps([CACHE_FORMAT, self.engine.identity, voice, rate_wpm, text], ensure_ascii=False)
        key = hashlib.sha256(identity.encode()).hexdigest()
        return self.directory / "speech" / key[:2] / f"{key}.wav"

    def clip(self, text: str, voice: str, rate_wpm: int) -> Samples:
        """The clip for `text`: from the cache, or rendered, shaped and stored first."""
        path = self.entry_path(text, voice, rate_wpm)
        try:
            return decode_wav(path.read_bytes(), require_digest=True)
        except FileNotFoundError:
            pass
        except WavFormatError:
            path.unlink(missing_ok=True)  # damaged: never played, rendered again below
        except OSError as exc:
            raise self._unusable(exc) from exc
        samples = shape_speech(self.engine.synthesize(text, voice, rate_wpm), text)
        self.renders += 1
        try:
            with exclusive_path(path) as temp:
                temp.write_bytes(encode_wav(samples, with_digest=True))
            return decode_wav(path.read_bytes(), require_digest=True)
        except (OSError, WavFormatError) as exc:
            raise self._unusable(exc) from exc

    def _unusable(self, exc: Exception) -> SpeechEngineError:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return SpeechEngineError(
            f"the speech cache at {self.directory} is not usable: {reason}",
            hint="set CUELINE_CACHE_DIR to a writable folder",
        )


def shape_speech(samples: Samples, text: str) -> Samples:
    """Trim the engine's leading and trailing silence (cue timing is ours to set) and fade the edges."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > defaults.SILENCE_THRESHOLD)
    if loud.size == 0:
        raise SpeechEngineError(f"the speech engine produced only silence for {text[:40]!r}")
    pad = seconds_to_samples(_EDGE_PAD_S)
    start, end = max(0, int(loud[0]) - pad), min(len(samples), int(loud[-1]) + 1 + pad)
    shaped = samples[start:end].astype(np.float64)
    fade = min(seconds_to_samples(_FADE_S), len(shaped) // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
        shaped[:fade] *= ramp
        shaped[-fade:] *= ramp[::-1]
    return np.round(shaped).astype(np.int16)
