"""Find routines by name (the user's own folder first, then the bundled ones) or by path."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from cueline.errors import RoutineError
from cueline.paths import routines_dir
from cueline.routine import Routine
from cueline.routine_file import load_routine_path, load_routine_text


class Origin(StrEnum):
    """Where a named routine comes from."""

    BUNDLED = "bundled"
    USER = "user"


@dataclass(frozen=True)
class Entry:
    """A routine known by name."""

    name: str
    origin: Origin
    path: Path | None  # the user's file; None for a bundled routine (read from the package)
    shadows_bundled: bool = False  # a user file with a bundled routine's name wins, and says so

    def load(self) -> Routine:
        if self.path is not None:
            return load_routine_path(self.path)
        data = resources.files("cueline").joinpath("routines", f"{self.name}.yaml").read_bytes()
        return load_routine_text(data, f"{self.name}.yaml (bundled)")


def bundled_names() -> list[str]:
    """Names of the routines that ship with cueline."""
    folder = resources.files("cueline").joinpath("routines")
    return sorted(item.name.removesuffix(".yaml") for item in folder.iterdir() if item.name.endswith(".yaml"))


def bundled_entries() -> list[Entry]:
    """The bundled routines as entries, whatever the user's folder holds."""
    return [Entry(name, Origin.BUNDLED, None) for name in bundled_names()]


def user_routine_paths() -> dict[str, Path]:
    """The user's routine files by name (`NAME.yaml` in the routines folder)."""
    folder = routines_dir()
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.yaml")) if path.is_file()}


def entries() -> list[Entry]:
    """Every routine known by name, sorted; a user's file wins over a bundled routine of the same name."""
    found = {entry.name: entry for entry in bundled_entries()}
    bundled = set(found)
    for name, path in user_routine_paths().items():
        found[name] = Entry(name, Origin.USER, path, shadows_bundled=name in bundled)
    return [found[name] for name in sorted(found)]


def looks_like_path(reference: str) -> bool:
    """A reference with a folder separator or a YAML extension is a file, anything else a name."""
    return "/" in reference or "\\" in reference or reference.endswith((".yaml", ".yml"))


def find(name: str) -> Entry:
    """The routine called `name`, or an error that suggests the closest name."""
    known = {entry.name: entry for entry in entries()}
    if name in known:
        return known[name]
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean `{close[0]}`?" if close else "see `cueline list`, or give a routine file's path"
    raise RoutineError("no routine has this name", source=name, hint=hint)


def load_routine(reference: str) -> Routine:
    """The routine a user named: a path to a routine file, or the name of a user or bundled routine."""
    if looks_like_path(reference):
        return load_routine_path(Path(reference))
    return find(reference).load()
