"""Every default and limit in one place, so `--help`, the loader and the docs agree."""

from __future__ import annotations

# Routine file defaults (format version 1).
LANGUAGE = "en"
TEMPO_S = 3.0
REST_S = 1.0

# Pacing.
PACE = 1.0
PACE_MIN = 0.25
PACE_MAX = 4.0
SPEECH_RATE_WPM = 165
SPEECH_RATE_MIN_WPM = 80
SPEECH_RATE_MAX_WPM = 400
STEP_PACE = 1.0  # a step's own pace multiplies the run's pace
FIT_TOLERANCE_S = 0.5  # `--fit` aims this close (it promises within a second)

# Limits that keep a routine file from being a denial of service.
MAX_FILE_BYTES = 256 * 1024
MAX_STEPS = 200
MAX_REPS = 500
MAX_TEXT_CHARS = 1000
MAX_ROUTINE_S = 4 * 3600.0

# Gaps in the timeline (seconds at any pace: they are breathing room around speech, not exercise time).
GAP_AFTER_BELL_S = 0.4
GAP_BETWEEN_LINES_S = 0.35
GAP_BEFORE_FIRST_REP_S = 0.8
GAP_AFTER_COUNT_CHIME_S = 0.02
COUNT_MARGIN_S = 0.1  # a spoken count must end this long before the next rep starts
TAIL_S = 0.5

# Spoken cues (all on unless a routine, saved preferences or the command line turn one off).
CUES_ON = True
COUNT_IN_MAX_HALF_S = 1.0  # "Ready" and "and" are half a beat apart, but at most this (slow strokes)
HALFWAY_MIN_REPS = 8  # a counted section of at least this many reps gets a halfway cue
GAP_BEFORE_REP_CUE_S = 0.1  # between a rep's count and a halfway or last-rep cue in the same rep
FINISH_PAUSE_S = 1.5  # the gentle finish: a longer quiet before the last chime

# Speech engine.
SPEECH_TIMEOUT_S = 20.0
SILENCE_THRESHOLD = 64  # |sample| at or below this counts as silence when trimming speech clips

# Saved preferences.
PREFS_FILE = "preferences.toml"
MAX_PREFS_BYTES = 64 * 1024

# Export.
BLOCK_SAMPLES = 22050  # one second per rendered block: memory stays flat with routine length

# Live player.
PLAYER_POLL_S = 0.05  # how often the player looks at the keys and the clock
PLAYER_FILL_AHEAD_S = 4.0  # audio rendered ahead of what is heard
PLAYER_CUT_MARGIN_S = 0.3  # a change takes effect this far ahead of what is heard, beyond the device's buffer
PLAYER_STOP_GUARD_S = 0.15  # after the last sound, wait this long before stopping the device
PLAYER_CUT_SEARCH_S = 0.02  # look this far for a zero crossing to cut at, so a cut does not click
PLAYER_BACK_TWICE_S = 1.5  # `b` pressed twice within this goes to the previous step
PLAYER_PACE_STEP = 1.1  # `+` multiplies the pace by this, `-` divides by it
PLAYER_MAX_STREAM_S = 4 * 3600.0  # one device stream's length; a longer session opens another

# Export formats.
FOLDER_FORMAT = "mp3"  # the format of `--playlist` and `--all` exports, which have no file name to go by
BITRATE_KBPS = 64  # MP3 (exact, constant) and Ogg Vorbis (approximate): clear speech, mono, 22.05 kHz
# MPEG-2 layer III rates for speech; at 32 and 40 kbps LAME's overshoot passed -1 dBTP (measured).
BITRATES_KBPS = (48, 56, 64, 80, 96, 112, 128, 144, 160)

# Loudness (ITU-R BS.1770 / EBU R128): every clip is normalised as it enters the speech cache or is made.
LOUDNESS_LUFS = -16.0  # integrated, what podcast platforms expect; the chimes in sounds/ are made for it
LOUDNESS_MIN_LUFS = -30.0
LOUDNESS_MAX_LUFS = -16.0  # louder, espeak-ng's spiky speech cannot get there under the peak ceiling
# (measured: -14 and -15 both came out near -15.8 LUFS)
TRUE_PEAK_DBTP = -2.0  # the limiter's ceiling: 1 dB under the -1 dBTP promise, for MP3/Vorbis overshoot
# (measured on the bundled routines: MP3 from 48 kbps and Vorbis at the qualities offered stay under -1.1)
