"""The golden timeline cases: a routine file, a pacing, and the JSON file its timeline must match.
Shared by tests/test_timeline.py and scripts/regen_golden.py, which rewrites the JSON files."""

from __future__ import annotations

from pathlib import Path

from cueline.pacing import Pacing
from cueline.routine import CountMode, CueSwitches, SpokenCue
from cueline.routine_file import load_routine_path
from cueline.timeline import Cue, compile_timeline

from fakes import FixedLengths

GOLDEN_DIR = Path(__file__).parent / "golden"

CASES: dict[str, tuple[str, Pacing]] = {
    "sides-and-hold": ("sides-and-hold.yaml", Pacing()),
    "sides-and-hold-pace-0.5": ("sides-and-hold.yaml", Pacing(pace=0.5)),
    "counts-both": ("counts.yaml", Pacing()),
    "counts-chime-reps-3": ("counts.yaml", Pacing(count=CountMode.CHIME, reps=3)),
    "counts-silent-pace-2": ("counts.yaml", Pacing(count=CountMode.SILENT, pace=2.0)),
    # Only the side switch, as before cues were switchable: the same timeline as sides-and-hold had then.
    "sides-and-hold-side-switch-only": (
        "sides-and-hold.yaml",
        Pacing(cues=CueSwitches(off=frozenset(SpokenCue) - {SpokenCue.SIDE_SWITCH})),
    ),
    "german": ("german.yaml", Pacing()),
    "step-pace": ("step-pace.yaml", Pacing()),
    "step-pace-0.8": ("step-pace.yaml", Pacing(pace=0.8)),
}


def golden_path(name: str) -> Path:
    return GOLDEN_DIR / f"{name}.timeline"


def render_case(name: str) -> str:
    """A case's timeline as text, one cue a line at exact sample offsets, compiled with fake lengths."""
    routine_file, pacing = CASES[name]
    routine = load_routine_path(GOLDEN_DIR / routine_file)
    timeline = compile_timeline(routine, pacing, FixedLengths(pacing.speech_rate_wpm))
    lines = [f"# {routine_file} at {pacing.describe()}: total {timeline.total_samples} samples"]
    lines.append("# start_sample length_samples kind role step side rep | text or chime")
    lines += [_cue_line(cue) for cue in timeline.cues]
    lines += [f"# dropped (no room in its rep): {_cue_line(cue).strip()}" for cue in timeline.dropped]
    return "\n".join(lines) + "\n"


def _cue_line(cue: Cue) -> str:
    where = " ".join("-" if value is None else str(value) for value in (cue.step, cue.side, cue.rep))
    return (
        f"{cue.start_sample:>9} {cue.length_samples:>7} {cue.kind:<6} {cue.role.value:<11} {where:<12} | "
        f"{cue.text if cue.text is not None else cue.chime}"
    )
