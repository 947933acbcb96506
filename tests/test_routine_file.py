"""Routine files: what loads into the frozen model, and how every mistake is reported.

Each error names `FILE:LINE:COL: field: message` and carries a hint. Expected positions are counted by hand
from the YAML literals below (lines and columns start at 1).
"""

from __future__ import annotations

import dataclasses
import os
import textwrap
import time
from pathlib import Path

import pytest

from cueline.errors import RoutineError
from cueline.routine import CountMode, CueSwitches, Routine, SpokenCue, Step
from cueline.routine_file import load_routine_path, load_routine_text
from cueline.safety import SAFETY_LINES

SOURCE = "routine.yaml"
KIB = 1024


def doc(text: str) -> bytes:
    """A routine file's bytes from an indented triple-quoted literal."""
    return textwrap.dedent(text).encode()


def padded(head: bytes, size: int) -> bytes:
    """A valid routine followed by comment lines, exactly `size` bytes long."""
    filler = size - len(head)
    return head + (b"#" * 79 + b"\n") * (filler // 80) + b"#" * (filler % 80)


def load(data: bytes) -> Routine:
    return load_routine_text(data, SOURCE)


def load_error(data: bytes) -> RoutineError:
    with pytest.raises(RoutineError) as caught:
        load(data)
    return caught.value


def error_case(
    case_id: str,
    data: bytes,
    line: int | None,
    column: int | None,
    field: str | None,
    reason: str,
    hint: str,
) -> object:
    """One row of the error table; `hint` is a phrase the hint must contain."""
    return pytest.param(data, line, column, field, reason, hint, id=case_id)


NECK = doc(
    """\
    title: Neck
    steps:
      - name: Rolls
    """
)

ERROR_CASES = [
    # -- YAML syntax ---------------------------------------------------------------------------------------
    error_case(
        "yaml-tab-indent",
        b"title: Neck\nsteps:\n\t- name: Rolls\n",
        3,
        1,
        None,
        "invalid YAML: found character '\\t' that cannot start any token",
        "indentation",
    ),
    error_case(
        "yaml-colon-in-plain-value",
        doc(
            """\
            title: Face: basics
            steps:
              - name: Rolls
            """
        ),
        1,
        12,
        None,
        "invalid YAML: mapping values are not allowed here",
        "quoting",
    ),
    error_case(
        "yaml-unclosed-bracket",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 3
                sides: [right, left
              - name: Stretch
            """
        ),
        6,
        9,
        None,
        "invalid YAML: expected ',' or ']', but got ':'",
        "quoting",
    ),
    error_case(
        "yaml-unclosed-quote",
        doc(
            """\
            title: Neck
            steps:
              - name: "Rolls
                reps: 3
            """
        ),
        3,
        11,
        None,
        "invalid YAML: the quote or bracket opened here is never closed",
        "quoting",
    ),
    # -- wrong types ---------------------------------------------------------------------------------------
    error_case(
        "title-is-a-list",
        doc(
            """\
            title: [Face, basics]
            steps:
              - name: Rolls
            """
        ),
        1,
        8,
        "title",
        "expected text",
        "one line",
    ),
    error_case(
        "reps-is-a-word",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: eight
            """
        ),
        4,
        11,
        "steps[1].reps",
        "expected a whole number from 1 to 500, got 'eight'",
        "reps: 8",
    ),
    error_case(
        "reps-is-true",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: true
            """
        ),
        4,
        11,
        "steps[1].reps",
        "expected a whole number from 1 to 500, got True",
        "reps: 8",
    ),
    error_case(
        "sides-not-a-list",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 3
                sides: right
            """
        ),
        5,
        12,
        "steps[1].sides",
        "expected a list of two to four sides",
        "sides: [right, left]",
    ),
    error_case(
        "intro-is-a-mapping",
        doc(
            """\
            title: Neck
            intro:
              say: Welcome
            steps:
              - name: Rolls
            """
        ),
        3,
        3,
        "intro",
        "expected text or a list of texts",
        "line",
    ),
    # -- durations -----------------------------------------------------------------------------------------
    error_case(
        "tempo-zero",
        doc(
            """\
            title: Neck
            tempo: 0
            steps:
              - name: Rolls
            """
        ),
        2,
        8,
        "tempo",
        "a duration must be more than zero, got 0",
        "`4s`",
    ),
    error_case(
        "rest-negative",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                rest: -1s
            """
        ),
        4,
        11,
        "steps[1].rest",
        "a duration must be more than zero, got '-1s'",
        "`4s`",
    ),
    error_case(
        "hold-zero-seconds",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                hold: 0s
            """
        ),
        4,
        11,
        "steps[1].hold",
        "a duration must be more than zero, got '0s'",
        "`4s`",
    ),
    error_case(
        "tempo-is-a-word",
        doc(
            """\
            title: Neck
            tempo: fast
            steps:
              - name: Rolls
            """
        ),
        2,
        8,
        "tempo",
        "'fast' is not a duration such as 4s, 1.5s, 2m or 1m30s",
        "`1m30s`",
    ),
    error_case(
        "hold-in-words",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                hold: 3 minutes
            """
        ),
        4,
        11,
        "steps[1].hold",
        "'3 minutes' is not a duration such as 4s, 1.5s, 2m or 1m30s",
        "`2m`",
    ),
    # -- reps out of range ---------------------------------------------------------------------------------
    error_case(
        "reps-zero",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 0
            """
        ),
        4,
        11,
        "steps[1].reps",
        "expected a whole number from 1 to 500, got 0",
        "reps: 8",
    ),
    error_case(
        "reps-501",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 501
            """
        ),
        4,
        11,
        "steps[1].reps",
        "expected a whole number from 1 to 500, got 501",
        "reps: 8",
    ),
    error_case(
        "reps-fraction",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 2.5
            """
        ),
        4,
        11,
        "steps[1].reps",
        "expected a whole number from 1 to 500, got 2.5",
        "reps: 8",
    ),
    # -- missing and empty ---------------------------------------------------------------------------------
    error_case(
        "empty-file",
        b"# nothing here yet\n",
        None,
        None,
        None,
        "the file is empty",
        "title:",
    ),
    error_case(
        "steps-empty",
        doc(
            """\
            title: Neck
            steps: []
            """
        ),
        2,
        8,
        "steps",
        "expected a list of at least one step",
        "- name:",
    ),
    error_case(
        "steps-missing",
        doc(
            """\
            title: Neck
            description: Gentle.
            """
        ),
        1,
        1,
        "steps",
        "missing",
        "steps:",
    ),
    error_case(
        "title-missing",
        doc(
            """\
            # A routine without a title
            steps:
              - name: Rolls
            """
        ),
        2,
        1,
        "title",
        "missing",
        "title:",
    ),
    error_case(
        "step-missing-name",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
              - reps: 3
                say: Roll the shoulders.
            """
        ),
        4,
        5,
        "steps[2].name",
        "missing",
        "name:",
    ),
    error_case(
        "step-is-plain-text",
        doc(
            """\
            title: Neck
            steps:
              - Rolls
            """
        ),
        3,
        5,
        "steps[1]",
        "expected steps[1] to be a mapping of `key: value` lines",
        "name:",
    ),
    # -- unknown and duplicate keys ------------------------------------------------------------------------
    error_case(
        "unknown-key-top-level",
        doc(
            """\
            title: Neck
            tempp: 4s
            steps:
              - name: Rolls
            """
        ),
        2,
        1,
        "tempp",
        "unknown key",
        "did you mean `tempo`?",
    ),
    error_case(
        "unknown-key-in-step",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                rep: 3
            """
        ),
        4,
        5,
        "steps[1].rep",
        "unknown key",
        "did you mean `reps`?",
    ),
    error_case(
        "unknown-key-no-close-match",
        doc(
            """\
            title: Neck
            colour: blue
            steps:
              - name: Rolls
            """
        ),
        2,
        1,
        "colour",
        "unknown key",
        "known keys: title, description",
    ),
    error_case(
        "duplicate-key-top-level",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
            title: Shoulders
            """
        ),
        4,
        1,
        "title",
        "appears twice",
        "keep one",
    ),
    error_case(
        "duplicate-key-in-step",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 3
                reps: 4
            """
        ),
        5,
        5,
        "steps[1].reps",
        "appears twice",
        "keep one",
    ),
    # -- combinations --------------------------------------------------------------------------------------
    error_case(
        "reps-and-hold",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 3
                hold: 4s
            """
        ),
        5,
        5,
        "steps[1].hold",
        "a step has either reps or hold, not both",
        "two steps",
    ),
    error_case(
        "sides-without-reps",
        doc(
            """\
            title: Neck
            steps:
              - name: Stretch
                hold: 20s
                sides: [right, left]
            """
        ),
        5,
        5,
        "steps[1].sides",
        "sides need counted reps",
        "reps:",
    ),
    error_case(
        "count-mode-typo",
        doc(
            """\
            title: Neck
            count: voise
            steps:
              - name: Rolls
            """
        ),
        2,
        8,
        "count",
        "'voise' is not a count mode",
        "did you mean `voice`?",
    ),
    # -- pace, count and cues -------------------------------------------------------------------------------
    error_case(
        "step-pace-zero",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                pace: 0
            """
        ),
        4,
        11,
        "steps[1].pace",
        "expected a number from 0.25 to 4, got 0",
        "pace: 0.8",
    ),
    error_case(
        "step-pace-is-a-word",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                pace: slow
            """
        ),
        4,
        11,
        "steps[1].pace",
        "expected a number from 0.25 to 4, got 'slow'",
        "pace: 0.8",
    ),
    error_case(
        "step-pace-too-fast",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 3
                pace: 5
            """
        ),
        5,
        11,
        "steps[1].pace",
        "expected a number from 0.25 to 4, got 5",
        "pace: 1.5",
    ),
    error_case(
        "step-count-typo",
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 3
                count: chimes
            """
        ),
        5,
        12,
        "steps[1].count",
        "'chimes' is not a count mode",
        "did you mean `chime`?",
    ),
    error_case(
        "cues-unknown-name",
        doc(
            """\
            title: Neck
            cues:
              halfwy: false
            steps:
              - name: Rolls
            """
        ),
        3,
        3,
        "cues.halfwy",
        "unknown key",
        "did you mean `halfway`?",
    ),
    error_case(
        "cues-not-true-or-false",
        doc(
            """\
            title: Neck
            cues:
              halfway: sometimes
            steps:
              - name: Rolls
            """
        ),
        3,
        12,
        "cues.halfway",
        "expected true or false, got 'sometimes'",
        "halfway: false",
    ),
    error_case(
        "cues-is-a-list",
        doc(
            """\
            title: Neck
            cues: [halfway]
            steps:
              - name: Rolls
            """
        ),
        2,
        7,
        "cues",
        "expected cues to be a mapping of `key: value` lines",
        "halfway: false",
    ),
    error_case(
        "language-without-count-words",
        doc(
            """\
            title: Collo
            language: it
            steps:
              - name: Rolls
                reps: 3
            """
        ),
        2,
        11,
        "language",
        "cueline has no count words for 'it', and step 1 (Rolls) counts aloud",
        "add `count: chime` (or `silent`) to the routine; count words exist for de, en, es, fr",
    ),
    error_case(
        "step-counts-aloud-without-count-words",
        doc(
            """\
            title: Collo
            language: it
            count: chime
            steps:
              - name: Rolls
                reps: 3
                count: voice
            """
        ),
        7,
        12,
        "steps[1].count",
        "counts aloud, but cueline has no count words for language 'it'",
        "`count: chime`",
    ),
    error_case(
        "cue-on-without-cue-phrases",
        doc(
            """\
            title: Collo
            language: it
            count: chime
            cues:
              halfway: true
            steps:
              - name: Rolls
            """
        ),
        5,
        3,
        "cues.halfway",
        "cueline has no cue phrases for language 'it'",
        "remove the line",
    ),
    # -- encoding ------------------------------------------------------------------------------------------
    error_case(
        "not-utf8",
        b"title: Neck\nsteps:\n  - name: Caf\xe9\n",
        3,
        14,
        None,
        "not valid UTF-8 (byte 0xe9)",
        "UTF-8",
    ),
    error_case(
        "not-utf8-after-accent",
        # "  - name: Café cr" is 17 characters (18 bytes), so the bad byte is character 18.
        b"title: Neck\nsteps:\n  - name: Caf\xc3\xa9 cr\xe8me\n",
        3,
        18,
        None,
        "not valid UTF-8 (byte 0xe8)",
        "UTF-8",
    ),
    # -- limits --------------------------------------------------------------------------------------------
    error_case(
        "file-too-large",
        padded(NECK, 300 * KIB),
        None,
        None,
        None,
        "the file is 300 KiB; routine files may be at most 256 KiB",
        "split",
    ),
    error_case(
        "file-just-over-the-cap",
        padded(NECK, 256 * KIB + 1),
        None,
        None,
        None,
        "the file is 257 KiB; routine files may be at most 256 KiB",
        "split",
    ),
    error_case(
        "yaml-alias-billion-laughs",
        doc(
            """\
            a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
            f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
            g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
            h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
            i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
            title: Neck
            steps:
              - name: Rolls
            """
        ),
        2,
        8,
        None,
        "YAML aliases (*name) are not allowed in routine files",
        "in full",
    ),
    error_case(
        "routine-longer-than-4-hours",
        # 500 reps x 120 s + 1 s rest = 60001 s = 16.67 h
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 500
                tempo: 2m
            """
        ),
        3,
        3,
        "steps",
        "the steps add up to 16:40:01; a routine may last at most 4:00:00",
        "fewer reps",
    ),
    error_case(
        "routine-just-over-4-hours",
        # 241 min hold + 1 s rest = 4:01:01
        doc(
            """\
            title: Neck
            steps:
              - name: Stretch
                hold: 241m
            """
        ),
        3,
        3,
        "steps",
        "the steps add up to 4:01:01; a routine may last at most 4:00:00",
        "shorter holds",
    ),
    error_case(
        "more-than-200-steps",
        b"title: Neck\nsteps:\n" + b"  - name: Rolls\n" * 201,
        3,
        3,
        "steps",
        "201 steps; at most 200 are allowed",
        "split",
    ),
]


