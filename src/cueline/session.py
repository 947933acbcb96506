"""Wire the rooms together for a front end: routine → timeline with a clip bank, ready for any sink."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from cueline import defaults
from cueline.catalog import Entry
from cueline.clips import ClipBank
from cueline.errors import CuelineError, SpeechEngineError
from cueline.fit import fit_pace
from cueline.pacing import Pacing
from cueline.paths import cache_dir
from cueline.routine import Routine
from cueline.speech import SpeechEngine, voice_for_language
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


def voice_for(routine: Routine, engine: SpeechEngine) -> str:
    """The routine's voice, or the engine's voice for the routine's language (German counts in a German
    voice without the routine naming one)."""
    if routine.voice:
        return routine.voice
    voice = voice_for_language(engine.voices(), routine.language)
    if voice is None:
        raise SpeechEngineError(
            f"no speech voice speaks the routine's language {routine.language!r}",
            hint="set `voice:` in the routine to one from `cueline voices`",
        )
    return voice


def prepare(
    routine: Routine,
    pacing: Pacing,
    engine: SpeechEngine | None = None,
    cache_root: Path | None = None,
    target_lufs: float | None = defaults.LOUDNESS_LUFS,
) -> Prepared:
    """Compile `routine` at `pacing`, rendering (or reading from the cache) every clip it speaks; the clips
    play at `target_lufs` (None: as spoken), for every sink alike. With `pacing.fit_s`, the pace is chosen
    first so that the whole routine lasts that long."""
    engine = engine or default_engine()
    cache = SpeechCache(engine, cache_root or cache_dir())
    clips = ClipBank(cache, voice_for(routine, engine), pacing.speech_rate_wpm, target_lufs)
    if pacing.fit_s is not None:
        pacing = replace(pacing, pace=fit_pace(routine, pacing, pacing.fit_s, clips))
    return Prepared(routine, compile_timeline(routine, pacing, clips), clips)


@dataclass(frozen=True)
class Listed:
    """One row of `cueline list`: a routine by name and its facts at pace 1, or why it would not load."""

    entry: Entry
    routine: Routine | None = None
    duration_s: float | None = None
    error: str | None = None


def survey(
    found: list[Entry], engine: SpeechEngine | None = None, cache_root: Path | None = None
) -> list[Listed]:
    """Load and time every routine; one broken user file is reported in its row, not fatal to the list."""
    engine = engine or default_engine()
    rows = []
    for entry in found:
        try:
            prepared = prepare(entry.load(), Pacing(), engine, cache_root, target_lufs=None)  # lengths only
        except CuelineError as exc:
            rows.append(Listed(entry, error=str(exc).splitlines()[0]))
        else:
            rows.append(Listed(entry, prepared.routine, prepared.timeline.duration_s))
    return rows
