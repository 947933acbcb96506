"""Single key presses: one character at a time from a pipe, and from a terminal put back afterwards."""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pytest

from cueline.keys import TerminalKeys, terminal_keys

termios = pytest.importorskip("termios")

LFLAG = 3  # index of the local modes in a termios attribute list


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read_fd, write_fd = os.pipe()
    yield read_fd, write_fd
    for fd in (read_fd, write_fd):
        with contextlib.suppress(OSError):  # the test closed it already
            os.close(fd)


@pytest.fixture
def pty() -> Iterator[tuple[int, TextIO]]:
    """A pseudo-terminal: the fd a test types into, and the terminal side as the stream keys come from."""
    master, slave = os.openpty()
    stream = open(slave, closefd=False)  # noqa: SIM115 - closed below, with the fds
    yield master, stream
    stream.close()
    os.close(slave)
    os.close(master)


# -- from a pipe ----------------------------------------------------------------------------------------


def test_keys_arrive_one_character_at_a_time(pipe: tuple[int, int]) -> None:
    read_fd, write_fd = pipe
    os.write(write_fd, b" n+q")
    keys = TerminalKeys(read_fd)
    assert [keys.read(1.0) for _ in range(4)] == [" ", "n", "+", "q"]


def test_read_gives_none_when_no_key_comes_in_time(pipe: tuple[int, int]) -> None:
    read_fd, write_fd = pipe
    keys = TerminalKeys(read_fd)
    assert keys.read(0.01) is None
    os.write(write_fd, b"b")
    assert keys.read(1.0) == "b"  # a key after a timeout is not lost
    assert keys.read(0.0) is None


def test_after_the_end_of_input_read_keeps_giving_none(pipe: tuple[int, int]) -> None:
    read_fd, write_fd = pipe
    os.write(write_fd, b"r")
    os.close(write_fd)
    keys = TerminalKeys(read_fd)
    assert keys.read(1.0) == "r"
    assert keys.read(1.0) is None
    os.close(read_fd)  # once it has seen the end, it never reads the fd again
    assert [keys.read(0.0) for _ in range(3)] == [None, None, None]


def test_after_the_end_of_input_read_still_waits_out_its_timeout(pipe: tuple[int, int]) -> None:
    """Otherwise the player's loop, which polls with a timeout, would spin the processor."""
    read_fd, write_fd = pipe
    os.close(write_fd)
    keys = TerminalKeys(read_fd)
    assert keys.read(0.0) is None
    started = time.monotonic()
    assert keys.read(0.02) is None
    assert time.monotonic() - started >= 0.015


def test_terminal_keys_reads_a_pipe_as_it_is(pipe: tuple[int, int]) -> None:
    read_fd, write_fd = pipe
    os.write(write_fd, b"nq")
    with open(read_fd, closefd=False) as stream, terminal_keys(stream) as keys:
        assert (keys.read(1.0), keys.read(1.0), keys.read(0.0)) == ("n", "q", None)


def test_terminal_keys_from_a_stream_without_a_file_gives_no_keys() -> None:
    with terminal_keys(io.StringIO("n")) as keys:
        assert keys.read(0.0) is None
        assert keys.read(0.0) is None


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files through /proc")
def test_terminal_keys_from_a_stream_without_a_file_leaves_no_file_open() -> None:
    before = open_fds()
    with terminal_keys(io.StringIO()) as keys:
        keys.read(0.0)
    assert open_fds() == before


# -- from a terminal ------------------------------------------------------------------------------------


def test_a_terminal_gives_keys_without_enter_or_echo_and_is_put_back(pty: tuple[int, TextIO]) -> None:
    master, stream = pty
    before = termios.tcgetattr(stream.fileno())
    assert before[LFLAG] & termios.ICANON and before[LFLAG] & termios.ECHO  # a terminal as a shell leaves it
    with terminal_keys(stream) as keys:
        inside = termios.tcgetattr(stream.fileno())
        assert not inside[LFLAG] & termios.ICANON
        assert not inside[LFLAG] & termios.ECHO
        assert inside[LFLAG] & termios.ISIG  # Ctrl-C still interrupts
        assert before[6][termios.VSUSP] != b"\x00" and inside[6][termios.VSUSP] == b"\x00"  # Ctrl-Z does not
        os.write(master, b"n")  # no Enter after it
        assert keys.read(1.0) == "n"
    assert termios.tcgetattr(stream.fileno()) == before


def test_the_terminal_is_put_back_when_the_block_is_interrupted(pty: tuple[int, TextIO]) -> None:
    _, stream = pty
    before = termios.tcgetattr(stream.fileno())
    with pytest.raises(KeyboardInterrupt), terminal_keys(stream):
        assert termios.tcgetattr(stream.fileno()) != before
        raise KeyboardInterrupt
    assert termios.tcgetattr(stream.fileno()) == before


def test_terminal_keys_takes_anything_with_a_fileno(pty: tuple[int, TextIO]) -> None:
    master, stream = pty

    class Handle:
        def fileno(self) -> int:
            return stream.fileno()

    before = termios.tcgetattr(stream.fileno())
    with terminal_keys(Handle()) as keys:  # type: ignore[arg-type]
        assert not termios.tcgetattr(stream.fileno())[LFLAG] & termios.ICANON
        os.write(master, b"q")
        assert keys.read(1.0) == "q"
    assert termios.tcgetattr(stream.fileno()) == before


@pytest.mark.parametrize(
    "sequence", [b"\x1b[B", b"\x1bOQ", b"\x1bOR", b"\x1b"], ids=["down", "F2", "F3", "esc"]
)
def test_arrow_and_function_keys_are_not_read_as_letters(sequence: bytes) -> None:
    """Down arrow ends in `B`, F2 in `Q`, F3 in `R`: read byte by byte they would be back, quit, repeat."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, sequence)
        keys = TerminalKeys(read_end)
        assert keys.read(0.05) is None
        os.write(write_end, b"n")
        assert keys.read(0.05) == "n"
    finally:
        os.close(read_end)
        os.close(write_end)
