"""Text for a terminal: colour when it is one, and nothing that a terminal would execute.

Rule texts, snapshot values, docs and server messages can carry escape sequences (ESC,
OSC, the C1 CSI byte 0x9b, BEL). Everything printed passes through `clean`, which shows a
control character as a visible escape instead of sending it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TextIO

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SEVERITY_STYLE = {"critical": "red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
_CODES = {"bold": "1", "dim": "2", "red": "31", "yellow": "33", "green": "32", "cyan": "36"}


def clean(text: str) -> str:
    """`text` with every control character but newline and tab shown as \\xNN."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def wants_color(stream: TextIO) -> bool:
    return bool(hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR"))


def styler(use: bool) -> Callable[[str, str], str]:
    def style(text: str, name: str) -> str:
        return f"\033[{_CODES[name]}m{text}\033[0m" if use else text

    return style
