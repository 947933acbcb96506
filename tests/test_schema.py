"""The routine JSON Schema: valid itself, in agreement with the loader on good and bad files, and documented.

The loader is the authority on what a routine file may say; the schema is what editors check while you
type. Both must accept every bundled routine, and the schema must reject every bad file the loader rejects,
except the few checks JSON Schema cannot express, which are named in LOADER_ONLY.
"""

from __future__ import annotations

import importlib.util
import json
import textwrap
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pytest
import yaml
from jsonschema import Draft202012Validator
from test_routine_file import ERROR_CASES

from cueline import defaults
from cueline.durations import parse_duration_s
from cueline.errors import RoutineError
from cueline.routine import CountMode, SpokenCue
from cueline.routine_file import ROUTINE_KEYS, STEP_KEYS, load_routine_text
from cueline.safety import SAFETY_LINES
from cueline.schema import routine_schema, schema_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = routine_schema()
VALIDATOR = Draft202012Validator(SCHEMA)
STEP = SCHEMA["$defs"]["step"]

# Error-table rows whose check JSON Schema cannot express: `yaml.safe_load` turns each into a routine the
# schema accepts. (Rows that are not UTF-8 YAML mappings at all, such as a tab indent or an empty file,
# never reach a schema and are left out of the comparison without being listed here.)
LOADER_ONLY = {
    "duplicate-key-top-level": "yaml.safe_load keeps the last of two equal keys: the schema sees one",
    "duplicate-key-in-step": "yaml.safe_load keeps the last of two equal keys: the schema sees one",
    "file-too-large": "a limit on the file's bytes; the schema sees only the parsed routine",
    "file-just-over-the-cap": "a limit on the file's bytes; the schema sees only the parsed routine",
    "routine-longer-than-4-hours": "the four-hour cap is a sum over steps (reps × tempo + hold + rest)",
    "routine-just-over-4-hours": "the four-hour cap is a sum over steps (reps × tempo + hold + rest)",
    "language-without-count-words": "which languages have count words, and which steps count aloud, is code",
    "step-counts-aloud-without-count-words": "which languages have count words is code, not schema",
    "cue-on-without-cue-phrases": "which languages have cue phrases is code, not schema",
}

ROWS: dict[str, bytes] = {case.id: case.values[0] for case in cast(list[Any], ERROR_CASES)}


def doc(text: str) -> bytes:
    """A routine file's bytes from an indented triple-quoted literal."""
    return textwrap.dedent(text).encode()


def parsed(data: bytes) -> object:
    """What an editor's schema check sees: the file as `yaml.safe_load` reads it (None if it cannot)."""
    try:
        return yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None


def schema_accepts(data: bytes) -> bool:
    return VALIDATOR.is_valid(parsed(data))


def loader_accepts(data: bytes) -> bool:
    try:
        load_routine_text(data, "routine.yaml")
    except RoutineError:
        return False
    return True


def with_step(**fields: object) -> bytes:
    """A one-step routine whose step has `fields` besides its name."""
    return yaml.safe_dump({"title": "Neck", "steps": [{"name": "Rolls", **fields}]}, sort_keys=False).encode()


def with_routine(**fields: object) -> bytes:
    """A one-step routine with `fields` at the routine level (replacing title or steps when given)."""
    routine = {"title": "Neck", "steps": [{"name": "Rolls"}], **fields}
    return yaml.safe_dump(routine, sort_keys=False).encode()


# -- the schema itself ---------------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_schema_text_is_the_schema() -> None:
    assert json.loads(schema_text()) == SCHEMA
    assert not schema_text().endswith("\n")  # `cueline schema` adds the newline


def test_schema_names_exactly_the_loaders_keys_in_its_order() -> None:
    assert tuple(SCHEMA["properties"]) == ROUTINE_KEYS
    assert tuple(STEP["properties"]) == STEP_KEYS


def test_limits_and_defaults_come_from_the_defaults_module() -> None:
    routine, step = SCHEMA["properties"], STEP["properties"]

    assert SCHEMA["$defs"]["text"]["maxLength"] == defaults.MAX_TEXT_CHARS
    assert (step["reps"]["minimum"], step["reps"]["maximum"]) == (1, defaults.MAX_REPS)
    assert (routine["steps"]["minItems"], routine["steps"]["maxItems"]) == (1, defaults.MAX_STEPS)
    assert parse_duration_s(routine["tempo"]["default"]) == defaults.TEMPO_S
    assert parse_duration_s(step["rest"]["default"]) == defaults.REST_S
    assert routine["language"]["default"] == defaults.LANGUAGE
    assert routine["count"]["enum"] == [mode.value for mode in CountMode]
    assert routine["count"]["default"] == CountMode.VOICE.value
    assert step["count"]["enum"] == [mode.value for mode in CountMode]
    assert (step["pace"]["minimum"], step["pace"]["maximum"]) == (defaults.PACE_MIN, defaults.PACE_MAX)
    assert step["pace"]["default"] == defaults.STEP_PACE
    assert list(SCHEMA["$defs"]["cues"]["properties"]) == [cue.value for cue in SpokenCue]


