"""FLAC and Ogg Vorbis export, read back by libsndfile, ffmpeg and mutagen: FLAC is the render bit for bit,
Vorbis the timeline's length; both carry Vorbis-comment tags and CHAPTERxxx chapters ffprobe lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile
from measure import ffmpeg_decode, ffmpeg_decode_float, ffprobe, needs_ffmpeg
from mutagen.flac import FLAC
from mutagen.oggvorbis import OggVorbis

from cueline.export import ExportFormat, ExportOptions
from cueline.export.files import export_routine
from cueline.export.sndfile import vorbis_level
from cueline.render import render_blocks
from cueline.session import Prepared

FORMATS = pytest.mark.parametrize("fmt", [ExportFormat.FLAC, ExportFormat.OGG])


def export(prepared: Prepared, tmp_path: Path, fmt: ExportFormat, kbps: int = 64) -> Path:
    target = tmp_path / f"routine-{kbps}.{fmt.value}"
    export_routine(prepared, target, ExportOptions(fmt, kbps))
    return target


def test_flac_is_the_render_bit_for_bit(prepared: Prepared, tmp_path: Path) -> None:
    target = export(prepared, tmp_path, ExportFormat.FLAC)
    data, rate = soundfile.read(target, dtype="int16")
    assert rate == 22050
    np.testing.assert_array_equal(
        data, np.concatenate(list(render_blocks(prepared.timeline, prepared.clips)))
    )
    assert soundfile.info(target).format == "FLAC"


@needs_ffmpeg
@FORMATS
def test_both_decode_to_the_timelines_length_without_clipping(
    prepared: Prepared, tmp_path: Path, fmt: ExportFormat
) -> None:
    target = export(prepared, tmp_path, fmt)
    assert len(ffmpeg_decode(target)) == prepared.timeline.total_samples
    assert soundfile.info(target).frames == prepared.timeline.total_samples
    assert np.max(np.abs(ffmpeg_decode_float(target))) < 1.0


@needs_ffmpeg
@FORMATS
def test_ffprobe_lists_the_chapters_in_order_at_the_steps(
    prepared: Prepared, tmp_path: Path, fmt: ExportFormat
) -> None:
    chapters = ffprobe(export(prepared, tmp_path, fmt))["chapters"]
    assert [c["tags"]["title"] for c in chapters] == ["Intro", "Neck", "Jaw & chin", "Temples", "Outro"]
    starts = [
        0,
        *(step.start_sample for step in prepared.timeline.steps),
        prepared.timeline.steps[-1].end_sample,
    ]
    for chapter, start in zip(chapters, starts, strict=True):
        assert abs(float(chapter["start_time"]) - start / 22050) <= 0.05


@FORMATS
def test_mutagen_reads_the_comments_and_chapter_fields(
    prepared: Prepared, tmp_path: Path, fmt: ExportFormat
) -> None:
    target = export(prepared, tmp_path, fmt)
    tags = (FLAC(target) if fmt is ExportFormat.FLAC else OggVorbis(target)).tags
    assert tags is not None
    assert (tags["TITLE"], tags["ARTIST"], tags["ALBUM"]) == (["Évening face"], ["cueline"], ["cueline"])
    assert tags["COMMENT"] == ["pace 1, speech 165 wpm, loudness -16 LUFS"]
    assert tags["CHAPTER001NAME"] == ["Intro"] and tags["CHAPTER001"] == ["00:00:00.000"]
    neck = prepared.timeline.steps[0].start_sample / 22050
    assert tags["CHAPTER002NAME"] == ["Neck"]
    assert tags["CHAPTER002"] == [f"00:00:{int(neck):02d}.{round(neck * 1000) % 1000:03d}"]
    assert "CHAPTER006" not in tags and tags["CHAPTER005NAME"] == ["Outro"]


def test_the_vorbis_bitrate_follows_the_option_within_its_floor(prepared: Prepared, tmp_path: Path) -> None:
    assert vorbis_level(48) == vorbis_level(64) == 0.3  # coarser would overshoot the peak limit
    assert vorbis_level(160) < vorbis_level(96) < vorbis_level(80) <= 0.3
    small = export(prepared, tmp_path, ExportFormat.OGG, 64).stat().st_size
    large = export(prepared, tmp_path, ExportFormat.OGG, 160).stat().st_size
    assert small < large
