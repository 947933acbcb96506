"""The bundled chimes: present, in cueline's format, and shaped for their job."""

from __future__ import annotations

import numpy as np
import pytest

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
    peak = {chime: int(np.max(np.abs(chime_samples(chime).astype(np.int32)))) for chime in Chime}
    assert peak[Chime.COUNT] < peak[Chime.STEP] < peak[Chime.START]


def test_the_step_chime_differs_from_the_others() -> None:
    step = chime_samples(Chime.STEP)
    for other in (Chime.START, Chime.FINISH, Chime.HOLD_END):
        other_samples = chime_samples(other)
        n = min(len(step), len(other_samples))
        assert not np.array_equal(step[:n], other_samples[:n])
