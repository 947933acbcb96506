"""The loudness meter against the published numbers (BS.1770 coefficients, EBU Tech 3341 cases), and the
normalisation every clip goes through: on target, under the ceiling, same length, no sudden gain jumps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cueline import loudness
from cueline.loudness import (
    biquad_reference,
    clip_lufs,
    integrated_lufs,
    k_weighted,
    k_weighting,
    normalise,
    scaled,
    true_peak_dbtp,
)

MONO_OFFSET_LU = -3.01  # Tech 3341 levels are for a stereo pair; one channel alone reads 3.01 lower


def sine(dbfs: float, seconds: float, rate_hz: int = 48000, hz: float = 1000.0) -> np.ndarray:
    t = np.arange(round(seconds * rate_hz)) / rate_hz
    return 10 ** (dbfs / 20) * np.sin(2 * np.pi * hz * t)


def test_k_weighting_at_48k_reproduces_the_bs1770_table() -> None:
    (shelf_b, shelf_a), (highpass_b, highpass_a) = k_weighting(48000)
    np.testing.assert_allclose(shelf_b, [1.53512485958697, -2.69169618940638, 1.19839281085285], atol=1e-9)
    np.testing.assert_allclose(shelf_a, [1.0, -1.69065929318241, 0.73248077421585], atol=1e-9)
    np.testing.assert_allclose(highpass_b, [1.0, -2.0, 1.0])
    np.testing.assert_allclose(highpass_a, [1.0, -1.99004745483398, 0.99007225036621], atol=1e-9)


@pytest.mark.parametrize("rate_hz", [48000, 22050])
def test_fft_filtering_equals_the_direct_recursion(rate_hz: int) -> None:
    noise = np.random.default_rng(7).standard_normal(5000)
    (shelf_b, shelf_a), (highpass_b, highpass_a) = k_weighting(rate_hz)
    direct = biquad_reference(biquad_reference(noise, shelf_b, shelf_a), highpass_b, highpass_a)
    np.testing.assert_allclose(k_weighted(noise, rate_hz), direct, atol=1e-9)


@pytest.mark.parametrize("rate_hz", [48000, 22050])
def test_a_full_scale_997_hz_sine_reads_minus_3_01(rate_hz: int) -> None:
    """BS.1770's calibration: 0 dBFS at 997 Hz in one channel is -3.01 LKFS."""
    assert integrated_lufs(sine(0.0, 5.0, rate_hz, 997.0), rate_hz) == pytest.approx(-3.01, abs=0.05)


@pytest.mark.parametrize("rate_hz", [48000, 22050])
@pytest.mark.parametrize(
    ("parts", "expected_lufs"),
    [
        ([(-23.0, 20.0)], -23.0),  # Tech 3341 case 1
        ([(-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0)], -23.0),  # case 3: relative gate drops the -36 parts
        ([(-26.0, 20.0), (-20.0, 20.1), (-26.0, 20.0)], -23.0),  # case 5: they are above it and count
        ([(-72.0, 10.0), (-23.0, 60.0), (-72.0, 10.0)], -23.0),  # absolute gate
    ],
    ids=["case1", "case3", "case5", "absolute-gate"],
)
def test_ebu_tech_3341_cases_in_mono(
    rate_hz: int, parts: list[tuple[float, float]], expected_lufs: float
) -> None:
    signal = np.concatenate([sine(dbfs, seconds, rate_hz) for dbfs, seconds in parts])
    assert integrated_lufs(signal, rate_hz) == pytest.approx(expected_lufs + MONO_OFFSET_LU, abs=0.1)


def test_silence_and_short_signals_have_no_loudness() -> None:
    assert integrated_lufs(np.zeros(22050)) == -math.inf
    assert integrated_lufs(sine(-20, 0.3, 22050)) == -math.inf  # shorter than one gating block
    assert math.isfinite(clip_lufs(sine(-20, 0.3, 22050)))  # ... but a clip in silence has one


def test_true_peak_finds_the_peak_between_samples() -> None:
    """A quarter-rate sine sampled at 45 degrees: every sample is 3 dB under the wave's real peak. (Faded in
    and out: an abrupt start really does overshoot once band-limited, and would read higher.)"""
    n = np.arange(22050)
    fade = np.ones(len(n))
    fade[:2000], fade[-2000:] = np.hanning(4000)[:2000], np.hanning(4000)[2000:]
    wave_ = 0.9 * np.sin(np.pi / 2 * n + np.pi / 4) * fade
    assert 20 * math.log10(np.max(np.abs(wave_))) == pytest.approx(20 * math.log10(0.9) - 3.01, abs=0.01)
    assert true_peak_dbtp(wave_) == pytest.approx(20 * math.log10(0.9), abs=0.05)


