"""Cue phrases and safety lines in every language cueline counts in: complete, plain, and claiming nothing."""

from __future__ import annotations

import dataclasses
import re

import pytest
from test_bundled_routines import UNSUPPORTED

from cueline.count_words import count_languages
from cueline.phrases import PHRASES, phrase_languages, phrases_for
from cueline.safety import SAFETY_LINES, safety_line


def test_the_same_languages_count_speak_cues_and_warn() -> None:
    assert phrase_languages() == count_languages() == tuple(sorted(SAFETY_LINES))


@pytest.mark.parametrize("language", sorted(PHRASES))
def test_phrases_are_plain_words_and_claim_nothing(language: str) -> None:
    phrases = PHRASES[language]
    for name, text in dataclasses.asdict(phrases).items():
        assert text.strip(), name
        assert not re.search(r"\d|[%&/=+*#@<>_]", text), (name, text)
        assert not UNSUPPORTED.search(text.lower()), (name, text)
    assert re.search(r"\{[sS]ide\}", phrases.first_side) and "{side}" in phrases.next_side
    assert "{name}" in phrases.next_step


def test_phrases_fill_in_sides_and_step_names_as_written() -> None:
    english = phrases_for("en-GB")
    assert english is not None
    assert (english.side("right", first=True), english.side("left", first=False)) == (
        "Right side.",
        "Now the left side.",
    )
    assert english.next("Jaw") == "Next: Jaw."
    assert english.next("Breathe.") == "Next: Breathe."  # no doubled full stop
    german = phrases_for("de")
    assert german is not None and german.side("links", first=False) == "Jetzt links."
    assert phrases_for("xx") is None


@pytest.mark.parametrize("language", sorted(SAFETY_LINES))
def test_every_safety_line_says_the_same_four_things(language: str) -> None:
    """Light pressure, stop if it hurts, go easy with retinoids and exfoliants, skip irritated or broken
    skin: each translation must name the actives and irritation, and say no more than the English."""
    line = safety_line(language)
    assert line is not None
    assert re.search(r"r[ée]tino[iï]d", line.lower()), line
    assert re.search(r"exfoliant|peeling", line.lower()), line
    assert re.search(r"irrit|gereizt", line.lower()), line
    assert not UNSUPPORTED.search(line.lower())
    assert len(line) < 1.5 * len(SAFETY_LINES["en"])
    assert safety_line(f"{language}-xx") == line
