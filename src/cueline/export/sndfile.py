"""Streaming FLAC and Ogg Vorbis through libsndfile (soundfile), tagged with Vorbis comments and the
CHAPTERxxx / CHAPTERxxxNAME chapter fields."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from cueline.errors import ExportError
from cueline.export import ExportFormat, ExportOptions
from cueline.export.tags import Tags
from cueline.pcm import CHANNELS, SAMPLE_RATE_HZ
from cueline.wavfile import Samples

# Average bitrate of Ogg Vorbis at libsndfile's compression levels, measured on espeak-ng speech at
# 22.05 kHz mono (a routine's pauses cost almost nothing, so whole files average far less). Vorbis has no
# constant bitrate: --bitrate picks the level nearest its kbps, but never above _MOST_COMPRESSED: at
# coarser levels Vorbis's noise near 11 kHz lifted inter-sample peaks past -1 dBTP (measured: -0.1 dBTP at
# level 0.47, under -1.1 at 0.3 and finer, on every bundled routine).
_VORBIS_KBPS_BY_LEVEL = (
    (1.0, 31), (0.9, 36), (0.8, 42), (0.7, 49), (0.6, 56), (0.5, 62), (0.4, 70), (0.2, 89), (0.0, 107),
)  # fmt: skip
_MOST_COMPRESSED = 0.3
_CONTAINERS = {ExportFormat.FLAC: ("FLAC", "PCM_16"), ExportFormat.OGG: ("OGG", "VORBIS")}


def vorbis_level(kbps: int) -> float:
    """libsndfile's compression level (0 best, 1 smallest) for about `kbps` of speech, at most 0.3."""
    levels = [level for level, _ in _VORBIS_KBPS_BY_LEVEL]
    rates = [rate for _, rate in _VORBIS_KBPS_BY_LEVEL]
    return min(round(float(np.interp(kbps, rates, levels)), 3), _MOST_COMPRESSED)


class SndfileWriter:
    """FLAC (lossless, 16-bit) or Ogg Vorbis, written block by block."""

    def __init__(self, path: Path, options: ExportOptions, total_samples: int, tags: Tags | None) -> None:
        import soundfile

        self._path = path
        self._tags = tags
        self._format = options.format
        container, subtype = _CONTAINERS[options.format]
        level = vorbis_level(options.bitrate_kbps) if options.format is ExportFormat.OGG else None
        try:
            self._file: Any = soundfile.SoundFile(
                path,
                "w",
                samplerate=SAMPLE_RATE_HZ,
                channels=CHANNELS,
                format=container,
                subtype=subtype,
                compression_level=level,
            )
        except soundfile.LibsndfileError as exc:
            raise ExportError(f"could not start {options.format.value.upper()} encoding: {exc}") from exc

    def write(self, block: Samples) -> None:
        with self._reported():
            self._file.write(block)

    def finish(self) -> None:
        with self._reported():
            self._file.close()
        if self._tags is not None:
            write_vorbis_comments(self._path, self._format, self._tags)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # already failing: the first error is the one to report
            self._file.close()

    @contextlib.contextmanager
    def _reported(self) -> Iterator[None]:
        """libsndfile reports a failed write (a full disk, say) with no reason: name the likely one."""
        try:
            yield
        except RuntimeError as exc:  # soundfile.LibsndfileError
            raise OSError(
                errno.EIO,
                f"the {self._format.value.upper()} encoder could not write: {exc} (is the disk full?)",
            ) from exc


def _timestamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def vorbis_comments(tags: Tags) -> dict[str, str]:
    """The comment fields for `tags`, chapters numbered from 001 as the Xiph chapter extension shows."""
    fields = {"TITLE": tags.title, "ARTIST": tags.artist, "ALBUM": tags.album, "COMMENT": tags.comment}
    if tags.track is not None:
        fields["TRACKNUMBER"], fields["TRACKTOTAL"] = str(tags.track[0]), str(tags.track[1])
    for number, chapter in enumerate(tags.chapters, start=1):
        fields[f"CHAPTER{number:03d}"] = _timestamp(chapter.start_ms)
        fields[f"CHAPTER{number:03d}NAME"] = chapter.title
    return fields


def write_vorbis_comments(path: Path, fmt: ExportFormat, tags: Tags) -> None:
    """Tag a finished FLAC or Ogg Vorbis file in place."""
    from mutagen import FileType, MutagenError
    from mutagen.flac import FLAC
    from mutagen.oggvorbis import OggVorbis

    try:
        audio: FileType = FLAC(path) if fmt is ExportFormat.FLAC else OggVorbis(path)
        if audio.tags is None:
            audio.add_tags()
        assert audio.tags is not None
        for key, value in vorbis_comments(tags).items():
            audio.tags[key] = [value]
        audio.save()
    except MutagenError as exc:
        raise ExportError(f"could not tag {path.name}: {exc}") from exc
