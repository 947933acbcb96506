"""SIGTERM and SIGHUP as a normal exit, so cleanup runs as it does for Ctrl-C: a killed export removes its
temporary file, and a killed player stops the sound card and puts the terminal back."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _leave(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def signals_exit() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise SystemExit(128 + the signal's number). Handlers can only
    be set in the main thread; elsewhere the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {signum: signal.signal(signum, _leave) for signum in _SIGNALS}
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
