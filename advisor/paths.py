"""Where the tool reads and keeps things: the default requirements file and the cache
directory (Context7 docs, compiled templates).

A module of its own, importing only the standard library and platformdirs, so that
commands which only need a path load neither pydantic nor the docs client.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_FILE = "clerk-requirements.yaml"  # the requirements file every command reads by default
CACHE_DIR_ENV = "CLERK_ADVISOR_CACHE_DIR"
APP_NAME = "clerk-advisor"


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The app's cache root: CLERK_ADVISOR_CACHE_DIR when set, else the platform's user
    cache directory (platformdirs: XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches
    on macOS, %LOCALAPPDATA%\\clerk-advisor\\Cache on Windows)."""
    env = os.environ if environ is None else environ
    override = env.get(CACHE_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)
