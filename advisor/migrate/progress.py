"""The progress line on stderr: done/total, rate and ETA. Redrawn in place on a terminal;
elsewhere (a log, CI) a plain line every 30 seconds and one at the end of a run that
printed any; nothing with --quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from advisor.terminal import CR


class Progress:
    def __init__(self, total: int, label: str, *, quiet: bool, stream: TextIO | None = None) -> None:
        self.total, self.label = total, label
        self.stream = sys.stderr if stream is None else stream
        self.tty = _isatty(self.stream)
        self.enabled = not quiet and total > 0
        self.done = 0
        self._started = time.monotonic()
        self._base = 0  # users already done before this run: not part of its rate
        self._drawn = 0.0 if self.tty else self._started  # in a log, the first line after 30 s
        self._width = 0
        self._lines = 0

    def skip(self, n: int) -> None:
        """Users a previous run finished: they count as done but not toward the rate."""
        self.done += n
        self._base += n
        self._draw()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = (self.done - self._base) / elapsed
        left = self.total - self.done
        eta = _clock(left / rate) if rate > 0 else "--:--"
        filled = int(24 * self.done / self.total) if self.total else 24
        return (f"{self.label} [{'#' * filled}{'.' * (24 - filled)}] {self.done:,}/{self.total:,} "
                f"{100 * self.done / self.total:3.0f}%  {rate:,.1f}/s  ETA {eta}")

    def _draw(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn < (0.1 if self.tty else 30.0) and (self.done < self.total or not self._lines):
            return
        self._drawn = now
        self._lines += 1
        text = self.line()
        if self.tty:
            self._width = max(self._width, len(text))
            self.stream.write(CR + text.ljust(self._width))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty and self._width:
            self.stream.write(CR + " " * self._width + CR)
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
