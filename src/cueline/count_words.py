"""Count words (`one`, `two`, …) in a routine's language, so counts are spoken as words, not digits."""

from __future__ import annotations

from cueline.errors import PacingError

_EN_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _english(number: int) -> str:
    if number < 20:
        return _EN_ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(number, 100)
    head = f"{_EN_ONES[hundreds]} hundred"
    return head if rest == 0 else f"{head} and {_english(rest)}"


_SPELLERS = {"en": _english}


def count_word(number: int, language: str) -> str:
    """The word spoken for rep `number` (1-based) in `language` (a code such as `en` or `en-gb`)."""
    base = language.split("-")[0].lower()
    speller = _SPELLERS.get(base)
    if speller is None:
        raise PacingError(
            f"cueline has no count words for language {language!r} yet",
            hint=f"use `count: chime` or `count: silent`, or one of: {', '.join(sorted(_SPELLERS))}",
        )
    return speller(number)
