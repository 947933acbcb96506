"""Benchmarks that print figures (no pass/fail): export speed and peak memory against routine length,
and how long a cold and a warm speech cache take to prepare a routine.

    .venv/bin/python scripts/bench.py            # all
    .venv/bin/python scripts/bench.py export     # peak RSS and speed of WAV export, 10 vs 60 minutes
    .venv/bin/python scripts/bench.py mp3        # the same for MP3 (64 kbps, tags, chapters): < 150 MiB
    .venv/bin/python scripts/bench.py cache      # cold vs warm `show face-basics`
    .venv/bin/python scripts/bench.py live       # `play` on a JACK dummy card: onsets, drift, start-up
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "cueline"]
TESTS = Path(__file__).resolve().parent.parent / "tests"


def routine_yaml(minutes: int) -> str:
    """A routine of about `minutes` of counted strokes (30 reps of 4 s a step), spoken counts."""
    steps = max(1, round(minutes * 60 / 120))
    lines = [f"title: Bench {minutes} minutes", "tempo: 4s", "steps:"]
    for index in range(steps):
        lines += [f"  - name: Stroke set {index + 1}", "    say: Long light strokes.", "    reps: 30"]
    return "\n".join(lines) + "\n"


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"failed: {' '.join(args)}\n{process.stderr.read().decode() if process.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss / 1024


def warm_cache(work: Path, env: dict[str, str]) -> None:
    """Speak and normalise every line the bench routines use (their steps all say the same), so the
    figures are of exporting, not of text-to-speech. `show` alone speaks them but leaves loudness."""
    source = work / "bench-warm.yaml"
    source.write_text(routine_yaml(1))
    target = work / "bench-warm.wav"
    subprocess.run([*CLI, "export", str(source), "-o", str(target)], env=env, check=True, capture_output=True)
    target.unlink()


def bench_export(work: Path, env: dict[str, str]) -> None:
    print("WAV export (warm speech cache): peak memory must not grow with routine length")
    print(f"{'routine':>10} {'audio':>8} {'wall s':>8} {'x realtime':>11} {'peak MiB':>9}")
    warm_cache(work, env)
    for minutes in (10, 60):
        source = work / f"bench-{minutes}.yaml"
        source.write_text(routine_yaml(minutes))
        target = work / f"bench-{minutes}.wav"
        wall_s, peak_mib = run_measured([*CLI, "export", str(source), "-o", str(target)], env)
        audio_s = (target.stat().st_size - 44) / 2 / 22050
        print(
            f"{minutes:>8}m {audio_s / 60:>7.1f}m {wall_s:>8.2f} {audio_s / wall_s:>10.0f}x {peak_mib:>9.1f}"
        )
        target.unlink()


def bench_mp3(work: Path, env: dict[str, str]) -> None:
    from mutagen.mp3 import MP3

    print("MP3 export, 64 kbps with tags and chapters (warm speech cache): peak memory under 150 MiB")
    print(f"{'routine':>10} {'audio':>8} {'wall s':>8} {'x realtime':>11} {'peak MiB':>9} {'MiB file':>9}")
    warm_cache(work, env)
    for minutes in (10, 60):
        source = work / f"bench-{minutes}.yaml"
        source.write_text(routine_yaml(minutes))
        target = work / f"bench-{minutes}.mp3"
        wall_s, peak_mib = run_measured([*CLI, "export", str(source), "-o", str(target)], env)
        audio_s = MP3(target).info.length
        size_mib = target.stat().st_size / 2**20
        print(
            f"{minutes:>8}m {audio_s / 60:>7.1f}m {wall_s:>8.2f} {audio_s / wall_s:>10.0f}x {peak_mib:>9.1f}"
            f" {size_mib:>9.1f}"
        )
        target.unlink()


def bench_cache(work: Path, env: dict[str, str]) -> None:
    print("Preparing face-basics (`show`), speech cache cold then warm")
    cold_env = {**env, "CUELINE_CACHE_DIR": str(work / "cold-cache")}
    for label in ("cold", "warm"):
        wall_s, peak_mib = run_measured([*CLI, "show", "face-basics"], cold_env)
        print(f"  {label}: {wall_s:.2f} s, peak {peak_mib:.1f} MiB")


def bench_live(work: Path, env: dict[str, str]) -> None:
    """Real time through simpleaudio → ALSA → JACK's dummy card, captured by ALSA's file plugin."""
    sys.path.insert(0, str(TESTS))
    from live_device import drift, jack_device, missing_tools, onset_errors_s, watching

    from cueline.pacing import Pacing
    from cueline.routine import CountMode
    from cueline.routine_file import load_routine_path
    from cueline.safety import without_safety
    from cueline.session import prepare

    if missing_tools():
        print(f"live: skipped, {missing_tools()}")
        return
    source = work / "live.yaml"
    source.write_text(
        "title: Live bench\ntempo: 1.5s\ncount: chime\nsteps:\n"
        + "".join(f"  - name: Set {i}\n    say: Light strokes.\n    reps: 16\n" for i in range(1, 4))
    )
    timeline = prepare(without_safety(load_routine_path(source)), Pacing(count=CountMode.CHIME)).timeline
    print(
        f"Live playback of a {timeline.duration_s:.0f} s routine ({len(timeline.reps)} reps), JACK dummy card"
    )
    with jack_device(work / "live") as device, watching(device):
        started = time.monotonic()
        subprocess.run(
            [*CLI, "play", str(source), "--count", "chime", "--no-safety"],
            env={**env, **device.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        wall_s = time.monotonic() - started
    errors_ms = [
        abs(error) * 1000 for error in onset_errors_s(device, [rep.start_sample for rep in timeline.reps])
    ]
    print(
        f"  largest rep-onset error: {max(errors_ms):.1f} ms (target 10 ms); "
        f"median {sorted(errors_ms)[len(errors_ms) // 2]:.1f} ms"
    )
    print(f"  drift of wall time against audio length: {drift(device) * 100:+.3f}% (target under 1%)")
    print(f"  whole command: {wall_s:.2f} s wall for {timeline.duration_s:.2f} s of audio")

    print("Time from starting `cueline play face-basics` to its first sample (the start bell) reaching the")
    print("device, and the silence after the bell (the routine is prepared while the bell rings; 0.4 s when")
    print("it is ready in time)")
    cache = work / "start-cache"
    for label, runs in (("cold", 1), ("warm", 5)):
        firsts, silences = [], []
        for run in range(runs):
            first_s, silence_s = _first_sound(
                work / f"start-{label}-{run}", {**env, "CUELINE_CACHE_DIR": str(cache)}
            )
            firsts.append(first_s)
            silences.append(silence_s)
        target = "1" if label == "cold" else "0.3"
        print(
            f"  {label} cache: first sample {_spread(firsts)} (target {target} s); "
            f"silence after the bell {_spread(silences)}"
        )


def _first_sound(folder: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from starting `cueline play face-basics` to the first sample at the device, and the length of
    the silence heard between the bell and the first words."""
    import numpy as np
    from live_device import jack_device, watching

    from cueline.sounds import chime_pcm
    from cueline.timeline import Chime

    with jack_device(folder) as device, watching(device):
        started = time.monotonic()
        process = subprocess.Popen(
            [*CLI, "play", "face-basics"],
            env={**env, **device.env},
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        while not device.growth or device.growth[-1][1] == 0:
            time.sleep(0.001)
        first_s = next(when for when, size in device.growth if size > 0) - started
        bell = len(chime_pcm(Chime.START)) // 2
        while sum(len(c) for c in device.captures()) < bell + 3 * 22050:  # until the first words are in
            time.sleep(0.05)
        assert process.stdin is not None
        process.stdin.write(b"q")
        process.stdin.close()
        process.wait(timeout=30)
        heard = np.concatenate(device.captures())
    first_words = bell + int(np.flatnonzero(heard[bell:])[0])
    return first_s, (first_words - bell) / 22050


def _spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f} s"
    ordered = sorted(values)
    median = ordered[len(ordered) // 2]
    return f"median {median:.2f} s, {ordered[0]:.2f}-{ordered[-1]:.2f} s over {len(values)} runs"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("which", nargs="?", choices=["export", "mp3", "cache", "live", "all"], default="all")
    which = parser.parse_args().which
    with tempfile.TemporaryDirectory(prefix="cueline-bench-") as folder:
        work = Path(folder)
        env = {**os.environ, "CUELINE_CACHE_DIR": str(work / "cache")}
        if which in ("export", "all"):
            bench_export(work, env)
        if which in ("mp3", "all"):
            bench_mp3(work, env)
        if which in ("cache", "all"):
            bench_cache(work, env)
        if which in ("live", "all"):
            bench_live(work, env)


if __name__ == "__main__":
    main()