@pytest.mark.parametrize(
    ("level", "key"),
    [("routine", key) for key in ROUTINE_KEYS] + [("step", key) for key in STEP_KEYS],
)
def test_every_field_is_described_and_its_examples_load(level: str, key: str) -> None:
    field = (SCHEMA if level == "routine" else STEP)["properties"][key]

    assert field["description"].strip()
    assert field["examples"]
    for example in field["examples"]:
        if level == "routine":
            data = with_routine(**{key: example})
        else:
            data = with_step(**{key: example, **({"reps": 3} if key == "sides" else {})})
        assert schema_accepts(data), example
        assert loader_accepts(data), example


# -- agreement with the loader -------------------------------------------------------------------------------


def bundled_routines() -> list[str]:
    folder = resources.files("cueline").joinpath("routines")
    return sorted(item.name for item in folder.iterdir() if item.name.endswith(".yaml"))


@pytest.mark.parametrize("name", bundled_routines())
def test_bundled_routine_is_valid_under_schema_and_loader(name: str) -> None:
    data = resources.files("cueline").joinpath("routines", name).read_bytes()

    load_routine_text(data, name)
    VALIDATOR.validate(parsed(data))


COMPARED = [
    case_id for case_id, data in ROWS.items() if isinstance(parsed(data), dict) and case_id not in LOADER_ONLY
]


@pytest.mark.parametrize("case_id", COMPARED)
def test_schema_rejects_what_the_loader_rejects(case_id: str) -> None:
    data = ROWS[case_id]

    assert not loader_accepts(data)
    assert not schema_accepts(data)


def test_loader_only_names_existing_error_cases() -> None:
    assert set(LOADER_ONLY) <= set(ROWS)


@pytest.mark.parametrize("case_id", sorted(set(LOADER_ONLY) & set(ROWS)))
def test_loader_only_cases_really_pass_the_schema(case_id: str) -> None:
    """If the schema learns to reject one of these, it belongs in the comparison, not in LOADER_ONLY."""
    assert isinstance(parsed(ROWS[case_id]), dict)
    assert schema_accepts(ROWS[case_id])


GOOD = [
    pytest.param(
        doc(
            """\
            title: Face basics
            description: A short, gentle routine.
            technique: Effleurage
            tools: [hands, towel]
            oil: A light oil, such as jojoba
            tags: [gentle, morning]
            language: en-GB
            voice: english-female
            tempo: 4s
            count: both
            intro: Sit comfortably.
            outro: [Well done., Drink some water.]
            steps:
              - name: Forehead
                say: Stroke from the centre outwards.
                reps: 8
                tempo: 1.5s
                sides: [right, left, upper, lower]
                rest: 2m
              - name: Jaw hold
                hold: 1m30s
              - name: Breathe
            """
        ),
        id="every-field",
    ),
    pytest.param(
        doc(
            """\
            title: Neck
            tempo: 2.5
            steps:
              - {name: Seconds, hold: 4s}
              - {name: Fraction, hold: 1.5s}
              - {name: Minutes, hold: 2m}
              - {name: Both, hold: 1m30s}
              - {name: Spaced, hold: 1m 30s}
              - {name: Minutes and bare seconds, hold: 1m30}
              - {name: Number, hold: 45}
              - {name: Number as text, hold: "45"}
              - {name: Under a second, hold: 0.5s}
              - {name: Ten minutes, hold: 10m}
              - {name: Fraction number, hold: 2.5, rest: 0.25}
            """
        ),
        id="durations-in-every-syntax",
    ),
    pytest.param(b"title: Neck\nintro: Sit comfortably.\nsteps:\n  - name: Rolls\n", id="intro-as-text"),
    pytest.param(
        b"title: Neck\nintro: [Sit comfortably., Breathe.]\nsteps:\n  - name: Rolls\n", id="intro-as-list"
    ),
    pytest.param(
        doc(
            """\
            title: 3.10
            tools: []
            steps:
              - {name: 1:30, say: yes}
              - {name: 012, sides: [on, off], reps: 2}
              - {name: true}
            """
        ),
        id="numbers-and-booleans-as-text",
    ),
    pytest.param(
        b"title: Neck\nlanguage: no\nsteps:\n  - name: Rolls\n", id="language-no-is-a-boolean-in-yaml"
    ),
    pytest.param(with_step(reps=defaults.MAX_REPS, tempo="1s"), id="most-reps"),
    pytest.param(b"title: Neck\nsteps:\n" + b"  - name: Rolls\n" * defaults.MAX_STEPS, id="most-steps"),
    pytest.param(with_step(say="x" * defaults.MAX_TEXT_CHARS), id="longest-text"),
    pytest.param(
        doc(
            """\
            title: Gesicht
            language: de
            count: voice
            cues:
              count-in: false
              halfway: true
              last-rep: true
              side-switch: false
              next-step: no
              finish: on
            steps:
              - {name: Kiefer, reps: 8, sides: [rechts, links], pace: 0.7, count: chime}
              - {name: Wangen, reps: 4, pace: 2}
              - {name: Halten, hold: 5s, pace: 0.25}
            """
        ),
        id="cues-and-step-pace-and-count",
    ),
    pytest.param(
        with_routine(language="it", count="chime", cues={"halfway": False}), id="cue-off-in-any-language"
    ),
    pytest.param(with_step(reps=3, pace=defaults.PACE_MIN), id="slowest-step-pace"),
]


