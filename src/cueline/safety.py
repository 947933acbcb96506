"""The safety line cueline speaks before every routine, in each language it has one for."""

from __future__ import annotations

from dataclasses import replace

from cueline.language import base_language
from cueline.routine import Routine

# From the seed article's risks: too much pressure can hurt or cause small tears; strong actives such as
# retinoids or chemical exfoliants make irritation likelier; irritated or injured skin should be left alone.
# Each translation says the same four things, no more: light pressure, stop if it hurts, go easy with
# strong actives, skip irritated or broken skin.
SAFETY_LINES: dict[str, str] = {
    "en": (
        "A word before we start: keep the pressure light, and stop if anything hurts. "
        "Go easy if you use strong skin products such as retinoids or exfoliants, "
        "and skip any skin that is irritated or broken."
    ),
    "de": (
        "Kurz vorweg: Halte den Druck leicht, und hör auf, wenn etwas wehtut. "
        "Sei zurückhaltend, wenn du starke Hautpflegeprodukte wie Retinoide oder Peelings verwendest, "
        "und lass gereizte oder verletzte Haut aus."
    ),
    "es": (
        "Antes de empezar: presiona con suavidad, y detente si algo te duele. "
        "Ve con cuidado si usas productos fuertes para la piel, como retinoides o exfoliantes, "
        "y evita la piel irritada o con heridas."
    ),
    "fr": (
        "Avant de commencer : gardez une pression légère, et arrêtez si quelque chose fait mal. "
        "Allez-y doucement si vous utilisez des produits puissants pour la peau, comme les rétinoïdes "
        "ou les exfoliants, et évitez toute peau irritée ou abîmée."
    ),
}


def safety_line(language: str) -> str | None:
    """The safety line for a language code such as `en` or `en-gb`, if cueline has one."""
    return SAFETY_LINES.get(base_language(language))


def without_safety(routine: Routine) -> Routine:
    """The same routine with its safety line left out (`--no-safety`, for people who have heard it)."""
    return replace(routine, safety=())
