"""Preparing a routine: the voice it is spoken in, and the pacing it is compiled at."""

from __future__ import annotations

import pytest

from cueline.errors import SpeechEngineError
from cueline.pacing import Pacing
from cueline.routine import CountMode, Routine, Step
from cueline.session import prepare, voice_for

from fakes import ToneSpeech


def routine(language: str, voice: str | None = None) -> Routine:
    return Routine(
        title="Voice", steps=(Step("Neck", reps=2),), language=language, voice=voice, count=CountMode.CHIME
    )


@pytest.mark.parametrize(
    ("language", "voice"), [("en", "gmw/en"), ("de", "gmw/de"), ("es", "roa/es"), ("fr", "roa/fr")]
)
def test_the_voice_follows_the_language_unless_the_routine_names_one(
    tone: ToneSpeech, language: str, voice: str
) -> None:
    assert voice_for(routine(language), tone) == voice
    assert voice_for(routine(language, voice="gmw/en-us"), tone) == "gmw/en-us"


def test_a_language_no_voice_speaks_is_a_clear_error(tone: ToneSpeech) -> None:
    with pytest.raises(
        SpeechEngineError, match="no speech voice speaks the routine's language 'it'"
    ) as caught:
        prepare(routine("it"), Pacing(), engine=tone)
    assert caught.value.hint is not None and "cueline voices" in caught.value.hint


def test_prepare_renders_in_the_chosen_voice(tone: ToneSpeech) -> None:
    prepared = prepare(routine("de"), Pacing(), engine=tone)
    assert prepared.clips.voice == "gmw/de"
