"""Plain-text and JSON views of routines and timelines, for `show` and friends."""

from __future__ import annotations

import json

from cueline import defaults
from cueline.durations import format_duration, format_seconds
from cueline.pcm import samples_to_seconds
from cueline.player import Summary
from cueline.prefs import KEYS, Saved
from cueline.session import Listed, Prepared
from cueline.timeline import Cue, Timeline


def steps_table(prepared: Prepared) -> str:
    """The steps with reps, tempo, sides and duration, and the total, as a small aligned table. A pace
    column appears when a step has its own pace: the run's pace times the step's."""
    routine, timeline = prepared.routine, prepared.timeline
    run_pace = timeline.pacing.pace
    own_pace = any(step.pace != defaults.STEP_PACE for step in routine.steps)
    rows = [("#", "step", "reps", "tempo", *(("pace",) if own_pace else ()), "sides", "duration")]
    for step, span in zip(routine.steps, timeline.steps, strict=True):
        pace = run_pace * step.pace
        if step.reps is not None:
            reps = str(timeline.pacing.reps or step.reps)
            tempo = format_seconds(round((step.tempo_s or routine.tempo_s) / pace, 2))
        elif step.hold_s is not None:
            reps, tempo = "hold", format_seconds(round(step.hold_s / pace, 2))
        else:
            reps, tempo = "-", "-"
        duration = format_duration(samples_to_seconds(span.end_sample - span.start_sample))
        paces = (f"{round(pace, 3):g}",) if own_pace else ()
        sides = "/".join(step.sides) or "-"
        rows.append((str(span.index + 1), step.name, reps, tempo, *paces, sides, duration))
    widths = [max(len(row[col]) for row in rows) for col in range(len(rows[0]))]
    right = {0, 2, len(rows[0]) - 1}
    lines = [
        "  ".join(
            cell.rjust(widths[c]) if c in right else cell.ljust(widths[c]) for c, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    header = [routine.title]
    if routine.description:
        header.append(routine.description)
    details = [
        ("technique", routine.technique),
        ("tools", ", ".join(routine.tools)),
        ("oil", routine.oil),
        ("tags", ", ".join(routine.tags)),
    ]
    header += [f"{label}: {value}" for label, value in details if value]
    footer = f"total {format_duration(timeline.duration_s)} ({timeline.pacing.describe()})"
    return "\n".join([*header, "", *lines, "", footer])


def list_table(rows: list[Listed]) -> str:
    """The routines known by name as an aligned table."""
    table = [("name", "title", "time", "steps", "tools", "technique", "from")]
    for row in rows:
        origin = row.entry.origin.value + (" (overrides bundled)" if row.entry.shadows_bundled else "")
        if row.routine is None or row.duration_s is None:
            table.append((row.entry.name, f"error: {row.error}", "", "", "", "", origin))
            continue
        r = row.routine
        steps = str(len(r.steps))
        table.append((row.entry.name, r.title, format_duration(row.duration_s), steps, ", ".join(r.tools),
                      r.technique or "", origin))  # fmt: skip
    widths = [max(len(line[col]) for line in table) for col in range(len(table[0]))]
    return "\n".join(
        "  ".join(
            cell.rjust(widths[c]) if c in (2, 3) else cell.ljust(widths[c]) for c, cell in enumerate(line)
        ).rstrip()
        for line in table
    )


def timeline_json(timeline: Timeline) -> str:
    """The timeline's cues as JSON (start_s, kind, text, step, side, rep, …)."""
    return json.dumps(
        {
            "title": timeline.title,
            "duration_s": round(timeline.duration_s, 4),
            "pacing": timeline.pacing.describe(),
            "cues": timeline.as_records(),
        },
        indent=2,
        ensure_ascii=False,
    )


def timeline_table(timeline: Timeline) -> str:
    """The timeline's cues as readable lines: time, kind, what sounds, and where in the routine; then any
    cue left out because its rep had no room for it."""
    lines = []
    for cue in timeline.cues:
        what = cue.text if cue.text is not None else f"({cue.chime} chime)"
        lines.append(f"{samples_to_seconds(cue.start_sample):9.3f}s  {what}{_where(cue)}")
    for cue in timeline.dropped:
        lines.append(f"{'':10}  (left out, no room in its rep: {cue.text}){_where(cue)}")
    return "\n".join(lines)


def _where(cue: Cue) -> str:
    where = []
    if cue.step is not None:
        where.append(f"step {cue.step + 1}")
    if cue.side is not None:
        where.append(cue.side)
    if cue.rep is not None:
        where.append(f"rep {cue.rep}")
    return f"  [{', '.join(where)}]" if where else ""


def prefs_table(saved: Saved) -> str:
    """Each preference: its saved value, or what applies without one (a default, or the routine's own)."""
    below = {
        "pace": (f"{defaults.PACE:g}", "default"),
        "speech-rate": (str(defaults.SPEECH_RATE_WPM), "default"),
        "reps": ("-", "the routine"),
        "count": ("-", "the routine"),
        "safety": ("on", "default"),
    }
    rows = [("key", "value", "from")]
    for key in KEYS:
        value = saved.values.get(key)
        if value is None:
            rows.append((key, *below.get(key, ("-", "the routine, else on"))))
        elif isinstance(value, bool):
            rows.append((key, "on" if value else "off", "saved"))
        else:
            rows.append((key, f"{value:g}" if isinstance(value, float) else str(value), "saved"))
    widths = [max(len(row[col]) for row in rows) for col in range(2)]
    lines = [
        f"{key.ljust(widths[0])}  {value.ljust(widths[1])}  {origin}".rstrip() for key, value, origin in rows
    ]
    return "\n".join([f"Preferences file: {saved.path}", "", *lines])


def summary_line(summary: Summary) -> str:
    """The line printed when a live session ends: how far it got, how long, at what pace."""
    if summary.finished:
        how = "Finished"
    elif summary.interrupted:
        how = "Interrupted"
    else:
        how = "Stopped"
    return (
        f"{how} {summary.title}: {summary.steps_done} of {summary.step_count} steps done, "
        f"{format_duration(summary.listened_s)} at pace {summary.pace:g}."
    )
