"""Where cueline keeps things on the user's machine, each overridable by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The speech cache: `CUELINE_CACHE_DIR`, else the platform's user cache dir."""
    override = os.environ.get("CUELINE_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("cueline"))


def config_dir() -> Path:
    """Saved preferences: `CUELINE_CONFIG_DIR`, else the platform's user config dir."""
    override = os.environ.get("CUELINE_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("cueline"))


def routines_dir() -> Path:
    """The user's own routines: `CUELINE_ROUTINES_DIR`, else `routines/` in the platform's user data dir."""
    override = os.environ.get("CUELINE_ROUTINES_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("cueline")) / "routines"
