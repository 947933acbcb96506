"""Text to speech: a small engine Protocol, and its pyttsx3/espeak-ng implementation with the traps fenced."""

from __future__ import annotations

import ctypes
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

from cueline import defaults
from cueline.errors import SpeechEngineError
from cueline.language import base_language
from cueline.riff import WavFormatError
from cueline.wavfile import Samples, decode_wav

INSTALL_HINT = "install espeak-ng (Debian/Ubuntu: sudo apt-get install espeak-ng), or run ./scripts/setup"
_ATTEMPTS = 3
_SETTLE_S = 0.25  # a clip file whose size holds this long after runAndWait returned is as done as it gets
_RATE_SETTLE_S = 1.0  # how long a rate change may take to read back


@dataclass(frozen=True)
class VoiceInfo:
    """A voice the engine offers."""

    id: str
    name: str
    languages: tuple[str, ...]


def voices_for(voices: list[VoiceInfo], language: str | None) -> list[VoiceInfo]:
    """The voices that speak `language` (`en` matches `en-us`; `en-us` matches `en-us` and plain `en`)."""
    wanted = (language or "").lower()
    if not wanted:
        return voices
    return [
        voice
        for voice in voices
        if any(lang.lower().startswith(wanted) or wanted.startswith(lang.lower()) for lang in voice.languages)
    ]


def voice_for_language(voices: list[VoiceInfo], language: str) -> str | None:
    """The voice that best speaks `language`: espeak-ng's own voice of that name (`de`, `en-us`), else one
    tagged with exactly that code (`en-gb`), else the base language's own voice (`de` for `de-at`), else
    any voice for the base language; None when no voice speaks it."""
    wanted = language.strip().lower()
    base = base_language(wanted)

    def named(code: str) -> str | None:
        return next((v.id for v in voices if v.id.lower() == code or v.id.lower().endswith("/" + code)), None)

    tagged = next((v.id for v in voices if wanted in (lang.lower() for lang in v.languages)), None)
    if found := named(wanted) or tagged or named(base):
        return found
    same_base = [v.id for v in voices if any(base_language(lang) == base for lang in v.languages)]
    return same_base[0] if same_base else None


class SpeechEngine(Protocol):
    """Anything that turns text into cueline-format PCM."""

    @property
    def identity(self) -> str:
        """Engine name and version: part of every cache key, so an upgrade re-renders."""
        ...

    def synthesize(self, text: str, voice: str, rate_wpm: int) -> Samples: ...

    def voices(self) -> list[VoiceInfo]: ...


class _Espeak:
    """The process's one pyttsx3/espeak-ng engine. espeak-ng initialises once per process, and pyttsx3
    keeps engines in a weak dictionary: a second engine made after the first was collected drops
    settings or hangs. So there is exactly one, shared, used under a lock."""

    def __init__(self, timeout_s: float) -> None:
        self.lock = threading.Lock()
        self.broken: str | None = None
        import pyttsx3
        from pyttsx3.drivers import _espeak

        self.engine: Any = pyttsx3.init("espeak")
        # The espeak driver prints "Audio saved to …" for every file. Silence that module's print only:
        # swapping sys.stdout would hide every other thread's output too, for good if a call hangs.
        driver_module = sys.modules.get("pyttsx3.drivers.espeak")
        if driver_module is not None:
            driver_module.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]
        # pyttsx3 binds espeak_GetParameter with one argument, so its `current` flag is garbage and
        # getProperty("rate") returns the default or the current rate at random: bind it properly.
        self.get_parameter: Any = _espeak.dll.espeak_GetParameter
        self.get_parameter.argtypes = [ctypes.c_int, ctypes.c_int]
        self.get_parameter.restype = ctypes.c_int
        self.rate_parameter = int(_espeak.RATE)
        self.identity = engine_identity()
        # A new engine reports busy, so property changes would queue; one empty loop settles it.
        self.bounded(self.engine.runAndWait, "starting", timeout_s)

    def bounded(self, call: Callable[[], object], what: str, timeout_s: float) -> None:
        """Run a blocking pyttsx3 call with a time limit; a hung call marks the engine unusable for the rest
        of the process (it cannot be cancelled, only abandoned)."""
        failure: list[BaseException] = []

        def target() -> None:
            try:
                call()
            except BaseException as exc:
                failure.append(exc)

        worker = threading.Thread(target=target, name="cueline-speech", daemon=True)
        worker.start()
        worker.join(timeout_s)
        if worker.is_alive():
            self.broken = f"{what} took over {timeout_s:g} s"
            raise SpeechEngineError(f"the speech engine hung while {what} (no answer in {timeout_s:g} s)")
        if failure:
            raise SpeechEngineError(f"the speech engine failed while {what}: {failure[0]}") from failure[0]


