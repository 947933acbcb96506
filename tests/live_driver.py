"""Play a routine through the real sound device with keys pressed at set times, then export what the player
says it played. Run as a subprocess by the live tests, so the ALSA configuration they write applies. It
starts the way `cueline play` does (`live.begin`): the start bell rings while the routine is prepared."""

from __future__ import annotations

import argparse
import json
import select
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cueline.export.wav import export_wav
from cueline.live import begin
from cueline.pacing import Pacing
from cueline.player import play
from cueline.routine import CountMode, Routine
from cueline.routine_file import load_routine_path
from cueline.safety import without_safety
from cueline.session import Prepared, prepare
from cueline.speaker import MonotonicClock, Speaker

from fakes import RecordingScreen, ToneSpeech


class TimedKeys:
    """Keys pressed at set seconds after the first read; waiting is real, as the device is."""

    def __init__(self, presses: list[tuple[float, str]]) -> None:
        self.presses = sorted(presses)
        self.start: float | None = None

    def read(self, timeout_s: float) -> str | None:
        now = time.monotonic()
        if self.start is None:
            self.start = now
        if self.presses and now - self.start >= self.presses[0][0]:
            return self.presses.pop(0)[1]
        select.select([], [], [], timeout_s)
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("routine", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--press", action="append", default=[], help="SECONDS:KEY")
    parser.add_argument("--slow-prepare", type=float, default=0.0, help="seconds more that preparing takes")
    args = parser.parse_args()
    presses = [(float(at), key) for at, key in (p.split(":", 1) for p in args.press)]

    made: list[Prepared] = []

    def prepared_slowly(routine: Routine) -> Prepared:
        made.append(prepare(routine, Pacing(count=CountMode.CHIME), ToneSpeech(), args.out / "cache"))
        time.sleep(args.slow_prepare)  # a cold speech cache, in effect
        return made[0]

    clock = MonotonicClock()
    player, opening = begin(
        lambda: without_safety(load_routine_path(args.routine)), prepared_slowly, Speaker(clock), clock
    )
    prepared = made[0]
    summary = play(player, TimedKeys(presses), RecordingScreen(), opening)
    export_wav(player.effective, prepared.clips, args.out / "effective.wav")
    export_wav(prepared.timeline, prepared.clips, args.out / "planned.wav")
    report = {
        "segments": [[s.start_sample, s.end_sample] for s in player.segments],
        "finished": summary.finished,
        "pace": summary.pace,
        "onsets": [rep.start_sample for rep in player.effective.reps],
    }
    (args.out / "session.json").write_text(json.dumps(report))


if __name__ == "__main__":
    main()
