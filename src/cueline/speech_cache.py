"""A content-addressed cache of speech clips: each (text, voice, rate, engine) is rendered once, ever, and
normalised once for each loudness target it is played at."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from cueline import defaults
from cueline.atomic import exclusive_path
from cueline.errors import SpeechEngineError
from cueline.loudness import normalise
from cueline.pcm import seconds_to_samples
from cueline.riff import WavFormatError
from cueline.speech import SpeechEngine
from cueline.wavfile import Samples, decode_wav, encode_wav

CACHE_FORMAT = 1  # bump when the shaping below changes, so old entries are not reused
LOUDNESS_FORMAT = 2  # bump when loudness.normalise changes: spoken entries stay, normalised ones are redone
_EDGE_PAD_S = 0.01
_FADE_S = 0.004


class SpeechCache:
    """Renders through `engine` on a miss; every caller reads the clip back from disk, so two renders of
    the same text (which espeak-ng does not make identical) never both reach the audio.

    Two kinds of entry: the clip as spoken (trimmed and faded), and that clip normalised to a loudness
    target, made from the spoken entry as read back. A new target costs a normalisation, never a render,
    and the player and every export read the same normalised entry, so they play the same samples."""

    def __init__(self, engine: SpeechEngine, directory: Path) -> None:
        self.engine = engine
        self.directory = directory
        self.renders = 0  # clips synthesised by this process: lets tests and benchmarks see hits
        self.normalisations = 0  # clips normalised by this process

    def entry_path(self, text: str, voice: str, rate_wpm: int) -> Path:
        """Where the clip as spoken lives."""
        identity = json.dumps([CACHE_FORMAT, self.engine.identity, voice, rate_wpm, text], ensure_ascii=False)
        key = hashlib.sha256(identity.encode()).hexdigest()
        return self.directory / "speech" / key[:2] / f"{key}.wav"

    def normalised_path(self, text: str, voice: str, rate_wpm: int, target_lufs: float) -> Path:
        """Where the clip normalised to `target_lufs` lives."""
        spoken = self.entry_path(text, voice, rate_wpm).stem
        identity = json.dumps([LOUDNESS_FORMAT, spoken, target_lufs, defaults.TRUE_PEAK_DBTP])
        key = hashlib.sha256(identity.encode()).hexdigest()
        return self.directory / "normalised" / key[:2] / f"{key}.wav"

    def clip(self, text: str, voice: str, rate_wpm: int, *, target_lufs: float | None) -> Samples:
        """The clip for `text` as it reaches the audio: normalised to `target_lufs` (None: as spoken)."""
        if target_lufs is None:
            return self.spoken(text, voice, rate_wpm)
        path = self.normalised_path(text, voice, rate_wpm, target_lufs)
        stored = self._read(path)
        if stored is not None:
            return stored
        samples = normalise(self.spoken(text, voice, rate_wpm), target_lufs, defaults.TRUE_PEAK_DBTP)
        self.normalisations += 1
        return self._store(path, samples)

    def spoken(self, text: str, voice: str, rate_wpm: int) -> Samples:
        """The clip as spoken: from the cache, or rendered, shaped and stored first."""
        path = self.entry_path(text, voice, rate_wpm)
        stored = self._read(path)
        if stored is not None:
            return stored
        samples = shape_speech(self.engine.synthesize(text, voice, rate_wpm), text)
        self.renders += 1
        return self._store(path, samples)

    def _read(self, path: Path) -> Samples | None:
        try:
            return decode_wav(path.read_bytes(), require_digest=True)
        except FileNotFoundError:
            return None
        except WavFormatError:
            path.unlink(missing_ok=True)  # damaged: never played, made again
            return None
        except OSError as exc:
            raise self._unusable(exc) from exc

    def _store(self, path: Path, samples: Samples) -> Samples:
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
