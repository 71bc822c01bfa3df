"""Text for a terminal, wrapped to its width with each paragraph's hanging indent kept.

A terminal wraps long lines wherever the column runs out, mid-word and back at column 0,
so a report's indented reasons and findings lose their shape. Renderers wrap instead, to
`terminal_width()`: the terminal's width (or COLUMNS), 80 when the output is not one.
"""

from __future__ import annotations

import shutil
import textwrap

DEFAULT_WIDTH = 80
# Below this many columns for the text itself, a hanging indent costs more than it shows.
_MIN_TEXT = 30


def terminal_width() -> int:
    """Columns to wrap to: COLUMNS when set, else the terminal's, else 80."""
    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def hang(prefix: str, text: str, width: int | None, indent: int | None = None) -> list[str]:
    """`prefix + text` as lines of at most `width` columns, continuation lines indented by
    `indent` (default: the prefix's width). Words are never broken; a word longer than a
    line (a URL) gets a line of its own. No width: one line, as given."""
    if width is None:
        return [prefix + text]
    hanging = len(prefix) if indent is None else indent
    if width - hanging < _MIN_TEXT:
        hanging = min(hanging, 4)
        if not prefix.strip():  # an indent only: it shrinks as well
            prefix = prefix[:hanging]
    lines = textwrap.wrap(text, width=width, initial_indent=prefix, subsequent_indent=" " * hanging,
                          break_long_words=False, break_on_hyphens=False) if text.strip() else []
    return lines or [prefix.rstrip()]


def wrap_lines(lines: list[str], width: int | None, indent: int) -> list[str]:
    """Each line wrapped on its own, continuations at its leading spaces plus `indent`."""
    if width is None:
        return lines
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        lead = len(line) - len(line.lstrip(" "))
        out += hang(line[:lead], line[lead:], width, lead + indent)
    return out
