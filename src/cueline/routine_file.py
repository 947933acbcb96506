"""Load a routine file (YAML, format version 1) into a Routine, reporting errors by file, line and field."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from cueline import defaults
from cueline.count_words import count_languages, has_count_words
from cueline.durations import format_duration, parse_duration_s
from cueline.errors import RoutineError
from cueline.phrases import phrase_languages, phrases_for
from cueline.routine import CountMode, CueSwitches, Routine, SpokenCue, Step
from cueline.safety import safety_line

ROUTINE_KEYS = (
    "title", "description", "technique", "tools", "oil", "tags",
    "language", "voice", "tempo", "count", "cues", "intro", "outro", "steps",
)  # fmt: skip
STEP_KEYS = ("name", "say", "reps", "hold", "tempo", "pace", "count", "sides", "rest")
CUE_KEYS = tuple(cue.value for cue in SpokenCue)

T = TypeVar("T")
_MAX_NESTING = 8  # a routine uses 3 (routine → steps → step → sides); the rest is room for mistakes


def _too_large(size_bytes: int) -> tuple[str, None, None, str]:
    """The message for a file over the size cap (sizes rounded up, so the cap never looks like the size)."""
    return (
        f"the file is {math.ceil(size_bytes / 1024)} KiB; routine files may be at most "
        f"{defaults.MAX_FILE_BYTES // 1024} KiB",
        None,
        None,
        "split it into several routines",
    )


@dataclass(frozen=True)
class _Pairs:
    """A YAML mapping as written: its key and value fields in order, duplicates included."""

    items: tuple[tuple[_Field, _Field], ...]


@dataclass(frozen=True)
class _Field:
    """A parsed YAML value with its position, so errors can point at it."""

    value: Any  # a scalar, a list of _Field, or _Pairs
    line: int
    column: int
    raw: str | None = None  # a scalar as written: `name: 1:30` is text "1:30", not YAML 1.1's 90


def load_routine_text(text: bytes, source: str) -> Routine:
    """Parse and validate routine file bytes; `source` names the file in messages."""
    return _Loader(source).load(text)


def load_routine_path(path: Path) -> Routine:
    """Read and load a routine file from disk: a regular file, read no further than the size cap."""
    source = str(path)
    try:
        if not path.is_file():
            if path.exists():
                raise RoutineError("is not a regular file", source=source, hint="name a .yaml routine file")
            raise FileNotFoundError(path)
        with path.open("rb") as handle:
            data = handle.read(defaults.MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        hint = "check the path, or run `cueline lint --bundled` for the bundled routines"
        raise RoutineError("no such file", source=source, hint=hint) from None
    except PermissionError:
        raise RoutineError("permission denied", source=source, hint="check the file's permissions") from None
    except OSError as exc:
        raise RoutineError(
            f"cannot read it: {exc.strerror or exc}", source=source, hint="check the path"
        ) from None
    if len(data) > defaults.MAX_FILE_BYTES:
        message, _, _, hint = _too_large(path.stat().st_size)
        raise RoutineError(message, source=source, hint=hint)
    return load_routine_text(data, source)


class _Loader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.scalars = yaml.SafeLoader("")  # only its scalar constructors are used; they read no input
        self.step_counts: dict[int, _Field] = {}  # where each step's own `count:` is, for messages

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
            raise self.fail(*_too_large(len(data)))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line_start = data.rfind(b"\n", 0, exc.start) + 1
            raise RoutineError(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                source=self.source,
                line=data[: exc.start].count(b"\n") + 1,
                column=len(data[line_start : exc.start].decode("utf-8", "replace")) + 1,
                hint="save the file as UTF-8",
            ) from None
        root = self.parse_yaml(text)
        return self.routine(root)

    def at_mark(self, message: str, mark: Any, hint: str) -> RoutineError:
        return RoutineError(
            message,
            source=self.source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint=hint,
        )

    def parse_yaml(self, text: str) -> _Field:
        try:
            self.check_events(text)
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.reader.ReaderError as exc:
            before = text[: exc.position]
            raise RoutineError(
                f"invalid character {exc.character!r} in a routine file",
                source=self.source,
                line=before.count("\n") + 1,
                column=len(before) - (before.rfind("\n") + 1) + 1,
                hint="remove it; routine files are plain text",
            ) from None
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or "invalid YAML"
            mark = exc.problem_mark
            if exc.context_mark is not None and "end of stream" in problem:
                # An unclosed quote or bracket: point where it opened, not past the end of the file.
                mark, problem = exc.context_mark, "the quote or bracket opened here is never closed"
            raise self.at_mark(
                f"invalid YAML: {problem}", mark, "check the indentation and quoting around this line"
            ) from None
        except yaml.YAMLError as exc:
            raise RoutineError(f"invalid YAML: {exc}", source=self.source) from None
        if node is None:
            raise self.fail("the file is empty", None, None, hint="start with `title:` and `steps:`")
        return self.to_field(node)

    def check_events(self, text: str) -> None:
        """Refuse, before building anything, what a routine never needs and an attacker would use:
        aliases (exponential blow-up), explicit tags (object construction), and deep nesting (PyYAML
        slows down quadratically with it and recurses once per level)."""
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise self.at_mark(
                    "YAML aliases (*name) are not allowed in routine files",
                    event.start_mark,
                    "write the value out in full",
                )
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            if tag is not None and not (any(implicit) if isinstance(implicit, tuple) else implicit):
                raise self.at_mark(
                    f"YAML tags ({tag}) are not allowed in routine files",
                    event.start_mark,
                    "remove the tag; write plain values such as `reps: 8` or `tempo: 4s`",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_NESTING:
                    raise self.at_mark(
                        f"nested more than {_MAX_NESTING} levels deep",
                        event.start_mark,
                        "a routine needs only a few levels: the routine, its steps, and their lists",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1

    def to_field(self, node: yaml.Node) -> _Field:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if isinstance(node, yaml.MappingNode):
            pairs = tuple((self.to_field(key), self.to_field(value)) for key, value in node.value)
            return _Field(_Pairs(pairs), line, column)
        if isinstance(node, yaml.SequenceNode):
            return _Field([self.to_field(item) for item in node.value], line, column)
        try:
            value = self.scalars.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, AttributeError):
            value = node.value  # a value YAML cannot make sense of (`<<`, a bad timestamp): keep its text
        return _Field(value, line, column, raw=str(node.value))

    # -- validation ---------------------------------------------------------------------------------------

    def mapping(
        self, at: _Field, field: str | None, allowed: tuple[str, ...], example: str | None = None
    ) -> dict[str, tuple[_Field, _Field]]:
        if not isinstance(at.value, _Pairs):
            what = "the routine" if field is None else field
            if example is None:
                example = "`title: …` and `steps:`" if field is None else "`name: …` and `say: …`"
            raise self.fail(
                f"expected {what} to be a mapping of `key: value` lines",
                at,
                field,
                hint=f"write lines such as {example}",
            )
        mapping: dict[str, tuple[_Field, _Field]] = {}
        for key_at, value_at in at.value.items:
            key = key_at.raw if key_at.raw is not None else ""
            name = f"{field}.{key}" if field else key
            if not isinstance(key_at.value, str | int | float) or not key:
                raise self.fail(
                    "keys must be plain words", key_at, field, hint=f"known keys: {', '.join(allowed)}"
                )
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(allowed)}"
                raise self.fail("unknown key", key_at, name, hint=hint)
            if key in mapping:
                raise self.fail("appears twice", key_at, name, hint="keep one of them")
            mapping[key] = (key_at, value_at)
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
                f"{len(steps_at.value)} steps; at most {defaults.MAX_STEPS} are allowed",
                steps_at,
                "steps",
                hint="split it into several routines",
            )
        steps = tuple(
            self.step(item, f"steps[{index + 1}]", index) for index, item in enumerate(steps_at.value)
        )
        language = self.optional(keys, "language", self.language, defaults.LANGUAGE)
        safety = safety_line(language)
        routine = Routine(
            title=self.text(keys["title"][1], "title"),
            steps=steps,
            source=self.source,
            description=self.optional(keys, "description", self.text, None),
            language=language,
            voice=self.optional(keys, "voice", self.text, None),
            tempo_s=tempo_s,
            count=self.optional(keys, "count", self.count_mode, CountMode.VOICE),
            cues=self.optional(keys, "cues", self.cue_switches, CueSwitches()),
            intro=self.optional(keys, "intro", self.texts, tuple[str, ...]()),
            outro=self.optional(keys, "outro", self.texts, tuple[str, ...]()),
            safety=() if safety is None else (safety,),
            technique=self.optional(keys, "technique", self.text, None),
            tools=self.optional(keys, "tools", self.words, tuple[str, ...]()),
            oil=self.optional(keys, "oil", self.text, None),
            tags=self.optional(keys, "tags", self.words, tuple[str, ...]()),
        )
        self.check_count_words(routine, keys)
        self.check_cue_phrases(routine, keys)
        nominal_s = sum(_nominal_s(step, routine.tempo_s) for step in steps)
        if nominal_s > defaults.MAX_ROUTINE_S:
            raise self.fail(
                f"the steps add up to {format_duration(nominal_s)}; a routine may last at most "
                f"{format_duration(defaults.MAX_ROUTINE_S)}",
                steps_at,
                "steps",
                hint="use fewer reps or shorter holds, or split it into several routines",
            )
        return routine

    def check_count_words(self, routine: Routine, keys: dict[str, tuple[_Field, _Field]]) -> None:
        """A step counted aloud needs count words in the routine's language: English numbers in a German
        voice would be worse than no count at all."""
        if has_count_words(routine.language):
            return
        languages = ", ".join(count_languages())
        for index, step in enumerate(routine.steps):
            if step.reps is None or (step.count or routine.count) not in (CountMode.VOICE, CountMode.BOTH):
                continue
            if step.count is not None:
                raise self.fail(
                    f"counts aloud, but cueline has no count words for language {routine.language!r}",
                    self.step_counts[index],
                    f"steps[{index + 1}].count",
                    hint="use `count: chime` or `count: silent` for this step",
                )
            raise self.fail(
                f"cueline has no count words for {routine.language!r}, and step {index + 1} "
                f"({step.name}) counts aloud",
                keys["language"][1] if "language" in keys else None,
                "language",
                hint=f"add `count: chime` (or `silent`) to the routine; count words exist for {languages}",
            )

    def check_cue_phrases(self, routine: Routine, keys: dict[str, tuple[_Field, _Field]]) -> None:
        """A cue turned on needs phrases in the routine's language (turning one off is always fine)."""
        if phrases_for(routine.language) is not None or not routine.cues.on:
            return
        pairs = keys["cues"][1].value
        assert isinstance(pairs, _Pairs)
        key_at = next(key for key, value in pairs.items if value.value is True)
        raise self.fail(
            f"cueline has no cue phrases for language {routine.language!r}",
            key_at,
            f"cues.{key_at.raw}",
            hint=f"remove the line; cues are spoken in {', '.join(phrase_languages())}",
        )

    def step(self, at: _Field, field: str, index: int) -> Step:
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
        if "count" in keys:
            self.step_counts[index] = keys["count"][1]
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
            pace=self.optional(keys, "pace", self.pace, defaults.STEP_PACE, field),
            count=self.optional(keys, "count", self.count_mode, None, field),
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

    def text(self, at: _Field, field: str, what: str = "text") -> str:
        if at.raw is None:
            raise self.fail(f"expected {what}", at, field, hint="write it on one line after the colon")
        # `say: null` or `say: ~` means nothing, not the word "null" read aloud
        text = "" if at.value is None else " ".join(at.raw.split())
        if not text:
            raise self.fail(
                "must not be empty", at, field, hint="write the text after the colon, or remove the line"
            )
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
                raise self.fail("must not be an empty list", at, field, hint="add a text, or remove the line")
            return tuple(self.text(item, f"{field}[{index + 1}]") for index, item in enumerate(at.value))
        return (self.text(at, field, what="text or a list of texts"),)

    def words(self, at: _Field, field: str) -> tuple[str, ...]:
        if not isinstance(at.value, list):
            raise self.fail("expected a list", at, field, hint=f"for example `{field}: [hands]`")
        return tuple(self.text(item, f"{field}[{index + 1}]") for index, item in enumerate(at.value))

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

    def pace(self, at: _Field, field: str) -> float:
        value = at.value
        low, high = defaults.PACE_MIN, defaults.PACE_MAX
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self.fail(
                f"expected a number from {low:g} to {high:g}, got {value!r}",
                at,
                field,
                hint="for example `pace: 0.8` (slower than the rest) or `pace: 1.5` (faster)",
            )
        return float(value)

    def cue_switches(self, at: _Field, field: str) -> CueSwitches:
        keys = self.mapping(at, field, CUE_KEYS, example="`halfway: false` and `count-in: true`")
        switches: dict[SpokenCue, bool] = {}
        for name, (_, value_at) in keys.items():
            if not isinstance(value_at.value, bool):
                got = f", got {value_at.raw!r}" if value_at.raw is not None else ""
                raise self.fail(
                    f"expected true or false{got}",
                    value_at,
                    f"{field}.{name}",
                    hint=f"for example `{name}: false`",
                )
            switches[SpokenCue(name)] = value_at.value
        return CueSwitches.of(switches)

    def count_mode(self, at: _Field, field: str) -> CountMode:
        choices = [mode.value for mode in CountMode]
        if at.raw is None:
            raise self.fail(
                f"expected one of: {', '.join(choices)}", at, field, hint="for example `count: voice`"
            )
        if at.raw not in choices:
            close = difflib.get_close_matches(at.raw, choices, n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"use one of: {', '.join(choices)}"
            raise self.fail(f"{at.raw!r} is not a count mode", at, field, hint=hint)
        return CountMode(at.raw)

    def language(self, at: _Field, field: str) -> str:
        value = self.text(at, field)
        if not re.fullmatch(r"[A-Za-z][A-Za-z-]{0,11}", value):
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
                "expected a list of two to four sides", at, field, hint="for example `sides: [right, left]`"
            )
        names = tuple(self.text(item, f"{field}[{index + 1}]") for index, item in enumerate(at.value))
        if len(set(names)) != len(names):
            raise self.fail(
                "each side must be named once", at, field, hint="for example `sides: [right, left]`"
            )
        return names


def _nominal_s(step: Step, tempo_s: float) -> float:
    """Exercise time of a step at run pace 1, before any speech: a cheap bound for the length cap."""
    reps_s = (step.reps or 0) * (step.tempo_s or tempo_s) * max(1, len(step.sides))
    return (reps_s + (step.hold_s or 0.0) + step.rest_s) / step.pace
