"""A live session wired up: the prepared routine, the player, the sound card, the keys and the screen.

The first sound comes quickly because the start bell does not wait for anything heavy. Every timeline
begins with the bell, so `begin` opens the sound card and rings it straight from the chime's bytes, before
numpy, the speech engine or the player are imported, then prepares the routine while the bell rings and
hands the playing stream to the player, which writes on after the bell. This module therefore imports
only light modules at the top.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

from cueline.pcm import SAMPLE_WIDTH_BYTES

if TYPE_CHECKING:
    from cueline.player import AudioOut, Clock, Opening, Player, Summary
    from cueline.routine import Routine
    from cueline.session import Prepared
    from cueline.speaker import Speaker


def player_for(prepared: Prepared, out: AudioOut, clock: Clock) -> Player:
    """A player for `prepared`; a change of pace recompiles the same routine with the same clips."""
    from cueline.pacing import Pacing
    from cueline.player import Player
    from cueline.timeline import Timeline, compile_timeline

    def recompile(pacing: Pacing) -> Timeline:
        return compile_timeline(prepared.routine, pacing, prepared.clips)

    return Player(prepared.timeline, prepared.clips, recompile, out, clock)


def begin(
    load: Callable[[], Routine],
    prepare: Callable[[Routine], Prepared],
    speaker: Speaker,
    clock: Clock,
    ringing: Callable[[Routine], None] = lambda routine: None,
) -> tuple[Player, Opening]:
    """Load the routine (so a mistake in it is reported before any sound), ring the start bell on
    `speaker` (then call `ringing`), prepare the routine while it rings, and return the player with the
    bell's stream to carry on from. Raises AudioDeviceError before preparing anything if the device
    cannot play."""
    from cueline.sounds import chime_pcm
    from cueline.timeline import Chime

    routine = load()
    bell = chime_pcm(Chime.START)
    stream = speaker.open_playing(bell)
    try:
        ringing(routine)
        prepared = prepare(routine)
        from cueline.player import Opening

        return player_for(prepared, speaker, clock), Opening(stream, len(bell) // SAMPLE_WIDTH_BYTES)
    except BaseException:
        stream.stop()
        raise


def run_live(
    load: Callable[[], Routine],
    prepare: Callable[[Routine], Prepared],
    keys_from: TextIO = sys.stdin,
    screen_to: TextIO = sys.stdout,
) -> Summary:
    """Play a routine on the default sound device until it ends, `q`, or Ctrl-C (then the summary says
    `interrupted`)."""
    from cueline.speaker import MonotonicClock, Speaker

    def getting_ready(routine: Routine) -> None:
        if screen_to.isatty():  # the player's screen replaces this; a cold speech cache takes a moment
            screen_to.write(f"Getting {routine.title} ready…\n")
            screen_to.flush()

    clock = MonotonicClock()
    player, opening = begin(load, prepare, Speaker(clock), clock, getting_ready)

    from cueline.keys import terminal_keys
    from cueline.player import play
    from cueline.screen import LineScreen, TerminalScreen
    from cueline.signals import signals_exit

    screen = TerminalScreen(screen_to) if screen_to.isatty() else LineScreen(screen_to)
    try:
        with signals_exit(), terminal_keys(keys_from) as keys, screen:
            return play(player, keys, screen, opening)
    except KeyboardInterrupt:
        return replace(player.summary(), interrupted=True)
