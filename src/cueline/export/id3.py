"""ID3v2.3 tags with chapters (CHAP + CTOC, the ID3v2 Chapter Frame Addendum), written as bytes.

Written here rather than through mutagen because mutagen orders frames by size when it saves, and
ffmpeg-based players list chapters in the order their frames appear: ours appear in playing order. The
tag is complete before any audio is encoded, so it is written first and the file is never moved.
mutagen still reads every tag back in the tests, as an independent reader.
"""

from __future__ import annotations

import struct

from cueline.export.tags import Tags

PADDING_BYTES = 1024  # room for a tag editor to change a title without rewriting the file
_NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: times are exact, and the bitrate is constant


def _encoded(text: str) -> tuple[int, bytes, bytes]:
    """ID3v2.3 text encoding: ISO-8859-1 when it can hold the text, else UTF-16 with a byte-order mark.
    Returns the encoding byte, the text, and that encoding's string terminator."""
    try:
        return 0, text.encode("latin-1"), b"\x00"
    except UnicodeEncodeError:
        return 1, text.encode("utf-16"), b"\x00\x00"


def _frame(frame_id: str, body: bytes) -> bytes:
    return frame_id.encode("ascii") + struct.pack(">IH", len(body), 0) + body


def _text(frame_id: str, text: str) -> bytes:
    encoding, data, _ = _encoded(text)
    return _frame(frame_id, bytes([encoding]) + data)


def _comment(text: str) -> bytes:
    encoding, data, end = _encoded(text)
    description = b"\xff\xfe" + end if encoding == 1 else end  # empty, in the same encoding
    return _frame("COMM", bytes([encoding]) + b"eng" + description + data)


def _syncsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))


def id3_tag(tags: Tags) -> bytes:
    """A complete ID3v2.3 tag: title, artist, album, comment, track, and the chapters in playing order
    under one ordered, top-level table of contents."""
    frames = [_text("TIT2", tags.title), _text("TPE1", tags.artist), _text("TALB", tags.album)]
    if tags.track is not None:
        frames.append(_text("TRCK", f"{tags.track[0]}/{tags.track[1]}"))
    frames.append(_comment(tags.comment))
    if tags.chapters:
        if len(tags.chapters) > 255:
            raise ValueError("an ID3 table of contents holds at most 255 chapters")
        ids = [f"chp{chapter.index}".encode("ascii") for chapter in tags.chapters]
        toc = b"toc\x00" + bytes([0x03, len(ids)]) + b"".join(i + b"\x00" for i in ids)  # top-level, ordered
        frames.append(_frame("CTOC", toc + _text("TIT2", tags.title)))
        for element_id, chapter in zip(ids, tags.chapters, strict=True):
            times = struct.pack(">IIII", chapter.start_ms, chapter.end_ms, _NO_OFFSET, _NO_OFFSET)
            frames.append(_frame("CHAP", element_id + b"\x00" + times + _text("TIT2", chapter.title)))
    body = b"".join(frames) + bytes(PADDING_BYTES)
    return b"ID3" + bytes([3, 0, 0]) + _syncsafe(len(body)) + body