@pytest.mark.parametrize(("data", "line", "column", "field", "reason", "hint"), ERROR_CASES)
def test_error_names_file_line_column_field_and_hint(
    tmp_path: Path,
    data: bytes,
    line: int | None,
    column: int | None,
    field: str | None,
    reason: str,
    hint: str,
) -> None:
    path = tmp_path / SOURCE
    path.write_bytes(data)

    started = time.perf_counter()
    with pytest.raises(RoutineError) as caught:
        load_routine_path(path)
    elapsed_s = time.perf_counter() - started

    err = caught.value
    assert (err.source, err.line, err.column, err.field, err.reason) == (
        str(path),
        line,
        column,
        field,
        reason,
    )
    assert err.hint is not None
    assert hint in err.hint
    where = str(path) if line is None else f"{path}:{line}:{column}"
    head = f"{where}: {field}: {reason}" if field else f"{where}: {reason}"
    assert str(err) == f"{head}\n  hint: {err.hint}"
    assert elapsed_s < 1.0


def test_text_loader_reports_under_the_given_source_name() -> None:
    err = load_error(
        doc(
            """\
            title: Neck
            tempp: 4s
            steps:
              - name: Rolls
            """
        )
    )

    assert str(err) == "routine.yaml:2:1: tempp: unknown key\n  hint: did you mean `tempo`?"


