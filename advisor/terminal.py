"""Text for a terminal: colour when it is one, and nothing that a terminal would obey.

Rule texts, snapshot values, docs, server messages and audited source can carry escape
sequences (ESC, OSC, the C1 CSI byte 0x9b, BEL) or bidi overrides (Trojan Source).

Two layers. `printable` (one line) and `clean` (lines kept) show such a character as a
visible escape, for renderers that want to say so. And `guarded()`, which the CLI puts
around every command, replaces stdout and stderr with streams that escape every control
character that was not marked with `trusted()` by this program itself: whatever a
renderer forgets, nothing from a file or a server reaches the terminal raw. Characters
from DEL up are escaped as \\uXXXX, which reads the same inside a JSON string, so the
guard never breaks `--format json` output (JSON escapes C0 characters itself).

The guard also turns a failing stdout (closed, a full disk, /dev/full) into one error
message (exit 2) instead of a traceback; a reader that went away (`| head`) is
BrokenPipeError, left to the CLI.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from advisor.errors import UserError

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, bidi overrides.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What the guard escapes: the same, less newline and tab (harmless, and every report's layout).
_GUARDED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SEVERITY_STYLE = {"critical": "red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
_CODES = {"bold": "1", "dim": "2", "red": "31", "yellow": "33", "green": "32", "cyan": "36"}

# A control sequence this program sends on purpose travels between these marks. The
# token is random per process (the OS's CSPRNG, as `secrets` uses, without its import):
# text from a file or a server cannot forge it.
_OPEN = "\ue000" + os.urandom(8).hex()
_CLOSE = "\ue001"
_TRUSTED = re.compile(re.escape(_OPEN) + "([^\ue001]*)" + _CLOSE)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "\t":
        return "    "
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """One line of text: control characters (newlines too) as \\xNN, tabs as spaces."""
    return _UNSAFE.sub(_escape, text)


def clean(text: str) -> str:
    """Like `printable`, keeping the newlines of a multi-line text."""
    return "\n".join(printable(line) for line in text.split("\n"))


def trusted(sequence: str) -> str:
    """A control sequence this program means to send (a colour, a carriage return); the
    guard passes it through, and only it."""
    return f"{_OPEN}{sequence}{_CLOSE}"


CR = trusted("\r")  # redraw a progress line in place


def _guard_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """What the guard sends for `text`: trusted sequences as they are, every other
    control character escaped."""
    if _OPEN not in text:
        return _GUARDED.sub(_guard_escape, text)
    out: list[str] = []
    pos = 0
    for match in _TRUSTED.finditer(text):
        out.append(_GUARDED.sub(_guard_escape, text[pos:match.start()]))
        out.append(match.group(1))
        pos = match.end()
    out.append(_GUARDED.sub(_guard_escape, text[pos:]))
    return "".join(out)


class OutputError(UserError):
    """Standard output cannot be written (closed, or the disk is full)."""


class _Guard:
    """A text stream that passes `safe(text)` to the stream it wraps.

    stdout failing is an OutputError (the CLI reports it on stderr, exit 2); stderr
    failing is ignored, since there is nowhere left to say so.
    """

    def __init__(self, stream: TextIO | None, name: str, *, report: bool) -> None:
        self._stream = stream
        self._name = name
        self._report = report

    def _failed(self, exc: BaseException | None) -> None:
        if not self._report:
            return
        reason = "it is closed" if exc is None or isinstance(exc, ValueError) else (
            getattr(exc, "strerror", None) or str(exc))
        self._stream = None  # nothing more is tried on it
        raise OutputError(f"cannot write to standard output: {reason}", location=None,
                          hint="write the output to a file with -o, or to a pipe that reads it all")

    def write(self, text: str) -> int:
        if self._stream is None:
            self._failed(None)
            return len(text)
        try:
            self._stream.write(safe(text))
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            self._failed(exc)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            self._failed(exc)

    def isatty(self) -> bool:
        try:
            return self._stream is not None and self._stream.isatty()
        except (AttributeError, ValueError):
            return False

    def fileno(self) -> int:
        if self._stream is None:
            raise OSError("closed stream")
        return self._stream.fileno()

    @property
    def wrapped(self) -> TextIO | None:
        return self._stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """sys.stdout and sys.stderr escape untrusted control characters inside the block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = _Guard(out, "stdout", report=True)
    sys.stderr = _Guard(err, "stderr", report=False)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def silence_stdout() -> None:
    """After stdout failed or its reader went away: point file descriptor 1 at /dev/null,
    so the interpreter's last flush at exit has nothing to complain about."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def wants_color(stream: TextIO) -> bool:
    return bool(hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR"))


def sgr(code: str) -> str:
    """A colour or style (Select Graphic Rendition) that passes the guard."""
    return trusted(f"\033[{code}m")


def styler(use: bool) -> Callable[[str, str], str]:
    def style(text: str, name: str) -> str:
        return f"{sgr(_CODES[name])}{text}{sgr('0')}" if use else text

    return style
