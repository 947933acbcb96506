"""The safety line cueline speaks before every routine, in each language it has one for."""

from __future__ import annotations

from dataclasses import replace

from cueline.routine import Routine

# From the seed article's risks: too much pressure can hurt or cause small tears; strong actives such as
# retinoids or chemical exfoliants make irritation likelier; irritated or injured skin should be left alone.
SAFETY_LINES: dict[str, str] = {
    "en": (
        "A word before we start: keep the pressure light, and stop if anything hurts. "
        "Go easy if you use strong skin products such as retinoids or exfoliants, "
        "and skip any skin that is irritated or broken."
    ),
}


def safety_line(language: str) -> str | None:
    """The safety line for a language code such as `en` or `en-gb`, if cueline has one."""
    return SAFETY_LINES.get(language.split("-")[0].lower())


def without_safety(routine: Routine) -> Routine:
    """The same routine with its safety line left out (`--no-safety`, for people who have heard it)."""
    return replace(routine, safety=())
