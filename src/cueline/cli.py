"""The command line: each command parses options, calls one library function, and reports."""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from cueline import __version__, defaults
from cueline.errors import CuelineError
from cueline.export import ExportFormat
from cueline.routine import CountMode, CueSwitches, SpokenCue

if TYPE_CHECKING:
    from cueline.pacing import Pacing
    from cueline.routine import Routine
    from cueline.session import Prepared

F = TypeVar("F", bound=Callable[..., Any])


class _Cli(click.Group):
    """Maps the library's errors, in this one place, to a one-line `Error: …` and an exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CuelineError as exc:
            if _debug(ctx):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if _debug(ctx):
                raise
            click.echo(
                f"Error: internal error: {exc!r} (run with --debug for the traceback, and please report it)",
                err=True,
            )
            ctx.exit(70)


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug")) or os.environ.get("CUELINE_DEBUG") == "1"


def _duration_s(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """A duration such as `10m`, `90s`, `1h` or `1m30s`, in seconds."""
    if value is None:
        return None
    from cueline.durations import parse_duration_s

    try:
        return parse_duration_s(value, hours=True)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


_CUE_NAMES = [cue.value for cue in SpokenCue]

_PACING_OPTIONS = [
    click.option(
        "--pace",
        type=click.FloatRange(defaults.PACE_MIN, defaults.PACE_MAX),
        default=defaults.PACE,
        show_default=True,
        help="Speed of reps, holds and rests: 0.5 is half speed, 2 twice as fast. Speech is never stretched.",
    ),
    click.option(
        "--fit",
        "fit_s",
        callback=_duration_s,
        metavar="DURATION",
        default=None,
        help="Choose the pace that makes the whole routine last DURATION, such as 10m, 90s, 1h or 1m30s "
        "(instead of --pace).",
    ),
    click.option(
        "--speech-rate",
        "speech_rate_wpm",
        type=click.IntRange(defaults.SPEECH_RATE_MIN_WPM, defaults.SPEECH_RATE_MAX_WPM),
        default=defaults.SPEECH_RATE_WPM,
        show_default=True,
        help="Speaking rate in words per minute.",
    ),
    click.option(
        "--reps",
        type=click.IntRange(1, defaults.MAX_REPS),
        default=None,
        help="Use this many reps for every counted step.",
    ),
    click.option(
        "--count",
        type=click.Choice([m.value for m in CountMode]),
        default=None,
        help="How to count reps (overrides the routine and its steps): spoken numbers, a soft chime, both, "
        "or silent.",
    ),
    click.option(
        "--safety/--no-safety",
        default=True,
        show_default=True,
        help="Speak the safety line before the routine; leave it out once you have heard it.",
    ),
    click.option(
        "--cues/--no-cues",
        "all_cues",
        default=True,
        help="Turn all of cueline's own spoken cues on or off; --cue and --no-cue then change single ones.",
    ),
    click.option(
        "--cue",
        "cues_on",
        type=click.Choice(_CUE_NAMES),
        multiple=True,
        help="Turn one spoken cue on (repeatable): the count-in before rep one, halfway on long steps, "
        "last-rep, the side switch, a preview of the next step in rests, and a gentle finish.",
    ),
    click.option(
        "--no-cue",
        "cues_off",
        type=click.Choice(_CUE_NAMES),
        multiple=True,
        help="Turn one spoken cue off (repeatable).",
    ),
]

_PRECEDENCE = (
    "Pacing and cues: the command line wins over saved preferences (see `cueline prefs`), which win over "
    "the routine file, which wins over cueline's defaults."
)


def pacing_options(command: F) -> F:
    """Add the options every command that compiles a routine shares; the command receives them, layered
    over the saved preferences, as one `pacing` value and a `no_safety` flag. A preferences file that
    cannot be read is reported on stderr and ignored."""

    @functools.wraps(command)
    def with_pacing(
        *args: Any,
        pace: float,
        fit_s: float | None,
        speech_rate_wpm: int,
        reps: int | None,
        count: str | None,
        safety: bool,
        all_cues: bool,
        cues_on: tuple[str, ...],
        cues_off: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        from cueline.pacing import Choices
        from cueline.prefs import RESET_HINT, resolve

        ctx = click.get_current_context()

        def given(name: str) -> bool:
            return ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)

        if fit_s is not None and given("pace"):
            raise click.UsageError("--fit chooses the pace itself: give --fit or --pace, not both")
        both = sorted(set(cues_on) & set(cues_off))
        if both:
            raise click.UsageError(f"--cue and --no-cue both name {', '.join(both)}")
        switches = {cue: all_cues for cue in SpokenCue} if given("all_cues") else {}
        switches |= {SpokenCue(name): True for name in cues_on}
        switches |= {SpokenCue(name): False for name in cues_off}
        command_line = Choices(
            pace=pace if given("pace") else None,
            fit_s=fit_s,
            speech_rate_wpm=speech_rate_wpm if given("speech_rate_wpm") else None,
            reps=reps,
            count=CountMode(count) if count else None,
            safety=safety if given("safety") else None,
            cues=CueSwitches.of(switches),
        )
        resolved = resolve(command_line)
        if resolved.problem is not None:
            warning = f"Warning: ignoring saved preferences: {resolved.problem}\n  hint: {RESET_HINT}"
            click.echo(warning, err=True)
        return command(*args, pacing=resolved.pacing, no_safety=not resolved.safety, **kwargs)

    with_pacing.__doc__ = f"{inspect.cleandoc(command.__doc__ or '')}\n\n{_PRECEDENCE}"
    decorated: Any = with_pacing
    for option in reversed(_PACING_OPTIONS):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def _load(routine_ref: str, no_safety: bool) -> Routine:
    from cueline.catalog import load_routine
    from cueline.safety import without_safety

    routine = load_routine(routine_ref)
    return without_safety(routine) if no_safety else routine


def _prepare(
    routine_ref: str, pacing: Pacing, no_safety: bool, target_lufs: float | None = defaults.LOUDNESS_LUFS
) -> Prepared:
    from cueline.session import prepare

    return prepare(_load(routine_ref, no_safety), pacing, target_lufs=target_lufs)


def _loudness(ctx: click.Context, param: click.Parameter, value: str) -> float | None:
    """`--loudness`: a target in LUFS, or `off`."""
    if value.strip().lower() == "off":
        return None
    try:
        lufs = float(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither a loudness in LUFS (such as -16) nor `off`") from None
    if not defaults.LOUDNESS_MIN_LUFS <= lufs <= defaults.LOUDNESS_MAX_LUFS:
        raise click.BadParameter(
            f"{lufs:g} LUFS is out of range: use {defaults.LOUDNESS_MIN_LUFS:g} (quieter) to "
            f"{defaults.LOUDNESS_MAX_LUFS:g} (louder), or `off`"
        )
    return lufs


@contextlib.contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal; silent otherwise (logs, pipes, CI)."""
    stream = sys.stderr
    bar: Any = click.progressbar(
        length=total, label=label, file=stream, show_eta=True, hidden=not stream.isatty()
    )
    with bar:
        yield bar.update


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cueline")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Talks you through a massage routine, hands free.

    Each step is spoken, each stroke counted at a steady tempo, with soft chimes between steps.

    \b
    Examples:
      cueline play face-basics                 talk me through it now
      cueline show face-basics                 steps, reps and total time
      cueline export face-basics -o face.wav   an audio file for your phone
      cueline export face-basics -o face.mp3   ... with a chapter per step
      cueline export face-basics -o slow.wav --pace 0.8 --count chime
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("routine")
@pacing_options
@click.pass_context
def play(ctx: click.Context, routine: str, pacing: Pacing, no_safety: bool) -> None:
    """Play ROUTINE out loud and count each stroke with you, hands free.

    \b
    Keys (no Enter needed):
      space   pause / resume (resumes where it stopped)
      n       next step
      b       back to the start of this step; twice quickly: the step before
      r       repeat the instruction, then carry on counting
      + / -   pace 10% faster / slower from the next rep on
      q       quit (Ctrl-C too)

    ROUTINE is a bundled routine's name (such as face-basics) or the path of a routine file. With no
    sound device, use `cueline export` and play the file instead.
    """
    from cueline.live import run_live

    def prepare(loaded: Routine) -> Prepared:  # imports numpy and the speech engine: after the bell starts
        from cueline.session import prepare as prepare_routine

        return prepare_routine(loaded, pacing)

    summary = run_live(functools.partial(_load, routine, no_safety), prepare)
    from cueline import report

    click.echo(report.summary_line(summary))
    if summary.interrupted:
        ctx.exit(130)


