"""Atomic file output: write beside the target, rename into place, leave nothing on failure."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on any exit otherwise it
    is removed (KeyboardInterrupt included), so a reader never sees a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_name(target)
    try:
        _create(temp)
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; a user's file gets the usual mode
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _temp_name(target: Path) -> Path:
    """A temporary name beside `target`, random enough (64 bits) to be ours alone. The name is known before
    the file exists, so the caller's cleanup covers every moment the file exists: a signal handled just
    after it is created (possibly for another thread, so no signal mask helps) still removes it."""
    return target.parent / f".{target.name}.{secrets.token_hex(8)}.partial"


def _create(temp: Path) -> None:
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def exclusive_path(target: Path) -> Iterator[Path]:
    """Like atomic_path, but the first writer wins: if `target` appears meanwhile it is kept as it is.
    Used for content-addressed cache entries that several processes may write at once."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_name(target)
    try:
        _create(temp)
        yield temp
        with contextlib.suppress(FileExistsError):
            os.link(temp, target)
    finally:
        temp.unlink(missing_ok=True)
