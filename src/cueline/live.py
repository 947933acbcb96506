"""A live session wired up: the prepared routine, the player, the sound card, the keys and the screen."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TextIO

from cueline.pacing import Pacing
from cueline.player import AudioOut, Clock, Player, Summary, play
from cueline.session import Prepared
from cueline.signals import signals_exit
from cueline.timeline import Timeline, compile_timeline


def player_for(prepared: Prepared, out: AudioOut, clock: Clock) -> Player:
    """A player for `prepared`; a change of pace recompiles the same routine with the same clips."""

    def recompile(pacing: Pacing) -> Timeline:
        return compile_timeline(prepared.routine, pacing, prepared.clips)

    return Player(prepared.timeline, prepared.clips, recompile, out, clock)


def run_live(
    prepare: Callable[[], Prepared], keys_from: TextIO = sys.stdin, screen_to: TextIO = sys.stdout
) -> Summary:
    """Prepare a routine and play it on the default sound device until it ends, `q`, or Ctrl-C (then the
    summary says `interrupted`). The device is checked while the routine is prepared, to start sooner."""
    from cueline.keys import terminal_keys
    from cueline.screen import LineScreen, TerminalScreen
    from cueline.speaker import MonotonicClock, Speaker

    clock = MonotonicClock()
    speaker = Speaker(clock)
    prepared = prepare()
    speaker.ready()
    player = player_for(prepared, speaker, clock)
    screen = TerminalScreen(screen_to) if screen_to.isatty() else LineScreen(screen_to)
    try:
        with signals_exit(), terminal_keys(keys_from) as keys, screen:
            return play(player, keys, screen)
    except KeyboardInterrupt:
        return replace(player.summary(), interrupted=True)