def test_text_loader_caps_size_with_a_hint() -> None:
    err = load_error(padded(NECK, 300 * KIB))

    assert (err.line, err.field) == (None, None)
    assert err.hint


def test_missing_file_is_a_routine_error_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"

    with pytest.raises(RoutineError) as caught:
        load_routine_path(path)

    assert str(caught.value) == (
        f"{path}: no such file\n"
        "  hint: check the path, or run `cueline lint --bundled` for the bundled routines"
    )


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        pytest.param(
            doc(
                """\
                title: Neck
                steps:
                  - name: Rolls
                    say: !!python/object:os.system ls
                """
            ),
            4,
            10,
            id="python-tag",
        ),
        pytest.param(
            doc(
                """\
                title: Neck
                steps:
                  - name: Rolls
                    reps: !!int eight
                """
            ),
            4,
            11,
            id="int-tag-on-a-word",
        ),
        pytest.param(
            doc(
                """\
                title: Neck
                steps:
                  - name: Rolls
                    say: !!timestamp soon
                """
            ),
            4,
            10,
            id="timestamp-tag-on-a-word",
        ),
        pytest.param(
            doc(
                """\
                title: Neck
                steps:
                  - name: Rolls
                    <<: {reps: 3}
                """
            ),
            4,
            5,
            id="merge-key",
        ),
        pytest.param(
            b"title: Neck\x00\nsteps:\n  - name: Rolls\n",
            1,
            12,
            id="nul-character",
        ),
        pytest.param(
            b"title: Neck\nsteps: " + b"{a: " * 1000 + b"b" + b"}" * 1000 + b"\n",
            2,
            None,
            id="deep-nesting",
        ),
    ],
)
def test_hostile_yaml_is_a_routine_error_at_its_position(data: bytes, line: int, column: int | None) -> None:
    err = load_error(data)

    assert err.line == line
    if column is not None:
        assert err.column == column
    assert "<unicode string>" not in err.reason


