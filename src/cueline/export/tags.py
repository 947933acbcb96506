"""What a file says about itself: title, artist, album, a comment with the pacing, and its chapters."""

from __future__ import annotations

from dataclasses import dataclass

from cueline.export.chapters import Chapter, chapters_for
from cueline.timeline import Timeline

ARTIST = "cueline"


@dataclass(frozen=True)
class Tags:
    """Tags for one file, whatever its format."""

    title: str
    album: str
    comment: str
    artist: str = ARTIST
    chapters: tuple[Chapter, ...] = ()
    track: tuple[int, int] | None = None  # (number, of) for one file of a playlist


def describe_loudness(target_lufs: float | None) -> str:
    """The loudness part of a file's comment."""
    return "loudness as spoken" if target_lufs is None else f"loudness {target_lufs:g} LUFS"


def tags_for(timeline: Timeline, target_lufs: float | None) -> Tags:
    """Tags for a whole routine in one file, with a chapter per step."""
    comment = f"{timeline.pacing.describe()}, {describe_loudness(target_lufs)}"
    return Tags(title=timeline.title, album=ARTIST, comment=comment, chapters=chapters_for(timeline))


def track_tags(timeline: Timeline, target_lufs: float | None, chapter: Chapter, of: int) -> Tags:
    """Tags for one chapter in its own file: the album names the routine, so players keep them together."""
    comment = f"{timeline.pacing.describe()}, {describe_loudness(target_lufs)}"
    return Tags(title=chapter.title, album=timeline.title, comment=comment, track=(chapter.index + 1, of))