@cli.command()
@click.argument("routine", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write; the extension picks the format (.wav, .flac, .ogg, .mp3).",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice([fmt.value for fmt in ExportFormat], case_sensitive=False),
    default=None,
    help=f"Format, whatever the extension (for --playlist and --all: {defaults.FOLDER_FORMAT}).",
)
@click.option(
    "--bitrate",
    "bitrate",
    type=click.Choice([str(kbps) for kbps in defaults.BITRATES_KBPS]),
    default=str(defaults.BITRATE_KBPS),
    show_default=True,
    help="Kilobits per second for .mp3; for .ogg the nearest Vorbis quality, but never below about 80 "
    "(coarser Vorbis overshoots the peak limit). .wav and .flac are lossless.",
)
@click.option(
    "--loudness",
    "target_lufs",
    metavar="LUFS|off",
    default=f"{defaults.LOUDNESS_LUFS:g}",
    callback=_loudness,
    show_default=True,
    help="Integrated loudness of the speech in LUFS (chimes sit a little under it, peaks stay under "
    "-1 dBTP), or `off` for speech as the engine spoke it.",
)
@click.option(
    "--captions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write timed captions of every spoken line and count (.vtt or .srt).",
)
@click.option(
    "--playlist",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Instead of one file: one file per step (and intro, outro) in this folder, with an .m3u playlist.",
)
@click.option(
    "--all",
    "all_into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Export every bundled routine into this folder, with the same options (no ROUTINE).",
)
@pacing_options
def export(
    routine: str | None,
    output: Path | None,
    format_name: str | None,
    bitrate: str,
    target_lufs: float | None,
    captions: Path | None,
    playlist: Path | None,
    all_into: Path | None,
    pacing: Pacing,
    no_safety: bool,
) -> None:
    """Export ROUTINE to an audio file: WAV, FLAC, Ogg Vorbis or MP3.

    MP3, FLAC and Ogg files carry a chapter per step, titled with its name. Speech is normalised to
    an even loudness (-16 LUFS by default), the same as you hear when it plays live. The file
    appears only when complete: an interrupted export leaves nothing behind and never damages an
    existing file of the same name. ROUTINE is a bundled routine's name (such as face-basics) or
    the path of a routine file.

    \b
    Examples:
      cueline export face-basics -o face.mp3 --captions face.vtt
      cueline export gua-sha --playlist gua-sha/ --format mp3
      cueline export --all exports/ --pace 0.8
    """
    from cueline.durations import format_duration
    from cueline.export import ExportOptions, format_for
    from cueline.export.tags import describe_loudness

    targets = [
        name for name, given in (("-o", output), ("--playlist", playlist), ("--all", all_into)) if given
    ]
    if len(targets) != 1:
        raise click.UsageError("give exactly one of -o FILE, --playlist DIR or --all DIR")
    if all_into is not None and routine is not None:
        raise click.UsageError("--all exports every bundled routine: leave out ROUTINE")
    if all_into is None and routine is None:
        raise click.UsageError("name the ROUTINE to export (or use --all DIR for every bundled one)")
    if captions is not None and output is None:
        raise click.UsageError("--captions goes with -o FILE (one file, one set of captions)")
    requested = ExportFormat(format_name.lower()) if format_name else None
    if output is not None:
        fmt = format_for(output, requested)
    else:
        fmt = requested or ExportFormat(defaults.FOLDER_FORMAT)
    options = ExportOptions(fmt, int(bitrate))
    how = f"{pacing.describe()}, {describe_loudness(target_lufs)}"

    if all_into is not None:
        from cueline.export.files import export_bundled

        count = 0
        for done in export_bundled(
            all_into, pacing, options, target_lufs=target_lufs, no_safety=no_safety, progress=_progress
        ):
            count += 1
            click.echo(f"Wrote {done.path} ({format_duration(done.timeline.duration_s)})")
        click.echo(f"Exported {count} routines ({how})")
        return

    if captions is not None:
        from cueline.export.captions import check_captions_target

        check_captions_target(captions)
    assert routine is not None
    prepared = _prepare(routine, pacing, no_safety, target_lufs)
    duration = format_duration(prepared.timeline.duration_s)
    if playlist is not None:
        from cueline.export.files import export_playlist

        with _progress("Exporting", prepared.timeline.total_samples) as advance:
            written = export_playlist(prepared, playlist, options, advance)
        click.echo(f"Wrote {len(written.tracks)} files and {written.m3u} ({duration}, {how})")
        return

    from cueline.export.files import export_routine

    assert output is not None
    with _progress("Exporting", prepared.timeline.total_samples) as advance:
        export_routine(prepared, output, options, advance)
    click.echo(f"Wrote {output} ({duration}, {how})")
    if captions is not None:
        from cueline.export.captions import write_captions

        click.echo(f"Wrote {captions} ({write_captions(prepared.timeline, captions)} captions)")


