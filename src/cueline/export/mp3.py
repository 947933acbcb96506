"""Streaming MP3 through LAME (lameenc), gapless, with ID3v2.3 tags and chapters (CHAP + CTOC).

lameenc turns off LAME's own info frame (it has no file to seek back into), so players would not know
LAME's 576-sample lead-in or the padding of the last frame: the audio would start late and run long. This
writer leaves room for that frame at the start, streams the audio after it, and fills it in at the end
in LAME's format ("Info" tag plus LAME extension with delay and padding), which ffmpeg, mpg123, mutagen
and phone players read to trim the stream to the exact length rendered.

libmp3lame also scales its input by 0.95 (measured: -0.446 dB on a sine, at every bitrate), which would
leave every MP3 half an LU under the loudness rendered; the writer gives LAME the blocks divided by 0.95.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

from cueline.errors import ExportError
from cueline.export import ExportOptions
from cueline.export.id3 import id3_tag
from cueline.export.tags import Tags
from cueline.pcm import CHANNELS, SAMPLE_RATE_HZ
from cueline.wavfile import Samples

FRAME_SAMPLES = 576  # MPEG-2 layer III (22.05 kHz): 576 samples a frame
ENCODER_DELAY_SAMPLES = 576  # LAME's lead-in; decoders add their own 529 samples and know to
LAME_VERSION = b"LAME3.100"  # the encoder inside lameenc, in the tag's 9-byte version field
LAME_QUALITY = 2  # LAME's "near-best, not too slow": ~250x realtime for mono speech at 22.05 kHz
LAME_INPUT_SCALE = 0.95  # libmp3lame's default input scale (lameenc cannot set it): undone before encoding
_BITRATE_INDEX = {
    kbps: index for index, kbps in enumerate((8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160), 1)
}
_KBPS_BY_INDEX = {index: kbps for kbps, index in _BITRATE_INDEX.items()}
_SIDE_INFO_BYTES = 9  # MPEG-2, mono
_XING_BYTES = 120  # "Info", flags, frames, bytes, 100-entry TOC, quality
_LAME_BYTES = 36
_TAG_CRC_AT = 4 + _SIDE_INFO_BYTES + _XING_BYTES + _LAME_BYTES - 2


def frame_bytes(kbps: int, padded: bool = False) -> int:
    """Bytes in one MPEG-2 layer III frame at 22.05 kHz."""
    return 72_000 * kbps // SAMPLE_RATE_HZ + int(padded)


def _info_frame_kbps(kbps: int) -> int:
    """The stream's bitrate for the info frame, or the lowest that holds the tag if that is too small."""
    needed = _TAG_CRC_AT + 2
    return min(k for k in _BITRATE_INDEX if k >= kbps and frame_bytes(k) >= needed)


def _header(kbps: int) -> bytes:
    """MPEG-2 layer III, no CRC, 22.05 kHz, unpadded, mono, 'original': as LAME writes its frames."""
    return bytes([0xFF, 0xF3, _BITRATE_INDEX[kbps] << 4, 0xC4])


