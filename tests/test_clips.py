"""The clip bank: speech and chimes at the loudness asked for, the same clips for every sink, lengths that
do not depend on loudness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cueline import defaults
from cueline.clips import ClipBank
from cueline.loudness import clip_lufs
from cueline.sounds import chime_samples
from cueline.speech_cache import SpeechCache
from cueline.timeline import Chime

from fakes import ToneSpeech

TEXT = "Glide your fingers up to the jaw."


def bank(tmp_path: Path, target_lufs: float | None) -> ClipBank:
    return ClipBank(SpeechCache(ToneSpeech(), tmp_path), "en-us", 165, target_lufs)


def test_the_default_bank_plays_normalised_speech_and_the_chimes_as_made(tmp_path: Path) -> None:
    clips = ClipBank(SpeechCache(ToneSpeech(), tmp_path), "en-us", 165)
    assert clips.target_lufs == defaults.LOUDNESS_LUFS
    assert clip_lufs(clips.speech(TEXT) / 32768) == pytest.approx(defaults.LOUDNESS_LUFS, abs=0.05)
    for chime in Chime:
        np.testing.assert_array_equal(clips.chime(chime), chime_samples(chime))


@pytest.mark.parametrize("target_lufs", [-23.0, -18.0])
def test_another_target_moves_speech_and_chimes_together(tmp_path: Path, target_lufs: float) -> None:
    clips = bank(tmp_path, target_lufs)
    assert clip_lufs(clips.speech(TEXT) / 32768) == pytest.approx(target_lufs, abs=0.05)
    gain = 10 ** ((target_lufs - defaults.LOUDNESS_LUFS) / 20)
    for chime in Chime:
        made = chime_samples(chime).astype(np.float64)
        np.testing.assert_allclose(clips.chime(chime), made * gain, atol=0.51)


def test_off_plays_speech_as_spoken_and_chimes_as_made(tmp_path: Path) -> None:
    clips = bank(tmp_path, None)
    np.testing.assert_array_equal(clips.speech(TEXT), clips.cache.spoken(TEXT, "en-us", 165))
    assert clips.cache.normalisations == 0
    np.testing.assert_array_equal(clips.chime(Chime.STEP), chime_samples(Chime.STEP))


@pytest.mark.parametrize("target_lufs", [-16.0, -23.0])
def test_measuring_a_length_leaves_the_clip_ready_at_the_banks_loudness(
    tmp_path: Path, target_lufs: float
) -> None:
    """Compiling measures every clip: after it, a sink (a live player above all) finds every clip it will
    play normalised in the cache, and the length is the same as spoken."""
    clips = bank(tmp_path, target_lufs)
    length = clips.speech_samples(TEXT)
    assert clips.cache.normalisations == 1
    later = bank(tmp_path, target_lufs)
    assert len(later.speech(TEXT)) == length
    assert later.cache.normalisations == 0 and later.cache.renders == 0
    assert len(clips.cache.spoken(TEXT, "en-us", 165)) == length
    assert clips.chime_samples(Chime.START) == len(clips.chime(Chime.START))


def test_a_bank_with_loudness_off_measures_lengths_without_normalising(tmp_path: Path) -> None:
    clips = bank(tmp_path, None)
    assert clips.speech_samples(TEXT) == len(bank(tmp_path / "other", -16.0).speech(TEXT))
    assert clips.cache.normalisations == 0
