"""The real speech engine: pyttsx3 driving espeak-ng, with its traps fenced. Audio is checked by measurement
(lengths, spectra), never by bytes: espeak-ng does not render one text identically twice.

The process has one espeak-ng engine. Tests that need it fresh (building it, failing to build it) or leave it
hung for good do that in a new process, where nothing they break can reach the next test."""

from __future__ import annotations

import gc
import multiprocessing
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, cast

import numpy as np
import numpy.typing as npt
import pytest

from cueline import defaults
from cueline.errors import SpeechEngineError
from cueline.pcm import SAMPLE_RATE_HZ
from cueline.speech import Pyttsx3Speech, VoiceInfo, voice_for_language
from cueline.wavfile import Samples

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

pytestmark = pytest.mark.speech  # CI installs espeak-ng: these run there, never skipped

SENTENCE = "Slow strokes along the shoulder."
VOICE = "en-us"
RATE_WPM = defaults.SPEECH_RATE_WPM
SLOW_WPM, FAST_WPM = 120, 250
HANG_TIMEOUT_S = 0.2
PATIENT_TIMEOUT_S = 1.0
CHILD_TIMEOUT_S = 60.0  # a new process imports numpy and cueline before it starts

T = TypeVar("T")


@pytest.fixture
def speech() -> Iterator[Pyttsx3Speech]:
    """The process's engine at the default rate, and left there for whoever renders next."""
    engine = Pyttsx3Speech()
    engine.synthesize("Rest.", VOICE, RATE_WPM)
    yield engine
    engine.synthesize("Rest.", VOICE, RATE_WPM)


def _run_scenario(scenario: Callable[[], object], results: Queue[tuple[bool, object]]) -> None:
    try:
        results.put((True, scenario()))
    except BaseException:
        results.put((False, traceback.format_exc()))


def in_fresh_process(scenario: Callable[[], T]) -> T:
    """What `scenario` (a module-level function) returns when run in a new process."""
    context = multiprocessing.get_context("spawn")
    results: Queue[tuple[bool, object]] = context.Queue()
    child = context.Process(target=_run_scenario, args=(scenario, results), daemon=True)
    child.start()
    try:
        ok, value = results.get(timeout=CHILD_TIMEOUT_S)
    finally:
        child.join(timeout=CHILD_TIMEOUT_S)
        if child.is_alive():
            child.kill()
    if not ok:
        pytest.fail(f"{scenario.__name__} failed in its process:\n{value}")
    return cast(T, value)


def seconds(clip: Samples) -> float:
    return len(clip) / SAMPLE_RATE_HZ


