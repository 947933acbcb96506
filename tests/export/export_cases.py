"""A small routine with every kind of part (intro, safety, sides, a hold, counts, outro): the export tests'
common case, rendered with the ToneSpeech fake."""

from __future__ import annotations

from cueline.routine import CountMode, Routine, Step

ROUTINE = Routine(
    title="Évening face",  # not Latin-1-only ASCII: tags must carry it
    steps=(
        Step("Neck", say="Glide up from the collarbones.", reps=4, tempo_s=2.0),
        Step("Jaw & chin", say="Out along the jaw.", reps=3, tempo_s=2.0, sides=("right", "left")),
        Step("Temples", say="Press and hold.", hold_s=3.0),
    ),
    intro=("Warm a drop of oil.",),
    outro=("Well done.",),
    safety=("Use light pressure.",),
    count=CountMode.BOTH,
)
