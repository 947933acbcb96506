"""The bundled chimes (made by scripts/make_chimes.py), loaded from the installed package.

Importing this module does not load numpy: `chime_pcm` gives the start bell's bytes to the sound card
before numpy has loaded (see `live.py`)."""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from cueline.errors import CuelineError
from cueline.riff import WavFormatError, wav_pcm
from cueline.timeline import Chime

if TYPE_CHECKING:
    from cueline.wavfile import Samples


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
def chime_pcm(chime: Chime) -> bytes:
    """The PCM bytes (16-bit little-endian mono) of one chime, read once per process."""
    resource = sounds_dir().joinpath(f"{chime.value}.wav")
    try:
        return wav_pcm(resource.read_bytes())
    except (OSError, WavFormatError) as exc:
        raise CuelineError(
            f"bundled chime {chime.value}.wav is unusable: {exc}", hint="reinstall cueline"
        ) from exc


@functools.cache
def chime_samples(chime: Chime) -> Samples:
    """The samples of one chime, read once per process."""
    from cueline.wavfile import samples_from_pcm

    samples = samples_from_pcm(chime_pcm(chime))
    samples.setflags(write=False)
    return samples
