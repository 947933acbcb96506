"""The renderer: blocks add up to the whole, any start point gives the same samples, cues land exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from measure import onsets

from cueline.pacing import Pacing
from cueline.render import render_blocks
from cueline.routine import CountMode, Routine, Step
from cueline.session import Prepared, prepare

from fakes import ToneSpeech

ROUTINE = Routine(
    title="Render",
    steps=(Step("Neck", say="Glide up.", reps=4, tempo_s=2.0), Step("Hold", say="Hold.", hold_s=2.0)),
    intro=("Hello.",),
)


@pytest.fixture
def prepared(tone: ToneSpeech, tmp_path: Path) -> Prepared:
    return prepare(ROUTINE, Pacing(count=CountMode.CHIME), engine=tone, cache_root=tmp_path)


def whole(prepared: Prepared, **kwargs: int) -> np.ndarray:
    return np.concatenate(list(render_blocks(prepared.timeline, prepared.clips, **kwargs)))


@pytest.mark.parametrize("block_samples", [1, 999, 22050, 10**7])
def test_block_size_does_not_change_the_audio(prepared: Prepared, block_samples: int) -> None:
    reference = whole(prepared)
    assert len(reference) == prepared.timeline.total_samples
    if block_samples == 1:
        reference = reference[:5000]  # one-sample blocks are slow; the start is enough to compare
        blocks = render_blocks(prepared.timeline, prepared.clips, block_samples=1)
        assert np.array_equal(np.concatenate([next(blocks) for _ in range(5000)]), reference)
    else:
        assert np.array_equal(whole(prepared, block_samples=block_samples), reference)


def test_rendering_from_any_sample_gives_the_tail_of_the_whole(prepared: Prepared) -> None:
    reference = whole(prepared)
    for cue in prepared.timeline.cues[:6]:
        for start in (cue.start_sample, cue.start_sample + 17, cue.end_sample - 1):
            assert np.array_equal(whole(prepared, start_sample=start), reference[start:])


def test_every_cue_sounds_exactly_where_the_timeline_puts_it(prepared: Prepared) -> None:
    audio = whole(prepared)
    found = onsets(audio, threshold=0, min_silence=200)
    expected = [cue.start_sample for cue in prepared.timeline.cues]
    # The fake speech is a sine starting at phase 0 and the chimes open with a raised-cosine attack, so
    # the first non-zero sample is at most a couple of samples after the cue's start.
    assert len(found) == len(expected)
    assert all(0 <= got - want <= 2 for got, want in zip(found, expected, strict=True))
    silence = np.ones(len(audio), dtype=bool)
    for cue in prepared.timeline.cues:
        silence[cue.start_sample : cue.end_sample] = False
    assert not np.any(audio[silence]), "sound outside every cue"


@pytest.mark.parametrize("target_lufs", [-16.0, -23.0, None])
def test_two_sinks_prepared_apart_play_the_same_samples(tmp_path: Path, target_lufs: float | None) -> None:
    """The live player and an export each prepare the routine themselves: the first normalises the clips
    into the cache, the second reads them back. Same options, same samples, whichever comes first."""
    first = prepare(ROUTINE, Pacing(), engine=ToneSpeech(), cache_root=tmp_path, target_lufs=target_lufs)
    reference = whole(first)
    later_engine = ToneSpeech()
    later = prepare(ROUTINE, Pacing(), engine=later_engine, cache_root=tmp_path, target_lufs=target_lufs)
    assert later_engine.calls == [] and later.clips.cache.normalisations == 0
    np.testing.assert_array_equal(whole(later), reference)
