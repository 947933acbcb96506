"""The bundled chimes: present, in cueline's format, shaped for their job, and a little under the voice."""

from __future__ import annotations

import numpy as np
import pytest

from cueline import defaults
from cueline.loudness import clip_lufs, true_peak_dbtp
from cueline.pcm import SAMPLE_RATE_HZ
from cueline.sounds import chime_samples
from cueline.timeline import Chime


@pytest.mark.parametrize("chime", list(Chime))
def test_chime_loads_and_starts_and_ends_silent(chime: Chime) -> None:
    samples = chime_samples(chime)
    assert samples.dtype == np.int16 and len(samples) > 0
    assert samples[0] == 0 and samples[-1] == 0  # no click at either edge
    assert np.max(np.abs(samples.astype(np.int32))) < 32767  # never clips


def test_the_count_chime_is_short_and_soft_and_the_bells_are_louder() -> None:
    count = chime_samples(Chime.COUNT)
    assert len(count) <= 0.25 * SAMPLE_RATE_HZ
    level = {chime: clip_lufs(chime_samples(chime) / 32768) for chime in Chime}
    assert level[Chime.COUNT] < level[Chime.HOLD_END] < level[Chime.START]
    assert level[Chime.COUNT] < level[Chime.STEP] < level[Chime.FINISH]


@pytest.mark.parametrize("chime", [c for c in Chime if c is not Chime.COUNT])
def test_every_bell_sits_a_little_under_the_voice_and_under_the_peak_ceiling(chime: Chime) -> None:
    """Speech is normalised to the default loudness; a bell 3 to 8 LU under it is heard, not startling."""
    signal = chime_samples(chime) / 32768
    assert defaults.LOUDNESS_LUFS - 8 <= clip_lufs(signal) <= defaults.LOUDNESS_LUFS - 3
    assert true_peak_dbtp(signal) <= defaults.TRUE_PEAK_DBTP


def test_the_count_tap_sits_under_the_loudness_gate_of_a_spoken_routine() -> None:
    """A tap every rep must not pull a `count: chime` file's integrated loudness down: BS.1770 drops
    blocks 10 LU under the mean, so the tap sits more than 12 LU under the voice (and stays audible)."""
    signal = chime_samples(Chime.COUNT) / 32768
    assert defaults.LOUDNESS_LUFS - 16 <= clip_lufs(signal) <= defaults.LOUDNESS_LUFS - 12
    assert true_peak_dbtp(signal) <= defaults.TRUE_PEAK_DBTP


def test_the_step_chime_differs_from_the_others() -> None:
    step = chime_samples(Chime.STEP)
    for other in (Chime.START, Chime.FINISH, Chime.HOLD_END):
        other_samples = chime_samples(other)
        n = min(len(step), len(other_samples))
        assert not np.array_equal(step[:n], other_samples[:n])