@pytest.mark.parametrize("data", GOOD)
def test_schema_and_loader_accept(data: bytes) -> None:
    assert loader_accepts(data)
    assert VALIDATOR.is_valid(parsed(data)), [error.message for error in VALIDATOR.iter_errors(parsed(data))]


BAD = [
    pytest.param(b"title:\nsteps:\n  - name: Rolls\n", id="title-empty"),
    pytest.param(with_step(say="  "), id="say-only-spaces"),
    pytest.param(with_step(say="x" * (defaults.MAX_TEXT_CHARS + 1)), id="text-too-long"),
    pytest.param(with_step(say={"text": "Roll"}), id="say-is-a-mapping"),
    pytest.param(with_routine(intro=[]), id="intro-empty-list"),
    pytest.param(with_routine(intro=["Sit.", ["Breathe."]]), id="intro-list-in-list"),
    pytest.param(with_routine(tools="hands"), id="tools-not-a-list"),
    pytest.param(with_routine(tags=[""]), id="tag-empty"),
    pytest.param(with_routine(language="english-united"), id="language-too-long"),
    pytest.param(with_routine(language="e1"), id="language-with-a-digit"),
    pytest.param(with_routine(language="--"), id="language-only-hyphens"),
    pytest.param(with_routine(count="loud"), id="count-unknown"),
    pytest.param(with_routine(tempo="0m0s"), id="tempo-zero-minutes-and-seconds"),
    pytest.param(with_routine(tempo="1.5.5s"), id="tempo-two-points"),
    pytest.param(with_routine(tempo="1h"), id="tempo-in-hours"),
    pytest.param(with_routine(tempo="s"), id="tempo-unit-only"),
    pytest.param(with_routine(tempo=-2), id="tempo-negative-number"),
    pytest.param(with_routine(tempo=True), id="tempo-true"),
    pytest.param(with_step(rest=[1, "s"]), id="rest-a-list"),
    pytest.param(with_step(reps=3, sides=["right"]), id="one-side"),
    pytest.param(with_step(reps=3, sides=["a", "b", "c", "d", "e"]), id="five-sides"),
    pytest.param(with_step(reps=3, sides=["right", "right"]), id="side-twice"),
    pytest.param(with_step(hold="10s", sides=["right", "left"]), id="sides-with-hold"),
    pytest.param(with_routine(steps=[{"name": "Rolls"}, {"say": "Roll."}]), id="second-step-unnamed"),
    pytest.param(with_step(reps=3, pace=0.2), id="step-pace-too-slow"),
    pytest.param(with_step(reps=3, pace="0.8"), id="step-pace-as-text"),
    pytest.param(with_step(reps=3, pace=True), id="step-pace-true"),
    pytest.param(with_step(reps=3, count="loud"), id="step-count-unknown"),
    pytest.param(with_routine(cues={"halfway": "off"}), id="cue-switch-as-text"),
    pytest.param(with_routine(cues={"Halfway": False}), id="cue-name-capitalised"),
    pytest.param(with_routine(cues=None), id="cues-empty"),
]


@pytest.mark.parametrize("data", BAD)
def test_schema_and_loader_reject(data: bytes) -> None:
    assert not loader_accepts(data)
    assert not schema_accepts(data)


# -- the docs ------------------------------------------------------------------------------------------------


def gen_docs() -> ModuleType:
    """scripts/gen_docs.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_field_reference_is_generated_from_the_schema() -> None:
    assert gen_docs().is_current(), "docs/routines.md is out of date: run `python scripts/gen_docs.py`"


def test_docs_quote_the_safety_line_cueline_speaks() -> None:
    text = (ROOT / "docs" / "routines.md").read_text(encoding="utf-8")

    assert SAFETY_LINES["en"] in " ".join(text.replace("\n>", " ").split())


def test_docs_complete_example_is_valid_under_schema_and_loader() -> None:
    text = (ROOT / "docs" / "routines.md").read_text(encoding="utf-8")
    blocks = [block.split("```")[0] for block in text.split("```yaml\n")[1:]]
    (example,) = [block for block in blocks if "steps:" in block]
    data = example.encode()
    routine = parsed(data)

    assert isinstance(routine, dict)
    assert set(routine) == set(ROUTINE_KEYS)  # every field appears
    load_routine_text(data, "docs/routines.md")
    VALIDATOR.validate(routine)
