"""Counts are spoken as words, in the routine's language."""

from __future__ import annotations

import pytest

from cueline.count_words import count_word
from cueline.errors import PacingError


@pytest.mark.parametrize(
    ("number", "word"),
    [(1, "one"), (13, "thirteen"), (20, "twenty"), (42, "forty-two"), (100, "one hundred"),
     (215, "two hundred and fifteen"), (500, "five hundred")],
)  # fmt: skip
def test_english(number: int, word: str) -> None:
    assert count_word(number, "en") == word
    assert count_word(number, "en-GB") == word


def test_every_count_up_to_the_rep_limit_is_words_only() -> None:
    words = [count_word(n, "en") for n in range(1, 501)]
    assert len(set(words)) == 500
    assert all(word.replace(" ", "").replace("-", "").isalpha() for word in words)


def test_a_language_without_count_words_is_a_clear_error() -> None:
    with pytest.raises(PacingError, match="no count words for language 'xx'"):
        count_word(3, "xx")
