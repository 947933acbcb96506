"""Saved preferences: a small TOML file in the user's config folder (`CUELINE_CONFIG_DIR` moves it).

They are one settings layer: the command line wins over them, and they win over the routine file, which
wins over cueline's defaults. A file that cannot be read is reported and ignored, never fatal: a typo in
preferences must not stop a routine from playing.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cueline import defaults
from cueline.atomic import atomic_path
from cueline.errors import CuelineError, PreferencesError
from cueline.pacing import Choices, Pacing
from cueline.paths import config_dir
from cueline.routine import CountMode, CueSwitches, SpokenCue

Value = float | int | str | bool

CUE_KEYS = tuple(cue.value for cue in SpokenCue)
KEYS = ("pace", "speech-rate", "reps", "count", "safety", *CUE_KEYS)
_TRUE, _FALSE = ("on", "true", "yes"), ("off", "false", "no")
RESET_HINT = "fix the file by hand, or start again with `cueline prefs reset`"
HEADER = (
    "# cueline preferences: used whenever the command line does not say otherwise, and over the routine\n"
    "# file's own choices. Change them with `cueline prefs set KEY VALUE` (or here, by hand); remove them\n"
    "# with `cueline prefs reset`.\n"
)


def prefs_path() -> Path:
    """Where the preferences live."""
    return config_dir() / defaults.PREFS_FILE


_SWITCHES = ("safety", *CUE_KEYS)
_WHOLE = {
    "speech-rate": (defaults.SPEECH_RATE_MIN_WPM, defaults.SPEECH_RATE_MAX_WPM),
    "reps": (1, defaults.MAX_REPS),
}


def known(key: str) -> str:
    """`key` if it names a preference; else a PreferencesError that suggests the closest one."""
    if key not in KEYS:
        close = difflib.get_close_matches(key, KEYS, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(KEYS)}"
        raise PreferencesError(f"{key!r} is not a preference", hint=hint)
    return key


def check(key: str, value: object) -> Value:
    """A preference's value, checked as the command line checks it; raises PreferencesError."""
    known(key)
    if key == "count":
        choices = [mode.value for mode in CountMode]
        if not isinstance(value, str) or value not in choices:
            raise PreferencesError(f"count must be one of {', '.join(choices)}, not {value!r}")
        return value
    if key in _SWITCHES:
        if not isinstance(value, bool):
            raise PreferencesError(f"{key} must be on or off, not {value!r}")
        return value
    if key == "pace":
        low, high = defaults.PACE_MIN, defaults.PACE_MAX
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise PreferencesError(f"pace must be a number from {low:g} to {high:g}, not {value!r}")
        return float(value)
    least, most = _WHOLE[key]
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise PreferencesError(f"{key} must be a whole number from {least} to {most}, not {value!r}")
    return value


def parse(key: str, text: str) -> Value:
    """A preference's value from the command line's text (`0.8`, `chime`, `off`)."""
    if key in _SWITCHES:
        word = text.strip().lower()
        return check(key, True if word in _TRUE else False if word in _FALSE else text)
    if key in ("pace", "speech-rate", "reps"):
        try:
            return check(key, float(text) if key == "pace" else int(text))
        except ValueError:
            pass  # not a number: reported below, as the value written
    return check(key, text.strip() if key == "count" else text)


@dataclass(frozen=True)
class Saved:
    """The preferences as read: values by key, or nothing and the reason the file was ignored."""

    path: Path
    values: dict[str, Value] = field(default_factory=dict)
    problem: str | None = None  # why the file was ignored: `{path}: {reason}`

    @property
    def choices(self) -> Choices:
        """The settings layer these preferences make."""
        values = self.values
        pace, rate, reps = values.get("pace"), values.get("speech-rate"), values.get("reps")
        count, safety = values.get("count"), values.get("safety")
        return Choices(
            pace=None if pace is None else float(pace),
            speech_rate_wpm=None if rate is None else int(rate),
            reps=None if reps is None else int(reps),
            count=None if count is None else CountMode(str(count)),
            safety=None if safety is None else bool(safety),
            cues=CueSwitches.of({SpokenCue(key): bool(values[key]) for key in CUE_KEYS if key in values}),
        )


def load_prefs(path: Path | None = None) -> Saved:
    """Read the preferences; a missing file is none saved, a broken one is ignored with the reason why."""
    path = path or prefs_path()
    try:
        if not path.exists():
            return Saved(path)
        if not path.is_file():
            return Saved(path, problem=f"{path}: is not a regular file")
        with path.open("rb") as handle:
            data = handle.read(defaults.MAX_PREFS_BYTES + 1)
    except OSError as exc:
        return Saved(path, problem=f"{path}: cannot read it: {exc.strerror or exc}")
    if len(data) > defaults.MAX_PREFS_BYTES:
        return Saved(path, problem=f"{path}: larger than {defaults.MAX_PREFS_BYTES // 1024} KiB")
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return Saved(path, problem=f"{path}: not valid UTF-8")
    except tomllib.TOMLDecodeError as exc:
        return Saved(path, problem=f"{path}: not valid TOML: {exc}")
    values: dict[str, Value] = {}
    for key, value in document.items():
        try:
            values[key] = check(key, value)
        except PreferencesError as exc:
            return Saved(path, problem=f"{path}: {exc.message}")
    return Saved(path, values)


def save_prefs(values: dict[str, Value], path: Path) -> None:
    """Write the preferences atomically, one `key = value` line each, in KEYS order."""
    lines = [f"{key} = {_toml(values[key])}" for key in KEYS if key in values]
    try:
        with atomic_path(path) as temp:
            temp.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise CuelineError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="set CUELINE_CONFIG_DIR to a folder you can write to",
        ) from exc


def _toml(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # always with a point or exponent, as TOML wants of a float
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)  # a JSON string is a TOML basic string


def _writable(path: Path | None) -> Saved:
    saved = load_prefs(path)
    if saved.problem is not None:
        raise PreferencesError(f"cannot update the preferences: {saved.problem}", hint=RESET_HINT)
    return saved


def set_pref(key: str, text: str, path: Path | None = None) -> Value:
    """Save one preference; returns the value as saved. A file that cannot be read is left untouched."""
    value = parse(key, text)
    saved = _writable(path)
    save_prefs({**saved.values, key: value}, saved.path)
    return value


def reset_prefs(keys: tuple[str, ...] = (), path: Path | None = None) -> bool:
    """Forget the given preferences, or all of them (the file goes); returns whether anything was saved."""
    path = path or prefs_path()
    if not keys:
        existed = path.exists()
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise CuelineError(f"cannot remove {path}: {exc.strerror or exc}") from exc
        return existed
    for key in keys:
        known(key)
    saved = _writable(path)
    remaining = {key: value for key, value in saved.values.items() if key not in keys}
    if remaining == saved.values:
        return False
    save_prefs(remaining, path)
    return True


@dataclass(frozen=True)
class Resolved:
    """The settings for one run: the command line over saved preferences (the routine file lies below
    both, inside compiling), and why the preferences were ignored, if they were."""

    pacing: Pacing
    safety: bool
    problem: str | None


def resolve(command_line: Choices, path: Path | None = None) -> Resolved:
    """Layer the command line's choices over the saved preferences."""
    saved = load_prefs(path)
    chosen = command_line.over(saved.choices)
    return Resolved(chosen.pacing(), chosen.safety_on, saved.problem)
