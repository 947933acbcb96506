"""Find routines: bundled ones by name (they ship inside the package), or any routine file by path."""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path

from cueline.errors import RoutineError
from cueline.routine import Routine
from cueline.routine_file import load_routine_path, load_routine_text


def bundled_names() -> list[str]:
    """Names of the routines that ship with cueline."""
    folder = resources.files("cueline").joinpath("routines")
    return sorted(
        entry.name.removesuffix(".yaml") for entry in folder.iterdir() if entry.name.endswith(".yaml")
    )


def looks_like_path(reference: str) -> bool:
    """A reference with a folder separator or a YAML extension is a file, anything else a bundled name."""
    return (
        "/" in reference
        or "\\" in reference
        or reference.endswith((".yaml", ".yml"))
        or Path(reference).is_file()
    )


def load_routine(reference: str) -> Routine:
    """The routine a user named: a path to a routine file, or the name of a bundled routine."""
    if looks_like_path(reference):
        return load_routine_path(Path(reference))
    names = bundled_names()
    if reference not in names:
        close = difflib.get_close_matches(reference, names, n=1)
        hint = (
            f"did you mean `{close[0]}`?"
            if close
            else f"bundled routines: {', '.join(names)}; or give a file path"
        )
        raise RoutineError("no bundled routine has this name", source=reference, hint=hint)
    data = resources.files("cueline").joinpath("routines", f"{reference}.yaml").read_bytes()
    return load_routine_text(data, f"{reference}.yaml (bundled)")