@cli.command()
@click.argument("routine")
@click.option(
    "--timeline", "show_timeline", is_flag=True, help="List every cue (speech and chimes) with its time."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the timeline's cues as JSON (implies --timeline)."
)
@pacing_options
def show(routine: str, show_timeline: bool, as_json: bool, pacing: Pacing, no_safety: bool) -> None:
    """Show ROUTINE's steps, reps, tempo and durations at the chosen pacing.

    ROUTINE is a bundled routine's name (such as face-basics) or the path of a routine file.
    """
    from cueline import report

    prepared = _prepare(routine, pacing, no_safety, target_lufs=None)  # lengths only: no loudness work
    if as_json:
        click.echo(report.timeline_json(prepared.timeline))
    elif show_timeline:
        click.echo(report.timeline_table(prepared.timeline))
    else:
        click.echo(report.steps_table(prepared))


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--bundled", is_flag=True, help="Also check every bundled routine (and list their names).")
def lint(files: tuple[Path, ...], bundled: bool) -> None:
    """Check routine FILES for mistakes, reporting each as FILE:LINE:COL: field: message."""
    from cueline.catalog import bundled_entries
    from cueline.routine_file import load_routine_path

    if not files and not bundled:
        raise click.UsageError("give at least one routine file, or --bundled")
    failures = 0
    checks: list[tuple[str, Callable[[], Any]]] = [
        (str(f), functools.partial(load_routine_path, f)) for f in files
    ]
    if bundled:
        checks += [(entry.name, entry.load) for entry in bundled_entries()]
    for label, check in checks:
        try:
            loaded = check()
        except CuelineError as exc:
            failures += 1
            click.echo(str(exc), err=True)
        else:
            click.echo(f"{label}: ok ({len(loaded.steps)} steps)")
    if failures:
        raise click.exceptions.Exit(1)


