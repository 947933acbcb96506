"""The ID3v2.3 tag, read back by mutagen: every field, chapters in playing order, any language."""

from __future__ import annotations

import io
import re

import pytest
from mutagen.id3 import ID3, CTOCFlags

from cueline.export.chapters import Chapter
from cueline.export.id3 import id3_tag
from cueline.export.tags import Tags

CHAPTERS = (
    Chapter(0, "Intro", 0, 22050 * 3),
    Chapter(1, "Nacken – sanft", 22050 * 3, 22050 * 20),  # not Latin-1: written as UTF-16
    Chapter(2, "Outro", 22050 * 20, 22050 * 25),
)


def read(tag: bytes) -> ID3:
    return ID3(io.BytesIO(tag + bytes(1000)))


def test_mutagen_reads_every_field_of_the_tag() -> None:
    tags = Tags(title="Gesicht", album="cueline", comment="pace 1, speech 165 wpm", track=(2, 7))
    found = read(id3_tag(tags))
    assert found.version == (2, 3, 0)
    assert str(found["TIT2"]) == "Gesicht"
    assert str(found["TPE1"]) == "cueline"
    assert str(found["TALB"]) == "cueline"
    assert str(found["TRCK"]) == "2/7"
    assert found.getall("COMM")[0].text == ["pace 1, speech 165 wpm"]
    assert found.getall("CHAP") == []


def test_chapters_are_in_playing_order_under_an_ordered_top_level_toc() -> None:
    tag = id3_tag(Tags(title="Évening face", album="cueline", comment="c", chapters=CHAPTERS))
    found = read(tag)
    [toc] = found.getall("CTOC")
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    chaps = {chap.element_id: chap for chap in found.getall("CHAP")}
    listed = [chaps[element_id] for element_id in toc.child_element_ids]
    assert [(c.start_time, c.end_time, str(c.sub_frames["TIT2"])) for c in listed] == [
        (0, 3000, "Intro"),
        (3000, 20000, "Nacken – sanft"),
        (20000, 25000, "Outro"),
    ]
    assert str(found["TIT2"]) == "Évening face"
    # The frames themselves are in playing order (ffmpeg lists chapters in file order): the element id
    # follows each CHAP frame's 10-byte header.
    in_file = [m.start() for m in re.finditer(b"CHAP", tag)]
    assert [tag[at + 10 : tag.index(b"\x00", at + 10)] for at in in_file] == [b"chp0", b"chp1", b"chp2"]


def test_a_toc_holds_at_most_255_chapters() -> None:
    many = tuple(Chapter(i, f"Step {i}", i * 10, i * 10 + 10) for i in range(256))
    with pytest.raises(ValueError, match="255"):
        id3_tag(Tags(title="t", album="a", comment="c", chapters=many))
