"""MP3 export, read back by ffmpeg, libsndfile (mpg123) and mutagen: exactly the timeline's length (the
LAME info frame trims the encoder's delay and padding), aligned with the render to the sample, at the
rendered loudness, with chapters in order and the tags asked for."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile
from measure import ffmpeg_decode, ffmpeg_decode_float, ffprobe, needs_ffmpeg
from mutagen.mp3 import MP3

from cueline.export import ExportFormat, ExportOptions
from cueline.export.files import export_routine
from cueline.export.mp3 import (
    ENCODER_DELAY_SAMPLES,
    FRAME_SAMPLES,
    _FrameCounter,
    crc16,
    frame_bytes,
)
from cueline.render import render_blocks
from cueline.session import Prepared


@pytest.fixture
def mp3(prepared: Prepared, tmp_path: Path) -> Path:
    target = tmp_path / "routine.mp3"
    export_routine(prepared, target, ExportOptions(ExportFormat.MP3))
    return target


def rendered(prepared: Prepared) -> np.ndarray:
    return np.concatenate(list(render_blocks(prepared.timeline, prepared.clips)))


@needs_ffmpeg
def test_ffmpeg_decodes_exactly_the_timelines_length(prepared: Prepared, mp3: Path) -> None:
    """Within one frame (576 samples at 22.05 kHz) is what the issue asks; the info frame makes it exact."""
    assert len(ffmpeg_decode(mp3)) == prepared.timeline.total_samples


def test_libsndfile_and_mutagen_agree_on_the_length(prepared: Prepared, mp3: Path) -> None:
    data, rate = soundfile.read(mp3, dtype="int16")
    assert (len(data), rate) == (prepared.timeline.total_samples, 22050)
    info = MP3(mp3).info
    assert info.length == pytest.approx(prepared.timeline.duration_s, abs=0.001)
    assert (info.sample_rate, info.channels, info.bitrate) == (22050, 1, 64000)


def test_the_lame_tag_accounts_for_every_sample(prepared: Prepared, mp3: Path) -> None:
    data = mp3.read_bytes()
    lame = MP3(mp3).info
    assert lame.encoder_info.startswith("LAME 3.100")
    tag_at = data.index(b"Info")
    frames = int.from_bytes(data[tag_at + 8 : tag_at + 12], "big")
    delay_padding = int.from_bytes(data[tag_at + 120 + 21 : tag_at + 120 + 24], "big")
    delay, padding = delay_padding >> 12, delay_padding & 0xFFF
    assert delay == ENCODER_DELAY_SAMPLES
    assert frames * FRAME_SAMPLES - delay - padding == prepared.timeline.total_samples
    assert 0 <= padding < 3 * FRAME_SAMPLES
    crc_at = tag_at - 13 + 4 + 9 + 120 + 34  # the tag's CRC covers the frame up to itself
    frame_at = tag_at - 13
    assert int.from_bytes(data[crc_at : crc_at + 2], "big") == crc16(data[frame_at:crc_at])


@needs_ffmpeg
def test_without_the_info_frame_the_delay_and_padding_would_be_heard(
    prepared: Prepared, mp3: Path, tmp_path: Path
) -> None:
    """Guards the test above: the exact length comes from the info frame, not from luck."""
    data = bytearray(mp3.read_bytes())
    at = data.index(b"Info")
    data[at : at + 4] = b"\x00\x00\x00\x00"
    blind = tmp_path / "blind.mp3"
    blind.write_bytes(bytes(data))
    assert len(ffmpeg_decode(blind)) - prepared.timeline.total_samples > FRAME_SAMPLES


@needs_ffmpeg
def test_the_audio_lines_up_with_the_render_at_the_rendered_level(prepared: Prepared, mp3: Path) -> None:
    reference = rendered(prepared).astype(np.float64)
    decoded = ffmpeg_decode(mp3).astype(np.float64)
    window = slice(22050, 22050 * 12)
    lags = range(-600, 601)
    scores = [np.dot(reference[window], np.roll(decoded, -lag)[window]) for lag in lags]
    assert lags[int(np.argmax(scores))] == 0
    level_db = 10 * np.log10(np.mean(decoded[window] ** 2) / np.mean(reference[window] ** 2))
    assert abs(level_db) < 0.15  # LAME's 0.95 input scale is undone
    assert np.max(np.abs(ffmpeg_decode_float(mp3))) < 1.0  # no sample clips


@needs_ffmpeg
def test_ffprobe_lists_a_chapter_per_step_in_order_with_titles_and_times(
    prepared: Prepared, mp3: Path
) -> None:
    chapters = ffprobe(mp3)["chapters"]
    titles = [c["tags"]["title"] for c in chapters]
    assert titles == ["Intro", "Neck", "Jaw & chin", "Temples", "Outro"]
    steps = prepared.timeline.steps
    for chapter, step in zip(chapters[1:-1], steps, strict=True):
        assert abs(float(chapter["start_time"]) - step.start_sample / 22050) <= 0.05
        assert abs(float(chapter["end_time"]) - step.end_sample / 22050) <= 0.05
    assert float(chapters[0]["start_time"]) == 0.0
    assert abs(float(chapters[-1]["end_time"]) - prepared.timeline.duration_s) <= 0.05


@needs_ffmpeg
def test_tags_name_the_routine_cueline_and_the_pacing(prepared: Prepared, mp3: Path) -> None:
    tags = ffprobe(mp3)["format"]["tags"]
    assert tags["title"] == "Évening face"
    assert (tags["artist"], tags["album"]) == ("cueline", "cueline")
    assert tags["comment"] == "pace 1, speech 165 wpm, loudness -16 LUFS"
    assert MP3(mp3).tags is not None and str(MP3(mp3).tags["TIT2"]) == "Évening face"


def test_the_bitrate_option_sets_the_constant_bitrate(prepared: Prepared, tmp_path: Path) -> None:
    sizes = {}
    for kbps in (48, 128):
        target = tmp_path / f"{kbps}.mp3"
        export_routine(prepared, target, ExportOptions(ExportFormat.MP3, kbps))
        assert MP3(target).info.bitrate == kbps * 1000
        sizes[kbps] = target.stat().st_size
    expected = prepared.timeline.duration_s * 128_000 / 8
    assert abs(sizes[128] - expected) < 0.05 * expected + 4096  # 4 KiB: the tag
    assert sizes[48] < sizes[128] / 2


def test_crc16_is_crc16_arc() -> None:
    assert crc16(b"123456789") == 0xBB3D  # the catalogued check value of CRC-16/ARC


def test_the_frame_counter_copes_with_frames_split_across_pieces(mp3: Path) -> None:
    data = mp3.read_bytes()
    stream = data[data.index(b"\xff\xf3") :]  # after the ID3 tag: the info frame, then LAME's frames
    whole = _FrameCounter()
    whole.feed(stream)
    pieces = _FrameCounter()
    cuts = sorted(np.random.default_rng(1).integers(0, len(stream), 200).tolist())
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        pieces.feed(stream[start:end])
    assert pieces.frames == whole.frames > 1
    tag_at = stream.index(b"Info")
    assert whole.frames == int.from_bytes(stream[tag_at + 8 : tag_at + 12], "big") + 1  # + the info frame
    assert frame_bytes(64) == 208 and stream[208:210] == b"\xff\xf3"  # LAME's first frame follows it


def test_the_stream_after_the_tag_starts_with_the_info_frame(mp3: Path) -> None:
    data = mp3.read_bytes()
    tag_size = 10 + sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    assert data[tag_size : tag_size + 4] == bytes([0xFF, 0xF3, 0x80, 0xC4])
    assert data[tag_size + 13 : tag_size + 17] == b"Info"
    assert MP3(io.BytesIO(data)).info.length > 0
