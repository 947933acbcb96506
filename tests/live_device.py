"""A real-time sound card without hardware, for tests and the benchmark.

JACK's dummy backend keeps time like a sound card; ALSA's `file` plugin, put in front of it by an ALSA config
file of our own, saves every sample the player hands to the device. Each device open gets its own file
(`capture.raw`, `capture.raw.0001`, …), so a pause (which closes the device) shows up as a new file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cueline.pcm import SAMPLE_RATE_HZ

# JACK keeps a registry of at most eight servers in shared memory. A server that is killed outright stays
# registered under its name until a server of the same name starts, so names come from a small pool, each
# held by a file lock while in use (the lock goes with its process, however it ends): reused names reclaim
# stale entries instead of filling the registry.
_POOL_SIZE = 8

ALSA_CONFIG = """\
pcm.!default {{
  type file
  slave {{ pcm {{ type plug slave {{ pcm {{ type jack playback_ports {{ 0 system:playback_1 }} }} }} }} }}
  file "{capture}"
  format "raw"
  truncate false
}}
"""

NO_DEVICE_CONFIG = "pcm.!default { type hw card 31 }\n"


def missing_tools() -> str | None:
    """Why a live test cannot run here, or None."""
    for tool in ("jackd", "jack_wait"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (./scripts/setup installs jackd2)"
    return None


@dataclass
class LiveDevice:
    """Environment variables that send ALSA's default device to the capture, and the captures it made."""

    folder: Path
    env: dict[str, str]
    growth: list[tuple[float, int]] = field(default_factory=list)  # (monotonic s, bytes) of the first file

    @property
    def capture(self) -> Path:
        return self.folder / "capture.raw"

    def captures(self) -> list[np.ndarray]:
        """Every device open's samples, in order."""
        files = sorted(self.folder.glob("capture.raw*"), key=lambda p: (len(p.name), p.name))
        return [np.fromfile(path, dtype="<i2") for path in files]


@contextlib.contextmanager
def jack_device(folder: Path) -> Iterator[LiveDevice]:
    """Start a private JACK server (dummy backend at our sample rate) and point ALSA's default at it."""
    folder.mkdir(parents=True, exist_ok=True)
    home = folder / "home"
    home.mkdir(exist_ok=True)
    (folder / "asound.conf").write_text(ALSA_CONFIG.format(capture=folder / "capture.raw"))
    log_path = folder / "jackd.log"
    with _server_name() as name:
        env = {
            "ALSA_CONFIG_PATH": str(folder / "asound.conf"),
            "HOME": str(home),
            "JACK_DEFAULT_SERVER": name,
            "JACK_NO_START_SERVER": "1",
        }
        with log_path.open("w") as log:
            server = subprocess.Popen(
                ["jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r", str(SAMPLE_RATE_HZ), "-p", "256"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            waited = subprocess.run(
                ["jack_wait", "-s", name, "-w", "-t", "10"], env={**os.environ, **env}, capture_output=True
            )
            if waited.returncode != 0:
                raise RuntimeError(
                    f"jackd did not start: {log_path.read_text()}\n(if it says 'Too many servers', servers "
                    "killed outright filled JACK's registry: with no jackd running, remove "
                    "/dev/shm/jack-shm-registry)"
                )
            yield LiveDevice(folder, env)
        finally:
            _stop(server)


@contextlib.contextmanager
def _server_name() -> Iterator[str]:
    """A JACK server name from the pool that no other run is using."""
    for slot in range(_POOL_SIZE):
        with open(Path(tempfile.gettempdir()) / f"cueline-jack-{slot}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            yield f"cueline-live-{slot}"
            return
    raise RuntimeError(f"all {_POOL_SIZE} JACK server names are in use by other test runs")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextlib.contextmanager
def watching(device: LiveDevice, interval_s: float = 0.002) -> Iterator[None]:
    """Record when the first capture file grows, to tell when each sample reached the device."""
    stop = threading.Event()

    def watch() -> None:
        last = -1
        while not stop.is_set():
            try:
                size = device.capture.stat().st_size
            except FileNotFoundError:
                size = 0
            if size != last:
                device.growth.append((time.monotonic(), size))
                last = size
            stop.wait(interval_s)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _events(device: LiveDevice) -> list[tuple[float, int]]:
    """(when, samples handed over) each time the capture grew."""
    return [(when, size // 2) for when, size in device.growth if size > 0]


def _offset_s(events: list[tuple[float, int]]) -> float:
    """The device's fixed latency: the median of (time handed over - time it is due by the schedule)."""
    return float(np.median([when - samples / SAMPLE_RATE_HZ for when, samples in events]))


def onset_errors_s(device: LiveDevice, onsets: list[int]) -> list[float]:
    """For each onset, how far from schedule the device took the audio around it: the first capture growth
    that covers the onset, compared with when the schedule (a steady 22050 samples a second, plus the
    device's fixed latency) says those samples were due. A gap or a stall shows as an error."""
    events = _events(device)
    offset = _offset_s(events)
    errors = []
    for onset in onsets:
        when, samples = next((w, s) for w, s in events if s > onset)
        errors.append(when - offset - samples / SAMPLE_RATE_HZ)
    return errors


def drift(device: LiveDevice) -> float:
    """Wall time against audio length over the first stream, from a least-squares line: 0 is perfect,
    0.01 means the audio took 1% longer than its length."""
    events = _events(device)
    times = np.array([when for when, _ in events])
    samples = np.array([s for _, s in events], dtype=np.float64)
    slope = np.polyfit(samples / SAMPLE_RATE_HZ, times, 1)[0]
    return float(slope - 1.0)
