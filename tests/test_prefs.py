"""Saved preferences: a small readable file, checked like the command line, and never fatal when broken."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from cueline.errors import PreferencesError
from cueline.pacing import Choices
from cueline.prefs import KEYS, load_prefs, prefs_path, reset_prefs, resolve, set_pref
from cueline.routine import CountMode, CueSwitches, SpokenCue


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "preferences.toml"


def test_the_file_lives_in_the_config_dir_which_the_environment_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUELINE_CONFIG_DIR", str(tmp_path / "elsewhere"))
    assert prefs_path() == tmp_path / "elsewhere" / "preferences.toml"


def test_set_writes_a_small_readable_toml_file(path: Path) -> None:
    assert set_pref("pace", "0.8", path) == 0.8
    assert set_pref("count", "chime", path) == "chime"
    assert set_pref("halfway", "off", path) is False
    assert set_pref("speech-rate", "150", path) == 150
    assert set_pref("pace", "1", path) == 1.0  # a second set replaces the first

    text = path.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if not line.startswith("#")] == [
        "pace = 1.0", "speech-rate = 150", "count = \"chime\"", "halfway = false",
    ]  # fmt: skip
    assert tomllib.loads(text) == {"pace": 1.0, "speech-rate": 150, "count": "chime", "halfway": False}
    assert sorted(p.name for p in path.parent.iterdir()) == ["preferences.toml"]  # no temporary left over


def test_a_saved_file_reads_back_as_a_settings_layer(path: Path) -> None:
    for key, value in [("pace", "0.8"), ("reps", "6"), ("count", "both"), ("safety", "no"),
                       ("count-in", "off"), ("finish", "yes")]:  # fmt: skip
        set_pref(key, value, path)

    saved = load_prefs(path)

    assert saved.problem is None
    assert saved.choices == Choices(
        pace=0.8,
        reps=6,
        count=CountMode.BOTH,
        safety=False,
        cues=CueSwitches(on=frozenset({SpokenCue.FINISH}), off=frozenset({SpokenCue.COUNT_IN})),
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("pase", "0.8", "'pase' is not a preference"),
        ("pace", "9", "pace must be a number from 0.25 to 4, not 9.0"),
        ("pace", "slow", "pace must be a number from 0.25 to 4, not 'slow'"),
        ("speech-rate", "1.5", "speech-rate must be a whole number from 80 to 400, not '1.5'"),
        ("reps", "0", "reps must be a whole number from 1 to 500, not 0"),
        ("count", "loud", "count must be one of voice, chime, both, silent, not 'loud'"),
        ("halfway", "maybe", "halfway must be on or off, not 'maybe'"),
    ],
)
def test_set_checks_the_value_like_the_command_line(path: Path, key: str, value: str, message: str) -> None:
    with pytest.raises(PreferencesError) as caught:
        set_pref(key, value, path)
    assert caught.value.message == message
    assert not path.exists()


def test_an_unknown_key_suggests_the_closest(path: Path) -> None:
    with pytest.raises(PreferencesError) as caught:
        set_pref("halfwya", "off", path)
    assert caught.value.hint == "did you mean `halfway`?"


def test_every_pacing_option_and_cue_is_a_key() -> None:
    assert ("pace", "speech-rate", "reps", "count", "safety", *(cue.value for cue in SpokenCue)) == KEYS


BROKEN = [
    pytest.param(b"pace = [\n", "not valid TOML", id="not-toml"),
    pytest.param(b"pace = 9\n", "pace must be a number from 0.25 to 4, not 9", id="out-of-range"),
    pytest.param(b'pace = "0.8"\n', "pace must be a number from 0.25 to 4, not '0.8'", id="wrong-type"),
    pytest.param(b"halfway = off\n", "not valid TOML", id="bare-off"),
    pytest.param(b"colour = true\n", "'colour' is not a preference", id="unknown-key"),
    pytest.param(b"[cues]\nhalfway = false\n", "'cues' is not a preference", id="a-table"),
    pytest.param(b"pace = 0.8\xff\n", "not valid UTF-8", id="not-utf8"),
    pytest.param(b"# " + b"x" * 70_000 + b"\n", "larger than 64 KiB", id="too-large"),
]


@pytest.mark.parametrize(("data", "reason"), BROKEN)
def test_a_broken_file_is_reported_with_its_path_and_ignored(path: Path, data: bytes, reason: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(data)

    saved = load_prefs(path)

    assert saved.values == {} and saved.choices == Choices()
    assert saved.problem is not None and saved.problem.startswith(f"{path}: {reason}")


def test_a_folder_where_the_file_should_be_is_reported_and_ignored(path: Path) -> None:
    path.mkdir(parents=True)
    assert load_prefs(path).problem == f"{path}: is not a regular file"


def test_set_leaves_a_broken_file_alone_and_reset_starts_again(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"pace = 0.8\nhalfway = off\n")  # one typo; the rest is someone's settings

    with pytest.raises(PreferencesError, match="cannot update the preferences") as caught:
        set_pref("pace", "0.9", path)

    assert path.read_bytes() == b"pace = 0.8\nhalfway = off\n"
    assert caught.value.hint is not None and "cueline prefs reset" in caught.value.hint
    assert reset_prefs((), path) is True and not path.exists()
    assert reset_prefs((), path) is False


def test_reset_can_forget_single_keys(path: Path) -> None:
    set_pref("pace", "0.8", path)
    set_pref("halfway", "off", path)

    assert reset_prefs(("halfway",), path) is True
    assert reset_prefs(("halfway",), path) is False
    assert load_prefs(path).values == {"pace": 0.8}
    with pytest.raises(PreferencesError, match="'halfwy' is not a preference"):
        reset_prefs(("halfwy",), path)


def test_an_interrupted_save_keeps_the_old_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_pref("pace", "0.8", path)
    before = path.read_bytes()

    def interrupted(self: Path, *args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", interrupted)
    with pytest.raises(KeyboardInterrupt):
        set_pref("pace", "0.5", path)

    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["preferences.toml"]


# -- layering ----------------------------------------------------------------------------------------------


def test_the_command_line_wins_over_saved_preferences_key_by_key(path: Path) -> None:
    set_pref("pace", "0.8", path)
    set_pref("count", "chime", path)
    set_pref("halfway", "off", path)
    set_pref("finish", "off", path)
    command_line = Choices(count=CountMode.VOICE, cues=CueSwitches(on=frozenset({SpokenCue.FINISH})))

    resolved = resolve(command_line, path)

    assert (resolved.pacing.pace, resolved.pacing.count) == (0.8, CountMode.VOICE)
    assert resolved.pacing.cues == CueSwitches(
        on=frozenset({SpokenCue.FINISH}), off=frozenset({SpokenCue.HALFWAY})
    )
    assert resolved.safety is True and resolved.problem is None


def test_fit_and_pace_are_one_choice_so_a_command_line_fit_hides_a_saved_pace(path: Path) -> None:
    set_pref("pace", "0.8", path)

    fitted = resolve(Choices(fit_s=600.0), path).pacing
    paced = resolve(Choices(pace=1.5), path).pacing
    saved = resolve(Choices(), path).pacing

    assert (fitted.fit_s, fitted.pace) == (600.0, 1.0)
    assert (paced.fit_s, paced.pace) == (None, 1.5)
    assert (saved.fit_s, saved.pace) == (None, 0.8)


def test_with_nothing_saved_or_chosen_the_defaults_apply(path: Path) -> None:
    resolved = resolve(Choices(), path)
    assert (resolved.pacing.pace, resolved.pacing.speech_rate_wpm, resolved.pacing.count) == (1.0, 165, None)
    assert resolved.pacing.cues == CueSwitches() and resolved.safety is True


def test_a_broken_file_gives_the_defaults_and_says_why(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("pace = = 2\n")
    resolved = resolve(Choices(reps=3), path)
    assert (resolved.pacing.pace, resolved.pacing.reps) == (1.0, 3)
    assert resolved.problem is not None and resolved.problem.startswith(str(path))
