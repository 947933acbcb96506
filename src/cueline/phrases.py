"""What cueline itself says besides counts and the safety line (count-in, halfway, side switch, …), per
language. Plain words that say where you are in the routine and claim nothing."""

from __future__ import annotations

from dataclasses import dataclass

from cueline.language import base_language


@dataclass(frozen=True)
class Phrases:
    """One language's cue phrases; `{side}` and `{name}` are filled in from the routine file as written."""

    ready: str  # the count-in is `ready` on the beat before rep one, then `and` half a beat before it
    and_: str
    halfway: str
    last_rep: str
    first_side: str
    next_side: str
    next_step: str
    finish: str

    def side(self, side: str, first: bool) -> str:
        """The announcement of a side: the first one, or a switch to the next."""
        template = self.first_side if first else self.next_side
        return template.format(side=side, Side=side[:1].upper() + side[1:])

    def next(self, name: str) -> str:
        """The preview of the next step, spoken during the rest before it."""
        return self.next_step.format(name=name.rstrip(".!?"))


# German and Spanish address the listener as du/tú, French as vous, as instructions usually do in each.
PHRASES: dict[str, Phrases] = {
    "en": Phrases(
        ready="Ready",
        and_="and",
        halfway="Halfway.",
        last_rep="Last one.",
        first_side="{Side} side.",
        next_side="Now the {side} side.",
        next_step="Next: {name}.",
        finish="Gently let your hands come to rest.",
    ),
    "de": Phrases(
        ready="Bereit",
        and_="und",
        halfway="Halbzeit.",
        last_rep="Die letzte.",
        first_side="Zuerst {side}.",
        next_side="Jetzt {side}.",
        next_step="Als Nächstes: {name}.",
        finish="Lass die Hände jetzt sanft zur Ruhe kommen.",
    ),
    "es": Phrases(
        ready="Vamos",
        and_="y",
        halfway="Vamos por la mitad.",
        last_rep="La última.",
        first_side="Lado {side}.",
        next_side="Ahora, el lado {side}.",
        next_step="A continuación: {name}.",
        finish="Deja que tus manos descansen, suavemente.",
    ),
    "fr": Phrases(
        ready="On y va",
        and_="et",
        halfway="À mi-parcours.",
        last_rep="La dernière.",
        first_side="Côté {side}.",
        next_side="Maintenant, le côté {side}.",
        next_step="Ensuite : {name}.",
        finish="Laissez doucement vos mains se reposer.",
    ),
}


def phrases_for(language: str) -> Phrases | None:
    """The cue phrases for a language code such as `fr` or `fr-ca`, if cueline has them."""
    return PHRASES.get(base_language(language))


def phrase_languages() -> tuple[str, ...]:
    """The base languages cueline has cue phrases for, sorted."""
    return tuple(sorted(PHRASES))
