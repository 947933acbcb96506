"""Counts are spoken as words, in the routine's language."""

from __future__ import annotations

import re

import pytest

from cueline.count_words import count_languages, count_word, has_count_words
from cueline.errors import PacingError
from cueline.language import base_language


@pytest.mark.parametrize(
    ("number", "word"),
    [(1, "one"), (13, "thirteen"), (20, "twenty"), (42, "forty-two"), (100, "one hundred"),
     (215, "two hundred and fifteen"), (500, "five hundred")],
)  # fmt: skip
def test_english(number: int, word: str) -> None:
    assert count_word(number, "en") == word
    assert count_word(number, "en-GB") == word


@pytest.mark.parametrize(
    ("number", "word"),
    [(1, "eins"), (6, "sechs"), (7, "sieben"), (16, "sechzehn"), (17, "siebzehn"), (20, "zwanzig"),
     (21, "einundzwanzig"), (30, "dreißig"), (47, "siebenundvierzig"), (100, "hundert"),
     (101, "hunderteins"), (121, "hunderteinundzwanzig"), (300, "dreihundert"),
     (456, "vierhundertsechsundfünfzig"), (500, "fünfhundert")],
)  # fmt: skip
def test_german(number: int, word: str) -> None:
    assert count_word(number, "de") == word
    assert count_word(number, "de-AT") == word


@pytest.mark.parametrize(
    ("number", "word"),
    [(1, "uno"), (15, "quince"), (16, "dieciséis"), (21, "veintiuno"), (22, "veintidós"),
     (30, "treinta"), (31, "treinta y uno"), (99, "noventa y nueve"), (100, "cien"),
     (101, "ciento uno"), (115, "ciento quince"), (200, "doscientos"), (342, "trescientos cuarenta y dos"),
     (500, "quinientos")],
)  # fmt: skip
def test_spanish(number: int, word: str) -> None:
    assert count_word(number, "es") == word
    assert count_word(number, "es-419") == word


@pytest.mark.parametrize(
    ("number", "word"),
    [(1, "un"), (17, "dix-sept"), (21, "vingt et un"), (22, "vingt-deux"), (61, "soixante et un"),
     (70, "soixante-dix"), (71, "soixante et onze"), (72, "soixante-douze"), (79, "soixante-dix-neuf"),
     (80, "quatre-vingts"), (81, "quatre-vingt-un"), (90, "quatre-vingt-dix"), (91, "quatre-vingt-onze"),
     (100, "cent"), (101, "cent un"), (180, "cent quatre-vingts"), (200, "deux cents"),
     (201, "deux cent un"), (500, "cinq cents")],
)  # fmt: skip
def test_french(number: int, word: str) -> None:
    assert count_word(number, "fr") == word
    assert count_word(number, "fr-CA") == word


@pytest.mark.parametrize("language", ["en", "de", "es", "fr"])
def test_every_count_up_to_the_rep_limit_is_words_only_and_different(language: str) -> None:
    words = [count_word(n, language) for n in range(1, 501)]
    assert len(set(words)) == 500
    assert all(re.fullmatch(r"[^\W\d_]+(?:[ -][^\W\d_]+)*", word) for word in words), words


def test_a_language_without_count_words_is_a_clear_error() -> None:
    assert count_languages() == ("de", "en", "es", "fr")
    assert not has_count_words("it") and has_count_words("DE_ch")
    with pytest.raises(PacingError, match="no count words for language 'xx'") as caught:
        count_word(3, "xx")
    assert caught.value.hint and "de, en, es, fr" in caught.value.hint


@pytest.mark.parametrize(
    ("code", "base"), [("de", "de"), ("DE", "de"), ("de-AT", "de"), ("de_at", "de"), (" en-gb ", "en")]
)
def test_base_language(code: str, base: str) -> None:
    assert base_language(code) == base
