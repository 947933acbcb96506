"""The one error tree: everything cueline raises on purpose derives from CuelineError."""

from __future__ import annotations


class CuelineError(Exception):
    """Base class; the CLI prints its message as one `Error: …` line and exits non-zero."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n  hint: {self.hint}"


class RoutineError(CuelineError):
    """A routine file (or a request about one) is wrong: names the file, line, column and field."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        source: str,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = source if line is None else f"{source}:{line}:{column or 1}"
        text = f"{where}: {field}: {message}" if field else f"{where}: {message}"
        super().__init__(text, hint)
        self.source = source
        self.line = line
        self.column = column
        self.field = field
        self.reason = message


class PacingError(CuelineError):
    """The requested pacing cannot be honoured (pace out of range, counts that do not fit)."""

    exit_code = 2


class PreferencesError(CuelineError):
    """A saved preference cannot be set or read back (unknown key, bad value, a file that will not parse)."""

    exit_code = 2


class SpeechEngineError(CuelineError):
    """The text-to-speech engine is missing, hung, or produced something unusable."""


class AudioDeviceError(CuelineError):
    """No usable audio output for live playback."""


class ExportError(CuelineError):
    """An export could not be written."""