def test_running_min_matches_brute_force() -> None:
    values = np.random.default_rng(3).random(3000)
    for window in (1, 7, 31, 661):
        half = window // 2
        brute = [values[max(0, i - half) : i + half + 1].min() for i in range(len(values))]
        np.testing.assert_array_equal(loudness._running_min(values, window), brute)


def _peaky_speech_like() -> np.ndarray:
    """Voiced syllables (a 150 Hz buzz with harmonics, three a second) with a few sharp clicks, like
    espeak-ng's plosives: a peak-to-loudness ratio over 20 dB, more than -16 LUFS under a -1.5 dBTP
    ceiling allows, so the limiter must work."""
    n = 22050 * 3
    t = np.arange(n) / 22050
    buzz = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 8))
    syllables = np.clip(np.sin(2 * np.pi * 3 * t), 0, None) ** 2
    signal = 0.22 * buzz * syllables
    for at in (8000, 30000, 51000):
        signal[at : at + 6] += 0.9 * np.hanning(6)  # short: the syllables, not the clicks, carry the loudness
    return np.round(signal * 32768).astype(np.int16)


@pytest.mark.parametrize("target_lufs", [-16.0, -23.0, -30.0])
def test_normalise_lands_on_target_under_the_ceiling_at_the_same_length(target_lufs: float) -> None:
    clip = _peaky_speech_like()
    raw = clip / 32768
    assert true_peak_dbtp(raw) - clip_lufs(raw) > 15  # the premise: a gain alone cannot do it

    out = normalise(clip, target_lufs, -1.5)

    assert len(out) == len(clip) and out.dtype == np.int16
    assert clip_lufs(out / 32768) == pytest.approx(target_lufs, abs=0.05)
    assert true_peak_dbtp(out / 32768) <= -1.5


def test_the_limiter_only_touches_the_neighbourhood_of_peaks_and_moves_smoothly() -> None:
    tone = np.round(3000 * np.sin(2 * np.pi * 220 * np.arange(22050 * 2) / 22050)).astype(np.int16)
    clip = tone.copy()
    clip[22050 : 22050 + 30] = 30000  # one hard spike in the middle

    out = normalise(clip, -16.0, -1.5)

    defined = np.flatnonzero(np.abs(clip) > 1000)  # where int16 rounding cannot blur the gain
    ratio = out[defined] / clip[defined]
    far = np.abs(defined - 22050) > 0.05 * 22050
    assert np.ptp(ratio[far]) / ratio[far].mean() < 0.002  # one gain away from the spike: shape kept
    assert ratio[~far].min() < 0.5 * ratio[far].mean()  # the spike's neighbourhood really was pulled down
    adjacent = np.diff(defined) == 1
    assert np.max(np.abs(np.diff(ratio))[adjacent]) < 0.01 * ratio[far].mean()  # smoothly, sample to sample
    assert true_peak_dbtp(out / 32768) <= -1.5


def test_an_unreachable_target_gives_the_loudest_clip_the_limiter_may_make() -> None:
    clip = _peaky_speech_like()
    out = normalise(clip, -8.0, -1.5)  # far louder than 12 dB of limiting can make it

    assert true_peak_dbtp(out / 32768) <= -1.5
    assert clip_lufs(out / 32768) > clip_lufs(normalise(clip, -16.0, -1.5) / 32768) + 1
    defined = np.abs(clip) > 200
    gains = out[defined] / clip[defined]
    assert 20 * math.log10(gains.max() / gains.min()) <= 12.5  # never limited deeper than 12 dB


def test_normalise_leaves_silence_alone() -> None:
    silence = np.zeros(1000, dtype=np.int16)
    np.testing.assert_array_equal(normalise(silence, -16.0, -1.5), silence)


def test_scaled_moves_by_the_gain_but_never_past_the_ceiling() -> None:
    quiet = np.round(1000 * np.sin(np.arange(5000) / 5)).astype(np.int16)
    halved = scaled(quiet, -20 * math.log10(2), -1.5)
    np.testing.assert_allclose(halved, quiet / 2, atol=0.51)
    loud = np.round(20000 * np.sin(np.arange(5000) / 5)).astype(np.int16)
    assert true_peak_dbtp(scaled(loud, 12.0, -1.5) / 32768) <= -1.5
