"""The lossy peak check: finding where a decoded file passes the limit, and dipping exactly there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cueline.export.peaks import GRAIN_SAMPLES, LIMIT_DBTP, deepened, dipped, overshoots
from cueline.loudness import true_peak_dbtp
from cueline.riff import wav_bytes

LEVEL = 20000  # about -4.3 dBFS: under the limit


def steady(length: int) -> np.ndarray:
    return np.full(length, LEVEL, dtype=np.int16)


def test_a_dip_takes_its_full_depth_across_its_grain_and_nothing_far_from_it() -> None:
    grain, depth_db = 40, 6.0
    out = np.concatenate(list(dipped(iter([steady(44100)]), {grain: depth_db})))
    inside = out[grain * GRAIN_SAMPLES : (grain + 1) * GRAIN_SAMPLES]
    assert np.allclose(inside, LEVEL * 10 ** (-depth_db / 20), atol=1)
    far = np.r_[0 : (grain - 3) * GRAIN_SAMPLES, (grain + 4) * GRAIN_SAMPLES : 44100]
    assert np.array_equal(out[far], steady(44100)[far])
    assert np.all(np.abs(np.diff(out.astype(np.int32))) < 60)  # eased in and out, no step


def test_dips_do_not_depend_on_how_the_audio_is_split_into_blocks() -> None:
    dips = {10: 3.0, 49: 1.5, 50: 2.0}  # one on the seam between the blocks below
    whole = np.concatenate(list(dipped(iter([steady(44100)]), dips)))
    split = np.concatenate(list(dipped(iter([steady(22050), steady(22050)]), dips)))
    assert np.array_equal(whole, split)


def test_overshoots_finds_where_a_file_passes_the_limit_and_by_how_much(tmp_path: Path) -> None:
    signal = steady(3 * 22050)
    at = 50000  # past the first read block, so positions across blocks are counted right
    over_db = 0.5
    peak = round(32768 * 10 ** ((LIMIT_DBTP + over_db) / 20))
    signal[at - 5 : at + 5] = peak
    path = tmp_path / "loud.wav"
    path.write_bytes(wav_bytes(signal.astype("<i2").tobytes()))
    found = overshoots(path)
    assert set(found) == {at // GRAIN_SAMPLES}
    measured_db = true_peak_dbtp(signal / 32768)
    assert found[at // GRAIN_SAMPLES] == pytest.approx(measured_db + 1.3, abs=0.01)  # down to -1.3 dBTP
    assert overshoots(tmp_path / "loud.wav", limit_dbtp=measured_db + 0.1) == {}


def test_a_second_pass_deepens_the_dips_where_the_file_still_passes() -> None:
    assert deepened({3: 1.0, 7: 0.5}, {7: 0.25, 9: 2.0}) == {3: 1.0, 7: 0.75, 9: 2.0}
