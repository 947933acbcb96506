"""Durations as people write them."""

from __future__ import annotations

import pytest

from cueline.durations import format_duration, parse_duration_s


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (4, 4.0),
        (1.5, 1.5),
        ("4s", 4.0),
        ("1.5s", 1.5),
        ("2m", 120.0),
        ("1m30s", 90.0),
        ("1m 30s", 90.0),
        ("45", 45.0),
    ],
)
def test_parse(text: object, seconds: float) -> None:
    assert parse_duration_s(text) == seconds


@pytest.mark.parametrize(
    "text", [0, -1, "0s", "-2s", "fast", "", "3 minutes", "1h", True, None, [3], float("nan")]
)
def test_parse_rejects(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration_s(text)


@pytest.mark.parametrize(("seconds", "text"), [(0.4, "0s"), (45.2, "45s"), (187, "3:07"), (3723, "1:02:03")])
def test_format(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("text", "seconds"), [("1h", 3600.0), ("1.5h", 5400.0), ("1h30m", 5400.0), ("10m", 600.0), ("90s", 90.0)]
)
def test_hours_only_where_asked_for(text: str, seconds: float) -> None:
    """`--fit 1h` reads hours; a routine file times reps and holds, so `tempo: 1h` stays a mistake."""
    assert parse_duration_s(text, hours=True) == seconds
    if "h" in text:
        with pytest.raises(ValueError, match=r"is not a duration such as 4s, 1\.5s, 2m or 1m30s"):
            parse_duration_s(text)
