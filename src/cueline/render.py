"""Render a Timeline to PCM, block by block: the one renderer behind every sink."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Protocol

import numpy as np

from cueline import defaults
from cueline.timeline import Chime, Cue, Timeline
from cueline.wavfile import Samples


class ClipSource(Protocol):
    """The sounds a timeline refers to."""

    def speech(self, text: str) -> Samples: ...

    def chime(self, chime: Chime) -> Samples: ...


def _clip_for(cue: Cue, clips: ClipSource) -> Samples:
    if cue.text is not None:
        return clips.speech(cue.text)
    assert cue.chime is not None
    return clips.chime(cue.chime)


def render_blocks(
    timeline: Timeline,
    clips: ClipSource,
    start_sample: int = 0,
    block_samples: int = defaults.BLOCK_SAMPLES,
) -> Iterator[Samples]:
    """Yield the timeline's audio from `start_sample` to its end in blocks of `block_samples` (the last may
    be shorter). Memory holds one block and the clips that sound in it, whatever the routine's length."""
    cues = timeline.cues
    ends = [cue.end_sample for cue in cues]  # ascending, because cues never overlap
    first = bisect.bisect_right(ends, start_sample)
    for block_start in range(start_sample, timeline.total_samples, block_samples):
        block_end = min(block_start + block_samples, timeline.total_samples)
        mix = np.zeros(block_end - block_start, dtype=np.int32)
        index = first
        while index < len(cues) and cues[index].start_sample < block_end:
            cue = cues[index]
            clip = _clip_for(cue, clips)
            lo = max(cue.start_sample, block_start)
            hi = min(cue.start_sample + min(len(clip), cue.length_samples), block_end)
            if hi > lo:
                mix[lo - block_start : hi - block_start] += clip[
                    lo - cue.start_sample : hi - cue.start_sample
                ]
            index += 1
        while first < len(cues) and ends[first] <= block_end:
            first += 1
        yield np.clip(mix, -32768, 32767).astype(np.int16)


def render_span(
    timeline: Timeline,
    clips: ClipSource,
    start_sample: int,
    end_sample: int,
    block_samples: int = defaults.BLOCK_SAMPLES,
) -> Iterator[Samples]:
    """The timeline's audio from `start_sample` up to `end_sample` (or its end), in blocks of at most
    `block_samples`."""
    position = start_sample
    for block in render_blocks(timeline, clips, start_sample, block_samples):
        if position >= end_sample:
            return
        take = min(len(block), end_sample - position)
        yield block[:take]
        position += take
