"""Synthesise cueline's chimes as soft bell WAVs, so the sounds are reproducible from source, not binaries.

Each chime is made at a loudness a little under the voice's default target (measured as cueline measures
speech clips), so a routine's chimes and speech sit together without a second pass over the audio.

Usage: python scripts/make_chimes.py [--out DIR] [--check]
"""

from __future__ import annotations

import argparse
import io
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cueline import defaults
from cueline.loudness import clip_lufs, to_samples, true_peak_dbtp
from cueline.pcm import SAMPLE_RATE_HZ

RATE = SAMPLE_RATE_HZ  # Hz, mono, 16-bit PCM: espeak-ng's rate, so cueline mixes without resampling.


@dataclass(frozen=True)
class Timbre:
    """Partials of one strike: frequency ratio to the fundamental, relative amplitude, decay time constant."""

    ratios: tuple[float, ...]
    amps: tuple[float, ...]
    taus: tuple[float, ...]  # seconds to fall by 1/e (-8.7 dB), before the chime's decay_x scaling


@dataclass(frozen=True)
class Chime:
    """One output file: strikes (onset s, fundamental Hz, gain), timbre, decay scaling, length, loudness."""

    name: str
    strikes: tuple[tuple[float, float, float], ...]
    timbre: Timbre
    decay_x: float  # multiplies every tau of the timbre, so one timbre can ring longer or shorter
    length_s: float
    under_voice_lu: float  # how far under the voice's default loudness the chime sits
    attack_s: float = 0.005  # raised-cosine onset of each strike, long enough to avoid a click
    fade_s: float = 0.1  # raised-cosine fade over the last samples, ending on exactly 0


# Church-bell partials: hum, prime, tierce (minor third), quint, nominal, and three weak upper partials.
# Highs are quiet and die fast (taus fall with ratio), so the ring settles onto the warm hum and prime.
BELL = Timbre(
    ratios=(0.5, 1.0, 1.19, 1.56, 2.0, 2.51, 2.66, 3.01),
    amps=(0.40, 1.00, 0.45, 0.22, 0.30, 0.10, 0.07, 0.04),
    taus=(1.00, 0.80, 0.60, 0.45, 0.35, 0.25, 0.22, 0.18),
)
# A rounder bell: hum, prime, tierce and nominal only, for the quiet end-of-hold cue.
SOFT_BELL = Timbre(
    ratios=(0.5, 1.0, 1.19, 2.0),
    amps=(0.45, 1.00, 0.30, 0.15),
    taus=(1.00, 0.80, 0.55, 0.30),
)
# A small glass/wood bar tap: the first two free-bar modes (1 : 2.756), both dying within a fifth of a second.
TAP = Timbre(ratios=(1.0, 2.756), amps=(1.00, 0.20), taus=(1.00, 0.40))

# Pitches sit in G major: start rises D5->G5, finish falls B4->G4 (lower, slower), step E5, hold_end C5.
# Loudness keeps the old order: the bells that open and close loudest, the step bell and hold end softer,
# the count tap (heard every few seconds) softest. The tap sits 14 LU under the voice on purpose: BS.1770
# integrated loudness drops blocks 10 LU under a file's mean, and a tap above that gate, sounding every
# rep, pulls a `count: chime` export a whole LU under its target (measured: -17.3 LUFS at -10, -16.3 at -14).
CHIMES: tuple[Chime, ...] = (
    Chime("start", ((0.0, 587.33, 0.85), (0.25, 783.99, 1.0)), BELL, 0.45, 2.0, 4.0, fade_s=0.15),
    Chime("finish", ((0.0, 493.88, 1.0), (0.40, 392.00, 1.0)), BELL, 0.55, 2.5, 4.0, fade_s=0.2),
    Chime("step", ((0.0, 659.25, 1.0),), BELL, 0.30, 1.2, 6.0),
    Chime("count", ((0.0, 1174.66, 1.0),), TAP, 0.035, 0.2, 14.0, attack_s=0.003, fade_s=0.03),
    Chime("hold_end", ((0.0, 523.25, 1.0),), SOFT_BELL, 0.22, 0.9, 7.0),
)


def raised_cosine(n: int) -> NDArray[np.float64]:
    """Rise from exactly 0 to exactly 1 over n samples, smooth at both ends so nothing clicks."""
    return 0.5 - 0.5 * np.cos(np.pi * np.arange(n) / (n - 1))


def render(chime: Chime) -> NDArray[np.int16]:
    """Sum each strike's decaying partials, shape the ends and scale to the chime's loudness."""
    n = round(chime.length_s * RATE)
    out = np.zeros(n)
    for onset, f0, gain in chime.strikes:
        start = round(onset * RATE)
        t = np.arange(n - start) / RATE
        tone = np.zeros_like(t)
        for ratio, amp, tau in zip(chime.timbre.ratios, chime.timbre.amps, chime.timbre.taus, strict=True):
            tone += amp * np.exp(-t / (tau * chime.decay_x)) * np.sin(2 * np.pi * f0 * ratio * t)
        attack = round(chime.attack_s * RATE)
        tone[:attack] *= raised_cosine(attack)
        out[start:] += gain * tone
    fade = round(chime.fade_s * RATE)
    out[-fade:] *= raised_cosine(fade)[::-1]
    out *= 0.5 / np.max(np.abs(out))
    # A gain rounded to 0.01 dB: the bytes stay the same whatever the last bits of the FFTs that measure it.
    gain_db = round(defaults.LOUDNESS_LUFS - chime.under_voice_lu - clip_lufs(out), 2)
    out *= 10 ** (gain_db / 20)
    if true_peak_dbtp(out) > defaults.TRUE_PEAK_DBTP:
        raise SystemExit(f"{chime.name}: true peak {true_peak_dbtp(out):.2f} dBTP is over the ceiling")
    return to_samples(out)


def wav_bytes(samples: NDArray[np.int16]) -> bytes:
    """Encode samples as a mono 16-bit little-endian PCM WAV at RATE."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def main() -> int:
    """Write every chime into --out, or with --check report each file there that differs from a render."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "sounds")
    parser.add_argument("--check", action="store_true", help="exit 1 if a file in --out is stale/missing")
    args = parser.parse_args()
    stale: list[Path] = []
    for chime in CHIMES:
        path = args.out / f"{chime.name}.wav"
        data = wav_bytes(render(chime))
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path)
                print(f"differs: {path}")
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
