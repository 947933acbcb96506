"""The clip bank: speech at one voice and rate, plus the chimes. Compile measures it; render plays it."""

from __future__ import annotations

from collections import OrderedDict

from cueline.sounds import chime_samples
from cueline.speech_cache import SpeechCache
from cueline.timeline import Chime
from cueline.wavfile import Samples

_RECENT_CLIPS = 32  # clips kept in memory: enough for the counts of any step, flat in routine length


class ClipBank:
    """Every sound a timeline needs, with lengths remembered and only recent clips held in memory."""

    def __init__(self, cache: SpeechCache, voice: str, rate_wpm: int) -> None:
        self.cache = cache
        self.voice = voice
        self.rate_wpm = rate_wpm
        self._lengths: dict[str, int] = {}
        self._recent: OrderedDict[str, Samples] = OrderedDict()

    def speech(self, text: str) -> Samples:
        clip = self._recent.get(text)
        if clip is None:
            clip = self.cache.clip(text, self.voice, self.rate_wpm)
            self._recent[text] = clip
            if len(self._recent) > _RECENT_CLIPS:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(text)
        self._lengths[text] = len(clip)
        return clip

    def chime(self, chime: Chime) -> Samples:
        return chime_samples(chime)

    def speech_samples(self, text: str) -> int:
        if text not in self._lengths:
            self.speech(text)
        return self._lengths[text]

    def chime_samples(self, chime: Chime) -> int:
        return len(chime_samples(chime))
