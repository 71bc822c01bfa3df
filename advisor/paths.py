"""Where the tool reads and keeps things: the default requirements file and the cache
directory (Context7 docs, compiled templates, parsed rule files).

A module of its own, with no imports beyond the standard library, so that commands which
only need a path load neither pydantic nor the docs client.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

DEFAULT_FILE = "clerk-requirements.yaml"  # the requirements file every command reads by default
CACHE_DIR_ENV = "CLERK_ADVISOR_CACHE_DIR"
APP_NAME = "clerk-advisor"


def default_cache_dir(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    home: Path | None = None,
) -> Path:
    """The app's cache root, following platformdirs' `user_cache_dir` conventions by hand.

    CLERK_ADVISOR_CACHE_DIR wins everywhere. Otherwise: XDG_CACHE_HOME (when absolute, as
    the XDG spec requires) or ~/.cache on Linux and other Unixes; ~/Library/Caches on macOS;
    %LOCALAPPDATA%\\clerk-advisor\\Cache on Windows.
    """
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    override = env.get(CACHE_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    home = Path.home() if home is None else home
    if platform == "darwin":
        return home / "Library" / "Caches" / APP_NAME
    if platform.startswith("win") or platform == "cygwin":
        local = env.get("LOCALAPPDATA", "").strip()
        base = Path(local) if local else home / "AppData" / "Local"
        return base / APP_NAME / "Cache"
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base / APP_NAME
