"""Text for a terminal: colour when it is one, and nothing that a terminal would obey.

Rule texts, snapshot values, docs, server messages and audited source can carry escape
sequences (ESC, OSC, the C1 CSI byte 0x9b, BEL) or bidi overrides (Trojan Source). What is
printed passes through `printable` (one line) or `clean` (lines kept), which show such a
character as a visible escape instead of sending it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TextIO

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, bidi overrides.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SEVERITY_STYLE = {"critical": "red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
_CODES = {"bold": "1", "dim": "2", "red": "31", "yellow": "33", "green": "32", "cyan": "36"}


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


def wants_color(stream: TextIO) -> bool:
    return bool(hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR"))


def styler(use: bool) -> Callable[[str, str], str]:
    def style(text: str, name: str) -> str:
        return f"\033[{_CODES[name]}m{text}\033[0m" if use else text

    return style
