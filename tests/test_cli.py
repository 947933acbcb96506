"""The command line: exact output and exit codes, help for every command, errors without tracebacks."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from measure import read_wav

import cueline
from cueline.cli import cli

from fakes import ToneSpeech

GOOD = """\
title: Tiny
tempo: 2s
steps:
  - name: Neck
    say: Glide up.
    reps: 3
  - name: Hold
    hold: 5s
"""


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> ToneSpeech:
    engine = ToneSpeech()
    monkeypatch.setattr("cueline.session.default_engine", lambda: engine)
    return engine


def test_every_command_has_help(runner: CliRunner) -> None:
    commands = sorted(cli.commands)  # type: ignore[attr-defined]
    assert commands == ["export", "lint", "list", "new", "play", "prefs", "schema", "show", "voices"]
    subcommands = sorted(cli.commands["prefs"].commands)  # type: ignore[attr-defined]
    assert subcommands == ["path", "reset", "set", "show"]
    for name in [*([command] for command in commands), *(["prefs", sub] for sub in subcommands)]:
        result = runner.invoke(cli, [*name, "--help"])
        assert result.exit_code == 0, name
        assert result.output.startswith("Usage:"), name
        assert len(result.output.splitlines()) > 4, name
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0 and "cueline export face-basics -o face.wav" in top.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert (result.exit_code, result.output) == (0, f"cueline, version {cueline.__version__}\n")


def test_lint_reports_ok_and_errors_with_location(
    runner: CliRunner, write_routine: Callable[..., Path]
) -> None:
    good = write_routine(GOOD, "good.yaml")
    bad = write_routine("title: Bad\nsteps:\n  - name: Neck\n    reps: many\n", "bad.yaml")
    result = runner.invoke(cli, ["lint", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.stdout == f"{good}: ok (2 steps)\n"
    assert result.stderr == (
        f"{bad}:4:11: steps[1].reps: expected a whole number from 1 to 500, got 'many'\n"
        "  hint: for example `reps: 8`\n"
    )


def test_lint_bundled(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["lint", "--bundled"])
    assert result.exit_code == 0
    assert "face-basics: ok (8 steps)" in result.output


def test_list_shows_bundled_and_user_routines_with_times(
    runner: CliRunner, fake_engine: ToneSpeech, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUELINE_ROUTINES_DIR", str(tmp_path))
    (tmp_path / "quick-3.yaml").write_text(GOOD)
    (tmp_path / "broken.yaml").write_text("title: Broken\nsteps: []\n")
    result = runner.invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "title", "time", "steps", "tools", "technique", "from"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert sorted(rows) == [
        "broken", "face-basics", "face-roller", "gua-sha", "lymphatic-drainage",
        "quick-3", "shiatsu-points", "swedish-relax",
    ]  # fmt: skip
    assert "error:" in rows["broken"] and "expected a list of at least one step" in rows["broken"]
    assert rows["quick-3"].split()[1] == "Tiny" and rows["quick-3"].endswith("user (overrides bundled)")
    assert rows["gua-sha"].endswith("bundled") and "gua sha stone" in rows["gua-sha"]


def test_new_then_lint_then_export_by_name(
    runner: CliRunner, fake_engine: ToneSpeech, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUELINE_ROUTINES_DIR", str(tmp_path / "mine"))
    created = runner.invoke(cli, ["new", "evening"])
    path = tmp_path / "mine" / "evening.yaml"
    assert created.exit_code == 0 and created.output.startswith(f"Created {path}\n")
    assert runner.invoke(cli, ["lint", str(path)]).output == f"{path}: ok (3 steps)\n"
    out = tmp_path / "evening.wav"
    exported = runner.invoke(cli, ["export", "evening", "-o", str(out)])
    assert exported.exit_code == 0 and len(read_wav(out)) > 22050 * 60
    again = runner.invoke(cli, ["new", "evening"])
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_lint_bundled_checks_the_bundled_routines_even_when_a_user_file_shadows_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUELINE_ROUTINES_DIR", str(tmp_path))
    (tmp_path / "quick-3.yaml").write_text("title: Broken\nsteps: []\n")
    result = runner.invoke(cli, ["lint", "--bundled"])
    assert result.exit_code == 0, result.output
    assert "quick-3: ok (7 steps)" in result.output


def test_lint_needs_something_to_check(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["lint"])
    assert result.exit_code == 2 and "give at least one routine file" in result.output


def test_show_prints_steps_and_total(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    # With the fake engine "Glide up." speaks 0.15 + 9 × 0.05 = 0.6 s and "Hold." 0.4 s. Chimes: step
    # 1.2 s, hold end 0.9 s, start 2.0 s, finish 2.5 s. Gaps: 0.4 s after a chime, 0.8 s before reps/holds.
    # Neck: 1.2 + 0.4 + 0.6 + 0.8 + 3 × 2 + 1 rest = 10.0 s; Hold: 1.2 + 0.4 + 0.4 + 0.8 + 5 + 0.9 + 1
    # = 9.7 s; total: 2.0 + 0.4 + 10.0 + 9.7 + 2.5 + 0.5 tail = 25.1 s. (Without cueline's own cues, which
    # have their own tests: here only the table and the pace arithmetic are checked.)
    path = write_routine(GOOD)
    result = runner.invoke(cli, ["show", str(path), "--no-safety", "--no-cues"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Tiny\n"
        "\n"
        "#  step  reps  tempo  sides  duration\n"
        "1  Neck     3  2s     -           10s\n"
        "2  Hold  hold  5s     -           10s\n"
        "\n"
        "total 25s (pace 1, speech 165 wpm, no cues)\n"
    )
    # At pace 0.5 with 4 reps: Neck 1.2 + 0.4 + 0.6 + 0.8 + 4 × 4 + 2 = 21.0 s; Hold 1.2 + 0.4 + 0.4 + 0.8
    # + 10 + 0.9 + 2 = 15.7 s; total 2.4 + 21.0 + 15.7 + 3.0 = 42.1 s.
    slower = runner.invoke(
        cli, ["show", str(path), "--pace", "0.5", "--reps", "4", "--no-safety", "--no-cues"]
    )
    assert "1  Neck     4  4s     -           21s" in slower.output
    assert "2  Hold  hold  10s    -           16s" in slower.output
    assert slower.output.endswith("total 42s (pace 0.5, speech 165 wpm, reps 4, no cues)\n")


def test_show_timeline_json(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    result = runner.invoke(
        cli, ["show", str(write_routine(GOOD)), "--timeline", "--json", "--count", "chime"]
    )
    assert result.exit_code == 0
    document = json.loads(result.output)
    counts = [cue for cue in document["cues"] if cue["role"] == "count"]
    assert [(c["kind"], c["rep"]) for c in counts] == [("chime", 1), ("chime", 2), ("chime", 3)]
    assert [round(b["start_s"] - a["start_s"], 3) for a, b in itertools.pairwise(counts)] == [
        2.0,
        2.0,
    ]
    assert set(document["cues"][0]) == {"start_s", "length_s", "kind", "role", "text", "step", "side", "rep"}


def test_the_safety_line_is_spoken_first_unless_turned_off(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    path = str(write_routine(GOOD.replace("title: Tiny", "title: Tiny\nintro: Warm the oil.")))
    spoken = [
        c
        for c in json.loads(runner.invoke(cli, ["show", path, "--json"]).output)["cues"]
        if c["kind"] == "speech"
    ]
    assert [c["role"] for c in spoken[:2]] == ["safety", "intro"]
    assert "stop if anything hurts" in spoken[0]["text"] and "retinoids" in spoken[0]["text"]
    quiet = json.loads(runner.invoke(cli, ["show", path, "--json", "--no-safety"]).output)["cues"]
    assert next(c["role"] for c in quiet if c["kind"] == "speech") == "intro"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["show", "face-basic"],
            2,
            "Error: face-basic: no routine has this name\n  hint: did you mean `face-basics`?\n",
        ),
        (
            ["show", "nope.yaml"],
            2,
            "Error: nope.yaml: no such file\n"
            "  hint: check the path, or run `cueline lint --bundled` for the bundled routines\n",
        ),
        (
            ["export", "face-basics", "-o", "out.mp4"],
            1,
            "Error: cannot tell the format of 'out.mp4' from its extension\n"
            "  hint: use one of .wav, .flac, .ogg, .mp3, or name one with --format\n",
        ),
    ],
)
def test_errors_are_one_line_without_traceback(
    runner: CliRunner, args: list[str], code: int, message: str
) -> None:
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert "Traceback" not in result.output


def test_pace_out_of_range_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["show", "face-basics", "--pace", "9"])
    assert result.exit_code == 2 and "0.25<=x<=4" in result.output


def test_counts_that_do_not_fit_are_reported_with_advice(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    # "three" speaks 0.4 s with the fake engine; with its 0.1 s margin it needs 0.5 s, a rep is 0.45 s.
    path = write_routine("title: Fast\ntempo: 0.45s\nsteps:\n  - name: Flicks\n    reps: 3\n")
    result = runner.invoke(cli, ["export", str(path), "-o", "x.wav"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: step 1 (Flicks): the spoken count 'three'")
    assert "hint: slow down with --pace, or count with `count: chime`" in result.stderr


def test_debug_shows_the_real_exception(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--debug", "show", "face-basic"])
    assert result.exit_code != 0 and type(result.exception).__name__ == "RoutineError"


@pytest.mark.speech
def test_export_bundled_routine_end_to_end(tmp_path: Path) -> None:
    """The README's first command, as a subprocess with real speech: the file lasts what `show` says."""
    target = tmp_path / "face-basics.wav"
    run = [sys.executable, "-m", "cueline"]
    export = subprocess.run(
        [*run, "export", "face-basics", "-o", str(target)], capture_output=True, text=True
    )
    assert export.returncode == 0, export.stderr
    assert export.stdout.startswith(f"Wrote {target} (")
    assert export.stderr == ""  # no progress bar off a terminal, and nothing from pyttsx3
    shown = subprocess.run(
        [*run, "show", "face-basics", "--timeline", "--json"], capture_output=True, text=True
    )
    duration_s = json.loads(shown.stdout)["duration_s"]
    assert abs(len(read_wav(target)) / 22050 - duration_s) < 1e-3
    assert 4 * 60 < duration_s < 9 * 60


