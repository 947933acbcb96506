"""The speech cache: one render per (text, voice, rate, engine), one normalisation per loudness target,
damaged entries never played, concurrent writers agreeing on one clip, and the shaping of what the engine
returns. All with the ToneSpeech fake."""

from __future__ import annotations

import multiprocessing
import os
import traceback
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from cueline import defaults
from cueline.errors import SpeechEngineError
from cueline.loudness import clip_lufs, normalise
from cueline.pcm import CHANNELS, SAMPLE_RATE_HZ, SAMPLE_WIDTH_BYTES, seconds_to_samples
from cueline.riff import WavFormatError
from cueline.speech_cache import SpeechCache, shape_speech
from cueline.wavfile import Samples, decode_wav

from fakes import ToneSpeech

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier

TEXT = "Glide your fingers up to the jaw."
VOICE = "en-us"
RATE_WPM = 165
TARGET = defaults.LOUDNESS_LUFS
WRITERS = 4
CHILD_TIMEOUT_S = 60.0  # generous: a spawned child imports numpy and cueline before it renders
_PCM_OFFSET = 44  # RIFF header (12) + fmt chunk (24) + data chunk header (8)


def fresh_render(text: str = TEXT, voice: str = VOICE, rate_wpm: int = RATE_WPM) -> Samples:
    """What a cache miss stores as spoken: the fake engine's clip, shaped."""
    return shape_speech(ToneSpeech().synthesize(text, voice, rate_wpm), text)


def fresh_normalised(target_lufs: float = TARGET) -> Samples:
    """What a cache miss must return at a loudness target: the spoken clip, normalised."""
    return normalise(fresh_render(), target_lufs, defaults.TRUE_PEAK_DBTP)


def entries(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.wav"))


def leftovers(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.partial"))


# --- hits and misses -------------------------------------------------------------------------------------


def test_miss_renders_once_and_stores_a_wav_entry(tone: ToneSpeech, tmp_path: Path) -> None:
    cache = SpeechCache(tone, tmp_path / "cache")

    clip = cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)

    assert tone.calls == [TEXT]
    assert (cache.renders, cache.normalisations) == (1, 1)
    np.testing.assert_array_equal(clip, fresh_normalised())
    spoken = cache.entry_path(TEXT, VOICE, RATE_WPM)
    path = cache.normalised_path(TEXT, VOICE, RATE_WPM, TARGET)
    assert entries(tmp_path / "cache") == sorted([spoken, path])
    assert leftovers(tmp_path / "cache") == []
    np.testing.assert_array_equal(decode_wav(spoken.read_bytes()), fresh_render())
    # An independent reader agrees on the format and the audio (it skips the digest chunk).
    with wave.open(str(path), "rb") as reader:
        assert reader.getnchannels() == CHANNELS
        assert reader.getsampwidth() == SAMPLE_WIDTH_BYTES
        assert reader.getframerate() == SAMPLE_RATE_HZ
        assert reader.getnframes() == len(clip)
        stored = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    np.testing.assert_array_equal(stored, clip)


def test_without_a_target_the_clip_is_as_spoken_and_nothing_is_normalised(
    tone: ToneSpeech, tmp_path: Path
) -> None:
    cache = SpeechCache(tone, tmp_path)

    clip = cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=None)

    np.testing.assert_array_equal(clip, fresh_render())
    assert (cache.renders, cache.normalisations) == (1, 0)
    assert entries(tmp_path) == [cache.entry_path(TEXT, VOICE, RATE_WPM)]


def test_hit_reads_the_entry_without_rendering(tone: ToneSpeech, tmp_path: Path) -> None:
    cache = SpeechCache(tone, tmp_path)
    first = cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)

    again = cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)

    assert tone.calls == [TEXT]
    assert (cache.renders, cache.normalisations) == (1, 1)
    np.testing.assert_array_equal(again, first)


def test_a_new_cache_on_the_same_directory_hits(tmp_path: Path) -> None:
    first = SpeechCache(ToneSpeech(), tmp_path).clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)
    later_engine = ToneSpeech()
    later = SpeechCache(later_engine, tmp_path)  # what the next run of cueline builds

    clip = later.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)

    assert later_engine.calls == []
    assert (later.renders, later.normalisations) == (0, 0)
    np.testing.assert_array_equal(clip, first)


