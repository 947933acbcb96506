"""cueline's PCM format as WAV bytes, without numpy: the header, the whole file, and the PCM read back out.

Kept apart from `wavfile.py` (which converts to and from numpy samples) so that the start bell can be read
and played before numpy has loaded (see `live.py`).
"""

from __future__ import annotations

import hashlib
import struct

from cueline.pcm import CHANNELS, SAMPLE_RATE_HZ, SAMPLE_WIDTH_BYTES

_DIGEST_CHUNK = b"cdig"


class WavFormatError(ValueError):
    """The bytes are not a WAV in cueline's format, or are damaged."""


def wav_header(frames: int) -> bytes:
    """A 44-byte RIFF/WAVE header for `frames` mono 16-bit samples at cueline's rate."""
    data_bytes = frames * CHANNELS * SAMPLE_WIDTH_BYTES
    byte_rate = SAMPLE_RATE_HZ * CHANNELS * SAMPLE_WIDTH_BYTES
    return (
        struct.pack("<4sI4s", b"RIFF", 36 + data_bytes, b"WAVE")
        + struct.pack(
            "<4sIHHIIHH",
            b"fmt ",
            16,
            1,
            CHANNELS,
            SAMPLE_RATE_HZ,
            byte_rate,
            CHANNELS * SAMPLE_WIDTH_BYTES,
            SAMPLE_WIDTH_BYTES * 8,
        )
        + struct.pack("<4sI", b"data", data_bytes)
    )


def wav_bytes(pcm: bytes, with_digest: bool = False) -> bytes:
    """A WAV file holding `pcm` (16-bit little-endian); with_digest appends a chunk holding its sha256."""
    body = wav_header(len(pcm) // SAMPLE_WIDTH_BYTES)[8:] + pcm
    if with_digest:
        body += _DIGEST_CHUNK + struct.pack("<I", 32) + hashlib.sha256(pcm).digest()
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wav_pcm(data: bytes, require_digest: bool = False) -> bytes:
    """The PCM bytes (16-bit little-endian) of a WAV in cueline's format; raises WavFormatError on anything
    else or any damage."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavFormatError("not a RIFF/WAVE file")
    chunks: dict[bytes, bytes] = {}
    offset = 12
    while offset + 8 <= len(data):
        name, size = struct.unpack_from("<4sI", data, offset)
        body = data[offset + 8 : offset + 8 + size]
        if len(body) != size:
            raise WavFormatError(f"chunk {name!r} is truncated")
        chunks.setdefault(name, body)
        offset += 8 + size + (size & 1)
    fmt, pcm = chunks.get(b"fmt "), chunks.get(b"data")
    if fmt is None or pcm is None:
        raise WavFormatError("missing fmt or data chunk")
    tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", fmt)
    if (tag, channels, rate, bits) != (1, CHANNELS, SAMPLE_RATE_HZ, SAMPLE_WIDTH_BYTES * 8):
        raise WavFormatError(
            f"expected 16-bit mono PCM at {SAMPLE_RATE_HZ} Hz, got {bits}-bit, {channels} ch, {rate} Hz"
        )
    if not pcm or len(pcm) % SAMPLE_WIDTH_BYTES:
        raise WavFormatError("no audio data")
    if require_digest:
        digest = chunks.get(_DIGEST_CHUNK)
        if digest is None or digest != hashlib.sha256(pcm).digest():
            raise WavFormatError("digest does not match the audio data")
    return pcm
