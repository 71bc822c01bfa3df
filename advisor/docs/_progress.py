"""A one-line progress display on stderr, redrawn in place; silent unless it is a TTY."""

from __future__ import annotations

import sys
from typing import TextIO

from advisor.terminal import CR


class Progress:
    def __init__(self, total: int, *, quiet: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        self.enabled = not quiet and total > 0 and _isatty(self.stream)
        self._width = 0

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        line = f"fetching Clerk docs {done}/{self.total} ..."
        self._width = max(self._width, len(line))
        self.stream.write(CR + line.ljust(self._width))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self.stream.write(CR + " " * self._width + CR)
            self.stream.flush()
            self._width = 0


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
