"""`cueline new`: a commented starter routine in the user's routines folder, ready to edit."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from cueline.atomic import atomic_path
from cueline.errors import CuelineError
from cueline.paths import routines_dir

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")

STARTER = """\
# yaml-language-server: $schema={schema}
# A cueline routine. Check it with `cueline lint {path}`,
# see how long it lasts with `cueline show {name}`, and hear it with
# `cueline play {name}`. Every field is explained in docs/routines.md.
title: {title}
description: A short, gentle routine of my own.
technique: Effleurage          # shown by `cueline list`
tools: [hands]
oil: A few drops of a light oil, such as jojoba
tags: [mine]
language: en                   # speech language and count words
tempo: 4s                      # seconds per stroke at pace 1 (change the pace with --pace)
count: voice                   # voice, chime, both or silent
intro: Warm a small drop of oil between your palms.
outro: That is the end. Take one slow breath.
steps:
  - name: Spread the oil       # shown on screen
    say: Spread the oil over your face and neck with long, light, upward strokes.
    reps: 6
  - name: Jaw
    say: Glide your fingertips along the jaw, from the chin toward the ears.
    reps: 8
    sides: [right, left]       # the reps once per side, with a spoken switch
    rest: 2s                   # quiet after the step
  - name: Temples
    say: Rest your fingertips on your temples and press very softly.
    hold: 10s                  # a timed hold instead of counted strokes
# Write spoken text as you would say it: words, not numerals or units such as 10s.
"""


def create_routine(name: str, folder: Path | None = None) -> Path:
    """Write a starter routine called `name`; never overwrites an existing file."""
    if not _NAME.match(name):
        raise CuelineError(
            f"{name!r} is not a usable routine name",
            hint="use lowercase letters, digits and hyphens, such as `evening-face`",
        )
    target = (folder or routines_dir()) / f"{name}.yaml"
    if target.exists():
        raise CuelineError(f"{target} already exists", hint="choose another name, or edit that file")
    schema = resources.files("cueline").joinpath("routine.schema.json")
    text = STARTER.format(schema=schema, path=target, name=name, title=name.replace("-", " ").capitalize())
    try:
        with atomic_path(target) as temp:
            temp.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CuelineError(
            f"cannot write {target}: {exc.strerror or exc}",
            hint="set CUELINE_ROUTINES_DIR to a folder you can write to",
        ) from exc
    return target
