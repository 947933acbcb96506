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
    with _temp_beside(target) as temp:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # made 0600 while being written; a user's file gets the usual mode
        os.replace(temp, target)


@contextlib.contextmanager
def _temp_beside(target: Path) -> Iterator[Path]:
    """Create a new, empty file beside `target`, readable by its owner only, and yield its path; it is
    removed on the way out unless it was renamed away. Its name (64 random bits) is known before the file
    exists, so the cleanup covers every moment the file exists: a signal handled just after it is created
    (possibly for another thread, so no signal mask helps) still removes it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp: Path | None = None
    try:
        while temp is None:
            temp = target.parent / f".{target.name}.{secrets.token_hex(8)}.partial"
            if not _create(temp):
                temp = None  # taken (a 1 in 2**64 chance): never remove what another writer made
        yield temp
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def _create(path: Path) -> bool:
    """Create `path`; False if it exists already."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def exclusive_path(target: Path) -> Iterator[Path]:
    """Like atomic_path, but the first writer wins: if `target` appears meanwhile it is kept as it is.
    Used for content-addressed cache entries that several processes may write at once."""
    with _temp_beside(target) as temp:
        yield temp
        with contextlib.suppress(FileExistsError):
            os.link(temp, target)
