"""Chapters: computed once from the timeline, covering it exactly, one per step with the step's name."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from cueline.export.chapters import INTRO_TITLE, OUTRO_TITLE, chapters_for
from cueline.pacing import Pacing
from cueline.session import Prepared, prepare
from cueline.timeline import StepSpan, Timeline

from export_cases import ROUTINE
from fakes import ToneSpeech


def test_an_intro_a_chapter_per_step_and_an_outro_in_order(prepared: Prepared) -> None:
    chapters = chapters_for(prepared.timeline)
    assert [c.title for c in chapters] == [INTRO_TITLE, "Neck", "Jaw & chin", "Temples", OUTRO_TITLE]
    assert [c.index for c in chapters] == list(range(len(chapters)))


def test_chapters_cover_the_timeline_without_gaps_or_overlaps(prepared: Prepared) -> None:
    chapters = chapters_for(prepared.timeline)
    assert chapters[0].start_sample == 0
    assert chapters[-1].end_sample == prepared.timeline.total_samples
    for before, after in itertools.pairwise(chapters):
        assert before.end_sample == after.start_sample
    assert sum(c.length_samples for c in chapters) == prepared.timeline.total_samples


@pytest.mark.parametrize("pace", [0.5, 1.0, 2.0])
def test_each_step_chapter_starts_at_its_steps_chime(tone: ToneSpeech, tmp_path: Path, pace: float) -> None:
    timeline = prepare(ROUTINE, Pacing(pace=pace), engine=tone, cache_root=tmp_path).timeline
    chapters = chapters_for(timeline)[1:-1]
    assert [(c.start_sample, c.end_sample) for c in chapters] == [
        (step.start_sample, step.end_sample) for step in timeline.steps
    ]
    first_step_chime = next(cue for cue in timeline.cues if cue.step == 0)
    assert chapters[0].start_sample == first_step_chime.start_sample
    assert [c.start_ms for c in chapters] == [round(s.start_sample / 22.05) for s in timeline.steps]


def test_an_intro_or_outro_with_no_length_is_left_out(prepared: Prepared) -> None:
    whole = Timeline(
        title="Only steps",
        language="en",
        voice=None,
        pacing=Pacing(),
        cues=(),
        reps=(),
        steps=(StepSpan(0, "One", 0, 1000), StepSpan(1, "Two", 1000, 2205)),
        total_samples=2205,
    )
    assert [(c.title, c.start_ms, c.end_ms) for c in chapters_for(whole)] == [
        ("One", 0, 45),
        ("Two", 45, 100),
    ]
