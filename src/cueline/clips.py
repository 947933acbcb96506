"""The clip bank: speech at one voice and rate, plus the chimes. Compile measures it; render plays it."""

from __future__ import annotations

from collections import OrderedDict

from cueline import defaults
from cueline.loudness import scaled
from cueline.sounds import chime_samples
from cueline.speech_cache import SpeechCache
from cueline.timeline import Chime
from cueline.wavfile import Samples

_RECENT_CLIPS = 32  # clips kept in memory: enough for the counts of any step, flat in routine length


class ClipBank:
    """Every sound a timeline needs, at one loudness, with lengths remembered and only recent clips held in
    memory. Speech comes normalised from the cache; the chimes, made at the default loudness, move with the
    target by a plain gain. `target_lufs` None plays both as they are (speech as spoken)."""

    def __init__(
        self,
        cache: SpeechCache,
        voice: str,
        rate_wpm: int,
        target_lufs: float | None = defaults.LOUDNESS_LUFS,
    ) -> None:
        self.cache = cache
        self.voice = voice
        self.rate_wpm = rate_wpm
        self.target_lufs = target_lufs
        self._lengths: dict[str, int] = {}
        self._recent: OrderedDict[str, Samples] = OrderedDict()
        self._chimes: dict[Chime, Samples] = {}

    def speech(self, text: str) -> Samples:
        clip = self._recent.get(text)
        if clip is None:
            clip = self.cache.clip(text, self.voice, self.rate_wpm, target_lufs=self.target_lufs)
            self._recent[text] = clip
            if len(self._recent) > _RECENT_CLIPS:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(text)
        self._lengths[text] = len(clip)
        return clip

    def chime(self, chime: Chime) -> Samples:
        clip = self._chimes.get(chime)
        if clip is None:
            clip = chime_samples(chime)
            if self.target_lufs is not None and self.target_lufs != defaults.LOUDNESS_LUFS:
                clip = scaled(clip, self.target_lufs - defaults.LOUDNESS_LUFS, defaults.TRUE_PEAK_DBTP)
                clip.setflags(write=False)
            self._chimes[chime] = clip
        return clip

    def speech_samples(self, text: str) -> int:
        # Measured on the clip as it will play, so compiling leaves every clip ready in the cache: a live
        # player must not wait on a render or a normalisation mid-routine. (Normalising keeps a clip's
        # length, so a bank with loudness off measures the same, without the work: `show`, `list`.)
        if text not in self._lengths:
            self.speech(text)
        return self._lengths[text]

    def chime_samples(self, chime: Chime) -> int:
        return len(chime_samples(chime))
