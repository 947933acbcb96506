"""Wire the rooms together for a front end: routine → timeline with a clip bank, ready for any sink."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cueline import defaults
from cueline.clips import ClipBank
from cueline.pacing import Pacing
from cueline.paths import cache_dir
from cueline.routine import Routine
from cueline.speech import SpeechEngine
from cueline.speech_cache import SpeechCache
from cueline.timeline import Timeline, compile_timeline


@dataclass(frozen=True)
class Prepared:
    """A compiled routine and the clips it needs."""

    routine: Routine
    timeline: Timeline
    clips: ClipBank


def default_engine() -> SpeechEngine:
    """The real speech engine (imported lazily: it loads espeak-ng)."""
    from cueline.speech import Pyttsx3Speech

    return Pyttsx3Speech()


def voice_for(routine: Routine) -> str:
    """The routine's voice, or its language's default voice."""
    return routine.voice or routine.language or defaults.LANGUAGE


def prepare(
    routine: Routine,
    pacing: Pacing,
    engine: SpeechEngine | None = None,
    cache_root: Path | None = None,
) -> Prepared:
    """Compile `routine` at `pacing`, rendering (or reading from the cache) every clip it speaks."""
    cache = SpeechCache(engine or default_engine(), cache_root or cache_dir())
    clips = ClipBank(cache, voice_for(routine), pacing.speech_rate_wpm)
    return Prepared(routine, compile_timeline(routine, pacing, clips), clips)