def engine_identity() -> str:
    """pyttsx3's and espeak-ng's versions, read without starting espeak (a cache hit needs only this)."""
    try:
        from pyttsx3.drivers import _espeak

        return f"pyttsx3-{metadata.version('pyttsx3')}/espeak-ng-{_espeak.Info(None).decode()}"
    except Exception as exc:  # ImportError, OSError from ctypes
        raise SpeechEngineError(
            f"the speech engine (espeak-ng) is not available: {exc}", hint=INSTALL_HINT
        ) from exc


_shared: _Espeak | None = None
_shared_lock = threading.Lock()


def _espeak_engine(timeout_s: float) -> _Espeak:
    """The shared engine, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            try:
                _shared = _Espeak(timeout_s)
            except SpeechEngineError:
                raise
            except Exception as exc:  # ImportError, OSError from ctypes, RuntimeError from espeak
                raise SpeechEngineError(
                    f"the speech engine (espeak-ng) is not available: {exc}", hint=INSTALL_HINT
                ) from exc
        return _shared


class Pyttsx3Speech:
    """pyttsx3 with the espeak driver, wrapped so its known traps never reach a user: settings are applied
    while the driver is idle and read back before every clip (queued changes can be dropped), one
    save_to_file per runAndWait, every wait bounded, its stdout chatter silenced, and the written file
    checked before use (runAndWait can return before the file is complete, and now and then the driver
    writes a clip with no audio at all: that clip is rendered again)."""

    def __init__(self, timeout_s: float = defaults.SPEECH_TIMEOUT_S) -> None:
        self.timeout_s = timeout_s
        self._identity = engine_identity()
        self._started: _Espeak | None = None

    @property
    def _espeak(self) -> _Espeak:
        """The engine, started on first real use: with every clip cached, espeak never starts."""
        if self._started is None:
            self._started = _espeak_engine(self.timeout_s)
        return self._started

    @property
    def identity(self) -> str:
        return self._identity

    def voices(self) -> list[VoiceInfo]:
        with self._espeak.lock:
            found = self._espeak.engine.getProperty("voices")
        return [VoiceInfo(v.id, v.name, tuple(v.languages or ())) for v in found]

    def synthesize(self, text: str, voice: str, rate_wpm: int) -> Samples:
        problem = ""
        with self._espeak.lock:
            if self._espeak.broken:  # checked first: a hung engine queues new settings and misreports them
                raise SpeechEngineError(
                    f"the speech engine stopped responding earlier ({self._espeak.broken})"
                )
            for _ in range(_ATTEMPTS):
                with tempfile.TemporaryDirectory(prefix="cueline-speech-") as folder:
                    target = Path(folder) / "clip.wav"  # the folder exists: a missing one hangs runAndWait
                    self._apply(voice, rate_wpm)
                    self._espeak.engine.save_to_file(text, str(target))
                    what = f"speaking {text[:40]!r}"
                    self._espeak.bounded(self._espeak.engine.runAndWait, what, self.timeout_s)
                    try:
                        return self._read_when_complete(target)
                    except WavFormatError as exc:
                        problem = str(exc)
        raise SpeechEngineError(f"the speech engine produced no usable audio for {text[:40]!r} ({problem})")

    def _apply(self, voice: str, rate_wpm: int) -> None:
        engine = self._espeak.engine
        engine.setProperty("voice", voice)
        engine.setProperty("rate", rate_wpm)
        engine.setProperty("volume", 1.0)
        current_voice = str(engine.getProperty("voice") or "")
        if current_voice != voice and not current_voice.endswith("/" + voice):
            raise SpeechEngineError(
                f"espeak-ng has no voice {voice!r} (it is using {current_voice or 'none'})",
                hint="pick one from `cueline voices`, or remove `voice:` to use the language's default",
            )
        # espeak-ng runs asynchronously under pyttsx3, so a new rate reads back a moment after it is set.
        deadline = time.monotonic() + _RATE_SETTLE_S
        while self._espeak.get_parameter(self._espeak.rate_parameter, 1) != rate_wpm:
            if time.monotonic() > deadline:
                raise SpeechEngineError(f"the speech engine did not accept rate {rate_wpm} words per minute")
            time.sleep(0.002)

    def _read_when_complete(self, target: Path) -> Samples:
        """The finished clip. A clip that does not parse yet is read again until it does, or until its size
        has stopped changing (then it is as complete as it will get, and the WavFormatError stands)."""
        deadline = time.monotonic() + self.timeout_s
        last_size, stable_since = -1, time.monotonic()
        while True:
            try:
                data = target.read_bytes()
            except FileNotFoundError:
                data = b""
            try:
                return decode_wav(data)
            except WavFormatError:
                now = time.monotonic()
                if len(data) != last_size:
                    last_size, stable_since = len(data), now
                elif now - stable_since > _SETTLE_S or now > deadline:
                    raise
            time.sleep(0.005)