@cli.command(name="list")
def list_routines() -> None:
    """List the routines you can use by name: bundled ones and your own.

    Your own routines live in the folder `cueline new` writes to (set CUELINE_ROUTINES_DIR to use
    another); one with a bundled routine's name is used instead of the bundled one. Times are at
    pace 1, including speech.
    """
    from cueline import report
    from cueline.catalog import entries
    from cueline.session import survey

    click.echo(report.list_table(survey(entries())))


@cli.command()
@click.argument("name")
def new(name: str) -> None:
    """Write a commented starter routine called NAME to your routines folder.

    \b
    Then:
      1. edit the file it names (every field is explained in its comments),
      2. check it:       cueline lint PATH
      3. time it:        cueline show NAME
      4. hear it:        cueline play NAME
    """
    from cueline.starter import create_routine

    path = create_routine(name)
    click.echo(f"Created {path}")
    click.echo(f"Next: edit it, then `cueline lint {path}` and `cueline play {name}`.")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the routine format, for editors and other tools.

    Save it (`cueline schema > routine.schema.json`) and point yaml-language-server at it with a
    first line such as `# yaml-language-server: $schema=routine.schema.json` for checks and completion
    while you type.
    """
    from cueline.schema import schema_text

    click.echo(schema_text())


@cli.group()
def prefs() -> None:
    """Saved preferences: pacing and cues for every run, unless the command line says otherwise.

    \b
    Examples:
      cueline prefs set pace 0.8          everything a little slower
      cueline prefs set count chime       count with a soft chime, not numbers
      cueline prefs set halfway off       no halfway cue
      cueline prefs show                  what is saved, and what applies instead
      cueline prefs reset                 forget them all (or name keys to forget)

    The command line wins over saved preferences, which win over the routine file, which wins over
    cueline's defaults. The file is plain TOML in your config folder (`cueline prefs path`;
    CUELINE_CONFIG_DIR moves it).
    """


@prefs.command(name="set")
@click.argument("key")
@click.argument("value")
def prefs_set(key: str, value: str) -> None:
    """Save KEY as VALUE.

    \b
    Keys:
      pace          0.25 to 4 (1 is the routine's own tempo)
      speech-rate   80 to 400 words per minute
      reps          1 to 500, for every counted step
      count         voice, chime, both or silent
      safety        on or off: the safety line before the routine
      count-in, halfway, last-rep, side-switch, next-step, finish
                    on or off: cueline's own spoken cues
    """
    from cueline.prefs import prefs_path, set_pref

    saved = set_pref(key, value)
    shown = ("on" if saved else "off") if isinstance(saved, bool) else saved
    click.echo(f"Saved {key} = {shown} in {prefs_path()}")


@prefs.command(name="show")
def prefs_show() -> None:
    """Show the saved preferences, and what applies where none is saved."""
    from cueline import report
    from cueline.prefs import RESET_HINT, load_prefs

    saved = load_prefs()
    if saved.problem is not None:
        click.echo(f"Warning: ignoring saved preferences: {saved.problem}\n  hint: {RESET_HINT}", err=True)
    click.echo(report.prefs_table(saved))


@prefs.command(name="reset")
@click.argument("keys", nargs=-1)
def prefs_reset(keys: tuple[str, ...]) -> None:
    """Forget the saved preferences: the KEYS given, or all of them."""
    from cueline.prefs import prefs_path, reset_prefs

    changed = reset_prefs(keys)
    what = ", ".join(keys) if keys else "all preferences"
    click.echo(f"Forgot {what} ({prefs_path()})" if changed else "Nothing to forget: none of that is saved.")


@prefs.command(name="path")
def prefs_path_command() -> None:
    """Print where the preferences file is (whether or not it exists yet)."""
    from cueline.prefs import prefs_path

    click.echo(str(prefs_path()))


@cli.command()
@click.option("--language", default=None, help="Only voices for this language code, such as en or de.")
def voices(language: str | None) -> None:
    """List the speech voices the engine offers (use one as `voice:` in a routine)."""
    from cueline.session import default_engine
    from cueline.speech import voices_for

    for voice in voices_for(default_engine().voices(), language):
        click.echo(f"{voice.id:<24} {voice.name:<32} {', '.join(voice.languages)}")


def main() -> None:
    """Console entry point. SIGTERM and SIGHUP become a normal exit, so a killed export still removes its
    temporary file (Ctrl-C already does, as KeyboardInterrupt)."""
    from cueline.signals import signals_exit

    with signals_exit():
        cli(prog_name="cueline")


if __name__ == "__main__":
    main()
