"""Parse and format human durations such as `4s`, `1.5s`, `2m`, `1m30s`."""

from __future__ import annotations

import math
import re

# A sign is accepted only so that `-1s` is reported as "must be more than zero", not as unreadable.
_DURATION = re.compile(
    r"^\s*(?P<sign>-)?\s*(?:(?P<h>[0-9]+(?:\.[0-9]+)?)\s*h)?"
    r"\s*(?:(?P<m>[0-9]+(?:\.[0-9]+)?)\s*m)?\s*(?:(?P<s>[0-9]+(?:\.[0-9]+)?)\s*s?)?\s*$"
)


def parse_duration_s(value: object, *, hours: bool = False) -> float:
    """Seconds from a number or a duration string; raises ValueError with a readable reason. Routine files
    time reps and holds in seconds and minutes; `hours=True` also allows `1h` (for `--fit`)."""
    forms = "1h, 10m, 90s or 1m30s" if hours else "4s, 1.5s, 2m or 1m30s"
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as {forms}, not true/false")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if (
            not value.strip()
            or match is None
            or (match["h"] is None and match["m"] is None and match["s"] is None)
            or (match["h"] is not None and not hours)
        ):
            raise ValueError(f"{value!r} is not a duration such as {forms}")
        seconds = float(match["h"] or 0) * 3600 + float(match["m"] or 0) * 60 + float(match["s"] or 0)
        seconds *= -1 if match["sign"] else 1
    else:
        raise ValueError(f"expected a duration such as {forms}, got {type(value).__name__}")
    if not math.isfinite(seconds):
        raise ValueError(f"{value!r} is not a finite number of seconds")
    if seconds <= 0:
        raise ValueError(f"a duration must be more than zero, got {value!r}")
    return seconds


def format_duration(seconds: float) -> str:
    """A short clock-style text: `45s`, `3:07`, `1:02:03`."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    if minutes:
        return f"{minutes}:{secs:02d}"
    return f"{secs}s"


def format_seconds(seconds: float) -> str:
    """A compact seconds value for tables: `3s`, `1.5s`."""
    return f"{seconds:g}s"
