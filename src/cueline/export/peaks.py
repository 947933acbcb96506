"""Keep lossy files under the true-peak promise (-1 dBTP) that the rendered audio keeps by itself.

An MP3 or Vorbis encoder adds its own noise, and on espeak-ng's spiky speech that noise can lift a peak far
above the audio it was given (measured: -3.05 dBTP in, -0.14 dBTP out of LAME at 48 kbps). No ceiling set
before encoding bounds it, so a lossy file is checked after it is written: decoded, its true peaks are
found, and where one passes the limit the audio is encoded again with a short, smooth gain dip there. The
dips are tens of milliseconds wide, so the loudness moves by hundredths of a LU.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from cueline.loudness import FULL_SCALE, sample_peaks
from cueline.wavfile import Samples

LIMIT_DBTP = -1.1  # what is checked: 0.1 dB under the -1 dBTP promise, as other meters differ a little
_AIM_DBTP = -1.3  # where a dip aims
GRAIN_SAMPLES = 441  # overshoots are gathered per 20 ms
_DIP_HALF_WIDTH_SAMPLES = 661  # 30 ms each side: smooth enough not to be heard as a gain change
_READ_BLOCK_SAMPLES = 22050
_READ_OVERLAP_SAMPLES = 64  # so a peak between two read blocks is still seen whole
_QUIET_DB = 4.0  # a block whose samples all stay this far under the limit is skipped: decoded lossy
# audio has no content near the Nyquist frequency, so its peaks between samples rise far less than that
MAX_PASSES = 3  # encodes after the first, each with the dips found so far

Dips = dict[int, float]  # grain index (samples // GRAIN_SAMPLES) -> depth in dB


def overshoots(
    path: Path, limit_dbtp: float = LIMIT_DBTP, advance: Callable[[int], None] | None = None
) -> Dips:
    """For each grain of the decoded file whose true peak passes `limit_dbtp`, how far a dip there must go
    (to `_AIM_DBTP`). Reads the file in blocks (memory stays flat with its length), calling `advance` with
    the samples of each."""
    import soundfile

    limit = 10 ** (limit_dbtp / 20)
    quiet = limit * 10 ** (-_QUIET_DB / 20)
    found: Dips = {}
    carried = np.zeros(0)  # the end of the last block, so a peak across the seam is seen whole
    start = 0  # the file sample at which `carried` begins
    with _quiet_stderr(), soundfile.SoundFile(path) as decoded:
        # Read straight through and carry the seam here: no seeking back in a compressed stream.
        for block in decoded.blocks(blocksize=_READ_BLOCK_SAMPLES, dtype="float64", always_2d=True):
            signal = np.concatenate([carried, block[:, 0]])
            if len(signal) and float(np.abs(signal).max()) >= quiet:
                peaks = sample_peaks(signal)
                for at in np.flatnonzero(peaks > limit):
                    grain = (start + int(at)) // GRAIN_SAMPLES
                    depth = 20 * math.log10(float(peaks[at])) - _AIM_DBTP
                    found[grain] = max(found.get(grain, 0.0), depth)
            if advance is not None:
                advance(len(block))
            carried = signal[-_READ_OVERLAP_SAMPLES:]
            start += len(signal) - len(carried)
    return found


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence C code's stderr: libsndfile's mpg123 prints "part2_3_length … too large" for LAME frames it
    then decodes correctly (checked against ffmpeg: no sample differs by more than 1)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def dipped(blocks: Iterator[Samples], dips: Dips) -> Iterator[Samples]:
    """`blocks` (from the file's first sample) with a gain dip on each grain of `dips`: its full depth across
    the grain, easing back to no change over 30 ms either side."""
    if not dips:
        yield from blocks
        return
    centres = np.array(sorted(dips), dtype=np.int64) * GRAIN_SAMPLES + GRAIN_SAMPLES // 2
    cuts = 1 - 10 ** (-np.array([dips[g] for g in sorted(dips)]) / 20)  # the share of the signal each takes
    position = 0
    for block in blocks:
        end = position + len(block)
        reach = _DIP_HALF_WIDTH_SAMPLES + GRAIN_SAMPLES
        near = np.flatnonzero((centres > position - reach) & (centres < end + reach))
        if len(near) == 0:
            yield block
        else:
            gain = np.ones(len(block))
            at = np.arange(position, end)
            for i in near:
                # full depth across the grain, raised-cosine skirts either side
                off = np.maximum(0, np.abs(at - centres[i]) - GRAIN_SAMPLES // 2)
                x = np.minimum(off / _DIP_HALF_WIDTH_SAMPLES, 1.0)
                gain = np.minimum(gain, 1 - cuts[i] * 0.5 * (1 + np.cos(np.pi * x)))
            shaped = np.round(block.astype(np.float64) * gain)
            yield np.clip(shaped, -FULL_SCALE, FULL_SCALE - 1).astype(np.int16)
        position = end


def deepened(dips: Dips, found: Dips) -> Dips:
    """The dips for the next pass: those so far, deepened (or added) where the file still passes."""
    return {grain: dips.get(grain, 0.0) + found.get(grain, 0.0) for grain in dips.keys() | found.keys()}