def test_another_loudness_target_is_normalised_from_the_spoken_entry_without_rendering(
    tmp_path: Path,
) -> None:
    SpeechCache(ToneSpeech(), tmp_path).clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)
    later_engine = ToneSpeech()
    later = SpeechCache(later_engine, tmp_path)

    quieter = later.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET - 7)

    assert later_engine.calls == []
    assert (later.renders, later.normalisations) == (0, 1)
    assert len(entries(tmp_path)) == 3  # one spoken entry, one normalised entry per target
    np.testing.assert_array_equal(quieter, fresh_normalised(TARGET - 7))
    louder = later.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)
    assert clip_lufs(louder / 32768) - clip_lufs(quieter / 32768) == pytest.approx(7, abs=0.1)
    assert len(quieter) == len(louder) == len(fresh_render())


class RenamedTone(ToneSpeech):
    """The same tone from an 'upgraded' engine: the cache must not reuse the old engine's clips."""

    identity = "tone-2"


@pytest.mark.parametrize(
    ("text", "voice", "rate_wpm", "engine_type"),
    [
        pytest.param("Glide your fingers up to the cheek.", VOICE, RATE_WPM, ToneSpeech, id="text"),
        pytest.param(TEXT, "de", RATE_WPM, ToneSpeech, id="voice"),
        pytest.param(TEXT, VOICE, 150, ToneSpeech, id="rate"),
        pytest.param(TEXT, VOICE, RATE_WPM, RenamedTone, id="engine-identity"),
    ],
)
def test_each_setting_that_changes_the_audio_has_its_own_entry(
    tmp_path: Path, text: str, voice: str, rate_wpm: int, engine_type: type[ToneSpeech]
) -> None:
    base_engine = ToneSpeech()
    base = SpeechCache(base_engine, tmp_path)
    base.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)
    other_engine = engine_type()
    other = SpeechCache(other_engine, tmp_path)

    assert other.entry_path(text, voice, rate_wpm) != base.entry_path(TEXT, VOICE, RATE_WPM)
    assert other.normalised_path(text, voice, rate_wpm, TARGET) != base.normalised_path(
        TEXT, VOICE, RATE_WPM, TARGET
    )
    other.clip(text, voice, rate_wpm, target_lufs=TARGET)

    assert other_engine.calls == [text]
    assert len(entries(tmp_path)) == 4  # spoken and normalised, for each
    base.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)  # the first entries are still there, untouched
    assert base_engine.calls == [TEXT]


# --- damaged entries -------------------------------------------------------------------------------------


def _truncate_mid_audio(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _cut_off_digest(data: bytes) -> bytes:
    return data[:-40]  # the digest chunk: 8 bytes of header and a 32-byte sha256


def _flip_one_pcm_byte(data: bytes) -> bytes:
    middle = _PCM_OFFSET + (len(data) - _PCM_OFFSET) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def _garbage(data: bytes) -> bytes:
    return bytes(range(256)) * (len(data) // 256 + 1)


def _empty(data: bytes) -> bytes:
    return b""


DAMAGES = pytest.mark.parametrize(
    "damage",
    [_truncate_mid_audio, _cut_off_digest, _flip_one_pcm_byte, _garbage, _empty],
    ids=["truncated", "digest-cut-off", "pcm-byte-flipped", "garbage", "zero-length"],
)


@DAMAGES
def test_a_damaged_spoken_entry_is_rendered_again_never_returned(
    tone: ToneSpeech, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    cache = SpeechCache(tone, tmp_path)
    cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=None)
    path = cache.entry_path(TEXT, VOICE, RATE_WPM)
    damaged = damage(path.read_bytes())
    path.write_bytes(damaged)

    clip = cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=None)

    assert tone.calls == [TEXT, TEXT]
    np.testing.assert_array_equal(clip, fresh_render())
    np.testing.assert_array_equal(decode_wav(path.read_bytes(), require_digest=True), clip)  # repaired
    assert leftovers(tmp_path) == []


@DAMAGES
def test_a_damaged_normalised_entry_is_normalised_again_from_the_spoken_one(
    tone: ToneSpeech, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    cache = SpeechCache(tone, tmp_path)
    cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)
    path = cache.normalised_path(TEXT, VOICE, RATE_WPM, TARGET)
    path.write_bytes(damage(path.read_bytes()))

    clip = cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)

    assert tone.calls == [TEXT]  # spoken once: the spoken entry was fine
    assert cache.normalisations == 2
    np.testing.assert_array_equal(clip, fresh_normalised())
    np.testing.assert_array_equal(decode_wav(path.read_bytes(), require_digest=True), clip)  # repaired
    assert leftovers(tmp_path) == []