def crc16(data: bytes) -> int:
    """CRC-16/ARC (polynomial 0x8005, reflected), the checksum of the LAME tag."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def info_frame(kbps: int, frames: int, stream_bytes: int, samples: int) -> bytes:
    """The LAME info frame for a constant-bitrate stream of `frames` audio frames holding `samples`.

    `frames` excludes this frame and `stream_bytes` includes it, as LAME counts them; the padding is what
    the last frames hold beyond the encoder's lead-in and the samples rendered."""
    padding = frames * FRAME_SAMPLES - ENCODER_DELAY_SAMPLES - samples
    if not 0 <= padding < 1 << 12:
        raise ExportError(f"internal error: MP3 padding of {padding} samples does not fit the LAME tag")
    size = frame_bytes(_info_frame_kbps(kbps))
    frame = bytearray(size)
    frame[:4] = _header(_info_frame_kbps(kbps))
    at = 4 + _SIDE_INFO_BYTES
    toc = bytes(i * 256 // 100 for i in range(100))  # constant bitrate: byte offset is linear in time
    frame[at : at + _XING_BYTES] = (
        b"Info"
        + struct.pack(">III", 0x0F, frames, stream_bytes)
        + toc
        + struct.pack(">I", 100 - LAME_QUALITY)
    )
    at += _XING_BYTES
    frame[at : at + _LAME_BYTES - 2] = (
        LAME_VERSION
        + bytes([0x01, 0])  # tag revision 0, CBR; lowpass unknown
        + bytes(4 + 2 + 2 + 1)  # peak, two replay gains, ATH/flags: not given
        + bytes([min(kbps, 255)])
        + (ENCODER_DELAY_SAMPLES << 12 | padding).to_bytes(3, "big")
        + bytes(1 + 1 + 2)  # source rate <= 32 kHz, mono; MP3Gain; preset
        + struct.pack(">I", stream_bytes)
        + bytes(2)  # music CRC: not checked by readers, and seconds of Python per hour of audio
    )
    frame[_TAG_CRC_AT : _TAG_CRC_AT + 2] = struct.pack(">H", crc16(bytes(frame[:_TAG_CRC_AT])))
    return bytes(frame)


class _FrameCounter:
    """Counts the MPEG frames in a byte stream fed in arbitrary pieces, by walking their headers."""

    def __init__(self) -> None:
        self.frames = 0
        self._skip = 0  # bytes of the current frame still to come
        self._partial = b""  # a header split across pieces

    def feed(self, data: bytes) -> None:
        view = self._partial + data if self._partial else data
        at = self._skip
        while at + 4 <= len(view):
            header = view[at : at + 4]
            index = header[2] >> 4
            if header[0] != 0xFF or header[1] & 0xFE != 0xF2 or index not in _KBPS_BY_INDEX:
                raise ExportError(f"internal error: the MP3 encoder wrote no frame header at byte {at}")
            at += frame_bytes(_KBPS_BY_INDEX[index], padded=bool(header[2] & 0x02))
            self.frames += 1
        if at >= len(view):
            self._skip, self._partial = at - len(view), b""
        else:
            self._skip, self._partial = 0, bytes(view[at:])


class Mp3Writer:
    """Constant-bitrate MP3 at 22.05 kHz mono, gapless (see the module's docstring): the ID3 tag, then the
    info frame (filled in at the end), then LAME's frames."""

    def __init__(self, path: Path, options: ExportOptions, total_samples: int, tags: Tags | None) -> None:
        import lameenc

        self._kbps = options.bitrate_kbps
        self._encoder = lameenc.Encoder()
        self._encoder.set_channels(CHANNELS)
        self._encoder.set_in_sample_rate(SAMPLE_RATE_HZ)
        self._encoder.set_out_sample_rate(SAMPLE_RATE_HZ)
        self._encoder.set_bit_rate(self._kbps)
        self._encoder.set_quality(LAME_QUALITY)
        self._encoder.silence()
        self._samples = 0
        self._counter = _FrameCounter()
        self._file: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by close(), whatever happens
        self._file.write(id3_tag(tags) if tags is not None else b"")
        self._stream_start = self._file.tell()
        self._file.write(bytes(frame_bytes(_info_frame_kbps(self._kbps))))  # filled in by finish()

    def write(self, block: Samples) -> None:
        # LAME scales what it is given by 0.95 (-0.45 dB); undo that so the file decodes at the loudness
        # rendered. Peaks stay far from full scale: they are under the limiter's ceiling.
        lifted = np.clip(np.round(block / LAME_INPUT_SCALE), -32768, 32767).astype("<i2")
        self._emit(bytes(self._encoder.encode(lifted.tobytes())))
        self._samples += len(block)

    def _emit(self, data: bytes) -> None:
        self._counter.feed(data)
        self._file.write(data)

    def finish(self) -> None:
        if self._samples:
            self._emit(bytes(self._encoder.flush()))
        stream_bytes = self._file.tell() - self._stream_start
        self._file.seek(self._stream_start)
        self._file.write(info_frame(self._kbps, self._counter.frames, stream_bytes, self._samples))
        self._file.close()

    def close(self) -> None:
        self._file.close()
