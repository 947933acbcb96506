"""Load a routine file (YAML, format version 1) into a Routine, reporting errors by file, line and field."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from cueline import defaults
from cueline.durations import parse_duration_s
from cueline.errors import RoutineError
from cueline.routine import CountMode, Routine, Step

ROUTINE_KEYS = ("title", "description", "language", "voice", "tempo", "count", "intro", "outro", "steps")
STEP_KEYS = ("name", "say", "reps", "hold", "tempo", "sides", "rest")

T = TypeVar("T")


@dataclass(frozen=True)
class _Field:
    """A parsed YAML value with its position, so errors can point at it."""

    value: Any
    line: int
    column: int


def load_routine_text(text: bytes, source: str) -> Routine:
    """Parse and validate routine file bytes; `source` names the file in messages."""
    return _Loader(source).load(text)


def load_routine_path(path: Path) -> Routine:
    """Read and load a routine file from disk."""
    try:
        size = path.stat().st_size
        if size > defaults.MAX_FILE_BYTES:
            raise RoutineError(
                f"file is {size // 1024} KiB; routine files are capped at "
                f"{defaults.MAX_FILE_BYTES // 1024} KiB",
                source=str(path),
                hint="split it into several routines",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise RoutineError(
            "no such file", source=str(path), hint="check the path, or run `cueline lint --bundled`"
        ) from None
    except IsADirectoryError:
        raise RoutineError("is a directory, not a routine file", source=str(path)) from None
    except PermissionError:
        raise RoutineError("permission denied", source=str(path)) from None
    return load_routine_text(data, str(path))


class _Loader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.scalars = yaml.SafeLoader("")  # only its scalar constructors are used; they read no input

    def fail(
        self, message: str, at: _Field | None, field: str | None, hint: str | None = None
    ) -> RoutineError:
        return RoutineError(
            message,
            source=self.source,
            line=at.line if at else None,
            column=at.column if at else None,
            field=field,
            hint=hint,
        )

    def load(self, data: bytes) -> Routine:
        if len(data) > defaults.MAX_FILE_BYTES:
            raise self.fail(f"file is larger than {defaults.MAX_FILE_BYTES // 1024} KiB", None, None)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise RoutineError(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                source=self.source,
                line=line,
                column=column,
                hint="save the file as UTF-8",
            ) from None
        root = self.parse_yaml(text)
        return self.routine(root)

    def parse_yaml(self, text: str) -> _Field:
        try:
            for event in yaml.parse(text, Loader=yaml.SafeLoader):
                if isinstance(event, yaml.AliasEvent):
                    mark = event.start_mark
                    raise RoutineError(
                        "YAML aliases (*name) are not allowed in routine files",
                        source=self.source,
                        line=mark.line + 1 if mark else None,
                        column=mark.column + 1 if mark else None,
                        hint="write the value out in full",
                    )
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            raise RoutineError(
                f"invalid YAML: {problem}",
                source=self.source,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                hint="check the indentation and quoting around this line",
            ) from None
        except yaml.YAMLError as exc:
            raise RoutineError(f"invalid YAML: {exc}", source=self.source) from None
        if node is None:
            raise self.fail("the file is empty", None, None, hint="start with `title:` and `steps:`")
        return self.to_field(node)

    def to_field(self, node: yaml.Node) -> _Field:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, yaml.MappingNode):
            mapping: dict[str, tuple[_Field, _Field]] = {}
            for key_node, value_node in node.value:
                key = self.to_field(key_node)
                if not isinstance(key.value, str):
                    raise self.fail("keys must be plain words", key, None)
                if key.value in mapping:
                    raise self.fail("appears twice", key, key.value, hint="keep one of them")
                mapping[key.value] = (key, self.to_field(value_node))
            return _Field(mapping, line, column)
        if isinstance(node, yaml.SequenceNode):
            return _Field([self.to_field(item) for item in node.value], line, column)
        return _Field(self.scalars.construct_object(node), line, column)

    # -- validation ---------------------------------------------------------------------------------------

    def mapping(
        self, at: _Field, field: str | None, allowed: tuple[str, ...]
    ) -> dict[str, tuple[_Field, _Field]]:
        if not isinstance(at.value, dict):
            what = "a routine" if field is None else field
            raise self.fail(f"expected {what} to be a mapping of `key: value` lines", at, field)
        for key, (key_at, _) in at.value.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(allowed)}"
                name = f"{field}.{key}" if field else key
                raise self.fail("unknown key", key_at, name, hint=hint)
        mapping: dict[str, tuple[_Field, _Field]] = at.value
        return mapping

    def routine(self, root: _Field) -> Routine:
        keys = self.mapping(root, None, ROUTINE_KEYS)
        if "title" not in keys:
            raise self.fail("missing", root, "title", hint="add a line such as `title: Face basics`")
        if "steps" not in keys:
            raise self.fail("missing", root, "steps", hint="add a `steps:` list with at least one step")
        tempo_s = self.optional(keys, "tempo", self.duration, defaults.TEMPO_S)
        steps_at = keys["steps"][1]
        if not isinstance(steps_at.value, list) or not steps_at.value:
            raise self.fail(
                "expected a list of at least one step",
                steps_at,
                "steps",
                hint="start each step with `- name: …`",
            )
        if len(steps_at.value) > defaults.MAX_STEPS:
            raise self.fail(
                f"{len(steps_at.value)} steps; at most {defaults.MAX_STEPS} are allowed", steps_at, "steps"
            )
        steps = tuple(self.step(item, f"steps[{index + 1}]") for index, item in enumerate(steps_at.value))
        routine = Routine(
            title=self.text(keys["title"][1], "title"),
            steps=steps,
            source=self.source,
            description=self.optional(keys, "description", self.text, None),
            language=self.optional(keys, "language", self.language, defaults.LANGUAGE),
            voice=self.optional(keys, "voice", self.text, None),
            tempo_s=tempo_s,
            count=self.optional(keys, "count", self.count_mode, CountMode.VOICE),
            intro=self.optional(keys, "intro", self.texts, tuple[str, ...]()),
            outro=self.optional(keys, "outro", self.texts, tuple[str, ...]()),
        )
        nominal_s = sum(_nominal_s(step, routine.tempo_s) for step in steps)
        if nominal_s > defaults.MAX_ROUTINE_S:
            raise self.fail(
                f"the steps add up to {nominal_s / 3600:.1f} hours; a routine may last at most "
                f"{defaults.MAX_ROUTINE_S / 3600:g} hours",
                steps_at,
                "steps",
                hint="use fewer reps or shorter holds, or split it into several routines",
            )
        return routine

    def step(self, at: _Field, field: str) -> Step:
        keys = self.mapping(at, field, STEP_KEYS)
        if "name" not in keys:
            raise self.fail("missing", at, f"{field}.name", hint="give every step a short `name:`")
        if "reps" in keys and "hold" in keys:
            raise self.fail(
                "a step has either reps or hold, not both",
                keys["hold"][0],
                f"{field}.hold",
                hint="split it into two steps",
            )
        sides: tuple[str, ...] = self.optional(keys, "sides", self.sides, (), field)
        if sides and "reps" not in keys:
            raise self.fail(
                "sides need counted reps",
                keys["sides"][0],
                f"{field}.sides",
                hint="add `reps:` or remove `sides:`",
            )
        return Step(
            name=self.text(keys["name"][1], f"{field}.name"),
            say=self.optional(keys, "say", self.text, None, field),
            reps=self.optional(keys, "reps", self.reps, None, field),
            hold_s=self.optional(keys, "hold", self.duration, None, field),
            tempo_s=self.optional(keys, "tempo", self.duration, None, field),
            sides=sides,
            rest_s=self.optional(keys, "rest", self.duration, defaults.REST_S, field),
            line=at.line,
        )

    def optional(
        self,
        keys: dict[str, tuple[_Field, _Field]],
        key: str,
        convert: Callable[[_Field, str], T],
        default: T,
        parent: str | None = None,
    ) -> T:
        if key not in keys:
            return default
        return convert(keys[key][1], f"{parent}.{key}" if parent else key)

    def text(self, at: _Field, field: str) -> str:
        if isinstance(at.value, bool) or not isinstance(at.value, str | int | float):
            raise self.fail("expected text", at, field, hint="write it on one line after the colon")
        text = " ".join(str(at.value).split())
        if not text:
            raise self.fail("must not be empty", at, field)
        if len(text) > defaults.MAX_TEXT_CHARS:
            raise self.fail(
                f"{len(text)} characters; at most {defaults.MAX_TEXT_CHARS}",
                at,
                field,
                hint="split it into shorter steps",
            )
        return text

    def texts(self, at: _Field, field: str) -> tuple[str, ...]:
        if isinstance(at.value, list):
            if not at.value:
                raise self.fail("must not be an empty list", at, field)
            return tuple(self.text(item, f"{field}[{index + 1}]") for index, item in enumerate(at.value))
        return (self.text(at, field),)

    def duration(self, at: _Field, field: str) -> float:
        try:
            return parse_duration_s(at.value)
        except ValueError as exc:
            raise self.fail(
                str(exc),
                at,
                field,
                hint="write seconds such as `4s` or `1.5s`, or minutes such as `2m` or `1m30s`",
            ) from None

    def reps(self, at: _Field, field: str) -> int:
        value = at.value
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= defaults.MAX_REPS:
            raise self.fail(
                f"expected a whole number from 1 to {defaults.MAX_REPS}, got {value!r}",
                at,
                field,
                hint="for example `reps: 8`",
            )
        return value

    def count_mode(self, at: _Field, field: str) -> CountMode:
        choices = [mode.value for mode in CountMode]
        if at.value not in choices:
            close = difflib.get_close_matches(str(at.value), choices, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"use one of: {', '.join(choices)}"
            raise self.fail(f"{at.value!r} is not a count mode", at, field, hint=hint)
        return CountMode(at.value)

    def language(self, at: _Field, field: str) -> str:
        value = self.text(at, field)
        if not value.replace("-", "").isalpha() or len(value) > 12:
            raise self.fail(
                f"{value!r} is not a language code",
                at,
                field,
                hint="use a code such as `en`, `de`, `es` or `fr`",
            )
        return value.lower()

    def sides(self, at: _Field, field: str) -> tuple[str, ...]:
        if not isinstance(at.value, list) or not 2 <= len(at.value) <= 4:
            raise self.fail(
                "expected a list of two sides", at, field, hint="for example `sides: [right, left]`"
            )
        names = tuple(self.text(item, f"{field}[{index + 1}]") for index, item in enumerate(at.value))
        if len(set(names)) != len(names):
            raise self.fail(
                "each side must be named once", at, field, hint="for example `sides: [right, left]`"
            )
        return names


def _nominal_s(step: Step, tempo_s: float) -> float:
    """Exercise time of a step at pace 1, before any speech: a cheap bound for the length cap."""
    reps_s = (step.reps or 0) * (step.tempo_s or tempo_s) * max(1, len(step.sides))
    return reps_s + (step.hold_s or 0.0) + step.rest_s
