"""Every bundled routine: loads clean, reads well aloud, makes no claims, and renders with real speech."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from cueline.catalog import bundled_names, find
from cueline.pacing import Pacing
from cueline.render import render_blocks
from cueline.session import prepare
from cueline.timeline import instruction_text

NAMES = bundled_names()
# Claims the seed article does not support; none of these may appear in spoken text.
UNSUPPORTED = re.compile(
    r"\b(detox\w*|anti-?ag\w*|sculpt\w*|cures?|heals?|collagen|wrinkles?|glow\w*|"
    r"(lift|tighten|firm|tone)\w* (the |your )?(skin|face|jaw\w*|cheeks?))\b"
)


def spoken(name: str) -> list[str]:
    routine = find(name).load()
    return [*routine.intro, *routine.outro, *(instruction_text(step) for step in routine.steps)]


@pytest.mark.parametrize("name", NAMES)
def test_spoken_text_has_words_not_digits_or_units(name: str) -> None:
    for text in spoken(name):
        assert not re.search(r"\d", text), text
        assert not re.search(r"[%&/=+*#@<>_]", text), text


@pytest.mark.parametrize("name", NAMES)
def test_no_unsupported_claims(name: str) -> None:
    routine = find(name).load()
    for text in [*spoken(name), routine.description or ""]:
        assert not UNSUPPORTED.search(text.lower()), text


@pytest.mark.parametrize("name", NAMES)
def test_metadata_and_safety(name: str) -> None:
    routine = find(name).load()
    assert routine.description and routine.technique and routine.tools
    assert len(routine.safety) == 1 and "stop if anything hurts" in routine.safety[0]


@pytest.mark.speech
@pytest.mark.parametrize("name", NAMES)
def test_renders_with_real_speech_and_sensible_length(name: str, tmp_path: Path) -> None:
    prepared = prepare(find(name).load(), Pacing(), cache_root=tmp_path)
    minutes = prepared.timeline.duration_s / 60
    if name == "quick-3":
        assert 2.75 <= minutes <= 3.25
    else:
        assert 4 <= minutes <= 9
    peak = max(
        int(np.max(np.abs(block.astype(np.int32))))
        for block in render_blocks(prepared.timeline, prepared.clips)
    )
    assert 3000 < peak < 32767  # audible, and never clipping