def test_count_mode_given_as_a_list_names_the_choices() -> None:
    err = load_error(
        doc(
            """\
            title: Neck
            count: [voice]
            steps:
              - name: Rolls
            """
        )
    )

    assert (err.line, err.column, err.field) == (2, 8, "count")
    assert "_Field" not in err.reason
    assert err.reason == "expected one of: voice, chime, both, silent"
    assert err.hint == "for example `count: voice`"


# -- the model ---------------------------------------------------------------------------------------------


def test_every_field_is_parsed_into_the_model() -> None:
    routine = load(
        doc(
            """\
            title: Face basics
            description: A short, gentle routine.
            language: EN
            voice: english-female
            tempo: 4s
            count: chime
            intro: Sit comfortably.
            outro:
              - Well done.
              - Drink some water.
            steps:
              - name: Forehead
                say: Stroke from the centre outwards.
                reps: 8
                tempo: 1.5s
                sides: [right, left]
                rest: 2m
              - name: Jaw hold
                hold: 1m30s
              - name: Temples
                reps: 4
                tempo: 2
                rest: 2.5
              - name: Breathe
            """
        )
    )

    assert routine == Routine(
        title="Face basics",
        steps=(
            Step(
                name="Forehead",
                say="Stroke from the centre outwards.",
                reps=8,
                tempo_s=1.5,
                sides=("right", "left"),
                rest_s=120.0,
                line=12,
            ),
            Step(name="Jaw hold", hold_s=90.0, rest_s=1.0, line=18),
            Step(name="Temples", reps=4, tempo_s=2.0, rest_s=2.5, line=20),
            Step(name="Breathe", rest_s=1.0, line=24),
        ),
        source=SOURCE,
        description="A short, gentle routine.",
        language="en",
        voice="english-female",
        tempo_s=4.0,
        count=CountMode.CHIME,
        intro=("Sit comfortably.",),
        outro=("Well done.", "Drink some water."),
        safety=(SAFETY_LINES["en"],),
    )


