"""Loudness as ITU-R BS.1770 / EBU R128 define it (K-weighted, gated), true peak, and the normalisation every
clip goes through before it reaches the audio, so the player and every exported file sound the same.

Measured with numpy alone: the two K-weighting biquads are applied as their impulse response (which decays
below double precision well within a second) by FFT convolution, so no scipy and no per-sample Python loop.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt

from cueline.pcm import SAMPLE_RATE_HZ
from cueline.wavfile import Samples

Signal = npt.NDArray[np.float64]  # samples as floats, full scale ±1.0

FULL_SCALE = 32768.0  # int16 magnitude of 0 dBFS
BLOCK_S = 0.4  # gating block (BS.1770-4)
HOP_S = 0.1  # 75 % overlap between blocks
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
TRUE_PEAK_OVERSAMPLING = 8  # 22050 Hz x 8 = 176.4 kHz, near the 192 kHz BS.1770 asks of 4x at 48 kHz
_LIMITER_WINDOW_S = 0.03  # how far ahead and behind a peak the limiter starts and ends its gain change
_LIMITER_MARGIN_DB = 0.05  # aim this far under the ceiling, so rounding to int16 cannot cross it
_NORMALISE_PASSES = 12
# espeak-ng's glottal pulses are spiky: its clips need up to ~12 dB of peak limiting to reach -16 LUFS under
# a -2 dBTP ceiling (measured on the bundled routines). Deeper, the gain's own movement starts to make new
# inter-sample peaks, and the clip stays a little under its target instead.
_MAX_LIMITING_DB = 12.0
_NORMALISE_TOLERANCE_LU = 0.02
_TINY = 1e-12


def k_weighting(rate_hz: int) -> tuple[tuple[Signal, Signal], tuple[Signal, Signal]]:
    """The two K-weighting biquads (b, a) at `rate_hz`: a high shelf (the head's acoustic effect) and a
    high-pass (RLB). Derived by bilinear transform from the analogue prototypes, which reproduces the
    48 kHz coefficients BS.1770 tabulates (the design libebur128 and ffmpeg's ebur128 filter use)."""
    k = math.tan(math.pi * 1681.974450955533 / rate_hz)
    q = 0.7071752369554196
    vh = 10 ** (3.999843853973347 / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_b = np.array(
        [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]
    )
    shelf_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    k = math.tan(math.pi * 38.13547087602444 / rate_hz)
    q = 0.5003270373238773
    a0 = 1 + k / q + k * k
    highpass_b = np.array([1.0, -2.0, 1.0])
    highpass_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return (shelf_b, shelf_a), (highpass_b, highpass_a)


@functools.cache
def _k_impulse_response(rate_hz: int) -> Signal:
    """The cascade's impulse response, long enough (a second) that the rest is below double precision."""
    length = 1 << math.ceil(math.log2(rate_hz))
    signal = np.zeros(length)
    signal[0] = 1.0
    for b, a in k_weighting(rate_hz):
        signal = biquad_reference(signal, b, a)
    signal.setflags(write=False)
    return signal


def biquad_reference(signal: Signal, b: Signal, a: Signal) -> Signal:
    """Direct-form filtering, one sample at a time: slow, exact, for impulse responses and tests only."""
    out = np.zeros(len(signal))
    b0, b1, b2 = (float(v) for v in b)
    a1, a2 = float(a[1]), float(a[2])
    x1 = x2 = y1 = y2 = 0.0
    for n, x in enumerate(signal.tolist()):
        y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        out[n] = y
        x2, x1, y2, y1 = x1, x, y1, y
    return out


def k_weighted(signal: Signal, rate_hz: int = SAMPLE_RATE_HZ) -> Signal:
    """`signal` through the K-weighting filter (same length, zero initial state)."""
    impulse = _k_impulse_response(rate_hz)
    size = 1 << math.ceil(math.log2(len(signal) + len(impulse)))
    spectrum = np.fft.rfft(signal, size) * np.fft.rfft(impulse, size)
    return np.fft.irfft(spectrum, size)[: len(signal)]


def block_powers(signal: Signal, rate_hz: int = SAMPLE_RATE_HZ) -> Signal:
    """Mean square of the K-weighted signal in each 400 ms block, blocks 100 ms apart (complete ones only)."""
    block, hop = round(BLOCK_S * rate_hz), round(HOP_S * rate_hz)
    if len(signal) < block:
        return np.zeros(0)
    squares = np.concatenate([[0.0], np.cumsum(k_weighted(signal, rate_hz) ** 2)])
    starts = np.arange(0, len(signal) - block + 1, hop)
    powers: Signal = (squares[starts + block] - squares[starts]) / block
    return powers


def _lufs(power: float) -> float:
    return -0.691 + 10 * math.log10(power) if power > 0 else -math.inf


def integrated_lufs(signal: Signal, rate_hz: int = SAMPLE_RATE_HZ) -> float:
    """Gated integrated loudness of a mono signal in LUFS; -inf for silence (or under one block)."""
    powers = block_powers(signal, rate_hz)
    loud = powers[powers > 10 ** ((ABSOLUTE_GATE_LUFS + 0.691) / 10)]
    if loud.size == 0:
        return -math.inf
    relative_gate = _lufs(float(np.mean(loud))) + RELATIVE_GATE_LU
    kept = loud[loud > 10 ** ((relative_gate + 0.691) / 10)]
    return _lufs(float(np.mean(kept)))


def clip_lufs(signal: Signal, rate_hz: int = SAMPLE_RATE_HZ) -> float:
    """A clip's integrated loudness with a block of silence either side: how it counts in a timeline, where
    cues stand between silences (and how a word shorter than a gating block gets a loudness at all)."""
    pad = np.zeros(round(BLOCK_S * rate_hz))
    return integrated_lufs(np.concatenate([pad, signal, pad]), rate_hz)


def _oversampled(signal: Signal, factor: int = TRUE_PEAK_OVERSAMPLING) -> Signal:
    """Band-limited interpolation by `factor` (FFT zero-padding, with silence around against wrap-around)."""
    pad = 64
    size = 1 << math.ceil(math.log2(len(signal) + 2 * pad))
    padded = np.zeros(size)
    padded[pad : pad + len(signal)] = signal
    up = np.fft.irfft(np.fft.rfft(padded), size * factor) * factor
    return up[pad * factor : (pad + len(signal)) * factor]


def sample_peaks(signal: Signal) -> Signal:
    """For each sample, the largest magnitude the continuous waveform reaches between its two neighbours."""
    if len(signal) == 0:
        return np.zeros(0)
    up = np.abs(_oversampled(signal)).reshape(len(signal), TRUE_PEAK_OVERSAMPLING).max(axis=1)
    around: Signal = np.maximum(up, np.abs(signal))
    around[1:] = np.maximum(around[1:], up[:-1])  # the interval leading into each sample
    return around


def true_peak_dbtp(signal: Signal) -> float:
    """The true (inter-sample) peak in dBTP, by 8x band-limited oversampling."""
    if len(signal) == 0:
        return -math.inf
    peak = float(sample_peaks(signal).max())
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def _running_min(values: Signal, window: int) -> Signal:
    """Minimum over a centred window of odd length `window`, in O(n) (van Herk / Gil-Werman)."""
    half = window // 2
    padded = np.concatenate([np.full(half, np.inf), values, np.full(window - half, np.inf)])
    count = -(-len(padded) // window) * window
    padded = np.concatenate([padded, np.full(count - len(padded), np.inf)]).reshape(-1, window)
    prefix = np.minimum.accumulate(padded, axis=1).ravel()
    suffix = np.minimum.accumulate(padded[:, ::-1], axis=1)[:, ::-1].ravel()
    starts = np.arange(len(values))
    return np.minimum(suffix[starts], prefix[starts + window - 1])


def _box_smoothed(values: Signal, width: int, edge: float) -> Signal:
    """Moving average over a centred window of `width` samples, padding with `edge` (O(n), by cumsum)."""
    half = width // 2
    padded = np.concatenate([np.full(half, edge), values, np.full(width - half, edge)])
    sums = np.concatenate([[0.0], np.cumsum(padded)])
    averaged: Signal = (sums[width : width + len(values)] - sums[: len(values)]) / width
    return averaged


def _limiter_gain(peaks: Signal, ceiling: float, rate_hz: int) -> Signal:
    """The gain that brings every sample's peak under `ceiling`, changing smoothly.

    What each sample needs is held over the window (a running minimum), then smoothed by three moving
    averages (a bell-shaped kernel no wider than the window). Every value averaged is at most the need at
    the centre, so the smoothed gain never lets a peak through, and it moves over tens of milliseconds."""
    need = np.minimum(1.0, ceiling / np.maximum(peaks, _TINY))
    if need.min() >= 1.0:
        return need
    box = max(1, round(_LIMITER_WINDOW_S * rate_hz) // 3)
    gain = _running_min(need, 3 * box + 1)
    for _ in range(3):
        gain = _box_smoothed(gain, box, 1.0)
    return gain


def limit(signal: Signal, ceiling_dbtp: float, rate_hz: int = SAMPLE_RATE_HZ) -> Signal:
    """Bring every true peak down to `ceiling_dbtp` with a smooth gain that leaves the rest untouched."""
    ceiling = 10 ** ((ceiling_dbtp - _LIMITER_MARGIN_DB) / 20)
    return _settled(signal * _limiter_gain(sample_peaks(signal), ceiling, rate_hz), ceiling)


def _settled(limited: Signal, ceiling: float) -> Signal:
    """The gain's own movement can lift an inter-sample peak by a hair: take that off the whole clip."""
    peak = float(sample_peaks(limited).max()) if len(limited) else 0.0
    return limited * min(1.0, ceiling / peak) if peak > 0 else limited


def normalise(samples: Samples, target_lufs: float, ceiling_dbtp: float) -> Samples:
    """`samples` at `target_lufs` (as clip_lufs measures it) with no true peak above `ceiling_dbtp`: a gain,
    then the limiter, at most 12 dB deep. The limiter takes back some of the gain, so the gain is searched
    for: once the target is bracketed a regula falsi step (bisection when it stalls) closes in. A target
    the limiter cannot reach within its depth gives the loudest clip it can make. Same length, always."""
    signal = samples.astype(np.float64) / FULL_SCALE
    measured = clip_lufs(signal)
    if not math.isfinite(measured):
        return samples.copy()
    ceiling = 10 ** ((ceiling_dbtp - _LIMITER_MARGIN_DB) / 20)
    peaks = sample_peaks(signal)  # peaks scale with the gain: oversample once, not on every attempt
    most_db = 20 * math.log10(ceiling / float(peaks.max())) + _MAX_LIMITING_DB
    below: tuple[float, float] | None = None  # (gain dB, loudness) known to fall short of the target
    above: tuple[float, float] | None = None  # ... and known to overshoot it
    gain_db = min(target_lufs - measured, most_db)
    best: tuple[float, Signal] = (math.inf, signal)
    for _ in range(_NORMALISE_PASSES):
        gain = 10 ** (gain_db / 20)
        shaped = signal * gain * _limiter_gain(peaks * gain, ceiling, SAMPLE_RATE_HZ)
        error = target_lufs - clip_lufs(shaped)
        if abs(error) < best[0]:
            best = (abs(error), shaped)
        if abs(error) <= _NORMALISE_TOLERANCE_LU:
            break
        if error > 0:
            below = (gain_db, target_lufs - error)
        else:
            above = (gain_db, target_lufs - error)
        if below is not None and above is not None:
            (low_db, low_lufs), (high_db, high_lufs) = below, above
            guess = low_db + (target_lufs - low_lufs) * (high_db - low_db) / (high_lufs - low_lufs)
            margin = 0.1 * (high_db - low_db)
            gain_db = guess if low_db + margin < guess < high_db - margin else (low_db + high_db) / 2
        elif gain_db >= most_db:
            break  # as loud as the limiter may make it
        else:
            gain_db = min(gain_db + 2 * error, most_db)  # limiting shrinks a step's effect: overshoot
    return to_samples(_settled(best[1], ceiling))  # within the depth limit, a hundredth of a dB or so


def scaled(samples: Samples, gain_db: float, ceiling_dbtp: float) -> Samples:
    """`samples` made `gain_db` louder (or quieter), but never past `ceiling_dbtp`: for the chimes, made at
    the default loudness and moved with the target as a whole, shape untouched."""
    signal = samples.astype(np.float64) / FULL_SCALE
    peak = true_peak_dbtp(signal)
    gain_db = min(gain_db, ceiling_dbtp - _LIMITER_MARGIN_DB - peak) if math.isfinite(peak) else gain_db
    return to_samples(signal * 10 ** (gain_db / 20))


def to_samples(signal: Signal) -> Samples:
    """Floats (full scale ±1.0) back to int16, rounded to the nearest value."""
    return np.clip(np.round(signal * FULL_SCALE), -32768, 32767).astype(np.int16)