def spectral_similarity(a: Samples, b: Samples) -> float:
    """Cosine similarity of two clips' average magnitude spectra: near 1 for one voice saying one text
    twice, clearly lower for another voice."""

    def spectrum(clip: Samples) -> npt.NDArray[np.float64]:
        frame = 512
        window = np.hanning(frame)
        frames = np.asarray([clip[i : i + frame] * window for i in range(0, len(clip) - frame, frame // 2)])
        mean: npt.NDArray[np.float64] = np.abs(np.fft.rfft(frames, axis=1)).mean(axis=0)
        return mean / np.linalg.norm(mean)

    return float(spectrum(a) @ spectrum(b))


# --- clips -----------------------------------------------------------------------------------------------


def test_a_clip_is_cueline_pcm_of_a_sensible_length(speech: Pyttsx3Speech) -> None:
    clip = speech.synthesize(SENTENCE, VOICE, RATE_WPM)

    assert clip.dtype == np.int16
    assert clip.ndim == 1
    assert 0.3 < seconds(clip) < 5.0
    assert np.abs(clip.astype(np.int32)).max() > 1000  # speech, not a quiet hiss
    assert np.sqrt(np.mean(clip.astype(np.float64) ** 2)) > 100


def test_nothing_reaches_stdout(speech: Pyttsx3Speech, capfd: pytest.CaptureFixture[str]) -> None:
    capfd.readouterr()

    for text in ("One.", "Two.", SENTENCE):
        speech.synthesize(text, VOICE, RATE_WPM)
    speech.voices()

    assert capfd.readouterr().out == ""  # pyttsx3 prints `Audio saved to …` for every file


# --- rate ------------------------------------------------------------------------------------------------


def test_a_faster_rate_gives_a_clearly_shorter_clip(speech: Pyttsx3Speech) -> None:
    slow = speech.synthesize(SENTENCE, VOICE, SLOW_WPM)
    fast = speech.synthesize(SENTENCE, VOICE, FAST_WPM)

    # 250/120 is about 2.1; the pauses around the words do not scale exactly with the rate.
    assert 1.6 < len(slow) / len(fast) < 3.0


def test_alternating_rates_give_consistently_ordered_lengths(speech: Pyttsx3Speech) -> None:
    """Each rate applies after a different one (pyttsx3 drops changes queued while it is busy, and its
    getProperty('rate') answers the default or the current rate at random)."""
    lengths: dict[int, list[int]] = {SLOW_WPM: [], RATE_WPM: [], FAST_WPM: []}
    for _ in range(4):
        for rate_wpm, seen in lengths.items():
            seen.append(len(speech.synthesize(SENTENCE, VOICE, rate_wpm)))

    assert max(lengths[FAST_WPM]) < min(lengths[RATE_WPM]), lengths
    assert max(lengths[RATE_WPM]) < min(lengths[SLOW_WPM]), lengths
    for seen in lengths.values():
        assert max(seen) < 1.1 * min(seen), lengths


def test_a_rate_change_is_accepted_on_the_first_attempt(speech: Pyttsx3Speech) -> None:
    refused: list[str] = []
    for _ in range(10):
        for rate_wpm in (SLOW_WPM, FAST_WPM):
            try:
                speech.synthesize("Rest.", VOICE, rate_wpm)
            except SpeechEngineError as exc:
                refused.append(str(exc))

    assert refused == []


# --- voice -----------------------------------------------------------------------------------------------


def test_the_voice_applies(speech: Pyttsx3Speech) -> None:
    text = "21, 22, 23."
    english = speech.synthesize(text, "en-us", RATE_WPM)
    german = speech.synthesize(text, "de", RATE_WPM)
    english_again = speech.synthesize(text, "en-us", RATE_WPM)  # switching back applies too

    assert spectral_similarity(english, english_again) > 0.99
    assert spectral_similarity(english, german) < 0.97


def test_an_unknown_voice_is_named_in_the_error(speech: Pyttsx3Speech) -> None:
    with pytest.raises(SpeechEngineError, match="xx-nonexistent") as caught:
        speech.synthesize(SENTENCE, "xx-nonexistent", RATE_WPM)

    assert caught.value.hint is not None and "cueline voices" in caught.value.hint


def test_voices_include_english_and_each_id_is_usable(speech: Pyttsx3Speech) -> None:
    voices = speech.voices()

    english = [v for v in voices if any(language.startswith("en") for language in v.languages)]
    assert english, [v.id for v in voices]
    assert any(v.id.split("/")[-1] == "en-us" for v in english)
    assert all(v.id and v.name for v in voices)
    # An id as `cueline voices` lists it works as a routine's `voice:`.
    assert seconds(speech.synthesize("Rest.", english[0].id, RATE_WPM)) > 0.1


def test_the_identity_names_both_engines_and_their_versions(speech: Pyttsx3Speech) -> None:
    assert re.fullmatch(r"pyttsx3-\d[\w.]*/espeak-ng-\d\S*", speech.identity), speech.identity


# --- building engines ------------------------------------------------------------------------------------


def _render(speech: Pyttsx3Speech, text: str) -> None:
    assert seconds(speech.synthesize(text, VOICE, RATE_WPM)) > 0.1


def _build_several_times() -> None:
    # espeak-ng initialises once per process, and pyttsx3.init hands out one engine per driver while it
    # lives: a second engine built beside the first, or after it was collected, must work all the same.
    first = Pyttsx3Speech()
    second = Pyttsx3Speech()
    _render(first, "One.")
    _render(second, "Two.")
    third = Pyttsx3Speech()  # after the engine has rendered
    _render(third, "Three.")
    _render(first, "Four.")
    identity = first.identity
    del first, second, third
    gc.collect()
    fourth = Pyttsx3Speech()  # after every earlier one is gone
    _render(fourth, "Five.")
    assert fourth.identity == identity  # a cache key must not change within a run


def test_engines_can_be_built_several_times_in_one_process() -> None:
    in_fresh_process(_build_several_times)


@dataclass(frozen=True)
class NoEngine:
    without_pyttsx3: str
    without_libespeak: str


def _error_building(patch: Callable[[pytest.MonkeyPatch], object]) -> str:
    with pytest.MonkeyPatch.context() as monkeypatch:
        patch(monkeypatch)
        try:
            Pyttsx3Speech().voices()  # the engine starts on first use
        except SpeechEngineError as exc:
            return str(exc)
    return "(no error)"


def _build_without_an_engine() -> NoEngine:
    # A build that fails leaves no engine behind, so the second one starts from nothing too.
    import pyttsx3

    def no_library(driver_name: str | None = None, debug: bool = False) -> object:
        raise OSError("libespeak-ng.so.1: cannot open shared object file: No such file or directory")

    return NoEngine(
        without_pyttsx3=_error_building(lambda mp: mp.setitem(sys.modules, "pyttsx3", cast(object, None))),
        without_libespeak=_error_building(lambda mp: mp.setattr(pyttsx3, "init", no_library)),
    )


@pytest.fixture(scope="module")
def no_engine() -> NoEngine:
    return in_fresh_process(_build_without_an_engine)


def test_a_missing_pyttsx3_gives_the_install_hint(no_engine: NoEngine) -> None:
    assert no_engine.without_pyttsx3.startswith("the speech engine (espeak-ng) is not available")
    assert "apt-get install espeak-ng" in no_engine.without_pyttsx3


def test_a_missing_espeak_library_gives_the_install_hint(no_engine: NoEngine) -> None:
    assert "libespeak-ng.so.1: cannot open shared object file" in no_engine.without_libespeak
    assert "apt-get install espeak-ng" in no_engine.without_libespeak


# --- a hung call -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hang:
    error: str
    waited_s: float
    stdout_kept: bool
    refusals: dict[str, str]
    slowest_refusal_s: float


def _hang(speech: Pyttsx3Speech) -> tuple[str, float]:
    """Render with espeak-ng stuck mid-clip (a pyttsx3 word callback that never returns): the error and
    how long it took. The stuck thread is abandoned; run it only in a process of its own."""
    import pyttsx3

    gate = threading.Event()  # never released: the process ends instead
    speech.voices()  # start the shared engine (it starts on first use)
    pyttsx3.init("espeak").connect("started-word", lambda **_: gate.wait())  # the shared engine
    started = time.monotonic()
    try:
        speech.synthesize("Neck.", VOICE, RATE_WPM)
    except SpeechEngineError as exc:
        return str(exc), time.monotonic() - started
    return "(no error)", time.monotonic() - started


def _hang_then_ask_again() -> Hang:
    speech = Pyttsx3Speech(timeout_s=HANG_TIMEOUT_S)
    stdout = sys.stdout
    error, waited_s = _hang(speech)
    stdout_kept = sys.stdout is stdout
    refusals: dict[str, str] = {}
    slowest_s = 0.0
    for asked, voice, rate_wpm in [
        ("same", VOICE, RATE_WPM),
        ("voice", "de", RATE_WPM),
        ("rate", VOICE, 150),
    ]:
        started = time.monotonic()
        try:
            speech.synthesize(SENTENCE, voice, rate_wpm)
            refusals[asked] = "(no error)"
        except SpeechEngineError as exc:
            refusals[asked] = str(exc).splitlines()[0]
        slowest_s = max(slowest_s, time.monotonic() - started)
    return Hang(error, waited_s, stdout_kept, refusals, slowest_s)


@pytest.fixture(scope="module")
def hang() -> Hang:
    return in_fresh_process(_hang_then_ask_again)


REFUSAL = "the speech engine stopped responding earlier (speaking 'Neck.' took over 0.2 s)"


def test_a_hung_call_is_bounded(hang: Hang) -> None:
    assert hang.error == "the speech engine hung while speaking 'Neck.' (no answer in 0.2 s)"
    assert HANG_TIMEOUT_S * 0.95 <= hang.waited_s < HANG_TIMEOUT_S + 2.0


def test_after_a_hung_call_the_engine_refuses_work_at_once(hang: Hang) -> None:
    assert hang.refusals["same"] == REFUSAL
    assert hang.slowest_refusal_s < HANG_TIMEOUT_S  # refused, not waited for again


def test_after_a_hung_call_any_render_is_refused_for_the_hang(hang: Hang) -> None:
    assert hang.refusals == {"same": REFUSAL, "voice": REFUSAL, "rate": REFUSAL}


def test_a_hung_call_leaves_stdout_alone(hang: Hang) -> None:
    assert hang.stdout_kept


def _hang_with_two_timeouts() -> float:
    patient = Pyttsx3Speech(timeout_s=PATIENT_TIMEOUT_S)
    Pyttsx3Speech(timeout_s=HANG_TIMEOUT_S)
    return _hang(patient)[1]


def test_each_engine_keeps_its_own_timeout() -> None:
    assert in_fresh_process(_hang_with_two_timeouts) >= PATIENT_TIMEOUT_S * 0.95


# --- a voice for the routine's language -----------------------------------------------------------------

VOICES = [
    VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",)),
    VoiceInfo("gmw/en-us", "English (America)", ("en-us",)),
    VoiceInfo("gmw/de", "German", ("de",)),
    VoiceInfo("roa/fr-be", "French (Belgium)", ("fr-be",)),
    VoiceInfo("roa/fr", "French (France)", ("fr-fr",)),
    VoiceInfo("roa/es-419", "Spanish (Latin America)", ("es-419",)),
]


@pytest.mark.parametrize(
    ("language", "voice"),
    [("en", "gmw/en"), ("en-us", "gmw/en-us"), ("EN-GB", "gmw/en"), ("de", "gmw/de"), ("de-at", "gmw/de"),
     ("fr", "roa/fr"), ("fr-ca", "roa/fr"), ("fr-be", "roa/fr-be"), ("es", "roa/es-419"), ("it", None)],
)  # fmt: skip
def test_the_voice_for_a_language_prefers_espeaks_own_then_an_exact_tag(
    language: str, voice: str | None
) -> None:
    assert voice_for_language(VOICES, language) == voice


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "de-at", "en-gb"])
def test_each_language_cueline_counts_in_has_a_working_voice(speech: Pyttsx3Speech, language: str) -> None:
    voice = voice_for_language(speech.voices(), language)
    assert voice is not None
    info = next(v for v in speech.voices() if v.id == voice)
    assert any(lang.split("-")[0] == language.split("-")[0] for lang in info.languages), info
    assert seconds(speech.synthesize("ok", voice, RATE_WPM)) > 0.05  # the engine accepts it as its voice


# --- start-up -------------------------------------------------------------------------------------------


def _identity_without_starting() -> tuple[str, bool]:
    import pyttsx3

    speech = Pyttsx3Speech()
    identity = speech.identity
    return identity, bool(list(pyttsx3._activeEngines.values()))  # type: ignore[attr-defined]


def test_the_engine_starts_only_when_something_must_be_spoken() -> None:
    """A warm cache needs only the engine's identity (for the cache key): espeak-ng is not started, which
    saves about 40 ms before `play` makes its first sound."""
    identity, started = in_fresh_process(_identity_without_starting)
    assert re.fullmatch(r"pyttsx3-[\d.]+/espeak-ng-[\d.]+.*", identity)
    assert not started
