"""Count words (`one`, `two`, …) in a routine's language, so counts are spoken as words, not digits."""

from __future__ import annotations

from collections.abc import Callable

from cueline.errors import PacingError
from cueline.language import base_language

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


_DE_ONES = (
    "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
    "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn",
)  # fmt: skip
_DE_TENS = ("", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig")


def _german(number: int) -> str:
    if number < 20:
        return _DE_ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        if not ones:
            return _DE_TENS[tens]
        unit = "ein" if ones == 1 else _DE_ONES[ones]  # einundzwanzig, not einsundzwanzig
        return f"{unit}und{_DE_TENS[tens]}"
    hundreds, rest = divmod(number, 100)
    head = "hundert" if hundreds == 1 else f"{_DE_ONES[hundreds]}hundert"
    return head if rest == 0 else head + _german(rest)


_ES_ONES = (
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
    "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve",
    "veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
    "veintisiete", "veintiocho", "veintinueve",
)  # fmt: skip
_ES_TENS = ("", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa")
_ES_HUNDREDS = ("", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos")


def _spanish(number: int) -> str:
    if number < 30:
        return _ES_ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _ES_TENS[tens] + (f" y {_ES_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return "cien" if hundreds == 1 else _ES_HUNDREDS[hundreds]
    return f"{_ES_HUNDREDS[hundreds]} {_spanish(rest)}"


_FR_ONES = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
)  # fmt: skip
_FR_TENS = ("", "", "vingt", "trente", "quarante", "cinquante", "soixante")


def _french(number: int) -> str:
    if number < 20:
        return _FR_ONES[number]
    if number < 70:
        tens, ones = divmod(number, 10)
        if not ones:
            return _FR_TENS[tens]
        return f"{_FR_TENS[tens]} et un" if ones == 1 else f"{_FR_TENS[tens]}-{_FR_ONES[ones]}"
    if number < 80:  # soixante-dix to soixante-dix-neuf: sixty plus ten to nineteen
        return "soixante et onze" if number == 71 else f"soixante-{_FR_ONES[number - 60]}"
    if number < 100:  # quatre-vingts: four twenties, with an s only when nothing follows
        return "quatre-vingts" if number == 80 else f"quatre-vingt-{_FR_ONES[number - 80]}"
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return "cent" if hundreds == 1 else f"{_FR_ONES[hundreds]} cents"
    head = "cent" if hundreds == 1 else f"{_FR_ONES[hundreds]} cent"
    return f"{head} {_french(rest)}"


_SPELLERS: dict[str, Callable[[int], str]] = {
    "de": _german,
    "en": _english,
    "es": _spanish,
    "fr": _french,
}


def count_languages() -> tuple[str, ...]:
    """The base languages cueline can count aloud in, sorted."""
    return tuple(sorted(_SPELLERS))


def has_count_words(language: str) -> bool:
    """Whether cueline can count aloud in `language` (a code such as `de` or `en-gb`)."""
    return base_language(language) in _SPELLERS


def count_word(number: int, language: str) -> str:
    """The word spoken for rep `number` (1-based) in `language` (a code such as `en` or `en-gb`)."""
    speller = _SPELLERS.get(base_language(language))
    if speller is None:
        raise PacingError(
            f"cueline has no count words for language {language!r} yet",
            hint=f"use `count: chime` or `count: silent`, or one of: {', '.join(count_languages())}",
        )
    return speller(number)
