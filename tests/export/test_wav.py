"""WAV export: measured from the written file, read back with independent readers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from measure import onsets, read_wav

from cueline.catalog import find
from cueline.errors import ExportError
from cueline.export.wav import export_wav
from cueline.pacing import Pacing
from cueline.routine import CountMode, Routine, Step
from cueline.session import prepare
from cueline.speech import Pyttsx3Speech
from cueline.speech_cache import SpeechCache
from cueline.timeline import CueRole

from fakes import InterruptingClips, ToneSpeech


def routine(count: CountMode, tempo_s: float = 2.0, reps: int = 6) -> Routine:
    return Routine(
        title="Export",
        steps=(Step("Neck", say="Glide up.", reps=reps, tempo_s=tempo_s), Step("Jaw", reps=3)),
        count=count,
    )


@pytest.mark.parametrize("pace", [0.5, 1.0, 1.3])
def test_rep_onsets_in_the_file_are_exactly_tempo_over_pace_apart(
    tone: ToneSpeech, tmp_path: Path, pace: float
) -> None:
    prepared = prepare(routine(CountMode.CHIME), Pacing(pace=pace), engine=tone, cache_root=tmp_path)
    target = tmp_path / "out.wav"
    export_wav(prepared.timeline, prepared.clips, target)
    audio = read_wav(target)
    assert len(audio) == prepared.timeline.total_samples
    heard = onsets(audio, threshold=0, min_silence=200)
    neck = [rep.start_sample for rep in prepared.timeline.reps if rep.step == 0]
    found = [min(heard, key=lambda onset, want=want: abs(onset - want)) for want in neck]
    # Onset spacing measured from the audio equals tempo / pace to the sample (±1 for rounding).
    spacing = np.diff(found)
    assert np.all(np.abs(spacing - 2.0 / pace * 22050) <= 1), spacing


@pytest.mark.speech
def test_real_speech_counts_start_on_schedule(tmp_path: Path) -> None:
    """With espeak-ng, each spoken count is heard within 20 ms after its rep starts (its clip opens with a
    10 ms pad and a short fade, and words start with quiet consonants)."""
    prepared = prepare(routine(CountMode.VOICE, tempo_s=1.5, reps=8), Pacing(pace=1.0), cache_root=tmp_path)
    target = tmp_path / "speech.wav"
    export_wav(prepared.timeline, prepared.clips, target)
    audio = read_wav(target)
    heard = onsets(audio, threshold=300, min_silence=int(0.25 * 22050))
    counts = [cue for cue in prepared.timeline.cues if cue.role is CueRole.COUNT]
    assert len(counts) == 11
    for cue in counts:
        after = [onset - cue.start_sample for onset in heard if 0 <= onset - cue.start_sample < 0.1 * 22050]
        assert after, f"no sound heard near {cue.text!r} at sample {cue.start_sample}"
        assert after[0] <= 0.02 * 22050, (cue.text, after[0])


def test_sox_reads_the_export_with_the_timelines_length(tone: ToneSpeech, tmp_path: Path) -> None:
    prepared = prepare(routine(CountMode.BOTH), Pacing(), engine=tone, cache_root=tmp_path)
    target = tmp_path / "out.wav"
    export_wav(prepared.timeline, prepared.clips, target)
    info = subprocess.run(["soxi", str(target)], capture_output=True, text=True, check=True).stdout
    assert f"{prepared.timeline.total_samples} samples" in info
    assert "Sample Rate    : 22050" in info and "Channels       : 1" in info


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_an_interrupted_export_leaves_nothing_and_keeps_the_old_file(
    tone: ToneSpeech, tmp_path: Path, error: BaseException
) -> None:
    prepared = prepare(routine(CountMode.CHIME), Pacing(), engine=tone, cache_root=tmp_path / "cache")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "routine.wav"
    target.write_bytes(b"the previous export")
    with pytest.raises((KeyboardInterrupt, ExportError)):
        export_wav(prepared.timeline, InterruptingClips(prepared.clips, 5, error), target)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in out.iterdir()) == ["routine.wav"]


@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [(signal.SIGINT, 130, "Interrupted."), (signal.SIGTERM, 128 + signal.SIGTERM, ""),
     (signal.SIGHUP, 128 + signal.SIGHUP, "")],
)  # fmt: skip
def test_a_killed_export_leaves_no_partial_file(tmp_path: Path, signum: int, code: int, message: str) -> None:
    """A real signal to `cueline export` of a long routine, sent as soon as its temporary file appears."""
    source = tmp_path / "long.yaml"
    source.write_text("title: Long\ncount: chime\nsteps:\n  - name: Strokes\n    reps: 450\n    tempo: 30s\n")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "CUELINE_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "cueline", "export", str(source), "-o", str(out / "long.wav")]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not any(out.iterdir()) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)  # polling a real subprocess: there is no clock to inject here
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == code, stderr
    assert stderr.strip().endswith(message)
    assert list(out.iterdir()) == []


def test_export_refuses_a_missing_folder_and_writes_a_normally_readable_file(
    tone: ToneSpeech, tmp_path: Path
) -> None:
    prepared = prepare(routine(CountMode.CHIME), Pacing(), engine=tone, cache_root=tmp_path / "cache")
    with pytest.raises(ExportError, match="does not exist"):
        export_wav(prepared.timeline, prepared.clips, tmp_path / "missing" / "out.wav")
    assert not (tmp_path / "missing").exists()
    target = tmp_path / "out.wav"
    old = os.umask(0o022)
    try:
        export_wav(prepared.timeline, prepared.clips, target)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


# -- pacing and cues, measured from the file ---------------------------------------------------------------


def test_fit_10m_export_lasts_600_seconds(tone: ToneSpeech, tmp_path: Path) -> None:
    prepared = prepare(find("face-basics").load(), Pacing(fit_s=600.0), engine=tone, cache_root=tmp_path)
    target = tmp_path / "fit.wav"
    export_wav(prepared.timeline, prepared.clips, target)
    audio = read_wav(target)
    assert abs(len(audio) / 22050 - 600.0) <= 1.0, len(audio) / 22050
    # The last sound is the finish chime, and only the half-second tail follows it.
    last_sound = int(np.flatnonzero(np.abs(audio.astype(np.int32)) > 0)[-1])
    assert 0.5 <= (len(audio) - last_sound) / 22050 <= 0.6


@pytest.mark.speech
def test_fit_with_real_speech_lasts_what_was_asked(tmp_path: Path) -> None:
    prepared = prepare(find("quick-3").load(), Pacing(fit_s=240.0), cache_root=tmp_path)
    target = tmp_path / "quick.wav"
    export_wav(prepared.timeline, prepared.clips, target)
    assert abs(len(read_wav(target)) / 22050 - 240.0) <= 1.0
    assert prepared.timeline.pacing.pace < 1.0  # quick-3 lasts about three minutes at pace 1


@pytest.mark.parametrize("run_pace", [0.8, 1.5])
def test_rep_onsets_follow_each_steps_own_pace(tone: ToneSpeech, tmp_path: Path, run_pace: float) -> None:
    r = Routine(
        title="Paces",
        steps=(
            Step("Brisk", reps=5, tempo_s=2.0),
            Step("Slow", reps=5, tempo_s=2.0, pace=0.5),
            Step("Quick", reps=5, tempo_s=2.0, pace=1.25, count=CountMode.CHIME),
        ),
        count=CountMode.CHIME,
    )
    prepared = prepare(r, Pacing(pace=run_pace), engine=tone, cache_root=tmp_path)
    target = tmp_path / "paces.wav"
    export_wav(prepared.timeline, prepared.clips, target)
    heard = onsets(read_wav(target), threshold=0, min_silence=200)
    for step, step_pace in enumerate((1.0, 0.5, 1.25)):
        planned = [rep.start_sample for rep in prepared.timeline.reps if rep.step == step]
        found = [min(heard, key=lambda onset, want=want: abs(onset - want)) for want in planned]
        assert all(abs(f - p) <= 1 for f, p in zip(found, planned, strict=True)), (found, planned)
        spacing = np.diff(found)
        assert np.all(np.abs(spacing - 2.0 / (run_pace * step_pace) * 22050) <= 1), (step, spacing)


CUE_ROLES = (
    CueRole.COUNT_IN,
    CueRole.HALFWAY,
    CueRole.LAST_REP,
    CueRole.SIDE,
    CueRole.NEXT_STEP,
    CueRole.FINISH,
)


def test_each_spoken_cue_sounds_where_the_timeline_says(tone: ToneSpeech, tmp_path: Path) -> None:
    r = Routine(
        title="Cues",
        steps=(
            Step("Jaw", say="Glide along the jaw.", reps=8, tempo_s=2.5, sides=("right", "left")),
            Step("Neck", reps=3, tempo_s=2.0),
        ),
        outro=("Done.",),
    )
    prepared = prepare(r, Pacing(), engine=tone, cache_root=tmp_path)
    target = tmp_path / "cues.wav"
    export_wav(prepared.timeline, prepared.clips, target)
    audio = read_wav(target).astype(np.int32)
    heard = onsets(read_wav(target), threshold=0, min_silence=200)
    cues = [cue for cue in prepared.timeline.cues if cue.role in CUE_ROLES]
    assert {cue.role for cue in cues} == set(CUE_ROLES)
    for cue in cues:
        nearest = min(heard, key=lambda onset, cue=cue: abs(onset - cue.start_sample))
        assert 0 <= nearest - cue.start_sample <= 2, (cue, nearest)
        # The fake engine speaks a 220 Hz tone of a length set by the text: that tone, for that long.
        body = audio[cue.start_sample + 100 : cue.end_sample - 100]
        assert np.sqrt(np.mean(body.astype(np.float64) ** 2)) > 4000, cue
        assert cue.length_samples == len(prepared.clips.speech(cue.text or ""))
        after = audio[cue.end_sample : cue.end_sample + 200]
        assert np.all(after == 0), cue  # and nothing else sounds straight after it


@pytest.mark.speech
def test_a_german_routine_counts_in_german_with_a_german_voice(tmp_path: Path) -> None:
    r = Routine(
        title="Kiefer",
        steps=(Step("Kiefer", say="Streiche sanft am Kiefer entlang.", reps=8, tempo_s=2.0),),
        language="de",
    )
    prepared = prepare(r, Pacing(), cache_root=tmp_path)
    assert prepared.clips.voice == "gmw/de"
    counts = [cue for cue in prepared.timeline.cues if cue.role is CueRole.COUNT]
    words = ["eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht"]
    assert [cue.text for cue in counts] == words
    target = tmp_path / "de.wav"
    export_wav(prepared.timeline, prepared.clips, target)
    audio = read_wav(target)
    english = SpeechCache(Pyttsx3Speech(), tmp_path / "en")
    for cue in counts:
        assert cue.text is not None
        heard = audio[cue.start_sample : cue.end_sample]
        # What sounds at each count is the German voice saying the German word, not an English voice.
        lufs = prepared.clips.target_lufs
        assert np.array_equal(heard, prepared.clips.cache.clip(cue.text, "gmw/de", 165, target_lufs=lufs))
        english_word = english.clip(cue.text, "gmw/en-us", 165, target_lufs=lufs)
        assert not np.array_equal(heard, english_word[: len(heard)])
    spoken = {cue.text for cue in prepared.timeline.cues if cue.kind == "speech"}
    assert {"Bereit", "und", "Halbzeit.", "Die letzte."} <= spoken
    assert not {"one", "Ready", "Halfway.", "Last one."} & spoken