def test_a_flipped_pcm_byte_is_only_visible_to_the_digest(tmp_path: Path) -> None:
    """Guards the test above: the flip really lands in the audio and still parses as a WAV."""
    cache = SpeechCache(ToneSpeech(), tmp_path)
    cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=None)
    damaged = _flip_one_pcm_byte(cache.entry_path(TEXT, VOICE, RATE_WPM).read_bytes())

    samples = decode_wav(damaged)

    assert np.count_nonzero(samples != fresh_render()) == 1
    with pytest.raises(WavFormatError, match="digest"):
        decode_wav(damaged, require_digest=True)


class SilentSpeech(ToneSpeech):
    """An engine that returns a clip with no audible sound (espeak-ng now and then does)."""

    def synthesize(self, text: str, voice: str, rate_wpm: int) -> Samples:
        return np.zeros_like(super().synthesize(text, voice, rate_wpm))


def test_a_failed_render_leaves_no_entry(tmp_path: Path) -> None:
    cache = SpeechCache(SilentSpeech(), tmp_path)

    with pytest.raises(SpeechEngineError, match="only silence"):
        cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)

    assert entries(tmp_path) == []
    assert leftovers(tmp_path) == []


# --- concurrent writers ----------------------------------------------------------------------------------


def _process_tag(pid: int) -> int:
    """A sample value that names the process that rendered a clip (louder than any tone sample)."""
    return 10_000 + pid % 20_000


class ProcessTaggedTone(ToneSpeech):
    """ToneSpeech whose clip carries the rendering process's id in its middle sample, so a test can tell
    whose render won. It waits for every writer inside synthesize, so all of them miss and then all write
    at once: the race is certain, not hoped for."""

    def __init__(self, everyone_rendered: Barrier) -> None:
        super().__init__()
        self._everyone_rendered = everyone_rendered

    def synthesize(self, text: str, voice: str, rate_wpm: int) -> Samples:
        samples = super().synthesize(text, voice, rate_wpm)
        samples[len(samples) // 2] = _process_tag(os.getpid())
        self._everyone_rendered.wait(timeout=CHILD_TIMEOUT_S)
        return samples


@dataclass(frozen=True)
class WriterResult:
    pid: int
    renders: int
    clip: bytes
    error: str = ""


def _write_in_child(directory: str, everyone_rendered: Barrier, results: Queue[WriterResult]) -> None:
    """One cueline process: its own engine and cache on the shared directory."""
    try:
        cache = SpeechCache(ProcessTaggedTone(everyone_rendered), Path(directory))
        clip = cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)
        results.put(WriterResult(os.getpid(), cache.renders, clip.tobytes()))
    except BaseException:
        results.put(WriterResult(os.getpid(), -1, b"", traceback.format_exc()))


