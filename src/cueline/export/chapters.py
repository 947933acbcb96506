"""Chapters of a timeline, computed once for every tagger and the playlist: an intro, one per step (titled
with the step's name), an outro. Together they cover the whole timeline, without gaps or overlaps."""

from __future__ import annotations

from dataclasses import dataclass

from cueline.pcm import samples_to_ms
from cueline.timeline import Timeline

INTRO_TITLE = "Intro"
OUTRO_TITLE = "Outro"


@dataclass(frozen=True)
class Chapter:
    """A stretch of the timeline a listener can skip to."""

    index: int  # 0-based, in playing order
    title: str
    start_sample: int
    end_sample: int

    @property
    def start_ms(self) -> int:
        return samples_to_ms(self.start_sample)

    @property
    def end_ms(self) -> int:
        return samples_to_ms(self.end_sample)

    @property
    def length_samples(self) -> int:
        return self.end_sample - self.start_sample


def chapters_for(timeline: Timeline) -> tuple[Chapter, ...]:
    """The intro (bell, safety line, intro lines), each step from its chime to the end of its rest, and the
    outro (outro lines, closing bell, tail). An intro or outro with no length is left out."""
    bounds: list[tuple[str, int, int]] = []
    first_step = timeline.steps[0].start_sample if timeline.steps else timeline.total_samples
    bounds.append((INTRO_TITLE, 0, first_step))
    bounds += [(step.name, step.start_sample, step.end_sample) for step in timeline.steps]
    last_step = timeline.steps[-1].end_sample if timeline.steps else timeline.total_samples
    bounds.append((OUTRO_TITLE, last_step, timeline.total_samples))
    kept = [(title, start, end) for title, start, end in bounds if end > start]
    return tuple(Chapter(index, title, start, end) for index, (title, start, end) in enumerate(kept))
