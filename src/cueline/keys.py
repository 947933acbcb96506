"""Single key presses from the terminal, without Enter, and the terminal put back as it was afterwards."""

from __future__ import annotations

import contextlib
import os
import select
import sys
from collections.abc import Iterator
from typing import TextIO

_ESCAPE = b"\x1b"
_SEQUENCE_GAP_S = 0.02  # the bytes of one key's escape sequence arrive closer together than this


class TerminalKeys:
    """Keys from a file descriptor: a terminal in cbreak mode, or a pipe (one character a key)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._closed = False

    def read(self, timeout_s: float) -> str | None:
        if self._closed:
            select.select([], [], [], timeout_s)  # nothing more will come: just let the time pass
            return None
        ready, _, _ = select.select([self._fd], [], [], timeout_s)
        if not ready:
            return None
        data = os.read(self._fd, 1)
        if not data:
            self._closed = True
            return None
        if data == _ESCAPE:  # an arrow or function key sends ESC and more: none of it is a command
            while select.select([self._fd], [], [], _SEQUENCE_GAP_S)[0] and os.read(self._fd, 16):
                pass
            return None
        return data.decode("latin-1")


@contextlib.contextmanager
def terminal_keys(stream: TextIO = sys.stdin) -> Iterator[TerminalKeys]:
    """Keys from `stream`; a terminal is switched to cbreak mode (no echo, no Enter; Ctrl-C still works)
    and restored on the way out, however the block ends."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        fd = None
    if fd is None:  # no keys at all (a stream with no file behind it)
        with open(os.devnull, "rb") as nothing:
            yield TerminalKeys(nothing.fileno())
        return
    if not os.isatty(fd):
        yield TerminalKeys(fd)
        return
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        # Ctrl-Z would stop the process while the sound card plays on, and the player's clock would run
        # ahead of it; space pauses instead. Ctrl-C still quits.
        mode = termios.tcgetattr(fd)
        mode[6][termios.VSUSP] = b"\x00"
        termios.tcsetattr(fd, termios.TCSANOW, mode)
        yield TerminalKeys(fd)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
