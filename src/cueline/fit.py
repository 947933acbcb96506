"""`--fit`: the pace that makes a whole routine last a given time. Speech keeps its length, so only reps,
holds and rests (and what stretches with them) can give; the pace is searched, not guessed."""

from __future__ import annotations

from dataclasses import replace

from cueline import defaults
from cueline.durations import format_duration
from cueline.errors import PacingError
from cueline.pacing import Pacing
from cueline.pcm import samples_to_seconds, seconds_to_samples
from cueline.routine import Routine
from cueline.timeline import ClipLengths, compile_timeline, measure

_PRECISION = 1e-6  # bisect until the pace is known this closely, then round it as far as the target allows
_READABLE_DIGITS = (2, 3, 4)  # a pace of 0.87 reads better than 0.8713; used when it lands as close


def fit_pace(routine: Routine, pacing: Pacing, target_s: float, lengths: ClipLengths) -> float:
    """The pace at which `routine` lasts `target_s` within defaults.FIT_TOLERANCE_S, or a PacingError that
    names the shortest and longest the routine can last. The total only shrinks as the pace grows (every
    paced part divides by it, and speech stays), so a bisection over the allowed range finds it."""
    tolerance = seconds_to_samples(defaults.FIT_TOLERANCE_S)
    target = seconds_to_samples(target_s)

    def total(pace: float) -> int:
        return measure(routine, replace(pacing, pace=pace, fit_s=None), lengths).total_samples

    slowest = defaults.PACE_MIN
    fastest = _fastest_fitting_pace(routine, pacing, lengths)
    longest, shortest = total(slowest), total(fastest)
    if not shortest - tolerance <= target <= longest + tolerance:
        longest_s = min(samples_to_seconds(longest), defaults.MAX_ROUTINE_S)
        limit = (
            f"paces {slowest:g} to {fastest:g}"
            if fastest == defaults.PACE_MAX
            else f"paces {slowest:g} to {fastest:g} (faster, its spoken counts would not fit)"
        )
        raise PacingError(
            f"cannot fit this routine to {format_duration(target_s)}: at {limit} it lasts from "
            f"{format_duration(samples_to_seconds(shortest))} to {format_duration(longest_s)}",
            hint="choose a --fit in that range, or change the number of reps with --reps",
        )
    if target <= shortest:
        return fastest
    if target >= longest:
        return slowest
    fast, slow = fastest, slowest  # total(fast) < target < total(slow): about 22 halvings
    while fast - slow > _PRECISION:
        pace = (fast + slow) / 2
        if total(pace) > target:
            slow = pace
        else:
            fast = pace
    pace = (fast + slow) / 2
    for digits in _READABLE_DIGITS:
        rounded = round(pace, digits)
        if slowest <= rounded <= fastest and abs(total(rounded) - target) <= tolerance:
            return rounded
    return pace


def _fastest_fitting_pace(routine: Routine, pacing: Pacing, lengths: ClipLengths) -> float:
    """The fastest allowed pace at which every spoken count fits its rep. When none does, compiling at the
    slowest pace raises the usual error, which names the step and suggests counting with chimes."""
    at_most = measure(routine, replace(pacing, pace=defaults.PACE_MAX, fit_s=None), lengths).fastest_pace
    if at_most is None:
        return defaults.PACE_MAX
    if at_most < defaults.PACE_MIN:
        compile_timeline(routine, replace(pacing, pace=defaults.PACE_MIN, fit_s=None), lengths)
    return max(at_most, defaults.PACE_MIN)