def test_defaults_fill_what_the_file_leaves_out() -> None:
    routine = load(NECK)

    assert routine == Routine(
        title="Neck",
        steps=(
            Step(name="Rolls", say=None, reps=None, hold_s=None, tempo_s=None, sides=(), rest_s=1.0, line=3),
        ),
        source=SOURCE,
        description=None,
        language="en",
        voice=None,
        tempo_s=3.0,
        count=CountMode.VOICE,
        intro=(),
        outro=(),
        safety=(SAFETY_LINES["en"],),  # cueline's safety line opens every routine unless turned off
    )


def test_metadata_is_parsed_and_a_language_without_a_safety_line_gets_none() -> None:
    routine = load(
        doc(
            """            title: Rollen
            language: xx
            technique: Facial roller
            tools: [face roller, towel]
            oil: A light oil, such as jojoba
            tags: [gentle, morning]
            count: chime
            steps:
              - name: Wangen
                reps: 3
            """
        )
    )

    assert (routine.technique, routine.tools, routine.oil, routine.tags) == (
        "Facial roller",
        ("face roller", "towel"),
        "A light oil, such as jojoba",
        ("gentle", "morning"),
    )
    assert routine.safety == ()  # an English line in another language's voice would be worse than none


def test_pace_count_and_cues_are_parsed_into_the_model() -> None:
    routine = load(
        doc(
            """\
            title: Gesicht
            language: de-AT
            count: voice
            cues:
              count-in: false
              halfway: yes
              next-step: off
            steps:
              - name: Kiefer
                reps: 8
                pace: 0.7
                count: chime
              - name: Wangen
                reps: 4
                pace: 2
            """
        )
    )

    assert routine.cues == CueSwitches(
        on=frozenset({SpokenCue.HALFWAY}), off=frozenset({SpokenCue.COUNT_IN, SpokenCue.NEXT_STEP})
    )
    assert [(step.pace, step.count) for step in routine.steps] == [(0.7, CountMode.CHIME), (2.0, None)]
    assert routine.safety == (SAFETY_LINES["de"],)  # the German line for a German routine


