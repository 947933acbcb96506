"""The bundled chimes (made by scripts/make_chimes.py), loaded from the installed package."""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from cueline.errors import CuelineError
from cueline.timeline import Chime
from cueline.wavfile import Samples, WavFormatError, decode_wav


def sounds_dir() -> Traversable:
    """Where the chimes are: inside the installed package, or the checkout's `sounds/` in development."""
    packaged = resources.files("cueline").joinpath("sounds")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "sounds"
    if checkout.is_dir():
        return checkout
    raise CuelineError("the bundled chimes are missing", hint="reinstall cueline")


@functools.cache
def chime_samples(chime: Chime) -> Samples:
    """The PCM of one chime, read once per process."""
    resource = sounds_dir().joinpath(f"{chime.value}.wav")
    try:
        samples = decode_wav(resource.read_bytes())
    except (OSError, WavFormatError) as exc:
        raise CuelineError(
            f"bundled chime {chime.value}.wav is unusable: {exc}", hint="reinstall cueline"
        ) from exc
    samples.setflags(write=False)
    return samples