@pytest.mark.speech
def test_voices_filter_accepts_a_full_language_code(runner: CliRunner) -> None:
    en_us = runner.invoke(cli, ["voices", "--language", "en-us"]).output.splitlines()
    english = runner.invoke(cli, ["voices", "--language", "en"]).output.splitlines()
    assert en_us and set(en_us) < set(english)
    assert any(line.startswith("gmw/en-us") for line in en_us)


# -- pacing, cues and saved preferences, end to end --------------------------------------------------------


def test_show_gives_each_steps_own_pace_and_duration(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    path = str(write_routine(GOOD.replace("    hold: 5s\n", "    hold: 5s\n    pace: 0.5\n")))
    result = runner.invoke(cli, ["show", path, "--pace", "0.8", "--no-safety", "--no-cues"])
    assert result.exit_code == 0, result.output
    # Neck: 1.2 + 0.4 + 0.6 + 0.8 + 3 × 2.5 + 1.25 rest = 11.75 s; Hold at 0.4: 1.2 + 0.4 + 0.4 + 0.8
    # + 12.5 + 0.9 + 2.5 = 18.7 s; total 2.4 + 11.75 + 18.7 + 3.0 = 35.85 s.
    assert result.output.splitlines()[2:6] == [
        "#  step  reps  tempo  pace  sides  duration",
        "1  Neck     3  2.5s   0.8   -           12s",
        "2  Hold  hold  12.5s  0.4   -           19s",
        "",
    ]
    assert result.output.endswith("total 36s (pace 0.8, speech 165 wpm, no cues)\n")


LAYERS = """\
title: Layers
tempo: 2s
count: voice
cues:
  halfway: false
steps:
  - name: Neck
    say: Glide up.
    reps: 8
"""


def heard(runner: CliRunner, *args: str) -> dict[str, object]:
    """What `show --json` says a run would sound like: pacing, count kinds, cue roles, rep spacing."""
    result = runner.invoke(cli, ["show", *args, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    cues = document["cues"]
    counts = [cue for cue in cues if cue["role"] == "count"]
    first = {rep: min(cue["start_s"] for cue in counts if cue["rep"] == rep) for rep in (1, 2)}
    return {
        "pacing": document["pacing"],
        "count": sorted({cue["kind"] for cue in counts}),
        "halfway": any(cue["role"] == "halfway" for cue in cues),
        "safety": any(cue["role"] == "safety" for cue in cues),
        "rep_s": round(first[2] - first[1], 3),
        "duration_s": document["duration_s"],
    }


def test_precedence_command_line_over_saved_preferences_over_routine_over_defaults(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    path = str(write_routine(LAYERS))
    routine_only = heard(runner, path)
    assert routine_only["pacing"] == "pace 1, speech 165 wpm"  # defaults
    assert (routine_only["count"], routine_only["halfway"]) == (["speech"], False)  # the routine's choices
    assert (routine_only["rep_s"], routine_only["safety"]) == (2.0, True)

    for key, value in [("pace", "0.8"), ("count", "chime"), ("halfway", "on"), ("safety", "off")]:
        saved = runner.invoke(cli, ["prefs", "set", key, value])
        assert saved.exit_code == 0 and saved.output.startswith(f"Saved {key} = {value} in "), saved.output
    with_prefs = heard(runner, path)
    assert with_prefs["pacing"] == "pace 0.8, speech 165 wpm, count chime"
    assert (with_prefs["count"], with_prefs["halfway"]) == (["chime"], True)  # preferences over the routine
    assert (with_prefs["rep_s"], with_prefs["safety"]) == (2.5, False)

    flags = ["--pace", "1.25", "--count", "both", "--no-cue", "halfway", "--safety"]
    with_flags = heard(runner, path, *flags)
    assert with_flags["pacing"] == "pace 1.25, speech 165 wpm, count both, cues off: halfway"
    assert (with_flags["count"], with_flags["halfway"]) == (["chime", "speech"], False)  # flags over prefs
    assert (with_flags["rep_s"], with_flags["safety"]) == (1.6, True)
    assert heard(runner, path, "--pace", "1")["rep_s"] == 2.0  # a flag equal to the default still wins

    fitted = heard(runner, path, "--fit", "1m")  # --fit replaces the saved pace, keeps the rest
    assert str(fitted["pacing"]).endswith("to fit 1:00, speech 165 wpm, count chime")
    assert abs(float(fitted["duration_s"]) - 60.0) <= 0.5  # type: ignore[arg-type]

    reset = runner.invoke(cli, ["prefs", "reset"])
    assert reset.exit_code == 0 and reset.output.startswith("Forgot all preferences (")
    assert heard(runner, path) == routine_only


def test_a_corrupt_preferences_file_is_reported_with_its_path_and_ignored(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech, tmp_path: Path
) -> None:
    path = str(write_routine(LAYERS))
    clean = runner.invoke(cli, ["show", path])
    prefs = Path(os.environ["CUELINE_CONFIG_DIR"]) / "preferences.toml"
    prefs.write_text("pace = 0.8\nhalfway = off\n")  # TOML has no bare `off`
    warning = (
        f"Warning: ignoring saved preferences: {prefs}: "
        "not valid TOML: Invalid value (at line 2, column 11)\n"
        "  hint: fix the file by hand, or start again with `cueline prefs reset`\n"
    )

    shown = runner.invoke(cli, ["show", path])
    assert (shown.exit_code, shown.stdout, shown.stderr) == (0, clean.stdout, warning)
    exported = runner.invoke(cli, ["export", path, "-o", str(tmp_path / "out.wav")])
    assert (exported.exit_code, exported.stderr) == (0, warning)
    assert len(read_wav(tmp_path / "out.wav")) > 22050
    listed = runner.invoke(cli, ["prefs", "show"])
    assert (listed.exit_code, listed.stderr) == (0, warning)
    assert ["pace", "1", "default"] in [line.split() for line in listed.stdout.splitlines()]
    refused = runner.invoke(cli, ["prefs", "set", "pace", "0.9"])
    assert refused.exit_code == 2 and f"cannot update the preferences: {prefs}" in refused.stderr
    assert prefs.read_text() == "pace = 0.8\nhalfway = off\n"  # someone's settings, kept for them to fix
    assert runner.invoke(cli, ["prefs", "reset"]).exit_code == 0
    assert runner.invoke(cli, ["show", path]).stderr == ""


def test_prefs_show_path_and_mistakes(runner: CliRunner) -> None:
    where = Path(os.environ["CUELINE_CONFIG_DIR"]) / "preferences.toml"
    assert runner.invoke(cli, ["prefs", "path"]).output == f"{where}\n"
    assert runner.invoke(cli, ["prefs", "set", "next-step", "off"]).exit_code == 0
    shown = runner.invoke(cli, ["prefs", "show"]).output.splitlines()
    assert shown[0] == f"Preferences file: {where}"
    assert "next-step    off    saved" in shown and "halfway      -      the routine, else on" in shown
    typo = runner.invoke(cli, ["prefs", "set", "pase", "0.8"])
    assert (typo.exit_code, typo.stderr) == (
        2,
        "Error: 'pase' is not a preference\n  hint: did you mean `pace`?\n",
    )
    nothing = runner.invoke(cli, ["prefs", "reset", "pace"])
    assert nothing.output == "Nothing to forget: none of that is saved.\n"


def test_show_fit_gives_every_steps_duration_and_the_pace_chosen(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    path = str(write_routine(GOOD.replace("    hold: 5s\n", "    hold: 5s\n    pace: 0.5\n")))
    result = runner.invoke(cli, ["show", path, "--fit", "1m"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2].split() == ["#", "step", "reps", "tempo", "pace", "sides", "duration"]
    footer = re.fullmatch(r"total 1:00 \(pace ([0-9.]+) to fit 1:00, speech 165 wpm\)", lines[-1])
    assert footer is not None, lines[-1]
    pace = float(footer[1])
    neck, hold = lines[3].split(), lines[4].split()
    assert neck[:5] == ["1", "Neck", "3", f"{round(2 / pace, 2):g}s", f"{round(pace, 3):g}"]
    assert hold[:5] == ["2", "Hold", "hold", f"{round(5 / (pace * 0.5), 2):g}s", f"{round(pace * 0.5, 3):g}"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fit", "10m", "--pace", "0.8"], "--fit chooses the pace itself: give --fit or --pace, not both"),
        (["--fit", "ten minutes"], "'ten minutes' is not a duration such as 1h, 10m, 90s or 1m30s"),
        (["--cue", "halfway", "--no-cue", "halfway"], "--cue and --no-cue both name halfway"),
        (["--no-cue", "halfwy"], "'halfwy' is not one of"),
    ],
)
def test_pacing_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["show", "face-basics", *args])
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_a_fit_out_of_reach_names_the_range(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    result = runner.invoke(cli, ["show", str(write_routine(GOOD)), "--fit", "1h"])
    assert result.exit_code == 2
    pattern = r"Error: cannot fit this routine to 1:00:00: at paces 0.25 to 4 it lasts from \d+s to 1:\d\d\n"
    assert re.match(pattern, result.stderr), result.stderr


def test_no_cues_and_single_cues_from_the_command_line(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    path = str(write_routine(LAYERS))

    def roles(*args: str) -> set[str]:
        result = runner.invoke(cli, ["show", path, "--json", "--no-safety", *args])
        return {cue["role"] for cue in json.loads(result.stdout)["cues"]}

    plain = {"bell", "step", "instruction", "count"}
    assert roles("--no-cues") == plain
    assert roles("--no-cues", "--cue", "last-rep") == plain | {"last_rep"}
    all_cues = plain | {"count_in", "halfway", "last_rep", "finish"}
    assert roles("--cues") == all_cues  # even the halfway cue the routine turned off
    assert roles() == plain | {"count_in", "last_rep", "finish"}


def test_show_timeline_says_which_cues_had_no_room(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech
) -> None:
    path = str(write_routine("title: Flicks\ntempo: 1s\nsteps:\n  - name: Flicks\n    reps: 8\n"))
    lines = runner.invoke(cli, ["show", path, "--timeline"]).output.splitlines()
    assert lines[-2:] == [
        "            (left out, no room in its rep: Halfway.)  [step 1, rep 5]",
        "            (left out, no room in its rep: Last one.)  [step 1, rep 8]",
    ]
    roomy = runner.invoke(cli, ["show", path, "--timeline", "--pace", "0.8"]).output
    assert "left out" not in roomy and "Last one.  [step 1, rep 8]" in roomy


# --- export: formats, captions, playlists, loudness, every bundled routine --------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "face-basics"], "give exactly one of -o FILE, --playlist DIR or --all DIR"),
        (["export", "face-basics", "-o", "a.mp3", "--playlist", "d"], "give exactly one of -o FILE"),
        (["export", "face-basics", "--all", "d"], "--all exports every bundled routine: leave out ROUTINE"),
        (["export", "-o", "a.mp3"], "name the ROUTINE to export"),
        (["export", "face-basics", "--playlist", "d", "--captions", "c.vtt"], "--captions goes with -o FILE"),
        (["export", "face-basics", "-o", "a.mp3", "--loudness", "loud"], "'loud' is neither a loudness"),
        (["export", "face-basics", "-o", "a.mp3", "--loudness", "-9"], "-9 LUFS is out of range: use -30"),
        (["export", "face-basics", "-o", "a.mp3", "--loudness", "-15"], "use -30 (quieter) to -16 (louder)"),
        (["export", "face-basics", "-o", "a.mp3", "--bitrate", "33"], "'33' is not one of"),
        (["export", "face-basics", "-o", "a.mp3", "--format", "aac"], "'aac' is not one of"),
    ],
)
def test_export_usage_errors_say_what_to_do(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_export_mp3_with_captions(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech, tmp_path: Path
) -> None:
    from mutagen.mp3 import MP3

    from cueline.durations import format_duration

    path = write_routine(GOOD)
    planned = json.loads(runner.invoke(cli, ["show", str(path), "--json", "--no-safety"]).stdout)
    spoken = [cue for cue in planned["cues"] if cue["kind"] == "speech"]
    out, vtt = tmp_path / "tiny.mp3", tmp_path / "tiny.vtt"
    result = runner.invoke(cli, ["export", str(path), "-o", str(out), "--captions", str(vtt), "--no-safety"])
    assert result.exit_code == 0, result.output
    took = format_duration(planned["duration_s"])
    assert result.stdout == (
        f"Wrote {out} ({took}, pace 1, speech 165 wpm, loudness -16 LUFS)\n"
        f"Wrote {vtt} ({len(spoken)} captions)\n"
    )
    assert MP3(out).info.length == pytest.approx(planned["duration_s"], abs=0.001)
    assert vtt.read_text().startswith("WEBVTT\n\n")


def test_export_format_overrides_the_extension_and_loudness_off_is_recorded(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech, tmp_path: Path
) -> None:
    import soundfile
    from mutagen.flac import FLAC

    out = tmp_path / "tiny.audio"
    args = ["export", str(write_routine(GOOD)), "-o", str(out), "--format", "FLAC", "--loudness", "off"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("loudness as spoken)\n")
    assert soundfile.info(out).format == "FLAC"
    assert FLAC(out)["COMMENT"] == ["pace 1, speech 165 wpm, loudness as spoken"]


def test_export_captions_are_checked_before_the_audio_is_written(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech, tmp_path: Path
) -> None:
    out = tmp_path / "tiny.mp3"
    result = runner.invoke(cli, ["export", str(write_routine(GOOD)), "-o", str(out), "--captions", "x.txt"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot tell the caption format of 'x.txt' from its extension\n  hint: use .vtt or .srt\n"
    )
    assert not out.exists()


def test_export_playlist(
    runner: CliRunner, write_routine: Callable[..., Path], fake_engine: ToneSpeech, tmp_path: Path
) -> None:
    from cueline.durations import format_duration

    folder, path = tmp_path / "tiny", str(write_routine(GOOD))
    planned = json.loads(runner.invoke(cli, ["show", path, "--json", "--no-safety"]).stdout)
    took = format_duration(planned["duration_s"])
    result = runner.invoke(cli, ["export", path, "--playlist", str(folder), "--no-safety"])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == f"Wrote 4 files and {folder / 'Tiny.m3u'} ({took}, pace 1, speech 165 wpm, loudness -16 LUFS)\n"
    )
    tracks = ["01 Intro.mp3", "02 Neck.mp3", "03 Hold.mp3", "04 Outro.mp3"]
    assert sorted(p.name for p in folder.iterdir()) == [*tracks, "Tiny.m3u"]


def test_export_all_bundled_routines(
    runner: CliRunner, fake_engine: ToneSpeech, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cueline.catalog import bundled_names

    monkeypatch.setenv("CUELINE_ROUTINES_DIR", str(tmp_path / "mine"))
    folder = tmp_path / "all"
    result = runner.invoke(cli, ["export", "--all", str(folder), "--reps", "1", "--format", "wav"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    names = bundled_names()
    assert [line.split(" (")[0] for line in lines[:-1]] == [f"Wrote {folder / n}.wav" for n in names]
    assert lines[-1] == f"Exported {len(names)} routines (pace 1, speech 165 wpm, reps 1, loudness -16 LUFS)"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.wav" for n in names)


def test_show_measures_without_normalising_and_export_then_has_every_clip_ready(
    runner: CliRunner,
    write_routine: Callable[..., Path],
    fake_engine: ToneSpeech,
    tmp_path: Path,
    isolated_dirs: Path,
) -> None:
    path = str(write_routine(GOOD))
    assert runner.invoke(cli, ["show", path]).exit_code == 0
    assert not (isolated_dirs / "normalised").exists()  # `show` needs lengths, not loudness
    rendered = len(fake_engine.calls)
    assert runner.invoke(cli, ["export", path, "-o", str(tmp_path / "t.flac")]).exit_code == 0
    assert len(fake_engine.calls) == rendered  # spoken once, by `show`; normalised by the export
    assert len(list((isolated_dirs / "normalised").rglob("*.wav"))) == len(set(fake_engine.calls))


def test_a_failed_flac_write_is_a_clear_error_and_leaves_nothing(
    runner: CliRunner,
    write_routine: Callable[..., Path],
    fake_engine: ToneSpeech,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import soundfile

    def full_disk(self: object, data: object) -> None:  # what libsndfile reports when the disk fills up
        raise soundfile.LibsndfileError(2)

    monkeypatch.setattr(soundfile.SoundFile, "write", full_disk)
    out = tmp_path / "out" / "tiny.flac"
    out.parent.mkdir()
    result = runner.invoke(cli, ["export", str(write_routine(GOOD)), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: could not write {out}: the FLAC encoder could not write")
    assert "(is the disk full?)" in result.stderr and "internal error" not in result.stderr
    assert list(out.parent.iterdir()) == []


def test_captions_into_a_folder_that_cannot_be_written_are_refused_before_the_audio(
    runner: CliRunner,
    write_routine: Callable[..., Path],
    fake_engine: ToneSpeech,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: path != locked and real_access(path, mode))
    out = tmp_path / "tiny.mp3"
    args = ["export", str(write_routine(GOOD)), "-o", str(out), "--captions", str(locked / "c.vtt")]
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: cannot write captions in {locked}\n  hint: choose a folder you can write to\n",
    )
    assert not out.exists()