def test_a_language_without_count_words_is_fine_when_nothing_is_counted_aloud() -> None:
    routine = load(
        doc(
            """\
            title: Collo
            language: it
            cues: {halfway: false}
            steps:
              - name: Respira
              - name: Tieni
                hold: 5s
              - name: Rolls
                reps: 3
                count: silent
            """
        )
    )

    assert routine.language == "it" and routine.safety == ()


def test_a_steps_own_pace_counts_toward_the_length_cap() -> None:
    err = load_error(
        doc(
            """\
            title: Neck
            steps:
              - name: Rolls
                reps: 100
                tempo: 1m
                pace: 0.25
            """
        )
    )

    assert (err.field, err.reason) == (
        "steps",
        "the steps add up to 6:40:04; a routine may last at most 4:00:00",
    )


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        pytest.param("4s", 4.0, id="seconds"),
        pytest.param("1.5s", 1.5, id="fractional-seconds"),
        pytest.param("2m", 120.0, id="minutes"),
        pytest.param("1m30s", 90.0, id="minutes-and-seconds"),
        pytest.param("4", 4.0, id="plain-number"),
        pytest.param("2.5", 2.5, id="plain-fraction"),
    ],
)
def test_duration_forms(written: str, seconds: float) -> None:
    routine = load(
        doc(
            f"""\
            title: Neck
            steps:
              - name: Stretch
                hold: {written}
            """
        )
    )

    assert routine.steps[0].hold_s == seconds


@pytest.mark.parametrize(
    ("intro", "expected"),
    [
        pytest.param("intro: Sit comfortably.", ("Sit comfortably.",), id="text"),
        pytest.param("intro: [Sit comfortably., Breathe.]", ("Sit comfortably.", "Breathe."), id="list"),
    ],
)
def test_intro_is_text_or_a_list(intro: str, expected: tuple[str, ...]) -> None:
    routine = load(f"title: Neck\n{intro}\nsteps:\n  - name: Rolls\n".encode())

    assert routine.intro == expected


def test_routine_and_step_are_frozen() -> None:
    routine = load(NECK)

    with pytest.raises(dataclasses.FrozenInstanceError):
        routine.title = "Shoulders"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        routine.steps[0].reps = 3  # type: ignore[misc]


def test_text_is_whitespace_normalised() -> None:
    routine = load(
        doc(
            """\
            title: "  Face \\t basics  "
            description: >
              A   gentle
              routine.
            intro: |
              Sit   comfortably.
              Breathe.
            steps:
              - name: "Forehead\\u00a0\\u00a0rub "
                sides: [" right", "left  "]
                reps: 3
            """
        )
    )

    assert routine.title == "Face basics"
    assert routine.description == "A gentle routine."
    assert routine.intro == ("Sit comfortably. Breathe.",)
    assert routine.steps[0].name == "Forehead rub"
    assert routine.steps[0].sides == ("right", "left")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("1:30", id="sexagesimal"),
        pytest.param("3.10", id="trailing-zero"),
        pytest.param("012", id="leading-zero"),
    ],
)
def test_number_like_text_is_kept_as_written(name: str) -> None:
    routine = load(f"title: Neck\nsteps:\n  - name: {name}\n".encode())

    assert routine.steps[0].name == name


def test_odd_paths_are_routine_errors_without_reading_forever(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "afile").write_text("x")
    for path, reason in [
        (Path("/dev/zero"), "is not a regular file"),
        (fifo, "is not a regular file"),
        (tmp_path, "is not a regular file"),
        (tmp_path / "afile" / "x.yaml", "no such file"),
    ]:
        with pytest.raises(RoutineError) as caught:
            load_routine_path(path)
        assert caught.value.reason == reason, path
        assert caught.value.hint
