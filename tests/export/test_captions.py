"""Captions: every spoken line and count of the timeline, timed exactly, in WebVTT and SubRip, read back
by ffmpeg as well as parsed here."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from measure import needs_ffmpeg

from cueline.errors import ExportError
from cueline.export.captions import Caption, captions_for, subrip, webvtt, write_captions
from cueline.session import Prepared
from cueline.timeline import CueRole

VTT_CUE = re.compile(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n(.+)\n")
SRT_CUE = re.compile(r"(\d+)\n(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})\n(.+)\n")


def _ms(h: str, m: str, s: str, ms: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def test_captions_are_the_timelines_speech_cues_counts_included(prepared: Prepared) -> None:
    spoken = [cue for cue in prepared.timeline.cues if cue.text is not None]
    captions = captions_for(prepared.timeline)
    assert [(c.start_sample, c.end_sample, c.text) for c in captions] == [
        (cue.start_sample, cue.end_sample, cue.text) for cue in spoken
    ]
    counts = [c.text for c, cue in zip(captions, spoken, strict=True) if cue.role is CueRole.COUNT]
    assert counts == ["one", "two", "three", "four"] + ["one", "two", "three"] * 2
    assert any(c.text == "Use light pressure." for c in captions)  # the safety line too


def test_webvtt_round_trips_times_and_text(prepared: Prepared) -> None:
    captions = captions_for(prepared.timeline)
    text = webvtt(captions)
    assert text.startswith("WEBVTT\n\n")
    parsed = [(_ms(*m.groups()[:4]), _ms(*m.groups()[4:8]), m.group(9)) for m in VTT_CUE.finditer(text)]
    assert parsed == [(c.start_ms, c.end_ms, html.escape(c.text, quote=False)) for c in captions]
    assert any("&" in c.text for c in captions)  # the escaping is exercised ("Next: Jaw & chin.")


def test_subrip_numbers_cues_and_uses_a_comma(prepared: Prepared) -> None:
    captions = captions_for(prepared.timeline)
    parsed = [
        (int(m.group(1)), _ms(*m.groups()[1:5]), _ms(*m.groups()[5:9]), m.group(10))
        for m in SRT_CUE.finditer(subrip(captions))
    ]
    assert parsed == [(n, c.start_ms, c.end_ms, c.text) for n, c in enumerate(captions, start=1)]


def test_webvtt_escapes_what_it_must_and_keeps_one_line_per_cue() -> None:
    text = webvtt((Caption(0, 22050, "Oil & water <gently> -> done"),))
    assert "Oil &amp; water &lt;gently&gt; -&gt; done\n" in text
    assert "00:00:00.000 --> 00:00:01.000" in text


@needs_ffmpeg
@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
def test_ffmpeg_reads_the_caption_file_with_the_timelines_times(
    prepared: Prepared, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"captions{suffix}"
    count = write_captions(prepared.timeline, target)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_packets", "-of", "json", str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    packets = json.loads(probe.stdout)["packets"]
    captions = captions_for(prepared.timeline)
    assert count == len(packets) == len(captions)
    for packet, caption in zip(packets, captions, strict=True):
        assert round(float(packet["pts_time"]) * 1000) == caption.start_ms
        assert round(float(packet["duration_time"]) * 1000) == caption.end_ms - caption.start_ms


def test_caption_files_need_a_known_extension_and_an_existing_folder(
    prepared: Prepared, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match=r"caption format of 'out\.txt'") as caught:
        write_captions(prepared.timeline, tmp_path / "out.txt")
    assert caught.value.hint == "use .vtt or .srt"
    with pytest.raises(ExportError, match="does not exist"):
        write_captions(prepared.timeline, tmp_path / "missing" / "out.vtt")
    assert list(tmp_path.iterdir()) == [tmp_path / "cache"]