def test_concurrent_writers_all_get_the_first_writers_clip(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    everyone_rendered = context.Barrier(WRITERS)
    results: Queue[WriterResult] = context.Queue()
    writers = [
        context.Process(target=_write_in_child, args=(str(tmp_path), everyone_rendered, results))
        for _ in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    try:
        got = [results.get(timeout=CHILD_TIMEOUT_S) for _ in writers]
    finally:
        for writer in writers:
            writer.join(timeout=CHILD_TIMEOUT_S)
            if writer.is_alive():
                writer.terminate()

    assert [r.error for r in got] == [""] * WRITERS
    assert [w.exitcode for w in writers] == [0] * WRITERS
    assert [r.renders for r in got] == [1] * WRITERS  # every writer missed and rendered its own clip
    assert len({r.clip for r in got}) == 1  # ... yet all of them play the same one
    clip = np.frombuffer(got[0].clip, dtype=np.int16)
    cache = SpeechCache(ToneSpeech(), tmp_path)
    spoken = decode_wav(cache.entry_path(TEXT, VOICE, RATE_WPM).read_bytes(), require_digest=True)
    winner_tag = int(spoken[np.argmax(spoken)])
    assert winner_tag in {_process_tag(r.pid) for r in got}
    # What they play is the winner's spoken clip, normalised: no writer normalised its own render.
    np.testing.assert_array_equal(clip, normalise(spoken, TARGET, defaults.TRUE_PEAK_DBTP))
    normalised = cache.normalised_path(TEXT, VOICE, RATE_WPM, TARGET)
    assert entries(tmp_path) == sorted([cache.entry_path(TEXT, VOICE, RATE_WPM), normalised])
    np.testing.assert_array_equal(decode_wav(normalised.read_bytes(), require_digest=True), clip)
    assert leftovers(tmp_path) == []


# --- shaping ---------------------------------------------------------------------------------------------

LOUD = 8000


def _silence(n: int) -> Samples:
    return np.zeros(n, dtype=np.int16)


def _loud(n: int) -> Samples:
    return np.full(n, LOUD, dtype=np.int16)


def _edges(shaped: Samples) -> tuple[int, int]:
    """Samples of quiet before the first and after the last loud sample."""
    loud = np.flatnonzero(np.abs(shaped.astype(np.int32)) > defaults.SILENCE_THRESHOLD)
    return int(loud[0]), len(shaped) - 1 - int(loud[-1])


def test_shape_trims_silence_and_keeps_a_short_pad() -> None:
    burst = 5000
    raw = np.concatenate([_silence(3000), _loud(burst), _silence(4000)])

    shaped = shape_speech(raw, "Neck.")

    lead, trail = _edges(shaped)
    assert 0 < lead <= seconds_to_samples(0.05)
    assert trail == lead
    assert len(shaped) == burst + lead + trail
    assert np.all(shaped[:lead] == 0)
    assert np.all(shaped[-trail:] == 0)
    np.testing.assert_array_equal(shaped[lead : lead + burst], _loud(burst))  # the sound itself untouched


def test_shape_fades_sound_that_starts_and_ends_at_the_clip_edges() -> None:
    raw = _loud(5000)

    shaped = shape_speech(raw, "Neck.")

    assert len(shaped) == len(raw)  # no silence to trim, and none added
    assert shaped[0] == 0 and shaped[-1] < LOUD // 10  # no click at either edge
    assert np.all(np.diff(shaped[:50].astype(np.int32)) >= 0)  # a ramp up, not a step
    assert shaped[len(shaped) // 2] == LOUD


def test_shape_treats_the_silence_threshold_as_silence() -> None:
    hum = np.full(3000, defaults.SILENCE_THRESHOLD, dtype=np.int16)
    hum[1::2] = -defaults.SILENCE_THRESHOLD
    raw = np.concatenate([hum, _loud(2000), hum])

    shaped = shape_speech(raw, "Neck.")

    lead, trail = _edges(shaped)
    assert len(shaped) == 2000 + lead + trail
    assert lead <= seconds_to_samples(0.05)


def test_shape_keeps_a_full_scale_negative_sample() -> None:
    """-32768 has no positive int16 counterpart: taking abs() in int16 would call it silence."""
    raw = _silence(4000)
    raw[2000] = np.iinfo(np.int16).min

    shaped = shape_speech(raw, "Tap.")

    assert len(shaped) < len(raw)
    assert shaped.min() < -defaults.SILENCE_THRESHOLD


@pytest.mark.parametrize(
    "raw",
    [
        _silence(22050),
        np.full(22050, defaults.SILENCE_THRESHOLD, dtype=np.int16),
        np.full(22050, -defaults.SILENCE_THRESHOLD, dtype=np.int16),
        _silence(0),
    ],
    ids=["zeros", "hum-at-threshold", "negative-hum-at-threshold", "empty"],
)
def test_shape_rejects_a_clip_with_no_sound(raw: Samples) -> None:
    with pytest.raises(SpeechEngineError, match=r"only silence for 'Slide the palms\.'"):
        shape_speech(raw, "Slide the palms.")


# --- an unusable cache folder ----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["under-a-file", "is-a-file"])
def test_an_unusable_cache_folder_names_the_setting_to_change(tmp_path: Path, layout: str) -> None:
    # Tests run as root, and chmod does not stop root: a regular file in the way stops everyone.
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder\n")
    directory = blocker / "cache" if layout == "under-a-file" else blocker
    cache = SpeechCache(ToneSpeech(), directory)

    with pytest.raises(SpeechEngineError) as caught:
        cache.clip(TEXT, VOICE, RATE_WPM, target_lufs=TARGET)

    assert str(directory) in str(caught.value)
    assert "CUELINE_CACHE_DIR" in str(caught.value)
